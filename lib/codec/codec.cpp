// codec::Encoder / codec::Decoder: the argument checks every format shares, so each adapter
// only implements its coder; and the Registry of payload names.
#include "ivrmedia/codec.hpp"

#include <cctype>
#include <utility>

#include "codec/codec_formats.hpp"
#include "codec/codec_support.hpp"

namespace ivrmedia::codec {

namespace detail {
bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}
}  // namespace detail

Encoder::~Encoder() = default;
Decoder::~Decoder() = default;

namespace {
Status check_encode(const Info& info, std::size_t pcm_size, std::size_t payload_size,
                    const void* written) noexcept {
  if (written == nullptr) return Status::null_pointer;
  if (pcm_size != static_cast<std::size_t>(info.frame_samples) * info.channels)
    return Status::invalid_argument;
  if (payload_size < info.max_payload_bytes) return Status::buffer_too_small;
  return Status::ok;
}
}  // namespace

Status Encoder::encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> payload,
                       std::size_t* written) noexcept {
  if (const Status s = check_encode(info_, pcm.size(), payload.size(), written); s != Status::ok)
    return s;
  return encode_s16(pcm.data(), payload, written);
}

Status Encoder::encode(std::span<const float> pcm, std::span<std::uint8_t> payload,
                       std::size_t* written) noexcept {
  if (const Status s = check_encode(info_, pcm.size(), payload.size(), written); s != Status::ok)
    return s;
  return encode_f32(pcm.data(), payload, written);
}

namespace {
template <typename Sample, typename Decode>
Status checked_decode(const Decoder& d, std::span<const std::uint8_t> payload,
                      std::span<Sample> pcm, std::size_t* samples_per_channel,
                      Decode&& decode) noexcept {
  if (samples_per_channel == nullptr) return Status::null_pointer;
  std::size_t n = 0;
  if (const Status s = d.samples_in(payload, &n); s != Status::ok) return s;
  if (pcm.size() < n * static_cast<std::size_t>(d.info().channels)) return Status::buffer_too_small;
  if (const Status s = decode(n, pcm.data()); s != Status::ok) return s;
  *samples_per_channel = n;
  return Status::ok;
}
}  // namespace

Status Decoder::decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> pcm,
                       std::size_t* samples_per_channel) noexcept {
  return checked_decode(
      *this, payload, pcm, samples_per_channel,
      [&](std::size_t n, std::int16_t* out) noexcept { return decode_s16(payload, n, out); });
}

Status Decoder::decode(std::span<const std::uint8_t> payload, std::span<float> pcm,
                       std::size_t* samples_per_channel) noexcept {
  return checked_decode(
      *this, payload, pcm, samples_per_channel,
      [&](std::size_t n, float* out) noexcept { return decode_f32(payload, n, out); });
}

Status Decoder::decode_measured(std::span<const std::uint8_t> payload,
                                std::size_t samples_per_channel, std::span<float> pcm) noexcept {
  // The size checks decode_f32 relies on stay (they are cheap); samples_in's do not.
  if (samples_per_channel == 0 || samples_per_channel > info_.max_samples)
    return Status::out_of_range;
  if (pcm.size() < samples_per_channel * static_cast<std::size_t>(info_.channels))
    return Status::buffer_too_small;
  return decode_f32(payload, samples_per_channel, pcm.data());
}

Status Decoder::check_conceal_size(std::size_t size, std::size_t* samples) const noexcept {
  const auto channels = static_cast<std::size_t>(info_.channels);
  if (size % channels != 0) return Status::invalid_argument;
  const std::size_t n = size / channels;
  if (n > info_.max_samples) return Status::out_of_range;
  if (info_.kind == Kind::opus && n % static_cast<std::size_t>(info_.sample_rate_hz / 400) != 0)
    return Status::invalid_argument;  // libopus conceals in steps of 2.5 ms
  if (info_.kind == Kind::g722 && n % 2 != 0)
    return Status::invalid_argument;  // one G.722 octet holds a pair of samples
  *samples = n;
  return Status::ok;
}

Status Decoder::conceal(std::span<std::int16_t> pcm) noexcept {
  std::size_t n = 0;
  if (const Status s = check_conceal_size(pcm.size(), &n); s != Status::ok) return s;
  return n == 0 ? Status::ok : conceal_s16(n, pcm.data());
}

Status Decoder::conceal(std::span<float> pcm) noexcept {
  std::size_t n = 0;
  if (const Status s = check_conceal_size(pcm.size(), &n); s != Status::ok) return s;
  return n == 0 ? Status::ok : conceal_f32(n, pcm.data());
}

Status Decoder::decode_fec(std::span<const std::uint8_t> next_payload,
                           std::span<std::int16_t> pcm) noexcept {
  std::size_t n = 0;
  if (const Status s = check_conceal_size(pcm.size(), &n); s != Status::ok) return s;
  return n == 0 ? Status::ok : fec_s16(next_payload, n, pcm.data());
}

Status Decoder::decode_fec(std::span<const std::uint8_t> next_payload,
                           std::span<float> pcm) noexcept {
  std::size_t n = 0;
  if (const Status s = check_conceal_size(pcm.size(), &n); s != Status::ok) return s;
  return n == 0 ? Status::ok : fec_f32(next_payload, n, pcm.data());
}

Status Decoder::fec_s16(std::span<const std::uint8_t>, std::size_t samples,
                        std::int16_t* pcm) noexcept {
  return conceal_s16(samples, pcm);
}
Status Decoder::fec_f32(std::span<const std::uint8_t>, std::size_t samples, float* pcm) noexcept {
  return conceal_f32(samples, pcm);
}

namespace detail {

int format_channels(const Format& format) noexcept {
  return format.channels == 0 ? 1 : format.channels;
}

namespace {
void check_sample_format(const Format& f, int sample_rate_hz, int channels, int audio_rate_hz,
                         int rtp_clock_hz, int max_channels) {
  require(f.clock_rate_hz == rtp_clock_hz, Status::bad_config,
          "clock rate does not match the payload format (G722 and G.711 use 8000)");
  require(sample_rate_hz == 0 || sample_rate_hz == audio_rate_hz, Status::bad_config,
          "this payload format has a fixed sample rate (resample before encoding)");
  const int fc = format_channels(f);
  require(fc >= 1 && fc <= max_channels, Status::bad_config,
          "channel count not supported by this payload format");
  require(channels == 0 || channels == fc, Status::bad_config,
          "PCM channels must match the payload format's");
}
}  // namespace

void check_sample_format_encoder(const EncoderConfig& c, int audio_rate_hz, int rtp_clock_hz,
                                 int max_channels) {
  check_sample_format(c.format, c.sample_rate_hz, c.channels, audio_rate_hz, rtp_clock_hz,
                      max_channels);
  require(c.ptime_ms >= 10 && c.ptime_ms <= 60, Status::bad_config, "ptime must be 10..60 ms");
}

void check_sample_format_decoder(const DecoderConfig& c, int audio_rate_hz, int rtp_clock_hz,
                                 int max_channels) {
  check_sample_format(c.format, c.sample_rate_hz, c.channels, audio_rate_hz, rtp_clock_hz,
                      max_channels);
  require(c.max_packet_ms >= 10 && c.max_packet_ms <= 120, Status::bad_config,
          "max_packet_ms must be 10..120");
}

}  // namespace detail

// ---- Registry ------------------------------------------------------------------------------

const Registry& Registry::standard() {
  static const Registry registry = [] {
    Registry r;
    r.add({"PCMU", 8000, &detail::make_pcmu_encoder, &detail::make_pcmu_decoder});
    r.add({"PCMA", 8000, &detail::make_pcma_encoder, &detail::make_pcma_decoder});
    r.add({"L16", 0, &detail::make_l16_encoder, &detail::make_l16_decoder});
    r.add({"G722", 8000, &detail::make_g722_encoder, &detail::make_g722_decoder});
    r.add({"opus", 48000, &detail::make_opus_encoder, &detail::make_opus_decoder});
    return r;
  }();
  return registry;
}

void Registry::add(Entry entry) {
  for (Entry& e : entries_) {
    if (detail::iequals(e.name, entry.name)) {
      e = std::move(entry);
      return;
    }
  }
  entries_.push_back(std::move(entry));
}

const Registry::Entry* Registry::find(std::string_view name) const noexcept {
  for (const Entry& e : entries_) {
    if (detail::iequals(e.name, name)) return &e;
  }
  return nullptr;
}

bool Registry::static_format(int payload_type, Format* format) {
  // RFC 3551 Table 4, the entries we carry (10 and 11 are L16 at 44100 Hz: not carried).
  const char* name = payload_type == 0   ? "PCMU"
                     : payload_type == 8 ? "PCMA"
                     : payload_type == 9 ? "G722"
                                         : nullptr;
  if (name == nullptr || format == nullptr) return false;
  *format = Format{name, 8000, 1};
  return true;
}

namespace {
// The format with the entry's default clock filled in, or an exception naming what is wrong.
template <typename Config>
const Registry::Entry& entry_for(const Registry& r, Config& config) {
  const Registry::Entry* e = r.find(config.format.name);
  if (e == nullptr) {
    throw Error(Status::unsupported,
                ("unknown RTP payload name \"" + config.format.name +
                 "\" (known: PCMU, PCMA, L16, G722, opus and any added to the registry)")
                    .c_str());
  }
  if (config.format.clock_rate_hz == 0) config.format.clock_rate_hz = e->default_clock_rate_hz;
  detail::require(config.format.clock_rate_hz > 0, Status::bad_config,
                  "this payload format needs a clock rate (rtpmap <name>/<rate>)");
  return *e;
}
}  // namespace

std::unique_ptr<Encoder> Registry::make_encoder(const EncoderConfig& config) const {
  EncoderConfig c = config;
  const Entry& e = entry_for(*this, c);
  detail::require(e.make_encoder != nullptr, Status::unsupported,
                  "this payload format has no encoder");
  return e.make_encoder(c);
}

std::unique_ptr<Decoder> Registry::make_decoder(const DecoderConfig& config) const {
  DecoderConfig c = config;
  const Entry& e = entry_for(*this, c);
  detail::require(e.make_decoder != nullptr, Status::unsupported,
                  "this payload format has no decoder");
  return e.make_decoder(c);
}

std::unique_ptr<Encoder> make_encoder(const EncoderConfig& config) {
  return Registry::standard().make_encoder(config);
}
std::unique_ptr<Decoder> make_decoder(const DecoderConfig& config) {
  return Registry::standard().make_decoder(config);
}

}  // namespace ivrmedia::codec
