// ivrmedia-jitter-compare: one trace (a speech-like PCMU stream sent through sim::NetworkSimulator)
// replayed through any jitter buffer behind the small Receiver interface, and the metrics both
// buffers are judged by, computed the same way for each from what they played.
//
// The replay is a host's loop on the receiver's clock: every 20 ms tick it hands over every
// datagram that arrived by then (in arrival order), then takes one 20 ms frame. A frame is
// audio of the stream (with the RTP timestamp of its first sample), concealment, or silence.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/network_config.hpp"
#include "sim/network_simulator.hpp"

namespace ivrm_compare {

constexpr int kRate = 8000;         // PCMU
constexpr int kFrameSamples = 160;  // 20 ms packets and 20 ms ticks
constexpr std::int64_t kFrameUs = 20'000;

struct TraceSpec {
  ivrmedia::sim::Preset preset = ivrmedia::sim::Preset::wired;
  double clock_skew_ppm = 0.0;  // sender clock faster (+) or slower (-) than the receiver's
  std::uint64_t seed = 1;
  int seconds = 60;
};

// One simulated call: the packets as sent and as they arrived.
struct Trace {
  TraceSpec spec;
  std::vector<ivrmedia::sim::Arrival> arrivals;  // in arrival order; duplicates included
  std::size_t packets_sent = 0;
  std::uint32_t first_timestamp = 0;  // RTP timestamp of packet 0
  std::uint16_t first_sequence = 0;
  std::int64_t first_tick_us = 0;  // receiver clock; the tick phase differs per seed
  std::int64_t ticks = 0;          // ticks to run: until 2 s after the last arrival
  std::int64_t base_delay_us = 0;

  // When the sample with RTP timestamp `ts` was sent, on the receiver's clock (clock skew
  // mapped the way the simulator maps send times).
  [[nodiscard]] double send_time_rx_us(std::uint32_t ts) const noexcept;
};

[[nodiscard]] Trace make_trace(const TraceSpec& spec);

enum class FrameKind { audio, concealed, inserted, silence };

struct Frame {
  FrameKind kind = FrameKind::silence;
  bool has_timestamp = false;  // audio of the stream: timestamp of the frame's first sample
  std::uint32_t rtp_timestamp = 0;
  int concealed_samples = 0;  // samples made up in the frame: concealment, insertion, silence
};

// What a buffer reports beyond the frames: packets it dropped as late, and the number of
// delay adjustments it made (time-stretch or whole-frame), each as frames.
struct ReceiverCounters {
  std::int64_t late_packets = 0;
  std::int64_t faster_frames = 0;  // ivrmedia: accelerated frames; speex: frames dropped
  std::int64_t slower_frames = 0;  // ivrmedia: expanded frames; speex: frames inserted
};

// A jitter buffer as the replay drives it.
class Receiver {
 public:
  virtual ~Receiver() = default;
  virtual void push(const ivrmedia::sim::Arrival& arrival, const Trace& trace) = 0;
  virtual Frame pull(std::int64_t now_us) = 0;
  [[nodiscard]] virtual ReceiverCounters counters() const = 0;
};

// One knob setting of one buffer (what the sweep varies).
struct Setting {
  std::string buffer;  // "ivrmedia" or "speexdsp"
  std::string knob;    // "default", "delay_quantile", "min_delay_ms", "late_cost", "margin"
  double value = 0.0;
  bool is_default = false;
};

// Metrics over the played part of a call: from the first frame of the stream's audio to the
// last one (the silence before the first packet and the tail after the last are not counted).
// Inside it the stream never pauses, so any frame not of its audio replaced audio: concealment
// proper, speex's INSERTION frames, and silence a buffer plays once it stops concealing.
struct Metrics {
  std::int64_t frames = 0;
  // Frames not of the stream's audio inside the window: concealment, speex's insertions,
  // silence while packets are missing (each replaces audio the listener should have heard).
  std::int64_t concealed = 0;
  std::int64_t concealed_samples = 0;
  std::int64_t inserted = 0;  // of which inserted to grow the delay (speex INSERTION)
  std::int64_t late = 0;
  std::int64_t packets_sent = 0;
  std::int64_t packets_arrived = 0;  // unique packets that reached the receiver
  std::int64_t faster = 0, slower = 0;
  std::vector<double> delays_ms;  // per audio frame: play time - send time (receiver clock)

  void add(const Metrics& other);
  [[nodiscard]] double concealed_percent() const noexcept;       // of frames (any concealment)
  [[nodiscard]] double concealed_time_percent() const noexcept;  // of samples
  [[nodiscard]] double late_percent() const noexcept;            // of packets that arrived
  [[nodiscard]] double network_loss_percent() const noexcept;
  [[nodiscard]] double mean_delay_ms() const noexcept;
  [[nodiscard]] double p95_delay_ms() const;
};

// One played frame as --trace writes it: the tick's time and the frame's delay (audio only).
struct PlayedFrame {
  std::int64_t tick_us = 0;
  FrameKind kind = FrameKind::silence;
  int concealed_samples = 0;
  double delay_ms = -1.0;  // < 0: no audio of the stream in the frame
};

// Replays `trace`; with `played`, also returns every frame of the metrics window.
[[nodiscard]] Metrics replay(const Trace& trace, Receiver& receiver,
                             std::vector<PlayedFrame>* played = nullptr);

// The two buffers (speex_receiver.cpp is built only with SpeexDSP).
[[nodiscard]] std::unique_ptr<Receiver> make_ivrmedia_receiver(const Setting& setting);
[[nodiscard]] std::unique_ptr<Receiver> make_speex_receiver(const Setting& setting);

}  // namespace ivrm_compare
