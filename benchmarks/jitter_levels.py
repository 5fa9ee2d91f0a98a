#!/usr/bin/env python3
"""Per call: which playout levels each buffer used, from an `ivrmedia-jitter-compare --trace` file.

With 20 ms packets pulled every 20 ms, a packet is due at the tick whose frame holds its first
sample, so on one call every buffer chooses among the same delays a frame apart (the tick phase
fixes them). What separates two buffers on a call is how long each sits on which level and what
each conceals there. This prints, per network model and seed, each buffer's mean delay,
concealed samples and frames spent a level above / below SpeexDSP's most used level.

    build/release/bin/ivrmedia-jitter-compare --seeds 10 --drifts 0 \\
        --presets wifi,mobile_lte,bursty_loss --trace /tmp/trace.csv
    /usr/bin/python3 benchmarks/jitter_levels.py /tmp/trace.csv
"""
import argparse
import collections
import csv


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trace", help="CSV written by ivrmedia-jitter-compare --trace")
    args = ap.parse_args()

    calls = collections.defaultdict(list)
    with open(args.trace, newline="") as f:
        for r in csv.DictReader(f):
            calls[(r["network"], r["drift_percent"], int(r["seed"]), r["buffer"])].append(r)

    keys = sorted({k[:3] for k in calls})
    print("| network | drift % | seed | buffer | mean delay ms | concealed samples "
          "| frames a level above | frames a level below |")
    print("|---|---:|---:|---|---:|---:|---:|---:|")
    for net, drift, seed in keys:
        speex = [float(r["delay_ms"]) for r in calls.get((net, drift, seed, "speexdsp"), [])
                 if r["delay_ms"]]
        # SpeexDSP's most used level (delays within 1 ms are one level).
        level = (collections.Counter(round(d) for d in speex).most_common(1)[0][0]
                 if speex else None)
        for buffer in ("ivrmedia", "speexdsp"):
            frames = calls.get((net, drift, seed, buffer))
            if not frames:
                continue
            delays = [float(r["delay_ms"]) for r in frames if r["delay_ms"]]
            concealed = sum(int(r["concealed_samples"]) for r in frames)
            mean = sum(delays) / len(delays) if delays else 0.0
            above = sum(d > level + 10 for d in delays) if level is not None else 0
            below = sum(d < level - 10 for d in delays) if level is not None else 0
            print(f"| {net} | {drift} | {seed} | {buffer} | {mean:.1f} | {concealed} "
                  f"| {above} | {below} |")


if __name__ == "__main__":
    main()
