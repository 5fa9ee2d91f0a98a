// Shared machinery of the C API layer: status translation, growable-config reading, and placing
// handles in caller or library memory. No exception crosses the C boundary.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include "ivrmedia/core.hpp"
#include "ivrmedia/ivrmedia.h"

namespace ivrmedia::capi {

inline ivrm_status to_c(Status s) noexcept {
  return static_cast<ivrm_status>(s);
}

// Handles are placed at IVRM_ALIGNMENT and sized in whole multiples of it, so arenas of many
// handles stay aligned when a host lays them end to end.
constexpr std::size_t round_up(std::size_t n) noexcept {
  return (n + IVRM_ALIGNMENT - 1) / IVRM_ALIGNMENT * IVRM_ALIGNMENT;
}

// Copies a caller's config into `out`, which holds the defaults. `min_size` is the size of the
// first published version of the struct: smaller is IVRM_ERR_CONFIG. A struct larger than this
// library knows (a host built against a newer header) is accepted only when the unknown tail is
// all zero, i.e. the host left the newer fields at their defaults.
template <typename Config>
ivrm_status read_config(const Config* user, std::size_t min_size, Config& out) noexcept {
  if (user == nullptr) return IVRM_ERR_NULL;
  const std::size_t size = user->struct_size;
  if (size < min_size) return IVRM_ERR_CONFIG;
  if (size > sizeof(Config)) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(user);
    for (std::size_t i = sizeof(Config); i < size; ++i) {
      if (bytes[i] != 0) return IVRM_ERR_UNSUPPORTED;
    }
  }
  std::memcpy(&out, user, size < sizeof(Config) ? size : sizeof(Config));
  out.struct_size = sizeof(Config);
  return IVRM_OK;
}

// The largest struct a *_config_init_sized call accepts: far above any config, small enough that
// a size computed from garbage is refused instead of zeroing memory the host does not own.
constexpr std::size_t kMaxStructSize = 1 << 16;

// Fills a caller's config of `size` bytes (its sizeof, passed by the *_config_init macro) with
// `full`, this library's defaults: an older header's smaller struct gets only the fields it has
// (never a byte past it), a newer header's larger one gets the fields this library knows and
// zero beyond them (zero is the default of every field added later), and struct_size = size, so
// read_config accepts it back. Smaller than the first version or absurdly large: IVRM_ERR_CONFIG,
// nothing written.
template <typename Config>
ivrm_status init_config(Config* user, std::size_t size, std::size_t min_size,
                        const Config& full) noexcept {
  if (user == nullptr) return IVRM_ERR_NULL;
  if (size < min_size || size > kMaxStructSize) return IVRM_ERR_CONFIG;
  const std::size_t known = size < sizeof(Config) ? size : sizeof(Config);
  std::memcpy(user, &full, known);
  if (size > known) std::memset(reinterpret_cast<unsigned char*>(user) + known, 0, size - known);
  user->struct_size = static_cast<uint32_t>(size);
  return IVRM_OK;
}

// Growable output struct: copies the part of `full` that fits in the caller's struct_size, which
// must be at least `min_size` (the first published version; else IVRM_ERR_CONFIG and nothing
// written). Fields beyond what this library knows keep the caller's values; struct_size is kept.
template <typename Out>
ivrm_status write_output(Out full, Out* user, std::size_t min_size) noexcept {
  if (user == nullptr) return IVRM_ERR_NULL;
  const std::size_t size = user->struct_size;
  if (size < min_size) return IVRM_ERR_CONFIG;
  full.struct_size = user->struct_size;
  std::memcpy(user, &full, size < sizeof(Out) ? size : sizeof(Out));
  return IVRM_OK;
}

// Runs a creation step; every exception becomes a status (none crosses the C boundary).
template <typename Step>
ivrm_status guarded(Step&& step) noexcept {
  try {
    return step();
  } catch (const Error& e) {
    return to_c(e.status());
  } catch (const std::bad_alloc&) {
    return IVRM_ERR_NO_MEMORY;
  } catch (...) {
    return IVRM_ERR_INTERNAL;
  }
}

// Constructs Handle in `mem`; every exception becomes a status and *out stays NULL on failure.
template <typename Handle, typename... Args>
ivrm_status place(void* mem, std::size_t mem_size, Handle** out, Args&&... args) noexcept {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  if (mem == nullptr) return IVRM_ERR_NULL;
  if (reinterpret_cast<std::uintptr_t>(mem) % IVRM_ALIGNMENT != 0) return IVRM_ERR_INVALID;
  if (mem_size < round_up(sizeof(Handle))) return IVRM_ERR_BUFFER_TOO_SMALL;  // what *_size said
  return guarded([&] {
    *out = new (mem) Handle(std::forward<Args>(args)...);
    return IVRM_OK;
  });
}

// size + allocate + create_in, as the header promises; the handle remembers to free itself.
template <typename Handle, typename CreateIn>
ivrm_status allocate_and_place(std::size_t size, Handle** out, CreateIn create_in) noexcept {
  if (out == nullptr) return IVRM_ERR_NULL;
  *out = nullptr;
  void* mem = std::aligned_alloc(IVRM_ALIGNMENT, round_up(size));
  if (mem == nullptr) return IVRM_ERR_NO_MEMORY;
  const ivrm_status s = create_in(mem, round_up(size));
  if (s != IVRM_OK) {
    std::free(mem);
    return s;
  }
  (*out)->owns_memory = true;
  return IVRM_OK;
}

// Ends a handle; frees it when the library allocated it.
template <typename Handle>
void destroy(Handle* h) noexcept {
  if (h == nullptr) return;
  const bool owned = h->owns_memory;
  h->~Handle();
  if (owned) std::free(h);
}

}  // namespace ivrmedia::capi
