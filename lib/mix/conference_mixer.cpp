// N-1 conference mixing. Per block of up to kBlock samples:
//   1. total = sum over legs of pub_k * x_k          (one pass over every input)
//   2. out_k = total - pub_k * x_k                    (one subtraction per leg)
//   3. out_t += wsp_j * x_j for each whispering leg j (t = its target)
//   4. out_k = limiter_k(out_k)
// In step 2 each leg subtracts exactly the float product it added in step 1 (same gain, same
// expression; a ramping gain is replayed from a copy of its state), so out_k differs from the
// exact sum of the others by float rounding only, and nothing was clipped before it: no leg
// hears itself however loud the sum.
#include <algorithm>
#include <cmath>
#include <vector>

#include "ivrmedia/mixer.hpp"
#include "mix/gain_ramp.hpp"
#include "mix/mix_kernels.hpp"

namespace ivrmedia::mix {

namespace {
constexpr std::size_t kBlock = 128;

struct Leg {
  GainRamp pub;                    // gain toward everyone
  GainRamp wsp{0.0f, 0.0f, 0.0f};  // gain toward wsp_to
  int wsp_to = -1;                 // whisper target the ramp applies to now
  int pending_to = -1;             // target wanted; differs while fading out of the old one
  ConferenceMixer::Talk talk = ConferenceMixer::Talk::everyone;
  float gain = 1.0f;
};

Limiter::Config limiter_config(const ConferenceMixer::Config& c) {
  Limiter::Config l = c.limiter;
  l.sample_rate_hz = c.sample_rate_hz;
  return l;
}
}  // namespace

struct ConferenceMixer::Impl {
  std::vector<Limiter> limiters;
  std::vector<Leg> legs;
  std::vector<GainRamp> pub_start;  // each leg's ramp as the block began (step 2 replays it)
  std::vector<float> total;
  std::vector<const float*> in_ptr;  // per leg, this block; null = silence
  std::vector<float*> out_ptr;
  std::vector<float> s16_in, s16_out;  // int16 path: float copies of one block per leg
  int ramp = 0;

  void whisper(Leg& leg, const float* x, std::size_t k_legs, std::size_t n) {
    const bool steady = leg.wsp.at_rest() && leg.pending_to == leg.wsp_to;
    if (steady) {
      const float v = leg.wsp.value;
      if (v == 0.0f || x == nullptr || leg.wsp_to < 0 ||
          static_cast<std::size_t>(leg.wsp_to) >= k_legs) {
        return;
      }
      float* dst = out_ptr[static_cast<std::size_t>(leg.wsp_to)];
      if (v == 1.0f) {
        add_block(dst, x, n);
      } else {
        add_scaled_block(dst, x, v, n);
      }
      return;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const float g = leg.wsp.next();
      if (g == 0.0f && leg.pending_to != leg.wsp_to) {  // faded out of the old target
        leg.wsp_to = leg.pending_to;
        if (leg.wsp_to >= 0) leg.wsp.set(leg.gain, ramp);
      }
      if (g != 0.0f && x != nullptr && leg.wsp_to >= 0 &&
          static_cast<std::size_t>(leg.wsp_to) < k_legs) {
        out_ptr[static_cast<std::size_t>(leg.wsp_to)][i] += g * x[i];
      }
    }
  }

  void block(std::size_t k_legs, std::size_t n) {
    float* t = total.data();
    zero_block(t, n);
    for (std::size_t k = 0; k < k_legs; ++k) {  // 1. the one pass
      GainRamp& r = legs[k].pub;
      pub_start[k] = r;
      const float* x = in_ptr[k];
      if (r.at_rest()) {
        if (x == nullptr || r.value == 0.0f) continue;
        if (r.value == 1.0f) {
          add_block(t, x, n);
        } else {
          add_scaled_block(t, x, r.value, n);
        }
      } else if (x == nullptr) {
        for (std::size_t i = 0; i < n; ++i)
          r.next();
      } else {
        for (std::size_t i = 0; i < n; ++i)
          t[i] += r.next() * x[i];
      }
    }
    for (std::size_t k = 0; k < k_legs; ++k) {  // 2. minus one's own
      GainRamp r = pub_start[k];
      const float* x = in_ptr[k];
      float* out = out_ptr[k];
      if (x == nullptr || (r.at_rest() && r.value == 0.0f)) {
        copy_block(out, t, n);
      } else if (r.at_rest()) {
        if (r.value == 1.0f) {
          sub_block(out, t, x, n);
        } else {
          sub_scaled_block(out, t, x, r.value, n);
        }
      } else {
        for (std::size_t i = 0; i < n; ++i)
          out[i] = t[i] - r.next() * x[i];
      }
    }
    for (std::size_t k = 0; k < k_legs; ++k)
      whisper(legs[k], in_ptr[k], k_legs, n);   // 3.
    for (std::size_t k = 0; k < k_legs; ++k) {  // 4.
      limiters[k].process_in_place(std::span(out_ptr[k], n));
    }
  }

  void retarget(Leg& leg) {
    switch (leg.talk) {
      case Talk::everyone:
        leg.pub.set(leg.gain, ramp);
        leg.pending_to = -1;
        leg.wsp.set(0.0f, ramp);
        break;
      case Talk::nobody:
        leg.pub.set(0.0f, ramp);
        leg.pending_to = -1;
        leg.wsp.set(0.0f, ramp);
        break;
      case Talk::one_leg:
        leg.pub.set(0.0f, ramp);
        if (leg.wsp_to == leg.pending_to || leg.wsp.value == 0.0f) {
          leg.wsp_to = leg.pending_to;
          leg.wsp.set(leg.gain, ramp);
        } else {
          leg.wsp.set(0.0f, ramp);  // fade out of the old target first
        }
        break;
    }
  }

  void reset_leg(std::size_t k) {
    Leg& leg = legs[k];
    limiters[k].reset();
    leg.pub.finish();
    leg.wsp_to = leg.pending_to;
    leg.wsp.target = leg.talk == Talk::one_leg ? leg.gain : 0.0f;
    leg.wsp.finish();
  }
};

ConferenceMixer::ConferenceMixer(const Config& config)
    : config_(config), impl_(std::make_unique<Impl>()) {
  const auto& c = config;
  if (c.max_legs < 1 || c.max_legs > 1024 || !(c.gain_ramp_ms >= 0.0f) ||
      c.gain_ramp_ms > 1000.0f) {
    throw Error(Status::bad_config, "mix::ConferenceMixer: config out of range");
  }
  auto& m = *impl_;
  const auto legs = static_cast<std::size_t>(c.max_legs);
  m.limiters.reserve(legs);
  for (std::size_t k = 0; k < legs; ++k)
    m.limiters.emplace_back(limiter_config(c));
  m.legs.resize(legs);
  m.pub_start.resize(legs);
  m.total.resize(kBlock);
  m.in_ptr.resize(legs);
  m.out_ptr.resize(legs);
  m.s16_in.resize(legs * kBlock);
  m.s16_out.resize(legs * kBlock);
  m.ramp = static_cast<int>(
      std::lround(static_cast<double>(c.sample_rate_hz) * c.gain_ramp_ms / 1000.0));
}

ConferenceMixer::ConferenceMixer(ConferenceMixer&&) noexcept = default;
ConferenceMixer& ConferenceMixer::operator=(ConferenceMixer&&) noexcept = default;
ConferenceMixer::~ConferenceMixer() = default;

namespace {
template <typename In, typename Out>
Status check_frame(std::span<const std::span<const In>> in, std::span<const std::span<Out>> out,
                   int max_legs, std::size_t* frame) {
  if (in.size() != out.size() || in.size() > static_cast<std::size_t>(max_legs)) {
    return Status::invalid_argument;
  }
  *frame = out.empty() ? 0 : out[0].size();
  for (std::size_t k = 0; k < in.size(); ++k) {
    if (out[k].size() != *frame) return Status::invalid_argument;
    if (!in[k].empty() && in[k].size() != *frame) return Status::invalid_argument;
  }
  return Status::ok;
}
}  // namespace

Status ConferenceMixer::process(std::span<const std::span<const float>> in,
                                std::span<const std::span<float>> out) noexcept {
  if (!impl_) return Status::bad_state;
  std::size_t frame = 0;
  if (const Status s = check_frame(in, out, config_.max_legs, &frame); !ok(s)) return s;
  auto& m = *impl_;
  for (std::size_t o = 0; o < frame; o += kBlock) {
    const std::size_t n = std::min(kBlock, frame - o);
    for (std::size_t k = 0; k < in.size(); ++k) {
      m.in_ptr[k] = in[k].empty() ? nullptr : in[k].data() + o;
      m.out_ptr[k] = out[k].data() + o;
    }
    m.block(in.size(), n);
  }
  return Status::ok;
}

Status ConferenceMixer::process(std::span<const std::span<const std::int16_t>> in,
                                std::span<const std::span<std::int16_t>> out) noexcept {
  if (!impl_) return Status::bad_state;
  std::size_t frame = 0;
  if (const Status s = check_frame(in, out, config_.max_legs, &frame); !ok(s)) return s;
  auto& m = *impl_;
  for (std::size_t o = 0; o < frame; o += kBlock) {
    const std::size_t n = std::min(kBlock, frame - o);
    for (std::size_t k = 0; k < in.size(); ++k) {
      float* fin = m.s16_in.data() + k * kBlock;
      m.in_ptr[k] = nullptr;
      if (!in[k].empty()) {
        s16_to_float_block(in[k].data() + o, fin, n);
        m.in_ptr[k] = fin;
      }
      m.out_ptr[k] = m.s16_out.data() + k * kBlock;
    }
    m.block(in.size(), n);
    for (std::size_t k = 0; k < in.size(); ++k) {
      float_to_s16_block(m.out_ptr[k], out[k].data() + o, n);
    }
  }
  return Status::ok;
}

Status ConferenceMixer::set_talk(int leg, Talk talk, int target_leg) noexcept {
  if (!impl_) return Status::bad_state;
  if (leg < 0 || leg >= config_.max_legs) return Status::out_of_range;
  if (talk == Talk::one_leg &&
      (target_leg < 0 || target_leg >= config_.max_legs || target_leg == leg)) {
    return Status::out_of_range;
  }
  if (talk != Talk::everyone && talk != Talk::nobody && talk != Talk::one_leg) {
    return Status::invalid_argument;
  }
  Leg& l = impl_->legs[static_cast<std::size_t>(leg)];
  l.talk = talk;
  if (talk == Talk::one_leg) l.pending_to = target_leg;
  impl_->retarget(l);
  return Status::ok;
}

Status ConferenceMixer::set_gain_db(int leg, float gain_db) noexcept {
  if (!impl_) return Status::bad_state;
  if (leg < 0 || leg >= config_.max_legs) return Status::out_of_range;
  if (!(gain_db >= -96.0f && gain_db <= 24.0f)) return Status::out_of_range;
  Leg& l = impl_->legs[static_cast<std::size_t>(leg)];
  l.gain = gain_db <= -96.0f ? 0.0f : std::pow(10.0f, gain_db / 20.0f);
  impl_->retarget(l);
  return Status::ok;
}

Status ConferenceMixer::reset_leg(int leg) noexcept {
  if (!impl_) return Status::bad_state;
  if (leg < 0 || leg >= config_.max_legs) return Status::out_of_range;
  impl_->reset_leg(static_cast<std::size_t>(leg));
  return Status::ok;
}

void ConferenceMixer::reset() noexcept {
  if (!impl_) return;
  for (std::size_t k = 0; k < impl_->legs.size(); ++k)
    impl_->reset_leg(k);
}

int ConferenceMixer::latency_samples() const noexcept {
  return impl_ ? impl_->limiters[0].latency_samples() : 0;
}

const Limiter::Stats* ConferenceMixer::leg_limiter_stats(int leg) const noexcept {
  if (!impl_ || leg < 0 || leg >= config_.max_legs) return nullptr;
  return &impl_->limiters[static_cast<std::size_t>(leg)].stats();
}

}  // namespace ivrmedia::mix
