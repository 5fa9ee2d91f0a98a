// AVX2+FMA resampler kernels (functions marked with a target attribute, not a file-wide -mavx2:
// see lib/codec/g711_avx2.cpp for why). Each output keeps the scalar kernel's eight partial sums
// in one ymm accumulator and reduces them in its order; only the fused multiply-adds differ
// (tolerance in resampler_kernels.hpp). An output's arithmetic is the same in every kernel and
// at every position in a group, so chunking never changes a result.
//
// The general kernel computes four outputs at a time, each with its own row and window: two
// loads per FMA, which bounds it at one FMA per cycle (four accumulator chains cover the FMA
// latency at that rate). The common special cases share loads across eight outputs, which
// eight chains keep the FMA units busy for: an x2 upsampler's outputs come in pairs on one
// window (four windows, two rows: 0.75 loads per FMA), a decimator's eight outputs share one
// row (1.125 loads per FMA). Other integer upsamplers (x3) put eight windows of one row in one
// vector and never reduce horizontally (fir_avx2_vertical). The same arithmetic per output
// everywhere also lets each kernel hand its ragged ends to the general one.
#include <immintrin.h>

#include <cstring>

#include "codec/resampler_kernels.hpp"

namespace ivrmedia::resample::detail {

namespace {
#define IVRM_TARGET __attribute__((target("avx2,fma")))

IVRM_TARGET inline __m256 ld(const float* p) {
  return _mm256_loadu_ps(p);
}

// Lane k: output k's sum, ((v0+v1)+(v2+v3)) + ((v4+v5)+(v6+v7)) over vk's lanes.
IVRM_TARGET inline __m128 reduce4(__m256 v0, __m256 v1, __m256 v2, __m256 v3) {
  const __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(v0, v1), _mm256_hadd_ps(v2, v3));
  return _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
}

// The same for eight accumulators: lanes 0-3 of h5 hold the low-half sums of v0..v3, lanes 4-7
// their high-half sums (h6 likewise for v4..v7).
IVRM_TARGET inline __m256 reduce8(__m256 v0, __m256 v1, __m256 v2, __m256 v3, __m256 v4, __m256 v5,
                                  __m256 v6, __m256 v7) {
  const __m256 h5 = _mm256_hadd_ps(_mm256_hadd_ps(v0, v1), _mm256_hadd_ps(v2, v3));
  const __m256 h6 = _mm256_hadd_ps(_mm256_hadd_ps(v4, v5), _mm256_hadd_ps(v6, v7));
  return _mm256_add_ps(_mm256_permute2f128_ps(h5, h6, 0x20), _mm256_permute2f128_ps(h5, h6, 0x31));
}

// Four outputs, each with its own row c_k and window x_k.
IVRM_TARGET inline __m128 group4(const float* const* c, const float* const* x, std::uint32_t k) {
  const float *c0 = c[0], *c1 = c[1], *c2 = c[2], *c3 = c[3];
  const float *x0 = x[0], *x1 = x[1], *x2 = x[2], *x3 = x[3];
  __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
  for (std::size_t t = 0; t < k; t += 8) {
    a0 = _mm256_fmadd_ps(ld(c0 + t), ld(x0 + t), a0);
    a1 = _mm256_fmadd_ps(ld(c1 + t), ld(x1 + t), a1);
    a2 = _mm256_fmadd_ps(ld(c2 + t), ld(x2 + t), a2);
    a3 = _mm256_fmadd_ps(ld(c3 + t), ld(x3 + t), a3);
  }
  return reduce4(a0, a1, a2, a3);
}

// x2 upsampler, eight outputs from row 0: windows w..w+3, each with row 0 then row 1.
IVRM_TARGET inline __m256 group8_up2(const float* r0, const float* r1, const float* w,
                                     std::uint32_t k) {
  __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (std::size_t t = 0; t < k; t += 8) {
    const __m256 c0 = ld(r0 + t), c1 = ld(r1 + t);
    const __m256 x0 = ld(w + t), x1 = ld(w + t + 1), x2 = ld(w + t + 2), x3 = ld(w + t + 3);
    a0 = _mm256_fmadd_ps(c0, x0, a0);
    a1 = _mm256_fmadd_ps(c1, x0, a1);
    a2 = _mm256_fmadd_ps(c0, x1, a2);
    a3 = _mm256_fmadd_ps(c1, x1, a3);
    a4 = _mm256_fmadd_ps(c0, x2, a4);
    a5 = _mm256_fmadd_ps(c1, x2, a5);
    a6 = _mm256_fmadd_ps(c0, x3, a6);
    a7 = _mm256_fmadd_ps(c1, x3, a7);
  }
  return reduce8(a0, a1, a2, a3, a4, a5, a6, a7);
}

// Decimator (one row), eight outputs whose windows start `step` apart.
IVRM_TARGET inline __m256 group8_down(const float* r, const float* w, std::size_t step,
                                      std::uint32_t k) {
  const float *x0 = w, *x1 = x0 + step, *x2 = x1 + step, *x3 = x2 + step, *x4 = x3 + step,
              *x5 = x4 + step, *x6 = x5 + step, *x7 = x6 + step;
  __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (std::size_t t = 0; t < k; t += 8) {
    const __m256 c = ld(r + t);
    a0 = _mm256_fmadd_ps(c, ld(x0 + t), a0);
    a1 = _mm256_fmadd_ps(c, ld(x1 + t), a1);
    a2 = _mm256_fmadd_ps(c, ld(x2 + t), a2);
    a3 = _mm256_fmadd_ps(c, ld(x3 + t), a3);
    a4 = _mm256_fmadd_ps(c, ld(x4 + t), a4);
    a5 = _mm256_fmadd_ps(c, ld(x5 + t), a5);
    a6 = _mm256_fmadd_ps(c, ld(x6 + t), a6);
    a7 = _mm256_fmadd_ps(c, ld(x7 + t), a7);
  }
  return reduce8(a0, a1, a2, a3, a4, a5, a6, a7);
}

// The general path; also finishes what the special kernels leave. A group of fewer than four
// repeats its last output and stores only the real ones.
IVRM_TARGET void general(const StageDesign& s, const float* x, std::uint32_t row, float* out,
                         std::size_t n) {
  const std::uint32_t L = s.L, K = s.K;
  const float* table = s.table.data();
  const std::uint32_t* step = s.step.data();
  const float* c[4];
  const float* w[4];
  for (std::size_t i = 0; i < n; i += 4) {
    const std::size_t m = n - i < 4 ? n - i : 4;
    for (std::size_t k = 0; k < 4; ++k) {
      if (k < m) {
        c[k] = table + static_cast<std::size_t>(row) * K;
        w[k] = x;
        x += step[row];
        if (++row == L) row = 0;
      } else {
        c[k] = c[m - 1];
        w[k] = w[m - 1];
      }
    }
    const __m128 y = group4(c, w, K);
    if (m == 4) {
      _mm_storeu_ps(out + i, y);
    } else {
      float tmp[4];
      _mm_storeu_ps(tmp, y);
      std::memcpy(out + i, tmp, m * sizeof(float));
    }
  }
}
#undef IVRM_TARGET
}  // namespace

__attribute__((target("avx2,fma"))) void fir_avx2(const StageDesign& s, const float* x,
                                                  std::uint32_t row, float* out,
                                                  std::size_t n) noexcept {
  general(s, x, row, out, n);
}

__attribute__((target("avx2,fma"))) void fir_avx2_up(const StageDesign& s, const float* x,
                                                     std::uint32_t row, float* out,
                                                     std::size_t n) noexcept {
  // L == 2, M == 1: rows 0 and 1 alternate on one window, which moves after row 1.
  const float* r0 = s.table.data();
  const float* r1 = r0 + s.K;
  std::size_t i = 0;
  if (row == 1 && n > 0) {
    general(s, x, 1, out, 1);
    ++x, ++i;
  }
  for (; i + 8 <= n; i += 8, x += 4)
    _mm256_storeu_ps(out + i, group8_up2(r0, r1, x, s.K));
  if (i < n) general(s, x, 0, out + i, n - i);
}

__attribute__((target("avx2,fma"))) void fir_avx2_vertical(const StageDesign& s, const float* x,
                                                           std::uint32_t row, float* out,
                                                           std::size_t n) noexcept {
  // M == 1: output (window w + i, row p) is out[i L + p]. For one row, eight consecutive windows
  // are eight consecutive input positions, so one vector computes eight outputs with no
  // horizontal reduction: lane i of accumulator l is partial sum l of window w + i (taps
  // t = l mod 8, the same order as every kernel), and the same tree adds the accumulators
  // lane-wise. Two loads (a broadcast tap, the samples) per FMA but almost nothing per output,
  // which wins for the short relaxed stages (K = 16-24) where reductions dominate. (Rational
  // stages would need their input split into M streams first; for M = 2 that split cost more
  // than the general kernel's reductions, measured.)
  const std::size_t L = s.L, K = s.K;
  const float* table = s.table.data();
  std::size_t i = 0;
  if (row != 0) {
    const std::size_t lead = n < L - row ? n : L - row;
    general(s, x, row, out, lead);
    x += s.advance[row + lead] - s.advance[row];
    i = lead;
  }
  for (; i + 8 * L <= n; i += 8 * L, x += 8) {
    for (std::size_t p = 0; p < L; ++p) {
      const float* c = table + p * K;
      __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0,
             a7 = a0;
      for (std::size_t t = 0; t < K; t += 8) {
        a0 = _mm256_fmadd_ps(_mm256_broadcast_ss(c + t), ld(x + t), a0);
        a1 = _mm256_fmadd_ps(_mm256_broadcast_ss(c + t + 1), ld(x + t + 1), a1);
        a2 = _mm256_fmadd_ps(_mm256_broadcast_ss(c + t + 2), ld(x + t + 2), a2);
        a3 = _mm256_fmadd_ps(_mm256_broadcast_ss(c + t + 3), ld(x + t + 3), a3);
        a4 = _mm256_fmadd_ps(_mm256_broadcast_ss(c + t + 4), ld(x + t + 4), a4);
        a5 = _mm256_fmadd_ps(_mm256_broadcast_ss(c + t + 5), ld(x + t + 5), a5);
        a6 = _mm256_fmadd_ps(_mm256_broadcast_ss(c + t + 6), ld(x + t + 6), a6);
        a7 = _mm256_fmadd_ps(_mm256_broadcast_ss(c + t + 7), ld(x + t + 7), a7);
      }
      const __m256 y = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                                     _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)));
      float lanes[8];
      _mm256_storeu_ps(lanes, y);
      for (std::size_t w = 0; w < 8; ++w)
        out[i + w * L + p] = lanes[w];
    }
  }
  if (i < n) general(s, x, 0, out + i, n - i);
}

__attribute__((target("avx2,fma"))) void fir_avx2_down(const StageDesign& s, const float* x,
                                                       std::uint32_t row, float* out,
                                                       std::size_t n) noexcept {
  // L == 1: one row (always row 0); the window moves by M.
  const std::size_t step = s.M;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8, x += 8 * step)
    _mm256_storeu_ps(out + i, group8_down(s.table.data(), x, step, s.K));
  if (i < n) general(s, x, row, out + i, n - i);
}

}  // namespace ivrmedia::resample::detail
