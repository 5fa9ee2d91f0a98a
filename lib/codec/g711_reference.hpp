// Scalar G.711 coding of one sample: the reference every vectorized kernel must match bit for bit.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

#include "core/sample_convert.hpp"

namespace ivrmedia::g711::detail {

// mu-law. The 14-bit magnitude m (a negative sample's ones' complement, G.191's convention) is
// biased by 33 so every segment starts at a power of two; at 16-bit scale that is m * 4 + 132.
// Segment = position of the leading one above bit 7, step = the next four bits. The code word is
// transmitted inverted (G.711 Table 2). Magnitudes beyond the last decision value clip to
// segment 7, step 15, which is exactly what clamping the biased value to 0x7FFF gives.
constexpr std::uint8_t ulaw_encode_one(std::int16_t x) noexcept {
  const int negative = x < 0;
  int biased = (negative ? ~x : x) + 132;
  if (biased > 0x7FFF) biased = 0x7FFF;
  const int seg = std::bit_width(static_cast<unsigned>(biased)) - 8;  // biased >= 132: seg >= 0
  const int step = (biased >> (seg + 3)) & 0xF;
  return static_cast<std::uint8_t>(((seg << 4) | step) ^ (negative ? 0x7F : 0xFF));
}

constexpr std::int16_t ulaw_decode_one(std::uint8_t code) noexcept {
  const int u = ~code & 0xFF;
  const int t = (((u & 0x0F) << 3) + 132) << ((u >> 4) & 7);
  return static_cast<std::int16_t>((u & 0x80) ? 132 - t : t - 132);
}

// A-law. 13-bit magnitude (ones' complement for negatives); segments 0 and 1 share a step of 16
// (16-bit scale). Even bits are inverted for transmission (XOR 0x55), sign bit 1 = positive.
constexpr std::uint8_t alaw_encode_one(std::int16_t x) noexcept {
  const int negative = x < 0;
  const int mag = negative ? ~x : x;  // 0..32767
  const int top = std::bit_width(static_cast<unsigned>(mag)) - 8;
  const int seg = top > 0 ? top : 0;
  const int step = (mag >> (seg > 0 ? seg + 3 : 4)) & 0xF;
  return static_cast<std::uint8_t>(((seg << 4) | step) ^ (negative ? 0x55 : 0xD5));
}

constexpr std::int16_t alaw_decode_one(std::uint8_t code) noexcept {
  const int a = code ^ 0x55;
  const int seg = (a >> 4) & 7;
  int t = (a & 0x0F) << 4;
  t = seg == 0 ? t + 8 : (t + 0x108) << (seg - 1);
  return static_cast<std::int16_t>((a & 0x80) ? t : -t);
}

// G.711 Table 3 (mu-law value number -> A-law value number) and Table 4 (A -> mu), both 0-based
// over magnitudes. Value number n of mu-law is code ~n & 0x7F (plus sign); of A-law, n ^ 0x55.
// These are data from the standard, not derivable by decode/re-encode (which differs in 44
// mu-law and 32 A-law codes); the standard chose them so that a mu -> A -> mu (or A -> mu -> A)
// round trip returns the original code for 240 of the 256 codes.
// clang-format off
inline constexpr std::array<std::uint8_t, 128> kTable3MuToA = {
      0,   0,   1,   1,   2,   2,   3,   3,   4,   4,   5,   5,   6,   6,   7,   7,
      8,   9,  10,  11,  12,  13,  14,  15,  16,  17,  18,  19,  20,  21,  22,  23,
     24,  26,  28,  30,  32,  33,  34,  35,  36,  37,  38,  39,  40,  41,  42,  43,
     45,  47,  48,  49,  50,  51,  52,  53,  54,  55,  56,  57,  58,  59,  60,  61,
     63,  64,  65,  66,  67,  68,  69,  70,  71,  72,  73,  74,  75,  76,  77,  78,
     79,  81,  82,  83,  84,  85,  86,  87,  88,  89,  90,  91,  92,  93,  94,  95,
     96,  97,  98,  99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
    112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127,
};
inline constexpr std::array<std::uint8_t, 128> kTable4AToMu = {
      1,   3,   5,   7,   9,  11,  13,  15,  16,  17,  18,  19,  20,  21,  22,  23,
     24,  25,  26,  27,  28,  29,  30,  31,  32,  32,  33,  33,  34,  34,  35,  35,
     36,  37,  38,  39,  40,  41,  42,  43,  44,  45,  46,  47,  48,  48,  49,  49,
     50,  51,  52,  53,  54,  55,  56,  57,  58,  59,  60,  61,  62,  63,  64,  64,
     65,  66,  67,  68,  69,  70,  71,  72,  73,  74,  75,  76,  77,  78,  79,  80,
     80,  81,  82,  83,  84,  85,  86,  87,  88,  89,  90,  91,  92,  93,  94,  95,
     96,  97,  98,  99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
    112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127,
};
// clang-format on

// Full 256-code forms, sign carried over: what the kernels look up.
constexpr std::array<std::uint8_t, 256> make_mu_to_a() {
  std::array<std::uint8_t, 256> t{};
  for (int code = 0; code < 256; ++code) {
    const int sign = code & 0x80;  // mu-law: set = positive, as in A-law
    const int a = kTable3MuToA[~code & 0x7F];
    t[code] = static_cast<std::uint8_t>(sign | (a ^ 0x55));
  }
  return t;
}
constexpr std::array<std::uint8_t, 256> make_a_to_mu() {
  std::array<std::uint8_t, 256> t{};
  for (int code = 0; code < 256; ++code) {
    const int sign = code & 0x80;
    const int mu = kTable4AToMu[(code ^ 0x55) & 0x7F];
    t[code] = static_cast<std::uint8_t>(sign | (~mu & 0x7F));
  }
  return t;
}
inline constexpr std::array<std::uint8_t, 256> kMuToA = make_mu_to_a();
inline constexpr std::array<std::uint8_t, 256> kAToMu = make_a_to_mu();

}  // namespace ivrmedia::g711::detail
