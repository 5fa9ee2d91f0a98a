// SpeexDSP's jitter buffer behind the replay interface, used the way speex_jitter.h and the
// speexclient wrapper intend: timestamps and spans in samples (8 kHz, a packet spans 160),
// jitter_buffer_init(160) so delay steps and concealment units are one frame, put() as packets
// arrive, then once per tick get(desired_span = 160) followed by tick().
//
// The one thing an application must add is honouring the span it gets back: an INSERTION
// (speex growing its delay) may span several frames, and playing only one of them would leave
// speex believing it buffered more than it did. So this receiver keeps the returned frames in a
// small queue, plays one per tick, calls get() only when the queue is empty, and on the ticks
// in between tells speex what the application still holds with jitter_buffer_remaining_span()
// (the header's call for exactly that) instead of tick(). Every span here is a multiple of 160.
//
// Knobs (jitter_buffer_ctl): defaults are speex's own (margin 0, max late rate 4 %, late cost
// automatic); the sweep varies JITTER_BUFFER_SET_LATE_COST (timestamp units one percent of late
// packets is worth) or JITTER_BUFFER_SET_MARGIN (extra buffering, timestamp units).
#include <speex/speex_jitter.h>

#include <deque>
#include <stdexcept>

#include "ivrmedia/rtp.hpp"
#include "replay.hpp"

namespace ivrm_compare {
namespace {

class SpeexReceiver final : public Receiver {
 public:
  explicit SpeexReceiver(const Setting& setting)
      : jb_(jitter_buffer_init(kFrameSamples)), played_() {
    if (jb_ == nullptr) throw std::runtime_error("jitter_buffer_init failed");
    if (setting.knob == "late_cost") {
      spx_int32_t v = static_cast<spx_int32_t>(setting.value);
      jitter_buffer_ctl(jb_, JITTER_BUFFER_SET_LATE_COST, &v);
    }
    if (setting.knob == "margin") {
      spx_int32_t v = static_cast<spx_int32_t>(setting.value);
      jitter_buffer_ctl(jb_, JITTER_BUFFER_SET_MARGIN, &v);
    }
  }
  ~SpeexReceiver() override { jitter_buffer_destroy(jb_); }
  SpeexReceiver(const SpeexReceiver&) = delete;
  SpeexReceiver& operator=(const SpeexReceiver&) = delete;

  void push(const ivrmedia::sim::Arrival& a, const Trace& trace) override {
    ivrmedia::rtp::PacketView v;
    if (ivrmedia::rtp::parse(a.bytes, &v, nullptr) != ivrmedia::Status::ok) return;
    if (played_.empty()) {
      played_.assign(trace.packets_sent, 0);
      first_timestamp_ = trace.first_timestamp;
    }
    if (!a.duplicate) ++arrived_;
    JitterBufferPacket p{};
    p.data = reinterpret_cast<char*>(const_cast<std::uint8_t*>(v.payload.data()));
    p.len = static_cast<spx_uint32_t>(v.payload.size());
    p.timestamp = v.timestamp - trace.first_timestamp;  // samples since the stream's start
    p.span = kFrameSamples;
    p.sequence = v.sequence;
    p.user_data = static_cast<spx_uint32_t>(a.index);
    jitter_buffer_put(jb_, &p);  // copies the payload
  }

  Frame pull(std::int64_t) override {
    bool got = false;
    if (queue_.empty()) {
      got = true;
      JitterBufferPacket p{};
      p.data = data_;
      p.len = sizeof(data_);
      spx_int32_t offset = 0;
      const int r = jitter_buffer_get(jb_, &p, kFrameSamples, &offset);
      const auto frames = static_cast<int>((p.span + kFrameSamples - 1) / kFrameSamples);
      if (r == JITTER_BUFFER_OK) {
        played_[p.user_data] = 1;
        queue_.push_back({FrameKind::audio, true, p.timestamp + first_timestamp_});
      } else if (r == JITTER_BUFFER_INSERTION) {
        for (int i = 0; i < frames; ++i)
          queue_.push_back({FrameKind::inserted, false, 0, kFrameSamples});
        slower_ += frames;
      } else if (r == JITTER_BUFFER_MISSING && p.span > 0) {
        for (int i = 0; i < frames; ++i)
          queue_.push_back({FrameKind::concealed, false, 0, kFrameSamples});
      } else {
        queue_.push_back({FrameKind::silence, false, 0, kFrameSamples});  // no packet yet
      }
    }
    const Frame f = queue_.front();
    queue_.pop_front();
    const auto before = static_cast<spx_int32_t>(jitter_buffer_get_pointer_timestamp(jb_));
    if (got)
      jitter_buffer_tick(jb_);
    else
      jitter_buffer_remaining_span(jb_, static_cast<spx_uint32_t>(queue_.size() * kFrameSamples));
    const auto after = static_cast<spx_int32_t>(jitter_buffer_get_pointer_timestamp(jb_));
    if (after - before > 0) faster_ += (after - before) / kFrameSamples;  // audio skipped
    return f;
  }

  [[nodiscard]] ReceiverCounters counters() const override {
    std::int64_t played = 0;
    for (const char p : played_)
      played += p;
    return {arrived_ - played, faster_, slower_};
  }

 private:
  JitterBuffer* jb_;
  std::vector<char> played_;           // per packet index: returned by get()
  std::uint32_t first_timestamp_ = 0;  // speex holds timestamps relative to the stream's start
  std::deque<Frame> queue_;
  char data_[1500];
  std::int64_t arrived_ = 0, faster_ = 0, slower_ = 0;
};

}  // namespace

std::unique_ptr<Receiver> make_speex_receiver(const Setting& setting) {
  return std::make_unique<SpeexReceiver>(setting);
}

}  // namespace ivrm_compare
