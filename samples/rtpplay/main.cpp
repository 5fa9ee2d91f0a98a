// ivrmedia-rtpplay: replays an RTP stream through ivrmedia's jitter buffer, like NetEq's
// rtpplay.
//
//   ivrmedia-rtpplay IN.pcap [options]      a capture (pcap or pcapng) on the capture's clock
//   ivrmedia-rtpplay --live PORT [options]  real RTP arriving on 127.0.0.1:PORT, in real time
//   ivrmedia-rtpplay --generate IN.wav [--network PRESET] [--seed N] [options]
//                                           a sound file sent as PCMU through the seeded
//                                           network simulator (lib/sim)
//
// One frame is pulled every 20 ms from the first packet's arrival, until the capture ends and
// the buffer has played out. --out writes the audio, --log one line per frame
// (play_ms,rtp_timestamp,kind), --json the buffer's statistics, usage record and the digits.
// Digits are found both as RFC 4733 events and as in-band tones in the played audio; a press
// carried both ways is reported once. See --help for every option.
// Exit status: 0 on success, 1 when the input cannot be read (a capture damaged part way is
// played up to the damage, then reported), holds no RTP stream we can play, or an output cannot
// be written, 2 on bad usage.
#include <sndfile.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/core.hpp"
#include "ivrmedia/jitter.hpp"
#include "packet_source.hpp"
#include "player.hpp"
#include "stream_selector.hpp"

namespace {

namespace codec = ivrmedia::codec;
namespace jitter = ivrmedia::jitter;

constexpr const char* kUsage =
    "usage: ivrmedia-rtpplay IN.pcap [options]\n"
    "       ivrmedia-rtpplay --live PORT [options]\n"
    "       ivrmedia-rtpplay --generate IN.wav [--network PRESET] [--seed N] [options]\n"
    "Replays one RTP stream through ivrmedia's jitter buffer: a capture file (pcap or pcapng:\n"
    "Ethernet with VLAN tags, Linux cooked v1/v2, raw IP, BSD loopback; IPv4/IPv6; UDP) on the\n"
    "capture's clock, live RTP on a loopback UDP port in real time, or a sound file sent\n"
    "through ivrmedia's network simulator. One 20 ms frame is pulled every 20 ms from the\n"
    "first packet's arrival until the stream's last packet has played out.\n"
    "  --out OUT.wav     write the played audio (16-bit PCM at the output rate)\n"
    "  --log LOG.csv     one line per frame: play_ms,rtp_timestamp,kind\n"
    "                    play_ms: the pull time in ms since the epoch (capture clock);\n"
    "                    rtp_timestamp: RTP timestamp of the frame's first sample when it\n"
    "                    starts with decoded audio (the packet's own timestamp when the frame\n"
    "                    starts on a packet; time stretching moves frames off packet\n"
    "                    boundaries), else empty; kind: normal, concealed, accelerated,\n"
    "                    expanded, merged, cng\n"
    "  --json            print statistics, usage and digits as JSON (instead of text)\n"
    "  --ssrc N          play this SSRC (decimal or 0x hex); default: the first RTP stream\n"
    "                    of a known audio payload type\n"
    "  --pt PT=NAME/CLOCK[/CH]  bind a dynamic payload type, e.g. --pt 111=opus/48000/2\n"
    "                    (static: 0 PCMU, 8 PCMA, 9 G722)\n"
    "  --event-pt PT[/CLOCK]  RFC 4733 telephone-event payload type (default 101/8000;\n"
    "                    'none' for none)\n"
    "  --rate R          output rate 8000, 16000 or 48000 (default: the stream codec's)\n"
    "  --fixed-delay MS  hold a fixed delay instead of adapting\n"
    "  --live PORT       receive on 127.0.0.1:PORT (0: any free port; printed on stderr).\n"
    "                    ffmpeg's RTP muxer sends each input packet whole (125 ms of a WAV),\n"
    "                    over the buffer's 120 ms limit: give it -af asetnsamples=n=160\n"
    "  --duration S      live: stop S seconds after the first packet\n"
    "  --idle S          live: stop after S seconds without a packet (default 3), or on\n"
    "                    Ctrl-C / SIGTERM (the WAV and the report are still written)\n"
    "  --wait S          live: give up when no packet came within S seconds (default 30)\n"
    "  --generate IN.wav send an 8 kHz sound file as PCMU (20 ms packets) through the\n"
    "                    network simulator: --network ideal (default), wired, wifi,\n"
    "                    mobile_lte, mobile_3g_handover, congested, bursty_loss; --seed N\n"
    "Digits (RFC 4733 and in-band) are printed, one line per press: digit, start s, end s\n"
    "(on the output's time line), source (rfc4733, inband or both: then the in-band times).\n"
    "They are caller data: this is an analysis tool for your own captures; the ivrmedia\n"
    "library itself never logs digits or payloads.\n"
    "Exit status: 0 success, 1 unreadable or damaged input (played up to the damage) / no\n"
    "playable stream / write error, 2 usage.\n";

struct Options {
  std::string in;
  int live_port = -1;
  rtpplay::GeneratorOptions generate;
  rtpplay::LiveOptions live;
  std::string out, log;
  bool json = false;
  std::optional<std::uint32_t> ssrc;
  std::map<int, codec::Format> payloads = {
      {0, {"PCMU", 8000, 1}}, {8, {"PCMA", 8000, 1}}, {9, {"G722", 8000, 1}}};
  int event_pt = 101;
  int event_clock = 8000;
  int rate = 0;
  int fixed_delay_ms = -1;
};

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "ivrmedia-rtpplay: %s\n", what.c_str());
  std::exit(1);
}

[[noreturn]] void bad_usage(const std::string& what) {
  std::fprintf(stderr, "ivrmedia-rtpplay: %s\n%s", what.c_str(), kUsage);
  std::exit(2);
}

bool parse_int(const std::string& s, long long lo, long long hi, long long* out) {
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  // Decimal, or hex with 0x (no octal: an SSRC written 010 means ten).
  const bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  const long long v = std::strtoll(s.c_str() + (hex ? 2 : 0), &end, hex ? 16 : 10);
  if (errno != 0 || *end != '\0' || v < lo || v > hi) return false;
  *out = v;
  return true;
}

bool parse_seconds(const std::string& s, double* out) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || !(v >= 0) || v > 1e6) return false;
  *out = v;
  return true;
}

// "111=opus/48000/2"
bool parse_binding(const std::string& s, int* pt, codec::Format* f) {
  const auto eq = s.find('=');
  long long v = 0;
  if (eq == std::string::npos || !parse_int(s.substr(0, eq), 0, 127, &v)) return false;
  *pt = static_cast<int>(v);
  const std::string rest = s.substr(eq + 1);
  const auto slash = rest.find('/');
  f->name = rest.substr(0, slash);
  f->clock_rate_hz = 0;
  f->channels = 0;
  if (f->name.empty()) return false;
  if (slash == std::string::npos) return true;
  const std::string tail = rest.substr(slash + 1);
  const auto slash2 = tail.find('/');
  if (!parse_int(tail.substr(0, slash2), 1000, 192000, &v)) return false;
  f->clock_rate_hz = static_cast<int>(v);
  if (slash2 != std::string::npos) {
    if (!parse_int(tail.substr(slash2 + 1), 1, 2, &v)) return false;
    f->channels = static_cast<int>(v);
  }
  return true;
}

Options parse_args(int argc, char** argv) {
  Options o;
  const auto value = [&](int& i) -> std::string {
    if (i + 1 >= argc) bad_usage(std::string(argv[i]) + " needs a value");
    return argv[++i];
  };
  long long v = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else if (a == "--out") {
      o.out = value(i);
    } else if (a == "--log") {
      o.log = value(i);
    } else if (a == "--json") {
      o.json = true;
    } else if (a == "--ssrc") {
      if (!parse_int(value(i), 0, 0xFFFFFFFFLL, &v)) bad_usage("--ssrc: 0 to 0xFFFFFFFF");
      o.ssrc = static_cast<std::uint32_t>(v);
    } else if (a == "--pt") {
      int pt = 0;
      codec::Format f;
      if (!parse_binding(value(i), &pt, &f)) bad_usage("--pt: PT=NAME/CLOCK[/CHANNELS], PT 0-127");
      o.payloads[pt] = f;
    } else if (a == "--event-pt") {
      const std::string s = value(i);
      if (s == "none") {
        o.event_pt = -1;
      } else {
        const auto slash = s.find('/');
        if (!parse_int(s.substr(0, slash), 0, 127, &v)) bad_usage("--event-pt: PT[/CLOCK]");
        o.event_pt = static_cast<int>(v);
        if (slash != std::string::npos) {
          if (!parse_int(s.substr(slash + 1), 1000, 192000, &v)) bad_usage("--event-pt: clock");
          o.event_clock = static_cast<int>(v);
        }
      }
    } else if (a == "--rate") {
      if (!parse_int(value(i), 8000, 48000, &v) || (v != 8000 && v != 16000 && v != 48000))
        bad_usage("--rate: 8000, 16000 or 48000");
      o.rate = static_cast<int>(v);
    } else if (a == "--fixed-delay") {
      if (!parse_int(value(i), 0, 10000, &v)) bad_usage("--fixed-delay: milliseconds");
      o.fixed_delay_ms = static_cast<int>(v);
    } else if (a == "--live") {
      if (!parse_int(value(i), 0, 65535, &v)) bad_usage("--live: a UDP port 0-65535");
      o.live_port = static_cast<int>(v);
    } else if (a == "--generate") {
      o.generate.wav = value(i);
    } else if (a == "--network") {
      o.generate.network = value(i);
    } else if (a == "--seed") {
      if (!parse_int(value(i), 0, INT64_MAX, &v)) bad_usage("--seed: a number");
      o.generate.seed = static_cast<std::uint64_t>(v);
    } else if (a == "--duration") {
      if (!parse_seconds(value(i), &o.live.duration_s)) bad_usage("--duration: seconds");
    } else if (a == "--idle") {
      if (!parse_seconds(value(i), &o.live.idle_s)) bad_usage("--idle: seconds");
    } else if (a == "--wait") {
      if (!parse_seconds(value(i), &o.live.first_wait_s)) bad_usage("--wait: seconds");
    } else if (!a.empty() && a[0] == '-') {
      bad_usage("unknown option " + a);
    } else if (o.in.empty()) {
      o.in = a;
    } else {
      bad_usage("more than one input");
    }
  }
  if (int(!o.in.empty()) + int(o.live_port >= 0) + int(!o.generate.wav.empty()) != 1) {
    bad_usage("give one input: a capture file, --live PORT or --generate IN.wav");
  }
  if (o.event_pt >= 0 && o.payloads.count(o.event_pt) != 0) {
    // A dynamic type bound to audio by --pt wins over the default event type.
    if (o.event_pt == 101 && o.payloads.at(101).name != "telephone-event") {
      o.event_pt = -1;
    } else {
      bad_usage("--event-pt " + std::to_string(o.event_pt) + " is bound to audio");
    }
  }
  o.live.port = o.live_port;
  return o;
}

std::string hex32(std::uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08x", v);
  return b;
}

std::string input_name(const Options& o) {
  if (o.live_port >= 0) return "live";
  return o.in.empty() ? o.generate.wav : o.in;
}

// The format's natural decoder, or nullopt when ivrmedia cannot decode it.
std::optional<codec::Info> decoder_info(const codec::Format& f, int rate) {
  try {
    codec::DecoderConfig dc;
    dc.format = f;
    dc.sample_rate_hz = rate;
    return codec::make_decoder(dc)->info();
  } catch (const ivrmedia::Error&) {
    return std::nullopt;
  }
}

std::unique_ptr<jitter::Buffer> make_buffer(const Options& o, int first_pt, int* rate_out) {
  const codec::Format& first = o.payloads.at(first_pt);
  const auto natural = decoder_info(first, 0);
  if (!natural)
    fail("payload type " + std::to_string(first_pt) + " (" + first.name + ") cannot be decoded");
  int rate = o.rate;
  if (rate == 0) {
    rate = natural->sample_rate_hz <= 8000    ? 8000
           : natural->sample_rate_hz <= 16000 ? 16000
                                              : 48000;
  }
  jitter::Config c;
  c.sample_rate_hz = rate;
  c.frame_ms = 20;
  c.payloads.clear();
  // Every bound format that decodes at this rate (G.711 only at 8 kHz, G.722 at 16 kHz).
  for (const auto& [pt, f] : o.payloads) {
    if (decoder_info(f, rate)) c.payloads.push_back({pt, f});
  }
  bool has_first = false;
  for (const auto& m : c.payloads)
    has_first = has_first || m.payload_type == first_pt;
  if (!has_first) {
    fail("payload type " + std::to_string(first_pt) + " (" + first.name + ") cannot play at " +
         std::to_string(rate) + " Hz");
  }
  c.telephone_event_payload_type = o.event_pt;
  c.telephone_event_clock_hz = o.event_clock;
  if (o.fixed_delay_ms >= 0) {
    c.mode = jitter::DelayMode::fixed;
    c.fixed_delay_ms = o.fixed_delay_ms;
  }
  *rate_out = rate;
  return std::make_unique<jitter::Buffer>(c);
}

// The library's names for the kinds (jitter::describe).
const char* kind_name(jitter::FrameKind k) {
  return jitter::describe(k);
}

std::string json_string(const std::string& s) {
  std::string r = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      r += '\\';
      r += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", c);
      r += b;
    } else {
      r += c;
    }
  }
  return r + "\"";
}

void print_json(const Options& o, const rtpplay::PacketSource& source,
                const rtpplay::StreamSelector& sel, const rtpplay::PlayResult& r, int rate) {
  const jitter::Statistics s = r.buffer->statistics();
  const jitter::Usage u = r.buffer->usage();
  const auto ll = [](std::int64_t v) { return static_cast<long long>(v); };
  std::printf("{\n  \"input\": %s,\n", json_string(input_name(o)).c_str());
  std::printf("  \"source\": {%s},\n", source.json_counts().c_str());
  std::printf(
      "  \"stream\": {\"ssrc\": %u, \"flow\": %s, \"payload_type\": %d, \"not_rtp\": %lld, "
      "\"rtcp\": %lld, \"other_streams\": %lld, \"before_stream\": %lld},\n",
      sel.ssrc(), json_string(sel.flow()).c_str(), sel.first_payload_type(), ll(sel.not_rtp),
      ll(sel.rtcp), ll(sel.other_streams), ll(sel.before_stream));
  std::printf("  \"sample_rate\": %d,\n  \"frame_ms\": 20,\n  \"frames\": %lld,\n", rate,
              ll(r.frames));
  std::printf("  \"first_play_ms\": %.3f,\n", static_cast<double>(r.first_tick_us) / 1000.0);
  std::printf("  \"statistics\": {\n");
  std::printf(
      "    \"received\": %lld, \"lost\": %lld, \"late\": %lld, \"duplicates\": %lld, "
      "\"reordered\": %lld,\n    \"overflow\": %lld, \"oversized\": %lld, \"malformed\": %lld, "
      "\"unknown_payload\": %lld, \"bad_sequence\": %lld,\n    \"event_packets\": %lld, "
      "\"comfort_noise_packets\": %lld, \"restarts\": %lld,\n",
      ll(s.received), ll(s.lost), ll(s.late), ll(s.duplicates), ll(s.reordered), ll(s.overflow),
      ll(s.oversized), ll(s.malformed), ll(s.unknown_payload), ll(s.bad_sequence),
      ll(s.event_packets), ll(s.comfort_noise_packets), ll(s.restarts));
  std::printf(
      "    \"loss_rate\": %.6f, \"discard_rate\": %.6f, \"buffered_packets\": %lld,\n"
      "    \"current_delay_ms\": %d, \"target_delay_ms\": %d, \"interarrival_jitter_ms\": %.3f, "
      "\"interarrival_jitter_units\": %u,\n",
      s.loss_rate, s.discard_rate, ll(s.buffered_packets), s.current_delay_ms, s.target_delay_ms,
      s.interarrival_jitter_ms, s.interarrival_jitter_units);
  std::printf(
      "    \"burst_density\": %.6f, \"gap_density\": %.6f, \"burst_duration_ms\": %.3f, "
      "\"gap_duration_ms\": %.3f, \"burst_ratio\": %.4f,\n"
      "    \"r_factor\": %.2f, \"mos\": %.3f, \"wideband_rating\": %s,\n",
      s.burst_density, s.gap_density, s.burst_duration_ms, s.gap_duration_ms, s.burst_ratio,
      s.r_factor, s.mos, s.wideband_rating ? "true" : "false");
  std::printf(
      "    \"samples_played\": %lld, \"samples_concealed\": %lld, \"samples_fec\": %lld, "
      "\"samples_accelerated\": %lld, \"samples_expanded\": %lld, \"samples_cng\": %lld,\n"
      "    \"frames\": %lld, \"frames_by_kind\": {",
      ll(s.samples_played), ll(s.samples_concealed), ll(s.samples_fec), ll(s.samples_accelerated),
      ll(s.samples_expanded), ll(s.samples_cng), ll(s.frames));
  for (int k = 0; k < 6; ++k) {
    std::printf("%s\"%s\": %lld", k ? ", " : "", kind_name(static_cast<jitter::FrameKind>(k)),
                ll(s.frames_by_kind[k]));
  }
  std::printf("}\n  },\n");
  std::printf(
      "  \"usage\": {\"packets\": %lld, \"bytes\": %lld, \"audio_packets\": %lld, "
      "\"media_samples_received\": %lld, \"samples_played\": %lld, \"seconds_received\": %.3f, "
      "\"seconds_played\": %.3f, \"first_packet_ms\": %.3f, \"last_packet_ms\": %.3f, "
      "\"sample_rate\": %d},\n",
      ll(u.packets), ll(u.bytes), ll(u.audio_packets), ll(u.media_samples_received),
      ll(u.samples_played), u.seconds_received(), u.seconds_played(),
      static_cast<double>(u.first_packet_us) / 1000.0,
      static_cast<double>(u.last_packet_us) / 1000.0, u.sample_rate_hz);
  std::printf("  \"dtmf\": {\"rfc4733_presses\": %lld, \"inband_presses\": %lld, \"digits\": [",
              ll(r.rfc4733_presses), ll(r.inband_presses));
  for (std::size_t i = 0; i < r.digits.size(); ++i) {
    const rtpplay::Digit& d = r.digits[i];
    std::printf("%s\n    {\"digit\": \"%c\", \"start\": %.3f, \"end\": %.3f, \"source\": \"%s\"}",
                i ? "," : "", d.digit, d.start_s, d.end_s, d.source);
  }
  std::printf("%s]}\n}\n", r.digits.empty() ? "" : "\n  ");
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_args(argc, argv);

  std::string error;
  std::unique_ptr<rtpplay::PacketSource> source =
      o.live_port >= 0          ? rtpplay::open_live(o.live, &error)
      : !o.generate.wav.empty() ? rtpplay::open_generator(o.generate, &error)
                                : rtpplay::open_capture(o.in, &error);
  if (!source) fail(error);

  std::FILE* log = nullptr;
  if (!o.log.empty()) {
    log = std::fopen(o.log.c_str(), "w");
    if (log == nullptr) fail(o.log + ": " + std::strerror(errno));
  }

  std::set<int> audio;
  rtpplay::PlayOptions po;
  for (const auto& [pt, f] : o.payloads) {
    const auto info = decoder_info(f, 0);
    if (!info) {
      bad_usage("--pt " + std::to_string(pt) + "=" + f.name + ": not a format ivrmedia decodes " +
                "(PCMU, PCMA, G722, L16, opus) at that clock and channel count");
    }
    audio.insert(pt);
    po.clock_by_payload_type[pt] = info->rtp_clock_hz;
  }
  po.event_clock_hz = o.event_clock;
  rtpplay::StreamSelector selector(audio, o.ssrc);
  if (!o.in.empty()) {
    // A first pass finds the stream's last packet, so playout ends with the stream rather than
    // with the capture (which may go on with other traffic).
    rtpplay::StreamSelector scout = selector;
    auto pass = rtpplay::open_capture(o.in, &error);
    rtpplay::Packet p;
    while (pass && pass->next(INT64_MAX, &p) == rtpplay::Next::packet) {
      if (scout.accept(p)) po.last_arrival_us = p.arrival_us;
    }
  }

  int rate = 0;
  SNDFILE* wav = nullptr;
  bool write_ok = true;
  const auto on_frame = [&](std::int64_t play_us, const jitter::FrameInfo& info,
                            std::span<const float> audio_frame) {
    if (!o.out.empty() && wav == nullptr && write_ok) {
      SF_INFO si{};
      si.samplerate = rate;
      si.channels = 1;
      si.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
      wav = sf_open(o.out.c_str(), SFM_WRITE, &si);
      if (wav == nullptr) fail(o.out + ": " + sf_strerror(nullptr));
      sf_command(wav, SFC_SET_CLIPPING, nullptr, SF_TRUE);  // clip, never wrap, above full scale
    }
    if (wav != nullptr) {
      const auto n = static_cast<sf_count_t>(audio_frame.size());
      write_ok = write_ok && sf_writef_float(wav, audio_frame.data(), n) == n;
    }
    if (log != nullptr) {
      const long long ms = play_us / 1000;
      const int frac = static_cast<int>(play_us % 1000);
      if (info.has_timestamp) {
        std::fprintf(log, "%lld.%03d,%u,%s\n", ms, frac, info.rtp_timestamp, kind_name(info.kind));
      } else {
        std::fprintf(log, "%lld.%03d,,%s\n", ms, frac, kind_name(info.kind));
      }
    }
  };

  rtpplay::PlayResult result;
  try {
    result = rtpplay::play(
        *source, selector, [&](int pt) { return make_buffer(o, pt, &rate); }, po, on_frame);
  } catch (const ivrmedia::Error& e) {
    fail(std::string("cannot configure the jitter buffer: ") + e.what());
  }
  // A damaged capture: what came before the damage was played (and is reported below), but the
  // exit status says the input was not read whole.
  const std::string source_error = source->error();
  if (!source_error.empty()) {
    std::fprintf(stderr, "ivrmedia-rtpplay: %s: %s\n", input_name(o).c_str(), source_error.c_str());
  }
  if (!result.found_stream) {
    fail(input_name(o) + (o.ssrc ? ": no RTP packet with SSRC " + std::to_string(*o.ssrc) + " (" +
                                       hex32(*o.ssrc) + ")"
                                 : ": no RTP stream of a known audio payload type (see --pt)"));
  }
  if (wav != nullptr) sf_close(wav);
  if (!write_ok) fail(o.out + ": write failed");
  if (log != nullptr && std::fclose(log) != 0) fail(o.log + ": write failed");

  if (const std::int64_t bad = result.buffer->statistics().malformed; bad > 0) {
    std::fprintf(stderr,
                 "ivrmedia-rtpplay: %lld packet(s) of the stream rejected as malformed (a "
                 "payload over 120 ms is one)\n",
                 static_cast<long long>(bad));
  }
  if (o.json) {
    print_json(o, *source, selector, result, rate);
  } else {
    for (const rtpplay::Digit& d : result.digits) {
      std::printf("%c\t%.3f\t%.3f\t%s\n", d.digit, d.start_s, d.end_s, d.source);
    }
    const jitter::Statistics s = result.buffer->statistics();
    std::fprintf(stderr,
                 "ivrmedia-rtpplay: SSRC 0x%08x (%s), %lld frames at %d Hz; received %lld, lost "
                 "%lld, late %lld, reordered %lld; concealed %lld ms\n",
                 selector.ssrc(), selector.flow().c_str(), static_cast<long long>(result.frames),
                 rate, static_cast<long long>(s.received), static_cast<long long>(s.lost),
                 static_cast<long long>(s.late), static_cast<long long>(s.reordered),
                 static_cast<long long>(s.samples_concealed * 1000 / rate));
  }
  return source_error.empty() ? 0 : 1;
}
