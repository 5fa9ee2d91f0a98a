// C API invariants, swept over every handle type: NULLs, growable configs, out-of-range values,
// placement in caller memory, get-after-create, and no allocation in processing calls.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "ivrmedia/g711.hpp"
#include "ivrmedia/ivrmedia.h"
#include "support/alloc_counter.hpp"

namespace {

// A config struct as a newer header might declare it: one field appended.
struct G711ConfigV2 {
  ivrm_g711_config v1;
  int32_t future_field;
};

ivrm_g711_config g711_defaults() {
  ivrm_g711_config c;
  EXPECT_EQ(ivrm_g711_config_init(&c), IVRM_OK);
  return c;
}

TEST(CApiG711, ConfigInitFillsDefaults) {
  EXPECT_EQ(ivrm_g711_config_init_sized(nullptr, sizeof(ivrm_g711_config)), IVRM_ERR_NULL);
  ivrm_g711_config c;
  std::memset(&c, 0xAB, sizeof c);
  ASSERT_EQ(ivrm_g711_config_init(&c), IVRM_OK);
  EXPECT_EQ(c.struct_size, sizeof(ivrm_g711_config));
  EXPECT_EQ(c.law, IVRM_G711_ULAW);
  EXPECT_EQ(c.simd, IVRM_SIMD_AUTO);
}

TEST(CApiG711, CreateRejectsNullsAndClearsOut) {
  ivrm_g711_config c = g711_defaults();
  ivrm_g711* h = reinterpret_cast<ivrm_g711*>(0x1);
  EXPECT_EQ(ivrm_g711_create(nullptr, &h), IVRM_ERR_NULL);
  EXPECT_EQ(h, nullptr);
  EXPECT_EQ(ivrm_g711_create(&c, nullptr), IVRM_ERR_NULL);
  size_t size = 123;
  EXPECT_EQ(ivrm_g711_size(nullptr, &size), IVRM_ERR_NULL);
  EXPECT_EQ(size, 0u);
  EXPECT_EQ(ivrm_g711_size(&c, nullptr), IVRM_ERR_NULL);
  ivrm_g711_destroy(nullptr);  // accepted
}

TEST(CApiG711, GrowableConfigSizes) {
  ivrm_g711* h = nullptr;
  ivrm_g711_config c = g711_defaults();
  c.struct_size = 0;
  EXPECT_EQ(ivrm_g711_create(&c, &h), IVRM_ERR_CONFIG);
  c.struct_size = sizeof(ivrm_g711_config) - 1;
  EXPECT_EQ(ivrm_g711_create(&c, &h), IVRM_ERR_CONFIG);
  EXPECT_EQ(h, nullptr);

  // A host built against a newer header that leaves the new field at its default (zero).
  G711ConfigV2 v2{};
  ASSERT_EQ(ivrm_g711_config_init(&v2.v1), IVRM_OK);
  v2.v1.struct_size = sizeof(G711ConfigV2);
  v2.v1.law = IVRM_G711_ALAW;
  ASSERT_EQ(ivrm_g711_create(&v2.v1, &h), IVRM_OK);
  ivrm_g711_law law;
  ASSERT_EQ(ivrm_g711_get_law(h, &law), IVRM_OK);
  EXPECT_EQ(law, IVRM_G711_ALAW);
  ivrm_g711_destroy(h);
  // ... and one that asks for a feature this library does not know.
  v2.future_field = 1;
  EXPECT_EQ(ivrm_g711_create(&v2.v1, &h), IVRM_ERR_UNSUPPORTED);
  EXPECT_EQ(h, nullptr);
}

TEST(CApiG711, OutOfRangeFieldsAreErrorsNotClamps) {
  ivrm_g711* h = nullptr;
  ivrm_g711_config c = g711_defaults();
  for (int32_t bad : {-1, 2, 1000}) {
    c = g711_defaults();
    c.law = bad;
    EXPECT_EQ(ivrm_g711_create(&c, &h), IVRM_ERR_INVALID) << "law " << bad;
  }
  for (int32_t bad : {-1, 3, 1000}) {
    c = g711_defaults();
    c.simd = bad;
    EXPECT_EQ(ivrm_g711_create(&c, &h), IVRM_ERR_INVALID) << "simd " << bad;
  }
  EXPECT_EQ(h, nullptr);
  c = g711_defaults();
  c.simd = IVRM_SIMD_AVX2;
  const ivrm_status s = ivrm_g711_create(&c, &h);
  EXPECT_EQ(s, ivrm_simd_supported(IVRM_SIMD_AVX2) ? IVRM_OK : IVRM_ERR_UNSUPPORTED);
  if (s == IVRM_OK) {
    ivrm_simd simd;
    ASSERT_EQ(ivrm_g711_get_simd(h, &simd), IVRM_OK);
    EXPECT_EQ(simd, IVRM_SIMD_AVX2);
  }
  ivrm_g711_destroy(h);
}

TEST(CApiG711, CreateInPlacesHandlesInAnArena) {
  ivrm_g711_config c = g711_defaults();
  size_t size = 0;
  ASSERT_EQ(ivrm_g711_size(&c, &size), IVRM_OK);
  ASSERT_GT(size, 0u);
  EXPECT_EQ(size % IVRM_ALIGNMENT, 0u);

  constexpr int kHandles = 100;
  void* arena = std::aligned_alloc(IVRM_ALIGNMENT, size * kHandles);
  ASSERT_NE(arena, nullptr);
  std::vector<ivrm_g711*> handles(kHandles);
  for (int i = 0; i < kHandles; ++i) {
    c.law = i % 2 ? IVRM_G711_ALAW : IVRM_G711_ULAW;
    ASSERT_EQ(ivrm_g711_create_in(static_cast<char*>(arena) + i * size, size, &c, &handles[i]),
              IVRM_OK);
  }
  const int16_t pcm[4] = {0, 0, 0, 0};
  uint8_t codes[4];
  for (int i = 0; i < kHandles; ++i) {
    ASSERT_EQ(ivrm_g711_encode(handles[i], pcm, 4, codes), IVRM_OK);
    EXPECT_EQ(codes[0], i % 2 ? 0xD5 : 0xFF);
  }
  for (ivrm_g711* h : handles)
    ivrm_g711_destroy(h);  // ends them; the arena stays ours
  std::free(arena);

  alignas(IVRM_ALIGNMENT) unsigned char buf[4096];
  ivrm_g711* h = nullptr;
  EXPECT_EQ(ivrm_g711_create_in(nullptr, size, &c, &h), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_g711_create_in(buf + 1, size, &c, &h), IVRM_ERR_INVALID);  // misaligned
  EXPECT_EQ(ivrm_g711_create_in(buf, size - 1, &c, &h), IVRM_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(ivrm_g711_create_in(buf, size, nullptr, &h), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_g711_create_in(buf, size, &c, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(h, nullptr);
}

class CApiG711Handle : public ::testing::Test {
 protected:
  void SetUp() override {
    ivrm_g711_config c = g711_defaults();
    ASSERT_EQ(ivrm_g711_create(&c, &h_), IVRM_OK);
  }
  void TearDown() override { ivrm_g711_destroy(h_); }
  ivrm_g711* h_ = nullptr;
};

TEST_F(CApiG711Handle, ProcessingRejectsNullsAcceptsEmpty) {
  int16_t pcm[8] = {};
  float pcmf[8] = {};
  uint8_t codes[8] = {};
  EXPECT_EQ(ivrm_g711_encode(nullptr, pcm, 8, codes), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_g711_encode(h_, nullptr, 8, codes), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_g711_encode(h_, pcm, 8, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_g711_encode(h_, nullptr, 0, nullptr), IVRM_OK);
  EXPECT_EQ(ivrm_g711_encode_float(h_, nullptr, 8, codes), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_g711_encode_float(h_, pcmf, 0, nullptr), IVRM_OK);
  EXPECT_EQ(ivrm_g711_decode(h_, codes, 8, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_g711_decode(nullptr, codes, 8, pcm), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_g711_decode_float(h_, nullptr, 8, pcmf), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_g711_transcode(h_, codes, 8, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_g711_transcode(h_, nullptr, 0, nullptr), IVRM_OK);
  ivrm_g711_law law;
  ivrm_simd simd;
  EXPECT_EQ(ivrm_g711_get_law(nullptr, &law), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_g711_get_law(h_, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_g711_get_simd(h_, nullptr), IVRM_ERR_NULL);
  ASSERT_EQ(ivrm_g711_get_simd(h_, &simd), IVRM_OK);
  EXPECT_EQ(simd, ivrm_simd_best());  // AUTO resolved at creation
}

TEST_F(CApiG711Handle, MatchesTheCxxApiAndAllocatesNothing) {
  std::vector<int16_t> pcm(4000);
  for (size_t i = 0; i < pcm.size(); ++i)
    pcm[i] = static_cast<int16_t>(i * 37 - 70000);
  std::vector<float> pcmf(pcm.size());
  for (size_t i = 0; i < pcm.size(); ++i)
    pcmf[i] = pcm[i] / 32768.0f;
  std::vector<uint8_t> codes(pcm.size()), codes_f(pcm.size()), other(pcm.size());
  std::vector<int16_t> back(pcm.size());
  std::vector<float> backf(pcm.size());
  {
    ivrm_test::AllocationScope scope;
    ASSERT_EQ(ivrm_g711_encode(h_, pcm.data(), pcm.size(), codes.data()), IVRM_OK);
    ASSERT_EQ(ivrm_g711_encode_float(h_, pcmf.data(), pcmf.size(), codes_f.data()), IVRM_OK);
    ASSERT_EQ(ivrm_g711_decode(h_, codes.data(), codes.size(), back.data()), IVRM_OK);
    ASSERT_EQ(ivrm_g711_decode_float(h_, codes.data(), codes.size(), backf.data()), IVRM_OK);
    ASSERT_EQ(ivrm_g711_transcode(h_, codes.data(), codes.size(), other.data()), IVRM_OK);
    EXPECT_EQ(scope.count(), 0);
  }
  EXPECT_EQ(codes, codes_f);
  for (size_t i = 0; i < pcm.size(); ++i) {
    ASSERT_EQ(codes[i], ivrmedia::g711::encode_sample(ivrmedia::g711::Law::mulaw, pcm[i]));
    ASSERT_EQ(back[i], ivrmedia::g711::decode_sample(ivrmedia::g711::Law::mulaw, codes[i]));
    ASSERT_EQ(backf[i], back[i] / 32768.0f);
    ASSERT_EQ(other[i], ivrmedia::g711::transcode_sample(ivrmedia::g711::Law::mulaw, codes[i]));
  }
}

}  // namespace

namespace {

// ---- DTMF detector and generator ----------------------------------------------------------

TEST(CApiDtmf, ConfigsAndCreationRejectBadArguments) {
  ivrm_dtmf_detector_config dc;
  ivrm_dtmf_generator_config gc;
  EXPECT_EQ(ivrm_dtmf_detector_config_init_sized(nullptr, sizeof(ivrm_dtmf_detector_config)),
            IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_dtmf_generator_config_init_sized(nullptr, sizeof(ivrm_dtmf_generator_config)),
            IVRM_ERR_NULL);
  ASSERT_EQ(ivrm_dtmf_detector_config_init(&dc), IVRM_OK);
  ASSERT_EQ(ivrm_dtmf_generator_config_init(&gc), IVRM_OK);
  EXPECT_EQ(dc.sample_rate_hz, 8000);
  EXPECT_EQ(dc.event_capacity, 32u);
  EXPECT_EQ(gc.max_queued, 64u);

  ivrm_dtmf_detector* d = nullptr;
  ivrm_dtmf_generator* g = nullptr;
  EXPECT_EQ(ivrm_dtmf_detector_create(nullptr, &d), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_dtmf_detector_create(&dc, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_dtmf_generator_create(nullptr, &g), IVRM_ERR_NULL);
  ivrm_dtmf_detector_config bad = dc;
  bad.sample_rate_hz = 1000;
  EXPECT_EQ(ivrm_dtmf_detector_create(&bad, &d), IVRM_ERR_INVALID);
  bad = dc;
  bad.min_level_dbm0 = 10;  // out of range is an error, never a clamp
  EXPECT_EQ(ivrm_dtmf_detector_create(&bad, &d), IVRM_ERR_RANGE);
  bad = dc;
  bad.event_capacity = 100000;
  EXPECT_EQ(ivrm_dtmf_detector_create(&bad, &d), IVRM_ERR_RANGE);
  bad = dc;
  bad.struct_size = 8;
  EXPECT_EQ(ivrm_dtmf_detector_create(&bad, &d), IVRM_ERR_CONFIG);
  size_t size = 1;
  EXPECT_EQ(ivrm_dtmf_detector_size(&bad, &size), IVRM_ERR_CONFIG);
  EXPECT_EQ(size, 0u);
  ivrm_dtmf_generator_config gbad = gc;
  gbad.low_dbm0 = 3;  // two tones at +3 dBm0 would clip
  EXPECT_EQ(ivrm_dtmf_generator_create(&gbad, &g), IVRM_ERR_RANGE);
  gbad = gc;
  gbad.sample_rate_hz = 12345;
  EXPECT_EQ(ivrm_dtmf_generator_create(&gbad, &g), IVRM_ERR_INVALID);
  EXPECT_EQ(d, nullptr);
  EXPECT_EQ(g, nullptr);
  ivrm_dtmf_detector_destroy(nullptr);
  ivrm_dtmf_generator_destroy(nullptr);
}

TEST(CApiDtmf, GeneratedDigitsAreDetectedWithoutAllocation) {
  ivrm_dtmf_detector_config dc;
  ivrm_dtmf_generator_config gc;
  ASSERT_EQ(ivrm_dtmf_detector_config_init(&dc), IVRM_OK);
  ASSERT_EQ(ivrm_dtmf_generator_config_init(&gc), IVRM_OK);
  ivrm_dtmf_detector* d = nullptr;
  ivrm_dtmf_generator* g = nullptr;
  ASSERT_EQ(ivrm_dtmf_detector_create(&dc, &d), IVRM_OK);
  ASSERT_EQ(ivrm_dtmf_generator_create(&gc, &g), IVRM_OK);
  EXPECT_EQ(ivrm_dtmf_generator_queue(g, "12x"), IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_dtmf_generator_queue(g, nullptr), IVRM_ERR_NULL);
  ASSERT_EQ(ivrm_dtmf_generator_queue(g, "4711*#"), IVRM_OK);

  std::string digits;
  int16_t frame[160];
  ivrm_dtmf_event events[4];
  {
    ivrm_test::AllocationScope scope;
    for (int f = 0; f < 100; ++f) {  // 2 s of 20 ms frames
      size_t active = 0, count = 0;
      ASSERT_EQ(ivrm_dtmf_generator_generate(g, frame, 160, &active), IVRM_OK);
      ASSERT_EQ(ivrm_dtmf_detector_process(d, frame, 160), IVRM_OK);
      ASSERT_EQ(ivrm_dtmf_detector_read_events(d, events, 4, &count), IVRM_OK);
      for (size_t i = 0; i < count; ++i) {
        if (events[i].type == IVRM_DTMF_KEY_UP) digits += events[i].digit;
      }
    }
    EXPECT_EQ(scope.count(), 0);
  }
  EXPECT_EQ(digits, "4711*#");
  ivrm_dtmf_detector_stats stats;
  stats.struct_size = sizeof stats;
  ASSERT_EQ(ivrm_dtmf_detector_get_stats(d, &stats), IVRM_OK);
  EXPECT_EQ(stats.digits, 6u);
  EXPECT_EQ(stats.samples, 16000u);
  int64_t latency = 0;
  ASSERT_EQ(ivrm_dtmf_detector_latency(d, &latency), IVRM_OK);
  EXPECT_GT(latency, 0);
  EXPECT_LE(latency, 8000 * 45 / 1000);

  size_t count = 7;
  EXPECT_EQ(ivrm_dtmf_detector_read_events(d, nullptr, 4, &count), IVRM_ERR_NULL);
  EXPECT_EQ(count, 0u);
  EXPECT_EQ(ivrm_dtmf_detector_read_events(d, events, 4, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_dtmf_detector_read_events(nullptr, events, 4, &count), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_dtmf_detector_process(d, nullptr, 10), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_dtmf_detector_process(d, nullptr, 0), IVRM_OK);
  EXPECT_EQ(ivrm_dtmf_detector_process_float(nullptr, nullptr, 0), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_dtmf_detector_gap(d, -1), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_dtmf_detector_gap(d, 80), IVRM_OK);
  EXPECT_EQ(ivrm_dtmf_detector_reset(d), IVRM_OK);
  EXPECT_EQ(ivrm_dtmf_detector_reset(nullptr), IVRM_ERR_NULL);
  stats.struct_size = 4;
  EXPECT_EQ(ivrm_dtmf_detector_get_stats(d, &stats), IVRM_ERR_CONFIG);
  EXPECT_EQ(ivrm_dtmf_generator_generate(g, nullptr, 5, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_dtmf_generator_generate_float(g, nullptr, 0, nullptr), IVRM_OK);
  ivrm_dtmf_detector_destroy(d);
  ivrm_dtmf_generator_destroy(g);
}

TEST(CApiDtmf, DetectorsFitInAnArena) {
  ivrm_dtmf_detector_config dc;
  ASSERT_EQ(ivrm_dtmf_detector_config_init(&dc), IVRM_OK);
  size_t size = 0;
  ASSERT_EQ(ivrm_dtmf_detector_size(&dc, &size), IVRM_OK);
  constexpr int kN = 16;
  void* arena = std::aligned_alloc(IVRM_ALIGNMENT, size * kN);
  ASSERT_NE(arena, nullptr);
  ivrm_dtmf_detector* d[kN];
  for (int i = 0; i < kN; ++i) {
    ASSERT_EQ(ivrm_dtmf_detector_create_in(static_cast<char*>(arena) + i * size, size, &dc, &d[i]),
              IVRM_OK);
  }
  for (auto* h : d)
    ivrm_dtmf_detector_destroy(h);
  std::free(arena);
}

}  // namespace

namespace {

TEST(CApiDtmf, MaskerRemovesDigitsAndRejectsBadArguments) {
  ivrm_dtmf_masker_config mc;
  EXPECT_EQ(ivrm_dtmf_masker_config_init_sized(nullptr, sizeof(ivrm_dtmf_masker_config)),
            IVRM_ERR_NULL);
  ASSERT_EQ(ivrm_dtmf_masker_config_init(&mc), IVRM_OK);
  ivrm_dtmf_masker* m = nullptr;
  ivrm_dtmf_masker_config bad = mc;
  bad.lookahead_ms = 80;
  EXPECT_EQ(ivrm_dtmf_masker_create(&bad, &m), IVRM_ERR_RANGE);
  bad = mc;
  bad.comfort_noise = 7;
  EXPECT_EQ(ivrm_dtmf_masker_create(&bad, &m), IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_dtmf_masker_create(nullptr, &m), IVRM_ERR_NULL);
  EXPECT_EQ(m, nullptr);
  ASSERT_EQ(ivrm_dtmf_masker_create(&mc, &m), IVRM_OK);
  int64_t latency = 0;
  ASSERT_EQ(ivrm_dtmf_masker_latency(m, &latency), IVRM_OK);
  EXPECT_EQ(latency, 320);

  ivrm_dtmf_generator_config gc;
  ASSERT_EQ(ivrm_dtmf_generator_config_init(&gc), IVRM_OK);
  ivrm_dtmf_generator* g = nullptr;
  ASSERT_EQ(ivrm_dtmf_generator_create(&gc, &g), IVRM_OK);
  ASSERT_EQ(ivrm_dtmf_generator_queue(g, "1234"), IVRM_OK);
  std::vector<int16_t> in(16000), out(16000);
  size_t active = 0;
  ASSERT_EQ(ivrm_dtmf_generator_generate(g, in.data(), in.size(), &active), IVRM_OK);
  EXPECT_EQ(active, 4u * 1280u);
  {
    ivrm_test::AllocationScope scope;
    for (size_t i = 0; i < in.size(); i += 160) {
      ASSERT_EQ(ivrm_dtmf_masker_process(m, in.data() + i, out.data() + i, 160), IVRM_OK);
    }
    EXPECT_EQ(scope.count(), 0);
  }
  ivrm_dtmf_event ev[16];
  size_t count = 0;
  ASSERT_EQ(ivrm_dtmf_masker_read_events(m, ev, 16, &count), IVRM_OK);
  EXPECT_GE(count, 7u);  // 4 downs and at least 3 ups (the last may still be ending)
  for (int16_t s : out)
    ASSERT_EQ(s, 0) << "the output held only tones: all masked";
  EXPECT_EQ(ivrm_dtmf_masker_process(m, nullptr, out.data(), 5), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_dtmf_masker_process_float(m, nullptr, nullptr, 0), IVRM_OK);
  EXPECT_EQ(ivrm_dtmf_masker_read_events(m, nullptr, 3, &count), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_dtmf_masker_reset(m), IVRM_OK);
  ivrm_dtmf_masker_destroy(m);
  ivrm_dtmf_masker_destroy(nullptr);
  ivrm_dtmf_generator_destroy(g);
}

TEST(CApiDtmf, BatchDetectsPerChannel) {
  ivrm_dtmf_detector_config dc;
  ASSERT_EQ(ivrm_dtmf_detector_config_init(&dc), IVRM_OK);
  ivrm_dtmf_batch* b = nullptr;
  EXPECT_EQ(ivrm_dtmf_batch_create(&dc, 0, &b), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_dtmf_batch_create(nullptr, 4, &b), IVRM_ERR_NULL);
  ASSERT_EQ(ivrm_dtmf_batch_create(&dc, 3, &b), IVRM_OK);

  ivrm_dtmf_generator_config gc;
  ASSERT_EQ(ivrm_dtmf_generator_config_init(&gc), IVRM_OK);
  std::vector<int16_t> planar(3 * 8000);
  const char* digits[3] = {"12", "", "9#"};
  for (int c = 0; c < 3; ++c) {
    ivrm_dtmf_generator* g = nullptr;
    ASSERT_EQ(ivrm_dtmf_generator_create(&gc, &g), IVRM_OK);
    ASSERT_EQ(ivrm_dtmf_generator_queue(g, digits[c]), IVRM_OK);
    ASSERT_EQ(ivrm_dtmf_generator_generate(g, planar.data() + c * 8000, 8000, nullptr), IVRM_OK);
    ivrm_dtmf_generator_destroy(g);
  }
  for (size_t i = 0; i < 8000; i += 160) {
    ASSERT_EQ(ivrm_dtmf_batch_process(b, planar.data() + i, 160, 8000), IVRM_OK);
  }
  for (uint32_t c = 0; c < 3; ++c) {
    ivrm_dtmf_event ev[8];
    size_t count = 0;
    ASSERT_EQ(ivrm_dtmf_batch_read_events(b, c, ev, 8, &count), IVRM_OK);
    std::string got;
    for (size_t i = 0; i < count; ++i) {
      if (ev[i].type == IVRM_DTMF_KEY_UP) got += ev[i].digit;
    }
    EXPECT_EQ(got, digits[c]);
  }
  size_t count = 0;
  ivrm_dtmf_event ev[2];
  EXPECT_EQ(ivrm_dtmf_batch_read_events(b, 3, ev, 2, &count), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_dtmf_batch_process(b, planar.data(), 160, 100), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_dtmf_batch_gap(b, 1, -5), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_dtmf_batch_gap(b, 1, 80), IVRM_OK);
  EXPECT_EQ(ivrm_dtmf_batch_reset_channel(b, 9), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_dtmf_batch_reset_channel(b, 0), IVRM_OK);
  EXPECT_EQ(ivrm_dtmf_batch_process_float(nullptr, nullptr, 0, 0), IVRM_ERR_NULL);
  ivrm_dtmf_batch_destroy(b);
  ivrm_dtmf_batch_destroy(nullptr);
}

}  // namespace

namespace {

TEST(CApiDtmf, RuntimeParamsHaveBoundsAndGetAfterSet) {
  ivrm_dtmf_detector_config dc;
  ASSERT_EQ(ivrm_dtmf_detector_config_init(&dc), IVRM_OK);
  ivrm_dtmf_detector* d = nullptr;
  ASSERT_EQ(ivrm_dtmf_detector_create(&dc, &d), IVRM_OK);
  const int32_t ids[] = {IVRM_DTMF_MIN_LEVEL_DBM0,  IVRM_DTMF_REVERSE_TWIST_DB,
                         IVRM_DTMF_NORMAL_TWIST_DB, IVRM_DTMF_MAX_FREQUENCY_ERROR_PCT,
                         IVRM_DTMF_MAX_RESIDUAL_DB, IVRM_DTMF_MIN_TONE_MS,
                         IVRM_DTMF_MIN_PAUSE_MS};
  for (int32_t id : ids) {
    double lo = 0, hi = 0, def = 0, v = 0;
    ASSERT_EQ(ivrm_dtmf_param_bounds(id, &lo, &hi, &def), IVRM_OK) << id;
    EXPECT_LT(lo, hi);
    EXPECT_GE(def, lo);
    EXPECT_LE(def, hi);
    ASSERT_EQ(ivrm_dtmf_detector_get_param(d, id, &v), IVRM_OK);
    EXPECT_NEAR(v, def, 1e-6) << id;  // the config defaults are the parameter defaults
    {
      ivrm_test::AllocationScope scope;
      EXPECT_EQ(ivrm_dtmf_detector_set_param(d, id, hi), IVRM_OK);
      EXPECT_EQ(scope.count(), 0);
    }
    ASSERT_EQ(ivrm_dtmf_detector_get_param(d, id, &v), IVRM_OK);
    EXPECT_EQ(v, hi);
    // Out of range is an error and changes nothing (never a silent clamp).
    EXPECT_EQ(ivrm_dtmf_detector_set_param(d, id, hi + 1), IVRM_ERR_RANGE);
    EXPECT_EQ(ivrm_dtmf_detector_set_param(d, id, lo - 1), IVRM_ERR_RANGE);
    ASSERT_EQ(ivrm_dtmf_detector_get_param(d, id, &v), IVRM_OK);
    EXPECT_EQ(v, hi);
    EXPECT_EQ(ivrm_dtmf_detector_set_param(d, id, def), IVRM_OK);
  }
  double v = 0;
  EXPECT_EQ(ivrm_dtmf_param_bounds(99, nullptr, nullptr, nullptr), IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_dtmf_detector_set_param(d, 99, 1.0), IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_dtmf_detector_get_param(d, 107, &v), IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_dtmf_detector_get_param(d, IVRM_DTMF_MIN_TONE_MS, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_dtmf_detector_set_param(nullptr, IVRM_DTMF_MIN_TONE_MS, 40), IVRM_ERR_NULL);

  // A stricter minimum duration takes effect at once: a 40 ms tone no longer counts.
  ASSERT_EQ(ivrm_dtmf_detector_set_param(d, IVRM_DTMF_MIN_TONE_MS, 60), IVRM_OK);
  ivrm_dtmf_generator_config gc;
  ASSERT_EQ(ivrm_dtmf_generator_config_init(&gc), IVRM_OK);
  gc.tone_ms = 40;
  ivrm_dtmf_generator* g = nullptr;
  ASSERT_EQ(ivrm_dtmf_generator_create(&gc, &g), IVRM_OK);
  ASSERT_EQ(ivrm_dtmf_generator_queue(g, "5"), IVRM_OK);
  int16_t pcm[2000];
  ASSERT_EQ(ivrm_dtmf_generator_generate(g, pcm, 2000, nullptr), IVRM_OK);
  ASSERT_EQ(ivrm_dtmf_detector_process(d, pcm, 2000), IVRM_OK);
  ivrm_dtmf_event ev[4];
  size_t count = 9;
  ASSERT_EQ(ivrm_dtmf_detector_read_events(d, ev, 4, &count), IVRM_OK);
  EXPECT_EQ(count, 0u);
  ivrm_dtmf_generator_destroy(g);
  ivrm_dtmf_detector_destroy(d);
}

}  // namespace

namespace {

// ---- RTP packets, builder, RFC 4733 sender and receiver, jitter buffer ---------------------

// The lifecycle rules every config-created handle follows: config_init(NULL), create with NULL
// arguments (the out-pointer cleared), struct sizes below the first version, and a newer
// header's larger struct (accepted when its unknown tail is zero, refused otherwise).
template <typename Config, typename Handle>
void sweep_lifecycle(const char* name, ivrm_status (*init)(Config*, size_t),
                     ivrm_status (*create)(const Config*, Handle**), void (*destroy)(Handle*)) {
  SCOPED_TRACE(name);
  EXPECT_EQ(init(nullptr, sizeof(Config)), IVRM_ERR_NULL);
  Config c;
  std::memset(&c, 0xAB, sizeof c);
  ASSERT_EQ(init(&c, sizeof c), IVRM_OK);
  EXPECT_EQ(c.struct_size, sizeof(Config));
  // Sizes under the first version (or absurd): refused, not a byte written.
  for (size_t size : {size_t{0}, size_t{4}, sizeof(Config) - 1, size_t{1} << 20, SIZE_MAX}) {
    Config canary;
    std::memset(&canary, 0xCD, sizeof canary);
    EXPECT_EQ(init(&canary, size), IVRM_ERR_CONFIG) << "size " << size;
    const auto* bytes = reinterpret_cast<const unsigned char*>(&canary);
    EXPECT_TRUE(
        std::all_of(bytes, bytes + sizeof canary, [](unsigned char b) { return b == 0xCD; }));
  }
  Handle* h = reinterpret_cast<Handle*>(0x1);
  EXPECT_EQ(create(nullptr, &h), IVRM_ERR_NULL);
  EXPECT_EQ(h, nullptr);
  EXPECT_EQ(create(&c, nullptr), IVRM_ERR_NULL);
  for (uint32_t size : {0u, 4u, static_cast<uint32_t>(sizeof(Config) - 1)}) {
    Config small = c;
    small.struct_size = size;
    h = reinterpret_cast<Handle*>(0x1);
    EXPECT_EQ(create(&small, &h), IVRM_ERR_CONFIG) << "struct_size " << size;
    EXPECT_EQ(h, nullptr);
  }
  // A host built against a newer header: init fills what this library knows, zeroes the newer
  // field and records the host's size; create accepts it while the newer field stays zero.
  struct V2 {
    Config v1;
    uint64_t future;
  } v2;
  std::memset(&v2, 0xAB, sizeof v2);
  ASSERT_EQ(init(&v2.v1, sizeof v2), IVRM_OK);
  EXPECT_EQ(v2.v1.struct_size, sizeof v2);
  EXPECT_EQ(v2.future, 0u);
  EXPECT_EQ(std::memcmp(reinterpret_cast<const unsigned char*>(&v2.v1) + 4,
                        reinterpret_cast<const unsigned char*>(&c) + 4, sizeof(Config) - 4),
            0);
  ASSERT_EQ(create(&v2.v1, &h), IVRM_OK);
  destroy(h);
  v2.future = 1;
  h = reinterpret_cast<Handle*>(0x1);
  EXPECT_EQ(create(&v2.v1, &h), IVRM_ERR_UNSUPPORTED);
  EXPECT_EQ(h, nullptr);
  ASSERT_EQ(create(&c, &h), IVRM_OK);
  destroy(h);
  destroy(nullptr);
}

TEST(CApiRtpInvariants, LifecycleOfEveryRtpHandle) {
  sweep_lifecycle("builder", &ivrm_rtp_builder_config_init_sized, &ivrm_rtp_builder_create,
                  &ivrm_rtp_builder_destroy);
  sweep_lifecycle("event sender", &ivrm_rtp_event_sender_config_init_sized,
                  &ivrm_rtp_event_sender_create, &ivrm_rtp_event_sender_destroy);
  sweep_lifecycle("event receiver", &ivrm_rtp_event_receiver_config_init_sized,
                  &ivrm_rtp_event_receiver_create, &ivrm_rtp_event_receiver_destroy);
  sweep_lifecycle("jitter", &ivrm_jitter_config_init_sized, &ivrm_jitter_create,
                  &ivrm_jitter_destroy);

  // The placeable ones: size and create_in follow the same rules.
  ivrm_rtp_builder_config bc;
  ASSERT_EQ(ivrm_rtp_builder_config_init(&bc), IVRM_OK);
  ivrm_rtp_event_sender_config sc;
  ASSERT_EQ(ivrm_rtp_event_sender_config_init(&sc), IVRM_OK);
  size_t size = 1;
  EXPECT_EQ(ivrm_rtp_builder_size(nullptr, &size), IVRM_ERR_NULL);
  EXPECT_EQ(size, 0u);
  EXPECT_EQ(ivrm_rtp_builder_size(&bc, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_sender_size(nullptr, &size), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_sender_size(&sc, nullptr), IVRM_ERR_NULL);
  alignas(IVRM_ALIGNMENT) unsigned char buf[4096];
  ivrm_rtp_builder* b = reinterpret_cast<ivrm_rtp_builder*>(0x1);
  EXPECT_EQ(ivrm_rtp_builder_create_in(buf, 0, &bc, &b), IVRM_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(b, nullptr);
  EXPECT_EQ(ivrm_rtp_builder_create_in(buf, sizeof buf, &bc, nullptr), IVRM_ERR_NULL);
  ivrm_rtp_event_sender* s = reinterpret_cast<ivrm_rtp_event_sender*>(0x1);
  EXPECT_EQ(ivrm_rtp_event_sender_create_in(buf + 8, sizeof buf - 8, &sc, &s), IVRM_ERR_INVALID);
  EXPECT_EQ(s, nullptr);
  EXPECT_EQ(ivrm_rtp_event_sender_create_in(nullptr, sizeof buf, &sc, &s), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_sender_create_in(buf, sizeof buf, nullptr, &s), IVRM_ERR_NULL);
}

// Every call on a NULL handle is IVRM_ERR_NULL (and clears its count out-parameter).
TEST(CApiRtpInvariants, NullHandlesAreRefused) {
  uint8_t bytes[64] = {};
  ivrm_rtp_packet packet{};
  packet.struct_size = sizeof packet;
  size_t n = 7;
  int flag = 7;
  uint16_t seq = 0;
  uint32_t ts = 0;
  ivrm_rtp_event events[2];
  ivrm_rtp_event_packet ep;
  ivrm_rtp_builder_stats bs{};
  bs.struct_size = sizeof bs;
  ivrm_rtp_event_receiver_stats rs{};
  rs.struct_size = sizeof rs;
  ivrm_jitter_stats js{};
  js.struct_size = sizeof js;
  ivrm_jitter_usage ju{};
  ju.struct_size = sizeof ju;
  int16_t pcm[160];
  float pcmf[160];

  EXPECT_EQ(ivrm_rtp_builder_reset(nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_builder_build(nullptr, bytes, 4, 160, 0, nullptr, 0, bytes, 64, &n),
            IVRM_ERR_NULL);
  EXPECT_EQ(n, 0u);
  n = 7;
  EXPECT_EQ(ivrm_rtp_builder_build_at(nullptr, 101, bytes, 4, 0, 0, bytes, 64, &n), IVRM_ERR_NULL);
  EXPECT_EQ(n, 0u);
  n = 7;
  EXPECT_EQ(ivrm_rtp_builder_packet_size(nullptr, 4, nullptr, 0, &n), IVRM_ERR_NULL);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(ivrm_rtp_builder_skip(nullptr, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_builder_set_csrcs(nullptr, nullptr, 0), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_builder_next_sequence(nullptr, &seq), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_builder_next_timestamp(nullptr, &ts), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_builder_get_stats(nullptr, &bs), IVRM_ERR_NULL);

  EXPECT_EQ(ivrm_rtp_event_sender_reset(nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_sender_begin(nullptr, 1, 0, 10), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_sender_end(nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_sender_next(nullptr, &ep, &flag), IVRM_ERR_NULL);
  EXPECT_EQ(flag, 0);
  flag = 7;
  EXPECT_EQ(ivrm_rtp_event_sender_active(nullptr, &flag), IVRM_ERR_NULL);
  EXPECT_EQ(flag, 0);

  EXPECT_EQ(ivrm_rtp_event_receiver_reset(nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_receiver_push(nullptr, &packet, 0), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_receiver_poll(nullptr, 0), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_receiver_finish(nullptr, 0), IVRM_ERR_NULL);
  n = 7;
  EXPECT_EQ(ivrm_rtp_event_receiver_read_events(nullptr, events, 2, &n), IVRM_ERR_NULL);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(ivrm_rtp_event_receiver_get_stats(nullptr, &rs), IVRM_ERR_NULL);

  EXPECT_EQ(ivrm_jitter_reset(nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_jitter_push(nullptr, bytes, 20, 0), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_jitter_pull(nullptr, pcm, 160, 0, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_jitter_pull_float(nullptr, pcmf, 160, 0, nullptr), IVRM_ERR_NULL);
  n = 7;
  EXPECT_EQ(ivrm_jitter_read_events(nullptr, events, 2, &n), IVRM_ERR_NULL);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(ivrm_jitter_get_stats(nullptr, &js), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_jitter_get_usage(nullptr, &ju), IVRM_ERR_NULL);
  n = 7;
  EXPECT_EQ(ivrm_jitter_frame_samples(nullptr, &n), IVRM_ERR_NULL);
  EXPECT_EQ(n, 0u);

  // The handle-free calls refuse NULL and out-of-range values too.
  EXPECT_EQ(ivrm_rtp_parse(bytes, sizeof bytes, nullptr, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_find_extension(nullptr, 1, &flag, nullptr, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_find_extension(&packet, -1, &flag, nullptr, nullptr), IVRM_ERR_RANGE);
  EXPECT_NE(ivrm_rtp_parse_error_name(-1), nullptr);
  EXPECT_NE(ivrm_jitter_frame_kind_name(99), nullptr);
  EXPECT_EQ(ivrm_rtp_event_char(-1), 0);
  EXPECT_EQ(ivrm_rtp_event_code('x'), -1);
}

// Absurd sizes: capacities and counts far beyond any buffer are refused or bounded, never
// trusted to index memory that is not there.
TEST(CApiRtpInvariants, AbsurdSizesAndNoAllocationInProcessing) {
  ivrm_jitter_config jc;
  ASSERT_EQ(ivrm_jitter_config_init(&jc), IVRM_OK);
  ivrm_jitter* j = nullptr;
  ASSERT_EQ(ivrm_jitter_create(&jc, &j), IVRM_OK);
  ivrm_rtp_builder_config bc;
  ASSERT_EQ(ivrm_rtp_builder_config_init(&bc), IVRM_OK);
  ivrm_rtp_builder* b = nullptr;
  ASSERT_EQ(ivrm_rtp_builder_create(&bc, &b), IVRM_OK);
  int16_t pcm[160];
  uint8_t bytes[200] = {};
  size_t n = 0;
  ivrm_rtp_extension ext[1] = {{bytes, 1, 1}};
  {
    ivrm_test::AllocationScope scope;
    EXPECT_EQ(ivrm_jitter_pull(j, pcm, SIZE_MAX, 0, nullptr), IVRM_ERR_INVALID);
    EXPECT_EQ(ivrm_rtp_builder_build(b, bytes, 160, 160, 0, ext, SIZE_MAX, bytes, 200, &n),
              IVRM_ERR_RANGE);
    EXPECT_EQ(ivrm_rtp_builder_packet_size(b, 160, ext, SIZE_MAX, &n), IVRM_ERR_RANGE);
    uint32_t csrcs[1] = {1};
    EXPECT_EQ(ivrm_rtp_builder_set_csrcs(b, csrcs, SIZE_MAX), IVRM_ERR_RANGE);
    // A datagram the size of everything: parse reads only what its header declares.
    ASSERT_EQ(ivrm_rtp_builder_build(b, bytes, 160, 160, 0, nullptr, 0, bytes, 200, &n), IVRM_OK);
    EXPECT_EQ(ivrm_jitter_push(j, bytes, n, 0), IVRM_OK);
    EXPECT_EQ(ivrm_jitter_pull(j, pcm, 160, 20000, nullptr), IVRM_OK);
    ivrm_rtp_event events[4];
    EXPECT_EQ(ivrm_jitter_read_events(j, events, SIZE_MAX / sizeof(ivrm_rtp_event) + 5, &n),
              IVRM_OK);  // nothing queued: nothing written, however large the claim
    EXPECT_EQ(n, 0u);
    EXPECT_EQ(scope.count(), 0);
  }
  ivrm_rtp_builder_destroy(b);
  ivrm_jitter_destroy(j);
}

// ---- prompts, prompt cache, player, barge-in, mixer, conference ----------------------------

TEST(CApiInvariants, LifecycleOfTheCoreDtmfAndResamplerHandles) {
  sweep_lifecycle("g711", &ivrm_g711_config_init_sized, &ivrm_g711_create, &ivrm_g711_destroy);
  sweep_lifecycle("dtmf detector", &ivrm_dtmf_detector_config_init_sized,
                  &ivrm_dtmf_detector_create, &ivrm_dtmf_detector_destroy);
  sweep_lifecycle("dtmf generator", &ivrm_dtmf_generator_config_init_sized,
                  &ivrm_dtmf_generator_create, &ivrm_dtmf_generator_destroy);
  sweep_lifecycle("dtmf masker", &ivrm_dtmf_masker_config_init_sized, &ivrm_dtmf_masker_create,
                  &ivrm_dtmf_masker_destroy);
  sweep_lifecycle("resampler", &ivrm_resampler_config_init_sized, &ivrm_resampler_create,
                  &ivrm_resampler_destroy);
}

TEST(CApiMixInvariants, LifecycleOfEveryMixHandle) {
  sweep_lifecycle("prompt cache", &ivrm_prompt_cache_config_init_sized, &ivrm_prompt_cache_create,
                  &ivrm_prompt_cache_destroy);
  sweep_lifecycle("player", &ivrm_player_config_init_sized, &ivrm_player_create,
                  &ivrm_player_destroy);
  sweep_lifecycle("barge-in", &ivrm_barge_in_config_init_sized, &ivrm_barge_in_create,
                  &ivrm_barge_in_destroy);
  sweep_lifecycle("mixer", &ivrm_mixer_config_init_sized, &ivrm_mixer_create, &ivrm_mixer_destroy);
  sweep_lifecycle("conference", &ivrm_conference_config_init_sized, &ivrm_conference_create,
                  &ivrm_conference_destroy);
  EXPECT_EQ(ivrm_play_options_init_sized(nullptr, sizeof(ivrm_play_options)), IVRM_ERR_NULL);

  // The tone spec and play options are growable inputs too.
  ivrm_tone_spec spec;
  ASSERT_EQ(ivrm_call_progress(IVRM_BUSY_EU, &spec), IVRM_OK);
  ivrm_prompt* p = reinterpret_cast<ivrm_prompt*>(0x1);
  spec.struct_size = sizeof spec - 1;
  EXPECT_EQ(ivrm_prompt_tone(&spec, 8000, &p), IVRM_ERR_CONFIG);
  EXPECT_EQ(p, nullptr);
  struct {
    ivrm_tone_spec v1;
    uint64_t future;
  } v2{};
  ASSERT_EQ(ivrm_call_progress(IVRM_BUSY_EU, &v2.v1), IVRM_OK);
  v2.v1.struct_size = sizeof v2;
  ASSERT_EQ(ivrm_prompt_tone(&v2.v1, 8000, &p), IVRM_OK);
  ivrm_prompt_release(p);
  v2.future = 1;
  EXPECT_EQ(ivrm_prompt_tone(&v2.v1, 8000, &p), IVRM_ERR_UNSUPPORTED);
  EXPECT_EQ(p, nullptr);
}

// Every call on a NULL handle is IVRM_ERR_NULL (and clears its count out-parameter).
TEST(CApiMixInvariants, NullHandlesAreRefused) {
  float f[160] = {};
  int16_t s[160] = {};
  size_t n = 7;
  int flag = 7;
  int32_t i32 = 7;
  ivrm_prompt_info pi{};
  pi.struct_size = sizeof pi;
  ivrm_player_state ps{};
  ps.struct_size = sizeof ps;
  ivrm_mixer_stats ms{};
  ms.struct_size = sizeof ms;
  ivrm_player_event events[2];
  ivrm_barge_in_event be{};
  ivrm_prompt* out = nullptr;
  char why[16];

  EXPECT_EQ(ivrm_prompt_get_info(nullptr, &pi), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_prompt_retain(nullptr), IVRM_ERR_NULL);
  ivrm_prompt_release(nullptr);
  EXPECT_EQ(ivrm_prompt_cache_get(nullptr, "x.wav", 8000, &out, why, sizeof why), IVRM_ERR_NULL);
  EXPECT_EQ(out, nullptr);
  EXPECT_EQ(ivrm_prompt_cache_put(nullptr, "k", nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_prompt_cache_size(nullptr, &n), IVRM_ERR_NULL);
  EXPECT_EQ(n, 0u);
  n = 7;
  EXPECT_EQ(ivrm_prompt_cache_memory_bytes(nullptr, &n), IVRM_ERR_NULL);
  EXPECT_EQ(n, 0u);
  n = 7;
  EXPECT_EQ(ivrm_prompt_cache_evict_unused(nullptr, &n), IVRM_ERR_NULL);
  EXPECT_EQ(n, 0u);

  EXPECT_EQ(ivrm_player_play(nullptr, nullptr, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_player_queue(nullptr, nullptr, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_player_stop(nullptr, -1), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_player_pause(nullptr, -1), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_player_resume(nullptr, -1), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_player_seek(nullptr, 0), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_player_set_gain_db(nullptr, 0), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_player_barge_in(nullptr, IVRM_STOP_BARGE_IN_VOICE, 0, &flag), IVRM_ERR_NULL);
  EXPECT_EQ(flag, 0);
  EXPECT_EQ(ivrm_player_render_float(nullptr, f, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_player_render_int16(nullptr, s, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_player_render_add_float(nullptr, f, 160), IVRM_ERR_NULL);
  n = 7;
  EXPECT_EQ(ivrm_player_read_events(nullptr, events, 2, &n), IVRM_ERR_NULL);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(ivrm_player_get_state(nullptr, &ps), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_player_collect(nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_player_reset(nullptr), IVRM_ERR_NULL);

  flag = 7;
  EXPECT_EQ(ivrm_barge_in_process_float(nullptr, f, 160, &flag, &be), IVRM_ERR_NULL);
  EXPECT_EQ(flag, 0);
  EXPECT_EQ(ivrm_barge_in_process_int16(nullptr, s, 160, &flag, &be), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_barge_in_key_down(nullptr, '1', &flag, &be), IVRM_ERR_NULL);
  flag = 7;
  EXPECT_EQ(ivrm_barge_in_speaking(nullptr, &flag), IVRM_ERR_NULL);
  EXPECT_EQ(flag, 0);
  EXPECT_EQ(ivrm_barge_in_reset(nullptr), IVRM_ERR_NULL);

  const float* src[1] = {f};
  EXPECT_EQ(ivrm_mixer_process_float(nullptr, src, nullptr, 1, nullptr, nullptr, 0, f, 160),
            IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_mixer_process_int16(nullptr, src, nullptr, 1, nullptr, nullptr, 0, s, 160),
            IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_mixer_set_foreground_active(nullptr, 1), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_mixer_get_stats(nullptr, &ms), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_mixer_reset(nullptr), IVRM_ERR_NULL);

  float* dst[1] = {f};
  const int16_t* src16[1] = {s};
  int16_t* dst16[1] = {s};
  EXPECT_EQ(ivrm_conference_process_float(nullptr, src, dst, 1, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_conference_process_int16(nullptr, src16, dst16, 1, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_conference_set_talk(nullptr, 0, IVRM_TALK_NOBODY, -1), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_conference_set_gain_db(nullptr, 0, 0), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_conference_reset_leg(nullptr, 0), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_conference_reset(nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_conference_latency_samples(nullptr, &i32), IVRM_ERR_NULL);
  EXPECT_EQ(i32, 0);
  ivrm_conference_leg_stats ls{};
  ls.struct_size = sizeof ls;
  EXPECT_EQ(ivrm_conference_get_leg_stats(nullptr, 0, &ls), IVRM_ERR_NULL);
  double dbfs = 7;
  EXPECT_EQ(ivrm_barge_in_noise_floor_dbfs(nullptr, &dbfs), IVRM_ERR_NULL);
  EXPECT_EQ(dbfs, 0);
}

// Handles that exist, with NULL outputs and absurd sizes: refused or bounded, never trusted.
TEST(CApiMixInvariants, NullOutputsAndAbsurdSizes) {
  ivrm_player_config pc;
  ASSERT_EQ(ivrm_player_config_init(&pc), IVRM_OK);
  ivrm_player* player = nullptr;
  ASSERT_EQ(ivrm_player_create(&pc, &player), IVRM_OK);
  ivrm_mixer_config mc;
  ASSERT_EQ(ivrm_mixer_config_init(&mc), IVRM_OK);
  ivrm_mixer* mixer = nullptr;
  ASSERT_EQ(ivrm_mixer_create(&mc, &mixer), IVRM_OK);
  ivrm_conference_config cc;
  ASSERT_EQ(ivrm_conference_config_init(&cc), IVRM_OK);
  ivrm_conference* conf = nullptr;
  ASSERT_EQ(ivrm_conference_create(&cc, &conf), IVRM_OK);
  ivrm_barge_in_config bc;
  ASSERT_EQ(ivrm_barge_in_config_init(&bc), IVRM_OK);
  ivrm_barge_in* barge = nullptr;
  ASSERT_EQ(ivrm_barge_in_create(&bc, &barge), IVRM_OK);
  float f[160] = {};
  ivrm_player_event events[2];
  size_t n = 7;
  int flag = 0;
  {
    ivrm_test::AllocationScope scope;
    EXPECT_EQ(ivrm_player_render_float(player, nullptr, 160), IVRM_ERR_NULL);
    EXPECT_EQ(ivrm_player_render_int16(player, nullptr, 160), IVRM_ERR_NULL);
    EXPECT_EQ(ivrm_player_render_add_float(player, nullptr, 160), IVRM_ERR_NULL);
    EXPECT_EQ(ivrm_player_render_float(player, nullptr, 0), IVRM_OK);
    EXPECT_EQ(ivrm_player_read_events(player, nullptr, 2, &n), IVRM_ERR_NULL);
    EXPECT_EQ(ivrm_player_read_events(player, events, 2, nullptr), IVRM_ERR_NULL);
    EXPECT_EQ(ivrm_player_read_events(player, events, SIZE_MAX, &n), IVRM_OK);
    EXPECT_EQ(n, 0u);
    EXPECT_EQ(ivrm_player_get_state(player, nullptr), IVRM_ERR_NULL);
    EXPECT_EQ(ivrm_player_seek(player, UINT64_MAX), IVRM_ERR_STATE);  // nothing plays
    EXPECT_EQ(ivrm_barge_in_process_float(barge, nullptr, 160, &flag, nullptr), IVRM_ERR_NULL);
    EXPECT_EQ(ivrm_barge_in_process_float(barge, f, 160, nullptr, nullptr), IVRM_ERR_NULL);
    EXPECT_EQ(ivrm_barge_in_process_int16(barge, nullptr, 160, &flag, nullptr), IVRM_ERR_NULL);
    EXPECT_EQ(ivrm_barge_in_speaking(barge, nullptr), IVRM_ERR_NULL);
    EXPECT_EQ(
        ivrm_mixer_process_float(mixer, nullptr, nullptr, SIZE_MAX, nullptr, nullptr, 0, f, 160),
        IVRM_ERR_RANGE);
    EXPECT_EQ(ivrm_mixer_get_stats(mixer, nullptr), IVRM_ERR_NULL);
    const float* in[1] = {f};
    float* out[1] = {f};
    EXPECT_EQ(ivrm_conference_process_float(conf, in, out, SIZE_MAX, 160), IVRM_ERR_RANGE);
    EXPECT_EQ(ivrm_conference_latency_samples(conf, nullptr), IVRM_ERR_NULL);
    EXPECT_EQ(ivrm_conference_get_leg_stats(conf, 0, nullptr), IVRM_ERR_NULL);
    ivrm_conference_leg_stats ls{};
    ls.struct_size = sizeof ls;
    EXPECT_EQ(ivrm_conference_get_leg_stats(conf, -1, &ls), IVRM_ERR_RANGE);
    EXPECT_EQ(ivrm_conference_get_leg_stats(conf, INT32_MAX, &ls), IVRM_ERR_RANGE);
    ls.struct_size = 4;
    EXPECT_EQ(ivrm_conference_get_leg_stats(conf, 0, &ls), IVRM_ERR_CONFIG);
    EXPECT_EQ(ivrm_barge_in_noise_floor_dbfs(barge, nullptr), IVRM_ERR_NULL);
    EXPECT_EQ(scope.count(), 0);
  }
  ivrm_barge_in_destroy(barge);
  ivrm_conference_destroy(conf);
  ivrm_mixer_destroy(mixer);
  ivrm_player_destroy(player);
}

}  // namespace
