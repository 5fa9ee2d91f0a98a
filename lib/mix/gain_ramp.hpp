// A gain that moves linearly to its target in a fixed number of samples and stops exactly on
// it. The value for each sample comes from next(), one call per sample, so a ramp's values do
// not depend on how the stream is cut into frames, and a copy replays the same sequence (the
// conference mixer subtracts exactly what it added).
#pragma once

#include <algorithm>
#include <cmath>

namespace ivrmedia::mix {

struct GainRamp {
  float value = 1.0f;
  float target = 1.0f;
  float step = 0.0f;

  [[nodiscard]] bool at_rest() const noexcept { return value == target; }

  void set(float new_target, int samples) noexcept {
    target = new_target;
    step = std::fabs(target - value) / static_cast<float>(std::max(samples, 1));
    if (!(step > 0.0f)) value = target;  // tiny differences (or a zero-length ramp) jump
  }

  void finish() noexcept { value = target; }

  float next() noexcept {
    if (value < target) {
      value = std::min(value + step, target);
    } else if (value > target) {
      value = std::max(value - step, target);
    }
    return value;
  }
};

}  // namespace ivrmedia::mix
