// Factories of the payload formats in Registry::standard(), one adapter file each. They receive
// the config with the format's clock rate filled in, and throw Error for what the format cannot
// take.
#pragma once

#include <memory>

#include "ivrmedia/codec.hpp"

namespace ivrmedia::codec::detail {

std::unique_ptr<Encoder> make_pcmu_encoder(const EncoderConfig& config);
std::unique_ptr<Decoder> make_pcmu_decoder(const DecoderConfig& config);
std::unique_ptr<Encoder> make_pcma_encoder(const EncoderConfig& config);
std::unique_ptr<Decoder> make_pcma_decoder(const DecoderConfig& config);
std::unique_ptr<Encoder> make_l16_encoder(const EncoderConfig& config);
std::unique_ptr<Decoder> make_l16_decoder(const DecoderConfig& config);
std::unique_ptr<Encoder> make_g722_encoder(const EncoderConfig& config);
std::unique_ptr<Decoder> make_g722_decoder(const DecoderConfig& config);
std::unique_ptr<Encoder> make_opus_encoder(const EncoderConfig& config);
std::unique_ptr<Decoder> make_opus_decoder(const DecoderConfig& config);

// Checks shared by the sample-based formats (G.711, L16, G.722): the RTP clock and PCM rate
// the format fixes, channel counts it allows, ptime 10..60 ms, packets of 10..120 ms.
void check_sample_format_encoder(const EncoderConfig& config, int audio_rate_hz, int rtp_clock_hz,
                                 int max_channels);
void check_sample_format_decoder(const DecoderConfig& config, int audio_rate_hz, int rtp_clock_hz,
                                 int max_channels);
// The channel count a sample-based format runs with (format's, defaulting to 1).
int format_channels(const Format& format) noexcept;

}  // namespace ivrmedia::codec::detail
