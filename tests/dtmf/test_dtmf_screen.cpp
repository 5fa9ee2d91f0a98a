// The BatchDetector's screen (lib/dtmf/screen.hpp): its estimates stay within the stated radius
// of the Detector's exact correlations (the premise of every miss it proves), on signals that
// push the Goertzel recursion hardest, at every rate class and SIMD level; staging and the
// decision agree bit for bit between levels.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numbers>
#include <random>
#include <vector>

#include "dtmf/correlate.hpp"
#include "dtmf/screen.hpp"
#include "ivrmedia/dtmf.hpp"
#include "sim/speech_like.hpp"
#include "support/simd_levels.hpp"

namespace {

namespace dtmf = ivrmedia::dtmf;
using namespace ivrmedia::dtmf::detail;
using ivrmedia::SimdLevel;

int half_len(int rate) {
  return static_cast<int>(std::lround(51.0 * rate / 8000.0));
}

// Eight lanes of test signal for one half: lane l of kind (kind + l) % kKinds.
constexpr int kKinds = 9;
std::vector<float> lane_signal(int kind, int n, int rate, std::mt19937& rng) {
  std::vector<float> x(static_cast<std::size_t>(n));
  std::uniform_real_distribution<double> u(0.0, 1.0);
  // Full-scale tones at and near (+-3 %) the DTMF frequencies drive the Goertzel states to their
  // largest values; white noise covers the rest.
  const double f_tone = kind < 8
                            ? (kind < 4 ? dtmf::kRowHz[static_cast<std::size_t>(kind)]
                                        : dtmf::kColumnHz[static_cast<std::size_t>(kind - 4)]) *
                                  (1 + 0.06 * (u(rng) - 0.5))
                            : 0.0;
  const double phase = 2 * std::numbers::pi * u(rng);
  const double level = u(rng) < 0.5 ? 0.999 : 1e-3;
  for (int i = 0; i < n; ++i) {
    const double v =
        kind < 8 ? std::sin(2 * std::numbers::pi * f_tone * i / rate + phase) : 2 * u(rng) - 1;
    x[static_cast<std::size_t>(i)] = static_cast<float>(level * v);
  }
  return x;
}

void exact(SimdLevel level, const std::vector<float>& x, int rate, float* out) {
  const int half = half_len(rate);
  const int padded = (half + 7) / 8 * 8;
  std::vector<float> table(static_cast<std::size_t>(kRows * padded));
  build_table(table.data(), half, padded, rate);
  correlate_kernel(level)(x.data(), half, table.data(), padded, out);
}

TEST(DtmfScreen, EstimatesStayWithinTheRadiusOfTheExactKernel) {
  std::mt19937 rng(11);
  for (int rate : {8000, 11025, 16000, 32000, 44100, 48000, 96000}) {
    SCOPED_TRACE(rate);
    const int n = half_len(rate);
    ScreenCoefs coefs;
    screen_setup(n, rate, coefs);
    const float radius = screen_radius_per_norm(n, rate);
    double worst = 0;  // largest error seen, as a fraction of the radius
    for (int trial = 0; trial < 40; ++trial) {
      std::vector<std::vector<float>> lanes;
      for (int l = 0; l < kLanes; ++l) {
        const int kind = (trial + l) % kKinds;
        if (trial % 5 == 4) {
          lanes.push_back(
              ivrmedia::sim::speech_like(static_cast<std::size_t>(n),
                                         {rate, -10.0, static_cast<std::uint64_t>(trial * 8 + l)}));
        } else {
          lanes.push_back(lane_signal(kind, n, rate, rng));
        }
      }
      const float* src[kLanes];
      for (int l = 0; l < kLanes; ++l)
        src[l] = lanes[static_cast<std::size_t>(l)].data();
      std::vector<float> rows(static_cast<std::size_t>(n) * kLanes);
      stage_float_scalar(src, n, rows.data());
      for (auto screen_level : ivrm_test::supported_simd_levels()) {
        ScreenHalf est;
        screen_kernels(screen_level).screen(rows.data(), n, coefs, est);
#if defined(IVRM_HAVE_AVX2)
        // The AVX2 level's two forms (two passes on 16 registers, one pass on AVX-512VL's 32)
        // run the same operations per tone: the same bits.
        if (screen_level == SimdLevel::avx2 && cpu_has_evex256()) {
          ScreenHalf narrow, wide;
          screen_avx2(rows.data(), n, coefs, narrow);
          screen_avx2_evex(rows.data(), n, coefs, wide);
          ASSERT_EQ(std::memcmp(&narrow, &wide, sizeof narrow), 0) << "trial " << trial;
        }
#endif
        for (auto kernel_level : ivrm_test::supported_simd_levels()) {
          for (int l = 0; l < kLanes; ++l) {
            float c[kRows + 1];
            exact(kernel_level, lanes[static_cast<std::size_t>(l)], rate, c);
            const double energy = c[kRows];
            EXPECT_NEAR(est.energy[l], energy, energy * kScreenSlack / 10 + 1e-30);
            const double allowed = radius * std::sqrt(n * energy * (1 + kScreenSlack));
            for (int t = 0; t < kScreenTones; ++t) {
              const double err = std::hypot(double(est.re[t][l]) - c[t],
                                            double(est.im[t][l]) - c[kScreenTones + t]);
              ASSERT_LE(err, allowed) << "lane " << l << " tone " << t;
              if (allowed > 0) worst = std::max(worst, err / allowed);
              // The moved estimate against the exact correlation times e^{-jwM}.
              const double hz = t < 4 ? dtmf::kRowHz[static_cast<std::size_t>(t)]
                                      : dtmf::kColumnHz[static_cast<std::size_t>(t - 4)];
              const double wm = 2 * std::numbers::pi * hz / rate * n;
              const double mre = std::cos(wm) * c[t] + std::sin(wm) * c[kScreenTones + t];
              const double mim = std::cos(wm) * c[kScreenTones + t] - std::sin(wm) * c[t];
              const double err2 =
                  std::hypot(double(est.second_re[t][l]) - mre, double(est.second_im[t][l]) - mim);
              ASSERT_LE(err2, allowed) << "moved, lane " << l << " tone " << t;
              if (allowed > 0) worst = std::max(worst, err2 / allowed);
            }
          }
        }
      }
    }
    // The radius is a worst-case bound, not a fit: the errors seen stay far inside it (under
    // 0.3 % of it when this test was written).
    EXPECT_LT(worst, 0.5);
  }
}

TEST(DtmfScreen, StagingIsTheSameAtEveryLevel) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> s16(-32768, 32767);
  for (int n : {0, 1, 7, 8, 9, 51, 102, 612}) {
    std::vector<std::vector<float>> f(kLanes, std::vector<float>(static_cast<std::size_t>(n)));
    std::vector<std::vector<std::int16_t>> s(
        kLanes, std::vector<std::int16_t>(static_cast<std::size_t>(n)));
    const float* fp[kLanes];
    const std::int16_t* sp[kLanes];
    for (int l = 0; l < kLanes; ++l) {
      for (int i = 0; i < n; ++i) {
        s[l][static_cast<std::size_t>(i)] = static_cast<std::int16_t>(s16(rng));
        f[l][static_cast<std::size_t>(i)] = static_cast<float>(s16(rng)) / 32768.0f;
      }
      fp[l] = f[l].data();
      sp[l] = s[l].data();
    }
    std::vector<float> ref_f(static_cast<std::size_t>(n) * kLanes), ref_s(ref_f.size());
    stage_float_scalar(fp, n, ref_f.data());
    stage_s16_scalar(sp, n, ref_s.data());
    for (int i = 0; i < n; ++i) {
      for (int l = 0; l < kLanes; ++l) {
        ASSERT_EQ(ref_f[static_cast<std::size_t>(i * kLanes + l)],
                  f[l][static_cast<std::size_t>(i)]);
        ASSERT_EQ(ref_s[static_cast<std::size_t>(i * kLanes + l)],
                  s[l][static_cast<std::size_t>(i)] * (1.0f / 32768.0f));
      }
    }
    for (auto level : ivrm_test::supported_simd_levels()) {
      std::vector<float> got_f(ref_f.size()), got_s(ref_f.size());
      screen_kernels(level).stage_float(fp, n, got_f.data());
      screen_kernels(level).stage_s16(sp, n, got_s.data());
      EXPECT_EQ(got_f, ref_f) << n;
      EXPECT_EQ(got_s, ref_s) << n;
    }
  }
}

TEST(DtmfScreen, DecisionIsTheSameAtEveryLevel) {
  // Random estimates across many magnitudes (including zeros, huge and NaN energies) against
  // the Detector's default limits at 8 kHz.
  ScreenLimits lim{};
  const double m = 51;
  float half_re[kScreenTones], half_im[kScreenTones];  // e^{-jwM}
  for (int t = 0; t < kScreenTones; ++t) {
    const double hz = t < 4 ? dtmf::kRowHz[static_cast<std::size_t>(t)]
                            : dtmf::kColumnHz[static_cast<std::size_t>(t - 4)];
    const double w = 2 * std::numbers::pi * hz / 8000;
    half_re[t] = static_cast<float>(std::cos(w * m));
    half_im[t] = static_cast<float>(-std::sin(w * m));
  }
  lim.min_power_bound = 0.3f;
  lim.tones_bound_scale = 0.0201f;
  lim.residual_ratio = 0.158f;
  lim.radius_per_norm = screen_radius_per_norm(51, 8000);
  lim.half_len = 51;
  double omega[kScreenTones];
  for (int t = 0; t < kScreenTones; ++t) {
    const double hz = t < 4 ? dtmf::kRowHz[static_cast<std::size_t>(t)]
                            : dtmf::kColumnHz[static_cast<std::size_t>(t - 4)];
    omega[t] = 2 * std::numbers::pi * hz / 8000;
  }
  screen_phase_limits(51, omega, 2.5, lim);
  int phase_proven = 0;
  std::mt19937 rng(9);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::uniform_int_distribution<int> e(-12, 4);
  int proven = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    ScreenHalf h[2];
    for (int l = 0; l < kLanes; ++l) {
      const float scale = std::pow(10.0f, static_cast<float>(e(rng)) / 2);
      for (auto& x : h) {
        for (int t = 0; t < kScreenTones; ++t) {
          x.re[t][l] = u(rng) * scale;
          x.im[t][l] = u(rng) * scale;
        }
        x.energy[l] = std::abs(u(rng)) * scale * scale * 2;
      }
      if (l % 2 == 0) {
        // A tone pair continuing through both halves, its energy near what the tones explain:
        // these lanes sit near the purity and level bounds.
        const int row = trial % 4, col = 4 + (trial / 4) % 4;
        float tones = 0;
        for (int t : {row, col}) {
          const float re = 20 * scale * u(rng), im = 20 * scale * u(rng);
          h[0].re[t][l] = re;
          h[0].im[t][l] = im;
          // b = a e^{+jwM}, so that e^{-jwM} b = a: the same tone, continuing
          h[1].re[t][l] = half_re[t] * re + half_im[t] * im;
          h[1].im[t][l] = half_re[t] * im - half_im[t] * re;
          tones += re * re + im * im;
        }
        const float e_half = 2 * tones / static_cast<float>(m) * (0.9f + 0.4f * std::abs(u(rng)));
        h[0].energy[l] = e_half;
        h[1].energy[l] = e_half * (0.9f + 0.2f * std::abs(u(rng)));
      }
    }
    for (auto& x : h) {  // the moved estimates, as the screen gives them
      for (int t = 0; t < kScreenTones; ++t) {
        for (int l = 0; l < kLanes; ++l) {
          x.second_re[t][l] = half_re[t] * x.re[t][l] - half_im[t] * x.im[t][l];
          x.second_im[t][l] = half_re[t] * x.im[t][l] + half_im[t] * x.re[t][l];
        }
      }
    }
    if (trial % 97 == 0) h[0].energy[trial % 8] = 0;
    if (trial % 89 == 0) h[1].energy[trial % 8] = std::nanf("");
    if (trial % 83 == 0) h[0].energy[trial % 8] = 1e25f;
    const unsigned ref = screen_proven_misses_scalar(h[0], h[1], lim);
    proven += std::popcount(ref);
    const unsigned phase_ref = screen_phase_misses_scalar(h[0], h[1], lim);
    phase_proven += std::popcount(phase_ref);
    for (auto level : ivrm_test::supported_simd_levels()) {
      ASSERT_EQ(screen_kernels(level).proven_misses(h[0], h[1], lim), ref) << trial;
      ASSERT_EQ(screen_kernels(level).phase_misses(h[0], h[1], lim), phase_ref) << trial;
    }
    if (trial % 89 == 0 || trial % 83 == 0) {
      EXPECT_EQ(phase_ref >> (trial % 8) & 1u, 0u);  // NaN or huge: never proven
    }
    if (trial % 89 == 0) {
      EXPECT_EQ(ref >> (trial % 8) & 1u, 0u);  // NaN never proves a miss
    }
    if (trial % 83 == 0) {
      EXPECT_EQ(ref >> (trial % 8) & 1u, 0u);  // nor a huge energy
    }
  }
  EXPECT_GT(proven, 20000);  // the random estimates exercise both outcomes
  EXPECT_LT(proven, 20000 * 8 - 20000);
  EXPECT_GT(phase_proven, 10000);
  EXPECT_LT(phase_proven, 20000 * 8 - 10000);
}

}  // namespace
