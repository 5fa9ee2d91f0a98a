// C API for prompts, the prompt cache, players, barge-in and the mixers (ivrm_prompt_*,
// ivrm_player_*, ivrm_barge_in_*, ivrm_mixer_*, ivrm_conference_*): every C result equals the
// C++ API's (prompts sample for sample, a player's playlist with a stop, a ducked mix, an N-1
// conference with a whisper, a barge-in), load errors come back as a status and a message naming
// the file, prompt handles count their references, NULLs and bad sizes are refused with nothing
// written, and rendering, mixing and reading events allocate nothing.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numbers>
#include <span>
#include <string>
#include <vector>

#include "ivrmedia/ivrmedia.h"
#include "ivrmedia/mixer.hpp"
#include "ivrmedia/player.hpp"
#include "ivrmedia/prompt.hpp"
#include "support/alloc_counter.hpp"

namespace {

namespace mix = ivrmedia::mix;
namespace fs = std::filesystem;

std::vector<float> sine(double hz, int rate, std::size_t n, double amp) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = static_cast<float>(amp *
                              std::sin(2 * std::numbers::pi * hz * static_cast<double>(i) / rate));
  return x;
}

std::vector<float> samples_of(const ivrm_prompt* p) {
  ivrm_prompt_info info{};
  info.struct_size = sizeof info;
  EXPECT_EQ(ivrm_prompt_get_info(p, &info), IVRM_OK);
  return {info.samples, info.samples + info.size};
}

std::vector<float> samples_of(const std::shared_ptr<const mix::Prompt>& p) {
  return {p->samples().begin(), p->samples().end()};
}

// Owns a C prompt handle in a test.
struct PromptRef {
  ivrm_prompt* p = nullptr;
  PromptRef() = default;
  PromptRef(const PromptRef&) = delete;
  PromptRef& operator=(const PromptRef&) = delete;
  ~PromptRef() { ivrm_prompt_release(p); }
};

fs::path temp_dir() {
  const fs::path d = fs::temp_directory_path() / ("ivrm_capi_mix_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

// A headerless mu-law file (8 kHz): a ramp of codes, so every sample differs.
fs::path write_ulaw(const std::string& name, std::size_t n) {
  const fs::path p = temp_dir() / name;
  std::ofstream f(p, std::ios::binary);
  for (std::size_t i = 0; i < n; ++i)
    f.put(static_cast<char>(static_cast<unsigned char>(0x80 + (i * 7) % 120)));
  return p;
}

TEST(CApiPrompt, MakersMatchTheCxxApi) {
  const std::vector<float> x = sine(440, 8000, 4000, 0.4);
  PromptRef a;
  ASSERT_EQ(ivrm_prompt_from_float(x.data(), x.size(), 8000, 16000, &a.p), IVRM_OK);
  EXPECT_EQ(samples_of(a.p),
            samples_of(mix::Prompt::from_samples(std::span<const float>(x), 8000, 16000)));
  std::vector<int16_t> s(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    s[i] = static_cast<int16_t>(std::lround(x[i] * 32767));
  PromptRef b;
  ASSERT_EQ(ivrm_prompt_from_int16(s.data(), s.size(), 16000, 8000, &b.p), IVRM_OK);
  EXPECT_EQ(samples_of(b.p),
            samples_of(mix::Prompt::from_samples(std::span<const std::int16_t>(s), 16000, 8000)));

  for (int32_t which = IVRM_RINGBACK_EU; which <= IVRM_DIAL_US; ++which) {
    SCOPED_TRACE(which);
    ivrm_tone_spec spec;
    ASSERT_EQ(ivrm_call_progress(which, &spec), IVRM_OK);
    const mix::ToneSpec t = mix::call_progress(static_cast<mix::CallProgress>(which));
    EXPECT_EQ(spec.struct_size, sizeof spec);
    EXPECT_EQ(spec.frequency1_hz, t.frequency1_hz);
    EXPECT_EQ(spec.frequency2_hz, t.frequency2_hz);
    ASSERT_EQ(spec.cadence_count, t.cadence_ms.size());
    PromptRef tone;
    ASSERT_EQ(ivrm_prompt_tone(&spec, 8000, &tone.p), IVRM_OK);
    EXPECT_EQ(samples_of(tone.p), samples_of(mix::tone(t, 8000)));
  }
  ivrm_tone_spec spec;
  ASSERT_EQ(ivrm_call_progress(IVRM_BUSY_US, &spec), IVRM_OK);
  spec.cadence_count = IVRM_TONE_MAX_CADENCE + 1;
  PromptRef bad;
  EXPECT_EQ(ivrm_prompt_tone(&spec, 8000, &bad.p), IVRM_ERR_CONFIG);
  EXPECT_EQ(bad.p, nullptr);
  spec.cadence_count = 2;
  spec.frequency1_hz = 5000;  // above 8000 / 2
  EXPECT_EQ(ivrm_prompt_tone(&spec, 8000, &bad.p), IVRM_ERR_CONFIG);
  ivrm_tone_spec untouched;
  std::memset(&untouched, 0x5A, sizeof untouched);
  EXPECT_EQ(ivrm_call_progress(99, &untouched), IVRM_ERR_INVALID);
  EXPECT_EQ(reinterpret_cast<unsigned char*>(&untouched)[0], 0x5A);

  PromptRef d, sil, cn;
  ASSERT_EQ(ivrm_prompt_dtmf("123#", 8000, &d.p), IVRM_OK);
  EXPECT_EQ(samples_of(d.p), samples_of(mix::Prompt::dtmf("123#", 8000)));
  EXPECT_EQ(ivrm_prompt_dtmf("12x", 8000, &bad.p), IVRM_ERR_INVALID);
  EXPECT_EQ(bad.p, nullptr);
  ASSERT_EQ(ivrm_prompt_silence(0.5, 16000, &sil.p), IVRM_OK);
  EXPECT_EQ(samples_of(sil.p), samples_of(mix::Prompt::silence(0.5, 16000)));
  ASSERT_EQ(ivrm_prompt_comfort_noise(0.25, -50, 8000, 7, &cn.p), IVRM_OK);
  EXPECT_EQ(samples_of(cn.p), samples_of(mix::Prompt::comfort_noise(0.25, -50, 8000, 7)));

  ivrm_prompt_info info;
  info.struct_size = sizeof info;
  ASSERT_EQ(ivrm_prompt_get_info(sil.p, &info), IVRM_OK);
  EXPECT_EQ(info.sample_rate_hz, 16000);
  EXPECT_EQ(info.size, 8000u);
  EXPECT_DOUBLE_EQ(info.seconds, 0.5);
  EXPECT_GE(info.memory_bytes, 8000 * sizeof(float));
  ASSERT_NE(info.name, nullptr);

  // Bad arguments: status, *out NULL.
  EXPECT_EQ(ivrm_prompt_from_float(x.data(), 0, 8000, 8000, &bad.p), IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_prompt_from_float(x.data(), x.size(), 8000, 12345, &bad.p), IVRM_ERR_CONFIG);
  EXPECT_EQ(ivrm_prompt_from_float(nullptr, 10, 8000, 8000, &bad.p), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_prompt_from_float(x.data(), x.size(), 8000, 8000, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_prompt_dtmf(nullptr, 8000, &bad.p), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_prompt_tone(nullptr, 8000, &bad.p), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_call_progress(IVRM_DIAL_US, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(bad.p, nullptr);
}

TEST(CApiPrompt, LoadMatchesTheCxxApiAndErrorsNameTheFile) {
  const fs::path ul = write_ulaw("menu.ul", 1600);
  PromptRef p;
  char why[256] = "stale";
  ASSERT_EQ(ivrm_prompt_load(ul.c_str(), 16000, 60, &p.p, why, sizeof why), IVRM_OK);
  EXPECT_STREQ(why, "");
  std::shared_ptr<const mix::Prompt> ref;
  ASSERT_EQ(mix::load_prompt(ul.string(), {.sample_rate_hz = 16000, .max_seconds = 60}, &ref),
            ivrmedia::Status::ok);
  EXPECT_EQ(samples_of(p.p), samples_of(ref));

  const std::string missing = (temp_dir() / "no_such_prompt.wav").string();
  PromptRef q;
  EXPECT_EQ(ivrm_prompt_load(missing.c_str(), 8000, 60, &q.p, why, sizeof why),
            IVRM_ERR_UNSUPPORTED);
  EXPECT_EQ(q.p, nullptr);
  EXPECT_NE(std::string(why).find("no_such_prompt.wav"), std::string::npos) << why;
  // Too long: IVRM_ERR_RANGE; a bad rate: IVRM_ERR_CONFIG; both explained.
  EXPECT_EQ(ivrm_prompt_load(ul.c_str(), 8000, 0.1, &q.p, why, sizeof why), IVRM_ERR_RANGE);
  EXPECT_NE(std::string(why).find("menu.ul"), std::string::npos) << why;
  EXPECT_EQ(ivrm_prompt_load(ul.c_str(), 12345, 60, &q.p, why, sizeof why), IVRM_ERR_CONFIG);
  EXPECT_NE(std::string(why).find("menu.ul"), std::string::npos) << why;
  // A small buffer gets a terminated prefix; none at all is fine.
  char tiny[8];
  std::memset(tiny, 'x', sizeof tiny);
  EXPECT_EQ(ivrm_prompt_load(missing.c_str(), 8000, 60, &q.p, tiny, sizeof tiny),
            IVRM_ERR_UNSUPPORTED);
  EXPECT_EQ(std::strlen(tiny), sizeof tiny - 1);
  EXPECT_EQ(ivrm_prompt_load(missing.c_str(), 8000, 60, &q.p, nullptr, 0), IVRM_ERR_UNSUPPORTED);
  EXPECT_EQ(ivrm_prompt_load(missing.c_str(), 8000, 60, &q.p, tiny, 0), IVRM_ERR_UNSUPPORTED);
  EXPECT_EQ(ivrm_prompt_load(nullptr, 8000, 60, &q.p, why, sizeof why), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_prompt_load(ul.c_str(), 8000, 60, nullptr, why, sizeof why), IVRM_ERR_NULL);
  EXPECT_EQ(q.p, nullptr);
}

// Reference counting, observed through the cache: a cached prompt is evictable only when no
// handle (and no player) holds it.
TEST(CApiPrompt, RetainReleaseAndTheCache) {
  const fs::path ul = write_ulaw("welcome.ul", 800);
  ivrm_prompt_cache_config cc;
  ASSERT_EQ(ivrm_prompt_cache_config_init(&cc), IVRM_OK);
  EXPECT_EQ(cc.quality, IVRM_RESAMPLE_HIGH);
  EXPECT_EQ(cc.max_seconds, 1800);
  ivrm_prompt_cache* cache = nullptr;
  ASSERT_EQ(ivrm_prompt_cache_create(&cc, &cache), IVRM_OK);

  ivrm_prompt* a = nullptr;
  ivrm_prompt* b = nullptr;
  char why[128];
  ASSERT_EQ(ivrm_prompt_cache_get(cache, ul.c_str(), 8000, &a, why, sizeof why), IVRM_OK);
  ASSERT_EQ(ivrm_prompt_cache_get(cache, ul.c_str(), 8000, &b, why, sizeof why), IVRM_OK);
  ivrm_prompt_info ia{}, ib{};
  ia.struct_size = ib.struct_size = sizeof ia;
  ASSERT_EQ(ivrm_prompt_get_info(a, &ia), IVRM_OK);
  ASSERT_EQ(ivrm_prompt_get_info(b, &ib), IVRM_OK);
  EXPECT_EQ(ia.samples, ib.samples);  // one copy for everyone
  size_t n = 0;
  ASSERT_EQ(ivrm_prompt_cache_size(cache, &n), IVRM_OK);
  EXPECT_EQ(n, 1u);
  ASSERT_EQ(ivrm_prompt_cache_memory_bytes(cache, &n), IVRM_OK);
  EXPECT_EQ(n, ia.memory_bytes);

  ASSERT_EQ(ivrm_prompt_retain(a), IVRM_OK);  // a: 2 references
  ivrm_prompt_release(b);
  ivrm_prompt_release(a);  // a: 1 left
  ASSERT_EQ(ivrm_prompt_cache_evict_unused(cache, &n), IVRM_OK);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(ivrm_prompt_get_info(a, &ia), IVRM_OK);  // still alive

  // A player holds its own reference: the handle may go at once.
  ivrm_player_config pc;
  ASSERT_EQ(ivrm_player_config_init(&pc), IVRM_OK);
  ivrm_player* player = nullptr;
  ASSERT_EQ(ivrm_player_create(&pc, &player), IVRM_OK);
  ASSERT_EQ(ivrm_player_play(player, a, nullptr), IVRM_OK);
  ivrm_prompt_release(a);
  ASSERT_EQ(ivrm_prompt_cache_evict_unused(cache, &n), IVRM_OK);
  EXPECT_EQ(n, 0u);
  std::vector<float> out(400);
  ASSERT_EQ(ivrm_player_render_float(player, out.data(), out.size()), IVRM_OK);
  ivrm_player_destroy(player);
  ASSERT_EQ(ivrm_prompt_cache_evict_unused(cache, &n), IVRM_OK);
  EXPECT_EQ(n, 1u);
  ASSERT_EQ(ivrm_prompt_cache_size(cache, &n), IVRM_OK);
  EXPECT_EQ(n, 0u);

  // put; a failed get caches nothing and explains itself.
  ivrm_prompt* tone = nullptr;
  ivrm_tone_spec spec;
  ASSERT_EQ(ivrm_call_progress(IVRM_RINGBACK_EU, &spec), IVRM_OK);
  ASSERT_EQ(ivrm_prompt_tone(&spec, 8000, &tone), IVRM_OK);
  ASSERT_EQ(ivrm_prompt_cache_put(cache, "tone:ringback_eu", tone), IVRM_OK);
  ivrm_prompt_info it{};
  it.struct_size = sizeof it;
  ASSERT_EQ(ivrm_prompt_get_info(tone, &it), IVRM_OK);
  ivrm_prompt_release(tone);
  ASSERT_EQ(ivrm_prompt_cache_size(cache, &n), IVRM_OK);
  EXPECT_EQ(n, 1u);
  ivrm_prompt* again = nullptr;  // by its key, at its rate: the same samples
  ASSERT_EQ(ivrm_prompt_cache_get(cache, "tone:ringback_eu", 8000, &again, why, sizeof why),
            IVRM_OK);
  ivrm_prompt_info ig{};
  ig.struct_size = sizeof ig;
  ASSERT_EQ(ivrm_prompt_get_info(again, &ig), IVRM_OK);
  EXPECT_EQ(ig.samples, it.samples);
  ivrm_prompt_release(again);
  ivrm_prompt* missing = reinterpret_cast<ivrm_prompt*>(0x1);
  EXPECT_EQ(ivrm_prompt_cache_get(cache, "/nonexistent/x.wav", 8000, &missing, why, sizeof why),
            IVRM_ERR_UNSUPPORTED);
  EXPECT_EQ(missing, nullptr);
  EXPECT_NE(std::string(why).find("/nonexistent/x.wav"), std::string::npos);
  ASSERT_EQ(ivrm_prompt_cache_size(cache, &n), IVRM_OK);
  EXPECT_EQ(n, 1u);

  EXPECT_EQ(ivrm_prompt_retain(nullptr), IVRM_ERR_NULL);
  ivrm_prompt_release(nullptr);
  EXPECT_EQ(ivrm_prompt_cache_put(cache, nullptr, tone), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_prompt_cache_get(cache, nullptr, 8000, &missing, why, sizeof why), IVRM_ERR_NULL);
  cc.quality = 7;
  ivrm_prompt_cache* c2 = reinterpret_cast<ivrm_prompt_cache*>(0x1);
  EXPECT_EQ(ivrm_prompt_cache_create(&cc, &c2), IVRM_ERR_INVALID);
  EXPECT_EQ(c2, nullptr);
  ivrm_prompt_cache_destroy(cache);
}

// A playlist (a prompt, a looping one with gain and fades), a gain change and a stop: the C
// player's samples and events are the C++ player's, in float, int16 and render_add.
TEST(CApiPlayer, PlaylistAndStopMatchTheCxxPlayer) {
  auto menu =
      mix::Prompt::from_samples(std::span<const float>(sine(300, 8000, 1200, 0.5)), 8000, 8000);
  auto music =
      mix::Prompt::from_samples(std::span<const float>(sine(523, 8000, 900, 0.3)), 8000, 8000);
  PromptRef cmenu, cmusic;
  ASSERT_EQ(ivrm_prompt_from_float(menu->samples().data(), menu->size(), 8000, 8000, &cmenu.p),
            IVRM_OK);
  ASSERT_EQ(ivrm_prompt_from_float(music->samples().data(), music->size(), 8000, 8000, &cmusic.p),
            IVRM_OK);

  ivrm_player_config pc;
  ASSERT_EQ(ivrm_player_config_init(&pc), IVRM_OK);
  pc.queue_capacity = 4;
  pc.stop_fade_ms = 15;
  ivrm_player* players[3] = {};
  for (auto*& p : players)
    ASSERT_EQ(ivrm_player_create(&pc, &p), IVRM_OK);
  mix::Player ref({.sample_rate_hz = 8000, .queue_capacity = 4, .stop_fade_ms = 15});

  ivrm_play_options first, second;
  ASSERT_EQ(ivrm_play_options_init(&first), IVRM_OK);
  ASSERT_EQ(ivrm_play_options_init(&second), IVRM_OK);
  first.id = 1;
  first.delay_samples = 37;
  second.id = 2;
  second.loops = 0;
  second.gain_db = -6;
  second.fade_in_ms = 30;
  second.start_sample = 100;
  for (auto* p : players) {
    ASSERT_EQ(ivrm_player_queue(p, cmenu.p, &first), IVRM_OK);
    ASSERT_EQ(ivrm_player_queue(p, cmusic.p, &second), IVRM_OK);
  }
  ASSERT_EQ(ref.queue(menu, {.delay_samples = 37, .id = 1}), ivrmedia::Status::ok);
  ASSERT_EQ(
      ref.queue(music, {.loops = 0, .gain_db = -6, .fade_in_ms = 30, .start_sample = 100, .id = 2}),
      ivrmedia::Status::ok);

  std::vector<float> want, got_f, got_add;
  std::vector<int16_t> got_s;
  std::vector<float> frame(160), cf(160), ca(160);
  std::vector<int16_t> cs(160);
  for (int f = 0; f < 40; ++f) {
    if (f == 20) {
      ref.set_gain_db(-3);
      for (auto* p : players)
        ASSERT_EQ(ivrm_player_set_gain_db(p, -3), IVRM_OK);
    }
    if (f == 30) {
      ref.stop();
      for (auto* p : players)
        ASSERT_EQ(ivrm_player_stop(p, -1), IVRM_OK);
    }
    ref.render(frame);
    want.insert(want.end(), frame.begin(), frame.end());
    ASSERT_EQ(ivrm_player_render_float(players[0], cf.data(), cf.size()), IVRM_OK);
    got_f.insert(got_f.end(), cf.begin(), cf.end());
    ASSERT_EQ(ivrm_player_render_int16(players[1], cs.data(), cs.size()), IVRM_OK);
    got_s.insert(got_s.end(), cs.begin(), cs.end());
    std::fill(ca.begin(), ca.end(), 0.25f);
    ASSERT_EQ(ivrm_player_render_add_float(players[2], ca.data(), ca.size()), IVRM_OK);
    for (float& v : ca)
      v -= 0.25f;
    got_add.insert(got_add.end(), ca.begin(), ca.end());
  }
  EXPECT_EQ(got_f, want);
  ASSERT_EQ(got_s.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    const long w = std::lround(std::clamp(want[i] * 32768.0f, -32768.0f, 32767.0f));
    ASSERT_LE(std::abs(got_s[i] - w), 1) << i;  // rounding of exact halves aside
  }
  for (std::size_t i = 0; i < want.size(); ++i)
    ASSERT_NEAR(got_add[i], want[i], 1e-6f) << i;

  // The events, field by field.
  mix::PlayerEvent ref_events[16];
  const std::size_t nref = ref.read_events(ref_events);
  ivrm_player_event events[16];
  size_t n = 0;
  ASSERT_EQ(ivrm_player_read_events(players[0], events, 16, &n), IVRM_OK);
  ASSERT_EQ(n, nref);
  ASSERT_GE(n, 4u);  // started, finished, started, interrupted
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(events[i].type, static_cast<int32_t>(ref_events[i].type)) << i;
    EXPECT_EQ(events[i].id, ref_events[i].id) << i;
    EXPECT_EQ(events[i].position, ref_events[i].position) << i;
    EXPECT_EQ(events[i].time, ref_events[i].time) << i;
    EXPECT_EQ(events[i].reason, static_cast<int32_t>(ref_events[i].reason)) << i;
  }
  EXPECT_EQ(events[n - 1].type, IVRM_PLAYER_INTERRUPTED);
  EXPECT_EQ(events[n - 1].reason, IVRM_STOP_STOPPED);

  ivrm_player_state st;
  st.struct_size = sizeof st;
  ASSERT_EQ(ivrm_player_get_state(players[0], &st), IVRM_OK);
  EXPECT_EQ(st.active, ref.active() ? 1 : 0);
  EXPECT_EQ(st.time, ref.time());
  EXPECT_EQ(st.queued, 0u);
  EXPECT_EQ(st.events_dropped, 0);
  for (auto* p : players)
    ivrm_player_destroy(p);
}

TEST(CApiPlayer, ControlCallsCheckTheirArguments) {
  ivrm_player_config pc;
  ASSERT_EQ(ivrm_player_config_init(&pc), IVRM_OK);
  EXPECT_EQ(pc.sample_rate_hz, 8000);
  EXPECT_EQ(pc.queue_capacity, 16u);
  EXPECT_EQ(pc.event_capacity, 64u);
  EXPECT_EQ(pc.barge_fade_ms, 20.0);
  ivrm_player* p = reinterpret_cast<ivrm_player*>(0x1);
  pc.queue_capacity = 0;
  EXPECT_EQ(ivrm_player_create(&pc, &p), IVRM_ERR_CONFIG);
  EXPECT_EQ(p, nullptr);
  ASSERT_EQ(ivrm_player_config_init(&pc), IVRM_OK);
  ASSERT_EQ(ivrm_player_create(&pc, &p), IVRM_OK);

  PromptRef wide, ok;
  ASSERT_EQ(ivrm_prompt_silence(0.1, 16000, &wide.p), IVRM_OK);
  ASSERT_EQ(ivrm_prompt_silence(0.1, 8000, &ok.p), IVRM_OK);
  EXPECT_EQ(ivrm_player_play(p, wide.p, nullptr), IVRM_ERR_INVALID);  // another rate
  ivrm_play_options o;
  ASSERT_EQ(ivrm_play_options_init(&o), IVRM_OK);
  EXPECT_EQ(o.loops, 1);
  EXPECT_EQ(o.interruptible, 1);
  o.interruptible = 2;
  EXPECT_EQ(ivrm_player_play(p, ok.p, &o), IVRM_ERR_INVALID);
  ASSERT_EQ(ivrm_play_options_init(&o), IVRM_OK);
  o.start_sample = 800;  // the prompt's size
  EXPECT_EQ(ivrm_player_play(p, ok.p, &o), IVRM_ERR_RANGE);
  ASSERT_EQ(ivrm_play_options_init(&o), IVRM_OK);
  o.gain_db = 25;
  EXPECT_EQ(ivrm_player_play(p, ok.p, &o), IVRM_ERR_INVALID);
  ASSERT_EQ(ivrm_play_options_init(&o), IVRM_OK);
  o.loops = -1;
  EXPECT_EQ(ivrm_player_queue(p, ok.p, &o), IVRM_ERR_INVALID);
  ASSERT_EQ(ivrm_play_options_init(&o), IVRM_OK);
  o.struct_size = 4;
  EXPECT_EQ(ivrm_player_play(p, ok.p, &o), IVRM_ERR_CONFIG);
  EXPECT_EQ(ivrm_player_play(p, nullptr, nullptr), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_player_seek(p, 10), IVRM_ERR_STATE);  // nothing plays
  EXPECT_EQ(ivrm_player_set_gain_db(p, 30), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_player_set_gain_db(p, NAN), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_player_stop(p, 2001), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_player_pause(p, NAN), IVRM_ERR_RANGE);
  int stopped = 7;
  EXPECT_EQ(ivrm_player_barge_in(p, IVRM_STOP_STOPPED, 0, &stopped), IVRM_ERR_INVALID);
  EXPECT_EQ(stopped, 0);
  ASSERT_EQ(ivrm_player_play(p, ok.p, nullptr), IVRM_OK);
  EXPECT_EQ(ivrm_player_seek(p, 100000), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_player_seek(p, 10), IVRM_OK);
  ASSERT_EQ(ivrm_player_barge_in(p, IVRM_STOP_BARGE_IN_DTMF, '5', &stopped), IVRM_OK);
  EXPECT_EQ(stopped, 1);
  std::vector<float> out(800);
  ASSERT_EQ(ivrm_player_render_float(p, out.data(), out.size()), IVRM_OK);
  ivrm_player_event ev[8];
  size_t n = 0;
  ASSERT_EQ(ivrm_player_read_events(p, ev, 8, &n), IVRM_OK);
  const ivrm_player_event* interrupted = nullptr;
  for (size_t i = 0; i < n; ++i)
    if (ev[i].type == IVRM_PLAYER_INTERRUPTED) interrupted = &ev[i];
  ASSERT_NE(interrupted, nullptr);
  EXPECT_EQ(interrupted->reason, IVRM_STOP_BARGE_IN_DTMF);
  EXPECT_EQ(interrupted->digit, '5');
  EXPECT_EQ(interrupted->reserved[0], 0);

  // Growable state: too small is refused with nothing written.
  ivrm_player_state st;
  std::memset(&st, 0x5A, sizeof st);
  st.struct_size = 8;
  EXPECT_EQ(ivrm_player_get_state(p, &st), IVRM_ERR_CONFIG);
  EXPECT_EQ(st.queued, 0x5A5A5A5Au);
  EXPECT_EQ(ivrm_player_collect(p), IVRM_OK);
  EXPECT_EQ(ivrm_player_reset(p), IVRM_OK);
  ivrm_player_destroy(p);
}

// Voice and key barge-in give the C++ detector's decisions, in float and int16.
TEST(CApiBargeIn, MatchesTheCxxDetector) {
  ivrm_barge_in_config bc;
  ASSERT_EQ(ivrm_barge_in_config_init(&bc), IVRM_OK);
  EXPECT_EQ(bc.threshold_dbfs, -32.0);
  EXPECT_EQ(bc.voice, 1);
  ivrm_barge_in *bf = nullptr, *bs = nullptr;
  ASSERT_EQ(ivrm_barge_in_create(&bc, &bf), IVRM_OK);
  ASSERT_EQ(ivrm_barge_in_create(&bc, &bs), IVRM_OK);
  mix::BargeIn ref;
  std::vector<float> caller(8000, 0.0f);
  const std::vector<float> speech = sine(250, 8000, 4000, 0.3);
  std::copy(speech.begin(), speech.end(), caller.begin() + 2000);
  std::vector<int16_t> caller16(caller.size());
  for (std::size_t i = 0; i < caller.size(); ++i)
    caller16[i] = static_cast<int16_t>(std::lround(caller[i] * 32768.0f));
  int fires = 0;
  for (std::size_t at = 0; at < caller.size(); at += 160) {
    mix::BargeIn::Event e;
    const bool want = ref.process(std::span<const float>(caller).subspan(at, 160), &e);
    int ff = 7, fs16 = 7;
    ivrm_barge_in_event ef{}, es{};
    ASSERT_EQ(ivrm_barge_in_process_float(bf, caller.data() + at, 160, &ff, &ef), IVRM_OK);
    ASSERT_EQ(ivrm_barge_in_process_int16(bs, caller16.data() + at, 160, &fs16, &es), IVRM_OK);
    ASSERT_EQ(ff, want ? 1 : 0) << at;
    ASSERT_EQ(fs16, ff) << at;
    if (want) {
      ++fires;
      EXPECT_EQ(ef.sample, e.sample);
      EXPECT_EQ(ef.reason, IVRM_STOP_BARGE_IN_VOICE);
      EXPECT_EQ(es.sample, e.sample);
    }
  }
  EXPECT_EQ(fires, 1);
  int speaking = 7;
  ASSERT_EQ(ivrm_barge_in_speaking(bf, &speaking), IVRM_OK);
  EXPECT_EQ(speaking, ref.speaking() ? 1 : 0);
  double floor_db = 0;
  ASSERT_EQ(ivrm_barge_in_noise_floor_dbfs(bf, &floor_db), IVRM_OK);
  EXPECT_EQ(floor_db, ref.noise_floor_dbfs());
  int fired = 0;
  ivrm_barge_in_event e{};
  ASSERT_EQ(ivrm_barge_in_key_down(bf, '#', &fired, &e), IVRM_OK);
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(e.reason, IVRM_STOP_BARGE_IN_DTMF);
  EXPECT_EQ(e.digit, '#');
  EXPECT_EQ(ivrm_barge_in_reset(bf), IVRM_OK);
  bc.dtmf = 2;
  ivrm_barge_in* bad = reinterpret_cast<ivrm_barge_in*>(0x1);
  EXPECT_EQ(ivrm_barge_in_create(&bc, &bad), IVRM_ERR_INVALID);
  EXPECT_EQ(bad, nullptr);
  ivrm_barge_in_destroy(bf);
  ivrm_barge_in_destroy(bs);
}

// Prompts over music with ducking: the C mixer is the C++ mixer, float and int16, and ducks.
TEST(CApiMixer, DuckedMixMatchesTheCxxMixer) {
  ivrm_mixer_config mc;
  ASSERT_EQ(ivrm_mixer_config_init(&mc), IVRM_OK);
  EXPECT_EQ(mc.duck_depth_db, 12.0f);
  EXPECT_EQ(mc.limiter_ceiling_dbfs, -1.0f);
  EXPECT_EQ(mc.duck_on_level, 1);
  mc.duck_depth_db = 18;
  mc.duck_hold_ms = 100;
  ivrm_mixer *mf = nullptr, *ms = nullptr;
  ASSERT_EQ(ivrm_mixer_create(&mc, &mf), IVRM_OK);
  ASSERT_EQ(ivrm_mixer_create(&mc, &ms), IVRM_OK);
  mix::Mixer::Config rc;
  rc.duck_depth_db = 18;
  rc.duck_hold_ms = 100;
  mix::Mixer ref(rc);

  const std::vector<float> music = sine(330, 8000, 16000, 0.6);
  const std::vector<float> voice = sine(700, 8000, 16000, 0.7);
  std::vector<float> want(160), got(160);
  std::vector<int16_t> want16(160), got16(160);
  mix::Mixer ref16(rc);
  for (std::size_t at = 0, f = 0; at + 160 <= music.size(); at += 160, ++f) {
    // The voice talks in frames 20-49 (and ends 37 samples into frame 50: a short source).
    const bool talking = f >= 20 && f <= 50;
    const std::size_t vlen = f == 50 ? 37 : (talking ? 160 : 0);
    const float* fg[2] = {voice.data() + at, nullptr};
    const size_t fg_counts[2] = {vlen, 0};
    const float* bg[1] = {music.data() + at};
    const std::span<const float> rfg[2] = {std::span<const float>(voice).subspan(at, vlen), {}};
    const std::span<const float> rbg[1] = {std::span<const float>(music).subspan(at, 160)};
    ASSERT_EQ(ref.process(rfg, rbg, std::span<float>(want)), ivrmedia::Status::ok);
    ASSERT_EQ(ref16.process(rfg, rbg, std::span<int16_t>(want16)), ivrmedia::Status::ok);
    ASSERT_EQ(ivrm_mixer_process_float(mf, fg, fg_counts, 2, bg, nullptr, 1, got.data(), 160),
              IVRM_OK);
    ASSERT_EQ(ivrm_mixer_process_int16(ms, fg, fg_counts, 2, bg, nullptr, 1, got16.data(), 160),
              IVRM_OK);
    ASSERT_EQ(got, want) << "frame " << f;
    ASSERT_EQ(got16, want16) << "frame " << f;
  }
  ivrm_mixer_stats st;
  st.struct_size = sizeof st;
  ASSERT_EQ(ivrm_mixer_get_stats(mf, &st), IVRM_OK);
  const mix::Mixer::Stats rs = ref.stats();
  EXPECT_EQ(st.samples, rs.samples);
  EXPECT_EQ(st.ducked_samples, rs.ducked_samples);
  EXPECT_GT(st.ducked_samples, 0);
  EXPECT_EQ(st.limited_samples, rs.limiter.limited_samples);
  EXPECT_EQ(st.latency_samples, ref.latency_samples());
  EXPECT_EQ(st.duck_gain_db, ref.duck_gain_db());

  // Forced ducking, then reset keeps the setting.
  ASSERT_EQ(ivrm_mixer_set_foreground_active(mf, 1), IVRM_OK);
  EXPECT_EQ(ivrm_mixer_set_foreground_active(mf, 2), IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_mixer_reset(mf), IVRM_OK);
  ivrm_mixer_destroy(mf);
  ivrm_mixer_destroy(ms);
}

TEST(CApiMixer, BadSourcesAreRefusedWithNothingWritten) {
  ivrm_mixer_config mc;
  ASSERT_EQ(ivrm_mixer_config_init(&mc), IVRM_OK);
  ivrm_mixer* m = nullptr;
  ASSERT_EQ(ivrm_mixer_create(&mc, &m), IVRM_OK);
  std::vector<float> src(200, 0.1f), out(160, 42.0f);
  const float* one[1] = {src.data()};
  const size_t too_long[1] = {161};
  const float* null_src[1] = {nullptr};
  const size_t some[1] = {10};
  const float* many[IVRM_MIXER_MAX_SOURCES + 1];
  for (auto& s : many)
    s = src.data();
  EXPECT_EQ(ivrm_mixer_process_float(m, one, too_long, 1, nullptr, nullptr, 0, out.data(), 160),
            IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_mixer_process_float(m, null_src, some, 1, nullptr, nullptr, 0, out.data(), 160),
            IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_mixer_process_float(m, nullptr, nullptr, 1, nullptr, nullptr, 0, out.data(), 160),
            IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_mixer_process_float(m, nullptr, nullptr, 0, many, nullptr,
                                     IVRM_MIXER_MAX_SOURCES + 1, out.data(), 160),
            IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_mixer_process_float(m, one, nullptr, 1, nullptr, nullptr, 0, nullptr, 160),
            IVRM_ERR_NULL);
  for (float v : out)
    ASSERT_EQ(v, 42.0f);
  // A NULL source of length 0 is an empty source; no sources at all is silence.
  EXPECT_EQ(ivrm_mixer_process_float(m, null_src, nullptr, 1, nullptr, nullptr, 0, out.data(), 0),
            IVRM_OK);
  EXPECT_EQ(ivrm_mixer_process_float(m, nullptr, nullptr, 0, nullptr, nullptr, 0, out.data(), 160),
            IVRM_OK);
  for (float v : out)
    ASSERT_EQ(v, 0.0f);
  ivrm_mixer_stats st;
  std::memset(&st, 0x5A, sizeof st);
  st.struct_size = 4;
  EXPECT_EQ(ivrm_mixer_get_stats(m, &st), IVRM_ERR_CONFIG);
  EXPECT_EQ(st.samples, 0x5A5A5A5A5A5A5A5A);
  mc.duck_on_level = 3;
  ivrm_mixer* bad = reinterpret_cast<ivrm_mixer*>(0x1);
  EXPECT_EQ(ivrm_mixer_create(&mc, &bad), IVRM_ERR_INVALID);
  ASSERT_EQ(ivrm_mixer_config_init(&mc), IVRM_OK);
  mc.duck_depth_db = 61;
  EXPECT_EQ(ivrm_mixer_create(&mc, &bad), IVRM_ERR_CONFIG);
  EXPECT_EQ(bad, nullptr);
  ivrm_mixer_destroy(m);
}

// Three legs with a whisper, N-1: the C conference is the C++ one, float and int16.
TEST(CApiConference, NMinusOneWithWhisperMatchesTheCxxMixer) {
  ivrm_conference_config cc;
  ASSERT_EQ(ivrm_conference_config_init(&cc), IVRM_OK);
  EXPECT_EQ(cc.max_legs, 32);
  cc.max_legs = 4;
  ivrm_conference *cf = nullptr, *cs = nullptr;
  ASSERT_EQ(ivrm_conference_create(&cc, &cf), IVRM_OK);
  ASSERT_EQ(ivrm_conference_create(&cc, &cs), IVRM_OK);
  mix::ConferenceMixer::Config rc;
  rc.max_legs = 4;
  mix::ConferenceMixer ref(rc), ref16(rc);
  int32_t latency = -1;
  ASSERT_EQ(ivrm_conference_latency_samples(cf, &latency), IVRM_OK);
  EXPECT_EQ(latency, ref.latency_samples());

  std::vector<std::vector<float>> talk = {sine(200, 8000, 8000, 0.5), sine(310, 8000, 8000, 0.5),
                                          sine(450, 8000, 8000, 0.5)};
  std::vector<std::vector<int16_t>> talk16(3, std::vector<int16_t>(8000));
  for (int k = 0; k < 3; ++k)
    for (std::size_t i = 0; i < 8000; ++i)
      talk16[k][i] = static_cast<int16_t>(std::lround(talk[k][i] * 20000));
  std::vector<std::vector<float>> want(3, std::vector<float>(160)), got = want;
  std::vector<std::vector<int16_t>> want16(3, std::vector<int16_t>(160)), got16 = want16;
  for (std::size_t at = 0, f = 0; at + 160 <= 8000; at += 160, ++f) {
    if (f == 10) {  // leg 2 (the supervisor) whispers to leg 1 (the agent); leg 0 a bit louder
      ASSERT_EQ(ref.set_talk(2, mix::ConferenceMixer::Talk::one_leg, 1), ivrmedia::Status::ok);
      ASSERT_EQ(ref16.set_talk(2, mix::ConferenceMixer::Talk::one_leg, 1), ivrmedia::Status::ok);
      ASSERT_EQ(ref.set_gain_db(0, 3), ivrmedia::Status::ok);
      ASSERT_EQ(ref16.set_gain_db(0, 3), ivrmedia::Status::ok);
      for (auto* c : {cf, cs}) {
        ASSERT_EQ(ivrm_conference_set_talk(c, 2, IVRM_TALK_ONE_LEG, 1), IVRM_OK);
        ASSERT_EQ(ivrm_conference_set_gain_db(c, 0, 3), IVRM_OK);
      }
    }
    // Leg 1 is silent (NULL) in frames 30-34.
    const bool mute1 = f >= 30 && f < 35;
    std::span<const float> rin[3];
    std::span<float> rout[3];
    std::span<const int16_t> rin16[3];
    std::span<int16_t> rout16[3];
    const float* in[3];
    float* out[3];
    const int16_t* in16[3];
    int16_t* out16[3];
    for (int k = 0; k < 3; ++k) {
      const bool silent = k == 1 && mute1;
      rin[k] = silent ? std::span<const float>() : std::span<const float>(talk[k]).subspan(at, 160);
      rin16[k] = silent ? std::span<const int16_t>()
                        : std::span<const int16_t>(talk16[k]).subspan(at, 160);
      rout[k] = want[k];
      rout16[k] = want16[k];
      in[k] = silent ? nullptr : talk[k].data() + at;
      in16[k] = silent ? nullptr : talk16[k].data() + at;
      out[k] = got[k].data();
      out16[k] = got16[k].data();
    }
    ASSERT_EQ(ref.process(rin, rout), ivrmedia::Status::ok);
    ASSERT_EQ(ref16.process(rin16, rout16), ivrmedia::Status::ok);
    ASSERT_EQ(ivrm_conference_process_float(cf, in, out, 3, 160), IVRM_OK);
    ASSERT_EQ(ivrm_conference_process_int16(cs, in16, out16, 3, 160), IVRM_OK);
    ASSERT_EQ(got, want) << "frame " << f;
    ASSERT_EQ(got16, want16) << "frame " << f;
  }
  // Each leg's limiter statistics are the C++ mixer's.
  for (int k = 0; k < 4; ++k) {
    ivrm_conference_leg_stats ls{};
    ls.struct_size = sizeof ls;
    ASSERT_EQ(ivrm_conference_get_leg_stats(cf, k, &ls), IVRM_OK);
    const auto* want_stats = ref.leg_limiter_stats(k);
    ASSERT_NE(want_stats, nullptr);
    EXPECT_EQ(ls.samples, want_stats->samples) << k;
    EXPECT_EQ(ls.limited_samples, want_stats->limited_samples) << k;
    EXPECT_EQ(ls.clamped, want_stats->clamped) << k;
    EXPECT_EQ(ls.limiter_min_gain, want_stats->min_gain) << k;
    EXPECT_EQ(ls.struct_size, sizeof ls);
  }
  ivrm_conference_leg_stats ls0{};
  ls0.struct_size = sizeof ls0;
  ASSERT_EQ(ivrm_conference_get_leg_stats(cf, 0, &ls0), IVRM_OK);
  EXPECT_GT(ls0.limited_samples, 0);  // three talkers at half scale: the limiter worked
  EXPECT_EQ(ivrm_conference_get_leg_stats(cf, 4, &ls0), IVRM_ERR_RANGE);
  // N-1: alone in a conference, a leg hears nothing of itself.
  ASSERT_EQ(ivrm_conference_reset(cf), IVRM_OK);
  const float* solo_in[1] = {talk[0].data()};
  float* solo_out[1] = {got[0].data()};
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(ivrm_conference_process_float(cf, solo_in, solo_out, 1, 160), IVRM_OK);
  for (float v : got[0])
    ASSERT_EQ(v, 0.0f);

  // Bad arguments, nothing written.
  std::fill(got[0].begin(), got[0].end(), 42.0f);
  const float* in5[5] = {};
  float* out5[5] = {got[0].data(), got[0].data(), got[0].data(), got[0].data(), got[0].data()};
  EXPECT_EQ(ivrm_conference_process_float(cf, in5, out5, 5, 160), IVRM_ERR_RANGE);
  float* null_out[1] = {nullptr};
  EXPECT_EQ(ivrm_conference_process_float(cf, in5, null_out, 1, 160), IVRM_ERR_NULL);
  EXPECT_EQ(ivrm_conference_process_float(cf, nullptr, out5, 1, 160), IVRM_ERR_NULL);
  for (float v : got[0])
    ASSERT_EQ(v, 42.0f);
  EXPECT_EQ(ivrm_conference_set_talk(cf, 4, IVRM_TALK_NOBODY, -1), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_conference_set_talk(cf, 0, 3, -1), IVRM_ERR_INVALID);
  EXPECT_EQ(ivrm_conference_set_talk(cf, 0, IVRM_TALK_ONE_LEG, 0), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_conference_set_gain_db(cf, 0, 25), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_conference_set_gain_db(cf, 0, NAN), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_conference_reset_leg(cf, -1), IVRM_ERR_RANGE);
  EXPECT_EQ(ivrm_conference_reset_leg(cf, 1), IVRM_OK);
  cc.max_legs = 0;
  ivrm_conference* bad = reinterpret_cast<ivrm_conference*>(0x1);
  EXPECT_EQ(ivrm_conference_create(&cc, &bad), IVRM_ERR_CONFIG);
  EXPECT_EQ(bad, nullptr);
  ivrm_conference_destroy(cf);
  ivrm_conference_destroy(cs);
}

// The whole per-channel path through the C API, counted: render, mix, barge-in, events and
// getters allocate nothing (nor do the control calls).
TEST(CApiMix, ProcessingAllocatesNothing) {
  PromptRef menu, music;
  ASSERT_EQ(ivrm_prompt_silence(0.05, 8000, &menu.p), IVRM_OK);
  ivrm_tone_spec spec;
  ASSERT_EQ(ivrm_call_progress(IVRM_RINGBACK_US, &spec), IVRM_OK);
  ASSERT_EQ(ivrm_prompt_tone(&spec, 8000, &music.p), IVRM_OK);
  ivrm_player_config pc;
  ASSERT_EQ(ivrm_player_config_init(&pc), IVRM_OK);
  ivrm_player *voice = nullptr, *hold = nullptr;
  ASSERT_EQ(ivrm_player_create(&pc, &voice), IVRM_OK);
  ASSERT_EQ(ivrm_player_create(&pc, &hold), IVRM_OK);
  ivrm_mixer_config mc;
  ASSERT_EQ(ivrm_mixer_config_init(&mc), IVRM_OK);
  ivrm_mixer* mixer = nullptr;
  ASSERT_EQ(ivrm_mixer_create(&mc, &mixer), IVRM_OK);
  ivrm_conference_config cc;
  ASSERT_EQ(ivrm_conference_config_init(&cc), IVRM_OK);
  ivrm_conference* conf = nullptr;
  ASSERT_EQ(ivrm_conference_create(&cc, &conf), IVRM_OK);
  ivrm_barge_in_config bc;
  ASSERT_EQ(ivrm_barge_in_config_init(&bc), IVRM_OK);
  ivrm_barge_in* barge = nullptr;
  ASSERT_EQ(ivrm_barge_in_create(&bc, &barge), IVRM_OK);
  ivrm_play_options loop;
  ASSERT_EQ(ivrm_play_options_init(&loop), IVRM_OK);
  loop.loops = 0;

  float vf[160], hf[160], mixed[160], in2[2][160] = {}, out2[2][160];
  int16_t pcm[160] = {};
  ivrm_player_event events[8];
  ivrm_barge_in_event be;
  ivrm_mixer_stats ms;
  ms.struct_size = sizeof ms;
  ivrm_player_state ps;
  ps.struct_size = sizeof ps;
  size_t n = 0;
  int fired = 0;
  {
    ivrm_test::AllocationScope scope;
    ASSERT_EQ(ivrm_player_play(hold, music.p, &loop), IVRM_OK);
    ASSERT_EQ(ivrm_player_queue(voice, menu.p, nullptr), IVRM_OK);
    ASSERT_EQ(ivrm_player_queue(voice, menu.p, nullptr), IVRM_OK);
    for (int f = 0; f < 50; ++f) {
      ASSERT_EQ(ivrm_player_render_float(voice, vf, 160), IVRM_OK);
      ASSERT_EQ(ivrm_player_render_float(hold, hf, 160), IVRM_OK);
      ASSERT_EQ(ivrm_player_render_add_float(voice, hf, 0), IVRM_OK);
      ASSERT_EQ(ivrm_player_render_int16(hold, pcm, 160), IVRM_OK);
      const float* fg[1] = {vf};
      const float* bg[1] = {hf};
      ASSERT_EQ(ivrm_mixer_process_float(mixer, fg, nullptr, 1, bg, nullptr, 1, mixed, 160),
                IVRM_OK);
      ASSERT_EQ(ivrm_mixer_process_int16(mixer, fg, nullptr, 1, bg, nullptr, 1, pcm, 160), IVRM_OK);
      ASSERT_EQ(ivrm_barge_in_process_int16(barge, pcm, 160, &fired, &be), IVRM_OK);
      ASSERT_EQ(ivrm_barge_in_process_float(barge, mixed, 160, &fired, &be), IVRM_OK);
      const float* ins[2] = {in2[0], mixed};
      float* outs[2] = {out2[0], out2[1]};
      ASSERT_EQ(ivrm_conference_process_float(conf, ins, outs, 2, 160), IVRM_OK);
      ASSERT_EQ(ivrm_player_read_events(voice, events, SIZE_MAX / sizeof(ivrm_player_event), &n),
                IVRM_OK);  // a claim far beyond the buffer: only what is queued is written
      ASSERT_EQ(ivrm_player_get_state(voice, &ps), IVRM_OK);
      ASSERT_EQ(ivrm_mixer_get_stats(mixer, &ms), IVRM_OK);
    }
    ASSERT_EQ(ivrm_player_set_gain_db(hold, -10), IVRM_OK);
    ASSERT_EQ(ivrm_barge_in_key_down(barge, '1', &fired, &be), IVRM_OK);
    ASSERT_EQ(ivrm_player_barge_in(hold, IVRM_STOP_BARGE_IN_DTMF, '1', &fired), IVRM_OK);
    ASSERT_EQ(ivrm_conference_set_talk(conf, 1, IVRM_TALK_NOBODY, -1), IVRM_OK);
    ASSERT_EQ(ivrm_mixer_set_foreground_active(mixer, 1), IVRM_OK);
    EXPECT_EQ(scope.count(), 0);
  }
  ivrm_barge_in_destroy(barge);
  ivrm_conference_destroy(conf);
  ivrm_mixer_destroy(mixer);
  ivrm_player_destroy(voice);
  ivrm_player_destroy(hold);
}

}  // namespace
