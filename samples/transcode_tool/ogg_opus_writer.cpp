#include "ogg_opus_writer.hpp"

#include <array>
#include <vector>

namespace ivrm_tool {
namespace {

// RFC 3533 section 6: CRC-32 with polynomial 0x04C11DB7, no reflection, initial value 0.
std::uint32_t ogg_crc(std::span<const std::uint8_t> data) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t r = i << 24;
      for (int k = 0; k < 8; ++k)
        r = (r & 0x80000000u) ? (r << 1) ^ 0x04C11DB7u : r << 1;
      t[i] = r;
    }
    return t;
  }();
  std::uint32_t crc = 0;
  for (std::uint8_t b : data)
    crc = (crc << 8) ^ table[((crc >> 24) ^ b) & 0xFF];
  return crc;
}

void put_le(std::vector<std::uint8_t>& v, std::uint64_t x, int bytes) {
  for (int i = 0; i < bytes; ++i)
    v.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
}

}  // namespace

bool OggOpusWriter::open(const std::string& path, int channels, int input_rate_hz, int pre_skip,
                         std::uint32_t serial) {
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) return false;
  serial_ = serial;
  // RFC 7845 section 5.1: identification header.
  std::vector<std::uint8_t> head = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1};
  head.push_back(static_cast<std::uint8_t>(channels));
  put_le(head, static_cast<std::uint64_t>(pre_skip), 2);
  put_le(head, static_cast<std::uint64_t>(input_rate_hz), 4);
  put_le(head, 0, 2);  // output gain
  head.push_back(0);   // channel mapping family 0: mono or stereo
  // Section 5.2: comment header with a vendor string and no comments.
  const std::string vendor = "ivrmedia-transcode";
  std::vector<std::uint8_t> tags = {'O', 'p', 'u', 's', 'T', 'a', 'g', 's'};
  put_le(tags, vendor.size(), 4);
  tags.insert(tags.end(), vendor.begin(), vendor.end());
  put_le(tags, 0, 4);
  return write_page(head, 0x02, 0) && write_page(tags, 0x00, 0);
}

bool OggOpusWriter::write_packet(std::span<const std::uint8_t> packet, int samples_48k, bool last) {
  granule_ += samples_48k;
  if (last) ended_ = true;
  return write_page(packet, last ? 0x04 : 0x00, granule_);
}

bool OggOpusWriter::write_page(std::span<const std::uint8_t> data, std::uint8_t header_type,
                               std::int64_t granule) {
  if (file_ == nullptr) return false;
  // One packet per page: lacing values of 255 then the remainder (a final 0 when the size is a
  // multiple of 255). Opus packets are at most 1275 * 3 + 7 bytes: at most 16 segments.
  // An empty end-of-stream page has no segments at all.
  std::vector<std::uint8_t> lacing(data.size() / 255, 255);
  if (!data.empty()) lacing.push_back(static_cast<std::uint8_t>(data.size() % 255));
  std::vector<std::uint8_t> page = {'O', 'g', 'g', 'S', 0, header_type};
  put_le(page, static_cast<std::uint64_t>(granule), 8);
  put_le(page, serial_, 4);
  put_le(page, sequence_++, 4);
  put_le(page, 0, 4);  // CRC, filled below
  page.push_back(static_cast<std::uint8_t>(lacing.size()));
  page.insert(page.end(), lacing.begin(), lacing.end());
  page.insert(page.end(), data.begin(), data.end());
  const std::uint32_t crc = ogg_crc(page);
  for (int i = 0; i < 4; ++i)
    page[22 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  return std::fwrite(page.data(), 1, page.size(), file_) == page.size();
}

bool OggOpusWriter::close() {
  if (file_ == nullptr) return true;
  bool ok = true;
  if (!ended_) ok = write_page({}, 0x04, granule_);  // empty end-of-stream page
  ok = std::fclose(file_) == 0 && ok;
  file_ = nullptr;
  return ok;
}

}  // namespace ivrm_tool
