// Seed streams shared by the fuzz targets: valid RTP made with the library's own builder and
// encoders, framed as the targets read their input (records of a 16-bit length and the bytes).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/rtp.hpp"
#include "ivrmedia/telephone_event.hpp"

namespace ivrm_fuzz {

inline void append_record(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> bytes) {
  out.push_back(static_cast<std::uint8_t>(bytes.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(bytes.size()));
  out.insert(out.end(), bytes.begin(), bytes.end());
}

// `packets` RTP packets of `format`, a tone encoded at the format's rate; every fourth carries
// RFC 8285 elements (one-byte form, then two-byte form), and an RFC 4733 event (payload type
// 101, begin, updates, three ends) is interleaved half way.
inline std::vector<std::vector<std::uint8_t>> rtp_stream(const ivrmedia::codec::Format& format,
                                                         int payload_type, int packets) {
  namespace codec = ivrmedia::codec;
  namespace rtp = ivrmedia::rtp;
  codec::EncoderConfig ec;
  ec.format = format;
  auto enc = codec::make_encoder(ec);
  const auto frame = static_cast<std::size_t>(enc->info().frame_samples) *
                     static_cast<std::size_t>(enc->info().channels);
  std::vector<float> pcm(frame);
  std::vector<std::uint8_t> payload(enc->info().max_payload_bytes), packet(1500);
  rtp::Builder b({.payload_type = payload_type,
                  .clock_rate_hz = enc->info().rtp_clock_hz,
                  .ssrc = 0x1234,
                  .first_sequence = 65530,  // wraps inside the seed
                  .first_timestamp = 0xFFFFF000u});
  rtp::TelephoneEventSender events;
  const std::uint8_t small[] = {7, 7, 7};
  const std::uint8_t big[20] = {1};
  const rtp::ExtensionElement one_byte[] = {{1, small}, {14, small}};
  const rtp::ExtensionElement two_byte[] = {{200, big}, {3, {}}};
  std::vector<std::vector<std::uint8_t>> out;
  for (int k = 0; k < packets; ++k) {
    for (std::size_t i = 0; i < frame; ++i)
      pcm[i] = 0.3f * static_cast<float>((static_cast<int>(i + frame * k) % 40) - 20) / 20.0f;
    std::size_t n = 0, written = 0;
    if (enc->encode(pcm, payload, &n) != ivrmedia::Status::ok) break;
    const auto units = static_cast<std::uint32_t>(
        codec::rtp_units(enc->info(), static_cast<std::int64_t>(enc->info().frame_samples)));
    std::span<const rtp::ExtensionElement> ext;
    if (k % 4 == 1) ext = one_byte;
    if (k % 4 == 3) ext = two_byte;
    if (b.build(std::span(payload.data(), n), units, k == 0, ext, packet, &written) ==
        ivrmedia::Status::ok) {
      out.emplace_back(packet.begin(), packet.begin() + static_cast<long>(written));
    }
    if (k == packets / 2) (void)events.begin(5, b.next_timestamp());
    if (k == packets / 2 + 3) (void)events.end();
    rtp::TelephoneEventSender::Packet ep;
    if (events.next(&ep) && b.build_at(101, ep.payload, ep.timestamp, ep.marker, packet,
                                       &written) == ivrmedia::Status::ok) {
      out.emplace_back(packet.begin(), packet.begin() + static_cast<long>(written));
    }
  }
  return out;
}

}  // namespace ivrm_fuzz
