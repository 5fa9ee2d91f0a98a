// The playout decision: a pure function from a plain description of the buffer's state to the
// one operation pull() performs next (NetEq's "decide, then do"). Keeping it free of state and
// side effects makes every rule testable with a hand-filled struct.
#pragma once

#include <cstdint>

namespace ivrmedia::jitter {

enum class Operation : std::int32_t {
  cng,                // nothing to play by design: silence / comfort noise for one frame
  normal,             // decode the next packet
  accelerate,         // decode it, then remove a pitch period
  preemptive_expand,  // decode it, then add a pitch period
  conceal,            // the next packet is missing or late: decoder concealment, one frame
  fec,                // the missing packet is recoverable from the next one's FEC
  rebase,             // move the playout point to the next packet (no audio made)
  drop,               // discard the next packet: concealment made while waiting for it stood in
                      // for all of it, the packet after it is here to play, and the packets
                      // behind it do not need the wait (decide() has the two cases)
};

struct PlayoutState {
  // Measurements first, flags after (packed: the struct is built on every decision).
  double gap_ms = 0.0;      // how far ahead of the playout point it starts (when later)
  double waited_ms = 0.0;   // concealment made at this playout point while waiting
  double packet_ms = 20.0;  // the next packet's duration
  double level_ms = 0.0;    // buffered audio ahead of the playout point
  double filtered_level_ms = 0.0;
  double target_ms = 0.0;
  // With pull times known (pull(out, now_us, ...)): the headroom the earliest packets have,
  // i.e. how long before its tick a packet arriving with zero relative delay would arrive
  // (filtered over recent packets), and the relative delay it must cover (the quantile).
  double headroom_ms = 0.0;
  double headroom_target_ms = 0.0;
  double headroom_high_target_ms = 0.0;  // a higher quantile: a whole frame of headroom is given
                                         // up only while it stays covered (hysteresis)
  // Audio that can be removed without a later packet falling due a tick earlier: the next
  // packet's offset into the frame that needs it (modulo the packet/frame common step). A
  // frame that starts inside the previous packet plays that packet's tail late for nothing.
  double slack_ms = 0.0;
  double frame_ms = 20.0;
  bool started = false;           // a packet has been played since creation / reset
  bool have_packet = false;       // a packet of the playing (or a later) generation is stored
  bool newer_generation = false;  // that packet belongs to a restarted stream
  bool packet_is_next = false;    // its timestamp is the playout point
  bool gap_is_dtx = false;        // no sequence number is missing: the sender paused (DTX, CN,
                                  // silence suppression) or jumped its timestamps
  bool fec_possible = false;      // the packet carries FEC for the gap (opus; gap <= its length)
  bool dtx_signalled = false;     // the last packet was comfort noise (RFC 3389)
  bool following_stored = false;  // the packet right after the next one is stored
  bool headroom_known = false;    // (see headroom_ms)
  bool trim_allowed = false;      // sub-frame trims have not been declined recently
  bool can_trim = false;          // 15 ms can be decoded ahead (a trim's pitch search uses history)
  bool can_accelerate = false;    // time stretching is on and 30 ms can be decoded ahead
  bool can_expand = false;        // time stretching is on and 15 ms can be decoded ahead
  bool last_was_stretch = false;  // the previous operation accelerated or expanded
};

// Concealment lasts at most this long while nothing arrives; then the stream is taken to be
// paused and silence follows (G.711 Appendix I has faded to silence after 60 ms anyway).
inline constexpr double kMaxConcealWaitMs = 100.0;
// A hole longer than this in front of the next packet is a timestamp jump or an outage: after
// kMaxConcealWaitMs of concealment (faded out by then) playout jumps to the packet instead of
// concealing the whole hole.
inline constexpr double kMaxGapConcealMs = 300.0;

// Headroom kept above the delay spread (absorbs the filter's lag and tick jitter). The minimum
// is small: the spread is already rounded up to the histogram's 0.25 ms, and with 0.5 ms a call
// with no jitter whose packets came 0.1-1.5 ms before a tick sat a whole frame higher.
inline constexpr double kHeadroomMarginMs = 2.0;
inline constexpr double kHeadroomMarginMinMs = 0.25;
inline constexpr double kHeadroomMarginShare = 0.1;
// The headroom the delay spread needs: the spread plus a margin growing with it.
[[nodiscard]] double headroom_floor_ms(double spread_ms) noexcept;
// The shortest slack worth trimming. Voiced audio loses whole pitch periods (2.5 ms at least),
// so it declines a shorter trim (and the buffer backs off); quiet audio loses any slack, and
// on jittery calls the slack left over after whole periods averages 0.2-0.3 ms of delay.
inline constexpr double kMinTrimMs = 0.5;

[[nodiscard]] Operation decide(const PlayoutState& s) noexcept;

// With headroom known: the most an accelerate decided on `s` may remove (ms) without taking the
// headroom below its floor: the slack plus every whole frame of headroom above the floor.
[[nodiscard]] double accelerate_limit_ms(const PlayoutState& s) noexcept;

// Bounds around the target the level may wander in before time stretching acts (low: the
// larger of NetEq's three quarters of the target and the target - 5 ms; high: the target, at
// least 20 ms (or a frame) above low).
[[nodiscard]] double low_limit_ms(double target_ms) noexcept;
[[nodiscard]] double high_limit_ms(double target_ms, double frame_ms) noexcept;

}  // namespace ivrmedia::jitter
