"""Codecs from Python: round trips through PCMU, PCMA, L16, G722 and opus, the RTP clock quirks
(RFC 3551 G722 at 8000 Hz, RFC 7587 opus at 48000 Hz), concealment and FEC lengths, errors."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import ivrmedia
from ivrmedia import Decoder, Encoder, codec, g711


def tone(n: int, rate: int, freq: float = 440.0, amplitude: float = 0.25) -> np.ndarray:
    t = np.arange(n) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def to_s16(x: np.ndarray) -> np.ndarray:
    return np.round(x * 32767).astype(np.int16)


def snr_db(ref: np.ndarray, out: np.ndarray) -> float:
    ref = ref.astype(np.float64)
    out = out.astype(np.float64)
    return float(10 * np.log10(np.sum(ref**2) / max(np.sum((ref - out) ** 2), 1e-12)))


def encode_frames(enc: Encoder, pcm: np.ndarray) -> list[bytes]:
    n = enc.frame_samples * enc.channels
    return [enc.encode(pcm[i : i + n]) for i in range(0, pcm.size - n + 1, n)]


# --------------------------------------------------------------------------------------------
# Round trips


@pytest.mark.parametrize("name", ["PCMU", "PCMA"])
def test_g711_round_trip_is_the_g711_module(name: str) -> None:
    enc, dec = Encoder(name), Decoder(name)
    assert (enc.name, enc.sample_rate_hz, enc.channels, enc.rtp_clock_hz) == (name, 8000, 1, 8000)
    assert enc.frame_samples == 160 and enc.max_payload_bytes == 160
    pcm = to_s16(tone(1600, 8000))
    for i in range(0, pcm.size, 160):
        frame = pcm[i : i + 160]
        payload = enc.encode(frame)
        assert isinstance(payload, bytes) and len(payload) == 160
        np.testing.assert_array_equal(np.frombuffer(payload, np.uint8), g711.encode(frame, name))
        out = dec.decode(payload)
        assert out.dtype == np.int16 and out.shape == (160,)
        np.testing.assert_array_equal(out, g711.decode(g711.encode(frame, name), name))


def test_l16_is_exact_and_big_endian() -> None:
    enc = Encoder("L16", clock_rate_hz=16000, channels=2, ptime_ms=10)
    dec = Decoder("L16", clock_rate_hz=16000, channels=2)
    assert enc.frame_samples == 160 and enc.channels == 2
    pcm = np.arange(-160, 160, dtype=np.int16) * 97
    payload = enc.encode(pcm)
    assert len(payload) == 640
    np.testing.assert_array_equal(np.frombuffer(payload, ">i2"), pcm)  # RFC 3551: MSB first
    np.testing.assert_array_equal(dec.decode(payload), pcm)
    f = dec.decode(payload, dtype=np.float32)
    assert f.dtype == np.float32
    np.testing.assert_array_equal(f, pcm / np.float32(32768))


def test_g722_round_trip_and_rtp_clock_quirk() -> None:
    # RFC 3551 section 4.5.2: G722 samples at 16 kHz on an 8 kHz RTP clock.
    enc, dec = Encoder("G722"), Decoder("G722", clock_rate_hz=8000)
    assert (enc.sample_rate_hz, enc.rtp_clock_hz, enc.frame_samples) == (16000, 8000, 320)
    assert dec.rtp_clock_hz == 8000 and dec.sample_rate_hz == 16000
    assert codec.rtp_units(enc, enc.frame_samples) == 160
    assert ivrmedia.codec.static_payload(9) == ("G722", 8000, 1)
    with pytest.raises(ValueError, match="clock rate"):
        Encoder("G722", clock_rate_hz=16000)
    x = tone(16000, 16000, 1000.0)
    payloads = encode_frames(enc, x)
    assert [len(p) for p in payloads] == [160] * 50
    y = np.concatenate([dec.decode(p, dtype=np.float32) for p in payloads])
    assert y.shape == x.shape
    # The G.722 QMF pair delays the signal by 22 samples (ITU-T G.722 section 1.4).
    assert snr_db(x[2000:-22], y[2022:]) > 20


@pytest.mark.parametrize(("enc_channels", "dec_channels"), [(1, 1), (1, 2), (2, 1), (2, 2)])
def test_opus_mono_and_stereo_either_way(enc_channels: int, dec_channels: int) -> None:
    # RFC 7587: a receiver decodes mono and stereo packets to the layout it wants.
    enc = Encoder("opus", channels=enc_channels, sample_rate_hz=48000, bitrate_bps=64000)
    dec = Decoder("opus", sample_rate_hz=16000, channels=dec_channels)
    assert enc.rtp_clock_hz == 48000 and dec.rtp_clock_hz == 48000  # RFC 7587 section 4.1
    assert enc.frame_samples == 960
    mono = tone(48000, 48000)
    pcm = np.repeat(mono, enc_channels) if enc_channels == 2 else mono
    payloads = encode_frames(enc, pcm)
    assert len(payloads) == 50
    assert all(0 < len(p) <= enc.max_payload_bytes for p in payloads)
    out = [dec.decode(p) for p in payloads]
    assert all(o.shape == (320 * dec_channels,) and o.dtype == np.int16 for o in out)
    assert dec.samples(payloads[0]) == 320
    y = np.concatenate(out).reshape(-1, dec_channels)
    if enc_channels == 1:
        assert np.all(y[:, 0] == y[:, -1])  # a mono packet plays the same on both sides
    ref = to_s16(tone(16000, 16000))
    # Compare levels after the codec's start-up (delay makes sample-wise SNR meaningless here).
    assert abs(np.std(y[4000:, 0].astype(np.float64)) / np.std(ref[4000:]) - 1) < 0.2


def test_opus_16khz_host_and_float_input() -> None:
    enc = Encoder("opus", sample_rate_hz=16000, ptime_ms=40)
    dec = Decoder("opus", sample_rate_hz=16000)
    assert enc.frame_samples == 640
    assert codec.rtp_units(enc, 640) == 1920  # 40 ms at 48 kHz, whatever the PCM rate
    p = enc.encode(tone(640, 16000))
    assert dec.samples(p) == 640
    assert dec.decode(p, dtype="float32").shape == (640,)
    p16 = enc.encode(to_s16(tone(640, 16000)))
    assert dec.decode(p16).shape == (640,)


def test_payload_buffer_types() -> None:
    enc, dec = Encoder("PCMA"), Decoder("PCMA")
    payload = enc.encode(to_s16(tone(160, 8000)))
    want = dec.decode(payload)
    for view in (bytearray(payload), memoryview(payload), np.frombuffer(payload, np.uint8),
                 np.frombuffer(payload, np.uint8).copy()):
        np.testing.assert_array_equal(dec.decode(view), want)
        assert dec.samples(view) == 160
    with pytest.raises(TypeError, match="bytes, bytearray, memoryview"):
        dec.decode("not bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="format 'h'"):
        dec.decode(np.zeros(80, np.int16))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="contiguous"):
        dec.decode(np.frombuffer(payload * 2, np.uint8)[::2])
    with pytest.raises(ValueError, match="1-D"):
        dec.decode(np.zeros((2, 80), np.uint8))


# --------------------------------------------------------------------------------------------
# Loss


@pytest.mark.parametrize(
    ("name", "kwargs", "spc"),
    [("PCMU", {}, 160), ("PCMA", {}, 80), ("G722", {}, 320),
     ("L16", {"clock_rate_hz": 48000, "channels": 2}, 960),
     ("opus", {"channels": 2}, 960), ("opus", {"sample_rate_hz": 8000}, 20)],
)
def test_conceal_and_fec_lengths(name: str, kwargs: dict, spc: int) -> None:
    dec = Decoder(name, **kwargs)
    ch = dec.channels
    for dtype in (np.int16, np.float32):
        out = dec.conceal(spc, dtype=dtype)
        assert out.dtype == dtype and out.shape == (spc * ch,)
        assert dec.conceal(0, dtype=dtype).shape == (0,)
        assert dec.decode_fec(None, spc, dtype=dtype).shape == (spc * ch,)
    assert dec.has_fec == (name == "opus")
    with pytest.raises(ValueError, match="0..%d" % dec.max_samples):
        dec.conceal(dec.max_samples + 1)
    with pytest.raises(ValueError):
        dec.conceal(-1)


def test_opus_fec_recovers_the_lost_packet() -> None:
    enc = Encoder("opus", sample_rate_hz=16000, expected_loss_percent=20)
    x = to_s16(tone(16000, 16000, 300.0))
    payloads = encode_frames(enc, x)
    lossless, lossy = Decoder("opus", sample_rate_hz=16000), Decoder("opus", sample_rate_hz=16000)
    ref = [lossless.decode(p) for p in payloads]
    for k, p in enumerate(payloads[:30]):
        if k == 20:
            rebuilt = lossy.decode_fec(payloads[21], 320)  # packet 20 lost, 21 arrived
            assert rebuilt.shape == (320,)
            assert snr_db(ref[20], rebuilt) > 3  # FEC is a lower-rate copy, far from silence
        else:
            lossy.decode(p)


def test_loss_size_rules() -> None:
    with pytest.raises(ValueError, match="pairs"):
        Decoder("G722").conceal(321)
    with pytest.raises(ValueError, match="2.5 ms"):
        Decoder("opus").conceal(100)
    with pytest.raises(ValueError, match="2.5 ms"):
        Decoder("opus").decode_fec(b"\x00", 100)


# --------------------------------------------------------------------------------------------
# Errors


def test_unknown_names_and_bad_settings_raise_value_error() -> None:
    with pytest.raises(ValueError, match='"AMR-WB"'):
        Encoder("AMR-WB", clock_rate_hz=16000)
    with pytest.raises(ValueError, match="unknown RTP payload name"):
        Decoder("G729")
    with pytest.raises(ValueError, match="48000"):
        Encoder("opus", clock_rate_hz=8000)
    with pytest.raises(ValueError, match="ptime"):
        Encoder("opus", ptime_ms=30)
    with pytest.raises(ValueError, match="bitrate"):
        Encoder("opus", bitrate_bps=100)
    with pytest.raises(ValueError, match="complexity"):
        Encoder("opus", complexity=11)
    with pytest.raises(ValueError, match="'voip' or 'audio'"):
        Encoder("opus", application="music")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="fullband"):
        Encoder("opus", max_bandwidth="ultra")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="clock rate"):
        Decoder("L16")  # L16 needs its rtpmap clock
    with pytest.raises(ValueError):
        Decoder("PCMU", channels=2)
    with pytest.raises(ValueError, match="max_packet_ms"):
        Decoder("opus", max_packet_ms=200)
    # Every setting that is accepted
    Encoder("opus", application="audio", max_bandwidth="wideband", vbr=False, inband_fec=False,
            dtx=True, complexity=0, expected_loss_percent=0)


def test_processing_errors() -> None:
    enc, dec = Encoder("PCMU"), Decoder("PCMU")
    with pytest.raises(ValueError, match="expected one packet of 160 samples"):
        enc.encode(np.zeros(159, np.int16))
    with pytest.raises(TypeError, match="int16 or float32"):
        enc.encode(np.zeros(160, np.float64))
    with pytest.raises(ValueError, match="1-D"):
        enc.encode(np.zeros((2, 80), np.int16))
    with pytest.raises(ValueError, match="malformed"):
        dec.decode(b"")
    with pytest.raises(ValueError, match="max_packet_ms"):
        dec.decode(bytes(8 * 121))
    with pytest.raises(ValueError, match="int16 or float32"):
        dec.decode(bytes(160), dtype=np.float64)
    with pytest.raises(ValueError, match="malformed"):
        Decoder("L16", clock_rate_hz=8000).decode(b"\x01\x02\x03")
    with pytest.raises(ValueError, match="malformed"):
        Decoder("opus").decode(b"\x03\x31")  # RFC 6716 code 3 packet claiming 49 frames


def test_random_payloads_raise_or_decode() -> None:
    rng = np.random.default_rng(20261128)
    dec = Decoder("opus", channels=2)
    for _ in range(300):
        p = rng.integers(0, 256, rng.integers(0, 1400), dtype=np.uint8)
        try:
            out = dec.decode(p)
        except ValueError:
            continue
        assert out.size <= dec.max_samples * 2


# --------------------------------------------------------------------------------------------
# Package, threads


def test_static_payload_types() -> None:
    assert codec.static_payload(0) == ("PCMU", 8000, 1)
    assert codec.static_payload(8) == ("PCMA", 8000, 1)
    for pt in (-1, 10, 11, 18, 96, 127):
        assert codec.static_payload(pt) is None


def test_reprs_reset_and_docstrings() -> None:
    enc, dec = Encoder("g722"), Decoder("Opus", clock_rate_hz=48000, channels=2)
    assert repr(enc) == "Encoder('G722', sample_rate_hz=16000, channels=1, rtp_clock_hz=8000)"
    assert repr(dec) == "Decoder('opus', sample_rate_hz=48000, channels=2, rtp_clock_hz=48000)"
    enc.reset()
    dec.reset()
    assert ivrmedia.Encoder is Encoder and ivrmedia.Decoder is Decoder
    for obj in (Encoder, Decoder, Encoder.encode, Decoder.decode, Decoder.conceal,
                Decoder.decode_fec, Decoder.samples, codec.static_payload, codec.rtp_units):
        assert obj.__doc__ and obj.__doc__.strip()


def test_coders_on_threads_match_sequential_results() -> None:
    x = to_s16(tone(48000, 48000))
    want = encode_frames(Encoder("opus"), x)
    results: list[list[bytes]] = [[] for _ in range(4)]

    def work(i: int) -> None:
        results[i] = encode_frames(Encoder("opus"), x)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == want for r in results)


def test_one_coder_on_two_threads_is_refused_not_corrupted(errors_on_threads) -> None:
    # The GIL is released while a coder runs; a second thread entering the same object is
    # refused with RuntimeError instead of racing inside libopus.
    enc = Encoder("opus", complexity=10)
    frame = to_s16(tone(960, 48000))
    errors = errors_on_threads(lambda: enc.encode(frame), 200)
    assert all("two threads" in e for e in errors)
