// RTP bindings (ivrmedia.rtp): parse into an owning Packet, Builder, SequenceTracker, the
// RFC 4733 telephone-event receiver and sender, and the RFC 3550 interarrival jitter.
//
// These calls are short (a header, a few counters), so they keep the GIL: releasing it would
// cost more than the work. Datagrams and payloads go in as any contiguous byte buffer and come
// out as `bytes`; a Packet owns copies of its parts (the C++ PacketView points into the
// datagram, which Python may free). Statuses become exceptions: MalformedPacket (a ValueError)
// for a datagram that is not RTP, ValueError for arguments out of range, RuntimeError for a
// call in the wrong state.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "ivrmedia/call_quality.hpp"
#include "ivrmedia/rtp.hpp"
#include "ivrmedia/rtp_sequence.hpp"
#include "ivrmedia/telephone_event.hpp"
#include "objects.hpp"
#include "records.hpp"
#include "rtp_types.hpp"

namespace py = pybind11;
namespace rtp = ivrmedia::rtp;
using ivrm_py::Bytes;
using ivrm_py::bytes_of;
using ivrm_py::create;
using ivrm_py::raise_status;
using ivrm_py::Record;
using ivrm_py::unsigned_arg;
using ivrmedia::Status;

namespace ivrm_py {

namespace {
py::handle malformed_type;  // ivrmedia._ivrmedia.MalformedPacket, alive as long as the module
}  // namespace

void raise_malformed(const std::string& message, const char* reason) {
  py::object e = py::reinterpret_borrow<py::object>(malformed_type)(message);
  e.attr("reason") = py::str(reason);
  PyErr_SetObject(malformed_type.ptr(), e.ptr());
  throw py::error_already_set();
}

const char* parse_error_name(rtp::ParseError e) {
  switch (e) {
    case rtp::ParseError::none:
      return "none";
    case rtp::ParseError::too_short:
      return "too_short";
    case rtp::ParseError::bad_version:
      return "bad_version";
    case rtp::ParseError::csrc_overrun:
      return "csrc_overrun";
    case rtp::ParseError::extension_overrun:
      return "extension_overrun";
    case rtp::ParseError::bad_padding:
      return "bad_padding";
    case rtp::ParseError::bad_extension_element:
      return "bad_extension_element";
  }
  return "unknown";
}

}  // namespace ivrm_py

namespace {

using ivrm_py::parse_error_name;

py::bytes to_bytes(std::span<const std::uint8_t> s) {
  return {reinterpret_cast<const char*>(s.data()), static_cast<py::ssize_t>(s.size())};
}

// A parsed packet that owns its parts.
struct Packet {
  bool marker = false;
  int payload_type = 0;
  int sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  std::vector<std::uint32_t> csrcs;
  std::optional<int> extension_profile;  // None without the X bit
  std::string extension_form = "none";
  py::bytes extension_data;
  std::vector<std::pair<int, py::bytes>> extensions;  // RFC 8285 elements
  py::bytes payload;
  int padding_bytes = 0;
  std::size_t size = 0;
};

const char* form_name(rtp::ExtensionForm f) {
  switch (f) {
    case rtp::ExtensionForm::one_byte:
      return "one_byte";
    case rtp::ExtensionForm::two_byte:
      return "two_byte";
    case rtp::ExtensionForm::other:
      return "other";
    default:
      return "none";
  }
}

// Parses a datagram, raising MalformedPacket with the reason. `view` gets the zero-copy view.
rtp::PacketView parse_view(std::span<const std::uint8_t> datagram) {
  rtp::PacketView v;
  rtp::ParseError why = rtp::ParseError::none;
  if (rtp::parse(datagram, &v, &why) != Status::ok) {
    ivrm_py::raise_malformed(std::string("not an RTP packet: ") + rtp::describe(why) + " (" +
                                 std::to_string(datagram.size()) + " bytes)",
                             parse_error_name(why));
  }
  return v;
}

Packet packet_of(const rtp::PacketView& v, std::size_t size) {
  Packet p;
  p.marker = v.marker;
  p.payload_type = v.payload_type;
  p.sequence = v.sequence;
  p.timestamp = v.timestamp;
  p.ssrc = v.ssrc;
  for (std::size_t i = 0; i < v.csrc_count(); ++i)
    p.csrcs.push_back(v.csrc(i));
  if (v.has_extension) p.extension_profile = v.extension_profile;
  p.extension_form = form_name(rtp::extension_form(v));
  p.extension_data = to_bytes(v.extension_data);
  (void)rtp::for_each_extension(v, [&](const rtp::ExtensionElement& e) {
    p.extensions.emplace_back(e.id, to_bytes(e.data));
  });
  p.payload = to_bytes(v.payload);
  p.padding_bytes = v.padding_bytes;
  p.size = size;
  return p;
}

Packet parse(const py::object& datagram) {
  const Bytes b = bytes_of(datagram, "datagram");
  return packet_of(parse_view(b.span), b.span.size());
}

// --- Builder ---------------------------------------------------------------------------------

struct PyBuilder {
  explicit PyBuilder(const rtp::Builder::Config& c) : builder(c) {}
  rtp::Builder builder;
  std::vector<std::uint8_t> out;
};

std::unique_ptr<PyBuilder> make_builder(int payload_type, int clock_rate_hz,
                                        const std::optional<std::uint64_t>& seed,
                                        const std::optional<std::int64_t>& ssrc,
                                        const std::optional<std::int64_t>& first_sequence,
                                        const std::optional<std::int64_t>& first_timestamp) {
  rtp::Builder::Config c;
  if (seed) c = rtp::Builder::random_config(payload_type, clock_rate_hz, *seed);
  c.payload_type = payload_type;
  c.clock_rate_hz = clock_rate_hz;
  if (ssrc) c.ssrc = unsigned_arg(*ssrc, 32, "ssrc");
  if (first_sequence) {
    c.first_sequence =
        static_cast<std::uint16_t>(unsigned_arg(*first_sequence, 16, "first_sequence"));
  }
  if (first_timestamp) c.first_timestamp = unsigned_arg(*first_timestamp, 32, "first_timestamp");
  return create([&] { return std::make_unique<PyBuilder>(c); });
}

// Extension elements from None, a dict {id: data} or an iterable of (id, data) pairs. The spans
// point into `keep`, which must outlive their use.
std::vector<rtp::ExtensionElement> elements_of(const py::object& obj, std::vector<Bytes>& keep) {
  std::vector<rtp::ExtensionElement> out;
  if (obj.is_none()) return out;
  const py::object items = py::isinstance<py::dict>(obj) ? obj.attr("items")() : obj;
  for (const py::handle item : items) {
    const auto pair = py::cast<py::sequence>(item);
    if (pair.size() != 2) throw py::value_error("extensions: expected (id, data) pairs");
    const int id = py::cast<int>(pair[0]);
    keep.push_back(bytes_of(pair[1], "extension data"));
    out.push_back({id, {}});
  }
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i].data = keep[i].span;
  return out;
}

py::bytes build(PyBuilder& self, const py::object& payload, std::int64_t rtp_units, bool marker,
                const py::object& extensions) {
  const Bytes p = bytes_of(payload, "payload");
  const std::uint32_t units = unsigned_arg(rtp_units, 32, "rtp_units");
  std::vector<Bytes> keep;
  keep.reserve(py::isinstance<py::sequence>(extensions) ? py::len(extensions) : 16);
  const auto ext = elements_of(extensions, keep);
  const std::size_t size = self.builder.packet_size(p.span.size(), ext);
  if (size == 0) {
    throw py::value_error(
        "extensions: an element fits neither RFC 8285 form (IDs 1-255, data 0-255 bytes; the "
        "one-byte form needs IDs 1-14 and 1-16 bytes)");
  }
  self.out.resize(size);
  std::size_t written = 0;
  if (const Status s = self.builder.build(p.span, units, marker, ext, self.out, &written);
      s != Status::ok) {
    raise_status(s, "build");
  }
  return to_bytes(std::span(self.out).first(written));
}

py::bytes build_at(PyBuilder& self, int payload_type, const py::object& payload,
                   std::int64_t timestamp, bool marker) {
  const Bytes p = bytes_of(payload, "payload");
  const std::uint32_t ts = unsigned_arg(timestamp, 32, "timestamp");
  if (payload_type < 0 || payload_type > 127) {
    throw py::value_error("payload_type must be 0..127, got " + std::to_string(payload_type));
  }
  self.out.resize(self.builder.packet_size(p.span.size()));
  std::size_t written = 0;
  if (const Status s = self.builder.build_at(payload_type, p.span, ts, marker, self.out, &written);
      s != Status::ok) {
    raise_status(s, "build_at");
  }
  return to_bytes(std::span(self.out).first(written));
}

// --- SequenceTracker -------------------------------------------------------------------------

const char* verdict_name(rtp::SequenceTracker::Verdict v) {
  using V = rtp::SequenceTracker::Verdict;
  switch (v) {
    case V::in_order:
      return "in_order";
    case V::reordered:
      return "reordered";
    case V::duplicate:
      return "duplicate";
    case V::probation:
      return "probation";
    case V::restarted:
      return "restarted";
    case V::bad_jump:
      return "bad_jump";
  }
  return "unknown";
}

// --- Telephone events ------------------------------------------------------------------------

const char* cause_name(rtp::TelephoneEvent::EndCause c) {
  using C = rtp::TelephoneEvent::EndCause;
  switch (c) {
    case C::none:
      return "none";
    case C::end_bit:
      return "end_bit";
    case C::timeout:
      return "timeout";
    case C::new_event:
      return "new_event";
    case C::flushed:
      return "flushed";
  }
  return "unknown";
}

std::optional<std::string> digit_of(int code) {
  const char c = rtp::event_char(code);
  if (c == 0) return std::nullopt;
  return std::string(1, c);
}

struct EventReceiver {
  explicit EventReceiver(const rtp::TelephoneEventReceiver::Config& c) : receiver(c) {}
  rtp::TelephoneEventReceiver receiver;
};

py::list drain(EventReceiver& self) {
  std::array<rtp::TelephoneEvent, 16> buf;
  py::list out;
  for (std::size_t n; (n = self.receiver.read(buf)) > 0;) {
    for (const py::handle e :
         ivrm_py::event_list(std::span(buf).first(n), self.receiver.clock_rate_hz())) {
      out.append(e);
    }
  }
  return out;
}

py::list receiver_push(EventReceiver& self, std::span<const std::uint8_t> payload, int sequence,
                       std::uint32_t timestamp, bool marker, std::int64_t arrival_us) {
  const Status s = self.receiver.push(payload, static_cast<std::uint16_t>(sequence), timestamp,
                                      marker, arrival_us);
  if (s == Status::malformed) {
    throw py::value_error("telephone-event payload of " + std::to_string(payload.size()) +
                          " bytes: RFC 4733 needs at least 4 (counted in stats.malformed)");
  }
  if (s != Status::ok) raise_status(s, "push");
  return drain(self);
}

// rtp::event_code, plus '!' for flash (16) so that it inverts rtp::event_char.
int char_code(const std::string& s) {
  if (s == "!") return rtp::kEventFlash;
  return s.size() == 1 ? rtp::event_code(s[0]) : -1;
}

int code_of(const py::object& event) {
  if (py::isinstance<py::str>(event)) {
    const auto s = py::cast<std::string>(event);
    const int code = char_code(s);
    if (code < 0) {
      throw py::value_error("event must be one of 0-9 * # A-D ! or a code 0-255, got '" + s + "'");
    }
    return code;
  }
  return py::cast<int>(event);
}

// --- E-model ----------------------------------------------------------------------------------

rtp::Codec emodel_codec(const std::string& name) {
  if (name == "g711") return rtp::Codec::g711;
  if (name == "g711_plc") return rtp::Codec::g711_plc;
  if (name == "g722") return rtp::Codec::g722;
  if (name == "opus") return rtp::Codec::opus;
  throw py::value_error("codec must be 'g711', 'g711_plc', 'g722' or 'opus', got '" + name + "'");
}

rtp::Rating emodel_rate(const std::string& codec, double mouth_to_ear_ms,
                        double packet_loss_percent, double burst_ratio, double advantage,
                        const std::optional<double>& talker_echo_ms,
                        const std::optional<double>& round_trip_ms) {
  rtp::EModel::Config config;
  config.advantage = advantage;
  const rtp::EModel model = create([&] { return rtp::EModel(config); });
  rtp::EModel::Conditions c;
  c.codec = rtp::codec_impairment(emodel_codec(codec));
  c.mouth_to_ear_ms = mouth_to_ear_ms;
  c.packet_loss_percent = packet_loss_percent;
  c.burst_ratio = burst_ratio;
  c.talker_echo_ms = talker_echo_ms.value_or(-1.0);
  c.round_trip_ms = round_trip_ms.value_or(-1.0);
  return model.rate(c);
}

struct EventPacket {
  py::bytes payload;
  std::uint32_t timestamp = 0;
  bool marker = false;
  bool end = false;
};

}  // namespace

void bind_rtp(py::module_& m) {
  ivrm_py::malformed_type =
      PyErr_NewExceptionWithDoc("ivrmedia._ivrmedia.MalformedPacket",
                                "A datagram that is not a valid RTP packet (a ValueError). "
                                "`reason` names why: 'too_short', 'bad_version', "
                                "'csrc_overrun', 'extension_overrun', 'bad_padding', "
                                "or 'bad_payload' (the packet parsed "
                                "but its payload does not fit its format).",
                                PyExc_ValueError, nullptr);
  if (!ivrm_py::malformed_type) throw py::error_already_set();
  m.attr("MalformedPacket") = ivrm_py::malformed_type;  // the module keeps a reference too

  // --- Packet, parse -------------------------------------------------------------------------
  Record<Packet>(m, "Packet",
                 "One RTP packet (RFC 3550 section 5.1) parsed by rtp_parse; owns copies of its "
                 "parts.")
      .field("marker", &Packet::marker, "M bit (first packet of a talkspurt).")
      .field("payload_type", &Packet::payload_type, "0-127.")
      .field("sequence", &Packet::sequence, "16-bit sequence number.")
      .field("timestamp", &Packet::timestamp, "32-bit RTP timestamp.")
      .field("ssrc", &Packet::ssrc, "Synchronization source.")
      .field("csrcs", &Packet::csrcs, "Contributing sources (list of int, up to 15).")
      .field("extension_profile", &Packet::extension_profile,
             "The extension header's 16-bit profile (0xBEDE: RFC 8285 one-byte form), or None "
             "without the X bit.")
      .field("extension_form", &Packet::extension_form,
             "'none', 'one_byte', 'two_byte' (RFC 8285) or 'other' (raw extension_data).")
      .field("extension_data", &Packet::extension_data,
             "The extension block after its 4-byte header, raw (b'' without the X bit).")
      .field("extensions", &Packet::extensions,
             "RFC 8285 elements as (id, data) tuples, in order, padding skipped; an element "
             "running past the block ends the list (the packet itself is still good).")
      .field("payload", &Packet::payload, "The payload (between headers and padding).")
      .field("padding_bytes", &Packet::padding_bytes, "Padding count with the P bit, else 0.")
      .field("size", &Packet::size, "Datagram size in bytes.")
      .finish();

  m.def("rtp_parse", &parse, py::arg("datagram"),
        "Parses one RTP datagram (bytes, bytearray, memoryview or a 1-D uint8 array) into a\n"
        "Packet. Raises MalformedPacket (a ValueError) with `reason` for a datagram that is not\n"
        "valid RTP; never reads outside it.");

  // --- Builder -------------------------------------------------------------------------------
  py::class_<PyBuilder>(
      m, "Builder",
      "Writes the packets of one outbound RTP stream (one SSRC).\n\n"
      "payload_type 0-127, clock_rate_hz the RTP clock (codec rtp_clock_hz: 8000 for G722,\n"
      "48000 for opus). With `seed`, SSRC, first sequence number (below 0x8000) and first\n"
      "timestamp are drawn from it (RFC 3550 sections 5.1 and 8 want them random; take the\n"
      "seed from secrets.randbits(64)); ssrc, first_sequence and first_timestamp override the\n"
      "draw. Without a seed they default to 0. ValueError for an impossible setting.")
      .def(py::init(&make_builder), py::arg("payload_type") = 0, py::arg("clock_rate_hz") = 8000,
           py::kw_only(), py::arg("seed") = py::none(), py::arg("ssrc") = py::none(),
           py::arg("first_sequence") = py::none(), py::arg("first_timestamp") = py::none())
      .def("build", &build, py::arg("payload"), py::arg("rtp_units"), py::arg("marker") = false,
           py::arg("extensions") = py::none(),
           "Returns one packet (bytes) with the current sequence number and timestamp, then\n"
           "advances the sequence by 1 (16-bit wrap) and the timestamp by rtp_units (the\n"
           "payload's duration on the RTP clock, see ivrmedia.codec.rtp_units; 32-bit wrap).\n"
           "extensions: RFC 8285 elements as a dict {id: data} or (id, data) pairs; the\n"
           "one-byte form when every ID is 1-14 and every data 1-16 bytes, else the two-byte\n"
           "form. Put the marker on the first packet of each talkspurt.")
      .def("build_at", &build_at, py::arg("payload_type"), py::arg("payload"), py::arg("timestamp"),
           py::arg("marker") = false,
           "A packet of another payload type on this stream at an explicit timestamp (RFC 4733\n"
           "events keep their onset timestamp; comfort noise). The sequence number advances,\n"
           "the stream's timestamp does not (skip() it over the time the event replaced).")
      .def(
          "packet_size",
          [](const PyBuilder& self, std::size_t payload_bytes, const py::object& extensions) {
            std::vector<Bytes> keep;
            keep.reserve(py::isinstance<py::sequence>(extensions) ? py::len(extensions) : 16);
            return self.builder.packet_size(payload_bytes, elements_of(extensions, keep));
          },
          py::arg("payload_bytes"), py::arg("extensions") = py::none(),
          "Bytes build() would write (0 when the extensions fit neither form).")
      .def(
          "skip",
          [](PyBuilder& self, std::int64_t rtp_units) {
            self.builder.skip(unsigned_arg(rtp_units, 32, "rtp_units"));
          },
          py::arg("rtp_units"),
          "Advances the timestamp over audio that is not sent (silence suppression, DTX); the\n"
          "sequence number does not move. Mark the next packet.")
      .def(
          "set_csrcs",
          [](PyBuilder& self, const std::vector<std::int64_t>& csrcs) {
            std::vector<std::uint32_t> c;
            for (const std::int64_t v : csrcs)
              c.push_back(unsigned_arg(v, 32, "csrc"));
            if (self.builder.set_csrcs(c) != Status::ok) {
              throw py::value_error("set_csrcs: at most 15 CSRCs, got " + std::to_string(c.size()));
            }
          },
          py::arg("csrcs"), "Contributing sources of the following packets (up to 15).")
      .def(
          "reset", [](PyBuilder& self) { self.builder.reset(); },
          "Back to the first sequence number and timestamp, no CSRCs, zeroed counters.")
      .def_property_readonly(
          "ssrc", [](const PyBuilder& self) { return self.builder.ssrc(); }, "The stream's SSRC.")
      .def_property_readonly(
          "payload_type", [](const PyBuilder& self) { return self.builder.payload_type(); },
          "The stream's payload type.")
      .def_property_readonly(
          "clock_rate_hz", [](const PyBuilder& self) { return self.builder.clock_rate_hz(); },
          "RTP clock.")
      .def_property_readonly(
          "next_sequence", [](const PyBuilder& self) { return self.builder.next_sequence(); },
          "Sequence number of the next packet.")
      .def_property_readonly(
          "next_timestamp", [](const PyBuilder& self) { return self.builder.next_timestamp(); },
          "Timestamp of the next build() packet.")
      .def_property_readonly(
          "packets", [](const PyBuilder& self) { return self.builder.stats().packets; },
          "Packets built (RTCP sender report's packet count).")
      .def_property_readonly(
          "payload_octets",
          [](const PyBuilder& self) { return self.builder.stats().payload_octets; },
          "Payload bytes built (RTCP sender report's octet count).")
      .def("__repr__", [](const PyBuilder& self) {
        return "Builder(payload_type=" + std::to_string(self.builder.payload_type()) +
               ", clock_rate_hz=" + std::to_string(self.builder.clock_rate_hz()) +
               ", ssrc=" + std::to_string(self.builder.ssrc()) + ")";
      });

  // --- SequenceTracker -----------------------------------------------------------------------
  using Tracker = rtp::SequenceTracker;
  Record<Tracker::Result>(m, "SequenceResult", "SequenceTracker.update's verdict on one packet.")
      .computed(
          "verdict", [](const Tracker::Result& r) { return verdict_name(r.verdict); },
          "'in_order', 'reordered', 'duplicate', 'probation', 'restarted' or 'bad_jump'.")
      .field("accepted", &Tracker::Result::accepted,
             "True for in_order, reordered and restarted: new audio of the current source.")
      .field("extended_sequence", &Tracker::Result::extended_sequence,
             "Sequence number unwrapped to 64 bits (when accepted or on probation).")
      .field("extended_timestamp", &Tracker::Result::extended_timestamp,
             "Timestamp unwrapped to 64 bits (likewise).")
      .field("generation", &Tracker::Result::generation,
             "Restarts so far: compare extended numbers only within one generation.")
      .field("gap", &Tracker::Result::gap, "in_order: sequence numbers skipped over.")
      .finish();
  Record<Tracker::Stats>(m, "SequenceStats", "SequenceTracker lifetime counters.")
      .field("received", &Tracker::Stats::received, "Unique packets accepted.")
      .field("reordered", &Tracker::Stats::reordered, "Of those, arrived behind the highest.")
      .field("duplicates", &Tracker::Stats::duplicates, "Copies dropped.")
      .field("bad_jumps", &Tracker::Stats::bad_jumps, "Implausible jumps dropped.")
      .field("probation_dropped", &Tracker::Stats::probation_dropped,
             "Probation packets whose source was never confirmed.")
      .field("restarts", &Tracker::Stats::restarts, "Generations after the first.")
      .field("source_changes", &Tracker::Stats::source_changes, "Of those, to a new SSRC.")
      .finish();
  Record<Tracker::Interval>(m, "SequenceInterval",
                            "RFC 3550 A.3 report-block figures since the previous interval().")
      .field("expected", &Tracker::Interval::expected, "Packets expected.")
      .field("received", &Tracker::Interval::received, "Packets received.")
      .field("lost", &Tracker::Interval::lost, "expected - received, 0 when negative.")
      .field("fraction_lost", &Tracker::Interval::fraction_lost, "lost / expected in 1/256.")
      .finish();

  py::class_<Tracker>(
      m, "SequenceTracker",
      "RTP sequence tracking for the source a receiver plays (RFC 3550 appendix A.1, A.3):\n"
      "classifies each packet, unwraps 16-bit sequence numbers and 32-bit timestamps to 64\n"
      "bits, counts loss. probation 1-16, max_dropout 1-32767, max_misorder 1-1023;\n"
      "ValueError outside.")
      .def(py::init([](int probation, int max_dropout, int max_misorder) {
             Tracker::Config c;
             c.probation = probation;
             c.max_dropout = max_dropout;
             c.max_misorder = max_misorder;
             return create([&] { return Tracker(c); });
           }),
           py::arg("probation") = 2, py::arg("max_dropout") = 3000, py::arg("max_misorder") = 100)
      .def(
          "update",
          [](Tracker& t, std::int64_t ssrc, std::int64_t sequence, std::int64_t timestamp) {
            return t.update(unsigned_arg(ssrc, 32, "ssrc"),
                            static_cast<std::uint16_t>(unsigned_arg(sequence, 16, "sequence")),
                            unsigned_arg(timestamp, 32, "timestamp"));
          },
          py::arg("ssrc"), py::arg("sequence"), py::arg("timestamp"),
          "Classifies one packet by its SSRC, sequence number and timestamp.")
      .def(
          "update",
          [](Tracker& t, const Packet& p) {
            return t.update(p.ssrc, static_cast<std::uint16_t>(p.sequence), p.timestamp);
          },
          py::arg("packet"), "Classifies one parsed Packet.")
      .def("interval", &Tracker::interval,
           "SequenceInterval since the previous call (RTCP report block).")
      .def("reset", &Tracker::reset, "Forgets every source, counter and generation.")
      .def_property_readonly("has_source", &Tracker::has_source, "A source is confirmed.")
      .def_property_readonly("ssrc", &Tracker::ssrc, "SSRC of the confirmed source.")
      .def_property_readonly("generation", &Tracker::generation, "Restarts so far.")
      .def_property_readonly("highest_sequence", &Tracker::highest_sequence,
                             "Highest extended sequence number of this generation.")
      .def_property_readonly("latest_timestamp", &Tracker::latest_timestamp,
                             "Extended timestamp of the newest in-order packet.")
      .def_property_readonly("expected", &Tracker::expected,
                             "Packets expected (highest - base + 1 per generation).")
      .def_property_readonly("lost", &Tracker::lost, "expected - received (never negative).")
      .def_property_readonly("stats", &Tracker::stats, "SequenceStats snapshot.");

  // --- Telephone events ----------------------------------------------------------------------
  using ivrm_py::PyTelephoneEvent;
  Record<PyTelephoneEvent>(m, "TelephoneEvent",
                           "An RFC 4733 event: one 'begin' and one 'end' per key press.")
      .computed(
          "phase",
          [](const PyTelephoneEvent& e) {
            return e.event.phase == rtp::TelephoneEvent::Phase::begin ? "begin" : "end";
          },
          "'begin' (first packet of the event arrived) or 'end'.")
      .computed(
          "digit", [](const PyTelephoneEvent& e) { return digit_of(e.event.code); },
          "'0'-'9', '*', '#', 'A'-'D', '!' (flash), or None for other codes.")
      .computed(
          "code", [](const PyTelephoneEvent& e) { return e.event.code; }, "Event code 0-255.")
      .computed(
          "volume", [](const PyTelephoneEvent& e) { return e.event.volume; },
          "Power as -dBm0 (0-63), from the latest packet.")
      .computed(
          "start", [](const PyTelephoneEvent& e) { return e.event.start; },
          "Unwrapped RTP timestamp of the onset (event clock).")
      .computed(
          "duration", [](const PyTelephoneEvent& e) { return e.event.duration; },
          "Event clock units: so far (begin), total (end).")
      .computed(
          "duration_ms",
          [](const PyTelephoneEvent& e) {
            return static_cast<double>(e.event.duration) * 1000.0 / e.clock_rate_hz;
          },
          "duration in milliseconds.")
      .computed(
          "start_lost", [](const PyTelephoneEvent& e) { return e.event.start_lost; },
          "No packet with the marker was seen for this event.")
      .computed(
          "cause", [](const PyTelephoneEvent& e) { return cause_name(e.event.cause); },
          "Why it ended: 'end_bit', 'timeout', 'new_event', 'flushed'; 'none' for begin.")
      .computed(
          "arrival_us", [](const PyTelephoneEvent& e) { return e.event.arrival_us; },
          "Arrival (or poll) time that produced the event.")
      .finish();

  using Receiver = rtp::TelephoneEventReceiver;
  Record<Receiver::Stats>(m, "TelephoneEventStats", "TelephoneEventReceiver counters.")
      .field("packets", &Receiver::Stats::packets, "Accepted packets.")
      .field("malformed", &Receiver::Stats::malformed, "Payloads shorter than 4 bytes.")
      .field("events", &Receiver::Stats::events, "Begins reported.")
      .field("ended_by_bit", &Receiver::Stats::ended_by_bit, "Ends from the E bit.")
      .field("ended_by_timeout", &Receiver::Stats::ended_by_timeout, "Ends by timeout.")
      .field("ended_by_new_event", &Receiver::Stats::ended_by_new_event,
             "Ends because the next event began.")
      .field("ended_by_flush", &Receiver::Stats::ended_by_flush, "Ends by finish().")
      .field("segments", &Receiver::Stats::segments, "Long-event segments joined.")
      .field("retransmitted_ends", &Receiver::Stats::retransmitted_ends,
             "Copies of end packets dropped.")
      .field("stale", &Receiver::Stats::stale, "Late packets of ended events.")
      .field("overflowed", &Receiver::Stats::overflowed, "Events dropped: queue full.")
      .finish();

  py::class_<EventReceiver>(
      m, "TelephoneEventReceiver",
      "RFC 4733 telephone-event receiver: packets of the event payload type in, one 'begin'\n"
      "and one 'end' per key press out, however the packets arrive (lost start or end\n"
      "packets, retransmitted ends, reordering, long-event segments, timestamp wrap).\n"
      "clock_rate_hz is the telephone-event rtpmap clock (1000-192000), end_timeout_ms\n"
      "(20-10000) ends an event whose end packets were all lost, queue_capacity (2-4096)\n"
      "bounds the events held between calls. ValueError outside.")
      .def(py::init([](int clock_rate_hz, int end_timeout_ms, std::size_t queue_capacity) {
             Receiver::Config c;
             c.clock_rate_hz = clock_rate_hz;
             c.end_timeout_ms = end_timeout_ms;
             c.queue_capacity = queue_capacity;
             return create([&] { return std::make_unique<EventReceiver>(c); });
           }),
           py::arg("clock_rate_hz") = 8000, py::arg("end_timeout_ms") = 500,
           py::arg("queue_capacity") = 64)
      .def(
          "push",
          [](EventReceiver& self, const Packet& p, std::int64_t arrival_us) {
            const Bytes b = bytes_of(p.payload, "payload");
            return receiver_push(self, b.span, p.sequence, p.timestamp, p.marker, arrival_us);
          },
          py::arg("packet"), py::arg("arrival_us"),
          "One Packet of the event payload type with its arrival time (microseconds, any\n"
          "epoch); returns the events it produced, oldest first. ValueError for a payload\n"
          "under 4 bytes (counted in stats.malformed, nothing else changes).")
      .def(
          "push",
          [](EventReceiver& self, const py::object& payload, std::int64_t sequence,
             std::int64_t timestamp, bool marker, std::int64_t arrival_us) {
            const Bytes b = bytes_of(payload, "payload");
            return receiver_push(self, b.span,
                                 static_cast<int>(unsigned_arg(sequence, 16, "sequence")),
                                 unsigned_arg(timestamp, 32, "timestamp"), marker, arrival_us);
          },
          py::arg("payload"), py::arg("sequence"), py::arg("timestamp"), py::arg("marker"),
          py::arg("arrival_us"), "The same from the packet's fields.")
      .def(
          "poll",
          [](EventReceiver& self, std::int64_t now_us) {
            self.receiver.poll(now_us);
            return drain(self);
          },
          py::arg("now_us"),
          "Ends the current event if its last packet arrived end_timeout_ms before now_us;\n"
          "returns the events produced.")
      .def(
          "finish",
          [](EventReceiver& self, std::int64_t now_us) {
            self.receiver.finish(now_us);
            return drain(self);
          },
          py::arg("now_us"), "Ends the current event now (cause 'flushed'); returns the events.")
      .def(
          "reset", [](EventReceiver& self) { self.receiver.reset(); },
          "Forgets the current event, the queue and the statistics.")
      .def_property_readonly(
          "active", [](const EventReceiver& self) { return self.receiver.active(); },
          "An event has begun and not ended.")
      .def_property_readonly(
          "clock_rate_hz", [](const EventReceiver& self) { return self.receiver.clock_rate_hz(); },
          "The event clock.")
      .def_property_readonly(
          "stats", [](const EventReceiver& self) { return self.receiver.stats(); },
          "TelephoneEventStats snapshot.");

  Record<EventPacket>(m, "EventPacket", "One RFC 4733 packet's content from TelephoneEventSender.")
      .field("payload", &EventPacket::payload, "The 4-byte event block.")
      .field("timestamp", &EventPacket::timestamp, "The event's (segment's) onset timestamp.")
      .field("marker", &EventPacket::marker, "First packet of the event.")
      .field("end", &EventPacket::end, "E bit set (sent end_repeats times).")
      .finish();

  using Sender = rtp::TelephoneEventSender;
  py::class_<Sender>(
      m, "TelephoneEventSender",
      "Makes the RFC 4733 payloads of one outbound event at a time, one per interval: marker\n"
      "on the first, one onset timestamp, growing duration, 0xFFFF segments, the end packet\n"
      "end_repeats times. Send them with Builder.build_at. clock_rate_hz 1000-192000,\n"
      "interval_ms 5-100, end_repeats 1-10; ValueError outside.")
      .def(py::init([](int clock_rate_hz, int interval_ms, int end_repeats) {
             Sender::Config c;
             c.clock_rate_hz = clock_rate_hz;
             c.interval_ms = interval_ms;
             c.end_repeats = end_repeats;
             return create([&] { return Sender(c); });
           }),
           py::arg("clock_rate_hz") = 8000, py::arg("interval_ms") = 20, py::arg("end_repeats") = 3)
      .def(
          "begin",
          [](Sender& s, const py::object& event, std::int64_t timestamp, int volume) {
            const int code = code_of(event);
            const Status st = s.begin(code, unsigned_arg(timestamp, 32, "timestamp"), volume);
            if (st == Status::bad_state) {
              throw std::runtime_error("begin: another event is being sent; end() it first");
            }
            if (st != Status::ok) raise_status(st, "begin: code 0-255 and volume 0-63");
          },
          py::arg("event"), py::arg("timestamp"), py::arg("volume") = 10,
          "Starts an event: a DTMF character ('0'-'9', '*', '#', 'A'-'D', '!') or a code\n"
          "0-255, with its onset at `timestamp` (the audio stream's current timestamp) and\n"
          "volume in -dBm0 (0-63). RuntimeError while another event is being sent.")
      .def(
          "end",
          [](Sender& s) {
            if (s.end() != Status::ok) {
              throw std::runtime_error("end: no event is being sent (or it is ending already)");
            }
          },
          "The key was released: the next packets are the end packets.")
      .def(
          "next",
          [](Sender& s) -> std::optional<EventPacket> {
            Sender::Packet p;
            if (!s.next(&p)) return std::nullopt;
            return EventPacket{to_bytes(p.payload), p.timestamp, p.marker, p.end};
          },
          "The EventPacket for the interval that just elapsed, or None when idle.")
      .def("reset", &Sender::reset, "Drops the event being sent.")
      .def_property_readonly("active", &Sender::active, "An event is being sent or ended.")
      .def_property_readonly("interval_units", &Sender::interval_units,
                             "Event clock units per packet interval.")
      .def_property_readonly("elapsed", &Sender::elapsed,
                             "Event clock units since the onset (all segments).");

  Record<rtp::EventPayload>(m, "EventPayload", "The first 4-byte block of an RFC 4733 payload.")
      .field("code", &rtp::EventPayload::code, "Event code 0-255.")
      .field("end", &rtp::EventPayload::end, "E bit.")
      .field("volume", &rtp::EventPayload::volume, "-dBm0, 0-63.")
      .field("duration", &rtp::EventPayload::duration, "Event clock units.")
      .finish();
  m.def(
      "rtp_parse_event",
      [](const py::object& payload) {
        const Bytes b = bytes_of(payload, "payload");
        rtp::EventPayload e;
        if (rtp::parse_event(b.span, &e) != Status::ok) {
          throw py::value_error("telephone-event payload of " + std::to_string(b.span.size()) +
                                " bytes: RFC 4733 needs at least 4");
        }
        return e;
      },
      py::arg("payload"), "Reads the first RFC 4733 event block; ValueError under 4 bytes.");
  m.def(
      "rtp_event_char", [](int code) { return digit_of(code); }, py::arg("code"),
      "'0'-'9', '*', '#', 'A'-'D' for codes 0-15, '!' for flash (16), None otherwise.");
  m.def(
      "rtp_event_code",
      [](const std::string& c) {
        const int code = char_code(c);
        if (code < 0) throw py::value_error("not a DTMF event character: '" + c + "'");
        return code;
      },
      py::arg("char"),
      "Code of '0'-'9', '*', '#', 'A'-'D' (any case) or '!'; ValueError otherwise.");

  // --- E-model -------------------------------------------------------------------------------
  Record<rtp::Rating>(m, "Rating", "An ITU-T G.107 E-model rating (rtp.emodel_rating).")
      .computed(
          "scale",
          [](const rtp::Rating& r) {
            return r.scale == rtp::RatingScale::wideband ? "wideband" : "narrowband";
          },
          "'narrowband' (G.107, R up to ~93) or 'wideband' (G.107.1, R up to 129).")
      .field("r", &rtp::Rating::r, "Transmission rating R on the scale.")
      .field("mos", &rtp::Rating::mos, "MOS-CQE from R (G.107 Annex B; G.107.1 for wideband).")
      .field("r_narrowband_equivalent", &rtp::Rating::r_narrowband_equivalent,
             "R for narrowband, R / 1.29 for wideband.")
      .field("ro_minus_is", &rtp::Rating::ro_minus_is, "Ro - Is.")
      .field("id", &rtp::Rating::id, "Delay impairment Idte + Idle + Idd.")
      .field("ie_eff", &rtp::Rating::ie_eff, "Effective equipment impairment (codec and loss).")
      .field("advantage", &rtp::Rating::advantage, "Advantage factor A.")
      .finish();
  m.def("rtp_emodel_rating", &emodel_rate, py::arg("codec"), py::arg("mouth_to_ear_ms") = 0.0,
        py::arg("packet_loss_percent") = 0.0, py::arg("burst_ratio") = 1.0,
        py::arg("advantage") = 0.0, py::arg("talker_echo_ms") = py::none(),
        py::arg("round_trip_ms") = py::none(),
        "ITU-T G.107 E-model rating of one call direction with G.107's default connection:\n"
        "codec 'g711', 'g711_plc' (with Appendix I concealment), 'g722' or 'opus' (G.113\n"
        "impairments; wideband codecs on G.107.1's scale), one-way mouth_to_ear_ms, packet\n"
        "loss (lost + discarded) in percent, BurstR, advantage factor A. Out-of-range\n"
        "conditions are clamped. The jitter buffer's statistics carry the same estimate.");

  // --- Interarrival jitter -------------------------------------------------------------------
  using Jitter = rtp::InterarrivalJitter;
  py::class_<Jitter>(m, "InterarrivalJitter",
                     "RFC 3550 section 6.4.1 interarrival jitter, J += (|D| - J) / 16. Feed\n"
                     "packets in arrival order, skipping duplicates and telephone-event updates;\n"
                     "reset() on a new source. clock_rate_hz is the RTP clock (> 0).")
      .def(
          py::init([](int clock_rate_hz) { return create([&] { return Jitter(clock_rate_hz); }); }),
          py::arg("clock_rate_hz"))
      .def(
          "update",
          [](Jitter& j, std::int64_t rtp_timestamp, std::int64_t arrival_us) {
            j.update(unsigned_arg(rtp_timestamp, 32, "rtp_timestamp"), arrival_us);
          },
          py::arg("rtp_timestamp"), py::arg("arrival_us"),
          "One received packet: RTP timestamp and arrival time in microseconds.")
      .def("reset", &Jitter::reset, "Forgets the previous packet and J.")
      .def_property_readonly("jitter", &Jitter::jitter, "J in RTP units (fractional).")
      .def_property_readonly("rtp_units", &Jitter::rtp_units,
                             "J as RTCP's 32-bit field (truncated).")
      .def_property_readonly("jitter_ms", &Jitter::jitter_ms, "J in milliseconds.")
      .def_property_readonly("packets", &Jitter::packets, "Packets given to update().")
      .def_property_readonly("clock_rate_hz", &Jitter::clock_rate_hz, "RTP clock.");
}
