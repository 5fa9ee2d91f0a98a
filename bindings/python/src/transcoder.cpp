// Transcoder binding: ivrmedia.Transcoder over codec::Transcoder, with its statistics
// (TranscoderStats) and the facts of its two coders (CodecInfo).
//
// Each input call (push, push_loss, push_fec) feeds the transcoder and then pulls every payload
// that became ready, so nothing waits between calls but less than one output frame. The
// transcoder runs without the GIL, one thread at a time per object; payloads go in as any
// contiguous byte buffer read in place and come out as a list of `bytes`.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "codec_args.hpp"
#include "ivrmedia/transcoder.hpp"
#include "objects.hpp"

namespace py = pybind11;
namespace codec = ivrmedia::codec;
using ivrm_py::Exclusive;
using ivrmedia::Status;

namespace {

struct PyTranscoder {
  std::unique_ptr<codec::Transcoder> t;
  std::vector<std::uint8_t> pulled;  // payloads pulled by one call, back to back
  std::vector<std::size_t> sizes;    // ... and their sizes
  std::atomic<bool> busy{false};
};

std::unique_ptr<PyTranscoder> make_transcoder(
    const std::string& input_payload, const std::string& output_payload, int input_clock_rate_hz,
    int output_clock_rate_hz, int input_channels, int output_channels, int input_sample_rate_hz,
    int output_sample_rate_hz, int ptime_ms, int max_packet_ms, int bitrate_bps, int complexity,
    bool vbr, bool inband_fec, int expected_loss_percent, bool dtx, const std::string& application,
    const std::string& max_bandwidth, const std::string& quality) {
  codec::Transcoder::Config c;
  // As for Encoder and Decoder, `channels` is both the rtpmap's count and the PCM side's.
  c.input.format = {input_payload, input_clock_rate_hz, input_channels};
  c.input.sample_rate_hz = input_sample_rate_hz;
  c.input.channels = input_channels;
  c.input.max_packet_ms = max_packet_ms;
  c.output.format = {output_payload, output_clock_rate_hz, output_channels};
  c.output.sample_rate_hz = output_sample_rate_hz;
  c.output.channels = output_channels;
  c.output.ptime_ms = ptime_ms;
  c.output.opus = ivrm_py::opus_settings(bitrate_bps, complexity, vbr, inband_fec,
                                         expected_loss_percent, dtx, application, max_bandwidth);
  c.quality = ivrm_py::quality_of(quality);
  auto t = std::make_unique<PyTranscoder>();
  t->t = ivrm_py::create([&] { return std::make_unique<codec::Transcoder>(c); });
  const std::size_t max_payload = t->t->output_info().max_payload_bytes;
  // Room for the payloads one call usually gives; a longer input payload grows it (a binding
  // call may allocate, the C++ transcoder does not).
  t->pulled.reserve(8 * max_payload);
  t->sizes.reserve(8);
  return t;
}

// Pulls every ready payload into self.pulled (GIL released by the caller).
Status drain(PyTranscoder& self) noexcept {
  const std::size_t max_payload = self.t->output_info().max_payload_bytes;
  self.pulled.clear();
  self.sizes.clear();
  try {
    for (;;) {
      const std::size_t at = self.pulled.size();
      self.pulled.resize(at + max_payload);
      std::size_t written = 0;
      const Status s = self.t->pull(std::span(self.pulled).subspan(at), &written);
      self.pulled.resize(at + written);
      if (s != Status::ok) return s;
      if (written == 0) return Status::ok;
      self.sizes.push_back(written);
    }
  } catch (const std::bad_alloc&) {
    return Status::no_memory;
  }
}

py::list payloads(const PyTranscoder& self) {
  py::list out;
  std::size_t at = 0;
  for (const std::size_t n : self.sizes) {
    out.append(py::bytes(reinterpret_cast<const char*>(self.pulled.data() + at),
                         static_cast<py::ssize_t>(n)));
    at += n;
  }
  return out;
}

// Feeds the transcoder with `input()` and pulls what became ready, without the GIL; raises with
// `explain(status)` for a refused input.
template <typename Input, typename Explain>
py::list feed(PyTranscoder& self, Input&& input, Explain&& explain) {
  const Status s = ivrm_py::unlocked([&] {
    if (const Status in = input(); in != Status::ok) return in;
    return drain(self);
  });
  if (s != Status::ok) explain(s);
  return payloads(self);
}

// RTP units of A's clock that a push_loss / push_fec call may cover at most.
std::int64_t max_units(const codec::Info& in) {
  return static_cast<std::int64_t>(in.max_samples) * in.rtp_clock_hz / in.sample_rate_hz;
}

// push_loss / push_fec statuses as exceptions that name the rule.
[[noreturn]] void raise_loss(Status s, const codec::Info& in, std::int64_t units,
                             const char* what) {
  if (s == Status::invalid_argument) {
    std::string rule = "a gap must be >= 0 RTP units and whole samples at " +
                       std::to_string(in.sample_rate_hz) + " Hz (RTP clock " +
                       std::to_string(in.rtp_clock_hz) + " Hz)";
    if (in.kind == codec::Kind::opus) {
      rule += ", in whole 2.5 ms steps (multiples of " + std::to_string(in.rtp_clock_hz / 400) +
              " units)";
    }
    throw py::value_error(std::string(what) + ": rtp_units " + std::to_string(units) +
                          " refused: " + rule);
  }
  if (s == Status::out_of_range) {
    throw py::value_error(std::string(what) + ": rtp_units " + std::to_string(units) +
                          " is longer than max_packet_ms (" + std::to_string(max_units(in)) +
                          " units); split the gap over several calls");
  }
  ivrm_py::raise_status(s, what);
}

py::list push(PyTranscoder& self, const py::object& payload) {
  const ivrm_py::Bytes b = ivrm_py::bytes_of(payload, "payload");
  const Exclusive lock(self.busy, "Transcoder");
  return feed(
      self, [&] { return self.t->push(b.span); },
      [&](Status s) {
        if (s == Status::out_of_range) {
          throw py::value_error("push: payload longer than max_packet_ms (" +
                                std::to_string(self.t->input_info().max_samples) +
                                " samples per channel)");
        }
        ivrm_py::raise_status(s, "push: payload of " + std::to_string(b.span.size()) + " bytes");
      });
}

py::list push_loss(PyTranscoder& self, std::int64_t rtp_units) {
  const Exclusive lock(self.busy, "Transcoder");
  return feed(
      self, [&] { return self.t->push_loss(rtp_units); },
      [&](Status s) { raise_loss(s, self.t->input_info(), rtp_units, "push_loss"); });
}

py::list push_fec(PyTranscoder& self, const py::object& next_payload, std::int64_t rtp_units) {
  const ivrm_py::Bytes b = ivrm_py::bytes_of(next_payload, "next_payload");
  if (b.span.empty()) throw py::value_error("push_fec: next_payload is empty; use push_loss");
  const Exclusive lock(self.busy, "Transcoder");
  return feed(
      self, [&] { return self.t->push_fec(b.span, rtp_units); },
      [&](Status s) { raise_loss(s, self.t->input_info(), rtp_units, "push_fec"); });
}

std::string info_repr(const codec::Info& i) {
  return std::string("CodecInfo('") + i.name +
         "', sample_rate_hz=" + std::to_string(i.sample_rate_hz) +
         ", channels=" + std::to_string(i.channels) +
         ", rtp_clock_hz=" + std::to_string(i.rtp_clock_hz) + ")";
}

}  // namespace

void bind_transcoder(py::module_& m) {
  py::class_<codec::Info>(m, "CodecInfo",
                          "Facts about one side of a Transcoder, fixed at creation.")
      .def_property_readonly(
          "name", [](const codec::Info& i) { return std::string(i.name); },
          "Canonical encoding name: 'PCMU', 'PCMA', 'L16', 'G722' or 'opus'.")
      .def_readonly("sample_rate_hz", &codec::Info::sample_rate_hz, "PCM sample rate.")
      .def_readonly("channels", &codec::Info::channels, "PCM channels.")
      .def_readonly("rtp_clock_hz", &codec::Info::rtp_clock_hz,
                    "RTP timestamp units per second (G722: 8000; opus: 48000).")
      .def_readonly("frame_samples", &codec::Info::frame_samples,
                    "Output side: samples per channel in one payload; input side: 0.")
      .def_readonly("max_payload_bytes", &codec::Info::max_payload_bytes,
                    "Output side: largest payload; input side: 0.")
      .def_readonly("max_samples", &codec::Info::max_samples,
                    "Input side: most samples per channel one payload gives; output side: 0.")
      .def("__repr__", &info_repr);

  using Stats = codec::Transcoder::Stats;
  py::class_<Stats>(m, "TranscoderStats",
                    "Counts of a Transcoder since creation or reset(), per channel. Exact after\n"
                    "every call: output_samples + buffered_samples == resampled_samples ==\n"
                    "floor(decoded_samples * output rate / decode rate).")
      .def_readonly("decoded_samples", &Stats::decoded_samples,
                    "At the decode rate, concealed ones included.")
      .def_readonly("concealed_samples", &Stats::concealed_samples,
                    "Of decoded_samples, made by push_loss and push_fec.")
      .def_readonly("resampled_samples", &Stats::resampled_samples, "At the output PCM rate.")
      .def_readonly("output_samples", &Stats::output_samples,
                    "Encoded into returned payloads, at the output PCM rate.")
      .def_readonly("packets_in", &Stats::packets_in, "Payloads pushed and decoded.")
      .def_readonly("packets_out", &Stats::packets_out, "Payloads returned.")
      .def_readonly("malformed", &Stats::malformed, "Payloads the decoder refused.")
      .def_property_readonly(
          "buffered_samples", [](const Stats& s) { return s.resampled_samples - s.output_samples; },
          "Output-rate samples waiting for a whole output frame (less than one frame).")
      .def(
          "__eq__",
          [](const Stats& a, const Stats& b) {
            return a.decoded_samples == b.decoded_samples &&
                   a.concealed_samples == b.concealed_samples &&
                   a.resampled_samples == b.resampled_samples &&
                   a.output_samples == b.output_samples && a.packets_in == b.packets_in &&
                   a.packets_out == b.packets_out && a.malformed == b.malformed;
          },
          py::is_operator())
      .def("__repr__", [](const Stats& s) {
        return "TranscoderStats(decoded_samples=" + std::to_string(s.decoded_samples) +
               ", concealed_samples=" + std::to_string(s.concealed_samples) +
               ", resampled_samples=" + std::to_string(s.resampled_samples) +
               ", output_samples=" + std::to_string(s.output_samples) +
               ", packets_in=" + std::to_string(s.packets_in) +
               ", packets_out=" + std::to_string(s.packets_out) +
               ", malformed=" + std::to_string(s.malformed) + ")";
      });

  const codec::OpusSettings opus;
  py::class_<PyTranscoder>(
      m, "Transcoder",
      "RTP payloads of one format in, payloads of another out, for one stream:\n"
      "decode -> channel map -> resample -> re-frame -> encode.\n\n"
      "input_payload and output_payload are SDP rtpmap encoding names ('PCMU', 'PCMA', 'L16',\n"
      "'G722', 'opus'; any case). The input_* and output_* keywords are those of Decoder and\n"
      "Encoder for each side: clock_rate_hz is the rtpmap clock (0: the format's; L16 needs it),\n"
      "channels the rtpmap's and the PCM side's count (0: the format's), sample_rate_hz the PCM\n"
      "rate (0: the format's; an opus side left at 0 takes the other side's rate when libopus\n"
      "runs at it, so no resampling is needed). ptime_ms is the output packet duration,\n"
      "max_packet_ms the longest input payload (and gap) accepted; the opus keywords set the\n"
      "output encoder when it is opus. quality is the resampler's preset ('fast', 'standard',\n"
      "'high'). Raises ValueError for an unknown payload name or a setting a format cannot\n"
      "take, with the reason.")
      .def(py::init(&make_transcoder), py::arg("input_payload"), py::arg("output_payload"),
           py::kw_only(), py::arg("input_clock_rate_hz") = 0, py::arg("output_clock_rate_hz") = 0,
           py::arg("input_channels") = 0, py::arg("output_channels") = 0,
           py::arg("input_sample_rate_hz") = 0, py::arg("output_sample_rate_hz") = 0,
           py::arg("ptime_ms") = 20, py::arg("max_packet_ms") = 120,
           py::arg("bitrate_bps") = opus.bitrate_bps, py::arg("complexity") = opus.complexity,
           py::arg("vbr") = opus.vbr, py::arg("inband_fec") = opus.inband_fec,
           py::arg("expected_loss_percent") = opus.expected_loss_percent, py::arg("dtx") = opus.dtx,
           py::arg("application") = "voip", py::arg("max_bandwidth") = "fullband",
           py::arg("quality") = "standard")
      .def("push", &push, py::arg("payload"),
           "Decodes one payload of the input format (bytes, bytearray, memoryview or a 1-D uint8\n"
           "array, read in place) and returns the output payloads that became ready, oldest\n"
           "first (often none or one). ValueError for a payload the decoder refuses (counted in\n"
           "stats.malformed; push_loss its duration instead) or one longer than max_packet_ms.\n"
           "The GIL is released while the transcoder runs.")
      .def("push_loss", &push_loss, py::arg("rtp_units"),
           "Conceals lost input spanning rtp_units of the input's RTP clock (the timestamp gap)\n"
           "and returns the output payloads that became ready. ValueError for a negative gap, one\n"
           "that is not whole samples (opus: whole 2.5 ms steps) or one longer than\n"
           "max_packet_ms (split it over several calls).")
      .def("push_fec", &push_fec, py::arg("next_payload"), py::arg("rtp_units"),
           "As push_loss, rebuilding the lost audio from the in-band FEC of the payload after the\n"
           "gap (opus; other formats conceal). Push next_payload itself afterwards as usual.")
      .def(
          "reset",
          [](PyTranscoder& self) {
            const Exclusive lock(self.busy, "Transcoder");
            self.t->reset();
          },
          "Back to the state after creation: coders, resampler, waiting audio and stats.")
      .def_property_readonly(
          "stats",
          [](PyTranscoder& self) {
            const Exclusive lock(self.busy, "Transcoder");
            return self.t->stats();
          },
          "A TranscoderStats snapshot.")
      .def_property_readonly(
          "input_info", [](const PyTranscoder& self) { return self.t->input_info(); },
          "CodecInfo of the input decoder (after the choices made at creation).")
      .def_property_readonly(
          "output_info", [](const PyTranscoder& self) { return self.t->output_info(); },
          "CodecInfo of the output encoder (frame_samples per payload).")
      .def_property_readonly(
          "latency_samples", [](const PyTranscoder& self) { return self.t->latency_samples(); },
          "Resampler group delay in output samples (fractional; 0.0 without resampling).")
      .def("__repr__", [](const PyTranscoder& self) {
        const codec::Info& i = self.t->input_info();
        const codec::Info& o = self.t->output_info();
        return std::string("Transcoder('") + i.name + "' " + std::to_string(i.sample_rate_hz) +
               " Hz x" + std::to_string(i.channels) + " -> '" + o.name + "' " +
               std::to_string(o.sample_rate_hz) + " Hz x" + std::to_string(o.channels) +
               ", ptime_ms=" + std::to_string(o.frame_samples * 1000 / o.sample_rate_hz) + ")";
      });
}
