"""The RTP receive path: a jitter buffer that turns datagrams into smooth audio, and helpers that
run a whole simulated call through it.

`JitterBuffer` takes a call's datagrams as they arrive (`push(datagram, arrival_us)`) and gives
back one frame per tick (`pull(now_us)` -> (NumPy array, FrameInfo)): it reorders, drops
duplicates and late packets, adapts its delay to the network's jitter by time-stretching speech
(never by dropping or inserting whole frames), conceals lost packets (G.711 Appendix I, opus
PLC and FEC) and hands RFC 4733 events over beside the audio (`events()`). `statistics` has the
RTCP-style counts, RFC 3611 burst metrics and a G.107 E-model MOS estimate; `usage` the exact
media received and played::

    jb = ivrmedia.JitterBuffer(8000, 20, payloads={0: "PCMU"}, telephone_event_payload_type=101)
    jb.push(datagram, arrival_us)                # as each datagram arrives
    frame, info = jb.pull(now_us)                # every 20 ms: 160 float32 samples
    for event in jb.events(): ...                # 'begin' / 'end' of key presses

For research, `simulate_call` sends a signal through an encoder, an RTP packetizer, a simulated
network (ivrmedia.netsim presets) and the buffer, and returns what the listener hears with the
statistics; `play` runs the buffer over arrivals you made yourself.

Times are integer microseconds on one clock of the caller's choosing (the library never reads a
clock). A JitterBuffer serves one stream; pull() releases the GIL, and a second thread entering
the same buffer meanwhile is refused with RuntimeError.
"""

from __future__ import annotations

from typing import (
    Any,
    Iterable,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Union,
)

import numpy as np
import numpy.typing as npt

from ivrmedia import _ivrmedia
from ivrmedia.codec import Encoder, rtp_units, static_payload
from ivrmedia.netsim import Arrival, NetworkConfig, NetworkSimulator, NetworkStats
from ivrmedia.rtp import Builder

JitterBuffer = _ivrmedia.JitterBuffer
FrameInfo = _ivrmedia.FrameInfo
JitterStatistics = _ivrmedia.JitterStatistics
JitterUsage = _ivrmedia.JitterUsage

__all__ = [
    "JitterBuffer",
    "FrameInfo",
    "JitterStatistics",
    "JitterUsage",
    "play",
    "simulate_call",
    "SimulatedCall",
]

# How long play() keeps pulling after the last arrival for the buffer to drain, at most.
_DRAIN_LIMIT_US = 10_000_000


def _frame_us(buffer: JitterBuffer) -> int:
    return buffer.frame_samples * 1_000_000 // buffer.sample_rate_hz


def play(
    buffer: JitterBuffer,
    arrivals: Iterable[Union[Arrival, Tuple[bytes, int]]],
    *,
    start_us: int = 0,
    until_us: Optional[int] = None,
    dtype: Any = np.float32,
) -> Tuple[npt.NDArray[Any], List[FrameInfo]]:
    """Run `buffer` over `arrivals` tick by tick; return (audio, FrameInfo per frame).

    `arrivals` are netsim Arrival objects or (datagram, arrival_us) pairs, in arrival order.
    The receiver ticks every frame_ms from `start_us`: each tick pushes what arrived by then
    and pulls one frame with the tick's time. Without `until_us` it stops once every arrival
    was pushed and the buffer has played out what it held (at most 10 s later); with it, at
    the last tick before `until_us`. Datagrams the buffer refuses (MalformedPacket) are
    skipped; they are counted in buffer.statistics.malformed.
    """
    pending: List[Tuple[Any, int]] = [
        (a.bytes, a.arrival_time_us) if isinstance(a, Arrival) else (a[0], int(a[1]))
        for a in arrivals
    ]
    step = _frame_us(buffer)
    frames: List[npt.NDArray[Any]] = []
    infos: List[FrameInfo] = []
    last_arrival = pending[-1][1] if pending else start_us
    i = 0
    now = start_us
    while True:
        if until_us is not None and now >= until_us:
            break
        while i < len(pending) and pending[i][1] <= now:
            try:
                buffer.push(pending[i][0], pending[i][1])
            except _ivrmedia.MalformedPacket:
                pass
            i += 1
        frame, info = buffer.pull(now, dtype=dtype)
        frames.append(frame)
        infos.append(info)
        now += step
        if until_us is None and i == len(pending):
            stats = buffer.statistics
            if stats.buffered_packets == 0 and stats.current_delay_ms <= 0:
                break
            if now > last_arrival + _DRAIN_LIMIT_US:
                break
    want = np.dtype(dtype)
    audio = np.concatenate(frames) if frames else np.zeros(0, want)
    return audio, infos


class SimulatedCall(NamedTuple):
    """What simulate_call returns."""

    #: What the listener hears: 1-D at the codec's sample rate, from the sender's first packet
    #: time on the receiver's clock (so network and buffer delay come first).
    audio: npt.NDArray[Any]
    #: The jitter buffer's statistics at the end of the call.
    statistics: JitterStatistics
    #: What the network did (sent, lost, reordered, ...).
    network: NetworkStats
    #: One FrameInfo per pulled frame (kind, rtp_timestamp for alignment, delay).
    frames: List[FrameInfo]


def simulate_call(
    pcm: npt.ArrayLike,
    codec: str = "PCMU",
    network: Union[str, NetworkConfig] = "mobile_lte",
    seed: int = 1,
    *,
    sample_rate_hz: int = 0,
    ptime_ms: int = 20,
    frame_ms: int = 20,
    payload_type: Optional[int] = None,
    network_options: Optional[Mapping[str, Any]] = None,
    jitter_options: Optional[Mapping[str, Any]] = None,
    encoder_options: Optional[Mapping[str, Any]] = None,
    dtype: Any = np.float32,
) -> SimulatedCall:
    """Send mono `pcm` over a simulated call; return what the listener hears and the statistics.

    The signal (1-D int16, or float at full scale +-1.0, at the codec's sample rate: 8000 Hz
    for PCMU/PCMA, 16000 for G722, `sample_rate_hz` for opus, 48000 by default) is cut into
    `ptime_ms` packets (the last one padded with silence), encoded with ivrmedia.Encoder
    (`encoder_options` are its keywords, e.g. bitrate_bps), packetized by an rtp.Builder seeded
    with `seed` (marker on the first packet), sent every ptime_ms from time 0 through a
    NetworkSimulator(`network`, seed, **network_options) and played by a
    JitterBuffer(sample_rate, frame_ms, **jitter_options) ticking every frame_ms from time 0
    on the receiver's clock (see `play`). `payload_type` defaults to the static type (0, 8, 9)
    or 96.

    Returns SimulatedCall(audio, statistics, network, frames); unpack it as a tuple. The same
    seed gives the same result. Example::

        audio, stats, net, frames = ivrmedia.simulate_call(speech, "PCMU", "bursty_loss", 3)
        print(stats.loss_rate, stats.mos, net.lost)
    """
    enc = Encoder(codec, sample_rate_hz=sample_rate_hz, ptime_ms=ptime_ms,
                  **dict(encoder_options or {}))
    if enc.channels != 1:
        raise ValueError("simulate_call: mono codecs only (the jitter buffer plays mono)")
    x = np.asarray(pcm)
    if x.ndim != 1:
        raise ValueError(f"simulate_call: pcm must be 1-D, got {x.ndim}-D")
    if x.dtype != np.int16:
        x = x.astype(np.float32)
    n = enc.frame_samples
    padded = np.zeros(-(-x.size // n) * n, x.dtype)
    padded[: x.size] = x

    if payload_type is None:
        static = {"PCMU": 0, "PCMA": 8, "G722": 9}
        payload_type = static.get(enc.name, 96)
        if static_payload(payload_type) is None:
            payload_type = 96
    if enc.name == "opus":
        rtpmap = "opus/48000/2"  # RFC 7587 section 7: always two channels in SDP
    else:
        rtpmap = f"{enc.name}/{enc.rtp_clock_hz}/{enc.channels}"

    builder = Builder(payload_type, enc.rtp_clock_hz, seed=seed)
    units = rtp_units(enc, n)
    ptime_us = ptime_ms * 1000
    packets: Sequence[Tuple[bytes, int]] = [
        (builder.build(enc.encode(padded[k : k + n]), units, marker=(k == 0)), (k // n) * ptime_us)
        for k in range(0, padded.size, n)
    ]

    net = NetworkSimulator(network, seed=seed, **dict(network_options or {}))
    arrivals = net.simulate(packets)
    buffer = JitterBuffer(enc.sample_rate_hz, frame_ms, payloads={payload_type: rtpmap},
                          **dict(jitter_options or {}))
    audio, frames = play(buffer, arrivals, dtype=dtype)
    return SimulatedCall(audio, buffer.statistics, net.stats, frames)
