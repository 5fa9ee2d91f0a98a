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
 *   ivrm_X_config_init(&cfg) is a macro that passes sizeof cfg to ivrm_X_config_init_sized, so
 *   the library never writes past the host's struct: a newer library fills only the fields the
 *   host's header has, an older one zeroes the fields it does not know (every field added later
 *   has 0 as its default). Bindings that cannot expand C macros (ctypes, bindgen) call
 *   ivrm_X_config_init_sized(&cfg, sizeof cfg) themselves; a size under the first version of the
 *   struct is IVRM_ERR_CONFIG.
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
  IVRM_SIMD_AVX2 = 2    /* x86-64 AVX2 with FMA (Haswell, Zen and later) */
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

IVRM_API ivrm_status ivrm_g711_config_init_sized(ivrm_g711_config* cfg, size_t size);
#define ivrm_g711_config_init(cfg) ivrm_g711_config_init_sized((cfg), sizeof *(cfg))
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

/* ---------------------------------------------------------------------------------------------
 * DTMF detector (ITU-T Q.23 tones, ITU-T Q.24 receiver). One per channel, streaming, at any rate
 * from 8000 to 96000 Hz; int16 or float input in chunks of any size (events do not depend on the
 * chunking). Digits "0123456789*#ABCD".
 *
 * Method: eight Goertzel filters over half blocks of 6.4 ms; each half block closes a 12.75 ms
 * analysis block (rows 73 Hz apart stay resolved) judged on tone level, twist, frequency error
 * (the phase advance between its halves), purity (energy the two tones do not explain) and the
 * balance of its halves. Consecutive accepted blocks make a digit, consecutive rejected blocks
 * end it. With the defaults it meets these Q.24 conditions (each a named test):
 *   - frequency error up to +-1.5 % on either or both tones accepted, +-3.5 % rejected;
 *   - levels 0 to -30 dBm0 per tone accepted; below min_level_dbm0 (-36) rejected (a full-scale
 *     sine is +3.17 dBm0);
 *   - twist: 8 dB with the low group stronger and 4 dB with the high group stronger accepted
 *     (also at +-1.5 % frequency error), 16 dB rejected;
 *   - tones of 40 ms accepted, 23 ms or shorter rejected; a 40 ms pause separates two equal
 *     digits; a 10 ms dropout inside a tone does not split it;
 *   - at 12 dB signal-to-noise ratio (white noise, per-tone level) no digit of 32 is missed;
 *   - speech and music produce no digits (talk-off tests on synthesized speech and music).
 * Latency: key-down is reported at most ivrm_dtmf_detector_latency() samples after the tone
 * starts (44.6 ms with the defaults, typically 32-38 ms); key-up about 30 ms after it ends.
 * Events are stamped in samples on the detector's clock (samples processed + gaps).
 */
typedef struct ivrm_dtmf_detector_config {
  uint32_t struct_size;
  int32_t sample_rate_hz;        /* 8000..96000; default 8000 */
  float min_level_dbm0;          /* per tone; default -36 */
  float reverse_twist_db;        /* low group stronger, decision limit; default 10 (Q.24: 8) */
  float normal_twist_db;         /* high group stronger, decision limit; default 6 (Q.24: 4) */
  float max_frequency_error_pct; /* default 2.5 (Q.24: accept 1.5, reject 3.5) */
  float max_residual_db;         /* energy not explained by the tones, re tones; default -8 */
  float min_tone_ms;             /* shorter tones ignored; default 31 (Q.24: 40 vs 23) */
  float min_pause_ms;            /* a gap this long ends a digit; default 30 (Q.24: 10 vs 40) */
  uint32_t event_capacity;       /* events waiting to be read, 1..256; default 32 */
} ivrm_dtmf_detector_config;

typedef enum ivrm_dtmf_event_type {
  IVRM_DTMF_KEY_DOWN = 0,
  IVRM_DTMF_KEY_UP = 1
} ivrm_dtmf_event_type;

typedef struct ivrm_dtmf_event {
  int64_t start_sample; /* first sample of the tone */
  int64_t end_sample;   /* key up: one past the last tone sample; key down: -1 */
  float low_dbm0;       /* row tone level (key down: so far) */
  float high_dbm0;      /* column tone level */
  float twist_db;       /* high_dbm0 - low_dbm0 */
  int32_t type;         /* ivrm_dtmf_event_type */
  char digit;           /* '0'-'9', '*', '#', 'A'-'D' */
} ivrm_dtmf_event;

typedef struct ivrm_dtmf_detector_stats {
  uint32_t struct_size; /* set by the caller to sizeof(ivrm_dtmf_detector_stats) */
  uint64_t samples;     /* processed plus skipped by gaps */
  uint64_t digits;      /* completed digits (key up reported or dropped) */
  uint64_t lost_events; /* events dropped because the queue was full */
} ivrm_dtmf_detector_stats;

typedef struct ivrm_dtmf_detector ivrm_dtmf_detector;

IVRM_API ivrm_status ivrm_dtmf_detector_config_init_sized(ivrm_dtmf_detector_config* cfg,
                                                          size_t size);
#define ivrm_dtmf_detector_config_init(cfg) \
  ivrm_dtmf_detector_config_init_sized((cfg), sizeof *(cfg))
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_detector_size(const ivrm_dtmf_detector_config* cfg,
                                                             size_t* size);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_detector_create_in(
    void* mem, size_t mem_size, const ivrm_dtmf_detector_config* cfg, ivrm_dtmf_detector** out);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_detector_create(const ivrm_dtmf_detector_config* cfg,
                                                               ivrm_dtmf_detector** out);
IVRM_API void ivrm_dtmf_detector_destroy(ivrm_dtmf_detector* det);
/* Clears the stream: clock back to 0, no digit in progress, no events waiting. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_detector_reset(ivrm_dtmf_detector* det);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_detector_process(ivrm_dtmf_detector* det,
                                                                const int16_t* pcm, size_t n);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_detector_process_float(ivrm_dtmf_detector* det,
                                                                      const float* pcm, size_t n);
/* `samples` of audio were lost in transport (samples >= 0): the clock advances past them. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_detector_gap(ivrm_dtmf_detector* det,
                                                            int64_t samples);
/* Moves up to `capacity` waiting events into `events`, oldest first; *count tells how many. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_detector_read_events(ivrm_dtmf_detector* det,
                                                                    ivrm_dtmf_event* events,
                                                                    size_t capacity, size_t* count);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_detector_get_stats(const ivrm_dtmf_detector* det,
                                                                  ivrm_dtmf_detector_stats* stats);
/* Upper bound, in samples, from a tone's start to its key-down event. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_detector_latency(const ivrm_dtmf_detector* det,
                                                                int64_t* samples);

/* Runtime knobs: the thresholds above can be changed while the detector runs (no allocation,
 * the stream continues; the next decision uses the new value). Out-of-range values are
 * IVRM_ERR_RANGE and change nothing; unknown ids IVRM_ERR_INVALID. Ids are never renumbered. */
typedef enum ivrm_dtmf_param {
  IVRM_DTMF_MIN_LEVEL_DBM0 = 100,          /* -60 .. 0 */
  IVRM_DTMF_REVERSE_TWIST_DB = 101,        /* 0 .. 20 */
  IVRM_DTMF_NORMAL_TWIST_DB = 102,         /* 0 .. 20 */
  IVRM_DTMF_MAX_FREQUENCY_ERROR_PCT = 103, /* 0.1 .. 5 */
  IVRM_DTMF_MAX_RESIDUAL_DB = 104,         /* -40 .. 0 */
  IVRM_DTMF_MIN_TONE_MS = 105,             /* 15 .. 1000 */
  IVRM_DTMF_MIN_PAUSE_MS = 106             /* 10 .. 1000 */
} ivrm_dtmf_param;

IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_detector_set_param(ivrm_dtmf_detector* det,
                                                                  int32_t param, double value);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_detector_get_param(const ivrm_dtmf_detector* det,
                                                                  int32_t param, double* value);
/* Inclusive bounds and default of a parameter; any of the out-pointers may be NULL. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_param_bounds(int32_t param, double* min, double* max,
                                                            double* default_value);

/* ---------------------------------------------------------------------------------------------
 * DTMF generator: digit strings to audio for hosts that send in-band DTMF. Raised-cosine edges
 * (no clicks), frequencies exact to double precision. Rates 8000, 16000, 32000, 44100, 48000.
 */
typedef struct ivrm_dtmf_generator_config {
  uint32_t struct_size;
  int32_t sample_rate_hz; /* default 8000 */
  float low_dbm0;         /* row tone level; default -7 */
  float twist_db;         /* column minus row level; default +2 */
  float tone_ms;          /* default 80 */
  float pause_ms;         /* silence after each digit; default 80 */
  float ramp_ms;          /* raised-cosine edges inside tone_ms; default 2 */
  uint32_t max_queued;    /* digits waiting, 1..256; default 64 */
} ivrm_dtmf_generator_config;

typedef struct ivrm_dtmf_generator ivrm_dtmf_generator;

IVRM_API ivrm_status ivrm_dtmf_generator_config_init_sized(ivrm_dtmf_generator_config* cfg,
                                                           size_t size);
#define ivrm_dtmf_generator_config_init(cfg) \
  ivrm_dtmf_generator_config_init_sized((cfg), sizeof *(cfg))
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_generator_size(const ivrm_dtmf_generator_config* cfg,
                                                              size_t* size);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_generator_create_in(
    void* mem, size_t mem_size, const ivrm_dtmf_generator_config* cfg, ivrm_dtmf_generator** out);
IVRM_API IVRM_MUST_CHECK ivrm_status
ivrm_dtmf_generator_create(const ivrm_dtmf_generator_config* cfg, ivrm_dtmf_generator** out);
IVRM_API void ivrm_dtmf_generator_destroy(ivrm_dtmf_generator* gen);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_generator_reset(ivrm_dtmf_generator* gen);
/* Queues a NUL-terminated digit string: IVRM_ERR_INVALID (nothing queued) for a character that
 * is not a digit, IVRM_ERR_FULL (nothing queued) when the queue cannot take all of them. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_generator_queue(ivrm_dtmf_generator* gen,
                                                               const char* digits);
/* Writes n samples (queued digits, then silence); *active (may be NULL) = samples of digits. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_generator_generate(ivrm_dtmf_generator* gen,
                                                                  int16_t* out, size_t n,
                                                                  size_t* active);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_generator_generate_float(ivrm_dtmf_generator* gen,
                                                                        float* out, size_t n,
                                                                        size_t* active);

/* ---------------------------------------------------------------------------------------------
 * DTMF masker, for confidential entry (card numbers, PINs) in recordings and agent audio: passes
 * audio through delayed by a fixed look-ahead (ivrm_dtmf_masker_latency, at most 40 ms) and
 * replaces every DTMF tone, from its first sample to its last, with silence or low comfort
 * noise; everything else is bit-exact, only delayed. Memory depends on the rate (the delay
 * line), so there is no create_in. Output has as many samples as input (in and out may be the
 * same buffer).
 */
typedef struct ivrm_dtmf_masker_config {
  uint32_t struct_size;
  int32_t sample_rate_hz;   /* 8000..96000; default 8000 */
  float lookahead_ms;       /* 32..40; default 40 */
  float guard_ms;           /* masked beyond each estimated tone edge, 0..10; default 4 */
  int32_t comfort_noise;    /* 0: silence (default); 1: white noise at comfort_noise_dbm0 */
  float comfort_noise_dbm0; /* -100..-30; default -65 */
} ivrm_dtmf_masker_config;

typedef struct ivrm_dtmf_masker ivrm_dtmf_masker;

IVRM_API ivrm_status ivrm_dtmf_masker_config_init_sized(ivrm_dtmf_masker_config* cfg, size_t size);
#define ivrm_dtmf_masker_config_init(cfg) ivrm_dtmf_masker_config_init_sized((cfg), sizeof *(cfg))
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_masker_create(const ivrm_dtmf_masker_config* cfg,
                                                             ivrm_dtmf_masker** out);
IVRM_API void ivrm_dtmf_masker_destroy(ivrm_dtmf_masker* masker);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_masker_reset(ivrm_dtmf_masker* masker);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_masker_process(ivrm_dtmf_masker* masker,
                                                              const int16_t* in, int16_t* out,
                                                              size_t n);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_masker_process_float(ivrm_dtmf_masker* masker,
                                                                    const float* in, float* out,
                                                                    size_t n);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_masker_latency(const ivrm_dtmf_masker* masker,
                                                              int64_t* samples);
/* The digits the masker found, as ivrm_dtmf_detector_read_events. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_masker_read_events(ivrm_dtmf_masker* masker,
                                                                  ivrm_dtmf_event* events,
                                                                  size_t capacity, size_t* count);

/* ---------------------------------------------------------------------------------------------
 * DTMF batch detector: `channels` detectors with one configuration, fed in lockstep from planar
 * buffers (channel c's `frames` samples at planar + c * stride). Each channel reports exactly
 * the events a lone ivrm_dtmf_detector with the same configuration would.
 */
typedef struct ivrm_dtmf_batch ivrm_dtmf_batch;

IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_batch_create(const ivrm_dtmf_detector_config* cfg,
                                                            uint32_t channels,
                                                            ivrm_dtmf_batch** out);
IVRM_API void ivrm_dtmf_batch_destroy(ivrm_dtmf_batch* batch);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_batch_process(ivrm_dtmf_batch* batch,
                                                             const int16_t* planar, size_t frames,
                                                             size_t stride);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_batch_process_float(ivrm_dtmf_batch* batch,
                                                                   const float* planar,
                                                                   size_t frames, size_t stride);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_batch_read_events(ivrm_dtmf_batch* batch,
                                                                 uint32_t channel,
                                                                 ivrm_dtmf_event* events,
                                                                 size_t capacity, size_t* count);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_batch_gap(ivrm_dtmf_batch* batch, uint32_t channel,
                                                         int64_t samples);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_dtmf_batch_reset_channel(ivrm_dtmf_batch* batch,
                                                                   uint32_t channel);

/* ---------------------------------------------------------------------------------------------
 * Codecs: one encoder/decoder interface over every RTP payload format ivrmedia speaks, chosen
 * by the encoding name of SDP's a=rtpmap line ("<name>/<clock rate>[/<channels>]"; names are
 * matched case-insensitively) or by an RFC 3551 static payload type.
 *
 *   name  standard                 PCM rate, channels       RTP clock  static type  concealment
 *   PCMU  ITU-T G.711 mu-law       8000 Hz, mono            8000       0            G.711 App. I
 *   PCMA  ITU-T G.711 A-law        8000 Hz, mono            8000       8            G.711 App. I
 *   L16   RFC 3551 4.5.11 (big-    8000, 16000 or 48000 Hz  = rate     (10, 11: not G.711 App. I
 *         endian 16-bit linear)    (the rtpmap's), 1 or 2              carried)     style
 *   G722  ITU-T G.722 64 kbit/s    16000 Hz, mono           8000 (!)   9            G.722's own
 *   opus  RFC 7587 (libopus)       8/12/16/24/48 kHz, 1/2   48000      dynamic      libopus PLC,
 *                                                                                   in-band FEC
 *
 * RTP clocks. RTP timestamps count rtp_clock_hz units per second, which is not always the PCM
 * rate: G722 samples at 16000 Hz but its RTP clock runs at 8000 Hz (RFC 3551 section 4.5.2 kept
 * the clock of the format's first, erroneous, registration; its rtpmap is "G722/8000"), and opus
 * always counts 48000 per second (RFC 7587 section 4.1; its rtpmap is always "opus/48000/2")
 * whatever rate the PCM side runs at. A packet of n samples per channel therefore advances the
 * timestamp by n * rtp_clock_hz / sample_rate_hz (ivrm_codec_info gives both); never assume
 * clock == rate.
 *
 * Configs name the format as the rtpmap does: payload_name, clock_rate_hz (0: the format's
 * usual clock, 8000, or 48000 for opus; L16 needs it) and format_channels (the rtpmap's channel
 * count; 0: 1, and opus accepts the "2" SDP always carries). The PCM side (sample_rate_hz,
 * channels) may differ from the format only for opus (0: 48000 Hz, mono); the other formats take
 * 0 or their own rate and channel count: resample before encoding. An opus decoder decodes mono
 * and stereo packets alike to the channel count it was created with.
 *
 * PCM is interleaved. Counts named n_samples_total count every sample of every channel;
 * counts named samples_per_channel count one sample of all channels as one.
 *
 * Loss. A host that lost a packet calls ivrm_decoder_conceal for the missing duration: the
 * format's concealment (table above) continues the stream from what it last decoded. With opus, a
 * host holding the packet after the gap calls ivrm_decoder_decode_fec first: the redundancy (LBRR)
 * of that packet rebuilds the lost audio, much better than concealment, and the host then decodes
 * the packet itself as usual. ivrm_decoder_has_fec says whether the format has FEC; for the others,
 * and for opus packets without redundancy, decode_fec conceals (the output has the requested length
 * either way).
 *
 * Errors at creation: an unknown payload name is IVRM_ERR_UNSUPPORTED; a setting the format
 * cannot take (clock rate, e.g. L16 at 44100 Hz, channels, ptime, opus settings out of range) is
 * IVRM_ERR_CONFIG; an enum or 0/1 field with another value is IVRM_ERR_INVALID. Codec memory
 * depends on the format (libopus allocates its own state), so there is no create_in; all of it
 * is allocated at creation, and every other call is allocation-free, lock-free and bounded.
 * A processing call that fails sets its count out-parameter to 0; do not use its output.
 *
 *   ivrm_encoder_config ec;
 *   ivrm_encoder* enc;
 *   uint8_t payload[1500];
 *   size_t written;
 *   ivrm_encoder_config_init(&ec);
 *   ec.payload_name = "opus";                                 from "a=rtpmap:111 opus/48000/2"
 *   ec.sample_rate_hz = 16000;                                the host's PCM rate
 *   if (ivrm_encoder_create(&ec, &enc) != IVRM_OK) ...
 *   ivrm_encoder_encode(enc, pcm, 320, payload, sizeof payload, &written);  20 ms at 16 kHz
 *   ...
 *   ivrm_decoder_decode(dec, payload, written, out, capacity, &samples_per_channel);
 *   ivrm_decoder_conceal(dec, out, 320);                      a lost 20 ms packet
 *   ivrm_encoder_destroy(enc);
 */

/* opus application (libopus OPUS_APPLICATION_*). */
typedef enum ivrm_opus_application {
  IVRM_OPUS_APPLICATION_VOIP = 0, /* speech: intelligibility first (the default) */
  IVRM_OPUS_APPLICATION_AUDIO = 1 /* music and mixed content: fidelity first */
} ivrm_opus_application;

/* Highest audio bandwidth the opus encoder may use (libopus OPUS_SET_MAX_BANDWIDTH). */
typedef enum ivrm_opus_bandwidth {
  IVRM_OPUS_BANDWIDTH_NARROW = 0,    /* 4 kHz */
  IVRM_OPUS_BANDWIDTH_MEDIUM = 1,    /* 6 kHz */
  IVRM_OPUS_BANDWIDTH_WIDE = 2,      /* 8 kHz */
  IVRM_OPUS_BANDWIDTH_SUPERWIDE = 3, /* 12 kHz */
  IVRM_OPUS_BANDWIDTH_FULL = 4       /* 20 kHz (the default) */
} ivrm_opus_bandwidth;

/* The opus defaults suit an IVR voice leg on a mobile or WebRTC network: VoIP application,
 * 24 kbit/s VBR, complexity 5 (about half libopus' default cost: one core carries many calls),
 * in-band FEC for an expected 5 % loss, no DTX (an IVR listens and needs continuous timing). */
typedef struct ivrm_encoder_config {
  uint32_t struct_size;               /* sizeof(ivrm_encoder_config); set by config_init */
  const char* payload_name;           /* rtpmap encoding name; no default (NULL: IVRM_ERR_NULL);
                                         read only during ivrm_encoder_create */
  int32_t clock_rate_hz;              /* rtpmap clock rate; 0 (default): the format's */
  int32_t format_channels;            /* rtpmap channels; 0 (default): the format's */
  int32_t sample_rate_hz;             /* PCM rate; 0 (default): the format's (opus: 48000) */
  int32_t channels;                   /* PCM channels; 0 (default): the format's (opus: 1) */
  int32_t ptime_ms;                   /* packet duration, 10..60 (opus 10/20/40/60); default 20 */
  int32_t opus_bitrate_bps;           /* 6000..510000; default 24000 */
  int32_t opus_complexity;            /* 0..10; default 5 */
  int32_t opus_vbr;                   /* 1 (default): variable bitrate; 0: constant */
  int32_t opus_inband_fec;            /* 1 (default): LBRR redundancy for decode_fec; 0: none */
  int32_t opus_expected_loss_percent; /* 0..100, how much FEC to spend; default 5 */
  int32_t opus_dtx;                   /* 1: 1-2 byte payloads in silence; 0 (default): off */
  int32_t opus_application;           /* ivrm_opus_application; default VOIP */
  int32_t opus_max_bandwidth;         /* ivrm_opus_bandwidth; default FULL */
  int32_t reserved;                   /* must be 0 (IVRM_ERR_UNSUPPORTED otherwise): room for
                                         a field of a later version */
} ivrm_encoder_config;

typedef struct ivrm_decoder_config {
  uint32_t struct_size;     /* sizeof(ivrm_decoder_config); set by config_init */
  const char* payload_name; /* as in ivrm_encoder_config */
  int32_t clock_rate_hz;    /* as in ivrm_encoder_config */
  int32_t format_channels;  /* as in ivrm_encoder_config */
  int32_t sample_rate_hz;   /* PCM rate; 0 (default): the format's (opus: 48000) */
  int32_t channels;         /* PCM channels; 0 (default): the format's (opus: 1) */
  int32_t max_packet_ms;    /* longest payload accepted, 10..120; default 120 */
  int32_t reserved;         /* 0, as in ivrm_encoder_config */
} ivrm_decoder_config;

/* Facts about an encoder or decoder, fixed at creation. An output struct that can grow: the
 * caller sets struct_size (at least this first version's size, else IVRM_ERR_CONFIG); the
 * library writes the fields it knows that fit in struct_size and nothing else, so fields of a
 * newer header keep the caller's values (zero-initialize the struct). */
typedef struct ivrm_codec_info {
  uint32_t struct_size;     /* set by the caller to sizeof(ivrm_codec_info) */
  const char* name;         /* canonical name: "PCMU", "PCMA", "L16", "G722", "opus"; static */
  int32_t sample_rate_hz;   /* PCM side */
  int32_t channels;         /* PCM side */
  int32_t rtp_clock_hz;     /* RTP timestamp units per second (G722: 8000; opus: 48000) */
  int32_t frame_samples;    /* encoder: samples per channel in each packet; decoder: 0 */
  size_t max_payload_bytes; /* encoder: largest payload of one packet; decoder: 0 */
  size_t max_samples;       /* decoder: most samples per channel one call gives; encoder: 0 */
} ivrm_codec_info;

/* RFC 3551 static payload types we carry: 0 PCMU, 8 PCMA, 9 G722, each 8000 (clock), mono.
 * Dynamic types (96-127) are bound by SDP; other static types (e.g. 10 and 11, L16 at 44100 Hz;
 * 18, G.729) give IVRM_ERR_UNSUPPORTED. Any out-pointer may be NULL; *name is static. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_codec_static_payload(int payload_type, const char** name,
                                                               int32_t* clock_rate_hz,
                                                               int32_t* channels);

/* Encoder: PCM -> one RTP payload per call. */
typedef struct ivrm_encoder ivrm_encoder;

IVRM_API ivrm_status ivrm_encoder_config_init_sized(ivrm_encoder_config* cfg, size_t size);
#define ivrm_encoder_config_init(cfg) ivrm_encoder_config_init_sized((cfg), sizeof *(cfg))
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_encoder_create(const ivrm_encoder_config* cfg,
                                                         ivrm_encoder** out);
IVRM_API void ivrm_encoder_destroy(ivrm_encoder* enc);
/* Stream state back to creation; settings are kept. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_encoder_reset(ivrm_encoder* enc);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_encoder_info(const ivrm_encoder* enc,
                                                       ivrm_codec_info* info);
/* Encodes exactly one packet: n_samples_total must be frame_samples * channels
 * (IVRM_ERR_INVALID otherwise) and capacity at least max_payload_bytes
 * (IVRM_ERR_BUFFER_TOO_SMALL otherwise). *written gets the payload size; opus with DTX may write
 * 1-2 bytes in silence, which a host need not send. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_encoder_encode(ivrm_encoder* enc, const int16_t* pcm,
                                                         size_t n_samples_total, uint8_t* payload,
                                                         size_t capacity, size_t* written);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_encoder_encode_float(ivrm_encoder* enc, const float* pcm,
                                                               size_t n_samples_total,
                                                               uint8_t* payload, size_t capacity,
                                                               size_t* written);

/* Decoder: one RTP payload -> PCM, with concealment for payloads that never came. */
typedef struct ivrm_decoder ivrm_decoder;

IVRM_API ivrm_status ivrm_decoder_config_init_sized(ivrm_decoder_config* cfg, size_t size);
#define ivrm_decoder_config_init(cfg) ivrm_decoder_config_init_sized((cfg), sizeof *(cfg))
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_decoder_create(const ivrm_decoder_config* cfg,
                                                         ivrm_decoder** out);
IVRM_API void ivrm_decoder_destroy(ivrm_decoder* dec);
/* Stream state back to creation (as after a long gap or an SSRC change). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_decoder_reset(ivrm_decoder* dec);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_decoder_info(const ivrm_decoder* dec,
                                                       ivrm_codec_info* info);
/* Samples per channel `payload` decodes to, without decoding it (a jitter buffer's packet
 * duration). IVRM_ERR_MALFORMED for a payload the format cannot hold (empty, odd L16 size,
 * inconsistent opus framing), IVRM_ERR_RANGE beyond max_samples (max_packet_ms). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_decoder_samples(const ivrm_decoder* dec,
                                                          const uint8_t* payload, size_t size,
                                                          size_t* samples_per_channel);
/* Decodes one payload into pcm, which holds capacity_samples_total samples: it must hold
 * ivrm_decoder_samples(payload) * channels (IVRM_ERR_BUFFER_TOO_SMALL otherwise; max_samples *
 * channels always suffices). *samples_per_channel gets the count. A malformed payload gives
 * IVRM_ERR_MALFORMED and no output; conceal in its place. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_decoder_decode(ivrm_decoder* dec, const uint8_t* payload,
                                                         size_t size, int16_t* pcm,
                                                         size_t capacity_samples_total,
                                                         size_t* samples_per_channel);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_decoder_decode_float(ivrm_decoder* dec,
                                                               const uint8_t* payload, size_t size,
                                                               float* pcm,
                                                               size_t capacity_samples_total,
                                                               size_t* samples_per_channel);
/* Fills pcm with n_samples_total samples of concealment for lost audio, continuing the stream.
 * n_samples_total must be a multiple of channels (IVRM_ERR_INVALID otherwise) and at most
 * max_samples per channel (IVRM_ERR_RANGE); opus needs whole 2.5 ms steps, G722 an even count
 * per channel (IVRM_ERR_INVALID). 0 is accepted and does nothing. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_decoder_conceal(ivrm_decoder* dec, int16_t* pcm,
                                                          size_t n_samples_total);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_decoder_conceal_float(ivrm_decoder* dec, float* pcm,
                                                                size_t n_samples_total);
/* Rebuilds n_samples_total samples lost just before next_payload from the redundancy it carries
 * (opus in-band FEC), with conceal's size rules; without FEC (other formats, opus packets
 * without it, or next_payload NULL with size 0) it conceals. Then decode next_payload as usual. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_decoder_decode_fec(ivrm_decoder* dec,
                                                             const uint8_t* next_payload,
                                                             size_t size, int16_t* pcm,
                                                             size_t n_samples_total);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_decoder_decode_fec_float(ivrm_decoder* dec,
                                                                   const uint8_t* next_payload,
                                                                   size_t size, float* pcm,
                                                                   size_t n_samples_total);
/* *has_fec = 1 when the format carries in-band FEC (opus), else 0. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_decoder_has_fec(const ivrm_decoder* dec, int* has_fec);

/* ---------------------------------------------------------------------------------------------
 * Resampler: streaming sample-rate conversion between 8000, 16000, 32000, 44100 and 48000 Hz in
 * any pairing (the identity included), 1 to 8 interleaved channels, int16 or float samples.
 *
 * How: exact rational polyphase filtering (44100 -> 48000 is 147/160, so no coefficient is ever
 * interpolated) with Kaiser-windowed sinc filters. Ratios above 2 take two stages, a sharp 2:1
 * stage at the lower rate and a short, relaxed one for the rest (8000 -> 16000 -> 48000). The
 * first resampler of a (rates, quality) pair designs the filters, at most a few milliseconds
 * under a process-wide lock; later ones share them read-only. Hence no create_in.
 *
 * Quality presets. f_low is the lower of the two rates; every figure holds for every pair and
 * is measured from FFT spectra of swept sines and of noise by the library's tests:
 *
 *   quality   flat within 0.1 dB up to   aliases and images down by   group delay (f_low samples)
 *   FAST      0.80 x f_low / 2           at least 80 dB               about 24
 *   STANDARD  0.90 x f_low / 2           at least 100 dB              about 56  (the default)
 *   HIGH      0.95 x f_low / 2           at least 120 dB              about 132 (prompts, files)
 *
 * The attenuation is strict. Going down in rate, any input component at or above the output's
 * Nyquist frequency comes out at least that far below its input level; going up, any image (at
 * or above the input's Nyquist frequency) is at least that far below the component it mirrors.
 * STANDARD at 8 kHz delays the signal by 7.0 ms (speexdsp's quality 8 by 10 ms).
 *
 * Latency. The filters are linear phase: ivrm_resampler_latency gives their group delay for the
 * handle's pair, in seconds and in (fractional) output frames. Output frame j carries the input
 * at time j / output_rate_hz - latency: a stream opens with about that many frames of the
 * filter's ramp (silence fading in), and the last latency's worth of input stays in the filter
 * until more input, or silence, pushes it out.
 *
 * Accounting is exact. Once a stream has consumed n input frames in total, exactly
 * floor(n * output_rate_hz / input_rate_hz) output frames have come out, however the input was
 * cut into calls, and the samples themselves do not depend on the cut (bit-identical). An RTP
 * leg through a resampler therefore never drifts, over days as over seconds. A process call is
 * all or nothing: ivrm_resampler_max_output_frames says exactly how many frames the next call
 * writes for in_frames (never more than floor(in_frames * output_rate_hz / input_rate_hz) + 1);
 * given that much room the call consumes all of its input, otherwise it returns
 * IVRM_ERR_BUFFER_TOO_SMALL and consumes and writes nothing.
 *
 * SIMD. A scalar kernel and an AVX2+FMA kernel (config field simd). The AVX2 kernel fuses its
 * multiply-adds, so it differs from the scalar one by rounding only: at most 2e-6 of full
 * scale for float input within +-1.0, at most one step for int16. int16 input is read as
 * x / 32768 and int16 output is rounded to nearest (ties to even) and saturated.
 *
 *   ivrm_resampler_config rc;
 *   ivrm_resampler* rs;
 *   int16_t out[321];                                 at most floor(160 * 16000 / 8000) + 1
 *   size_t used, written;
 *   ivrm_resampler_config_init(&rc);                  8000 -> 16000 Hz, mono, STANDARD
 *   if (ivrm_resampler_create(&rc, &rs) != IVRM_OK) ...
 *   ivrm_resampler_process(rs, pcm8k, 160, out, 321, &used, &written);   20 ms: 320 frames out
 *   ivrm_resampler_destroy(rs);
 */
typedef enum ivrm_resample_quality {
  IVRM_RESAMPLE_FAST = 0,     /* 0.1 dB to 0.80 x f_low / 2, >= 80 dB */
  IVRM_RESAMPLE_STANDARD = 1, /* 0.1 dB to 0.90 x f_low / 2, >= 100 dB (the default) */
  IVRM_RESAMPLE_HIGH = 2      /* 0.1 dB to 0.95 x f_low / 2, >= 120 dB, ~2.4x the delay */
} ivrm_resample_quality;

/* All fields are 32 bits, so the struct has no tail padding and needs no reserved field:
 * a field appended later always lies beyond this version's struct_size. */
typedef struct ivrm_resampler_config {
  uint32_t struct_size;   /* sizeof(ivrm_resampler_config); set by config_init */
  int32_t input_rate_hz;  /* 8000, 16000, 32000, 44100 or 48000; default 8000 */
  int32_t output_rate_hz; /* as input_rate_hz; default 16000 */
  int32_t channels;       /* interleaved, 1..8; default 1 */
  int32_t quality;        /* ivrm_resample_quality; default IVRM_RESAMPLE_STANDARD */
  int32_t simd;           /* ivrm_simd; default IVRM_SIMD_AUTO */
} ivrm_resampler_config;

typedef struct ivrm_resampler ivrm_resampler;

/* 1 when ivrm_resampler takes `hz` as an input or output rate, else 0. */
IVRM_API int ivrm_resampler_rate_supported(int hz);

/* Creation: a rate or channel count outside the lists above is IVRM_ERR_CONFIG, an unknown
 * quality or simd value IVRM_ERR_INVALID, a SIMD level this CPU lacks IVRM_ERR_UNSUPPORTED. */
IVRM_API ivrm_status ivrm_resampler_config_init_sized(ivrm_resampler_config* cfg, size_t size);
#define ivrm_resampler_config_init(cfg) ivrm_resampler_config_init_sized((cfg), sizeof *(cfg))
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_resampler_create(const ivrm_resampler_config* cfg,
                                                           ivrm_resampler** out);
IVRM_API void ivrm_resampler_destroy(ivrm_resampler* rs);
/* Back to a new stream: silence before it, counters at zero; filters and settings stay. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_resampler_reset(ivrm_resampler* rs);
/* Converts in_frames interleaved frames (in_frames * channels samples) into out, which holds
 * out_capacity_frames frames. All or nothing (see above): on success *in_used = in_frames and
 * *out_written = ivrm_resampler_max_output_frames(in_frames); on any error both are 0. in and
 * out must not overlap; in_frames 0 is accepted (with any pointers) and writes nothing; more
 * than 2^32 frames in one call (a day at 48 kHz) is IVRM_ERR_RANGE. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_resampler_process(ivrm_resampler* rs, const int16_t* in,
                                                            size_t in_frames, int16_t* out,
                                                            size_t out_capacity_frames,
                                                            size_t* in_used, size_t* out_written);
IVRM_API IVRM_MUST_CHECK ivrm_status
ivrm_resampler_process_float(ivrm_resampler* rs, const float* in, size_t in_frames, float* out,
                             size_t out_capacity_frames, size_t* in_used, size_t* out_written);
/* Exactly the frames the next process call writes for in_frames input frames:
 * floor((consumed + in_frames) * out / in) - floor(consumed * out / in). in_frames is bounded
 * as in process (IVRM_ERR_RANGE). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_resampler_max_output_frames(const ivrm_resampler* rs,
                                                                      size_t in_frames,
                                                                      size_t* out_frames);
/* Group delay of the conversion in seconds and in output frames; either pointer may be NULL. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_resampler_latency(const ivrm_resampler* rs,
                                                            double* seconds, double* output_frames);

/* ---------------------------------------------------------------------------------------------
 * Transcoder: RTP payloads of one format in, payloads of another out, for a leg that bridges
 * two codecs (a WebRTC caller on opus, a G.711 trunk, a G722 phone):
 *
 *   push(payload of A) -> decode -> channel map -> resample -> re-frame -> encode -> pull(B)
 *
 * Payloads of A may have any duration; B's payloads come out with B's ptime, one per
 * ivrm_transcoder_pull. Lost input is concealed by A's concealment (ivrm_transcoder_push_loss,
 * given the RTP timestamp gap) or rebuilt from the in-band FEC of the packet after the gap
 * (ivrm_transcoder_push_fec, opus; the host then pushes that packet as usual).
 *
 * Decisions made once at creation. When A is opus and B's PCM rate is one libopus decodes to
 * (8, 12, 16, 24 or 48 kHz), A decodes straight at that rate, and when B is opus it encodes at
 * A's rate if it can; likewise for channels (each only where the opus side's sample_rate_hz or
 * channels is left at 0). Only what remains is resampled, as ivrm_resampler does, at the
 * config's quality. Mono and stereo meet by averaging (down) or duplicating (up).
 *
 * Accounting is exact (ivrm_transcoder_stats, counts per channel): after every call
 *   output_samples + samples waiting == resampled_samples
 *   resampled_samples == floor(decoded_samples * output rate / decode rate)
 * (the resampler's accounting rule; its group delay, ivrm_transcoder_latency, is part of the
 * resampled samples: the first output samples are the filter settling). The output leg's RTP
 * timestamps thus stay locked to the input leg's, over hours as over seconds.
 *
 * Back-pressure. The transcoder holds one longest input payload (max_packet_ms of the input
 * config) on top of almost two output frames. Pull every ready payload after each push: a push
 * that would not fit is refused with IVRM_ERR_FULL and consumes nothing.
 *
 * Errors at creation are those of ivrm_decoder_create and ivrm_encoder_create for the embedded
 * configs, those of the struct sizes below, and IVRM_ERR_INVALID for an unknown quality.
 * Memory is allocated at creation only; every other call is allocation-free, lock-free and
 * bounded. A call that fails sets its count out-parameter to 0.
 *
 *   ivrm_transcoder_config tc;
 *   ivrm_transcoder* t;
 *   uint8_t out[160];
 *   size_t written;
 *   ivrm_transcoder_config_init(&tc);                 also inits tc.input and tc.output
 *   tc.input.payload_name = "G722";
 *   tc.output.payload_name = "PCMU";
 *   if (ivrm_transcoder_create(&tc, &t) != IVRM_OK) ...
 *   ivrm_transcoder_push(t, payload, size);           or push_loss(t, timestamp gap)
 *   while (ivrm_transcoder_pull(t, out, sizeof out, &written) == IVRM_OK && written > 0)
 *     send(out, written);                             timestamp += 160 per 20 ms packet
 *   ivrm_transcoder_destroy(t);
 */

/* Growth with embedded configs. input and output are complete codec configs with their own
 * struct_size, and each is read exactly as ivrm_decoder_create / ivrm_encoder_create read a
 * standalone one: at least its first version's size, only the fields inside its struct_size, a
 * larger one accepted when the fields this library does not know are zero. The library finds
 * output right after input.struct_size bytes, and quality right after output.struct_size bytes:
 * the sizes describe the layout the host was compiled with, so a later version may append
 * fields to the codec configs as well as to this struct. The outer struct_size covers the whole
 * struct, embedded configs included; an embedded struct_size below its first version, not a
 * multiple of the struct's alignment or reaching past the outer struct is IVRM_ERR_CONFIG. Fill
 * the struct with ivrm_transcoder_config_init, or copy whole codec configs (from their own
 * config_init) into input and output. */
typedef struct ivrm_transcoder_config {
  uint32_t struct_size;       /* sizeof(ivrm_transcoder_config); set by config_init */
  ivrm_decoder_config input;  /* format A (payload_name required); sample_rate_hz and channels
                                 0: chosen as described above */
  ivrm_encoder_config output; /* format B (payload_name required) with its ptime_ms */
  int32_t quality;            /* ivrm_resample_quality; default IVRM_RESAMPLE_STANDARD */
  int32_t reserved;           /* must be 0 (IVRM_ERR_UNSUPPORTED otherwise): keeps the struct
                                 free of tail padding, room for a later field */
} ivrm_transcoder_config;

/* Counts since creation or reset, per channel. An output struct that can grow, as
 * ivrm_codec_info: the caller sets struct_size; the library writes only what fits in it. */
typedef struct ivrm_transcoder_stats {
  uint32_t struct_size;      /* set by the caller to sizeof(ivrm_transcoder_stats) */
  int64_t decoded_samples;   /* at the decode rate, concealed ones included */
  int64_t concealed_samples; /* of decoded_samples, made by push_loss and push_fec */
  int64_t resampled_samples; /* at the output PCM rate */
  int64_t output_samples;    /* encoded into pulled payloads, at the output PCM rate */
  int64_t packets_in;        /* payloads pushed and decoded */
  int64_t packets_out;       /* payloads pulled */
  int64_t malformed;         /* payloads the decoder refused (IVRM_ERR_MALFORMED) */
} ivrm_transcoder_stats;

typedef struct ivrm_transcoder ivrm_transcoder;

/* Fills every default, the embedded codec configs through ivrm_decoder_config_init and
 * ivrm_encoder_config_init (payload names NULL: the host names both formats). */
IVRM_API ivrm_status ivrm_transcoder_config_init_sized(ivrm_transcoder_config* cfg, size_t size,
                                                       size_t input_size, size_t output_size);
#define ivrm_transcoder_config_init(cfg)                                        \
  ivrm_transcoder_config_init_sized((cfg), sizeof *(cfg), sizeof((cfg)->input), \
                                    sizeof((cfg)->output))
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_transcoder_create(const ivrm_transcoder_config* cfg,
                                                            ivrm_transcoder** out);
IVRM_API void ivrm_transcoder_destroy(ivrm_transcoder* t);
/* Back to the state after creation: decoder, resampler, encoder, buffered audio, stats. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_transcoder_reset(ivrm_transcoder* t);
/* Decodes one payload of format A. IVRM_ERR_FULL (nothing consumed) when the payloads waiting
 * leave no room: pull them first. IVRM_ERR_MALFORMED (counted in stats.malformed) for a payload
 * the decoder refuses; push_loss its duration instead. IVRM_ERR_RANGE beyond max_packet_ms. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_transcoder_push(ivrm_transcoder* t,
                                                          const uint8_t* payload, size_t size);
/* Conceals lost input spanning rtp_units of A's RTP clock (the timestamp gap the host saw).
 * 0 does nothing. IVRM_ERR_INVALID for a negative gap or one that is not whole samples at the
 * decode rate (opus: whole 2.5 ms steps); IVRM_ERR_RANGE beyond max_packet_ms (split longer
 * gaps, pulling between the pieces); IVRM_ERR_FULL as push. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_transcoder_push_loss(ivrm_transcoder* t,
                                                               int64_t rtp_units);
/* As push_loss, rebuilding the lost audio from next_payload's in-band FEC where A has it (opus;
 * otherwise, and for opus packets without FEC, it conceals). Then push next_payload itself.
 * An empty next_payload is IVRM_ERR_INVALID: use push_loss. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_transcoder_push_fec(ivrm_transcoder* t,
                                                              const uint8_t* next_payload,
                                                              size_t size, int64_t rtp_units);
/* Encodes the next payload of format B when a whole frame is waiting: *written = its size, or 0
 * (and IVRM_OK) when none is ready. capacity must be at least output_info's max_payload_bytes
 * (IVRM_ERR_BUFFER_TOO_SMALL otherwise, nothing taken). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_transcoder_pull(ivrm_transcoder* t, uint8_t* payload,
                                                          size_t capacity, size_t* written);
/* Whole output payloads waiting to be pulled. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_transcoder_frames_ready(const ivrm_transcoder* t,
                                                                  size_t* frames);
/* The decoder of A and the encoder of B as created (rates and channels after the decisions
 * above); ivrm_codec_info's growable-struct rules. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_transcoder_input_info(const ivrm_transcoder* t,
                                                                ivrm_codec_info* info);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_transcoder_output_info(const ivrm_transcoder* t,
                                                                 ivrm_codec_info* info);
/* The resampler's group delay in output samples (fractional; 0 when the rates match). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_transcoder_latency(const ivrm_transcoder* t,
                                                             double* samples);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_transcoder_get_stats(const ivrm_transcoder* t,
                                                               ivrm_transcoder_stats* stats);

/* ---------------------------------------------------------------------------------------------
 * RTP packets (RFC 3550) with header extensions (RFC 8285): parsing, zero-copy.
 *
 * ivrm_rtp_parse checks a received datagram and describes it in an ivrm_rtp_packet whose
 * pointers point into the caller's datagram (valid while it is). It never reads outside the
 * datagram, whatever its bytes. What it checks, in order, and the reason it gives:
 *   - at least the 12-byte fixed header                             TOO_SHORT        (TRUNCATED)
 *   - version 2                                                     BAD_VERSION      (MALFORMED)
 *   - the CSRC list (CC x 4 bytes) fits                             CSRC_OVERRUN     (TRUNCATED)
 *   - with X set, the extension header and its length x 4 bytes fit EXTENSION_OVERRUN (TRUNCATED)
 *   - with P set, the padding count (last octet, itself included) is 1 or more and no more than
 *     what follows the headers                                      BAD_PADDING      (MALFORMED)
 * An empty payload is accepted (RFC 3550 allows it; keepalives). A rejected datagram is normal
 * on a network: count the reason and go on; the packet struct is left untouched.
 * RFC 8285 elements are not checked by ivrm_rtp_parse: one running past its block spoils the
 * extension, not the audio, so the packet is accepted and ivrm_rtp_find_extension reports
 * IVRM_ERR_MALFORMED when it meets the broken element before the one asked for
 * (IVRM_RTP_BAD_EXTENSION_ELEMENT keeps its value and is no longer returned by the parser).
 *
 * ivrm_rtp_find_extension reads an RFC 8285 element by its local ID (the SDP a=extmap number):
 * one-byte form IDs 1-14 with 1-16 data bytes, two-byte form IDs 1-255 with 0-255 bytes; padding
 * bytes are skipped, ID 15 ends a one-byte block. Other profiles have no elements here: their
 * bytes are extension_data, raw.
 *
 * Real-time safe: no allocation, no state; any thread.
 *
 *   ivrm_rtp_packet p;
 *   ivrm_rtp_parse_error why;
 *   const uint8_t* level;
 *   size_t level_size;
 *   int found;
 *   p.struct_size = sizeof p;                          once; the struct can be reused
 *   if (ivrm_rtp_parse(buf, n, &p, &why) != IVRM_OK) { count(why); continue; }
 *   ivrm_rtp_find_extension(&p, 1, &found, &level, &level_size);   RFC 6464 audio level
 */
typedef enum ivrm_rtp_parse_error {
  IVRM_RTP_PARSE_OK = 0,
  IVRM_RTP_TOO_SHORT = 1,
  IVRM_RTP_BAD_VERSION = 2,
  IVRM_RTP_CSRC_OVERRUN = 3,
  IVRM_RTP_EXTENSION_OVERRUN = 4,
  IVRM_RTP_BAD_PADDING = 5,
  IVRM_RTP_BAD_EXTENSION_ELEMENT = 6
} ivrm_rtp_parse_error;

/* A parsed packet. An output struct that can grow, as ivrm_codec_info: the caller sets
 * struct_size (at least this first version's size, else IVRM_ERR_CONFIG); the library writes
 * only what fits in it. Every pointer points into the parsed datagram; a pointer whose size is 0
 * may be NULL. No field lies in padding, so a field appended later always lies beyond this
 * version's size. */
typedef struct ivrm_rtp_packet {
  uint32_t struct_size;          /* set by the caller to sizeof(ivrm_rtp_packet) */
  uint32_t ssrc;                 /* synchronization source */
  uint32_t timestamp;            /* RTP timestamp (wraps at 32 bits) */
  uint16_t sequence;             /* sequence number (wraps at 16 bits) */
  uint8_t payload_type;          /* 0-127 */
  uint8_t marker;                /* 0 or 1 */
  uint8_t csrc_count;            /* 0-15 */
  uint8_t has_extension;         /* 0 or 1: the X bit */
  uint16_t extension_profile;    /* "defined by profile" field (0 without X) */
  uint32_t padding_bytes;        /* P set: the padding count (>= 1), else 0 */
  const uint8_t* csrcs;          /* csrc_count x 4 bytes, network byte order */
  const uint8_t* extension_data; /* the block after the 4-byte extension header */
  size_t extension_size;         /* its length field x 4 bytes (0 without X) */
  const uint8_t* payload;        /* between the headers and the padding */
  size_t payload_size;           /* may be 0 */
  size_t payload_offset;         /* payload - datagram: where the payload starts */
} ivrm_rtp_packet;

/* Checks `datagram` (size bytes) and describes it in *packet. *why (may be NULL) gets the reason
 * (IVRM_RTP_PARSE_OK on success, and when the arguments themselves are refused). Returns IVRM_OK,
 * IVRM_ERR_TRUNCATED or IVRM_ERR_MALFORMED as listed above (the packet struct untouched),
 * IVRM_ERR_NULL, or IVRM_ERR_CONFIG for a struct_size below the first version's (nothing
 * written). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_parse(const uint8_t* datagram, size_t size,
                                                    ivrm_rtp_packet* packet,
                                                    ivrm_rtp_parse_error* why);
/* Short English description of a parse error; any value is accepted, never returns NULL. */
IVRM_API const char* ivrm_rtp_parse_error_name(int why);
/* The data of the first RFC 8285 element with local ID `id` (1-255, else IVRM_ERR_RANGE) in a
 * packet from ivrm_rtp_parse: *found = 1 and its data and size, or *found = 0 (data NULL, size 0)
 * when the packet has no such element. data and size may be NULL. IVRM_ERR_MALFORMED (*found =
 * 0) when an element running past the block comes before any element `id`: the extension is
 * broken from there on (the packet's payload is still good). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_find_extension(const ivrm_rtp_packet* packet,
                                                             int32_t id, int* found,
                                                             const uint8_t** data, size_t* size);

/* ---------------------------------------------------------------------------------------------
 * RTP builder: writes the packets of one outbound stream (one SSRC), RFC 3550.
 *
 * Each build stamps the current sequence number and timestamp, then advances the sequence by
 * one (wrapping at 16 bits) and the timestamp by the packet's duration in RTP units (wrapping at
 * 32 bits; G722 counts 8000 per second for 16 kHz audio, opus always 48000: see the codecs'
 * ivrm_codec_info.rtp_clock_hz). ivrm_rtp_builder_skip advances the timestamp over silence that
 * is not sent (DTX); put the marker on the first packet of each talkspurt (RFC 3551 section
 * 4.1). build_at writes a packet of another payload type on the same stream at an explicit
 * timestamp (RFC 4733 events keep their onset timestamp; comfort noise), moving the sequence
 * number only.
 *
 * The first sequence number, timestamp and SSRC should be random (RFC 3550 sections 5.1 and 8):
 * ivrm_rtp_builder_config_init_random draws them from a seed the host takes from its entropy
 * source (the library reads no entropy or clock); the first sequence number stays below 0x8000
 * so an SRTP receiver's rollover guess (RFC 3711 section 3.3.1) holds.
 *
 * Extension elements go in the RFC 8285 one-byte form when every ID is 1-14 and every data
 * 1-16 bytes, else in the two-byte form (IDs 1-255, 0-255 bytes); at most
 * IVRM_RTP_MAX_EXTENSIONS per packet. The block is zero-padded to 32 bits.
 *
 * The handle holds a few counters and up to 15 CSRCs: its memory is fixed, so it can be placed
 * with create_in. Processing calls never allocate.
 *
 *   ivrm_rtp_builder_config bc;
 *   ivrm_rtp_builder* b;
 *   uint8_t packet[12 + 160];
 *   size_t written;
 *   ivrm_rtp_builder_config_init_random(&bc, seed);   PCMU, 8000 Hz, random SSRC/seq/ts
 *   if (ivrm_rtp_builder_create(&bc, &b) != IVRM_OK) ...
 *   ivrm_rtp_builder_build(b, ulaw, 160, 160, first, NULL, 0, packet, sizeof packet, &written);
 *   ivrm_rtp_builder_destroy(b);
 */
#define IVRM_RTP_MAX_EXTENSIONS 32

typedef struct ivrm_rtp_builder_config {
  uint32_t struct_size;     /* sizeof(ivrm_rtp_builder_config); set by config_init */
  int32_t payload_type;     /* 0-127; default 0 (PCMU) */
  int32_t clock_rate_hz;    /* the RTP clock (ivrm_codec_info.rtp_clock_hz), > 0; default 8000 */
  uint32_t ssrc;            /* default 0: use config_init_random */
  uint32_t first_sequence;  /* 0-65535; default 0 */
  uint32_t first_timestamp; /* default 0 */
} ivrm_rtp_builder_config;

/* One RFC 8285 element to write. */
typedef struct ivrm_rtp_extension {
  const uint8_t* data; /* size bytes (may be NULL when size is 0) */
  uint32_t size;       /* 0-255 */
  int32_t id;          /* local ID, 1-255 */
} ivrm_rtp_extension;

/* Counters for an RTCP sender report (RFC 3550 section 6.4.1). Growable output struct, as
 * ivrm_codec_info. */
typedef struct ivrm_rtp_builder_stats {
  uint32_t struct_size;   /* set by the caller to sizeof(ivrm_rtp_builder_stats) */
  uint32_t reserved;      /* written as 0 */
  int64_t packets;        /* packets built (build and build_at) */
  int64_t payload_octets; /* their payload bytes */
} ivrm_rtp_builder_stats;

typedef struct ivrm_rtp_builder ivrm_rtp_builder;

/* Creation: a payload type outside 0-127, a clock rate <= 0 or a first_sequence over 65535 is
 * IVRM_ERR_CONFIG. */
IVRM_API ivrm_status ivrm_rtp_builder_config_init_sized(ivrm_rtp_builder_config* cfg, size_t size);
#define ivrm_rtp_builder_config_init(cfg) ivrm_rtp_builder_config_init_sized((cfg), sizeof *(cfg))
/* config_init, then SSRC, first sequence number and first timestamp drawn from `seed` (the same
 * seed gives the same values). */
IVRM_API ivrm_status ivrm_rtp_builder_config_init_random_sized(ivrm_rtp_builder_config* cfg,
                                                               size_t size, uint64_t seed);
#define ivrm_rtp_builder_config_init_random(cfg, seed) \
  ivrm_rtp_builder_config_init_random_sized((cfg), sizeof *(cfg), (seed))
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_builder_size(const ivrm_rtp_builder_config* cfg,
                                                           size_t* size);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_builder_create_in(void* mem, size_t mem_size,
                                                                const ivrm_rtp_builder_config* cfg,
                                                                ivrm_rtp_builder** out);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_builder_create(const ivrm_rtp_builder_config* cfg,
                                                             ivrm_rtp_builder** out);
IVRM_API void ivrm_rtp_builder_destroy(ivrm_rtp_builder* b);
/* Back to the config's first sequence number and timestamp, no CSRCs, zeroed stats. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_builder_reset(ivrm_rtp_builder* b);
/* Writes one packet into out (capacity bytes): header, CSRCs, the n_extensions elements (may be
 * 0, extensions then may be NULL), payload. marker is 0 or 1 (IVRM_ERR_INVALID otherwise).
 * *written = the packet's size. IVRM_ERR_BUFFER_TOO_SMALL (nothing written, no state change)
 * when it does not fit: ivrm_rtp_builder_packet_size says how much it needs. IVRM_ERR_INVALID
 * for elements that fit neither form, IVRM_ERR_RANGE for more than IVRM_RTP_MAX_EXTENSIONS. */
IVRM_API IVRM_MUST_CHECK ivrm_status
ivrm_rtp_builder_build(ivrm_rtp_builder* b, const uint8_t* payload, size_t payload_size,
                       uint32_t rtp_units, int marker, const ivrm_rtp_extension* extensions,
                       size_t n_extensions, uint8_t* out, size_t capacity, size_t* written);
/* A packet of payload_type (0-127, else IVRM_ERR_INVALID) at an explicit timestamp, without
 * extensions: the sequence number moves on by one, the stream's timestamp does not. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_builder_build_at(
    ivrm_rtp_builder* b, int32_t payload_type, const uint8_t* payload, size_t payload_size,
    uint32_t timestamp, int marker, uint8_t* out, size_t capacity, size_t* written);
/* Bytes build would write; IVRM_ERR_INVALID (and 0) when the elements fit neither form. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_builder_packet_size(
    const ivrm_rtp_builder* b, size_t payload_size, const ivrm_rtp_extension* extensions,
    size_t n_extensions, size_t* size);
/* Advances the timestamp over rtp_units of audio that is not sent; the next packet should carry
 * the marker. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_builder_skip(ivrm_rtp_builder* b, uint32_t rtp_units);
/* Contributing sources of the following packets (a mixer's talkers); more than 15 is
 * IVRM_ERR_RANGE and changes nothing. n 0 clears them (csrcs may then be NULL). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_builder_set_csrcs(ivrm_rtp_builder* b,
                                                                const uint32_t* csrcs, size_t n);
/* The sequence number and timestamp the next build stamps. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_builder_next_sequence(const ivrm_rtp_builder* b,
                                                                    uint16_t* sequence);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_builder_next_timestamp(const ivrm_rtp_builder* b,
                                                                     uint32_t* timestamp);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_builder_get_stats(const ivrm_rtp_builder* b,
                                                                ivrm_rtp_builder_stats* stats);

/* ---------------------------------------------------------------------------------------------
 * RFC 4733 telephone-events (DTMF over RTP), sent and received.
 *
 * Payload (RFC 4733 section 2.3): event code, E (end) bit, volume (-dBm0, 0-63), duration on
 * the event clock counted from the packet's RTP timestamp, the event's onset. Codes 0-9 are the
 * digits, 10 '*', 11 '#', 12-15 'A'-'D', 16 flash-hook; other codes are passed through.
 *
 * Receiving (ivrm_rtp_event_receiver; a jitter buffer has one inside, see ivrm_jitter): one
 * BEGIN and one END per key press however the packets arrive. BEGIN comes with the first packet
 * of an event (stop the prompt on it); END with the first packet carrying E, the two retransmitted
 * end packets of section 2.5.1.4 are dropped; a lost start packet sets start_lost; if every end
 * packet is lost the event ends end_timeout_ms after its last packet (poll with the current
 * time) or when the next event starts; long events (section 2.5.1.3: the 16-bit duration
 * saturates and the sender starts a new segment) are joined into one with a 64-bit duration;
 * timestamps are unwrapped, duplicates and reordering recognized, so packets need not pass a
 * jitter buffer first. Events queue (queue_capacity; overflow counted, never grown).
 *
 * Sending (ivrm_rtp_event_sender): the payloads of one event at a time, one per interval_ms:
 * marker on the first packet only, the onset timestamp on all, the duration growing by one
 * interval per packet, new segments at 0xFFFF, the end packet end_repeats times. Send each with
 * ivrm_rtp_builder_build_at (the event's payload type and timestamp on the audio stream's
 * sequence numbers) and advance the audio timestamp with ivrm_rtp_builder_skip for the time the
 * event replaced audio. The sender's memory is fixed: create_in places it. No call but create
 * allocates.
 *
 *   ivrm_rtp_event_sender_config sc;
 *   ivrm_rtp_event_sender* s;
 *   ivrm_rtp_event_packet ep;
 *   int ready;
 *   ivrm_rtp_event_sender_config_init(&sc);                 8000 Hz clock, 20 ms packets
 *   if (ivrm_rtp_event_sender_create(&sc, &s) != IVRM_OK) ...
 *   ivrm_rtp_event_sender_begin(s, ivrm_rtp_event_code('5'), audio_ts, 10);   key down
 *   every 20 ms: if (ivrm_rtp_event_sender_next(s, &ep, &ready) == IVRM_OK && ready)
 *                  ivrm_rtp_builder_build_at(b, 101, ep.payload, 4, ep.timestamp, ep.marker, ..);
 *   key up:      ivrm_rtp_event_sender_end(s);           next() then gives the end packets
 *   receiving:   ivrm_rtp_event_receiver_push(r, &parsed, now_us);  then read_events(r, ...)
 */
typedef enum ivrm_rtp_event_phase {
  IVRM_RTP_EVENT_BEGIN = 0,
  IVRM_RTP_EVENT_END = 1
} ivrm_rtp_event_phase;

typedef enum ivrm_rtp_event_end_cause {
  IVRM_RTP_EVENT_CAUSE_NONE = 0,      /* BEGIN events */
  IVRM_RTP_EVENT_CAUSE_END_BIT = 1,   /* a packet with E arrived */
  IVRM_RTP_EVENT_CAUSE_TIMEOUT = 2,   /* no packet for end_timeout_ms (end packets lost) */
  IVRM_RTP_EVENT_CAUSE_NEW_EVENT = 3, /* the next event began before this one's end arrived */
  IVRM_RTP_EVENT_CAUSE_FLUSHED = 4    /* finish() or a change of source */
} ivrm_rtp_event_end_cause;

/* One received event. */
typedef struct ivrm_rtp_event {
  int64_t start;      /* unwrapped RTP timestamp of the onset (event clock) */
  int64_t duration;   /* event clock units: so far (BEGIN), total (END) */
  int64_t arrival_us; /* arrival (or poll) time that produced the event */
  int32_t phase;      /* ivrm_rtp_event_phase */
  int32_t code;       /* 0-255 */
  int32_t volume;     /* -dBm0 of the latest packet */
  int32_t cause;      /* ivrm_rtp_event_end_cause */
  int32_t start_lost; /* 1: no packet with the marker was seen for this event */
  char digit;         /* ivrm_rtp_event_char(code): '0'-'9', '*', '#', 'A'-'D', '!', or 0 */
} ivrm_rtp_event;

/* '0'-'9', '*', '#', 'A'-'D' for codes 0-15, '!' for flash (16), 0 for any other value. */
IVRM_API char ivrm_rtp_event_char(int32_t code);
/* The event code of a DTMF character (case-insensitive; '!' is flash); -1 for anything else. */
IVRM_API int32_t ivrm_rtp_event_code(char c);

typedef struct ivrm_rtp_event_receiver_config {
  uint32_t struct_size;    /* sizeof(ivrm_rtp_event_receiver_config); set by config_init */
  int32_t clock_rate_hz;   /* telephone-event clock (a=rtpmap), 1000-192000; default 8000 */
  int32_t end_timeout_ms;  /* end an event this long after its last packet, 20-10000; def. 500 */
  uint32_t queue_capacity; /* events held until read, 2-4096; default 64 */
} ivrm_rtp_event_receiver_config;

/* Counts since creation or reset. Growable output struct, as ivrm_codec_info. */
typedef struct ivrm_rtp_event_receiver_stats {
  uint32_t struct_size; /* set by the caller to sizeof(ivrm_rtp_event_receiver_stats) */
  uint32_t reserved;    /* written as 0 */
  int64_t packets;      /* accepted packets */
  int64_t malformed;    /* payloads shorter than 4 bytes */
  int64_t events;       /* BEGINs reported */
  int64_t ended_by_bit;
  int64_t ended_by_timeout;
  int64_t ended_by_new_event;
  int64_t ended_by_flush;
  int64_t segments;           /* long-event segments joined */
  int64_t retransmitted_ends; /* copies of an end packet dropped */
  int64_t stale;              /* late packets of events already ended */
  int64_t overflowed;         /* events dropped: the queue was full */
} ivrm_rtp_event_receiver_stats;

typedef struct ivrm_rtp_event_receiver ivrm_rtp_event_receiver;

/* Creation: values outside the ranges above are IVRM_ERR_CONFIG. */
IVRM_API ivrm_status ivrm_rtp_event_receiver_config_init_sized(ivrm_rtp_event_receiver_config* cfg,
                                                               size_t size);
#define ivrm_rtp_event_receiver_config_init(cfg) \
  ivrm_rtp_event_receiver_config_init_sized((cfg), sizeof *(cfg))
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_event_receiver_create(
    const ivrm_rtp_event_receiver_config* cfg, ivrm_rtp_event_receiver** out);
IVRM_API void ivrm_rtp_event_receiver_destroy(ivrm_rtp_event_receiver* r);
/* Forgets the current event, the queue and the stats. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_event_receiver_reset(ivrm_rtp_event_receiver* r);
/* One packet of the telephone-event payload type (from ivrm_rtp_parse) with its arrival time
 * (microseconds, any monotonic epoch). IVRM_ERR_MALFORMED (counted, nothing else changes) for a
 * payload under 4 bytes. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_event_receiver_push(ivrm_rtp_event_receiver* r,
                                                                  const ivrm_rtp_packet* packet,
                                                                  int64_t arrival_us);
/* Ends the current event if its last packet arrived end_timeout_ms or more before now_us. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_event_receiver_poll(ivrm_rtp_event_receiver* r,
                                                                  int64_t now_us);
/* Ends the current event now (the stream stopped or changed source): cause FLUSHED. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_event_receiver_finish(ivrm_rtp_event_receiver* r,
                                                                    int64_t now_us);
/* Moves up to `capacity` queued events into `events`, oldest first; *count tells how many. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_event_receiver_read_events(ivrm_rtp_event_receiver* r,
                                                                         ivrm_rtp_event* events,
                                                                         size_t capacity,
                                                                         size_t* count);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_event_receiver_get_stats(
    const ivrm_rtp_event_receiver* r, ivrm_rtp_event_receiver_stats* stats);

typedef struct ivrm_rtp_event_sender_config {
  uint32_t struct_size;  /* sizeof(ivrm_rtp_event_sender_config); set by config_init */
  int32_t clock_rate_hz; /* telephone-event clock, 1000-192000; default 8000 */
  int32_t interval_ms;   /* one packet per interval (the audio ptime), 5-100; default 20 */
  int32_t end_repeats;   /* copies of the end packet, 1-10; default 3 (RFC 4733) */
} ivrm_rtp_event_sender_config;

/* One packet to send: payload_type and sequence come from the audio stream's builder. */
typedef struct ivrm_rtp_event_packet {
  uint8_t payload[4]; /* the RFC 4733 event block */
  uint32_t timestamp; /* the event's (segment's) onset */
  int32_t marker;     /* 1 on the first packet of the event */
  int32_t end;        /* 1: the E bit is set */
} ivrm_rtp_event_packet;

typedef struct ivrm_rtp_event_sender ivrm_rtp_event_sender;

/* Creation: values outside the ranges above are IVRM_ERR_CONFIG. */
IVRM_API ivrm_status ivrm_rtp_event_sender_config_init_sized(ivrm_rtp_event_sender_config* cfg,
                                                             size_t size);
#define ivrm_rtp_event_sender_config_init(cfg) \
  ivrm_rtp_event_sender_config_init_sized((cfg), sizeof *(cfg))
IVRM_API IVRM_MUST_CHECK ivrm_status
ivrm_rtp_event_sender_size(const ivrm_rtp_event_sender_config* cfg, size_t* size);
IVRM_API IVRM_MUST_CHECK ivrm_status
ivrm_rtp_event_sender_create_in(void* mem, size_t mem_size, const ivrm_rtp_event_sender_config* cfg,
                                ivrm_rtp_event_sender** out);
IVRM_API IVRM_MUST_CHECK ivrm_status
ivrm_rtp_event_sender_create(const ivrm_rtp_event_sender_config* cfg, ivrm_rtp_event_sender** out);
IVRM_API void ivrm_rtp_event_sender_destroy(ivrm_rtp_event_sender* s);
/* Drops the event being sent (no end packets follow: prefer end). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_event_sender_reset(ivrm_rtp_event_sender* s);
/* Starts an event (code 0-255, volume 0-63 -dBm0, else IVRM_ERR_INVALID) whose onset is the audio
 * stream's current timestamp. IVRM_ERR_STATE while another event is being sent. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_event_sender_begin(ivrm_rtp_event_sender* s,
                                                                 int32_t code, uint32_t timestamp,
                                                                 int32_t volume);
/* The key was released: the next packets are the end packets. IVRM_ERR_STATE when idle or
 * already ending. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_event_sender_end(ivrm_rtp_event_sender* s);
/* The packet for the interval that just elapsed: *ready = 1 and *packet filled, or *ready = 0
 * (packet untouched) when there is nothing to send. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_event_sender_next(ivrm_rtp_event_sender* s,
                                                                ivrm_rtp_event_packet* packet,
                                                                int* ready);
/* *active = 1 while an event is being sent (its end packets included), else 0. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_rtp_event_sender_active(const ivrm_rtp_event_sender* s,
                                                                  int* active);

/* ---------------------------------------------------------------------------------------------
 * Jitter buffer: the RTP receive path of one call. Datagrams go in as they arrive, one frame of
 * smooth audio comes out per tick, NetEq's way:
 *
 *   push(datagram, arrival)   ivrm_rtp_parse -> sequence tracking (RFC 3550 A.1: duplicates,
 *                             reordering, restarts, 16/32-bit wraps) -> by payload type:
 *                               audio            -> packet store + relative-delay histogram
 *                               telephone-event  -> RFC 4733 receiver (ivrm_jitter_read_events)
 *                               comfort noise    -> intentional silence (RFC 3389)
 *   pull(frame, now)          decide, then do: decode the next packet; accelerate or expand it
 *                             (WSOLA time-scale modification, no pitch change) to steer the
 *                             buffer to its target delay; conceal a missing packet (G.711
 *                             Appendix I, G.722's, opus PLC or opus FEC from the next packet);
 *                             silence or comfort noise when nothing is due by design.
 *
 * Delay: the target is the relative delay below which delay_quantile (95 %) of recent packets
 * arrived, plus one packet, within [min_delay_ms, max_delay_ms]; or fixed_delay_ms in fixed
 * mode. Sender clock drift (+-1 %) is absorbed the same way, never by dropping whole frames.
 *
 * Payload types are bound to formats as SDP's a=rtpmap lines do: payloads[0..payload_count)
 * (at most IVRM_JITTER_MAX_PAYLOADS), each decodable at sample_rate_hz (G.711: 8000, G722:
 * 16000, opus: any of 8000, 16000, 48000), plus the telephone-event and comfort-noise types.
 * Creation errors: a payload type bound twice (the event or comfort-noise type included), a
 * value out of range or a format that cannot decode at sample_rate_hz is IVRM_ERR_CONFIG; an
 * unknown payload name IVRM_ERR_UNSUPPORTED; a NULL payload_name IVRM_ERR_NULL; a delay_mode
 * or 0/1 field with another value IVRM_ERR_INVALID.
 *
 * Time is passed in: arrival_us and now_us in microseconds on one monotonic clock of the host's
 * (any epoch); the library never reads a clock. Pull takes the tick's time always: with it the
 * buffer knows how long before the tick each packet arrived, which the buffered level alone
 * cannot tell, and holds its delay tighter (notably against a slow sender clock).
 *
 * Memory is allocated at creation only (packet_capacity slots of max_payload_bytes, decoders,
 * scratch); push, pull, read_events and the getters never allocate, lock or block, whatever the
 * packets contain. The buffer never logs (payloads and digits are caller data).
 *
 *   ivrm_jitter_config jc;
 *   ivrm_jitter* j;
 *   int16_t frame[160];
 *   ivrm_jitter_config_init(&jc);                 8 kHz, 20 ms; PCMU (0), PCMA (8), CN (13)
 *   jc.telephone_event_payload_type = 101;        "a=rtpmap:101 telephone-event/8000"
 *   if (ivrm_jitter_create(&jc, &j) != IVRM_OK) ...
 *   on each datagram:  ivrm_jitter_push(j, buf, n, now_us());      status: count, go on
 *   every 20 ms:       ivrm_jitter_pull(j, frame, 160, now_us(), NULL); then read_events
 *   ivrm_jitter_destroy(j);
 */
#define IVRM_JITTER_MAX_PAYLOADS 8

typedef enum ivrm_jitter_delay_mode {
  IVRM_JITTER_ADAPTIVE = 0, /* follow the measured network jitter (the default) */
  IVRM_JITTER_FIXED = 1     /* hold fixed_delay_ms */
} ivrm_jitter_delay_mode;

/* How an output frame was made (the most noticeable operation inside it). */
typedef enum ivrm_jitter_frame_kind {
  IVRM_JITTER_FRAME_NORMAL = 0,      /* decoded audio as sent (FEC-recovered audio included) */
  IVRM_JITTER_FRAME_CONCEALED = 1,   /* loss concealment */
  IVRM_JITTER_FRAME_ACCELERATED = 2, /* time-compressed to lower the delay */
  IVRM_JITTER_FRAME_EXPANDED = 3,    /* time-stretched to raise the delay */
  IVRM_JITTER_FRAME_MERGED = 4,      /* first decoded audio after concealment (cross-faded) */
  IVRM_JITTER_FRAME_CNG = 5          /* silence or comfort noise: nothing to play by design */
} ivrm_jitter_frame_kind;
#define IVRM_JITTER_FRAME_KINDS 6

/* One a=rtpmap binding. */
typedef struct ivrm_jitter_payload {
  const char* payload_name; /* encoding name ("PCMU", "G722", "opus"); read only during create */
  int32_t payload_type;     /* 0-127 */
  int32_t clock_rate_hz;    /* rtpmap clock rate; 0: the format's usual (8000; opus 48000) */
  int32_t channels;         /* rtpmap channels; 0: the format's (decoded to mono) */
  int32_t reserved;         /* must be 0 (IVRM_ERR_UNSUPPORTED otherwise) */
} ivrm_jitter_payload;

typedef struct ivrm_jitter_config {
  uint32_t struct_size;                 /* sizeof(ivrm_jitter_config); set by config_init */
  int32_t sample_rate_hz;               /* output: 8000, 16000 or 48000; default 8000 */
  int32_t frame_ms;                     /* samples per pull: 10, 20, 30 or 40 ms; default 20 */
  int32_t telephone_event_payload_type; /* -1 (default): none; else 0-127, not bound twice */
  int32_t telephone_event_clock_hz;     /* its rtpmap clock; default 8000 */
  int32_t comfort_noise_payload_type;   /* RFC 3389; default 13 (static); -1: none */
  int32_t event_end_timeout_ms;         /* see ivrm_rtp_event_receiver_config; default 500 */
  int32_t delay_mode;                   /* ivrm_jitter_delay_mode; default ADAPTIVE */
  int32_t fixed_delay_ms;               /* target in fixed mode, 0-10000; default 80 */
  int32_t min_delay_ms;                 /* adaptive bounds: 0 <= min <= max <= 10000; def. 0 */
  int32_t max_delay_ms;                 /* default 1000 */
  int32_t time_stretch;                 /* 1 (default): accelerate/expand toward the target;
                                           0: rebase only */
  int32_t network_delay_ms;      /* one-way network delay the E-model assumes, 0-2000; def. 40 */
  int32_t max_packet_ms;         /* longest packet, 10-120; default 120 */
  uint32_t packet_capacity;      /* packets held at most, 4-4096; default 64 */
  uint32_t max_payload_bytes;    /* larger payloads are dropped (counted), 16-65536; def. 1200 */
  int32_t sequence_probation;    /* RFC 3550 A.1 MIN_SEQUENTIAL, 1-16; default 2 */
  int32_t sequence_max_dropout;  /* forward jump still taken as loss, 1-32767; default 3000 */
  int32_t sequence_max_misorder; /* reordering window, 1-1023; default 100 */
  uint32_t payload_count;        /* payloads[] used, 1..IVRM_JITTER_MAX_PAYLOADS; default 2 */
  double delay_quantile;         /* share of packets the target delay covers, 0.5-0.999;
                                    default 0.95 */
  double forget_factor;          /* delay histogram memory per packet, 0.9-0.99999;
                                    default 0.9993 */
  ivrm_jitter_payload payloads[IVRM_JITTER_MAX_PAYLOADS]; /* default {PCMU 0}, {PCMA 8} */
} ivrm_jitter_config;

/* What a pull made. Growable output struct, as ivrm_codec_info. */
typedef struct ivrm_jitter_frame_info {
  uint32_t struct_size;    /* set by the caller to sizeof(ivrm_jitter_frame_info) */
  int32_t kind;            /* ivrm_jitter_frame_kind */
  int32_t has_timestamp;   /* 1: the frame starts with decoded audio of some packet */
  uint32_t rtp_timestamp;  /* that packet's timestamp at the frame's first sample */
  int32_t delay_ms;        /* buffered audio ahead of the playout point, before this frame */
  int32_t target_delay_ms; /* where the buffer steers */
} ivrm_jitter_frame_info;

/* Counts since creation or reset, and the call's quality. Growable output struct, as
 * ivrm_codec_info. */
typedef struct ivrm_jitter_stats {
  uint32_t struct_size; /* set by the caller to sizeof(ivrm_jitter_stats) */
  int32_t current_delay_ms;
  int32_t target_delay_ms;
  uint32_t interarrival_jitter_units; /* RFC 3550 section 6.4.1, in RTP units as RTCP carries */
  /* Packets (RFC 3550 A.1/A.3; lost = expected - received over the call). */
  int64_t received; /* audio packets accepted (unique) */
  int64_t lost;
  int64_t late; /* arrived after their audio was due: dropped */
  int64_t duplicates;
  int64_t reordered; /* arrived behind a later packet (played if in time) */
  int64_t overflow;  /* dropped: the packet store was full */
  int64_t oversized; /* payload over max_payload_bytes */
  int64_t malformed; /* failed ivrm_rtp_parse or the decoder's size check */
  int64_t unknown_payload;
  int64_t bad_sequence; /* implausible sequence jumps dropped */
  int64_t event_packets;
  int64_t comfort_noise_packets;
  int64_t restarts; /* new SSRC or resynchronization */
  int64_t buffered_packets;
  double loss_rate;              /* lost / expected */
  double discard_rate;           /* (late + overflow) / expected */
  double interarrival_jitter_ms; /* the same jitter in ms */
  /* RFC 3611 section 4.7.2 burst/gap metrics (Gmin 16) over settled packets. */
  double burst_density;
  double gap_density;
  double burst_duration_ms;
  double gap_duration_ms;
  double burst_ratio; /* G.107 BurstR (1: random loss) */
  /* ITU-T G.107 E-model for the playing codec; wideband codecs on G.107.1's scale (R to 129). */
  double r_factor;
  double mos; /* MOS-CQE */
  int32_t wideband_rating;
  int32_t reserved; /* written as 0 */
  /* Output samples by how they were made. */
  int64_t samples_played;
  int64_t samples_concealed;
  int64_t samples_fec; /* recovered from opus FEC (in normal audio) */
  int64_t samples_accelerated;
  int64_t samples_expanded;
  int64_t samples_cng;
  int64_t frames;
  int64_t frames_by_kind[IVRM_JITTER_FRAME_KINDS]; /* indexed by ivrm_jitter_frame_kind */
} ivrm_jitter_stats;

/* What the call used, for billing records: exact to the packet. Growable output struct. */
typedef struct ivrm_jitter_usage {
  uint32_t struct_size;           /* set by the caller to sizeof(ivrm_jitter_usage) */
  int32_t sample_rate_hz;         /* of the sample counts below */
  int64_t packets;                /* datagrams ivrm_rtp_parse accepted (audio, events, CN) */
  int64_t bytes;                  /* their sizes (RTP header and payload; no UDP/IP) */
  int64_t audio_packets;          /* unique audio packets received, played or not (late ones too) */
  int64_t media_samples_received; /* their duration at the output rate */
  int64_t samples_played;         /* every pulled sample, silence included */
  int64_t first_packet_us;        /* arrival of the first accepted datagram (0 before) */
  int64_t last_packet_us;         /* and of the last */
  int32_t any_packet;             /* 1 once a datagram was accepted */
  int32_t reserved;               /* written as 0 */
} ivrm_jitter_usage;

typedef struct ivrm_jitter ivrm_jitter;

/* Fills every default, payloads[0] {"PCMU", 0} and payloads[1] {"PCMA", 8}, the other slots
 * zero. */
IVRM_API ivrm_status ivrm_jitter_config_init_sized(ivrm_jitter_config* cfg, size_t size);
#define ivrm_jitter_config_init(cfg) ivrm_jitter_config_init_sized((cfg), sizeof *(cfg))
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_jitter_create(const ivrm_jitter_config* cfg,
                                                        ivrm_jitter** out);
IVRM_API void ivrm_jitter_destroy(ivrm_jitter* j);
/* Back to the state after creation (a new call on the same handle); the config is kept. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_jitter_reset(ivrm_jitter* j);
/* One datagram as received, at arrival_us. IVRM_OK when it was used or counted as late, a
 * duplicate or over capacity (see the stats); IVRM_ERR_TRUNCATED or IVRM_ERR_MALFORMED (as
 * ivrm_rtp_parse; counted) and IVRM_ERR_UNSUPPORTED (payload type not bound; counted) when it
 * was not. None of these is a reason to stop: count and go on. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_jitter_push(ivrm_jitter* j, const uint8_t* datagram,
                                                      size_t size, int64_t arrival_us);
/* One frame of n samples at the tick now_us: n must be ivrm_jitter_frame_samples
 * (IVRM_ERR_INVALID otherwise, nothing written). info (may be NULL) says what was made. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_jitter_pull(ivrm_jitter* j, int16_t* out, size_t n,
                                                      int64_t now_us, ivrm_jitter_frame_info* info);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_jitter_pull_float(ivrm_jitter* j, float* out, size_t n,
                                                            int64_t now_us,
                                                            ivrm_jitter_frame_info* info);
/* RFC 4733 events of the telephone-event payload type, oldest first, as their packets arrive
 * (BEGIN with the first: a host stops its prompt at once): up to capacity into events, *count
 * tells how many. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_jitter_read_events(ivrm_jitter* j, ivrm_rtp_event* events,
                                                             size_t capacity, size_t* count);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_jitter_get_stats(const ivrm_jitter* j,
                                                           ivrm_jitter_stats* stats);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_jitter_get_usage(const ivrm_jitter* j,
                                                           ivrm_jitter_usage* usage);
/* Samples per pull: sample_rate_hz * frame_ms / 1000. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_jitter_frame_samples(const ivrm_jitter* j,
                                                               size_t* samples);
/* "normal", "concealed", ...; "unknown" for other values; never NULL. */
IVRM_API const char* ivrm_jitter_frame_kind_name(int kind);

/* ---------------------------------------------------------------------------------------------
 * Prompts: the recorded and generated audio an IVR plays to callers (ivrmedia/prompt.hpp).
 *
 * A prompt is mono float at the rate it will be played at, made once and then immutable, and
 * reference-counted: every channel playing it shares the same samples, so ten thousand callers
 * hearing the welcome message cost one copy. Every ivrm_prompt_* maker returns a handle holding
 * one reference; ivrm_prompt_retain adds one, ivrm_prompt_release drops one and frees the handle
 * with the last (NULL accepted); the samples go when no player or cache holds them either.
 * Retain and release are atomic: any thread. A player playing or queueing a prompt holds its own
 * reference, so the host may release its handle at once.
 *
 * Making prompts allocates (and loading reads files): call the makers and the cache from control
 * threads, never from the audio path; release the last reference there too.
 *   - ivrm_prompt_load: any file libsndfile reads (WAV incl. WAVE_FORMAT_EXTENSIBLE, FLAC, Ogg
 *     Vorbis, Ogg Opus, AIFF, ...) and headerless G.711 (.ul/.ulaw/.mu/.pcmu, .al/.alaw/.pcma at
 *     8000 Hz). Channels are averaged to mono; the rate is converted with the resampler's HIGH
 *     quality and its delay compensated: the first sample of the file is the first of the prompt,
 *     whose length is exactly round(frames x rate / file rate). Errors: missing, unreadable or
 *     unknown format IVRM_ERR_UNSUPPORTED, an empty file IVRM_ERR_MALFORMED, longer than
 *     max_seconds IVRM_ERR_RANGE, a sample_rate_hz not in the list below IVRM_ERR_CONFIG.
 *     error_buf (may be NULL) gets a one-line reason naming the file, truncated to
 *     error_size - 1 characters and always terminated (empty on success; when error_size > 0).
 *   - from_float / from_int16: a mono buffer at any of 8000, 16000, 32000, 44100, 48000 Hz,
 *     converted to sample_rate_hz (the same set) as loading does.
 *   - silence, comfort_noise (white, deterministic per seed), dtmf (ITU-T Q.23 digits with the
 *     DTMF generator's defaults: 80 ms tones, 80 ms pauses, -7/-5 dBm0) and call-progress tones
 *     (ivrm_prompt_tone; presets from ivrm_call_progress: ITU-T E.180 European 425 Hz plan and
 *     the North American precise tones).
 * Unsupported rates and out-of-range arguments are IVRM_ERR_CONFIG (as the C++ makers' bad
 * config), an empty buffer IVRM_ERR_INVALID; on any error *out is NULL.
 *
 *   ivrm_prompt* welcome;
 *   char why[256];
 *   if (ivrm_prompt_load("welcome.wav", 8000, 600, &welcome, why, sizeof why) != IVRM_OK) ...
 *   ivrm_player_play(player, welcome, NULL);       the player takes its own reference
 *   ivrm_prompt_release(welcome);
 */
#define IVRM_TONE_MAX_CADENCE 8

typedef struct ivrm_prompt ivrm_prompt;

/* What a prompt is. Growable output struct, as ivrm_codec_info: the caller sets struct_size. */
typedef struct ivrm_prompt_info {
  uint32_t struct_size; /* set by the caller to sizeof(ivrm_prompt_info) */
  int32_t sample_rate_hz;
  const float* samples;  /* size samples; valid while a reference to the prompt is held */
  uint64_t size;         /* samples */
  uint64_t memory_bytes; /* held by the prompt (samples and name) */
  double seconds;
  const char* name; /* the file path, cache key or "" (never NULL); valid as samples */
} ivrm_prompt_info;

/* A call-progress tone: up to two frequencies at a level, switched on and off by a cadence.
 * Filled by ivrm_call_progress (which sets struct_size) or by hand (struct_size =
 * sizeof(ivrm_tone_spec)). All fields 32 or 64 bits in order: no padding, so fields appended
 * later lie beyond this version's size. */
typedef struct ivrm_tone_spec {
  uint32_t struct_size;
  uint32_t cadence_count; /* cadence_ms entries used, 0..IVRM_TONE_MAX_CADENCE; 0: continuous */
  double frequency1_hz;   /* 0..rate/2 */
  double frequency2_hz;   /* 0: single frequency */
  double level_dbm0;      /* per frequency, at most +3 (G.711 full-scale sine = +3.17 dBm0) */
  double seconds;         /* length of the prompt (one or more cadence cycles) */
  double cadence_ms[IVRM_TONE_MAX_CADENCE]; /* on, off, on, off, ... repeated; each >= 0 */
} ivrm_tone_spec;

typedef enum ivrm_call_progress_tone {
  IVRM_RINGBACK_EU = 0,   /* 425 Hz, 1 s on 4 s off (ITU-T E.180 recommended) */
  IVRM_BUSY_EU = 1,       /* 425 Hz, 0.5 s on 0.5 s off */
  IVRM_CONGESTION_EU = 2, /* 425 Hz, 0.25 s on 0.25 s off */
  IVRM_DIAL_EU = 3,       /* 425 Hz continuous */
  IVRM_RINGBACK_US = 4,   /* 440 + 480 Hz, 2 s on 4 s off */
  IVRM_BUSY_US = 5,       /* 480 + 620 Hz, 0.5 s on 0.5 s off */
  IVRM_CONGESTION_US = 6, /* 480 + 620 Hz, 0.25 s on 0.25 s off (reorder) */
  IVRM_DIAL_US = 7        /* 350 + 440 Hz continuous */
} ivrm_call_progress_tone;

IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_prompt_load(const char* path, int32_t sample_rate_hz,
                                                      double max_seconds, ivrm_prompt** out,
                                                      char* error_buf, size_t error_size);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_prompt_from_float(const float* samples, size_t n,
                                                            int32_t source_rate_hz,
                                                            int32_t sample_rate_hz,
                                                            ivrm_prompt** out);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_prompt_from_int16(const int16_t* samples, size_t n,
                                                            int32_t source_rate_hz,
                                                            int32_t sample_rate_hz,
                                                            ivrm_prompt** out);
/* The spec of a preset (ivrm_call_progress_tone), one cadence cycle long (continuous: 2 s);
 * IVRM_ERR_INVALID for another value (nothing written). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_call_progress(int32_t which, ivrm_tone_spec* spec);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_prompt_tone(const ivrm_tone_spec* spec,
                                                      int32_t sample_rate_hz, ivrm_prompt** out);
/* digits: up to 64 of "0123456789*#ABCD", NUL-terminated (else IVRM_ERR_INVALID). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_prompt_dtmf(const char* digits, int32_t sample_rate_hz,
                                                      ivrm_prompt** out);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_prompt_silence(double seconds, int32_t sample_rate_hz,
                                                         ivrm_prompt** out);
/* White noise at level_dbfs RMS (full-scale sine = -3 dBFS), the same for the same seed. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_prompt_comfort_noise(double seconds, double level_dbfs,
                                                               int32_t sample_rate_hz,
                                                               uint64_t seed, ivrm_prompt** out);
/* One more reference (IVRM_ERR_NULL for NULL). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_prompt_retain(ivrm_prompt* prompt);
/* One reference less; the last frees the handle (the samples live on while a player or cache
 * holds them). NULL is accepted. */
IVRM_API void ivrm_prompt_release(ivrm_prompt* prompt);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_prompt_get_info(const ivrm_prompt* prompt,
                                                          ivrm_prompt_info* info);

/* ---------------------------------------------------------------------------------------------
 * Prompt cache: the same prompt for the same (path, rate) to everyone, loaded on first use. A
 * failed load is not cached (the next get tries the file again) and leaves everything cached
 * untouched. Thread-safe (a mutex) and reads files: control threads only, never the audio path.
 * Each get returns a new handle (release it) sharing the cached samples: the info's samples
 * pointer is the same for every handle of one (path, rate).
 */
typedef struct ivrm_prompt_cache_config {
  uint32_t struct_size; /* sizeof(ivrm_prompt_cache_config); set by config_init */
  int32_t quality;      /* ivrm_resample_quality of rate conversion; default IVRM_RESAMPLE_HIGH */
  double max_seconds;   /* longer files are refused (IVRM_ERR_RANGE), > 0; default 1800 */
} ivrm_prompt_cache_config;

typedef struct ivrm_prompt_cache ivrm_prompt_cache;

IVRM_API ivrm_status ivrm_prompt_cache_config_init_sized(ivrm_prompt_cache_config* cfg,
                                                         size_t size);
#define ivrm_prompt_cache_config_init(cfg) ivrm_prompt_cache_config_init_sized((cfg), sizeof *(cfg))
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_prompt_cache_create(const ivrm_prompt_cache_config* cfg,
                                                              ivrm_prompt_cache** out);
/* Drops the cache's references (prompts handed out live on). NULL is accepted. */
IVRM_API void ivrm_prompt_cache_destroy(ivrm_prompt_cache* cache);
/* Errors and error_buf as ivrm_prompt_load. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_prompt_cache_get(ivrm_prompt_cache* cache,
                                                           const char* path, int32_t sample_rate_hz,
                                                           ivrm_prompt** out, char* error_buf,
                                                           size_t error_size);
/* Adds a prompt made elsewhere under `key` (e.g. "tone:ringback_eu") at its own rate; replaces
 * an older one. The cache takes its own reference. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_prompt_cache_put(ivrm_prompt_cache* cache,
                                                           const char* key,
                                                           const ivrm_prompt* prompt);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_prompt_cache_size(const ivrm_prompt_cache* cache,
                                                            size_t* count);
/* Bytes held by the cached prompts. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_prompt_cache_memory_bytes(const ivrm_prompt_cache* cache,
                                                                    size_t* bytes);
/* Drops the prompts nobody else holds (no handle, no player); *evicted (may be NULL) = how many. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_prompt_cache_evict_unused(ivrm_prompt_cache* cache,
                                                                    size_t* evicted);

/* ---------------------------------------------------------------------------------------------
 * Player: one source on one channel (the menu voice, the hold music): plays prompts with a
 * playlist, loops, gain, fades, pause/resume, seek and stop, and reports started / finished /
 * interrupted / looped events stamped in samples.
 *
 * Clicks: every change is continuous. Fades are equal-power (sin in, cos out); a start, stop,
 * seek or pause without a fade of its own gets a declick_ms ramp unless the signal there is
 * already under -60 dBFS; replacing, seeking and resuming cross-fade old and new; playlist joins
 * and loop wraps are back to back with a slope correction that decays over declick_ms; gain
 * changes move linearly in dB over gain_ramp_ms. Bound (tested on the C++ API): across any
 * start, stop, pause, join or gain change the largest sample step is no larger than the largest
 * inside the prompts plus 2 % of full scale.
 * Timing is sample-accurate: a command applies at the next rendered sample (play can start
 * delay_samples later), so output does not depend on how rendering is cut into frames.
 *
 * Real time: no call after create allocates or locks. Rendering, read_events and get_state never
 * free either: a finished prompt's reference is kept until the next control call (play, queue,
 * stop, pause, resume, seek, barge_in, reset) or ivrm_player_collect drops it. So a host that
 * controls the player from its audio thread keeps its own reference to what it plays (a handle,
 * or a prompt cache), and the samples are never freed there.
 *
 *   ivrm_player_config pc;
 *   ivrm_player* p;
 *   ivrm_play_options po;
 *   float frame[160];
 *   ivrm_player_config_init(&pc);                     8 kHz; prompts must be at this rate
 *   if (ivrm_player_create(&pc, &p) != IVRM_OK) ...
 *   ivrm_play_options_init(&po);
 *   po.id = 1;                                        echoed in the events
 *   ivrm_player_play(p, menu, &po);
 *   every 20 ms: ivrm_player_render_float(p, frame, 160); then ivrm_player_read_events
 *   on a caller's key: ivrm_player_barge_in(p, IVRM_STOP_BARGE_IN_DTMF, '5', NULL);
 */
typedef enum ivrm_stop_reason {
  IVRM_STOP_NONE = 0,
  IVRM_STOP_STOPPED = 1,        /* ivrm_player_stop */
  IVRM_STOP_REPLACED = 2,       /* ivrm_player_play while this was playing */
  IVRM_STOP_BARGE_IN_DTMF = 3,  /* the caller pressed a key */
  IVRM_STOP_BARGE_IN_VOICE = 4, /* the caller started to speak */
  IVRM_STOP_RESET = 5
} ivrm_stop_reason;

typedef enum ivrm_player_event_type {
  IVRM_PLAYER_STARTED = 0,
  IVRM_PLAYER_FINISHED = 1,
  IVRM_PLAYER_INTERRUPTED = 2,
  IVRM_PLAYER_LOOPED = 3
} ivrm_player_event_type;

typedef struct ivrm_player_config {
  uint32_t struct_size;    /* sizeof(ivrm_player_config); set by config_init */
  int32_t sample_rate_hz;  /* 8000, 16000, 32000, 44100 or 48000; default 8000 */
  uint32_t queue_capacity; /* playlist items waiting, 1-1024; default 16 */
  uint32_t event_capacity; /* events held until read, 4-4096; default 64 (overflow counted) */
  double declick_ms;       /* 0.5-20; default 2 */
  double stop_fade_ms;     /* stop, pause, seek and replacing play: 0-2000; default 10 */
  double barge_fade_ms;    /* barge_in: 0-2000; default 20 */
  double gain_ramp_ms;     /* 1-2000; default 20 */
} ivrm_player_config;

/* How one prompt plays. Input struct with struct_size, filled by ivrm_play_options_init. */
typedef struct ivrm_play_options {
  uint32_t struct_size;   /* sizeof(ivrm_play_options); set by ivrm_play_options_init */
  int32_t loops;          /* times to play the prompt, >= 0; 0: until stopped; default 1 */
  uint32_t id;            /* the host's tag, echoed in events; default 0 */
  int32_t interruptible;  /* 1 (default): barge-in may stop it; 0: it may not */
  double gain_db;         /* this prompt's gain, -96..+24; default 0 */
  double fade_in_ms;      /* equal-power fade-in, 0-60000; default 0 (declick only) */
  double fade_out_ms;     /* equal-power fade-out ending at the natural end, 0-60000; def. 0 */
  uint64_t start_sample;  /* where in the prompt to begin; default 0 */
  uint64_t delay_samples; /* play only: start this many samples after the next render */
} ivrm_play_options;

typedef struct ivrm_player_event {
  int64_t position; /* sample of the prompt at the event */
  int64_t time;     /* player output sample at which it happened */
  uint32_t id;      /* ivrm_play_options.id */
  int32_t type;     /* ivrm_player_event_type */
  int32_t reason;   /* ivrm_stop_reason (interrupted only, else IVRM_STOP_NONE) */
  char digit;       /* IVRM_STOP_BARGE_IN_DTMF: the key, else 0 */
  char reserved[3]; /* written as 0 */
} ivrm_player_event;

/* Growable output struct, as ivrm_codec_info. */
typedef struct ivrm_player_state {
  uint32_t struct_size;   /* set by the caller to sizeof(ivrm_player_state) */
  int32_t active;         /* 1: something audible or about to be (paused excluded) */
  int32_t paused;         /* 1: paused */
  uint32_t queued;        /* playlist items waiting */
  int64_t position;       /* in the current prompt (0 when idle) */
  int64_t time;           /* samples rendered since creation or reset */
  int64_t events_dropped; /* events lost because nobody read them */
} ivrm_player_state;

typedef struct ivrm_player ivrm_player;

IVRM_API ivrm_status ivrm_player_config_init_sized(ivrm_player_config* cfg, size_t size);
#define ivrm_player_config_init(cfg) ivrm_player_config_init_sized((cfg), sizeof *(cfg))
IVRM_API ivrm_status ivrm_play_options_init_sized(ivrm_play_options* opts, size_t size);
#define ivrm_play_options_init(opts) ivrm_play_options_init_sized((opts), sizeof *(opts))
/* Values outside the ranges above: IVRM_ERR_CONFIG. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_player_create(const ivrm_player_config* cfg,
                                                        ivrm_player** out);
IVRM_API void ivrm_player_destroy(ivrm_player* player);
/* Plays `prompt` now (after delay_samples), cross-fading out what was playing (interrupted,
 * replaced) and clearing the playlist. opts may be NULL (the defaults). IVRM_ERR_INVALID: a
 * prompt at another rate, interruptible not 0/1, loops < 0, gain_db or a fade outside its
 * bounds; IVRM_ERR_RANGE: start_sample at or beyond the prompt's end; IVRM_ERR_CONFIG:
 * opts->struct_size below the first version. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_player_play(ivrm_player* player,
                                                      const ivrm_prompt* prompt,
                                                      const ivrm_play_options* opts);
/* Appends to the playlist (starts at once when idle); IVRM_ERR_FULL when queue_capacity items
 * wait. Errors otherwise as play. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_player_queue(ivrm_player* player,
                                                       const ivrm_prompt* prompt,
                                                       const ivrm_play_options* opts);
/* Fades out (fade_ms < 0: stop_fade_ms; 0-2000 otherwise, else IVRM_ERR_RANGE) and stops; the
 * playlist is cleared. pause and resume take fade_ms the same way. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_player_stop(ivrm_player* player, double fade_ms);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_player_pause(ivrm_player* player, double fade_ms);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_player_resume(ivrm_player* player, double fade_ms);
/* Jumps to `sample` of the current prompt with a cross-fade: IVRM_ERR_RANGE beyond its end,
 * IVRM_ERR_STATE when nothing plays. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_player_seek(ivrm_player* player, uint64_t sample);
/* Master gain, reached over gain_ramp_ms: -96..+24 dB, else IVRM_ERR_RANGE (not clamped). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_player_set_gain_db(ivrm_player* player, double gain_db);
/* Stops interruptible prompts (barge_fade_ms) for reason IVRM_STOP_BARGE_IN_DTMF (with the key
 * `digit`) or IVRM_STOP_BARGE_IN_VOICE (other reasons IVRM_ERR_INVALID); *stopped (may be NULL)
 * = 1 when one was playing. Feed it from ivrm_barge_in or the DTMF detector's key-down. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_player_barge_in(ivrm_player* player, int32_t reason,
                                                          char digit, int* stopped);
/* Renders n samples, overwriting out (float or int16: rounded to nearest, saturated), or adding
 * to it (render_add_float: several players into one buffer). n == 0 is accepted. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_player_render_float(ivrm_player* player, float* out,
                                                              size_t n);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_player_render_int16(ivrm_player* player, int16_t* out,
                                                              size_t n);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_player_render_add_float(ivrm_player* player, float* out,
                                                                  size_t n);
/* Moves up to capacity events into events, oldest first; *count = how many. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_player_read_events(ivrm_player* player,
                                                             ivrm_player_event* events,
                                                             size_t capacity, size_t* count);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_player_get_state(const ivrm_player* player,
                                                           ivrm_player_state* state);
/* Drops the references of prompts that finished (control thread; play and queue do it too). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_player_collect(ivrm_player* player);
/* Stops everything at once (no fade), clears playlist and events. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_player_reset(ivrm_player* player);

/* ---------------------------------------------------------------------------------------------
 * Barge-in detector: says when the caller interrupts a prompt, by voice or by key.
 *
 * Voice: 10 ms blocks of the caller's audio whose RMS level is above both threshold_dbfs and the
 * tracked noise floor plus noise_margin_db, for at least min_speech_ms in a row (a click or a
 * door slam is shorter), fire once per utterance; speech ends hangover_ms after the level drops.
 * The floor follows quiet blocks down at once and up by 2 dB/s. Keys: ivrm_barge_in_key_down
 * with the DTMF detector's key-down or an RFC 4733 begin fires at once. Then call
 * ivrm_player_barge_in with the event's reason and digit. No allocation after create.
 */
typedef struct ivrm_barge_in_config {
  uint32_t struct_size;   /* sizeof(ivrm_barge_in_config); set by config_init */
  int32_t sample_rate_hz; /* default 8000 */
  double threshold_dbfs;  /* speech RMS level, full-scale sine = -3 dBFS; default -32 */
  double noise_margin_db; /* above the noise floor; default 12 */
  double min_speech_ms;   /* default 60 */
  double hangover_ms;     /* default 300 */
  int32_t voice;          /* 1 (default): barge in on speech; 0: not */
  int32_t dtmf;           /* 1 (default): barge in on keys; 0: not */
} ivrm_barge_in_config;

typedef struct ivrm_barge_in_event {
  int64_t sample;   /* caller sample (since creation or reset) where it was decided */
  int32_t reason;   /* IVRM_STOP_BARGE_IN_VOICE or IVRM_STOP_BARGE_IN_DTMF */
  char digit;       /* the key, or 0 */
  char reserved[3]; /* written as 0 */
} ivrm_barge_in_event;

typedef struct ivrm_barge_in ivrm_barge_in;

IVRM_API ivrm_status ivrm_barge_in_config_init_sized(ivrm_barge_in_config* cfg, size_t size);
#define ivrm_barge_in_config_init(cfg) ivrm_barge_in_config_init_sized((cfg), sizeof *(cfg))
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_barge_in_create(const ivrm_barge_in_config* cfg,
                                                          ivrm_barge_in** out);
IVRM_API void ivrm_barge_in_destroy(ivrm_barge_in* b);
/* n samples of the caller's audio: *fired = 1 and *event (may be NULL) the first onset when
 * speech started in them, else *fired = 0 and *event untouched. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_barge_in_process_float(ivrm_barge_in* b,
                                                                 const float* caller, size_t n,
                                                                 int* fired,
                                                                 ivrm_barge_in_event* event);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_barge_in_process_int16(ivrm_barge_in* b,
                                                                 const int16_t* caller, size_t n,
                                                                 int* fired,
                                                                 ivrm_barge_in_event* event);
/* A key went down: *fired = 1 when DTMF barge-in is on. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_barge_in_key_down(ivrm_barge_in* b, char digit,
                                                            int* fired, ivrm_barge_in_event* event);
/* *speaking = 1 while the caller speaks (hangover included). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_barge_in_speaking(const ivrm_barge_in* b, int* speaking);
/* *dbfs = the tracked noise floor of the caller's line (the level speech must exceed by
 * noise_margin_db); -70 before any audio and after reset. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_barge_in_noise_floor_dbfs(const ivrm_barge_in* b,
                                                                    double* dbfs);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_barge_in_reset(ivrm_barge_in* b);

/* ---------------------------------------------------------------------------------------------
 * Mixer: one output channel = limiter(sum of foreground sources + duck gain x sum of background
 * sources): prompts over ducked music.
 *
 * Ducking: the background goes down by duck_depth_db while the foreground is active, linear in
 * dB over duck_attack_ms down and duck_release_ms back up (every sample, no zipper steps). The
 * foreground is active while any of its samples exceeded duck_threshold_dbfs within the last
 * duck_hold_ms, or while the host says so (ivrm_mixer_set_foreground_active).
 *
 * Limiter (look-ahead, soft knee): y[n] = g[n] x[n - L], L = limiter_lookahead_ms (2 ms: 16
 * samples at 8 kHz); no output sample exceeds limiter_ceiling_dbfs; signals whose samples stay at
 * or under limiter_threshold_dbfs pass bit-exactly, delayed by L. The gain is held over the
 * look-ahead plus limiter_hold_ms, released with limiter_release_ms, and smoothed over the
 * look-ahead (an S-shaped attack, no step). Results never depend on how the stream is cut into
 * frames. Process and the setters never allocate, lock or block.
 *
 * Sources: fg[i] holds fg_counts[i] samples (fg_counts NULL: every source holds `frame`), at most
 * frame; a shorter one is silence after its end. A source may be NULL with count 0. At most
 * IVRM_MIXER_MAX_SOURCES per group (IVRM_ERR_RANGE). A source longer than the frame is
 * IVRM_ERR_INVALID; nothing is written on any error. Sources must not overlap out.
 *
 *   const float* prompts[1] = {prompt_frame};     a player's output
 *   const float* music[1] = {music_frame};
 *   ivrm_mixer_process_int16(mixer, prompts, NULL, 1, music, NULL, 1, pcm, 160);
 */
#define IVRM_MIXER_MAX_SOURCES 32

typedef struct ivrm_mixer_config {
  uint32_t struct_size;         /* sizeof(ivrm_mixer_config); set by config_init */
  int32_t sample_rate_hz;       /* 8000..192000; default 8000 */
  float duck_depth_db;          /* background attenuation while foreground, 0..60; default 12 */
  float duck_threshold_dbfs;    /* foreground sample level that counts as active; default -40 */
  int32_t duck_on_level;        /* 1 (default); 0: only set_foreground_active ducks */
  float duck_attack_ms;         /* 1..2000; default 20 */
  float duck_hold_ms;           /* default 250 */
  float duck_release_ms;        /* 1..5000; default 400 */
  float limiter_ceiling_dbfs;   /* -20..0; default -1 */
  float limiter_threshold_dbfs; /* knee start, <= ceiling; default -3 */
  float limiter_lookahead_ms;   /* latency and attack, 0.25..20 (at least 2 samples); default 2 */
  float limiter_hold_ms;        /* 0..100; default 10 */
  float limiter_release_ms;     /* 1..5000; default 60 */
} ivrm_mixer_config;

/* Counters since creation or reset. Growable output struct, as ivrm_codec_info. */
typedef struct ivrm_mixer_stats {
  uint32_t struct_size;    /* set by the caller to sizeof(ivrm_mixer_stats) */
  int32_t latency_samples; /* the limiter's look-ahead */
  int64_t samples;
  int64_t ducked_samples;  /* background gain under 1 */
  int64_t limited_samples; /* left the limiter with a gain under 1 */
  int64_t clamped;         /* moved by the final clamp (float rounding; expect 0) */
  float limiter_min_gain;  /* lowest limiter gain applied */
  float duck_gain_db;      /* background gain of the last sample (0 = unity) */
} ivrm_mixer_stats;

typedef struct ivrm_mixer ivrm_mixer;

IVRM_API ivrm_status ivrm_mixer_config_init_sized(ivrm_mixer_config* cfg, size_t size);
#define ivrm_mixer_config_init(cfg) ivrm_mixer_config_init_sized((cfg), sizeof *(cfg))
/* Values outside the ranges above: IVRM_ERR_CONFIG; duck_on_level not 0/1 IVRM_ERR_INVALID. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_mixer_create(const ivrm_mixer_config* cfg,
                                                       ivrm_mixer** out);
IVRM_API void ivrm_mixer_destroy(ivrm_mixer* mixer);
/* Stream state only (limiter silent, duck gain at unity); set_foreground_active stays. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_mixer_reset(ivrm_mixer* mixer);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_mixer_process_float(
    ivrm_mixer* mixer, const float* const* fg, const size_t* fg_counts, size_t fg_n,
    const float* const* bg, const size_t* bg_counts, size_t bg_n, float* out, size_t frame);
/* The same mix written as int16 (rounded to nearest, saturated; the limiter keeps it under the
 * ceiling). The sources stay float, as players render them (as opus_decode vs _float, the
 * suffix names the output). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_mixer_process_int16(
    ivrm_mixer* mixer, const float* const* fg, const size_t* fg_counts, size_t fg_n,
    const float* const* bg, const size_t* bg_counts, size_t bg_n, int16_t* out, size_t frame);
/* Ducks the background while active is 1, whatever the foreground's level (0 or 1, else
 * IVRM_ERR_INVALID). From the next sample. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_mixer_set_foreground_active(ivrm_mixer* mixer,
                                                                      int active);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_mixer_get_stats(const ivrm_mixer* mixer,
                                                          ivrm_mixer_stats* stats);

/* ---------------------------------------------------------------------------------------------
 * Conference mixer: N-1 mixing for up to max_legs legs: each leg hears every other leg, never
 * itself. Each frame, total = sum of the legs that talk to everyone (one pass); out_k =
 * limiter_k(total - own_k + whispers to k). The sum is never clipped before the subtraction, so a
 * talker never hears an inverted copy of itself; each leg's limiter (the mixer's limiter fields)
 * sees only what that leg hears, and delays it by ivrm_conference_latency_samples.
 *
 * Per leg: a talk mode and a gain, both ramped over gain_ramp_ms. Supervisor whisper:
 * set_talk(supervisor, IVRM_TALK_ONE_LEG, agent): the agent hears caller + supervisor, the
 * supervisor hears caller + agent, the caller hears the agent only. Silent monitoring:
 * IVRM_TALK_NOBODY. Three-way calls and barge-in: IVRM_TALK_EVERYONE.
 *
 * process: in[k] and out[k] for k < legs (<= max_legs, else IVRM_ERR_RANGE); every out[k] holds
 * frame samples; in[k] holds frame samples or is NULL (silence). Outputs must not overlap inputs.
 * Legs beyond `legs` are absent: not heard, their state kept. No allocation, lock or block.
 */
typedef enum ivrm_talk {
  IVRM_TALK_EVERYONE = 0, /* heard by every other leg */
  IVRM_TALK_NOBODY = 1,   /* heard by no one (silent monitoring, muted) */
  IVRM_TALK_ONE_LEG = 2   /* heard only by target_leg (whisper, coaching) */
} ivrm_talk;

typedef struct ivrm_conference_config {
  uint32_t struct_size;         /* sizeof(ivrm_conference_config); set by config_init */
  int32_t sample_rate_hz;       /* 8000..192000; default 8000 */
  int32_t max_legs;             /* 1..1024; default 32 */
  float gain_ramp_ms;           /* gain and talk-mode changes ramp over this, 0..1000; def. 10 */
  float limiter_ceiling_dbfs;   /* per leg, as ivrm_mixer_config; default -1 */
  float limiter_threshold_dbfs; /* default -3 */
  float limiter_lookahead_ms;   /* default 2 */
  float limiter_hold_ms;        /* default 10 */
  float limiter_release_ms;     /* default 60 */
} ivrm_conference_config;

typedef struct ivrm_conference ivrm_conference;

IVRM_API ivrm_status ivrm_conference_config_init_sized(ivrm_conference_config* cfg, size_t size);
#define ivrm_conference_config_init(cfg) ivrm_conference_config_init_sized((cfg), sizeof *(cfg))
/* Values outside the ranges above: IVRM_ERR_CONFIG. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_conference_create(const ivrm_conference_config* cfg,
                                                            ivrm_conference** out);
IVRM_API void ivrm_conference_destroy(ivrm_conference* conf);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_conference_process_float(ivrm_conference* conf,
                                                                   const float* const* in,
                                                                   float* const* out, size_t legs,
                                                                   size_t frame);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_conference_process_int16(ivrm_conference* conf,
                                                                   const int16_t* const* in,
                                                                   int16_t* const* out, size_t legs,
                                                                   size_t frame);
/* mode: ivrm_talk (else IVRM_ERR_INVALID); target_leg: the listener of IVRM_TALK_ONE_LEG (else
 * ignored). IVRM_ERR_RANGE for a leg or target outside 0..max_legs-1. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_conference_set_talk(ivrm_conference* conf, int32_t leg,
                                                              int32_t mode, int32_t target_leg);
/* -96..+24 dB (-96 = silent), else IVRM_ERR_RANGE (NaN included). */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_conference_set_gain_db(ivrm_conference* conf, int32_t leg,
                                                                 float gain_db);
/* A leg joins or leaves: its limiter goes silent, its ramps reach their targets now. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_conference_reset_leg(ivrm_conference* conf, int32_t leg);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_conference_reset(ivrm_conference* conf);
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_conference_latency_samples(const ivrm_conference* conf,
                                                                     int32_t* samples);

/* One leg's limiter since creation, reset or reset_leg. Growable output struct, as
 * ivrm_codec_info. */
typedef struct ivrm_conference_leg_stats {
  uint32_t struct_size;    /* set by the caller to sizeof(ivrm_conference_leg_stats) */
  float limiter_min_gain;  /* lowest limiter gain applied */
  int64_t samples;         /* samples this leg was sent */
  int64_t limited_samples; /* left its limiter with a gain under 1 */
  int64_t clamped;         /* moved by the final clamp (float rounding; expect 0) */
} ivrm_conference_leg_stats;

/* IVRM_ERR_RANGE for a leg outside 0..max_legs-1. */
IVRM_API IVRM_MUST_CHECK ivrm_status ivrm_conference_get_leg_stats(
    const ivrm_conference* conf, int32_t leg, ivrm_conference_leg_stats* stats);

#ifdef IVRM_EXPERIMENTAL
/* -------------------------------------------------------------------------------------------
 * Experimental API: may change between minor versions. Nothing here yet.
 */
#endif /* IVRM_EXPERIMENTAL */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IVRMEDIA_IVRMEDIA_H */
