// Outbound RTP packets (RFC 3550 section 5.1) with RFC 8285 header extensions.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "ivrmedia/rtp.hpp"

namespace ivrmedia::rtp {
namespace {

void store16(std::uint8_t* p, std::uint32_t v) noexcept {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}
void store32(std::uint8_t* p, std::uint32_t v) noexcept {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

// splitmix64 (Steele, Lea, Flood 2014): a well-mixed 64-bit output per step from any seed,
// including 0 and nearby seeds, which is what a host's seed may look like.
std::uint64_t splitmix64(std::uint64_t* state) noexcept {
  std::uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// The extension block for `elements`: its form and the size of the element bytes before the
// padding to 32 bits. Returns false when some element fits neither RFC 8285 form.
bool plan_extension(std::span<const ExtensionElement> elements, ExtensionForm* form,
                    std::size_t* element_bytes) noexcept {
  *form = ExtensionForm::none;
  *element_bytes = 0;
  if (elements.empty()) return true;
  bool one_byte = true;
  for (const ExtensionElement& e : elements) {
    if (e.id < 1 || e.id > 255 || e.data.size() > 255) return false;
    if (e.id > 14 || e.data.empty() || e.data.size() > 16) one_byte = false;
  }
  *form = one_byte ? ExtensionForm::one_byte : ExtensionForm::two_byte;
  const std::size_t per_element = one_byte ? 1 : 2;
  std::size_t bytes = 0;
  for (const ExtensionElement& e : elements)
    bytes += per_element + e.data.size();
  // The length field counts 32-bit words in 16 bits.
  if ((bytes + 3) / 4 > 0xFFFF) return false;
  *element_bytes = bytes;
  return true;
}

}  // namespace

Builder::Config Builder::random_config(int payload_type, int clock_rate_hz,
                                       std::uint64_t seed) noexcept {
  std::uint64_t state = seed;
  Config c;
  c.payload_type = payload_type;
  c.clock_rate_hz = clock_rate_hz;
  c.ssrc = static_cast<std::uint32_t>(splitmix64(&state) >> 32);
  c.first_sequence = static_cast<std::uint16_t>((splitmix64(&state) >> 32) & 0x7FFFu);
  c.first_timestamp = static_cast<std::uint32_t>(splitmix64(&state) >> 32);
  return c;
}

Builder::Builder(const Config& config)
    : config_(config), sequence_(config.first_sequence), timestamp_(config.first_timestamp) {
  if (config.payload_type < 0 || config.payload_type > 127) {
    throw Error(Status::bad_config, "rtp::Builder: payload type must be 0-127");
  }
  if (config.clock_rate_hz <= 0) {
    throw Error(Status::bad_config, "rtp::Builder: clock rate must be positive");
  }
}

std::size_t Builder::packet_size(std::size_t payload_bytes,
                                 std::span<const ExtensionElement> extensions) const noexcept {
  ExtensionForm form;
  std::size_t element_bytes;
  if (!plan_extension(extensions, &form, &element_bytes)) return 0;
  std::size_t size = kFixedHeaderBytes + 4 * csrc_count_ + payload_bytes;
  if (form != ExtensionForm::none) size += 4 + (element_bytes + 3) / 4 * 4;
  return size;
}

Status Builder::build(std::span<const std::uint8_t> payload, std::uint32_t rtp_units, bool marker,
                      std::span<const ExtensionElement> extensions, std::span<std::uint8_t> out,
                      std::size_t* written) noexcept {
  if (written == nullptr) return Status::null_pointer;
  *written = 0;
  ExtensionForm form;
  std::size_t element_bytes;
  if (!plan_extension(extensions, &form, &element_bytes)) return Status::invalid_argument;
  const std::size_t size = packet_size(payload.size(), extensions);
  if (out.size() < size) return Status::buffer_too_small;

  std::uint8_t* p = out.data();
  const bool has_extension = form != ExtensionForm::none;
  p[0] = static_cast<std::uint8_t>(0x80u | (has_extension ? 0x10u : 0u) | csrc_count_);
  p[1] = static_cast<std::uint8_t>((marker ? 0x80u : 0u) |
                                   static_cast<std::uint32_t>(config_.payload_type));
  store16(p + 2, sequence_);
  store32(p + 4, timestamp_);
  store32(p + 8, config_.ssrc);
  std::size_t offset = kFixedHeaderBytes;
  for (std::size_t i = 0; i < csrc_count_; ++i, offset += 4)
    store32(p + offset, csrcs_[i]);

  if (has_extension) {
    const std::size_t words = (element_bytes + 3) / 4;
    store16(p + offset, form == ExtensionForm::one_byte ? kOneByteProfile : kTwoByteProfile);
    store16(p + offset + 2, static_cast<std::uint32_t>(words));
    offset += 4;
    const std::size_t end = offset + words * 4;
    for (const ExtensionElement& e : extensions) {
      if (form == ExtensionForm::one_byte) {
        p[offset++] = static_cast<std::uint8_t>((e.id << 4) | static_cast<int>(e.data.size() - 1));
      } else {
        p[offset++] = static_cast<std::uint8_t>(e.id);
        p[offset++] = static_cast<std::uint8_t>(e.data.size());
      }
      if (!e.data.empty()) std::memcpy(p + offset, e.data.data(), e.data.size());
      offset += e.data.size();
    }
    while (offset < end)
      p[offset++] = 0;  // padding bytes (RFC 8285 section 4.1)
  }
  // memmove: a host may have encoded the payload into `out` already, at its final offset
  // (packet_size(0, extensions) bytes in), to save a copy.
  if (!payload.empty()) std::memmove(p + offset, payload.data(), payload.size());
  *written = size;

  sequence_ = static_cast<std::uint16_t>(sequence_ + 1);
  timestamp_ += rtp_units;
  ++stats_.packets;
  stats_.payload_octets += static_cast<std::int64_t>(payload.size());
  return Status::ok;
}

Status Builder::build_at(int payload_type, std::span<const std::uint8_t> payload,
                         std::uint32_t timestamp, bool marker, std::span<std::uint8_t> out,
                         std::size_t* written) noexcept {
  if (written == nullptr) return Status::null_pointer;
  *written = 0;
  if (payload_type < 0 || payload_type > 127) return Status::invalid_argument;
  // Reuse build() with this packet's payload type and timestamp, then put the stream's back.
  const int stream_payload_type = config_.payload_type;
  const std::uint32_t stream_timestamp = timestamp_;
  config_.payload_type = payload_type;
  timestamp_ = timestamp;
  const Status status = build(payload, 0, marker, {}, out, written);
  config_.payload_type = stream_payload_type;
  timestamp_ = stream_timestamp;
  return status;
}

Status Builder::set_csrcs(std::span<const std::uint32_t> csrcs) noexcept {
  if (csrcs.size() > kMaxCsrcs) return Status::out_of_range;
  for (std::size_t i = 0; i < csrcs.size(); ++i)
    csrcs_[i] = csrcs[i];
  csrc_count_ = csrcs.size();
  return Status::ok;
}

void Builder::reset() noexcept {
  sequence_ = config_.first_sequence;
  timestamp_ = config_.first_timestamp;
  csrc_count_ = 0;
  stats_ = {};
}

}  // namespace ivrmedia::rtp
