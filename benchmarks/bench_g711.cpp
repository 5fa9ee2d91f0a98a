// G.711 throughput: ivrmedia's kernels (every SIMD level this CPU runs) against a plain
// lookup-table coder and spandsp's coder, timed in the same program on the same input.
// Names are OPERATION/LAW/ROW; benchmarks/report.py divides every row by the `table` row of its
// OPERATION/LAW group. items_per_second counts samples.
//
// Input: 2^21 samples of speech-like audio that never repeats: a short looped buffer would let
// the branch predictor learn the data and flatter branchy coders. Decoders read the codes of
// that audio.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/sample_convert.hpp"
#include "ivrmedia/g711.hpp"
#include "sim/speech_like.hpp"

#if defined(IVRM_HAVE_SPANDSP)
#include "support/spandsp.hpp"
#endif

namespace {

using ivrmedia::SimdLevel;
using ivrmedia::g711::Coder;
using ivrmedia::g711::Law;

constexpr std::size_t kSamples = std::size_t{1} << 21;
constexpr ivrmedia::sim::SpeechLikeConfig kSpeech{8000, -20.0, 2026};

const std::vector<std::int16_t>& speech() {
  static const auto pcm = ivrmedia::sim::speech_like_s16(kSamples, kSpeech);
  return pcm;
}
const std::vector<float>& speech_f32() {
  static const auto pcm = ivrmedia::sim::speech_like(kSamples, kSpeech);
  return pcm;
}
std::vector<std::uint8_t> make_codes(Law law) {
  std::vector<std::uint8_t> c(kSamples);
  (void)ivrmedia::g711::encode(law, speech(), c);
  return c;
}
const std::vector<std::uint8_t>& codes(Law law) {
  static const auto mu = make_codes(Law::mulaw), a = make_codes(Law::alaw);
  return law == Law::mulaw ? mu : a;
}

// The baseline: what most telephony code does. Tables are filled from the library's own
// one-sample coder, so every row computes the same codes.
struct Table {
  explicit Table(Law law) : encode(65536), decode(256), decode_f32(256) {
    for (int i = 0; i < 65536; ++i) {
      encode[i] = ivrmedia::g711::encode_sample(law, static_cast<std::int16_t>(i));
    }
    for (int c = 0; c < 256; ++c) {
      decode[c] = ivrmedia::g711::decode_sample(law, static_cast<std::uint8_t>(c));
      decode_f32[c] = ivrmedia::core::s16_to_float(decode[c]);
    }
  }
  std::vector<std::uint8_t> encode;  // indexed by the sample's bits as uint16
  std::vector<std::int16_t> decode;
  std::vector<float> decode_f32;
};

// Out of line and over raw pointers, as a table coder is called in real code; the codegen then
// does not depend on what the harness around it lets the compiler prove. Unrolled because the
// rolled loop's speed hinged on where the table landed in memory (a third to all of the unrolled
// loop's speed, measured here); unrolled it held the top figure wherever the table was.
[[gnu::noinline]] void table_encode(const std::uint8_t* t, const std::int16_t* in,
                                    std::uint8_t* out, std::size_t n) {
#pragma GCC unroll 4
  for (std::size_t i = 0; i < n; ++i)
    out[i] = t[static_cast<std::uint16_t>(in[i])];
}
// Float input: what a careful host does without SIMD code of its own: a conversion the compiler
// vectorizes (scale, round to nearest even, saturate: the library's rules for finite input) into
// a small int16 block, then the table. The per-sample branchy conversion (core::float_to_s16)
// made a weaker baseline: 0.6-0.8 against 0.9 G samples/s here.
[[gnu::noinline]] void table_encode_f32(const std::uint8_t* t, const float* in, std::uint8_t* out,
                                        std::size_t n) {
  constexpr std::size_t kBlock = 256;
  constexpr float kRound = 12582912.0f;  // 1.5 * 2^23: adding and removing it rounds to integer
  std::int16_t block[kBlock];
  for (std::size_t i = 0; i < n; i += kBlock) {
    const std::size_t m = std::min(kBlock, n - i);
    for (std::size_t j = 0; j < m; ++j) {
      // Rounding before clamping gives the same result and keeps GCC from turning the clamp
      // into branches, which would stop it vectorizing the loop.
      const float v = (in[i + j] * 32768.0f + kRound) - kRound;
      block[j] = static_cast<std::int16_t>(static_cast<int>(std::clamp(v, -32768.0f, 32767.0f)));
    }
    table_encode(t, block, out + i, m);
  }
}
template <class Sample>
[[gnu::noinline]] void table_decode(const Sample* t, const std::uint8_t* in, Sample* out,
                                    std::size_t n) {
#pragma GCC unroll 4
  for (std::size_t i = 0; i < n; ++i)
    out[i] = t[in[i]];
}

// Times code(in, out, n) over the whole input. DoNotOptimize lets `out` escape and
// ClobberMemory makes every iteration's stores observable, so no row can skip its work.
template <class In, class Out, class Code>
void run(benchmark::State& state, const std::vector<In>& in, Code code) {
  std::vector<Out> out(in.size());
  for (auto _ : state) {
    code(in.data(), out.data(), in.size());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(in.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(in.size() * sizeof(In)));
}

// Set when a row could not run: the program then exits non-zero, so the ctest smoke run fails.
bool g_failed = false;

// Runs a Coder call; a status other than ok would mean the row timed nothing, so it is an error.
template <class In, class Out, class Call>
void run_coder(benchmark::State& state, const std::vector<In>& in, Call call) {
  ivrmedia::Status status = ivrmedia::Status::ok;
  run<In, Out>(state, in, [&](const In* i, Out* o, std::size_t n) {
    status = call(std::span<const In>(i, n), std::span<Out>(o, n));
    benchmark::DoNotOptimize(status);
  });
  if (!ivrmedia::ok(status)) {
    state.SkipWithError(ivrmedia::describe(status));
    g_failed = true;
  }
}

void add(const std::string& name, auto fn) {
  benchmark::RegisterBenchmark(name.c_str(), fn);
}

void register_law(Law law) {
  const std::string l = law == Law::mulaw ? "mulaw" : "alaw";
  const std::string enc = "g711_encode/" + l + "/", dec = "g711_decode/" + l + "/";
  const std::string enc_f32 = "g711_encode_f32/" + l + "/", dec_f32 = "g711_decode_f32/" + l + "/";

  add(enc + "table", [law](benchmark::State& s) {
    const Table t(law);
    run<std::int16_t, std::uint8_t>(s, speech(), [&](auto in, auto out, std::size_t n) {
      table_encode(t.encode.data(), in, out, n);
    });
  });
  add(dec + "table", [law](benchmark::State& s) {
    const Table t(law);
    run<std::uint8_t, std::int16_t>(s, codes(law), [&](auto in, auto out, std::size_t n) {
      table_decode(t.decode.data(), in, out, n);
    });
  });
  add(enc_f32 + "table", [law](benchmark::State& s) {
    const Table t(law);
    run<float, std::uint8_t>(s, speech_f32(), [&](auto in, auto out, std::size_t n) {
      table_encode_f32(t.encode.data(), in, out, n);
    });
  });
  add(dec_f32 + "table", [law](benchmark::State& s) {
    const Table t(law);
    run<std::uint8_t, float>(s, codes(law), [&](auto in, auto out, std::size_t n) {
      table_decode(t.decode_f32.data(), in, out, n);
    });
  });

  for (SimdLevel level : {SimdLevel::scalar, SimdLevel::avx2}) {
    if (!ivrmedia::simd_supported(level)) continue;
    const std::string row = std::string("ivrmedia_") + ivrmedia::simd_name(level);
    const Coder::Config config{law, level};
    add(enc + row, [config](benchmark::State& s) {
      const Coder c(config);
      run_coder<std::int16_t, std::uint8_t>(s, speech(),
                                            [&](auto in, auto out) { return c.encode(in, out); });
    });
    add(dec + row, [config](benchmark::State& s) {
      const Coder c(config);
      run_coder<std::uint8_t, std::int16_t>(s, codes(config.law),
                                            [&](auto in, auto out) { return c.decode(in, out); });
    });
    add(enc_f32 + row, [config](benchmark::State& s) {
      const Coder c(config);
      run_coder<float, std::uint8_t>(s, speech_f32(),
                                     [&](auto in, auto out) { return c.encode(in, out); });
    });
    add(dec_f32 + row, [config](benchmark::State& s) {
      const Coder c(config);
      run_coder<std::uint8_t, float>(s, codes(config.law),
                                     [&](auto in, auto out) { return c.decode(in, out); });
    });
  }

#if defined(IVRM_HAVE_SPANDSP)
  // spandsp has no float API, so it appears in the int16 groups only.
  const int mode = law == Law::mulaw ? G711_ULAW : G711_ALAW;
  add(enc + "spandsp", [mode](benchmark::State& s) {
    g711_state_t* g = g711_init(nullptr, mode);
    run<std::int16_t, std::uint8_t>(s, speech(), [&](auto in, auto out, std::size_t n) {
      benchmark::DoNotOptimize(g711_encode(g, out, in, static_cast<int>(n)));
    });
    g711_free(g);
  });
  add(dec + "spandsp", [mode, law](benchmark::State& s) {
    g711_state_t* g = g711_init(nullptr, mode);
    run<std::uint8_t, std::int16_t>(s, codes(law), [&](auto in, auto out, std::size_t n) {
      benchmark::DoNotOptimize(g711_decode(g, out, in, static_cast<int>(n)));
    });
    g711_free(g);
  });
#endif
}

}  // namespace

int main(int argc, char** argv) {
  for (Law law : {Law::mulaw, Law::alaw})
    register_law(law);
  // The report prints these beside the machine description.
  benchmark::AddCustomContext("ivrmedia_version", std::string(ivrmedia::version()));
  benchmark::AddCustomContext("ivrmedia_best_simd",
                              ivrmedia::simd_name(ivrmedia::best_simd_level()));
  benchmark::AddCustomContext("samples", std::to_string(kSamples));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return g_failed ? 1 : 0;
}
