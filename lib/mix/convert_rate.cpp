// Load-time rate conversion for prompts (see convert_rate.hpp).
#include "mix/convert_rate.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>

namespace ivrmedia::mix {
namespace {

std::size_t target_length(std::size_t n, int in_rate, int out_rate) {
  return static_cast<std::size_t>(
      std::llround(static_cast<double>(n) * out_rate / static_cast<double>(in_rate)));
}

// Through the library's resampler: feed the input, then silence until the filter's delay has
// come out, and drop that delay from the front.
std::vector<float> with_resampler(std::span<const float> in, int in_rate, int out_rate,
                                  resample::Quality quality) {
  resample::Resampler rs(
      {.input_rate_hz = in_rate, .output_rate_hz = out_rate, .channels = 1, .quality = quality});
  const auto delay = static_cast<std::size_t>(std::llround(rs.latency_output_frames()));
  const std::size_t want = target_length(in.size(), in_rate, out_rate);
  std::vector<float> out;
  out.reserve(want + delay + 64);
  std::vector<float> chunk;
  const auto run = [&](std::span<const float> x) {
    chunk.resize(rs.max_output_frames(x.size()));
    resample::Result r;
    if (rs.process(x, chunk, &r) != Status::ok) {
      throw Error(Status::internal, "prompt: rate conversion failed");
    }
    out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<long>(r.out_frames_written));
  };
  run(in);
  const std::vector<float> zeros(1024, 0.0f);
  while (out.size() < want + delay)
    run(zeros);
  return {out.begin() + static_cast<long>(delay), out.begin() + static_cast<long>(delay + want)};
}

double bessel_i0(double x) {
  double sum = 1.0;
  double term = 1.0;
  for (int k = 1; k < 40; ++k) {
    term *= (x / (2.0 * k)) * (x / (2.0 * k));
    sum += term;
  }
  return sum;
}

// Any ratio: each output sample is a Kaiser-windowed sinc sum over the input around its exact
// position (cutoff 0.45 x the lower rate, 32 zero crossings each side, beta 9: about 90 dB of
// stopband, ripple well under 0.1 dB to 0.4 x the lower rate). Slow, and fine for audio made
// once.
std::vector<float> with_sinc(std::span<const float> in, int in_rate, int out_rate) {
  const std::size_t want = target_length(in.size(), in_rate, out_rate);
  const double ratio = static_cast<double>(in_rate) / out_rate;  // input samples per output
  const double cutoff = 0.45 * std::min(1.0, 1.0 / ratio);       // cycles per input sample
  const double half_width = 32.0 / (2.0 * cutoff);               // input samples each side
  // The kernel, tabulated over |d| in steps of 1/kSteps input samples (read with linear
  // interpolation): computing the Bessel window per tap would cost seconds per minute of audio.
  constexpr int kSteps = 256;
  const double beta = 9.0;
  const double i0_beta = bessel_i0(beta);
  const auto entries = static_cast<std::size_t>(std::ceil(half_width * kSteps)) + 2;
  std::vector<double> kernel(entries);
  for (std::size_t k = 0; k < entries; ++k) {
    const double d = static_cast<double>(k) / kSteps;
    const double w = std::min(1.0, d / half_width);
    const double x = 2.0 * cutoff * d;
    const double sinc = x == 0.0 ? 1.0 : std::sin(std::numbers::pi * x) / (std::numbers::pi * x);
    kernel[k] = 2.0 * cutoff * sinc * bessel_i0(beta * std::sqrt(1.0 - w * w)) / i0_beta;
  }
  std::vector<float> out(want);
  const auto n = static_cast<long>(in.size());
  for (std::size_t j = 0; j < want; ++j) {
    const double t = static_cast<double>(j) * ratio;
    const auto first = static_cast<long>(std::ceil(t - half_width));
    const auto last = static_cast<long>(std::floor(t + half_width));
    double acc = 0.0;
    for (long i = std::max(0L, first); i <= std::min(n - 1, last); ++i) {
      const double pos = std::abs(static_cast<double>(i) - t) * kSteps;
      const auto k = static_cast<std::size_t>(pos);
      const double frac = pos - static_cast<double>(k);
      const double h = k + 1 < entries ? kernel[k] + frac * (kernel[k + 1] - kernel[k]) : 0.0;
      acc += in[static_cast<std::size_t>(i)] * h;
    }
    out[j] = static_cast<float>(acc);
  }
  return out;
}

}  // namespace

std::vector<float> convert_rate(std::span<const float> in, int in_rate_hz, int out_rate_hz,
                                resample::Quality quality) {
  if (!resample::Resampler::rate_supported(out_rate_hz)) {
    throw Error(Status::bad_config,
                "prompt: playback rate must be 8000, 16000, 32000, 44100 or 48000 Hz");
  }
  if (in_rate_hz < 1000 || in_rate_hz > 384000) {
    throw Error(Status::bad_config, "prompt: source rate must be 1000-384000 Hz");
  }
  if (in_rate_hz == out_rate_hz) return {in.begin(), in.end()};
  if (in.empty()) return {};
  if (resample::Resampler::rate_supported(in_rate_hz)) {
    return with_resampler(in, in_rate_hz, out_rate_hz, quality);
  }
  return with_sinc(in, in_rate_hz, out_rate_hz);
}

}  // namespace ivrmedia::mix
