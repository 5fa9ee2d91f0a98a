#include "ivrmedia/core.hpp"

namespace ivrmedia {

const char* describe(Status status) noexcept {
  switch (status) {
    case Status::ok:
      return "success";
    case Status::null_pointer:
      return "a required pointer argument is NULL";
    case Status::invalid_argument:
      return "an argument's value is not allowed";
    case Status::out_of_range:
      return "a numeric argument is outside its bounds";
    case Status::bad_config:
      return "config struct_size unknown or fields inconsistent";
    case Status::unsupported:
      return "not supported by this build or CPU";
    case Status::buffer_too_small:
      return "output buffer too small; nothing written";
    case Status::no_memory:
      return "out of memory";
    case Status::full:
      return "fixed-capacity container full; item refused";
    case Status::malformed:
      return "malformed input rejected";
    case Status::truncated:
      return "truncated input rejected";
    case Status::bad_state:
      return "call not allowed in the current state";
    case Status::internal:
      return "internal error (a bug in ivrmedia)";
  }
  return "unknown status code";
}

}  // namespace ivrmedia
