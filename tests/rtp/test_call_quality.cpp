// Call-quality statistics: RFC 3550 interarrival jitter (section 6.4.1, appendix A.8) against a
// direct long-double implementation on randomized, reordered, wrapping, days-long streams and
// against the known steady state E|D| of i.i.d. transit times; RFC 3611 VoIP metrics (section
// 4.7.1 rates, section 4.7.2 burst/gap definitions with Gmin, appendix A.2 counts) on hand-made
// loss patterns; a Gilbert loss model's burst ratio (ITU-T G.107 BurstR = 1/(p+q)); the ITU-T
// G.107 E-model (default R 93.2, Annex B MOS, Ie,eff with G.113 Bpl values, delay points) and
// the G.107.1 wideband scale; and the real-time rule (no allocation).
//
// Randomized tests print their seed; set IVRM_TEST_SEED to replay one.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "ivrmedia/call_quality.hpp"
#include "support/alloc_counter.hpp"

namespace {

using ivrmedia::Error;
using ivrmedia::Status;
namespace rtp = ivrmedia::rtp;
using rtp::Codec;
using rtp::EModel;
using rtp::InterarrivalJitter;
using rtp::PacketFate;
using rtp::RatingScale;
using rtp::VoipMetrics;

std::uint32_t test_seed(const char* name, std::uint32_t fallback) {
  std::uint32_t seed = fallback;
  if (const char* s = std::getenv("IVRM_TEST_SEED"))
    seed = static_cast<std::uint32_t>(std::stoul(s));
  std::printf("%s seed %u (replay: IVRM_TEST_SEED=%u --gtest_filter='*%s*')\n", name, seed, seed,
              name);
  return seed;
}

// ---------------------------------------------------------------------------------------------
// RFC 3550 interarrival jitter

// RFC 3550 section 6.4.1 written out directly: absolute transit times S and R in RTP units from
// an unwrapped 64-bit timestamp and the arrival time, in long double.
class DirectJitter {
 public:
  explicit DirectJitter(int clock) : clock_(clock) {}
  void update(std::int64_t unwrapped_timestamp, std::int64_t arrival_us) {
    const long double transit = static_cast<long double>(arrival_us) * clock_ / 1e6L -
                                static_cast<long double>(unwrapped_timestamp);
    if (have_) j_ += (std::fabs(transit - last_transit_) - j_) / 16.0L;
    last_transit_ = transit;
    have_ = true;
  }
  [[nodiscard]] double value() const { return static_cast<double>(j_); }

 private:
  int clock_;
  bool have_ = false;
  long double last_transit_ = 0;
  long double j_ = 0;
};

TEST(CallQuality, Rfc3550JitterOfConstantDelayIsZero) {
  InterarrivalJitter jitter(8000);
  std::uint32_t ts = 1234567;
  std::int64_t arrival = 987654321012;
  for (int i = 0; i < 1000; ++i) {
    jitter.update(ts, arrival);
    ts += 160;
    arrival += 20000;
  }
  EXPECT_EQ(jitter.jitter(), 0.0);
  EXPECT_EQ(jitter.rtp_units(), 0u);
  EXPECT_EQ(jitter.jitter_ms(), 0.0);
  EXPECT_EQ(jitter.packets(), 1000);
}

TEST(CallQuality, Rfc3550JitterStepIsSixteenthOfAbsD) {
  // One packet 20 ms late by 160 units: D = 160, J = 160/16 = 10 units = 1.25 ms at 8 kHz. The
  // next packet on time has D = -160: J = 10 + (160 - 10)/16 = 19.375, RR field 19.
  InterarrivalJitter jitter(8000);
  jitter.update(0, 0);
  EXPECT_EQ(jitter.jitter(), 0.0);  // the first packet has no D
  jitter.update(160, 40000);
  EXPECT_DOUBLE_EQ(jitter.jitter(), 10.0);
  EXPECT_EQ(jitter.rtp_units(), 10u);
  EXPECT_DOUBLE_EQ(jitter.jitter_ms(), 1.25);
  jitter.update(320, 40000);
  EXPECT_DOUBLE_EQ(jitter.jitter(), 19.375);
  EXPECT_EQ(jitter.rtp_units(), 19u);  // truncated, as appendix A.8's `jitter >> 4`
}

TEST(CallQuality, Rfc3550JitterUsesArrivalOrderForReorderedPackets) {
  // RFC 3550 section 6.4.1: D between each packet and the previous one "in order of arrival
  // (not necessarily in sequence)". Packets 1, 3, 2 sent every 160 units, constant transit
  // except that 2 arrives after 3 (3 at 40 ms, 2 at 41 ms): D(1,3) = 0; D(3,2) =
  // (41 - 40) ms x 8 - (160 - 320) = 8 + 160 = 168.
  InterarrivalJitter jitter(8000);
  jitter.update(160, 20000);
  jitter.update(480, 60000);  // packet 3: transit unchanged
  EXPECT_EQ(jitter.jitter(), 0.0);
  jitter.update(320, 61000);  // packet 2
  EXPECT_DOUBLE_EQ(jitter.jitter(), 168.0 / 16.0);
}

TEST(CallQuality, Rfc3550JitterIsRightAcrossTimestampWrapAndSilence) {
  // 48 kHz (Opus, RFC 7587) starting just before the 32-bit wrap, with a 5 s silence (DTX:
  // timestamps and arrivals jump together) right at the wrap: D stays 0.
  InterarrivalJitter jitter(48000);
  std::uint32_t ts = 0xFFFFFFFFu - 960 * 3;
  std::int64_t arrival = -5'000'000;  // any epoch, negative too
  for (int i = 0; i < 20; ++i) {
    jitter.update(ts, arrival);
    ts += 960;
    arrival += 20000;
    if (i == 5) {
      ts += 48000 * 5;
      arrival += 5'000'000;
    }
  }
  EXPECT_EQ(jitter.jitter(), 0.0);
}

TEST(CallQuality, Rfc3550JitterMatchesDirectImplementationOnRandomStreams) {
  const std::uint32_t seed = test_seed("Rfc3550JitterMatchesDirect", 3550);
  std::mt19937_64 rng(seed);
  for (int clock : {8000, 16000, 48000, 90000}) {
    InterarrivalJitter jitter(clock);
    DirectJitter direct(clock);
    const std::int64_t step = clock / 50;  // 20 ms
    // Start a few seconds before the wrap so every run crosses it.
    std::int64_t unwrapped = 0xFFFFFFFFll - 3 * clock + static_cast<std::int64_t>(rng() % 1000);
    std::int64_t send_us = 1'700'000'000'000'000 + static_cast<std::int64_t>(rng() % 1000000);
    std::exponential_distribution<double> delay(1.0 / 30000.0);  // mean 30 ms queueing
    struct Arrival {
      std::int64_t ts;
      std::int64_t at_us;
    };
    std::vector<Arrival> burst;
    for (int i = 0; i < 20000; ++i) {
      if (rng() % 500 == 0) {  // a silence of up to 10 s
        const std::int64_t gap = static_cast<std::int64_t>(rng() % 500) * step;
        unwrapped += gap;
        send_us += gap * 1000000 / clock;
      }
      burst.push_back({unwrapped, send_us + 40000 + static_cast<std::int64_t>(delay(rng))});
      unwrapped += step;
      send_us += 20000;
      if (burst.size() == 4) {
        // Deliver in arrival order: reordering happens when a later packet was faster.
        std::sort(burst.begin(), burst.end(),
                  [](const Arrival& a, const Arrival& b) { return a.at_us < b.at_us; });
        for (const Arrival& a : burst) {
          jitter.update(static_cast<std::uint32_t>(a.ts), a.at_us);
          direct.update(a.ts, a.at_us);
        }
        burst.clear();
      }
    }
    EXPECT_GT(unwrapped, 0x100000000ll);  // crossed the wrap
    EXPECT_NEAR(jitter.jitter(), direct.value(), 1e-6 * direct.value()) << clock;
    EXPECT_NEAR(jitter.jitter_ms(), direct.value() * 1000.0 / clock, 1e-6 * 30) << clock;
  }
}

TEST(CallQuality, Rfc3550JitterKeepsPrecisionOverThreeDays) {
  // Three days of 20 ms packets at 48 kHz (three timestamp wraps), arrival times near 2^62 us.
  // Transit alternates 0 / +0.5 ms, so |D| is exactly 24 units every packet and J converges to
  // 24 geometrically; any precision loss over the run would show here.
  InterarrivalJitter jitter(48000);
  std::uint32_t ts = 0x89ABCDEFu;
  std::int64_t arrival = (std::int64_t{1} << 62) - 3ll * 86'400'000'000;
  const std::int64_t packets = 3ll * 86400 * 50;
  int wraps = 0;
  for (std::int64_t i = 0; i < packets; ++i) {
    jitter.update(ts, arrival + (i % 2) * 500);
    const std::uint32_t next = ts + 960;
    if (next < ts) ++wraps;
    ts = next;
    arrival += 20000;
  }
  EXPECT_EQ(wraps, 3);
  EXPECT_NEAR(jitter.jitter(), 24.0, 1e-9);
  EXPECT_EQ(jitter.rtp_units(), 23u + (jitter.jitter() >= 24.0 ? 1u : 0u));
  EXPECT_NEAR(jitter.jitter_ms(), 0.5, 1e-9);
}

TEST(CallQuality, Rfc3550JitterSteadyStateIsMeanAbsD) {
  // J is an exponential average of |D|: for i.i.d. transit times its mean is E|D|.
  // Uniform transit on [0, a]: E|D| = a/3. Gaussian transit with sd s: E|D| = 2s/sqrt(pi).
  const std::uint32_t seed = test_seed("Rfc3550JitterSteadyState", 16);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 240.0);
  std::normal_distribution<double> normal(400.0, 50.0);
  const std::vector<std::pair<double, int>> cases = {{240.0 / 3.0, 0},
                                                     {2.0 * 50.0 / std::sqrt(std::numbers::pi), 1}};
  for (const auto& [expected, kind] : cases) {
    InterarrivalJitter jitter(8000);
    double sum = 0;
    const int n = 400000;
    for (int i = 0; i < n; ++i) {
      const double transit = kind == 0 ? uniform(rng) : normal(rng);
      // Arrival in microseconds (1 unit = 125 us at 8 kHz).
      const auto at = static_cast<std::int64_t>(std::llround((i * 160 + transit) * 125.0));
      jitter.update(static_cast<std::uint32_t>(i * 160), at);
      if (i >= 1000) sum += jitter.jitter();
    }
    EXPECT_NEAR(sum / (n - 1000), expected, 0.01 * expected) << kind;
  }
}

TEST(CallQuality, Rfc3550JitterResetStartsANewStream) {
  InterarrivalJitter jitter(8000);
  jitter.update(0, 0);
  jitter.update(160, 50000);
  EXPECT_GT(jitter.jitter(), 0.0);
  jitter.reset();
  EXPECT_EQ(jitter.jitter(), 0.0);
  EXPECT_EQ(jitter.packets(), 0);
  // A new SSRC with unrelated timestamps: its first packet makes no D against the old stream.
  jitter.update(0x12345678, 1'000'000'000);
  jitter.update(0x12345678 + 160, 1'000'020'000);
  EXPECT_EQ(jitter.jitter(), 0.0);
}

TEST(CallQuality, Rfc3550JitterRejectsImpossibleClock) {
  EXPECT_THROW(InterarrivalJitter(0), Error);
  EXPECT_THROW(InterarrivalJitter(-8000), Error);
}

// ---------------------------------------------------------------------------------------------
// RFC 3611 VoIP metrics

// Feeds a pattern: 'R' received, 'L' lost, 'D' discarded; digits repeat the next letter, e.g.
// "20R L 15R".
void feed(VoipMetrics& m, const std::string& pattern) {
  int repeat = 0;
  for (char c : pattern) {
    if (c >= '0' && c <= '9') {
      repeat = repeat * 10 + (c - '0');
      continue;
    }
    if (c == ' ') continue;
    const int n = repeat > 0 ? repeat : 1;
    repeat = 0;
    for (int i = 0; i < n; ++i) {
      if (c == 'R') m.received();
      if (c == 'L') m.lost();
      if (c == 'D') m.discarded();
    }
  }
}

VoipMetrics::Report metrics_of(const std::string& pattern, int gmin = 16) {
  VoipMetrics m({.clock_rate_hz = 8000, .gmin = gmin, .default_packet_units = 160});
  feed(m, pattern);
  return m.report();
}

TEST(CallQuality, Rfc3611NoLossIsOneGap) {
  const auto r = metrics_of("100R");
  EXPECT_EQ(r.expected, 100);
  EXPECT_EQ(r.loss_rate_8bit, 0);
  EXPECT_EQ(r.discard_rate_8bit, 0);
  EXPECT_EQ(r.bursts, 0);
  EXPECT_EQ(r.gaps, 1);
  EXPECT_EQ(r.burst_duration_ms, 0.0);  // section 4.7.2: zero when there were no bursts
  EXPECT_DOUBLE_EQ(r.gap_duration_ms, 2000.0);
  EXPECT_EQ(r.gap_duration_ms_16bit, 2000);
  EXPECT_EQ(r.gap_density_8bit, 0);
  EXPECT_EQ(r.burst_ratio, 1.0);
}

TEST(CallQuality, Rfc3611NothingReceivedReportsZeros) {
  const auto r = metrics_of("");
  EXPECT_EQ(r.expected, 0);
  EXPECT_EQ(r.gaps, 0);
  EXPECT_EQ(r.bursts, 0);
  EXPECT_EQ(r.loss_rate_8bit, 0);
  EXPECT_EQ(r.burst_density_8bit, 0);
  EXPECT_EQ(r.gap_density_8bit, 0);
  EXPECT_EQ(r.packet_loss_percent(), 0.0);
}

TEST(CallQuality, Rfc3611IsolatedLossesStayInGaps) {
  // Each loss has at least Gmin = 16 received packets on both sides: both lie in the one gap.
  const auto r = metrics_of("20R L 20R D 20R");
  EXPECT_EQ(r.bursts, 0);
  EXPECT_EQ(r.gaps, 1);
  EXPECT_EQ(r.gap_packets, 62);
  EXPECT_EQ(r.gap_losses, 2);
  EXPECT_DOUBLE_EQ(r.gap_density, 2.0 / 62.0);
  EXPECT_EQ(r.gap_density_8bit, 8);  // floor(256 x 2 / 62) = floor(8.26)
  EXPECT_DOUBLE_EQ(r.gap_duration_ms, 62 * 20.0);
  EXPECT_EQ(r.burst_density_8bit, 0);
  EXPECT_EQ(r.lost, 1);
  EXPECT_EQ(r.discarded, 1);
}

TEST(CallQuality, Rfc3611DenseLossClusterMakesABurst) {
  // The burst runs from its first to its last loss: L R L R R L = 6 packets, 3 lost (a discard
  // counts as a loss for bursts), density 1/2.
  const auto r = metrics_of("30R L R D 2R L 30R");
  EXPECT_EQ(r.bursts, 1);
  EXPECT_EQ(r.burst_packets, 6);
  EXPECT_EQ(r.burst_losses, 3);
  EXPECT_DOUBLE_EQ(r.burst_density, 0.5);
  EXPECT_EQ(r.burst_density_8bit, 128);
  EXPECT_DOUBLE_EQ(r.burst_duration_ms, 120.0);
  EXPECT_EQ(r.burst_duration_ms_16bit, 120);
  // A gap before and one after, 30 packets each.
  EXPECT_EQ(r.gaps, 2);
  EXPECT_EQ(r.gap_packets, 60);
  EXPECT_EQ(r.gap_losses, 0);
  EXPECT_DOUBLE_EQ(r.gap_duration_ms, 600.0);
  EXPECT_EQ(r.gap_density_8bit, 0);
}

TEST(CallQuality, Rfc3611GminBoundaryIsSixteenReceived) {
  // 15 received between two losses: fewer than Gmin, one burst of 17 packets.
  const auto below = metrics_of("20R L 15R L 20R");
  EXPECT_EQ(below.bursts, 1);
  EXPECT_EQ(below.burst_packets, 17);
  EXPECT_EQ(below.burst_losses, 2);
  EXPECT_EQ(below.burst_density_8bit, 30);  // floor(256 x 2 / 17) = floor(30.1)
  EXPECT_EQ(below.gap_losses, 0);
  // Exactly 16 received: the losses are separated by Gmin, each is isolated, no burst.
  const auto at = metrics_of("20R L 16R L 20R");
  EXPECT_EQ(at.bursts, 0);
  EXPECT_EQ(at.gap_losses, 2);
  EXPECT_EQ(at.gaps, 1);
  // A loss with 16 received before and only 15 after joins the next loss, not the previous.
  const auto mixed = metrics_of("20R L 16R L 15R L 20R");
  EXPECT_EQ(mixed.bursts, 1);
  EXPECT_EQ(mixed.burst_packets, 17);
  EXPECT_EQ(mixed.gap_losses, 1);
  EXPECT_EQ(mixed.gaps, 2);
}

TEST(CallQuality, Rfc3611GminIsConfigurable) {
  // Gmin = 1: any received packet ends a burst; L R L is two isolated losses, L L a burst.
  const auto isolated = metrics_of("5R L R L 5R", 1);
  EXPECT_EQ(isolated.bursts, 0);
  EXPECT_EQ(isolated.gap_losses, 2);
  const auto burst = metrics_of("5R L L 5R", 1);
  EXPECT_EQ(burst.bursts, 1);
  EXPECT_EQ(burst.burst_density_8bit, 255);  // 256 x 1 is limited to 255
  EXPECT_THROW(VoipMetrics({.gmin = 0}), Error);
  EXPECT_THROW(VoipMetrics({.gmin = 256}), Error);
  EXPECT_THROW(VoipMetrics({.clock_rate_hz = 0}), Error);
}

TEST(CallQuality, Rfc3611SessionEdgesCountAsGminReceived) {
  // Section 4.7.2: the session is taken as preceded and the report as followed by Gmin
  // received packets. Two losses at the very start form a burst (no gap before it); a single
  // loss at the start is isolated; a burst still open at the report is closed at its last loss.
  const auto start = metrics_of("L L 30R");
  EXPECT_EQ(start.bursts, 1);
  EXPECT_EQ(start.burst_packets, 2);
  EXPECT_EQ(start.gaps, 1);
  EXPECT_DOUBLE_EQ(start.gap_duration_ms, 600.0);
  const auto single = metrics_of("L 30R");
  EXPECT_EQ(single.bursts, 0);
  EXPECT_EQ(single.gap_losses, 1);
  const auto open = metrics_of("30R L R L 3R");
  EXPECT_EQ(open.bursts, 1);
  EXPECT_EQ(open.burst_packets, 3);
  EXPECT_DOUBLE_EQ(open.burst_duration_ms, 60.0);
  EXPECT_EQ(open.gaps, 2);  // 30 before, 3 after
  EXPECT_DOUBLE_EQ(open.gap_duration_ms, (30 + 3) * 20.0 / 2);
  // Reporting does not change the state: more packets continue the same burst.
  VoipMetrics m({});
  feed(m, "30R L R L");
  EXPECT_EQ(m.report().bursts, 1);
  feed(m, "R L 30R");
  const auto later = m.report();
  EXPECT_EQ(later.bursts, 1);
  EXPECT_EQ(later.burst_packets, 5);
}

TEST(CallQuality, Rfc3611MeanDurationsOverSeveralBursts) {
  // Bursts of 2 and 4 packets (mean 60 ms at 20 ms), gaps of 20, 20 and 10 packets.
  const auto r = metrics_of("20R L L 20R L R R L 10R");
  EXPECT_EQ(r.bursts, 2);
  EXPECT_DOUBLE_EQ(r.burst_duration_ms, (2 + 4) * 20.0 / 2);
  EXPECT_EQ(r.gaps, 3);
  EXPECT_DOUBLE_EQ(r.gap_duration_ms, (20 + 20 + 10) * 20.0 / 3);
  EXPECT_EQ(r.burst_losses, 4);
  EXPECT_EQ(r.burst_packets, 6);
  EXPECT_EQ(r.burst_density_8bit, 170);  // floor(256 x 4 / 6)
}

TEST(CallQuality, Rfc3611DurationsFollowPacketDurations) {
  // 20 ms packets, then the sender moves to 30 ms (8 kHz units): durations use each packet's.
  VoipMetrics m({.clock_rate_hz = 8000});
  for (int i = 0; i < 20; ++i)
    m.received(160);
  m.lost(160);
  m.lost(240);
  for (int i = 0; i < 20; ++i)
    m.received(240);
  const auto r = m.report();
  EXPECT_EQ(r.bursts, 1);
  EXPECT_DOUBLE_EQ(r.burst_duration_ms, 50.0);
  EXPECT_EQ(r.gaps, 2);
  EXPECT_DOUBLE_EQ(r.gap_duration_ms, (20 * 20.0 + 20 * 30.0) / 2);
}

TEST(CallQuality, Rfc3611LossAndDiscardRates) {
  // Section 4.7.1: lost / expected and discarded / expected, x 256, integer part, at most 255.
  VoipMetrics m({});
  for (int i = 0; i < 1000; ++i) {
    if (i % 100 == 50) {
      m.lost();
    } else if (i % 200 == 10) {
      m.discarded();
    } else {
      m.received();
    }
  }
  const auto r = m.report();
  EXPECT_EQ(r.expected, 1000);
  EXPECT_EQ(r.lost, 10);
  EXPECT_EQ(r.discarded, 5);
  EXPECT_DOUBLE_EQ(r.loss_fraction, 0.01);
  EXPECT_DOUBLE_EQ(r.discard_fraction, 0.005);
  EXPECT_EQ(r.loss_rate_8bit, 2);     // floor(2.56)
  EXPECT_EQ(r.discard_rate_8bit, 1);  // floor(1.28)
  EXPECT_DOUBLE_EQ(r.packet_loss_percent(), 1.5);
  // Exactly 1/256 is 1, not 0 (integer arithmetic); everything lost is 255.
  EXPECT_EQ(metrics_of("L 255R").loss_rate_8bit, 1);
  EXPECT_EQ(metrics_of("10L").loss_rate_8bit, 255);
}

// RFC 3611 section 4.7.2 applied to a whole recorded pattern by its wording: a packet is in a
// burst when it lies between two losses (a run starting and ending with a loss) that no Gmin
// consecutive received packets separate; bursts and gaps are the maximal runs of such and of
// other packets. (The session edges count as Gmin received, so they separate nothing.)
struct Packet {
  bool loss;
  std::uint32_t units;
};
VoipMetrics::Report by_definition(const std::vector<Packet>& packets, int gmin, int clock) {
  const std::size_t n = packets.size();
  std::vector<bool> in_burst(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    if (!packets[i].loss) continue;
    int received_run = 0;
    for (std::size_t j = i + 1; j < n && received_run < gmin; ++j) {
      if (packets[j].loss) {
        for (std::size_t k = i; k <= j; ++k)
          in_burst[k] = true;
        received_run = 0;
      } else {
        ++received_run;
      }
    }
  }
  VoipMetrics::Report r;
  std::int64_t burst_units = 0, gap_units = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const bool starts_period = k == 0 || in_burst[k] != in_burst[k - 1];
    if (in_burst[k]) {
      r.bursts += starts_period ? 1 : 0;
      ++r.burst_packets;
      r.burst_losses += packets[k].loss ? 1 : 0;
      burst_units += packets[k].units;
    } else {
      r.gaps += starts_period ? 1 : 0;
      ++r.gap_packets;
      r.gap_losses += packets[k].loss ? 1 : 0;
      gap_units += packets[k].units;
    }
  }
  const double ms_per_unit = 1000.0 / clock;
  const auto d = [](std::int64_t v) { return static_cast<double>(v); };
  if (r.bursts > 0) r.burst_duration_ms = d(burst_units) * ms_per_unit / d(r.bursts);
  if (r.gaps > 0) r.gap_duration_ms = d(gap_units) * ms_per_unit / d(r.gaps);
  return r;
}

TEST(CallQuality, Rfc3611BurstGapMatchesDefinitionOnRandomPatterns) {
  const std::uint32_t seed = test_seed("Rfc3611BurstGapMatchesDefinition", 4772);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::int64_t bursts_seen = 0, gap_losses_seen = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const int gmin = std::array{1, 2, 3, 5, 16}[rng() % 5];
    const double p = 0.005 + 0.3 * u(rng);  // received -> lost
    const double q = 0.1 + 0.9 * u(rng);    // lost -> received
    const auto n = static_cast<std::size_t>(rng() % 400);
    std::vector<Packet> packets;
    VoipMetrics m({.clock_rate_hz = 8000, .gmin = gmin});
    bool loss = false;
    for (std::size_t i = 0; i < n; ++i) {
      loss = loss ? u(rng) >= q : u(rng) < p;
      const auto units = static_cast<std::uint32_t>(80 * (1 + rng() % 6));
      packets.push_back({loss, units});
      if (loss) {
        (rng() % 4 == 0) ? m.discarded(units) : m.lost(units);
      } else {
        m.received(units);
      }
      // Reports mid-stream too: each must read as if Gmin received packets followed.
      if (rng() % 50 == 0 || i + 1 == n) {
        const auto got = m.report();
        const auto want = by_definition(packets, gmin, 8000);
        const std::string where = "trial " + std::to_string(trial) + " packet " +
                                  std::to_string(i) + " gmin " + std::to_string(gmin);
        ASSERT_EQ(got.bursts, want.bursts) << where;
        ASSERT_EQ(got.gaps, want.gaps) << where;
        ASSERT_EQ(got.burst_packets, want.burst_packets) << where;
        ASSERT_EQ(got.burst_losses, want.burst_losses) << where;
        ASSERT_EQ(got.gap_packets, want.gap_packets) << where;
        ASSERT_EQ(got.gap_losses, want.gap_losses) << where;
        ASSERT_NEAR(got.burst_duration_ms, want.burst_duration_ms, 1e-9) << where;
        ASSERT_NEAR(got.gap_duration_ms, want.gap_duration_ms, 1e-9) << where;
        if (i + 1 == n) {
          bursts_seen += got.bursts;
          gap_losses_seen += got.gap_losses;
        }
      }
    }
  }
  EXPECT_GT(bursts_seen, 1000);  // the patterns exercise both kinds of loss
  EXPECT_GT(gap_losses_seen, 1000);
  std::printf("bursts %lld, gap losses %lld\n", static_cast<long long>(bursts_seen),
              static_cast<long long>(gap_losses_seen));
}

TEST(CallQuality, Rfc3611AppendixA2CountsOnAHandPattern) {
  // Appendix A.2 step by step for "20R L 20R L R L 20R" (Gmin 16):
  //   20R        pkt = 20
  //   L          pkt >= 16, lost == 0 -> c13 = 1, lost = 1, c11 = 20
  //   20R L      pkt >= 16, lost == 1 -> c14 = 1, c11 = 40
  //   R L        pkt = 1 < 16 -> lost = 2, c23 = 1, c22 += 0
  //   20R        pending (pkt = 20)
  const auto r = metrics_of("20R L 20R L R L 20R");
  EXPECT_EQ(r.markov.c11, 40);
  EXPECT_EQ(r.markov.c13, 1);
  EXPECT_EQ(r.markov.c14, 1);
  EXPECT_EQ(r.markov.c22, 0);
  EXPECT_EQ(r.markov.c23, 1);
  EXPECT_EQ(r.markov.c33, 0);
  EXPECT_EQ(r.markov.c31(), 1);
  EXPECT_EQ(r.markov.c32(), 1);
  EXPECT_EQ(r.markov.pending_received, 20);
  // The exact accounting of the same pattern: one isolated loss, one burst "L R L".
  EXPECT_EQ(r.gap_losses, 1);
  EXPECT_EQ(r.bursts, 1);
  EXPECT_EQ(r.burst_packets, 3);
  // Consecutive losses count c33.
  EXPECT_EQ(metrics_of("20R L L L 20R").markov.c33, 2);
}

TEST(CallQuality, G107BurstRatioOfRandomLossIsOne) {
  // Bernoulli loss: p + q = 1, BurstR = 1 (G.107 section 7.5).
  const std::uint32_t seed = test_seed("G107BurstRatio", 107);
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution loss(0.05);
  VoipMetrics m({});
  for (int i = 0; i < 1'000'000; ++i)
    loss(rng) ? m.lost() : m.received();
  const auto r = m.report();
  EXPECT_NEAR(r.burst_ratio, 1.0, 0.02);
  EXPECT_NEAR(r.packet_loss_percent(), 5.0, 0.1);
  EXPECT_NEAR(r.gilbert_p + r.gilbert_q, 1.0, 0.02);
}

TEST(CallQuality, G107BurstRatioOfGilbertLossIsOneOverPPlusQ) {
  // 2-state Markov loss with p = P(loss | received) = 0.01, q = P(received | loss) = 0.25:
  // BurstR = 1 / 0.26 = 3.85, loss p / (p + q) = 3.85 %, mean loss run 1/q = 4 packets. Such
  // runs are bursts by RFC 3611's definition, with density near 1 - 1 / (1 + 16 p) ... checked
  // only loosely: bursts exist and are denser than gaps.
  const std::uint32_t seed = test_seed("G107BurstRatioGilbert", 3611);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  VoipMetrics m({});
  bool in_loss = false;
  for (int i = 0; i < 2'000'000; ++i) {
    in_loss = in_loss ? u(rng) >= 0.25 : u(rng) < 0.01;
    in_loss ? m.lost() : m.received();
  }
  const auto r = m.report();
  EXPECT_NEAR(r.gilbert_p, 0.01, 0.0005);
  EXPECT_NEAR(r.gilbert_q, 0.25, 0.01);
  EXPECT_NEAR(r.burst_ratio, 1.0 / 0.26, 0.1);
  EXPECT_NEAR(r.packet_loss_percent(), 100.0 * 0.01 / 0.26, 0.15);
  EXPECT_GT(r.bursts, 0);
  EXPECT_GT(r.burst_density, 10 * r.gap_density);
}

TEST(CallQuality, Rfc3611UpdateRejectsUnknownFateAndResetClears) {
  VoipMetrics m({});
  EXPECT_EQ(m.update(PacketFate::received, 160), Status::ok);
  EXPECT_EQ(m.update(PacketFate::lost, 160), Status::ok);
  EXPECT_EQ(m.update(PacketFate::discarded, 160), Status::ok);
  EXPECT_EQ(m.update(static_cast<PacketFate>(7), 160), Status::invalid_argument);
  EXPECT_EQ(m.report().expected, 3);
  m.reset();
  const auto r = m.report();
  EXPECT_EQ(r.expected, 0);
  EXPECT_EQ(r.gaps, 0);
  EXPECT_EQ(r.markov.c33, 0);
  EXPECT_EQ(m.config().gmin, 16);
}

// ---------------------------------------------------------------------------------------------
// ITU-T G.107 E-model

EModel::Conditions g711(double delay_ms = 0.0, double loss_percent = 0.0, double burst = 1.0,
                        Codec codec = Codec::g711) {
  return {.codec = rtp::codec_impairment(codec),
          .mouth_to_ear_ms = delay_ms,
          .packet_loss_percent = loss_percent,
          .burst_ratio = burst};
}

TEST(CallQuality, G107DefaultValuesGiveR93AndMos441) {
  // G.107 section 7.7: the default values give R = 93.2 (Ro 94.77, Is 1.41, Id 0.15: listener
  // echo at WEPL 110 dB); Annex B: MOS 4.41.
  const EModel model;
  const auto q = model.rate(g711());
  EXPECT_NEAR(q.r, 93.2, 0.05);
  EXPECT_NEAR(q.ro_minus_is, 94.77 - 1.41, 0.02);
  EXPECT_NEAR(q.id, 0.15, 0.01);
  EXPECT_NEAR(q.mos, 4.41, 0.005);
  EXPECT_EQ(q.scale, RatingScale::narrowband);
  EXPECT_EQ(q.ie_eff, 0.0);
  EXPECT_EQ(q.r_narrowband_equivalent, q.r);
}

TEST(CallQuality, G107AnnexBMosCurve) {
  EXPECT_EQ(rtp::mos_from_r(-5.0), 1.0);
  EXPECT_EQ(rtp::mos_from_r(0.0), 1.0);
  EXPECT_EQ(rtp::mos_from_r(100.0), 4.5);
  EXPECT_EQ(rtp::mos_from_r(120.0), 4.5);
  EXPECT_EQ(rtp::mos_from_r(std::nan("")), 1.0);
  // 1 + 0.035 R + R (R - 60)(100 - R) 7e-6
  EXPECT_NEAR(rtp::mos_from_r(50.0), 2.575, 1e-12);
  EXPECT_NEAR(rtp::mos_from_r(70.0), 1 + 2.45 + 70 * 10 * 30 * 7e-6, 1e-12);
  EXPECT_NEAR(rtp::mos_from_r(80.0), 4.024, 1e-12);
  EXPECT_NEAR(rtp::mos_from_r(93.2), 4.4093, 1e-4);
  // Monotone and within 1..4.5 everywhere (the raw cubic dips below 1 for R < 6.5).
  double previous = 1.0;
  for (double r = -10.0; r <= 110.0; r += 0.01) {
    const double mos = rtp::mos_from_r(r);
    EXPECT_GE(mos, previous - 1e-12) << r;
    EXPECT_GE(mos, 1.0);
    EXPECT_LE(mos, 4.5);
    previous = mos;
  }
  // G.107.1 Annex A: wideband R through R / 1.29.
  EXPECT_DOUBLE_EQ(rtp::mos_from_r_wideband(129.0), 4.5);
  EXPECT_DOUBLE_EQ(rtp::mos_from_r_wideband(116.0), rtp::mos_from_r(116.0 / 1.29));
}

TEST(CallQuality, G107RandomLossWithAndWithoutPlc) {
  // Ie,eff = Ie + (95 - Ie) Ppl / (Ppl / BurstR + Bpl), G.113 Appendix I Bpl values.
  const EModel model;
  const double r0 = model.rate(g711()).r;
  const auto no_plc_1 = model.rate(g711(0, 1.0));
  EXPECT_NEAR(no_plc_1.ie_eff, 95.0 / 5.3, 1e-9);  // 17.9
  EXPECT_NEAR(no_plc_1.r, r0 - 95.0 / 5.3, 1e-9);
  const auto plc_1 = model.rate(g711(0, 1.0, 1.0, Codec::g711_plc));
  EXPECT_NEAR(plc_1.ie_eff, 95.0 / 26.1, 1e-9);  // 3.6
  const auto plc_5 = model.rate(g711(0, 5.0, 1.0, Codec::g711_plc));
  EXPECT_NEAR(plc_5.ie_eff, 95.0 * 5 / 30.1, 1e-9);  // 15.8: R 77.4, MOS 3.92
  EXPECT_NEAR(plc_5.r, 77.4, 0.1);
  EXPECT_NEAR(plc_5.mos, 3.92, 0.01);
  const auto no_plc_5 = model.rate(g711(0, 5.0));
  EXPECT_NEAR(no_plc_5.r, r0 - 95.0 * 5 / 9.3, 1e-9);  // 42.1
  EXPECT_LT(no_plc_5.mos, 2.3);
  // Everything lost: Ie,eff -> 95 whatever Bpl and BurstR.
  EXPECT_NEAR(model.rate(g711(0, 100.0, 1.0, Codec::g711_plc)).ie_eff, 95.0 * 100 / 125.1, 1e-9);
}

TEST(CallQuality, G107BurstyLossHurtsMore) {
  // Same Ppl, larger BurstR: larger Ie,eff (G.107 section 7.5).
  const EModel model;
  double previous = -1;
  for (double burst : {0.5, 1.0, 2.0, 4.0, 8.0}) {
    const double ie = model.rate(g711(0, 5.0, burst, Codec::g711_plc)).ie_eff;
    EXPECT_GT(ie, previous) << burst;
    previous = ie;
  }
  EXPECT_NEAR(model.rate(g711(0, 5.0, 2.0, Codec::g711_plc)).ie_eff, 95.0 * 5 / (2.5 + 25.1), 1e-9);
}

TEST(CallQuality, G107DelayImpairment) {
  // Full G.107 Id with T = Ta, Tr = 2T, default echo values (TELR 65 dB, WEPL 110 dB): the
  // rating stays within 4 of its maximum up to 150 ms and falls through R = 70 between 300 and
  // 400 ms, the shape of G.114 Figure 1 (which G.114 computes with the same model).
  const EModel model;
  const double r0 = model.rate(g711()).r;
  const auto at150 = model.rate(g711(150.0));
  EXPECT_GT(at150.r, 88.5);
  EXPECT_LT(at150.r, r0 - 2.0);
  EXPECT_GT(at150.mos, 4.3);
  const double at300 = model.rate(g711(300.0)).r;
  const double at400 = model.rate(g711(400.0)).r;
  EXPECT_GT(at300, 70.0);
  EXPECT_LT(at400, 75.0);
  // Pure delay Idd starts at mT = 100 ms: with echo made inaudible (TELR, WEPL huge) the
  // rating is flat from 20 to 100 ms. (Between 0 and a few ms it rises by up to 1: the talker
  // echo term of G.107 tends to -1, not 0, as TELR grows, and fades in with 1 - e^-T.)
  EModel::Config no_echo;
  no_echo.telr_db = 3000.0;
  no_echo.wepl_db = 3000.0;
  const EModel quiet(no_echo);
  EXPECT_NEAR(quiet.rate(g711(99.0)).r, quiet.rate(g711(20.0)).r, 0.02);
  // Idd at 200 ms: X = 1, 25 ((2)^(1/6) - 3 (1 + 3^-6)^(1/6) + 2) = 3.04.
  const double idd_200 =
      25.0 * (std::pow(2.0, 1.0 / 6) - 3.0 * std::pow(1.0 + std::pow(1.0 / 3, 6.0), 1.0 / 6) + 2);
  EXPECT_NEAR(quiet.rate(g711(99.0)).r - quiet.rate(g711(200.0)).r, idd_200, 0.02);
}

TEST(CallQuality, G107RatingFallsMonotonicallyWithDelayAndLoss) {
  const EModel model;
  double previous = 1e9;
  for (double d = 0; d <= 1000; d += 5) {
    const double r = model.rate(g711(d)).r;
    EXPECT_LE(r, previous + 1e-9) << d;
    previous = r;
  }
  previous = 1e9;
  for (double ppl = 0; ppl <= 100; ppl += 0.5) {
    const double r = model.rate(g711(100.0, ppl, 1.5, Codec::g711_plc)).r;
    EXPECT_LT(r, previous) << ppl;
    previous = r;
  }
}

TEST(CallQuality, G107ConditionsAreClampedAndConfigChecked) {
  const EModel model;
  EXPECT_EQ(model.rate(g711(-5.0)).r, model.rate(g711(0.0)).r);
  EXPECT_EQ(model.rate(g711(std::nan(""))).r, model.rate(g711(0.0)).r);
  EXPECT_EQ(model.rate(g711(0, 150.0)).r, model.rate(g711(0, 100.0)).r);
  EXPECT_EQ(model.rate(g711(0, std::nan(""))).r, model.rate(g711(0, 0.0)).r);
  EXPECT_EQ(model.rate(g711(0, 5.0, 0.0)).r, model.rate(g711(0, 5.0, 1.0)).r);
  EXPECT_TRUE(std::isfinite(model.rate(g711(1e300, 100.0)).r));
  EModel::Config bad;
  bad.qdu = 0.5;
  EXPECT_THROW(EModel{bad}, Error);
  bad = {};
  bad.slr_db = std::nan("");
  EXPECT_THROW(EModel{bad}, Error);
  bad = {};
  bad.mt_ms = 0;
  EXPECT_THROW(EModel{bad}, Error);
}

TEST(CallQuality, G107AdvantageFactorAdds) {
  EModel::Config c;
  c.advantage = 10.0;  // G.107 Table 1: mobility in a building
  EXPECT_NEAR(EModel(c).rate(g711(0, 5.0)).r, EModel().rate(g711(0, 5.0)).r + 10.0, 1e-9);
}

TEST(CallQuality, G113CodecImpairmentTable) {
  const auto a = rtp::codec_impairment(Codec::g711);
  EXPECT_EQ(a.scale, RatingScale::narrowband);
  EXPECT_EQ(a.ie, 0.0);
  EXPECT_EQ(a.bpl, 4.3);
  const auto b = rtp::codec_impairment(Codec::g711_plc);
  EXPECT_EQ(b.bpl, 25.1);
  const auto c = rtp::codec_impairment(Codec::g722);
  EXPECT_EQ(c.scale, RatingScale::wideband);
  EXPECT_EQ(c.ie, 13.0);
  const auto d = rtp::codec_impairment(Codec::opus);
  EXPECT_EQ(d.scale, RatingScale::wideband);
  const auto unknown = rtp::codec_impairment(static_cast<Codec>(99));
  EXPECT_EQ(unknown.bpl, 4.3);
}

TEST(CallQuality, G1071WidebandScale) {
  // G.107.1: R_wb = 129 - Ie,wb at default values; MOS via R_wb / 1.29.
  const EModel model;
  const auto g722 = model.rate(g711(0, 0, 1, Codec::g722));
  EXPECT_EQ(g722.scale, RatingScale::wideband);
  EXPECT_NEAR(g722.r, 129.0 - 13.0, 1e-9);
  EXPECT_NEAR(g722.r_narrowband_equivalent, g722.r / 1.29, 1e-12);
  EXPECT_NEAR(g722.mos, 4.34, 0.01);
  // Ie,eff,wb saturates towards 129.
  const auto lossy = model.rate(g711(0, 2.0, 1, Codec::g722));
  EXPECT_NEAR(lossy.ie_eff, 13.0 + (129.0 - 13.0) * 2.0 / (2.0 + 25.1), 1e-9);
  // Delay costs a wideband call 1.29 times the narrowband points.
  const double nb_delay = model.rate(g711(0)).r - model.rate(g711(250.0)).r;
  const double wb_delay =
      model.rate(g711(0, 0, 1, Codec::g722)).r - model.rate(g711(250.0, 0, 1, Codec::g722)).r;
  EXPECT_NEAR(wb_delay, 1.29 * nb_delay, 1e-9);
  EXPECT_GT(model.rate(g711(0, 0, 1, Codec::opus)).r, g722.r);
}

TEST(CallQuality, VoipMetricsFeedTheEModel) {
  // The pieces together: 2 % random loss on G.711 with PLC at 100 ms one way.
  const std::uint32_t seed = test_seed("VoipMetricsFeedTheEModel", 711);
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution loss(0.02);
  VoipMetrics m({});
  for (int i = 0; i < 200'000; ++i)
    loss(rng) ? m.lost() : m.received();
  const auto r = m.report();
  const auto q = EModel().rate({.codec = rtp::codec_impairment(Codec::g711_plc),
                                .mouth_to_ear_ms = 100.0,
                                .packet_loss_percent = r.packet_loss_percent(),
                                .burst_ratio = r.burst_ratio});
  const auto expected = EModel().rate(g711(100.0, 2.0, 1.0, Codec::g711_plc));
  EXPECT_NEAR(q.r, expected.r, 0.3);
  EXPECT_GT(q.mos, 4.0);
}

TEST(CallQuality, UpdatesReportsAndRatingsNeverAllocate) {
  InterarrivalJitter jitter(8000);
  VoipMetrics metrics({});
  const EModel model;
  double sink = 0;
  {
    ivrm_test::AllocationScope scope;
    for (int i = 0; i < 10000; ++i) {
      jitter.update(static_cast<std::uint32_t>(i * 160), i * 20000 + (i % 3) * 700);
      if (i % 17 == 0) {
        metrics.lost();
      } else if (i % 29 == 0) {
        (void)metrics.update(PacketFate::discarded, 160);
      } else {
        metrics.received(160);
      }
      if (i % 500 == 0) {
        const auto r = metrics.report();
        sink += model.rate(g711(120.0, r.packet_loss_percent(), r.burst_ratio)).mos;
        sink += jitter.jitter_ms();
      }
    }
    jitter.reset();
    metrics.reset();
    EXPECT_EQ(scope.count(), 0);
  }
  EXPECT_GT(sink, 0.0);
}

}  // namespace
