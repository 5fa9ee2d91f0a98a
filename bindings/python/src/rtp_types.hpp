// Python-side types the RTP and jitter-buffer bindings share (bound in rtp.cpp).
#pragma once

#include <pybind11/pybind11.h>

#include <span>

#include "ivrmedia/rtp.hpp"
#include "ivrmedia/telephone_event.hpp"

namespace ivrm_py {

namespace py = pybind11;

// 'too_short', 'bad_version', ...: the rtp::ParseError's name (rtp.cpp).
const char* parse_error_name(ivrmedia::rtp::ParseError e);

// An RFC 4733 event as Python sees it: the C++ event plus its clock, for duration_ms.
struct PyTelephoneEvent {
  ivrmedia::rtp::TelephoneEvent event;
  int clock_rate_hz = 8000;
};

// A list of ivrmedia.rtp.TelephoneEvent from C++ events.
inline py::list event_list(std::span<const ivrmedia::rtp::TelephoneEvent> events,
                           int clock_rate_hz) {
  py::list out;
  for (const auto& e : events)
    out.append(py::cast(PyTelephoneEvent{e, clock_rate_hz}));
  return out;
}

}  // namespace ivrm_py
