// The correlation kernels behind the DTMF detector: every SIMD level against the scalar
// reference within the tolerance correlate.hpp states, for every half-block length the
// supported rates give, reading exactly the samples it is given.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "dtmf/correlate.hpp"
#include "support/simd_levels.hpp"

namespace {

using namespace ivrmedia::dtmf::detail;

TEST(DtmfCorrelate, EveryLevelMatchesTheScalarReferenceWithinTolerance) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (int rate : {8000, 11025, 16000, 22050, 32000, 44100, 48000, 96000}) {
    const int half = static_cast<int>(std::lround(51.0 * rate / 8000.0));
    const int padded = (half + 7) / 8 * 8;
    std::vector<float> table(static_cast<std::size_t>(kRows * padded));
    build_table(table.data(), half, padded, rate);
    for (int trial = 0; trial < 50; ++trial) {
      // NaNs follow the half: a kernel that read past n would return non-finite sums.
      std::vector<float> x(static_cast<std::size_t>(half) + 16, std::nanf(""));
      const float scale = trial % 2 ? 1.0f : 1e-3f;
      double norm = 0;
      for (int i = 0; i < half; ++i) {
        x[static_cast<std::size_t>(i)] = scale * u(rng);
        norm += double(x[static_cast<std::size_t>(i)]) * x[static_cast<std::size_t>(i)];
      }
      float ref[kRows + 1];
      correlate_scalar(x.data(), half, table.data(), padded, ref);
      for (auto level : ivrm_test::supported_simd_levels()) {
        float out[kRows + 1];
        correlate_kernel(level)(x.data(), half, table.data(), padded, out);
        // Each output is a sum of `half` products bounded by |x|: errors scale with sqrt(n)*|x|.
        const double tol = 1e-5 * std::sqrt(norm * half);
        for (int k = 0; k < kRows; ++k) {
          ASSERT_TRUE(std::isfinite(out[k])) << "rate " << rate << " row " << k;
          EXPECT_NEAR(out[k], ref[k], tol) << "rate " << rate << " row " << k;
        }
        EXPECT_NEAR(out[kRows], ref[kRows], 1e-5 * norm) << "rate " << rate;
      }
    }
  }
}

}  // namespace
