#include "player.hpp"

#include <algorithm>
#include <climits>

#include "ivrmedia/dtmf.hpp"
#include "ivrmedia/telephone_event.hpp"

namespace rtpplay {

namespace jitter = ivrmedia::jitter;
namespace rtp = ivrmedia::rtp;
namespace dtmf = ivrmedia::dtmf;

namespace {

// Places RFC 4733 events on the output time line. RFC 4733 events share the audio's timestamp
// space when their clocks match (telephone-event/8000 beside PCMU), so the output position of
// an event's onset follows from the last frame that started with a known timestamp. With
// another clock (or before any audio played) the arrival time plus the buffer delay then is the
// best estimate.
class EventPlacer {
 public:
  EventPlacer(int out_rate, int event_clock) : out_rate_(out_rate), event_clock_(event_clock) {}

  void frame(std::int64_t out_pos, std::int64_t tick_us, const jitter::FrameInfo& info) {
    tick_us_ = tick_us;
    out_pos_ = out_pos;
    delay_ms_ = info.delay_ms;
    if (info.has_timestamp) {
      anchor_valid_ = true;
      anchor_pos_ = out_pos;
      anchor_ts_ = info.rtp_timestamp;
    }
  }

  void audio_clock(int clock) { audio_clock_ = clock; }

  // Output sample of an event onset.
  [[nodiscard]] double onset_s(const rtp::TelephoneEvent& ev) const {
    if (anchor_valid_ && audio_clock_ == event_clock_) {
      const auto delta =
          static_cast<std::int32_t>(static_cast<std::uint32_t>(ev.start) - anchor_ts_);
      return (static_cast<double>(anchor_pos_) +
              static_cast<double>(delta) * out_rate_ / event_clock_) /
             out_rate_;
    }
    // The event arrived delay_ms before it plays; the frame at tick_us_ starts at out_pos_.
    const double arrival_pos = static_cast<double>(out_pos_) +
                               static_cast<double>(ev.arrival_us - tick_us_) * 1e-6 * out_rate_;
    return arrival_pos / out_rate_ + delay_ms_ / 1000.0;
  }

 private:
  int out_rate_, event_clock_;
  int audio_clock_ = 0;
  bool anchor_valid_ = false;
  std::int64_t anchor_pos_ = 0;
  std::uint32_t anchor_ts_ = 0;
  std::int64_t tick_us_ = 0, out_pos_ = 0;
  int delay_ms_ = 0;
};

}  // namespace

std::vector<Digit> merge_digits(const std::vector<Digit>& rfc4733, const std::vector<Digit>& inband,
                                double slack_s) {
  std::vector<Digit> out;
  std::vector<bool> used(inband.size(), false);
  for (const Digit& r : rfc4733) {
    bool matched = false;
    for (std::size_t i = 0; i < inband.size() && !matched; ++i) {
      const Digit& b = inband[i];
      if (used[i] || b.digit != r.digit) continue;
      if (b.start_s <= r.end_s + slack_s && r.start_s <= b.end_s + slack_s) {
        used[i] = true;
        matched = true;
        out.push_back({b.digit, b.start_s, b.end_s, "both"});
      }
    }
    if (!matched) out.push_back(r);
  }
  for (std::size_t i = 0; i < inband.size(); ++i) {
    if (!used[i]) out.push_back(inband[i]);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Digit& a, const Digit& b) { return a.start_s < b.start_s; });
  return out;
}

PlayResult play(PacketSource& source, StreamSelector& selector, const BufferFactory& make_buffer,
                const PlayOptions& options, const FrameCallback& on_frame) {
  PlayResult result;
  // The first packet of the stream starts the clock and decides the buffer.
  Packet p;
  Next r;
  while ((r = source.next(INT64_MAX, &p)) == Next::packet && !selector.accept(p)) {
  }
  if (r != Next::packet) return result;
  result.found_stream = true;
  result.buffer = make_buffer(selector.first_payload_type());
  jitter::Buffer& buffer = *result.buffer;
  const int rate = buffer.sample_rate_hz();
  const std::size_t frame = buffer.frame_samples();
  const std::int64_t frame_us = static_cast<std::int64_t>(frame) * 1000000 / rate;

  dtmf::Detector::Config dc;
  dc.sample_rate_hz = rate;
  dc.event_capacity = dtmf::Detector::kMaxEvents;
  dtmf::Detector detector(dc);
  std::vector<Digit> inband, rfc;

  // RFC 4733 begin events wait here for their end (one press at a time per stream).
  bool pressed = false;
  char press_digit = 0;
  double press_start = 0;
  const int event_clock = options.event_clock_hz;
  EventPlacer placer(rate, event_clock);

  const auto take_rfc4733 = [&]() {
    rtp::TelephoneEvent ev[16];
    for (std::size_t n; (n = buffer.read_events(ev)) > 0;) {
      for (std::size_t i = 0; i < n; ++i) {
        const char c = rtp::event_char(ev[i].code);
        if (c == 0 || c == '!') continue;  // not a DTMF digit (flash, other tones)
        if (ev[i].phase == rtp::TelephoneEvent::Phase::begin) {
          pressed = true;
          press_digit = c;
          press_start = placer.onset_s(ev[i]);
        } else {
          const double start = pressed ? press_start : placer.onset_s(ev[i]);
          rfc.push_back(
              {c, start, start + static_cast<double>(ev[i].duration) / event_clock, "rfc4733"});
          pressed = false;
        }
      }
    }
  };
  const auto take_inband = [&]() {
    dtmf::Event ev[32];
    for (std::size_t n; (n = detector.read_events(ev)) > 0;) {
      for (std::size_t i = 0; i < n; ++i) {
        if (ev[i].type != dtmf::Event::Type::key_up) continue;
        inband.push_back({ev[i].digit, static_cast<double>(ev[i].start_sample) / rate,
                          static_cast<double>(ev[i].end_sample) / rate, "inband"});
      }
    }
  };

  if (auto it = options.clock_by_payload_type.find(selector.first_payload_type());
      it != options.clock_by_payload_type.end()) {
    placer.audio_clock(it->second);
  }
  (void)buffer.push(std::span<const std::uint8_t>(p.bytes.data(), p.bytes.size()), p.arrival_us);
  take_rfc4733();

  std::vector<float> out(frame);
  std::int64_t tick = p.arrival_us;
  result.first_tick_us = tick;
  bool ended = false;
  std::int64_t drained_us = 0;
  bool last_had_audio = true;
  std::int64_t out_pos = 0;
  for (;;) {
    if (!ended) {
      while ((r = source.next(tick, &p)) == Next::packet) {
        if (selector.accept(p)) {
          (void)buffer.push(std::span<const std::uint8_t>(p.bytes.data(), p.bytes.size()),
                            p.arrival_us);
        }
      }
      ended = r == Next::end || tick >= options.last_arrival_us;
      take_rfc4733();
    }
    if (ended) {
      // Play out what is buffered, then stop: once no packet is left and a frame held no
      // decoded audio (the rest of the last packet went out in the frame before), or after
      // max_drain_ms whatever the buffer does.
      if ((buffer.statistics().buffered_packets == 0 && !last_had_audio) ||
          drained_us >= options.max_drain_ms * 1000LL) {
        break;
      }
      drained_us += frame_us;
    }
    jitter::FrameInfo info;
    (void)buffer.pull(std::span<float>(out), tick, &info);
    placer.frame(out_pos, tick, info);
    last_had_audio = info.has_timestamp;
    on_frame(tick, info, out);
    detector.process(std::span<const float>(out));
    take_inband();
    take_rfc4733();
    out_pos += static_cast<std::int64_t>(frame);
    ++result.frames;
    tick += frame_us;
  }
  detector.gap(1);  // ends a tone still sounding at the end
  take_inband();
  if (pressed) {  // its end never arrived before the stream stopped: up to the end of the output
    rfc.push_back({press_digit, press_start, static_cast<double>(out_pos) / rate, "rfc4733"});
  }
  result.rfc4733_presses = static_cast<std::int64_t>(rfc.size());
  result.inband_presses = static_cast<std::int64_t>(inband.size());
  result.digits = merge_digits(rfc, inband);
  return result;
}

}  // namespace rtpplay
