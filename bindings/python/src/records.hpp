// Shared by the RTP, jitter-buffer and network-simulator bindings: read-only record classes
// (statistics, results, events) with to_dict(), __repr__ and __eq__ made from one field list,
// range-checked integer arguments, and the MalformedPacket exception.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ivrm_py {

namespace py = pybind11;

// A read-only class of named values. Every field or computed property registered here also
// appears, in order, in to_dict() and __repr__; two records are equal when their dicts are.
template <typename T>
class Record {
 public:
  Record(py::handle scope, const char* name, const char* doc)
      : cls_(scope, name, doc), names_(std::make_shared<std::vector<std::string>>()) {}

  template <typename M>
  Record& field(const char* name, M T::*member, const char* doc) {
    cls_.def_readonly(name, member, doc);
    names_->emplace_back(name);
    return *this;
  }

  template <typename Get>
  Record& computed(const char* name, Get get, const char* doc) {
    cls_.def_property_readonly(name, get, doc);
    names_->emplace_back(name);
    return *this;
  }

  // Adds to_dict, __repr__ and __eq__; returns the class for further methods.
  py::class_<T>& finish() {
    auto names = names_;
    const std::string type_name = py::str(cls_.attr("__name__"));
    cls_.def(
        "to_dict",
        [names](const py::object& self) {
          py::dict d;
          for (const std::string& n : *names)
            d[py::str(n)] = self.attr(n.c_str());
          return d;
        },
        "The fields as a dict, in declaration order (e.g. for a pandas DataFrame row).");
    cls_.def("__repr__", [names, type_name](const py::object& self) {
      std::string s = type_name + "(";
      for (std::size_t i = 0; i < names->size(); ++i) {
        if (i > 0) s += ", ";
        s += (*names)[i] + "=" + std::string(py::repr(self.attr((*names)[i].c_str())));
      }
      return s + ")";
    });
    cls_.def(
        "__eq__",
        [](const py::object& a, const py::object& b) -> py::object {
          if (!py::type::handle_of(a).is(py::type::handle_of(b))) {
            return py::reinterpret_borrow<py::object>(Py_NotImplemented);
          }
          return py::bool_(a.attr("to_dict")().equal(b.attr("to_dict")()));
        },
        py::is_operator());
    return cls_;
  }

 private:
  py::class_<T> cls_;
  std::shared_ptr<std::vector<std::string>> names_;
};

// An integer argument that must fit `bits` unsigned bits (16 or 32): ValueError otherwise,
// naming the argument (pybind's own casts would say only "incompatible function arguments").
inline std::uint32_t unsigned_arg(std::int64_t v, int bits, const char* name) {
  const std::int64_t max = (std::int64_t{1} << bits) - 1;
  if (v < 0 || v > max) {
    throw py::value_error(std::string(name) + " must be 0.." + std::to_string(max) + ", got " +
                          std::to_string(v));
  }
  return static_cast<std::uint32_t>(v);
}

// ivrmedia.MalformedPacket (a ValueError): a datagram that is not a valid RTP packet. Its
// `reason` attribute names the rtp::ParseError ('too_short', ...; 'bad_payload' when the
// packet parsed but its payload does not fit its format). Defined in rtp.cpp.
[[noreturn]] void raise_malformed(const std::string& message, const char* reason);

}  // namespace ivrm_py
