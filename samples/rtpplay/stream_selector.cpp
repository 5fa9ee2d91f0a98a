#include "stream_selector.hpp"

#include "ivrmedia/rtp.hpp"

namespace rtpplay {

bool StreamSelector::accept(const Packet& packet) {
  const auto& b = packet.bytes;
  if (b.size() >= 2 && (b[0] >> 6) == 2 && b[1] >= 200 && b[1] <= 204) {
    ++rtcp;
    return false;
  }
  ivrmedia::rtp::PacketView view;
  if (b.size() < 12 || (b[0] >> 6) != 2 ||
      ivrmedia::rtp::parse(std::span<const std::uint8_t>(b.data(), b.size()), &view, nullptr) !=
          ivrmedia::Status::ok) {
    ++not_rtp;
    return false;
  }
  if (!locked_) {
    const bool wanted = want_ssrc_ ? view.ssrc == *want_ssrc_ : audio_.count(view.payload_type) > 0;
    if (!wanted) {
      ++before_stream;
      return false;
    }
    locked_ = true;
    ssrc_ = view.ssrc;
    flow_ = packet.flow;
    first_pt_ = view.payload_type;
    return true;
  }
  if (view.ssrc != ssrc_ || packet.flow != flow_) {
    ++other_streams;
    return false;
  }
  return true;
}

}  // namespace rtpplay
