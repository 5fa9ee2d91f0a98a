// Relative-delay histogram with forgetting (see delay_estimator.hpp).
#include "jitter/delay_estimator.hpp"

#include <algorithm>

namespace ivrmedia::jitter {

DelayEstimator::DelayEstimator(const Config& config)
    : config_(config),
      buckets_(static_cast<std::size_t>(config.max_delay_ms / config.bucket_ms) + 1),
      per_bucket_(1.0 / config.bucket_ms),
      per_smoothing_ms_(1.0 / config.reference_smoothing_ms),
      histogram_(std::make_unique<double[]>(buckets_)),
      window_(std::make_unique<Sample[]>(kWindowCapacity)) {
  // The start-up forget 1 - 1/(n+1) stays below forget_factor until n + 1 reaches
  // 1 / (1 - forget_factor); past that the constant applies.
  startup_packets_ = static_cast<std::int64_t>(1.0 / (1.0 - config_.forget_factor)) + 1;
  growth_ = (1.0 - config_.forget_factor) / config_.forget_factor;
  reset();
}

void DelayEstimator::reset() noexcept {
  std::fill(histogram_.get(), histogram_.get() + buckets_, 0.0);
  total_ = 0.0;
  q_ = Walker{config_.quantile};
  high_ = Walker{1.0 - (1.0 - config_.quantile) / 2.0};
  packets_ = 0;
  last_relative_ms_ = 0.0;
  restart();
}

void DelayEstimator::restart() noexcept {
  have_reference_ = false;
  window_head_ = 0;
  window_count_ = 0;
}

inline void DelayEstimator::push_window(const Sample& s) noexcept {
  // Drop entries that left the window, and those no smaller than the newcomer (they can never
  // be the minimum again).
  const std::int64_t horizon = s.arrival_us - std::int64_t{config_.window_ms} * 1000;
  while (window_count_ > 0 && window_[window_head_].arrival_us < horizon) {
    window_head_ = (window_head_ + 1) % kWindowCapacity;
    --window_count_;
  }
  while (window_count_ > 0 &&
         window_[(window_head_ + window_count_ - 1) % kWindowCapacity].transit_ms >= s.transit_ms) {
    --window_count_;
  }
  if (window_count_ == kWindowCapacity) {  // a flood within one window: forget the oldest
    window_head_ = (window_head_ + 1) % kWindowCapacity;
    --window_count_;
  }
  window_[(window_head_ + window_count_) % kWindowCapacity] = s;
  ++window_count_;
}

void DelayEstimator::update(std::int64_t timestamp, int clock_hz,
                            std::int64_t arrival_us) noexcept {
  const bool fresh = !have_reference_ || clock_hz != reference_clock_hz_;
  if (fresh) {
    have_reference_ = true;
    reference_timestamp_ = timestamp;
    reference_clock_hz_ = clock_hz;
    reference_arrival_us_ = arrival_us;
    window_head_ = 0;
    window_count_ = 0;
  }
  const double transit_ms =
      static_cast<double>(arrival_us - reference_arrival_us_) / 1000.0 -
      static_cast<double>(timestamp - reference_timestamp_) * 1000.0 / clock_hz;
  push_window({arrival_us, transit_ms});
  const double minimum = window_[window_head_].transit_ms;
  if (fresh) {
    reference_ms_ = minimum;
  } else {
    const double elapsed_ms = static_cast<double>(arrival_us - reference_updated_us_) / 1000.0;
    const double step = std::clamp(elapsed_ms * per_smoothing_ms_, 0.0, 1.0);
    reference_ms_ = std::clamp(reference_ms_ + step * (minimum - reference_ms_),
                               minimum - config_.reference_band_ms, minimum);
  }
  reference_updated_us_ = arrival_us;
  const double relative = std::max(0.0, transit_ms - reference_ms_);
  last_relative_ms_ = relative;

  // Forgetting by growing the weight of new packets: after n packets, a packet's weight
  // relative to the newest is forget^age, as if every bucket were multiplied by forget. The
  // first packets use a smaller effective forget (1 - 1/(n+1)) so early estimates are the plain
  // average rather than dominated by the empty start.
  ++packets_;
  // Weight such that the new packet carries (1 - forget) of the total mass. (Once the start-up
  // is over the factor is a constant: no division per packet.)
  double weight = 1.0;
  if (packets_ > startup_packets_) {
    weight = total_ * growth_;
  } else if (total_ > 0.0) {
    const double startup = 1.0 - 1.0 / static_cast<double>(packets_ + 1);
    const double forget = std::min(config_.forget_factor, startup);
    weight = total_ * (1.0 - forget) / forget;
  }
  const double scaled = relative * per_bucket_;
  const auto bucket = std::min(buckets_ - 1, static_cast<std::size_t>(scaled));
  histogram_[bucket] += weight;
  total_ += weight;
  add_to(q_, bucket, weight);
  add_to(high_, bucket, weight);
  if (total_ > 1e200) {  // renormalize long before overflow
    const double scale = 1.0 / total_;
    for (std::size_t i = 0; i < buckets_; ++i)
      histogram_[i] *= scale;
    for (Walker* w : {&q_, &high_}) {
      w->cum = 0.0;
      for (std::size_t i = 0; i <= w->index; ++i)
        w->cum += histogram_[i];
    }
    total_ = 1.0;
  }
  walk(q_);
  walk(high_);
}

void DelayEstimator::add_to(Walker& w, std::size_t bucket, double weight) const noexcept {
  if (bucket <= w.index) w.cum += weight;
}

// The quantile moves a bucket or two per packet at most: walk it, O(1) amortized, instead of
// summing the histogram on every query (w.cum is the mass of buckets 0..w.index).
void DelayEstimator::walk(Walker& w) const noexcept {
  const double goal = w.quantile * total_;
  while (w.cum < goal && w.index + 1 < buckets_)
    w.cum += histogram_[++w.index];
  while (w.index > 0 && w.cum - histogram_[w.index] >= goal)
    w.cum -= histogram_[w.index--];
}

}  // namespace ivrmedia::jitter
