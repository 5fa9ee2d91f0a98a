// BatchDetector gives exactly the events of separate Detectors (ITU-T Q.24 defaults and other
// thresholds), on inputs that exercise its screen (lib/dtmf/screen.hpp) hard: digits near the
// level, twist, frequency, duration and purity limits, speech-like audio, noise and silence,
// digits starting at different offsets per channel, gaps and resets on single channels and on
// whole groups, channel counts that are not multiples of 8, float and int16 input, every SIMD
// level.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "ivrmedia/dtmf.hpp"
#include "sim/speech_like.hpp"
#include "support/alloc_counter.hpp"
#include "support/simd_levels.hpp"

namespace dtmf = ivrmedia::dtmf;

namespace {

std::vector<float> mixed_channel(std::size_t c, std::size_t frames, int rate) {
  std::vector<float> x = ivrmedia::sim::speech_like(frames, {rate, -30.0, 100 + c});
  if (c % 5 == 4) std::fill(x.begin(), x.end(), 0.0f);  // silent channels too
  dtmf::Generator::Config gc;
  gc.sample_rate_hz = rate;
  gc.tone_ms = 40 + static_cast<double>(c % 7) * 10;
  gc.pause_ms = 40 + static_cast<double>(c % 3) * 20;
  gc.low_dbm0 = -8 - static_cast<double>(c % 20);
  dtmf::Generator g(gc);
  std::string digits;
  for (int k = 0; k < 6; ++k)
    digits += dtmf::kDigits[(c * 7 + static_cast<std::size_t>(k) * 5) % 16];
  EXPECT_EQ(g.queue(digits), ivrmedia::Status::ok);
  std::vector<float> tones(frames);
  g.generate(std::span<float>(tones).subspan(static_cast<std::size_t>(rate) / 4,
                                             frames - static_cast<std::size_t>(rate) / 4));
  std::mt19937 rng(static_cast<unsigned>(c));
  std::normal_distribution<float> noise(0.0f, 0.003f);
  for (std::size_t i = 0; i < frames; ++i)
    x[i] += tones[i] + noise(rng);
  return x;
}

void expect_same(const std::vector<dtmf::Event>& a, const std::vector<dtmf::Event>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].type, b[i].type);
    EXPECT_EQ(a[i].digit, b[i].digit);
    EXPECT_EQ(a[i].start_sample, b[i].start_sample);
    EXPECT_EQ(a[i].end_sample, b[i].end_sample);
    EXPECT_EQ(a[i].low_dbm0, b[i].low_dbm0);
    EXPECT_EQ(a[i].high_dbm0, b[i].high_dbm0);
  }
}

TEST(DtmfBatch, SameEventsAsSeparateDetectors) {
  for (int rate : {8000, 16000}) {
    SCOPED_TRACE(rate);
    constexpr std::size_t kChannels = 37;  // not a multiple of anything
    const std::size_t frames = static_cast<std::size_t>(rate) * 2;
    const std::size_t stride = frames + 3;
    std::vector<float> planar(kChannels * stride);
    for (std::size_t c = 0; c < kChannels; ++c) {
      const auto x = mixed_channel(c, frames, rate);
      std::copy(x.begin(), x.end(), planar.begin() + static_cast<long>(c * stride));
    }
    dtmf::BatchDetector::Config bc;
    bc.channels = kChannels;
    bc.detector.sample_rate_hz = rate;
    bc.detector.event_capacity = 64;
    dtmf::BatchDetector batch(bc);
    std::vector<dtmf::Detector> singles;
    for (std::size_t c = 0; c < kChannels; ++c)
      singles.emplace_back(bc.detector);

    const std::size_t frame = static_cast<std::size_t>(rate) / 50;  // 20 ms ticks
    std::size_t digits = 0;
    for (std::size_t at = 0; at < frames; at += frame) {
      const std::size_t n = std::min(frame, frames - at);
      if (at == frames / 2) {  // a transport gap on one channel
        batch.gap(3, 160);
        singles[3].gap(160);
      }
      batch.process(planar.data() + at, n, stride);
      for (std::size_t c = 0; c < kChannels; ++c) {
        singles[c].process(std::span<const float>(planar).subspan(c * stride + at, n));
        std::vector<dtmf::Event> a(16), b(16);
        a.resize(batch.read_events(c, a));
        b.resize(singles[c].read_events(b));
        expect_same(a, b);
        for (const auto& e : a)
          digits += e.type == dtmf::Event::Type::key_up;
      }
    }
    EXPECT_GT(digits, kChannels * 3);  // most keyed digits are found, in both
  }
}

// Digits of random keys, each tone and pause drawn around the detector's limits (8-45 ms tones,
// 15-60 ms pauses), levels and twists near the thresholds, frequencies up to 3.5 % off, from a
// random first offset on.
void add_digits(std::vector<float>& x, int rate, std::mt19937& rng, double level_lo,
                double level_hi, double twist_lo, double twist_hi, double freq_err) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  auto pick = [&](double lo, double hi) { return lo + (hi - lo) * u(rng); };
  auto pos = static_cast<std::size_t>(pick(0, rate / 2.0));
  while (pos < x.size()) {
    const auto key = static_cast<std::size_t>(pick(0, 16)) % 16;
    const double fl = dtmf::kRowHz[key / 4] * (1 + pick(-freq_err, freq_err));
    const double fh = dtmf::kColumnHz[key % 4] * (1 + pick(-freq_err, freq_err));
    const double low = pick(level_lo, level_hi);
    const double al = dtmf::dbm0_to_amplitude(low);
    const double ah = dtmf::dbm0_to_amplitude(low + pick(twist_lo, twist_hi));
    const auto len = static_cast<std::size_t>(pick(8, 45) * rate / 1000);
    const double pl = pick(0, 6.3), ph = pick(0, 6.3);
    for (std::size_t i = 0; i < len && pos + i < x.size(); ++i) {
      const double t = static_cast<double>(i) / rate;
      x[pos + i] += static_cast<float>(al * std::sin(2 * std::numbers::pi * fl * t + pl) +
                                       ah * std::sin(2 * std::numbers::pi * fh * t + ph));
    }
    pos += len + static_cast<std::size_t>(pick(15, 60) * rate / 1000);
  }
}

// Channel c's signal: one of eight kinds, so every group of eight mixes them (kind < 0), or the
// given kind on every channel.
std::vector<float> screen_channel(std::size_t c, std::size_t frames, int rate, int kind = -1) {
  std::mt19937 rng(static_cast<unsigned>(1000 + c));
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  const std::uint64_t seed = 7 + c;
  std::vector<float> x(frames, 0.0f);
  switch (kind >= 0 ? kind : static_cast<int>(c % 8)) {
    case 0:  // speech with ordinary digits
      x = ivrmedia::sim::speech_like(frames, {rate, -18.0, seed});
      add_digits(x, rate, rng, -25, -5, -8, 5, 0.01);
      break;
    case 1:  // digits at the level limit (-36 dBm0) and the twist limits, in silence
      add_digits(x, rate, rng, -38, -34, -11, 7, 0.005);
      break;
    case 2:  // digits in white noise near the purity limit
      for (auto& v : x)
        v = 0.02f * gauss(rng);
      add_digits(x, rate, rng, -24, -14, -3, 3, 0.01);
      break;
    case 3:  // silence
      break;
    case 4:  // loud speech only: talk-off candidates
      x = ivrmedia::sim::speech_like(frames, {rate, -10.0, seed});
      break;
    case 5:  // digits near the frequency limits (2.5 % by default)
      add_digits(x, rate, rng, -20, -8, -4, 4, 0.035);
      break;
    case 6:  // quiet speech, weak digits, noise
      x = ivrmedia::sim::speech_like(frames, {rate, -28.0, seed});
      for (auto& v : x)
        v += 0.002f * gauss(rng);
      add_digits(x, rate, rng, -32, -26, -6, 6, 0.015);
      break;
    case 7:  // loud digits over speech: hits while speech goes on
      x = ivrmedia::sim::speech_like(frames, {rate, -24.0, seed});
      add_digits(x, rate, rng, -8, -2, -2, 2, 0.0);
      break;
    default:  // the screen's phase test: tones up to 6 % off (beyond 2.5 and 4 %), some speech
      x = ivrmedia::sim::speech_like(frames, {rate, c % 2 == 0 ? -40.0 : -24.0, seed});
      add_digits(x, rate, rng, -24, -6, -6, 6, 0.06);
      break;
  }
  return x;
}

struct Op {
  std::size_t tick;
  std::size_t channel;
  std::int64_t gap;  // > 0: gap of that many samples; 0: reset
};

struct Case {
  int rate = 8000;
  std::size_t channels = 37;
  double seconds = 2;
  bool s16 = false;
  std::vector<std::size_t> frames{160};  // per call, cycled
  int kind = -1;                         // screen_channel's kind for every channel, or mixed
  std::vector<Op> ops;
  dtmf::Detector::Config detector{};
  std::size_t move_at_tick = SIZE_MAX;  // the batch is moved into a new object before this call
};

void expect_same_state(const dtmf::Detector& a, const dtmf::Detector& b) {
  EXPECT_EQ(a.stats().samples, b.stats().samples);
  EXPECT_EQ(a.stats().digits, b.stats().digits);
  EXPECT_EQ(a.stats().lost_events, b.stats().lost_events);
  EXPECT_EQ(a.tone().id, b.tone().id);
  EXPECT_EQ(a.tone().start, b.tone().start);
  EXPECT_EQ(a.tone().end, b.tone().end);
  EXPECT_EQ(a.tone().sounding, b.tone().sounding);
  EXPECT_EQ(a.samples_until_decision(), b.samples_until_decision());
}

// Runs the batch and one Detector per channel side by side, comparing after every call.
std::size_t run_case(const Case& k, ivrmedia::SimdLevel level) {
  const auto frames = static_cast<std::size_t>(k.seconds * k.rate);
  const std::size_t stride = frames + 5;
  std::vector<float> planar(k.channels * stride);
  for (std::size_t c = 0; c < k.channels; ++c) {
    const auto x = screen_channel(c, frames, k.rate, k.kind);
    std::copy(x.begin(), x.end(), planar.begin() + static_cast<long>(c * stride));
  }
  std::vector<std::int16_t> planar16(planar.size());
  for (std::size_t i = 0; i < planar.size(); ++i)
    planar16[i] = static_cast<std::int16_t>(std::clamp(planar[i] * 32768.0f, -32768.0f, 32767.0f));

  dtmf::BatchDetector::Config bc;
  bc.channels = k.channels;
  bc.detector = k.detector;
  bc.detector.sample_rate_hz = k.rate;
  bc.detector.simd = level;
  bc.detector.event_capacity = 64;
  auto owner = std::make_unique<dtmf::BatchDetector>(bc);
  std::vector<dtmf::Detector> singles;
  for (std::size_t c = 0; c < k.channels; ++c)
    singles.emplace_back(bc.detector);

  std::size_t digits = 0;
  std::size_t tick = 0;
  for (std::size_t at = 0; at < frames; ++tick) {
    if (tick == k.move_at_tick) owner = std::make_unique<dtmf::BatchDetector>(std::move(*owner));
    dtmf::BatchDetector& batch = *owner;
    for (const Op& op : k.ops) {
      if (op.tick != tick || op.channel >= k.channels) continue;
      if (op.gap > 0) {
        batch.gap(op.channel, op.gap);
        singles[op.channel].gap(op.gap);
      } else {
        batch.reset(op.channel);
        singles[op.channel].reset();
      }
    }
    const std::size_t n = std::min(k.frames[tick % k.frames.size()], frames - at);
    if (k.s16) {
      batch.process(planar16.data() + at, n, stride);
    } else {
      batch.process(planar.data() + at, n, stride);
    }
    for (std::size_t c = 0; c < k.channels; ++c) {
      SCOPED_TRACE(testing::Message() << "channel " << c << " tick " << tick);
      if (k.s16) {
        singles[c].process(std::span<const std::int16_t>(planar16).subspan(c * stride + at, n));
      } else {
        singles[c].process(std::span<const float>(planar).subspan(c * stride + at, n));
      }
      std::vector<dtmf::Event> a(64), b(64);
      a.resize(batch.read_events(c, a));
      b.resize(singles[c].read_events(b));
      expect_same(a, b);
      if (testing::Test::HasFailure()) return digits;
      for (const auto& e : a)
        digits += e.type == dtmf::Event::Type::key_up;
    }
    at += n;
  }
  for (std::size_t c = 0; c < k.channels; ++c) {
    SCOPED_TRACE(c);
    expect_same_state(owner->channel(c), singles[c]);
  }
  return digits;
}

// Gaps and resets on single channels (their group leaves lockstep), on a whole group at once
// (it rejoins), and twice on the same channel.
std::vector<Op> churn() {
  std::vector<Op> ops = {{5, 3, 160}, {9, 9, 37},    {14, 0, 0},  {14, 12, 1},
                         {30, 3, 0},  {31, 20, 500}, {44, 33, 0}, {70, 36, 13}};
  for (std::size_t c = 8; c < 16; ++c)
    ops.push_back({50, c, 0});  // the second group rejoins
  for (std::size_t c = 16; c < 24; ++c)
    ops.push_back({60, c, 80});  // the third group: gaps that line its channels up again
  return ops;
}

class DtmfBatchScreen : public testing::TestWithParam<ivrmedia::SimdLevel> {};

std::string level_name(const testing::TestParamInfo<ivrmedia::SimdLevel>& p) {
  return ivrm_test::simd_param_name(p.param);
}

TEST_P(DtmfBatchScreen, SameAsSeparateDetectorsAt8kWithChurn) {
  Case k;
  k.seconds = 3;
  k.ops = churn();
  EXPECT_GT(run_case(k, GetParam()), 40u);
}

TEST_P(DtmfBatchScreen, SameAsSeparateDetectorsInt16OddCalls) {
  Case k;
  k.channels = 9;
  k.s16 = true;
  k.frames = {1, 37, 160, 0, 400, 51, 102, 7};
  k.ops = {{3, 8, 0}, {20, 2, 300}, {41, 8, 9}};
  k.move_at_tick = 30;  // state moves with the object, mid-stream
  EXPECT_GT(run_case(k, GetParam()), 10u);
}

TEST_P(DtmfBatchScreen, SameAsSeparateDetectorsAt16k) {
  Case k;
  k.rate = 16000;
  k.channels = 20;
  k.frames = {320, 7, 1000};
  k.ops = churn();
  EXPECT_GT(run_case(k, GetParam()), 20u);
}

TEST_P(DtmfBatchScreen, SameAsSeparateDetectorsAtOtherRates) {
  // Longer halves (139 samples at 22.05 kHz, 306 at 48 kHz) and their larger error radii.
  for (int rate : {11025, 22050, 48000}) {
    SCOPED_TRACE(rate);
    Case k;
    k.rate = rate;
    k.channels = 10;
    k.seconds = 1.5;
    k.frames = {static_cast<std::size_t>(rate / 50), 333};
    k.ops = {{7, 9, 0}, {12, 1, 1000}};
    EXPECT_GT(run_case(k, GetParam()), 5u);
  }
}

TEST_P(DtmfBatchScreen, SameAsSeparateDetectorsWithOtherThresholds) {
  // Looser level, purity and frequency limits move every bound the screen tests against.
  for (std::size_t channels : {1u, 7u, 8u, 13u}) {
    SCOPED_TRACE(channels);
    Case k;
    k.channels = channels;
    k.detector.min_level_dbm0 = -50;
    k.detector.max_residual_db = -3;
    k.detector.max_frequency_error_pct = 4;
    k.detector.normal_twist_db = 10;
    k.detector.min_tone_ms = 20;
    k.ops = {{10, 0, 0}, {25, 5, 77}};
    run_case(k, GetParam());
    k.detector = {};
    k.detector.min_level_dbm0 = -20;
    k.detector.max_residual_db = -20;
    k.detector.max_frequency_error_pct = 1;
    run_case(k, GetParam());
  }
}

TEST_P(DtmfBatchScreen, SameAsSeparateDetectorsOnEveryBlockNearTheFrequencyLimit) {
  // One hit confirms a digit (min_tone_ms 15 at 8 kHz), so every block the Detector accepts is
  // an event: a block the phase test wrongly called a miss would lose one. Tones up to 6 % off
  // against limits of 1, 2.5 and 4 %.
  for (double pct : {1.0, 2.5, 4.0}) {
    SCOPED_TRACE(pct);
    Case k;
    k.channels = 24;
    k.seconds = 3;
    k.kind = 8;
    k.detector.min_tone_ms = 15;
    k.detector.max_frequency_error_pct = pct;
    EXPECT_GT(run_case(k, GetParam()), 20u);
  }
}

INSTANTIATE_TEST_SUITE_P(DtmfLevels, DtmfBatchScreen,
                         testing::ValuesIn(ivrm_test::supported_simd_levels()), level_name);

TEST(DtmfBatch, Int16AndNoAllocation) {
  dtmf::BatchDetector::Config bc;
  bc.channels = 8;
  dtmf::BatchDetector batch(bc);
  dtmf::Generator g({});
  ASSERT_EQ(g.queue("159#"), ivrmedia::Status::ok);
  std::vector<std::int16_t> one(8000);
  g.generate(one);
  std::vector<std::int16_t> planar;
  for (int c = 0; c < 8; ++c)
    planar.insert(planar.end(), one.begin(), one.end());
  {
    ivrm_test::AllocationScope scope;
    for (std::size_t at = 0; at < one.size(); at += 160) {
      batch.process(planar.data() + at, 160, one.size());
    }
    EXPECT_EQ(scope.count(), 0);
  }
  {
    // Leaving and rejoining lockstep (gaps, resets) and float input allocate nothing either.
    dtmf::BatchDetector other(bc);
    std::vector<float> f(planar.size());
    for (std::size_t i = 0; i < f.size(); ++i)
      f[i] = planar[i] / 32768.0f;
    ivrm_test::AllocationScope scope;
    for (std::size_t at = 0; at < one.size(); at += 160) {
      if (at == 1600) other.gap(2, 100);
      if (at == 3200) {
        for (std::size_t c = 0; c < 8; ++c)
          other.reset(c);
      }
      other.process(f.data() + at, 160, one.size());
    }
    EXPECT_EQ(scope.count(), 0);
  }
  for (std::size_t c = 0; c < 8; ++c) {
    std::vector<dtmf::Event> ev(16);
    ev.resize(batch.read_events(c, ev));
    std::string s;
    for (const auto& e : ev) {
      if (e.type == dtmf::Event::Type::key_up) s += e.digit;
    }
    EXPECT_EQ(s, "159#") << c;
    EXPECT_EQ(batch.channel(c).stats().digits, 4u);
  }
  dtmf::BatchDetector::Config bad;
  bad.channels = 0;
  EXPECT_THROW(dtmf::BatchDetector{bad}, ivrmedia::Error);
}

}  // namespace
