// ivrmedia C++ API: a transcoder between any two RTP payload formats of codec::Registry.
//
//   push(payload A) -> decode -> channel map -> resample -> re-frame -> encode -> pull(payload B)
//
// Payloads of format A with any duration go in; payloads of format B with its own ptime come
// out, one per pull(). Lost input is concealed by A's decoder (push_loss) or recovered from the
// next packet's in-band FEC (push_fec). Every sample is accounted for: after any sequence of
// calls, output samples encoded plus samples waiting equal the input samples (decoded or
// concealed) converted to the output rate, exactly (see Stats), so RTP timestamps on the output
// leg never drift from those of the input leg, over hours as over seconds.
//
// Decisions made once at creation: when A is opus and B's PCM rate is one libopus decodes to
// (8/12/16/24/48 kHz), A decodes straight at that rate, and when B is opus it encodes at A's
// rate if it can; only what remains is resampled (resample::Resampler, default quality). Mono
// and stereo meet by averaging (down) or duplicating (up).
//
// Everything is allocated at creation; push/pull never allocate, lock or throw.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/core.hpp"
#include "ivrmedia/resampler.hpp"

namespace ivrmedia::codec {

class IVRM_API Transcoder {
 public:
  struct Config {
    DecoderConfig input;   // format A (sample_rate_hz/channels 0: chosen as described above)
    EncoderConfig output;  // format B with its ptime
    resample::Quality quality = resample::Quality::standard;
  };

  // Sample counts per channel. Invariant after every call:
  //   output_samples + buffered_samples == resampled_samples
  //   resampled_samples == floor(decoded_samples * output_rate / decode_rate)  (exact rational)
  // where the resampler's group delay (latency_samples) is part of resampled_samples: the first
  // output samples are the filter's settling.
  struct Stats {
    std::int64_t decoded_samples = 0;    // at the decode rate, including concealed ones
    std::int64_t concealed_samples = 0;  // of decoded_samples, made by push_loss / push_fec
    std::int64_t resampled_samples = 0;  // at the output PCM rate
    std::int64_t output_samples = 0;     // encoded into payloads, at the output PCM rate
    std::int64_t packets_in = 0;
    std::int64_t packets_out = 0;
    std::int64_t malformed = 0;  // payloads refused by the decoder (nothing consumed)
  };

  explicit Transcoder(const Config& config);  // throws Error as the registry and resampler do
  Transcoder(Transcoder&&) noexcept;
  Transcoder& operator=(Transcoder&&) noexcept;
  ~Transcoder();

  // Decodes one payload of format A. Status::full (nothing consumed) when the output payloads
  // already waiting leave no room: pull() them first. Status::malformed for a payload the
  // decoder refuses (counted; the host may push_loss its duration instead).
  [[nodiscard]] Status push(std::span<const std::uint8_t> payload) noexcept;
  // Conceals lost input of `rtp_units` of A's RTP clock (the timestamp gap the host saw).
  [[nodiscard]] Status push_loss(std::int64_t rtp_units) noexcept;
  // As push_loss, recovering the audio from `next_payload`'s in-band FEC where A has it (opus);
  // the host then push()es next_payload itself.
  [[nodiscard]] Status push_fec(std::span<const std::uint8_t> next_payload,
                                std::int64_t rtp_units) noexcept;

  // Writes the next payload of format B when a whole frame is waiting: *written = its size, or
  // 0 when none is ready. payload must hold output_info().max_payload_bytes.
  [[nodiscard]] Status pull(std::span<std::uint8_t> payload, std::size_t* written) noexcept;
  // Whole output frames waiting.
  [[nodiscard]] std::size_t frames_ready() const noexcept;

  [[nodiscard]] const Info& input_info() const noexcept;
  [[nodiscard]] const Info& output_info() const noexcept;
  // Resampler group delay in output samples (0 when no resampling is needed).
  [[nodiscard]] double latency_samples() const noexcept;
  [[nodiscard]] const Stats& stats() const noexcept { return stats_; }
  // Back to the state after creation (decoder, resampler, encoder and buffers).
  void reset() noexcept;

 private:
  [[nodiscard]] bool has_room(std::size_t samples) const noexcept;
  Status take(std::size_t samples, const float* pcm) noexcept;  // decoded -> FIFO
  Status conceal_units(std::span<const std::uint8_t> next, std::int64_t rtp_units) noexcept;

  std::unique_ptr<Decoder> decoder_;
  std::unique_ptr<Encoder> encoder_;
  std::unique_ptr<resample::Resampler> resampler_;  // null when rates match
  int in_channels_ = 1, out_channels_ = 1;
  std::vector<float> decoded_;  // one decoded payload (decoder channels)
  std::vector<float> mapped_;   // ... in the encoder's channel layout
  std::vector<float> fifo_;     // resampled audio waiting to be framed (encoder channels)
  std::size_t fifo_start_ = 0, fifo_end_ = 0;  // in floats
  Stats stats_;
};

}  // namespace ivrmedia::codec
