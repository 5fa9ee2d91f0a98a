// The streaming Resampler: per-channel history buffers for each stage of a shared design, fed
// in blocks of at most 256 input frames so every buffer is sized at creation.
//
// Per block: the input frames are de-interleaved (and converted from int16) into stage 0's
// per-channel history; each stage appends all the outputs its input allows to the next stage's
// history, the last one to a planar scratch (or, mono float, straight to the caller's output),
// which is interleaved (and converted) into the output. A history keeps at most K - 1 frames
// between blocks and is moved to the front of its buffer only when the next block would not
// fit, so the cost is the filtering plus a copy of each frame.
#include "ivrmedia/resampler.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <type_traits>
#include <vector>

#include "codec/resampler_design.hpp"
#include "codec/resampler_kernels.hpp"
#include "core/sample_convert.hpp"

namespace ivrmedia::resample {

namespace {

using detail::Design;
using detail::StageDesign;

// Frames per internal block: at most 256 in and about 512 out, large enough that the per-block
// work (kernel calls per channel and stage, an occasional history move of K - 1 frames) is
// small against the filtering, small enough to keep a Resampler's own memory at 3.5-5 KiB per
// channel.
constexpr std::size_t kMaxBlockIn = 256, kMaxBlockOut = 512, kMinBlockIn = 16;
constexpr int kMaxChannels = 8;

constexpr std::size_t round_up16(std::size_t n) {
  return (n + 15) / 16 * 16;  // 64 bytes: every channel's buffer starts on a cache line
}

struct StageRun {
  const StageDesign* d = nullptr;
  detail::FirFn fir = nullptr;
  float* buf = nullptr;     // channel c's history at buf + c * cap
  std::size_t cap = 0;      // floats per channel
  std::size_t max_in = 0;   // frames appended per block, at most
  std::size_t max_out = 0;  // frames produced per block, at most
  std::size_t zeros = 0;    // silence before the stream, so output 0 has a full window
  std::size_t head = 0;     // first frame of the next output's window
  std::size_t tail = 0;     // one past the newest frame
  std::uint32_t row = 0;    // the next output's table row
  std::uint64_t acc = 0;    // inputs * L - outputs * M, in [0, M) between blocks
};

#if defined(IVRM_CHECK_SIMD)
// Recomputes every output of a SIMD kernel call with the scalar reference and aborts when one
// differs by more than the documented bound (resampler_kernels.hpp).
void check_against_scalar(const StageDesign& s, const float* x, std::uint32_t row, const float* got,
                          std::size_t n) noexcept {
  const std::uint32_t K = s.K;
  for (std::size_t i = 0; i < n; ++i) {
    const float* c = s.table.data() + static_cast<std::size_t>(row) * K;
    const float ref = detail::dot_scalar(c, x, K);
    double magnitude = 0;
    for (std::uint32_t m = 0; m < K; ++m)
      magnitude += std::fabs(static_cast<double>(c[m]) * x[m]);
    const double bound = (K / 8.0 + 3.0) * 0x1p-23 * magnitude + 1e-30;
    const double diff = static_cast<double>(ref) - got[i];
    if (diff > bound || -diff > bound || got[i] != got[i]) std::abort();
    x += s.step[row];
    if (++row == s.L) row = 0;
  }
}
#endif

template <typename T>
inline float to_float(T v) noexcept {
  if constexpr (std::is_same_v<T, float>) {
    return v;
  } else {
    return core::s16_to_float(v);
  }
}

template <typename T>
inline T from_float(float v) noexcept {
  if constexpr (std::is_same_v<T, float>) {
    return v;
  } else {
    return core::float_to_s16(v);
  }
}

}  // namespace

struct Resampler::Impl {
  std::shared_ptr<const Design> design;
  int channels = 1;
  SimdLevel level = SimdLevel::scalar;
  std::vector<StageRun> stages;
  detail::AlignedFloats memory;  // every history and the output scratch
  float* scratch = nullptr;      // planar last-stage output, channel c at scratch + c * scratch_cap
  std::size_t scratch_cap = 0;
  std::uint64_t acc = 0;            // consumed * L - written * M of the whole conversion, in [0, M)
  std::size_t block = kMaxBlockIn;  // input frames per block

  Impl(std::shared_ptr<const Design> d, int ch, SimdLevel lv)
      : design(std::move(d)), channels(ch), level(lv) {
    const auto C = static_cast<std::size_t>(channels);
    block = std::clamp<std::size_t>(kMaxBlockOut * design->M / design->L, kMinBlockIn, kMaxBlockIn);
    std::size_t floats = 0, max_in = block;
    stages.resize(design->stages.size());
    for (std::size_t i = 0; i < stages.size(); ++i) {
      StageRun& s = stages[i];
      s.d = &design->stages[i];
      s.fir = detail::fir_kernel(*s.d, level);
      s.max_in = max_in;
      s.max_out = (s.d->M - 1 + max_in * s.d->L) / s.d->M;
      // After a block at most K - 1 frames stay live; room for two blocks more halves the moves.
      s.cap = round_up16(s.d->K + 2 * s.max_in);
      s.zeros = s.d->K - 1 - (s.d->M - 1) / s.d->L;
      floats += C * s.cap;
      max_in = s.max_out;
    }
    scratch_cap = stages.empty() ? 0 : round_up16(stages.back().max_out);
    floats += C * scratch_cap;
    memory = detail::AlignedFloats(floats);
    float* p = memory.data();
    for (auto& s : stages) {
      s.buf = p;
      p += C * s.cap;
    }
    scratch = p;
    reset();
  }

  void reset() noexcept {
    acc = 0;
    for (auto& s : stages) {
      for (int c = 0; c < channels; ++c)
        std::fill_n(s.buf + static_cast<std::size_t>(c) * s.cap, s.zeros, 0.0f);
      s.head = 0;
      s.tail = s.zeros;
      s.row = 0;
      s.acc = 0;
    }
  }

  [[nodiscard]] std::size_t output_frames(std::size_t n) const noexcept {
    const std::uint64_t L = design->L, M = design->M;
    // floor((acc + n L) / M) without overflow: n = a M + b (saturates for absurd n)
    const std::uint64_t a = n / M, b = n % M;
    if (a > (SIZE_MAX - M) / L) return SIZE_MAX;
    return static_cast<std::size_t>(a * L + (acc + b * L) / M);
  }

  // Makes room for n more frames after the tail of every channel's history.
  void make_room(StageRun& s, std::size_t n) noexcept {
    if (s.tail + n <= s.cap) return;
    const std::size_t live = s.tail - s.head;
    for (int c = 0; c < channels; ++c) {
      float* b = s.buf + static_cast<std::size_t>(c) * s.cap;
      std::memmove(b, b + s.head, live * sizeof(float));
    }
    s.head = 0;
    s.tail = live;
  }

  // Runs stage s over everything its history allows; writes channel c's outputs at
  // dst + c * stride. Returns the number of outputs.
  std::size_t run_stage(StageRun& s, std::size_t appended, float* dst,
                        std::size_t stride) noexcept {
    const StageDesign& d = *s.d;
    s.acc += static_cast<std::uint64_t>(appended) * d.L;
    const auto n = static_cast<std::size_t>(s.acc / d.M);
    s.acc -= static_cast<std::uint64_t>(n) * d.M;
    if (n == 0) return 0;
    for (int c = 0; c < channels; ++c) {
      const float* x = s.buf + static_cast<std::size_t>(c) * s.cap + s.head;
      float* y = dst + static_cast<std::size_t>(c) * stride;
      s.fir(d, x, s.row, y, n);
#if defined(IVRM_CHECK_SIMD)
      if (level != SimdLevel::scalar) check_against_scalar(d, x, s.row, y, n);
#endif
    }
    const std::size_t periods = n / d.L, rest = n % d.L;
    s.head += static_cast<std::size_t>(periods * d.M + d.advance[s.row + rest] - d.advance[s.row]);
    s.row = static_cast<std::uint32_t>((s.row + rest) % d.L);
    return n;
  }

  template <typename T>
  Status process(std::span<const T> in, std::span<T> out, Result* result) noexcept {
    if (result) *result = {0, 0};
    const auto C = static_cast<std::size_t>(channels);
    if (in.size() % C != 0) return Status::invalid_argument;
    const std::size_t frames = in.size() / C;
    const std::size_t expected = output_frames(frames);
    if (out.size() / C < expected) return Status::buffer_too_small;
    if (stages.empty()) {
      std::copy(in.begin(), in.end(), out.begin());
      if (result) *result = {frames, frames};
      return Status::ok;
    }
    constexpr bool kFloat = std::is_same_v<T, float>;
    const T* src = in.data();
    T* dst = out.data();
    std::size_t written = 0;
    for (std::size_t done = 0; done < frames;) {
      const std::size_t n = std::min(block, frames - done);
      StageRun& first = stages.front();
      make_room(first, n);
      if (kFloat && C == 1) {
        std::memcpy(first.buf + first.tail, src, n * sizeof(float));
      } else {
        for (std::size_t c = 0; c < C; ++c) {
          float* h = first.buf + c * first.cap + first.tail;
          for (std::size_t i = 0; i < n; ++i)
            h[i] = to_float(src[i * C + c]);
        }
      }
      first.tail += n;
      std::size_t produced = n;
      for (std::size_t i = 0; i < stages.size(); ++i) {
        if (i + 1 < stages.size()) {
          StageRun& next = stages[i + 1];
          // The stage appends at most max_out frames: room for them before it runs.
          make_room(next, next.max_in);
          produced = run_stage(stages[i], produced, next.buf + next.tail, next.cap);
          next.tail += produced;
        } else if (kFloat && C == 1) {
          produced = run_stage(stages[i], produced, reinterpret_cast<float*>(dst) + written, 0);
        } else {
          produced = run_stage(stages[i], produced, scratch, scratch_cap);
          T* o = dst + written * C;
          for (std::size_t c = 0; c < C; ++c) {
            const float* y = scratch + c * scratch_cap;
            for (std::size_t k = 0; k < produced; ++k)
              o[k * C + c] = from_float<T>(y[k]);
          }
        }
      }
      written += produced;
      done += n;
      src += n * C;
    }
    const std::uint64_t b = frames % design->M;
    acc = (acc + b * design->L) % design->M;
    if (written != expected) return Status::internal;  // unreachable: the floors compose
    if (result) *result = {frames, written};
    return Status::ok;
  }
};

Resampler::Resampler(const Config& config) : config_(config), simd_(SimdLevel::scalar) {
  if (!rate_supported(config.input_rate_hz) || !rate_supported(config.output_rate_hz))
    throw Error(Status::bad_config, "resampler: rates must be 8000, 16000, 32000, 44100 or 48000");
  if (config.channels < 1 || config.channels > kMaxChannels)
    throw Error(Status::bad_config, "resampler: channels must be 1..8");
  if (!detail::quality_valid(config.quality))
    throw Error(Status::bad_config, "resampler: unknown quality");
  simd_ = resolve_simd_level(config.simd);
  impl_ = std::make_unique<Impl>(
      detail::design(config.input_rate_hz, config.output_rate_hz, config.quality), config.channels,
      simd_);
}

Resampler::Resampler(Resampler&&) noexcept = default;
Resampler& Resampler::operator=(Resampler&&) noexcept = default;
Resampler::~Resampler() = default;

Status Resampler::process(std::span<const float> in, std::span<float> out,
                          Result* result) noexcept {
  if (!impl_) {
    if (result) *result = {0, 0};
    return Status::bad_state;
  }
  return impl_->process(in, out, result);
}

Status Resampler::process(std::span<const std::int16_t> in, std::span<std::int16_t> out,
                          Result* result) noexcept {
  if (!impl_) {
    if (result) *result = {0, 0};
    return Status::bad_state;
  }
  return impl_->process(in, out, result);
}

std::size_t Resampler::max_output_frames(std::size_t input_frames) const noexcept {
  return impl_ ? impl_->output_frames(input_frames) : 0;
}

double Resampler::latency_seconds() const noexcept {
  return impl_ ? impl_->design->latency_s : 0.0;
}

double Resampler::latency_output_frames() const noexcept {
  return latency_seconds() * config_.output_rate_hz;
}

void Resampler::reset() noexcept {
  if (impl_) impl_->reset();
}

bool Resampler::rate_supported(int hz) noexcept {
  return detail::rate_supported(hz);
}

}  // namespace ivrmedia::resample
