#include "sim/speech_like.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "core/sample_convert.hpp"

namespace ivrmedia::sim {
namespace {

// Two-pole resonator (a formant): centre frequency and bandwidth in Hz.
struct Resonator {
  double a1 = 0, a2 = 0, gain = 0, y1 = 0, y2 = 0;
  void tune(double freq, double bandwidth, double rate) {
    const double r = std::exp(-std::numbers::pi * bandwidth / rate);
    a1 = 2 * r * std::cos(2 * std::numbers::pi * freq / rate);
    a2 = -r * r;
    gain = 1 - r;
  }
  double step(double x) {
    const double y = gain * x + a1 * y1 + a2 * y2;
    y2 = y1;
    y1 = y;
    return y;
  }
};

// Vowel formant triples (Hz), roughly /a e i o u/ and two schwa-like centres.
constexpr double kVowels[][3] = {{730, 1090, 2440}, {530, 1840, 2480}, {270, 2290, 3010},
                                 {570, 840, 2410},  {300, 870, 2240},  {500, 1500, 2500},
                                 {640, 1190, 2390}};

}  // namespace

std::vector<float> speech_like(std::size_t n, const SpeechLikeConfig& config) {
  const double rate = config.sample_rate_hz;
  std::mt19937_64 rng(config.seed);
  std::uniform_real_distribution<double> uni(0.0, 1.0);
  std::normal_distribution<double> gauss(0.0, 1.0);

  std::vector<double> x(n);
  Resonator f[3];
  Resonator hiss;
  double phase = 0;
  std::size_t i = 0;
  while (i < n) {
    // One syllable (or pause): 80-320 ms voiced, sometimes a fricative, sometimes a pause.
    const double kind = uni(rng);
    const auto len = static_cast<std::size_t>(rate * (0.08 + 0.24 * uni(rng)));
    const std::size_t end = std::min(n, i + len);
    const auto& v = kVowels[static_cast<std::size_t>(uni(rng) * 7) % 7];
    const double f0_start = 85 + 175 * uni(rng);
    const double f0_end = std::clamp(f0_start * (0.75 + 0.5 * uni(rng)), 80.0, 270.0);
    const double loudness = 0.3 + 0.7 * uni(rng);
    for (int k = 0; k < 3; ++k) {
      f[k].tune(std::min(v[k] * (0.9 + 0.2 * uni(rng)), 0.45 * rate), 60 + 40 * k, rate);
    }
    hiss.tune(std::min(3500.0, 0.4 * rate), 1500, rate);
    for (std::size_t j = i; j < end; ++j) {
      const double t = double(j - i) / double(end - i);
      const double env = loudness * std::sin(std::numbers::pi * t);  // no clicks at edges
      double s = 0;
      if (kind < 0.12) {
        s = 0;  // pause between words
      } else if (kind < 0.27) {
        s = 3.0 * env * hiss.step(gauss(rng));  // fricative
      } else {
        const double f0 = f0_start + (f0_end - f0_start) * t;
        phase += f0 / rate;
        phase -= std::floor(phase);
        const double pulse = (phase < 0.1 ? 1.0 : 0.0) - 0.1;  // glottal-like pulse train
        const double src = pulse + 0.02 * gauss(rng);          // breath noise
        s = env * (f[0].step(src) + 0.7 * f[1].step(src) + 0.4 * f[2].step(src));
      }
      x[j] = s;
    }
    i = end;
  }

  double energy = 0;
  for (double s : x)
    energy += s * s;
  const double rms = std::sqrt(energy / double(std::max<std::size_t>(n, 1)));
  const double gain = rms > 0 ? std::pow(10.0, config.level_dbfs / 20.0) / rms : 0.0;
  std::vector<float> out(n);
  for (std::size_t j = 0; j < n; ++j) {
    out[j] = static_cast<float>(std::clamp(x[j] * gain, -0.999, 0.999));
  }
  return out;
}

std::vector<std::int16_t> speech_like_s16(std::size_t n, const SpeechLikeConfig& config) {
  const std::vector<float> f = speech_like(n, config);
  std::vector<std::int16_t> out(n);
  std::transform(f.begin(), f.end(), out.begin(), core::float_to_s16);
  return out;
}

}  // namespace ivrmedia::sim
