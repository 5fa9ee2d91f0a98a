#include "ivrmedia/core.hpp"
#include "ivrmedia/ivrmedia.h"

namespace ivrmedia {

std::string_view version() noexcept {
  return IVRM_VERSION_STRING;
}

}  // namespace ivrmedia
