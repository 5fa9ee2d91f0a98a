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
//
// Packet-loss concealment (Decoder::conceal): pitch waveform substitution on the 16 kHz output
// (plc::Concealer, after G.711 Appendix I: 10 ms at full level, -20 % per 10 ms, silence from
// 60 ms, cross-fade into the first good packet), kept in step with the ADPCM. Like G.722
// Appendix III, which also extrapolates at 16 kHz and re-encodes, the concealed audio is coded
// by an encoder that starts from the decoder's own band states (G.722's encoder holds a local
// decoder whose band state equals the real decoder's after every octet) and the decoder decodes
// those octets: what is heard and the predictor and scale-factor state are one signal, so the
// first good packet continues from a state that fits the audio just played instead of a stale
// one. The encoder runs 22 samples ahead of the output (the QMF pair's delay; it reads
// Concealer::peek), so the decoded concealment lines up with the stream without a time shift.
// The state estimates the far encoder's, which kept coding the real, unfaded signal. So once
// the concealment has faded to silence (60 ms) the predictor coefficients are frozen (adapting
// to silence would only leak them towards zero), and at the first good packet after such a
// loss the quantizer scale factors return to their values before it (the fade is for the
// listener; the talker's level did not drop). Without this, a steady vowel resumed after an
// 80 ms loss decodes 30-70 % too loud for 100 ms; with it, within 12 % from the second good
// packet on (tests/codec/test_g722_plc.cpp).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "ivrmedia/core.hpp"
#include "ivrmedia/plc.hpp"

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

// G.722 octets -> 16 kHz PCM, two samples per octet, with packet-loss concealment.
// Movable, not copyable. Creation allocates the concealer's history (about 12 KB); nothing is
// allocated afterwards. Decoding is bit-exact with the ITU reference except right after a
// concealment, where the first packet's start is cross-faded with the concealment (a quarter
// pitch period up to 10 ms) and, after losses of 60 ms or more, decodes from the adjusted
// state described above.
class IVRM_API Decoder {
 public:
  explicit Decoder(Mode mode = Mode::kbps64);
  // out must hold 2 * in.size() samples: Status::buffer_too_small otherwise (nothing decoded).
  // Only the first 2 * in.size() samples are written.
  [[nodiscard]] Status decode(std::span<const std::uint8_t> in,
                              std::span<std::int16_t> out) noexcept;
  // Writes out.size() samples (16 kHz) concealing lost octets, out.size() / 2 of them, and
  // advances the decoder's state over them. out.size() must be even: Status::invalid_argument
  // otherwise (nothing written). Any number of calls in a row; the result does not depend on
  // how a loss is split into calls. Concealment before any audio is silence.
  [[nodiscard]] Status conceal(std::span<std::int16_t> out) noexcept;
  // Restarts the stream (coder state and concealment history).
  void reset() noexcept;
  [[nodiscard]] Mode mode() const noexcept { return mode_; }
  // Concealment statistics (samples concealed, losses).
  [[nodiscard]] const plc::Concealer::Stats& concealment_stats() const noexcept {
    return plc_.stats();
  }

 private:
  Mode mode_;
  bool concealing_ = false;
  bool frozen_ = false;                 // predictor coefficients saved in frozen_low/high_
  std::int64_t concealed_ = 0;          // samples concealed in the current loss
  std::array<std::int16_t, 2> last_{};  // the last two output samples
  detail::CoderState state_;
  detail::CoderState shadow_;  // the encoder re-encoding a concealment (bands mirror state_)
  detail::Band frozen_low_, frozen_high_;  // predictor coefficients frozen at the fade's end
  std::array<int, 4> scale_{};             // nb and det of both bands before the loss
  plc::Concealer plc_;
};

}  // namespace ivrmedia::g722
