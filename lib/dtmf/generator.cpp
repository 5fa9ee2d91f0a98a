// DTMF generator: two phase-accumulated sines per digit with raised-cosine edges.
#include <cmath>
#include <complex>
#include <numbers>

#include "core/sample_convert.hpp"
#include "ivrmedia/dtmf.hpp"

namespace ivrmedia::dtmf {
namespace {

bool supported_rate(int hz) {
  return hz == 8000 || hz == 16000 || hz == 32000 || hz == 44100 || hz == 48000;
}

std::size_t samples_of(double ms, int rate) {
  return static_cast<std::size_t>(std::lround(ms * rate / 1000.0));
}

}  // namespace

Status Generator::validate(const Config& c) noexcept {
  if (!supported_rate(c.sample_rate_hz)) return Status::invalid_argument;
  if (!(c.tone_ms >= 1.0 && c.tone_ms <= 10000.0) ||
      !(c.pause_ms >= 0.0 && c.pause_ms <= 10000.0) ||
      !(c.ramp_ms >= 0.0 && 2.0 * c.ramp_ms <= c.tone_ms) || c.max_queued == 0 ||
      c.max_queued > kMaxQueued) {
    return Status::out_of_range;
  }
  // The two sines must not clip together.
  const double sum = dbm0_to_amplitude(c.low_dbm0) + dbm0_to_amplitude(c.low_dbm0 + c.twist_db);
  if (!(sum <= 1.0)) return Status::out_of_range;
  return Status::ok;
}

Generator::Generator(const Config& config) : cfg_(config) {
  if (const Status s = validate(cfg_); s != Status::ok) {
    throw Error(s, "DTMF generator: invalid config (see Generator::Config for the bounds)");
  }
  low_amp_ = dbm0_to_amplitude(cfg_.low_dbm0);
  high_amp_ = dbm0_to_amplitude(cfg_.low_dbm0 + cfg_.twist_db);
  tone_len_ = samples_of(cfg_.tone_ms, cfg_.sample_rate_hz);
  digit_len_ = tone_len_ + samples_of(cfg_.pause_ms, cfg_.sample_rate_hz);
  ramp_len_ = samples_of(cfg_.ramp_ms, cfg_.sample_rate_hz);
  pos_ = digit_len_;
}

Status Generator::queue(std::string_view digits) noexcept {
  int r = 0, c = 0;
  for (char d : digits) {
    if (!digit_position(d, r, c)) return Status::invalid_argument;
  }
  if (digits.size() > cfg_.max_queued - count_) return Status::full;
  for (char d : digits) {
    queue_[(head_ + count_) % queue_.size()] = d;
    ++count_;
  }
  return Status::ok;
}

float Generator::next() noexcept {
  if (pos_ >= digit_len_) {
    if (count_ == 0) return 0.0f;
    int r = 0, c = 0;
    digit_position(queue_[head_], r, c);
    head_ = (head_ + 1) % queue_.size();
    --count_;
    // Each tone is a unit phasor turned by e^{jw} per sample: one complex multiply instead of
    // a sine per sample. Double precision keeps it on the unit circle and on frequency (the
    // drift over a 10 s tone is below 1e-9) and every digit starts afresh.
    const double wl =
        2.0 * std::numbers::pi * kRowHz[static_cast<std::size_t>(r)] / cfg_.sample_rate_hz;
    const double wh =
        2.0 * std::numbers::pi * kColumnHz[static_cast<std::size_t>(c)] / cfg_.sample_rate_hz;
    low_turn_ = {std::cos(wl), std::sin(wl)};
    high_turn_ = {std::cos(wh), std::sin(wh)};
    low_ = high_ = {1.0, 0.0};
    pos_ = 0;
  }
  double v = 0.0;
  if (pos_ < tone_len_) {
    double env = 1.0;
    const std::size_t from_edge = std::min(pos_, tone_len_ - 1 - pos_);
    if (from_edge < ramp_len_) {
      env = 0.5 - 0.5 * std::cos(std::numbers::pi * (double(from_edge) + 0.5) / double(ramp_len_));
    }
    v = env * (low_amp_ * low_.imag() + high_amp_ * high_.imag());
    // Written out: std::complex's operator*= must handle infinities (a library call, __muldc3).
    low_ = {low_.real() * low_turn_.real() - low_.imag() * low_turn_.imag(),
            low_.real() * low_turn_.imag() + low_.imag() * low_turn_.real()};
    high_ = {high_.real() * high_turn_.real() - high_.imag() * high_turn_.imag(),
             high_.real() * high_turn_.imag() + high_.imag() * high_turn_.real()};
  }
  ++pos_;
  return static_cast<float>(v);
}

std::size_t Generator::generate(std::span<float> out) noexcept {
  std::size_t active = 0;
  for (float& s : out) {
    if (busy()) ++active;
    s = next();
  }
  return active;
}

std::size_t Generator::generate(std::span<std::int16_t> out) noexcept {
  std::size_t active = 0;
  for (std::int16_t& s : out) {
    if (busy()) ++active;
    s = core::float_to_s16(next());
  }
  return active;
}

void Generator::reset() noexcept {
  head_ = count_ = 0;
  pos_ = digit_len_;
  low_ = high_ = {1.0, 0.0};
}

}  // namespace ivrmedia::dtmf
