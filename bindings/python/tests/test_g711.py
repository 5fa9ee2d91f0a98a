"""Tests of ivrmedia.g711 against ITU-T G.711 (Pulse code modulation of voice frequencies).

The reference coders below are written from G.711's segment rules, in NumPy, independently of
the C++ code: segments are found by comparing against decision boundaries, steps by subtracting
the segment start, and reconstruction values are the midpoints of the decision intervals. They
use the ITU-T G.191 convention for 16-bit input: a negative sample's magnitude is its ones'
complement (-1 -> 0, -32768 -> 32767), then truncated.
"""

from __future__ import annotations

import re
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

import numpy as np
import numpy.typing as npt
import pytest

import ivrmedia
from ivrmedia import _ivrmedia, g711

ALL_S16 = np.arange(-32768, 32768, dtype=np.int16)
ALL_CODES = np.arange(256, dtype=np.uint8)
LAWS = ["ulaw", "alaw"]

# --------------------------------------------------------------------------------------------
# Independent reference (integer arithmetic on int64 arrays, 16-bit scale throughout)


def _ones_complement_magnitude(x: npt.NDArray[np.int16]) -> tuple[np.ndarray, np.ndarray]:
    v = x.astype(np.int64)
    negative = v < 0
    return negative, np.where(negative, -v - 1, v)


def ref_ulaw_encode(x: npt.NDArray[np.int16]) -> npt.NDArray[np.uint8]:
    """mu-law: magnitude biased by 132 (33 at 14-bit scale) so that segment s spans the biased
    values [2**(s+7), 2**(s+8)); 16 steps per segment; beyond the last decision value the code
    saturates; the 8-bit word (sign 1 = negative) is transmitted with all bits inverted."""
    negative, magnitude = _ones_complement_magnitude(x)
    biased = magnitude + 132
    segment = np.searchsorted(2 ** np.arange(8, 16), biased, side="right")  # 8 = overload
    step = (biased - (1 << (segment + 7))) // (1 << (segment + 3))
    value = np.where(segment > 7, 0x7F, (segment << 4) | step)
    return (~((negative.astype(np.int64) << 7) | value) & 0xFF).astype(np.uint8)


def ref_ulaw_decode(codes: npt.NDArray[np.uint8]) -> npt.NDArray[np.int16]:
    word = ~codes.astype(np.int64) & 0xFF
    segment, step = (word >> 4) & 7, word & 0xF
    size = 8 << segment  # step size of the segment, biased domain
    value = (1 << (segment + 7)) + step * size + size // 2 - 132  # interval midpoint, unbiased
    return np.where(word & 0x80, -value, value).astype(np.int16)


def ref_alaw_encode(x: npt.NDArray[np.int16]) -> npt.NDArray[np.uint8]:
    """A-law: segment 0 spans [0, 256) and segment s >= 1 spans [128 << s, 256 << s); segments
    0 and 1 share the step 16; sign bit 1 = positive; even bits inverted (XOR 0x55)."""
    negative, magnitude = _ones_complement_magnitude(x)
    segment = np.searchsorted(2 ** np.arange(8, 15), magnitude, side="right")
    start = np.where(segment == 0, 0, 128 << segment)
    size = np.where(segment == 0, 16, 8 << segment)
    step = (magnitude - start) // size
    word = (np.where(negative, 0, 0x80) | (segment << 4) | step) ^ 0x55
    return word.astype(np.uint8)


def ref_alaw_decode(codes: npt.NDArray[np.uint8]) -> npt.NDArray[np.int16]:
    word = codes.astype(np.int64) ^ 0x55
    segment, step = (word >> 4) & 7, word & 0xF
    start = np.where(segment == 0, 0, 128 << segment)
    size = np.where(segment == 0, 16, 8 << segment)
    value = start + step * size + size // 2
    return np.where(word & 0x80, value, -value).astype(np.int16)


REF_ENCODE = {"ulaw": ref_ulaw_encode, "alaw": ref_alaw_encode}
REF_DECODE = {"ulaw": ref_ulaw_decode, "alaw": ref_alaw_decode}


def float_to_s16(x: npt.NDArray[np.float32]) -> npt.NDArray[np.int16]:
    """The documented rule: round-to-nearest(x * 32768), ties to even, saturated, NaN as 0."""
    v = x.astype(np.float64) * 32768.0  # exact: power-of-two scale
    v = np.where(np.isnan(v), 0.0, v)
    return np.clip(np.rint(v), -32768, 32767).astype(np.int16)


def value_number(codes: npt.NDArray[np.uint8], law: str) -> npt.NDArray[np.int64]:
    """G.711 magnitude value number 0..127 of each code (0 = smallest magnitude)."""
    c = codes.astype(np.int64)
    return (~c & 0x7F) if law == "ulaw" else ((c ^ 0x55) & 0x7F)


# --------------------------------------------------------------------------------------------
# The reference itself, at G.711's fixed points


@pytest.mark.parametrize(
    ("sample", "mu", "a"), [(0, 0xFF, 0xD5), (32767, 0x80, 0xAA), (-32768, 0x00, 0x2A)]
)
def test_fixed_points(sample: int, mu: int, a: int) -> None:
    x = np.array([sample], dtype=np.int16)
    assert ref_ulaw_encode(x)[0] == mu and ref_alaw_encode(x)[0] == a
    assert g711.encode(x, "ulaw")[0] == mu
    assert g711.encode(x, "alaw")[0] == a


def test_reconstruction_fixed_points() -> None:
    assert ref_ulaw_decode(np.array([0x80], np.uint8))[0] == 32124
    assert ref_alaw_decode(np.array([0xD5], np.uint8))[0] == 8
    assert g711.decode(np.array([0x80, 0xFF, 0x7F], np.uint8), "ulaw").tolist() == [32124, 0, 0]
    assert g711.decode(np.array([0xD5, 0x55], np.uint8), "alaw").tolist() == [8, -8]


# --------------------------------------------------------------------------------------------
# Exhaustive agreement with the reference


@pytest.mark.parametrize("law", LAWS)
def test_encode_all_int16(law: str) -> None:
    np.testing.assert_array_equal(g711.encode(ALL_S16, law), REF_ENCODE[law](ALL_S16))


@pytest.mark.parametrize("law", LAWS)
def test_decode_all_codes(law: str) -> None:
    np.testing.assert_array_equal(g711.decode(ALL_CODES, law), REF_DECODE[law](ALL_CODES))


@pytest.mark.parametrize("law", LAWS)
def test_decode_then_encode_is_identity(law: str) -> None:
    # Every reconstruction value lies inside its own decision interval, except mu-law's -0
    # (0x7F), which decodes to 0 and re-encodes as +0 (0xFF).
    again = g711.encode(g711.decode(ALL_CODES, law), law)
    expected = ALL_CODES.copy()
    if law == "ulaw":
        expected[0x7F] = 0xFF
    np.testing.assert_array_equal(again, expected)


def _float_inputs() -> npt.NDArray[np.float32]:
    rng = np.random.default_rng(711)
    ties = (np.arange(-32768, 32767) + 0.5) / 32768  # exact halfway points: ties to even
    special = [0.0, -0.0, 1.0, -1.0, 32767 / 32768, 1.5, -1.5, np.nan, -np.nan, np.inf, -np.inf,
               np.finfo(np.float32).max, -np.finfo(np.float32).max, np.finfo(np.float32).tiny,
               1e-45, -1e-45, 0.49999997 / 32768, 0.5 / 32768, -0.5 / 32768, 1.5 / 32768]
    parts = [rng.uniform(-1.25, 1.25, 200_000), ties, ALL_S16 / 32768, special]
    return np.concatenate(parts).astype(np.float32)


@pytest.mark.parametrize("law", LAWS)
def test_float_encode_matches_int16_rule(law: str) -> None:
    with np.errstate(invalid="ignore", over="ignore"):
        x = _float_inputs()
        expected = g711.encode(float_to_s16(x), law)
    np.testing.assert_array_equal(g711.encode(x, law), expected)


@pytest.mark.parametrize("law", LAWS)
def test_float_decode_is_int16_over_32768(law: str) -> None:
    out = g711.decode(ALL_CODES, law, dtype=np.float32)
    assert out.dtype == np.float32
    expected = g711.decode(ALL_CODES, law).astype(np.float32) / np.float32(32768)
    np.testing.assert_array_equal(out, expected)  # exact, not approximate


# --------------------------------------------------------------------------------------------
# Transcoding (G.711 Tables 3 and 4)


def test_transcode_spot_checks() -> None:
    codes = np.array([0xFF, 0x7F, 0x80, 0x00], np.uint8)
    assert g711.transcode(codes, "ulaw").tolist() == [0xD5, 0x55, 0xAA, 0x2A]
    assert g711.transcode(np.array([0xD5, 0xAA, 0x2A], np.uint8), "alaw").tolist() == [
        0xFE, 0x80, 0x00]


@pytest.mark.parametrize("law", LAWS)
def test_transcode_keeps_sign_order_and_stays_within_one_step(law: str) -> None:
    other = "alaw" if law == "ulaw" else "ulaw"
    out = g711.transcode(ALL_CODES, law)
    np.testing.assert_array_equal(out & 0x80, ALL_CODES & 0x80)
    # Magnitude order is kept: within each sign, value numbers map monotonically.
    for sign in (0x00, 0x80):
        mine = (ALL_CODES & 0x80) == sign
        order = np.argsort(value_number(ALL_CODES[mine], law))
        assert np.all(np.diff(value_number(out[mine], other)[order]) >= 0)
    # The new code reconstructs within one quantization step (of the target law) of the old one.
    error = np.abs(REF_DECODE[other](out).astype(np.int64) - REF_DECODE[law](ALL_CODES))
    seg = (value_number(out, other) >> 4).astype(np.int64)
    step = (8 << seg) if other == "ulaw" else np.where(seg == 0, 16, 8 << seg)
    assert np.all(error <= step)


# Round trips. A frequently quoted claim is that A -> mu -> A is transparent for all 256 A-law
# codes. It is not, and cannot be: each law has 128 magnitudes, and Table 3 (mu -> A) maps mu-law
# value numbers 0..15 pairwise onto A-law 0..7, so it is not onto; the 8 A-law value numbers it
# never produces (25, 27, 29, 31, 44, 46, 62, 80) cannot survive A -> mu -> A. Likewise Table 4
# (A -> mu) maps A-law 0..7 to the odd mu-law value numbers 1..15, so mu-law value numbers
# 0, 2, ..., 14 cannot survive mu -> A -> mu. (The library's tables agree with spandsp's copy of
# G.711 Tables 3/4 code for code.) What holds, and is asserted: both round trips are identity on
# the other 240 codes, move each exception to an adjacent value number of the same sign, and
# are idempotent.
A_NOT_TRANSPARENT = {25, 27, 29, 31, 44, 46, 62, 80}
MU_NOT_TRANSPARENT = set(range(0, 16, 2))


@pytest.mark.parametrize(
    ("law", "exceptions"), [("alaw", A_NOT_TRANSPARENT), ("ulaw", MU_NOT_TRANSPARENT)]
)
def test_round_trip_through_other_law(law: str, exceptions: set[int]) -> None:
    other = "alaw" if law == "ulaw" else "ulaw"
    back = g711.transcode(g711.transcode(ALL_CODES, law), other)
    changed = back != ALL_CODES
    assert set(value_number(ALL_CODES[changed], law).tolist()) == exceptions
    assert changed.sum() == 2 * len(exceptions)  # both signs
    np.testing.assert_array_equal(back & 0x80, ALL_CODES & 0x80)
    moved = np.abs(value_number(back, law) - value_number(ALL_CODES, law))
    assert moved.max() == 1
    again = g711.transcode(g711.transcode(back, law), other)
    np.testing.assert_array_equal(again, back)


# --------------------------------------------------------------------------------------------
# API: names, dtypes, shapes, errors, memory


@pytest.mark.parametrize("name", ["ulaw", "ULAW", "mulaw", "MuLaw", "pcmu", "PCMU"])
def test_mulaw_names(name: str) -> None:
    np.testing.assert_array_equal(g711.encode(ALL_S16, name), ref_ulaw_encode(ALL_S16))


@pytest.mark.parametrize("name", ["alaw", "ALaw", "pcma", "PCMA"])
def test_alaw_names(name: str) -> None:
    np.testing.assert_array_equal(g711.decode(ALL_CODES, name), ref_alaw_decode(ALL_CODES))


@pytest.mark.parametrize("name", ["g729", "", "u-law", "ulaw ", None, 0])
def test_unknown_law(name: object) -> None:
    for call in (
        lambda: g711.encode(ALL_S16, name),  # type: ignore[arg-type]
        lambda: g711.decode(ALL_CODES, name),  # type: ignore[arg-type]
        lambda: g711.transcode(ALL_CODES, name),  # type: ignore[arg-type]
    ):
        with pytest.raises(ValueError, match=r"'ulaw'.*'alaw'"):
            call()


def test_default_law_is_ulaw() -> None:
    np.testing.assert_array_equal(g711.encode(ALL_S16), g711.encode(ALL_S16, "ulaw"))
    np.testing.assert_array_equal(g711.decode(ALL_CODES), g711.decode(ALL_CODES, "ulaw"))


@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.uint16, np.int8, np.dtype(">i2")])
def test_encode_wrong_dtype(dtype: npt.DTypeLike) -> None:
    x = np.zeros(8, dtype=dtype)
    with pytest.raises(TypeError, match=f"int16 or float32, got {re.escape(str(x.dtype))}"):
        g711.encode(x)  # type: ignore[arg-type]


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.bool_, np.float32])
def test_codes_wrong_dtype(dtype: npt.DTypeLike) -> None:
    x = np.zeros(8, dtype=dtype)
    with pytest.raises(TypeError, match=f"uint8, got {re.escape(str(x.dtype))}"):
        g711.decode(x)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="uint8"):
        g711.transcode(x, "alaw")  # type: ignore[arg-type]


def test_not_an_array() -> None:
    with pytest.raises(TypeError, match="numpy.ndarray, got list"):
        g711.encode([0, 1, 2])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="numpy.ndarray, got bytes"):
        g711.decode(b"\xff\xff")  # type: ignore[arg-type]


def test_not_one_dimensional() -> None:
    with pytest.raises(ValueError, match="1-D"):
        g711.encode(np.zeros((2, 4), np.int16))
    with pytest.raises(ValueError, match="1-D"):
        g711.encode(np.zeros((), np.int16))  # 0-D
    with pytest.raises(ValueError, match="1-D"):
        g711.decode(np.zeros((4, 2), np.uint8, order="F"))
    with pytest.raises(ValueError, match="1-D"):
        g711.transcode(np.zeros((1, 1), np.uint8), "ulaw")


def test_not_contiguous() -> None:
    with pytest.raises(ValueError, match="ascontiguousarray"):
        g711.encode(ALL_S16[::2])
    with pytest.raises(ValueError, match="ascontiguousarray"):
        g711.decode(ALL_CODES[::-1])
    with pytest.raises(ValueError, match="ascontiguousarray"):
        g711.transcode(ALL_CODES[::3], "alaw")


def test_misaligned() -> None:
    raw = np.zeros(17, np.uint8)
    x = np.frombuffer(raw.data, dtype=np.int16, count=8, offset=1)
    assert not x.flags.aligned
    with pytest.raises(ValueError, match="aligned"):
        g711.encode(x)


def test_decode_output_dtype() -> None:
    assert g711.decode(ALL_CODES, dtype=np.int16).dtype == np.int16
    assert g711.decode(ALL_CODES, dtype="float32").dtype == np.float32
    for bad in (np.float64, np.int32, ">f4"):
        with pytest.raises(ValueError, match="int16 or float32"):
            g711.decode(ALL_CODES, dtype=bad)


def test_empty_arrays() -> None:
    for law in LAWS:
        for x in (np.empty(0, np.int16), np.empty(0, np.float32)):
            out = g711.encode(x, law)
            assert out.dtype == np.uint8 and out.shape == (0,)
        for dtype in (np.int16, np.float32):
            out = g711.decode(np.empty(0, np.uint8), law, dtype=dtype)
            assert out.dtype == dtype and out.shape == (0,)
        out = g711.transcode(np.empty(0, np.uint8), law)
        assert out.dtype == np.uint8 and out.shape == (0,)


def test_results_are_new_arrays() -> None:
    x = ALL_S16.copy()
    x.flags.writeable = False  # read-only input is fine: it is only read
    codes = g711.encode(x)
    assert codes.flags.owndata and codes.flags.writeable and codes.flags.c_contiguous
    assert not np.shares_memory(codes, x)
    for out in (g711.decode(codes), g711.decode(codes, dtype=np.float32),
                g711.transcode(codes, "ulaw")):
        assert out.flags.owndata and not np.shares_memory(out, codes)
    np.testing.assert_array_equal(x, ALL_S16)  # input untouched


@pytest.mark.parametrize(
    ("dtype", "call"),
    [
        (np.int16, g711.encode),
        (np.float32, lambda x: g711.encode(x, "alaw")),
        (np.uint8, g711.decode),
        (np.uint8, lambda x: g711.decode(x, dtype=np.float32)),
        (np.uint8, lambda x: g711.transcode(x, "alaw")),
    ],
)
def test_allocates_only_the_result(dtype: type, call: Callable[[Any], np.ndarray]) -> None:
    # NumPy reports its buffers to tracemalloc: a copy or conversion of the 1 Mi-sample input
    # would show up as at least another MiB at the peak.
    x = np.zeros(1 << 20, dtype)
    tracemalloc.start()
    try:
        out = call(x)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert out.nbytes <= peak < out.nbytes + 64 * 1024


def test_bad_status_raises_runtime_error() -> None:
    # Reachable only through the raw extension: an enum value outside the C++ Law enum makes the
    # library return Status::invalid_argument.
    with pytest.raises(RuntimeError):
        _ivrmedia.g711_encode(ALL_S16, _ivrmedia.Law(7))


def test_threads_give_identical_results() -> None:
    rng = np.random.default_rng(8000)
    pcm16 = rng.integers(-32768, 32768, 1 << 21, dtype=np.int16)
    pcm32 = rng.uniform(-1.1, 1.1, 1 << 21).astype(np.float32)
    jobs = [(pcm, law) for pcm in (pcm16, pcm32) for law in LAWS] * 4
    expected = [g711.encode(pcm, law) for pcm, law in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda job: g711.encode(*job), jobs))
    for got, want in zip(results, expected):
        np.testing.assert_array_equal(got, want)


# --------------------------------------------------------------------------------------------
# Package


def test_version_is_the_cpp_library_version() -> None:
    header = Path(__file__).resolve().parents[3] / "include" / "ivrmedia" / "ivrmedia.h"
    parts = dict(re.findall(r"#define IVRM_VERSION_(MAJOR|MINOR|PATCH) +(\d+)", header.read_text()))
    assert ivrmedia.__version__ == f"{parts['MAJOR']}.{parts['MINOR']}.{parts['PATCH']}"
    assert ivrmedia.__version__ == _ivrmedia.version()


def test_best_simd_level() -> None:
    assert ivrmedia.best_simd_level() in ("scalar", "avx2")


def test_docstrings() -> None:
    for fn in (ivrmedia.best_simd_level, g711.encode, g711.decode, g711.transcode,
               _ivrmedia.version, _ivrmedia.best_simd_level, _ivrmedia.g711_encode,
               _ivrmedia.g711_decode, _ivrmedia.g711_transcode):
        assert fn.__doc__ and fn.__doc__.strip()


def test_typing_files_are_installed() -> None:
    package = Path(ivrmedia.__file__).parent
    assert (package / "py.typed").is_file() and (package / "_ivrmedia.pyi").is_file()
