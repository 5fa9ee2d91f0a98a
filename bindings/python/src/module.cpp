// ivrmedia._ivrmedia: the pybind11 extension behind the `ivrmedia` Python package.
//
// Array arguments are taken as plain Python objects (never py::array_t, whose caster would convert
// and copy a mismatched input). We check type, dtype, ndim, contiguity and alignment ourselves,
// read the caller's buffer in place, allocate the result once, and run the kernel with the GIL
// released.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

#include "arrays.hpp"
#include "ivrmedia/core.hpp"
#include "ivrmedia/g711.hpp"

namespace py = pybind11;

namespace {

using ivrm_py::check;
using ivrm_py::run_unlocked;
using ivrm_py::vector_of;
using ivrm_py::view;
using ivrmedia::Status;
using ivrmedia::g711::Law;

py::array_t<std::uint8_t> encode(const py::object& obj, Law law) {
  const bool is_float = py::isinstance<py::array_t<float>>(obj);
  const py::array pcm = is_float ? vector_of<float>(obj, "pcm", "int16 or float32")
                                 : vector_of<std::int16_t>(obj, "pcm", "int16 or float32");
  py::array_t<std::uint8_t> out(pcm.size());
  auto out_span = view(out);
  if (is_float) {
    auto in = view<float>(pcm);
    run_unlocked([&] { return ivrmedia::g711::encode(law, in, out_span); });
  } else {
    auto in = view<std::int16_t>(pcm);
    run_unlocked([&] { return ivrmedia::g711::encode(law, in, out_span); });
  }
  return out;
}

py::array decode(const py::object& obj, Law law, bool as_float) {
  const py::array codes = vector_of<std::uint8_t>(obj, "codes", "uint8");
  auto in = view<std::uint8_t>(codes);
  if (as_float) {
    py::array_t<float> out(codes.size());
    auto out_span = view(out);
    run_unlocked([&] { return ivrmedia::g711::decode(law, in, out_span); });
    return out;
  }
  py::array_t<std::int16_t> out(codes.size());
  auto out_span = view(out);
  run_unlocked([&] { return ivrmedia::g711::decode(law, in, out_span); });
  return out;
}

py::array_t<std::uint8_t> transcode(const py::object& obj, Law from_law) {
  const py::array codes = vector_of<std::uint8_t>(obj, "codes", "uint8");
  auto in = view<std::uint8_t>(codes);
  py::array_t<std::uint8_t> out(codes.size());
  auto out_span = view(out);
  run_unlocked([&] { return ivrmedia::g711::transcode(from_law, in, out_span); });
  return out;
}

}  // namespace

void bind_dtmf(py::module_& m);        // dtmf.cpp
void bind_codec(py::module_& m);       // codec.cpp
void bind_resampler(py::module_& m);   // resampler.cpp
void bind_transcoder(py::module_& m);  // transcoder.cpp
void bind_rtp(py::module_& m);         // rtp.cpp
void bind_jitter(py::module_& m);      // jitter.cpp
void bind_netsim(py::module_& m);      // netsim.cpp
void bind_mix(py::module_& m);         // mix.cpp

PYBIND11_MODULE(_ivrmedia, m) {
  m.doc() = "ivrmedia C++ core (pybind11). Use the `ivrmedia` package rather than this module.";

  m.def(
      "version", [] { return std::string(ivrmedia::version()); },
      "Version of the linked C++ library, 'MAJOR.MINOR.PATCH'.");
  m.def(
      "best_simd_level",
      [] { return std::string(ivrmedia::simd_name(ivrmedia::best_simd_level())); },
      "Best kernel instruction set this CPU runs: 'scalar' or 'avx2'.");

  py::enum_<Law>(m, "Law", "G.711 companding law.")
      .value("mulaw", Law::mulaw, "mu-law (PCMU)")
      .value("alaw", Law::alaw, "A-law (PCMA)");

  m.def("g711_encode", &encode, py::arg("pcm"), py::arg("law"),
        "Encodes a 1-D C-contiguous int16 or float32 array (float full scale +-1.0) to G.711\n"
        "codes of `law`. The input is read in place; TypeError on another dtype, ValueError on\n"
        "another shape or layout.");
  m.def("g711_decode", &decode, py::arg("codes"), py::arg("law"), py::arg("as_float") = false,
        "Decodes a 1-D C-contiguous uint8 array of G.711 codes of `law` to int16 samples, or\n"
        "to float32 samples (int16 value / 32768) when `as_float` is true.");
  m.def("g711_transcode", &transcode, py::arg("codes"), py::arg("from_law"),
        "Converts codes of `from_law` to codes of the other law with G.711 Tables 3 and 4.");

  bind_dtmf(m);
  bind_codec(m);
  bind_resampler(m);
  bind_transcoder(m);
  bind_rtp(m);
  bind_jitter(m);
  bind_netsim(m);
  bind_mix(m);
}
