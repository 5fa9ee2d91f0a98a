// C API: jitter buffer handle over ivrmedia::jitter::Buffer. A thin layer: the config (with its
// payload-type bindings) is translated and checked for what only C can get wrong (struct sizes,
// enum and flag values, NULL names); every range and collision rule is the C++ constructor's.
// Processing calls check their pointers and forward; statistics, usage and frame info are
// copied into growable output structs. The buffer allocates its packet slots and decoders, so
// there is no create_in.
#include <cstddef>
#include <cstdint>
#include <span>

#include "capi/capi_rtp.hpp"
#include "capi/capi_support.hpp"
#include "ivrmedia/jitter.hpp"

using ivrmedia::capi::to_c;
namespace jitter = ivrmedia::jitter;

struct ivrm_jitter {
  explicit ivrm_jitter(const jitter::Config& c) : b(c) {}
  jitter::Buffer b;
};

// The C enums are the C++ ones.
static_assert(IVRM_JITTER_ADAPTIVE == static_cast<int>(jitter::DelayMode::adaptive));
static_assert(IVRM_JITTER_FIXED == static_cast<int>(jitter::DelayMode::fixed));
static_assert(IVRM_JITTER_FRAME_NORMAL == static_cast<int>(jitter::FrameKind::normal));
static_assert(IVRM_JITTER_FRAME_CONCEALED == static_cast<int>(jitter::FrameKind::concealed));
static_assert(IVRM_JITTER_FRAME_ACCELERATED == static_cast<int>(jitter::FrameKind::accelerated));
static_assert(IVRM_JITTER_FRAME_EXPANDED == static_cast<int>(jitter::FrameKind::expanded));
static_assert(IVRM_JITTER_FRAME_MERGED == static_cast<int>(jitter::FrameKind::merged));
static_assert(IVRM_JITTER_FRAME_CNG == static_cast<int>(jitter::FrameKind::cng));
static_assert(IVRM_JITTER_FRAME_KINDS ==
              sizeof(jitter::Statistics::frames_by_kind) / sizeof(std::int64_t));

namespace {

// Version 1 of each struct; later versions only append. None has tail padding, so a field
// appended later lies beyond this version's size (where read_config checks it is zero).
constexpr std::size_t kConfigV1 = sizeof(ivrm_jitter_config);
constexpr std::size_t kFrameInfoV1 = sizeof(ivrm_jitter_frame_info);
constexpr std::size_t kStatsV1 = sizeof(ivrm_jitter_stats);
constexpr std::size_t kUsageV1 = sizeof(ivrm_jitter_usage);
static_assert(kConfigV1 == offsetof(ivrm_jitter_config, payloads) + sizeof(ivrm_jitter_payload[8]));
static_assert(offsetof(ivrm_jitter_config, delay_quantile) ==
              offsetof(ivrm_jitter_config, payload_count) + sizeof(uint32_t));
static_assert(sizeof(ivrm_jitter_payload) ==
              offsetof(ivrm_jitter_payload, reserved) + sizeof(int32_t));
static_assert(kFrameInfoV1 == offsetof(ivrm_jitter_frame_info, target_delay_ms) + 4);
static_assert(kStatsV1 ==
              offsetof(ivrm_jitter_stats, frames_by_kind) + 8 * IVRM_JITTER_FRAME_KINDS);
static_assert(offsetof(ivrm_jitter_stats, received) ==
              offsetof(ivrm_jitter_stats, interarrival_jitter_units) + 4);
static_assert(kUsageV1 == offsetof(ivrm_jitter_usage, reserved) + 4);

bool is_flag(int32_t v) noexcept {
  return v == 0 || v == 1;
}

// Throws std::bad_alloc only (payload names are copied into std::strings).
ivrm_status to_cxx(const ivrm_jitter_config* cfg, jitter::Config& out) {
  ivrm_jitter_config c;
  ivrm_jitter_config_init(&c);
  if (const ivrm_status s = ivrmedia::capi::read_config(cfg, kConfigV1, c); s != IVRM_OK) {
    return s;
  }
  if (c.delay_mode != IVRM_JITTER_ADAPTIVE && c.delay_mode != IVRM_JITTER_FIXED) {
    return IVRM_ERR_INVALID;
  }
  if (!is_flag(c.time_stretch)) return IVRM_ERR_INVALID;
  if (c.payload_count < 1 || c.payload_count > IVRM_JITTER_MAX_PAYLOADS) return IVRM_ERR_CONFIG;
  out.payloads.clear();
  for (uint32_t i = 0; i < c.payload_count; ++i) {
    const ivrm_jitter_payload& p = c.payloads[i];
    if (p.payload_name == nullptr) return IVRM_ERR_NULL;
    if (p.reserved != 0) return IVRM_ERR_UNSUPPORTED;
    out.payloads.push_back({p.payload_type, {p.payload_name, p.clock_rate_hz, p.channels}});
  }
  out.sample_rate_hz = c.sample_rate_hz;
  out.frame_ms = c.frame_ms;
  out.telephone_event_payload_type = c.telephone_event_payload_type;
  out.telephone_event_clock_hz = c.telephone_event_clock_hz;
  out.comfort_noise_payload_type = c.comfort_noise_payload_type;
  out.event_end_timeout_ms = c.event_end_timeout_ms;
  out.mode = static_cast<jitter::DelayMode>(c.delay_mode);
  out.fixed_delay_ms = c.fixed_delay_ms;
  out.min_delay_ms = c.min_delay_ms;
  out.max_delay_ms = c.max_delay_ms;
  out.delay_quantile = c.delay_quantile;
  out.forget_factor = c.forget_factor;
  out.time_stretch = c.time_stretch == 1;
  out.network_delay_ms = c.network_delay_ms;
  out.packet_capacity = c.packet_capacity;
  out.max_payload_bytes = c.max_payload_bytes;
  out.max_packet_ms = c.max_packet_ms;
  out.sequence.probation = c.sequence_probation;
  out.sequence.max_dropout = c.sequence_max_dropout;
  out.sequence.max_misorder = c.sequence_max_misorder;
  return IVRM_OK;
}

template <typename T>
ivrm_status pull(ivrm_jitter* j, T* out, size_t n, int64_t now_us,
                 ivrm_jitter_frame_info* info) noexcept {
  if (j == nullptr || (n != 0 && out == nullptr)) return IVRM_ERR_NULL;
  if (info != nullptr && info->struct_size < kFrameInfoV1) return IVRM_ERR_CONFIG;
  // The C++ pull says the same; checked first so no span claims memory the caller lacks.
  if (n != j->b.frame_samples()) return IVRM_ERR_INVALID;
  jitter::FrameInfo fi;
  const ivrm_status s = to_c(j->b.pull(std::span<T>(out, n), now_us, &fi));
  if (s != IVRM_OK || info == nullptr) return s;
  ivrm_jitter_frame_info c{};
  c.kind = static_cast<int32_t>(fi.kind);
  c.has_timestamp = fi.has_timestamp ? 1 : 0;
  c.rtp_timestamp = fi.rtp_timestamp;
  c.delay_ms = fi.delay_ms;
  c.target_delay_ms = fi.target_delay_ms;
  return ivrmedia::capi::write_output(c, info, kFrameInfoV1);
}

}  // namespace

extern "C" {

ivrm_status ivrm_jitter_config_init_sized(ivrm_jitter_config* cfg, size_t size) {
  const jitter::Config d;
  ivrm_jitter_config c{};  // this version's defaults
  c.sample_rate_hz = d.sample_rate_hz;
  c.frame_ms = d.frame_ms;
  c.telephone_event_payload_type = d.telephone_event_payload_type;
  c.telephone_event_clock_hz = d.telephone_event_clock_hz;
  c.comfort_noise_payload_type = d.comfort_noise_payload_type;
  c.event_end_timeout_ms = d.event_end_timeout_ms;
  c.delay_mode = static_cast<int32_t>(d.mode);
  c.fixed_delay_ms = d.fixed_delay_ms;
  c.min_delay_ms = d.min_delay_ms;
  c.max_delay_ms = d.max_delay_ms;
  c.time_stretch = d.time_stretch ? 1 : 0;
  c.network_delay_ms = d.network_delay_ms;
  c.max_packet_ms = d.max_packet_ms;
  c.packet_capacity = static_cast<uint32_t>(d.packet_capacity);
  c.max_payload_bytes = static_cast<uint32_t>(d.max_payload_bytes);
  c.sequence_probation = d.sequence.probation;
  c.sequence_max_dropout = d.sequence.max_dropout;
  c.sequence_max_misorder = d.sequence.max_misorder;
  c.delay_quantile = d.delay_quantile;
  c.forget_factor = d.forget_factor;
  // The C++ defaults name their formats in std::strings; the C config points at static names
  // of the same bindings (PCMU 0, PCMA 8).
  static_assert(IVRM_JITTER_MAX_PAYLOADS >= 2);
  c.payload_count = 2;
  c.payloads[0] = {"PCMU", 0, 8000, 1, 0};
  c.payloads[1] = {"PCMA", 8, 8000, 1, 0};
  return ivrmedia::capi::init_config(cfg, size, kConfigV1, c);
}

ivrm_status ivrm_jitter_create(const ivrm_jitter_config* cfg, ivrm_jitter** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  return ivrmedia::capi::guarded([&] {
    jitter::Config c;
    if (const ivrm_status s = to_cxx(cfg, c); s != IVRM_OK) return s;
    *out = new ivrm_jitter(c);
    return IVRM_OK;
  });
}

void ivrm_jitter_destroy(ivrm_jitter* j) {
  delete j;
}

ivrm_status ivrm_jitter_reset(ivrm_jitter* j) {
  if (j == nullptr) return IVRM_ERR_NULL;
  j->b.reset();
  return IVRM_OK;
}

ivrm_status ivrm_jitter_push(ivrm_jitter* j, const uint8_t* datagram, size_t size,
                             int64_t arrival_us) {
  if (j == nullptr || (size != 0 && datagram == nullptr)) return IVRM_ERR_NULL;
  return to_c(j->b.push(std::span<const uint8_t>(datagram, size), arrival_us));
}

ivrm_status ivrm_jitter_pull(ivrm_jitter* j, int16_t* out, size_t n, int64_t now_us,
                             ivrm_jitter_frame_info* info) {
  return pull(j, out, n, now_us, info);
}

ivrm_status ivrm_jitter_pull_float(ivrm_jitter* j, float* out, size_t n, int64_t now_us,
                                   ivrm_jitter_frame_info* info) {
  return pull(j, out, n, now_us, info);
}

ivrm_status ivrm_jitter_read_events(ivrm_jitter* j, ivrm_rtp_event* events, size_t capacity,
                                    size_t* count) {
  if (j == nullptr) {
    if (count != nullptr) *count = 0;
    return IVRM_ERR_NULL;
  }
  return ivrmedia::capi::read_events(
      [j](std::span<ivrmedia::rtp::TelephoneEvent> out) { return j->b.read_events(out); }, events,
      capacity, count);
}

ivrm_status ivrm_jitter_get_stats(const ivrm_jitter* j, ivrm_jitter_stats* stats) {
  if (j == nullptr || stats == nullptr) return IVRM_ERR_NULL;
  const jitter::Statistics in = j->b.statistics();
  ivrm_jitter_stats s{};
  s.current_delay_ms = in.current_delay_ms;
  s.target_delay_ms = in.target_delay_ms;
  s.interarrival_jitter_units = in.interarrival_jitter_units;
  s.received = in.received;
  s.lost = in.lost;
  s.late = in.late;
  s.duplicates = in.duplicates;
  s.reordered = in.reordered;
  s.overflow = in.overflow;
  s.oversized = in.oversized;
  s.malformed = in.malformed;
  s.unknown_payload = in.unknown_payload;
  s.bad_sequence = in.bad_sequence;
  s.event_packets = in.event_packets;
  s.comfort_noise_packets = in.comfort_noise_packets;
  s.restarts = in.restarts;
  s.buffered_packets = in.buffered_packets;
  s.loss_rate = in.loss_rate;
  s.discard_rate = in.discard_rate;
  s.interarrival_jitter_ms = in.interarrival_jitter_ms;
  s.burst_density = in.burst_density;
  s.gap_density = in.gap_density;
  s.burst_duration_ms = in.burst_duration_ms;
  s.gap_duration_ms = in.gap_duration_ms;
  s.burst_ratio = in.burst_ratio;
  s.r_factor = in.r_factor;
  s.mos = in.mos;
  s.wideband_rating = in.wideband_rating ? 1 : 0;
  s.samples_played = in.samples_played;
  s.samples_concealed = in.samples_concealed;
  s.samples_fec = in.samples_fec;
  s.samples_accelerated = in.samples_accelerated;
  s.samples_expanded = in.samples_expanded;
  s.samples_cng = in.samples_cng;
  s.frames = in.frames;
  for (int k = 0; k < IVRM_JITTER_FRAME_KINDS; ++k)
    s.frames_by_kind[k] = in.frames_by_kind[k];
  return ivrmedia::capi::write_output(s, stats, kStatsV1);
}

ivrm_status ivrm_jitter_get_usage(const ivrm_jitter* j, ivrm_jitter_usage* usage) {
  if (j == nullptr || usage == nullptr) return IVRM_ERR_NULL;
  const jitter::Usage in = j->b.usage();
  ivrm_jitter_usage u{};
  u.sample_rate_hz = in.sample_rate_hz;
  u.packets = in.packets;
  u.bytes = in.bytes;
  u.audio_packets = in.audio_packets;
  u.media_samples_received = in.media_samples_received;
  u.samples_played = in.samples_played;
  u.first_packet_us = in.first_packet_us;
  u.last_packet_us = in.last_packet_us;
  u.any_packet = in.any_packet ? 1 : 0;
  return ivrmedia::capi::write_output(u, usage, kUsageV1);
}

ivrm_status ivrm_jitter_frame_samples(const ivrm_jitter* j, size_t* samples) {
  if (samples != nullptr) *samples = 0;
  if (j == nullptr || samples == nullptr) return IVRM_ERR_NULL;
  *samples = j->b.frame_samples();
  return IVRM_OK;
}

const char* ivrm_jitter_frame_kind_name(int kind) {
  return jitter::describe(static_cast<jitter::FrameKind>(kind));
}

}  // extern "C"
