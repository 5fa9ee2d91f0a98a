"""RTP packets (RFC 3550, RFC 8285 header extensions), sequence tracking and RFC 4733 events.

Receiving::

    packet = ivrmedia.rtp.parse(datagram)       # raises ivrmedia.MalformedPacket if not RTP
    packet.payload_type, packet.sequence, packet.timestamp, packet.payload, packet.extensions

    tracker = ivrmedia.rtp.SequenceTracker()
    result = tracker.update(packet)             # verdict, 64-bit extended numbers, gap
    tracker.lost, tracker.stats

Sending::

    builder = ivrmedia.rtp.Builder(0, 8000, seed=secrets.randbits(64))   # PCMU
    datagram = builder.build(payload, rtp_units=160, marker=first_of_talkspurt)

RFC 4733 events (DTMF over RTP) are received with TelephoneEventReceiver (one 'begin' and one
'end' per key press, whatever the network did to the packets) and sent with
TelephoneEventSender; `event_datagrams` makes the whole packet train of one key press.
InterarrivalJitter is RFC 3550's jitter estimate and `emodel_rating` the ITU-T G.107 E-model
(R and MOS for a codec, delay and loss). A datagram that is not RTP raises `MalformedPacket`,
a ValueError whose `reason` says why ('too_short', 'bad_version', 'csrc_overrun',
'extension_overrun', 'bad_padding', 'bad_extension_element'). Timestamps are RTP clock units; times are integer microseconds on any
clock the caller chooses (the library never reads one).
"""

from __future__ import annotations

from typing import List, Literal, Optional, Union

from ivrmedia import _ivrmedia

MalformedPacket = _ivrmedia.MalformedPacket
Packet = _ivrmedia.Packet
Builder = _ivrmedia.Builder
SequenceTracker = _ivrmedia.SequenceTracker
SequenceResult = _ivrmedia.SequenceResult
SequenceStats = _ivrmedia.SequenceStats
SequenceInterval = _ivrmedia.SequenceInterval
TelephoneEvent = _ivrmedia.TelephoneEvent
TelephoneEventStats = _ivrmedia.TelephoneEventStats
TelephoneEventReceiver = _ivrmedia.TelephoneEventReceiver
TelephoneEventSender = _ivrmedia.TelephoneEventSender
EventPacket = _ivrmedia.EventPacket
EventPayload = _ivrmedia.EventPayload
InterarrivalJitter = _ivrmedia.InterarrivalJitter
Rating = _ivrmedia.Rating

Datagram = Union[bytes, bytearray, memoryview]

__all__ = [
    "MalformedPacket",
    "Packet",
    "parse",
    "try_parse",
    "Builder",
    "SequenceTracker",
    "SequenceResult",
    "SequenceStats",
    "SequenceInterval",
    "TelephoneEvent",
    "TelephoneEventStats",
    "TelephoneEventReceiver",
    "TelephoneEventSender",
    "EventPacket",
    "EventPayload",
    "InterarrivalJitter",
    "Rating",
    "emodel_rating",
    "parse_event",
    "event_char",
    "event_code",
    "event_datagrams",
]


def parse(datagram: Datagram) -> Packet:
    """Return the Packet in `datagram` (bytes, bytearray, memoryview or a 1-D uint8 array).

    Raises MalformedPacket (a ValueError) with `reason` when the datagram is not valid RTP. The
    Packet owns copies of its parts; the datagram may be reused afterwards.
    """
    return _ivrmedia.rtp_parse(datagram)


def try_parse(datagram: Datagram) -> Optional[Packet]:
    """Return the Packet in `datagram`, or None when it is not valid RTP (see parse)."""
    try:
        return _ivrmedia.rtp_parse(datagram)
    except MalformedPacket:
        return None


def emodel_rating(
    codec: Literal["g711", "g711_plc", "g722", "opus"],
    mouth_to_ear_ms: float = 0.0,
    packet_loss_percent: float = 0.0,
    burst_ratio: float = 1.0,
    *,
    advantage: float = 0.0,
    talker_echo_ms: Optional[float] = None,
    round_trip_ms: Optional[float] = None,
) -> Rating:
    """Return the ITU-T G.107 E-model Rating (R, MOS-CQE, impairments) of one call direction.

    G.107's default connection (Table 2) with the G.113 impairment of `codec` ('g711_plc' is
    G.711 with Appendix I concealment; 'g722' and 'opus' are rated on G.107.1's wideband scale,
    R up to 129), a one-way `mouth_to_ear_ms`, `packet_loss_percent` (lost and discarded) with
    its `burst_ratio` (1: random loss), and the advantage factor A. The echo path delays default
    to the mouth-to-ear delay and twice it. Out-of-range conditions are clamped. For curves of
    MOS against loss or delay; a JitterBuffer's statistics carry the same estimate for its call.
    """
    return _ivrmedia.rtp_emodel_rating(codec, mouth_to_ear_ms, packet_loss_percent, burst_ratio,
                                       advantage, talker_echo_ms, round_trip_ms)


def parse_event(payload: Datagram) -> EventPayload:
    """Return the first RFC 4733 event block of a telephone-event payload.

    Fields: code (0-255), end (E bit), volume (-dBm0) and duration (event clock units).
    ValueError for a payload under 4 bytes.
    """
    return _ivrmedia.rtp_parse_event(payload)


def event_char(code: int) -> Optional[str]:
    """Return '0'-'9', '*', '#', 'A'-'D' for RFC 4733 codes 0-15, '!' for flash (16), else None."""
    return _ivrmedia.rtp_event_char(code)


def event_code(char: str) -> int:
    """Return the RFC 4733 code of a DTMF character (any case) or '!'; ValueError otherwise."""
    return _ivrmedia.rtp_event_code(char)


def event_datagrams(
    builder: Builder,
    event: Union[str, int],
    payload_type: int,
    timestamp: int,
    duration_ms: int = 100,
    *,
    clock_rate_hz: int = 8000,
    interval_ms: int = 20,
    volume: int = 10,
    end_repeats: int = 3,
) -> List[bytes]:
    """Return the datagrams of one RFC 4733 key press, in send order.

    The event (a DTMF character or a code) starts at RTP `timestamp` (the audio stream's
    current timestamp) and lasts `duration_ms` rounded up to whole `interval_ms`: one packet
    per interval with the duration so far (the marker on the first), then the end packet
    `end_repeats` times with the final duration (RFC 4733 sections 2.5.1.2-2.5.1.4). They go on
    `builder`'s stream (its sequence numbers) with `payload_type`, the negotiated
    telephone-event type (e.g. 101). The builder's own timestamp does not move: skip() it by
    the event's duration when the event replaced audio. A sender sends packet i at
    i * interval_ms after the onset (the end copies at one interval after the last update, or
    spread over the following intervals).
    """
    sender = TelephoneEventSender(clock_rate_hz, interval_ms, end_repeats)
    sender.begin(event, timestamp, volume)
    intervals = max(1, -(-duration_ms // interval_ms))
    out: List[bytes] = []

    def emit(packet: Optional[EventPacket]) -> None:
        assert packet is not None
        out.append(builder.build_at(payload_type, packet.payload, packet.timestamp, packet.marker))

    for _ in range(intervals):
        emit(sender.next())
    sender.end()
    for _ in range(end_repeats):
        emit(sender.next())
    return out
