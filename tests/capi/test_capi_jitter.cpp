// C API for the jitter buffer (ivrm_jitter_*): a stream with loss, jitter, reordering and
// duplicates through the C API gives exactly the frames, frame info, statistics, usage and
// RFC 4733 events of jitter::Buffer (PCMU at 8 kHz, G722 at 16 kHz); configs are translated
// with their payload-type bindings and every collision is refused at creation; arguments are
// checked with nothing written on error; growable output structs are written only as far as
// the caller's struct_size; push, pull, read_events and the getters allocate nothing.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "ivrmedia/ivrmedia.h"
#include "ivrmedia/jitter.hpp"
#include "ivrmedia/rtp.hpp"
#include "ivrmedia/telephone_event.hpp"
#include "jitter/jitter_harness.hpp"
#include "sim/speech_like.hpp"
#include "support/alloc_counter.hpp"
#include "support/capi_create.hpp"

namespace {

using ivrmedia::Status;
namespace jitter = ivrmedia::jitter;
namespace rtp = ivrmedia::rtp;
using ivrm_test::Datagram;

ivrm_jitter_config defaults() {
  ivrm_jitter_config c;
  std::memset(&c, 0xAB, sizeof c);
  EXPECT_EQ(ivrm_jitter_config_init(&c), IVRM_OK);
  return c;
}

ivrm_status create_status(const ivrm_jitter_config& c) {
  return ivrm_test::create_status(c, &ivrm_jitter_create, &ivrm_jitter_destroy);
}

// A network that loses every 10th packet, delays by 0-59 ms (so packets reorder), duplicates
// every 17th and holds one packet back past its playout time.
std::vector<Datagram> through_network(std::vector<Datagram> in) {
  std::vector<Datagram> out;
  for (Datagram& d : in) {
    if (d.index % 10 == 5) continue;
    d.arrival_us = d.send_us + (d.index * 37 % 60) * 1000;
    if (d.index == 40) d.arrival_us += 400000;  // late
    if (d.index % 17 == 3) out.push_back(d);
    out.push_back(std::move(d));
  }
  std::stable_sort(out.begin(), out.end(), [](const Datagram& a, const Datagram& b) {
    return a.arrival_us < b.arrival_us;
  });
  return out;
}

void expect_same(const ivrm_jitter_frame_info& c, const jitter::FrameInfo& f, size_t frame) {
  EXPECT_EQ(c.struct_size, sizeof c);
  EXPECT_EQ(c.kind, static_cast<int32_t>(f.kind)) << "frame " << frame;
  EXPECT_EQ(c.has_timestamp, f.has_timestamp ? 1 : 0) << "frame " << frame;
  EXPECT_EQ(c.rtp_timestamp, f.rtp_timestamp) << "frame " << frame;
  EXPECT_EQ(c.delay_ms, f.delay_ms) << "frame " << frame;
  EXPECT_EQ(c.target_delay_ms, f.target_delay_ms) << "frame " << frame;
}

void expect_same(const ivrm_jitter_stats& c, const jitter::Statistics& s) {
  EXPECT_EQ(c.received, s.received);
  EXPECT_EQ(c.lost, s.lost);
  EXPECT_EQ(c.late, s.late);
  EXPECT_EQ(c.duplicates, s.duplicates);
  EXPECT_EQ(c.reordered, s.reordered);
  EXPECT_EQ(c.overflow, s.overflow);
  EXPECT_EQ(c.oversized, s.oversized);
  EXPECT_EQ(c.malformed, s.malformed);
  EXPECT_EQ(c.unknown_payload, s.unknown_payload);
  EXPECT_EQ(c.bad_sequence, s.bad_sequence);
  EXPECT_EQ(c.event_packets, s.event_packets);
  EXPECT_EQ(c.comfort_noise_packets, s.comfort_noise_packets);
  EXPECT_EQ(c.restarts, s.restarts);
  EXPECT_EQ(c.loss_rate, s.loss_rate);
  EXPECT_EQ(c.discard_rate, s.discard_rate);
  EXPECT_EQ(c.buffered_packets, s.buffered_packets);
  EXPECT_EQ(c.current_delay_ms, s.current_delay_ms);
  EXPECT_EQ(c.target_delay_ms, s.target_delay_ms);
  EXPECT_EQ(c.interarrival_jitter_ms, s.interarrival_jitter_ms);
  EXPECT_EQ(c.interarrival_jitter_units, s.interarrival_jitter_units);
  EXPECT_EQ(c.burst_density, s.burst_density);
  EXPECT_EQ(c.gap_density, s.gap_density);
  EXPECT_EQ(c.burst_duration_ms, s.burst_duration_ms);
  EXPECT_EQ(c.gap_duration_ms, s.gap_duration_ms);
  EXPECT_EQ(c.burst_ratio, s.burst_ratio);
  EXPECT_EQ(c.r_factor, s.r_factor);
  EXPECT_EQ(c.mos, s.mos);
  EXPECT_EQ(c.wideband_rating, s.wideband_rating ? 1 : 0);
  EXPECT_EQ(c.reserved, 0);
  EXPECT_EQ(c.samples_played, s.samples_played);
  EXPECT_EQ(c.samples_concealed, s.samples_concealed);
  EXPECT_EQ(c.samples_fec, s.samples_fec);
  EXPECT_EQ(c.samples_accelerated, s.samples_accelerated);
  EXPECT_EQ(c.samples_expanded, s.samples_expanded);
  EXPECT_EQ(c.samples_cng, s.samples_cng);
  EXPECT_EQ(c.frames, s.frames);
  for (int k = 0; k < IVRM_JITTER_FRAME_KINDS; ++k)
    EXPECT_EQ(c.frames_by_kind[k], s.frames_by_kind[k]) << "kind " << k;
}

void expect_same(const ivrm_jitter_usage& c, const jitter::Usage& u) {
  EXPECT_EQ(c.sample_rate_hz, u.sample_rate_hz);
  EXPECT_EQ(c.packets, u.packets);
  EXPECT_EQ(c.bytes, u.bytes);
  EXPECT_EQ(c.audio_packets, u.audio_packets);
  EXPECT_EQ(c.media_samples_received, u.media_samples_received);
  EXPECT_EQ(c.samples_played, u.samples_played);
  EXPECT_EQ(c.first_packet_us, u.first_packet_us);
  EXPECT_EQ(c.last_packet_us, u.last_packet_us);
  EXPECT_EQ(c.any_packet, u.any_packet ? 1 : 0);
  EXPECT_EQ(c.reserved, 0);
}

void expect_same(const ivrm_rtp_event& c, const rtp::TelephoneEvent& e) {
  EXPECT_EQ(c.phase, static_cast<int32_t>(e.phase));
  EXPECT_EQ(c.code, e.code);
  EXPECT_EQ(c.digit, rtp::event_char(e.code));
  EXPECT_EQ(c.volume, e.volume);
  EXPECT_EQ(c.start, e.start);
  EXPECT_EQ(c.duration, e.duration);
  EXPECT_EQ(c.start_lost, e.start_lost ? 1 : 0);
  EXPECT_EQ(c.cause, static_cast<int32_t>(e.cause));
  EXPECT_EQ(c.arrival_us, e.arrival_us);
}

TEST(CApiJitter, ConfigInitIsTheCxxDefaults) {
  EXPECT_EQ(ivrm_jitter_config_init_sized(nullptr, sizeof(ivrm_jitter_config)), IVRM_ERR_NULL);
  const ivrm_jitter_config c = defaults();
  const jitter::Config d;
  EXPECT_EQ(c.struct_size, sizeof c);
  EXPECT_EQ(c.sample_rate_hz, d.sample_rate_hz);
  EXPECT_EQ(c.frame_ms, d.frame_ms);
  EXPECT_EQ(c.telephone_event_payload_type, d.telephone_event_payload_type);
  EXPECT_EQ(c.telephone_event_clock_hz, d.telephone_event_clock_hz);
  EXPECT_EQ(c.comfort_noise_payload_type, d.comfort_noise_payload_type);
  EXPECT_EQ(c.event_end_timeout_ms, d.event_end_timeout_ms);
  EXPECT_EQ(c.delay_mode, static_cast<int32_t>(d.mode));
  EXPECT_EQ(c.fixed_delay_ms, d.fixed_delay_ms);
  EXPECT_EQ(c.min_delay_ms, d.min_delay_ms);
  EXPECT_EQ(c.max_delay_ms, d.max_delay_ms);
  EXPECT_EQ(c.delay_quantile, d.delay_quantile);
  EXPECT_EQ(c.forget_factor, d.forget_factor);
  EXPECT_EQ(c.time_stretch, d.time_stretch ? 1 : 0);
  EXPECT_EQ(c.network_delay_ms, d.network_delay_ms);
  EXPECT_EQ(c.packet_capacity, d.packet_capacity);
  EXPECT_EQ(c.max_payload_bytes, d.max_payload_bytes);
  EXPECT_EQ(c.max_packet_ms, d.max_packet_ms);
  EXPECT_EQ(c.sequence_probation, d.sequence.probation);
  EXPECT_EQ(c.sequence_max_dropout, d.sequence.max_dropout);
  EXPECT_EQ(c.sequence_max_misorder, d.sequence.max_misorder);
  ASSERT_EQ(c.payload_count, d.payloads.size());
  for (size_t i = 0; i < d.payloads.size(); ++i) {
    EXPECT_EQ(c.payloads[i].payload_type, d.payloads[i].payload_type);
    EXPECT_EQ(std::string(c.payloads[i].payload_name), d.payloads[i].format.name);
    EXPECT_EQ(c.payloads[i].clock_rate_hz, d.payloads[i].format.clock_rate_hz);
    EXPECT_EQ(c.payloads[i].channels, d.payloads[i].format.channels);
    EXPECT_EQ(c.payloads[i].reserved, 0);
  }
  for (size_t i = d.payloads.size(); i < IVRM_JITTER_MAX_PAYLOADS; ++i) {
    EXPECT_EQ(c.payloads[i].payload_name, nullptr);
    EXPECT_EQ(c.payloads[i].payload_type, 0);
  }
  EXPECT_EQ(create_status(c), IVRM_OK);
}

struct StreamCase {
  const char* name;
  ivrm_test::StreamSpec spec;
  int sample_rate_hz;
};

class CApiJitterStream : public ::testing::TestWithParam<StreamCase> {};

// The same arrivals and ticks through the C API and the C++ API: identical output.
TEST_P(CApiJitterStream, FramesStatsAndUsageAreTheCxxBuffers) {
  const StreamCase& sc = GetParam();
  const auto pcm = ivrmedia::sim::speech_like(
      static_cast<size_t>(3 * sc.spec.sample_rate_hz),
      {.sample_rate_hz = sc.spec.sample_rate_hz, .level_dbfs = -20.0, .seed = 3});
  const std::vector<Datagram> arrivals = through_network(ivrm_test::encode_stream(pcm, sc.spec));

  ivrm_jitter_config c = defaults();
  c.sample_rate_hz = sc.sample_rate_hz;
  c.payload_count = 1;
  c.payloads[0] = {sc.spec.format.name.c_str(), sc.spec.payload_type, sc.spec.format.clock_rate_hz,
                   sc.spec.format.channels, 0};
  jitter::Config cc;
  cc.sample_rate_hz = sc.sample_rate_hz;
  cc.payloads = {{sc.spec.payload_type, sc.spec.format}};

  ivrm_jitter* j16 = nullptr;
  ivrm_jitter* jf = nullptr;
  ASSERT_EQ(ivrm_jitter_create(&c, &j16), IVRM_OK);
  ASSERT_EQ(ivrm_jitter_create(&c, &jf), IVRM_OK);
  jitter::Buffer ref16(cc), reff(cc);
  size_t n = 0;
  ASSERT_EQ(ivrm_jitter_frame_samples(j16, &n), IVRM_OK);
  ASSERT_EQ(n, ref16.frame_samples());
  ASSERT_EQ(n, static_cast<size_t>(sc.sample_rate_hz / 50));

  std::vector<int16_t> out16(n), want16(n);
  std::vector<float> outf(n), wantf(n);
  size_t next = 0, concealed = 0;
  long allocations = 0;
  ivrm_jitter_stats stats;
  ivrm_jitter_usage usage;
  for (size_t f = 0; f < 175; ++f) {
    const int64_t tick = 10000 + static_cast<int64_t>(f) * 20000;
    for (; next < arrivals.size() && arrivals[next].arrival_us <= tick; ++next) {
      const Datagram& d = arrivals[next];
      ivrm_test::AllocationScope scope;
      const ivrm_status s16 = ivrm_jitter_push(j16, d.bytes.data(), d.bytes.size(), d.arrival_us);
      const ivrm_status sf = ivrm_jitter_push(jf, d.bytes.data(), d.bytes.size(), d.arrival_us);
      allocations += scope.count();
      ASSERT_EQ(s16, static_cast<ivrm_status>(ref16.push(d.bytes, d.arrival_us)));
      ASSERT_EQ(sf, static_cast<ivrm_status>(reff.push(d.bytes, d.arrival_us)));
    }
    ivrm_jitter_frame_info info16, infof;
    info16.struct_size = sizeof info16;
    infof.struct_size = sizeof infof;
    std::memset(&stats, 0, sizeof stats);
    stats.struct_size = sizeof stats;
    std::memset(&usage, 0, sizeof usage);
    usage.struct_size = sizeof usage;
    {
      ivrm_test::AllocationScope scope;
      ASSERT_EQ(ivrm_jitter_pull(j16, out16.data(), n, tick, &info16), IVRM_OK);
      ASSERT_EQ(ivrm_jitter_pull_float(jf, outf.data(), n, tick, &infof), IVRM_OK);
      ASSERT_EQ(ivrm_jitter_get_stats(j16, &stats), IVRM_OK);
      ASSERT_EQ(ivrm_jitter_get_usage(j16, &usage), IVRM_OK);
      allocations += scope.count();
    }
    jitter::FrameInfo want_info16, want_infof;
    ASSERT_EQ(ref16.pull(std::span<int16_t>(want16), tick, &want_info16), Status::ok);
    ASSERT_EQ(reff.pull(std::span<float>(wantf), tick, &want_infof), Status::ok);
    ASSERT_EQ(out16, want16) << "frame " << f;
    ASSERT_EQ(outf, wantf) << "frame " << f;
    expect_same(info16, want_info16, f);
    expect_same(infof, want_infof, f);
    concealed += info16.kind == IVRM_JITTER_FRAME_CONCEALED;
  }
  EXPECT_EQ(allocations, 0) << "push, pull or a getter allocated";
  expect_same(stats, ref16.statistics());
  expect_same(usage, ref16.usage());
  EXPECT_GT(stats.lost, 10);  // the scenario exercised loss, reordering, duplicates, lateness
  EXPECT_GT(stats.reordered, 0);
  EXPECT_GT(stats.duplicates, 0);
  EXPECT_GT(concealed, 5u);
  std::printf(
      "%s: %lld lost, %lld reordered, %lld duplicates, %lld late, %zu frames concealed, "
      "MOS %.2f\n",
      sc.name, static_cast<long long>(stats.lost), static_cast<long long>(stats.reordered),
      static_cast<long long>(stats.duplicates), static_cast<long long>(stats.late), concealed,
      stats.mos);

  // reset: the next call on the same handles starts again, as the C++ reset does.
  ASSERT_EQ(ivrm_jitter_reset(j16), IVRM_OK);
  ref16.reset();
  ASSERT_EQ(ivrm_jitter_get_stats(j16, &stats), IVRM_OK);
  expect_same(stats, ref16.statistics());
  EXPECT_EQ(stats.frames, 0);
  ivrm_jitter_destroy(j16);
  ivrm_jitter_destroy(jf);
}

INSTANTIATE_TEST_SUITE_P(CApi, CApiJitterStream,
                         ::testing::Values(StreamCase{"PCMU 8 kHz", {}, 8000},
                                           StreamCase{"G722 16 kHz",
                                                      {.format = {"G722", 8000, 1},
                                                       .payload_type = 9,
                                                       .sample_rate_hz = 16000,
                                                       .ssrc = 0xB0B,
                                                       .first_sequence = 65500,
                                                       .first_timestamp = 0xFFFFF000u},
                                                      16000}),
                         [](const auto& param_info) {
                           return std::string(param_info.param.name).substr(0, 4);
                         });

// RFC 4733 events beside the audio: the C API's events are the C++ buffer's.
TEST(CApiJitter, TelephoneEventsAreTheCxxBuffers) {
  ivrm_jitter_config c = defaults();
  c.telephone_event_payload_type = 101;
  jitter::Config cc;
  cc.telephone_event_payload_type = 101;
  ivrm_jitter* j = nullptr;
  ASSERT_EQ(ivrm_jitter_create(&c, &j), IVRM_OK);
  jitter::Buffer ref(cc);

  rtp::Builder builder({.payload_type = 0, .clock_rate_hz = 8000, .ssrc = 99});
  rtp::TelephoneEventSender sender;
  const std::string digits = "123456789*0#ABCD987";  // 19 keys: 38 events, more than one chunk
  const uint8_t silence[160] = {0xFF};
  std::vector<uint8_t> d(256);
  std::vector<int16_t> frame(160), want(160);
  int64_t now = 0;
  for (size_t k = 0; k < digits.size(); ++k) {
    ASSERT_EQ(sender.begin(rtp::event_code(digits[k]), builder.next_timestamp()), Status::ok);
    for (int p = 0; p < 14; ++p) {  // 4 packets of key, 3 ends, then audio
      if (p == 4) {
        ASSERT_EQ(sender.end(), Status::ok);
      }
      size_t n = 0;
      rtp::TelephoneEventSender::Packet ep;
      if (sender.next(&ep)) {
        ASSERT_EQ(builder.build_at(101, ep.payload, ep.timestamp, ep.marker, d, &n), Status::ok);
        builder.skip(160);
      } else {
        ASSERT_EQ(builder.build(silence, 160, false, d, &n), Status::ok);
      }
      now += 20000;
      ASSERT_EQ(ivrm_jitter_push(j, d.data(), n, now), IVRM_OK);
      ASSERT_EQ(ref.push(std::span<const uint8_t>(d.data(), n), now), Status::ok);
      ASSERT_EQ(ivrm_jitter_pull(j, frame.data(), 160, now, nullptr), IVRM_OK);
      ASSERT_EQ(ref.pull(std::span<int16_t>(want), now, nullptr), Status::ok);
      ASSERT_EQ(frame, want);
    }
  }
  ivrm_rtp_event ev[64];
  size_t count = 0;
  {
    ivrm_test::AllocationScope scope;
    ASSERT_EQ(ivrm_jitter_read_events(j, ev, 64, &count), IVRM_OK);
    EXPECT_EQ(scope.count(), 0);
  }
  rtp::TelephoneEvent want_ev[64];
  ASSERT_EQ(count, ref.read_events(want_ev));
  ASSERT_EQ(count, 2 * digits.size());
  std::string got;
  for (size_t i = 0; i < count; ++i) {
    expect_same(ev[i], want_ev[i]);
    if (ev[i].phase == IVRM_RTP_EVENT_BEGIN) got += ev[i].digit;
  }
  EXPECT_EQ(got, digits);
  ASSERT_EQ(ivrm_jitter_read_events(j, ev, 64, &count), IVRM_OK);
  EXPECT_EQ(count, 0u);
  ivrm_jitter_stats st;
  st.struct_size = sizeof st;
  ASSERT_EQ(ivrm_jitter_get_stats(j, &st), IVRM_OK);
  EXPECT_EQ(st.event_packets, ref.statistics().event_packets);
  EXPECT_GT(st.event_packets, 0);
  ivrm_jitter_destroy(j);
}

TEST(CApiJitter, CreationRejectsBadConfigsAndCollisions) {
  ivrm_jitter* j = reinterpret_cast<ivrm_jitter*>(0x1);
  EXPECT_EQ(ivrm_jitter_create(nullptr, &j), IVRM_ERR_NULL);
  EXPECT_EQ(j, nullptr);
  ivrm_jitter_config c = defaults();
  EXPECT_EQ(ivrm_jitter_create(&c, nullptr), IVRM_ERR_NULL);
  ivrm_jitter_destroy(nullptr);

  // Payload-type collisions (SDP binds each type once).
  c = defaults();
  c.payloads[1].payload_type = 0;  // PCMA on PCMU's type
  EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG);
  c = defaults();
  c.telephone_event_payload_type = 8;  // telephone-event on PCMA's type
  EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG);
  c = defaults();
  c.telephone_event_payload_type = 13;  // telephone-event on comfort noise's
  EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG);
  c = defaults();
  c.comfort_noise_payload_type = 0;
  EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG);
  c = defaults();
  c.comfort_noise_payload_type = -1;
  c.telephone_event_payload_type = 13;  // free once comfort noise is off
  EXPECT_EQ(create_status(c), IVRM_OK);

  // Bindings.
  c = defaults();
  c.payload_count = 0;
  EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG);
  c.payload_count = IVRM_JITTER_MAX_PAYLOADS + 1;
  EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG);
  c = defaults();
  c.payload_count = 3;  // the third slot is empty
  EXPECT_EQ(create_status(c), IVRM_ERR_NULL);
  c.payloads[2] = {"G729", 18, 0, 0, 0};
  EXPECT_EQ(create_status(c), IVRM_ERR_UNSUPPORTED);
  c.payloads[2] = {"G722", 9, 0, 0, 0};  // decodes at 16 kHz, not at the 8 kHz output
  EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG);
  c.payloads[2] = {"opus", 111, 48000, 2, 0};  // opus decodes at any rate
  EXPECT_EQ(create_status(c), IVRM_OK);
  c.payloads[2].reserved = 1;
  EXPECT_EQ(create_status(c), IVRM_ERR_UNSUPPORTED);
  c.payloads[2].reserved = 0;
  c.payloads[2].payload_type = 128;
  EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG);
  c = defaults();  // all eight slots
  const char* names[IVRM_JITTER_MAX_PAYLOADS] = {"PCMU", "PCMA", "opus", "opus",
                                                 "L16",  "L16",  "PCMU", "PCMA"};
  for (int i = 0; i < IVRM_JITTER_MAX_PAYLOADS; ++i)
    c.payloads[i] = {names[i], 96 + i, names[i][0] == 'L' ? 8000 : 0, 0, 0};
  c.payload_count = IVRM_JITTER_MAX_PAYLOADS;
  EXPECT_EQ(create_status(c), IVRM_OK);

  // Enums and flags are IVRM_ERR_INVALID; ranges are the C++ constructor's (IVRM_ERR_CONFIG).
  c = defaults();
  c.delay_mode = 2;
  EXPECT_EQ(create_status(c), IVRM_ERR_INVALID);
  c = defaults();
  c.time_stretch = -1;
  EXPECT_EQ(create_status(c), IVRM_ERR_INVALID);
  c = defaults();
  c.delay_mode = IVRM_JITTER_FIXED;
  c.fixed_delay_ms = 60;
  EXPECT_EQ(create_status(c), IVRM_OK);
  struct Bad {
    const char* what;
    void (*apply)(ivrm_jitter_config&);
  };
  const Bad bad[] = {
      {"rate", [](ivrm_jitter_config& x) { x.sample_rate_hz = 44100; }},
      {"frame", [](ivrm_jitter_config& x) { x.frame_ms = 25; }},
      {"min > max", [](ivrm_jitter_config& x) { x.min_delay_ms = 500, x.max_delay_ms = 400; }},
      {"quantile", [](ivrm_jitter_config& x) { x.delay_quantile = 1.0; }},
      {"quantile NaN", [](ivrm_jitter_config& x) { x.delay_quantile = 0.0 / 0.0; }},
      {"forget", [](ivrm_jitter_config& x) { x.forget_factor = 0.5; }},
      {"capacity", [](ivrm_jitter_config& x) { x.packet_capacity = 3; }},
      {"capacity huge", [](ivrm_jitter_config& x) { x.packet_capacity = 0xFFFFFFFFu; }},
      {"payload bytes", [](ivrm_jitter_config& x) { x.max_payload_bytes = 0xFFFFFFFFu; }},
      {"packet ms", [](ivrm_jitter_config& x) { x.max_packet_ms = 121; }},
      {"network", [](ivrm_jitter_config& x) { x.network_delay_ms = -1; }},
      {"event pt", [](ivrm_jitter_config& x) { x.telephone_event_payload_type = 128; }},
      {"event clock", [](ivrm_jitter_config& x) { x.telephone_event_clock_hz = 0; }},
      {"probation", [](ivrm_jitter_config& x) { x.sequence_probation = 0; }},
      {"misorder", [](ivrm_jitter_config& x) { x.sequence_max_misorder = 1024; }},
  };
  for (const Bad& b : bad) {
    c = defaults();
    b.apply(c);
    EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG) << b.what;
  }

  // Growable config: too small, and a newer header's larger struct.
  c = defaults();
  c.struct_size = sizeof c - 8;
  EXPECT_EQ(create_status(c), IVRM_ERR_CONFIG);
  struct ConfigV2 {
    ivrm_jitter_config v1;
    int64_t future;
  } v2{};
  ASSERT_EQ(ivrm_jitter_config_init(&v2.v1), IVRM_OK);
  v2.v1.struct_size = sizeof v2;
  EXPECT_EQ(create_status(v2.v1), IVRM_OK);
  v2.future = 1;
  EXPECT_EQ(create_status(v2.v1), IVRM_ERR_UNSUPPORTED);
}

TEST(CApiJitter, ProcessingChecksArgumentsAndWritesNothingOnError) {
  ivrm_jitter_config c = defaults();
  ivrm_jitter* j = nullptr;
  ASSERT_EQ(ivrm_jitter_create(&c, &j), IVRM_OK);

  // push: the C++ reasons, counted.
  const uint8_t junk[5] = {0x80, 0, 0, 1, 2};
  EXPECT_EQ(ivrm_jitter_push(j, junk, sizeof junk, 0), IVRM_ERR_TRUNCATED);
  uint8_t v1[12] = {0x40, 0};  // RTP version 1
  EXPECT_EQ(ivrm_jitter_push(j, v1, sizeof v1, 0), IVRM_ERR_MALFORMED);
  uint8_t unknown[20] = {0x80, 99};  // payload type 99 is not bound
  EXPECT_EQ(ivrm_jitter_push(j, unknown, sizeof unknown, 0), IVRM_ERR_UNSUPPORTED);
  EXPECT_EQ(ivrm_jitter_push(j, nullptr, 12, 0), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_jitter_push(nullptr, junk, sizeof junk, 0), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_jitter_push(j, nullptr, 0, 0), IVRM_ERR_TRUNCATED);

  // pull: exactly frame_samples; nothing written otherwise.
  std::vector<int16_t> out(400, 0x5A5A);
  std::vector<float> outf(400, 7.0f);
  ivrm_jitter_frame_info info;
  std::memset(&info, 0xAB, sizeof info);
  info.struct_size = sizeof info;
  const ivrm_jitter_frame_info info_before = info;
  for (size_t n : {size_t{0}, size_t{159}, size_t{161}, size_t{320}, SIZE_MAX / 2}) {
    EXPECT_EQ(ivrm_jitter_pull(j, out.data(), n, 0, &info), IVRM_ERR_INVALID) << n;
    EXPECT_EQ(ivrm_jitter_pull_float(j, outf.data(), n, 0, &info), IVRM_ERR_INVALID) << n;
  }
  EXPECT_EQ(out[0], 0x5A5A);
  EXPECT_EQ(outf[0], 7.0f);
  EXPECT_EQ(std::memcmp(&info, &info_before, sizeof info), 0);
  EXPECT_EQ(ivrm_jitter_pull(j, nullptr, 160, 0, &info), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_jitter_pull(nullptr, out.data(), 160, 0, &info), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_jitter_pull_float(nullptr, outf.data(), 160, 0, nullptr), IVRM_ERR_NULL);
  info.struct_size = 4;  // too small: refused before anything is pulled
  EXPECT_EQ(ivrm_jitter_pull(j, out.data(), 160, 0, &info), IVRM_ERR_CONFIG);
  EXPECT_EQ(out[0], 0x5A5A);
  EXPECT_EQ(ivrm_jitter_pull(j, out.data(), 160, 0, nullptr), IVRM_OK);  // info is optional
  // A newer header's larger frame info: the tail keeps the caller's bytes.
  struct InfoV2 {
    ivrm_jitter_frame_info v1;
    uint32_t future;
  } info2;
  std::memset(&info2, 0xCD, sizeof info2);
  info2.v1.struct_size = sizeof info2;
  ASSERT_EQ(ivrm_jitter_pull(j, out.data(), 160, 20000, &info2.v1), IVRM_OK);
  EXPECT_EQ(info2.v1.struct_size, sizeof info2);
  EXPECT_EQ(info2.v1.kind, IVRM_JITTER_FRAME_CNG);  // nothing to play yet
  EXPECT_EQ(info2.future, 0xCDCDCDCDu);

  // Growable stats and usage.
  ivrm_jitter_stats st;
  std::memset(&st, 0xAB, sizeof st);
  for (uint32_t size : {0u, 8u, static_cast<uint32_t>(sizeof st - 1)}) {
    st.struct_size = size;
    const ivrm_jitter_stats before = st;
    EXPECT_EQ(ivrm_jitter_get_stats(j, &st), IVRM_ERR_CONFIG);
    EXPECT_EQ(std::memcmp(&st, &before, sizeof st), 0);
  }
  struct StatsV2 {
    ivrm_jitter_stats v1;
    int64_t future;
  } st2;
  std::memset(&st2, 0xCD, sizeof st2);
  st2.v1.struct_size = sizeof st2;
  ASSERT_EQ(ivrm_jitter_get_stats(j, &st2.v1), IVRM_OK);
  EXPECT_EQ(st2.v1.malformed, 3);  // junk, version 1 and the empty datagram above
  EXPECT_EQ(st2.v1.unknown_payload, 1);
  EXPECT_EQ(st2.v1.frames, 2);
  EXPECT_EQ(st2.future, static_cast<int64_t>(0xCDCDCDCDCDCDCDCDull));
  EXPECT_EQ(ivrm_jitter_get_stats(j, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_jitter_get_stats(nullptr, &st2.v1), IVRM_ERR_NULL);
  ivrm_jitter_usage u;
  std::memset(&u, 0xAB, sizeof u);
  u.struct_size = sizeof u - 4;
  const ivrm_jitter_usage u_before = u;
  EXPECT_EQ(ivrm_jitter_get_usage(j, &u), IVRM_ERR_CONFIG);
  EXPECT_EQ(std::memcmp(&u, &u_before, sizeof u), 0);
  u.struct_size = sizeof u;
  ASSERT_EQ(ivrm_jitter_get_usage(j, &u), IVRM_OK);
  EXPECT_EQ(u.samples_played, 320);
  EXPECT_EQ(u.sample_rate_hz, 8000);
  EXPECT_EQ(ivrm_jitter_get_usage(nullptr, &u), IVRM_ERR_NULL);

  ivrm_rtp_event ev[2];
  size_t count = 9;
  EXPECT_EQ(ivrm_jitter_read_events(j, nullptr, 2, &count), IVRM_ERR_NULL);
  EXPECT_EQ(count, 0u);
  EXPECT_EQ(ivrm_jitter_read_events(j, ev, 2, nullptr), IVRM_ERR_NULL);
  count = 9;
  EXPECT_EQ(ivrm_jitter_read_events(nullptr, ev, 2, &count), IVRM_ERR_NULL);
  EXPECT_EQ(count, 0u);
  EXPECT_EQ(ivrm_jitter_read_events(j, nullptr, 0, &count), IVRM_OK);
  size_t n = 1;
  EXPECT_EQ(ivrm_jitter_frame_samples(nullptr, &n), IVRM_ERR_NULL);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(ivrm_jitter_frame_samples(j, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_jitter_reset(nullptr), IVRM_ERR_NULL);
  for (int k = -1; k <= IVRM_JITTER_FRAME_KINDS; ++k) {
    EXPECT_NE(ivrm_jitter_frame_kind_name(k), nullptr);
    if (k >= 0 && k < IVRM_JITTER_FRAME_KINDS) {
      EXPECT_STREQ(ivrm_jitter_frame_kind_name(k),
                   jitter::describe(static_cast<jitter::FrameKind>(k)));
    }
  }
  ivrm_jitter_destroy(j);
}

}  // namespace
