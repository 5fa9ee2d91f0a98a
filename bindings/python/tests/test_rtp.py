"""RTP from Python: RFC 3550 packets built and parsed (RFC 8285 extensions, CSRCs, padding),
malformed datagrams rejected with a reason, 16/32-bit wraps, RFC 3550 appendix A.1 sequence
tracking, RFC 4733 telephone events sent and received, RFC 3550 section 6.4.1 jitter."""

from __future__ import annotations

import struct

import numpy as np
import pytest

import ivrmedia
from ivrmedia import rtp


def header(seq: int = 1, ts: int = 160, ssrc: int = 0x11223344, pt: int = 0, marker: bool = False,
           cc: int = 0, x: bool = False, p: bool = False, version: int = 2) -> bytes:
    b0 = (version << 6) | (0x20 if p else 0) | (0x10 if x else 0) | cc
    b1 = (0x80 if marker else 0) | pt
    return struct.pack("!BBHII", b0, b1, seq, ts, ssrc)


# --------------------------------------------------------------------------------------------
# Build and parse


def test_build_parse_round_trip() -> None:
    b = rtp.Builder(8, 8000, ssrc=0xDEADBEEF, first_sequence=100, first_timestamp=5000)
    assert (b.payload_type, b.clock_rate_hz, b.ssrc) == (8, 8000, 0xDEADBEEF)
    payload = bytes(range(160))
    d1 = b.build(payload, 160, marker=True)
    d2 = b.build(bytearray(payload), 160)
    assert isinstance(d1, bytes) and len(d1) == 12 + 160
    p1, p2 = rtp.parse(d1), rtp.parse(memoryview(d2))
    assert (p1.marker, p1.payload_type, p1.sequence, p1.timestamp, p1.ssrc) == (
        True, 8, 100, 5000, 0xDEADBEEF)
    assert (p2.marker, p2.sequence, p2.timestamp) == (False, 101, 5160)
    assert p1.payload == payload and p1.size == len(d1)
    assert p1.csrcs == [] and p1.extension_profile is None and p1.extension_form == "none"
    assert p1.extensions == [] and p1.padding_bytes == 0
    assert (b.next_sequence, b.next_timestamp, b.packets, b.payload_octets) == (102, 5320, 2, 320)
    # A uint8 array is a datagram too, and equal packets compare equal.
    assert rtp.parse(np.frombuffer(d1, np.uint8)) == p1
    assert p1 != p2


def test_csrcs_and_rfc8285_extensions() -> None:
    b = rtp.Builder(96, 48000, ssrc=7)
    b.set_csrcs([1, 2, 0xFFFFFFFF])
    one = rtp.parse(b.build(b"abc", 960, extensions={1: b"\x05", 14: bytes(16)}))
    assert one.csrcs == [1, 2, 0xFFFFFFFF]
    assert one.extension_profile == 0xBEDE and one.extension_form == "one_byte"
    assert one.extensions == [(1, b"\x05"), (14, bytes(16))]
    assert len(one.extension_data) % 4 == 0 and one.payload == b"abc"
    # An ID of 15 or an empty element needs the two-byte form (RFC 8285 section 4.3).
    two = rtp.parse(b.build(b"abc", 960, extensions=[(15, b"x"), (200, b"")]))
    assert two.extension_form == "two_byte" and two.extension_profile == 0x1000
    assert two.extensions == [(15, b"x"), (200, b"")]
    assert b.packet_size(3, {1: b"\x05"}) == 12 + 12 + 8 + 3
    with pytest.raises(ValueError, match="RFC 8285"):
        b.build(b"", 0, extensions={1: bytes(256)})
    with pytest.raises(ValueError, match="15"):
        b.set_csrcs(list(range(16)))


def test_padding_and_other_profiles_parse() -> None:
    # RFC 3550 section 5.1: the last octet counts the padding, itself included.
    d = header(p=True) + b"\x01\x02\x03" + b"\x00\x00\x03"
    p = rtp.parse(d)
    assert p.payload == b"\x01\x02\x03" and p.padding_bytes == 3
    raw = header(x=True) + struct.pack("!HH", 0xABCD, 1) + b"wxyz" + b"pl"
    p = rtp.parse(raw)
    assert p.extension_profile == 0xABCD and p.extension_form == "other"
    assert p.extension_data == b"wxyz" and p.extensions == [] and p.payload == b"pl"
    assert rtp.parse(header()).payload == b""  # empty payloads are keepalives


@pytest.mark.parametrize(
    ("datagram", "reason"),
    [
        (b"", "too_short"),
        (header()[:11], "too_short"),
        (header(version=1) + b"x", "bad_version"),
        (header(cc=2) + b"\x00" * 7, "csrc_overrun"),
        (header(x=True) + b"\xbe\xde", "extension_overrun"),
        (header(x=True) + b"\xbe\xde\x00\x02" + b"\x00" * 4, "extension_overrun"),
        (header(p=True) + b"ab\x00", "bad_padding"),
        (header(p=True) + b"ab\x09", "bad_padding"),
    ],
)
def test_malformed_datagrams_raise_with_reason(datagram: bytes, reason: str) -> None:
    with pytest.raises(rtp.MalformedPacket) as info:
        rtp.parse(datagram)
    assert info.value.reason == reason
    assert isinstance(info.value, ValueError)  # the package's idiom for bad input
    assert ivrmedia.MalformedPacket is rtp.MalformedPacket
    assert rtp.try_parse(datagram) is None


def test_broken_rfc8285_element_keeps_the_packet() -> None:
    # RFC 8285: an element past its block spoils the extension, not the audio.
    p = rtp.parse(header(x=True) + b"\xbe\xde\x00\x01" + b"\x10\x85\x13a" + b"pcm")
    assert p.payload == b"pcm"
    assert p.extensions == [(1, b"\x85")]  # the elements before the broken one


def test_random_datagrams_parse_or_raise() -> None:
    rng = np.random.default_rng(4733)
    good = rtp.Builder(0, seed=1).build(bytes(20), 160, extensions={3: b"abcd"})
    accepted = 0
    for _ in range(3000):
        if rng.random() < 0.5:
            d = bytearray(good)
            for _ in range(rng.integers(1, 4)):
                d[rng.integers(0, len(d))] = rng.integers(0, 256)
            d = bytes(d[: rng.integers(0, len(d) + 1)])
        else:
            d = rng.integers(0, 256, rng.integers(0, 64), dtype=np.uint8).tobytes()
        try:
            p = rtp.parse(d)
        except rtp.MalformedPacket as e:
            assert e.reason in ("too_short", "bad_version", "csrc_overrun", "extension_overrun",
                                "bad_padding", "bad_extension_element")
            continue
        accepted += 1
        assert len(p.payload) + p.padding_bytes + 12 + 4 * len(p.csrcs) <= len(d)
    assert accepted > 100


def test_argument_errors() -> None:
    with pytest.raises(TypeError, match="bytes, bytearray, memoryview"):
        rtp.parse("not bytes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="payload type"):
        rtp.Builder(128)
    with pytest.raises(ValueError, match="clock"):
        rtp.Builder(0, 0)
    with pytest.raises(ValueError, match="ssrc must be 0..4294967295"):
        rtp.Builder(0, ssrc=-1)
    with pytest.raises(ValueError, match="first_sequence"):
        rtp.Builder(0, first_sequence=65536)
    b = rtp.Builder(0)
    with pytest.raises(ValueError, match="rtp_units"):
        b.build(b"", 2**32)
    with pytest.raises(ValueError, match="payload_type must be 0..127"):
        b.build_at(200, b"", 0)


# --------------------------------------------------------------------------------------------
# Random start (RFC 3550 section 5.1), wraps, build_at, skip


def test_seeded_builder_is_random_and_reproducible() -> None:
    configs = {(b.ssrc, b.next_sequence, b.next_timestamp)
               for b in (rtp.Builder(0, seed=s) for s in range(50))}
    assert len(configs) == 50
    a, b = rtp.Builder(0, seed=99), rtp.Builder(0, seed=99)
    assert (a.ssrc, a.next_sequence, a.next_timestamp) == (b.ssrc, b.next_sequence,
                                                           b.next_timestamp)
    # Below 0x8000 so an SRTP receiver's rollover guess holds (RFC 3711 section 3.3.1).
    assert all(rtp.Builder(0, seed=s).next_sequence < 0x8000 for s in range(200))
    c = rtp.Builder(0, seed=99, ssrc=5)  # explicit values override the draw
    assert c.ssrc == 5 and c.next_sequence == a.next_sequence
    assert rtp.Builder(0).ssrc == 0 and rtp.Builder(0).next_sequence == 0


def test_sequence_and_timestamp_wrap_and_tracking() -> None:
    b = rtp.Builder(0, ssrc=9, first_sequence=65533, first_timestamp=2**32 - 320)
    tracker = rtp.SequenceTracker()
    results = []
    for _ in range(6):
        p = rtp.parse(b.build(bytes(160), 160))
        results.append((p.sequence, p.timestamp, tracker.update(p)))
    assert [s for s, _, _ in results] == [65533, 65534, 65535, 0, 1, 2]
    assert [t for _, t, _ in results] == [2**32 - 320, 2**32 - 160, 0, 160, 320, 480]
    assert results[0][2].verdict == "probation"  # RFC 3550 A.1 MIN_SEQUENTIAL = 2
    ext = [r.extended_sequence for _, _, r in results]
    assert ext == list(range(65533, 65539))  # unwrapped across the 16-bit wrap
    ts = [r.extended_timestamp for _, _, r in results]
    assert ts == [2**32 - 320 + 160 * k for k in range(6)]
    assert all(r.accepted for _, _, r in results[1:])
    assert tracker.stats.received == 6 and tracker.lost == 0 and tracker.expected == 6


def test_sequence_tracker_loss_reorder_duplicates() -> None:
    t = rtp.SequenceTracker(probation=1)
    seqs = [10, 11, 13, 12, 12, 16, 300, 299, 15]
    verdicts = [t.update(1, s, s * 160).verdict for s in seqs]
    assert verdicts == ["restarted", "in_order", "in_order", "reordered", "duplicate",
                        "in_order", "in_order", "reordered", "bad_jump"]
    # 15 is 285 behind the highest: beyond max_misorder (100), an implausible jump.
    assert t.stats.duplicates == 1 and t.stats.reordered == 2 and t.stats.bad_jumps == 1
    assert t.expected == 291 and t.lost == 291 - 7
    iv = t.interval()
    assert (iv.expected, iv.received, iv.lost) == (291, 7, 284)
    assert iv.fraction_lost == 284 * 256 // 291
    assert t.interval().expected == 0
    # A jump beyond max_dropout is dropped, then resynchronized on when the sender continues.
    t2 = rtp.SequenceTracker(probation=1, max_dropout=100)
    t2.update(1, 0, 0)
    assert t2.update(1, 5000, 0).verdict == "bad_jump"
    assert t2.update(1, 5001, 160).verdict == "restarted" and t2.generation == 2
    with pytest.raises(ValueError):
        rtp.SequenceTracker(probation=0)
    with pytest.raises(ValueError, match="sequence must be 0..65535"):
        t.update(1, 70000, 0)


def test_build_at_and_skip() -> None:
    b = rtp.Builder(0, ssrc=1, first_sequence=10, first_timestamp=1000)
    b.build(bytes(160), 160)
    ev = rtp.parse(b.build_at(101, b"\x05\x0a\x00\xa0", 800, marker=True))
    assert (ev.payload_type, ev.sequence, ev.timestamp, ev.marker) == (101, 11, 800, True)
    assert b.next_timestamp == 1160  # the stream's timestamp did not move
    b.skip(480)
    p = rtp.parse(b.build(bytes(160), 160, marker=True))
    assert (p.sequence, p.timestamp, p.payload_type) == (12, 1640, 0)
    b.reset()
    assert (b.next_sequence, b.next_timestamp, b.packets) == (10, 1000, 0)


# --------------------------------------------------------------------------------------------
# RFC 4733


def test_event_characters() -> None:
    chars = "0123456789*#ABCD!"
    assert [rtp.event_char(c) for c in range(17)] == list(chars)
    assert rtp.event_char(17) is None and rtp.event_char(200) is None
    assert [rtp.event_code(c) for c in chars] == list(range(17))
    assert rtp.event_code("a") == 12
    with pytest.raises(ValueError):
        rtp.event_code("x")
    e = rtp.parse_event(b"\x0b\x8a\x03\x20extra")  # '#', E, volume 10, 800 units
    assert (e.code, e.end, e.volume, e.duration) == (11, True, 10, 800)
    with pytest.raises(ValueError, match="at least 4"):
        rtp.parse_event(b"\x01\x02")


def test_sender_receiver_round_trip() -> None:
    # RFC 4733 section 2.5: marker on the first packet, one onset timestamp, growing duration,
    # the end packet three times; the receiver reports one begin and one end.
    b = rtp.Builder(0, ssrc=3, seed=8)
    datagrams = rtp.event_datagrams(b, "7", 101, 123456, duration_ms=100)
    assert len(datagrams) == 5 + 3
    packets = [rtp.parse(d) for d in datagrams]
    assert [p.marker for p in packets] == [True] + [False] * 7
    assert {p.timestamp for p in packets} == {123456}
    assert {p.payload_type for p in packets} == {101}
    durations = [rtp.parse_event(p.payload).duration for p in packets]
    assert durations == [160, 320, 480, 640, 800] + [800] * 3
    rx = rtp.TelephoneEventReceiver()
    events = []
    for i, p in enumerate(packets):
        events += rx.push(p, i * 20_000)
    assert [(e.phase, e.digit, e.cause) for e in events] == [("begin", "7", "none"),
                                                            ("end", "7", "end_bit")]
    end = events[1]
    assert end.duration == 800 and end.duration_ms == 100.0 and end.start == 123456
    assert not end.start_lost and end.volume == 10
    assert rx.stats.retransmitted_ends == 2 and rx.stats.events == 1 and not rx.active


def test_receiver_lost_packets_and_timeout() -> None:
    b = rtp.Builder(0, ssrc=3)
    packets = [rtp.parse(d) for d in rtp.event_datagrams(b, "A", 101, 1000, 60)]
    rx = rtp.TelephoneEventReceiver(end_timeout_ms=200)
    # The first packet and every end packet lost.
    events = rx.push(packets[1], 20_000) + rx.push(packets[2], 40_000)
    assert [(e.phase, e.digit, e.start_lost) for e in events] == [("begin", "A", True)]
    assert rx.active and rx.poll(100_000) == []
    (end,) = rx.poll(240_000)
    assert (end.phase, end.cause, end.duration) == ("end", "timeout", 480)
    # The field-wise push and finish()
    rx.push(b"\x01\x00\x00\xa0", 7, 5000, True, 300_000)
    (flushed,) = rx.finish(310_000)
    assert (flushed.digit, flushed.cause) == ("1", "flushed")
    with pytest.raises(ValueError, match="at least 4"):
        rx.push(b"\x01", 8, 6000, True, 320_000)
    assert rx.stats.malformed == 1


def test_sender_states() -> None:
    s = rtp.TelephoneEventSender(interval_ms=10)
    assert s.next() is None and not s.active and s.interval_units == 80
    with pytest.raises(RuntimeError, match="no event"):
        s.end()
    s.begin("#", 0)
    with pytest.raises(RuntimeError, match="another event"):
        s.begin("1", 0)
    first = s.next()
    assert first is not None and first.marker and not first.end and s.elapsed == 80
    with pytest.raises(ValueError, match="0-9"):
        rtp.TelephoneEventSender().begin("x", 0)
    with pytest.raises(ValueError):
        rtp.TelephoneEventSender().begin(5, 0, volume=64)
    with pytest.raises(ValueError):
        rtp.TelephoneEventSender(interval_ms=1)


# --------------------------------------------------------------------------------------------
# RFC 3550 section 6.4.1


def test_interarrival_jitter() -> None:
    j = rtp.InterarrivalJitter(8000)
    for k in range(100):
        j.update(160 * k, 20_000 * k)
    assert j.jitter == 0.0 and j.packets == 100
    j.reset()
    # Arrivals alternately 10 ms early and late: |D| = 20 ms = 160 units, J -> 160.
    for k in range(400):
        j.update(160 * k, 20_000 * k + (10_000 if k % 2 else -10_000))
    assert j.jitter == pytest.approx(160, rel=1e-3)
    assert j.rtp_units == 159 or j.rtp_units == 160
    assert j.jitter_ms == pytest.approx(20, rel=1e-3)
    with pytest.raises(ValueError):
        rtp.InterarrivalJitter(0)


def test_emodel_rating() -> None:
    # ITU-T G.107 section 7.7: the default connection with no delay rates R = 93.2.
    best = rtp.emodel_rating("g711")
    assert best.scale == "narrowband" and best.r == pytest.approx(93.2, abs=0.1)
    assert best.mos == pytest.approx(4.41, abs=0.01)
    # Loss and delay lower R; bursty loss more than random loss; concealment helps.
    lossy = rtp.emodel_rating("g711_plc", 80, 5)
    assert lossy.r < best.r and lossy.ie_eff > 0
    assert rtp.emodel_rating("g711_plc", 80, 5, burst_ratio=2).r < lossy.r
    assert rtp.emodel_rating("g711", 80, 5).r < lossy.r
    assert rtp.emodel_rating("g711", 300).id > rtp.emodel_rating("g711", 100).id
    wb = rtp.emodel_rating("g722")
    assert wb.scale == "wideband" and wb.r > 100
    assert wb.r_narrowband_equivalent == pytest.approx(wb.r / 1.29)
    assert rtp.emodel_rating("opus", advantage=10).advantage == 10
    with pytest.raises(ValueError, match="'g711', 'g711_plc'"):
        rtp.emodel_rating("amr")  # type: ignore[arg-type]


def test_docstrings_and_reprs() -> None:
    for obj in (rtp.parse, rtp.try_parse, rtp.parse_event, rtp.event_char, rtp.event_code,
                rtp.event_datagrams, rtp.Builder, rtp.Builder.build, rtp.Builder.build_at,
                rtp.SequenceTracker, rtp.SequenceTracker.update, rtp.TelephoneEventReceiver,
                rtp.TelephoneEventReceiver.push, rtp.TelephoneEventSender, rtp.InterarrivalJitter,
                rtp.MalformedPacket, rtp.Packet, rtp.emodel_rating, rtp.Rating):
        assert obj.__doc__ and obj.__doc__.strip()
    assert repr(rtp.Builder(0, ssrc=1)) == "Builder(payload_type=0, clock_rate_hz=8000, ssrc=1)"
    r = rtp.SequenceTracker(probation=1).update(1, 2, 3)
    assert repr(r).startswith("SequenceResult(verdict='restarted', accepted=True")
    assert r.to_dict()["extended_sequence"] == 2
