// C API invariants of the codec handles (ivrm_encoder, ivrm_decoder): config defaults equal to
// the C++ ones, growable configs, NULLs and sizes on every call, unknown payload names,
// RFC 3551 static payload types and RTP clocks (G722 at 8000, opus RFC 7587 at 48000), round
// trips identical to the C++ API, concealment and FEC sizes, malformed payloads, and no
// allocation in processing calls.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/ivrmedia.h"
#include "sim/speech_like.hpp"
#include "support/alloc_counter.hpp"
#include "support/capi_create.hpp"

namespace {

namespace codec = ivrmedia::codec;
using ivrmedia::Status;

ivrm_encoder_config enc_config(const char* name, int32_t clock = 0, int32_t format_channels = 0) {
  ivrm_encoder_config c;
  EXPECT_EQ(ivrm_encoder_config_init(&c), IVRM_OK);
  c.payload_name = name;
  c.clock_rate_hz = clock;
  c.format_channels = format_channels;
  return c;
}

ivrm_decoder_config dec_config(const char* name, int32_t clock = 0, int32_t format_channels = 0) {
  ivrm_decoder_config c;
  EXPECT_EQ(ivrm_decoder_config_init(&c), IVRM_OK);
  c.payload_name = name;
  c.clock_rate_hz = clock;
  c.format_channels = format_channels;
  return c;
}

// Owning wrappers so a failed assertion does not leak a handle.
struct Encoder {
  explicit Encoder(const ivrm_encoder_config& c) { status = ivrm_encoder_create(&c, &h); }
  ~Encoder() { ivrm_encoder_destroy(h); }
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;
  [[nodiscard]] ivrm_codec_info info() const {
    ivrm_codec_info i{};
    i.struct_size = sizeof i;
    EXPECT_EQ(ivrm_encoder_info(h, &i), IVRM_OK);
    return i;
  }
  ivrm_encoder* h = nullptr;
  ivrm_status status;
};

struct Decoder {
  explicit Decoder(const ivrm_decoder_config& c) { status = ivrm_decoder_create(&c, &h); }
  ~Decoder() { ivrm_decoder_destroy(h); }
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;
  [[nodiscard]] ivrm_codec_info info() const {
    ivrm_codec_info i{};
    i.struct_size = sizeof i;
    EXPECT_EQ(ivrm_decoder_info(h, &i), IVRM_OK);
    return i;
  }
  ivrm_decoder* h = nullptr;
  ivrm_status status;
};

ivrm_status create_status(const ivrm_encoder_config& c) {
  return ivrm_test::create_status(c, ivrm_encoder_create, ivrm_encoder_destroy);
}

ivrm_status create_status(const ivrm_decoder_config& c) {
  return ivrm_test::create_status(c, ivrm_decoder_create, ivrm_decoder_destroy);
}

TEST(CApiCodec, ConfigInitFillsTheCxxDefaults) {
  EXPECT_EQ(ivrm_encoder_config_init_sized(nullptr, sizeof(ivrm_encoder_config)), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_config_init_sized(nullptr, sizeof(ivrm_decoder_config)), IVRM_ERR_NULL);
  ivrm_encoder_config e;
  std::memset(&e, 0xAB, sizeof e);
  ASSERT_EQ(ivrm_encoder_config_init(&e), IVRM_OK);
  const codec::EncoderConfig ce;
  EXPECT_EQ(e.struct_size, sizeof(ivrm_encoder_config));
  EXPECT_EQ(e.payload_name, nullptr);  // no default: the host names the format
  EXPECT_EQ(e.clock_rate_hz, 0);
  EXPECT_EQ(e.format_channels, 0);
  EXPECT_EQ(e.sample_rate_hz, 0);
  EXPECT_EQ(e.channels, 0);
  EXPECT_EQ(e.ptime_ms, 20);
  EXPECT_EQ(e.ptime_ms, ce.ptime_ms);
  EXPECT_EQ(e.opus_bitrate_bps, 24000);
  EXPECT_EQ(e.opus_bitrate_bps, ce.opus.bitrate_bps);
  EXPECT_EQ(e.opus_complexity, ce.opus.complexity);
  EXPECT_EQ(e.opus_vbr, 1);
  EXPECT_EQ(e.opus_inband_fec, 1);
  EXPECT_EQ(e.opus_expected_loss_percent, ce.opus.expected_loss_percent);
  EXPECT_EQ(e.opus_dtx, 0);
  EXPECT_EQ(e.opus_application, IVRM_OPUS_APPLICATION_VOIP);
  EXPECT_EQ(e.opus_max_bandwidth, IVRM_OPUS_BANDWIDTH_FULL);
  EXPECT_EQ(e.reserved, 0);

  ivrm_decoder_config d;
  std::memset(&d, 0xAB, sizeof d);
  ASSERT_EQ(ivrm_decoder_config_init(&d), IVRM_OK);
  EXPECT_EQ(d.struct_size, sizeof(ivrm_decoder_config));
  EXPECT_EQ(d.payload_name, nullptr);
  EXPECT_EQ(d.clock_rate_hz, 0);
  EXPECT_EQ(d.format_channels, 0);
  EXPECT_EQ(d.sample_rate_hz, 0);
  EXPECT_EQ(d.channels, 0);
  EXPECT_EQ(d.max_packet_ms, 120);
  EXPECT_EQ(d.max_packet_ms, codec::DecoderConfig{}.max_packet_ms);
  EXPECT_EQ(d.reserved, 0);
}

TEST(CApiCodec, CreateRejectsNullsAndClearsOut) {
  ivrm_encoder_config e = enc_config("PCMU");
  ivrm_decoder_config d = dec_config("PCMU");
  ivrm_encoder* eh = reinterpret_cast<ivrm_encoder*>(0x1);
  ivrm_decoder* dh = reinterpret_cast<ivrm_decoder*>(0x1);
  EXPECT_EQ(ivrm_encoder_create(nullptr, &eh), IVRM_ERR_NULL);
  EXPECT_EQ(eh, nullptr);
  EXPECT_EQ(ivrm_decoder_create(nullptr, &dh), IVRM_ERR_NULL);
  EXPECT_EQ(dh, nullptr);
  EXPECT_EQ(ivrm_encoder_create(&e, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_create(&d, nullptr), IVRM_ERR_NULL);
  e.payload_name = nullptr;
  d.payload_name = nullptr;
  EXPECT_EQ(create_status(e), IVRM_ERR_NULL);
  EXPECT_EQ(create_status(d), IVRM_ERR_NULL);
  ivrm_encoder_destroy(nullptr);  // accepted
  ivrm_decoder_destroy(nullptr);
}

// A config struct as a newer header might declare it: one field appended.
struct EncoderConfigV2 {
  ivrm_encoder_config v1;
  int32_t future_field;
  int32_t future_pad;
};
struct DecoderConfigV2 {
  ivrm_decoder_config v1;
  int32_t future_field;
  int32_t future_pad;
};

TEST(CApiCodec, GrowableConfigSizes) {
  ivrm_encoder_config e = enc_config("opus");
  ivrm_decoder_config d = dec_config("opus");
  for (uint32_t size : {0u, 4u, static_cast<uint32_t>(sizeof(ivrm_encoder_config) - 1)}) {
    e.struct_size = size;
    EXPECT_EQ(create_status(e), IVRM_ERR_CONFIG) << size;
  }
  for (uint32_t size : {0u, 4u, static_cast<uint32_t>(sizeof(ivrm_decoder_config) - 1)}) {
    d.struct_size = size;
    EXPECT_EQ(create_status(d), IVRM_ERR_CONFIG) << size;
  }
  // Newer host, new field left at its default (zero): accepted; asking for it: refused.
  EncoderConfigV2 e2{};
  ASSERT_EQ(ivrm_encoder_config_init(&e2.v1), IVRM_OK);
  e2.v1.struct_size = sizeof e2;
  e2.v1.payload_name = "opus";
  e2.v1.channels = 2;
  {
    Encoder enc(e2.v1);
    ASSERT_EQ(enc.status, IVRM_OK);
    EXPECT_EQ(enc.info().channels, 2);
  }
  e2.future_field = 1;
  EXPECT_EQ(create_status(e2.v1), IVRM_ERR_UNSUPPORTED);
  DecoderConfigV2 d2{};
  ASSERT_EQ(ivrm_decoder_config_init(&d2.v1), IVRM_OK);
  d2.v1.struct_size = sizeof d2;
  d2.v1.payload_name = "PCMA";
  EXPECT_EQ(create_status(d2.v1), IVRM_OK);
  d2.future_field = 7;
  EXPECT_EQ(create_status(d2.v1), IVRM_ERR_UNSUPPORTED);
  // `reserved` is the next version's field: nonzero is a request this library cannot serve.
  e = enc_config("PCMU");
  e.reserved = 1;
  EXPECT_EQ(create_status(e), IVRM_ERR_UNSUPPORTED);
  d = dec_config("PCMU");
  d.reserved = 1;
  EXPECT_EQ(create_status(d), IVRM_ERR_UNSUPPORTED);
}

TEST(CApiCodec, UnknownPayloadNamesAreUnsupported) {
  for (const char* name : {"AMR-WB", "G729", "", "PCMU ", "opus/48000"}) {
    EXPECT_EQ(create_status(enc_config(name, 8000)), IVRM_ERR_UNSUPPORTED) << name;
    EXPECT_EQ(create_status(dec_config(name, 8000)), IVRM_ERR_UNSUPPORTED) << name;
  }
  // Names are matched case-insensitively, as SDP encoding names are.
  EXPECT_EQ(create_status(enc_config("pcmu")), IVRM_OK);
  EXPECT_EQ(create_status(dec_config("OPUS", 48000, 2)), IVRM_OK);
  EXPECT_EQ(create_status(dec_config("g722")), IVRM_OK);
}

TEST(CApiCodec, SettingsAFormatCannotTakeAreConfigErrors) {
  EXPECT_EQ(create_status(enc_config("G722", 16000)), IVRM_ERR_CONFIG);  // RFC 3551: 8000
  EXPECT_EQ(create_status(dec_config("G722", 16000)), IVRM_ERR_CONFIG);
  EXPECT_EQ(create_status(enc_config("opus", 8000)), IVRM_ERR_CONFIG);  // RFC 7587: 48000
  EXPECT_EQ(create_status(enc_config("PCMU", 0, 2)), IVRM_ERR_CONFIG);
  EXPECT_EQ(create_status(enc_config("PCMU", -8000)), IVRM_ERR_CONFIG);
  EXPECT_EQ(create_status(dec_config("L16")), IVRM_ERR_CONFIG);  // L16 needs its clock rate
  EXPECT_EQ(create_status(dec_config("L16", 44100, 2)), IVRM_ERR_CONFIG);
  EXPECT_EQ(create_status(dec_config("L16", 16000, 3)), IVRM_ERR_CONFIG);
  EXPECT_EQ(create_status(dec_config("opus", 48000, 3)), IVRM_ERR_CONFIG);
  const auto enc_with = [](auto&& change) {
    ivrm_encoder_config c = enc_config("opus");
    change(c);
    return create_status(c);
  };
  EXPECT_EQ(enc_with([](auto& c) { c.ptime_ms = 30; }), IVRM_ERR_CONFIG);
  EXPECT_EQ(enc_with([](auto& c) { c.sample_rate_hz = 44100; }), IVRM_ERR_CONFIG);
  EXPECT_EQ(enc_with([](auto& c) { c.channels = 3; }), IVRM_ERR_CONFIG);
  EXPECT_EQ(enc_with([](auto& c) { c.opus_bitrate_bps = 1000; }), IVRM_ERR_CONFIG);
  EXPECT_EQ(enc_with([](auto& c) { c.opus_bitrate_bps = 600000; }), IVRM_ERR_CONFIG);
  EXPECT_EQ(enc_with([](auto& c) { c.opus_complexity = 11; }), IVRM_ERR_CONFIG);
  EXPECT_EQ(enc_with([](auto& c) { c.opus_complexity = -1; }), IVRM_ERR_CONFIG);
  EXPECT_EQ(enc_with([](auto& c) { c.opus_expected_loss_percent = 101; }), IVRM_ERR_CONFIG);
  // Enum and 0/1 fields with other values: invalid arguments, as everywhere in the C API.
  EXPECT_EQ(enc_with([](auto& c) { c.opus_vbr = 2; }), IVRM_ERR_INVALID);
  EXPECT_EQ(enc_with([](auto& c) { c.opus_inband_fec = -1; }), IVRM_ERR_INVALID);
  EXPECT_EQ(enc_with([](auto& c) { c.opus_dtx = 5; }), IVRM_ERR_INVALID);
  EXPECT_EQ(enc_with([](auto& c) { c.opus_application = 2; }), IVRM_ERR_INVALID);
  EXPECT_EQ(enc_with([](auto& c) { c.opus_max_bandwidth = 5; }), IVRM_ERR_INVALID);
  EXPECT_EQ(enc_with([](auto& c) { c.opus_max_bandwidth = -1; }), IVRM_ERR_INVALID);
  // Every other valid combination of the enums is accepted.
  EXPECT_EQ(enc_with([](auto& c) {
              c.opus_application = IVRM_OPUS_APPLICATION_AUDIO;
              c.opus_max_bandwidth = IVRM_OPUS_BANDWIDTH_NARROW;
              c.opus_vbr = 0;
              c.opus_inband_fec = 0;
              c.opus_dtx = 1;
            }),
            IVRM_OK);
  for (int32_t ptime : {5, 9, 61, 70}) {
    ivrm_encoder_config c = enc_config("PCMA");
    c.ptime_ms = ptime;
    EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG) << ptime;
  }
  ivrm_encoder_config p = enc_config("PCMA");
  p.sample_rate_hz = 16000;  // G.711 is 8 kHz: resample first
  EXPECT_EQ(create_status(p), IVRM_ERR_CONFIG);
  for (int32_t ms : {0, 9, 121, 200}) {
    ivrm_decoder_config c = dec_config("opus");
    c.max_packet_ms = ms;
    EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG) << ms;
  }
}

// RFC 3551 Table 4: the static payload types of the formats ivrmedia carries.
TEST(CApiCodec, Rfc3551StaticPayloadTypes) {
  const struct {
    int type;
    const char* name;
  } known[] = {{0, "PCMU"}, {8, "PCMA"}, {9, "G722"}};
  for (const auto& k : known) {
    const char* name = nullptr;
    int32_t clock = 0, channels = 0;
    ASSERT_EQ(ivrm_codec_static_payload(k.type, &name, &clock, &channels), IVRM_OK);
    EXPECT_STREQ(name, k.name);
    EXPECT_EQ(clock, 8000);  // also G722: the RTP clock, not the 16 kHz audio rate
    EXPECT_EQ(channels, 1);
    // What it returns creates a coder.
    ivrm_decoder_config c = dec_config(name, clock, channels);
    EXPECT_EQ(create_status(c), IVRM_OK);
  }
  EXPECT_EQ(ivrm_codec_static_payload(9, nullptr, nullptr, nullptr), IVRM_OK);
  for (int type : {-1, 1, 3, 10, 11, 18, 34, 96, 111, 127, 128, 1000}) {
    const char* name = "x";
    int32_t clock = 1, channels = 1;
    EXPECT_EQ(ivrm_codec_static_payload(type, &name, &clock, &channels), IVRM_ERR_UNSUPPORTED)
        << type;
    EXPECT_EQ(name, nullptr);
    EXPECT_EQ(clock, 0);
    EXPECT_EQ(channels, 0);
  }
}

// RFC 3551 section 4.5.2: G722 samples at 16 kHz on an 8 kHz RTP clock. RFC 7587 section 4.1:
// opus counts 48 kHz whatever the PCM rate.
TEST(CApiCodec, InfoReportsRtpClockQuirks) {
  Encoder g(enc_config("G722"));
  ASSERT_EQ(g.status, IVRM_OK);
  ivrm_codec_info i = g.info();
  EXPECT_STREQ(i.name, "G722");
  EXPECT_EQ(i.sample_rate_hz, 16000);
  EXPECT_EQ(i.channels, 1);
  EXPECT_EQ(i.rtp_clock_hz, 8000);
  EXPECT_EQ(i.frame_samples, 320);
  EXPECT_EQ(i.max_payload_bytes, 160u);
  EXPECT_EQ(i.max_samples, 0u);
  Decoder gd(dec_config("G722"));
  ASSERT_EQ(gd.status, IVRM_OK);
  i = gd.info();
  EXPECT_EQ(i.rtp_clock_hz, 8000);
  EXPECT_EQ(i.frame_samples, 0);
  EXPECT_EQ(i.max_payload_bytes, 0u);
  EXPECT_EQ(i.max_samples, 16u * 120u);

  ivrm_encoder_config oc = enc_config("opus", 48000, 2);
  oc.sample_rate_hz = 16000;
  oc.channels = 2;
  oc.ptime_ms = 40;
  Encoder o(oc);
  ASSERT_EQ(o.status, IVRM_OK);
  i = o.info();
  EXPECT_STREQ(i.name, "opus");
  EXPECT_EQ(i.sample_rate_hz, 16000);
  EXPECT_EQ(i.channels, 2);
  EXPECT_EQ(i.rtp_clock_hz, 48000);
  EXPECT_EQ(i.frame_samples, 640);
  EXPECT_GT(i.max_payload_bytes, 0u);
  Encoder u(enc_config("pcmu"));
  EXPECT_STREQ(u.info().name, "PCMU");  // canonical spelling
  EXPECT_EQ(u.info().rtp_clock_hz, 8000);

  // Output struct: NULLs, a struct_size below version 1, and nothing written past struct_size.
  EXPECT_EQ(ivrm_encoder_info(nullptr, &i), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_encoder_info(g.h, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_info(nullptr, &i), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_info(gd.h, nullptr), IVRM_ERR_NULL);
  i.struct_size = sizeof i - 1;
  EXPECT_EQ(ivrm_encoder_info(g.h, &i), IVRM_ERR_CONFIG);
  EXPECT_EQ(ivrm_decoder_info(gd.h, &i), IVRM_ERR_CONFIG);
  struct {
    ivrm_codec_info v1;
    int32_t newer_field;
  } v2;
  std::memset(&v2, 0, sizeof v2);
  v2.v1.struct_size = sizeof v2;
  v2.newer_field = 1234;
  ASSERT_EQ(ivrm_decoder_info(gd.h, &v2.v1), IVRM_OK);
  EXPECT_EQ(v2.v1.sample_rate_hz, 16000);
  EXPECT_EQ(v2.newer_field, 1234);
}

TEST(CApiEncoder, ProcessingRejectsNullsAndWrongSizes) {
  Encoder e(enc_config("PCMU"));
  ASSERT_EQ(e.status, IVRM_OK);
  int16_t pcm[160] = {};
  float pcmf[160] = {};
  uint8_t payload[160];
  size_t written = 7;
  EXPECT_EQ(ivrm_encoder_encode(nullptr, pcm, 160, payload, 160, &written), IVRM_ERR_NULL);
  EXPECT_EQ(written, 0u);
  EXPECT_EQ(ivrm_encoder_encode(e.h, nullptr, 160, payload, 160, &written), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_encoder_encode(e.h, pcm, 160, nullptr, 160, &written), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_encoder_encode(e.h, pcm, 160, payload, 160, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_encoder_encode_float(nullptr, pcmf, 160, payload, 160, &written), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_encoder_encode_float(e.h, nullptr, 160, payload, 160, &written), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_encoder_encode_float(e.h, pcmf, 160, nullptr, 160, &written), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_encoder_encode_float(e.h, pcmf, 160, payload, 160, nullptr), IVRM_ERR_NULL);
  // Exactly one frame, and room for the largest payload.
  written = 7;
  EXPECT_EQ(ivrm_encoder_encode(e.h, pcm, 159, payload, 160, &written), IVRM_ERR_INVALID);
  EXPECT_EQ(written, 0u);
  EXPECT_EQ(ivrm_encoder_encode(e.h, nullptr, 0, payload, 160, &written), IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_encoder_encode_float(e.h, pcmf, 161, payload, 160, &written), IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_encoder_encode(e.h, pcm, 160, payload, 159, &written), IVRM_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(ivrm_encoder_encode(e.h, pcm, 160, nullptr, 0, &written), IVRM_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(written, 0u);
  ASSERT_EQ(ivrm_encoder_encode(e.h, pcm, 160, payload, 160, &written), IVRM_OK);
  EXPECT_EQ(written, 160u);
  EXPECT_EQ(ivrm_encoder_reset(e.h), IVRM_OK);
  EXPECT_EQ(ivrm_encoder_reset(nullptr), IVRM_ERR_NULL);
}

TEST(CApiDecoder, ProcessingRejectsNullsAndWrongSizes) {
  Decoder d(dec_config("PCMU"));
  ASSERT_EQ(d.status, IVRM_OK);
  const uint8_t payload[160] = {};
  int16_t pcm[160];
  float pcmf[160];
  size_t n = 7;
  EXPECT_EQ(ivrm_decoder_samples(nullptr, payload, 160, &n), IVRM_ERR_NULL);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(ivrm_decoder_samples(d.h, nullptr, 160, &n), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_samples(d.h, payload, 160, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_samples(d.h, nullptr, 0, &n), IVRM_ERR_MALFORMED);  // empty payload
  ASSERT_EQ(ivrm_decoder_samples(d.h, payload, 160, &n), IVRM_OK);
  EXPECT_EQ(n, 160u);

  n = 7;
  EXPECT_EQ(ivrm_decoder_decode(nullptr, payload, 160, pcm, 160, &n), IVRM_ERR_NULL);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(ivrm_decoder_decode(d.h, nullptr, 160, pcm, 160, &n), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_decode(d.h, payload, 160, nullptr, 160, &n), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_decode(d.h, payload, 160, pcm, 160, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_decode_float(nullptr, payload, 160, pcmf, 160, &n), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_decode_float(d.h, nullptr, 160, pcmf, 160, &n), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_decode_float(d.h, payload, 160, nullptr, 160, &n), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_decode_float(d.h, payload, 160, pcmf, 160, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_decode(d.h, payload, 160, pcm, 159, &n), IVRM_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(ivrm_decoder_decode(d.h, payload, 160, nullptr, 0, &n), IVRM_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(ivrm_decoder_decode_float(d.h, payload, 160, pcmf, 100, &n), IVRM_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(ivrm_decoder_decode(d.h, nullptr, 0, pcm, 160, &n), IVRM_ERR_MALFORMED);
  EXPECT_EQ(n, 0u);
  // A payload longer than max_packet_ms (120 ms by default) is refused, not decoded.
  std::vector<uint8_t> huge(8 * 121, 0xFF);
  std::vector<int16_t> big(huge.size());
  EXPECT_EQ(ivrm_decoder_samples(d.h, huge.data(), huge.size(), &n), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_decoder_decode(d.h, huge.data(), huge.size(), big.data(), big.size(), &n),
            IVRM_ERR_RANGE);
  ASSERT_EQ(ivrm_decoder_decode(d.h, payload, 160, pcm, 160, &n), IVRM_OK);
  EXPECT_EQ(n, 160u);

  EXPECT_EQ(ivrm_decoder_conceal(nullptr, pcm, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_conceal(d.h, nullptr, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_conceal(d.h, nullptr, 0), IVRM_OK);
  EXPECT_EQ(ivrm_decoder_conceal_float(nullptr, pcmf, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_conceal_float(d.h, nullptr, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_conceal_float(d.h, nullptr, 0), IVRM_OK);
  EXPECT_EQ(ivrm_decoder_decode_fec(nullptr, payload, 160, pcm, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_decode_fec(d.h, nullptr, 160, pcm, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_decode_fec(d.h, payload, 160, nullptr, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_decode_fec(d.h, nullptr, 0, pcm, 160), IVRM_OK);  // next lost too
  EXPECT_EQ(ivrm_decoder_decode_fec_float(nullptr, payload, 160, pcmf, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_decode_fec_float(d.h, nullptr, 160, pcmf, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_decode_fec_float(d.h, payload, 160, nullptr, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_decode_fec_float(d.h, payload, 160, pcmf, 160), IVRM_OK);

  int has_fec = 7;
  EXPECT_EQ(ivrm_decoder_has_fec(nullptr, &has_fec), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_decoder_has_fec(d.h, nullptr), IVRM_ERR_NULL);
  ASSERT_EQ(ivrm_decoder_has_fec(d.h, &has_fec), IVRM_OK);
  EXPECT_EQ(has_fec, 0);
  EXPECT_EQ(ivrm_decoder_reset(d.h), IVRM_OK);
  EXPECT_EQ(ivrm_decoder_reset(nullptr), IVRM_ERR_NULL);
}

// Encodes `x` (interleaved, whole frames) through the C API; returns the payloads.
template <typename T>
std::vector<std::vector<uint8_t>> c_encode_all(ivrm_encoder* e, const std::vector<T>& x) {
  ivrm_codec_info info{};
  info.struct_size = sizeof info;
  EXPECT_EQ(ivrm_encoder_info(e, &info), IVRM_OK);
  const size_t n = static_cast<size_t>(info.frame_samples) * info.channels;
  std::vector<uint8_t> buf(info.max_payload_bytes);
  std::vector<std::vector<uint8_t>> out;
  for (size_t off = 0; off + n <= x.size(); off += n) {
    size_t written = 0;
    ivrm_status s;
    if constexpr (std::is_same_v<T, float>) {
      s = ivrm_encoder_encode_float(e, x.data() + off, n, buf.data(), buf.size(), &written);
    } else {
      s = ivrm_encoder_encode(e, x.data() + off, n, buf.data(), buf.size(), &written);
    }
    EXPECT_EQ(s, IVRM_OK);
    out.emplace_back(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(written));
  }
  return out;
}

// The C API is a thin layer: payloads and samples are exactly the C++ API's.
void expect_same_as_cxx(const char* name, int32_t clock, int32_t format_channels,
                        int32_t sample_rate, int32_t channels, int32_t dec_rate,
                        int32_t dec_channels) {
  SCOPED_TRACE(name);
  ivrm_encoder_config ec = enc_config(name, clock, format_channels);
  ec.sample_rate_hz = sample_rate;
  ec.channels = channels;
  ivrm_decoder_config dc = dec_config(name, clock, format_channels);
  dc.sample_rate_hz = dec_rate;
  dc.channels = dec_channels;
  Encoder e(ec);
  Decoder d(dc);
  ASSERT_EQ(e.status, IVRM_OK);
  ASSERT_EQ(d.status, IVRM_OK);

  codec::EncoderConfig cec;
  cec.format = {name, clock, format_channels};
  cec.sample_rate_hz = sample_rate;
  cec.channels = channels;
  codec::DecoderConfig cdc;
  cdc.format = cec.format;
  cdc.sample_rate_hz = dec_rate;
  cdc.channels = dec_channels;
  auto ce = codec::make_encoder(cec);
  auto cd = codec::make_decoder(cdc);

  const ivrm_codec_info ei = e.info(), di = d.info();
  EXPECT_EQ(ei.sample_rate_hz, ce->info().sample_rate_hz);
  EXPECT_EQ(ei.channels, ce->info().channels);
  EXPECT_EQ(di.sample_rate_hz, cd->info().sample_rate_hz);
  EXPECT_EQ(di.channels, cd->info().channels);
  const auto mono = ivrmedia::sim::speech_like_s16(static_cast<size_t>(ei.sample_rate_hz) / 2,
                                                   {.sample_rate_hz = ei.sample_rate_hz});
  std::vector<int16_t> x(mono.size() * static_cast<size_t>(ei.channels));
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<int16_t>(mono[i / ei.channels] / (1 + static_cast<int>(i % ei.channels)));
  const auto packets = c_encode_all(e.h, x);
  ASSERT_EQ(packets.size(), x.size() / (static_cast<size_t>(ei.frame_samples) * ei.channels));

  std::vector<uint8_t> ref(ce->info().max_payload_bytes);
  std::vector<int16_t> y(di.max_samples * di.channels), yref(y.size());
  std::vector<float> yf(y.size()), yfref(y.size());
  double energy = 0;
  for (size_t k = 0; k < packets.size(); ++k) {
    const size_t n = static_cast<size_t>(ei.frame_samples) * ei.channels;
    size_t written = 0, spc = 0, spc_ref = 0, samples = 0;
    ASSERT_EQ(ce->encode(std::span(x.data() + k * n, n), ref, &written), Status::ok);
    ASSERT_EQ(written, packets[k].size());
    ASSERT_TRUE(std::equal(packets[k].begin(), packets[k].end(), ref.begin())) << k;
    ASSERT_EQ(ivrm_decoder_samples(d.h, packets[k].data(), packets[k].size(), &samples), IVRM_OK);
    ASSERT_EQ(
        ivrm_decoder_decode(d.h, packets[k].data(), packets[k].size(), y.data(), y.size(), &spc),
        IVRM_OK);
    ASSERT_EQ(cd->decode(packets[k], std::span(yref), &spc_ref), Status::ok);
    ASSERT_EQ(spc, spc_ref);
    ASSERT_EQ(spc, samples);
    // One packet's duration, at the decoder's rate.
    ASSERT_EQ(spc * static_cast<size_t>(ei.sample_rate_hz),
              static_cast<size_t>(ei.frame_samples) * static_cast<size_t>(di.sample_rate_hz));
    ASSERT_TRUE(std::equal(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(spc * di.channels),
                           yref.begin()));
    for (size_t i = 0; i < spc * di.channels; ++i)
      energy += static_cast<double>(y[i]) * y[i];
  }
  EXPECT_GT(energy, 0.0);
  // The float paths agree with the C++ float paths as well.
  ASSERT_EQ(ivrm_decoder_reset(d.h), IVRM_OK);
  cd->reset();
  for (const auto& p : packets) {
    size_t spc = 0, spc_ref = 0;
    ASSERT_EQ(ivrm_decoder_decode_float(d.h, p.data(), p.size(), yf.data(), yf.size(), &spc),
              IVRM_OK);
    ASSERT_EQ(cd->decode(p, std::span(yfref), &spc_ref), Status::ok);
    ASSERT_EQ(spc, spc_ref);
    ASSERT_TRUE(std::equal(yf.begin(), yf.begin() + static_cast<std::ptrdiff_t>(spc * di.channels),
                           yfref.begin()));
  }
}

TEST(CApiCodec, RoundTripsAreTheCxxApis) {
  expect_same_as_cxx("PCMU", 0, 0, 0, 0, 0, 0);
  expect_same_as_cxx("PCMA", 8000, 1, 8000, 1, 8000, 1);
  expect_same_as_cxx("G722", 8000, 0, 0, 0, 0, 0);
  expect_same_as_cxx("L16", 16000, 2, 0, 0, 0, 0);
  // RFC 7587: stereo at 48 kHz sent, mono at 16 kHz received, and the other way round.
  expect_same_as_cxx("opus", 48000, 2, 48000, 2, 16000, 1);
  expect_same_as_cxx("opus", 48000, 2, 16000, 1, 48000, 2);
}

// ITU-T G.711 through the C API gives the same octets as the G.711 handle, and the float
// entry point encodes what the int16 one does for samples on the 16-bit grid.
TEST(CApiCodec, PcmuRoundTripMatchesTheG711Handle) {
  Encoder e(enc_config("PCMU"));
  Decoder d(dec_config("PCMU"));
  ASSERT_EQ(e.status, IVRM_OK);
  ASSERT_EQ(d.status, IVRM_OK);
  ivrm_g711_config gc;
  ASSERT_EQ(ivrm_g711_config_init(&gc), IVRM_OK);
  ivrm_g711* g = nullptr;
  ASSERT_EQ(ivrm_g711_create(&gc, &g), IVRM_OK);
  const auto x = ivrmedia::sim::speech_like_s16(160 * 20, {.sample_rate_hz = 8000});
  for (size_t f = 0; f < 20; ++f) {
    const int16_t* frame = x.data() + 160 * f;
    float framef[160];
    for (int i = 0; i < 160; ++i)
      framef[i] = frame[i] / 32768.0f;
    uint8_t p[160], pf[160], ref[160];
    int16_t y[160], yref[160];
    size_t w = 0, wf = 0, n = 0;
    ASSERT_EQ(ivrm_encoder_encode(e.h, frame, 160, p, sizeof p, &w), IVRM_OK);
    ASSERT_EQ(ivrm_encoder_encode_float(e.h, framef, 160, pf, sizeof pf, &wf), IVRM_OK);
    ASSERT_EQ(ivrm_g711_encode(g, frame, 160, ref), IVRM_OK);
    ASSERT_EQ(w, 160u);
    ASSERT_EQ(wf, 160u);
    ASSERT_EQ(std::memcmp(p, ref, 160), 0);
    ASSERT_EQ(std::memcmp(pf, ref, 160), 0);
    ASSERT_EQ(ivrm_decoder_decode(d.h, p, w, y, 160, &n), IVRM_OK);
    ASSERT_EQ(n, 160u);
    ASSERT_EQ(ivrm_g711_decode(g, ref, 160, yref), IVRM_OK);
    ASSERT_EQ(std::memcmp(y, yref, sizeof y), 0);  // no loss: concealment only keeps history
  }
  ivrm_g711_destroy(g);
}

// Concealment and FEC write exactly the requested length, under each format's size rules
// (opus in 2.5 ms steps, G722 in octet pairs, whole frames of all channels). The content comes
// from each format's concealer and is not checked here.
TEST(CApiDecoder, ConcealAndFecSizes) {
  Decoder o(dec_config("opus", 48000, 2));
  ASSERT_EQ(o.status, IVRM_OK);
  int has_fec = 0;
  ASSERT_EQ(ivrm_decoder_has_fec(o.h, &has_fec), IVRM_OK);
  EXPECT_EQ(has_fec, 1);
  std::vector<float> buf(48 * 120 + 8);
  std::vector<int16_t> sbuf(buf.size());
  EXPECT_EQ(ivrm_decoder_conceal_float(o.h, buf.data(), 480), IVRM_OK);  // 10 ms
  EXPECT_EQ(ivrm_decoder_conceal(o.h, sbuf.data(), 120), IVRM_OK);       // 2.5 ms
  EXPECT_EQ(ivrm_decoder_conceal_float(o.h, buf.data(), 100), IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_decoder_conceal_float(o.h, buf.data(), 48 * 120), IVRM_OK);  // 120 ms
  EXPECT_EQ(ivrm_decoder_conceal_float(o.h, buf.data(), 48 * 120 + 120), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_decoder_conceal(o.h, sbuf.data(), 0), IVRM_OK);

  // FEC from a real opus packet of the next 20 ms, and from no packet at all.
  ivrm_encoder_config ec = enc_config("opus");
  ec.opus_expected_loss_percent = 20;
  Encoder e(ec);
  ASSERT_EQ(e.status, IVRM_OK);
  const auto x = ivrmedia::sim::speech_like(960 * 5, {.sample_rate_hz = 48000});
  const auto packets = c_encode_all(e.h, x);
  ASSERT_EQ(packets.size(), 5u);
  const auto& next = packets[4];
  for (size_t n : {size_t{960}, size_t{480}, size_t{1920}}) {
    std::fill(buf.begin(), buf.end(), 2.0f);
    ASSERT_EQ(ivrm_decoder_decode_fec_float(o.h, next.data(), next.size(), buf.data(), n), IVRM_OK)
        << n;
    for (size_t i = 0; i < n; ++i)
      ASSERT_LE(std::abs(buf[i]), 1.0f) << "sample " << i << " of " << n << " not written";
    EXPECT_EQ(buf[n], 2.0f) << "wrote past the requested length";
    ASSERT_EQ(ivrm_decoder_decode_fec(o.h, next.data(), next.size(), sbuf.data(), n), IVRM_OK);
  }
  EXPECT_EQ(ivrm_decoder_decode_fec_float(o.h, next.data(), next.size(), buf.data(), 100),
            IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_decoder_decode_fec_float(o.h, nullptr, 0, buf.data(), 960), IVRM_OK);
  const uint8_t garbage[3] = {0xFF, 0xFF, 0xFF};  // not a valid opus packet: conceals
  EXPECT_EQ(ivrm_decoder_decode_fec(o.h, garbage, 3, sbuf.data(), 960), IVRM_OK);

  Decoder g(dec_config("G722"));
  ASSERT_EQ(g.status, IVRM_OK);
  ASSERT_EQ(ivrm_decoder_has_fec(g.h, &has_fec), IVRM_OK);
  EXPECT_EQ(has_fec, 0);
  EXPECT_EQ(ivrm_decoder_conceal(g.h, sbuf.data(), 321), IVRM_ERR_INVALID);  // octet = 2 samples
  EXPECT_EQ(ivrm_decoder_conceal(g.h, sbuf.data(), 320), IVRM_OK);
  EXPECT_EQ(ivrm_decoder_conceal(g.h, sbuf.data(), 16 * 120 + 2), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_decoder_decode_fec(g.h, garbage, 3, sbuf.data(), 320), IVRM_OK);  // conceals

  Decoder l(dec_config("L16", 48000, 2));
  ASSERT_EQ(l.status, IVRM_OK);
  EXPECT_EQ(ivrm_decoder_conceal_float(l.h, buf.data(), 961), IVRM_ERR_INVALID);  // 2 channels
  EXPECT_EQ(ivrm_decoder_conceal_float(l.h, buf.data(), 960), IVRM_OK);
  EXPECT_EQ(ivrm_decoder_decode_fec_float(l.h, nullptr, 0, buf.data(), 961), IVRM_ERR_INVALID);

  Decoder u(dec_config("PCMU"));
  ASSERT_EQ(u.status, IVRM_OK);
  EXPECT_EQ(ivrm_decoder_conceal(u.h, sbuf.data(), 8 * 120), IVRM_OK);
  EXPECT_EQ(ivrm_decoder_conceal(u.h, sbuf.data(), 8 * 120 + 1), IVRM_ERR_RANGE);
}

// Malformed and truncated payloads give a status, never a crash or an out-of-bounds read (this
// test earns its keep under AddressSanitizer). Fixed seed, printed.
TEST(CApiDecoder, MalformedPayloadsGiveAStatusNeverACrash) {
  const unsigned seed = 20261128;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  ivrm_decoder_config stereo_8k = dec_config("opus", 48000, 2);
  stereo_8k.sample_rate_hz = 8000;
  stereo_8k.channels = 2;
  for (const ivrm_decoder_config& cfg :
       {dec_config("PCMU"), dec_config("PCMA"), dec_config("G722"), dec_config("L16", 16000, 2),
        dec_config("opus"), stereo_8k}) {
    SCOPED_TRACE(cfg.payload_name);
    Decoder d(cfg);
    ASSERT_EQ(d.status, IVRM_OK);
    const ivrm_codec_info info = d.info();
    std::vector<int16_t> out(info.max_samples * info.channels);
    int ok = 0, refused = 0;
    for (int i = 0; i < 2000; ++i) {
      std::vector<uint8_t> p(rng() % 1400);
      for (auto& b : p)
        b = static_cast<uint8_t>(rng());
      size_t n = 0, samples = 0;
      const ivrm_status s =
          ivrm_decoder_decode(d.h, p.data(), p.size(), out.data(), out.size(), &n);
      const ivrm_status ss = ivrm_decoder_samples(d.h, p.data(), p.size(), &samples);
      if (s == IVRM_OK) {
        ++ok;
        ASSERT_LE(n, info.max_samples);
        ASSERT_EQ(ss, IVRM_OK);
        ASSERT_EQ(samples, n);
      } else {
        ++refused;
        ASSERT_TRUE(s == IVRM_ERR_MALFORMED || s == IVRM_ERR_RANGE) << s;
        ASSERT_EQ(ss, s);
        ASSERT_EQ(n, 0u);
      }
    }
    EXPECT_EQ(ok + refused, 2000);
    // After any of that, the decoder still conceals and decodes a valid-length payload.
    ASSERT_EQ(ivrm_decoder_conceal(d.h, out.data(), 0), IVRM_OK);
  }
  Decoder l16(dec_config("L16", 8000));
  ASSERT_EQ(l16.status, IVRM_OK);
  const uint8_t odd[3] = {1, 2, 3};
  int16_t y[8];
  size_t n = 5;
  EXPECT_EQ(ivrm_decoder_decode(l16.h, odd, 3, y, 8, &n), IVRM_ERR_MALFORMED);
  EXPECT_EQ(n, 0u);
  Decoder opus(dec_config("opus"));
  ASSERT_EQ(opus.status, IVRM_OK);
  // RFC 6716 section 3.2.5 code 3 packet claiming 49 frames (at most 48 are allowed).
  const uint8_t too_many_frames[2] = {0x03, 0x31};
  std::vector<int16_t> big(48 * 120);
  EXPECT_EQ(ivrm_decoder_decode(opus.h, too_many_frames, 2, big.data(), big.size(), &n),
            IVRM_ERR_MALFORMED);
}

// Real-time rule: after creation no C API processing call allocates.
TEST(CApiCodec, ProcessingCallsAllocateNothing) {
  struct Pair {
    ivrm_encoder_config e;
    ivrm_decoder_config d;
  };
  for (const Pair& pair :
       {Pair{enc_config("PCMU"), dec_config("PCMU")}, Pair{enc_config("PCMA"), dec_config("PCMA")},
        Pair{enc_config("G722"), dec_config("G722")},
        Pair{enc_config("L16", 48000, 2), dec_config("L16", 48000, 2)},
        Pair{enc_config("opus"), dec_config("opus")}}) {
    SCOPED_TRACE(pair.e.payload_name);
    Encoder e(pair.e);
    Decoder d(pair.d);
    ASSERT_EQ(e.status, IVRM_OK);
    ASSERT_EQ(d.status, IVRM_OK);
    const ivrm_codec_info ei = e.info();
    const size_t n = static_cast<size_t>(ei.frame_samples) * ei.channels;
    const auto x = ivrmedia::sim::speech_like(n * 10, {.sample_rate_hz = ei.sample_rate_hz});
    std::vector<int16_t> xs(x.size());
    for (size_t i = 0; i < x.size(); ++i)
      xs[i] = static_cast<int16_t>(x[i] * 32767.0f);
    std::vector<uint8_t> payload(ei.max_payload_bytes);
    std::vector<float> y(n);
    std::vector<int16_t> ys(n);
    ivrm_codec_info info{};
    info.struct_size = sizeof info;
    int has_fec = 0;
    ivrm_test::AllocationScope scope;
    for (size_t f = 0; f < 10; ++f) {
      size_t written = 0, spc = 0;
      ASSERT_EQ(ivrm_encoder_encode_float(e.h, x.data() + n * f, n, payload.data(), payload.size(),
                                          &written),
                IVRM_OK);
      ASSERT_EQ(
          ivrm_encoder_encode(e.h, xs.data() + n * f, n, payload.data(), payload.size(), &written),
          IVRM_OK);
      ASSERT_EQ(ivrm_decoder_samples(d.h, payload.data(), written, &spc), IVRM_OK);
      ASSERT_EQ(ivrm_decoder_decode_float(d.h, payload.data(), written, y.data(), y.size(), &spc),
                IVRM_OK);
      ASSERT_EQ(ivrm_decoder_decode(d.h, payload.data(), written, ys.data(), ys.size(), &spc),
                IVRM_OK);
      ASSERT_EQ(ivrm_decoder_conceal_float(d.h, y.data(), y.size()), IVRM_OK);
      ASSERT_EQ(ivrm_decoder_conceal(d.h, ys.data(), ys.size()), IVRM_OK);
      ASSERT_EQ(ivrm_decoder_decode_fec_float(d.h, payload.data(), written, y.data(), y.size()),
                IVRM_OK);
      ASSERT_EQ(ivrm_decoder_decode_fec(d.h, payload.data(), written, ys.data(), ys.size()),
                IVRM_OK);
      ASSERT_EQ(ivrm_encoder_info(e.h, &info), IVRM_OK);
      ASSERT_EQ(ivrm_decoder_info(d.h, &info), IVRM_OK);
      ASSERT_EQ(ivrm_decoder_has_fec(d.h, &has_fec), IVRM_OK);
    }
    ASSERT_EQ(ivrm_encoder_reset(e.h), IVRM_OK);
    ASSERT_EQ(ivrm_decoder_reset(d.h), IVRM_OK);
    const char* name = nullptr;
    ASSERT_EQ(ivrm_codec_static_payload(9, &name, nullptr, nullptr), IVRM_OK);
    EXPECT_EQ(scope.count(), 0);
  }
}

}  // namespace
