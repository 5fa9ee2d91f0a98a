// Portable G.711 kernels: plain loops over the reference coder of one sample.
#include "codec/g711_kernels.hpp"
#include "codec/g711_reference.hpp"

namespace ivrmedia::g711::detail {
namespace {

template <std::uint8_t (*Encode)(std::int16_t)>
void encode_s16(const std::int16_t* in, std::uint8_t* out, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i)
    out[i] = Encode(in[i]);
}
template <std::uint8_t (*Encode)(std::int16_t)>
void encode_f32(const float* in, std::uint8_t* out, std::size_t n) noexcept {
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

const Kernels kScalarMulaw = {encode_s16<ulaw_encode_one>, encode_f32<ulaw_encode_one>,
                              decode_s16<ulaw_decode_one>, decode_f32<ulaw_decode_one>,
                              kMuToA.data()};
const Kernels kScalarAlaw = {encode_s16<alaw_encode_one>, encode_f32<alaw_encode_one>,
                             decode_s16<alaw_decode_one>, decode_f32<alaw_decode_one>,
                             kAToMu.data()};

}  // namespace ivrmedia::g711::detail
