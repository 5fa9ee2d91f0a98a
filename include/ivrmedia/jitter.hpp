// ivrmedia C++ API: the RTP receive path. jitter::Buffer takes a call's datagrams as they
// arrive and gives back one frame of smooth audio per tick, NetEq's way.
//
// Data flow (lib/jitter/README.md has the details):
//   push(datagram, arrival)  rtp::parse -> rtp::SequenceTracker (RFC 3550 A.1: duplicates,
//                            reordering, restarts) -> by payload type:
//                              audio           -> packet store (fixed slots, playout order)
//                                                 + DelayEstimator (relative-delay histogram)
//                              telephone-event -> rtp::TelephoneEventReceiver (RFC 4733)
//                              comfort noise   -> silence is intentional (RFC 3389)
//   pull(frame)              decide (a pure function of the buffer's state) then do one
//                            operation at a time until a frame is ready:
//                              normal       decode the next packet
//                              accelerate   decode, then remove a pitch period (WSOLA): the
//                                           buffer holds more than the target delay
//                              expand       decode, then add a pitch period: it holds less
//                              conceal      the next packet is missing: the decoder's PLC
//                                           (G.711 Appendix I, opus PLC), or opus FEC from the
//                                           packet after it when that one is already here
//                              cng          nothing to play by design (before the first
//                                           packet, DTX / comfort noise, a stream pause)
//                              rebase       jump to the next packet without concealment: a
//                                           talkspurt after silence, a restarted stream, or a
//                                           hole already covered by concealment while waiting
// Delay: the target is the relative delay below which `delay_quantile` (95 %) of recent
// packets arrived, plus one packet, within [min_delay_ms, max_delay_ms]; the buffer level is
// steered to it by time-scale modification of speech (no pitch change), never by inserting
// whole frames; a whole frame of delay is given back only while the 97.5 % quantile stays
// covered. The one packet ever dropped on purpose is one that concealment already stood in for
// (it came after a wait at least its length, with the next one already here) when the packets
// behind it do not need the wait: a stall drained in a burst, or a straggler while the
// headroom covers the 97.5 % quantile without it; it is counted late. Clock drift between sender
// and receiver (+-1 %) is absorbed by stretching too. A fixed-delay mode holds `fixed_delay_ms`
// instead.
//
// Timing: arrival times are passed in (microseconds on any monotonic clock); nothing in the
// library reads a clock. 16-bit sequence numbers and 32-bit timestamps are unwrapped to 64
// bits, so calls can last for days.
// Memory: everything is allocated by the constructor (packet slots of max_payload_bytes each,
// decoders, scratch); push and pull never allocate, lock, throw or make system calls, whatever
// the packets contain. The buffer never logs (payloads and digits are caller data).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/core.hpp"
#include "ivrmedia/rtp.hpp"
#include "ivrmedia/rtp_sequence.hpp"
#include "ivrmedia/telephone_event.hpp"

namespace ivrmedia::jitter {

// How an output frame was made (the most noticeable operation inside it).
enum class FrameKind : std::int32_t {
  normal = 0,       // decoded audio as sent (FEC-recovered audio included)
  concealed = 1,    // loss concealment
  accelerated = 2,  // time-compressed to lower the delay
  expanded = 3,     // time-stretched to raise the delay
  merged = 4,       // the first decoded audio after concealment (the decoder cross-fades)
  cng = 5,          // silence or comfort noise: nothing to play by design
};
[[nodiscard]] IVRM_API const char* describe(FrameKind kind) noexcept;

enum class DelayMode : std::int32_t { adaptive = 0, fixed = 1 };

// An SDP a=rtpmap binding: payload type -> format.
struct PayloadMapping {
  int payload_type = 0;
  codec::Format format;
};

struct Config {
  int sample_rate_hz = 8000;  // output rate: 8000, 16000 or 48000; every format must decode
                              // at it (opus decodes at any; G.711 is 8000, G.722 16000)
  int frame_ms = 20;          // samples per pull(): 10, 20, 30 or 40 ms
  std::vector<PayloadMapping> payloads = {{0, {"PCMU", 8000, 1}}, {8, {"PCMA", 8000, 1}}};
  int telephone_event_payload_type = -1;  // -1: none; else 96-127 (or any type not in payloads)
  int telephone_event_clock_hz = 8000;
  int comfort_noise_payload_type = 13;  // RFC 3389 (static 13); -1: none
  int event_end_timeout_ms = 500;       // see rtp::TelephoneEventReceiver

  DelayMode mode = DelayMode::adaptive;
  int fixed_delay_ms = 80;  // target in fixed mode
  int min_delay_ms = 0;     // adaptive target bounds
  int max_delay_ms = 1000;
  double delay_quantile = 0.95;   // share of packets the target delay covers; 0.5-0.999
  double forget_factor = 0.9993;  // delay histogram memory per packet (NetEq's); 0.9-0.99999
  bool time_stretch = true;       // accelerate / expand to follow the target (else rebase only)

  int network_delay_ms = 40;         // one-way network and terminal delay the E-model estimate
                                     // assumes (set it from RTCP round trips when known); 0-2000
  std::size_t packet_capacity = 64;  // packets held at most (memory bound); 4-4096
  std::size_t max_payload_bytes = 1200;  // larger payloads are dropped (counted); 16-65536
  int max_packet_ms = 120;               // longest packet; 10-120
  // RFC 3550 A.1 limits. Probation is 1 here, not A.1's 2: a jitter buffer plays the stream it
  // was set up for, and waiting for a second packet would add a packet to every call's delay
  // (the SSRC is checked by the host's signalling; NetEq switches sources at once too).
  rtp::SequenceTracker::Config sequence = {
      .probation = 1, .max_dropout = 3000, .max_misorder = 100};
};

// What pull() made.
struct FrameInfo {
  FrameKind kind = FrameKind::cng;
  bool has_timestamp = false;       // the frame starts with decoded audio of some packet
  std::uint32_t rtp_timestamp = 0;  // that packet's timestamp at the frame's first sample
  int delay_ms = 0;                 // buffered audio ahead of the playout point, before this frame
  int target_delay_ms = 0;
};

struct Statistics {
  // Packets (RFC 3550 A.1/A.3 counts; lost = expected - received over the whole call).
  std::int64_t received = 0;  // audio packets accepted (unique)
  std::int64_t lost = 0;
  std::int64_t late = 0;  // arrived after their audio was due: dropped
  std::int64_t duplicates = 0;
  std::int64_t reordered = 0;        // arrived behind a later packet (played if in time)
  std::int64_t overflow = 0;         // dropped because the packet store was full
  std::int64_t oversized = 0;        // payload over max_payload_bytes
  std::int64_t malformed = 0;        // failed rtp::parse or the decoder's size check
  std::int64_t unknown_payload = 0;  // payload type not configured
  std::int64_t bad_sequence = 0;     // implausible sequence jumps dropped (RFC 3550 A.1)
  std::int64_t event_packets = 0;    // RFC 4733
  std::int64_t comfort_noise_packets = 0;
  std::int64_t restarts = 0;  // stream restarts (new SSRC, resynchronization)
  // Rates over the call: lost / expected, and discarded (late + overflow) / expected.
  double loss_rate = 0.0;
  double discard_rate = 0.0;
  std::int64_t buffered_packets = 0;  // held now (never above packet_capacity)
  // Delay.
  int current_delay_ms = 0;
  int target_delay_ms = 0;
  double interarrival_jitter_ms = 0.0;          // RFC 3550 section 6.4.1 (J += (|D| - J) / 16)
  std::uint32_t interarrival_jitter_units = 0;  // the same in RTP units, as RTCP carries it
  // RFC 3611 section 4.7.2 burst and gap metrics (Gmin 16) over the packets settled so far (a
  // packet's fate is final 64 packets after playout passed it: a late arrival is a discard).
  double burst_density = 0.0;      // share of lost + discarded packets inside bursts
  double gap_density = 0.0;        // and inside gaps
  double burst_duration_ms = 0.0;  // mean
  double gap_duration_ms = 0.0;    // mean
  double burst_ratio = 1.0;        // G.107 BurstR (1: random loss)
  // ITU-T G.107 E-model estimate for the codec playing (G.711 with its Appendix I concealment,
  // G.722, opus), the loss and burstiness above, and a mouth-to-ear delay of
  // config.network_delay_ms + the current buffer delay + one packet. MOS is G.107's MOS-CQE;
  // wideband codecs are rated on G.107.1's wideband scale (R up to 129).
  double r_factor = 0.0;
  double mos = 1.0;
  bool wideband_rating = false;
  // Output samples by how they were made.
  std::int64_t samples_played = 0;
  std::int64_t samples_concealed = 0;
  std::int64_t samples_fec = 0;          // recovered from opus FEC (included in normal audio)
  std::int64_t samples_accelerated = 0;  // removed by accelerate
  std::int64_t samples_expanded = 0;     // added by preemptive expand
  std::int64_t samples_cng = 0;          // silence / comfort noise, including before the start
  std::int64_t frames = 0;
  std::int64_t frames_by_kind[6] = {};  // indexed by FrameKind
};

// What the call used, for billing records: exact to the packet.
struct Usage {
  std::int64_t packets = 0;                 // datagrams accepted by rtp::parse (audio, events, CN)
  std::int64_t bytes = 0;                   // their sizes (RTP header and payload; no UDP/IP)
  std::int64_t audio_packets = 0;           // unique audio packets received (played or not:
                                            // late, overflow and oversized ones included)
  std::int64_t media_samples_received = 0;  // their duration at the output rate
  std::int64_t samples_played = 0;          // every pulled sample, silence included
  bool any_packet = false;
  std::int64_t first_packet_us = 0;  // arrival of the first / last accepted datagram
  std::int64_t last_packet_us = 0;
  int sample_rate_hz = 8000;
  [[nodiscard]] double seconds_received() const noexcept {
    return static_cast<double>(media_samples_received) / sample_rate_hz;
  }
  [[nodiscard]] double seconds_played() const noexcept {
    return static_cast<double>(samples_played) / sample_rate_hz;
  }
};

class IVRM_API Buffer {
 public:
  // Throws Error(bad_config) for values outside the ranges above, a payload type that is
  // bound twice (an event or comfort-noise type colliding with an audio one included), a
  // format that cannot decode at sample_rate_hz; Error(unsupported) for an unknown format.
  explicit Buffer(const Config& config);
  ~Buffer();
  Buffer(Buffer&&) noexcept;
  Buffer& operator=(Buffer&&) noexcept;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  // One datagram as received. Returns ok when it was used, or why it was not: truncated /
  // malformed (rtp::parse; counted), unsupported (payload type not configured; counted). A
  // packet that is late, a duplicate or over capacity is counted and returns ok.
  [[nodiscard]] Status push(std::span<const std::uint8_t> datagram,
                            std::int64_t arrival_us) noexcept;
  // The same for a packet parsed already (datagram_bytes: its size, for the usage record).
  [[nodiscard]] Status push(const rtp::PacketView& packet, std::size_t datagram_bytes,
                            std::int64_t arrival_us) noexcept;

  // One frame: out.size() must be frame_samples() (invalid_argument otherwise). info optional.
  // Give the tick's time (now_us, the clock push() uses) when the host has it: the buffer then
  // knows how long before its tick each packet arrived, which the buffered level alone cannot
  // tell (a packet just before a tick and one just after the previous tick look the same), and
  // holds its delay more tightly, notably against a slow sender clock. Without it, decisions
  // use the level seen at each pull.
  [[nodiscard]] Status pull(std::span<float> out, std::int64_t now_us, FrameInfo* info) noexcept;
  [[nodiscard]] Status pull(std::span<std::int16_t> out, std::int64_t now_us,
                            FrameInfo* info) noexcept;
  [[nodiscard]] Status pull(std::span<float> out, FrameInfo* info) noexcept;
  [[nodiscard]] Status pull(std::span<std::int16_t> out, FrameInfo* info) noexcept;

  // RFC 4733 events, oldest first, delivered as their packets arrive (key-down on the first
  // packet: a host stops its prompt at once); returns how many were written.
  std::size_t read_events(std::span<rtp::TelephoneEvent> out) noexcept;

  [[nodiscard]] std::size_t frame_samples() const noexcept;
  [[nodiscard]] int sample_rate_hz() const noexcept;
  [[nodiscard]] Statistics statistics() const noexcept;
  [[nodiscard]] Usage usage() const noexcept;
  // Back to the state after construction (config kept).
  void reset() noexcept;

 private:
  Status pull_s16(std::span<std::int16_t> out, const std::int64_t* now_us,
                  FrameInfo* info) noexcept;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ivrmedia::jitter
