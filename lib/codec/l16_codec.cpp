// L16 (RFC 3551 section 4.5.11): 16-bit two's-complement samples, most significant byte first,
// interleaved when stereo. Carried here at 8000, 16000 and 48000 Hz, mono or stereo; the RTP
// clock is the sample rate. Each channel has its own G.711 Appendix I style concealer.
#include <algorithm>
#include <memory>
#include <type_traits>
#include <vector>

#include "codec/codec_formats.hpp"
#include "codec/codec_support.hpp"
#include "ivrmedia/plc.hpp"

namespace ivrmedia::codec::detail {
namespace {

std::int16_t load_be16(const std::uint8_t* p) noexcept {
  return static_cast<std::int16_t>(static_cast<std::uint16_t>((p[0] << 8) | p[1]));
}
void store_be16(std::int16_t v, std::uint8_t* p) noexcept {
  const auto u = static_cast<std::uint16_t>(v);
  p[0] = static_cast<std::uint8_t>(u >> 8);
  p[1] = static_cast<std::uint8_t>(u & 0xFF);
}

Info l16_info(int rate, int channels, int frame_samples, std::size_t max_samples) {
  Info info;
  info.kind = Kind::l16;
  info.name = "L16";
  info.sample_rate_hz = rate;
  info.channels = channels;
  info.rtp_clock_hz = rate;
  info.frame_samples = frame_samples;
  info.max_payload_bytes = static_cast<std::size_t>(frame_samples) * channels * 2;
  info.max_samples = max_samples;
  return info;
}

class L16Encoder final : public Encoder {
 public:
  L16Encoder(int rate, int channels, int ptime_ms)
      : Encoder(l16_info(rate, channels, rate / 1000 * ptime_ms, 0)) {}
  void reset() noexcept override {}

 private:
  std::size_t total() const noexcept {
    return static_cast<std::size_t>(info_.frame_samples) * info_.channels;
  }
  Status encode_s16(const std::int16_t* pcm, std::span<std::uint8_t> payload,
                    std::size_t* written) noexcept override {
    const std::size_t n = total();
    for (std::size_t i = 0; i < n; ++i)
      store_be16(pcm[i], &payload[2 * i]);
    *written = 2 * n;
    return Status::ok;
  }
  Status encode_f32(const float* pcm, std::span<std::uint8_t> payload,
                    std::size_t* written) noexcept override {
    const std::size_t n = total();
    for (std::size_t i = 0; i < n; ++i)
      store_be16(core::float_to_s16(pcm[i]), &payload[2 * i]);
    *written = 2 * n;
    return Status::ok;
  }
};

class L16Decoder final : public Decoder {
 public:
  L16Decoder(int rate, int channels, int max_packet_ms)
      : Decoder(
            l16_info(rate, channels, 0, static_cast<std::size_t>(rate / 1000 * max_packet_ms))) {
    for (int c = 0; c < channels; ++c)
      plc_.emplace_back(plc::Concealer::Config{.sample_rate_hz = rate});
  }

  Status samples_in(std::span<const std::uint8_t> payload,
                    std::size_t* samples_per_channel) const noexcept override {
    if (samples_per_channel == nullptr) return Status::null_pointer;
    const std::size_t frame_bytes = 2 * static_cast<std::size_t>(info_.channels);
    if (payload.empty() || payload.size() % frame_bytes != 0) return Status::malformed;
    const std::size_t n = payload.size() / frame_bytes;
    if (n > info_.max_samples) return Status::out_of_range;
    *samples_per_channel = n;
    return Status::ok;
  }
  void reset() noexcept override {
    for (auto& p : plc_)
      p.reset();
  }

 private:
  Status decode_s16(std::span<const std::uint8_t> payload, std::size_t n,
                    std::int16_t* pcm) noexcept override {
    const std::size_t total = n * info_.channels;
    for (std::size_t i = 0; i < total; ++i)
      pcm[i] = load_be16(&payload[2 * i]);
    if (info_.channels == 1) {
      plc_[0].good(std::span(pcm, n));
    } else {
      for_each_channel_block(pcm, n, [](plc::Concealer& p, std::span<float> x) { p.good(x); });
    }
    return Status::ok;
  }
  Status decode_f32(std::span<const std::uint8_t> payload, std::size_t n,
                    float* pcm) noexcept override {
    const std::size_t total = n * info_.channels;
    for (std::size_t i = 0; i < total; ++i)
      pcm[i] = core::s16_to_float(load_be16(&payload[2 * i]));
    if (info_.channels == 1) {
      plc_[0].good(std::span(pcm, n));
    } else {
      for_each_channel_block(pcm, n, [](plc::Concealer& p, std::span<float> x) { p.good(x); });
    }
    return Status::ok;
  }
  Status conceal_s16(std::size_t n, std::int16_t* pcm) noexcept override {
    if (info_.channels == 1) {
      plc_[0].conceal(std::span(pcm, n));
    } else {
      for_each_channel_block(pcm, n, [](plc::Concealer& p, std::span<float> x) { p.conceal(x); });
    }
    return Status::ok;
  }
  Status conceal_f32(std::size_t n, float* pcm) noexcept override {
    if (info_.channels == 1) {
      plc_[0].conceal(std::span(pcm, n));
      return Status::ok;
    }
    for_each_channel_block(pcm, n, [](plc::Concealer& p, std::span<float> x) { p.conceal(x); });
    return Status::ok;
  }

  // Runs op(concealer of channel c, that channel's samples as float) over interleaved pcm in
  // stack-sized blocks, writing the (possibly modified) samples back.
  template <typename Sample, typename Op>
  void for_each_channel_block(Sample* pcm, std::size_t n, Op op) noexcept {
    const auto channels = static_cast<std::size_t>(info_.channels);
    constexpr std::size_t kBlock = kConvertBlock / 2;
    float mono[kBlock];
    for (std::size_t off = 0; off < n; off += kBlock) {
      const std::size_t m = std::min(kBlock, n - off);
      for (std::size_t c = 0; c < channels; ++c) {
        Sample* base = pcm + off * channels + c;
        for (std::size_t i = 0; i < m; ++i) {
          if constexpr (std::is_same_v<Sample, float>) {
            mono[i] = base[i * channels];
          } else {
            mono[i] = core::s16_to_float(base[i * channels]);
          }
        }
        op(plc_[c], std::span(mono, m));
        for (std::size_t i = 0; i < m; ++i) {
          if constexpr (std::is_same_v<Sample, float>) {
            base[i * channels] = mono[i];
          } else {
            base[i * channels] = core::float_to_s16(mono[i]);
          }
        }
      }
    }
  }

  std::vector<plc::Concealer> plc_;
};

int l16_rate(int clock_rate_hz) {
  require(clock_rate_hz == 8000 || clock_rate_hz == 16000 || clock_rate_hz == 48000,
          Status::bad_config, "L16 is carried at 8000, 16000 or 48000 Hz");
  return clock_rate_hz;
}

}  // namespace

std::unique_ptr<Encoder> make_l16_encoder(const EncoderConfig& c) {
  const int rate = l16_rate(c.format.clock_rate_hz);
  check_sample_format_encoder(c, rate, rate, 2);
  return std::make_unique<L16Encoder>(rate, format_channels(c.format), c.ptime_ms);
}
std::unique_ptr<Decoder> make_l16_decoder(const DecoderConfig& c) {
  const int rate = l16_rate(c.format.clock_rate_hz);
  check_sample_format_decoder(c, rate, rate, 2);
  return std::make_unique<L16Decoder>(rate, format_channels(c.format), c.max_packet_ms);
}

}  // namespace ivrmedia::codec::detail
