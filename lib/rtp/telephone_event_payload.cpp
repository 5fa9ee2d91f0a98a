// RFC 4733 section 2.3 event blocks and the DTMF code <-> character mapping (section 3.2).
#include <cstdint>
#include <span>

#include "ivrmedia/telephone_event.hpp"

namespace ivrmedia::rtp {

char event_char(int code) noexcept {
  static constexpr char kChars[] = "0123456789*#ABCD!";
  return code >= 0 && code <= kEventFlash ? kChars[code] : '\0';
}

int event_code(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  switch (c) {
    case '*':
      return 10;
    case '#':
      return 11;
    case 'A':
    case 'a':
      return 12;
    case 'B':
    case 'b':
      return 13;
    case 'C':
    case 'c':
      return 14;
    case 'D':
    case 'd':
      return 15;
    default:
      return -1;
  }
}

Status parse_event(std::span<const std::uint8_t> payload, EventPayload* out) noexcept {
  if (out == nullptr) return Status::null_pointer;
  if (payload.size() < 4) return Status::malformed;
  out->code = payload[0];
  out->end = (payload[1] & 0x80u) != 0;
  out->volume = payload[1] & 0x3F;  // the R bit (0x40) is ignored, as section 2.3 says
  out->duration = (std::uint32_t{payload[2]} << 8) | payload[3];
  return Status::ok;
}

Status write_event(const EventPayload& event, std::span<std::uint8_t, 4> out) noexcept {
  if (event.code < 0 || event.code > 255 || event.volume < 0 || event.volume > 63 ||
      event.duration > kMaxEventDuration) {
    return Status::invalid_argument;
  }
  out[0] = static_cast<std::uint8_t>(event.code);
  out[1] = static_cast<std::uint8_t>((event.end ? 0x80 : 0) | event.volume);
  out[2] = static_cast<std::uint8_t>(event.duration >> 8);
  out[3] = static_cast<std::uint8_t>(event.duration);
  return Status::ok;
}

const char* describe(TelephoneEvent::EndCause cause) noexcept {
  switch (cause) {
    case TelephoneEvent::EndCause::none:
      return "not ended";
    case TelephoneEvent::EndCause::end_bit:
      return "end bit";
    case TelephoneEvent::EndCause::timeout:
      return "timeout (end packets lost)";
    case TelephoneEvent::EndCause::new_event:
      return "next event started";
    case TelephoneEvent::EndCause::flushed:
      return "flushed";
  }
  return "unknown end cause";
}

}  // namespace ivrmedia::rtp
