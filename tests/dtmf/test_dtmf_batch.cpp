// BatchDetector gives exactly the events of separate Detectors (ITU-T Q.24 defaults), on mixed
// inputs: different digits per channel, noise, speech-like audio, silence, a gap on one channel.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "ivrmedia/dtmf.hpp"
#include "sim/speech_like.hpp"
#include "support/alloc_counter.hpp"

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
