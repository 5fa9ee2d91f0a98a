#!/usr/bin/python3
"""Delay / concealment trade-off of ivrmedia's jitter buffer and SpeexDSP's, per network model.

Runs ivrmedia-jitter-compare (built when libspeexdsp-dev is found) with --sweep --json, keeps its
JSON and markdown tables, and draws one panel per network model: mean send-to-play delay (x)
against the share of played audio that was made up (y: concealment, speex's insertions, silence
while packets were missing). Each buffer's knob sweep is a line (ivrmedia: delay_quantile and
min_delay_ms; speex: JITTER_BUFFER_SET_LATE_COST and JITTER_BUFFER_SET_MARGIN); the stars are
the defaults the side-by-side table compares. Down and to the left is better.

Writes plots/jitter_tradeoff.png (no clock drift) and plots/jitter_tradeoff_drift.png (sender
clock -1 % .. +1 %). benchmarks/report.py calls it, so `benchmarks/run` reproduces everything.

Usage: /usr/bin/python3 benchmarks/plot_jitter.py [--build build/release] [--seconds 60]
       [--seeds 10] [--json existing.json]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
COMPARE = "ivrmedia-jitter-compare"

STYLE = {  # (buffer, knob) -> colour, marker, label
    ("ivrmedia", "delay_quantile"): ("#3b75af", "o", "ivrmedia, delay_quantile 0.5-0.995"),
    ("ivrmedia", "min_delay_ms"): ("#7fb2e5", "s", "ivrmedia, min_delay_ms 20-160"),
    ("speexdsp", "late_cost"): ("#c0392b", "o", "speexdsp, LATE_COST 10-1280"),
    ("speexdsp", "margin"): ("#f1948a", "s", "speexdsp, MARGIN 40-640"),
}


def find_compare(build: Path) -> Path | None:
    exe = build / "bin" / COMPARE
    return exe if exe.exists() else None


def run_compare(exe: Path, json_path: Path, seconds: int, seeds: int) -> tuple[str, dict]:
    """Runs the comparison with every sweep; returns its markdown output and its JSON."""
    cmd = [str(exe), "--sweep", "--seconds", str(seconds), "--seeds", str(seeds),
           "--json", str(json_path)]
    print("running", " ".join(cmd), file=sys.stderr, flush=True)
    text = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return text, json.loads(json_path.read_text())


def curve(rows: list[dict], buffer: str, knob: str) -> list[dict]:
    """The knob's points plus the default (which sits on the knob's line), by delay."""
    pts = [r for r in rows if r["buffer"] == buffer and (r["knob"] == knob or r["default"])]
    return sorted(pts, key=lambda r: r["mean_delay_ms"])


def draw(scenarios: list[dict], path: Path, title: str) -> Path | None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not importable: no jitter plots", file=sys.stderr)
        return None
    if not scenarios:
        return None
    ncols = 3 if len(scenarios) > 4 else 2
    nrows = (len(scenarios) + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, 3.4 * nrows), squeeze=False)
    for ax, sc in zip(axes.flat, scenarios):
        rows = sc["rows"]
        for (buffer, knob), (colour, marker, label) in STYLE.items():
            pts = curve(rows, buffer, knob)
            if len(pts) < 2:
                continue
            ax.plot([p["mean_delay_ms"] for p in pts], [p["conceal_pct"] for p in pts],
                    marker=marker, ms=3.5, lw=1.2, color=colour, label=label)
        for buffer, colour in (("ivrmedia", "#1f4e79"), ("speexdsp", "#922b21")):
            d = next((r for r in rows if r["buffer"] == buffer and r["default"]), None)
            if d is not None:
                ax.plot(d["mean_delay_ms"], d["conceal_pct"], marker="*", ms=13, color=colour,
                        ls="none", label=f"{buffer} default")
        loss = next((r["net_loss_pct"] for r in rows), 0.0)
        ax.axhline(loss, color="grey", lw=0.8, ls=":", label="network loss")
        ax.set_title(f"{sc['name']} (network loss {loss:.2f} %)", fontsize=9)
        ax.set_xlabel("mean delay, send to play (ms)", fontsize=8)
        ax.set_ylabel("audio made up (%)", fontsize=8)
        ax.set_ylim(bottom=0)
        ax.tick_params(labelsize=7)
        ax.grid(True, lw=0.3)
    for ax in list(axes.flat)[len(scenarios):]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=8, frameon=False)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout(rect=(0, 0.07, 1, 0.97))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot(data: dict, outdir: Path) -> list[Path]:
    sc = data["scenarios"]
    note = f"{data['seeds']} seeds x {data['seconds']} s of 20 ms PCMU per model"
    made = [
        draw([s for s in sc if s["drift_percent"] == 0], outdir / "jitter_tradeoff.png",
             f"Jitter buffers: delay vs audio made up, per network model ({note})"),
        draw(sorted((s for s in sc if s["drift_percent"] != 0
                     and s["preset"] in ("wired", "wifi", "mobile_lte")),
                    key=lambda s: (s["preset"], s["drift_percent"])),
             outdir / "jitter_tradeoff_drift.png",
             f"With the sender's clock off by -1 .. +1 % ({note})"),
    ]
    return [p for p in made if p is not None]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--build", default="build/release")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--json", help="plot this JSON (from --json) instead of running the program")
    ap.add_argument("--out", default=str(HERE))
    args = ap.parse_args()
    out = Path(args.out)
    if args.json:
        data = json.loads(Path(args.json).read_text())
    else:
        build = Path(args.build)
        if not build.is_absolute() and not build.exists():
            build = ROOT / build
        exe = find_compare(build)
        if exe is None:
            print(f"no {COMPARE} in {build / 'bin'} (needs libspeexdsp-dev)", file=sys.stderr)
            return 1
        text, data = run_compare(exe, out / "jitter_compare.json", args.seconds, args.seeds)
        print(text)
    for p in plot(data, out / "plots"):
        print("wrote", p, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
