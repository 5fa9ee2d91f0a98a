// The shape every fuzz target has: libFuzzer's entry point, plus seed inputs the target builds
// itself (valid streams made with the library's own builders), so no corpus is committed.
//
// Built two ways (tests/fuzz/CMakeLists.txt): with clang and IVRMEDIA_LIBFUZZER=ON, libFuzzer
// drives the entry point (coverage-guided, run by hand for hours); otherwise the standalone
// driver (standalone_driver.cpp) replays the seeds and a fixed number of seeded mutations of
// them, which is what CTest runs in the release and ASan+UBSan builds.
//
// A target aborts (IVRM_FUZZ_CHECK) when an invariant the library promises breaks: a crash, a
// sanitizer report or an abort is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

// Valid inputs to start mutating from.
std::vector<std::vector<std::uint8_t>> fuzz_seeds();

#define IVRM_FUZZ_CHECK(cond)                                                           \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)

// Reads the input front to back; past the end every read gives 0 (targets never index the input
// themselves, so a short input cannot make them read out of bounds).
class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  [[nodiscard]] bool empty() const { return pos_ >= size_; }
  [[nodiscard]] std::size_t left() const { return pos_ < size_ ? size_ - pos_ : 0; }
  std::uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint16_t u16() { return static_cast<std::uint16_t>(u8() << 8 | u8()); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(u16()) << 16 | u16(); }
  // Up to n bytes (fewer at the end of the input).
  std::vector<std::uint8_t> bytes(std::size_t n) {
    const std::size_t k = n < left() ? n : left();
    std::vector<std::uint8_t> out(data_ + pos_, data_ + pos_ + k);
    pos_ += k;
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};
