// G.722 throughput: ivrmedia's encoder and decoder against spandsp's (same program, same
// non-repeating speech-like audio at 16 kHz, 20 ms frames). items_per_second counts 16 kHz
// samples; the report divides each row by its group's `spandsp` row (goal: 1.5x).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "ivrmedia/g722.hpp"
#include "sim/speech_like.hpp"

#if defined(IVRM_HAVE_SPANDSP)
#include "support/spandsp.hpp"
#endif

namespace {

namespace g722 = ivrmedia::g722;
constexpr std::size_t kSamples = std::size_t{1} << 20;
constexpr std::size_t kFrame = 320;

const std::vector<std::int16_t>& pcm() {
  static const std::vector<std::int16_t> x = [] {
    const auto f = ivrmedia::sim::speech_like(kSamples, {16000, -16.0, 722});
    std::vector<std::int16_t> s(f.size());
    for (std::size_t i = 0; i < f.size(); ++i)
      s[i] = static_cast<std::int16_t>(std::clamp(f[i] * 32768.0f, -32768.0f, 32767.0f));
    return s;
  }();
  return x;
}

const std::vector<std::uint8_t>& octets() {
  static const std::vector<std::uint8_t> c = [] {
    std::vector<std::uint8_t> o(kSamples / 2);
    g722::Encoder e;
    (void)e.encode(pcm(), o);
    return o;
  }();
  return c;
}

void encode_ivrmedia(benchmark::State& state) {
  g722::Encoder e;
  const auto& x = pcm();
  std::vector<std::uint8_t> out(kFrame / 2);
  for (auto _ : state) {
    for (std::size_t i = 0; i + kFrame <= x.size(); i += kFrame) {
      benchmark::DoNotOptimize(e.encode(std::span(x).subspan(i, kFrame), out));
      benchmark::ClobberMemory();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kSamples));
}

void decode_ivrmedia(benchmark::State& state) {
  g722::Decoder d;
  const auto& c = octets();
  std::vector<std::int16_t> out(kFrame);
  for (auto _ : state) {
    for (std::size_t i = 0; i + kFrame / 2 <= c.size(); i += kFrame / 2) {
      benchmark::DoNotOptimize(d.decode(std::span(c).subspan(i, kFrame / 2), out));
      benchmark::ClobberMemory();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kSamples));
}

#if defined(IVRM_HAVE_SPANDSP)
void encode_spandsp(benchmark::State& state) {
  g722_encode_state_t* e = g722_encode_init(nullptr, 64000, 0);
  const auto& x = pcm();
  std::vector<std::uint8_t> out(kFrame / 2);
  for (auto _ : state) {
    for (std::size_t i = 0; i + kFrame <= x.size(); i += kFrame) {
      benchmark::DoNotOptimize(g722_encode(e, out.data(), x.data() + i, kFrame));
      benchmark::ClobberMemory();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kSamples));
  g722_encode_free(e);
}

void decode_spandsp(benchmark::State& state) {
  g722_decode_state_t* d = g722_decode_init(nullptr, 64000, 0);
  const auto& c = octets();
  std::vector<std::int16_t> out(kFrame);
  for (auto _ : state) {
    for (std::size_t i = 0; i + kFrame / 2 <= c.size(); i += kFrame / 2) {
      benchmark::DoNotOptimize(g722_decode(d, out.data(), c.data() + i, kFrame / 2));
      benchmark::ClobberMemory();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kSamples));
  g722_decode_free(d);
}
BENCHMARK(encode_spandsp)->Name("g722_encode/16k/spandsp");
BENCHMARK(decode_spandsp)->Name("g722_decode/16k/spandsp");
#endif
BENCHMARK(encode_ivrmedia)->Name("g722_encode/16k/ivrmedia");
BENCHMARK(decode_ivrmedia)->Name("g722_decode/16k/ivrmedia");

}  // namespace

BENCHMARK_MAIN();
