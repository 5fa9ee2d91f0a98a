// C API: codec encoder and decoder handles over ivrmedia::codec (the standard registry). A thin
// layer: configs are translated and checked, processing calls check their pointers and forward
// to the C++ objects, whose own checks (frame sizes, capacities, malformed payloads) give the
// status. The C++ coders allocate their state themselves (libopus), so there is no create_in.
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <span>

#include "capi/capi_codec.hpp"
#include "capi/capi_support.hpp"
#include "ivrmedia/codec.hpp"

using ivrmedia::capi::to_c;
namespace codec = ivrmedia::codec;

struct ivrm_encoder {
  std::unique_ptr<codec::Encoder> enc;
};

struct ivrm_decoder {
  std::unique_ptr<codec::Decoder> dec;
};

// The C enums are the C++ ones.
static_assert(IVRM_OPUS_APPLICATION_VOIP ==
              static_cast<int>(codec::OpusSettings::Application::voip));
static_assert(IVRM_OPUS_APPLICATION_AUDIO ==
              static_cast<int>(codec::OpusSettings::Application::audio));
static_assert(IVRM_OPUS_BANDWIDTH_NARROW ==
              static_cast<int>(codec::OpusSettings::Bandwidth::narrowband));
static_assert(IVRM_OPUS_BANDWIDTH_MEDIUM ==
              static_cast<int>(codec::OpusSettings::Bandwidth::mediumband));
static_assert(IVRM_OPUS_BANDWIDTH_WIDE ==
              static_cast<int>(codec::OpusSettings::Bandwidth::wideband));
static_assert(IVRM_OPUS_BANDWIDTH_SUPERWIDE ==
              static_cast<int>(codec::OpusSettings::Bandwidth::superwideband));
static_assert(IVRM_OPUS_BANDWIDTH_FULL ==
              static_cast<int>(codec::OpusSettings::Bandwidth::fullband));

namespace ivrmedia::capi {

// The configs end in a named field with no tail padding (hence `reserved`: after the pointer an
// odd number of int32 fields would leave four bytes of padding on LP64, where a field appended
// later would sit inside the old sizeof and be ignored instead of refused by read_config).
static_assert(kEncoderConfigV1 == offsetof(ivrm_encoder_config, reserved) + sizeof(int32_t));
static_assert(kDecoderConfigV1 == offsetof(ivrm_decoder_config, reserved) + sizeof(int32_t));
static_assert(kInfoV1 == offsetof(ivrm_codec_info, max_samples) + sizeof(size_t));

namespace {

bool is_flag(int32_t v) noexcept {
  return v == 0 || v == 1;
}

}  // namespace

ivrm_status to_cxx(const ivrm_encoder_config* cfg, codec::EncoderConfig& out) {
  ivrm_encoder_config c;
  ivrm_encoder_config_init(&c);
  if (const ivrm_status s = ivrmedia::capi::read_config(cfg, kEncoderConfigV1, c); s != IVRM_OK) {
    return s;
  }
  if (c.payload_name == nullptr) return IVRM_ERR_NULL;
  if (c.reserved != 0) return IVRM_ERR_UNSUPPORTED;
  if (!is_flag(c.opus_vbr) || !is_flag(c.opus_inband_fec) || !is_flag(c.opus_dtx)) {
    return IVRM_ERR_INVALID;
  }
  if (c.opus_application != IVRM_OPUS_APPLICATION_VOIP &&
      c.opus_application != IVRM_OPUS_APPLICATION_AUDIO) {
    return IVRM_ERR_INVALID;
  }
  if (c.opus_max_bandwidth < IVRM_OPUS_BANDWIDTH_NARROW ||
      c.opus_max_bandwidth > IVRM_OPUS_BANDWIDTH_FULL) {
    return IVRM_ERR_INVALID;
  }
  out.format.name = c.payload_name;
  out.format.clock_rate_hz = c.clock_rate_hz;
  out.format.channels = c.format_channels;
  out.sample_rate_hz = c.sample_rate_hz;
  out.channels = c.channels;
  out.ptime_ms = c.ptime_ms;
  out.opus.bitrate_bps = c.opus_bitrate_bps;
  out.opus.complexity = c.opus_complexity;
  out.opus.vbr = c.opus_vbr == 1;
  out.opus.inband_fec = c.opus_inband_fec == 1;
  out.opus.expected_loss_percent = c.opus_expected_loss_percent;
  out.opus.dtx = c.opus_dtx == 1;
  out.opus.application = static_cast<codec::OpusSettings::Application>(c.opus_application);
  out.opus.max_bandwidth = static_cast<codec::OpusSettings::Bandwidth>(c.opus_max_bandwidth);
  return IVRM_OK;
}

ivrm_status to_cxx(const ivrm_decoder_config* cfg, codec::DecoderConfig& out) {
  ivrm_decoder_config c;
  ivrm_decoder_config_init(&c);
  if (const ivrm_status s = ivrmedia::capi::read_config(cfg, kDecoderConfigV1, c); s != IVRM_OK) {
    return s;
  }
  if (c.payload_name == nullptr) return IVRM_ERR_NULL;
  if (c.reserved != 0) return IVRM_ERR_UNSUPPORTED;
  out.format.name = c.payload_name;
  out.format.clock_rate_hz = c.clock_rate_hz;
  out.format.channels = c.format_channels;
  out.sample_rate_hz = c.sample_rate_hz;
  out.channels = c.channels;
  out.max_packet_ms = c.max_packet_ms;
  return IVRM_OK;
}

ivrm_status fill_info(const codec::Info& i, ivrm_codec_info* info) noexcept {
  if (info == nullptr) return IVRM_ERR_NULL;
  if (info->struct_size < kInfoV1) return IVRM_ERR_CONFIG;
  info->name = i.name;
  info->sample_rate_hz = i.sample_rate_hz;
  info->channels = i.channels;
  info->rtp_clock_hz = i.rtp_clock_hz;
  info->frame_samples = i.frame_samples;
  info->max_payload_bytes = i.max_payload_bytes;
  info->max_samples = i.max_samples;
  return IVRM_OK;
}

}  // namespace ivrmedia::capi

namespace {

using ivrmedia::capi::fill_info;
using ivrmedia::capi::guarded;
using ivrmedia::capi::to_cxx;

template <typename T>
ivrm_status encode(ivrm_encoder* e, const T* pcm, size_t n, uint8_t* payload, size_t capacity,
                   size_t* written) noexcept {
  if (written != nullptr) *written = 0;
  if (e == nullptr || written == nullptr) return IVRM_ERR_NULL;
  if ((n != 0 && pcm == nullptr) || (capacity != 0 && payload == nullptr)) return IVRM_ERR_NULL;
  size_t w = 0;
  const ivrm_status s =
      to_c(e->enc->encode(std::span<const T>(pcm, n), std::span<uint8_t>(payload, capacity), &w));
  if (s == IVRM_OK) *written = w;
  return s;
}

template <typename T>
ivrm_status decode(ivrm_decoder* d, const uint8_t* payload, size_t size, T* pcm, size_t capacity,
                   size_t* samples_per_channel) noexcept {
  if (samples_per_channel != nullptr) *samples_per_channel = 0;
  if (d == nullptr || samples_per_channel == nullptr) return IVRM_ERR_NULL;
  if ((size != 0 && payload == nullptr) || (capacity != 0 && pcm == nullptr)) return IVRM_ERR_NULL;
  size_t n = 0;
  const ivrm_status s = to_c(
      d->dec->decode(std::span<const uint8_t>(payload, size), std::span<T>(pcm, capacity), &n));
  if (s == IVRM_OK) *samples_per_channel = n;
  return s;
}

template <typename T>
ivrm_status conceal(ivrm_decoder* d, T* pcm, size_t n) noexcept {
  if (d == nullptr || (n != 0 && pcm == nullptr)) return IVRM_ERR_NULL;
  return to_c(d->dec->conceal(std::span<T>(pcm, n)));
}

template <typename T>
ivrm_status decode_fec(ivrm_decoder* d, const uint8_t* next, size_t size, T* pcm,
                       size_t n) noexcept {
  if (d == nullptr || (n != 0 && pcm == nullptr) || (size != 0 && next == nullptr)) {
    return IVRM_ERR_NULL;
  }
  return to_c(d->dec->decode_fec(std::span<const uint8_t>(next, size), std::span<T>(pcm, n)));
}

}  // namespace

extern "C" {

ivrm_status ivrm_codec_static_payload(int payload_type, const char** name, int32_t* clock_rate_hz,
                                      int32_t* channels) {
  if (name != nullptr) *name = nullptr;
  if (clock_rate_hz != nullptr) *clock_rate_hz = 0;
  if (channels != nullptr) *channels = 0;
  return guarded([&] {
    codec::Format f;
    if (!codec::Registry::static_format(payload_type, &f)) return IVRM_ERR_UNSUPPORTED;
    // The C++ Format holds a std::string; hand out the static canonical spelling instead.
    const char* canonical = nullptr;
    for (const char* known : {"PCMU", "PCMA", "L16", "G722", "opus"}) {
      if (f.name == known) canonical = known;
    }
    if (canonical == nullptr) return IVRM_ERR_INTERNAL;
    if (name != nullptr) *name = canonical;
    if (clock_rate_hz != nullptr) *clock_rate_hz = f.clock_rate_hz;
    if (channels != nullptr) *channels = f.channels;
    return IVRM_OK;
  });
}

// ---- encoder -----------------------------------------------------------------------------

ivrm_status ivrm_encoder_config_init_sized(ivrm_encoder_config* cfg, size_t size) {
  const codec::EncoderConfig d;
  ivrm_encoder_config c{};  // this version's defaults
  c.payload_name = nullptr;
  c.clock_rate_hz = d.format.clock_rate_hz;
  c.format_channels = d.format.channels;
  c.sample_rate_hz = d.sample_rate_hz;
  c.channels = d.channels;
  c.ptime_ms = d.ptime_ms;
  c.opus_bitrate_bps = d.opus.bitrate_bps;
  c.opus_complexity = d.opus.complexity;
  c.opus_vbr = d.opus.vbr ? 1 : 0;
  c.opus_inband_fec = d.opus.inband_fec ? 1 : 0;
  c.opus_expected_loss_percent = d.opus.expected_loss_percent;
  c.opus_dtx = d.opus.dtx ? 1 : 0;
  c.opus_application = static_cast<int32_t>(d.opus.application);
  c.opus_max_bandwidth = static_cast<int32_t>(d.opus.max_bandwidth);
  c.reserved = 0;
  return ivrmedia::capi::init_config(cfg, size, ivrmedia::capi::kEncoderConfigV1, c);
}

ivrm_status ivrm_encoder_create(const ivrm_encoder_config* cfg, ivrm_encoder** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  return guarded([&] {
    codec::EncoderConfig c;
    if (const ivrm_status s = to_cxx(cfg, c); s != IVRM_OK) return s;
    auto handle = std::make_unique<ivrm_encoder>();
    handle->enc = codec::make_encoder(c);
    *out = handle.release();
    return IVRM_OK;
  });
}

void ivrm_encoder_destroy(ivrm_encoder* e) {
  delete e;
}

ivrm_status ivrm_encoder_reset(ivrm_encoder* e) {
  if (e == nullptr) return IVRM_ERR_NULL;
  e->enc->reset();
  return IVRM_OK;
}

ivrm_status ivrm_encoder_info(const ivrm_encoder* e, ivrm_codec_info* info) {
  if (e == nullptr) return IVRM_ERR_NULL;
  return fill_info(e->enc->info(), info);
}

ivrm_status ivrm_encoder_encode(ivrm_encoder* e, const int16_t* pcm, size_t n_samples_total,
                                uint8_t* payload, size_t capacity, size_t* written) {
  return encode(e, pcm, n_samples_total, payload, capacity, written);
}

ivrm_status ivrm_encoder_encode_float(ivrm_encoder* e, const float* pcm, size_t n_samples_total,
                                      uint8_t* payload, size_t capacity, size_t* written) {
  return encode(e, pcm, n_samples_total, payload, capacity, written);
}

// ---- decoder -----------------------------------------------------------------------------

ivrm_status ivrm_decoder_config_init_sized(ivrm_decoder_config* cfg, size_t size) {
  const codec::DecoderConfig d;
  ivrm_decoder_config c{};  // this version's defaults
  c.payload_name = nullptr;
  c.clock_rate_hz = d.format.clock_rate_hz;
  c.format_channels = d.format.channels;
  c.sample_rate_hz = d.sample_rate_hz;
  c.channels = d.channels;
  c.max_packet_ms = d.max_packet_ms;
  c.reserved = 0;
  return ivrmedia::capi::init_config(cfg, size, ivrmedia::capi::kDecoderConfigV1, c);
}

ivrm_status ivrm_decoder_create(const ivrm_decoder_config* cfg, ivrm_decoder** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  return guarded([&] {
    codec::DecoderConfig c;
    if (const ivrm_status s = to_cxx(cfg, c); s != IVRM_OK) return s;
    auto handle = std::make_unique<ivrm_decoder>();
    handle->dec = codec::make_decoder(c);
    *out = handle.release();
    return IVRM_OK;
  });
}

void ivrm_decoder_destroy(ivrm_decoder* d) {
  delete d;
}

ivrm_status ivrm_decoder_reset(ivrm_decoder* d) {
  if (d == nullptr) return IVRM_ERR_NULL;
  d->dec->reset();
  return IVRM_OK;
}

ivrm_status ivrm_decoder_info(const ivrm_decoder* d, ivrm_codec_info* info) {
  if (d == nullptr) return IVRM_ERR_NULL;
  return fill_info(d->dec->info(), info);
}

ivrm_status ivrm_decoder_samples(const ivrm_decoder* d, const uint8_t* payload, size_t size,
                                 size_t* samples_per_channel) {
  if (samples_per_channel != nullptr) *samples_per_channel = 0;
  if (d == nullptr || samples_per_channel == nullptr || (size != 0 && payload == nullptr)) {
    return IVRM_ERR_NULL;
  }
  size_t n = 0;
  const ivrm_status s = to_c(d->dec->samples_in(std::span<const uint8_t>(payload, size), &n));
  if (s == IVRM_OK) *samples_per_channel = n;
  return s;
}

ivrm_status ivrm_decoder_decode(ivrm_decoder* d, const uint8_t* payload, size_t size, int16_t* pcm,
                                size_t capacity_samples_total, size_t* samples_per_channel) {
  return decode(d, payload, size, pcm, capacity_samples_total, samples_per_channel);
}

ivrm_status ivrm_decoder_decode_float(ivrm_decoder* d, const uint8_t* payload, size_t size,
                                      float* pcm, size_t capacity_samples_total,
                                      size_t* samples_per_channel) {
  return decode(d, payload, size, pcm, capacity_samples_total, samples_per_channel);
}

ivrm_status ivrm_decoder_conceal(ivrm_decoder* d, int16_t* pcm, size_t n_samples_total) {
  return conceal(d, pcm, n_samples_total);
}

ivrm_status ivrm_decoder_conceal_float(ivrm_decoder* d, float* pcm, size_t n_samples_total) {
  return conceal(d, pcm, n_samples_total);
}

ivrm_status ivrm_decoder_decode_fec(ivrm_decoder* d, const uint8_t* next_payload, size_t size,
                                    int16_t* pcm, size_t n_samples_total) {
  return decode_fec(d, next_payload, size, pcm, n_samples_total);
}

ivrm_status ivrm_decoder_decode_fec_float(ivrm_decoder* d, const uint8_t* next_payload, size_t size,
                                          float* pcm, size_t n_samples_total) {
  return decode_fec(d, next_payload, size, pcm, n_samples_total);
}

ivrm_status ivrm_decoder_has_fec(const ivrm_decoder* d, int* has_fec) {
  if (has_fec != nullptr) *has_fec = 0;
  if (d == nullptr || has_fec == nullptr) return IVRM_ERR_NULL;
  *has_fec = d->dec->has_fec() ? 1 : 0;
  return IVRM_OK;
}

}  // extern "C"
