#!/usr/bin/env bash
# Speech corpus for the ITU-T Q.24 DTMF talk-off test (tests/dtmf/test_dtmf_talkoff.cpp).
#
#   make_speech.sh OUTDIR
#
# Reads texts/{en,kk,ru}.txt (written for this test: IVR menus, numbers, addresses, everyday
# talk) and speaks each with espeak-ng (Debian package espeak-ng) in several voice variants,
# pitches and speeds, writing OUTDIR/<lang>_<variant>_p<pitch>_s<speed>_a<amplitude>.wav (mono,
# 16 bit, 22050 Hz): 12 files, about 48 minutes (14-17 per language). espeak-ng runs some 800
# times faster than real time, so this takes about 3 s.
#
# Deterministic: espeak-ng gives the same samples for the same text, voice and parameters. A
# stamp (hash of this script, the texts and the espeak-ng version) lets a rerun with nothing
# changed and every file present return at once. OUTDIR belongs to a build tree; the script
# refuses a directory inside the source tree that git does not ignore.
#
# Without espeak-ng: prints the package to install, writes OUTDIR/ESPEAK_NG_MISSING (the test
# then skips with that message) and exits 0.
set -euo pipefail
export LC_ALL=C.UTF-8

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src_root="$(cd "$here/../../.." && pwd)"
out="$(realpath -m "$1")"

# Never write into the source tree: a directory inside it must be one git ignores (build/), or,
# where git cannot tell (no repository, another owner), lie under build/.
case "$out/" in
  "$src_root"/*)
    rc=0
    git -C "$src_root" check-ignore -q "$out" 2>/dev/null || rc=$?
    if [ "$rc" -eq 1 ] || { [ "$rc" -ne 0 ] && [[ "$out/" != "$src_root"/build/* ]]; }; then
      echo "make_speech.sh: $out is inside the source tree; use a build directory" >&2
      exit 2
    fi
    ;;
esac
mkdir -p "$out"

# language  variant  pitch (-p, 0..99)  speed (-s, words per minute)  amplitude (-a)
# Male and female variants, low to high pitch, slow to fast; the amplitudes spread the files
# over some 8 dB (RMS -16 to -25 dBFS, the loudest peaks just under full scale).
params=(
  "en m1 40 165 100" "en f2 70 150 110" "en m3 25 190 80" "en f4 55 140 60"
  "ru m2 45 170 100" "ru f3 65 145 120" "ru m7 30 185 80" "ru f1 75 155 60"
  "kk m3 50 160 100" "kk f4 60 175 120" "kk m1 35 140 80" "kk f2 80 195 60"
)

if ! command -v espeak-ng >/dev/null 2>&1; then
  echo "make_speech.sh: espeak-ng not found: install the Debian package espeak-ng" \
    "(scripts/install-deps does); the talk-off speech test will be skipped" >&2
  rm -f "$out"/*.wav "$out/corpus.stamp"
  echo "espeak-ng not found: install the Debian package espeak-ng" >"$out/ESPEAK_NG_MISSING"
  exit 0
fi
rm -f "$out/ESPEAK_NG_MISSING"

names=()
for p in "${params[@]}"; do
  read -r lang variant pitch speed amp <<<"$p"
  names+=("${lang}_${variant}_p${pitch}_s${speed}_a${amp}.wav")
done
stamp="$({
  cat "${BASH_SOURCE[0]}" "$here"/texts/en.txt "$here"/texts/kk.txt "$here"/texts/ru.txt
  espeak-ng --version
} | sha256sum | cut -d' ' -f1)"
complete=1
for name in "${names[@]}"; do
  [ -f "$out/$name" ] || complete=0
done
if [ "$complete" -eq 1 ] && [ "$(cat "$out/corpus.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "make_speech.sh: corpus in $out is up to date (stamp $stamp)"
  exit 0
fi

rm -f "$out"/*.wav "$out/corpus.stamp"
start_ns=$(date +%s%N)
files=0
bytes=0
for i in "${!params[@]}"; do
  read -r lang variant pitch speed amp <<<"${params[$i]}"
  name="${names[$i]}"
  espeak-ng -v "$lang+$variant" -p "$pitch" -s "$speed" -a "$amp" \
    -f "$here/texts/$lang.txt" -w "$out/$name.part"
  mv "$out/$name.part" "$out/$name"
  files=$((files + 1))
  bytes=$((bytes + $(stat -c %s "$out/$name") - 44))
done
end_ns=$(date +%s%N)
echo "$stamp" >"$out/corpus.stamp"
awk -v f="$files" -v b="$bytes" -v ns="$((end_ns - start_ns))" -v d="$out" 'BEGIN {
  audio = b / 2 / 22050; wall = ns / 1e9;
  printf "make_speech.sh: %d files, %.1f min of speech in %.2f s (%.0fx real time) into %s\n",
         f, audio / 60, wall, audio / wall, d }'
