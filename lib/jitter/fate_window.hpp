// The fate of every sequence number of the playing stream (received, lost, discarded as too
// late), settled a while after playout passed it and fed in order to rtp::VoipMetrics, which
// needs them in sequence order (RFC 3611 burst/gap metrics). A lost packet that turns up late is
// a discard, not a loss (RFC 3611 section 4.7.1), so fates wait kSettle packets behind the
// playout point before they are final.
#pragma once

#include <array>
#include <cstdint>

#include "ivrmedia/call_quality.hpp"

namespace ivrmedia::jitter {

class FateWindow {
 public:
  static constexpr std::int64_t kSize = 256;
  static constexpr std::int64_t kSettle = 64;

  explicit FateWindow(const rtp::VoipMetrics::Config& config) : metrics_(config) {}

  // A new stream (generation) starting at sequence `first`: what is pending is settled first.
  void restart(std::int64_t first) noexcept {
    if (active_) settle_to(highest_ + 1);
    active_ = true;
    next_ = first;
    highest_ = first - 1;
  }
  // Sequence `seq` arrived in time (an audio packet that will play, an RFC 4733 or comfort
  // noise packet), with its duration in units of the metrics' clock.
  void received(std::int64_t seq, std::uint32_t units) noexcept { mark(seq, kReceived, units); }
  // Sequence `seq` arrived after its audio was due.
  void discarded(std::int64_t seq, std::uint32_t units) noexcept { mark(seq, kDiscarded, units); }
  // Sequence `seq` arrived in time and playout reached it (one step, on every packet played):
  // received(seq, units), and the fates kSettle behind it become final.
  void played(std::int64_t seq, std::uint32_t units) noexcept {
    if (!active_) return;
    mark(seq, kReceived, units);
    settle_to(seq - kSettle);
  }

  // Whether every sequence number in [from, to) arrived in time (true for an empty range;
  // false when part of it is settled already or beyond the window).
  [[nodiscard]] bool all_arrived(std::int64_t from, std::int64_t to) const noexcept {
    if (from >= to) return true;
    if (!active_ || from < next_ || to - next_ > kSize) return false;
    for (std::int64_t seq = from; seq < to; ++seq)
      if (fates_[index(seq)].state != kReceived) return false;
    return true;
  }

  [[nodiscard]] rtp::VoipMetrics::Report report() const noexcept { return metrics_.report(); }
  void reset() noexcept {
    metrics_.reset();
    fates_.fill({});
    active_ = false;
    next_ = 0;
    highest_ = -1;
    last_units_ = 0;
  }

 private:
  enum : std::uint8_t { kUnknown = 0, kReceived = 1, kDiscarded = 2 };
  struct Fate {
    std::uint8_t state = kUnknown;
    std::uint32_t units = 0;
  };

  void mark(std::int64_t seq, std::uint8_t state, std::uint32_t units) noexcept {
    if (!active_ || seq < next_) return;  // settled already (or before the stream)
    if (seq >= next_ + kSize) settle_to(seq - kSize + 1);
    Fate& f = fates_[index(seq)];
    if (f.state == kReceived) return;  // a copy of a packet that arrived in time
    f.state = state;
    f.units = units;
    if (seq > highest_) highest_ = seq;
  }

  void settle_to(std::int64_t limit) noexcept {
    for (; next_ < limit; ++next_) {
      Fate& f = fates_[index(next_)];
      // A lost packet's duration is unknown, and events carry none: take the last one seen.
      if (f.state != kUnknown && f.units > 0) last_units_ = f.units;
      const std::uint32_t units = f.units > 0 ? f.units : last_units_;
      switch (f.state) {
        case kReceived:
          metrics_.received(units);
          break;
        case kDiscarded:
          metrics_.discarded(units);
          break;
        default:
          metrics_.lost(units);
          break;
      }
      f = Fate{};
    }
  }

  static std::size_t index(std::int64_t seq) noexcept {
    return static_cast<std::size_t>(((seq % kSize) + kSize) % kSize);  // seq may be negative
  }

  rtp::VoipMetrics metrics_;
  std::array<Fate, kSize> fates_{};
  bool active_ = false;
  std::int64_t next_ = 0;  // first sequence number not settled
  std::int64_t highest_ = -1;
  std::uint32_t last_units_ = 0;
};

}  // namespace ivrmedia::jitter
