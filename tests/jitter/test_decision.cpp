// jitter::decide, the playout decision, one rule per test on hand-filled states (NetEq's
// "decide, then do": the rules are a pure function, so each is checked without a buffer).
#include <gtest/gtest.h>

#include "jitter/decision.hpp"

namespace {

using ivrmedia::jitter::accelerate_limit_ms;
using ivrmedia::jitter::decide;
using ivrmedia::jitter::headroom_floor_ms;
using ivrmedia::jitter::high_limit_ms;
using ivrmedia::jitter::kMaxConcealWaitMs;
using ivrmedia::jitter::kMaxGapConcealMs;
using ivrmedia::jitter::kMinTrimMs;
using ivrmedia::jitter::low_limit_ms;
using ivrmedia::jitter::Operation;
using ivrmedia::jitter::PlayoutState;

// A call in progress: the next packet is here, 20 ms packets and frames, pull times known,
// headroom 10 ms above a 20 ms spread (floor 22 ms: the margin is 10 % of the spread, 0.25-2 ms),
// no slack, nothing to stretch.
PlayoutState playing() {
  PlayoutState s;
  s.started = true;
  s.have_packet = true;
  s.packet_is_next = true;
  s.packet_ms = 20.0;
  s.frame_ms = 20.0;
  s.level_ms = 40.0;
  s.filtered_level_ms = 40.0;
  s.target_ms = 40.0;
  s.headroom_known = true;
  s.headroom_ms = 30.0;
  s.headroom_target_ms = 20.0;
  s.headroom_high_target_ms = 21.0;
  return s;
}

TEST(JitterDecision, BeforeTheFirstPacketPlaysSilenceThenStartsWithAFrameBuffered) {
  PlayoutState s;
  s.target_ms = 60.0;
  EXPECT_EQ(decide(s), Operation::cng);
  s.have_packet = true;
  s.level_ms = 10.0;
  EXPECT_EQ(decide(s), Operation::cng);  // less than a frame
  s.level_ms = 20.0;                     // a frame: no waiting for the 60 ms target
  EXPECT_EQ(decide(s), Operation::rebase);
  s.target_ms = 5.0;  // or the target, if smaller
  s.level_ms = 5.0;
  EXPECT_EQ(decide(s), Operation::rebase);
}

TEST(JitterDecision, NothingStoredConcealsForAWhileThenFallsSilent) {
  PlayoutState s = playing();
  s.have_packet = false;
  s.packet_is_next = false;
  EXPECT_EQ(decide(s), Operation::conceal);
  s.waited_ms = kMaxConcealWaitMs - 2.5;
  EXPECT_EQ(decide(s), Operation::conceal);
  s.waited_ms = kMaxConcealWaitMs;
  EXPECT_EQ(decide(s), Operation::cng);
  // RFC 3389 comfort noise (or an RFC 4733 event) said the sender paused: no concealment.
  s.waited_ms = 0.0;
  s.dtx_signalled = true;
  EXPECT_EQ(decide(s), Operation::cng);
}

TEST(JitterDecision, RestartedStreamPlaysOnceTheOldOneHasDrained) {
  PlayoutState s = playing();
  s.newer_generation = true;
  s.packet_is_next = false;
  EXPECT_EQ(decide(s), Operation::rebase);
}

TEST(JitterDecision, HeadroomUnderTheFloorExpands) {
  PlayoutState s = playing();
  EXPECT_EQ(headroom_floor_ms(20.0), 22.0);
  s.headroom_ms = 21.9;
  EXPECT_EQ(decide(s), Operation::normal);  // cannot expand: 15 ms of audio not decodable
  s.can_expand = true;
  EXPECT_EQ(decide(s), Operation::preemptive_expand);
  s.headroom_ms = 22.0;
  EXPECT_EQ(decide(s), Operation::normal);
}

TEST(JitterDecision, HeadroomMarginGrowsWithTheSpreadWithinAQuarterAndTwoMs) {
  EXPECT_DOUBLE_EQ(headroom_floor_ms(0.25), 0.5);   // 10 % would be 0.025
  EXPECT_DOUBLE_EQ(headroom_floor_ms(2.0), 2.25);   // 10 % would be 0.2
  EXPECT_DOUBLE_EQ(headroom_floor_ms(12.0), 13.2);  // 10 %
  EXPECT_DOUBLE_EQ(headroom_floor_ms(50.0), 52.0);  // 10 % would be 5
}

TEST(JitterDecision, AWholeFrameIsGivenBackOnlyWhileTheHigherQuantileStaysCovered) {
  PlayoutState s = playing();
  s.can_accelerate = true;
  s.can_expand = true;
  s.headroom_high_target_ms = 24.0;  // floor 26 (the margin's 2 ms cap): a frame back needs 46
  s.headroom_ms = 45.9;
  EXPECT_EQ(decide(s), Operation::normal);
  s.headroom_ms = 46.0;
  EXPECT_EQ(decide(s), Operation::accelerate);
  // How much: every whole frame above the higher floor, plus the slack.
  s.slack_ms = 3.0;
  s.headroom_ms = 70.0;
  EXPECT_DOUBLE_EQ(accelerate_limit_ms(s), 3.0 + 40.0);
  s.headroom_ms = 46.4;
  EXPECT_DOUBLE_EQ(accelerate_limit_ms(s), 3.0 + 20.0);
  s.headroom_ms = 30.0;  // above the floor, not a frame above the higher one: the slack only
  EXPECT_DOUBLE_EQ(accelerate_limit_ms(s), 3.0);
  s.headroom_ms = 21.0;  // under the floor: nothing
  EXPECT_DOUBLE_EQ(accelerate_limit_ms(s), 0.0);
}

TEST(JitterDecision, SlackIsTrimmedWheneverTheHeadroomIsEnough) {
  PlayoutState s = playing();
  s.can_expand = true;
  s.can_trim = true;
  s.trim_allowed = true;
  s.slack_ms = kMinTrimMs;
  EXPECT_EQ(decide(s), Operation::accelerate);
  s.slack_ms = kMinTrimMs / 2;  // too little to be worth a stretch
  EXPECT_EQ(decide(s), Operation::normal);
  s.slack_ms = 10.0;
  s.trim_allowed = false;  // the stretcher declined lately: backing off
  EXPECT_EQ(decide(s), Operation::normal);
  s.trim_allowed = true;
  s.headroom_ms = 21.0;  // under the floor: expand, never trim
  EXPECT_EQ(decide(s), Operation::preemptive_expand);
}

TEST(JitterDecision, PacketAfterCoveringConcealmentIsDroppedOnlyIfTheBufferStaysAtTarget) {
  // A stall drained in a burst: concealment stood in for all of the next packet and the one
  // after it is here. (Level-based here: the headroom rule is the next test.)
  PlayoutState s = playing();
  s.headroom_known = false;
  s.waited_ms = 20.0;
  s.following_stored = true;
  s.level_ms = 60.0;  // 40 left after dropping: the target
  EXPECT_EQ(decide(s), Operation::drop);
  s.level_ms = 59.0;  // would fall under the target: play it (the wait protects what follows)
  EXPECT_NE(decide(s), Operation::drop);
  s.level_ms = 60.0;
  s.following_stored = false;
  EXPECT_NE(decide(s), Operation::drop);
  s.following_stored = true;
  s.waited_ms = 17.5;  // covered only in part
  EXPECT_NE(decide(s), Operation::drop);
}

TEST(JitterDecision, StragglerIsDroppedWhileTheHeadroomWithoutItCoversTheHysteresisQuantile) {
  // A late packet concealment stood in for, the next one here, the level under the target:
  // the headroom the packets around it measured (without the wait) decides whether the ones
  // behind it need the frame the wait would add.
  PlayoutState s = playing();
  s.waited_ms = 20.0;
  s.following_stored = true;
  s.level_ms = 40.0;  // 20 left after dropping: under the 40 ms target
  s.headroom_ms = headroom_floor_ms(s.headroom_high_target_ms);
  EXPECT_EQ(decide(s), Operation::drop);
  s.headroom_ms -= 0.01;  // the hysteresis quantile is no longer covered: wait, play it
  EXPECT_NE(decide(s), Operation::drop);
  s.headroom_ms += 0.01;
  s.following_stored = false;  // dropping it would conceal the next frame too
  EXPECT_NE(decide(s), Operation::drop);
  s.following_stored = true;
  s.waited_ms = 17.5;  // covered only in part: its tail is still to be heard
  EXPECT_NE(decide(s), Operation::drop);
  s.waited_ms = 20.0;
  s.packet_ms = 10.0;  // shorter than a frame: its successor came with it, never a straggler
  EXPECT_NE(decide(s), Operation::drop);
}

TEST(JitterDecision, WithoutPullTimesTheLevelRulesApply) {
  PlayoutState s = playing();
  s.headroom_known = false;
  s.can_accelerate = true;
  s.can_expand = true;
  s.target_ms = 40.0;  // low 35 (target - 5 beats 3/4), high 55 (low + 20)
  EXPECT_DOUBLE_EQ(low_limit_ms(40.0), 35.0);
  EXPECT_DOUBLE_EQ(high_limit_ms(40.0, 20.0), 55.0);
  EXPECT_DOUBLE_EQ(low_limit_ms(100.0), 95.0);
  EXPECT_DOUBLE_EQ(low_limit_ms(12.0), 9.0);
  s.level_ms = s.filtered_level_ms = 55.0;
  EXPECT_EQ(decide(s), Operation::accelerate);
  s.filtered_level_ms = 50.0;  // both must agree: one burst does not trigger it
  EXPECT_EQ(decide(s), Operation::normal);
  s.level_ms = s.filtered_level_ms = 34.0;
  EXPECT_EQ(decide(s), Operation::preemptive_expand);
  s.last_was_stretch = true;  // never two in a row (the filter lags the change)
  EXPECT_EQ(decide(s), Operation::normal);
}

TEST(JitterDecision, NewTalkspurtStartsOnceEnoughOfItIsBuffered) {
  PlayoutState s = playing();
  s.packet_is_next = false;
  s.gap_is_dtx = true;
  s.gap_ms = 500.0;
  s.target_ms = 40.0;
  s.level_ms = 520.0;  // 20 ms of the talkspurt buffered
  EXPECT_EQ(decide(s), Operation::cng);
  s.level_ms = 540.0;  // the target's worth
  EXPECT_EQ(decide(s), Operation::rebase);
  // A talkspurt that arrived late is not held back longer than the target past the pause.
  s.level_ms = 520.0;
  s.waited_ms = 540.0;
  EXPECT_EQ(decide(s), Operation::rebase);
  // Concealment already running when the pause showed goes on until its limit.
  s.waited_ms = 20.0;
  EXPECT_EQ(decide(s), Operation::conceal);
}

TEST(JitterDecision, HoleBeforeTheNextPacketIsConcealedThenSkipped) {
  PlayoutState s = playing();
  s.packet_is_next = false;
  s.gap_ms = 40.0;  // two packets lost
  EXPECT_EQ(decide(s), Operation::conceal);
  s.waited_ms = 40.0;  // concealment covered the hole: move on to the packet
  EXPECT_EQ(decide(s), Operation::rebase);
  s.waited_ms = 0.0;
  s.fec_possible = true;  // the next packet carries the lost one (opus in-band FEC)
  EXPECT_EQ(decide(s), Operation::fec);
  s.waited_ms = 20.0;  // FEC only on the first step of a hole
  EXPECT_EQ(decide(s), Operation::conceal);
  // An outage or timestamp jump: concealed for kMaxConcealWaitMs (faded by then), then skipped.
  s.fec_possible = false;
  s.gap_ms = kMaxGapConcealMs + 20.0;
  s.waited_ms = kMaxConcealWaitMs - 2.5;
  EXPECT_EQ(decide(s), Operation::conceal);
  s.waited_ms = kMaxConcealWaitMs;
  EXPECT_EQ(decide(s), Operation::rebase);
}

}  // namespace
