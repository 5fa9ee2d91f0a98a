// ivrmedia C++ API: ITU-T G.711 mu-law and A-law coding.
//
// Encoding follows the ITU-T G.191 Software Tool Library (and spandsp): a 16-bit sample is
// reduced to G.711's 14-bit (mu-law) or 13-bit (A-law) input by taking a negative sample's
// magnitude as its ones' complement, then truncating. Decoding returns the standard's
// reconstruction values scaled to 16 bits. mu-law <-> A-law conversion uses G.711 Tables 3 and 4.
// Float samples are full scale at +-1.0: encoding scales by 32768, rounds to nearest, saturates
// and reads NaN as 0; decoding divides by 32768 (exact).
//
// Kernels exist for every SimdLevel; all are bit-identical to the scalar reference.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "ivrmedia/core.hpp"

namespace ivrmedia::g711 {

enum class Law : std::int32_t { mulaw = 0, alaw = 1 };

[[nodiscard]] constexpr Law other(Law law) noexcept {
  return law == Law::mulaw ? Law::alaw : Law::mulaw;
}

// One sample at a time, for tables and tests; the span calls below are the fast path.
IVRM_API std::uint8_t encode_sample(Law law, std::int16_t sample) noexcept;
IVRM_API std::int16_t decode_sample(Law law, std::uint8_t code) noexcept;
// Converts one code of `from` into the other law (G.711 Table 3 or 4).
IVRM_API std::uint8_t transcode_sample(Law from, std::uint8_t code) noexcept;

// A coder bound to one law and one kernel level. Stateless otherwise: one coder may serve many
// streams (one thread at a time per coder; distinct coders never share mutable state).
// Every call writes in.size() outputs and returns Status::buffer_too_small, writing nothing,
// when `out` is shorter. Input and output must not overlap, except transcode (may be in place).
class IVRM_API Coder {
 public:
  struct Config {
    Law law = Law::mulaw;
    SimdLevel simd = SimdLevel::automatic;
  };

  // Throws Error(unsupported) when config.simd names a level this CPU cannot run.
  explicit Coder(const Config& config);

  [[nodiscard]] Law law() const noexcept { return law_; }
  [[nodiscard]] SimdLevel simd_level() const noexcept { return simd_; }

  [[nodiscard]] Status encode(std::span<const std::int16_t> in,
                              std::span<std::uint8_t> out) const noexcept;
  [[nodiscard]] Status encode(std::span<const float> in,
                              std::span<std::uint8_t> out) const noexcept;
  [[nodiscard]] Status decode(std::span<const std::uint8_t> in,
                              std::span<std::int16_t> out) const noexcept;
  [[nodiscard]] Status decode(std::span<const std::uint8_t> in,
                              std::span<float> out) const noexcept;
  // Codes of this coder's law -> codes of the other law.
  [[nodiscard]] Status transcode(std::span<const std::uint8_t> in,
                                 std::span<std::uint8_t> out) const noexcept;

 private:
  Law law_;
  SimdLevel simd_;
  const void* kernels_;  // lib/codec's kernel table for (law, level)
};

// Stateless conveniences using the best kernel level of the running CPU.
[[nodiscard]] IVRM_API Status encode(Law law, std::span<const std::int16_t> in,
                                     std::span<std::uint8_t> out) noexcept;
[[nodiscard]] IVRM_API Status encode(Law law, std::span<const float> in,
                                     std::span<std::uint8_t> out) noexcept;
[[nodiscard]] IVRM_API Status decode(Law law, std::span<const std::uint8_t> in,
                                     std::span<std::int16_t> out) noexcept;
[[nodiscard]] IVRM_API Status decode(Law law, std::span<const std::uint8_t> in,
                                     std::span<float> out) noexcept;
[[nodiscard]] IVRM_API Status transcode(Law from, std::span<const std::uint8_t> in,
                                        std::span<std::uint8_t> out) noexcept;

}  // namespace ivrmedia::g711
