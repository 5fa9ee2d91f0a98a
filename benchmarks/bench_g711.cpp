// G.711 throughput: ivrmedia's kernels (every SIMD level this CPU runs) against a plain
// lookup-table coder (64 Ki entries to encode, 256 to decode) and spandsp's coder, timed in the
// same program on the same input. items_per_second counts samples.
//
// Input: 2^21 samples of speech-like audio that never repeats (a short looped buffer would let
// the branch predictor learn the data and flatter branchy coders).
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "ivrmedia/g711.hpp"
#include "sim/speech_like.hpp"

#if defined(IVRM_HAVE_SPANDSP)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wshadow"
#include <spandsp.h>
#pragma GCC diagnostic pop
#endif

namespace {

using ivrmedia::SimdLevel;
using ivrmedia::g711::Coder;
using ivrmedia::g711::Law;

constexpr std::size_t kSamples = std::size_t{1} << 21;

const std::vector<std::int16_t>& speech() {
  static const std::vector<std::int16_t> pcm =
      ivrmedia::sim::speech_like_s16(kSamples, {8000, -20.0, 2026});
  return pcm;
}
const std::vector<float>& speech_float() {
  static const std::vector<float> pcm = ivrmedia::sim::speech_like(kSamples, {8000, -20.0, 2026});
  return pcm;
}
const std::vector<std::uint8_t>& codes(Law law) {
  static const auto make = [](Law l) {
    std::vector<std::uint8_t> c(kSamples);
    (void)ivrmedia::g711::encode(l, speech(), c);
    return c;
  };
  static const std::vector<std::uint8_t> mu = make(Law::mulaw), a = make(Law::alaw);
  return law == Law::mulaw ? mu : a;
}

// The baseline: what most telephony code does (Asterisk, FreeSWITCH, projectrtp).
struct TableCoder {
  explicit TableCoder(Law law) {
    for (int i = 0; i < 65536; ++i) {
      encode_table[i] = ivrmedia::g711::encode_sample(law, static_cast<std::int16_t>(i - 32768));
    }
    for (int c = 0; c < 256; ++c) {
      decode_table[c] = ivrmedia::g711::decode_sample(law, static_cast<std::uint8_t>(c));
    }
  }
  std::array<std::uint8_t, 65536> encode_table;
  std::array<std::int16_t, 256> decode_table;
};

void set_counters(benchmark::State& state) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(kSamples));
}

void encode_table(benchmark::State& state, Law law) {
  const TableCoder t(law);
  const auto& in = speech();
  std::vector<std::uint8_t> out(kSamples);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kSamples; ++i) {
      out[i] = t.encode_table[static_cast<std::uint16_t>(in[i] + 32768)];
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_counters(state);
}

void decode_table(benchmark::State& state, Law law) {
  const TableCoder t(law);
  const auto& in = codes(law);
  std::vector<std::int16_t> out(kSamples);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kSamples; ++i)
      out[i] = t.decode_table[in[i]];
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_counters(state);
}

void encode_ivrmedia(benchmark::State& state, Law law, SimdLevel level) {
  const Coder coder({law, level});
  const auto& in = speech();
  std::vector<std::uint8_t> out(kSamples);
  for (auto _ : state) {
    benchmark::DoNotOptimize(coder.encode(in, out));
    benchmark::ClobberMemory();
  }
  set_counters(state);
}

void decode_ivrmedia(benchmark::State& state, Law law, SimdLevel level) {
  const Coder coder({law, level});
  const auto& in = codes(law);
  std::vector<std::int16_t> out(kSamples);
  for (auto _ : state) {
    benchmark::DoNotOptimize(coder.decode(in, out));
    benchmark::ClobberMemory();
  }
  set_counters(state);
}

void encode_float_ivrmedia(benchmark::State& state, Law law, SimdLevel level) {
  const Coder coder({law, level});
  const auto& in = speech_float();
  std::vector<std::uint8_t> out(kSamples);
  for (auto _ : state) {
    benchmark::DoNotOptimize(coder.encode(std::span<const float>(in), out));
    benchmark::ClobberMemory();
  }
  set_counters(state);
}

void decode_float_ivrmedia(benchmark::State& state, Law law, SimdLevel level) {
  const Coder coder({law, level});
  const auto& in = codes(law);
  std::vector<float> out(kSamples);
  for (auto _ : state) {
    benchmark::DoNotOptimize(coder.decode(in, std::span<float>(out)));
    benchmark::ClobberMemory();
  }
  set_counters(state);
}

#if defined(IVRM_HAVE_SPANDSP)
void encode_spandsp(benchmark::State& state, Law law) {
  g711_state_t* s = g711_init(nullptr, law == Law::mulaw ? G711_ULAW : G711_ALAW);
  const auto& in = speech();
  std::vector<std::uint8_t> out(kSamples);
  for (auto _ : state) {
    benchmark::DoNotOptimize(g711_encode(s, out.data(), in.data(), static_cast<int>(kSamples)));
    benchmark::ClobberMemory();
  }
  g711_free(s);
  set_counters(state);
}

void decode_spandsp(benchmark::State& state, Law law) {
  g711_state_t* s = g711_init(nullptr, law == Law::mulaw ? G711_ULAW : G711_ALAW);
  const auto& in = codes(law);
  std::vector<std::int16_t> out(kSamples);
  for (auto _ : state) {
    benchmark::DoNotOptimize(g711_decode(s, out.data(), in.data(), static_cast<int>(kSamples)));
    benchmark::ClobberMemory();
  }
  g711_free(s);
  set_counters(state);
}
#endif

// Names are group/row: the report divides every row by its group's `table` row.
void register_all() {
  for (Law law : {Law::mulaw, Law::alaw}) {
    const std::string l = law == Law::mulaw ? "mulaw" : "alaw";
    benchmark::RegisterBenchmark(("g711_encode_" + l + "/table").c_str(), encode_table, law);
    benchmark::RegisterBenchmark(("g711_decode_" + l + "/table").c_str(), decode_table, law);
#if defined(IVRM_HAVE_SPANDSP)
    benchmark::RegisterBenchmark(("g711_encode_" + l + "/spandsp").c_str(), encode_spandsp, law);
    benchmark::RegisterBenchmark(("g711_decode_" + l + "/spandsp").c_str(), decode_spandsp, law);
#endif
    for (SimdLevel level : {SimdLevel::scalar, SimdLevel::avx2}) {
      if (!ivrmedia::simd_supported(level)) continue;
      const std::string row = std::string("ivrmedia_") + ivrmedia::simd_name(level);
      benchmark::RegisterBenchmark(("g711_encode_" + l + "/" + row).c_str(), encode_ivrmedia, law,
                                   level);
      benchmark::RegisterBenchmark(("g711_decode_" + l + "/" + row).c_str(), decode_ivrmedia, law,
                                   level);
      // float rows are measured against the int16 table too: the cost of the conversion shows
      benchmark::RegisterBenchmark(("g711_encode_" + l + "/" + row + "_float").c_str(),
                                   encode_float_ivrmedia, law, level);
      benchmark::RegisterBenchmark(("g711_decode_" + l + "/" + row + "_float").c_str(),
                                   decode_float_ivrmedia, law, level);
    }
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
