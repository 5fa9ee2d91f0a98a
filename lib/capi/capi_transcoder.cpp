// C API: transcoder handle over ivrmedia::codec::Transcoder. A thin layer: the config (with its
// two embedded codec configs) is translated and checked, processing calls check their pointers
// and forward to the C++ object, whose own checks (room, malformed payloads, gap sizes) give
// the status. The coders allocate their own state (libopus), so there is no create_in.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "capi/capi_codec.hpp"
#include "capi/capi_support.hpp"
#include "ivrmedia/transcoder.hpp"

using ivrmedia::capi::to_c;
namespace codec = ivrmedia::codec;

struct ivrm_transcoder {
  explicit ivrm_transcoder(const codec::Transcoder::Config& c) : t(c) {}
  codec::Transcoder t;
};

namespace {

// Version 1 of the config. The embedded codec configs have their own struct_size, and the
// library finds what follows each from it (see the header), so the layout is walked rather than
// read as one struct: input at its fixed offset, output right after input's struct_size bytes,
// then the outer struct's own fields (`Tail`). The asserts check that this walk gives exactly
// the compiler's layout of this version.
constexpr std::size_t kConfigV1 = sizeof(ivrm_transcoder_config);
constexpr std::size_t kInputOffset = offsetof(ivrm_transcoder_config, input);
struct TailV1 {
  int32_t quality;
  int32_t reserved;
};
static_assert(offsetof(ivrm_transcoder_config, output) ==
              kInputOffset + sizeof(ivrm_decoder_config));
static_assert(offsetof(ivrm_transcoder_config, quality) ==
              offsetof(ivrm_transcoder_config, output) + sizeof(ivrm_encoder_config));
static_assert(offsetof(ivrm_transcoder_config, reserved) ==
              offsetof(ivrm_transcoder_config, quality) + offsetof(TailV1, reserved));
static_assert(kConfigV1 == offsetof(ivrm_transcoder_config, quality) + sizeof(TailV1));
// Codec configs of any version are whole multiples of their alignment (they end without tail
// padding), so the next part starts right after them.
static_assert(sizeof(ivrm_decoder_config) % alignof(ivrm_encoder_config) == 0);
static_assert(sizeof(ivrm_encoder_config) % alignof(TailV1) == 0);

constexpr std::size_t kStatsV1 = sizeof(ivrm_transcoder_stats);
static_assert(kStatsV1 == offsetof(ivrm_transcoder_stats, malformed) + sizeof(int64_t));

uint32_t size_at(const unsigned char* base, std::size_t offset) noexcept {
  uint32_t v = 0;
  std::memcpy(&v, base + offset, sizeof v);
  return v;
}

// Throws std::bad_alloc only (payload names are copied into std::strings).
ivrm_status to_cxx(const ivrm_transcoder_config* cfg, codec::Transcoder::Config& out) {
  if (cfg == nullptr) return IVRM_ERR_NULL;
  const std::size_t total = cfg->struct_size;
  if (total < kConfigV1) return IVRM_ERR_CONFIG;
  const auto* base = reinterpret_cast<const unsigned char*>(cfg);
  // Each embedded config must be at least its first version and lie inside the outer struct.
  const std::size_t in_size = cfg->input.struct_size;
  if (in_size < ivrmedia::capi::kDecoderConfigV1 || in_size % alignof(ivrm_encoder_config) != 0 ||
      in_size > total - kInputOffset - ivrmedia::capi::kEncoderConfigV1 - sizeof(TailV1)) {
    return IVRM_ERR_CONFIG;
  }
  const std::size_t out_offset = kInputOffset + in_size;
  const std::size_t out_size = size_at(base, out_offset);
  if (out_size < ivrmedia::capi::kEncoderConfigV1 || out_size % alignof(TailV1) != 0 ||
      out_size > total - out_offset - sizeof(TailV1)) {
    return IVRM_ERR_CONFIG;
  }
  const std::size_t tail_offset = out_offset + out_size;
  // Outer fields of a newer version: accepted when left at zero, as read_config does.
  for (std::size_t i = tail_offset + sizeof(TailV1); i < total; ++i) {
    if (base[i] != 0) return IVRM_ERR_UNSUPPORTED;
  }
  TailV1 tail;
  std::memcpy(&tail, base + tail_offset, sizeof tail);
  if (tail.reserved != 0) return IVRM_ERR_UNSUPPORTED;
  if (tail.quality < IVRM_RESAMPLE_FAST || tail.quality > IVRM_RESAMPLE_HIGH) {
    return IVRM_ERR_INVALID;
  }
  out.quality = static_cast<ivrmedia::resample::Quality>(tail.quality);
  if (const ivrm_status s = ivrmedia::capi::to_cxx(&cfg->input, out.input); s != IVRM_OK) {
    return s;
  }
  // The pointer is aligned (out_offset is a multiple of the struct's alignment) and points at
  // the embedded encoder config of the host's layout.
  return ivrmedia::capi::to_cxx(reinterpret_cast<const ivrm_encoder_config*>(base + out_offset),
                                out.output);
}

}  // namespace

extern "C" {

ivrm_status ivrm_transcoder_config_init_sized(ivrm_transcoder_config* cfg, size_t size,
                                              size_t input_size, size_t output_size) {
  if (cfg == nullptr) return IVRM_ERR_NULL;
  // The host's layout, as to_cxx walks it: input at its fixed offset, output right after
  // input_size bytes, then the outer fields; anything beyond them (a newer header) is zeroed.
  if (size < kConfigV1 || size > ivrmedia::capi::kMaxStructSize ||
      input_size < ivrmedia::capi::kDecoderConfigV1 ||
      input_size % alignof(ivrm_encoder_config) != 0 ||
      output_size < ivrmedia::capi::kEncoderConfigV1 || output_size % alignof(TailV1) != 0 ||
      kInputOffset + input_size + output_size + sizeof(TailV1) > size) {
    return IVRM_ERR_CONFIG;
  }
  auto* base = reinterpret_cast<unsigned char*>(cfg);
  std::memset(base, 0, size);
  cfg->struct_size = static_cast<uint32_t>(size);
  (void)ivrm_decoder_config_init_sized(&cfg->input, input_size);
  const std::size_t out_offset = kInputOffset + input_size;
  (void)ivrm_encoder_config_init_sized(reinterpret_cast<ivrm_encoder_config*>(base + out_offset),
                                       output_size);
  const TailV1 tail{static_cast<int32_t>(codec::Transcoder::Config{}.quality), 0};
  std::memcpy(base + out_offset + output_size, &tail, sizeof tail);
  return IVRM_OK;
}

ivrm_status ivrm_transcoder_create(const ivrm_transcoder_config* cfg, ivrm_transcoder** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  return ivrmedia::capi::guarded([&] {
    codec::Transcoder::Config c;
    if (const ivrm_status s = to_cxx(cfg, c); s != IVRM_OK) return s;
    *out = new ivrm_transcoder(c);
    return IVRM_OK;
  });
}

void ivrm_transcoder_destroy(ivrm_transcoder* t) {
  delete t;
}

ivrm_status ivrm_transcoder_reset(ivrm_transcoder* t) {
  if (t == nullptr) return IVRM_ERR_NULL;
  t->t.reset();
  return IVRM_OK;
}

ivrm_status ivrm_transcoder_push(ivrm_transcoder* t, const uint8_t* payload, size_t size) {
  if (t == nullptr || (size != 0 && payload == nullptr)) return IVRM_ERR_NULL;
  return to_c(t->t.push(std::span<const uint8_t>(payload, size)));
}

ivrm_status ivrm_transcoder_push_loss(ivrm_transcoder* t, int64_t rtp_units) {
  if (t == nullptr) return IVRM_ERR_NULL;
  return to_c(t->t.push_loss(rtp_units));
}

ivrm_status ivrm_transcoder_push_fec(ivrm_transcoder* t, const uint8_t* next_payload, size_t size,
                                     int64_t rtp_units) {
  if (t == nullptr || (size != 0 && next_payload == nullptr)) return IVRM_ERR_NULL;
  return to_c(t->t.push_fec(std::span<const uint8_t>(next_payload, size), rtp_units));
}

ivrm_status ivrm_transcoder_pull(ivrm_transcoder* t, uint8_t* payload, size_t capacity,
                                 size_t* written) {
  if (written != nullptr) *written = 0;
  if (t == nullptr || written == nullptr || (capacity != 0 && payload == nullptr)) {
    return IVRM_ERR_NULL;
  }
  size_t w = 0;
  const ivrm_status s = to_c(t->t.pull(std::span<uint8_t>(payload, capacity), &w));
  if (s == IVRM_OK) *written = w;
  return s;
}

ivrm_status ivrm_transcoder_frames_ready(const ivrm_transcoder* t, size_t* frames) {
  if (frames != nullptr) *frames = 0;
  if (t == nullptr || frames == nullptr) return IVRM_ERR_NULL;
  *frames = t->t.frames_ready();
  return IVRM_OK;
}

ivrm_status ivrm_transcoder_input_info(const ivrm_transcoder* t, ivrm_codec_info* info) {
  if (t == nullptr) return IVRM_ERR_NULL;
  return ivrmedia::capi::fill_info(t->t.input_info(), info);
}

ivrm_status ivrm_transcoder_output_info(const ivrm_transcoder* t, ivrm_codec_info* info) {
  if (t == nullptr) return IVRM_ERR_NULL;
  return ivrmedia::capi::fill_info(t->t.output_info(), info);
}

ivrm_status ivrm_transcoder_latency(const ivrm_transcoder* t, double* samples) {
  if (samples != nullptr) *samples = 0.0;
  if (t == nullptr || samples == nullptr) return IVRM_ERR_NULL;
  *samples = t->t.latency_samples();
  return IVRM_OK;
}

ivrm_status ivrm_transcoder_get_stats(const ivrm_transcoder* t, ivrm_transcoder_stats* stats) {
  if (t == nullptr || stats == nullptr) return IVRM_ERR_NULL;
  if (stats->struct_size < kStatsV1) return IVRM_ERR_CONFIG;
  const codec::Transcoder::Stats& s = t->t.stats();
  stats->decoded_samples = s.decoded_samples;
  stats->concealed_samples = s.concealed_samples;
  stats->resampled_samples = s.resampled_samples;
  stats->output_samples = s.output_samples;
  stats->packets_in = s.packets_in;
  stats->packets_out = s.packets_out;
  stats->malformed = s.malformed;
  return IVRM_OK;
}

}  // extern "C"
