// ivrmedia C++ API: RFC 4733 telephone-events (DTMF over RTP), received and sent.
//
// Payload (RFC 4733 section 2.3): event code (8 bits), E = end (1), R = reserved (1),
// volume (6 bits, the tone's power as -dBm0, 0-63; DTMF only), duration (16 bits, on the event
// clock, counted from the event's RTP timestamp, which marks its onset). Codes 0-9 are the
// digits, 10 '*', 11 '#', 12-15 'A'-'D', 16 flash-hook; other codes are passed through.
// A payload longer than 4 bytes carries more event blocks (RFC 4733 section 2.5.1.5); only the
// first, the current event, is read.
//
// Receiving: TelephoneEventReceiver turns the packets of the event payload type into one
// `begin` and one `end` per key press, however the packets arrive:
//   - begin as soon as any packet of a new event arrives (hosts stop prompts on it); end on the
//     first packet with E, and the two more copies RFC 4733 section 2.5.1.4 has senders
//     transmit are recognized and dropped (counted in retransmitted_ends);
//   - a new event is a packet with another timestamp or another code than the current one;
//     on the previous event's timestamp it is new only with the marker set, another code, or
//     a duration that started again (some senders reuse the timestamp when no audio was sent
//     between two digits);
//   - the same digit twice without a marker: the second has a later timestamp, so it is a
//     second event (and ends the first if its end packets were lost: cause new_event);
//   - the start packet lost: the event begins on the first packet that arrives, with the onset
//     still taken from its timestamp and `start_lost` set (no marker seen);
//   - every end packet lost: the event ends `end_timeout_ms` (default 500) after its last
//     packet arrived, when poll() is called with a later time (cause timeout), or earlier
//     when the next event starts (cause new_event);
//   - long events (section 2.5.1.3): the 16-bit duration saturates at 0xFFFF (8.19 s on an
//     8 kHz clock, 1.37 s on 48 kHz); the sender then starts a segment whose timestamp is the
//     previous one plus 0xFFFF, without a marker. Segments are joined: one begin, one end, the
//     total duration in 64 bits;
//   - timestamps are unwrapped to 64 bits (events across the 32-bit wrap keep their order);
//     duplicates and reordering are recognized by timestamp and duration, and the sequence
//     number only tells a late update of an ended event (older) from a new event reusing its
//     timestamp (newer), so the packets need not pass a jitter buffer first;
//   - the event clock is the one negotiated for telephone-event (often 8000 Hz beside 16 or
//     48 kHz audio); durations are reported on it and converted with to_ms().
// Events are queued (capacity from the config, overflow counted, never grown) and read with
// read(). The receiver never logs; digits are caller data.
//
// Sending: TelephoneEventSender makes the payloads of one outbound event at a time, one per
// packet interval: the marker on the first packet only, the same timestamp on all, the duration
// growing by one interval per packet, segments at 0xFFFF, the end packet sent three times.
// Stopping a stream mid-digit: call end() and send what next() still returns. Packets go out
// with rtp::Builder::build_at (the event's payload type and timestamp on the audio stream's
// sequence numbers).
//
// Real-time safe: push, poll, read, next never allocate, lock or throw.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "ivrmedia/core.hpp"
#include "ivrmedia/rtp.hpp"

namespace ivrmedia::rtp {

inline constexpr int kEventFlash = 16;
inline constexpr std::uint32_t kMaxEventDuration = 0xFFFF;

// '0'-'9', '*', '#', 'A'-'D' for codes 0-15, '!' for flash (16), 0 for anything else.
[[nodiscard]] IVRM_API char event_char(int code) noexcept;
// The code of a DTMF character (as above, case-insensitive); -1 for anything else.
[[nodiscard]] IVRM_API int event_code(char c) noexcept;

// One 4-byte event block.
struct EventPayload {
  int code = 0;                // 0-255
  bool end = false;            // E bit
  int volume = 0;              // 0-63, -dBm0
  std::uint32_t duration = 0;  // 0-0xFFFF, event clock units
};
// Reads the first block; malformed for fewer than 4 bytes (out untouched), null_pointer.
[[nodiscard]] IVRM_API Status parse_event(std::span<const std::uint8_t> payload,
                                          EventPayload* out) noexcept;
// Writes one block into out[0..3]; invalid_argument for fields out of range.
[[nodiscard]] IVRM_API Status write_event(const EventPayload& event,
                                          std::span<std::uint8_t, 4> out) noexcept;

struct TelephoneEvent {
  enum class Phase : std::int32_t { begin = 0, end = 1 };
  enum class EndCause : std::int32_t {
    none = 0,       // begin events
    end_bit = 1,    // a packet with E arrived
    timeout = 2,    // no packet for end_timeout_ms (all end packets lost)
    new_event = 3,  // the next event started before this one's end arrived
    flushed = 4,    // the host ended the stream (finish) or the source changed
  };
  Phase phase = Phase::begin;
  int code = 0;
  int volume = 0;             // -dBm0, from the latest packet
  std::int64_t start = 0;     // unwrapped RTP timestamp of the onset (event clock)
  std::int64_t duration = 0;  // event clock units: so far (begin), total (end)
  bool start_lost = false;    // no packet with the marker was seen for this event
  EndCause cause = EndCause::none;
  std::int64_t arrival_us = 0;  // arrival (or poll) time that produced this event
};

class IVRM_API TelephoneEventReceiver {
 public:
  struct Config {
    int clock_rate_hz = 8000;         // the telephone-event clock (a=rtpmap), 1000-192000
    int end_timeout_ms = 500;         // end an event this long after its last packet; 20-10000
    std::size_t queue_capacity = 64;  // events held until read; 2-4096
  };
  struct Stats {
    std::int64_t packets = 0;    // accepted packets
    std::int64_t malformed = 0;  // payloads shorter than 4 bytes
    std::int64_t events = 0;     // begins reported
    std::int64_t ended_by_bit = 0;
    std::int64_t ended_by_timeout = 0;
    std::int64_t ended_by_new_event = 0;
    std::int64_t ended_by_flush = 0;
    std::int64_t segments = 0;            // long-event segments joined
    std::int64_t retransmitted_ends = 0;  // copies of an end packet dropped
    std::int64_t stale = 0;               // late packets of events already ended
    std::int64_t overflowed = 0;          // events dropped: the queue was full
  };

  // Throws Error(bad_config) for values outside the ranges above.
  explicit TelephoneEventReceiver(const Config& config);
  TelephoneEventReceiver();

  // One packet of the event payload type, with its arrival time (microseconds, any epoch).
  // Returns ok, or malformed (payload under 4 bytes: counted, nothing else changes).
  [[nodiscard]] Status push(const PacketView& packet, std::int64_t arrival_us) noexcept {
    return push(packet.payload, packet.sequence, packet.timestamp, packet.marker, arrival_us);
  }
  [[nodiscard]] Status push(std::span<const std::uint8_t> payload, std::uint16_t sequence,
                            std::uint32_t timestamp, bool marker, std::int64_t arrival_us) noexcept;
  // Ends the current event if its last packet arrived end_timeout_ms or more before now_us.
  void poll(std::int64_t now_us) noexcept;
  // Ends the current event now (the stream stopped, or its source changed): cause flushed.
  void finish(std::int64_t now_us) noexcept;

  // Moves up to out.size() queued events into out, oldest first; returns how many.
  std::size_t read(std::span<TelephoneEvent> out) noexcept;
  [[nodiscard]] std::size_t pending() const noexcept { return count_; }
  // Whether an event is in progress (begun, not ended).
  [[nodiscard]] bool active() const noexcept { return active_; }

  [[nodiscard]] const Stats& stats() const noexcept { return stats_; }
  [[nodiscard]] int clock_rate_hz() const noexcept { return config_.clock_rate_hz; }
  // Event clock units to milliseconds.
  [[nodiscard]] double to_ms(std::int64_t units) const noexcept {
    return static_cast<double>(units) * 1000.0 / config_.clock_rate_hz;
  }
  // Forgets the current event, the queue and the statistics.
  void reset() noexcept;

  TelephoneEventReceiver(TelephoneEventReceiver&&) noexcept = default;
  TelephoneEventReceiver& operator=(TelephoneEventReceiver&&) noexcept = default;
  TelephoneEventReceiver(const TelephoneEventReceiver&) = delete;
  TelephoneEventReceiver& operator=(const TelephoneEventReceiver&) = delete;

 private:
  // The event being received: where its current segment starts and how far it got.
  struct Current {
    int code = 0;
    int volume = 0;
    std::int64_t start = 0;             // onset (first segment's timestamp)
    std::int64_t segment = 0;           // current segment's timestamp
    std::int64_t segment_duration = 0;  // largest duration seen in the current segment
    bool start_lost = false;
    std::int64_t last_arrival_us = 0;
    std::uint16_t latest_sequence = 0;
  };
  // The last ended event, to recognize its retransmitted end and late updates.
  struct Ended {
    bool valid = false;
    int code = 0;
    std::int64_t segment = 0;
    std::int64_t segment_duration = 0;
    std::uint16_t latest_sequence = 0;
  };

  void start(const EventPayload& e, std::int64_t ts, bool marker, std::uint16_t sequence,
             std::int64_t arrival_us) noexcept;
  void on_idle_packet(const EventPayload& e, std::int64_t ts, bool marker, std::uint16_t sequence,
                      std::int64_t arrival_us) noexcept;
  void end(TelephoneEvent::EndCause cause, std::int64_t arrival_us) noexcept;
  void emit(const TelephoneEvent& event) noexcept;
  [[nodiscard]] std::int64_t unwrap(std::uint32_t timestamp) noexcept;

  Config config_;
  std::int64_t timeout_us_ = 0;
  bool have_timestamp_ = false;
  std::uint32_t last_raw_ = 0;
  std::int64_t last_ext_ = 0;
  bool active_ = false;
  Current current_;
  Ended ended_;
  std::unique_ptr<TelephoneEvent[]> queue_;  // ring of config_.queue_capacity, made at creation
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  Stats stats_;
};

class IVRM_API TelephoneEventSender {
 public:
  struct Config {
    int clock_rate_hz = 8000;  // the telephone-event clock; 1000-192000
    int interval_ms = 20;      // one packet per interval (usually the audio ptime); 5-100
    int end_repeats = 3;       // copies of the end packet (RFC 4733 section 2.5.1.4); 1-10
  };
  struct Packet {
    std::array<std::uint8_t, 4> payload{};
    std::uint32_t timestamp = 0;  // the event's (segment's) onset
    bool marker = false;          // first packet of the event
    bool end = false;             // E bit set
  };

  // Throws Error(bad_config) for values outside the ranges above.
  explicit TelephoneEventSender(const Config& config);
  TelephoneEventSender();

  // Starts an event whose onset is `timestamp` (the audio stream's current timestamp).
  // bad_state while another event is being sent, invalid_argument for a code over 255 or a
  // volume over 63.
  [[nodiscard]] Status begin(int code, std::uint32_t timestamp, int volume = 10) noexcept;
  // The key was released: the next packets are the end packets. bad_state when idle or
  // already ending.
  [[nodiscard]] Status end() noexcept;
  // The packet for the interval that just elapsed; false when there is nothing to send.
  bool next(Packet* out) noexcept;

  [[nodiscard]] bool active() const noexcept { return state_ != State::idle; }
  [[nodiscard]] std::uint32_t interval_units() const noexcept { return interval_; }
  // Event clock units since the onset (all segments).
  [[nodiscard]] std::int64_t elapsed() const noexcept { return elapsed_; }
  void reset() noexcept;

 private:
  enum class State { idle, sending, ending };
  Config config_;
  std::uint32_t interval_;
  State state_ = State::idle;
  int code_ = 0;
  int volume_ = 0;
  std::uint32_t segment_timestamp_ = 0;
  std::uint32_t previous_segment_timestamp_ = 0;
  std::int64_t segment_elapsed_ = 0;  // units in the current segment
  std::int64_t elapsed_ = 0;
  bool first_ = true;
  int repeats_left_ = 0;
};

[[nodiscard]] IVRM_API const char* describe(TelephoneEvent::EndCause cause) noexcept;

}  // namespace ivrmedia::rtp
