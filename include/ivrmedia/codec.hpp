// ivrmedia C++ API: one Encoder/Decoder interface over every RTP payload format ivrmedia speaks,
// created by payload name (SDP rtpmap) or static payload number through a Registry.
//
//   PCMU, PCMA  ITU-T G.711, 8000 Hz, RFC 3551 static payload types 0 and 8. Loss concealment:
//               G.711 Appendix I (plc::Concealer).
//   L16         16-bit linear PCM in network byte order (RFC 3551 section 4.5.11) at 8000, 16000 or
//               48000 Hz, mono or stereo (static types 10 and 11 are 44100 Hz, which we do not
//               carry: they are rejected with a clear error). Concealment: plc::Concealer.
//   G722        ITU-T G.722 64 kbit/s, static type 9. Audio is 16000 Hz but, by RFC 3551's quirk,
//               the RTP clock runs at 8000 Hz: Info::rtp_clock_hz says so.
//   opus        RFC 7587 via libopus: the RTP clock is always 48000 Hz (and the rtpmap always says
//               "opus/48000/2") whatever rate the PCM side runs at (8, 12, 16, 24 or 48 kHz); mono
//               and stereo packets decode to the channel count the decoder was made for.
//               Concealment: libopus' PLC, and in-band FEC recovered from the next packet.
//
// Lifecycle: everything is sized at creation (which may allocate and throws ivrmedia::Error for
// an impossible config, e.g. Status::unsupported for an unknown payload name); afterwards every
// call is noexcept, allocation- and lock-free, returns a Status and leaves its outputs untouched
// on error. Objects are per stream and share no mutable state. PCM is interleaved; counts named
// `samples_per_channel` count one sample of every channel as one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ivrmedia/core.hpp"

namespace ivrmedia::codec {

enum class Kind : std::int32_t { pcmu = 0, pcma = 1, l16 = 2, g722 = 3, opus = 4 };

// An RTP payload format as SDP's a=rtpmap line names it: "<name>/<clock_rate_hz>[/<channels>]".
struct Format {
  std::string name;       // encoding name, matched case-insensitively ("PCMU", "opus", ...)
  int clock_rate_hz = 0;  // 0: the format's usual clock (8000; 48000 for opus); L16 needs it
  int channels = 0;       // 0: 1 (opus: SDP always says 2; see Params::channels)
};

// Opus encoder settings (RFC 7587, libopus CTLs). The defaults suit a voice leg of an IVR on a
// mobile or WebRTC network: VoIP application, 24 kbit/s VBR (wideband speech is transparent
// there), complexity 5 (about half libopus' default cost, a small quality loss at this rate,
// chosen because one core carries many calls), in-band FEC on for an expected 5 % loss (mobile
// data legs lose packets; the redundancy costs a little bitrate when the loss is real), no
// DTX (an IVR listens for callers and needs continuous audio timing), bandwidth up to fullband.
struct OpusSettings {
  enum class Application : std::int32_t { voip = 0, audio = 1 };
  // Highest audio bandwidth the encoder may use (libopus OPUS_SET_MAX_BANDWIDTH).
  enum class Bandwidth : std::int32_t {
    narrowband = 0,     // 4 kHz
    mediumband = 1,     // 6 kHz
    wideband = 2,       // 8 kHz
    superwideband = 3,  // 12 kHz
    fullband = 4        // 20 kHz
  };
  int bitrate_bps = 24000;        // 6000..510000
  int complexity = 5;             // 0..10
  bool vbr = true;                // false: constant bitrate
  bool inband_fec = true;         // LBRR redundancy the decoder recovers with decode_fec
  int expected_loss_percent = 5;  // 0..100, tunes how much FEC the encoder spends
  bool dtx = false;               // discontinuous transmission: 1-2 byte payloads in silence
  Application application = Application::voip;
  Bandwidth max_bandwidth = Bandwidth::fullband;
};

// What an encoder needs: the payload format, the PCM side and the packet duration.
struct EncoderConfig {
  Format format;
  int sample_rate_hz = 0;  // PCM rate; 0: the format's audio rate (opus: 48000; else fixed)
  int channels = 0;        // PCM channels; 0: the format's (opus: 1, see below)
  int ptime_ms = 20;       // 10..60 (opus: 10, 20, 40 or 60)
  OpusSettings opus;       // read by opus only
};

// What a decoder needs. Opus may decode at any of 8/12/16/24/48 kHz and to mono or stereo
// whatever the sender sent; the other formats decode at their own rate and channel count.
struct DecoderConfig {
  Format format;
  int sample_rate_hz = 0;   // 0: the format's audio rate (opus: 48000)
  int channels = 0;         // 0: the format's (opus: 1)
  int max_packet_ms = 120;  // longest payload accepted (opus: at most 120 ms)
};

// Facts about a coder, fixed at creation.
struct Info {
  Kind kind = Kind::pcmu;
  const char* name = "";   // canonical encoding name ("PCMU", "PCMA", "L16", "G722", "opus")
  int sample_rate_hz = 0;  // PCM side
  int channels = 0;        // PCM side
  int rtp_clock_hz = 0;    // RTP timestamp units per second (8000 for G722, 48000 for opus)
  int frame_samples = 0;   // encoder: samples per channel per packet; decoder: 0
  std::size_t max_payload_bytes = 0;  // encoder: largest payload one frame can produce
  std::size_t max_samples = 0;        // decoder: largest samples per channel one payload gives
};

// RTP timestamp units spanned by `samples_per_channel` PCM samples of a coder.
[[nodiscard]] constexpr std::int64_t rtp_units(const Info& info,
                                               std::int64_t samples_per_channel) noexcept {
  return samples_per_channel * info.rtp_clock_hz / info.sample_rate_hz;
}

// PCM -> one RTP payload per call.
class IVRM_API Encoder {
 public:
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;
  virtual ~Encoder();

  [[nodiscard]] const Info& info() const noexcept { return info_; }

  // Encodes exactly one frame: pcm.size() must be info().frame_samples * info().channels
  // (Status::invalid_argument otherwise); payload must hold info().max_payload_bytes
  // (Status::buffer_too_small otherwise). *written gets the payload size. Opus with DTX may
  // write 1-2 bytes for silence: a host need not send those.
  [[nodiscard]] Status encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> payload,
                              std::size_t* written) noexcept;
  [[nodiscard]] Status encode(std::span<const float> pcm, std::span<std::uint8_t> payload,
                              std::size_t* written) noexcept;
  // Stream state back to creation (settings kept).
  virtual void reset() noexcept = 0;

 protected:
  explicit Encoder(const Info& info) : info_(info) {}
  // pcm and payload sizes are checked by the caller.
  virtual Status encode_s16(const std::int16_t* pcm, std::span<std::uint8_t> payload,
                            std::size_t* written) noexcept = 0;
  virtual Status encode_f32(const float* pcm, std::span<std::uint8_t> payload,
                            std::size_t* written) noexcept = 0;
  Info info_;
};

// One RTP payload -> PCM, with concealment for payloads that never came.
class IVRM_API Decoder {
 public:
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;
  virtual ~Decoder();

  [[nodiscard]] const Info& info() const noexcept { return info_; }

  // Samples per channel `payload` decodes to, without decoding it (the jitter buffer's packet
  // duration). Status::malformed for a payload this format cannot hold (odd L16 byte count,
  // invalid opus TOC), Status::out_of_range beyond info().max_samples.
  [[nodiscard]] virtual Status samples_in(std::span<const std::uint8_t> payload,
                                          std::size_t* samples_per_channel) const noexcept = 0;

  // Decodes one payload into pcm (which must hold samples_in(payload) * channels samples;
  // Status::buffer_too_small otherwise, nothing consumed). *samples_per_channel gets the count.
  // A malformed payload gives Status::malformed and no output; the host conceals instead.
  [[nodiscard]] Status decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> pcm,
                              std::size_t* samples_per_channel) noexcept;
  [[nodiscard]] Status decode(std::span<const std::uint8_t> payload, std::span<float> pcm,
                              std::size_t* samples_per_channel) noexcept;
  // decode() for a payload the caller has already measured with samples_in() (a jitter buffer
  // measures every packet when it arrives): the payload is not measured again. samples_per_channel
  // must be what samples_in(payload) gave; pcm must hold samples_per_channel * channels samples
  // (Status::buffer_too_small otherwise, nothing consumed). Fills pcm like decode().
  [[nodiscard]] Status decode_measured(std::span<const std::uint8_t> payload,
                                       std::size_t samples_per_channel,
                                       std::span<float> pcm) noexcept;

  // Conceals pcm.size() / channels samples per channel of lost audio, continuing the stream
  // (pcm.size() must be a multiple of channels, and at most info().max_samples per channel;
  // opus also needs a multiple of 2.5 ms).
  [[nodiscard]] Status conceal(std::span<std::int16_t> pcm) noexcept;
  [[nodiscard]] Status conceal(std::span<float> pcm) noexcept;

  // Recovers the payload lost just before `next_payload` from the redundancy `next_payload`
  // carries (opus in-band FEC), filling pcm like conceal(); formats without FEC, and opus
  // packets without it, conceal instead (the result is still the right length). The host
  // decodes next_payload itself afterwards.
  [[nodiscard]] Status decode_fec(std::span<const std::uint8_t> next_payload,
                                  std::span<std::int16_t> pcm) noexcept;
  [[nodiscard]] Status decode_fec(std::span<const std::uint8_t> next_payload,
                                  std::span<float> pcm) noexcept;
  [[nodiscard]] virtual bool has_fec() const noexcept { return false; }

  virtual void reset() noexcept = 0;

 protected:
  explicit Decoder(const Info& info) : info_(info) {}
  // Arguments checked by the caller: pcm holds samples*channels; samples <= max_samples.
  virtual Status decode_s16(std::span<const std::uint8_t> payload, std::size_t samples,
                            std::int16_t* pcm) noexcept = 0;
  virtual Status decode_f32(std::span<const std::uint8_t> payload, std::size_t samples,
                            float* pcm) noexcept = 0;
  virtual Status conceal_s16(std::size_t samples, std::int16_t* pcm) noexcept = 0;
  virtual Status conceal_f32(std::size_t samples, float* pcm) noexcept = 0;
  // Default: conceal.
  virtual Status fec_s16(std::span<const std::uint8_t> next, std::size_t samples,
                         std::int16_t* pcm) noexcept;
  virtual Status fec_f32(std::span<const std::uint8_t> next, std::size_t samples,
                         float* pcm) noexcept;
  Status check_conceal_size(std::size_t size, std::size_t* samples) const noexcept;
  Info info_;
};

using EncoderFactory = std::unique_ptr<Encoder> (*)(const EncoderConfig&);
using DecoderFactory = std::unique_ptr<Decoder> (*)(const DecoderConfig&);

// Payload names -> factories, plus RFC 3551's static payload numbers. `standard()` holds
// ivrmedia's formats; a host may copy it and add its own (a registry is a plain value: build it
// at start-up, then only read it).
class IVRM_API Registry {
 public:
  struct Entry {
    std::string name;                  // matched case-insensitively
    int default_clock_rate_hz = 8000;  // when Format::clock_rate_hz is 0
    EncoderFactory make_encoder = nullptr;
    DecoderFactory make_decoder = nullptr;
  };

  // PCMU, PCMA, L16, G722 and opus.
  static const Registry& standard();

  // Adds or replaces (same name) an entry.
  void add(Entry entry);
  // The entry for a name, or nullptr.
  [[nodiscard]] const Entry* find(std::string_view name) const noexcept;
  // Format of an RFC 3551 static payload type we carry (0 PCMU, 8 PCMA, 9 G722); false for
  // dynamic types (96-127, bound by SDP) and for static types of formats we do not carry.
  [[nodiscard]] static bool static_format(int payload_type, Format* format);

  // Throw Error(unsupported) naming the unknown payload, Error(bad_config) for parameters the
  // format cannot take (clock rate, channels, ptime, opus settings out of range).
  [[nodiscard]] std::unique_ptr<Encoder> make_encoder(const EncoderConfig& config) const;
  [[nodiscard]] std::unique_ptr<Decoder> make_decoder(const DecoderConfig& config) const;

 private:
  std::vector<Entry> entries_;
};

// Registry::standard().make_encoder / make_decoder.
[[nodiscard]] IVRM_API std::unique_ptr<Encoder> make_encoder(const EncoderConfig& config);
[[nodiscard]] IVRM_API std::unique_ptr<Decoder> make_decoder(const DecoderConfig& config);

}  // namespace ivrmedia::codec
