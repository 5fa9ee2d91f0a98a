// DTMF masking for confidential entry: every tone replaced from its first sample to its last,
// everything else bit-exact and delayed by the stated look-ahead; afterwards neither ivrmedia's
// detector (ITU-T Q.24 defaults) nor spandsp's finds a digit.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "ivrmedia/dtmf.hpp"
#include "sim/speech_like.hpp"
#include "support/alloc_counter.hpp"

#if defined(IVRM_HAVE_SPANDSP)
#include "support/spandsp.hpp"
#endif

namespace dtmf = ivrmedia::dtmf;

namespace {

struct Span {
  std::int64_t from, to;
};

// Speech-like audio with `digits` keyed over it at known places (the tones replace the speech,
// as when a caller presses keys between words). Returns the tone spans.
std::vector<Span> make_call(int rate, const std::string& digits, std::vector<float>& x,
                            double tone_ms = 70) {
  const auto seconds = 1.0 + 0.3 * static_cast<double>(digits.size());
  x = ivrmedia::sim::speech_like(static_cast<std::size_t>(seconds * rate), {rate, -22.0, 99});
  dtmf::Generator::Config gc;
  gc.sample_rate_hz = rate;
  gc.tone_ms = tone_ms;
  gc.pause_ms = 0;
  gc.ramp_ms = 0;  // hard edges: the hardest case for "from its first sample to its last"
  gc.low_dbm0 = -12;
  std::vector<Span> spans;
  std::int64_t at = rate / 2;
  for (char d : digits) {
    dtmf::Generator g(gc);
    EXPECT_EQ(g.queue(std::string(1, d)), ivrmedia::Status::ok);
    const auto n = static_cast<std::size_t>(std::lround(tone_ms * rate / 1000.0));
    g.generate(std::span<float>(x).subspan(static_cast<std::size_t>(at), n));
    spans.push_back({at, at + static_cast<std::int64_t>(n)});
    at += rate * 3 / 10;
  }
  return spans;
}

std::string digits_found(const std::vector<float>& x, int rate) {
  dtmf::Detector d({rate});
  d.process(x);
  d.gap(1);
  std::vector<dtmf::Event> ev(64);
  ev.resize(d.read_events(ev));
  std::string s;
  for (const auto& e : ev) {
    if (e.type == dtmf::Event::Type::key_up) s += e.digit;
  }
  return s;
}

TEST(DtmfMasker, TonesRemovedFromFirstToLastSampleAndTheRestBitExact) {
  for (int rate : {8000, 16000, 48000}) {
    SCOPED_TRACE(rate);
    std::vector<float> x;
    const auto spans = make_call(rate, "4929123456780005", x, 70);
    ASSERT_EQ(digits_found(x, rate), "4929123456780005");
    dtmf::Masker::Config mc;
    mc.sample_rate_hz = rate;
    dtmf::Masker m(mc);
    const std::int64_t delay = m.latency();
    EXPECT_LE(delay, rate * 40 / 1000);
    std::vector<float> y(x.size());
    ASSERT_EQ(m.process(x, y), ivrmedia::Status::ok);
    const std::int64_t slack = rate * 10 / 1000;  // guard plus edge estimate
    std::size_t tone_samples = 0;
    for (std::int64_t t = 0; t + delay < static_cast<std::int64_t>(y.size()); ++t) {
      const float out = y[static_cast<std::size_t>(t + delay)];
      bool in_tone = false, near_tone = false;
      for (const Span& s : spans) {
        in_tone |= t >= s.from && t < s.to;
        near_tone |= t >= s.from - slack && t < s.to + slack;
      }
      if (in_tone) {
        ++tone_samples;
        ASSERT_EQ(out, 0.0f) << "tone sample " << t << " not masked";
      } else if (!near_tone) {
        ASSERT_EQ(out, x[static_cast<std::size_t>(t)]) << "speech sample " << t << " altered";
      }
    }
    EXPECT_GT(tone_samples, 0u);
    EXPECT_EQ(digits_found(y, rate), "");
  }
}

TEST(DtmfMasker, ShortAndLongTonesAndEqualDigits) {
  std::vector<float> x;
  const auto spans = make_call(8000, "1199", x, 45);
  dtmf::Masker m({});
  std::vector<float> y(x.size());
  ASSERT_EQ(m.process(x, y), ivrmedia::Status::ok);
  for (const Span& s : spans) {
    for (std::int64_t t = s.from; t < s.to; ++t) {
      ASSERT_EQ(y[static_cast<std::size_t>(t + m.latency())], 0.0f) << t;
    }
  }
  std::vector<dtmf::Event> ev(16);
  ev.resize(m.read_events(ev));
  std::string digits;
  for (const auto& e : ev) {
    if (e.type == dtmf::Event::Type::key_up) digits += e.digit;
  }
  EXPECT_EQ(digits, "1199");
}

TEST(DtmfMasker, Int16PathIsBitExactAndChunkingDoesNotMatter) {
  std::vector<float> x;
  make_call(8000, "0123", x);
  std::vector<std::int16_t> pcm(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    pcm[i] = static_cast<std::int16_t>(x[i] * 32767.0f);
  dtmf::Masker whole({});
  std::vector<std::int16_t> ref(pcm.size());
  ASSERT_EQ(whole.process(pcm, ref), ivrmedia::Status::ok);

  std::mt19937 rng(5);
  std::uniform_int_distribution<std::size_t> len(1, 300);
  dtmf::Masker pieces({});
  std::vector<std::int16_t> out(pcm.size());
  for (std::size_t i = 0; i < pcm.size();) {
    const std::size_t n = std::min(len(rng), pcm.size() - i);
    ASSERT_EQ(pieces.process(std::span<const std::int16_t>(pcm).subspan(i, n),
                             std::span<std::int16_t>(out).subspan(i, n)),
              ivrmedia::Status::ok);
    i += n;
  }
  EXPECT_EQ(out, ref);
  // In place works too.
  dtmf::Masker inplace({});
  std::vector<std::int16_t> buf = pcm;
  ASSERT_EQ(inplace.process(buf, buf), ivrmedia::Status::ok);
  EXPECT_EQ(buf, ref);
  // Unmasked int16 samples are exactly the input, delayed.
  std::size_t same = 0;
  for (std::size_t i = 0; i + 320 < pcm.size(); ++i)
    same += ref[i + 320] == pcm[i];
  EXPECT_GE(same, pcm.size() - 320 - 4 * (560 + 2 * 80));  // all but tones and their edges
}

TEST(DtmfMasker, ComfortNoiseIsLowAndDigitFree) {
  std::vector<float> x;
  const auto spans = make_call(8000, "5", x, 200);
  dtmf::Masker::Config mc;
  mc.comfort_noise = true;
  mc.comfort_noise_dbm0 = -60;
  dtmf::Masker m(mc);
  std::vector<float> y(x.size());
  ASSERT_EQ(m.process(x, y), ivrmedia::Status::ok);
  double sum = 0;
  std::size_t n = 0;
  for (std::int64_t t = spans[0].from; t < spans[0].to; ++t, ++n) {
    const double v = y[static_cast<std::size_t>(t + m.latency())];
    sum += v * v;
  }
  const double dbm0 = dtmf::amplitude_to_dbm0(std::sqrt(2 * sum / double(n)));
  EXPECT_NEAR(dbm0, -60.0, 1.0);
  EXPECT_EQ(digits_found(y, 8000), "");
}

TEST(DtmfMasker, ProcessingAllocatesNothingAndRejectsMismatchedSizes) {
  std::vector<float> x;
  make_call(8000, "12", x);
  dtmf::Masker m({});
  std::vector<float> y(x.size());
  {
    ivrm_test::AllocationScope scope;
    ASSERT_EQ(m.process(x, y), ivrmedia::Status::ok);
    EXPECT_EQ(scope.count(), 0);
  }
  EXPECT_EQ(m.process(std::span<const float>(x).first(10), std::span<float>(y).first(9)),
            ivrmedia::Status::invalid_argument);
  dtmf::Masker::Config bad;
  bad.lookahead_ms = 50;  // more than the documented 40 ms
  EXPECT_THROW(dtmf::Masker{bad}, ivrmedia::Error);
}

#if defined(IVRM_HAVE_SPANDSP)
void spandsp_digit(void* user, const char* digits, int len) {
  static_cast<std::string*>(user)->append(digits, static_cast<std::size_t>(len));
}

TEST(DtmfMaskerSpandsp, SpandspFindsTheDigitsBeforeMaskingAndNoneAfter) {
  std::vector<float> x;
  make_call(8000, "4929123456780005", x, 70);
  dtmf::Masker m({});
  std::vector<float> y(x.size());
  ASSERT_EQ(m.process(x, y), ivrmedia::Status::ok);
  auto spandsp_digits = [](const std::vector<float>& f) {
    std::string found;
    dtmf_rx_state_t* rx = dtmf_rx_init(nullptr, spandsp_digit, &found);
    std::vector<std::int16_t> pcm(f.size());
    for (std::size_t i = 0; i < f.size(); ++i)
      pcm[i] = static_cast<std::int16_t>(f[i] * 32767);
    dtmf_rx(rx, pcm.data(), static_cast<int>(pcm.size()));
    dtmf_rx_free(rx);
    return found;
  };
  EXPECT_EQ(spandsp_digits(x), "4929123456780005");
  EXPECT_EQ(spandsp_digits(y), "");
}
#endif

}  // namespace
