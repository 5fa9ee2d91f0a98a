// ivrmedia C++ API: status codes, errors, version and SIMD levels shared by every subsystem.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "ivrmedia/export.hpp"

namespace ivrmedia {

// Outcome of a call whose failure comes from its input (malformed packets and short buffers are
// normal at runtime). Values equal the C API's ivrm_status codes; the C layer checks that at
// compile time. Codes are never renumbered or reused.
enum class Status : std::int32_t {
  ok = 0,
  null_pointer = -1,
  invalid_argument = -2,
  out_of_range = -3,
  bad_config = -4,
  unsupported = -5,
  buffer_too_small = -20,
  no_memory = -21,
  full = -22,
  malformed = -40,
  truncated = -41,
  bad_state = -60,
  internal = -80,
};

// Short English description; never null, also for values outside the enum.
IVRM_API const char* describe(Status status) noexcept;
[[nodiscard]] constexpr bool ok(Status s) noexcept {
  return s == Status::ok;
}

// Thrown only for programmer errors at creation time (an impossible config); processing calls
// never throw. The C API catches it and returns its status.
class IVRM_API Error : public std::runtime_error {
 public:
  Error(Status status, const char* what) : std::runtime_error(what), status_(status) {}
  [[nodiscard]] Status status() const noexcept { return status_; }

 private:
  Status status_;
};

// The linked library's version, "MAJOR.MINOR.PATCH".
IVRM_API std::string_view version() noexcept;

// Kernel instruction-set level. Objects with vectorized kernels choose one at creation and keep
// it; every level gives results identical to `scalar` unless the object documents a tolerance.
// `avx2` means AVX2 with FMA (every CPU with AVX2 except a few VIA parts has both).
enum class SimdLevel : std::int32_t { automatic = 0, scalar = 1, avx2 = 2 };

// Best level the running CPU supports (never `automatic`).
IVRM_API SimdLevel best_simd_level() noexcept;
IVRM_API bool simd_supported(SimdLevel level) noexcept;
IVRM_API const char* simd_name(SimdLevel level) noexcept;
// `automatic` -> best level; a supported level -> itself; otherwise throws Error(unsupported).
IVRM_API SimdLevel resolve_simd_level(SimdLevel requested);

}  // namespace ivrmedia
