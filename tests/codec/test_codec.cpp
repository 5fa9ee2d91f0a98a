// codec::Encoder / codec::Decoder / codec::Registry: payload formats by name and number
// (RFC 3551 static types, RFC 7587 opus clock), configs each format refuses, round trips
// against the coders underneath (G.711, G.722, L16 in network byte order), malformed payloads,
// concealment sizes and the real-time rule (no allocation after creation).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/g711.hpp"
#include "ivrmedia/g722.hpp"
#include "sim/speech_like.hpp"
#include "support/alloc_counter.hpp"

namespace {

using ivrmedia::Error;
using ivrmedia::Status;
namespace codec = ivrmedia::codec;

codec::EncoderConfig enc(std::string name, int clock = 0, int channels = 0, int ptime = 20) {
  codec::EncoderConfig c;
  c.format = {std::move(name), clock, channels};
  c.ptime_ms = ptime;
  return c;
}
codec::DecoderConfig dec(std::string name, int clock = 0, int channels = 0) {
  codec::DecoderConfig c;
  c.format = {std::move(name), clock, channels};
  return c;
}

Status creation_status(auto&& make) {
  try {
    make();
  } catch (const Error& e) {
    return e.status();
  }
  return Status::ok;
}

TEST(CodecRegistry, NamesAreCaseInsensitiveAndUnknownNamesSayWhich) {
  EXPECT_EQ(codec::make_encoder(enc("pcmu"))->info().kind, codec::Kind::pcmu);
  EXPECT_EQ(codec::make_decoder(dec("Opus"))->info().kind, codec::Kind::opus);
  try {
    (void)codec::make_decoder(dec("AMR-WB", 16000));
    FAIL() << "unknown payload accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), Status::unsupported);
    EXPECT_NE(std::string(e.what()).find("AMR-WB"), std::string::npos);
  }
}

TEST(CodecRegistry, Rfc3551StaticPayloadTypes) {
  codec::Format f;
  ASSERT_TRUE(codec::Registry::static_format(0, &f));
  EXPECT_EQ(f.name, "PCMU");
  ASSERT_TRUE(codec::Registry::static_format(8, &f));
  EXPECT_EQ(f.name, "PCMA");
  ASSERT_TRUE(codec::Registry::static_format(9, &f));
  EXPECT_EQ(f.name, "G722");
  EXPECT_EQ(f.clock_rate_hz, 8000);
  EXPECT_FALSE(codec::Registry::static_format(10, &f));  // L16 44.1 kHz stereo: not carried
  EXPECT_FALSE(codec::Registry::static_format(18, &f));  // G729
  EXPECT_FALSE(codec::Registry::static_format(96, &f));  // dynamic: bound by SDP
  EXPECT_FALSE(codec::Registry::static_format(-1, &f));
}

TEST(CodecRegistry, HostsCanAddTheirOwnFormat) {
  codec::Registry r = codec::Registry::standard();
  r.add({"x-pcmu-alias", 8000,
         [](const codec::EncoderConfig& c) {
           auto c2 = c;
           c2.format.name = "PCMU";
           return codec::make_encoder(c2);
         },
         nullptr});
  EXPECT_EQ(r.make_encoder(enc("X-PCMU-ALIAS"))->info().kind, codec::Kind::pcmu);
  EXPECT_EQ(creation_status([&] { (void)r.make_decoder(dec("x-pcmu-alias")); }),
            Status::unsupported);
}

TEST(CodecRegistry, RefusesWhatAFormatCannotTake) {
  const auto bad = [](auto cfg, bool encoder) {
    return creation_status([&] {
      if constexpr (std::is_same_v<decltype(cfg), codec::EncoderConfig>) {
        (void)encoder;
        (void)codec::make_encoder(cfg);
      } else {
        (void)codec::make_decoder(cfg);
      }
    });
  };
  EXPECT_EQ(bad(enc("G722", 16000), true), Status::bad_config);  // RFC 3551: clock is 8000
  EXPECT_EQ(bad(enc("opus", 8000), true), Status::bad_config);   // RFC 7587: clock is 48000
  EXPECT_EQ(bad(enc("PCMU", 0, 0, 5), true), Status::bad_config);
  EXPECT_EQ(bad(enc("PCMU", 0, 0, 70), true), Status::bad_config);
  EXPECT_EQ(bad(enc("opus", 0, 0, 30), true), Status::bad_config);
  EXPECT_EQ(bad(enc("PCMU", 0, 2), true), Status::bad_config);
  EXPECT_EQ(bad(dec("L16"), false), Status::bad_config);  // L16 needs its clock rate
  EXPECT_EQ(bad(dec("L16", 44100), false), Status::bad_config);
  EXPECT_EQ(bad(dec("L16", 16000, 3), false), Status::bad_config);
  auto o = enc("opus");
  o.opus.bitrate_bps = 1000;
  EXPECT_EQ(bad(o, true), Status::bad_config);
  o = enc("opus");
  o.opus.complexity = 11;
  EXPECT_EQ(bad(o, true), Status::bad_config);
  o = enc("opus");
  o.sample_rate_hz = 44100;
  EXPECT_EQ(bad(o, true), Status::bad_config);
  auto d = dec("opus");
  d.max_packet_ms = 200;
  EXPECT_EQ(bad(d, false), Status::bad_config);
  auto p = enc("PCMA");
  p.sample_rate_hz = 16000;  // G.711 is 8 kHz: resample first
  EXPECT_EQ(bad(p, true), Status::bad_config);
}

// RFC 3551 section 4.5.2: G722's RTP clock is 8000 Hz although it samples at 16000 Hz.
// RFC 7587 section 4.1: opus always counts 48000 per second, whatever the PCM rate.
TEST(CodecInfo, RtpClockQuirksOfG722AndOpus) {
  const auto g = codec::make_encoder(enc("G722"));
  EXPECT_EQ(g->info().sample_rate_hz, 16000);
  EXPECT_EQ(g->info().rtp_clock_hz, 8000);
  EXPECT_EQ(g->info().frame_samples, 320);
  EXPECT_EQ(g->info().max_payload_bytes, 160u);
  EXPECT_EQ(codec::rtp_units(g->info(), 320), 160);
  auto oc = enc("opus", 48000, 2, 20);
  oc.sample_rate_hz = 16000;
  const auto o = codec::make_encoder(oc);
  EXPECT_EQ(o->info().frame_samples, 320);
  EXPECT_EQ(o->info().rtp_clock_hz, 48000);
  EXPECT_EQ(codec::rtp_units(o->info(), 320), 960);
  const auto u = codec::make_encoder(enc("PCMU", 8000, 1, 30));
  EXPECT_EQ(u->info().frame_samples, 240);
  EXPECT_EQ(codec::rtp_units(u->info(), 240), 240);
}

// ITU-T G.711 through the interface gives exactly the g711 coder's octets and samples.
TEST(CodecG711, SameAsTheCoderUnderneath) {
  for (const char* name : {"PCMU", "PCMA"}) {
    const auto law =
        std::string(name) == "PCMU" ? ivrmedia::g711::Law::mulaw : ivrmedia::g711::Law::alaw;
    auto e = codec::make_encoder(enc(name));
    auto d = codec::make_decoder(dec(name));
    const auto x = ivrmedia::sim::speech_like_s16(160 * 50, {.sample_rate_hz = 8000});
    std::vector<std::uint8_t> payload(e->info().max_payload_bytes), ref(160);
    std::vector<std::int16_t> y(160), yref(160);
    for (std::size_t f = 0; f < 50; ++f) {
      const std::span frame(x.data() + 160 * f, 160);
      std::size_t written = 0, samples = 0;
      ASSERT_EQ(e->encode(frame, payload, &written), Status::ok);
      ASSERT_EQ(written, 160u);
      ASSERT_EQ(ivrmedia::g711::encode(law, frame, ref), Status::ok);
      ASSERT_TRUE(std::equal(ref.begin(), ref.end(), payload.begin()));
      ASSERT_EQ(d->decode(std::span(payload.data(), written), y, &samples), Status::ok);
      ASSERT_EQ(samples, 160u);
      ASSERT_EQ(ivrmedia::g711::decode(law, ref, yref), Status::ok);
      ASSERT_EQ(y, yref);  // no loss: the concealer only records history
    }
  }
}

// RFC 3551 section 4.5.11: L16 samples go most significant byte first.
TEST(CodecL16, NetworkByteOrderAndExactRoundTrip) {
  auto e = codec::make_encoder(enc("L16", 16000, 2, 10));
  auto d = codec::make_decoder(dec("L16", 16000, 2));
  ASSERT_EQ(e->info().frame_samples, 160);
  std::vector<std::int16_t> x(320);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<std::int16_t>(i * 977 - 30000);
  x[0] = 0x1234;
  x[1] = -2;  // 0xFFFE
  std::vector<std::uint8_t> payload(e->info().max_payload_bytes);
  std::size_t written = 0, samples = 0;
  ASSERT_EQ(e->encode(std::span<const std::int16_t>(x), payload, &written), Status::ok);
  ASSERT_EQ(written, 640u);
  EXPECT_EQ(payload[0], 0x12);
  EXPECT_EQ(payload[1], 0x34);
  EXPECT_EQ(payload[2], 0xFF);
  EXPECT_EQ(payload[3], 0xFE);
  std::vector<std::int16_t> y(320);
  ASSERT_EQ(d->decode(std::span(payload.data(), written), y, &samples), Status::ok);
  EXPECT_EQ(samples, 160u);
  EXPECT_EQ(y, x);
  // float in and out: exact for values on the 16-bit grid
  std::vector<float> xf(320), yf(320);
  for (std::size_t i = 0; i < x.size(); ++i)
    xf[i] = static_cast<float>(x[i]) / 32768.0f;
  ASSERT_EQ(e->encode(std::span<const float>(xf), payload, &written), Status::ok);
  ASSERT_EQ(d->decode(std::span(payload.data(), written), std::span<float>(yf), &samples),
            Status::ok);
  EXPECT_EQ(yf, xf);
}

// ITU-T G.722 through the interface: exactly the g722 coder's octets and samples.
TEST(CodecG722, SameAsTheCoderUnderneath) {
  auto e = codec::make_encoder(enc("G722"));
  auto d = codec::make_decoder(dec("G722"));
  ivrmedia::g722::Encoder re;
  ivrmedia::g722::Decoder rd;
  const auto x = ivrmedia::sim::speech_like_s16(320 * 25, {.sample_rate_hz = 16000});
  std::vector<std::uint8_t> payload(e->info().max_payload_bytes), ref(160);
  std::vector<std::int16_t> y(320), yref(320);
  for (std::size_t f = 0; f < 25; ++f) {
    const std::span frame(x.data() + 320 * f, 320);
    std::size_t written = 0, samples = 0;
    ASSERT_EQ(e->encode(frame, payload, &written), Status::ok);
    ASSERT_EQ(re.encode(frame, ref), Status::ok);
    ASSERT_EQ(written, 160u);
    ASSERT_TRUE(std::equal(ref.begin(), ref.end(), payload.begin()));
    ASSERT_EQ(d->decode(std::span(payload.data(), written), y, &samples), Status::ok);
    ASSERT_EQ(rd.decode(ref, yref), Status::ok);
    ASSERT_EQ(samples, 320u);
    ASSERT_EQ(y, yref);
  }
}

TEST(CodecErrors, SizesAndNullsAreRejectedWithNothingWritten) {
  for (const char* name : {"PCMU", "G722", "opus"}) {
    SCOPED_TRACE(name);
    auto e = codec::make_encoder(enc(name));
    auto d = codec::make_decoder(dec(name));
    const auto n = static_cast<std::size_t>(e->info().frame_samples);
    std::vector<std::int16_t> x(n, 100);
    std::vector<std::uint8_t> payload(e->info().max_payload_bytes, 0xAB);
    std::size_t written = 7;
    EXPECT_EQ(e->encode(std::span<const std::int16_t>(x.data(), n - 2), payload, &written),
              Status::invalid_argument);
    EXPECT_EQ(e->encode(std::span<const std::int16_t>(x), std::span(payload.data(), 1), &written),
              Status::buffer_too_small);
    EXPECT_EQ(e->encode(std::span<const std::int16_t>(x), payload, nullptr), Status::null_pointer);
    EXPECT_EQ(written, 7u);
    EXPECT_TRUE(std::all_of(payload.begin(), payload.end(), [](auto b) { return b == 0xAB; }));
    ASSERT_EQ(e->encode(std::span<const std::int16_t>(x), payload, &written), Status::ok);
    std::vector<std::int16_t> y(n);
    std::size_t samples = 99;
    EXPECT_EQ(d->decode(std::span(payload.data(), written), std::span(y.data(), n - 2), &samples),
              Status::buffer_too_small);
    EXPECT_EQ(d->decode(std::span<const std::uint8_t>(), y, &samples), Status::malformed);
    EXPECT_EQ(d->decode(std::span(payload.data(), written), y, nullptr), Status::null_pointer);
    EXPECT_EQ(samples, 99u);
  }
  auto l16 = codec::make_decoder(dec("L16", 8000));
  std::array<std::uint8_t, 3> odd{1, 2, 3};
  std::array<std::int16_t, 8> y{};
  std::size_t samples = 0;
  EXPECT_EQ(l16->decode(odd, y, &samples), Status::malformed);
  // A payload longer than max_packet_ms (120 ms by default) is refused, not decoded.
  auto u = codec::make_decoder(dec("PCMU"));
  std::vector<std::uint8_t> huge(8 * 121, 0xFF);
  std::vector<std::int16_t> big(huge.size());
  EXPECT_EQ(u->decode(huge, big, &samples), Status::out_of_range);
}

// decode_measured (the jitter buffer's path: the payload was measured at arrival) decodes
// exactly like decode() on a twin decoder, frame after frame, and still refuses a short buffer.
TEST(CodecDecodeMeasured, SameAsDecodeAndRefusesAShortBuffer) {
  for (const char* name : {"PCMU", "PCMA", "G722", "opus"}) {
    SCOPED_TRACE(name);
    auto e = codec::make_encoder(enc(name));
    auto a = codec::make_decoder(dec(name));
    auto b = codec::make_decoder(dec(name));
    const auto n = static_cast<std::size_t>(e->info().frame_samples);
    const auto pcm = ivrmedia::sim::speech_like(5 * n, {e->info().sample_rate_hz, -20.0, 7});
    std::vector<std::uint8_t> payload(e->info().max_payload_bytes);
    for (std::size_t k = 0; k < 5; ++k) {
      std::size_t written = 0;
      ASSERT_EQ(e->encode(std::span(pcm.data() + k * n, n), payload, &written), Status::ok);
      const std::span<const std::uint8_t> p(payload.data(), written);
      std::size_t measured = 0;
      ASSERT_EQ(a->samples_in(p, &measured), Status::ok);
      std::vector<float> x(measured), y(measured);
      EXPECT_EQ(b->decode_measured(p, measured, std::span(y.data(), measured - 1)),
                Status::buffer_too_small);
      std::size_t got = 0;
      ASSERT_EQ(a->decode(p, x, &got), Status::ok);
      ASSERT_EQ(b->decode_measured(p, measured, y), Status::ok);
      EXPECT_EQ(got, measured);
      EXPECT_EQ(0, std::memcmp(x.data(), y.data(), measured * sizeof(float)));
    }
  }
}

TEST(CodecConceal, SizeRulesPerFormat) {
  auto o = codec::make_decoder(dec("opus"));
  std::vector<float> buf(48 * 120);
  EXPECT_EQ(o->conceal(std::span(buf.data(), 480)), Status::ok);                // 10 ms
  EXPECT_EQ(o->conceal(std::span(buf.data(), 100)), Status::invalid_argument);  // not 2.5 ms
  EXPECT_EQ(o->conceal(std::span(buf.data(), 0)), Status::ok);
  auto g = codec::make_decoder(dec("G722"));
  std::vector<std::int16_t> s(16 * 120 + 2);
  EXPECT_EQ(g->conceal(std::span(s.data(), 321)), Status::invalid_argument);  // octet = 2 samples
  EXPECT_EQ(g->conceal(std::span(s.data(), 320)), Status::ok);
  EXPECT_EQ(g->conceal(std::span(s.data(), s.size())), Status::out_of_range);
  auto l = codec::make_decoder(dec("L16", 48000, 2));
  EXPECT_EQ(l->conceal(std::span(buf.data(), 961)), Status::invalid_argument);  // not whole frames
  EXPECT_EQ(l->conceal(std::span(buf.data(), 960)), Status::ok);
}

// Malformed and truncated payloads give a status, never a crash or an out-of-bounds read
// (this test earns its keep under AddressSanitizer). Fixed seed, printed.
TEST(CodecErrors, RandomPayloadsNeverCrash) {
  const unsigned seed = 20261127;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  for (auto cfg : {dec("PCMU"), dec("PCMA"), dec("G722"), dec("L16", 16000, 2), dec("opus"), [] {
                     auto c = dec("opus", 48000, 2);
                     c.sample_rate_hz = 8000;
                     return c;
                   }()}) {
    auto d = codec::make_decoder(cfg);
    std::vector<float> out(d->info().max_samples * d->info().channels);
    int ok = 0, refused = 0;
    for (int i = 0; i < 3000; ++i) {
      std::vector<std::uint8_t> p(rng() % 1400);
      for (auto& b : p)
        b = static_cast<std::uint8_t>(rng());
      std::size_t samples = 0;
      const Status s = d->decode(p, out, &samples);
      if (s == Status::ok) {
        ++ok;
        ASSERT_LE(samples, d->info().max_samples);
      } else {
        ++refused;
        ASSERT_TRUE(s == Status::malformed || s == Status::out_of_range) << static_cast<int>(s);
      }
    }
    // Random bytes of a valid size decode (G.711, G.722 and L16 accept any octets; some
    // random opus TOCs are valid), and over-long or ill-sized ones are refused.
    EXPECT_GT(ok, 0);
    EXPECT_GT(refused, 0);
  }
}

// Real-time rule: after creation, encode, decode, conceal and decode_fec never allocate.
TEST(CodecRealtime, NoAllocationAfterCreation) {
  for (auto [e_cfg, d_cfg] :
       {std::pair{enc("PCMU"), dec("PCMU")}, std::pair{enc("PCMA"), dec("PCMA")},
        std::pair{enc("G722"), dec("G722")}, std::pair{enc("L16", 48000, 2), dec("L16", 48000, 2)},
        std::pair{enc("opus"), dec("opus")}}) {
    SCOPED_TRACE(e_cfg.format.name);
    auto e = codec::make_encoder(e_cfg);
    auto d = codec::make_decoder(d_cfg);
    const std::size_t n = static_cast<std::size_t>(e->info().frame_samples) * e->info().channels;
    const auto x = ivrmedia::sim::speech_like(n * 10, {.sample_rate_hz = e->info().sample_rate_hz});
    std::vector<std::uint8_t> payload(e->info().max_payload_bytes);
    std::vector<float> y(n);
    std::vector<std::int16_t> ys(n);
    ivrm_test::AllocationScope scope;
    for (int f = 0; f < 10; ++f) {
      std::size_t written = 0, samples = 0;
      ASSERT_EQ(e->encode(std::span(x.data() + n * f, n), payload, &written), Status::ok);
      ASSERT_EQ(d->decode(std::span(payload.data(), written), std::span<float>(y), &samples),
                Status::ok);
      ASSERT_EQ(d->decode(std::span(payload.data(), written), std::span(ys), &samples), Status::ok);
      ASSERT_EQ(d->conceal(std::span<float>(y)), Status::ok);
      ASSERT_EQ(d->conceal(std::span(ys)), Status::ok);
      ASSERT_EQ(d->decode_fec(std::span(payload.data(), written), std::span<float>(y)), Status::ok);
    }
    e->reset();
    d->reset();
    EXPECT_EQ(scope.count(), 0);
  }
}

}  // namespace
