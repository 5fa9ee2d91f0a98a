// Test harness for jitter::Buffer: encode a signal into an RTP stream, give each packet an
// arrival time, then replay arrivals and pulls in time order as a host would (push everything
// that arrived by the tick, then pull one frame).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/jitter.hpp"
#include "ivrmedia/rtp.hpp"

namespace ivrm_test {

struct Datagram {
  std::vector<std::uint8_t> bytes;
  std::int64_t send_us = 0;
  std::int64_t arrival_us = 0;
  std::int64_t index = 0;  // packet number in the stream
};

struct StreamSpec {
  ivrmedia::codec::Format format{"PCMU", 8000, 1};
  int payload_type = 0;
  int sample_rate_hz = 8000;  // PCM rate fed to the encoder
  int ptime_ms = 20;
  std::uint32_t ssrc = 0x5EED;
  std::uint16_t first_sequence = 1000;
  std::uint32_t first_timestamp = 90000;
  std::int64_t start_us = 0;  // send time of the first packet
};

// Encodes `pcm` (mono, spec.sample_rate_hz) into packets of spec.ptime_ms, sent on time;
// arrival = send time.
inline std::vector<Datagram> encode_stream(const std::vector<float>& pcm, const StreamSpec& spec) {
  namespace codec = ivrmedia::codec;
  codec::EncoderConfig ec;
  ec.format = spec.format;
  ec.sample_rate_hz = spec.sample_rate_hz;
  ec.channels = 1;
  ec.ptime_ms = spec.ptime_ms;
  auto encoder = codec::make_encoder(ec);
  ivrmedia::rtp::Builder builder({.payload_type = spec.payload_type,
                                  .clock_rate_hz = encoder->info().rtp_clock_hz,
                                  .ssrc = spec.ssrc,
                                  .first_sequence = spec.first_sequence,
                                  .first_timestamp = spec.first_timestamp});
  const auto frame = static_cast<std::size_t>(encoder->info().frame_samples);
  const auto units = static_cast<std::uint32_t>(
      codec::rtp_units(encoder->info(), static_cast<std::int64_t>(frame)));
  std::vector<Datagram> out;
  std::vector<std::uint8_t> payload(encoder->info().max_payload_bytes);
  for (std::size_t off = 0, k = 0; off + frame <= pcm.size(); off += frame, ++k) {
    std::size_t n = 0;
    EXPECT_EQ(encoder->encode(std::span(pcm.data() + off, frame), payload, &n),
              ivrmedia::Status::ok);
    Datagram d;
    d.bytes.resize(builder.packet_size(n));
    std::size_t written = 0;
    EXPECT_EQ(builder.build(std::span(payload.data(), n), units, k == 0, d.bytes, &written),
              ivrmedia::Status::ok);
    d.send_us = spec.start_us + static_cast<std::int64_t>(k) * spec.ptime_ms * 1000;
    d.arrival_us = d.send_us;
    d.index = static_cast<std::int64_t>(k);
    out.push_back(std::move(d));
  }
  return out;
}

struct Playback {
  std::vector<float> audio;
  std::vector<ivrmedia::jitter::FrameInfo> frames;
  ivrmedia::jitter::Statistics stats;
  ivrmedia::jitter::Usage usage;
};

// Pushes every datagram whose arrival is <= the tick, then pulls; ticks every frame from
// `first_pull_us` for `frames` frames. Arrivals need not be sorted.
inline Playback play(ivrmedia::jitter::Buffer& buffer, std::vector<Datagram> arrivals,
                     std::int64_t first_pull_us, std::size_t frames) {
  std::stable_sort(arrivals.begin(), arrivals.end(), [](const Datagram& a, const Datagram& b) {
    return a.arrival_us < b.arrival_us;
  });
  Playback p;
  const std::size_t n = buffer.frame_samples();
  const std::int64_t frame_us = static_cast<std::int64_t>(n) * 1000000 / buffer.sample_rate_hz();
  std::vector<float> out(n);
  std::size_t next = 0;
  for (std::size_t f = 0; f < frames; ++f) {
    const std::int64_t tick = first_pull_us + static_cast<std::int64_t>(f) * frame_us;
    for (; next < arrivals.size() && arrivals[next].arrival_us <= tick; ++next)
      (void)buffer.push(arrivals[next].bytes, arrivals[next].arrival_us);
    ivrmedia::jitter::FrameInfo info;
    EXPECT_EQ(buffer.pull(out, tick, &info), ivrmedia::Status::ok);
    p.audio.insert(p.audio.end(), out.begin(), out.end());
    p.frames.push_back(info);
  }
  p.stats = buffer.statistics();
  p.usage = buffer.usage();
  return p;
}

inline std::int64_t count_kind(const Playback& p, ivrmedia::jitter::FrameKind kind) {
  return std::count_if(p.frames.begin(), p.frames.end(),
                       [kind](const auto& f) { return f.kind == kind; });
}

// Frames [from, to) that report a delay more than 5 ms above `delay_ms`: a frame up, or more.
inline int frames_above(const Playback& p, std::size_t from, std::size_t to, int delay_ms) {
  int n = 0;
  for (std::size_t f = from; f < to && f < p.frames.size(); ++f)
    n += p.frames[f].delay_ms > delay_ms + 5 ? 1 : 0;
  return n;
}

}  // namespace ivrm_test
