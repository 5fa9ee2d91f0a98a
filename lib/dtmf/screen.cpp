// The batch screen's scalar reference (staging, Goertzel estimates), its constants and error
// radius, and the decision that turns estimates into proven misses (one per block and lane,
// shared by every level).
#include "dtmf/screen.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <numbers>

#include "ivrmedia/dtmf.hpp"

namespace ivrmedia::dtmf::detail {

namespace {
double tone_omega(int t, int rate) {
  const double hz =
      t < 4 ? kRowHz[static_cast<std::size_t>(t)] : kColumnHz[static_cast<std::size_t>(t - 4)];
  return 2.0 * std::numbers::pi * hz / rate;
}

}  // namespace

void screen_setup(int half_len, int rate, ScreenCoefs& k) noexcept {
  for (int t = 0; t < kScreenTones; ++t) {
    const double w = tone_omega(t, rate);
    for (float& c : k.two_cos[t])
      c = static_cast<float>(2.0 * std::cos(w));
    k.c1[t] = static_cast<float>(std::cos(w * (half_len - 1)));
    k.c2[t] = static_cast<float>(std::cos(w * half_len));
    k.s1[t] = static_cast<float>(std::sin(w * (half_len - 1)));
    k.s2[t] = static_cast<float>(std::sin(w * half_len));
    k.c3[t] = static_cast<float>(std::cos(w * (2 * half_len - 1)));
    k.c4[t] = static_cast<float>(std::cos(w * 2 * half_len));
    k.s3[t] = static_cast<float>(std::sin(w * (2 * half_len - 1)));
    k.s4[t] = static_cast<float>(std::sin(w * 2 * half_len));
  }
  k.radius_per_norm = screen_radius_per_norm(half_len, rate);
}

float screen_radius_per_norm(int half_len, int rate) noexcept {
  // Each Goertzel step rounds twice, by at most u of values up to S / sin(w) (S = sum |x| <=
  // sqrt(M E)); the resonator carries an error on with gain up to 1 / sin(w); the rounded
  // 2cos(w) moves the frequency by up to u / sin(w), which changes X by up to M S u / sin(w).
  // Together about 8 u M S / sin^2(w) for the state pair; the Detector's direct correlation adds
  // only ~(M / 8 + 8) u S. A factor 4 of headroom over that sum.
  double min_sin2 = 1.0;
  for (int t = 0; t < kScreenTones; ++t) {
    const double s = std::sin(tone_omega(t, rate));
    min_sin2 = std::min(min_sin2, s * s);
  }
  const double u = std::ldexp(1.0, -24);
  return static_cast<float>(4.0 * u * (8.0 * (half_len + 4) / min_sin2 + half_len / 8.0 + 8.0));
}

void stage_float_scalar(const float* const* src, int n, float* dst) noexcept {
  for (int i = 0; i < n; ++i) {
    for (int l = 0; l < kLanes; ++l)
      dst[i * kLanes + l] = src[l][i];
  }
}

void stage_s16_scalar(const std::int16_t* const* src, int n, float* dst) noexcept {
  // The same conversion as Detector::process(int16): exact (a power-of-two scale).
  for (int i = 0; i < n; ++i) {
    for (int l = 0; l < kLanes; ++l)
      dst[i * kLanes + l] = src[l][i] * (1.0f / 32768.0f);
  }
}

namespace {
// Eight lanes as one value: GCC and Clang turn lane-wise arithmetic on it into the baseline's
// vector instructions (two SSE operations on x86-64) with the same IEEE results per lane. The
// plain loops were left scalar: the compiler does not vectorize across a recursion's lanes.
using Lanes = float __attribute__((vector_size(kLanes * sizeof(float))));

// By reference: a 32-byte vector passed by value has a different ABI with and without AVX,
// which GCC warns about.
void load(Lanes& v, const float* p) {
  __builtin_memcpy(&v, p, sizeof v);
}

void store(float* p, const Lanes& v) {
  __builtin_memcpy(p, &v, sizeof v);
}
}  // namespace

void screen_scalar(const float* x, int n, const ScreenCoefs& k, ScreenHalf& out) noexcept {
  // Two tones per pass: their states stay in registers.
  for (int t0 = 0; t0 < kScreenTones; t0 += 2) {
    Lanes c0, c1, v;
    load(c0, k.two_cos[t0]);
    load(c1, k.two_cos[t0 + 1]);
    Lanes a0 = {}, b0 = {}, a1 = {}, b1 = {};  // s1 and s2 of both tones
    for (int i = 0; i < n; ++i) {
      load(v, x + static_cast<std::ptrdiff_t>(i) * kLanes);
      const Lanes n0 = c0 * a0 + (v - b0), n1 = c1 * a1 + (v - b1);
      b0 = a0, b1 = a1;
      a0 = n0, a1 = n1;
    }
    for (int j = 0; j < 2; ++j) {
      const int t = t0 + j;
      const Lanes& a = j == 0 ? a0 : a1;
      const Lanes& b = j == 0 ? b0 : b1;
      store(out.re[t], k.c1[t] * a - k.c2[t] * b);
      store(out.im[t], k.s2[t] * b - k.s1[t] * a);
      store(out.second_re[t], k.c3[t] * a - k.c4[t] * b);
      store(out.second_im[t], k.s4[t] * b - k.s3[t] * a);
    }
  }
  Lanes energy = {}, v;
  for (int i = 0; i < n; ++i) {
    load(v, x + static_cast<std::ptrdiff_t>(i) * kLanes);
    energy += v * v;
  }
  store(out.energy, energy);
}

#if defined(IVRM_HAVE_AVX2) && defined(IVRM_CHECK_SIMD)
namespace {
// IVRM_CHECK_SIMD: every AVX2 result is recomputed by the scalar reference. Staging and the
// decision must agree bit for bit; two sets of estimates, each within the radius of the exact
// correlation, within twice the radius of each other. Any difference aborts.
void stage_float_checked(const float* const* src, int n, float* dst) noexcept {
  stage_float_avx2(src, n, dst);
  for (int i = 0; i < n; ++i) {
    for (int l = 0; l < kLanes; ++l) {
      const float ref = src[l][i];
      if (__builtin_memcmp(&ref, &dst[i * kLanes + l], sizeof ref) != 0) std::abort();
    }
  }
}

void stage_s16_checked(const std::int16_t* const* src, int n, float* dst) noexcept {
  stage_s16_avx2(src, n, dst);
  for (int i = 0; i < n; ++i) {
    for (int l = 0; l < kLanes; ++l) {
      if (dst[i * kLanes + l] != src[l][i] * (1.0f / 32768.0f)) std::abort();
    }
  }
}

void screen_checked(const float* x, int n, const ScreenCoefs& k, ScreenHalf& out) noexcept {
  screen_avx2(x, n, k, out);
  ScreenHalf ref;
  screen_scalar(x, n, k, ref);
  for (int l = 0; l < kLanes; ++l) {
    const float e = ref.energy[l];
    if (!(std::abs(out.energy[l] - e) <= e * kScreenSlack + kScreenTiny)) {
      if (std::isfinite(e)) std::abort();
      continue;  // non-finite input: nothing to compare (never screened)
    }
    const float allowed =
        2 * k.radius_per_norm * std::sqrt(n * e * (1 + kScreenSlack)) + kScreenTiny;
    for (int t = 0; t < kScreenTones; ++t) {
      if (!(std::abs(out.re[t][l] - ref.re[t][l]) <= allowed) ||
          !(std::abs(out.im[t][l] - ref.im[t][l]) <= allowed) ||
          !(std::abs(out.second_re[t][l] - ref.second_re[t][l]) <= allowed) ||
          !(std::abs(out.second_im[t][l] - ref.second_im[t][l]) <= allowed)) {
        if (e < kScreenHuge) std::abort();
      }
    }
  }
}

// The one-pass version must give screen_avx2's bits; screen_checked compares those with the
// scalar reference.
void screen_evex_checked(const float* x, int n, const ScreenCoefs& k, ScreenHalf& out) noexcept {
  screen_checked(x, n, k, out);
  ScreenHalf evex;
  screen_avx2_evex(x, n, k, evex);
  if (__builtin_memcmp(&evex, &out, sizeof evex) != 0) std::abort();
}

unsigned proven_misses_checked(const ScreenHalf& a, const ScreenHalf& b,
                               const ScreenLimits& limits) noexcept {
  const unsigned got = screen_proven_misses_avx2(a, b, limits);
  if (got != screen_proven_misses_scalar(a, b, limits)) std::abort();
  return got;
}

unsigned phase_misses_checked(const ScreenHalf& a, const ScreenHalf& b,
                              const ScreenLimits& limits) noexcept {
  const unsigned got = screen_phase_misses_avx2(a, b, limits);
  if (got != screen_phase_misses_scalar(a, b, limits)) std::abort();
  return got;
}
}  // namespace
#endif

namespace {
std::atomic<bool> evex_allowed{true};
}  // namespace

void allow_evex_screen(bool allow) noexcept {
  evex_allowed.store(allow, std::memory_order_relaxed);
}

bool cpu_has_evex256() noexcept {
#if defined(IVRM_HAVE_AVX2)
  return evex_allowed.load(std::memory_order_relaxed) && __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512vl");
#else
  return false;
#endif
}

const ScreenKernels& screen_kernels(SimdLevel level) noexcept {
  static constexpr ScreenKernels kScalar{stage_float_scalar, stage_s16_scalar, screen_scalar,
                                         screen_proven_misses_scalar, screen_phase_misses_scalar};
#if defined(IVRM_HAVE_AVX2)
#if defined(IVRM_CHECK_SIMD)
  static constexpr ScreenKernels kAvx2{stage_float_checked, stage_s16_checked, screen_checked,
                                       proven_misses_checked, phase_misses_checked};
  static constexpr ScreenKernels kAvx2Evex{stage_float_checked, stage_s16_checked,
                                           screen_evex_checked, proven_misses_checked,
                                           phase_misses_checked};
#else
  static constexpr ScreenKernels kAvx2{stage_float_avx2, stage_s16_avx2, screen_avx2,
                                       screen_proven_misses_avx2, screen_phase_misses_avx2};
  static constexpr ScreenKernels kAvx2Evex{stage_float_avx2, stage_s16_avx2, screen_avx2_evex,
                                           screen_proven_misses_avx2, screen_phase_misses_avx2};
#endif
  if (level == SimdLevel::avx2) return cpu_has_evex256() ? kAvx2Evex : kAvx2;
#else
  (void)level;
#endif
  return kScalar;
}

// Written lane by lane in the order of operations the AVX2 version uses (no fused operations),
// so both give the same decisions from the same estimates.
unsigned screen_proven_misses_scalar(const ScreenHalf& a, const ScreenHalf& b,
                                     const ScreenLimits& lim) noexcept {
  unsigned proven = 0;
  const auto m = static_cast<float>(lim.half_len);
  for (int l = 0; l < kLanes; ++l) {
    const float ea = a.energy[l], eb = b.energy[l];
    if (!(ea < kScreenHuge && eb < kScreenHuge)) continue;  // also NaN
    const float ea_hi = ea * (1 + kScreenSlack) + kScreenTiny;
    const float eb_hi = eb * (1 + kScreenSlack) + kScreenTiny;
    const float ea_lo = ea * (1 - kScreenSlack) - kScreenTiny;
    const float eb_lo = eb * (1 - kScreenSlack) - kScreenTiny;
    // Detector test 1, balance: the smaller half under half the larger one.
    const bool balance = std::min(ea_hi, eb_hi) < 0.5f * std::max(ea_lo, eb_lo);
    // Block power estimates (second half moved to the block's origin, as the Detector does;
    // the screen gives that form directly).
    float p[kScreenTones];
    for (int t = 0; t < kScreenTones; ++t) {
      const float xr = a.re[t][l] + b.second_re[t][l], xi = a.im[t][l] + b.second_im[t][l];
      p[t] = xr * xr + xi * xi;
    }
    // Largest exact power of each group: the largest estimate's magnitude plus both halves'
    // radii (the bound grows with the estimate, so the largest estimate gives the largest bound).
    const float radius =
        lim.radius_per_norm * (std::sqrt(m * ea_hi) + std::sqrt(m * eb_hi)) + kScreenTiny;
    const float row_p = std::max(std::max(p[0], p[1]), std::max(p[2], p[3]));
    const float col_p = std::max(std::max(p[4], p[5]), std::max(p[6], p[7]));
    const float row_mag = std::sqrt(row_p) * (1 + kScreenSlack) + radius;
    const float col_mag = std::sqrt(col_p) * (1 + kScreenSlack) + radius;
    const float row = row_mag * row_mag, col = col_mag * col_mag;
    // Test 2, level bound: the weaker of the strongest row and column too weak.
    const bool level = std::min(row, col) < lim.min_power_bound * (1 - kScreenSlack);
    // Test 3, purity bound: energy beyond the largest possible tone energy too large.
    const float tones_max = (row + col) * lim.tones_bound_scale;
    const bool purity = ea_lo + eb_lo > (1 + lim.residual_ratio) * (1 + kScreenSlack) * tones_max;
    if (balance || level || purity) proven |= 1u << l;
  }
  return proven;
}

void screen_phase_limits(int half_len, const double* omega, double max_frequency_error_pct,
                         ScreenLimits& lim) noexcept {
  for (int t = 0; t < kScreenTones; ++t) {
    const double theta = half_len * omega[t] * max_frequency_error_pct / 100.0;
    const double wide = theta * (1 + 1e-3) + 1e-3;
    const bool provable = wide < std::numbers::pi;
    lim.phase_cos[t] = provable ? static_cast<float>(std::cos(wide)) : -1.0f;
    lim.phase_sin[t] = provable ? static_cast<float>(std::sin(wide)) : 0.0f;
  }
}

// Lane by lane in the AVX2 version's order of operations (no fused operations).
unsigned screen_phase_misses_scalar(const ScreenHalf& a, const ScreenHalf& b,
                                    const ScreenLimits& lim) noexcept {
  unsigned proven = 0;
  const auto m = static_cast<float>(lim.half_len);
  for (int l = 0; l < kLanes; ++l) {
    const float ea = a.energy[l], eb = b.energy[l];
    if (!(ea < kScreenHuge && eb < kScreenHuge)) continue;  // also NaN
    const float na = std::sqrt(m * (ea * (1 + kScreenSlack) + kScreenTiny));
    const float nb = std::sqrt(m * (eb * (1 + kScreenSlack) + kScreenTiny));
    const float ra = lim.radius_per_norm * na + kScreenTiny;
    const float rb = lim.radius_per_norm * nb + kScreenTiny;
    const float radius = ra + rb;  // of the block's X = A + e^{-jwM} B
    const float rz = (rb * (na + ra) + ra * (nb + rb) + ra * rb) * kScreenPhaseMargin + kScreenTiny;
    float p[kScreenTones];
    bool fail[kScreenTones];
    for (int t = 0; t < kScreenTones; ++t) {
      const float are = a.re[t][l], aim = a.im[t][l];
      const float bre = b.second_re[t][l], bim = b.second_im[t][l];
      const float xr = are + bre, xi = aim + bim;
      p[t] = xr * xr + xi * xi;
      const float zr = bre * are + bim * aim;
      const float zi = std::abs(bim * are - bre * aim);
      fail[t] = zi * lim.phase_cos[t] - zr * lim.phase_sin[t] > rz;
    }
    bool group_proven[2];
    for (int g = 0; g < 2; ++g) {
      const float* pg = p + 4 * g;
      const float top = std::max(std::max(pg[0], pg[1]), std::max(pg[2], pg[3]));
      // Tones whose power could be the largest: magnitude upper bound at least the largest
      // one's lower bound.
      const float q = (std::sqrt(top) * (1 - kScreenSlack) - 2 * radius) * kScreenCandidateScale;
      const float q2 = q * q;
      bool all = true;
      for (int t = 4 * g; t < 4 * g + 4; ++t) {
        const bool candidate = q <= 0 || p[t] >= q2;
        all = all && (fail[t] || !candidate);
      }
      group_proven[g] = all;
    }
    if (group_proven[0] || group_proven[1]) proven |= 1u << l;
  }
  return proven;
}

}  // namespace ivrmedia::dtmf::detail
