// The BatchDetector's screen: a cheap, approximate look at eight channels at once that proves,
// for most half blocks, that the Detector's evaluation would reject the block (its balance,
// level, purity or frequency-error test). Only blocks it
// cannot prove a miss for (and every channel with a digit in progress) are recomputed with the
// Detector's own kernel and judged by the Detector's own code, so the events stay exactly those
// of separate Detectors; the screen only decides where that exact work can be left out.
//
// Samples are staged as a structure of arrays: row n holds sample n of eight channels (lanes),
// so one vector register carries eight channels and the per-sample work is a Goertzel step per
// tone, s0 = 2cos(w) s1 - s2 + x: one multiply-add and one subtraction for eight channel-
// samples, no table loads (the Detector's kernel needs two table multiply-adds per tone).
//
// The Goertzel recursion rounds differently from the Detector's direct correlation, and its
// rounding error grows with the half length and as 1/sin^2(w) (a resonator near 0 or pi
// amplifies each step's error). screen_limits() turns a bound on that error into a radius
// around each estimate, and the screen declares a miss only when every value inside the radii
// would miss too; tests check the radius against the exact kernel on adversarial signals.
#pragma once

#include <cstdint>

#include "ivrmedia/core.hpp"

namespace ivrmedia::dtmf::detail {

inline constexpr int kLanes = 8;        // channels per register (8 floats in a ymm)
inline constexpr int kScreenTones = 8;  // the DTMF frequencies, rows then columns

// One half block's estimates for eight lanes: tone correlations in the Detector's convention
// (sum of x[n] e^{-jwn}, time origin at the half's first sample), the same moved to the origin
// of the block this half ends (e^{-jwM} X: what the decision adds to the first half's), and
// energy. Both forms come straight from the recursion's states, with the same error radius.
struct alignas(32) ScreenHalf {
  float re[kScreenTones][kLanes];
  float im[kScreenTones][kLanes];
  float second_re[kScreenTones][kLanes];
  float second_im[kScreenTones][kLanes];
  float energy[kLanes];
};

// Per-rate constants of the recursion, broadcast to eight lanes for vector memory operands.
struct alignas(32) ScreenCoefs {
  float two_cos[kScreenTones][kLanes];  // 2 cos(w): the recursion's coefficient
  // X = e^{-jw(M-1)} s[M-1] - e^{-jwM} s[M-2]: real and imaginary factors of both states.
  float c1[kScreenTones], c2[kScreenTones], s1[kScreenTones], s2[kScreenTones];
  // e^{-jwM} X = e^{-jw(2M-1)} s[M-1] - e^{-j2wM} s[M-2]: the same for the moved estimate.
  float c3[kScreenTones], c4[kScreenTones], s3[kScreenTones], s4[kScreenTones];
  float radius_per_norm;  // screen_radius_per_norm() of the same half length and rate
};

// What a block must satisfy to pass the Detector's first tests (its balance, level and purity
// bounds), for a channel with no digit in progress, and the error radius of the estimates.
struct ScreenLimits {
  float min_power_bound;    // Detector::min_power_bound_
  float tones_bound_scale;  // Detector::tones_bound_scale_
  float residual_ratio;     // Detector::residual_ratio_ (the strict one: no digit is held)
  float radius_per_norm;    // |estimate - exact| <= this * sqrt(M * energy) per half
  int half_len;
  // The Detector's frequency-error test, as the angle of z = e^{-jwM} B conj(A) (its phase
  // advance over a half): a tone fails when |arg z| > theta = M w max_frequency_error_pct / 100.
  // cos and sin of theta' = theta (1 + 1e-3) + 1e-3 (room for every rounding); -1 and 0 when
  // theta' >= pi (never provable).
  float phase_cos[kScreenTones], phase_sin[kScreenTones];
};

// Fills limits.phase_cos/phase_sin from the Detector's tone frequencies (radians per sample)
// and its max_frequency_error_pct.
void screen_phase_limits(int half_len, const double* omega, double max_frequency_error_pct,
                         ScreenLimits& limits) noexcept;

void screen_setup(int half_len, int rate, ScreenCoefs& coefs) noexcept;
// Relative error bound of one half's estimates (see the file comment); `half_len` samples at
// `rate` Hz. Part of the limits, exposed for the tests.
float screen_radius_per_norm(int half_len, int rate) noexcept;

// Copies n samples of eight channels (lane l from src[l]) into rows dst[0..n) of 8 floats.
using StageFloatFn = void (*)(const float* const* src, int n, float* dst) noexcept;
using StageS16Fn = void (*)(const std::int16_t* const* src, int n, float* dst) noexcept;
// Relative slack for everything the radius does not cover: the rounding of the Detector's own
// block powers and tests, and of the energies (sums of M positive terms, each within M float
// ulps of the true sum; M <= 612 gives under 4e-5).
inline constexpr float kScreenSlack = 1e-3f;
// Absolute slack: energies that underflow to denormals or zero in one sum and not the other.
inline constexpr float kScreenTiny = 1e-30f;
// Margin on the disk around z in the phase test: covers the Detector's own float rotation of
// the second half (within 3 u of |B|, far inside the radius, which is at least 32 u |B|).
inline constexpr float kScreenPhaseMargin = 1.25f;
// Candidates for the strongest row/column: magnitudes at least this times (largest magnitude's
// lower bound - radius) / (1 + slack); under 1 by more than any rounding of that expression.
inline constexpr float kScreenCandidateScale = (1 - 1e-4f) / (1 + kScreenSlack);
// Blocks with a half's energy beyond this are left to the exact path: samples up to 1e10 keep
// every estimate and power far from float overflow.
inline constexpr float kScreenHuge = 1e20f;

// Estimates of one half (rows x[0..n) of 8 lanes) into `out`.
using ScreenFn = void (*)(const float* x, int n, const ScreenCoefs& coefs,
                          ScreenHalf& out) noexcept;

// Bit l set: the block made of halves a then b certainly misses for lane l (with no digit in
// progress), whatever the exact values inside the radii are. Blocks with non-finite or huge
// energies never count as a proven miss: the exact path judges those. Every level gives the
// same bits for the same estimates.
using ProvenMissesFn = unsigned (*)(const ScreenHalf& a, const ScreenHalf& b,
                                    const ScreenLimits& limits) noexcept;
// The same for the Detector's frequency-error test (run only for lanes the cheap bounds left
// open: it costs about as much again). Bit l set: for every row the Detector could pick as the
// strongest (or for every column), the phase advance is proven outside the accepted error, so
// the block misses whatever passes before it. The estimates' radii become a disk around z
// (radius rb (|A| + ra) + ra (|B| + rb) + ra rb, with |A| <= sqrt(M E_a)), and the disk must lie
// beyond the ray at angle theta': |Im z| cos theta' - Re z sin theta' > that radius.
using PhaseMissesFn = unsigned (*)(const ScreenHalf& a, const ScreenHalf& b,
                                   const ScreenLimits& limits) noexcept;

struct ScreenKernels {
  StageFloatFn stage_float;
  StageS16Fn stage_s16;
  ScreenFn screen;
  ProvenMissesFn proven_misses;
  PhaseMissesFn phase_misses;
};
const ScreenKernels& screen_kernels(SimdLevel level) noexcept;  // level resolved and supported

void stage_float_scalar(const float* const* src, int n, float* dst) noexcept;
void stage_s16_scalar(const std::int16_t* const* src, int n, float* dst) noexcept;
void screen_scalar(const float* x, int n, const ScreenCoefs& coefs, ScreenHalf& out) noexcept;
unsigned screen_proven_misses_scalar(const ScreenHalf& a, const ScreenHalf& b,
                                     const ScreenLimits& limits) noexcept;
unsigned screen_phase_misses_scalar(const ScreenHalf& a, const ScreenHalf& b,
                                    const ScreenLimits& limits) noexcept;
#if defined(IVRM_HAVE_AVX2)
void stage_float_avx2(const float* const* src, int n, float* dst) noexcept;
void stage_s16_avx2(const std::int16_t* const* src, int n, float* dst) noexcept;
void screen_avx2(const float* x, int n, const ScreenCoefs& coefs, ScreenHalf& out) noexcept;
// screen_avx2 in one pass on 32 registers (AVX-512VL's EVEX encoding, still 256-bit vectors):
// bit-identical estimates. The AVX2 level uses it when the CPU has AVX-512F and AVX-512VL.
void screen_avx2_evex(const float* x, int n, const ScreenCoefs& coefs, ScreenHalf& out) noexcept;
// True when the CPU has AVX-512F and AVX-512VL, unless allow_evex_screen(false) was called:
// for benchmarks and tests that time or check the sixteen-register version on such a CPU
// (affects BatchDetectors created afterwards).
bool cpu_has_evex256() noexcept;
void allow_evex_screen(bool allow) noexcept;
unsigned screen_proven_misses_avx2(const ScreenHalf& a, const ScreenHalf& b,
                                   const ScreenLimits& limits) noexcept;
unsigned screen_phase_misses_avx2(const ScreenHalf& a, const ScreenHalf& b,
                                  const ScreenLimits& limits) noexcept;
#endif

}  // namespace ivrmedia::dtmf::detail
