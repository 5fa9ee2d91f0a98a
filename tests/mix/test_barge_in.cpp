// Barge-in from the caller's key to the silenced prompt, end to end: the in-band path (ITU-T Q.24
// detector key-down) and the RFC 4733 path (telephone-event begin) each stop an interruptible
// prompt within one 20 ms frame of the key being known, long before the key is released:
// Asterisk and FreeSWITCH stop on key-up, so a caller holding a key hears the prompt go on.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include "ivrmedia/dtmf.hpp"
#include "ivrmedia/player.hpp"
#include "ivrmedia/prompt.hpp"
#include "ivrmedia/telephone_event.hpp"
#include "sim/speech_like.hpp"

namespace {

namespace mix = ivrmedia::mix;
namespace dtmf = ivrmedia::dtmf;
namespace rtp = ivrmedia::rtp;
using ivrmedia::Status;

constexpr int kRate = 8000;
constexpr std::size_t kFrame = 160;  // 20 ms

std::shared_ptr<const mix::Prompt> menu_prompt() {
  return mix::Prompt::adopt(ivrmedia::sim::speech_like(kRate * 3, {kRate, -18.0, 5}), kRate,
                            "menu");
}

// What the host loop observed: when the key became known, and what the player said and did.
struct Outcome {
  std::int64_t key_known = -1;    // start of the caller frame in which key-down arrived
  std::int64_t key_up = -1;       // when the key was released (end of the tone or event)
  std::int64_t interrupted = -1;  // the player's interrupted event (output samples)
  std::int64_t silent_from = -1;  // first output sample from which the player stays silent
  char digit = 0;
};

// Renders the player frame by frame after `on_frame` has handled the caller's frame `t`, as a
// host does, and finds when the prompt fell silent for good.
template <class OnFrame>
Outcome run_call(mix::Player& voice, std::size_t samples, OnFrame on_frame) {
  Outcome o;
  std::vector<float> frame(kFrame), heard;
  for (std::size_t t = 0; t < samples; t += kFrame) {
    on_frame(static_cast<std::int64_t>(t), o);
    voice.render(frame);
    heard.insert(heard.end(), frame.begin(), frame.end());
  }
  mix::PlayerEvent ev[8];
  for (std::size_t i = 0, n = voice.read_events(ev); i < n; ++i) {
    if (ev[i].type != mix::PlayerEvent::Type::interrupted) continue;
    o.interrupted = ev[i].time;
    o.digit = ev[i].digit;
    EXPECT_EQ(ev[i].reason, mix::StopReason::barge_in_dtmf);
  }
  std::int64_t last = -1;
  for (std::size_t i = 0; i < heard.size(); ++i)
    if (heard[i] != 0.0f) last = static_cast<std::int64_t>(i);
  o.silent_from = last + 1;
  return o;
}

// ITU-T Q.24 in-band keys: the detector's key-down, through BargeIn, stops the menu at the next
// rendered frame, for every digit, while the caller still holds the key (a 300 ms press).
TEST(MixBargeIn, InBandKeyDownStopsThePromptWithinOneFrameLongBeforeKeyUpQ24) {
  const auto menu = menu_prompt();
  const char* digits = "0123456789*#ABCD";
  double worst_ms = 0;
  for (const char* d = digits; *d != 0; ++d) {
    mix::Player voice;
    ASSERT_EQ(voice.play(menu), Status::ok);
    dtmf::Detector detector({});
    dtmf::Generator keys({.tone_ms = 300.0, .pause_ms = 0.0});
    mix::BargeIn barge;
    const std::int64_t press_at = kRate + 53;  // not on a frame boundary
    std::vector<float> caller(kFrame);
    const Outcome o = run_call(voice, kRate * 2, [&](std::int64_t t, Outcome& out) {
      std::fill(caller.begin(), caller.end(), 0.0f);
      if (t <= press_at && press_at < t + static_cast<std::int64_t>(kFrame)) {
        ASSERT_EQ(keys.queue(std::string(1, *d)), Status::ok);
        keys.generate(std::span(caller).subspan(static_cast<std::size_t>(press_at - t)));
      } else {
        keys.generate(caller);
      }
      detector.process(caller);
      dtmf::Event ev[4];
      for (std::size_t i = 0, n = detector.read_events(ev); i < n; ++i) {
        mix::BargeIn::Event b;
        if (ev[i].type == dtmf::Event::Type::key_down && barge.key_down(ev[i].digit, &b)) {
          out.key_known = t;
          voice.barge_in(b.reason, b.digit);
        }
        if (ev[i].type == dtmf::Event::Type::key_up) out.key_up = ev[i].end_sample;
      }
    });
    ASSERT_GE(o.key_known, 0) << *d;
    EXPECT_EQ(o.digit, *d);
    // The IVR frame rendered right after that caller frame carries the stop; the 20 ms barge
    // fade ends within it.
    EXPECT_EQ(o.interrupted, o.key_known) << *d;
    EXPECT_LE(o.silent_from, o.key_known + static_cast<std::int64_t>(kFrame)) << *d;
    EXPECT_LT(o.silent_from, press_at + kRate * 300 / 1000) << *d;  // key still held
    ASSERT_GT(o.key_up, o.silent_from) << *d;
    worst_ms = std::max(worst_ms, 1000.0 * double(o.silent_from - press_at) / kRate);
  }
  std::printf("in-band key: prompt silent at most %.1f ms after the tone began (300 ms press)\n",
              worst_ms);
  EXPECT_LT(worst_ms, 100.0);
}

// RFC 4733: the first telephone-event packet (begin) stops the prompt at the next frame, though
// the key is held for 400 ms and its end packets come much later.
TEST(MixBargeIn, Rfc4733BeginStopsThePromptWithinOneFrameLongBeforeTheEnd) {
  const auto menu = menu_prompt();
  mix::Player voice;
  ASSERT_EQ(voice.play(menu), Status::ok);
  rtp::TelephoneEventSender sender;
  rtp::TelephoneEventReceiver receiver;
  mix::BargeIn barge;
  const std::int64_t press_frame = 50;  // the key goes down 1 s in
  const std::int64_t release_frame = press_frame + 20;
  std::uint16_t seq = 1000;
  const Outcome o = run_call(voice, kRate * 2, [&](std::int64_t t, Outcome& out) {
    const std::int64_t f = t / static_cast<std::int64_t>(kFrame);
    const auto ts = static_cast<std::uint32_t>(0xFFFFF000u + static_cast<std::uint32_t>(t));
    if (f == press_frame) {
      ASSERT_EQ(sender.begin(rtp::event_code('7'), ts), Status::ok);
    }
    if (f == release_frame) {
      ASSERT_EQ(sender.end(), Status::ok);
    }
    rtp::TelephoneEventSender::Packet p;
    if (f > press_frame && sender.next(&p)) {
      const std::int64_t arrival_us = (t + static_cast<std::int64_t>(kFrame)) * 125;
      ASSERT_EQ(receiver.push(p.payload, seq++, p.timestamp, p.marker, arrival_us), Status::ok);
    }
    std::array<rtp::TelephoneEvent, 4> ev;
    for (std::size_t i = 0, n = receiver.read(ev); i < n; ++i) {
      mix::BargeIn::Event b;
      if (ev[i].phase == rtp::TelephoneEvent::Phase::begin &&
          barge.key_down(rtp::event_char(ev[i].code), &b)) {
        out.key_known = t;
        voice.barge_in(b.reason, b.digit);
      }
      if (ev[i].phase == rtp::TelephoneEvent::Phase::end) out.key_up = t;
    }
  });
  ASSERT_GE(o.key_known, 0);
  EXPECT_EQ(o.digit, '7');
  EXPECT_EQ(o.interrupted, o.key_known);
  EXPECT_LE(o.silent_from, o.key_known + static_cast<std::int64_t>(kFrame));
  ASSERT_GT(o.key_up, 0);
  EXPECT_GT(o.key_up - o.silent_from, kRate * 300 / 1000);  // silent 300+ ms before the end
}

}  // namespace
