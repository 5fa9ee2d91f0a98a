#!/usr/bin/python3
"""Runs every Google Benchmark program of a build and writes benchmarks/RESULTS.md,
benchmarks/results.json and, when matplotlib is importable, benchmarks/plots/*.png. When the
build has ivrmedia-jitter-compare (SpeexDSP found), it also runs the jitter-buffer comparison
(benchmarks/plot_jitter.py: jitter_compare.json, plots/jitter_tradeoff*.png, a RESULTS.md
section).

Benchmarks are named GROUP/ROW with GROUP = OPERATION/LAW (e.g. g711_encode/mulaw/table). Each
row's speed is reported as a ratio to the `table` row of its group measured in the same run:
the machines this runs on are shared and noisy, so absolute rates swing 2-3x from minute to
minute while ratios within one run hold. Repetitions are interleaved at random across rows so a
slow minute hits every row alike; each row's figure is the median of its repetitions.

Usage (from anywhere): /usr/bin/python3 benchmarks/report.py [--build build/release]
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Per benchmark family (the longest matching prefix of the group name): the baseline row every
# row is divided by, and the ratio ivrmedia aims at.
FAMILIES = {
    "g711": ("table", 3.0),  # every coder at least 3x a plain lookup table
    "g722": ("spandsp", 1.5),  # encoder and decoder at least 1.5x spandsp's
    "dtmf_detect": ("spandsp", 2.0),  # one detector at least 2x spandsp's dtmf_rx per sample
    "dtmf_batch": ("spandsp", 8.0),  # the batch detector at least 8x, per channel-sample
    "dtmf": ("spandsp", 1.0),  # generator and masker: reported, no goal beyond parity
    "codec": ("direct", 1.0),  # the codec interface vs the coder underneath: reported (x realtime)
    "transcode": ("chained", 1.0),  # Transcoder vs decoder+resampler+encoder by hand: reported
    "opus": ("libopus", 0.97),  # the interface costs under 3 % over bare libopus
    "plc": ("spandsp", 1.0),  # concealment (G.711 Appendix I): reported against spandsp's plc
    "resample": ("speexdsp_q8", 3.0),  # default preset 3x speexdsp quality 8, no more latency
    # WSOLA accelerate / preemptive expand per 30 ms block against copying the block (what
    # dropping or repeating a frame costs): reported, no goal
    "time_stretch": ("copy", 0.0),
    # jitter::Buffer push + pull per packet against SpeexDSP's put + get + tick with the same
    # decoder: at least as fast (the absolute goal, under 200 ns per packet, is in the table)
    "jitter": ("speexdsp", 1.0),
    # Mixer per channel (two sources) against adding them and converting to int16 by hand;
    # the goal is absolute (x realtime = channels per core, >= 50,000 at 8 kHz), so no ratio
    # goal. mix_conference/K has no baseline row: x realtime = legs served per core.
    "mix": ("copy", 0.0),
}
BASELINE_ROWS = {b for b, _ in FAMILIES.values()}


def is_reference(row: str) -> bool:
    """A baseline row, or a second figure of the same peer (e.g. dtmf_batch's `spandsp_1stream`
    beside its `spandsp`): listed after the baseline, before ivrmedia's rows, never bold."""
    return row in BASELINE_ROWS or any(row.startswith(b + "_") for b in BASELINE_ROWS)


def family_of(group: str) -> tuple[str, float]:
    """(baseline row, goal ratio) of a group."""
    for prefix in sorted(FAMILIES, key=len, reverse=True):
        if group.startswith(prefix):
            return FAMILIES[prefix]
    return ("table", 1.0)
COMMAND = ("cmake --preset release && cmake --build --preset release && "
           "/usr/bin/python3 benchmarks/report.py")


def run_program(exe: Path, args: argparse.Namespace) -> dict:
    cmd = [
        str(exe),
        "--benchmark_format=json",
        f"--benchmark_repetitions={args.repetitions}",
        f"--benchmark_min_time={args.min_time}",
        "--benchmark_enable_random_interleaving=true",
    ]
    if args.filter:
        cmd.append(f"--benchmark_filter={args.filter}")
    print("running", shlex.join(cmd), file=sys.stderr, flush=True)
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    # A --filter that matches nothing in a program leaves its output empty.
    return json.loads(out) if out.strip() else {"benchmarks": []}


def collect(report: dict) -> dict[str, dict]:
    """Per benchmark: median and cv of items/s (Google Benchmark's aggregates, CPU time) and
    every repetition's raw figure."""
    rows: dict[str, dict] = {}
    for b in report["benchmarks"]:
        if b.get("error_occurred"):
            print(f"skipped {b['name']}: {b.get('error_message')}", file=sys.stderr)
            continue
        rate = b.get("items_per_second")
        if rate is None:
            continue
        name = b.get("run_name", b["name"]).removesuffix("/manual_time")
        row = rows.setdefault(name, {"repetitions": []})
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") in ("median", "cv"):
                row[b["aggregate_name"]] = rate
            # seconds of audio per CPU second (codec rows): one-way streams one core carries
            for counter in ("realtime", "paired_ratio"):
                if b.get("aggregate_name") == "median" and counter in b:
                    row[counter] = b[counter]
        else:
            row["repetitions"].append(rate)
            for counter in ("realtime", "paired_ratio"):
                if counter in b:
                    row.setdefault(counter + "_reps", []).append(b[counter])
    for row in rows.values():  # a single repetition has no aggregates
        row.setdefault("median", row["repetitions"][0] if row["repetitions"] else float("nan"))
        for counter in ("realtime", "paired_ratio"):
            if counter + "_reps" in row:
                row.setdefault(counter, row[counter + "_reps"][0])
    return rows


def group_rows(rows: dict[str, dict]) -> dict[str, dict[str, dict]]:
    groups: dict[str, dict[str, dict]] = {}
    for name, data in rows.items():
        group, _, row = name.rpartition("/")
        groups.setdefault(group or name, {})[row] = data
    for name, group in groups.items():
        base = group.get(family_of(name)[0], {}).get("median")
        for data in group.values():
            data["ratio"] = data["median"] / base if base else None
            if "paired_ratio" in data:  # timed in alternation with the baseline: the sharper figure
                data["ratio"] = data["paired_ratio"]
    return groups


def row_order(item: tuple[str, dict]) -> tuple:
    row, data = item
    return (row not in BASELINE_ROWS, not is_reference(row),
            data["ratio"] if data["ratio"] is not None else 0.0, row)


def cache_value(build: Path, key: str) -> str | None:
    cache = build / "CMakeCache.txt"
    if not cache.exists():
        return None
    m = re.search(rf"^{key}:\w+=(.*)$", cache.read_text(), re.M)
    return m.group(1) if m else None


def first_line(cmd: list[str]) -> str | None:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT).stdout
        return out.splitlines()[0].strip() if out.strip() else None
    except OSError:
        return None


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info(build: Path, context: dict, args: argparse.Namespace) -> dict:
    commit = first_line(["git", "rev-parse", "--short", "HEAD"])
    dirty = first_line(["git", "status", "--porcelain", "--untracked-files=no"])
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "mhz_per_cpu": context.get("mhz_per_cpu"),
        "kernel": platform.release(),
        "compiler": first_line([cache_value(build, "CMAKE_CXX_COMPILER") or "c++", "--version"]),
        "build_type": cache_value(build, "CMAKE_BUILD_TYPE"),
        "build_dir": str(build),
        "ivrmedia_version": context.get("ivrmedia_version")
        or cache_value(build, "CMAKE_PROJECT_VERSION"),
        "ivrmedia_best_simd": context.get("ivrmedia_best_simd"),
        "git_commit": (commit or "unknown") + (" (with local changes)" if dirty else ""),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load_avg_at_start": context.get("load_avg"),
        "load_avg_at_end": [round(x, 2) for x in os.getloadavg()],
        "samples_per_row": context.get("samples"),
        "repetitions": args.repetitions,
        "min_time_s": args.min_time,
        "benchmark_library_build_type": context.get("library_build_type"),
    }


def human(rate: float) -> str:
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if rate >= scale:
            return f"{rate / scale:.2f} {unit}"
    return f"{rate:.0f}"


def plot(groups: dict, outdir: Path) -> list[Path]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not importable: no plots", file=sys.stderr)
        return []
    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.glob("*.png"):  # generated directory: drop charts of renamed groups
        old.unlink()
    files = []
    def plot_family(group: str) -> str:  # g711_encode/x -> g711, resample/8000_16000 -> resample
        return group.split("/")[0].split("_")[0]

    for family in sorted({plot_family(g) for g in groups}):
        names = sorted(g for g in groups if plot_family(g) == family)
        ncols = 2
        nrows = (len(names) + ncols - 1) // ncols
        fig, axes = plt.subplots(nrows, ncols, figsize=(10, 2.6 * nrows), squeeze=False)
        for ax, g in zip(axes.flat, names):
            rows = sorted(groups[g].items(), key=row_order)
            labels = [r for r, _ in rows]
            values = [d["ratio"] or 0.0 for _, d in rows]
            bars = ax.barh(labels, values, color=["#999999" if is_reference(r) else "#3b75af"
                                                  for r in labels])
            goal = family_of(g)[1]
            ax.bar_label(bars, labels=[f"{v:.2f}x" for v in values], fontsize=7, padding=2)
            ax.axvline(1.0, color="black", lw=0.8)
            ax.axvline(goal, color="#c0392b", lw=0.8, ls="--")
            ax.set_xlim(0, max(values + [goal]) * 1.2)
            ax.set_title(f"{g} (vs {family_of(g)[0]})", fontsize=9)
            ax.tick_params(labelsize=8)
        for ax in list(axes.flat)[len(names):]:
            ax.set_visible(False)
        fig.supxlabel("speed / baseline row (same run; dashed line: goal)", fontsize=9)
        fig.tight_layout()
        path = outdir / f"{family}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        files.append(path)
    return files


def markdown(groups: dict, machine: dict, plots: list[Path], invoked: str) -> str:
    m = machine
    lines = [
        "# Benchmark results",
        "",
        "Generated by `benchmarks/report.py`; do not edit by hand. Reproduce everything (build,",
        "run every benchmark program, rewrite this file, `results.json` and `plots/`) from the",
        "repository root with:",
        "",
        "```sh",
        COMMAND,
        "```",
        "",
        "`benchmarks/run` runs exactly that. This file came from: `" + invoked + "`.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPU | {m['cpu']}, {m['cores']} cores, {m['mhz_per_cpu']} MHz (kernel {m['kernel']}) |",
        f"| compiler | {m['compiler']} ({m['build_type']}) |",
        f"| ivrmedia | {m['ivrmedia_version']}, best SIMD level {m['ivrmedia_best_simd']}, "
        f"commit {m['git_commit']} |",
        f"| date | {m['date']} |",
        f"| load average | {m['load_avg_at_start']} at start, {m['load_avg_at_end']} at end |",
        f"| method | {m['samples_per_row']} samples per call, median of {m['repetitions']} "
        f"repetitions of at least {m['min_time_s']} s, interleaved at random |",
        "",
        "## How to read",
        "",
        "*ratio* is a row's speed divided by the speed of the baseline row of the same group,",
        "both measured in this run on the same input. G.711 groups: the baseline is `table`,",
        "on 2^21 samples of non-repeating speech-like audio (decoders read its codes); `table`",
        "is a plain lookup-table coder written in the",
        "benchmark: 64 Ki entries indexed by the sample's 16 bits to encode, 256 to decode; the",
        "`_f32` groups convert float32 in a compiler-vectorized loop before the table (encode) or",
        "read a 256-entry float table (decode). This machine is shared and noisy: the same loop",
        "runs 2-3x faster or slower from one minute to the next, so absolute items/s are only a",
        "snapshot and only ratios from one run mean anything; cv is the spread of the",
        "repetitions (stddev / mean). DTMF groups: the baseline is spandsp's `dtmf_rx`",
        "(`dtmf_tx` for the generator) on the same speech-like audio; batch rows count",
        "channel-samples, and the batch's baseline is 256 `dtmf_rx` states fed the batch's own",
        "256 channels (int16) in 20 ms frames, channel after channel per tick, as a media server",
        "runs them; `spandsp_1stream` beside it is one `dtmf_rx` on one 2^20-sample stream",
        "(the other DTMF groups' baseline; a row's ratio to it is its ratio divided by",
        "`spandsp_1stream`'s). G.722 groups: spandsp's coder on the same 16 kHz speech-like",
        "audio in 20 ms frames. Goals: G.711 3x the table; one DTMF detector 2x spandsp per sample;",
        "the batch detector 8x spandsp per channel-sample; G.722 1.5x spandsp.",
        "Resampler groups (`resample/<in>_<out>`): mono float32 in 20 ms chunks of 8 s of",
        "speech-like audio, items = input frames; the baseline is speexdsp at quality 8,",
        "`soxr_hq` is soxr's HQ recipe, `ivrmedia` the default (standard) preset and the other",
        "`ivrmedia_*` rows the other presets and the scalar kernel. bench_resampler prints every",
        "row's measured latency, rejection and ripple to stderr (also as counters). Goal: the",
        "default preset 3x speexdsp quality 8 at no more latency.",
        "Codec groups (`codec_*`, `opus_*`, `transcode/*`): 12 s of speech-like audio in 20 ms",
        "payloads, items = PCM samples. `codec_*` rows divide the interface (`ivrmedia`) by the",
        "coder called directly (`direct`); `opus_*` rows by bare libopus calls with the same",
        "settings (goal: at most 3 % overhead, ratio >= 0.97; the `ivrmedia_paired` rows alternate",
        "libopus and the interface frame by frame and also give that ratio from the same",
        "alternation, which this machine's drift cannot skew); `transcode/*` rows by the same",
        "decoder, resampler and encoder chained by hand. *x realtime* is seconds of audio",
        "processed per CPU second: the number of one-way streams (or transcoded legs) one core",
        "carries.",
        "Jitter groups (`jitter_push_pull/<payload>`): one push of a datagram and one 20 ms pull",
        "per item, i.e. per packet, on 60 s of speech-like audio whose RTP headers run on every",
        "lap; the baseline is SpeexDSP's jitter_buffer_put + get + tick followed by the same",
        "decoder; `decode_only` is the decoder alone; `l16` makes decoding nearly free. Goals:",
        "at least SpeexDSP's speed, and under 200 ns per packet (5 M items/s) with PCMU.",
        "Mixing (`mix_channel/<rate>`): a Mixer with a prompt and music (speech-like,",
        "-26 / -32 dBFS), float in, int16 out, 20 ms frames; *x realtime* = channels one core",
        "mixes in real time (goal at 8 kHz: 50,000); `copy` adds the two sources and converts",
        "by hand, `ivrmedia_loud` keeps the limiter working. `mix_conference/<K>`: K talking",
        "legs at 8 kHz, items = leg-samples, *x realtime* = legs one core serves.",
        "",
        "## Results",
        "",
        "| group | row | items/s | ratio vs baseline | cv | x realtime |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for g in sorted(groups):
        for row, d in sorted(groups[g].items(), key=row_order):
            digits = 3 if "paired_ratio" in d else 2
            ratio = f"{d['ratio']:.{digits}f}" if d["ratio"] is not None else "n/a"
            cv = f"{d['cv'] * 100:.1f}%" if "cv" in d else ""
            if d["ratio"] is not None and row.startswith("ivrmedia"):
                ratio = f"**{ratio}**" if d["ratio"] >= family_of(g)[1] else ratio
            rt = f"{d['realtime']:,.0f}" if "realtime" in d else ""
            if "paired_ratio" in d:  # in-run pairing against the baseline: see bench_codec.cpp
                ratio += " (paired)"
            lines.append(f"| {g} | {row} | {human(d['median'])} | {ratio} | {cv} | {rt} |")
    lines += ["", "Bold: at or above the group's goal.", ""]
    if m.get("benchmark_library_build_type") == "debug":
        lines += [
            "Google Benchmark prints \"Library was built as DEBUG\": that is Debian's",
            "libbenchmark package, the timing harness; ivrmedia and these loops are built",
            f"{m['build_type']}.",
            "",
        ]
    for p in plots:
        lines.append(f"![{p.stem}](plots/{p.name})")
    return "\n".join(lines) + "\n"


def jitter_comparison(build: Path, out: Path, args: argparse.Namespace) -> tuple[list[str],
                                                                               list[Path]]:
    """Runs ivrmedia-jitter-compare (if built) through plot_jitter.py: RESULTS.md lines, plots."""
    sys.path.insert(0, str(HERE))
    import plot_jitter

    exe = plot_jitter.find_compare(build)
    if exe is None or args.no_jitter_compare:
        return [], []
    text, data = plot_jitter.run_compare(exe, out / "jitter_compare.json", args.jitter_seconds,
                                         args.jitter_seeds)
    plots = plot_jitter.plot(data, out / "plots")
    cmd = (f"{exe.relative_to(ROOT) if exe.is_relative_to(ROOT) else exe} --sweep "
           f"--seconds {args.jitter_seconds} --seeds {args.jitter_seeds}")
    lines = [
        "## Jitter buffer against SpeexDSP (simulated calls)",
        "",
        "`ivrmedia-jitter-compare` (benchmarks/jitter_compare/) replays the same simulated calls",
        "through `jitter::Buffer` (defaults: adaptive, delay_quantile 0.95) and SpeexDSP's jitter",
        "buffer (jitter_buffer_init(160): one-frame delay steps and concealment units, its",
        "defaults otherwise: margin 0, max late rate 4 %, automatic late cost; put on arrival,",
        "get(160) then tick each 20 ms, INSERTION spans honoured, remaining_span() on ticks that",
        "need no get), on every sim preset with the sender's clock also off by -1 .. +1 %.",
        "*conceal time* counts every made-up sample between the first and the last frame of the",
        "call's audio (concealment, speex's INSERTION frames, silence played while packets are",
        "missing); *delay* is the tick that plays a frame minus the time its first sample was",
        "sent (receiver clock; network delay included). Curves in `plots/jitter_tradeoff*.png`,",
        f"numbers in `jitter_compare.json`. This section came from: `{cmd}`.",
        "",
    ]
    lines += text.rstrip("\n").splitlines()
    lines.append("")
    return lines, plots


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--build", default="build/release",
                    help="build directory, relative to the repository root unless it exists "
                         "relative to the current directory (default build/release)")
    ap.add_argument("--repetitions", type=int, default=5)
    ap.add_argument("--min-time", type=float, default=0.2, help="seconds per repetition")
    ap.add_argument("--filter", help="--benchmark_filter regex passed to every program")
    ap.add_argument("--out", default=str(HERE), help="where RESULTS.md, results.json, plots/ go")
    ap.add_argument("--jitter-seconds", type=int, default=60,
                    help="seconds per simulated call in the jitter-buffer comparison")
    ap.add_argument("--jitter-seeds", type=int, default=10, help="calls per network model")
    ap.add_argument("--no-jitter-compare", action="store_true",
                    help="skip ivrmedia-jitter-compare (benchmark programs only)")
    args = ap.parse_args()

    build = Path(args.build)
    if not build.is_absolute() and not build.exists():
        build = ROOT / build
    build = build.resolve()
    programs = sorted(p for p in (build / "bin").glob("bench_*") if os.access(p, os.X_OK))
    if not programs:
        print(f"no bench_* programs in {build / 'bin'}: build first ({COMMAND})", file=sys.stderr)
        return 1
    if cache_value(build, "CMAKE_BUILD_TYPE") not in ("Release", "RelWithDebInfo"):
        print(f"warning: {build} is not an optimized build", file=sys.stderr)

    rows: dict[str, dict] = {}
    context: dict = {}
    for exe in programs:
        report = run_program(exe, args)
        context = {**report.get("context", {}), **context}
        rows.update(collect(report))
    groups = group_rows(rows)
    machine = machine_info(build, context, args)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    invoked = "/usr/bin/python3 benchmarks/report.py " + shlex.join(sys.argv[1:])
    results = {
        "command": COMMAND,
        "invoked": invoked.strip(),
        "machine": machine,
        "families": {k: {"baseline": b, "goal_ratio": g} for k, (b, g) in FAMILIES.items()},
        "groups": groups,
    }
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    plots = plot(groups, out / "plots")
    jitter_lines, jitter_plots = jitter_comparison(build, out, args)
    text = markdown(groups, machine, plots, invoked.strip())
    if jitter_lines:
        text += "\n" + "\n".join(jitter_lines) + "\n"
        text += "\n".join(f"![{p.stem}](plots/{p.name})" for p in jitter_plots) + "\n"
    (out / "RESULTS.md").write_text(text)
    print(f"wrote {out / 'RESULTS.md'}, {out / 'results.json'}"
          + (f", {len(plots)} plot(s)" if plots else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
