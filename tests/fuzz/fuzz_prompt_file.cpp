// load_prompt on arbitrary file contents: a host loads prompts that operators upload, so a
// damaged or hostile file must give a status and a message, never a crash, a hang or a prompt
// that breaks its own promises. Input: a byte choosing the file's extension (WAV/FLAC/Ogg by
// content, headerless G.711 by name) and the playback rate, then the file's bytes.
// Checks: ok comes with a non-empty prompt at the asked rate, every sample finite and at most
// max_seconds long; an error comes with a message and no prompt.
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <sndfile.h>

#include "fuzz_target.hpp"
#include "ivrmedia/prompt.hpp"

namespace mix = ivrmedia::mix;

namespace {

const char* const kExtensions[] = {".wav", ".flac", ".ogg", ".opus", ".ul", ".al", ".aiff", ""};
const int kRates[] = {8000, 16000, 48000, 44100};
constexpr double kMaxSeconds = 4.0;

std::string temp_path(const char* extension) {
  return "/tmp/ivrmedia-fuzz-" + std::to_string(::getpid()) + extension;
}

// A short tone written by libsndfile in `format`, read back as bytes.
std::vector<std::uint8_t> sound_file(int format, int rate, int channels) {
  const std::string path = temp_path(".seed");
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  std::vector<std::uint8_t> bytes;
  if (SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info)) {
    std::vector<float> x(static_cast<std::size_t>(rate / 50 * channels));
    for (std::size_t i = 0; i < x.size(); ++i)
      x[i] = 0.5f * std::sin(0.07f * static_cast<float>(i));
    sf_writef_float(f, x.data(), rate / 50);
    sf_set_string(f, SF_STR_TITLE, "menu");  // a LIST chunk in WAV
    sf_close(f);
    if (std::FILE* in = std::fopen(path.c_str(), "rb")) {
      int c;
      while ((c = std::fgetc(in)) != EOF)
        bytes.push_back(static_cast<std::uint8_t>(c));
      std::fclose(in);
    }
  }
  std::remove(path.c_str());
  return bytes;
}

}  // namespace

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  struct Seed {
    std::uint8_t choice;  // extension index + 8 x rate index
    int format, rate, channels;
  };
  const Seed seeds[] = {{0, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1},
                        {0 + 8, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 22050, 2},
                        {0 + 16, SF_FORMAT_WAV | SF_FORMAT_ULAW, 8000, 1},
                        {1 + 8, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 16000, 1},
                        {2, SF_FORMAT_OGG | SF_FORMAT_VORBIS, 44100, 1},
                        {6 + 16, SF_FORMAT_AIFF | SF_FORMAT_PCM_24, 48000, 2}};
  std::vector<std::vector<std::uint8_t>> out;
  for (const Seed& s : seeds) {
    std::vector<std::uint8_t> bytes = sound_file(s.format, s.rate, s.channels);
    if (bytes.empty()) continue;
    bytes.insert(bytes.begin(), s.choice);
    out.push_back(std::move(bytes));
  }
  std::vector<std::uint8_t> raw{4};  // headerless mu-law
  for (int i = 0; i < 400; ++i)
    raw.push_back(static_cast<std::uint8_t>(i * 37));
  out.push_back(std::move(raw));
  return out;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t choice = data[0];
  const std::string path = temp_path(kExtensions[choice % 8]);
  if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data + 1, 1, size - 1, f);
    std::fclose(f);
  } else {
    return 0;
  }
  mix::LoadOptions options;
  options.sample_rate_hz = kRates[(choice / 8) % 4];
  options.max_seconds = kMaxSeconds;
  std::shared_ptr<const mix::Prompt> prompt;
  std::string error;
  const ivrmedia::Status s = mix::load_prompt(path, options, &prompt, &error);
  std::remove(path.c_str());
  if (s != ivrmedia::Status::ok) {
    IVRM_FUZZ_CHECK(prompt == nullptr && !error.empty());
    return 0;
  }
  IVRM_FUZZ_CHECK(prompt != nullptr && prompt->size() > 0);
  IVRM_FUZZ_CHECK(prompt->sample_rate_hz() == options.sample_rate_hz);
  IVRM_FUZZ_CHECK(static_cast<double>(prompt->size()) <= kMaxSeconds * options.sample_rate_hz + 1);
  for (float v : prompt->samples())
    IVRM_FUZZ_CHECK(std::isfinite(v));
  return 0;
}
