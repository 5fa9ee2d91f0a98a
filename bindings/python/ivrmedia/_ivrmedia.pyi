"""Type stubs for ivrmedia._ivrmedia, the pybind11 extension (see ivrmedia.g711, ivrmedia.dtmf,
ivrmedia.codec and ivrmedia.resampler for the API)."""

from typing import ClassVar, Literal, Optional, Union, overload

import numpy as np
import numpy.typing as npt

def version() -> str:
    """Version of the linked C++ library, 'MAJOR.MINOR.PATCH'."""

def best_simd_level() -> Literal["scalar", "avx2"]:
    """Best kernel instruction set this CPU runs."""

class Law:
    """G.711 companding law."""

    mulaw: ClassVar[Law]
    alaw: ClassVar[Law]
    __members__: ClassVar[dict[str, Law]]
    def __init__(self, value: int) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __index__(self) -> int: ...
    def __int__(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...

def g711_encode(
    pcm: Union[npt.NDArray[np.int16], npt.NDArray[np.float32]], law: Law
) -> npt.NDArray[np.uint8]:
    """Encode a 1-D C-contiguous int16 or float32 array to G.711 codes of `law`."""

@overload
def g711_decode(
    codes: npt.NDArray[np.uint8], law: Law, as_float: Literal[False] = ...
) -> npt.NDArray[np.int16]: ...
@overload
def g711_decode(
    codes: npt.NDArray[np.uint8], law: Law, as_float: Literal[True]
) -> npt.NDArray[np.float32]: ...
@overload
def g711_decode(
    codes: npt.NDArray[np.uint8], law: Law, as_float: bool
) -> Union[npt.NDArray[np.int16], npt.NDArray[np.float32]]: ...
def g711_transcode(codes: npt.NDArray[np.uint8], from_law: Law) -> npt.NDArray[np.uint8]:
    """Convert codes of `from_law` to codes of the other law (G.711 Tables 3 and 4)."""

class DtmfEvent:
    """A DTMF key-down or key-up event (sample positions)."""

    @property
    def kind(self) -> Literal["down", "up"]: ...
    @property
    def digit(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def low_dbm0(self) -> float: ...
    @property
    def high_dbm0(self) -> float: ...
    @property
    def twist_db(self) -> float: ...

class DtmfDetector:
    """Streaming ITU-T Q.24 DTMF detector for one channel."""

    def __init__(
        self,
        sample_rate: int = 8000,
        min_level_dbm0: float = -36.0,
        reverse_twist_db: float = 10.0,
        normal_twist_db: float = 6.0,
        max_frequency_error_pct: float = 2.5,
        max_residual_db: float = -8.0,
        min_tone_ms: float = 31.0,
        min_pause_ms: float = 30.0,
    ) -> None: ...
    def process(
        self, samples: Union[npt.NDArray[np.int16], npt.NDArray[np.float32]]
    ) -> list[DtmfEvent]: ...
    def gap(self, samples: int) -> list[DtmfEvent]: ...
    def reset(self) -> None: ...
    def set_threshold(self, name: str, value: float) -> None: ...
    def threshold(self, name: str) -> float: ...
    @property
    def sample_rate(self) -> int: ...
    @property
    def max_key_down_latency(self) -> int: ...
    @property
    def digits(self) -> int: ...

class DtmfMasker:
    """Removes DTMF tones from audio with a fixed look-ahead delay."""

    def __init__(
        self,
        sample_rate: int = 8000,
        lookahead_ms: float = 40.0,
        guard_ms: float = 4.0,
        comfort_noise: bool = False,
        comfort_noise_dbm0: float = -65.0,
    ) -> None: ...
    @overload
    def process(self, samples: npt.NDArray[np.int16]) -> npt.NDArray[np.int16]: ...
    @overload
    def process(self, samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]: ...
    @property
    def latency(self) -> int: ...
    @property
    def masked_samples(self) -> int: ...
    def reset(self) -> None: ...

def generate_dtmf(
    digits: str,
    sample_rate: int = 8000,
    low_dbm0: float = -7.0,
    twist_db: float = 2.0,
    tone_ms: float = 80.0,
    pause_ms: float = 80.0,
    ramp_ms: float = 2.0,
) -> npt.NDArray[np.float32]: ...

class Encoder:
    """RTP payload encoder for one stream: PCM (interleaved) -> one payload per call."""

    def __init__(
        self,
        payload_name: str,
        clock_rate_hz: int = 0,
        channels: int = 0,
        sample_rate_hz: int = 0,
        ptime_ms: int = 20,
        bitrate_bps: int = 24000,
        complexity: int = 5,
        vbr: bool = True,
        inband_fec: bool = True,
        expected_loss_percent: int = 5,
        dtx: bool = False,
        application: Literal["voip", "audio"] = "voip",
        max_bandwidth: Literal[
            "narrowband", "mediumband", "wideband", "superwideband", "fullband"
        ] = "fullband",
    ) -> None: ...
    def encode(self, pcm: Union[npt.NDArray[np.int16], npt.NDArray[np.float32]]) -> bytes:
        """Encode one packet of frame_samples * channels interleaved samples."""
    def reset(self) -> None: ...
    @property
    def name(self) -> str: ...
    @property
    def sample_rate_hz(self) -> int: ...
    @property
    def channels(self) -> int: ...
    @property
    def rtp_clock_hz(self) -> int: ...
    @property
    def frame_samples(self) -> int: ...
    @property
    def max_payload_bytes(self) -> int: ...

Payload = Union[bytes, bytearray, memoryview, npt.NDArray[np.uint8]]
_Int16 = Union[type[np.int16], Literal["int16"]]
_Float32 = Union[type[np.float32], Literal["float32"]]
_Pcm = Union[npt.NDArray[np.int16], npt.NDArray[np.float32]]

class Decoder:
    """RTP payload decoder for one stream, with concealment of lost packets."""

    def __init__(
        self,
        payload_name: str,
        clock_rate_hz: int = 0,
        sample_rate_hz: int = 0,
        channels: int = 0,
        max_packet_ms: int = 120,
    ) -> None: ...
    @overload
    def decode(self, payload: Payload, dtype: _Int16 = ...) -> npt.NDArray[np.int16]: ...
    @overload
    def decode(self, payload: Payload, dtype: _Float32) -> npt.NDArray[np.float32]: ...
    @overload
    def decode(self, payload: Payload, dtype: npt.DTypeLike) -> _Pcm: ...
    def samples(self, payload: Payload) -> int: ...
    @overload
    def conceal(self, samples_per_channel: int, dtype: _Int16 = ...) -> npt.NDArray[np.int16]: ...
    @overload
    def conceal(self, samples_per_channel: int, dtype: _Float32) -> npt.NDArray[np.float32]: ...
    @overload
    def conceal(self, samples_per_channel: int, dtype: npt.DTypeLike) -> _Pcm: ...
    @overload
    def decode_fec(
        self, next_payload: Optional[Payload], samples_per_channel: int, dtype: _Int16 = ...
    ) -> npt.NDArray[np.int16]: ...
    @overload
    def decode_fec(
        self, next_payload: Optional[Payload], samples_per_channel: int, dtype: _Float32
    ) -> npt.NDArray[np.float32]: ...
    @overload
    def decode_fec(
        self, next_payload: Optional[Payload], samples_per_channel: int, dtype: npt.DTypeLike
    ) -> _Pcm: ...
    def reset(self) -> None: ...
    @property
    def name(self) -> str: ...
    @property
    def sample_rate_hz(self) -> int: ...
    @property
    def channels(self) -> int: ...
    @property
    def rtp_clock_hz(self) -> int: ...
    @property
    def frame_samples(self) -> int: ...
    @property
    def max_samples(self) -> int: ...
    @property
    def has_fec(self) -> bool: ...

def codec_static_payload(payload_type: int) -> Optional[tuple[str, int, int]]:
    """(name, clock_rate_hz, channels) of an RFC 3551 static payload type carried, else None."""

_Quality = Literal["fast", "standard", "high"]

class Resampler:
    """Streaming sample-rate converter for one stream of interleaved frames."""

    def __init__(
        self,
        input_rate_hz: int,
        output_rate_hz: int,
        channels: int = 1,
        quality: _Quality = "standard",
    ) -> None: ...
    @overload
    def process(self, samples: npt.NDArray[np.int16]) -> npt.NDArray[np.int16]:
        """Convert 1-D interleaved or 2-D (frames, channels) samples; the whole input is used."""
    @overload
    def process(self, samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]: ...
    def max_output_frames(self, frames: int) -> int:
        """Exactly the frames the next process() call returns for `frames` input frames."""
    def reset(self) -> None: ...
    @property
    def latency_seconds(self) -> float: ...
    @property
    def latency_output_frames(self) -> float: ...
    @property
    def input_rate_hz(self) -> int: ...
    @property
    def output_rate_hz(self) -> int: ...
    @property
    def channels(self) -> int: ...
    @property
    def quality(self) -> _Quality: ...

class CodecInfo:
    """Facts about one side of a Transcoder, fixed at creation."""

    @property
    def name(self) -> str: ...
    @property
    def sample_rate_hz(self) -> int: ...
    @property
    def channels(self) -> int: ...
    @property
    def rtp_clock_hz(self) -> int: ...
    @property
    def frame_samples(self) -> int: ...
    @property
    def max_payload_bytes(self) -> int: ...
    @property
    def max_samples(self) -> int: ...

class TranscoderStats:
    """Counts of a Transcoder since creation or reset(), per channel."""

    @property
    def decoded_samples(self) -> int: ...
    @property
    def concealed_samples(self) -> int: ...
    @property
    def resampled_samples(self) -> int: ...
    @property
    def output_samples(self) -> int: ...
    @property
    def packets_in(self) -> int: ...
    @property
    def packets_out(self) -> int: ...
    @property
    def malformed(self) -> int: ...
    @property
    def buffered_samples(self) -> int: ...
    def __eq__(self, other: object) -> bool: ...

class Transcoder:
    """RTP payloads of one format in, payloads of another out, for one stream."""

    def __init__(
        self,
        input_payload: str,
        output_payload: str,
        *,
        input_clock_rate_hz: int = 0,
        output_clock_rate_hz: int = 0,
        input_channels: int = 0,
        output_channels: int = 0,
        input_sample_rate_hz: int = 0,
        output_sample_rate_hz: int = 0,
        ptime_ms: int = 20,
        max_packet_ms: int = 120,
        bitrate_bps: int = 24000,
        complexity: int = 5,
        vbr: bool = True,
        inband_fec: bool = True,
        expected_loss_percent: int = 5,
        dtx: bool = False,
        application: Literal["voip", "audio"] = "voip",
        max_bandwidth: Literal[
            "narrowband", "mediumband", "wideband", "superwideband", "fullband"
        ] = "fullband",
        quality: _Quality = "standard",
    ) -> None: ...
    def push(self, payload: Payload) -> list[bytes]:
        """Decode one input payload; return the output payloads that became ready."""
    def push_loss(self, rtp_units: int) -> list[bytes]:
        """Conceal a gap of rtp_units of the input clock; return the ready payloads."""
    def push_fec(self, next_payload: Payload, rtp_units: int) -> list[bytes]:
        """As push_loss, from next_payload's in-band FEC (opus)."""
    def reset(self) -> None: ...
    @property
    def stats(self) -> TranscoderStats: ...
    @property
    def input_info(self) -> CodecInfo: ...
    @property
    def output_info(self) -> CodecInfo: ...
    @property
    def latency_samples(self) -> float: ...
