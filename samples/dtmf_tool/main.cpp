// ivrmedia-dtmf: lists the DTMF digits in sound files, optionally writing a masked copy.
//
//   ivrmedia-dtmf [--channel N] [--json] [--mask OUT] FILE...
//
// Reads anything libsndfile reads, at any rate from 8000 to 96000 Hz. Prints one line per
// digit: digit, start and end in seconds (three decimals), tab-separated; with several files
// each line starts with the file name. --json prints one JSON document instead. --mask OUT
// (one input file only) writes the chosen channel with every DTMF tone replaced by silence.
// Exit status: 0 on success, 1 when a file cannot be read or written, 2 on bad usage.
#include <sndfile.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "ivrmedia/dtmf.hpp"

namespace {

namespace dtmf = ivrmedia::dtmf;

struct Options {
  int channel = 1;  // 1-based
  bool json = false;
  std::string mask_path;
  std::vector<std::string> files;
};

int usage() {
  std::fprintf(stderr,
               "usage: ivrmedia-dtmf [--channel N] [--json] [--mask OUT] FILE...\n"
               "  Lists DTMF digits (digit, start s, end s) found in each sound file.\n"
               "  --channel N  channel of a multichannel file, from 1 (default 1)\n"
               "  --json       print JSON instead of tab-separated lines\n"
               "  --mask OUT   write the channel with every DTMF tone silenced (one FILE only)\n");
  return 2;
}

struct Digit {
  char digit;
  double start, end, low_dbm0, high_dbm0;
};

struct Result {
  std::string file;
  int rate = 0;
  std::vector<Digit> digits;
};

void collect(dtmf::Detector& det, Result& r) {
  dtmf::Event ev[32];
  for (std::size_t n; (n = det.read_events(ev)) > 0;) {
    for (std::size_t i = 0; i < n; ++i) {
      if (ev[i].type != dtmf::Event::Type::key_up) continue;
      r.digits.push_back({ev[i].digit, double(ev[i].start_sample) / r.rate,
                          double(ev[i].end_sample) / r.rate, ev[i].low_dbm0, ev[i].high_dbm0});
    }
  }
}

// Returns false (after printing one line to stderr) when the file cannot be used.
bool analyse(const std::string& path, const Options& opt, Result& r) {
  SF_INFO info{};
  SNDFILE* in = sf_open(path.c_str(), SFM_READ, &info);
  if (in == nullptr) {
    std::fprintf(stderr, "ivrmedia-dtmf: %s: %s\n", path.c_str(), sf_strerror(nullptr));
    return false;
  }
  r.file = path;
  r.rate = info.samplerate;
  if (opt.channel > info.channels) {
    std::fprintf(stderr, "ivrmedia-dtmf: %s: has %d channel(s), --channel %d asked\n", path.c_str(),
                 info.channels, opt.channel);
    sf_close(in);
    return false;
  }
  dtmf::Detector::Config dc;
  dc.sample_rate_hz = info.samplerate;
  dc.event_capacity = dtmf::Detector::kMaxEvents;
  dtmf::Masker::Config mc;
  mc.sample_rate_hz = info.samplerate;
  mc.detector = dc;
  if (dtmf::Detector::validate(dc) != ivrmedia::Status::ok) {
    std::fprintf(stderr, "ivrmedia-dtmf: %s: sample rate %d Hz outside 8000..96000\n", path.c_str(),
                 info.samplerate);
    sf_close(in);
    return false;
  }
  const bool masking = !opt.mask_path.empty();
  dtmf::Detector det(dc);
  std::vector<float> masked_pcm;
  SNDFILE* out = nullptr;
  std::unique_ptr<dtmf::Masker> masker;
  if (masking) {
    masker = std::make_unique<dtmf::Masker>(mc);
    SF_INFO oinfo{};
    oinfo.samplerate = info.samplerate;
    oinfo.channels = 1;
    oinfo.format = info.format;
    if (!sf_format_check(&oinfo)) oinfo.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    out = sf_open(opt.mask_path.c_str(), SFM_WRITE, &oinfo);
    if (out == nullptr) {
      std::fprintf(stderr, "ivrmedia-dtmf: %s: %s\n", opt.mask_path.c_str(), sf_strerror(nullptr));
      sf_close(in);
      return false;
    }
  }

  constexpr sf_count_t kFrames = 4096;
  std::vector<float> frames(static_cast<std::size_t>(kFrames * info.channels));
  std::vector<float> mono(kFrames), masked(kFrames);
  std::int64_t to_skip = masking ? masker->latency() : 0;  // the masker's delay, dropped
  bool ok = true;
  for (sf_count_t got; (got = sf_readf_float(in, frames.data(), kFrames)) > 0;) {
    for (sf_count_t i = 0; i < got; ++i) {
      mono[static_cast<std::size_t>(i)] =
          frames[static_cast<std::size_t>(i * info.channels + opt.channel - 1)];
    }
    const auto n = static_cast<std::size_t>(got);
    if (masking) {
      (void)masker->process(std::span<const float>(mono.data(), n),
                            std::span<float>(masked.data(), n));
      const std::size_t skip = std::min<std::size_t>(n, static_cast<std::size_t>(to_skip));
      to_skip -= static_cast<std::int64_t>(skip);
      ok = ok && sf_writef_float(out, masked.data() + skip, static_cast<sf_count_t>(n - skip)) ==
                     static_cast<sf_count_t>(n - skip);
    }
    det.process(std::span<const float>(mono.data(), n));
    collect(det, r);
  }
  det.gap(1);  // end a digit still sounding at the end of the file
  collect(det, r);
  if (masking) {
    // Flush the delay line with silence so the masked file is as long as the input.
    std::vector<float> zeros(static_cast<std::size_t>(masker->latency()), 0.0f);
    std::vector<float> tail(zeros.size());
    (void)masker->process(zeros, tail);
    ok = ok && sf_writef_float(out, tail.data(), static_cast<sf_count_t>(tail.size())) ==
                   static_cast<sf_count_t>(tail.size());
    sf_close(out);
    if (!ok) std::fprintf(stderr, "ivrmedia-dtmf: %s: write failed\n", opt.mask_path.c_str());
  }
  sf_close(in);
  return ok;
}

void print_text(const std::vector<Result>& results) {
  for (const Result& r : results) {
    for (const Digit& d : r.digits) {
      if (results.size() > 1) std::printf("%s\t", r.file.c_str());
      std::printf("%c\t%.3f\t%.3f\n", d.digit, d.start, d.end);
    }
  }
}

void print_json_string(const std::string& s) {
  std::putchar('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      std::printf("\\%c", c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      std::printf("\\u%04x", c);
    } else {
      std::putchar(c);
    }
  }
  std::putchar('"');
}

void print_json(const std::vector<Result>& results) {
  std::printf("[");
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Result& r = results[i];
    std::printf("%s{\"file\": ", i ? ", " : "");
    print_json_string(r.file);
    std::printf(", \"sample_rate\": %d, \"digits\": [", r.rate);
    for (std::size_t k = 0; k < r.digits.size(); ++k) {
      const Digit& d = r.digits[k];
      std::printf(
          "%s{\"digit\": \"%c\", \"start\": %.3f, \"end\": %.3f, \"low_dbm0\": %.1f, "
          "\"high_dbm0\": %.1f}",
          k ? ", " : "", d.digit, d.start, d.end, d.low_dbm0, d.high_dbm0);
    }
    std::printf("]}");
  }
  std::printf("]\n");
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--json") {
      opt.json = true;
    } else if (a == "--channel" && i + 1 < argc) {
      opt.channel = std::atoi(argv[++i]);
      if (opt.channel < 1) return usage();
    } else if (a == "--mask" && i + 1 < argc) {
      opt.mask_path = argv[++i];
    } else if (a == "-h" || a == "--help") {
      usage();
      return 0;
    } else if (!a.empty() && a[0] == '-') {
      return usage();
    } else {
      opt.files.push_back(a);
    }
  }
  if (opt.files.empty() || (!opt.mask_path.empty() && opt.files.size() != 1)) return usage();

  std::vector<Result> results;
  int status = 0;
  for (const std::string& f : opt.files) {
    Result r;
    if (analyse(f, opt, r)) {
      results.push_back(std::move(r));
    } else {
      status = 1;
    }
  }
  if (opt.json) {
    print_json(results);
  } else {
    print_text(results);
  }
  return status;
}
