// Smallest C++ host: the C++ API over an installed ivrmedia.
#include <array>
#include <cstdio>

#include <ivrmedia/g711.hpp>

int main() {
  const std::array<std::int16_t, 4> pcm = {0, 1000, -1000, 32767};
  std::array<std::uint8_t, 4> codes{};
  std::array<std::int16_t, 4> back{};
  const ivrmedia::g711::Coder coder({ivrmedia::g711::Law::mulaw});
  if (!ivrmedia::ok(coder.encode(pcm, codes)) || !ivrmedia::ok(coder.decode(codes, back)) ||
      codes[0] != 0xFF || back[3] != 32124) {
    std::fprintf(stderr, "unexpected result\n");
    return 1;
  }
  std::printf("C++ consumer OK, ivrmedia %s, kernels %s\n", ivrmedia::version().data(),
              ivrmedia::simd_name(coder.simd_level()));
  return 0;
}
