// Keyword arguments shared by the codec bindings (Encoder and Transcoder): opus settings.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <utility>

#include "ivrmedia/codec.hpp"

namespace ivrm_py {

namespace py = pybind11;
namespace codec = ivrmedia::codec;

inline codec::OpusSettings::Application application_of(const std::string& name) {
  if (name == "voip") return codec::OpusSettings::Application::voip;
  if (name == "audio") return codec::OpusSettings::Application::audio;
  throw py::value_error("application must be 'voip' or 'audio', got '" + name + "'");
}

inline codec::OpusSettings::Bandwidth bandwidth_of(const std::string& name) {
  using B = codec::OpusSettings::Bandwidth;
  static const std::pair<const char*, B> kNames[] = {{"narrowband", B::narrowband},
                                                     {"mediumband", B::mediumband},
                                                     {"wideband", B::wideband},
                                                     {"superwideband", B::superwideband},
                                                     {"fullband", B::fullband}};
  for (const auto& [n, b] : kNames) {
    if (name == n) return b;
  }
  throw py::value_error(
      "max_bandwidth must be 'narrowband', 'mediumband', 'wideband', 'superwideband' or "
      "'fullband', got '" +
      name + "'");
}

// The opus keywords of Encoder and Transcoder.
inline codec::OpusSettings opus_settings(int bitrate_bps, int complexity, bool vbr, bool inband_fec,
                                         int expected_loss_percent, bool dtx,
                                         const std::string& application,
                                         const std::string& max_bandwidth) {
  codec::OpusSettings o;
  o.bitrate_bps = bitrate_bps;
  o.complexity = complexity;
  o.vbr = vbr;
  o.inband_fec = inband_fec;
  o.expected_loss_percent = expected_loss_percent;
  o.dtx = dtx;
  o.application = application_of(application);
  o.max_bandwidth = bandwidth_of(max_bandwidth);
  return o;
}

}  // namespace ivrm_py
