// ivrmedia-rtpplay: the replay loop. Packets from a PacketSource go through a StreamSelector
// into a jitter::Buffer; one frame is pulled per frame interval on the source's clock, starting
// at the first packet's arrival, and handed to the caller. Digits are found both ways: RFC 4733
// events from the buffer and in-band tones in the pulled audio (dtmf::Detector).
#pragma once

#include <climits>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ivrmedia/jitter.hpp"
#include "packet_source.hpp"
#include "stream_selector.hpp"

namespace rtpplay {

struct Digit {
  char digit = 0;
  double start_s = 0, end_s = 0;  // on the output (WAV) time line
  const char* source = "";        // "rfc4733", "inband" or "both"
};

struct PlayResult {
  bool found_stream = false;
  std::unique_ptr<ivrmedia::jitter::Buffer> buffer;  // made for the stream's first packet
  std::int64_t first_tick_us = 0;
  std::int64_t frames = 0;
  std::vector<Digit> digits;
  std::int64_t rfc4733_presses = 0, inband_presses = 0;
};

struct PlayOptions {
  std::map<int, int> clock_by_payload_type;  // audio payload types -> RTP clock (event mapping)
  int event_clock_hz = 8000;                 // telephone-event clock
  int max_drain_ms = 3000;                   // after the last packet, play out at most this
  // The stream's last packet, when known beforehand (a capture read twice): playout stops after
  // it even if the capture goes on with other traffic. INT64_MAX: at the source's end.
  std::int64_t last_arrival_us = INT64_MAX;
};

// Makes the buffer once the stream's first payload type is known (it decides the output rate
// and the formats that can decode at it). Throws ivrmedia::Error for a config it cannot make.
using BufferFactory = std::function<std::unique_ptr<ivrmedia::jitter::Buffer>(int payload_type)>;

using FrameCallback = std::function<void(std::int64_t play_us, const ivrmedia::jitter::FrameInfo&,
                                         std::span<const float> audio)>;

PlayResult play(PacketSource& source, StreamSelector& selector, const BufferFactory& make_buffer,
                const PlayOptions& options, const FrameCallback& on_frame);

// A press carried both ways (same digit, overlapping within `slack_s`) becomes one "both"
// entry with the in-band times (what the recording holds); the others keep their source.
// Sorted by start.
std::vector<Digit> merge_digits(const std::vector<Digit>& rfc4733, const std::vector<Digit>& inband,
                                double slack_s = 0.06);

}  // namespace rtpplay
