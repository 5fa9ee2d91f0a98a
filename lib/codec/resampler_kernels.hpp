// Resampler FIR kernels: the polyphase dot products, the only per-sample work of a stage.
//
// Every kernel computes each output the same way, whatever the number of outputs per call and
// the output's place among them (so results never depend on chunking): eight partial sums, term
// m of the dot product going to sum m mod 8 (K is a multiple of 8), reduced as
// ((s0+s1)+(s2+s3))+((s4+s5)+(s6+s7)). The AVX2 kernels keep the sums in one ymm register per
// output and fuse each multiply-add; the scalar kernel rounds the product and the sum
// separately. That is their only difference: |avx2 - scalar| <= (K / 8 + 3) * 2^-23 *
// sum_m |c_m x_m| per output (checked under IVRM_CHECK_SIMD); for signals within +-1 the
// outputs differ by less than 2e-6 of full scale (tested).
#pragma once

#include <cstddef>
#include <cstdint>

#include "codec/resampler_design.hpp"
#include "ivrmedia/core.hpp"

namespace ivrmedia::resample::detail {

// n outputs of one channel of stage s. x points at the first output's window (x[0..K)), `row`
// is its table row; after each output the window moves by s.step[row] and the row goes to the
// next one (mod L).
using FirFn = void (*)(const StageDesign& s, const float* x, std::uint32_t row, float* out,
                       std::size_t n) noexcept;

// The kernel for a stage at a level (resolved and supported).
FirFn fir_kernel(const StageDesign& s, SimdLevel level) noexcept;

void fir_scalar(const StageDesign& s, const float* x, std::uint32_t row, float* out,
                std::size_t n) noexcept;
// One output, scalar: the reference every kernel follows.
float dot_scalar(const float* c, const float* x, std::uint32_t k) noexcept;

#if defined(IVRM_HAVE_AVX2)
void fir_avx2(const StageDesign& s, const float* x, std::uint32_t row, float* out,
              std::size_t n) noexcept;
// L == 2, M == 1
void fir_avx2_up(const StageDesign& s, const float* x, std::uint32_t row, float* out,
                 std::size_t n) noexcept;
// M == 1, L >= 3 (any integer upsampler; L == 2 has its own)
void fir_avx2_vertical(const StageDesign& s, const float* x, std::uint32_t row, float* out,
                       std::size_t n) noexcept;
// L == 1
void fir_avx2_down(const StageDesign& s, const float* x, std::uint32_t row, float* out,
                   std::size_t n) noexcept;
#endif

}  // namespace ivrmedia::resample::detail
