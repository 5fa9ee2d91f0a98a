// WSOLA-style accelerate and preemptive expand (see time_stretch.hpp for the method, the
// geometry and the thresholds).
#include "jitter/time_stretch.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/dot.hpp"

namespace ivrmedia::jitter {
namespace {

// The pitch search at 4 kHz, in samples at that rate, whatever the input rate.
constexpr int kCoarseRateHz = 4000;
constexpr std::size_t kCoarseMinLag = 10;  // 2.5 ms
constexpr std::size_t kCoarseMaxLag = 60;  // 15 ms
constexpr std::size_t kCoarseWindow = 50;  // 12.5 ms correlated
// Decimation low-pass: 4 taps per decimation step plus one (9 at 8 kHz, 49 at 48 kHz), cut off
// below the 2 kHz Nyquist of the coarse signal so upper harmonics do not alias into it and
// create false peaks.
constexpr std::size_t kTapsPerStep = 4;
constexpr double kCutoffHz = 1700.0;
// A shorter lag (a period where the peak is a multiple of it) replaces the coarse peak when it
// scores at least this fraction of it.
constexpr float kSubMultipleRatio = 0.95f;
constexpr std::size_t kMaxSubMultiple = kCoarseMaxLag / kCoarseMinLag;  // 6
// Floor of the energy normalizing a search correlation, per sample at full scale 1.0 (about
// -85 dBFS, G.711 Appendix I's floor): keeps near-silence from dividing by nearly zero.
constexpr float kMinPowerPerSample = 250.0f / 80.0f / (32768.0f * 32768.0f);

// Correlation of `l` with `r`, normalized by r's energy only: enough to rank lags against one
// fixed window `l`, and what the sub-multiple test compares.
float search_score(const float* l, const float* r, std::size_t n, float floor) noexcept {
  return core::dot4(l, r, n) / std::sqrt(std::max(core::dot4(r, r, n), floor));
}

// Mean square per sample of a level in dBFS (RMS 1.0 = 0 dBFS); the constructor and the
// setter share it so a level set either way gives the same threshold.
float power_of(float level_dbfs) noexcept {
  return std::pow(10.0f, level_dbfs / 10.0f);
}

bool supported_rate(int hz) {
  return hz == 8000 || hz == 16000 || hz == 48000;
}
bool valid_threshold(float t) {
  return t > 0.0f && t <= 1.0f;
}
bool valid_quiet_level(float dbfs) {
  return dbfs >= -120.0f && dbfs <= 0.0f;
}

}  // namespace

TimeStretcher::TimeStretcher(const Config& config)
    : rate_(config.sample_rate_hz),
      threshold_(config.correlation_threshold),
      quiet_dbfs_(config.quiet_level_dbfs) {
  if (config.channels < 1 || config.channels > static_cast<int>(kMaxChannels)) {
    throw Error(Status::bad_config, "jitter::TimeStretcher: channels must be 1 or 2");
  }
  channels_ = static_cast<std::size_t>(config.channels);
  if (!supported_rate(rate_)) {
    throw Error(Status::bad_config,
                "jitter::TimeStretcher: sample_rate_hz must be 8000, 16000 or 48000");
  }
  if (!valid_threshold(threshold_)) {
    throw Error(Status::bad_config,
                "jitter::TimeStretcher: correlation_threshold must be in (0, 1]");
  }
  if (!valid_quiet_level(quiet_dbfs_)) {
    throw Error(Status::bad_config, "jitter::TimeStretcher: quiet_level_dbfs must be in [-120, 0]");
  }
  quiet_power_ = power_of(quiet_dbfs_);
  decimation_ = static_cast<std::size_t>(rate_ / kCoarseRateHz);
  min_lag_ = kCoarseMinLag * decimation_;
  max_lag_ = kCoarseMaxLag * decimation_;
  anchor_ = max_lag_;
  window_ = kCoarseWindow * decimation_;

  // Hann-windowed sinc, normalized to unity gain at DC.
  const std::size_t taps = kTapsPerStep * decimation_ + 1;
  const double centre = static_cast<double>(taps / 2);
  const double fc = kCutoffHz / rate_;
  taps_ = taps;
  double sum = 0;
  std::array<double, kMaxTaps> h{};
  for (std::size_t k = 0; k < taps; ++k) {
    const double t = static_cast<double>(k) - centre;
    const double sinc =
        t == 0 ? 2 * fc : std::sin(2 * std::numbers::pi * fc * t) / (std::numbers::pi * t);
    const double window = 0.5 + 0.5 * std::cos(std::numbers::pi * t / (centre + 1));
    h[k] = sinc * window;
    sum += h[k];
  }
  for (std::size_t k = 0; k < taps; ++k)
    lowpass_[k] = static_cast<float>(h[k] / sum);
  static_assert(kCoarseSamples == kCoarseMaxLag + kCoarseWindow);
  static_assert(kMaxTaps >= kTapsPerStep * (48000 / kCoarseRateHz) + 1);

  for (std::size_t j = 0; j <= kFadeTable; ++j) {
    const double t = static_cast<double>(j) / kFadeTable;
    fade_[j] = static_cast<float>(0.5 - 0.5 * std::cos(std::numbers::pi * t));
  }
  fade_[0] = 0.0f;
  fade_[kFadeTable] = 1.0f;
}

Status TimeStretcher::set_correlation_threshold(float threshold) noexcept {
  if (!valid_threshold(threshold)) return Status::out_of_range;
  threshold_ = threshold;
  return Status::ok;
}

Status TimeStretcher::set_quiet_level_dbfs(float level_dbfs) noexcept {
  if (!valid_quiet_level(level_dbfs)) return Status::out_of_range;
  quiet_dbfs_ = level_dbfs;
  quiet_power_ = power_of(level_dbfs);
  return Status::ok;
}

// Pitch period at frame `anchor` (frames [anchor - 15 ms, anchor + 15 ms) must exist), in
// samples per channel. With several channels every correlation sums over all of them: in the
// interleaved layout a shift by `lag` frames is a shift by lag * channels samples, so each
// joint correlation is one contiguous dot product.
std::size_t TimeStretcher::find_pitch(const float* x, std::size_t anchor) noexcept {
  const std::size_t c = channels_;
  // Coarse: x[anchor - 15 ms, anchor + 13.25 ms) low-passed and decimated to 4 kHz per
  // channel, kept interleaved. The filter delays the coarse signal by half its length; lags
  // are differences, so that does not matter.
  const float* base = x + (anchor - max_lag_) * c;
  if (c == 1) {
    for (std::size_t j = 0; j < kCoarseSamples; ++j)
      decimated_[j] = core::dot4(base + j * decimation_, lowpass_.data(), taps_);
  } else {
    for (std::size_t j = 0; j < kCoarseSamples; ++j) {
      for (std::size_t ch = 0; ch < c; ++ch) {
        const float* p = base + j * decimation_ * c + ch;
        float sum = 0;
        for (std::size_t k = 0; k < taps_; ++k)
          sum += lowpass_[k] * p[k * c];
        decimated_[j * c + ch] = sum;
      }
    }
  }

  const float* l = decimated_.data() + kCoarseMaxLag * c;  // the window after the anchor
  const std::size_t wd = kCoarseWindow * c;
  const float floor_d = kMinPowerPerSample * static_cast<float>(wd);
  float best = -std::numeric_limits<float>::infinity();
  std::size_t coarse = kCoarseMinLag;
  // Shortest lag first and a strict comparison: ties (silence) go to the shortest period.
  for (std::size_t lag = kCoarseMinLag; lag <= kCoarseMaxLag; ++lag) {
    const float score = search_score(l, l - lag * c, wd, floor_d);
    if (score > best) {
      best = score;
      coarse = lag;
    }
  }

  // Fine: full rate within one coarse step of the peak, the same 12.5 ms window.
  const float* lf = x + anchor * c;
  const std::size_t wf = window_ * c;
  const float floor_f = kMinPowerPerSample * static_cast<float>(wf);
  const std::size_t peak = coarse * decimation_;
  const std::size_t lo = std::max(min_lag_, peak - decimation_);
  const std::size_t hi = std::min(max_lag_, peak + decimation_);
  std::size_t pitch = peak;
  best = -std::numeric_limits<float>::infinity();
  for (std::size_t lag = lo; lag <= hi; ++lag) {
    const float score = search_score(lf, lf - lag * c, wf, floor_f);
    if (score > best) {
      best = score;
      pitch = lag;
    }
  }
  // Fold a peak at several periods back to one, at full rate: at 4 kHz a period that is not
  // a whole number of coarse samples scores too low to compare. The most periods first, so
  // the shortest period that scores nearly as well wins; +-1 sample covers the rounding.
  if (best > 0) {
    for (std::size_t div = kMaxSubMultiple; div >= 2; --div) {
      const std::size_t centre = (pitch + div / 2) / div;
      if (centre + 1 < min_lag_) continue;
      std::size_t pick = 0;
      float pick_score = kSubMultipleRatio * best;
      for (std::size_t lag = std::max(min_lag_, centre - 1); lag <= centre + 1; ++lag) {
        const float score = search_score(lf, lf - lag * c, wf, floor_f);
        if (score >= pick_score) {
          pick_score = score;
          pick = lag;
        }
      }
      if (pick != 0) return pick;
    }
  }
  return pitch;
}

// The segments of `length` frames before and after frame `anchor`, all channels together:
// how alike, how loud.
TimeStretcher::Segments TimeStretcher::measure(const float* x, std::size_t anchor,
                                               std::size_t length) const noexcept {
  const std::size_t n = length * channels_;
  const float* a = x + (anchor - length) * channels_;
  const float* b = x + anchor * channels_;
  const float ab = core::dot4(a, b, n);
  const float aa = core::dot4(a, a, n);
  const float bb = core::dot4(b, b, n);
  Segments s;
  s.length = length;
  // Written so that NaN or infinity (broken input) make neither test pass.
  const double den = std::sqrt(static_cast<double>(aa) * static_cast<double>(bb));
  s.correlation = den > 0 ? static_cast<float>(ab / den) : 0.0f;
  if (!std::isfinite(s.correlation)) s.correlation = 0.0f;
  s.quiet = (aa + bb) / static_cast<float>(2 * n) < quiet_power_;
  return s;
}

// out = from faded out, `to` faded in, over `frames` frames: a raised cosine (sampled at the
// sample centres, so w and 1 - w mirror each other) keeps the slope continuous at both ends,
// where a linear fade would put a kink. Every channel gets the same weights.
void TimeStretcher::cross_fade(const float* from, const float* to, std::size_t frames,
                               float* out) const noexcept {
  const std::size_t c = channels_;
  const float step = static_cast<float>(kFadeTable) / static_cast<float>(frames);
  for (std::size_t i = 0; i < frames; ++i) {
    const float pos = (static_cast<float>(i) + 0.5f) * step;
    const std::size_t j = std::min(static_cast<std::size_t>(pos), kFadeTable - 1);
    const float frac = pos - static_cast<float>(j);
    const float w = fade_[j] + frac * (fade_[j + 1] - fade_[j]);
    // from + w * (to - from): exact where from == to, and within [from, to] otherwise.
    for (std::size_t ch = i * c; ch < (i + 1) * c; ++ch)
      out[ch] = from[ch] + w * (to[ch] - from[ch]);
  }
}

TimeStretcher::Result TimeStretcher::finish(Result r) noexcept {
  r.applied = r.change != 0;
  if (r.change < 0) {
    ++stats_.accelerated;
    stats_.samples_removed -= r.change;
  } else if (r.change > 0) {
    ++stats_.expanded;
    stats_.samples_added += r.change;
  } else {
    ++stats_.declined;
  }
  return r;
}

TimeStretcher::Result TimeStretcher::accelerate(std::span<const float> in,
                                                std::span<float> out) noexcept {
  // One period of any length (at most 15 ms, which always fits before the anchor).
  return remove_periods(in, 0, out, anchor_, false);
}

TimeStretcher::Result TimeStretcher::accelerate(std::span<const float> in, std::span<float> out,
                                                std::size_t max_remove) noexcept {
  return remove_periods(in, 0, out, max_remove, true);
}

TimeStretcher::Result TimeStretcher::accelerate(std::span<const float> in,
                                                std::size_t already_played, std::span<float> out,
                                                std::size_t max_remove) noexcept {
  return remove_periods(in, already_played, out, max_remove, true);
}

TimeStretcher::Result TimeStretcher::remove_periods(std::span<const float> in,
                                                    std::size_t already_played,
                                                    std::span<float> out, std::size_t max_remove,
                                                    bool several) noexcept {
  Result r;
  const std::size_t c = channels_;
  if (in.size() % c != 0) {
    r.outcome = Outcome::partial_frame;
    return finish(r);
  }
  const std::size_t n = in.size() / c;  // frames
  if (out.size() < in.size()) {
    r.outcome = Outcome::output_too_small;
    return finish(r);
  }
  const auto copy = [&](Outcome why) {
    std::copy(in.begin(), in.end(), out.begin());
    r.written = n;
    r.outcome = why;
    return finish(r);
  };
  // The pitch is searched at `at` (15 ms either side must exist). Without history the cut is
  // around the same anchor; with history it starts at the first unplayed frame, so a cut of L
  // frames is centred L after it and needs 2L unplayed frames.
  const std::size_t h = already_played;
  const std::size_t at = h == 0 ? anchor_ : h;
  if (h == 0 ? n < 2 * anchor_ : (h < anchor_ || h > n || n - h < anchor_)) {
    return copy(Outcome::too_short);
  }

  const float* x = in.data();
  // Either segment must fit in the 15 ms on its side of the anchor (or, after history, in
  // half of the unplayed audio).
  const std::size_t limit = std::min(h == 0 ? anchor_ : std::min(anchor_, (n - h) / 2), max_remove);
  const auto cut_at = [&](std::size_t len) { return h == 0 ? at : h + len; };
  const auto cut = [&](const Segments& seg, Outcome why) {
    // Frames x[0, s-len) | fade x[s-len, s) -> x[s, s+len) | x[s+len, n)
    const std::size_t len = seg.length;
    const std::size_t s = cut_at(len);
    std::copy(x, x + (s - len) * c, out.begin());
    cross_fade(x + (s - len) * c, x + s * c, len, out.data() + (s - len) * c);
    std::copy(x + (s + len) * c, x + n * c, out.begin() + static_cast<std::ptrdiff_t>(s * c));
    r.written = n - len;
    r.change = -static_cast<std::ptrdiff_t>(len);
    r.correlation = seg.correlation;
    r.outcome = why;
    return finish(r);
  };
  // A trim after history: quiet audio needs no period (any length cross-fades unheard), so the
  // whole room goes at once, without a pitch search.
  if (h > 0 && limit >= min_lag_) {
    const Segments seg = measure(x, cut_at(limit), limit);
    if (seg.quiet) return cut(seg, Outcome::quiet);
  }
  if (h > 0 && limit < min_lag_) {
    // Less room than the shortest period: only quiet audio can lose it. The cross-fade still
    // spans min_lag_ frames (2.5 ms) so the join stays smooth, and its target starts `limit`
    // later: x[0, h) | fade x[h, h+F) -> x[h+limit, h+limit+F) | x[h+limit+F, n).
    const std::size_t fade = min_lag_;
    const float* a = x + h * c;
    const float* b = x + (h + limit) * c;
    const float aa = core::dot4(a, a, fade * c);
    const float bb = core::dot4(b, b, fade * c);
    if (limit == 0 || !((aa + bb) / static_cast<float>(2 * fade * c) < quiet_power_)) {
      return copy(Outcome::period_too_long);  // loud: a period would be needed, none fits
    }
    std::copy(x, a, out.begin());
    cross_fade(a, b, fade, out.data() + h * c);
    std::copy(b + fade * c, x + n * c, out.begin() + static_cast<std::ptrdiff_t>((h + fade) * c));
    r.written = n - limit;
    r.change = -static_cast<std::ptrdiff_t>(limit);
    r.outcome = Outcome::quiet;
    return finish(r);
  }
  const std::size_t period = find_pitch(x, at);
  r.period = period;
  if (period > limit) return copy(Outcome::period_too_long);

  const std::size_t most = several ? limit / period : 1;
  for (std::size_t k = most; k >= 1; --k) {
    Segments seg = measure(x, cut_at(k * period), k * period);
    // k integer periods drift by up to k/2 samples from k true periods: re-search there.
    const std::size_t spread = k / 2;
    for (std::size_t len = k * period - spread; len <= std::min(k * period + spread, limit);
         ++len) {
      if (len == k * period) continue;
      const Segments other = measure(x, cut_at(len), len);
      if (other.correlation > seg.correlation) seg = other;
    }
    r.correlation = seg.correlation;
    const bool periodic = seg.correlation >= threshold_;
    if (periodic || seg.quiet) return cut(seg, periodic ? Outcome::periodic : Outcome::quiet);
  }
  return copy(Outcome::not_periodic);
}

TimeStretcher::Result TimeStretcher::preemptive_expand(std::span<const float> in,
                                                       std::size_t already_played,
                                                       std::span<float> out) noexcept {
  Result r;
  const std::size_t c = channels_;
  if (in.size() % c != 0) {
    r.outcome = Outcome::partial_frame;
    return finish(r);
  }
  const std::size_t n = in.size() / c;  // frames
  if (out.size() < in.size() + max_lag_ * c) {
    r.outcome = Outcome::output_too_small;
    return finish(r);
  }
  const auto copy = [&](Outcome why) {
    std::copy(in.begin(), in.end(), out.begin());
    r.written = n;
    r.outcome = why;
    return finish(r);
  };
  const std::size_t s = std::max(anchor_, already_played);
  if (already_played > n || n < s || n - s < anchor_) return copy(Outcome::too_short);

  const float* x = in.data();
  const std::size_t period = find_pitch(x, s);
  r.period = period;
  const Segments seg = measure(x, s, period);
  r.correlation = seg.correlation;
  const bool periodic = seg.correlation >= threshold_;
  if (!periodic && !seg.quiet) return copy(Outcome::not_periodic);

  // Frames x[0, s) | the period after the anchor fading into the period before it | x[s, n)
  std::copy(x, x + s * c, out.begin());
  cross_fade(x + s * c, x + (s - period) * c, period, out.data() + s * c);
  std::copy(x + s * c, x + n * c, out.begin() + static_cast<std::ptrdiff_t>((s + period) * c));
  r.written = n + period;
  r.change = static_cast<std::ptrdiff_t>(period);
  r.outcome = periodic ? Outcome::periodic : Outcome::quiet;
  return finish(r);
}

}  // namespace ivrmedia::jitter
