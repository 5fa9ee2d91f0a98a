// Speech-like test signal: voiced syllables (a glottal pulse train through three moving formant
// resonators, pitch gliding 85-260 Hz), fricatives (filtered noise) and pauses between words.
// Deterministic per seed and never periodic over long spans, so benchmarks that read it do not
// let the branch predictor learn the data, and codec tests see speech-like level statistics.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ivrmedia::sim {

struct SpeechLikeConfig {
  int sample_rate_hz = 8000;
  double level_dbfs = -20.0;  // RMS of the whole signal, dB relative to an RMS of 1.0
  std::uint64_t seed = 1;
};

// n samples in [-1, 1).
std::vector<float> speech_like(std::size_t n, const SpeechLikeConfig& config);

// The same signal as int16.
std::vector<std::int16_t> speech_like_s16(std::size_t n, const SpeechLikeConfig& config);

}  // namespace ivrmedia::sim
