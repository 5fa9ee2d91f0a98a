// ivrmedia C++ API: ITU-T G.722 sub-band ADPCM (7 kHz audio at 16000 samples/s).
//
// Written here from the Recommendation, bit-exact with the ITU reference as spandsp implements
// it (tested byte for byte and sample for sample against libspandsp; the one difference: where
// the decoder's output overflows 16 bits, spandsp 0.0.6 wraps it and we saturate it, as the
// reference does). No allocation, no locks, bounded cost per octet. A 24-tap QMF splits the
// input into two 8 kHz bands; the lower band is coded with 6 bits (adaptive quantizer, pole-zero
// predictor), the upper band with 2. One octet carries one pair of input samples, so 64 kbit/s.
// Input and output are 16-bit linear PCM at full scale (the reference works on 14 bits; like
// spandsp, the QMF shifts are chosen so 16-bit samples go in and come out).
//
// Modes (G.722 section 1.4): mode 1 uses all 8 bits of each octet for audio (64 kbit/s); modes
// 2 and 3 leave the lowest 1 or 2 bits of the lower band to auxiliary data (56 and 48 kbit/s).
// The encoder in mode 2/3 zeroes those bits; a decoder in mode 2/3 ignores them. RTP (RFC 3551)
// carries mode 1, and note its quirk: the RTP clock of G.722 is 8000 Hz although the audio is
// sampled at 16000 Hz.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "ivrmedia/core.hpp"

namespace ivrmedia::g722 {

enum class Mode : std::int32_t { kbps64 = 1, kbps56 = 2, kbps48 = 3 };

namespace detail {
// Adaptive predictor and quantizer state of one sub-band (names follow the Recommendation's
// blocks: s = signal estimate, sz = its zero-section part, det = quantizer scale factor,
// nb = its logarithm, a/b = pole/zero coefficients, d/p/r = delayed difference, partial and
// reconstructed signals).
struct Band {
  int s = 0, sp = 0, sz = 0, nb = 0, det = 0;
  std::array<int, 3> r{}, a{}, p{};
  // Zero section: delayed differences and coefficients in lanes 1..6 (lanes 0 and 7 stay 0),
  // 16 bits as in the reference, one SSE2 register each.
  alignas(16) std::array<std::int16_t, 8> d{};
  alignas(16) std::array<std::int16_t, 8> b{};
};
// The QMF's last 24 inputs, kept twice over so a window is always contiguous. 16 bits suffice
// (encoder: the input; decoder: sum and difference of two 15-bit band signals).
struct QmfHistory {
  std::array<std::int16_t, 48> x{};
  int pos = 0;  // index of the oldest sample of the current window
};
// Everything an encoder or a decoder remembers, at its initial values (G.722's reset state:
// quantizer scale factors 32 and 8, everything else zero).
struct CoderState {
  Band low{.det = 32};
  Band high{.det = 8};
  QmfHistory qmf;
};
}  // namespace detail

// 16 kHz PCM -> G.722 octets. One per stream; never allocates; results do not depend on how
// the input is split into calls, provided each call holds whole sample pairs.
class IVRM_API Encoder {
 public:
  explicit Encoder(Mode mode = Mode::kbps64) noexcept : mode_(mode) {}
  // in.size() must be even (a pair of samples per octet): Status::invalid_argument otherwise;
  // out must hold in.size() / 2 octets: Status::buffer_too_small otherwise. Nothing is consumed
  // on error.
  [[nodiscard]] Status encode(std::span<const std::int16_t> in,
                              std::span<std::uint8_t> out) noexcept;
  void reset() noexcept { state_ = {}; }
  [[nodiscard]] Mode mode() const noexcept { return mode_; }

 private:
  Mode mode_;
  detail::CoderState state_;
};

// G.722 octets -> 16 kHz PCM, two samples per octet.
class IVRM_API Decoder {
 public:
  explicit Decoder(Mode mode = Mode::kbps64) noexcept : mode_(mode) {}
  // out must hold 2 * in.size() samples: Status::buffer_too_small otherwise (nothing decoded).
  [[nodiscard]] Status decode(std::span<const std::uint8_t> in,
                              std::span<std::int16_t> out) noexcept;
  void reset() noexcept { state_ = {}; }
  [[nodiscard]] Mode mode() const noexcept { return mode_; }

 private:
  Mode mode_;
  detail::CoderState state_;
};

}  // namespace ivrmedia::g722
