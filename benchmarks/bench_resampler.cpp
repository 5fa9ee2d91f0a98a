// Sample-rate conversion throughput: ivrmedia's Resampler against speexdsp (quality 8, the
// baseline: what VoIP stacks use) and soxr (HQ recipe, for reference), in one program, on the
// same non-repeating speech-like audio (8 s at the input rate, so nothing loops in cache), fed
// in 20 ms chunks, mono float32. items_per_second counts input frames; the report divides each
// row by its group's `speexdsp_q8` row (goal: the default preset 3x as fast at no more
// latency).
//
// At startup every row's quality is measured the same way and printed to stderr (and attached
// to its benchmark as counters): latency (group delay at 100 Hz, from the phase slope of a
// random-phase multisine, plus the output a converter holds back between 20 ms calls: the
// delay a live call hears), passband ripple up to 0.9 x the lower Nyquist frequency, and the
// worst image or alias relative to its input component, strictly from the lower Nyquist
// frequency up and from 5 % above it (all on exact FFT bins: see tests/codec/test_resampler.cpp).
#include <benchmark/benchmark.h>
#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "ivrmedia/resampler.hpp"
#include "sim/speech_like.hpp"

#if defined(IVRM_HAVE_SPEEXDSP)
#include <speex/speex_resampler.h>
#endif
#if defined(IVRM_HAVE_SOXR)
#include <soxr.h>
#endif

namespace {

namespace rs = ivrmedia::resample;

struct Pair {
  int in, out;
};
constexpr Pair kPairs[] = {{8000, 16000},  {16000, 8000},  {8000, 48000},  {48000, 8000},
                           {16000, 48000}, {48000, 16000}, {44100, 48000}, {48000, 44100}};
constexpr int kSeconds = 8;

// One converter behind a common face: process() consumes all n frames and returns the frames
// written (cap is always enough).
class Converter {
 public:
  virtual ~Converter() = default;
  virtual std::size_t process(const float* in, std::size_t n, float* out, std::size_t cap) = 0;
};

class Ivrmedia final : public Converter {
 public:
  Ivrmedia(Pair p, rs::Quality q, ivrmedia::SimdLevel simd) : r_({p.in, p.out, 1, q, simd}) {}
  std::size_t process(const float* in, std::size_t n, float* out, std::size_t cap) override {
    rs::Result res{};
    if (r_.process({in, n}, {out, cap}, &res) != ivrmedia::Status::ok) std::abort();
    return res.out_frames_written;
  }

 private:
  rs::Resampler r_;
};

#if defined(IVRM_HAVE_SPEEXDSP)
class Speex final : public Converter {
 public:
  Speex(Pair p, int quality) {
    int err = 0;
    st_ = speex_resampler_init(1, static_cast<spx_uint32_t>(p.in), static_cast<spx_uint32_t>(p.out),
                               quality, &err);
    if (!st_ || err != 0) std::abort();
  }
  ~Speex() override { speex_resampler_destroy(st_); }
  Speex(const Speex&) = delete;
  Speex& operator=(const Speex&) = delete;
  std::size_t process(const float* in, std::size_t n, float* out, std::size_t cap) override {
    std::size_t written = 0;
    while (n > 0) {
      auto ilen = static_cast<spx_uint32_t>(n), olen = static_cast<spx_uint32_t>(cap - written);
      speex_resampler_process_float(st_, 0, in, &ilen, out + written, &olen);
      in += ilen, n -= ilen, written += olen;
      if (ilen == 0 && olen == 0) std::abort();
    }
    return written;
  }

 private:
  SpeexResamplerState* st_ = nullptr;
};
#endif

#if defined(IVRM_HAVE_SOXR)
class Soxr final : public Converter {
 public:
  explicit Soxr(Pair p) {
    soxr_error_t err = nullptr;
    const soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
    const soxr_runtime_spec_t rt = soxr_runtime_spec(1);
    s_ = soxr_create(p.in, p.out, 1, &err, nullptr, &q, &rt);
    if (!s_ || err) std::abort();
  }
  ~Soxr() override { soxr_delete(s_); }
  Soxr(const Soxr&) = delete;
  Soxr& operator=(const Soxr&) = delete;
  std::size_t process(const float* in, std::size_t n, float* out, std::size_t cap) override {
    std::size_t written = 0;
    while (n > 0) {
      std::size_t idone = 0, odone = 0;
      if (soxr_process(s_, in, n, &idone, out + written, cap - written, &odone)) std::abort();
      in += idone, n -= idone, written += odone;
      if (idone == 0 && odone == 0) std::abort();
    }
    return written;
  }

 private:
  soxr_t s_ = nullptr;
};
#endif

struct Row {
  const char* name;
  std::function<std::unique_ptr<Converter>(Pair)> make;
};

std::vector<Row> rows() {
  std::vector<Row> r;
#if defined(IVRM_HAVE_SPEEXDSP)
  r.push_back({"speexdsp_q8", [](Pair p) { return std::make_unique<Speex>(p, 8); }});
#endif
#if defined(IVRM_HAVE_SOXR)
  r.push_back({"soxr_hq", [](Pair p) { return std::make_unique<Soxr>(p); }});
#endif
  using ivrmedia::SimdLevel;
  r.push_back({"ivrmedia", [](Pair p) {
                 return std::make_unique<Ivrmedia>(p, rs::Quality::standard, SimdLevel::automatic);
               }});
  r.push_back({"ivrmedia_fast", [](Pair p) {
                 return std::make_unique<Ivrmedia>(p, rs::Quality::fast, SimdLevel::automatic);
               }});
  r.push_back({"ivrmedia_high", [](Pair p) {
                 return std::make_unique<Ivrmedia>(p, rs::Quality::high, SimdLevel::automatic);
               }});
  r.push_back({"ivrmedia_scalar", [](Pair p) {
                 return std::make_unique<Ivrmedia>(p, rs::Quality::standard, SimdLevel::scalar);
               }});
  return r;
}

// ---------------------------------------------------------------------------------------------
// Quality, measured identically for every row. Inputs are periodic over exactly one second
// (tones on integer Hz), so one second of steady-state output puts every tone, image and alias
// on its own FFT bin.

struct Figures {
  double latency_ms = 0, ripple_db = 0, strict_db = -1e9, relaxed_db = -1e9;
};

std::vector<double> amplitudes_and_phases(const std::vector<float>& y, std::size_t from, int n,
                                          std::vector<double>* phases) {
  auto* in = static_cast<float*>(fftwf_malloc(sizeof(float) * static_cast<std::size_t>(n)));
  auto* out = static_cast<fftwf_complex*>(
      fftwf_malloc(sizeof(fftwf_complex) * static_cast<std::size_t>(n / 2 + 1)));
  fftwf_plan plan = fftwf_plan_dft_r2c_1d(n, in, out, FFTW_ESTIMATE);
  std::copy_n(y.begin() + static_cast<std::ptrdiff_t>(from), n, in);
  fftwf_execute(plan);
  std::vector<double> a(static_cast<std::size_t>(n / 2 + 1));
  if (phases) phases->resize(a.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    const double scale = k == 0 || 2 * k == static_cast<std::size_t>(n) ? 1.0 : 2.0;
    a[k] = scale * std::hypot(static_cast<double>(out[k][0]), static_cast<double>(out[k][1])) / n;
    if (phases) (*phases)[k] = std::atan2(out[k][1], out[k][0]);
  }
  fftwf_destroy_plan(plan);
  fftwf_free(in);
  fftwf_free(out);
  return a;
}

// One second (n samples) of sum over bins of amp * cos(2 pi k t + phase_k), three times.
std::vector<float> multisine(int n, int lo, int hi, double amp, std::vector<double>& phase,
                             std::mt19937& rng) {
  auto* spec = static_cast<fftwf_complex*>(
      fftwf_malloc(sizeof(fftwf_complex) * static_cast<std::size_t>(n / 2 + 1)));
  auto* time = static_cast<float*>(fftwf_malloc(sizeof(float) * static_cast<std::size_t>(n)));
  phase.assign(static_cast<std::size_t>(n / 2 + 1), 0.0);
  std::uniform_real_distribution<double> u(-std::numbers::pi, std::numbers::pi);
  for (int k = 0; k <= n / 2; ++k) {
    const bool on = k >= lo && k < hi;
    const double p = on ? u(rng) : 0.0;
    phase[static_cast<std::size_t>(k)] = p;
    spec[k][0] = on ? static_cast<float>(amp / 2 * std::cos(p)) : 0.0f;
    spec[k][1] = on ? static_cast<float>(amp / 2 * std::sin(p)) : 0.0f;
  }
  fftwf_plan plan = fftwf_plan_dft_c2r_1d(n, spec, time, FFTW_ESTIMATE);
  fftwf_execute(plan);
  std::vector<float> x(3 * static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = time[i % static_cast<std::size_t>(n)];
  fftwf_destroy_plan(plan);
  fftwf_free(spec);
  fftwf_free(time);
  return x;
}

// Converts x in 20 ms chunks. *buffered: the mean, over the chunk boundaries after the first
// half second, of the output frames still owed (frames consumed * out / in - frames written):
// what a converter holds back on top of its filter's delay (soxr aligns its output with the
// input by holding back its filter delay; speexdsp and ivrmedia hold back nothing).
std::vector<float> convert(const Row& row, Pair p, const std::vector<float>& x,
                           double* buffered = nullptr) {
  auto c = row.make(p);
  std::vector<float> y(x.size() * static_cast<std::size_t>(p.out) / static_cast<std::size_t>(p.in) +
                       static_cast<std::size_t>(p.out));
  std::size_t written = 0;
  const auto chunk = static_cast<std::size_t>(p.in / 50);
  double owed = 0;
  int count = 0;
  for (std::size_t i = 0; i < x.size(); i += chunk) {
    const std::size_t n = std::min(chunk, x.size() - i);
    written += c->process(x.data() + i, n, y.data() + written, y.size() - written);
    if (i + n >= static_cast<std::size_t>(p.in / 2)) {
      owed += static_cast<double>(i + n) * p.out / p.in - static_cast<double>(written);
      ++count;
    }
  }
  if (buffered) *buffered = owed / count;
  y.resize(written);
  return y;
}

double db(double a) {
  return 20 * std::log10(std::max(a, 1e-20));
}

Figures measure(const Row& row, Pair p) {
  std::mt19937 rng(2024);
  Figures f;
  const int low = std::min(p.in, p.out), fs = low / 2;
  const auto pass = static_cast<std::size_t>(0.9 * fs);
  const auto relaxed = static_cast<int>(1.05 * fs);
  // Run 1: every bin below the lower Nyquist frequency: gains, latency and (upsampling) images.
  {
    std::vector<double> in_phase, out_phase;
    const double amp = 0.25 / std::sqrt((fs - 1) / 2.0);
    const auto x = multisine(p.in, 1, fs, amp, in_phase, rng);
    double buffered = 0;
    const auto y = convert(row, p, x, &buffered);
    if (y.size() < 2 * static_cast<std::size_t>(p.out)) std::abort();
    const auto a = amplitudes_and_phases(y, static_cast<std::size_t>(p.out), p.out, &out_phase);
    double lo = 1e9, hi = -1e9;
    for (std::size_t k = 1; k <= pass; ++k)
      lo = std::min(lo, db(a[k] / amp)), hi = std::max(hi, db(a[k] / amp));
    f.ripple_db = hi - lo;
    // Output frame j holds the input at j / out - d. (p_k - theta_k) = 2 pi k d (mod 2 pi), so
    // adjacent bins give 2 pi d (mod 2 pi): d within +-0.5 s. The latency a live stream sees
    // adds what the converter holds back.
    const auto k = std::size_t{100};
    double dphi = (in_phase[k + 1] - out_phase[k + 1]) - (in_phase[k] - out_phase[k]);
    dphi = std::remainder(dphi, 2 * std::numbers::pi);
    f.latency_ms = (dphi / (2 * std::numbers::pi) + buffered / p.out) * 1e3;
    for (std::size_t b = static_cast<std::size_t>(fs); b < a.size(); ++b) {
      // upsampling: bin b holds the image of p.in - b (or of b - p.in, ...)
      f.strict_db = std::max(f.strict_db, db(a[b] / amp));
      if (static_cast<int>(b) >= relaxed) f.relaxed_db = std::max(f.relaxed_db, db(a[b] / amp));
    }
  }
  // Downsampling: each band [k fs, (k + 1) fs) of the input folds one-to-one onto the output.
  for (int band = 1; p.in > p.out && band * fs < p.in / 2; ++band) {
    const int lo = band * fs, hi = std::min((band + 1) * fs, p.in / 2);
    std::vector<double> in_phase;
    const double amp = 0.25 / std::sqrt((hi - lo) / 2.0);
    const auto y = convert(row, p, multisine(p.in, lo, hi, amp, in_phase, rng));
    const auto a = amplitudes_and_phases(y, static_cast<std::size_t>(p.out), p.out, nullptr);
    for (std::size_t b = 0; b < a.size(); ++b) {
      const int source =
          band % 2 ? (band + 1) * fs - static_cast<int>(b) : lo + static_cast<int>(b);
      if (source < lo || source >= hi) continue;
      f.strict_db = std::max(f.strict_db, db(a[b] / amp));
      if (source >= relaxed) f.relaxed_db = std::max(f.relaxed_db, db(a[b] / amp));
    }
  }
  return f;
}

std::map<std::string, Figures>& figures() {
  static std::map<std::string, Figures> m;
  return m;
}

std::string group_of(Pair p) {
  return "resample/" + std::to_string(p.in) + "_" + std::to_string(p.out);
}

void print_figures() {
  std::fprintf(
      stderr,
      "resampler quality, measured identically for every row (rejection: worst image or "
      "alias re its input; strict = from the lower Nyquist frequency up, >=1.05 = from 5%% "
      "above it; ripple up to 0.9 x the lower Nyquist frequency)\n"
      "%-22s %-16s %10s %12s %12s %10s\n",
      "group", "row", "latency ms", "strict dB", ">=1.05 dB", "ripple dB");
  for (Pair p : kPairs) {
    for (const Row& row : rows()) {
      const Figures f = measure(row, p);
      figures()[group_of(p) + "/" + row.name] = f;
      std::fprintf(stderr, "%-22s %-16s %10.3f %12.1f %12.1f %10.3f\n", group_of(p).c_str(),
                   row.name, f.latency_ms, -f.strict_db, -f.relaxed_db, f.ripple_db);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Throughput

const std::vector<float>& speech(int rate) {
  static std::map<int, std::vector<float>> cache;
  auto it = cache.find(rate);
  if (it == cache.end()) {
    it = cache
             .emplace(rate, ivrmedia::sim::speech_like(static_cast<std::size_t>(rate) * kSeconds,
                                                       {rate, -20.0, 55}))
             .first;
  }
  return it->second;
}

void run(benchmark::State& state, const Row& row, Pair p) {
  const auto& x = speech(p.in);
  const auto chunk = static_cast<std::size_t>(p.in / 50);
  std::vector<float> y(chunk * static_cast<std::size_t>(p.out) / static_cast<std::size_t>(p.in) +
                       4096);
  auto c = row.make(p);
  std::size_t frames = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i + chunk <= x.size(); i += chunk) {
      benchmark::DoNotOptimize(c->process(x.data() + i, chunk, y.data(), y.size()));
      benchmark::ClobberMemory();
    }
    frames += x.size() / chunk * chunk;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(frames));
  auto it = figures().find(group_of(p) + "/" + row.name);
  if (it != figures().end()) {
    state.counters["latency_ms"] = it->second.latency_ms;
    state.counters["reject_db"] = -it->second.strict_db;
    state.counters["ripple_db"] = it->second.ripple_db;
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  print_figures();
  static const std::vector<Row> all = rows();
  for (Pair p : kPairs) {
    for (const Row& row : all) {
      benchmark::RegisterBenchmark((group_of(p) + "/" + row.name).c_str(),
                                   [&row, p](benchmark::State& s) { run(s, row, p); });
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
