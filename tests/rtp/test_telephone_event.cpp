// RFC 4733 telephone-events: the sender's packet sequence (section 2.5.1: marker on the first
// packet only, one timestamp, growing duration, end sent three times, segments at 0xFFFF) and
// the receiver's handling of what networks and real senders do to it (section 2.5.2: lost
// start, lost ends, retransmitted ends, reordering, reused timestamps, repeated digits without
// a marker, long events, 8 kHz event clocks beside wideband audio, wraps).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "ivrmedia/rtp.hpp"
#include "ivrmedia/telephone_event.hpp"
#include "support/alloc_counter.hpp"

namespace {

using ivrmedia::Error;
using ivrmedia::Status;
namespace rtp = ivrmedia::rtp;
using rtp::TelephoneEvent;
using Cause = TelephoneEvent::EndCause;
using Phase = TelephoneEvent::Phase;

struct Sent {
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  bool marker = false;
  std::array<std::uint8_t, 4> payload{};
  std::int64_t send_us = 0;
  int press = 0;  // which key press produced it
};

// A key press to send: code, tone and pause lengths.
struct Press {
  int code = 5;
  int tone_ms = 100;
  int pause_ms = 100;
};

// The packets a TelephoneEventSender makes for `presses`, on a stream whose audio timestamp
// advances with real time (so each press starts at a new timestamp).
std::vector<Sent> send_presses(const std::vector<Press>& presses, int clock_hz = 8000,
                               int interval_ms = 20, std::uint16_t first_sequence = 1000,
                               std::uint32_t first_timestamp = 5000) {
  rtp::TelephoneEventSender sender({.clock_rate_hz = clock_hz, .interval_ms = interval_ms});
  std::vector<Sent> out;
  std::uint16_t seq = first_sequence;
  std::int64_t now_ms = 0;
  const auto units_per_ms = [&](std::int64_t ms) {
    return static_cast<std::uint32_t>(ms * clock_hz / 1000);
  };
  for (std::size_t k = 0; k < presses.size(); ++k) {
    const Press& p = presses[k];
    const std::uint32_t onset = first_timestamp + units_per_ms(now_ms);
    EXPECT_EQ(sender.begin(p.code, onset, 7), Status::ok);
    rtp::TelephoneEventSender::Packet packet;
    // One update per interval while the key is down, then the key is released.
    for (int t = interval_ms; t <= p.tone_ms; t += interval_ms) {
      EXPECT_TRUE(sender.next(&packet));
      out.push_back({seq++, packet.timestamp, packet.marker, packet.payload, (now_ms + t) * 1000,
                     static_cast<int>(k)});
    }
    EXPECT_EQ(sender.end(), Status::ok);
    for (int r = 1; sender.next(&packet); ++r)
      out.push_back({seq++, packet.timestamp, packet.marker, packet.payload,
                     (now_ms + p.tone_ms + r * interval_ms) * 1000, static_cast<int>(k)});
    now_ms += p.tone_ms + p.pause_ms;
  }
  return out;
}

struct Received {
  std::vector<TelephoneEvent> events;
  rtp::TelephoneEventReceiver::Stats stats;
};

Received receive(const std::vector<Sent>& packets, int clock_hz = 8000,
                 std::int64_t poll_after_us = 2'000'000) {
  rtp::TelephoneEventReceiver rx({.clock_rate_hz = clock_hz});
  Received out;
  std::array<TelephoneEvent, 8> buffer;
  std::int64_t last = 0;
  for (const Sent& s : packets) {
    EXPECT_EQ(rx.push(s.payload, s.sequence, s.timestamp, s.marker, s.send_us), Status::ok);
    rx.poll(s.send_us);
    last = std::max(last, s.send_us);
    for (std::size_t n; (n = rx.read(buffer)) > 0;)
      out.events.insert(out.events.end(), buffer.begin(), buffer.begin() + n);
  }
  rx.poll(last + poll_after_us);
  for (std::size_t n; (n = rx.read(buffer)) > 0;)
    out.events.insert(out.events.end(), buffer.begin(), buffer.begin() + n);
  out.stats = rx.stats();
  return out;
}

rtp::EventPayload payload_of(const Sent& s) {
  rtp::EventPayload e;
  EXPECT_EQ(rtp::parse_event(s.payload, &e), Status::ok);
  return e;
}

// "code:duration/cause" per end event, for compact expectations.
std::string ends(const Received& r) {
  std::string s;
  for (const TelephoneEvent& e : r.events) {
    if (e.phase != Phase::end) continue;
    s += std::string(1, rtp::event_char(e.code)) + ":" + std::to_string(e.duration) + "/" +
         std::to_string(static_cast<int>(e.cause)) + " ";
  }
  return s;
}

TEST(TelephoneEvent, Rfc4733PayloadFieldsRoundTrip) {
  std::array<std::uint8_t, 4> bytes{};
  const rtp::EventPayload e{.code = 11, .end = true, .volume = 63, .duration = 0xFFFF};
  ASSERT_EQ(rtp::write_event(e, bytes), Status::ok);
  EXPECT_EQ(bytes, (std::array<std::uint8_t, 4>{11, 0x80 | 63, 0xFF, 0xFF}));
  rtp::EventPayload back;
  ASSERT_EQ(rtp::parse_event(bytes, &back), Status::ok);
  EXPECT_EQ(back.code, 11);
  EXPECT_TRUE(back.end);
  EXPECT_EQ(back.volume, 63);
  EXPECT_EQ(back.duration, 0xFFFFu);
  // The reserved bit is ignored on reception.
  bytes[1] = 0x40 | 10;
  ASSERT_EQ(rtp::parse_event(bytes, &back), Status::ok);
  EXPECT_FALSE(back.end);
  EXPECT_EQ(back.volume, 10);
  EXPECT_EQ(rtp::parse_event(std::span(bytes).first(3), &back), Status::malformed);
  EXPECT_EQ(rtp::parse_event(bytes, nullptr), Status::null_pointer);
  EXPECT_EQ(rtp::write_event({.code = 256}, bytes), Status::invalid_argument);
  EXPECT_EQ(rtp::write_event({.volume = 64}, bytes), Status::invalid_argument);
  const std::string digits = "0123456789*#ABCD";
  for (int code = 0; code < 16; ++code) {
    EXPECT_EQ(rtp::event_char(code), digits[static_cast<std::size_t>(code)]);
    EXPECT_EQ(rtp::event_code(digits[static_cast<std::size_t>(code)]), code);
  }
  EXPECT_EQ(rtp::event_char(rtp::kEventFlash), '!');
  EXPECT_EQ(rtp::event_char(17), '\0');
  EXPECT_EQ(rtp::event_code('x'), -1);
  EXPECT_EQ(rtp::event_code('d'), 15);
}

TEST(TelephoneEvent, Rfc4733SenderMarksFirstPacketKeepsTimestampGrowsDurationEndsThrice) {
  const auto packets = send_presses({{.code = 9, .tone_ms = 100}});
  ASSERT_EQ(packets.size(), 5u + 3u);
  for (std::size_t i = 0; i < packets.size(); ++i) {
    const rtp::EventPayload e = payload_of(packets[i]);
    EXPECT_EQ(packets[i].marker, i == 0) << i;
    EXPECT_EQ(packets[i].timestamp, 5000u) << i;
    EXPECT_EQ(e.code, 9);
    EXPECT_EQ(e.volume, 7);
    EXPECT_EQ(e.end, i >= 5) << i;
    EXPECT_EQ(e.duration, std::min<std::uint32_t>(static_cast<std::uint32_t>(i + 1), 5) * 160) << i;
  }
}

TEST(TelephoneEvent, Rfc4733EndSentThreeTimesIsReportedOnce) {
  const Received r = receive(send_presses({{.code = 1}, {.code = 2}}));
  ASSERT_EQ(r.events.size(), 4u);
  EXPECT_EQ(r.events[0].phase, Phase::begin);
  EXPECT_EQ(r.events[0].code, 1);
  EXPECT_FALSE(r.events[0].start_lost);
  EXPECT_EQ(r.events[0].start, 5000);
  EXPECT_EQ(r.events[0].arrival_us, 20000);  // key-down on the first packet
  EXPECT_EQ(ends(r), "1:800/1 2:800/1 ");
  EXPECT_EQ(r.events[3].start, 5000 + 1600);
  EXPECT_EQ(r.stats.retransmitted_ends, 4);
  EXPECT_EQ(r.stats.events, 2);
}

TEST(TelephoneEvent, Rfc4733StartPacketLostBeginsOnTheFirstArrival) {
  auto packets = send_presses({{.code = 4}});
  packets.erase(packets.begin(), packets.begin() + 2);  // marker packet and the next one lost
  const Received r = receive(packets);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_TRUE(r.events[0].start_lost);
  EXPECT_EQ(r.events[0].start, 5000);        // the onset comes from the timestamp
  EXPECT_EQ(r.events[0].duration, 3 * 160);  // what the first arriving packet said
  EXPECT_EQ(ends(r), "4:800/1 ");
}

TEST(TelephoneEvent, Rfc4733AllEndPacketsLostEndByTimeout) {
  auto packets = send_presses({{.code = 7, .tone_ms = 200}});
  packets.resize(packets.size() - 3);  // all three end packets lost
  rtp::TelephoneEventReceiver rx;      // end_timeout_ms = 500
  for (const Sent& s : packets)
    ASSERT_EQ(rx.push(s.payload, s.sequence, s.timestamp, s.marker, s.send_us), Status::ok);
  const std::int64_t last = packets.back().send_us;
  std::array<TelephoneEvent, 4> ev;
  rx.poll(last + 499'999);
  ASSERT_EQ(rx.read(ev), 1u);  // only the begin
  EXPECT_TRUE(rx.active());
  rx.poll(last + 500'000);
  ASSERT_EQ(rx.read(ev), 1u);
  EXPECT_EQ(ev[0].phase, Phase::end);
  EXPECT_EQ(ev[0].cause, Cause::timeout);
  EXPECT_EQ(ev[0].duration, 10 * 160);  // the last duration heard
  EXPECT_EQ(ev[0].arrival_us, last + 500'000);
  EXPECT_EQ(rx.stats().ended_by_timeout, 1);
}

TEST(TelephoneEvent, Rfc4733AllEndPacketsLostThenTheNextEventEndsIt) {
  auto packets = send_presses({{.code = 3, .pause_ms = 60}, {.code = 8}});
  packets.erase(packets.begin() + 5, packets.begin() + 8);  // the first press's ends
  const Received r = receive(packets);
  EXPECT_EQ(ends(r), "3:800/3 8:800/1 ");
}

TEST(TelephoneEvent, Rfc4733NextEventReusingThePreviousTimestamp) {
  // Some senders start the next digit on the same timestamp when no audio went out between.
  auto packets = send_presses({{.code = 6}, {.code = 6}});
  const std::uint32_t first_ts = packets.front().timestamp;
  for (Sent& s : packets)
    s.timestamp = first_ts;
  Received r = receive(packets);
  EXPECT_EQ(ends(r), "6:800/1 6:800/1 ");
  // Without the second event's marker: its duration started again, and it came after the end.
  packets[8].marker = false;
  r = receive(packets);
  EXPECT_EQ(ends(r), "6:800/1 6:800/1 ");
  // A late update of the first event, arriving after its end, is not a new event.
  std::vector<Sent> late(packets.begin(), packets.begin() + 8);
  late.push_back(packets[2]);
  late.back().send_us = late[7].send_us + 1000;
  r = receive(late);
  EXPECT_EQ(ends(r), "6:800/1 ");
  EXPECT_EQ(r.stats.stale, 1);
}

TEST(TelephoneEvent, Rfc4733SameDigitTwiceWithoutMarkerBits) {
  auto packets = send_presses({{.code = 0, .pause_ms = 40}, {.code = 0}, {.code = 0}});
  for (Sent& s : packets)
    s.marker = false;
  const Received r = receive(packets);
  EXPECT_EQ(ends(r), "0:800/1 0:800/1 0:800/1 ");
  EXPECT_EQ(r.stats.events, 3);
}

TEST(TelephoneEvent, Rfc4733LongEventSplitIntoSegmentsAt8kHz) {
  // 10 s on an 8 kHz clock: the 16-bit duration saturates after 8.19 s.
  const auto packets = send_presses({{.code = 11, .tone_ms = 10000}});
  int segment_ends = 0;
  std::vector<std::uint32_t> timestamps;
  for (const Sent& s : packets) {
    const rtp::EventPayload e = payload_of(s);
    if (e.duration == 0xFFFF && !e.end) ++segment_ends;
    if (timestamps.empty() || timestamps.back() != s.timestamp) timestamps.push_back(s.timestamp);
    EXPECT_EQ(s.marker, &s == &packets.front());
  }
  EXPECT_EQ(segment_ends, 1);
  ASSERT_EQ(timestamps.size(), 2u);
  EXPECT_EQ(timestamps[1] - timestamps[0], 0xFFFFu);
  const Received r = receive(packets);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[1].duration, 80000);
  EXPECT_EQ(r.events[1].cause, Cause::end_bit);
  EXPECT_EQ(r.stats.segments, 1);
}

TEST(TelephoneEvent, Rfc4733LongEventSplitIntoSegmentsAt48kHz) {
  // 4 s on a 48 kHz clock: segments every 1.365 s, two boundaries.
  const auto packets = send_presses({{.code = 2, .tone_ms = 4000}}, 48000);
  const Received r = receive(packets, 48000);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[1].duration, 4 * 48000);
  EXPECT_EQ(r.stats.segments, 2);
  // The segment-end packet itself lost: the next segment's timestamp still joins them.
  std::vector<Sent> lossy;
  for (const Sent& s : packets)
    if (payload_of(s).duration != 0xFFFF) lossy.push_back(s);
  const Received r2 = receive(lossy, 48000);
  EXPECT_EQ(ends(r2), "2:192000/1 ");
}

TEST(TelephoneEvent, Rfc4733EightKilohertzEventClockBesideWidebandAudio) {
  // telephone-event/8000 negotiated beside opus/48000: durations are on the event clock.
  auto packets = send_presses({{.code = 12, .tone_ms = 120}}, 8000);
  rtp::TelephoneEventReceiver rx({.clock_rate_hz = 8000});
  for (const Sent& s : packets)
    ASSERT_EQ(rx.push(s.payload, s.sequence, s.timestamp, s.marker, s.send_us), Status::ok);
  std::array<TelephoneEvent, 4> ev;
  ASSERT_EQ(rx.read(ev), 2u);
  EXPECT_EQ(ev[1].duration, 960);
  EXPECT_DOUBLE_EQ(rx.to_ms(ev[1].duration), 120.0);
  rtp::TelephoneEventReceiver wide({.clock_rate_hz = 48000});
  EXPECT_DOUBLE_EQ(wide.to_ms(5760), 120.0);
}

TEST(TelephoneEvent, Rfc4733EventsAcrossSequenceAndTimestampWrap) {
  const auto packets =
      send_presses({{.code = 1}, {.code = 2}, {.code = 3}}, 8000, 20, 65530, 0xFFFFFF00u);
  const Received r = receive(packets);
  EXPECT_EQ(ends(r), "1:800/1 2:800/1 3:800/1 ");
  ASSERT_EQ(r.events.size(), 6u);
  EXPECT_LT(r.events[0].start, r.events[2].start);
  EXPECT_LT(r.events[2].start, r.events[4].start);
  EXPECT_EQ(r.events[4].start, std::int64_t{0xFFFFFF00u} + 2 * 1600);
}

TEST(TelephoneEvent, Rfc4733ReorderedAndDuplicatedPacketsGiveOneEvent) {
  auto packets = send_presses({{.code = 14, .tone_ms = 160}});
  // The end arrives first, then the updates backwards, then everything again.
  std::vector<Sent> shuffled(packets.rbegin(), packets.rend());
  shuffled.insert(shuffled.end(), packets.begin(), packets.end());
  const Received r = receive(shuffled);
  EXPECT_EQ(ends(r), "C:1280/1 ");
  EXPECT_EQ(r.stats.events, 1);
}

// Random presses through a lossy, reordering, duplicating network: every press with at least
// one surviving packet is reported exactly once (one begin, one end), in order.
TEST(TelephoneEvent, Rfc4733RandomNetworkReportsEachPressOnce) {
  const unsigned seed = 4733;
  std::printf("seed %u (replay: change `seed` in %s)\n", seed, __FILE__);
  std::mt19937 rng(seed);
  std::vector<Press> presses;
  for (int i = 0; i < 400; ++i)
    presses.push_back({static_cast<int>(rng() % 16), 60 + static_cast<int>(rng() % 300),
                       60 + static_cast<int>(rng() % 400)});
  const auto sent = send_presses(presses, 8000, 20, 60000, 0xFFF00000u);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::vector<std::pair<std::int64_t, Sent>> arrivals;
  for (const Sent& s : sent) {
    if (coin(rng) < 0.15) continue;
    const std::int64_t delay = static_cast<std::int64_t>(coin(rng) * 30'000);  // < pause
    arrivals.emplace_back(s.send_us + delay, s);
    if (coin(rng) < 0.05) arrivals.emplace_back(s.send_us + delay + 5000, s);
  }
  std::stable_sort(arrivals.begin(), arrivals.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Sent> in;
  std::vector<int> expected_presses;
  for (auto& [t, s] : arrivals) {
    s.send_us = t;
    in.push_back(s);
    if (expected_presses.empty() || expected_presses.back() < s.press)
      expected_presses.push_back(s.press);
  }
  const Received r = receive(in);
  std::vector<int> begins;
  std::vector<int> end_codes;
  for (const TelephoneEvent& e : r.events)
    (e.phase == Phase::begin ? begins : end_codes).push_back(e.code);
  ASSERT_EQ(begins.size(), expected_presses.size());
  ASSERT_EQ(end_codes.size(), expected_presses.size());
  for (std::size_t i = 0; i < expected_presses.size(); ++i) {
    EXPECT_EQ(begins[i], presses[static_cast<std::size_t>(expected_presses[i])].code) << i;
    EXPECT_EQ(end_codes[i], begins[i]) << i;
  }
  // Begin and end alternate: never two digits at once.
  for (std::size_t i = 0; i < r.events.size(); ++i)
    EXPECT_EQ(r.events[i].phase, i % 2 == 0 ? Phase::begin : Phase::end) << i;
}

TEST(TelephoneEvent, QueueOverflowIsCountedNotGrownAndNothingAllocates) {
  rtp::TelephoneEventReceiver rx({.queue_capacity = 4});
  const auto packets = send_presses({{.code = 1}, {.code = 2}, {.code = 3}, {.code = 4}});
  ivrm_test::AllocationScope scope;
  for (const Sent& s : packets)
    (void)rx.push(s.payload, s.sequence, s.timestamp, s.marker, s.send_us);
  rx.poll(1'000'000'000);
  std::array<TelephoneEvent, 16> ev;
  EXPECT_EQ(rx.read(ev), 4u);
  EXPECT_EQ(rx.stats().overflowed, 4);
  rtp::TelephoneEventSender sender;
  rtp::TelephoneEventSender::Packet p;
  (void)sender.begin(3, 0);
  while (sender.next(&p) && sender.elapsed() < 800)
    ;
  (void)sender.end();
  while (sender.next(&p))
    ;
  EXPECT_EQ(scope.count(), 0);
}

TEST(TelephoneEvent, MalformedPayloadIsCountedAndChangesNothing) {
  rtp::TelephoneEventReceiver rx;
  const std::array<std::uint8_t, 3> shorty{1, 2, 3};
  EXPECT_EQ(rx.push(shorty, 1, 1, true, 0), Status::malformed);
  EXPECT_EQ(rx.stats().malformed, 1);
  EXPECT_EQ(rx.stats().packets, 0);
  EXPECT_FALSE(rx.active());
  EXPECT_EQ(rx.pending(), 0u);
}

TEST(TelephoneEvent, FinishEndsTheCurrentEventAsFlushed) {
  auto packets = send_presses({{.code = 5, .tone_ms = 300}});
  rtp::TelephoneEventReceiver rx;
  for (int i = 0; i < 4; ++i)
    (void)rx.push(packets[static_cast<std::size_t>(i)].payload,
                  packets[static_cast<std::size_t>(i)].sequence,
                  packets[static_cast<std::size_t>(i)].timestamp,
                  packets[static_cast<std::size_t>(i)].marker, 0);
  rx.finish(123);
  std::array<TelephoneEvent, 4> ev;
  ASSERT_EQ(rx.read(ev), 2u);
  EXPECT_EQ(ev[1].cause, Cause::flushed);
  EXPECT_EQ(ev[1].duration, 640);
  EXPECT_FALSE(rx.active());
}

TEST(TelephoneEvent, Rfc4733SenderStateRulesAndStreamStopMidDigit) {
  rtp::TelephoneEventSender sender({.clock_rate_hz = 48000, .interval_ms = 20});
  EXPECT_EQ(sender.interval_units(), 960u);
  EXPECT_EQ(sender.end(), Status::bad_state);
  EXPECT_EQ(sender.begin(256, 0), Status::invalid_argument);
  EXPECT_EQ(sender.begin(1, 0, 64), Status::invalid_argument);
  ASSERT_EQ(sender.begin(1, 777), Status::ok);
  EXPECT_EQ(sender.begin(2, 777), Status::bad_state);
  rtp::TelephoneEventSender::Packet p;
  ASSERT_TRUE(sender.next(&p));
  // The stream stops mid-digit: end now, and the three end packets still go out.
  ASSERT_EQ(sender.end(), Status::ok);
  EXPECT_EQ(sender.end(), Status::bad_state);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(sender.next(&p));
    EXPECT_TRUE(p.end);
    EXPECT_FALSE(p.marker);
    EXPECT_EQ(p.timestamp, 777u);
  }
  EXPECT_FALSE(sender.next(&p));
  EXPECT_FALSE(sender.active());
  // Ended before any packet went out: the end packets carry the marker on the first.
  ASSERT_EQ(sender.begin(4, 9000), Status::ok);
  ASSERT_EQ(sender.end(), Status::ok);
  ASSERT_TRUE(sender.next(&p));
  EXPECT_TRUE(p.marker);
  EXPECT_TRUE(p.end);
  EXPECT_THROW(rtp::TelephoneEventSender({.interval_ms = 1}), Error);
  EXPECT_THROW(rtp::TelephoneEventReceiver({.clock_rate_hz = 0}), Error);
}

TEST(TelephoneEvent, Rfc4733EndAtASegmentBoundaryBelongsToTheFullSegment) {
  // 15 ms packets on a 1000 Hz clock are 15 units each, and 0xFFFF = 4369 x 15.
  rtp::TelephoneEventSender sender({.clock_rate_hz = 1000, .interval_ms = 15});
  ASSERT_EQ(sender.begin(9, 100), Status::ok);
  rtp::TelephoneEventSender::Packet p;
  for (int i = 0; i < 4369; ++i)
    ASSERT_TRUE(sender.next(&p));
  rtp::EventPayload e;
  ASSERT_EQ(rtp::parse_event(p.payload, &e), Status::ok);
  EXPECT_EQ(e.duration, 0xFFFFu);
  EXPECT_EQ(p.timestamp, 100u);
  ASSERT_EQ(sender.end(), Status::ok);
  ASSERT_TRUE(sender.next(&p));
  ASSERT_EQ(rtp::parse_event(p.payload, &e), Status::ok);
  EXPECT_TRUE(e.end);
  EXPECT_EQ(e.duration, 0xFFFFu);
  EXPECT_EQ(p.timestamp, 100u);
}

TEST(TelephoneEvent, Rfc4733PacketsGoOutOnTheAudioStreamWithBuildAt) {
  rtp::Builder builder({.payload_type = 0,
                        .clock_rate_hz = 8000,
                        .ssrc = 42,
                        .first_sequence = 65535,
                        .first_timestamp = 1000});
  std::array<std::uint8_t, 200> buffer;
  std::size_t written = 0;
  const std::array<std::uint8_t, 160> audio{};
  ASSERT_EQ(builder.build(audio, 160, false, buffer, &written), Status::ok);
  rtp::TelephoneEventSender sender;
  ASSERT_EQ(sender.begin(5, builder.next_timestamp()), Status::ok);
  rtp::TelephoneEventSender::Packet p;
  ASSERT_TRUE(sender.next(&p));
  ASSERT_EQ(builder.build_at(101, p.payload, p.timestamp, p.marker, buffer, &written), Status::ok);
  rtp::PacketView view;
  ASSERT_EQ(rtp::parse(std::span(buffer).first(written), &view, nullptr), Status::ok);
  EXPECT_EQ(view.payload_type, 101);
  EXPECT_EQ(view.sequence, 0);  // continues the audio's sequence across the wrap
  EXPECT_EQ(view.timestamp, 1160u);
  EXPECT_TRUE(view.marker);
  EXPECT_EQ(view.payload.size(), 4u);
  // The stream's own timestamp and payload type are untouched.
  EXPECT_EQ(builder.next_timestamp(), 1160u);
  EXPECT_EQ(builder.payload_type(), 0);
  EXPECT_EQ(builder.build_at(128, p.payload, 0, false, buffer, &written), Status::invalid_argument);
  EXPECT_EQ(builder.build_at(101, p.payload, 0, false, buffer, nullptr), Status::null_pointer);
  rtp::TelephoneEventReceiver rx;
  ASSERT_EQ(rx.push(view, 0), Status::ok);
  EXPECT_EQ(rx.pending(), 1u);
}

}  // namespace
