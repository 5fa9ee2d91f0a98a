// Network simulator (lib/sim): reproducibility per seed, delay distributions against their
// formulas (Gaussian, Pareto/Lomax), Gilbert-Elliott loss rate and burst length against the
// Markov chain's theory (Hasslinger and Hohlfeld 2008; ITU-T G.1050 (2007) uses the model),
// FIFO order, duplicates, explicit reordering (RFC 4737's definition), clock skew over three
// hours, delay spikes and their burst drain, presets, and invariants under random configs.
// Randomized tests print their seed; rerun one with the same seed in the source.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <stdexcept>
#include <vector>

#include "ivrmedia/rtp.hpp"
#include "sim/network_simulator.hpp"

namespace sim = ivrmedia::sim;
namespace rtp = ivrmedia::rtp;

namespace {

constexpr std::int64_t kPtimeUs = 20'000;

// n packets every `interval_us`, each carrying its number in 4 bytes.
std::vector<sim::SentPacket> stream(std::size_t n, std::int64_t interval_us = kPtimeUs,
                                    std::int64_t start_us = 1'000'000) {
  std::vector<sim::SentPacket> packets(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto v = static_cast<std::uint32_t>(i);
    packets[i].bytes = {std::uint8_t(v >> 24), std::uint8_t(v >> 16), std::uint8_t(v >> 8),
                        std::uint8_t(v)};
    packets[i].send_time_us = start_us + std::int64_t(i) * interval_us;
  }
  return packets;
}

// Extra delay (beyond the base) of every original arrival; no skew in these tests.
std::vector<double> extra_delays(const std::vector<sim::Arrival>& arrivals,
                                 const sim::NetworkConfig& c) {
  std::vector<double> d;
  for (const auto& a : arrivals) {
    if (!a.duplicate) d.push_back(double(a.arrival_time_us - a.send_time_us - c.base_delay_us));
  }
  return d;
}

double mean(const std::vector<double>& x) {
  double s = 0;
  for (double v : x)
    s += v;
  return s / double(x.size());
}

double stddev(const std::vector<double>& x) {
  const double m = mean(x);
  double s = 0;
  for (double v : x)
    s += (v - m) * (v - m);
  return std::sqrt(s / double(x.size() - 1));
}

double quantile(std::vector<double> x, double q) {
  const auto k = static_cast<std::size_t>(q * double(x.size() - 1));
  std::nth_element(x.begin(), x.begin() + std::ptrdiff_t(k), x.end());
  return x[k];
}

// FNV-1a over everything an arrival carries: a fingerprint of one whole run.
std::uint64_t fingerprint(const std::vector<sim::Arrival>& arrivals) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  const auto add = [&h](std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xFF;
      h *= 0x100000001B3ULL;
    }
  };
  for (const auto& a : arrivals) {
    add(std::uint64_t(a.arrival_time_us));
    add(a.index);
    add(a.duplicate);
    for (auto b : a.bytes)
      add(b);
  }
  return h;
}

bool sorted_by_arrival(const std::vector<sim::Arrival>& a) {
  return std::is_sorted(a.begin(), a.end(), [](const sim::Arrival& x, const sim::Arrival& y) {
    return x.arrival_time_us < y.arrival_time_us;
  });
}

}  // namespace

// --- Random draws -------------------------------------------------------------------------

TEST(NetworkSimRandom, PortableLogAndExpAgreeWithLibmToAFewUlp) {
  for (double x = 1e-300; x < 1e300; x *= 1.37) {
    const double want = std::log(x);
    EXPECT_NEAR(sim::portable_log(x), want, 4e-16 * std::max(1.0, std::fabs(want))) << x;
  }
  for (double x = -740; x < 709; x += 0.173) {
    const double want = std::exp(x);
    EXPECT_NEAR(sim::portable_exp(x), want, 4e-16 * want) << x;
  }
  EXPECT_EQ(sim::portable_log(1.0), 0.0);
  EXPECT_EQ(sim::portable_exp(0.0), 1.0);
}

TEST(NetworkSimRandom, DrawsAreFixedNumbersOnEveryPlatform) {
  // Golden values: a change here changes every simulated run (and the replay files of anyone
  // who kept a seed), so it must be deliberate.
  const sim::RandomDraws d(1, 1);
  EXPECT_EQ(d.bits(0, 0), 0x097AF2996189EF73ULL);
  EXPECT_EQ(d.bits(12345, 7), 0x3051D8AE879DD51CULL);
  EXPECT_EQ(d.uniform(3), 0x1.051a089b065cdp-2);
  EXPECT_EQ(d.normal(3), -0x1.82fc64779f6e7p-2);
}

TEST(NetworkSimRandom, NormalDrawsHaveUnitMomentsAndStreamsDiffer) {
  const sim::RandomDraws d(7, 2), other(7, 3);
  std::vector<double> x;
  int same = 0;
  for (std::uint64_t i = 0; i < 400'000; ++i) {
    x.push_back(d.normal(i));
    same += d.bits(i) == other.bits(i);
  }
  EXPECT_NEAR(mean(x), 0.0, 0.01);  // standard error 0.0016
  EXPECT_NEAR(stddev(x), 1.0, 0.01);
  EXPECT_NEAR(quantile(x, 0.975), 1.95996, 0.02);
  EXPECT_EQ(same, 0);
}

// --- Reproducibility ------------------------------------------------------------------------

TEST(NetworkSim, SameSeedSameArrivalsDifferentSeedDifferent) {
  const auto packets = stream(20'000);
  for (auto p : sim::kAllPresets) {
    const auto a = sim::simulate(sim::preset(p, 42), packets);
    const auto b = sim::simulate(sim::preset(p, 42), packets);
    EXPECT_EQ(fingerprint(a), fingerprint(b)) << sim::preset_name(p);
    if (p != sim::Preset::ideal) {
      EXPECT_NE(fingerprint(a), fingerprint(sim::simulate(sim::preset(p, 43), packets)))
          << sim::preset_name(p);
    }
  }
}

TEST(NetworkSim, StreamingInAnyChunksEqualsOneSimulateAndResetReplays) {
  const auto packets = stream(30'000);
  auto config = sim::preset(sim::Preset::congested, 9);
  config.clock_skew_ppm = -3'000;
  const auto whole = sim::simulate(config, packets);

  sim::NetworkSimulator net(config);
  std::vector<sim::Arrival> got;
  std::size_t next = 0;
  // The receiver ticks every 7 ms and sends what its clock says has been sent.
  for (std::int64_t now = 0; next < packets.size() || net.in_flight() > 0; now += 7'000) {
    while (next < packets.size() && net.receiver_time(packets[next].send_time_us) <= now) {
      net.send(packets[next].bytes, packets[next].send_time_us);
      ++next;
    }
    const std::size_t before = got.size();
    net.take(now, got);
    for (std::size_t i = before; i < got.size(); ++i)
      ASSERT_LE(got[i].arrival_time_us, now);
    if (next == packets.size() && net.in_flight() == 0) break;
  }
  ASSERT_EQ(got.size(), whole.size());
  EXPECT_EQ(fingerprint(got), fingerprint(whole));

  net.reset();
  EXPECT_EQ(net.stats().sent, 0u);
  EXPECT_EQ(fingerprint(net.simulate(packets)), fingerprint(whole));
}

TEST(NetworkSim, FingerprintOfAPresetRunIsFixed) {
  // Identical results on every platform and standard library: the whole mobile_lte run of
  // ten minutes, reduced to one number. If this changes, the model changed.
  const auto arrivals = sim::simulate(sim::preset(sim::Preset::mobile_lte, 2024), stream(30'000));
  EXPECT_EQ(fingerprint(arrivals), 0xE47720C6C274F253ULL);
}

TEST(NetworkSim, JitterTraceIsTheSameWithAndWithoutLoss) {
  // Separate random streams: losing packets does not reshuffle the delays of the others.
  auto clean = sim::preset(sim::Preset::wifi, 5);
  clean.loss = {};
  auto lossy = clean;
  lossy.loss = sim::GilbertElliott::from_loss_and_burst(0.1, 3);
  lossy.preserve_order = clean.preserve_order = false;
  const auto packets = stream(20'000);
  std::map<std::uint64_t, std::int64_t> clean_at;
  for (const auto& a : sim::simulate(clean, packets))
    clean_at[a.index] = a.arrival_time_us;
  std::size_t compared = 0;
  for (const auto& a : sim::simulate(lossy, packets)) {
    ASSERT_EQ(a.arrival_time_us, clean_at.at(a.index)) << a.index;
    ++compared;
  }
  EXPECT_GT(compared, 17'000u);
  EXPECT_LT(compared, 19'000u);
}

// --- Delay distributions ----------------------------------------------------------------------

TEST(NetworkSim, GaussianJitterMatchesItsMeanStddevAndQuantiles) {
  sim::NetworkConfig c;
  c.seed = 11;
  std::printf("NetworkSim gaussian seed %llu\n", static_cast<unsigned long long>(c.seed));
  c.base_delay_us = 30'000;
  c.jitter = sim::JitterModel::gaussian;
  c.gaussian_mean_us = 20'000;
  c.gaussian_stddev_us = 5'000;
  c.preserve_order = false;  // a FIFO would add queueing to the drawn delays
  const auto arrivals = sim::simulate(c, stream(200'000));
  const auto d = extra_delays(arrivals, c);
  ASSERT_EQ(d.size(), 200'000u);
  // Standard errors: mean 11 us, stddev 8 us, quantiles ~20 us.
  EXPECT_NEAR(mean(d), 20'000, 60);
  EXPECT_NEAR(stddev(d), 5'000, 50);
  const std::array<std::pair<double, double>, 5> z = {
      {{0.01, -2.32635}, {0.1, -1.28155}, {0.5, 0.0}, {0.9, 1.28155}, {0.99, 2.32635}}};
  for (auto [q, zq] : z)
    EXPECT_NEAR(quantile(d, q), 20'000 + 5'000 * zq, 120) << q;
}

TEST(NetworkSim, GaussianBelowZeroIsClippedToTheBaseDelay) {
  sim::NetworkConfig c;
  c.jitter = sim::JitterModel::gaussian;
  c.gaussian_mean_us = 0;
  c.gaussian_stddev_us = 10'000;
  c.preserve_order = false;
  const auto d = extra_delays(sim::simulate(c, stream(100'000)), c);
  const auto zeros = std::count(d.begin(), d.end(), 0.0);
  EXPECT_NEAR(double(zeros) / double(d.size()), 0.5, 0.01);
  EXPECT_GE(*std::min_element(d.begin(), d.end()), 0.0);
}

TEST(NetworkSim, ParetoJitterMatchesTheLomaxFormulas) {
  sim::NetworkConfig c;
  c.seed = 12;
  std::printf("NetworkSim pareto seed %llu\n", static_cast<unsigned long long>(c.seed));
  c.jitter = sim::JitterModel::pareto;
  c.pareto_scale_us = 10'000;
  c.pareto_shape = 2.5;
  c.jitter_cap_us = 3'600'000'000;  // no truncation in this test
  c.preserve_order = false;
  const auto d = extra_delays(sim::simulate(c, stream(400'000)), c);
  // Mean scale / (shape - 1) = 6667 us; standard deviation 14.9 ms, standard error 24 us (the
  // sample mean of a shape-2.5 tail converges slowly, hence the wider bound).
  EXPECT_NEAR(mean(d), 10'000 / 1.5, 200);
  for (double q : {0.25, 0.5, 0.9, 0.99, 0.999}) {
    const double want = 10'000 * (std::pow(1 - q, -1 / 2.5) - 1);
    EXPECT_NEAR(quantile(d, q), want, 0.03 * want + 20) << q;
  }
}

TEST(NetworkSim, JitterCapBoundsTheHeaviestTail) {
  sim::NetworkConfig c;
  c.jitter = sim::JitterModel::pareto;
  c.pareto_scale_us = 10'000;
  c.pareto_shape = 0.5;  // infinite mean
  c.jitter_cap_us = 300'000;
  c.preserve_order = false;
  const auto d = extra_delays(sim::simulate(c, stream(50'000)), c);
  EXPECT_EQ(*std::max_element(d.begin(), d.end()), 300'000.0);
  // P(extra >= cap) = (1 + 30)^-0.5 = 0.18
  const auto capped = std::count(d.begin(), d.end(), 300'000.0);
  EXPECT_NEAR(double(capped) / double(d.size()), 0.1796, 0.01);
}

// --- Loss ------------------------------------------------------------------------------------

TEST(NetworkSim, GilbertFromLossAndBurstGivesThatLossAndBurstLength) {
  const auto g = sim::GilbertElliott::from_loss_and_burst(0.05, 4.0);
  EXPECT_DOUBLE_EQ(g.r_bad_to_good, 0.25);
  EXPECT_DOUBLE_EQ(g.p_good_to_bad, 0.25 * 0.05 / 0.95);
  EXPECT_NEAR(g.mean_loss_rate(), 0.05, 1e-15);
  EXPECT_DOUBLE_EQ(g.mean_bad_run_packets(), 4.0);
  EXPECT_THROW((void)sim::GilbertElliott::from_loss_and_burst(0.6, 1.0), std::invalid_argument);
  EXPECT_THROW((void)sim::GilbertElliott::from_loss_and_burst(0.1, 0.5), std::invalid_argument);
  EXPECT_THROW((void)sim::GilbertElliott::from_loss_and_burst(1.0, 4.0), std::invalid_argument);

  for (std::uint64_t seed : {21u, 22u}) {
    std::printf("NetworkSim Gilbert seed %llu\n", static_cast<unsigned long long>(seed));
    sim::NetworkConfig c;
    c.seed = seed;
    c.loss = g;
    sim::NetworkSimulator net(c);
    const auto arrivals = net.simulate(stream(1'000'000));
    const auto s = net.stats();
    EXPECT_EQ(s.sent, 1'000'000u);
    EXPECT_EQ(arrivals.size(), s.sent - s.lost);
    // Correlated losses: the rate's standard error is ~5.6e-4 (lag-one correlation 1-p-r),
    // the burst length's ~0.03 packets over ~12500 geometric bursts.
    EXPECT_NEAR(double(s.lost) / double(s.sent), 0.05, 0.003);
    EXPECT_NEAR(double(s.lost) / double(s.loss_bursts), 4.0, 0.15);
  }
}

TEST(NetworkSim, GilbertElliottWithLossInBothStatesMatchesTheStationaryRate) {
  sim::NetworkConfig c;
  c.seed = 23;
  std::printf("NetworkSim Gilbert-Elliott seed %llu\n", static_cast<unsigned long long>(c.seed));
  c.loss = {.p_good_to_bad = 0.02, .r_bad_to_good = 0.2, .loss_in_good = 0.01, .loss_in_bad = 0.6};
  // pi_bad = 0.02 / 0.22 = 0.0909; loss = 0.909 * 0.01 + 0.0909 * 0.6 = 0.0636
  EXPECT_NEAR(c.loss.mean_loss_rate(), 0.063636, 1e-5);
  sim::NetworkSimulator net(c);
  (void)net.simulate(stream(1'000'000));
  const auto s = net.stats();
  EXPECT_NEAR(double(s.lost) / double(s.sent), c.loss.mean_loss_rate(), 0.003);
}

TEST(NetworkSim, LossZeroAndOneAreExact) {
  sim::NetworkConfig c;
  EXPECT_EQ(sim::simulate(c, stream(10'000)).size(), 10'000u);
  c.loss = {.p_good_to_bad = 1.0, .r_bad_to_good = 0.5, .loss_in_good = 1.0, .loss_in_bad = 1.0};
  EXPECT_TRUE(sim::simulate(c, stream(10'000)).empty());
}

// --- Order --------------------------------------------------------------------------------------

TEST(NetworkSim, FifoNeverReordersWhileIndependentPathsDo) {
  sim::NetworkConfig c;
  c.seed = 31;
  std::printf("NetworkSim FIFO seed %llu\n", static_cast<unsigned long long>(c.seed));
  c.jitter = sim::JitterModel::gaussian;
  c.gaussian_mean_us = 60'000;
  c.gaussian_stddev_us = 30'000;  // 1.5 packet intervals
  c.spike_probability = 0.01;
  c.spike_height_us = 300'000;
  c.spike_duration_us = 1'000'000;
  c.spike_shape = sim::SpikeShape::plateau;  // the sharpest drop a spike can make
  c.min_arrival_spacing_us = 150;
  sim::NetworkSimulator fifo(c);
  const auto a = fifo.simulate(stream(100'000));
  for (std::size_t i = 1; i < a.size(); ++i) {
    ASSERT_LT(a[i - 1].index, a[i].index);
    ASSERT_GE(a[i].arrival_time_us - a[i - 1].arrival_time_us, 150);
  }
  EXPECT_EQ(fifo.stats().reordered, 0u);

  c.preserve_order = false;
  sim::NetworkSimulator paths(c);
  (void)paths.simulate(stream(100'000));
  EXPECT_GT(paths.stats().reordered, 10'000u);
}

TEST(NetworkSim, ExplicitReorderingMovesAPacketBehindTheNextDepthPackets) {
  sim::NetworkConfig c;
  c.seed = 32;
  std::printf("NetworkSim reorder seed %llu\n", static_cast<unsigned long long>(c.seed));
  c.reorder_probability = 0.02;
  c.reorder_depth = 3;
  sim::NetworkSimulator net(c);
  const auto a = net.simulate(stream(200'000));
  const auto s = net.stats();
  // Picks are independent, so ~4000 of them (standard error 63); a pick whose 3 followers
  // include another pick still arrives after the packet sent just before it.
  EXPECT_NEAR(double(s.reordered), 4000, 320);
  std::vector<std::size_t> position(a.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    position[a[i].index] = i;
  std::size_t checked = 0;
  for (std::size_t i = 8; i + 8 < a.size(); ++i) {
    // An isolated pick (no other pick from i-4 to i+8 disturbs the picture) lands after the
    // next three packets and before the fourth, 3.5 intervals late.
    if (position[i] == i) continue;
    bool isolated = true;
    for (std::size_t k = i - 4; k <= i + 8; ++k) {
      if (k < i || k > i + 3) isolated = isolated && position[k] == k;
    }
    if (!isolated) continue;
    EXPECT_GT(position[i], position[i + 3]);
    EXPECT_LT(position[i], position[i + 4]);
    EXPECT_EQ(a[position[i]].arrival_time_us - a[position[i]].send_time_us, 20'000 + 70'000);
    ++checked;
  }
  EXPECT_GT(checked, 3000u);
}

TEST(NetworkSim, ReorderDelayUsesThePtimeNotASilenceGap) {
  sim::NetworkConfig c;
  c.reorder_probability = 1.0;  // every packet but the first takes the slow path
  c.reorder_depth = 1;
  auto packets = stream(200);
  for (std::size_t i = 100; i < packets.size(); ++i)
    packets[i].send_time_us += 5'000'000;  // five seconds of silence (DTX) before packet 100
  for (const auto& a : sim::simulate(c, packets)) {
    const std::int64_t extra = a.arrival_time_us - a.send_time_us - c.base_delay_us;
    EXPECT_EQ(extra, a.index == 0 ? 0 : 30'000) << a.index;  // 1.5 x 20 ms, after the gap too
  }
}

// --- Duplicates ---------------------------------------------------------------------------------

TEST(NetworkSim, DuplicatesAppearAtTheConfiguredRateWithinTheLag) {
  sim::NetworkConfig c;
  c.seed = 41;
  std::printf("NetworkSim duplicate seed %llu\n", static_cast<unsigned long long>(c.seed));
  c.duplicate_probability = 0.02;
  c.duplicate_max_lag_us = 8'000;
  c.jitter = sim::JitterModel::gaussian;
  c.gaussian_mean_us = 3'000;
  c.gaussian_stddev_us = 1'000;
  sim::NetworkSimulator net(c);
  const auto a = net.simulate(stream(200'000));
  const auto s = net.stats();
  EXPECT_NEAR(double(s.duplicated), 4000, 320);  // standard error 63
  EXPECT_EQ(a.size(), 200'000 + s.duplicated);
  EXPECT_EQ(s.delivered, a.size());
  std::map<std::uint64_t, const sim::Arrival*> original;
  std::int64_t lag_max = 0;
  std::size_t copies = 0;
  for (const auto& x : a) {
    if (!x.duplicate) {
      original[x.index] = &x;
      continue;
    }
    ++copies;
    const auto it = original.find(x.index);
    ASSERT_NE(it, original.end()) << "a copy arrived before its original";
    EXPECT_EQ(x.bytes, it->second->bytes);
    const std::int64_t lag = x.arrival_time_us - it->second->arrival_time_us;
    EXPECT_GE(lag, 0);
    EXPECT_LE(lag, 8'000);
    lag_max = std::max(lag_max, lag);
  }
  EXPECT_EQ(copies, s.duplicated);
  EXPECT_GT(lag_max, 7'900);   // the lag spans its range
  EXPECT_EQ(s.reordered, 0u);  // copies do not count as reordering
}

// --- Clock skew ---------------------------------------------------------------------------------

TEST(NetworkSim, ClockSkewOfOnePercentOverThreeHoursScalesSpacingWithoutDrift) {
  const std::size_t n = 3 * 3600 * 50 + 1;  // three hours of 20 ms packets
  const auto packets = stream(n, kPtimeUs, 123'456'789);
  for (double ppm : {10'000.0, -10'000.0, 5'000.0, -5'000.0}) {
    sim::NetworkConfig c;
    c.base_delay_us = 50'000;
    c.clock_skew_ppm = ppm;
    const auto a = sim::simulate(c, packets);
    ASSERT_EQ(a.size(), n);
    const double spacing = 20'000 * 1e6 / (1e6 + ppm);  // receiver us per sender packet
    const auto lo = std::int64_t(std::floor(spacing)), hi = std::int64_t(std::ceil(spacing));
    for (std::size_t i = 1; i < n; ++i) {
      const std::int64_t gap = a[i].arrival_time_us - a[i - 1].arrival_time_us;
      ASSERT_TRUE(gap == lo || gap == hi) << "ppm " << ppm << " packet " << i << " gap " << gap;
      // Each arrival is the exact scaled time, rounded: no error builds up over the hours.
      const double exact = double(i) * spacing;
      ASSERT_LE(std::fabs(double(a[i].arrival_time_us - a[0].arrival_time_us) - exact), 0.5 + 1e-6)
          << "ppm " << ppm << " packet " << i;
    }
    EXPECT_EQ(a[0].arrival_time_us, 123'456'789 + 50'000);  // the clocks agree at the start
    // Three hours of the sender's clock last 3 h * 1e6 / (1e6 + ppm) of the receiver's.
    const double span_s = double(a[n - 1].arrival_time_us - a[0].arrival_time_us) * 1e-6;
    EXPECT_NEAR(span_s, 10'800 * 1e6 / (1e6 + ppm), 1e-6);
  }
}

// --- Spikes -------------------------------------------------------------------------------------

TEST(NetworkSim, StallSpikeHoldsPacketsAndDrainsThemInOneBurst) {
  sim::NetworkConfig c;
  c.base_delay_us = 30'000;
  c.spike_probability = 1.0;  // a new stall whenever none is active: one every 200 ms
  c.spike_height_us = 200'000;
  sim::NetworkSimulator net(c);
  const auto a = net.simulate(stream(1'000, kPtimeUs, 0));
  EXPECT_EQ(net.stats().spikes, 100u);
  for (const auto& x : a) {
    // Packets sent in [200k ms, 200(k+1) ms) all arrive at 200(k+1) ms + base: a burst of 10.
    const std::int64_t release = (x.send_time_us / 200'000 + 1) * 200'000;
    ASSERT_EQ(x.arrival_time_us, release + 30'000) << x.index;
  }
  EXPECT_EQ(net.stats().max_extra_delay_us, 200'000);
  EXPECT_DOUBLE_EQ(net.stats().mean_extra_delay_us, 110'000);  // 200, 180, ..., 20 ms
}

TEST(NetworkSim, LongerRampDrainsGradually) {
  sim::NetworkConfig c;
  c.spike_probability = 1.0;
  c.spike_height_us = 100'000;
  c.spike_duration_us = 200'000;  // delay falls at half the speed of time
  const auto a = sim::simulate(c, stream(100, kPtimeUs, 0));
  // Inside a spike, packets 20 ms apart arrive 10 ms apart.
  for (std::size_t i = 1; i < a.size(); ++i) {
    const std::int64_t gap = a[i].arrival_time_us - a[i - 1].arrival_time_us;
    const bool new_spike = a[i].send_time_us % 200'000 == 0;
    EXPECT_EQ(gap, new_spike ? 20'000 + 100'000 - 10'000 : 10'000) << i;
  }
}

TEST(NetworkSim, PlateauSpikeDrainsInABurstBehindAFifo) {
  sim::NetworkConfig c;
  c.base_delay_us = 10'000;
  c.spike_probability = 0.0;
  c.spike_rate_per_s = 0.5;
  c.spike_height_us = 300'000;
  c.spike_duration_us = 1'000'000;
  c.spike_shape = sim::SpikeShape::plateau;
  c.seed = 51;
  std::printf("NetworkSim plateau seed %llu\n", static_cast<unsigned long long>(c.seed));
  sim::NetworkSimulator net(c);
  const auto a = net.simulate(stream(20'000));
  const auto spikes = net.stats().spikes;
  ASSERT_GT(spikes, 60u);
  // After each plateau the next 15 packets (300 ms / 20 ms) queue behind the last slow one and
  // leave with it: 16 arrivals in the same microsecond, led by a packet that saw the plateau.
  // (Fewer when the next plateau starts within 300 ms and holds the rest.)
  std::map<std::int64_t, std::vector<const sim::Arrival*>> at;
  for (const auto& x : a)
    at[x.arrival_time_us].push_back(&x);
  std::uint64_t full_bursts = 0;
  for (const auto& [t, group] : at) {
    if (group.size() == 1) continue;
    EXPECT_LE(group.size(), 16u);
    EXPECT_EQ(t - group.front()->send_time_us, 10'000 + 300'000);
    full_bursts += group.size() == 16;
  }
  EXPECT_GE(full_bursts, spikes * 8 / 10);
}

TEST(NetworkSim, PoissonSpikesComeAtTheirRate) {
  sim::NetworkConfig c;
  c.seed = 52;
  std::printf("NetworkSim spike rate seed %llu\n", static_cast<unsigned long long>(c.seed));
  c.spike_rate_per_s = 0.1;
  c.spike_height_us = 100'000;
  sim::NetworkSimulator net(c);
  (void)net.simulate(stream(500'000));  // 10000 s
  // 1000 expected, less the ~1 % that fall inside an active spike; standard error 32.
  EXPECT_NEAR(double(net.stats().spikes), 990, 130);
}

// --- Presets and invariants ---------------------------------------------------------------------

TEST(NetworkSim, PresetsAllRunWithTheirDocumentedLoss) {
  const auto packets = stream(90'000);  // 30 minutes
  for (auto p : sim::kAllPresets) {
    SCOPED_TRACE(std::string(sim::preset_name(p)));
    EXPECT_EQ(sim::preset_from_name(sim::preset_name(p)), p);
    const auto c = sim::preset(p, 77);
    EXPECT_NO_THROW(c.validate());
    EXPECT_EQ(c.seed, 77u);
    sim::NetworkSimulator net(c);
    const auto a = net.simulate(packets);
    const auto s = net.stats();
    EXPECT_TRUE(sorted_by_arrival(a));
    EXPECT_EQ(a.size(), s.sent - s.lost + s.duplicated);
    const double loss = double(s.lost) / double(s.sent);
    EXPECT_NEAR(loss, c.loss.mean_loss_rate(), 0.25 * c.loss.mean_loss_rate() + 0.0005);
    for (const auto& x : a)
      ASSERT_GE(x.arrival_time_us, x.send_time_us + c.base_delay_us);
  }
  EXPECT_FALSE(sim::preset_from_name("lte").has_value());
}

TEST(NetworkSim, RandomConfigsKeepEveryInvariant) {
  const std::uint64_t seed = 20261127;
  std::printf("NetworkSim invariants seed %llu\n", static_cast<unsigned long long>(seed));
  const sim::RandomDraws r(seed, 99);
  std::uint64_t k = 0;
  const auto u = [&] { return r.uniform(k++); };
  for (int run = 0; run < 60; ++run) {
    sim::NetworkConfig c;
    c.seed = r.bits(k++);
    c.base_delay_us = std::int64_t(u() * 200'000);
    c.jitter = static_cast<sim::JitterModel>(int(u() * 3));
    c.gaussian_mean_us = u() * 40'000 - 10'000;
    c.gaussian_stddev_us = u() * 30'000;
    c.pareto_scale_us = u() * 20'000;
    c.pareto_shape = 0.5 + u() * 3;
    c.jitter_cap_us = std::int64_t(u() * 2'000'000);
    c.preserve_order = u() < 0.5;
    c.min_arrival_spacing_us = u() < 0.5 ? 0 : std::int64_t(u() * 500);
    c.reorder_probability = u() * 0.1;
    c.reorder_depth = 1 + int(u() * 5);
    c.spike_probability = u() * 0.01;
    c.spike_rate_per_s = u() * 0.5;
    c.spike_height_us = std::int64_t(u() * 500'000);
    c.spike_shape = u() < 0.5 ? sim::SpikeShape::ramp : sim::SpikeShape::plateau;
    c.spike_duration_us = c.spike_height_us + std::int64_t(u() * 500'000) + 1;
    c.loss = sim::GilbertElliott::from_loss_and_burst(u() * 0.3, 1 + u() * 5);
    c.duplicate_probability = u() * 0.05;
    c.duplicate_max_lag_us = std::int64_t(u() * 20'000);
    c.clock_skew_ppm = u() * 40'000 - 20'000;
    // Irregular sending: gaps of 0-60 ms, some packets sent in the same microsecond.
    std::vector<sim::SentPacket> packets(3'000);
    std::int64_t t = std::int64_t(u() * 1e9) - 500'000'000;
    for (std::size_t i = 0; i < packets.size(); ++i) {
      packets[i].bytes.assign(1 + std::size_t(u() * 200), std::uint8_t(i));
      packets[i].send_time_us = t;
      t += u() < 0.1 ? 0 : std::int64_t(u() * 60'000);
    }
    SCOPED_TRACE("run " + std::to_string(run));
    sim::NetworkSimulator net(c);
    std::vector<std::int64_t> sent_at(packets.size());
    for (std::size_t i = 0; i < packets.size(); ++i) {
      ASSERT_EQ(net.send(packets[i].bytes, packets[i].send_time_us), i);
      sent_at[i] = net.receiver_time(packets[i].send_time_us);
    }
    const auto a = net.flush();
    const auto s = net.stats();
    ASSERT_TRUE(sorted_by_arrival(a));
    ASSERT_EQ(a.size(), s.sent - s.lost + s.duplicated);
    ASSERT_EQ(s.delivered, a.size());
    for (const auto& x : a) {
      ASSERT_GE(x.arrival_time_us, sent_at[x.index] + c.base_delay_us);  // never before sent
      ASSERT_EQ(x.bytes, packets[x.index].bytes);
      ASSERT_EQ(x.send_time_us, packets[x.index].send_time_us);
    }
    for (std::size_t i = 1; i < sent_at.size(); ++i)
      ASSERT_GE(sent_at[i], sent_at[i - 1]);  // the skewed clock never runs backwards
    if (c.preserve_order && c.reorder_probability == 0) {
      ASSERT_EQ(s.reordered, 0u);
    }
  }
}

TEST(NetworkSim, CarriesRtpPacketsUntouched) {
  rtp::Builder builder(rtp::Builder::random_config(0, 8000, 7));
  std::vector<sim::SentPacket> packets;
  std::array<std::uint8_t, 160> payload{};
  std::array<std::uint8_t, 200> out{};
  for (int i = 0; i < 500; ++i) {
    payload.fill(std::uint8_t(i));
    std::size_t written = 0;
    ASSERT_EQ(builder.build(payload, 160, i == 0, out, &written), ivrmedia::Status::ok);
    packets.push_back({{out.begin(), out.begin() + std::ptrdiff_t(written)}, i * kPtimeUs});
  }
  const auto first = rtp::Builder::random_config(0, 8000, 7).first_sequence;
  for (const auto& a : sim::simulate(sim::preset(sim::Preset::congested, 3), packets)) {
    rtp::PacketView v;
    ASSERT_EQ(rtp::parse(a.bytes, &v, nullptr), ivrmedia::Status::ok);
    EXPECT_EQ(v.sequence, std::uint16_t(first + a.index));
    EXPECT_EQ(v.payload[0], std::uint8_t(a.index));
  }
}

TEST(NetworkSim, RejectsImpossibleConfigsAndBackwardSendTimes) {
  const auto bad = [](auto change) {
    sim::NetworkConfig c;
    change(c);
    return c;
  };
  const std::vector<sim::NetworkConfig> configs = {
      bad([](auto& c) { c.base_delay_us = -1; }),
      bad([](auto& c) { c.gaussian_stddev_us = -5; }),
      bad([](auto& c) { c.gaussian_mean_us = NAN; }),
      bad([](auto& c) { c.pareto_shape = 0; }),
      bad([](auto& c) { c.reorder_probability = 1.5; }),
      bad([](auto& c) { c.reorder_depth = 0; }),
      bad([](auto& c) { c.spike_height_us = 100'000, c.spike_duration_us = 50'000; }),
      bad([](auto& c) {
        c.spike_shape = sim::SpikeShape::plateau, c.spike_rate_per_s = 1, c.spike_duration_us = 0;
      }),
      bad([](auto& c) { c.loss.p_good_to_bad = 0.1, c.loss.r_bad_to_good = 0; }),
      bad([](auto& c) { c.loss.loss_in_bad = -0.1; }),
      bad([](auto& c) { c.duplicate_probability = 2; }),
      bad([](auto& c) { c.clock_skew_ppm = 200'000; }),
      bad([](auto& c) { c.min_arrival_spacing_us = -1; }),
  };
  for (std::size_t i = 0; i < configs.size(); ++i)
    EXPECT_THROW(sim::NetworkSimulator{configs[i]}, std::invalid_argument) << i;

  sim::NetworkSimulator net(sim::NetworkConfig{});
  const std::array<std::uint8_t, 1> b{};
  (void)net.send(b, 1000);
  (void)net.send(b, 1000);  // equal times are fine
  EXPECT_THROW((void)net.send(b, 999), std::invalid_argument);
  EXPECT_THROW((void)net.send(b, std::numeric_limits<std::int64_t>::max()), std::invalid_argument);

  // The widest span allowed, first and last send 2^62 us apart, with skew: no overflow.
  auto skewed = sim::NetworkConfig{};
  skewed.clock_skew_ppm = -100'000;
  sim::NetworkSimulator far(skewed);
  (void)far.send(b, -(std::int64_t(1) << 61));
  (void)far.send(b, std::int64_t(1) << 61);
  const auto a = far.flush();
  ASSERT_EQ(a.size(), 2u);
  EXPECT_GT(a[1].arrival_time_us, a[0].arrival_time_us);
  EXPECT_EQ(net.stats().sent, 2u);
}
