// The best any buffer could do on these calls by holding a constant playout delay, chosen per
// call in hindsight: a bound that tells whether "less concealment at no more mean delay" than
// another buffer is reachable at all without predicting the network.
//
// With 20 ms packets pulled every 20 ms, a buffer holding packet k for `level` ticks plays it
// at tick k + level: its delay is the same for every packet (the tick phase plus whole frames)
// and it conceals every packet lost or arrived after that tick. Per call and level that is
// exact and needs no buffer. Choosing each call's level to minimize mean delay + K x
// concealment, over every exchange rate K, traces the lower convex hull of (mean delay,
// concealment) over all calls; switching level during a call (time sharing) reaches any point
// on the hull between two of its vertices. A causal buffer cannot beat this hull on networks
// whose delays are independent from packet to packet: it does not know in advance which level
// each call needs, and it pays (delay or concealment) for changing its mind. Where delays are
// correlated (stalls, congestion) a buffer that reacts can beat it.
#pragma once

#include <cstdint>
#include <vector>

#include "replay.hpp"

namespace ivrm_compare {

// One call's cost of each constant level: frames concealed (lost or late) per level.
struct StaticLevels {
  double first_delay_ms = 0.0;          // delay at level 0 (the tick phase)
  std::int64_t frames = 0;              // frames played: one per packet sent
  std::vector<std::int64_t> concealed;  // concealed[level], level 0 .. kMaxLevels - 1
};

inline constexpr int kMaxLevels = 100;  // 2 s

// Only for calls without clock drift (a constant delay needs one clock).
[[nodiscard]] StaticLevels static_levels(const Trace& trace);

struct HindsightPoint {
  double conceal_percent = 0.0;
  double mean_delay_ms = 0.0;
};

// The hull's least concealment (as a share of frames) at a mean delay of at most `delay_ms`
// over `calls`, or nothing below the shortest delay any choice reaches.
[[nodiscard]] bool hindsight_at_delay(const std::vector<StaticLevels>& calls, double delay_ms,
                                      HindsightPoint* out);

}  // namespace ivrm_compare
