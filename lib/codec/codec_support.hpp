// Helpers shared by the payload-format adapters behind codec::Encoder/Decoder: config checks
// that throw at creation, and int16 <-> float conversion in stack-sized blocks for formats whose
// coder works in only one of the two (no allocation on the processing path).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/sample_convert.hpp"
#include "ivrmedia/codec.hpp"

namespace ivrmedia::codec::detail {

// Creation-time check: throws Error(status, what) when `condition` fails.
inline void require(bool condition, Status status, const char* what) {
  if (!condition) throw Error(status, what);
}

[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;

// Samples per block of the conversion helpers: 20 ms of 48 kHz stereo, 7.5 KiB of stack.
inline constexpr std::size_t kConvertBlock = 1920;

inline void to_float(const std::int16_t* in, float* out, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i)
    out[i] = core::s16_to_float(in[i]);
}
inline void to_s16(const float* in, std::int16_t* out, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i)
    out[i] = core::float_to_s16(in[i]);
}

// Runs `produce(int16_t* block, std::size_t offset, std::size_t count)` over [0, n) in blocks
// and converts each block into out[offset..]. Stops at the first non-ok status.
template <typename Produce>
Status produce_as_float(std::size_t n, float* out, Produce&& produce) noexcept {
  std::int16_t block[kConvertBlock];
  for (std::size_t off = 0; off < n; off += kConvertBlock) {
    const std::size_t m = std::min(kConvertBlock, n - off);
    if (const Status s = produce(block, off, m); s != Status::ok) return s;
    to_float(block, out + off, m);
  }
  return Status::ok;
}

}  // namespace ivrmedia::codec::detail
