// Prompt, player and mixer bindings: ivrmedia.Prompt, PromptCache, Player, BargeIn, Mixer and
// ConferenceMixer over ivrmedia::mix.
//
// A Prompt wraps the shared immutable C++ prompt; its `samples` is a read-only NumPy view of the
// prompt's own memory that holds a reference to it (no copy, and the view outlives the Python
// object safely). Loading, rate conversion, rendering and mixing run with the GIL released.
// Player, BargeIn, Mixer and ConferenceMixer serve one stream each: a second thread entering one
// while it works is refused with RuntimeError, as the other stream objects do.
#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "arrays.hpp"
#include "ivrmedia/mixer.hpp"
#include "ivrmedia/player.hpp"
#include "ivrmedia/prompt.hpp"
#include "objects.hpp"
#include "records.hpp"

namespace py = pybind11;
namespace mix = ivrmedia::mix;
using ivrm_py::Exclusive;
using ivrm_py::Record;
using ivrmedia::Status;
using PromptPtr = std::shared_ptr<const mix::Prompt>;

namespace {

// ---------------------------------------------------------------------------------------------
// Prompt

struct PyPrompt {
  PromptPtr prompt;
};

// A path argument: str or os.PathLike.
std::string path_of(const py::object& path) {
  return py::cast<std::string>(py::module_::import("os").attr("fspath")(path));
}

// A failed load as a Python exception: FileNotFoundError (errno ENOENT, with filename) when the
// file is not there, ValueError with the loader's one-line reason (which names the file) else.
[[noreturn]] void raise_load_error(Status s, const std::string& path, const std::string& why) {
  std::error_code ec;
  if (s == Status::unsupported && !std::filesystem::exists(path, ec)) {
    const py::object err = py::module_::import("builtins")
                               .attr("FileNotFoundError")(ENOENT, "prompt file not found", path);
    PyErr_SetObject(PyExc_FileNotFoundError, err.ptr());
    throw py::error_already_set();
  }
  if (s == Status::no_memory) throw std::bad_alloc();
  throw py::value_error(why.empty() ? "prompt " + path + ": " + ivrmedia::describe(s) : why);
}

PyPrompt load(const py::object& path_obj, int sample_rate_hz, double max_seconds,
              const std::string& quality) {
  const std::string path = path_of(path_obj);
  mix::LoadOptions o;
  o.sample_rate_hz = sample_rate_hz;
  o.max_seconds = max_seconds;
  o.quality = ivrm_py::quality_of(quality);
  PromptPtr p;
  std::string why;
  const Status s = ivrm_py::unlocked([&] { return mix::load_prompt(path, o, &p, &why); });
  if (s != Status::ok) raise_load_error(s, path, why);
  return {std::move(p)};
}

PyPrompt from_array(const py::object& obj, int source_rate_hz,
                    const std::optional<int>& sample_rate_hz, const std::string& name,
                    const std::string& quality) {
  const bool is_float = py::isinstance<py::array_t<float>>(obj);
  const py::array a = is_float
                          ? ivrm_py::vector_of<float>(obj, "samples", "int16 or float32")
                          : ivrm_py::vector_of<std::int16_t>(obj, "samples", "int16 or float32");
  const int rate = sample_rate_hz.value_or(source_rate_hz);
  const auto q = ivrm_py::quality_of(quality);
  return ivrm_py::create([&] {
    py::gil_scoped_release released;
    return PyPrompt{
        is_float ? mix::Prompt::from_samples(ivrm_py::view<float>(a), source_rate_hz, rate, name, q)
                 : mix::Prompt::from_samples(ivrm_py::view<std::int16_t>(a), source_rate_hz, rate,
                                             name, q)};
  });
}

mix::CallProgress progress_of(const std::string& name) {
  using C = mix::CallProgress;
  static const std::array<std::pair<const char*, C>, 8> kNames = {{
      {"ringback_eu", C::ringback_eu},
      {"busy_eu", C::busy_eu},
      {"congestion_eu", C::congestion_eu},
      {"dial_eu", C::dial_eu},
      {"ringback_us", C::ringback_us},
      {"busy_us", C::busy_us},
      {"congestion_us", C::congestion_us},
      {"dial_us", C::dial_us},
  }};
  for (const auto& [n, c] : kNames)
    if (name == n) return c;
  throw py::value_error("call_progress: unknown tone '" + name +
                        "'; expected ringback_eu, busy_eu, congestion_eu, dial_eu, ringback_us, "
                        "busy_us, congestion_us or dial_us");
}

PyPrompt make_tone(const mix::ToneSpec& spec, int sample_rate_hz, const std::string& name) {
  return ivrm_py::create([&] {
    py::gil_scoped_release released;
    return PyPrompt{mix::tone(spec, sample_rate_hz, name)};
  });
}

// Read-only float32 view of the prompt's samples; the capsule holds the prompt.
py::array samples_of(const PyPrompt& self) {
  auto* keep = new PromptPtr(self.prompt);
  const py::capsule owner(keep, [](void* p) { delete static_cast<PromptPtr*>(p); });
  const auto s = self.prompt->samples();
  py::array_t<float> a({static_cast<py::ssize_t>(s.size())}, {py::ssize_t{sizeof(float)}}, s.data(),
                       owner);
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

std::string prompt_repr(const PyPrompt& self) {
  const auto& p = *self.prompt;
  return "Prompt(name=" + std::string(py::repr(py::str(p.name()))) +
         ", sample_rate_hz=" + std::to_string(p.sample_rate_hz()) +
         ", samples=" + std::to_string(p.size()) + ")";
}

// ---------------------------------------------------------------------------------------------
// Player and barge-in

struct PyPlayer {
  explicit PyPlayer(const mix::Player::Config& c) : player(c), rate(c.sample_rate_hz) {}
  mix::Player player;
  int rate;
  double gain_db = 0.0;
  std::atomic<bool> busy{false};
};

const char* reason_name(mix::StopReason r) {
  switch (r) {
    case mix::StopReason::none:
      return nullptr;
    case mix::StopReason::stopped:
      return "stopped";
    case mix::StopReason::replaced:
      return "replaced";
    case mix::StopReason::barge_in_dtmf:
      return "barge_in_dtmf";
    case mix::StopReason::barge_in_voice:
      return "barge_in_voice";
    case mix::StopReason::reset:
      return "reset";
  }
  return nullptr;
}

py::object optional_str(const char* s) {
  return s == nullptr ? py::object(py::none()) : py::object(py::str(s));
}

py::object digit_of(char d) {
  return d == 0 ? py::object(py::none()) : py::object(py::str(std::string(1, d)));
}

char digit_arg(const std::optional<std::string>& digit) {
  if (!digit) return 0;
  static const std::string kKeys = "0123456789*#ABCD";
  if (digit->size() != 1 || kKeys.find(digit->front()) == std::string::npos) {
    throw py::value_error("digit must be one of 0-9 * # A-D, got '" + *digit + "'");
  }
  return digit->front();
}

std::unique_ptr<PyPlayer> make_player(int sample_rate_hz, std::size_t queue_capacity,
                                      std::size_t event_capacity, double declick_ms,
                                      double stop_fade_ms, double barge_fade_ms,
                                      double gain_ramp_ms) {
  mix::Player::Config c;
  c.sample_rate_hz = sample_rate_hz;
  c.queue_capacity = queue_capacity;
  c.event_capacity = event_capacity;
  c.declick_ms = declick_ms;
  c.stop_fade_ms = stop_fade_ms;
  c.barge_fade_ms = barge_fade_ms;
  c.gain_ramp_ms = gain_ramp_ms;
  return ivrm_py::create([&] { return std::make_unique<PyPlayer>(c); });
}

mix::PlayOptions play_options(int loops, double gain_db, double fade_in_ms, double fade_out_ms,
                              std::int64_t start_sample, std::int64_t delay_samples,
                              bool interruptible, std::int64_t id) {
  if (loops < 0)
    throw py::value_error("loops must be >= 0 (0: until stopped), got " + std::to_string(loops));
  if (start_sample < 0) throw py::value_error("start_sample must be >= 0");
  if (delay_samples < 0) throw py::value_error("delay_samples must be >= 0");
  mix::PlayOptions o;
  o.loops = loops;
  o.gain_db = gain_db;
  o.fade_in_ms = fade_in_ms;
  o.fade_out_ms = fade_out_ms;
  o.start_sample = static_cast<std::size_t>(start_sample);
  o.delay_samples = static_cast<std::size_t>(delay_samples);
  o.interruptible = interruptible;
  o.id = ivrm_py::unsigned_arg(id, 32, "id");
  return o;
}

[[noreturn]] void raise_play(Status s, const char* what, const PyPlayer& self,
                             const mix::Prompt& p) {
  if (s == Status::invalid_argument && p.sample_rate_hz() != self.rate) {
    throw py::value_error(std::string(what) + ": prompt is at " +
                          std::to_string(p.sample_rate_hz()) + " Hz, the player at " +
                          std::to_string(self.rate) + " Hz");
  }
  if (s == Status::full) {
    throw py::buffer_error(std::string(what) + ": the playlist is full (queue_capacity)");
  }
  ivrm_py::raise_status(s, what);
}

// play() and queue(): the same options, the same errors, only the Player call differs.
using StartCall = Status (mix::Player::*)(std::shared_ptr<const mix::Prompt>,
                                          const mix::PlayOptions&) noexcept;
void start(PyPlayer& self, const PyPrompt& prompt, StartCall call, const char* what, int loops,
           double gain_db, double fade_in_ms, double fade_out_ms, std::int64_t start_sample,
           std::int64_t delay_samples, bool interruptible, std::int64_t id) {
  const auto o = play_options(loops, gain_db, fade_in_ms, fade_out_ms, start_sample, delay_samples,
                              interruptible, id);
  const Exclusive lock(self.busy, "Player");
  const Status s = (self.player.*call)(prompt.prompt, o);
  if (s != Status::ok) raise_play(s, what, self, *prompt.prompt);
}

void render_into(PyPlayer& self, const py::object& obj, bool add) {
  py::array a = ivrm_py::vector_of<float>(obj, "out", "float32");
  if (!a.writeable()) throw py::value_error("out: array is read-only");
  const std::span<float> out(static_cast<float*>(a.mutable_data()),
                             static_cast<std::size_t>(a.size()));
  const Exclusive lock(self.busy, "Player");
  py::gil_scoped_release released;
  if (add) {
    self.player.render_add(out);
  } else {
    self.player.render(out);
  }
}

struct PyBargeIn {
  explicit PyBargeIn(const mix::BargeIn::Config& c) : barge(c) {}
  mix::BargeIn barge;
  std::atomic<bool> busy{false};
};

// ---------------------------------------------------------------------------------------------
// Mixers

mix::Limiter::Config limiter_config(int rate, float ceiling_dbfs, float threshold_dbfs,
                                    float lookahead_ms, float hold_ms, float release_ms) {
  mix::Limiter::Config l;
  l.sample_rate_hz = rate;
  l.ceiling_dbfs = ceiling_dbfs;
  l.threshold_dbfs = threshold_dbfs;
  l.lookahead_ms = lookahead_ms;
  l.hold_ms = hold_ms;
  l.release_ms = release_ms;
  return l;
}

struct PyMixer {
  explicit PyMixer(const mix::Mixer::Config& c) : mixer(c) {}
  mix::Mixer mixer;
  std::atomic<bool> busy{false};
};

// Float32 views of a list of sources; int16 sources are converted (x / 32768) into copies.
struct Sources {
  std::vector<py::array> arrays;
  std::vector<std::vector<float>> converted;  // moving these keeps their buffers in place
  std::vector<std::span<const float>> spans;
};

Sources sources_of(const py::object& seq, const char* arg) {
  Sources s;
  if (seq.is_none()) return s;
  if (py::isinstance<py::array>(seq)) {
    throw py::type_error(std::string(arg) +
                         ": expected a list of 1-D arrays, got one array; "
                         "pass [" +
                         arg + "]");
  }
  std::size_t i = 0;
  for (const py::handle h : seq) {
    const std::string name = std::string(arg) + "[" + std::to_string(i++) + "]";
    const auto o = py::reinterpret_borrow<py::object>(h);
    if (py::isinstance<py::array_t<std::int16_t>>(o)) {
      const py::array a = ivrm_py::vector_of<std::int16_t>(o, name.c_str(), "int16 or float32");
      const auto v = ivrm_py::view<std::int16_t>(a);
      std::vector<float> f(v.size());
      std::transform(v.begin(), v.end(), f.begin(),
                     [](std::int16_t x) { return static_cast<float>(x) * (1.0f / 32768.0f); });
      s.converted.push_back(std::move(f));
      s.spans.emplace_back(s.converted.back());
    } else {
      s.arrays.push_back(ivrm_py::vector_of<float>(o, name.c_str(), "int16 or float32"));
      s.spans.push_back(ivrm_py::view<float>(s.arrays.back()));
    }
  }
  return s;
}

std::size_t longest(const std::vector<std::span<const float>>& a,
                    const std::vector<std::span<const float>>& b) {
  std::size_t n = 0;
  for (const auto& s : a)
    n = std::max(n, s.size());
  for (const auto& s : b)
    n = std::max(n, s.size());
  return n;
}

py::array mixer_process(PyMixer& self, const py::object& foreground, const py::object& background,
                        const std::optional<std::int64_t>& n_arg, const py::object& dtype) {
  const bool as_float = ivrm_py::wants_float(dtype);
  const Sources fg = sources_of(foreground, "foreground");
  const Sources bg = sources_of(background, "background");
  if (n_arg && *n_arg < 0) throw py::value_error("n must be >= 0");
  const std::size_t n = n_arg ? static_cast<std::size_t>(*n_arg) : longest(fg.spans, bg.spans);
  if (longest(fg.spans, bg.spans) > n) {
    throw py::value_error("process: a source holds more than n=" + std::to_string(n) + " samples");
  }
  const Exclusive lock(self.busy, "Mixer");
  if (as_float) {
    py::array_t<float> out(static_cast<py::ssize_t>(n));
    auto o = ivrm_py::view(out);
    ivrm_py::run_unlocked("Mixer.process",
                          [&] { return self.mixer.process(fg.spans, bg.spans, o); });
    return out;
  }
  py::array_t<std::int16_t> out(static_cast<py::ssize_t>(n));
  auto o = ivrm_py::view(out);
  ivrm_py::run_unlocked("Mixer.process", [&] { return self.mixer.process(fg.spans, bg.spans, o); });
  return out;
}

struct PyConference {
  explicit PyConference(const mix::ConferenceMixer::Config& c) : conf(c) {}
  mix::ConferenceMixer conf;
  std::atomic<bool> busy{false};
};

template <typename T>
py::array conference_as(PyConference& self, const std::vector<py::object>& legs, std::size_t n) {
  const char* expected =
      std::is_same_v<T, float> ? "float32 (as the first leg)" : "int16 (as the first leg)";
  std::vector<py::array> keep;
  std::vector<std::span<const T>> in;
  for (std::size_t k = 0; k < legs.size(); ++k) {
    const std::string name = "legs[" + std::to_string(k) + "]";
    if (legs[k].is_none()) {
      in.emplace_back();
      continue;
    }
    keep.push_back(ivrm_py::vector_of<T>(legs[k], name.c_str(), expected));
    const auto v = ivrm_py::view<T>(keep.back());
    if (!v.empty() && v.size() != n) {
      throw py::value_error(name + ": " + std::to_string(v.size()) + " samples, the frame has " +
                            std::to_string(n));
    }
    in.push_back(v);
  }
  py::array_t<T> out({static_cast<py::ssize_t>(legs.size()), static_cast<py::ssize_t>(n)});
  std::vector<std::span<T>> outs;
  T* base = out.mutable_data();
  for (std::size_t k = 0; k < legs.size(); ++k)
    outs.emplace_back(base + k * n, n);
  const Exclusive lock(self.busy, "ConferenceMixer");
  ivrm_py::run_unlocked("ConferenceMixer.process", [&] {
    return self.conf.process(std::span<const std::span<const T>>(in),
                             std::span<const std::span<T>>(outs));
  });
  return out;
}

py::array conference_process(PyConference& self, const std::vector<py::object>& legs,
                             const std::optional<std::int64_t>& n_arg) {
  if (legs.size() > static_cast<std::size_t>(self.conf.config().max_legs)) {
    throw py::value_error("process: " + std::to_string(legs.size()) + " legs, max_legs is " +
                          std::to_string(self.conf.config().max_legs));
  }
  // The dtype and frame length come from the first leg given (or n); all legs must agree.
  std::optional<bool> is_float;
  std::size_t n = 0;
  bool have_n = false;
  for (const auto& l : legs) {
    if (l.is_none()) continue;
    if (!is_float) is_float = !py::isinstance<py::array_t<std::int16_t>>(l);
    if (py::isinstance<py::array>(l)) {
      const auto size = static_cast<std::size_t>(py::reinterpret_borrow<py::array>(l).size());
      if (size > 0 && !have_n) {
        n = size;
        have_n = true;
      }
    }
  }
  if (n_arg) {
    if (*n_arg < 0) throw py::value_error("n must be >= 0");
    if (have_n && static_cast<std::size_t>(*n_arg) != n) {
      throw py::value_error("process: legs hold " + std::to_string(n) + " samples, n is " +
                            std::to_string(*n_arg));
    }
    n = static_cast<std::size_t>(*n_arg);
  }
  if (is_float.value_or(true)) return conference_as<float>(self, legs, n);
  return conference_as<std::int16_t>(self, legs, n);
}

mix::ConferenceMixer::Talk talk_of(const std::string& t) {
  using T = mix::ConferenceMixer::Talk;
  if (t == "everyone") return T::everyone;
  if (t == "nobody") return T::nobody;
  if (t == "one_leg") return T::one_leg;
  throw py::value_error("talk must be 'everyone', 'nobody' or 'one_leg', got '" + t + "'");
}

}  // namespace

void bind_mix(py::module_& m) {
  // --- Prompt ----------------------------------------------------------------------------------
  py::class_<PyPrompt>(
      m, "Prompt",
      "Mono float32 audio at the rate it will be played at, immutable and shared: every\n"
      "Player playing it holds the same samples by reference. Made with the class methods\n"
      "load, from_array, silence, comfort_noise, dtmf, tone and call_progress (not real-time:\n"
      "they allocate; the GIL is released while they convert rates or read files).")
      .def_static(
          "load", &load, py::arg("path"), py::arg("sample_rate_hz") = 8000, py::kw_only(),
          py::arg("max_seconds") = mix::LoadOptions{}.max_seconds, py::arg("quality") = "high",
          "Loads an audio file (WAV, FLAC, Ogg Vorbis/Opus, AIFF, ... or headerless\n"
          "G.711 .ul/.al at 8000 Hz), averages its channels to mono and converts it to\n"
          "sample_rate_hz (8000, 16000, 32000, 44100 or 48000) with the resampler's delay\n"
          "removed: exactly round(frames * rate / file rate) samples. path is a str or\n"
          "os.PathLike. FileNotFoundError for a missing file; ValueError, naming the file,\n"
          "for an unreadable or unknown format, an empty file or one longer than\n"
          "max_seconds.")
      .def_static("from_array", &from_array, py::arg("samples"), py::arg("source_rate_hz"),
                  py::arg("sample_rate_hz") = py::none(), py::kw_only(), py::arg("name") = "",
                  py::arg("quality") = "high",
                  "A prompt from a 1-D int16 or float32 array (float full scale +-1.0) at\n"
                  "source_rate_hz, converted to sample_rate_hz (default: source_rate_hz, no\n"
                  "conversion) as load() converts. The samples are copied. ValueError for an\n"
                  "empty array or an unsupported rate.")
      .def_static(
          "silence",
          [](double seconds, int sample_rate_hz) {
            return ivrm_py::create(
                [&] { return PyPrompt{mix::Prompt::silence(seconds, sample_rate_hz)}; });
          },
          py::arg("seconds"), py::arg("sample_rate_hz") = 8000, "`seconds` of digital silence.")
      .def_static(
          "comfort_noise",
          [](double seconds, double level_dbfs, int sample_rate_hz, std::uint64_t seed) {
            return ivrm_py::create([&] {
              return PyPrompt{
                  mix::Prompt::comfort_noise(seconds, level_dbfs, sample_rate_hz, seed)};
            });
          },
          py::arg("seconds"), py::arg("level_dbfs") = -60.0, py::arg("sample_rate_hz") = 8000,
          py::kw_only(), py::arg("seed") = 1,
          "White noise at level_dbfs RMS (full-scale sine = -3 dBFS; -120..0), the same for\n"
          "the same seed.")
      .def_static(
          "dtmf",
          [](const std::string& digits, int sample_rate_hz) {
            return ivrm_py::create(
                [&] { return PyPrompt{mix::Prompt::dtmf(digits, sample_rate_hz)}; });
          },
          py::arg("digits"), py::arg("sample_rate_hz") = 8000,
          "DTMF digits (0-9 * # A-D, at most 64): 80 ms tones, 80 ms pauses, -7/-5 dBm0.")
      .def_static(
          "tone",
          [](double frequency1_hz, double frequency2_hz, double level_dbm0,
             const std::vector<double>& cadence_ms, double seconds, int sample_rate_hz,
             const std::string& name) {
            mix::ToneSpec spec;
            spec.frequency1_hz = frequency1_hz;
            spec.frequency2_hz = frequency2_hz;
            spec.level_dbm0 = level_dbm0;
            spec.cadence_ms = cadence_ms;
            spec.seconds = seconds;
            return make_tone(spec, sample_rate_hz, name);
          },
          py::arg("frequency1_hz") = mix::ToneSpec{}.frequency1_hz,
          py::arg("frequency2_hz") = mix::ToneSpec{}.frequency2_hz, py::kw_only(),
          py::arg("level_dbm0") = mix::ToneSpec{}.level_dbm0,
          py::arg("cadence_ms") = std::vector<double>{},
          py::arg("seconds") = mix::ToneSpec{}.seconds, py::arg("sample_rate_hz") = 8000,
          py::arg("name") = "",
          "A call-progress tone: one frequency (frequency2_hz 0) or two, each at level_dbm0\n"
          "(G.711 full-scale sine = +3.17 dBm0), switched by cadence_ms (on/off durations\n"
          "repeated, e.g. [1000, 4000]; empty: continuous), `seconds` long. ValueError for a\n"
          "frequency outside 0..rate/2, a level over +3 dBm0 or a negative duration.")
      .def_static(
          "call_progress",
          [](const std::string& which, int sample_rate_hz, const std::optional<double>& seconds) {
            mix::ToneSpec spec = mix::call_progress(progress_of(which));
            if (seconds) spec.seconds = *seconds;
            return make_tone(spec, sample_rate_hz, which);
          },
          py::arg("which"), py::arg("sample_rate_hz") = 8000, py::kw_only(),
          py::arg("seconds") = py::none(),
          "A preset call-progress tone, named after it: 'ringback_eu', 'busy_eu',\n"
          "'congestion_eu', 'dial_eu' (ITU-T E.180, 425 Hz) or 'ringback_us', 'busy_us',\n"
          "'congestion_us', 'dial_us' (North American precise tones). One cadence cycle long\n"
          "(continuous tones 2 s) unless `seconds` says otherwise; loop it to play longer.")
      .def_property_readonly("samples", &samples_of,
                             "The samples: a read-only float32 view of the prompt's own memory\n"
                             "(no copy) that keeps the prompt alive.")
      .def_property_readonly(
          "sample_rate_hz", [](const PyPrompt& s) { return s.prompt->sample_rate_hz(); },
          "The rate the prompt plays at.")
      .def_property_readonly(
          "seconds", [](const PyPrompt& s) { return s.prompt->seconds(); }, "Duration.")
      .def_property_readonly(
          "name", [](const PyPrompt& s) { return s.prompt->name(); },
          "The name given (load: the path; call_progress: the preset).")
      .def_property_readonly(
          "memory_bytes", [](const PyPrompt& s) { return s.prompt->memory_bytes(); },
          "Bytes the prompt holds (samples and name).")
      .def("__len__", [](const PyPrompt& s) { return s.prompt->size(); })
      .def("__repr__", &prompt_repr);

  const mix::PromptCache::Config cache_defaults;
  py::class_<mix::PromptCache>(
      m, "PromptCache",
      "Loads each (path, sample_rate_hz) once and hands the same Prompt to every caller;\n"
      "reports the memory it holds. Safe to share between threads (it locks); it reads\n"
      "files, so keep it off the audio path.")
      .def(py::init([](double max_seconds, const std::string& quality) {
             mix::PromptCache::Config c;
             c.max_seconds = max_seconds;
             c.quality = ivrm_py::quality_of(quality);
             return std::make_unique<mix::PromptCache>(c);
           }),
           py::kw_only(), py::arg("max_seconds") = cache_defaults.max_seconds,
           py::arg("quality") = "high")
      .def(
          "get",
          [](mix::PromptCache& self, const py::object& path_obj, int sample_rate_hz) {
            const std::string path = path_of(path_obj);
            PromptPtr p;
            std::string why;
            const Status s =
                ivrm_py::unlocked([&] { return self.get(path, sample_rate_hz, &p, &why); });
            if (s != Status::ok) raise_load_error(s, path, why);
            return PyPrompt{std::move(p)};
          },
          py::arg("path"), py::arg("sample_rate_hz") = 8000,
          "The prompt of `path` at sample_rate_hz, loaded on first use (errors as\n"
          "Prompt.load; a failure is not cached). The GIL is released while it loads.")
      .def(
          "put",
          [](mix::PromptCache& self, const std::string& key, const PyPrompt& prompt) {
            self.put(key, prompt.prompt);
          },
          py::arg("key"), py::arg("prompt"),
          "Adds a prompt made elsewhere under `key` (e.g. 'tone:ringback_eu'), replacing an\n"
          "older one. get(key, prompt.sample_rate_hz) then returns it.")
      .def_property_readonly("memory_bytes", &mix::PromptCache::memory_bytes,
                             "Bytes held by the cached prompts.")
      .def("evict_unused", &mix::PromptCache::evict_unused,
           "Drops the prompts nobody else holds (no Prompt object or Player refers to them);\n"
           "returns how many.")
      .def("clear", &mix::PromptCache::clear, "Drops every prompt.")
      .def("__len__", &mix::PromptCache::size);

  // --- Player ----------------------------------------------------------------------------------
  using E = mix::PlayerEvent;
  Record<E>(m, "PlayerEvent", "Something a Player's prompt did (Player.events()).")
      .computed(
          "type",
          [](const E& e) {
            switch (e.type) {
              case E::Type::started:
                return "started";
              case E::Type::finished:
                return "finished";
              case E::Type::interrupted:
                return "interrupted";
              case E::Type::looped:
                return "looped";
            }
            return "unknown";
          },
          "'started', 'finished' (played to its end), 'interrupted' (see reason) or 'looped'.")
      .field("id", &E::id, "The id given to play() or queue().")
      .field("position", &E::position, "Sample of the prompt at the event.")
      .field("time", &E::time, "Player output sample at which it happened.")
      .computed(
          "reason", [](const E& e) { return optional_str(reason_name(e.reason)); },
          "Why it was interrupted: 'stopped', 'replaced', 'barge_in_dtmf', 'barge_in_voice',\n"
          "'reset'; None for other events.")
      .computed(
          "digit", [](const E& e) { return digit_of(e.digit); },
          "The key of a 'barge_in_dtmf' interruption, else None.")
      .finish();

  const mix::Player::Config pd;
  py::class_<PyPlayer>(
      m, "Player",
      "One source on one channel (the menu voice, the hold music): plays Prompts at its\n"
      "sample_rate_hz with a playlist, loops, gain, equal-power fades, pause/resume, seek and\n"
      "stop, never clicking (see the C++ header player.hpp for the stated bounds), and reports\n"
      "PlayerEvents with sample positions. Commands take effect at the next rendered sample, so\n"
      "the output does not depend on how rendering is cut into frames. render() releases the\n"
      "GIL; a second thread entering the same Player meanwhile is refused with RuntimeError.\n"
      "ValueError for a config out of range (queue_capacity 1-1024, event_capacity 4-4096,\n"
      "declick_ms 0.5-20, stop_fade_ms and barge_fade_ms 0-2000, gain_ramp_ms 1-2000).")
      .def(py::init(&make_player), py::arg("sample_rate_hz") = pd.sample_rate_hz, py::kw_only(),
           py::arg("queue_capacity") = pd.queue_capacity,
           py::arg("event_capacity") = pd.event_capacity, py::arg("declick_ms") = pd.declick_ms,
           py::arg("stop_fade_ms") = pd.stop_fade_ms, py::arg("barge_fade_ms") = pd.barge_fade_ms,
           py::arg("gain_ramp_ms") = pd.gain_ramp_ms)
      .def(
          "play",
          [](PyPlayer& self, const PyPrompt& prompt, int loops, double gain_db, double fade_in_ms,
             double fade_out_ms, std::int64_t start_sample, std::int64_t delay_samples,
             bool interruptible, std::int64_t id) {
            start(self, prompt, &mix::Player::play, "play", loops, gain_db, fade_in_ms, fade_out_ms,
                  start_sample, delay_samples, interruptible, id);
          },
          py::arg("prompt"), py::kw_only(), py::arg("loops") = 1, py::arg("gain_db") = 0.0,
          py::arg("fade_in_ms") = 0.0, py::arg("fade_out_ms") = 0.0, py::arg("start_sample") = 0,
          py::arg("delay_samples") = 0, py::arg("interruptible") = true, py::arg("id") = 0,
          "Plays `prompt` now (delay_samples later), cross-fading out what was playing (it is\n"
          "'interrupted', reason 'replaced') and clearing the playlist. loops: times to play\n"
          "it (0: until stopped); gain_db -96..+24; fade_in_ms / fade_out_ms: equal-power\n"
          "fades at the start and ending at the natural end; start_sample: where to begin;\n"
          "interruptible: barge_in() may stop it; id: your tag, echoed in events. ValueError\n"
          "for a prompt at another rate, start_sample past its end or options out of range.")
      .def(
          "queue",
          [](PyPlayer& self, const PyPrompt& prompt, int loops, double gain_db, double fade_in_ms,
             double fade_out_ms, std::int64_t start_sample, std::int64_t delay_samples,
             bool interruptible, std::int64_t id) {
            start(self, prompt, &mix::Player::queue, "queue", loops, gain_db, fade_in_ms,
                  fade_out_ms, start_sample, delay_samples, interruptible, id);
          },
          py::arg("prompt"), py::kw_only(), py::arg("loops") = 1, py::arg("gain_db") = 0.0,
          py::arg("fade_in_ms") = 0.0, py::arg("fade_out_ms") = 0.0, py::arg("start_sample") = 0,
          py::arg("delay_samples") = 0, py::arg("interruptible") = true, py::arg("id") = 0,
          "Appends `prompt` to the playlist (it starts at once when idle); prompts follow each\n"
          "other back to back. Options as play(). BufferError when queue_capacity prompts\n"
          "already wait.")
      .def(
          "stop",
          [](PyPlayer& self, const std::optional<double>& fade_ms) {
            const Exclusive lock(self.busy, "Player");
            self.player.stop(fade_ms.value_or(-1.0));
          },
          py::arg("fade_ms") = py::none(),
          "Fades out (fade_ms, default stop_fade_ms) and stops; the playlist is cleared.")
      .def(
          "pause",
          [](PyPlayer& self, const std::optional<double>& fade_ms) {
            const Exclusive lock(self.busy, "Player");
            self.player.pause(fade_ms.value_or(-1.0));
          },
          py::arg("fade_ms") = py::none(), "Fades out and holds the position.")
      .def(
          "resume",
          [](PyPlayer& self, const std::optional<double>& fade_ms) {
            const Exclusive lock(self.busy, "Player");
            self.player.resume(fade_ms.value_or(-1.0));
          },
          py::arg("fade_ms") = py::none(), "Fades back in where pause() left.")
      .def(
          "seek",
          [](PyPlayer& self, std::int64_t sample) {
            if (sample < 0) throw py::value_error("seek: sample must be >= 0");
            const Exclusive lock(self.busy, "Player");
            const Status s = self.player.seek(static_cast<std::size_t>(sample));
            if (s == Status::bad_state) throw std::runtime_error("seek: nothing is playing");
            if (s != Status::ok) ivrm_py::raise_status(s, "seek");
          },
          py::arg("sample"),
          "Jumps to `sample` of the current prompt with a cross-fade. ValueError beyond its\n"
          "end, RuntimeError when nothing plays.")
      .def(
          "barge_in",
          [](PyPlayer& self, const std::string& reason, const std::optional<std::string>& key) {
            mix::StopReason r = mix::StopReason::barge_in_voice;
            if (reason == "dtmf" || reason == "barge_in_dtmf") {
              r = mix::StopReason::barge_in_dtmf;
            } else if (reason != "voice" && reason != "barge_in_voice") {
              throw py::value_error("barge_in: reason must be 'voice' or 'dtmf', got '" + reason +
                                    "'");
            }
            const char d = digit_arg(key);
            const Exclusive lock(self.busy, "Player");
            return self.player.barge_in(r, d);
          },
          py::arg("reason") = "voice", py::arg("digit") = py::none(),
          "The caller interrupted ('voice' or 'dtmf' with its digit; a BargeInEvent's reason\n"
          "works too): stops interruptible prompts with a barge_fade_ms fade and reports them\n"
          "'interrupted'. Returns whether an interruptible prompt was playing.")
      .def(
          "render",
          [](PyPlayer& self, std::int64_t n) {
            if (n < 0) throw py::value_error("render: n must be >= 0");
            py::array_t<float> out(static_cast<py::ssize_t>(n));
            auto o = ivrm_py::view(out);
            const Exclusive lock(self.busy, "Player");
            {
              py::gil_scoped_release released;
              self.player.render(o);
            }
            return out;
          },
          py::arg("n"),
          "The next n samples as a new float32 array (silence while idle). Releases the GIL.")
      .def("render_into", &render_into, py::arg("out"), py::kw_only(), py::arg("add") = false,
           "Renders len(out) samples into a writable 1-D C-contiguous float32 array: overwrites\n"
           "it, or adds to what is there when add is true (several players into one buffer).")
      .def(
          "events",
          [](PyPlayer& self) {
            const Exclusive lock(self.busy, "Player");
            std::array<E, 32> buf;
            std::vector<E> all;
            for (std::size_t k; (k = self.player.read_events(buf)) > 0;)
              all.insert(all.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(k));
            return all;
          },
          "The PlayerEvents since the last call, oldest first.")
      .def_property(
          "gain_db", [](const PyPlayer& self) { return self.gain_db; },
          [](PyPlayer& self, double g) {
            if (!std::isfinite(g)) throw py::value_error("gain_db must be finite");
            const Exclusive lock(self.busy, "Player");
            self.gain_db = std::clamp(g, -96.0, 24.0);
            self.player.set_gain_db(g);
          },
          "Master gain, dB (-96..+24, clamped); a new value is reached over gain_ramp_ms.")
      .def_property_readonly(
          "active",
          [](PyPlayer& self) {
            const Exclusive lock(self.busy, "Player");
            return self.player.active();
          },
          "Something is audible or about to be (playing, fading, waiting to start; paused not).")
      .def_property_readonly(
          "paused",
          [](PyPlayer& self) {
            const Exclusive lock(self.busy, "Player");
            return self.player.paused();
          },
          "Paused.")
      .def_property_readonly(
          "position",
          [](PyPlayer& self) {
            const Exclusive lock(self.busy, "Player");
            return self.player.position();
          },
          "Sample of the current prompt (0 when idle).")
      .def_property_readonly(
          "time",
          [](PyPlayer& self) {
            const Exclusive lock(self.busy, "Player");
            return self.player.time();
          },
          "Samples rendered since creation.")
      .def_property_readonly(
          "queued",
          [](PyPlayer& self) {
            const Exclusive lock(self.busy, "Player");
            return self.player.queued();
          },
          "Playlist items waiting.")
      .def_property_readonly(
          "events_dropped",
          [](PyPlayer& self) {
            const Exclusive lock(self.busy, "Player");
            return self.player.events_dropped();
          },
          "Events lost because nobody read them (event_capacity).")
      .def_property_readonly(
          "sample_rate_hz", [](const PyPlayer& self) { return self.rate; }, "Output rate.")
      .def(
          "reset",
          [](PyPlayer& self) {
            const Exclusive lock(self.busy, "Player");
            self.player.reset();
          },
          "Stops everything at once (no fade); clears the playlist and events.")
      .def("__repr__", [](const PyPlayer& self) {
        return "Player(sample_rate_hz=" + std::to_string(self.rate) +
               ", active=" + (self.player.active() ? "True" : "False") + ")";
      });

  using BE = mix::BargeIn::Event;
  Record<BE>(m, "BargeInEvent", "The caller interrupted (BargeIn.process or key_down).")
      .computed(
          "reason",
          [](const BE& e) { return e.reason == mix::StopReason::barge_in_dtmf ? "dtmf" : "voice"; },
          "'voice' (speech started) or 'dtmf' (a key went down).")
      .computed(
          "digit", [](const BE& e) { return digit_of(e.digit); }, "The key for 'dtmf', else None.")
      .field("sample", &BE::sample, "Caller sample where it was decided.")
      .finish();

  const mix::BargeIn::Config bd;
  py::class_<PyBargeIn>(
      m, "BargeIn",
      "Watches one caller for barge-in: speech (energy-based voice activity: 10 ms blocks over\n"
      "both threshold_dbfs and the tracked noise floor + noise_margin_db for min_speech_ms in\n"
      "a row, hangover_ms after) and keys (key_down). Feed the result to Player.barge_in(\n"
      "event.reason, event.digit). ValueError for a config out of range.")
      .def(py::init([](int sample_rate_hz, double threshold_dbfs, double noise_margin_db,
                       double min_speech_ms, double hangover_ms, bool voice, bool dtmf) {
             mix::BargeIn::Config c;
             c.sample_rate_hz = sample_rate_hz;
             c.threshold_dbfs = threshold_dbfs;
             c.noise_margin_db = noise_margin_db;
             c.min_speech_ms = min_speech_ms;
             c.hangover_ms = hangover_ms;
             c.voice = voice;
             c.dtmf = dtmf;
             return ivrm_py::create([&] { return std::make_unique<PyBargeIn>(c); });
           }),
           py::arg("sample_rate_hz") = bd.sample_rate_hz, py::kw_only(),
           py::arg("threshold_dbfs") = bd.threshold_dbfs,
           py::arg("noise_margin_db") = bd.noise_margin_db,
           py::arg("min_speech_ms") = bd.min_speech_ms, py::arg("hangover_ms") = bd.hangover_ms,
           py::arg("voice") = bd.voice, py::arg("dtmf") = bd.dtmf)
      .def(
          "process",
          [](PyBargeIn& self, const py::object& obj) -> std::optional<BE> {
            const bool is_float = py::isinstance<py::array_t<float>>(obj);
            const py::array a =
                is_float ? ivrm_py::vector_of<float>(obj, "caller", "int16 or float32")
                         : ivrm_py::vector_of<std::int16_t>(obj, "caller", "int16 or float32");
            const Exclusive lock(self.busy, "BargeIn");
            BE e;
            bool hit = false;
            {
              py::gil_scoped_release released;
              if (is_float) {
                hit = self.barge.process(ivrm_py::view<float>(a), &e);
              } else {
                const auto v = ivrm_py::view<std::int16_t>(a);
                std::array<float, 256> f;
                for (std::size_t i = 0; i < v.size(); i += f.size()) {
                  const std::size_t count = std::min(f.size(), v.size() - i);
                  for (std::size_t k = 0; k < count; ++k)
                    f[k] = static_cast<float>(v[i + k]) * (1.0f / 32768.0f);
                  BE got;
                  if (self.barge.process(std::span<const float>(f.data(), count), &got) && !hit) {
                    e = got;
                    hit = true;
                  }
                }
              }
            }
            if (!hit) return std::nullopt;
            return e;
          },
          py::arg("caller"),
          "The caller's audio (1-D int16 or float32); a BargeInEvent when speech starts in it\n"
          "(once per utterance), else None.")
      .def(
          "key_down",
          [](PyBargeIn& self, const std::string& key) -> std::optional<BE> {
            const char d = digit_arg(key);
            const Exclusive lock(self.busy, "BargeIn");
            BE e;
            if (!self.barge.key_down(d, &e)) return std::nullopt;
            return e;
          },
          py::arg("digit"),
          "A key went down (DtmfDetector key-down or an RFC 4733 'begin'); a BargeInEvent\n"
          "when DTMF barge-in is on, else None.")
      .def_property_readonly(
          "speaking",
          [](PyBargeIn& self) {
            const Exclusive lock(self.busy, "BargeIn");
            return self.barge.speaking();
          },
          "The caller is speaking now (hangover included).")
      .def_property_readonly(
          "noise_floor_dbfs",
          [](PyBargeIn& self) {
            const Exclusive lock(self.busy, "BargeIn");
            return self.barge.noise_floor_dbfs();
          },
          "The tracked noise floor.")
      .def(
          "reset",
          [](PyBargeIn& self) {
            const Exclusive lock(self.busy, "BargeIn");
            self.barge.reset();
          },
          "Back to the state after creation.");

  // --- Mixers ----------------------------------------------------------------------------------
  using LS = mix::Limiter::Stats;
  Record<LS>(m, "LimiterStats", "A limiter's counters since creation or reset().")
      .field("samples", &LS::samples, "Samples processed.")
      .field("limited_samples", &LS::limited_samples, "Samples that left with a gain under 1.")
      .field("clamped", &LS::clamped, "Samples the final clamp moved (float rounding; expect 0).")
      .field("min_gain", &LS::min_gain, "Lowest gain applied.")
      .finish();
  using MS = mix::Mixer::Stats;
  Record<MS>(m, "MixerStats", "A Mixer's counters since creation or reset().")
      .field("samples", &MS::samples, "Samples mixed.")
      .field("ducked_samples", &MS::ducked_samples, "Samples with background gain under 1.")
      .computed(
          "limiter", [](const MS& s) { return s.limiter; }, "The output limiter's LimiterStats.")
      .finish();

  const mix::Mixer::Config md;
  const mix::Limiter::Config ld;
  py::class_<PyMixer>(
      m, "Mixer",
      "One output channel: limiter(sum of foreground sources + duck gain x sum of background\n"
      "sources). The background is ducked by duck_depth_db while the foreground is active (a\n"
      "sample over duck_threshold_dbfs within duck_hold_ms, or set_foreground_active(True)),\n"
      "ramping down over duck_attack_ms and back over duck_release_ms. The look-ahead limiter\n"
      "(ceiling_dbfs, knee from threshold_dbfs, lookahead_ms = latency, hold_ms, release_ms)\n"
      "keeps every output sample within the ceiling. process() releases the GIL; one thread at a\n"
      "time (RuntimeError otherwise). ValueError for a config out of range.")
      .def(py::init([](int sample_rate_hz, float duck_depth_db, float duck_threshold_dbfs,
                       bool duck_on_level, float duck_attack_ms, float duck_hold_ms,
                       float duck_release_ms, float ceiling_dbfs, float threshold_dbfs,
                       float lookahead_ms, float hold_ms, float release_ms) {
             mix::Mixer::Config c;
             c.sample_rate_hz = sample_rate_hz;
             c.duck_depth_db = duck_depth_db;
             c.duck_threshold_dbfs = duck_threshold_dbfs;
             c.duck_on_level = duck_on_level;
             c.duck_attack_ms = duck_attack_ms;
             c.duck_hold_ms = duck_hold_ms;
             c.duck_release_ms = duck_release_ms;
             c.limiter = limiter_config(sample_rate_hz, ceiling_dbfs, threshold_dbfs, lookahead_ms,
                                        hold_ms, release_ms);
             return ivrm_py::create([&] { return std::make_unique<PyMixer>(c); });
           }),
           py::arg("sample_rate_hz") = md.sample_rate_hz, py::kw_only(),
           py::arg("duck_depth_db") = md.duck_depth_db,
           py::arg("duck_threshold_dbfs") = md.duck_threshold_dbfs,
           py::arg("duck_on_level") = md.duck_on_level,
           py::arg("duck_attack_ms") = md.duck_attack_ms, py::arg("duck_hold_ms") = md.duck_hold_ms,
           py::arg("duck_release_ms") = md.duck_release_ms,
           py::arg("ceiling_dbfs") = ld.ceiling_dbfs, py::arg("threshold_dbfs") = ld.threshold_dbfs,
           py::arg("lookahead_ms") = ld.lookahead_ms, py::arg("hold_ms") = ld.hold_ms,
           py::arg("release_ms") = ld.release_ms)
      .def("process", &mixer_process, py::arg("foreground") = py::none(),
           py::arg("background") = py::none(), py::kw_only(), py::arg("n") = py::none(),
           py::arg("dtype") = "float32",
           "Mixes one frame from lists of 1-D float32 (or int16: read as x / 32768) sources and\n"
           "returns n samples as float32 or int16 (rounded, saturated). n defaults to the\n"
           "longest source; a shorter source is silence after its end. Output is delayed by\n"
           "latency_samples. ValueError for a source longer than n.")
      .def(
          "set_foreground_active",
          [](PyMixer& self, bool active) {
            const Exclusive lock(self.busy, "Mixer");
            self.mixer.set_foreground_active(active);
          },
          py::arg("active"),
          "Ducks the background while true, whatever the foreground's level (e.g. while a\n"
          "prompt plays or while waiting for digits), from the next sample.")
      .def_property_readonly(
          "foreground_forced",
          [](PyMixer& self) {
            const Exclusive lock(self.busy, "Mixer");
            return self.mixer.foreground_forced();
          },
          "What set_foreground_active last set.")
      .def_property_readonly(
          "duck_gain_db",
          [](PyMixer& self) {
            const Exclusive lock(self.busy, "Mixer");
            return self.mixer.duck_gain_db();
          },
          "Background gain of the last sample, dB (0: unity, -duck_depth_db: fully ducked).")
      .def_property_readonly(
          "latency_samples",
          [](PyMixer& self) {
            const Exclusive lock(self.busy, "Mixer");
            return self.mixer.latency_samples();
          },
          "The limiter's look-ahead: output n is input n - latency_samples.")
      .def_property_readonly(
          "sample_rate_hz", [](const PyMixer& self) { return self.mixer.config().sample_rate_hz; },
          "Sample rate.")
      .def_property_readonly(
          "stats",
          [](PyMixer& self) {
            const Exclusive lock(self.busy, "Mixer");
            return self.mixer.stats();
          },
          "A MixerStats snapshot.")
      .def(
          "reset",
          [](PyMixer& self) {
            const Exclusive lock(self.busy, "Mixer");
            self.mixer.reset();
          },
          "Stream state only (limiter silent, duck gain at unity); the forced flag stays.");

  const mix::ConferenceMixer::Config cd;
  py::class_<PyConference>(
      m, "ConferenceMixer",
      "N-1 conference mixing for up to max_legs legs: each leg hears the sum of the other legs\n"
      "that talk to it, never itself, through its own look-ahead limiter (limiter keywords as\n"
      "Mixer). Per leg a talk mode ('everyone'; 'nobody': listen only, silent monitoring;\n"
      "'one_leg': whisper to target_leg) and a gain, both ramped over gain_ramp_ms.\n"
      "process() releases the GIL; one thread at a time (RuntimeError otherwise).")
      .def(py::init([](int sample_rate_hz, int max_legs, float gain_ramp_ms, float ceiling_dbfs,
                       float threshold_dbfs, float lookahead_ms, float hold_ms, float release_ms) {
             mix::ConferenceMixer::Config c;
             c.sample_rate_hz = sample_rate_hz;
             c.max_legs = max_legs;
             c.gain_ramp_ms = gain_ramp_ms;
             c.limiter = limiter_config(sample_rate_hz, ceiling_dbfs, threshold_dbfs, lookahead_ms,
                                        hold_ms, release_ms);
             return ivrm_py::create([&] { return std::make_unique<PyConference>(c); });
           }),
           py::arg("sample_rate_hz") = cd.sample_rate_hz, py::arg("max_legs") = cd.max_legs,
           py::kw_only(), py::arg("gain_ramp_ms") = cd.gain_ramp_ms,
           py::arg("ceiling_dbfs") = ld.ceiling_dbfs, py::arg("threshold_dbfs") = ld.threshold_dbfs,
           py::arg("lookahead_ms") = ld.lookahead_ms, py::arg("hold_ms") = ld.hold_ms,
           py::arg("release_ms") = ld.release_ms)
      .def("process", &conference_process, py::arg("legs"), py::kw_only(),
           py::arg("n") = py::none(),
           "One frame: legs[k] is leg k's input (1-D, all float32 or all int16, one length; an\n"
           "empty array or None is silence). Returns a 2-D array (len(legs), n) of the same\n"
           "dtype whose row k is what leg k hears, delayed by latency_samples. n is needed only\n"
           "when every leg is silent. Legs beyond len(legs) are absent (not heard).")
      .def(
          "set_talk",
          [](PyConference& self, int leg, const std::string& talk,
             const std::optional<int>& target_leg) {
            const auto t = talk_of(talk);
            const Exclusive lock(self.busy, "ConferenceMixer");
            const Status s = self.conf.set_talk(leg, t, target_leg.value_or(-1));
            if (s != Status::ok) ivrm_py::raise_status(s, "set_talk");
          },
          py::arg("leg"), py::arg("talk"), py::arg("target_leg") = py::none(),
          "Who hears `leg`: 'everyone', 'nobody' or 'one_leg' (only target_leg: supervisor\n"
          "whisper). ValueError for a leg or target out of range.")
      .def(
          "set_gain_db",
          [](PyConference& self, int leg, float gain_db) {
            const Exclusive lock(self.busy, "ConferenceMixer");
            const Status s = self.conf.set_gain_db(leg, gain_db);
            if (s != Status::ok) ivrm_py::raise_status(s, "set_gain_db");
          },
          py::arg("leg"), py::arg("gain_db"),
          "Gain of what `leg` says (-96..+24 dB; -96 is silent), ramped.")
      .def(
          "reset_leg",
          [](PyConference& self, int leg) {
            const Exclusive lock(self.busy, "ConferenceMixer");
            const Status s = self.conf.reset_leg(leg);
            if (s != Status::ok) ivrm_py::raise_status(s, "reset_leg");
          },
          py::arg("leg"), "A leg joins or leaves: its limiter goes silent, its ramps settle.")
      .def(
          "leg_limiter_stats",
          [](PyConference& self, int leg) {
            const Exclusive lock(self.busy, "ConferenceMixer");
            const LS* s = self.conf.leg_limiter_stats(leg);
            if (s == nullptr) {
              throw py::value_error("leg_limiter_stats: leg " + std::to_string(leg) +
                                    " out of range");
            }
            return *s;
          },
          py::arg("leg"), "The LimiterStats of what `leg` hears.")
      .def_property_readonly(
          "latency_samples", [](const PyConference& self) { return self.conf.latency_samples(); },
          "The limiters' look-ahead.")
      .def_property_readonly(
          "max_legs", [](const PyConference& self) { return self.conf.config().max_legs; },
          "Most legs per process().")
      .def_property_readonly(
          "sample_rate_hz",
          [](const PyConference& self) { return self.conf.config().sample_rate_hz; },
          "Sample rate.")
      .def(
          "reset",
          [](PyConference& self) {
            const Exclusive lock(self.busy, "ConferenceMixer");
            self.conf.reset();
          },
          "Every leg back to the state after creation.");
}
