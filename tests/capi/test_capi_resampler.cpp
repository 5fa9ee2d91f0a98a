// C API invariants of the resampler handle (ivrm_resampler): config defaults equal to the C++
// ones, growable config, NULLs and sizes on every call, rates and channels refused at creation,
// exact sample accounting (floor(n * out / in) whatever the chunking, all or nothing per call),
// results identical to the C++ API, reset, SIMD levels within the header's tolerance, and no
// allocation in processing calls. Output values are the C++ resampler's business
// (tests/codec/test_resampler.cpp); here they are only compared with it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "ivrmedia/ivrmedia.h"
#include "ivrmedia/resampler.hpp"
#include "sim/speech_like.hpp"
#include "support/alloc_counter.hpp"

namespace {

namespace resample = ivrmedia::resample;
using ivrmedia::Status;

constexpr int kRates[] = {8000, 16000, 32000, 44100, 48000};

ivrm_resampler_config config(int32_t in, int32_t out, int32_t channels = 1,
                             int32_t quality = IVRM_RESAMPLE_STANDARD) {
  ivrm_resampler_config c;
  EXPECT_EQ(ivrm_resampler_config_init(&c), IVRM_OK);
  c.input_rate_hz = in;
  c.output_rate_hz = out;
  c.channels = channels;
  c.quality = quality;
  return c;
}

// Owning wrapper so a failed assertion does not leak a handle.
struct Resampler {
  explicit Resampler(const ivrm_resampler_config& c) { status = ivrm_resampler_create(&c, &h); }
  ~Resampler() { ivrm_resampler_destroy(h); }
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;
  [[nodiscard]] size_t max_out(size_t in_frames) const {
    size_t n = 0;
    EXPECT_EQ(ivrm_resampler_max_output_frames(h, in_frames, &n), IVRM_OK);
    return n;
  }
  ivrm_resampler* h = nullptr;
  ivrm_status status;
};

ivrm_status create_status(const ivrm_resampler_config& c) {
  ivrm_resampler* h = reinterpret_cast<ivrm_resampler*>(0x1);
  const ivrm_status s = ivrm_resampler_create(&c, &h);
  if (s != IVRM_OK) {
    EXPECT_EQ(h, nullptr);
  }
  ivrm_resampler_destroy(h);
  return s;
}

template <typename T>
ivrm_status c_process(ivrm_resampler* h, const T* in, size_t in_frames, T* out, size_t capacity,
                      size_t* used, size_t* written) {
  if constexpr (std::is_same_v<T, float>) {
    return ivrm_resampler_process_float(h, in, in_frames, out, capacity, used, written);
  } else {
    return ivrm_resampler_process(h, in, in_frames, out, capacity, used, written);
  }
}

// floor(n * out / in) without overflow for the counts used here.
size_t floor_rule(size_t n, int in, int out) {
  return static_cast<size_t>(static_cast<uint64_t>(n) * static_cast<uint64_t>(out) /
                             static_cast<uint64_t>(in));
}

TEST(CApiResampler, ConfigInitFillsTheCxxDefaults) {
  EXPECT_EQ(ivrm_resampler_config_init_sized(nullptr, sizeof(ivrm_resampler_config)),
            IVRM_ERR_NULL);
  ivrm_resampler_config c;
  std::memset(&c, 0xAB, sizeof c);
  ASSERT_EQ(ivrm_resampler_config_init(&c), IVRM_OK);
  const resample::Resampler::Config d;
  EXPECT_EQ(c.struct_size, sizeof(ivrm_resampler_config));
  EXPECT_EQ(c.input_rate_hz, 8000);
  EXPECT_EQ(c.input_rate_hz, d.input_rate_hz);
  EXPECT_EQ(c.output_rate_hz, 16000);
  EXPECT_EQ(c.output_rate_hz, d.output_rate_hz);
  EXPECT_EQ(c.channels, 1);
  EXPECT_EQ(c.quality, IVRM_RESAMPLE_STANDARD);
  EXPECT_EQ(c.quality, static_cast<int32_t>(d.quality));
  EXPECT_EQ(c.simd, IVRM_SIMD_AUTO);
  // The defaults create a resampler.
  EXPECT_EQ(create_status(c), IVRM_OK);
}

TEST(CApiResampler, CreateRejectsNullsAndClearsOut) {
  const ivrm_resampler_config c = config(8000, 16000);
  ivrm_resampler* h = reinterpret_cast<ivrm_resampler*>(0x1);
  EXPECT_EQ(ivrm_resampler_create(nullptr, &h), IVRM_ERR_NULL);
  EXPECT_EQ(h, nullptr);
  EXPECT_EQ(ivrm_resampler_create(&c, nullptr), IVRM_ERR_NULL);
  ivrm_resampler_destroy(nullptr);  // accepted
}

// A config struct as a newer header might declare it: one field appended.
struct ResamplerConfigV2 {
  ivrm_resampler_config v1;
  int32_t future_field;
};

TEST(CApiResampler, GrowableConfigSizes) {
  ivrm_resampler_config c = config(8000, 48000);
  for (uint32_t size : {0u, 4u, static_cast<uint32_t>(sizeof(ivrm_resampler_config) - 1)}) {
    c.struct_size = size;
    EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG) << size;
  }
  // Newer host, new field left at its default (zero): accepted; asking for it: refused.
  ResamplerConfigV2 c2{};
  ASSERT_EQ(ivrm_resampler_config_init(&c2.v1), IVRM_OK);
  c2.v1.struct_size = sizeof c2;
  c2.v1.output_rate_hz = 44100;
  {
    Resampler r(c2.v1);
    ASSERT_EQ(r.status, IVRM_OK);
    EXPECT_EQ(r.max_out(8000), 44100u);  // the field inside v1 was read
  }
  c2.future_field = 1;
  EXPECT_EQ(create_status(c2.v1), IVRM_ERR_UNSUPPORTED);
}

TEST(CApiResampler, RatesChannelsAndEnumsAreCheckedAtCreation) {
  for (int in : kRates) {
    EXPECT_EQ(ivrm_resampler_rate_supported(in), 1) << in;
    for (int out : kRates) {
      EXPECT_EQ(create_status(config(in, out)), IVRM_OK) << in << " -> " << out;
    }
  }
  for (int hz : {0, -8000, 1, 7999, 11025, 12000, 22050, 24000, 96000, 192000}) {
    EXPECT_EQ(ivrm_resampler_rate_supported(hz), 0) << hz;
    EXPECT_EQ(create_status(config(hz, 8000)), IVRM_ERR_CONFIG) << hz;
    EXPECT_EQ(create_status(config(8000, hz)), IVRM_ERR_CONFIG) << hz;
  }
  for (int32_t channels : {0, -1, 9, 64}) {
    EXPECT_EQ(create_status(config(8000, 16000, channels)), IVRM_ERR_CONFIG) << channels;
  }
  for (int32_t channels = 1; channels <= 8; ++channels) {
    EXPECT_EQ(create_status(config(44100, 48000, channels)), IVRM_OK) << channels;
  }
  for (int32_t quality : {IVRM_RESAMPLE_FAST, IVRM_RESAMPLE_STANDARD, IVRM_RESAMPLE_HIGH}) {
    EXPECT_EQ(create_status(config(16000, 8000, 1, quality)), IVRM_OK) << quality;
  }
  EXPECT_EQ(create_status(config(16000, 8000, 1, -1)), IVRM_ERR_INVALID);
  EXPECT_EQ(create_status(config(16000, 8000, 1, 3)), IVRM_ERR_INVALID);
  ivrm_resampler_config c = config(16000, 8000);
  c.simd = 7;
  EXPECT_EQ(create_status(c), IVRM_ERR_INVALID);
  c.simd = IVRM_SIMD_SCALAR;
  EXPECT_EQ(create_status(c), IVRM_OK);
  c.simd = IVRM_SIMD_AVX2;
  EXPECT_EQ(create_status(c), ivrm_simd_supported(IVRM_SIMD_AVX2) ? IVRM_OK : IVRM_ERR_UNSUPPORTED);
}

TEST(CApiResampler, ProcessingRejectsNullsAndWrongSizes) {
  Resampler r(config(8000, 48000, 2));
  ASSERT_EQ(r.status, IVRM_OK);
  int16_t in[2 * 160] = {};
  float inf[2 * 160] = {};
  std::vector<int16_t> out(2 * 6 * 160);
  std::vector<float> outf(out.size());
  size_t used = 7, written = 7;
  EXPECT_EQ(ivrm_resampler_process(nullptr, in, 160, out.data(), 960, &used, &written),
            IVRM_ERR_NULL);
  EXPECT_EQ(used, 0u);
  EXPECT_EQ(written, 0u);
  EXPECT_EQ(ivrm_resampler_process(r.h, nullptr, 160, out.data(), 960, &used, &written),
            IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_resampler_process(r.h, in, 160, nullptr, 960, &used, &written), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_resampler_process(r.h, in, 160, out.data(), 960, nullptr, &written),
            IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_resampler_process(r.h, in, 160, out.data(), 960, &used, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_resampler_process_float(nullptr, inf, 160, outf.data(), 960, &used, &written),
            IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_resampler_process_float(r.h, nullptr, 160, outf.data(), 960, &used, &written),
            IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_resampler_process_float(r.h, inf, 160, nullptr, 960, &used, &written),
            IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_resampler_process_float(r.h, inf, 160, outf.data(), 960, nullptr, &written),
            IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_resampler_process_float(r.h, inf, 160, outf.data(), 960, &used, nullptr),
            IVRM_ERR_NULL);
  // Nothing has been consumed by any of that.
  EXPECT_EQ(r.max_out(1), 6u);

  // Zero frames: accepted with any pointers, nothing written.
  used = written = 7;
  EXPECT_EQ(ivrm_resampler_process(r.h, nullptr, 0, nullptr, 0, &used, &written), IVRM_OK);
  EXPECT_EQ(used, 0u);
  EXPECT_EQ(written, 0u);
  EXPECT_EQ(ivrm_resampler_process_float(r.h, nullptr, 0, nullptr, 0, &used, &written), IVRM_OK);

  // All or nothing: one frame short of max_output_frames refuses the whole call.
  const size_t need = r.max_out(160);
  ASSERT_EQ(need, 960u);
  used = written = 7;
  EXPECT_EQ(ivrm_resampler_process(r.h, in, 160, out.data(), need - 1, &used, &written),
            IVRM_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(used, 0u);
  EXPECT_EQ(written, 0u);
  EXPECT_EQ(ivrm_resampler_process_float(r.h, inf, 160, nullptr, 0, &used, &written),
            IVRM_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(r.max_out(160), need);  // still nothing consumed
  ASSERT_EQ(ivrm_resampler_process(r.h, in, 160, out.data(), need, &used, &written), IVRM_OK);
  EXPECT_EQ(used, 160u);
  EXPECT_EQ(written, need);
  // Any capacity beyond what is written is fine, even one whose sample count would overflow.
  ASSERT_EQ(ivrm_resampler_process_float(r.h, inf, 160, outf.data(), SIZE_MAX, &used, &written),
            IVRM_OK);
  EXPECT_EQ(written, 960u);
  // Absurd frame counts are refused before any arithmetic on them.
  EXPECT_EQ(ivrm_resampler_process(r.h, in, SIZE_MAX, out.data(), 960, &used, &written),
            IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_resampler_process_float(r.h, inf, (size_t{1} << 32) + 1, outf.data(), 960, &used,
                                         &written),
            IVRM_ERR_RANGE);

  size_t n = 7;
  EXPECT_EQ(ivrm_resampler_max_output_frames(nullptr, 160, &n), IVRM_ERR_NULL);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(ivrm_resampler_max_output_frames(r.h, 160, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_resampler_max_output_frames(r.h, SIZE_MAX, &n), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_resampler_max_output_frames(r.h, size_t{1} << 32, &n), IVRM_OK);
  EXPECT_EQ(n, size_t{6} << 32);
  double seconds = 1, frames = 1;
  EXPECT_EQ(ivrm_resampler_latency(nullptr, &seconds, &frames), IVRM_ERR_NULL);
  EXPECT_EQ(seconds, 0.0);
  EXPECT_EQ(frames, 0.0);
  EXPECT_EQ(ivrm_resampler_latency(r.h, nullptr, nullptr), IVRM_OK);
  EXPECT_EQ(ivrm_resampler_reset(nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_resampler_reset(r.h), IVRM_OK);
}

// Feeds `x` (interleaved) through the C handle and a C++ Resampler of the same config in the
// same random chunks; every call must agree exactly (counts and samples), and the running total
// must follow floor(n * out / in) after every call.
template <typename T>
void expect_same_as_cxx(int in_rate, int out_rate, int channels, int32_t quality,
                        std::mt19937& rng) {
  SCOPED_TRACE(std::to_string(in_rate) + " -> " + std::to_string(out_rate) + " x" +
               std::to_string(channels) + " q" + std::to_string(quality) +
               (std::is_same_v<T, float> ? " float" : " int16"));
  Resampler c(config(in_rate, out_rate, channels, quality));
  ASSERT_EQ(c.status, IVRM_OK);
  resample::Resampler cxx({.input_rate_hz = in_rate,
                           .output_rate_hz = out_rate,
                           .channels = channels,
                           .quality = static_cast<resample::Quality>(quality)});
  double seconds = 0, frames = 0;
  ASSERT_EQ(ivrm_resampler_latency(c.h, &seconds, &frames), IVRM_OK);
  EXPECT_EQ(seconds, cxx.latency_seconds());
  EXPECT_EQ(frames, cxx.latency_output_frames());

  const size_t total_frames = static_cast<size_t>(in_rate) / 4 + 13;  // 250 ms and a bit
  std::vector<T> x(total_frames * static_cast<size_t>(channels));
  if constexpr (std::is_same_v<T, float>) {
    x = ivrmedia::sim::speech_like(x.size(), {.sample_rate_hz = in_rate});
  } else {
    x = ivrmedia::sim::speech_like_s16(x.size(), {.sample_rate_hz = in_rate});
  }
  std::vector<T> y(7 * 1000 * static_cast<size_t>(channels)), yref(y.size());
  size_t consumed = 0, produced = 0;
  while (consumed < total_frames) {
    // Chunks from 0 to 999 frames: odd sizes, empty calls, packet-sized ones.
    const size_t n = std::min<size_t>(rng() % 1000, total_frames - consumed);
    const size_t expect = c.max_out(n);
    ASSERT_EQ(expect, cxx.max_output_frames(n));
    ASSERT_LE(expect, floor_rule(n, in_rate, out_rate) + 1);
    size_t used = 0, written = 0;
    const T* in = x.data() + consumed * static_cast<size_t>(channels);
    ASSERT_EQ(c_process(c.h, in, n, y.data(), expect, &used, &written), IVRM_OK);
    resample::Result r{};
    ASSERT_EQ(cxx.process(std::span(in, n * static_cast<size_t>(channels)),
                          std::span(yref.data(), expect * static_cast<size_t>(channels)), &r),
              Status::ok);
    ASSERT_EQ(used, n);
    ASSERT_EQ(used, r.in_frames_used);
    ASSERT_EQ(written, expect);
    ASSERT_EQ(written, r.out_frames_written);
    ASSERT_TRUE(std::equal(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(written * channels),
                           yref.begin()))
        << "at input frame " << consumed;
    consumed += n;
    produced += written;
    ASSERT_EQ(produced, floor_rule(consumed, in_rate, out_rate)) << "after " << consumed;
  }
}

TEST(CApiResampler, AccountingIsTheFloorRuleAndTheCxxResults) {
  const unsigned seed = 20261129;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  for (int in : kRates) {
    for (int out : kRates) {
      expect_same_as_cxx<float>(in, out, 1, IVRM_RESAMPLE_STANDARD, rng);
      expect_same_as_cxx<int16_t>(in, out, 1, IVRM_RESAMPLE_STANDARD, rng);
    }
  }
  for (int32_t q : {IVRM_RESAMPLE_FAST, IVRM_RESAMPLE_HIGH}) {
    expect_same_as_cxx<float>(44100, 8000, 2, q, rng);
    expect_same_as_cxx<int16_t>(8000, 48000, 2, q, rng);
  }
  expect_same_as_cxx<float>(48000, 16000, 8, IVRM_RESAMPLE_STANDARD, rng);
  expect_same_as_cxx<int16_t>(16000, 44100, 3, IVRM_RESAMPLE_STANDARD, rng);
}

// 44.1 kHz -> 48 kHz is 147/160: frame counts per call vary so that the total stays exact.
TEST(CApiResampler, PacketSizedCallsNeverDrift) {
  Resampler r(config(44100, 8000));
  ASSERT_EQ(r.status, IVRM_OK);
  std::vector<float> in(441, 0.0f), out(82);
  size_t consumed = 0, produced = 0, lo = SIZE_MAX, hi = 0;
  for (int k = 0; k < 1000; ++k) {  // 10 s of 10 ms calls
    size_t used = 0, written = 0;
    ASSERT_EQ(
        ivrm_resampler_process_float(r.h, in.data(), 441, out.data(), out.size(), &used, &written),
        IVRM_OK);
    consumed += used;
    produced += written;
    lo = std::min(lo, written);
    hi = std::max(hi, written);
    ASSERT_EQ(produced, floor_rule(consumed, 44100, 8000));
  }
  EXPECT_EQ(produced, 80000u);  // exactly 10 s at 8 kHz
  EXPECT_EQ(lo, 80u);           // 441 * 8000 / 44100 = 80 exactly
  EXPECT_EQ(hi, 80u);
  // A ratio that does not divide: 8000 -> 44100, 1 ms calls of 8 frames give 44 or 45.
  Resampler u(config(8000, 44100));
  ASSERT_EQ(u.status, IVRM_OK);
  std::vector<int16_t> s(8, 0), so(46);
  consumed = produced = 0;
  lo = SIZE_MAX;
  hi = 0;
  for (int k = 0; k < 1000; ++k) {
    size_t used = 0, written = 0;
    ASSERT_EQ(ivrm_resampler_process(u.h, s.data(), 8, so.data(), so.size(), &used, &written),
              IVRM_OK);
    consumed += used;
    produced += written;
    lo = std::min(lo, written);
    hi = std::max(hi, written);
    ASSERT_EQ(produced, floor_rule(consumed, 8000, 44100));
  }
  EXPECT_EQ(produced, 44100u);
  EXPECT_EQ(lo, 44u);
  EXPECT_EQ(hi, 45u);
}

TEST(CApiResampler, ResetStartsANewStream) {
  Resampler r(config(16000, 48000));
  ASSERT_EQ(r.status, IVRM_OK);
  const auto x = ivrmedia::sim::speech_like(1600, {.sample_rate_hz = 16000});
  std::vector<float> first(4800), second(4800);
  size_t used = 0, written = 0;
  ASSERT_EQ(ivrm_resampler_process_float(r.h, x.data(), 1000, first.data(), first.size(), &used,
                                         &written),
            IVRM_OK);
  ASSERT_EQ(ivrm_resampler_process_float(r.h, x.data() + 1000, 333, first.data(), first.size(),
                                         &used, &written),
            IVRM_OK);
  ASSERT_EQ(ivrm_resampler_reset(r.h), IVRM_OK);
  // The counters restart: a 1-frame call after reset writes what a new resampler's would.
  Resampler fresh(config(16000, 48000));
  ASSERT_EQ(fresh.status, IVRM_OK);
  EXPECT_EQ(r.max_out(1), fresh.max_out(1));
  ASSERT_EQ(ivrm_resampler_process_float(r.h, x.data(), 1600, first.data(), first.size(), &used,
                                         &written),
            IVRM_OK);
  ASSERT_EQ(written, 4800u);
  ASSERT_EQ(ivrm_resampler_process_float(fresh.h, x.data(), 1600, second.data(), second.size(),
                                         &used, &written),
            IVRM_OK);
  EXPECT_EQ(first, second);
}

// The header's SIMD tolerance: AVX2+FMA differs from scalar by rounding only, at most 2e-6 of
// full scale for float input within +-1.0 and one step for int16; counts are identical.
TEST(CApiResampler, SimdLevelsAgreeWithinTheStatedTolerance) {
  if (!ivrm_simd_supported(IVRM_SIMD_AVX2)) GTEST_SKIP() << "no AVX2+FMA on this CPU";
  for (const auto& [in, out] : {std::pair{8000, 48000}, std::pair{48000, 8000},
                                std::pair{44100, 16000}, std::pair{16000, 32000}}) {
    SCOPED_TRACE(std::to_string(in) + " -> " + std::to_string(out));
    ivrm_resampler_config c = config(in, out, 2);
    c.simd = IVRM_SIMD_SCALAR;
    Resampler scalar(c);
    c.simd = IVRM_SIMD_AVX2;
    Resampler avx2(c);
    ASSERT_EQ(scalar.status, IVRM_OK);
    ASSERT_EQ(avx2.status, IVRM_OK);
    const size_t frames = static_cast<size_t>(in) / 10;
    const auto x = ivrmedia::sim::speech_like(2 * frames, {.sample_rate_hz = in});
    const size_t cap = scalar.max_out(frames);
    std::vector<float> a(2 * cap), b(2 * cap);
    size_t ua = 0, wa = 0, ub = 0, wb = 0;
    ASSERT_EQ(ivrm_resampler_process_float(scalar.h, x.data(), frames, a.data(), cap, &ua, &wa),
              IVRM_OK);
    ASSERT_EQ(ivrm_resampler_process_float(avx2.h, x.data(), frames, b.data(), cap, &ub, &wb),
              IVRM_OK);
    ASSERT_EQ(wa, wb);
    for (size_t i = 0; i < 2 * wa; ++i)
      ASSERT_NEAR(a[i], b[i], 2e-6) << "sample " << i;

    ASSERT_EQ(ivrm_resampler_reset(scalar.h), IVRM_OK);
    ASSERT_EQ(ivrm_resampler_reset(avx2.h), IVRM_OK);
    const size_t sframes = 2000;  // int16 calls of 2000 stereo frames
    const auto xs = ivrmedia::sim::speech_like_s16(2 * sframes, {.sample_rate_hz = in});
    const size_t scap = scalar.max_out(sframes);
    std::vector<int16_t> sa(2 * scap), sb(2 * scap);
    ASSERT_EQ(ivrm_resampler_process(scalar.h, xs.data(), sframes, sa.data(), scap, &ua, &wa),
              IVRM_OK);
    ASSERT_EQ(ivrm_resampler_process(avx2.h, xs.data(), sframes, sb.data(), scap, &ub, &wb),
              IVRM_OK);
    ASSERT_EQ(wa, wb);
    for (size_t i = 0; i < 2 * wa; ++i)
      ASSERT_LE(std::abs(sa[i] - sb[i]), 1) << "sample " << i;
  }
}

// Real-time rule: after creation no C API processing call allocates.
TEST(CApiResampler, ProcessingCallsAllocateNothing) {
  for (const auto& [in, out] :
       {std::pair{8000, 16000}, std::pair{16000, 8000}, std::pair{8000, 48000},
        std::pair{44100, 8000}, std::pair{48000, 48000}}) {
    SCOPED_TRACE(std::to_string(in) + " -> " + std::to_string(out));
    Resampler r(config(in, out, 2));
    ASSERT_EQ(r.status, IVRM_OK);
    const size_t frames = static_cast<size_t>(in) / 50;  // 20 ms
    const auto x = ivrmedia::sim::speech_like(2 * frames, {.sample_rate_hz = in});
    std::vector<int16_t> xs(x.size());
    for (size_t i = 0; i < x.size(); ++i)
      xs[i] = static_cast<int16_t>(x[i] * 32767.0f);
    std::vector<float> y(2 * (static_cast<size_t>(out) / 50 + 1));
    std::vector<int16_t> ys(y.size());
    ivrm_test::AllocationScope scope;
    for (int k = 0; k < 20; ++k) {
      size_t used = 0, written = 0, n = 0;
      double seconds = 0, lat = 0;
      ASSERT_EQ(ivrm_resampler_max_output_frames(r.h, frames, &n), IVRM_OK);
      ASSERT_EQ(ivrm_resampler_process_float(r.h, x.data(), frames, y.data(), y.size() / 2, &used,
                                             &written),
                IVRM_OK);
      ASSERT_EQ(
          ivrm_resampler_process(r.h, xs.data(), frames, ys.data(), ys.size() / 2, &used, &written),
          IVRM_OK);
      ASSERT_EQ(ivrm_resampler_process(r.h, xs.data(), frames, ys.data(), 0, &used, &written),
                IVRM_ERR_BUFFER_TOO_SMALL);
      ASSERT_EQ(ivrm_resampler_latency(r.h, &seconds, &lat), IVRM_OK);
    }
    ASSERT_EQ(ivrm_resampler_reset(r.h), IVRM_OK);
    EXPECT_EQ(ivrm_resampler_rate_supported(48000), 1);
    EXPECT_EQ(scope.count(), 0);
  }
}

}  // namespace
