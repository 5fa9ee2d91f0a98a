// Sample format conversion between int16 PCM and float32 (full scale +-1.0 = +-32768).
// These scalar forms are the reference for the vectorized kernels that fuse them.
#pragma once

#include <cstdint>

namespace ivrmedia::core {

inline constexpr float kS16FullScale = 32768.0f;

// Rounds to nearest (ties to even, the default floating-point mode), saturates, and reads NaN
// as 0 so a broken upstream stage produces silence, not a full-scale burst.
inline std::int16_t float_to_s16(float x) noexcept {
  const float v = x * kS16FullScale;
  if (!(v == v)) return 0;
  if (v >= 32767.0f) return 32767;
  if (v <= -32768.0f) return -32768;
  // Adding and removing 1.5 * 2^23 rounds to nearest-even in the current mode, like lrint and
  // cvtps2dq, without lrint's library call on baseline x86-64.
  constexpr float kRound = 12582912.0f;
  return static_cast<std::int16_t>((v + kRound) - kRound);
}

constexpr float s16_to_float(std::int16_t x) noexcept {
  return x * (1.0f / kS16FullScale);
}

}  // namespace ivrmedia::core
