// ivrmedia-jitter-compare: replays the same simulated calls through ivrmedia's jitter::Buffer and
// SpeexDSP's jitter buffer and prints, side by side, what each concealed, dropped as late and
// how long it held the audio.
//
// A call: 60 s (--seconds) of speech-like audio as 20 ms PCMU packets, sent through
// sim::NetworkSimulator with one of its presets (and optionally the sender's clock off by
// --drifts percent), for --seeds seeds. Both buffers see the same arrivals and the same 20 ms
// ticks. Per buffer and network model, over every seed:
//   conceal %   frames of synthesized audio (loss concealment, and speex's INSERTION frames that
//               grow its delay) / frames played from the first frame of the call's audio to the
//               last
//   late        packets that arrived but were never played (too late; ivrmedia: overflow too)
//   delay       per frame of the call's audio: the tick that plays it minus the time its first
//               sample was sent, on the receiver's clock (network delay included): mean, p95
//   faster / slower   delay adjustments in frames: ivrmedia's accelerated / expanded frames,
//               speex's dropped / inserted frames
// --trace FILE writes every frame both buffers played with their default settings, one CSV line
// each (network,drift_percent,seed,buffer,tick_ms,kind,concealed_samples,delay_ms), to see where
// the delay and concealment of a call come from.
// --sweep also runs each buffer over a range of its delay knob (ivrmedia: delay_quantile,
// min_delay_ms; speex: JITTER_BUFFER_SET_LATE_COST, JITTER_BUFFER_SET_MARGIN) for the
// delay/concealment curves benchmarks/plot_jitter.py draws, and finds speex's lowest
// concealment at no more mean delay than ivrmedia's default.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "hindsight.hpp"
#include "replay.hpp"

namespace {

using namespace ivrm_compare;
namespace sim = ivrmedia::sim;

struct Options {
  int seconds = 60;
  int seeds = 10;
  int first_seed = 1;
  std::vector<sim::Preset> presets{sim::kAllPresets.begin(), sim::kAllPresets.end()};
  std::vector<double> drifts_percent{0.0, -0.5, 0.5, -1.0, 1.0};
  bool sweep = false;
  bool check = false;
  std::string json;
  std::string trace;
};

// One call's share of a row: what the bootstrap below resamples.
struct CallTotals {
  std::int64_t samples = 0;  // frames played in the metrics window, in samples
  std::int64_t concealed_samples = 0;
  double delay_sum_ms = 0.0;
  std::int64_t delay_frames = 0;
};

struct Row {
  Setting setting;
  Metrics m;
  std::vector<CallTotals> calls;  // per seed, in seed order (the same calls on every row)
};

struct Scenario {
  sim::Preset preset;
  double drift_percent;
  std::vector<Row> rows;
  std::vector<StaticLevels> levels;  // per call, without drift only (hindsight.hpp)
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "ivrmedia-jitter-compare: %s\n"
               "usage: ivrmedia-jitter-compare [--seconds N] [--seeds N] [--first-seed N]\n"
               "         [--presets a,b,...]\n"
               "         [--drifts 0,-0.5,0.5,...] [--sweep] [--json FILE] [--trace FILE]\n"
               "         [--check]\n"
               "presets: ideal wired wifi mobile_lte mobile_3g_handover congested bursty_loss\n"
               "--check: exit 1 unless ivrmedia conceals no more than speex (defaults) on\n"
               "         the ideal and wired models without drift\n",
               why);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage("missing value");
      return argv[++i];
    };
    if (a == "--seconds") {
      o.seconds = std::atoi(value().c_str());
    } else if (a == "--seeds") {
      o.seeds = std::atoi(value().c_str());
    } else if (a == "--first-seed") {
      o.first_seed = std::atoi(value().c_str());
    } else if (a == "--presets") {
      o.presets.clear();
      for (const auto& name : split(value())) {
        const auto p = sim::preset_from_name(name);
        if (!p) usage("unknown preset");
        o.presets.push_back(*p);
      }
    } else if (a == "--drifts") {
      o.drifts_percent.clear();
      for (const auto& d : split(value()))
        o.drifts_percent.push_back(std::atof(d.c_str()));
    } else if (a == "--sweep") {
      o.sweep = true;
    } else if (a == "--check") {
      o.check = true;
    } else if (a == "--json") {
      o.json = value();
    } else if (a == "--trace") {
      o.trace = value();
    } else {
      usage("unknown argument");
    }
  }
  if (o.seconds < 5 || o.seconds > 3600 || o.seeds < 1 || o.seeds > 1000 || o.first_seed < 1)
    usage("--seconds 5-3600, --seeds 1-1000, --first-seed >= 1");
  return o;
}

std::vector<Setting> settings(bool sweep) {
  std::vector<Setting> s = {{"ivrmedia", "default", 0.0, true}, {"speexdsp", "default", 0.0, true}};
  if (!sweep) return s;
  // Finer where the two buffers' defaults meet (0.85-0.97), so the verdicts below compare
  // curves rather than where the sweep points happen to fall.
  for (double q : {0.5, 0.7, 0.8, 0.85, 0.87, 0.88, 0.89, 0.9, 0.91, 0.92, 0.93, 0.94, 0.96, 0.97,
                   0.98, 0.99, 0.995})
    s.push_back({"ivrmedia", "delay_quantile", q, false});
  for (double d : {20, 40, 60, 80, 120, 160})
    s.push_back({"ivrmedia", "min_delay_ms", d, false});
  // Late cost: timestamp units (1/8 ms) that one percent of late packets is worth; speex's
  // default (0) derives it from the spread of recent arrivals.
  for (double c : {10, 20, 40, 60, 80, 100, 120, 160, 200, 240, 320, 640, 1280})
    s.push_back({"speexdsp", "late_cost", c, false});
  // Margin: extra buffering in timestamp units on top of what speex's cost function picks.
  for (double m : {40, 80, 160, 240, 320, 480, 640})
    s.push_back({"speexdsp", "margin", m, false});
  return s;
}

const char* kind_name(FrameKind k) {
  switch (k) {
    case FrameKind::audio:
      return "audio";
    case FrameKind::concealed:
      return "concealed";
    case FrameKind::inserted:
      return "inserted";
    case FrameKind::silence:
      break;
  }
  return "silence";
}

// `trace_out`: where --trace lines go (default settings only), or null.
Row run(const Setting& setting, const std::vector<Trace>& traces, std::FILE* trace_out) {
  Row row{setting, {}, {}};
  Metrics& total = row.m;
  std::vector<PlayedFrame> played;
  for (const Trace& t : traces) {
    auto r = setting.buffer == "ivrmedia" ? make_ivrmedia_receiver(setting)
                                          : make_speex_receiver(setting);
    const bool tracing = trace_out != nullptr && setting.is_default;
    played.clear();
    const Metrics call = replay(t, *r, tracing ? &played : nullptr);
    CallTotals c{call.frames * kFrameSamples, call.concealed_samples, 0.0,
                 static_cast<std::int64_t>(call.delays_ms.size())};
    for (const double d : call.delays_ms)
      c.delay_sum_ms += d;
    row.calls.push_back(c);
    total.add(call);
    for (const PlayedFrame& f : played) {
      const std::string_view net = sim::preset_name(t.spec.preset);
      std::fprintf(trace_out, "%.*s,%g,%llu,%s,%.3f,%s,%d,", static_cast<int>(net.size()),
                   net.data(), t.spec.clock_skew_ppm / 1e4,
                   static_cast<unsigned long long>(t.spec.seed), setting.buffer.c_str(),
                   static_cast<double>(f.tick_us) / 1000.0, kind_name(f.kind), f.concealed_samples);
      if (f.delay_ms >= 0.0) std::fprintf(trace_out, "%.3f", f.delay_ms);
      std::fputc('\n', trace_out);
    }
  }
  return row;
}

std::string scenario_name(const Scenario& s) {
  std::string n(sim::preset_name(s.preset));
  if (s.drift_percent != 0.0) {
    char b[32];
    std::snprintf(b, sizeof b, " %+.1f%%", s.drift_percent);
    n += b;
  }
  return n;
}

const Row* find_default(const Scenario& s, std::string_view buffer) {
  for (const Row& r : s.rows)
    if (r.setting.buffer == buffer && r.setting.is_default) return &r;
  return nullptr;
}

// A buffer's lowest concealment over every setting run with a mean delay at most `delay_ms`.
const Row* best_within(const Scenario& s, std::string_view buffer, double delay_ms) {
  const Row* best = nullptr;
  for (const Row& r : s.rows) {
    if (r.setting.buffer != buffer || r.m.mean_delay_ms() > delay_ms) continue;
    if (best == nullptr || r.m.concealed_time_percent() < best->m.concealed_time_percent())
      best = &r;
  }
  return best;
}

// A buffer's trade-off curve at `delay_ms`: the lowest concealment reachable by running one
// setting on some calls and another on the rest (linear between two settings' points, the
// lower convex hull of all of them), or a single setting at no more delay. Negative when no
// setting is that fast. The same time-sharing the hindsight bound allows itself.
struct Point {
  const Setting* setting;
  double conceal_percent;
  double delay_ms;
};

std::vector<Point> points_of(const Scenario& s) {
  std::vector<Point> p;
  for (const Row& r : s.rows)
    p.push_back({&r.setting, r.m.concealed_time_percent(), r.m.mean_delay_ms()});
  return p;
}

double curve_at(const std::vector<Point>& points, std::string_view buffer, double delay_ms) {
  double best = -1.0;
  const auto consider = [&](double conceal) {
    if (best < 0.0 || conceal < best) best = conceal;
  };
  for (const Point& a : points) {
    if (a.setting->buffer != buffer || a.delay_ms > delay_ms) continue;
    consider(a.conceal_percent);
    for (const Point& b : points) {
      if (b.setting->buffer != buffer || b.delay_ms <= delay_ms) continue;
      const double share = (delay_ms - a.delay_ms) / (b.delay_ms - a.delay_ms);  // of calls on b
      consider((1.0 - share) * a.conceal_percent + share * b.conceal_percent);
    }
  }
  return best;
}

double curve_at(const Scenario& s, std::string_view buffer, double delay_ms) {
  return curve_at(points_of(s), buffer, delay_ms);
}

// How sure the curve verdicts are. The calls of a network model are a sample; the verdicts'
// differences (ivrmedia's curve at speex's default delay minus speex's default, and ivrmedia's
// default minus speex's curve at ivrmedia's delay) are recomputed on resamples of the calls, with
// replacement and the same calls for every setting (a paired bootstrap: the default delays, the
// curves and the share of calls each setting gets are all recomputed). The 2.5 and 97.5
// percentiles bound the difference a repeat of the experiment on other calls would give.
struct Interval {
  double low = 0.0, high = 0.0;
  bool valid = false;  // enough resamples had both points
};
struct CurveIntervals {
  Interval at_speex_delay;     // ivrmedia curve - speex default
  Interval at_ivrmedia_delay;  // ivrmedia default - speex curve
};

constexpr int kResamples = 1000;

Interval percentile_interval(std::vector<double>& d) {
  Interval i;
  if (d.size() < kResamples * 9 / 10) return i;  // mostly "none that fast": no interval
  std::sort(d.begin(), d.end());
  i.low = d[d.size() * 25 / 1000];
  i.high = d[std::min(d.size() - 1, d.size() * 975 / 1000)];
  i.valid = true;
  return i;
}

CurveIntervals bootstrap_curves(const Scenario& s) {
  CurveIntervals out;
  const std::size_t n = s.rows.front().calls.size();
  if (n < 2) return out;
  std::mt19937_64 rng(20261127);  // fixed: every run draws the same resamples
  std::vector<std::uint32_t> times(n);
  std::vector<Point> points(s.rows.size());
  std::vector<double> at_speex, at_ivrmedia;
  for (int b = 0; b < kResamples; ++b) {
    std::fill(times.begin(), times.end(), 0u);
    for (std::size_t i = 0; i < n; ++i)
      ++times[rng() % n];
    const Point* iv = nullptr;
    const Point* sp = nullptr;
    for (std::size_t r = 0; r < s.rows.size(); ++r) {
      CallTotals sum;
      for (std::size_t i = 0; i < n; ++i) {
        const CallTotals& c = s.rows[r].calls[i];
        sum.samples += times[i] * c.samples;
        sum.concealed_samples += times[i] * c.concealed_samples;
        sum.delay_sum_ms += times[i] * c.delay_sum_ms;
        sum.delay_frames += times[i] * c.delay_frames;
      }
      points[r] = {
          &s.rows[r].setting,
          sum.samples > 0 ? 100.0 * static_cast<double>(sum.concealed_samples) /
                                static_cast<double>(sum.samples)
                          : 0.0,
          sum.delay_frames > 0 ? sum.delay_sum_ms / static_cast<double>(sum.delay_frames) : 0.0};
      if (s.rows[r].setting.is_default)
        (s.rows[r].setting.buffer == "ivrmedia" ? iv : sp) = &points[r];
    }
    const double iv_curve = curve_at(points, "ivrmedia", sp->delay_ms);
    const double sp_curve = curve_at(points, "speexdsp", iv->delay_ms);
    if (iv_curve >= 0.0) at_speex.push_back(iv_curve - sp->conceal_percent);
    if (sp_curve >= 0.0) at_ivrmedia.push_back(iv->conceal_percent - sp_curve);
  }
  out.at_speex_delay = percentile_interval(at_speex);
  out.at_ivrmedia_delay = percentile_interval(at_ivrmedia);
  return out;
}

std::string interval_text(const Interval& i) {
  if (!i.valid) return "n/a";
  char b[64];
  std::snprintf(b, sizeof b, "%+.3f to %+.3f", i.low, i.high);
  return b;
}

// Concealment shares closer than this are equal: the windows differ by a few frames between
// the buffers (each starts at its own first frame of audio), and one frame in 5 minutes is
// 0.007 points.
constexpr double kEqualPercent = 0.01;

const char* compare_text(double ivrmedia, double speex) {
  if (ivrmedia < speex - kEqualPercent) return "ivrmedia less";
  if (ivrmedia > speex + kEqualPercent) return "SPEEX LESS";
  return "equal";
}

// compare_text, marked "(n.s.)" when a difference beyond the tolerance is not significant.
std::string verdict_text(double ivrmedia, double speex, const Interval& i) {
  std::string v = compare_text(ivrmedia, speex);
  if (v != "equal" && i.valid && i.low <= 0.0 && i.high >= 0.0) v += " (n.s.)";
  return v;
}

std::string setting_label(const Setting& s) {
  if (s.is_default) return "default";
  char b[64];
  std::snprintf(b, sizeof b, "%s=%g", s.knob.c_str(), s.value);
  return b;
}

// What a constant delay chosen per call in hindsight conceals at each buffer's mean delay.
void print_hindsight(const std::vector<Scenario>& scenarios) {
  bool header = false;
  for (const Scenario& s : scenarios) {
    if (s.levels.empty()) continue;
    if (!header) {
      std::printf(
          "\nHindsight bound (no drift): the least concealment any buffer reaches with a constant\n"
          "delay per call chosen knowing the call's arrivals (time-shared between two levels),\n"
          "at each buffer's mean delay. Frames here are packets (lost or late = one frame), so\n"
          "its shares differ slightly from conceal time. A buffer cannot beat it where\n"
          "delays are independent from packet to packet.\n\n"
          "| network | speex default %% @ ms | bound at that delay | ivrmedia default %% @ ms "
          "| bound at that delay |\n|---|---:|---:|---:|---:|\n");
      header = true;
    }
    std::printf("| %s", scenario_name(s).c_str());
    for (const char* b : {"speexdsp", "ivrmedia"}) {
      const Row* r = find_default(s, b);
      HindsightPoint h;
      std::printf(" | %.3f @ %.1f", r->m.concealed_time_percent(), r->m.mean_delay_ms());
      if (hindsight_at_delay(s.levels, r->m.mean_delay_ms(), &h))
        std::printf(" | %.3f", h.conceal_percent);
      else
        std::printf(" | none that fast");
    }
    std::printf(" |\n");
  }
}

void print_table(const std::vector<Scenario>& scenarios, const Options& o) {
  std::printf(
      "%d seeds x %d s of 20 ms PCMU per network model. net loss: packets the network lost;\n"
      "conceal time: synthesized samples / samples played; conceal frames: frames the buffer\n"
      "marked concealed (speex: MISSING or INSERTION; insert: INSERTION only); late: packets\n"
      "that arrived but never played; delay: play tick - send time (receiver clock), per frame\n"
      "of audio; faster/slower: ivrmedia accelerated/expanded frames, speex dropped/inserted.\n\n",
      o.seeds, o.seconds);
  std::printf(
      "| network | net loss %% | buffer | conceal time %% | conceal frames %% | insert %% "
      "| late | late %% | mean delay ms | p95 delay ms | faster/slower |\n");
  std::printf("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const Scenario& s : scenarios) {
    for (const char* b : {"ivrmedia", "speexdsp"}) {
      const Row* r = find_default(s, b);
      std::printf(
          "| %s | %.2f | %s | %.2f | %.2f | %.2f | %lld | %.2f | %.1f | %.1f | %lld/%lld |\n",
          scenario_name(s).c_str(), r->m.network_loss_percent(), b, r->m.concealed_time_percent(),
          r->m.concealed_percent(),
          100.0 * static_cast<double>(r->m.inserted) /
              static_cast<double>(std::max<std::int64_t>(r->m.frames, 1)),
          static_cast<long long>(r->m.late), r->m.late_percent(), r->m.mean_delay_ms(),
          r->m.p95_delay_ms(), static_cast<long long>(r->m.faster),
          static_cast<long long>(r->m.slower));
    }
  }
  print_hindsight(scenarios);
  if (!o.sweep) return;
  std::printf(
      "\nConcealed time %% at equal delay, both ways: ivrmedia's default against speex's best\n"
      "setting with no more mean delay, and speex's default against ivrmedia's best setting\n"
      "with no more mean delay (settings from the sweep; differences under %.3f points are\n"
      "equal).\n\n",
      kEqualPercent);
  std::printf(
      "| network | ivrmedia default %% @ ms | speex best at <= that delay | verdict | speex "
      "default %% @ ms | ivrmedia best at <= that delay | verdict |\n"
      "|---|---:|---:|---|---:|---:|---|\n");
  const auto cell = [](const Row* r) {
    if (r == nullptr) return std::string("none that fast");
    char b[128];
    std::snprintf(b, sizeof b, "%.3f @ %.1f (%s)", r->m.concealed_time_percent(),
                  r->m.mean_delay_ms(), setting_label(r->setting).c_str());
    return std::string(b);
  };
  for (const Scenario& s : scenarios) {
    const Row* iv = find_default(s, "ivrmedia");
    const Row* sp = find_default(s, "speexdsp");
    const Row* sp_best = best_within(s, "speexdsp", iv->m.mean_delay_ms());
    const Row* iv_best = best_within(s, "ivrmedia", sp->m.mean_delay_ms());
    std::printf(
        "| %s | %.3f @ %.1f | %s | %s | %.3f @ %.1f | %s | %s |\n", scenario_name(s).c_str(),
        iv->m.concealed_time_percent(), iv->m.mean_delay_ms(), cell(sp_best).c_str(),
        sp_best ? compare_text(iv->m.concealed_time_percent(), sp_best->m.concealed_time_percent())
                : "ivrmedia faster",
        sp->m.concealed_time_percent(), sp->m.mean_delay_ms(), cell(iv_best).c_str(),
        iv_best ? compare_text(iv_best->m.concealed_time_percent(), sp->m.concealed_time_percent())
                : "speex faster");
  }
  std::printf(
      "\nThe same on the curves: each buffer's lowest concealment at the other's default delay\n"
      "when a host may also run two settings on shares of its calls (the lower convex hull of\n"
      "the sweep's points, as the hindsight bound time-shares two levels). 95 %%: where the\n"
      "difference (ivrmedia - speex, points) lies on other calls of the same model (paired\n"
      "bootstrap over the calls, %d resamples); an interval that holds 0 is no significant\n"
      "difference (n.s.).\n\n"
      "| network | ivrmedia default %% @ ms | speex curve there | verdict | 95 %% | speex default "
      "%% @ ms | ivrmedia curve there | verdict | 95 %% |\n"
      "|---|---:|---:|---|---|---:|---:|---|---|\n",
      kResamples);
  const auto curve_cell = [](double v) {
    if (v < 0.0) return std::string("none that fast");
    char b[32];
    std::snprintf(b, sizeof b, "%.3f", v);
    return std::string(b);
  };
  for (const Scenario& s : scenarios) {
    const Row* iv = find_default(s, "ivrmedia");
    const Row* sp = find_default(s, "speexdsp");
    const double sp_curve = curve_at(s, "speexdsp", iv->m.mean_delay_ms());
    const double iv_curve = curve_at(s, "ivrmedia", sp->m.mean_delay_ms());
    const CurveIntervals ci = bootstrap_curves(s);
    std::printf(
        "| %s | %.3f @ %.1f | %s | %s | %s | %.3f @ %.1f | %s | %s | %s |\n",
        scenario_name(s).c_str(), iv->m.concealed_time_percent(), iv->m.mean_delay_ms(),
        curve_cell(sp_curve).c_str(),
        sp_curve < 0.0
            ? "ivrmedia faster"
            : verdict_text(iv->m.concealed_time_percent(), sp_curve, ci.at_ivrmedia_delay).c_str(),
        interval_text(ci.at_ivrmedia_delay).c_str(), sp->m.concealed_time_percent(),
        sp->m.mean_delay_ms(), curve_cell(iv_curve).c_str(),
        iv_curve < 0.0
            ? "speex faster"
            : verdict_text(iv_curve, sp->m.concealed_time_percent(), ci.at_speex_delay).c_str(),
        interval_text(ci.at_speex_delay).c_str());
  }
}

void write_json(const std::vector<Scenario>& scenarios, const Options& o) {
  std::ofstream f(o.json);
  if (!f) usage("cannot write --json file");
  f << "{\n  \"seconds\": " << o.seconds << ",\n  \"seeds\": " << o.seeds
    << ",\n  \"scenarios\": [\n";
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const Scenario& s = scenarios[i];
    f << "    {\"name\": \"" << scenario_name(s) << "\", \"preset\": \""
      << sim::preset_name(s.preset) << "\", \"drift_percent\": " << s.drift_percent
      << ", \"rows\": [\n";
    for (std::size_t j = 0; j < s.rows.size(); ++j) {
      const Row& r = s.rows[j];
      char b[512];
      std::snprintf(b, sizeof b,
                    "      {\"buffer\": \"%s\", \"knob\": \"%s\", \"value\": %g, \"default\": %s, "
                    "\"frames\": %lld, \"conceal_pct\": %.4f, \"conceal_frames_pct\": %.4f, "
                    "\"net_loss_pct\": %.4f, \"inserted\": %lld, \"late\": %lld, "
                    "\"late_pct\": %.4f, \"mean_delay_ms\": %.3f, \"p95_delay_ms\": %.3f, "
                    "\"faster\": %lld, \"slower\": %lld}%s\n",
                    r.setting.buffer.c_str(), r.setting.knob.c_str(), r.setting.value,
                    r.setting.is_default ? "true" : "false", static_cast<long long>(r.m.frames),
                    r.m.concealed_time_percent(), r.m.concealed_percent(),
                    r.m.network_loss_percent(), static_cast<long long>(r.m.inserted),
                    static_cast<long long>(r.m.late), r.m.late_percent(), r.m.mean_delay_ms(),
                    r.m.p95_delay_ms(), static_cast<long long>(r.m.faster),
                    static_cast<long long>(r.m.slower), j + 1 < s.rows.size() ? "," : "");
      f << b;
    }
    f << "    ]}" << (i + 1 < scenarios.size() ? "," : "") << "\n";
  }
  f << "  ]\n}\n";
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  std::FILE* trace_out = nullptr;
  if (!o.trace.empty()) {
    trace_out = std::fopen(o.trace.c_str(), "w");
    if (trace_out == nullptr) usage("cannot write --trace file");
    std::fprintf(trace_out,
                 "network,drift_percent,seed,buffer,tick_ms,kind,concealed_samples,delay_ms\n");
  }
  std::vector<Scenario> scenarios;
  for (const double drift : o.drifts_percent) {
    for (const sim::Preset preset : o.presets) {
      std::vector<Trace> traces;
      for (int seed = o.first_seed; seed < o.first_seed + o.seeds; ++seed)
        traces.push_back(
            make_trace({preset, drift * 1e4, static_cast<std::uint64_t>(seed), o.seconds}));
      Scenario s{preset, drift, {}, {}};
      if (drift == 0.0)
        for (const Trace& t : traces)
          s.levels.push_back(static_levels(t));
      for (const Setting& setting : settings(o.sweep))
        s.rows.push_back(run(setting, traces, trace_out));
      scenarios.push_back(std::move(s));
      std::fprintf(stderr, "done: %s\n", scenario_name(scenarios.back()).c_str());
    }
  }
  if (trace_out != nullptr) std::fclose(trace_out);
  print_table(scenarios, o);
  if (!o.json.empty()) write_json(scenarios, o);
  if (o.check) {
    int failed = 0;
    for (const Scenario& s : scenarios) {
      if (s.drift_percent != 0.0 ||
          (s.preset != sim::Preset::ideal && s.preset != sim::Preset::wired))
        continue;
      const double a = find_default(s, "ivrmedia")->m.concealed_time_percent();
      const double b = find_default(s, "speexdsp")->m.concealed_time_percent();
      if (a > b + kEqualPercent) {
        std::fprintf(stderr, "check failed: %s: ivrmedia conceals %.3f %%, speex %.3f %%\n",
                     scenario_name(s).c_str(), a, b);
        ++failed;
      }
    }
    return failed == 0 ? 0 : 1;
  }
  return 0;
}
