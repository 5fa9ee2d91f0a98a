// codec::Transcoder: decoder -> channel map -> resampler -> FIFO -> encoder, all sized at
// creation. The FIFO is a linear buffer compacted when its tail runs out (what is left after a
// pull is less than one output frame, so the move is short).
#include "ivrmedia/transcoder.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "codec/codec_support.hpp"

namespace ivrmedia::codec {
namespace {

bool opus_decodes_at(int hz) noexcept {
  return hz == 8000 || hz == 12000 || hz == 16000 || hz == 24000 || hz == 48000;
}

bool is_opus(const Format& f) noexcept {
  return detail::iequals(f.name, "opus");
}

}  // namespace

Transcoder::Transcoder(const Config& config) {
  DecoderConfig in = config.input;
  EncoderConfig out = config.output;
  // Opus on either side adapts its PCM rate and channels to the other side when left at 0, so
  // no resampling happens where libopus can do it for free.
  const bool adapt_decoder = is_opus(in.format) && !is_opus(out.format);
  if (adapt_decoder) {
    encoder_ = make_encoder(out);
    const Info& e = encoder_->info();
    if (in.sample_rate_hz == 0 && opus_decodes_at(e.sample_rate_hz))
      in.sample_rate_hz = e.sample_rate_hz;
    if (in.channels == 0) in.channels = e.channels;
    decoder_ = make_decoder(in);
  } else {
    decoder_ = make_decoder(in);
    const Info& d = decoder_->info();
    if (is_opus(out.format)) {
      if (out.sample_rate_hz == 0 && opus_decodes_at(d.sample_rate_hz))
        out.sample_rate_hz = d.sample_rate_hz;
      if (out.channels == 0) out.channels = d.channels;
    }
    encoder_ = make_encoder(out);
  }
  const Info& d = decoder_->info();
  const Info& e = encoder_->info();
  in_channels_ = d.channels;
  out_channels_ = e.channels;
  const std::size_t max_in = d.max_samples;
  std::size_t max_out = max_in;
  if (d.sample_rate_hz != e.sample_rate_hz) {
    resampler_ = std::make_unique<resample::Resampler>(
        resample::Resampler::Config{.input_rate_hz = d.sample_rate_hz,
                                    .output_rate_hz = e.sample_rate_hz,
                                    .channels = out_channels_,
                                    .quality = config.quality});
    max_out = resampler_->max_output_frames(max_in);
  }
  decoded_.assign(max_in * static_cast<std::size_t>(in_channels_), 0.0f);
  if (in_channels_ != out_channels_) mapped_.assign(max_in * out_channels_, 0.0f);
  // Room for one decoded payload on top of almost two frames not yet pulled.
  fifo_.assign((max_out + 2 * static_cast<std::size_t>(e.frame_samples)) * out_channels_, 0.0f);
}

Transcoder::Transcoder(Transcoder&&) noexcept = default;
Transcoder& Transcoder::operator=(Transcoder&&) noexcept = default;
Transcoder::~Transcoder() = default;

const Info& Transcoder::input_info() const noexcept {
  return decoder_->info();
}
const Info& Transcoder::output_info() const noexcept {
  return encoder_->info();
}
double Transcoder::latency_samples() const noexcept {
  return resampler_ ? resampler_->latency_output_frames() : 0.0;
}

std::size_t Transcoder::frames_ready() const noexcept {
  const std::size_t frame =
      static_cast<std::size_t>(encoder_->info().frame_samples) * out_channels_;
  return (fifo_end_ - fifo_start_) / frame;
}

void Transcoder::reset() noexcept {
  decoder_->reset();
  encoder_->reset();
  if (resampler_) resampler_->reset();
  fifo_start_ = fifo_end_ = 0;
  stats_ = {};
}

Status Transcoder::take(std::size_t samples, const float* pcm) noexcept {
  const auto oc = static_cast<std::size_t>(out_channels_);
  const float* in = pcm;
  if (in_channels_ != out_channels_) {
    if (out_channels_ == 1) {  // stereo -> mono: average, as a listener on one speaker hears
      for (std::size_t i = 0; i < samples; ++i)
        mapped_[i] = 0.5f * (pcm[2 * i] + pcm[2 * i + 1]);
    } else {  // mono -> stereo: the same signal on both sides
      for (std::size_t i = 0; i < samples; ++i)
        mapped_[2 * i] = mapped_[2 * i + 1] = pcm[i];
    }
    in = mapped_.data();
  }
  if (fifo_start_ != 0) {  // compact: what is left is less than a frame or two
    std::memmove(fifo_.data(), fifo_.data() + fifo_start_,
                 (fifo_end_ - fifo_start_) * sizeof(float));
    fifo_end_ -= fifo_start_;
    fifo_start_ = 0;
  }
  const std::span<float> room(fifo_.data() + fifo_end_, fifo_.size() - fifo_end_);
  std::size_t produced = samples;
  if (resampler_) {
    resample::Result r{};
    const Status s = resampler_->process(std::span(in, samples * oc), room, &r);
    if (s != Status::ok) return s;
    produced = r.out_frames_written;
  } else {
    std::memcpy(room.data(), in, samples * oc * sizeof(float));
  }
  fifo_end_ += produced * oc;
  stats_.decoded_samples += static_cast<std::int64_t>(samples);
  stats_.resampled_samples += static_cast<std::int64_t>(produced);
  return Status::ok;
}

// Room check shared by every input path: the worst-case output of `samples` must fit.
bool Transcoder::has_room(std::size_t samples) const noexcept {
  const std::size_t frames = resampler_ ? resampler_->max_output_frames(samples) : samples;
  return (fifo_end_ - fifo_start_) + frames * out_channels_ <= fifo_.size();
}

Status Transcoder::push(std::span<const std::uint8_t> payload) noexcept {
  std::size_t n = 0;
  if (const Status s = decoder_->samples_in(payload, &n); s != Status::ok) {
    if (s == Status::malformed) ++stats_.malformed;
    return s;
  }
  if (!has_room(n)) return Status::full;
  std::size_t got = 0;
  if (const Status s = decoder_->decode(payload, std::span(decoded_), &got); s != Status::ok) {
    if (s == Status::malformed) ++stats_.malformed;
    return s;
  }
  ++stats_.packets_in;
  return take(got, decoded_.data());
}

Status Transcoder::conceal_units(std::span<const std::uint8_t> next,
                                 std::int64_t rtp_units) noexcept {
  const Info& d = decoder_->info();
  if (rtp_units < 0) return Status::invalid_argument;
  if (rtp_units == 0) return Status::ok;
  const std::int64_t scaled = rtp_units * d.sample_rate_hz;
  if (scaled % d.rtp_clock_hz != 0) return Status::invalid_argument;  // not whole samples
  const auto n = static_cast<std::size_t>(scaled / d.rtp_clock_hz);
  if (n > d.max_samples) return Status::out_of_range;  // split longer gaps, pulling between
  if (!has_room(n)) return Status::full;
  const std::span pcm(decoded_.data(), n * static_cast<std::size_t>(in_channels_));
  const Status s = next.empty() ? decoder_->conceal(pcm) : decoder_->decode_fec(next, pcm);
  if (s != Status::ok) return s;
  stats_.concealed_samples += static_cast<std::int64_t>(n);
  return take(n, decoded_.data());
}

Status Transcoder::push_loss(std::int64_t rtp_units) noexcept {
  return conceal_units({}, rtp_units);
}

Status Transcoder::push_fec(std::span<const std::uint8_t> next_payload,
                            std::int64_t rtp_units) noexcept {
  if (next_payload.empty()) return Status::invalid_argument;
  return conceal_units(next_payload, rtp_units);
}

Status Transcoder::pull(std::span<std::uint8_t> payload, std::size_t* written) noexcept {
  if (written == nullptr) return Status::null_pointer;
  const Info& e = encoder_->info();
  if (payload.size() < e.max_payload_bytes) return Status::buffer_too_small;
  const std::size_t frame = static_cast<std::size_t>(e.frame_samples) * out_channels_;
  if (fifo_end_ - fifo_start_ < frame) {
    *written = 0;
    return Status::ok;
  }
  const Status s =
      encoder_->encode(std::span<const float>(fifo_.data() + fifo_start_, frame), payload, written);
  if (s != Status::ok) return s;
  fifo_start_ += frame;
  stats_.output_samples += e.frame_samples;
  ++stats_.packets_out;
  return Status::ok;
}

}  // namespace ivrmedia::codec
