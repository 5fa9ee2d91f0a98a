#include "sim/network_config.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace ivrmedia::sim {
namespace {

// Bounds that keep every sum of times far from int64 overflow and catch unit mistakes
// (milliseconds typed into a microsecond field gives a tiny value; seconds into one, a huge one).
constexpr std::int64_t kMaxTimeUs = 3'600'000'000;  // one hour
constexpr double kMaxSkewPpm = 100'000;             // 10 %

void require(bool ok, const char* field, const char* rule) {
  if (!ok) throw std::invalid_argument(std::string("NetworkConfig.") + field + ": " + rule);
}
bool time_ok(std::int64_t t) {
  return t >= 0 && t <= kMaxTimeUs;
}
bool probability_ok(double x) {
  return std::isfinite(x) && x >= 0 && x <= 1;
}

}  // namespace

void NetworkConfig::validate() const {
  require(time_ok(base_delay_us), "base_delay_us", "must be 0 to 1 hour");
  require(jitter == JitterModel::none || jitter == JitterModel::gaussian ||
              jitter == JitterModel::pareto,
          "jitter", "unknown model");
  require(std::isfinite(gaussian_mean_us) && std::fabs(gaussian_mean_us) <= double(kMaxTimeUs),
          "gaussian_mean_us", "must be finite, within +-1 hour");
  require(std::isfinite(gaussian_stddev_us) && gaussian_stddev_us >= 0 &&
              gaussian_stddev_us <= double(kMaxTimeUs),
          "gaussian_stddev_us", "must be 0 to 1 hour");
  require(std::isfinite(pareto_scale_us) && pareto_scale_us >= 0 &&
              pareto_scale_us <= double(kMaxTimeUs),
          "pareto_scale_us", "must be 0 to 1 hour");
  require(std::isfinite(pareto_shape) && pareto_shape > 0 && pareto_shape <= 1000, "pareto_shape",
          "must be in (0, 1000]");
  require(time_ok(jitter_cap_us), "jitter_cap_us", "must be 0 to 1 hour");
  require(min_arrival_spacing_us >= 0 && min_arrival_spacing_us <= 1'000'000,
          "min_arrival_spacing_us", "must be 0 to 1 second");
  require(probability_ok(reorder_probability), "reorder_probability", "must be in [0, 1]");
  require(reorder_depth >= 1 && reorder_depth <= 1000, "reorder_depth", "must be 1 to 1000");
  require(probability_ok(spike_probability), "spike_probability", "must be in [0, 1]");
  require(std::isfinite(spike_rate_per_s) && spike_rate_per_s >= 0 && spike_rate_per_s <= 1000,
          "spike_rate_per_s", "must be 0 to 1000");
  require(time_ok(spike_height_us), "spike_height_us", "must be 0 to 1 hour");
  require(time_ok(spike_duration_us), "spike_duration_us", "must be 0 to 1 hour");
  require(spike_shape == SpikeShape::ramp || spike_shape == SpikeShape::plateau, "spike_shape",
          "unknown shape");
  if (spike_shape == SpikeShape::ramp) {
    // A ramp falling faster than time passes would let a later packet overtake an earlier one
    // inside the spike, which no queue does.
    require(spike_duration_us == 0 || spike_duration_us >= spike_height_us, "spike_duration_us",
            "a ramp must last at least its height (0 means equal to it)");
  } else {
    require(spike_duration_us > 0 || (spike_probability == 0 && spike_rate_per_s == 0),
            "spike_duration_us", "a plateau needs a duration");
  }
  loss.validate();
  require(probability_ok(duplicate_probability), "duplicate_probability", "must be in [0, 1]");
  require(time_ok(duplicate_max_lag_us), "duplicate_max_lag_us", "must be 0 to 1 hour");
  require(std::isfinite(clock_skew_ppm) && std::fabs(clock_skew_ppm) <= kMaxSkewPpm,
          "clock_skew_ppm", "must be within +-100000 (10 %)");
}

}  // namespace ivrmedia::sim
