/* c_host: how a plain C IVR host uses ivrmedia. It checks the library version, places two
 * G.711 coders in one arena (the way a host keeps thousands), sends a 1 kHz tone through
 * mu-law frame by frame (20 ms, the usual RTP ptime), converts the codes to A-law for a
 * second trunk, collects a caller's DTMF digits frame by frame, and shows how errors are
 * reported. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ivrmedia/ivrmedia.h"

#define RATE_HZ 8000
#define FRAME 160 /* 20 ms at 8 kHz */
#define FRAMES 50 /* one second */

static int check(ivrm_status s, const char* what) {
  if (s != IVRM_OK) fprintf(stderr, "%s failed: %s (%d)\n", what, ivrm_strerror(s), (int)s);
  return s == IVRM_OK;
}

int main(void) {
  const double pi = 3.14159265358979323846;
  ivrm_g711_config cfg;
  size_t size = 0;
  void* block = NULL;
  char* arena = NULL;
  ivrm_g711 *pcmu = NULL, *pcma = NULL;
  double signal = 0.0, noise = 0.0;
  int f, i, ok = 1;

  printf("ivrmedia %s (header %s), kernels: %s\n", ivrm_version(), IVRM_VERSION_STRING,
         ivrm_simd_name(ivrm_simd_best()));
  if (ivrm_version_number() / 10000 != IVRM_VERSION_MAJOR) {
    fprintf(stderr, "library major version differs from the header's\n");
    return 1;
  }

  /* Two coders in one caller-owned, aligned block. */
  ivrm_g711_config_init(&cfg);
  if (!check(ivrm_g711_size(&cfg, &size), "ivrm_g711_size")) return 1;
  block = malloc(2 * size + IVRM_ALIGNMENT); /* C99 has no aligned_alloc: align by hand */
  if (block == NULL) return 1;
  arena = (char*)block + (IVRM_ALIGNMENT - (uintptr_t)block % IVRM_ALIGNMENT) % IVRM_ALIGNMENT;
  cfg.law = IVRM_G711_ULAW;
  ok = check(ivrm_g711_create_in(arena, size, &cfg, &pcmu), "create mu-law");
  cfg.law = IVRM_G711_ALAW;
  ok = ok && check(ivrm_g711_create_in(arena + size, size, &cfg, &pcma), "create A-law");

  for (f = 0; ok && f < FRAMES; ++f) {
    int16_t pcm[FRAME], back[FRAME];
    uint8_t ulaw[FRAME], alaw[FRAME];
    for (i = 0; i < FRAME; ++i) {
      const double t = (double)(f * FRAME + i) / RATE_HZ;
      pcm[i] = (int16_t)lrint(8000.0 * sin(2.0 * pi * 1000.0 * t));
    }
    ok = check(ivrm_g711_encode(pcmu, pcm, FRAME, ulaw), "encode") &&
         check(ivrm_g711_transcode(pcmu, ulaw, FRAME, alaw), "transcode") &&
         check(ivrm_g711_decode(pcma, alaw, FRAME, back), "decode");
    for (i = 0; ok && i < FRAME; ++i) {
      signal += (double)pcm[i] * pcm[i];
      noise += (double)(pcm[i] - back[i]) * (pcm[i] - back[i]);
    }
  }
  if (ok) printf("1 kHz tone via PCMU -> PCMA: SNR %.1f dB\n", 10.0 * log10(signal / noise));

  /* A caller keys "12#": the host feeds each 20 ms frame to its detector and polls events. */
  if (ok) {
    ivrm_dtmf_generator_config gcfg;
    ivrm_dtmf_detector_config dcfg;
    ivrm_dtmf_generator* caller = NULL;
    ivrm_dtmf_detector* det = NULL;
    char digits[16] = {0};
    size_t ndigits = 0;
    ivrm_dtmf_generator_config_init(&gcfg);
    ivrm_dtmf_detector_config_init(&dcfg);
    ok = check(ivrm_dtmf_generator_create(&gcfg, &caller), "create generator") &&
         check(ivrm_dtmf_detector_create(&dcfg, &det), "create detector") &&
         check(ivrm_dtmf_generator_queue(caller, "12#"), "queue digits");
    for (f = 0; ok && f < 40; ++f) { /* 0.8 s */
      int16_t frame[FRAME];
      ivrm_dtmf_event ev[4];
      size_t n = 0, k;
      ok = check(ivrm_dtmf_generator_generate(caller, frame, FRAME, NULL), "generate") &&
           check(ivrm_dtmf_detector_process(det, frame, FRAME), "detect") &&
           check(ivrm_dtmf_detector_read_events(det, ev, 4, &n), "read events");
      for (k = 0; ok && k < n; ++k) {
        if (ev[k].type == IVRM_DTMF_KEY_DOWN) {
          printf("frame %2d: key down '%c' (stop the prompt)\n", f, ev[k].digit);
        } else if (ndigits + 1 < sizeof digits) {
          digits[ndigits++] = ev[k].digit;
        }
      }
    }
    if (ok) printf("caller keyed \"%s\"\n", digits);
    ok = ok && strcmp(digits, "12#") == 0;
    ivrm_dtmf_generator_destroy(caller);
    ivrm_dtmf_detector_destroy(det);
  }

  /* Bad input gets a status, never a crash. */
  {
    const ivrm_status s = ivrm_g711_encode(pcmu, NULL, FRAME, NULL);
    printf("encode with NULL buffers -> %d: %s\n", (int)s, ivrm_strerror(s));
    ok = ok && s == IVRM_ERR_NULL;
  }

  ivrm_g711_destroy(pcmu); /* ends the handles; the arena is ours to free */
  ivrm_g711_destroy(pcma);
  free(block);
  return ok ? 0 : 1;
}
