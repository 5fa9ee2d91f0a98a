// The trace and the replay loop shared by both buffers (see replay.hpp).
#include "replay.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/rtp.hpp"
#include "sim/speech_like.hpp"

namespace ivrm_compare {

namespace sim = ivrmedia::sim;

double Trace::send_time_rx_us(std::uint32_t ts) const noexcept {
  // Packet 0 is sent at 0 on both clocks; the sender's clock runs (1 + ppm/1e6) times as fast.
  const double sender_us = static_cast<double>(ts - first_timestamp) * (1e6 / kRate);
  return sender_us * 1e6 / (1e6 + spec.clock_skew_ppm);
}

Trace make_trace(const TraceSpec& spec) {
  namespace codec = ivrmedia::codec;
  Trace t;
  t.spec = spec;
  t.first_sequence = static_cast<std::uint16_t>(1000 + spec.seed * 977);
  t.first_timestamp = static_cast<std::uint32_t>(160'000 + spec.seed * 8'000);

  const auto pcm = sim::speech_like(static_cast<std::size_t>(spec.seconds) * kRate,
                                    {kRate, -20.0, 4000 + spec.seed});
  codec::EncoderConfig ec;
  ec.format = {"PCMU", 8000, 1};
  ec.sample_rate_hz = kRate;
  ec.channels = 1;
  ec.ptime_ms = 20;
  auto encoder = codec::make_encoder(ec);
  ivrmedia::rtp::Builder builder({.payload_type = 0,
                                  .clock_rate_hz = kRate,
                                  .ssrc = static_cast<std::uint32_t>(0x5EED0000u + spec.seed),
                                  .first_sequence = t.first_sequence,
                                  .first_timestamp = t.first_timestamp});
  std::vector<sim::SentPacket> sent;
  std::vector<std::uint8_t> payload(encoder->info().max_payload_bytes);
  for (std::size_t off = 0, k = 0; off + kFrameSamples <= pcm.size(); off += kFrameSamples, ++k) {
    std::size_t n = 0;
    if (encoder->encode(std::span(pcm.data() + off, kFrameSamples), payload, &n) !=
        ivrmedia::Status::ok)
      throw std::runtime_error("PCMU encode failed");
    sim::SentPacket p;
    p.bytes.resize(builder.packet_size(n));
    std::size_t written = 0;
    if (builder.build(std::span(payload.data(), n), kFrameSamples, k == 0, p.bytes, &written) !=
        ivrmedia::Status::ok)
      throw std::runtime_error("RTP build failed");
    p.send_time_us = static_cast<std::int64_t>(k) * kFrameUs;
    sent.push_back(std::move(p));
  }
  t.packets_sent = sent.size();
  const sim::NetworkConfig net = [&] {
    sim::NetworkConfig c = sim::preset(spec.preset, spec.seed);
    c.clock_skew_ppm = spec.clock_skew_ppm;
    return c;
  }();
  t.base_delay_us = net.base_delay_us;
  t.arrivals = sim::simulate(net, sent);
  // The receiver's ticks start at a phase of their own (per seed) so arrivals do not line up
  // with ticks the same way in every run.
  t.first_tick_us = static_cast<std::int64_t>((spec.seed * 7919) % kFrameUs);
  const std::int64_t last = t.arrivals.empty() ? 0 : t.arrivals.back().arrival_time_us;
  t.ticks = (last + 2'000'000 - t.first_tick_us) / kFrameUs + 1;
  return t;
}

void Metrics::add(const Metrics& o) {
  frames += o.frames;
  concealed += o.concealed;
  concealed_samples += o.concealed_samples;
  packets_sent += o.packets_sent;
  inserted += o.inserted;
  late += o.late;
  packets_arrived += o.packets_arrived;
  faster += o.faster;
  slower += o.slower;
  delays_ms.insert(delays_ms.end(), o.delays_ms.begin(), o.delays_ms.end());
}

double Metrics::concealed_percent() const noexcept {
  return frames > 0 ? 100.0 * static_cast<double>(concealed) / static_cast<double>(frames) : 0.0;
}

double Metrics::concealed_time_percent() const noexcept {
  return frames > 0 ? 100.0 * static_cast<double>(concealed_samples) /
                          static_cast<double>(frames * kFrameSamples)
                    : 0.0;
}

double Metrics::network_loss_percent() const noexcept {
  return packets_sent > 0 ? 100.0 * static_cast<double>(packets_sent - packets_arrived) /
                                static_cast<double>(packets_sent)
                          : 0.0;
}

double Metrics::late_percent() const noexcept {
  return packets_arrived > 0
             ? 100.0 * static_cast<double>(late) / static_cast<double>(packets_arrived)
             : 0.0;
}

double Metrics::mean_delay_ms() const noexcept {
  if (delays_ms.empty()) return 0.0;
  double sum = 0.0;
  for (const double d : delays_ms)
    sum += d;
  return sum / static_cast<double>(delays_ms.size());
}

double Metrics::p95_delay_ms() const {
  if (delays_ms.empty()) return 0.0;
  std::vector<double> d = delays_ms;
  const auto k = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(d.size()))) - 1;
  std::nth_element(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(k), d.end());
  return d[k];
}

Metrics replay(const Trace& trace, Receiver& receiver, std::vector<PlayedFrame>* played) {
  std::vector<Frame> frames(static_cast<std::size_t>(trace.ticks));
  std::vector<char> seen(trace.packets_sent, 0);
  std::size_t next = 0;
  for (std::int64_t k = 0; k < trace.ticks; ++k) {
    const std::int64_t now = trace.first_tick_us + k * kFrameUs;
    for (; next < trace.arrivals.size() && trace.arrivals[next].arrival_time_us <= now; ++next) {
      receiver.push(trace.arrivals[next], trace);
      seen[trace.arrivals[next].index] = 1;
    }
    frames[static_cast<std::size_t>(k)] = receiver.pull(now);
  }
  Metrics m;
  for (const char s : seen)
    m.packets_arrived += s;
  m.packets_sent = static_cast<std::int64_t>(trace.packets_sent);
  const auto is_audio = [](const Frame& f) { return f.has_timestamp; };
  const auto first = std::find_if(frames.begin(), frames.end(), is_audio);
  const auto last = std::find_if(frames.rbegin(), frames.rend(), is_audio);
  if (first == frames.end()) return m;
  const auto begin = static_cast<std::int64_t>(first - frames.begin());
  const auto end = static_cast<std::int64_t>(frames.rend() - last);  // one past the last
  for (std::int64_t k = begin; k < end; ++k) {
    const Frame& f = frames[static_cast<std::size_t>(k)];
    ++m.frames;
    if (f.kind != FrameKind::audio) ++m.concealed;
    m.concealed_samples += f.concealed_samples;
    if (f.kind == FrameKind::inserted) ++m.inserted;
    const std::int64_t now = trace.first_tick_us + k * kFrameUs;
    double delay_ms = -1.0;
    if (f.has_timestamp) {
      delay_ms = (static_cast<double>(now) - trace.send_time_rx_us(f.rtp_timestamp)) / 1000.0;
      m.delays_ms.push_back(delay_ms);
    }
    if (played != nullptr) played->push_back({now, f.kind, f.concealed_samples, delay_ms});
  }
  const ReceiverCounters c = receiver.counters();
  m.late = c.late_packets;
  m.faster = c.faster_frames;
  m.slower = c.slower_frames;
  return m;
}

}  // namespace ivrm_compare
