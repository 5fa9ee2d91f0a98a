// Network simulator: turns a packet stream, stamped with send times on the sender's clock, into
// arrivals on the receiver's clock: base delay, Gaussian or Pareto jitter, delay spikes with
// burst drain, Gilbert-Elliott burst loss, reordering, duplicates and clock skew (settings in
// sim/network_config.hpp). Seeded and reproducible: identical seeds and inputs give identical
// arrivals on every platform, whether packets are sent one at a time or all at once.
//
// For tests, benchmarks, the replay tool and Python; not real-time code (it allocates). Use:
//
//   sim::NetworkSimulator net(sim::preset(sim::Preset::mobile_lte, seed));
//   for (each 10 ms tick `now` of the receiver) {
//     while (next packet's net.receiver_time(send_us) <= now) net.send(bytes, send_us);
//     for (const sim::Arrival& a : net.take(now)) jitter_buffer.push(a.bytes, a.arrival_time_us);
//     ...
//   }
//
// or, with the whole stream at hand, `sim::simulate(config, packets)`.
//
// How a packet's arrival is made (all on the receiver's clock, t = receiver_time(send time)):
//   1. the Gilbert-Elliott chain steps; a lost packet stops here;
//   2. arrival = t + base delay + jitter draw + the active spike's extra delay at t;
//   3. preserving order: arrival = max(arrival, previous arrival + min_arrival_spacing_us);
//   4. a packet picked for reordering gets (depth + 1/2) packet intervals more, off the FIFO;
//   5. a duplicate follows 0..duplicate_max_lag_us later.
// Each mechanism draws from its own random stream keyed by the packet's index, so turning one
// on or off leaves the others' draws unchanged (a loss-free and a lossy run see the same
// jitter); spikes and the loss chain step for every packet, lost or not.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "sim/network_config.hpp"
#include "sim/random_draws.hpp"

namespace ivrmedia::sim {

struct SentPacket {
  std::vector<std::uint8_t> bytes;
  std::int64_t send_time_us = 0;  // sender's clock
};

struct Arrival {
  std::int64_t arrival_time_us = 0;  // receiver's clock
  std::int64_t send_time_us = 0;     // as given to send() (sender's clock)
  std::uint64_t index = 0;           // 0 for the first packet sent, 1 for the next, ...
  std::vector<std::uint8_t> bytes;   // a copy of the packet
  bool duplicate = false;            // a second copy of packet `index`
};

// What the simulator did. Counters are lifetime totals since creation or reset().
struct NetworkStats {
  std::uint64_t sent = 0;
  std::uint64_t lost = 0;
  std::uint64_t loss_bursts = 0;  // runs of consecutive lost packets: lost / loss_bursts = mean run
  std::uint64_t duplicated = 0;
  std::uint64_t spikes = 0;  // spikes started
  // Delivered (taken) packets that arrived after a packet sent later (RFC 4737's reordered
  // packets: index below the highest index delivered before); duplicates not counted.
  std::uint64_t reordered = 0;
  std::uint64_t delivered = 0;  // arrivals taken, duplicates included
  // Delay beyond the base delay (jitter + spike + queueing + reordering) of every packet not
  // lost, counted when sent; receiver's clock.
  double mean_extra_delay_us = 0.0;
  std::int64_t max_extra_delay_us = 0;
};

class NetworkSimulator {
 public:
  // Throws std::invalid_argument for a config that validate() rejects.
  explicit NetworkSimulator(const NetworkConfig& config);
  NetworkSimulator(NetworkSimulator&&) noexcept = default;
  NetworkSimulator& operator=(NetworkSimulator&&) noexcept = default;
  NetworkSimulator(const NetworkSimulator&) = delete;
  NetworkSimulator& operator=(const NetworkSimulator&) = delete;

  // Sends one packet at `send_time_us` on the sender's clock (the first packet's send time is
  // where both clocks agree). Send times must not decrease: throws std::invalid_argument
  // otherwise, or beyond +-2^61 us. Returns the packet's index.
  std::uint64_t send(std::span<const std::uint8_t> bytes, std::int64_t send_time_us);

  // Appends to `out` (or returns) every arrival with arrival_time_us <= now_us not taken yet,
  // in arrival order (ties in the order they were made: an original before its duplicate).
  // Complete once every packet whose receiver_time() is <= now_us has been sent: no packet
  // arrives before it is sent.
  void take(std::int64_t now_us, std::vector<Arrival>& out);
  [[nodiscard]] std::vector<Arrival> take(std::int64_t now_us);
  // Everything still in flight, in arrival order (end of stream).
  [[nodiscard]] std::vector<Arrival> flush();
  // Sends all of `packets`, then flushes: the whole stream's arrivals, sorted.
  [[nodiscard]] std::vector<Arrival> simulate(std::span<const SentPacket> packets);

  // Arrival time of the next packet in flight, if any (for event-driven loops).
  [[nodiscard]] std::optional<std::int64_t> next_arrival_us() const noexcept;
  [[nodiscard]] std::size_t in_flight() const noexcept { return queue_.size(); }
  // The receiver's clock reading when the sender's clock reads `send_time_us` (clock skew).
  // Before the first send, the clocks agree at `send_time_us` itself.
  [[nodiscard]] std::int64_t receiver_time(std::int64_t send_time_us) const noexcept;

  [[nodiscard]] const NetworkConfig& config() const noexcept { return config_; }
  [[nodiscard]] NetworkStats stats() const noexcept;
  // Back to the state after construction (same seed: the same arrivals again).
  void reset();

 private:
  static constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::min();

  struct InFlight {
    std::int64_t arrival_us;
    std::uint64_t order;  // creation order: ties leave in it
    Arrival arrival;
  };
  struct Later {
    bool operator()(const InFlight& a, const InFlight& b) const noexcept {
      return a.arrival_us != b.arrival_us ? a.arrival_us > b.arrival_us : a.order > b.order;
    }
  };

  bool lose(std::uint64_t index);
  std::int64_t jitter_us(std::uint64_t index) const;
  std::int64_t spike_extra_us(std::uint64_t index, std::int64_t t);
  void start_spike(std::int64_t at);
  std::int64_t packet_interval_us() const noexcept;
  void schedule(Arrival&& a);

  NetworkConfig config_;
  RandomDraws loss_draws_, jitter_draws_, spike_draws_, reorder_draws_, duplicate_draws_;

  // Stream state (reset() clears it).
  std::vector<InFlight> queue_;  // a heap ordered by Later
  std::uint64_t next_index_ = 0;
  std::uint64_t next_order_ = 0;
  std::int64_t origin_send_us_ = 0;  // first send time: both clocks agree there
  std::int64_t last_send_us_ = 0;
  std::int64_t last_receiver_send_us_ = 0;
  std::array<std::int64_t, 8> recent_gaps_us_{};  // non-zero send gaps, receiver's clock
  std::size_t recent_gap_count_ = 0;
  std::int64_t last_fifo_arrival_us_ = 0;
  bool have_fifo_arrival_ = false;
  bool in_bad_state_ = false;
  bool previous_lost_ = false;
  std::int64_t spike_start_us_ = kNever;
  std::int64_t spike_end_us_ = kNever;  // no spike active at or after this time
  std::int64_t next_poisson_spike_us_ = 0;
  std::uint64_t poisson_spikes_drawn_ = 0;
  std::uint64_t max_index_delivered_ = 0;
  bool delivered_any_ = false;
  NetworkStats stats_;
  double extra_delay_sum_us_ = 0.0;
  std::uint64_t extra_delay_count_ = 0;
};

// One-call form: a fresh simulator over the whole stream.
[[nodiscard]] std::vector<Arrival> simulate(const NetworkConfig& config,
                                            std::span<const SentPacket> packets);

}  // namespace ivrmedia::sim
