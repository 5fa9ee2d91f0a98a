/* Smallest C host: version check, a coder, one encode/decode, clean up. */
#include <stdio.h>
#include <string.h>

#include <ivrmedia/ivrmedia.h>

int main(void) {
  ivrm_g711_config cfg;
  ivrm_g711* coder = NULL;
  const int16_t pcm[4] = {0, 1000, -1000, 32767};
  uint8_t codes[4];
  int16_t back[4];
  ivrm_status s;

  if (strcmp(ivrm_version(), IVRM_VERSION_STRING) != 0) {
    fprintf(stderr, "header %s but library %s\n", IVRM_VERSION_STRING, ivrm_version());
    return 1;
  }
  ivrm_g711_config_init(&cfg);
  cfg.law = IVRM_G711_ALAW;
  s = ivrm_g711_create(&cfg, &coder);
  if (s != IVRM_OK) {
    fprintf(stderr, "create: %s\n", ivrm_strerror(s));
    return 1;
  }
  s = ivrm_g711_encode(coder, pcm, 4, codes);
  if (s == IVRM_OK) s = ivrm_g711_decode(coder, codes, 4, back);
  ivrm_g711_destroy(coder);
  if (s != IVRM_OK || codes[0] != 0xD5 || back[3] != 32256) {
    fprintf(stderr, "unexpected result: %s\n", ivrm_strerror(s));
    return 1;
  }
  printf("C consumer OK, ivrmedia %s\n", ivrm_version());
  return 0;
}
