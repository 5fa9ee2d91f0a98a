// ivrmedia C++ API: packet-loss concealment by pitch waveform substitution, after ITU-T G.711
// Appendix I ("A high quality low-complexity algorithm for packet loss concealment with G.711").
//
// For decoders without a concealment of their own (G.711, L16; G.722 uses it inside its
// decoder). Every decoded frame passes through good(); when a frame is missing, conceal()
// continues the signal:
//   - The last 48.75 ms of audio are kept (3.25 times the longest pitch period).
//   - At the start of an erasure the pitch period is estimated between 5 and 15 ms (200 to
//     66.7 Hz) by normalized cross-correlation of the last 20 ms with the signal 5-15 ms
//     earlier: coarsely on the signal decimated to 4 kHz (sums of 2, 4 or 12 samples at 8, 16
//     and 48 kHz, so the coarse search costs the same at every rate), then at full rate around
//     the coarse peak. A peak at two or three periods is folded back to one period when
//     that lag correlates nearly as well (within 5 %): a strictly periodic signal scores alike
//     at every multiple of its period, and Appendix I's tie rule leaves that to rounding.
//   - The last period is repeated; its last quarter is overlap-added with the quarter period
//     before it so the repetitions join smoothly. After 10 ms the repeated segment grows to
//     the last two periods, after 20 ms to three (each change overlap-added over a quarter
//     period), so long erasures do not buzz.
//   - Level: unchanged for 10 ms, then a linear ramp down by 20 % per 10 ms: silence from
//     60 ms on.
//   - The first good frame after an erasure is cross-faded with the synthetic continuation,
//     held at the level the ramp had reached, over a quarter pitch period plus 4 ms per
//     further 10 ms of erasure, at most 10 ms (as the Appendix's reference code: a quarter
//     period after one lost 10 ms frame, a quarter period + 4 ms after two); the fade may
//     span several good() calls.
// Durations scale with the rate: 8000, 16000 and 48000 Hz are supported.
//
// Zero delay, unlike the Appendix: the reference holds output back 3.75 ms (the longest
// quarter period) so it can overlap-add the end of the real signal into the start of the
// synthetic one. A jitter buffer in an IVR host wants no extra latency, so here the real
// signal is never delayed or modified before a loss; instead the first quarter period of the
// synthetic signal carries a correction that starts at the step between the last real sample
// and the repeated period and decays linearly to zero. The junction then keeps the value and
// the slope of the signal, and a strictly periodic signal is continued exactly (spandsp's
// zero-delay variant overlap-adds with the time-reversed last quarter period instead, which
// bends even a pure tone).
//
// Measured on speech-like audio with 10-20 % random loss of 20 ms packets (segmental SNR
// against the lossless decode over the lost packets): 2.1-4.2 dB, where silence scores 0 and
// spandsp's plc 1.3-3.1 dB. Waveform SNR scores the recovery fade as error while silence's
// hard cut back to the real signal scores perfectly, so over whole signals silence comes out
// about 1-2 dB ahead and spandsp (whose fade is a quarter period only) 0.2-0.5 dB ahead
// (tests/codec/test_plc.cpp, test_plc_spandsp.cpp print every figure).
//
// Results do not depend on how the stream is split into calls: splitting a good() or
// conceal() run into several calls gives identical samples. Concealment with no history
// gives silence. Float samples are full scale at +-1.0; the int16 calls convert (exactly on
// the way in, rounding and saturating on the way out) and give the float calls' results.
// Real-time safe: memory is allocated at creation only (about 6 KB at 8 kHz, 12 KB at 16 kHz,
// 36 KB at 48 kHz); the cost of a call is bounded by its length plus, at the start of an
// erasure, one pitch search.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "ivrmedia/core.hpp"

namespace ivrmedia::plc {

class IVRM_API Concealer {
 public:
  struct Config {
    int sample_rate_hz = 8000;  // 8000, 16000 or 48000
  };

  // Throws Error(bad_config) for an unsupported rate.
  explicit Concealer(const Config& config);
  Concealer(Concealer&&) noexcept;
  Concealer& operator=(Concealer&&) noexcept;
  Concealer(const Concealer&) = delete;
  Concealer& operator=(const Concealer&) = delete;
  ~Concealer();

  // Every decoded (good) frame passes through here, in place, any length from 1 sample: it is
  // recorded as history, and right after a concealment its start is cross-faded with the
  // synthetic continuation (so it may be modified). An empty frame changes nothing.
  void good(std::span<float> frame) noexcept;
  void good(std::span<std::int16_t> frame) noexcept;
  // Writes out.size() samples of concealment continuing the stream (any length, any number of
  // consecutive calls). The concealment is recorded as history too.
  void conceal(std::span<float> out) noexcept;
  void conceal(std::span<std::int16_t> out) noexcept;
  // Writes the out.size() samples the next conceal() calls would write, without advancing the
  // stream or recording anything. Decoders that must look ahead of their own output use it
  // (G.722 re-encodes the concealment 22 samples ahead, its QMF delay).
  void peek(std::span<float> out) noexcept;
  void peek(std::span<std::int16_t> out) noexcept;
  // Forgets the history and any erasure in progress; statistics are lifetime counters and stay.
  void reset() noexcept;

  [[nodiscard]] int sample_rate_hz() const noexcept { return sample_rate_hz_; }

  // Plain statistics: samples concealed in total, number of erasures (concealment runs).
  struct Stats {
    std::int64_t concealed_samples = 0;
    std::int64_t erasures = 0;
  };
  [[nodiscard]] const Stats& stats() const noexcept;

 private:
  struct State;  // lib/codec/plc.cpp
  std::unique_ptr<State> state_;
  int sample_rate_hz_;
};

}  // namespace ivrmedia::plc
