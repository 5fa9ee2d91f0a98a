// Prompt factories: memory buffers, silence, comfort noise, DTMF and call-progress tones.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numbers>
#include <span>
#include <string>
#include <vector>

#include "core/sample_convert.hpp"
#include "ivrmedia/dtmf.hpp"
#include "ivrmedia/prompt.hpp"
#include "mix/convert_rate.hpp"

namespace ivrmedia::mix {
namespace {

void require_rate(int rate_hz) {
  if (!resample::Resampler::rate_supported(rate_hz)) {
    throw Error(Status::bad_config,
                "prompt: playback rate must be 8000, 16000, 32000, 44100 or 48000 Hz");
  }
}

std::size_t samples_for(double seconds, int rate_hz) {
  if (!(seconds >= 0.0) || seconds > 86400.0) {
    throw Error(Status::bad_config, "prompt: duration must be 0-86400 s");
  }
  return static_cast<std::size_t>(std::llround(seconds * rate_hz));
}

// dBm0 -> peak amplitude of a sine with full scale 1.0: G.711's full-scale sine is +3.17 dBm0.
double sine_amplitude(double dbm0) {
  return std::pow(10.0, (dbm0 - 3.17) / 20.0);
}

}  // namespace

std::shared_ptr<const Prompt> Prompt::adopt(std::vector<float> samples, int rate_hz,
                                            std::string name) {
  require_rate(rate_hz);
  // A NaN or infinity would go through every gain, fade and mix sum it meets (a float WAV or a
  // NumPy array can carry them): it becomes silence here, once, instead.
  for (float& v : samples)
    if (!std::isfinite(v)) v = 0.0f;
  // Private constructor: make_shared cannot reach it.
  return std::shared_ptr<const Prompt>(new Prompt(std::move(samples), rate_hz, std::move(name)));
}

std::shared_ptr<const Prompt> Prompt::from_samples(std::span<const float> mono, int source_rate_hz,
                                                   int rate_hz, std::string name,
                                                   resample::Quality quality) {
  require_rate(rate_hz);
  if (mono.empty()) throw Error(Status::invalid_argument, "prompt: no samples");
  if (!std::all_of(mono.begin(), mono.end(), [](float v) { return std::isfinite(v); })) {
    // Silence in place of non-finite samples before the rate converter spreads them.
    std::vector<float> finite(mono.begin(), mono.end());
    for (float& v : finite)
      if (!std::isfinite(v)) v = 0.0f;
    return from_samples(std::span<const float>(finite), source_rate_hz, rate_hz, std::move(name),
                        quality);
  }
  return adopt(convert_rate(mono, source_rate_hz, rate_hz, quality), rate_hz, std::move(name));
}

std::shared_ptr<const Prompt> Prompt::from_samples(std::span<const std::int16_t> mono,
                                                   int source_rate_hz, int rate_hz,
                                                   std::string name, resample::Quality quality) {
  std::vector<float> f(mono.size());
  for (std::size_t i = 0; i < mono.size(); ++i)
    f[i] = core::s16_to_float(mono[i]);
  return from_samples(std::span<const float>(f), source_rate_hz, rate_hz, std::move(name), quality);
}

std::shared_ptr<const Prompt> Prompt::silence(double seconds, int rate_hz) {
  require_rate(rate_hz);
  return adopt(std::vector<float>(samples_for(seconds, rate_hz), 0.0f), rate_hz, "silence");
}

std::shared_ptr<const Prompt> Prompt::comfort_noise(double seconds, double level_dbfs, int rate_hz,
                                                    std::uint64_t seed) {
  require_rate(rate_hz);
  if (!(level_dbfs <= 0.0 && level_dbfs >= -120.0)) {
    throw Error(Status::bad_config, "prompt: noise level must be -120..0 dBFS");
  }
  std::vector<float> x(samples_for(seconds, rate_hz));
  // Uniform white noise: RMS of U(-a, a) is a / sqrt(3); dBFS here is relative to RMS 1/sqrt(2)
  // (the full-scale sine), as level meters show it.
  const double rms = std::pow(10.0, level_dbfs / 20.0) / std::numbers::sqrt2;
  const double a = rms * std::sqrt(3.0);
  std::uint64_t state = seed;
  for (float& v : x) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;  // LCG (Knuth MMIX)
    const double u = static_cast<double>(state >> 11) * (1.0 / 9007199254740992.0);
    v = static_cast<float>(a * (2.0 * u - 1.0));
  }
  return adopt(std::move(x), rate_hz, "comfort noise");
}

std::shared_ptr<const Prompt> Prompt::dtmf(std::string_view digits, int rate_hz) {
  dtmf::Generator::Config gc;
  gc.sample_rate_hz = rate_hz;
  dtmf::Generator gen(gc);
  if (gen.queue(digits) != Status::ok) {
    throw Error(Status::invalid_argument, "prompt: DTMF digits must be 0-9 * # A-D (at most 64)");
  }
  const auto per_digit =
      static_cast<std::size_t>(std::llround((gc.tone_ms + gc.pause_ms) * rate_hz / 1000.0));
  std::vector<float> x(per_digit * digits.size());
  (void)gen.generate(x);
  return adopt(std::move(x), rate_hz, "dtmf");
}

ToneSpec call_progress(CallProgress which) {
  ToneSpec t;
  switch (which) {
    case CallProgress::ringback_eu:
      t = {425, 0, -13, {1000, 4000}, 5.0};
      break;
    case CallProgress::busy_eu:
      t = {425, 0, -13, {500, 500}, 1.0};
      break;
    case CallProgress::congestion_eu:
      t = {425, 0, -13, {250, 250}, 0.5};
      break;
    case CallProgress::dial_eu:
      t = {425, 0, -13, {}, 2.0};
      break;
    // North American precise tones: levels per frequency as the plan gives them.
    case CallProgress::ringback_us:
      t = {440, 480, -19, {2000, 4000}, 6.0};
      break;
    case CallProgress::busy_us:
      t = {480, 620, -24, {500, 500}, 1.0};
      break;
    case CallProgress::congestion_us:
      t = {480, 620, -24, {250, 250}, 0.5};
      break;
    case CallProgress::dial_us:
      t = {350, 440, -13, {}, 2.0};
      break;
  }
  return t;
}

std::shared_ptr<const Prompt> tone(const ToneSpec& spec, int rate_hz, std::string name) {
  require_rate(rate_hz);
  const double nyquist = rate_hz / 2.0;
  if (!(spec.frequency1_hz > 0 && spec.frequency1_hz < nyquist) ||
      !(spec.frequency2_hz >= 0 && spec.frequency2_hz < nyquist) || !(spec.level_dbm0 <= 3.0)) {
    throw Error(Status::bad_config,
                "prompt: tone frequencies must be in (0, rate/2), level <= +3 dBm0");
  }
  double cycle_ms = 0;
  for (double d : spec.cadence_ms) {
    if (!(d >= 0)) throw Error(Status::bad_config, "prompt: cadence durations must be >= 0");
    cycle_ms += d;
  }
  std::vector<float> x(samples_for(spec.seconds, rate_hz));
  const double amp = sine_amplitude(spec.level_dbm0);
  // 4 ms raised-cosine edges on every burst: no clicks where the cadence switches.
  const double ramp = 0.004 * rate_hz;
  const double w1 = 2 * std::numbers::pi * spec.frequency1_hz / rate_hz;
  const double w2 = 2 * std::numbers::pi * spec.frequency2_hz / rate_hz;
  for (std::size_t i = 0; i < x.size(); ++i) {
    double gain = 1.0;
    if (cycle_ms > 0) {
      // Position in the cadence, and the on-burst it falls in (if any).
      const double t_ms = std::fmod(1000.0 * static_cast<double>(i) / rate_hz, cycle_ms);
      double start = 0;
      gain = 0.0;
      for (std::size_t k = 0; k < spec.cadence_ms.size(); ++k) {
        const double len = spec.cadence_ms[k];
        if (k % 2 == 0 && t_ms >= start && t_ms < start + len) {
          const double from_start = (t_ms - start) * rate_hz / 1000.0;
          const double to_end = (start + len - t_ms) * rate_hz / 1000.0;
          const double edge = std::min(from_start, to_end);
          gain = edge >= ramp ? 1.0 : 0.5 - 0.5 * std::cos(std::numbers::pi * edge / ramp);
        }
        start += len;
      }
    }
    const auto n = static_cast<double>(i);
    const double v = std::sin(w1 * n) + (spec.frequency2_hz > 0 ? std::sin(w2 * n) : 0.0);
    x[i] = static_cast<float>(gain * amp * v);
  }
  return Prompt::adopt(std::move(x), rate_hz, name.empty() ? "tone" : std::move(name));
}

}  // namespace ivrmedia::mix
