// codec::Transcoder: payload A in, payload B out. Exact sample and RTP timestamp accounting over
// hours of simulated input with losses, the decisions made at creation (opus decodes and encodes
// at the other side's rate), channel mapping, tone quality through resampling, errors and the
// real-time rule (no allocation per frame).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/g711.hpp"
#include "ivrmedia/transcoder.hpp"
#include "sim/speech_like.hpp"
#include "support/alloc_counter.hpp"
#include "support/sanitizers.hpp"

namespace {

using ivrmedia::Status;
namespace codec = ivrmedia::codec;

codec::Transcoder::Config config(codec::Format in, codec::Format out, int out_ptime = 20) {
  codec::Transcoder::Config c;
  c.input.format = std::move(in);
  c.output.format = std::move(out);
  c.output.ptime_ms = out_ptime;
  return c;
}

// Encodes `x` with `name` in frames of `ptime` ms.
std::vector<std::vector<std::uint8_t>> packets_of(const codec::Format& f, int ptime,
                                                  const std::vector<float>& x, int rate = 0) {
  codec::EncoderConfig c;
  c.format = f;
  c.ptime_ms = ptime;
  c.sample_rate_hz = rate;
  auto e = codec::make_encoder(c);
  const std::size_t n = static_cast<std::size_t>(e->info().frame_samples) * e->info().channels;
  std::vector<std::vector<std::uint8_t>> p;
  std::vector<std::uint8_t> buf(e->info().max_payload_bytes);
  for (std::size_t off = 0; off + n <= x.size(); off += n) {
    std::size_t written = 0;
    EXPECT_EQ(e->encode(std::span(x.data() + off, n), buf, &written), Status::ok);
    p.emplace_back(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(written));
  }
  return p;
}

// Pulls every ready payload; returns how many.
int drain(codec::Transcoder& t, std::vector<std::vector<std::uint8_t>>* out = nullptr) {
  std::vector<std::uint8_t> buf(t.output_info().max_payload_bytes);
  int count = 0;
  for (;;) {
    std::size_t written = 0;
    EXPECT_EQ(t.pull(buf, &written), Status::ok);
    if (written == 0) return count;
    ++count;
    if (out) out->emplace_back(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(written));
  }
}

std::int64_t buffered(const codec::Transcoder& t) {
  return t.stats().resampled_samples - t.stats().output_samples;
}

// G.711 to G.711 needs no resampler: the output is exactly decode-then-encode.
TEST(Transcoder, PcmuToPcmaIsDecodeThenEncode) {
  codec::Transcoder t(config({"PCMU"}, {"PCMA"}));
  EXPECT_EQ(t.latency_samples(), 0.0);
  const auto x = ivrmedia::sim::speech_like(8000, {.sample_rate_hz = 8000});
  const auto in = packets_of({"PCMU"}, 20, x);
  std::vector<std::vector<std::uint8_t>> out;
  for (const auto& p : in) {
    ASSERT_EQ(t.push(p), Status::ok);
    drain(t, &out);
  }
  ASSERT_EQ(out.size(), in.size());
  for (std::size_t k = 0; k < in.size(); ++k) {
    std::vector<std::int16_t> pcm(160);
    std::vector<std::uint8_t> ref(160);
    ASSERT_EQ(ivrmedia::g711::decode(ivrmedia::g711::Law::mulaw, in[k], pcm), Status::ok);
    ASSERT_EQ(ivrmedia::g711::encode(ivrmedia::g711::Law::alaw, pcm, ref), Status::ok);
    ASSERT_EQ(out[k], ref) << "packet " << k;
  }
}

// The caller speaks opus, the IVR answers in G.711: libopus decodes straight at 8 kHz (no
// resampler), and the reverse direction encodes opus from 8 kHz PCM.
TEST(Transcoder, OpusMeetsG711WithoutResampling) {
  codec::Transcoder down(config({"opus", 48000, 2}, {"PCMU"}));
  EXPECT_EQ(down.input_info().sample_rate_hz, 8000);
  EXPECT_EQ(down.latency_samples(), 0.0);
  codec::Transcoder up(config({"PCMU"}, {"opus", 48000, 2}));
  EXPECT_EQ(up.output_info().sample_rate_hz, 8000);
  EXPECT_EQ(up.output_info().rtp_clock_hz, 48000);
  const auto x = ivrmedia::sim::speech_like(48000 * 2, {.sample_rate_hz = 48000});
  const auto in = packets_of({"opus", 48000, 2}, 20, x, 48000);
  int out = 0;
  for (const auto& p : in) {
    ASSERT_EQ(down.push(p), Status::ok);
    out += drain(down);
  }
  EXPECT_EQ(out, static_cast<int>(in.size()));
}

// A 1 kHz tone through G.722 (16 kHz) -> PCMU (8 kHz) keeps its frequency and level: the
// resampler's passband and the codecs' noise floor together stay above 30 dB SNR.
TEST(Transcoder, G722ToPcmuKeepsATone) {
  codec::Transcoder t(config({"G722"}, {"PCMU"}, 30));
  EXPECT_GT(t.latency_samples(), 0.0);
  std::vector<float> x(16000 * 2);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = 0.3f * static_cast<float>(std::sin(2 * M_PI * 1000.0 * static_cast<double>(i) / 16000));
  std::vector<std::vector<std::uint8_t>> out;
  for (const auto& p : packets_of({"G722"}, 20, x)) {
    ASSERT_EQ(t.push(p), Status::ok);
    drain(t, &out);
  }
  std::vector<float> y;
  for (const auto& p : out) {
    std::vector<float> pcm(p.size());
    ASSERT_EQ(ivrmedia::g711::decode(ivrmedia::g711::Law::mulaw, p, std::span(pcm)), Status::ok);
    y.insert(y.end(), pcm.begin(), pcm.end());
  }
  // Fit a 1 kHz sinusoid over the settled second half; the residual is noise and distortion.
  const std::size_t a = y.size() / 2, n = y.size() - a;
  double c = 0, s = 0;
  for (std::size_t i = a; i < y.size(); ++i) {
    const double w = 2 * M_PI * 1000.0 * static_cast<double>(i) / 8000;
    c += y[i] * std::cos(w);
    s += y[i] * std::sin(w);
  }
  c *= 2.0 / static_cast<double>(n);
  s *= 2.0 / static_cast<double>(n);
  double err = 0, sig = 0;
  for (std::size_t i = a; i < y.size(); ++i) {
    const double w = 2 * M_PI * 1000.0 * static_cast<double>(i) / 8000;
    const double fit = c * std::cos(w) + s * std::sin(w);
    err += (y[i] - fit) * (y[i] - fit);
    sig += fit * fit;
  }
  EXPECT_NEAR(std::hypot(c, s), 0.3, 0.3 * 0.05);  // level within 0.4 dB
  EXPECT_GT(10 * std::log10(sig / err), 30.0);
}

// Mono and stereo meet by averaging or duplicating.
TEST(Transcoder, ChannelMapping) {
  codec::Transcoder up(config({"PCMU"}, {"L16", 8000, 2}));
  EXPECT_EQ(up.output_info().channels, 2);
  std::vector<std::uint8_t> p(160, 0x80);  // mu-law 0x80 = +32124
  ASSERT_EQ(up.push(p), Status::ok);
  std::vector<std::vector<std::uint8_t>> out;
  drain(up, &out);
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].size(), 640u);
  for (std::size_t i = 0; i < 640; i += 4) {
    ASSERT_EQ(out[0][i], out[0][i + 2]);
    ASSERT_EQ(out[0][i + 1], out[0][i + 3]);
  }
  codec::Transcoder down(config({"L16", 8000, 2}, {"L16", 8000, 1}));
  std::vector<std::uint8_t> st(640);
  for (std::size_t i = 0; i < 640; i += 4) {  // left 1000, right 3000
    st[i] = 1000 >> 8, st[i + 1] = 1000 & 0xFF, st[i + 2] = 3000 >> 8, st[i + 3] = 3000 & 0xFF;
  }
  ASSERT_EQ(down.push(st), Status::ok);
  out.clear();
  drain(down, &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ((out[0][0] << 8) | out[0][1], 2000);
}

// RFC 3550 timestamps of the output leg stay locked to the input leg's: over two hours of G.722
// (16 kHz on an 8 kHz RTP clock) in 20 ms packets, with a loss every 97 packets concealed, out to
// PCMU in 30 ms packets, input RTP units and output samples agree exactly at every step.
TEST(Transcoder, TimestampAccountingIsExactOverHours) {
  codec::Transcoder t(config({"G722"}, {"PCMU"}, 30));
  // A pool of distinct payloads so the input does not repeat too regularly.
  const auto x = ivrmedia::sim::speech_like(16000 * 10, {.sample_rate_hz = 16000, .seed = 5});
  const auto pool = packets_of({"G722"}, 20, x);
  std::vector<std::uint8_t> buf(t.output_info().max_payload_bytes);
  // Two hours of 20 ms packets (20 minutes under the sanitizers).
  const std::int64_t packets = ivrm_test::long_run(2LL * 3600 * 50, 20LL * 60 * 50);
  std::int64_t input_units = 0;  // RTP units of the input leg
  std::int64_t output_packets = 0;
  for (std::int64_t k = 0; k < packets; ++k) {
    if (k % 97 == 42) {
      ASSERT_EQ(t.push_loss(160), Status::ok);
    } else {
      ASSERT_EQ(t.push(pool[static_cast<std::size_t>(k) % pool.size()]), Status::ok);
    }
    input_units += 160;
    for (;;) {
      std::size_t written = 0;
      ASSERT_EQ(t.pull(buf, &written), Status::ok);
      if (written == 0) break;
      ASSERT_EQ(written, 240u);
      ++output_packets;
    }
    // The invariants of Transcoder::Stats, exactly, at every step.
    const auto& s = t.stats();
    ASSERT_EQ(s.decoded_samples, 2 * input_units);  // RFC 3551: 16 kHz audio, 8 kHz clock
    ASSERT_EQ(s.output_samples, output_packets * 240);
    ASSERT_EQ(s.output_samples + buffered(t), s.resampled_samples);
    ASSERT_EQ(s.resampled_samples, s.decoded_samples / 2);
  }
  EXPECT_EQ(t.stats().concealed_samples, (packets / 97 + (packets % 97 > 42)) * 320);
  // Both legs count 8000 units per second: the difference is exactly what is buffered.
  EXPECT_EQ(output_packets * 240 + buffered(t), input_units);
  EXPECT_LT(buffered(t), 240);
}

TEST(Transcoder, ErrorsAndBackPressure) {
  codec::Transcoder t(config({"PCMU"}, {"PCMU"}, 20));
  std::vector<std::uint8_t> p(160, 0xFF), out(160);
  std::size_t written = 0;
  EXPECT_EQ(t.pull(out, nullptr), Status::null_pointer);
  EXPECT_EQ(t.pull(std::span(out.data(), 10), &written), Status::buffer_too_small);
  EXPECT_EQ(t.push({}), Status::malformed);
  EXPECT_EQ(t.stats().malformed, 1);
  EXPECT_EQ(t.push_loss(-1), Status::invalid_argument);
  EXPECT_EQ(t.push_loss(8 * 121), Status::out_of_range);  // split long gaps
  EXPECT_EQ(t.push_fec({}, 160), Status::invalid_argument);
  // Without pulls the FIFO fills and push says so, consuming nothing.
  Status s = Status::ok;
  int pushed = 0;
  while ((s = t.push(p)) == Status::ok)
    ++pushed;
  EXPECT_EQ(s, Status::full);
  EXPECT_EQ(t.stats().packets_in, pushed);
  EXPECT_EQ(static_cast<int>(t.frames_ready()), pushed);
  ASSERT_EQ(t.pull(out, &written), Status::ok);
  EXPECT_EQ(written, 160u);
  // opus gaps must be whole samples of the decode rate and whole 2.5 ms steps
  codec::Transcoder o(config({"opus", 48000, 2}, {"PCMU"}));
  EXPECT_EQ(o.push_loss(100), Status::invalid_argument);  // 100/6 samples at 8 kHz
  EXPECT_EQ(o.push_loss(960), Status::ok);
}

TEST(Transcoder, NoAllocationPerFrame) {
  for (auto [a, b] : {std::pair<codec::Format, codec::Format>{{"G722"}, {"PCMU"}},
                      std::pair<codec::Format, codec::Format>{{"opus", 48000, 2}, {"PCMA"}},
                      std::pair<codec::Format, codec::Format>{{"PCMU"}, {"opus", 48000, 2}}}) {
    SCOPED_TRACE(a.name + " -> " + b.name);
    codec::Transcoder t(config(a, b));
    const int rate = a.name == "G722" ? 16000 : a.name == "opus" ? 48000 : 8000;
    const auto x =
        ivrmedia::sim::speech_like(static_cast<std::size_t>(rate), {.sample_rate_hz = rate});
    const auto in = packets_of(a, 20, x, a.name == "opus" ? 48000 : 0);
    const std::int64_t units = a.name == "opus" ? 960 : 160;
    std::vector<std::uint8_t> buf(t.output_info().max_payload_bytes);
    ivrm_test::AllocationScope scope;
    for (std::size_t k = 0; k < in.size(); ++k) {
      ASSERT_EQ(k % 5 == 2 ? t.push_loss(units) : t.push(in[k]), Status::ok);
      std::size_t written = 1;
      while (written != 0)
        ASSERT_EQ(t.pull(buf, &written), Status::ok);
    }
    EXPECT_EQ(scope.count(), 0);
  }
}

}  // namespace
