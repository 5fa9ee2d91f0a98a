"""DTMF from Python: ITU-T Q.24 detection of generated digits, streaming, errors."""

import threading

import numpy as np
import pytest

import ivrmedia

ALL = "0123456789*#ABCD"


@pytest.mark.parametrize("rate", [8000, 16000, 48000])
def test_generated_digits_are_detected_at_every_rate(rate):
    audio = ivrmedia.generate_dtmf(ALL, rate, tone_ms=50, pause_ms=50)
    assert audio.dtype == np.float32
    assert audio.shape == (len(ALL) * rate // 10,)
    events = ivrmedia.detect_dtmf(audio, rate)
    assert "".join(e.digit for e in events) == ALL
    for i, e in enumerate(events):
        assert e.kind == "up"
        assert abs(e.start - i * rate // 10) <= rate * 3 // 1000  # within 3 ms
        assert abs(e.end - e.start - rate // 20) <= rate * 6 // 1000
        assert abs(e.low_dbm0 - -7.0) < 0.5 and abs(e.twist_db - 2.0) < 0.5


def test_int16_input_and_g711_round_trip():
    audio = ivrmedia.generate_dtmf("5551234", 8000, low_dbm0=-20)
    pcm = np.round(audio * 32767).astype(np.int16)
    codes = ivrmedia.g711.encode(pcm, law="alaw")
    back = ivrmedia.g711.decode(codes, law="alaw")
    assert "".join(e.digit for e in ivrmedia.detect_dtmf(back, 8000)) == "5551234"


def test_streaming_gives_down_before_up_and_does_not_depend_on_chunks():
    audio = ivrmedia.generate_dtmf("19", 8000)
    det = ivrmedia.DtmfDetector(8000)
    events = []
    for i in range(0, audio.size, 37):
        events += det.process(audio[i : i + 37].copy())
    events += det.gap(1)
    assert [(e.kind, e.digit) for e in events] == [
        ("down", "1"), ("up", "1"), ("down", "9"), ("up", "9")]
    assert det.digits == 2
    assert 0 < det.max_key_down_latency <= 8000 * 45 // 1000
    assert repr(events[0]).startswith("DtmfEvent(kind='down', digit='1'")


def test_speechless_noise_gives_no_digits():
    rng = np.random.default_rng(24)
    noise = (0.05 * rng.standard_normal(8000 * 5)).astype(np.float32)
    assert ivrmedia.detect_dtmf(noise, 8000) == []


def test_errors_are_clear():
    with pytest.raises(ValueError, match="0-9"):
        ivrmedia.generate_dtmf("12x")
    with pytest.raises(ValueError):
        ivrmedia.generate_dtmf("1", low_dbm0=3.0)  # two tones at +3 dBm0 would clip
    with pytest.raises(ValueError):
        ivrmedia.DtmfDetector(1000)
    with pytest.raises(TypeError, match="int16 or float32"):
        ivrmedia.detect_dtmf(np.zeros(100, dtype=np.float64), 8000)
    with pytest.raises(ValueError, match="1-D"):
        ivrmedia.detect_dtmf(np.zeros((2, 100), dtype=np.float32), 8000)
    with pytest.raises(ValueError):
        ivrmedia.DtmfDetector().gap(-1)


def test_detectors_on_threads_are_independent():
    inputs = [ivrmedia.generate_dtmf(d * 3, 8000) for d in "147*"]
    results = [None] * len(inputs)

    def work(i):
        results[i] = "".join(e.digit for e in ivrmedia.detect_dtmf(inputs[i], 8000))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(inputs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [d * 3 for d in "147*"]


def test_masking_removes_digits_and_keeps_the_rest():
    rng = np.random.default_rng(3)
    speech = (0.05 * rng.standard_normal(16000)).astype(np.float32)
    keys = ivrmedia.generate_dtmf("1234", 8000, tone_ms=70, pause_ms=130)
    audio = speech.copy()
    audio[2000 : 2000 + keys.size] += keys
    pcm = np.round(audio * 20000).astype(np.int16)
    assert "".join(e.digit for e in ivrmedia.detect_dtmf(pcm, 8000)) == "1234"
    masked = ivrmedia.mask_dtmf(pcm, 8000)
    assert masked.dtype == np.int16 and masked.shape == pcm.shape
    assert ivrmedia.detect_dtmf(masked, 8000) == []
    assert np.array_equal(masked[:1900], pcm[:1900])  # before the first key: bit-exact
    assert np.array_equal(masked[-2000:], pcm[-2000:])  # after the last key: bit-exact
    m = ivrmedia.DtmfMasker(8000)
    assert m.latency == 320


def test_thresholds_change_at_runtime():
    det = ivrmedia.DtmfDetector(8000)
    assert det.threshold("min_tone_ms") == 31.0
    det.set_threshold("min_tone_ms", 60)
    assert det.threshold("min_tone_ms") == 60.0
    short = ivrmedia.generate_dtmf("5", 8000, tone_ms=40)
    assert det.process(short) + det.gap(1) == []  # 40 ms is now too short
    with pytest.raises(ValueError, match="within"):
        det.set_threshold("min_tone_ms", 5000)
    assert det.threshold("min_tone_ms") == 60.0
    with pytest.raises(ValueError, match="unknown threshold"):
        det.set_threshold("loudness", 1)
