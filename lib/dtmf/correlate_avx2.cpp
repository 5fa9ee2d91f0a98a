// AVX2 correlation kernel: the scalar kernel's eight partial sums are one register per row, and
// the final reduction follows the scalar order exactly (bit-identical; tested).
#include <immintrin.h>

#include "dtmf/correlate.hpp"

namespace ivrmedia::dtmf::detail {

namespace {
inline float reduce8(__m256 v) {
  const __m128 t = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));  // j+4
  const __m128 u = _mm_add_ps(t, _mm_movehl_ps(t, t));  // (t0 + t2), (t1 + t3)
  return _mm_cvtss_f32(_mm_add_ss(u, _mm_shuffle_ps(u, u, 1)));
}
}  // namespace

void correlate_avx2(const float* x, const float* table, int padded, float* out) noexcept {
  __m256 acc[kRows];
  for (auto& a : acc)
    a = _mm256_setzero_ps();
  __m256 energy = _mm256_setzero_ps();
  for (int i = 0; i < padded; i += 8) {
    const __m256 v = _mm256_loadu_ps(x + i);
    energy = _mm256_add_ps(energy, _mm256_mul_ps(v, v));
    for (int k = 0; k < kRows; ++k) {
      const __m256 row = _mm256_loadu_ps(table + static_cast<std::ptrdiff_t>(k) * padded + i);
      acc[k] = _mm256_add_ps(acc[k], _mm256_mul_ps(v, row));
    }
  }
  for (int t = 0; t < kTones; ++t) {
    out[t] = reduce8(acc[t]);
    out[kTones + t] = reduce8(acc[kTones + t]);
  }
  out[kRows] = reduce8(energy);
}

}  // namespace ivrmedia::dtmf::detail
