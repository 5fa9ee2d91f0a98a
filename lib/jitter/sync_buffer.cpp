// Decoded-audio queue with history and per-stretch tags (see sync_buffer.hpp).
#include "jitter/sync_buffer.hpp"

#include <algorithm>
#include <cstring>

namespace ivrmedia::jitter {
namespace {

// Which kind labels a frame that mixes several: the one a listener would notice most.
int severity(FrameKind kind) noexcept {
  switch (kind) {
    case FrameKind::concealed:
      return 5;
    case FrameKind::merged:
      return 4;
    case FrameKind::accelerated:
      return 3;
    case FrameKind::expanded:
      return 2;
    case FrameKind::cng:
      return 1;
    case FrameKind::normal:
      return 0;
  }
  return 0;
}

}  // namespace

SyncBuffer::SyncBuffer(std::size_t capacity, std::size_t history, int sample_rate_hz)
    : capacity_(capacity),
      keep_history_(history),
      sample_rate_hz_(sample_rate_hz),
      data_(std::make_unique<float[]>(capacity)) {
  clear();
}

void SyncBuffer::clear() noexcept {
  // Start with a history of silence so stretching right at the start has something behind it.
  std::fill(data_.get(), data_.get() + capacity_, 0.0f);
  begin_ = 0;
  read_ = std::min(keep_history_, capacity_);
  end_ = read_;
  read_abs_ = 0;
  seg_head_ = 0;
  seg_count_ = 0;
}

void SyncBuffer::compact(std::size_t need) noexcept {
  if (capacity_ - end_ >= need) return;
  const std::size_t keep_from = read_ > keep_history_ ? read_ - keep_history_ : 0;
  const std::size_t from = std::max(begin_, keep_from);
  std::memmove(data_.get(), data_.get() + from, (end_ - from) * sizeof(float));
  begin_ = 0;
  read_ -= from;
  end_ -= from;
}

bool SyncBuffer::append(std::span<const float> samples, const Tag& tag) noexcept {
  std::span<float> room = reserve(samples.size());
  if (room.size() < samples.size()) return false;
  if (!samples.empty()) std::memcpy(room.data(), samples.data(), samples.size() * sizeof(float));
  commit(samples.size(), tag);
  return true;
}

void SyncBuffer::replace_future(std::span<const float> samples, const Tag& tag) noexcept {
  // Drop the tags of the replaced samples (keeping the one the read position is inside, if it
  // began earlier), then tag the new samples as one stretch.
  while (seg_count_ > 0 && segments_[(seg_head_ + seg_count_ - 1) % kSegments].start >= read_abs_)
    --seg_count_;
  end_ = read_;
  (void)append(samples, tag);
}

SyncBuffer::Tag SyncBuffer::peek_tag() const noexcept {
  // The last segment starting at or before the read position.
  for (std::size_t i = seg_count_; i-- > 0;) {
    const Segment& s = segments_[(seg_head_ + i) % kSegments];
    if (s.start > read_abs_) continue;
    return tag_at(s, read_abs_);
  }
  return Tag{FrameKind::cng, false, 0, 8000};
}

SyncBuffer::Tag SyncBuffer::tag_at(const Segment& s, std::int64_t position) const noexcept {
  Tag tag = s.tag;
  if (tag.has_timestamp && s.start < position) {
    // RTP units per sample are clock / rate (integral steps: see Buffer's 2.5 ms rounding).
    tag.timestamp +=
        static_cast<std::uint32_t>((position - s.start) * tag.clock_hz / sample_rate_hz_);
  }
  return tag;
}

void SyncBuffer::take(std::span<float> out, FrameKind* kind, Tag* first) noexcept {
  const std::size_t n = std::min(out.size(), available());
  if (n > 0) std::memcpy(out.data(), data_.get() + read_, n * sizeof(float));
  const std::int64_t from = read_abs_;
  const std::int64_t to = read_abs_ + static_cast<std::int64_t>(n);
  if (seg_count_ > 0) {
    // The usual frame: all of it in the last segment (one packet's audio, or the stretch that
    // replaced it). It alone labels the frame, and it is the only one left afterwards.
    const std::size_t last_index = (seg_head_ + seg_count_ - 1) % kSegments;
    const Segment& last = segments_[last_index];
    if (last.start <= from && last.start < to) {
      if (first != nullptr) *first = tag_at(last, from);
      read_ += n;
      read_abs_ = to;
      seg_head_ = last_index;
      seg_count_ = 1;
      if (kind != nullptr) *kind = last.tag.kind;
      return;
    }
  }
  if (first != nullptr) *first = peek_tag();
  FrameKind worst = FrameKind::normal;
  for (std::size_t i = 0; i < seg_count_; ++i) {
    const Segment& s = segments_[(seg_head_ + i) % kSegments];
    const std::int64_t next_start =
        i + 1 < seg_count_ ? segments_[(seg_head_ + i + 1) % kSegments].start : to + 1;
    if (next_start <= from || s.start >= to) continue;  // no overlap with [from, to)
    if (severity(s.tag.kind) > severity(worst)) worst = s.tag.kind;
  }
  read_ += n;
  read_abs_ = to;
  // Forget segments that ended before the read position.
  while (seg_count_ > 1 && segments_[(seg_head_ + 1) % kSegments].start <= read_abs_) {
    seg_head_ = (seg_head_ + 1) % kSegments;
    --seg_count_;
  }
  if (kind != nullptr) *kind = worst;
}

}  // namespace ivrmedia::jitter
