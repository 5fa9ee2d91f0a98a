// C API: RTP packets (parse, RFC 8285 lookup), the packet builder and RFC 4733 telephone-event
// sender and receiver, over ivrmedia::rtp. A thin layer: configs are translated and checked,
// calls check their pointers and forward to the C++ objects, whose own checks give the status.
// The builder and the sender hold a fixed few bytes, so they can be placed with create_in; the
// receiver allocates its event queue, so it cannot.
#include "capi/capi_rtp.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "capi/capi_support.hpp"
#include "ivrmedia/rtp.hpp"
#include "ivrmedia/telephone_event.hpp"

using ivrmedia::capi::to_c;
namespace rtp = ivrmedia::rtp;

struct ivrm_rtp_builder {
  explicit ivrm_rtp_builder(const rtp::Builder::Config& c) : b(c) {}
  rtp::Builder b;
  bool owns_memory = false;
};

struct ivrm_rtp_event_sender {
  explicit ivrm_rtp_event_sender(const rtp::TelephoneEventSender::Config& c) : s(c) {}
  rtp::TelephoneEventSender s;
  bool owns_memory = false;
};

struct ivrm_rtp_event_receiver {
  explicit ivrm_rtp_event_receiver(const rtp::TelephoneEventReceiver::Config& c) : r(c) {}
  rtp::TelephoneEventReceiver r;
};

// The C enums are the C++ ones.
static_assert(IVRM_RTP_PARSE_OK == static_cast<int>(rtp::ParseError::none));
static_assert(IVRM_RTP_TOO_SHORT == static_cast<int>(rtp::ParseError::too_short));
static_assert(IVRM_RTP_BAD_VERSION == static_cast<int>(rtp::ParseError::bad_version));
static_assert(IVRM_RTP_CSRC_OVERRUN == static_cast<int>(rtp::ParseError::csrc_overrun));
static_assert(IVRM_RTP_EXTENSION_OVERRUN == static_cast<int>(rtp::ParseError::extension_overrun));
static_assert(IVRM_RTP_BAD_PADDING == static_cast<int>(rtp::ParseError::bad_padding));
static_assert(IVRM_RTP_BAD_EXTENSION_ELEMENT ==
              static_cast<int>(rtp::ParseError::bad_extension_element));
static_assert(rtp::kParseErrorCount == 7);
static_assert(IVRM_RTP_EVENT_BEGIN == static_cast<int>(rtp::TelephoneEvent::Phase::begin));
static_assert(IVRM_RTP_EVENT_END == static_cast<int>(rtp::TelephoneEvent::Phase::end));
static_assert(IVRM_RTP_EVENT_CAUSE_NONE == static_cast<int>(rtp::TelephoneEvent::EndCause::none));
static_assert(IVRM_RTP_EVENT_CAUSE_END_BIT ==
              static_cast<int>(rtp::TelephoneEvent::EndCause::end_bit));
static_assert(IVRM_RTP_EVENT_CAUSE_TIMEOUT ==
              static_cast<int>(rtp::TelephoneEvent::EndCause::timeout));
static_assert(IVRM_RTP_EVENT_CAUSE_NEW_EVENT ==
              static_cast<int>(rtp::TelephoneEvent::EndCause::new_event));
static_assert(IVRM_RTP_EVENT_CAUSE_FLUSHED ==
              static_cast<int>(rtp::TelephoneEvent::EndCause::flushed));
static_assert(IVRM_RTP_MAX_EXTENSIONS >= 14, "room for every one-byte-form ID");

namespace {

// Version 1 of each struct; later versions only append. No struct has tail padding (a field
// appended later must lie beyond the old sizeof, where read_config sees it).
constexpr std::size_t kBuilderConfigV1 = sizeof(ivrm_rtp_builder_config);
constexpr std::size_t kBuilderStatsV1 = sizeof(ivrm_rtp_builder_stats);
constexpr std::size_t kReceiverConfigV1 = sizeof(ivrm_rtp_event_receiver_config);
constexpr std::size_t kReceiverStatsV1 = sizeof(ivrm_rtp_event_receiver_stats);
constexpr std::size_t kSenderConfigV1 = sizeof(ivrm_rtp_event_sender_config);
static_assert(ivrmedia::capi::kRtpPacketV1 ==
              offsetof(ivrm_rtp_packet, payload_offset) + sizeof(size_t));
static_assert(offsetof(ivrm_rtp_packet, csrcs) ==
              offsetof(ivrm_rtp_packet, padding_bytes) + sizeof(uint32_t));
static_assert(kBuilderConfigV1 == offsetof(ivrm_rtp_builder_config, first_timestamp) + 4);
static_assert(kBuilderStatsV1 == offsetof(ivrm_rtp_builder_stats, payload_octets) + 8);
static_assert(kReceiverConfigV1 == offsetof(ivrm_rtp_event_receiver_config, queue_capacity) + 4);
static_assert(kReceiverStatsV1 == offsetof(ivrm_rtp_event_receiver_stats, overflowed) + 8);
static_assert(kSenderConfigV1 == offsetof(ivrm_rtp_event_sender_config, end_repeats) + 4);

bool is_flag(int v) noexcept {
  return v == 0 || v == 1;
}

ivrm_status to_cxx(const ivrm_rtp_builder_config* cfg, rtp::Builder::Config& out) noexcept {
  ivrm_rtp_builder_config c;
  ivrm_rtp_builder_config_init(&c);
  if (const ivrm_status s = ivrmedia::capi::read_config(cfg, kBuilderConfigV1, c); s != IVRM_OK) {
    return s;
  }
  if (c.first_sequence > 0xFFFF) return IVRM_ERR_CONFIG;
  out.payload_type = c.payload_type;
  out.clock_rate_hz = c.clock_rate_hz;
  out.ssrc = c.ssrc;
  out.first_sequence = static_cast<uint16_t>(c.first_sequence);
  out.first_timestamp = c.first_timestamp;
  // The C++ constructor checks the payload type and clock rate (bad_config).
  return ivrmedia::capi::guarded([&] {
    const rtp::Builder probe(out);
    (void)probe;
    return IVRM_OK;
  });
}

ivrm_status to_cxx(const ivrm_rtp_event_sender_config* cfg,
                   rtp::TelephoneEventSender::Config& out) noexcept {
  ivrm_rtp_event_sender_config c;
  ivrm_rtp_event_sender_config_init(&c);
  if (const ivrm_status s = ivrmedia::capi::read_config(cfg, kSenderConfigV1, c); s != IVRM_OK) {
    return s;
  }
  out.clock_rate_hz = c.clock_rate_hz;
  out.interval_ms = c.interval_ms;
  out.end_repeats = c.end_repeats;
  return ivrmedia::capi::guarded([&] {
    const rtp::TelephoneEventSender probe(out);
    (void)probe;
    return IVRM_OK;
  });
}

// The caller's elements as C++ ones, in a caller-provided array of IVRM_RTP_MAX_EXTENSIONS.
ivrm_status to_cxx(const ivrm_rtp_extension* extensions, size_t n,
                   rtp::ExtensionElement (&out)[IVRM_RTP_MAX_EXTENSIONS]) noexcept {
  if (n != 0 && extensions == nullptr) return IVRM_ERR_NULL;
  if (n > IVRM_RTP_MAX_EXTENSIONS) return IVRM_ERR_RANGE;
  for (size_t i = 0; i < n; ++i) {
    const ivrm_rtp_extension& e = extensions[i];
    if (e.size != 0 && e.data == nullptr) return IVRM_ERR_NULL;
    out[i].id = e.id;
    out[i].data = std::span<const uint8_t>(e.data, e.size);
  }
  return IVRM_OK;
}

}  // namespace

namespace ivrmedia::capi {

ivrm_status to_cxx(const ivrm_rtp_packet* packet, rtp::PacketView& out) noexcept {
  if (packet == nullptr) return IVRM_ERR_NULL;
  if (packet->struct_size < kRtpPacketV1) return IVRM_ERR_CONFIG;
  const ivrm_rtp_packet& p = *packet;
  if (p.csrc_count > rtp::kMaxCsrcs || p.payload_type > 127) return IVRM_ERR_RANGE;
  if ((p.csrc_count != 0 && p.csrcs == nullptr) ||
      (p.extension_size != 0 && p.extension_data == nullptr) ||
      (p.payload_size != 0 && p.payload == nullptr)) {
    return IVRM_ERR_NULL;
  }
  out = rtp::PacketView{};
  out.marker = p.marker != 0;
  out.payload_type = p.payload_type;
  out.sequence = p.sequence;
  out.timestamp = p.timestamp;
  out.ssrc = p.ssrc;
  out.csrc_bytes = std::span<const uint8_t>(p.csrcs, std::size_t{4} * p.csrc_count);
  out.has_extension = p.has_extension != 0;
  out.extension_profile = p.extension_profile;
  out.extension_data = std::span<const uint8_t>(p.extension_data, p.extension_size);
  out.payload = std::span<const uint8_t>(p.payload, p.payload_size);
  out.padding_bytes = static_cast<uint8_t>(p.padding_bytes);
  return IVRM_OK;
}

ivrm_rtp_event to_c(const rtp::TelephoneEvent& e) noexcept {
  ivrm_rtp_event c{};
  c.start = e.start;
  c.duration = e.duration;
  c.arrival_us = e.arrival_us;
  c.phase = static_cast<int32_t>(e.phase);
  c.code = e.code;
  c.volume = e.volume;
  c.cause = static_cast<int32_t>(e.cause);
  c.start_lost = e.start_lost ? 1 : 0;
  c.digit = rtp::event_char(e.code);
  return c;
}

}  // namespace ivrmedia::capi

extern "C" {

// ---- packets --------------------------------------------------------------------------------

ivrm_status ivrm_rtp_parse(const uint8_t* datagram, size_t size, ivrm_rtp_packet* packet,
                           ivrm_rtp_parse_error* why) {
  if (why != nullptr) *why = IVRM_RTP_PARSE_OK;
  if (packet == nullptr || (size != 0 && datagram == nullptr)) return IVRM_ERR_NULL;
  if (packet->struct_size < ivrmedia::capi::kRtpPacketV1) return IVRM_ERR_CONFIG;
  rtp::PacketView v;
  rtp::ParseError e = rtp::ParseError::none;
  const ivrm_status s = to_c(rtp::parse(std::span<const uint8_t>(datagram, size), &v, &e));
  if (why != nullptr) *why = static_cast<ivrm_rtp_parse_error>(e);
  if (s != IVRM_OK) return s;
  ivrm_rtp_packet p{};
  p.ssrc = v.ssrc;
  p.timestamp = v.timestamp;
  p.sequence = v.sequence;
  p.payload_type = v.payload_type;
  p.marker = v.marker ? 1 : 0;
  p.csrc_count = static_cast<uint8_t>(v.csrc_count());
  p.has_extension = v.has_extension ? 1 : 0;
  p.extension_profile = v.extension_profile;
  p.padding_bytes = v.padding_bytes;
  p.csrcs = v.csrc_bytes.empty() ? nullptr : v.csrc_bytes.data();
  p.extension_data = v.extension_data.empty() ? nullptr : v.extension_data.data();
  p.extension_size = v.extension_data.size();
  p.payload = v.payload.empty() ? nullptr : v.payload.data();
  p.payload_size = v.payload.size();
  p.payload_offset = static_cast<size_t>(v.payload.data() - datagram);
  return ivrmedia::capi::write_output(p, packet, ivrmedia::capi::kRtpPacketV1);
}

const char* ivrm_rtp_parse_error_name(int why) {
  return rtp::describe(static_cast<rtp::ParseError>(why));
}

ivrm_status ivrm_rtp_find_extension(const ivrm_rtp_packet* packet, int32_t id, int* found,
                                    const uint8_t** data, size_t* size) {
  if (found != nullptr) *found = 0;
  if (data != nullptr) *data = nullptr;
  if (size != nullptr) *size = 0;
  if (packet == nullptr || found == nullptr) return IVRM_ERR_NULL;
  if (id < 1 || id > 255) return IVRM_ERR_RANGE;
  rtp::PacketView v;
  if (const ivrm_status s = ivrmedia::capi::to_cxx(packet, v); s != IVRM_OK) return s;
  rtp::ExtensionReader reader(v);
  rtp::ExtensionElement element;
  while (reader.next(&element)) {
    if (element.id != id) continue;
    *found = 1;
    if (data != nullptr) *data = element.data.data();
    if (size != nullptr) *size = element.data.size();
    return IVRM_OK;
  }
  return reader.error() == rtp::ParseError::none ? IVRM_OK : IVRM_ERR_MALFORMED;
}

// ---- builder --------------------------------------------------------------------------------

ivrm_status ivrm_rtp_builder_config_init_sized(ivrm_rtp_builder_config* cfg, size_t size) {
  const rtp::Builder::Config d;
  ivrm_rtp_builder_config c{};  // this version's defaults
  c.payload_type = d.payload_type;
  c.clock_rate_hz = d.clock_rate_hz;
  c.ssrc = d.ssrc;
  c.first_sequence = d.first_sequence;
  c.first_timestamp = d.first_timestamp;
  return ivrmedia::capi::init_config(cfg, size, kBuilderConfigV1, c);
}

ivrm_status ivrm_rtp_builder_config_init_random_sized(ivrm_rtp_builder_config* cfg, size_t size,
                                                      uint64_t seed) {
  if (const ivrm_status s = ivrm_rtp_builder_config_init_sized(cfg, size); s != IVRM_OK) return s;
  const rtp::Builder::Config r =
      rtp::Builder::random_config(cfg->payload_type, cfg->clock_rate_hz, seed);
  cfg->ssrc = r.ssrc;
  cfg->first_sequence = r.first_sequence;
  cfg->first_timestamp = r.first_timestamp;
  return IVRM_OK;
}

ivrm_status ivrm_rtp_builder_size(const ivrm_rtp_builder_config* cfg, size_t* size) {
  if (size == nullptr) return IVRM_ERR_NULL;
  *size = 0;
  rtp::Builder::Config c;
  if (const ivrm_status s = to_cxx(cfg, c); s != IVRM_OK) return s;
  *size = ivrmedia::capi::round_up(sizeof(ivrm_rtp_builder));
  return IVRM_OK;
}

ivrm_status ivrm_rtp_builder_create_in(void* mem, size_t mem_size,
                                       const ivrm_rtp_builder_config* cfg, ivrm_rtp_builder** out) {
  if (out != nullptr) *out = nullptr;
  rtp::Builder::Config c;
  if (const ivrm_status s = to_cxx(cfg, c); s != IVRM_OK) return s;
  return ivrmedia::capi::place(mem, mem_size, out, c);
}

ivrm_status ivrm_rtp_builder_create(const ivrm_rtp_builder_config* cfg, ivrm_rtp_builder** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  size_t size = 0;
  if (const ivrm_status s = ivrm_rtp_builder_size(cfg, &size); s != IVRM_OK) return s;
  return ivrmedia::capi::allocate_and_place(size, out, [&](void* mem, size_t mem_size) {
    return ivrm_rtp_builder_create_in(mem, mem_size, cfg, out);
  });
}

void ivrm_rtp_builder_destroy(ivrm_rtp_builder* b) {
  ivrmedia::capi::destroy(b);
}

ivrm_status ivrm_rtp_builder_reset(ivrm_rtp_builder* b) {
  if (b == nullptr) return IVRM_ERR_NULL;
  b->b.reset();
  return IVRM_OK;
}

ivrm_status ivrm_rtp_builder_build(ivrm_rtp_builder* b, const uint8_t* payload, size_t payload_size,
                                   uint32_t rtp_units, int marker,
                                   const ivrm_rtp_extension* extensions, size_t n_extensions,
                                   uint8_t* out, size_t capacity, size_t* written) {
  if (written != nullptr) *written = 0;
  if (b == nullptr || written == nullptr || (payload_size != 0 && payload == nullptr) ||
      (capacity != 0 && out == nullptr)) {
    return IVRM_ERR_NULL;
  }
  if (!is_flag(marker)) return IVRM_ERR_INVALID;
  rtp::ExtensionElement elements[IVRM_RTP_MAX_EXTENSIONS];
  if (const ivrm_status s = to_cxx(extensions, n_extensions, elements); s != IVRM_OK) return s;
  size_t w = 0;
  const ivrm_status s =
      to_c(b->b.build(std::span<const uint8_t>(payload, payload_size), rtp_units, marker == 1,
                      std::span<const rtp::ExtensionElement>(elements, n_extensions),
                      std::span<uint8_t>(out, capacity), &w));
  if (s == IVRM_OK) *written = w;
  return s;
}

ivrm_status ivrm_rtp_builder_build_at(ivrm_rtp_builder* b, int32_t payload_type,
                                      const uint8_t* payload, size_t payload_size,
                                      uint32_t timestamp, int marker, uint8_t* out, size_t capacity,
                                      size_t* written) {
  if (written != nullptr) *written = 0;
  if (b == nullptr || written == nullptr || (payload_size != 0 && payload == nullptr) ||
      (capacity != 0 && out == nullptr)) {
    return IVRM_ERR_NULL;
  }
  if (!is_flag(marker)) return IVRM_ERR_INVALID;
  size_t w = 0;
  const ivrm_status s =
      to_c(b->b.build_at(payload_type, std::span<const uint8_t>(payload, payload_size), timestamp,
                         marker == 1, std::span<uint8_t>(out, capacity), &w));
  if (s == IVRM_OK) *written = w;
  return s;
}

ivrm_status ivrm_rtp_builder_packet_size(const ivrm_rtp_builder* b, size_t payload_size,
                                         const ivrm_rtp_extension* extensions, size_t n_extensions,
                                         size_t* size) {
  if (size != nullptr) *size = 0;
  if (b == nullptr || size == nullptr) return IVRM_ERR_NULL;
  rtp::ExtensionElement elements[IVRM_RTP_MAX_EXTENSIONS];
  if (const ivrm_status s = to_cxx(extensions, n_extensions, elements); s != IVRM_OK) return s;
  const size_t n = b->b.packet_size(payload_size,
                                    std::span<const rtp::ExtensionElement>(elements, n_extensions));
  if (n == 0) return IVRM_ERR_INVALID;
  *size = n;
  return IVRM_OK;
}

ivrm_status ivrm_rtp_builder_skip(ivrm_rtp_builder* b, uint32_t rtp_units) {
  if (b == nullptr) return IVRM_ERR_NULL;
  b->b.skip(rtp_units);
  return IVRM_OK;
}

ivrm_status ivrm_rtp_builder_set_csrcs(ivrm_rtp_builder* b, const uint32_t* csrcs, size_t n) {
  if (b == nullptr || (n != 0 && csrcs == nullptr)) return IVRM_ERR_NULL;
  if (n > rtp::kMaxCsrcs) return IVRM_ERR_RANGE;  // before a span claims memory that may not exist
  return to_c(b->b.set_csrcs(std::span<const uint32_t>(csrcs, n)));
}

ivrm_status ivrm_rtp_builder_next_sequence(const ivrm_rtp_builder* b, uint16_t* sequence) {
  if (b == nullptr || sequence == nullptr) return IVRM_ERR_NULL;
  *sequence = b->b.next_sequence();
  return IVRM_OK;
}

ivrm_status ivrm_rtp_builder_next_timestamp(const ivrm_rtp_builder* b, uint32_t* timestamp) {
  if (b == nullptr || timestamp == nullptr) return IVRM_ERR_NULL;
  *timestamp = b->b.next_timestamp();
  return IVRM_OK;
}

ivrm_status ivrm_rtp_builder_get_stats(const ivrm_rtp_builder* b, ivrm_rtp_builder_stats* stats) {
  if (b == nullptr || stats == nullptr) return IVRM_ERR_NULL;
  ivrm_rtp_builder_stats s{};
  s.packets = b->b.stats().packets;
  s.payload_octets = b->b.stats().payload_octets;
  return ivrmedia::capi::write_output(s, stats, kBuilderStatsV1);
}

// ---- RFC 4733 -------------------------------------------------------------------------------

char ivrm_rtp_event_char(int32_t code) {
  return rtp::event_char(code);
}

int32_t ivrm_rtp_event_code(char c) {
  return rtp::event_code(c);
}

ivrm_status ivrm_rtp_event_receiver_config_init_sized(ivrm_rtp_event_receiver_config* cfg,
                                                      size_t size) {
  const rtp::TelephoneEventReceiver::Config d;
  ivrm_rtp_event_receiver_config c{};  // this version's defaults
  c.clock_rate_hz = d.clock_rate_hz;
  c.end_timeout_ms = d.end_timeout_ms;
  c.queue_capacity = static_cast<uint32_t>(d.queue_capacity);
  return ivrmedia::capi::init_config(cfg, size, kReceiverConfigV1, c);
}

ivrm_status ivrm_rtp_event_receiver_create(const ivrm_rtp_event_receiver_config* cfg,
                                           ivrm_rtp_event_receiver** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  ivrm_rtp_event_receiver_config c;
  ivrm_rtp_event_receiver_config_init(&c);
  if (const ivrm_status s = ivrmedia::capi::read_config(cfg, kReceiverConfigV1, c); s != IVRM_OK) {
    return s;
  }
  rtp::TelephoneEventReceiver::Config rc;
  rc.clock_rate_hz = c.clock_rate_hz;
  rc.end_timeout_ms = c.end_timeout_ms;
  rc.queue_capacity = c.queue_capacity;
  return ivrmedia::capi::guarded([&] {
    *out = new ivrm_rtp_event_receiver(rc);
    return IVRM_OK;
  });
}

void ivrm_rtp_event_receiver_destroy(ivrm_rtp_event_receiver* r) {
  delete r;
}

ivrm_status ivrm_rtp_event_receiver_reset(ivrm_rtp_event_receiver* r) {
  if (r == nullptr) return IVRM_ERR_NULL;
  r->r.reset();
  return IVRM_OK;
}

ivrm_status ivrm_rtp_event_receiver_push(ivrm_rtp_event_receiver* r, const ivrm_rtp_packet* packet,
                                         int64_t arrival_us) {
  if (r == nullptr || packet == nullptr) return IVRM_ERR_NULL;
  rtp::PacketView v;
  if (const ivrm_status s = ivrmedia::capi::to_cxx(packet, v); s != IVRM_OK) return s;
  return to_c(r->r.push(v, arrival_us));
}

ivrm_status ivrm_rtp_event_receiver_poll(ivrm_rtp_event_receiver* r, int64_t now_us) {
  if (r == nullptr) return IVRM_ERR_NULL;
  r->r.poll(now_us);
  return IVRM_OK;
}

ivrm_status ivrm_rtp_event_receiver_finish(ivrm_rtp_event_receiver* r, int64_t now_us) {
  if (r == nullptr) return IVRM_ERR_NULL;
  r->r.finish(now_us);
  return IVRM_OK;
}

ivrm_status ivrm_rtp_event_receiver_read_events(ivrm_rtp_event_receiver* r, ivrm_rtp_event* events,
                                                size_t capacity, size_t* count) {
  if (r == nullptr) {
    if (count != nullptr) *count = 0;
    return IVRM_ERR_NULL;
  }
  return ivrmedia::capi::read_events(
      [r](std::span<rtp::TelephoneEvent> out) { return r->r.read(out); }, events, capacity, count);
}

ivrm_status ivrm_rtp_event_receiver_get_stats(const ivrm_rtp_event_receiver* r,
                                              ivrm_rtp_event_receiver_stats* stats) {
  if (r == nullptr || stats == nullptr) return IVRM_ERR_NULL;
  const rtp::TelephoneEventReceiver::Stats& in = r->r.stats();
  ivrm_rtp_event_receiver_stats s{};
  s.packets = in.packets;
  s.malformed = in.malformed;
  s.events = in.events;
  s.ended_by_bit = in.ended_by_bit;
  s.ended_by_timeout = in.ended_by_timeout;
  s.ended_by_new_event = in.ended_by_new_event;
  s.ended_by_flush = in.ended_by_flush;
  s.segments = in.segments;
  s.retransmitted_ends = in.retransmitted_ends;
  s.stale = in.stale;
  s.overflowed = in.overflowed;
  return ivrmedia::capi::write_output(s, stats, kReceiverStatsV1);
}

ivrm_status ivrm_rtp_event_sender_config_init_sized(ivrm_rtp_event_sender_config* cfg,
                                                    size_t size) {
  const rtp::TelephoneEventSender::Config d;
  ivrm_rtp_event_sender_config c{};  // this version's defaults
  c.clock_rate_hz = d.clock_rate_hz;
  c.interval_ms = d.interval_ms;
  c.end_repeats = d.end_repeats;
  return ivrmedia::capi::init_config(cfg, size, kSenderConfigV1, c);
}

ivrm_status ivrm_rtp_event_sender_size(const ivrm_rtp_event_sender_config* cfg, size_t* size) {
  if (size == nullptr) return IVRM_ERR_NULL;
  *size = 0;
  rtp::TelephoneEventSender::Config c;
  if (const ivrm_status s = to_cxx(cfg, c); s != IVRM_OK) return s;
  *size = ivrmedia::capi::round_up(sizeof(ivrm_rtp_event_sender));
  return IVRM_OK;
}

ivrm_status ivrm_rtp_event_sender_create_in(void* mem, size_t mem_size,
                                            const ivrm_rtp_event_sender_config* cfg,
                                            ivrm_rtp_event_sender** out) {
  if (out != nullptr) *out = nullptr;
  rtp::TelephoneEventSender::Config c;
  if (const ivrm_status s = to_cxx(cfg, c); s != IVRM_OK) return s;
  return ivrmedia::capi::place(mem, mem_size, out, c);
}

ivrm_status ivrm_rtp_event_sender_create(const ivrm_rtp_event_sender_config* cfg,
                                         ivrm_rtp_event_sender** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  size_t size = 0;
  if (const ivrm_status s = ivrm_rtp_event_sender_size(cfg, &size); s != IVRM_OK) return s;
  return ivrmedia::capi::allocate_and_place(size, out, [&](void* mem, size_t mem_size) {
    return ivrm_rtp_event_sender_create_in(mem, mem_size, cfg, out);
  });
}

void ivrm_rtp_event_sender_destroy(ivrm_rtp_event_sender* s) {
  ivrmedia::capi::destroy(s);
}

ivrm_status ivrm_rtp_event_sender_reset(ivrm_rtp_event_sender* s) {
  if (s == nullptr) return IVRM_ERR_NULL;
  s->s.reset();
  return IVRM_OK;
}

ivrm_status ivrm_rtp_event_sender_begin(ivrm_rtp_event_sender* s, int32_t code, uint32_t timestamp,
                                        int32_t volume) {
  if (s == nullptr) return IVRM_ERR_NULL;
  return to_c(s->s.begin(code, timestamp, volume));
}

ivrm_status ivrm_rtp_event_sender_end(ivrm_rtp_event_sender* s) {
  if (s == nullptr) return IVRM_ERR_NULL;
  return to_c(s->s.end());
}

ivrm_status ivrm_rtp_event_sender_next(ivrm_rtp_event_sender* s, ivrm_rtp_event_packet* packet,
                                       int* ready) {
  if (ready != nullptr) *ready = 0;
  if (s == nullptr || packet == nullptr || ready == nullptr) return IVRM_ERR_NULL;
  rtp::TelephoneEventSender::Packet p;
  if (!s->s.next(&p)) return IVRM_OK;
  std::memcpy(packet->payload, p.payload.data(), sizeof packet->payload);
  packet->timestamp = p.timestamp;
  packet->marker = p.marker ? 1 : 0;
  packet->end = p.end ? 1 : 0;
  *ready = 1;
  return IVRM_OK;
}

ivrm_status ivrm_rtp_event_sender_active(const ivrm_rtp_event_sender* s, int* active) {
  if (active != nullptr) *active = 0;
  if (s == nullptr || active == nullptr) return IVRM_ERR_NULL;
  *active = s->s.active() ? 1 : 0;
  return IVRM_OK;
}

}  // extern "C"
