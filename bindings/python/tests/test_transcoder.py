"""Transcoder from Python: PCMU -> PCMA is exactly ITU-T G.711 decode then encode, G722 -> PCMU
keeps RTP timestamps locked (RFC 3551: G722's clock is 8000 Hz) with exact statistics through
losses, opus in-band FEC, channel mapping, loss sizes, errors, buffer types and threads."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import ivrmedia
from ivrmedia import Encoder, Transcoder, TranscoderStats, codec, g711


def tone(n: int, rate: int, freq: float = 440.0, amplitude: float = 0.25) -> np.ndarray:
    t = np.arange(n) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def encode_frames(enc: Encoder, pcm: np.ndarray) -> list[bytes]:
    n = enc.frame_samples * enc.channels
    return [enc.encode(pcm[i : i + n]) for i in range(0, pcm.size - n + 1, n)]


def check_invariants(tc: Transcoder) -> None:
    """The accounting the C++ Transcoder promises, after every call."""
    s, i, o = tc.stats, tc.input_info, tc.output_info
    assert s.output_samples + s.buffered_samples == s.resampled_samples
    assert s.resampled_samples == s.decoded_samples * o.sample_rate_hz // i.sample_rate_hz
    assert 0 <= s.buffered_samples < o.frame_samples
    assert s.output_samples == s.packets_out * o.frame_samples


# --------------------------------------------------------------------------------------------
# Round trips


def test_pcmu_to_pcma_is_g711_decode_then_encode() -> None:
    tc = Transcoder("PCMU", "PCMA")
    assert tc.latency_samples == 0.0  # same rate: no resampler
    x = np.round(tone(8000, 8000, 1000.0) * 32767).astype(np.int16)
    ulaw = g711.encode(x, "ulaw")
    want = g711.encode(g711.decode(ulaw, "ulaw"), "alaw")
    out: list[bytes] = []
    # Input payloads of 10, 30 and 20 ms in turn; output payloads of 20 ms.
    sizes, offset, k = (80, 240, 160), 0, 0
    while offset < ulaw.size:
        n = sizes[k % 3]
        got = tc.push(ulaw[offset : offset + n].tobytes())
        assert all(isinstance(p, bytes) for p in got)
        out += got
        offset += n
        k += 1
        check_invariants(tc)
    assert [len(p) for p in out] == [160] * 50
    np.testing.assert_array_equal(np.frombuffer(b"".join(out), np.uint8), want)
    assert tc.stats.packets_in == k and tc.stats.packets_out == 50


def test_g722_to_pcmu_keeps_rtp_timestamps_locked_through_losses() -> None:
    # RFC 3551: G722 is 16 kHz audio on an 8 kHz RTP clock; each 20 ms packet advances it 160.
    tc = Transcoder("G722", "PCMU", ptime_ms=30)
    i, o = tc.input_info, tc.output_info
    assert (i.name, i.sample_rate_hz, i.rtp_clock_hz, i.max_samples) == ("G722", 16000, 8000, 1920)
    assert (o.name, o.sample_rate_hz, o.frame_samples, o.max_payload_bytes) == ("PCMU", 8000, 240,
                                                                                240)
    assert tc.latency_samples > 0
    payloads = encode_frames(Encoder("G722"), tone(16000 * 3, 16000, 1000.0))
    input_units = output_units = 0
    for k, p in enumerate(payloads):
        got = tc.push_loss(160) if k % 11 == 5 else tc.push(p)
        assert all(len(q) == 240 for q in got)
        input_units += 160
        output_units += 240 * len(got)
        check_invariants(tc)
        # Output timestamps plus what waits are the input's, exactly (both clocks are 8000).
        assert output_units + tc.stats.buffered_samples == input_units
    s = tc.stats
    assert s.concealed_samples == 320 * (len(payloads) // 11 + (len(payloads) % 11 > 5))
    assert s.decoded_samples == 2 * input_units
    assert s.packets_in + s.concealed_samples // 320 == len(payloads)
    assert s.malformed == 0
    assert codec.rtp_units(o, o.frame_samples) == 240


def test_opus_decodes_at_the_g711_rate_and_fec_rebuilds_a_loss() -> None:
    enc = Encoder("opus", sample_rate_hz=48000, expected_loss_percent=20)
    payloads = encode_frames(enc, tone(48000, 48000, 300.0))
    tc = Transcoder("opus", "PCMA", input_clock_rate_hz=48000)
    assert tc.input_info.sample_rate_hz == 8000 and tc.input_info.rtp_clock_hz == 48000
    assert tc.latency_samples == 0.0  # libopus decodes straight at 8 kHz
    out = []
    for k, p in enumerate(payloads):
        got = tc.push_fec(payloads[k + 1], 960) if k == 20 else tc.push(p)
        assert [len(q) for q in got] == [160]
        out += got
    assert tc.stats.concealed_samples == 160 and tc.stats.packets_in == len(payloads) - 1
    with pytest.raises(ValueError, match="next_payload is empty; use push_loss"):
        tc.push_fec(b"", 960)


def test_pcmu_to_opus_and_back_to_g711() -> None:
    up = Transcoder("PCMU", "opus", output_clock_rate_hz=48000, output_channels=2, ptime_ms=40,
                    bitrate_bps=32000, complexity=3)
    assert up.output_info.sample_rate_hz == 8000  # encodes at the input's rate
    assert up.output_info.channels == 2 and up.output_info.rtp_clock_hz == 48000
    assert up.output_info.frame_samples == 320
    pcmu = g711.encode(tone(8000, 8000), "ulaw")
    down = Transcoder("opus", "PCMU")
    back = []
    for i in range(0, pcmu.size, 160):
        for p in up.push(pcmu[i : i + 160]):
            assert 0 < len(p) <= up.output_info.max_payload_bytes
            back += down.push(p)
    assert up.stats.packets_out == 25
    assert len(back) == 50 and all(len(p) == 160 for p in back)


def test_channel_mapping_averages_and_duplicates() -> None:
    down = Transcoder("L16", "L16", input_clock_rate_hz=8000, input_channels=2,
                      output_clock_rate_hz=8000, output_channels=1)
    stereo = np.empty((160, 2), ">i2")
    stereo[:, 0], stereo[:, 1] = 1000, 3000
    (mono,) = down.push(stereo.tobytes())
    np.testing.assert_array_equal(np.frombuffer(mono, ">i2"), np.full(160, 2000))
    up = Transcoder("PCMU", "L16", output_clock_rate_hz=8000, output_channels=2)
    (both,) = up.push(bytes([0x80] * 160))  # mu-law 0x80 = +32124
    np.testing.assert_array_equal(np.frombuffer(both, ">i2").reshape(-1, 2),
                                  np.full((160, 2), 32124))


# --------------------------------------------------------------------------------------------
# Loss sizes and errors


def test_loss_sizes() -> None:
    tc = Transcoder("G722", "PCMU")
    assert tc.push_loss(0) == []
    assert len(tc.push_loss(960)) == 6  # 120 ms = max_packet_ms
    tc.push_loss(1)  # one 8 kHz clock unit = two 16 kHz samples
    assert tc.stats.concealed_samples == 1922
    with pytest.raises(ValueError, match="rtp_units -1 refused"):
        tc.push_loss(-1)
    with pytest.raises(ValueError, match=r"longer than max_packet_ms \(960 units\)"):
        tc.push_loss(961)
    short = Transcoder("G722", "PCMU", max_packet_ms=20)
    with pytest.raises(ValueError, match=r"max_packet_ms \(160 units\)"):
        short.push_loss(320)
    opus = Transcoder("opus", "PCMU")
    with pytest.raises(ValueError, match="2.5 ms steps"):
        opus.push_loss(100)
    with pytest.raises(ValueError, match="2.5 ms steps"):
        opus.push_fec(b"\x08", 60)
    assert opus.push_loss(120) == [] and opus.stats.concealed_samples == 20
    check_invariants(tc)


def test_malformed_and_oversized_payloads() -> None:
    tc = Transcoder("L16", "PCMU", input_clock_rate_hz=8000)
    with pytest.raises(ValueError, match="payload of 3 bytes: malformed"):
        tc.push(b"\x01\x02\x03")
    with pytest.raises(ValueError, match="malformed"):
        tc.push(b"")
    assert tc.stats.malformed == 2 and tc.stats.packets_in == 0
    with pytest.raises(ValueError, match="longer than max_packet_ms"):
        tc.push(bytes(2 * 8 * 121))
    assert tc.stats.decoded_samples == 0 and tc.stats.malformed == 2  # refused, not counted
    assert len(tc.push(bytes(320))) == 1  # still works


def test_payload_buffer_types() -> None:
    tc = Transcoder("PCMA", "PCMU")
    p = bytes(range(160))
    want = tc.push(p)
    for view in (bytearray(p), memoryview(p), np.frombuffer(p, np.uint8)):
        assert tc.push(view) == want
    with pytest.raises(TypeError, match="bytes, bytearray, memoryview"):
        tc.push("not bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="format 'h'"):
        tc.push(np.zeros(80, np.int16))  # type: ignore[arg-type]


def test_creation_errors() -> None:
    with pytest.raises(ValueError, match="unknown RTP payload name"):
        Transcoder("G729", "PCMU")
    with pytest.raises(ValueError, match='"AMR"'):
        Transcoder("PCMU", "AMR")
    with pytest.raises(ValueError, match="ptime"):
        Transcoder("PCMU", "opus", ptime_ms=30)
    with pytest.raises(ValueError, match="clock rate"):
        Transcoder("L16", "PCMU")
    with pytest.raises(ValueError, match="'fast', 'standard' or 'high'"):
        Transcoder("PCMU", "G722", quality="best")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'voip' or 'audio'"):
        Transcoder("PCMU", "opus", application="music")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_packet_ms"):
        Transcoder("PCMU", "PCMA", max_packet_ms=500)
    with pytest.raises(TypeError):
        Transcoder("PCMU", "PCMA", 8000)  # type: ignore[misc]  # keywords only after the names
    for quality in ("fast", "standard", "high"):
        assert Transcoder("pcmu", "g722", quality=quality).output_info.name == "G722"


# --------------------------------------------------------------------------------------------
# Stats, reset, package, threads


def test_stats_reset_repr_and_docstrings() -> None:
    tc = Transcoder("G722", "PCMA", ptime_ms=10)
    tc.push(bytes(160))
    s = tc.stats
    assert isinstance(s, TranscoderStats)
    assert (s.decoded_samples, s.packets_in, s.packets_out) == (320, 1, 2)
    assert s == tc.stats and "decoded_samples=320" in repr(s)
    tc.reset()
    z = tc.stats
    assert (z.decoded_samples, z.output_samples, z.packets_in, z.buffered_samples) == (0, 0, 0, 0)
    assert s != z
    assert repr(tc) == "Transcoder('G722' 16000 Hz x1 -> 'PCMA' 8000 Hz x1, ptime_ms=10)"
    assert repr(tc.input_info) == (
        "CodecInfo('G722', sample_rate_hz=16000, channels=1, rtp_clock_hz=8000)")
    assert ivrmedia.Transcoder is Transcoder and codec.Transcoder is Transcoder
    for obj in (Transcoder, Transcoder.push, Transcoder.push_loss, Transcoder.push_fec,
                Transcoder.reset, TranscoderStats, ivrmedia.CodecInfo):
        assert obj.__doc__ and obj.__doc__.strip()


def test_transcoders_on_threads_match_sequential_results() -> None:
    payloads = encode_frames(Encoder("G722"), tone(16000, 16000))
    sequential = Transcoder("G722", "opus")
    want = [q for p in payloads for q in sequential.push(p)]
    results: list[list[bytes]] = [[] for _ in range(4)]

    def work(i: int) -> None:
        tc = Transcoder("G722", "opus")
        results[i] = [q for p in payloads for q in tc.push(p)]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == want for r in results)


def test_one_transcoder_on_two_threads_is_refused_not_corrupted(errors_on_threads) -> None:
    tc = Transcoder("PCMU", "opus", complexity=10)
    payload = bytes(g711.encode(tone(160, 8000), "ulaw"))
    errors = errors_on_threads(lambda: tc.push(payload), 200)
    assert all("two threads" in e for e in errors)
    check_invariants(tc)
