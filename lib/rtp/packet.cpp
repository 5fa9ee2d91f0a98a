// RTP packet parsing (RFC 3550 section 5.1) and RFC 8285 header extension elements.
// Every read is preceded by a bounds check against the datagram's size, and sizes are compared
// by subtraction from what is left (never by adding to an offset), so no sum can overflow.
#include <cstddef>
#include <cstdint>
#include <span>

#include "ivrmedia/rtp.hpp"

namespace ivrmedia::rtp {
namespace {

std::uint16_t load16(const std::uint8_t* p) noexcept {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
std::uint32_t load32(const std::uint8_t* p) noexcept {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

ExtensionForm form_of(bool has_extension, std::uint16_t profile) noexcept {
  if (!has_extension) return ExtensionForm::none;
  if (profile == kOneByteProfile) return ExtensionForm::one_byte;
  if ((profile & kTwoByteProfileMask) == kTwoByteProfile) return ExtensionForm::two_byte;
  return ExtensionForm::other;
}

// Reads the RFC 8285 element at *pos, after any padding bytes, into *out and moves *pos past
// it. At the end of the block (or at the one-byte form's reserved ID 15) *pos becomes the
// block's size and out->id stays 0.
ParseError step(ExtensionForm form, std::span<const std::uint8_t> block, std::size_t* pos,
                ExtensionElement* out) noexcept {
  *out = {};
  const std::size_t size = block.size();
  std::size_t i = *pos;
  while (i < size) {
    const std::uint8_t first = block[i];
    if (form == ExtensionForm::one_byte) {
      const int id = first >> 4;
      if (id == 0) {  // padding byte (RFC 8285 section 4.2): skipped alone
        ++i;
        continue;
      }
      if (id == 15) {  // reserved: processing of the whole block stops here
        *pos = size;
        return ParseError::none;
      }
      const std::size_t length = std::size_t{first & 0x0Fu} + 1;
      if (length > size - i - 1) {
        *pos = size;
        return ParseError::bad_extension_element;
      }
      *out = {id, block.subspan(i + 1, length)};
      *pos = i + 1 + length;
      return ParseError::none;
    }
    // two-byte form (RFC 8285 section 4.3)
    if (first == 0) {  // padding byte
      ++i;
      continue;
    }
    if (size - i < 2) {
      *pos = size;
      return ParseError::bad_extension_element;
    }
    const std::size_t length = block[i + 1];
    if (length > size - i - 2) {
      *pos = size;
      return ParseError::bad_extension_element;
    }
    *out = {first, block.subspan(i + 2, length)};
    *pos = i + 2 + length;
    return ParseError::none;
  }
  *pos = size;
  return ParseError::none;
}

}  // namespace

const char* describe(ParseError error) noexcept {
  switch (error) {
    case ParseError::none:
      return "no error";
    case ParseError::too_short:
      return "shorter than the 12-byte RTP fixed header";
    case ParseError::bad_version:
      return "RTP version is not 2";
    case ParseError::csrc_overrun:
      return "CSRC list runs past the end of the packet";
    case ParseError::extension_overrun:
      return "header extension runs past the end of the packet";
    case ParseError::bad_padding:
      return "padding count is zero or larger than the payload";
    case ParseError::bad_extension_element:
      return "header extension element runs past the extension block";
  }
  return "unknown RTP parse error";
}

Status status_of(ParseError error) noexcept {
  switch (error) {
    case ParseError::none:
      return Status::ok;
    case ParseError::too_short:
    case ParseError::csrc_overrun:
    case ParseError::extension_overrun:
      return Status::truncated;
    default:
      return Status::malformed;
  }
}

Status parse(std::span<const std::uint8_t> datagram, PacketView* out, ParseError* why) noexcept {
  ParseError ignored;
  ParseError& reason = why != nullptr ? *why : ignored;
  reason = ParseError::none;
  if (out == nullptr) return Status::null_pointer;

  const auto fail = [&reason](ParseError e) {
    reason = e;
    return status_of(e);
  };
  const std::uint8_t* p = datagram.data();
  const std::size_t size = datagram.size();
  if (size < kFixedHeaderBytes) return fail(ParseError::too_short);
  if ((p[0] >> 6) != 2) return fail(ParseError::bad_version);

  const bool padding = (p[0] & 0x20u) != 0;
  const bool extension = (p[0] & 0x10u) != 0;
  const std::size_t csrc_bytes = std::size_t{p[0] & 0x0Fu} * 4;
  std::size_t offset = kFixedHeaderBytes;
  if (csrc_bytes > size - offset) return fail(ParseError::csrc_overrun);
  const std::span<const std::uint8_t> csrcs = datagram.subspan(offset, csrc_bytes);
  offset += csrc_bytes;

  std::uint16_t profile = 0;
  std::span<const std::uint8_t> ext_data;
  if (extension) {
    if (size - offset < 4) return fail(ParseError::extension_overrun);
    profile = load16(p + offset);
    const std::size_t ext_bytes = std::size_t{load16(p + offset + 2)} * 4;
    offset += 4;
    if (ext_bytes > size - offset) return fail(ParseError::extension_overrun);
    ext_data = datagram.subspan(offset, ext_bytes);
    offset += ext_bytes;
  }

  std::size_t pad = 0;
  if (padding) {
    // The last octet counts the padding, itself included (RFC 3550 section 5.1).
    pad = p[size - 1];
    if (pad == 0 || pad > size - offset) return fail(ParseError::bad_padding);
  }

  // RFC 8285 elements are not walked here: a broken element spoils the metadata, not the
  // audio, so the packet plays and ExtensionReader reports the element (as libwebrtc keeps
  // such packets). The block's bounds, checked above, are all the payload depends on.

  // Written field by field into *out (every check has passed): a local copied out whole made
  // the copy's wide loads wait on the narrow stores that built it (store forwarding fails),
  // the costliest part of parsing a packet.
  PacketView& v = *out;
  v.marker = (p[1] & 0x80u) != 0;
  v.payload_type = static_cast<std::uint8_t>(p[1] & 0x7Fu);
  v.sequence = load16(p + 2);
  v.timestamp = load32(p + 4);
  v.ssrc = load32(p + 8);
  v.csrc_bytes = csrcs;
  v.has_extension = extension;
  v.extension_profile = profile;
  v.extension_data = ext_data;
  v.payload = datagram.subspan(offset, size - offset - pad);
  v.padding_bytes = static_cast<std::uint8_t>(pad);
  return Status::ok;
}

ExtensionForm extension_form(const PacketView& view) noexcept {
  return form_of(view.has_extension, view.extension_profile);
}

ExtensionReader::ExtensionReader(const PacketView& view) noexcept
    : data_(view.extension_data), form_(extension_form(view)) {}

bool ExtensionReader::next(ExtensionElement* out) noexcept {
  if (out == nullptr || error_ != ParseError::none) return false;
  if (form_ != ExtensionForm::one_byte && form_ != ExtensionForm::two_byte) return false;
  while (pos_ < data_.size()) {
    ExtensionElement element;
    error_ = step(form_, data_, &pos_, &element);
    if (error_ != ParseError::none) return false;
    if (element.id != 0) {  // an element, not the end reached through padding or ID 15
      *out = element;
      return true;
    }
  }
  return false;
}

bool find_extension(const PacketView& view, int id, std::span<const std::uint8_t>* out) noexcept {
  ExtensionReader reader(view);
  ExtensionElement element;
  while (reader.next(&element)) {
    if (element.id == id) {
      if (out != nullptr) *out = element.data;
      return true;
    }
  }
  return false;
}

}  // namespace ivrmedia::rtp
