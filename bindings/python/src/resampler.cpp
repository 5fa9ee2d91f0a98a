// Resampler binding: ivrmedia.Resampler over resample::Resampler.
//
// Samples go in as NumPy int16 or float32 arrays read in place, 1-D interleaved or 2-D
// (frames, channels); the result has the input's dtype and kind of shape. Every call sizes its
// output with max_output_frames, so the whole input is always consumed (the C++ call is all or
// nothing). The resampler runs without the GIL, one thread at a time per object.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "arrays.hpp"
#include "ivrmedia/resampler.hpp"
#include "objects.hpp"

namespace py = pybind11;
namespace resample = ivrmedia::resample;
using ivrm_py::Exclusive;

namespace {

struct PyResampler {
  explicit PyResampler(const resample::Resampler::Config& c) : r(c) {}
  resample::Resampler r;
  std::atomic<bool> busy{false};
};

const char* kRates = "8000, 16000, 32000, 44100 or 48000";

std::unique_ptr<PyResampler> make_resampler(int input_rate_hz, int output_rate_hz, int channels,
                                            const std::string& quality) {
  for (const auto& [name, hz] :
       {std::pair{"input_rate_hz", input_rate_hz}, std::pair{"output_rate_hz", output_rate_hz}}) {
    if (!resample::Resampler::rate_supported(hz)) {
      throw py::value_error(std::string(name) + " must be " + kRates + ", got " +
                            std::to_string(hz));
    }
  }
  if (channels < 1 || channels > 8) {
    throw py::value_error("channels must be 1..8, got " + std::to_string(channels));
  }
  const resample::Resampler::Config c{.input_rate_hz = input_rate_hz,
                                      .output_rate_hz = output_rate_hz,
                                      .channels = channels,
                                      .quality = ivrm_py::quality_of(quality)};
  return ivrm_py::create([&] { return std::make_unique<PyResampler>(c); });
}

template <typename T>
py::array process_as(PyResampler& self, const py::object& obj) {
  const py::array in = ivrm_py::array_of<T>(obj, "samples", "int16 or float32", 2);
  const auto channels = static_cast<std::size_t>(self.r.config().channels);
  std::size_t frames = 0;
  if (in.ndim() == 2) {
    if (static_cast<std::size_t>(in.shape(1)) != channels) {
      throw py::value_error("samples: expected shape (frames, " + std::to_string(channels) +
                            "), got (" + std::to_string(in.shape(0)) + ", " +
                            std::to_string(in.shape(1)) + ")");
    }
    frames = static_cast<std::size_t>(in.shape(0));
  } else {
    if (static_cast<std::size_t>(in.size()) % channels != 0) {
      throw py::value_error("samples: " + std::to_string(in.size()) +
                            " interleaved samples are not whole frames of " +
                            std::to_string(channels) + " channels");
    }
    frames = static_cast<std::size_t>(in.size()) / channels;
  }
  const Exclusive lock(self.busy, "Resampler");
  const auto out_frames = static_cast<py::ssize_t>(self.r.max_output_frames(frames));
  py::array_t<T> out = in.ndim() == 2
                           ? py::array_t<T>({out_frames, static_cast<py::ssize_t>(channels)})
                           : py::array_t<T>(out_frames * static_cast<py::ssize_t>(channels));
  const auto src = ivrm_py::view<T>(in);
  const auto dst = ivrm_py::view(out);
  ivrm_py::run_unlocked("process", [&] { return self.r.process(src, dst, nullptr); });
  return out;
}

py::array process(PyResampler& self, const py::object& obj) {
  if (py::isinstance<py::array_t<float>>(obj)) return process_as<float>(self, obj);
  return process_as<std::int16_t>(self, obj);
}

}  // namespace

void bind_resampler(py::module_& m) {
  py::class_<PyResampler>(
      m, "Resampler",
      "Streaming sample-rate converter for one stream of interleaved frames.\n\n"
      "input_rate_hz and output_rate_hz are each 8000, 16000, 32000, 44100 or 48000 (any pair,\n"
      "the identity included); channels is 1..8. quality is a preset ('fast', 'standard',\n"
      "'high'): flat within 0.1 dB up to 0.80 / 0.90 / 0.95 of the lower rate's Nyquist\n"
      "frequency, aliases and images at least 80 / 100 / 120 dB down, and a group delay of about\n"
      "24 / 56 / 132 samples at the lower rate (latency_seconds gives the exact figure).\n"
      "Sample accounting is exact: after n input frames in total, exactly\n"
      "floor(n * output_rate_hz / input_rate_hz) output frames have come out, whatever the\n"
      "chunking, and the samples do not depend on it. Raises ValueError for an unsupported\n"
      "rate, channel count or quality.")
      .def(py::init(&make_resampler), py::arg("input_rate_hz"), py::arg("output_rate_hz"),
           py::arg("channels") = 1, py::arg("quality") = "standard")
      .def("process", &process, py::arg("samples"),
           "Converts a C-contiguous int16 or float32 array (float full scale +-1.0), 1-D\n"
           "interleaved or 2-D (frames, channels), and returns every output frame it gives: an\n"
           "array of the same dtype and kind of shape with max_output_frames(frames) frames.\n"
           "The whole input is consumed. The first output frames are the filter's ramp (about\n"
           "latency_output_frames of them), and the last input frames stay in the filter until\n"
           "more input (or silence) follows; ivrmedia.resample() does both for a whole signal.\n"
           "TypeError for another dtype, ValueError for another shape or layout. The GIL is\n"
           "released while the resampler runs.")
      .def(
          "max_output_frames",
          [](PyResampler& self, std::int64_t frames) {
            if (frames < 0) throw py::value_error("frames must be >= 0");
            const Exclusive lock(self.busy, "Resampler");
            return self.r.max_output_frames(static_cast<std::size_t>(frames));
          },
          py::arg("frames"),
          "Exactly the frames the next process() call returns for `frames` input frames:\n"
          "floor((consumed + frames) * out / in) - floor(consumed * out / in).")
      .def(
          "reset",
          [](PyResampler& self) {
            const Exclusive lock(self.busy, "Resampler");
            self.r.reset();
          },
          "Back to a new stream (silence before it, counters at zero); settings are kept.")
      .def_property_readonly(
          "latency_seconds", [](const PyResampler& self) { return self.r.latency_seconds(); },
          "Group delay of the conversion in seconds (the filters are linear phase).")
      .def_property_readonly(
          "latency_output_frames",
          [](const PyResampler& self) { return self.r.latency_output_frames(); },
          "Group delay in output frames (fractional): output frame j holds the input at time\n"
          "j / output_rate_hz - latency_seconds.")
      .def_property_readonly("input_rate_hz",
                             [](const PyResampler& self) { return self.r.config().input_rate_hz; })
      .def_property_readonly("output_rate_hz",
                             [](const PyResampler& self) { return self.r.config().output_rate_hz; })
      .def_property_readonly("channels",
                             [](const PyResampler& self) { return self.r.config().channels; })
      .def_property_readonly(
          "quality",
          [](const PyResampler& self) {
            return std::string(ivrm_py::quality_name(self.r.config().quality));
          },
          "'fast', 'standard' or 'high'.")
      .def("__repr__", [](const PyResampler& self) {
        const auto& c = self.r.config();
        return "Resampler(" + std::to_string(c.input_rate_hz) + ", " +
               std::to_string(c.output_rate_hz) + ", channels=" + std::to_string(c.channels) +
               ", quality='" + ivrm_py::quality_name(c.quality) + "')";
      });
}
