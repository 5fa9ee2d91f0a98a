// Resampler: the frequency-response specification of every preset measured for every rate pair
// from FFTW spectra (stepped sines and random-phase multisine noise, analysed over exactly one
// period so every tone, image and alias falls on an exact bin: no window, no leakage), exact
// sample accounting, bit-identical results under any chunking, multichannel, int16, latency,
// SIMD levels, no allocation, errors.
#include <fftw3.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "codec/resampler_design.hpp"
#include "core/sample_convert.hpp"
#include "ivrmedia/resampler.hpp"
#include "support/alloc_counter.hpp"
#include "support/sanitizers.hpp"
#include "support/simd_levels.hpp"

namespace {

using ivrmedia::SimdLevel;
using ivrmedia::Status;
using ivrmedia::resample::Quality;
using ivrmedia::resample::Resampler;
using ivrmedia::resample::Result;

constexpr int kRates[] = {8000, 16000, 32000, 44100, 48000};
constexpr Quality kQualities[] = {Quality::fast, Quality::standard, Quality::high};

const char* name(Quality q) {
  return q == Quality::fast ? "fast" : q == Quality::standard ? "standard" : "high";
}

std::string pair_name(int in, int out, Quality q) {
  return std::to_string(in) + "->" + std::to_string(out) + " " + name(q);
}

Resampler make(int in, int out, int channels = 1, Quality q = Quality::standard,
               SimdLevel simd = SimdLevel::automatic) {
  return Resampler({in, out, channels, q, simd});
}

// Whole input in one call.
template <typename T>
std::vector<T> run(Resampler& r, const std::vector<T>& x) {
  const auto C = static_cast<std::size_t>(r.config().channels);
  std::vector<T> y(r.max_output_frames(x.size() / C) * C);
  Result res{};
  EXPECT_EQ(r.process(x, y, &res), Status::ok);
  EXPECT_EQ(res.in_frames_used, x.size() / C);
  EXPECT_EQ(res.out_frames_written * C, y.size());
  return y;
}

// In chunks of the given frame counts (cycled).
template <typename T>
std::vector<T> run_chunked(Resampler& r, const std::vector<T>& x,
                           const std::vector<std::size_t>& chunks) {
  const auto C = static_cast<std::size_t>(r.config().channels);
  std::vector<T> y;
  std::vector<T> buf;
  std::size_t pos = 0;
  for (std::size_t i = 0; pos < x.size(); ++i) {
    const std::size_t n = std::min(chunks[i % chunks.size()], x.size() / C - pos / C);
    buf.resize(r.max_output_frames(n) * C);
    Result res{};
    EXPECT_EQ(r.process(std::span(x).subspan(pos, n * C), buf, &res), Status::ok);
    EXPECT_EQ(res.in_frames_used, n);
    y.insert(y.end(), buf.begin(),
             buf.begin() + static_cast<std::ptrdiff_t>(res.out_frames_written * C));
    pos += n * C;
  }
  return y;
}

// ---------------------------------------------------------------------------------------------
// Spectra. Inputs are periodic with a period of exactly one second (tones on integer Hz), so
// after the filters' transient the output is periodic with one second of output frames, and a
// rectangular FFT over exactly that second puts every tone, image and alias in its own bin.

class Fft {
 public:
  explicit Fft(int n) : n_(n) {
    in_ = static_cast<float*>(fftwf_malloc(sizeof(float) * static_cast<std::size_t>(n)));
    out_ = static_cast<fftwf_complex*>(
        fftwf_malloc(sizeof(fftwf_complex) * static_cast<std::size_t>(n / 2 + 1)));
    plan_ = fftwf_plan_dft_r2c_1d(n, in_, out_, FFTW_ESTIMATE);
  }
  ~Fft() {
    fftwf_destroy_plan(plan_);
    fftwf_free(in_);
    fftwf_free(out_);
  }
  Fft(const Fft&) = delete;
  Fft& operator=(const Fft&) = delete;

  // Amplitude of each integer-Hz component of one period (n samples).
  std::vector<double> amplitudes(const float* x) {
    std::memcpy(in_, x, sizeof(float) * static_cast<std::size_t>(n_));
    fftwf_execute(plan_);
    std::vector<double> a(static_cast<std::size_t>(n_ / 2 + 1));
    for (std::size_t k = 0; k < a.size(); ++k) {
      const double scale = (k == 0 || 2 * k == static_cast<std::size_t>(n_)) ? 1.0 : 2.0;
      a[k] = scale * std::hypot(out_[k][0], out_[k][1]) / n_;
    }
    return a;
  }

 private:
  int n_;
  float* in_;
  fftwf_complex* out_;
  fftwf_plan plan_;
};

// Inverse real FFT: one period (n samples) of sum_k amp * cos(2 pi k t + phase_k).
std::vector<float> multisine(int n, const std::vector<int>& bins, double amp, std::mt19937& rng) {
  std::vector<double> re(static_cast<std::size_t>(n / 2 + 1)), im(re.size());
  std::uniform_real_distribution<double> phase(0, 2 * std::numbers::pi);
  for (int k : bins) {
    const double p = phase(rng);
    re[static_cast<std::size_t>(k)] = amp / 2 * std::cos(p);
    im[static_cast<std::size_t>(k)] = amp / 2 * std::sin(p);
  }
  auto* spec = static_cast<fftwf_complex*>(fftwf_malloc(sizeof(fftwf_complex) * re.size()));
  auto* time = static_cast<float*>(fftwf_malloc(sizeof(float) * static_cast<std::size_t>(n)));
  for (std::size_t k = 0; k < re.size(); ++k)
    spec[k][0] = static_cast<float>(re[k]), spec[k][1] = static_cast<float>(im[k]);
  fftwf_plan plan = fftwf_plan_dft_c2r_1d(n, spec, time, FFTW_ESTIMATE);
  fftwf_execute(plan);
  std::vector<float> x(time, time + n);
  fftwf_destroy_plan(plan);
  fftwf_free(spec);
  fftwf_free(time);
  return x;
}

// Resamples `period` (input samples; period * out / in must be whole) twice and returns the
// amplitude spectrum of the second period's worth of output, relative to `reference`: bin k
// is k * in / period.size() Hz. The first period (>= 0.2 s) covers every filter's transient.
std::vector<double> response(Resampler& r, const std::vector<float>& period, double reference) {
  const auto in = static_cast<std::size_t>(r.config().input_rate_hz);
  const auto out = static_cast<std::size_t>(r.config().output_rate_hz);
  const std::size_t out_period = period.size() * out / in;
  std::vector<float> x(period.size() * 2);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = period[i % period.size()];
  r.reset();
  const auto y = run(r, x);
  EXPECT_EQ(y.size(), 2 * out_period);
  Fft fft(static_cast<int>(out_period));
  auto a = fft.amplitudes(y.data() + out_period);
  for (auto& v : a)
    v /= reference;
  return a;
}

double db(double amplitude_ratio) {
  return 20 * std::log10(std::max(amplitude_ratio, 1e-20));
}

struct Spec {
  double passband_hz, stopband_hz, rejection_db;
};

Spec spec_of(int in, int out, Quality q) {
  const auto& p = ivrmedia::resample::detail::preset(q);
  const double f_low = std::min(in, out);
  return {p.passband * f_low / 2, f_low / 2, p.rejection_db};
}

struct Measured {
  double min_gain_db = 1e9, max_gain_db = -1e9;  // over the passband
  double worst_db = -1e9;                        // largest image or alias re its input
  int worst_hz = -1;
  void gain(double g) {
    min_gain_db = std::min(min_gain_db, db(g));
    max_gain_db = std::max(max_gain_db, db(g));
  }
  void unwanted(double a, int hz) {
    if (db(a) > worst_db) worst_db = db(a), worst_hz = hz;
  }
  [[nodiscard]] double ripple_db() const { return max_gain_db - min_gain_db; }
};

// Stepped sines over the whole input band, on multiples of 5 Hz (0.2 s periods, 5 Hz bins):
// passband gains, and every output component other than the tone itself (images when
// upsampling; when downsampling, everything a tone at or above the output's Nyquist frequency
// leaves), including tones 5 Hz from the band edge.
Measured swept_sines(int in, int out, Quality q) {
  constexpr int kHz = 5;
  Resampler r = make(in, out, 1, q);
  const Spec s = spec_of(in, out, q);
  const int pass = static_cast<int>(s.passband_hz) / kHz * kHz;
  const int stop = static_cast<int>(s.stopband_hz), top = in / 2 - kHz;
  std::vector<int> freqs;
  for (int i = 0; i < 16; ++i)
    freqs.push_back(40 + (pass - 40) * i / 15);  // passband, its edge included
  for (int i = 1; i < 4; ++i)
    freqs.push_back(pass + (stop - pass) * i / 4);  // transition band
  freqs.push_back(stop - kHz);
  for (int i = 0; i < 20 && top > stop; ++i)  // everything above (downsampling)
    freqs.push_back(stop + (top - stop) * i / 19);
  if (in > out) freqs.push_back(stop + kHz);
  Measured m;
  for (int f : freqs) {
    f = f / kHz * kHz;
    std::vector<float> x(static_cast<std::size_t>(in / kHz));
    constexpr double kAmp = 0.5;
    for (std::size_t i = 0; i < x.size(); ++i)
      x[i] = static_cast<float>(
          kAmp * std::sin(2 * std::numbers::pi * f * static_cast<double>(i) / in + 0.3));
    const auto a = response(r, x, kAmp);
    const bool wanted = f < stop;  // passes (passband) or may pass (transition band)
    const auto bin = static_cast<std::size_t>(f / kHz);
    if (f <= s.passband_hz) m.gain(a[bin]);
    for (std::size_t k = 0; k < a.size(); ++k) {
      if (wanted && k == bin) continue;
      m.unwanted(a[k], f);
    }
  }
  return m;
}

// Random-phase multisine noise (a tone on every integer Hz of a band). Upsampling: one run over
// the whole input band gives the passband gain on every bin and every image (each output bin
// above the input's Nyquist holds exactly one image). Downsampling: one run below the output's
// Nyquist for the gains, then one per band of the input that folds one-to-one onto the output
// band ([k fs, (k + 1) fs) for fs = out / 2), so each output bin holds exactly one alias.
Measured noise(int in, int out, Quality q, std::mt19937& rng) {
  Resampler r = make(in, out, 1, q);
  const Spec s = spec_of(in, out, q);
  const int stop = static_cast<int>(s.stopband_hz);
  Measured m;
  auto band = [](int lo, int hi) {
    std::vector<int> b;
    for (int k = std::max(lo, 1); k < hi; ++k)
      b.push_back(k);
    return b;
  };
  {
    const auto bins = band(1, in < out ? in / 2 : stop);
    const double amp = 0.25 / std::sqrt(static_cast<double>(bins.size()) / 2);  // RMS 0.25
    const auto a = response(r, multisine(in, bins, amp, rng), amp);
    for (std::size_t k = 1; k <= static_cast<std::size_t>(s.passband_hz); ++k)
      m.gain(a[k]);
    for (std::size_t k = static_cast<std::size_t>(stop); k < a.size(); ++k)
      m.unwanted(a[k], static_cast<int>(k));
  }
  for (int lo = stop; in > out && lo < in / 2; lo += stop) {
    const auto bins = band(lo, std::min(lo + stop, in / 2));
    const double amp = 0.25 / std::sqrt(static_cast<double>(bins.size()) / 2);
    const auto a = response(r, multisine(in, bins, amp, rng), amp);
    for (std::size_t k = 0; k < a.size(); ++k)
      m.unwanted(a[k], static_cast<int>(k));
  }
  return m;
}

TEST(ResamplerSpec, SweptSinesMeetPassbandRippleAndRejectionForEveryPairAndPreset) {
  // The acceptance criterion for the standard preset: ripple <= 0.1 dB up to 0.9 x the
  // lower Nyquist frequency, >= 100 dB against everything that would alias or image.
  for (Quality q : kQualities) {
    for (int in : kRates) {
      for (int out : kRates) {
        if (in == out) continue;
        SCOPED_TRACE(pair_name(in, out, q));
        const Spec s = spec_of(in, out, q);
        const Measured m = swept_sines(in, out, q);
        std::printf(
            "[ sines ] %-22s ripple %.3f dB (%+.3f..%+.3f), worst image/alias %.1f dB (tone %d "
            "Hz)\n",
            pair_name(in, out, q).c_str(), m.ripple_db(), m.min_gain_db, m.max_gain_db, m.worst_db,
            m.worst_hz);
        EXPECT_LE(m.ripple_db(), 0.1);
        EXPECT_LE(std::max(std::fabs(m.min_gain_db), std::fabs(m.max_gain_db)), 0.1);
        EXPECT_LE(m.worst_db, -s.rejection_db);
      }
    }
  }
}

TEST(ResamplerSpec, NoiseMeetsPassbandRippleAndRejectionOnEveryBinForEveryPairAndPreset) {
  std::mt19937 rng(5);
  for (Quality q : kQualities) {
    for (int in : kRates) {
      for (int out : kRates) {
        if (in == out) continue;
        SCOPED_TRACE(pair_name(in, out, q));
        const Spec s = spec_of(in, out, q);
        const Measured m = noise(in, out, q, rng);
        std::printf("[ noise ] %-22s ripple %.3f dB, worst image/alias %.1f dB (at %d Hz out)\n",
                    pair_name(in, out, q).c_str(), m.ripple_db(), m.worst_db, m.worst_hz);
        EXPECT_LE(m.ripple_db(), 0.1);
        EXPECT_LE(m.worst_db, -s.rejection_db);
      }
    }
  }
}

TEST(ResamplerSpec, IdentityIsAnExactCopyWithNoLatency) {
  for (int rate : kRates) {
    Resampler r = make(rate, rate, 2);
    EXPECT_EQ(r.latency_seconds(), 0.0);
    std::vector<float> x(1000);
    for (std::size_t i = 0; i < x.size(); ++i)
      x[i] = std::sin(0.01f * static_cast<float>(i));
    EXPECT_EQ(run(r, x), x);
    std::vector<std::int16_t> s(1000);
    for (std::size_t i = 0; i < s.size(); ++i)
      s[i] = static_cast<std::int16_t>(i * 37);
    EXPECT_EQ(run(r, s), s);
  }
}

// ---------------------------------------------------------------------------------------------
// Latency

TEST(ResamplerLatency, ReportedGroupDelayMatchesTheMeasuredDelayOfALowTone) {
  // Output frame j holds the input at j / out - latency: check it on a 250 Hz tone, which the
  // passband passes with < 1e-5 gain error, for every pair and preset.
  for (Quality q : kQualities) {
    for (int in : kRates) {
      for (int out : kRates) {
        SCOPED_TRACE(pair_name(in, out, q));
        Resampler r = make(in, out, 1, q);
        EXPECT_NEAR(r.latency_output_frames(), r.latency_seconds() * out, 1e-9);
        const double f = 250, d = r.latency_seconds();
        std::vector<float> x(static_cast<std::size_t>(in / 5));
        for (std::size_t i = 0; i < x.size(); ++i)
          x[i] = static_cast<float>(
              0.5 * std::sin(2 * std::numbers::pi * f * static_cast<double>(i) / in));
        const auto y = run(r, x);
        double err = 0;
        for (std::size_t j = static_cast<std::size_t>(out / 20); j < y.size(); ++j) {
          const double t = static_cast<double>(j) / out - d;
          err = std::max(err, std::fabs(y[j] - 0.5 * std::sin(2 * std::numbers::pi * f * t)));
        }
        // 1e-4 of 0.5 at 250 Hz is a timing error of 0.13 us
        EXPECT_LT(err, 1e-4);
      }
    }
  }
}

TEST(ResamplerLatency, StandardPresetDelaysNoMoreThanSpeexdspQuality8) {
  // speexdsp quality 8 delays by 80 frames of the lower rate (half of its 160-tap filter,
  // scaled by the ratio when downsampling): 10 ms at 8 kHz.
  for (int in : kRates) {
    for (int out : kRates) {
      SCOPED_TRACE(pair_name(in, out, Quality::standard));
      Resampler r = make(in, out);
      const double speex_q8 = in == out ? 0.0 : 80.0 / std::min(in, out);
      EXPECT_LE(r.latency_seconds(), speex_q8);
      std::printf("[ latency ] %5d -> %5d: %.3f ms (%.2f output frames); speexdsp q8 %.3f ms\n", in,
                  out, r.latency_seconds() * 1e3, r.latency_output_frames(), speex_q8 * 1e3);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sample accounting and chunking

TEST(ResamplerStream, OutputCountIsExactlyFloorOfInputTimesRatioWhateverTheChunking) {
  // The property a transcoder needs for exact RTP timestamps: after n input frames in total,
  // exactly floor(n * out / in) output frames, checked after every call of a randomly chunked
  // stream, and max_output_frames() predicts each call exactly.
  std::mt19937 rng(11);
  std::uniform_int_distribution<std::size_t> chunk(0, 700);
  for (int in : kRates) {
    for (int out : kRates) {
      SCOPED_TRACE(pair_name(in, out, Quality::standard));
      Resampler r = make(in, out);
      std::vector<float> x(700), y(700 * 6 + 1);
      std::uint64_t total_in = 0, total_out = 0;
      for (int call = 0; call < 400; ++call) {
        const std::size_t n = call < 20 ? static_cast<std::size_t>(call) : chunk(rng);
        const std::size_t predicted = r.max_output_frames(n);
        EXPECT_LE(predicted, n * out / in + 1);
        Result res{};
        ASSERT_EQ(r.process(std::span(x).first(n), y, &res), Status::ok);
        total_in += n;
        total_out += res.out_frames_written;
        EXPECT_EQ(res.out_frames_written, predicted);
        ASSERT_EQ(total_out, total_in * static_cast<std::uint64_t>(out) / in);
      }
    }
  }
}

TEST(ResamplerStream, TenMinutesIn20msChunksKeepsTheCountExact) {
  // 44.1 kHz frames of 20 ms are 882 frames -> 960 at 48 kHz; 8 kHz <-> 44.1 kHz is the pair
  // with the largest L and M (441 / 80). Counts stay exact over ten minutes of calls with
  // jittered sizes.
  struct Pair {
    int in, out;
  } pairs[] = {{44100, 48000}, {8000, 44100}, {44100, 8000}};
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> jitter(-3, 3);
  for (auto [in, out] : pairs) {
    SCOPED_TRACE(pair_name(in, out, Quality::fast));
    Resampler r = make(in, out, 1, Quality::fast);
    std::vector<float> x(static_cast<std::size_t>(in / 50 + 3), 0.1f);
    std::vector<float> y(x.size() * static_cast<std::size_t>(out) / static_cast<std::size_t>(in) +
                         1);
    std::uint64_t total_in = 0, total_out = 0;
    // Ten minutes (two under the sanitizers).
    for (int call = 0; call < ivrm_test::long_run(10 * 60 * 50, 2 * 60 * 50); ++call) {
      const auto n = static_cast<std::size_t>(in / 50 + jitter(rng));
      Result res{};
      ASSERT_EQ(r.process(std::span(x).first(n), y, &res), Status::ok);
      total_in += n;
      total_out += res.out_frames_written;
    }
    EXPECT_EQ(total_out, total_in * static_cast<std::uint64_t>(out) / in);
  }
}

std::vector<float> test_signal(std::size_t frames, int channels, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 0.2f);
  std::vector<float> x(frames * static_cast<std::size_t>(channels));
  for (std::size_t i = 0; i < frames; ++i) {
    for (int c = 0; c < channels; ++c) {
      // noise plus a sweep, different per channel
      const double ph = 0.000002 * (c + 1) * static_cast<double>(i * i);
      x[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)] =
          std::clamp(g(rng) + 0.4f * static_cast<float>(std::sin(ph)), -1.0f, 1.0f);
    }
  }
  return x;
}

TEST(ResamplerStream, ChunkingNeverChangesTheOutputBitIdentical) {
  // Frame-by-frame, prime-sized and random chunks give exactly the whole-buffer result, for
  // every pair, every SIMD level, float and int16.
  std::mt19937 rng(7);
  std::vector<std::size_t> random_chunks(64);
  for (auto& c : random_chunks)
    c = std::uniform_int_distribution<std::size_t>(0, 1200)(rng);
  for (SimdLevel level : ivrm_test::supported_simd_levels()) {
    for (int in : kRates) {
      for (int out : kRates) {
        SCOPED_TRACE(pair_name(in, out, Quality::standard) + " " + ivrmedia::simd_name(level));
        const auto x = test_signal(static_cast<std::size_t>(in / 4), 1, 1);
        Resampler r = make(in, out, 1, Quality::standard, level);
        const auto whole = run(r, x);
        r.reset();
        EXPECT_EQ(run_chunked(r, x, {1}), whole);
        r.reset();
        EXPECT_EQ(run_chunked(r, x, {7, 13, 1, 257, 3}), whole);
        r.reset();
        EXPECT_EQ(run_chunked(r, x, random_chunks), whole);

        std::vector<std::int16_t> s(x.size());
        for (std::size_t i = 0; i < x.size(); ++i)
          s[i] = ivrmedia::core::float_to_s16(x[i]);
        r.reset();
        const auto whole16 = run(r, s);
        r.reset();
        EXPECT_EQ(run_chunked(r, s, {1, 2, 3, 500}), whole16);
      }
    }
  }
}

TEST(ResamplerStream, ResetGivesTheSameOutputAsANewResampler) {
  const auto x = test_signal(3000, 2, 2);
  Resampler r = make(44100, 16000, 2);
  const auto first = run(r, x);
  (void)run(r, x);
  r.reset();
  EXPECT_EQ(run(r, x), first);
}

TEST(ResamplerStream, MovedResamplerKeepsItsStreamAndTheMovedFromOneReportsBadState) {
  const auto x = test_signal(2000, 1, 3);
  Resampler a = make(8000, 48000);
  Resampler ref = make(8000, 48000);
  (void)run(a, std::vector<float>(x.begin(), x.begin() + 1000));
  (void)run(ref, std::vector<float>(x.begin(), x.begin() + 1000));
  Resampler b = std::move(a);
  const std::vector<float> rest(x.begin() + 1000, x.end());
  EXPECT_EQ(run(b, rest), run(ref, rest));
  std::vector<float> y(100);
  Result res{1, 1};
  EXPECT_EQ(a.process(std::span(x).first(10), y, &res),
            Status::bad_state);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(res.in_frames_used, 0u);
  EXPECT_EQ(res.out_frames_written, 0u);
  a = make(16000, 8000);
  EXPECT_EQ(a.process(std::span(x).first(10), y, &res), Status::ok);
}

// ---------------------------------------------------------------------------------------------
// Channels and sample formats

TEST(ResamplerFormat, EachInterleavedChannelEqualsItsOwnMonoStream) {
  for (int channels = 1; channels <= 8; ++channels) {
    for (auto [in, out] : {std::pair{8000, 16000}, {48000, 8000}, {44100, 48000}, {32000, 44100}}) {
      SCOPED_TRACE(pair_name(in, out, Quality::standard) + " x" + std::to_string(channels));
      const auto C = static_cast<std::size_t>(channels);
      const auto x = test_signal(2000, channels, 4);
      Resampler r = make(in, out, channels);
      const auto y = run_chunked(r, x, {160, 1, 999});
      for (std::size_t c = 0; c < C; ++c) {
        std::vector<float> mono(x.size() / C);
        for (std::size_t i = 0; i < mono.size(); ++i)
          mono[i] = x[i * C + c];
        Resampler m = make(in, out, 1);
        const auto ym = run(m, mono);
        ASSERT_EQ(ym.size() * C, y.size());
        for (std::size_t i = 0; i < ym.size(); ++i)
          ASSERT_EQ(ym[i], y[i * C + c]) << "channel " << c << " frame " << i;
      }
    }
  }
}

TEST(ResamplerFormat, Int16IsTheFloatPathRoundedToNearestAndSaturated) {
  // int16 in = x / 32768 exactly; int16 out = the float result rounded to nearest, saturated. A
  // full-scale square wave overshoots (Gibbs) and must saturate, not wrap.
  for (int channels : {1, 3}) {
    for (auto [in, out] : {std::pair{8000, 16000}, {48000, 16000}, {16000, 44100}}) {
      SCOPED_TRACE(pair_name(in, out, Quality::standard) + " x" + std::to_string(channels));
      std::vector<std::int16_t> s(4000 * static_cast<std::size_t>(channels));
      for (std::size_t i = 0; i < s.size(); ++i) {
        const std::size_t frame = i / static_cast<std::size_t>(channels);
        s[i] = (frame / 40) % 2 ? std::int16_t{-32768} : std::int16_t{32767};
        if (i % static_cast<std::size_t>(channels) == 1)
          s[i] = static_cast<std::int16_t>(frame * 91);
      }
      std::vector<float> f(s.size());
      for (std::size_t i = 0; i < s.size(); ++i)
        f[i] = ivrmedia::core::s16_to_float(s[i]);
      Resampler r16 = make(in, out, channels), rf = make(in, out, channels);
      const auto y16 = run_chunked(r16, s, {160, 77});
      const auto yf = run(rf, f);
      ASSERT_EQ(y16.size(), yf.size());
      bool saturated = false;
      for (std::size_t i = 0; i < yf.size(); ++i) {
        ASSERT_EQ(y16[i], ivrmedia::core::float_to_s16(yf[i])) << i;
        saturated |= yf[i] * 32768.0f > 32767.0f;
      }
      EXPECT_TRUE(saturated);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// SIMD levels

TEST(ResamplerSimd, EveryLevelMatchesTheScalarReferenceWithinTheStatedTolerance) {
  // Documented in resampler.hpp: within 2e-6 of full scale for float input within +-1, and at
  // most one step for int16; for every pair and preset.
  const auto levels = ivrm_test::supported_simd_levels();
  for (Quality q : kQualities) {
    for (int in : kRates) {
      for (int out : kRates) {
        SCOPED_TRACE(pair_name(in, out, q));
        const auto x = test_signal(static_cast<std::size_t>(in / 5), 2, 9);
        Resampler ref = make(in, out, 2, q, SimdLevel::scalar);
        const auto yr = run(ref, x);
        for (SimdLevel level : levels) {
          Resampler r = make(in, out, 2, q, level);
          EXPECT_EQ(r.simd_level(), level);
          const auto y = run(r, x);
          ASSERT_EQ(y.size(), yr.size());
          double worst = 0;
          for (std::size_t i = 0; i < y.size(); ++i)
            worst = std::max(worst, static_cast<double>(std::fabs(y[i] - yr[i])));
          EXPECT_LE(worst, 2e-6) << ivrmedia::simd_name(level);

          std::vector<std::int16_t> s(x.size());
          for (std::size_t i = 0; i < x.size(); ++i)
            s[i] = ivrmedia::core::float_to_s16(x[i]);
          ref.reset(), r.reset();
          const auto zr = run(ref, s), z = run(r, s);
          int steps = 0;
          for (std::size_t i = 0; i < z.size(); ++i)
            steps = std::max(steps, std::abs(z[i] - zr[i]));
          EXPECT_LE(steps, 1) << ivrmedia::simd_name(level);
        }
      }
    }
  }
  Resampler a = make(8000, 16000);
  EXPECT_EQ(a.simd_level(), ivrmedia::best_simd_level());
}

// ---------------------------------------------------------------------------------------------
// Real time and errors

TEST(ResamplerRealTime, ProcessAndResetNeverAllocate) {
  for (int in : kRates) {
    for (int out : kRates) {
      SCOPED_TRACE(pair_name(in, out, Quality::standard));
      Resampler r = make(in, out, 2);
      const auto x = test_signal(5000, 2, 5);
      std::vector<std::int16_t> s(x.size());
      std::vector<float> y(r.max_output_frames(5000) * 2 + 64);
      std::vector<std::int16_t> y16(y.size());
      Result res{};
      ivrm_test::AllocationScope scope;
      for (std::size_t n : {std::size_t{1}, std::size_t{160}, std::size_t{5000}}) {
        ASSERT_EQ(r.process(std::span(x).first(2 * n), y, &res), Status::ok);
        ASSERT_EQ(r.process(std::span<const std::int16_t>(s).first(2 * n), y16, &res), Status::ok);
      }
      r.reset();
      EXPECT_EQ(r.process(std::span(x).first(3), y, &res), Status::invalid_argument);
      EXPECT_EQ(scope.count(), 0);
    }
  }
}

TEST(ResamplerErrors, ConfigsOutsideTheSupportedSetThrowAtCreation) {
  auto status_of = [](Resampler::Config c) {
    try {
      Resampler r(c);
      return Status::ok;
    } catch (const ivrmedia::Error& e) {
      return e.status();
    }
  };
  EXPECT_EQ(status_of({8000, 16000, 1}), Status::ok);
  EXPECT_EQ(status_of({11025, 16000, 1}), Status::bad_config);
  EXPECT_EQ(status_of({8000, 96000, 1}), Status::bad_config);
  EXPECT_EQ(status_of({0, 8000, 1}), Status::bad_config);
  EXPECT_EQ(status_of({8000, -8000, 1}), Status::bad_config);
  EXPECT_EQ(status_of({8000, 16000, 0}), Status::bad_config);
  EXPECT_EQ(status_of({8000, 16000, 9}), Status::bad_config);
  EXPECT_EQ(status_of({8000, 16000, 1, static_cast<Quality>(3)}), Status::bad_config);
  if (!ivrmedia::simd_supported(SimdLevel::avx2)) {
    EXPECT_EQ(status_of({8000, 16000, 1, Quality::standard, SimdLevel::avx2}), Status::unsupported);
  }
  for (int hz : kRates)
    EXPECT_TRUE(Resampler::rate_supported(hz));
  EXPECT_FALSE(Resampler::rate_supported(22050));
}

TEST(ResamplerErrors, BadCallsReturnAStatusAndConsumeNothing) {
  const auto x = test_signal(960, 2, 6);
  Resampler r = make(48000, 8000, 2);
  Resampler fresh = make(48000, 8000, 2);
  std::vector<float> y(320);
  Result res{5, 5};
  // odd sample count for two channels
  EXPECT_EQ(r.process(std::span(x).first(7), y, &res), Status::invalid_argument);
  EXPECT_EQ(res.in_frames_used, 0u);
  EXPECT_EQ(res.out_frames_written, 0u);
  // 960 frames give 160; 159 frames of room are not enough (one float short also fails)
  ASSERT_EQ(r.max_output_frames(960), 160u);
  EXPECT_EQ(r.process(x, std::span(y).first(2 * 159), &res), Status::buffer_too_small);
  EXPECT_EQ(r.process(x, std::span(y).first(2 * 160 - 1), &res), Status::buffer_too_small);
  EXPECT_EQ(res.out_frames_written, 0u);
  EXPECT_EQ(r.process(x, {}, nullptr), Status::buffer_too_small);
  // nothing was consumed: the stream continues as a fresh one
  EXPECT_EQ(run(r, x), run(fresh, x));
  // empty input is fine, and a null result is allowed
  EXPECT_EQ(r.process(std::span<const float>{}, std::span<float>{}, nullptr), Status::ok);
  EXPECT_EQ(r.max_output_frames(0), 0u);
  // absurd sizes saturate instead of wrapping
  EXPECT_EQ(make(8000, 48000).max_output_frames(SIZE_MAX), SIZE_MAX);
  EXPECT_EQ(r.max_output_frames(SIZE_MAX), SIZE_MAX / 6);
}

TEST(ResamplerDesign, ResamplersOfOnePairShareOneDesign) {
  // The process-wide cache: the second Resampler of a (rates, quality) reuses the first's
  // tables (same object), another quality gets its own.
  namespace d = ivrmedia::resample::detail;
  const auto a = d::design(44100, 48000, Quality::standard);
  const auto b = d::design(44100, 48000, Quality::standard);
  const auto c = d::design(44100, 48000, Quality::high);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_NE(a.get(), c.get());
  const long before = a.use_count();
  std::vector<Resampler> many;
  for (int i = 0; i < 1000; ++i)
    many.push_back(make(44100, 48000));
  EXPECT_EQ(a.use_count(), before + 1000);
}

}  // namespace
