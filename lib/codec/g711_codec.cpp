// PCMU and PCMA (ITU-T G.711, RFC 3551 static payload types 0 and 8) behind codec::Encoder and
// codec::Decoder. One octet per sample; decoded frames pass through a G.711 Appendix I
// concealer, which conceals lost packets and smooths the return of real audio after a loss.
#include <memory>

#include "codec/codec_formats.hpp"
#include "codec/codec_support.hpp"
#include "ivrmedia/g711.hpp"
#include "ivrmedia/plc.hpp"

namespace ivrmedia::codec::detail {

namespace {

constexpr int kRate = 8000;

Info g711_info(Kind kind, int frame_samples, std::size_t max_samples) {
  Info info;
  info.kind = kind;
  info.name = kind == Kind::pcmu ? "PCMU" : "PCMA";
  info.sample_rate_hz = kRate;
  info.channels = 1;
  info.rtp_clock_hz = kRate;
  info.frame_samples = frame_samples;
  info.max_payload_bytes = static_cast<std::size_t>(frame_samples);
  info.max_samples = max_samples;
  return info;
}

class G711Encoder final : public Encoder {
 public:
  G711Encoder(Kind kind, g711::Law law, int ptime_ms)
      : Encoder(g711_info(kind, kRate / 1000 * ptime_ms, 0)), coder_({.law = law}) {}
  void reset() noexcept override {}

 private:
  Status encode_s16(const std::int16_t* pcm, std::span<std::uint8_t> payload,
                    std::size_t* written) noexcept override {
    const auto n = static_cast<std::size_t>(info_.frame_samples);
    const Status s = coder_.encode(std::span(pcm, n), payload);
    if (s == Status::ok) *written = n;
    return s;
  }
  Status encode_f32(const float* pcm, std::span<std::uint8_t> payload,
                    std::size_t* written) noexcept override {
    const auto n = static_cast<std::size_t>(info_.frame_samples);
    const Status s = coder_.encode(std::span(pcm, n), payload);
    if (s == Status::ok) *written = n;
    return s;
  }
  g711::Coder coder_;
};

class G711Decoder final : public Decoder {
 public:
  G711Decoder(Kind kind, g711::Law law, int max_packet_ms)
      : Decoder(g711_info(kind, 0, static_cast<std::size_t>(kRate / 1000 * max_packet_ms))),
        coder_({.law = law}),
        plc_({.sample_rate_hz = kRate}) {}

  Status samples_in(std::span<const std::uint8_t> payload,
                    std::size_t* samples_per_channel) const noexcept override {
    if (samples_per_channel == nullptr) return Status::null_pointer;
    if (payload.empty()) return Status::malformed;
    if (payload.size() > info_.max_samples) return Status::out_of_range;
    *samples_per_channel = payload.size();
    return Status::ok;
  }
  void reset() noexcept override { plc_.reset(); }

 private:
  Status decode_s16(std::span<const std::uint8_t> payload, std::size_t n,
                    std::int16_t* pcm) noexcept override {
    const std::span out(pcm, n);
    const Status s = coder_.decode(payload, out);
    if (s == Status::ok) plc_.good(out);
    return s;
  }
  Status decode_f32(std::span<const std::uint8_t> payload, std::size_t n,
                    float* pcm) noexcept override {
    const std::span out(pcm, n);
    const Status s = coder_.decode(payload, out);
    if (s == Status::ok) plc_.good(out);
    return s;
  }
  Status conceal_s16(std::size_t n, std::int16_t* pcm) noexcept override {
    plc_.conceal(std::span(pcm, n));
    return Status::ok;
  }
  Status conceal_f32(std::size_t n, float* pcm) noexcept override {
    plc_.conceal(std::span(pcm, n));
    return Status::ok;
  }

  g711::Coder coder_;
  plc::Concealer plc_;
};

}  // namespace

std::unique_ptr<Encoder> make_pcmu_encoder(const EncoderConfig& c) {
  check_sample_format_encoder(c, kRate, kRate, 1);
  return std::make_unique<G711Encoder>(Kind::pcmu, g711::Law::mulaw, c.ptime_ms);
}
std::unique_ptr<Decoder> make_pcmu_decoder(const DecoderConfig& c) {
  check_sample_format_decoder(c, kRate, kRate, 1);
  return std::make_unique<G711Decoder>(Kind::pcmu, g711::Law::mulaw, c.max_packet_ms);
}
std::unique_ptr<Encoder> make_pcma_encoder(const EncoderConfig& c) {
  check_sample_format_encoder(c, kRate, kRate, 1);
  return std::make_unique<G711Encoder>(Kind::pcma, g711::Law::alaw, c.ptime_ms);
}
std::unique_ptr<Decoder> make_pcma_decoder(const DecoderConfig& c) {
  check_sample_format_decoder(c, kRate, kRate, 1);
  return std::make_unique<G711Decoder>(Kind::pcma, g711::Law::alaw, c.max_packet_ms);
}

}  // namespace ivrmedia::codec::detail
