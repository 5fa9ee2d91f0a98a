// Prompt player: two voices (the current one and a tail fading out after a replace or seek), a
// playlist ring, an event ring and a graveyard for finished prompts, all sized at creation.
// Rendering goes in runs: long stretches with nothing changing are a plain multiply-add the
// compiler vectorizes; fades, joins and gain ramps are done per sample.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numbers>
#include <span>
#include <vector>

#include "ivrmedia/player.hpp"

namespace ivrmedia::mix {
namespace {

constexpr float kQuiet = 0.001f;  // -60 dBFS: a start or stop here needs no ramp
constexpr double kHalfPi = std::numbers::pi / 2;

float db_to_gain(double db) {
  return static_cast<float>(std::pow(10.0, db / 20.0));
}

void require(bool ok, const char* what) {
  if (!ok) throw Error(Status::bad_config, what);
}

struct Item {
  std::shared_ptr<const Prompt> prompt;
  PlayOptions opts;
};

// One playing prompt and the envelope over it.
struct Voice {
  std::shared_ptr<const Prompt> prompt;  // null: idle
  const float* data = nullptr;
  std::size_t len = 0;
  std::size_t pos = 0;
  int loops_left = 1;  // -1: forever
  PlayOptions opts;
  float gain = 1.0f;  // the item's own gain
  std::size_t delay = 0;
  bool started = false;
  // Envelope: `env` now; a fade moves it from fade_from to fade_to over fade_len samples.
  float env = 1.0f;
  float fade_from = 1.0f;
  float fade_to = 1.0f;
  std::size_t fade_len = 0;
  std::size_t fade_pos = 0;
  bool raised_cosine = false;     // the fade's shape: raised cosine, else equal power
  bool end_after_fade = false;    // stop: finish when the fade-out completes
  bool pause_after_fade = false;  // pause: hold when the fade-out completes
  bool paused = false;
  // Join correction: added to the output, decaying linearly to zero.
  float corr = 0.0f;
  std::size_t corr_len = 0;
  std::size_t corr_left = 0;
  float last_out = 0.0f;  // last value this voice added (gain and envelope included)
  float prev_out = 0.0f;  // the one before

  [[nodiscard]] bool idle() const { return prompt == nullptr; }
  void start_fade(float to, std::size_t len_samples, bool smooth = false) {
    fade_from = env;
    fade_to = to;
    fade_len = len_samples;
    fade_pos = 0;
    raised_cosine = smooth;
    if (len_samples == 0) env = to;
  }
  // Equal-power shapes: rising sin(pi/2 x), falling cos(pi/2 x), scaled between the ends; they
  // keep the power of a cross-fade constant. A declick from silence has no partner, so it takes
  // the raised cosine, whose zero slope at both ends spreads far less energy over the band
  // (measured in the player tests: a start mid-tone splatters tens of dB less than a hard start).
  [[nodiscard]] float fade_value(std::size_t k) const {
    const double x = static_cast<double>(k) / static_cast<double>(fade_len);
    const double shape = raised_cosine         ? 0.5 - 0.5 * std::cos(2 * kHalfPi * x)
                         : fade_to > fade_from ? std::sin(kHalfPi * x)
                                               : 1.0 - std::cos(kHalfPi * x);
    return static_cast<float>(fade_from + (fade_to - fade_from) * shape);
  }
};

}  // namespace

struct Player::Impl {
  explicit Impl(const Config& c);

  void push_event(PlayerEvent e) noexcept;
  void retire(std::shared_ptr<const Prompt>& p) noexcept;
  void collect() noexcept;
  [[nodiscard]] std::size_t ms(double v) const noexcept {
    return static_cast<std::size_t>(std::llround(v * config.sample_rate_hz / 1000.0));
  }
  Status check(const std::shared_ptr<const Prompt>& p, const PlayOptions& o) const noexcept;
  void start(Voice& v, Item&& item, bool join_previous, float join_prev, float join_last) noexcept;
  void join(Voice& v, float prev, float last, float first) noexcept;
  void to_tail(StopReason reason, std::size_t fade, char digit) noexcept;
  void render_voice(Voice& v, float* out, std::size_t n, bool is_current) noexcept;
  bool next_item(Voice& v, std::int64_t t) noexcept;
  void render(float* out, std::size_t n) noexcept;

  Config config;
  Voice cur;
  Voice tail;
  std::vector<Item> queue;  // ring
  std::size_t q_head = 0, q_count = 0;
  std::vector<PlayerEvent> events;  // ring
  std::size_t e_head = 0, e_count = 0;
  std::int64_t dropped = 0;
  std::vector<std::shared_ptr<const Prompt>> graveyard;
  std::size_t graves = 0;
  std::int64_t time = 0;
  // Master gain, ramped linearly in dB: `gain` now, times `ratio` per sample while ramp_left.
  float gain = 1.0f;
  float gain_target = 1.0f;
  float ratio = 1.0f;
  std::size_t ramp_left = 0;
};

Player::Impl::Impl(const Config& c) : config(c) {
  require(c.sample_rate_hz >= 8000 && c.sample_rate_hz <= 48000,
          "mix::Player: rate must be 8000-48000 Hz");
  require(c.queue_capacity >= 1 && c.queue_capacity <= 1024,
          "mix::Player: queue capacity must be 1-1024");
  require(c.event_capacity >= 4 && c.event_capacity <= 4096,
          "mix::Player: event capacity must be 4-4096");
  require(c.declick_ms >= 0.5 && c.declick_ms <= 20, "mix::Player: declick must be 0.5-20 ms");
  require(c.stop_fade_ms >= 0 && c.stop_fade_ms <= 2000 && c.barge_fade_ms >= 0 &&
              c.barge_fade_ms <= 2000,
          "mix::Player: fades must be 0-2000 ms");
  require(c.gain_ramp_ms >= 1 && c.gain_ramp_ms <= 2000,
          "mix::Player: gain ramp must be 1-2000 ms");
  queue.resize(c.queue_capacity);
  events.resize(c.event_capacity);
  graveyard.resize(c.queue_capacity + 4);
}

void Player::Impl::push_event(PlayerEvent e) noexcept {
  if (e_count == events.size()) {
    ++dropped;
    return;
  }
  events[(e_head + e_count) % events.size()] = e;
  ++e_count;
}

// A finished prompt's reference is parked, not dropped: dropping the last one would free memory
// on the audio path. Control calls release them.
void Player::Impl::retire(std::shared_ptr<const Prompt>& p) noexcept {
  if (!p) return;
  if (graves < graveyard.size()) {
    graveyard[graves++] = std::move(p);
  } else {
    p.reset();  // only when nobody calls a control function for a very long playlist
  }
}

void Player::Impl::collect() noexcept {
  for (std::size_t i = 0; i < graves; ++i)
    graveyard[i].reset();
  graves = 0;
}

Status Player::Impl::check(const std::shared_ptr<const Prompt>& p,
                           const PlayOptions& o) const noexcept {
  if (!p) return Status::invalid_argument;
  if (p->sample_rate_hz() != config.sample_rate_hz) return Status::invalid_argument;
  if (o.start_sample >= p->size() && p->size() > 0) return Status::out_of_range;
  if (o.loops < 0 || !(o.gain_db >= -96 && o.gain_db <= 24) ||
      !(o.fade_in_ms >= 0 && o.fade_in_ms <= 60000) ||
      !(o.fade_out_ms >= 0 && o.fade_out_ms <= 60000)) {
    return Status::invalid_argument;
  }
  return Status::ok;
}

// Makes `v` play `item`. join: it follows the previous prompt back to back (playlist), with a
// correction from `join_from` (the previous voice's last output) when the step would be large.
// A join (loop wrap, next playlist item) from an outgoing signal ending ..., prev, last into a
// new one starting at `first`: a step no bigger than twice the outgoing signal's own last step
// is a normal continuation; a bigger one is corrected: the first samples get an offset that
// starts at (the outgoing slope continued) - first and decays linearly to zero.
void Player::Impl::join(Voice& v, float prev, float last, float first) noexcept {
  const float natural = std::abs(last - prev);
  if (std::abs(first - last) <= 2.0f * natural + 0.005f) return;
  v.corr = (last + (last - prev)) - first;
  v.corr_len = v.corr_left = ms(config.declick_ms);
}

void Player::Impl::start(Voice& v, Item&& item, bool join_previous, float join_prev,
                         float join_last) noexcept {
  retire(v.prompt);
  const PlayOptions o = item.opts;
  v = Voice{};
  v.prompt = std::move(item.prompt);
  v.data = v.prompt->samples().data();
  v.len = v.prompt->size();
  v.pos = o.start_sample;
  v.loops_left = o.loops == 0 ? -1 : o.loops;
  v.opts = o;
  v.gain = db_to_gain(o.gain_db);
  v.delay = join_previous ? 0 : o.delay_samples;
  const float first = v.len > v.pos ? v.data[v.pos] : 0.0f;
  const std::size_t fade = ms(o.fade_in_ms);
  if (fade > 0) {
    v.env = 0.0f;
    v.start_fade(1.0f, fade);
  } else if (!join_previous && std::abs(first) > kQuiet) {
    v.env = 0.0f;  // a cold start on a loud sample: declick ramp
    v.start_fade(1.0f, ms(config.declick_ms), true);
  }
  if (join_previous) join(v, join_prev, join_last, first * v.gain * v.env * gain);
}

// The prompt of `v` ended at time t: loop, continue with the playlist, or finish.
bool Player::Impl::next_item(Voice& v, std::int64_t t) noexcept {
  const float last = v.last_out;
  const float prev = v.prev_out;
  if (v.loops_left == -1 || v.loops_left > 1) {
    if (v.loops_left > 1) --v.loops_left;
    push_event({PlayerEvent::Type::looped, v.opts.id, static_cast<std::int64_t>(v.len), t,
                StopReason::none, 0});
    v.pos = 0;
    join(v, prev, last, v.data[0] * v.gain * v.env * gain);
    return true;
  }
  push_event({PlayerEvent::Type::finished, v.opts.id, static_cast<std::int64_t>(v.len), t,
              StopReason::none, 0});
  if (&v == &cur && q_count > 0) {
    Item item = std::move(queue[q_head]);
    q_head = (q_head + 1) % queue.size();
    --q_count;
    start(v, std::move(item), true, prev, last);
    push_event({PlayerEvent::Type::started, v.opts.id, static_cast<std::int64_t>(v.pos), t,
                StopReason::none, 0});
    v.started = true;
    return true;
  }
  retire(v.prompt);
  v = Voice{};
  return false;
}

void Player::Impl::render_voice(Voice& v, float* out, std::size_t n, bool is_current) noexcept {
  std::size_t i = 0;
  while (i < n && !v.idle() && !v.paused) {
    const std::int64_t t = time + static_cast<std::int64_t>(i);
    if (v.delay > 0) {
      const std::size_t k = std::min(v.delay, n - i);
      v.delay -= k;
      i += k;
      continue;
    }
    if (!v.started) {
      v.started = true;
      push_event({PlayerEvent::Type::started, v.opts.id, static_cast<std::int64_t>(v.pos), t,
                  StopReason::none, 0});
    }
    if (v.pos >= v.len) {  // end of the prompt: loop, next, or done
      if (!next_item(v, t)) break;
      continue;
    }
    // The natural fade-out: the last fade_out samples of the last loop.
    const std::size_t fade_out = ms(v.opts.fade_out_ms);
    const bool last_loop = v.loops_left == 1;
    const std::size_t to_end = v.len - v.pos;
    const bool in_tail_fade = last_loop && fade_out > 0 && to_end <= fade_out;
    std::size_t run = std::min(n - i, to_end);
    if (last_loop && fade_out > 0 && !in_tail_fade) run = std::min(run, to_end - fade_out);
    if (v.fade_len > 0) run = std::min(run, v.fade_len - v.fade_pos);
    if (v.corr_left > 0) run = std::min(run, v.corr_left);
    if (is_current && ramp_left > 0) run = std::min(run, ramp_left);
    const bool steady =
        v.fade_len == 0 && v.corr_left == 0 && !in_tail_fade && !(is_current && ramp_left > 0);
    const float* x = v.data + v.pos;
    float* y = out + i;
    if (steady) {
      const float g = v.gain * v.env * gain;
      for (std::size_t k = 0; k < run; ++k)  // vectorizes: the common case
        y[k] += g * x[k];
      v.prev_out = run > 1 ? g * x[run - 2] : v.last_out;
      v.last_out = g * x[run - 1];
    } else {
      float g_master = gain;
      for (std::size_t k = 0; k < run; ++k) {
        if (v.fade_len > 0) v.env = v.fade_value(v.fade_pos + k + 1);
        float shape = 1.0f;
        if (in_tail_fade) {
          const double left = static_cast<double>(to_end - k) / static_cast<double>(fade_out);
          shape = static_cast<float>(std::sin(kHalfPi * left));
        }
        if (is_current && ramp_left > 0) g_master *= ratio;
        float value = v.gain * v.env * shape * g_master * x[k];
        if (v.corr_left > 0) {
          value += v.corr * static_cast<float>(v.corr_left - k) / static_cast<float>(v.corr_len);
        }
        y[k] += value;
        v.prev_out = v.last_out;
        v.last_out = value;
      }
      if (is_current && ramp_left > 0) {
        ramp_left -= run;
        gain = ramp_left == 0 ? gain_target : g_master;
      }
      if (v.corr_left > 0) v.corr_left -= run;
      if (v.fade_len > 0) {
        v.fade_pos += run;
        if (v.fade_pos >= v.fade_len) {
          v.env = v.fade_to;
          v.fade_len = 0;
          if (v.end_after_fade && v.env == 0.0f) {
            v.pos += run;
            i += run;
            retire(v.prompt);
            v = Voice{};
            break;
          }
          if (v.pause_after_fade && v.env == 0.0f) {
            v.pos += run;
            i += run;
            v.paused = true;
            v.pause_after_fade = false;
            break;
          }
        }
      }
    }
    v.pos += run;
    i += run;
  }
  // A master gain ramp still moves while the current voice is silent or idle.
  if (is_current && ramp_left > 0 && (v.idle() || v.paused || i < n)) {
    const std::size_t k = std::min(ramp_left, n);
    for (std::size_t j = 0; j < k; ++j)
      gain *= ratio;
    ramp_left -= k;
    if (ramp_left == 0) gain = gain_target;
  }
}

void Player::Impl::render(float* out, std::size_t n) noexcept {
  if (!tail.idle()) render_voice(tail, out, n, false);
  render_voice(cur, out, n, true);
  time += static_cast<std::int64_t>(n);
}

// The current voice becomes the tail, fading out over `fade` (cut when already quiet).
void Player::Impl::to_tail(StopReason reason, std::size_t fade, char digit) noexcept {
  if (cur.idle()) return;
  push_event({PlayerEvent::Type::interrupted, cur.opts.id, static_cast<std::int64_t>(cur.pos), time,
              reason, digit});
  if (!tail.idle()) {  // a third change within one fade: the oldest voice ends now
    retire(tail.prompt);
    tail = Voice{};
  }
  const bool waiting = cur.delay > 0 || cur.paused;
  const float now = cur.pos < cur.len ? std::abs(cur.data[cur.pos] * cur.env) : 0.0f;
  if (waiting || (fade == 0 && now <= kQuiet)) {
    retire(cur.prompt);
    cur = Voice{};
    return;
  }
  tail = std::move(cur);
  cur = Voice{};
  tail.loops_left = 1;
  tail.start_fade(0.0f, std::max<std::size_t>(fade, ms(config.declick_ms)));
  tail.end_after_fade = true;
  tail.pause_after_fade = false;
  // The tail stops when its prompt ends even if the fade is longer.
  tail.opts.fade_out_ms = 0;
}

Player::Player() : Player(Config{}) {}
Player::Player(const Config& config) : impl_(std::make_unique<Impl>(config)) {}
Player::~Player() = default;
Player::Player(Player&&) noexcept = default;
Player& Player::operator=(Player&&) noexcept = default;

Status Player::play(std::shared_ptr<const Prompt> prompt, const PlayOptions& opts) noexcept {
  Impl& m = *impl_;
  m.collect();
  if (const Status st = m.check(prompt, opts); st != Status::ok) return st;
  for (std::size_t i = 0; i < m.q_count; ++i)
    m.queue[(m.q_head + i) % m.queue.size()] = Item{};
  m.q_count = 0;
  m.to_tail(StopReason::replaced, m.ms(m.config.stop_fade_ms), 0);
  m.start(m.cur, Item{std::move(prompt), opts}, false, 0.0f, 0.0f);
  return Status::ok;
}

Status Player::queue(std::shared_ptr<const Prompt> prompt, const PlayOptions& opts) noexcept {
  Impl& m = *impl_;
  m.collect();
  if (const Status st = m.check(prompt, opts); st != Status::ok) return st;
  if (m.cur.idle()) {
    m.start(m.cur, Item{std::move(prompt), opts}, false, 0.0f, 0.0f);
    return Status::ok;
  }
  if (m.q_count == m.queue.size()) return Status::full;
  m.queue[(m.q_head + m.q_count) % m.queue.size()] = Item{std::move(prompt), opts};
  ++m.q_count;
  return Status::ok;
}

void Player::stop(double fade_ms) noexcept {
  Impl& m = *impl_;
  m.collect();
  for (std::size_t i = 0; i < m.q_count; ++i)
    m.queue[(m.q_head + i) % m.queue.size()] = Item{};
  m.q_count = 0;
  const double f = fade_ms < 0 ? m.config.stop_fade_ms : std::min(fade_ms, 2000.0);
  m.to_tail(StopReason::stopped, m.ms(f), 0);
}

bool Player::barge_in(StopReason reason, char digit) noexcept {
  Impl& m = *impl_;
  m.collect();
  if (m.cur.idle() || !m.cur.opts.interruptible) return false;
  for (std::size_t i = 0; i < m.q_count; ++i)
    m.queue[(m.q_head + i) % m.queue.size()] = Item{};
  m.q_count = 0;
  m.to_tail(reason, m.ms(m.config.barge_fade_ms), digit);
  return true;
}

void Player::pause(double fade_ms) noexcept {
  Impl& m = *impl_;
  m.collect();
  if (m.cur.idle() || m.cur.paused) return;
  const double f = fade_ms < 0 ? m.config.stop_fade_ms : std::min(fade_ms, 2000.0);
  m.cur.start_fade(0.0f, std::max(m.ms(f), m.ms(m.config.declick_ms)));
  m.cur.pause_after_fade = true;
}

void Player::resume(double fade_ms) noexcept {
  Impl& m = *impl_;
  m.collect();
  if (m.cur.idle()) return;
  m.cur.paused = false;
  m.cur.pause_after_fade = false;
  const double f = fade_ms < 0 ? m.config.stop_fade_ms : std::min(fade_ms, 2000.0);
  m.cur.start_fade(1.0f, std::max(m.ms(f), m.ms(m.config.declick_ms)));
}

Status Player::seek(std::size_t sample) noexcept {
  Impl& m = *impl_;
  m.collect();
  if (m.cur.idle()) return Status::bad_state;
  if (sample >= m.cur.len) return Status::out_of_range;
  // The old position fades out as the tail while the new one fades in.
  Voice moved = m.cur;  // shares the prompt (a reference count, no allocation)
  const std::size_t fade = std::max(m.ms(m.config.stop_fade_ms), m.ms(m.config.declick_ms));
  if (!m.tail.idle()) {
    m.retire(m.tail.prompt);
    m.tail = Voice{};
  }
  m.tail = std::move(m.cur);
  m.tail.loops_left = 1;
  m.tail.start_fade(0.0f, fade);
  m.tail.end_after_fade = true;
  m.cur = std::move(moved);
  m.cur.pos = sample;
  m.cur.corr_left = 0;
  m.cur.env = 0.0f;
  m.cur.start_fade(1.0f, fade);
  return Status::ok;
}

void Player::set_gain_db(double gain_db) noexcept {
  Impl& m = *impl_;
  const double db = std::clamp(gain_db, -96.0, 24.0);
  m.gain_target = db_to_gain(db);
  const std::size_t len = std::max<std::size_t>(1, m.ms(m.config.gain_ramp_ms));
  // Linear in dB: a constant ratio per sample.
  m.ratio = static_cast<float>(
      std::pow(static_cast<double>(m.gain_target) / m.gain, 1.0 / static_cast<double>(len)));
  m.ramp_left = len;
}

void Player::render(std::span<float> out) noexcept {
  std::fill(out.begin(), out.end(), 0.0f);
  impl_->render(out.data(), out.size());
}

void Player::render_add(std::span<float> out) noexcept {
  impl_->render(out.data(), out.size());
}

std::size_t Player::read_events(std::span<PlayerEvent> out) noexcept {
  Impl& m = *impl_;
  const std::size_t n = std::min(out.size(), m.e_count);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = m.events[(m.e_head + i) % m.events.size()];
  m.e_head = (m.e_head + n) % m.events.size();
  m.e_count -= n;
  return n;
}

bool Player::active() const noexcept {
  return (!impl_->cur.idle() && !impl_->cur.paused) || !impl_->tail.idle();
}
bool Player::paused() const noexcept {
  return !impl_->cur.idle() && impl_->cur.paused;
}
std::int64_t Player::position() const noexcept {
  return impl_->cur.idle() ? 0 : static_cast<std::int64_t>(impl_->cur.pos);
}
std::int64_t Player::time() const noexcept {
  return impl_->time;
}
std::size_t Player::queued() const noexcept {
  return impl_->q_count;
}
std::int64_t Player::events_dropped() const noexcept {
  return impl_->dropped;
}
void Player::collect() noexcept {
  impl_->collect();
}

void Player::reset() noexcept {
  Impl& m = *impl_;
  m.cur = Voice{};
  m.tail = Voice{};
  for (auto& item : m.queue)
    item = Item{};
  m.q_count = 0;
  m.q_head = 0;
  m.collect();
  m.e_head = m.e_count = 0;
  m.dropped = 0;
  m.gain = m.gain_target = 1.0f;
  m.ramp_left = 0;
}

}  // namespace ivrmedia::mix
