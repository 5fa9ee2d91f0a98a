// ivrmedia-demo: the main job, grown issue by issue into a simulated IVR call.
//
// Today it synthesizes a few seconds of speech-like caller audio, carries it through both G.711
// laws as a trunk would (encode, transcode between laws, decode), reports the SNR of each path
// and the coder's throughput, detects and masks a PIN keyed over PCMU, runs a transcoding leg
// (the caller speaks opus, the IVR answers in G.711), carries the caller's RTP over simulated
// networks (wired, LTE, 3G with handovers) through the jitter buffer with the PIN as RFC 4733
// events and prints each call's quality and usage, plays the menu over ducked hold music until
// the caller barges in with a key, and writes WAV files (16-bit PCM and genuine G.711 WAVs
// holding the codes ivrmedia produced) with libsndfile.
#include <sndfile.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/dtmf.hpp"
#include "ivrmedia/g711.hpp"
#include "ivrmedia/jitter.hpp"
#include "ivrmedia/mixer.hpp"
#include "ivrmedia/player.hpp"
#include "ivrmedia/prompt.hpp"
#include "ivrmedia/rtp.hpp"
#include "ivrmedia/telephone_event.hpp"
#include "ivrmedia/transcoder.hpp"
#include "sim/network_simulator.hpp"
#include "sim/speech_like.hpp"

namespace {

using ivrmedia::g711::Coder;
using ivrmedia::g711::Law;

constexpr int kRate = 8000;

struct Options {
  double seconds = 5.0;
  std::string out_dir = "ivrmedia-demo-out";
};

void usage() {
  std::printf(
      "usage: ivrmedia-demo [--seconds S] [--out DIR]\n"
      "  Synthesizes S seconds (default 5) of speech-like audio, round-trips it through G.711\n"
      "  mu-law and A-law, prints SNR and throughput, and writes WAV files into DIR\n"
      "  (default ./ivrmedia-demo-out).\n");
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--seconds" && i + 1 < argc) {
      o.seconds = std::atof(argv[++i]);
      if (!(o.seconds > 0.0 && o.seconds <= 3600.0)) return false;
    } else if (a == "--out" && i + 1 < argc) {
      o.out_dir = argv[++i];
    } else {
      return false;
    }
  }
  return true;
}

double snr_db(const std::vector<std::int16_t>& ref, const std::vector<std::int16_t>& test) {
  double s = 0, e = 0;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const double d = double(ref[i]) - double(test[i]);
    s += double(ref[i]) * ref[i];
    e += d * d;
  }
  return e > 0 ? 10.0 * std::log10(s / e) : INFINITY;
}

// Writes 16-bit PCM, or (codes != nullptr) a G.711 WAV whose data chunk is exactly `codes`.
bool write_wav(const std::filesystem::path& path, const std::vector<std::int16_t>* pcm,
               const std::vector<std::uint8_t>* codes, int g711_format) {
  SF_INFO info{};
  info.samplerate = kRate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | (codes ? g711_format : SF_FORMAT_PCM_16);
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (f == nullptr) {
    std::fprintf(stderr, "cannot write %s: %s\n", path.c_str(), sf_strerror(nullptr));
    return false;
  }
  sf_count_t written = 0;
  sf_count_t expected = 0;
  if (codes) {
    written = sf_write_raw(f, codes->data(), static_cast<sf_count_t>(codes->size()));
    expected = static_cast<sf_count_t>(codes->size());
  } else {
    written = sf_write_short(f, pcm->data(), static_cast<sf_count_t>(pcm->size()));
    expected = static_cast<sf_count_t>(pcm->size());
  }
  sf_close(f);
  return written == expected;
}

// Samples per second of encode+decode over the whole signal, repeated for about 0.3 s.
double throughput(const Coder& coder, const std::vector<std::int16_t>& pcm) {
  std::vector<std::uint8_t> codes(pcm.size());
  std::vector<std::int16_t> back(pcm.size());
  const auto start = std::chrono::steady_clock::now();
  std::size_t samples = 0;
  double elapsed = 0;
  do {
    if (!ivrmedia::ok(coder.encode(pcm, codes)) || !ivrmedia::ok(coder.decode(codes, back))) {
      return 0;
    }
    samples += pcm.size();
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  } while (elapsed < 0.3);
  return double(samples) / elapsed;
}

// A caller keys a PIN between words; the audio crosses a PCMU trunk; the IVR's detector reports
// each digit (key-down as soon as it is confirmed), and the masker makes a recording without it.
bool dtmf_step(const std::filesystem::path& out) {
  namespace dtmf = ivrmedia::dtmf;
  const std::string pin = "4711#";
  std::vector<float> caller = ivrmedia::sim::speech_like(kRate * 3, {kRate, -22.0, 7});
  dtmf::Generator::Config gc;
  gc.tone_ms = 70;
  gc.pause_ms = 0;
  gc.low_dbm0 = -10;
  dtmf::Generator gen(gc);
  const std::size_t tone = static_cast<std::size_t>(gc.tone_ms * kRate / 1000);
  for (std::size_t k = 0; k < pin.size(); ++k) {  // a key every 200 ms from 0.8 s
    (void)gen.queue(pin.substr(k, 1));
    gen.generate(std::span<float>(caller).subspan(kRate * 8 / 10 + k * kRate / 5, tone));
  }
  // Across the trunk and back.
  std::vector<std::uint8_t> codes(caller.size());
  std::vector<std::int16_t> received(caller.size());
  if (!ivrmedia::ok(ivrmedia::g711::encode(Law::mulaw, std::span<const float>(caller), codes)) ||
      !ivrmedia::ok(ivrmedia::g711::decode(Law::mulaw, codes, received))) {
    return false;
  }
  // The IVR: 20 ms frames into a detector, events polled after each frame.
  dtmf::Detector det({});
  dtmf::Masker masker({});
  std::vector<std::int16_t> masked(received.size());
  std::string heard;
  std::printf("\nDTMF: caller keys %s between words, over PCMU\n", pin.c_str());
  for (std::size_t i = 0; i < received.size(); i += 160) {
    const std::size_t n = std::min<std::size_t>(160, received.size() - i);
    const auto frame = std::span<const std::int16_t>(received).subspan(i, n);
    det.process(frame);
    (void)masker.process(frame, std::span<std::int16_t>(masked).subspan(i, n));
    dtmf::Event ev[4];
    for (std::size_t k = 0, got = det.read_events(ev); k < got; ++k) {
      const double now_ms = 1000.0 * double(i + n) / kRate;
      if (ev[k].type == dtmf::Event::Type::key_down) {
        std::printf("  %8.1f ms  key down '%c' (tone began at %.1f ms)\n", now_ms, ev[k].digit,
                    1000.0 * double(ev[k].start_sample) / kRate);
      } else {
        heard += ev[k].digit;
        std::printf("  %8.1f ms  key up   '%c' %.1f-%.1f ms, %.1f/%.1f dBm0\n", now_ms, ev[k].digit,
                    1000.0 * double(ev[k].start_sample) / kRate,
                    1000.0 * double(ev[k].end_sample) / kRate, ev[k].low_dbm0, ev[k].high_dbm0);
      }
    }
  }
  std::printf(
      "IVR heard \"%s\"; the masked recording lags by %.0f ms and has %llu samples "
      "masked\n",
      heard.c_str(), 1000.0 * double(masker.latency()) / kRate,
      static_cast<unsigned long long>(masker.masked_samples()));
  return heard == pin && write_wav(out / "caller_dtmf.wav", &received, nullptr, 0) &&
         write_wav(out / "caller_dtmf_masked.wav", &masked, nullptr, 0);
}

// The caller is on a WebRTC/mobile-data leg speaking opus (48 kHz, 20 ms, in-band FEC) and
// keys a PIN; every 17th packet is lost and recovered from the next packet's FEC. The IVR's
// core runs on G.711: a Transcoder turns the caller's opus into PCMU (libopus decodes straight
// at 8 kHz: no resampler), where the DTMF detector listens; the IVR's answer goes back PCMU ->
// opus through a second Transcoder.
bool transcode_step(const std::filesystem::path& out) {
  namespace codec = ivrmedia::codec;
  namespace dtmf = ivrmedia::dtmf;
  constexpr int kCallerRate = 48000;
  const std::string pin = "2580";
  std::vector<float> caller = ivrmedia::sim::speech_like(kCallerRate * 3, {kCallerRate, -22.0, 9});
  dtmf::Generator gen(
      {.sample_rate_hz = kCallerRate, .low_dbm0 = -10, .tone_ms = 70, .pause_ms = 0});
  const auto tone = static_cast<std::size_t>(kCallerRate * 70 / 1000);
  for (std::size_t k = 0; k < pin.size(); ++k) {  // a key every 250 ms from 1 s
    (void)gen.queue(pin.substr(k, 1));
    gen.generate(std::span<float>(caller).subspan(kCallerRate + k * kCallerRate / 4, tone));
  }
  // The caller's phone.
  codec::EncoderConfig phone_cfg;
  phone_cfg.format = {"opus", 48000, 2};
  phone_cfg.opus.expected_loss_percent = 10;
  const auto phone = codec::make_encoder(phone_cfg);
  std::vector<std::vector<std::uint8_t>> packets;
  std::vector<std::uint8_t> buf(phone->info().max_payload_bytes);
  std::size_t opus_bytes = 0;
  for (std::size_t i = 0; i + 960 <= caller.size(); i += 960) {
    std::size_t written = 0;
    if (!ivrmedia::ok(phone->encode(std::span<const float>(caller).subspan(i, 960), buf, &written)))
      return false;
    packets.emplace_back(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(written));
    opus_bytes += written;
  }
  // The IVR: opus in, PCMU for the core.
  codec::Transcoder::Config tc;
  tc.input.format = {"opus", 48000, 2};
  tc.output.format = {"PCMU"};
  codec::Transcoder to_core(tc);
  dtmf::Detector det({});
  std::vector<std::uint8_t> pcmu(to_core.output_info().max_payload_bytes);
  std::vector<std::uint8_t> pcmu_all;
  std::vector<std::int16_t> frame(160);
  std::string heard;
  int recovered = 0;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t k = 0; k < packets.size(); ++k) {
    const bool lost = k % 17 == 5 && k + 1 < packets.size();
    const ivrmedia::Status s =
        lost ? to_core.push_fec(packets[k + 1], 960) : to_core.push(packets[k]);
    if (!ivrmedia::ok(s)) return false;
    recovered += lost;
    std::size_t written = 0;
    while (ivrmedia::ok(to_core.pull(pcmu, &written)) && written > 0) {
      pcmu_all.insert(pcmu_all.end(), pcmu.begin(),
                      pcmu.begin() + static_cast<std::ptrdiff_t>(written));
      if (!ivrmedia::ok(ivrmedia::g711::decode(Law::mulaw, std::span(pcmu.data(), written), frame)))
        return false;
      det.process(frame);
      dtmf::Event ev[4];
      for (std::size_t e = 0, got = det.read_events(ev); e < got; ++e)
        if (ev[e].type == dtmf::Event::Type::key_up) heard += ev[e].digit;
    }
  }
  const double in_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The IVR answers: a 2 s prompt in PCMU, out to the caller as opus.
  const auto prompt = ivrmedia::sim::speech_like_s16(kRate * 2, {kRate, -20.0, 11});
  std::vector<std::uint8_t> prompt_pcmu(prompt.size());
  if (!ivrmedia::ok(ivrmedia::g711::encode(Law::mulaw, prompt, prompt_pcmu))) return false;
  codec::Transcoder::Config rc;
  rc.input.format = {"PCMU"};
  rc.output.format = {"opus", 48000, 2};
  codec::Transcoder to_caller(rc);
  std::vector<std::uint8_t> opus_out(to_caller.output_info().max_payload_bytes);
  std::size_t answer_bytes = 0, answer_packets = 0;
  const auto start_out = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < prompt_pcmu.size(); i += 160) {
    if (!ivrmedia::ok(to_caller.push(std::span(prompt_pcmu.data() + i, 160)))) return false;
    std::size_t written = 0;
    while (ivrmedia::ok(to_caller.pull(opus_out, &written)) && written > 0) {
      answer_bytes += written;
      ++answer_packets;
    }
  }
  const double out_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_out).count();
  const auto& st = to_core.stats();
  std::printf(
      "\nTranscoding: the caller speaks opus (%.1f kbit/s, 1 packet in 17 lost),\n"
      "the IVR core runs on PCMU\n",
      static_cast<double>(opus_bytes) * 8 / 3.0 / 1000);
  std::printf(
      "  opus -> PCMU: %lld packets in, %d recovered by FEC, %lld PCMU packets out,\n"
      "                decoded at %d Hz (no resampler), %.0fx real time\n",
      static_cast<long long>(st.packets_in), recovered, static_cast<long long>(st.packets_out),
      to_core.input_info().sample_rate_hz, 3.0 / in_seconds);
  std::printf("  PCMU -> opus: %zu packets, %.1f kbit/s, encoded from %d Hz, %.0fx real time\n",
              answer_packets, static_cast<double>(answer_bytes) * 8 / 2.0 / 1000,
              to_caller.output_info().sample_rate_hz, 2.0 / out_seconds);
  std::printf("  IVR heard \"%s\" over opus -> PCMU (keyed \"%s\")\n", heard.c_str(), pin.c_str());
  return heard == pin &&
         write_wav(out / "caller_opus_to_pcmu.wav", nullptr, &pcmu_all, SF_FORMAT_ULAW);
}

// The caller's RTP crosses a simulated network to the IVR: PCMU every 20 ms from a random
// SSRC, sequence and timestamp (RFC 3550), the PIN sent as RFC 4733 events on the same stream.
// The IVR pushes each datagram as it arrives into a jitter buffer and pulls a frame every 20 ms
// on its own clock; it hears the digits from the events and reports the call's quality and its
// usage record. Returns the digits heard; *played gets the audio of the last network run.
std::string network_call(ivrmedia::sim::Preset preset, const std::vector<float>& voice,
                         const std::string& pin, std::vector<std::int16_t>* played) {
  namespace rtp = ivrmedia::rtp;
  namespace jitter = ivrmedia::jitter;
  // Sender: 20 ms PCMU packets; the PIN replaces audio from 1 s on, a key per 300 ms.
  rtp::Builder builder(rtp::Builder::random_config(0, kRate, 2026));
  rtp::TelephoneEventSender events;
  std::vector<ivrmedia::sim::SentPacket> sent;
  std::vector<std::uint8_t> payload(160);
  std::size_t key = 0;
  int key_ticks = -1;  // 20 ms ticks into the current key (press 120 ms, release 180 ms)
  for (std::size_t k = 0; (k + 1) * 160 <= voice.size(); ++k) {
    ivrmedia::sim::SentPacket packet;
    packet.send_time_us = static_cast<std::int64_t>(k) * 20000;
    packet.bytes.resize(builder.packet_size(payload.size()));
    std::size_t written = 0;
    const bool in_pin = k >= 50 && key < pin.size();
    if (in_pin && key_ticks < 0) {
      (void)events.begin(rtp::event_code(pin[key]), builder.next_timestamp(), 10);
      key_ticks = 0;
    }
    rtp::TelephoneEventSender::Packet ev;
    if (key_ticks >= 0 && ++key_ticks == 6) (void)events.end();
    if (key_ticks >= 0 && events.next(&ev)) {
      (void)builder.build_at(101, ev.payload, ev.timestamp, ev.marker, packet.bytes, &written);
      builder.skip(160);  // the event replaced this packet's audio
    } else {
      (void)ivrmedia::g711::encode(Law::mulaw, std::span(voice).subspan(k * 160, 160), payload);
      (void)builder.build(payload, 160, k == 0, packet.bytes, &written);
    }
    if (key_ticks >= 15) {  // 300 ms per key: next key
      key_ticks = -1;
      ++key;
    }
    packet.bytes.resize(written);
    sent.push_back(std::move(packet));
  }
  const auto arrivals = ivrmedia::sim::simulate(ivrmedia::sim::preset(preset, 7), sent);

  // Receiver.
  jitter::Config jc;
  jc.telephone_event_payload_type = 101;
  jitter::Buffer buffer(jc);
  std::vector<float> frame(buffer.frame_samples());
  played->clear();
  std::string heard;
  std::size_t next = 0;
  // Until the last packet has arrived and everything buffered has played (the call ends).
  const std::int64_t last_arrival_us = arrivals.empty() ? 0 : arrivals.back().arrival_time_us;
  for (std::int64_t tick = 20000;
       tick <= last_arrival_us + 20000 || buffer.statistics().buffered_packets > 0; tick += 20000) {
    for (; next < arrivals.size() && arrivals[next].arrival_time_us <= tick; ++next)
      (void)buffer.push(arrivals[next].bytes, arrivals[next].arrival_time_us);
    (void)buffer.pull(frame, tick, nullptr);
    for (float x : frame)
      played->push_back(
          static_cast<std::int16_t>(std::lround(std::clamp(x, -1.0f, 1.0f) * 32767.0f)));
    rtp::TelephoneEvent ev[4];
    for (std::size_t i = 0, n = buffer.read_events(ev); i < n; ++i)
      if (ev[i].phase == rtp::TelephoneEvent::Phase::begin) heard += rtp::event_char(ev[i].code);
  }
  const jitter::Statistics s = buffer.statistics();
  const jitter::Usage u = buffer.usage();
  std::printf(
      "  %-18s %5.1f %5lld %7.1f %5d %6.2f %7.1f %6.1f %5.2f  %-6s %6.2f/%-6.2f %lld/%lld\n",
      std::string(ivrmedia::sim::preset_name(preset)).c_str(), s.loss_rate * 100,
      static_cast<long long>(s.late), s.interarrival_jitter_ms, s.target_delay_ms,
      100.0 * static_cast<double>(s.samples_concealed) / static_cast<double>(s.samples_played),
      static_cast<double>(s.samples_accelerated + s.samples_expanded) / 8.0, s.r_factor, s.mos,
      heard.c_str(), u.seconds_received(), u.seconds_played(), static_cast<long long>(u.packets),
      static_cast<long long>(u.bytes));
  return heard;
}

// Hold music for the demo: a chord (root, third, fifth with two harmonics each and a slow
// vibrato) changing every second, 8 s, made to loop.
std::shared_ptr<const ivrmedia::mix::Prompt> hold_music() {
  const double chords[4][3] = {
      {261.6, 329.6, 392.0}, {220.0, 261.6, 329.6}, {174.6, 220.0, 261.6}, {196.0, 246.9, 293.7}};
  std::vector<float> x(kRate * 8);
  std::vector<double> phase(9, 0.0);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const auto& chord = chords[(i / kRate) % 4];
    const double vibrato = 1.0 + 0.003 * std::sin(2 * M_PI * 5.0 * double(i) / kRate);
    double v = 0;
    for (int n = 0; n < 3; ++n)
      for (int h = 1; h <= 3; ++h) {
        double& ph = phase[static_cast<std::size_t>(n * 3 + h - 1)];
        ph += 2 * M_PI * chord[n] * h * vibrato / kRate;
        v += std::sin(ph) / (h * h);
      }
    x[i] = static_cast<float>(0.05 * v);
  }
  return ivrmedia::mix::Prompt::adopt(std::move(x), kRate, "hold music");
}

// The IVR plays its menu over hold music (ducked 12 dB while the voice speaks); the caller
// presses '1' 2.3 s in; the detector's key-down barges in, the menu fades out and the music
// comes back up. Writes what the caller hears.
bool menu_step(const std::filesystem::path& out) {
  namespace mix = ivrmedia::mix;
  namespace dtmf = ivrmedia::dtmf;
  const auto menu =
      mix::Prompt::adopt(ivrmedia::sim::speech_like(kRate * 4, {kRate, -18.0, 21}), kRate, "menu");
  const auto more = mix::Prompt::adopt(ivrmedia::sim::speech_like(kRate * 3, {kRate, -18.0, 22}),
                                       kRate, "menu, part 2");
  mix::Player voice;
  mix::Player music;
  (void)music.play(hold_music(), {.loops = 0, .gain_db = -6, .fade_in_ms = 300});
  (void)voice.play(menu, {.delay_samples = kRate / 2, .id = 1});
  (void)voice.queue(more, {.id = 2});
  mix::Mixer mixer({.sample_rate_hz = kRate});
  dtmf::Detector detector({});
  mix::BargeIn barge({.sample_rate_hz = kRate});
  dtmf::Generator keys({});
  const std::size_t press_at = kRate * 23 / 10;
  std::vector<float> caller(160), voice_frame(160), music_frame(160);
  std::vector<std::int16_t> frame(160), heard;
  std::int64_t key_down_at = -1;
  std::printf("\nMenu: a prompt over hold music; the caller presses '1' at %.1f s\n",
              double(press_at) / kRate);
  for (std::size_t t = 0; t < kRate * 5; t += 160) {
    // The caller's side: silence, and the key.
    std::fill(caller.begin(), caller.end(), 0.0f);
    if (t == press_at) (void)keys.queue("1");
    keys.generate(caller);
    detector.process(caller);
    dtmf::Event ev[4];
    for (std::size_t i = 0, n = detector.read_events(ev); i < n; ++i) {
      mix::BargeIn::Event b;
      if (ev[i].type == dtmf::Event::Type::key_down && barge.key_down(ev[i].digit, &b)) {
        key_down_at = static_cast<std::int64_t>(t + 160);
        voice.barge_in(b.reason, b.digit);
      }
    }
    mix::BargeIn::Event b;
    if (barge.process(caller, &b)) voice.barge_in(b.reason);
    // The IVR's side: render both players and mix.
    voice.render(voice_frame);
    music.render(music_frame);
    const std::span<const float> fg[] = {voice_frame};
    const std::span<const float> bg[] = {music_frame};
    if (!ivrmedia::ok(mixer.process(fg, bg, std::span<std::int16_t>(frame)))) return false;
    heard.insert(heard.end(), frame.begin(), frame.end());
  }
  bool interrupted = false;
  mix::PlayerEvent events[16];
  for (std::size_t i = 0, n = voice.read_events(events); i < n; ++i) {
    const mix::PlayerEvent& e = events[i];
    const char* what = e.type == mix::PlayerEvent::Type::started    ? "started"
                       : e.type == mix::PlayerEvent::Type::finished ? "finished"
                                                                    : "interrupted";
    std::printf("  %7.1f ms  prompt %u %s at sample %lld", 1000.0 * double(e.time) / kRate, e.id,
                what, static_cast<long long>(e.position));
    if (e.type == mix::PlayerEvent::Type::interrupted) {
      interrupted = e.reason == mix::StopReason::barge_in_dtmf && e.digit == '1';
      std::printf(" (barge-in on key '%c': key-down %.0f ms after the tone began)", e.digit,
                  1000.0 * double(key_down_at - static_cast<std::int64_t>(press_at)) / kRate);
    }
    std::printf("\n");
  }
  const auto st = mixer.stats();
  std::printf("  music ducked for %.1f s of %.1f s; limiter reduced %lld samples, clamped %lld\n",
              double(st.ducked_samples) / kRate, double(st.samples) / kRate,
              static_cast<long long>(st.limiter.limited_samples),
              static_cast<long long>(st.limiter.clamped));
  return interrupted && write_wav(out / "menu_barge_in.wav", &heard, nullptr, 0);
}

bool network_step(const std::filesystem::path& out) {
  const std::string pin = "2580#";
  const std::vector<float> voice = ivrmedia::sim::speech_like(kRate * 4, {kRate, -20.0, 11});
  std::printf(
      "\nNetwork: the caller's PCMU RTP (PIN \"%s\" as RFC 4733 events) over simulated networks,\n"
      "through the jitter buffer; a 20 ms frame pulled every 20 ms\n"
      "  %-18s %5s %5s %7s %5s %6s %7s %6s %5s  %-6s %13s %s\n",
      pin.c_str(), "network", "loss%", "late", "jitter", "tgt", "conc%", "tsm ms", "R", "MOS",
      "heard", "recv/play s", "packets/bytes");
  bool ok = true;
  std::vector<std::int16_t> played;
  for (auto preset : {ivrmedia::sim::Preset::wired, ivrmedia::sim::Preset::mobile_lte,
                      ivrmedia::sim::Preset::mobile_3g_handover}) {
    ok = network_call(preset, voice, pin, &played) == pin && ok;
  }
  std::printf(
      "  (jitter: RFC 3550 interarrival jitter, ms; tgt: target delay, ms; tsm: audio time-\n"
      "  stretched; R/MOS: ITU-T G.107 estimate; the last call is written to caller_3g.wav)\n");
  return ok && write_wav(out / "caller_3g.wav", &played, nullptr, 0);
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  if (!parse(argc, argv, opt)) {
    usage();
    return 2;
  }
  const auto n = static_cast<std::size_t>(opt.seconds * kRate);
  std::printf("ivrmedia %s: G.711 round trip of %.1f s of synthetic speech at %d Hz\n",
              ivrmedia::version().data(), opt.seconds, kRate);
  const std::vector<std::int16_t> caller = ivrmedia::sim::speech_like_s16(n, {kRate, -20.0, 42});

  std::error_code ec;
  std::filesystem::create_directories(opt.out_dir, ec);
  const std::filesystem::path out = opt.out_dir;
  bool ok = write_wav(out / "caller.wav", &caller, nullptr, 0);

  std::printf("%-22s %10s %18s  %s\n", "path", "SNR (dB)", "enc+dec (Msamp/s)", "kernels");
  for (Law law : {Law::mulaw, Law::alaw}) {
    const Coder coder({law});
    std::vector<std::uint8_t> codes(n), other(n);
    std::vector<std::int16_t> back(n), via_other(n);
    const Coder other_coder({ivrmedia::g711::other(law)});
    if (!ivrmedia::ok(coder.encode(caller, codes)) || !ivrmedia::ok(coder.decode(codes, back)) ||
        !ivrmedia::ok(coder.transcode(codes, other)) ||
        !ivrmedia::ok(other_coder.decode(other, via_other))) {
      std::fprintf(stderr, "G.711 call failed\n");
      return 1;
    }
    const char* name = law == Law::mulaw ? "PCMU (mu-law)" : "PCMA (A-law)";
    std::printf("%-22s %10.2f %18.1f  %s\n", name, snr_db(caller, back),
                throughput(coder, caller) / 1e6, ivrmedia::simd_name(coder.simd_level()));
    std::printf("%-22s %10.2f %18s\n",
                law == Law::mulaw ? "PCMU -> PCMA -> linear" : "PCMA -> PCMU -> linear",
                snr_db(caller, via_other), "");
    const std::string stem = law == Law::mulaw ? "pcmu" : "pcma";
    ok = write_wav(out / (stem + "_decoded.wav"), &back, nullptr, 0) && ok;
    ok = write_wav(out / (stem + ".wav"), nullptr, &codes,
                   law == Law::mulaw ? SF_FORMAT_ULAW : SF_FORMAT_ALAW) &&
         ok;
  }
  ok = dtmf_step(out) && ok;
  ok = transcode_step(out) && ok;
  ok = network_step(out) && ok;
  ok = menu_step(out) && ok;
  std::printf(
      "wrote caller.wav, pcmu.wav, pcma.wav (G.711 WAV), *_decoded.wav, caller_dtmf.wav,\n"
      "caller_dtmf_masked.wav, caller_opus_to_pcmu.wav, caller_3g.wav and menu_barge_in.wav\n"
      "into %s\n",
      opt.out_dir.c_str());
  return ok ? 0 : 1;
}
