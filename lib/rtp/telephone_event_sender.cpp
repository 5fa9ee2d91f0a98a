// RFC 4733 sender: the packet sequence of one outbound event (section 2.5.1): marker on the
// first packet, one timestamp per segment, duration growing per interval, segments at 0xFFFF,
// the end packet repeated.
#include <cstdint>
#include <span>

#include "ivrmedia/telephone_event.hpp"

namespace ivrmedia::rtp {

TelephoneEventSender::TelephoneEventSender() : TelephoneEventSender(Config{}) {}

TelephoneEventSender::TelephoneEventSender(const Config& config) : config_(config) {
  if (config.clock_rate_hz < 1000 || config.clock_rate_hz > 192000) {
    throw Error(Status::bad_config, "rtp::TelephoneEventSender: clock rate must be 1000-192000");
  }
  if (config.interval_ms < 5 || config.interval_ms > 100) {
    throw Error(Status::bad_config, "rtp::TelephoneEventSender: interval must be 5-100 ms");
  }
  if (config.end_repeats < 1 || config.end_repeats > 10) {
    throw Error(Status::bad_config, "rtp::TelephoneEventSender: end repeats must be 1-10");
  }
  interval_ =
      static_cast<std::uint32_t>(std::int64_t{config.clock_rate_hz} * config.interval_ms / 1000);
}

Status TelephoneEventSender::begin(int code, std::uint32_t timestamp, int volume) noexcept {
  if (state_ != State::idle) return Status::bad_state;
  if (code < 0 || code > 255 || volume < 0 || volume > 63) return Status::invalid_argument;
  state_ = State::sending;
  code_ = code;
  volume_ = volume;
  segment_timestamp_ = timestamp;
  previous_segment_timestamp_ = timestamp;
  segment_elapsed_ = 0;
  elapsed_ = 0;
  first_ = true;
  return Status::ok;
}

Status TelephoneEventSender::end() noexcept {
  if (state_ != State::sending) return Status::bad_state;
  state_ = State::ending;
  repeats_left_ = config_.end_repeats;
  return Status::ok;
}

bool TelephoneEventSender::next(Packet* out) noexcept {
  if (out == nullptr || state_ == State::idle) return false;
  EventPayload e;
  e.code = code_;
  e.volume = volume_;
  Packet p;
  if (state_ == State::sending) {
    segment_elapsed_ += interval_;
    elapsed_ += interval_;
    p.timestamp = segment_timestamp_;
    if (segment_elapsed_ >= kMaxEventDuration) {
      // This segment is full: report 0xFFFF on it, go on in a segment that starts 0xFFFF later
      // with what is left over.
      e.duration = kMaxEventDuration;
      previous_segment_timestamp_ = segment_timestamp_;
      segment_timestamp_ += kMaxEventDuration;
      segment_elapsed_ -= kMaxEventDuration;
    } else {
      e.duration = static_cast<std::uint32_t>(segment_elapsed_);
    }
  } else {
    e.end = true;
    // Ended exactly at a segment boundary: the end belongs to the full segment.
    const bool at_boundary = segment_elapsed_ == 0 && elapsed_ > 0;
    p.timestamp = at_boundary ? previous_segment_timestamp_ : segment_timestamp_;
    e.duration = at_boundary ? kMaxEventDuration : static_cast<std::uint32_t>(segment_elapsed_);
    if (--repeats_left_ == 0) state_ = State::idle;
  }
  p.marker = first_;
  p.end = e.end;
  first_ = false;
  (void)write_event(e, p.payload);  // fields are in range by construction
  *out = p;
  return true;
}

void TelephoneEventSender::reset() noexcept {
  state_ = State::idle;
  segment_elapsed_ = 0;
  elapsed_ = 0;
  first_ = true;
  repeats_left_ = 0;
}

}  // namespace ivrmedia::rtp
