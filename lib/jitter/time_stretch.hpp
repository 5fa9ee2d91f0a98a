// Time-scale modification of decoded audio for the adaptive jitter buffer (issue 6, item 7):
// WSOLA-style accelerate (remove whole pitch periods) and preemptive expand (insert one), the
// two operations WebRTC NetEq's Accelerate and PreemptiveExpand perform on top of its
// TimeStretch. The buffer changes its delay and absorbs clock drift (+-1 %) with them instead of
// dropping or inserting whole frames; the pitch is kept because nothing is resampled: periods
// are cut out of, or repeated in, the waveform and the joins are cross-faded.
//
// Geometry (durations scale with the rate; 8000, 16000 and 48000 Hz are supported). Each call
// analyses its own input around an anchor S, 15 ms into the input (accelerate) or
// max(15 ms, already_played) (preemptive expand); the input must reach 15 ms past S
// (min_input_samples(): 30 ms with no history).
//   1. Pitch: lags of 2.5-15 ms (400-66.7 Hz). Coarse search on the signal low-passed and
//      decimated to 4 kHz (a windowed-sinc filter built at creation, so the search costs the
//      same at every rate): normalized cross-correlation of the 12.5 ms after S with the signal
//      `lag` earlier. Then the same correlation at full rate within one coarse step of the
//      peak. A peak at 2-6 periods folds back to one period when that shorter lag scores nearly
//      as well (95 %, checked at full rate): a periodic signal scores alike at every multiple.
//      The result is the period P.
//   2. Segments: the two L = k*P samples long segments that meet at S, a = x[S-L, S) and
//      b = x[S, S+L) (k = 1 unless accelerate is allowed to remove several periods; L is then
//      re-searched within +-k/2 samples of k*P, since an integer P's rounding error grows k-fold).
//   3. Decision: the operation is applied when the segments are periodic enough (normalized
//      cross-correlation <a,b> / sqrt(<a,a><b,b>) at least `correlation_threshold`, default
//      0.9, NetEq's value for both operations: above it a cross-fade of the two segments is
//      inaudible on voiced speech) or quiet enough (mean power of a and b below
//      `quiet_level_dbfs`, default -40 dBFS, RMS 1.0 = 0 dBFS: some 20 dB under active speech
//      at the usual -20 dBFS and above idle-line noise; there even uncorrelated noise can be
//      cross-faded unheard). NetEq's "no active speech" test is the same mean power against
//      8 times (9 dB over) its background-noise energy, or a fixed 8 x 75000 in 16-bit units
//      (-32.5 dBFS) before it has an estimate; this class has no noise estimator, so a caller
//      that has one sets the quiet level from it (set_quiet_level_dbfs), and the fixed default
//      is 7.5 dB more cautious than NetEq's. Otherwise (loud and aperiodic: unvoiced sounds,
//      noise, onsets) the input is copied.
//   4. Operation (raised-cosine cross-fade over L samples, so level and slope stay continuous;
//      NetEq fades linearly, which leaves a kink in the slope at both ends):
//      accelerate:        x[0, S-L) | fade a -> b | x[S+L, n)          (L samples fewer)
//      preemptive expand: x[0, S)   | fade b -> a | x[S, n)            (P samples more)
//      The expand's inserted period starts like x[S] (continuing x[S-1]) and ends like x[S-1]
//      (continued by x[S]); nothing before S changes, so `already_played` samples of history
//      the caller has already played come out as they went in. (NetEq refuses a voiced
//      expand when more than 15 ms were already played; moving the anchor past them instead
//      keeps the analysis where the insertion is.)
//
// Real-time safe: all memory (about 3 KB of tables and scratch) is inside the object; calls
// never allocate, lock, throw or make system calls, and their cost is bounded by the rate (a
// pitch search of ~5-10k multiply-adds at 4 kHz, a full-rate refinement over a few lags, the
// cross-fade and the copy: 2.3-2.6 us per 30 ms block at 8 and 16 kHz on one 2.6 GHz core,
// bench_jitter). Input that is not finite, or so loud its energy overflows, is never stretched
// (its correlation and power compare false) and is copied unchanged. Float samples are full
// scale at +-1.0; each faded sample is from + w * (to - from) with 0 <= w <= 1, so it lies
// between the two it blends (full-scale +-1 input stays within +-1).
//
// Stereo (opus and L16 may decode to two channels): interleaved frames; every correlation and
// power above is summed over both channels (a shift by `lag` frames is one contiguous shift in
// the interleaved layout), and both channels get the same cut. NetEq analyses its master
// channel only, which misses a voice on the other side; a downmix would cancel channels in
// opposite phase. Counts (already_played, max_remove, written, change, period, the limits and
// the statistics) are frames, i.e. samples per channel on the stream's clock; spans hold
// frames * channels samples.
// The stretcher keeps no stream state between calls: each call is decided on its own input;
// the caller (the jitter buffer's decision logic) chooses when to call and how much it may
// change. In use:
//   jitter::TimeStretcher ts({.sample_rate_hz = 16000});
//   // `future`: at least ts.min_input_samples() decoded frames not yet played
//   const auto r = ts.accelerate(future, scratch);  // scratch: future.size() samples
//   // scratch[0, r.written * channels) replaces `future`; the delay changed by r.change frames
//   // (0 when r.outcome says why not: try again on the next block)
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "ivrmedia/core.hpp"

namespace ivrmedia::jitter {

class TimeStretcher {
 public:
  struct Config {
    int sample_rate_hz = 8000;           // 8000, 16000 or 48000
    int channels = 1;                    // 1 or 2 (interleaved)
    float correlation_threshold = 0.9f;  // (0, 1]: segments at least this correlated stretch
    float quiet_level_dbfs = -40.0f;     // [-120, 0]: segments below this RMS always stretch
  };

  // Why a call did what it did (the jitter buffer's statistics and debug view).
  enum class Outcome : std::uint8_t {
    periodic,          // applied: the segments correlate at least correlation_threshold
    quiet,             // applied: the segments' level is below quiet_level_dbfs
    not_periodic,      // copied: loud and not periodic enough
    period_too_long,   // copied: max_remove is shorter than one pitch period
    too_short,         // copied: the input does not reach 15 ms past the anchor
    output_too_small,  // nothing written: `out` is below the documented capacity
    partial_frame,     // nothing written: in.size() is not a multiple of the channel count
  };

  struct Result {
    std::size_t written = 0;    // frames written to `out` (written * channels samples)
    std::ptrdiff_t change = 0;  // written - input frames: removed (< 0) or added (> 0)
    bool applied = false;       // change != 0
    Outcome outcome = Outcome::too_short;
    std::size_t period = 0;   // pitch period found, samples (0 when not analysed)
    float correlation = 0.f;  // of the segments cross-faded, or of the last pair tried
  };

  // Throws Error(bad_config) for an unsupported rate or channel count, or a threshold out of
  // its range.
  explicit TimeStretcher(const Config& config);
  explicit TimeStretcher(int sample_rate_hz)
      : TimeStretcher(Config{.sample_rate_hz = sample_rate_hz}) {}
  TimeStretcher(TimeStretcher&&) noexcept = default;
  TimeStretcher& operator=(TimeStretcher&&) noexcept = default;
  TimeStretcher(const TimeStretcher&) = delete;
  TimeStretcher& operator=(const TimeStretcher&) = delete;
  ~TimeStretcher() = default;

  // Accelerate: removes one pitch period from `in` (no history: every sample is still to be
  // played). `out` must hold in.size() samples and must not overlap `in`.
  [[nodiscard]] Result accelerate(std::span<const float> in, std::span<float> out) noexcept;
  // Accelerate by as many whole pitch periods as fit in `max_remove` frames and in the 15 ms
  // either side of the anchor, like NetEq's fast accelerate when the buffer is far too long
  // (fewer periods are tried when the longer segments do not correlate). NetEq also lowers its
  // threshold to 0.5 in that mode; here the threshold stays the configured one, and a caller
  // that wants NetEq's trade sets it. Nothing is removed when one period is longer than
  // `max_remove` (Outcome::period_too_long): a bound the jitter buffer can use so that one
  // call never shortens its delay by more than it wants.
  [[nodiscard]] Result accelerate(std::span<const float> in, std::span<float> out,
                                  std::size_t max_remove) noexcept;
  // The same with less than 30 ms still to play: `in` starts with `already_played` frames of
  // history (at least 15 ms; they serve the pitch search and come out unchanged), followed by
  // at least 15 ms of unplayed audio. The cut lies wholly in the unplayed part, right after the
  // history, and removes at most half of it (and at most max_remove): a jitter buffer trims a
  // few milliseconds this way when a frame's head would otherwise wait for nothing. Quiet audio
  // (below quiet_level_dbfs) loses all of that room at once, whatever the pitch (no pitch
  // search is made then), even less than the shortest period: the cross-fade then still spans
  // 2.5 ms and its target starts `room` later. Loud audio with less room than 2.5 ms is copied
  // (Outcome::period_too_long) without a pitch search.
  [[nodiscard]] Result accelerate(std::span<const float> in, std::size_t already_played,
                                  std::span<float> out, std::size_t max_remove) noexcept;

  // Preemptive expand: inserts one pitch period into `in`, whose first `already_played`
  // frames are history the caller has played (they are needed as analysis context and are
  // written back unchanged; pass 0 when every sample is new). The insertion comes after them
  // and at least 15 ms into the input, so the input must reach max(already_played, 15 ms) +
  // 15 ms. `out` must hold in.size() + channels * max_period_samples() samples and must not
  // overlap `in`.
  [[nodiscard]] Result preemptive_expand(std::span<const float> in, std::size_t already_played,
                                         std::span<float> out) noexcept;

  // 30 ms (frames): the shortest input either operation can stretch (already_played <= 15 ms).
  [[nodiscard]] std::size_t min_input_samples() const noexcept { return 2 * anchor_; }
  // 15 ms (frames): the longest pitch period, i.e. the most a preemptive expand adds.
  [[nodiscard]] std::size_t max_period_samples() const noexcept { return max_lag_; }
  [[nodiscard]] int sample_rate_hz() const noexcept { return rate_; }
  [[nodiscard]] int channels() const noexcept { return static_cast<int>(channels_); }

  // Runtime settings, same ranges as the Config; out of range is refused (Status::out_of_range)
  // and leaves the setting as it was. A jitter buffer with a background-noise estimate may set
  // the quiet level to that estimate plus a margin (NetEq uses 9 dB).
  Status set_correlation_threshold(float threshold) noexcept;
  Status set_quiet_level_dbfs(float level_dbfs) noexcept;
  [[nodiscard]] float correlation_threshold() const noexcept { return threshold_; }
  [[nodiscard]] float quiet_level_dbfs() const noexcept { return quiet_dbfs_; }

  // Lifetime counters (monotonic; reset() keeps them).
  struct Stats {
    std::int64_t accelerated = 0;      // accelerate calls that removed samples
    std::int64_t expanded = 0;         // preemptive_expand calls that added samples
    std::int64_t declined = 0;         // calls that copied or wrote nothing
    std::int64_t samples_removed = 0;  // by accelerate
    std::int64_t samples_added = 0;    // by preemptive expand
  };
  [[nodiscard]] const Stats& stats() const noexcept { return stats_; }
  // There is no stream state to forget (each call stands alone); kept for the uniform
  // lifecycle of the jitter buffer's parts.
  void reset() noexcept {}

 private:
  // Resolution of the tabulated raised-cosine fade (interpolated linearly: error < 3e-6).
  static constexpr std::size_t kFadeTable = 512;
  // The pitch search's signal at 4 kHz: 15 ms of lags plus the 12.5 ms window.
  static constexpr std::size_t kCoarseSamples = 110;
  // Decimation filter: 4 taps per decimation step plus one, at most 48 kHz / 4 kHz = 12 steps.
  static constexpr std::size_t kMaxTaps = 4 * 12 + 1;
  // RTP audio in telephony is mono or stereo (RFC 7587 allows opus no more).
  static constexpr std::size_t kMaxChannels = 2;

  struct Segments {
    std::size_t length = 0;
    float correlation = 0.f;
    bool quiet = false;
  };
  [[nodiscard]] std::size_t find_pitch(const float* x, std::size_t anchor) noexcept;
  [[nodiscard]] Segments measure(const float* x, std::size_t anchor,
                                 std::size_t length) const noexcept;
  void cross_fade(const float* from, const float* to, std::size_t n, float* out) const noexcept;
  // Both accelerate calls: at most max_remove samples, one period unless `several`.
  // already_played 0: analysed and cut around the anchor at 15 ms; else analysed at the first
  // unplayed frame and cut right after it.
  Result remove_periods(std::span<const float> in, std::size_t already_played, std::span<float> out,
                        std::size_t max_remove, bool several) noexcept;
  Result finish(Result r) noexcept;

  int rate_;
  std::size_t channels_ = 1;
  std::size_t decimation_;  // full-rate samples per 4 kHz sample
  std::size_t anchor_;      // 15 ms
  std::size_t min_lag_;     // 2.5 ms
  std::size_t max_lag_;     // 15 ms
  std::size_t window_;      // 12.5 ms, the correlated window
  float threshold_;
  float quiet_dbfs_;
  float quiet_power_;  // mean square per sample below which segments are quiet
  // All tables and scratch live in the object (about 3 KB): no heap at all, and a moved-from
  // stretcher still works.
  std::size_t taps_;                       // of the decimation filter
  std::array<float, kMaxTaps> lowpass_{};  // decimation filter taps (DC gain 1)
  std::array<float, kCoarseSamples * kMaxChannels> decimated_{};  // 27.5 ms at 4 kHz
  std::array<float, kFadeTable + 1> fade_{};                      // raised cosine, 0 -> 1
  Stats stats_;
};

}  // namespace ivrmedia::jitter
