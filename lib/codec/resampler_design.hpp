// Resampler filter design: which stages convert a pair of rates, and each stage's polyphase
// table. Designs are immutable and cached process-wide by (rates, quality), so any number of
// Resamplers of one pair share one table.
//
// A stage converts rate r_in to r_out = r_in * L / M (L, M coprime). Conceptually it inserts
// L - 1 zeros between input samples (rate F = L * r_in), filters with an N-tap linear-phase
// lowpass h (N = L * K), and keeps every M-th sample:
//
//   output j sits at filter-rate time t_j = j M + M - 1, phase p_j = t_j mod L, newest input
//   b_j = floor(t_j / L):  y_j = sum_{k<K} h[p_j + k L] * x[b_j - k].
//
// t_j is chosen so that output j exists exactly once (j + 1) M <= n L inputs have arrived:
// after n inputs a stage has written floor(n L / M) outputs. Plans only chain stages so that
// these floors compose (an integer upsampler first, an integer decimator last), so a whole
// conversion writes floor(n * out / in) frames.
//
// The phases repeat with period L (p_{j+L} = p_j, b_{j+L} = b_j + M), so the table holds one
// row per output of a period, in output order: row i = the taps of phase p_i, reversed so that
// an output is a plain dot product of its row with K consecutive inputs starting at
// b_j - K + 1. Consecutive outputs read consecutive rows (a streaming walk through the table,
// whatever M mod L is), and step[i] = b_{i+1} - b_i says how far the window moves after row i.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "ivrmedia/resampler.hpp"

namespace ivrmedia::resample::detail {

// Float storage aligned to 64 bytes (rows of K floats, K a multiple of 8, start on 32-byte
// boundaries, so the kernels' row loads never split a cache line).
class AlignedFloats {
 public:
  AlignedFloats() = default;
  explicit AlignedFloats(std::size_t n);
  AlignedFloats(AlignedFloats&& o) noexcept : p_(o.p_), n_(o.n_) { o.p_ = nullptr, o.n_ = 0; }
  AlignedFloats& operator=(AlignedFloats&& o) noexcept;
  AlignedFloats(const AlignedFloats&) = delete;
  AlignedFloats& operator=(const AlignedFloats&) = delete;
  ~AlignedFloats();
  [[nodiscard]] float* data() noexcept { return p_; }
  [[nodiscard]] const float* data() const noexcept { return p_; }
  [[nodiscard]] std::size_t size() const noexcept { return n_; }

 private:
  float* p_ = nullptr;
  std::size_t n_ = 0;
};

struct StageDesign {
  int rate_in_hz = 0, rate_out_hz = 0;
  std::uint32_t L = 1, M = 1;  // r_out / r_in = L / M, coprime
  std::uint32_t K = 0;         // taps per phase, a multiple of 8
  bool sharp = false;          // the stage that shapes the passband edge (vs a relaxed one)
  double passband_hz = 0, stopband_hz = 0, cutoff_hz = 0, beta = 0;
  double delay_s = 0;                  // group delay through this stage, output placement included
  AlignedFloats table;                 // L rows of K floats, in output order
  std::vector<std::uint32_t> step;     // L: window advance after each row
  std::vector<std::uint64_t> advance;  // 2L + 1: advance[i] = sum of step over rows [0, i)
                                       // (rows taken mod L), so any run of n < L outputs
                                       // from row r moves the window advance[r + n] - advance[r]
};

struct Design {
  int input_rate_hz = 0, output_rate_hz = 0;
  Quality quality = Quality::standard;
  std::uint64_t L = 1, M = 1;       // output / input = L / M, coprime
  std::vector<StageDesign> stages;  // empty for identity
  double latency_s = 0;
};

// Per quality: the specification (passband edge as a fraction of f_low / 2, the rejection) and
// the sharp filter that meets it with the fewest taps (span in f_low samples, Kaiser beta,
// cutoff as a fraction of f_low / 2), found offline by searching beta and the cutoff: the
// cutoff sits below the band edge by as much as the 0.1 dB passband budget allows, which buys
// the rejection a centred Kaiser design would need ~15 % more taps for.
struct Preset {
  double passband;      // ripple <= 0.1 dB up to passband * f_low / 2
  double rejection_db;  // from f_low / 2 up
  std::uint32_t span;   // sharp filter length in samples at f_low
  double beta;          // Kaiser window
  double cutoff;        // sinc cutoff, fraction of f_low / 2
};
const Preset& preset(Quality q) noexcept;

bool rate_supported(int hz) noexcept;
bool quality_valid(Quality q) noexcept;

// The cached design for a pair; creates it on first use (under a lock). Rates and quality must
// be valid.
std::shared_ptr<const Design> design(int input_rate_hz, int output_rate_hz, Quality quality);

// Uncached: builds a design (allow_two_stages = false forces one stage), for design() and for
// exploring plans.
std::shared_ptr<const Design> build_design(int input_rate_hz, int output_rate_hz, Quality quality,
                                           bool allow_two_stages);

// Kaiser window helpers (double precision), exposed for tests.
double bessel_i0(double x) noexcept;

}  // namespace ivrmedia::resample::detail
