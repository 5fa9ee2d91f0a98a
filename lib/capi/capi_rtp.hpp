// Shared by the RTP C API handles (packets, RFC 4733 receiver) and the jitter buffer's: the
// translation of packet views and received events between C and C++.
#pragma once

#include <cstddef>
#include <span>

#include "ivrmedia/ivrmedia.h"
#include "ivrmedia/rtp.hpp"
#include "ivrmedia/telephone_event.hpp"

namespace ivrmedia::capi {

// Version 1 of the growable packet struct; later versions only append.
constexpr std::size_t kRtpPacketV1 = sizeof(ivrm_rtp_packet);

// The C++ view of a caller's packet struct (from ivrm_rtp_parse or filled by hand): its pointers
// are taken as the caller's buffers. IVRM_ERR_NULL for a NULL pointer with a non-zero size,
// IVRM_ERR_CONFIG for a struct_size below the first version, IVRM_ERR_RANGE for more than 15
// CSRCs or a payload type over 127.
ivrm_status to_cxx(const ivrm_rtp_packet* packet, rtp::PacketView& out) noexcept;

ivrm_rtp_event to_c(const rtp::TelephoneEvent& e) noexcept;

// Moves up to `capacity` events from read(span) into `events` through a small stack chunk (no
// allocation); *count = how many.
template <typename Read>
ivrm_status read_events(Read read, ivrm_rtp_event* events, size_t capacity,
                        size_t* count) noexcept {
  if (count != nullptr) *count = 0;
  if (count == nullptr || (capacity != 0 && events == nullptr)) return IVRM_ERR_NULL;
  rtp::TelephoneEvent chunk[16];
  size_t done = 0;
  while (done < capacity) {
    const size_t want = capacity - done < 16 ? capacity - done : 16;
    const size_t got = read(std::span<rtp::TelephoneEvent>(chunk, want));
    for (size_t i = 0; i < got; ++i)
      events[done + i] = to_c(chunk[i]);
    done += got;
    if (got < want) break;
  }
  *count = done;
  return IVRM_OK;
}

}  // namespace ivrmedia::capi
