#!/usr/bin/env python3
"""Runs every Google Benchmark program of a build and writes benchmarks/RESULTS.md,
benchmarks/results.json and (with matplotlib) benchmarks/plots/*.png.

Benchmarks are named GROUP/ROW. Each row's speed is reported as a ratio to its group's baseline
row measured in the same run (`table` for G.711): the machines this runs on are shared and
noisy, so absolute figures swing 2-3x from minute to minute while ratios hold.

Usage: /usr/bin/python3 benchmarks/report.py [--build build/release] [--repetitions 5]
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASELINES = ("table", "spandsp_dtmf_rx", "speexdsp")  # first one present in a group wins


def run_program(exe: Path, repetitions: int, min_time: float) -> dict:
    cmd = [
        str(exe),
        "--benchmark_format=json",
        f"--benchmark_repetitions={repetitions}",
        "--benchmark_report_aggregates_only=true",
        f"--benchmark_min_time={min_time}",
    ]
    print("running", " ".join(cmd), file=sys.stderr)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def medians(report: dict) -> dict[str, float]:
    """items/s per benchmark, median over repetitions (or the single run)."""
    rows: dict[str, float] = {}
    for b in report["benchmarks"]:
        name = b.get("run_name", b["name"])
        rate = b.get("items_per_second")
        if rate is None:
            continue
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                rows[name] = rate
        else:
            rows.setdefault(name, rate)
    return rows


def group_rows(rows: dict[str, float]) -> dict[str, dict[str, float]]:
    groups: dict[str, dict[str, float]] = {}
    for name, rate in rows.items():
        group, _, row = name.partition("/")
        groups.setdefault(group, {})[row or group] = rate
    return groups


def baseline_of(rows: dict[str, float]) -> str | None:
    for b in BASELINES:
        if b in rows:
            return b
    return None


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def compiler(build: Path) -> str:
    cache = build / "CMakeCache.txt"
    cxx = "c++"
    if cache.exists():
        m = re.search(r"^CMAKE_CXX_COMPILER:\w+=(.*)$", cache.read_text(), re.M)
        if m:
            cxx = m.group(1)
    try:
        return subprocess.run([cxx, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return cxx


def human(rate: float) -> str:
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if rate >= scale:
            return f"{rate / scale:.2f} {unit}"
    return f"{rate:.0f}"


def plot(groups: dict, ratios: dict, outdir: Path) -> list[Path]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not found: no plots", file=sys.stderr)
        return []
    outdir.mkdir(parents=True, exist_ok=True)
    files = []
    prefixes = sorted({g.split("_")[0] for g in groups})
    for prefix in prefixes:
        names = [g for g in groups if g.split("_")[0] == prefix]
        fig, axes = plt.subplots(1, len(names), figsize=(4.2 * len(names), 3.6), squeeze=False)
        for ax, g in zip(axes[0], names):
            rows = list(ratios[g])
            ax.barh(rows, [ratios[g][r] for r in rows], color="#3b75af")
            ax.axvline(1.0, color="black", lw=0.8)
            ax.set_title(g, fontsize=9)
            ax.set_xlabel(f"speed / {baseline_of(groups[g])}")
            ax.tick_params(labelsize=8)
        fig.tight_layout()
        path = outdir / f"{prefix}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        files.append(path)
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--build", default=str(ROOT / "build" / "release"))
    ap.add_argument("--repetitions", type=int, default=5)
    ap.add_argument("--min-time", type=float, default=0.2, help="seconds per repetition")
    ap.add_argument("--out", default=str(HERE), help="where RESULTS.md, results.json, plots/ go")
    args = ap.parse_args()

    build = Path(args.build)
    programs = sorted(p for p in (build / "bin").glob("bench_*") if os.access(p, os.X_OK))
    if not programs:
        print(f"no bench_* programs in {build / 'bin'}: build the release preset first", file=sys.stderr)
        return 1

    rows: dict[str, float] = {}
    context = {}
    for exe in programs:
        report = run_program(exe, args.repetitions, args.min_time)
        context = report.get("context", context)
        rows.update(medians(report))
    groups = group_rows(rows)
    ratios = {}
    for g, r in groups.items():
        base = baseline_of(r)
        ratios[g] = {row: (rate / r[base] if base else float("nan")) for row, rate in r.items()}

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    machine = {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "compiler": compiler(build),
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "library_version": (build / "CMakeCache.txt").exists()
        and re.search(r"^CMAKE_PROJECT_VERSION:\w+=(.*)$", (build / "CMakeCache.txt").read_text(), re.M).group(1),
        "repetitions": args.repetitions,
        "load_avg": context.get("load_avg"),
    }
    (out / "results.json").write_text(
        json.dumps({"machine": machine, "items_per_second": groups, "ratios": ratios}, indent=2) + "\n"
    )
    plots = plot(groups, ratios, out / "plots")

    lines = [
        "# Benchmark results",
        "",
        "Reproduce (builds the release preset, runs every benchmark program, rewrites this file,",
        "`results.json` and `plots/`):",
        "",
        "```sh",
        "benchmarks/run",
        "```",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores; {machine['compiler']}; "
        f"ivrmedia {machine['library_version']}; {machine['date']}; median of "
        f"{args.repetitions} repetitions.",
        "",
        "How to read: *ratio* is the row's speed divided by its group's baseline row (`table`,",
        "a plain lookup-table coder: 64 Ki entries to encode, 256 to decode), both timed in the",
        "same run on the same non-repeating speech-like input. This machine is shared and noisy",
        "(the same loop swings 2-3x from minute to minute), so compare ratios, not absolute",
        "rates. `_float` rows take float32 input or give float32 output.",
        "",
    ]
    for g in sorted(groups):
        base = baseline_of(groups[g])
        lines += [f"## {g}", "", f"| row | items/s | ratio vs {base} |", "|---|---:|---:|"]
        for row, rate in sorted(groups[g].items(), key=lambda kv: kv[1]):
            lines.append(f"| {row} | {human(rate)} | {ratios[g][row]:.2f} |")
        lines.append("")
    for p in plots:
        lines.append(f"![{p.stem}](plots/{p.name})")
    (out / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {out / 'RESULTS.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
