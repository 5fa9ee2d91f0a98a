// C API: version, status strings and SIMD levels.
#include "capi/capi_support.hpp"

using ivrmedia::SimdLevel;
using ivrmedia::Status;

// The C and C++ codes are one set of numbers: any drift fails the build here.
static_assert(IVRM_OK == static_cast<int>(Status::ok));
static_assert(IVRM_ERR_NULL == static_cast<int>(Status::null_pointer));
static_assert(IVRM_ERR_INVALID == static_cast<int>(Status::invalid_argument));
static_assert(IVRM_ERR_RANGE == static_cast<int>(Status::out_of_range));
static_assert(IVRM_ERR_CONFIG == static_cast<int>(Status::bad_config));
static_assert(IVRM_ERR_UNSUPPORTED == static_cast<int>(Status::unsupported));
static_assert(IVRM_ERR_BUFFER_TOO_SMALL == static_cast<int>(Status::buffer_too_small));
static_assert(IVRM_ERR_NO_MEMORY == static_cast<int>(Status::no_memory));
static_assert(IVRM_ERR_FULL == static_cast<int>(Status::full));
static_assert(IVRM_ERR_MALFORMED == static_cast<int>(Status::malformed));
static_assert(IVRM_ERR_TRUNCATED == static_cast<int>(Status::truncated));
static_assert(IVRM_ERR_STATE == static_cast<int>(Status::bad_state));
static_assert(IVRM_ERR_INTERNAL == static_cast<int>(Status::internal));
static_assert(IVRM_SIMD_AUTO == static_cast<int>(SimdLevel::automatic));
static_assert(IVRM_SIMD_SCALAR == static_cast<int>(SimdLevel::scalar));
static_assert(IVRM_SIMD_AVX2 == static_cast<int>(SimdLevel::avx2));

extern "C" {

const char* ivrm_version(void) {
  return IVRM_VERSION_STRING;
}
uint32_t ivrm_version_number(void) {
  return IVRM_VERSION_NUMBER;
}

const char* ivrm_strerror(int status) {
  return ivrmedia::describe(static_cast<Status>(status));
}

ivrm_simd ivrm_simd_best(void) {
  return static_cast<ivrm_simd>(ivrmedia::best_simd_level());
}

int ivrm_simd_supported(ivrm_simd level) {
  switch (level) {
    case IVRM_SIMD_AUTO:
    case IVRM_SIMD_SCALAR:
    case IVRM_SIMD_AVX2:
      return ivrmedia::simd_supported(static_cast<SimdLevel>(level)) ? 1 : 0;
  }
  return 0;
}

const char* ivrm_simd_name(ivrm_simd level) {
  return ivrmedia::simd_name(static_cast<SimdLevel>(level));
}

}  // extern "C"
