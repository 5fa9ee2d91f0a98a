// mix::Player and mix::BargeIn: sample-accurate playback, playlists without gaps or clicks,
// loops, gain, equal-power fades, stop/seek/pause with a bounded step and little splatter,
// events with positions, output independent of frame size, barge-in on keys and on speech
// (and not on noise or clicks), and the real-time rule (no allocation while playing).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <functional>
#include <memory>
#include <numbers>
#include <vector>

#include "ivrmedia/player.hpp"
#include "ivrmedia/prompt.hpp"
#include "sim/speech_like.hpp"
#include "support/alloc_counter.hpp"

namespace {

namespace mix = ivrmedia::mix;
using ivrmedia::Status;
using Event = mix::PlayerEvent;

std::shared_ptr<const mix::Prompt> tone_prompt(double hz, std::size_t n, double amp = 0.5,
                                               bool from_zero = true) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double phase = 2 * std::numbers::pi * hz * static_cast<double>(i) / 8000.0;
    x[i] = static_cast<float>(amp * (from_zero ? std::sin(phase) : std::cos(phase)));
  }
  return mix::Prompt::adopt(std::move(x), 8000, "tone");
}

std::vector<float> render(mix::Player& p, std::size_t n, std::size_t frame = 160) {
  std::vector<float> out(n);
  for (std::size_t i = 0; i < n; i += frame)
    p.render(std::span(out).subspan(i, std::min(frame, n - i)));
  return out;
}

std::vector<Event> events(mix::Player& p) {
  std::vector<Event> out(64);
  out.resize(p.read_events(out));
  return out;
}

float max_step(std::span<const float> x) {
  float m = 0;
  for (std::size_t i = 1; i < x.size(); ++i)
    m = std::max(m, std::abs(x[i] - x[i - 1]));
  return m;
}

// Energy above 1.5 kHz in a Hann-windowed 512-sample window (8 kHz): the splatter a boundary
// spreads over the band when it is not smooth (the test tones sit far below 1.5 kHz).
double high_band_energy(std::span<const float> x) {
  double e = 0;
  for (int k = 0; k < 256; ++k) {
    std::complex<double> acc = 0;
    for (std::size_t n = 0; n < 512; ++n) {
      const double w = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * static_cast<double>(n) / 511);
      acc += w * x[n] * std::polar(1.0, -2 * std::numbers::pi * k * static_cast<double>(n) / 512);
    }
    if (k * 8000 / 512 > 1500) e += std::norm(acc);
  }
  return e;
}

TEST(MixPlayer, PlaysAPromptBitExactWithStartAndFinishEvents) {
  const auto p = tone_prompt(440, 8000);
  mix::Player player;
  ASSERT_EQ(player.play(p, {.id = 7}), Status::ok);
  const auto out = render(player, 8800);
  for (std::size_t i = 0; i < 8000; ++i)
    ASSERT_EQ(out[i], p->samples()[i]) << i;  // starts at zero: no ramp, bit-exact
  for (std::size_t i = 8000; i < 8800; ++i)
    ASSERT_EQ(out[i], 0.0f);
  const auto ev = events(player);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].type, Event::Type::started);
  EXPECT_EQ(ev[0].id, 7u);
  EXPECT_EQ(ev[0].time, 0);
  EXPECT_EQ(ev[1].type, Event::Type::finished);
  EXPECT_EQ(ev[1].time, 8000);
  EXPECT_EQ(ev[1].position, 8000);
  EXPECT_FALSE(player.active());
}

TEST(MixPlayer, PlaylistContinuesWithoutAGapAndLoopsRepeatExactly) {
  const auto a = tone_prompt(400, 800);  // 40 whole periods: ends where it began
  const auto b = tone_prompt(200, 1200);
  mix::Player player;
  ASSERT_EQ(player.queue(a, {.loops = 3}), Status::ok);
  ASSERT_EQ(player.queue(b), Status::ok);
  EXPECT_EQ(player.queued(), 1u);
  const auto out = render(player, 3600 + 200, 97);
  for (std::size_t i = 0; i < 3600; ++i) {
    const float want = i < 2400 ? a->samples()[i % 800] : b->samples()[i - 2400];
    ASSERT_EQ(out[i], want) << i;
  }
  const auto ev = events(player);
  std::vector<Event::Type> types;
  for (const auto& e : ev)
    types.push_back(e.type);
  EXPECT_EQ(types, (std::vector<Event::Type>{Event::Type::started, Event::Type::looped,
                                             Event::Type::looped, Event::Type::finished,
                                             Event::Type::started, Event::Type::finished}));
  EXPECT_EQ(ev[4].time, 2400);
}

TEST(MixPlayer, AJoinBetweenUnrelatedPromptsLeavesNoStep) {
  // A ends at full value, B starts at zero: the join correction keeps the value, no click.
  const auto a = tone_prompt(250, 1000, 0.8, false);  // cos: ends near +0.8
  const auto b = tone_prompt(300, 1000, 0.8, true);   // sin: starts at 0
  mix::Player player;
  ASSERT_EQ(player.queue(a), Status::ok);
  ASSERT_EQ(player.queue(b), Status::ok);
  const auto out = render(player, 2000);
  const float inner = std::max(max_step(a->samples()), max_step(b->samples()));
  const float at_join = max_step(std::span(out).subspan(990, 40));
  EXPECT_LE(at_join, inner + 0.02f);
  EXPECT_NEAR(out[1000], out[999], inner + 0.02f);
}

TEST(MixPlayer, EqualPowerFadesHaveTheirShapes) {
  const auto dc = mix::Prompt::adopt(std::vector<float>(4000, 0.5f), 8000);
  mix::Player player;
  ASSERT_EQ(player.play(dc, {.fade_in_ms = 100, .fade_out_ms = 100}), Status::ok);
  const auto out = render(player, 4000);
  for (std::size_t k = 0; k < 800; k += 50) {
    const double x = static_cast<double>(k + 1) / 800;
    EXPECT_NEAR(out[k], 0.5 * std::sin(std::numbers::pi / 2 * x), 1e-5) << k;
  }
  for (std::size_t k = 3200; k < 4000; k += 50) {
    const double left = static_cast<double>(4000 - k) / 800;
    EXPECT_NEAR(out[k], 0.5 * std::sin(std::numbers::pi / 2 * left), 1e-5) << k;
  }
  EXPECT_EQ(out[2000], 0.5f);
}

TEST(MixPlayer, GainInDecibelsAndSmoothGainChanges) {
  const auto dc = mix::Prompt::adopt(std::vector<float>(8000, 0.5f), 8000);
  mix::Player player;
  ASSERT_EQ(player.play(dc, {.gain_db = -6.0206}), Status::ok);
  auto out = render(player, 800);
  EXPECT_NEAR(out[400], 0.25f, 1e-4);
  player.set_gain_db(-20);  // reached over 20 ms (160 samples), linearly in dB
  out = render(player, 800);
  EXPECT_NEAR(out[159], 0.025f, 2e-4);
  EXPECT_NEAR(out[400], 0.025f, 1e-4);
  EXPECT_LT(max_step(out), 0.01f);  // no zipper steps
  const double mid_db = 20 * std::log10(out[79] / 0.25);
  EXPECT_NEAR(mid_db, -10.0, 0.2);  // half way in dB at half the ramp
}

// Stop, seek and pause with their fades: the step is bounded and the splatter of a stop is far
// below that of a hard cut.
TEST(MixPlayer, StopSeekAndPauseAreClickFree) {
  const auto p = tone_prompt(300, 16000, 0.9);
  const float inner = max_step(p->samples());
  mix::Player player;
  ASSERT_EQ(player.play(p), Status::ok);
  auto out = render(player, 1003);
  player.stop();
  const auto tail = render(player, 1000);
  out.insert(out.end(), tail.begin(), tail.end());
  EXPECT_LE(max_step(out), inner + 0.02f);
  // Energy above 1.5 kHz around the stop, against a hard cut at the same sample.
  std::vector<float> cut(out.begin(), out.begin() + 1003);
  cut.resize(2003, 0.0f);
  const double faded = high_band_energy(std::span(out).subspan(1003 - 256, 512));
  const double hard = high_band_energy(std::span(cut).subspan(1003 - 256, 512));
  const double splatter_db = 10 * std::log10(hard / faded);
  std::printf("stop: splatter above 1.5 kHz %.1f dB below a hard cut\n", splatter_db);
  EXPECT_GT(splatter_db, 35.0);
  // Seek: the old and new positions cross-fade.
  ASSERT_EQ(player.play(p), Status::ok);
  auto a = render(player, 500);
  ASSERT_EQ(player.seek(7013), Status::ok);
  auto b = render(player, 500);
  a.insert(a.end(), b.begin(), b.end());
  EXPECT_LE(max_step(a), std::sqrt(2.0f) * inner + 0.02f);  // two voices at equal power
  EXPECT_EQ(player.seek(20000), Status::out_of_range);
  // Pause and resume.
  player.pause();
  auto c = render(player, 400);
  EXPECT_TRUE(player.paused());
  EXPECT_EQ(c[399], 0.0f);
  const auto held = player.position();
  render(player, 400);
  EXPECT_EQ(player.position(), held);
  player.resume();
  auto d = render(player, 400);
  c.insert(c.end(), d.begin(), d.end());
  EXPECT_LE(max_step(c), inner + 0.02f);
}

// Starting a prompt in the middle of a loud tone (start_sample), or a prompt whose first sample
// is at full level, ramps in over declick_ms: bounded step and splatter far below a hard start.
// A seek cross-fades: its splatter is far below that of a hard jump to the same place.
TEST(MixPlayer, StartAndSeekMidToneAreClickFreeWithLittleSplatter) {
  const auto p = tone_prompt(300, 16000, 0.9, false);  // cos: the first sample is 0.9
  const float inner = max_step(p->samples());
  for (const std::uint64_t from : {std::uint64_t{0}, std::uint64_t{1234}}) {
    mix::Player player;
    auto out = render(player, 1003);
    ASSERT_EQ(player.play(p, {.start_sample = from}), Status::ok);
    const auto tail = render(player, 1000);
    out.insert(out.end(), tail.begin(), tail.end());
    EXPECT_LE(max_step(out), inner + 0.02f) << from;
    std::vector<float> hard(1003, 0.0f);
    hard.insert(hard.end(), p->samples().begin() + static_cast<long>(from),
                p->samples().begin() + static_cast<long>(from) + 1000);
    const double db = 10 * std::log10(high_band_energy(std::span(hard).subspan(1003 - 256)) /
                                      high_band_energy(std::span(out).subspan(1003 - 256)));
    std::printf("start at %llu: splatter above 1.5 kHz %.1f dB below a hard start\n",
                static_cast<unsigned long long>(from), db);
    // At a peak the hard start is a full step; mid-slope it is a smaller one, so less to gain.
    EXPECT_GT(db, from == 0 ? 35.0 : 20.0) << from;
  }
  mix::Player player;
  ASSERT_EQ(player.play(p), Status::ok);
  auto out = render(player, 1003);
  ASSERT_EQ(player.seek(5013), Status::ok);
  const auto tail = render(player, 1000);
  out.insert(out.end(), tail.begin(), tail.end());
  std::vector<float> hard(p->samples().begin(), p->samples().begin() + 1003);
  hard.insert(hard.end(), p->samples().begin() + 5013, p->samples().begin() + 6013);
  const double db = 10 * std::log10(high_band_energy(std::span(hard).subspan(1003 - 256)) /
                                    high_band_energy(std::span(out).subspan(1003 - 256)));
  std::printf("seek: splatter above 1.5 kHz %.1f dB below a hard jump\n", db);
  EXPECT_GT(db, 35.0);
  // Sample-accurate: once the 10 ms cross-fade is over, the output is the prompt from 5013 on.
  for (std::size_t k = 80; k < 1000; ++k)
    ASSERT_EQ(out[1003 + k], p->samples()[5013 + k]) << k;
  EXPECT_EQ(player.position(), 5013u + 1000u);
}

// The same command timeline rendered in different frame sizes gives the same samples.
TEST(MixPlayer, OutputDoesNotDependOnTheFrameSize) {
  const auto a = tone_prompt(330, 3000, 0.7, false);
  const auto b = tone_prompt(510, 2000, 0.6, false);
  const auto run = [&](std::size_t frame) {
    mix::Player player;
    std::vector<float> out;
    std::vector<float> buf(frame);
    // Commands at fixed sample times, issued before the frame containing them with a delay.
    (void)player.play(a, {.loops = 2, .fade_out_ms = 30});
    (void)player.queue(b, {.gain_db = -3});
    for (std::size_t t = 0; t < 9000; t += frame) {
      const std::size_t n = std::min(frame, 9000 - t);
      player.render(std::span(buf).first(n));
      out.insert(out.end(), buf.begin(), buf.begin() + static_cast<long>(n));
    }
    return out;
  };
  const auto ref = run(1);
  for (std::size_t frame : {7u, 80u, 160u, 1000u})
    EXPECT_EQ(run(frame), ref) << frame;
}

TEST(MixPlayer, DelayedStartIsSampleAccurate) {
  const auto p = tone_prompt(440, 800);
  mix::Player player;
  ASSERT_EQ(player.play(p, {.delay_samples = 1234}), Status::ok);
  const auto out = render(player, 3000, 500);
  for (std::size_t i = 0; i < 1234; ++i)
    ASSERT_EQ(out[i], 0.0f);
  for (std::size_t i = 0; i < 800; ++i)
    ASSERT_EQ(out[1234 + i], p->samples()[i]);
  EXPECT_EQ(events(player)[0].time, 1234);
}

TEST(MixPlayer, BargeInStopsInterruptiblePromptsOnly) {
  const auto p = tone_prompt(300, 16000);
  mix::Player player;
  ASSERT_EQ(player.play(p, {.id = 3}), Status::ok);
  (void)player.queue(p);
  render(player, 1000);
  EXPECT_TRUE(player.barge_in(mix::StopReason::barge_in_dtmf, '5'));
  render(player, 400);  // the 20 ms barge fade
  EXPECT_FALSE(player.active());
  EXPECT_EQ(player.queued(), 0u);
  const auto ev = events(player);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[1].type, Event::Type::interrupted);
  EXPECT_EQ(ev[1].reason, mix::StopReason::barge_in_dtmf);
  EXPECT_EQ(ev[1].digit, '5');
  EXPECT_EQ(ev[1].position, 1000);
  ASSERT_EQ(player.play(p, {.interruptible = false}), Status::ok);
  EXPECT_FALSE(player.barge_in(mix::StopReason::barge_in_voice));
  EXPECT_TRUE(player.active());
}

TEST(MixPlayer, BadArgumentsAreRejected) {
  mix::Player player;
  EXPECT_EQ(player.play(nullptr), Status::invalid_argument);
  const auto wideband = mix::Prompt::silence(1.0, 16000);
  EXPECT_EQ(player.play(wideband), Status::invalid_argument);  // 8 kHz player
  const auto p = tone_prompt(300, 800);
  EXPECT_EQ(player.play(p, {.start_sample = 800}), Status::out_of_range);
  EXPECT_EQ(player.play(p, {.loops = -1}), Status::invalid_argument);
  EXPECT_EQ(player.seek(0), Status::bad_state);
  mix::Player small({.queue_capacity = 1});
  ASSERT_EQ(small.queue(p), Status::ok);
  ASSERT_EQ(small.queue(p), Status::ok);
  EXPECT_EQ(small.queue(p), Status::full);
  EXPECT_THROW(mix::Player({.sample_rate_hz = 4000}), ivrmedia::Error);
}

TEST(MixPlayer, PlayingNeverAllocates) {
  const auto a = tone_prompt(300, 2000);
  const auto b = tone_prompt(500, 2000);
  mix::Player player;
  std::vector<float> frame(160);
  std::vector<Event> ev(16);
  ivrm_test::AllocationScope scope;
  for (int i = 0; i < 200; ++i) {
    if (i % 50 == 0) (void)player.play(a, {.loops = 2});
    if (i % 50 == 10) (void)player.queue(b);
    if (i % 50 == 30) (void)player.seek(100);
    if (i % 50 == 40) player.stop();
    if (i % 7 == 0) player.set_gain_db(-(i % 20));
    player.render_add(frame);
    (void)player.read_events(ev);
  }
  EXPECT_EQ(scope.count(), 0);
}

TEST(MixBargeIn, SpeechBargesInOnceAfterMinSpeechNoiseAndClicksDoNot) {
  mix::BargeIn vad;
  mix::BargeIn::Event e;
  // 1 s of line noise at -55 dBFS: no barge-in.
  const auto noise = mix::Prompt::comfort_noise(1.0, -55.0, 8000);
  EXPECT_FALSE(vad.process(noise->samples(), &e));
  // A 5 ms click: too short.
  std::vector<float> click(80, 0.8f);
  EXPECT_FALSE(vad.process(click, &e));
  std::vector<float> quiet(800, 0.0f);
  vad.process(quiet, nullptr);
  // Speech at -20 dBFS: one event, about min_speech_ms after it begins.
  const auto speech =
      ivrmedia::sim::speech_like(16000, {.sample_rate_hz = 8000, .level_dbfs = -20.0});
  const std::int64_t onset = 8000 + 80 + 800;
  int fired = 0;
  std::int64_t at = 0;
  for (std::size_t i = 0; i < speech.size(); i += 160) {
    if (vad.process(std::span(speech).subspan(i, 160), &e)) {
      ++fired;
      at = e.sample;
      EXPECT_EQ(e.reason, mix::StopReason::barge_in_voice);
    }
  }
  EXPECT_EQ(fired, 1);
  EXPECT_GE(at - onset, 60);
  EXPECT_LE(at - onset, 8000 / 2);  // within the first half second of speech
  std::printf("barge-in on speech after %.0f ms; noise floor %.1f dBFS\n",
              static_cast<double>(at - onset) / 8.0, vad.noise_floor_dbfs());
  EXPECT_TRUE(vad.key_down('#', &e));
  EXPECT_EQ(e.reason, mix::StopReason::barge_in_dtmf);
  EXPECT_EQ(e.digit, '#');
  mix::BargeIn keys_only({.voice = false});
  EXPECT_FALSE(keys_only.process(speech, &e));
}

}  // namespace
