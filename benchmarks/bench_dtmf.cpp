// DTMF throughput: ivrmedia's Detector (every SIMD level), BatchDetector, Masker and Generator
// against spandsp's dtmf_rx / dtmf_tx, timed in the same program on the same audio.
// items_per_second counts samples (batch: channel-samples). Names are GROUP/ROW; the report
// divides every row by its group's `spandsp` row.
//
// Input: non-repeating speech-like audio (digits are rare in a call; the detector's common case
// is rejecting speech) with a few keyed digits, 2^20 samples per rate; the batch reads 256
// channels of 1 s each, all different.
//
// The batch group's baseline (`dtmf_batch/8k/spandsp`) is what a media server running spandsp
// does with the batch's own input: 256 dtmf_rx states, each fed its own channel (the same 256
// channels, converted to int16 once outside the timing) in 20 ms frames, channel after channel
// per frame tick, as the batch is called. It reads 4 MB of int16 per iteration and keeps 256
// receiver states, so it meets the same cache pressure as the batch. `spandsp_1stream` is the
// single-stream figure the other groups use as their baseline (one dtmf_rx over 2^20 samples,
// 2 MB, cache-resident): reported beside it so both ratios are visible.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dtmf/screen.hpp"
#include "ivrmedia/dtmf.hpp"
#include "sim/speech_like.hpp"

#if defined(IVRM_HAVE_SPANDSP)
#include "support/spandsp.hpp"
#endif

namespace {

namespace dtmf = ivrmedia::dtmf;
using ivrmedia::SimdLevel;

constexpr std::size_t kSamples = std::size_t{1} << 20;
constexpr std::size_t kChannels = 256;

std::vector<float> call_audio(int rate, std::size_t n, std::uint64_t seed) {
  std::vector<float> x = ivrmedia::sim::speech_like(n, {rate, -22.0, seed});
  dtmf::Generator::Config gc;
  gc.sample_rate_hz = rate;
  gc.pause_ms = 0;
  dtmf::Generator g(gc);
  const auto tone = static_cast<std::size_t>(gc.tone_ms * rate / 1000.0);
  for (std::size_t at = static_cast<std::size_t>(rate); at + tone < n;
       at += 3 * static_cast<std::size_t>(rate)) {
    (void)g.queue("5");
    g.generate(std::span<float>(x).subspan(at, tone));
  }
  return x;
}

const std::vector<float>& audio(int rate) {
  static const std::vector<float> a8 = call_audio(8000, kSamples, 8);
  static const std::vector<float> a16 = call_audio(16000, kSamples, 16);
  return rate == 8000 ? a8 : a16;
}

std::vector<std::int16_t> to_s16(const std::vector<float>& f) {
  std::vector<std::int16_t> s(f.size());
  for (std::size_t i = 0; i < f.size(); ++i)
    s[i] = static_cast<std::int16_t>(f[i] * 32767.0f);
  return s;
}

const std::vector<std::int16_t>& audio_s16() {
  static const std::vector<std::int16_t> s = to_s16(audio(8000));
  return s;
}

const std::vector<float>& planar_channels() {
  static const std::vector<float> p = [] {
    std::vector<float> all;
    for (std::size_t c = 0; c < kChannels; ++c) {
      const auto x = call_audio(8000, 8000, 1000 + c);
      all.insert(all.end(), x.begin(), x.end());
    }
    return all;
  }();
  return p;
}

// The same channels as int16, for spandsp (converted once, outside any timing).
const std::vector<std::int16_t>& planar_channels_s16() {
  static const std::vector<std::int16_t> s = to_s16(planar_channels());
  return s;
}

void items(benchmark::State& state, std::size_t per_iteration) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(per_iteration));
}

void detector(benchmark::State& state, int rate, SimdLevel level) {
  dtmf::Detector::Config c;
  c.sample_rate_hz = rate;
  c.simd = level;
  dtmf::Detector d(c);
  const auto& x = audio(rate);
  dtmf::Event ev[16];
  for (auto _ : state) {
    for (std::size_t i = 0; i < x.size(); i += 160) {  // 20 ms frames at 8 kHz, as a host does
      d.process(std::span<const float>(x).subspan(i, std::min<std::size_t>(160, x.size() - i)));
      benchmark::DoNotOptimize(d.read_events(ev));
    }
  }
  items(state, x.size());
}

// evex: false keeps the AVX2 level's screen on sixteen registers even when the CPU has
// AVX-512VL (the `ivrmedia_avx2_only` row: what a CPU with AVX2 alone runs).
void batch(benchmark::State& state, SimdLevel level, bool evex = true) {
  dtmf::BatchDetector::Config c;
  c.channels = kChannels;
  c.detector.simd = level;
  ivrmedia::dtmf::detail::allow_evex_screen(evex);
  dtmf::BatchDetector b(c);
  ivrmedia::dtmf::detail::allow_evex_screen(true);
  const auto& p = planar_channels();
  dtmf::Event ev[16];
  for (auto _ : state) {
    for (std::size_t i = 0; i < 8000; i += 160) {
      b.process(p.data() + i, 160, 8000);
      for (std::size_t ch = 0; ch < kChannels; ++ch)
        benchmark::DoNotOptimize(b.read_events(ch, ev));
    }
  }
  items(state, kChannels * 8000);
}

void masker(benchmark::State& state) {
  dtmf::Masker m({});
  const auto& x = audio(8000);
  std::vector<float> y(160);
  for (auto _ : state) {
    for (std::size_t i = 0; i + 160 <= x.size(); i += 160) {
      benchmark::DoNotOptimize(m.process(std::span<const float>(x).subspan(i, 160), y));
    }
  }
  items(state, x.size() / 160 * 160);
}

void generator(benchmark::State& state) {
  dtmf::Generator g({});
  std::vector<std::int16_t> out(160);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kSamples; i += 160) {
      if (!g.busy()) (void)g.queue("0123456789*#ABCD");
      g.generate(std::span<std::int16_t>(out));
      benchmark::DoNotOptimize(out.data());
    }
  }
  items(state, kSamples);
}

#if defined(IVRM_HAVE_SPANDSP)
void spandsp_digits(void*, const char*, int) {}

void spandsp_rx(benchmark::State& state) {
  const auto& x = audio_s16();
  dtmf_rx_state_t* rx = dtmf_rx_init(nullptr, spandsp_digits, nullptr);
  for (auto _ : state) {
    for (std::size_t i = 0; i < x.size(); i += 160) {
      dtmf_rx(rx, x.data() + i, static_cast<int>(std::min<std::size_t>(160, x.size() - i)));
    }
  }
  dtmf_rx_free(rx);
  items(state, x.size());
}

// One dtmf_rx per channel, each fed its own channel in 20 ms frames, every channel once per
// frame tick: a media server's loop over its calls on the batch's input.
void spandsp_channels(benchmark::State& state) {
  const auto& p = planar_channels_s16();
  std::vector<dtmf_rx_state_t*> rx(kChannels);
  for (auto& r : rx)
    r = dtmf_rx_init(nullptr, spandsp_digits, nullptr);
  for (auto _ : state) {
    for (std::size_t i = 0; i < 8000; i += 160) {
      for (std::size_t ch = 0; ch < kChannels; ++ch)
        dtmf_rx(rx[ch], p.data() + ch * 8000 + i, 160);
    }
  }
  for (auto* r : rx)
    dtmf_rx_free(r);
  items(state, kChannels * 8000);
}

void spandsp_tx(benchmark::State& state) {
  dtmf_tx_state_t* tx = dtmf_tx_init(nullptr);
  std::vector<std::int16_t> out(160);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kSamples; i += 160) {
      if (dtmf_tx(tx, out.data(), 160) < 160) dtmf_tx_put(tx, "0123456789*#ABCD", -1);
      benchmark::DoNotOptimize(out.data());
    }
  }
  dtmf_tx_free(tx);
  items(state, kSamples);
}
#endif

void add(const std::string& name, auto fn) {
  benchmark::RegisterBenchmark(name.c_str(), fn);
}

void register_all() {
#if defined(IVRM_HAVE_SPANDSP)
  // The same single-stream spandsp measurement heads every group it is the baseline of; the
  // batch's baseline is 256 receivers on the batch's channels, the single stream beside it.
  for (const char* g : {"dtmf_detect/8k/", "dtmf_detect/16k/", "dtmf_mask/8k/"}) {
    add(std::string(g) + "spandsp", spandsp_rx);
  }
  add("dtmf_batch/8k/spandsp", spandsp_channels);
  add("dtmf_batch/8k/spandsp_1stream", spandsp_rx);
  add("dtmf_generate/8k/spandsp", spandsp_tx);
#endif
  for (SimdLevel level : {SimdLevel::scalar, SimdLevel::avx2}) {
    if (!ivrmedia::simd_supported(level)) continue;
    const std::string l = ivrmedia::simd_name(level);
    add("dtmf_detect/8k/ivrmedia_" + l, [level](benchmark::State& s) { detector(s, 8000, level); });
    add("dtmf_detect/16k/ivrmedia_" + l,
        [level](benchmark::State& s) { detector(s, 16000, level); });
    add("dtmf_batch/8k/ivrmedia_" + l, [level](benchmark::State& s) { batch(s, level); });
    if (level == SimdLevel::avx2 && ivrmedia::dtmf::detail::cpu_has_evex256()) {
      add("dtmf_batch/8k/ivrmedia_avx2_only",
          [level](benchmark::State& s) { batch(s, level, false); });
    }
  }
  add("dtmf_mask/8k/ivrmedia", masker);
  add("dtmf_generate/8k/ivrmedia", generator);
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
