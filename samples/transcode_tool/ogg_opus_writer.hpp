// A minimal Ogg Opus file writer (RFC 7845 on RFC 3533 pages) for opus packets made by
// codec::Encoder: identification header, comment header, then one audio packet per page.
// Granule positions count 48 kHz samples from the start including the pre-skip, as RFC 7845
// section 4 requires whatever the encoder's input rate.
#pragma once

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>

namespace ivrm_tool {

class OggOpusWriter {
 public:
  // Opens `path`; false (with errno set) when it cannot. `input_rate_hz` is informational
  // (the decoder plays at 48 kHz); `pre_skip` is the encoder's lookahead at 48 kHz.
  bool open(const std::string& path, int channels, int input_rate_hz, int pre_skip,
            std::uint32_t serial);
  // One opus packet covering `samples_48k` samples at 48 kHz. `last` ends the stream.
  bool write_packet(std::span<const std::uint8_t> packet, int samples_48k, bool last);
  bool close();
  ~OggOpusWriter() { close(); }

 private:
  bool write_page(std::span<const std::uint8_t> data, std::uint8_t header_type,
                  std::int64_t granule);
  std::FILE* file_ = nullptr;
  std::uint32_t serial_ = 0, sequence_ = 0;
  std::int64_t granule_ = 0;
  bool ended_ = false;
};

}  // namespace ivrm_tool
