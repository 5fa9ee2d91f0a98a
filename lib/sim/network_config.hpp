// What a simulated network does to a packet stream: the settings of sim::NetworkSimulator and
// the named presets the jitter-buffer tests and benchmarks run. lib/sim/README.md describes the
// models and where the preset numbers come from.
//
// Units are in the field names; times are int64 microseconds (a three-hour call is 1.1e10 us,
// far inside int64 and exact in a double). All network time is the receiver's clock; only the
// send times handed to the simulator are on the sender's (see clock_skew_ppm).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "sim/gilbert_elliott.hpp"

namespace ivrmedia::sim {

enum class JitterModel {
  none,      // every packet takes the base delay
  gaussian,  // extra delay ~ Normal(gaussian_mean_us, gaussian_stddev_us), negatives become 0
  pareto,    // extra delay ~ Lomax: P(extra > x) = (1 + x / pareto_scale_us)^-pareto_shape
};

enum class SpikeShape {
  // The extra delay jumps to the height and falls back linearly over the duration. With the
  // duration equal to the height (or 0, meaning that) packets sent during the spike are held
  // and all arrive together when it ends: a link stall, such as a mobile handover, draining in
  // one burst. A longer duration drains gradually (arrival spacing shrunk by height/duration).
  ramp,
  // The extra delay is the height for the whole duration, then drops to 0 at once: a route
  // change to a slower path and back. When the network preserves order the packets behind the
  // last slow one queue up and drain in a burst; otherwise they overtake it.
  plateau,
};

struct NetworkConfig {
  std::uint64_t seed = 1;

  // --- Delay: base + jitter + spike (+ queueing behind earlier packets when order is kept) ---
  // Fixed one-way delay (propagation, serialization): the floor no packet goes below.
  std::int64_t base_delay_us = 20'000;
  JitterModel jitter = JitterModel::none;
  // Gaussian: keep the mean at >= 3 stddev for an unclipped bell; a smaller mean piles the
  // clipped draws up at the base delay (mean 0 puts half the packets there).
  double gaussian_mean_us = 0.0;
  double gaussian_stddev_us = 0.0;
  // Pareto (Lomax, a Pareto of minimum `scale` shifted down by `scale`, so the fastest packets
  // see the base delay): mean scale / (shape - 1) for shape > 1, finite variance for shape > 2,
  // quantile q at scale * ((1 - q)^(-1/shape) - 1). Heavy-tailed queueing delay.
  double pareto_scale_us = 0.0;
  double pareto_shape = 2.0;
  // No jitter draw exceeds this: a shape <= 1 Pareto has an infinite mean, and a simulator that
  // delays one packet by a day helps no test.
  std::int64_t jitter_cap_us = 2'000'000;

  // A single FIFO path (a queue): no packet arrives before one sent earlier, so jitter and
  // spikes delay the packets behind and never reorder them. False: every packet travels on its
  // own, and jitter larger than the packet spacing reorders.
  bool preserve_order = true;
  // With preserve_order, consecutive arrivals are at least this far apart (the bottleneck's
  // serialization time; 0 lets a drained burst arrive in the same microsecond).
  std::int64_t min_arrival_spacing_us = 0;

  // --- Explicit reordering: a packet takes a slower path and arrives after the next
  // `reorder_depth` packets. It gets (depth + 1/2) packet intervals of extra delay (the interval
  // being the shortest of the last 8 non-zero send gaps: the ptime, even after a silence) and
  // leaves the FIFO path, so nothing queues behind it. Never the first packet.
  double reorder_probability = 0.0;
  int reorder_depth = 1;  // 1-1000

  // --- Delay spikes: one at a time; a trigger during a spike is ignored ---
  double spike_probability = 0.0;  // per packet sent, starting at that packet
  double spike_rate_per_s = 0.0;   // Poisson process on the network's clock
  std::int64_t spike_height_us = 0;
  std::int64_t spike_duration_us = 0;  // ramp: >= height, 0 = height; plateau: > 0
  SpikeShape spike_shape = SpikeShape::ramp;

  // --- Loss (Gilbert-Elliott; the default never loses a packet) ---
  GilbertElliott loss;

  // --- Duplication: a copy arrives 0..duplicate_max_lag_us (uniform) after the original ---
  double duplicate_probability = 0.0;
  std::int64_t duplicate_max_lag_us = 0;

  // --- Clock skew: how much faster the sender's clock runs than the receiver's, in parts per
  // million. +10000 (+1 %): 20 ms of sender clock last 19.802 ms at the receiver, so packets
  // come 1 % too fast for its playout clock. Send time s maps to receiver time
  // s0 + (s - s0) * 1e6 / (1e6 + ppm), s0 being the first packet's send time; computed from
  // s - s0 each time, never accumulated, so hours of drift carry no rounding build-up. Limited
  // to +-100000 (10 %).
  double clock_skew_ppm = 0.0;

  // Throws std::invalid_argument (a Python ValueError through pybind11) naming the first field
  // out of range: negative times, probabilities outside [0, 1], a ramp shorter than its
  // height, and so on.
  void validate() const;
};

// The network models the jitter-buffer comparison runs (numbers in lib/sim/README.md).
enum class Preset {
  ideal,               // base delay only
  wired,               // managed wired access: ~1.5 ms Gaussian jitter, rare single losses
  wifi,                // contention jitter, power-save/scan spikes, some loss
  mobile_lte,          // scheduling jitter, handover stalls of ~70 ms drained in a burst
  mobile_3g_handover,  // large jitter, 400 ms stalls drained in a burst, burst loss
  congested,           // Pareto heavy tail, reordering, duplicates, burst loss
  bursty_loss,         // moderate jitter, 5 % loss in bursts of 4
};
inline constexpr std::array<Preset, 7> kAllPresets = {Preset::ideal,
                                                      Preset::wired,
                                                      Preset::wifi,
                                                      Preset::mobile_lte,
                                                      Preset::mobile_3g_handover,
                                                      Preset::congested,
                                                      Preset::bursty_loss};

[[nodiscard]] NetworkConfig preset(Preset which, std::uint64_t seed = 1);
[[nodiscard]] std::string_view preset_name(Preset which) noexcept;  // "mobile_lte", ...
[[nodiscard]] std::optional<Preset> preset_from_name(std::string_view name) noexcept;

}  // namespace ivrmedia::sim
