// C API test helper: creates a handle, checks the C API's promise that a failed create leaves
// *out NULL (the handle pointer starts as a non-NULL canary), destroys it and returns the status.
#pragma once

#include <gtest/gtest.h>

#include "ivrmedia/ivrmedia.h"

namespace ivrm_test {

template <typename Config, typename Handle>
ivrm_status create_status(const Config& config, ivrm_status (*create)(const Config*, Handle**),
                          void (*destroy)(Handle*)) {
  Handle* h = reinterpret_cast<Handle*>(0x1);
  const ivrm_status s = create(&config, &h);
  if (s != IVRM_OK) {
    EXPECT_EQ(h, nullptr);
  }
  destroy(h);
  return s;
}

}  // namespace ivrm_test
