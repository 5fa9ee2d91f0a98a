// The jitter buffer's packet store: a fixed number of slots, each with room for one payload,
// kept in playout order. Nothing grows after creation: a full store keeps the packets that
// will play first (the earliest) and refuses or evicts the latest, so a flood of packets with
// far-future numbers cannot push out the audio about to play.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>

namespace ivrmedia::jitter {

// What the buffer knows of one stored packet (the payload lives in the store's arena).
struct StoredPacket {
  // Which timeline the timestamp belongs to: the rtp::SequenceTracker generation (stream
  // restarts) in the high bits, the jitter buffer's own epoch (timestamp jumps backwards
  // within one stream) in the low 16. Packets play timeline by timeline.
  std::uint64_t generation = 0;
  std::int64_t timestamp = 0;  // extended RTP timestamp within the generation
  std::int64_t sequence = 0;   // extended sequence number within the generation
  std::uint32_t ssrc = 0;
  std::uint32_t raw_timestamp = 0;  // as on the wire, for logs
  int payload_type = 0;
  int decoder = 0;          // index of the decoder for payload_type
  std::int64_t units = 0;   // duration on the RTP clock
  std::size_t samples = 0;  // its samples per channel (Decoder::samples_in, measured at push)
  std::int64_t arrival_us = 0;
  bool marker = false;
  std::size_t size = 0;  // payload bytes
};

class PacketBuffer {
 public:
  PacketBuffer(std::size_t capacity, std::size_t max_payload_bytes);

  enum class Insert { stored, duplicate, evicted_latest, refused_full, too_large };
  // Stores a copy of the payload. When full, the latest packet (by generation, timestamp)
  // makes room if the new one plays earlier (evicted_latest), else the new one is refused.
  Insert insert(const StoredPacket& packet, std::span<const std::uint8_t> payload) noexcept;
  // The same, with the metadata written in place: only the ordering key is read, and *meta
  // gets the stored packet (key and size filled, the rest for the caller; null when the packet
  // was not stored). Copying a StoredPacket the caller has just built would make the copy's wide
  // loads wait on its narrow stores (store forwarding fails), on every packet.
  struct Key {
    std::uint64_t generation = 0;
    std::int64_t timestamp = 0;
    std::int64_t sequence = 0;
    std::uint32_t ssrc = 0;
  };
  Insert place(const Key& key, std::span<const std::uint8_t> payload, StoredPacket** meta) noexcept;

  [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
  [[nodiscard]] std::size_t size() const noexcept { return count_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  // The i-th packet in playout order (i < size()). (These run on every packet: inline.)
  [[nodiscard]] const StoredPacket& at(std::size_t i) const noexcept {
    return meta_[order_[first_ + i]];
  }
  [[nodiscard]] std::span<const std::uint8_t> payload(std::size_t i) const noexcept {
    const std::uint32_t slot = order_[first_ + i];
    return {arena_.get() + slot * max_payload_, meta_[slot].size};
  }
  // Removes the i-th packet in playout order.
  void erase(std::size_t i) noexcept {
    std::uint32_t* order = order_.get() + first_;
    free_[free_count_++] = order[i];
    --count_;
    if (i == 0) {  // the packet played: the run starts one later
      first_ = count_ == 0 ? 0 : first_ + 1;
      return;
    }
    if (i < count_) std::memmove(order + i, order + i + 1, (count_ - i) * sizeof(std::uint32_t));
  }
  // Removes packets for which pred(packet) is true; returns how many.
  template <class Pred>
  std::size_t erase_if(Pred pred) noexcept {
    std::size_t removed = 0;
    for (std::size_t i = 0; i < count_;) {
      if (pred(at(i))) {
        erase(i);
        ++removed;
      } else {
        ++i;
      }
    }
    return removed;
  }
  void clear() noexcept;

 private:
  std::size_t capacity_;
  std::size_t max_payload_;
  std::unique_ptr<StoredPacket[]> meta_;   // by slot
  std::unique_ptr<std::uint8_t[]> arena_;  // slot i's payload at i * max_payload_
  // Slots in playout order: order_[first_ .. first_ + count_). Twice the capacity, so taking
  // the first packet (every pull) and appending the latest (most pushes) move nothing; the run
  // slides back to the start only when it reaches the end.
  std::unique_ptr<std::uint32_t[]> order_;
  std::unique_ptr<std::uint32_t[]> free_;  // free slots, first free_count_ used
  std::size_t first_ = 0;
  std::size_t count_ = 0;
  std::size_t free_count_ = 0;
};

}  // namespace ivrmedia::jitter
