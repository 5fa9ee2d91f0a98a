// Test signals and measures shared by the packet-loss concealment tests (test_plc.cpp,
// test_plc_spandsp.cpp, test_g722_plc.cpp): periodic signals with a known pitch, random loss
// patterns, segmental SNR, the largest sample-to-sample step.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <random>
#include <span>
#include <vector>

namespace plc_test {

// f0 and its next three harmonics (amplitudes 1, 1/2, 1/3, 1/4 times `amplitude`).
inline std::vector<float> harmonic_tone(double f0, int rate, std::size_t n,
                                        double amplitude = 0.25) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / rate;
    double v = 0;
    for (int h = 1; h <= 4; ++h)
      v += std::sin(2 * std::numbers::pi * f0 * h * t + 0.7 * h) / h;
    x[i] = static_cast<float>(amplitude * v);
  }
  return x;
}

// A steady synthetic vowel /a/: a glottal-like pulse every `period` samples (pitch
// rate / period exactly) through three formant resonators (730, 1090, 2440 Hz). The first
// 100 ms (the filters settling) are dropped.
inline std::vector<float> vowel(int period, int rate, std::size_t n, double amplitude = 0.3) {
  struct Resonator {
    double a1, a2, g, y1 = 0, y2 = 0;
    Resonator(double f, double bw, double fs) {
      const double r = std::exp(-std::numbers::pi * bw / fs);
      a1 = 2 * r * std::cos(2 * std::numbers::pi * f / fs);
      a2 = -r * r;
      g = 1 - r;
    }
    double step(double x) {
      const double y = g * x + a1 * y1 + a2 * y2;
      y2 = y1;
      y1 = y;
      return y;
    }
  };
  Resonator f1(730, 80, rate), f2(1090, 100, rate), f3(2440, 120, rate);
  const auto skip = static_cast<std::size_t>(rate / 10);
  std::vector<double> y(n + skip);
  const int open = std::max(1, period / 10);
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double src = (static_cast<int>(i % static_cast<std::size_t>(period)) < open ? 1.0 : 0.0) -
                       static_cast<double>(open) / period;
    y[i] = f1.step(src) + 0.7 * f2.step(src) + 0.4 * f3.step(src);
  }
  double peak = 0;
  for (std::size_t i = skip; i < y.size(); ++i)
    peak = std::max(peak, std::abs(y[i]));
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = static_cast<float>(amplitude * y[i + skip] / peak);
  return x;
}

// Independent losses with probability `p` per packet (true = lost), never the first two.
inline std::vector<bool> random_losses(std::size_t packets, double p, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution lost(p);
  std::vector<bool> l(packets);
  for (std::size_t i = 2; i < packets; ++i)
    l[i] = lost(rng);
  return l;
}

// Segmental SNR in dB: the mean over segments of `seg` samples of each segment's SNR of `y`
// against `x`, clamped to [-10, 35] dB (the usual bounds: a silent-output segment scores 0 dB,
// a perfect one 35 dB). Segments where x is quieter than -50 dBFS RMS are skipped. With
// `only`, just the segments it marks (one flag per segment).
inline double segmental_snr(std::span<const float> x, std::span<const float> y, std::size_t seg,
                            const std::vector<bool>* only = nullptr) {
  double sum = 0;
  int count = 0;
  for (std::size_t s = 0; (s + 1) * seg <= std::min(x.size(), y.size()); ++s) {
    if (only != nullptr && (s >= only->size() || !(*only)[s])) continue;
    double sig = 0, err = 0;
    for (std::size_t i = s * seg; i < (s + 1) * seg; ++i) {
      sig += double(x[i]) * x[i];
      err += (double(x[i]) - y[i]) * (double(x[i]) - y[i]);
    }
    if (sig < static_cast<double>(seg) * 1e-5) continue;  // -50 dBFS
    const double snr = err == 0 ? 35.0 : 10 * std::log10(sig / err);
    sum += std::clamp(snr, -10.0, 35.0);
    ++count;
  }
  return count == 0 ? 0.0 : sum / count;
}

// Per segment of `seg_per_packet` segments per packet: which belong to lost packets, and which
// to the first packet after a loss (where the recovery fade acts).
struct LossMasks {
  std::vector<bool> lost, after;
};
inline LossMasks loss_masks(const std::vector<bool>& lost, std::size_t seg_per_packet) {
  LossMasks m{std::vector<bool>(lost.size() * seg_per_packet),
              std::vector<bool>(lost.size() * seg_per_packet)};
  for (std::size_t p = 0; p < lost.size(); ++p) {
    const bool after = !lost[p] && p > 0 && lost[p - 1];
    for (std::size_t k = 0; k < seg_per_packet; ++k) {
      m.lost[p * seg_per_packet + k] = lost[p];
      m.after[p * seg_per_packet + k] = after;
    }
  }
  return m;
}

inline float max_jump(std::span<const float> x) {
  float m = 0;
  for (std::size_t i = 1; i < x.size(); ++i)
    m = std::max(m, std::abs(x[i] - x[i - 1]));
  return m;
}

inline double rms(std::span<const float> x) {
  double e = 0;
  for (const float v : x)
    e += double(v) * v;
  return x.empty() ? 0.0 : std::sqrt(e / static_cast<double>(x.size()));
}

inline std::vector<float> to_float(std::span<const std::int16_t> x) {
  std::vector<float> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    y[i] = static_cast<float>(x[i]) / 32768.0f;
  return y;
}

inline std::vector<std::int16_t> to_s16(std::span<const float> x) {
  std::vector<std::int16_t> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    y[i] = static_cast<std::int16_t>(std::lround(std::clamp(x[i] * 32768.0f, -32768.0f, 32767.0f)));
  return y;
}

}  // namespace plc_test
