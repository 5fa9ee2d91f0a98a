// G.711 kernel table: one set of span kernels per (law, SIMD level), chosen once when a Coder is
// created. Kernels take raw pointers and a count; callers have checked sizes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ivrmedia/g711.hpp"

namespace ivrmedia::g711::detail {

struct Kernels {
  void (*encode)(const std::int16_t* in, std::uint8_t* out, std::size_t n) noexcept;
  void (*encode_f32)(const float* in, std::uint8_t* out, std::size_t n) noexcept;
  void (*decode)(const std::uint8_t* in, std::int16_t* out, std::size_t n) noexcept;
  void (*decode_f32)(const std::uint8_t* in, float* out, std::size_t n) noexcept;
  // 256-entry direct conversion into the other law. Table lookup on every level: a byte gather
  // from 256 entries has no profitable AVX2 form, and gateways rarely make it hot.
  const std::uint8_t* transcode;
};

extern const Kernels kScalarMulaw;
extern const Kernels kScalarAlaw;
#if defined(IVRM_HAVE_AVX2)
extern const Kernels kAvx2Mulaw;
extern const Kernels kAvx2Alaw;
#endif

// `level` must be resolved (not automatic) and supported.
const Kernels& kernels(Law law, SimdLevel level) noexcept;

}  // namespace ivrmedia::g711::detail
