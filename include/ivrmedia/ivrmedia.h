/*
 * ivrmedia: the media core of an IVR host. This header is the whole C API and its manual.
 *
 * Conventions that hold for every part of this API:
 *
 * - Status apart from counts. Every function that can fail returns an ivrm_status: IVRM_OK (0)
 *   or a negative code from the groups below; results go through out-parameters. Codes are never
 *   renumbered or reused. ivrm_strerror() turns any value into text and never returns NULL.
 *
 * - One lifecycle for every handle:
 *       ivrm_X_config cfg;
 *       ivrm_X_config_init(&cfg);          fills every field with its documented default
 *       cfg.some_field = ...;              change what you need
 *       ivrm_X *x;
 *       if (ivrm_X_create(&cfg, &x) != IVRM_OK) ...
 *       ... processing calls ...
 *       ivrm_X_destroy(x);                 accepts NULL
 *   Where the memory is fixed by the config, ivrm_X_size() and ivrm_X_create_in() place the handle
 *   in caller memory (aligned to IVRM_ALIGNMENT), so a host can keep thousands in one arena;
 *   ivrm_X_create() is exactly size + allocate + create_in.
 *
 * - Growable configs. Every config struct starts with uint32_t struct_size, set by *_config_init.
 *   The library reads only the fields inside struct_size, so fields are appended in later versions
 *   without breaking hosts built against older headers. A host built against a newer header may
 *   pass a larger struct to an older library: accepted when every field the library does not know
 *   is zero, rejected with IVRM_ERR_UNSUPPORTED otherwise.
 *
 * - Real-time safety. Only *_create* allocate. Processing calls never allocate, lock, block, make
 *   system calls or log; their cost is bounded by their arguments. Buffers are owned by the caller.
 *
 * - Confidentiality. The library never logs or prints audio, digits or numbers.
 *
 * - Threads. Handles share no mutable state: different handles may be used on different threads
 *   at once; one handle must not be used by two threads at the same time.
 *
 * - Samples. int16 samples are 16-bit linear PCM. float samples are full scale at +-1.0
 *   (int16 x = float x / 32768); float inputs are rounded to nearest, saturated, and NaN reads 0.
 *
 * Stable API first; calls still allowed to change are fenced by IVRM_EXPERIMENTAL at the end.
 * The header compiles as C99 and C11 with -Wall -Wextra -Werror -pedantic, and as C++.
 */
#ifndef IVRMEDIA_IVRMEDIA_H
#define IVRMEDIA_IVRMEDIA_H

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------------------------------------
 * Version. CMake reads these three macros: they are the one source of truth for the version,
 * the package version and the shared library's SONAME (libivrmedia.so.MAJOR).
 */
#define IVRM_VERSION_MAJOR 0
#define IVRM_VERSION_MINOR 1
#define IVRM_VERSION_PATCH 0
#define IVRM_VERSION_NUMBER \
  (IVRM_VERSION_MAJOR * 10000 + IVRM_VERSION_MINOR * 100 + IVRM_VERSION_PATCH)
#define IVRM_STRINGIFY_(x) #x
#define IVRM_STRINGIFY(x) IVRM_STRINGIFY_(x)
#define IVRM_VERSION_STRING          \
  IVRM_STRINGIFY(IVRM_VERSION_MAJOR) \
  "." IVRM_STRINGIFY(IVRM_VERSION_MINOR) "." IVRM_STRINGIFY(IVRM_VERSION_PATCH)

/* Export and attribute macros. */
#if defined(IVRM_STATIC_DEFINE)
#define IVRM_API
#elif defined(__GNUC__) || defined(__clang__)
#define IVRM_API __attribute__((visibility("default")))
#else
#define IVRM_API
#endif
#if defined(__GNUC__) || defined(__clang__)
#define IVRM_MUST_CHECK __attribute__((warn_unused_result))
#else
#define IVRM_MUST_CHECK
#endif

/* Alignment that memory given to *_create_in must have. */
#define IVRM_ALIGNMENT 64

#ifdef __cplusplus
extern "C" {
#endif

/* Runtime version of the linked library: "MAJOR.MINOR.PATCH" and IVRM_VERSION_NUMBER's value.
 * Compare with the macros to detect a header/library mismatch. */
IVRM_API const char* ivrm_version(void);
IVRM_API uint32_t ivrm_version_number(void);

/* ---------------------------------------------------------------------------------------------
 * Status codes. 0 is success; errors are negative and grouped with gaps for later codes:
 *   -1..-19 arguments, -20..-39 capacity, -40..-59 malformed input, -60..-79 state,
 *   -80..-99 internal.
 */
typedef enum ivrm_status {
  IVRM_OK = 0,
  /* arguments */
  IVRM_ERR_NULL = -1,        /* a required pointer argument is NULL */
  IVRM_ERR_INVALID = -2,     /* an argument's value is not allowed (unknown enum, misaligned) */
  IVRM_ERR_RANGE = -3,       /* a numeric argument is outside its documented bounds */
  IVRM_ERR_CONFIG = -4,      /* config struct_size unknown or fields inconsistent */
  IVRM_ERR_UNSUPPORTED = -5, /* valid request this build or CPU cannot serve */
  /* capacity */
  IVRM_ERR_BUFFER_TOO_SMALL = -20, /* a caller buffer cannot hold the result; nothing written */
  IVRM_ERR_NO_MEMORY = -21,        /* allocation failed (only *_create calls allocate) */
  IVRM_ERR_FULL = -22,             /* a fixed-capacity container is full; the item was refused */
  /* malformed input */
  IVRM_ERR_MALFORMED = -40, /* input data violates its format; rejected, state unchanged */
  IVRM_ERR_TRUNCATED = -41, /* input data ends before its format says it does */
  /* state */
  IVRM_ERR_STATE = -60, /* the call is not allowed in the handle's current state */
  /* internal */
  IVRM_ERR_INTERNAL = -80 /* a bug in ivrmedia; please report it */
} ivrm_status;

/* Short English description of a status value; any int is accepted, never returns NULL. */
IVRM_API const char* ivrm_strerror(int status);

/* ---------------------------------------------------------------------------------------------
 * SIMD level of kernels. Every handle with vectorized kernels chooses its level once at creation
 * (config field simd) and keeps it; all levels give bit-identical results unless the handle's
 * documentation states a tolerance. IVRM_SIMD_AUTO picks the best level of the running CPU.
 * Forcing a level the CPU lacks gives IVRM_ERR_UNSUPPORTED at creation.
 */
typedef enum ivrm_simd {
  IVRM_SIMD_AUTO = 0,
  IVRM_SIMD_SCALAR = 1, /* portable C++: the reference every other level is tested against */
  IVRM_SIMD_AVX2 = 2    /* x86-64 AVX2 */
} ivrm_simd;

/* Best level this CPU runs; never IVRM_SIMD_AUTO. */
IVRM_API ivrm_simd ivrm_simd_best(void);
/* 1 when this CPU and build can run the level, else 0 (AUTO: always 1). */
IVRM_API int ivrm_simd_supported(ivrm_simd level);
/* "auto", "scalar", "avx2"; "unknown" for other values. */
IVRM_API const char* ivrm_simd_name(ivrm_simd level);

/* ---------------------------------------------------------------------------------------------
 * G.711 (ITU-T G.711): 64 kbit/s log-PCM, mu-law (PCMU, North America/Japan) and A-law (PCMA).
 *
 * Encoding maps a 16-bit sample to G.711's 14-bit (mu-law) or 13-bit (A-law) input the way the
 * ITU-T G.191 Software Tool Library does: a negative sample's magnitude is its ones' complement,
 * then truncated. mu-law 0 -> 0xFF, A-law 0 -> 0xD5; +32767 -> 0x80 (mu) / 0xAA (A).
 * Decoding gives the standard's reconstruction values scaled to 16 bits: mu-law 0x80 -> +32124,
 * 0x00 -> -32124; A-law 0xAA -> +32256, 0xD5 -> +8. Bit-exact with G.191 and spandsp for all
 * 65536 inputs and 256 codes. Direct mu-law <-> A-law conversion uses G.711's Tables 3 and 4
 * (not a decode/re-encode), so mu -> A -> mu is transparent where the standard makes it so.
 *
 * A G.711 coder is stateless apart from its law and kernel level, so one handle may serve any
 * number of streams (one thread at a time). All processing calls accept n == 0 (with any
 * pointers) and write exactly n outputs otherwise; input and output must not overlap, except
 * ivrm_g711_transcode, which may work in place (out == in).
 */
typedef enum ivrm_g711_law {
  IVRM_G711_ULAW = 0, /* mu-law, RTP payload PCMU (0) */
  IVRM_G711_ALAW = 1  /* A-law, RTP payload PCMA (8) */
} ivrm_g711_law;

typedef struct ivrm_g711_config {
  uint32_t struct_size; /* sizeof(ivrm_g711_config); set by ivrm_g711_config_init */
  int32_t law;          /* ivrm_g711_law; default IVRM_G711_ULAW */
  int32_t simd;         /* ivrm_simd; default IVRM_SIMD_AUTO */
} ivrm_g711_config;

typedef struct ivrm_g711 ivrm_g711;

IVRM_API ivrm_status ivrm_g711_config_init(ivrm_g711_config* cfg);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_g711_size(const ivrm_g711_config* cfg, size_t* size);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_g711_create_in(void* mem, size_t mem_size,
                                                         const ivrm_g711_config* cfg,
                                                         ivrm_g711** out);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_g711_create(const ivrm_g711_config* cfg, ivrm_g711** out);
/* Releases a handle from ivrm_g711_create; for one from create_in it only ends the handle and
 * the caller frees the memory. NULL is accepted. */
IVRM_API void ivrm_g711_destroy(ivrm_g711* g711);

/* The law and SIMD level the handle was created with (the level AUTO resolved to). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_g711_get_law(const ivrm_g711* g711, ivrm_g711_law* law);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_g711_get_simd(const ivrm_g711* g711, ivrm_simd* simd);

IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_g711_encode(const ivrm_g711* g711, const int16_t* pcm,
                                                      size_t n, uint8_t* codes);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_g711_encode_float(const ivrm_g711* g711, const float* pcm,
                                                            size_t n, uint8_t* codes);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_g711_decode(const ivrm_g711* g711, const uint8_t* codes,
                                                      size_t n, int16_t* pcm);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_g711_decode_float(const ivrm_g711* g711,
                                                            const uint8_t* codes, size_t n,
                                                            float* pcm);
/* Converts n codes of the handle's law into the other law (G.711 Tables 3 and 4). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_g711_transcode(const ivrm_g711* g711, const uint8_t* in,
                                                         size_t n, uint8_t* out);

#ifdef IVRM_EXPERIMENTAL
/* -------------------------------------------------------------------------------------------
 * Experimental API: may change between minor versions. Nothing here yet.
 */
#endif /* IVRM_EXPERIMENTAL */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IVRMEDIA_IVRMEDIA_H */
