// Time-scale modification for the jitter buffer (jitter::TimeStretcher): WSOLA-style removal
// and insertion of whole pitch periods, as WebRTC NetEq's Accelerate and PreemptiveExpand do.
// Checked here: on voiced harmonic signals (f0 100-300 Hz at 8, 16 and 48 kHz) the change is
// whole periods, the pitch is kept within 1 % and the joins make no step; the decision follows
// the documented thresholds (normalized correlation 0.9, quiet below -40 dBFS) on noise,
// unvoiced sound and silence; repeated use over long speech-like audio gives +-1 % duration
// changes (clock drift) with the energy envelope kept; full-scale, subnormal and non-finite
// samples; stereo analysed jointly and cut alike; argument errors; no allocation in processing
// calls.
#include "jitter/time_stretch.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "codec/plc_signals.hpp"
#include "sim/speech_like.hpp"
#include "support/alloc_counter.hpp"

namespace {

using ivrmedia::Status;
using ivrmedia::jitter::TimeStretcher;
using Outcome = TimeStretcher::Outcome;
using plc_test::harmonic_tone;

constexpr int kRates[] = {8000, 16000, 48000};
constexpr double kF0s[] = {100, 150, 230, 300};

std::size_t ms(int rate, double milliseconds) {
  return static_cast<std::size_t>(std::lround(rate * milliseconds / 1000));
}

// The pitch period of x in samples (fractional): the shortest lag of 2.5-15 ms whose
// normalized autocorrelation is a local peak within 2 % of the best, refined by a parabola.
double period_of(std::span<const float> x, int rate) {
  const std::size_t lo = ms(rate, 2.5) - 1, hi = ms(rate, 15) + 1;
  std::vector<double> r(hi + 2, 0.0);
  for (std::size_t lag = lo; lag <= hi + 1; ++lag) {
    double xy = 0, xx = 0, yy = 0;
    for (std::size_t i = 0; i + lag < x.size(); ++i) {
      xy += double(x[i]) * x[i + lag];
      xx += double(x[i]) * x[i];
      yy += double(x[i + lag]) * x[i + lag];
    }
    r[lag] = xy / std::sqrt(std::max(xx * yy, 1e-30));
  }
  const double best = *std::max_element(r.begin() + static_cast<std::ptrdiff_t>(lo), r.end());
  for (std::size_t lag = lo + 1; lag <= hi; ++lag) {
    if (r[lag] >= 0.98 * best && r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1]) {
      const double a = r[lag - 1], b = r[lag], c = r[lag + 1];
      const double den = a - 2 * b + c;
      return static_cast<double>(lag) + (den < 0 ? 0.5 * (a - c) / den : 0.0);
    }
  }
  return 0;
}

// Largest sample-to-sample step.
float max_step(std::span<const float> x) {
  float m = 0;
  for (std::size_t i = 1; i < x.size(); ++i)
    m = std::max(m, std::abs(x[i] - x[i - 1]));
  return m;
}

std::vector<float> white_noise(std::size_t n, double rms, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, static_cast<float>(rms));
  std::vector<float> x(n);
  for (auto& v : x)
    v = g(rng);
  return x;
}

// Unvoiced, fricative-like: white noise through a first-order high-pass (differentiated).
std::vector<float> fricative(std::size_t n, double rms, unsigned seed) {
  auto w = white_noise(n + 1, rms / std::sqrt(2.0), seed);
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = w[i + 1] - w[i];
  return x;
}

double dbfs(double x) {
  return std::pow(10.0, x / 20.0);
}

TEST(TimeStretchConfig, RejectsUnsupportedRatesAndThresholds) {
  for (const int rate : {0, 11025, 22050, 44100, 96000, -8000}) {
    try {
      TimeStretcher t(rate);
      FAIL() << rate;
    } catch (const ivrmedia::Error& e) {
      EXPECT_EQ(e.status(), Status::bad_config);
    }
  }
  for (const float c : {0.0f, -0.5f, 1.01f, std::nanf("")}) {
    EXPECT_THROW(TimeStretcher({.sample_rate_hz = 8000, .correlation_threshold = c}),
                 ivrmedia::Error);
  }
  for (const float q : {1.0f, -121.0f, std::nanf("")}) {
    EXPECT_THROW(TimeStretcher({.sample_rate_hz = 8000, .quiet_level_dbfs = q}), ivrmedia::Error);
  }
  for (const int rate : kRates) {
    const TimeStretcher t(rate);
    EXPECT_EQ(t.min_input_samples(), ms(rate, 30));
    EXPECT_EQ(t.max_period_samples(), ms(rate, 15));
  }
  TimeStretcher t(8000);
  EXPECT_EQ(t.set_correlation_threshold(1.5f), Status::out_of_range);
  EXPECT_EQ(t.set_quiet_level_dbfs(3.0f), Status::out_of_range);
  EXPECT_EQ(t.correlation_threshold(), 0.9f);
  EXPECT_EQ(t.quiet_level_dbfs(), -40.0f);
  EXPECT_EQ(t.set_correlation_threshold(0.8f), Status::ok);
  EXPECT_EQ(t.set_quiet_level_dbfs(-30.0f), Status::ok);
  EXPECT_EQ(t.correlation_threshold(), 0.8f);
  EXPECT_EQ(t.quiet_level_dbfs(), -30.0f);
}

// NetEq's accelerate concept (WSOLA): one pitch period cut out where two consecutive periods
// correlate, joined by a cross-fade; the rest of the input is passed through untouched.
TEST(TimeStretchNetEqAccelerate, RemovesOnePeriodOfVoicedSoundKeepingPitch) {
  for (const int rate : kRates) {
    for (const double f0 : kF0s) {
      SCOPED_TRACE(testing::Message() << rate << " Hz, f0 " << f0);
      TimeStretcher t(rate);
      const auto x = harmonic_tone(f0, rate, ms(rate, 60));
      std::vector<float> y(x.size());
      const auto r = t.accelerate(x, y);
      const double period = rate / f0;
      ASSERT_TRUE(r.applied);
      EXPECT_EQ(r.outcome, Outcome::periodic);
      EXPECT_GE(r.correlation, 0.9f);
      EXPECT_EQ(static_cast<std::ptrdiff_t>(r.written),
                static_cast<std::ptrdiff_t>(x.size()) + r.change);
      EXPECT_EQ(static_cast<std::size_t>(-r.change), r.period);
      EXPECT_NEAR(static_cast<double>(r.period), period, 1.0);  // one period, not several
      y.resize(r.written);
      // Untouched outside the cross-fade [S - L, S), S = 15 ms.
      const std::size_t s = ms(rate, 15), len = r.period;
      for (std::size_t i = 0; i < s - len; ++i)
        ASSERT_EQ(y[i], x[i]) << i;
      for (std::size_t i = s; i < y.size(); ++i)
        ASSERT_EQ(y[i], x[i + len]) << i;
      EXPECT_NEAR(period_of(y, rate), period_of(x, rate), 0.01 * period);
      EXPECT_LE(max_step(y), 1.05f * max_step(x));
    }
  }
}

TEST(TimeStretchNetEqAccelerate, RemovesSeveralPeriodsWithinMaxRemove) {
  for (const int rate : kRates) {
    for (const double f0 : kF0s) {
      SCOPED_TRACE(testing::Message() << rate << " Hz, f0 " << f0);
      TimeStretcher t(rate);
      const auto x = harmonic_tone(f0, rate, ms(rate, 40));
      std::vector<float> y(x.size());
      const double period = rate / f0;
      // Room for 2.5 periods (never above the 15 ms the geometry allows): two are removed
      // when they fit in 15 ms.
      const auto room = std::min(static_cast<std::size_t>(2.5 * period), ms(rate, 15));
      const auto r = t.accelerate(x, y, room);
      ASSERT_TRUE(r.applied);
      const auto removed = static_cast<double>(-r.change);
      const double k = std::round(removed / period);
      EXPECT_EQ(k, std::floor(static_cast<double>(room) / period));
      EXPECT_LE(removed, static_cast<double>(room));
      EXPECT_NEAR(removed, k * period, k / 2 + 1);
      y.resize(r.written);
      EXPECT_NEAR(period_of(y, rate), period_of(x, rate), 0.01 * period);
      EXPECT_LE(max_step(y), 1.05f * max_step(x));

      // Less room than one period: nothing removed, input copied.
      y.assign(x.size(), 0.0f);
      const auto none = t.accelerate(x, y, static_cast<std::size_t>(0.8 * period));
      EXPECT_FALSE(none.applied);
      EXPECT_EQ(none.outcome, Outcome::period_too_long);
      EXPECT_EQ(none.written, x.size());
      y.resize(none.written);
      EXPECT_EQ(y, x);
    }
  }
  // Silence: as many periods (the shortest lag, 2.5 ms) as fit in 15 ms.
  TimeStretcher t(8000);
  const std::vector<float> zeros(240, 0.0f);
  std::vector<float> y(240, 1.0f);
  const auto r = t.accelerate(zeros, y, 1000);
  EXPECT_EQ(r.outcome, Outcome::quiet);
  EXPECT_EQ(r.change, -120);
}

// The trim a jitter buffer makes with less than 30 ms still to play: the history leads the
// input for the pitch search, the cut lies wholly after it (the history comes out unchanged),
// within max_remove and half of the unplayed audio.
TEST(TimeStretchNetEqAccelerate, TrimsAfterPlayedHistoryWithinHalfTheUnplayedAudio) {
  for (const int rate : kRates) {
    for (const double f0 : kF0s) {
      for (const double unplayed_ms : {15.0, 22.0, 28.0}) {
        SCOPED_TRACE(testing::Message()
                     << rate << " Hz, f0 " << f0 << ", unplayed " << unplayed_ms);
        TimeStretcher t(rate);
        const std::size_t played = ms(rate, 15);
        const auto x = harmonic_tone(f0, rate, played + ms(rate, unplayed_ms));
        std::vector<float> y(x.size());
        const std::size_t room = ms(rate, 20);
        const auto r = t.accelerate(x, played, y, room);
        const double period = rate / f0;
        const std::size_t half = (x.size() - played) / 2;
        if (period > static_cast<double>(half) + 1) {
          EXPECT_FALSE(r.applied);
          EXPECT_EQ(r.outcome, Outcome::period_too_long);
          continue;
        }
        if (!r.applied) continue;  // a period right at the bound may round over it
        const auto removed = static_cast<std::size_t>(-r.change);
        EXPECT_LE(removed, half);
        EXPECT_LE(removed, room);
        EXPECT_EQ(r.written, x.size() - removed);
        for (std::size_t i = 0; i < played; ++i)
          ASSERT_EQ(y[i], x[i]) << i;
        // Whole periods went: the tail after the cut is the input's, shifted.
        for (std::size_t i = played + 2 * removed; i < x.size(); ++i)
          ASSERT_EQ(y[i - removed], x[i]) << i;
        EXPECT_NEAR(std::fmod(static_cast<double>(removed) + period / 2, period), period / 2,
                    static_cast<double>(removed) / period / 2 + 1);
        y.resize(r.written);
        EXPECT_LE(max_step(y), 1.05f * max_step(x));
      }
    }
  }
  // Quiet audio: the whole room goes, whatever the pitch (a 4 ms trim of a 100 Hz hum).
  {
    TimeStretcher q(8000);
    auto hum = harmonic_tone(100, 8000, 120 + 224);
    for (float& v : hum)
      v *= 0.001f;  // -60 dBFS or so
    std::vector<float> out(hum.size());
    const auto r = q.accelerate(hum, 120, out, 32);
    EXPECT_EQ(r.outcome, Outcome::quiet);
    EXPECT_EQ(r.change, -32);
  }
  // Less room than the shortest period (2.5 ms): quiet audio still loses it, over a 2.5 ms
  // cross-fade (history unchanged, the tail the input's shifted by the room, no step larger
  // than the input's); loud audio is copied, as no whole period fits.
  for (const std::size_t room : {1u, 4u, 12u, 19u}) {
    TimeStretcher q(8000);
    auto hum = harmonic_tone(100, 8000, 120 + 224);
    std::vector<float> out(hum.size());
    auto r = q.accelerate(hum, 120, out, room);
    EXPECT_EQ(r.outcome, Outcome::period_too_long) << room;
    EXPECT_EQ(out, hum);
    for (float& v : hum)
      v *= 0.001f;
    r = q.accelerate(hum, 120, out, room);
    EXPECT_EQ(r.outcome, Outcome::quiet) << room;
    ASSERT_EQ(r.change, -static_cast<std::ptrdiff_t>(room));
    for (std::size_t i = 0; i < 120; ++i)
      ASSERT_EQ(out[i], hum[i]) << i;
    for (std::size_t i = 120 + 20 + room; i < hum.size(); ++i)
      ASSERT_EQ(out[i - room], hum[i]) << i;
    out.resize(r.written);
    EXPECT_LE(max_step(out), 1.05f * max_step(hum)) << room;
  }
  // Too little history or unplayed audio: copied.
  TimeStretcher t(8000);
  const auto x = harmonic_tone(200, 8000, 200);
  std::vector<float> y(x.size());
  EXPECT_EQ(t.accelerate(x, 100, y, 100).outcome, Outcome::too_short);  // 12.5 ms history
  EXPECT_EQ(t.accelerate(x, 120, y, 100).outcome, Outcome::too_short);  // 10 ms unplayed
  EXPECT_EQ(y, x);
}

// NetEq's preemptive expand concept: one period repeated after the samples already played,
// as the period after the insertion point cross-faded into the period before it.
TEST(TimeStretchNetEqPreemptiveExpand, InsertsOnePeriodAfterThePlayedHistory) {
  for (const int rate : kRates) {
    for (const double f0 : kF0s) {
      for (const double played_ms : {0.0, 10.0, 20.0}) {
        SCOPED_TRACE(testing::Message() << rate << " Hz, f0 " << f0 << ", played " << played_ms);
        TimeStretcher t(rate);
        const auto x = harmonic_tone(f0, rate, ms(rate, 50));
        const std::size_t played = ms(rate, played_ms);
        std::vector<float> y(x.size() + t.max_period_samples());
        const auto r = t.preemptive_expand(x, played, y);
        const double period = rate / f0;
        ASSERT_TRUE(r.applied);
        EXPECT_EQ(r.outcome, Outcome::periodic);
        EXPECT_EQ(r.written, x.size() + r.period);
        EXPECT_EQ(r.change, static_cast<std::ptrdiff_t>(r.period));
        EXPECT_NEAR(static_cast<double>(r.period), period, 1.0);
        y.resize(r.written);
        // x[0, S) untouched (so the played history is), then the inserted period, then x[S, n).
        const std::size_t s = std::max(ms(rate, 15), played);
        for (std::size_t i = 0; i < s; ++i)
          ASSERT_EQ(y[i], x[i]) << i;
        for (std::size_t i = s; i < x.size(); ++i)
          ASSERT_EQ(y[i + r.period], x[i]) << i;
        EXPECT_NEAR(period_of(y, rate), period_of(x, rate), 0.01 * period);
        EXPECT_LE(max_step(y), 1.05f * max_step(x));
      }
    }
  }
}

// A synthetic vowel (pulse train through formants): the harder case for the pitch search, with
// strong formant harmonics that correlate at sub-multiples of the period.
TEST(TimeStretchWsola, VowelsKeepTheirPitch) {
  for (const int rate : kRates) {
    for (const double f0 : kF0s) {
      SCOPED_TRACE(testing::Message() << rate << " Hz, f0 " << f0);
      const int period = static_cast<int>(std::lround(rate / f0));
      const auto x = plc_test::vowel(period, rate, ms(rate, 60));
      TimeStretcher t(rate);
      std::vector<float> y(x.size() + t.max_period_samples());
      auto r = t.accelerate(x, y);
      ASSERT_TRUE(r.applied);
      EXPECT_EQ(-r.change, period);
      std::vector<float> shorter(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(r.written));
      EXPECT_NEAR(period_of(shorter, rate), period, 0.01 * period);
      r = t.preemptive_expand(x, 0, y);
      ASSERT_TRUE(r.applied);
      EXPECT_EQ(r.change, period);
      std::vector<float> longer(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(r.written));
      EXPECT_NEAR(period_of(longer, rate), period, 0.01 * period);
      EXPECT_LE(max_step(longer), 1.05f * max_step(x));
    }
  }
}

// The documented decision: loud aperiodic input (white noise, fricatives) is copied; quiet
// input (below -40 dBFS by default, or the level set) is stretched whatever it is.
TEST(TimeStretchWsola, DecisionFollowsTheCorrelationAndQuietThresholds) {
  for (const int rate : kRates) {
    SCOPED_TRACE(rate);
    TimeStretcher t(rate);
    const std::size_t n = ms(rate, 30);
    std::vector<float> y(n + t.max_period_samples());
    for (unsigned seed = 1; seed <= 20; ++seed) {
      for (const auto& x : {white_noise(n, dbfs(-20), seed), fricative(n, dbfs(-20), seed),
                            white_noise(n, dbfs(-36), seed), fricative(n, dbfs(-36), seed)}) {
        auto r = t.accelerate(x, y);
        EXPECT_EQ(r.outcome, Outcome::not_periodic);
        EXPECT_LT(r.correlation, 0.9f);
        EXPECT_EQ(r.written, n);
        EXPECT_TRUE(std::equal(x.begin(), x.end(), y.begin()));
        r = t.preemptive_expand(x, 0, y);
        EXPECT_EQ(r.outcome, Outcome::not_periodic);
        EXPECT_EQ(r.written, n);
        EXPECT_TRUE(std::equal(x.begin(), x.end(), y.begin()));
      }
      for (const auto& x : {white_noise(n, dbfs(-44), seed), fricative(n, dbfs(-44), seed)}) {
        auto r = t.accelerate(x, y);
        EXPECT_EQ(r.outcome, Outcome::quiet);
        EXPECT_TRUE(r.applied);
        r = t.preemptive_expand(x, 0, y);
        EXPECT_EQ(r.outcome, Outcome::quiet);
        EXPECT_TRUE(r.applied);
      }
    }
    // A caller with a noise estimate raises the quiet level: -36 dBFS noise is then quiet.
    ASSERT_EQ(t.set_quiet_level_dbfs(-30.0f), Status::ok);
    const auto x = white_noise(n, dbfs(-36), 99);
    EXPECT_EQ(t.accelerate(x, y).outcome, Outcome::quiet);
    // A lower correlation threshold (NetEq's fast mode uses 0.5) lets a noisy vowel through
    // that 0.9 refuses.
    ASSERT_EQ(t.set_quiet_level_dbfs(-40.0f), Status::ok);
    auto noisy = harmonic_tone(150, rate, n);
    const auto noise = white_noise(n, 0.2, 7);
    for (std::size_t i = 0; i < n; ++i)
      noisy[i] += noise[i];
    auto r = t.accelerate(noisy, y);
    EXPECT_EQ(r.outcome, Outcome::not_periodic);
    ASSERT_EQ(t.set_correlation_threshold(r.correlation), Status::ok);
    r = t.accelerate(noisy, y);
    EXPECT_EQ(r.outcome, Outcome::periodic);
  }
}

TEST(TimeStretchWsola, SilenceIsStretchedAsQuiet) {
  for (const int rate : kRates) {
    TimeStretcher t(rate);
    const std::vector<float> zeros(t.min_input_samples(), 0.0f);
    std::vector<float> y(zeros.size() + t.max_period_samples(), 1.0f);
    auto r = t.accelerate(zeros, y);
    EXPECT_EQ(r.outcome, Outcome::quiet);
    EXPECT_EQ(static_cast<std::size_t>(-r.change), ms(rate, 2.5));  // the shortest period
    EXPECT_TRUE(std::all_of(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(r.written),
                            [](float v) { return v == 0.0f; }));
    std::fill(y.begin(), y.end(), 1.0f);
    r = t.preemptive_expand(zeros, 0, y);
    EXPECT_EQ(r.outcome, Outcome::quiet);
    EXPECT_EQ(static_cast<std::size_t>(r.change), ms(rate, 2.5));
    EXPECT_TRUE(std::all_of(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(r.written),
                            [](float v) { return v == 0.0f; }));
  }
}

// Sample-format edge cases: full scale (a +-1 square wave stays within +-1), subnormal and
// tiny levels (quiet, finite output), NaN and infinity (never stretched, copied).
TEST(TimeStretchWsola, FullScaleSubnormalAndNonFiniteSamples) {
  for (const int rate : kRates) {
    SCOPED_TRACE(rate);
    TimeStretcher t(rate);
    const std::size_t n = t.min_input_samples();
    std::vector<float> y(n + t.max_period_samples());
    const std::size_t period = ms(rate, 5);
    std::vector<float> square(n);
    for (std::size_t i = 0; i < n; ++i)
      square[i] = (i % period) < period / 2 ? 1.0f : -1.0f;
    for (const bool expand : {false, true}) {
      const auto r = expand ? t.preemptive_expand(square, 0, y) : t.accelerate(square, y);
      EXPECT_EQ(r.outcome, Outcome::periodic);
      EXPECT_EQ(r.period, period);
      for (std::size_t i = 0; i < r.written; ++i)
        ASSERT_LE(std::abs(y[i]), 1.0f) << i;
      // A whole period cut from a strictly periodic signal: nothing to fade, exact samples.
      for (std::size_t i = 0; i < r.written; ++i)
        ASSERT_EQ(y[i], square[i % period]) << i;
    }
    // Full-scale signs of a tone whose period is not a whole number of samples: the fades
    // blend -1 with +1 and must stay within them.
    std::vector<float> sign(n);
    for (std::size_t i = 0; i < n; ++i)
      sign[i] = std::sin(2 * std::numbers::pi * 230.0 * static_cast<double>(i) / rate) >= 0 ? 1.0f
                                                                                            : -1.0f;
    for (const bool expand : {false, true}) {
      const auto r = expand ? t.preemptive_expand(sign, 0, y) : t.accelerate(sign, y);
      EXPECT_TRUE(r.applied);
      for (std::size_t i = 0; i < r.written; ++i)
        ASSERT_LE(std::abs(y[i]), 1.0f) << i;
    }
    for (const float level : {1e-39f, 1e-30f, std::numeric_limits<float>::denorm_min()}) {
      auto x = harmonic_tone(200, rate, n, 1.0);
      for (auto& v : x)
        v *= level;
      const auto r = t.accelerate(x, y);
      EXPECT_TRUE(r.applied);
      for (std::size_t i = 0; i < r.written; ++i)
        ASSERT_TRUE(std::isfinite(y[i]) && std::abs(y[i]) <= 1e-29f) << i;
    }
    for (const float bad :
         {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(), 1e30f}) {
      auto x = harmonic_tone(200, rate, n);
      x[n / 2] = bad;
      auto r = t.accelerate(x, y);
      EXPECT_FALSE(r.applied);
      EXPECT_EQ(r.written, n);
      EXPECT_TRUE(std::equal(x.begin(), x.end(), y.begin(),
                             [](float a, float b) { return a == b || (a != a && b != b); }));
      r = t.preemptive_expand(x, 0, y);
      EXPECT_FALSE(r.applied);
      EXPECT_EQ(r.written, n);
    }
  }
}

TEST(TimeStretchWsola, ShortInputAndSmallOutputAreRefused) {
  TimeStretcher t(16000);
  const auto x = harmonic_tone(200, 16000, 480);
  std::vector<float> y(480 + 240, 7.0f);
  // One sample short of 30 ms: copied.
  auto r = t.accelerate(std::span(x).first(479), y);
  EXPECT_EQ(r.outcome, Outcome::too_short);
  EXPECT_EQ(r.written, 479u);
  EXPECT_TRUE(std::equal(x.begin(), x.begin() + 479, y.begin()));
  r = t.accelerate({}, y);
  EXPECT_EQ(r.outcome, Outcome::too_short);
  EXPECT_EQ(r.written, 0u);
  // History reaching past 15 ms moves the insertion point: 15 ms more input needed.
  r = t.preemptive_expand(x, 241, y);
  EXPECT_EQ(r.outcome, Outcome::too_short);
  r = t.preemptive_expand(x, 600, y);  // more history than input
  EXPECT_EQ(r.outcome, Outcome::too_short);
  const auto added = t.preemptive_expand(x, 240, y);
  EXPECT_TRUE(added.applied);
  // Output below the documented capacity: nothing written.
  std::fill(y.begin(), y.end(), 7.0f);
  r = t.accelerate(x, std::span(y).first(479));
  EXPECT_EQ(r.outcome, Outcome::output_too_small);
  EXPECT_EQ(r.written, 0u);
  r = t.preemptive_expand(x, 0, std::span(y).first(480 + 239));
  EXPECT_EQ(r.outcome, Outcome::output_too_small);
  EXPECT_EQ(r.written, 0u);
  EXPECT_TRUE(std::all_of(y.begin(), y.end(), [](float v) { return v == 7.0f; }));
  const auto& s = t.stats();
  EXPECT_EQ(s.expanded, 1);
  EXPECT_EQ(s.samples_added, added.change);
  EXPECT_EQ(s.accelerated, 0);
  EXPECT_EQ(s.declined, 6);
}

// Clock drift: the jitter buffer stretches decoded speech by +-1 % with these calls, 30 ms
// blocks at a time, whenever the output runs ahead of (behind) the drifting target. Over 20 s
// of speech-like audio the duration must follow the target, the energy envelope (20 ms frames
// against the input frames they came from) must be kept, and no join may step.
struct Drifted {
  std::vector<float> y;
  std::vector<double> source;  // input position each output sample came from (approximately)
  int applied = 0, declined = 0;
};

Drifted drift(const std::vector<float>& x, int rate, double ratio) {
  TimeStretcher t(rate);
  const std::size_t block = t.min_input_samples();
  const std::size_t s = block / 2;
  Drifted d;
  std::vector<float> out(block + t.max_period_samples());
  for (std::size_t pos = 0; pos + block <= x.size(); pos += block) {
    const std::span<const float> in(x.data() + pos, block);
    const double target = static_cast<double>(pos + block) * ratio;
    const double after_copy = static_cast<double>(d.y.size() + block);
    TimeStretcher::Result r;
    if (ratio < 1 && after_copy > target) {
      r = t.accelerate(in, out);
    } else if (ratio > 1 && after_copy < target) {
      r = t.preemptive_expand(in, 0, out);
    } else {
      std::copy(in.begin(), in.end(), out.begin());
      r.written = block;
    }
    if (r.applied) ++d.applied;
    if (!r.applied && (ratio < 1 ? after_copy > target : after_copy < target)) ++d.declined;
    d.y.insert(d.y.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(r.written));
    // Source positions: identity outside the fade; the fade spans both segments.
    const auto len = static_cast<double>(r.change < 0 ? -r.change : r.change);
    for (std::size_t i = 0; i < r.written; ++i) {
      const auto fi = static_cast<double>(i);
      double src = fi;
      if (r.change < 0) {
        const double start = static_cast<double>(s) - len;
        if (fi >= start) src = fi < static_cast<double>(s) ? start + 2 * (fi - start) : fi + len;
      } else if (r.change > 0 && fi >= static_cast<double>(s)) {
        src = fi < static_cast<double>(s) + len ? static_cast<double>(s) : fi - len;
      }
      d.source.push_back(static_cast<double>(pos) + src);
    }
  }
  return d;
}

TEST(TimeStretchWsola, SpeechLikeDriftOfOnePercentKeepsTheEnergyEnvelope) {
  for (const int rate : kRates) {
    const auto x = ivrmedia::sim::speech_like(ms(rate, 20000), {rate, -20.0, 42});
    const std::size_t used = x.size() / ms(rate, 30) * ms(rate, 30);
    for (const double ratio : {0.99, 1.01}) {
      SCOPED_TRACE(testing::Message() << rate << " Hz, ratio " << ratio);
      const Drifted d = drift(x, rate, ratio);
      // Duration: within one longest period (15 ms) of the target.
      const double target = static_cast<double>(used) * ratio;
      EXPECT_NEAR(static_cast<double>(d.y.size()), target, static_cast<double>(ms(rate, 15)));
      // Energy envelope: 20 ms output frames against the input they were taken from.
      const std::size_t frame = ms(rate, 20);
      double sum_diff = 0, max_diff = 0;
      int frames = 0;
      for (std::size_t i = 0; i + frame <= d.y.size(); i += frame) {
        const auto a = static_cast<std::size_t>(d.source[i]);
        const auto b = std::min(x.size(), static_cast<std::size_t>(d.source[i + frame - 1]) + 1);
        double ein = 0, eout = 0;
        for (std::size_t k = a; k < b; ++k)
          ein += double(x[k]) * x[k];
        for (std::size_t k = i; k < i + frame; ++k)
          eout += double(d.y[k]) * d.y[k];
        ein /= static_cast<double>(b - a);
        eout /= static_cast<double>(frame);
        // Frames 5 dB above the quiet level, where only periodic segments are stretched (and
        // where the source mapping, approximate inside a fade, does not meet steep onsets).
        if (ein < std::pow(10.0, -35.0 / 10)) continue;
        const double diff = std::abs(10 * std::log10(eout / ein));
        sum_diff += diff;
        max_diff = std::max(max_diff, diff);
        ++frames;
      }
      const double mean_diff = sum_diff / frames;
      std::printf(
          "[ drift    ] %d Hz x%.2f: %zu -> %zu samples (target %.0f), %d applied, "
          "%d declined; envelope |dB| mean %.3f max %.2f over %d frames\n",
          rate, ratio, used, d.y.size(), target, d.applied, d.declined, mean_diff, max_diff,
          frames);
      EXPECT_LT(mean_diff, 0.3);
      EXPECT_LT(max_diff, 3.0);
      EXPECT_LE(max_step(d.y), 1.1f * max_step(x));
    }
  }
}

std::vector<float> interleave(const std::vector<float>& l, const std::vector<float>& r) {
  std::vector<float> x(2 * l.size());
  for (std::size_t i = 0; i < l.size(); ++i) {
    x[2 * i] = l[i];
    x[2 * i + 1] = r[i];
  }
  return x;
}

std::vector<float> channel(std::span<const float> x, std::size_t ch, std::size_t frames) {
  std::vector<float> y(frames);
  for (std::size_t i = 0; i < frames; ++i)
    y[i] = x[2 * i + ch];
  return y;
}

// Stereo: the pitch and the decision come from both channels together and both get the same
// cut, so a voice in one channel only, or in opposite phase (which a downmix would cancel), is
// stretched, and a loud noise in either channel prevents the cut.
TEST(TimeStretchWsola, StereoIsAnalysedJointlyAndCutAlike) {
  for (const int rate : kRates) {
    const std::size_t n = ms(rate, 50);
    const double f0 = 190;
    const auto voice = harmonic_tone(f0, rate, n);
    const auto vowel = plc_test::vowel(static_cast<int>(std::lround(rate / f0)), rate, n);
    std::vector<float> inverted(voice);
    for (auto& v : inverted)
      v = -v;
    const std::vector<float> silent(n, 0.0f);
    using Pair = std::pair<const std::vector<float>*, const std::vector<float>*>;
    TimeStretcher t({.sample_rate_hz = rate, .channels = 2});
    EXPECT_EQ(t.channels(), 2);
    for (const auto& [left, right] :
         {Pair{&voice, &vowel}, Pair{&voice, &inverted}, Pair{&silent, &vowel}}) {
      const auto x = interleave(*left, *right);
      std::vector<float> y(x.size() + 2 * t.max_period_samples());
      for (const bool expand : {false, true}) {
        SCOPED_TRACE(testing::Message() << rate << " Hz, expand " << expand);
        const auto r = expand ? t.preemptive_expand(x, 0, y) : t.accelerate(x, y);
        ASSERT_TRUE(r.applied);
        EXPECT_EQ(r.outcome, Outcome::periodic);
        EXPECT_NEAR(static_cast<double>(r.period), rate / f0, 1.0);
        EXPECT_EQ(static_cast<std::ptrdiff_t>(r.written),
                  static_cast<std::ptrdiff_t>(n) + r.change);
        const std::size_t s = ms(rate, 15), len = r.period;
        for (std::size_t ch = 0; ch < 2; ++ch) {
          const auto& in = ch == 0 ? *left : *right;
          const auto out = channel(y, ch, r.written);
          // Each channel cut exactly where a mono stretcher with that period would cut it.
          for (std::size_t i = 0; i < (expand ? s : s - len); ++i)
            ASSERT_EQ(out[i], in[i]) << ch << " " << i;
          for (std::size_t i = s + (expand ? len : 0); i < out.size(); ++i)
            ASSERT_EQ(out[i], expand ? in[i - len] : in[i + len]) << ch << " " << i;
          if (&in != &silent) {
            EXPECT_NEAR(period_of(out, rate), period_of(in, rate), 0.01 * rate / f0);
            EXPECT_LE(max_step(out), 1.05f * max_step(in));
          }
        }
      }
    }
    // A loud noise in one channel keeps both channels from being cut.
    const auto x = interleave(voice, white_noise(n, dbfs(-20), 4));
    std::vector<float> y(x.size());
    EXPECT_EQ(t.accelerate(x, y).outcome, Outcome::not_periodic);
    EXPECT_EQ(y, x);
    // Half a frame is refused, nothing written.
    std::fill(y.begin(), y.end(), 3.0f);
    const auto r = t.accelerate(std::span(x).first(x.size() - 1), y);
    EXPECT_EQ(r.outcome, Outcome::partial_frame);
    EXPECT_EQ(r.written, 0u);
    EXPECT_TRUE(std::all_of(y.begin(), y.end(), [](float v) { return v == 3.0f; }));
  }
  for (const int channels : {0, 3, -1}) {
    EXPECT_THROW(TimeStretcher({.sample_rate_hz = 8000, .channels = channels}), ivrmedia::Error);
  }
}

// Each call stands alone (no stream state), and the tables live in the object: a moved-to and
// a moved-from stretcher, and a reset one, all give the same result as a fresh one.
TEST(TimeStretchWsola, CallsStandAloneAndSurviveMoves) {
  const auto x = harmonic_tone(170, 16000, 640);
  TimeStretcher fresh(16000);
  std::vector<float> want(640), got(640);
  const auto r0 = fresh.accelerate(x, want);
  ASSERT_TRUE(r0.applied);
  TimeStretcher a(16000);
  (void)a.accelerate(white_noise(640, 0.1, 5), got);
  a.reset();
  TimeStretcher b(std::move(a));
  for (TimeStretcher* t : {&a, &b}) {  // NOLINT(bugprone-use-after-move): moved-from stays usable
    std::fill(got.begin(), got.end(), 0.0f);
    const auto r = t->accelerate(x, got);
    EXPECT_EQ(r.change, r0.change);
    EXPECT_EQ(got, want);
  }
}

// Random rates, channel counts, lengths, histories, limits and signals (tones of any pitch,
// vowels, noise at any level, silence, mixtures, full scale): whatever is decided, the output
// is the documented geometry. The vectors are exactly the documented capacity, so AddressSanitizer
// catches any write past it.
TEST(TimeStretchWsola, RandomCallsKeepTheDocumentedGeometry) {
  std::uint32_t seed = 20261127;
  if (const char* env = std::getenv("IVRM_SEED"))
    seed = static_cast<std::uint32_t>(std::stoul(env));
  std::printf(
      "TimeStretch robustness seed %u (replay: IVRM_SEED=%u ivrmedia_tests "
      "--gtest_filter=TimeStretchWsola.RandomCallsKeepTheDocumentedGeometry)\n",
      seed, seed);
  std::mt19937 rng(seed);
  const auto pick = [&rng](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  };
  std::int64_t applied = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    SCOPED_TRACE(iter);
    const int rate = kRates[rng() % 3];
    const std::size_t c = 1 + rng() % 2;
    TimeStretcher t({.sample_rate_hz = rate, .channels = static_cast<int>(c)});
    const auto n = static_cast<std::size_t>(pick(0, 80) * rate / 1000);
    std::vector<float> x(n * c);
    const int kind = static_cast<int>(rng() % 5);
    const double gain = std::pow(10.0, pick(-80, 0) / 20);
    for (std::size_t ch = 0; ch < c; ++ch) {
      std::vector<float> sig;
      if (kind == 0) sig = harmonic_tone(pick(60, 500), rate, n, gain);
      if (kind == 1) sig = plc_test::vowel(static_cast<int>(pick(20, 130) * rate / 8000), rate, n);
      if (kind == 2) sig = white_noise(n, gain, static_cast<unsigned>(rng()));
      if (kind == 3) sig.assign(n, 0.0f);
      if (kind == 4) {
        sig = harmonic_tone(pick(80, 300), rate, n, gain);
        const auto noise = white_noise(n, gain * pick(0, 1), static_cast<unsigned>(rng()));
        for (std::size_t i = 0; i < n; ++i)
          sig[i] = std::clamp(sig[i] + noise[i], -1.0f, 1.0f);
      }
      for (std::size_t i = 0; i < n; ++i)
        x[i * c + ch] = sig[i];
    }
    const int op = static_cast<int>(rng() % 3);
    const auto max_remove = static_cast<std::size_t>(pick(0, 20) * rate / 1000);
    const auto played = static_cast<std::size_t>(pick(0, 1.2) * static_cast<double>(n));
    std::vector<float> y(op == 2 ? x.size() + c * t.max_period_samples() : x.size());
    const auto r = op == 0   ? t.accelerate(x, y)
                   : op == 1 ? t.accelerate(x, y, max_remove)
                             : t.preemptive_expand(x, played, y);
    ASSERT_EQ(static_cast<std::ptrdiff_t>(r.written), static_cast<std::ptrdiff_t>(n) + r.change);
    ASSERT_EQ(r.applied, r.change != 0);
    if (!r.applied) {
      ASSERT_TRUE(std::equal(x.begin(), x.end(), y.begin()));
      continue;
    }
    ++applied;
    const auto len = static_cast<std::size_t>(std::abs(r.change));
    ASSERT_GE(len, ms(rate, 2.5));
    ASSERT_LE(len, ms(rate, 15));
    if (op == 1) {
      ASSERT_LE(len, max_remove);
    } else {
      ASSERT_EQ(len, r.period);
    }
    // Untouched before the fade and after it; the fade between the samples it blends.
    const std::size_t s = op == 2 ? std::max(ms(rate, 15), played) : ms(rate, 15);
    const std::size_t fade = op == 2 ? s : s - len;
    ASSERT_TRUE(
        std::equal(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(fade * c), y.begin()));
    const std::size_t tail = op == 2 ? s : s + len;  // input frame after the fade
    const std::size_t at = fade + len;               // where it lands in the output
    ASSERT_TRUE(std::equal(x.begin() + static_cast<std::ptrdiff_t>(tail * c), x.end(),
                           y.begin() + static_cast<std::ptrdiff_t>(at * c)));
    for (std::size_t i = 0; i < len * c; ++i) {
      const float from = op == 2 ? x[s * c + i] : x[fade * c + i];
      const float to = op == 2 ? x[(s - len) * c + i] : x[s * c + i];
      const float v = y[fade * c + i];
      ASSERT_GE(v, std::min(from, to)) << i;
      ASSERT_LE(v, std::max(from, to)) << i;
    }
  }
  std::printf("[ random   ] %lld of 3000 calls stretched\n", static_cast<long long>(applied));
  EXPECT_GT(applied, 500);
}

TEST(TimeStretchWsola, ProcessingDoesNotAllocate) {
  for (const int rate : kRates) {
    TimeStretcher t(rate);
    const auto voiced = harmonic_tone(180, rate, ms(rate, 40));
    const auto noise = white_noise(ms(rate, 40), 0.1, 3);
    std::vector<float> y(voiced.size() + t.max_period_samples());
    TimeStretcher stereo({.sample_rate_hz = rate, .channels = 2});
    const auto both = interleave(voiced, noise);
    std::vector<float> y2(both.size() + 2 * t.max_period_samples());
    ivrm_test::AllocationScope scope;
    for (const auto* x : {&voiced, &noise}) {
      (void)t.accelerate(*x, y);
      (void)t.accelerate(*x, y, ms(rate, 15));
      (void)t.preemptive_expand(*x, ms(rate, 10), y);
      (void)t.preemptive_expand(*x, 0, std::span(y).first(3));
    }
    (void)stereo.accelerate(both, y2);
    (void)stereo.preemptive_expand(both, 0, y2);
    t.reset();
    EXPECT_EQ(scope.count(), 0) << rate;
  }
}

}  // namespace
