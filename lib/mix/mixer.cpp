// Mixer: foreground sum + ducked background sum, then the limiter.
//
// The duck gain is a per-sample recurrence (the reference is mix_careful): the level detector
// extends `active_until_` to n + hold at every foreground sample over the threshold; the target
// is the ducked gain while active; the gain moves toward its target by a constant factor per
// sample (a ramp linear in dB) and stops exactly on it. Most blocks need none of that: when the
// gain already sits on a target that cannot change inside the block, the block is one
// vectorized a + g * b, and the result is the same as the per-sample loop's.
#include <algorithm>
#include <cmath>

#include "ivrmedia/mixer.hpp"
#include "mix/mix_kernels.hpp"

namespace ivrmedia::mix {

namespace {
Limiter::Config limiter_config(const Mixer::Config& c) {
  Limiter::Config l = c.limiter;
  l.sample_rate_hz = c.sample_rate_hz;
  return l;
}

// Sum of the sources' samples [offset, offset + n); sources shorter than that are silent
// after their end. Returns where the sum is: the one source itself when it alone covers the
// block (no copy), else dst (zeros when no source has a sample there; *has says which).
const float* sum_sources(std::span<const std::span<const float>> sources, std::size_t offset,
                         std::size_t n, float* dst, bool* has) {
  std::size_t present = 0;
  const float* only = nullptr;
  for (const auto& s : sources) {
    if (s.size() <= offset) continue;
    ++present;
    only = s.size() >= offset + n ? s.data() + offset : nullptr;
  }
  *has = present > 0;
  if (present == 1 && only != nullptr) return only;
  bool any = false;
  for (const auto& s : sources) {
    if (s.size() <= offset) continue;
    const std::size_t c = std::min(n, s.size() - offset);
    if (!any) {
      copy_block(dst, s.data() + offset, c);
      zero_block(dst + c, n - c);
      any = true;
    } else {
      add_block(dst, s.data() + offset, c);
    }
  }
  if (!any) zero_block(dst, n);
  return dst;
}
}  // namespace

Mixer::Mixer(const Config& config) : config_(config), limiter_(limiter_config(config)) {
  const auto& c = config;
  const bool ok = c.duck_depth_db >= 0.0f && c.duck_depth_db <= 60.0f &&
                  c.duck_threshold_dbfs <= 0.0f && c.duck_threshold_dbfs >= -120.0f &&
                  c.duck_attack_ms >= 1.0f && c.duck_attack_ms <= 2000.0f &&
                  c.duck_hold_ms >= 0.0f && c.duck_hold_ms <= 10000.0f &&
                  c.duck_release_ms >= 1.0f && c.duck_release_ms <= 5000.0f;
  if (!ok) throw Error(Status::bad_config, "mix::Mixer: config out of range");
  const double fs = c.sample_rate_hz;
  duck_gain_ = static_cast<float>(std::pow(10.0, -c.duck_depth_db / 20.0));
  const double attack = std::max(1.0, fs * c.duck_attack_ms / 1000.0);
  const double release = std::max(1.0, fs * c.duck_release_ms / 1000.0);
  down_step_ = static_cast<float>(std::pow(10.0, -c.duck_depth_db / 20.0 / attack));
  up_step_ = static_cast<float>(std::pow(10.0, c.duck_depth_db / 20.0 / release));
  threshold_ = static_cast<float>(std::pow(10.0, c.duck_threshold_dbfs / 20.0));
  hold_samples_ = static_cast<std::int64_t>(std::llround(fs * c.duck_hold_ms / 1000.0));
}

Mixer::Mixer(Mixer&&) noexcept = default;
Mixer& Mixer::operator=(Mixer&&) noexcept = default;
Mixer::~Mixer() = default;

void Mixer::mix_block(std::span<const std::span<const float>> fg,
                      std::span<const std::span<const float>> bg, std::size_t offset, std::size_t n,
                      float* out) noexcept {
  bool has_fg = false, has_bg = false;
  const float* f = sum_sources(fg, offset, n, fg_, &has_fg);
  const float* b = sum_sources(bg, offset, n, bg_, &has_bg);
  const std::int64_t n0 = n_;
  const std::int64_t n_last = n0 + static_cast<std::int64_t>(n) - 1;

  // First and last foreground samples over the threshold (level detection only).
  std::int64_t first = -1, last = -1;
  // (all_within vectorizes; it counts NaN as over, which the exact search then skips)
  if (config_.duck_on_level && has_fg && !all_within(f, n, threshold_)) {
    for (std::size_t i = 0; i < n; ++i) {
      if (std::fabs(f[i]) > threshold_) {
        first = n0 + static_cast<std::int64_t>(i);
        break;
      }
    }
    if (first >= 0) {
      for (std::size_t i = n; i-- > 0;) {
        if (std::fabs(f[i]) > threshold_) {
          last = n0 + static_cast<std::int64_t>(i);
          break;
        }
      }
    }
  }
  // Is the target the same for every sample of the block? Inside one block a new sample over
  // the threshold keeps the foreground active to the block's end when hold >= block length.
  const bool active0 = forced_active_ || n0 <= active_until_;
  bool constant = false;
  if (forced_active_ || (active0 && active_until_ >= n_last)) {
    constant = true;
  } else if (!active0) {
    constant = first < 0;
  } else {
    constant =
        first >= 0 && first <= active_until_ + 1 && hold_samples_ >= static_cast<std::int64_t>(n);
  }
  const float target = active0 ? duck_gain_ : 1.0f;
  if (constant && gain_ == target) {
    if (last >= 0) active_until_ = std::max(active_until_, last + hold_samples_);
    if (!has_bg) {
      copy_block(out, f, n);
    } else {
      mix_scaled_block(out, f, b, gain_, n);
    }
    if (gain_ < 1.0f) ducked_ += static_cast<std::int64_t>(n);
  } else {
    // The reference recurrence, one sample at a time.
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t k = n0 + static_cast<std::int64_t>(i);
      if (config_.duck_on_level && std::fabs(f[i]) > threshold_) {
        active_until_ = k + hold_samples_;
      }
      const bool active = forced_active_ || k <= active_until_;
      if (active) {
        if (gain_ > duck_gain_) gain_ = std::max(gain_ * down_step_, duck_gain_);
      } else if (gain_ < 1.0f) {
        gain_ = std::min(gain_ * up_step_, 1.0f);
      }
      // The target of an active foreground is duck_gain_ (<= 1); a gain above it only
      // comes down, one under 1 with nothing active only goes up.
      if (active && gain_ < duck_gain_) gain_ = std::min(gain_ * up_step_, duck_gain_);
      out[i] = f[i] + gain_ * b[i];
      if (gain_ < 1.0f) ++ducked_;
    }
  }
  n_ += static_cast<std::int64_t>(n);
  limiter_.process_in_place(std::span(out, n));
}

Status Mixer::process(std::span<const std::span<const float>> foreground,
                      std::span<const std::span<const float>> background,
                      std::span<float> out) noexcept {
  for (const auto& s : foreground) {
    if (s.size() > out.size()) return Status::invalid_argument;
  }
  for (const auto& s : background) {
    if (s.size() > out.size()) return Status::invalid_argument;
  }
  for (std::size_t o = 0; o < out.size(); o += kBlock) {
    const std::size_t n = std::min(kBlock, out.size() - o);
    mix_block(foreground, background, o, n, out.data() + o);
  }
  return Status::ok;
}

Status Mixer::process(std::span<const std::span<const float>> foreground,
                      std::span<const std::span<const float>> background,
                      std::span<std::int16_t> out) noexcept {
  for (const auto& s : foreground) {
    if (s.size() > out.size()) return Status::invalid_argument;
  }
  for (const auto& s : background) {
    if (s.size() > out.size()) return Status::invalid_argument;
  }
  for (std::size_t o = 0; o < out.size(); o += kBlock) {
    const std::size_t n = std::min(kBlock, out.size() - o);
    mix_block(foreground, background, o, n, mix_);
    float_to_s16_block(mix_, out.data() + o, n);
  }
  return Status::ok;
}

float Mixer::duck_gain_db() const noexcept {
  return 20.0f * std::log10(gain_);
}

Mixer::Stats Mixer::stats() const noexcept {
  Stats s;
  s.samples = n_;
  s.ducked_samples = ducked_;
  s.limiter = limiter_.stats();
  return s;
}

void Mixer::reset() noexcept {
  limiter_.reset();
  gain_ = 1.0f;
  n_ = 0;
  active_until_ = -1;
  ducked_ = 0;
}

}  // namespace ivrmedia::mix
