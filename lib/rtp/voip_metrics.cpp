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

void VoipMetrics::receive(std::uint32_t duration_units) noexcept {
  ++s_.received;
  s_.total_units += duration_units;
  // RFC 3611 appendix A.2 counts received packets until the next loss.
  ++s_.a2_pkt;
  // Section 4.7.2: Gmin received packets after the last loss settle the open losses.
  ++s_.run;
  s_.run_units += duration_units;
  if (s_.open && s_.run >= config_.gmin) {
    close_open(&s_.tally);
    s_.open = false;
  }
  s_.previous_lost = false;
}

void VoipMetrics::apply(bool lost, bool discarded, std::uint32_t duration_units) noexcept {
  if (!lost && !discarded) {
    receive(duration_units);
    return;
  }
  const std::int64_t position = s_.received + s_.lost + s_.discarded;
  if (lost) {
    ++s_.lost;
  } else {
    ++s_.discarded;
  }
  s_.total_units += duration_units;

  // RFC 3611 appendix A.2, event-driven, as the appendix writes it (including its start: no
  // received packets are assumed before the first one).
  if (s_.a2_pkt >= config_.gmin) {
    if (s_.a2_lost == 1) {
      ++s_.a2.c14;
    } else {
      ++s_.a2.c13;
    }
    s_.a2_lost = 1;
    s_.a2.c11 += s_.a2_pkt;
  } else {
    ++s_.a2_lost;
    if (s_.a2_pkt == 0) {
      ++s_.a2.c33;
    } else {
      ++s_.a2.c23;
      s_.a2.c22 += s_.a2_pkt - 1;
    }
  }
  s_.a2_pkt = 0;

  // Section 4.7.2 exactly. Losses stay "open" until Gmin received packets follow the last of
  // them (receive()); only then is it known whether they were one isolated loss or a burst.
  if (!s_.previous_lost) ++s_.loss_runs;
  s_.previous_lost = true;
  if (s_.open) {
    // Fewer than Gmin received since the group's last loss: they and this loss join it.
    s_.open_packets += s_.run + 1;
    s_.open_units += s_.run_units + duration_units;
    ++s_.open_losses;
  } else {
    // Gmin or more received before (or the session start, taken as preceded by Gmin received).
    s_.open = true;
    s_.open_first = position;
    s_.open_losses = 1;
    s_.open_packets = 1;
    s_.open_units = duration_units;
  }
  s_.run = 0;
  s_.run_units = 0;
}

void VoipMetrics::close_open(Tally* tally) const noexcept {
  if (s_.open_losses == 1) {
    // Gmin received on both sides: an isolated loss, part of the gap around it.
    ++tally->gap_losses;
    return;
  }
  if (s_.open_first > tally->after_burst) ++tally->gaps;  // the gap this burst ends
  ++tally->bursts;
  tally->burst_packets += s_.open_packets;
  tally->burst_losses += s_.open_losses;
  tally->burst_units += s_.open_units;
  tally->after_burst = s_.open_first + s_.open_packets;
}

VoipMetrics::Report VoipMetrics::report() const noexcept {
  Report r;
  r.received = s_.received;
  r.lost = s_.lost;
  r.discarded = s_.discarded;
  r.expected = s_.received + s_.lost + s_.discarded;
  r.loss_fraction = ratio(s_.lost, r.expected);
  r.discard_fraction = ratio(s_.discarded, r.expected);
  r.loss_rate_8bit = fraction_8bit(s_.lost, r.expected);
  r.discard_rate_8bit = fraction_8bit(s_.discarded, r.expected);

  // The report is taken as followed by Gmin received packets: open losses settle now.
  Tally t = s_.tally;
  if (s_.open) close_open(&t);
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
    r.gap_duration_ms = static_cast<double>(s_.total_units - t.burst_units) * ms_per_unit /
                        static_cast<double>(t.gaps);
  }
  r.burst_duration_ms_16bit = ms_16bit(r.burst_duration_ms);
  r.gap_duration_ms_16bit = ms_16bit(r.gap_duration_ms);

  // Gilbert model, maximum-likelihood up to the edges: every run of losses is one
  // received -> lost and one lost -> received transition.
  const std::int64_t losses = s_.lost + s_.discarded;
  if (losses > 0 && s_.received > 0) {
    r.gilbert_p = ratio(s_.loss_runs, s_.received);
    r.gilbert_q = ratio(s_.loss_runs, losses);
    r.burst_ratio = 1.0 / (r.gilbert_p + r.gilbert_q);
  } else if (losses > 0) {
    r.gilbert_p = 1.0;  // nothing received: the model degenerates, and so does BurstR's meaning
    r.gilbert_q = ratio(s_.loss_runs, losses);
  }

  r.markov = s_.a2;
  r.markov.pending_received = s_.a2_pkt;
  return r;
}

void VoipMetrics::reset() noexcept {
  s_ = State{};
}

}  // namespace ivrmedia::rtp
