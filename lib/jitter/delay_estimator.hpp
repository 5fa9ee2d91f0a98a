// Target playout delay from the history of packet delays, the NetEq way.
//
// Each packet's transit delay is its arrival time minus its RTP timestamp in milliseconds (up
// to an unknown constant). Its *relative* delay is that minus the smallest transit delay of the
// packets that arrived in the last `window_ms` (2 s): the earliest packets of the recent past
// define zero, so a slow clock drift between sender and receiver does not look like jitter.
// That minimum is an extreme of a hundred draws: it drops when an early packet comes and jumps
// back up 2 s later when that packet leaves the window. The zero actually used follows it down
// at once and back up slowly (an exponential average over `reference_smoothing_ms`), never more
// than `reference_band_ms` below it, so a drift still moves the zero within a few milliseconds.
// Why: the buffer compares each packet's headroom, measured against the zero of the moment,
// with quantiles of delays measured against it over the last tens of seconds; a zero that
// jumps reads as headroom lost or gained, and moved the buffer a whole frame up or down for
// nothing (mobile_lte: up to a quarter of a call a frame above the level it needed).
// Relative delays go into a histogram of `bucket_ms` buckets with exponential forgetting (each
// new packet weighs 1 - forget_factor of the total; the first packets weigh more so the
// histogram is meaningful from the start), and the delay below which `quantile` of the mass
// lies is what the buffer must cover.
//
// Cost: O(1) per packet and per query: the forgetting is applied by growing the new packets'
// weight instead of shrinking every bucket (renormalized rarely), and the quantile's bucket is
// walked from where it was, a step or two per packet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace ivrmedia::jitter {

class DelayEstimator {
 public:
  struct Config {
    double quantile = 0.95;
    double forget_factor = 0.9993;  // per packet; ~990 packets (20 s at 20 ms) half-life
    double bucket_ms = 0.25;        // fine enough that a call with no jitter needs no headroom
    int max_delay_ms = 2000;        // histogram range; larger delays land in the last bucket
    int window_ms = 2000;           // window of the minimum transit delay
    double reference_smoothing_ms = 6000.0;  // time constant of the zero's average
    double reference_band_ms = 3.0;          // the zero stays within this below the minimum
  };

  explicit DelayEstimator(const Config& config);

  // One packet of the stream: its extended RTP timestamp (units of clock_hz) and arrival.
  void update(std::int64_t timestamp, int clock_hz, std::int64_t arrival_us) noexcept;
  // The stream restarted (new source, timestamp jump): new transit reference, history kept.
  void restart() noexcept;
  // Forgets everything.
  void reset() noexcept;

  // Relative delay (ms) covering `quantile` of the packets; 0 before any packet.
  [[nodiscard]] double quantile_ms() const noexcept { return walker_ms(q_); }
  // The same for the higher quantile 1 - (1 - quantile) / 2 (0.975 for 0.95): what the buffer
  // must still cover before it gives up a whole frame of delay (hysteresis).
  [[nodiscard]] double high_quantile_ms() const noexcept { return walker_ms(high_); }
  // The last packet's relative delay (ms).
  [[nodiscard]] double last_relative_ms() const noexcept { return last_relative_ms_; }
  [[nodiscard]] std::int64_t packets() const noexcept { return packets_; }

 private:
  struct Sample {
    std::int64_t arrival_us;
    double transit_ms;
  };
  inline void push_window(const Sample& s) noexcept;

  Config config_;
  std::size_t buckets_;
  double per_bucket_;        // 1 / bucket_ms
  double per_smoothing_ms_;  // 1 / reference_smoothing_ms
  std::unique_ptr<double[]> histogram_;
  double total_ = 0.0;
  // A quantile walked along the histogram: the bucket holding it and the mass up to it.
  struct Walker {
    double quantile = 0.95;
    std::size_t index = 0;  // bucket holding the quantile
    double cum = 0.0;       // mass of buckets 0..index
  };
  void add_to(Walker& w, std::size_t bucket, double weight) const noexcept;
  void walk(Walker& w) const noexcept;
  [[nodiscard]] double walker_ms(const Walker& w) const noexcept {
    if (total_ <= 0.0) return 0.0;
    return static_cast<double>(w.index + 1) * config_.bucket_ms;
  }
  Walker q_;
  Walker high_;
  std::int64_t packets_ = 0;
  std::int64_t startup_packets_ = 0;  // packets after which the forget factor is constant
  double growth_ = 0.0;               // (1 - forget) / forget
  bool have_reference_ = false;
  std::int64_t reference_timestamp_ = 0;
  int reference_clock_hz_ = 8000;
  std::int64_t reference_arrival_us_ = 0;
  double last_relative_ms_ = 0.0;
  double reference_ms_ = 0.0;  // the zero of relative delays (smoothed window minimum)
  std::int64_t reference_updated_us_ = 0;
  // Monotonic queue of (arrival, transit): transit increasing from front to back, so the
  // front is the window's minimum.
  static constexpr std::size_t kWindowCapacity = 1024;
  std::unique_ptr<Sample[]> window_;
  std::size_t window_head_ = 0;
  std::size_t window_count_ = 0;
};

}  // namespace ivrmedia::jitter
