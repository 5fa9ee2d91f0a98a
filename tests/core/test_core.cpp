// Status codes, version and SIMD level queries of the C++ and C APIs.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "ivrmedia/core.hpp"
#include "ivrmedia/ivrmedia.h"

using ivrmedia::SimdLevel;
using ivrmedia::Status;

TEST(Version, MacrosFunctionsAndCxxAgree) {
  EXPECT_STREQ(ivrm_version(), IVRM_VERSION_STRING);
  EXPECT_EQ(ivrm_version_number(), static_cast<uint32_t>(IVRM_VERSION_NUMBER));
  EXPECT_EQ(ivrmedia::version(), std::string(IVRM_VERSION_STRING));
  const std::string expected = std::to_string(IVRM_VERSION_MAJOR) + "." +
                               std::to_string(IVRM_VERSION_MINOR) + "." +
                               std::to_string(IVRM_VERSION_PATCH);
  EXPECT_EQ(expected, IVRM_VERSION_STRING);
}

TEST(Status, EveryCodeHasItsOwnTextAndUnknownCodesAreSafe) {
  const int codes[] = {
      IVRM_OK,          IVRM_ERR_NULL,        IVRM_ERR_INVALID,          IVRM_ERR_RANGE,
      IVRM_ERR_CONFIG,  IVRM_ERR_UNSUPPORTED, IVRM_ERR_BUFFER_TOO_SMALL, IVRM_ERR_NO_MEMORY,
      IVRM_ERR_FULL,    IVRM_ERR_MALFORMED,   IVRM_ERR_TRUNCATED,        IVRM_ERR_STATE,
      IVRM_ERR_INTERNAL};
  const std::string unknown = ivrm_strerror(-12345);
  for (int a : codes) {
    ASSERT_NE(ivrm_strerror(a), nullptr);
    EXPECT_NE(unknown, ivrm_strerror(a)) << a;
    EXPECT_STREQ(ivrm_strerror(a), ivrmedia::describe(static_cast<Status>(a)));
    for (int b : codes) {
      if (a != b) {
        EXPECT_STRNE(ivrm_strerror(a), ivrm_strerror(b));
      }
    }
  }
  for (int v : {1, 7, -6, -19, -23, -99, 1 << 30, -(1 << 30)}) {
    ASSERT_NE(ivrm_strerror(v), nullptr);
    EXPECT_GT(std::strlen(ivrm_strerror(v)), 0u);
  }
}

TEST(Simd, LevelsAreConsistent) {
  const int kUnknownLevel = 3;  // inside the enum's value range, but no level
  const SimdLevel best = ivrmedia::best_simd_level();
  EXPECT_NE(best, SimdLevel::automatic);
  EXPECT_TRUE(ivrmedia::simd_supported(best));
  EXPECT_TRUE(ivrmedia::simd_supported(SimdLevel::scalar));
  EXPECT_EQ(ivrmedia::resolve_simd_level(SimdLevel::automatic), best);
  EXPECT_EQ(ivrm_simd_best(), static_cast<ivrm_simd>(best));
  EXPECT_EQ(ivrm_simd_supported(IVRM_SIMD_SCALAR), 1);
  EXPECT_EQ(ivrm_simd_supported(static_cast<ivrm_simd>(kUnknownLevel)), 0);
  EXPECT_STREQ(ivrm_simd_name(IVRM_SIMD_AVX2), "avx2");
  EXPECT_STREQ(ivrm_simd_name(static_cast<ivrm_simd>(kUnknownLevel)), "unknown");
  if (!ivrmedia::simd_supported(SimdLevel::avx2)) {
    EXPECT_THROW(ivrmedia::resolve_simd_level(SimdLevel::avx2), ivrmedia::Error);
  }
}
