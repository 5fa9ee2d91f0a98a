// Constant-delay playout in hindsight (see hindsight.hpp).
#include "hindsight.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ivrm_compare {

StaticLevels static_levels(const Trace& trace) {
  StaticLevels s;
  s.frames = static_cast<std::int64_t>(trace.packets_sent);
  s.first_delay_ms = static_cast<double>(trace.first_tick_us) / 1000.0;
  // The earliest copy of each packet: it is on time at level L when it arrived by tick k + L,
  // so count, per packet, the lowest level at which it is on time.
  std::vector<std::int64_t> arrival(trace.packets_sent, std::numeric_limits<std::int64_t>::max());
  for (const auto& a : trace.arrivals)
    arrival[a.index] = std::min(arrival[a.index], a.arrival_time_us);
  std::vector<std::int64_t> needs(kMaxLevels + 1, 0);  // packets first on time at each level
  std::int64_t lost = 0;
  for (std::size_t k = 0; k < arrival.size(); ++k) {
    if (arrival[k] == std::numeric_limits<std::int64_t>::max()) {
      ++lost;
      continue;
    }
    // Tick k + L is at first_tick + (k + L) * frame: on time from L = ceil(...) on.
    const double ticks =
        static_cast<double>(arrival[k] - trace.first_tick_us) / static_cast<double>(kFrameUs) -
        static_cast<double>(k);
    const auto level = static_cast<std::int64_t>(std::max(0.0, std::ceil(ticks)));
    ++needs[static_cast<std::size_t>(std::min<std::int64_t>(level, kMaxLevels))];
  }
  s.concealed.resize(kMaxLevels);
  std::int64_t late = static_cast<std::int64_t>(arrival.size()) - lost;
  for (int level = 0; level < kMaxLevels; ++level) {
    late -= needs[static_cast<std::size_t>(level)];
    s.concealed[static_cast<std::size_t>(level)] = lost + late;
  }
  return s;
}

bool hindsight_at_delay(const std::vector<StaticLevels>& calls, double delay_ms,
                        HindsightPoint* out) {
  // Vertices of the hull: for each exchange rate K (ms of delay per frame concealed), every
  // call takes the level minimizing frames * delay + K * concealed.
  std::vector<HindsightPoint> vertices;
  for (double k = 0.01; k < 1e7; k *= 1.05) {
    double delay_sum = 0.0, frames = 0.0, concealed = 0.0;
    for (const StaticLevels& c : calls) {
      int best = 0;
      double best_cost = std::numeric_limits<double>::infinity();
      for (int level = 0; level < kMaxLevels; ++level) {
        const double d = c.first_delay_ms + 20.0 * level;
        const double cost = static_cast<double>(c.frames) * d +
                            k * static_cast<double>(c.concealed[static_cast<std::size_t>(level)]);
        if (cost < best_cost) {
          best_cost = cost;
          best = level;
        }
      }
      delay_sum += static_cast<double>(c.frames) * (c.first_delay_ms + 20.0 * best);
      concealed += static_cast<double>(c.concealed[static_cast<std::size_t>(best)]);
      frames += static_cast<double>(c.frames);
    }
    if (frames <= 0) return false;
    vertices.push_back({100.0 * concealed / frames, delay_sum / frames});
  }
  // Between the vertex just below the delay and the one just above, time sharing.
  const HindsightPoint* below = nullptr;
  const HindsightPoint* above = nullptr;
  for (const HindsightPoint& v : vertices) {
    if (v.mean_delay_ms <= delay_ms &&
        (below == nullptr || v.conceal_percent < below->conceal_percent))
      below = &v;
    if (v.mean_delay_ms > delay_ms && (above == nullptr || v.mean_delay_ms < above->mean_delay_ms))
      above = &v;
  }
  if (below == nullptr) return false;
  *out = *below;
  if (above != nullptr && above->conceal_percent < below->conceal_percent) {
    const double t =
        (delay_ms - below->mean_delay_ms) / (above->mean_delay_ms - below->mean_delay_ms);
    out->conceal_percent =
        below->conceal_percent + t * (above->conceal_percent - below->conceal_percent);
    out->mean_delay_ms = delay_ms;
  }
  return true;
}

}  // namespace ivrm_compare
