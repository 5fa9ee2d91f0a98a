// Jitter-buffer time-scale modification cost (jitter::TimeStretcher, WSOLA after NetEq's
// accelerate / preemptive expand): one call per 30 ms block of decoded audio, the block the
// jitter buffer hands over, at 8 and 16 kHz. The blocks walk through a long speech-like signal
// (voiced, unvoiced and pauses, never repeating), so every call runs the pitch search on fresh
// data and the decision takes its real mix of branches; the `applied` counter is the share of
// blocks stretched. Time per iteration is time per block. The `copy` row of each group copies
// the block unchanged: what dropping or repeating a whole frame would cost, the alternative the
// stretcher replaces; it is the baseline the report divides by (reported, no goal).
//
// jitter_push_pull/<payload>: the whole receive path per packet, one push (the datagram as it
// arrived) and one 20 ms pull per iteration, so time per iteration is time per packet (goal:
// under 200 ns with PCMU). The stream is 60 s of speech-like audio whose RTP headers are
// rewritten every lap (sequence numbers and timestamps run on, so the buffer never sees a
// repeat), arriving 0-12 ms late (hashed per packet) ahead of ticks 15 ms after each send.
// Rows: `ivrmedia` (jitter::Buffer::push + pull with the tick time: parse, store, decide,
// decode); `speexdsp`, the baseline, is SpeexDSP's jitter_buffer_put + get + tick on the same
// payloads (it copies them in and out, as its default mode does) followed by the same codec
// decoder ivrmedia uses, so both produce the frame of PCM; `decode_only` is that decoder alone.
// `l16` payloads make decoding nearly free, leaving the buffers' own cost.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/jitter.hpp"
#include "ivrmedia/rtp.hpp"
#include "jitter/time_stretch.hpp"
#include "sim/speech_like.hpp"

#ifdef IVRM_HAVE_SPEEXDSP
#include <speex/speex_jitter.h>
#endif

namespace {

using ivrmedia::jitter::TimeStretcher;

constexpr std::size_t kSeconds = 32;

const std::vector<float>& speech(int rate) {
  static const std::vector<float> x8 =
      ivrmedia::sim::speech_like(kSeconds * 8000, {8000, -20.0, 2207});
  static const std::vector<float> x16 =
      ivrmedia::sim::speech_like(kSeconds * 16000, {16000, -20.0, 2207});
  return rate == 8000 ? x8 : x16;
}

enum class Op { copy, accelerate, expand };

void run(benchmark::State& state, int rate, Op op) {
  TimeStretcher t(rate);
  const auto& x = speech(rate);
  const std::size_t block = t.min_input_samples();
  std::vector<float> out(block + t.max_period_samples());
  std::size_t pos = 0;
  std::int64_t blocks = 0, applied = 0;
  for (auto _ : state) {
    const std::span<const float> in(x.data() + pos, block);
    if (op == Op::copy) {
      std::copy(in.begin(), in.end(), out.begin());
    } else {
      const auto r = op == Op::accelerate ? t.accelerate(in, out) : t.preemptive_expand(in, 0, out);
      applied += r.applied ? 1 : 0;
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
    ++blocks;
    pos += block;
    if (pos + block > x.size()) pos = 0;
  }
  state.SetItemsProcessed(blocks * static_cast<std::int64_t>(block));
  state.counters["applied"] =
      blocks > 0 ? static_cast<double>(applied) / static_cast<double>(blocks) : 0.0;
}

// --- Receive path per packet -------------------------------------------------------------

namespace codec = ivrmedia::codec;
namespace jitter = ivrmedia::jitter;

constexpr std::size_t kStreamPackets = 3000;  // 60 s of 20 ms packets
constexpr int kPayloadType = 96;

struct Stream {
  std::vector<std::vector<std::uint8_t>> datagrams;  // headers rewritten per lap
  std::vector<std::int32_t> lateness_us;             // 0-12 ms per packet, hashed
  codec::Format format;
};

const Stream& stream(bool l16) {
  static const auto make = [](codec::Format format) {
    Stream s;
    s.format = format;
    const auto pcm = ivrmedia::sim::speech_like(kStreamPackets * 160, {8000, -20.0, 3301});
    codec::EncoderConfig ec;
    ec.format = format;
    ec.sample_rate_hz = 8000;
    ec.channels = 1;
    ec.ptime_ms = 20;
    auto enc = codec::make_encoder(ec);
    ivrmedia::rtp::Builder builder({.payload_type = kPayloadType, .clock_rate_hz = 8000});
    std::vector<std::uint8_t> payload(enc->info().max_payload_bytes);
    std::uint64_t h = 0x9E3779B97F4A7C15ull;
    for (std::size_t k = 0; k < kStreamPackets; ++k) {
      std::size_t n = 0, written = 0;
      (void)enc->encode(std::span(pcm.data() + k * 160, 160), payload, &n);
      std::vector<std::uint8_t> d(builder.packet_size(n));
      (void)builder.build(std::span(payload.data(), n), 160, k == 0, d, &written);
      s.datagrams.push_back(std::move(d));
      h ^= h >> 33;
      h *= 0xFF51AFD7ED558CCDull;
      h ^= h >> 29;
      s.lateness_us.push_back(static_cast<std::int32_t>(h % 12'000));
    }
    return s;
  };
  static const Stream pcmu = make({"PCMU", 8000, 1});
  static const Stream lin = make({"L16", 8000, 1});
  return l16 ? lin : pcmu;
}

// Packet k of the endless stream: the lap's datagram with sequence number and timestamp of k.
std::span<const std::uint8_t> packet(std::vector<std::uint8_t>& d, std::uint64_t k) {
  const auto seq = static_cast<std::uint16_t>(k);
  const auto ts = static_cast<std::uint32_t>(k * 160);
  d[2] = static_cast<std::uint8_t>(seq >> 8);
  d[3] = static_cast<std::uint8_t>(seq);
  d[4] = static_cast<std::uint8_t>(ts >> 24);
  d[5] = static_cast<std::uint8_t>(ts >> 16);
  d[6] = static_cast<std::uint8_t>(ts >> 8);
  d[7] = static_cast<std::uint8_t>(ts);
  return d;
}

enum class Receiver { ivrmedia, speexdsp, decode_only };

void push_pull(benchmark::State& state, bool l16, Receiver who) {
  const Stream& src = stream(l16);
  auto datagrams = src.datagrams;  // this row's copy, rewritten as it goes
  jitter::Config config;
  config.payloads = {{kPayloadType, src.format}};
  jitter::Buffer buffer(config);
  auto decoder = codec::make_decoder({src.format, 8000, 1});
  std::vector<float> out(160);
#ifdef IVRM_HAVE_SPEEXDSP
  JitterBuffer* jb = who == Receiver::speexdsp ? jitter_buffer_init(160) : nullptr;
  char got[1500];
#endif
  std::uint64_t k = 0;
  std::int64_t concealed = 0;
  for (auto _ : state) {
    const std::size_t i = k % kStreamPackets;
    const auto d = packet(datagrams[i], k);
    const std::int64_t send_us = static_cast<std::int64_t>(k) * 20'000;
    if (who == Receiver::ivrmedia) {
      (void)buffer.push(d, send_us + src.lateness_us[i]);
      jitter::FrameInfo info;
      (void)buffer.pull(std::span<float>(out), send_us + 15'000, &info);
      concealed += info.kind == jitter::FrameKind::concealed;
    } else if (who == Receiver::decode_only) {
      std::size_t n = 0;
      (void)decoder->decode(d.subspan(12), out, &n);
    } else {
#ifdef IVRM_HAVE_SPEEXDSP
      JitterBufferPacket p{};
      p.data = reinterpret_cast<char*>(const_cast<std::uint8_t*>(d.data() + 12));
      p.len = static_cast<spx_uint32_t>(d.size() - 12);
      p.timestamp = static_cast<spx_uint32_t>(k * 160);
      p.span = 160;
      p.sequence = static_cast<spx_uint16_t>(k);
      jitter_buffer_put(jb, &p);
      JitterBufferPacket q{};
      q.data = got;
      q.len = sizeof(got);
      spx_int32_t offset = 0;
      std::size_t n = 0;
      if (jitter_buffer_get(jb, &q, 160, &offset) == JITTER_BUFFER_OK) {
        (void)decoder->decode(std::span(reinterpret_cast<const std::uint8_t*>(q.data), q.len), out,
                              &n);
      } else {
        (void)decoder->conceal(out);
        ++concealed;
      }
      jitter_buffer_tick(jb);
#endif
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
    ++k;
  }
#ifdef IVRM_HAVE_SPEEXDSP
  if (jb != nullptr) jitter_buffer_destroy(jb);
#endif
  state.SetItemsProcessed(static_cast<std::int64_t>(k));
  state.counters["concealed"] =
      k > 0 ? static_cast<double>(concealed) / static_cast<double>(k) : 0.0;
}

void register_rows() {
  for (const bool l16 : {false, true}) {
    const std::string group = std::string("jitter_push_pull/") + (l16 ? "l16" : "pcmu");
    benchmark::RegisterBenchmark((group + "/ivrmedia").c_str(), [l16](benchmark::State& s) {
      push_pull(s, l16, Receiver::ivrmedia);
    });
    benchmark::RegisterBenchmark((group + "/decode_only").c_str(), [l16](benchmark::State& s) {
      push_pull(s, l16, Receiver::decode_only);
    });
#ifdef IVRM_HAVE_SPEEXDSP
    benchmark::RegisterBenchmark((group + "/speexdsp").c_str(), [l16](benchmark::State& s) {
      push_pull(s, l16, Receiver::speexdsp);
    });
#endif
  }
  for (const int rate : {8000, 16000}) {
    const std::string k = std::to_string(rate / 1000) + "k";
    for (const auto& [name, op] :
         {std::pair{"accelerate", Op::accelerate}, std::pair{"preemptive_expand", Op::expand}}) {
      const std::string group = std::string("time_stretch_") + name + "/" + k;
      benchmark::RegisterBenchmark((group + "/copy").c_str(),
                                   [rate](benchmark::State& s) { run(s, rate, Op::copy); });
      benchmark::RegisterBenchmark((group + "/ivrmedia").c_str(),
                                   [rate, op](benchmark::State& s) { run(s, rate, op); });
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  register_rows();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
