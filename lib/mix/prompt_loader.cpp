// Prompt files through libsndfile, and the cache that shares them.
#include <sndfile.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ivrmedia/prompt.hpp"
#include "mix/convert_rate.hpp"

namespace ivrmedia::mix {
namespace {

std::string lower_extension(const std::string& path) {
  const auto dot = path.find_last_of('.');
  const auto slash = path.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

// Headerless G.711 by file name: libsndfile needs to be told the format.
bool raw_g711_format(const std::string& ext, SF_INFO* info) {
  int law = 0;
  if (ext == "ul" || ext == "ulaw" || ext == "mu" || ext == "pcmu") law = SF_FORMAT_ULAW;
  if (ext == "al" || ext == "alaw" || ext == "pcma") law = SF_FORMAT_ALAW;
  if (law == 0) return false;
  info->format = SF_FORMAT_RAW | law;
  info->channels = 1;
  info->samplerate = 8000;
  return true;
}

Status fail(Status status, const std::string& path, const std::string& why, std::string* error) {
  if (error != nullptr) *error = "prompt " + path + ": " + why;
  return status;
}

struct SndFile {
  SNDFILE* f = nullptr;
  ~SndFile() {
    if (f != nullptr) sf_close(f);
  }
};

}  // namespace

Status load_prompt(const std::string& path, const LoadOptions& options,
                   std::shared_ptr<const Prompt>* out, std::string* error) {
  if (out == nullptr) return Status::null_pointer;
  if (!resample::Resampler::rate_supported(options.sample_rate_hz)) {
    return fail(Status::bad_config, path, "unsupported playback rate", error);
  }
  SF_INFO info{};
  raw_g711_format(lower_extension(path), &info);
  SndFile file;
  file.f = sf_open(path.c_str(), SFM_READ, &info);
  if (file.f == nullptr) {
    // libsndfile's message says whether the file is missing or its format unknown.
    return fail(Status::unsupported, path, sf_strerror(nullptr), error);
  }
  if (info.frames <= 0 || info.channels <= 0) {
    return fail(Status::malformed, path, "no audio in the file", error);
  }
  if (info.samplerate < 1000 || info.samplerate > 384000) {
    return fail(Status::unsupported, path, "sample rate outside 1-384 kHz", error);
  }
  const double seconds = static_cast<double>(info.frames) / info.samplerate;
  if (seconds > options.max_seconds) {
    return fail(Status::out_of_range, path,
                "longer than the " + std::to_string(options.max_seconds) + " s limit", error);
  }
  try {
    // Read as float (libsndfile scales every format to +-1.0) and average the channels, a chunk
    // at a time: memory grows with the audio actually in the file, not with what its header
    // claims (a 100-byte hostile header can claim gigabytes).
    const auto channels = static_cast<std::size_t>(info.channels);
    const auto limit = static_cast<std::size_t>(options.max_seconds * info.samplerate) + 1;
    constexpr std::size_t kChunkFrames = 4096;
    std::vector<float> interleaved(kChunkFrames * channels);
    std::vector<float> mono;
    for (;;) {
      const sf_count_t got =
          sf_readf_float(file.f, interleaved.data(), static_cast<sf_count_t>(kChunkFrames));
      if (got <= 0) break;
      for (std::size_t i = 0; i < static_cast<std::size_t>(got); ++i) {
        float sum = 0.0f;
        for (std::size_t c = 0; c < channels; ++c)
          sum += interleaved[i * channels + c];
        mono.push_back(sum / static_cast<float>(channels));
      }
      if (mono.size() > limit) {
        return fail(Status::out_of_range, path,
                    "longer than the " + std::to_string(options.max_seconds) + " s limit", error);
      }
    }
    if (mono.empty()) return fail(Status::malformed, path, "no audio could be read", error);
    std::vector<float> converted =
        convert_rate(mono, info.samplerate, options.sample_rate_hz, options.quality);
    if (converted.empty()) {  // a frame or two at a high rate rounds to no sample at ours
      return fail(Status::malformed, path, "shorter than one sample at the playback rate", error);
    }
    *out = Prompt::adopt(std::move(converted), options.sample_rate_hz, path);
  } catch (const Error& e) {
    return fail(e.status(), path, e.what(), error);
  } catch (const std::bad_alloc&) {
    return fail(Status::no_memory, path, "out of memory", error);
  }
  return Status::ok;
}

PromptCache::PromptCache() : PromptCache(Config{}) {}
PromptCache::PromptCache(const Config& config) : config_(config) {}

Status PromptCache::get(const std::string& path, int rate_hz, std::shared_ptr<const Prompt>* out,
                        std::string* error) {
  if (out == nullptr) return Status::null_pointer;
  const Key key{path, rate_hz};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = prompts_.find(key); it != prompts_.end()) {
      *out = it->second;
      return Status::ok;
    }
  }
  // Loaded outside the lock: other prompts stay available meanwhile. Two threads asking for
  // the same new file may both load it; the first one stored wins and both get it.
  std::shared_ptr<const Prompt> loaded;
  const Status st = load_prompt(path,
                                LoadOptions{.sample_rate_hz = rate_hz,
                                            .max_seconds = config_.max_seconds,
                                            .quality = config_.quality},
                                &loaded, error);
  if (st != Status::ok) return st;
  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, inserted] = prompts_.emplace(key, std::move(loaded));
  *out = it->second;
  return Status::ok;
}

void PromptCache::put(const std::string& key, std::shared_ptr<const Prompt> prompt) {
  if (!prompt) return;
  std::lock_guard<std::mutex> lock(mutex_);
  prompts_[Key{key, prompt->sample_rate_hz()}] = std::move(prompt);
}

std::size_t PromptCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return prompts_.size();
}

std::size_t PromptCache::memory_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::size_t total = 0;
  for (const auto& [key, prompt] : prompts_)
    total += prompt->memory_bytes();
  return total;
}

std::size_t PromptCache::evict_unused() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::erase_if(prompts_, [](const auto& kv) { return kv.second.use_count() == 1; });
}

void PromptCache::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  prompts_.clear();
}

}  // namespace ivrmedia::mix
