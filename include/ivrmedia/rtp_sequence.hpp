// ivrmedia C++ API: RTP sequence tracking (RFC 3550 appendix A.1 and A.3).
//
// A SequenceTracker follows the one source a receiver plays. Per packet it says whether the
// packet is new and in order, reordered, a duplicate, from a source still on probation, or an
// implausible jump, and it unwraps the 16-bit sequence number and the 32-bit timestamp to 64
// bits so a receiver can order and time packets for days without caring about wraps (a 20 ms
// stream wraps its sequence every 22 minutes; an 8 kHz clock wraps its timestamp every 6.2
// days, a 48 kHz clock every 24.9 hours).
//
// The rules are RFC 3550 appendix A.1's:
//   - a new source is on probation until `probation` packets (MIN_SEQUENTIAL, default 2) of it
//     arrived with sequence numbers within 16 of each other. A.1 asks for consecutive numbers;
//     "nearly consecutive" tolerates reordering at the start of a call, which would otherwise
//     keep a stream that reorders every other packet on probation for ever;
//   - a packet up to `max_dropout` (default 3000) ahead of the highest is in order; the packets
//     skipped over are lost until they turn up;
//   - a packet fewer than `max_misorder` (default 100) behind the highest is reordered, or a
//     duplicate if it was seen already (a 1024-packet window remembers which were);
//   - anything else is a bad jump: dropped, unless the next packet follows it sequentially, in
//     which case the sender restarted (rebooted, or an SBC re-anchored the stream): the tracker
//     resynchronizes on it.
// Two deliberate departures from the appendix's code, both so no audio is thrown away:
//   - packets on probation get provisional numbers (verdict `probation`, accepted false); when
//     the source is confirmed they keep those numbers and are counted as received, so the
//     first packet of a call is not reported lost. A receiver may hold them and play them once
//     the source is confirmed.
//   - a packet from another SSRC does not disturb the current source: the new SSRC goes on
//     probation beside it and takes over once confirmed (verdict `restarted`). A stray packet
//     from a source that was replaced is dropped, not a reason to switch back.
// Every restart (new source confirmed, or resynchronization) starts a new `generation`:
// extended numbers restart from the new packet's 16/32-bit values, so a receiver compares
// extended numbers only within one generation and flushes its buffer when it changes.
//
// Loss accounting (RFC 3550 A.3): expected() = highest - base + 1 summed over generations,
// lost() = expected - received (unique packets; duplicates are counted apart, so lost() is
// never negative as the appendix's can be), interval() the fraction lost since the last call,
// in the 8-bit fixed point an RTCP report block carries.
//
// Real-time safe: update, interval and reset never allocate, lock or throw.
#pragma once

#include <array>
#include <cstdint>

#include "ivrmedia/core.hpp"
#include "ivrmedia/rtp.hpp"

namespace ivrmedia::rtp {

class IVRM_API SequenceTracker {
 public:
  // Largest max_misorder: the duplicate window remembers this many packets behind the highest.
  static constexpr int kMaxMisorderLimit = 1023;

  struct Config {
    int probation = 2;       // consecutive packets that confirm a new source (1 = at once); 1-16
    int max_dropout = 3000;  // forward jump still taken as loss; 1-32767
    int max_misorder = 100;  // reordering is less than this far behind; 1-kMaxMisorderLimit
  };

  enum class Verdict : std::int32_t {
    in_order = 0,   // ahead of the highest (possibly after a gap): new audio
    reordered = 1,  // behind the highest, first copy: new audio, late
    duplicate = 2,  // seen before (or the highest itself again): drop
    probation = 3,  // its source is not confirmed yet: provisional numbers, hold or drop
    restarted = 4,  // first packet of a new generation (new source confirmed, or resync)
    bad_jump = 5,   // implausible distance from the highest: drop (a resync may follow)
  };

  struct Result {
    Verdict verdict = Verdict::bad_jump;
    // true for in_order, reordered and restarted: the packet carries new audio of the
    // current source.
    bool accepted = false;
    std::int64_t extended_sequence = 0;   // meaningful when accepted or on probation
    std::int64_t extended_timestamp = 0;  // likewise
    std::uint32_t generation = 0;         // the generation the numbers belong to
    // in_order: sequence numbers skipped over between the previous highest and this packet.
    std::int64_t gap = 0;
  };

  // Lifetime counters, over every generation.
  struct Stats {
    std::int64_t received = 0;    // unique packets accepted (probation packets once confirmed)
    std::int64_t reordered = 0;   // of those, arrived behind the highest
    std::int64_t duplicates = 0;  // copies dropped
    std::int64_t bad_jumps = 0;   // packets dropped as implausible jumps
    std::int64_t probation_dropped = 0;  // probation packets whose source never got confirmed
    std::int64_t restarts = 0;           // generations after the first
    std::int64_t source_changes = 0;     // of those, to a new SSRC
  };

  // RFC 3550 A.3 report block figures since the previous interval() call.
  struct Interval {
    std::int64_t expected = 0;
    std::int64_t received = 0;
    std::int64_t lost = 0;           // expected - received, 0 when more arrived than expected
    std::uint8_t fraction_lost = 0;  // lost / expected in 1/256 units
  };

  // Throws Error(bad_config) for values outside the ranges above.
  explicit SequenceTracker(const Config& config);
  SequenceTracker();  // the RFC 3550 defaults

  // Classifies one packet of `ssrc` with the given sequence number and timestamp.
  Result update(std::uint32_t ssrc, std::uint16_t sequence, std::uint32_t timestamp) noexcept;
  Result update(const PacketView& packet) noexcept {
    return update(packet.ssrc, packet.sequence, packet.timestamp);
  }

  [[nodiscard]] bool has_source() const noexcept { return has_source_; }
  [[nodiscard]] std::uint32_t ssrc() const noexcept { return current_.ssrc; }
  [[nodiscard]] std::uint32_t generation() const noexcept { return generation_; }
  // Highest extended sequence number and the extended timestamp of the newest in-order packet
  // of the current generation (0 before the first).
  [[nodiscard]] std::int64_t highest_sequence() const noexcept { return current_.highest; }
  [[nodiscard]] std::int64_t latest_timestamp() const noexcept { return current_.timestamp; }

  // Packets expected (highest - base + 1 per generation) and lost (expected - received).
  [[nodiscard]] std::int64_t expected() const noexcept;
  [[nodiscard]] std::int64_t lost() const noexcept;
  [[nodiscard]] const Stats& stats() const noexcept { return stats_; }
  // Report-block figures since the previous call (or since the start).
  Interval interval() noexcept;

  // Forgets every source, counter and generation.
  void reset() noexcept;

 private:
  // One source's numbering: where it started, how far it got, and which packets of the last
  // 1024 were seen (a ring: packet e at bit e mod 1024).
  struct Source {
    std::uint32_t ssrc = 0;
    std::int64_t base = 0;
    std::int64_t highest = 0;
    std::int64_t timestamp = 0;  // extended timestamp of the highest packet
    std::uint32_t raw_timestamp = 0;
    std::array<std::uint64_t, 16> seen{};
    std::int64_t received = 0;
  };
  // A source (new SSRC, or the current one after a jump) collecting sequential packets.
  // A source (new SSRC, or the current one after a jump) collecting nearby packets.
  static constexpr int kNear = 16;  // probation packets lie within this distance of the first
  struct Candidate {
    bool active = false;
    bool jump = false;  // the current source after a bad jump (else a new SSRC)
    std::uint32_t ssrc = 0;
    std::uint16_t first_sequence = 0;
    std::uint32_t first_timestamp = 0;
    int count = 0;
    std::array<int, 16> offsets{};  // sequence - first_sequence of each packet so far
    int min_offset = 0;
    int max_offset = 0;
    std::uint32_t highest_timestamp = 0;  // timestamp of the packet at max_offset
  };

  Result classify_current(std::uint16_t sequence, std::uint32_t timestamp) noexcept;
  Result on_candidate(std::uint32_t ssrc, std::uint16_t sequence, std::uint32_t timestamp,
                      bool jump) noexcept;
  void start_generation(const Candidate& candidate) noexcept;
  static std::int64_t unwrap_timestamp(const Source& s, std::uint32_t timestamp) noexcept;
  void mark_seen(std::int64_t extended) noexcept;
  void clear_seen(std::int64_t extended) noexcept;
  [[nodiscard]] bool was_seen(std::int64_t extended) const noexcept;

  Config config_;
  bool has_source_ = false;
  std::uint32_t generation_ = 0;
  Source current_;
  Candidate candidate_;
  std::int64_t closed_expected_ = 0;  // generations already ended
  std::int64_t closed_received_ = 0;
  std::int64_t prior_expected_ = 0;  // at the last interval() call
  std::int64_t prior_received_ = 0;
  Stats stats_;
};

[[nodiscard]] IVRM_API const char* describe(SequenceTracker::Verdict verdict) noexcept;

}  // namespace ivrmedia::rtp
