/* c_host: how a plain C IVR host uses ivrmedia. It checks the library version, places two
 * G.711 coders in one arena (the way a host keeps thousands), sends a 1 kHz tone through
 * mu-law frame by frame (20 ms, the usual RTP ptime), converts the codes to A-law for a
 * second trunk, collects a caller's DTMF digits frame by frame, runs a G.722 leg through the
 * codec interface with a lost packet concealed, bridges that leg to a PCMU trunk with a
 * transcoder, receives a PCMU call's RTP packets through a jitter buffer, and shows how errors
 * are reported. */
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

  /* A G.722 leg: static payload type 9 names the format. Each 20 ms packet carries 320 samples
   * at 16 kHz, yet the RTP timestamp advances by 160 (RFC 3551: G722's clock is 8000 Hz). One
   * packet is lost on the way and concealed. */
  if (ok) {
    const char* name = NULL;
    int32_t clock_hz = 0, channels = 0;
    ivrm_encoder_config ecfg;
    ivrm_decoder_config dcfg;
    ivrm_encoder* enc = NULL;
    ivrm_decoder* dec = NULL;
    ivrm_codec_info info;
    uint32_t timestamp = 0;
    size_t decoded = 0;
    ok = check(ivrm_codec_static_payload(9, &name, &clock_hz, &channels), "static payload 9");
    ivrm_encoder_config_init(&ecfg);
    ivrm_decoder_config_init(&dcfg);
    ecfg.payload_name = dcfg.payload_name = name;
    ecfg.clock_rate_hz = dcfg.clock_rate_hz = clock_hz;
    ecfg.format_channels = dcfg.format_channels = channels;
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    ok = ok && check(ivrm_encoder_create(&ecfg, &enc), "create G722 encoder") &&
         check(ivrm_decoder_create(&dcfg, &dec), "create G722 decoder") &&
         check(ivrm_encoder_info(enc, &info), "encoder info") && info.frame_samples == 2 * FRAME;
    for (f = 0; ok && f < 10; ++f) {
      int16_t pcm[2 * FRAME], out[2 * FRAME];
      uint8_t payload[FRAME];
      size_t written = 0, n = 0;
      for (i = 0; i < 2 * FRAME; ++i) {
        const double t = (double)(f * 2 * FRAME + i) / info.sample_rate_hz;
        pcm[i] = (int16_t)lrint(8000.0 * sin(2.0 * pi * 1000.0 * t));
      }
      ok = check(ivrm_encoder_encode(enc, pcm, 2 * FRAME, payload, sizeof payload, &written),
                 "G722 encode");
      if (ok && f == 5) { /* lost in transit: conceal the packet's duration */
        ok = check(ivrm_decoder_conceal(dec, out, 2 * FRAME), "G722 conceal");
        n = 2 * FRAME;
      } else if (ok) {
        ok = check(ivrm_decoder_decode(dec, payload, written, out, 2 * FRAME, &n), "G722 decode");
      }
      decoded += n;
      timestamp += (uint32_t)(n * (size_t)info.rtp_clock_hz / (size_t)info.sample_rate_hz);
    }
    if (ok) {
      printf("%s/%d: %lu samples at %d Hz (one packet concealed), RTP timestamp +%lu\n", name,
             (int)info.rtp_clock_hz, (unsigned long)decoded, (int)info.sample_rate_hz,
             (unsigned long)timestamp);
    }
    ok = ok && timestamp == 10 * FRAME;
    ivrm_encoder_destroy(enc);
    ivrm_decoder_destroy(dec);
  }

  /* The same G722 phone bridged to a G.711 trunk: a transcoder takes its payloads (and the
   * timestamp gap of a lost one) and gives PCMU payloads of 20 ms; the resampler inside keeps
   * both legs' RTP timestamps locked. */
  if (ok) {
    ivrm_transcoder_config tcfg;
    ivrm_encoder_config ecfg;
    ivrm_transcoder* tr = NULL;
    ivrm_encoder* phone = NULL;
    ivrm_transcoder_stats stats;
    uint32_t in_ts = 0, out_ts = 0;
    ivrm_transcoder_config_init(&tcfg);
    tcfg.input.payload_name = "G722";
    tcfg.output.payload_name = "PCMU";
    ivrm_encoder_config_init(&ecfg);
    ecfg.payload_name = "G722";
    ok = check(ivrm_transcoder_create(&tcfg, &tr), "create G722 -> PCMU transcoder") &&
         check(ivrm_encoder_create(&ecfg, &phone), "create G722 encoder");
    for (f = 0; ok && f < 10; ++f) {
      int16_t pcm[2 * FRAME];
      uint8_t payload[FRAME], trunk[FRAME];
      size_t written = 0;
      for (i = 0; i < 2 * FRAME; ++i) {
        const double t = (double)(f * 2 * FRAME + i) / 16000.0;
        pcm[i] = (int16_t)lrint(8000.0 * sin(2.0 * pi * 440.0 * t));
      }
      ok = check(ivrm_encoder_encode(phone, pcm, 2 * FRAME, payload, sizeof payload, &written),
                 "G722 encode");
      if (ok && f == 5) {
        ok = check(ivrm_transcoder_push_loss(tr, FRAME), "conceal"); /* gap of 160 units */
      } else if (ok) {
        ok = check(ivrm_transcoder_push(tr, payload, written), "push");
      }
      in_ts += FRAME; /* G722's 8 kHz RTP clock */
      while (ok) {    /* every payload that is ready */
        ok = check(ivrm_transcoder_pull(tr, trunk, sizeof trunk, &written), "pull");
        if (!ok || written == 0) break;
        out_ts += FRAME; /* send trunk[0..written) with this timestamp */
      }
    }
    memset(&stats, 0, sizeof stats);
    stats.struct_size = sizeof stats;
    ok = ok && check(ivrm_transcoder_get_stats(tr, &stats), "transcoder stats");
    if (ok) {
      printf("G722 -> PCMU: %ld payloads out (%ld samples concealed), RTP +%lu in, +%lu out\n",
             (long)stats.packets_out, (long)stats.concealed_samples, (unsigned long)in_ts,
             (unsigned long)out_ts);
    }
    ok = ok && out_ts == in_ts && stats.packets_out == 10;
    ivrm_encoder_destroy(phone);
    ivrm_transcoder_destroy(tr);
  }

  /* The receive path: RTP packets of a PCMU call arrive with up to 14 ms of jitter, one overtaken
   * by the next and one lost; the jitter buffer takes each datagram as it arrives and gives one
   * 20 ms frame per tick, concealing the lost packet (and a frame while it waits for the late
   * one). Arrival and tick times are microseconds on one monotonic clock of the host's. */
  if (ok) {
    ivrm_rtp_builder_config bcfg;
    ivrm_jitter_config jcfg;
    ivrm_rtp_builder* sender = NULL;
    ivrm_jitter* jb = NULL;
    ivrm_jitter_stats js;
    uint8_t packets[FRAMES][12 + FRAME];
    size_t sizes[FRAMES];
    int concealed = 0, rejected = 0; /* not RTP, or a payload type not bound: counted, go on */
    ivrm_rtp_builder_config_init_random(&bcfg, 0x1234abcdu); /* seed from the host's entropy */
    ivrm_jitter_config_init(&jcfg); /* 8 kHz, 20 ms, PCMU 0, PCMA 8, CN 13 */
    jcfg.telephone_event_payload_type = 101;
    ok = check(ivrm_rtp_builder_create(&bcfg, &sender), "create RTP builder") &&
         check(ivrm_jitter_create(&jcfg, &jb), "create jitter buffer");
    for (f = 0; ok && f < FRAMES; ++f) { /* the far end: a tone in PCMU packets */
      int16_t pcm[FRAME];
      uint8_t ulaw[FRAME];
      for (i = 0; i < FRAME; ++i) {
        pcm[i] = (int16_t)lrint(8000.0 * sin(2.0 * pi * 440.0 * (f * FRAME + i) / RATE_HZ));
      }
      ok = check(ivrm_g711_encode(pcmu, pcm, FRAME, ulaw), "encode") &&
           check(ivrm_rtp_builder_build(sender, ulaw, FRAME, FRAME, f == 0, NULL, 0, packets[f],
                                        sizeof packets[f], &sizes[f]),
                 "build RTP");
    }
    for (f = 0; ok && f < FRAMES; ++f) {                  /* the host's 20 ms ticks */
      const int64_t tick_us = 40000 + (int64_t)f * 20000; /* playout starts 40 ms in */
      int16_t frame[FRAME];
      ivrm_jitter_frame_info info;
      int k;
      for (k = 0; ok && k < FRAMES; ++k) { /* packets arriving in this tick's 20 ms */
        const int64_t arrival_us = (int64_t)k * 20000 + (k % 3) * 7000 + (k == 20 ? 20000 : 0) -
                                   (k == 21 ? 20000 : 0); /* 21 overtakes 20 */
        if (k == 30) continue;                            /* lost */
        if ((f > 0 && arrival_us <= tick_us - 20000) || arrival_us > tick_us) continue;
        if (ivrm_jitter_push(jb, packets[k], sizes[k], arrival_us) != IVRM_OK) ++rejected;
      }
      info.struct_size = sizeof info;
      ok = check(ivrm_jitter_pull(jb, frame, FRAME, tick_us, &info), "pull");
      concealed += ok && info.kind == IVRM_JITTER_FRAME_CONCEALED;
    }
    memset(&js, 0, sizeof js);
    js.struct_size = sizeof js;
    ok = ok && check(ivrm_jitter_get_stats(jb, &js), "jitter stats");
    if (ok) {
      printf(
          "jitter buffer: %ld packets, %ld lost, %ld late, %ld reordered, %d frames concealed, "
          "delay %d ms, MOS %.2f\n",
          (long)js.received, (long)js.lost, (long)js.late, (long)js.reordered, concealed,
          (int)js.current_delay_ms, js.mos);
    }
    ok = ok && js.lost == 1 && concealed >= 1 && rejected == 0;
    ivrm_jitter_destroy(jb);
    ivrm_rtp_builder_destroy(sender);
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
