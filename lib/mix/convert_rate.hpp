// Whole-buffer rate conversion for prompts, done once at load time: resample::Resampler for the
// rates it supports (with its delay removed so the prompt starts exactly where the file does),
// and a windowed-sinc interpolator for any other file rate (11025, 22050, 96000 Hz ...).
#pragma once

#include <span>
#include <vector>

#include "ivrmedia/resampler.hpp"

namespace ivrmedia::mix {

// `in` at in_rate_hz -> round(in.size() x out_rate_hz / in_rate_hz) samples at out_rate_hz,
// time-aligned to within half an output sample. out_rate_hz must be one Resampler supports;
// in_rate_hz may be anything from 1000 to 384000 Hz. Throws Error(bad_config) otherwise.
std::vector<float> convert_rate(std::span<const float> in, int in_rate_hz, int out_rate_hz,
                                resample::Quality quality);

}  // namespace ivrmedia::mix
