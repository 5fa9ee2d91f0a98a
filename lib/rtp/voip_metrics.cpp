// RFC 3611 section 4.7 VoIP metrics: loss and discard rates, burst and gap metrics by the
// section 4.7.2 definitions (exact, in constant memory), appendix A.2's transition counts, and a
// 2-state Markov loss model for ITU-T G.107's BurstR.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "ivrmedia/call_quality.hpp"

namespace ivrmedia::rtp {

namespace {

// RFC 3611 sections 4.7.1 and 4.7.2: "multiplying the result of the division by 256, limiting
// the maximum value to 255 (to avoid overflow), and taking the integer part". Integer
// arithmetic, so a fraction of exactly k/256 is never rounded down to k-1.
std::uint8_t fraction_8bit(std::int64_t part, std::int64_t whole) noexcept {
  if (whole <= 0 || part <= 0) return 0;
  // part <= whole < 2^55 in any real call; divide first when the product could overflow.
  const std::int64_t v =
      part < (std::int64_t{1} << 54) ? part * 256 / whole : part / (whole / 256 + 1);
  return static_cast<std::uint8_t>(std::min<std::int64_t>(v, 255));
}

double ratio(std::int64_t part, std::int64_t whole) noexcept {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

// The XR block's 16-bit millisecond fields.
std::uint16_t ms_16bit(double ms) noexcept {
  if (!(ms > 0.0)) return 0;
  return static_cast<std::uint16_t>(std::min(std::round(ms), 65535.0));
}

}  // namespace

VoipMetrics::VoipMetrics(const Config& config) : config_(config) {
  if (config.clock_rate_hz <= 0) {
    throw Error(Status::bad_config, "rtp::VoipMetrics: clock rate must be positive");
  }
  // The XR block carries Gmin in 8 bits; 0 would make every received packet end a burst.
  if (config.gmin < 1 || config.gmin > 255) {
    throw Error(Status::bad_config, "rtp::VoipMetrics: gmin must be 1-255");
  }
}

Status VoipMetrics::update(PacketFate fate, std::uint32_t duration_units) noexcept {
  switch (fate) {
    case PacketFate::received:
      received(duration_units);
      return Status::ok;
    case PacketFate::lost:
      lost(duration_units);
      return Status::ok;
    case PacketFate::discarded:
      discarded(duration_units);
      return Status::ok;
  }
  return Status::invalid_argument;
}

void VoipMetrics::apply(bool lost, bool discarded, std::uint32_t duration_units) noexcept {
  const std::int64_t position = received_ + lost_ + discarded_;
  const bool loss = lost || discarded;
  if (lost) {
    ++lost_;
  } else if (discarded) {
    ++discarded_;
  } else {
    ++received_;
  }
  total_units_ += duration_units;

  // RFC 3611 appendix A.2, event-driven, as the appendix writes it (including its start: no
  // received packets are assumed before the first one).
  if (!loss) {
    ++a2_pkt_;
  } else {
    if (a2_pkt_ >= config_.gmin) {
      if (a2_lost_ == 1) {
        ++a2_.c14;
      } else {
        ++a2_.c13;
      }
      a2_lost_ = 1;
      a2_.c11 += a2_pkt_;
    } else {
      ++a2_lost_;
      if (a2_pkt_ == 0) {
        ++a2_.c33;
      } else {
        ++a2_.c23;
        a2_.c22 += a2_pkt_ - 1;
      }
    }
    a2_pkt_ = 0;
  }

  // Section 4.7.2 exactly. Losses stay "open" until Gmin received packets follow the last of
  // them; only then is it known whether they were one isolated loss or a burst.
  if (!loss) {
    ++run_;
    run_units_ += duration_units;
    if (open_ && run_ >= config_.gmin) {
      close_open(&tally_);
      open_ = false;
    }
    previous_lost_ = false;
    return;
  }
  if (!previous_lost_) ++loss_runs_;
  previous_lost_ = true;
  if (open_) {
    // Fewer than Gmin received since the group's last loss: they and this loss join it.
    open_packets_ += run_ + 1;
    open_units_ += run_units_ + duration_units;
    ++open_losses_;
  } else {
    // Gmin or more received before (or the session start, taken as preceded by Gmin received).
    open_ = true;
    open_first_ = position;
    open_losses_ = 1;
    open_packets_ = 1;
    open_units_ = duration_units;
  }
  run_ = 0;
  run_units_ = 0;
}

void VoipMetrics::close_open(Tally* tally) const noexcept {
  if (open_losses_ == 1) {
    // Gmin received on both sides: an isolated loss, part of the gap around it.
    ++tally->gap_losses;
    return;
  }
  if (open_first_ > tally->after_burst) ++tally->gaps;  // the gap this burst ends
  ++tally->bursts;
  tally->burst_packets += open_packets_;
  tally->burst_losses += open_losses_;
  tally->burst_units += open_units_;
  tally->after_burst = open_first_ + open_packets_;
}

VoipMetrics::Report VoipMetrics::report() const noexcept {
  Report r;
  r.received = received_;
  r.lost = lost_;
  r.discarded = discarded_;
  r.expected = received_ + lost_ + discarded_;
  r.loss_fraction = ratio(lost_, r.expected);
  r.discard_fraction = ratio(discarded_, r.expected);
  r.loss_rate_8bit = fraction_8bit(lost_, r.expected);
  r.discard_rate_8bit = fraction_8bit(discarded_, r.expected);

  // The report is taken as followed by Gmin received packets: open losses settle now.
  Tally t = tally_;
  if (open_) close_open(&t);
  if (r.expected > t.after_burst) ++t.gaps;  // the gap after the last burst (or the only one)
  r.bursts = t.bursts;
  r.gaps = t.gaps;
  r.burst_packets = t.burst_packets;
  r.burst_losses = t.burst_losses;
  r.gap_packets = r.expected - t.burst_packets;
  r.gap_losses = t.gap_losses;
  r.burst_density = ratio(r.burst_losses, r.burst_packets);
  r.gap_density = ratio(r.gap_losses, r.gap_packets);
  r.burst_density_8bit = fraction_8bit(r.burst_losses, r.burst_packets);
  r.gap_density_8bit = fraction_8bit(r.gap_losses, r.gap_packets);
  const double ms_per_unit = 1000.0 / config_.clock_rate_hz;
  if (t.bursts > 0) {
    r.burst_duration_ms =
        static_cast<double>(t.burst_units) * ms_per_unit / static_cast<double>(t.bursts);
  }
  if (t.gaps > 0) {
    r.gap_duration_ms = static_cast<double>(total_units_ - t.burst_units) * ms_per_unit /
                        static_cast<double>(t.gaps);
  }
  r.burst_duration_ms_16bit = ms_16bit(r.burst_duration_ms);
  r.gap_duration_ms_16bit = ms_16bit(r.gap_duration_ms);

  // Gilbert model, maximum-likelihood up to the edges: every run of losses is one
  // received -> lost and one lost -> received transition.
  const std::int64_t losses = lost_ + discarded_;
  if (losses > 0 && received_ > 0) {
    r.markov_p = ratio(loss_runs_, received_);
    r.markov_q = ratio(loss_runs_, losses);
    r.burst_ratio = 1.0 / (r.markov_p + r.markov_q);
  } else if (losses > 0) {
    r.markov_p = 1.0;  // nothing received: the model degenerates, and so does BurstR's meaning
    r.markov_q = ratio(loss_runs_, losses);
  }

  r.markov = a2_;
  r.markov.pending_received = a2_pkt_;
  return r;
}

void VoipMetrics::reset() noexcept {
  const Config config = config_;
  *this = VoipMetrics(config);
}

}  // namespace ivrmedia::rtp
