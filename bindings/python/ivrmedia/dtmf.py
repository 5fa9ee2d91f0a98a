"""In-band DTMF (ITU-T Q.23 tones, ITU-T Q.24 receiver) on NumPy arrays.

`detect_dtmf` finds the digits in a whole recording; `DtmfDetector` is the streaming detector a
call would use (feed audio as it arrives, get 'down' events as soon as a digit is confirmed and
'up' events when it ends); `generate_dtmf` synthesizes digits. Levels are in dBm0 on the G.711
scale (a full-scale sine is +3.17 dBm0).
"""

from __future__ import annotations

from typing import List, Union

import numpy as np
import numpy.typing as npt

from ivrmedia import _ivrmedia

DtmfDetector = _ivrmedia.DtmfDetector
DtmfEvent = _ivrmedia.DtmfEvent
DtmfMasker = _ivrmedia.DtmfMasker

__all__ = ["DtmfDetector", "DtmfEvent", "DtmfMasker", "detect_dtmf", "generate_dtmf", "mask_dtmf"]


def detect_dtmf(
    samples: Union[npt.NDArray[np.int16], npt.NDArray[np.float32]], sample_rate: int
) -> List[DtmfEvent]:
    """Return the digits in `samples` as completed ('up') events, oldest first.

    `samples` is a 1-D C-contiguous int16 or float32 array at `sample_rate` Hz (8000 to 96000).
    Each event has `digit`, `start` and `end` (sample positions; divide by `sample_rate` for
    seconds) and the measured `low_dbm0`, `high_dbm0` and `twist_db`.
    """
    det = DtmfDetector(sample_rate)
    events = det.process(samples)
    events += det.gap(1)  # end a digit still sounding at the end of the recording
    return [e for e in events if e.kind == "up"]


def generate_dtmf(
    digits: str,
    sample_rate: int = 8000,
    *,
    low_dbm0: float = -7.0,
    twist_db: float = 2.0,
    tone_ms: float = 80.0,
    pause_ms: float = 80.0,
    ramp_ms: float = 2.0,
) -> npt.NDArray[np.float32]:
    """Return float32 audio of `digits` (0-9 * # A-D): each a tone, then a pause.

    The row tone is at `low_dbm0`, the column tone `twist_db` louder; edges are raised-cosine
    ramps of `ramp_ms` inside the tone. Raises ValueError for other characters or settings
    outside their bounds (levels whose two tones would clip, durations beyond 10 s).
    """
    return _ivrmedia.generate_dtmf(
        digits, sample_rate, low_dbm0, twist_db, tone_ms, pause_ms, ramp_ms
    )


def mask_dtmf(
    samples: Union[npt.NDArray[np.int16], npt.NDArray[np.float32]],
    sample_rate: int,
    *,
    comfort_noise: bool = False,
) -> Union[npt.NDArray[np.int16], npt.NDArray[np.float32]]:
    """Return `samples` with every DTMF tone replaced by silence (or low comfort noise).

    The result is aligned with the input (the masker's look-ahead delay is compensated) and has
    the input's dtype; outside the tones it equals the input exactly.
    """
    masker = DtmfMasker(sample_rate, comfort_noise=comfort_noise)
    delay = masker.latency
    padded = np.concatenate([samples, np.zeros(delay, dtype=samples.dtype)])
    return masker.process(padded)[delay:]
