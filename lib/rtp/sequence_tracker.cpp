// RTP sequence tracking after RFC 3550 appendix A.1, with 64-bit unwrapping, a duplicate
// window and generations (see rtp_sequence.hpp for the rules and the departures from A.1).
#include <cstdint>

#include "ivrmedia/rtp_sequence.hpp"

namespace ivrmedia::rtp {
namespace {

constexpr std::int64_t kSeqMod = 65536;
constexpr int kWindowBits = 1024;

}  // namespace

SequenceTracker::SequenceTracker(const Config& config) : config_(config) {
  if (config.probation < 1 || config.probation > 16) {
    throw Error(Status::bad_config, "rtp::SequenceTracker: probation must be 1-16");
  }
  if (config.max_dropout < 1 || config.max_dropout > 32767) {
    throw Error(Status::bad_config, "rtp::SequenceTracker: max_dropout must be 1-32767");
  }
  if (config.max_misorder < 1 || config.max_misorder > kMaxMisorderLimit) {
    throw Error(Status::bad_config, "rtp::SequenceTracker: max_misorder must be 1-1023");
  }
}

SequenceTracker::SequenceTracker() : SequenceTracker(Config{}) {}

SequenceTracker::Result SequenceTracker::update(std::uint32_t ssrc, std::uint16_t sequence,
                                                std::uint32_t timestamp) noexcept {
  if (!has_source_ || ssrc != current_.ssrc) return on_candidate(ssrc, sequence, timestamp, false);
  return classify_current(sequence, timestamp);
}

SequenceTracker::Result SequenceTracker::classify_current(std::uint16_t sequence,
                                                          std::uint32_t timestamp) noexcept {
  Result r;
  r.generation = generation_;
  // Distance ahead of the highest, modulo 2^16 (A.1's udelta).
  const auto udelta =
      static_cast<std::uint16_t>(sequence - static_cast<std::uint16_t>(current_.highest));
  if (udelta == 0) {
    ++stats_.duplicates;
    r.verdict = Verdict::duplicate;
    r.extended_sequence = current_.highest;
    r.extended_timestamp = unwrap_timestamp(current_, timestamp);
    return r;
  }
  if (udelta < config_.max_dropout) {
    const std::int64_t extended = current_.highest + udelta;
    // The window is a ring (packet e at bit e mod 1024): the numbers entering it are cleared
    // (they held packets 1024 earlier), nothing slides.
    if (udelta >= kWindowBits) {
      current_.seen.fill(0);
    } else {
      for (std::int64_t e = current_.highest + 1; e < extended; ++e)
        clear_seen(e);
    }
    current_.highest = extended;
    mark_seen(extended);
    r.gap = udelta - 1;
    current_.timestamp = unwrap_timestamp(current_, timestamp);
    current_.raw_timestamp = timestamp;
    ++current_.received;
    ++stats_.received;
    r.verdict = Verdict::in_order;
    r.accepted = true;
    r.extended_sequence = extended;
    r.extended_timestamp = current_.timestamp;
    return r;
  }
  if (udelta <= kSeqMod - config_.max_misorder)
    return on_candidate(current_.ssrc, sequence, timestamp, true);

  // Behind the highest by at most max_misorder: late, or a copy.
  const std::int64_t extended = current_.highest - (kSeqMod - udelta);
  r.extended_sequence = extended;
  r.extended_timestamp = unwrap_timestamp(current_, timestamp);
  if (was_seen(extended)) {
    ++stats_.duplicates;
    r.verdict = Verdict::duplicate;
    return r;
  }
  mark_seen(extended);
  // A packet older than the generation's first moves the base back, so it is expected too.
  if (extended < current_.base) current_.base = extended;
  ++current_.received;
  ++stats_.received;
  ++stats_.reordered;
  r.verdict = Verdict::reordered;
  r.accepted = true;
  return r;
}

SequenceTracker::Result SequenceTracker::on_candidate(std::uint32_t ssrc, std::uint16_t sequence,
                                                      std::uint32_t timestamp, bool jump) noexcept {
  // A jump resynchronizes after two packets (A.1's bad_seq); a new source after `probation`
  // of them (A.1's MIN_SEQUENTIAL).
  const int required = jump ? 2 : config_.probation;
  Candidate& c = candidate_;
  int offset = static_cast<std::int16_t>(static_cast<std::uint16_t>(sequence - c.first_sequence));
  const bool joins =
      c.active && c.ssrc == ssrc && c.jump == jump && offset > -kNear && offset < kNear;
  Result r;
  r.generation = generation_ + 1;
  if (joins) {
    for (int i = 0; i < c.count; ++i) {
      if (c.offsets[static_cast<std::size_t>(i)] == offset) {
        ++stats_.duplicates;
        r.verdict = Verdict::duplicate;
        r.extended_sequence = std::int64_t{c.first_sequence} + offset;
        r.extended_timestamp = std::int64_t{c.first_timestamp} +
                               static_cast<std::int32_t>(timestamp - c.first_timestamp);
        return r;
      }
    }
    c.offsets[static_cast<std::size_t>(c.count++)] = offset;
    c.min_offset = std::min(c.min_offset, offset);
    if (offset > c.max_offset) {
      c.max_offset = offset;
      c.highest_timestamp = timestamp;
    }
  } else {
    if (c.active && !c.jump) stats_.probation_dropped += c.count;
    c = Candidate{};
    c.active = true;
    c.jump = jump;
    c.ssrc = ssrc;
    c.first_sequence = sequence;
    c.first_timestamp = timestamp;
    c.highest_timestamp = timestamp;
    c.count = 1;
    offset = 0;
  }
  // Numbers in the generation the candidate would start (provisional until confirmed).
  r.extended_sequence = std::int64_t{c.first_sequence} + offset;
  r.extended_timestamp =
      std::int64_t{c.first_timestamp} + static_cast<std::int32_t>(timestamp - c.first_timestamp);
  if (c.count >= required) {
    // The jump packets that led here were counted as dropped; they are received after all.
    if (jump) stats_.bad_jumps -= c.count - 1;
    start_generation(c);
    c = Candidate{};
    r.verdict = Verdict::restarted;
    r.accepted = true;
    r.generation = generation_;
    return r;
  }
  if (jump) {
    ++stats_.bad_jumps;
    r.verdict = Verdict::bad_jump;
  } else {
    r.verdict = Verdict::probation;
  }
  return r;
}

void SequenceTracker::start_generation(const Candidate& c) noexcept {
  if (has_source_) {
    closed_expected_ += current_.highest - current_.base + 1;
    closed_received_ += current_.received;
    ++stats_.restarts;
    if (c.ssrc != current_.ssrc) ++stats_.source_changes;
  }
  has_source_ = true;
  ++generation_;
  current_ = Source{};
  current_.ssrc = c.ssrc;
  current_.base = std::int64_t{c.first_sequence} + c.min_offset;
  current_.highest = std::int64_t{c.first_sequence} + c.max_offset;
  for (int i = 0; i < c.count; ++i)
    mark_seen(std::int64_t{c.first_sequence} + c.offsets[static_cast<std::size_t>(i)]);
  current_.timestamp = std::int64_t{c.first_timestamp} +
                       static_cast<std::int32_t>(c.highest_timestamp - c.first_timestamp);
  current_.raw_timestamp = c.highest_timestamp;
  current_.received = c.count;
  stats_.received += c.count;
}

std::int64_t SequenceTracker::unwrap_timestamp(const Source& s, std::uint32_t timestamp) noexcept {
  return s.timestamp + static_cast<std::int32_t>(timestamp - s.raw_timestamp);
}

// Ring slots: packet e at bit e mod 1024 (valid for the 1024 numbers up to the highest).
void SequenceTracker::mark_seen(std::int64_t extended) noexcept {
  const auto i = static_cast<std::size_t>(static_cast<std::uint64_t>(extended) % kWindowBits);
  current_.seen[i / 64] |= std::uint64_t{1} << (i % 64);
}

void SequenceTracker::clear_seen(std::int64_t extended) noexcept {
  const auto i = static_cast<std::size_t>(static_cast<std::uint64_t>(extended) % kWindowBits);
  current_.seen[i / 64] &= ~(std::uint64_t{1} << (i % 64));
}

bool SequenceTracker::was_seen(std::int64_t extended) const noexcept {
  const auto i = static_cast<std::size_t>(static_cast<std::uint64_t>(extended) % kWindowBits);
  return ((current_.seen[i / 64] >> (i % 64)) & 1) != 0;
}

std::int64_t SequenceTracker::expected() const noexcept {
  return closed_expected_ + (has_source_ ? current_.highest - current_.base + 1 : 0);
}

std::int64_t SequenceTracker::lost() const noexcept {
  return expected() - stats_.received;
}

SequenceTracker::Interval SequenceTracker::interval() noexcept {
  Interval out;
  const std::int64_t expected_now = expected();
  out.expected = expected_now - prior_expected_;
  out.received = stats_.received - prior_received_;
  const std::int64_t lost = out.expected - out.received;
  out.lost = lost > 0 ? lost : 0;
  if (out.expected > 0) {
    const std::int64_t fraction = out.lost * 256 / out.expected;  // 256 when all were lost
    out.fraction_lost = static_cast<std::uint8_t>(fraction > 255 ? 255 : fraction);
  }
  prior_expected_ = expected_now;
  prior_received_ = stats_.received;
  return out;
}

void SequenceTracker::reset() noexcept {
  has_source_ = false;
  generation_ = 0;
  current_ = Source{};
  candidate_ = Candidate{};
  closed_expected_ = 0;
  closed_received_ = 0;
  prior_expected_ = 0;
  prior_received_ = 0;
  stats_ = {};
}

const char* describe(SequenceTracker::Verdict verdict) noexcept {
  switch (verdict) {
    case SequenceTracker::Verdict::in_order:
      return "in order";
    case SequenceTracker::Verdict::reordered:
      return "reordered";
    case SequenceTracker::Verdict::duplicate:
      return "duplicate";
    case SequenceTracker::Verdict::probation:
      return "source on probation";
    case SequenceTracker::Verdict::restarted:
      return "stream restarted";
    case SequenceTracker::Verdict::bad_jump:
      return "implausible sequence jump";
  }
  return "unknown verdict";
}

}  // namespace ivrmedia::rtp
