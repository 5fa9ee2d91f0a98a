// ivrmedia C++ API: mixing. A look-ahead soft limiter, a per-channel mixer (prompts over ducked
// background music) and a conference mixer (N-1: each leg hears every other leg, never itself).
//
// Everything is float32 with full scale +-1.0 (int16 overloads read x / 32768 and write rounded
// to nearest, saturated). Sums are accumulated in float and limited once, at the end, by a
// limiter that keeps every output sample within its ceiling (-1 dBFS by default), so sources
// that add up never clip and never wrap.
//
// Limiter: y[n] = g[n] * x[n - L], L = look-ahead (2 ms by default: 16 samples at 8 kHz, 32 at
// 16 kHz, 96 at 48 kHz; latency_samples()). The gain a sample needs, r = f(|x|) / |x| with
// f a soft knee from the threshold (-3 dBFS) up to the ceiling, is held as a minimum over the
// look-ahead plus a hold time (10 ms), released exponentially (60 ms time constant) and then
// smoothed by two cascaded moving averages spanning exactly the look-ahead: every gain that
// reaches a sample is an average of gains no higher than the one it needs, so the gain is
// already down when a peak arrives (an S-shaped 2 ms attack, no step) and no output exceeds the
// ceiling (a final clamp catches float rounding only; stats().clamped counts it).
// Measured (tests/mix/test_mixer.cpp, LimiterDistortion; THD+N = residual after fitting the
// sine, over the second second): a sine driven 6 / 12 dB over the ceiling leaves at a steady
// gain (the hold spans half a period down to 50 Hz), so at 200 Hz THD+N is -150 dB at 8, 16
// and 48 kHz. At 997 Hz: -112 / -112 dB at 48 kHz, -74 / -65 dB at 16 kHz, -54 / -53 dB at
// 8 kHz: the limiter reads sample peaks, and a 997 Hz sine's sample peaks beat against the
// 8 kHz grid (up to 0.7 dB, repeating every 42 ms, longer than the hold), and the gain
// follows that beat with a 0.05 dB ripple: sidebands at multiples of 24 Hz around the tone
// rather than harmonics. Signals whose samples all stay
// at or under the threshold pass bit-exactly, delayed by L (once an earlier reduction has been
// released: about ten release time constants).
//
// Mixer: one output channel = limiter(sum of foreground sources + duck gain * sum of
// background sources). Ducking: the background goes down by duck_depth_db while the foreground
// is active, in a ramp linear in dB (duck_attack_ms down, duck_release_ms back up; gain moves
// every sample, no zipper steps). The foreground is active while any of its samples exceeded
// duck_threshold_dbfs within the last duck_hold_ms (so pauses between words keep the music
// down), or while the host says so with set_foreground_active(true).
//
// ConferenceMixer: K legs, each frame total = sum of the legs that talk to everyone (one
// pass), out_k = limiter_k(total - own_k + whispers to k). The sum is never clipped before the
// subtraction (Asterisk clips the sum to 16 bits first, so once it saturates a talker hears an
// inverted copy of itself); each leg's limiter sees only what that leg should hear. Per leg: a
// talk mode (everyone; nobody = listen only; one_leg = whisper to one leg) and a gain, both
// ramped over gain_ramp_ms so changes never click. Supervisor whisper: set_talk(supervisor,
// Talk::one_leg, agent): the agent hears caller + supervisor, the supervisor hears caller +
// agent, the caller hears the agent only. Silent monitoring: Talk::nobody. Barge-in and
// three-way calls: everyone.
//
// Usage (20 ms frames at 8 kHz; every call returns a Status to check):
//   mix::Mixer mixer({.sample_rate_hz = 8000});                 // at call setup
//   const std::span<const float> prompts[] = {prompt_frame};    // the players' output
//   const std::span<const float> music[] = {music_frame};
//   mixer.process(prompts, music, std::span<std::int16_t>(pcm));   // every 20 ms
//
//   mix::ConferenceMixer conf({.sample_rate_hz = 8000, .max_legs = 3});
//   conf.set_talk(2, mix::ConferenceMixer::Talk::one_leg, 1);  // leg 2 whispers to leg 1
//   conf.process(in_spans, out_spans);                            // one span per leg
//
// Results never depend on how a stream is cut into frames (every gain is a per-sample
// recurrence; tested bit-identical for frames of 1, 7, 80, 160 and 960 samples).
// Real time: all memory is taken at creation; process(), setters and reset() never allocate,
// lock, throw or make system calls. One thread at a time per object.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "ivrmedia/core.hpp"

namespace ivrmedia::mix {

// Look-ahead soft limiter for one channel.
class IVRM_API Limiter {
 public:
  struct Config {
    int sample_rate_hz = 8000;     // 8000..192000
    float ceiling_dbfs = -1.0f;    // no output sample exceeds this; -20..0
    float threshold_dbfs = -3.0f;  // knee start: samples at or under it need no gain; <= ceiling
    float lookahead_ms = 2.0f;     // latency and attack time; 0.25..20 (at least 2 samples)
    float hold_ms = 10.0f;         // a gain reduction is held this long after the peak; 0..100
    float release_ms = 60.0f;      // then released with this time constant; 1..5000
  };

  // Plain counters since creation or reset().
  struct Stats {
    std::int64_t samples = 0;          // samples processed
    std::int64_t limited_samples = 0;  // samples that left with a gain under 1
    std::int64_t clamped = 0;          // samples the final clamp moved (float rounding; expect 0)
    float min_gain = 1.0f;             // lowest gain applied
  };

  // Throws Error(bad_config) for values outside the ranges above.
  explicit Limiter(const Config& config);
  Limiter(Limiter&&) noexcept;
  Limiter& operator=(Limiter&&) noexcept;
  Limiter(const Limiter&) = delete;
  Limiter& operator=(const Limiter&) = delete;
  ~Limiter();

  // in.size() must equal out.size() (invalid_argument, nothing written); they must not overlap
  // (use process_in_place). NaN and infinite samples are read as 0.
  [[nodiscard]] Status process(std::span<const float> in, std::span<float> out) noexcept;
  [[nodiscard]] Status process(std::span<const std::int16_t> in,
                               std::span<std::int16_t> out) noexcept;
  void process_in_place(std::span<float> buffer) noexcept;

  // The look-ahead L in samples: output n is input n - L.
  [[nodiscard]] int latency_samples() const noexcept;
  // The gain the last output sample left with.
  [[nodiscard]] float gain() const noexcept;
  [[nodiscard]] const Stats& stats() const noexcept;
  // Silence before the stream, gain 1, counters at zero.
  void reset() noexcept;
  [[nodiscard]] const Config& config() const noexcept { return config_; }

 private:
  struct Impl;
  Config config_;
  std::unique_ptr<Impl> impl_;
};

// One output channel from any number of foreground (prompts) and background (music) sources.
class IVRM_API Mixer {
 public:
  struct Config {
    int sample_rate_hz = 8000;           // 8000..192000; overrides limiter.sample_rate_hz
    float duck_depth_db = 12.0f;         // background attenuation while foreground; 0..60
    float duck_threshold_dbfs = -40.0f;  // foreground sample level that counts as active
    bool duck_on_level = true;           // false: only set_foreground_active() ducks
    float duck_attack_ms = 20.0f;        // full depth reached in this time; 1..2000
    float duck_hold_ms = 250.0f;         // foreground counts as active this long after a sample
    float duck_release_ms = 400.0f;      // back to unity in this time; 1..5000
    Limiter::Config limiter{};
  };
  struct Stats {
    std::int64_t samples = 0;
    std::int64_t ducked_samples = 0;  // samples with background gain under 1
    Limiter::Stats limiter{};
  };

  // Throws Error(bad_config) for values outside the ranges above (limiter's included).
  explicit Mixer(const Config& config);
  Mixer(Mixer&&) noexcept;
  Mixer& operator=(Mixer&&) noexcept;
  Mixer(const Mixer&) = delete;
  Mixer& operator=(const Mixer&) = delete;
  ~Mixer();

  // Mixes out.size() samples. Every source holds at most out.size() samples; a shorter one
  // (a prompt that ended inside the frame) is silence after its end, a longer one is
  // invalid_argument (nothing written). Sources may be empty; none may overlap `out`.
  // Latency: latency_samples() (the limiter's look-ahead).
  [[nodiscard]] Status process(std::span<const std::span<const float>> foreground,
                               std::span<const std::span<const float>> background,
                               std::span<float> out) noexcept;
  [[nodiscard]] Status process(std::span<const std::span<const float>> foreground,
                               std::span<const std::span<const float>> background,
                               std::span<std::int16_t> out) noexcept;

  // Ducks the background while true, whatever the foreground's level (e.g. driven by the
  // player, or while waiting for the caller's digits). Takes effect from the next sample.
  void set_foreground_active(bool active) noexcept { forced_active_ = active; }
  [[nodiscard]] bool foreground_forced() const noexcept { return forced_active_; }

  // Background gain of the last sample, dB (0 = unity, -duck_depth_db = fully ducked).
  [[nodiscard]] float duck_gain_db() const noexcept;
  [[nodiscard]] int latency_samples() const noexcept { return limiter_.latency_samples(); }
  [[nodiscard]] Stats stats() const noexcept;
  // Stream state only: limiter silent, duck gain at unity, foreground inactive. The forced
  // flag is a setting and stays.
  void reset() noexcept;
  [[nodiscard]] const Config& config() const noexcept { return config_; }

 private:
  static constexpr std::size_t kBlock = 480;  // 10 ms at 48 kHz; frames are cut into these
  void mix_block(std::span<const std::span<const float>> fg,
                 std::span<const std::span<const float>> bg, std::size_t offset, std::size_t n,
                 float* out) noexcept;

  Config config_;
  Limiter limiter_;
  // settings derived from the config
  float duck_gain_ = 1.0f, down_step_ = 1.0f, up_step_ = 1.0f, threshold_ = 0.0f;
  std::int64_t hold_samples_ = 0;
  bool forced_active_ = false;
  // stream state
  float gain_ = 1.0f;
  std::int64_t n_ = 0;
  std::int64_t active_until_ = -1;  // last sample index the level detector keeps active
  std::int64_t ducked_ = 0;
  float fg_[kBlock] = {};
  float bg_[kBlock] = {};
  float mix_[kBlock] = {};
};

// N-1 conference mixing for up to max_legs legs.
class IVRM_API ConferenceMixer {
 public:
  enum class Talk : std::int32_t {
    everyone = 0,  // heard by every other leg (conference, three-way call, barge-in)
    nobody = 1,    // heard by no one (silent monitoring, muted)
    one_leg = 2,   // heard only by one leg (whisper / coaching)
  };
  struct Config {
    int sample_rate_hz = 8000;   // 8000..192000; overrides limiter.sample_rate_hz
    int max_legs = 32;           // 1..1024
    float gain_ramp_ms = 10.0f;  // gain and talk-mode changes ramp over this; 0..1000
    Limiter::Config limiter{};
  };

  // Throws Error(bad_config) for values outside the ranges above.
  explicit ConferenceMixer(const Config& config);
  ConferenceMixer(ConferenceMixer&&) noexcept;
  ConferenceMixer& operator=(ConferenceMixer&&) noexcept;
  ConferenceMixer(const ConferenceMixer&) = delete;
  ConferenceMixer& operator=(const ConferenceMixer&) = delete;
  ~ConferenceMixer();

  // One frame: in[k] is leg k's input, out[k] receives what leg k hears, for k < in.size().
  // in.size() == out.size() <= max_legs; every out[k] has the frame's length; in[k] has it too
  // or is empty (silence). Otherwise invalid_argument and nothing written. Outputs must not
  // overlap inputs. Legs beyond in.size() are absent: they are not heard and their state stays.
  // Each output is delayed by latency_samples().
  [[nodiscard]] Status process(std::span<const std::span<const float>> in,
                               std::span<const std::span<float>> out) noexcept;
  [[nodiscard]] Status process(std::span<const std::span<const std::int16_t>> in,
                               std::span<const std::span<std::int16_t>> out) noexcept;

  // Settings (out_of_range for a bad leg or target, invalid_argument for a non-finite gain).
  // Changes ramp over gain_ramp_ms. A whisper moving to another target fades out at the old
  // one before it fades in at the new one.
  [[nodiscard]] Status set_talk(int leg, Talk talk, int target_leg = -1) noexcept;
  [[nodiscard]] Status set_gain_db(int leg, float gain_db) noexcept;  // -96..+24; -96 = silent
  // A leg joins or leaves: its limiter goes silent and its ramps reach their targets now.
  [[nodiscard]] Status reset_leg(int leg) noexcept;
  void reset() noexcept;

  [[nodiscard]] int latency_samples() const noexcept;
  [[nodiscard]] const Limiter::Stats* leg_limiter_stats(int leg) const noexcept;
  [[nodiscard]] const Config& config() const noexcept { return config_; }

 private:
  struct Impl;
  Config config_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ivrmedia::mix
