// C API: G.711 coder handle over ivrmedia::g711::Coder.
#include <cstddef>

#include "capi/capi_support.hpp"
#include "ivrmedia/g711.hpp"

using ivrmedia::capi::to_c;
namespace g711 = ivrmedia::g711;

struct ivrm_g711 {
  explicit ivrm_g711(const g711::Coder::Config& c) : coder(c) {}
  g711::Coder coder;
  bool owns_memory = false;
};

namespace {

// Size of version 1 of the config; later versions only append.
constexpr std::size_t kConfigV1Size = offsetof(ivrm_g711_config, simd) + sizeof(int32_t);

ivrm_status to_coder_config(const ivrm_g711_config* cfg, g711::Coder::Config& out) {
  ivrm_g711_config c;
  ivrm_g711_config_init(&c);
  if (const ivrm_status s = ivrmedia::capi::read_config(cfg, kConfigV1Size, c); s != IVRM_OK) {
    return s;
  }
  if (c.law != IVRM_G711_ULAW && c.law != IVRM_G711_ALAW) return IVRM_ERR_INVALID;
  if (c.simd != IVRM_SIMD_AUTO && c.simd != IVRM_SIMD_SCALAR && c.simd != IVRM_SIMD_AVX2) {
    return IVRM_ERR_INVALID;
  }
  if (!ivrm_simd_supported(static_cast<ivrm_simd>(c.simd))) return IVRM_ERR_UNSUPPORTED;
  out.law = static_cast<g711::Law>(c.law);
  out.simd = static_cast<ivrmedia::SimdLevel>(c.simd);
  return IVRM_OK;
}

// Shared argument checks of the processing calls: n == 0 accepts any pointers.
template <typename In, typename Out>
ivrm_status check(const ivrm_g711* h, const In* in, std::size_t n, Out* out) {
  if (h == nullptr) return IVRM_ERR_NULL;
  if (n != 0 && (in == nullptr || out == nullptr)) return IVRM_ERR_NULL;
  return IVRM_OK;
}

}  // namespace

extern "C" {

ivrm_status ivrm_g711_config_init_sized(ivrm_g711_config* cfg, size_t size) {
  ivrm_g711_config c{};  // this version's defaults
  c.law = IVRM_G711_ULAW;
  c.simd = IVRM_SIMD_AUTO;
  return ivrmedia::capi::init_config(cfg, size, kConfigV1Size, c);
}

ivrm_status ivrm_g711_size(const ivrm_g711_config* cfg, size_t* size) {
  if (size == nullptr) return IVRM_ERR_NULL;
  *size = 0;
  g711::Coder::Config c;
  if (const ivrm_status s = to_coder_config(cfg, c); s != IVRM_OK) return s;
  *size = ivrmedia::capi::round_up(sizeof(ivrm_g711));
  return IVRM_OK;
}

ivrm_status ivrm_g711_create_in(void* mem, size_t mem_size, const ivrm_g711_config* cfg,
                                ivrm_g711** out) {
  if (out != nullptr) *out = nullptr;
  g711::Coder::Config c;
  if (const ivrm_status s = to_coder_config(cfg, c); s != IVRM_OK) return s;
  return ivrmedia::capi::place(mem, mem_size, out, c);
}

ivrm_status ivrm_g711_create(const ivrm_g711_config* cfg, ivrm_g711** out) {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  size_t size = 0;
  if (const ivrm_status s = ivrm_g711_size(cfg, &size); s != IVRM_OK) return s;
  return ivrmedia::capi::allocate_and_place(size, out, [&](void* mem, size_t mem_size) {
    return ivrm_g711_create_in(mem, mem_size, cfg, out);
  });
}

void ivrm_g711_destroy(ivrm_g711* g) {
  ivrmedia::capi::destroy(g);
}

ivrm_status ivrm_g711_get_law(const ivrm_g711* g, ivrm_g711_law* law) {
  if (g == nullptr || law == nullptr) return IVRM_ERR_NULL;
  *law = static_cast<ivrm_g711_law>(g->coder.law());
  return IVRM_OK;
}

ivrm_status ivrm_g711_get_simd(const ivrm_g711* g, ivrm_simd* simd) {
  if (g == nullptr || simd == nullptr) return IVRM_ERR_NULL;
  *simd = static_cast<ivrm_simd>(g->coder.simd_level());
  return IVRM_OK;
}

ivrm_status ivrm_g711_encode(const ivrm_g711* g, const int16_t* pcm, size_t n, uint8_t* codes) {
  if (const ivrm_status s = check(g, pcm, n, codes); s != IVRM_OK || n == 0) return s;
  return to_c(g->coder.encode({pcm, n}, {codes, n}));
}

ivrm_status ivrm_g711_encode_float(const ivrm_g711* g, const float* pcm, size_t n, uint8_t* codes) {
  if (const ivrm_status s = check(g, pcm, n, codes); s != IVRM_OK || n == 0) return s;
  return to_c(g->coder.encode({pcm, n}, {codes, n}));
}

ivrm_status ivrm_g711_decode(const ivrm_g711* g, const uint8_t* codes, size_t n, int16_t* pcm) {
  if (const ivrm_status s = check(g, codes, n, pcm); s != IVRM_OK || n == 0) return s;
  return to_c(g->coder.decode({codes, n}, {pcm, n}));
}

ivrm_status ivrm_g711_decode_float(const ivrm_g711* g, const uint8_t* codes, size_t n, float* pcm) {
  if (const ivrm_status s = check(g, codes, n, pcm); s != IVRM_OK || n == 0) return s;
  return to_c(g->coder.decode({codes, n}, {pcm, n}));
}

ivrm_status ivrm_g711_transcode(const ivrm_g711* g, const uint8_t* in, size_t n, uint8_t* out) {
  if (const ivrm_status s = check(g, in, n, out); s != IVRM_OK || n == 0) return s;
  return to_c(g->coder.transcode({in, n}, {out, n}));
}

}  // extern "C"
