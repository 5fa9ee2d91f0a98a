// The dot product of the pitch searches (G.711 Appendix I concealment, time stretching).
#pragma once

#include <cstddef>

namespace ivrmedia::core {

// Four partial sums, so a long search is not one chain of dependent additions (and the
// compiler may vectorize it). The summation order is part of the result: both searches rank
// lags by it, so keep it when changing this.
inline float dot4(const float* a, const float* b, std::size_t n) noexcept {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; ++i)
    s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

}  // namespace ivrmedia::core
