// RFC 3550 section 6.4.1 interarrival jitter (the estimator of appendix A.8, kept in floating
// point so that D keeps its fraction of an RTP unit).
#include <cmath>
#include <cstdint>

#include "ivrmedia/call_quality.hpp"

namespace ivrmedia::rtp {

namespace {
// RFC 3550 section 6.4.1: the gain 1/16 "gives a good noise reduction ratio while maintaining a
// reasonable rate of convergence".
constexpr double kGain = 1.0 / 16.0;
constexpr double kMicrosecondsPerSecond = 1e6;
}  // namespace

InterarrivalJitter::InterarrivalJitter(int clock_rate_hz) : clock_rate_hz_(clock_rate_hz) {
  if (clock_rate_hz <= 0) {
    throw Error(Status::bad_config, "rtp::InterarrivalJitter: clock rate must be positive");
  }
}

void InterarrivalJitter::update(std::uint32_t rtp_timestamp,
                                std::int64_t arrival_time_us) noexcept {
  if (packets_ > 0) {
    // Differences only: the int64 arrival difference is exact whatever the epoch, and the
    // timestamp difference is the signed 32-bit distance, right across the wrap. Unsigned
    // subtraction avoids overflow on absurd arrival values; the cast back is two's complement.
    const auto arrival_delta = static_cast<std::int64_t>(
        static_cast<std::uint64_t>(arrival_time_us) - static_cast<std::uint64_t>(last_arrival_us_));
    const auto timestamp_delta = static_cast<std::int32_t>(rtp_timestamp - last_timestamp_);
    // Arrival difference in RTP units, in double: the product is exact while it stays below
    // 2^53 (a gap of 27 hours between two packets at 90 kHz) and within 2^-53 relative beyond,
    // and the division adds one rounding: far below a thousandth of a unit for any real gap.
    const double arrival_units =
        static_cast<double>(arrival_delta) * clock_rate_hz_ / kMicrosecondsPerSecond;
    const double d = arrival_units - static_cast<double>(timestamp_delta);
    jitter_ += (std::fabs(d) - jitter_) * kGain;
  }
  last_timestamp_ = rtp_timestamp;
  last_arrival_us_ = arrival_time_us;
  ++packets_;
}

std::uint32_t InterarrivalJitter::rtp_units() const noexcept {
  // The RR field is an unsigned 32-bit integer: truncate like A.8's `jitter >> 4`, saturate.
  if (!(jitter_ < 4294967295.0)) return 0xFFFFFFFFu;
  return static_cast<std::uint32_t>(jitter_);
}

double InterarrivalJitter::jitter_ms() const noexcept {
  return jitter_ * 1000.0 / clock_rate_hz_;
}

void InterarrivalJitter::reset() noexcept {
  jitter_ = 0.0;
  packets_ = 0;
  last_timestamp_ = 0;
  last_arrival_us_ = 0;
}

}  // namespace ivrmedia::rtp
