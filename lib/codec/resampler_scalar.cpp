// Scalar resampler kernel: the reference every other kernel follows (see resampler_kernels.hpp
// for the summation order they share).
#include "codec/resampler_kernels.hpp"

namespace ivrmedia::resample::detail {

float dot_scalar(const float* c, const float* x, std::uint32_t k) noexcept {
  // Pointer steps, not 32-bit indices (whose wrap-around would keep the compiler from seeing
  // contiguous loads): the inner loop becomes two SSE multiply-adds per eight taps.
  float s[8] = {};
  for (const float* end = c + k; c != end; c += 8, x += 8) {
    for (int j = 0; j < 8; ++j)
      s[j] += c[j] * x[j];
  }
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

void fir_scalar(const StageDesign& s, const float* x, std::uint32_t row, float* out,
                std::size_t n) noexcept {
  const std::uint32_t L = s.L, K = s.K;
  const float* table = s.table.data();
  const std::uint32_t* step = s.step.data();
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = dot_scalar(table + static_cast<std::size_t>(row) * K, x, K);
    x += step[row];
    if (++row == L) row = 0;
  }
}

FirFn fir_kernel(const StageDesign& s, SimdLevel level) noexcept {
#if defined(IVRM_HAVE_AVX2)
  if (level == SimdLevel::avx2) {
    if (s.M == 1 && s.L == 2) return fir_avx2_up;
    if (s.M == 1 && s.L > 2) return fir_avx2_vertical;
    if (s.L == 1) return fir_avx2_down;
    return fir_avx2;
  }
#else
  (void)s;
  (void)level;
#endif
  return fir_scalar;
}

}  // namespace ivrmedia::resample::detail
