// G722 (ITU-T G.722 at 64 kbit/s, RFC 3551 static payload type 9) behind codec::Encoder and
// codec::Decoder. The audio is 16000 Hz but the RTP clock runs at 8000 Hz (RFC 3551 section
// 4.5.2 keeps the clock of the first, erroneous, registration); Info::rtp_clock_hz carries that
// so hosts convert timestamps with codec::rtp_units instead of assuming clock == rate.
#include <memory>

#include "codec/codec_formats.hpp"
#include "codec/codec_support.hpp"
#include "ivrmedia/g722.hpp"

namespace ivrmedia::codec::detail {
namespace {

constexpr int kRate = 16000;
constexpr int kClock = 8000;

Info g722_info(int frame_samples, std::size_t max_samples) {
  Info info;
  info.kind = Kind::g722;
  info.name = "G722";
  info.sample_rate_hz = kRate;
  info.channels = 1;
  info.rtp_clock_hz = kClock;
  info.frame_samples = frame_samples;
  info.max_payload_bytes = static_cast<std::size_t>(frame_samples) / 2;  // one octet per pair
  info.max_samples = max_samples;
  return info;
}

class G722Encoder final : public Encoder {
 public:
  explicit G722Encoder(int ptime_ms) : Encoder(g722_info(kRate / 1000 * ptime_ms, 0)) {}
  void reset() noexcept override { coder_.reset(); }

 private:
  Status encode_s16(const std::int16_t* pcm, std::span<std::uint8_t> payload,
                    std::size_t* written) noexcept override {
    const auto n = static_cast<std::size_t>(info_.frame_samples);
    const Status s = coder_.encode(std::span(pcm, n), payload);
    if (s == Status::ok) *written = n / 2;
    return s;
  }
  Status encode_f32(const float* pcm, std::span<std::uint8_t> payload,
                    std::size_t* written) noexcept override {
    // Frames are at most 60 ms (960 samples): one stack block.
    const auto n = static_cast<std::size_t>(info_.frame_samples);
    static_assert(kConvertBlock >= kRate / 1000 * 60);
    std::int16_t block[kConvertBlock];
    to_s16(pcm, block, n);
    return encode_s16(block, payload, written);
  }
  g722::Encoder coder_;
};

class G722Decoder final : public Decoder {
 public:
  explicit G722Decoder(int max_packet_ms)
      : Decoder(g722_info(0, static_cast<std::size_t>(kRate / 1000 * max_packet_ms))) {}

  Status samples_in(std::span<const std::uint8_t> payload,
                    std::size_t* samples_per_channel) const noexcept override {
    if (samples_per_channel == nullptr) return Status::null_pointer;
    if (payload.empty()) return Status::malformed;
    if (2 * payload.size() > info_.max_samples) return Status::out_of_range;
    *samples_per_channel = 2 * payload.size();
    return Status::ok;
  }
  void reset() noexcept override { coder_.reset(); }

 private:
  Status decode_s16(std::span<const std::uint8_t> payload, std::size_t n,
                    std::int16_t* pcm) noexcept override {
    return coder_.decode(payload, std::span(pcm, n));
  }
  Status decode_f32(std::span<const std::uint8_t> payload, std::size_t n,
                    float* pcm) noexcept override {
    return produce_as_float(n, pcm, [&](std::int16_t* block, std::size_t off, std::size_t m) {
      return coder_.decode(payload.subspan(off / 2, m / 2), std::span(block, m));
    });
  }
  Status conceal_s16(std::size_t n, std::int16_t* pcm) noexcept override {
    return coder_.conceal(std::span(pcm, n));
  }
  Status conceal_f32(std::size_t n, float* pcm) noexcept override {
    return produce_as_float(n, pcm, [&](std::int16_t* block, std::size_t, std::size_t m) {
      return coder_.conceal(std::span(block, m));
    });
  }
  g722::Decoder coder_;
};

}  // namespace

std::unique_ptr<Encoder> make_g722_encoder(const EncoderConfig& c) {
  check_sample_format_encoder(c, kRate, kClock, 1);
  return std::make_unique<G722Encoder>(c.ptime_ms);
}
std::unique_ptr<Decoder> make_g722_decoder(const DecoderConfig& c) {
  check_sample_format_decoder(c, kRate, kClock, 1);
  return std::make_unique<G722Decoder>(c.max_packet_ms);
}

}  // namespace ivrmedia::codec::detail
