// The named network models. lib/sim/README.md gives each one's numbers and their sources; keep
// the two in step. The Gaussian means are three standard deviations, so the bell is not
// clipped at the base delay.
#include "sim/network_config.hpp"

namespace ivrmedia::sim {
namespace {

constexpr std::array<std::string_view, kAllPresets.size()> kNames = {
    "ideal", "wired", "wifi", "mobile_lte", "mobile_3g_handover", "congested", "bursty_loss"};

NetworkConfig gaussian(std::int64_t base_us, double mean_us, double stddev_us) {
  NetworkConfig c;
  c.base_delay_us = base_us;
  c.jitter = JitterModel::gaussian;
  c.gaussian_mean_us = mean_us;
  c.gaussian_stddev_us = stddev_us;
  return c;
}

// A handover-like stall of `height_us`, drained in one burst, `rate_per_s` times a second.
void stalls(NetworkConfig& c, double rate_per_s, std::int64_t height_us) {
  c.spike_rate_per_s = rate_per_s;
  c.spike_height_us = height_us;
  c.spike_duration_us = 0;  // = height: everything held arrives together
  c.spike_shape = SpikeShape::ramp;
}

}  // namespace

NetworkConfig preset(Preset which, std::uint64_t seed) {
  NetworkConfig c;
  switch (which) {
    case Preset::ideal:
      c.base_delay_us = 20'000;
      break;
    case Preset::wired:
      c = gaussian(15'000, 1'500, 500);
      c.loss = GilbertElliott::from_loss_and_burst(0.0001, 1.0);
      break;
    case Preset::wifi:
      c = gaussian(20'000, 12'000, 4'000);
      stalls(c, 1.0 / 20, 100'000);
      c.loss = GilbertElliott::from_loss_and_burst(0.005, 1.5);
      break;
    case Preset::mobile_lte:
      c = gaussian(40'000, 15'000, 5'000);
      stalls(c, 1.0 / 30, 70'000);
      c.loss = GilbertElliott::from_loss_and_burst(0.005, 2.0);
      break;
    case Preset::mobile_3g_handover:
      c = gaussian(90'000, 36'000, 12'000);
      stalls(c, 1.0 / 15, 400'000);
      c.loss = GilbertElliott::from_loss_and_burst(0.01, 3.0);
      break;
    case Preset::congested:
      c.base_delay_us = 30'000;
      c.jitter = JitterModel::pareto;
      c.pareto_scale_us = 10'000;
      c.pareto_shape = 2.5;
      c.jitter_cap_us = 1'000'000;
      c.min_arrival_spacing_us = 100;
      c.reorder_probability = 0.002;
      c.reorder_depth = 1;
      c.duplicate_probability = 0.001;
      c.duplicate_max_lag_us = 5'000;
      c.loss = GilbertElliott::from_loss_and_burst(0.02, 3.0);
      break;
    case Preset::bursty_loss:
      c = gaussian(30'000, 6'000, 2'000);
      c.loss = GilbertElliott::from_loss_and_burst(0.05, 4.0);
      break;
  }
  c.seed = seed;
  return c;
}

std::string_view preset_name(Preset which) noexcept {
  const auto i = static_cast<std::size_t>(which);
  return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

std::optional<Preset> preset_from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return kAllPresets[i];
  }
  return std::nullopt;
}

}  // namespace ivrmedia::sim
