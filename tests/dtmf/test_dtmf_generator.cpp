// DTMF generator (ITU-T Q.23 frequencies): frequency accuracy, levels and twist, durations,
// click-free edges, queue limits.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <string>
#include <vector>

#include "ivrmedia/dtmf.hpp"

namespace dtmf = ivrmedia::dtmf;

namespace {

// Frequency of the component near `f` (Hz) in x, from the phase advance of the correlation at
// f between two consecutive 50 ms windows: unambiguous within +-10 Hz (0.6 % of the highest
// tone, so a 0.1 % error cannot alias into a pass) and precise to millihertz on a clean tone.
double measured_hz(const std::vector<float>& x, double f, int rate) {
  const std::size_t h = static_cast<std::size_t>(rate) / 20;
  std::complex<double> a{}, b{};
  for (std::size_t n = 0; n < h; ++n) {
    const double w = 2 * std::numbers::pi * f * double(n) / rate;
    a += double(x[n]) * std::polar(1.0, -w);
    b += double(x[n + h]) * std::polar(1.0, -w);
  }
  const double dphi = std::arg(b * std::conj(a));  // advance over h samples beyond f's own
  const double cycles = f * double(h) / rate;
  const double frac = cycles - std::floor(cycles);
  double d = dphi - 2 * std::numbers::pi * frac;
  d = std::remainder(d, 2 * std::numbers::pi);
  return f + d * rate / (2 * std::numbers::pi * double(h));
}

TEST(DtmfGeneratorQ23, FrequenciesWithinPointOnePercentAtEveryRate) {
  for (int rate : {8000, 16000, 48000}) {
    for (char d : dtmf::kDigits) {
      dtmf::Generator::Config c;
      c.sample_rate_hz = rate;
      c.tone_ms = 1000;
      c.pause_ms = 0;
      c.ramp_ms = 0;
      dtmf::Generator g(c);
      ASSERT_EQ(g.queue(std::string(1, d)), ivrmedia::Status::ok);
      std::vector<float> x(static_cast<std::size_t>(rate));
      g.generate(x);
      int r = 0, col = 0;
      dtmf::digit_position(d, r, col);
      for (double f : {dtmf::kRowHz[r], dtmf::kColumnHz[col]}) {
        EXPECT_NEAR(measured_hz(x, f, rate), f, f * 0.001) << d << " at " << rate;
      }
    }
  }
}

TEST(DtmfGeneratorQ23, LevelsTwistAndDurations) {
  dtmf::Generator::Config c;
  c.low_dbm0 = -9;
  c.twist_db = 3;
  c.tone_ms = 100;
  c.pause_ms = 50;
  c.ramp_ms = 0;
  dtmf::Generator g(c);
  ASSERT_EQ(g.queue("1D"), ivrmedia::Status::ok);
  std::vector<float> x(8000);
  EXPECT_EQ(g.generate(x), 2u * 1200u);  // two digits of tone + pause
  EXPECT_FALSE(g.busy());
  double power = 0;
  for (std::size_t i = 0; i < 800; ++i)
    power += double(x[i]) * x[i];
  const double expected =
      (std::pow(dtmf::dbm0_to_amplitude(-9), 2) + std::pow(dtmf::dbm0_to_amplitude(-6), 2)) / 2;
  EXPECT_NEAR(10 * std::log10(power / 800 / expected), 0.0, 0.1);
  for (std::size_t i = 800; i < 1200; ++i)
    ASSERT_EQ(x[i], 0.0f) << "pause";
  for (std::size_t i = 2400; i < x.size(); ++i)
    ASSERT_EQ(x[i], 0.0f) << "idle";
  // The detector reads back what was asked for.
  dtmf::Detector det({});
  det.process(x);
  std::vector<dtmf::Event> ev(8);
  ev.resize(det.read_events(ev));
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_NEAR(ev[1].low_dbm0, -9, 0.3);
  EXPECT_NEAR(ev[1].twist_db, 3, 0.3);
  EXPECT_NEAR(double(ev[1].end_sample - ev[1].start_sample), 800, 16);
}

TEST(DtmfGenerator, EdgesHaveNoClicks) {
  dtmf::Generator::Config c;
  c.low_dbm0 = -3;
  c.twist_db = 0;
  dtmf::Generator g(c);
  ASSERT_EQ(g.queue("0"), ivrmedia::Status::ok);
  std::vector<float> x(2000);
  g.generate(x);
  const auto tone = static_cast<std::size_t>(c.tone_ms * 8);
  // No step at either edge: the first and last samples are tiny, and no sample-to-sample
  // change at the edges exceeds the largest change inside the steady tone.
  EXPECT_LT(std::abs(x[0]), 0.02f);
  EXPECT_LT(std::abs(x[tone - 1]), 0.02f);
  float steady = 0, edge = 0;
  for (std::size_t i = 40; i + 40 < tone; ++i)
    steady = std::max(steady, std::abs(x[i] - x[i - 1]));
  for (std::size_t i = 1; i < 20; ++i)
    edge = std::max(edge, std::abs(x[i] - x[i - 1]));
  for (std::size_t i = tone - 20; i <= tone; ++i)
    edge = std::max(edge, std::abs(x[i] - x[i - 1]));
  EXPECT_LE(edge, steady);
}

TEST(DtmfGenerator, QueueLimitsAndValidation) {
  dtmf::Generator::Config c;
  c.max_queued = 4;
  dtmf::Generator g(c);
  EXPECT_EQ(g.queue("12x"), ivrmedia::Status::invalid_argument);
  EXPECT_FALSE(g.busy());
  EXPECT_EQ(g.queue("1234"), ivrmedia::Status::ok);
  EXPECT_EQ(g.queue("5"), ivrmedia::Status::full);
  g.reset();
  EXPECT_FALSE(g.busy());
  std::vector<std::int16_t> x(100);
  EXPECT_EQ(g.generate(x), 0u);
  c.sample_rate_hz = 12345;
  EXPECT_THROW(dtmf::Generator{c}, ivrmedia::Error);
  c = {};
  c.ramp_ms = 60;  // two ramps longer than the tone
  EXPECT_THROW(dtmf::Generator{c}, ivrmedia::Error);
}

}  // namespace
