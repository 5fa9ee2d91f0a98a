// AVX2 G.711 kernels, bit-identical to g711_reference.hpp (tested exhaustively on every input).
// Only the functions marked IVRM_AVX2 are compiled for AVX2 (a target attribute, not a -mavx2
// flag for the file): a file-wide flag would also compile the inline functions this file shares
// with the rest of the library (the reference coders, std:: helpers) for AVX2, and the linker
// may keep that copy for every caller, which breaks CPUs without AVX2. Reached only after a
// CPU check.
//
// Encoding needs each sample's segment (leading-one position) and the four bits after it. AVX2
// has no 16-bit leading-zero count, but converting the biased magnitude to float is exact and
// leaves exactly that in the float's bits 30..19: (127 + 7 + segment) << 4 | step. One
// conversion per 8 lanes replaces a compare ladder and a variable shift.
// Decoding needs 1 << segment per lane: a 16-entry byte table in a pshufb. mu-law to float
// skips the integers: the float's exponent and fraction are the code's segment and step.
#include <immintrin.h>

#include "codec/g711_kernels.hpp"
#include "codec/g711_reference.hpp"

namespace ivrmedia::g711::detail {
namespace {

#define IVRM_AVX2 __attribute__((target("avx2")))

IVRM_AVX2 inline __m256i splat16(int v) {
  return _mm256_set1_epi16(static_cast<short>(v));
}

// Biased magnitude b in 16-bit lanes (b >= 128) -> (127 + 7 + seg) << 4 | step in 16-bit lanes.
IVRM_AVX2 inline __m256i exponent_and_step(__m256i b) {
  const __m256i zero = _mm256_setzero_si256();
  // unpacklo/hi take lanes 0-3|8-11 and 4-7|12-15; packus puts them back in natural order.
  const __m256i lo = _mm256_castps_si256(_mm256_cvtepi32_ps(_mm256_unpacklo_epi16(b, zero)));
  const __m256i hi = _mm256_castps_si256(_mm256_cvtepi32_ps(_mm256_unpackhi_epi16(b, zero)));
  return _mm256_packus_epi32(_mm256_srli_epi32(lo, 19), _mm256_srli_epi32(hi, 19));
}

// 16 samples -> 16 mu-law codes in the low bytes of 16-bit lanes.
IVRM_AVX2 inline __m256i ulaw_encode16(__m256i x) {
  const __m256i sign = _mm256_srai_epi16(x, 15);
  const __m256i mag = _mm256_xor_si256(x, sign);  // ones' complement for negatives (G.191)
  const __m256i biased =
      _mm256_add_epi16(_mm256_min_epi16(mag, splat16(0x7FFF - 132)), splat16(132));
  // exponent 134 + seg: 0x95F - em == 0xFF - code7 == the inverted code of a positive sample
  const __m256i inverted = _mm256_sub_epi16(splat16(0x95F), exponent_and_step(biased));
  return _mm256_xor_si256(inverted, _mm256_and_si256(sign, splat16(0x80)));
}

// 16 samples -> 16 A-law codes. Segments 0 and 1 share step 16, so for magnitudes below 512 the
// code is simply mag >> 4; above, the float exponent path applies, and min() picks the right
// one (the float path, fed at least 256, never undercuts mag >> 4 where it is wrong, and never
// exceeds it where it is right).
IVRM_AVX2 inline __m256i alaw_encode16(__m256i x) {
  const __m256i sign = _mm256_srai_epi16(x, 15);
  const __m256i mag = _mm256_xor_si256(x, sign);
  const __m256i em = exponent_and_step(_mm256_max_epi16(mag, splat16(256)));
  const __m256i code7 =
      _mm256_min_epi16(_mm256_sub_epi16(em, splat16(0x860)), _mm256_srli_epi16(mag, 4));
  const __m256i mask = _mm256_xor_si256(splat16(0xD5), _mm256_and_si256(sign, splat16(0x80)));
  return _mm256_xor_si256(code7, mask);
}

// Two vectors of 16 codes (16-bit lanes) -> 32 bytes in order.
IVRM_AVX2 inline void store_codes32(std::uint8_t* out, __m256i a, __m256i b) {
  const __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi16(a, b), 0xD8);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), packed);
}

// 16 floats -> 16 int16, the same rounding, saturation and NaN rule as core::float_to_s16.
IVRM_AVX2 inline __m256i float_to_s16x16(const float* in) {
  const __m256 scale = _mm256_set1_ps(32768.0f);
  const __m256 top = _mm256_set1_ps(32767.0f);
  __m256 a = _mm256_mul_ps(_mm256_loadu_ps(in), scale);
  __m256 b = _mm256_mul_ps(_mm256_loadu_ps(in + 8), scale);
  a = _mm256_min_ps(_mm256_and_ps(a, _mm256_cmp_ps(a, a, _CMP_ORD_Q)), top);  // NaN -> 0
  b = _mm256_min_ps(_mm256_and_ps(b, _mm256_cmp_ps(b, b, _CMP_ORD_Q)), top);
  // cvtps rounds to nearest even; below -2^31 it yields INT_MIN, which packs saturates as well
  const __m256i s = _mm256_packs_epi32(_mm256_cvtps_epi32(a), _mm256_cvtps_epi32(b));
  return _mm256_permute4x64_epi64(s, 0xD8);
}

template <__m256i (*Encode16)(__m256i), std::uint8_t (*EncodeOne)(std::int16_t)>
IVRM_AVX2 void encode_s16(const std::int16_t* in, std::uint8_t* out, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i + 16));
    store_codes32(out + i, Encode16(a), Encode16(b));
  }
  for (; i < n; ++i)
    out[i] = EncodeOne(in[i]);
}

template <__m256i (*Encode16)(__m256i), std::uint8_t (*EncodeOne)(std::int16_t)>
IVRM_AVX2 void encode_f32(const float* in, std::uint8_t* out, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    store_codes32(out + i, Encode16(float_to_s16x16(in + i)),
                  Encode16(float_to_s16x16(in + i + 16)));
  }
  for (; i < n; ++i)
    out[i] = EncodeOne(core::float_to_s16(in[i]));
}

// Byte table replicated in both 128-bit lanes, as pshufb wants it.
IVRM_AVX2 inline __m256i table16(const std::uint8_t (&t)[16]) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t));
  return _mm256_broadcastsi128_si256(v);
}

// Decoders receive each code in a 16-bit lane XORed with 0x80 << 8 | k: after an arithmetic
// shift by 4 the high byte is 0xF8, which pshufb turns into 0, and the low byte is
// (negative << 3 | segment), the index into the per-segment tables below.
constexpr std::uint8_t kPow2[16] = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};

IVRM_AVX2 inline __m256i ulaw_decode16(__m128i codes) {
  // mu-law is transmitted inverted: XOR 0xFF restores it; bit 7 then means negative.
  const __m256i u = _mm256_xor_si256(_mm256_cvtepu8_epi16(codes), splat16(0x80FF));
  const __m256i pow2 = _mm256_shuffle_epi8(table16(kPow2), _mm256_srai_epi16(u, 4));
  const __m256i base =
      _mm256_add_epi16(_mm256_slli_epi16(_mm256_and_si256(u, splat16(0x0F)), 3), splat16(132));
  const __m256i mag = _mm256_sub_epi16(_mm256_mullo_epi16(base, pow2), splat16(132));
  // sign_epi16 negates where the selector is negative: bit 7 of u moved to bit 15, never zero.
  return _mm256_sign_epi16(mag, _mm256_or_si256(_mm256_slli_epi16(u, 8), splat16(1)));
}

// A-law: t = (2*step + 1) * 8 in segment 0, (2*step + 33) * 8 << (seg - 1) above.
constexpr std::uint8_t kAlawPow2[16] = {1, 1, 2, 4, 8, 16, 32, 64, 1, 1, 2, 4, 8, 16, 32, 64};
constexpr std::uint8_t kAlawBase[16] = {1, 33, 33, 33, 33, 33, 33, 33,
                                        1, 33, 33, 33, 33, 33, 33, 33};

IVRM_AVX2 inline __m256i alaw_decode16(__m128i codes) {
  // XOR 0xD5 undoes the even-bit inversion and flips the sign bit so that set means negative.
  const __m256i a = _mm256_xor_si256(_mm256_cvtepu8_epi16(codes), splat16(0x80D5));
  const __m256i idx = _mm256_srai_epi16(a, 4);
  const __m256i pow2 = _mm256_shuffle_epi8(table16(kAlawPow2), idx);
  const __m256i base = _mm256_add_epi16(_mm256_slli_epi16(_mm256_and_si256(a, splat16(0x0F)), 1),
                                        _mm256_shuffle_epi8(table16(kAlawBase), idx));
  const __m256i mag = _mm256_slli_epi16(_mm256_mullo_epi16(base, pow2), 3);
  return _mm256_sign_epi16(mag, _mm256_or_si256(_mm256_slli_epi16(a, 8), splat16(1)));
}

template <__m256i (*Decode16)(__m128i), std::int16_t (*DecodeOne)(std::uint8_t)>
IVRM_AVX2 void decode_s16(const std::uint8_t* in, std::int16_t* out, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256i codes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i),
                        Decode16(_mm256_castsi256_si128(codes)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i + 16),
                        Decode16(_mm256_extracti128_si256(codes, 1)));
  }
  for (; i < n; ++i)
    out[i] = DecodeOne(in[i]);
}

IVRM_AVX2 inline void store_float16(float* out, __m256i s16) {
  const __m256 scale = _mm256_set1_ps(1.0f / 32768.0f);
  const __m256i lo = _mm256_cvtepi16_epi32(_mm256_castsi256_si128(s16));
  const __m256i hi = _mm256_cvtepi16_epi32(_mm256_extracti128_si256(s16, 1));
  _mm256_storeu_ps(out, _mm256_mul_ps(_mm256_cvtepi32_ps(lo), scale));
  _mm256_storeu_ps(out + 8, _mm256_mul_ps(_mm256_cvtepi32_ps(hi), scale));
}

template <__m256i (*Decode16)(__m128i), std::int16_t (*DecodeOne)(std::uint8_t)>
IVRM_AVX2 void decode_f32(const std::uint8_t* in, float* out, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    store_float16(out + i, Decode16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i))));
  }
  for (; i < n; ++i)
    out[i] = core::s16_to_float(DecodeOne(in[i]));
}

// mu-law straight to float, with no int16 in between (the jitter buffer decodes every packet
// this way). A code's magnitude is (2m + 33) << (seg + 2) - 132 (m: step, seg: segment), and
// (2m + 33) << (seg + 2) = (1 + (2m + 1) / 32) * 2^(seg + 7) is a float whose bits are simply
// exponent seg + 7 and fraction bits 2m + 1: built with a shift, a mask and an add, already
// scaled by 2^-15 (full scale). Subtracting 132 * 2^-15 is exact (an integer difference below
// 2^15, times a power of two), so the result is the reference's int16 / 32768 to the bit.
// The sign: x - c with both signed alike; zero (codes 0x7F and 0xFF) comes out +0 either way.
IVRM_AVX2 inline __m256 ulaw_decode8_f32(const std::uint8_t* in) {
  // Sign-extending the code puts its bit 7 in bit 31 after the shift by 19 that puts its bits
  // 6..0 (segment, step) in bits 25..19: one ANDNOT inverts both (mu-law is sent inverted).
  const __m256i v = _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(in)));
  const __m256i bits = _mm256_andnot_si256(_mm256_slli_epi32(v, 19),
                                           _mm256_set1_epi32(static_cast<int>(0x83F80000u)));
  // exponent 127 - 15 + 7 = 119 (plus the segment already in place), fraction's lowest bit
  const __m256 x =
      _mm256_castsi256_ps(_mm256_add_epi32(bits, _mm256_set1_epi32((119 << 23) | (1 << 18))));
  const __m256 bias = _mm256_set1_ps(132.0f / 32768.0f);
  return _mm256_sub_ps(x, _mm256_blendv_ps(bias, _mm256_set1_ps(-132.0f / 32768.0f), x));
}

IVRM_AVX2 void ulaw_decode_f32(const std::uint8_t* in, float* out, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    _mm256_storeu_ps(out + i, ulaw_decode8_f32(in + i));
    _mm256_storeu_ps(out + i + 8, ulaw_decode8_f32(in + i + 8));
  }
  for (; i < n; ++i)
    out[i] = core::s16_to_float(ulaw_decode_one(in[i]));
}

}  // namespace

const Kernels kAvx2Mulaw = {
    encode_s16<ulaw_encode16, ulaw_encode_one>, encode_f32<ulaw_encode16, ulaw_encode_one>,
    decode_s16<ulaw_decode16, ulaw_decode_one>, ulaw_decode_f32, kMuToA.data()};
const Kernels kAvx2Alaw = {encode_s16<alaw_encode16, alaw_encode_one>,
                           encode_f32<alaw_encode16, alaw_encode_one>,
                           decode_s16<alaw_decode16, alaw_decode_one>,
                           decode_f32<alaw_decode16, alaw_decode_one>, kAToMu.data()};

}  // namespace ivrmedia::g711::detail
