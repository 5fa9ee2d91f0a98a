// Decoded audio waiting to be played, with a little played history behind it (time stretching
// overlaps into the past), and tags saying how each stretch of samples was made (decoded,
// concealed, stretched...) and which RTP timestamp it starts at, so every output frame can be
// labelled for statistics and logs. Fixed capacity: appends compact the buffer in place.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "ivrmedia/jitter.hpp"

namespace ivrmedia::jitter {

class SyncBuffer {
 public:
  SyncBuffer(std::size_t capacity, std::size_t history, int sample_rate_hz);

  struct Tag {
    FrameKind kind = FrameKind::normal;
    bool has_timestamp = false;
    std::uint32_t timestamp = 0;  // RTP timestamp (32-bit, as sent) of the tag's first sample
    int clock_hz = 8000;          // RTP clock of that timestamp
  };

  // Appends samples (false, nothing appended, when they do not fit: capacity is sized so that
  // this cannot happen in a correctly configured buffer).
  bool append(std::span<const float> samples, const Tag& tag) noexcept;
  // Room for n more samples at the end, compacting if needed; the span to write them into.
  // commit(n, tag) then makes them part of the buffer. (Inline, like the accessors below: they
  // run on every packet, and a call costs more than they do.)
  std::span<float> reserve(std::size_t n) noexcept {
    if (capacity_ - end_ < n) {
      compact(n);
      if (capacity_ - end_ < n) return {};
    }
    return {data_.get() + end_, n};
  }
  void commit(std::size_t n, const Tag& tag) noexcept {
    add_segment(read_abs_ + static_cast<std::int64_t>(end_ - read_), tag);
    end_ += n;
  }

  [[nodiscard]] std::size_t available() const noexcept { return end_ - read_; }
  // Samples not yet played.
  [[nodiscard]] std::span<float> future() noexcept { return {data_.get() + read_, end_ - read_}; }
  // Up to `n` played samples just before the future ones.
  [[nodiscard]] std::span<const float> history(std::size_t n) const noexcept {
    const std::size_t k = std::min(n, read_ - begin_);
    return {data_.get() + read_ - k, k};
  }
  // Replaces the future samples with `samples` (time stretching changed their number); the
  // new samples get one tag.
  void replace_future(std::span<const float> samples, const Tag& tag) noexcept;
  // Moves out.size() samples (<= available()) into out; *kind and *tag describe the frame:
  // the most serious kind in it, the tag of its first sample with the timestamp advanced to it.
  void take(std::span<float> out, FrameKind* kind, Tag* first) noexcept;
  // The tag of the next sample to be played (timestamp advanced to it); a cng tag when empty.
  [[nodiscard]] Tag peek_tag() const noexcept;
  void clear() noexcept;

 private:
  struct Segment {
    std::int64_t start = 0;  // absolute sample index
    Tag tag;
  };
  void add_segment(std::int64_t start, const Tag& tag) noexcept;
  // The segment's tag with its timestamp advanced to `position` (inside the segment).
  [[nodiscard]] Tag tag_at(const Segment& s, std::int64_t position) const noexcept;
  void compact(std::size_t need) noexcept;

  std::size_t capacity_;
  std::size_t keep_history_;
  int sample_rate_hz_;
  std::unique_ptr<float[]> data_;
  std::size_t begin_ = 0;  // oldest kept sample
  std::size_t read_ = 0;
  std::size_t end_ = 0;
  std::int64_t read_abs_ = 0;  // absolute index of data_[read_]
  static constexpr std::size_t kSegments = 64;
  Segment segments_[kSegments];
  std::size_t seg_head_ = 0;
  std::size_t seg_count_ = 0;
};

inline void SyncBuffer::add_segment(std::int64_t start, const Tag& tag) noexcept {
  // A segment starting where the last one starts replaces it (it had no samples).
  if (seg_count_ > 0) {
    Segment& last = segments_[(seg_head_ + seg_count_ - 1) % kSegments];
    if (last.start == start) {
      last.tag = tag;
      return;
    }
  }
  if (seg_count_ == kSegments) {  // cannot happen with sane sizes; forget the oldest
    seg_head_ = (seg_head_ + 1) % kSegments;
    --seg_count_;
  }
  segments_[(seg_head_ + seg_count_) % kSegments] = {start, tag};
  ++seg_count_;
}

}  // namespace ivrmedia::jitter
