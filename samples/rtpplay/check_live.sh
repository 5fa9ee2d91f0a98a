#!/usr/bin/env bash
# ctest check of ivrmedia-rtpplay --live: ffmpeg sends a WAV with in-band DTMF "12#" as RTP
# PCMU to a loopback port in real time (-re); the tool plays it through the jitter buffer,
# writes the WAV and finds the digits; ivrmedia-dtmf finds the same digits in the WAV.
#   check_live.sh TOOL FFMPEG DTMF_TOOL DIR   (DIR holds live_dtmf.wav from make_test_captures)
set -euo pipefail
tool=$1 ffmpeg=$2 dtmf=$3 dir=$4
work=$dir/live
mkdir -p "$work"
rm -f "$work"/*

# Port 0: the tool binds a free port and says which on stderr.
"$tool" --live 0 --idle 1 --wait 15 --out "$work/live.wav" --log "$work/live.csv" --json \
  >"$work/live.json" 2>"$work/live.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/live.err")
  [ -n "$port" ] && break
  sleep 0.05
done
[ -n "$port" ] || { echo "the tool did not start listening"; cat "$work/live.err"; exit 1; }

# ffmpeg's RTP muxer sends what its input packets hold (125 ms of WAV at a time, beyond the
# jitter buffer's 120 ms packet limit); asetnsamples makes 20 ms packets, paced by -re.
"$ffmpeg" -hide_banner -loglevel error -nostdin -re -i "$dir/live_dtmf.wav" \
  -af asetnsamples=n=160 -c:a pcm_mulaw -f rtp "rtp://127.0.0.1:$port" >/dev/null
wait $pid
trap - EXIT
cat "$work/live.err"
in_wav=$("$dtmf" "$work/live.wav" | cut -f1 | tr -d '\n')
[ "$in_wav" = "12#" ] || { echo "ivrmedia-dtmf finds '$in_wav' in the played WAV, expected 12#"; exit 1; }

/usr/bin/python3 - "$work" <<'PY'
import json, sys, wave
work = sys.argv[1]
with open(f"{work}/live.json") as f:
    r = json.load(f)
digits = "".join(d["digit"] for d in r["dtmf"]["digits"])
sources = {d["source"] for d in r["dtmf"]["digits"]}
lines = open(f"{work}/live.csv").read().splitlines()
with wave.open(f"{work}/live.wav") as w:
    rate, frames = w.getframerate(), w.getnframes()
s = r["statistics"]
errors = []
if digits != "12#" or sources != {"inband"}:
    errors.append(f"digits {digits} from {sources}, expected 12# in-band")
if s["received"] != 100 or s["lost"] != 0:  # 2 s of 20 ms packets
    errors.append(f"received {s['received']} lost {s['lost']}, expected 100 and 0")
if rate != 8000 or frames != len(lines) * 160 or len(lines) != r["frames"]:
    errors.append(f"WAV {frames} samples at {rate} Hz for {len(lines)} log lines, {r['frames']} frames")
# 2 s of audio and the idle second that ends the run (~150), with room for a loaded machine
# slowing ffmpeg's pacing.
if not 100 <= len(lines) <= 250:
    errors.append(f"{len(lines)} frames for 2 s of audio and 1 s idle")
kinds = {l.split(",")[2] for l in lines}
if not kinds <= {"normal", "concealed", "accelerated", "expanded", "merged", "cng"}:
    errors.append(f"unknown kinds {kinds}")
if errors:
    sys.exit("live: " + "; ".join(errors))
print(f"live: {digits} in-band, {len(lines)} frames, kinds {sorted(kinds)}")
PY
