// Codec bindings: ivrmedia.Encoder and ivrmedia.Decoder over codec::Encoder / codec::Decoder
// (the standard registry: PCMU, PCMA, L16, G722, opus).
//
// PCM goes in as 1-D NumPy int16 or float32 arrays (interleaved) read in place; payloads go in
// as any contiguous byte buffer (bytes, bytearray, memoryview, uint8 array) read in place, and
// come out as `bytes`. Each call allocates only its result; the coder runs without the GIL.
// Argument errors are checked here with the GIL held and raise ValueError / TypeError naming
// the rule; a payload the format cannot hold raises ValueError.
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include <pybind11/stl.h>

#include "arrays.hpp"
#include "codec_args.hpp"
#include "ivrmedia/codec.hpp"
#include "objects.hpp"

namespace py = pybind11;
namespace codec = ivrmedia::codec;
using ivrm_py::Bytes;
using ivrm_py::bytes_of;
using ivrm_py::create;
using ivrm_py::Exclusive;
using ivrm_py::raise_status;
using ivrm_py::run_unlocked;
using ivrm_py::unlocked;
using ivrm_py::wants_float;
using ivrmedia::Status;

namespace {

struct PyEncoder {
  std::unique_ptr<codec::Encoder> enc;
  std::vector<std::uint8_t> payload;  // one packet, sized at creation
  std::atomic<bool> busy{false};
};

struct PyDecoder {
  std::unique_ptr<codec::Decoder> dec;
  std::atomic<bool> busy{false};
};

std::unique_ptr<PyEncoder> make_encoder(const std::string& payload_name, int clock_rate_hz,
                                        int channels, int sample_rate_hz, int ptime_ms,
                                        int bitrate_bps, int complexity, bool vbr, bool inband_fec,
                                        int expected_loss_percent, bool dtx,
                                        const std::string& application,
                                        const std::string& max_bandwidth) {
  codec::EncoderConfig c;
  // One `channels` for both sides: the PCM layout and, for L16, the rtpmap's count (the other
  // formats are mono, and opus accepts any rtpmap count up to 2 whatever the PCM side is).
  c.format = {payload_name, clock_rate_hz, channels};
  c.sample_rate_hz = sample_rate_hz;
  c.channels = channels;
  c.ptime_ms = ptime_ms;
  c.opus = ivrm_py::opus_settings(bitrate_bps, complexity, vbr, inband_fec, expected_loss_percent,
                                  dtx, application, max_bandwidth);
  auto e = std::make_unique<PyEncoder>();
  e->enc = create([&] { return codec::make_encoder(c); });
  e->payload.resize(e->enc->info().max_payload_bytes);
  return e;
}

std::unique_ptr<PyDecoder> make_decoder(const std::string& payload_name, int clock_rate_hz,
                                        int sample_rate_hz, int channels, int max_packet_ms) {
  codec::DecoderConfig c;
  c.format = {payload_name, clock_rate_hz, channels};
  c.sample_rate_hz = sample_rate_hz;
  c.channels = channels;
  c.max_packet_ms = max_packet_ms;
  auto d = std::make_unique<PyDecoder>();
  d->dec = create([&] { return codec::make_decoder(c); });
  return d;
}

template <typename T>
py::bytes encode_as(PyEncoder& e, const py::array& pcm) {
  const auto in = ivrm_py::view<T>(pcm);
  const codec::Info& info = e.enc->info();
  const std::size_t want = static_cast<std::size_t>(info.frame_samples) * info.channels;
  if (in.size() != want) {
    throw py::value_error("encode: expected one packet of " + std::to_string(want) +
                          " samples (frame_samples " + std::to_string(info.frame_samples) +
                          " x channels " + std::to_string(info.channels) + ", interleaved), got " +
                          std::to_string(in.size()));
  }
  std::size_t written = 0;
  run_unlocked("encode", [&] { return e.enc->encode(in, e.payload, &written); });
  return py::bytes(reinterpret_cast<const char*>(e.payload.data()),
                   static_cast<py::ssize_t>(written));
}

py::bytes encode(PyEncoder& e, const py::object& obj) {
  const Exclusive lock(e.busy, "Encoder");
  if (py::isinstance<py::array_t<float>>(obj)) {
    return encode_as<float>(e, ivrm_py::vector_of<float>(obj, "pcm", "int16 or float32"));
  }
  return encode_as<std::int16_t>(e,
                                 ivrm_py::vector_of<std::int16_t>(obj, "pcm", "int16 or float32"));
}

std::size_t samples_in(const codec::Decoder& d, std::span<const std::uint8_t> payload,
                       const char* what) {
  std::size_t n = 0;
  if (const Status s = d.samples_in(payload, &n); s != Status::ok) {
    if (s == Status::out_of_range) {
      throw py::value_error(std::string(what) + ": payload longer than max_packet_ms (" +
                            std::to_string(d.info().max_samples) + " samples per channel)");
    }
    raise_status(s,
                 std::string(what) + ": payload of " + std::to_string(payload.size()) + " bytes");
  }
  return n;
}

template <typename T>
py::array decode_as(codec::Decoder& d, std::span<const std::uint8_t> payload) {
  const std::size_t n = samples_in(d, payload, "decode");
  py::array_t<T> out(static_cast<py::ssize_t>(n * d.info().channels));
  auto pcm = ivrm_py::view(out);
  std::size_t got = 0;
  run_unlocked("decode", [&] { return d.decode(payload, pcm, &got); });
  return out;
}

py::array decode(PyDecoder& d, const py::object& payload, const py::object& dtype) {
  const bool as_float = wants_float(dtype);
  const Bytes b = bytes_of(payload, "payload");
  const Exclusive lock(d.busy, "Decoder");
  return as_float ? decode_as<float>(*d.dec, b.span) : decode_as<std::int16_t>(*d.dec, b.span);
}

// Output of `samples_per_channel` samples of every channel for conceal / decode_fec.
template <typename T>
py::array_t<T> loss_output(const codec::Decoder& d, std::int64_t samples_per_channel,
                           const char* what) {
  const codec::Info& info = d.info();
  if (samples_per_channel < 0 ||
      static_cast<std::uint64_t>(samples_per_channel) > info.max_samples) {
    throw py::value_error(std::string(what) + ": samples_per_channel must be 0.." +
                          std::to_string(info.max_samples) + " (max_packet_ms), got " +
                          std::to_string(samples_per_channel));
  }
  return py::array_t<T>(static_cast<py::ssize_t>(samples_per_channel * info.channels));
}

// Why a length is refused beyond the bounds loss_output checks.
std::string loss_rule(const codec::Info& info) {
  if (info.kind == codec::Kind::opus) {
    return "opus conceals whole 2.5 ms steps (multiples of " +
           std::to_string(info.sample_rate_hz / 400) + " samples at " +
           std::to_string(info.sample_rate_hz) + " Hz)";
  }
  if (info.kind == codec::Kind::g722) return "G722 conceals pairs of samples";
  return "not a length this format conceals";
}

// conceal / decode_fec: `kernel(pcm)` fills a new array of samples_per_channel * channels.
template <typename T, typename Kernel>
py::array loss_call(codec::Decoder& d, std::int64_t n, const char* what, Kernel&& kernel) {
  auto out = loss_output<T>(d, n, what);
  auto pcm = ivrm_py::view(out);
  const Status s = unlocked([&] { return kernel(pcm); });
  if (s == Status::invalid_argument) {
    throw py::value_error(std::string(what) + ": samples_per_channel " + std::to_string(n) +
                          " refused: " + loss_rule(d.info()));
  }
  if (s != Status::ok) raise_status(s, what);
  return out;
}

template <typename T>
py::array conceal_as(codec::Decoder& d, std::int64_t n) {
  return loss_call<T>(d, n, "conceal", [&](std::span<T> pcm) { return d.conceal(pcm); });
}

py::array conceal(PyDecoder& d, std::int64_t samples_per_channel, const py::object& dtype) {
  const bool as_float = wants_float(dtype);
  const Exclusive lock(d.busy, "Decoder");
  return as_float ? conceal_as<float>(*d.dec, samples_per_channel)
                  : conceal_as<std::int16_t>(*d.dec, samples_per_channel);
}

template <typename T>
py::array fec_as(codec::Decoder& d, std::span<const std::uint8_t> next, std::int64_t n) {
  return loss_call<T>(d, n, "decode_fec",
                      [&](std::span<T> pcm) { return d.decode_fec(next, pcm); });
}

py::array decode_fec(PyDecoder& d, const py::object& next_payload, std::int64_t samples_per_channel,
                     const py::object& dtype) {
  const bool as_float = wants_float(dtype);
  Bytes b;
  if (!next_payload.is_none()) b = bytes_of(next_payload, "next_payload");
  const Exclusive lock(d.busy, "Decoder");
  return as_float ? fec_as<float>(*d.dec, b.span, samples_per_channel)
                  : fec_as<std::int16_t>(*d.dec, b.span, samples_per_channel);
}

std::string repr(const char* type, const codec::Info& i) {
  return std::string(type) + "('" + i.name +
         "', sample_rate_hz=" + std::to_string(i.sample_rate_hz) +
         ", channels=" + std::to_string(i.channels) +
         ", rtp_clock_hz=" + std::to_string(i.rtp_clock_hz) + ")";
}

// The read-only info properties both classes share.
template <typename Self, typename Get>
void info_properties(py::class_<Self>& cls, Get get) {
  cls.def_property_readonly(
         "name", [get](const Self& self) { return std::string(get(self).name); },
         "Canonical encoding name: 'PCMU', 'PCMA', 'L16', 'G722' or 'opus'.")
      .def_property_readonly(
          "sample_rate_hz", [get](const Self& self) { return get(self).sample_rate_hz; },
          "PCM sample rate.")
      .def_property_readonly(
          "channels", [get](const Self& self) { return get(self).channels; },
          "PCM channels (samples are interleaved).")
      .def_property_readonly(
          "rtp_clock_hz", [get](const Self& self) { return get(self).rtp_clock_hz; },
          "RTP timestamp units per second: 8000 for G722 (16 kHz audio, RFC 3551), 48000 for\n"
          "opus at any PCM rate (RFC 7587), else the sample rate.")
      .def_property_readonly(
          "frame_samples", [get](const Self& self) { return get(self).frame_samples; },
          "Encoder: samples per channel in one packet; decoder: 0.");
}

}  // namespace

void bind_codec(py::module_& m) {
  const codec::OpusSettings o;

  py::class_<PyEncoder> enc(
      m, "Encoder",
      "RTP payload encoder for one stream: PCM (interleaved) -> one payload per call.\n\n"
      "payload_name is the SDP rtpmap encoding name: 'PCMU', 'PCMA', 'L16', 'G722' or 'opus'\n"
      "(any case). clock_rate_hz is the rtpmap clock (0: the format's; L16 needs it; G722 is\n"
      "8000, opus 48000). channels is the PCM channel count (0: the format's; L16 and opus may\n"
      "be stereo). sample_rate_hz is the PCM rate (0: the format's; opus takes 8000, 12000,\n"
      "16000, 24000 or 48000). ptime_ms is the packet duration (10..60; opus 10, 20, 40, 60).\n"
      "The remaining keywords are opus settings (libopus CTLs); application is 'voip' or\n"
      "'audio', max_bandwidth one of 'narrowband', 'mediumband', 'wideband', 'superwideband',\n"
      "'fullband'. Raises ValueError for an unknown payload name or a setting the format cannot\n"
      "take, with the reason.");
  enc.def(py::init(&make_encoder), py::arg("payload_name"), py::arg("clock_rate_hz") = 0,
          py::arg("channels") = 0, py::arg("sample_rate_hz") = 0, py::arg("ptime_ms") = 20,
          py::arg("bitrate_bps") = o.bitrate_bps, py::arg("complexity") = o.complexity,
          py::arg("vbr") = o.vbr, py::arg("inband_fec") = o.inband_fec,
          py::arg("expected_loss_percent") = o.expected_loss_percent, py::arg("dtx") = o.dtx,
          py::arg("application") = "voip", py::arg("max_bandwidth") = "fullband")
      .def("encode", &encode, py::arg("pcm"),
           "Encodes one packet: a 1-D C-contiguous int16 or float32 array (float full scale\n"
           "+-1.0) of exactly frame_samples * channels interleaved samples. Returns the payload\n"
           "as bytes (opus with dtx may return 1-2 bytes in silence: no need to send those).\n"
           "TypeError for another dtype, ValueError for another length or layout. The GIL is\n"
           "released while the coder runs.")
      .def(
          "reset",
          [](PyEncoder& e) {
            const Exclusive lock(e.busy, "Encoder");
            e.enc->reset();
          },
          "Stream state back to creation; settings are kept.")
      .def_property_readonly(
          "max_payload_bytes", [](const PyEncoder& e) { return e.enc->info().max_payload_bytes; },
          "Largest payload one packet can take.")
      .def("__repr__", [](const PyEncoder& e) { return repr("Encoder", e.enc->info()); });
  info_properties(enc, [](const PyEncoder& e) -> const codec::Info& { return e.enc->info(); });

  py::class_<PyDecoder> dec(
      m, "Decoder",
      "RTP payload decoder for one stream, with concealment of lost packets.\n\n"
      "payload_name and clock_rate_hz as for Encoder. sample_rate_hz and channels are the PCM\n"
      "side (0: the format's; an opus decoder may run at 8000, 12000, 16000, 24000 or 48000 Hz,\n"
      "mono or stereo, whatever the sender sent). max_packet_ms (10..120) bounds the payloads\n"
      "accepted and the concealment per call. Raises ValueError for an unknown payload name or\n"
      "a setting the format cannot take, with the reason.");
  dec.def(py::init(&make_decoder), py::arg("payload_name"), py::arg("clock_rate_hz") = 0,
          py::arg("sample_rate_hz") = 0, py::arg("channels") = 0, py::arg("max_packet_ms") = 120)
      .def("decode", &decode, py::arg("payload"), py::arg("dtype") = "int16",
           "Decodes one payload (bytes, bytearray, memoryview or a 1-D uint8 array, read in\n"
           "place) to a new 1-D array of dtype int16 or float32, interleaved. ValueError for a\n"
           "payload the format cannot hold (conceal instead) or one longer than max_packet_ms.\n"
           "The GIL is released while the coder runs.")
      .def(
          "samples",
          [](const PyDecoder& d, const py::object& payload) {
            const Bytes b = bytes_of(payload, "payload");
            return samples_in(*d.dec, b.span, "samples");
          },
          py::arg("payload"),
          "Samples per channel the payload decodes to, without decoding it (its duration).")
      .def("conceal", &conceal, py::arg("samples_per_channel"), py::arg("dtype") = "int16",
           "Returns samples_per_channel * channels samples concealing lost audio, continuing the\n"
           "stream. opus needs whole 2.5 ms steps, G722 an even count; at most max_samples.")
      .def("decode_fec", &decode_fec, py::arg("next_payload"), py::arg("samples_per_channel"),
           py::arg("dtype") = "int16",
           "Rebuilds the audio lost just before next_payload from the in-band FEC it carries\n"
           "(opus), as conceal() would size it; formats and packets without FEC (and None)\n"
           "conceal instead. Decode next_payload itself afterwards as usual.")
      .def(
          "reset",
          [](PyDecoder& d) {
            const Exclusive lock(d.busy, "Decoder");
            d.dec->reset();
          },
          "Stream state back to creation (a new stream or SSRC).")
      .def_property_readonly(
          "max_samples", [](const PyDecoder& d) { return d.dec->info().max_samples; },
          "Most samples per channel one payload or one concealment call gives.")
      .def_property_readonly(
          "has_fec", [](const PyDecoder& d) { return d.dec->has_fec(); },
          "True when the format carries in-band FEC (opus).")
      .def("__repr__", [](const PyDecoder& d) { return repr("Decoder", d.dec->info()); });
  info_properties(dec, [](const PyDecoder& d) -> const codec::Info& { return d.dec->info(); });

  m.def(
      "codec_static_payload",
      [](int payload_type) -> py::object {
        codec::Format f;
        if (!codec::Registry::static_format(payload_type, &f)) return py::none();
        return py::make_tuple(f.name, f.clock_rate_hz, f.channels);
      },
      py::arg("payload_type"),
      "(name, clock_rate_hz, channels) of an RFC 3551 static payload type ivrmedia carries\n"
      "(0 PCMU, 8 PCMA, 9 G722), else None.");
}
