// ITU-T G.722 packet-loss concealment (g722::Decoder::conceal): the ITU's PLCs (G.722
// Appendices III and IV) keep the sub-band ADPCM state in step with the concealed audio so
// decoding resumes cleanly; here the 16 kHz concealment (G.711 Appendix I style) is re-encoded
// from the decoder's own band states. Checked on speech-like audio with random losses against
// the lossless decode: concealment beats silence substitution, no step at recovery, recovery
// converges within a few packets (and faster than a decoder whose state stayed stale); chunking
// independence, every mode, no allocation, silence without history.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "codec/plc_signals.hpp"
#include "ivrmedia/g722.hpp"
#include "sim/speech_like.hpp"
#include "support/alloc_counter.hpp"

namespace {

using ivrmedia::Status;
namespace g722 = ivrmedia::g722;

constexpr std::size_t kPacket = 320;  // 20 ms at 16 kHz: 160 octets
constexpr std::size_t kOctets = kPacket / 2;

std::vector<std::uint8_t> encode(const std::vector<std::int16_t>& x, g722::Mode mode) {
  g722::Encoder enc(mode);
  std::vector<std::uint8_t> c(x.size() / 2);
  EXPECT_EQ(enc.encode(x, c), Status::ok);
  return c;
}

std::vector<std::int16_t> decode_all(const std::vector<std::uint8_t>& c, g722::Mode mode) {
  g722::Decoder dec(mode);
  std::vector<std::int16_t> y(2 * c.size());
  EXPECT_EQ(dec.decode(c, y), Status::ok);
  return y;
}

// Lost packets concealed (ours) or replaced by silence with the decoder skipping them, its
// state left as it was before the loss (the naive receiver).
std::vector<std::int16_t> decode_with_losses(const std::vector<std::uint8_t>& c,
                                             const std::vector<bool>& lost, g722::Mode mode,
                                             bool conceal) {
  g722::Decoder dec(mode);
  std::vector<std::int16_t> y(2 * c.size());
  for (std::size_t p = 0; p < lost.size(); ++p) {
    const auto out = std::span(y).subspan(p * kPacket, kPacket);
    if (!lost[p]) {
      EXPECT_EQ(dec.decode(std::span(c).subspan(p * kOctets, kOctets), out), Status::ok);
    } else if (conceal) {
      EXPECT_EQ(dec.conceal(out), Status::ok);
    }  // else: silence (y is zero-initialized)
  }
  return y;
}

struct Figures {
  double lost, after, all;  // segmental SNR against the lossless decode, dB
  // SNR of the k-th packet after a single lost packet, pooled over those followed by at least
  // kTrack good packets (k = 0: the lost packet).
  std::array<double, 9> track;
  float recovery_step;  // largest sample-to-sample step within 2 ms of a return to good audio
};
constexpr std::size_t kTrack = 8;

Figures measure(const std::vector<std::int16_t>& ref16, const std::vector<std::int16_t>& got16,
                const std::vector<bool>& lost) {
  const auto ref = plc_test::to_float(ref16), got = plc_test::to_float(got16);
  const auto masks = plc_test::loss_masks(lost, 2);  // 10 ms segments
  Figures f{plc_test::segmental_snr(ref, got, 160, &masks.lost),
            plc_test::segmental_snr(ref, got, 160, &masks.after),
            plc_test::segmental_snr(ref, got, 160),
            {},
            0.0f};
  for (std::size_t k = 0; k <= kTrack; ++k) {
    double s = 0, e = 0;
    for (std::size_t p = 1; p + kTrack < lost.size(); ++p) {
      bool isolated = lost[p] && !lost[p - 1];
      for (std::size_t j = 1; j <= kTrack; ++j)
        isolated = isolated && !lost[p + j];
      if (!isolated) continue;
      for (std::size_t i = (p + k) * kPacket; i < (p + k + 1) * kPacket; ++i) {
        s += double(ref[i]) * ref[i];
        e += (double(ref[i]) - got[i]) * (double(ref[i]) - got[i]);
      }
    }
    f.track[k] = 10 * std::log10(s / std::max(e, 1e-20));
  }
  for (std::size_t p = 1; p < lost.size(); ++p) {
    if (lost[p] || !lost[p - 1]) continue;
    f.recovery_step =
        std::max(f.recovery_step, plc_test::max_jump(std::span(got).subspan(p * kPacket - 32, 64)));
  }
  return f;
}

void print(const char* what, const Figures& ours, const Figures& stale, float own_step) {
  std::printf(
      "[ g722 plc ] %s, segSNR (dB) ours/silence: lost packets %.2f/%.2f, packet after "
      "%.2f/%.2f, all %.2f/%.2f; step at recovery %.3f/%.3f (lossless max %.3f)\n[ g722 plc ]   "
      "SNR k packets after a loss (dB), ours/stale:",
      what, ours.lost, stale.lost, ours.after, stale.after, ours.all, stale.all, ours.recovery_step,
      stale.recovery_step, own_step);
  for (std::size_t k = 1; k <= kTrack; ++k)
    std::printf(" %zu: %.1f/%.1f", k, ours.track[k], stale.track[k]);
  std::printf("\n");
}

TEST(G722Plc, ConcealmentBeatsSilenceAndRecoveryConvergesOnSpeechWithRandomLosses) {
  // 60 s of speech-like audio per case, 20 ms packets, independent losses. Thresholds (the
  // measured figures are printed):
  //  - over the lost packets, at least 1 dB more segmental SNR than silence substitution
  //    (silence scores 0 dB there; the concealment is pitch repetition, G.711 Appendix I);
  //  - the largest step within 2 ms of each return to good audio is no larger than the
  //    lossless decode's largest step anywhere;
  //  - recovery converges: the 6th packet after a lost one is within 15 dB SNR of the lossless
  //    decode, at least 6 dB closer than the 2nd. How fast a state mismatch fades is G.722's
  //    own adaptation (leaky predictor coefficients, about 3-4 dB per 20 ms here); keeping the
  //    state in step mainly buys continuity, and after long losses a clean start (below).
  for (const auto mode : {g722::Mode::kbps64, g722::Mode::kbps56, g722::Mode::kbps48}) {
    for (const double loss : {0.10, 0.20}) {
      SCOPED_TRACE(testing::Message()
                   << "mode " << static_cast<int>(mode) << ", " << loss * 100 << " % loss");
      const std::size_t n = 16000 * 60;
      const auto x = ivrmedia::sim::speech_like_s16(n, {16000, -20.0, 722});
      const auto c = encode(x, mode);
      const auto ref = decode_all(c, mode);
      const auto lost =
          plc_test::random_losses(n / kPacket, loss, 9 + static_cast<std::uint64_t>(mode));
      const auto ours = measure(ref, decode_with_losses(c, lost, mode, true), lost);
      const auto stale = measure(ref, decode_with_losses(c, lost, mode, false), lost);
      const float own_step = plc_test::max_jump(plc_test::to_float(ref));
      const auto what = testing::Message()
                        << "mode " << static_cast<int>(mode) << ", " << loss * 100 << " % loss";
      print(what.GetString().c_str(), ours, stale, own_step);
      EXPECT_GT(ours.lost, stale.lost + 1.0);
      EXPECT_LE(ours.recovery_step, own_step);
      EXPECT_GT(ours.track[6], 15.0);
      EXPECT_GT(ours.track[6], ours.track[2] + 6.0);
    }
  }
}

TEST(G722Plc, AfterLongLossesRecoveryIsCleanAndNoWorseThanAStaleState) {
  // Bursts of 5 and 8 lost packets (100 and 160 ms: the concealment has faded to silence, the
  // predictor coefficients were frozen when it did, the scale factors resume their pre-loss
  // values). The return to audio is a fade, not a jump: its largest step is under 15 % of the
  // lossless decode's largest, and under a quarter of a silence-substituting receiver's. In
  // the four packets after the loss the output is on average at least as close to the
  // lossless decode as with a state left stale by the loss.
  const std::size_t n = 16000 * 120;
  const auto x = ivrmedia::sim::speech_like_s16(n, {16000, -20.0, 723});
  const auto c = encode(x, g722::Mode::kbps64);
  const auto ref = decode_all(c, g722::Mode::kbps64);
  const float own_step = plc_test::max_jump(plc_test::to_float(ref));
  for (const std::size_t burst : {5u, 8u}) {
    SCOPED_TRACE(burst);
    std::vector<bool> lost(n / kPacket);
    for (std::size_t p = 10; p + burst < lost.size(); p += 23)
      for (std::size_t j = 0; j < burst; ++j)
        lost[p + j] = true;
    // measure() tracks single losses; here the last packet of each burst plays that part.
    std::vector<bool> last(lost.size());
    for (std::size_t p = 1; p + 1 < lost.size(); ++p)
      last[p] = lost[p] && !lost[p + 1];
    const auto ours_y = decode_with_losses(c, lost, g722::Mode::kbps64, true);
    const auto stale_y = decode_with_losses(c, lost, g722::Mode::kbps64, false);
    const auto ours = measure(ref, ours_y, last), stale = measure(ref, stale_y, last);
    Figures o = measure(ref, ours_y, lost), s = measure(ref, stale_y, lost);
    o.track = ours.track;
    s.track = stale.track;
    const auto what = testing::Message() << burst * 20 << " ms bursts";
    print(what.GetString().c_str(), o, s, own_step);
    EXPECT_LT(o.recovery_step, 0.15f * own_step);
    EXPECT_LT(o.recovery_step, 0.25f * s.recovery_step);
    double mean_ours = 0, mean_stale = 0;
    for (std::size_t k = 1; k <= 4; ++k) {
      mean_ours += ours.track[k] / 4;
      mean_stale += stale.track[k] / 4;
    }
    EXPECT_GE(mean_ours, mean_stale);
  }
}

TEST(G722Plc, ContinuesASteadyVowelWithoutStepsAtEitherEdgeOfTheLoss) {
  // /a/ at 125 Hz through G.722: the first 10 ms of a loss follow the lossless decode closely,
  // around the start and the end of losses of 20, 40 and 80 ms no step exceeds the lossless
  // decode's own largest by more than 10 %, and the level is back right after.
  const auto x = plc_test::to_s16(plc_test::vowel(128, 16000, 16000, 0.3));
  const auto c = encode(x, g722::Mode::kbps64);
  const auto ref = decode_all(c, g722::Mode::kbps64);
  const float own = plc_test::max_jump(plc_test::to_float(ref));
  for (const std::size_t packets : {1u, 2u, 4u}) {
    SCOPED_TRACE(packets);
    std::vector<bool> lost(c.size() / kOctets);
    for (std::size_t j = 0; j < packets; ++j)
      lost[20 + j] = true;
    const auto y = plc_test::to_float(decode_with_losses(c, lost, g722::Mode::kbps64, true));
    const auto r = plc_test::to_float(ref);
    double s = 0, e = 0;
    for (std::size_t i = 20 * kPacket; i < 20 * kPacket + 160; ++i) {
      s += double(r[i]) * r[i];
      e += (double(r[i]) - y[i]) * (double(r[i]) - y[i]);
    }
    const double snr = 10 * std::log10(s / e);
    const float start = plc_test::max_jump(std::span(y).subspan(20 * kPacket - 80, 160));
    const float end = plc_test::max_jump(std::span(y).subspan((20 + packets) * kPacket - 80, 160));
    std::printf(
        "[ g722 plc ] vowel, %zu ms loss: first 10 ms SNR %.1f dB; largest step at start "
        "%.3f, at end %.3f (lossless %.3f); level of good packets 2-6 re lossless:",
        packets * 20, snr, start, end, own);
    EXPECT_GT(snr, 20.0);
    EXPECT_LE(start, 1.1f * own);
    EXPECT_LE(end, 1.1f * own);
    // The level returns with the first packets: within 20 % of the lossless decode's from the
    // second packet after the loss on (the first holds the recovery fade). During a loss the
    // scale factors follow the fading concealment; after losses that faded out completely
    // they resume their pre-loss values.
    for (std::size_t k = 1; k <= 5; ++k) {  // k = 0: the first good packet
      const auto at = (20 + packets + k) * kPacket;
      const double ratio = plc_test::rms(std::span(y).subspan(at, kPacket)) /
                           plc_test::rms(std::span(r).subspan(at, kPacket));
      EXPECT_NEAR(ratio, 1.0, 0.2) << "good packet " << k + 1 << " after the loss";
      std::printf(" %.2f", ratio);
    }
    std::printf("\n");
  }
}

TEST(G722Plc, ResultsDoNotDependOnHowLossesAndPacketsAreSplitIntoCalls) {
  const std::size_t n = 16000;
  const auto x = ivrmedia::sim::speech_like_s16(n, {16000, -18.0, 31});
  const auto c = encode(x, g722::Mode::kbps64);
  // Good and lost runs in octets (a sample pair each).
  const std::size_t runs[][2] = {{1, 1600}, {0, 160}, {1, 3}, {0, 45},  {1, 400},
                                 {0, 700},  {1, 160}, {0, 1}, {1, 500}, {0, 200}};
  auto run = [&](std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::size_t> len(1, 200);
    g722::Decoder dec;
    std::vector<std::int16_t> y;
    std::size_t at = 0;
    for (const auto& r : runs) {
      for (std::size_t done = 0; done < r[1];) {
        const std::size_t k = seed == 0 ? r[1] : std::min(r[1] - done, len(rng));
        std::vector<std::int16_t> out(2 * k);
        EXPECT_EQ(r[0] ? dec.decode(std::span(c).subspan(at + done, k), out) : dec.conceal(out),
                  Status::ok);
        y.insert(y.end(), out.begin(), out.end());
        done += k;
      }
      at += r[1];
    }
    return y;
  };
  const auto whole = run(0);
  for (std::uint64_t seed = 1; seed <= 4; ++seed)
    EXPECT_EQ(run(seed), whole) << seed;
}

TEST(G722Plc, ConcealmentWithoutHistoryIsSilenceAndOddSizesAreRejected) {
  // Silence as G.722 codes it: digital silence through the codec decodes to a few LSB.
  g722::Decoder dec;
  std::vector<std::int16_t> y(640, 5);
  ASSERT_EQ(dec.conceal(y), Status::ok);
  for (const auto v : y)
    ASSERT_LE(std::abs(v), 3);
  std::vector<std::int16_t> odd(321, 5);
  EXPECT_EQ(dec.conceal(odd), Status::invalid_argument);
  for (const auto v : odd)
    ASSERT_EQ(v, 5);
  EXPECT_EQ(dec.conceal({}), Status::ok);
  EXPECT_EQ(dec.concealment_stats().concealed_samples, 640);
  EXPECT_EQ(dec.concealment_stats().erasures, 1);
}

TEST(G722Plc, ResetAfterALossRestartsTheStream) {
  const auto x = ivrmedia::sim::speech_like_s16(3200, {16000, -18.0, 5});
  const auto c = encode(x, g722::Mode::kbps64);
  g722::Decoder dec;
  std::vector<std::int16_t> a(3200), b(3200), lost(640);
  ASSERT_EQ(dec.decode(std::span(c).first(800), std::span(a).first(1600)), Status::ok);
  ASSERT_EQ(dec.conceal(lost), Status::ok);
  dec.reset();
  ASSERT_EQ(dec.decode(c, a), Status::ok);
  g722::Decoder fresh;
  ASSERT_EQ(fresh.decode(c, b), Status::ok);
  EXPECT_EQ(a, b);
  g722::Decoder moved(std::move(dec));  // movable; the moved-to decoder carries on
  ASSERT_EQ(moved.conceal(lost), Status::ok);
}

TEST(G722Plc, DecodingAndConcealingNeverAllocate) {
  const auto x = ivrmedia::sim::speech_like_s16(16000, {16000, -18.0, 6});
  const auto c = encode(x, g722::Mode::kbps64);
  g722::Decoder dec;
  std::vector<std::int16_t> y(kPacket);
  ivrm_test::AllocationScope counter;
  for (std::size_t p = 0; p < c.size() / kOctets; ++p) {
    if (p % 3 == 2) {
      ASSERT_EQ(dec.conceal(y), Status::ok);
    } else {
      ASSERT_EQ(dec.decode(std::span(c).subspan(p * kOctets, kOctets), y), Status::ok);
    }
  }
  EXPECT_EQ(counter.count(), 0);
}

}  // namespace
