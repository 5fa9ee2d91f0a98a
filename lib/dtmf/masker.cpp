// DTMF masker: a delay line in front of which a Detector watches the input; output samples that
// fall inside a tracked tone (plus guard) are replaced. Decisions only change at the detector's
// decision points, so the input is fed in pieces that end exactly there.
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/sample_convert.hpp"
#include "ivrmedia/dtmf.hpp"

namespace ivrmedia::dtmf {
namespace {
constexpr std::int64_t kOpen = std::numeric_limits<std::int64_t>::max();

Detector::Config detector_config(const Masker::Config& c) {
  Detector::Config d = c.detector;
  d.sample_rate_hz = c.sample_rate_hz;
  return d;
}
}  // namespace

Status Masker::validate(const Config& c) noexcept {
  if (!(c.lookahead_ms >= 32.0 && c.lookahead_ms <= 40.0) ||
      !(c.guard_ms >= 0.0 && c.guard_ms <= 10.0) ||
      !(c.comfort_noise_dbm0 <= -30.0 && c.comfort_noise_dbm0 >= -100.0)) {
    return Status::out_of_range;
  }
  return Detector::validate(detector_config(c));
}

Masker::Masker(const Config& config)
    : cfg_(config),
      det_(detector_config(config)),
      delay_(std::lround(config.lookahead_ms * config.sample_rate_hz / 1000.0)),
      guard_(std::lround(config.guard_ms * config.sample_rate_hz / 1000.0)),
      noise_amp_(static_cast<float>(dbm0_to_amplitude(config.comfort_noise_dbm0))) {
  if (const Status s = validate(cfg_); s != Status::ok) {
    throw Error(s, "DTMF masker: invalid config (see Masker::Config for the bounds)");
  }
  ring_.assign(static_cast<std::size_t>(delay_), 0.0f);
}

void Masker::track() noexcept {
  const Detector::Tone& t = det_.tone();
  if (t.id == 0) return;
  const std::int64_t to = t.sounding && t.end < 0 ? kOpen : t.end + guard_;
  if (n_intervals_ > 0 && intervals_[n_intervals_ - 1].id == t.id) {
    intervals_[n_intervals_ - 1].to = to;
    return;
  }
  if (n_intervals_ == intervals_.size()) {  // cannot happen within 40 ms; keep the newest
    std::copy(intervals_.begin() + 1, intervals_.end(), intervals_.begin());
    --n_intervals_;
  }
  intervals_[n_intervals_++] = {t.id, t.start - guard_, to};
}

bool Masker::masked(std::int64_t t) noexcept {
  // Intervals are in time order; drop those wholly before the output position.
  while (n_intervals_ > 0 && intervals_[0].to <= t) {
    std::copy(intervals_.begin() + 1, intervals_.begin() + static_cast<long>(n_intervals_),
              intervals_.begin());
    --n_intervals_;
  }
  for (std::size_t i = 0; i < n_intervals_; ++i) {
    if (t >= intervals_[i].from && t < intervals_[i].to) return true;
  }
  return false;
}

bool Masker::overlaps(std::int64_t from, std::int64_t to) noexcept {
  if (n_intervals_ == 0) return false;
  (void)masked(from);  // drops intervals that ended before `from`
  for (std::size_t i = 0; i < n_intervals_; ++i) {
    if (intervals_[i].from < to && intervals_[i].to > from) return true;
  }
  return false;
}

// Delay line without masking, in at most two contiguous pieces of the ring. The input is
// copied aside first because in and out may be the same buffer. n never exceeds a half block
// (at most 612 samples at 96 kHz).
void Masker::pass_through(const float* in, float* out, std::size_t n) noexcept {
  float held[1024];
  std::copy_n(in, n, held);
  const std::size_t first = std::min(n, ring_.size() - ring_pos_);
  std::copy_n(ring_.data() + ring_pos_, first, out);
  std::copy_n(held, first, ring_.data() + ring_pos_);
  std::copy_n(ring_.data(), n - first, out + first);
  std::copy_n(held + first, n - first, ring_.data());
  ring_pos_ = (ring_pos_ + n) % ring_.size();
  clock_ += static_cast<std::int64_t>(n);
}

float Masker::comfort() noexcept {
  if (!cfg_.comfort_noise) return 0.0f;
  noise_state_ = noise_state_ * 1664525u + 1013904223u;  // LCG: cheap, deterministic
  const float u = static_cast<float>(noise_state_ >> 8) * (1.0f / 16777216.0f) - 0.5f;
  return noise_amp_ * 2.449f * u;  // uniform noise with the RMS of a sine of that level
}

Status Masker::process(std::span<const float> in, std::span<float> out) noexcept {
  if (in.size() != out.size()) return Status::invalid_argument;
  std::size_t i = 0;
  while (i < in.size()) {
    const std::size_t n =
        std::min(in.size() - i, static_cast<std::size_t>(det_.samples_until_decision()));
    det_.process(in.subspan(i, n));
    track();
    if (!overlaps(clock_ - delay_, clock_ - delay_ + static_cast<std::int64_t>(n))) {
      pass_through(in.data() + i, out.data() + i, n);  // the common case: no tone in sight
    } else {
      for (std::size_t k = i; k < i + n; ++k) {
        const float x = in[k];  // read before writing: in and out may alias
        const std::int64_t t_out = clock_ - delay_;
        float y = ring_[ring_pos_];
        if (t_out >= 0 && masked(t_out)) {
          y = comfort();
          ++masked_;
        }
        ring_[ring_pos_] = x;
        ring_pos_ = ring_pos_ + 1 == ring_.size() ? 0 : ring_pos_ + 1;
        out[k] = y;
        ++clock_;
      }
    }
    i += n;
  }
  return Status::ok;
}

Status Masker::process(std::span<const std::int16_t> in, std::span<std::int16_t> out) noexcept {
  if (in.size() != out.size()) return Status::invalid_argument;
  constexpr std::size_t kChunk = 256;
  float buf[kChunk];
  for (std::size_t i = 0; i < in.size(); i += kChunk) {
    const std::size_t n = std::min(kChunk, in.size() - i);
    for (std::size_t k = 0; k < n; ++k)
      buf[k] = core::s16_to_float(in[i + k]);
    (void)process(std::span<const float>(buf, n), std::span<float>(buf, n));
    // int16 -> float -> int16 is exact, so unmasked samples come out bit-exact
    for (std::size_t k = 0; k < n; ++k)
      out[i + k] = core::float_to_s16(buf[k]);
  }
  return Status::ok;
}

void Masker::reset() noexcept {
  det_.reset();
  std::fill(ring_.begin(), ring_.end(), 0.0f);
  ring_pos_ = 0;
  clock_ = 0;
  n_intervals_ = 0;
}

}  // namespace ivrmedia::dtmf
