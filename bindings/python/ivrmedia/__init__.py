"""ivrmedia: media processing for IVR hosts (Python bindings over the C++ library).

Submodules:
    g711: ITU-T G.711 mu-law / A-law encoding, decoding and transcoding on NumPy arrays.
    dtmf: ITU-T Q.24 DTMF detection (one-shot and streaming) and generation.
    codec: RTP payload Encoder/Decoder for PCMU, PCMA, L16, G722 and opus, with concealment,
        and the Transcoder between any two of them.
    resampler: sample-rate conversion (8000, 16000, 32000, 44100, 48000 Hz), streaming
        (Resampler) or one-shot and aligned (resample).
    rtp: RTP packets (parse, Builder, RFC 8285 extensions), SequenceTracker (RFC 3550 A.1),
        RFC 4733 telephone-event receiver and sender, interarrival jitter.
    jitter: the JitterBuffer (RTP receive path: datagrams in, smooth audio out), `play` and
        `simulate_call` (a signal through codec, network simulator and buffer).
    netsim: the seeded NetworkSimulator and its presets (research and tests).
    mix: prompts (Prompt, PromptCache), players (Player, BargeIn) and mixers (Mixer with
        ducking and a limiter, N-1 ConferenceMixer), and `play_to_end`.
"""

from __future__ import annotations

from typing import Literal, cast

from ivrmedia import _ivrmedia, codec, dtmf, g711, jitter, mix, netsim, resampler, rtp
from ivrmedia.codec import CodecInfo, Decoder, Encoder, Transcoder, TranscoderStats
from ivrmedia.dtmf import (
    DtmfDetector,
    DtmfEvent,
    DtmfMasker,
    detect_dtmf,
    generate_dtmf,
    mask_dtmf,
)
from ivrmedia.jitter import (
    FrameInfo,
    JitterBuffer,
    JitterStatistics,
    JitterUsage,
    SimulatedCall,
    play,
    simulate_call,
)
from ivrmedia.mix import (
    BargeIn,
    BargeInEvent,
    ConferenceMixer,
    LimiterStats,
    Mixer,
    MixerStats,
    Player,
    PlayerEvent,
    Prompt,
    PromptCache,
    play_to_end,
)
from ivrmedia.netsim import NetworkConfig, NetworkSimulator
from ivrmedia.resampler import Resampler, resample
from ivrmedia.rtp import MalformedPacket

# One source of truth: the version of the C++ library this extension was linked with.
__version__: str = _ivrmedia.version()


def best_simd_level() -> Literal["scalar", "avx2"]:
    """Return the best kernel instruction set of this CPU: 'scalar' or 'avx2'.

    Every level gives bit-identical results (the resampler's differ by rounding only, within
    the tolerance its documentation states); this is informational (logs, benchmarks).
    """
    return cast(Literal["scalar", "avx2"], _ivrmedia.best_simd_level())


__all__ = [
    "__version__",
    "best_simd_level",
    "g711",
    "dtmf",
    "codec",
    "resampler",
    "rtp",
    "jitter",
    "netsim",
    "Encoder",
    "Decoder",
    "Transcoder",
    "TranscoderStats",
    "CodecInfo",
    "Resampler",
    "resample",
    "DtmfDetector",
    "DtmfEvent",
    "DtmfMasker",
    "detect_dtmf",
    "generate_dtmf",
    "mask_dtmf",
    "MalformedPacket",
    "JitterBuffer",
    "FrameInfo",
    "JitterStatistics",
    "JitterUsage",
    "play",
    "simulate_call",
    "SimulatedCall",
    "NetworkSimulator",
    "NetworkConfig",
    "mix",
    "Prompt",
    "PromptCache",
    "Player",
    "PlayerEvent",
    "BargeIn",
    "BargeInEvent",
    "Mixer",
    "MixerStats",
    "LimiterStats",
    "ConferenceMixer",
    "play_to_end",
]
