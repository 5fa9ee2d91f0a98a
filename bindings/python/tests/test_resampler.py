"""Resampler from Python: exact sample accounting (floor(n * out / in) whatever the chunking),
shapes and dtypes in and out, the one-shot resample() length and flush, errors, reset and
threads. Output values are the C++ resampler's business (tests/codec/test_resampler.cpp, which
also checks that they do not depend on the chunking); here they are only compared between
runs cut the same way."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import ivrmedia
from ivrmedia import Resampler, resample, resampler

RATES = [8000, 16000, 32000, 44100, 48000]


def signal(n: int, rate: int, channels: int = 1, seed: int = 1) -> np.ndarray:
    """float32 (n, channels): a 440 Hz tone plus a little noise, within +-0.5."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / rate
    x = 0.4 * np.sin(2 * np.pi * 440.0 * t)[:, None] + 0.05 * rng.standard_normal((n, channels))
    return x.astype(np.float32)


def to_s16(x: np.ndarray) -> np.ndarray:
    return np.round(x * 32767).astype(np.int16)


# --------------------------------------------------------------------------------------------
# Accounting


@pytest.mark.parametrize("input_rate", RATES)
@pytest.mark.parametrize("output_rate", RATES)
def test_accounting_is_the_floor_rule_whatever_the_chunking(input_rate: int, output_rate: int) -> None:
    rng = np.random.default_rng(input_rate + 7 * output_rate)
    x = signal(input_rate // 4 + 11, input_rate)[:, 0]
    rs = Resampler(input_rate, output_rate)
    consumed, pieces = 0, []
    while consumed < x.size:
        n = int(min(rng.integers(0, 700), x.size - consumed))
        want = rs.max_output_frames(n)
        assert want <= n * output_rate // input_rate + 1
        y = rs.process(x[consumed : consumed + n])
        assert y.shape == (want,)
        consumed += n
        pieces.append(y)
        assert sum(p.size for p in pieces) == consumed * output_rate // input_rate
    assert Resampler(input_rate, output_rate).process(x).size == x.size * output_rate // input_rate


def test_packet_sized_calls_never_drift() -> None:
    # 8000 -> 44100: 1 ms calls of 8 frames give 44 or 45 frames, and exactly 44100 per second.
    rs = Resampler(8000, 44100)
    sizes = [rs.process(np.zeros(8, np.int16)).size for _ in range(1000)]
    assert set(sizes) == {44, 45}
    assert sum(sizes) == 44100
    # 44100 -> 8000 in 10 ms calls: exactly 80 every time.
    down = Resampler(44100, 8000)
    assert {down.process(np.zeros(441, np.float32)).size for _ in range(100)} == {80}


def test_streams_are_repeatable() -> None:
    # Two resamplers fed the same chunks give the same samples, int16 and float32 alike.
    for x in (to_s16(signal(1500, 16000, 2)), signal(1500, 16000, 2)):
        runs = []
        for _ in range(2):
            rs = Resampler(16000, 48000, channels=2)
            runs.append(np.concatenate([rs.process(x[i : i + 160]) for i in range(0, 1500, 160)]))
        np.testing.assert_array_equal(runs[0], runs[1])
        assert runs[0].dtype == x.dtype and runs[0].shape == (4500, 2)


def test_reset_starts_a_new_stream() -> None:
    x = signal(3000, 48000)[:, 0]
    rs = Resampler(48000, 16000)
    first = rs.process(x)
    rs.process(x[:77])
    rs.reset()
    np.testing.assert_array_equal(rs.process(x), first)
    assert rs.max_output_frames(3) == Resampler(48000, 16000).max_output_frames(3)


# --------------------------------------------------------------------------------------------
# Shapes and dtypes


@pytest.mark.parametrize("dtype", [np.int16, np.float32])
def test_shapes_and_dtypes_follow_the_input(dtype: type) -> None:
    x = signal(800, 8000, 3)
    x = to_s16(x) if dtype is np.int16 else x
    rs2d = Resampler(8000, 16000, channels=3)
    rs1d = Resampler(8000, 16000, channels=3)
    y2 = rs2d.process(x)
    y1 = rs1d.process(x.reshape(-1))  # interleaved
    assert y2.dtype == dtype and y2.shape == (1600, 3)
    assert y1.dtype == dtype and y1.shape == (4800,)
    np.testing.assert_array_equal(y1, y2.reshape(-1))
    mono = Resampler(8000, 16000).process(np.ascontiguousarray(x[:, 0]))
    assert mono.shape == (1600,) and mono.dtype == dtype
    # Empty input: empty output of the same kind.
    assert rs2d.process(np.zeros((0, 3), dtype)).shape == (0, 3)
    assert rs1d.process(np.zeros(0, dtype)).shape == (0,)


def test_input_is_read_in_place_and_left_unchanged() -> None:
    x = signal(400, 16000)[:, 0]
    before = x.copy()
    Resampler(16000, 8000).process(x)
    np.testing.assert_array_equal(x, before)


def test_argument_errors() -> None:
    rs = Resampler(8000, 16000, channels=2)
    with pytest.raises(TypeError, match="int16 or float32"):
        rs.process(np.zeros(10, np.float64))
    with pytest.raises(TypeError, match="numpy.ndarray"):
        rs.process([0, 0])  # type: ignore[call-overload]
    with pytest.raises(ValueError, match=r"shape \(frames, 2\), got \(5, 3\)"):
        rs.process(np.zeros((5, 3), np.float32))
    with pytest.raises(ValueError, match="not whole frames of 2 channels"):
        rs.process(np.zeros(7, np.int16))
    with pytest.raises(ValueError, match="1-D or 2-D"):
        rs.process(np.zeros((2, 2, 2), np.float32))
    with pytest.raises(ValueError, match="C-contiguous"):
        rs.process(np.zeros((10, 4), np.float32)[:, ::2])
    with pytest.raises(ValueError, match="frames must be >= 0"):
        rs.max_output_frames(-1)
    # Nothing was consumed by the refused calls.
    assert rs.max_output_frames(1) == 2
    assert rs.process(np.zeros(4, np.int16)).shape == (8,)


def test_creation_errors_name_the_rule() -> None:
    for rate in (0, 11025, 22050, 96000, -8000):
        with pytest.raises(ValueError, match="input_rate_hz must be 8000, 16000, 32000, 44100"):
            Resampler(rate, 8000)
        with pytest.raises(ValueError, match="output_rate_hz must be"):
            Resampler(8000, rate)
    for channels in (0, 9, -1):
        with pytest.raises(ValueError, match="channels must be 1..8"):
            Resampler(8000, 16000, channels=channels)
    with pytest.raises(ValueError, match="'fast', 'standard' or 'high'"):
        Resampler(8000, 16000, quality="best")  # type: ignore[arg-type]


def test_properties_latency_and_repr() -> None:
    for quality in ("fast", "standard", "high"):
        rs = Resampler(44100, 16000, channels=2, quality=quality)
        assert (rs.input_rate_hz, rs.output_rate_hz, rs.channels, rs.quality) == (
            44100, 16000, 2, quality)
        assert rs.latency_seconds > 0
        assert rs.latency_output_frames == pytest.approx(rs.latency_seconds * 16000)
        assert repr(rs) == f"Resampler(44100, 16000, channels=2, quality='{quality}')"
    assert ivrmedia.Resampler is Resampler and resampler.Resampler is Resampler
    for obj in (Resampler, Resampler.process, Resampler.max_output_frames, Resampler.reset,
                resample, resampler):
        assert obj.__doc__ and obj.__doc__.strip()


# --------------------------------------------------------------------------------------------
# One-shot resample()


@pytest.mark.parametrize(("input_rate", "output_rate", "n"), [
    (8000, 16000, 1000), (16000, 8000, 1001), (44100, 48000, 4410), (48000, 44100, 997),
    (8000, 44100, 40),  # 40 * 44100 / 8000 = 220.5: halves round up
    (44100, 8000, 3), (8000, 8000, 123), (32000, 8000, 1), (8000, 48000, 0),
])
def test_resample_length_is_rounded_and_the_filter_flushed(
    input_rate: int, output_rate: int, n: int
) -> None:
    x = signal(n, input_rate)[:, 0]
    y = resample(x, input_rate, output_rate)
    assert y.dtype == np.float32
    assert y.shape == ((2 * n * output_rate + input_rate) // (2 * input_rate),)
    # It is the stream's output with the filter's ramp dropped and its tail flushed out.
    rs = Resampler(input_rate, output_rate)
    delay = round(rs.latency_output_frames)
    stream = np.concatenate([rs.process(x), rs.process(np.zeros(4 * input_rate, np.float32))])
    np.testing.assert_array_equal(y, stream[delay : delay + y.size])


def test_resample_shapes_dtypes_and_quality() -> None:
    x = to_s16(signal(441, 44100, 2))
    y = resample(x, 44100, 8000, quality="high")
    assert y.dtype == np.int16 and y.shape == (80, 2)
    mono = resample(np.ascontiguousarray(x[:, 1]), 44100, 8000, quality="fast")
    assert mono.shape == (80,)
    with pytest.raises(ValueError, match="quality"):
        resample(x, 44100, 8000, quality="best")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="input_rate_hz"):
        resample(x, 22050, 8000)
    with pytest.raises(TypeError, match="int16 or float32"):
        resample(np.zeros(10), 8000, 16000)  # type: ignore[type-var]


# --------------------------------------------------------------------------------------------
# Threads


def test_resamplers_on_threads_match_sequential_results() -> None:
    x = signal(48000, 48000)[:, 0]
    want = Resampler(48000, 8000).process(x)
    results: list[np.ndarray] = [np.empty(0)] * 4

    def work(i: int) -> None:
        results[i] = Resampler(48000, 8000).process(x)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        np.testing.assert_array_equal(r, want)


def test_one_resampler_on_two_threads_is_refused_not_corrupted(errors_on_threads) -> None:
    rs = Resampler(44100, 48000, channels=8, quality="high")
    x = signal(44100, 44100, 8)
    errors = errors_on_threads(lambda: rs.process(x), 20)
    assert all("two threads" in e for e in errors)
