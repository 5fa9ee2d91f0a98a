// Mixing loops over float blocks. Plain loops without cross-iteration dependences, so GCC and
// Clang vectorize them at -O2/-O3 for the baseline target (checked with -fopt-info-vec); each
// element is computed by the same expression as a scalar loop would (no reassociation, no
// contraction: -ffp-contract=off), so vectorized and scalar results are identical.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/sample_convert.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ivrmedia::mix {

// dst = src
inline void copy_block(float* __restrict dst, const float* __restrict src, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    dst[i] = src[i];
}

inline void zero_block(float* dst, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    dst[i] = 0.0f;
}

// dst += src
inline void add_block(float* __restrict dst, const float* __restrict src, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    dst[i] += src[i];
}

// dst += g * src
inline void add_scaled_block(float* __restrict dst, const float* __restrict src, float g,
                             std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    dst[i] += g * src[i];
}

// dst = a - b
inline void sub_block(float* __restrict dst, const float* __restrict a, const float* __restrict b,
                      std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    dst[i] = a[i] - b[i];
}

// dst = a - g * b
inline void sub_scaled_block(float* __restrict dst, const float* __restrict a,
                             const float* __restrict b, float g, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    dst[i] = a[i] - g * b[i];
}

// dst = a + g * b
inline void mix_scaled_block(float* __restrict dst, const float* __restrict a,
                             const float* __restrict b, float g, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    dst[i] = a[i] + g * b[i];
}

// True when every |x[i]| <= limit; NaN counts as over (the caller's careful path handles it).
inline bool all_within(const float* x, std::size_t n, float limit) {
  int over = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const float a = x[i] < 0.0f ? -x[i] : x[i];
    over |= !(a <= limit);
  }
  return over == 0;
}

// A delay line's idle step: out[i] = d[i], d[i] = in[i]. `in` may equal `out`.
inline void swap_through(float* __restrict d, const float* in, float* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float t = d[i];
    d[i] = in[i];
    out[i] = t;
  }
}

inline void s16_to_float_block(const std::int16_t* __restrict in, float* __restrict out,
                               std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    out[i] = core::s16_to_float(in[i]);
}

// core::float_to_s16 on a block. GCC will not if-convert the clamps (they may trap on NaN
// under the default -ftrapping-math), so the x86-64 baseline (SSE2) gets it by hand: NaN
// masked to 0, clamped, cvtps2dq (round to nearest even, as the scalar form's 1.5 * 2^23
// trick), packed. Same results as the scalar form for every input (tested on edge values).
inline void float_to_s16_block(const float* __restrict in, std::int16_t* __restrict out,
                               std::size_t n) {
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128 scale = _mm_set1_ps(core::kS16FullScale);
  const __m128 hi = _mm_set1_ps(32767.0f);
  const __m128 lo = _mm_set1_ps(-32768.0f);
  for (; i + 8 <= n; i += 8) {
    __m128 a = _mm_mul_ps(_mm_loadu_ps(in + i), scale);
    __m128 b = _mm_mul_ps(_mm_loadu_ps(in + i + 4), scale);
    a = _mm_max_ps(_mm_min_ps(_mm_and_ps(a, _mm_cmpord_ps(a, a)), hi), lo);
    b = _mm_max_ps(_mm_min_ps(_mm_and_ps(b, _mm_cmpord_ps(b, b)), hi), lo);
    const __m128i p = _mm_packs_epi32(_mm_cvtps_epi32(a), _mm_cvtps_epi32(b));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), p);
  }
#endif
  for (; i < n; ++i)
    out[i] = core::float_to_s16(in[i]);
}

}  // namespace ivrmedia::mix
