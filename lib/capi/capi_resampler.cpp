// C API: resampler handle over ivrmedia::resample::Resampler. A thin layer: the config is
// translated and checked, processing calls check their pointers and sizes and forward to the
// C++ object, whose all-or-nothing rule gives the status. Resamplers share filter tables
// designed at creation, so there is no create_in.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <span>

#include "capi/capi_support.hpp"
#include "ivrmedia/resampler.hpp"

using ivrmedia::capi::to_c;
namespace resample = ivrmedia::resample;

struct ivrm_resampler {
  explicit ivrm_resampler(const resample::Resampler::Config& c) : r(c) {}
  resample::Resampler r;
};

// The C enums are the C++ ones.
static_assert(IVRM_RESAMPLE_FAST == static_cast<int>(resample::Quality::fast));
static_assert(IVRM_RESAMPLE_STANDARD == static_cast<int>(resample::Quality::standard));
static_assert(IVRM_RESAMPLE_HIGH == static_cast<int>(resample::Quality::high));

namespace {

// Version 1 of the config; later versions only append. Every field is 32 bits, so there is no
// tail padding in which an appended field could hide (the codec configs need `reserved` for
// that; this one does not).
constexpr std::size_t kConfigV1 = sizeof(ivrm_resampler_config);
static_assert(kConfigV1 == offsetof(ivrm_resampler_config, simd) + sizeof(int32_t));

// The header's bound on frames per call: every count then fits in size_t and in the C++ API's
// int64 arithmetic, with room for years of stream (at most 6 output frames per input frame).
constexpr uint64_t kMaxFramesPerCall = uint64_t{1} << 32;

bool too_many(size_t frames, size_t sample_bytes, size_t channels) noexcept {
  return frames > kMaxFramesPerCall || frames > SIZE_MAX / sample_bytes / channels;
}

ivrm_status to_cxx(const ivrm_resampler_config* cfg, resample::Resampler::Config& out) noexcept {
  ivrm_resampler_config c;
  ivrm_resampler_config_init(&c);
  if (const ivrm_status s = ivrmedia::capi::read_config(cfg, kConfigV1, c); s != IVRM_OK) {
    return s;
  }
  if (c.quality < IVRM_RESAMPLE_FAST || c.quality > IVRM_RESAMPLE_HIGH) return IVRM_ERR_INVALID;
  if (c.simd != IVRM_SIMD_AUTO && c.simd != IVRM_SIMD_SCALAR && c.simd != IVRM_SIMD_AVX2) {
    return IVRM_ERR_INVALID;
  }
  if (!resample::Resampler::rate_supported(c.input_rate_hz) ||
      !resample::Resampler::rate_supported(c.output_rate_hz) || c.channels < 1 || c.channels > 8) {
    return IVRM_ERR_CONFIG;
  }
  if (!ivrm_simd_supported(static_cast<ivrm_simd>(c.simd))) return IVRM_ERR_UNSUPPORTED;
  out.input_rate_hz = c.input_rate_hz;
  out.output_rate_hz = c.output_rate_hz;
  out.channels = c.channels;
  out.quality = static_cast<resample::Quality>(c.quality);
  out.simd = static_cast<ivrmedia::SimdLevel>(c.simd);
  return IVRM_OK;
}

template <typename T>
ivrm_status process(ivrm_resampler* h, const T* in, size_t in_frames, T* out,
                    size_t out_capacity_frames, size_t* in_used, size_t* out_written) noexcept {
  if (in_used != nullptr) *in_used = 0;
  if (out_written != nullptr) *out_written = 0;
  if (h == nullptr || in_used == nullptr || out_written == nullptr) return IVRM_ERR_NULL;
  if ((in_frames != 0 && in == nullptr) || (out_capacity_frames != 0 && out == nullptr)) {
    return IVRM_ERR_NULL;
  }
  const auto channels = static_cast<size_t>(h->r.config().channels);
  if (too_many(in_frames, sizeof(T), channels)) return IVRM_ERR_RANGE;
  // A capacity beyond what any call writes is as good as exactly enough; clamping it keeps the
  // sample count from overflowing.
  const size_t most = h->r.max_output_frames(in_frames);
  const size_t capacity = out_capacity_frames < most ? out_capacity_frames : most;
  resample::Result result{};
  const ivrm_status s = to_c(h->r.process(std::span<const T>(in, in_frames * channels),
                                          std::span<T>(out, capacity * channels), &result));
  if (s == IVRM_OK) {
    *in_used = result.in_frames_used;
    *out_written = result.out_frames_written;
  }
  return s;
}

}  // namespace

extern "C" {

int ivrm_resampler_rate_supported(int hz) {
  return resample::Resampler::rate_supported(hz) ? 1 : 0;
}

ivrm_status ivrm_resampler_config_init_sized(ivrm_resampler_config* cfg, size_t size) {
  const resample::Resampler::Config d;
  ivrm_resampler_config c{};  // this version's defaults
  c.input_rate_hz = d.input_rate_hz;
  c.output_rate_hz = d.output_rate_hz;
  c.channels = d.channels;
  c.quality = static_cast<int32_t>(d.quality);
  c.simd = static_cast<int32_t>(d.simd);
  return ivrmedia::capi::init_config(cfg, size, kConfigV1, c);
}

ivrm_status ivrm_resampler_create(const ivrm_resampler_config* cfg, ivrm_resampler** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  resample::Resampler::Config c;
  if (const ivrm_status s = to_cxx(cfg, c); s != IVRM_OK) return s;
  return ivrmedia::capi::guarded([&] {
    *out = new ivrm_resampler(c);
    return IVRM_OK;
  });
}

void ivrm_resampler_destroy(ivrm_resampler* rs) {
  delete rs;
}

ivrm_status ivrm_resampler_reset(ivrm_resampler* rs) {
  if (rs == nullptr) return IVRM_ERR_NULL;
  rs->r.reset();
  return IVRM_OK;
}

ivrm_status ivrm_resampler_process(ivrm_resampler* rs, const int16_t* in, size_t in_frames,
                                   int16_t* out, size_t out_capacity_frames, size_t* in_used,
                                   size_t* out_written) {
  return process(rs, in, in_frames, out, out_capacity_frames, in_used, out_written);
}

ivrm_status ivrm_resampler_process_float(ivrm_resampler* rs, const float* in, size_t in_frames,
                                         float* out, size_t out_capacity_frames, size_t* in_used,
                                         size_t* out_written) {
  return process(rs, in, in_frames, out, out_capacity_frames, in_used, out_written);
}

ivrm_status ivrm_resampler_max_output_frames(const ivrm_resampler* rs, size_t in_frames,
                                             size_t* out_frames) {
  if (out_frames != nullptr) *out_frames = 0;
  if (rs == nullptr || out_frames == nullptr) return IVRM_ERR_NULL;
  if (too_many(in_frames, 1, 1)) return IVRM_ERR_RANGE;
  *out_frames = rs->r.max_output_frames(in_frames);
  return IVRM_OK;
}

ivrm_status ivrm_resampler_latency(const ivrm_resampler* rs, double* seconds,
                                   double* output_frames) {
  if (seconds != nullptr) *seconds = 0.0;
  if (output_frames != nullptr) *output_frames = 0.0;
  if (rs == nullptr) return IVRM_ERR_NULL;
  if (seconds != nullptr) *seconds = rs->r.latency_seconds();
  if (output_frames != nullptr) *output_frames = rs->r.latency_output_frames();
  return IVRM_OK;
}

}  // extern "C"
