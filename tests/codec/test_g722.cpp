// ITU-T G.722 on its own (the byte-exact check against spandsp is test_g722_spandsp.cpp):
// round-trip quality per mode with stated thresholds, argument errors, reset, and no
// allocation while coding.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "ivrmedia/g722.hpp"
#include "support/alloc_counter.hpp"

namespace {

using ivrmedia::Status;
namespace g722 = ivrmedia::g722;

std::vector<std::int16_t> tone(double hz, double amplitude, std::size_t n) {
  std::vector<std::int16_t> x(n);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = static_cast<std::int16_t>(std::lround(
        amplitude * std::sin(2 * std::numbers::pi * hz * static_cast<double>(i) / 16000)));
  return x;
}

// SNR of y against x delayed by `delay` samples (the QMF pair delays by 22 samples).
double snr_db(const std::vector<std::int16_t>& x, const std::vector<std::int16_t>& y, int delay) {
  double s = 0, e = 0;
  for (std::size_t i = 4000; i + static_cast<std::size_t>(delay) < y.size(); ++i) {
    const double ref = x[i], got = y[i + static_cast<std::size_t>(delay)];
    s += ref * ref;
    e += (ref - got) * (ref - got);
  }
  return 10 * std::log10(s / e);
}

std::vector<std::int16_t> round_trip(g722::Mode mode, const std::vector<std::int16_t>& x) {
  g722::Encoder enc(mode);
  g722::Decoder dec(mode);
  std::vector<std::uint8_t> c(x.size() / 2);
  std::vector<std::int16_t> y(x.size());
  EXPECT_EQ(enc.encode(x, c), Status::ok);
  EXPECT_EQ(dec.decode(c, y), Status::ok);
  return y;
}

TEST(G722, RoundTripSnrPerModeOnTonesInBothSubBands) {
  // Thresholds: the ADPCM's SNR on steady tones at -10 dBFS, well inside what G.722 gives
  // (about 6 dB per lower-band bit; the upper band has 2 bits).
  struct Case {
    g722::Mode mode;
    double low_band_min_db, high_band_min_db;
  } cases[] = {
      {g722::Mode::kbps64, 30, 12}, {g722::Mode::kbps56, 25, 12}, {g722::Mode::kbps48, 19, 12}};
  for (const auto& c : cases) {
    SCOPED_TRACE(static_cast<int>(c.mode));
    const auto low = tone(1000, 10000, 32000);
    const auto high = tone(5000, 10000, 32000);
    EXPECT_GT(snr_db(low, round_trip(c.mode, low), 22), c.low_band_min_db);
    EXPECT_GT(snr_db(high, round_trip(c.mode, high), 22), c.high_band_min_db);
  }
}

TEST(G722, RejectsOddInputAndShortOutputsWithoutConsumingAnything) {
  g722::Encoder enc;
  std::vector<std::int16_t> x = tone(440, 8000, 320);
  std::vector<std::uint8_t> c(160);
  EXPECT_EQ(enc.encode(std::span(x).first(319), c), Status::invalid_argument);
  EXPECT_EQ(enc.encode(x, std::span(c).first(159)), Status::buffer_too_small);
  // The failed calls left no trace: the same input encodes like a fresh encoder's.
  ASSERT_EQ(enc.encode(x, c), Status::ok);
  g722::Encoder fresh;
  std::vector<std::uint8_t> c2(160);
  ASSERT_EQ(fresh.encode(x, c2), Status::ok);
  EXPECT_EQ(c, c2);

  g722::Decoder dec;
  std::vector<std::int16_t> y(319);
  EXPECT_EQ(dec.decode(c, y), Status::buffer_too_small);
  EXPECT_EQ(dec.decode({}, y), Status::ok);
}

TEST(G722, ResetRestartsTheStream) {
  const auto x = tone(700, 12000, 640);
  g722::Encoder enc;
  std::vector<std::uint8_t> a(320), b(320);
  ASSERT_EQ(enc.encode(x, a), Status::ok);
  enc.reset();
  ASSERT_EQ(enc.encode(x, b), Status::ok);
  EXPECT_EQ(a, b);
  g722::Decoder dec;
  std::vector<std::int16_t> ya(640), yb(640);
  ASSERT_EQ(dec.decode(a, ya), Status::ok);
  dec.reset();
  ASSERT_EQ(dec.decode(a, yb), Status::ok);
  EXPECT_EQ(ya, yb);
}

TEST(G722, CodingNeverAllocates) {
  const auto x = tone(1200, 9000, 320);
  g722::Encoder enc;
  g722::Decoder dec;
  std::vector<std::uint8_t> c(160);
  std::vector<std::int16_t> y(320);
  ivrm_test::AllocationScope counter;
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(enc.encode(x, c), Status::ok);
    ASSERT_EQ(dec.decode(c, y), Status::ok);
  }
  EXPECT_EQ(counter.count(), 0);
}

}  // namespace
