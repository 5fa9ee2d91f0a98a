// C API invariants of the transcoder handle (ivrm_transcoder): config defaults (both embedded
// codec configs initialised), growable configs with embedded growable configs, NULLs and sizes,
// unknown payloads, push/pull round trips (PCMU -> PCMA is exactly G.711 decode then encode;
// G722 -> PCMU and opus -> PCMA equal to the C++ Transcoder, statistics included, and RTP
// timestamps locked to the input leg), back-pressure, loss and FEC sizes, and no allocation in
// processing calls.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/ivrmedia.h"
#include "ivrmedia/transcoder.hpp"
#include "sim/speech_like.hpp"
#include "support/alloc_counter.hpp"
#include "support/capi_create.hpp"

namespace {

namespace codec = ivrmedia::codec;
using ivrmedia::Status;
using Payloads = std::vector<std::vector<uint8_t>>;

ivrm_transcoder_config config(const char* in, const char* out, int32_t ptime_ms = 20) {
  ivrm_transcoder_config c;
  EXPECT_EQ(ivrm_transcoder_config_init(&c), IVRM_OK);
  c.input.payload_name = in;
  c.output.payload_name = out;
  c.output.ptime_ms = ptime_ms;
  return c;
}

// Owning wrapper so a failed assertion does not leak a handle.
struct Transcoder {
  explicit Transcoder(const ivrm_transcoder_config& c) { status = ivrm_transcoder_create(&c, &h); }
  ~Transcoder() { ivrm_transcoder_destroy(h); }
  Transcoder(const Transcoder&) = delete;
  Transcoder& operator=(const Transcoder&) = delete;
  [[nodiscard]] ivrm_codec_info input() const {
    ivrm_codec_info i{};
    i.struct_size = sizeof i;
    EXPECT_EQ(ivrm_transcoder_input_info(h, &i), IVRM_OK);
    return i;
  }
  [[nodiscard]] ivrm_codec_info output() const {
    ivrm_codec_info i{};
    i.struct_size = sizeof i;
    EXPECT_EQ(ivrm_transcoder_output_info(h, &i), IVRM_OK);
    return i;
  }
  [[nodiscard]] ivrm_transcoder_stats stats() const {
    ivrm_transcoder_stats s{};
    s.struct_size = sizeof s;
    EXPECT_EQ(ivrm_transcoder_get_stats(h, &s), IVRM_OK);
    return s;
  }
  // Pulls every ready payload into `out` (when given); returns how many.
  int drain(Payloads* out = nullptr) const {
    std::vector<uint8_t> buf(output().max_payload_bytes);
    int count = 0;
    for (;;) {
      size_t written = 0;
      EXPECT_EQ(ivrm_transcoder_pull(h, buf.data(), buf.size(), &written), IVRM_OK);
      if (written == 0) return count;
      ++count;
      if (out) out->emplace_back(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(written));
    }
  }
  ivrm_transcoder* h = nullptr;
  ivrm_status status;
};

ivrm_status create_status(const ivrm_transcoder_config& c) {
  return ivrm_test::create_status(c, ivrm_transcoder_create, ivrm_transcoder_destroy);
}

// Encodes `x` with the C++ encoder of `name` in packets of `ptime` ms.
Payloads packets_of(const codec::Format& f, const std::vector<float>& x, int rate = 0,
                    int ptime = 20) {
  codec::EncoderConfig c;
  c.format = f;
  c.ptime_ms = ptime;
  c.sample_rate_hz = rate;
  auto e = codec::make_encoder(c);
  const size_t n = static_cast<size_t>(e->info().frame_samples) * e->info().channels;
  Payloads p;
  std::vector<uint8_t> buf(e->info().max_payload_bytes);
  for (size_t off = 0; off + n <= x.size(); off += n) {
    size_t written = 0;
    EXPECT_EQ(e->encode(std::span(x.data() + off, n), buf, &written), Status::ok);
    p.emplace_back(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(written));
  }
  return p;
}

TEST(CApiTranscoder, ConfigInitFillsBothEmbeddedConfigs) {
  EXPECT_EQ(
      ivrm_transcoder_config_init_sized(nullptr, sizeof(ivrm_transcoder_config),
                                        sizeof(ivrm_decoder_config), sizeof(ivrm_encoder_config)),
      IVRM_ERR_NULL);
  ivrm_transcoder_config c;
  std::memset(&c, 0xAB, sizeof c);
  ASSERT_EQ(ivrm_transcoder_config_init(&c), IVRM_OK);
  EXPECT_EQ(c.struct_size, sizeof(ivrm_transcoder_config));
  EXPECT_EQ(c.quality, IVRM_RESAMPLE_STANDARD);
  EXPECT_EQ(c.quality, static_cast<int32_t>(codec::Transcoder::Config{}.quality));
  EXPECT_EQ(c.reserved, 0);
  // The embedded configs are exactly what their own config_init gives.
  ivrm_decoder_config d;
  ivrm_encoder_config e;
  std::memset(&d, 0, sizeof d);
  std::memset(&e, 0, sizeof e);
  ASSERT_EQ(ivrm_decoder_config_init(&d), IVRM_OK);
  ASSERT_EQ(ivrm_encoder_config_init(&e), IVRM_OK);
  EXPECT_EQ(c.input.struct_size, sizeof(ivrm_decoder_config));
  EXPECT_EQ(c.output.struct_size, sizeof(ivrm_encoder_config));
  EXPECT_EQ(c.input.payload_name, nullptr);
  EXPECT_EQ(c.output.payload_name, nullptr);
  EXPECT_EQ(c.input.max_packet_ms, 120);
  EXPECT_EQ(c.output.ptime_ms, 20);
  EXPECT_EQ(std::memcmp(&c.input, &d, sizeof d), 0);
  EXPECT_EQ(std::memcmp(&c.output, &e, sizeof e), 0);
}

TEST(CApiTranscoder, CreateRejectsNullsAndClearsOut) {
  ivrm_transcoder_config c = config("PCMU", "PCMA");
  ivrm_transcoder* h = reinterpret_cast<ivrm_transcoder*>(0x1);
  EXPECT_EQ(ivrm_transcoder_create(nullptr, &h), IVRM_ERR_NULL);
  EXPECT_EQ(h, nullptr);
  EXPECT_EQ(ivrm_transcoder_create(&c, nullptr), IVRM_ERR_NULL);
  c.input.payload_name = nullptr;
  EXPECT_EQ(create_status(c), IVRM_ERR_NULL);
  c = config("PCMU", nullptr);
  EXPECT_EQ(create_status(c), IVRM_ERR_NULL);
  ivrm_transcoder_destroy(nullptr);  // accepted
}

// Layouts a newer header might declare: a field appended to the transcoder config, and a field
// appended to the embedded decoder config (which moves everything after it).
struct TranscoderConfigV2 {
  ivrm_transcoder_config v1;
  int32_t future_field;
  int32_t future_pad;
};
struct DecoderConfigV2 {
  ivrm_decoder_config v1;
  int32_t future_field;
  int32_t future_pad;
};
struct TranscoderConfigWithDecoderV2 {
  uint32_t struct_size;
  DecoderConfigV2 input;
  ivrm_encoder_config output;
  int32_t quality;
  int32_t reserved;
};

TEST(CApiTranscoder, GrowableConfigWithEmbeddedGrowableConfigs) {
  ivrm_transcoder_config c = config("G722", "PCMU");
  for (uint32_t size : {0u, 4u, static_cast<uint32_t>(sizeof(ivrm_transcoder_config) - 1)}) {
    c.struct_size = size;
    EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG) << size;
  }
  // The embedded configs' own struct_size is read as for a standalone config.
  for (uint32_t size : {0u, 8u, static_cast<uint32_t>(sizeof(ivrm_decoder_config) - 8)}) {
    c = config("G722", "PCMU");
    c.input.struct_size = size;
    EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG) << "input " << size;
  }
  for (uint32_t size : {0u, 8u, static_cast<uint32_t>(sizeof(ivrm_encoder_config) - 8)}) {
    c = config("G722", "PCMU");
    c.output.struct_size = size;
    EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG) << "output " << size;
  }
  // Larger than the outer struct leaves room for, or not a whole number of alignment units.
  c = config("G722", "PCMU");
  c.input.struct_size = sizeof(ivrm_decoder_config) + 8;
  EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG);
  c = config("G722", "PCMU");
  c.output.struct_size = sizeof(ivrm_encoder_config) + 8;
  EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG);
  c = config("G722", "PCMU");
  c.input.struct_size = sizeof(ivrm_decoder_config) + 1;
  EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG);
  // `reserved` fields, outer and embedded, are later versions' fields: nonzero is refused.
  c = config("G722", "PCMU");
  c.reserved = 1;
  EXPECT_EQ(create_status(c), IVRM_ERR_UNSUPPORTED);
  c = config("G722", "PCMU");
  c.input.reserved = 1;
  EXPECT_EQ(create_status(c), IVRM_ERR_UNSUPPORTED);
  c = config("G722", "PCMU");
  c.output.reserved = 1;
  EXPECT_EQ(create_status(c), IVRM_ERR_UNSUPPORTED);

  // Newer host, outer field appended: zero accepted, nonzero refused.
  TranscoderConfigV2 c2{};
  ASSERT_EQ(ivrm_transcoder_config_init(&c2.v1), IVRM_OK);
  c2.v1.struct_size = sizeof c2;
  c2.v1.input.payload_name = "G722";
  c2.v1.output.payload_name = "PCMU";
  c2.v1.output.ptime_ms = 30;
  {
    Transcoder t(c2.v1);
    ASSERT_EQ(t.status, IVRM_OK);
    EXPECT_EQ(t.output().frame_samples, 240);
  }
  c2.future_field = 1;
  EXPECT_EQ(create_status(c2.v1), IVRM_ERR_UNSUPPORTED);

  // Newer host whose decoder config grew: output and quality are found after it.
  TranscoderConfigWithDecoderV2 g{};
  g.struct_size = sizeof g;
  ASSERT_EQ(ivrm_decoder_config_init(&g.input.v1), IVRM_OK);
  ASSERT_EQ(ivrm_encoder_config_init(&g.output), IVRM_OK);
  g.input.v1.struct_size = sizeof g.input;
  g.input.v1.payload_name = "G722";
  g.output.payload_name = "PCMA";
  g.output.ptime_ms = 40;
  g.quality = IVRM_RESAMPLE_HIGH;
  const auto* as_v1 = reinterpret_cast<const ivrm_transcoder_config*>(&g);
  {
    ivrm_transcoder* h = nullptr;
    ASSERT_EQ(ivrm_transcoder_create(as_v1, &h), IVRM_OK);
    ivrm_codec_info i{};
    i.struct_size = sizeof i;
    ASSERT_EQ(ivrm_transcoder_output_info(h, &i), IVRM_OK);
    EXPECT_STREQ(i.name, "PCMA");
    EXPECT_EQ(i.frame_samples, 320);  // 40 ms: the ptime was read at its moved offset
    ASSERT_EQ(ivrm_transcoder_input_info(h, &i), IVRM_OK);
    EXPECT_STREQ(i.name, "G722");
    ivrm_transcoder_destroy(h);
  }
  g.quality = 3;  // read at its moved offset too
  EXPECT_EQ(create_status(*as_v1), IVRM_ERR_INVALID);
  g.quality = IVRM_RESAMPLE_STANDARD;
  g.input.future_field = 1;  // asks for a decoder setting this library does not know
  EXPECT_EQ(create_status(*as_v1), IVRM_ERR_UNSUPPORTED);
  g.input.future_field = 0;
  g.reserved = 1;
  EXPECT_EQ(create_status(*as_v1), IVRM_ERR_UNSUPPORTED);
  g.reserved = 0;
  g.struct_size = sizeof g - 8;  // the outer size must cover the moved tail
  EXPECT_EQ(create_status(*as_v1), IVRM_ERR_CONFIG);

  // ivrm_transcoder_config_init (the macro passes the host's three sizes) lays the defaults out
  // in that host's layout: each part at its moved offset, the unknown decoder field zero.
  TranscoderConfigWithDecoderV2 d;
  std::memset(&d, 0xAB, sizeof d);
  auto* dv1 = reinterpret_cast<ivrm_transcoder_config*>(&d);
  ASSERT_EQ(ivrm_transcoder_config_init_sized(dv1, sizeof d, sizeof d.input, sizeof d.output),
            IVRM_OK);
  EXPECT_EQ(d.struct_size, sizeof d);
  EXPECT_EQ(d.input.v1.struct_size, sizeof d.input);
  EXPECT_EQ(d.input.v1.payload_name, nullptr);
  EXPECT_EQ(d.input.future_field, 0);
  EXPECT_EQ(d.output.struct_size, sizeof d.output);
  EXPECT_EQ(d.output.ptime_ms, 20);
  EXPECT_EQ(d.quality, IVRM_RESAMPLE_STANDARD);
  EXPECT_EQ(d.reserved, 0);
  d.input.v1.payload_name = "G722";
  d.output.payload_name = "PCMU";
  EXPECT_EQ(create_status(*dv1), IVRM_OK);
  // Sizes that do not fit together: refused, not a byte written.
  std::memset(&d, 0xCD, sizeof d);
  EXPECT_EQ(ivrm_transcoder_config_init_sized(dv1, sizeof d - 8, sizeof d.input, sizeof d.output),
            IVRM_ERR_CONFIG);
  EXPECT_EQ(ivrm_transcoder_config_init_sized(dv1, sizeof d, sizeof d.input + 4, sizeof d.output),
            IVRM_ERR_CONFIG);
  EXPECT_EQ(ivrm_transcoder_config_init_sized(dv1, sizeof d, 8, sizeof d.output), IVRM_ERR_CONFIG);
  EXPECT_EQ(ivrm_transcoder_config_init_sized(dv1, SIZE_MAX, sizeof d.input, SIZE_MAX),
            IVRM_ERR_CONFIG);
  EXPECT_EQ(d.struct_size, 0xCDCDCDCDu);
}

TEST(CApiTranscoder, UnknownPayloadsAndBadSettings) {
  for (const char* name : {"G729", "AMR-WB", "", "PCMU "}) {
    EXPECT_EQ(create_status(config(name, "PCMU")), IVRM_ERR_UNSUPPORTED) << name;
    EXPECT_EQ(create_status(config("PCMU", name)), IVRM_ERR_UNSUPPORTED) << name;
  }
  EXPECT_EQ(create_status(config("pcmu", "g722")), IVRM_OK);              // names in any case
  EXPECT_EQ(create_status(config("PCMU", "PCMA", 5)), IVRM_ERR_CONFIG);   // ptime
  EXPECT_EQ(create_status(config("PCMU", "opus", 30)), IVRM_ERR_CONFIG);  // opus ptime
  ivrm_transcoder_config c = config("L16", "PCMU");
  EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG);  // L16 needs its clock rate
  c.input.clock_rate_hz = 44100;
  EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG);
  c.input.clock_rate_hz = 48000;
  c.input.format_channels = 2;
  EXPECT_EQ(create_status(c), IVRM_OK);
  c = config("PCMU", "opus");
  c.output.opus_bitrate_bps = 100;
  EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG);
  c = config("PCMU", "opus");
  c.output.opus_vbr = 2;
  EXPECT_EQ(create_status(c), IVRM_ERR_INVALID);
  c = config("PCMU", "G722");
  for (int32_t q : {-1, 3, 100}) {
    c.quality = q;
    EXPECT_EQ(create_status(c), IVRM_ERR_INVALID) << q;
  }
  for (int32_t q : {IVRM_RESAMPLE_FAST, IVRM_RESAMPLE_STANDARD, IVRM_RESAMPLE_HIGH}) {
    c.quality = q;
    EXPECT_EQ(create_status(c), IVRM_OK) << q;
  }
}

// RFC 3551 G722 is 16 kHz audio on an 8 kHz RTP clock; opus (RFC 7587) decodes straight at the
// G.711 side's 8 kHz, so it needs no resampler.
TEST(CApiTranscoder, InfoLatencyAndGrowableOutputStructs) {
  Transcoder g(config("G722", "PCMU", 30));
  ASSERT_EQ(g.status, IVRM_OK);
  const ivrm_codec_info in = g.input(), out = g.output();
  EXPECT_STREQ(in.name, "G722");
  EXPECT_EQ(in.sample_rate_hz, 16000);
  EXPECT_EQ(in.rtp_clock_hz, 8000);
  EXPECT_EQ(in.max_samples, 16u * 120u);
  EXPECT_STREQ(out.name, "PCMU");
  EXPECT_EQ(out.sample_rate_hz, 8000);
  EXPECT_EQ(out.frame_samples, 240);
  EXPECT_EQ(out.max_payload_bytes, 240u);
  codec::Transcoder::Config cc;
  cc.input.format = {"G722"};
  cc.output.format = {"PCMU"};
  cc.output.ptime_ms = 30;
  const codec::Transcoder ref(cc);
  double latency = -1;
  ASSERT_EQ(ivrm_transcoder_latency(g.h, &latency), IVRM_OK);
  EXPECT_EQ(latency, ref.latency_samples());
  EXPECT_GT(latency, 0.0);

  ivrm_transcoder_config oc = config("opus", "PCMA");
  oc.input.clock_rate_hz = 48000;
  oc.input.format_channels = 2;
  Transcoder o(oc);
  ASSERT_EQ(o.status, IVRM_OK);
  EXPECT_EQ(o.input().sample_rate_hz, 8000);
  EXPECT_EQ(o.input().rtp_clock_hz, 48000);
  ASSERT_EQ(ivrm_transcoder_latency(o.h, &latency), IVRM_OK);
  EXPECT_EQ(latency, 0.0);

  ivrm_codec_info i{};
  i.struct_size = sizeof i;
  EXPECT_EQ(ivrm_transcoder_input_info(nullptr, &i), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_transcoder_input_info(g.h, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_transcoder_output_info(nullptr, &i), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_transcoder_output_info(g.h, nullptr), IVRM_ERR_NULL);
  i.struct_size = sizeof i - 1;
  EXPECT_EQ(ivrm_transcoder_input_info(g.h, &i), IVRM_ERR_CONFIG);
  EXPECT_EQ(ivrm_transcoder_output_info(g.h, &i), IVRM_ERR_CONFIG);
  latency = 5;
  EXPECT_EQ(ivrm_transcoder_latency(nullptr, &latency), IVRM_ERR_NULL);
  EXPECT_EQ(latency, 0.0);
  EXPECT_EQ(ivrm_transcoder_latency(g.h, nullptr), IVRM_ERR_NULL);

  ivrm_transcoder_stats s{};
  s.struct_size = sizeof s;
  EXPECT_EQ(ivrm_transcoder_get_stats(nullptr, &s), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_transcoder_get_stats(g.h, nullptr), IVRM_ERR_NULL);
  s.struct_size = sizeof s - 1;
  EXPECT_EQ(ivrm_transcoder_get_stats(g.h, &s), IVRM_ERR_CONFIG);
  s.struct_size = 0;
  EXPECT_EQ(ivrm_transcoder_get_stats(g.h, &s), IVRM_ERR_CONFIG);
  // A newer host's larger struct: the fields this library does not know keep their values.
  struct {
    ivrm_transcoder_stats v1;
    int64_t newer_field;
  } v2;
  std::memset(&v2, 0, sizeof v2);
  v2.v1.struct_size = sizeof v2;
  v2.v1.packets_in = 99;
  v2.newer_field = 1234;
  ASSERT_EQ(ivrm_transcoder_get_stats(g.h, &v2.v1), IVRM_OK);
  EXPECT_EQ(v2.v1.packets_in, 0);
  EXPECT_EQ(v2.newer_field, 1234);
}

TEST(CApiTranscoder, ProcessingRejectsNullsAndWrongSizes) {
  Transcoder t(config("PCMU", "PCMU"));
  ASSERT_EQ(t.status, IVRM_OK);
  const uint8_t p[160] = {};
  uint8_t out[160];
  size_t written = 7, frames = 7;
  EXPECT_EQ(ivrm_transcoder_push(nullptr, p, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_transcoder_push(t.h, nullptr, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_transcoder_push(t.h, nullptr, 0), IVRM_ERR_MALFORMED);  // empty payload
  EXPECT_EQ(t.stats().malformed, 1);
  EXPECT_EQ(ivrm_transcoder_push_loss(nullptr, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_transcoder_push_fec(nullptr, p, 160, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_transcoder_push_fec(t.h, nullptr, 160, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_transcoder_push_fec(t.h, nullptr, 0, 160), IVRM_ERR_INVALID);  // use push_loss
  EXPECT_EQ(ivrm_transcoder_pull(nullptr, out, 160, &written), IVRM_ERR_NULL);
  EXPECT_EQ(written, 0u);
  EXPECT_EQ(ivrm_transcoder_pull(t.h, nullptr, 160, &written), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_transcoder_pull(t.h, out, 160, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_transcoder_frames_ready(nullptr, &frames), IVRM_ERR_NULL);
  EXPECT_EQ(frames, 0u);
  EXPECT_EQ(ivrm_transcoder_frames_ready(t.h, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_transcoder_reset(nullptr), IVRM_ERR_NULL);
  // A payload longer than max_packet_ms (120 ms) is refused, not decoded.
  std::vector<uint8_t> huge(8 * 121, 0xFF);
  EXPECT_EQ(ivrm_transcoder_push(t.h, huge.data(), huge.size()), IVRM_ERR_RANGE);

  ASSERT_EQ(ivrm_transcoder_push(t.h, p, 160), IVRM_OK);
  ASSERT_EQ(ivrm_transcoder_frames_ready(t.h, &frames), IVRM_OK);
  EXPECT_EQ(frames, 1u);
  // The payload buffer must hold max_payload_bytes; nothing is taken otherwise.
  written = 7;
  EXPECT_EQ(ivrm_transcoder_pull(t.h, out, 159, &written), IVRM_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(written, 0u);
  EXPECT_EQ(ivrm_transcoder_pull(t.h, nullptr, 0, &written), IVRM_ERR_BUFFER_TOO_SMALL);
  ASSERT_EQ(ivrm_transcoder_frames_ready(t.h, &frames), IVRM_OK);
  EXPECT_EQ(frames, 1u);
  ASSERT_EQ(ivrm_transcoder_pull(t.h, out, sizeof out, &written), IVRM_OK);
  EXPECT_EQ(written, 160u);
  EXPECT_EQ(std::memcmp(out, p, 160), 0);  // PCMU -> PCMU: decode and re-encode is exact
  ASSERT_EQ(ivrm_transcoder_pull(t.h, out, sizeof out, &written), IVRM_OK);
  EXPECT_EQ(written, 0u);  // none ready: OK with 0

  ASSERT_EQ(ivrm_transcoder_push(t.h, p, 80), IVRM_OK);  // 10 ms: half a frame waits
  ASSERT_EQ(ivrm_transcoder_reset(t.h), IVRM_OK);
  const ivrm_transcoder_stats s = t.stats();
  EXPECT_EQ(s.decoded_samples, 0);
  EXPECT_EQ(s.packets_in, 0);
  EXPECT_EQ(s.malformed, 0);
  ASSERT_EQ(ivrm_transcoder_push(t.h, p, 80), IVRM_OK);
  ASSERT_EQ(ivrm_transcoder_frames_ready(t.h, &frames), IVRM_OK);
  EXPECT_EQ(frames, 0u);  // the half frame before the reset is gone
}

// G.711 to G.711 needs no resampler: PCMU in, PCMA out is exactly ITU-T G.711 decode then
// encode (the G.711 handle's), packet for packet, whatever the input packet sizes.
TEST(CApiTranscoder, PcmuToPcmaIsG711DecodeThenEncode) {
  Transcoder t(config("PCMU", "PCMA"));
  ASSERT_EQ(t.status, IVRM_OK);
  double latency = -1;
  ASSERT_EQ(ivrm_transcoder_latency(t.h, &latency), IVRM_OK);
  EXPECT_EQ(latency, 0.0);
  ivrm_g711_config gc;
  ASSERT_EQ(ivrm_g711_config_init(&gc), IVRM_OK);
  ivrm_g711* mu = nullptr;
  ASSERT_EQ(ivrm_g711_create(&gc, &mu), IVRM_OK);
  gc.law = IVRM_G711_ALAW;
  ivrm_g711* a = nullptr;
  ASSERT_EQ(ivrm_g711_create(&gc, &a), IVRM_OK);
  const auto x = ivrmedia::sim::speech_like_s16(8000, {.sample_rate_hz = 8000});
  std::vector<uint8_t> ulaw(x.size()), want(x.size());
  std::vector<int16_t> pcm(x.size());
  ASSERT_EQ(ivrm_g711_encode(mu, x.data(), x.size(), ulaw.data()), IVRM_OK);
  ASSERT_EQ(ivrm_g711_decode(mu, ulaw.data(), ulaw.size(), pcm.data()), IVRM_OK);
  ASSERT_EQ(ivrm_g711_encode(a, pcm.data(), pcm.size(), want.data()), IVRM_OK);
  Payloads out;
  // Input packets of 10, 30 and 20 ms in turn; output packets of 20 ms.
  const size_t sizes[] = {80, 240, 160};
  size_t off = 0;
  for (int k = 0; off < ulaw.size(); ++k) {
    const size_t n = std::min(sizes[k % 3], ulaw.size() - off);
    ASSERT_EQ(ivrm_transcoder_push(t.h, ulaw.data() + off, n), IVRM_OK);
    off += n;
    t.drain(&out);
  }
  ASSERT_EQ(out.size(), 50u);
  for (size_t k = 0; k < out.size(); ++k) {
    ASSERT_EQ(out[k].size(), 160u);
    ASSERT_EQ(std::memcmp(out[k].data(), want.data() + 160 * k, 160), 0) << "packet " << k;
  }
  const ivrm_transcoder_stats s = t.stats();
  EXPECT_EQ(s.decoded_samples, 8000);
  EXPECT_EQ(s.output_samples, 8000);
  EXPECT_EQ(s.resampled_samples, 8000);
  EXPECT_EQ(s.packets_out, 50);
  ivrm_g711_destroy(mu);
  ivrm_g711_destroy(a);
}

// The C handle is the C++ Transcoder: same payloads, same statistics at every step, with a loss
// every 13 packets; and the output leg's RTP timestamps stay locked to the input leg's.
void expect_same_as_cxx(const ivrm_transcoder_config& cfg, const codec::Transcoder::Config& ccfg,
                        const Payloads& in, int64_t units_per_packet) {
  Transcoder t(cfg);
  ASSERT_EQ(t.status, IVRM_OK);
  codec::Transcoder ref(ccfg);
  const ivrm_codec_info ii = t.input(), oi = t.output();
  ASSERT_EQ(ii.sample_rate_hz, ref.input_info().sample_rate_hz);
  ASSERT_EQ(oi.sample_rate_hz, ref.output_info().sample_rate_hz);
  ASSERT_EQ(oi.frame_samples, ref.output_info().frame_samples);
  std::vector<uint8_t> buf(oi.max_payload_bytes), rbuf(buf.size());
  int64_t input_units = 0, output_packets = 0;
  for (size_t k = 0; k < in.size(); ++k) {
    if (k % 13 == 6) {
      ASSERT_EQ(ivrm_transcoder_push_loss(t.h, units_per_packet), IVRM_OK);
      ASSERT_EQ(ref.push_loss(units_per_packet), Status::ok);
    } else {
      ASSERT_EQ(ivrm_transcoder_push(t.h, in[k].data(), in[k].size()), IVRM_OK);
      ASSERT_EQ(ref.push(in[k]), Status::ok);
    }
    input_units += units_per_packet;
    size_t ready = 0;
    ASSERT_EQ(ivrm_transcoder_frames_ready(t.h, &ready), IVRM_OK);
    ASSERT_EQ(ready, ref.frames_ready());
    for (;;) {
      size_t w = 0, rw = 0;
      ASSERT_EQ(ivrm_transcoder_pull(t.h, buf.data(), buf.size(), &w), IVRM_OK);
      ASSERT_EQ(ref.pull(rbuf, &rw), Status::ok);
      ASSERT_EQ(w, rw);
      if (w == 0) break;
      ASSERT_EQ(std::memcmp(buf.data(), rbuf.data(), w), 0) << "output packet " << output_packets;
      ++output_packets;
    }
    const ivrm_transcoder_stats s = t.stats();
    const codec::Transcoder::Stats& r = ref.stats();
    ASSERT_EQ(s.decoded_samples, r.decoded_samples);
    ASSERT_EQ(s.concealed_samples, r.concealed_samples);
    ASSERT_EQ(s.resampled_samples, r.resampled_samples);
    ASSERT_EQ(s.output_samples, r.output_samples);
    ASSERT_EQ(s.packets_in, r.packets_in);
    ASSERT_EQ(s.packets_out, r.packets_out);
    ASSERT_EQ(s.malformed, r.malformed);
    // The accounting invariants of the header, exactly.
    ASSERT_EQ(s.decoded_samples, input_units * ii.sample_rate_hz / ii.rtp_clock_hz);
    ASSERT_EQ(s.resampled_samples,
              s.decoded_samples * oi.sample_rate_hz / ii.sample_rate_hz);  // floor rule
    ASSERT_EQ(s.output_samples, output_packets * oi.frame_samples);
    // RTP: output timestamp units plus what waits equal the input leg's, on the output clock.
    const int64_t out_units = s.output_samples * oi.rtp_clock_hz / oi.sample_rate_hz;
    const int64_t waiting =
        (s.resampled_samples - s.output_samples) * oi.rtp_clock_hz / oi.sample_rate_hz;
    ASSERT_EQ(out_units + waiting, input_units * oi.rtp_clock_hz / ii.rtp_clock_hz);
  }
  EXPECT_GT(output_packets, 0);
}

TEST(CApiTranscoder, G722ToPcmuIsTheCxxTranscoder) {
  const auto x = ivrmedia::sim::speech_like(16000 * 3, {.sample_rate_hz = 16000, .seed = 3});
  const auto in = packets_of({"G722"}, x);
  ASSERT_EQ(in.size(), 150u);
  codec::Transcoder::Config cc;
  cc.input.format = {"G722"};
  cc.output.format = {"PCMU"};
  cc.output.ptime_ms = 30;
  expect_same_as_cxx(config("G722", "PCMU", 30), cc, in, 160);
  // The other way, at the high quality preset.
  const auto x8 = ivrmedia::sim::speech_like(8000 * 3, {.sample_rate_hz = 8000, .seed = 4});
  ivrm_transcoder_config up = config("PCMU", "G722");
  up.quality = IVRM_RESAMPLE_HIGH;
  cc.input.format = {"PCMU"};
  cc.output.format = {"G722"};
  cc.output.ptime_ms = 20;
  cc.quality = ivrmedia::resample::Quality::high;
  expect_same_as_cxx(up, cc, packets_of({"PCMU"}, x8), 160);
}

TEST(CApiTranscoder, OpusToPcmaIsTheCxxTranscoder) {
  const auto x = ivrmedia::sim::speech_like(48000 * 2, {.sample_rate_hz = 48000, .seed = 5});
  const auto in = packets_of({"opus", 48000, 2}, x, 48000);
  ivrm_transcoder_config c = config("opus", "PCMA");
  c.input.clock_rate_hz = 48000;
  c.input.format_channels = 2;
  codec::Transcoder::Config cc;
  cc.input.format = {"opus", 48000, 2};
  cc.output.format = {"PCMA"};
  expect_same_as_cxx(c, cc, in, 960);
}

// Without pulls the buffer fills, and push says so, consuming nothing; pulling makes room.
TEST(CApiTranscoder, BackPressure) {
  Transcoder t(config("PCMU", "PCMA"));
  ASSERT_EQ(t.status, IVRM_OK);
  const std::vector<uint8_t> p(160, 0xFF);
  ivrm_status s = IVRM_OK;
  int pushed = 0;
  while ((s = ivrm_transcoder_push(t.h, p.data(), p.size())) == IVRM_OK)
    ++pushed;
  EXPECT_EQ(s, IVRM_ERR_FULL);
  EXPECT_GT(pushed, 0);
  EXPECT_EQ(t.stats().packets_in, pushed);
  size_t frames = 0;
  ASSERT_EQ(ivrm_transcoder_frames_ready(t.h, &frames), IVRM_OK);
  EXPECT_EQ(static_cast<int>(frames), pushed);
  EXPECT_EQ(ivrm_transcoder_push_loss(t.h, 160), IVRM_ERR_FULL);  // concealment too
  EXPECT_EQ(t.stats().concealed_samples, 0);
  uint8_t out[160];
  size_t written = 0;
  ASSERT_EQ(ivrm_transcoder_pull(t.h, out, sizeof out, &written), IVRM_OK);
  EXPECT_EQ(written, 160u);
  EXPECT_EQ(ivrm_transcoder_push(t.h, p.data(), p.size()), IVRM_OK);
  EXPECT_EQ(t.drain(), pushed);
  // After a full drain the longest payload (max_packet_ms) always fits.
  const std::vector<uint8_t> longest(8 * 120, 0xFF);
  EXPECT_EQ(ivrm_transcoder_push(t.h, longest.data(), longest.size()), IVRM_OK);
  EXPECT_EQ(t.drain(), 6);
}

// push_loss takes the RTP timestamp gap in A's clock units: whole samples at the decode rate,
// at most max_packet_ms, opus in whole 2.5 ms steps; push_fec rebuilds from opus in-band FEC.
TEST(CApiTranscoder, LossAndFecSizes) {
  Transcoder g(config("G722", "PCMU"));
  ASSERT_EQ(g.status, IVRM_OK);
  EXPECT_EQ(ivrm_transcoder_push_loss(g.h, -1), IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_transcoder_push_loss(g.h, 0), IVRM_OK);
  EXPECT_EQ(ivrm_transcoder_push_loss(g.h, 8 * 121), IVRM_ERR_RANGE);  // split long gaps
  ASSERT_EQ(ivrm_transcoder_push_loss(g.h, 8 * 120), IVRM_OK);
  ivrm_transcoder_stats s = g.stats();
  EXPECT_EQ(s.concealed_samples, 16 * 120);  // RFC 3551: 8 kHz clock units, 16 kHz samples
  EXPECT_EQ(s.decoded_samples, 16 * 120);
  ASSERT_EQ(ivrm_transcoder_push_loss(g.h, 1), IVRM_OK);  // one clock unit = 2 samples
  EXPECT_EQ(g.stats().concealed_samples, 16 * 120 + 2);
  EXPECT_EQ(g.drain(), 6);

  ivrm_transcoder_config oc = config("opus", "PCMU");
  oc.input.clock_rate_hz = 48000;
  oc.input.format_channels = 2;
  Transcoder o(oc);
  ASSERT_EQ(o.status, IVRM_OK);
  EXPECT_EQ(ivrm_transcoder_push_loss(o.h, 100), IVRM_ERR_INVALID);  // 100/6 samples at 8 kHz
  EXPECT_EQ(ivrm_transcoder_push_loss(o.h, 60), IVRM_ERR_INVALID);   // 1.25 ms
  EXPECT_EQ(ivrm_transcoder_push_loss(o.h, 120), IVRM_OK);           // 2.5 ms
  EXPECT_EQ(ivrm_transcoder_push_loss(o.h, 960), IVRM_OK);
  EXPECT_EQ(o.stats().concealed_samples, 20 + 160);

  // FEC from real opus packets: packet 3 lost, rebuilt from packet 4, which is then pushed.
  codec::EncoderConfig ec;
  ec.format = {"opus", 48000, 2};
  ec.opus.expected_loss_percent = 20;
  auto enc = codec::make_encoder(ec);
  const auto x = ivrmedia::sim::speech_like(960 * 6, {.sample_rate_hz = 48000});
  Payloads in;
  std::vector<uint8_t> buf(enc->info().max_payload_bytes);
  for (size_t off = 0; off < x.size(); off += 960) {
    size_t w = 0;
    ASSERT_EQ(enc->encode(std::span(x.data() + off, 960), buf, &w), Status::ok);
    in.emplace_back(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(w));
  }
  ASSERT_EQ(ivrm_transcoder_reset(o.h), IVRM_OK);
  for (size_t k = 0; k < in.size(); ++k) {
    if (k == 3) {
      EXPECT_EQ(ivrm_transcoder_push_fec(o.h, in[4].data(), in[4].size(), 100), IVRM_ERR_INVALID);
      ASSERT_EQ(ivrm_transcoder_push_fec(o.h, in[4].data(), in[4].size(), 960), IVRM_OK);
    } else {
      ASSERT_EQ(ivrm_transcoder_push(o.h, in[k].data(), in[k].size()), IVRM_OK);
    }
    EXPECT_EQ(o.drain(), 1);
  }
  s = o.stats();
  EXPECT_EQ(s.concealed_samples, 160);
  EXPECT_EQ(s.decoded_samples, 6 * 160);
  EXPECT_EQ(s.packets_in, 5);
  EXPECT_EQ(s.packets_out, 6);
  // Formats without FEC conceal instead: the length is what counts.
  ASSERT_EQ(ivrm_transcoder_push_fec(g.h, in[0].data(), in[0].size(), 160), IVRM_OK);
  EXPECT_EQ(g.stats().concealed_samples, 16 * 120 + 2 + 320);
}

// Real-time rule: after creation no C API processing call allocates.
TEST(CApiTranscoder, ProcessingCallsAllocateNothing) {
  struct Case {
    const char* in;
    int32_t in_clock, in_channels;
    const char* out;
    int rate;
    int64_t units;
  };
  for (const Case& k :
       {Case{"G722", 0, 0, "PCMU", 16000, 160}, Case{"opus", 48000, 2, "PCMA", 48000, 960},
        Case{"PCMU", 0, 0, "opus", 8000, 160}}) {
    SCOPED_TRACE(std::string(k.in) + " -> " + k.out);
    ivrm_transcoder_config c = config(k.in, k.out);
    c.input.clock_rate_hz = k.in_clock;
    c.input.format_channels = k.in_channels;
    Transcoder t(c);
    ASSERT_EQ(t.status, IVRM_OK);
    const auto x =
        ivrmedia::sim::speech_like(static_cast<size_t>(k.rate) / 2, {.sample_rate_hz = k.rate});
    const auto in =
        packets_of({k.in, k.in_clock, k.in_channels}, x, std::string(k.in) == "opus" ? 48000 : 0);
    std::vector<uint8_t> buf(t.output().max_payload_bytes);
    ivrm_transcoder_stats s{};
    s.struct_size = sizeof s;
    ivrm_codec_info info{};
    info.struct_size = sizeof info;
    ivrm_test::AllocationScope scope;
    for (size_t i = 0; i < in.size(); ++i) {
      if (i % 5 == 2) {
        ASSERT_EQ(ivrm_transcoder_push_loss(t.h, k.units), IVRM_OK);
      } else if (i % 5 == 3 && i + 1 < in.size()) {
        ASSERT_EQ(ivrm_transcoder_push_fec(t.h, in[i + 1].data(), in[i + 1].size(), k.units),
                  IVRM_OK);
      } else {
        ASSERT_EQ(ivrm_transcoder_push(t.h, in[i].data(), in[i].size()), IVRM_OK);
      }
      size_t written = 1, frames = 0;
      double latency = 0;
      ASSERT_EQ(ivrm_transcoder_frames_ready(t.h, &frames), IVRM_OK);
      while (written != 0)
        ASSERT_EQ(ivrm_transcoder_pull(t.h, buf.data(), buf.size(), &written), IVRM_OK);
      ASSERT_EQ(ivrm_transcoder_get_stats(t.h, &s), IVRM_OK);
      ASSERT_EQ(ivrm_transcoder_input_info(t.h, &info), IVRM_OK);
      ASSERT_EQ(ivrm_transcoder_output_info(t.h, &info), IVRM_OK);
      ASSERT_EQ(ivrm_transcoder_latency(t.h, &latency), IVRM_OK);
    }
    ASSERT_EQ(ivrm_transcoder_reset(t.h), IVRM_OK);
    EXPECT_EQ(scope.count(), 0);
  }
}

}  // namespace
