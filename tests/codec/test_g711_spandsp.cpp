// Peer check: ivrmedia's G.711 against spandsp (Debian libspandsp-dev), which follows the ITU-T
// G.191 reference: all 65536 inputs, all 256 codes, both direct conversions.
//
// One known difference: spandsp 0.0.6 (Debian's) takes a negative sample's mu-law magnitude as
// its two's complement (-x); G.191, later spandsp and ivrmedia take the ones' complement (~x =
// -x - 1). For x <= -2 ivrmedia's code for x is then spandsp 0.0.6's code for x + 1. The test
// detects which convention the installed spandsp has and checks the exact relation.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>

#include "ivrmedia/g711.hpp"
#include "support/simd_levels.hpp"

#include "support/spandsp.hpp"

using ivrmedia::Status;
using ivrmedia::g711::Coder;
using ivrmedia::g711::Law;

TEST(G711Spandsp, EncodeDecodeTranscodeBitExactOnEveryLevel) {
  std::vector<int16_t> pcm(65536);
  for (int i = 0; i < 65536; ++i)
    pcm[i] = static_cast<int16_t>(i - 32768);
  std::vector<uint8_t> codes(256);
  for (int i = 0; i < 256; ++i)
    codes[i] = static_cast<uint8_t>(i);

  const bool spandsp_twos_complement_ulaw = linear_to_ulaw(-31612) == 0x00;  // ~x gives 0x01
  if (spandsp_twos_complement_ulaw) {
    std::printf("note: installed spandsp encodes negative mu-law samples from -x, not ~x\n");
  }
  auto spandsp_ulaw = [&](int16_t x) -> uint8_t {
    return (spandsp_twos_complement_ulaw && x <= -2) ? linear_to_ulaw(x + 1) : linear_to_ulaw(x);
  };

  for (auto level : ivrm_test::supported_simd_levels()) {
    SCOPED_TRACE(ivrmedia::simd_name(level));
    const Coder mu({Law::mulaw, level});
    const Coder a({Law::alaw, level});
    std::vector<uint8_t> mu_codes(pcm.size()), a_codes(pcm.size());
    ASSERT_EQ(mu.encode(pcm, mu_codes), Status::ok);
    ASSERT_EQ(a.encode(pcm, a_codes), Status::ok);
    for (size_t i = 0; i < pcm.size(); ++i) {
      ASSERT_EQ(mu_codes[i], spandsp_ulaw(pcm[i])) << pcm[i];
      ASSERT_EQ(a_codes[i], linear_to_alaw(pcm[i])) << pcm[i];
    }
    std::vector<int16_t> mu_pcm(256), a_pcm(256);
    std::vector<uint8_t> mu_to_a(256), a_to_mu(256);
    ASSERT_EQ(mu.decode(codes, mu_pcm), Status::ok);
    ASSERT_EQ(a.decode(codes, a_pcm), Status::ok);
    ASSERT_EQ(mu.transcode(codes, mu_to_a), Status::ok);
    ASSERT_EQ(a.transcode(codes, a_to_mu), Status::ok);
    for (int c = 0; c < 256; ++c) {
      const auto code = static_cast<uint8_t>(c);
      EXPECT_EQ(mu_pcm[c], ulaw_to_linear(code)) << c;
      EXPECT_EQ(a_pcm[c], alaw_to_linear(code)) << c;
      EXPECT_EQ(mu_to_a[c], ulaw_to_alaw(code)) << c;
      EXPECT_EQ(a_to_mu[c], alaw_to_ulaw(code)) << c;
    }
  }
}
