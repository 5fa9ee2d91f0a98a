// Portable G.711 kernels: lookups in tables built at compile time from the reference coder
// (64 KiB per law to encode, 512 B to decode), bit-identical to it by construction and tested
// exhaustively.
#include <array>

#include "codec/g711_kernels.hpp"
#include "codec/g711_reference.hpp"

namespace ivrmedia::g711::detail {
namespace {

// Every 16-bit input's code, computed at compile time from the reference: 64 KiB per law. On
// CPUs without AVX2 a direct lookup beats any branch-free arithmetic (about 5 instructions per
// sample against 16 for a segment computation over a smaller table).
template <std::uint8_t (*Encode)(std::int16_t)>
constexpr std::array<std::uint8_t, 65536> make_encode() {
  std::array<std::uint8_t, 65536> t{};
  for (int i = 0; i < 65536; ++i)
    t[static_cast<std::size_t>(i)] = Encode(static_cast<std::int16_t>(i - 65536 * (i >> 15)));
  return t;
}
template <std::int16_t (*Decode)(std::uint8_t)>
constexpr std::array<std::int16_t, 256> make_decode() {
  std::array<std::int16_t, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[c] = Decode(static_cast<std::uint8_t>(c));
  return t;
}

constexpr auto kMuEncode = make_encode<ulaw_encode_one>();
constexpr auto kAEncode = make_encode<alaw_encode_one>();
constexpr auto kMuDecode = make_decode<ulaw_decode_one>();
constexpr auto kADecode = make_decode<alaw_decode_one>();

inline std::uint8_t mu_encode(std::int16_t x) noexcept {
  return kMuEncode[static_cast<std::uint16_t>(x)];
}
inline std::uint8_t a_encode(std::int16_t x) noexcept {
  return kAEncode[static_cast<std::uint16_t>(x)];
}
inline std::int16_t mu_decode(std::uint8_t c) noexcept {
  return kMuDecode[c];
}
inline std::int16_t a_decode(std::uint8_t c) noexcept {
  return kADecode[c];
}

// Table lookups do not vectorize; GCC's attempt (emulated gathers) runs at a third of the plain
// loop's speed, so the encoders opt out.
#if defined(__clang__)
#define IVRM_NO_VECTORIZE  // no per-function switch in clang (clang builds are for fuzzing)
#else
#define IVRM_NO_VECTORIZE __attribute__((optimize("no-tree-vectorize")))
#endif

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
