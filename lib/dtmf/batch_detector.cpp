// BatchDetector: N Detectors sharing one correlation table, fed channel by channel per call.
#include "dtmf/correlate.hpp"
#include "ivrmedia/dtmf.hpp"

namespace ivrmedia::dtmf {

Status BatchDetector::validate(const Config& c) noexcept {
  if (c.channels == 0 || c.channels > 65536) return Status::out_of_range;
  return Detector::validate(c.detector);
}

BatchDetector::BatchDetector(const Config& config) {
  if (const Status s = validate(config); s != Status::ok) {
    throw Error(s, "DTMF batch detector: invalid config");
  }
  // A probe detector gives the geometry (half block, padding) the channels will use.
  Detector probe(config.detector, nullptr, nullptr);
  const auto padded = static_cast<std::size_t>(probe.padded_len());
  table_.assign(static_cast<std::size_t>(detail::kRows) * padded, 0.0f);
  detail::build_table(table_.data(), probe.half_len_, probe.padded_len(),
                      config.detector.sample_rate_hz);
  buffers_.assign(config.channels * padded, 0.0f);
  detectors_.reserve(config.channels);
  for (std::size_t c = 0; c < config.channels; ++c) {
    detectors_.push_back(Detector(config.detector, table_.data(), buffers_.data() + c * padded));
  }
}

void BatchDetector::process(const float* planar, std::size_t frames, std::size_t stride) noexcept {
  // Channels are fed up to the next shared decision point at a time, so all channels' kernels
  // run back to back against the same (cache-hot) table.
  std::size_t done = 0;
  while (done < frames) {
    const auto step =
        std::min(frames - done, static_cast<std::size_t>(detectors_[0].samples_until_decision()));
    for (std::size_t c = 0; c < detectors_.size(); ++c) {
      detectors_[c].process(std::span<const float>(planar + c * stride + done, step));
    }
    done += step;
  }
}

void BatchDetector::process(const std::int16_t* planar, std::size_t frames,
                            std::size_t stride) noexcept {
  std::size_t done = 0;
  while (done < frames) {
    const auto step =
        std::min(frames - done, static_cast<std::size_t>(detectors_[0].samples_until_decision()));
    for (std::size_t c = 0; c < detectors_.size(); ++c) {
      detectors_[c].process(std::span<const std::int16_t>(planar + c * stride + done, step));
    }
    done += step;
  }
}

std::size_t BatchDetector::read_events(std::size_t channel, std::span<Event> out) noexcept {
  return channel < detectors_.size() ? detectors_[channel].read_events(out) : 0;
}

void BatchDetector::gap(std::size_t channel, std::int64_t samples) noexcept {
  // A gap breaks lockstep for that channel only; it restarts its half block, so the batch's
  // shared decision points now differ between channels, which process() handles by feeding
  // each channel at most to the first channel's decision point (correct, merely less batched).
  if (channel < detectors_.size()) detectors_[channel].gap(samples);
}

void BatchDetector::reset(std::size_t channel) noexcept {
  if (channel < detectors_.size()) detectors_[channel].reset();
}

}  // namespace ivrmedia::dtmf
