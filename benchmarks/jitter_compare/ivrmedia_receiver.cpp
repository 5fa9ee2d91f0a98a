// ivrmedia's jitter::Buffer behind the replay interface: datagrams pushed with their arrival
// time, one 20 ms frame pulled per tick with the tick's time (the host knows it).
#include <stdexcept>

#include "ivrmedia/jitter.hpp"
#include "replay.hpp"

namespace ivrm_compare {
namespace {

namespace jitter = ivrmedia::jitter;

class IvrmediaReceiver final : public Receiver {
 public:
  explicit IvrmediaReceiver(const jitter::Config& config)
      : buffer_(config), out_(buffer_.frame_samples()) {}

  void push(const ivrmedia::sim::Arrival& a, const Trace&) override {
    (void)buffer_.push(a.bytes, a.arrival_time_us);
  }

  Frame pull(std::int64_t now_us) override {
    jitter::FrameInfo info;
    if (buffer_.pull(out_, now_us, &info) != ivrmedia::Status::ok)
      throw std::runtime_error("jitter::Buffer::pull failed");
    Frame f;
    f.has_timestamp = info.has_timestamp;
    f.rtp_timestamp = info.rtp_timestamp;
    // Audio made up for this pull: concealment, and the silence ivrmedia plays once a hole
    // has been concealed for 100 ms (a frame can be part made up, part audio: its kind names
    // the most noticeable operation).
    const jitter::Statistics s = buffer_.statistics();
    const std::int64_t made_up = s.samples_concealed + s.samples_cng;
    f.concealed_samples = static_cast<int>(made_up - made_up_before_);
    made_up_before_ = made_up;
    switch (info.kind) {
      case jitter::FrameKind::concealed:
        f.kind = FrameKind::concealed;
        break;
      case jitter::FrameKind::cng:
        f.kind = FrameKind::silence;
        break;
      default:  // normal, accelerated, expanded, merged: the stream's audio
        f.kind = FrameKind::audio;
        break;
    }
    return f;
  }

  [[nodiscard]] ReceiverCounters counters() const override {
    const jitter::Statistics s = buffer_.statistics();
    ReceiverCounters c;
    c.late_packets = s.late + s.overflow;
    c.faster_frames = s.frames_by_kind[static_cast<int>(jitter::FrameKind::accelerated)];
    c.slower_frames = s.frames_by_kind[static_cast<int>(jitter::FrameKind::expanded)];
    return c;
  }

 private:
  jitter::Buffer buffer_;
  std::vector<float> out_;
  std::int64_t made_up_before_ = 0;
};

}  // namespace

std::unique_ptr<Receiver> make_ivrmedia_receiver(const Setting& setting) {
  jitter::Config config;  // PCMU on payload type 0, 8 kHz, 20 ms frames, adaptive delay
  if (setting.knob == "delay_quantile") config.delay_quantile = setting.value;
  if (setting.knob == "min_delay_ms") config.min_delay_ms = static_cast<int>(setting.value);
  return std::make_unique<IvrmediaReceiver>(config);
}

}  // namespace ivrm_compare
