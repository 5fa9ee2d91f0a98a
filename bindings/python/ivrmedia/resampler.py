"""Sample-rate conversion between 8000, 16000, 32000, 44100 and 48000 Hz on NumPy arrays.

`Resampler` converts a stream chunk by chunk (a call leg, a live capture); `resample` converts a
whole signal at once and returns it aligned with the input. Both take int16 or float32 samples
(float full scale +-1.0), 1-D or 2-D (frames, channels), and return the input's dtype and kind
of shape.

Quality presets ('fast', 'standard', 'high'), with f_low the lower of the two rates:

    preset    flat within 0.1 dB up to   aliases and images down by   delay (f_low samples)
    fast      0.80 x f_low / 2           >= 80 dB                     ~24
    standard  0.90 x f_low / 2           >= 100 dB                    ~56
    high      0.95 x f_low / 2           >= 120 dB                    ~132

Sample accounting is exact: a stream that consumed n frames has produced exactly
floor(n * output_rate_hz / input_rate_hz) frames, whatever the chunking, and the samples do not
depend on the chunking either. Each Resampler serves one stream and must not be used by two
threads at once (RuntimeError); the GIL is released while it runs.

Example, a 16 kHz prompt for an 8 kHz leg, in 20 ms chunks::

    rs = ivrmedia.Resampler(16000, 8000)
    for chunk in chunks:                  # 320 int16 samples each
        send(rs.process(chunk))           # 160 samples each
"""

from __future__ import annotations

from typing import Literal, TypeVar, Union

import numpy as np
import numpy.typing as npt

from ivrmedia import _ivrmedia

Resampler = _ivrmedia.Resampler

Quality = Literal["fast", "standard", "high"]
_Samples = TypeVar("_Samples", npt.NDArray[np.int16], npt.NDArray[np.float32])

__all__ = ["Resampler", "resample", "Quality"]


def resample(
    samples: _Samples,
    input_rate_hz: int,
    output_rate_hz: int,
    *,
    quality: Quality = "standard",
) -> _Samples:
    """Return `samples` converted from `input_rate_hz` to `output_rate_hz`, aligned with them.

    `samples` is a C-contiguous int16 or float32 array, 1-D (mono) or 2-D (frames, channels)
    with 1 to 8 channels; the result has the same dtype, the same kind of shape and exactly
    round(n * output_rate_hz / input_rate_hz) frames for n input frames (halves round up).
    The filter's delay is removed: silence is fed after the input to flush its last frames out
    of the filter, and the first round(latency_output_frames) output frames (the filter's ramp)
    are dropped, so output frame j holds the input at time j / output_rate_hz to within half an
    output frame. Rates are 8000, 16000, 32000, 44100 or 48000 Hz. Raises TypeError for another
    dtype or a non-array, ValueError for an unsupported rate, quality or shape.
    """
    channels = samples.shape[1] if getattr(samples, "ndim", 1) == 2 else 1
    rs = Resampler(input_rate_hz, output_rate_hz, channels, quality)
    head = rs.process(samples)  # validates samples (type, dtype, shape, layout)
    n = samples.shape[0] if samples.ndim == 2 else samples.size
    length = (2 * n * output_rate_hz + input_rate_hz) // (2 * input_rate_hz)
    delay = int(round(rs.latency_output_frames))
    # Silence long enough to push delay + 1 more output frames out: with
    # z >= (delay + 2) * in / out the total output reaches delay + length.
    flush_frames = -(-(delay + 2) * input_rate_hz // output_rate_hz)
    flush_shape = (flush_frames, channels) if samples.ndim == 2 else (flush_frames,)
    tail = rs.process(np.zeros(flush_shape, dtype=samples.dtype))
    out = np.concatenate([head, tail])
    assert out.shape[0] >= delay + length  # floor((n + z) * out / in) >= delay + length
    return out[delay : delay + length]
