// Barge-in: energy-based voice activity on the caller's audio, and key presses.
#include <algorithm>
#include <cmath>
#include <span>

#include "ivrmedia/player.hpp"

namespace ivrmedia::mix {

BargeIn::BargeIn() : BargeIn(Config{}) {}

BargeIn::BargeIn(const Config& config)
    : config_(config), block_(static_cast<std::size_t>(config.sample_rate_hz / 100)) {
  if (config.sample_rate_hz < 8000 || config.sample_rate_hz > 48000 ||
      !(config.threshold_dbfs <= 0 && config.threshold_dbfs >= -90) ||
      !(config.noise_margin_db >= 0 && config.noise_margin_db <= 40) ||
      !(config.min_speech_ms >= 10 && config.min_speech_ms <= 1000) ||
      !(config.hangover_ms >= 0 && config.hangover_ms <= 5000)) {
    throw Error(Status::bad_config,
                "mix::BargeIn: rate 8000-48000 Hz, threshold -90..0 dBFS, "
                "margin 0-40 dB, min speech 10-1000 ms, hangover 0-5000 ms");
  }
}

bool BargeIn::process(std::span<const float> caller, Event* event) noexcept {
  bool fired = false;
  for (float x : caller) {
    energy_ += static_cast<double>(x) * x;
    ++samples_;
    if (++filled_ < block_) continue;
    // One 10 ms block: its RMS level against the threshold and the noise floor.
    const double level = 10.0 * std::log10(energy_ / static_cast<double>(block_) + 1e-12);
    filled_ = 0;
    energy_ = 0.0;
    const bool loud = level > std::max(config_.threshold_dbfs, noise_db_ + config_.noise_margin_db);
    if (!loud && !speaking_) {
      // The floor follows quiet blocks down at once and up slowly (2 dB/s), so speech does not
      // raise it but a noisier line does, over seconds.
      noise_db_ = level < noise_db_ ? level : std::min(noise_db_ + 0.02, level);
    }
    loud_blocks_ = loud ? loud_blocks_ + 1 : 0;
    if (!speaking_) {
      if (loud_blocks_ * 10.0 >= config_.min_speech_ms) {
        speaking_ = true;
        quiet_blocks_ = 0;
        if (config_.voice && !fired) {
          fired = true;
          if (event != nullptr) *event = {StopReason::barge_in_voice, 0, samples_};
        }
      }
    } else {
      quiet_blocks_ = loud ? 0 : quiet_blocks_ + 1;
      if (quiet_blocks_ * 10.0 >= config_.hangover_ms) speaking_ = false;
    }
  }
  return fired;
}

bool BargeIn::key_down(char digit, Event* event) noexcept {
  if (!config_.dtmf) return false;
  if (event != nullptr) *event = {StopReason::barge_in_dtmf, digit, samples_};
  return true;
}

void BargeIn::reset() noexcept {
  filled_ = 0;
  energy_ = 0.0;
  noise_db_ = -70.0;
  loud_blocks_ = 0;
  quiet_blocks_ = 0;
  speaking_ = false;
  samples_ = 0;
}

}  // namespace ivrmedia::mix
