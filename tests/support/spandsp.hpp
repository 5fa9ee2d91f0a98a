// spandsp (Debian libspandsp-dev), the peer that tests and benchmarks compare against; the
// library never includes it. Its C headers trip C++ warnings that are its business, not ours.
#pragma once

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wshadow"
#include <spandsp.h>
#pragma GCC diagnostic pop
