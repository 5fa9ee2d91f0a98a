// ITU-T G.722 encoder and decoder. Block names in comments are the Recommendation's (figures
// 4-8 and section 6); the arithmetic is its fixed-point arithmetic, which bit-exactness needs:
// arithmetic right shifts, saturation to 16 bits where the reference saturates, nowhere else.
#include "ivrmedia/g722.hpp"

#include <algorithm>
#include <array>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cstdint>
#include <cstdlib>

namespace ivrmedia::g722 {
namespace {

using detail::Band;
using detail::QmfHistory;

// Saturation to 16 bits. It almost never triggers on audio, so a predicted branch beats the
// branch-free form: a compare and two conditional moves would sit on the serial chain of every
// octet some twenty times.
constexpr int sat16(int x) {
  if (x != static_cast<std::int16_t>(x)) [[unlikely]] {
    return x < 0 ? -32768 : 32767;
  }
  return x;
}

// The same for the reference's other limits (predictor coefficients, scale factors, the
// decoder's reconstructed signals): rarely reached, so branches.
constexpr int limit(int x, int lo, int hi) {
  if (x < lo) [[unlikely]]
    return lo;
  if (x > hi) [[unlikely]]
    return hi;
  return x;
}

// QMF coefficients h(0..11); the filter is symmetric, h(23 - i) = h(i).
constexpr int kQmf[12] = {3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11};

// Lower band: quantizer decision levels (Table 7, times 8), their output codes for negative and
// positive differences, and inverse quantizers for 6, 5 and 4 bits (Tables 6 and 11).
constexpr int kIln[31] = {0,  63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
                          18, 17, 16, 15, 14, 13, 12, 11, 10, 9,  8,  7,  6,  5,  4};
constexpr int kIlp[31] = {0,  61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47,
                          46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32};
constexpr int kQm6[64] = {
    -136,   -136,   -136,  -136,  -24808, -21904, -19008, -16704, -14984, -13512, -12280,
    -11192, -10232, -9360, -8576, -7856,  -7192,  -6576,  -6000,  -5456,  -4944,  -4464,
    -4008,  -3576,  -3168, -2776, -2400,  -2032,  -1688,  -1360,  -1040,  -728,   24808,
    21904,  19008,  16704, 14984, 13512,  12280,  11192,  10232,  9360,   8576,   7856,
    7192,   6576,   6000,  5456,  4944,   4464,   4008,   3576,   3168,   2776,   2400,
    2032,   1688,   1360,  1040,  728,    432,    136,    -432,   -136};
constexpr int kQm5[32] = {-280,  -280,  -23352, -17560, -14120, -11664, -9752, -8184,
                          -6864, -5712, -4696,  -3784,  -2960,  -2208,  -1520, -880,
                          23352, 17560, 14120,  11664,  9752,   8184,   6864,  5712,
                          4696,  3784,  2960,   2208,   1520,   880,    280,   -280};
constexpr int kQm4[16] = {0,     -20456, -12896, -8968, -6288, -4240, -2584, -1200,
                          20456, 12896,  8968,   6288,  4240,  2584,  1200,  0};
// Scale factor adaptation: log-domain multipliers per 4-bit code magnitude (Table 8) and the
// inverse log table (Table 9).
constexpr int kRl42[16] = {0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0};
constexpr int kWl[8] = {-60, -30, 58, 172, 334, 538, 1198, 3042};
constexpr int kIlb[32] = {2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543,
                          2599, 2656, 2714, 2774, 2834, 2896, 2960, 3025, 3091, 3158, 3228,
                          3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008};
// Upper band (2 bits): inverse quantizer, log multipliers, codes.
constexpr int kQm2[4] = {-7408, -1616, 7408, 1616};
constexpr int kRh2[4] = {2, 1, 2, 1};
constexpr int kWh[3] = {0, -214, 798};
constexpr int kIhn[3] = {0, 1, 0};
constexpr int kIhp[3] = {0, 3, 2};

// Blocks 3L/3H (LOGSCL, SCALEL and the upper-band equivalents): adapt the scale factor.
// `nb_max` is 18432 (lower) or 22528 (upper), `shift` 8 or 10.
inline void adapt_scale(Band& band, int log_step, int nb_max, int shift) {
  band.nb = limit(((band.nb * 127) >> 7) + log_step, 0, nb_max);
  const int frac = (band.nb >> 6) & 31;
  const int exp = shift - (band.nb >> 11);
  const int det = exp < 0 ? kIlb[frac] << -exp : kIlb[frac] >> exp;
  band.det = det << 2;
}

// UPZERO (zero coefficients move toward sign agreement of d with each delayed d), DELAYA (d
// enters the delay line) and FILTEZ; returns the unsaturated zero-section estimate.
inline int zero_section_portable(Band& band, int d) {
  const int step = d == 0 ? 0 : 128;
  const bool dneg = d < 0;
  int sz = 0;
  std::array<std::int16_t, 8> dl{}, bl{};
  dl[1] = static_cast<std::int16_t>(d);
  for (std::size_t i = 2; i < 7; ++i)
    dl[i] = band.d[i - 1];
  for (std::size_t i = 1; i < 7; ++i) {
    const int w = (band.d[i] < 0) == dneg ? step : -step;
    bl[i] = static_cast<std::int16_t>(sat16(w + ((band.b[i] * 32640) >> 15)));
    sz += (bl[i] * sat16(dl[i] * 2)) >> 15;
  }
  band.d = dl;
  band.b = bl;
  return sz;
}

#if defined(__SSE2__)
inline int hsum(__m128i v) {  // sum of the four 32-bit lanes
  v = _mm_add_epi32(v, _mm_shuffle_epi32(v, 0x4E));
  v = _mm_add_epi32(v, _mm_shuffle_epi32(v, 0xB1));
  return _mm_cvtsi128_si32(v);
}

// The same over the six taps at once. Every step is exact: pmaddwd against (k, 0) pairs forms
// 32-bit products, packssdw is the reference's saturation to 16 bits, paddsw its sat16(2d).
inline int zero_section_sse2(Band& band, int d) {
  const __m128i zero = _mm_setzero_si128();
  const __m128i taps = _mm_setr_epi16(0, -1, -1, -1, -1, -1, -1, 0);
  const __m128i dv = _mm_load_si128(reinterpret_cast<const __m128i*>(band.d.data()));
  const __m128i bv = _mm_load_si128(reinterpret_cast<const __m128i*>(band.b.data()));
  // UPZERO: w = +step where sign(d[i]) == sign(d), else -step.
  const __m128i differ = _mm_xor_si128(_mm_srai_epi16(dv, 15), _mm_set1_epi16(d < 0 ? -1 : 0));
  const __m128i step = _mm_set1_epi16(static_cast<std::int16_t>(d == 0 ? 0 : 128));
  const __m128i w = _mm_sub_epi16(_mm_xor_si128(step, differ), differ);
  const __m128i k = _mm_set1_epi32(32640);  // (32640, 0) pairs
  const __m128i leak_lo = _mm_srai_epi32(_mm_madd_epi16(_mm_unpacklo_epi16(bv, zero), k), 15);
  const __m128i leak_hi = _mm_srai_epi32(_mm_madd_epi16(_mm_unpackhi_epi16(bv, zero), k), 15);
  const __m128i w_lo = _mm_srai_epi32(_mm_unpacklo_epi16(w, w), 16);
  const __m128i w_hi = _mm_srai_epi32(_mm_unpackhi_epi16(w, w), 16);
  const __m128i bn = _mm_and_si128(
      _mm_packs_epi32(_mm_add_epi32(leak_lo, w_lo), _mm_add_epi32(leak_hi, w_hi)), taps);
  // DELAYA: shift the line by one tap, d enters tap 1.
  const __m128i dn =
      _mm_insert_epi16(_mm_and_si128(_mm_slli_si128(dv, 2), taps), static_cast<std::int16_t>(d), 1);
  // FILTEZ: sum over taps of (b * sat16(2 d)) >> 15, each product shifted before the sum.
  const __m128i d2 = _mm_adds_epi16(dn, dn);
  const __m128i t_lo = _mm_srai_epi32(
      _mm_madd_epi16(_mm_unpacklo_epi16(bn, zero), _mm_unpacklo_epi16(d2, zero)), 15);
  const __m128i t_hi = _mm_srai_epi32(
      _mm_madd_epi16(_mm_unpackhi_epi16(bn, zero), _mm_unpackhi_epi16(d2, zero)), 15);
  _mm_store_si128(reinterpret_cast<__m128i*>(band.d.data()), dn);
  _mm_store_si128(reinterpret_cast<__m128i*>(band.b.data()), bn);
  return hsum(_mm_add_epi32(t_lo, t_hi));
}

inline int zero_section(Band& band, int d) {
#if defined(IVRM_CHECK_SIMD)
  Band ref = band;
  const int ref_sz = zero_section_portable(ref, d);
#endif
  const int sz = zero_section_sse2(band, d);
#if defined(IVRM_CHECK_SIMD)
  if (sz != ref_sz || ref.d != band.d || ref.b != band.b) std::abort();
#endif
  return sz;
}
#else
inline int zero_section(Band& band, int d) {
  return zero_section_portable(band, d);
}
#endif

// Block 4: reconstruct, adapt the pole (UPPOL1/2) and zero (UPZERO) predictor coefficients,
// and predict the next signal estimate (FILTEP, FILTEZ, PREDIC). `d` is the quantized
// difference. The state is read into locals once and written back once: every octet depends on
// the previous one, so this chain is the codec's speed, and store-to-load round trips through
// the delay lines (scalar stores read back as vectors) stalled it.
inline void predict(Band& band, int d) {
  const int r0 = sat16(band.s + d);   // RECONS
  const int p0 = sat16(band.sz + d);  // PARREC
  const int a1_old = band.a[1], a2_old = band.a[2];
  const bool s0 = p0 < 0, s1 = band.p[1] < 0, s2 = band.p[2] < 0;

  // UPPOL2: second pole coefficient.
  const int wa = sat16(a1_old * 4);
  const int wb = std::min(s0 == s1 ? -wa : wa, 32767);
  const int a2 =
      limit((wb >> 7) + (s0 == s2 ? 128 : -128) + ((a2_old * 32512) >> 15), -12288, 12288);
  // UPPOL1: first pole coefficient, kept inside the stability triangle.
  const int bound = sat16(15360 - a2);
  const int a1 = limit(sat16((s0 == s1 ? 192 : -192) + ((a1_old * 32640) >> 15)), -bound, bound);

  const int sz = zero_section(band, d);

  // DELAYA for the pole section, FILTEP, PREDIC.
  const int r1_old = band.r[1];
  band.r[2] = r1_old;
  band.r[1] = r0;
  band.p[2] = band.p[1];
  band.p[1] = p0;
  band.a[2] = a2;
  band.a[1] = a1;
  const int sp = sat16(((a1 * sat16(r0 * 2)) >> 15) + ((a2 * sat16(r1_old * 2)) >> 15));
  band.sp = sp;
  band.sz = sat16(sz);
  band.s = sat16(sp + band.sz);
}

// Appends two samples to the QMF history and returns the current 24-sample window (oldest
// first): the ring is stored twice so the window never wraps.
inline const std::int16_t* qmf_push(QmfHistory& h, int first, int second) {
  h.pos = (h.pos + 2) % 24;
  const auto at = static_cast<std::size_t>((h.pos + 22) % 24);
  h.x[at] = h.x[at + 24] = static_cast<std::int16_t>(first);
  h.x[at + 1] = h.x[at + 25] = static_cast<std::int16_t>(second);
  return h.x.data() + h.pos;
}

// The two polyphase sums of the QMF over a window: samples at even positions against h(i),
// at odd positions against h(11 - i). Exact integer sums (|sum| < 2^29), so any order gives
// the reference's result.
#if defined(__SSE2__)
// pmaddwd multiplies 16-bit pairs and adds each pair: with a zero in every other coefficient
// one instruction yields four even-position (or odd-position) products.
alignas(16) constexpr std::int16_t kQmfEven[24] = {
    3, 0, -11, 0, 12, 0, 32, 0, -210, 0, 951, 0, 3876, 0, -805, 0, 362, 0, -156, 0, 53, 0, -11, 0};
alignas(16) constexpr std::int16_t kQmfOdd[24] = {
    0, -11, 0, 53, 0, -156, 0, 362, 0, -805, 0, 3876, 0, 951, 0, -210, 0, 32, 0, 12, 0, -11, 0, 3};

inline void qmf_sums(const std::int16_t* w, int& at_even, int& at_odd) {
  const auto* e = reinterpret_cast<const __m128i*>(kQmfEven);
  const auto* o = reinterpret_cast<const __m128i*>(kQmfOdd);
  __m128i se = _mm_setzero_si128(), so = _mm_setzero_si128();
  for (int k = 0; k < 3; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + 8 * k));
    se = _mm_add_epi32(se, _mm_madd_epi16(v, _mm_load_si128(e + k)));
    so = _mm_add_epi32(so, _mm_madd_epi16(v, _mm_load_si128(o + k)));
  }
  at_even = hsum(se);
  at_odd = hsum(so);
}
#else
inline void qmf_sums(const std::int16_t* w, int& at_even, int& at_odd) {
  int e = 0, o = 0;
  for (int i = 0; i < 12; ++i) {
    e += w[2 * i] * kQmf[i];
    o += w[2 * i + 1] * kQmf[11 - i];
  }
  at_even = e;
  at_odd = o;
}
#endif

// Lower-band quantizer (block 1L): the reference searches the decision levels upward for the
// first one above |el|. The levels grow with i, so that index is one plus the number of levels
// at or above_neg |el|, which SSE2 counts for all 29 levels at once: pmaddwd gives the exact
// 32-bit products level x det (both fit 16 bits), and the count replaces five dependent
// multiply-compare steps on the octet's serial chain with one short parallel burst.
// The reference's linear search: the portable path, and the check of the SSE2 one.
constexpr int kQ6[30] = {0,    35,   72,   110,  150,  190,  233,  276,  323,  370,
                         422,  473,  530,  587,  650,  714,  786,  858,  940,  1023,
                         1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919};
inline int quantize_low_portable(int el, int det) {
  const int wd = el >= 0 ? el : -(el + 1);
  int i = 1;
  while (i < 30 && wd >= ((kQ6[i] * det) >> 12))
    ++i;
  return el < 0 ? kIln[i] : kIlp[i];
}

#if defined(__SSE2__)
// Levels 1..29 as (level, 0) 16-bit pairs, padded to 32 with level 0 (always "at or above_neg").
alignas(16) constexpr std::int16_t kQ6Pairs[64] = {
    35,   0, 72,   0, 110,  0, 150,  0, 190,  0, 233,  0, 276,  0, 323,  0,
    370,  0, 422,  0, 473,  0, 530,  0, 587,  0, 650,  0, 714,  0, 786,  0,
    858,  0, 940,  0, 1023, 0, 1121, 0, 1219, 0, 1339, 0, 1458, 0, 1612, 0,
    1765, 0, 1980, 0, 2195, 0, 2557, 0, 2919, 0, 0,    0, 0,    0, 0,    0};
constexpr int kQ6Padding = 3;

inline int quantize_low(int el, int det) {
  const int wd = el >= 0 ? el : -(el + 1);
  const __m128i d = _mm_set1_epi32(det);  // (det, 0) pairs: det < 32768
  const __m128i w = _mm_set1_epi32(wd);
  const auto* q = reinterpret_cast<const __m128i*>(kQ6Pairs);
  __m128i above_neg = _mm_setzero_si128();  // minus the count of levels above wd, per lane
  for (int k = 0; k < 8; ++k) {
    const __m128i thr = _mm_srai_epi32(_mm_madd_epi16(_mm_load_si128(q + k), d), 12);
    above_neg = _mm_add_epi32(above_neg, _mm_cmpgt_epi32(thr, w));
  }
  above_neg = _mm_add_epi32(above_neg, _mm_shuffle_epi32(above_neg, 0x4E));
  above_neg = _mm_add_epi32(above_neg, _mm_shuffle_epi32(above_neg, 0xB1));
  const int above = -_mm_cvtsi128_si32(above_neg);
  const int i = 1 + (32 - kQ6Padding - above);
  const int code = el < 0 ? kIln[i] : kIlp[i];
#if defined(IVRM_CHECK_SIMD)
  if (code != quantize_low_portable(el, det)) std::abort();
#endif
  return code;
}
#else
inline int quantize_low(int el, int det) {
  return quantize_low_portable(el, det);
}
#endif

// Encodes `octets` pairs of samples from `in`. The state lives in locals for the call: stores
// to `out` (bytes, which may alias anything) would otherwise force every state variable back
// to memory on every octet.
inline void encode_octets(Mode mode, detail::CoderState& state, const std::int16_t* in,
                          std::size_t octets, std::uint8_t* out) noexcept {
  const int aux_bits = static_cast<int>(mode) - 1;  // low bits left to auxiliary data
  Band low = state.low, high = state.high;
  QmfHistory qmf = state.qmf;
  for (std::size_t j = 0; j < octets; ++j) {
    int at_even = 0, at_odd = 0;
    qmf_sums(qmf_push(qmf, in[2 * j], in[2 * j + 1]), at_even, at_odd);
    const int xlow = (at_odd + at_even) >> 14;
    const int xhigh = (at_odd - at_even) >> 14;

    // Lower band: quantize (1L), inverse quantize with 4 bits (2L), adapt (3L), predict (4L).
    const int el = sat16(xlow - low.s);
    const int ilow = quantize_low(el, low.det);
    const int ril = ilow >> 2;
    const int dlow = (low.det * kQm4[ril]) >> 15;
    adapt_scale(low, kWl[kRl42[ril]], 18432, 8);
    predict(low, dlow);

    // Upper band: the same with a 2-bit quantizer (blocks 1H-4H).
    const int eh = sat16(xhigh - high.s);
    const int wd = eh >= 0 ? eh : -(eh + 1);
    const int mih = wd >= ((564 * high.det) >> 12) ? 2 : 1;
    const int ihigh = eh < 0 ? kIhn[mih] : kIhp[mih];
    const int dhigh = (high.det * kQm2[ihigh]) >> 15;
    adapt_scale(high, kWh[kRh2[ihigh]], 22528, 10);
    predict(high, dhigh);

    const int code = (ihigh << 6) | ilow;
    out[j] = static_cast<std::uint8_t>((code >> aux_bits) << aux_bits);
  }
  state = {low, high, qmf};
}

// Decodes `octets` octets into 2 * octets samples.
inline void decode_octets(Mode mode, detail::CoderState& state, const std::uint8_t* in,
                          std::size_t octets, std::int16_t* out) noexcept {
  Band low = state.low, high = state.high;  // locals: see encode_octets
  QmfHistory qmf = state.qmf;
  for (std::size_t j = 0; j < octets; ++j) {
    const int octet = in[j];
    const int ihigh = octet >> 6;
    // Lower band inverse quantizer at the mode's resolution (block 5L), and its 4-bit form
    // for the adaptation (2L), which is the same in every mode.
    int q = 0, low4 = 0;
    switch (mode) {
      case Mode::kbps64:
        q = kQm6[octet & 0x3F];
        low4 = (octet & 0x3F) >> 2;
        break;
      case Mode::kbps56:
        q = kQm5[(octet >> 1) & 0x1F];
        low4 = ((octet >> 1) & 0x1F) >> 1;
        break;
      case Mode::kbps48:
        q = kQm4[(octet >> 2) & 0x0F];
        low4 = (octet >> 2) & 0x0F;
        break;
    }
    const int rlow = limit(low.s + ((low.det * q) >> 15), -16384, 16383);  // 6L LIMIT
    const int dlow = (low.det * kQm4[low4]) >> 15;
    adapt_scale(low, kWl[kRl42[low4]], 18432, 8);
    predict(low, dlow);

    const int dhigh = (high.det * kQm2[ihigh]) >> 15;
    const int rhigh = limit(dhigh + high.s, -16384, 16383);
    adapt_scale(high, kWh[kRh2[ihigh]], 22528, 10);
    predict(high, dhigh);

    // Receive QMF: interleave sum and difference of the bands, two outputs per octet.
    int at_even = 0, at_odd = 0;
    qmf_sums(qmf_push(qmf, rlow + rhigh, rlow - rhigh), at_even, at_odd);
    out[2 * j] = static_cast<std::int16_t>(sat16(at_odd >> 11));
    out[2 * j + 1] = static_cast<std::int16_t>(sat16(at_even >> 11));
  }
  state = {low, high, qmf};
}

// The QMF pair (analysis then synthesis) delays by 22 samples: decoded output n comes from
// encoder input n - 22. Concealment is re-encoded this far ahead of the output.
constexpr std::size_t kQmfDelay = 22;
// Concealment is produced in blocks of this many samples (stack buffers).
constexpr std::size_t kConcealBlock = 160;
// plc::Concealer is silent from 60 ms into a loss; the re-encoder, 22 samples ahead, reaches
// that point 22 output samples earlier. From there on the coefficients are frozen.
constexpr std::int64_t kFreezeAt = 16000 * 60 / 1000 - static_cast<std::int64_t>(kQmfDelay);

// The predictor coefficients of a band (what freezing keeps).
void restore_coefficients(Band& band, const Band& saved) {
  band.a = saved.a;
  band.b = saved.b;
}

}  // namespace

Status Encoder::encode(std::span<const std::int16_t> in, std::span<std::uint8_t> out) noexcept {
  if (in.size() % 2 != 0) return Status::invalid_argument;
  if (out.size() < in.size() / 2) return Status::buffer_too_small;
  encode_octets(mode_, state_, in.data(), in.size() / 2, out.data());
  return Status::ok;
}

Decoder::Decoder(Mode mode) : mode_(mode), plc_({.sample_rate_hz = 16000}) {}

Status Decoder::decode(std::span<const std::uint8_t> in, std::span<std::int16_t> out) noexcept {
  if (out.size() / 2 < in.size()) return Status::buffer_too_small;
  if (in.empty()) return Status::ok;
  if (concealing_ && frozen_) {  // back from a loss that had faded to silence: see g722.hpp
    restore_coefficients(state_.low, frozen_low_);
    restore_coefficients(state_.high, frozen_high_);
    state_.low.nb = scale_[0];
    state_.low.det = scale_[1];
    state_.high.nb = scale_[2];
    state_.high.det = scale_[3];
  }
  decode_octets(mode_, state_, in.data(), in.size(), out.data());
  // History for concealment; right after a loss this also cross-faded the start.
  const auto frame = out.first(2 * in.size());
  plc_.good(frame);
  last_ = {frame[frame.size() - 2], frame[frame.size() - 1]};
  concealing_ = false;
  return Status::ok;
}

Status Decoder::conceal(std::span<std::int16_t> out) noexcept {
  if (out.size() % 2 != 0) return Status::invalid_argument;
  for (std::size_t done = 0, n = 0; done < out.size(); done += n) {
    const bool starting = !concealing_;
    const std::int64_t at = starting ? 0 : concealed_;
    n = std::min(kConcealBlock, out.size() - done);
    if (at < kFreezeAt) {  // a block ends exactly where the coefficients freeze
      n = std::min(n, static_cast<std::size_t>(kFreezeAt - at));
    }
    // The concealment for this block and the 22 samples after it: c[0, n + 22).
    std::array<std::int16_t, kConcealBlock + kQmfDelay> c;
    plc_.conceal(std::span(c.data(), n));
    plc_.peek(std::span(c.data() + n, kQmfDelay));
    if (starting) {
      // The encoder that produced the octets just decoded had read the input 22 samples
      // ahead of the output: its QMF window is the last two output samples and c[0, 22).
      // Its band states are the decoder's (the encoder's local decoder tracks them exactly).
      shadow_.low = state_.low;
      shadow_.high = state_.high;
      shadow_.qmf = {};
      shadow_.qmf.x[0] = shadow_.qmf.x[24] = last_[0];
      shadow_.qmf.x[1] = shadow_.qmf.x[25] = last_[1];
      for (std::size_t i = 0; i < kQmfDelay; ++i)
        shadow_.qmf.x[2 + i] = shadow_.qmf.x[26 + i] = c[i];
      concealing_ = true;
      scale_ = {state_.low.nb, state_.low.det, state_.high.nb, state_.high.det};
      frozen_ = false;
      concealed_ = 0;
    }
    // Encode c[22, n + 22), whose decoding is the output for c[0, n).
    std::array<std::uint8_t, kConcealBlock / 2> octets;
    encode_octets(mode_, shadow_, c.data() + kQmfDelay, n / 2, octets.data());
    decode_octets(mode_, state_, octets.data(), n / 2, out.data() + done);
    concealed_ += static_cast<std::int64_t>(n);
    if (concealed_ == kFreezeAt) {
      frozen_low_ = state_.low;
      frozen_high_ = state_.high;
      frozen_ = true;
    }
  }
  if (!out.empty()) last_ = {out[out.size() - 2], out[out.size() - 1]};
  return Status::ok;
}

void Decoder::reset() noexcept {
  state_ = {};
  plc_.reset();
  concealing_ = false;
  frozen_ = false;
  concealed_ = 0;
  last_ = {};
}

}  // namespace ivrmedia::g722
