// ivrmedia C++ API: call-quality statistics of one received RTP stream.
//
// Three standalone building blocks that a jitter buffer (or any receiver) feeds:
//
//   InterarrivalJitter  RFC 3550 section 6.4.1 / appendix A.8: J += (|D| - J) / 16, the value an
//                       RTCP receiver report carries.
//   VoipMetrics         RFC 3611 section 4.7 (VoIP Metrics report block): loss and discard rates,
//                       burst and gap density and duration with the Gmin rule, the appendix A.2
//                       Markov transition counts, and a Gilbert (2-state Markov) burst ratio for
//                       the E-model.
//   EModel              ITU-T G.107 transmission rating R and its MOS (Annex B), with codec
//                       impairment values (G.113) for G.711, G.722 and Opus, and the wideband scale
//                       of G.107.1 (R up to 129) for wideband codecs.
//
// A receiver wires them like this (sketch; the fates come from the jitter buffer):
//
//   rtp::InterarrivalJitter jitter(8000);
//   rtp::VoipMetrics metrics({.clock_rate_hz = 8000});
//   // every packet as it arrives (arrival order, duplicates skipped):
//   jitter.update(view.timestamp, arrival_us);
//   // every sequence number once, in sequence order, when its fate is known:
//   metrics.received(160);  // or lost(160), discarded(160) (too late), update(fate, 160)
//   // at report time:
//   rtp::VoipMetrics::Report r = metrics.report();
//   rtp::EModel emodel;
//   rtp::Rating q = emodel.rate({.codec = rtp::codec_impairment(rtp::Codec::g711_plc),
//                                .mouth_to_ear_ms = 80.0,
//                                .packet_loss_percent = r.packet_loss_percent(),
//                                .burst_ratio = r.burst_ratio});
//   // jitter.rtp_units() and the r.*_8bit fields go into RTCP RR / XR blocks as they are.
//
// Real-time safe: every object is a few counters; update, report, rate and reset never allocate,
// lock or throw. Constructors throw Error(bad_config) for an impossible config only. The objects
// own no resources and are plain values: copying one takes a snapshot.
#pragma once

#include <cstdint>

#include "ivrmedia/core.hpp"

namespace ivrmedia::rtp {

// ---------------------------------------------------------------------------------------------
// RFC 3550 interarrival jitter
//
// For consecutive packets i-1, i in ARRIVAL order (RFC 3550 section 6.4.1 says "not necessarily
// in sequence"): D = (R_i - R_{i-1}) - (S_i - S_{i-1}), with R the arrival time converted to RTP
// units and S the RTP timestamp; then J += (|D| - J) / 16.
//
// Precision: only differences between consecutive packets are formed, the arrival difference
// exactly in int64 microseconds and the timestamp difference as a signed 32-bit wrap-around
// difference, so neither an absolute arrival epoch nor the 32-bit timestamp wrap (13.3 hours at
// 90 kHz, 24.9 hours at 48 kHz, 6.2 days at 8 kHz) costs precision, however long the call runs.
// D is kept fractional (the RFC's appendix A.8 rounds arrivals to whole RTP units first, which
// only adds up to one unit of quantization noise); rtp_units() truncates J like A.8's
// `jitter >> 4` does.
//
// What to feed, and what not:
//   - Reordered packets: fed in arrival order like any other, as RFC 3550 specifies; a packet
//     overtaken by a later one shows up as delay variation, which is what it is.
//   - Duplicates, RFC 4588 retransmissions, and RFC 4733 telephone-event packets after an
//     event's first (they repeat the event's start timestamp): do not feed them. Their
//     timestamps do not mark when their audio was sampled, so D would measure the sender's
//     behaviour, not the network. The class cannot tell them apart by timestamp alone.
//   - Timestamp jumps with matching arrival gaps (silence suppression, DTX, a new talkspurt)
//     need nothing: D stays near zero and the formula is right across them.
//   - A new SSRC, a sender restart, or a timestamp step that is not time (e.g. a B2BUA
//     re-anchoring the stream): call reset(); the next packet starts a new reference.
//     Timestamp differences beyond 2^31 units are ambiguous and read modulo 2^32.
class IVRM_API InterarrivalJitter {
 public:
  // clock_rate_hz: the stream's RTP clock (codec::Info::rtp_clock_hz; Opus 48000, G.722 8000).
  // Throws Error(bad_config) when it is <= 0.
  explicit InterarrivalJitter(int clock_rate_hz);

  // One received packet: its RTP timestamp and arrival time in microseconds from any epoch (the
  // host's monotonic clock; only differences are used).
  void update(std::uint32_t rtp_timestamp, std::int64_t arrival_time_us) noexcept;

  // The estimate J in RTP units (fractional).
  [[nodiscard]] double jitter() const noexcept { return jitter_; }
  // J as the RTCP receiver report's 32-bit "interarrival jitter" field (truncated, saturating).
  [[nodiscard]] std::uint32_t rtp_units() const noexcept;
  // J in milliseconds.
  [[nodiscard]] double jitter_ms() const noexcept;
  // Packets given to update() since creation or reset().
  [[nodiscard]] std::int64_t packets() const noexcept { return packets_; }
  [[nodiscard]] int clock_rate_hz() const noexcept { return clock_rate_hz_; }

  // Forgets the previous packet and J (a new SSRC is a new stream).
  void reset() noexcept;

 private:
  int clock_rate_hz_;
  double jitter_ = 0.0;
  std::int64_t packets_ = 0;
  std::uint32_t last_timestamp_ = 0;
  std::int64_t last_arrival_us_ = 0;
};

// ---------------------------------------------------------------------------------------------
// RFC 3611 VoIP metrics: loss, discard, burst and gap
//
// Feed every sequence number exactly once, in sequence order, with its fate:
//   received   played (or recovered, e.g. by FEC or a retransmission in time: RFC 3611 counts
//              loss "after the effects of applying any error protection");
//   lost       never arrived;
//   discarded  arrived but not played: too late or too early, or dropped by the jitter buffer on
//              overflow (RFC 3611 section 4.7.1). Duplicates are not discards: skip them.
// and its duration in RTP units (packets may change duration mid-call; a lost packet's duration
// is the timestamp step it left, or the stream's usual ptime).
//
// Bursts and gaps, exactly as RFC 3611 section 4.7.2 defines them, with Gmin (default 16):
//   - a burst is the longest run that starts and ends with a lost or discarded packet and holds
//     no Gmin or more consecutive received packets;
//   - a loss with at least Gmin received packets before and after it lies in a gap (an
//     isolated loss), so a burst holds at least two losses with fewer than Gmin received
//     packets between consecutive ones;
//   - the session is taken to be preceded, and the report followed, by Gmin received packets,
//     so a loss at the very start can begin a burst and a burst still open at report time is
//     closed at its last loss.
// Burst density is losses / packets within bursts, gap density the same within gaps; burst and
// gap duration are the mean length of the burst and gap periods (zero when there were none),
// from the packets' own durations.
//
// Next to that exact accounting the object runs RFC 3611 appendix A.2's event-driven algorithm
// and reports its transition counts (markov), for comparison with peers that use it; and a
// 2-state Markov (Gilbert) loss model for G.107's BurstR: with p = P(loss | previous received)
// and q = P(received | previous loss), BurstR = 1 / (p + q), estimated as
// (mean loss-run length) x (1 - loss fraction); 1 for random loss, above 1 when losses cluster.
enum class PacketFate : std::int32_t { received = 0, lost = 1, discarded = 2 };

class IVRM_API VoipMetrics {
 public:
  struct Config {
    int clock_rate_hz = 8000;                  // RTP clock of the durations; > 0
    int gmin = 16;                             // RFC 3611 section 4.7.2: 16 recommended; 1-255
    std::uint32_t default_packet_units = 160;  // duration for the overloads without one (20 ms)
  };

  // RFC 3611 appendix A.2's counts. States: 1 received in a gap, 2 received in a burst, 3 lost
  // in a burst, 4 isolated loss in a gap; cXY counts transitions X -> Y. c31 = c13 and c32 = c23
  // as the appendix infers them. `pending_received` are received packets since the last loss,
  // which A.2 assigns only at the next loss.
  struct MarkovCounts {
    std::int64_t c11 = 0, c13 = 0, c14 = 0, c22 = 0, c23 = 0, c33 = 0;
    std::int64_t pending_received = 0;
    [[nodiscard]] std::int64_t c31() const noexcept { return c13; }
    [[nodiscard]] std::int64_t c32() const noexcept { return c23; }
  };

  struct Report {
    std::int64_t expected = 0;  // received + lost + discarded
    std::int64_t received = 0;
    std::int64_t lost = 0;
    std::int64_t discarded = 0;
    double loss_fraction = 0.0;     // lost / expected
    double discard_fraction = 0.0;  // discarded / expected
    // RFC 3611 section 4.7.1/4.7.2 8-bit fields: floor(fraction x 256), at most 255.
    std::uint8_t loss_rate_8bit = 0;
    std::uint8_t discard_rate_8bit = 0;
    std::uint8_t burst_density_8bit = 0;
    std::uint8_t gap_density_8bit = 0;
    // Bursts and gaps (section 4.7.2). Densities are 0 where there are no such packets.
    std::int64_t bursts = 0;
    std::int64_t gaps = 0;
    std::int64_t burst_packets = 0;
    std::int64_t burst_losses = 0;  // lost or discarded within bursts
    std::int64_t gap_packets = 0;
    std::int64_t gap_losses = 0;  // isolated losses
    double burst_density = 0.0;
    double gap_density = 0.0;
    double burst_duration_ms = 0.0;  // mean per burst
    double gap_duration_ms = 0.0;    // mean per gap
    // The 16-bit millisecond fields of the XR block (rounded, at most 65535).
    std::uint16_t burst_duration_ms_16bit = 0;
    std::uint16_t gap_duration_ms_16bit = 0;
    // 2-state Markov (Gilbert) loss model; lost and discarded both count as lost (the decoder
    // misses them). With no losses, or nothing received, BurstR stays 1 (Ppl decides then).
    double gilbert_p = 0.0;    // P(loss | previous received)
    double gilbert_q = 0.0;    // P(received | previous loss)
    double burst_ratio = 1.0;  // G.107 BurstR = 1 / (p + q)
    MarkovCounts markov;       // RFC 3611 appendix A.2

    // Ppl for the E-model: lost and discarded packets, in percent of expected.
    [[nodiscard]] double packet_loss_percent() const noexcept {
      return expected > 0
                 ? 100.0 * static_cast<double>(lost + discarded) / static_cast<double>(expected)
                 : 0.0;
    }
  };

  // Throws Error(bad_config) for clock_rate_hz <= 0 or gmin outside 1-255.
  explicit VoipMetrics(const Config& config);

  // One sequence number's fate and duration. invalid_argument (and no change) for a fate outside
  // the enum.
  [[nodiscard]] Status update(PacketFate fate, std::uint32_t duration_units) noexcept;
  void received(std::uint32_t duration_units) noexcept { receive(duration_units); }
  void lost(std::uint32_t duration_units) noexcept { apply(true, false, duration_units); }
  void discarded(std::uint32_t duration_units) noexcept { apply(false, true, duration_units); }
  void received() noexcept { received(config_.default_packet_units); }
  void lost() noexcept { lost(config_.default_packet_units); }
  void discarded() noexcept { discarded(config_.default_packet_units); }

  // The metrics since creation or reset(), as if the report were followed by Gmin received
  // packets (section 4.7.2); the object's state does not change.
  [[nodiscard]] Report report() const noexcept;

  // Clears the stream state (config kept).
  void reset() noexcept;

  [[nodiscard]] const Config& config() const noexcept { return config_; }

 private:
  // One fate: the losses' accounting here, a received packet's in receive() (its own short
  // function: a clean call is nothing but received packets).
  void apply(bool lost, bool discarded, std::uint32_t duration_units) noexcept;
  void receive(std::uint32_t duration_units) noexcept;

  // Closed bursts and isolated losses (section 4.7.2 accounting).
  struct Tally {
    std::int64_t bursts = 0, burst_packets = 0, burst_losses = 0, burst_units = 0;
    std::int64_t gap_losses = 0;
    std::int64_t gaps = 0;         // gap periods with at least one packet, before a closed burst
    std::int64_t after_burst = 0;  // position just after the last closed burst
  };
  // Settles the open losses into `tally`: one loss is isolated (a gap loss), more make a burst.
  void close_open(Tally* tally) const noexcept;

  // The stream state; reset() replaces it with a fresh one.
  struct State {
    // Totals.
    std::int64_t received = 0, lost = 0, discarded = 0;
    std::int64_t total_units = 0;
    // Received packets (and their duration) since the last loss.
    std::int64_t run = 0;
    std::int64_t run_units = 0;
    // The losses that may still form a burst: open until Gmin received packets follow them.
    bool open = false;
    std::int64_t open_first = 0;  // position (0-based packet index) of its first loss
    std::int64_t open_losses = 0;
    std::int64_t open_packets = 0;  // first loss to last loss inclusive
    std::int64_t open_units = 0;
    Tally tally;
    // 2-state model: runs of consecutive losses.
    std::int64_t loss_runs = 0;
    bool previous_lost = false;
    // RFC 3611 appendix A.2: its `pkt` and `lost`, and its counts.
    std::int64_t a2_pkt = 0;
    std::int64_t a2_lost = 0;
    MarkovCounts a2;
  };

  Config config_;
  State s_;
};

// ---------------------------------------------------------------------------------------------
// ITU-T G.107 E-model
//
// R = Ro - Is - Id - Ie,eff + A (G.107 section 7.1), from the transmission parameters of
// G.107 Table 2 (defaults give R = 93.2 for a perfect G.711 call, MOS 4.41), with:
//   Id       the full G.107 delay impairment Idte + Idle + Idd (talker echo, listener echo, pure
//            delay), not the Cole-Rosenbluth straight-line fit: the caller gives the one-way
//            mouth-to-ear delay Ta, and by default the talker-echo path is taken as T = Ta (the
//            echo returns from the far end's hybrid or acoustic path, cancelled to TELR 65 dB)
//            and the listener echo round trip as Tr = 2T. Idd uses the delay-sensitivity
//            parameters of later G.107 editions, mT = 100 ms and sT = 1, with which it is the
//            classic formula (zero up to 100 ms). With the defaults Id is 0.15 at 0 ms, 3.8 at
//            150 ms (mostly talker echo), 7.6 at 200 ms, 20.7 at 300 ms, 31.1 at 400 ms.
//            Perfect echo control: raise telr_db and wepl_db.
//   Ie,eff   Ie + (95 - Ie) x Ppl / (Ppl / BurstR + Bpl), with Ppl in percent and BurstR from
//            VoipMetrics (1 for random loss).
//   MOS      MOS-CQE of G.107 Annex B: 1 for R < 0, 4.5 for R > 100, else
//            1 + 0.035R + R(R-60)(100-R)7e-6
//            (clamped to 1..4.5; the cubic dips just below 1 for R under about 6.5).
//
// Wideband codecs (G.722, Opus) are rated on the G.107.1 wideband scale, whose best value is
// 129 (G.107.1 section 6.2): R_wb = 129 - 1.29 x (93.2 - (Ro - Is - Id)) - Ie,eff,wb + A, i.e.
// the narrowband model's distance from its default R (loudness, noise, sidetone, echo, delay)
// carried over with the 1.29 ratio between the scales, and Ie,eff,wb = Ie,wb + (129 - Ie,wb) x
// Ppl / (Ppl / BurstR + Bpl). The carrying over is this library's reading, not G.107.1's own
// equations: at G.107's default values and no delay it is exact (R_wb = 129 - Ie,eff,wb), and for
// delay it keeps a wideband call's delay penalty in proportion to the narrowband one.
// The wideband MOS follows G.107.1 Annex A: R_x = R_wb / 1.29 on G.107's Annex B curve.
// Rating::r_narrowband_equivalent is that R_x. Both scales end at MOS 4.5, but the wideband one
// spans a higher quality range: a flawless G.722 call (R_wb 116, R_x 89.9, MOS 4.34) is not worse
// than a flawless G.711 call (R 93.2, MOS 4.41), it is measured against a better reference.
// Compare R and MOS only within one scale (Rating::scale says which).
enum class RatingScale : std::int32_t { narrowband = 0, wideband = 1 };

// A codec's equipment impairment factor Ie (Ie,wb on the wideband scale) and packet-loss
// robustness factor Bpl.
struct CodecImpairment {
  RatingScale scale = RatingScale::narrowband;
  double ie = 0.0;
  double bpl = 4.3;
};

// The built-in values (sources in lib/rtp/emodel.cpp):
//   g711      narrowband, Ie 0, Bpl 4.3: G.711 without PLC (G.113 Appendix I)
//   g711_plc  narrowband, Ie 0, Bpl 25.1: G.711 with its Appendix I PLC (G.113 Appendix I)
//   g722      wideband, Ie,wb 13 (G.113 Appendix IV, G.722 at 64 kbit/s); Bpl 25.1 is an
//             assumption (G.722 with Appendix III/IV concealment taken to be as robust as G.711
//             with Appendix I PLC), not a value from a G.113 table
//   opus      wideband, Ie,wb 10, Bpl 20: ESTIMATES, there is no ITU-T value for Opus; see
//             emodel.cpp for how they were chosen. Meant for Opus at 16 kHz audio bandwidth
//             and 20+ kbit/s without in-band FEC (with FEC pass the residual loss).
// Unknown values give the g711 entry.
enum class Codec : std::int32_t { g711 = 0, g711_plc = 1, g722 = 2, opus = 3 };
[[nodiscard]] IVRM_API CodecImpairment codec_impairment(Codec codec) noexcept;

// The rating and its parts, all on `scale` (for wideband, ro_minus_is and id are the narrowband
// model's terms carried over as described above).
struct Rating {
  RatingScale scale = RatingScale::narrowband;
  double r = 0.0;
  double mos = 1.0;
  double r_narrowband_equivalent = 0.0;  // R_x: R for narrowband, R_wb / 1.29 for wideband
  double ro_minus_is = 0.0;              // Ro - Is: 94.77 - 1.41 = 93.36 with G.107's defaults
  double id = 0.0;         // delay impairment Idte + Idle + Idd (0.15 at T = 0: R 93.2)
  double ie_eff = 0.0;     // effective equipment impairment
  double advantage = 0.0;  // A
};

// G.107 Annex B: MOS (conversational quality, 1..4.5) from a narrowband R.
[[nodiscard]] IVRM_API double mos_from_r(double r) noexcept;
// G.107.1 Annex A: MOS from a wideband R (R_wb / 1.29 on the Annex B curve).
[[nodiscard]] IVRM_API double mos_from_r_wideband(double r_wb) noexcept;
// G.107 Ie,eff for a codec at Ppl percent loss with burst ratio BurstR (> 0), on the codec's
// scale (95 for narrowband becomes 129 for wideband).
[[nodiscard]] IVRM_API double effective_equipment_impairment(const CodecImpairment& codec,
                                                             double packet_loss_percent,
                                                             double burst_ratio) noexcept;

class IVRM_API EModel {
 public:
  // G.107 Table 2 default values (section 7.7). Loudness in dB, noise in dBm0p / dBmp / dB(A).
  struct Config {
    double slr_db = 8.0;       // send loudness rating
    double rlr_db = 2.0;       // receive loudness rating
    double stmr_db = 15.0;     // sidetone masking rating
    double lstr_db = 18.0;     // listener sidetone rating (G.107: STMR + Dr, Dr = 3)
    double ds_db = 3.0;        // D-value of telephone, send side
    double telr_db = 65.0;     // talker echo loudness rating
    double wepl_db = 110.0;    // weighted echo path loss
    double qdu = 1.0;          // quantizing distortion units
    double nc_dbm0p = -70.0;   // circuit noise referred to the 0 dBr point
    double nfor_dbmp = -64.0;  // noise floor at the receive side
    double ps_dba = 35.0;      // room noise at the send side
    double pr_dba = 35.0;      // room noise at the receive side
    double advantage = 0.0;    // advantage factor A (0 for wired; G.107 Table 1 up to 20)
    double mt_ms = 100.0;      // delay sensitivity: minimum perceivable delay mT
    double st = 1.0;           // delay sensitivity sT
  };

  // The conditions of one call direction.
  struct Conditions {
    CodecImpairment codec = {};
    double mouth_to_ear_ms = 0.0;      // Ta, one way, >= 0
    double packet_loss_percent = 0.0;  // Ppl: lost + discarded, 0-100
    double burst_ratio = 1.0;          // BurstR (> 0); 1 for random loss
    double talker_echo_ms = -1.0;      // T, mean one-way delay of the echo path; < 0: T = Ta
    double round_trip_ms = -1.0;       // Tr, listener echo round trip; < 0: Tr = 2T
  };

  // Throws Error(bad_config) for a non-finite value, qdu < 1, mt_ms <= 0 or st <= 0.
  explicit EModel(const Config& config);
  EModel() : EModel(Config{}) {}

  // The rating for `conditions`. Out-of-range conditions (negative or non-finite delay, loss
  // outside 0-100, burst ratio <= 0) are clamped to the nearest meaningful value, so a rating
  // always comes out.
  [[nodiscard]] Rating rate(const Conditions& conditions) const noexcept;

  [[nodiscard]] const Config& config() const noexcept { return config_; }

 private:
  Config config_;
  double no_ = 0.0;  // total noise power No (dBm0p)
  double ro_ = 0.0;  // basic signal-to-noise ratio Ro
  // R of G.107's default connection (93.2): the wideband scale counts from there.
  double default_r_ = 0.0;
};

}  // namespace ivrmedia::rtp
