// BatchDetector: N Detectors sharing one correlation table, fed channel after channel per call.
#include <algorithm>

#include "dtmf/correlate.hpp"
#include "ivrmedia/dtmf.hpp"

namespace ivrmedia::dtmf {

namespace {
// Prefetches at most the first 4 KiB of [p, p + bytes): enough to hide the misses of a tick.
void prefetch(const void* p, std::size_t bytes) noexcept {
  const auto* b = static_cast<const char*>(p);
  for (std::size_t off = 0; off < std::min<std::size_t>(bytes, 4096); off += 64)
    __builtin_prefetch(b + off);
}
}  // namespace

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

// Each channel takes the whole call's frames at once, then the next channel: a channel's state
// (about half a kilobyte that is touched) is then loaded once per call. Stepping all channels
// from one decision point to the next instead touched every state three or four times per
// 20 ms tick, and with hundreds of channels that state no longer fits the L1/L2 caches, which
// cost 40 % at 256 channels; the shared table (3.6 KiB at 8 kHz) stays in L1 either way.
//
// The next channel's samples are prefetched while this one runs: channels are separate streams
// far apart in memory (hundreds of them), more than the hardware prefetcher tracks, and a
// 20 ms chunk is only ten cache lines, over before a hardware stream would have started.
void BatchDetector::process(const float* planar, std::size_t frames, std::size_t stride) noexcept {
  const std::size_t n = detectors_.size();
  for (std::size_t c = 0; c < n; ++c) {
    if (c + 1 < n) prefetch(planar + (c + 1) * stride, frames * sizeof(float));
    detectors_[c].process(std::span<const float>(planar + c * stride, frames));
  }
}

void BatchDetector::process(const std::int16_t* planar, std::size_t frames,
                            std::size_t stride) noexcept {
  const std::size_t n = detectors_.size();
  for (std::size_t c = 0; c < n; ++c) {
    if (c + 1 < n) prefetch(planar + (c + 1) * stride, frames * sizeof(std::int16_t));
    detectors_[c].process(std::span<const std::int16_t>(planar + c * stride, frames));
  }
}

std::size_t BatchDetector::read_events(std::size_t channel, std::span<Event> out) noexcept {
  return channel < detectors_.size() ? detectors_[channel].read_events(out) : 0;
}

void BatchDetector::gap(std::size_t channel, std::int64_t samples) noexcept {
  if (channel < detectors_.size()) detectors_[channel].gap(samples);
}

void BatchDetector::reset(std::size_t channel) noexcept {
  if (channel < detectors_.size()) detectors_[channel].reset();
}

}  // namespace ivrmedia::dtmf
