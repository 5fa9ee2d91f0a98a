// ivrmedia C++ API: in-band DTMF (ITU-T Q.23 frequencies, ITU-T Q.24 receiver conditions).
//
// Digits are the characters "0123456789*#ABCD". Row (low group) tones 697, 770, 852, 941 Hz;
// column (high group) tones 1209, 1336, 1477, 1633 Hz. Levels are in dBm0 on the G.711 scale:
// a full-scale sine is +3.17 dBm0, so a tone of L dBm0 has peak amplitude 10^((L - 3.17) / 20)
// of full scale (float +-1.0, int16 +-32768).
#pragma once

#include <array>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "ivrmedia/core.hpp"

namespace ivrmedia::dtmf {

inline constexpr std::string_view kDigits = "123A456B789C*0#D";  // row-major keypad
inline constexpr std::array<double, 4> kRowHz = {697.0, 770.0, 852.0, 941.0};
inline constexpr std::array<double, 4> kColumnHz = {1209.0, 1336.0, 1477.0, 1633.0};
inline constexpr double kFullScaleSineDbm0 = 3.17;

// Peak amplitude (full scale 1.0) of a sine at `dbm0`, and back.
IVRM_API double dbm0_to_amplitude(double dbm0) noexcept;
IVRM_API double amplitude_to_dbm0(double amplitude) noexcept;
// Row and column index of a digit, or false for a character that is not a DTMF digit.
IVRM_API bool digit_position(char digit, int& row, int& column) noexcept;

// ---------------------------------------------------------------------------------------------
// Generator: digit strings to audio, for hosts that send in-band DTMF and for tests.
// Each tone has raised-cosine edges (no clicks) inside its duration; frequencies are exact to
// the precision of double-precision phase accumulation (far inside Q.23's 1.5 %).
class IVRM_API Generator {
 public:
  struct Config {
    int sample_rate_hz = 8000;    // 8000, 16000, 32000, 44100 or 48000
    double low_dbm0 = -7.0;       // row tone level
    double twist_db = 2.0;        // column level minus row level (Q.23 senders: high group louder)
    double tone_ms = 80.0;        // each digit's tone
    double pause_ms = 80.0;       // silence after each digit
    double ramp_ms = 2.0;         // raised-cosine rise and fall, inside tone_ms
    std::size_t max_queued = 64;  // digits waiting to be played
  };

  static constexpr std::size_t kMaxQueued = 256;
  // Status::ok, or why the constructor would refuse `config`: an unsupported rate, durations
  // outside 1 ms..10 s, ramps longer than half the tone, levels whose sum would clip.
  [[nodiscard]] static Status validate(const Config& config) noexcept;
  explicit Generator(const Config& config);  // throws Error for an invalid config

  // Appends digits to play. Status::invalid_argument (nothing queued) for a non-DTMF character,
  // Status::full (nothing queued) when the queue cannot take them all.
  [[nodiscard]] Status queue(std::string_view digits) noexcept;
  // Writes out.size() samples: queued digits, then silence. Returns how many samples belonged
  // to digits (tones and their pauses); the rest of `out` is zero.
  std::size_t generate(std::span<float> out) noexcept;
  std::size_t generate(std::span<std::int16_t> out) noexcept;
  [[nodiscard]] bool busy() const noexcept { return count_ != 0 || pos_ < digit_len_; }
  void reset() noexcept;

 private:
  bool start_next() noexcept;  // pops the next digit; false when none is queued
  std::size_t render(float* out, std::size_t n) noexcept;

  Config cfg_;
  std::size_t tone_len_, digit_len_, ramp_len_;
  double low_amp_, high_amp_;
  std::array<char, kMaxQueued> queue_{};
  std::size_t head_ = 0, count_ = 0;
  std::size_t pos_;  // position inside the current digit; == digit_len_ when idle
  std::complex<double> low_{1.0, 0.0}, high_{1.0, 0.0};            // tone phasors
  std::complex<double> low_turn_{1.0, 0.0}, high_turn_{1.0, 0.0};  // e^{jw} per sample
};

// ---------------------------------------------------------------------------------------------
// Detector: one per channel, streaming. See lib/dtmf/README.md for the method.

// Thresholds a host may change while a detector runs (Detector::set: no allocation, the stream
// state is kept). The numbers are the C API's parameter ids; never renumbered.
enum class Threshold : std::int32_t {
  min_level_dbm0 = 100,
  reverse_twist_db = 101,
  normal_twist_db = 102,
  max_frequency_error_pct = 103,
  max_residual_db = 104,
  min_tone_ms = 105,
  min_pause_ms = 106,
};

struct Event {
  enum class Type : std::uint8_t { key_down, key_up };
  Type type;
  char digit;
  std::int64_t start_sample;  // first sample of the tone, on the detector's sample clock
  std::int64_t end_sample;    // key_up: one past the last tone sample; key_down: -1
  float low_dbm0;             // row tone level (key_down: measured so far)
  float high_dbm0;            // column tone level
  float twist_db;             // high_dbm0 - low_dbm0
};

class IVRM_API Detector {
 public:
  struct Config {
    int sample_rate_hz =
        8000;  // any rate from 8000 to 96000 Hz (tested: 8, 11.025, 16, 44.1, 48 k)
    // Each tone must be at least this loud. Q.24 accepts 0 to -30 dBm0 per tone.
    double min_level_dbm0 = -36.0;
    // Decision thresholds for twist. Q.24 asks to accept 8 dB with the low group stronger and
    // 4 dB with the high group stronger; these leave 2 dB for the level error of tones up to
    // 1.5 % off frequency and for noise, and still reject 16 dB.
    double reverse_twist_db = 10.0;  // low group stronger
    double normal_twist_db = 6.0;    // high group stronger
    // Largest accepted frequency error of either tone, measured from the phase advance between
    // the two halves of each 12.75 ms analysis block. Q.24: accept 1.5 %, reject 3.5 %.
    double max_frequency_error_pct = 2.5;
    // Energy not explained by the two tones (noise, speech, other tones) must stay this far
    // below the tones. At Q.24's 12 dB signal-to-noise ratio it is about 15 dB below.
    double max_residual_db = -8.0;
    // Tones shorter than this are ignored (Q.24: accept 40 ms, reject 23 ms or shorter).
    double min_tone_ms = 31.0;
    // A gap of at least this ends a digit; shorter dropouts are bridged (Q.24: a 10 ms dropout
    // does not split a digit; a 40 ms pause separates two equal digits).
    double min_pause_ms = 30.0;
    std::size_t event_capacity = 32;        // events waiting to be read; overflow is counted
    SimdLevel simd = SimdLevel::automatic;  // kernel level; every level gives the same events
  };

  struct Stats {
    std::uint64_t samples = 0;
    std::uint64_t digits = 0;
    std::uint64_t lost_events = 0;  // events dropped because nobody read them in time
  };

  static constexpr std::size_t kMaxEvents = 256;
  // Bounds of a threshold (inclusive) and its default; false for an unknown id.
  static bool bounds(Threshold id, double& min, double& max, double& default_value) noexcept;
  // Changes one threshold now: Status::out_of_range (nothing changed) outside its bounds,
  // Status::invalid_argument for an unknown id. Never allocates.
  [[nodiscard]] Status set(Threshold id, double value) noexcept;
  [[nodiscard]] Status get(Threshold id, double& value) const noexcept;
  // Status::ok, or why the constructor would refuse `config`.
  [[nodiscard]] static Status validate(const Config& config) noexcept;
  // Bytes of working memory (correlation table and half-block buffer) `config` needs: about
  // 3.8 KiB at 8 kHz, 20 KiB at 48 kHz.
  [[nodiscard]] static std::size_t workspace_bytes(const Config& config) noexcept;
  // Owns its working memory. Throws Error for an invalid config or an unsupported SIMD level.
  explicit Detector(const Config& config);
  // Works in caller memory: at least workspace_bytes(config), 64-byte aligned, outliving the
  // detector (how the C API places a detector and its memory in one block).
  Detector(const Config& config, std::span<std::byte> workspace);
  Detector(Detector&&) noexcept = default;
  Detector& operator=(Detector&&) noexcept = default;

  void process(std::span<const float> samples) noexcept;
  void process(std::span<const std::int16_t> samples) noexcept;
  // Audio of `samples` length was lost in transport: the clock advances, an active digit ends
  // where the audio stopped, and analysis restarts after the gap.
  void gap(std::int64_t samples) noexcept;
  // Moves waiting events into `out` (oldest first) and returns how many.
  std::size_t read_events(std::span<Event> out) noexcept;
  [[nodiscard]] std::size_t pending_events() const noexcept { return event_count_; }
  [[nodiscard]] const Stats& stats() const noexcept { return stats_; }
  [[nodiscard]] const Config& config() const noexcept { return cfg_; }
  // Samples from a tone's start until its key_down is reported, at most (documented latency).
  [[nodiscard]] std::int64_t max_key_down_latency() const noexcept;
  void reset() noexcept;

  // The tone being tracked, for the Masker: any DTMF-like tone with at least two consecutive
  // accepted blocks (about 20 ms), confirmed as a digit or not. `id` grows by one per tone and
  // is 0 before the first; the last tone's values remain after it ended.
  struct Tone {
    std::uint64_t id = 0;
    std::int64_t start = 0;  // estimated first sample
    std::int64_t end = -1;   // estimated end (one past the last sample); -1 while it sounds
    bool sounding = false;
  };
  [[nodiscard]] const Tone& tone() const noexcept { return tone_; }
  // Samples until the next decision point (decisions happen only there).
  [[nodiscard]] int samples_until_decision() const noexcept { return half_len_ - fill_; }

 private:
  friend class BatchDetector;
  static constexpr int kTones = 8;
  struct Half {
    std::array<float, kTones> re{}, im{};  // tone correlations over one half block
    float energy = 0;
  };
  using Kernel = void (*)(const float*, int, const float*, int, float*) noexcept;
  // Shared-table form, for BatchDetector: `table` is built by the batch, `buffer` holds
  // padded_len() floats.
  Detector(const Config& config, const float* table, float* buffer);
  void init(const Config& config);
  void derive_thresholds() noexcept;  // from cfg_: every value the thresholds decide
  [[nodiscard]] int padded_len() const noexcept { return (half_len_ + 7) / 8 * 8; }
  void end_half(const float* half) noexcept;  // `half`: half_len_ samples
  [[nodiscard]] Half correlate(const float* half) const noexcept;
  // For BatchDetector: `n` halves whose blocks the batch's screen proved misses, on a channel
  // with no digit in progress (so evaluate() would have changed nothing). Advances the clock
  // only; prev_ and before_ stay stale until the batch recomputes them.
  void skip_halves(std::uint32_t n) noexcept { clock_ += static_cast<std::int64_t>(n) * half_len_; }
  // No digit in progress and a previous half: the next block may be skipped if it misses.
  [[nodiscard]] bool idle() const noexcept { return digit_ < 0 && have_prev_; }
  void evaluate(const Half& a, const Half& b) noexcept;
  void hit(int digit, const Half& a, const Half& b, float row_amp, float col_amp) noexcept;
  void miss(const Half& b) noexcept;
  void close_digit() noexcept;
  void push(const Event& e) noexcept;

  Config cfg_;
  Stats stats_;
  int half_len_ = 0;  // M: samples per half block (51 at 8 kHz)
  int hits_needed_ = 0, misses_needed_ = 0;
  Kernel kernel_ = nullptr;
  std::unique_ptr<float[]> owned_;  // table + buffer when the detector owns them
  const float* table_ = nullptr;    // 16 rows (cos, -sin of each tone) of padded_len() floats
  float* buffer_ = nullptr;         // a half block straddling two process() calls
  // e^{-jwM} per tone: moves a second half's correlation to its block's time origin.
  std::array<float, kTones> half_re_{}, half_im_{};
  std::array<double, kTones> omega_{};
  float min_amp_ = 0, max_twist_up_ = 0, max_twist_down_ = 0, residual_ratio_ = 0;
  float held_residual_ratio_ = 0;  // purity limit for a digit already confirmed
  float min_power_bound_ = 0;      // block power under which a tone is below min level anyway
  float tones_bound_scale_ = 0;    // block powers -> largest possible tone energy

  // stream state
  int fill_ = 0;
  std::int64_t clock_ = 0;  // samples consumed
  Half prev_{};
  bool have_prev_ = false;
  Half before_{};  // the half before prev_ (where a tone found in prev_ may have started)

  int digit_ = -1;  // candidate or active digit index into kDigits
  bool confirmed_ = false;
  int hits_ = 0, misses_ = 0;
  std::int64_t start_ = 0, end_ = 0;
  float last_amp_[2] = {};  // row and column correlation magnitudes in the last hit's 2nd half
  double sum_low_db_ = 0, sum_high_db_ = 0;

  Tone tone_{};
  std::array<Event, kMaxEvents> events_{};
  std::size_t event_head_ = 0, event_count_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Masker, for confidential entry (card numbers, PINs): passes audio through with a fixed delay of
// `lookahead_ms` and replaces every DTMF tone, from its first sample to its last (plus
// `guard_ms` each side), with silence or low comfort noise. Everything else comes out
// bit-exact, only delayed. A tone is masked once the detector has tracked it for two analysis
// blocks (about 20 ms); the look-ahead covers the time that takes, so masking starts at the
// tone's first sample. Tones too short to count as digits (under ~31 ms) are masked too.
class IVRM_API Masker {
 public:
  struct Config {
    int sample_rate_hz = 8000;   // 8000 to 96000 Hz
    double lookahead_ms = 40.0;  // output delay; 32 to 40 ms
    double guard_ms = 4.0;       // masked beyond each estimated tone edge; 0 to 10 ms
    bool comfort_noise = false;  // false: silence; true: white noise at comfort_noise_dbm0
    double comfort_noise_dbm0 = -65.0;
    Detector::Config detector{};  // its sample_rate_hz is replaced by the masker's
  };

  [[nodiscard]] static Status validate(const Config& config) noexcept;
  explicit Masker(const Config& config);  // allocates the delay line; throws Error if invalid

  // out.size() must equal in.size() (else Status::invalid_argument, nothing processed); in and
  // out may be the same buffer. Output lags input by latency() samples (zeros at first).
  [[nodiscard]] Status process(std::span<const float> in, std::span<float> out) noexcept;
  [[nodiscard]] Status process(std::span<const std::int16_t> in,
                               std::span<std::int16_t> out) noexcept;
  [[nodiscard]] std::int64_t latency() const noexcept { return delay_; }
  // The digits the masker found (same events as a Detector with the same config).
  std::size_t read_events(std::span<Event> out) noexcept { return det_.read_events(out); }
  [[nodiscard]] std::uint64_t masked_samples() const noexcept { return masked_; }
  void reset() noexcept;

 private:
  struct Interval {
    std::uint64_t id;
    std::int64_t from, to;  // [from, to) on the input clock; to = INT64_MAX while sounding
  };
  void track() noexcept;
  bool masked(std::int64_t t) noexcept;
  bool overlaps(std::int64_t from, std::int64_t to) noexcept;  // any interval meets [from, to)
  void pass_through(const float* in, float* out, std::size_t n) noexcept;
  float comfort() noexcept;

  Config cfg_;
  Detector det_;
  std::int64_t delay_, guard_;
  float noise_amp_;
  std::vector<float> ring_;  // delay line, delay_ samples
  std::size_t ring_pos_ = 0;
  std::int64_t clock_ = 0;  // input samples consumed
  std::array<Interval, 8> intervals_{};
  std::size_t n_intervals_ = 0;
  std::uint32_t noise_state_ = 0x2545F491u;
  std::uint64_t masked_ = 0;
};

// ---------------------------------------------------------------------------------------------
// BatchDetector: N channels in lockstep for media servers with thousands of calls. Gives
// exactly the events N separate Detectors with the same config give (tested): each channel runs
// the Detector's own code. What the batch adds is layout: one correlation table for all
// channels (in L1 cache throughout), every channel's half-block buffer in one array, and one
// call per tick that feeds each channel its frames in turn, so each channel's state is loaded
// once per tick.
class IVRM_API BatchDetector {
 public:
  struct Config {
    std::size_t channels = 64;  // 1 to 65536
    Detector::Config detector{};
  };
  [[nodiscard]] static Status validate(const Config& config) noexcept;
  explicit BatchDetector(const Config& config);  // allocates everything; throws Error if invalid
  BatchDetector(BatchDetector&&) noexcept;
  BatchDetector& operator=(BatchDetector&&) noexcept;
  ~BatchDetector();

  // Planar input: channel c's `frames` samples start at planar + c * stride (stride >= frames).
  void process(const float* planar, std::size_t frames, std::size_t stride) noexcept;
  void process(const std::int16_t* planar, std::size_t frames, std::size_t stride) noexcept;
  [[nodiscard]] std::size_t channels() const noexcept { return detectors_.size(); }
  // Per channel: events, statistics, gaps and resets, as on a Detector (channel < channels()).
  std::size_t read_events(std::size_t channel, std::span<Event> out) noexcept;
  [[nodiscard]] const Detector& channel(std::size_t c) const noexcept { return detectors_[c]; }
  void gap(std::size_t channel, std::int64_t samples) noexcept;
  void reset(std::size_t channel) noexcept;

 private:
  struct Screen;  // the screen's staging area and per-group state (lib/dtmf/batch_detector.cpp)
  struct Group;
  template <typename T>
  void run(const T* planar, std::size_t frames, std::size_t stride) noexcept;
  void complete_half(std::size_t group) noexcept;
  void exact_half(std::size_t group, int lane) noexcept;
  void leave_lockstep(std::size_t group) noexcept;
  bool rejoin_lockstep(std::size_t group) noexcept;

  std::vector<float> table_;
  std::vector<float> buffers_;
  std::vector<Detector> detectors_;
  std::unique_ptr<Screen> screen_;
};

}  // namespace ivrmedia::dtmf
