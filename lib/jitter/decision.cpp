// Playout decision rules (see decision.hpp).
#include "jitter/decision.hpp"

#include <algorithm>
#include <cmath>

namespace ivrmedia::jitter {

double low_limit_ms(double target_ms) noexcept {
  // NetEq's three quarters of the target, but never more than 5 ms below it: the level is
  // measured in whole packets, so with small targets a quarter is a packet's worth and a slow
  // sender clock would drain the buffer before the level ever read below it.
  return std::max(0.75 * target_ms, target_ms - 5.0);
}

double high_limit_ms(double target_ms, double frame_ms) noexcept {
  return std::max(target_ms, low_limit_ms(target_ms) + std::max(20.0, frame_ms));
}

double headroom_floor_ms(double spread_ms) noexcept {
  return spread_ms +
         std::clamp(kHeadroomMarginShare * spread_ms, kHeadroomMarginMinMs, kHeadroomMarginMs);
}

double accelerate_limit_ms(const PlayoutState& s) noexcept {
  if (s.headroom_ms < headroom_floor_ms(s.headroom_target_ms)) return 0.0;
  const double spare = s.headroom_ms - headroom_floor_ms(s.headroom_high_target_ms);
  return s.slack_ms + (spare > 0.0 ? s.frame_ms * std::floor(spare / s.frame_ms) : 0.0);
}

Operation decide(const PlayoutState& s) noexcept {
  if (!s.started) {
    // Start with the first packet (a frame's worth): the target means little before the
    // histogram has seen packets, and waiting for it costs every call its start-up delay.
    // Jitter that shows up later grows the delay by concealment-while-waiting instead.
    if (s.have_packet && s.level_ms >= std::min(s.target_ms, s.frame_ms)) return Operation::rebase;
    return Operation::cng;
  }
  if (!s.have_packet) {
    // Nothing stored: the next packet is late, lost, or the sender paused. Conceal for a
    // while (a late packet still plays), then fall silent.
    if (s.dtx_signalled || s.waited_ms >= kMaxConcealWaitMs) return Operation::cng;
    return Operation::conceal;
  }
  if (s.newer_generation) return Operation::rebase;  // the old stream has drained
  if (s.packet_is_next) {
    // It came after concealment had stood in for all of it, and the next one is here too:
    // playing it now would keep the whole wait as delay, and what was concealed is the same
    // either way. Drop it, as a late packet, and play on from the next one, when the packets
    // after it do not need the wait: the buffer stays at its target without it (a stall
    // drained in a burst), or the headroom the packets around it left (measured without the
    // wait) still covers the hysteresis quantile (a straggler: the buffer was where it meant
    // to be). Otherwise it plays, and the frame the wait added protects the packets behind it
    // (under FIFO delivery they are often late too). Packets shorter than a frame are never
    // stragglers: one frame's wait covers two of them, the second is here as soon as the first
    // (so it tells nothing), and a shift that makes every packet a few ms late (a ptime change)
    // would drop them pair after pair while the headroom filter catches up.
    if (s.waited_ms >= s.packet_ms && s.following_stored &&
        (s.level_ms - s.packet_ms >= s.target_ms ||
         (s.headroom_known && s.packet_ms >= s.frame_ms &&
          s.headroom_ms >= headroom_floor_ms(s.headroom_high_target_ms)))) {
      return Operation::drop;
    }
    if (s.headroom_known) {
      // Output goes in whole frames, so the headroom moves in whole frames: a packet is due at
      // the tick whose frame holds its first sample. Expand while the headroom is under what
      // the delay spread needs; accelerate while a whole frame of it is spare; and trim the
      // slack (the next packet starts inside its frame, so the frame's head waits for nothing)
      // whenever the headroom is enough, which lowers the delay without moving any packet's tick.
      // Phase-aware: the level seen at a tick cannot tell a packet that arrived just before it
      // from one that arrived just after the previous tick, so a slow sender clock would drain
      // the buffer unseen. The headroom can.
      const double floor_ms = headroom_floor_ms(s.headroom_target_ms);
      if (s.headroom_ms < floor_ms) {
        return s.can_expand ? Operation::preemptive_expand : Operation::normal;
      }
      if ((s.can_accelerate && s.headroom_ms >= headroom_floor_ms(s.headroom_high_target_ms) +
                                                    std::max(20.0, s.frame_ms)) ||
          (s.can_trim && s.trim_allowed && s.slack_ms >= kMinTrimMs)) {
        return Operation::accelerate;
      }
      return Operation::normal;
    }
    // Level-based (pull times unknown): both the filtered and the instant level must agree, so
    // one burst does not trigger it, and not twice in a row (the filter lags the change).
    if (s.last_was_stretch) return Operation::normal;
    const double high = high_limit_ms(s.target_ms, s.frame_ms);
    const double low = low_limit_ms(s.target_ms);
    if (s.can_accelerate && s.filtered_level_ms >= high && s.level_ms >= high) {
      return Operation::accelerate;
    }
    if (s.can_expand && s.filtered_level_ms < low && s.level_ms < low) {
      return Operation::preemptive_expand;
    }
    return Operation::normal;
  }
  // The next stored packet starts later than the playout point.
  if (s.gap_is_dtx) {
    // A new talkspurt: start it once enough of it is buffered (re-adapting the delay here costs
    // nothing audible), meanwhile silence.
    // (`waited_ms` counts the silence already played at this point; a talkspurt that arrived
    // late is not held back longer than the target once the pause is over.)
    if (s.level_ms - s.gap_ms >= s.target_ms || s.waited_ms >= s.gap_ms + s.target_ms) {
      return Operation::rebase;
    }
    return s.waited_ms > 0.0 && !s.dtx_signalled && s.waited_ms < kMaxConcealWaitMs
               ? Operation::conceal
               : Operation::cng;
  }
  // Packets are missing before it. Concealment made while waiting covers the hole first.
  if (s.waited_ms >= s.gap_ms) return Operation::rebase;
  if (s.gap_ms > kMaxGapConcealMs && s.waited_ms >= kMaxConcealWaitMs) return Operation::rebase;
  if (s.fec_possible && s.waited_ms == 0.0) return Operation::fec;
  return Operation::conceal;
}

}  // namespace ivrmedia::jitter
