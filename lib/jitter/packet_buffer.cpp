// Packet store in playout order. The order array is kept sorted by insertion (packets mostly
// arrive in order, so the insertion point is found from the back in a step or two).
#include "jitter/packet_buffer.hpp"

#include <cstring>

namespace ivrmedia::jitter {
namespace {

// Playout order: generation first (a restarted stream plays after the old one drains), then
// timestamp, then sequence number (two packets on one timestamp: RFC 4733 events never get
// here, but a buggy sender may repeat a timestamp).
bool before(const PacketBuffer::Key& a, const StoredPacket& b) noexcept {
  if (a.generation != b.generation) return a.generation < b.generation;
  if (a.timestamp != b.timestamp) return a.timestamp < b.timestamp;
  return a.sequence < b.sequence;
}

bool same(const PacketBuffer::Key& a, const StoredPacket& b) noexcept {
  return a.generation == b.generation && a.sequence == b.sequence && a.ssrc == b.ssrc;
}

}  // namespace

PacketBuffer::PacketBuffer(std::size_t capacity, std::size_t max_payload_bytes)
    : capacity_(capacity),
      max_payload_(max_payload_bytes),
      meta_(std::make_unique<StoredPacket[]>(capacity)),
      arena_(std::make_unique<std::uint8_t[]>(capacity * max_payload_bytes)),
      order_(std::make_unique<std::uint32_t[]>(2 * capacity)),
      free_(std::make_unique<std::uint32_t[]>(capacity)) {
  clear();
}

void PacketBuffer::clear() noexcept {
  first_ = 0;
  count_ = 0;
  free_count_ = capacity_;
  for (std::size_t i = 0; i < capacity_; ++i)
    free_[i] = static_cast<std::uint32_t>(capacity_ - 1 - i);
}

PacketBuffer::Insert PacketBuffer::insert(const StoredPacket& packet,
                                          std::span<const std::uint8_t> payload) noexcept {
  StoredPacket* meta = nullptr;
  const Insert result =
      place({packet.generation, packet.timestamp, packet.sequence, packet.ssrc}, payload, &meta);
  if (meta != nullptr) {
    *meta = packet;
    meta->size = payload.size();
  }
  return result;
}

PacketBuffer::Insert PacketBuffer::place(const Key& key, std::span<const std::uint8_t> payload,
                                         StoredPacket** meta_out) noexcept {
  *meta_out = nullptr;
  if (payload.size() > max_payload_) return Insert::too_large;
  // Insertion point, searching from the latest.
  std::size_t pos = count_;
  while (pos > 0 && before(key, at(pos - 1))) {
    --pos;
  }
  if (pos > 0 && same(key, at(pos - 1))) return Insert::duplicate;
  if (pos < count_ && same(key, at(pos))) return Insert::duplicate;
  Insert result = Insert::stored;
  if (count_ == capacity_) {
    if (pos == count_) return Insert::refused_full;
    erase(count_ - 1);  // the latest goes; pos is still valid (it was < count_)
    result = Insert::evicted_latest;
  }
  const std::uint32_t slot = free_[--free_count_];
  StoredPacket& meta = meta_[slot];
  meta.generation = key.generation;
  meta.timestamp = key.timestamp;
  meta.sequence = key.sequence;
  meta.ssrc = key.ssrc;
  meta.size = payload.size();
  if (!payload.empty())
    std::memcpy(arena_.get() + slot * max_payload_, payload.data(), payload.size());
  if (first_ + count_ == 2 * capacity_) {  // no room behind the run: slide it to the start
    std::memmove(order_.get(), order_.get() + first_, count_ * sizeof(std::uint32_t));
    first_ = 0;
  }
  std::uint32_t* order = order_.get() + first_;
  if (pos < count_)
    std::memmove(order + pos + 1, order + pos, (count_ - pos) * sizeof(std::uint32_t));
  order[pos] = slot;
  ++count_;
  *meta_out = &meta;
  return result;
}

}  // namespace ivrmedia::jitter
