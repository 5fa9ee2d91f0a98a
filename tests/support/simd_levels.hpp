// Every SIMD level the running CPU supports, for tests that must cover each dispatch path.
#pragma once

#include <string>
#include <vector>

#include "ivrmedia/core.hpp"

namespace ivrm_test {

inline std::vector<ivrmedia::SimdLevel> supported_simd_levels() {
  std::vector<ivrmedia::SimdLevel> levels;
  for (auto l : {ivrmedia::SimdLevel::scalar, ivrmedia::SimdLevel::avx2}) {
    if (ivrmedia::simd_supported(l)) levels.push_back(l);
  }
  return levels;
}

inline std::string simd_param_name(ivrmedia::SimdLevel l) {
  return ivrmedia::simd_name(l);
}

}  // namespace ivrm_test
