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

bool Generator::start_next() noexcept {
  if (count_ == 0) return false;
  int r = 0, c = 0;
  digit_position(queue_[head_], r, c);
  head_ = (head_ + 1) % queue_.size();
  --count_;
  // Each tone is a unit phasor turned by e^{jw} per sample: one complex multiply instead of a
  // sine per sample. Double precision keeps it on the unit circle and on frequency (the drift
  // over a 10 s tone is below 1e-9), and every digit starts afresh.
  const double wl =
      2.0 * std::numbers::pi * kRowHz[static_cast<std::size_t>(r)] / cfg_.sample_rate_hz;
  const double wh =
      2.0 * std::numbers::pi * kColumnHz[static_cast<std::size_t>(c)] / cfg_.sample_rate_hz;
  low_turn_ = {std::cos(wl), std::sin(wl)};
  high_turn_ = {std::cos(wh), std::sin(wh)};
  low_ = high_ = {1.0, 0.0};
  pos_ = 0;
  return true;
}

std::size_t Generator::render(float* out, std::size_t n) noexcept {
  std::size_t i = 0, active = 0;
  while (i < n) {
    if (pos_ >= digit_len_ && !start_next()) {
      std::fill(out + i, out + n, 0.0f);  // idle: silence
      break;
    }
    if (pos_ < tone_len_) {
      const std::size_t run = std::min(n - i, tone_len_ - pos_);
      // Written out: std::complex's operator* must handle infinities (a library call).
      double lr = low_.real(), li = low_.imag(), hr = high_.real(), hi = high_.imag();
      const double tlr = low_turn_.real(), tli = low_turn_.imag();
      const double thr = high_turn_.real(), thi = high_turn_.imag();
      for (std::size_t k = 0; k < run; ++k, ++pos_) {
        double env = 1.0;
        const std::size_t from_edge = std::min(pos_, tone_len_ - 1 - pos_);
        if (from_edge < ramp_len_) {
          env = 0.5 -
                0.5 * std::cos(std::numbers::pi * (double(from_edge) + 0.5) / double(ramp_len_));
        }
        out[i + k] = static_cast<float>(env * (low_amp_ * li + high_amp_ * hi));
        const double nlr = lr * tlr - li * tli, nhr = hr * thr - hi * thi;
        li = lr * tli + li * tlr;
        hi = hr * thi + hi * thr;
        lr = nlr;
        hr = nhr;
      }
      low_ = {lr, li};
      high_ = {hr, hi};
      i += run;
      active += run;
    } else {
      const std::size_t run = std::min(n - i, digit_len_ - pos_);  // the pause after a tone
      std::fill(out + i, out + i + run, 0.0f);
      pos_ += run;
      i += run;
      active += run;
    }
  }
  return active;
}

std::size_t Generator::generate(std::span<float> out) noexcept {
  return render(out.data(), out.size());
}

std::size_t Generator::generate(std::span<std::int16_t> out) noexcept {
  constexpr std::size_t kChunk = 256;
  float buf[kChunk];
  std::size_t active = 0;
  for (std::size_t i = 0; i < out.size(); i += kChunk) {
    const std::size_t n = std::min(kChunk, out.size() - i);
    active += render(buf, n);
    for (std::size_t k = 0; k < n; ++k)
      out[i + k] = core::float_to_s16(buf[k]);
  }
  return active;
}

void Generator::reset() noexcept {
  head_ = count_ = 0;
  pos_ = digit_len_;
  low_ = high_ = {1.0, 0.0};
}

}  // namespace ivrmedia::dtmf
