"""The RTP receive path from Python: JitterBuffer fed datagrams, frames out as NumPy arrays,
RFC 4733 events beside the audio, RFC 3550 A.3 loss matching what the simulated network lost,
usage records, errors, the GIL released, and simulate_call for research."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import ivrmedia
from ivrmedia import JitterBuffer, NetworkSimulator, g711, rtp


def tone(n: int, rate: int = 8000, freq: float = 440.0, amplitude: float = 0.3) -> np.ndarray:
    return (amplitude * np.sin(2 * np.pi * freq * np.arange(n) / rate)).astype(np.float32)


def pcmu_stream(seconds: float, seed: int = 1, first_sequence: int | None = None,
                first_timestamp: int | None = None) -> tuple[list[bytes], list[bytes]]:
    """(datagrams, payloads) of a 20 ms PCMU stream of a 440 Hz tone."""
    x = tone(int(seconds * 8000))
    b = rtp.Builder(0, 8000, seed=seed, first_sequence=first_sequence,
                    first_timestamp=first_timestamp)
    payloads = [g711.encode(x[i : i + 160], "PCMU").tobytes() for i in range(0, x.size, 160)]
    return [b.build(p, 160, marker=(k == 0)) for k, p in enumerate(payloads)], payloads


def run(jb: JitterBuffer, datagrams: list[bytes], ticks: int, dtype=np.float32,
        delay_us: int = 30_000) -> list[tuple[np.ndarray, ivrmedia.FrameInfo]]:
    """Sends packet k at 20 ms * k (arriving delay_us later), ticks every 20 ms."""
    out = []
    k = 0
    for t in range(ticks):
        now = t * 20_000
        while k < len(datagrams) and k * 20_000 + delay_us <= now:
            assert jb.push(datagrams[k], k * 20_000 + delay_us)
            k += 1
        out.append(jb.pull(now, dtype=dtype))
    return out


# --------------------------------------------------------------------------------------------
# Audio


def test_in_order_pcmu_plays_the_decoded_packets() -> None:
    datagrams, payloads = pcmu_stream(2.0, first_timestamp=1000)
    jb = JitterBuffer()  # 8000 Hz, 20 ms, {0: PCMU, 8: PCMA}
    assert (jb.sample_rate_hz, jb.frame_samples) == (8000, 160)
    frames = run(jb, datagrams, 110, dtype=np.int16)
    # The stream decoded as sent, by timestamp (frames need not start on packet boundaries).
    ref = g711.decode(np.frombuffer(b"".join(payloads), np.uint8), "PCMU")
    kinds = [info.kind for _, info in frames]
    assert kinds[0] == "cng" and frames[0][1].rtp_timestamp is None
    played = [(pcm, info) for pcm, info in frames if info.kind == "normal"]
    assert len(played) >= 90
    for pcm, info in played:
        assert pcm.dtype == np.int16 and pcm.shape == (160,)
        at = info.rtp_timestamp - 1000
        np.testing.assert_array_equal(pcm, ref[at : at + 160])  # bit-exact G.711
    s = jb.statistics
    assert (s.received, s.lost, s.late, s.duplicates, s.malformed) == (100, 0, 0, 0, 0)
    assert s.frames == 110 and sum(s.frames_by_kind.values()) == 110
    assert s.samples_played == 110 * 160 and s.loss_rate == 0.0
    assert 4.0 < s.mos <= 4.5 and not s.wideband_rating
    u = jb.usage
    assert (u.packets, u.audio_packets, u.bytes) == (100, 100, sum(len(d) for d in datagrams))
    assert u.seconds_received == 2.0 and u.samples_played == 110 * 160
    assert u.first_packet_us == 30_000 and u.last_packet_us == 99 * 20_000 + 30_000


def test_float32_frames_and_pull_without_clock() -> None:
    datagrams, _ = pcmu_stream(0.5)
    jb = JitterBuffer(frame_ms=10)
    assert jb.frame_samples == 80
    for k, d in enumerate(datagrams):
        jb.push(d, k * 20_000)
    pcm, info = jb.pull()
    assert pcm.dtype == np.float32 and pcm.shape == (80,)
    assert info.kind == "accelerated"  # 500 ms arrived at once: the buffer catches up
    pcm16, _ = jb.pull(None, "int16")
    assert pcm16.dtype == np.int16
    with pytest.raises(ValueError, match="int16 or float32"):
        jb.pull(dtype=np.float64)


def test_reordered_and_duplicate_packets() -> None:
    datagrams, _ = pcmu_stream(1.0)
    order = list(range(50))
    order[10], order[11] = order[11], order[10]
    jb = JitterBuffer(fixed_delay_ms=60, mode="fixed")
    sent = [datagrams[i] for i in order] + [datagrams[20]]
    times = [k * 20_000 for k in range(50)] + [49 * 20_000]
    k = 0
    for t in range(60):
        while k < len(sent) and times[k] <= t * 20_000:
            jb.push(sent[k], times[k])
            k += 1
        jb.pull(t * 20_000)
    s = jb.statistics
    assert (s.received, s.reordered, s.duplicates, s.lost) == (50, 1, 1, 0)


def test_wideband_g722_and_opus_payload_bindings() -> None:
    enc = ivrmedia.Encoder("G722")
    b = rtp.Builder(9, 8000, seed=2)
    jb = JitterBuffer(16000, 20, payloads={9: "G722/8000"})
    x = tone(16000, 16000)
    frames = []
    for k in range(55):
        if k < 50:
            jb.push(b.build(enc.encode(x[320 * k : 320 * (k + 1)]), 160), k * 20_000)
        frames.append(jb.pull(k * 20_000 + 10_000))
    assert all(f.shape == (320,) for f, _ in frames)
    assert sum(info.kind == "normal" for _, info in frames) >= 45
    assert jb.statistics.wideband_rating and jb.statistics.received == 50
    # The rtpmap string and tuple forms, opus at 16 kHz.
    JitterBuffer(16000, payloads={111: "opus/48000/2", 112: ("L16", 16000, 1)})
    with pytest.raises(ValueError, match="payloads\\[96\\]"):
        JitterBuffer(payloads={96: "opus/x"})
    with pytest.raises(ValueError):
        JitterBuffer(8000, payloads={9: "G722"})  # G722 decodes at 16000 only
    with pytest.raises(ValueError):
        JitterBuffer(payloads={96: "AMR"})
    with pytest.raises(ValueError, match="'adaptive' or 'fixed'"):
        JitterBuffer(mode="slow")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        JitterBuffer(frame_ms=25)
    with pytest.raises(ValueError):
        JitterBuffer(telephone_event_payload_type=0)  # collides with PCMU


# --------------------------------------------------------------------------------------------
# RFC 4733 through the buffer


def test_telephone_events_beside_the_audio() -> None:
    datagrams, _ = pcmu_stream(1.0, seed=5, first_timestamp=8000)
    b = rtp.Builder(0, 8000, seed=5)  # the same stream: same SSRC and numbering
    # Key '9' pressed at the audio timestamp of packet 20, for 100 ms; the events are sent in
    # place of packets 20-24 and their end copies beside 25-27. Sequence numbers: rebuild the
    # stream with the events on it.
    stream: list[tuple[bytes, int]] = []
    x = tone(8000)
    k_audio = 0
    send_us = 0
    while k_audio < 50:
        if k_audio == 20:
            ts = b.next_timestamp
            for i, d in enumerate(rtp.event_datagrams(b, "9", 101, ts, 100)):
                stream.append((d, send_us + min(i, 4) * 20_000))
            b.skip(5 * 160)
            send_us += 5 * 20_000
            k_audio += 5
            continue
        pcm = x[160 * k_audio : 160 * (k_audio + 1)]
        stream.append((b.build(g711.encode(pcm, "PCMU").tobytes(), 160,
                               marker=(k_audio in (0, 25))), send_us))
        send_us += 20_000
        k_audio += 1
    stream.sort(key=lambda p: p[1])
    jb = JitterBuffer(telephone_event_payload_type=101)
    events = []
    k = 0
    for t in range(70):
        now = t * 20_000
        while k < len(stream) and stream[k][1] + 25_000 <= now:
            assert jb.push(stream[k][0], stream[k][1] + 25_000)
            k += 1
        jb.pull(now)
        events += [(now, e) for e in jb.events()]
    assert [(e.phase, e.digit, e.cause) for _, e in events] == [("begin", "9", "none"),
                                                               ("end", "9", "end_bit")]
    begin_at, begin = events[0]
    assert begin_at == 20 * 20_000 + 40_000  # first tick after the first event packet arrived
    end = events[1][1]
    assert end.duration == 800 and end.duration_ms == 100.0 and not end.start_lost
    s = jb.statistics
    # RFC 3550 counts every packet of the source: 45 audio and 8 event packets.
    assert s.event_packets == 8 and s.received == 53 and s.lost == 0
    assert jb.usage.audio_packets == 45 and jb.usage.packets == 53
    assert jb.events() == []


# --------------------------------------------------------------------------------------------
# Errors


def test_malformed_and_unknown_datagrams() -> None:
    jb = JitterBuffer()
    with pytest.raises(ivrmedia.MalformedPacket) as info:
        jb.push(b"\x80\x00", 0)
    assert info.value.reason == "too_short"
    with pytest.raises(ivrmedia.MalformedPacket) as info:
        jb.push(b"\x40" + bytes(20), 0)
    assert info.value.reason == "bad_version"
    b = rtp.Builder(0, seed=1)
    with pytest.raises(ivrmedia.MalformedPacket) as info:
        jb.push(b.build(b"", 0), 0)  # an empty PCMU payload decodes to nothing
    assert info.value.reason == "bad_payload"
    assert rtp.Builder(18).build(bytes(20), 160) and not jb.push(rtp.Builder(18).build(
        bytes(20), 160), 0)  # G.729 is not configured: ignored, counted
    s = jb.statistics
    assert s.malformed == 3 and s.unknown_payload == 1
    with pytest.raises(TypeError):
        jb.push("datagram", 0)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Through the network simulator


@pytest.mark.parametrize(("preset", "seed"), [("bursty_loss", 1), ("bursty_loss", 4),
                                              ("congested", 2), ("mobile_3g_handover", 3)])
def test_pcmu_through_the_network_loss_matches(preset: str, seed: int) -> None:
    datagrams, _ = pcmu_stream(20.0, seed=seed)
    net = NetworkSimulator(preset, seed=seed)
    arrivals = net.simulate([(d, 20_000 * k) for k, d in enumerate(datagrams)])
    jb = JitterBuffer()
    audio, frames = ivrmedia.play(jb, arrivals)
    s, n = jb.statistics, net.stats
    assert n.sent == 1000 and n.lost > 0
    # RFC 3550 A.3: expected runs from the first to the highest packet received, so losses
    # before the first or after the last received packet are not counted.
    got = sorted({a.index for a in arrivals})
    expected = got[-1] - got[0] + 1
    assert s.received == len(got) == 1000 - n.lost
    assert s.lost == expected - len(got)
    assert s.lost == n.lost - got[0] - (999 - got[-1])
    assert s.duplicates == n.duplicated
    assert s.loss_rate == pytest.approx(s.lost / expected)
    assert s.interarrival_jitter_ms > 0 and 1.0 <= s.mos < 4.5
    assert audio.shape == (len(frames) * 160,) and audio.dtype == np.float32
    assert s.samples_played == audio.size
    # Usage counts every unique packet the network delivered, played or late.
    assert jb.usage.audio_packets == len(got)
    # The whole stream was played out: the last frames carry the last packet's audio.
    last_ts = max(info.rtp_timestamp for info in frames if info.rtp_timestamp is not None)
    assert 0 <= rtp.parse(datagrams[got[-1]]).timestamp - last_ts < 160


def test_play_pairs_until_and_bad_datagrams() -> None:
    datagrams, _ = pcmu_stream(1.0)
    arrivals = [(d, 25_000 + 20_000 * k) for k, d in enumerate(datagrams)]
    arrivals.insert(10, (b"junk", arrivals[9][1]))  # skipped, counted
    jb = JitterBuffer()
    audio, frames = ivrmedia.play(jb, arrivals, until_us=400_000, dtype="int16")
    assert len(frames) == 20 and audio.dtype == np.int16 and audio.shape == (3200,)
    assert jb.statistics.malformed == 1
    # Carry on from there: the same buffer, the remaining arrivals, ticks from 400 ms.
    rest = [a for a in arrivals if a[1] > 380_000]
    audio2, frames2 = ivrmedia.play(jb, rest, start_us=400_000, dtype="int16")
    s = jb.statistics
    assert s.received == 50 and s.lost == 0 and s.frames == len(frames) + len(frames2)
    empty, none = ivrmedia.play(JitterBuffer(), [])
    assert len(none) == 1 and empty.shape == (160,)


def test_simulate_call_is_reproducible_per_seed() -> None:
    x = tone(8000 * 5)
    a = ivrmedia.simulate_call(x, "PCMU", "bursty_loss", seed=3)
    b = ivrmedia.simulate_call(x, "PCMU", "bursty_loss", seed=3)
    c = ivrmedia.simulate_call(x, "PCMU", "bursty_loss", seed=4)
    np.testing.assert_array_equal(a.audio, b.audio)
    assert a.statistics == b.statistics and a.network == b.network and a.frames == b.frames
    assert a.network != c.network
    audio, stats, net, frames = a  # a tuple
    assert isinstance(stats, ivrmedia.JitterStatistics) and stats.frames == len(frames)
    assert audio.size >= x.size and stats.received + net.lost == 250


def test_simulate_call_codecs_and_options() -> None:
    x = tone(16000 * 2, 16000)
    call = ivrmedia.simulate_call(x, "opus", "bursty_loss", 2, sample_rate_hz=16000,
                                  encoder_options={"expected_loss_percent": 20},
                                  jitter_options={"max_delay_ms": 300},
                                  network_options={"loss_rate": 0.1, "loss_burst_packets": 1})
    assert call.statistics.wideband_rating and call.statistics.samples_fec > 0
    assert call.network.lost > 0
    g722 = ivrmedia.simulate_call(x, "G722", "ideal", dtype=np.int16)
    assert g722.audio.dtype == np.int16 and g722.statistics.lost == 0
    pcma = ivrmedia.simulate_call(tone(8000 * 2).astype(np.float64) * 0.5, "PCMA", "wired")
    assert pcma.statistics.received == 100
    with pytest.raises(ValueError, match="mono"):
        ivrmedia.simulate_call(x, "opus", encoder_options={"channels": 2})
    with pytest.raises(ValueError, match="1-D"):
        ivrmedia.simulate_call(np.zeros((2, 160), np.float32))


# --------------------------------------------------------------------------------------------
# Threads


def test_one_buffer_on_two_threads_is_refused_not_corrupted(errors_on_threads) -> None:
    # pull() releases the GIL while it decodes; a second thread entering the same buffer is
    # refused with RuntimeError instead of racing inside it.
    jb = JitterBuffer(48000, payloads={111: "opus/48000/2"})  # opus at 48 kHz: costly pulls
    enc = ivrmedia.Encoder("opus", complexity=10)
    b = rtp.Builder(111, 48000, seed=1)
    x = tone(48000, 48000)
    for k in range(50):
        jb.push(b.build(enc.encode(x[960 * k : 960 * (k + 1)]), 960), k * 20_000)
    errors = errors_on_threads(lambda: jb.pull(), 200)
    assert all("two threads" in e for e in errors)
    assert jb.statistics.frames + len(errors) == 800


def test_buffers_on_threads_match_sequential_results() -> None:
    datagrams, _ = pcmu_stream(2.0)

    def decode_all() -> np.ndarray:
        jb = JitterBuffer()
        return np.concatenate([f for f, _ in run(jb, datagrams, 110)])

    want = decode_all()
    results: list[np.ndarray] = [np.zeros(0)] * 4

    def work(i: int) -> None:
        results[i] = decode_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        np.testing.assert_array_equal(r, want)


def test_docstrings_and_reset() -> None:
    for obj in (JitterBuffer, JitterBuffer.push, JitterBuffer.pull, JitterBuffer.events,
                ivrmedia.play, ivrmedia.simulate_call, ivrmedia.jitter, ivrmedia.FrameInfo,
                ivrmedia.JitterStatistics, ivrmedia.JitterUsage):
        assert obj.__doc__ and obj.__doc__.strip()
    datagrams, _ = pcmu_stream(0.5)
    jb = JitterBuffer()
    run(jb, datagrams, 30)
    assert jb.statistics.received == 25
    jb.reset()
    assert jb.statistics == JitterBuffer().statistics
    assert repr(jb) == "JitterBuffer(sample_rate_hz=8000, frame_samples=160)"
    assert "loss_rate" in jb.statistics.to_dict()
