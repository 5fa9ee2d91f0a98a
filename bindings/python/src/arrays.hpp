// Shared by the binding files: NumPy argument checks that never copy, span views, GIL release.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>

#include "ivrmedia/core.hpp"

namespace ivrm_py {

namespace py = pybind11;
using ivrmedia::Status;

// Returns `obj` as an array, or raises TypeError / ValueError unless it is a C-contiguous,
// aligned NumPy array of T with 1 dimension (or 1 or 2 when `max_ndim` is 2).
template <typename T>
inline py::array array_of(const py::object& obj, const char* arg, const char* expected,
                          int max_ndim) {
  if (!py::isinstance<py::array>(obj)) {
    throw py::type_error(std::string(arg) + ": expected a numpy.ndarray, got " +
                         std::string(py::str(py::type::handle_of(obj).attr("__name__"))));
  }
  auto a = py::reinterpret_borrow<py::array>(obj);
  // EquivTypes also tells byte orders apart, so '>i2' is refused rather than misread.
  if (!py::isinstance<py::array_t<T>>(a)) {
    throw py::type_error(std::string(arg) + ": expected dtype " + expected + ", got " +
                         std::string(py::str(a.dtype())));
  }
  if (a.ndim() < 1 || a.ndim() > max_ndim) {
    throw py::value_error(
        std::string(arg) +
        (max_ndim == 1 ? ": expected a 1-D array, got " : ": expected a 1-D or 2-D array, got ") +
        std::to_string(a.ndim()) + "-D");
  }
  if (!(a.flags() & py::array::c_style)) {
    throw py::value_error(std::string(arg) +
                          ": array is not C-contiguous; pass np.ascontiguousarray(" + arg + ")");
  }
  // Views at odd byte offsets exist (np.frombuffer with an offset); the kernels read whole
  // elements, which is undefined behaviour on a misaligned pointer.
  if (!(a.flags() & py::detail::npy_api::NPY_ARRAY_ALIGNED_)) {
    throw py::value_error(std::string(arg) + ": array is not aligned; pass np.require(" + arg +
                          ", requirements='CA')");
  }
  return a;
}

// A 1-D, C-contiguous, aligned NumPy array of T, or TypeError / ValueError.
template <typename T>
inline py::array vector_of(const py::object& obj, const char* arg, const char* expected) {
  return array_of<T>(obj, arg, expected, 1);
}

template <typename T>
inline std::span<const T> view(const py::array& a) {
  return {static_cast<const T*>(a.data()), static_cast<std::size_t>(a.size())};
}

template <typename T>
inline std::span<T> view(py::array_t<T>& a) {
  return {a.mutable_data(), static_cast<std::size_t>(a.size())};
}

inline void check(Status s) {
  if (!ivrmedia::ok(s)) throw std::runtime_error(ivrmedia::describe(s));
}

// Runs `kernel()` without the GIL: the spans point into arrays this frame keeps alive, and
// the kernel touches no Python object. The status is checked once the GIL is back.
template <typename Kernel>
void run_unlocked(Kernel&& kernel) {
  Status s = Status::internal;
  {
    py::gil_scoped_release unlocked;
    s = kernel();
  }
  check(s);
}

}  // namespace ivrm_py
