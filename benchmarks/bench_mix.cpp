// Mixing cost. mix_channel/<rate>: one Mixer per channel with two sources (a prompt in the
// foreground, music in the background: non-repeating speech-like signals at -26 dBFS, ITU-T
// P.56's nominal telephone level, and -32 dBFS), 20 ms frames, float in, int16 out. Items are
// output samples; `realtime` is output seconds per CPU second, i.e. the channels one core
// mixes in real time (the goal: 50,000 at 8 kHz). Rows: `copy` adds the two sources
// and converts to int16 by hand (the floor: what any mixer must do), `ivrmedia` the Mixer (its
// limiter idle most of the time, the ducker at rest or ramping), `ivrmedia_loud` the Mixer on
// sources at -3 dBFS, so the limiter works on most samples (its per-sample path: worst case).
// `ivrmedia_players` is the whole per-channel path: two Players rendering looping prompts (the
// same signals, shared) into the Mixer. `limited` is the share of samples that left the
// limiter with a gain under 1.
// mix_conference/<K>: one ConferenceMixer with K legs all talking at once (-26 dBFS each: the
// sum is limited more and more of the time as K grows), 8 kHz, 20 ms frames. Items are
// leg-samples (K outputs per input sample), `realtime` is the legs one core serves.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/sample_convert.hpp"
#include "ivrmedia/mixer.hpp"
#include "ivrmedia/player.hpp"
#include "ivrmedia/prompt.hpp"
#include "sim/speech_like.hpp"

namespace {

using ivrmedia::mix::ConferenceMixer;
using ivrmedia::mix::Mixer;

constexpr std::size_t kSeconds = 16;

std::vector<float> signal(int rate, double level_dbfs, std::uint64_t seed) {
  return ivrmedia::sim::speech_like(kSeconds * static_cast<std::size_t>(rate),
                                    {rate, level_dbfs, seed});
}

enum class Kind { copy, mixer, loud, players };

void mix_channel(benchmark::State& state, int rate, Kind kind) {
  const double level = kind == Kind::loud ? -3.0 : -26.0;
  const auto prompt = signal(rate, level, 41);
  const auto music = signal(rate, level - 6.0, 42);
  const std::size_t frame = static_cast<std::size_t>(rate) / 50;
  Mixer m({.sample_rate_hz = rate});
  std::vector<std::int16_t> out(frame);
  std::vector<float> voice_frame(frame), music_frame(frame);
  ivrmedia::mix::Player voice({.sample_rate_hz = rate});
  ivrmedia::mix::Player background({.sample_rate_hz = rate});
  if (kind == Kind::players) {
    (void)voice.play(ivrmedia::mix::Prompt::adopt(prompt, rate), {.loops = 0});
    (void)background.play(ivrmedia::mix::Prompt::adopt(music, rate), {.loops = 0});
  }
  std::size_t pos = 0;
  for (auto _ : state) {
    const std::span<const float> fg[] = {std::span(prompt).subspan(pos, frame)};
    const std::span<const float> bg[] = {std::span(music).subspan(pos, frame)};
    if (kind == Kind::players) {
      voice.render(voice_frame);
      background.render(music_frame);
      const std::span<const float> pf[] = {voice_frame};
      const std::span<const float> pb[] = {music_frame};
      (void)m.process(pf, pb, std::span(out));
    } else if (kind == Kind::copy) {
      for (std::size_t i = 0; i < frame; ++i) {
        out[i] = ivrmedia::core::float_to_s16(fg[0][i] + bg[0][i]);
      }
    } else {
      (void)m.process(fg, bg, std::span(out));
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
    pos += frame;
    if (pos + frame > prompt.size()) pos = 0;
  }
  const auto items = static_cast<double>(state.iterations()) * static_cast<double>(frame);
  state.SetItemsProcessed(static_cast<std::int64_t>(items));
  state.counters["realtime"] = benchmark::Counter(items / rate, benchmark::Counter::kIsRate);
  state.counters["limited"] =
      static_cast<double>(m.stats().limiter.limited_samples) / std::max(1.0, items);
}

void conference(benchmark::State& state, int legs) {
  constexpr int rate = 8000;
  constexpr std::size_t frame = 160;
  std::vector<std::vector<float>> in;
  for (int k = 0; k < legs; ++k)
    in.push_back(signal(rate, -26.0, 100 + k));
  std::vector<std::vector<float>> out(static_cast<std::size_t>(legs), std::vector<float>(frame));
  std::vector<std::span<const float>> ins(static_cast<std::size_t>(legs));
  std::vector<std::span<float>> outs(static_cast<std::size_t>(legs));
  for (std::size_t k = 0; k < outs.size(); ++k)
    outs[k] = out[k];
  ConferenceMixer c({.sample_rate_hz = rate, .max_legs = legs});
  std::size_t pos = 0;
  for (auto _ : state) {
    for (std::size_t k = 0; k < ins.size(); ++k)
      ins[k] = std::span(in[k]).subspan(pos, frame);
    (void)c.process(ins, outs);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
    pos += frame;
    if (pos + frame > in[0].size()) pos = 0;
  }
  const auto items = static_cast<double>(state.iterations()) * static_cast<double>(frame) * legs;
  state.SetItemsProcessed(static_cast<std::int64_t>(items));
  state.counters["realtime"] = benchmark::Counter(items / rate, benchmark::Counter::kIsRate);
  double limited = 0;
  for (int k = 0; k < legs; ++k) {
    limited += static_cast<double>(c.leg_limiter_stats(k)->limited_samples);
  }
  state.counters["limited"] = limited / std::max(1.0, items);
}

void register_rows() {
  for (const int rate : {8000, 16000}) {
    const std::string group = "mix_channel/" + std::to_string(rate / 1000) + "k";
    for (const auto& [row, kind] :
         {std::pair{"copy", Kind::copy}, std::pair{"ivrmedia", Kind::mixer},
          std::pair{"ivrmedia_loud", Kind::loud}, std::pair{"ivrmedia_players", Kind::players}}) {
      benchmark::RegisterBenchmark((group + "/" + row).c_str(), [rate, kind](benchmark::State& s) {
        mix_channel(s, rate, kind);
      });
    }
  }
  for (const int legs : {3, 8, 16, 32, 64}) {
    benchmark::RegisterBenchmark(("mix_conference/" + std::to_string(legs) + "/ivrmedia").c_str(),
                                 [legs](benchmark::State& s) { conference(s, legs); });
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
