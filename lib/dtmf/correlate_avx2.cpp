// AVX2 correlation kernel (functions marked with the avx2 target attribute, not a file-wide
// -mavx2: see lib/codec/g711_avx2.cpp for why): the scalar kernel's eight partial sums are one
// register per row, and the final reduction follows the scalar order exactly (bit-identical;
// tested).
#include <immintrin.h>

#include "dtmf/correlate.hpp"

namespace ivrmedia::dtmf::detail {

namespace {
// Eight accumulators reduced at once: lane k of the result is accumulator k's sum, in the order
// ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) over its lanes, which the scalar kernel
// follows. Seven hadds and two permutes instead of eight separate reductions.
__attribute__((target("avx2"))) inline __m256 reduce8x8(const __m256* a) {
  const __m256 h1 = _mm256_hadd_ps(a[0], a[1]), h2 = _mm256_hadd_ps(a[2], a[3]);
  const __m256 h3 = _mm256_hadd_ps(a[4], a[5]), h4 = _mm256_hadd_ps(a[6], a[7]);
  const __m256 h5 = _mm256_hadd_ps(h1, h2), h6 = _mm256_hadd_ps(h3, h4);
  // h5 lanes 0-3: the low-half sums of a0..a3, lanes 4-7 their high-half sums; h6 for a4..a7.
  return _mm256_add_ps(_mm256_permute2f128_ps(h5, h6, 0x20), _mm256_permute2f128_ps(h5, h6, 0x31));
}
}  // namespace

__attribute__((target("avx2"))) void correlate_avx2(const float* x, const float* table, int padded,
                                                    float* out) noexcept {
  // Two passes of eight rows: sixteen accumulators plus the sample would not fit the sixteen
  // ymm registers, and spilling them costs more than loading the samples twice.
  __m256 acc[kRows];
  __m256 energy = _mm256_setzero_ps();
  for (int half = 0; half < 2; ++half) {
    __m256 a[8];
    for (auto& v : a)
      v = _mm256_setzero_ps();
    const float* rows = table + static_cast<std::ptrdiff_t>(half) * 8 * padded;
    for (int i = 0; i < padded; i += 8) {
      const __m256 v = _mm256_loadu_ps(x + i);
      if (half == 0) energy = _mm256_add_ps(energy, _mm256_mul_ps(v, v));
      for (int k = 0; k < 8; ++k) {
        const __m256 row = _mm256_loadu_ps(rows + static_cast<std::ptrdiff_t>(k) * padded + i);
        a[k] = _mm256_add_ps(a[k], _mm256_mul_ps(v, row));
      }
    }
    for (int k = 0; k < 8; ++k)
      acc[half * 8 + k] = a[k];
  }
  _mm256_storeu_ps(out, reduce8x8(acc));
  _mm256_storeu_ps(out + kTones, reduce8x8(acc + kTones));
  const __m256 e[8] = {energy, energy, energy, energy, energy, energy, energy, energy};
  out[kRows] = _mm256_cvtss_f32(reduce8x8(e));
}

}  // namespace ivrmedia::dtmf::detail
