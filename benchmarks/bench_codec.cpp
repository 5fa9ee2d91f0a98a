// The codec interface (codec::Encoder / codec::Decoder) against the coders underneath, called
// directly, on the same non-repeating speech-like audio in 20 ms frames. Groups:
//   codec_encode/<fmt>, codec_decode/<fmt>: baseline `direct` (g711::Coder, g722::Encoder/
//     Decoder, a plain byte-swap loop for L16); the interface adds a virtual call, argument
//     checks and, in decoders, the concealer's history.
//   transcode/<A>_to_<B>: codec::Transcoder against `chained`, the same decoder, resampler
//     and encoder called one after the other by hand (possible here because every pair keeps
//     20 ms in -> 20 ms out); the transcoder adds its FIFO and bookkeeping.
//   opus_encode/<cfg>, opus_decode/<cfg>: baseline `libopus` (bare opus_encode/opus_decode with
//     the same settings); goal: the interface costs under 3 % (ratio >= 0.97). The
//     `ivrmedia_paired` rows alternate both per frame and report `paired_ratio` (see below).
// items_per_second counts PCM samples; the `realtime` counter is seconds of audio coded per
// second of CPU: the number of one-way streams of that codec one core carries.
#include <benchmark/benchmark.h>
#include <opus/opus.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/g711.hpp"
#include "ivrmedia/g722.hpp"
#include "ivrmedia/resampler.hpp"
#include "ivrmedia/transcoder.hpp"
#include "sim/speech_like.hpp"

namespace {

namespace codec = ivrmedia::codec;

constexpr int kPtimeMs = 20;
constexpr double kSeconds = 12.0;  // of audio per pass: long enough not to repeat in caches

const std::vector<float>& speech(int rate) {
  static std::vector<float> x8, x16, x48;
  std::vector<float>& x = rate == 8000 ? x8 : rate == 16000 ? x16 : x48;
  if (x.empty())
    x = ivrmedia::sim::speech_like(static_cast<std::size_t>(kSeconds * rate),
                                   {rate, -18.0, static_cast<std::uint64_t>(rate)});
  return x;
}

std::vector<std::int16_t> to_s16(const std::vector<float>& f) {
  std::vector<std::int16_t> s(f.size());
  for (std::size_t i = 0; i < f.size(); ++i)
    s[i] = static_cast<std::int16_t>(std::clamp(f[i] * 32768.0f, -32768.0f, 32767.0f));
  return s;
}

void finish(benchmark::State& state, std::size_t samples_per_pass, int rate) {
  const auto items =
      static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(samples_per_pass);
  state.SetItemsProcessed(items);
  state.counters["realtime"] =
      benchmark::Counter(static_cast<double>(items) / rate, benchmark::Counter::kIsRate);
}

codec::EncoderConfig encoder_config(const std::string& name, int clock, int rate, int bitrate) {
  codec::EncoderConfig c;
  c.format = {name, clock, 1};
  c.ptime_ms = kPtimeMs;
  if (name == "opus") {
    c.sample_rate_hz = rate;
    c.opus.bitrate_bps = bitrate;
  }
  return c;
}

// ---- interface rows -------------------------------------------------------------------------

void encode_interface(benchmark::State& state, std::string name, int clock, int rate, int bitrate) {
  auto e = codec::make_encoder(encoder_config(name, clock, rate, bitrate));
  const auto x = to_s16(speech(rate));
  const auto n = static_cast<std::size_t>(e->info().frame_samples);
  std::vector<std::uint8_t> out(e->info().max_payload_bytes);
  for (auto _ : state) {
    for (std::size_t i = 0; i + n <= x.size(); i += n) {
      std::size_t written = 0;
      benchmark::DoNotOptimize(e->encode(std::span(x.data() + i, n), out, &written));
      benchmark::ClobberMemory();
    }
  }
  finish(state, x.size() / n * n, rate);
}

std::vector<std::vector<std::uint8_t>> payloads(const std::string& name, int clock, int rate,
                                                int bitrate) {
  auto e = codec::make_encoder(encoder_config(name, clock, rate, bitrate));
  const auto x = to_s16(speech(rate));
  const auto n = static_cast<std::size_t>(e->info().frame_samples);
  std::vector<std::vector<std::uint8_t>> p;
  std::vector<std::uint8_t> out(e->info().max_payload_bytes);
  for (std::size_t i = 0; i + n <= x.size(); i += n) {
    std::size_t written = 0;
    (void)e->encode(std::span(x.data() + i, n), out, &written);
    p.emplace_back(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(written));
  }
  return p;
}

void decode_interface(benchmark::State& state, std::string name, int clock, int rate, int bitrate) {
  const auto p = payloads(name, clock, rate, bitrate);
  codec::DecoderConfig c;
  c.format = {name, clock, 1};
  if (name == "opus") c.sample_rate_hz = rate;
  auto d = codec::make_decoder(c);
  std::vector<std::int16_t> out(d->info().max_samples);
  std::size_t total = 0;
  for (auto _ : state) {
    total = 0;
    for (const auto& packet : p) {
      std::size_t samples = 0;
      benchmark::DoNotOptimize(d->decode(packet, std::span(out), &samples));
      benchmark::ClobberMemory();
      total += samples;
    }
  }
  finish(state, total, rate);
}

// ---- direct rows ----------------------------------------------------------------------------

void encode_g711_direct(benchmark::State& state, ivrmedia::g711::Law law) {
  const ivrmedia::g711::Coder coder({.law = law});
  const auto x = to_s16(speech(8000));
  constexpr std::size_t n = 160;
  std::vector<std::uint8_t> out(n);
  for (auto _ : state) {
    for (std::size_t i = 0; i + n <= x.size(); i += n) {
      benchmark::DoNotOptimize(coder.encode(std::span(x.data() + i, n), out));
      benchmark::ClobberMemory();
    }
  }
  finish(state, x.size() / n * n, 8000);
}

void decode_g711_direct(benchmark::State& state, ivrmedia::g711::Law law) {
  const auto p = payloads(law == ivrmedia::g711::Law::mulaw ? "PCMU" : "PCMA", 8000, 8000, 0);
  const ivrmedia::g711::Coder coder({.law = law});
  std::vector<std::int16_t> out(160);
  for (auto _ : state) {
    for (const auto& packet : p) {
      benchmark::DoNotOptimize(coder.decode(packet, std::span(out)));
      benchmark::ClobberMemory();
    }
  }
  finish(state, p.size() * 160, 8000);
}

void encode_g722_direct(benchmark::State& state) {
  ivrmedia::g722::Encoder e;
  const auto x = to_s16(speech(16000));
  constexpr std::size_t n = 320;
  std::vector<std::uint8_t> out(n / 2);
  for (auto _ : state) {
    for (std::size_t i = 0; i + n <= x.size(); i += n) {
      benchmark::DoNotOptimize(e.encode(std::span(x.data() + i, n), out));
      benchmark::ClobberMemory();
    }
  }
  finish(state, x.size() / n * n, 16000);
}

void decode_g722_direct(benchmark::State& state) {
  const auto p = payloads("G722", 8000, 16000, 0);
  ivrmedia::g722::Decoder d;
  std::vector<std::int16_t> out(320);
  for (auto _ : state) {
    for (const auto& packet : p) {
      benchmark::DoNotOptimize(d.decode(packet, std::span(out)));
      benchmark::ClobberMemory();
    }
  }
  finish(state, p.size() * 320, 16000);
}

void encode_l16_direct(benchmark::State& state) {
  const auto x = to_s16(speech(16000));
  constexpr std::size_t n = 320;
  std::vector<std::uint8_t> out(2 * n);
  for (auto _ : state) {
    for (std::size_t i = 0; i + n <= x.size(); i += n) {
      for (std::size_t k = 0; k < n; ++k) {
        const auto u = static_cast<std::uint16_t>(x[i + k]);
        out[2 * k] = static_cast<std::uint8_t>(u >> 8);
        out[2 * k + 1] = static_cast<std::uint8_t>(u);
      }
      benchmark::ClobberMemory();
    }
  }
  finish(state, x.size() / n * n, 16000);
}

void decode_l16_direct(benchmark::State& state) {
  const auto p = payloads("L16", 16000, 16000, 0);
  std::vector<std::int16_t> out(320);
  for (auto _ : state) {
    for (const auto& packet : p) {
      for (std::size_t k = 0; k < 320; ++k)
        out[k] = static_cast<std::int16_t>((packet[2 * k] << 8) | packet[2 * k + 1]);
      benchmark::ClobberMemory();
    }
  }
  finish(state, p.size() * 320, 16000);
}

// Bare libopus with the interface's default settings (codec::OpusSettings).
OpusEncoder* bare_encoder(int rate, int bitrate) {
  int err = 0;
  OpusEncoder* e = opus_encoder_create(rate, 1, OPUS_APPLICATION_VOIP, &err);
  const codec::OpusSettings s;
  opus_encoder_ctl(e, OPUS_SET_BITRATE(bitrate));
  opus_encoder_ctl(e, OPUS_SET_COMPLEXITY(s.complexity));
  opus_encoder_ctl(e, OPUS_SET_VBR(s.vbr ? 1 : 0));
  opus_encoder_ctl(e, OPUS_SET_INBAND_FEC(s.inband_fec ? 1 : 0));
  opus_encoder_ctl(e, OPUS_SET_PACKET_LOSS_PERC(s.expected_loss_percent));
  opus_encoder_ctl(e, OPUS_SET_DTX(s.dtx ? 1 : 0));
  opus_encoder_ctl(e, OPUS_SET_MAX_BANDWIDTH(OPUS_BANDWIDTH_FULLBAND));
  return e;
}

void encode_libopus(benchmark::State& state, int rate, int bitrate) {
  OpusEncoder* e = bare_encoder(rate, bitrate);
  const auto x = to_s16(speech(rate));
  const auto n = static_cast<std::size_t>(rate / 1000 * kPtimeMs);
  std::vector<std::uint8_t> out(1282);
  for (auto _ : state) {
    for (std::size_t i = 0; i + n <= x.size(); i += n) {
      benchmark::DoNotOptimize(opus_encode(e, x.data() + i, static_cast<int>(n), out.data(),
                                           static_cast<opus_int32>(out.size())));
      benchmark::ClobberMemory();
    }
  }
  finish(state, x.size() / n * n, rate);
  opus_encoder_destroy(e);
}

// The overhead goal (under 3 %) is smaller than this machine's drift between two rows, so
// these rows pair the calls: every frame goes through bare libopus and through the interface
// (each with its own coder state), in alternating order, each call timed on its own. The row's
// time is the interface's share; the counter `paired_ratio` is libopus time / interface time
// from the same alternation, which drift hits alike.
using Clock = std::chrono::steady_clock;

void finish_paired(benchmark::State& state, double bare, double wrapped) {
  state.counters["paired_ratio"] = wrapped > 0 ? bare / wrapped : 0.0;
}

void encode_paired(benchmark::State& state, int rate, int bitrate) {
  OpusEncoder* bare = bare_encoder(rate, bitrate);
  auto e = codec::make_encoder(encoder_config("opus", 48000, rate, bitrate));
  const auto x = to_s16(speech(rate));
  const auto n = static_cast<std::size_t>(e->info().frame_samples);
  std::vector<std::uint8_t> out(e->info().max_payload_bytes), out2(out.size());
  double total_bare = 0, total_wrapped = 0;
  for (auto _ : state) {
    double t_bare = 0, t_wrapped = 0;
    bool bare_first = true;
    for (std::size_t i = 0; i + n <= x.size(); i += n, bare_first = !bare_first) {
      for (int k = 0; k < 2; ++k) {
        const auto t0 = Clock::now();
        if ((k == 0) == bare_first) {
          benchmark::DoNotOptimize(opus_encode(bare, x.data() + i, static_cast<int>(n), out2.data(),
                                               static_cast<opus_int32>(out2.size())));
          t_bare += std::chrono::duration<double>(Clock::now() - t0).count();
        } else {
          std::size_t written = 0;
          benchmark::DoNotOptimize(e->encode(std::span(x.data() + i, n), out, &written));
          t_wrapped += std::chrono::duration<double>(Clock::now() - t0).count();
        }
      }
    }
    state.SetIterationTime(t_wrapped);
    total_bare += t_bare;
    total_wrapped += t_wrapped;
  }
  finish(state, x.size() / n * n, rate);
  finish_paired(state, total_bare, total_wrapped);
  opus_encoder_destroy(bare);
}

void decode_paired(benchmark::State& state, int rate, int bitrate) {
  const auto p = payloads("opus", 48000, rate, bitrate);
  int err = 0;
  OpusDecoder* bare = opus_decoder_create(rate, 1, &err);
  codec::DecoderConfig c;
  c.format = {"opus", 48000, 1};
  c.sample_rate_hz = rate;
  auto d = codec::make_decoder(c);
  std::vector<std::int16_t> out(d->info().max_samples), out2(out.size());
  double total_bare = 0, total_wrapped = 0;
  std::size_t total = 0;
  for (auto _ : state) {
    double t_bare = 0, t_wrapped = 0;
    bool bare_first = true;
    total = 0;
    for (const auto& packet : p) {
      for (int k = 0; k < 2; ++k) {
        const auto t0 = Clock::now();
        if ((k == 0) == bare_first) {
          benchmark::DoNotOptimize(opus_decode(bare, packet.data(),
                                               static_cast<opus_int32>(packet.size()), out2.data(),
                                               static_cast<int>(out2.size()), 0));
          t_bare += std::chrono::duration<double>(Clock::now() - t0).count();
        } else {
          std::size_t samples = 0;
          benchmark::DoNotOptimize(d->decode(packet, std::span(out), &samples));
          t_wrapped += std::chrono::duration<double>(Clock::now() - t0).count();
          total += samples;
        }
      }
      bare_first = !bare_first;
    }
    state.SetIterationTime(t_wrapped);
    total_bare += t_bare;
    total_wrapped += t_wrapped;
  }
  finish(state, total, rate);
  finish_paired(state, total_bare, total_wrapped);
  opus_decoder_destroy(bare);
}

void decode_libopus(benchmark::State& state, int rate, int bitrate) {
  const auto p = payloads("opus", 48000, rate, bitrate);
  int err = 0;
  OpusDecoder* d = opus_decoder_create(rate, 1, &err);
  std::vector<std::int16_t> out(static_cast<std::size_t>(rate / 1000 * 120));
  std::size_t total = 0;
  for (auto _ : state) {
    total = 0;
    for (const auto& packet : p) {
      const int got = opus_decode(d, packet.data(), static_cast<opus_int32>(packet.size()),
                                  out.data(), static_cast<int>(out.size()), 0);
      benchmark::DoNotOptimize(got);
      benchmark::ClobberMemory();
      total += static_cast<std::size_t>(got);
    }
  }
  finish(state, total, rate);
  opus_decoder_destroy(d);
}

// ---- transcoder rows ------------------------------------------------------------------------

struct Leg {
  const char* label;
  codec::Format in, out;
  int in_rate;  // PCM rate the caller's payloads were made from
};

codec::Transcoder::Config leg_config(const Leg& leg) {
  codec::Transcoder::Config c;
  c.input.format = leg.in;
  c.output.format = leg.out;
  return c;
}

std::vector<std::vector<std::uint8_t>> leg_payloads(const Leg& leg) {
  const bool opus = leg.in.name == "opus";
  return payloads(leg.in.name, leg.in.clock_rate_hz, leg.in_rate, opus ? 24000 : 0);
}

void transcode_ivrmedia(benchmark::State& state, Leg leg) {
  codec::Transcoder t(leg_config(leg));
  const auto p = leg_payloads(leg);
  std::vector<std::uint8_t> out(t.output_info().max_payload_bytes);
  for (auto _ : state) {
    for (const auto& packet : p) {
      benchmark::DoNotOptimize(t.push(packet));
      std::size_t written = 1;
      while (written != 0)
        benchmark::DoNotOptimize(t.pull(out, &written));
    }
  }
  finish(state, p.size() * static_cast<std::size_t>(t.output_info().frame_samples),
         t.output_info().sample_rate_hz);
}

void transcode_chained(benchmark::State& state, Leg leg) {
  // The transcoder's own choices (decode and encode rates), then the pieces by hand.
  const codec::Transcoder probe(leg_config(leg));
  codec::DecoderConfig dc;
  dc.format = leg.in;
  dc.sample_rate_hz = leg.in.name == "opus" ? probe.input_info().sample_rate_hz : 0;
  codec::EncoderConfig ec;
  ec.format = leg.out;
  ec.sample_rate_hz = leg.out.name == "opus" ? probe.output_info().sample_rate_hz : 0;
  auto d = codec::make_decoder(dc);
  auto e = codec::make_encoder(ec);
  std::unique_ptr<ivrmedia::resample::Resampler> r;
  if (d->info().sample_rate_hz != e->info().sample_rate_hz)
    r = std::make_unique<ivrmedia::resample::Resampler>(ivrmedia::resample::Resampler::Config{
        .input_rate_hz = d->info().sample_rate_hz, .output_rate_hz = e->info().sample_rate_hz});
  const auto p = leg_payloads(leg);
  std::vector<float> pcm(d->info().max_samples), res(d->info().max_samples * 6 + 16);
  std::vector<std::uint8_t> out(e->info().max_payload_bytes);
  const auto frame = static_cast<std::size_t>(e->info().frame_samples);
  for (auto _ : state) {
    for (const auto& packet : p) {
      std::size_t n = 0, written = 0;
      benchmark::DoNotOptimize(d->decode(packet, std::span(pcm), &n));
      const float* x = pcm.data();
      if (r) {
        ivrmedia::resample::Result rr{};
        benchmark::DoNotOptimize(r->process(std::span<const float>(pcm.data(), n), res, &rr));
        x = res.data();
        n = rr.out_frames_written;
      }
      if (n >= frame)
        benchmark::DoNotOptimize(e->encode(std::span<const float>(x, frame), out, &written));
    }
  }
  finish(state, p.size() * frame, e->info().sample_rate_hz);
}

void register_all() {
  using ivrmedia::g711::Law;
  benchmark::RegisterBenchmark("codec_encode/pcmu/direct", encode_g711_direct, Law::mulaw);
  benchmark::RegisterBenchmark("codec_encode/pcmu/ivrmedia", encode_interface, "PCMU", 8000, 8000,
                               0);
  benchmark::RegisterBenchmark("codec_decode/pcmu/direct", decode_g711_direct, Law::mulaw);
  benchmark::RegisterBenchmark("codec_decode/pcmu/ivrmedia", decode_interface, "PCMU", 8000, 8000,
                               0);
  benchmark::RegisterBenchmark("codec_encode/pcma/direct", encode_g711_direct, Law::alaw);
  benchmark::RegisterBenchmark("codec_encode/pcma/ivrmedia", encode_interface, "PCMA", 8000, 8000,
                               0);
  benchmark::RegisterBenchmark("codec_decode/pcma/direct", decode_g711_direct, Law::alaw);
  benchmark::RegisterBenchmark("codec_decode/pcma/ivrmedia", decode_interface, "PCMA", 8000, 8000,
                               0);
  benchmark::RegisterBenchmark("codec_encode/l16_16k/direct", encode_l16_direct);
  benchmark::RegisterBenchmark("codec_encode/l16_16k/ivrmedia", encode_interface, "L16", 16000,
                               16000, 0);
  benchmark::RegisterBenchmark("codec_decode/l16_16k/direct", decode_l16_direct);
  benchmark::RegisterBenchmark("codec_decode/l16_16k/ivrmedia", decode_interface, "L16", 16000,
                               16000, 0);
  benchmark::RegisterBenchmark("codec_encode/g722/direct", encode_g722_direct);
  benchmark::RegisterBenchmark("codec_encode/g722/ivrmedia", encode_interface, "G722", 8000, 16000,
                               0);
  benchmark::RegisterBenchmark("codec_decode/g722/direct", decode_g722_direct);
  benchmark::RegisterBenchmark("codec_decode/g722/ivrmedia", decode_interface, "G722", 8000, 16000,
                               0);
  for (const Leg& leg : {Leg{"pcmu_to_opus", {"PCMU"}, {"opus", 48000, 2}, 8000},
                         Leg{"opus_to_pcmu", {"opus", 48000, 2}, {"PCMU"}, 48000},
                         Leg{"g722_to_pcmu", {"G722"}, {"PCMU"}, 16000},
                         Leg{"pcmu_to_pcma", {"PCMU"}, {"PCMA"}, 8000}}) {
    const std::string l = leg.label;
    benchmark::RegisterBenchmark(("transcode/" + l + "/chained").c_str(), transcode_chained, leg);
    benchmark::RegisterBenchmark(("transcode/" + l + "/ivrmedia").c_str(), transcode_ivrmedia, leg);
  }
  for (auto [rate, bitrate, label] :
       {std::tuple{16000, 24000, "16k_24kbps"}, std::tuple{48000, 32000, "48k_32kbps"}}) {
    const std::string l = label;
    benchmark::RegisterBenchmark(("opus_encode/" + l + "/libopus").c_str(), encode_libopus, rate,
                                 bitrate);
    benchmark::RegisterBenchmark(("opus_encode/" + l + "/ivrmedia").c_str(), encode_interface,
                                 "opus", 48000, rate, bitrate);
    benchmark::RegisterBenchmark(("opus_decode/" + l + "/libopus").c_str(), decode_libopus, rate,
                                 bitrate);
    benchmark::RegisterBenchmark(("opus_decode/" + l + "/ivrmedia").c_str(), decode_interface,
                                 "opus", 48000, rate, bitrate);
    benchmark::RegisterBenchmark(("opus_encode/" + l + "/ivrmedia_paired").c_str(), encode_paired,
                                 rate, bitrate)
        ->UseManualTime();
    benchmark::RegisterBenchmark(("opus_decode/" + l + "/ivrmedia_paired").c_str(), decode_paired,
                                 rate, bitrate)
        ->UseManualTime();
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
