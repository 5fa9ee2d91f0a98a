// Runs a fuzz target without libFuzzer: every seed, then `--runs` inputs made by mutating seeds
// with a seeded generator (the same command gives the same inputs, so a failure reproduces),
// and any files named on the command line (crash reproducers from a libFuzzer run).
// Prints how many inputs ran; a broken invariant aborts.
//
//   fuzz_rtp_packet [--runs N] [--seed S] [FILE...]
//   fuzz_rtp_packet --write-seeds DIR      (a starting corpus for libFuzzer; nothing runs)
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_target.hpp"

namespace {

using Bytes = std::vector<std::uint8_t>;

// splitmix64: small, seeded, the same everywhere.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

constexpr std::size_t kMaxInput = 1 << 14;

// One to eight edits of the kinds that break parsers: bit flips, boundary values, inserted,
// erased and duplicated runs, truncation, and splices with another seed.
Bytes mutate(const std::vector<Bytes>& seeds, Rng& rng) {
  Bytes x = seeds[rng.below(seeds.size())];
  const std::size_t edits = 1 + rng.below(8);
  for (std::size_t e = 0; e < edits; ++e) {
    switch (rng.below(8)) {
      case 0:
        if (!x.empty()) x[rng.below(x.size())] ^= static_cast<std::uint8_t>(1u << rng.below(8));
        break;
      case 1: {
        static constexpr std::uint8_t kEdge[] = {0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 0x0F, 0xF0};
        if (!x.empty()) x[rng.below(x.size())] = kEdge[rng.below(std::size(kEdge))];
        break;
      }
      case 2:
        if (!x.empty()) x[rng.below(x.size())] = static_cast<std::uint8_t>(rng.next());
        break;
      case 3: {  // insert random bytes
        const std::size_t at = rng.below(x.size() + 1), n = 1 + rng.below(32);
        Bytes r(n);
        for (auto& b : r)
          b = static_cast<std::uint8_t>(rng.next());
        x.insert(x.begin() + static_cast<long>(at), r.begin(), r.end());
        break;
      }
      case 4:
        if (!x.empty()) {  // erase a run
          const std::size_t at = rng.below(x.size());
          const std::size_t n = 1 + rng.below(std::min<std::size_t>(64, x.size() - at));
          x.erase(x.begin() + static_cast<long>(at), x.begin() + static_cast<long>(at + n));
        }
        break;
      case 5:
        if (!x.empty()) {  // duplicate a run
          const std::size_t at = rng.below(x.size());
          const std::size_t n = 1 + rng.below(std::min<std::size_t>(256, x.size() - at));
          const Bytes run(x.begin() + static_cast<long>(at), x.begin() + static_cast<long>(at + n));
          x.insert(x.begin() + static_cast<long>(rng.below(x.size() + 1)), run.begin(), run.end());
        }
        break;
      case 6:
        x.resize(rng.below(x.size() + 1));  // truncate
        break;
      default: {  // splice: this seed's head, another's tail
        const Bytes& other = seeds[rng.below(seeds.size())];
        const std::size_t cut = rng.below(x.size() + 1), from = rng.below(other.size() + 1);
        x.resize(cut);
        x.insert(x.end(), other.begin() + static_cast<long>(from), other.end());
        break;
      }
    }
    if (x.size() > kMaxInput) x.resize(kMaxInput);
  }
  return x;
}

void run_one(const Bytes& x) {
  // A copy of exactly the input's size, so ASan sees a read one past the end.
  const auto copy = std::make_unique<std::uint8_t[]>(x.size() + (x.empty() ? 1 : 0));
  if (!x.empty()) std::memcpy(copy.get(), x.data(), x.size());
  LLVMFuzzerTestOneInput(copy.get(), x.size());
}

}  // namespace

int main(int argc, char** argv) {
  long runs = 20000;
  std::uint64_t seed = 1;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--write-seeds" && i + 1 < argc) {
      const std::string dir = argv[++i];
      const std::vector<Bytes> seeds = fuzz_seeds();
      for (std::size_t k = 0; k < seeds.size(); ++k) {
        const std::string path = dir + "/seed-" + std::to_string(k);
        std::ofstream out(path, std::ios::binary);
        out.write(reinterpret_cast<const char*>(seeds[k].data()),
                  static_cast<std::streamsize>(seeds[k].size()));
        if (!out) {
          std::fprintf(stderr, "cannot write %s\n", path.c_str());
          return 2;
        }
      }
      std::printf("%zu seeds written to %s\n", seeds.size(), dir.c_str());
      return 0;
    }
    if (a == "--runs" && i + 1 < argc) {
      runs = std::strtol(argv[++i], nullptr, 10);
    } else if (a == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else {
      files.push_back(a);
    }
  }
  long count = 0;
  for (const std::string& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot read %s\n", f.c_str());
      return 2;
    }
    run_one(Bytes(std::istreambuf_iterator<char>(in), {}));
    ++count;
  }
  std::vector<Bytes> seeds = fuzz_seeds();
  seeds.emplace_back();  // the empty input
  for (const Bytes& s : seeds) {
    run_one(s);
    ++count;
  }
  Rng rng{seed};
  for (long i = 0; i < runs; ++i) {
    run_one(mutate(seeds, rng));
    ++count;
  }
  std::printf("%ld inputs: %zu seeds, %ld mutations (seed %llu), %zu files; no invariant broke\n",
              count, seeds.size(), runs, static_cast<unsigned long long>(seed), files.size());
  return 0;
}
