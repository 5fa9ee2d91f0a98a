// rtp::SequenceTracker against RFC 3550 appendix A.1 (probation, MAX_DROPOUT, MAX_MISORDER,
// resynchronization after a jump) and A.3 (expected, lost, fraction lost), plus what a 24/7
// receiver needs beyond the appendix: 64-bit unwrapping of sequence numbers and timestamps
// over days, duplicates, SSRC changes restarting the stream cleanly, and no allocation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <set>
#include <vector>

#include "ivrmedia/rtp_sequence.hpp"
#include "support/alloc_counter.hpp"

namespace {

using ivrmedia::Error;
using ivrmedia::rtp::SequenceTracker;
using Verdict = SequenceTracker::Verdict;

constexpr std::uint32_t kSsrc = 0x1234ABCD;

// Feeds one source's packets; sequence and timestamp advance with the packet index.
struct Stream {
  std::uint32_t ssrc = kSsrc;
  std::uint16_t first_sequence = 0;
  std::uint32_t first_timestamp = 0;
  std::uint32_t step = 160;
  SequenceTracker::Result send(SequenceTracker& t, std::int64_t i) const {
    return t.update(
        ssrc, static_cast<std::uint16_t>(first_sequence + i),
        static_cast<std::uint32_t>(first_timestamp + static_cast<std::uint32_t>(i) * step));
  }
};

SequenceTracker confirmed(const Stream& s, std::int64_t packets = 2) {
  SequenceTracker t;
  for (std::int64_t i = 0; i < packets; ++i)
    s.send(t, i);
  return t;
}

TEST(RtpSequence, Rfc3550A1NewSourceIsOnProbationUntilTwoSequentialPackets) {
  SequenceTracker t;
  const Stream s{.first_sequence = 1000, .first_timestamp = 5000};
  auto r = s.send(t, 0);
  EXPECT_EQ(r.verdict, Verdict::probation);
  EXPECT_FALSE(r.accepted);
  EXPECT_FALSE(t.has_source());
  // Provisional numbers: the ones the packet keeps once the source is confirmed.
  EXPECT_EQ(r.extended_sequence, 1000);
  EXPECT_EQ(r.extended_timestamp, 5000);
  EXPECT_EQ(r.generation, 1u);
  r = s.send(t, 1);
  EXPECT_EQ(r.verdict, Verdict::restarted);
  EXPECT_TRUE(r.accepted);
  EXPECT_EQ(r.extended_sequence, 1001);
  EXPECT_EQ(r.extended_timestamp, 5160);
  EXPECT_EQ(r.generation, 1u);
  // Both probation packets count as received: the call's first packet is not "lost".
  EXPECT_EQ(t.stats().received, 2);
  EXPECT_EQ(t.expected(), 2);
  EXPECT_EQ(t.lost(), 0);
  EXPECT_EQ(t.ssrc(), kSsrc);
  r = s.send(t, 2);
  EXPECT_EQ(r.verdict, Verdict::in_order);
  EXPECT_EQ(r.gap, 0);
}

TEST(RtpSequence, Rfc3550A1ProbationRestartsOnANonSequentialPacket) {
  SequenceTracker t;
  t.update(kSsrc, 100, 0);
  EXPECT_EQ(t.update(kSsrc, 300, 160).verdict, Verdict::probation);  // not 101: start again
  EXPECT_EQ(t.update(kSsrc, 301, 320).verdict, Verdict::restarted);
  EXPECT_EQ(t.stats().probation_dropped, 1);
  EXPECT_EQ(t.stats().received, 2);
  EXPECT_EQ(t.highest_sequence(), 301);
}

TEST(RtpSequence, ProbationToleratesReorderingAtTheStartOfACall) {
  // Every pair swapped from the first packet on: A.1's strictly consecutive rule would never
  // confirm this source.
  SequenceTracker t;
  EXPECT_EQ(t.update(kSsrc, 101, 160).verdict, Verdict::probation);
  const auto r = t.update(kSsrc, 100, 0);
  EXPECT_EQ(r.verdict, Verdict::restarted);
  EXPECT_EQ(r.extended_sequence, 100);
  EXPECT_EQ(r.extended_timestamp, 0);
  EXPECT_EQ(t.highest_sequence(), 101);
  EXPECT_EQ(t.latest_timestamp(), 160);
  EXPECT_EQ(t.update(kSsrc, 103, 480).verdict, Verdict::in_order);
  EXPECT_EQ(t.update(kSsrc, 102, 320).verdict, Verdict::reordered);
  EXPECT_EQ(t.lost(), 0);
  // A copy during probation is a duplicate, not a second probation packet.
  SequenceTracker u;
  u.update(kSsrc, 7, 0);
  EXPECT_EQ(u.update(kSsrc, 7, 0).verdict, Verdict::duplicate);
  EXPECT_FALSE(u.has_source());
}

TEST(RtpSequence, ProbationOfOneAcceptsTheFirstPacket) {
  SequenceTracker t({.probation = 1});
  const auto r = t.update(kSsrc, 7, 99);
  EXPECT_EQ(r.verdict, Verdict::restarted);
  EXPECT_TRUE(r.accepted);
  EXPECT_EQ(t.expected(), 1);
}

TEST(RtpSequence, Rfc3550A3LossIsExpectedMinusReceivedAndLatePacketsRepairIt) {
  const Stream s{.first_sequence = 10};
  SequenceTracker t = confirmed(s);
  auto r = s.send(t, 5);  // 2, 3, 4 missing
  EXPECT_EQ(r.verdict, Verdict::in_order);
  EXPECT_EQ(r.gap, 3);
  EXPECT_EQ(t.lost(), 3);
  r = s.send(t, 3);
  EXPECT_EQ(r.verdict, Verdict::reordered);
  EXPECT_TRUE(r.accepted);
  EXPECT_EQ(r.extended_sequence, 13);
  EXPECT_EQ(r.extended_timestamp, 3 * 160);
  EXPECT_EQ(t.lost(), 2);
  EXPECT_EQ(t.stats().reordered, 1);
}

TEST(RtpSequence, Rfc3550A3IntervalFractionLostIsEightBitFixedPoint) {
  const Stream s{.first_sequence = 65500};
  SequenceTracker t = confirmed(s);
  for (int i = 2; i < 100; ++i)
    if (i % 10 != 5) s.send(t, i);  // 10 of 100 lost, across the sequence wrap
  auto iv = t.interval();
  EXPECT_EQ(iv.expected, 100);
  EXPECT_EQ(iv.received, 90);
  EXPECT_EQ(iv.lost, 10);
  EXPECT_EQ(iv.fraction_lost, 25);  // floor(10 * 256 / 100)
  for (int i = 100; i < 150; ++i)
    s.send(t, i);
  iv = t.interval();
  EXPECT_EQ(iv.expected, 50);
  EXPECT_EQ(iv.lost, 0);
  EXPECT_EQ(iv.fraction_lost, 0);
  // A long outage: 150 of 151 lost.
  s.send(t, 300);
  iv = t.interval();
  EXPECT_EQ(iv.expected, 151);
  EXPECT_EQ(iv.fraction_lost, 254);  // floor(150 * 256 / 151)
}

TEST(RtpSequence, Rfc3550SequenceWrapUnwrapsTo64Bits) {
  const Stream s{.first_sequence = 65530};
  SequenceTracker t = confirmed(s);
  for (std::int64_t i = 2; i < 3 * 65536 + 10; ++i) {
    const auto r = s.send(t, i);
    ASSERT_EQ(r.verdict, Verdict::in_order) << i;
    ASSERT_EQ(r.extended_sequence, 65530 + i);
  }
  EXPECT_EQ(t.lost(), 0);
  EXPECT_EQ(t.expected(), 3 * 65536 + 10);
}

TEST(RtpSequence, Rfc3550TimestampWrapUnwrapsOverTwoDaysAt48kHz) {
  // 60 ms opus packets for 50 hours: the 32-bit timestamp wraps twice (every 24.9 hours).
  const Stream s{.first_sequence = 4000, .first_timestamp = 0xFFFF0000u, .step = 2880};
  SequenceTracker t = confirmed(s);
  const std::int64_t packets = 50LL * 3600 * 1000 / 60;
  std::int64_t previous = t.latest_timestamp();
  for (std::int64_t i = 2; i < packets; ++i) {
    const auto r = s.send(t, i);
    if (r.extended_timestamp != previous + 2880 || r.verdict != Verdict::in_order) {
      FAIL() << "packet " << i << ": verdict " << describe(r.verdict) << ", timestamp "
             << r.extended_timestamp << " after " << previous;
    }
    previous = r.extended_timestamp;
  }
  EXPECT_EQ(previous, std::int64_t{0xFFFF0000u} + (packets - 1) * 2880);
  EXPECT_GT(previous, std::int64_t{2} * 0x100000000LL);
  // A late packet from before the last wrap still lands at its unwrapped place.
  const auto late = s.send(t, packets - 50);
  EXPECT_EQ(late.verdict, Verdict::duplicate);
  EXPECT_EQ(late.extended_timestamp, std::int64_t{0xFFFF0000u} + (packets - 50) * 2880);
}

TEST(RtpSequence, DuplicatesAreDetectedInTheWholeMisorderWindow) {
  const Stream s{.first_sequence = 200};
  SequenceTracker t = confirmed(s);
  for (int i = 2; i < 150; ++i)
    s.send(t, i);
  EXPECT_EQ(s.send(t, 149).verdict, Verdict::duplicate);  // the highest again
  EXPECT_EQ(s.send(t, 148).verdict, Verdict::duplicate);
  EXPECT_EQ(s.send(t, 50).verdict, Verdict::duplicate);  // 99 behind: still remembered
  EXPECT_EQ(s.send(t, 49).verdict, Verdict::bad_jump);   // 100 behind: a jump (A.1)
  EXPECT_EQ(t.stats().duplicates, 3);
  EXPECT_EQ(t.stats().received, 150);
  EXPECT_EQ(t.lost(), 0);
}

TEST(RtpSequence, Rfc3550A1MaxMisorderBoundary) {
  const Stream s{.first_sequence = 0};
  SequenceTracker t = confirmed(s);
  s.send(t, 300);
  // A.1: udelta <= RTP_SEQ_MOD - MAX_MISORDER is a jump, so "reordered" means fewer than
  // MAX_MISORDER behind.
  EXPECT_EQ(s.send(t, 201).verdict, Verdict::reordered);  // 99 behind
  EXPECT_EQ(s.send(t, 200).verdict, Verdict::bad_jump);   // exactly MAX_MISORDER behind
  EXPECT_EQ(t.stats().bad_jumps, 1);
}

TEST(RtpSequence, Rfc3550A1MaxDropoutBoundaryAndResync) {
  const Stream s{.first_sequence = 60000, .first_timestamp = 1};
  SequenceTracker t = confirmed(s);
  auto r = s.send(t, 1 + 2999);  // 2999 ahead: a (long) gap, still in order
  EXPECT_EQ(r.verdict, Verdict::in_order);
  EXPECT_EQ(r.gap, 2998);
  const std::int64_t highest = t.highest_sequence();
  r = s.send(t, 3000 + 3000);  // exactly MAX_DROPOUT ahead: implausible
  EXPECT_EQ(r.verdict, Verdict::bad_jump);
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(t.highest_sequence(), highest);
  EXPECT_EQ(t.generation(), 1u);
  // The next packet follows the jump: the sender restarted, resynchronize (A.1's bad_seq).
  r = s.send(t, 6001);
  EXPECT_EQ(r.verdict, Verdict::restarted);
  EXPECT_EQ(r.generation, 2u);
  EXPECT_EQ(t.generation(), 2u);
  EXPECT_EQ(t.stats().restarts, 1);
  EXPECT_EQ(t.stats().source_changes, 0);
  EXPECT_EQ(t.stats().bad_jumps, 0);  // both jump packets turned out to be the new stream
  EXPECT_EQ(t.stats().received, 2 + 1 + 2);
  // Loss across generations: the first lost 2998; the new one lost nothing.
  EXPECT_EQ(t.lost(), 2998);
  EXPECT_EQ(s.send(t, 6002).verdict, Verdict::in_order);
}

TEST(RtpSequence, Rfc3550A1StrayJumpIsDroppedAndTheStreamGoesOn) {
  const Stream s{.first_sequence = 500};
  SequenceTracker t = confirmed(s);
  EXPECT_EQ(t.update(kSsrc, 40000, 123).verdict, Verdict::bad_jump);
  for (int i = 2; i < 10; ++i)
    EXPECT_EQ(s.send(t, i).verdict, Verdict::in_order);
  EXPECT_EQ(t.generation(), 1u);
  EXPECT_EQ(t.stats().bad_jumps, 1);
  EXPECT_EQ(t.lost(), 0);
}

TEST(RtpSequence, SsrcChangeRestartsTheStreamCleanly) {
  const Stream a{.ssrc = 1, .first_sequence = 100, .first_timestamp = 1000};
  const Stream b{.ssrc = 2, .first_sequence = 9, .first_timestamp = 77};
  SequenceTracker t = confirmed(a, 10);
  // The new source goes on probation; the old one is still played meanwhile.
  EXPECT_EQ(b.send(t, 0).verdict, Verdict::probation);
  EXPECT_EQ(a.send(t, 10).verdict, Verdict::in_order);
  const auto r = b.send(t, 1);
  EXPECT_EQ(r.verdict, Verdict::restarted);
  EXPECT_EQ(r.generation, 2u);
  EXPECT_EQ(r.extended_sequence, 10);
  EXPECT_EQ(r.extended_timestamp, 77 + 160);
  EXPECT_EQ(t.ssrc(), 2u);
  EXPECT_EQ(t.stats().source_changes, 1);
  EXPECT_EQ(t.stats().received, 11 + 2);
  EXPECT_EQ(t.lost(), 0);
  // A straggler of the replaced source is not a reason to switch back.
  EXPECT_EQ(a.send(t, 11).verdict, Verdict::probation);
  EXPECT_EQ(b.send(t, 2).verdict, Verdict::in_order);
  EXPECT_EQ(t.ssrc(), 2u);
}

TEST(RtpSequence, PacketsOlderThanTheFirstMoveTheBaseBack) {
  const Stream s{.first_sequence = 1000};
  SequenceTracker t;
  s.send(t, 2);
  s.send(t, 3);  // confirmed at 1002-1003
  EXPECT_EQ(s.send(t, 0).verdict, Verdict::reordered);
  EXPECT_EQ(t.expected(), 4);
  EXPECT_EQ(t.lost(), 1);  // 1001 is still missing
}

// Random loss, duplication and reordering (displacement below MAX_MISORDER) over several
// wraps: the counters must equal what the set of distinct packets says.
TEST(RtpSequence, RandomNetworkMatchesASetBasedReference) {
  const unsigned seed = 20261127;
  std::printf("seed %u (replay: change `seed` in %s)\n", seed, __FILE__);
  std::mt19937 rng(seed);
  const Stream s{.first_sequence = 65000, .first_timestamp = 0xFFFFF000u};
  const std::int64_t n = 300000;
  // Sent order, with jitter-style local reordering and copies; packets 0 and 1 go first.
  std::vector<std::pair<double, std::int64_t>> arrivals;
  std::uniform_real_distribution<double> jitter(0.0, 40.0);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  for (std::int64_t i = 0; i < n; ++i) {
    if (i >= 2 && coin(rng) < 0.03) continue;  // lost
    const double t0 = i < 2 ? static_cast<double>(i) - 10.0 : static_cast<double>(i) + jitter(rng);
    arrivals.emplace_back(t0, i);
    if (i >= 2 && coin(rng) < 0.01) arrivals.emplace_back(t0 + jitter(rng), i);  // duplicate
  }
  std::sort(arrivals.begin(), arrivals.end());
  SequenceTracker t;
  std::set<std::int64_t> distinct;
  std::int64_t highest = -1;
  std::int64_t copies = 0;
  for (const auto& [when, i] : arrivals) {
    const auto r = s.send(t, i);
    if (distinct.count(i) != 0) {
      ++copies;
      ASSERT_EQ(r.verdict, Verdict::duplicate) << i;
    } else if (i < 2) {
      ASSERT_TRUE(r.verdict == Verdict::probation || r.verdict == Verdict::restarted);
    } else {
      ASSERT_EQ(r.verdict, i > highest ? Verdict::in_order : Verdict::reordered) << i;
    }
    if (r.accepted || r.verdict == Verdict::probation) {
      ASSERT_EQ(r.extended_sequence, 65000 + i);
      ASSERT_EQ(r.extended_timestamp, std::int64_t{0xFFFFF000u} + i * 160);
    }
    distinct.insert(i);
    highest = std::max(highest, i);
  }
  EXPECT_EQ(t.stats().received, static_cast<std::int64_t>(distinct.size()));
  EXPECT_EQ(t.stats().duplicates, copies);
  EXPECT_EQ(t.expected(), highest + 1);
  EXPECT_EQ(t.lost(), highest + 1 - static_cast<std::int64_t>(distinct.size()));
  EXPECT_EQ(t.generation(), 1u);
}

TEST(RtpSequence, UpdateNeverAllocates) {
  const Stream s{.first_sequence = 1};
  SequenceTracker t;
  ivrm_test::AllocationScope scope;
  for (int i = 0; i < 100000; ++i)
    s.send(t, (i * 7) % 100003);
  t.update(99, 5, 5);
  (void)t.interval();
  t.reset();
  EXPECT_EQ(scope.count(), 0);
}

TEST(RtpSequence, ResetForgetsEverything) {
  const Stream s{.first_sequence = 1};
  SequenceTracker t = confirmed(s, 50);
  t.reset();
  EXPECT_FALSE(t.has_source());
  EXPECT_EQ(t.expected(), 0);
  EXPECT_EQ(t.stats().received, 0);
  EXPECT_EQ(s.send(t, 0).verdict, Verdict::probation);
}

TEST(RtpSequence, ImpossibleConfigsThrowBadConfig) {
  EXPECT_THROW(SequenceTracker({.probation = 0}), Error);
  EXPECT_THROW(SequenceTracker({.max_dropout = 0}), Error);
  EXPECT_THROW(SequenceTracker({.max_dropout = 40000}), Error);
  EXPECT_THROW(SequenceTracker({.max_misorder = 1024}), Error);
  EXPECT_NO_THROW(SequenceTracker({.max_misorder = 1023}));
}

}  // namespace
