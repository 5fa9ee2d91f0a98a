// Jitter-buffer time-scale modification cost (jitter::TimeStretcher, WSOLA after NetEq's
// accelerate / preemptive expand): one call per 30 ms block of decoded audio, the block the
// jitter buffer hands over, at 8 and 16 kHz. The blocks walk through a long speech-like signal
// (voiced, unvoiced and pauses, never repeating), so every call runs the pitch search on fresh
// data and the decision takes its real mix of branches; the `applied` counter is the share of
// blocks stretched. Time per iteration is time per block. The `copy` row of each group copies
// the block unchanged: what dropping or repeating a whole frame would cost, the alternative the
// stretcher replaces; it is the baseline the report divides by (reported, no goal).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "jitter/time_stretch.hpp"
#include "sim/speech_like.hpp"

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

void register_rows() {
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
