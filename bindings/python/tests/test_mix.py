"""Prompts, players and mixers from Python: files loaded and converted, bit-exact playback,
playlists, loops, fades and stop events, barge-in, ducking under the limiter's ceiling, N-1
conferences, errors, the GIL released and the one-thread guard."""

from __future__ import annotations

import gc
import threading
import wave
from pathlib import Path

import numpy as np
import pytest

import ivrmedia
from ivrmedia import BargeIn, ConferenceMixer, Mixer, Player, Prompt, PromptCache

CEILING = 10 ** (-1 / 20)  # the limiter's default -1 dBFS


def tone(n: int, rate: int = 8000, freq: float = 440.0, amplitude: float = 0.3,
         ramp: int = 0) -> np.ndarray:
    """A sine; with `ramp`, raised-cosine ramps of that many samples at both ends (so it starts
    and ends quiet)."""
    x = amplitude * np.sin(2 * np.pi * freq * np.arange(n) / rate)
    if ramp:
        w = 0.5 - 0.5 * np.cos(np.pi * np.arange(ramp) / ramp)
        x[:ramp] *= w
        x[-ramp:] *= w[::-1]
    return x.astype(np.float32)


def amplitude_at(x: np.ndarray, freq: float, rate: int = 8000) -> float:
    """Amplitude of the `freq` component of x (least squares on sin and cos)."""
    t = np.arange(x.size) / rate
    basis = np.stack([np.sin(2 * np.pi * freq * t), np.cos(2 * np.pi * freq * t)], axis=1)
    coef, *_ = np.linalg.lstsq(basis, x.astype(np.float64), rcond=None)
    return float(np.hypot(*coef))


def peak_hz(x: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(x.size)))
    return float(np.argmax(spectrum) * rate / x.size)


def write_wav(path: Path, samples: np.ndarray, rate: int, channels: int = 1) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())


# --------------------------------------------------------------------------------------------
# Prompts


def test_wav_at_16k_loads_at_8k_with_the_right_length_and_pitch(tmp_path: Path) -> None:
    path = tmp_path / "menu.wav"
    x = np.round(tone(16000 + 7, 16000, 1000.0, 0.5) * 32767)  # 1.0004 s at 16 kHz
    write_wav(path, x, 16000)
    p = Prompt.load(path, 8000)  # os.PathLike accepted
    assert p.sample_rate_hz == 8000
    assert len(p) == p.samples.size == round((16000 + 7) * 8000 / 16000)
    assert p.seconds == pytest.approx(p.samples.size / 8000)
    assert str(path) in p.name
    body = p.samples[400:-400]
    assert peak_hz(body, 8000) == pytest.approx(1000.0, abs=2.0)
    assert amplitude_at(body, 1000.0) == pytest.approx(0.5, rel=0.01)  # flat passband
    assert p.memory_bytes >= 4 * p.samples.size
    # The same file at 16 kHz is the file itself (16-bit samples / 32768).
    same = Prompt.load(str(path), 16000)
    np.testing.assert_allclose(same.samples, x / 32768, atol=1e-6)


def test_stereo_is_averaged_to_mono(tmp_path: Path) -> None:
    path = tmp_path / "stereo.wav"
    left = np.full(800, 8000, np.int16)
    right = np.full(800, -4000, np.int16)
    write_wav(path, np.stack([left, right], axis=1).ravel(), 8000, channels=2)
    p = Prompt.load(path)
    np.testing.assert_allclose(p.samples, 2000 / 32768, atol=1e-6)


def test_load_errors_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.wav"
    with pytest.raises(FileNotFoundError) as e:
        Prompt.load(missing)
    assert e.value.filename == str(missing)
    empty = tmp_path / "empty.wav"
    write_wav(empty, np.zeros(0, np.int16), 8000)
    with pytest.raises(ValueError, match="empty.wav"):
        Prompt.load(empty)
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"this is not audio" * 10)
    with pytest.raises(ValueError, match="junk.wav"):
        Prompt.load(junk)
    long = tmp_path / "long.wav"
    write_wav(long, np.zeros(16000, np.int16), 8000)
    with pytest.raises(ValueError, match="long.wav"):
        Prompt.load(long, max_seconds=1.0)
    with pytest.raises(ValueError):
        Prompt.load(long, 11025)  # not a playback rate


def test_prompt_cache_shares_and_counts(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    write_wav(path, np.round(tone(8000, 8000) * 32767), 8000)
    cache = PromptCache()
    a = cache.get(path, 8000)
    b = cache.get(str(path), 8000)
    c = cache.get(path, 16000)
    assert len(cache) == 2 and cache.memory_bytes >= a.memory_bytes + c.memory_bytes
    # Same prompt: the views share memory.
    assert np.shares_memory(a.samples, b.samples)
    cache.put("tone:busy", Prompt.call_progress("busy_eu"))
    assert len(cache) == 3
    with pytest.raises(FileNotFoundError):
        cache.get(tmp_path / "missing.wav")
    assert len(cache) == 3
    del a, b, c
    gc.collect()
    assert cache.evict_unused() == 3
    cache.clear()
    assert len(cache) == 0 and cache.memory_bytes == 0


def test_from_array_samples_view_is_read_only_and_keeps_the_prompt() -> None:
    x = tone(4000, ramp=40)
    p = Prompt.from_array(x, 8000, name="t")
    assert (p.name, p.sample_rate_hz) == ("t", 8000)
    view = p.samples
    np.testing.assert_array_equal(view, x)  # no conversion at the same rate: bit-exact
    assert view.dtype == np.float32 and not view.flags.writeable
    with pytest.raises(ValueError):
        view[0] = 1.0
    del p
    gc.collect()
    np.testing.assert_array_equal(view, x)  # the view holds the prompt
    q = Prompt.from_array((x * 32768).astype(np.int16), 8000)
    np.testing.assert_allclose(q.samples, x, atol=1 / 32768)
    up = Prompt.from_array(x, 8000, 16000)
    assert (up.sample_rate_hz, len(up)) == (16000, 8000)
    with pytest.raises(TypeError, match="samples"):
        Prompt.from_array(x.astype(np.float64), 8000)
    with pytest.raises(ValueError):
        Prompt.from_array(np.zeros(0, np.float32), 8000)
    with pytest.raises(ValueError):
        Prompt.from_array(x, 8000, 12345)


def test_generated_prompts() -> None:
    s = Prompt.silence(0.5, 16000)
    assert len(s) == 8000 and not s.samples.any()
    n = Prompt.comfort_noise(1.0, -40.0, 8000, seed=3)
    rms = float(np.sqrt(np.mean(n.samples.astype(np.float64) ** 2)))
    # -40 dBFS with full-scale sine = -3 dBFS: rms = 10^(-37/20).
    assert 20 * np.log10(rms) == pytest.approx(-43.0, abs=0.5)
    np.testing.assert_array_equal(n.samples, Prompt.comfort_noise(1.0, -40.0, seed=3).samples)
    d = Prompt.dtmf("123", 8000)
    found = ivrmedia.detect_dtmf(d.samples, 8000)
    assert "".join(e.digit for e in found) == "123"
    ring = Prompt.call_progress("ringback_eu", 8000)
    assert ring.seconds == pytest.approx(5.0) and ring.name == "ringback_eu"
    assert peak_hz(ring.samples[:8000], 8000) == pytest.approx(425.0, abs=2.0)
    assert not ring.samples[8100:].any()  # 1 s on, 4 s off
    us = Prompt.call_progress("dial_us", 8000, seconds=1.0)
    assert len(us) == 8000
    assert amplitude_at(us.samples, 350.0) == pytest.approx(amplitude_at(us.samples, 440.0),
                                                            rel=0.01)
    t = Prompt.tone(1000.0, cadence_ms=[100, 100], seconds=0.4)
    assert len(t) == 3200 and not t.samples[850:1550].any()
    with pytest.raises(ValueError, match="unknown tone"):
        Prompt.call_progress("ringback_mars")
    with pytest.raises(ValueError):
        Prompt.tone(5000.0)  # above rate / 2
    with pytest.raises(ValueError):
        Prompt.dtmf("12x")
    assert "Prompt(name='ringback_eu'" in repr(ring)


# --------------------------------------------------------------------------------------------
# Players


def test_playback_is_bit_exact_whatever_the_framing() -> None:
    x = tone(4003, ramp=40)
    p = Prompt.from_array(x, 8000)
    player = Player(8000)
    player.play(p, id=7)
    audio, events = ivrmedia.play_to_end(player, 160)
    np.testing.assert_array_equal(audio[: x.size], x)
    assert not audio[x.size :].any()
    assert [(e.type, e.id) for e in events] == [("started", 7), ("finished", 7)]
    assert events[1].time == x.size and events[1].position == x.size
    # Other frame sizes, and render_into, give the same samples.
    other = Player(8000)
    other.play(p)
    buf = np.zeros(x.size, np.float32)
    for k in range(0, x.size, 37):
        other.render_into(buf[k : k + 37])
    np.testing.assert_array_equal(buf, x)
    assert other.time == x.size
    assert not other.render(1).any() and not other.active


def test_playlist_plays_back_to_back() -> None:
    a, b = tone(1600, freq=300, ramp=40), tone(2400, freq=700, ramp=40)
    player = Player()
    player.queue(Prompt.from_array(a, 8000), id=1)
    player.queue(Prompt.from_array(b, 8000), id=2)
    assert player.active and player.queued == 1
    audio, events = ivrmedia.play_to_end(player)
    np.testing.assert_array_equal(audio[: a.size + b.size], np.concatenate([a, b]))
    assert [(e.type, e.id, e.time) for e in events] == [
        ("started", 1, 0), ("finished", 1, a.size), ("started", 2, a.size),
        ("finished", 2, a.size + b.size)]


def test_loops_and_fades() -> None:
    x = tone(800, freq=500, ramp=40)  # 500 Hz: whole periods, so loops join seamlessly
    player = Player()
    player.play(Prompt.from_array(x, 8000), loops=3)
    audio, events = ivrmedia.play_to_end(player, 100)
    np.testing.assert_array_equal(audio[: 3 * x.size], np.tile(x, 3))
    assert [e.type for e in events].count("looped") == 2
    # Fade in over 100 ms on a steady tone: quiet at first, full level after.
    steady = Prompt.from_array(tone(8000, freq=500, amplitude=0.5), 8000)
    player.play(steady, fade_in_ms=100, fade_out_ms=100)
    y = player.render(8000)
    assert np.abs(y[:80]).max() < 0.2 * 0.5
    assert np.abs(y[1000:7000]).max() == pytest.approx(0.5, rel=1e-3)
    assert np.abs(y[-40:]).max() < 0.1 * 0.5
    # Master gain: -6 dB reached after the ramp.
    player.play(steady, loops=0)
    player.gain_db = -6.0
    assert player.gain_db == -6.0
    z = player.render(4000)
    assert np.abs(z[2000:]).max() == pytest.approx(0.5 * 10 ** (-6 / 20), rel=1e-3)


def test_stop_pause_seek_and_their_events() -> None:
    p = Prompt.from_array(tone(8000, freq=500, amplitude=0.5), 8000)
    player = Player(stop_fade_ms=10)
    player.play(p, loops=0, id=3)
    player.render(800)
    assert player.position == 800
    player.pause()
    y = player.render(400)
    assert player.paused and not y[80:].any()  # 10 ms fade then silence
    player.resume()
    player.seek(100)
    player.render(400)
    player.stop()
    y = player.render(400)
    assert not y[100:].any() and not player.active
    events = player.events()
    assert events[0].type == "started" and events[-1].type == "interrupted"
    assert events[-1].reason == "stopped" and events[-1].id == 3 and events[-1].digit is None
    with pytest.raises(RuntimeError, match="nothing is playing"):
        player.seek(0)
    # Replacing a prompt interrupts it with reason 'replaced'.
    player.play(p, id=1)
    player.render(160)
    player.play(p, id=2)
    player.render(160)
    assert [(e.type, e.id, e.reason) for e in player.events()] == [
        ("started", 1, None), ("interrupted", 1, "replaced"), ("started", 2, None)]


def test_player_errors() -> None:
    player = Player(8000)
    with pytest.raises(ValueError, match="16000 Hz"):
        player.play(Prompt.silence(0.1, 16000))
    with pytest.raises(ValueError):
        player.play(Prompt.silence(0.1), start_sample=10_000)
    with pytest.raises(ValueError):
        Player(8000, queue_capacity=0)
    small = Player(8000, queue_capacity=1)
    s = Prompt.silence(1.0)
    small.queue(s)  # starts at once
    small.queue(s)  # waits
    with pytest.raises(BufferError):
        small.queue(s)
    with pytest.raises(TypeError):
        player.render_into(np.zeros(10, np.float64))
    with pytest.raises(ValueError):
        player.barge_in("cough")
    with pytest.raises(ValueError, match="finite"):
        player.gain_db = float("nan")


def test_barge_in_stops_interruptible_prompts() -> None:
    p = Prompt.from_array(tone(8000, amplitude=0.5), 8000)
    player = Player()
    player.play(p, interruptible=False)
    assert not player.barge_in("dtmf", "5")
    player.play(p)
    player.render(160)
    assert player.barge_in("dtmf", "5")
    player.render(400)
    last = player.events()[-1]
    assert (last.type, last.reason, last.digit) == ("interrupted", "barge_in_dtmf", "5")

    b = BargeIn(8000)
    ev = b.key_down("#")
    assert ev is not None and (ev.reason, ev.digit) == ("dtmf", "#")
    assert b.process(np.zeros(1600, np.float32)) is None
    rng = np.random.default_rng(1)
    speech = (0.2 * rng.standard_normal(4000)).astype(np.float32)
    ev = b.process(speech)
    assert ev is not None and ev.reason == "voice" and ev.digit is None
    assert b.speaking and ev.sample >= 1600 + 480  # at least min_speech_ms in
    assert BargeIn(8000, dtmf=False).key_down("1") is None
    b16 = BargeIn(8000)
    assert b16.process((speech * 32767).astype(np.int16)) is not None
    player.play(p)
    assert player.barge_in(ev.reason, ev.digit)


# --------------------------------------------------------------------------------------------
# Mixers


def test_ducking_lowers_the_background() -> None:
    n = 16000
    music = tone(n, freq=300.0, amplitude=0.2)
    voice = np.zeros(n, np.float32)
    voice[8000:] = tone(8000, freq=1000.0, amplitude=0.2)
    mixer = Mixer(8000, duck_depth_db=12)
    out = np.concatenate([mixer.process([voice[k : k + 160]], [music[k : k + 160]])
                          for k in range(0, n, 160)])
    before = amplitude_at(out[2000:8000], 300.0)
    during = amplitude_at(out[9000:16000], 300.0)  # after the 20 ms attack
    assert before == pytest.approx(0.2, rel=0.01)
    assert 20 * np.log10(during / before) == pytest.approx(-12.0, abs=0.1)
    assert mixer.duck_gain_db == pytest.approx(-12.0)
    assert mixer.stats.ducked_samples > 6000 and mixer.stats.samples == n
    # Forced ducking without a foreground.
    forced = Mixer(8000, duck_on_level=False)
    forced.set_foreground_active(True)
    assert forced.foreground_forced
    forced.process([], [music[:4000]])
    assert forced.duck_gain_db == pytest.approx(-12.0)


def test_loud_sources_never_exceed_the_ceiling() -> None:
    sources = [tone(8000, freq=f, amplitude=0.9) for f in (300.0, 410.0, 523.0, 660.0)]
    mixer = Mixer(8000)
    out = mixer.process(sources[:2], sources[2:])
    assert out.dtype == np.float32 and out.size == 8000
    assert np.abs(out).max() <= CEILING
    assert mixer.stats.limiter.limited_samples > 0 and mixer.stats.limiter.clamped == 0
    pcm = Mixer(8000).process(sources[:2], sources[2:], dtype=np.int16)
    assert pcm.dtype == np.int16
    assert np.abs(pcm.astype(np.int32)).max() <= round(CEILING * 32768)
    np.testing.assert_allclose(pcm / 32768, out, atol=1 / 32768)
    # int16 sources; quiet signals pass bit-exactly, delayed by the look-ahead.
    quiet = tone(800, amplitude=0.25)
    m = Mixer(8000)
    q = m.process([quiet], n=800 + m.latency_samples)
    np.testing.assert_array_equal(q[m.latency_samples :], quiet)
    m16 = Mixer(8000)
    q16 = m16.process([(quiet * 32768).astype(np.int16)], n=800 + m16.latency_samples)
    np.testing.assert_allclose(q16[m16.latency_samples :], quiet, atol=1 / 32768)


def test_mixer_errors() -> None:
    mixer = Mixer()
    with pytest.raises(TypeError, match=r"foreground\[0\]"):
        mixer.process([np.zeros(160)])  # float64
    with pytest.raises(TypeError, match="list"):
        mixer.process(np.zeros(160, np.float32))
    with pytest.raises(ValueError, match="longer|more than"):
        mixer.process([np.zeros(320, np.float32)], n=160)
    with pytest.raises(ValueError, match="dtype"):
        mixer.process([np.zeros(160, np.float32)], dtype=np.float64)
    with pytest.raises(ValueError):
        Mixer(8000, duck_depth_db=100)
    assert mixer.process().size == 0
    assert mixer.process(n=160).size == 160


def test_conference_each_leg_hears_the_others_never_itself() -> None:
    freqs = (300.0, 500.0, 700.0)
    legs = [tone(8000, freq=f, amplitude=0.1) for f in freqs]
    conf = ConferenceMixer(8000, max_legs=4)
    out = np.concatenate([conf.process([x[k : k + 160] for x in legs])
                          for k in range(0, 8000, 160)], axis=1)
    assert out.shape == (3, 8000) and out.dtype == np.float32
    body = out[:, 400:]
    for k, f in enumerate(freqs):
        for j in range(3):
            heard = amplitude_at(body[j], f)
            if j == k:
                assert heard < 1e-5, (j, k)  # N-1: no trace of its own voice
            else:
                assert heard == pytest.approx(0.1, rel=0.01), (j, k)
    # Silent monitoring: leg 2 hears everyone, nobody hears it. int16 in, int16 out.
    conf.reset()
    conf.set_talk(2, "nobody")
    pcm = [(x * 32767).astype(np.int16) for x in legs]
    out16 = conf.process(pcm)
    assert out16.dtype == np.int16
    out16 = conf.process([x[:4000] for x in pcm])
    assert amplitude_at(out16[0, 2000:] / 32768, 700.0) < 1e-3
    assert amplitude_at(out16[2, 2000:] / 32768, 300.0) == pytest.approx(0.1, rel=0.02)
    # Absent and silent legs.
    assert conf.process([None, np.zeros(0, np.float32)], n=160).shape == (2, 160)
    with pytest.raises(ValueError):
        conf.process([np.zeros(160, np.float32), np.zeros(80, np.float32)])
    with pytest.raises(ValueError):
        conf.process([None] * 5, n=10)
    with pytest.raises(TypeError, match=r"legs\[1\].*first leg"):
        conf.process([np.zeros(160, np.float32), np.zeros(160, np.int16)])
    with pytest.raises(ValueError):
        conf.set_talk(9, "everyone")
    with pytest.raises(ValueError):
        conf.set_talk(0, "shout")
    conf.set_gain_db(0, -6.0)
    assert conf.leg_limiter_stats(0).samples > 0
    assert conf.latency_samples == 16 and conf.max_legs == 4


# --------------------------------------------------------------------------------------------
# Threads


def test_one_player_on_two_threads_is_refused_not_corrupted(refusals_on_threads) -> None:
    # render() releases the GIL; a second thread entering the same player is refused. Refusals
    # happen only when the GIL is released (with it held, calls never overlap): ~1 ms calls on
    # four threads overlap many times.
    player = Player(48000)
    player.play(Prompt.from_array(tone(48000, 48000), 48000), loops=0)
    n = 480_000
    errors, calls = refusals_on_threads(lambda: player.render(n), 20)
    assert errors and all("two threads" in e for e in errors)
    assert player.time + len(errors) * n == calls * n


def test_one_mixer_on_two_threads_is_refused_not_corrupted(refusals_on_threads) -> None:
    # As for the player: the limiter working on loud sources makes ~10 ms calls.
    mixer = Mixer(48000)
    src = [tone(480_000, 48000, amplitude=0.9)] * 4
    errors, calls = refusals_on_threads(lambda: mixer.process(src, src), 10)
    assert errors and all("two threads" in e for e in errors)
    assert mixer.stats.samples + len(errors) * 480_000 == calls * 480_000


def test_players_on_threads_match_sequential_results() -> None:
    p = Prompt.from_array(tone(8000, amplitude=0.5), 8000)

    def render_all() -> np.ndarray:
        player = Player()
        player.play(p, fade_in_ms=50, fade_out_ms=50, loops=2)
        return ivrmedia.play_to_end(player)[0]

    want = render_all()
    results: list[np.ndarray] = [np.zeros(0)] * 4

    def work(i: int) -> None:
        results[i] = render_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        np.testing.assert_array_equal(r, want)


def test_docstrings_and_repr() -> None:
    for obj in (ivrmedia.mix, Prompt, Prompt.load, Prompt.from_array, Prompt.call_progress,
                PromptCache, Player, Player.play, Player.render, BargeIn, Mixer, Mixer.process,
                ConferenceMixer, ConferenceMixer.process, ivrmedia.play_to_end,
                ivrmedia.PlayerEvent, ivrmedia.MixerStats):
        assert obj.__doc__ and obj.__doc__.strip()
    assert repr(Player()) == "Player(sample_rate_hz=8000, active=False)"
    assert "limited_samples" in Mixer().stats.limiter.to_dict()
    assert Mixer().stats == Mixer().stats
    with pytest.raises(RuntimeError, match="still playing"):
        looping = Player()
        looping.play(Prompt.silence(0.1), loops=0)
        ivrmedia.play_to_end(looping, max_seconds=1.0)
