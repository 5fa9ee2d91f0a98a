#include "sim/gilbert_elliott.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace ivrmedia::sim {
namespace {

bool is_probability(double x) {
  return std::isfinite(x) && x >= 0 && x <= 1;
}

}  // namespace

GilbertElliott GilbertElliott::from_loss_and_burst(double mean_loss_rate,
                                                   double mean_burst_packets) {
  if (!std::isfinite(mean_loss_rate) || mean_loss_rate < 0 || mean_loss_rate >= 1) {
    throw std::invalid_argument("GilbertElliott: mean loss rate must be in [0, 1)");
  }
  if (!std::isfinite(mean_burst_packets) || mean_burst_packets < 1) {
    throw std::invalid_argument("GilbertElliott: mean burst length must be >= 1 packet");
  }
  GilbertElliott g;
  g.r_bad_to_good = 1.0 / mean_burst_packets;
  g.p_good_to_bad = g.r_bad_to_good * mean_loss_rate / (1.0 - mean_loss_rate);
  if (g.p_good_to_bad > 1.0) {
    throw std::invalid_argument("GilbertElliott: loss rate " + std::to_string(mean_loss_rate) +
                                " is unreachable with bursts of " +
                                std::to_string(mean_burst_packets) + " packets");
  }
  g.loss_in_good = 0.0;
  g.loss_in_bad = 1.0;
  return g;
}

double GilbertElliott::bad_state_share() const noexcept {
  const double sum = p_good_to_bad + r_bad_to_good;
  return sum > 0 ? p_good_to_bad / sum : 0.0;
}

double GilbertElliott::mean_loss_rate() const noexcept {
  const double bad = bad_state_share();
  return (1 - bad) * loss_in_good + bad * loss_in_bad;
}

double GilbertElliott::mean_bad_run_packets() const noexcept {
  return r_bad_to_good > 0 ? 1.0 / r_bad_to_good : std::numeric_limits<double>::infinity();
}

void GilbertElliott::validate() const {
  if (!is_probability(p_good_to_bad) || !is_probability(r_bad_to_good) ||
      !is_probability(loss_in_good) || !is_probability(loss_in_bad)) {
    throw std::invalid_argument(
        "GilbertElliott: p, r and the loss probabilities must be in [0, 1]");
  }
  if (p_good_to_bad > 0 && r_bad_to_good == 0) {
    throw std::invalid_argument("GilbertElliott: r = 0 would never leave the bad state");
  }
}

}  // namespace ivrmedia::sim
