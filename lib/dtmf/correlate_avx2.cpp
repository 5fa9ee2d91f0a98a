// AVX2+FMA correlation kernel (functions marked with a target attribute, not a file-wide
// -mavx2: see lib/codec/g711_avx2.cpp for why): the scalar kernel's eight partial sums are one
// register per row, reduced in the scalar order; each multiply-add is fused (see correlate.hpp
// for the tolerance this costs against the scalar kernel).
#include <immintrin.h>

#include "dtmf/correlate.hpp"

namespace ivrmedia::dtmf::detail {

namespace {
#define IVRM_TARGET __attribute__((target("avx2,fma")))

// Eight accumulators reduced at once: lane k of the result is accumulator k's sum, in the order
// ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) over its lanes, which the scalar kernel
// follows. Seven hadds and two permutes instead of eight separate reductions.
IVRM_TARGET inline __m256 reduce8x8(const __m256* a) {
  const __m256 h1 = _mm256_hadd_ps(a[0], a[1]), h2 = _mm256_hadd_ps(a[2], a[3]);
  const __m256 h3 = _mm256_hadd_ps(a[4], a[5]), h4 = _mm256_hadd_ps(a[6], a[7]);
  const __m256 h5 = _mm256_hadd_ps(h1, h2), h6 = _mm256_hadd_ps(h3, h4);
  // h5 lanes 0-3: the low-half sums of a0..a3, lanes 4-7 their high-half sums; h6 for a4..a7.
  return _mm256_add_ps(_mm256_permute2f128_ps(h5, h6, 0x20), _mm256_permute2f128_ps(h5, h6, 0x31));
}

// Lanes [0, count) set: the tail of a half whose length is not a multiple of 8 is loaded with
// a mask, so the kernel never reads past the caller's samples.
IVRM_TARGET inline __m256i tail_mask(int count) {
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(count), lanes);
}

// One pass over the samples for eight rows (and the energy when kEnergy). Plain loops over
// named registers: an array of accumulators made the compiler spill them to the stack.
template <bool kEnergy>
IVRM_TARGET inline void pass(const float* x, int n, const float* rows, std::ptrdiff_t padded,
                             __m256* acc, __m256& energy) {
  __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  __m256 e = energy;
  const float* r0 = rows;
  const float* r1 = r0 + padded;
  const float* r2 = r1 + padded;
  const float* r3 = r2 + padded;
  const float* r4 = r3 + padded;
  const float* r5 = r4 + padded;
  const float* r6 = r5 + padded;
  const float* r7 = r6 + padded;
  const int full = n / 8 * 8;
  auto step = [&](__m256 v, int i) __attribute__((always_inline, target("avx2,fma"))) {
    if constexpr (kEnergy) e = _mm256_fmadd_ps(v, v, e);
    a0 = _mm256_fmadd_ps(v, _mm256_loadu_ps(r0 + i), a0);
    a1 = _mm256_fmadd_ps(v, _mm256_loadu_ps(r1 + i), a1);
    a2 = _mm256_fmadd_ps(v, _mm256_loadu_ps(r2 + i), a2);
    a3 = _mm256_fmadd_ps(v, _mm256_loadu_ps(r3 + i), a3);
    a4 = _mm256_fmadd_ps(v, _mm256_loadu_ps(r4 + i), a4);
    a5 = _mm256_fmadd_ps(v, _mm256_loadu_ps(r5 + i), a5);
    a6 = _mm256_fmadd_ps(v, _mm256_loadu_ps(r6 + i), a6);
    a7 = _mm256_fmadd_ps(v, _mm256_loadu_ps(r7 + i), a7);
  };
  for (int i = 0; i < full; i += 8)
    step(_mm256_loadu_ps(x + i), i);
  if (full < n) step(_mm256_maskload_ps(x + full, tail_mask(n - full)), full);
  energy = e;
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
  acc[4] = a4, acc[5] = a5, acc[6] = a6, acc[7] = a7;
}
#undef IVRM_TARGET
}  // namespace

__attribute__((target("avx2,fma"))) void correlate_avx2(const float* x, int n, const float* table,
                                                        int padded, float* out) noexcept {
  // Two passes of eight rows: sixteen accumulators plus the sample would not fit the sixteen
  // ymm registers, and spilling them costs more than loading the samples twice (from L1).
  __m256 acc[kRows];
  __m256 energy = _mm256_setzero_ps();
  pass<true>(x, n, table, padded, acc, energy);
  pass<false>(x, n, table + static_cast<std::ptrdiff_t>(8) * padded, padded, acc + 8, energy);
  _mm256_storeu_ps(out, reduce8x8(acc));
  _mm256_storeu_ps(out + kTones, reduce8x8(acc + kTones));
  const __m256 e[8] = {energy, energy, energy, energy, energy, energy, energy, energy};
  out[kRows] = _mm256_cvtss_f32(reduce8x8(e));
}

}  // namespace ivrmedia::dtmf::detail
