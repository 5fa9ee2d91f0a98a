// ivrmedia C++ API: prompts, the recorded and generated audio an IVR plays to callers.
//
// A Prompt is mono float32 at the rate it will be played at, made once and then immutable:
// every channel playing it holds the same samples by reference (std::shared_ptr<const Prompt>),
// so ten thousand callers hearing the welcome message cost one copy of it.
//
// Making prompts (not real-time: they allocate, and loading reads files):
//   - load_prompt(path, options): any file libsndfile reads (WAV incl. WAVE_FORMAT_EXTENSIBLE,
//     FLAC, Ogg Vorbis, Ogg Opus, AIFF, ...) plus headerless G.711 (.ul/.ulaw/.mu/.pcmu and
//     .al/.alaw/.pcma, 8000 Hz). Channels are averaged to mono; the rate is converted with
//     resample::Resampler (quality `high` by default) and the filter's delay is compensated, so
//     the first sample of the file is the first sample of the prompt (nothing cut, nothing
//     shifted) and its length is exactly round(frames x rate / file rate). Metadata chunks
//     (fact, LIST, cue, ...) are libsndfile's business and never play. Non-finite samples (a
//     float file's or a buffer's NaN and infinities) become silence in every prompt, however
//     made. The file is read in chunks, so memory follows the audio in it, not the length its
//     header claims. Errors come back as a
//     Status with a message: missing or unreadable file (unsupported), format libsndfile does
//     not know (unsupported), empty file or one shorter than a sample at the playback rate
//     (malformed), longer than max_seconds (out_of_range).
//   - from_samples: a buffer of float or int16 at any supported rate (8, 16, 32, 44.1, 48 kHz).
//   - silence, comfort_noise, dtmf (through dtmf::Generator), and call-progress tones
//     (tone(): dual-frequency cadences; ringback, busy, congestion and dial tone presets for
//     the ITU-T E.180 European 425 Hz plan and the North American precise tones).
// PromptCache returns the same Prompt for the same (path, rate) to everyone and reports the
// memory it holds; a failed load leaves everything already cached untouched. It locks (a mutex)
// and reads files: call it from the host's control threads, never from the audio path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivrmedia/core.hpp"
#include "ivrmedia/resampler.hpp"

namespace ivrmedia::mix {

class IVRM_API Prompt {
 public:
  [[nodiscard]] std::span<const float> samples() const noexcept { return samples_; }
  [[nodiscard]] std::size_t size() const noexcept { return samples_.size(); }
  [[nodiscard]] int sample_rate_hz() const noexcept { return rate_; }
  [[nodiscard]] double seconds() const noexcept {
    return static_cast<double>(samples_.size()) / rate_;
  }
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  // Bytes this prompt holds (samples and name).
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    return sizeof(*this) + samples_.capacity() * sizeof(float) + name_.capacity();
  }

  // Mono samples at `source_rate_hz`, converted to `rate_hz` (see load_prompt for how).
  // Throws Error(bad_config) for unsupported rates, Error(invalid_argument) for an empty buffer.
  [[nodiscard]] static std::shared_ptr<const Prompt> from_samples(
      std::span<const float> mono, int source_rate_hz, int rate_hz, std::string name = {},
      resample::Quality quality = resample::Quality::high);
  [[nodiscard]] static std::shared_ptr<const Prompt> from_samples(
      std::span<const std::int16_t> mono, int source_rate_hz, int rate_hz, std::string name = {},
      resample::Quality quality = resample::Quality::high);
  // Takes the samples as they are (already at rate_hz).
  [[nodiscard]] static std::shared_ptr<const Prompt> adopt(std::vector<float> samples, int rate_hz,
                                                           std::string name = {});

  [[nodiscard]] static std::shared_ptr<const Prompt> silence(double seconds, int rate_hz);
  // White noise at `level_dbfs` RMS (full-scale sine = -3 dBFS), deterministic per seed.
  [[nodiscard]] static std::shared_ptr<const Prompt> comfort_noise(double seconds,
                                                                   double level_dbfs, int rate_hz,
                                                                   std::uint64_t seed = 1);
  // DTMF digits with dtmf::Generator's defaults (80 ms tones, 80 ms pauses, -7/-5 dBm0).
  [[nodiscard]] static std::shared_ptr<const Prompt> dtmf(std::string_view digits, int rate_hz);

 private:
  Prompt(std::vector<float> samples, int rate_hz, std::string name)
      : samples_(std::move(samples)), rate_(rate_hz), name_(std::move(name)) {}
  std::vector<float> samples_;
  int rate_;
  std::string name_;
};

// A call-progress tone: up to two frequencies at a level, switched on and off by a cadence.
struct ToneSpec {
  double frequency1_hz = 425.0;
  double frequency2_hz = 0.0;  // 0: single frequency
  double level_dbm0 = -13.0;   // per frequency (G.711 full-scale sine = +3.17 dBm0)
  // On/off durations in ms, repeated: {1000, 4000} is 1 s on, 4 s off. Empty: continuous.
  std::vector<double> cadence_ms;
  double seconds = 4.0;  // length of the prompt (one or more cadence cycles)
};
enum class CallProgress : std::int32_t {
  ringback_eu,    // 425 Hz, 1 s on 4 s off (ITU-T E.180 recommended)
  busy_eu,        // 425 Hz, 0.5 s on 0.5 s off
  congestion_eu,  // 425 Hz, 0.25 s on 0.25 s off
  dial_eu,        // 425 Hz continuous
  ringback_us,    // 440 + 480 Hz, 2 s on 4 s off (North American precise tones)
  busy_us,        // 480 + 620 Hz, 0.5 s on 0.5 s off
  congestion_us,  // 480 + 620 Hz, 0.25 s on 0.25 s off (reorder)
  dial_us,        // 350 + 440 Hz continuous
};
// The tone spec of a preset, one cadence cycle long (continuous tones: 2 s).
[[nodiscard]] IVRM_API ToneSpec call_progress(CallProgress which);
// Throws Error(bad_config) for frequencies outside 0-rate/2, a level over +3 dBm0, negative
// durations.
[[nodiscard]] IVRM_API std::shared_ptr<const Prompt> tone(const ToneSpec& spec, int rate_hz,
                                                          std::string name = {});

struct LoadOptions {
  int sample_rate_hz = 8000;  // playback rate: 8000, 16000, 32000, 44100 or 48000
  double max_seconds = 1800;  // longer files are refused (out_of_range)
  resample::Quality quality = resample::Quality::high;
};

// Loads `path` (see the header comment). On error *out is untouched and *error (optional) gets
// a one-line reason naming the file.
[[nodiscard]] IVRM_API Status load_prompt(const std::string& path, const LoadOptions& options,
                                          std::shared_ptr<const Prompt>* out,
                                          std::string* error = nullptr);

class IVRM_API PromptCache {
 public:
  struct Config {
    double max_seconds = 1800;  // per prompt
    resample::Quality quality = resample::Quality::high;
  };
  explicit PromptCache(const Config& config);
  PromptCache();

  // The prompt of `path` at `rate_hz`, loaded on first use. Errors as load_prompt; a failure
  // is not cached (the next call tries the file again).
  [[nodiscard]] Status get(const std::string& path, int rate_hz, std::shared_ptr<const Prompt>* out,
                           std::string* error = nullptr);
  // Adds a prompt made elsewhere under a key (e.g. "tone:ringback_eu"); replaces an older one.
  void put(const std::string& key, std::shared_ptr<const Prompt> prompt);

  [[nodiscard]] std::size_t size() const;
  // Bytes held by the cached prompts.
  [[nodiscard]] std::size_t memory_bytes() const;
  // Drops prompts nobody else holds; returns how many.
  std::size_t evict_unused();
  void clear();

 private:
  using Key = std::pair<std::string, int>;
  Config config_;
  mutable std::mutex mutex_;
  std::map<Key, std::shared_ptr<const Prompt>> prompts_;
};

}  // namespace ivrmedia::mix
