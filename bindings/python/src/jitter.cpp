// Jitter-buffer binding: ivrmedia.JitterBuffer over jitter::Buffer (the RTP receive path).
//
// push() takes a datagram as received (any contiguous byte buffer, read in place) with its
// arrival time; pull() returns one frame as a new NumPy int16 or float32 array plus a FrameInfo,
// decoding and time-stretching with the GIL released. push keeps the GIL (it parses a header
// and copies a payload: less work than a release). One buffer serves one stream: a second
// thread entering it while it works is refused with RuntimeError.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "arrays.hpp"
#include "ivrmedia/jitter.hpp"
#include "objects.hpp"
#include "records.hpp"
#include "rtp_types.hpp"

namespace py = pybind11;
namespace jitter = ivrmedia::jitter;
namespace codec = ivrmedia::codec;
namespace rtp = ivrmedia::rtp;
using ivrm_py::Bytes;
using ivrm_py::bytes_of;
using ivrm_py::Exclusive;
using ivrm_py::Record;
using ivrmedia::Status;

namespace {

struct PyJitterBuffer {
  explicit PyJitterBuffer(const jitter::Config& c)
      : buffer(c), event_clock_hz(c.telephone_event_clock_hz) {}
  jitter::Buffer buffer;
  int event_clock_hz;
  std::atomic<bool> busy{false};
};

// The library's names for the kinds (jitter::describe).
const char* kind_name(jitter::FrameKind k) {
  return jitter::describe(k);
}
constexpr std::array<jitter::FrameKind, 6> kKinds = {
    jitter::FrameKind::normal,   jitter::FrameKind::concealed, jitter::FrameKind::accelerated,
    jitter::FrameKind::expanded, jitter::FrameKind::merged,    jitter::FrameKind::cng};

// A payload binding from "NAME", "NAME/clock" or "NAME/clock/channels" (SDP rtpmap's form), or
// a (name[, clock[, channels]]) tuple.
codec::Format format_of(int payload_type, const py::handle& v) {
  codec::Format f;
  const std::string where = "payloads[" + std::to_string(payload_type) + "]";
  std::vector<std::string> parts;
  if (py::isinstance<py::str>(v)) {
    const auto s = py::cast<std::string>(v);
    std::size_t at = 0;
    for (;;) {
      const std::size_t slash = s.find('/', at);
      parts.push_back(s.substr(at, slash == std::string::npos ? std::string::npos : slash - at));
      if (slash == std::string::npos) break;
      at = slash + 1;
    }
  } else if (py::isinstance<py::tuple>(v) || py::isinstance<py::list>(v)) {
    for (const py::handle p : v)
      parts.push_back(py::cast<std::string>(py::str(p)));
  } else {
    throw py::type_error(where + ": expected 'NAME[/clock[/channels]]' or a tuple");
  }
  if (parts.empty() || parts.size() > 3 || parts[0].empty()) {
    throw py::value_error(where + ": expected 'NAME[/clock[/channels]]'");
  }
  f.name = parts[0];
  try {
    if (parts.size() > 1) f.clock_rate_hz = std::stoi(parts[1]);
    if (parts.size() > 2) f.channels = std::stoi(parts[2]);
  } catch (const std::exception&) {
    throw py::value_error(where + ": clock and channels must be integers");
  }
  return f;
}

std::unique_ptr<PyJitterBuffer> make_buffer(
    int sample_rate_hz, int frame_ms, const py::object& payloads,
    const std::optional<int>& telephone_event_payload_type, int telephone_event_clock_hz,
    const std::optional<int>& comfort_noise_payload_type, int event_end_timeout_ms,
    const std::string& mode, int fixed_delay_ms, int min_delay_ms, int max_delay_ms,
    double delay_quantile, double forget_factor, bool time_stretch, int network_delay_ms,
    std::size_t packet_capacity, std::size_t max_payload_bytes, int max_packet_ms, int probation,
    int max_dropout, int max_misorder) {
  jitter::Config c;
  c.sample_rate_hz = sample_rate_hz;
  c.frame_ms = frame_ms;
  if (!payloads.is_none()) {
    if (!py::isinstance<py::dict>(payloads)) {
      throw py::type_error("payloads: expected a dict {payload_type: 'NAME[/clock[/channels]]'}");
    }
    c.payloads.clear();
    for (const auto& [k, v] : py::reinterpret_borrow<py::dict>(payloads)) {
      const int pt = py::cast<int>(k);
      c.payloads.push_back({pt, format_of(pt, v)});
    }
  }
  c.telephone_event_payload_type = telephone_event_payload_type.value_or(-1);
  c.telephone_event_clock_hz = telephone_event_clock_hz;
  c.comfort_noise_payload_type = comfort_noise_payload_type.value_or(-1);
  c.event_end_timeout_ms = event_end_timeout_ms;
  if (mode == "adaptive") {
    c.mode = jitter::DelayMode::adaptive;
  } else if (mode == "fixed") {
    c.mode = jitter::DelayMode::fixed;
  } else {
    throw py::value_error("mode must be 'adaptive' or 'fixed', got '" + mode + "'");
  }
  c.fixed_delay_ms = fixed_delay_ms;
  c.min_delay_ms = min_delay_ms;
  c.max_delay_ms = max_delay_ms;
  c.delay_quantile = delay_quantile;
  c.forget_factor = forget_factor;
  c.time_stretch = time_stretch;
  c.network_delay_ms = network_delay_ms;
  c.packet_capacity = packet_capacity;
  c.max_payload_bytes = max_payload_bytes;
  c.max_packet_ms = max_packet_ms;
  c.sequence.probation = probation;
  c.sequence.max_dropout = max_dropout;
  c.sequence.max_misorder = max_misorder;
  return ivrm_py::create([&] { return std::make_unique<PyJitterBuffer>(c); });
}

// The reason a datagram the buffer refused as truncated / malformed was refused.
[[noreturn]] void raise_refused(std::span<const std::uint8_t> datagram) {
  rtp::PacketView v;
  rtp::ParseError why = rtp::ParseError::none;
  if (rtp::parse(datagram, &v, &why) != Status::ok) {
    ivrm_py::raise_malformed(std::string("not an RTP packet: ") + rtp::describe(why),
                             ivrm_py::parse_error_name(why));
  }
  ivrm_py::raise_malformed("payload of " + std::to_string(v.payload.size()) +
                               " bytes does not fit payload type " +
                               std::to_string(v.payload_type) + "'s format",
                           "bad_payload");
}

bool push(PyJitterBuffer& self, const py::object& datagram, std::int64_t arrival_us) {
  const Bytes b = bytes_of(datagram, "datagram");
  const Exclusive lock(self.busy, "JitterBuffer");
  const Status s = self.buffer.push(b.span, arrival_us);
  if (s == Status::ok) return true;
  if (s == Status::unsupported) return false;
  if (s == Status::truncated || s == Status::malformed) raise_refused(b.span);
  ivrm_py::raise_status(s, "push");
}

template <typename T>
py::tuple pull_as(PyJitterBuffer& self, const std::optional<std::int64_t>& now_us) {
  py::array_t<T> out(static_cast<py::ssize_t>(self.buffer.frame_samples()));
  auto pcm = ivrm_py::view(out);
  jitter::FrameInfo info;
  ivrm_py::run_unlocked("pull", [&] {
    return now_us ? self.buffer.pull(pcm, *now_us, &info) : self.buffer.pull(pcm, &info);
  });
  return py::make_tuple(out, info);
}

py::tuple pull(PyJitterBuffer& self, const std::optional<std::int64_t>& now_us,
               const py::object& dtype) {
  const bool as_float = ivrm_py::wants_float(dtype);
  const Exclusive lock(self.busy, "JitterBuffer");
  return as_float ? pull_as<float>(self, now_us) : pull_as<std::int16_t>(self, now_us);
}

py::list events(PyJitterBuffer& self) {
  const Exclusive lock(self.busy, "JitterBuffer");
  std::array<rtp::TelephoneEvent, 16> buf;
  py::list out;
  for (std::size_t n; (n = self.buffer.read_events(buf)) > 0;) {
    for (const py::handle e : ivrm_py::event_list(std::span(buf).first(n), self.event_clock_hz))
      out.append(e);
  }
  return out;
}

}  // namespace

void bind_jitter(py::module_& m) {
  Record<jitter::FrameInfo>(m, "FrameInfo", "What JitterBuffer.pull made of one frame.")
      .computed(
          "kind", [](const jitter::FrameInfo& i) { return kind_name(i.kind); },
          "'normal' (decoded as sent, FEC included), 'concealed', 'accelerated' (time-\n"
          "compressed), 'expanded' (time-stretched), 'merged' (first audio after concealment)\n"
          "or 'cng' (nothing to play by design: before the first packet, DTX, a pause).")
      .computed(
          "rtp_timestamp",
          [](const jitter::FrameInfo& i) -> std::optional<std::uint32_t> {
            if (!i.has_timestamp) return std::nullopt;
            return i.rtp_timestamp;
          },
          "RTP timestamp of the packet audio at the frame's first sample, or None when the\n"
          "frame does not start with decoded audio.")
      .field("delay_ms", &jitter::FrameInfo::delay_ms,
             "Buffered audio ahead of the playout point, before this frame.")
      .field("target_delay_ms", &jitter::FrameInfo::target_delay_ms, "The delay aimed at.")
      .finish();

  using S = jitter::Statistics;
  Record<S>(m, "JitterStatistics",
            "JitterBuffer statistics since creation or reset(): packet counts (RFC 3550 A.1/\n"
            "A.3), delay, RFC 3550 interarrival jitter, RFC 3611 burst/gap metrics, the ITU-T\n"
            "G.107 E-model estimate, and output samples by how they were made.")
      .field("received", &S::received, "Audio packets accepted (unique).")
      .field("lost", &S::lost, "expected - received over the call (RFC 3550 A.3).")
      .field("late", &S::late, "Arrived after their audio was due: dropped.")
      .field("duplicates", &S::duplicates, "Copies dropped.")
      .field("reordered", &S::reordered, "Arrived behind a later packet (played if in time).")
      .field("overflow", &S::overflow, "Dropped: the packet store was full.")
      .field("oversized", &S::oversized, "Payload over max_payload_bytes.")
      .field("malformed", &S::malformed, "Failed RTP parsing or the decoder's size check.")
      .field("unknown_payload", &S::unknown_payload, "Payload type not configured.")
      .field("bad_sequence", &S::bad_sequence, "Implausible sequence jumps dropped.")
      .field("event_packets", &S::event_packets, "RFC 4733 packets.")
      .field("comfort_noise_packets", &S::comfort_noise_packets, "RFC 3389 packets.")
      .field("restarts", &S::restarts, "Stream restarts (new SSRC, resynchronization).")
      .field("loss_rate", &S::loss_rate, "lost / expected.")
      .field("discard_rate", &S::discard_rate, "(late + overflow) / expected.")
      .field("buffered_packets", &S::buffered_packets, "Packets held now.")
      .field("current_delay_ms", &S::current_delay_ms, "Buffered audio now.")
      .field("target_delay_ms", &S::target_delay_ms, "Delay aimed at now.")
      .field("interarrival_jitter_ms", &S::interarrival_jitter_ms, "RFC 3550 section 6.4.1.")
      .field("interarrival_jitter_units", &S::interarrival_jitter_units,
             "The same in RTP units, as RTCP carries it.")
      .field("burst_density", &S::burst_density, "RFC 3611: lost + discarded share in bursts.")
      .field("gap_density", &S::gap_density, "RFC 3611: and in gaps.")
      .field("burst_duration_ms", &S::burst_duration_ms, "RFC 3611: mean burst duration.")
      .field("gap_duration_ms", &S::gap_duration_ms, "RFC 3611: mean gap duration.")
      .field("burst_ratio", &S::burst_ratio, "G.107 BurstR (1: random loss).")
      .field("r_factor", &S::r_factor, "G.107 transmission rating R (G.107.1 for wideband).")
      .field("mos", &S::mos, "G.107 MOS-CQE.")
      .field("wideband_rating", &S::wideband_rating, "R is on G.107.1's wideband scale.")
      .field("samples_played", &S::samples_played, "Output samples.")
      .field("samples_concealed", &S::samples_concealed, "Made by loss concealment.")
      .field("samples_fec", &S::samples_fec, "Recovered from opus FEC (in normal audio).")
      .field("samples_accelerated", &S::samples_accelerated, "Removed by accelerate.")
      .field("samples_expanded", &S::samples_expanded, "Added by expand.")
      .field("samples_cng", &S::samples_cng, "Silence or comfort noise.")
      .field("frames", &S::frames, "Frames pulled.")
      .computed(
          "frames_by_kind",
          [](const S& s) {
            py::dict d;
            for (const jitter::FrameKind k : kKinds)
              d[kind_name(k)] = s.frames_by_kind[static_cast<std::size_t>(k)];
            return d;
          },
          "Frames by FrameInfo.kind, as a dict.")
      .finish();

  using U = jitter::Usage;
  Record<U>(m, "JitterUsage", "What the call used, exact to the packet (billing records).")
      .field("packets", &U::packets, "Datagrams that parsed (audio, events, comfort noise).")
      .field("bytes", &U::bytes, "Their sizes (RTP header and payload).")
      .field("audio_packets", &U::audio_packets, "Unique audio packets.")
      .field("media_samples_received", &U::media_samples_received,
             "Their duration at the output rate.")
      .field("samples_played", &U::samples_played, "Every pulled sample, silence included.")
      .computed(
          "first_packet_us",
          [](const U& u) -> std::optional<std::int64_t> {
            if (!u.any_packet) return std::nullopt;
            return u.first_packet_us;
          },
          "Arrival of the first accepted datagram, or None.")
      .computed(
          "last_packet_us",
          [](const U& u) -> std::optional<std::int64_t> {
            if (!u.any_packet) return std::nullopt;
            return u.last_packet_us;
          },
          "Arrival of the last accepted datagram, or None.")
      .field("sample_rate_hz", &U::sample_rate_hz, "Output rate.")
      .computed("seconds_received", &U::seconds_received, "media_samples_received in seconds.")
      .computed("seconds_played", &U::seconds_played, "samples_played in seconds.")
      .finish();

  const jitter::Config d;
  py::class_<PyJitterBuffer>(
      m, "JitterBuffer",
      "The RTP receive path of one call: datagrams in as they arrive, one frame of smooth\n"
      "audio out per tick (adaptive delay, time stretching, loss concealment, opus FEC,\n"
      "RFC 4733 events beside the audio).\n\n"
      "sample_rate_hz is the output rate (8000, 16000 or 48000; every format must decode at\n"
      "it: G.711 8000, G722 16000, opus any), frame_ms the samples per pull (10, 20, 30, 40).\n"
      "payloads maps payload types to formats as SDP's rtpmap names them: 'PCMU',\n"
      "'opus/48000/2', 'L16/16000/1', or a (name, clock, channels) tuple; default\n"
      "{0: 'PCMU', 8: 'PCMA'}. telephone_event_payload_type (e.g. 101) enables RFC 4733 on\n"
      "that type with telephone_event_clock_hz; comfort_noise_payload_type is RFC 3389's (None\n"
      "for none). mode 'adaptive' keeps the delay at the delay_quantile of recent packets'\n"
      "relative delay plus one packet, within [min_delay_ms, max_delay_ms]; 'fixed' holds\n"
      "fixed_delay_ms. network_delay_ms feeds the E-model's mouth-to-ear delay. The remaining\n"
      "keywords bound memory (packet_capacity, max_payload_bytes, max_packet_ms) and set RFC\n"
      "3550 A.1 sequence limits. ValueError for an impossible config, with the reason.")
      .def(py::init(&make_buffer), py::arg("sample_rate_hz") = d.sample_rate_hz,
           py::arg("frame_ms") = d.frame_ms, py::kw_only(), py::arg("payloads") = py::none(),
           py::arg("telephone_event_payload_type") = py::none(),
           py::arg("telephone_event_clock_hz") = d.telephone_event_clock_hz,
           py::arg("comfort_noise_payload_type") = d.comfort_noise_payload_type,
           py::arg("event_end_timeout_ms") = d.event_end_timeout_ms, py::arg("mode") = "adaptive",
           py::arg("fixed_delay_ms") = d.fixed_delay_ms, py::arg("min_delay_ms") = d.min_delay_ms,
           py::arg("max_delay_ms") = d.max_delay_ms, py::arg("delay_quantile") = d.delay_quantile,
           py::arg("forget_factor") = d.forget_factor, py::arg("time_stretch") = d.time_stretch,
           py::arg("network_delay_ms") = d.network_delay_ms,
           py::arg("packet_capacity") = d.packet_capacity,
           py::arg("max_payload_bytes") = d.max_payload_bytes,
           py::arg("max_packet_ms") = d.max_packet_ms, py::arg("probation") = d.sequence.probation,
           py::arg("max_dropout") = d.sequence.max_dropout,
           py::arg("max_misorder") = d.sequence.max_misorder)
      .def("push", &push, py::arg("datagram"), py::arg("arrival_us"),
           "One datagram as received (bytes, bytearray, memoryview or a 1-D uint8 array, read\n"
           "in place) with its arrival time in microseconds on the clock pull() uses. Returns\n"
           "True when used (late, duplicate and overflowing packets are used: counted and\n"
           "dropped), False for a payload type not configured (counted in\n"
           "statistics.unknown_payload). Raises MalformedPacket for a datagram that is not RTP\n"
           "or whose payload does not fit its format (counted in statistics.malformed).")
      .def("pull", &pull, py::arg("now_us") = py::none(), py::arg("dtype") = "float32",
           "One frame: (array of frame_samples samples, FrameInfo). now_us is the tick's time\n"
           "on push()'s clock; give it when known (the buffer then knows how long before the\n"
           "tick each packet arrived and holds its delay more tightly). dtype float32 (full\n"
           "scale +-1.0) or int16. The GIL is released while the buffer decodes.")
      .def("events", &events,
           "The RFC 4733 events received since the last call (TelephoneEvent list, oldest\n"
           "first): 'begin' as soon as a key press's first packet arrives, 'end' when it ends.")
      .def_property_readonly(
          "statistics",
          [](PyJitterBuffer& self) {
            const Exclusive lock(self.busy, "JitterBuffer");
            return self.buffer.statistics();
          },
          "A JitterStatistics snapshot.")
      .def_property_readonly(
          "usage",
          [](PyJitterBuffer& self) {
            const Exclusive lock(self.busy, "JitterBuffer");
            return self.buffer.usage();
          },
          "A JitterUsage snapshot.")
      .def_property_readonly(
          "frame_samples", [](const PyJitterBuffer& self) { return self.buffer.frame_samples(); },
          "Samples per pull().")
      .def_property_readonly(
          "sample_rate_hz", [](const PyJitterBuffer& self) { return self.buffer.sample_rate_hz(); },
          "Output sample rate.")
      .def(
          "reset",
          [](PyJitterBuffer& self) {
            const Exclusive lock(self.busy, "JitterBuffer");
            self.buffer.reset();
          },
          "Back to the state after creation (config kept).")
      .def("__repr__", [](const PyJitterBuffer& self) {
        return "JitterBuffer(sample_rate_hz=" + std::to_string(self.buffer.sample_rate_hz()) +
               ", frame_samples=" + std::to_string(self.buffer.frame_samples()) + ")";
      });
}
