// C API for RTP packets (RFC 3550, RFC 8285), the builder and RFC 4733 telephone-events: every
// call gives what the C++ API gives (parse fields and reasons over random and mutated datagrams,
// byte-identical packets, the same event payloads and received events), arguments are checked
// (NULLs, wrong struct sizes, out-of-range values) with nothing written on error, growable
// output structs are written only as far as the caller's struct_size, and processing calls
// allocate nothing.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "ivrmedia/ivrmedia.h"
#include "ivrmedia/rtp.hpp"
#include "ivrmedia/telephone_event.hpp"
#include "support/alloc_counter.hpp"

namespace {

using ivrmedia::Status;
namespace rtp = ivrmedia::rtp;
using Bytes = std::vector<uint8_t>;

ivrm_rtp_packet fresh_packet() {
  ivrm_rtp_packet p;
  std::memset(&p, 0xAB, sizeof p);
  p.struct_size = sizeof p;
  return p;
}

// The C struct describes exactly the C++ view of the same datagram.
void expect_same(const ivrm_rtp_packet& c, const rtp::PacketView& v, const uint8_t* datagram) {
  EXPECT_EQ(c.struct_size, sizeof c);
  EXPECT_EQ(c.marker, v.marker ? 1 : 0);
  EXPECT_EQ(c.payload_type, v.payload_type);
  EXPECT_EQ(c.sequence, v.sequence);
  EXPECT_EQ(c.timestamp, v.timestamp);
  EXPECT_EQ(c.ssrc, v.ssrc);
  EXPECT_EQ(c.csrc_count, v.csrc_count());
  if (c.csrc_count != 0) {
    EXPECT_EQ(c.csrcs, v.csrc_bytes.data());
  }
  EXPECT_EQ(c.has_extension, v.has_extension ? 1 : 0);
  EXPECT_EQ(c.extension_profile, v.extension_profile);
  EXPECT_EQ(c.extension_size, v.extension_data.size());
  if (c.extension_size != 0) {
    EXPECT_EQ(c.extension_data, v.extension_data.data());
  }
  EXPECT_EQ(c.payload_size, v.payload.size());
  if (c.payload_size != 0) {
    EXPECT_EQ(c.payload, v.payload.data());
  }
  EXPECT_EQ(c.payload_offset, static_cast<size_t>(v.payload.data() - datagram));
  EXPECT_EQ(c.padding_bytes, v.padding_bytes);
}

// Packets of every shape the parser knows, made by the C++ builder plus a hand-padded one.
std::vector<Bytes> sample_packets() {
  std::vector<Bytes> out;
  rtp::Builder b({.payload_type = 96, .clock_rate_hz = 48000, .ssrc = 0xCAFEF00D});
  const Bytes payload = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const uint8_t level[1] = {0x85};
  const uint8_t mid[3] = {'a', 'b', 'c'};
  const uint8_t big[20] = {};
  const std::array<rtp::ExtensionElement, 2> one_byte = {rtp::ExtensionElement{1, level},
                                                         rtp::ExtensionElement{3, mid}};
  const std::array<rtp::ExtensionElement, 2> two_byte = {rtp::ExtensionElement{1, level},
                                                         rtp::ExtensionElement{200, big}};
  const uint32_t csrcs[3] = {11, 22, 33};
  auto build = [&](std::span<const rtp::ExtensionElement> ext, bool marker) {
    Bytes d(b.packet_size(payload.size(), ext));
    size_t n = 0;
    EXPECT_EQ(b.build(payload, 960, marker, ext, d, &n), Status::ok);
    d.resize(n);
    out.push_back(d);
  };
  build({}, true);
  build(one_byte, false);
  build(two_byte, false);
  EXPECT_EQ(b.set_csrcs(csrcs), Status::ok);
  build(one_byte, false);
  // Padding by hand (RFC 3550 5.1: P bit, last octet counts the padding).
  Bytes padded = out.front();
  padded[0] |= 0x20;
  padded.insert(padded.end(), {0, 0, 3});
  out.push_back(padded);
  // An empty payload.
  out.push_back(Bytes(out.front().begin(), out.front().begin() + 12));
  return out;
}

TEST(CApiRtpParse, FieldsAndReasonsAreTheCxxParsers) {
  for (const Bytes& d : sample_packets()) {
    ivrm_rtp_packet p = fresh_packet();
    ivrm_rtp_parse_error why = IVRM_RTP_BAD_PADDING;
    ASSERT_EQ(ivrm_rtp_parse(d.data(), d.size(), &p, &why), IVRM_OK);
    EXPECT_EQ(why, IVRM_RTP_PARSE_OK);
    rtp::PacketView v;
    ASSERT_EQ(rtp::parse(d, &v, nullptr), Status::ok);
    expect_same(p, v, d.data());
  }
  // Random and mutated datagrams: the same status, reason and fields as the C++ parser.
  uint32_t seed = 20261127;
  if (const char* env = std::getenv("IVRM_TEST_SEED"))
    seed = static_cast<uint32_t>(std::stoul(env));
  std::printf("seed %u (replay: IVRM_TEST_SEED=%u --gtest_filter='CApiRtpParse.*')\n", seed, seed);
  std::mt19937 rng(seed);
  const std::vector<Bytes> base = sample_packets();
  int rejected = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes d = base[rng() % base.size()];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      if (rng() % 4 == 0 && !d.empty()) {
        d.resize(rng() % d.size());
      } else if (!d.empty()) {
        d[rng() % d.size()] = static_cast<uint8_t>(rng());
      }
    }
    ivrm_rtp_packet p = fresh_packet();
    const ivrm_rtp_packet before = p;
    ivrm_rtp_parse_error why = IVRM_RTP_PARSE_OK;
    const ivrm_status s = ivrm_rtp_parse(d.data(), d.size(), &p, &why);
    rtp::PacketView v;
    rtp::ParseError cxx_why = rtp::ParseError::none;
    const Status cs = rtp::parse(d, &v, &cxx_why);
    ASSERT_EQ(s, static_cast<ivrm_status>(cs)) << "seed " << seed << " case " << i;
    ASSERT_EQ(static_cast<int>(why), static_cast<int>(cxx_why));
    if (s == IVRM_OK) {
      expect_same(p, v, d.data());
    } else {
      ++rejected;
      ASSERT_EQ(std::memcmp(&p, &before, sizeof p), 0) << "a rejected packet wrote the struct";
      EXPECT_TRUE(s == IVRM_ERR_TRUNCATED || s == IVRM_ERR_MALFORMED);
    }
  }
  EXPECT_GT(rejected, 1000);
}

TEST(CApiRtpParse, ArgumentsAndGrowableStruct) {
  const Bytes d = sample_packets()[1];
  ivrm_rtp_packet p = fresh_packet();
  ivrm_rtp_parse_error why = IVRM_RTP_BAD_VERSION;
  EXPECT_EQ(ivrm_rtp_parse(nullptr, d.size(), &p, &why), IVRM_ERR_NULL);
  EXPECT_EQ(why, IVRM_RTP_PARSE_OK);
  EXPECT_EQ(ivrm_rtp_parse(d.data(), d.size(), nullptr, &why), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_parse(nullptr, 0, &p, &why), IVRM_ERR_TRUNCATED);  // an empty datagram
  EXPECT_EQ(why, IVRM_RTP_TOO_SHORT);
  EXPECT_EQ(ivrm_rtp_parse(d.data(), d.size(), &p, nullptr), IVRM_OK);  // why is optional

  // A struct_size below the first version: refused, nothing written.
  for (uint32_t size : {0u, 4u, static_cast<uint32_t>(sizeof(ivrm_rtp_packet) - 1)}) {
    ivrm_rtp_packet small = fresh_packet();
    small.struct_size = size;
    const ivrm_rtp_packet before = small;
    EXPECT_EQ(ivrm_rtp_parse(d.data(), d.size(), &small, &why), IVRM_ERR_CONFIG);
    EXPECT_EQ(std::memcmp(&small, &before, sizeof small), 0);
  }
  // A host with a newer, larger struct: the library writes its own fields, not the tail.
  struct PacketV2 {
    ivrm_rtp_packet v1;
    uint64_t future;
  } big;
  std::memset(&big, 0xCD, sizeof big);
  big.v1.struct_size = sizeof big;
  ASSERT_EQ(ivrm_rtp_parse(d.data(), d.size(), &big.v1, &why), IVRM_OK);
  EXPECT_EQ(big.v1.struct_size, sizeof big);
  EXPECT_EQ(big.future, 0xCDCDCDCDCDCDCDCDull);
  EXPECT_EQ(big.v1.has_extension, 1);

  EXPECT_STREQ(ivrm_rtp_parse_error_name(IVRM_RTP_PARSE_OK), rtp::describe(rtp::ParseError::none));
  EXPECT_STREQ(ivrm_rtp_parse_error_name(IVRM_RTP_BAD_PADDING),
               rtp::describe(rtp::ParseError::bad_padding));
  EXPECT_NE(ivrm_rtp_parse_error_name(-7), nullptr);
  EXPECT_NE(ivrm_rtp_parse_error_name(1000), nullptr);
}

TEST(CApiRtpParse, Rfc8285ExtensionLookup) {
  const std::vector<Bytes> packets = sample_packets();
  for (size_t k = 1; k <= 3; ++k) {  // one-byte, two-byte, one-byte with CSRCs
    const Bytes& d = packets[k];
    ivrm_rtp_packet p = fresh_packet();
    ASSERT_EQ(ivrm_rtp_parse(d.data(), d.size(), &p, nullptr), IVRM_OK);
    rtp::PacketView v;
    ASSERT_EQ(rtp::parse(d, &v, nullptr), Status::ok);
    for (int32_t id = 1; id <= 255; ++id) {
      int found = 7;
      const uint8_t* data = nullptr;
      size_t size = 99;
      ASSERT_EQ(ivrm_rtp_find_extension(&p, id, &found, &data, &size), IVRM_OK);
      std::span<const uint8_t> want;
      const bool has = rtp::find_extension(v, id, &want);
      ASSERT_EQ(found, has ? 1 : 0) << "id " << id;
      if (has) {
        EXPECT_EQ(data, want.data());
        EXPECT_EQ(size, want.size());
      } else {
        EXPECT_EQ(data, nullptr);
        EXPECT_EQ(size, 0u);
      }
    }
    int found = 0;
    const uint8_t* data = nullptr;
    size_t size = 0;
    ASSERT_EQ(ivrm_rtp_find_extension(&p, 1, &found, nullptr, nullptr), IVRM_OK);
    EXPECT_EQ(found, 1);  // the audio level element is in all three
    ASSERT_EQ(ivrm_rtp_find_extension(&p, 1, &found, &data, &size), IVRM_OK);
    ASSERT_EQ(size, 1u);
    EXPECT_EQ(data[0], 0x85);
    EXPECT_EQ(ivrm_rtp_find_extension(&p, 0, &found, &data, &size), IVRM_ERR_RANGE);
    EXPECT_EQ(found, 0);
    EXPECT_EQ(ivrm_rtp_find_extension(&p, 256, &found, &data, &size), IVRM_ERR_RANGE);
    EXPECT_EQ(ivrm_rtp_find_extension(&p, 1, nullptr, &data, &size), IVRM_ERR_NULL);
    EXPECT_EQ(ivrm_rtp_find_extension(nullptr, 1, &found, &data, &size), IVRM_ERR_NULL);
    ivrm_rtp_packet bad = p;
    bad.struct_size = 8;
    EXPECT_EQ(ivrm_rtp_find_extension(&bad, 1, &found, &data, &size), IVRM_ERR_CONFIG);
    bad = p;
    bad.extension_data = nullptr;
    EXPECT_EQ(ivrm_rtp_find_extension(&bad, 1, &found, &data, &size), IVRM_ERR_NULL);
  }
  // RFC 8285: an element past its block; the packet parses (its payload is good) and the
  // lookup says the extension is broken before the element asked for.
  {
    const uint8_t broken[] = {0x90, 0,    0, 1, 0,    0,    0,    2, 0, 0, 0, 3,  // X set
                              0xBE, 0xDE, 0, 1, 0x10, 0x85, 0x13, 1,  // ID 1 ok, ID 1 too long
                              0xD5, 0xD5};
    ivrm_rtp_packet b = fresh_packet();
    ivrm_rtp_parse_error why = IVRM_RTP_TOO_SHORT;
    ASSERT_EQ(ivrm_rtp_parse(broken, sizeof broken, &b, &why), IVRM_OK);
    EXPECT_EQ(why, IVRM_RTP_PARSE_OK);
    EXPECT_EQ(b.payload_size, 2u);
    int found = 7;
    const uint8_t* data = nullptr;
    size_t size = 0;
    ASSERT_EQ(ivrm_rtp_find_extension(&b, 1, &found, &data, &size), IVRM_OK);  // before the break
    EXPECT_EQ(found, 1);
    EXPECT_EQ(ivrm_rtp_find_extension(&b, 5, &found, &data, &size), IVRM_ERR_MALFORMED);
    EXPECT_EQ(found, 0);
    EXPECT_EQ(data, nullptr);
  }
  // A packet without extension has no elements.
  ivrm_rtp_packet p = fresh_packet();
  ASSERT_EQ(ivrm_rtp_parse(packets[0].data(), packets[0].size(), &p, nullptr), IVRM_OK);
  int found = 1;
  ASSERT_EQ(ivrm_rtp_find_extension(&p, 1, &found, nullptr, nullptr), IVRM_OK);
  EXPECT_EQ(found, 0);
}

// ---- builder ------------------------------------------------------------------------------

ivrm_rtp_builder* make_builder(const ivrm_rtp_builder_config& c) {
  ivrm_rtp_builder* b = nullptr;
  EXPECT_EQ(ivrm_rtp_builder_create(&c, &b), IVRM_OK);
  return b;
}

TEST(CApiRtpBuilder, ConfigsAndRandomInitialValues) {
  ivrm_rtp_builder_config c;
  std::memset(&c, 0xAB, sizeof c);
  EXPECT_EQ(ivrm_rtp_builder_config_init_sized(nullptr, sizeof(ivrm_rtp_builder_config)),
            IVRM_ERR_NULL);
  ASSERT_EQ(ivrm_rtp_builder_config_init(&c), IVRM_OK);
  const rtp::Builder::Config d;
  EXPECT_EQ(c.struct_size, sizeof c);
  EXPECT_EQ(c.payload_type, d.payload_type);
  EXPECT_EQ(c.clock_rate_hz, d.clock_rate_hz);
  EXPECT_EQ(c.ssrc, d.ssrc);
  EXPECT_EQ(c.first_sequence, d.first_sequence);
  EXPECT_EQ(c.first_timestamp, d.first_timestamp);

  EXPECT_EQ(ivrm_rtp_builder_config_init_random_sized(nullptr, sizeof c, 1), IVRM_ERR_NULL);
  for (uint64_t seed : {0ull, 1ull, 0xDEADBEEFull, ~0ull}) {
    ASSERT_EQ(ivrm_rtp_builder_config_init_random(&c, seed), IVRM_OK);
    const rtp::Builder::Config r = rtp::Builder::random_config(0, 8000, seed);
    EXPECT_EQ(c.struct_size, sizeof c);
    EXPECT_EQ(c.payload_type, 0);
    EXPECT_EQ(c.clock_rate_hz, 8000);
    EXPECT_EQ(c.ssrc, r.ssrc);
    EXPECT_EQ(c.first_sequence, r.first_sequence);
    EXPECT_LT(c.first_sequence, 0x8000u);
    EXPECT_EQ(c.first_timestamp, r.first_timestamp);
  }

  ivrm_rtp_builder* b = reinterpret_cast<ivrm_rtp_builder*>(0x1);
  ivrm_rtp_builder_config bad = c;
  bad.payload_type = 128;
  EXPECT_EQ(ivrm_rtp_builder_create(&bad, &b), IVRM_ERR_CONFIG);
  EXPECT_EQ(b, nullptr);
  bad = c;
  bad.payload_type = -1;
  EXPECT_EQ(ivrm_rtp_builder_create(&bad, &b), IVRM_ERR_CONFIG);
  bad = c;
  bad.clock_rate_hz = 0;
  EXPECT_EQ(ivrm_rtp_builder_create(&bad, &b), IVRM_ERR_CONFIG);
  bad = c;
  bad.first_sequence = 0x10000;
  EXPECT_EQ(ivrm_rtp_builder_create(&bad, &b), IVRM_ERR_CONFIG);
  size_t size = 5;
  EXPECT_EQ(ivrm_rtp_builder_size(&bad, &size), IVRM_ERR_CONFIG);
  EXPECT_EQ(size, 0u);
  EXPECT_EQ(b, nullptr);
}

TEST(CApiRtpBuilder, PacketsAreTheCxxBuildersByteForByte) {
  ivrm_rtp_builder_config c;
  ASSERT_EQ(ivrm_rtp_builder_config_init_random(&c, 42), IVRM_OK);
  c.payload_type = 111;
  c.clock_rate_hz = 48000;
  c.first_sequence = 0xFFFE;        // wraps after two packets
  c.first_timestamp = 0xFFFFF000u;  // wraps after five
  ivrm_rtp_builder* b = make_builder(c);
  ASSERT_NE(b, nullptr);
  rtp::Builder ref({.payload_type = 111,
                    .clock_rate_hz = 48000,
                    .ssrc = c.ssrc,
                    .first_sequence = 0xFFFE,
                    .first_timestamp = 0xFFFFF000u});
  const uint8_t level[1] = {0x90};
  const uint8_t wide[40] = {7};
  const ivrm_rtp_extension one_byte[1] = {{level, 1, 1}};
  const ivrm_rtp_extension two_byte[2] = {{level, 1, 1}, {wide, 40, 5}};
  const std::array<rtp::ExtensionElement, 1> one_byte_cxx = {rtp::ExtensionElement{1, level}};
  const std::array<rtp::ExtensionElement, 2> two_byte_cxx = {rtp::ExtensionElement{1, level},
                                                             rtp::ExtensionElement{5, wide}};
  const uint32_t csrcs[2] = {0x01020304, 0xA0B0C0D0};
  Bytes payload(120);
  for (size_t i = 0; i < payload.size(); ++i)
    payload[i] = static_cast<uint8_t>(i * 7);

  uint8_t out[512], want[512];
  for (int k = 0; k < 12; ++k) {
    size_t written = 0, want_n = 0, size = 0;
    uint16_t seq = 0;
    uint32_t ts = 0;
    ASSERT_EQ(ivrm_rtp_builder_next_sequence(b, &seq), IVRM_OK);
    ASSERT_EQ(ivrm_rtp_builder_next_timestamp(b, &ts), IVRM_OK);
    EXPECT_EQ(seq, ref.next_sequence());
    EXPECT_EQ(ts, ref.next_timestamp());
    const int marker = k % 5 == 0 ? 1 : 0;
    if (k == 4) {
      ASSERT_EQ(ivrm_rtp_builder_set_csrcs(b, csrcs, 2), IVRM_OK);
      ASSERT_EQ(ref.set_csrcs(csrcs), Status::ok);
    }
    if (k == 7) {  // DTX: 60 ms not sent
      ASSERT_EQ(ivrm_rtp_builder_skip(b, 2880), IVRM_OK);
      ref.skip(2880);
    }
    if (k == 9) {  // an RFC 4733 packet at an explicit timestamp
      const uint8_t event[4] = {5, 0x0A, 0, 160};
      ASSERT_EQ(ivrm_rtp_builder_build_at(b, 101, event, 4, 1234, 1, out, sizeof out, &written),
                IVRM_OK);
      ASSERT_EQ(ref.build_at(101, event, 1234, true, want, &want_n), Status::ok);
    } else {
      const ivrm_rtp_extension* ext = k % 3 == 1 ? one_byte : k % 3 == 2 ? two_byte : nullptr;
      const size_t n_ext = k % 3 == 1 ? 1 : k % 3 == 2 ? 2 : 0;
      std::span<const rtp::ExtensionElement> ext_cxx;
      if (k % 3 == 1) ext_cxx = one_byte_cxx;
      if (k % 3 == 2) ext_cxx = two_byte_cxx;
      ASSERT_EQ(ivrm_rtp_builder_packet_size(b, payload.size(), ext, n_ext, &size), IVRM_OK);
      EXPECT_EQ(size, ref.packet_size(payload.size(), ext_cxx));
      ivrm_test::AllocationScope scope;
      ASSERT_EQ(ivrm_rtp_builder_build(b, payload.data(), payload.size(), 960, marker, ext, n_ext,
                                       out, sizeof out, &written),
                IVRM_OK);
      EXPECT_EQ(scope.count(), 0);
      ASSERT_EQ(ref.build(payload, 960, marker == 1, ext_cxx, want, &want_n), Status::ok);
      EXPECT_EQ(written, size);
    }
    ASSERT_EQ(written, want_n) << "packet " << k;
    ASSERT_EQ(std::memcmp(out, want, written), 0) << "packet " << k;
  }
  ivrm_rtp_builder_stats st;
  std::memset(&st, 0xAB, sizeof st);
  st.struct_size = sizeof st;
  ASSERT_EQ(ivrm_rtp_builder_get_stats(b, &st), IVRM_OK);
  EXPECT_EQ(st.packets, ref.stats().packets);
  EXPECT_EQ(st.payload_octets, ref.stats().payload_octets);
  EXPECT_EQ(st.reserved, 0u);
  st.struct_size = 8;
  EXPECT_EQ(ivrm_rtp_builder_get_stats(b, &st), IVRM_ERR_CONFIG);

  // Reset: back to the first values.
  ASSERT_EQ(ivrm_rtp_builder_reset(b), IVRM_OK);
  uint16_t seq = 0;
  ASSERT_EQ(ivrm_rtp_builder_next_sequence(b, &seq), IVRM_OK);
  EXPECT_EQ(seq, 0xFFFE);
  ivrm_rtp_builder_destroy(b);
}

TEST(CApiRtpBuilder, ArgumentsAreCheckedAndFailuresChangeNothing) {
  ivrm_rtp_builder_config c;
  ASSERT_EQ(ivrm_rtp_builder_config_init(&c), IVRM_OK);
  ivrm_rtp_builder* b = make_builder(c);
  ASSERT_NE(b, nullptr);
  const uint8_t payload[160] = {};
  uint8_t out[256];
  size_t written = 9;
  // Too small: nothing written, no state change.
  std::memset(out, 0x5A, sizeof out);
  EXPECT_EQ(ivrm_rtp_builder_build(b, payload, 160, 160, 0, nullptr, 0, out, 171, &written),
            IVRM_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(written, 0u);
  EXPECT_EQ(out[0], 0x5A);
  uint16_t seq = 1;
  ASSERT_EQ(ivrm_rtp_builder_next_sequence(b, &seq), IVRM_OK);
  EXPECT_EQ(seq, 0);
  EXPECT_EQ(ivrm_rtp_builder_build(b, payload, 160, 160, 2, nullptr, 0, out, 256, &written),
            IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_rtp_builder_build(b, nullptr, 160, 160, 0, nullptr, 0, out, 256, &written),
            IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_builder_build(b, payload, 160, 160, 0, nullptr, 1, out, 256, &written),
            IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_builder_build(b, payload, 160, 160, 0, nullptr, 0, nullptr, 256, &written),
            IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_builder_build(b, payload, 160, 160, 0, nullptr, 0, out, 256, nullptr),
            IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_builder_build(nullptr, payload, 160, 160, 0, nullptr, 0, out, 256, &written),
            IVRM_ERR_NULL);
  std::vector<ivrm_rtp_extension> many(IVRM_RTP_MAX_EXTENSIONS + 1, {payload, 1, 1});
  EXPECT_EQ(
      ivrm_rtp_builder_build(b, payload, 10, 160, 0, many.data(), many.size(), out, 256, &written),
      IVRM_ERR_RANGE);
  const ivrm_rtp_extension bad_id[1] = {{payload, 1, 0}};
  EXPECT_EQ(ivrm_rtp_builder_build(b, payload, 10, 160, 0, bad_id, 1, out, 256, &written),
            IVRM_ERR_INVALID);
  const ivrm_rtp_extension too_long[1] = {{payload, 256, 7}};
  EXPECT_EQ(ivrm_rtp_builder_build(b, payload, 10, 160, 0, too_long, 1, out, 256, &written),
            IVRM_ERR_INVALID);
  const ivrm_rtp_extension null_data[1] = {{nullptr, 3, 7}};
  EXPECT_EQ(ivrm_rtp_builder_build(b, payload, 10, 160, 0, null_data, 1, out, 256, &written),
            IVRM_ERR_NULL);
  size_t size = 7;
  EXPECT_EQ(ivrm_rtp_builder_packet_size(b, 10, bad_id, 1, &size), IVRM_ERR_INVALID);
  EXPECT_EQ(size, 0u);
  EXPECT_EQ(ivrm_rtp_builder_packet_size(b, 10, nullptr, 0, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_builder_build_at(b, 128, payload, 4, 0, 0, out, 256, &written),
            IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_rtp_builder_build_at(b, 101, payload, 4, 0, 3, out, 256, &written),
            IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_rtp_builder_build_at(b, 101, nullptr, 4, 0, 0, out, 256, &written), IVRM_ERR_NULL);
  ASSERT_EQ(ivrm_rtp_builder_next_sequence(b, &seq), IVRM_OK);
  EXPECT_EQ(seq, 0) << "a failed build moved the sequence";

  uint32_t csrcs[16] = {};
  EXPECT_EQ(ivrm_rtp_builder_set_csrcs(b, csrcs, 16), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_rtp_builder_set_csrcs(b, nullptr, 2), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_builder_set_csrcs(b, nullptr, 0), IVRM_OK);
  EXPECT_EQ(ivrm_rtp_builder_set_csrcs(b, csrcs, 15), IVRM_OK);
  EXPECT_EQ(ivrm_rtp_builder_skip(nullptr, 1), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_builder_next_sequence(b, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_builder_next_timestamp(nullptr, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_builder_get_stats(b, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_builder_reset(nullptr), IVRM_ERR_NULL);
  ivrm_rtp_builder_destroy(b);
  ivrm_rtp_builder_destroy(nullptr);
}

TEST(CApiRtpBuilder, BuildersFitInAnArena) {
  ivrm_rtp_builder_config c;
  ASSERT_EQ(ivrm_rtp_builder_config_init(&c), IVRM_OK);
  size_t size = 0;
  ASSERT_EQ(ivrm_rtp_builder_size(&c, &size), IVRM_OK);
  ASSERT_GT(size, 0u);
  EXPECT_EQ(size % IVRM_ALIGNMENT, 0u);
  constexpr int kN = 64;
  void* arena = std::aligned_alloc(IVRM_ALIGNMENT, size * kN);
  ASSERT_NE(arena, nullptr);
  std::vector<ivrm_rtp_builder*> handles(kN);
  for (int i = 0; i < kN; ++i) {
    ASSERT_EQ(ivrm_rtp_builder_config_init_random(&c, static_cast<uint64_t>(i)), IVRM_OK);
    ASSERT_EQ(
        ivrm_rtp_builder_create_in(static_cast<char*>(arena) + i * size, size, &c, &handles[i]),
        IVRM_OK);
  }
  for (int i = 0; i < kN; ++i) {
    uint16_t seq = 0;
    ASSERT_EQ(ivrm_rtp_builder_next_sequence(handles[i], &seq), IVRM_OK);
    EXPECT_EQ(seq, rtp::Builder::random_config(0, 8000, static_cast<uint64_t>(i)).first_sequence);
  }
  for (auto* h : handles)
    ivrm_rtp_builder_destroy(h);
  std::free(arena);
  alignas(IVRM_ALIGNMENT) unsigned char buf[1024];
  ivrm_rtp_builder* h = reinterpret_cast<ivrm_rtp_builder*>(0x1);
  EXPECT_EQ(ivrm_rtp_builder_create_in(buf + 1, size, &c, &h), IVRM_ERR_INVALID);
  EXPECT_EQ(h, nullptr);
  EXPECT_EQ(ivrm_rtp_builder_create_in(buf, size - 1, &c, &h), IVRM_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(ivrm_rtp_builder_create_in(nullptr, size, &c, &h), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_builder_create_in(buf, size, nullptr, &h), IVRM_ERR_NULL);
}

// ---- RFC 4733 -----------------------------------------------------------------------------

TEST(CApiRtpEvents, CharsAndCodes) {
  for (int32_t code = -2; code < 300; ++code)
    EXPECT_EQ(ivrm_rtp_event_char(code), rtp::event_char(code));
  for (int ch = -128; ch < 128; ++ch)
    EXPECT_EQ(ivrm_rtp_event_code(static_cast<char>(ch)), rtp::event_code(static_cast<char>(ch)));
  EXPECT_EQ(ivrm_rtp_event_code('#'), 11);
  EXPECT_EQ(ivrm_rtp_event_char(16), '!');
}

TEST(CApiRtpEvents, SenderGivesTheCxxSendersPackets) {
  ivrm_rtp_event_sender_config c;
  EXPECT_EQ(ivrm_rtp_event_sender_config_init_sized(nullptr, sizeof(ivrm_rtp_event_sender_config)),
            IVRM_ERR_NULL);
  ASSERT_EQ(ivrm_rtp_event_sender_config_init(&c), IVRM_OK);
  const rtp::TelephoneEventSender::Config d;
  EXPECT_EQ(c.clock_rate_hz, d.clock_rate_hz);
  EXPECT_EQ(c.interval_ms, d.interval_ms);
  EXPECT_EQ(c.end_repeats, d.end_repeats);
  c.clock_rate_hz = 8000;
  c.interval_ms = 50;  // 400 units per packet: a long event makes segments
  ivrm_rtp_event_sender* s = nullptr;
  ASSERT_EQ(ivrm_rtp_event_sender_create(&c, &s), IVRM_OK);
  rtp::TelephoneEventSender ref({.clock_rate_hz = 8000, .interval_ms = 50, .end_repeats = 3});

  int active = 7;
  ASSERT_EQ(ivrm_rtp_event_sender_active(s, &active), IVRM_OK);
  EXPECT_EQ(active, 0);
  EXPECT_EQ(ivrm_rtp_event_sender_end(s), IVRM_ERR_STATE);
  EXPECT_EQ(ivrm_rtp_event_sender_begin(s, 256, 0, 10), IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_rtp_event_sender_begin(s, 5, 0, 64), IVRM_ERR_INVALID);
  ASSERT_EQ(ivrm_rtp_event_sender_begin(s, 5, 0xFFFFFF00u, 10), IVRM_OK);
  ASSERT_EQ(ref.begin(5, 0xFFFFFF00u, 10), Status::ok);
  EXPECT_EQ(ivrm_rtp_event_sender_begin(s, 6, 0, 10), IVRM_ERR_STATE);
  int packets = 0;
  for (int k = 0; k < 200; ++k) {  // 10 s: longer than one 16-bit duration
    if (k == 190) {
      ASSERT_EQ(ivrm_rtp_event_sender_end(s), IVRM_OK);
      ASSERT_EQ(ref.end(), Status::ok);
    }
    ivrm_rtp_event_packet p;
    int ready = 7;
    {
      ivrm_test::AllocationScope scope;
      ASSERT_EQ(ivrm_rtp_event_sender_next(s, &p, &ready), IVRM_OK);
      EXPECT_EQ(scope.count(), 0);
    }
    rtp::TelephoneEventSender::Packet want;
    const bool has = ref.next(&want);
    ASSERT_EQ(ready, has ? 1 : 0) << k;
    if (!has) continue;
    ++packets;
    EXPECT_EQ(std::memcmp(p.payload, want.payload.data(), 4), 0) << k;
    EXPECT_EQ(p.timestamp, want.timestamp);
    EXPECT_EQ(p.marker, want.marker ? 1 : 0);
    EXPECT_EQ(p.end, want.end ? 1 : 0);
  }
  EXPECT_EQ(packets, 193);  // 190 intervals and 3 end packets
  ASSERT_EQ(ivrm_rtp_event_sender_active(s, &active), IVRM_OK);
  EXPECT_EQ(active, 0);
  ivrm_rtp_event_packet p;
  int ready = 0;
  EXPECT_EQ(ivrm_rtp_event_sender_next(s, nullptr, &ready), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_sender_next(s, &p, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_sender_next(nullptr, &p, &ready), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_sender_active(s, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_sender_reset(s), IVRM_OK);
  EXPECT_EQ(ivrm_rtp_event_sender_reset(nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_sender_begin(nullptr, 1, 0, 10), IVRM_ERR_NULL);
  ivrm_rtp_event_sender_destroy(s);

  // Config ranges are the C++ ones; the sender fits in caller memory.
  ivrm_rtp_event_sender_config bad = c;
  bad.interval_ms = 4;
  s = reinterpret_cast<ivrm_rtp_event_sender*>(0x1);
  EXPECT_EQ(ivrm_rtp_event_sender_create(&bad, &s), IVRM_ERR_CONFIG);
  EXPECT_EQ(s, nullptr);
  bad = c;
  bad.end_repeats = 11;
  size_t size = 3;
  EXPECT_EQ(ivrm_rtp_event_sender_size(&bad, &size), IVRM_ERR_CONFIG);
  EXPECT_EQ(size, 0u);
  ASSERT_EQ(ivrm_rtp_event_sender_size(&c, &size), IVRM_OK);
  EXPECT_EQ(size % IVRM_ALIGNMENT, 0u);
  std::vector<unsigned char> mem(size + IVRM_ALIGNMENT);
  void* aligned =
      mem.data() +
      (IVRM_ALIGNMENT - reinterpret_cast<uintptr_t>(mem.data()) % IVRM_ALIGNMENT) % IVRM_ALIGNMENT;
  ASSERT_EQ(ivrm_rtp_event_sender_create_in(aligned, size, &c, &s), IVRM_OK);
  ASSERT_EQ(ivrm_rtp_event_sender_begin(s, 1, 0, 10), IVRM_OK);
  ivrm_rtp_event_sender_destroy(s);
}

// Sender -> builder (build_at) -> parse -> receiver: the digits come back, and the receiver's
// events are the C++ receiver's for the same packets.
TEST(CApiRtpEvents, ReceiverRoundTripIsTheCxxReceivers) {
  ivrm_rtp_event_sender_config sc;
  ASSERT_EQ(ivrm_rtp_event_sender_config_init(&sc), IVRM_OK);
  ivrm_rtp_event_sender* s = nullptr;
  ASSERT_EQ(ivrm_rtp_event_sender_create(&sc, &s), IVRM_OK);
  ivrm_rtp_builder_config bc;
  ASSERT_EQ(ivrm_rtp_builder_config_init_random(&bc, 7), IVRM_OK);
  ivrm_rtp_builder* b = make_builder(bc);
  ivrm_rtp_event_receiver_config rc;
  EXPECT_EQ(
      ivrm_rtp_event_receiver_config_init_sized(nullptr, sizeof(ivrm_rtp_event_receiver_config)),
      IVRM_ERR_NULL);
  ASSERT_EQ(ivrm_rtp_event_receiver_config_init(&rc), IVRM_OK);
  EXPECT_EQ(rc.queue_capacity, rtp::TelephoneEventReceiver::Config{}.queue_capacity);
  ivrm_rtp_event_receiver* r = nullptr;
  ASSERT_EQ(ivrm_rtp_event_receiver_create(&rc, &r), IVRM_OK);
  rtp::TelephoneEventReceiver ref;

  const std::string digits = "0123456789*#ABCD95";  // 18 digits: 36 events, over two chunks
  int64_t now_us = 0;
  uint8_t packet[64];
  for (char digit : digits) {
    uint32_t ts = 0;
    ASSERT_EQ(ivrm_rtp_builder_next_timestamp(b, &ts), IVRM_OK);
    ASSERT_EQ(ivrm_rtp_event_sender_begin(s, ivrm_rtp_event_code(digit), ts, 10), IVRM_OK);
    for (int k = 0; k < 12; ++k) {  // 100 ms of key, then the end packets, then a pause
      if (k == 5) {
        ASSERT_EQ(ivrm_rtp_event_sender_end(s), IVRM_OK);
      }
      ivrm_rtp_event_packet ep;
      int ready = 0;
      ASSERT_EQ(ivrm_rtp_event_sender_next(s, &ep, &ready), IVRM_OK);
      ASSERT_EQ(ivrm_rtp_builder_skip(b, 160), IVRM_OK);
      now_us += 20000;
      if (!ready) continue;
      size_t written = 0;
      ASSERT_EQ(ivrm_rtp_builder_build_at(b, 101, ep.payload, 4, ep.timestamp, ep.marker, packet,
                                          sizeof packet, &written),
                IVRM_OK);
      ivrm_rtp_packet p = fresh_packet();
      ASSERT_EQ(ivrm_rtp_parse(packet, written, &p, nullptr), IVRM_OK);
      ASSERT_EQ(p.payload_type, 101);
      {
        ivrm_test::AllocationScope scope;
        ASSERT_EQ(ivrm_rtp_event_receiver_push(r, &p, now_us), IVRM_OK);
        ASSERT_EQ(ivrm_rtp_event_receiver_poll(r, now_us), IVRM_OK);
        EXPECT_EQ(scope.count(), 0);
      }
      rtp::PacketView v;
      ASSERT_EQ(rtp::parse(std::span<const uint8_t>(packet, written), &v, nullptr), Status::ok);
      ASSERT_EQ(ref.push(v, now_us), Status::ok);
      ref.poll(now_us);
    }
  }
  ivrm_rtp_event ev[64];
  size_t count = 0;
  {
    ivrm_test::AllocationScope scope;
    ASSERT_EQ(ivrm_rtp_event_receiver_read_events(r, ev, 64, &count), IVRM_OK);
    EXPECT_EQ(scope.count(), 0);
  }
  rtp::TelephoneEvent want[64];
  const size_t want_n = ref.read(want);
  ASSERT_EQ(count, want_n);
  ASSERT_EQ(count, 2 * digits.size());
  std::string got;
  for (size_t i = 0; i < count; ++i) {
    EXPECT_EQ(ev[i].phase, static_cast<int32_t>(want[i].phase));
    EXPECT_EQ(ev[i].code, want[i].code);
    EXPECT_EQ(ev[i].volume, want[i].volume);
    EXPECT_EQ(ev[i].start, want[i].start);
    EXPECT_EQ(ev[i].duration, want[i].duration);
    EXPECT_EQ(ev[i].start_lost, want[i].start_lost ? 1 : 0);
    EXPECT_EQ(ev[i].cause, static_cast<int32_t>(want[i].cause));
    EXPECT_EQ(ev[i].arrival_us, want[i].arrival_us);
    EXPECT_EQ(ev[i].digit, rtp::event_char(want[i].code));
    if (ev[i].phase == IVRM_RTP_EVENT_END) {
      EXPECT_EQ(ev[i].cause, IVRM_RTP_EVENT_CAUSE_END_BIT);
      got += ev[i].digit;
    }
  }
  EXPECT_EQ(got, digits);

  ivrm_rtp_event_receiver_stats st;
  std::memset(&st, 0xAB, sizeof st);
  st.struct_size = sizeof st;
  ASSERT_EQ(ivrm_rtp_event_receiver_get_stats(r, &st), IVRM_OK);
  EXPECT_EQ(st.packets, ref.stats().packets);
  EXPECT_EQ(st.events, static_cast<int64_t>(digits.size()));
  EXPECT_EQ(st.ended_by_bit, ref.stats().ended_by_bit);
  EXPECT_EQ(st.retransmitted_ends, ref.stats().retransmitted_ends);
  EXPECT_EQ(st.retransmitted_ends, 2 * static_cast<int64_t>(digits.size()));
  EXPECT_EQ(st.reserved, 0u);

  // A key whose end packets are all lost ends by timeout at a later poll.
  ASSERT_EQ(ivrm_rtp_event_sender_begin(s, 3, 5000, 10), IVRM_OK);
  ivrm_rtp_event_packet ep;
  int ready = 0;
  ASSERT_EQ(ivrm_rtp_event_sender_next(s, &ep, &ready), IVRM_OK);
  size_t written = 0;
  ASSERT_EQ(ivrm_rtp_builder_build_at(b, 101, ep.payload, 4, ep.timestamp, ep.marker, packet,
                                      sizeof packet, &written),
            IVRM_OK);
  ivrm_rtp_packet p = fresh_packet();
  ASSERT_EQ(ivrm_rtp_parse(packet, written, &p, nullptr), IVRM_OK);
  ASSERT_EQ(ivrm_rtp_event_receiver_push(r, &p, now_us), IVRM_OK);
  ASSERT_EQ(ivrm_rtp_event_receiver_poll(r, now_us + 600000), IVRM_OK);
  ASSERT_EQ(ivrm_rtp_event_receiver_read_events(r, ev, 64, &count), IVRM_OK);
  ASSERT_EQ(count, 2u);
  EXPECT_EQ(ev[0].phase, IVRM_RTP_EVENT_BEGIN);
  EXPECT_EQ(ev[0].digit, '3');
  EXPECT_EQ(ev[1].phase, IVRM_RTP_EVENT_END);
  EXPECT_EQ(ev[1].cause, IVRM_RTP_EVENT_CAUSE_TIMEOUT);

  // Arguments.
  ivrm_rtp_packet short_payload = p;
  short_payload.payload_size = 3;
  EXPECT_EQ(ivrm_rtp_event_receiver_push(r, &short_payload, now_us), IVRM_ERR_MALFORMED);
  EXPECT_EQ(ivrm_rtp_event_receiver_push(r, nullptr, now_us), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_receiver_push(nullptr, &p, now_us), IVRM_ERR_NULL);
  ivrm_rtp_packet bad = p;
  bad.csrc_count = 16;
  EXPECT_EQ(ivrm_rtp_event_receiver_push(r, &bad, now_us), IVRM_ERR_RANGE);
  bad = p;
  bad.struct_size = 4;
  EXPECT_EQ(ivrm_rtp_event_receiver_push(r, &bad, now_us), IVRM_ERR_CONFIG);
  count = 5;
  EXPECT_EQ(ivrm_rtp_event_receiver_read_events(r, nullptr, 4, &count), IVRM_ERR_NULL);
  EXPECT_EQ(count, 0u);
  EXPECT_EQ(ivrm_rtp_event_receiver_read_events(r, ev, 4, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_receiver_read_events(nullptr, ev, 4, &count), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_receiver_read_events(r, nullptr, 0, &count), IVRM_OK);
  EXPECT_EQ(ivrm_rtp_event_receiver_poll(nullptr, 0), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_receiver_finish(nullptr, 0), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_receiver_finish(r, now_us), IVRM_OK);
  st.struct_size = sizeof st - 8;
  EXPECT_EQ(ivrm_rtp_event_receiver_get_stats(r, &st), IVRM_ERR_CONFIG);
  EXPECT_EQ(ivrm_rtp_event_receiver_get_stats(nullptr, &st), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_rtp_event_receiver_reset(r), IVRM_OK);
  st.struct_size = sizeof st;
  ASSERT_EQ(ivrm_rtp_event_receiver_get_stats(r, &st), IVRM_OK);
  EXPECT_EQ(st.packets, 0);

  ivrm_rtp_event_receiver_config rbad = rc;
  rbad.queue_capacity = 1;
  ivrm_rtp_event_receiver* r2 = reinterpret_cast<ivrm_rtp_event_receiver*>(0x1);
  EXPECT_EQ(ivrm_rtp_event_receiver_create(&rbad, &r2), IVRM_ERR_CONFIG);
  EXPECT_EQ(r2, nullptr);
  rbad = rc;
  rbad.clock_rate_hz = 999;
  EXPECT_EQ(ivrm_rtp_event_receiver_create(&rbad, &r2), IVRM_ERR_CONFIG);

  ivrm_rtp_event_receiver_destroy(r);
  ivrm_rtp_event_sender_destroy(s);
  ivrm_rtp_builder_destroy(b);
}

}  // namespace
