// Packets made on the spot: a sound file encoded as PCMU in 20 ms RTP packets and sent through
// ivrmedia's seeded network simulator (lib/sim), so a replay can be repeated exactly under a
// named network (NetEq's tools do the same with their packet generators). Everything is made at
// open; next() hands out the arrivals in order.
#include <sndfile.h>

#include <cstdio>
#include <deque>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/rtp.hpp"
#include "packet_source.hpp"
#include "sim/network_simulator.hpp"

namespace rtpplay {
namespace {

namespace sim = ivrmedia::sim;

class GeneratorSource final : public PacketSource {
 public:
  GeneratorSource(std::vector<sim::Arrival> arrivals, sim::NetworkStats stats, std::string network)
      : arrivals_(arrivals.begin(), arrivals.end()), stats_(stats), network_(std::move(network)) {}

  Next next(std::int64_t until_us, Packet* out) override {
    if (arrivals_.empty()) return Next::end;
    if (arrivals_.front().arrival_time_us > until_us) return Next::idle;
    out->bytes = std::move(arrivals_.front().bytes);
    out->arrival_us = arrivals_.front().arrival_time_us;
    out->flow = "generator";
    arrivals_.pop_front();
    return Next::packet;
  }

  [[nodiscard]] std::string json_counts() const override {
    char buf[300];
    std::snprintf(buf, sizeof buf,
                  "\"network\": \"%s\", \"sent\": %llu, \"lost\": %llu, \"duplicated\": %llu, "
                  "\"reordered\": %llu, \"spikes\": %llu",
                  network_.c_str(), static_cast<unsigned long long>(stats_.sent),
                  static_cast<unsigned long long>(stats_.lost),
                  static_cast<unsigned long long>(stats_.duplicated),
                  static_cast<unsigned long long>(stats_.reordered),
                  static_cast<unsigned long long>(stats_.spikes));
    return buf;
  }

 private:
  std::deque<sim::Arrival> arrivals_;
  sim::NetworkStats stats_;
  std::string network_;
};

}  // namespace

std::unique_ptr<PacketSource> open_generator(const GeneratorOptions& o, std::string* error) {
  const auto which = sim::preset_from_name(o.network);
  if (!which) {
    *error = "--network " + o.network + ": not a preset (ideal, wired, wifi, mobile_lte, " +
             "mobile_3g_handover, congested, bursty_loss)";
    return nullptr;
  }
  SF_INFO info{};
  SNDFILE* f = sf_open(o.wav.c_str(), SFM_READ, &info);
  if (f == nullptr) {
    *error = o.wav + ": " + sf_strerror(nullptr);
    return nullptr;
  }
  if (info.samplerate != 8000) {
    sf_close(f);
    *error = o.wav + ": the generator sends PCMU and needs 8000 Hz audio, not " +
             std::to_string(info.samplerate) + " Hz";
    return nullptr;
  }
  std::vector<float> frames(static_cast<std::size_t>(info.frames) *
                            static_cast<std::size_t>(info.channels));
  const sf_count_t got = sf_readf_float(f, frames.data(), info.frames);
  sf_close(f);

  ivrmedia::codec::EncoderConfig ec;
  ec.format = {"PCMU", 8000, 1};
  auto encoder = ivrmedia::codec::make_encoder(ec);
  ivrmedia::rtp::Builder builder(ivrmedia::rtp::Builder::random_config(0, 8000, o.seed));
  std::vector<sim::SentPacket> sent;
  std::vector<float> pcm(160);
  std::vector<std::uint8_t> payload(encoder->info().max_payload_bytes);
  std::uint8_t packet[512];
  for (sf_count_t at = 0; at < got; at += 160) {
    for (std::size_t i = 0; i < pcm.size(); ++i) {  // first channel; the last frame padded
      const sf_count_t k = at + static_cast<sf_count_t>(i);
      pcm[i] = k < got ? frames[static_cast<std::size_t>(k * info.channels)] : 0.0f;
    }
    std::size_t written = 0, size = 0;
    (void)encoder->encode(std::span<const float>(pcm), payload, &written);
    (void)builder.build(std::span<const std::uint8_t>(payload.data(), written), 160, at == 0,
                        packet, &size);
    sent.push_back({std::vector<std::uint8_t>(packet, packet + size), o.start_us + at * 125});
  }
  try {
    sim::NetworkSimulator net(sim::preset(*which, o.seed));
    std::vector<sim::Arrival> arrivals = net.simulate(sent);
    return std::make_unique<GeneratorSource>(std::move(arrivals), net.stats(), o.network);
  } catch (const std::exception& e) {
    *error = std::string("network simulator: ") + e.what();
    return nullptr;
  }
}

}  // namespace rtpplay
