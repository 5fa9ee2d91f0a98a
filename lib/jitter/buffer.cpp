// jitter::Buffer: push routes packets (sequence tracking, payload type), pull decides and
// performs one playout operation at a time until a frame is ready. See jitter.hpp for the data
// flow and lib/jitter/README.md for the rules.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/sample_convert.hpp"
#include "ivrmedia/call_quality.hpp"
#include "ivrmedia/jitter.hpp"
#include "jitter/decision.hpp"
#include "jitter/delay_estimator.hpp"
#include "jitter/fate_window.hpp"
#include "jitter/packet_buffer.hpp"
#include "jitter/sync_buffer.hpp"
#include "jitter/time_stretch.hpp"

namespace ivrmedia::jitter {
namespace {

enum class PayloadKind : std::int8_t { none, audio, event, comfort_noise };

void require(bool ok, const char* what) {
  if (!ok) throw Error(Status::bad_config, what);
}

void validate(const Config& c) {
  require(c.sample_rate_hz == 8000 || c.sample_rate_hz == 16000 || c.sample_rate_hz == 48000,
          "jitter::Buffer: sample rate must be 8000, 16000 or 48000 Hz");
  require(c.frame_ms == 10 || c.frame_ms == 20 || c.frame_ms == 30 || c.frame_ms == 40,
          "jitter::Buffer: frame must be 10, 20, 30 or 40 ms");
  require(!c.payloads.empty(), "jitter::Buffer: at least one audio payload type is needed");
  require(c.min_delay_ms >= 0 && c.min_delay_ms <= c.max_delay_ms && c.max_delay_ms <= 10000,
          "jitter::Buffer: delays must satisfy 0 <= min_delay_ms <= max_delay_ms <= 10000");
  require(c.fixed_delay_ms >= 0 && c.fixed_delay_ms <= 10000,
          "jitter::Buffer: fixed delay must be 0-10000 ms");
  require(c.delay_quantile >= 0.5 && c.delay_quantile <= 0.999,
          "jitter::Buffer: delay quantile must be 0.5-0.999");
  require(c.forget_factor >= 0.9 && c.forget_factor <= 0.99999,
          "jitter::Buffer: forget factor must be 0.9-0.99999");
  require(c.packet_capacity >= 4 && c.packet_capacity <= 4096,
          "jitter::Buffer: packet capacity must be 4-4096");
  require(c.max_payload_bytes >= 16 && c.max_payload_bytes <= 65536,
          "jitter::Buffer: max payload must be 16-65536 bytes");
  require(c.max_packet_ms >= 10 && c.max_packet_ms <= 120,
          "jitter::Buffer: max packet must be 10-120 ms");
  require(c.network_delay_ms >= 0 && c.network_delay_ms <= 2000,
          "jitter::Buffer: network delay must be 0-2000 ms");
  require(c.telephone_event_payload_type >= -1 && c.telephone_event_payload_type <= 127,
          "jitter::Buffer: telephone-event payload type must be -1 or 0-127");
  require(c.comfort_noise_payload_type >= -1 && c.comfort_noise_payload_type <= 127,
          "jitter::Buffer: comfort-noise payload type must be -1 or 0-127");
}

// Deterministic comfort noise: white, at the level RFC 3389 signals (-dBov).
class NoiseSource {
 public:
  void fill(std::span<float> out, int level_dbov) noexcept {
    const float amplitude =
        level_dbov >= 127 ? 0.0f
                          : static_cast<float>(std::pow(10.0, -level_dbov / 20.0) * std::sqrt(3.0));
    for (float& x : out) {
      state_ = state_ * 1664525u + 1013904223u;
      x = amplitude * (static_cast<float>(state_ >> 8) * (2.0f / 16777216.0f) - 1.0f);
    }
  }
  void reset() noexcept { state_ = 12345u; }

 private:
  std::uint32_t state_ = 12345u;
};

}  // namespace

const char* describe(FrameKind kind) noexcept {
  switch (kind) {
    case FrameKind::normal:
      return "normal";
    case FrameKind::concealed:
      return "concealed";
    case FrameKind::accelerated:
      return "accelerated";
    case FrameKind::expanded:
      return "expanded";
    case FrameKind::merged:
      return "merged";
    case FrameKind::cng:
      return "cng";
  }
  return "unknown";
}

struct Buffer::Impl {
  explicit Impl(const Config& c);

  Status push(const rtp::PacketView& p, std::size_t bytes, std::int64_t arrival_us) noexcept;
  Status pull(std::span<float> out, const std::int64_t* now_us, FrameInfo* info) noexcept;
  void measure_headroom(const StoredPacket& p, int clock_hz) noexcept;
  void reset() noexcept;

  // One playout operation; false when it made no progress (nothing more can be done).
  bool step() noexcept;
  PlayoutState state() const noexcept;
  double level_ms() const noexcept;
  double target_ms() const noexcept { return target_ms(fec_extra_ms()); }
  double target_ms(double fec_extra) const noexcept;
  // The headroom that must stay covered before a whole frame of it is given up (the higher
  // quantile's), for a decision whose target is target_ms.
  double headroom_high_target_ms(double target_ms, double fec_extra) const noexcept;
  // (Inline, like targets(): asked on every pull.)
  double fec_extra_ms() const noexcept {
    // In-band FEC (opus) recovers a lost packet from the next one only if that one is already
    // buffered when the hole comes up: once the stream has lost packets, keep one more.
    if (play_decoder < 0 || !decoder_has_fec[static_cast<std::size_t>(play_decoder)]) return 0;
    return tracker.lost() > 0 ? last_packet_ms : 0.0;
  }
  // The target and the high target, with what they were computed from. The delay quantiles
  // move on few packets, the packet duration and the FEC allowance hardly ever: most pulls find
  // them unchanged and reuse the last result (the config is fixed, so these inputs decide it).
  struct Targets {
    double quantile_ms = -1.0;  // (no quantile is negative: the first call computes)
    double high_quantile_ms = -1.0;
    double packet_ms = 0.0;
    double fec_extra_ms = 0.0;
    double target = 0.0;
    double high_target = 0.0;
  };
  const Targets& targets() noexcept {
    const double fec_extra = fec_extra_ms();
    const double quantile = delay.quantile_ms();  // (whole buckets: exact to compare)
    const double high_quantile = delay.high_quantile_ms();
    if (quantile != last_targets.quantile_ms || high_quantile != last_targets.high_quantile_ms ||
        last_packet_ms != last_targets.packet_ms || fec_extra != last_targets.fec_extra_ms) {
      retarget(quantile, high_quantile, fec_extra);
    }
    return last_targets;
  }
  void retarget(double quantile, double high_quantile, double fec_extra) noexcept;
  // Drops the packets that can no longer play. (Inline: the usual pull finds the next packet
  // in time and right at the playout point, and has nothing to do.)
  void purge_late() noexcept {
    if (!started || packets.empty()) return;
    const StoredPacket& next = packets.at(0);
    if (next.generation == play_generation && next.timestamp <= play_ts &&
        next.timestamp + next.units > play_ts) {
      return;
    }
    drop_late();
  }
  void drop_late() noexcept;
  void decode_next(Operation op, const PlayoutState& ps) noexcept;
  // The common step of packet and frame boundaries (samples): packets start at the same offset
  // into their frames modulo it.
  // (Inline for the usual case, packets of a frame's length: no call, no division.)
  [[nodiscard]] std::size_t boundary_step(std::size_t packet_samples) const noexcept {
    return packet_samples == frame ? frame : common_step(packet_samples);
  }
  [[nodiscard]] std::size_t common_step(std::size_t packet_samples) const noexcept;
  void conceal(std::size_t samples) noexcept;
  void recover_fec() noexcept;
  void drop_next() noexcept;
  void make_cng() noexcept;
  // The timeline a packet belongs to (see StoredPacket::generation). (The usual packet, in
  // order and later than the latest of its epoch, inline: it only moves that latest.)
  std::uint64_t timeline_of(const rtp::SequenceTracker::Result& r) noexcept {
    if (r.verdict == rtp::SequenceTracker::Verdict::in_order && r.generation == epoch_generation &&
        epoch_has_ts && r.extended_timestamp >= epoch_latest_ts) {
      epoch_latest_ts = r.extended_timestamp;
      return (std::uint64_t{r.generation} << 16) | epoch;
    }
    return place_in_timeline(r);
  }
  std::uint64_t place_in_timeline(const rtp::SequenceTracker::Result& r) noexcept;
  static std::uint32_t stream_of(std::uint64_t timeline) noexcept {
    return static_cast<std::uint32_t>(timeline >> 16);
  }
  [[nodiscard]] std::uint32_t metric_units(const StoredPacket& p) const noexcept {
    const int clock = decoders[static_cast<std::size_t>(p.decoder)]->info().rtp_clock_hz;
    if (clock == metrics_clock_hz) return static_cast<std::uint32_t>(p.units);  // no division
    return static_cast<std::uint32_t>(p.units * metrics_clock_hz / clock);
  }
  void rebase() noexcept;
  // (The RTP clock is the output rate for most codecs: no division then, on every packet.)
  [[nodiscard]] std::size_t units_to_samples(std::int64_t units, int clock_hz) const noexcept {
    if (clock_hz == rate) return static_cast<std::size_t>(units);
    return static_cast<std::size_t>(units * rate / clock_hz);
  }
  [[nodiscard]] double units_to_ms(std::int64_t units, int clock_hz) const noexcept {
    return static_cast<double>(units) * 1000.0 / clock_hz;
  }
  [[nodiscard]] double samples_to_ms(std::int64_t samples) const noexcept {
    return static_cast<double>(samples) * 1000.0 / rate;
  }

  Config config;
  int rate;
  std::size_t frame;
  std::size_t conceal_step;  // 2.5 ms: the finest concealment every decoder takes
  double level_alpha;        // the filtered level's smoothing per pull (see pull())
  std::array<PayloadKind, 128> kinds{};
  std::array<int, 128> decoder_of{};
  std::vector<std::unique_ptr<codec::Decoder>> decoders;
  std::vector<char> decoder_has_fec;  // decoders[i]->has_fec(), asked once (a virtual call)
  rtp::SequenceTracker tracker;
  rtp::TelephoneEventReceiver events;
  PacketBuffer packets;
  DelayEstimator delay;
  SyncBuffer sync;
  TimeStretcher stretcher;
  NoiseSource noise;
  rtp::InterarrivalJitter arrival_jitter{8000};
  FateWindow fates;
  rtp::EModel emodel;
  int metrics_clock_hz;  // RTP clock the burst/gap durations are counted on (the first codec's)
  std::unique_ptr<float[]> decoded;    // one packet's PCM
  std::unique_ptr<float[]> stretched;  // time-stretch output
  std::size_t scratch_samples;

  // Playout state.
  bool started = false;
  std::uint64_t play_generation = 0;  // the timeline playing (StoredPacket::generation)
  // Timestamp epochs of the current tracker generation: a packet later in sequence but earlier
  // in timestamp starts a new one (a sender that reset its timestamps without a new SSRC).
  std::uint32_t epoch = 0;
  std::uint32_t epoch_generation = 0;
  std::int64_t epoch_latest_ts = 0;
  bool epoch_has_ts = false;
  std::int64_t play_ts = 0;  // extended RTP timestamp of the next audio to decode
  int play_decoder = -1;
  int play_clock_hz = 8000;
  std::int64_t last_sequence = 0;
  bool have_last_sequence = false;
  std::int64_t waited_samples = 0;  // concealment / silence made at this playout point
  bool last_concealed = false;
  bool last_was_stretch = false;
  bool dtx_signalled = false;
  bool in_event = false;  // RFC 4733 packets came since the last audio packet
  int cn_level_dbov = 127;
  double filtered_level = 0.0;
  // Level and target measured by pull() for its first decision (valid until a step acts).
  bool hint_valid = false;
  double level_hint = 0.0;
  double target_hint = 0.0;
  double high_target_hint = 0.0;
  Targets last_targets;  // see targets()
  // Pull times, when the host gives them, and the headroom they let push() measure.
  bool pull_time_known = false;
  std::int64_t last_pull_us = 0;
  bool have_headroom = false;
  double headroom = 0.0;
  // Sub-frame trims (accelerates within the slack) the stretcher declined: retried after a
  // growing pause, so a slack shorter than the voice's pitch period costs no search per frame.
  std::int64_t trim_retry_frame = 0;
  std::int64_t trim_backoff = 1;
  double last_packet_ms = 20.0;
  std::int64_t clock_us = 0;  // latest arrival, advanced by pulls (event timeouts)
  bool clock_valid = false;

  Statistics stats;
  Usage usage;
};

Buffer::Impl::Impl(const Config& c)
    : config(c),
      rate(c.sample_rate_hz),
      frame(static_cast<std::size_t>(c.sample_rate_hz / 1000 * c.frame_ms)),
      conceal_step(static_cast<std::size_t>(c.sample_rate_hz / 400)),
      level_alpha(static_cast<double>(c.frame_ms) / (c.frame_ms + 80.0)),
      tracker(c.sequence),
      events(rtp::TelephoneEventReceiver::Config{.clock_rate_hz = c.telephone_event_clock_hz,
                                                 .end_timeout_ms = c.event_end_timeout_ms,
                                                 .queue_capacity = 64}),
      packets(c.packet_capacity, c.max_payload_bytes),
      delay(DelayEstimator::Config{.quantile = c.delay_quantile,
                                   .forget_factor = c.forget_factor,
                                   .bucket_ms = 0.25,
                                   .max_delay_ms = std::max(c.max_delay_ms, 100),
                                   .window_ms = 2000}),
      // Decoded audio can hold the longest packet, stretched by a period, behind a frame's
      // worth waiting to be played, plus the history time stretching reaches back into.
      sync(static_cast<std::size_t>(c.sample_rate_hz / 1000 *
                                    (2 * c.max_packet_ms + 2 * c.frame_ms + 60)),
           static_cast<std::size_t>(c.sample_rate_hz / 1000 * 30), c.sample_rate_hz),
      stretcher(c.sample_rate_hz),
      fates(
          rtp::VoipMetrics::Config{.clock_rate_hz = 8000, .gmin = 16, .default_packet_units = 160}),
      scratch_samples(static_cast<std::size_t>(c.sample_rate_hz / 1000 *
                                               (2 * c.max_packet_ms + 2 * c.frame_ms + 60))) {
  kinds.fill(PayloadKind::none);
  decoder_of.fill(-1);
  for (const PayloadMapping& m : c.payloads) {
    require(m.payload_type >= 0 && m.payload_type <= 127,
            "jitter::Buffer: payload types must be 0-127");
    require(kinds[static_cast<std::size_t>(m.payload_type)] == PayloadKind::none,
            "jitter::Buffer: a payload type is bound twice");
    codec::DecoderConfig dc;
    dc.format = m.format;
    dc.sample_rate_hz = c.sample_rate_hz;
    dc.channels = 1;
    dc.max_packet_ms = c.max_packet_ms;
    std::unique_ptr<codec::Decoder> d;
    try {
      d = codec::make_decoder(dc);
    } catch (const Error& e) {
      if (e.status() == Status::unsupported) throw;
      throw Error(Status::bad_config,
                  "jitter::Buffer: a payload format cannot decode at the buffer's sample rate "
                  "(G.711 decodes at 8000 Hz, G.722 at 16000 Hz, opus at any)");
    }
    require(d->info().sample_rate_hz == c.sample_rate_hz && d->info().channels == 1,
            "jitter::Buffer: a payload format cannot decode at the buffer's sample rate");
    kinds[static_cast<std::size_t>(m.payload_type)] = PayloadKind::audio;
    decoder_of[static_cast<std::size_t>(m.payload_type)] = static_cast<int>(decoders.size());
    decoder_has_fec.push_back(d->has_fec() ? 1 : 0);
    decoders.push_back(std::move(d));
  }
  for (auto [pt, kind, name] :
       {std::tuple{c.telephone_event_payload_type, PayloadKind::event, "telephone-event"},
        std::tuple{c.comfort_noise_payload_type, PayloadKind::comfort_noise, "comfort-noise"}}) {
    if (pt < 0) continue;
    (void)name;
    require(kinds[static_cast<std::size_t>(pt)] == PayloadKind::none,
            "jitter::Buffer: the telephone-event or comfort-noise payload type collides with "
            "another binding");
    kinds[static_cast<std::size_t>(pt)] = kind;
  }
  metrics_clock_hz = decoders.front()->info().rtp_clock_hz;
  fates = FateWindow(rtp::VoipMetrics::Config{
      .clock_rate_hz = metrics_clock_hz,
      .gmin = 16,
      .default_packet_units = static_cast<std::uint32_t>(metrics_clock_hz / 50)});
  arrival_jitter = rtp::InterarrivalJitter(metrics_clock_hz);
  decoded = std::make_unique<float[]>(scratch_samples);
  stretched = std::make_unique<float[]>(scratch_samples);
  reset();
}

void Buffer::Impl::reset() noexcept {
  tracker.reset();
  events.reset();
  packets.clear();
  delay.reset();
  sync.clear();
  stretcher.reset();
  noise.reset();
  arrival_jitter.reset();
  fates.reset();
  for (auto& d : decoders)
    d->reset();
  started = false;
  play_generation = 0;
  epoch = 0;
  epoch_generation = 0;
  epoch_latest_ts = 0;
  epoch_has_ts = false;
  play_ts = 0;
  play_decoder = -1;
  play_clock_hz = 8000;
  last_sequence = 0;
  have_last_sequence = false;
  waited_samples = 0;
  last_concealed = false;
  last_was_stretch = false;
  dtx_signalled = false;
  in_event = false;
  cn_level_dbov = 127;
  filtered_level = 0.0;
  hint_valid = false;
  last_targets = {};
  pull_time_known = false;
  last_pull_us = 0;
  have_headroom = false;
  headroom = 0.0;
  trim_retry_frame = 0;
  trim_backoff = 1;
  last_packet_ms = config.frame_ms;
  clock_us = 0;
  clock_valid = false;
  stats = {};
  usage = {};
  usage.sample_rate_hz = rate;
}

Status Buffer::Impl::push(const rtp::PacketView& p, std::size_t bytes,
                          std::int64_t arrival_us) noexcept {
  ++usage.packets;
  usage.bytes += static_cast<std::int64_t>(bytes);
  if (!usage.any_packet) usage.first_packet_us = arrival_us;
  usage.any_packet = true;
  usage.last_packet_us = arrival_us;
  if (!clock_valid || arrival_us > clock_us) clock_us = arrival_us;
  clock_valid = true;

  const PayloadKind kind = kinds[p.payload_type];
  if (kind == PayloadKind::none) {
    ++stats.unknown_payload;
    return Status::unsupported;
  }
  // Audio payloads are checked before the tracker sees them, so a malformed packet cannot
  // count as received.
  std::size_t samples = 0;
  int decoder = -1;
  if (kind == PayloadKind::audio) {
    decoder = decoder_of[p.payload_type];
    if (decoders[static_cast<std::size_t>(decoder)]->samples_in(p.payload, &samples) !=
            Status::ok ||
        samples == 0) {
      ++stats.malformed;
      return Status::malformed;
    }
  }
  const rtp::SequenceTracker::Result r = tracker.update(p);
  if (r.verdict == rtp::SequenceTracker::Verdict::duplicate ||
      r.verdict == rtp::SequenceTracker::Verdict::bad_jump) {
    return Status::ok;  // counted by the tracker
  }
  if (kind == PayloadKind::event) {
    ++stats.event_packets;
    (void)events.push(p, arrival_us);  // a short payload is counted as malformed there
    fates.received(r.extended_sequence, 0);
    // The sender sends events instead of audio (RFC 4733 section 2.5.1.1 lets it): the gap
    // in the audio is intentional, silence rather than concealment.
    in_event = true;
    return Status::ok;
  }
  if (kind == PayloadKind::comfort_noise) {
    ++stats.comfort_noise_packets;
    dtx_signalled = true;
    cn_level_dbov = p.payload.empty() ? 127 : (p.payload[0] & 0x7F);
    fates.received(r.extended_sequence, 0);
    return Status::ok;
  }

  const codec::Info& info = decoders[static_cast<std::size_t>(decoder)]->info();
  const std::int64_t units = info.rtp_clock_hz == info.sample_rate_hz
                                 ? static_cast<std::int64_t>(samples)
                                 : codec::rtp_units(info, static_cast<std::int64_t>(samples));
  if (r.verdict == rtp::SequenceTracker::Verdict::restarted ||
      arrival_jitter.clock_rate_hz() != info.rtp_clock_hz) {
    delay.restart();
    arrival_jitter = rtp::InterarrivalJitter(info.rtp_clock_hz);  // a new stream (RFC 3550)
  }
  const auto metric_units = static_cast<std::uint32_t>(
      info.rtp_clock_hz == metrics_clock_hz ? units : units * metrics_clock_hz / info.rtp_clock_hz);
  const std::uint64_t timeline = timeline_of(r);
  if (r.verdict == rtp::SequenceTracker::Verdict::probation) {
    // Only one candidate source is held at a time.
    packets.erase_if([&](const StoredPacket& s) {
      return stream_of(s.generation) == r.generation && s.ssrc != p.ssrc;
    });
  }
  // Usage counts what the network delivered, played or not (late, overflow and oversized
  // packets included; the tracker has dropped copies), so it reconciles with the operator's
  // records whatever the buffer's timing decided.
  ++usage.audio_packets;
  usage.media_samples_received += static_cast<std::int64_t>(samples);
  // Too late: its audio is behind the playout point (or its stream was replaced).
  if (started && (timeline < play_generation ||
                  (timeline == play_generation && r.extended_timestamp + units <= play_ts))) {
    ++stats.late;
    fates.discarded(r.extended_sequence, metric_units);
    arrival_jitter.update(p.timestamp, arrival_us);  // it did arrive (RFC 3550 counts it)
    return Status::ok;
  }
  if (p.payload.size() > config.max_payload_bytes) {
    ++stats.oversized;
    return Status::ok;
  }
  StoredPacket* s = nullptr;
  const PacketBuffer::Insert placed =
      packets.place({timeline, r.extended_timestamp, r.extended_sequence, p.ssrc}, p.payload, &s);
  if (s != nullptr) {
    s->raw_timestamp = p.timestamp;
    s->payload_type = p.payload_type;
    s->decoder = decoder;
    s->units = units;
    s->samples = samples;
    s->arrival_us = arrival_us;
    s->marker = p.marker;
  }
  switch (placed) {
    case PacketBuffer::Insert::stored:
      break;
    case PacketBuffer::Insert::evicted_latest:
      ++stats.overflow;
      break;
    case PacketBuffer::Insert::refused_full:
      ++stats.overflow;
      fates.discarded(r.extended_sequence, metric_units);
      return Status::ok;
    case PacketBuffer::Insert::duplicate:
      ++stats.duplicates;
      --usage.audio_packets;  // a copy the tracker could not know (a held probation packet)
      usage.media_samples_received -= static_cast<std::int64_t>(samples);
      return Status::ok;
    case PacketBuffer::Insert::too_large:
      ++stats.oversized;
      return Status::ok;
  }
  dtx_signalled = false;
  in_event = false;
  delay.update(r.extended_timestamp, info.rtp_clock_hz, arrival_us);
  arrival_jitter.update(p.timestamp, arrival_us);
  if (r.accepted) measure_headroom(*s, info.rtp_clock_hz);
  return Status::ok;
}

std::uint64_t Buffer::Impl::place_in_timeline(const rtp::SequenceTracker::Result& r) noexcept {
  if (r.verdict == rtp::SequenceTracker::Verdict::probation)
    return std::uint64_t{r.generation} << 16;
  if (r.generation != epoch_generation) {
    epoch_generation = r.generation;
    epoch = 0;
    epoch_has_ts = false;
  }
  std::uint32_t e = epoch;
  if (r.verdict == rtp::SequenceTracker::Verdict::reordered) {
    // Later in timestamp than the newest packet of this epoch: it belongs to the one before.
    if (epoch > 0 && epoch_has_ts && r.extended_timestamp > epoch_latest_ts) e = epoch - 1;
  } else {
    if (epoch_has_ts && r.extended_timestamp < epoch_latest_ts && epoch < 0xFFFF) {
      e = ++epoch;  // timestamps jumped back: a new timeline, measured afresh
      delay.restart();
      arrival_jitter.reset();
    }
    epoch_latest_ts = r.extended_timestamp;
    epoch_has_ts = true;
  }
  return (std::uint64_t{r.generation} << 16) | e;
}

void Buffer::Impl::measure_headroom(const StoredPacket& p, int clock_hz) noexcept {
  if (!started || !pull_time_known || p.generation != play_generation || p.timestamp < play_ts ||
      clock_hz != play_clock_hz) {
    return;
  }
  // The tick that will need this packet's first sample, and how long before it the packet
  // came; plus its relative delay, that is the headroom a packet with none would have had.
  // Concealment made while waiting at the playout point stands in for the start of the hole
  // before this packet: only the rest of the hole is still to be played before it.
  const auto hole = static_cast<std::int64_t>(units_to_samples(p.timestamp - play_ts, clock_hz));
  const std::size_t ahead =
      sync.available() + static_cast<std::size_t>(std::max<std::int64_t>(0, hole - waited_samples));
  const auto ticks = static_cast<std::int64_t>(ahead / frame);
  const std::int64_t frame_us = std::int64_t{config.frame_ms} * 1000;
  const std::int64_t needed_us = last_pull_us + frame_us * (1 + ticks);
  const double sample =
      static_cast<double>(needed_us - p.arrival_us) / 1000.0 + delay.last_relative_ms();
  if (!have_headroom) {
    have_headroom = true;
    headroom = sample;
    return;
  }
  // Jitter hardly moves this sample (a late packet loses headroom and gains relative delay
  // alike); ticks and drift do. A light filter is enough.
  headroom += 0.5 * (sample - headroom);
}

double Buffer::Impl::level_ms() const noexcept {
  double level = samples_to_ms(static_cast<std::int64_t>(sync.available()));
  // The span of stored audio of the playing generation from the playout point on (holes count:
  // they will be concealed, which takes playout time too).
  if (packets.empty()) return level;
  // Packets are in playout order, so the timeline's packets are a run at the front and its
  // latest one ends the span (found from the back: later timelines are rare).
  const std::uint64_t timeline = started ? play_generation : packets.at(0).generation;
  if (packets.at(0).generation != timeline) return level;
  std::size_t last = packets.size() - 1;
  while (packets.at(last).generation != timeline)
    --last;
  const StoredPacket& tail = packets.at(last);
  const std::int64_t end = tail.timestamp + tail.units;
  const std::int64_t from = started ? play_ts : packets.at(0).timestamp;
  const int clock = decoders[static_cast<std::size_t>(tail.decoder)]->info().rtp_clock_hz;
  if (end > from) level += units_to_ms(end - from, clock);
  return level;
}

double Buffer::Impl::target_ms(double fec_extra) const noexcept {
  if (config.mode == DelayMode::fixed) return config.fixed_delay_ms;
  const double target = delay.quantile_ms() + last_packet_ms + fec_extra;
  return std::clamp(target, static_cast<double>(config.min_delay_ms),
                    static_cast<double>(config.max_delay_ms));
}

double Buffer::Impl::headroom_high_target_ms(double target_ms, double fec_extra) const noexcept {
  const double headroom_target = target_ms - last_packet_ms;
  if (config.mode == DelayMode::fixed) return headroom_target;
  return std::max(headroom_target,
                  std::min(delay.high_quantile_ms() + fec_extra,
                           static_cast<double>(config.max_delay_ms) - last_packet_ms));
}

void Buffer::Impl::retarget(double quantile, double high_quantile, double fec_extra) noexcept {
  Targets& t = last_targets;
  t.quantile_ms = quantile;
  t.high_quantile_ms = high_quantile;
  t.packet_ms = last_packet_ms;
  t.fec_extra_ms = fec_extra;
  t.target = target_ms(fec_extra);
  t.high_target = headroom_high_target_ms(t.target, fec_extra);
}

// (Called by purge_late() once playout has started.)
void Buffer::Impl::drop_late() noexcept {
  const auto discard = [&](const StoredPacket& s) {
    if (s.generation == play_generation) fates.discarded(s.sequence, metric_units(s));
  };
  // Late packets sit at the front (playout order): drop them from there.
  while (!packets.empty()) {
    const StoredPacket& s = packets.at(0);
    const bool late = s.generation < play_generation ||
                      (s.generation == play_generation && s.timestamp + s.units <= play_ts);
    if (!late) break;
    discard(s);
    packets.erase(0);
    ++stats.late;
  }
  // Once a restarted stream is confirmed, the old one plays on only while it is contiguous:
  // a hole in it is not worth concealing when the new stream is already here.
  if (packets.empty() || packets.at(0).generation != play_generation ||
      packets.at(0).timestamp <= play_ts) {
    return;
  }
  const StoredPacket& last = packets.at(packets.size() - 1);
  if (last.generation > play_generation && stream_of(last.generation) <= tracker.generation()) {
    stats.late += static_cast<std::int64_t>(packets.erase_if([&](const StoredPacket& s) {
      if (s.generation != play_generation) return false;
      discard(s);
      return true;
    }));
  }
}

PlayoutState Buffer::Impl::state() const noexcept {
  PlayoutState s;
  s.started = started;
  s.frame_ms = config.frame_ms;
  s.dtx_signalled = dtx_signalled || in_event;
  s.waited_ms = samples_to_ms(waited_samples);
  s.level_ms = hint_valid ? level_hint : level_ms();
  s.filtered_level_ms = filtered_level;
  // (fec_extra_ms() is asked once: the target and the high target both add it.)
  const double fec_extra = hint_valid ? 0.0 : fec_extra_ms();
  s.target_ms = hint_valid ? target_hint : target_ms(fec_extra);
  s.last_was_stretch = last_was_stretch;
  s.headroom_known = pull_time_known && have_headroom;
  s.headroom_ms = headroom;
  s.headroom_target_ms = s.target_ms - last_packet_ms;
  s.headroom_high_target_ms =
      hint_valid ? high_target_hint : headroom_high_target_ms(s.target_ms, fec_extra);
  // Packets of a source still on probation are held but not played.
  if (packets.empty() || stream_of(packets.at(0).generation) > tracker.generation()) return s;
  const StoredPacket& p = packets.at(0);
  const codec::Decoder& d = *decoders[static_cast<std::size_t>(p.decoder)];
  const int clock = d.info().rtp_clock_hz;
  s.have_packet = true;
  if (!started) return s;
  s.newer_generation = p.generation != play_generation || clock != play_clock_hz;
  if (s.newer_generation) return s;
  s.packet_is_next = p.timestamp <= play_ts;
  s.packet_ms = units_to_ms(p.units, clock);
  s.following_stored = packets.size() > 1 && packets.at(1).generation == p.generation &&
                       packets.at(1).timestamp == p.timestamp + p.units;
  if (!s.packet_is_next) {
    s.gap_ms = units_to_ms(p.timestamp - play_ts, clock);
    // No audio missing in between: every sequence number since the last packet played arrived
    // (RFC 4733 events and comfort noise use them too).
    s.gap_is_dtx =
        p.marker || (have_last_sequence && fates.all_arrived(last_sequence + 1, p.sequence));
    s.fec_possible = d.has_fec() && p.timestamp - play_ts <= p.units;
  }
  if (config.time_stretch && s.packet_is_next) {
    // Audio that can be decoded ahead without a hole: the stretcher analyses 15 ms either
    // side of its anchor (accelerate: 30 ms of unplayed audio; expand: 15 ms after the
    // played history it overlaps).
    std::size_t ahead = sync.available();
    std::int64_t next = play_ts;
    for (std::size_t i = 0; i < packets.size() && i < 4; ++i) {
      const StoredPacket& q = packets.at(i);
      if (q.generation != play_generation || q.decoder != p.decoder || q.timestamp > next) break;
      ahead += units_to_samples(q.units, clock);
      next = q.timestamp + q.units;
    }
    s.can_accelerate = ahead >= stretcher.min_input_samples();
    s.can_expand = ahead >= stretcher.max_period_samples();
    const std::size_t step = boundary_step(units_to_samples(p.units, clock));
    const std::size_t avail = sync.available();
    s.slack_ms = samples_to_ms(static_cast<std::int64_t>(avail < step ? avail : avail % step));
    s.trim_allowed = stats.frames >= trim_retry_frame;
    s.can_trim = s.can_expand && sync.history(stretcher.max_period_samples()).size() >=
                                     stretcher.max_period_samples();
  }
  return s;
}

bool Buffer::Impl::step() noexcept {
  if (!hint_valid) purge_late();  // (pull() has just purged before the first step)
  const PlayoutState s = state();
  hint_valid = false;  // whatever the operation, the level moves
  const Operation op = decide(s);
  switch (op) {
    case Operation::cng:
      make_cng();
      return true;
    case Operation::rebase:
      rebase();
      return true;
    case Operation::normal:
    case Operation::accelerate:
    case Operation::preemptive_expand:
      decode_next(op, s);
      return true;
    case Operation::conceal: {
      // Waiting: just enough to complete the frame (in whole 2.5 ms steps), so the packet that
      // turns up starts a frame of its own instead of leaving concealment in front of it that
      // would delay it for nothing (it is due at the same tick either way).
      const std::size_t short_of = frame - std::min(frame, sync.available());
      std::size_t n = std::clamp<std::size_t>(
          (short_of + conceal_step - 1) / conceal_step * conceal_step, conceal_step, frame);
      if (s.have_packet && s.gap_ms > 0.0) {
        // Just enough to reach the next packet, in whole 2.5 ms steps.
        // (The waited time can pass the gap: clamp in floating point, before the cast.)
        const double remaining_ms = s.gap_ms - s.waited_ms;
        const double steps =
            std::ceil(remaining_ms * rate / 1000.0 / static_cast<double>(conceal_step));
        const double max_steps = static_cast<double>(frame / conceal_step);
        n = static_cast<std::size_t>(std::clamp(steps, 1.0, max_steps)) * conceal_step;
        n = std::clamp<std::size_t>(n, conceal_step, frame);
      }
      conceal(n);
      return true;
    }
    case Operation::fec:
      recover_fec();
      return true;
    case Operation::drop:
      drop_next();
      return true;
  }
  return false;
}

void Buffer::Impl::make_cng() noexcept {
  std::span<float> room = sync.reserve(frame);
  if (room.size() < frame) return;
  if (dtx_signalled) {
    noise.fill(room, cn_level_dbov);
  } else {
    std::fill(room.begin(), room.end(), 0.0f);
  }
  sync.commit(frame, SyncBuffer::Tag{FrameKind::cng, false, 0, play_clock_hz});
  waited_samples += static_cast<std::int64_t>(frame);
  stats.samples_cng += static_cast<std::int64_t>(frame);
  last_was_stretch = false;
}

void Buffer::Impl::rebase() noexcept {
  const StoredPacket& p = packets.at(0);
  const codec::Decoder& d = *decoders[static_cast<std::size_t>(p.decoder)];
  const bool restart =
      !started || p.generation != play_generation || d.info().rtp_clock_hz != play_clock_hz;
  if (restart) {
    have_last_sequence = false;
    fates.restart(p.sequence);
    if (started && p.decoder == play_decoder)
      decoders[static_cast<std::size_t>(p.decoder)]->reset();
  }
  // A hole that concealment covered exactly leaves every later packet due at the tick it was
  // due at, so the headroom holds; a restart, a talkspurt or a jump moves the playout point
  // against the ticks, and the next packets measure the headroom afresh.
  const bool covered =
      !restart && p.timestamp > play_ts &&
      waited_samples >= static_cast<std::int64_t>(
                            units_to_samples(p.timestamp - play_ts, d.info().rtp_clock_hz)) &&
      waited_samples < static_cast<std::int64_t>(
                           units_to_samples(p.timestamp - play_ts, d.info().rtp_clock_hz) + frame);
  if (!covered) have_headroom = false;
  started = true;
  play_generation = p.generation;
  play_ts = p.timestamp;
  play_clock_hz = d.info().rtp_clock_hz;
  waited_samples = 0;
}

std::size_t Buffer::Impl::common_step(std::size_t packet_samples) const noexcept {
  std::size_t a = frame, b = packet_samples;
  while (b != 0) {
    const std::size_t t = a % b;
    a = b;
    b = t;
  }
  return std::max<std::size_t>(a, 1);
}

void Buffer::Impl::decode_next(Operation op, const PlayoutState& ps) noexcept {
  // Where the next packet starts in the frame that needs it (before this one is decoded).
  const std::size_t offset = sync.available();
  // By reference: erase() frees the slot, but only the next place() reuses it.
  const StoredPacket& p = packets.at(0);
  codec::Decoder& d = *decoders[static_cast<std::size_t>(p.decoder)];
  // Straight into the decoded-audio buffer (no copy through scratch): the packet's duration was
  // measured at push, so exactly that much room is needed, and the decoder need not measure it.
  const std::size_t n = p.samples;
  const Status st = d.decode_measured(packets.payload(0), n, sync.reserve(n));
  packets.erase(0);
  play_ts = std::max(play_ts, p.timestamp + p.units);  // an overlapping packet never rewinds
  last_sequence = p.sequence;
  have_last_sequence = true;
  // A packet that plays after concealment waited for it (it came late) moves every later
  // packet's tick by the wait. The headroom those packets measured while it was missing took
  // the wait as standing in for it; correct it at once rather than over the next few arrivals,
  // so the buffer decides on the delay it now has (and gives the frame back, if it can, on the
  // next pull instead of four or five later).
  if (waited_samples > 0 && have_headroom) headroom += samples_to_ms(waited_samples);
  waited_samples = 0;
  fates.played(p.sequence, metric_units(p));
  if (st != Status::ok || n == 0) {
    ++stats.malformed;  // the hole it leaves is concealed like a loss
    return;
  }
  play_decoder = p.decoder;
  play_clock_hz = d.info().rtp_clock_hz;
  last_packet_ms = units_to_ms(p.units, play_clock_hz);
  const SyncBuffer::Tag tag{last_concealed ? FrameKind::merged : FrameKind::normal, true,
                            p.raw_timestamp, play_clock_hz};
  last_concealed = false;
  last_was_stretch = false;
  sync.commit(n, tag);
  if (op == Operation::normal) return;
  // Accelerate needs 30 ms of unplayed audio: decode the packets right after this one too.
  while (op == Operation::accelerate && sync.available() < stretcher.min_input_samples() &&
         !packets.empty() && packets.at(0).generation == play_generation &&
         packets.at(0).decoder == p.decoder && packets.at(0).timestamp == play_ts) {
    const StoredPacket q = packets.at(0);
    const std::size_t m = q.samples;
    const Status qs =
        d.decode_measured(packets.payload(0), m, std::span<float>(decoded.get(), scratch_samples));
    packets.erase(0);
    play_ts = q.timestamp + q.units;
    last_sequence = q.sequence;
    fates.played(q.sequence, metric_units(q));
    if (qs != Status::ok || m == 0) {
      ++stats.malformed;
      return;
    }
    if (!sync.append(std::span<const float>(decoded.get(), m),
                     SyncBuffer::Tag{FrameKind::normal, true, q.raw_timestamp, play_clock_hz})) {
      return;
    }
  }

  std::span<float> future = sync.future();
  const SyncBuffer::Tag head = sync.peek_tag();
  // The next packets' ticks move only when a stretch carries their first sample across a frame
  // boundary; when every packet starts at the same offset into its frame the headroom is
  // corrected at once (whole frames), instead of waiting for the next arrivals to measure it.
  const bool aligned = boundary_step(units_to_samples(p.units, play_clock_hz)) == frame;
  if (op == Operation::accelerate) {
    const double limit_ms = accelerate_limit_ms(ps);
    const bool trim = ps.headroom_known && limit_ms < static_cast<double>(config.frame_ms);
    // A trim may have less than 30 ms to work on: the played history serves its pitch search.
    const std::span<const float> history =
        trim ? sync.history(stretcher.max_period_samples()) : std::span<const float>();
    const std::span<const float> in(history.data() != nullptr ? history.data() : future.data(),
                                    history.size() + future.size());
    const std::span<float> scratch(stretched.get(), scratch_samples);
    TimeStretcher::Result r;
    if (trim) {
      r = stretcher.accelerate(in, history.size(), scratch,
                               static_cast<std::size_t>(limit_ms * rate / 1000.0));
    } else if (ps.headroom_known) {
      // A whole frame or more to spare (a stall drained late, say): as many periods as fit in
      // it and in the stretcher's 15 ms, NetEq's fast accelerate.
      r = stretcher.accelerate(
          future, scratch, static_cast<std::size_t>(std::min(limit_ms, 1000.0) * rate / 1000.0));
    } else {
      r = stretcher.accelerate(future, scratch);  // level-based: one period
    }
    if (trim) {
      if (r.applied) {
        trim_backoff = 1;
      } else {
        trim_retry_frame = stats.frames + trim_backoff;
        trim_backoff = std::min<std::int64_t>(trim_backoff * 2, 64);
      }
    }
    if (r.applied && r.change < 0) {
      sync.replace_future(
          std::span<const float>(stretched.get() + history.size(), r.written - history.size()),
          SyncBuffer::Tag{FrameKind::accelerated, head.has_timestamp, head.timestamp,
                          head.clock_hz});
      stats.samples_accelerated += -r.change;
      last_was_stretch = true;
      const auto removed = static_cast<std::size_t>(-r.change);
      const std::size_t start = offset % frame;
      if (aligned && have_headroom && removed > start) {
        headroom -= static_cast<double>(config.frame_ms) *
                    static_cast<double>((removed - start + frame - 1) / frame);
      }
    }
  } else {
    // 15 ms of played history puts the stretcher's anchor at the first unplayed sample.
    const std::span<const float> history = sync.history(stretcher.max_period_samples());
    const std::span<const float> in(history.data(), history.size() + future.size());
    const TimeStretcher::Result r = stretcher.preemptive_expand(
        in, history.size(), std::span<float>(stretched.get(), scratch_samples));
    if (r.applied && r.change > 0 && r.written > history.size()) {
      sync.replace_future(
          std::span<const float>(stretched.get() + history.size(), r.written - history.size()),
          SyncBuffer::Tag{FrameKind::expanded, head.has_timestamp, head.timestamp, head.clock_hz});
      stats.samples_expanded += r.change;
      last_was_stretch = true;
      const std::size_t start = offset % frame;
      if (aligned && have_headroom) {
        headroom += static_cast<double>(config.frame_ms) *
                    static_cast<double>((start + static_cast<std::size_t>(r.change)) / frame);
      }
    }
  }
}

void Buffer::Impl::conceal(std::size_t samples) noexcept {
  if (play_decoder < 0) {
    make_cng();
    return;
  }
  std::span<float> room = sync.reserve(samples);
  if (room.size() < samples) return;
  if (decoders[static_cast<std::size_t>(play_decoder)]->conceal(room) != Status::ok) {
    std::fill(room.begin(), room.end(), 0.0f);
  }
  sync.commit(samples, SyncBuffer::Tag{FrameKind::concealed, false, 0, play_clock_hz});
  waited_samples += static_cast<std::int64_t>(samples);
  stats.samples_concealed += static_cast<std::int64_t>(samples);
  last_concealed = true;
  last_was_stretch = false;
}

void Buffer::Impl::drop_next() noexcept {
  const StoredPacket p = packets.at(0);
  packets.erase(0);
  const std::int64_t end = std::max(play_ts, p.timestamp + p.units);
  // The concealment that stood in for it is used up; what remains stands in for the next one.
  waited_samples = std::max<std::int64_t>(
      0,
      waited_samples - static_cast<std::int64_t>(units_to_samples(end - play_ts, play_clock_hz)));
  play_ts = end;
  last_sequence = p.sequence;
  have_last_sequence = true;
  fates.discarded(p.sequence, metric_units(p));
  ++stats.late;
}

void Buffer::Impl::recover_fec() noexcept {
  const StoredPacket& p = packets.at(0);
  codec::Decoder& d = *decoders[static_cast<std::size_t>(p.decoder)];
  const std::int64_t gap_units = p.timestamp - play_ts;
  const std::size_t n = units_to_samples(gap_units, d.info().rtp_clock_hz);
  std::span<float> room = sync.reserve(n);
  if (room.size() < n || d.decode_fec(packets.payload(0), room) != Status::ok) {
    conceal(std::min(n, frame));
    return;
  }
  sync.commit(n, SyncBuffer::Tag{FrameKind::normal, true,
                                 static_cast<std::uint32_t>(p.raw_timestamp -
                                                            static_cast<std::uint32_t>(gap_units)),
                                 d.info().rtp_clock_hz});
  stats.samples_fec += static_cast<std::int64_t>(n);
  play_ts = p.timestamp;
  play_decoder = p.decoder;
  waited_samples = 0;
  last_concealed = false;
  last_was_stretch = false;
}

Status Buffer::Impl::pull(std::span<float> out, const std::int64_t* now_us,
                          FrameInfo* info) noexcept {
  if (out.size() != frame) return Status::invalid_argument;
  purge_late();
  const double level = level_ms();
  // Buffer level smoothed over about 100 ms, so one burst does not look like a higher delay.
  filtered_level += level_alpha * (level - filtered_level);
  const Targets& targets_now = targets();
  const double target = targets_now.target;
  // The first decision sees exactly this state: it need not measure it again.
  level_hint = level;
  target_hint = target;
  high_target_hint = targets_now.high_target;
  hint_valid = true;
  for (int guard = 0; sync.available() < frame && guard < 64; ++guard) {
    if (!step()) break;
  }
  if (sync.available() < frame) make_cng();  // cannot happen; keeps the frame size exact
  FrameKind kind = FrameKind::cng;
  SyncBuffer::Tag head;
  sync.take(out, &kind, &head);
  ++stats.frames;
  ++stats.frames_by_kind[static_cast<int>(kind)];
  stats.samples_played += static_cast<std::int64_t>(frame);
  usage.samples_played += static_cast<std::int64_t>(frame);
  if (info != nullptr) {
    info->kind = kind;
    info->has_timestamp =
        head.has_timestamp && kind != FrameKind::cng && kind != FrameKind::concealed;
    info->rtp_timestamp = info->has_timestamp ? head.timestamp : 0;
    // Both are non-negative: rounded half up inline (std::lround is a library call per pull).
    info->delay_ms = static_cast<int>(level + 0.5);
    info->target_delay_ms = static_cast<int>(target + 0.5);
  }
  if (now_us != nullptr) {
    pull_time_known = true;
    last_pull_us = *now_us;
    if (!clock_valid || *now_us > clock_us) clock_us = *now_us;
    clock_valid = true;
    events.poll(clock_us);
  } else if (clock_valid) {
    clock_us += std::int64_t{config.frame_ms} * 1000;
    events.poll(clock_us);
  }
  return Status::ok;
}

Buffer::Buffer(const Config& config) {
  validate(config);
  impl_ = std::make_unique<Impl>(config);
}
Buffer::~Buffer() = default;
Buffer::Buffer(Buffer&&) noexcept = default;
Buffer& Buffer::operator=(Buffer&&) noexcept = default;

Status Buffer::push(std::span<const std::uint8_t> datagram, std::int64_t arrival_us) noexcept {
  rtp::PacketView view;
  if (const Status st = rtp::parse(datagram, &view, nullptr); st != Status::ok) {
    ++impl_->stats.malformed;
    return st;
  }
  return impl_->push(view, datagram.size(), arrival_us);
}

Status Buffer::push(const rtp::PacketView& packet, std::size_t datagram_bytes,
                    std::int64_t arrival_us) noexcept {
  return impl_->push(packet, datagram_bytes, arrival_us);
}

Status Buffer::pull(std::span<float> out, FrameInfo* info) noexcept {
  return impl_->pull(out, nullptr, info);
}

Status Buffer::pull(std::span<float> out, std::int64_t now_us, FrameInfo* info) noexcept {
  return impl_->pull(out, &now_us, info);
}

Status Buffer::pull(std::span<std::int16_t> out, FrameInfo* info) noexcept {
  return pull_s16(out, nullptr, info);
}

Status Buffer::pull(std::span<std::int16_t> out, std::int64_t now_us, FrameInfo* info) noexcept {
  return pull_s16(out, &now_us, info);
}

Status Buffer::pull_s16(std::span<std::int16_t> out, const std::int64_t* now_us,
                        FrameInfo* info) noexcept {
  if (out.size() != impl_->frame) return Status::invalid_argument;
  float* tmp = impl_->stretched.get();  // free between pulls
  const Status st = impl_->pull(std::span<float>(tmp, impl_->frame), now_us, info);
  if (st != Status::ok) return st;
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = core::float_to_s16(tmp[i]);
  return Status::ok;
}

std::size_t Buffer::read_events(std::span<rtp::TelephoneEvent> out) noexcept {
  return impl_->events.read(out);
}

std::size_t Buffer::frame_samples() const noexcept {
  return impl_->frame;
}
int Buffer::sample_rate_hz() const noexcept {
  return impl_->rate;
}

Statistics Buffer::statistics() const noexcept {
  Statistics s = impl_->stats;
  const rtp::SequenceTracker& t = impl_->tracker;
  s.received = t.stats().received;
  s.lost = t.lost();
  s.duplicates += t.stats().duplicates;
  s.reordered = t.stats().reordered;
  s.bad_sequence = t.stats().bad_jumps;
  s.restarts = t.stats().restarts;
  const std::int64_t expected = t.expected();
  if (expected > 0) {
    s.loss_rate = static_cast<double>(s.lost) / static_cast<double>(expected);
    s.discard_rate = static_cast<double>(s.late + s.overflow) / static_cast<double>(expected);
  }
  s.buffered_packets = static_cast<std::int64_t>(impl_->packets.size());
  s.interarrival_jitter_ms = impl_->arrival_jitter.jitter_ms();
  s.interarrival_jitter_units = impl_->arrival_jitter.rtp_units();
  const rtp::VoipMetrics::Report m = impl_->fates.report();
  s.burst_density = m.burst_density;
  s.gap_density = m.gap_density;
  s.burst_duration_ms = m.burst_duration_ms;
  s.gap_duration_ms = m.gap_duration_ms;
  s.burst_ratio = m.burst_ratio;
  // The E-model for the codec playing (the first configured one before any packet played).
  const int d = impl_->play_decoder >= 0 ? impl_->play_decoder : 0;
  rtp::Codec codec = rtp::Codec::g711_plc;  // G.711 and L16 conceal with Appendix I
  switch (impl_->decoders[static_cast<std::size_t>(d)]->info().kind) {
    case codec::Kind::g722:
      codec = rtp::Codec::g722;
      break;
    case codec::Kind::opus:
      codec = rtp::Codec::opus;
      break;
    default:
      break;
  }
  rtp::EModel::Conditions conditions;
  conditions.codec = rtp::codec_impairment(codec);
  conditions.mouth_to_ear_ms =
      impl_->config.network_delay_ms + impl_->level_ms() + impl_->last_packet_ms;
  conditions.packet_loss_percent = m.packet_loss_percent();
  conditions.burst_ratio = m.burst_ratio;
  const rtp::Rating rating = impl_->emodel.rate(conditions);
  s.r_factor = rating.r;
  s.mos = rating.mos;
  s.wideband_rating = rating.scale == rtp::RatingScale::wideband;
  s.current_delay_ms = static_cast<int>(std::lround(impl_->level_ms()));
  s.target_delay_ms = static_cast<int>(std::lround(impl_->target_ms()));
  return s;
}

Usage Buffer::usage() const noexcept {
  return impl_->usage;
}

void Buffer::reset() noexcept {
  impl_->reset();
}

}  // namespace ivrmedia::jitter
