// Scalar correlation kernel (the reference) and table construction.
#include "dtmf/correlate.hpp"

#include <cmath>
#include <numbers>

#include "ivrmedia/dtmf.hpp"

namespace ivrmedia::dtmf::detail {

namespace {
// The fixed reduction order every kernel uses (the AVX2 kernel's hadd tree).
inline float reduce8(const float* a) {
  return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
}
}  // namespace

void correlate_scalar(const float* x, int n, const float* table, int padded, float* out) noexcept {
  // Same partial sums (lane = n mod 8) and reduction order as the AVX2 kernel.
  float acc[kRows][8] = {};
  float energy[8] = {};
  const int full = n / 8 * 8;
  float tail[8] = {};  // the last partial group of 8, zero-filled like the AVX2 masked load
  for (int j = 0; full + j < n; ++j)
    tail[j] = x[full + j];
  // Row after row (one row's eight sums stay in registers), over the whole groups and then the
  // zero-filled tail.
  for (int i = 0; i < full; i += 8) {
    for (int j = 0; j < 8; ++j)
      energy[j] += x[i + j] * x[i + j];
  }
  for (int j = 0; j < 8; ++j)
    energy[j] += tail[j] * tail[j];
  for (int k = 0; k < kRows; ++k) {
    const float* row = table + static_cast<std::ptrdiff_t>(k) * padded;
    for (int i = 0; i < full; i += 8) {
      for (int j = 0; j < 8; ++j)
        acc[k][j] += x[i + j] * row[i + j];
    }
    if (full < n) {
      for (int j = 0; j < 8; ++j)
        acc[k][j] += tail[j] * row[full + j];
    }
  }
  for (int t = 0; t < kTones; ++t) {
    out[t] = reduce8(acc[t]);
    out[kTones + t] = reduce8(acc[kTones + t]);
  }
  out[kRows] = reduce8(energy);
}

CorrelateFn correlate_kernel(SimdLevel level) noexcept {
#if defined(IVRM_HAVE_AVX2)
  if (level == SimdLevel::avx2) return correlate_avx2;
#else
  (void)level;
#endif
  return correlate_scalar;
}

void build_table(float* table, int half, int padded, int rate) noexcept {
  for (int t = 0; t < kTones; ++t) {
    const double hz =
        t < 4 ? kRowHz[static_cast<std::size_t>(t)] : kColumnHz[static_cast<std::size_t>(t - 4)];
    const double w = 2.0 * std::numbers::pi * hz / rate;
    float* c = table + static_cast<std::ptrdiff_t>(t) * padded;
    float* s = table + static_cast<std::ptrdiff_t>(kTones + t) * padded;
    for (int n = 0; n < padded; ++n) {
      c[n] = n < half ? static_cast<float>(std::cos(w * n)) : 0.0f;
      s[n] = n < half ? static_cast<float>(-std::sin(w * n)) : 0.0f;
    }
  }
}

}  // namespace ivrmedia::dtmf::detail
