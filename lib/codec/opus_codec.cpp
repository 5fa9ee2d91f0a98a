// opus (RFC 7587) behind codec::Encoder and codec::Decoder, on libopus. A thin layer: argument
// checks the base class already did, the 48 kHz RTP clock, and libopus' own concealment and
// in-band FEC. libopus allocates its state at creation only; opus_encode/opus_decode do not
// allocate.
#include <opus/opus.h>

#include <memory>

#include "codec/codec_formats.hpp"
#include "codec/codec_support.hpp"

namespace ivrmedia::codec::detail {
namespace {

constexpr int kClock = 48000;  // RFC 7587 section 4.1: always 48000, whatever the audio rate

bool opus_rate(int hz) noexcept {
  return hz == 8000 || hz == 12000 || hz == 16000 || hz == 24000 || hz == 48000;
}

Info opus_info(int rate, int channels, int frame_samples, std::size_t max_payload,
               std::size_t max_samples) {
  Info info;
  info.kind = Kind::opus;
  info.name = "opus";
  info.sample_rate_hz = rate;
  info.channels = channels;
  info.rtp_clock_hz = kClock;
  info.frame_samples = frame_samples;
  info.max_payload_bytes = max_payload;
  info.max_samples = max_samples;
  return info;
}

struct EncoderDeleter {
  void operator()(OpusEncoder* e) const noexcept { opus_encoder_destroy(e); }
};
struct DecoderDeleter {
  void operator()(OpusDecoder* d) const noexcept { opus_decoder_destroy(d); }
};

int opus_bandwidth(OpusSettings::Bandwidth b) {
  switch (b) {
    case OpusSettings::Bandwidth::narrowband:
      return OPUS_BANDWIDTH_NARROWBAND;
    case OpusSettings::Bandwidth::mediumband:
      return OPUS_BANDWIDTH_MEDIUMBAND;
    case OpusSettings::Bandwidth::wideband:
      return OPUS_BANDWIDTH_WIDEBAND;
    case OpusSettings::Bandwidth::superwideband:
      return OPUS_BANDWIDTH_SUPERWIDEBAND;
    case OpusSettings::Bandwidth::fullband:
      return OPUS_BANDWIDTH_FULLBAND;
  }
  throw Error(Status::bad_config, "unknown opus bandwidth");
}

void check_settings(const OpusSettings& s) {
  require(s.bitrate_bps >= 6000 && s.bitrate_bps <= 510000, Status::bad_config,
          "opus bitrate must be 6000..510000 bit/s");
  require(s.complexity >= 0 && s.complexity <= 10, Status::bad_config,
          "opus complexity must be 0..10");
  require(s.expected_loss_percent >= 0 && s.expected_loss_percent <= 100, Status::bad_config,
          "opus expected loss must be 0..100 %");
  require(s.application == OpusSettings::Application::voip ||
              s.application == OpusSettings::Application::audio,
          Status::bad_config, "unknown opus application");
}

class OpusEncoderAdapter final : public Encoder {
 public:
  OpusEncoderAdapter(const Info& info, const OpusSettings& s) : Encoder(info) {
    int err = OPUS_OK;
    const int app = s.application == OpusSettings::Application::voip ? OPUS_APPLICATION_VOIP
                                                                     : OPUS_APPLICATION_AUDIO;
    enc_.reset(opus_encoder_create(info.sample_rate_hz, info.channels, app, &err));
    require(err == OPUS_OK && enc_ != nullptr, Status::no_memory, "opus_encoder_create failed");
    const bool ok =
        opus_encoder_ctl(enc_.get(), OPUS_SET_BITRATE(s.bitrate_bps)) == OPUS_OK &&
        opus_encoder_ctl(enc_.get(), OPUS_SET_COMPLEXITY(s.complexity)) == OPUS_OK &&
        opus_encoder_ctl(enc_.get(), OPUS_SET_VBR(s.vbr ? 1 : 0)) == OPUS_OK &&
        opus_encoder_ctl(enc_.get(), OPUS_SET_INBAND_FEC(s.inband_fec ? 1 : 0)) == OPUS_OK &&
        opus_encoder_ctl(enc_.get(), OPUS_SET_PACKET_LOSS_PERC(s.expected_loss_percent)) ==
            OPUS_OK &&
        opus_encoder_ctl(enc_.get(), OPUS_SET_DTX(s.dtx ? 1 : 0)) == OPUS_OK &&
        opus_encoder_ctl(enc_.get(), OPUS_SET_MAX_BANDWIDTH(opus_bandwidth(s.max_bandwidth))) ==
            OPUS_OK;
    require(ok, Status::bad_config, "libopus rejected an encoder setting");
  }
  void reset() noexcept override { (void)opus_encoder_ctl(enc_.get(), OPUS_RESET_STATE); }
  [[nodiscard]] OpusEncoder* native() const noexcept { return enc_.get(); }

 private:
  Status finish(opus_int32 bytes, std::size_t* written) const noexcept {
    if (bytes < 0) return Status::internal;  // cannot happen with checked sizes
    *written = static_cast<std::size_t>(bytes);
    return Status::ok;
  }
  Status encode_s16(const std::int16_t* pcm, std::span<std::uint8_t> payload,
                    std::size_t* written) noexcept override {
    return finish(opus_encode(enc_.get(), pcm, info_.frame_samples, payload.data(),
                              static_cast<opus_int32>(info_.max_payload_bytes)),
                  written);
  }
  Status encode_f32(const float* pcm, std::span<std::uint8_t> payload,
                    std::size_t* written) noexcept override {
    return finish(opus_encode_float(enc_.get(), pcm, info_.frame_samples, payload.data(),
                                    static_cast<opus_int32>(info_.max_payload_bytes)),
                  written);
  }
  std::unique_ptr<OpusEncoder, EncoderDeleter> enc_;
};

class OpusDecoderAdapter final : public Decoder {
 public:
  explicit OpusDecoderAdapter(const Info& info) : Decoder(info) {
    int err = OPUS_OK;
    dec_.reset(opus_decoder_create(info.sample_rate_hz, info.channels, &err));
    require(err == OPUS_OK && dec_ != nullptr, Status::no_memory, "opus_decoder_create failed");
  }

  Status samples_in(std::span<const std::uint8_t> payload,
                    std::size_t* samples_per_channel) const noexcept override {
    if (samples_per_channel == nullptr) return Status::null_pointer;
    if (!well_formed(payload)) return Status::malformed;
    const int n = opus_packet_get_nb_samples(
        payload.data(), static_cast<opus_int32>(payload.size()), info_.sample_rate_hz);
    if (n <= 0) return Status::malformed;
    if (static_cast<std::size_t>(n) > info_.max_samples) return Status::out_of_range;
    *samples_per_channel = static_cast<std::size_t>(n);
    return Status::ok;
  }
  [[nodiscard]] bool has_fec() const noexcept override { return true; }
  void reset() noexcept override { (void)opus_decoder_ctl(dec_.get(), OPUS_RESET_STATE); }

 private:
  // RFC 6716 section 3: the TOC byte, frame count and frame lengths must be consistent. After
  // this check libopus decodes whatever bits the frames hold without failing.
  static bool well_formed(std::span<const std::uint8_t> payload) noexcept {
    if (payload.empty() || payload.size() > 0x7FFFFFFF) return false;
    unsigned char toc = 0;
    const unsigned char* frames[48];
    opus_int16 sizes[48];
    return opus_packet_parse(payload.data(), static_cast<opus_int32>(payload.size()), &toc, frames,
                             sizes, nullptr) > 0;
  }
  static Status result(int decoded, std::size_t expected) noexcept {
    if (decoded < 0) return Status::malformed;
    return static_cast<std::size_t>(decoded) == expected ? Status::ok : Status::internal;
  }
  Status decode_s16(std::span<const std::uint8_t> payload, std::size_t n,
                    std::int16_t* pcm) noexcept override {
    return result(opus_decode(dec_.get(), payload.data(), static_cast<opus_int32>(payload.size()),
                              pcm, static_cast<int>(n), 0),
                  n);
  }
  Status decode_f32(std::span<const std::uint8_t> payload, std::size_t n,
                    float* pcm) noexcept override {
    return result(
        opus_decode_float(dec_.get(), payload.data(), static_cast<opus_int32>(payload.size()), pcm,
                          static_cast<int>(n), 0),
        n);
  }
  Status conceal_s16(std::size_t n, std::int16_t* pcm) noexcept override {
    return result(opus_decode(dec_.get(), nullptr, 0, pcm, static_cast<int>(n), 0), n);
  }
  Status conceal_f32(std::size_t n, float* pcm) noexcept override {
    return result(opus_decode_float(dec_.get(), nullptr, 0, pcm, static_cast<int>(n), 0), n);
  }
  // libopus recovers the last frame's worth from the LBRR data of `next` and conceals the rest
  // of a longer gap before it; a `next` without LBRR data gives plain concealment.
  Status fec_s16(std::span<const std::uint8_t> next, std::size_t n,
                 std::int16_t* pcm) noexcept override {
    if (!well_formed(next)) return conceal_s16(n, pcm);
    return result(opus_decode(dec_.get(), next.data(), static_cast<opus_int32>(next.size()), pcm,
                              static_cast<int>(n), 1),
                  n);
  }
  Status fec_f32(std::span<const std::uint8_t> next, std::size_t n, float* pcm) noexcept override {
    if (!well_formed(next)) return conceal_f32(n, pcm);
    return result(opus_decode_float(dec_.get(), next.data(), static_cast<opus_int32>(next.size()),
                                    pcm, static_cast<int>(n), 1),
                  n);
  }
  std::unique_ptr<OpusDecoder, DecoderDeleter> dec_;
};

void check_common(const Format& f, int rate, int channels) {
  require(f.clock_rate_hz == kClock, Status::bad_config,
          "opus always uses a 48000 Hz RTP clock (RFC 7587)");
  require(f.channels >= 0 && f.channels <= 2, Status::bad_config,
          "opus rtpmap channels must be 2 (or 1, or omitted)");
  require(opus_rate(rate), Status::bad_config,
          "opus PCM rate must be 8000, 12000, 16000, 24000 or 48000 Hz");
  require(channels == 1 || channels == 2, Status::bad_config, "opus PCM must be mono or stereo");
}

}  // namespace

std::unique_ptr<Encoder> make_opus_encoder(const EncoderConfig& c) {
  const int rate = c.sample_rate_hz == 0 ? kClock : c.sample_rate_hz;
  const int channels = c.channels == 0 ? 1 : c.channels;
  check_common(c.format, rate, channels);
  require(c.ptime_ms == 10 || c.ptime_ms == 20 || c.ptime_ms == 40 || c.ptime_ms == 60,
          Status::bad_config, "opus ptime must be 10, 20, 40 or 60 ms");
  check_settings(c.opus);
  // Largest packet libopus can produce: 1275 bytes per 20 ms frame plus framing (RFC 6716 3.2).
  const std::size_t max_payload = 1275 * static_cast<std::size_t>((c.ptime_ms + 19) / 20) + 7;
  return std::make_unique<OpusEncoderAdapter>(
      opus_info(rate, channels, rate / 1000 * c.ptime_ms, max_payload, 0), c.opus);
}

std::unique_ptr<Decoder> make_opus_decoder(const DecoderConfig& c) {
  const int rate = c.sample_rate_hz == 0 ? kClock : c.sample_rate_hz;
  const int channels = c.channels == 0 ? 1 : c.channels;
  check_common(c.format, rate, channels);
  require(c.max_packet_ms >= 10 && c.max_packet_ms <= 120, Status::bad_config,
          "max_packet_ms must be 10..120");
  return std::make_unique<OpusDecoderAdapter>(
      opus_info(rate, channels, 0, 0, static_cast<std::size_t>(rate / 1000 * c.max_packet_ms)));
}

}  // namespace ivrmedia::codec::detail
