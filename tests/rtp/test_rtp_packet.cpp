// rtp::parse / rtp::Builder: packets hand-built from the RFC 3550 section 5.1 layout (fixed
// header, CSRC list, padding, marker, payload type) and RFC 8285 header extensions (one-byte
// form 0xBEDE, two-byte form 0x100x, padding bytes, the reserved ID 15), every malformed case
// with its reason, builder -> parser round trips, 16/32-bit wraps (RFC 3550's modular
// arithmetic), RFC 3550 random initial values, timestamp steps per codec clock (RFC 3551,
// RFC 7587), a randomized robustness run and the real-time rule (no allocation).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <random>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/rtp.hpp"
#include "support/alloc_counter.hpp"

namespace {

using ivrmedia::Error;
using ivrmedia::Status;
namespace rtp = ivrmedia::rtp;
namespace codec = ivrmedia::codec;
using rtp::ParseError;
using Bytes = std::vector<std::uint8_t>;

Bytes bytes(std::initializer_list<int> values) {
  Bytes b;
  for (int v : values)
    b.push_back(static_cast<std::uint8_t>(v));
  return b;
}
Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
// RFC 3550 section 5.1 fixed header: V=2 plus the given flag bits, seq 0x1234,
// timestamp 0xDEADBEEF, SSRC 0x01020304.
Bytes header(int first_byte, int second_byte) {
  return bytes({first_byte, second_byte, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3, 4});
}
Bytes span_bytes(std::span<const std::uint8_t> s) {
  return Bytes(s.begin(), s.end());
}

// The datagram travels with its view (whose spans point into it).
struct Parsed {
  Bytes packet;
  Status status;
  ParseError why;
  rtp::PacketView view;
};
Parsed parse(Bytes b) {
  Parsed p{};
  p.packet = std::move(b);
  p.view.ssrc = 0x5EED;  // sentinel: parse() must leave the view alone on error
  p.status = rtp::parse(p.packet, &p.view, &p.why);
  return p;
}

std::vector<std::pair<int, Bytes>> elements_of(const rtp::PacketView& v, ParseError* error) {
  std::vector<std::pair<int, Bytes>> out;
  *error = rtp::for_each_extension(
      v, [&](const rtp::ExtensionElement& e) { out.emplace_back(e.id, span_bytes(e.data)); });
  return out;
}

TEST(RtpParse, Rfc3550MinimalFixedHeader) {
  const Bytes packet = cat(header(0x80, 0x00), bytes({0xAA, 0xBB}));
  const Parsed p = parse(packet);
  ASSERT_EQ(p.status, Status::ok);
  EXPECT_EQ(p.why, ParseError::none);
  EXPECT_FALSE(p.view.marker);
  EXPECT_EQ(p.view.payload_type, 0);
  EXPECT_EQ(p.view.sequence, 0x1234);
  EXPECT_EQ(p.view.timestamp, 0xDEADBEEFu);
  EXPECT_EQ(p.view.ssrc, 0x01020304u);
  EXPECT_EQ(p.view.csrc_count(), 0u);
  EXPECT_FALSE(p.view.has_extension);
  EXPECT_EQ(rtp::extension_form(p.view), rtp::ExtensionForm::none);
  EXPECT_EQ(p.view.padding_bytes, 0);
  EXPECT_EQ(span_bytes(p.view.payload), bytes({0xAA, 0xBB}));
  EXPECT_EQ(p.view.payload.data(), p.packet.data() + 12);  // zero-copy: points into the datagram

  // Exactly the fixed header: an empty payload is legal.
  const Parsed empty = parse(header(0x80, 0x00));
  ASSERT_EQ(empty.status, Status::ok);
  EXPECT_TRUE(empty.view.payload.empty());
}

TEST(RtpParse, Rfc3550MarkerAndSevenBitPayloadType) {
  Parsed p = parse(header(0x80, 0xFF));
  ASSERT_EQ(p.status, Status::ok);
  EXPECT_TRUE(p.view.marker);
  EXPECT_EQ(p.view.payload_type, 127);
  p = parse(header(0x80, 0x08));
  ASSERT_EQ(p.status, Status::ok);
  EXPECT_FALSE(p.view.marker);
  EXPECT_EQ(p.view.payload_type, 8);
  p = parse(header(0x80, 0x80 | 101));
  EXPECT_TRUE(p.view.marker);
  EXPECT_EQ(p.view.payload_type, 101);
}

TEST(RtpParse, Rfc3550CsrcList) {
  const Bytes packet =
      cat(header(0x82, 0x00), bytes({0xCA, 0xFE, 0xBA, 0xBE, 0x00, 0x00, 0x00, 0x07, 0x55}));
  const Parsed p = parse(packet);
  ASSERT_EQ(p.status, Status::ok);
  ASSERT_EQ(p.view.csrc_count(), 2u);
  EXPECT_EQ(p.view.csrc(0), 0xCAFEBABEu);
  EXPECT_EQ(p.view.csrc(1), 7u);
  EXPECT_EQ(span_bytes(p.view.payload), bytes({0x55}));

  // All 15 CSRCs and no payload.
  Bytes full = header(0x8F, 0x00);
  for (int i = 0; i < 15; ++i)
    full = cat(full, bytes({0, 0, 0, i + 1}));
  const Parsed f = parse(full);
  ASSERT_EQ(f.status, Status::ok);
  ASSERT_EQ(f.view.csrc_count(), 15u);
  EXPECT_EQ(f.view.csrc(14), 15u);
  EXPECT_TRUE(f.view.payload.empty());
}

TEST(RtpParse, Rfc3550PaddingIsRemovedFromThePayload) {
  // P set; the last octet counts the padding, itself included.
  Parsed p = parse(cat(header(0xA0, 0x00), bytes({0x11, 0x22, 0x00, 0x00, 0x03})));
  ASSERT_EQ(p.status, Status::ok);
  EXPECT_EQ(p.view.padding_bytes, 3);
  EXPECT_EQ(span_bytes(p.view.payload), bytes({0x11, 0x22}));
  // Padding that fills everything after the header.
  p = parse(cat(header(0xA0, 0x00), bytes({0x00, 0x00, 0x00, 0x04})));
  ASSERT_EQ(p.status, Status::ok);
  EXPECT_TRUE(p.view.payload.empty());
  // A single padding octet (count 1).
  p = parse(cat(header(0xA0, 0x00), bytes({0x7E, 0x01})));
  ASSERT_EQ(p.status, Status::ok);
  EXPECT_EQ(span_bytes(p.view.payload), bytes({0x7E}));
}

TEST(RtpParse, Rfc8285OneByteFormWithPaddingBytes) {
  // 0xBEDE, 2 words: ID 1 (1 byte), a padding byte, ID 2 (3 bytes), a final padding byte.
  const Bytes ext = bytes({0xBE, 0xDE, 0x00, 0x02, 0x10, 0xAA, 0x00, 0x22, 1, 2, 3, 0x00});
  const Bytes packet = cat(cat(header(0x90, 0x00), ext), bytes({0x99}));
  const Parsed p = parse(packet);
  ASSERT_EQ(p.status, Status::ok);
  EXPECT_TRUE(p.view.has_extension);
  EXPECT_EQ(p.view.extension_profile, 0xBEDE);
  EXPECT_EQ(p.view.extension_data.size(), 8u);
  EXPECT_EQ(rtp::extension_form(p.view), rtp::ExtensionForm::one_byte);
  ParseError error;
  const auto elements = elements_of(p.view, &error);
  EXPECT_EQ(error, ParseError::none);
  ASSERT_EQ(elements.size(), 2u);
  EXPECT_EQ(elements[0], (std::pair<int, Bytes>{1, bytes({0xAA})}));
  EXPECT_EQ(elements[1], (std::pair<int, Bytes>{2, bytes({1, 2, 3})}));
  std::span<const std::uint8_t> data;
  ASSERT_TRUE(rtp::find_extension(p.view, 2, &data));
  EXPECT_EQ(span_bytes(data), bytes({1, 2, 3}));
  EXPECT_FALSE(rtp::find_extension(p.view, 3, &data));
  EXPECT_EQ(span_bytes(p.view.payload), bytes({0x99}));

  // A 16-byte element (length field 15) fills the one-byte form's maximum.
  Bytes big = bytes({0xBE, 0xDE, 0x00, 0x05, 0x3F});
  for (int i = 0; i < 16; ++i)
    big.push_back(static_cast<std::uint8_t>(i));
  big = cat(big, bytes({0, 0, 0}));
  const Parsed b = parse(cat(header(0x90, 0x00), big));
  ASSERT_EQ(b.status, Status::ok);
  ASSERT_TRUE(rtp::find_extension(b.view, 3, &data));
  EXPECT_EQ(data.size(), 16u);
}

TEST(RtpParse, Rfc8285OneByteId15StopsTheBlock) {
  // After ID 15 nothing is read, not even a following element that would overrun the block.
  const Bytes ext = bytes({0xBE, 0xDE, 0x00, 0x01, 0x10, 0xAA, 0xF3, 0x2F});
  const Parsed p = parse(cat(header(0x90, 0x00), ext));
  ASSERT_EQ(p.status, Status::ok);
  ParseError error;
  const auto elements = elements_of(p.view, &error);
  EXPECT_EQ(error, ParseError::none);
  ASSERT_EQ(elements.size(), 1u);
  EXPECT_EQ(elements[0].first, 1);
}

TEST(RtpParse, Rfc8285TwoByteFormWithPaddingAndAppBits) {
  // 0x100F (appbits 0xF), 2 words: ID 1 with no data, a padding byte, ID 200 (3 bytes).
  const Bytes ext = bytes({0x10, 0x0F, 0x00, 0x02, 0x01, 0x00, 0x00, 200, 0x03, 7, 8, 9});
  const Parsed p = parse(cat(cat(header(0x90, 0x00), ext), bytes({0x42, 0x43})));
  ASSERT_EQ(p.status, Status::ok);
  EXPECT_EQ(rtp::extension_form(p.view), rtp::ExtensionForm::two_byte);
  ParseError error;
  const auto elements = elements_of(p.view, &error);
  EXPECT_EQ(error, ParseError::none);
  ASSERT_EQ(elements.size(), 2u);
  EXPECT_EQ(elements[0], (std::pair<int, Bytes>{1, Bytes{}}));
  EXPECT_EQ(elements[1], (std::pair<int, Bytes>{200, bytes({7, 8, 9})}));
  EXPECT_EQ(span_bytes(p.view.payload), bytes({0x42, 0x43}));
}

TEST(RtpParse, Rfc3550OtherExtensionProfilesAreRaw) {
  const Bytes ext = bytes({0xAB, 0xCD, 0x00, 0x01, 0xFF, 0xFF, 0xFF, 0xFF});
  const Parsed p = parse(cat(header(0x90, 0x00), ext));
  ASSERT_EQ(p.status, Status::ok);  // element rules do not apply to foreign profiles
  EXPECT_EQ(p.view.extension_profile, 0xABCD);
  EXPECT_EQ(rtp::extension_form(p.view), rtp::ExtensionForm::other);
  EXPECT_EQ(span_bytes(p.view.extension_data), bytes({0xFF, 0xFF, 0xFF, 0xFF}));
  ParseError error;
  EXPECT_TRUE(elements_of(p.view, &error).empty());
  EXPECT_FALSE(rtp::find_extension(p.view, 15, nullptr));
  // Zero-length extension block of any profile.
  const Parsed z = parse(cat(header(0x90, 0x00), bytes({0xBE, 0xDE, 0x00, 0x00})));
  ASSERT_EQ(z.status, Status::ok);
  EXPECT_TRUE(z.view.extension_data.empty());
}

TEST(RtpParse, PaddingAndExtensionAndCsrcsTogether) {
  Bytes packet = header(0xB1, 0x80 | 96);  // P, X, CC=1, marker, PT 96
  packet = cat(packet, bytes({0, 0, 0, 9}));
  packet = cat(packet, bytes({0xBE, 0xDE, 0x00, 0x01, 0x10, 0x85, 0x00, 0x00}));
  packet = cat(packet, bytes({0xD5, 0xD5, 0xD5, 0x00, 0x02}));
  const Parsed p = parse(packet);
  ASSERT_EQ(p.status, Status::ok);
  EXPECT_EQ(p.view.csrc(0), 9u);
  std::span<const std::uint8_t> level;
  ASSERT_TRUE(rtp::find_extension(p.view, 1, &level));
  EXPECT_EQ(span_bytes(level), bytes({0x85}));  // RFC 6464: voice, -5 dBov
  EXPECT_EQ(span_bytes(p.view.payload), bytes({0xD5, 0xD5, 0xD5}));
  EXPECT_EQ(p.view.padding_bytes, 2);
}

// RFC 8285: an element running past its block spoils the extension, not the audio. The packet
// is accepted with its payload; the reader returns the elements before the broken one and then
// stops with bad_extension_element (libwebrtc keeps such packets too; an IVR must not lose a
// caller's audio over a middlebox's broken metadata).
TEST(RtpParse, Rfc8285BrokenElementsKeepThePacketAndTheReaderSaysWhere) {
  struct Broken {
    const char* what;
    Bytes extension;          // header + block
    std::size_t good_before;  // elements readable before the broken one
  };
  const Broken cases[] = {
      {"one-byte element beyond the block", bytes({0xBE, 0xDE, 0, 1, 0x13, 1, 2, 3}), 0},
      {"one-byte element header as the last byte", bytes({0xBE, 0xDE, 0, 1, 0x10, 1, 0x00, 0x20}),
       1},
      {"two-byte element beyond the block", bytes({0x10, 0x00, 0, 1, 0x01, 0x05, 1, 2}), 0},
      {"two-byte element without its length byte", bytes({0x10, 0x00, 0, 1, 0, 0, 0, 0x07}), 0}};
  for (const Broken& c : cases) {
    SCOPED_TRACE(c.what);
    const Parsed p = parse(cat(cat(header(0x90, 0), c.extension), bytes({9, 9})));
    ASSERT_EQ(p.status, Status::ok);
    EXPECT_EQ(p.why, ParseError::none);
    EXPECT_EQ(span_bytes(p.view.payload), bytes({9, 9}));
    ParseError error = ParseError::none;
    const auto elements = elements_of(p.view, &error);
    EXPECT_EQ(error, ParseError::bad_extension_element);
    EXPECT_EQ(elements.size(), c.good_before);
    EXPECT_FALSE(rtp::find_extension(p.view, 2, nullptr));
  }
}

struct Malformed {
  const char* what;
  Bytes packet;
  ParseError why;
  Status status;
};

TEST(RtpParse, EveryMalformedPacketIsRejectedWithItsReasonAndCounted) {
  const Bytes good = cat(header(0x80, 0x00), bytes({1, 2, 3, 4}));
  std::vector<Malformed> cases;
  for (std::size_t n = 0; n < 12; ++n) {
    cases.push_back({"shorter than 12 bytes", Bytes(good.begin(), good.begin() + n),
                     ParseError::too_short, Status::truncated});
  }
  for (int v : {0x00, 0x40, 0xC0}) {
    cases.push_back({"version 0/1/3", cat(header(v, 0), bytes({1})), ParseError::bad_version,
                     Status::malformed});
  }
  cases.push_back({"padding count 0", cat(header(0xA0, 0), bytes({1, 2, 0})),
                   ParseError::bad_padding, Status::malformed});
  cases.push_back({"padding count beyond the payload", cat(header(0xA0, 0), bytes({1, 2, 4})),
                   ParseError::bad_padding, Status::malformed});
  cases.push_back({"padding flag with nothing after the header", header(0xA0, 0),
                   ParseError::bad_padding, Status::malformed});
  cases.push_back({"padding reaching into the extension",
                   cat(header(0xB0, 0), bytes({0xBE, 0xDE, 0, 1, 0x10, 1, 0, 0, 0x05})),
                   ParseError::bad_padding, Status::malformed});
  cases.push_back({"CSRC count beyond the length", cat(header(0x83, 0), Bytes(8, 0)),
                   ParseError::csrc_overrun, Status::truncated});
  cases.push_back(
      {"CSRC count 15 with no CSRC", header(0x8F, 0), ParseError::csrc_overrun, Status::truncated});
  cases.push_back({"extension header cut", cat(header(0x90, 0), bytes({0xBE, 0xDE, 0})),
                   ParseError::extension_overrun, Status::truncated});
  cases.push_back({"extension length beyond the packet",
                   cat(header(0x90, 0), bytes({0xBE, 0xDE, 0, 2, 0x10, 1, 0, 0})),
                   ParseError::extension_overrun, Status::truncated});
  cases.push_back({"extension length 0xFFFF", cat(header(0x90, 0), bytes({0x12, 0x34, 0xFF, 0xFF})),
                   ParseError::extension_overrun, Status::truncated});

  rtp::ParseStats stats;
  std::array<std::int64_t, rtp::kParseErrorCount> expected{};
  for (const Malformed& c : cases) {
    SCOPED_TRACE(c.what);
    const Parsed p = parse(c.packet);
    EXPECT_EQ(p.status, c.status);
    EXPECT_EQ(p.why, c.why) << rtp::describe(p.why);
    EXPECT_EQ(rtp::status_of(p.why), p.status);
    EXPECT_EQ(p.view.ssrc, 0x5EEDu);  // untouched
    EXPECT_TRUE(p.view.payload.empty());
    rtp::count(stats, p.why);
    ++expected[static_cast<std::size_t>(c.why)];
  }
  rtp::count(stats, parse(good).why);
  EXPECT_EQ(stats.accepted, 1);
  EXPECT_EQ(stats.rejected, expected);
  EXPECT_EQ(stats.rejected_total(), static_cast<std::int64_t>(cases.size()));
  EXPECT_EQ(stats.rejected_for(ParseError::too_short), 12);
  EXPECT_EQ(stats.rejected_for(static_cast<ParseError>(99)), 0);

  // A null view is refused; the reason pointer is optional.
  EXPECT_EQ(rtp::parse(good, nullptr, nullptr), Status::null_pointer);
  rtp::PacketView v;
  EXPECT_EQ(rtp::parse(good, &v, nullptr), Status::ok);
  EXPECT_EQ(rtp::parse(Bytes{}, &v, nullptr), Status::truncated);
}

TEST(RtpParse, ReasonsHaveDistinctDescriptions) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < rtp::kParseErrorCount; ++i) {
    const char* d = rtp::describe(static_cast<ParseError>(i));
    ASSERT_NE(d, nullptr);
    EXPECT_TRUE(seen.insert(d).second) << d;
  }
  EXPECT_NE(rtp::describe(static_cast<ParseError>(-7)), nullptr);
  EXPECT_EQ(rtp::status_of(static_cast<ParseError>(-7)), Status::malformed);
}

TEST(RtpBuilder, RoundTripThroughTheParser) {
  rtp::Builder::Config config;
  config.payload_type = 96;
  config.clock_rate_hz = 48000;
  config.ssrc = 0xA1B2C3D4;
  config.first_sequence = 1000;
  config.first_timestamp = 123456;
  rtp::Builder builder(config);
  const std::array<std::uint32_t, 2> csrcs{0x11111111, 0x22222222};
  ASSERT_EQ(builder.set_csrcs(csrcs), Status::ok);
  const Bytes payload = bytes({0xFC, 0xFF, 0xFE, 0x01, 0x02});
  const std::array<std::uint8_t, 1> level{0x80 | 30};  // RFC 6464: voice, -30 dBov
  const std::array<std::uint8_t, 3> other{1, 2, 3};
  const std::array<rtp::ExtensionElement, 2> ext{{{1, level}, {14, other}}};

  std::array<std::uint8_t, 1500> out{};
  std::size_t written = 0;
  ASSERT_EQ(builder.build(payload, 960, true, ext, out, &written), Status::ok);
  // 12 + 2 CSRCs + extension header + (2 + 4 element bytes -> 8 padded) + payload
  EXPECT_EQ(written, 12u + 8 + 4 + 8 + payload.size());
  EXPECT_EQ(written, builder.packet_size(payload.size(), ext));

  rtp::PacketView v;
  ASSERT_EQ(rtp::parse(std::span(out.data(), written), &v, nullptr), Status::ok);
  EXPECT_TRUE(v.marker);
  EXPECT_EQ(v.payload_type, 96);
  EXPECT_EQ(v.sequence, 1000);
  EXPECT_EQ(v.timestamp, 123456u);
  EXPECT_EQ(v.ssrc, 0xA1B2C3D4u);
  ASSERT_EQ(v.csrc_count(), 2u);
  EXPECT_EQ(v.csrc(1), 0x22222222u);
  EXPECT_EQ(rtp::extension_form(v), rtp::ExtensionForm::one_byte);
  std::span<const std::uint8_t> data;
  ASSERT_TRUE(rtp::find_extension(v, 1, &data));
  EXPECT_EQ(span_bytes(data), bytes({0x80 | 30}));
  ASSERT_TRUE(rtp::find_extension(v, 14, &data));
  EXPECT_EQ(span_bytes(data), bytes({1, 2, 3}));
  EXPECT_EQ(span_bytes(v.payload), payload);
  EXPECT_EQ(v.padding_bytes, 0);

  // The next packet: sequence + 1, timestamp + 960, no marker, no extension.
  ASSERT_EQ(builder.set_csrcs({}), Status::ok);
  ASSERT_EQ(builder.build(payload, 960, false, out, &written), Status::ok);
  ASSERT_EQ(rtp::parse(std::span(out.data(), written), &v, nullptr), Status::ok);
  EXPECT_FALSE(v.marker);
  EXPECT_EQ(v.sequence, 1001);
  EXPECT_EQ(v.timestamp, 123456u + 960);
  EXPECT_EQ(v.csrc_count(), 0u);
  EXPECT_FALSE(v.has_extension);
  EXPECT_EQ(builder.stats().packets, 2);
  EXPECT_EQ(builder.stats().payload_octets, 10);
}

TEST(RtpBuilder, Rfc8285TwoByteFormWhenOneByteCannotCarryIt) {
  rtp::Builder builder({});
  const std::array<std::uint8_t, 20> long_data{};
  const std::array<std::uint8_t, 1> one{5};
  std::array<std::uint8_t, 200> out{};
  std::size_t written = 0;
  rtp::PacketView v;
  ParseError error;
  // ID above 14, a zero-length element, data above 16 bytes: each forces the two-byte form.
  const std::vector<std::vector<rtp::ExtensionElement>> sets = {
      {{15, one}}, {{1, one}, {2, {}}}, {{3, long_data}}};
  for (const auto& set : sets) {
    ASSERT_EQ(builder.build({}, 0, false, set, out, &written), Status::ok);
    ASSERT_EQ(rtp::parse(std::span(out.data(), written), &v, nullptr), Status::ok);
    EXPECT_EQ(v.extension_profile, rtp::kTwoByteProfile);
    const auto got = elements_of(v, &error);
    ASSERT_EQ(got.size(), set.size());
    for (std::size_t i = 0; i < set.size(); ++i) {
      EXPECT_EQ(got[i].first, set[i].id);
      EXPECT_EQ(got[i].second, span_bytes(set[i].data));
    }
  }
  // IDs outside 1-255 and data over 255 bytes fit neither form.
  const std::array<std::uint8_t, 256> huge{};
  for (const auto& bad : std::vector<std::vector<rtp::ExtensionElement>>{
           {{0, one}}, {{256, one}}, {{-1, one}}, {{1, huge}}}) {
    EXPECT_EQ(builder.build({}, 0, false, bad, out, &written), Status::invalid_argument);
    EXPECT_EQ(written, 0u);
    EXPECT_EQ(builder.packet_size(0, bad), 0u);
  }
}

TEST(RtpBuilder, RefusesWhatItCannotDoWithoutChangingState) {
  rtp::Builder::Config config;
  config.first_sequence = 7;
  rtp::Builder builder(config);
  const Bytes payload(160, 0xFF);
  std::vector<std::uint8_t> out(builder.packet_size(payload.size()) - 1);
  std::size_t written = 99;
  EXPECT_EQ(builder.build(payload, 160, false, out, &written), Status::buffer_too_small);
  EXPECT_EQ(written, 0u);
  EXPECT_EQ(builder.next_sequence(), 7);
  EXPECT_EQ(builder.stats().packets, 0);
  EXPECT_EQ(builder.build(payload, 160, false, out, nullptr), Status::null_pointer);
  const std::vector<std::uint32_t> sixteen(16, 1);
  EXPECT_EQ(builder.set_csrcs(sixteen), Status::out_of_range);
  EXPECT_EQ(builder.packet_size(0), 12u);

  const auto creation = [](rtp::Builder::Config c) {
    try {
      rtp::Builder b(c);
    } catch (const Error& e) {
      return e.status();
    }
    return Status::ok;
  };
  rtp::Builder::Config bad;
  bad.payload_type = 128;
  EXPECT_EQ(creation(bad), Status::bad_config);
  bad.payload_type = -1;
  EXPECT_EQ(creation(bad), Status::bad_config);
  bad = {};
  bad.clock_rate_hz = 0;
  EXPECT_EQ(creation(bad), Status::bad_config);
}

TEST(RtpBuilder, Rfc3550SequenceWrapsAt16BitsAndTimestampAt32) {
  rtp::Builder::Config config;
  config.first_sequence = 0xFFFE;
  config.first_timestamp = 0xFFFFFF00u;
  rtp::Builder builder(config);
  std::array<std::uint8_t, 64> out{};
  std::size_t written = 0;
  rtp::PacketView v;
  const std::array<std::uint16_t, 3> seqs{0xFFFE, 0xFFFF, 0x0000};
  const std::array<std::uint32_t, 3> stamps{0xFFFFFF00u, 0x00000000u, 0x000000A0u};
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(builder.build(bytes({1}), i == 0 ? 0x100 : 160, false, out, &written), Status::ok);
    ASSERT_EQ(rtp::parse(std::span(out.data(), written), &v, nullptr), Status::ok);
    EXPECT_EQ(v.sequence, seqs[i]);
    EXPECT_EQ(v.timestamp, stamps[i]);
  }
  // Silence not sent: the timestamp runs on, the sequence number does not.
  builder.skip(8000);
  EXPECT_EQ(builder.next_sequence(), 1);
  EXPECT_EQ(builder.next_timestamp(), 0xA0u + 160 + 8000);
  builder.reset();
  EXPECT_EQ(builder.next_sequence(), 0xFFFE);
  EXPECT_EQ(builder.next_timestamp(), 0xFFFFFF00u);
  EXPECT_EQ(builder.stats().packets, 0);
}

TEST(RtpBuilder, TimestampStepsFollowTheCodecClock) {
  // RFC 3551: G.722 is stamped at 8000 Hz although sampled at 16 kHz; RFC 7587: opus at 48 kHz.
  struct Case {
    const char* name;
    std::uint32_t units_per_20ms;
  };
  for (const Case c : {Case{"PCMU", 160}, Case{"G722", 160}, Case{"opus", 960}}) {
    SCOPED_TRACE(c.name);
    codec::EncoderConfig ec;
    ec.format = {c.name, 0, 0};
    const auto encoder = codec::make_encoder(ec);
    const codec::Info& info = encoder->info();
    const auto units = static_cast<std::uint32_t>(codec::rtp_units(info, info.frame_samples));
    EXPECT_EQ(units, c.units_per_20ms);
    rtp::Builder builder(rtp::Builder::random_config(96, info.rtp_clock_hz, 42));
    std::array<std::uint8_t, 64> out{};
    std::size_t written = 0;
    std::uint32_t previous = 0;
    rtp::PacketView v;
    for (int i = 0; i < 4; ++i) {
      ASSERT_EQ(builder.build(bytes({0}), units, i == 0, out, &written), Status::ok);
      ASSERT_EQ(rtp::parse(std::span(out.data(), written), &v, nullptr), Status::ok);
      if (i > 0) {
        EXPECT_EQ(static_cast<std::uint32_t>(v.timestamp - previous), units);
      }
      EXPECT_EQ(v.marker, i == 0);  // marker on the talkspurt's first packet only
      previous = v.timestamp;
    }
  }
}

TEST(RtpBuilder, Rfc3550RandomInitialValuesDifferPerSeed) {
  std::set<std::uint32_t> ssrcs, stamps;
  std::set<std::uint16_t> seqs;
  for (std::uint64_t seed = 0; seed < 1000; ++seed) {
    const auto c = rtp::Builder::random_config(0, 8000, seed);
    EXPECT_EQ(c.payload_type, 0);
    EXPECT_EQ(c.clock_rate_hz, 8000);
    EXPECT_LT(c.first_sequence, 0x8000);  // RFC 3711 rollover guess stays simple
    ssrcs.insert(c.ssrc);
    seqs.insert(c.first_sequence);
    stamps.insert(c.first_timestamp);
    const auto again = rtp::Builder::random_config(0, 8000, seed);
    EXPECT_EQ(again.ssrc, c.ssrc);
    EXPECT_EQ(again.first_sequence, c.first_sequence);
    EXPECT_EQ(again.first_timestamp, c.first_timestamp);
  }
  EXPECT_EQ(ssrcs.size(), 1000u);  // 32 bits each: no collision among these seeds
  EXPECT_EQ(stamps.size(), 1000u);
  EXPECT_GT(seqs.size(), 950u);  // 15 bits: a few birthday collisions are expected
}

// Checks what parse() says about `d`; returns its status.
Status check_datagram(const Bytes& d) {
  rtp::PacketView v;
  v.ssrc = 0x5EED;
  ParseError why = ParseError::bad_version;
  const Status s = rtp::parse(d, &v, &why);
  EXPECT_EQ(rtp::status_of(why), s);
  if (s != Status::ok) {
    EXPECT_TRUE(s == Status::malformed || s == Status::truncated);
    EXPECT_EQ(v.ssrc, 0x5EEDu);
    return s;
  }
  const auto inside = [&](std::span<const std::uint8_t> part) {
    return part.empty() ||
           (part.data() >= d.data() && part.data() + part.size() <= d.data() + d.size());
  };
  EXPECT_TRUE(inside(v.csrc_bytes) && inside(v.extension_data) && inside(v.payload));
  const std::size_t ext = v.has_extension ? 4 + v.extension_data.size() : 0;
  EXPECT_EQ(12 + v.csrc_bytes.size() + ext + v.payload.size() + v.padding_bytes, d.size());
  // The elements (up to a broken one, which parse() leaves to the reader) lie in the block.
  std::size_t seen = 0;
  const ParseError walk = rtp::for_each_extension(v, [&](const rtp::ExtensionElement& e) {
    EXPECT_TRUE(inside(e.data));
    seen += e.data.size();
  });
  EXPECT_TRUE(walk == ParseError::none || walk == ParseError::bad_extension_element);
  EXPECT_LE(seen, v.extension_data.size());
  return s;
}

TEST(RtpParse, RandomAndMutatedDatagramsNeverReadOutOfBounds) {
  const std::uint32_t seed = 20240607;
  std::printf("RtpParse robustness seed %u\n", seed);
  std::mt19937 rng(seed);
  const auto pick = [&rng](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  std::array<std::uint8_t, 1600> out{};
  std::int64_t ok = 0, malformed = 0, truncated = 0;
  for (int iter = 0; iter < 100000; ++iter) {
    Bytes d;
    if (iter % 4 == 0) {
      d.resize(static_cast<std::size_t>(pick(0, 1500)));
      for (auto& b : d)
        b = static_cast<std::uint8_t>(pick(0, 255));
      if (!d.empty() && pick(0, 1)) d[0] = static_cast<std::uint8_t>(0x80 | (d[0] & 0x3F));
    } else {
      // A valid packet with random CSRCs, extensions and padding, then mutated.
      rtp::Builder builder(rtp::Builder::random_config(pick(0, 127), 8000, rng()));
      std::vector<std::uint32_t> csrcs(static_cast<std::size_t>(pick(0, 15)), 0x01010101);
      (void)builder.set_csrcs(csrcs);
      std::array<std::array<std::uint8_t, 24>, 4> storage{};
      std::vector<rtp::ExtensionElement> ext;
      const bool one_byte = pick(0, 1) == 1;
      for (int e = pick(0, 4); e > 0; --e) {
        const int size = one_byte ? pick(1, 16) : pick(0, 24);
        ext.push_back({one_byte ? pick(1, 14) : pick(1, 255),
                       std::span<const std::uint8_t>(storage[ext.size()].data(),
                                                     static_cast<std::size_t>(size))});
      }
      const Bytes payload(static_cast<std::size_t>(pick(0, 1200)), 0xD5);
      std::size_t written = 0;
      EXPECT_EQ(builder.build(payload, 160, pick(0, 1) == 1, ext, out, &written), Status::ok);
      d.assign(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(written));
      if (pick(0, 3) == 0) {  // RFC 3550 padding, count in the last octet
        const int pad = pick(1, 255);
        d[0] |= 0x20;
        d.insert(d.end(), static_cast<std::size_t>(pad - 1), 0);
        d.push_back(static_cast<std::uint8_t>(pad));
      }
      const bool pristine = pick(0, 4) == 0;
      if (pristine) {
        EXPECT_EQ(check_datagram(d), Status::ok);
        continue;
      }
      for (int m = pick(1, 4); m > 0; --m) {
        // Mutations aim at the header bytes that steer parsing, sometimes anywhere.
        const std::size_t limit = std::min<std::size_t>(d.size(), pick(0, 1) ? 40 : d.size());
        d[static_cast<std::size_t>(pick(0, static_cast<int>(limit) - 1))] =
            static_cast<std::uint8_t>(pick(0, 255));
      }
      if (pick(0, 2) == 0) d.resize(static_cast<std::size_t>(pick(0, static_cast<int>(d.size()))));
    }
    d.shrink_to_fit();  // an exact-size heap block, so ASan sees any over-read
    switch (check_datagram(d)) {
      case Status::ok:
        ++ok;
        break;
      case Status::malformed:
        ++malformed;
        break;
      default:
        ++truncated;
    }
  }
  std::printf("ok %lld, malformed %lld, truncated %lld\n", static_cast<long long>(ok),
              static_cast<long long>(malformed), static_cast<long long>(truncated));
  EXPECT_GT(ok, 1000);
  EXPECT_GT(malformed, 1000);
  EXPECT_GT(truncated, 1000);
}

TEST(RtpBuilder, ParseAndBuildNeverAllocate) {
  rtp::Builder builder(rtp::Builder::random_config(0, 8000, 7));
  const std::array<std::uint32_t, 3> csrcs{1, 2, 3};
  const std::array<std::uint8_t, 1> level{0x8A};
  const std::array<rtp::ExtensionElement, 1> ext{{{1, level}}};
  const Bytes payload(160, 0xFF);
  std::array<std::uint8_t, 256> out{};
  std::size_t written = 0;
  rtp::ParseStats stats;
  std::size_t found = 0;
  ivrm_test::AllocationScope scope;
  for (int i = 0; i < 1000; ++i) {
    (void)builder.set_csrcs(csrcs);
    (void)builder.build(payload, 160, i % 50 == 0, ext, out, &written);
    rtp::PacketView v;
    ParseError why;
    (void)rtp::parse(std::span(out.data(), written), &v, &why);
    rtp::count(stats, why);
    std::span<const std::uint8_t> data;
    found += rtp::find_extension(v, 1, &data) ? 1 : 0;
    (void)rtp::for_each_extension(v,
                                  [&](const rtp::ExtensionElement& e) { found += e.data.size(); });
  }
  EXPECT_EQ(scope.count(), 0);
  EXPECT_EQ(stats.accepted, 1000);
  EXPECT_EQ(found, 2000u);
}

}  // namespace
