// Packet-loss concealment cost: ivrmedia's plc::Concealer (G.711 Appendix I) against spandsp's
// plc (plc_rx / plc_fillin), same program, same non-repeating speech-like audio at 8 kHz.
// Each step passes one 20 ms good frame and then conceals one 20 ms frame, so every
// concealment starts a new loss (a pitch search each) and every good frame after one carries
// the recovery fade: the costly pattern. items_per_second counts concealed samples; the
// report divides each row by its group's `spandsp` row.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "ivrmedia/plc.hpp"
#include "sim/speech_like.hpp"

#if defined(IVRM_HAVE_SPANDSP)
#include "support/spandsp.hpp"
#endif

namespace {

constexpr std::size_t kSamples = std::size_t{1} << 18;
constexpr std::size_t kFrame = 160;  // 20 ms

const std::vector<std::int16_t>& speech() {
  static const std::vector<std::int16_t> x =
      ivrmedia::sim::speech_like_s16(kSamples, {8000, -16.0, 1711});
  return x;
}

void conceal_ivrmedia(benchmark::State& state) {
  ivrmedia::plc::Concealer plc({.sample_rate_hz = 8000});
  const auto& x = speech();
  std::vector<std::int16_t> good(kFrame), lost(kFrame);
  std::int64_t concealed = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i + kFrame <= x.size(); i += 2 * kFrame) {
      std::copy_n(x.begin() + static_cast<std::ptrdiff_t>(i), kFrame, good.begin());
      plc.good(std::span(good));
      plc.conceal(std::span(lost));
      benchmark::DoNotOptimize(lost.data());
      benchmark::ClobberMemory();
      concealed += static_cast<std::int64_t>(kFrame);
    }
  }
  state.SetItemsProcessed(concealed);
}

#if defined(IVRM_HAVE_SPANDSP)
void conceal_spandsp(benchmark::State& state) {
  plc_state_t* plc = plc_init(nullptr);
  const auto& x = speech();
  std::vector<std::int16_t> good(kFrame), lost(kFrame);
  std::int64_t concealed = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i + kFrame <= x.size(); i += 2 * kFrame) {
      std::copy_n(x.begin() + static_cast<std::ptrdiff_t>(i), kFrame, good.begin());
      plc_rx(plc, good.data(), static_cast<int>(kFrame));
      plc_fillin(plc, lost.data(), static_cast<int>(kFrame));
      benchmark::DoNotOptimize(lost.data());
      benchmark::ClobberMemory();
      concealed += static_cast<std::int64_t>(kFrame);
    }
  }
  state.SetItemsProcessed(concealed);
  plc_free(plc);
}
BENCHMARK(conceal_spandsp)->Name("plc_conceal/8k/spandsp");
#endif
BENCHMARK(conceal_ivrmedia)->Name("plc_conceal/8k/ivrmedia");

}  // namespace

BENCHMARK_MAIN();
