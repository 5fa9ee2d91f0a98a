// Look-ahead limiter. Per sample n (x = input, L = look-ahead, H = hold):
//   r[n] = f(|x[n]|) / |x[n]|          gain sample n needs (1 at or under the threshold)
//   m[n] = min r[n-L-H .. n]           sliding minimum (monotonic queue, values < 1 only)
//   e[n] = m < e[n-1] ? m : e[n-1] + a (m - e[n-1])      instant down, exponential release
//   g[n] = mean over j in 0..L of e[n-j], as two cascaded moving averages (L1 + L2 = L)
//   y[n] = g[n] * x[n-L]
// Every m[n-j], j in 0..L, covers sample n-L, and e <= m, so g[n] <= r[n-L]: the gain is down
// before the peak leaves the delay line. The averages run on e quantized down to Q30 integers,
// so their running sums are exact: no drift over days, and a gain of exactly 1.0 when idle,
// which makes the idle path (all state at unity, block under the threshold) a plain delay.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "ivrmedia/mixer.hpp"
#include "mix/mix_kernels.hpp"

namespace ivrmedia::mix {

namespace {
constexpr double kQ = 1073741824.0;  // 2^30
constexpr std::int32_t kOneQ = 1 << 30;
// The release snaps to its target once within this (-0.001 dB): an exponential approach in
// float would otherwise stall a few ulps short of 1.0 and never let the idle path take over.
constexpr float kSnap = 1.2e-4f;
// Larger inputs (and NaN) are treated as broken upstream and read as 0.
constexpr float kHuge = 1.0e30f;
constexpr std::size_t kChunk = 32;  // granularity of the idle-path test

float db_to_lin(float db) {
  return static_cast<float>(std::pow(10.0, static_cast<double>(db) / 20.0));
}
}  // namespace

struct Limiter::Impl {
  // config, derived
  int L = 0, L1 = 0, L2 = 0, W = 0;  // look-ahead, the two averages' spans, min window
  float ceiling = 1.0f, threshold = 1.0f, knee = 0.0f, alpha = 0.0f;
  // 1 / ((L1 + 1) (L2 + 1) 2^30): g = S2 * inv_denom. Its double rounding (1e-16) vanishes
  // in the float result, which is exactly 1.0 when S2 is full.
  double inv_denom = 0.0;
  // memory
  std::vector<float> delay;
  std::vector<float> tail;   // idle path: a block's last L inputs
  std::vector<float> q_val;  // monotonic queue of (r, index), ring of W entries
  std::vector<std::int64_t> q_idx;
  std::vector<std::int32_t> ring1;  // e in Q30, L1 + 1 entries
  std::vector<std::int64_t> ring2;  // running sums of ring1, L2 + 1 entries
  std::vector<float> scratch;       // int16 path
  // stream state
  std::size_t pd = 0, p1 = 0, p2 = 0, q_head = 0, q_size = 0;
  std::int64_t n = 0, ones = 0, s1 = 0, s2 = 0;
  float e = 1.0f, g = 1.0f;
  Stats stats;

  void reset() {
    std::fill(delay.begin(), delay.end(), 0.0f);
    std::fill(ring1.begin(), ring1.end(), kOneQ);
    std::fill(ring2.begin(), ring2.end(), static_cast<std::int64_t>(L1 + 1) * kOneQ);
    s1 = static_cast<std::int64_t>(L1 + 1) * kOneQ;
    s2 = static_cast<std::int64_t>(L2 + 1) * s1;
    pd = p1 = p2 = q_head = q_size = 0;
    n = 0;
    ones = L + 1;  // idle
    e = g = 1.0f;
    stats = Stats{};
  }

  [[nodiscard]] bool idle() const { return q_size == 0 && ones > L; }

  float needed_gain(float a) const {
    if (knee <= 0.0f) return ceiling / a;
    const float u = (a - threshold) / knee;
    return (threshold + knee * u / (1.0f + u)) / a;
  }

  // The per-sample recurrence over a chunk. State lives in locals for the loop (stores to
  // `out` could alias the members otherwise, and every sample would reload them).
  void careful(const float* in, float* out, std::size_t count) {
    const auto w = static_cast<std::size_t>(W);
    const std::size_t n1 = ring1.size(), n2 = ring2.size(), l = delay.size();
    float* const qv = q_val.data();
    std::int64_t* const qi = q_idx.data();
    std::int32_t* const r1 = ring1.data();
    std::int64_t* const r2 = ring2.data();
    float* const dl = delay.data();
    std::size_t head = q_head, size = q_size, i1 = p1, i2 = p2, id = pd;
    std::int64_t t = n, one_run = ones, sum1 = s1, sum2 = s2, limited = 0, clamped = 0;
    float env = e, gain = g, min_gain = stats.min_gain;
    for (std::size_t i = 0; i < count; ++i) {
      float x = in[i];
      float a = std::fabs(x);
      if (!(a <= kHuge)) x = a = 0.0f;
      // sliding minimum over the last W samples of r; r == 1 is never queued (the empty
      // queue reads as 1), so an idle limiter's queue stays empty
      if (a > threshold) {
        const float r = needed_gain(a);
        while (size > 0) {
          std::size_t back = head + size - 1;
          if (back >= w) back -= w;
          if (qv[back] < r) break;
          --size;
        }
        std::size_t slot = head + size;
        if (slot >= w) slot -= w;
        qv[slot] = r;
        qi[slot] = t;
        ++size;
      }
      if (size > 0 && qi[head] <= t - W) {  // at most one entry expires per sample
        head = head + 1 == w ? 0 : head + 1;
        --size;
      }
      const float m = size > 0 ? qv[head] : 1.0f;
      if (m < env) {
        env = m;
      } else if (env < m) {
        const float next = env + alpha * (m - env);
        env = m - next <= kSnap ? m : next;
      }
      one_run = env == 1.0f ? one_run + 1 : 0;
      // two moving averages on exact integer sums; truncation keeps every term <= e
      const auto q = static_cast<std::int32_t>(static_cast<double>(env) * kQ);
      sum1 += q - r1[i1];
      r1[i1] = q;
      i1 = i1 + 1 == n1 ? 0 : i1 + 1;
      sum2 += sum1 - r2[i2];
      r2[i2] = sum1;
      i2 = i2 + 1 == n2 ? 0 : i2 + 1;
      gain = static_cast<float>(static_cast<double>(sum2) * inv_denom);
      const float d = dl[id];
      dl[id] = x;
      id = id + 1 == l ? 0 : id + 1;
      ++t;
      float y = gain * d;
      limited += gain < 1.0f ? 1 : 0;
      min_gain = std::min(min_gain, gain);
      if (std::fabs(y) > ceiling) {  // rounding of g only: g |d| <= f(|d|) < ceiling in reals
        y = std::copysign(ceiling, y);
        ++clamped;
      }
      out[i] = y;
    }
    q_head = head;
    q_size = size;
    p1 = i1;
    p2 = i2;
    pd = id;
    n = t;
    ones = one_run;
    s1 = sum1;
    s2 = sum2;
    e = env;
    g = gain;
    stats.min_gain = min_gain;
    stats.limited_samples += limited;
    stats.clamped += clamped;
  }

  // The idle path: every gain is exactly 1 and stays so, the output is the delay line.
  void pass(const float* in, float* out, std::size_t count) {
    const std::size_t l = delay.size();
    if (count >= l) {
      // out = the delay line (oldest first), then in[0, count - L); the line keeps the last
      // L inputs, rewritten to start at 0. `in` may equal `out`: its tail is saved first.
      copy_block(tail.data(), in + (count - l), l);
      std::memmove(out + l, in, (count - l) * sizeof(float));
      copy_block(out, delay.data() + pd, l - pd);
      copy_block(out + (l - pd), delay.data(), pd);
      copy_block(delay.data(), tail.data(), l);
      pd = 0;
    } else {
      std::size_t i = 0;
      while (i < count) {
        const std::size_t c = std::min(count - i, l - pd);
        swap_through(delay.data() + pd, in + i, out + i, c);
        pd += c;
        if (pd == l) pd = 0;
        i += c;
      }
    }
    const auto c = static_cast<std::int64_t>(count);
    n += c;
    ones += c;
    p1 = (p1 + count) % ring1.size();
    p2 = (p2 + count) % ring2.size();
  }

  void run(const float* in, float* out, std::size_t count) {
    stats.samples += static_cast<std::int64_t>(count);
    if (idle() && all_within(in, count, threshold)) {  // the common case, in one go
      pass(in, out, count);
      return;
    }
    for (std::size_t o = 0; o < count; o += kChunk) {
      const std::size_t c = std::min(kChunk, count - o);
      if (idle() && all_within(in + o, c, threshold)) {
        pass(in + o, out + o, c);
      } else {
        careful(in + o, out + o, c);
      }
    }
  }
};

Limiter::Limiter(const Config& config) : config_(config), impl_(std::make_unique<Impl>()) {
  const auto& c = config;
  const bool ok = c.sample_rate_hz >= 8000 && c.sample_rate_hz <= 192000 &&
                  c.ceiling_dbfs >= -20.0f && c.ceiling_dbfs <= 0.0f &&
                  c.threshold_dbfs <= c.ceiling_dbfs && c.threshold_dbfs >= -40.0f &&
                  c.lookahead_ms >= 0.25f && c.lookahead_ms <= 20.0f && c.hold_ms >= 0.0f &&
                  c.hold_ms <= 100.0f && c.release_ms >= 1.0f && c.release_ms <= 5000.0f;
  if (!ok) throw Error(Status::bad_config, "mix::Limiter: config out of range");
  auto& m = *impl_;
  const double fs = c.sample_rate_hz;
  m.L = std::max(2, static_cast<int>(std::lround(fs * c.lookahead_ms / 1000.0)));
  m.L1 = m.L / 2;
  m.L2 = m.L - m.L1;
  m.W = m.L + static_cast<int>(std::lround(fs * c.hold_ms / 1000.0)) + 1;
  m.ceiling = db_to_lin(c.ceiling_dbfs);
  m.threshold = std::min(db_to_lin(c.threshold_dbfs), m.ceiling);
  m.knee = m.ceiling - m.threshold;
  m.alpha = static_cast<float>(1.0 - std::exp(-1000.0 / (fs * c.release_ms)));
  m.inv_denom = 1.0 / (static_cast<double>(m.L1 + 1) * static_cast<double>(m.L2 + 1) * kQ);
  m.delay.resize(static_cast<std::size_t>(m.L));
  m.tail.resize(static_cast<std::size_t>(m.L));
  m.q_val.resize(static_cast<std::size_t>(m.W));
  m.q_idx.resize(static_cast<std::size_t>(m.W));
  m.ring1.resize(static_cast<std::size_t>(m.L1 + 1));
  m.ring2.resize(static_cast<std::size_t>(m.L2 + 1));
  m.scratch.resize(256);
  m.reset();
}

Limiter::Limiter(Limiter&&) noexcept = default;
Limiter& Limiter::operator=(Limiter&&) noexcept = default;
Limiter::~Limiter() = default;

Status Limiter::process(std::span<const float> in, std::span<float> out) noexcept {
  if (!impl_) return Status::bad_state;
  if (in.size() != out.size()) return Status::invalid_argument;
  impl_->run(in.data(), out.data(), in.size());
  return Status::ok;
}

Status Limiter::process(std::span<const std::int16_t> in, std::span<std::int16_t> out) noexcept {
  if (!impl_) return Status::bad_state;
  if (in.size() != out.size()) return Status::invalid_argument;
  float* s = impl_->scratch.data();
  const std::size_t block = impl_->scratch.size();
  for (std::size_t o = 0; o < in.size(); o += block) {
    const std::size_t c = std::min(block, in.size() - o);
    s16_to_float_block(in.data() + o, s, c);
    impl_->run(s, s, c);
    float_to_s16_block(s, out.data() + o, c);
  }
  return Status::ok;
}

void Limiter::process_in_place(std::span<float> buffer) noexcept {
  if (impl_) impl_->run(buffer.data(), buffer.data(), buffer.size());
}

int Limiter::latency_samples() const noexcept {
  return impl_ ? impl_->L : 0;
}
float Limiter::gain() const noexcept {
  return impl_ ? impl_->g : 1.0f;
}
const Limiter::Stats& Limiter::stats() const noexcept {
  static const Stats kEmpty{};
  return impl_ ? impl_->stats : kEmpty;
}
void Limiter::reset() noexcept {
  if (impl_) impl_->reset();
}

}  // namespace ivrmedia::mix
