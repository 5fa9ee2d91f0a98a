// ITU-T G.711 conformance: every int16 input and every code on every SIMD level the CPU runs,
// against an independent coder written here from the standard's segment tables (G.711 Tables
// 1 and 2 with the ITU-T G.191 input convention), plus G.711 Tables 3 and 4 for mu <-> A.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <ostream>
#include <random>
#include <vector>

#include "codec/g711_standard_tables.hpp"
#include "ivrmedia/g711.hpp"
#include "support/alloc_counter.hpp"
#include "support/simd_levels.hpp"

using ivrmedia::SimdLevel;
using ivrmedia::Status;
using ivrmedia::g711::Coder;
using ivrmedia::g711::Law;

namespace {

// ---- Independent reference, deliberately shaped unlike the library's bit tricks. ----------

// mu-law works on a 14-bit magnitude biased by 33; segment s ends at these biased values.
constexpr int kMuSegmentEnd[8] = {0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF};
// A-law works on a 13-bit magnitude; segment s ends at these values.
constexpr int kASegmentEnd[8] = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};

int magnitude(int x) {
  return x < 0 ? -x - 1 : x;
}  // ones' complement of negatives (G.191)

uint8_t ref_mu_encode(int16_t x) {
  int biased = (magnitude(x) >> 2) + 33;  // 16 -> 14 bits by truncation, then the bias
  if (biased > 0x1FFF) biased = 0x1FFF;
  int seg = 0;
  while (biased > kMuSegmentEnd[seg])
    ++seg;
  const int step = (biased >> (seg + 1)) & 0xF;
  const int code = (seg << 4) | step;
  return static_cast<uint8_t>((~code & 0x7F) | (x >= 0 ? 0x80 : 0x00));
}

int16_t ref_mu_decode(uint8_t code) {
  const int c = ~code & 0xFF;
  const int seg = (c >> 4) & 7;
  const int step = c & 0xF;
  const int value14 = ((2 * step + 33) << seg) - 33;  // mid-point of the decision interval
  const int value16 = value14 * 4;
  return static_cast<int16_t>((c & 0x80) ? -value16 : value16);
}

uint8_t ref_a_encode(int16_t x) {
  const int m13 = magnitude(x) >> 3;
  int seg = 0;
  while (m13 > kASegmentEnd[seg])
    ++seg;
  const int step = seg < 2 ? (m13 >> 1) & 0xF : (m13 >> seg) & 0xF;
  const int code = (seg << 4) | step;
  return static_cast<uint8_t>(code ^ (x >= 0 ? 0xD5 : 0x55));
}

int16_t ref_a_decode(uint8_t code) {
  const int c = code ^ 0x55;
  const int seg = (c >> 4) & 7;
  const int step = c & 0xF;
  const int value13 = seg == 0 ? 2 * step + 1 : (2 * step + 33) << (seg - 1);
  const int value16 = value13 * 8;
  return static_cast<int16_t>((c & 0x80) ? value16 : -value16);
}

uint8_t ref_encode(Law law, int16_t x) {
  return law == Law::mulaw ? ref_mu_encode(x) : ref_a_encode(x);
}
int16_t ref_decode(Law law, uint8_t c) {
  return law == Law::mulaw ? ref_mu_decode(c) : ref_a_decode(c);
}

// Float convention: x * 32768 rounded to nearest-even, saturated, NaN read as 0.
int16_t ref_float_to_s16(float x) {
  const double v = static_cast<double>(x) * 32768.0;
  if (std::isnan(v)) return 0;
  if (v >= 32767.0) return 32767;
  if (v <= -32768.0) return -32768;
  return static_cast<int16_t>(std::nearbyint(v));
}

std::vector<int16_t> all_int16() {
  std::vector<int16_t> v(65536);
  for (int i = 0; i < 65536; ++i)
    v[i] = static_cast<int16_t>(i - 32768);
  return v;
}

std::vector<uint8_t> all_codes() {
  std::vector<uint8_t> v(256);
  for (int i = 0; i < 256; ++i)
    v[i] = static_cast<uint8_t>(i);
  return v;
}

// ---- Parameterised over (law, SIMD level): every dispatch path gets the same tests. ----------

struct Path {
  Law law;
  SimdLevel level;
};

void PrintTo(const Path& p, std::ostream* os) {
  *os << (p.law == Law::mulaw ? "mu-law/" : "A-law/") << ivrmedia::simd_name(p.level);
}

std::vector<Path> all_paths() {
  std::vector<Path> p;
  for (SimdLevel l : ivrm_test::supported_simd_levels()) {
    p.push_back({Law::mulaw, l});
    p.push_back({Law::alaw, l});
  }
  return p;
}

class G711Path : public ::testing::TestWithParam<Path> {
 protected:
  Law law() const { return GetParam().law; }
  Coder coder() const { return Coder({GetParam().law, GetParam().level}); }
};

TEST_P(G711Path, EncodeAll65536InputsMatchesStandard) {
  const auto in = all_int16();
  std::vector<uint8_t> out(in.size());
  ASSERT_EQ(coder().encode(in, out), Status::ok);
  int mismatches = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    if (out[i] != ref_encode(law(), in[i]) && ++mismatches <= 5) {
      ADD_FAILURE() << "input " << in[i] << " gave 0x" << std::hex << int(out[i]) << ", want 0x"
                    << int(ref_encode(law(), in[i]));
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST_P(G711Path, DecodeAll256CodesMatchesStandard) {
  const auto in = all_codes();
  std::vector<int16_t> out(in.size());
  ASSERT_EQ(coder().decode(in, out), Status::ok);
  for (size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out[i], ref_decode(law(), in[i])) << "code " << i;
  }
}

TEST_P(G711Path, DecodeThenEncodeIsIdentityOnEveryCode) {
  // G.711 reconstruction values lie inside their own decision intervals, except mu-law's
  // "negative zero" 0x7F, which decodes to 0 and re-encodes as positive zero 0xFF.
  const auto codes = all_codes();
  std::vector<int16_t> pcm(256);
  std::vector<uint8_t> again(256);
  ASSERT_EQ(coder().decode(codes, pcm), Status::ok);
  ASSERT_EQ(coder().encode(pcm, again), Status::ok);
  for (int c = 0; c < 256; ++c) {
    const int want = (law() == Law::mulaw && c == 0x7F) ? 0xFF : c;
    EXPECT_EQ(again[c], want) << "code " << c;
  }
}

TEST_P(G711Path, EncodeFloatMatchesRoundedInt16) {
  std::vector<float> in;
  for (int i = -32768; i < 32768; ++i) {  // every exact int16 value and every rounding tie
    in.push_back(static_cast<float>(i) / 32768.0f);
    in.push_back((static_cast<float>(i) + 0.5f) / 32768.0f);
  }
  const float specials[] = {0.0f,
                            -0.0f,
                            1.0f,
                            -1.0f,
                            0.99998f,
                            1.5f,
                            -1.5f,
                            1e9f,
                            -1e9f,
                            std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(),
                            std::numeric_limits<float>::quiet_NaN(),
                            -std::numeric_limits<float>::quiet_NaN(),
                            std::numeric_limits<float>::denorm_min(),
                            std::numeric_limits<float>::max(),
                            std::numeric_limits<float>::lowest()};
  in.insert(in.end(), std::begin(specials), std::end(specials));
  std::mt19937 rng(711);
  std::uniform_real_distribution<float> dist(-1.2f, 1.2f);
  for (int i = 0; i < 100000; ++i)
    in.push_back(dist(rng));

  std::vector<uint8_t> out(in.size());
  ASSERT_EQ(coder().encode(std::span<const float>(in), out), Status::ok);
  int mismatches = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const uint8_t want = ref_encode(law(), ref_float_to_s16(in[i]));
    if (out[i] != want && ++mismatches <= 5) {
      ADD_FAILURE() << "float " << in[i] << " gave 0x" << std::hex << int(out[i]) << ", want 0x"
                    << int(want);
    }
  }
  EXPECT_EQ(mismatches, 0);
}

// To the bit: a float decoder must not give -0.0 where the int16 is 0 (mu-law 0x7F).
bool same_bits(float a, float b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

TEST_P(G711Path, DecodeFloatIsInt16OverFullScale) {
  const auto in = all_codes();
  std::vector<float> out(256);
  ASSERT_EQ(coder().decode(in, std::span<float>(out)), Status::ok);
  for (int c = 0; c < 256; ++c) {
    const float want = static_cast<float>(ref_decode(law(), static_cast<uint8_t>(c))) / 32768.0f;
    EXPECT_TRUE(same_bits(out[c], want)) << "code " << c << ": " << out[c] << ", want " << want;
  }
}

TEST_P(G711Path, DecodeFloatEveryLengthAndOffsetIsBitExact) {
  std::vector<uint8_t> codes(600);
  for (size_t i = 0; i < codes.size(); ++i)
    codes[i] = static_cast<uint8_t>(i * 37 + 11);  // every code, in an order no block repeats
  const Coder c = coder();
  for (size_t offset = 0; offset < 4; ++offset) {
    for (size_t n = 0; n + offset <= codes.size(); n += n < 64 ? 1 : 23) {
      std::vector<float> out(n + 1, 2.0f);
      ASSERT_EQ(c.decode(std::span<const uint8_t>(codes).subspan(offset, n),
                         std::span<float>(out).first(n)),
                Status::ok);
      for (size_t i = 0; i < n; ++i) {
        const float want = static_cast<float>(ref_decode(law(), codes[offset + i])) / 32768.0f;
        ASSERT_TRUE(same_bits(out[i], want)) << "n=" << n << " i=" << i;
      }
      EXPECT_EQ(out[n], 2.0f) << "wrote past the end, n=" << n;
    }
  }
}

TEST_P(G711Path, EveryLengthAndOffsetMatchesScalar) {
  // SIMD bodies and scalar tails meet at block edges: sweep lengths and misalignments.
  std::mt19937 rng(3550);
  std::uniform_int_distribution<int> dist(-32768, 32767);
  std::vector<int16_t> pcm(300);
  for (auto& s : pcm)
    s = static_cast<int16_t>(dist(rng));
  std::vector<float> pcmf(pcm.size());
  for (size_t i = 0; i < pcm.size(); ++i)
    pcmf[i] = pcm[i] / 32768.0f;
  const Coder c = coder();
  for (size_t offset = 0; offset < 4; ++offset) {
    for (size_t n = 0; n + offset <= 200; ++n) {
      std::vector<uint8_t> codes(n + 1, 0xA5), codes_f(n + 1, 0xA5);
      ASSERT_EQ(c.encode(std::span(pcm).subspan(offset, n), std::span(codes).first(n)), Status::ok);
      ASSERT_EQ(c.encode(std::span<const float>(pcmf).subspan(offset, n), std::span(codes_f)),
                Status::ok);
      for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(codes[i], ref_encode(law(), pcm[offset + i])) << "n=" << n << " i=" << i;
        ASSERT_EQ(codes_f[i], codes[i]) << "n=" << n << " i=" << i;
      }
      EXPECT_EQ(codes[n], 0xA5) << "wrote past the end, n=" << n;
      std::vector<int16_t> back(n + 1, 0x1234);
      ASSERT_EQ(c.decode(std::span<const uint8_t>(codes).first(n), std::span(back)), Status::ok);
      for (size_t i = 0; i < n; ++i)
        ASSERT_EQ(back[i], ref_decode(law(), codes[i]));
      EXPECT_EQ(back[n], 0x1234) << "wrote past the end, n=" << n;
    }
  }
}

TEST_P(G711Path, ShortOutputIsRefusedAndUntouched) {
  std::vector<int16_t> in(64, 1000);
  std::vector<uint8_t> out(63, 0x11);
  EXPECT_EQ(coder().encode(in, out), Status::buffer_too_small);
  for (uint8_t b : out)
    EXPECT_EQ(b, 0x11);
  std::vector<uint8_t> codes(64, 0);
  std::vector<int16_t> pcm(10, 7);
  EXPECT_EQ(coder().decode(codes, pcm), Status::buffer_too_small);
  for (int16_t s : pcm)
    EXPECT_EQ(s, 7);
}

TEST_P(G711Path, ProcessingAllocatesNothing) {
  const Coder c = coder();
  std::vector<int16_t> pcm(1024, -1234);
  std::vector<float> pcmf(1024, 0.25f);
  std::vector<uint8_t> codes(1024), other(1024);
  std::vector<int16_t> back(1024);
  std::vector<float> backf(1024);
  ivrm_test::AllocationScope scope;
  ASSERT_EQ(c.encode(pcm, codes), Status::ok);
  ASSERT_EQ(c.encode(std::span<const float>(pcmf), codes), Status::ok);
  ASSERT_EQ(c.decode(codes, back), Status::ok);
  ASSERT_EQ(c.decode(codes, std::span<float>(backf)), Status::ok);
  ASSERT_EQ(c.transcode(codes, other), Status::ok);
  EXPECT_EQ(scope.count(), 0);
}

std::string path_name(const ::testing::TestParamInfo<Path>& info) {
  return std::string(info.param.law == Law::mulaw ? "mulaw_" : "alaw_") +
         ivrmedia::simd_name(info.param.level);
}

INSTANTIATE_TEST_SUITE_P(AllPaths, G711Path, ::testing::ValuesIn(all_paths()), path_name);

// ---- Fixed points and tables. ----------------------------------------------------------

TEST(G711, FixedPointsFromTheStandard) {
  using ivrmedia::g711::decode_sample;
  using ivrmedia::g711::encode_sample;
  EXPECT_EQ(encode_sample(Law::mulaw, 0), 0xFF);
  EXPECT_EQ(encode_sample(Law::mulaw, -1), 0x7F);  // ones' complement: -1 is "negative zero"
  EXPECT_EQ(encode_sample(Law::alaw, 0), 0xD5);
  EXPECT_EQ(encode_sample(Law::alaw, -1), 0x55);
  EXPECT_EQ(encode_sample(Law::mulaw, 32767), 0x80);
  EXPECT_EQ(encode_sample(Law::mulaw, -32768), 0x00);
  EXPECT_EQ(encode_sample(Law::alaw, 32767), 0xAA);
  EXPECT_EQ(encode_sample(Law::alaw, -32768), 0x2A);
  EXPECT_EQ(decode_sample(Law::mulaw, 0x80), 32124);
  EXPECT_EQ(decode_sample(Law::mulaw, 0x00), -32124);
  EXPECT_EQ(decode_sample(Law::mulaw, 0xFF), 0);
  EXPECT_EQ(decode_sample(Law::mulaw, 0x7F), 0);
  EXPECT_EQ(decode_sample(Law::alaw, 0xD5), 8);
  EXPECT_EQ(decode_sample(Law::alaw, 0x55), -8);
  EXPECT_EQ(decode_sample(Law::alaw, 0xAA), 32256);
  EXPECT_EQ(decode_sample(Law::alaw, 0x2A), -32256);
}

TEST(G711, TranscodeFollowsTables3And4OnEveryLevel) {
  const auto codes = all_codes();
  for (SimdLevel level : ivrm_test::supported_simd_levels()) {
    std::vector<uint8_t> a(256), mu(256);
    ASSERT_EQ(Coder({Law::mulaw, level}).transcode(codes, a), Status::ok);
    ASSERT_EQ(Coder({Law::alaw, level}).transcode(codes, mu), Status::ok);
    for (int c = 0; c < 256; ++c) {
      EXPECT_EQ(a[c], g711_standard::kMuToA[c]) << "mu-law code " << c;
      EXPECT_EQ(mu[c], g711_standard::kAToMu[c]) << "A-law code " << c;
      EXPECT_EQ(ivrmedia::g711::transcode_sample(Law::mulaw, static_cast<uint8_t>(c)), a[c]);
      EXPECT_EQ(ivrmedia::g711::transcode_sample(Law::alaw, static_cast<uint8_t>(c)), mu[c]);
    }
  }
}

TEST(G711, TranscodeWorksInPlace) {
  auto buf = all_codes();
  ASSERT_EQ(ivrmedia::g711::transcode(Law::mulaw, buf, buf), Status::ok);
  for (int c = 0; c < 256; ++c)
    EXPECT_EQ(buf[c], g711_standard::kMuToA[c]);
}

TEST(G711, TranscodeStaysNearReencoding) {
  // Tables 3 and 4 were designed for transparency of repeated conversion, not as
  // decode-then-encode; still, no entry may land more than one step of the coarser segment
  // (at most 2 * max(|v| / 16, 16) at 16-bit scale) away from the re-encoded value.
  for (int c = 0; c < 256; ++c) {
    const auto code = static_cast<uint8_t>(c);
    const int v = ref_mu_decode(code);
    const int direct = ref_a_decode(g711_standard::kMuToA[c]);
    const int reencoded = ref_a_decode(ref_a_encode(static_cast<int16_t>(v)));
    EXPECT_LE(std::abs(direct - reencoded), 2 * std::max(std::abs(reencoded) / 16, 16))
        << "mu-law code " << c;
  }
}

TEST(G711, FreeFunctionsUseTheBestLevelAndAgree) {
  const auto in = all_int16();
  std::vector<uint8_t> a(in.size()), b(in.size());
  for (Law law : {Law::mulaw, Law::alaw}) {
    ASSERT_EQ(ivrmedia::g711::encode(law, in, a), Status::ok);
    ASSERT_EQ(Coder({law, SimdLevel::scalar}).encode(in, b), Status::ok);
    EXPECT_EQ(a, b);
  }
  EXPECT_EQ(ivrmedia::g711::encode(static_cast<Law>(7), in, a), Status::invalid_argument);
}

TEST(G711, CoderRejectsUnknownLawAndUnsupportedLevel) {
  EXPECT_THROW(Coder({static_cast<Law>(9), SimdLevel::scalar}), ivrmedia::Error);
  EXPECT_THROW(Coder({Law::mulaw, static_cast<SimdLevel>(42)}), ivrmedia::Error);
  const Coder automatic({Law::alaw, SimdLevel::automatic});
  EXPECT_EQ(automatic.simd_level(), ivrmedia::best_simd_level());
  EXPECT_EQ(automatic.law(), Law::alaw);
}

TEST(G711, SpeechLevelSignalToNoise) {
  // G.711's companding keeps SNR near 38 dB over a wide range of levels; check a -20 dBFS tone.
  std::vector<int16_t> pcm(8000);
  for (size_t i = 0; i < pcm.size(); ++i) {
    pcm[i] = static_cast<int16_t>(
        std::lround(3276.0 * std::sin(2 * M_PI * 1004.0 * double(i) / 8000.0)));
  }
  for (Law law : {Law::mulaw, Law::alaw}) {
    std::vector<uint8_t> codes(pcm.size());
    std::vector<int16_t> back(pcm.size());
    ASSERT_EQ(ivrmedia::g711::encode(law, pcm, codes), Status::ok);
    ASSERT_EQ(ivrmedia::g711::decode(law, codes, back), Status::ok);
    double sig = 0, err = 0;
    for (size_t i = 0; i < pcm.size(); ++i) {
      sig += double(pcm[i]) * pcm[i];
      err += double(pcm[i] - back[i]) * (pcm[i] - back[i]);
    }
    EXPECT_GT(10 * std::log10(sig / err), 35.0) << (law == Law::mulaw ? "mu-law" : "A-law");
  }
}

}  // namespace
