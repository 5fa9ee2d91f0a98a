"""ITU-T G.711 mu-law and A-law coding of NumPy arrays.

Encoding follows the ITU-T G.191 Software Tool Library convention (a negative sample's magnitude
is its ones' complement, then truncated to G.711's 14-bit mu-law or 13-bit A-law input); decoding
returns the standard's reconstruction values at 16-bit scale; transcoding uses G.711 Tables 3
and 4. Float samples are full scale at +-1.0.

Inputs must be 1-D, C-contiguous arrays of the exact dtype: they are read in place, never copied
or converted, so a wrong dtype raises TypeError instead of silently costing a copy. Each call
allocates only its result and releases the GIL while the kernel runs, so threads scale.
"""

from __future__ import annotations

from typing import Final, Union

import numpy as np
import numpy.typing as npt

from ivrmedia import _ivrmedia

__all__ = ["encode", "decode", "transcode"]

Pcm = Union[npt.NDArray[np.int16], npt.NDArray[np.float32]]
Codes = npt.NDArray[np.uint8]

# Accepted law names (compared case-insensitively): the usual names and the RTP payload names.
_LAWS: Final[dict[str, _ivrmedia.Law]] = {
    "ulaw": _ivrmedia.Law.mulaw,
    "mulaw": _ivrmedia.Law.mulaw,
    "pcmu": _ivrmedia.Law.mulaw,
    "alaw": _ivrmedia.Law.alaw,
    "pcma": _ivrmedia.Law.alaw,
}


def _law(law: str) -> _ivrmedia.Law:
    """Map a law name to the extension's enum; ValueError naming the accepted names otherwise."""
    found = _LAWS.get(law.lower()) if isinstance(law, str) else None
    if found is None:
        accepted = ", ".join(repr(name) for name in _LAWS)
        raise ValueError(f"unknown G.711 law {law!r}; expected one of {accepted} (any case)")
    return found


def encode(pcm: Pcm, law: str = "ulaw") -> Codes:
    """Encode linear samples to G.711 codes.

    Args:
        pcm: 1-D C-contiguous int16 array, or float32 array with full scale +-1.0 (scaled by
            32768, rounded to nearest, saturated; NaN encodes as 0).
        law: 'ulaw' (also 'mulaw', 'pcmu') or 'alaw' (also 'pcma'), any case.

    Returns:
        A new uint8 array of the same length.

    Raises:
        TypeError: pcm has another dtype.
        ValueError: pcm is not 1-D or not C-contiguous, or law is unknown.
    """
    return _ivrmedia.g711_encode(pcm, _law(law))


def decode(codes: Codes, law: str = "ulaw", dtype: npt.DTypeLike = np.int16) -> Pcm:
    """Decode G.711 codes to linear samples.

    Args:
        codes: 1-D C-contiguous uint8 array of codes of `law`.
        law: 'ulaw' (also 'mulaw', 'pcmu') or 'alaw' (also 'pcma'), any case.
        dtype: np.int16 (16-bit samples) or np.float32 (the int16 value / 32768, exact).

    Returns:
        A new array of `dtype` of the same length.

    Raises:
        TypeError: codes has another dtype.
        ValueError: codes is not 1-D or not C-contiguous, law is unknown, or dtype is neither
            int16 nor float32.
    """
    out = np.dtype(dtype)
    if out not in (np.dtype(np.int16), np.dtype(np.float32)):
        raise ValueError(f"dtype must be int16 or float32, got {out}")
    return _ivrmedia.g711_decode(codes, _law(law), as_float=out == np.dtype(np.float32))


def transcode(codes: Codes, from_law: str) -> Codes:
    """Convert G.711 codes of `from_law` to codes of the other law (G.711 Tables 3 and 4).

    Args:
        codes: 1-D C-contiguous uint8 array of codes of `from_law`.
        from_law: law of the input: 'ulaw' (also 'mulaw', 'pcmu') or 'alaw' (also 'pcma').

    Returns:
        A new uint8 array of the same length, in the other law.

    Raises:
        TypeError: codes has another dtype.
        ValueError: codes is not 1-D or not C-contiguous, or from_law is unknown.
    """
    return _ivrmedia.g711_transcode(codes, _law(from_law))
