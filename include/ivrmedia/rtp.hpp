// ivrmedia C++ API: RTP packets (RFC 3550) with header extensions (RFC 8285).
//
// Parsing is zero-copy: parse() checks a datagram and fills a PacketView whose spans point into
// the caller's buffer, so the view is valid only while that buffer is. It never reads outside
// the datagram, whatever its bytes; a malformed packet is rejected with a ParseError saying why
// (malformed packets are normal on a network: hosts count them with ParseStats and move on).
// What parse() checks, in order (RFC 3550 section 5.1, RFC 8285 section 4):
//   - at least the 12-byte fixed header                                    (too_short)
//   - version 2                                                            (bad_version)
//   - the CSRC list (CC x 4 bytes) fits                                    (csrc_overrun)
//   - with X set, the 4-byte extension header and its length x 4 bytes fit (extension_overrun)
//   - with P set, the last octet (the padding count, itself included) is at least 1 and no
//     more than what follows the header and extension                     (bad_padding)
// An empty payload is accepted (RFC 3550 allows it; some hosts send them as keepalives).
// RFC 8285 elements are not checked by parse(): an element running past its block spoils the
// extension, not the audio, so the packet is accepted and ExtensionReader stops at the broken
// element with error() == bad_extension_element (libwebrtc keeps such packets too).
//
// RFC 8285 elements are read with ExtensionReader, for_each_extension or find_extension:
//   - one-byte form (profile 0xBEDE): a byte of ID (4 bits) and length - 1 (4 bits), then
//     1-16 data bytes. ID 0 is a padding byte and skipped alone; ID 15 ends the block (its
//     length is ignored, later bytes are not read), as RFC 8285 section 4.2 says.
//   - two-byte form (profile 0x1000-0x100F, the low 4 "appbits" are free to the application):
//     an ID byte (1-255), a length byte (0-255), then the data. A zero byte where an ID is due
//     is padding and skipped.
// Any other profile has no elements here: its bytes are PacketView::extension_data, raw.
//
// Building: Builder writes one outbound stream (one SSRC). Its first sequence number,
// timestamp and SSRC should be random (RFC 3550 sections 5.1 and 8): random_config() draws
// them from a seed the host supplies (the library never reads /dev/urandom or the clock).
// Each build() stamps the current sequence number and timestamp, then advances the sequence
// by one (wrapping at 16 bits) and the timestamp by the packet's duration in RTP units
// (wrapping at 32 bits): the caller computes them with codec::rtp_units (G.722: 8000 Hz clock
// for 16 kHz audio; opus: always 48000 Hz, RFC 7587). skip() advances the timestamp through
// silence that is not sent (the sequence does not move), and the marker goes on the first
// packet of each talkspurt (RFC 3551 section 4.1).
//
// Real-time safe: parse, the extension readers and build never allocate, lock or throw.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "ivrmedia/core.hpp"

namespace ivrmedia::rtp {

inline constexpr std::size_t kFixedHeaderBytes = 12;
inline constexpr std::size_t kMaxCsrcs = 15;
inline constexpr std::uint16_t kOneByteProfile = 0xBEDE;      // RFC 8285 section 4.2
inline constexpr std::uint16_t kTwoByteProfile = 0x1000;      // RFC 8285 section 4.3, appbits 0
inline constexpr std::uint16_t kTwoByteProfileMask = 0xFFF0;  // the low 4 bits are appbits

// Why parse() rejected a datagram. Values are stable (they index ParseStats::rejected).
enum class ParseError : std::int32_t {
  none = 0,
  too_short = 1,              // shorter than the 12-byte fixed header
  bad_version = 2,            // version field is not 2
  csrc_overrun = 3,           // the CSRC list runs past the end
  extension_overrun = 4,      // the extension header or its declared length runs past the end
  bad_padding = 5,            // padding count 0, or more than the bytes after the headers
  bad_extension_element = 6,  // an RFC 8285 element runs past the extension block: reported
                              // by ExtensionReader; parse() no longer rejects for it
};
inline constexpr std::size_t kParseErrorCount = 7;

// Short English description; never null, also for values outside the enum.
IVRM_API const char* describe(ParseError error) noexcept;
// The Status parse() returns for a reason: `truncated` when the datagram ends before something
// its header declares (too_short, csrc_overrun, extension_overrun), `malformed` otherwise,
// `ok` for none.
IVRM_API Status status_of(ParseError error) noexcept;

// A parsed packet. Every span points into the datagram given to parse().
struct PacketView {
  bool marker = false;
  std::uint8_t payload_type = 0;  // 0-127
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  std::span<const std::uint8_t> csrc_bytes;  // CC x 4 bytes, network byte order
  bool has_extension = false;
  std::uint16_t extension_profile = 0;           // "defined by profile" field (X set only)
  std::span<const std::uint8_t> extension_data;  // length x 4 bytes after the 4-byte header
  std::span<const std::uint8_t> payload;         // between the headers and the padding
  std::uint8_t padding_bytes = 0;                // P set: the count (>= 1); else 0

  [[nodiscard]] std::size_t csrc_count() const noexcept { return csrc_bytes.size() / 4; }
  // The i-th contributing source; i < csrc_count().
  [[nodiscard]] std::uint32_t csrc(std::size_t i) const noexcept {
    const std::uint8_t* p = csrc_bytes.data() + 4 * i;
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
  }
};

// Checks `datagram` and describes it in *out (out is untouched on error). *why (optional, may
// be null) gets the reason, `none` on success. Returns ok, null_pointer (out is null),
// truncated or malformed (see status_of).
[[nodiscard]] IVRM_API Status parse(std::span<const std::uint8_t> datagram, PacketView* out,
                                    ParseError* why) noexcept;

// Counters per outcome; a plain struct the host may copy, add up or reset by assignment.
struct ParseStats {
  std::int64_t accepted = 0;
  std::array<std::int64_t, kParseErrorCount> rejected{};  // by reason; [none] stays 0

  [[nodiscard]] std::int64_t rejected_total() const noexcept {
    std::int64_t total = 0;
    for (std::int64_t n : rejected)
      total += n;
    return total;
  }
  [[nodiscard]] std::int64_t rejected_for(ParseError why) const noexcept {
    const auto i = static_cast<std::size_t>(why);
    return i < kParseErrorCount ? rejected[i] : 0;
  }
};
// Counts one parse() outcome: `none` as accepted, a reason as rejected (unknown values are
// ignored).
inline void count(ParseStats& stats, ParseError why) noexcept {
  const auto i = static_cast<std::size_t>(why);
  if (why == ParseError::none) {
    ++stats.accepted;
  } else if (i < kParseErrorCount) {
    ++stats.rejected[i];
  }
}

// The extension's RFC 8285 form, from its profile.
enum class ExtensionForm : std::int32_t { none = 0, one_byte = 1, two_byte = 2, other = 3 };
[[nodiscard]] IVRM_API ExtensionForm extension_form(const PacketView& view) noexcept;

// One RFC 8285 element: its local ID and data.
struct ExtensionElement {
  int id = 0;
  std::span<const std::uint8_t> data;
};

// Walks the RFC 8285 elements of a view, skipping padding. An element running past the block
// (a damaged or hostile packet; parse() accepts it) ends the walk with error() ==
// bad_extension_element; the elements before it were returned.
class IVRM_API ExtensionReader {
 public:
  explicit ExtensionReader(const PacketView& view) noexcept;
  // The next element into *out and true; false at the end of the block (or on an error).
  bool next(ExtensionElement* out) noexcept;
  [[nodiscard]] ParseError error() const noexcept { return error_; }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
  ExtensionForm form_ = ExtensionForm::none;
  ParseError error_ = ParseError::none;
};

// Calls fn(const ExtensionElement&) for each element in order; returns the reader's error().
template <class Fn>
ParseError for_each_extension(const PacketView& view, Fn&& fn) {
  ExtensionReader reader(view);
  ExtensionElement element;
  while (reader.next(&element))
    fn(static_cast<const ExtensionElement&>(element));
  return reader.error();
}

// The data of the first element with local ID `id` into *out (optional); false when absent
// (also when a broken element comes first: ExtensionReader tells the two apart).
IVRM_API bool find_extension(const PacketView& view, int id,
                             std::span<const std::uint8_t>* out) noexcept;

// Writes the packets of one outbound stream. No allocation: the object holds a few counters
// and up to 15 CSRCs.
class IVRM_API Builder {
 public:
  struct Config {
    int payload_type = 0;      // 0-127
    int clock_rate_hz = 8000;  // RTP clock (codec::Info::rtp_clock_hz); > 0
    std::uint32_t ssrc = 0;
    std::uint16_t first_sequence = 0;
    std::uint32_t first_timestamp = 0;
  };

  // A config with SSRC, first sequence number and first timestamp drawn from `seed` (the host
  // takes it from its entropy source; the same seed gives the same config). The first
  // sequence number is kept below 0x8000 so an SRTP receiver's rollover guess (RFC 3711
  // section 3.3.1) is not fooled by a wrap within the first packets.
  [[nodiscard]] static Config random_config(int payload_type, int clock_rate_hz,
                                            std::uint64_t seed) noexcept;

  // Throws Error(bad_config) for a payload type outside 0-127 or a clock rate <= 0.
  explicit Builder(const Config& config);
  Builder(Builder&&) noexcept = default;
  Builder& operator=(Builder&&) noexcept = default;
  Builder(const Builder&) = delete;
  Builder& operator=(const Builder&) = delete;

  // Writes one packet into `out`: the fixed header with the current sequence number and
  // timestamp, the CSRCs set by set_csrcs, the extension elements if any, then the payload.
  // Afterwards the sequence number moves on by 1 and the timestamp by `rtp_units` (the
  // payload's duration on the RTP clock). *written = the packet's size.
  // Elements go in the one-byte form when every ID is 1-14 and every data 1-16 bytes, else in
  // the two-byte form (IDs 1-255, data 0-255 bytes); the block is zero-padded to 32 bits.
  // Returns null_pointer (written null), invalid_argument (an element fits neither form),
  // buffer_too_small (nothing written, *written = 0, no state change).
  [[nodiscard]] Status build(std::span<const std::uint8_t> payload, std::uint32_t rtp_units,
                             bool marker, std::span<const ExtensionElement> extensions,
                             std::span<std::uint8_t> out, std::size_t* written) noexcept;
  [[nodiscard]] Status build(std::span<const std::uint8_t> payload, std::uint32_t rtp_units,
                             bool marker, std::span<std::uint8_t> out,
                             std::size_t* written) noexcept {
    return build(payload, rtp_units, marker, {}, out, written);
  }
  // A packet of another payload type on this stream at an explicit timestamp: RFC 4733 events
  // (which keep their onset timestamp for every packet) or comfort noise. The sequence number
  // moves on by one; the stream's timestamp does not (advance it with skip() for the time the
  // event replaced audio). Returns null_pointer, invalid_argument (payload type outside 0-127),
  // buffer_too_small.
  [[nodiscard]] Status build_at(int payload_type, std::span<const std::uint8_t> payload,
                                std::uint32_t timestamp, bool marker, std::span<std::uint8_t> out,
                                std::size_t* written) noexcept;
  // Bytes build() would write (0 when the extensions fit neither form).
  [[nodiscard]] std::size_t packet_size(
      std::size_t payload_bytes, std::span<const ExtensionElement> extensions = {}) const noexcept;

  // Advances the timestamp over `rtp_units` of audio that is not sent (silence suppression,
  // DTX); the next packet should carry the marker.
  void skip(std::uint32_t rtp_units) noexcept { timestamp_ += rtp_units; }
  // Contributing sources for the following packets (a mixer's talkers); out_of_range (and no
  // change) for more than 15.
  [[nodiscard]] Status set_csrcs(std::span<const std::uint32_t> csrcs) noexcept;

  // Back to the config's first sequence number and timestamp, no CSRCs, zeroed statistics.
  void reset() noexcept;

  [[nodiscard]] std::uint32_t ssrc() const noexcept { return config_.ssrc; }
  [[nodiscard]] int payload_type() const noexcept { return config_.payload_type; }
  [[nodiscard]] int clock_rate_hz() const noexcept { return config_.clock_rate_hz; }
  [[nodiscard]] std::uint16_t next_sequence() const noexcept { return sequence_; }
  [[nodiscard]] std::uint32_t next_timestamp() const noexcept { return timestamp_; }

  // What an RTCP sender report needs (RFC 3550 section 6.4.1).
  struct Stats {
    std::int64_t packets = 0;
    std::int64_t payload_octets = 0;
  };
  [[nodiscard]] const Stats& stats() const noexcept { return stats_; }

 private:
  Config config_;
  std::uint16_t sequence_;
  std::uint32_t timestamp_;
  std::array<std::uint32_t, kMaxCsrcs> csrcs_{};
  std::size_t csrc_count_ = 0;
  Stats stats_;
};

}  // namespace ivrmedia::rtp
