// Portable G.711 kernels. The per-sample reference coder has a data-dependent segment search;
// here it is folded into small tables built at compile time from that reference, so the portable
// path is a branch-free lookup: 4 KiB (mu-law) and 2 KiB (A-law) to encode, 512 B to decode,
// all cache-resident, bit-identical to the reference by construction (and tested exhaustively).
#include <array>

#include "codec/g711_kernels.hpp"
#include "codec/g711_reference.hpp"

namespace ivrmedia::g711::detail {
namespace {

// mu-law code bits depend only on (magnitude + 132) >> 3, clamped to 0x7FFF >> 3.
constexpr std::array<std::uint8_t, 4096> make_mu_encode() {
  std::array<std::uint8_t, 4096> t{};
  for (int i = 16; i < 4096; ++i) {
    const int mag = (i << 3) - 132 > 0 ? (i << 3) - 132 : 0;
    t[i] = static_cast<std::uint8_t>(ulaw_encode_one(static_cast<std::int16_t>(mag)) ^ 0xFF);
  }
  return t;
}
// A-law code bits depend only on magnitude >> 4.
constexpr std::array<std::uint8_t, 2048> make_a_encode() {
  std::array<std::uint8_t, 2048> t{};
  for (int i = 0; i < 2048; ++i) {
    t[i] = static_cast<std::uint8_t>(alaw_encode_one(static_cast<std::int16_t>(i << 4)) ^ 0xD5);
  }
  return t;
}
template <std::int16_t (*Decode)(std::uint8_t)>
constexpr std::array<std::int16_t, 256> make_decode() {
  std::array<std::int16_t, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[c] = Decode(static_cast<std::uint8_t>(c));
  return t;
}

constexpr auto kMuEncode = make_mu_encode();
constexpr auto kAEncode = make_a_encode();
constexpr auto kMuDecode = make_decode<ulaw_decode_one>();
constexpr auto kADecode = make_decode<alaw_decode_one>();

inline std::uint8_t mu_encode(std::int16_t x) noexcept {
  const int sign = x >> 15;  // 0 or -1
  const int biased = ((x ^ sign) + 132) >> 3;
  return static_cast<std::uint8_t>(kMuEncode[biased < 4095 ? biased : 4095] ^ (0xFF + (sign << 7)));
}
inline std::uint8_t a_encode(std::int16_t x) noexcept {
  const int sign = x >> 15;
  return static_cast<std::uint8_t>(kAEncode[(x ^ sign) >> 4] ^ (0xD5 + (sign << 7)));
}
inline std::int16_t mu_decode(std::uint8_t c) noexcept {
  return kMuDecode[c];
}
inline std::int16_t a_decode(std::uint8_t c) noexcept {
  return kADecode[c];
}

// Table lookups do not vectorize; GCC's attempt (emulated gathers) runs at a third of the plain
// loop's speed, so the encoders opt out.
#define IVRM_NO_VECTORIZE __attribute__((optimize("no-tree-vectorize")))

template <std::uint8_t (*Encode)(std::int16_t)>
IVRM_NO_VECTORIZE void encode_s16(const std::int16_t* in, std::uint8_t* out,
                                  std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i)
    out[i] = Encode(in[i]);
}
template <std::uint8_t (*Encode)(std::int16_t)>
IVRM_NO_VECTORIZE void encode_f32(const float* in, std::uint8_t* out, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i)
    out[i] = Encode(core::float_to_s16(in[i]));
}
template <std::int16_t (*Decode)(std::uint8_t)>
void decode_s16(const std::uint8_t* in, std::int16_t* out, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i)
    out[i] = Decode(in[i]);
}
template <std::int16_t (*Decode)(std::uint8_t)>
void decode_f32(const std::uint8_t* in, float* out, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i)
    out[i] = core::s16_to_float(Decode(in[i]));
}

}  // namespace

const Kernels kScalarMulaw = {encode_s16<mu_encode>, encode_f32<mu_encode>, decode_s16<mu_decode>,
                              decode_f32<mu_decode>, kMuToA.data()};
const Kernels kScalarAlaw = {encode_s16<a_encode>, encode_f32<a_encode>, decode_s16<a_decode>,
                             decode_f32<a_decode>, kAToMu.data()};

}  // namespace ivrmedia::g711::detail
