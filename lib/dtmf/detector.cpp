// DTMF detector (method in lib/dtmf/README.md): eight Goertzel filters run over half blocks of
// 6.4 ms; every half block closes a 12.75 ms analysis block made of the last two halves, which
// is judged on level, twist, frequency error (phase advance between its halves), tone purity and
// half-to-half balance. Consecutive judged blocks ("hits") make a digit; consecutive misses end
// it. Every decision happens at a half-block boundary, so events do not depend on chunking.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "dtmf/correlate.hpp"
#include "ivrmedia/dtmf.hpp"

namespace ivrmedia::dtmf {
namespace {

// A block counts only when its two halves carry about the same energy: a half whose energy is
// under half of the other's is at least half empty, an edge of the tone rather than the tone.
// This makes the hit count measure duration: 40 ms gives at least 4 hits, 23 ms at most 3 (see
// README.md). Energy, unlike a correlation over one short half, is free of leakage between the
// two tones; it still beats at their difference frequency, by up to +-21 % per half for the
// closest pair (941 Hz +1.5 % and 1209 Hz -1.5 %), which the factor 2 absorbs.
constexpr float kMinHalfBalance = 0.5f;

// How much looser (dB) the purity test is for a digit already confirmed (see evaluate()).
constexpr double kHoldMarginDb = 4.0;

float magnitude(float re, float im) {
  return std::sqrt(re * re + im * im);
}

// How much of a half block carries the digit's tones: each tone's correlation magnitude in that
// half relative to a full half, averaged over the two tones, at most 1. Used only to place the
// tone's edges; the tones' own correlations are nearly blind to speech or noise around them.
float coverage(const float* re, const float* im, int row, int col, const float* full) {
  const float r = full[0] > 0 ? magnitude(re[row], im[row]) / full[0] : 0.0f;
  const float c = full[1] > 0 ? magnitude(re[col], im[col]) / full[1] : 0.0f;
  return std::min(1.0f, 0.5f * (r + c));
}

}  // namespace

namespace {

// One table for validation, bounds and runtime changes of the thresholds.
struct ThresholdField {
  Threshold id;
  double min, max;
  double Detector::Config::*field;
};
constexpr ThresholdField kThresholds[] = {
    {Threshold::min_level_dbm0, -60.0, 0.0, &Detector::Config::min_level_dbm0},
    {Threshold::reverse_twist_db, 0.0, 20.0, &Detector::Config::reverse_twist_db},
    {Threshold::normal_twist_db, 0.0, 20.0, &Detector::Config::normal_twist_db},
    {Threshold::max_frequency_error_pct, 0.1, 5.0, &Detector::Config::max_frequency_error_pct},
    {Threshold::max_residual_db, -40.0, 0.0, &Detector::Config::max_residual_db},
    {Threshold::min_tone_ms, 15.0, 1000.0, &Detector::Config::min_tone_ms},
    {Threshold::min_pause_ms, 10.0, 1000.0, &Detector::Config::min_pause_ms},
};

const ThresholdField* find(Threshold id) {
  for (const auto& t : kThresholds) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

bool inside(const ThresholdField& t, double v) {
  return v >= t.min && v <= t.max;
}

}  // namespace

Status Detector::validate(const Config& c) noexcept {
  if (c.sample_rate_hz < 8000 || c.sample_rate_hz > 96000) return Status::invalid_argument;
  if (c.event_capacity == 0 || c.event_capacity > kMaxEvents) return Status::out_of_range;
  for (const auto& t : kThresholds) {
    if (!inside(t, c.*t.field)) return Status::out_of_range;
  }
  return Status::ok;
}

bool Detector::bounds(Threshold id, double& min, double& max, double& default_value) noexcept {
  const ThresholdField* t = find(id);
  if (t == nullptr) return false;
  min = t->min;
  max = t->max;
  default_value = Config{}.*t->field;
  return true;
}

Status Detector::set(Threshold id, double value) noexcept {
  const ThresholdField* t = find(id);
  if (t == nullptr) return Status::invalid_argument;
  if (!inside(*t, value)) return Status::out_of_range;
  cfg_.*t->field = value;
  derive_thresholds();
  return Status::ok;
}

Status Detector::get(Threshold id, double& value) const noexcept {
  const ThresholdField* t = find(id);
  if (t == nullptr) return Status::invalid_argument;
  value = cfg_.*t->field;
  return Status::ok;
}

std::size_t Detector::workspace_bytes(const Config& config) noexcept {
  const int half = static_cast<int>(std::lround(51.0 * config.sample_rate_hz / 8000.0));
  const int padded = (half + 7) / 8 * 8;
  return static_cast<std::size_t>(detail::kRows + 1) * static_cast<std::size_t>(padded) *
         sizeof(float);
}

Detector::Detector(const Config& config) : cfg_(config) {
  init(config);
  const auto floats = workspace_bytes(cfg_) / sizeof(float);
  owned_ = std::make_unique<float[]>(floats);
  table_ = owned_.get();
  buffer_ = owned_.get() + static_cast<std::ptrdiff_t>(detail::kRows) * padded_len();
  detail::build_table(owned_.get(), half_len_, padded_len(), cfg_.sample_rate_hz);
}

Detector::Detector(const Config& config, std::span<std::byte> workspace) : cfg_(config) {
  init(config);
  if (workspace.size() < workspace_bytes(cfg_) ||
      reinterpret_cast<std::uintptr_t>(workspace.data()) % 64 != 0) {
    throw Error(Status::invalid_argument, "DTMF detector: workspace too small or misaligned");
  }
  auto* mem = reinterpret_cast<float*>(workspace.data());
  table_ = mem;
  buffer_ = mem + static_cast<std::ptrdiff_t>(detail::kRows) * padded_len();
  std::fill(buffer_, buffer_ + padded_len(), 0.0f);
  detail::build_table(mem, half_len_, padded_len(), cfg_.sample_rate_hz);
}

Detector::Detector(const Config& config, const float* table, float* buffer)
    : cfg_(config), table_(table), buffer_(buffer) {
  init(config);
  if (buffer_ != nullptr) std::fill(buffer_, buffer_ + padded_len(), 0.0f);
}

void Detector::init(const Config& config) {
  if (const Status s = validate(config); s != Status::ok) {
    throw Error(s, "DTMF detector: invalid config (see Detector::Config for the bounds)");
  }
  cfg_.simd = resolve_simd_level(config.simd);
  kernel_ = detail::correlate_kernel(cfg_.simd);
  const int rate = cfg_.sample_rate_hz;
  // 102-sample blocks at 8 kHz (12.75 ms at any rate): rows 73 Hz apart stay resolved.
  half_len_ = static_cast<int>(std::lround(51.0 * rate / 8000.0));
  for (int t = 0; t < kTones; ++t) {
    const double hz =
        t < 4 ? kRowHz[static_cast<std::size_t>(t)] : kColumnHz[static_cast<std::size_t>(t - 4)];
    const double w = 2.0 * std::numbers::pi * hz / rate;
    omega_[static_cast<std::size_t>(t)] = w;
    half_re_[static_cast<std::size_t>(t)] = static_cast<float>(std::cos(w * half_len_));
    half_im_[static_cast<std::size_t>(t)] = static_cast<float>(-std::sin(w * half_len_));
  }
  derive_thresholds();
}

void Detector::derive_thresholds() noexcept {
  const int rate = cfg_.sample_rate_hz;
  const int block = 2 * half_len_;
  const double tone_samples = cfg_.min_tone_ms * rate / 1000.0;
  hits_needed_ = std::max(1, static_cast<int>(std::lround((tone_samples - block) / half_len_)) + 1);
  misses_needed_ =
      std::max(1, static_cast<int>(std::lround(cfg_.min_pause_ms * rate / 1000.0 / half_len_)));
  min_amp_ = static_cast<float>(dbm0_to_amplitude(cfg_.min_level_dbm0));
  max_twist_up_ = static_cast<float>(std::pow(10.0, cfg_.normal_twist_db / 20.0));
  max_twist_down_ = static_cast<float>(std::pow(10.0, -cfg_.reverse_twist_db / 20.0));
  residual_ratio_ = static_cast<float>(std::pow(10.0, cfg_.max_residual_db / 10.0));
  held_residual_ratio_ = residual_ratio_ * static_cast<float>(std::pow(10.0, kHoldMarginDb / 10.0));
  // Largest amplitude correction any accepted tone can get: the highest tone at the largest
  // accepted frequency error (D falls as the error grows). A little headroom for rounding.
  const double dmax = omega_[kTones - 1] * cfg_.max_frequency_error_pct / 100.0;
  const double n = 2.0 * half_len_;
  const double d = std::abs(std::sin(dmax * n / 2) / (n * std::sin(dmax / 2)));
  const double max_gain_sq = 1.01 / (d * d);
  // A tone of amplitude A gives |X|^2 = (A N D / 2)^2 >= (A N / 2)^2 / max_gain_sq in a block.
  min_power_bound_ = static_cast<float>(std::pow(min_amp_ * n / 2.0, 2) / max_gain_sq);
  tones_bound_scale_ = static_cast<float>(2.0 / n * max_gain_sq);
}

std::int64_t Detector::max_key_down_latency() const noexcept {
  // The first hit block ends at most 3 half blocks after the tone starts (one of alignment, one
  // partly covered edge, two full halves, less the covered part); each further hit adds one.
  return static_cast<std::int64_t>(hits_needed_ + 3) * half_len_;
}

void Detector::process(std::span<const float> samples) noexcept {
  // The correlation kernel runs once per full half block, so the arithmetic (and so every
  // event) is the same however the input is chunked. Whole halves are correlated where they lie
  // in the caller's input; only a half straddling two calls is gathered in buffer_.
  const float* x = samples.data();
  std::size_t left = samples.size();
  const auto half = static_cast<std::size_t>(half_len_);
  if (fill_ > 0) {
    const std::size_t n = std::min(left, half - static_cast<std::size_t>(fill_));
    std::copy_n(x, n, buffer_ + fill_);
    fill_ += static_cast<int>(n);
    x += n;
    left -= n;
    if (fill_ < half_len_) {
      stats_.samples += samples.size();
      return;
    }
    end_half(buffer_);
  }
  for (; left >= half; x += half, left -= half)
    end_half(x);
  std::copy_n(x, left, buffer_);
  fill_ = static_cast<int>(left);
  stats_.samples += samples.size();
}

void Detector::process(std::span<const std::int16_t> samples) noexcept {
  constexpr std::size_t kChunk = 256;
  float buf[kChunk];
  for (std::size_t i = 0; i < samples.size(); i += kChunk) {
    const std::size_t n = std::min(kChunk, samples.size() - i);
    for (std::size_t k = 0; k < n; ++k)
      buf[k] = samples[i + k] * (1.0f / 32768.0f);
    process(std::span<const float>(buf, n));
  }
}

Detector::Half Detector::correlate(const float* half) const noexcept {
  float c[detail::kRows + 1];
  kernel_(half, half_len_, table_, padded_len(), c);
  Half h;
  std::copy_n(c, kTones, h.re.begin());
  std::copy_n(c + kTones, kTones, h.im.begin());
  h.energy = c[detail::kRows];
  return h;
}

void Detector::end_half(const float* half) noexcept {
  const Half cur = correlate(half);
  fill_ = 0;
  clock_ += half_len_;
  if (have_prev_) evaluate(prev_, cur);
  before_ = have_prev_ ? prev_ : Half{};
  prev_ = cur;
  have_prev_ = true;
}

void Detector::evaluate(const Half& a, const Half& b) noexcept {
  // Balance first: it needs only the energies, and most speech blocks fail it.
  if (!(std::min(a.energy, b.energy) >= kMinHalfBalance * std::max(a.energy, b.energy)) ||
      a.energy == 0.0f) {
    return miss(b);
  }
  // Block correlation X = A + e^{-jwM} B for every tone; pick the strongest row and column.
  std::array<float, kTones> bre, bim, power;
  for (int t = 0; t < kTones; ++t) {
    bre[t] = half_re_[t] * b.re[t] - half_im_[t] * b.im[t];
    bim[t] = half_re_[t] * b.im[t] + half_im_[t] * b.re[t];
    const float xr = a.re[t] + bre[t];
    const float xi = a.im[t] + bim[t];
    power[t] = xr * xr + xi * xi;
  }
  // Strongest row and column, first one on ties (as std::max_element), written as selects: on
  // speech the winner is random and a branchy search mispredicts on most blocks.
  int row = 0, col = 4;
  for (int t = 1; t < 4; ++t) {
    row = power[t] > power[row] ? t : row;
    col = power[t + 4] > power[col] ? t + 4 : col;
  }
  const int n = 2 * half_len_;

  // Cheap bounds before the trigonometry (most blocks are speech, noise or silence): within the
  // accepted frequency error the window loses at most a known factor of a tone's amplitude (see
  // derive_thresholds), so blocks that fail even with that gain fail the exact tests below too.
  // Level first (it rejects more speech), in powers: no division or square root on the common path.
  if (std::min(power[row], power[col]) < min_power_bound_) return miss(b);
  const float tones_max = (power[row] + power[col]) * tones_bound_scale_;
  // Hysteresis: a digit already confirmed keeps going on a looser purity test, so a real tone
  // whose purity hovers at the threshold (strong harmonics, distortion) is not split into
  // several digits. Starting a digit always needs the strict test (talk-off is unchanged).
  const bool held = confirmed_ && digit_ == row * 4 + (col - 4);
  const float ratio = held ? held_residual_ratio_ : residual_ratio_;
  if (a.energy + b.energy - tones_max > ratio * tones_max) return miss(b);
  float amp[2];
  int k = 0;
  for (int t : {row, col}) {
    // Frequency error from the phase advance over one half: arg(B conj(A)) / M.
    const double delta = std::atan2(double(bim[t]) * a.re[t] - double(bre[t]) * a.im[t],
                                    double(bre[t]) * a.re[t] + double(bim[t]) * a.im[t]) /
                         half_len_;
    if (std::abs(delta) > omega_[t] * cfg_.max_frequency_error_pct / 100.0) return miss(b);
    // Amplitude, corrected for the window's loss at that frequency error:
    // |X| = (A / 2) N D(delta), D = |sin(delta N / 2) / (N sin(delta / 2))|.
    const double d = std::abs(delta) < 1e-9
                         ? 1.0
                         : std::abs(std::sin(delta * n / 2) / (n * std::sin(delta / 2)));
    amp[k++] = static_cast<float>(2.0 * std::sqrt(double(power[t])) / (n * d));
  }
  if (amp[0] < min_amp_ || amp[1] < min_amp_) return miss(b);
  const float twist = amp[1] / amp[0];
  if (twist > max_twist_up_ || twist < max_twist_down_) return miss(b);
  // Purity: energy the two tones do not explain must stay well below theirs.
  const float tones = (amp[0] * amp[0] + amp[1] * amp[1]) * static_cast<float>(n) * 0.5f;
  const float residual = a.energy + b.energy - tones;
  if (residual > ratio * tones) return miss(b);
  hit(static_cast<int>(row * 4 + (col - 4)), a, b, amp[0], amp[1]);
}

void Detector::hit(int digit, const Half& a, const Half& b, float row_amp, float col_amp) noexcept {
  if (digit_ != digit) {
    if (digit_ >= 0) close_digit();  // another digit without a pause between: end the first
    digit_ = digit;
    confirmed_ = false;
    hits_ = 0;
    sum_low_db_ = sum_high_db_ = 0.0;
    // The tone started inside the half before `a`: estimate how much of it the tone covered.
    const int row = digit / 4, col = 4 + digit % 4;
    const float full[2] = {magnitude(a.re[row], a.im[row]), magnitude(a.re[col], a.im[col])};
    const float p = coverage(before_.re.data(), before_.im.data(), row, col, full);
    start_ = clock_ - 2 * half_len_ - std::lround(p * static_cast<float>(half_len_));
  }
  ++hits_;
  misses_ = 0;
  end_ = clock_;
  if (hits_ == 2) tone_ = {tone_.id + 1, start_, -1, true};
  if (hits_ >= 2) tone_.end = -1;
  {
    const int row = digit / 4, col = 4 + digit % 4;
    last_amp_[0] = magnitude(b.re[row], b.im[row]);
    last_amp_[1] = magnitude(b.re[col], b.im[col]);
  }
  sum_low_db_ += amplitude_to_dbm0(row_amp);
  sum_high_db_ += amplitude_to_dbm0(col_amp);
  if (!confirmed_ && hits_ >= hits_needed_) {
    confirmed_ = true;
    const float low = static_cast<float>(sum_low_db_ / hits_);
    const float high = static_cast<float>(sum_high_db_ / hits_);
    push({Event::Type::key_down, kDigits[static_cast<std::size_t>(digit)], start_, -1, low, high,
          high - low});
  }
}

void Detector::miss(const Half& b) noexcept {
  if (digit_ < 0) return;
  if (misses_ == 0) {
    // First miss after a hit: the tone ended inside this half; estimate where.
    const float q = coverage(b.re.data(), b.im.data(), digit_ / 4, 4 + digit_ % 4, last_amp_);
    end_ = clock_ - half_len_ + std::lround(q * static_cast<float>(half_len_));
    if (hits_ >= 2) tone_.end = end_;
  }
  if (++misses_ >= misses_needed_) {
    close_digit();
  }
}

void Detector::close_digit() noexcept {
  if (hits_ >= 2) {
    tone_.end = end_;
    tone_.sounding = false;
  }
  if (digit_ >= 0 && confirmed_) {
    const float low = static_cast<float>(sum_low_db_ / hits_);
    const float high = static_cast<float>(sum_high_db_ / hits_);
    push({Event::Type::key_up, kDigits[static_cast<std::size_t>(digit_)], start_, end_, low, high,
          high - low});
    ++stats_.digits;
  }
  digit_ = -1;
  confirmed_ = false;
  hits_ = misses_ = 0;
}

void Detector::push(const Event& e) noexcept {
  if (event_count_ == cfg_.event_capacity) {
    ++stats_.lost_events;  // the host did not read in time: keep the older events
    return;
  }
  events_[(event_head_ + event_count_) % cfg_.event_capacity] = e;
  ++event_count_;
}

std::size_t Detector::read_events(std::span<Event> out) noexcept {
  const std::size_t n = std::min(out.size(), event_count_);
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = events_[event_head_];
    event_head_ = (event_head_ + 1) % cfg_.event_capacity;
  }
  event_count_ -= n;
  return n;
}

void Detector::gap(std::int64_t samples) noexcept {
  if (samples <= 0) return;
  // The audio before the gap ends any digit: its end is where the last hit put it.
  close_digit();
  clock_ += fill_ + samples;
  fill_ = 0;
  have_prev_ = false;
  before_ = Half{};
  stats_.samples += static_cast<std::uint64_t>(samples);
}

void Detector::reset() noexcept {
  fill_ = 0;
  clock_ = 0;
  have_prev_ = false;
  before_ = Half{};
  digit_ = -1;
  confirmed_ = false;
  hits_ = misses_ = 0;
  event_head_ = event_count_ = 0;
  tone_ = {};
}

}  // namespace ivrmedia::dtmf
