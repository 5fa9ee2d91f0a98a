// Shared by the bindings of stateful stream objects (Encoder, Decoder, Resampler, Transcoder):
// statuses as Python exceptions, processing without the GIL, the one-thread-at-a-time guard,
// byte-buffer arguments, the dtype keyword and creation errors.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <atomic>
#include <cstdint>
#include <new>
#include <span>
#include <stdexcept>
#include <string>

#include "ivrmedia/core.hpp"
#include "ivrmedia/resampler.hpp"

namespace ivrm_py {

namespace py = pybind11;
using ivrmedia::Status;

// A status from a processing call, as the Python exception that says what was wrong.
[[noreturn]] inline void raise_status(Status s, const std::string& what) {
  const std::string msg = what + ": " + ivrmedia::describe(s);
  switch (s) {
    case Status::buffer_too_small:
      throw py::buffer_error(msg);
    case Status::invalid_argument:
    case Status::out_of_range:
    case Status::malformed:
    case Status::truncated:
    case Status::bad_config:
    case Status::unsupported:
      throw py::value_error(msg);
    default:
      throw std::runtime_error(msg);
  }
}

// Runs a processing call without the GIL. The spans it uses point into buffers this frame keeps
// alive, and it touches no Python object.
template <typename Kernel>
Status unlocked(Kernel&& kernel) {
  py::gil_scoped_release released;
  return kernel();
}

// The same, then raises for a non-ok status (once the GIL is back).
template <typename Kernel>
void run_unlocked(const std::string& what, Kernel&& kernel) {
  if (const Status s = unlocked(kernel); s != Status::ok) raise_status(s, what);
}

// The objects are single-stream: two Python threads using one at the same time (the GIL is
// released while it runs) would corrupt its state. Refuse that with an exception instead.
class Exclusive {
 public:
  Exclusive(std::atomic<bool>& busy, const char* type) : busy_(busy) {
    if (busy_.exchange(true, std::memory_order_acquire)) {
      throw std::runtime_error(std::string(type) +
                               " used from two threads at once; use one per stream and thread");
    }
  }
  ~Exclusive() { busy_.store(false, std::memory_order_release); }
  Exclusive(const Exclusive&) = delete;
  Exclusive& operator=(const Exclusive&) = delete;

 private:
  std::atomic<bool>& busy_;
};

// A read-only view of a contiguous byte buffer; keeps the exporter's buffer locked while alive.
struct Bytes {
  py::buffer_info info;
  std::span<const std::uint8_t> span;
};

inline Bytes bytes_of(const py::object& obj, const char* arg) {
  const char* expected = ": expected bytes, bytearray, memoryview or a 1-D uint8 array, got ";
  if (!PyObject_CheckBuffer(obj.ptr())) {
    throw py::type_error(std::string(arg) + expected +
                         std::string(py::str(py::type::handle_of(obj).attr("__name__"))));
  }
  Bytes b{py::reinterpret_borrow<py::buffer>(obj).request(), {}};
  if (b.info.itemsize != 1 || b.info.format != "B") {
    throw py::type_error(std::string(arg) + expected + "a buffer of format '" + b.info.format +
                         "'");
  }
  if (b.info.ndim != 1) {
    throw py::value_error(std::string(arg) + ": expected a 1-D buffer, got " +
                          std::to_string(b.info.ndim) + "-D");
  }
  if (b.info.shape[0] > 1 && b.info.strides[0] != 1) {
    throw py::value_error(std::string(arg) + ": buffer is not contiguous; pass bytes(" + arg + ")");
  }
  b.span = {static_cast<const std::uint8_t*>(b.info.ptr), static_cast<std::size_t>(b.info.size)};
  return b;
}

// True for float32, false for int16; ValueError for any other dtype.
inline bool wants_float(const py::object& dtype) {
  const py::dtype d = py::dtype::from_args(dtype);
  // equal() is NumPy's EquivTypes: a byte-swapped '>f4' is not float32 here.
  if (d.equal(py::dtype::of<float>())) return true;
  if (d.equal(py::dtype::of<std::int16_t>())) return false;
  throw py::value_error("dtype must be int16 or float32, got " +
                        std::string(py::str(py::object(d))));
}

// Creation: ivrmedia::Error (impossible config, unknown name) -> ValueError with its message.
template <typename Make>
auto create(Make&& make) {
  try {
    return make();
  } catch (const ivrmedia::Error& e) {
    if (e.status() == Status::no_memory) throw std::bad_alloc();  // MemoryError
    throw py::value_error(e.what());
  }
}

// Resampler quality presets by name, as the Python API spells them.
inline ivrmedia::resample::Quality quality_of(const std::string& name) {
  using Q = ivrmedia::resample::Quality;
  if (name == "fast") return Q::fast;
  if (name == "standard") return Q::standard;
  if (name == "high") return Q::high;
  throw py::value_error("quality must be 'fast', 'standard' or 'high', got '" + name + "'");
}

inline const char* quality_name(ivrmedia::resample::Quality q) {
  using Q = ivrmedia::resample::Quality;
  return q == Q::fast ? "fast" : q == Q::high ? "high" : "standard";
}

}  // namespace ivrm_py
