// CPU feature detection. No cached global: __builtin_cpu_supports reads a table libgcc fills
// before main (it also checks that the OS saves AVX state), so every query is a load and a test,
// safe from any thread and at any time.
#include "ivrmedia/core.hpp"

namespace ivrmedia {

namespace {
// The AVX2 level may use FMA: every CPU with AVX2 that matters has it.
bool cpu_has_avx2() noexcept {
#if defined(IVRM_HAVE_AVX2)
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}
}  // namespace

SimdLevel best_simd_level() noexcept {
  return cpu_has_avx2() ? SimdLevel::avx2 : SimdLevel::scalar;
}

bool simd_supported(SimdLevel level) noexcept {
  switch (level) {
    case SimdLevel::automatic:
    case SimdLevel::scalar:
      return true;
    case SimdLevel::avx2:
      return cpu_has_avx2();
  }
  return false;
}

const char* simd_name(SimdLevel level) noexcept {
  switch (level) {
    case SimdLevel::automatic:
      return "auto";
    case SimdLevel::scalar:
      return "scalar";
    case SimdLevel::avx2:
      return "avx2";
  }
  return "unknown";
}

SimdLevel resolve_simd_level(SimdLevel requested) {
  if (requested == SimdLevel::automatic) return best_simd_level();
  if (!simd_supported(requested)) {
    throw Error(Status::unsupported, "requested SIMD level is not supported by this CPU or build");
  }
  return requested;
}

}  // namespace ivrmedia
