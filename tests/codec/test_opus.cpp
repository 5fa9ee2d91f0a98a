// opus through codec::Encoder/Decoder (RFC 7587, libopus): mono/stereo packets to mono/stereo
// PCM, in-band FEC recovery beating plain concealment, spectrum kept at 24 kbit/s wideband, and
// DTMF digits surviving 16 kbit/s (ITU-T Q.24 detector of lib/dtmf).
#include <fftw3.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/dtmf.hpp"
#include "sim/speech_like.hpp"

namespace {

using ivrmedia::Status;
namespace codec = ivrmedia::codec;

codec::EncoderConfig opus_encoder(int rate, int channels, int bitrate) {
  codec::EncoderConfig c;
  c.format = {"opus", 48000, 2};
  c.sample_rate_hz = rate;
  c.channels = channels;
  c.opus.bitrate_bps = bitrate;
  return c;
}
codec::DecoderConfig opus_decoder(int rate, int channels) {
  codec::DecoderConfig c;
  c.format = {"opus", 48000, 2};
  c.sample_rate_hz = rate;
  c.channels = channels;
  return c;
}

// Encodes `x` (interleaved) frame by frame; returns the payloads.
std::vector<std::vector<std::uint8_t>> encode_all(codec::Encoder& e, const std::vector<float>& x) {
  const std::size_t n = static_cast<std::size_t>(e.info().frame_samples) * e.info().channels;
  std::vector<std::vector<std::uint8_t>> packets;
  std::vector<std::uint8_t> buf(e.info().max_payload_bytes);
  for (std::size_t off = 0; off + n <= x.size(); off += n) {
    std::size_t written = 0;
    EXPECT_EQ(e.encode(std::span(x.data() + off, n), buf, &written), Status::ok);
    packets.emplace_back(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(written));
  }
  return packets;
}

std::vector<float> decode_all(codec::Decoder& d,
                              const std::vector<std::vector<std::uint8_t>>& packets) {
  std::vector<float> y;
  std::vector<float> frame(d.info().max_samples * d.info().channels);
  for (const auto& p : packets) {
    std::size_t samples = 0;
    EXPECT_EQ(d.decode(p, std::span(frame), &samples), Status::ok);
    y.insert(y.end(), frame.begin(),
             frame.begin() + static_cast<std::ptrdiff_t>(samples * d.info().channels));
  }
  return y;
}

// RFC 7587 section 3.1 / RFC 6716: a receiver decodes mono and stereo packets to whatever
// channel count it wants.
TEST(CodecOpusRfc7587, MonoAndStereoPacketsDecodeToEitherLayout) {
  const auto mono = ivrmedia::sim::speech_like(48000, {.sample_rate_hz = 48000});
  std::vector<float> stereo(2 * mono.size());
  for (std::size_t i = 0; i < mono.size(); ++i) {
    stereo[2 * i] = mono[i];
    stereo[2 * i + 1] = 0.5f * mono[i];
  }
  auto es = codec::make_encoder(opus_encoder(48000, 2, 48000));
  auto em = codec::make_encoder(opus_encoder(48000, 1, 24000));
  const auto ps = encode_all(*es, stereo);
  const auto pm = encode_all(*em, mono);
  auto to_mono = codec::make_decoder(opus_decoder(16000, 1));
  auto to_stereo = codec::make_decoder(opus_decoder(48000, 2));
  const auto a = decode_all(*to_mono, ps);
  EXPECT_EQ(a.size(), ps.size() * 320);  // 20 ms at 16 kHz, one channel
  const auto b = decode_all(*to_stereo, pm);
  ASSERT_EQ(b.size(), pm.size() * 960 * 2);
  double energy = 0;
  for (std::size_t i = 0; i < b.size(); i += 2) {
    ASSERT_EQ(b[i], b[i + 1]);  // a mono packet plays the same on both sides
    energy += b[i] * b[i];
  }
  EXPECT_GT(energy, 1.0);
  std::size_t samples = 0;
  EXPECT_EQ(to_stereo->samples_in(ps[0], &samples), Status::ok);
  EXPECT_EQ(samples, 960u);
}

double error_db(const float* a, const float* b, std::size_t n) {
  double e = 0, s = 0;
  for (std::size_t i = 0; i < n; ++i) {
    e += (a[i] - b[i]) * (a[i] - b[i]);
    s += b[i] * b[i];
  }
  return 10 * std::log10((e + 1e-12) / (s + 1e-12));
}

// RFC 7587 section 3.3 / RFC 6716 section 2.1.7: a packet lost before one carrying LBRR data is
// recovered from it (decode_fec) much closer to the lossless decode than concealment gets.
TEST(CodecOpusFec, RecoveryFromTheNextPacketBeatsConcealment) {
  auto cfg = opus_encoder(16000, 1, 24000);
  cfg.opus.inband_fec = true;
  cfg.opus.expected_loss_percent = 20;
  auto e = codec::make_encoder(cfg);
  const auto x = ivrmedia::sim::speech_like(16000 * 6, {.sample_rate_hz = 16000, .seed = 7});
  const auto packets = encode_all(*e, x);
  auto lossless = codec::make_decoder(opus_decoder(16000, 1));
  auto with_fec = codec::make_decoder(opus_decoder(16000, 1));
  auto with_plc = codec::make_decoder(opus_decoder(16000, 1));
  EXPECT_TRUE(with_fec->has_fec());
  std::vector<float> ref(320), fec(320), plc(320);
  double fec_db = 0, plc_db = 0;
  int losses = 0;
  for (std::size_t k = 0; k < packets.size(); ++k) {
    std::size_t n = 0;
    ASSERT_EQ(lossless->decode(packets[k], std::span(ref), &n), Status::ok);
    const bool lost = k % 7 == 3 && k + 1 < packets.size();
    if (lost) {
      ASSERT_EQ(with_fec->decode_fec(packets[k + 1], std::span(fec)), Status::ok);
      ASSERT_EQ(with_plc->conceal(std::span(plc)), Status::ok);
      fec_db += error_db(fec.data(), ref.data(), 320);
      plc_db += error_db(plc.data(), ref.data(), 320);
      ++losses;
    } else {
      ASSERT_EQ(with_fec->decode(packets[k], std::span(fec), &n), Status::ok);
      ASSERT_EQ(with_plc->decode(packets[k], std::span(plc), &n), Status::ok);
    }
  }
  fec_db /= losses;
  plc_db /= losses;
  std::printf(
      "opus 24 kbit/s, %d lost frames: error vs lossless decode: FEC %.1f dB, PLC %.1f dB\n",
      losses, fec_db, plc_db);
  EXPECT_LT(fec_db, plc_db - 6.0);
  EXPECT_LT(fec_db, -6.0);
}

// Welch power spectrum (Hann, 1024 points, half overlap) of a 16 kHz signal.
std::vector<double> power_spectrum(const std::vector<float>& x) {
  constexpr int kN = 1024;
  std::vector<float> in(kN);
  std::vector<fftwf_complex> out(kN / 2 + 1);
  fftwf_plan plan = fftwf_plan_dft_r2c_1d(kN, in.data(), out.data(), FFTW_ESTIMATE);
  std::vector<double> p(kN / 2 + 1, 0.0);
  for (std::size_t off = 0; off + kN <= x.size(); off += kN / 2) {
    for (int i = 0; i < kN; ++i)
      in[i] = x[off + i] * static_cast<float>(0.5 - 0.5 * std::cos(2 * M_PI * i / kN));
    fftwf_execute(plan);
    for (int k = 0; k <= kN / 2; ++k)
      p[k] += out[k][0] * out[k][0] + out[k][1] * out[k][1];
  }
  fftwf_destroy_plan(plan);
  return p;
}

double band_db(const std::vector<double>& p, double lo_hz, double hi_hz) {
  double e = 1e-30;
  for (std::size_t k = 0; k < p.size(); ++k) {
    const double f = static_cast<double>(k) * 16000.0 / 1024;
    if (f >= lo_hz && f < hi_hz) e += p[k];
  }
  return 10 * std::log10(e);
}

// Quality check of issue 5: opus at 24 kbit/s wideband keeps the long-term spectrum of speech:
// every third-octave band from 125 Hz to 1 kHz (pitch, first formant) within 1.5 dB, and up to
// 6.3 kHz within 4.5 dB (at this rate opus spends fewer bits on the upper bands: the speech-like
// test signal loses about 3 dB around 4-6 kHz).
TEST(CodecOpusQuality, WidebandAt24kbpsKeepsTheSpectrum) {
  auto cfg = opus_encoder(16000, 1, 24000);
  cfg.opus.max_bandwidth = codec::OpusSettings::Bandwidth::wideband;
  auto e = codec::make_encoder(cfg);
  auto d = codec::make_decoder(opus_decoder(16000, 1));
  const auto x = ivrmedia::sim::speech_like(16000 * 8, {.sample_rate_hz = 16000, .seed = 3});
  const auto y = decode_all(*d, encode_all(*e, x));
  const auto px = power_spectrum(x);
  const auto py = power_spectrum(y);
  for (int band = 0; band <= 17; ++band) {  // 125 Hz * 2^(band/3): 125 Hz .. 6.35 kHz
    const double fc = 125.0 * std::pow(2.0, band / 3.0);
    const double lo = fc / std::pow(2.0, 1.0 / 6), hi = fc * std::pow(2.0, 1.0 / 6);
    const double diff = band_db(py, lo, hi) - band_db(px, lo, hi);
    std::printf("third-octave band %6.0f Hz: %+.2f dB\n", fc, diff);
    EXPECT_LT(std::abs(diff), fc <= 1000 ? 1.5 : 4.5) << "band at " << fc << " Hz";
  }
}

// DTMF after opus at 16 kbit/s (issue 4 item 4 extended to opus): every digit is detected once,
// in order, by the ITU-T Q.24 detector.
TEST(CodecOpusQuality, DtmfDigitsSurvive16kbps) {
  for (int rate : {8000, 16000}) {
    SCOPED_TRACE(rate);
    ivrmedia::dtmf::Generator gen({.sample_rate_hz = rate});
    const std::string digits = "0123456789*#ABCD";
    ASSERT_EQ(gen.queue(digits), Status::ok);
    std::vector<float> x(static_cast<std::size_t>(rate) * 3);
    gen.generate(x);
    auto e = codec::make_encoder(opus_encoder(rate, 1, 16000));
    auto d = codec::make_decoder(opus_decoder(rate, 1));
    const auto y = decode_all(*d, encode_all(*e, x));
    ivrmedia::dtmf::Detector det({.sample_rate_hz = rate});
    det.process(std::span(y));
    std::vector<ivrmedia::dtmf::Event> events(64);
    events.resize(det.read_events(events));
    std::string got;
    for (const auto& ev : events)
      if (ev.type == ivrmedia::dtmf::Event::Type::key_up) got += ev.digit;
    EXPECT_EQ(got, digits);
  }
}

}  // namespace
