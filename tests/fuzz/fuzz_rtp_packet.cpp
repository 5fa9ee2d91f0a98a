// RFC 3550 / RFC 8285 / RFC 4733 receive path on arbitrary datagrams. Input: records of a 16-bit
// length and that many bytes, each one datagram. Checks: parse never reads outside the datagram
// (ASan), an accepted view accounts for every byte of it, the RFC 8285 walk ends, the C API
// gives the C++ verdict, and the sequence tracker and RFC 4733 receiver take whatever parse
// accepted (their queues bounded).
#include <array>
#include <cstdint>
#include <span>

#include "fuzz_seeds.hpp"
#include "fuzz_target.hpp"
#include "ivrmedia/ivrmedia.h"
#include "ivrmedia/rtp.hpp"
#include "ivrmedia/rtp_sequence.hpp"
#include "ivrmedia/telephone_event.hpp"

namespace rtp = ivrmedia::rtp;

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  std::vector<std::vector<std::uint8_t>> seeds;
  for (const auto& [format, pt] : {std::pair{ivrmedia::codec::Format{"PCMU", 8000, 1}, 0},
                                   std::pair{ivrmedia::codec::Format{"G722", 8000, 1}, 9}}) {
    std::vector<std::uint8_t> s;
    for (const auto& d : ivrm_fuzz::rtp_stream(format, pt, 16))
      ivrm_fuzz::append_record(s, d);
    seeds.push_back(std::move(s));
  }
  return seeds;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput in(data, size);
  rtp::SequenceTracker tracker;
  rtp::TelephoneEventReceiver events;
  std::array<rtp::TelephoneEvent, 8> ev;
  std::int64_t now_us = 0;
  for (int k = 0; k < 256 && !in.empty(); ++k) {
    const std::vector<std::uint8_t> d = in.bytes(in.u16() % 2048);
    const std::span<const std::uint8_t> datagram(d);
    rtp::PacketView v;
    rtp::ParseError why = rtp::ParseError::none;
    const ivrmedia::Status s = rtp::parse(datagram, &v, &why);
    ivrm_rtp_packet c{};
    c.struct_size = sizeof c;
    ivrm_rtp_parse_error cwhy = IVRM_RTP_PARSE_OK;
    const ivrm_status cs = ivrm_rtp_parse(d.data(), d.size(), &c, &cwhy);
    IVRM_FUZZ_CHECK((cs == IVRM_OK) == (s == ivrmedia::Status::ok));
    IVRM_FUZZ_CHECK(static_cast<int>(cwhy) == static_cast<int>(why));
    now_us += 20000;
    if (s != ivrmedia::Status::ok) {
      IVRM_FUZZ_CHECK(why != rtp::ParseError::none);
      continue;
    }
    // Every byte accounted for: fixed header, CSRCs, extension header and data, payload, padding.
    const std::size_t ext = v.has_extension ? 4 + v.extension_data.size() : 0;
    IVRM_FUZZ_CHECK(12 + v.csrc_bytes.size() + ext + v.payload.size() + v.padding_bytes ==
                    d.size());
    IVRM_FUZZ_CHECK(v.payload.empty() ||
                    (v.payload.data() >= d.data() &&
                     v.payload.data() + v.payload.size() <= d.data() + d.size()));
    IVRM_FUZZ_CHECK(c.payload_size == v.payload.size());
    rtp::ExtensionReader reader(v);
    rtp::ExtensionElement e;
    std::size_t walked = 0;
    while (reader.next(&e)) {
      IVRM_FUZZ_CHECK(++walked <= v.extension_data.size());
      IVRM_FUZZ_CHECK(e.data.empty() || (e.data.data() >= v.extension_data.data() &&
                                         e.data.data() + e.data.size() <=
                                             v.extension_data.data() + v.extension_data.size()));
    }
    (void)tracker.update(v);
    if (v.payload_type == 101) (void)events.push(v, now_us);
    events.poll(now_us);
    IVRM_FUZZ_CHECK(events.pending() <= 64);
    (void)events.read(ev);
  }
  events.finish(now_us);
  return 0;
}
