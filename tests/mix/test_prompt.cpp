// Prompts: files through libsndfile (WAV with metadata chunks, FLAC, Ogg Vorbis, Ogg Opus, raw
// G.711) at any rate played at the right speed with nothing cut, clear errors that leave the
// cache untouched, one shared copy for every channel, and generated tones (ITU-T E.180
// call-progress cadences, DTMF that dtmf::Detector hears, comfort noise at its level).
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include "ivrmedia/dtmf.hpp"
#include "ivrmedia/player.hpp"
#include "ivrmedia/prompt.hpp"

namespace {

namespace mix = ivrmedia::mix;
using ivrmedia::Status;
namespace fs = std::filesystem;

fs::path temp_dir() {
  const fs::path d = fs::temp_directory_path() / ("ivrm_prompt_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

std::vector<float> sine(double hz, int rate, std::size_t n, double amp = 0.5) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = static_cast<float>(amp *
                              std::sin(2 * std::numbers::pi * hz * static_cast<double>(i) / rate));
  return x;
}

// Writes mono `x` at `rate` in `format`; returns the path.
fs::path write_file(const std::string& name, const std::vector<float>& x, int rate, int format,
                    int channels = 1, bool metadata = false) {
  const fs::path p = temp_dir() / name;
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(p.c_str(), SFM_WRITE, &info);
  EXPECT_NE(f, nullptr) << name << ": " << sf_strerror(nullptr);
  if (f == nullptr) return p;
  if (metadata) {
    sf_set_string(f, SF_STR_TITLE, "Welcome to the hotline");
    sf_set_string(f, SF_STR_COMMENT, "recorded 2026; metadata must never play");
  }
  std::vector<float> frames;
  for (float v : x)
    for (int c = 0; c < channels; ++c)
      frames.push_back(v);
  sf_writef_float(f, frames.data(), static_cast<sf_count_t>(x.size()));
  sf_close(f);
  return p;
}

// Frequency from zero crossings (the prompts here are single tones).
double frequency(std::span<const float> x, int rate) {
  int crossings = 0;
  for (std::size_t i = 1; i < x.size(); ++i)
    crossings += (x[i - 1] < 0) != (x[i] < 0);
  return crossings / 2.0 * rate / static_cast<double>(x.size());
}

TEST(MixPrompt, FilesAtAnotherRatePlayAtTheRightSpeed) {
  const auto x = sine(1000, 16000, 16000);
  for (int rate : {8000, 16000, 48000}) {
    std::shared_ptr<const mix::Prompt> p;
    std::string error;
    ASSERT_EQ(mix::load_prompt(
                  write_file("tone16k.wav", x, 16000, SF_FORMAT_WAV | SF_FORMAT_PCM_16).string(),
                  {.sample_rate_hz = rate}, &p, &error),
              Status::ok)
        << error;
    EXPECT_EQ(p->sample_rate_hz(), rate);
    EXPECT_EQ(p->size(), static_cast<std::size_t>(rate));  // exactly one second
    EXPECT_NEAR(frequency(p->samples().subspan(static_cast<std::size_t>(rate / 10)), rate), 1000.0,
                3.0)
        << rate;
  }
  // A rate the streaming resampler does not take (22.05 kHz) goes through the sinc path.
  std::shared_ptr<const mix::Prompt> p;
  ASSERT_EQ(mix::load_prompt(write_file("tone22k.wav", sine(700, 22050, 22050), 22050,
                                        SF_FORMAT_WAV | SF_FORMAT_PCM_16)
                                 .string(),
                             {.sample_rate_hz = 8000}, &p),
            Status::ok);
  EXPECT_EQ(p->size(), 8000u);
  EXPECT_NEAR(frequency(p->samples().subspan(800), 8000), 700.0, 3.0);
}

TEST(MixPrompt, TheFirstSamplesAreNeverCutOrShifted) {
  // An impulse 10 samples in: after conversion it must sit at the same time, within a sample.
  for (int file_rate : {8000, 16000, 22050, 48000}) {
    std::vector<float> x(static_cast<std::size_t>(file_rate / 10), 0.0f);
    const std::size_t at = static_cast<std::size_t>(file_rate / 1000);  // 1 ms in
    x[at] = 0.9f;
    std::shared_ptr<const mix::Prompt> p;
    ASSERT_EQ(mix::load_prompt(
                  write_file("impulse.wav", x, file_rate, SF_FORMAT_WAV | SF_FORMAT_FLOAT).string(),
                  {.sample_rate_hz = 8000}, &p),
              Status::ok);
    std::size_t peak = 0;
    for (std::size_t i = 1; i < p->size(); ++i)
      if (std::abs(p->samples()[i]) > std::abs(p->samples()[peak])) peak = i;
    EXPECT_NEAR(static_cast<double>(peak), 8.0, 1.0) << file_rate;  // 1 ms at 8 kHz
  }
}

TEST(MixPrompt, EveryLibsndfileFormatAndRawG711Loads) {
  const auto x = sine(440, 8000, 8000, 0.3);
  struct Case {
    std::string name;
    int format;
  };
  const std::vector<Case> cases = {
      {"a.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16},   {"b.wav", SF_FORMAT_WAV | SF_FORMAT_ULAW},
      {"c.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16}, {"d.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS},
      {"e.opus", SF_FORMAT_OGG | SF_FORMAT_OPUS},    {"f.ul", SF_FORMAT_RAW | SF_FORMAT_ULAW},
      {"g.al", SF_FORMAT_RAW | SF_FORMAT_ALAW},
  };
  for (const Case& c : cases) {
    std::shared_ptr<const mix::Prompt> p;
    std::string error;
    ASSERT_EQ(mix::load_prompt(write_file(c.name, x, 8000, c.format).string(),
                               {.sample_rate_hz = 8000}, &p, &error),
              Status::ok)
        << c.name << ": " << error;
    EXPECT_NEAR(static_cast<double>(p->size()), 8000.0, 400.0) << c.name;  // codecs may pad
    EXPECT_NEAR(frequency(p->samples().subspan(1000, 6000), 8000), 440.0, 4.0) << c.name;
  }
}

TEST(MixPrompt, WavMetadataChunksNeverPlayAndStereoIsAveraged) {
  const auto x = sine(500, 8000, 4000);
  std::shared_ptr<const mix::Prompt> p;
  ASSERT_EQ(mix::load_prompt(
                write_file("meta.wav", x, 8000, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 2, true).string(),
                {.sample_rate_hz = 8000}, &p),
            Status::ok);
  ASSERT_EQ(p->size(), x.size());  // LIST/INFO chunks added nothing
  for (std::size_t i = 0; i < x.size(); ++i)
    ASSERT_NEAR(p->samples()[i], x[i], 1.0 / 32768 + 1e-6) << i;
}

TEST(MixPrompt, LoaderErrorsAreClearAndLeaveTheCacheUntouched) {
  mix::PromptCache cache({.max_seconds = 2.0});
  std::shared_ptr<const mix::Prompt> good;
  const auto wav =
      write_file("good.wav", sine(300, 8000, 8000), 8000, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  ASSERT_EQ(cache.get(wav.string(), 8000, &good), Status::ok);
  const std::size_t memory = cache.memory_bytes();
  std::shared_ptr<const mix::Prompt> out;
  std::string error;
  EXPECT_EQ(cache.get((temp_dir() / "missing.wav").string(), 8000, &out, &error),
            Status::unsupported);
  EXPECT_NE(error.find("missing.wav"), std::string::npos) << error;
  {
    std::ofstream text(temp_dir() / "notes.wav");
    text << "this is not audio";
  }
  EXPECT_EQ(cache.get((temp_dir() / "notes.wav").string(), 8000, &out, &error),
            Status::unsupported);
  const auto empty = write_file("empty.wav", {}, 8000, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  EXPECT_EQ(cache.get(empty.string(), 8000, &out, &error), Status::malformed) << error;
  const auto long_file =
      write_file("long.wav", sine(300, 8000, 8000 * 3), 8000, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  EXPECT_EQ(cache.get(long_file.string(), 8000, &out, &error), Status::out_of_range);
  EXPECT_NE(error.find("limit"), std::string::npos) << error;
  EXPECT_EQ(out, nullptr);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.memory_bytes(), memory);
  std::shared_ptr<const mix::Prompt> again;
  ASSERT_EQ(cache.get(wav.string(), 8000, &again), Status::ok);
  EXPECT_EQ(again, good);  // the very same object
}

// A float WAV or a NumPy buffer can carry NaN and infinities: they become silence (once, at
// load), everything else stays bit-exact. A header claiming far more audio than the file holds
// loads what is there.
TEST(MixPrompt, NonFiniteSamplesBecomeSilenceAndHeadersDoNotDecideTheLength) {
  auto x = sine(300, 8000, 800);
  x[10] = std::numeric_limits<float>::quiet_NaN();
  x[20] = std::numeric_limits<float>::infinity();
  x[30] = -std::numeric_limits<float>::infinity();
  const auto wav = write_file("nan.wav", x, 8000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  std::shared_ptr<const mix::Prompt> p;
  ASSERT_EQ(mix::load_prompt(wav.string(), {.sample_rate_hz = 8000}, &p), Status::ok);
  ASSERT_EQ(p->size(), 800u);
  for (std::size_t i = 0; i < 800; ++i) {
    if (i == 10 || i == 20 || i == 30) {
      EXPECT_EQ(p->samples()[i], 0.0f) << i;
    } else {
      ASSERT_EQ(p->samples()[i], x[i]) << i;
    }
  }
  // Through the rate converter too: nothing non-finite spreads over the filter's length.
  const auto q = mix::Prompt::from_samples(std::span<const float>(x), 8000, 16000);
  for (float v : q->samples())
    ASSERT_TRUE(std::isfinite(v));
  EXPECT_EQ(mix::Prompt::adopt(std::vector<float>(x), 8000)->samples()[10], 0.0f);
  // The data chunk's size patched to claim 1 GB: the 800 samples that are there load.
  std::vector<char> bytes;
  {
    std::ifstream in(wav, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string riff(bytes.begin(), bytes.end());
  const std::size_t data = riff.find("data");
  ASSERT_NE(data, std::string::npos);
  const std::uint32_t huge = 1u << 30;
  std::memcpy(bytes.data() + data + 4, &huge, 4);  // little-endian host, as RIFF
  {
    std::ofstream out(temp_dir() / "claims.wav", std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  std::string error;
  ASSERT_EQ(
      mix::load_prompt((temp_dir() / "claims.wav").string(), {.sample_rate_hz = 8000}, &p, &error),
      Status::ok)
      << error;
  EXPECT_EQ(p->size(), 800u);
}

TEST(MixPrompt, CacheSharesOneCopyPerFileAndRate) {
  mix::PromptCache cache;
  const auto wav =
      write_file("shared.wav", sine(300, 16000, 16000), 16000, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  std::shared_ptr<const mix::Prompt> a, b, c;
  ASSERT_EQ(cache.get(wav.string(), 8000, &a), Status::ok);
  ASSERT_EQ(cache.get(wav.string(), 8000, &b), Status::ok);
  ASSERT_EQ(cache.get(wav.string(), 16000, &c), Status::ok);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_GE(cache.memory_bytes(), (8000 + 16000) * sizeof(float));
  c.reset();
  EXPECT_EQ(cache.evict_unused(), 1u);  // the 16 kHz one: nobody else holds it
  EXPECT_EQ(cache.size(), 1u);
}

// 10,000 channels playing the same prompt hold one copy of its samples.
TEST(MixPrompt, TenThousandPlayersShareOneCopy) {
  mix::PromptCache cache;
  const auto wav =
      write_file("welcome.wav", sine(300, 8000, 8000 * 10), 8000, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  std::shared_ptr<const mix::Prompt> welcome;
  ASSERT_EQ(cache.get(wav.string(), 8000, &welcome), Status::ok);
  const std::size_t cached = cache.memory_bytes();
  std::vector<mix::Player> players(10000);
  std::vector<float> frame(160);
  for (auto& player : players) {
    std::shared_ptr<const mix::Prompt> p;
    ASSERT_EQ(cache.get(wav.string(), 8000, &p), Status::ok);
    ASSERT_EQ(player.play(p), Status::ok);
    player.render(frame);
  }
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.memory_bytes(), cached);
  EXPECT_EQ(welcome.use_count(), 10000 + 2);  // players, the cache, this test
  EXPECT_EQ(welcome->samples().data(),
            players.front().position() >= 0 ? welcome->samples().data() : nullptr);
  std::printf("one 10 s prompt: %zu bytes shared by %zu players\n", cached, players.size());
}

TEST(MixPrompt, CallProgressTonesFollowTheirCadence) {
  const auto ring = mix::tone(mix::call_progress(mix::CallProgress::ringback_eu), 8000);
  ASSERT_EQ(ring->size(), 5u * 8000);
  // 1 s on, 4 s off: energy only in the first second.
  double on = 0, off = 0;
  for (std::size_t i = 0; i < ring->size(); ++i)
    (i < 8000 ? on : off) += ring->samples()[i] * ring->samples()[i];
  EXPECT_GT(on, 90.0);  // 8000 samples of a 0.155 peak sine: 96
  EXPECT_EQ(off, 0.0);
  EXPECT_NEAR(frequency(ring->samples().subspan(100, 7800), 8000), 425.0, 2.0);
  // -13 dBm0 per frequency: peak amplitude 10^((-13 - 3.17) / 20).
  float peak = 0;
  for (float v : ring->samples())
    peak = std::max(peak, std::abs(v));
  EXPECT_NEAR(peak, std::pow(10.0, (-13 - 3.17) / 20), 0.002);
  // Bursts start and end without a click: the first and last samples of a burst are small.
  EXPECT_LT(std::abs(ring->samples()[0]), 0.01f);
  EXPECT_LT(std::abs(ring->samples()[7999]), 0.01f);
  const auto busy = mix::tone(mix::call_progress(mix::CallProgress::busy_us), 16000);
  EXPECT_EQ(busy->size(), 16000u);
  mix::ToneSpec too_high;
  too_high.frequency1_hz = 5000;
  EXPECT_THROW(mix::tone(too_high, 8000), ivrmedia::Error);
}

TEST(MixPrompt, DtmfPromptsAreHeardByTheDetector) {
  const auto p = mix::Prompt::dtmf("147*", 8000);
  ivrmedia::dtmf::Detector det({});
  det.process(p->samples());
  std::vector<float> tail(800, 0.0f);
  det.process(tail);
  ivrmedia::dtmf::Event ev[16];
  std::string heard;
  for (std::size_t i = 0, n = det.read_events(ev); i < n; ++i)
    if (ev[i].type == ivrmedia::dtmf::Event::Type::key_up) heard += ev[i].digit;
  EXPECT_EQ(heard, "147*");
}

TEST(MixPrompt, MemoryPromptsSilenceAndComfortNoise) {
  const auto noise = mix::Prompt::comfort_noise(2.0, -50.0, 8000, 3);
  double sum = 0;
  for (float v : noise->samples())
    sum += static_cast<double>(v) * v;
  const double dbfs = 10 * std::log10(sum / static_cast<double>(noise->size())) + 3.01;
  EXPECT_NEAR(dbfs, -50.0, 0.3);
  EXPECT_EQ(mix::Prompt::silence(0.5, 16000)->size(), 8000u);
  std::vector<std::int16_t> pcm(1600, 1000);
  const auto p = mix::Prompt::from_samples(std::span<const std::int16_t>(pcm), 16000, 8000);
  EXPECT_EQ(p->size(), 800u);
  EXPECT_NEAR(p->samples()[400], 1000.0f / 32768.0f, 1e-3);
  EXPECT_THROW(mix::Prompt::from_samples(std::span<const float>(), 8000, 8000), ivrmedia::Error);
  EXPECT_THROW(mix::Prompt::silence(1.0, 11025), ivrmedia::Error);
}

}  // namespace
