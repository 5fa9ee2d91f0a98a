// Reproducible random draws for the simulators: the same seed gives the same numbers on every
// platform and standard library.
//
// Why not <random>: std::mt19937_64 is portable, but std::normal_distribution and friends are
// implementation-defined (libstdc++, libc++ and MSVC give different values for one engine), and
// libm's log/exp may differ in the last bit between C libraries. Here every draw is an integer
// hash, and the only transcendental functions are portable_log/portable_exp below, built from
// IEEE-exact operations (+ - * /, frexp, ldexp) in a fixed order. The project compiles with
// -ffp-contract=off, so no compiler fuses them differently.
//
// Why counter-based: draw(stream, index, k) is a pure function of its arguments (a splitmix64
// finalizer over a per-stream Weyl sequence), not a position in one shared generator. A network
// simulator that draws jitter, loss, spikes, reordering and duplicates from separate streams
// keyed by the packet's index sees the same jitter trace whether loss is on or off, and the same
// result whether packets are sent one at a time or all at once.
#pragma once

#include <cstdint>

namespace ivrmedia::sim {

// splitmix64's output function (Steele, Lea, Flood 2014): a bijective 64-bit mixer.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Natural logarithm for finite x > 0 (returns -inf for 0, as a guard): within a few ulp of
// std::log, and bit-identical everywhere.
double portable_log(double x) noexcept;
// e^x: within a few ulp of std::exp; 0 below -745, +inf above 709.78.
double portable_exp(double x) noexcept;

class RandomDraws {
 public:
  // Every stream has at most kDrawsPerIndex draws per index (a polar-method Gaussian takes a
  // variable number of pairs; 64 draws leave a failure chance of (1 - pi/4)^32, about 1e-21).
  static constexpr std::uint64_t kDrawsPerIndex = 64;

  constexpr RandomDraws(std::uint64_t seed, std::uint64_t stream) noexcept
      : key_(mix64(seed ^ mix64(stream + 0x6A09E667F3BCC909ULL))) {}

  constexpr std::uint64_t bits(std::uint64_t index, std::uint64_t k = 0) const noexcept {
    return mix64(key_ + (index * kDrawsPerIndex + k) * 0x9E3779B97F4A7C15ULL);
  }
  // Uniform in the open interval (0, 1): 53 bits, offset by half a step so log() never sees 0.
  constexpr double uniform(std::uint64_t index, std::uint64_t k = 0) const noexcept {
    return (double(bits(index, k) >> 11) + 0.5) * 0x1.0p-53;
  }
  // Standard normal by Marsaglia's polar method (only log and sqrt, both portable here).
  double normal(std::uint64_t index) const noexcept;
  // Exponential with mean 1: -ln(U).
  double exponential(std::uint64_t index, std::uint64_t k = 0) const noexcept {
    return -portable_log(uniform(index, k));
  }

 private:
  std::uint64_t key_;
};

}  // namespace ivrmedia::sim
