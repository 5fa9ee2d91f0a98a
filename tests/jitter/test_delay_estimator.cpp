// jitter::DelayEstimator: relative delays against a zero taken from the earliest recent packets
// (NetEq's relative arrival delay; RFC 3550 transit times without the unknown clock offset), and
// the forgetting histogram's quantiles.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "jitter/delay_estimator.hpp"

namespace {

using ivrmedia::jitter::DelayEstimator;

constexpr int kClockHz = 8000;
constexpr std::int64_t kPacketUs = 20'000;
constexpr std::int64_t kPacketUnits = 160;

// Feeds packet `n` of a 20 ms stream with `transit_us` of network delay.
void feed(DelayEstimator& e, std::int64_t n, std::int64_t transit_us) {
  e.update(n * kPacketUnits, kClockHz, n * kPacketUs + transit_us);
}

TEST(DelayEstimator, ConstantTransitHasNoRelativeDelay) {
  DelayEstimator e{DelayEstimator::Config{}};
  for (std::int64_t n = 0; n < 500; ++n)
    feed(e, n, 35'000);
  EXPECT_DOUBLE_EQ(e.last_relative_ms(), 0.0);
  EXPECT_DOUBLE_EQ(e.quantile_ms(), 0.25);  // the first 0.25 ms bucket holds everything
  EXPECT_DOUBLE_EQ(e.high_quantile_ms(), 0.25);
}

TEST(DelayEstimator, QuantilesOfGaussianJitterMatchTheSampleQuantiles) {
  // 5 ms of Gaussian jitter: the 95 % and 97.5 % quantiles of the delays relative to the
  // earliest packets of the last 2 s, within the 0.25 ms buckets (rounded up) and the zero's
  // wander.
  DelayEstimator e{DelayEstimator::Config{}};
  std::mt19937_64 rng(7);
  std::normal_distribution<double> jitter(15'000.0, 5'000.0);
  std::vector<double> relative;
  for (std::int64_t n = 0; n < 3000; ++n) {
    feed(e, n, static_cast<std::int64_t>(std::max(0.0, jitter(rng))));
    if (n >= 2000) relative.push_back(e.last_relative_ms());
  }
  std::sort(relative.begin(), relative.end());
  const double q95 = relative[relative.size() * 95 / 100];
  const double q975 = relative[relative.size() * 975 / 1000];
  EXPECT_NEAR(e.quantile_ms(), q95, 1.5);
  EXPECT_NEAR(e.high_quantile_ms(), q975, 1.5);
  EXPECT_GT(e.high_quantile_ms(), e.quantile_ms());
}

TEST(DelayEstimator, ZeroReturnsSlowlyWhenAnEarlyPacketLeavesTheWindow) {
  // Steady 30 ms transit, one packet 6 ms early at 1 s. The window minimum drops 6 ms with it
  // and jumps back 2 s later; the zero drops at once but comes back within the 3 ms band and
  // then slowly, so the steady packets' relative delay does not jump from 6 ms to 0.
  DelayEstimator e{DelayEstimator::Config{}};
  for (std::int64_t n = 0; n < 50; ++n)
    feed(e, n, 30'000);
  feed(e, 50, 24'000);
  for (std::int64_t n = 51; n < 150; ++n) {
    feed(e, n, 30'000);
    EXPECT_NEAR(e.last_relative_ms(), 6.0, 1e-9) << n;  // inside the window: the true minimum
  }
  // 2 s after the early packet the minimum is 30 ms again; the zero is held 3 ms below it.
  for (std::int64_t n = 150; n < 160; ++n)
    feed(e, n, 30'000);
  EXPECT_GT(e.last_relative_ms(), 2.5);
  EXPECT_LE(e.last_relative_ms(), 3.0 + 1e-9);
  // ... and returns over the smoothing time (6 s): about e^-1 of it after 6 s, gone after 30.
  for (std::int64_t n = 160; n < 460; ++n)
    feed(e, n, 30'000);
  EXPECT_NEAR(e.last_relative_ms(), 3.0 * 0.37, 0.3);
  for (std::int64_t n = 460; n < 1700; ++n)
    feed(e, n, 30'000);
  EXPECT_LT(e.last_relative_ms(), 0.05);
}

TEST(DelayEstimator, ClockDriftDoesNotLookLikeJitter) {
  // A sender clock 1 % slow or fast moves the transit time 0.2 ms per packet. Falling transit:
  // every packet is the newest minimum, nothing is relative delay. Rising transit: the window
  // minimum is 2 s old (20 ms behind at 1 %), and the zero no more than the band below it.
  for (const int direction : {-1, 1}) {
    DelayEstimator e{DelayEstimator::Config{}};
    double worst = 0.0;
    for (std::int64_t n = 0; n < 15'000; ++n) {  // 5 minutes
      feed(e, n, 500'000 + direction * n * 200);
      if (n > 200) worst = std::max(worst, e.last_relative_ms());
    }
    if (direction < 0) {
      EXPECT_DOUBLE_EQ(worst, 0.0);
    } else {
      EXPECT_LE(worst, 20.0 + 3.0 + 0.5);
      EXPECT_LE(e.quantile_ms(), 24);
    }
  }
}

TEST(DelayEstimator, RestartTakesTheNewStreamsZero) {
  // A new source (or a timestamp jump) has an unrelated transit offset: its packets are
  // measured against their own minimum from the first one, not against the old zero.
  DelayEstimator e{DelayEstimator::Config{}};
  for (std::int64_t n = 0; n < 200; ++n)
    feed(e, n, 40'000);
  e.restart();
  for (std::int64_t n = 200; n < 210; ++n) {
    e.update(1'000'000 + n * kPacketUnits, kClockHz, n * kPacketUs + 90'000);
    EXPECT_DOUBLE_EQ(e.last_relative_ms(), 0.0) << n;
  }
}

}  // namespace
