// jitter::Buffer under any packet stream and any host timing. Input: a config byte (8 kHz with
// PCMU/PCMA/opus, or 16 kHz with G.722/L16/opus; RFC 4733 on 101, CN on 13; 16 packets at most),
// then records: an op byte, then for a push a 16-bit arrival advance (10 us units) and a
// datagram (16-bit length, bytes); other ops pull a 20 ms frame (float or int16, with or without
// the host's clock) or read events and statistics.
// Checks: every call returns, the store never holds more than its capacity, every pull fills
// its frame with finite samples (ASan and UBSan watch everything else).
#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz_seeds.hpp"
#include "fuzz_target.hpp"
#include "ivrmedia/jitter.hpp"

namespace jitter = ivrmedia::jitter;
using ivrmedia::codec::Format;

namespace {

constexpr std::size_t kCapacity = 16;

jitter::Config config_of(std::uint8_t which) {
  jitter::Config c;
  c.packet_capacity = kCapacity;
  c.telephone_event_payload_type = 101;
  if (which % 2 == 0) {
    c.sample_rate_hz = 8000;
    c.payloads = {{0, {"PCMU", 8000, 1}}, {8, {"PCMA", 8000, 1}}, {111, {"opus", 48000, 2}}};
  } else {
    c.sample_rate_hz = 16000;
    c.payloads = {{9, {"G722", 8000, 1}}, {96, {"L16", 16000, 1}}, {111, {"opus", 48000, 2}}};
  }
  if (which & 2) c.mode = jitter::DelayMode::fixed;
  if (which & 4) c.time_stretch = false;
  return c;
}

void append_push(std::vector<std::uint8_t>& s, std::uint16_t advance,
                 const std::vector<std::uint8_t>& d) {
  s.push_back(0);
  s.push_back(static_cast<std::uint8_t>(advance >> 8));
  s.push_back(static_cast<std::uint8_t>(advance));
  ivrm_fuzz::append_record(s, d);
}

}  // namespace

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  std::vector<std::vector<std::uint8_t>> seeds;
  const std::pair<std::uint8_t, std::pair<Format, int>> streams[] = {
      {0, {Format{"PCMU", 8000, 1}, 0}},
      {0, {Format{"opus", 48000, 2}, 111}},
      {1, {Format{"G722", 8000, 1}, 9}},
      {1, {Format{"L16", 16000, 1}, 96}}};
  for (const auto& [which, fp] : streams) {
    std::vector<std::uint8_t> s{which};
    for (const auto& d : ivrm_fuzz::rtp_stream(fp.first, fp.second, 24)) {
      append_push(s, 2000, d);  // 20 ms apart
      s.push_back(2);           // pull with the host's clock
    }
    seeds.push_back(std::move(s));
  }
  return seeds;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput in(data, size);
  jitter::Buffer buffer(config_of(in.u8()));
  const std::size_t frame = static_cast<std::size_t>(buffer.frame_samples());
  std::vector<float> f(frame);
  std::vector<std::int16_t> s(frame);
  std::array<ivrmedia::rtp::TelephoneEvent, 4> events;
  std::int64_t now_us = 1'000'000;
  for (int k = 0; k < 512 && !in.empty(); ++k) {
    const std::uint8_t op = in.u8();
    jitter::FrameInfo info;
    switch (op % 6) {
      case 0:
      case 1: {
        now_us += std::int64_t{in.u16()} * 10;
        const std::vector<std::uint8_t> d = in.bytes(in.u16() % 1600);
        (void)buffer.push(d, now_us);
        break;
      }
      case 2:
        now_us += 20000;
        IVRM_FUZZ_CHECK(buffer.pull(std::span(f), now_us, &info) == ivrmedia::Status::ok);
        for (float v : f)
          IVRM_FUZZ_CHECK(std::isfinite(v));
        break;
      case 3:
        now_us += 20000;
        IVRM_FUZZ_CHECK(buffer.pull(std::span(s), &info) == ivrmedia::Status::ok);
        break;
      case 4:
        (void)buffer.read_events(events);
        break;
      default: {
        const jitter::Statistics st = buffer.statistics();
        IVRM_FUZZ_CHECK(st.buffered_packets >= 0 &&
                        st.buffered_packets <= static_cast<std::int64_t>(kCapacity));
        IVRM_FUZZ_CHECK(std::isfinite(st.loss_rate) && std::isfinite(st.interarrival_jitter_ms));
        break;
      }
    }
  }
  const jitter::Statistics st = buffer.statistics();
  IVRM_FUZZ_CHECK(st.buffered_packets <= static_cast<std::int64_t>(kCapacity));
  return 0;
}
