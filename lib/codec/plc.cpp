// Packet-loss concealment after ITU-T G.711 Appendix I, zero-delay variant (see plc.hpp for the
// method and why there is no delay). Durations are the Appendix's at 8 kHz, scaled by the rate.
//
// Layout: a ring of the last 48.75 ms of output (good frames as passed on, concealment as
// written). At the start of an erasure the ring is copied into an Analysis (the frozen history,
// its pitch and the blended ends of the 1-, 2- and 3-period cycles) and a Cursor walks the
// cycles; the ring keeps recording meanwhile. Everything is computed per sample position in
// the erasure, never per call, so results do not depend on how calls split the stream.
// Two Analysis slots: peek() outside an erasure analyses into the idle one, so it never
// disturbs a cross-fade still running on the active one.
#include "ivrmedia/plc.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "core/dot.hpp"
#include "core/sample_convert.hpp"

namespace ivrmedia::plc {
namespace {

// Appendix I's sizes at 8 kHz, in samples.
constexpr int kFrame8k = 80;        // 10 ms: the Appendix's frame, the unit of its schedule
constexpr int kHistory8k = 390;     // 48.75 ms = 3 longest periods + a quarter of one
constexpr int kWindow8k = 160;      // 20 ms correlated in the pitch search
constexpr int kPitchMin8k = 40;     // 5 ms (200 Hz)
constexpr int kPitchMax8k = 120;    // 15 ms (66.7 Hz)
constexpr int kRecoverStep8k = 32;  // 4 ms more recovery fade per further 10 ms lost
constexpr int kMaxPeriods = 3;      // repeated segment: 1, 2, then 3 periods
constexpr int kSilentAfter = 6;     // frames: the ramp reaches zero at 60 ms
constexpr float kRampPerFrame = 0.2f;
// The coarse search runs at 4 kHz, the Appendix's 2:1 at 8 kHz.
constexpr int kCoarseRateHz = 4000;
constexpr int kCoarseSamples = (kWindow8k + kPitchMax8k) / 2;  // at 4 kHz, every rate
// Floor of the energy that normalizes a correlation, per sample at full scale 1.0: the
// Appendix's 250 (16-bit units) over its 80 decimated samples. Keeps silence from dividing by
// nearly zero.
constexpr float kMinPowerPerSample = 250.0f / 80.0f / (32768.0f * 32768.0f);
// A lag of 1/3 or 1/2 of the best one replaces it when it scores at least this fraction of
// the best: strictly periodic signals score alike at every multiple of their period.
constexpr float kSubMultipleRatio = 0.95f;

float dot(const float* a, const float* b, int n) noexcept {
  return core::dot4(a, b, static_cast<std::size_t>(n));
}

bool supported_rate(int hz) {
  return hz == 8000 || hz == 16000 || hz == 48000;
}

}  // namespace

struct Concealer::State {
  // The history as it stood when an erasure began, and what the synthesis reads from it.
  struct Analysis {
    std::vector<float> x;      // frozen history, oldest first; x.back() preceded the erasure
    std::vector<float> tails;  // per period count m: the last `overlap` samples of its cycle
    int pitch = 0;
    int overlap = 1;   // a quarter period
    float offset = 0;  // last real sample minus the sample one period before it
  };
  // Position in the synthetic signal.
  struct Cursor {
    std::int64_t n = 0;   // samples since the erasure began
    int periods = 1;      // the cycle repeated: the last `periods` periods
    int pos = 0;          // position in that cycle
    int old_periods = 0;  // nonzero while fading out of the previous, shorter cycle
    int old_pos = 0;
    int faded = 0;  // samples of that fade done
  };
  enum class Mode { normal, concealing, recovering };

  explicit State(int rate_hz)
      : frame(kFrame8k * rate_hz / 8000),
        history(kHistory8k * rate_hz / 8000),
        window(kWindow8k * rate_hz / 8000),
        pitch_min(kPitchMin8k * rate_hz / 8000),
        pitch_max(kPitchMax8k * rate_hz / 8000),
        overlap_max(pitch_max / 4),
        decimation(rate_hz / kCoarseRateHz),
        recover_step(kRecoverStep8k * rate_hz / 8000),
        ring(static_cast<std::size_t>(history)),
        scratch(static_cast<std::size_t>(frame)),
        synthetic(static_cast<std::size_t>(frame)) {
    for (auto& a : slots) {
      a.x.resize(static_cast<std::size_t>(history));
      a.tails.resize(static_cast<std::size_t>(kMaxPeriods * overlap_max));
    }
  }

  // Sizes in samples at this rate.
  const int frame, history, window, pitch_min, pitch_max, overlap_max, decimation, recover_step;

  std::vector<float> ring;  // the last `history` samples; `head` is the oldest
  int head = 0;
  std::array<Analysis, 2> slots;
  int active = 0;
  Cursor cursor;
  Mode mode = Mode::normal;
  int recover_len = 0, recover_done = 0;
  float recover_gain = 0;
  std::vector<float> scratch;    // int16 conversion blocks
  std::vector<float> synthetic;  // the continuation cross-faded into a good frame
  Stats stats;

  // --- history ---------------------------------------------------------------------------
  // Writes the newest `history` of s[0..n) at `head`, in at most two contiguous pieces: this
  // runs on every decoded frame.
  template <typename Sample, typename CopyPiece>
  void record(const Sample* s, std::size_t n, CopyPiece copy_piece) noexcept {
    const auto h = static_cast<std::size_t>(history);
    if (n > h) {  // only the newest `history` samples matter
      s += n - h;
      n = h;
    }
    const auto at = static_cast<std::size_t>(head);
    const std::size_t first = std::min(n, h - at);
    copy_piece(s, first, ring.data() + at);
    copy_piece(s + first, n - first, ring.data());
    head = static_cast<int>((at + n) % h);
  }
  // Floats go in as they are: std::copy is a memmove, several times cheaper than an element
  // loop, and without the loops' mispredicted exits.
  void record(const float* s, std::size_t n) noexcept {
    record(s, n,
           [](const float* from, std::size_t k, float* to) { std::copy(from, from + k, to); });
  }
  void record(const std::int16_t* s, std::size_t n) noexcept {
    record(s, n, [](const std::int16_t* from, std::size_t k, float* to) {
      for (std::size_t i = 0; i < k; ++i)
        to[i] = core::s16_to_float(from[i]);
    });
  }

  // --- analysis at the start of an erasure -----------------------------------------------
  void analyse(Analysis& a) const noexcept {
    const auto oldest = ring.begin() + head;
    std::copy(oldest, ring.end(), a.x.begin());
    std::copy(ring.begin(), oldest, a.x.begin() + (ring.end() - oldest));
    // A non-finite or absurd history (a broken upstream stage) is concealed as silence.
    float energy = 0;
    for (const float v : a.x)
      energy += v * v;
    if (!std::isfinite(energy)) std::fill(a.x.begin(), a.x.end(), 0.0f);

    const float* end = a.x.data() + history;  // end[-i]: i samples before the erasure
    a.pitch = find_pitch(end);
    a.overlap = a.pitch / 4;
    a.offset = end[-1] - end[-a.pitch - 1];
    // Each cycle's last quarter period fades from the real signal's end into the quarter
    // period just before the cycle's start, so the cycle wraps around without a step.
    const int q = a.overlap;
    for (int m = 1; m <= kMaxPeriods; ++m) {
      float* tail = a.tails.data() + (m - 1) * overlap_max;
      const float* from = end - q;              // the last quarter period
      const float* to = end - m * a.pitch - q;  // the quarter before the cycle
      for (int j = 0; j < q; ++j) {
        const float w = static_cast<float>(j + 1) / static_cast<float>(q);
        tail[j] = (1.0f - w) * from[j] + w * to[j];
      }
    }
  }

  // Normalized cross-correlation of the last `window` samples with the signal `lag` earlier.
  [[nodiscard]] float score(const float* end, int lag) const noexcept {
    const float* l = end - window;
    const float* r = l - lag;
    const float energy =
        std::max(dot(r, r, window), kMinPowerPerSample * static_cast<float>(window));
    return dot(l, r, window) / std::sqrt(energy);
  }

  // Appendix I's pitch search, at any rate. Ties go to the shorter lag, as in the Appendix.
  [[nodiscard]] int find_pitch(const float* end) const noexcept {
    // Coarse: the last 35 ms at 4 kHz (sums of `decimation` samples: a crude low-pass
    // that keeps the higher rates from aliasing into the decimated signal).
    std::array<float, kCoarseSamples> d{};
    const float* span = end - (window + pitch_max);
    for (int j = 0; j < kCoarseSamples; ++j) {
      float s = 0;
      for (int t = 0; t < decimation; ++t)
        s += span[j * decimation + t];
      d[static_cast<std::size_t>(j)] = s;
    }
    const int wd = window / decimation;
    const float* l = d.data() + (kCoarseSamples - wd);
    const float floor_d = kMinPowerPerSample * static_cast<float>(window * decimation);
    float best = -std::numeric_limits<float>::infinity();
    int best_j = 0;
    for (int j = 0; j <= (pitch_max - pitch_min) / decimation; ++j) {  // lag pitch_max - j*dec
      const float* r = d.data() + j;
      const float s = dot(l, r, wd) / std::sqrt(std::max(dot(r, r, wd), floor_d));
      if (s >= best) {
        best = s;
        best_j = j;
      }
    }
    // Fine: full rate around the coarse peak.
    const int coarse = pitch_max - best_j * decimation;
    int pitch = coarse;
    best = -std::numeric_limits<float>::infinity();
    for (int lag = std::min(pitch_max, coarse + decimation - 1);
         lag >= std::max(pitch_min, coarse - decimation + 1); --lag) {
      const float s = score(end, lag);
      if (s >= best) {
        best = s;
        pitch = lag;
      }
    }
    // Fold a peak at two or three periods back to one.
    if (best > 0) {
      for (const int div : {3, 2}) {
        const int centre = (pitch + div / 2) / div;
        for (int lag = std::max(pitch_min, centre - 1); lag <= std::min(pitch_max, centre + 1);
             ++lag) {
          if (score(end, lag) >= kSubMultipleRatio * best) return lag;
        }
      }
    }
    return pitch;
  }

  // --- synthesis -------------------------------------------------------------------------
  // The contiguous run of the `m`-period cycle from `pos`: its samples and their count.
  const float* cycle(const Analysis& a, int m, int pos, int& run) const noexcept {
    const int length = m * a.pitch;
    const int body = length - a.overlap;
    if (pos < body) {
      run = body - pos;
      return a.x.data() + (history - length + pos);
    }
    run = length - pos;
    return a.tails.data() + ((m - 1) * overlap_max + (pos - body));
  }

  // Level at position n of the erasure: 1 for a frame, then -20 % per frame, 0 from 60 ms.
  [[nodiscard]] float gain(std::int64_t n) const noexcept {
    if (n < frame) return 1.0f;
    const float g =
        1.0f - kRampPerFrame * static_cast<float>(n - frame) / static_cast<float>(frame);
    return std::max(g, 0.0f);
  }

  // Writes `count` samples of the synthetic signal from cursor `c`, which advances. Their level
  // follows the schedule, or is `held` when that is not negative (the recovery fade).
  void synthesize(const Analysis& a, Cursor& c, float* out, std::size_t count,
                  float held = -1.0f) const noexcept {
    const int q = a.overlap;
    const std::int64_t silent = std::int64_t{kSilentAfter} * frame;
    std::size_t i = 0;
    while (i < count) {
      if (c.n >= silent && held < 0) {
        std::fill(out + i, out + count, 0.0f);
        c.n += static_cast<std::int64_t>(count - i);
        return;
      }
      // After 10 and 20 ms: one more period in the cycle, faded in over a quarter period at
      // the same phase (the position modulo one period).
      if (c.periods < kMaxPeriods && c.n == std::int64_t{c.periods} * frame) {
        c.old_periods = c.periods;
        c.old_pos = c.pos;
        c.periods += 1;
        c.pos %= a.pitch;
        c.faded = 0;
      }
      // The longest run over which nothing changes but the position.
      auto run = static_cast<std::int64_t>(count - i);
      for (const std::int64_t edge :
           {std::int64_t{q}, std::int64_t{frame}, std::int64_t{2} * frame, silent}) {
        if (edge > c.n) run = std::min(run, edge - c.n);
      }
      int len = 0;
      const float* src = cycle(a, c.periods, c.pos, len);
      run = std::min<std::int64_t>(run, len);
      const float* old = nullptr;
      if (c.old_periods != 0) {
        old = cycle(a, c.old_periods, c.old_pos, len);
        run = std::min<std::int64_t>(run, std::min(len, q - c.faded));
      }
      const int r = static_cast<int>(run);
      float* o = out + i;
      if (old != nullptr || c.n < q || held >= 0) {
        for (int k = 0; k < r; ++k) {
          float v = src[k];
          if (old != nullptr) {
            const float w = static_cast<float>(c.faded + k + 1) / static_cast<float>(q);
            v = (1.0f - w) * old[k] + w * v;
          }
          const std::int64_t n = c.n + k;
          if (n < q) {  // zero-delay junction: the step to the repeated period decays away
            v += a.offset * (static_cast<float>(q - n) / static_cast<float>(q));
          }
          o[k] = v * (held >= 0 ? held : gain(n));
        }
      } else if (c.n < frame) {
        std::copy(src, src + r, o);
      } else {
        for (int k = 0; k < r; ++k)
          o[k] = src[k] * gain(c.n + k);
      }
      c.n += r;
      c.pos += r;
      if (c.pos == c.periods * a.pitch) c.pos = 0;
      if (old != nullptr) {
        c.old_pos += r;
        if (c.old_pos == c.old_periods * a.pitch) c.old_pos = 0;
        c.faded += r;
        if (c.faded == q) c.old_periods = 0;
      }
      i += static_cast<std::size_t>(r);
    }
  }

  void begin_erasure() noexcept {
    if (mode == Mode::concealing) return;
    analyse(slots[static_cast<std::size_t>(1 - active)]);
    active = 1 - active;
    cursor = {};
    mode = Mode::concealing;
    ++stats.erasures;
  }

  // First good samples after an erasure: how many more to cross-fade, starting it if needed.
  std::size_t fade_length(std::size_t n) noexcept {
    if (mode == Mode::concealing) {
      // As the Appendix's reference: a quarter period, plus 4 ms per further 10 ms of erasure
      // begun, at most 10 ms. The synthetic signal keeps the level it had reached.
      const std::int64_t frames = (cursor.n + frame - 1) / frame;
      const std::int64_t len =
          slots[static_cast<std::size_t>(active)].overlap + (frames - 1) * recover_step;
      recover_len = static_cast<int>(std::min<std::int64_t>(len, frame));
      recover_gain = gain(cursor.n);
      recover_done = 0;
      mode = Mode::recovering;
    }
    if (mode != Mode::recovering) return 0;
    return std::min(n, static_cast<std::size_t>(recover_len - recover_done));
  }

  // Cross-fades x[0..n) (n <= frame) from the synthetic continuation into the real signal.
  void fade_in(float* x, std::size_t n) noexcept {
    synthesize(slots[static_cast<std::size_t>(active)], cursor, synthetic.data(), n, recover_gain);
    for (std::size_t t = 0; t < n; ++t) {
      const float w = static_cast<float>(recover_done + static_cast<int>(t) + 1) /
                      static_cast<float>(recover_len);
      x[t] = (1.0f - w) * synthetic[t] + w * x[t];
    }
    recover_done += static_cast<int>(n);
    if (recover_done == recover_len) mode = Mode::normal;
  }

  void clear() noexcept {
    std::fill(ring.begin(), ring.end(), 0.0f);
    head = 0;
    cursor = {};
    mode = Mode::normal;
    recover_len = recover_done = 0;
  }
};

Concealer::Concealer(const Config& config) : sample_rate_hz_(config.sample_rate_hz) {
  if (!supported_rate(config.sample_rate_hz)) {
    throw Error(Status::bad_config, "plc::Concealer: sample_rate_hz must be 8000, 16000 or 48000");
  }
  state_ = std::make_unique<State>(config.sample_rate_hz);
}

Concealer::Concealer(Concealer&&) noexcept = default;
Concealer& Concealer::operator=(Concealer&&) noexcept = default;
Concealer::~Concealer() = default;

void Concealer::good(std::span<float> frame) noexcept {
  if (!state_ || frame.empty()) return;
  State& s = *state_;
  // The fade is at most one frame long, the size of `synthetic`.
  const std::size_t k = s.fade_length(frame.size());
  if (k != 0) s.fade_in(frame.data(), k);
  s.record(frame.data(), frame.size());
}

void Concealer::good(std::span<std::int16_t> frame) noexcept {
  if (!state_ || frame.empty()) return;
  State& s = *state_;
  const std::size_t k = s.fade_length(frame.size());
  if (k != 0) {
    // The fade in float, recorded unrounded exactly like the float call.
    float* x = s.scratch.data();
    for (std::size_t t = 0; t < k; ++t)
      x[t] = core::s16_to_float(frame[t]);
    s.fade_in(x, k);
    for (std::size_t t = 0; t < k; ++t)
      frame[t] = core::float_to_s16(x[t]);
    s.record(x, k);
  }
  s.record(frame.data() + k, frame.size() - k);
}

void Concealer::conceal(std::span<float> out) noexcept {
  if (!state_) {
    std::fill(out.begin(), out.end(), 0.0f);
    return;
  }
  if (out.empty()) return;
  State& s = *state_;
  s.begin_erasure();
  s.synthesize(s.slots[static_cast<std::size_t>(s.active)], s.cursor, out.data(), out.size());
  s.record(out.data(), out.size());
  s.stats.concealed_samples += static_cast<std::int64_t>(out.size());
}

void Concealer::conceal(std::span<std::int16_t> out) noexcept {
  if (!state_) {
    std::fill(out.begin(), out.end(), std::int16_t{0});
    return;
  }
  if (out.empty()) return;
  State& s = *state_;
  s.begin_erasure();
  for (std::size_t i = 0; i < out.size(); i += s.scratch.size()) {
    const std::size_t n = std::min(s.scratch.size(), out.size() - i);
    float* x = s.scratch.data();
    s.synthesize(s.slots[static_cast<std::size_t>(s.active)], s.cursor, x, n);
    s.record(x, n);
    for (std::size_t t = 0; t < n; ++t)
      out[i + t] = core::float_to_s16(x[t]);
  }
  s.stats.concealed_samples += static_cast<std::int64_t>(out.size());
}

void Concealer::peek(std::span<float> out) noexcept {
  if (!state_) {
    std::fill(out.begin(), out.end(), 0.0f);
    return;
  }
  if (out.empty()) return;
  State& s = *state_;
  if (s.mode == State::Mode::concealing) {
    State::Cursor c = s.cursor;
    s.synthesize(s.slots[static_cast<std::size_t>(s.active)], c, out.data(), out.size());
    return;
  }
  // What a new erasure would give, analysed into the idle slot.
  auto& idle = s.slots[static_cast<std::size_t>(1 - s.active)];
  s.analyse(idle);
  State::Cursor c;
  s.synthesize(idle, c, out.data(), out.size());
}

void Concealer::peek(std::span<std::int16_t> out) noexcept {
  if (!state_) {
    std::fill(out.begin(), out.end(), std::int16_t{0});
    return;
  }
  if (out.empty()) return;
  State& s = *state_;
  State::Cursor c = s.cursor;
  const State::Analysis* a = &s.slots[static_cast<std::size_t>(s.active)];
  if (s.mode != State::Mode::concealing) {
    auto& idle = s.slots[static_cast<std::size_t>(1 - s.active)];
    s.analyse(idle);
    a = &idle;
    c = {};
  }
  for (std::size_t i = 0; i < out.size(); i += s.scratch.size()) {
    const std::size_t n = std::min(s.scratch.size(), out.size() - i);
    s.synthesize(*a, c, s.scratch.data(), n);
    for (std::size_t t = 0; t < n; ++t)
      out[i + t] = core::float_to_s16(s.scratch[t]);
  }
}

void Concealer::reset() noexcept {
  if (state_) state_->clear();
}

const Concealer::Stats& Concealer::stats() const noexcept {
  static const Stats kNone;
  return state_ ? state_->stats : kNone;
}

}  // namespace ivrmedia::plc
