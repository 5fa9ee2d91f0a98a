// C API: prompts, prompt cache, player, barge-in, mixer and conference mixer over ivrmedia::mix.
// A thin layer: configs and options are translated and checked for what only C can get wrong
// (struct sizes, enum and 0/1 values, NULLs, sizes that would not fit the C++ spans); every
// range rule is the C++ constructor's or call's. A prompt handle is a reference count around
// one std::shared_ptr<const Prompt>, so players and the cache share the C++ prompt itself.
// Processing calls build their spans on the stack (or in arrays sized at creation) and forward:
// nothing after create allocates.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "capi/capi_support.hpp"
#include "ivrmedia/mixer.hpp"
#include "ivrmedia/player.hpp"
#include "ivrmedia/prompt.hpp"
#include "mix/mix_kernels.hpp"

using ivrmedia::capi::to_c;
namespace mix = ivrmedia::mix;
namespace resample = ivrmedia::resample;

struct ivrm_prompt {
  explicit ivrm_prompt(std::shared_ptr<const mix::Prompt> prompt) : p(std::move(prompt)) {}
  std::shared_ptr<const mix::Prompt> p;
  std::atomic<std::uint32_t> refs{1};
};

struct ivrm_prompt_cache {
  explicit ivrm_prompt_cache(const mix::PromptCache::Config& c) : cache(c) {}
  mix::PromptCache cache;
};

struct ivrm_player {
  explicit ivrm_player(const mix::Player::Config& c) : p(c) {}
  mix::Player p;
};

struct ivrm_barge_in {
  explicit ivrm_barge_in(const mix::BargeIn::Config& c) : b(c) {}
  mix::BargeIn b;
};

struct ivrm_mixer {
  explicit ivrm_mixer(const mix::Mixer::Config& c) : m(c) {}
  mix::Mixer m;
};

// The span arrays process() hands the C++ mixer, sized max_legs at creation.
struct ivrm_conference {
  explicit ivrm_conference(const mix::ConferenceMixer::Config& c)
      : m(c),
        in_f(static_cast<std::size_t>(c.max_legs)),
        out_f(static_cast<std::size_t>(c.max_legs)),
        in_s(static_cast<std::size_t>(c.max_legs)),
        out_s(static_cast<std::size_t>(c.max_legs)) {}
  mix::ConferenceMixer m;
  std::vector<std::span<const float>> in_f;
  std::vector<std::span<float>> out_f;
  std::vector<std::span<const std::int16_t>> in_s;
  std::vector<std::span<std::int16_t>> out_s;
};

// The C enums are the C++ ones.
static_assert(IVRM_STOP_NONE == static_cast<int>(mix::StopReason::none));
static_assert(IVRM_STOP_STOPPED == static_cast<int>(mix::StopReason::stopped));
static_assert(IVRM_STOP_REPLACED == static_cast<int>(mix::StopReason::replaced));
static_assert(IVRM_STOP_BARGE_IN_DTMF == static_cast<int>(mix::StopReason::barge_in_dtmf));
static_assert(IVRM_STOP_BARGE_IN_VOICE == static_cast<int>(mix::StopReason::barge_in_voice));
static_assert(IVRM_STOP_RESET == static_cast<int>(mix::StopReason::reset));
static_assert(IVRM_PLAYER_STARTED == static_cast<int>(mix::PlayerEvent::Type::started));
static_assert(IVRM_PLAYER_FINISHED == static_cast<int>(mix::PlayerEvent::Type::finished));
static_assert(IVRM_PLAYER_INTERRUPTED == static_cast<int>(mix::PlayerEvent::Type::interrupted));
static_assert(IVRM_PLAYER_LOOPED == static_cast<int>(mix::PlayerEvent::Type::looped));
static_assert(IVRM_RINGBACK_EU == static_cast<int>(mix::CallProgress::ringback_eu));
static_assert(IVRM_BUSY_EU == static_cast<int>(mix::CallProgress::busy_eu));
static_assert(IVRM_CONGESTION_EU == static_cast<int>(mix::CallProgress::congestion_eu));
static_assert(IVRM_DIAL_EU == static_cast<int>(mix::CallProgress::dial_eu));
static_assert(IVRM_RINGBACK_US == static_cast<int>(mix::CallProgress::ringback_us));
static_assert(IVRM_BUSY_US == static_cast<int>(mix::CallProgress::busy_us));
static_assert(IVRM_CONGESTION_US == static_cast<int>(mix::CallProgress::congestion_us));
static_assert(IVRM_DIAL_US == static_cast<int>(mix::CallProgress::dial_us));
static_assert(IVRM_TALK_EVERYONE == static_cast<int>(mix::ConferenceMixer::Talk::everyone));
static_assert(IVRM_TALK_NOBODY == static_cast<int>(mix::ConferenceMixer::Talk::nobody));
static_assert(IVRM_TALK_ONE_LEG == static_cast<int>(mix::ConferenceMixer::Talk::one_leg));
static_assert(IVRM_RESAMPLE_FAST == static_cast<int>(resample::Quality::fast));
static_assert(IVRM_RESAMPLE_STANDARD == static_cast<int>(resample::Quality::standard));
static_assert(IVRM_RESAMPLE_HIGH == static_cast<int>(resample::Quality::high));

namespace {

// Version 1 of each struct; later versions only append. None has tail padding, so a field
// appended later lies beyond this version's size (where read_config checks it is zero).
constexpr std::size_t kPromptInfoV1 = sizeof(ivrm_prompt_info);
constexpr std::size_t kToneSpecV1 = sizeof(ivrm_tone_spec);
constexpr std::size_t kCacheConfigV1 = sizeof(ivrm_prompt_cache_config);
constexpr std::size_t kPlayerConfigV1 = sizeof(ivrm_player_config);
constexpr std::size_t kPlayOptionsV1 = sizeof(ivrm_play_options);
constexpr std::size_t kPlayerStateV1 = sizeof(ivrm_player_state);
constexpr std::size_t kBargeInConfigV1 = sizeof(ivrm_barge_in_config);
constexpr std::size_t kMixerConfigV1 = sizeof(ivrm_mixer_config);
constexpr std::size_t kMixerStatsV1 = sizeof(ivrm_mixer_stats);
constexpr std::size_t kConferenceConfigV1 = sizeof(ivrm_conference_config);
constexpr std::size_t kLegStatsV1 = sizeof(ivrm_conference_leg_stats);
static_assert(kPromptInfoV1 == offsetof(ivrm_prompt_info, name) + sizeof(const char*));
static_assert(kToneSpecV1 == offsetof(ivrm_tone_spec, cadence_ms) + 8 * IVRM_TONE_MAX_CADENCE);
static_assert(kCacheConfigV1 == offsetof(ivrm_prompt_cache_config, max_seconds) + 8);
static_assert(kPlayerConfigV1 == offsetof(ivrm_player_config, gain_ramp_ms) + 8);
static_assert(kPlayOptionsV1 == offsetof(ivrm_play_options, delay_samples) + 8);
static_assert(kPlayerStateV1 == offsetof(ivrm_player_state, events_dropped) + 8);
static_assert(kBargeInConfigV1 == offsetof(ivrm_barge_in_config, dtmf) + 4);
static_assert(kMixerConfigV1 == offsetof(ivrm_mixer_config, limiter_release_ms) + 4);
static_assert(kMixerStatsV1 == offsetof(ivrm_mixer_stats, duck_gain_db) + 4);
static_assert(kConferenceConfigV1 == offsetof(ivrm_conference_config, limiter_release_ms) + 4);
static_assert(kLegStatsV1 == offsetof(ivrm_conference_leg_stats, clamped) + 8);
static_assert(sizeof(ivrm_player_event) == 32 && sizeof(ivrm_barge_in_event) == 16);

constexpr std::size_t kChunk = 256;  // stack chunk of the int16 conversions

bool is_flag(int32_t v) noexcept {
  return v == 0 || v == 1;
}

// Hands a new handle to the caller: *out = a prompt holding one reference.
ivrm_status hand_out(std::shared_ptr<const mix::Prompt> p, ivrm_prompt** out) {
  if (!p) return IVRM_ERR_INTERNAL;
  *out = new ivrm_prompt(std::move(p));
  return IVRM_OK;
}

// Starts a maker: clears *out; NULL out is IVRM_ERR_NULL.
template <typename Make>
ivrm_status make_prompt(ivrm_prompt** out, Make&& make) noexcept {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  return ivrmedia::capi::guarded([&] { return make(); });
}

void write_error(const std::string& why, char* buf, std::size_t size) noexcept {
  if (buf == nullptr || size == 0) return;
  const std::size_t n = std::min(why.size(), size - 1);
  std::memcpy(buf, why.data(), n);
  buf[n] = '\0';
}

void clear_error(char* buf, std::size_t size) noexcept {
  if (buf != nullptr && size != 0) buf[0] = '\0';
}

void limiter_to_c(const mix::Limiter::Config& l, float* ceiling, float* threshold, float* lookahead,
                  float* hold, float* release) noexcept {
  *ceiling = l.ceiling_dbfs;
  *threshold = l.threshold_dbfs;
  *lookahead = l.lookahead_ms;
  *hold = l.hold_ms;
  *release = l.release_ms;
}

mix::Limiter::Config limiter_to_cxx(int32_t rate, float ceiling, float threshold, float lookahead,
                                    float hold, float release) noexcept {
  mix::Limiter::Config l;
  l.sample_rate_hz = rate;
  l.ceiling_dbfs = ceiling;
  l.threshold_dbfs = threshold;
  l.lookahead_ms = lookahead;
  l.hold_ms = hold;
  l.release_ms = release;
  return l;
}

// The caller's options (NULL: the defaults) as the C++ ones.
ivrm_status to_cxx(const ivrm_play_options* opts, mix::PlayOptions& out) noexcept {
  ivrm_play_options o;
  ivrm_play_options_init(&o);
  if (opts != nullptr) {
    if (const ivrm_status s = ivrmedia::capi::read_config(opts, kPlayOptionsV1, o); s != IVRM_OK) {
      return s;
    }
  }
  if (!is_flag(o.interruptible)) return IVRM_ERR_INVALID;
  // Only where size_t is narrower than 64 bits: beyond any prompt's end.
  if (o.start_sample > SIZE_MAX) return IVRM_ERR_RANGE;
  if (o.delay_samples > SIZE_MAX) return IVRM_ERR_INVALID;
  out.loops = o.loops;
  out.gain_db = o.gain_db;
  out.fade_in_ms = o.fade_in_ms;
  out.fade_out_ms = o.fade_out_ms;
  out.start_sample = static_cast<std::size_t>(o.start_sample);
  out.delay_samples = static_cast<std::size_t>(o.delay_samples);
  out.interruptible = o.interruptible == 1;
  out.id = o.id;
  return IVRM_OK;
}

// fade_ms as the header says: < 0 the configured fade, else 0-2000 (NaN refused).
bool fade_ok(double fade_ms) noexcept {
  return fade_ms < 0 || (fade_ms >= 0 && fade_ms <= 2000.0);
}

ivrm_player_event event_to_c(const mix::PlayerEvent& e) noexcept {
  ivrm_player_event c{};
  c.position = e.position;
  c.time = e.time;
  c.id = e.id;
  c.type = static_cast<int32_t>(e.type);
  c.reason = static_cast<int32_t>(e.reason);
  c.digit = e.digit;
  return c;
}

ivrm_barge_in_event event_to_c(const mix::BargeIn::Event& e) noexcept {
  ivrm_barge_in_event c{};
  c.sample = e.sample;
  c.reason = static_cast<int32_t>(e.reason);
  c.digit = e.digit;
  return c;
}

// Up to IVRM_MIXER_MAX_SOURCES spans of one source group, on the caller's stack.
ivrm_status source_spans(const float* const* src, const size_t* counts, size_t n, size_t frame,
                         std::span<const float>* spans) noexcept {
  if (n > IVRM_MIXER_MAX_SOURCES) return IVRM_ERR_RANGE;
  if (n != 0 && src == nullptr) return IVRM_ERR_NULL;
  for (size_t i = 0; i < n; ++i) {
    const size_t len = counts != nullptr ? counts[i] : frame;
    if (len > frame) return IVRM_ERR_INVALID;
    if (len != 0 && src[i] == nullptr) return IVRM_ERR_NULL;
    spans[i] = std::span<const float>(src[i], len);
  }
  return IVRM_OK;
}

template <typename T>
ivrm_status mixer_process(ivrm_mixer* m, const float* const* fg, const size_t* fg_counts,
                          size_t fg_n, const float* const* bg, const size_t* bg_counts, size_t bg_n,
                          T* out, size_t frame) noexcept {
  if (m == nullptr || (frame != 0 && out == nullptr)) return IVRM_ERR_NULL;
  std::span<const float> f[IVRM_MIXER_MAX_SOURCES];
  std::span<const float> b[IVRM_MIXER_MAX_SOURCES];
  if (const ivrm_status s = source_spans(fg, fg_counts, fg_n, frame, f); s != IVRM_OK) return s;
  if (const ivrm_status s = source_spans(bg, bg_counts, bg_n, frame, b); s != IVRM_OK) return s;
  return to_c(m->m.process(std::span<const std::span<const float>>(f, fg_n),
                           std::span<const std::span<const float>>(b, bg_n),
                           std::span<T>(out, frame)));
}

template <typename T>
ivrm_status conference_process(ivrm_conference* c, const T* const* in, T* const* out, size_t legs,
                               size_t frame, std::vector<std::span<const T>>& ins,
                               std::vector<std::span<T>>& outs) noexcept {
  if (legs > ins.size()) return IVRM_ERR_RANGE;
  if (legs != 0 && (in == nullptr || out == nullptr)) return IVRM_ERR_NULL;
  for (size_t k = 0; k < legs; ++k) {
    if (frame != 0 && out[k] == nullptr) return IVRM_ERR_NULL;
    ins[k] = in[k] != nullptr ? std::span<const T>(in[k], frame) : std::span<const T>();
    outs[k] = std::span<T>(out[k], frame);
  }
  return to_c(c->m.process(std::span<const std::span<const T>>(ins.data(), legs),
                           std::span<const std::span<T>>(outs.data(), legs)));
}

}  // namespace

extern "C" {

// ---- prompts ---------------------------------------------------------------------------------

ivrm_status ivrm_prompt_load(const char* path, int32_t sample_rate_hz, double max_seconds,
                             ivrm_prompt** out, char* error_buf, size_t error_size) {
  clear_error(error_buf, error_size);
  if (path == nullptr) {
    if (out != nullptr) *out = nullptr;
    return IVRM_ERR_NULL;
  }
  return make_prompt(out, [&] {
    mix::LoadOptions o;
    o.sample_rate_hz = sample_rate_hz;
    o.max_seconds = max_seconds;
    std::shared_ptr<const mix::Prompt> p;
    std::string why;
    const ivrm_status s = to_c(mix::load_prompt(path, o, &p, &why));
    if (s != IVRM_OK) {
      write_error(why, error_buf, error_size);
      return s;
    }
    return hand_out(std::move(p), out);
  });
}

ivrm_status ivrm_prompt_from_float(const float* samples, size_t n, int32_t source_rate_hz,
                                   int32_t sample_rate_hz, ivrm_prompt** out) {
  if (samples == nullptr && n != 0) {
    if (out != nullptr) *out = nullptr;
    return IVRM_ERR_NULL;
  }
  return make_prompt(out, [&] {
    return hand_out(mix::Prompt::from_samples(std::span<const float>(samples, n), source_rate_hz,
                                              sample_rate_hz),
                    out);
  });
}

ivrm_status ivrm_prompt_from_int16(const int16_t* samples, size_t n, int32_t source_rate_hz,
                                   int32_t sample_rate_hz, ivrm_prompt** out) {
  if (samples == nullptr && n != 0) {
    if (out != nullptr) *out = nullptr;
    return IVRM_ERR_NULL;
  }
  return make_prompt(out, [&] {
    return hand_out(mix::Prompt::from_samples(std::span<const std::int16_t>(samples, n),
                                              source_rate_hz, sample_rate_hz),
                    out);
  });
}

ivrm_status ivrm_call_progress(int32_t which, ivrm_tone_spec* spec) {
  if (spec == nullptr) return IVRM_ERR_NULL;
  if (which < IVRM_RINGBACK_EU || which > IVRM_DIAL_US) return IVRM_ERR_INVALID;
  return ivrmedia::capi::guarded([&] {
    const mix::ToneSpec t = mix::call_progress(static_cast<mix::CallProgress>(which));
    if (t.cadence_ms.size() > IVRM_TONE_MAX_CADENCE) return IVRM_ERR_INTERNAL;
    ivrm_tone_spec c{};
    c.struct_size = sizeof c;
    c.cadence_count = static_cast<uint32_t>(t.cadence_ms.size());
    c.frequency1_hz = t.frequency1_hz;
    c.frequency2_hz = t.frequency2_hz;
    c.level_dbm0 = t.level_dbm0;
    c.seconds = t.seconds;
    std::copy(t.cadence_ms.begin(), t.cadence_ms.end(), c.cadence_ms);
    *spec = c;
    return IVRM_OK;
  });
}

ivrm_status ivrm_prompt_tone(const ivrm_tone_spec* spec, int32_t sample_rate_hz,
                             ivrm_prompt** out) {
  return make_prompt(out, [&] {
    ivrm_tone_spec c{};
    if (const ivrm_status s = ivrmedia::capi::read_config(spec, kToneSpecV1, c); s != IVRM_OK) {
      return s;
    }
    if (c.cadence_count > IVRM_TONE_MAX_CADENCE) return IVRM_ERR_CONFIG;
    mix::ToneSpec t;
    t.frequency1_hz = c.frequency1_hz;
    t.frequency2_hz = c.frequency2_hz;
    t.level_dbm0 = c.level_dbm0;
    t.seconds = c.seconds;
    t.cadence_ms.assign(c.cadence_ms, c.cadence_ms + c.cadence_count);
    return hand_out(mix::tone(t, sample_rate_hz), out);
  });
}

ivrm_status ivrm_prompt_dtmf(const char* digits, int32_t sample_rate_hz, ivrm_prompt** out) {
  if (digits == nullptr) {
    if (out != nullptr) *out = nullptr;
    return IVRM_ERR_NULL;
  }
  return make_prompt(out, [&] { return hand_out(mix::Prompt::dtmf(digits, sample_rate_hz), out); });
}

ivrm_status ivrm_prompt_silence(double seconds, int32_t sample_rate_hz, ivrm_prompt** out) {
  return make_prompt(out,
                     [&] { return hand_out(mix::Prompt::silence(seconds, sample_rate_hz), out); });
}

ivrm_status ivrm_prompt_comfort_noise(double seconds, double level_dbfs, int32_t sample_rate_hz,
                                      uint64_t seed, ivrm_prompt** out) {
  return make_prompt(out, [&] {
    return hand_out(mix::Prompt::comfort_noise(seconds, level_dbfs, sample_rate_hz, seed), out);
  });
}

ivrm_status ivrm_prompt_retain(ivrm_prompt* prompt) {
  if (prompt == nullptr) return IVRM_ERR_NULL;
  prompt->refs.fetch_add(1, std::memory_order_relaxed);
  return IVRM_OK;
}

void ivrm_prompt_release(ivrm_prompt* prompt) {
  if (prompt == nullptr) return;
  // acq_rel: every use of the prompt by other holders happens before the delete.
  if (prompt->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete prompt;
}

ivrm_status ivrm_prompt_get_info(const ivrm_prompt* prompt, ivrm_prompt_info* info) {
  if (prompt == nullptr || info == nullptr) return IVRM_ERR_NULL;
  const mix::Prompt& p = *prompt->p;
  ivrm_prompt_info c{};
  c.sample_rate_hz = p.sample_rate_hz();
  c.samples = p.samples().data();
  c.size = p.size();
  c.memory_bytes = p.memory_bytes();
  c.seconds = p.seconds();
  c.name = p.name().c_str();
  return ivrmedia::capi::write_output(c, info, kPromptInfoV1);
}

// ---- prompt cache ----------------------------------------------------------------------------

ivrm_status ivrm_prompt_cache_config_init_sized(ivrm_prompt_cache_config* cfg, size_t size) {
  const mix::PromptCache::Config d;
  ivrm_prompt_cache_config c{};  // this version's defaults
  c.quality = static_cast<int32_t>(d.quality);
  c.max_seconds = d.max_seconds;
  return ivrmedia::capi::init_config(cfg, size, kCacheConfigV1, c);
}

ivrm_status ivrm_prompt_cache_create(const ivrm_prompt_cache_config* cfg, ivrm_prompt_cache** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  ivrm_prompt_cache_config c;
  ivrm_prompt_cache_config_init(&c);
  if (const ivrm_status s = ivrmedia::capi::read_config(cfg, kCacheConfigV1, c); s != IVRM_OK) {
    return s;
  }
  if (c.quality < IVRM_RESAMPLE_FAST || c.quality > IVRM_RESAMPLE_HIGH) return IVRM_ERR_INVALID;
  if (!(c.max_seconds > 0)) return IVRM_ERR_CONFIG;
  return ivrmedia::capi::guarded([&] {
    mix::PromptCache::Config x;
    x.max_seconds = c.max_seconds;
    x.quality = static_cast<resample::Quality>(c.quality);
    *out = new ivrm_prompt_cache(x);
    return IVRM_OK;
  });
}

void ivrm_prompt_cache_destroy(ivrm_prompt_cache* cache) {
  delete cache;
}

ivrm_status ivrm_prompt_cache_get(ivrm_prompt_cache* cache, const char* path,
                                  int32_t sample_rate_hz, ivrm_prompt** out, char* error_buf,
                                  size_t error_size) {
  clear_error(error_buf, error_size);
  if (cache == nullptr || path == nullptr) {
    if (out != nullptr) *out = nullptr;
    return IVRM_ERR_NULL;
  }
  return make_prompt(out, [&] {
    std::shared_ptr<const mix::Prompt> p;
    std::string why;
    const ivrm_status s = to_c(cache->cache.get(path, sample_rate_hz, &p, &why));
    if (s != IVRM_OK) {
      write_error(why, error_buf, error_size);
      return s;
    }
    return hand_out(std::move(p), out);
  });
}

ivrm_status ivrm_prompt_cache_put(ivrm_prompt_cache* cache, const char* key,
                                  const ivrm_prompt* prompt) {
  if (cache == nullptr || key == nullptr || prompt == nullptr) return IVRM_ERR_NULL;
  return ivrmedia::capi::guarded([&] {
    cache->cache.put(key, prompt->p);
    return IVRM_OK;
  });
}

ivrm_status ivrm_prompt_cache_size(const ivrm_prompt_cache* cache, size_t* count) {
  if (count != nullptr) *count = 0;
  if (cache == nullptr || count == nullptr) return IVRM_ERR_NULL;
  *count = cache->cache.size();
  return IVRM_OK;
}

ivrm_status ivrm_prompt_cache_memory_bytes(const ivrm_prompt_cache* cache, size_t* bytes) {
  if (bytes != nullptr) *bytes = 0;
  if (cache == nullptr || bytes == nullptr) return IVRM_ERR_NULL;
  *bytes = cache->cache.memory_bytes();
  return IVRM_OK;
}

ivrm_status ivrm_prompt_cache_evict_unused(ivrm_prompt_cache* cache, size_t* evicted) {
  if (evicted != nullptr) *evicted = 0;
  if (cache == nullptr) return IVRM_ERR_NULL;
  const size_t n = cache->cache.evict_unused();
  if (evicted != nullptr) *evicted = n;
  return IVRM_OK;
}

// ---- player ----------------------------------------------------------------------------------

ivrm_status ivrm_player_config_init_sized(ivrm_player_config* cfg, size_t size) {
  const mix::Player::Config d;
  ivrm_player_config c{};  // this version's defaults
  c.sample_rate_hz = d.sample_rate_hz;
  c.queue_capacity = static_cast<uint32_t>(d.queue_capacity);
  c.event_capacity = static_cast<uint32_t>(d.event_capacity);
  c.declick_ms = d.declick_ms;
  c.stop_fade_ms = d.stop_fade_ms;
  c.barge_fade_ms = d.barge_fade_ms;
  c.gain_ramp_ms = d.gain_ramp_ms;
  return ivrmedia::capi::init_config(cfg, size, kPlayerConfigV1, c);
}

ivrm_status ivrm_play_options_init_sized(ivrm_play_options* opts, size_t size) {
  const mix::PlayOptions d;
  ivrm_play_options c{};  // this version's defaults
  c.loops = d.loops;
  c.id = d.id;
  c.interruptible = d.interruptible ? 1 : 0;
  c.gain_db = d.gain_db;
  c.fade_in_ms = d.fade_in_ms;
  c.fade_out_ms = d.fade_out_ms;
  c.start_sample = d.start_sample;
  c.delay_samples = d.delay_samples;
  return ivrmedia::capi::init_config(opts, size, kPlayOptionsV1, c);
}

ivrm_status ivrm_player_create(const ivrm_player_config* cfg, ivrm_player** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  ivrm_player_config c;
  ivrm_player_config_init(&c);
  if (const ivrm_status s = ivrmedia::capi::read_config(cfg, kPlayerConfigV1, c); s != IVRM_OK) {
    return s;
  }
  return ivrmedia::capi::guarded([&] {
    mix::Player::Config x;
    x.sample_rate_hz = c.sample_rate_hz;
    x.queue_capacity = c.queue_capacity;
    x.event_capacity = c.event_capacity;
    x.declick_ms = c.declick_ms;
    x.stop_fade_ms = c.stop_fade_ms;
    x.barge_fade_ms = c.barge_fade_ms;
    x.gain_ramp_ms = c.gain_ramp_ms;
    *out = new ivrm_player(x);
    return IVRM_OK;
  });
}

void ivrm_player_destroy(ivrm_player* player) {
  delete player;
}

ivrm_status ivrm_player_play(ivrm_player* player, const ivrm_prompt* prompt,
                             const ivrm_play_options* opts) {
  if (player == nullptr || prompt == nullptr) return IVRM_ERR_NULL;
  mix::PlayOptions o;
  if (const ivrm_status s = to_cxx(opts, o); s != IVRM_OK) return s;
  return to_c(player->p.play(prompt->p, o));
}

ivrm_status ivrm_player_queue(ivrm_player* player, const ivrm_prompt* prompt,
                              const ivrm_play_options* opts) {
  if (player == nullptr || prompt == nullptr) return IVRM_ERR_NULL;
  mix::PlayOptions o;
  if (const ivrm_status s = to_cxx(opts, o); s != IVRM_OK) return s;
  return to_c(player->p.queue(prompt->p, o));
}

ivrm_status ivrm_player_stop(ivrm_player* player, double fade_ms) {
  if (player == nullptr) return IVRM_ERR_NULL;
  if (!fade_ok(fade_ms)) return IVRM_ERR_RANGE;
  player->p.stop(fade_ms);
  return IVRM_OK;
}

ivrm_status ivrm_player_pause(ivrm_player* player, double fade_ms) {
  if (player == nullptr) return IVRM_ERR_NULL;
  if (!fade_ok(fade_ms)) return IVRM_ERR_RANGE;
  player->p.pause(fade_ms);
  return IVRM_OK;
}

ivrm_status ivrm_player_resume(ivrm_player* player, double fade_ms) {
  if (player == nullptr) return IVRM_ERR_NULL;
  if (!fade_ok(fade_ms)) return IVRM_ERR_RANGE;
  player->p.resume(fade_ms);
  return IVRM_OK;
}

ivrm_status ivrm_player_seek(ivrm_player* player, uint64_t sample) {
  if (player == nullptr) return IVRM_ERR_NULL;
  if (sample > SIZE_MAX) return IVRM_ERR_RANGE;
  return to_c(player->p.seek(static_cast<std::size_t>(sample)));
}

ivrm_status ivrm_player_set_gain_db(ivrm_player* player, double gain_db) {
  if (player == nullptr) return IVRM_ERR_NULL;
  if (!(gain_db >= -96.0 && gain_db <= 24.0)) return IVRM_ERR_RANGE;
  player->p.set_gain_db(gain_db);
  return IVRM_OK;
}

ivrm_status ivrm_player_barge_in(ivrm_player* player, int32_t reason, char digit, int* stopped) {
  if (stopped != nullptr) *stopped = 0;
  if (player == nullptr) return IVRM_ERR_NULL;
  if (reason != IVRM_STOP_BARGE_IN_DTMF && reason != IVRM_STOP_BARGE_IN_VOICE) {
    return IVRM_ERR_INVALID;
  }
  const bool s = player->p.barge_in(static_cast<mix::StopReason>(reason), digit);
  if (stopped != nullptr) *stopped = s ? 1 : 0;
  return IVRM_OK;
}

ivrm_status ivrm_player_render_float(ivrm_player* player, float* out, size_t n) {
  if (player == nullptr || (n != 0 && out == nullptr)) return IVRM_ERR_NULL;
  player->p.render(std::span<float>(out, n));
  return IVRM_OK;
}

ivrm_status ivrm_player_render_add_float(ivrm_player* player, float* out, size_t n) {
  if (player == nullptr || (n != 0 && out == nullptr)) return IVRM_ERR_NULL;
  player->p.render_add(std::span<float>(out, n));
  return IVRM_OK;
}

ivrm_status ivrm_player_render_int16(ivrm_player* player, int16_t* out, size_t n) {
  if (player == nullptr || (n != 0 && out == nullptr)) return IVRM_ERR_NULL;
  // Rendering does not depend on how it is cut into frames, so stack chunks give the same samples.
  float chunk[kChunk];
  for (size_t done = 0; done < n;) {
    const size_t k = std::min(kChunk, n - done);
    player->p.render(std::span<float>(chunk, k));
    mix::float_to_s16_block(chunk, out + done, k);
    done += k;
  }
  return IVRM_OK;
}

ivrm_status ivrm_player_read_events(ivrm_player* player, ivrm_player_event* events, size_t capacity,
                                    size_t* count) {
  if (count != nullptr) *count = 0;
  if (player == nullptr || count == nullptr || (capacity != 0 && events == nullptr)) {
    return IVRM_ERR_NULL;
  }
  mix::PlayerEvent chunk[16];
  size_t done = 0;
  while (done < capacity) {
    const size_t want = std::min<size_t>(capacity - done, 16);
    const size_t got = player->p.read_events(std::span<mix::PlayerEvent>(chunk, want));
    for (size_t i = 0; i < got; ++i)
      events[done + i] = event_to_c(chunk[i]);
    done += got;
    if (got < want) break;
  }
  *count = done;
  return IVRM_OK;
}

ivrm_status ivrm_player_get_state(const ivrm_player* player, ivrm_player_state* state) {
  if (player == nullptr || state == nullptr) return IVRM_ERR_NULL;
  ivrm_player_state c{};
  c.active = player->p.active() ? 1 : 0;
  c.paused = player->p.paused() ? 1 : 0;
  c.queued = static_cast<uint32_t>(player->p.queued());
  c.position = player->p.position();
  c.time = player->p.time();
  c.events_dropped = player->p.events_dropped();
  return ivrmedia::capi::write_output(c, state, kPlayerStateV1);
}

ivrm_status ivrm_player_collect(ivrm_player* player) {
  if (player == nullptr) return IVRM_ERR_NULL;
  player->p.collect();
  return IVRM_OK;
}

ivrm_status ivrm_player_reset(ivrm_player* player) {
  if (player == nullptr) return IVRM_ERR_NULL;
  player->p.reset();
  return IVRM_OK;
}

// ---- barge-in --------------------------------------------------------------------------------

ivrm_status ivrm_barge_in_config_init_sized(ivrm_barge_in_config* cfg, size_t size) {
  const mix::BargeIn::Config d;
  ivrm_barge_in_config c{};  // this version's defaults
  c.sample_rate_hz = d.sample_rate_hz;
  c.threshold_dbfs = d.threshold_dbfs;
  c.noise_margin_db = d.noise_margin_db;
  c.min_speech_ms = d.min_speech_ms;
  c.hangover_ms = d.hangover_ms;
  c.voice = d.voice ? 1 : 0;
  c.dtmf = d.dtmf ? 1 : 0;
  return ivrmedia::capi::init_config(cfg, size, kBargeInConfigV1, c);
}

ivrm_status ivrm_barge_in_create(const ivrm_barge_in_config* cfg, ivrm_barge_in** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  ivrm_barge_in_config c;
  ivrm_barge_in_config_init(&c);
  if (const ivrm_status s = ivrmedia::capi::read_config(cfg, kBargeInConfigV1, c); s != IVRM_OK) {
    return s;
  }
  if (!is_flag(c.voice) || !is_flag(c.dtmf)) return IVRM_ERR_INVALID;
  return ivrmedia::capi::guarded([&] {
    mix::BargeIn::Config x;
    x.sample_rate_hz = c.sample_rate_hz;
    x.threshold_dbfs = c.threshold_dbfs;
    x.noise_margin_db = c.noise_margin_db;
    x.min_speech_ms = c.min_speech_ms;
    x.hangover_ms = c.hangover_ms;
    x.voice = c.voice == 1;
    x.dtmf = c.dtmf == 1;
    *out = new ivrm_barge_in(x);
    return IVRM_OK;
  });
}

void ivrm_barge_in_destroy(ivrm_barge_in* b) {
  delete b;
}

ivrm_status ivrm_barge_in_process_float(ivrm_barge_in* b, const float* caller, size_t n, int* fired,
                                        ivrm_barge_in_event* event) {
  if (fired != nullptr) *fired = 0;
  if (b == nullptr || fired == nullptr || (n != 0 && caller == nullptr)) return IVRM_ERR_NULL;
  mix::BargeIn::Event e;
  if (b->b.process(std::span<const float>(caller, n), &e)) {
    *fired = 1;
    if (event != nullptr) *event = event_to_c(e);
  }
  return IVRM_OK;
}

ivrm_status ivrm_barge_in_process_int16(ivrm_barge_in* b, const int16_t* caller, size_t n,
                                        int* fired, ivrm_barge_in_event* event) {
  if (fired != nullptr) *fired = 0;
  if (b == nullptr || fired == nullptr || (n != 0 && caller == nullptr)) return IVRM_ERR_NULL;
  // Stack chunks; the detector streams, so only the first onset is kept as one call would.
  float chunk[kChunk];
  for (size_t done = 0; done < n;) {
    const size_t k = std::min(kChunk, n - done);
    mix::s16_to_float_block(caller + done, chunk, k);
    mix::BargeIn::Event e;
    if (b->b.process(std::span<const float>(chunk, k), &e) && *fired == 0) {
      *fired = 1;
      if (event != nullptr) *event = event_to_c(e);
    }
    done += k;
  }
  return IVRM_OK;
}

ivrm_status ivrm_barge_in_key_down(ivrm_barge_in* b, char digit, int* fired,
                                   ivrm_barge_in_event* event) {
  if (fired != nullptr) *fired = 0;
  if (b == nullptr || fired == nullptr) return IVRM_ERR_NULL;
  mix::BargeIn::Event e;
  if (b->b.key_down(digit, &e)) {
    *fired = 1;
    if (event != nullptr) *event = event_to_c(e);
  }
  return IVRM_OK;
}

ivrm_status ivrm_barge_in_speaking(const ivrm_barge_in* b, int* speaking) {
  if (speaking != nullptr) *speaking = 0;
  if (b == nullptr || speaking == nullptr) return IVRM_ERR_NULL;
  *speaking = b->b.speaking() ? 1 : 0;
  return IVRM_OK;
}

ivrm_status ivrm_barge_in_noise_floor_dbfs(const ivrm_barge_in* b, double* dbfs) {
  if (dbfs != nullptr) *dbfs = 0;
  if (b == nullptr || dbfs == nullptr) return IVRM_ERR_NULL;
  *dbfs = b->b.noise_floor_dbfs();
  return IVRM_OK;
}

ivrm_status ivrm_barge_in_reset(ivrm_barge_in* b) {
  if (b == nullptr) return IVRM_ERR_NULL;
  b->b.reset();
  return IVRM_OK;
}

// ---- mixer -----------------------------------------------------------------------------------

ivrm_status ivrm_mixer_config_init_sized(ivrm_mixer_config* cfg, size_t size) {
  const mix::Mixer::Config d;
  ivrm_mixer_config c{};  // this version's defaults
  c.sample_rate_hz = d.sample_rate_hz;
  c.duck_depth_db = d.duck_depth_db;
  c.duck_threshold_dbfs = d.duck_threshold_dbfs;
  c.duck_on_level = d.duck_on_level ? 1 : 0;
  c.duck_attack_ms = d.duck_attack_ms;
  c.duck_hold_ms = d.duck_hold_ms;
  c.duck_release_ms = d.duck_release_ms;
  limiter_to_c(d.limiter, &c.limiter_ceiling_dbfs, &c.limiter_threshold_dbfs,
               &c.limiter_lookahead_ms, &c.limiter_hold_ms, &c.limiter_release_ms);
  return ivrmedia::capi::init_config(cfg, size, kMixerConfigV1, c);
}

ivrm_status ivrm_mixer_create(const ivrm_mixer_config* cfg, ivrm_mixer** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  ivrm_mixer_config c;
  ivrm_mixer_config_init(&c);
  if (const ivrm_status s = ivrmedia::capi::read_config(cfg, kMixerConfigV1, c); s != IVRM_OK) {
    return s;
  }
  if (!is_flag(c.duck_on_level)) return IVRM_ERR_INVALID;
  return ivrmedia::capi::guarded([&] {
    mix::Mixer::Config x;
    x.sample_rate_hz = c.sample_rate_hz;
    x.duck_depth_db = c.duck_depth_db;
    x.duck_threshold_dbfs = c.duck_threshold_dbfs;
    x.duck_on_level = c.duck_on_level == 1;
    x.duck_attack_ms = c.duck_attack_ms;
    x.duck_hold_ms = c.duck_hold_ms;
    x.duck_release_ms = c.duck_release_ms;
    x.limiter = limiter_to_cxx(c.sample_rate_hz, c.limiter_ceiling_dbfs, c.limiter_threshold_dbfs,
                               c.limiter_lookahead_ms, c.limiter_hold_ms, c.limiter_release_ms);
    *out = new ivrm_mixer(x);
    return IVRM_OK;
  });
}

void ivrm_mixer_destroy(ivrm_mixer* mixer) {
  delete mixer;
}

ivrm_status ivrm_mixer_reset(ivrm_mixer* mixer) {
  if (mixer == nullptr) return IVRM_ERR_NULL;
  mixer->m.reset();
  return IVRM_OK;
}

ivrm_status ivrm_mixer_process_float(ivrm_mixer* mixer, const float* const* fg,
                                     const size_t* fg_counts, size_t fg_n, const float* const* bg,
                                     const size_t* bg_counts, size_t bg_n, float* out,
                                     size_t frame) {
  return mixer_process(mixer, fg, fg_counts, fg_n, bg, bg_counts, bg_n, out, frame);
}

ivrm_status ivrm_mixer_process_int16(ivrm_mixer* mixer, const float* const* fg,
                                     const size_t* fg_counts, size_t fg_n, const float* const* bg,
                                     const size_t* bg_counts, size_t bg_n, int16_t* out,
                                     size_t frame) {
  return mixer_process(mixer, fg, fg_counts, fg_n, bg, bg_counts, bg_n, out, frame);
}

ivrm_status ivrm_mixer_set_foreground_active(ivrm_mixer* mixer, int active) {
  if (mixer == nullptr) return IVRM_ERR_NULL;
  if (active != 0 && active != 1) return IVRM_ERR_INVALID;
  mixer->m.set_foreground_active(active == 1);
  return IVRM_OK;
}

ivrm_status ivrm_mixer_get_stats(const ivrm_mixer* mixer, ivrm_mixer_stats* stats) {
  if (mixer == nullptr || stats == nullptr) return IVRM_ERR_NULL;
  const mix::Mixer::Stats in = mixer->m.stats();
  ivrm_mixer_stats s{};
  s.latency_samples = mixer->m.latency_samples();
  s.samples = in.samples;
  s.ducked_samples = in.ducked_samples;
  s.limited_samples = in.limiter.limited_samples;
  s.clamped = in.limiter.clamped;
  s.limiter_min_gain = in.limiter.min_gain;
  s.duck_gain_db = mixer->m.duck_gain_db();
  return ivrmedia::capi::write_output(s, stats, kMixerStatsV1);
}

// ---- conference ------------------------------------------------------------------------------

ivrm_status ivrm_conference_config_init_sized(ivrm_conference_config* cfg, size_t size) {
  const mix::ConferenceMixer::Config d;
  ivrm_conference_config c{};  // this version's defaults
  c.sample_rate_hz = d.sample_rate_hz;
  c.max_legs = d.max_legs;
  c.gain_ramp_ms = d.gain_ramp_ms;
  limiter_to_c(d.limiter, &c.limiter_ceiling_dbfs, &c.limiter_threshold_dbfs,
               &c.limiter_lookahead_ms, &c.limiter_hold_ms, &c.limiter_release_ms);
  return ivrmedia::capi::init_config(cfg, size, kConferenceConfigV1, c);
}

ivrm_status ivrm_conference_create(const ivrm_conference_config* cfg, ivrm_conference** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  ivrm_conference_config c;
  ivrm_conference_config_init(&c);
  if (const ivrm_status s = ivrmedia::capi::read_config(cfg, kConferenceConfigV1, c);
      s != IVRM_OK) {
    return s;
  }
  return ivrmedia::capi::guarded([&] {
    mix::ConferenceMixer::Config x;
    x.sample_rate_hz = c.sample_rate_hz;
    x.max_legs = c.max_legs;
    x.gain_ramp_ms = c.gain_ramp_ms;
    x.limiter = limiter_to_cxx(c.sample_rate_hz, c.limiter_ceiling_dbfs, c.limiter_threshold_dbfs,
                               c.limiter_lookahead_ms, c.limiter_hold_ms, c.limiter_release_ms);
    // The C++ constructor checks max_legs before the span arrays below are sized from it.
    *out = new ivrm_conference(x);
    return IVRM_OK;
  });
}

void ivrm_conference_destroy(ivrm_conference* conf) {
  delete conf;
}

ivrm_status ivrm_conference_process_float(ivrm_conference* conf, const float* const* in,
                                          float* const* out, size_t legs, size_t frame) {
  if (conf == nullptr) return IVRM_ERR_NULL;
  return conference_process(conf, in, out, legs, frame, conf->in_f, conf->out_f);
}

ivrm_status ivrm_conference_process_int16(ivrm_conference* conf, const int16_t* const* in,
                                          int16_t* const* out, size_t legs, size_t frame) {
  if (conf == nullptr) return IVRM_ERR_NULL;
  return conference_process(conf, in, out, legs, frame, conf->in_s, conf->out_s);
}

ivrm_status ivrm_conference_set_talk(ivrm_conference* conf, int32_t leg, int32_t mode,
                                     int32_t target_leg) {
  if (conf == nullptr) return IVRM_ERR_NULL;
  if (mode < IVRM_TALK_EVERYONE || mode > IVRM_TALK_ONE_LEG) return IVRM_ERR_INVALID;
  return to_c(conf->m.set_talk(leg, static_cast<mix::ConferenceMixer::Talk>(mode), target_leg));
}

ivrm_status ivrm_conference_set_gain_db(ivrm_conference* conf, int32_t leg, float gain_db) {
  if (conf == nullptr) return IVRM_ERR_NULL;
  return to_c(conf->m.set_gain_db(leg, gain_db));
}

ivrm_status ivrm_conference_reset_leg(ivrm_conference* conf, int32_t leg) {
  if (conf == nullptr) return IVRM_ERR_NULL;
  return to_c(conf->m.reset_leg(leg));
}

ivrm_status ivrm_conference_reset(ivrm_conference* conf) {
  if (conf == nullptr) return IVRM_ERR_NULL;
  conf->m.reset();
  return IVRM_OK;
}

ivrm_status ivrm_conference_latency_samples(const ivrm_conference* conf, int32_t* samples) {
  if (samples != nullptr) *samples = 0;
  if (conf == nullptr || samples == nullptr) return IVRM_ERR_NULL;
  *samples = conf->m.latency_samples();
  return IVRM_OK;
}

ivrm_status ivrm_conference_get_leg_stats(const ivrm_conference* conf, int32_t leg,
                                          ivrm_conference_leg_stats* stats) {
  if (conf == nullptr || stats == nullptr) return IVRM_ERR_NULL;
  const mix::Limiter::Stats* in = conf->m.leg_limiter_stats(leg);
  if (in == nullptr) return IVRM_ERR_RANGE;
  ivrm_conference_leg_stats s{};
  s.limiter_min_gain = in->min_gain;
  s.samples = in->samples;
  s.limited_samples = in->limited_samples;
  s.clamped = in->clamped;
  return ivrmedia::capi::write_output(s, stats, kLegStatsV1);
}

}  // extern "C"
