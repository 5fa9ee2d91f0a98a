#include "sim/network_simulator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

namespace ivrmedia::sim {
namespace {

// One random stream per mechanism (see random_draws.hpp for why they are kept apart).
enum Stream : std::uint64_t { kLoss = 1, kJitter, kSpike, kReorder, kDuplicate };
// Draw slots within a spike-stream index: slot 0 decides a per-packet spike for packet i,
// slot 1 is the i-th gap of the Poisson spike process.
constexpr std::uint64_t kPerPacketSlot = 0, kPoissonGapSlot = 1;

// +-73000 years: the span between two send times, and every arrival, stay inside int64.
constexpr std::int64_t kMaxSendTimeUs = std::int64_t(1) << 61;

const NetworkConfig& validated(const NetworkConfig& c) {
  c.validate();
  return c;
}

}  // namespace

NetworkSimulator::NetworkSimulator(const NetworkConfig& config)
    : config_(validated(config)),
      loss_draws_(config.seed, kLoss),
      jitter_draws_(config.seed, kJitter),
      spike_draws_(config.seed, kSpike),
      reorder_draws_(config.seed, kReorder),
      duplicate_draws_(config.seed, kDuplicate) {}

void NetworkSimulator::reset() {
  const NetworkConfig config = config_;
  *this = NetworkSimulator(config);
}

std::int64_t NetworkSimulator::receiver_time(std::int64_t send_time_us) const noexcept {
  if (next_index_ == 0 || config_.clock_skew_ppm == 0) return send_time_us;
  // t_r = s0 + d * 1e6 / (1e6 + ppm) = s0 + d - d * ppm / (1e6 + ppm), d = s - s0. Only the
  // correction (at most 10 % of d) goes through a double, and it is recomputed from d for every
  // packet, so a three-hour call is as exact as its first second (error far below 1 us), and
  // the mapping never decreases (the rounded correction moves by at most 1 per microsecond).
  const std::int64_t d = send_time_us - origin_send_us_;
  const double ppm = config_.clock_skew_ppm;
  const auto correction = std::llround(double(d) * ppm / (1e6 + ppm));
  return origin_send_us_ + (d - correction);
}

std::uint64_t NetworkSimulator::send(std::span<const std::uint8_t> bytes,
                                     std::int64_t send_time_us) {
  if (send_time_us > kMaxSendTimeUs || send_time_us < -kMaxSendTimeUs) {
    throw std::invalid_argument("NetworkSimulator::send: send time beyond +-2^61 us");
  }
  if (next_index_ > 0 && send_time_us < last_send_us_) {
    throw std::invalid_argument("NetworkSimulator::send: send times must not decrease");
  }
  if (next_index_ == 0) origin_send_us_ = send_time_us;
  const std::int64_t t = receiver_time(send_time_us);
  const std::uint64_t index = next_index_++;
  if (index > 0 && t > last_receiver_send_us_) {
    recent_gaps_us_[recent_gap_count_++ % recent_gaps_us_.size()] = t - last_receiver_send_us_;
  }
  last_send_us_ = send_time_us;
  last_receiver_send_us_ = t;
  ++stats_.sent;

  // Spikes and the loss chain step for every packet, so their timing does not depend on
  // which packets happen to be lost.
  const std::int64_t spike = spike_extra_us(index, t);
  if (lose(index)) {
    ++stats_.lost;
    if (!previous_lost_) ++stats_.loss_bursts;
    previous_lost_ = true;
    return index;
  }
  previous_lost_ = false;

  std::int64_t arrival = t + config_.base_delay_us + jitter_us(index) + spike;
  if (config_.preserve_order && have_fifo_arrival_) {
    arrival = std::max(arrival, last_fifo_arrival_us_ + config_.min_arrival_spacing_us);
  }
  const bool reorder = config_.reorder_probability > 0 && index > 0 &&
                       reorder_draws_.uniform(index) < config_.reorder_probability;
  if (reorder) {
    // Half an interval past the depth-th later packet, so it lands between two of them
    // rather than on a tie; it left the queue, so nothing behind it waits for it.
    arrival += (2 * std::int64_t(config_.reorder_depth) + 1) * packet_interval_us() / 2;
  } else if (config_.preserve_order) {
    last_fifo_arrival_us_ = arrival;
    have_fifo_arrival_ = true;
  }

  const std::int64_t extra = arrival - t - config_.base_delay_us;
  extra_delay_sum_us_ += double(extra);
  ++extra_delay_count_;
  stats_.max_extra_delay_us = std::max(stats_.max_extra_delay_us, extra);

  Arrival a;
  a.arrival_time_us = arrival;
  a.send_time_us = send_time_us;
  a.index = index;
  a.bytes.assign(bytes.begin(), bytes.end());
  const bool duplicate = config_.duplicate_probability > 0 &&
                         duplicate_draws_.uniform(index, 0) < config_.duplicate_probability;
  if (duplicate) {
    Arrival copy = a;
    const double span = double(config_.duplicate_max_lag_us) + 1.0;
    const auto lag = std::min(config_.duplicate_max_lag_us,
                              std::int64_t(duplicate_draws_.uniform(index, 1) * span));
    copy.arrival_time_us += lag;
    copy.duplicate = true;
    schedule(std::move(a));
    schedule(std::move(copy));
    ++stats_.duplicated;
  } else {
    schedule(std::move(a));
  }
  return index;
}

std::int64_t NetworkSimulator::packet_interval_us() const noexcept {
  // The shortest of the last few gaps is the stream's ptime even across a silence (DTX) gap,
  // which would otherwise make one reordered packet seconds late.
  const std::size_t n = std::min(recent_gap_count_, recent_gaps_us_.size());
  if (n == 0) return 0;
  return *std::min_element(recent_gaps_us_.begin(), recent_gaps_us_.begin() + std::ptrdiff_t(n));
}

bool NetworkSimulator::lose(std::uint64_t index) {
  const GilbertElliott& g = config_.loss;
  const double u = loss_draws_.uniform(index, 0);
  if (index == 0) {
    in_bad_state_ = u < g.bad_state_share();  // start in the stationary distribution
  } else if (in_bad_state_) {
    in_bad_state_ = !(u < g.r_bad_to_good);
  } else {
    in_bad_state_ = u < g.p_good_to_bad;
  }
  // uniform() < 1 always, so a loss probability of 1 always loses and 0 never does.
  return loss_draws_.uniform(index, 1) < (in_bad_state_ ? g.loss_in_bad : g.loss_in_good);
}

std::int64_t NetworkSimulator::jitter_us(std::uint64_t index) const {
  double x = 0.0;
  switch (config_.jitter) {
    case JitterModel::none:
      return 0;
    case JitterModel::gaussian:
      x = config_.gaussian_mean_us + config_.gaussian_stddev_us * jitter_draws_.normal(index);
      break;
    case JitterModel::pareto: {
      if (config_.pareto_scale_us == 0) return 0;
      // Inverse CDF: U^(-1/shape) is Pareto with minimum 1; minus 1, scaled: Lomax.
      const double u = jitter_draws_.uniform(index);
      x = config_.pareto_scale_us * (portable_exp(-portable_log(u) / config_.pareto_shape) - 1.0);
      break;
    }
  }
  if (!(x > 0)) return 0;
  if (x >= double(config_.jitter_cap_us)) return config_.jitter_cap_us;
  return std::llround(x);
}

void NetworkSimulator::start_spike(std::int64_t at) {
  const std::int64_t length =
      config_.spike_shape == SpikeShape::ramp && config_.spike_duration_us == 0
          ? config_.spike_height_us
          : config_.spike_duration_us;
  spike_start_us_ = at;
  spike_end_us_ = at + length;
  ++stats_.spikes;
}

std::int64_t NetworkSimulator::spike_extra_us(std::uint64_t index, std::int64_t t) {
  if (config_.spike_rate_per_s > 0) {
    const auto gap = [this](std::uint64_t k) {
      const double us =
          spike_draws_.exponential(k, kPoissonGapSlot) * 1e6 / config_.spike_rate_per_s;
      // At least 1 us so the loop below always advances; at most an hour (a rate near 0).
      return std::clamp<std::int64_t>(std::llround(std::min(us, 3.6e9)), 1, 3'600'000'000);
    };
    if (index == 0) next_poisson_spike_us_ = t + gap(poisson_spikes_drawn_++);
    while (next_poisson_spike_us_ <= t) {
      if (next_poisson_spike_us_ >= spike_end_us_) start_spike(next_poisson_spike_us_);
      next_poisson_spike_us_ += gap(poisson_spikes_drawn_++);
    }
  }
  if (config_.spike_probability > 0 && t >= spike_end_us_ &&
      spike_draws_.uniform(index, kPerPacketSlot) < config_.spike_probability) {
    start_spike(t);
  }
  if (t < spike_start_us_ || t >= spike_end_us_) return 0;
  const std::int64_t height = config_.spike_height_us;
  if (config_.spike_shape == SpikeShape::plateau) return height;
  const std::int64_t left = spike_end_us_ - t;
  const std::int64_t length = spike_end_us_ - spike_start_us_;
  if (length == height) return left;  // a stall: everything held leaves at its end, exactly
  return std::llround(double(height) / double(length) * double(left));
}

void NetworkSimulator::schedule(Arrival&& a) {
  const std::int64_t at = a.arrival_time_us;
  queue_.push_back(InFlight{at, next_order_++, std::move(a)});
  std::push_heap(queue_.begin(), queue_.end(), Later{});
}

void NetworkSimulator::take(std::int64_t now_us, std::vector<Arrival>& out) {
  while (!queue_.empty() && queue_.front().arrival_us <= now_us) {
    std::pop_heap(queue_.begin(), queue_.end(), Later{});
    Arrival a = std::move(queue_.back().arrival);
    queue_.pop_back();
    ++stats_.delivered;
    if (!a.duplicate) {
      if (delivered_any_ && a.index < max_index_delivered_) {
        ++stats_.reordered;
      } else {
        max_index_delivered_ = a.index;
      }
      delivered_any_ = true;
    }
    out.push_back(std::move(a));
  }
}

std::vector<Arrival> NetworkSimulator::take(std::int64_t now_us) {
  std::vector<Arrival> out;
  take(now_us, out);
  return out;
}

std::vector<Arrival> NetworkSimulator::flush() {
  return take(std::numeric_limits<std::int64_t>::max());
}

std::vector<Arrival> NetworkSimulator::simulate(std::span<const SentPacket> packets) {
  for (const SentPacket& p : packets)
    send(p.bytes, p.send_time_us);
  return flush();
}

std::optional<std::int64_t> NetworkSimulator::next_arrival_us() const noexcept {
  if (queue_.empty()) return std::nullopt;
  return queue_.front().arrival_us;
}

NetworkStats NetworkSimulator::stats() const noexcept {
  NetworkStats s = stats_;
  s.mean_extra_delay_us =
      extra_delay_count_ > 0 ? extra_delay_sum_us_ / double(extra_delay_count_) : 0.0;
  return s;
}

std::vector<Arrival> simulate(const NetworkConfig& config, std::span<const SentPacket> packets) {
  NetworkSimulator net(config);
  return net.simulate(packets);
}

}  // namespace ivrmedia::sim
