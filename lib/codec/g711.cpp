// G.711 public C++ API: size checks, kernel selection, and (IVRMEDIA_CHECK_SIMD builds) a
// side-by-side comparison of every SIMD result with the scalar reference.
#include "ivrmedia/g711.hpp"

#include <cstdlib>

#include "codec/g711_kernels.hpp"
#include "codec/g711_reference.hpp"

namespace ivrmedia::g711 {
namespace detail {

const Kernels& kernels(Law law, SimdLevel level) noexcept {
#if defined(IVRM_HAVE_AVX2)
  if (level == SimdLevel::avx2) return law == Law::mulaw ? kAvx2Mulaw : kAvx2Alaw;
#else
  (void)level;
#endif
  return law == Law::mulaw ? kScalarMulaw : kScalarAlaw;
}

namespace {

#if defined(IVRM_CHECK_SIMD)
// Recomputes `out` with the scalar kernel in stack-sized pieces and aborts on any difference.
template <typename In, typename Out, typename Kernel>
void check_against_scalar(Kernel scalar, const In* in, const Out* out, std::size_t n) noexcept {
  constexpr std::size_t kPiece = 256;
  Out ref[kPiece];
  for (std::size_t i = 0; i < n; i += kPiece) {
    const std::size_t m = n - i < kPiece ? n - i : kPiece;
    scalar(in + i, ref, m);
    for (std::size_t k = 0; k < m; ++k) {
      // compare bit patterns so that float results are held to bit identity too
      if (__builtin_memcmp(&ref[k], &out[i + k], sizeof(Out)) != 0) std::abort();
    }
  }
}
#endif

template <typename In, typename Out>
Status run(void (*Kernels::*which)(const In*, Out*, std::size_t) noexcept, const Kernels& k,
           Law law, std::span<const In> in, std::span<Out> out) noexcept {
  if (out.size() < in.size()) return Status::buffer_too_small;
  if (in.empty()) return Status::ok;
  (k.*which)(in.data(), out.data(), in.size());
#if defined(IVRM_CHECK_SIMD)
  const Kernels& scalar = kernels(law, SimdLevel::scalar);
  if (&k != &scalar) check_against_scalar(scalar.*which, in.data(), out.data(), in.size());
#else
  (void)law;
#endif
  return Status::ok;
}

Status run_transcode(const Kernels& k, std::span<const std::uint8_t> in,
                     std::span<std::uint8_t> out) noexcept {
  if (out.size() < in.size()) return Status::buffer_too_small;
  const std::uint8_t* table = k.transcode;
  // index loop: correct also when out and in are the same buffer
  for (std::size_t i = 0; i < in.size(); ++i)
    out[i] = table[in[i]];
  return Status::ok;
}

}  // namespace
}  // namespace detail

std::uint8_t encode_sample(Law law, std::int16_t sample) noexcept {
  return law == Law::mulaw ? detail::ulaw_encode_one(sample) : detail::alaw_encode_one(sample);
}
std::int16_t decode_sample(Law law, std::uint8_t code) noexcept {
  return law == Law::mulaw ? detail::ulaw_decode_one(code) : detail::alaw_decode_one(code);
}
std::uint8_t transcode_sample(Law from, std::uint8_t code) noexcept {
  return from == Law::mulaw ? detail::kMuToA[code] : detail::kAToMu[code];
}

Coder::Coder(const Config& config)
    : law_(config.law), simd_(resolve_simd_level(config.simd)), kernels_(nullptr) {
  if (law_ != Law::mulaw && law_ != Law::alaw) {
    throw Error(Status::invalid_argument, "G.711 law must be mulaw or alaw");
  }
  kernels_ = &detail::kernels(law_, simd_);
}

namespace {
const detail::Kernels& table(const void* p) {
  return *static_cast<const detail::Kernels*>(p);
}
const detail::Kernels& best(Law law) {
  return detail::kernels(law, best_simd_level());
}
bool valid(Law law) {
  return law == Law::mulaw || law == Law::alaw;
}
}  // namespace

Status Coder::encode(std::span<const std::int16_t> in, std::span<std::uint8_t> out) const noexcept {
  return detail::run(&detail::Kernels::encode, table(kernels_), law_, in, out);
}
Status Coder::encode(std::span<const float> in, std::span<std::uint8_t> out) const noexcept {
  return detail::run(&detail::Kernels::encode_f32, table(kernels_), law_, in, out);
}
Status Coder::decode(std::span<const std::uint8_t> in, std::span<std::int16_t> out) const noexcept {
  return detail::run(&detail::Kernels::decode, table(kernels_), law_, in, out);
}
Status Coder::decode(std::span<const std::uint8_t> in, std::span<float> out) const noexcept {
  return detail::run(&detail::Kernels::decode_f32, table(kernels_), law_, in, out);
}
Status Coder::transcode(std::span<const std::uint8_t> in,
                        std::span<std::uint8_t> out) const noexcept {
  return detail::run_transcode(table(kernels_), in, out);
}

Status encode(Law law, std::span<const std::int16_t> in, std::span<std::uint8_t> out) noexcept {
  if (!valid(law)) return Status::invalid_argument;
  return detail::run(&detail::Kernels::encode, best(law), law, in, out);
}
Status encode(Law law, std::span<const float> in, std::span<std::uint8_t> out) noexcept {
  if (!valid(law)) return Status::invalid_argument;
  return detail::run(&detail::Kernels::encode_f32, best(law), law, in, out);
}
Status decode(Law law, std::span<const std::uint8_t> in, std::span<std::int16_t> out) noexcept {
  if (!valid(law)) return Status::invalid_argument;
  return detail::run(&detail::Kernels::decode, best(law), law, in, out);
}
Status decode(Law law, std::span<const std::uint8_t> in, std::span<float> out) noexcept {
  if (!valid(law)) return Status::invalid_argument;
  return detail::run(&detail::Kernels::decode_f32, best(law), law, in, out);
}
Status transcode(Law from, std::span<const std::uint8_t> in, std::span<std::uint8_t> out) noexcept {
  if (!valid(from)) return Status::invalid_argument;
  return detail::run_transcode(best(from), in, out);
}

}  // namespace ivrmedia::g711
