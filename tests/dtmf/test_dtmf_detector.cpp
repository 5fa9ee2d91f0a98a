// ITU-T Q.24 receiver conditions for the DTMF detector, each a named test over all 16 digits,
// on signals synthesized here (independently of dtmf::Generator).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numbers>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ivrmedia/dtmf.hpp"
#include "ivrmedia/g711.hpp"
#include "support/alloc_counter.hpp"

namespace dtmf = ivrmedia::dtmf;
using dtmf::Event;

namespace {

constexpr std::string_view kAll = "0123456789*#ABCD";

struct Tone {
  char digit = '5';
  double ms = 60;
  double low_dbm0 = -10, high_dbm0 = -10;
  double low_factor = 1.0, high_factor = 1.0;  // frequency multipliers (1.015 = +1.5 %)
};

// Appends one tone (or, with digit 0, silence) to `x`.
void add_tone(std::vector<float>& x, const Tone& t, int rate, double phase0 = 0.3) {
  const auto n = static_cast<std::size_t>(std::lround(t.ms * rate / 1000.0));
  int r = 0, c = 0;
  const bool silent = !dtmf::digit_position(t.digit, r, c);
  const double fl = silent ? 0 : dtmf::kRowHz[r] * t.low_factor;
  const double fh = silent ? 0 : dtmf::kColumnHz[c] * t.high_factor;
  const double al = silent ? 0 : dtmf::dbm0_to_amplitude(t.low_dbm0);
  const double ah = silent ? 0 : dtmf::dbm0_to_amplitude(t.high_dbm0);
  for (std::size_t i = 0; i < n; ++i) {
    const double s = double(i) / rate;
    x.push_back(static_cast<float>(al * std::sin(2 * std::numbers::pi * fl * s + phase0) +
                                   ah * std::sin(2 * std::numbers::pi * fh * s + 2 * phase0)));
  }
}

void add_silence(std::vector<float>& x, double ms, int rate) {
  x.insert(x.end(), static_cast<std::size_t>(std::lround(ms * rate / 1000.0)), 0.0f);
}

std::vector<Event> run(const std::vector<float>& x, dtmf::Detector::Config cfg = {}) {
  dtmf::Detector d(cfg);
  std::vector<Event> events;
  Event buf[8];
  for (std::size_t i = 0; i < x.size(); i += 160) {
    d.process(std::span<const float>(x).subspan(i, std::min<std::size_t>(160, x.size() - i)));
    for (std::size_t n; (n = d.read_events(buf)) > 0;)
      events.insert(events.end(), buf, buf + n);
  }
  d.gap(1);  // flush a digit still active at the end
  for (std::size_t n; (n = d.read_events(buf)) > 0;)
    events.insert(events.end(), buf, buf + n);
  return events;
}

// The digits of the key_up events, in order.
std::string digits_of(const std::vector<Event>& ev) {
  std::string s;
  for (const Event& e : ev) {
    if (e.type == Event::Type::key_up) s += e.digit;
  }
  return s;
}

// One digit alone with silence around it, detected how many times as what.
std::string detect_one(const Tone& t, int rate = 8000, dtmf::Detector::Config cfg = {}) {
  std::vector<float> x;
  add_silence(x, 50, rate);
  add_tone(x, t, rate);
  add_silence(x, 80, rate);
  cfg.sample_rate_hz = rate;
  return digits_of(run(x, cfg));
}

TEST(DtmfQ24, AllDigitsAtNominalFrequencyAndLevel) {
  for (char d : kAll)
    EXPECT_EQ(detect_one({d}), std::string(1, d));
}

TEST(DtmfQ24, FrequencyErrorOf1_5PercentIsAccepted) {
  for (char d : kAll) {
    for (double f : {0.985, 1.015}) {
      EXPECT_EQ(detect_one({d, 60, -10, -10, f, 1.0}), std::string(1, d)) << "low x" << f;
      EXPECT_EQ(detect_one({d, 60, -10, -10, 1.0, f}), std::string(1, d)) << "high x" << f;
      EXPECT_EQ(detect_one({d, 60, -10, -10, f, f}), std::string(1, d)) << "both x" << f;
      EXPECT_EQ(detect_one({d, 60, -10, -10, f, 2 - f}), std::string(1, d)) << "opposite x" << f;
    }
  }
}

TEST(DtmfQ24, FrequencyErrorOf3_5PercentIsRejected) {
  for (char d : kAll) {
    for (double f : {0.965, 1.035}) {
      EXPECT_EQ(detect_one({d, 60, -10, -10, f, 1.0}), "") << d << " low x" << f;
      EXPECT_EQ(detect_one({d, 60, -10, -10, 1.0, f}), "") << d << " high x" << f;
    }
  }
}

TEST(DtmfQ24, LevelsFrom0DownToMinus30Dbm0AreAccepted) {
  for (char d : kAll) {
    for (double level : {0.0, -6.0, -12.0, -20.0, -25.0, -30.0}) {
      EXPECT_EQ(detect_one({d, 60, level, level}), std::string(1, d)) << level << " dBm0";
    }
  }
}

TEST(DtmfQ24, TonesBelowTheThresholdAreRejected) {
  // Documented threshold: min_level_dbm0 = -36 per tone.
  for (char d : kAll) {
    EXPECT_EQ(detect_one({d, 60, -40, -40}), "");
    EXPECT_EQ(detect_one({d, 60, -45, -45}), "");
    EXPECT_EQ(detect_one({d, 60, -10, -42}), "");  // one tone too weak
  }
}

TEST(DtmfQ24, TwistLimitsAreAcceptedExactly) {
  for (char d : kAll) {
    // reverse twist: low group 8 dB stronger; normal twist: high group 4 dB stronger; and the
    // same at the worst +-1.5 % frequency errors.
    EXPECT_EQ(detect_one({d, 60, -6, -14}), std::string(1, d)) << "reverse 8 dB";
    EXPECT_EQ(detect_one({d, 60, -14, -10}), std::string(1, d)) << "normal 4 dB";
    EXPECT_EQ(detect_one({d, 60, -6, -14, 1.0, 1.015}), std::string(1, d)) << "reverse, off";
    EXPECT_EQ(detect_one({d, 60, -14, -10, 1.015, 1.0}), std::string(1, d)) << "normal, off";
  }
}

TEST(DtmfQ24, TwistOf16DbIsRejected) {
  for (char d : kAll) {
    EXPECT_EQ(detect_one({d, 60, -4, -20}), "") << "reverse 16 dB";
    EXPECT_EQ(detect_one({d, 60, -20, -4}), "") << "normal 16 dB";
  }
}

TEST(DtmfQ24, FortyMillisecondTonesAreAcceptedAtEveryAlignment) {
  for (char d : kAll) {
    for (int offset = 0; offset < 51; offset += 5) {
      std::vector<float> x;
      add_silence(x, 30 + offset / 8.0, 8000);
      add_tone(x, {d, 40}, 8000);
      add_silence(x, 80, 8000);
      EXPECT_EQ(digits_of(run(x)), std::string(1, d)) << "offset " << offset;
    }
  }
}

TEST(DtmfQ24, TonesOf23MillisecondsOrShorterAreRejected) {
  for (char d : kAll) {
    for (double ms : {10.0, 20.0, 23.0}) {
      for (int offset = 0; offset < 51; offset += 5) {
        std::vector<float> x;
        add_silence(x, 30 + offset / 8.0, 8000);
        add_tone(x, {d, ms}, 8000);
        add_silence(x, 80, 8000);
        EXPECT_EQ(digits_of(run(x)), "") << ms << " ms, offset " << offset;
      }
    }
  }
}

TEST(DtmfQ24, FortyMillisecondPauseSeparatesEqualDigits) {
  for (char d : kAll) {
    std::vector<float> x;
    add_silence(x, 30, 8000);
    add_tone(x, {d, 50}, 8000);
    add_silence(x, 40, 8000);
    add_tone(x, {d, 50}, 8000);
    add_silence(x, 80, 8000);
    EXPECT_EQ(digits_of(run(x)), std::string(2, d));
  }
}

TEST(DtmfQ24, TenMillisecondDropoutDoesNotSplitADigit) {
  for (char d : kAll) {
    for (int offset = 0; offset < 51; offset += 10) {
      std::vector<float> x;
      add_silence(x, 30 + offset / 8.0, 8000);
      add_tone(x, {d, 60}, 8000);
      add_silence(x, 10, 8000);
      add_tone(x, {d, 60}, 8000, 1.1);  // the tone resumes with another phase
      add_silence(x, 80, 8000);
      EXPECT_EQ(digits_of(run(x)), std::string(1, d)) << "offset " << offset;
    }
  }
}

TEST(DtmfQ24, NoDigitOf32MissedAt12DbSignalToNoise) {
  // White noise over the band; each tone's power is 12 dB above the noise power.
  std::mt19937 rng(24);
  const double level = -20;
  const double tone_power = std::pow(dtmf::dbm0_to_amplitude(level), 2) / 2;
  std::normal_distribution<double> noise(0.0, std::sqrt(tone_power / std::pow(10.0, 1.2)));
  std::vector<float> x;
  std::string sent;
  for (int rep = 0; rep < 2; ++rep) {
    for (char d : kAll) {
      add_tone(x, {d, 50, level, level}, 8000);
      add_silence(x, 50, 8000);
      sent += d;
    }
  }
  for (float& s : x)
    s += static_cast<float>(noise(rng));
  EXPECT_EQ(digits_of(run(x)), sent);
}

TEST(DtmfQ24, WidebandFullbandAndFileRates) {
  for (int rate : {11025, 16000, 44100, 48000}) {
    for (char d : kAll)
      EXPECT_EQ(detect_one({d}, rate), std::string(1, d)) << rate << " Hz";
    EXPECT_EQ(detect_one({'7', 23}, rate), "") << rate << " Hz, 23 ms";
    EXPECT_EQ(detect_one({'7', 60, -10, -10, 1.035, 1.0}, rate), "") << rate << " Hz, 3.5 %";
  }
}

TEST(DtmfG711, DigitsSurviveEitherLaw) {
  for (auto law : {ivrmedia::g711::Law::mulaw, ivrmedia::g711::Law::alaw}) {
    std::vector<float> x;
    for (char d : kAll) {
      add_tone(x, {d, 50, -25, -25}, 8000);
      add_silence(x, 50, 8000);
    }
    std::vector<std::uint8_t> codes(x.size());
    ASSERT_EQ(ivrmedia::g711::encode(law, std::span<const float>(x), codes), ivrmedia::Status::ok);
    ASSERT_EQ(ivrmedia::g711::decode(law, codes, std::span<float>(x)), ivrmedia::Status::ok);
    EXPECT_EQ(digits_of(run(x)), std::string(kAll));
  }
}

TEST(DtmfDetector, EventsCarryTimingAndLevels) {
  std::vector<float> x;
  add_silence(x, 100, 8000);              // tone starts at sample 800
  add_tone(x, {'9', 80, -12, -9}, 8000);  // ends at sample 1440
  add_silence(x, 100, 8000);
  const auto ev = run(x);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].type, Event::Type::key_down);
  EXPECT_EQ(ev[1].type, Event::Type::key_up);
  EXPECT_EQ(ev[1].digit, '9');
  EXPECT_NEAR(double(ev[1].start_sample), 800, 24);  // within 3 ms
  EXPECT_NEAR(double(ev[1].end_sample), 1440, 24);
  EXPECT_NEAR(ev[1].low_dbm0, -12, 0.5);
  EXPECT_NEAR(ev[1].high_dbm0, -9, 0.5);
  EXPECT_NEAR(ev[1].twist_db, 3, 0.5);
}

TEST(DtmfDetector, KeyDownLatencyIsWithinTheStatedBound) {
  dtmf::Detector d({});
  std::vector<float> x;
  add_tone(x, {'1', 200}, 8000);
  for (std::size_t i = 0; i < x.size(); ++i) {
    d.process(std::span<const float>(&x[i], 1));
    if (d.pending_events() > 0) {
      EXPECT_LE(static_cast<std::int64_t>(i + 1), d.max_key_down_latency());
      return;
    }
  }
  FAIL() << "no key_down";
}

TEST(DtmfDetector, EventsDoNotDependOnChunking) {
  std::mt19937 rng(7);
  std::vector<float> x;
  for (char d : std::string("147*2580369#ABCD")) {
    add_tone(x, {d, 45}, 8000);
    add_silence(x, 45, 8000);
  }
  std::normal_distribution<double> noise(0, 0.01);
  for (float& s : x)
    s += static_cast<float>(noise(rng));
  const auto reference = run(x);
  ASSERT_EQ(digits_of(reference), "147*2580369#ABCD");
  for (int trial = 0; trial < 5; ++trial) {
    dtmf::Detector d({});
    std::vector<Event> events;
    Event buf[4];
    std::uniform_int_distribution<std::size_t> len(0, trial == 0 ? 1 : 400);
    for (std::size_t i = 0; i < x.size();) {
      const std::size_t n = std::min(len(rng), x.size() - i);
      d.process(std::span<const float>(x).subspan(i, n));
      i += n;
      for (std::size_t k; (k = d.read_events(buf)) > 0;)
        events.insert(events.end(), buf, buf + k);
    }
    d.gap(1);
    for (std::size_t k; (k = d.read_events(buf)) > 0;)
      events.insert(events.end(), buf, buf + k);
    ASSERT_EQ(events.size(), reference.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ(events[i].digit, reference[i].digit);
      EXPECT_EQ(events[i].start_sample, reference[i].start_sample);
      EXPECT_EQ(events[i].end_sample, reference[i].end_sample);
      EXPECT_EQ(events[i].low_dbm0, reference[i].low_dbm0);
    }
  }
}

TEST(DtmfDetector, Int16InputGivesTheSameDigits) {
  std::vector<float> x;
  for (char d : kAll) {
    add_tone(x, {d, 50}, 8000);
    add_silence(x, 50, 8000);
  }
  std::vector<std::int16_t> pcm(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    pcm[i] = static_cast<std::int16_t>(x[i] * 32767);
  dtmf::Detector d({});
  d.process(pcm);
  d.gap(1);
  std::vector<Event> ev(64);
  ev.resize(d.read_events(ev));
  EXPECT_EQ(digits_of(ev), std::string(kAll));
}

TEST(DtmfDetector, GapKeepsTheClockAndEndsTheDigit) {
  std::vector<float> x;
  add_tone(x, {'3', 100}, 8000);
  dtmf::Detector d({});
  d.process(x);
  d.gap(8000);
  d.process(x);
  d.gap(1);
  std::vector<Event> ev(8);
  ev.resize(d.read_events(ev));
  ASSERT_EQ(digits_of(ev), "33");
  EXPECT_NEAR(double(ev[3].start_sample), 800 + 8000, 24);
  EXPECT_EQ(d.stats().digits, 2u);
}

TEST(DtmfDetector, ProcessingAllocatesNothing) {
  std::vector<float> x;
  add_tone(x, {'0', 100}, 8000);
  add_silence(x, 100, 8000);
  dtmf::Detector d({});
  Event buf[8];
  ivrm_test::AllocationScope scope;
  d.process(x);
  d.gap(10);
  d.read_events(buf);
  EXPECT_EQ(scope.count(), 0);
}

TEST(DtmfDetector, OverflowIsCountedNotGrown) {
  dtmf::Detector::Config cfg;
  cfg.event_capacity = 2;
  dtmf::Detector d(cfg);
  std::vector<float> x;
  for (char dg : std::string("123")) {
    add_tone(x, {dg, 50}, 8000);
    add_silence(x, 60, 8000);
  }
  d.process(x);
  EXPECT_EQ(d.pending_events(), 2u);
  EXPECT_EQ(d.stats().lost_events, 4u);
}

TEST(DtmfDetector, DetectorsOnThreadsGiveTheirOwnEvents) {
  std::vector<std::vector<float>> inputs;
  std::vector<std::string> expected;
  for (int i = 0; i < 4; ++i) {
    std::vector<float> x;
    std::string digits;
    for (int k = 0; k < 8; ++k) {
      const char dg = kAll[static_cast<std::size_t>((i * 5 + k * 3) % 16)];
      add_tone(x, {dg, 50}, 8000);
      add_silence(x, 50, 8000);
      digits += dg;
    }
    inputs.push_back(x);
    expected.push_back(digits);
  }
  std::vector<std::string> got(inputs.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    threads.emplace_back([&, i] { got[i] = digits_of(run(inputs[i])); });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(got, expected);
}

TEST(DtmfDetector, RejectsInvalidConfig) {
  dtmf::Detector::Config c;
  c.sample_rate_hz = 7999;
  EXPECT_THROW(dtmf::Detector{c}, ivrmedia::Error);
  c = {};
  c.min_level_dbm0 = 5;
  EXPECT_THROW(dtmf::Detector{c}, ivrmedia::Error);
  c = {};
  c.event_capacity = 0;
  EXPECT_THROW(dtmf::Detector{c}, ivrmedia::Error);
}

}  // namespace

namespace {

TEST(DtmfDetector, EverySimdLevelGivesTheSameEvents) {
  std::mt19937 rng(11);
  std::normal_distribution<double> noise(0, 0.02);
  std::vector<float> x;
  for (char d : std::string(kAll)) {
    add_tone(x, {d, 45, -15, -12, 1.01, 0.99}, 16000);
    add_silence(x, 45, 16000);
  }
  for (float& s : x)
    s += static_cast<float>(noise(rng));
  std::vector<std::vector<Event>> results;
  for (auto level : {ivrmedia::SimdLevel::scalar, ivrmedia::SimdLevel::avx2}) {
    if (!ivrmedia::simd_supported(level)) continue;
    dtmf::Detector::Config c;
    c.sample_rate_hz = 16000;
    c.simd = level;
    results.push_back(run(x, c));
  }
  ASSERT_FALSE(results.empty());
  EXPECT_EQ(digits_of(results[0]), std::string(kAll));
  for (const auto& r : results) {
    ASSERT_EQ(r.size(), results[0].size());
    for (std::size_t i = 0; i < r.size(); ++i) {
      EXPECT_EQ(r[i].start_sample, results[0][i].start_sample);
      EXPECT_EQ(r[i].end_sample, results[0][i].end_sample);
      EXPECT_EQ(r[i].digit, results[0][i].digit);
      // The AVX2 kernel fuses its multiply-adds: levels agree within rounding (correlate.hpp).
      EXPECT_NEAR(r[i].low_dbm0, results[0][i].low_dbm0, 1e-3);
      EXPECT_NEAR(r[i].high_dbm0, results[0][i].high_dbm0, 1e-3);
    }
  }
}

TEST(DtmfDetector, WorksInCallerMemory) {
  dtmf::Detector::Config c;
  c.sample_rate_hz = 48000;
  std::vector<std::byte> too_small(64);
  EXPECT_THROW(dtmf::Detector(c, too_small), ivrmedia::Error);
  alignas(64) static std::byte mem[32768];
  ASSERT_LE(dtmf::Detector::workspace_bytes(c), sizeof mem);
  dtmf::Detector d(c, mem);
  std::vector<float> x;
  add_tone(x, {'8', 60}, 48000);
  add_silence(x, 60, 48000);
  d.process(x);
  std::vector<Event> ev(4);
  ev.resize(d.read_events(ev));
  EXPECT_EQ(digits_of(ev), "8");
}

}  // namespace

namespace {

// The Q.24 conditions above, once more as one table over all 16 digits, printed for the record
// (the named tests are where each condition is checked in detail).
TEST(DtmfQ24, ConditionsTable) {
  struct Condition {
    const char* name;
    bool accept;
    Tone (*make)(char);
  };
  const Condition conditions[] = {
      {"nominal, -10 dBm0 per tone", true, [](char d) { return Tone{d}; }},
      {"both tones +1.5 %", true, [](char d) { return Tone{d, 60, -10, -10, 1.015, 1.015}; }},
      {"both tones -1.5 %", true, [](char d) { return Tone{d, 60, -10, -10, 0.985, 0.985}; }},
      {"low tone +3.5 %", false, [](char d) { return Tone{d, 60, -10, -10, 1.035, 1.0}; }},
      {"high tone -3.5 %", false, [](char d) { return Tone{d, 60, -10, -10, 1.0, 0.965}; }},
      {"0 dBm0 per tone", true,
       [](char d) {
         return Tone{d, 60, 0, 0};
       }},
      {"-30 dBm0 per tone", true,
       [](char d) {
         return Tone{d, 60, -30, -30};
       }},
      {"-45 dBm0 per tone", false,
       [](char d) {
         return Tone{d, 60, -45, -45};
       }},
      {"twist: low 8 dB stronger", true,
       [](char d) {
         return Tone{d, 60, -6, -14};
       }},
      {"twist: high 4 dB stronger", true,
       [](char d) {
         return Tone{d, 60, -14, -10};
       }},
      {"twist: low 16 dB stronger", false,
       [](char d) {
         return Tone{d, 60, -4, -20};
       }},
      {"twist: high 16 dB stronger", false,
       [](char d) {
         return Tone{d, 60, -20, -4};
       }},
      {"40 ms tone", true,
       [](char d) {
         return Tone{d, 40};
       }},
      {"23 ms tone", false,
       [](char d) {
         return Tone{d, 23};
       }},
  };
  std::printf("\n| ITU-T Q.24 condition | expected | digits as expected |\n|---|---|---:|\n");
  for (const Condition& c : conditions) {
    int right = 0;
    for (char d : kAll) {
      const std::string got = detect_one(c.make(d));
      right += c.accept ? got == std::string(1, d) : got.empty();
    }
    std::printf("| %s | %s | %d/16 |\n", c.name, c.accept ? "accept" : "reject", right);
    EXPECT_EQ(right, 16) << c.name;
  }
}

TEST(DtmfDetector, DetectorsAtMixedRatesOnThreadsMatchAlone) {
  const int rates[] = {8000, 16000, 48000, 11025, 8000, 44100};
  std::vector<std::vector<float>> inputs;
  std::vector<std::vector<Event>> alone;
  for (std::size_t i = 0; i < std::size(rates); ++i) {
    std::vector<float> x;
    for (int k = 0; k < 6; ++k) {
      add_tone(x, {kAll[(i * 3 + static_cast<std::size_t>(k) * 7) % 16], 45}, rates[i]);
      add_silence(x, 50, rates[i]);
    }
    dtmf::Detector::Config c;
    c.sample_rate_hz = rates[i];
    inputs.push_back(x);
    alone.push_back(run(x, c));
  }
  std::vector<std::vector<Event>> threaded(inputs.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    threads.emplace_back([&, i] {
      dtmf::Detector::Config c;
      c.sample_rate_hz = rates[i];
      threaded[i] = run(inputs[i], c);
    });
  }
  for (auto& t : threads)
    t.join();
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    ASSERT_EQ(threaded[i].size(), alone[i].size());
    EXPECT_EQ(digits_of(threaded[i]).size(), 6u);
    for (std::size_t k = 0; k < alone[i].size(); ++k) {
      EXPECT_EQ(threaded[i][k].start_sample, alone[i][k].start_sample);
      EXPECT_EQ(threaded[i][k].low_dbm0, alone[i][k].low_dbm0);
    }
  }
}

}  // namespace

namespace {

// "Each press gives one digit or none, never two, at any level": tones whose purity hovers at
// the threshold (second harmonics near the limit), levels across the whole range, and noise
// near the detection limit must never split one press into several digits.
TEST(DtmfQ24, OnePressIsOneDigitOrNone) {
  std::mt19937 rng(2);
  for (char d : kAll) {
    int r = 0, c = 0;
    dtmf::digit_position(d, r, c);
    for (double harmonic_db = -14; harmonic_db <= -2; harmonic_db += 1) {
      std::vector<float> x;
      add_silence(x, 50, 8000);
      const double a = dtmf::dbm0_to_amplitude(-10);
      const double h = a * std::pow(10.0, harmonic_db / 20);
      for (int i = 0; i < 1600; ++i) {  // 200 ms
        const double t = i / 8000.0;
        const double fl = dtmf::kRowHz[r], fh = dtmf::kColumnHz[c];
        x.push_back(static_cast<float>(
            a * (std::sin(2 * M_PI * fl * t) + std::sin(2 * M_PI * fh * t)) +
            h * (std::sin(2 * M_PI * 2 * fl * t) + std::sin(2 * M_PI * 2 * fh * t))));
      }
      add_silence(x, 80, 8000);
      const std::string got = digits_of(run(x));
      EXPECT_TRUE(got.empty() || got == std::string(1, d))
          << d << " harmonics " << harmonic_db << " dB gave '" << got << "'";
    }
    for (double level = -50; level <= 3; level += 4) {
      const std::string got = detect_one({d, 150, level, level});
      EXPECT_TRUE(got.empty() || got == std::string(1, d)) << d << " at " << level << " dBm0";
    }
    for (double snr = 0; snr <= 12; snr += 2) {
      std::vector<float> x;
      add_tone(x, {d, 150, -20, -20}, 8000);
      const double sigma =
          std::sqrt(std::pow(dtmf::dbm0_to_amplitude(-20), 2) / 2 / std::pow(10.0, snr / 10));
      std::normal_distribution<double> noise(0, sigma);
      for (float& s : x)
        s += static_cast<float>(noise(rng));
      const std::string got = digits_of(run(x));
      EXPECT_TRUE(got.empty() || got == std::string(1, d)) << d << " at SNR " << snr;
    }
  }
}

}  // namespace
