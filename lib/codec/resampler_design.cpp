// Resampler filter design and the process-wide design cache (see resampler_design.hpp).
#include "codec/resampler_design.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <new>
#include <numeric>
#include <tuple>

namespace ivrmedia::resample::detail {

AlignedFloats::AlignedFloats(std::size_t n)
    : p_(static_cast<float*>(
          ::operator new (std::max<std::size_t>(n, 1) * sizeof(float), std::align_val_t{64}))),
      n_(n) {
  std::fill_n(p_, n_, 0.0f);
}

AlignedFloats& AlignedFloats::operator=(AlignedFloats&& o) noexcept {
  if (this != &o) {
    if (p_) ::operator delete (p_, std::align_val_t{64});
    p_ = o.p_, n_ = o.n_;
    o.p_ = nullptr, o.n_ = 0;
  }
  return *this;
}

AlignedFloats::~AlignedFloats() {
  if (p_) ::operator delete (p_, std::align_val_t{64});
}

namespace {

// The spans are multiples of 8 (one ymm of taps per phase row); beta and cutoff come from a
// search over both at L = 2 for the largest rejection at 0.09 dB ripple (the same
// parameters hold at every L: the windowed sinc is then sampled more densely, and its response
// converges). Measured at L = 2: fast 86 dB, standard 103.5 dB, high 124 dB.
constexpr Preset kPresets[] = {
    {0.80, 80.0, 48, 8.6, 0.88474325},
    {0.90, 100.0, 112, 10.4, 0.94015463},
    {0.95, 120.0, 264, 12.8, 0.96906626},
};

// Relaxed stages are designed with Kaiser's formulas for this much more than the preset's
// rejection, covering the formulas' error at short lengths.
constexpr double kRelaxedMarginDb = 6.0;

// Cycles per output of the AVX2 kernel a stage gets (resampler_avx2.cpp), for choosing between
// plans; fitted to bench_resampler on an AMD EPYC. The general kernel is load-bound at 8 taps
// per cycle and pays for each output's pointers and reduction; the x2 upsampler runs at the FMA
// units' 16 taps per cycle; the other integer upsamplers at 8 with almost nothing per output;
// decimators at about 10.
double output_cycles(const StageDesign& s) {
  if (s.L == 2 && s.M == 1) return s.K / 16.0 + 2;
  if (s.M == 1) return s.K / 8.0 + 1;
  if (s.L == 1) return s.K / 10.5 + 1;
  return s.K / 8.0 + 5;
}

std::uint32_t round_up8(double x) {
  const auto n = static_cast<std::uint32_t>(std::ceil(x - 1e-9));
  return (n + 7) / 8 * 8;
}

double sinc(double x) {
  if (x == 0.0) return 1.0;
  const double px = 3.14159265358979323846 * x;
  return std::sin(px) / px;
}

// Fills the stage's table from its fields (L, M, K, cutoff, beta) and sets its delay.
void build_table(StageDesign& s) {
  const std::size_t L = s.L, K = s.K, N = L * K;
  const double F = static_cast<double>(s.rate_in_hz) * static_cast<double>(L);
  const double fc = s.cutoff_hz / F;  // cycles per filter-rate sample
  const double centre = (static_cast<double>(N) - 1.0) / 2.0;
  const double i0_beta = bessel_i0(s.beta);
  std::vector<double> h(N);
  double sum = 0;
  for (std::size_t n = 0; n < N; ++n) {
    const double t = static_cast<double>(n) - centre;
    const double a = t / centre;  // -1 .. 1 across the window
    const double w = bessel_i0(s.beta * std::sqrt(std::max(0.0, 1.0 - a * a))) / i0_beta;
    h[n] = 2.0 * fc * sinc(2.0 * fc * t) * w;
    sum += h[n];
  }
  // DC gain L: inserting L - 1 zeros divides the level by L.
  const double scale = static_cast<double>(L) / sum;
  s.table = AlignedFloats(N);
  float* table = s.table.data();
  const std::uint64_t M = s.M;
  s.step.resize(L);
  s.advance.assign(2 * L + 1, 0);
  for (std::size_t i = 0; i < L; ++i) {
    const std::uint64_t t = i * M + M - 1, p = t % L;  // output i's filter time and phase
    for (std::size_t m = 0; m < K; ++m)
      table[i * K + m] = static_cast<float>(h[p + (K - 1 - m) * L] * scale);
    s.step[i] = static_cast<std::uint32_t>((t + M) / L - t / L);
  }
  for (std::size_t i = 0; i < 2 * L; ++i)
    s.advance[i + 1] = s.advance[i] + s.step[i % L];
  s.delay_s = (centre - (static_cast<double>(s.M) - 1.0)) / F;
}

StageDesign make_stage(int r_in, int r_out) {
  StageDesign s;
  s.rate_in_hz = r_in;
  s.rate_out_hz = r_out;
  const int g = std::gcd(r_in, r_out);
  s.L = static_cast<std::uint32_t>(r_out / g);
  s.M = static_cast<std::uint32_t>(r_in / g);
  return s;
}

// Every output's window must reach back past the newest input of output 0 (see reset()).
std::uint32_t min_taps(const StageDesign& s) {
  return round_up8(static_cast<double>((s.M - 1) / s.L + 1));
}

// The stage that shapes the band edge: passband and stopband edges relative to f_low, the
// lower of its two rates.
StageDesign sharp_stage(int r_in, int r_out, const Preset& p) {
  StageDesign s = make_stage(r_in, r_out);
  const double f_low = std::min(r_in, r_out);
  s.sharp = true;
  s.passband_hz = p.passband * f_low / 2;
  s.stopband_hz = f_low / 2;
  s.cutoff_hz = p.cutoff * f_low / 2;
  s.beta = p.beta;
  // span samples at f_low = span * F / f_low taps at the filter rate F = L r_in
  const double taps = p.span * static_cast<double>(s.L) * r_in / f_low;
  s.K = std::max(round_up8(taps / s.L), min_taps(s));
  return s;
}

// A stage next to the sharp one: only needs to keep [0, content_hz] free of images and
// aliases; whatever lies between content_hz and the first image or alias is the sharp stage's
// stopband, already attenuated. stop = min(r_in, r_out) - content_hz: the lowest image when
// upsampling, the lowest frequency that folds into the content when decimating.
StageDesign relaxed_stage(int r_in, int r_out, double passband_hz, double content_hz,
                          const Preset& p) {
  StageDesign s = make_stage(r_in, r_out);
  const double a = p.rejection_db + kRelaxedMarginDb;
  s.passband_hz = passband_hz;
  s.stopband_hz = std::min(r_in, r_out) - content_hz;
  s.cutoff_hz = (s.passband_hz + s.stopband_hz) / 2;
  s.beta = 0.1102 * (a - 8.7);
  const double F = static_cast<double>(s.L) * r_in;
  const double dw = 2 * 3.14159265358979323846 * (s.stopband_hz - s.passband_hz) / F;
  const double taps = (a - 7.95) / (2.285 * dw) + 1;
  s.K = std::max(round_up8(taps / s.L), min_taps(s));
  return s;
}

// Relative cost of a plan per input frame.
double plan_cost(const std::vector<StageDesign>& stages, int input_rate) {
  double cost = 0;
  for (const auto& s : stages)
    cost += static_cast<double>(s.rate_out_hz) / input_rate * output_cycles(s);
  return cost;
}

}  // namespace

double bessel_i0(double x) noexcept {
  // sum_k ((x/2)^k / k!)^2; converges fast for the betas used (< 20)
  double sum = 1, term = 1;
  const double q = x * x / 4;
  for (int k = 1; k < 500; ++k) {
    term *= q / (static_cast<double>(k) * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

const Preset& preset(Quality q) noexcept {
  return kPresets[static_cast<int>(q)];
}

bool quality_valid(Quality q) noexcept {
  return q == Quality::fast || q == Quality::standard || q == Quality::high;
}

bool rate_supported(int hz) noexcept {
  return hz == 8000 || hz == 16000 || hz == 32000 || hz == 44100 || hz == 48000;
}

std::shared_ptr<const Design> build_design(int in, int out, Quality quality,
                                           bool allow_two_stages) {
  auto d = std::make_shared<Design>();
  d->input_rate_hz = in;
  d->output_rate_hz = out;
  d->quality = quality;
  const int g = std::gcd(in, out);
  d->L = static_cast<std::uint64_t>(out / g);
  d->M = static_cast<std::uint64_t>(in / g);
  if (in == out) return d;

  const Preset& p = preset(quality);
  const int f_low = std::min(in, out);
  const double passband = p.passband * f_low / 2, content = f_low / 2.0;

  std::vector<std::vector<StageDesign>> plans;
  plans.emplace_back();
  plans.back().push_back(sharp_stage(in, out, p));
  if (allow_two_stages && out > 2 * in) {
    // integer x2 first (the floors of the two stages then compose exactly)
    plans.emplace_back();
    plans.back().push_back(sharp_stage(in, 2 * in, p));
    plans.back().push_back(relaxed_stage(2 * in, out, passband, content, p));
  }
  if (allow_two_stages && in > 2 * out) {
    // integer /2 last
    plans.emplace_back();
    plans.back().push_back(relaxed_stage(in, 2 * out, passband, content, p));
    plans.back().push_back(sharp_stage(2 * out, out, p));
  }
  auto best = std::min_element(plans.begin(), plans.end(), [&](const auto& a, const auto& b) {
    return plan_cost(a, in) < plan_cost(b, in);
  });
  d->stages = std::move(*best);
  for (auto& s : d->stages) {
    build_table(s);
    d->latency_s += s.delay_s;
  }
  return d;
}

std::shared_ptr<const Design> design(int in, int out, Quality quality) {
  // Designs are few (25 pairs x 3 qualities at most, a few hundred KiB in all) and kept until
  // exit, so a pair's second Resampler never redesigns.
  static std::mutex mutex;
  static std::map<std::tuple<int, int, int>, std::shared_ptr<const Design>> cache;
  const auto key = std::make_tuple(in, out, static_cast<int>(quality));
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  auto d = build_design(in, out, quality, true);
  cache.emplace(key, d);
  return d;
}

}  // namespace ivrmedia::resample::detail
