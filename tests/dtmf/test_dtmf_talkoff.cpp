// ITU-T Q.24 talk-off: a DTMF receiver must not report digits on speech or music.
//
// Speech: a corpus made at test time by tests/dtmf/talkoff/make_speech.sh (espeak-ng; Kazakh,
// Russian and English texts written for this test, several voices, pitches and speeds), read
// with libsndfile, resampled from 22050 Hz to 8 and 16 kHz with libsoxr, and also carried
// through G.711 mu-law and A-law. ctest runs the script first (fixture) and passes its output
// directory in IVRM_TALKOFF_DIR.
//
// Music: synthesized here with fixed seeds: piano-like triads, vibrato strings, organ chords,
// note pairs 4-10 % off the DTMF frequencies, single DTMF-frequency notes with non-DTMF
// partners, and DTMF row and column notes carrying strong harmonics. Two pure sines at a row
// and a column frequency are a DTMF digit, so no piece contains one.
//
// Peer: spandsp's dtmf_rx on the same 8 kHz signals; its digit count is printed, not asserted.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <numbers>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "ivrmedia/dtmf.hpp"
#include "ivrmedia/g711.hpp"

#if defined(IVRM_HAVE_SOXR)
#include <soxr.h>
#endif
#if defined(IVRM_HAVE_SPANDSP)
#include "support/spandsp.hpp"
#endif

namespace dtmf = ivrmedia::dtmf;
namespace g711 = ivrmedia::g711;
using dtmf::Event;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string format(const char* fmt, auto... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Running the detector

// Every event of a fresh detector over `x`, fed in 20 ms chunks as an RTP host would.
std::vector<Event> detect(std::span<const float> x, int rate, dtmf::Detector::Config cfg = {}) {
  cfg.sample_rate_hz = rate;
  dtmf::Detector d(cfg);
  std::vector<Event> events;
  std::array<Event, 32> buf;
  const auto drain = [&] {
    for (std::size_t n; (n = d.read_events(buf)) > 0;)
      events.insert(events.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
  };
  const auto chunk = static_cast<std::size_t>(rate / 50);
  for (std::size_t i = 0; i < x.size(); i += chunk) {
    d.process(x.subspan(i, std::min(chunk, x.size() - i)));
    drain();
  }
  d.gap(1);  // ends a digit still active at the end
  drain();
  return events;
}

std::size_t digits_in(const std::vector<Event>& events) {
  return static_cast<std::size_t>(std::count_if(events.begin(), events.end(), [](const Event& e) {
    return e.type == Event::Type::key_down;
  }));
}

// One line per event, for the failure message: what was found where.
std::string describe(const std::string& where, const std::vector<Event>& events, int rate) {
  std::string s;
  for (const Event& e : events) {
    const double t = static_cast<double>(e.start_sample) / rate;
    const double ms = e.end_sample < 0
                          ? -1.0
                          : 1000.0 * static_cast<double>(e.end_sample - e.start_sample) / rate;
    s += format("  %s: %s '%c' at %.3f s (%d:%06.3f), %.1f ms, row %.1f dBm0, column %.1f dBm0\n",
                where.c_str(), e.type == Event::Type::key_down ? "key_down" : "key_up", e.digit, t,
                static_cast<int>(t / 60), std::fmod(t, 60.0), ms, e.low_dbm0, e.high_dbm0);
  }
  return s;
}

std::vector<float> through_g711(g711::Law law, const std::vector<float>& x) {
  std::vector<std::uint8_t> codes(x.size());
  std::vector<float> y(x.size());
  EXPECT_EQ(g711::encode(law, std::span<const float>(x), codes), ivrmedia::Status::ok);
  EXPECT_EQ(g711::decode(law, codes, std::span<float>(y)), ivrmedia::Status::ok);
  return y;
}

// Detector settings looser than the defaults, to show how far the signals stay from a false
// digit and which check keeps them out. Printed, never asserted.
struct Relaxed {
  const char* name;
  dtmf::Detector::Config cfg;
};

std::vector<Relaxed> relaxed_configs() {
  std::vector<Relaxed> r;
  dtmf::Detector::Config c;
  c.max_residual_db = -4.0;
  r.push_back({"purity -4 dB", c});
  c.max_residual_db = 0.0;
  r.push_back({"purity 0 dB", c});
  c = {};
  c.min_tone_ms = 20.0;
  r.push_back({"tone 20 ms", c});
  c = {};
  c.max_frequency_error_pct = 3.5;
  c.reverse_twist_db = c.normal_twist_db = 12.0;
  r.push_back({"freq 3.5 %, twist 12 dB", c});
  c.max_residual_db = 0.0;
  c.min_tone_ms = 20.0;
  r.push_back({"all four", c});
  return r;
}

// ---------------------------------------------------------------------------------------------
// Speech corpus

struct Clip {
  std::string name, lang;
  double seconds = 0;
  std::vector<float> x8, x16;  // 8 and 16 kHz
};

struct Corpus {
  std::string skip;   // reason to skip (no corpus directory, espeak-ng or libsoxr missing)
  std::string error;  // reason to fail (corpus unreadable or empty)
  std::vector<Clip> clips;
  double load_s = 0;  // reading and resampling
};

#if defined(IVRM_HAVE_SOXR)
// soxr at its high quality (20-bit, linear phase), fed 16384 samples at a time: soxr_oneshot
// gives the same samples but, handed a whole file, costs seconds per file under AddressSanitizer.
std::vector<float> resample(const std::vector<float>& in, double from, double to,
                            std::string& error) {
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
  soxr_error_t err = nullptr;
  soxr_t s = soxr_create(from, to, 1, &err, &io, &q, nullptr);
  std::vector<float> out;
  if (s == nullptr) {
    error = std::string("soxr_create: ") + (err != nullptr ? err : "failed");
    return out;
  }
  out.reserve(static_cast<std::size_t>(static_cast<double>(in.size()) * to / from) + 64);
  std::array<float, 4096> buf;
  for (std::size_t pos = 0;;) {
    const std::size_t n = std::min<std::size_t>(16384, in.size() - pos);
    std::size_t used = 0, made = 0;
    // A null input after the last block flushes the filter's tail.
    err =
        soxr_process(s, n > 0 ? in.data() + pos : nullptr, n, &used, buf.data(), buf.size(), &made);
    if (err != nullptr) {
      error = std::string("soxr_process: ") + err;
      break;
    }
    pos += used;
    out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(made));
    if (n == 0 && made == 0) break;
  }
  soxr_delete(s);
  return out;
}
#endif

Corpus load_corpus() {
  Corpus c;
  const char* dir = std::getenv("IVRM_TALKOFF_DIR");
  if (dir == nullptr || *dir == '\0') {
    c.skip =
        "IVRM_TALKOFF_DIR is not set: run through ctest (fixture dtmf.talkoff.make_speech), or "
        "run tests/dtmf/talkoff/make_speech.sh DIR and set IVRM_TALKOFF_DIR=DIR";
    return c;
  }
  namespace fs = std::filesystem;
  if (fs::exists(fs::path(dir) / "ESPEAK_NG_MISSING")) {
    c.skip =
        "espeak-ng is not installed: install the Debian package espeak-ng "
        "(scripts/install-deps does) for the talk-off speech corpus";
    return c;
  }
#if !defined(IVRM_HAVE_SOXR)
  c.skip =
      "built without libsoxr (resampling 22050 Hz speech to 8 and 16 kHz): install the "
      "Debian package libsoxr-dev and reconfigure";
  return c;
#else
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".wav") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (ec || files.empty()) {
    c.error = std::string("no WAV files in IVRM_TALKOFF_DIR=") + dir +
              " (make_speech.sh should have written them)";
    return c;
  }
  const auto t0 = Clock::now();
  for (const fs::path& path : files) {
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    if (f == nullptr) {
      c.error = "cannot read " + path.string() + ": " + sf_strerror(nullptr);
      return c;
    }
    std::vector<float> x(static_cast<std::size_t>(info.frames));
    const sf_count_t got = info.channels == 1 ? sf_readf_float(f, x.data(), info.frames) : 0;
    sf_close(f);
    if (info.channels != 1 || got != info.frames || info.samplerate != 22050) {
      c.error = path.string() + ": expected mono 22050 Hz from espeak-ng";
      return c;
    }
    Clip clip;
    clip.name = path.filename().string();
    clip.lang = clip.name.substr(0, clip.name.find('_'));
    clip.seconds = static_cast<double>(info.frames) / info.samplerate;
    clip.x8 = resample(x, info.samplerate, 8000, c.error);
    clip.x16 = resample(x, info.samplerate, 16000, c.error);
    if (!c.error.empty()) return c;
    c.clips.push_back(std::move(clip));
  }
  c.load_s = seconds_since(t0);
  return c;
#endif
}

const Corpus& corpus() {
  static const Corpus c = load_corpus();
  return c;
}

#define IVRM_NEED_CORPUS(c)                      \
  do {                                           \
    if (!(c).skip.empty()) {                     \
      GTEST_SKIP() << (c).skip;                  \
    }                                            \
    ASSERT_TRUE((c).error.empty()) << (c).error; \
  } while (0)

// ---------------------------------------------------------------------------------------------
// Music synthesis (deterministic: std::mt19937 is exactly specified; the conversions to ranges
// are our own, so every standard library gives the same signals)

class Rng {
 public:
  explicit Rng(std::uint32_t seed) : g_(seed) {}
  double uniform(double lo, double hi) {
    return lo + (hi - lo) * (static_cast<double>(g_()) / 4294967296.0);
  }
  int integer(int lo, int hi) {  // inclusive
    return lo + static_cast<int>(g_() % static_cast<std::uint32_t>(hi - lo + 1));
  }

 private:
  std::mt19937 g_;
};

double midi_hz(int note) {
  return 440.0 * std::pow(2.0, (note - 69) / 12.0);
}

constexpr std::array<double, 8> kDtmfHz = {697, 770, 852, 941, 1209, 1336, 1477, 1633};

// Distance of `hz` from the nearest DTMF frequency, as a fraction.
double dtmf_distance(double hz) {
  double best = 1e9;
  for (double f : kDtmfHz)
    best = std::min(best, std::abs(hz / f - 1.0));
  return best;
}

struct Partial {
  double ratio;  // frequency / the note's frequency
  double amp;    // relative to the note's amplitude
};

struct Note {
  double start_s = 0, length_s = 1;  // sounding length; the release follows
  double hz = 440;
  double amplitude = 0.1;  // peak amplitude of a partial with amp 1 (full scale 1.0)
  std::vector<Partial> partials{{1.0, 1.0}};
  double decay_s = 0;     // > 0: partial p decays as exp(-t (1 + decay_tilt (ratio - 1)) / decay_s)
  double decay_tilt = 0;  // upper partials of struck strings die faster
  double attack_s = 0.004, release_s = 0.06;
  double vibrato_hz = 0, vibrato_depth = 0, vibrato_delay_s = 0;  // depth: fraction of hz
  double tremolo_hz = 0, tremolo_depth = 0;                       // depth: fraction of amplitude
};

// Adds `n` into `out` (growing it). Partials at or above 0.45 of the rate are left out.
void render(std::vector<float>& out, int rate, const Note& n) {
  const double fs = rate;
  const auto first = static_cast<std::size_t>(std::lround(n.start_s * fs));
  const auto count = static_cast<std::size_t>(std::lround((n.length_s + n.release_s) * fs));
  if (out.size() < first + count) out.resize(first + count, 0.0f);
  std::vector<double> w, amp, decay, re, im;
  for (const Partial& p : n.partials) {
    if (p.ratio * n.hz * (1.0 + n.vibrato_depth) >= 0.45 * fs) continue;
    w.push_back(2.0 * std::numbers::pi * p.ratio * n.hz / fs);
    amp.push_back(p.amp);
    decay.push_back(
        n.decay_s > 0 ? std::exp(-(1.0 + n.decay_tilt * (p.ratio - 1.0)) / (n.decay_s * fs)) : 1.0);
    re.push_back(std::cos(0.7 * p.ratio));  // fixed start phases, not all zero
    im.push_back(std::sin(0.7 * p.ratio));
  }
  const std::size_t np = w.size();
  const std::size_t attack = std::max<std::size_t>(1, std::lround(n.attack_s * fs));
  const auto hold = static_cast<std::size_t>(std::lround(n.length_s * fs));
  const std::size_t release = std::max<std::size_t>(1, count - std::min(count, hold));
  std::vector<double> cw(np), sw(np), phase(np);
  for (std::size_t k = 0; k < np; ++k) {
    cw[k] = std::cos(w[k]);
    sw[k] = std::sin(w[k]);
    phase[k] = std::atan2(im[k], re[k]);
  }
  const bool vibrato = n.vibrato_depth > 0;
  for (std::size_t i = 0; i < count; ++i) {
    const double t = static_cast<double>(i) / fs;
    double env = 1.0;
    if (i < attack)
      env = 0.5 -
            0.5 * std::cos(std::numbers::pi * static_cast<double>(i) / static_cast<double>(attack));
    if (i >= hold) {
      env *= 0.5 + 0.5 * std::cos(std::numbers::pi * static_cast<double>(i - hold) /
                                  static_cast<double>(release));
    }
    if (n.tremolo_depth > 0) {
      env *=
          1.0 - n.tremolo_depth * 0.5 * (1.0 - std::cos(2 * std::numbers::pi * n.tremolo_hz * t));
    }
    double s = 0;
    if (vibrato) {
      // Frequency swings by +-depth after the delay, fading in over 200 ms.
      const double fade = std::clamp((t - n.vibrato_delay_s) / 0.2, 0.0, 1.0);
      const double v =
          1.0 + n.vibrato_depth * fade * std::sin(2 * std::numbers::pi * n.vibrato_hz * t);
      for (std::size_t k = 0; k < np; ++k) {
        phase[k] = std::fmod(phase[k] + w[k] * v, 2 * std::numbers::pi);
        s += amp[k] * std::sin(phase[k]);
        amp[k] *= decay[k];
      }
    } else {
      // Rotating phasors: exact sines without a sin() per sample.
      for (std::size_t k = 0; k < np; ++k) {
        s += amp[k] * im[k];
        const double r = re[k] * cw[k] - im[k] * sw[k];
        im[k] = re[k] * sw[k] + im[k] * cw[k];
        re[k] = r;
        amp[k] *= decay[k];
      }
      if ((i & 255) == 255) {
        for (std::size_t k = 0; k < np; ++k) {
          const double g = 1.0 / std::hypot(re[k], im[k]);
          re[k] *= g;
          im[k] *= g;
        }
      }
    }
    out[first + i] += static_cast<float>(n.amplitude * env * s);
  }
}

void normalize_rms(std::vector<float>& x, double dbfs) {
  double e = 0;
  for (float v : x)
    e += double(v) * v;
  const double rms = std::sqrt(e / static_cast<double>(std::max<std::size_t>(1, x.size())));
  if (rms == 0) return;
  const double g = std::pow(10.0, dbfs / 20.0) / rms;
  for (float& v : x)
    v = static_cast<float>(std::clamp(v * g, -1.0, 1.0));
}

// Harmonic partials 1..n with amplitude 1/k^slope, each varied by `rng` (0.6..1 of that).
std::vector<Partial> harmonics(int n, double slope, Rng& rng) {
  std::vector<Partial> p;
  for (int k = 1; k <= n; ++k) {
    const double a = std::pow(k, -slope) * (k == 1 ? 1.0 : rng.uniform(0.6, 1.0));
    p.push_back({static_cast<double>(k), a});
  }
  return p;
}

// A musical tone with strong 2nd and 3rd harmonics (fixed, so every rate hears the same).
const std::vector<Partial> kBrightTone = {{1, 1.0}, {2, 0.7}, {3, 0.5}, {4, 0.3}, {5, 0.2}};

struct Piece {
  std::string name;
  std::vector<float> x;
};

// Piano-like: triads and sevenths with a bass note, a melody in octaves 5-6 (where the DTMF
// frequencies lie), struck-string partials (slightly stretched, upper ones dying faster), pedal
// overlap between chords.
Piece piano(int rate) {
  Rng rng(1101);
  Piece p{"piano triads and melody", {}};
  const std::array<std::array<int, 4>, 4> chords = {
      {{0, 4, 7, -1}, {0, 3, 7, -1}, {0, 3, 6, -1}, {0, 4, 7, 10}}};
  double t = 0.1;
  while (t < 90.0) {
    const int root = 48 + rng.integer(0, 23);
    const auto& shape = chords[static_cast<std::size_t>(rng.integer(0, 3))];
    const double len = rng.uniform(0.4, 1.6);
    auto strike = [&](int midi, double start, double length, double velocity) {
      Note n;
      n.start_s = start;
      n.length_s = length;
      n.hz = midi_hz(midi);
      n.amplitude = velocity;
      const double b = rng.uniform(0.0003, 0.0008);  // string inharmonicity
      n.partials = harmonics(rng.integer(5, 8), rng.uniform(0.6, 1.2), rng);
      for (Partial& q : n.partials)
        q.ratio *= std::sqrt(1.0 + b * q.ratio * q.ratio);
      n.decay_s = rng.uniform(0.8, 2.0) * std::sqrt(261.6 / n.hz);
      n.decay_tilt = rng.uniform(0.1, 0.3);
      n.attack_s = 0.003;
      n.release_s = 0.08;
      render(p.x, rate, n);
    };
    const double pedal = rng.uniform(0.0, 0.3);
    strike(root - 12, t, len + pedal, rng.uniform(0.5, 0.8));
    const bool invert = rng.integer(0, 1) == 1;
    for (std::size_t k = 0; k < shape.size(); ++k) {
      if (shape[k] < 0) continue;
      const int note = root + shape[k] + (invert && k == 0 ? 12 : 0);
      strike(note, t + 0.01 * static_cast<double>(k), len + pedal, rng.uniform(0.3, 0.6));
    }
    const int melody_notes = rng.integer(1, 4);
    for (int m = 0; m < melody_notes; ++m) {
      const double step = len / melody_notes;
      strike(72 + rng.integer(0, 19), t + m * step, step + 0.05, rng.uniform(0.4, 0.8));
    }
    t += len;
  }
  normalize_rms(p.x, -18.0);
  return p;
}

// Bowed strings: a violin-like melody (G4-E6) with delayed vibrato over a cello-like line.
Piece strings(int rate) {
  Rng rng(1202);
  Piece p{"vibrato strings", {}};
  const std::array<int, 7> major = {0, 2, 4, 5, 7, 9, 11};
  const int key = rng.integer(0, 11);
  auto scale_note = [&](int degree) {
    const int octave = degree >= 0 ? degree / 7 : (degree - 6) / 7;
    return key + 12 * octave + major[static_cast<std::size_t>(degree - 7 * octave)];
  };
  int degree = 35;  // scale_note(35) is in octave 5
  for (double t = 0.1; t < 60.0;) {
    degree = std::clamp(degree + rng.integer(-3, 3), 31, 44);
    Note n;
    n.start_s = t;
    n.length_s = rng.uniform(0.25, 1.2);
    n.hz = midi_hz(scale_note(degree) + 12);
    n.amplitude = rng.uniform(0.3, 0.6);
    n.partials = harmonics(8, 0.9, rng);
    n.attack_s = 0.04;
    n.release_s = 0.05;
    n.vibrato_hz = rng.uniform(5.0, 6.5);
    n.vibrato_depth = rng.uniform(0.005, 0.015);
    n.vibrato_delay_s = 0.15;
    render(p.x, rate, n);
    t += n.length_s;
  }
  for (double t = 0.1; t < 60.0;) {
    Note n;
    n.start_s = t;
    n.length_s = rng.uniform(1.5, 3.0);
    n.hz = midi_hz(key + 36 + rng.integer(0, 17));
    n.amplitude = rng.uniform(0.3, 0.5);
    n.partials = harmonics(10, 1.0, rng);
    n.attack_s = 0.08;
    n.release_s = 0.1;
    n.vibrato_hz = rng.uniform(4.5, 5.5);
    n.vibrato_depth = rng.uniform(0.004, 0.01);
    n.vibrato_delay_s = 0.3;
    render(p.x, rate, n);
    t += n.length_s;
  }
  normalize_rms(p.x, -18.0);
  return p;
}

// Organ: sustained chords with drawbar registrations (16', 8', 4', 2 2/3', 2', ...), a slow
// Leslie-like tremolo, and dyads of the equal-tempered notes that fall within 2.5 % of a DTMF
// row and column (F5 G5 A#5 with E6 F#6 G#6): musical near-digits, carried by their harmonics.
Piece organ(int rate) {
  Rng rng(1303);
  Piece p{"organ chords", {}};
  const std::array<std::vector<Partial>, 4> stops = {{
      {{1, 1.0}, {2, 0.7}, {3, 0.5}, {4, 0.5}, {6, 0.3}, {8, 0.3}},
      {{0.5, 0.6}, {1, 1.0}, {2, 0.8}, {3, 0.6}},
      {{1, 1.0}, {3, 0.7}, {5, 0.45}, {7, 0.3}},
      {{1, 1.0}, {2, 1.0}, {4, 0.6}, {8, 0.4}},
  }};
  auto play = [&](const std::vector<int>& notes, double start, double length) {
    const auto& stop = stops[static_cast<std::size_t>(rng.integer(0, 3))];
    const double trem = rng.uniform(5.5, 7.0);
    for (int midi : notes) {
      Note n;
      n.start_s = start;
      n.length_s = length;
      n.hz = midi_hz(midi);
      n.amplitude = 0.3;
      n.partials = stop;
      n.attack_s = 0.03;
      n.release_s = 0.08;
      n.tremolo_hz = trem;
      n.tremolo_depth = 0.25;
      render(p.x, rate, n);
    }
  };
  double t = 0.1;
  for (int row : {77, 79, 82}) {
    for (int col : {88, 90, 92}) {
      play({row, col}, t, 1.5);
      t += 1.7;
      play({row - 24, row, col}, t, 1.5);  // with a bass note
      t += 1.7;
    }
  }
  while (t < 80.0) {
    const int root = 48 + rng.integer(0, 23);
    const int third = rng.integer(0, 1) == 1 ? 4 : 3;
    std::vector<int> notes = {root - 12, root, root + third, root + 7};
    if (rng.integer(0, 2) == 0) notes.push_back(root + 12 + third);
    const double len = rng.uniform(2.0, 4.0);
    play(notes, t, len);
    t += len + 0.05;
  }
  normalize_rms(p.x, -18.0);
  return p;
}

// A frequency 4-10 % off `f` and at least 4 % (beyond Q.24's 3.5 % reject limit) from every
// DTMF frequency: the DTMF rows and columns are only ~10 % apart.
double off_dtmf(double f, Rng& rng) {
  for (;;) {
    const double sign = rng.integer(0, 1) == 1 ? 1.0 : -1.0;
    const double hz = f * (1.0 + sign * rng.uniform(0.04, 0.10));
    if (dtmf_distance(hz) >= 0.04) return hz;
  }
}

// A 0.8 s note with 10 ms edges at `start_s`, pure or with kBrightTone's partials.
void render_sustained(std::vector<float>& x, int rate, double start_s, double hz, double amp,
                      bool bright) {
  Note n;
  n.start_s = start_s;
  n.length_s = 0.8;
  n.hz = hz;
  n.amplitude = amp;
  if (bright) n.partials = kBrightTone;
  n.attack_s = n.release_s = 0.01;
  render(x, rate, n);
}

// Sustained note pairs near a DTMF row and column (each 4-10 % off), pure or with harmonics.
Piece near_pairs(int rate, bool bright) {
  Rng rng(bright ? 1405 : 1404);
  Piece p{bright ? "pairs 4-10 % off DTMF, harmonics" : "pairs 4-10 % off DTMF, pure sines", {}};
  const double amp = dtmf::dbm0_to_amplitude(-10.0);
  double t = 0.1;
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 4; ++c) {
      for (int k = 0; k < 4; ++k) {
        for (double hz : {off_dtmf(dtmf::kRowHz[r], rng), off_dtmf(dtmf::kColumnHz[c], rng)}) {
          render_sustained(p.x, rate, t, hz, amp, bright);
        }
        t += 1.0;
      }
    }
  }
  return p;
}

// One note exactly on a DTMF frequency with a partner that is not its DTMF partner: a note in
// the other group's band at least 4 % from every DTMF frequency, a bass note or a high note;
// then every pair of two rows and of two columns.
Piece one_on_dtmf(int rate, bool bright) {
  Rng rng(bright ? 1507 : 1506);
  Piece p{bright ? "one DTMF note + partner, harmonics" : "one DTMF note + partner, pure", {}};
  const double amp = dtmf::dbm0_to_amplitude(-10.0);
  double t = 0.1;
  auto pair = [&](double a, double b) {
    for (double hz : {a, b})
      render_sustained(p.x, rate, t, hz, amp, bright);
    t += 1.0;
  };
  for (std::size_t i = 0; i < kDtmfHz.size(); ++i) {
    const double f = kDtmfHz[i];
    const auto& other = i < 4 ? dtmf::kColumnHz : dtmf::kRowHz;
    pair(f, off_dtmf(other[static_cast<std::size_t>(rng.integer(0, 3))], rng));
    pair(f, rng.uniform(150.0, 600.0));
    pair(f, rng.uniform(1900.0, 3400.0));
  }
  for (std::size_t i = 0; i < 8; ++i) {
    for (std::size_t j = i + 1; j < 8; ++j) {
      if ((i < 4) == (j < 4)) pair(kDtmfHz[i], kDtmfHz[j]);
    }
  }
  return p;
}

// The DTMF row and column notes of every digit with strong harmonics and +-1 % vibrato: a
// singer or violin holding the two notes. Harmonics make them impure; vibrato alone would not.
Piece vibrato_on_dtmf(int rate) {
  Piece p{"DTMF notes, vibrato and harmonics", {}};
  const double amp = dtmf::dbm0_to_amplitude(-10.0);
  double t = 0.1;
  for (int d = 0; d < 16; ++d) {
    for (double hz : {dtmf::kRowHz[static_cast<std::size_t>(d / 4)],
                      dtmf::kColumnHz[static_cast<std::size_t>(d % 4)]}) {
      Note n;
      n.start_s = t;
      n.length_s = 1.0;
      n.hz = hz;
      n.amplitude = amp;
      n.partials = kBrightTone;
      n.attack_s = 0.03;
      n.release_s = 0.05;
      n.vibrato_hz = 5.5;
      n.vibrato_depth = 0.01;
      n.vibrato_delay_s = 0.0;
      render(p.x, rate, n);
    }
    t += 1.25;
  }
  return p;
}

std::vector<Piece> music(int rate) {
  std::vector<Piece> m;
  m.push_back(piano(rate));
  m.push_back(strings(rate));
  m.push_back(organ(rate));
  m.push_back(near_pairs(rate, false));
  m.push_back(near_pairs(rate, true));
  m.push_back(one_on_dtmf(rate, false));
  m.push_back(one_on_dtmf(rate, true));
  m.push_back(vibrato_on_dtmf(rate));
  return m;
}

// Row and column tones of `digit` at -10 dBm0 each, exactly on frequency, 200 ms, with a 2nd
// harmonic `h_db` below each fundamental and a 3rd 3 dB below that (h_db = -inf: pure).
std::vector<float> dtmf_with_harmonics(int digit, double h_db, int rate) {
  std::vector<float> x;
  const double h2 = std::isinf(h_db) ? 0.0 : std::pow(10.0, h_db / 20.0);
  const double h3 = h2 * std::pow(10.0, -3.0 / 20.0);
  for (double hz : {dtmf::kRowHz[static_cast<std::size_t>(digit / 4)],
                    dtmf::kColumnHz[static_cast<std::size_t>(digit % 4)]}) {
    Note n;
    n.start_s = 0.05;
    n.length_s = 0.2;
    n.hz = hz;
    n.amplitude = dtmf::dbm0_to_amplitude(-10.0);
    n.partials = {{1, 1.0}, {2, h2}, {3, h3}};
    n.attack_s = n.release_s = 0.003;
    render(x, rate, n);
  }
  x.resize(x.size() + static_cast<std::size_t>(rate / 10), 0.0f);
  return x;
}

// ---------------------------------------------------------------------------------------------
// Speech

TEST(DtmfQ24TalkOffSpeech, NoDigitsInSpeechAt8000And16000Hz) {
  const Corpus& c = corpus();
  IVRM_NEED_CORPUS(c);
  struct Row {
    int files = 0;
    double seconds = 0;
    std::size_t d8 = 0, d16 = 0;
  };
  std::map<std::string, Row> by_lang;
  std::string found;
  const auto t0 = Clock::now();
  for (const Clip& clip : c.clips) {
    const auto e8 = detect(clip.x8, 8000);
    const auto e16 = detect(clip.x16, 16000);
    EXPECT_TRUE(e8.empty()) << clip.name << " at 8 kHz";
    EXPECT_TRUE(e16.empty()) << clip.name << " at 16 kHz";
    found += describe(clip.name + " 8 kHz", e8, 8000) + describe(clip.name + " 16 kHz", e16, 16000);
    Row& r = by_lang[clip.lang];
    ++r.files;
    r.seconds += clip.seconds;
    r.d8 += digits_in(e8);
    r.d16 += digits_in(e16);
  }
  const double detect_s = seconds_since(t0);
  if (!found.empty()) std::printf("ivrmedia digits in speech:\n%s", found.c_str());
  std::printf("ITU-T Q.24 talk-off, speech (espeak-ng, resampled by soxr HQ):\n");
  std::printf("  lang files minutes digits@8k digits@16k\n");
  double total = 0;
  for (const auto& [lang, r] : by_lang) {
    std::printf("  %-4s %5d %7.1f %9zu %10zu\n", lang.c_str(), r.files, r.seconds / 60, r.d8,
                r.d16);
    total += r.seconds;
  }
  std::printf("  total %.1f min; reading + resampling %.2f s, detection at both rates %.2f s\n",
              total / 60, c.load_s, detect_s);
  EXPECT_GE(total, 20 * 60.0) << "the corpus should hold at least 20 minutes of speech";
  for (const char* lang : {"en", "kk", "ru"})
    EXPECT_EQ(by_lang.count(lang), 1u) << "no " << lang << " speech in the corpus";

  // Margins: digits the detector would find with looser thresholds (not asserted).
  const auto t1 = Clock::now();
  std::printf("  margin at 8 kHz (digits with looser settings, not asserted):");
  for (const Relaxed& r : relaxed_configs()) {
    std::size_t n = 0;
    for (const Clip& clip : c.clips)
      n += digits_in(detect(clip.x8, 8000, r.cfg));
    std::printf(" %s: %zu;", r.name, n);
  }
  std::printf(" (%.2f s)\n", seconds_since(t1));
}

TEST(DtmfQ24TalkOffSpeech, NoDigitsInSpeechThroughG711) {
  const Corpus& c = corpus();
  IVRM_NEED_CORPUS(c);
  std::string found;
  std::size_t mu = 0, a = 0;
  double seconds = 0;
  for (const Clip& clip : c.clips) {
    const auto emu = detect(through_g711(g711::Law::mulaw, clip.x8), 8000);
    const auto ea = detect(through_g711(g711::Law::alaw, clip.x8), 8000);
    EXPECT_TRUE(emu.empty()) << clip.name << " through mu-law";
    EXPECT_TRUE(ea.empty()) << clip.name << " through A-law";
    found += describe(clip.name + " mu-law", emu, 8000) + describe(clip.name + " A-law", ea, 8000);
    mu += digits_in(emu);
    a += digits_in(ea);
    seconds += clip.seconds;
  }
  if (!found.empty()) std::printf("ivrmedia digits in G.711 speech:\n%s", found.c_str());
  std::printf(
      "ITU-T Q.24 talk-off, speech through G.711: %.1f min, %zu digits (mu-law), "
      "%zu digits (A-law)\n",
      seconds / 60, mu, a);
}

// ---------------------------------------------------------------------------------------------
// Music

TEST(DtmfQ24TalkOffMusic, NoDigitsInMusicAt8000And16000HzAndThroughMulaw) {
  const auto t0 = Clock::now();
  const auto m8 = music(8000);
  const auto m16 = music(16000);
  const double synth_s = seconds_since(t0);
  std::printf("ITU-T Q.24 talk-off, music (synthesized):\n");
  std::printf("  %-36s %7s %9s %10s %12s\n", "piece", "seconds", "digits@8k", "digits@16k",
              "digits@mu-law");
  double total = 0;
  const auto t1 = Clock::now();
  for (std::size_t i = 0; i < m8.size(); ++i) {
    const auto e8 = detect(m8[i].x, 8000);
    const auto e16 = detect(m16[i].x, 16000);
    const auto emu = detect(through_g711(g711::Law::mulaw, m8[i].x), 8000);
    EXPECT_TRUE(e8.empty()) << m8[i].name << " at 8 kHz\n" << describe(m8[i].name, e8, 8000);
    EXPECT_TRUE(e16.empty()) << m8[i].name << " at 16 kHz\n" << describe(m8[i].name, e16, 16000);
    EXPECT_TRUE(emu.empty()) << m8[i].name << " through mu-law\n"
                             << describe(m8[i].name, emu, 8000);
    const double s = static_cast<double>(m8[i].x.size()) / 8000;
    total += s;
    std::printf("  %-36s %7.1f %9zu %10zu %12zu\n", m8[i].name.c_str(), s, digits_in(e8),
                digits_in(e16), digits_in(emu));
  }
  std::printf("  total %.1f min; synthesis (both rates) %.2f s, detection %.2f s\n", total / 60,
              synth_s, seconds_since(t1));
  std::printf("  margin at 8 kHz (digits with looser settings, not asserted):");
  for (const Relaxed& r : relaxed_configs()) {
    std::size_t n = 0;
    for (const Piece& p : m8)
      n += digits_in(detect(p.x, 8000, r.cfg));
    std::printf(" %s: %zu;", r.name, n);
  }
  std::printf("\n");
}

TEST(DtmfQ24TalkOffMusic, DtmfNotesWithStrongHarmonicsAreRejectedByPurity) {
  for (int rate : {8000, 16000}) {
    // The same two notes without harmonics are a digit: the signal is on frequency.
    for (int d = 0; d < 16; ++d) {
      const auto ev = detect(dtmf_with_harmonics(d, -INFINITY, rate), rate);
      ASSERT_EQ(digits_in(ev), 1u) << dtmf::kDigits[static_cast<std::size_t>(d)] << " " << rate;
      EXPECT_EQ(ev[0].digit, dtmf::kDigits[static_cast<std::size_t>(d)]);
    }
    // A 2nd harmonic 6 dB or less below the fundamental (3rd 3 dB further down): a musical tone,
    // not a DTMF tone.
    for (double h : {-6.0, -4.0, -2.0, 0.0}) {
      for (int d = 0; d < 16; ++d) {
        const auto ev = detect(dtmf_with_harmonics(d, h, rate), rate);
        EXPECT_TRUE(ev.empty()) << "digit " << dtmf::kDigits[static_cast<std::size_t>(d)]
                                << " with 2nd harmonic at " << h << " dB, " << rate << " Hz\n"
                                << describe("harmonics", ev, rate);
      }
    }
    // Where the purity check starts to reject (printed): the highest 2nd-harmonic level, in
    // 1 dB steps, at which each digit is still detected.
    std::printf(
        "%d Hz: highest 2nd harmonic (dB re fundamental, 3rd 3 dB lower) still "
        "detected, per digit:",
        rate);
    for (int d = 0; d < 16; ++d) {
      double highest = -INFINITY;
      for (double h = -30; h <= 0; h += 1) {
        if (digits_in(detect(dtmf_with_harmonics(d, h, rate), rate)) > 0) highest = h;
      }
      std::printf(" %c:%.0f", dtmf::kDigits[static_cast<std::size_t>(d)], highest);
    }
    std::printf("\n");
  }
}

// ---------------------------------------------------------------------------------------------
// Peer: spandsp

#if defined(IVRM_HAVE_SPANDSP)

std::vector<std::int16_t> to_s16(const std::vector<float>& x) {
  std::vector<std::int16_t> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    y[i] = static_cast<std::int16_t>(std::clamp(std::lround(x[i] * 32768.0f), -32768L, 32767L));
  return y;
}

struct SpandspRun {
  std::string digits;
  std::vector<std::size_t> at;  // sample where each callback fired (20 ms resolution)
  std::size_t pos = 0;
};

void on_spandsp_digits(void* user, const char* digits, int len) {
  auto* run = static_cast<SpandspRun*>(user);
  for (int i = 0; i < len; ++i) {
    run->digits += digits[i];
    run->at.push_back(run->pos);
  }
}

// spandsp's dtmf_rx with its default settings over 8 kHz int16, 160 samples at a time.
SpandspRun spandsp_detect(const std::vector<std::int16_t>& x) {
  SpandspRun run;
  dtmf_rx_state_t* s = dtmf_rx_init(nullptr, on_spandsp_digits, &run);
  for (std::size_t i = 0; i < x.size(); i += 160) {
    const auto n = static_cast<int>(std::min<std::size_t>(160, x.size() - i));
    run.pos = i + static_cast<std::size_t>(n);
    dtmf_rx(s, x.data() + i, n);
  }
  dtmf_rx_free(s);
  return run;
}

// ivrmedia's digits over the same int16 input, fed the same way.
std::size_t ivrmedia_detect_s16(const std::vector<std::int16_t>& x) {
  dtmf::Detector d({});
  std::array<Event, 32> buf;
  std::size_t n = 0;
  const auto drain = [&] {
    for (std::size_t k; (k = d.read_events(buf)) > 0;) {
      for (std::size_t j = 0; j < k; ++j)
        n += buf[j].type == Event::Type::key_down ? 1 : 0;
    }
  };
  for (std::size_t i = 0; i < x.size(); i += 160) {
    d.process(
        std::span<const std::int16_t>(x).subspan(i, std::min<std::size_t>(160, x.size() - i)));
    drain();
  }
  d.gap(1);
  drain();
  return n;
}

std::string where_spandsp(const SpandspRun& r, std::size_t max) {
  std::string s;
  for (std::size_t i = 0; i < r.digits.size() && i < max; ++i) {
    const double t = static_cast<double>(r.at[i]) / 8000;
    s += format(" '%c'@%d:%05.2f", r.digits[i], static_cast<int>(t / 60), std::fmod(t, 60.0));
  }
  if (r.digits.size() > max) s += " ...";
  return s;
}

TEST(DtmfQ24TalkOffPeer, SpandspDtmfRxOnTheSameSpeechAndMusic) {
  std::printf(
      "ITU-T Q.24 talk-off, peer comparison at 8 kHz int16 (spandsp dtmf_rx defaults; "
      "ivrmedia defaults):\n");
  std::printf("  %-36s %7s %8s %8s  spandsp digits (where)\n", "signal", "minutes", "ivrmedia",
              "spandsp");
  const Corpus& c = corpus();
  if (!c.skip.empty()) {
    std::printf("  speech skipped: %s\n", c.skip.c_str());
  } else {
    ASSERT_TRUE(c.error.empty()) << c.error;
    std::map<std::string, std::array<std::size_t, 2>> by_lang;
    std::map<std::string, double> seconds;
    for (const Clip& clip : c.clips) {
      const auto s16 = to_s16(clip.x8);
      const std::size_t ours = ivrmedia_detect_s16(s16);
      const SpandspRun theirs = spandsp_detect(s16);
      std::printf("  %-36s %7.1f %8zu %8zu %s\n", clip.name.c_str(), clip.seconds / 60, ours,
                  theirs.digits.size(), where_spandsp(theirs, 8).c_str());
      by_lang[clip.lang][0] += ours;
      by_lang[clip.lang][1] += theirs.digits.size();
      seconds[clip.lang] += clip.seconds;
    }
    for (const auto& [lang, n] : by_lang) {
      std::printf("  %-36s %7.1f %8zu %8zu\n", ("speech " + lang + " (total)").c_str(),
                  seconds[lang] / 60, n[0], n[1]);
    }
  }
  for (const Piece& p : music(8000)) {
    const auto s16 = to_s16(p.x);
    const SpandspRun theirs = spandsp_detect(s16);
    std::printf("  %-36s %7.1f %8zu %8zu %s\n", p.name.c_str(),
                static_cast<double>(p.x.size()) / 8000 / 60, ivrmedia_detect_s16(s16),
                theirs.digits.size(), where_spandsp(theirs, 8).c_str());
  }
  std::printf(
      "  DTMF row+column notes with harmonics (2nd at h dB, 3rd at h-3 dB), digits of 16:\n");
  for (double h : {-20.0, -14.0, -10.0, -8.0, -6.0, -3.0, 0.0}) {
    std::size_t ours = 0, theirs = 0;
    for (int d = 0; d < 16; ++d) {
      const auto s16 = to_s16(dtmf_with_harmonics(d, h, 8000));
      ours += ivrmedia_detect_s16(s16);
      theirs += spandsp_detect(s16).digits.size();
    }
    std::printf("    h = %5.1f dB: ivrmedia %2zu, spandsp %2zu\n", h, ours, theirs);
  }
}

#endif  // IVRM_HAVE_SPANDSP

}  // namespace
