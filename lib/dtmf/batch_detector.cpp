// BatchDetector: N Detectors sharing one correlation table, screened eight channels at a time.
//
// Channels are grouped in eights (the last group may be smaller: its spare lanes repeat a real
// channel and are ignored). A group whose channels share the same position inside their half
// block ("lockstep": every channel since creation, until a gap or reset moves one) is staged as
// a structure of arrays and screened (lib/dtmf/screen.hpp). Per channel and half block:
//   - no digit in progress and the screen proves the block a miss: the Detector's evaluate()
//     would change nothing, so only its clock advances (Detector::skip_halves); its prev_ and
//     before_ halves go stale;
//   - otherwise the Detector's own end_half() runs on the staged samples, after prev_ and
//     before_ were recomputed from the staged earlier halves if they were stale. Its kernel and
//     its evaluation are the ones a separate Detector runs, on the same samples, so the events,
//     tone estimates and statistics are bit-identical.
// Staging keeps the last three halves per group: a stale channel needs the two before the one
// that completes. Right after a group (re)enters lockstep only one half is staged, so its first
// half is evaluated exactly on every channel.
// A group out of lockstep runs the plain per-channel Detector::process until its channels
// line up again.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>
#include <vector>

#include "dtmf/correlate.hpp"
#include "dtmf/screen.hpp"
#include "ivrmedia/dtmf.hpp"

namespace ivrmedia::dtmf {

namespace {
constexpr int kSlots = 3;  // staged halves per group: the one filling and the two before it
constexpr int kLanes = detail::kLanes;
}  // namespace

struct BatchDetector::Group {
  std::size_t first = 0;  // channels [first, first + count)
  int count = 0;
  bool lockstep = true;
  int fill = 0;        // samples staged in the half being filled (every channel's fill_)
  int slot = 0;        // slot of the half being filled; the halves before are slot - 1, slot - 2
  int staged = 0;      // complete halves staged since the group entered lockstep (counts to 2)
  int last = 0;        // which of the group's two estimate buffers holds the last complete half
  unsigned idle = 0;   // lanes with no digit in progress and a previous half (may be skipped)
  unsigned stale = 0;  // lanes whose prev_ and before_ were not written since a skip
  // Halves skipped in this call per lane, not yet added to the Detector's clock: a channel's
  // Detector is then touched once per call, not once per half.
  std::uint32_t skipped[kLanes] = {};
};

struct BatchDetector::Screen {
  detail::ScreenCoefs coefs;
  detail::ScreenLimits limits;
  const detail::ScreenKernels* kernels = nullptr;
  int half = 0;
  std::vector<Group> groups;
  std::vector<float> rows;                    // per group: kSlots slots of `half` rows of 8 lanes
  std::vector<detail::ScreenHalf> estimates;  // per group: the last complete half and the next
  std::vector<float> scratch;                 // one lane of a half, gathered for the kernel

  float* slot_rows(std::size_t g, int slot) noexcept {
    return rows.data() +
           (g * kSlots + static_cast<std::size_t>(slot)) * static_cast<std::size_t>(half) * kLanes;
  }
  // Lane `lane` of rows [0, n) of a slot, contiguous in scratch.
  const float* gather(std::size_t g, int slot, int lane, int n) noexcept {
    const float* r = slot_rows(g, slot) + lane;
    for (int i = 0; i < n; ++i)
      scratch[static_cast<std::size_t>(i)] = r[static_cast<std::ptrdiff_t>(i) * kLanes];
    return scratch.data();
  }
};

namespace {
// Prefetches [p, p + bytes): the next samples of a group's channels, requested before the
// screen runs so that they arrive while it computes.
void prefetch(const void* p, std::size_t bytes) noexcept {
  const auto* b = static_cast<const char*>(p);
  for (std::size_t off = 0; off < bytes + 63; off += 64)
    __builtin_prefetch(b + off);
}

int previous_slot(int slot, int back) noexcept {
  return (slot + kSlots - back) % kSlots;
}

unsigned lanes_below(int count) noexcept {
  return (1u << count) - 1u;
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
  // A probe detector gives the geometry (half block, padding) and the derived thresholds the
  // channels will use.
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

  screen_ = std::make_unique<Screen>();
  Screen& s = *screen_;
  s.half = probe.half_len_;
  s.kernels = &detail::screen_kernels(probe.cfg_.simd);
  detail::screen_setup(s.half, config.detector.sample_rate_hz, s.coefs);
  s.limits.min_power_bound = probe.min_power_bound_;
  s.limits.tones_bound_scale = probe.tones_bound_scale_;
  s.limits.residual_ratio = probe.residual_ratio_;
  s.limits.radius_per_norm = detail::screen_radius_per_norm(s.half, config.detector.sample_rate_hz);
  s.limits.half_len = s.half;
  detail::screen_phase_limits(s.half, probe.omega_.data(), config.detector.max_frequency_error_pct,
                              s.limits);
  const std::size_t groups = (config.channels + kLanes - 1) / kLanes;
  for (std::size_t g = 0; g < groups; ++g) {
    Group grp;
    grp.first = g * kLanes;
    grp.count = static_cast<int>(std::min<std::size_t>(kLanes, config.channels - grp.first));
    s.groups.push_back(grp);
  }
  s.rows.assign(groups * kSlots * static_cast<std::size_t>(s.half) * kLanes, 0.0f);
  s.estimates.resize(2 * groups);
  s.scratch.assign(padded, 0.0f);
}

BatchDetector::BatchDetector(BatchDetector&&) noexcept = default;
BatchDetector& BatchDetector::operator=(BatchDetector&&) noexcept = default;
BatchDetector::~BatchDetector() = default;

void BatchDetector::process(const float* planar, std::size_t frames, std::size_t stride) noexcept {
  run(planar, frames, stride);
}

void BatchDetector::process(const std::int16_t* planar, std::size_t frames,
                            std::size_t stride) noexcept {
  run(planar, frames, stride);
}

// Group after group, each taking the whole call's frames (a group's state is then loaded once
// per call: stepping every channel from one decision point to the next instead cost 40 % at
// 256 channels once their states left the caches).
//
// Input is prefetched one half ahead: eight channels far apart in memory, a few cache lines
// each per half, are more streams than the hardware prefetcher follows, and without the
// prefetch staging waited on those loads after every screen (measured: 5.1x -> 6.6x spandsp).
template <typename T>
void BatchDetector::run(const T* planar, std::size_t frames, std::size_t stride) noexcept {
  Screen& s = *screen_;
  const auto half = static_cast<std::size_t>(s.half);
  for (std::size_t g = 0; g < s.groups.size(); ++g) {
    Group& grp = s.groups[g];
    if (!grp.lockstep && !rejoin_lockstep(g)) {
      for (int l = 0; l < grp.count; ++l) {
        const std::size_t c = grp.first + static_cast<std::size_t>(l);
        detectors_[c].process(std::span<const T>(planar + c * stride, frames));
      }
      continue;
    }
    if (g + 1 < s.groups.size()) {  // the next group's first half, while this group runs
      const Group& next = s.groups[g + 1];
      for (int l = 0; l < next.count; ++l)
        prefetch(planar + (next.first + static_cast<std::size_t>(l)) * stride,
                 std::min(frames, half) * sizeof(T));
    }
    const T* src[kLanes];
    for (int l = 0; l < kLanes; ++l)
      src[l] = planar + (grp.first + static_cast<std::size_t>(std::min(l, grp.count - 1))) * stride;
    for (std::size_t pos = 0; pos < frames;) {
      const std::size_t n = std::min(frames - pos, half - static_cast<std::size_t>(grp.fill));
      float* dst = s.slot_rows(g, grp.slot) + static_cast<std::size_t>(grp.fill) * kLanes;
      if constexpr (std::is_same_v<T, float>) {
        s.kernels->stage_float(src, static_cast<int>(n), dst);
      } else {
        s.kernels->stage_s16(src, static_cast<int>(n), dst);
      }
      for (auto& p : src)
        p += n;
      pos += n;
      grp.fill += static_cast<int>(n);
      if (grp.fill == s.half) {
        if (pos < frames) {
          for (int l = 0; l < grp.count; ++l)
            prefetch(src[l], std::min(frames - pos, half) * sizeof(T));
        }
        complete_half(g);
        grp.fill = 0;
      }
    }
    for (int l = 0; l < grp.count; ++l) {
      Detector& d = detectors_[grp.first + static_cast<std::size_t>(l)];
      d.skip_halves(grp.skipped[l]);
      grp.skipped[l] = 0;
      d.fill_ = grp.fill;
      d.stats_.samples += frames;
    }
  }
}

void BatchDetector::complete_half(std::size_t g) noexcept {
  Screen& s = *screen_;
  Group& grp = s.groups[g];
  detail::ScreenHalf& last = s.estimates[2 * g + static_cast<std::size_t>(grp.last)];
  detail::ScreenHalf& cur = s.estimates[2 * g + static_cast<std::size_t>(grp.last ^ 1)];
  s.kernels->screen(s.slot_rows(g, grp.slot), s.half, s.coefs, cur);
  // A skipped channel may need its two earlier halves recomputed later: only when the previous
  // half is staged too can a channel be skipped.
  unsigned skip = 0;
  if (grp.staged >= 1) {
    skip = s.kernels->proven_misses(last, cur, s.limits) & grp.idle;
    // The phase test costs as much again: only for lanes the cheap bounds left open (about
    // one group-half in eight on speech).
    if (const unsigned open = grp.idle & ~skip; open != 0)
      skip |= s.kernels->phase_misses(last, cur, s.limits) & open;
  }
  // Every lane, branch-free: a loop over the set bits mispredicted its exit on most halves.
  for (int l = 0; l < kLanes; ++l)
    grp.skipped[l] += skip >> l & 1u;
  grp.stale |= skip;
  for (unsigned m = ~skip & lanes_below(grp.count); m != 0; m &= m - 1)
    exact_half(g, std::countr_zero(m));
  grp.last ^= 1;
  grp.slot = (grp.slot + 1) % kSlots;
  grp.staged = std::min(grp.staged + 1, 2);
}

// The channel's own Detector code on the staged half, with prev_ and before_ as a separate
// Detector would have them: a channel goes stale only when skipped with a previous half
// (idle), and every half since is staged, so both are the kernel of the staged halves.
void BatchDetector::exact_half(std::size_t g, int lane) noexcept {
  Screen& s = *screen_;
  Group& grp = s.groups[g];
  Detector& d = detectors_[grp.first + static_cast<std::size_t>(lane)];
  const unsigned bit = 1u << lane;
  if ((grp.stale & bit) != 0) {
    d.prev_ = d.correlate(s.gather(g, previous_slot(grp.slot, 1), lane, s.half));
    d.before_ = d.correlate(s.gather(g, previous_slot(grp.slot, 2), lane, s.half));
    grp.stale &= ~bit;
  }
  d.skip_halves(grp.skipped[lane]);  // the clock as it would be (events are stamped with it)
  grp.skipped[lane] = 0;
  d.end_half(s.gather(g, grp.slot, lane, s.half));
  grp.idle = d.idle() ? grp.idle | bit : grp.idle & ~bit;
}

// Hands the group's channels back to their Detectors in full: stale halves recomputed (the
// two last complete halves are staged) and the partial half copied into each one's buffer.
// Called between process() calls, when every skipped half is already on the clocks.
void BatchDetector::leave_lockstep(std::size_t g) noexcept {
  Screen& s = *screen_;
  Group& grp = s.groups[g];
  if (!grp.lockstep) return;
  for (int l = 0; l < grp.count; ++l) {
    Detector& d = detectors_[grp.first + static_cast<std::size_t>(l)];
    if ((grp.stale >> l & 1u) != 0) {
      d.prev_ = d.correlate(s.gather(g, previous_slot(grp.slot, 1), l, s.half));
      d.before_ = d.correlate(s.gather(g, previous_slot(grp.slot, 2), l, s.half));
    }
    std::copy_n(s.gather(g, grp.slot, l, grp.fill), grp.fill, d.buffer_);
    d.fill_ = grp.fill;
  }
  grp.stale = 0;
  grp.lockstep = false;
}

// A group whose channels sit at the same place in their halves again (all reset, or gaps that
// happen to line up) is staged from their buffers and screened again.
bool BatchDetector::rejoin_lockstep(std::size_t g) noexcept {
  Screen& s = *screen_;
  Group& grp = s.groups[g];
  const int fill = detectors_[grp.first].fill_;
  for (int l = 1; l < grp.count; ++l) {
    if (detectors_[grp.first + static_cast<std::size_t>(l)].fill_ != fill) return false;
  }
  float* rows = s.slot_rows(g, grp.slot);
  grp.idle = 0;
  for (int l = 0; l < kLanes; ++l) {
    const Detector& d =
        detectors_[grp.first + static_cast<std::size_t>(std::min(l, grp.count - 1))];
    for (int i = 0; i < fill; ++i)
      rows[static_cast<std::ptrdiff_t>(i) * kLanes + l] = d.buffer_[i];
    if (l < grp.count && d.idle()) grp.idle |= 1u << l;
  }
  grp.fill = fill;
  grp.staged = 0;
  grp.lockstep = true;
  return true;
}

std::size_t BatchDetector::read_events(std::size_t channel, std::span<Event> out) noexcept {
  return channel < detectors_.size() ? detectors_[channel].read_events(out) : 0;
}

void BatchDetector::gap(std::size_t channel, std::int64_t samples) noexcept {
  if (channel >= detectors_.size() || samples <= 0) return;
  leave_lockstep(channel / kLanes);
  detectors_[channel].gap(samples);
}

void BatchDetector::reset(std::size_t channel) noexcept {
  if (channel >= detectors_.size()) return;
  leave_lockstep(channel / kLanes);
  detectors_[channel].reset();
}

}  // namespace ivrmedia::dtmf
