// AVX2+FMA screen kernels (target attributes, as in correlate_avx2.cpp): staging by 8x8
// transposes, and the eight Goertzel recursions with one register per tone and state.
#include <immintrin.h>

#include "dtmf/screen.hpp"

namespace ivrmedia::dtmf::detail {

namespace {
#define IVRM_TARGET __attribute__((target("avx2,fma")))

// r[l] holds samples i..i+7 of lane l; afterwards r[k] holds sample i+k of lanes 0..7.
IVRM_TARGET inline void transpose8(__m256* r) {
  const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
  const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
  const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
  const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  const __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  r[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
  r[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
  r[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
  r[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
  r[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
  r[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
  r[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
  r[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

IVRM_TARGET inline void store8(const __m256* r, float* dst) {
  for (int k = 0; k < kLanes; ++k)
    _mm256_storeu_ps(dst + k * kLanes, r[k]);
}
}  // namespace

IVRM_TARGET void stage_float_avx2(const float* const* src, int n, float* dst) noexcept {
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 r[kLanes];
    for (int l = 0; l < kLanes; ++l)
      r[l] = _mm256_loadu_ps(src[l] + i);
    transpose8(r);
    store8(r, dst + static_cast<std::ptrdiff_t>(i) * kLanes);
  }
  if (i < n) {
    // The last 1..7 samples: masked loads (never past the caller's samples), the same transpose,
    // and only the rows that exist stored.
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(n - i), lanes);
    __m256 r[kLanes];
    for (int l = 0; l < kLanes; ++l)
      r[l] = _mm256_maskload_ps(src[l] + i, mask);
    transpose8(r);
    for (int k = 0; i + k < n; ++k)
      _mm256_storeu_ps(dst + static_cast<std::ptrdiff_t>(i + k) * kLanes, r[k]);
  }
}

IVRM_TARGET void stage_s16_avx2(const std::int16_t* const* src, int n, float* dst) noexcept {
  const __m256 scale = _mm256_set1_ps(1.0f / 32768.0f);  // exact, as the scalar conversion
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 r[kLanes];
    for (int l = 0; l < kLanes; ++l) {
      const __m128i s = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src[l] + i));
      r[l] = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi16_epi32(s)), scale);
    }
    transpose8(r);
    store8(r, dst + static_cast<std::ptrdiff_t>(i) * kLanes);
  }
  for (; i < n; ++i) {
    for (int l = 0; l < kLanes; ++l)
      dst[i * kLanes + l] = src[l][i] * (1.0f / 32768.0f);
  }
}

namespace {
// Four of the Goertzel recursions (tones t0..t0+3), and the energy when kEnergy. Thirteen
// registers (eight states, four coefficients, the sample) plus the energy: nothing spills, and
// the only memory operand is the sample. Measured on Zen 4: eight tones in one pass need all
// sixteen registers for states, so coefficients and samples become memory operands (sixteen
// loads per step), and that ran 1.4x slower than two passes of four. With AVX-512VL's 32
// registers the one pass fits (screen_avx2_evex below).
template <bool kEnergy>
IVRM_TARGET inline void goertzel4(const float* x, int n, const float* coef, float* s1out,
                                  float* s2out, float* energy_out) {
  const __m256 c0 = _mm256_load_ps(coef), c1 = _mm256_load_ps(coef + kLanes);
  const __m256 c2 = _mm256_load_ps(coef + 2 * kLanes), c3 = _mm256_load_ps(coef + 3 * kLanes);
  __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;  // s1 per tone
  __m256 b0 = a0, b1 = a0, b2 = a0, b3 = a0;                   // s2 per tone
  __m256 e = a0;
  // s0 = 2cos(w) s1 - (s2 - x); the subtraction is off the recursion's critical path. Two steps
  // per iteration, each writing the new state over s2 (the states swap roles every step), so no
  // register is copied.
  int i = 0;
  for (; i + 2 <= n; i += 2) {
    const __m256 v = _mm256_loadu_ps(x + static_cast<std::ptrdiff_t>(i) * kLanes);
    b0 = _mm256_fmsub_ps(c0, a0, _mm256_sub_ps(b0, v));
    b1 = _mm256_fmsub_ps(c1, a1, _mm256_sub_ps(b1, v));
    b2 = _mm256_fmsub_ps(c2, a2, _mm256_sub_ps(b2, v));
    b3 = _mm256_fmsub_ps(c3, a3, _mm256_sub_ps(b3, v));
    if constexpr (kEnergy) e = _mm256_fmadd_ps(v, v, e);
    const __m256 w = _mm256_loadu_ps(x + static_cast<std::ptrdiff_t>(i + 1) * kLanes);
    a0 = _mm256_fmsub_ps(c0, b0, _mm256_sub_ps(a0, w));
    a1 = _mm256_fmsub_ps(c1, b1, _mm256_sub_ps(a1, w));
    a2 = _mm256_fmsub_ps(c2, b2, _mm256_sub_ps(a2, w));
    a3 = _mm256_fmsub_ps(c3, b3, _mm256_sub_ps(a3, w));
    if constexpr (kEnergy) e = _mm256_fmadd_ps(w, w, e);
  }
  if (i < n) {  // odd n: one more step
    const __m256 v = _mm256_loadu_ps(x + static_cast<std::ptrdiff_t>(i) * kLanes);
    const __m256 n0 = _mm256_fmsub_ps(c0, a0, _mm256_sub_ps(b0, v));
    const __m256 n1 = _mm256_fmsub_ps(c1, a1, _mm256_sub_ps(b1, v));
    const __m256 n2 = _mm256_fmsub_ps(c2, a2, _mm256_sub_ps(b2, v));
    const __m256 n3 = _mm256_fmsub_ps(c3, a3, _mm256_sub_ps(b3, v));
    b0 = a0, b1 = a1, b2 = a2, b3 = a3;
    a0 = n0, a1 = n1, a2 = n2, a3 = n3;
    if constexpr (kEnergy) e = _mm256_fmadd_ps(v, v, e);
  }
  _mm256_store_ps(s1out, a0);
  _mm256_store_ps(s1out + kLanes, a1);
  _mm256_store_ps(s1out + 2 * kLanes, a2);
  _mm256_store_ps(s1out + 3 * kLanes, a3);
  _mm256_store_ps(s2out, b0);
  _mm256_store_ps(s2out + kLanes, b1);
  _mm256_store_ps(s2out + 2 * kLanes, b2);
  _mm256_store_ps(s2out + 3 * kLanes, b3);
  if constexpr (kEnergy) _mm256_store_ps(energy_out, e);
}
}  // namespace

namespace {
// The estimate of tone t moved to the block's origin (e^{-jwM} X), from the states s1 = a, s2 = b.
IVRM_TARGET inline void store_second(const ScreenCoefs& k, int t, __m256 a, __m256 b,
                                     ScreenHalf& out) {
  _mm256_store_ps(out.second_re[t], _mm256_fmsub_ps(_mm256_set1_ps(k.c3[t]), a,
                                                    _mm256_mul_ps(_mm256_set1_ps(k.c4[t]), b)));
  _mm256_store_ps(out.second_im[t], _mm256_fmsub_ps(_mm256_set1_ps(k.s4[t]), b,
                                                    _mm256_mul_ps(_mm256_set1_ps(k.s3[t]), a)));
}
}  // namespace

IVRM_TARGET void screen_avx2(const float* x, int n, const ScreenCoefs& k,
                             ScreenHalf& out) noexcept {
  alignas(32) float s1[kScreenTones][kLanes], s2[kScreenTones][kLanes];
  goertzel4<true>(x, n, &k.two_cos[0][0], &s1[0][0], &s2[0][0], out.energy);
  goertzel4<false>(x, n, &k.two_cos[4][0], &s1[4][0], &s2[4][0], nullptr);
  for (int t = 0; t < kScreenTones; ++t) {
    const __m256 a = _mm256_load_ps(s1[t]), b = _mm256_load_ps(s2[t]);
    const __m256 re =
        _mm256_fmsub_ps(_mm256_set1_ps(k.c1[t]), a, _mm256_mul_ps(_mm256_set1_ps(k.c2[t]), b));
    const __m256 im =
        _mm256_fmsub_ps(_mm256_set1_ps(k.s2[t]), b, _mm256_mul_ps(_mm256_set1_ps(k.s1[t]), a));
    _mm256_store_ps(out.re[t], re);
    _mm256_store_ps(out.im[t], im);
    store_second(k, t, a, b, out);
  }
}

// The same recursions with every tone in one pass, for CPUs that also have AVX-512VL: its EVEX
// encoding addresses 32 ymm registers, enough for the sixteen states, the eight coefficients,
// the sample and the energy, so eight independent recursions per step fill both multiply-add
// pipes (two passes of four are bound by the multiply-add latency). Still 256-bit vectors, the
// same operations in the same order per tone: the estimates are bit-identical to screen_avx2's.
#define IVRM_TARGET_EVEX __attribute__((target("avx2,fma,avx512f,avx512vl")))
IVRM_TARGET_EVEX void screen_avx2_evex(const float* x, int n, const ScreenCoefs& k,
                                       ScreenHalf& out) noexcept {
  __m256 c[kScreenTones], a[kScreenTones], b[kScreenTones];
  for (int t = 0; t < kScreenTones; ++t) {
    c[t] = _mm256_load_ps(k.two_cos[t]);
    a[t] = b[t] = _mm256_setzero_ps();
  }
  __m256 e = _mm256_setzero_ps();
  // Two steps per iteration, each writing the new state over the older one (s2 - x, then
  // 2cos(w) s1 minus that, in s2's register): the states swap roles every step and no register
  // is copied, which keeps the loop at 18 instructions a step.
  int i = 0;
  for (; i + 2 <= n; i += 2) {
    const __m256 v0 = _mm256_loadu_ps(x + static_cast<std::ptrdiff_t>(i) * kLanes);
    for (int t = 0; t < kScreenTones; ++t)
      b[t] = _mm256_fmsub_ps(c[t], a[t], _mm256_sub_ps(b[t], v0));
    e = _mm256_fmadd_ps(v0, v0, e);
    const __m256 v1 = _mm256_loadu_ps(x + static_cast<std::ptrdiff_t>(i + 1) * kLanes);
    for (int t = 0; t < kScreenTones; ++t)
      a[t] = _mm256_fmsub_ps(c[t], b[t], _mm256_sub_ps(a[t], v1));
    e = _mm256_fmadd_ps(v1, v1, e);
  }
  if (i < n) {  // odd n: one more step, then s1 is in b
    const __m256 v0 = _mm256_loadu_ps(x + static_cast<std::ptrdiff_t>(i) * kLanes);
    for (int t = 0; t < kScreenTones; ++t) {
      const __m256 s0 = _mm256_fmsub_ps(c[t], a[t], _mm256_sub_ps(b[t], v0));
      b[t] = a[t];
      a[t] = s0;
    }
    e = _mm256_fmadd_ps(v0, v0, e);
  }
  _mm256_store_ps(out.energy, e);
  for (int t = 0; t < kScreenTones; ++t) {
    const __m256 re = _mm256_fmsub_ps(_mm256_set1_ps(k.c1[t]), a[t],
                                      _mm256_mul_ps(_mm256_set1_ps(k.c2[t]), b[t]));
    const __m256 im = _mm256_fmsub_ps(_mm256_set1_ps(k.s2[t]), b[t],
                                      _mm256_mul_ps(_mm256_set1_ps(k.s1[t]), a[t]));
    _mm256_store_ps(out.re[t], re);
    _mm256_store_ps(out.im[t], im);
    store_second(k, t, a[t], b[t], out);
  }
}
#undef IVRM_TARGET_EVEX

// The scalar decision's operations on eight lanes at once, in the same order (no fusing).
IVRM_TARGET unsigned screen_proven_misses_avx2(const ScreenHalf& a, const ScreenHalf& b,
                                               const ScreenLimits& lim) noexcept {
  const __m256 one_up = _mm256_set1_ps(1 + kScreenSlack);
  const __m256 one_down = _mm256_set1_ps(1 - kScreenSlack);
  const __m256 tiny = _mm256_set1_ps(kScreenTiny);
  const __m256 ea = _mm256_load_ps(a.energy), eb = _mm256_load_ps(b.energy);
  const __m256 huge = _mm256_set1_ps(kScreenHuge);
  const __m256 finite =
      _mm256_and_ps(_mm256_cmp_ps(ea, huge, _CMP_LT_OQ), _mm256_cmp_ps(eb, huge, _CMP_LT_OQ));
  const __m256 ea_hi = _mm256_add_ps(_mm256_mul_ps(ea, one_up), tiny);
  const __m256 eb_hi = _mm256_add_ps(_mm256_mul_ps(eb, one_up), tiny);
  const __m256 ea_lo = _mm256_sub_ps(_mm256_mul_ps(ea, one_down), tiny);
  const __m256 eb_lo = _mm256_sub_ps(_mm256_mul_ps(eb, one_down), tiny);
  const __m256 balance =
      _mm256_cmp_ps(_mm256_min_ps(ea_hi, eb_hi),
                    _mm256_mul_ps(_mm256_set1_ps(0.5f), _mm256_max_ps(ea_lo, eb_lo)), _CMP_LT_OQ);
  __m256 p[kScreenTones];
  for (int t = 0; t < kScreenTones; ++t) {
    const __m256 xr = _mm256_add_ps(_mm256_load_ps(a.re[t]), _mm256_load_ps(b.second_re[t]));
    const __m256 xi = _mm256_add_ps(_mm256_load_ps(a.im[t]), _mm256_load_ps(b.second_im[t]));
    p[t] = _mm256_add_ps(_mm256_mul_ps(xr, xr), _mm256_mul_ps(xi, xi));
  }
  // Estimates are finite here (energies under kScreenHuge), so max and min need no NaN rules.
  const __m256 m = _mm256_set1_ps(static_cast<float>(lim.half_len));
  const __m256 radius =
      _mm256_add_ps(_mm256_mul_ps(_mm256_set1_ps(lim.radius_per_norm),
                                  _mm256_add_ps(_mm256_sqrt_ps(_mm256_mul_ps(m, ea_hi)),
                                                _mm256_sqrt_ps(_mm256_mul_ps(m, eb_hi)))),
                    tiny);
  const __m256 row_p = _mm256_max_ps(_mm256_max_ps(p[0], p[1]), _mm256_max_ps(p[2], p[3]));
  const __m256 col_p = _mm256_max_ps(_mm256_max_ps(p[4], p[5]), _mm256_max_ps(p[6], p[7]));
  const __m256 row_mag = _mm256_add_ps(_mm256_mul_ps(_mm256_sqrt_ps(row_p), one_up), radius);
  const __m256 col_mag = _mm256_add_ps(_mm256_mul_ps(_mm256_sqrt_ps(col_p), one_up), radius);
  const __m256 row = _mm256_mul_ps(row_mag, row_mag), col = _mm256_mul_ps(col_mag, col_mag);
  const __m256 level =
      _mm256_cmp_ps(_mm256_min_ps(row, col),
                    _mm256_set1_ps(lim.min_power_bound * (1 - kScreenSlack)), _CMP_LT_OQ);
  const __m256 tones_max =
      _mm256_mul_ps(_mm256_add_ps(row, col), _mm256_set1_ps(lim.tones_bound_scale));
  const __m256 purity = _mm256_cmp_ps(
      _mm256_add_ps(ea_lo, eb_lo),
      _mm256_mul_ps(_mm256_set1_ps((1 + lim.residual_ratio) * (1 + kScreenSlack)), tones_max),
      _CMP_GT_OQ);
  const __m256 proven = _mm256_and_ps(finite, _mm256_or_ps(balance, _mm256_or_ps(level, purity)));
  return static_cast<unsigned>(_mm256_movemask_ps(proven));
}

// The scalar phase test's operations on eight lanes at once, in the same order (no fusing).
IVRM_TARGET unsigned screen_phase_misses_avx2(const ScreenHalf& a, const ScreenHalf& b,
                                              const ScreenLimits& lim) noexcept {
  const __m256 one_up = _mm256_set1_ps(1 + kScreenSlack);
  const __m256 tiny = _mm256_set1_ps(kScreenTiny);
  const __m256 huge = _mm256_set1_ps(kScreenHuge);
  const __m256 ea = _mm256_load_ps(a.energy), eb = _mm256_load_ps(b.energy);
  const __m256 finite =
      _mm256_and_ps(_mm256_cmp_ps(ea, huge, _CMP_LT_OQ), _mm256_cmp_ps(eb, huge, _CMP_LT_OQ));
  const __m256 m = _mm256_set1_ps(static_cast<float>(lim.half_len));
  const __m256 rpn = _mm256_set1_ps(lim.radius_per_norm);
  const __m256 na =
      _mm256_sqrt_ps(_mm256_mul_ps(m, _mm256_add_ps(_mm256_mul_ps(ea, one_up), tiny)));
  const __m256 nb =
      _mm256_sqrt_ps(_mm256_mul_ps(m, _mm256_add_ps(_mm256_mul_ps(eb, one_up), tiny)));
  const __m256 ra = _mm256_add_ps(_mm256_mul_ps(rpn, na), tiny);
  const __m256 rb = _mm256_add_ps(_mm256_mul_ps(rpn, nb), tiny);
  const __m256 radius = _mm256_add_ps(ra, rb);
  const __m256 rz = _mm256_add_ps(
      _mm256_mul_ps(_mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(rb, _mm256_add_ps(na, ra)),
                                                _mm256_mul_ps(ra, _mm256_add_ps(nb, rb))),
                                  _mm256_mul_ps(ra, rb)),
                    _mm256_set1_ps(kScreenPhaseMargin)),
      tiny);
  const __m256 sign = _mm256_set1_ps(-0.0f);
  __m256 p[kScreenTones], fail[kScreenTones];
  for (int t = 0; t < kScreenTones; ++t) {
    const __m256 are = _mm256_load_ps(a.re[t]), aim = _mm256_load_ps(a.im[t]);
    const __m256 bre = _mm256_load_ps(b.second_re[t]), bim = _mm256_load_ps(b.second_im[t]);
    const __m256 xr = _mm256_add_ps(are, bre), xi = _mm256_add_ps(aim, bim);
    p[t] = _mm256_add_ps(_mm256_mul_ps(xr, xr), _mm256_mul_ps(xi, xi));
    const __m256 zr = _mm256_add_ps(_mm256_mul_ps(bre, are), _mm256_mul_ps(bim, aim));
    const __m256 zi =
        _mm256_andnot_ps(sign, _mm256_sub_ps(_mm256_mul_ps(bim, are), _mm256_mul_ps(bre, aim)));
    const __m256 d = _mm256_sub_ps(_mm256_mul_ps(zi, _mm256_set1_ps(lim.phase_cos[t])),
                                   _mm256_mul_ps(zr, _mm256_set1_ps(lim.phase_sin[t])));
    fail[t] = _mm256_cmp_ps(d, rz, _CMP_GT_OQ);
  }
  const __m256 zero = _mm256_setzero_ps();
  __m256 group_proven[2];
  for (int g = 0; g < 2; ++g) {
    const __m256* pg = p + 4 * g;
    const __m256 top = _mm256_max_ps(_mm256_max_ps(pg[0], pg[1]), _mm256_max_ps(pg[2], pg[3]));
    const __m256 q = _mm256_mul_ps(
        _mm256_sub_ps(_mm256_mul_ps(_mm256_sqrt_ps(top), _mm256_set1_ps(1 - kScreenSlack)),
                      _mm256_mul_ps(_mm256_set1_ps(2.0f), radius)),
        _mm256_set1_ps(kScreenCandidateScale));
    const __m256 q2 = _mm256_mul_ps(q, q);
    const __m256 all_candidates = _mm256_cmp_ps(q, zero, _CMP_LE_OQ);
    const __m256 ones = _mm256_castsi256_ps(_mm256_set1_epi32(-1));
    __m256 all = ones;
    for (int t = 4 * g; t < 4 * g + 4; ++t) {
      const __m256 candidate = _mm256_or_ps(all_candidates, _mm256_cmp_ps(p[t], q2, _CMP_GE_OQ));
      all = _mm256_and_ps(all, _mm256_or_ps(fail[t], _mm256_andnot_ps(candidate, ones)));
    }
    group_proven[g] = all;
  }
  const __m256 proven = _mm256_and_ps(finite, _mm256_or_ps(group_proven[0], group_proven[1]));
  return static_cast<unsigned>(_mm256_movemask_ps(proven));
}

#undef IVRM_TARGET

}  // namespace ivrmedia::dtmf::detail
