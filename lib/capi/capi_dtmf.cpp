// C API: DTMF detector and generator handles over ivrmedia::dtmf.
#include <cstddef>
#include <cstring>
#include <new>
#include <span>

#include "capi/capi_support.hpp"
#include "ivrmedia/dtmf.hpp"

using ivrmedia::capi::to_c;
namespace dtmf = ivrmedia::dtmf;

// The detector's working memory follows the handle in the same block (no other allocation).
struct ivrm_dtmf_detector {
  ivrm_dtmf_detector(const dtmf::Detector::Config& c, std::span<std::byte> workspace)
      : det(c, workspace) {}
  dtmf::Detector det;
  bool owns_memory = false;
};

struct ivrm_dtmf_masker {
  explicit ivrm_dtmf_masker(const dtmf::Masker::Config& c) : masker(c) {}
  dtmf::Masker masker;
};

struct ivrm_dtmf_batch {
  explicit ivrm_dtmf_batch(const dtmf::BatchDetector::Config& c) : batch(c) {}
  dtmf::BatchDetector batch;
};

struct ivrm_dtmf_generator {
  explicit ivrm_dtmf_generator(const dtmf::Generator::Config& c) : gen(c) {}
  dtmf::Generator gen;
  bool owns_memory = false;
};

namespace {

// Version 1 of each config; later versions only append fields.
constexpr std::size_t kDetectorConfigV1 = sizeof(ivrm_dtmf_detector_config);
constexpr std::size_t kGeneratorConfigV1 = sizeof(ivrm_dtmf_generator_config);

ivrm_status to_cxx(const ivrm_dtmf_detector_config* cfg, dtmf::Detector::Config& out) {
  ivrm_dtmf_detector_config c;
  ivrm_dtmf_detector_config_init(&c);
  if (const ivrm_status s = ivrmedia::capi::read_config(cfg, kDetectorConfigV1, c); s != IVRM_OK) {
    return s;
  }
  out.sample_rate_hz = c.sample_rate_hz;
  out.min_level_dbm0 = c.min_level_dbm0;
  out.reverse_twist_db = c.reverse_twist_db;
  out.normal_twist_db = c.normal_twist_db;
  out.max_frequency_error_pct = c.max_frequency_error_pct;
  out.max_residual_db = c.max_residual_db;
  out.min_tone_ms = c.min_tone_ms;
  out.min_pause_ms = c.min_pause_ms;
  out.event_capacity = c.event_capacity;
  return to_c(dtmf::Detector::validate(out));
}

ivrm_status to_cxx(const ivrm_dtmf_generator_config* cfg, dtmf::Generator::Config& out) {
  ivrm_dtmf_generator_config c;
  ivrm_dtmf_generator_config_init(&c);
  if (const ivrm_status s = ivrmedia::capi::read_config(cfg, kGeneratorConfigV1, c); s != IVRM_OK) {
    return s;
  }
  out.sample_rate_hz = c.sample_rate_hz;
  out.low_dbm0 = c.low_dbm0;
  out.twist_db = c.twist_db;
  out.tone_ms = c.tone_ms;
  out.pause_ms = c.pause_ms;
  out.ramp_ms = c.ramp_ms;
  out.max_queued = c.max_queued;
  return to_c(dtmf::Generator::validate(out));
}

// Moves events from `read` (a Detector's read_events) into the caller's C array.
template <typename Read>
size_t copy_events(Read read, ivrm_dtmf_event* events, size_t capacity) {
  dtmf::Event buf[16];
  size_t done = 0;
  while (done < capacity) {
    const size_t want = capacity - done < 16 ? capacity - done : 16;
    const size_t got = read(std::span<dtmf::Event>(buf, want));
    for (size_t i = 0; i < got; ++i) {
      ivrm_dtmf_event& e = events[done + i];
      std::memset(&e, 0, sizeof e);
      e.start_sample = buf[i].start_sample;
      e.end_sample = buf[i].end_sample;
      e.low_dbm0 = buf[i].low_dbm0;
      e.high_dbm0 = buf[i].high_dbm0;
      e.twist_db = buf[i].twist_db;
      e.type = buf[i].type == dtmf::Event::Type::key_down ? IVRM_DTMF_KEY_DOWN : IVRM_DTMF_KEY_UP;
      e.digit = buf[i].digit;
    }
    done += got;
    if (got < want) break;
  }
  return done;
}

constexpr std::size_t kMaskerConfigV1 = sizeof(ivrm_dtmf_masker_config);

ivrm_status to_cxx(const ivrm_dtmf_masker_config* cfg, dtmf::Masker::Config& out) {
  ivrm_dtmf_masker_config c;
  ivrm_dtmf_masker_config_init(&c);
  if (const ivrm_status s = ivrmedia::capi::read_config(cfg, kMaskerConfigV1, c); s != IVRM_OK) {
    return s;
  }
  if (c.comfort_noise != 0 && c.comfort_noise != 1) return IVRM_ERR_INVALID;
  out.sample_rate_hz = c.sample_rate_hz;
  out.lookahead_ms = c.lookahead_ms;
  out.guard_ms = c.guard_ms;
  out.comfort_noise = c.comfort_noise == 1;
  out.comfort_noise_dbm0 = c.comfort_noise_dbm0;
  out.detector.event_capacity = dtmf::Detector::kMaxEvents;
  return to_c(dtmf::Masker::validate(out));
}

// Constructs a handle that allocates internally (no create_in): every exception is a status.
template <typename Handle, typename Config>
ivrm_status make_handle(const Config& c, Handle** out) {
  return ivrmedia::capi::guarded([&] {
    *out = new Handle(c);
    return IVRM_OK;
  });
}

// The int16 and float entry points share their checks.
template <typename T>
ivrm_status mask(ivrm_dtmf_masker* m, const T* in, T* out, size_t n) {
  if (m == nullptr || (n != 0 && (in == nullptr || out == nullptr))) return IVRM_ERR_NULL;
  if (n == 0) return IVRM_OK;
  return to_c(m->masker.process(std::span<const T>(in, n), std::span<T>(out, n)));
}

template <typename T>
ivrm_status batch_process(ivrm_dtmf_batch* b, const T* planar, size_t frames, size_t stride) {
  if (b == nullptr || (frames != 0 && planar == nullptr)) return IVRM_ERR_NULL;
  if (stride < frames) return IVRM_ERR_RANGE;
  if (frames != 0) b->batch.process(planar, frames, stride);
  return IVRM_OK;
}

}  // namespace

extern "C" {

// ---- masker ------------------------------------------------------------------------------

ivrm_status ivrm_dtmf_masker_config_init_sized(ivrm_dtmf_masker_config* cfg, size_t size) {
  const dtmf::Masker::Config d;
  ivrm_dtmf_masker_config c{};  // this version's defaults
  c.sample_rate_hz = d.sample_rate_hz;
  c.lookahead_ms = static_cast<float>(d.lookahead_ms);
  c.guard_ms = static_cast<float>(d.guard_ms);
  c.comfort_noise = d.comfort_noise ? 1 : 0;
  c.comfort_noise_dbm0 = static_cast<float>(d.comfort_noise_dbm0);
  return ivrmedia::capi::init_config(cfg, size, kMaskerConfigV1, c);
}

ivrm_status ivrm_dtmf_masker_create(const ivrm_dtmf_masker_config* cfg, ivrm_dtmf_masker** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  dtmf::Masker::Config c;
  if (const ivrm_status s = to_cxx(cfg, c); s != IVRM_OK) return s;
  return make_handle(c, out);
}

void ivrm_dtmf_masker_destroy(ivrm_dtmf_masker* m) {
  delete m;
}

ivrm_status ivrm_dtmf_masker_reset(ivrm_dtmf_masker* m) {
  if (m == nullptr) return IVRM_ERR_NULL;
  m->masker.reset();
  return IVRM_OK;
}

ivrm_status ivrm_dtmf_masker_process(ivrm_dtmf_masker* m, const int16_t* in, int16_t* out,
                                     size_t n) {
  return mask(m, in, out, n);
}

ivrm_status ivrm_dtmf_masker_process_float(ivrm_dtmf_masker* m, const float* in, float* out,
                                           size_t n) {
  return mask(m, in, out, n);
}

ivrm_status ivrm_dtmf_masker_latency(const ivrm_dtmf_masker* m, int64_t* samples) {
  if (m == nullptr || samples == nullptr) return IVRM_ERR_NULL;
  *samples = m->masker.latency();
  return IVRM_OK;
}

ivrm_status ivrm_dtmf_masker_read_events(ivrm_dtmf_masker* m, ivrm_dtmf_event* events,
                                         size_t capacity, size_t* count) {
  if (count != nullptr) *count = 0;
  if (m == nullptr || count == nullptr || (capacity != 0 && events == nullptr)) {
    return IVRM_ERR_NULL;
  }
  *count = copy_events([&](std::span<dtmf::Event> b) { return m->masker.read_events(b); }, events,
                       capacity);
  return IVRM_OK;
}

// ---- batch detector ----------------------------------------------------------------------

ivrm_status ivrm_dtmf_batch_create(const ivrm_dtmf_detector_config* cfg, uint32_t channels,
                                   ivrm_dtmf_batch** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  dtmf::BatchDetector::Config c;
  if (const ivrm_status s = to_cxx(cfg, c.detector); s != IVRM_OK) return s;
  c.channels = channels;
  if (const ivrm_status s = to_c(dtmf::BatchDetector::validate(c)); s != IVRM_OK) return s;
  return make_handle(c, out);
}

void ivrm_dtmf_batch_destroy(ivrm_dtmf_batch* b) {
  delete b;
}

ivrm_status ivrm_dtmf_batch_process(ivrm_dtmf_batch* b, const int16_t* planar, size_t frames,
                                    size_t stride) {
  return batch_process(b, planar, frames, stride);
}

ivrm_status ivrm_dtmf_batch_process_float(ivrm_dtmf_batch* b, const float* planar, size_t frames,
                                          size_t stride) {
  return batch_process(b, planar, frames, stride);
}

ivrm_status ivrm_dtmf_batch_read_events(ivrm_dtmf_batch* b, uint32_t channel,
                                        ivrm_dtmf_event* events, size_t capacity, size_t* count) {
  if (count != nullptr) *count = 0;
  if (b == nullptr || count == nullptr || (capacity != 0 && events == nullptr)) {
    return IVRM_ERR_NULL;
  }
  if (channel >= b->batch.channels()) return IVRM_ERR_RANGE;
  *count =
      copy_events([&](std::span<dtmf::Event> buf) { return b->batch.read_events(channel, buf); },
                  events, capacity);
  return IVRM_OK;
}

ivrm_status ivrm_dtmf_batch_gap(ivrm_dtmf_batch* b, uint32_t channel, int64_t samples) {
  if (b == nullptr) return IVRM_ERR_NULL;
  if (channel >= b->batch.channels() || samples < 0) return IVRM_ERR_RANGE;
  b->batch.gap(channel, samples);
  return IVRM_OK;
}

ivrm_status ivrm_dtmf_batch_reset_channel(ivrm_dtmf_batch* b, uint32_t channel) {
  if (b == nullptr) return IVRM_ERR_NULL;
  if (channel >= b->batch.channels()) return IVRM_ERR_RANGE;
  b->batch.reset(channel);
  return IVRM_OK;
}

// ---- detector ----------------------------------------------------------------------------

ivrm_status ivrm_dtmf_detector_config_init_sized(ivrm_dtmf_detector_config* cfg, size_t size) {
  const dtmf::Detector::Config d;
  ivrm_dtmf_detector_config c{};  // this version's defaults
  c.sample_rate_hz = d.sample_rate_hz;
  c.min_level_dbm0 = static_cast<float>(d.min_level_dbm0);
  c.reverse_twist_db = static_cast<float>(d.reverse_twist_db);
  c.normal_twist_db = static_cast<float>(d.normal_twist_db);
  c.max_frequency_error_pct = static_cast<float>(d.max_frequency_error_pct);
  c.max_residual_db = static_cast<float>(d.max_residual_db);
  c.min_tone_ms = static_cast<float>(d.min_tone_ms);
  c.min_pause_ms = static_cast<float>(d.min_pause_ms);
  c.event_capacity = static_cast<uint32_t>(d.event_capacity);
  return ivrmedia::capi::init_config(cfg, size, kDetectorConfigV1, c);
}

ivrm_status ivrm_dtmf_detector_size(const ivrm_dtmf_detector_config* cfg, size_t* size) {
  if (size == nullptr) return IVRM_ERR_NULL;
  *size = 0;
  dtmf::Detector::Config c;
  if (const ivrm_status s = to_cxx(cfg, c); s != IVRM_OK) return s;
  *size = ivrmedia::capi::round_up(sizeof(ivrm_dtmf_detector)) +
          ivrmedia::capi::round_up(dtmf::Detector::workspace_bytes(c));
  return IVRM_OK;
}

ivrm_status ivrm_dtmf_detector_create_in(void* mem, size_t mem_size,
                                         const ivrm_dtmf_detector_config* cfg,
                                         ivrm_dtmf_detector** out) {
  if (out != nullptr) *out = nullptr;
  dtmf::Detector::Config c;
  if (const ivrm_status s = to_cxx(cfg, c); s != IVRM_OK) return s;
  const std::size_t head = ivrmedia::capi::round_up(sizeof(ivrm_dtmf_detector));
  const std::size_t need = head + ivrmedia::capi::round_up(dtmf::Detector::workspace_bytes(c));
  if (mem != nullptr && out != nullptr && mem_size < need) return IVRM_ERR_BUFFER_TOO_SMALL;
  const std::span<std::byte> workspace(static_cast<std::byte*>(mem) + (mem ? head : 0),
                                       mem ? need - head : 0);
  return ivrmedia::capi::place(mem, mem_size, out, c, workspace);
}

ivrm_status ivrm_dtmf_detector_create(const ivrm_dtmf_detector_config* cfg,
                                      ivrm_dtmf_detector** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  size_t size = 0;
  if (const ivrm_status s = ivrm_dtmf_detector_size(cfg, &size); s != IVRM_OK) return s;
  return ivrmedia::capi::allocate_and_place(size, out, [&](void* mem, size_t mem_size) {
    return ivrm_dtmf_detector_create_in(mem, mem_size, cfg, out);
  });
}

void ivrm_dtmf_detector_destroy(ivrm_dtmf_detector* d) {
  ivrmedia::capi::destroy(d);
}

ivrm_status ivrm_dtmf_detector_reset(ivrm_dtmf_detector* d) {
  if (d == nullptr) return IVRM_ERR_NULL;
  d->det.reset();
  return IVRM_OK;
}

ivrm_status ivrm_dtmf_detector_process(ivrm_dtmf_detector* d, const int16_t* pcm, size_t n) {
  if (d == nullptr || (n != 0 && pcm == nullptr)) return IVRM_ERR_NULL;
  if (n != 0) d->det.process(std::span<const int16_t>(pcm, n));
  return IVRM_OK;
}

ivrm_status ivrm_dtmf_detector_process_float(ivrm_dtmf_detector* d, const float* pcm, size_t n) {
  if (d == nullptr || (n != 0 && pcm == nullptr)) return IVRM_ERR_NULL;
  if (n != 0) d->det.process(std::span<const float>(pcm, n));
  return IVRM_OK;
}

ivrm_status ivrm_dtmf_detector_gap(ivrm_dtmf_detector* d, int64_t samples) {
  if (d == nullptr) return IVRM_ERR_NULL;
  if (samples < 0) return IVRM_ERR_RANGE;
  d->det.gap(samples);
  return IVRM_OK;
}

ivrm_status ivrm_dtmf_detector_read_events(ivrm_dtmf_detector* d, ivrm_dtmf_event* events,
                                           size_t capacity, size_t* count) {
  if (count != nullptr) *count = 0;
  if (d == nullptr || count == nullptr || (capacity != 0 && events == nullptr)) {
    return IVRM_ERR_NULL;
  }
  *count = copy_events([&](std::span<dtmf::Event> b) { return d->det.read_events(b); }, events,
                       capacity);
  return IVRM_OK;
}

ivrm_status ivrm_dtmf_detector_get_stats(const ivrm_dtmf_detector* d,
                                         ivrm_dtmf_detector_stats* stats) {
  if (d == nullptr || stats == nullptr) return IVRM_ERR_NULL;
  // Growable output struct: fill what the caller's struct_size covers.
  if (stats->struct_size < offsetof(ivrm_dtmf_detector_stats, lost_events) + sizeof(uint64_t)) {
    return IVRM_ERR_CONFIG;
  }
  const auto& s = d->det.stats();
  stats->samples = s.samples;
  stats->digits = s.digits;
  stats->lost_events = s.lost_events;
  return IVRM_OK;
}

ivrm_status ivrm_dtmf_detector_latency(const ivrm_dtmf_detector* d, int64_t* samples) {
  if (d == nullptr || samples == nullptr) return IVRM_ERR_NULL;
  *samples = d->det.max_key_down_latency();
  return IVRM_OK;
}

ivrm_status ivrm_dtmf_detector_set_param(ivrm_dtmf_detector* d, int32_t param, double value) {
  if (d == nullptr) return IVRM_ERR_NULL;
  return to_c(d->det.set(static_cast<dtmf::Threshold>(param), value));
}

ivrm_status ivrm_dtmf_detector_get_param(const ivrm_dtmf_detector* d, int32_t param,
                                         double* value) {
  if (d == nullptr || value == nullptr) return IVRM_ERR_NULL;
  return to_c(d->det.get(static_cast<dtmf::Threshold>(param), *value));
}

ivrm_status ivrm_dtmf_param_bounds(int32_t param, double* min, double* max, double* default_value) {
  double lo = 0, hi = 0, def = 0;
  if (!dtmf::Detector::bounds(static_cast<dtmf::Threshold>(param), lo, hi, def)) {
    return IVRM_ERR_INVALID;
  }
  if (min != nullptr) *min = lo;
  if (max != nullptr) *max = hi;
  if (default_value != nullptr) *default_value = def;
  return IVRM_OK;
}

// ---- generator ---------------------------------------------------------------------------

ivrm_status ivrm_dtmf_generator_config_init_sized(ivrm_dtmf_generator_config* cfg, size_t size) {
  const dtmf::Generator::Config d;
  ivrm_dtmf_generator_config c{};  // this version's defaults
  c.sample_rate_hz = d.sample_rate_hz;
  c.low_dbm0 = static_cast<float>(d.low_dbm0);
  c.twist_db = static_cast<float>(d.twist_db);
  c.tone_ms = static_cast<float>(d.tone_ms);
  c.pause_ms = static_cast<float>(d.pause_ms);
  c.ramp_ms = static_cast<float>(d.ramp_ms);
  c.max_queued = static_cast<uint32_t>(d.max_queued);
  return ivrmedia::capi::init_config(cfg, size, kGeneratorConfigV1, c);
}

ivrm_status ivrm_dtmf_generator_size(const ivrm_dtmf_generator_config* cfg, size_t* size) {
  if (size == nullptr) return IVRM_ERR_NULL;
  *size = 0;
  dtmf::Generator::Config c;
  if (const ivrm_status s = to_cxx(cfg, c); s != IVRM_OK) return s;
  *size = ivrmedia::capi::round_up(sizeof(ivrm_dtmf_generator));
  return IVRM_OK;
}

ivrm_status ivrm_dtmf_generator_create_in(void* mem, size_t mem_size,
                                          const ivrm_dtmf_generator_config* cfg,
                                          ivrm_dtmf_generator** out) {
  if (out != nullptr) *out = nullptr;
  dtmf::Generator::Config c;
  if (const ivrm_status s = to_cxx(cfg, c); s != IVRM_OK) return s;
  return ivrmedia::capi::place(mem, mem_size, out, c);
}

ivrm_status ivrm_dtmf_generator_create(const ivrm_dtmf_generator_config* cfg,
                                       ivrm_dtmf_generator** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  size_t size = 0;
  if (const ivrm_status s = ivrm_dtmf_generator_size(cfg, &size); s != IVRM_OK) return s;
  return ivrmedia::capi::allocate_and_place(size, out, [&](void* mem, size_t mem_size) {
    return ivrm_dtmf_generator_create_in(mem, mem_size, cfg, out);
  });
}

void ivrm_dtmf_generator_destroy(ivrm_dtmf_generator* g) {
  ivrmedia::capi::destroy(g);
}

ivrm_status ivrm_dtmf_generator_reset(ivrm_dtmf_generator* g) {
  if (g == nullptr) return IVRM_ERR_NULL;
  g->gen.reset();
  return IVRM_OK;
}

ivrm_status ivrm_dtmf_generator_queue(ivrm_dtmf_generator* g, const char* digits) {
  if (g == nullptr || digits == nullptr) return IVRM_ERR_NULL;
  return to_c(g->gen.queue(digits));
}

ivrm_status ivrm_dtmf_generator_generate(ivrm_dtmf_generator* g, int16_t* out, size_t n,
                                         size_t* active) {
  if (active != nullptr) *active = 0;
  if (g == nullptr || (n != 0 && out == nullptr)) return IVRM_ERR_NULL;
  const size_t a = g->gen.generate(std::span<int16_t>(out, n));
  if (active != nullptr) *active = a;
  return IVRM_OK;
}

ivrm_status ivrm_dtmf_generator_generate_float(ivrm_dtmf_generator* g, float* out, size_t n,
                                               size_t* active) {
  if (active != nullptr) *active = 0;
  if (g == nullptr || (n != 0 && out == nullptr)) return IVRM_ERR_NULL;
  const size_t a = g->gen.generate(std::span<float>(out, n));
  if (active != nullptr) *active = a;
  return IVRM_OK;
}

}  // extern "C"
