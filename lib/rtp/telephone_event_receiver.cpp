// RFC 4733 receiver: packets of the telephone-event payload type -> one begin and one end per
// key press (the rules are in telephone_event.hpp).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>

#include "ivrmedia/telephone_event.hpp"

namespace ivrmedia::rtp {
namespace {

// a is newer than b in 16-bit sequence space (RFC 3550's modular comparison).
bool sequence_newer(std::uint16_t a, std::uint16_t b) noexcept {
  return static_cast<std::int16_t>(static_cast<std::uint16_t>(a - b)) > 0;
}

}  // namespace

TelephoneEventReceiver::TelephoneEventReceiver() : TelephoneEventReceiver(Config{}) {}

TelephoneEventReceiver::TelephoneEventReceiver(const Config& config) : config_(config) {
  if (config.clock_rate_hz < 1000 || config.clock_rate_hz > 192000) {
    throw Error(Status::bad_config, "rtp::TelephoneEventReceiver: clock rate must be 1000-192000");
  }
  if (config.end_timeout_ms < 20 || config.end_timeout_ms > 10000) {
    throw Error(Status::bad_config, "rtp::TelephoneEventReceiver: end timeout must be 20-10000 ms");
  }
  if (config.queue_capacity < 2 || config.queue_capacity > 4096) {
    throw Error(Status::bad_config, "rtp::TelephoneEventReceiver: queue capacity must be 2-4096");
  }
  timeout_us_ = std::int64_t{config.end_timeout_ms} * 1000;
  queue_ = std::make_unique<TelephoneEvent[]>(config.queue_capacity);
}

std::int64_t TelephoneEventReceiver::unwrap(std::uint32_t timestamp) noexcept {
  if (!have_timestamp_) {
    have_timestamp_ = true;
    last_raw_ = timestamp;
    last_ext_ = timestamp;
    return last_ext_;
  }
  const std::int64_t ext = last_ext_ + static_cast<std::int32_t>(timestamp - last_raw_);
  if (ext > last_ext_) {  // the reference follows the newest timestamp only
    last_ext_ = ext;
    last_raw_ = timestamp;
  }
  return ext;
}

Status TelephoneEventReceiver::push(std::span<const std::uint8_t> payload, std::uint16_t sequence,
                                    std::uint32_t timestamp, bool marker,
                                    std::int64_t arrival_us) noexcept {
  EventPayload e;
  if (parse_event(payload, &e) != Status::ok) {
    ++stats_.malformed;
    return Status::malformed;
  }
  ++stats_.packets;
  const std::int64_t ts = unwrap(timestamp);
  if (!active_) {
    on_idle_packet(e, ts, marker, sequence, arrival_us);
    return Status::ok;
  }

  Current& c = current_;
  if (ts == c.segment && e.code == c.code) {  // an update (or the end) of the current segment
    c.segment_duration = std::max<std::int64_t>(c.segment_duration, e.duration);
    c.volume = e.volume;
    c.last_arrival_us = arrival_us;
    if (sequence_newer(sequence, c.latest_sequence)) c.latest_sequence = sequence;
    if (e.end) end(TelephoneEvent::EndCause::end_bit, arrival_us);
    return Status::ok;
  }
  // The next segment of a long event starts where the saturated one ends (section 2.5.1.3).
  const std::int64_t ahead = ts - c.segment;
  const bool continuation =
      e.code == c.code && !marker &&
      (ahead == kMaxEventDuration || (c.segment_duration == kMaxEventDuration && ahead > 0 &&
                                      ahead <= 2 * std::int64_t{kMaxEventDuration}));
  if (continuation) {
    ++stats_.segments;
    c.segment = ts;
    c.segment_duration = e.duration;
    c.volume = e.volume;
    c.last_arrival_us = arrival_us;
    c.latest_sequence = sequence;
    if (e.end) end(TelephoneEvent::EndCause::end_bit, arrival_us);
    return Status::ok;
  }
  if (ts < c.segment) {  // older than the current event: the previous one's stragglers
    if (ended_.valid && ts == ended_.segment && e.code == ended_.code && e.end) {
      ++stats_.retransmitted_ends;
    } else {
      ++stats_.stale;
    }
    return Status::ok;
  }
  // Later timestamp or another code: a new event, and the current one's end was lost.
  end(TelephoneEvent::EndCause::new_event, arrival_us);
  start(e, ts, marker, sequence, arrival_us);
  return Status::ok;
}

void TelephoneEventReceiver::on_idle_packet(const EventPayload& e, std::int64_t ts, bool marker,
                                            std::uint16_t sequence,
                                            std::int64_t arrival_us) noexcept {
  if (ended_.valid) {
    if (ts < ended_.segment) {
      ++stats_.stale;
      return;
    }
    if (ts == ended_.segment) {
      // Sent after the ended event's packets, and with a marker, another code or a duration
      // that started again: a new event on the reused timestamp. Otherwise a late update or a
      // copy of the end.
      const bool newer = sequence_newer(sequence, ended_.latest_sequence);
      const bool fresh = marker || e.code != ended_.code || e.duration < ended_.segment_duration;
      if (!(newer && fresh)) {
        if (e.end && e.code == ended_.code && e.duration == ended_.segment_duration) {
          ++stats_.retransmitted_ends;
          if (newer) ended_.latest_sequence = sequence;
        } else {
          ++stats_.stale;
        }
        return;
      }
    }
  }
  start(e, ts, marker, sequence, arrival_us);
}

void TelephoneEventReceiver::start(const EventPayload& e, std::int64_t ts, bool marker,
                                   std::uint16_t sequence, std::int64_t arrival_us) noexcept {
  active_ = true;
  current_ = Current{};
  current_.code = e.code;
  current_.volume = e.volume;
  current_.start = ts;
  current_.segment = ts;
  current_.segment_duration = e.duration;
  current_.start_lost = !marker;
  current_.last_arrival_us = arrival_us;
  current_.latest_sequence = sequence;
  ++stats_.events;
  TelephoneEvent begin;
  begin.phase = TelephoneEvent::Phase::begin;
  begin.code = e.code;
  begin.volume = e.volume;
  begin.start = ts;
  begin.duration = e.duration;
  begin.start_lost = !marker;
  begin.arrival_us = arrival_us;
  emit(begin);
  if (e.end) end(TelephoneEvent::EndCause::end_bit, arrival_us);
}

void TelephoneEventReceiver::end(TelephoneEvent::EndCause cause, std::int64_t arrival_us) noexcept {
  const Current& c = current_;
  TelephoneEvent out;
  out.phase = TelephoneEvent::Phase::end;
  out.code = c.code;
  out.volume = c.volume;
  out.start = c.start;
  out.duration = (c.segment - c.start) + c.segment_duration;
  out.start_lost = c.start_lost;
  out.cause = cause;
  out.arrival_us = arrival_us;
  switch (cause) {
    case TelephoneEvent::EndCause::end_bit:
      ++stats_.ended_by_bit;
      break;
    case TelephoneEvent::EndCause::timeout:
      ++stats_.ended_by_timeout;
      break;
    case TelephoneEvent::EndCause::new_event:
      ++stats_.ended_by_new_event;
      break;
    default:
      ++stats_.ended_by_flush;
      break;
  }
  emit(out);
  ended_.valid = true;
  ended_.code = c.code;
  ended_.segment = c.segment;
  ended_.segment_duration = c.segment_duration;
  ended_.latest_sequence = c.latest_sequence;
  active_ = false;
}

void TelephoneEventReceiver::poll(std::int64_t now_us) noexcept {
  if (active_ && now_us - current_.last_arrival_us >= timeout_us_) {
    end(TelephoneEvent::EndCause::timeout, now_us);
  }
}

void TelephoneEventReceiver::finish(std::int64_t now_us) noexcept {
  if (active_) end(TelephoneEvent::EndCause::flushed, now_us);
}

void TelephoneEventReceiver::emit(const TelephoneEvent& event) noexcept {
  if (count_ == config_.queue_capacity) {
    ++stats_.overflowed;
    return;
  }
  queue_[(head_ + count_) % config_.queue_capacity] = event;
  ++count_;
}

std::size_t TelephoneEventReceiver::read(std::span<TelephoneEvent> out) noexcept {
  const std::size_t n = std::min(out.size(), count_);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = queue_[(head_ + i) % config_.queue_capacity];
  head_ = (head_ + n) % config_.queue_capacity;
  count_ -= n;
  return n;
}

void TelephoneEventReceiver::reset() noexcept {
  have_timestamp_ = false;
  last_raw_ = 0;
  last_ext_ = 0;
  active_ = false;
  current_ = Current{};
  ended_ = Ended{};
  head_ = 0;
  count_ = 0;
  stats_ = {};
}

}  // namespace ivrmedia::rtp
