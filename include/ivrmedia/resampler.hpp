// ivrmedia C++ API: streaming sample-rate conversion between 8000, 16000, 32000, 44100 and
// 48000 Hz (any pair, identity included), 1 to 8 interleaved channels, float32 or int16.
//
// How: exact rational polyphase filtering (44100/48000 = 147/160, so no coefficient is ever
// interpolated) with Kaiser-windowed sinc filters designed once per (rates, quality) and shared
// by every Resampler of that pair in the process. Ratios above 2 run in two stages: a sharp 2:1
// stage at the lower rate and a short, relaxed stage for the rest (e.g. 8k -> 16k -> 48k).
// lib/codec/README.md has the plans and the design notes.
//
// Quality (f_low = the lower of the two rates; every figure holds for every supported pair and
// is measured by tests/codec/test_resampler.cpp from FFT spectra of swept sines and of noise):
//
//   preset    passband ripple <= 0.1 dB up to   rejection of aliases/images   latency at f_low
//   fast      0.80 x f_low / 2                  >= 80 dB  (measured >= 83.8)  23-28 samples
//   standard  0.90 x f_low / 2                  >= 100 dB (measured >= 101.4) 55-60 samples
//   high      0.95 x f_low / 2                  >= 120 dB (measured >= 121.0) 131-138 samples
//   (measured ripple: at most 0.092 dB for every preset)
//
// "Rejection" is strict: when downsampling, every input component at or above the output's
// Nyquist frequency comes out at least that far below its input level (nothing may alias); when
// upsampling, every image (any output component at or above the input's Nyquist frequency) is
// at least that far below the input component it is an image of. The standard preset delays by
// 6.9-7.5 ms from or to 8 kHz, 3.4-3.7 ms from or to 16 kHz, 1.2-1.8 ms between 32, 44.1 and
// 48 kHz: less than speexdsp's quality 8 (80 samples at f_low: 10 ms at 8 kHz), whose
// rejection measured the same way is 97-99 dB. latency_seconds() gives a pair's exact figure.
//
// Sample accounting is exact: after any sequence of calls that consumed n input frames in
// total, exactly floor(n * output_rate / input_rate) output frames have been written, whatever
// the chunking, so a transcoder's RTP timestamps stay exact for days. Output frame j holds the
// input signal at time j / output_rate - latency_seconds(): the stream starts with about
// latency_output_frames() frames of the filter's ramp (silence that fades in), and the last
// latency_seconds() of input has not come out yet when input stops (feed silence to drain it).
// The result of a stream does not depend on how it was cut into calls (bit-identical).
//
// SIMD: a scalar kernel and AVX2+FMA kernels, chosen at creation (Config::simd). The AVX2
// kernels fuse their multiply-adds, so their output differs from the scalar kernel's by
// rounding only: less than 2e-6 of full scale for input within +-1.0, at most one step in
// int16 (tested). Each level on its own is bit-identical across chunkings.
//
// Real time: all memory is taken at creation. process() and reset() never allocate, lock,
// throw or make system calls, and cost a bounded amount per frame.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "ivrmedia/core.hpp"

namespace ivrmedia::resample {

enum class Quality : std::int32_t {
  fast = 0,      // 0.1 dB to 0.80 x f_low/2, >= 80 dB
  standard = 1,  // 0.1 dB to 0.90 x f_low/2, >= 100 dB (the default)
  high = 2,      // 0.1 dB to 0.95 x f_low/2, >= 120 dB (prompts, recordings: ~2.4x the delay)
};

struct Result {
  std::size_t in_frames_used;
  std::size_t out_frames_written;
};

// One stream of interleaved frames. One thread at a time per Resampler; distinct Resamplers
// never share mutable state (the filter tables they share are immutable).
class IVRM_API Resampler {
 public:
  struct Config {
    int input_rate_hz = 8000;
    int output_rate_hz = 16000;
    int channels = 1;  // 1..8, interleaved
    Quality quality = Quality::standard;
    SimdLevel simd = SimdLevel::automatic;
  };

  // Throws Error(bad_config) for an unsupported rate, channel count or quality, and
  // Error(unsupported) for a SIMD level this CPU cannot run. Creating the first Resampler of a
  // (rates, quality) designs its filters under a process-wide lock (0.05 ms for 8k -> 16k, up
  // to ~8 ms for the high preset's 32k <-> 44.1k); later ones share them. Memory of its own:
  // 3.5-5 KiB per channel.
  explicit Resampler(const Config& config);
  Resampler(Resampler&&) noexcept;
  Resampler& operator=(Resampler&&) noexcept;
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;
  ~Resampler();

  // Converts interleaved frames. All or nothing: when `out` has room for
  // max_output_frames(in frames) frames, the whole input is consumed and exactly that many
  // frames are written; otherwise nothing is consumed or written and the call returns
  // buffer_too_small. invalid_argument when in.size() is not a multiple of channels;
  // bad_state on a moved-from Resampler. `result` may be null; on error it reads {0, 0}.
  // `in` and `out` must not overlap. The int16 form reads samples as x / 32768 and writes
  // rounded to nearest (ties to even), saturated.
  [[nodiscard]] Status process(std::span<const float> in, std::span<float> out,
                               Result* result) noexcept;
  [[nodiscard]] Status process(std::span<const std::int16_t> in, std::span<std::int16_t> out,
                               Result* result) noexcept;

  // Exactly the number of frames the next process() call writes for `input_frames` frames:
  // floor((consumed + input_frames) * out / in) - floor(consumed * out / in), which is never
  // more than floor(input_frames * out / in) + 1.
  [[nodiscard]] std::size_t max_output_frames(std::size_t input_frames) const noexcept;

  // Group delay of the whole conversion (the filters are linear phase): seconds, and the same
  // in output frames (fractional).
  [[nodiscard]] double latency_seconds() const noexcept;
  [[nodiscard]] double latency_output_frames() const noexcept;

  // Back to the state of a new Resampler (silence before the stream, counters at zero); the
  // filters and settings stay.
  void reset() noexcept;

  [[nodiscard]] const Config& config() const noexcept { return config_; }
  [[nodiscard]] SimdLevel simd_level() const noexcept { return simd_; }

  // True for 8000, 16000, 32000, 44100 and 48000.
  [[nodiscard]] static bool rate_supported(int hz) noexcept;

 private:
  struct Impl;
  Config config_;
  SimdLevel simd_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ivrmedia::resample
