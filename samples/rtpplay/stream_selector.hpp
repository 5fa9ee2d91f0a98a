// ivrmedia-rtpplay: picks one RTP stream out of everything a capture holds.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>

#include "packet_source.hpp"

namespace rtpplay {

// RTP by heuristics (a capture has no signalling to say which ports carry RTP): version 2, a
// header rtp::parse accepts, and not RTCP (second octet 200-204: SR, RR, SDES, BYE, APP, which
// as RTP would read as marker + payload type 72-76, a range RFC 5761 reserves for this). The
// first packet of an audio payload type (or of the SSRC asked for) fixes the stream: its flow
// and SSRC; afterwards only that flow and SSRC pass (its RFC 4733 and comfort noise included).
class StreamSelector {
 public:
  StreamSelector(std::set<int> audio_payload_types, std::optional<std::uint32_t> ssrc)
      : audio_(std::move(audio_payload_types)), want_ssrc_(ssrc) {}

  [[nodiscard]] bool accept(const Packet& packet);

  [[nodiscard]] bool locked() const { return locked_; }
  [[nodiscard]] std::uint32_t ssrc() const { return ssrc_; }
  [[nodiscard]] const std::string& flow() const { return flow_; }
  [[nodiscard]] int first_payload_type() const { return first_pt_; }

  std::int64_t not_rtp = 0;        // UDP payloads that are not RTP
  std::int64_t rtcp = 0;           // RTCP packets
  std::int64_t other_streams = 0;  // RTP of other flows or SSRCs
  std::int64_t before_stream = 0;  // RTP before the stream was found (other payload types)

 private:
  std::set<int> audio_;
  std::optional<std::uint32_t> want_ssrc_;
  bool locked_ = false;
  std::uint32_t ssrc_ = 0;
  std::string flow_;
  int first_pt_ = -1;
};

}  // namespace rtpplay
