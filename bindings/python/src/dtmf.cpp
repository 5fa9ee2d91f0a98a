// DTMF bindings: streaming detector, generator and a one-shot detect helper.
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "arrays.hpp"
#include "ivrmedia/dtmf.hpp"

namespace py = pybind11;
namespace dtmf = ivrmedia::dtmf;

namespace {

// Runs the detector over a NumPy array (int16 or float32) without the GIL; returns the events
// that became ready. At most `kBatch` events are collected per call to process(); a detector's
// queue holds what a caller did not read yet.
std::vector<dtmf::Event> process(dtmf::Detector& det, const py::object& obj) {
  const bool is_float = py::isinstance<py::array_t<float>>(obj);
  const py::array pcm = is_float
                            ? ivrm_py::vector_of<float>(obj, "samples", "int16 or float32")
                            : ivrm_py::vector_of<std::int16_t>(obj, "samples", "int16 or float32");
  std::vector<dtmf::Event> events;
  {
    py::gil_scoped_release unlocked;
    // Feed in pieces so the event queue cannot overflow inside one long call.
    const std::size_t n = static_cast<std::size_t>(pcm.size());
    constexpr std::size_t kPiece = 4096;
    dtmf::Event buf[64];
    for (std::size_t i = 0; i < n; i += kPiece) {
      const std::size_t m = std::min(kPiece, n - i);
      if (is_float) {
        det.process(ivrm_py::view<float>(pcm).subspan(i, m));
      } else {
        det.process(ivrm_py::view<std::int16_t>(pcm).subspan(i, m));
      }
      for (std::size_t k; (k = det.read_events(buf)) > 0;)
        events.insert(events.end(), buf, buf + k);
    }
  }
  return events;
}

std::vector<dtmf::Event> drain(dtmf::Detector& det) {
  std::vector<dtmf::Event> events;
  dtmf::Event buf[64];
  for (std::size_t k; (k = det.read_events(buf)) > 0;)
    events.insert(events.end(), buf, buf + k);
  return events;
}

dtmf::Detector make_detector(int sample_rate, double min_level_dbm0, double reverse_twist_db,
                             double normal_twist_db, double max_frequency_error_pct,
                             double max_residual_db, double min_tone_ms, double min_pause_ms) {
  dtmf::Detector::Config c;
  c.sample_rate_hz = sample_rate;
  c.min_level_dbm0 = min_level_dbm0;
  c.reverse_twist_db = reverse_twist_db;
  c.normal_twist_db = normal_twist_db;
  c.max_frequency_error_pct = max_frequency_error_pct;
  c.max_residual_db = max_residual_db;
  c.min_tone_ms = min_tone_ms;
  c.min_pause_ms = min_pause_ms;
  c.event_capacity = dtmf::Detector::kMaxEvents;
  if (dtmf::Detector::validate(c) != ivrmedia::Status::ok) {
    throw py::value_error("DtmfDetector: a setting is outside its bounds (see the docstring)");
  }
  return dtmf::Detector(c);
}

// One masking call for int16 or float32: output of the input's type and length.
template <typename T>
py::array mask(dtmf::Masker& masker, const py::object& obj) {
  const py::array in = ivrm_py::vector_of<T>(obj, "samples", "int16 or float32");
  py::array_t<T> out(in.size());
  auto o = ivrm_py::view(out);
  auto i = ivrm_py::view<T>(in);
  ivrm_py::run_unlocked([&] { return masker.process(i, o); });
  return out;
}

// Threshold names as in the constructor's keyword arguments.
dtmf::Threshold threshold_id(const std::string& name) {
  static const std::pair<const char*, dtmf::Threshold> kNames[] = {
      {"min_level_dbm0", dtmf::Threshold::min_level_dbm0},
      {"reverse_twist_db", dtmf::Threshold::reverse_twist_db},
      {"normal_twist_db", dtmf::Threshold::normal_twist_db},
      {"max_frequency_error_pct", dtmf::Threshold::max_frequency_error_pct},
      {"max_residual_db", dtmf::Threshold::max_residual_db},
      {"min_tone_ms", dtmf::Threshold::min_tone_ms},
      {"min_pause_ms", dtmf::Threshold::min_pause_ms}};
  for (const auto& [n, id] : kNames) {
    if (name == n) return id;
  }
  throw py::value_error("unknown threshold '" + name +
                        "'; one of min_level_dbm0, reverse_twist_db, normal_twist_db, "
                        "max_frequency_error_pct, max_residual_db, min_tone_ms, min_pause_ms");
}

}  // namespace

void bind_dtmf(py::module_& m) {
  const dtmf::Detector::Config d;

  py::class_<dtmf::Event>(m, "DtmfEvent", "A DTMF key-down or key-up event (sample positions).")
      .def_property_readonly(
          "kind",
          [](const dtmf::Event& e) {
            return e.type == dtmf::Event::Type::key_down ? "down" : "up";
          },
          "'down' as soon as the digit is confirmed, 'up' when it ended.")
      .def_property_readonly(
          "digit", [](const dtmf::Event& e) { return std::string(1, e.digit); },
          "'0'-'9', '*', '#', 'A'-'D'.")
      .def_readonly("start", &dtmf::Event::start_sample, "First sample of the tone.")
      .def_readonly("end", &dtmf::Event::end_sample,
                    "One past the last tone sample; -1 for 'down'.")
      .def_readonly("low_dbm0", &dtmf::Event::low_dbm0, "Row (low group) tone level in dBm0.")
      .def_readonly("high_dbm0", &dtmf::Event::high_dbm0, "Column (high group) tone level in dBm0.")
      .def_readonly("twist_db", &dtmf::Event::twist_db, "high_dbm0 - low_dbm0.")
      .def("__repr__", [](const dtmf::Event& e) {
        return std::string("DtmfEvent(kind='") +
               (e.type == dtmf::Event::Type::key_down ? "down" : "up") + "', digit='" + e.digit +
               "', start=" + std::to_string(e.start_sample) +
               ", end=" + std::to_string(e.end_sample) + ")";
      });

  py::class_<dtmf::Detector>(m, "DtmfDetector",
                             "Streaming ITU-T Q.24 DTMF detector for one channel.")
      .def(py::init(&make_detector), py::arg("sample_rate") = d.sample_rate_hz,
           py::arg("min_level_dbm0") = d.min_level_dbm0,
           py::arg("reverse_twist_db") = d.reverse_twist_db,
           py::arg("normal_twist_db") = d.normal_twist_db,
           py::arg("max_frequency_error_pct") = d.max_frequency_error_pct,
           py::arg("max_residual_db") = d.max_residual_db, py::arg("min_tone_ms") = d.min_tone_ms,
           py::arg("min_pause_ms") = d.min_pause_ms)
      .def("process", &process, py::arg("samples"),
           "Feeds int16 or float32 samples (1-D, C-contiguous); returns the events that became\n"
           "ready, oldest first. The GIL is released while the audio is analysed.")
      .def(
          "gap",
          [](dtmf::Detector& det, std::int64_t n) {
            if (n < 0) throw py::value_error("gap: samples must be >= 0");
            det.gap(n);
            return drain(det);
          },
          py::arg("samples"),
          "Audio of `samples` length was lost: advances the clock, ends an active digit;\n"
          "returns the events that became ready.")
      .def("reset", &dtmf::Detector::reset, "Clears the stream: clock 0, no digit, no events.")
      .def(
          "set_threshold",
          [](dtmf::Detector& det, const std::string& name, double value) {
            const dtmf::Threshold id = threshold_id(name);
            if (det.set(id, value) != ivrmedia::Status::ok) {
              double lo = 0, hi = 0, def = 0;
              dtmf::Detector::bounds(id, lo, hi, def);
              throw py::value_error(name + " must be within [" + std::to_string(lo) + ", " +
                                    std::to_string(hi) + "]");
            }
          },
          py::arg("name"), py::arg("value"),
          "Changes a threshold (a constructor keyword) while the detector runs; ValueError\n"
          "outside its bounds (nothing changes then).")
      .def(
          "threshold",
          [](const dtmf::Detector& det, const std::string& name) {
            double v = 0;
            (void)det.get(threshold_id(name), v);
            return v;
          },
          py::arg("name"), "Current value of a threshold.")
      .def_property_readonly("sample_rate",
                             [](const dtmf::Detector& det) { return det.config().sample_rate_hz; })
      .def_property_readonly("max_key_down_latency", &dtmf::Detector::max_key_down_latency,
                             "Upper bound in samples from a tone's start to its 'down' event.")
      .def_property_readonly(
          "digits", [](const dtmf::Detector& det) { return det.stats().digits; },
          "Digits completed so far.");

  py::class_<dtmf::Masker>(m, "DtmfMasker",
                           "Removes DTMF tones from audio (confidential entry) with a fixed "
                           "look-ahead delay.")
      .def(py::init([](int sample_rate, double lookahead_ms, double guard_ms, bool comfort_noise,
                       double comfort_noise_dbm0) {
             dtmf::Masker::Config c;
             c.sample_rate_hz = sample_rate;
             c.lookahead_ms = lookahead_ms;
             c.guard_ms = guard_ms;
             c.comfort_noise = comfort_noise;
             c.comfort_noise_dbm0 = comfort_noise_dbm0;
             c.detector.event_capacity = dtmf::Detector::kMaxEvents;
             if (dtmf::Masker::validate(c) != ivrmedia::Status::ok) {
               throw py::value_error("DtmfMasker: a setting is outside its bounds");
             }
             return dtmf::Masker(c);
           }),
           py::arg("sample_rate") = 8000, py::arg("lookahead_ms") = 40.0, py::arg("guard_ms") = 4.0,
           py::arg("comfort_noise") = false, py::arg("comfort_noise_dbm0") = -65.0)
      .def(
          "process",
          [](dtmf::Masker& mk, const py::object& obj) -> py::array {
            if (py::isinstance<py::array_t<float>>(obj)) return mask<float>(mk, obj);
            return mask<std::int16_t>(mk, obj);
          },
          py::arg("samples"),
          "Returns the same number of samples, delayed by `latency`, tones replaced; int16 in\n"
          "gives int16 out (unmasked samples bit-exact), float32 gives float32.")
      .def_property_readonly("latency", &dtmf::Masker::latency, "Output delay in samples.")
      .def_property_readonly("masked_samples", &dtmf::Masker::masked_samples)
      .def("reset", &dtmf::Masker::reset);

  m.def(
      "generate_dtmf",
      [](const std::string& digits, int sample_rate, double low_dbm0, double twist_db,
         double tone_ms, double pause_ms, double ramp_ms) {
        dtmf::Generator::Config c;
        c.sample_rate_hz = sample_rate;
        c.low_dbm0 = low_dbm0;
        c.twist_db = twist_db;
        c.tone_ms = tone_ms;
        c.pause_ms = pause_ms;
        c.ramp_ms = ramp_ms;
        c.max_queued = dtmf::Generator::kMaxQueued;
        if (dtmf::Generator::validate(c) != ivrmedia::Status::ok) {
          throw py::value_error("generate_dtmf: a setting is outside its bounds");
        }
        dtmf::Generator gen(c);
        const auto per_digit =
            static_cast<std::size_t>(std::lround(tone_ms * sample_rate / 1000.0)) +
            static_cast<std::size_t>(std::lround(pause_ms * sample_rate / 1000.0));
        py::array_t<float> out(static_cast<py::ssize_t>(per_digit * digits.size()));
        auto span = ivrm_py::view(out);
        // Queue in pieces the generator can hold, generating as it drains.
        std::size_t queued = 0, written = 0;
        while (queued < digits.size() || gen.busy()) {
          const std::size_t take = std::min<std::size_t>(digits.size() - queued, 64);
          if (take > 0) {
            if (gen.queue(std::string_view(digits).substr(queued, take)) ==
                ivrmedia::Status::invalid_argument) {
              throw py::value_error("generate_dtmf: digits may only be 0-9 * # A-D");
            }
            queued += take;
          }
          const std::size_t chunk = std::min(span.size() - written, take * per_digit);
          gen.generate(span.subspan(written, chunk));
          written += chunk;
          if (chunk == 0) break;
        }
        return out;
      },
      py::arg("digits"), py::arg("sample_rate") = 8000, py::arg("low_dbm0") = -7.0,
      py::arg("twist_db") = 2.0, py::arg("tone_ms") = 80.0, py::arg("pause_ms") = 80.0,
      py::arg("ramp_ms") = 2.0,
      "Returns float32 audio of `digits`: each a tone of `tone_ms` then `pause_ms` of silence.");
}
