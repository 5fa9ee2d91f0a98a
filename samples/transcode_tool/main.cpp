// ivrmedia-transcode IN OUT [--to CODEC] [--rate R] [--bitrate B] [--raw CODEC] [--in-rate R]
//
// Converts between sound files (anything libsndfile reads or writes: WAV, FLAC, Ogg Vorbis, Ogg
// Opus, ...) and raw RTP payload streams, through ivrmedia's codecs and resampler:
//   raw streams are recognised by extension as sox names them: .ul/.pcmu (G.711 mu-law),
//   .al/.pcma (A-law), .g722 (G.722 64 kbit/s), .l16 (16-bit big-endian PCM), or given with
//   --raw CODEC for the input;
//   .opus/.ogg outputs are Ogg Opus (RFC 7845) made with ivrmedia's opus encoder (--bitrate);
//   other outputs are written by libsndfile as 16-bit PCM (--to pcm16, the default), float,
//   or G.711 (--to pcmu / pcma: WAV files holding ivrmedia's codes).
// The audio is mixed down to mono for mono-only codecs and resampled (ivrmedia's resampler,
// default quality) to the codec's rate, or to --rate for sound files and opus.
#include <sndfile.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/resampler.hpp"
#include "ogg_opus_writer.hpp"

namespace {

namespace codec = ivrmedia::codec;
using ivrmedia::Status;

struct Options {
  std::string in, out;
  std::string to;       // codec or sample format of OUT
  std::string raw;      // codec of a raw IN without a known extension
  int rate = 0;         // output rate (sound files, opus, L16)
  int in_rate = 0;      // rate of a raw L16 input
  int bitrate = 24000;  // opus
};

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "ivrmedia-transcode: %s\n", what.c_str());
  std::exit(1);
}

void usage() {
  std::printf(
      "usage: ivrmedia-transcode IN OUT [--to CODEC] [--rate R] [--bitrate B] [--raw CODEC]\n"
      "                          [--in-rate R]\n"
      "  IN, OUT   sound files (by libsndfile: .wav .flac .ogg .opus ...) or raw payload\n"
      "            streams: .ul/.pcmu .al/.pcma .g722 .l16 (16-bit big-endian)\n"
      "  --to      pcmu pcma g722 l16 opus (codecs), pcm16 float (sound file samples);\n"
      "            default: from OUT's extension, else pcm16\n"
      "  --rate    output sample rate (sound files, opus: 8000/12000/16000/24000/48000, l16)\n"
      "  --bitrate opus bitrate in bit/s (default 24000)\n"
      "  --raw     codec of a raw IN whose extension does not say it\n"
      "  --in-rate sample rate of a raw .l16 input (default 16000)\n");
}

std::string lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string extension(const std::string& path) {
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  return lower(path.substr(dot + 1));
}

// Raw payload codec named by an extension or a --to/--raw value, or nullopt.
std::optional<std::string> raw_codec(const std::string& name) {
  const std::string n = lower(name);
  if (n == "ul" || n == "pcmu" || n == "ulaw") return "PCMU";
  if (n == "al" || n == "pcma" || n == "alaw") return "PCMA";
  if (n == "g722") return "G722";
  if (n == "l16") return "L16";
  return std::nullopt;
}

Options parse(int argc, char** argv) {
  Options o;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) fail("missing value after " + a);
      return argv[++i];
    };
    const auto number = [&]() {
      const std::string v = value();
      char* end = nullptr;
      const long x = std::strtol(v.c_str(), &end, 10);
      if (end == v.c_str() || *end != '\0' || x <= 0 || x > 10000000)
        fail("not a positive number: " + v);
      return static_cast<int>(x);
    };
    if (a == "-h" || a == "--help") {
      usage();
      std::exit(0);
    } else if (a == "--to") {
      o.to = lower(value());
    } else if (a == "--raw") {
      o.raw = value();
    } else if (a == "--rate") {
      o.rate = number();
    } else if (a == "--in-rate") {
      o.in_rate = number();
    } else if (a == "--bitrate") {
      o.bitrate = number();
    } else if (!a.empty() && a[0] == '-') {
      usage();
      fail("unknown option " + a);
    } else {
      positional.push_back(a);
    }
  }
  if (positional.size() != 2) {
    usage();
    fail("need exactly IN and OUT");
  }
  o.in = positional[0];
  o.out = positional[1];
  return o;
}

// Interleaved float audio.
struct Audio {
  int rate = 0, channels = 0;
  std::vector<float> samples;
  [[nodiscard]] std::size_t frames() const { return samples.size() / channels; }
};

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) fail(path + ": " + std::strerror(errno));
  std::vector<std::uint8_t> bytes;
  std::uint8_t buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
    bytes.insert(bytes.end(), buf, buf + n);
  std::fclose(f);
  return bytes;
}

// A raw payload stream decoded with the codec interface in 20 ms payloads.
Audio read_raw(const std::string& path, const std::string& name, int l16_rate) {
  codec::DecoderConfig c;
  c.format.name = name;
  if (name == "L16") c.format.clock_rate_hz = l16_rate;
  std::unique_ptr<codec::Decoder> d;
  try {
    d = codec::make_decoder(c);
  } catch (const ivrmedia::Error& e) {
    fail(std::string("cannot decode ") + name + ": " + e.what());
  }
  const auto bytes = read_bytes(path);
  const codec::Info& info = d->info();
  // Bytes per 20 ms payload: G.711 1 per sample, G.722 1 per 2, L16 2.
  const std::size_t samples_20ms = static_cast<std::size_t>(info.sample_rate_hz / 50);
  const std::size_t chunk = name == "G722"  ? samples_20ms / 2
                            : name == "L16" ? 2 * samples_20ms
                                            : samples_20ms;
  if (name == "L16" && bytes.size() % 2 != 0) fail(path + ": odd byte count for L16");
  Audio a{info.sample_rate_hz, 1, {}};
  std::vector<float> pcm(info.max_samples);
  for (std::size_t off = 0; off < bytes.size(); off += chunk) {
    const std::size_t m = std::min(chunk, bytes.size() - off);
    std::size_t got = 0;
    const Status s = d->decode(std::span(bytes.data() + off, m), std::span(pcm), &got);
    if (s != Status::ok) fail(path + ": " + ivrmedia::describe(s));
    a.samples.insert(a.samples.end(), pcm.begin(), pcm.begin() + static_cast<std::ptrdiff_t>(got));
  }
  return a;
}

Audio read_sound_file(const std::string& path) {
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  if (f == nullptr) fail(path + ": " + sf_strerror(nullptr));
  if (info.channels < 1 || info.channels > 8) fail(path + ": unsupported channel count");
  Audio a{info.samplerate, info.channels, {}};
  std::vector<float> buf(4096 * static_cast<std::size_t>(info.channels));
  sf_count_t n = 0;
  while ((n = sf_readf_float(f, buf.data(), 4096)) > 0)
    a.samples.insert(a.samples.end(), buf.begin(), buf.begin() + n * info.channels);
  sf_close(f);
  if (a.samples.empty()) fail(path + ": no audio");
  return a;
}

Audio to_channels(Audio a, int channels) {
  if (a.channels == channels) return a;
  Audio b{a.rate, channels, std::vector<float>(a.frames() * channels)};
  for (std::size_t i = 0; i < a.frames(); ++i) {
    float sum = 0;
    for (int c = 0; c < a.channels; ++c)
      sum += a.samples[i * a.channels + c];
    const float mono = sum / static_cast<float>(a.channels);
    for (int c = 0; c < channels; ++c)
      b.samples[i * channels + c] = a.channels == 1 || channels == 1
                                        ? mono
                                        : a.samples[i * a.channels + std::min(c, a.channels - 1)];
  }
  return b;
}

Audio resample(Audio a, int rate) {
  if (a.rate == rate) return a;
  if (!ivrmedia::resample::Resampler::rate_supported(a.rate) ||
      !ivrmedia::resample::Resampler::rate_supported(rate))
    fail("cannot resample " + std::to_string(a.rate) + " Hz to " + std::to_string(rate) +
         " Hz (rates: 8000, 16000, 32000, 44100, 48000)");
  ivrmedia::resample::Resampler r(
      {.input_rate_hz = a.rate, .output_rate_hz = rate, .channels = a.channels});
  // Flush the filter's delay with zeros, then drop that many leading output frames so the
  // output lines up with the input.
  const auto delay = static_cast<std::size_t>(std::lround(r.latency_output_frames()));
  const std::size_t flush_in =
      static_cast<std::size_t>(std::ceil(static_cast<double>(delay) * a.rate / rate)) + 2;
  a.samples.resize(a.samples.size() + flush_in * a.channels, 0.0f);
  std::vector<float> out(r.max_output_frames(a.frames()) * a.channels);
  ivrmedia::resample::Result res{};
  if (r.process(a.samples, out, &res) != Status::ok) fail("resampler refused the input");
  out.resize(res.out_frames_written * a.channels);
  const std::size_t keep =
      static_cast<std::size_t>(static_cast<double>(a.frames() - flush_in) * rate / a.rate);
  const std::size_t first = std::min(delay, res.out_frames_written);
  Audio b{rate, a.channels, {}};
  b.samples.assign(out.begin() + static_cast<std::ptrdiff_t>(first * a.channels),
                   out.begin() + static_cast<std::ptrdiff_t>(
                                     std::min(first + keep, res.out_frames_written) * a.channels));
  return b;
}

// Encodes `a` (already at the encoder's rate and channels) frame by frame, padding the last
// frame with silence; calls sink(payload, frame_samples, last).
template <typename Sink>
void encode_all(codec::Encoder& e, const Audio& a, Sink&& sink) {
  const codec::Info& info = e.info();
  const std::size_t n = static_cast<std::size_t>(info.frame_samples) * info.channels;
  std::vector<float> frame(n);
  std::vector<std::uint8_t> payload(info.max_payload_bytes);
  for (std::size_t off = 0; off < a.samples.size(); off += n) {
    const std::size_t m = std::min(n, a.samples.size() - off);
    std::fill(frame.begin(), frame.end(), 0.0f);
    std::copy_n(a.samples.begin() + static_cast<std::ptrdiff_t>(off), m, frame.begin());
    std::size_t written = 0;
    const Status s = e.encode(std::span<const float>(frame), payload, &written);
    if (s != Status::ok) fail(std::string("encoder: ") + ivrmedia::describe(s));
    sink(std::span<const std::uint8_t>(payload.data(), written), info.frame_samples,
         off + n >= a.samples.size());
  }
}

std::unique_ptr<codec::Encoder> make_encoder(const std::string& name, int rate, int channels,
                                             int bitrate) {
  codec::EncoderConfig c;
  c.format.name = name;
  if (name == "L16") c.format.clock_rate_hz = rate;
  if (name == "L16") c.format.channels = channels;
  if (name == "opus") {
    c.format.clock_rate_hz = 48000;
    c.sample_rate_hz = rate;
    c.channels = channels;
    c.opus.bitrate_bps = bitrate;
    c.opus.application = codec::OpusSettings::Application::audio;
    c.opus.inband_fec = false;  // a file has no losses to recover from
  }
  try {
    return codec::make_encoder(c);
  } catch (const ivrmedia::Error& e) {
    fail(std::string("cannot encode ") + name + ": " + e.what());
  }
}

void write_raw(const Options& o, const std::string& name, Audio a) {
  const int rate = name == "PCMU" || name == "PCMA" ? 8000
                   : name == "G722"                 ? 16000
                                                    : (o.rate ? o.rate : a.rate);
  a = resample(to_channels(std::move(a), name == "L16" ? std::min(a.channels, 2) : 1), rate);
  auto e = make_encoder(name, rate, a.channels, o.bitrate);
  std::FILE* f = std::fopen(o.out.c_str(), "wb");
  if (f == nullptr) fail(o.out + ": " + std::strerror(errno));
  // The last frame is padded to a whole frame; cut the padding off again for sample codecs.
  std::size_t total = 0;
  const std::size_t bytes_per_sample = name == "L16" ? 2 * a.channels : 1;
  const std::size_t limit = name == "G722" ? (a.frames() + 1) / 2 : a.frames() * bytes_per_sample;
  encode_all(*e, a, [&](std::span<const std::uint8_t> p, int, bool) {
    const std::size_t m = std::min(p.size(), limit - std::min(limit, total));
    if (std::fwrite(p.data(), 1, m, f) != m) fail(o.out + ": write failed");
    total += m;
  });
  if (std::fclose(f) != 0) fail(o.out + ": " + std::strerror(errno));
  std::printf("%s: %zu bytes of %s, %.2f s at %d Hz\n", o.out.c_str(), total, name.c_str(),
              static_cast<double>(a.frames()) / rate, rate);
}

void write_ogg_opus(const Options& o, Audio a) {
  const int rate = o.rate ? o.rate : (a.rate == 44100 || a.rate == 32000 ? 48000 : a.rate);
  a = resample(to_channels(std::move(a), std::min(a.channels, 2)), rate);
  auto e = make_encoder("opus", rate, a.channels, o.bitrate);
  ivrm_tool::OggOpusWriter w;
  // libopus' lookahead at 48 kHz (OPUS_GET_LOOKAHEAD: 2.5 ms + 4 ms delay compensation).
  constexpr int kPreSkip = 312;
  if (!w.open(o.out, a.channels, a.rate, kPreSkip, 0x1F2E3D4Cu))
    fail(o.out + ": " + std::strerror(errno));
  std::size_t bytes = 0, packets = 0;
  const int to48k = 48000 / rate;
  encode_all(*e, a, [&](std::span<const std::uint8_t> p, int samples, bool last) {
    if (!w.write_packet(p, samples * to48k, last)) fail(o.out + ": write failed");
    bytes += p.size();
    ++packets;
  });
  if (!w.close()) fail(o.out + ": write failed");
  std::printf("%s: Ogg Opus, %zu packets, %.1f kbit/s, %.2f s at %d Hz\n", o.out.c_str(), packets,
              static_cast<double>(bytes) * 8 / (static_cast<double>(a.frames()) / rate) / 1000,
              static_cast<double>(a.frames()) / rate, rate);
}

void write_sound_file(const Options& o, Audio a) {
  const int rate = o.rate ? o.rate : a.rate;
  SF_INFO info{};
  const std::string ext = extension(o.out);
  const std::string to = o.to.empty() ? "pcm16" : o.to;
  int major = ext == "wav"                    ? SF_FORMAT_WAV
              : ext == "flac"                 ? SF_FORMAT_FLAC
              : ext == "aiff" || ext == "aif" ? SF_FORMAT_AIFF
              : ext == "au" || ext == "snd"   ? SF_FORMAT_AU
                                              : 0;
  if (major == 0)
    fail(o.out + ": unknown output extension (wav, flac, aiff, au, opus, ul, al, g722, l16)");
  std::optional<std::string> law;
  int sub = SF_FORMAT_PCM_16;
  if (to == "float") {
    sub = SF_FORMAT_FLOAT;
  } else if (to == "pcmu" || to == "ulaw") {
    sub = SF_FORMAT_ULAW, law = "PCMU";
  } else if (to == "pcma" || to == "alaw") {
    sub = SF_FORMAT_ALAW, law = "PCMA";
  } else if (to != "pcm16") {
    fail("--to " + to + " cannot go into ." + ext + " (use .g722/.l16 raw, .opus for opus)");
  }
  if (law) {
    a = resample(to_channels(std::move(a), 1), 8000);
  } else {
    a = resample(std::move(a), rate);
  }
  info.samplerate = a.rate;
  info.channels = a.channels;
  info.format = major | sub;
  if (!sf_format_check(&info)) fail(o.out + ": libsndfile cannot write that combination");
  SNDFILE* f = sf_open(o.out.c_str(), SFM_WRITE, &info);
  if (f == nullptr) fail(o.out + ": " + sf_strerror(nullptr));
  if (law) {  // ivrmedia's own G.711 codes, written as they are
    auto e = make_encoder(*law, 8000, 1, 0);
    std::size_t left = a.frames();
    encode_all(*e, a, [&](std::span<const std::uint8_t> p, int, bool) {
      const std::size_t m = std::min(p.size(), left);
      left -= m;
      if (sf_write_raw(f, p.data(), static_cast<sf_count_t>(m)) != static_cast<sf_count_t>(m))
        fail(o.out + ": write failed");
    });
  } else if (sf_writef_float(f, a.samples.data(), static_cast<sf_count_t>(a.frames())) !=
             static_cast<sf_count_t>(a.frames())) {
    fail(o.out + ": write failed");
  }
  sf_close(f);
  std::printf("%s: %s, %d channel(s), %.2f s at %d Hz\n", o.out.c_str(), to.c_str(), a.channels,
              static_cast<double>(a.frames()) / a.rate, a.rate);
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  // Input: a raw payload stream, or a sound file.
  std::optional<std::string> in_codec =
      o.raw.empty() ? raw_codec(extension(o.in)) : raw_codec(o.raw);
  if (!o.raw.empty() && !in_codec)
    fail("--raw " + o.raw + ": not a raw codec (pcmu pcma g722 l16)");
  Audio a =
      in_codec ? read_raw(o.in, *in_codec, o.in_rate ? o.in_rate : 16000) : read_sound_file(o.in);
  // Output: by extension, checked against --to.
  const std::string ext = extension(o.out);
  if (const auto raw = raw_codec(ext)) {
    if (!o.to.empty() && raw_codec(o.to) != raw)
      fail("--to " + o.to + " does not match ." + ext + " (raw " + *raw + ")");
    write_raw(o, *raw, std::move(a));
  } else if (ext == "opus" || ext == "ogg") {
    if (!o.to.empty() && o.to != "opus") fail("." + ext + " output holds opus only");
    write_ogg_opus(o, std::move(a));
  } else {
    if (o.to == "opus") fail("opus goes into .opus (Ogg Opus) files");
    if (raw_codec(o.to) == "G722" || raw_codec(o.to) == "L16")
      fail("--to " + o.to + " is written as a raw ." + o.to + " stream");
    write_sound_file(o, std::move(a));
  }
  return 0;
}
