// Gilbert-Elliott burst loss: a two-state Markov chain (good, bad) stepped once per packet, with
// a loss probability in each state. The notation of Hasslinger and Hohlfeld ("The
// Gilbert-Elliott model for packet loss in real time services on the Internet", 2008) and of
// ITU-T G.1050 (2007):
//   p = P(good -> bad), r = P(bad -> good), 1-k = loss probability in good, 1-h = in bad.
// The simple Gilbert model (k = 1, h = 0: lose exactly the packets sent in the bad state) has
// mean loss p / (p + r) and geometric loss bursts of mean length 1 / r.
#pragma once

namespace ivrmedia::sim {

struct GilbertElliott {
  double p_good_to_bad = 0.0;  // p
  double r_bad_to_good = 1.0;  // r
  double loss_in_good = 0.0;   // 1 - k
  double loss_in_bad = 1.0;    // 1 - h

  // The simple Gilbert model with the given mean loss rate (0 <= rate < 1) and mean loss-burst
  // length in packets (>= 1; 1 gives independent, Bernoulli, loss): r = 1 / burst,
  // p = r * rate / (1 - rate). Throws std::invalid_argument when no such chain exists
  // (p would exceed 1: a rate above burst / (1 + burst)).
  static GilbertElliott from_loss_and_burst(double mean_loss_rate, double mean_burst_packets);

  // Stationary probability of the bad state, p / (p + r) (0 when p = r = 0).
  [[nodiscard]] double bad_state_share() const noexcept;
  // Long-run loss rate: (1 - share) * loss_in_good + share * loss_in_bad.
  [[nodiscard]] double mean_loss_rate() const noexcept;
  // Mean stay in the bad state, 1 / r packets: the mean loss-burst length of the simple model.
  [[nodiscard]] double mean_bad_run_packets() const noexcept;

  // Throws std::invalid_argument unless every field is a probability and the chain can leave
  // the bad state when it can enter it (r > 0 or p = 0).
  void validate() const;
};

}  // namespace ivrmedia::sim
