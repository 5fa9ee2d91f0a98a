// ITU-T G.711 Appendix I packet-loss concealment (plc::Concealer, zero-delay variant): pitch
// found on periodic signals of known pitch, the waveform continued, the Appendix's level
// schedule (full for 10 ms, -20 % per 10 ms, silence after 60 ms) and recovery cross-fade
// lengths (4 ms plus 4 ms per further 10 ms, at most 10 ms), no steps at either edge of a loss,
// better than silence on speech-like audio with random losses, at 8, 16 and 48 kHz; chunking
// independence, int16 = float, no allocation, robustness. The comparison with spandsp's
// concealer is test_plc_spandsp.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "codec/plc_signals.hpp"
#include "core/sample_convert.hpp"
#include "ivrmedia/g711.hpp"
#include "ivrmedia/plc.hpp"
#include "sim/speech_like.hpp"
#include "support/alloc_counter.hpp"

namespace {

using ivrmedia::plc::Concealer;
using plc_test::harmonic_tone;
using plc_test::vowel;

constexpr int kRates[] = {8000, 16000, 48000};

std::size_t ms(int rate, double milliseconds) {
  return static_cast<std::size_t>(std::lround(rate * milliseconds / 1000));
}

// Passes x[0, history) as good frames of 20 ms, then conceals `conceal` samples; returns them.
std::vector<float> conceal_after(Concealer& plc, const std::vector<float>& x, std::size_t history,
                                 std::size_t conceal) {
  const std::size_t frame = ms(plc.sample_rate_hz(), 20);
  std::vector<float> buf(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(history));
  for (std::size_t i = 0; i < history; i += frame)
    plc.good(std::span(buf).subspan(i, std::min(frame, history - i)));
  std::vector<float> out(conceal);
  plc.conceal(out);
  return out;
}

double snr_db(std::span<const float> ref, std::span<const float> got) {
  double s = 0, e = 0;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    s += double(ref[i]) * ref[i];
    e += (double(ref[i]) - got[i]) * (double(ref[i]) - got[i]);
  }
  return 10 * std::log10(s / std::max(e, 1e-30));
}

// The pitch period the concealment used: the lag L whose copy of the history it plays,
// sample for sample, between a quarter and three quarters of its first period (before that
// the junction correction acts, after it the cycle's blended end). 0 if no lag fits.
int copied_period(const std::vector<float>& x, std::size_t history, std::span<const float> y,
                  int rate) {
  for (std::size_t lag = ms(rate, 5); lag <= ms(rate, 15); ++lag) {
    bool same = true;
    for (std::size_t n = lag / 4; n < 3 * lag / 4 && same; ++n)
      same = y[n] == x[history - lag + n];
    if (same) return static_cast<int>(lag);
  }
  return 0;
}

// Runs x through the concealer in packets of `packet` samples, concealing the lost ones.
std::vector<float> with_losses(Concealer& plc, const std::vector<float>& x, std::size_t packet,
                               const std::vector<bool>& lost) {
  std::vector<float> y(x);
  for (std::size_t p = 0; (p + 1) * packet <= y.size(); ++p) {
    const auto frame = std::span(y).subspan(p * packet, packet);
    if (p < lost.size() && lost[p]) {
      plc.conceal(frame);
    } else {
      plc.good(frame);
    }
  }
  return y;
}

std::vector<float> silence_for_losses(const std::vector<float>& x, std::size_t packet,
                                      const std::vector<bool>& lost) {
  std::vector<float> y(x);
  for (std::size_t p = 0; (p + 1) * packet <= y.size(); ++p)
    if (p < lost.size() && lost[p])
      std::fill_n(y.begin() + static_cast<std::ptrdiff_t>(p * packet), packet, 0.0f);
  return y;
}

TEST(PlcG711AppendixI, FindsThePitchAndContinuesAHarmonicToneAtEveryRate) {
  // A 200 Hz tone with three harmonics: its period, 5 ms, is the shortest the Appendix
  // searches, and 10 and 15 ms correlate as well: the estimate must still be one period.
  for (const int rate : kRates) {
    SCOPED_TRACE(rate);
    const auto x = harmonic_tone(200, rate, ms(rate, 300));
    Concealer plc({.sample_rate_hz = rate});
    const auto history = ms(rate, 200), n = ms(rate, 10);
    const auto y = conceal_after(plc, x, history, n);
    EXPECT_EQ(copied_period(x, history, y, rate), rate / 200);
    const double snr = snr_db(std::span(x).subspan(history, n), y);
    std::printf("[ plc ] %5d Hz harmonic tone, first 10 ms: SNR %.1f dB\n", rate, snr);
    EXPECT_GT(snr, 40.0);
  }
}

TEST(PlcG711AppendixI, FindsThePitchAndContinuesASyntheticVowelAtEveryRate) {
  // /a/ at 125 Hz (8 ms period: twice that is beyond the 15 ms the search reaches).
  for (const int rate : kRates) {
    SCOPED_TRACE(rate);
    const int period = rate / 125;
    const auto x = vowel(period, rate, ms(rate, 300));
    Concealer plc({.sample_rate_hz = rate});
    const auto history = ms(rate, 160), n = ms(rate, 10);
    const auto y = conceal_after(plc, x, history, n);
    EXPECT_EQ(copied_period(x, history, y, rate), period);
    const double snr = snr_db(std::span(x).subspan(history, n), y);
    std::printf("[ plc ] %5d Hz vowel, first 10 ms: SNR %.1f dB\n", rate, snr);
    EXPECT_GT(snr, 30.0);
  }
}

TEST(PlcG711AppendixI, LevelIsFullFor10MsThenFalls20PercentPer10MsToSilenceAt60Ms) {
  for (const int rate : kRates) {
    SCOPED_TRACE(rate);
    const auto x = harmonic_tone(200, rate, ms(rate, 300));
    Concealer plc({.sample_rate_hz = rate});
    const auto frame = ms(rate, 10);
    const auto y = conceal_after(plc, x, ms(rate, 200), 10 * frame);
    const double level = plc_test::rms(std::span(x).subspan(0, ms(rate, 100)));
    for (std::size_t f = 0; f < 10; ++f) {
      // Expected RMS ratio in frame f: the root mean square of the gain ramp over it.
      double g2 = 0;
      const auto len = static_cast<double>(frame);
      for (std::size_t i = 0; i < frame; ++i) {
        const auto n = static_cast<double>(f * frame + i);
        const double g = n < len ? 1.0 : std::max(0.0, 1.0 - 0.2 * (n - len) / len);
        g2 += g * g;
      }
      const double expected = std::sqrt(g2 / len);
      const double got = plc_test::rms(std::span(y).subspan(f * frame, frame)) / level;
      EXPECT_NEAR(got, expected, 0.03) << "10 ms frame " << f;
      if (f >= 6) {
        EXPECT_EQ(got, 0.0) << "silence after 60 ms, frame " << f;
      }
    }
  }
}

TEST(PlcG711AppendixI, RecoveryCrossFadeLastsAQuarterPeriodPlus4MsPer10MsOfLossAtMost10Ms) {
  // As the Appendix's reference (its olen): a quarter pitch period for a loss of up to 10 ms,
  // 4 ms more per further 10 ms begun, at most 10 ms. The good frame is untouched from the end
  // of the fade on, and after 60 ms of loss (synthetic level zero) the fade is a linear ramp
  // from silence.
  for (const int rate : kRates) {
    const auto x = vowel(rate / 125, rate, ms(rate, 500));  // period 8 ms: quarter 2 ms
    for (const double loss_ms : {2.5, 10.0, 12.5, 20.0, 30.0, 70.0}) {
      SCOPED_TRACE(testing::Message() << rate << " Hz, " << loss_ms << " ms");
      const double fade_ms = std::min(10.0, 2.0 + 4.0 * (std::ceil(loss_ms / 10.0) - 1));
      Concealer plc({.sample_rate_hz = rate});
      const auto history = ms(rate, 200), lost = ms(rate, loss_ms);
      (void)conceal_after(plc, x, history, lost);
      // The audio after the loss is another signal, so the fade shows wherever it acts.
      std::vector<float> next = harmonic_tone(330, rate, ms(rate, 20));
      const std::vector<float> real = next;
      plc.good(next);
      const auto fade = ms(rate, fade_ms);
      EXPECT_NE(next[fade - 2], real[fade - 2]);  // the last sample of the fade is all real
      for (std::size_t i = fade - 1; i < next.size(); ++i)
        ASSERT_EQ(next[i], real[i]) << i;
      if (loss_ms >= 60) {
        for (std::size_t i = 0; i < fade; ++i)
          EXPECT_NEAR(next[i], real[i] * float(i + 1) / float(fade), 1e-6f) << i;
      }
    }
  }
}

TEST(PlcG711AppendixI, NoStepAtTheStartOfALossNorAtTheReturnOfRealAudio) {
  // Largest sample-to-sample step around each edge, against the signal's own largest step.
  for (const int rate : kRates) {
    for (const bool tone : {true, false}) {
      for (const double loss_ms : {10.0, 20.0, 40.0}) {
        SCOPED_TRACE(testing::Message()
                     << rate << " Hz " << (tone ? "tone" : "vowel") << " " << loss_ms << " ms");
        const auto x =
            tone ? harmonic_tone(200, rate, ms(rate, 400)) : vowel(rate / 125, rate, ms(rate, 400));
        const float own = plc_test::max_jump(x);
        Concealer plc({.sample_rate_hz = rate});
        const auto history = ms(rate, 200), lost = ms(rate, loss_ms);
        const auto c = conceal_after(plc, x, history, lost);
        std::vector<float> y(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(history));
        y.insert(y.end(), c.begin(), c.end());
        std::vector<float> after(x.begin() + static_cast<std::ptrdiff_t>(history + lost),
                                 x.begin() + static_cast<std::ptrdiff_t>(history + lost) +
                                     static_cast<std::ptrdiff_t>(ms(rate, 40)));
        plc.good(after);
        y.insert(y.end(), after.begin(), after.end());
        const auto edge = ms(rate, 5);
        const float at_start = plc_test::max_jump(std::span(y).subspan(history - edge, 2 * edge));
        const float at_return =
            plc_test::max_jump(std::span(y).subspan(history + lost - edge, 2 * edge));
        EXPECT_LE(at_start, 1.05f * own);
        EXPECT_LE(at_return, 1.05f * own);
      }
    }
  }
}

// Speech-like audio through G.711 mu-law, 20 ms packets, random losses: segmental SNR (10 ms
// segments) against the lossless decode over the lost packets (the concealment itself), over
// the first packet after each loss (the recovery fade) and over the whole signal.
struct LossResult {
  double lost_ours, lost_silence, after_ours, after_silence, all_ours, all_silence;
  float jump_ours, jump_ref;
};

LossResult speech_with_losses(int rate, double loss_rate, std::uint64_t seed) {
  const auto n = ms(rate, 30000);
  auto x = ivrmedia::sim::speech_like(n, {rate, -20.0, seed});
  if (rate == 8000) {  // the lossless G.711 decode is the reference
    std::vector<std::uint8_t> codes(n);
    const ivrmedia::g711::Coder mu({});
    EXPECT_EQ(mu.encode(std::span<const float>(x), codes), ivrmedia::Status::ok);
    EXPECT_EQ(mu.decode(codes, std::span(x)), ivrmedia::Status::ok);
  }
  const auto packet = ms(rate, 20);
  const auto lost = plc_test::random_losses(n / packet, loss_rate, seed + 1);
  Concealer plc({.sample_rate_hz = rate});
  const auto ours = with_losses(plc, x, packet, lost);
  const auto silence = silence_for_losses(x, packet, lost);
  const auto masks = plc_test::loss_masks(lost, 2);
  const auto seg = ms(rate, 10);
  using plc_test::segmental_snr;
  return {segmental_snr(x, ours, seg, &masks.lost),
          segmental_snr(x, silence, seg, &masks.lost),
          segmental_snr(x, ours, seg, &masks.after),
          segmental_snr(x, silence, seg, &masks.after),
          segmental_snr(x, ours, seg),
          segmental_snr(x, silence, seg),
          plc_test::max_jump(ours),
          plc_test::max_jump(x)};
}

TEST(PlcG711AppendixI, BeatsSilenceSubstitutionOnSpeechLikeAudioWithRandomLosses) {
  // Margin: the concealment scores at least 2 dB more segmental SNR than silence over the lost
  // packets (silence scores 0 dB there by definition). Its largest sample-to-sample step is at
  // most that of the speech itself (silence substitution cuts in and out).
  // The whole-signal figure is printed, not asserted: waveform SNR scores silence's hard return
  // to the real signal as perfect (35 dB) and any smoothing of that step as error, so the
  // Appendix's recovery fade (a quarter period plus 4 ms per further 10 ms) costs more there
  // than the concealment gains.
  for (const int rate : kRates) {
    for (const double loss : {0.10, 0.20}) {
      SCOPED_TRACE(testing::Message() << rate << " Hz, " << loss * 100 << " % loss");
      const auto r = speech_with_losses(rate, loss, 5 + static_cast<std::uint64_t>(loss * 100));
      std::printf(
          "[ plc ] %5d Hz, %2.0f %% loss, segSNR (dB) ours/silence: lost packets %.2f/%.2f, "
          "packet after %.2f/%.2f, all %.2f/%.2f; largest step ours %.3f, speech %.3f\n",
          rate, loss * 100, r.lost_ours, r.lost_silence, r.after_ours, r.after_silence, r.all_ours,
          r.all_silence, r.jump_ours, r.jump_ref);
      EXPECT_GT(r.lost_ours, r.lost_silence + 2.0);
      EXPECT_LE(r.jump_ours, r.jump_ref);
    }
  }
}

// A pattern of good and lost runs, in samples, applied with calls of random length.
std::vector<float> run_pattern(const std::vector<float>& x, int rate,
                               const std::vector<std::pair<bool, std::size_t>>& runs,
                               std::uint64_t chunk_seed, bool as_int16) {
  std::mt19937_64 rng(chunk_seed);
  std::uniform_int_distribution<std::size_t> len(1, 400);
  Concealer plc({.sample_rate_hz = rate});
  std::vector<float> y(x);
  std::size_t at = 0;
  for (const auto& [is_good, count] : runs) {
    for (std::size_t done = 0; done < count;) {
      const std::size_t n = chunk_seed == 0 ? count : std::min(count - done, len(rng));
      const auto f = std::span(y).subspan(at + done, n);
      if (as_int16) {
        std::vector<std::int16_t> s(n);
        for (std::size_t i = 0; i < n; ++i)
          s[i] = ivrmedia::core::float_to_s16(f[i]);
        if (is_good) {
          plc.good(std::span(s));
        } else {
          plc.conceal(std::span(s));
        }
        for (std::size_t i = 0; i < n; ++i)
          f[i] = ivrmedia::core::s16_to_float(s[i]);
      } else if (is_good) {
        plc.good(f);
      } else {
        plc.conceal(f);
      }
      done += n;
    }
    at += count;
  }
  return y;
}

std::vector<std::pair<bool, std::size_t>> test_runs(int rate) {
  // Good and lost runs, including losses shorter than the fade and good runs shorter than the
  // previous loss's fade (a new loss interrupts it), and a loss past 60 ms.
  const double pattern_ms[][2] = {{1, 120}, {0, 20},   {1, 2},  {0, 7.5}, {1, 40},
                                  {0, 65},  {1, 30},   {0, 35}, {1, 3},   {0, 0.125},
                                  {1, 25},  {0, 12.5}, {1, 60}};
  std::vector<std::pair<bool, std::size_t>> runs;
  for (const auto& r : pattern_ms)
    runs.emplace_back(r[0] != 0, std::max<std::size_t>(1, ms(rate, r[1])));
  return runs;
}

TEST(PlcG711AppendixI, ResultsDoNotDependOnHowCallsSplitTheStream) {
  for (const int rate : kRates) {
    SCOPED_TRACE(rate);
    const auto x = ivrmedia::sim::speech_like(ms(rate, 500), {rate, -18.0, 77});
    const auto runs = test_runs(rate);
    for (const bool as_int16 : {false, true}) {
      const auto whole = run_pattern(x, rate, runs, 0, as_int16);
      for (std::uint64_t seed = 1; seed <= 3; ++seed)
        EXPECT_EQ(run_pattern(x, rate, runs, seed, as_int16), whole) << seed << as_int16;
    }
    // One 20 ms good call against four of 5 ms, then the same loss.
    Concealer a({.sample_rate_hz = rate}), b({.sample_rate_hz = rate});
    std::vector<float> fa(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(ms(rate, 20)));
    std::vector<float> fb = fa;
    a.good(fa);
    for (std::size_t i = 0; i < 4; ++i)
      b.good(std::span(fb).subspan(i * ms(rate, 5), ms(rate, 5)));
    std::vector<float> ca(ms(rate, 30)), cb(ms(rate, 30));
    a.conceal(ca);
    b.conceal(cb);
    EXPECT_EQ(ca, cb);
  }
}

TEST(PlcG711AppendixI, Int16AndFloatCallsGiveTheSameSamples) {
  for (const int rate : kRates) {
    SCOPED_TRACE(rate);
    // Int16 input: the float run starts from the same (exactly converted) samples.
    auto x = ivrmedia::sim::speech_like(ms(rate, 500), {rate, -18.0, 78});
    for (auto& v : x)
      v = ivrmedia::core::s16_to_float(ivrmedia::core::float_to_s16(v));
    const auto runs = test_runs(rate);
    const auto f = run_pattern(x, rate, runs, 0, false);
    const auto s = run_pattern(x, rate, runs, 0, true);
    for (std::size_t i = 0; i < f.size(); ++i)
      ASSERT_EQ(ivrmedia::core::float_to_s16(f[i]), ivrmedia::core::float_to_s16(s[i])) << i;
  }
}

TEST(PlcG711AppendixI, ConcealmentWithoutHistoryIsSilence) {
  for (const int rate : kRates) {
    Concealer plc({.sample_rate_hz = rate});
    std::vector<float> y(ms(rate, 100), 1.0f);
    plc.conceal(y);
    for (const float v : y)
      ASSERT_EQ(v, 0.0f);
    std::vector<std::int16_t> s(ms(rate, 30), 7);
    plc.conceal(std::span(s));
    for (const auto v : s)
      ASSERT_EQ(v, 0);
    // reset() forgets the history: silence again.
    auto x = harmonic_tone(200, rate, ms(rate, 100));
    plc.good(x);
    plc.reset();
    plc.conceal(y);
    for (const float v : y)
      ASSERT_EQ(v, 0.0f);
  }
}

TEST(PlcG711AppendixI, PeekShowsWhatConcealWillWriteWithoutAdvancing) {
  const int rate = 16000;
  const auto x = vowel(128, rate, ms(rate, 300));
  Concealer plc({.sample_rate_hz = rate});
  std::vector<float> h(x.begin(), x.begin() + 3200);
  plc.good(h);
  std::vector<float> p(1000), c(1000);
  plc.peek(p);  // before the loss: what a new one would give
  plc.conceal(std::span(c).first(300));
  std::vector<float> p2(700);
  plc.peek(p2);
  plc.conceal(std::span(c).subspan(300));
  EXPECT_EQ(p, c);
  EXPECT_EQ(std::vector<float>(c.begin() + 300, c.end()), p2);
  EXPECT_EQ(plc.stats().concealed_samples, 1000);
  EXPECT_EQ(plc.stats().erasures, 1);
  // A peek in the middle of the recovery fade leaves the fade alone.
  Concealer a({.sample_rate_hz = rate}), b({.sample_rate_hz = rate});
  std::vector<float> ha = h, hb = h, ca(400), cb(400);
  a.good(ha);
  b.good(hb);
  a.conceal(ca);
  b.conceal(cb);
  std::vector<float> ga(x.begin() + 3600, x.begin() + 3800), gb = ga;
  a.good(std::span(ga).first(20));
  b.good(std::span(gb).first(20));
  std::vector<float> ignored(50);
  b.peek(ignored);
  a.good(std::span(ga).subspan(20));
  b.good(std::span(gb).subspan(20));
  EXPECT_EQ(ga, gb);
}

TEST(PlcG711AppendixI, CountsConcealedSamplesAndErasures) {
  Concealer plc({});
  EXPECT_EQ(plc.sample_rate_hz(), 8000);
  std::vector<float> f(160, 0.1f), c(160);
  plc.good(f);
  plc.conceal(c);
  plc.conceal(std::span(c).first(40));
  plc.good(f);
  plc.conceal(std::span(c).first(1));
  plc.conceal(std::span<float>());  // nothing
  plc.good(std::span<float>());     // nothing: the loss goes on
  plc.conceal(std::span(c).first(9));
  EXPECT_EQ(plc.stats().concealed_samples, 210);
  EXPECT_EQ(plc.stats().erasures, 2);
  plc.reset();  // lifetime counters stay
  EXPECT_EQ(plc.stats().erasures, 2);
}

TEST(PlcG711AppendixI, GoodAndConcealNeverAllocate) {
  for (const int rate : kRates) {
    const auto x = ivrmedia::sim::speech_like(ms(rate, 400), {rate, -18.0, 9});
    Concealer plc({.sample_rate_hz = rate});
    std::vector<float> y(x);
    std::vector<std::int16_t> s(ms(rate, 20));
    ivrm_test::AllocationScope counter;
    const auto frame = ms(rate, 20);
    for (std::size_t p = 0; p + 1 < y.size() / frame; ++p) {
      const auto f = std::span(y).subspan(p * frame, frame);
      switch (p % 4) {
        case 0:
        case 1:
          plc.good(f);
          break;
        case 2:
          plc.conceal(f);
          plc.peek(std::span(s).first(50));
          break;
        default:
          plc.conceal(std::span(s));
          plc.good(std::span(s));
          plc.peek(f);
          break;
      }
    }
    EXPECT_EQ(counter.count(), 0) << rate;
  }
}

TEST(PlcG711AppendixI, RejectsUnsupportedRates) {
  for (const int rate : {0, -8000, 11025, 22050, 32000, 44100, 96000}) {
    try {
      Concealer plc({.sample_rate_hz = rate});
      ADD_FAILURE() << rate << " accepted";
    } catch (const ivrmedia::Error& e) {
      EXPECT_EQ(e.status(), ivrmedia::Status::bad_config);
    }
  }
}

TEST(PlcG711AppendixI, BrokenInputNeverBreaksIt) {
  Concealer plc({});
  // Non-finite history is concealed as silence; extreme values stay bounded in int16.
  std::vector<float> bad(400, std::numeric_limits<float>::quiet_NaN());
  bad[3] = std::numeric_limits<float>::infinity();
  plc.good(bad);
  std::vector<float> y(500);
  plc.conceal(y);
  for (const float v : y)
    ASSERT_EQ(v, 0.0f);
  std::vector<std::int16_t> loud(400);
  for (std::size_t i = 0; i < loud.size(); ++i)
    loud[i] = i % 2 ? 32767 : -32768;
  plc.good(std::span(loud));
  std::vector<std::int16_t> c(1000);
  plc.conceal(std::span(c));
  plc.good(std::span(loud));
  // A moved-from concealer is inert: silence out, nothing recorded, no crash.
  Concealer moved(std::move(plc));
  std::vector<float> z(10, 1.0f);
  plc.conceal(z);  // NOLINT(bugprone-use-after-move): the point of the test
  plc.good(z);
  plc.peek(z);
  plc.reset();
  EXPECT_EQ(z, std::vector<float>(10, 0.0f));
  EXPECT_EQ(plc.stats().erasures, 0);
  EXPECT_EQ(moved.stats().erasures, 2);
  Concealer other({.sample_rate_hz = 48000});
  other = std::move(moved);
  EXPECT_EQ(other.sample_rate_hz(), 8000);
}

}  // namespace
