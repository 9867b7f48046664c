#!/usr/bin/python3
"""Draws the figures of bench/results.json into PNG files (make bench-plot).

    scripts/bench_plot.py RESULTS.json OUTDIR

Each entry of FIGURES is (file name, function drawing it on a new figure
from the results); a function returns False when the results hold nothing
for it (no file is written): measured vs target per row, and fork +
exit + waitpid against the memory the process has touched.
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

MEASURED = "#3b6ea8"
TARGET = "#e0a040"


def targets_figure(fig, results):
    """Horizontal bars: the median of every row and, where there is one,
    its target; log scale (the rows span two orders of magnitude)."""
    rows = list(results["rows"].items())
    if not rows:
        return False
    ax = fig.add_subplot(1, 1, 1)
    height = 0.38
    names, labelled = [], False
    for i, (name, r) in enumerate(rows):
        y = len(rows) - 1 - i
        names.append((y, f"{name}\n{r['what']}"))
        ax.barh(y + height / 2, r["median"], height, color=MEASURED,
                label="measured (median)" if i == 0 else None)
        ax.text(r["median"] * 1.04, y + height / 2, f"{r['median']:g}", va="center", fontsize=8)
        if r["target"] is not None:
            ax.barh(y - height / 2, r["target"], height, color=TARGET,
                    label=None if labelled else "target")
            labelled = True
            verdict = "met" if r["pass"] else f"{r['median'] / r['target']:.1f}x"
            ax.text(r["target"] * 1.04, y - height / 2, f"{r['target']}  ({verdict})",
                    va="center", fontsize=8)
        else:
            ax.text(12, y - height / 2, "no target", va="center", fontsize=8, color="grey")
    ax.set_yticks([y for y, _ in names], [label for _, label in names], fontsize=8)
    ax.set_xscale("log")
    top = max(r["median"] for _, r in rows)
    ax.set_xlim(10, top * 4)
    ax.set_xlabel("instructions per operation (user + kernel), log scale")
    ax.set_title("exov: measured vs target, median instret under QEMU -icount")
    ax.grid(axis="x", which="both", alpha=0.3)
    ax.legend(loc="upper right", fontsize=8)
    fig.set_size_inches(10, 0.62 * len(rows) + 1.6)
    fig.tight_layout()
    return True


# fork + exit + waitpid rows and the data each touches besides a small
# process's own pages.
FORK_ROWS = [("fork_wait_small", 0), ("fork_wait_1m", 1), ("fork_wait_4m", 4), ("fork_wait_16m", 16)]
XV6_FORK = {0: 564601, 4: 47523238}  # xv6-riscv, measured the same way (issue 6)


def fork_size_figure(fig, results):
    """fork + exit + waitpid cost against touched MiB, exov vs xv6-riscv."""
    rows = results["rows"]
    points = [(mib, rows[name]["median"]) for name, mib in FORK_ROWS if name in rows]
    if len(points) < 2:
        return False
    ax = fig.add_subplot(1, 1, 1)
    ax.plot([p[0] for p in points], [p[1] for p in points], "o-", color=MEASURED,
            label="exov (copy-on-write fork in the library OS)")
    for mib, v in points:
        ax.annotate(f"{v:,.0f}", (mib, v), textcoords="offset points", xytext=(4, 6), fontsize=8)
    xs = sorted(XV6_FORK)
    ax.plot(xs, [XV6_FORK[x] for x in xs], "s--", color=TARGET, label="xv6-riscv (copies at fork)")
    for mib in xs:
        ax.annotate(f"{XV6_FORK[mib]:,}", (mib, XV6_FORK[mib]), textcoords="offset points",
                    xytext=(4, -12), fontsize=8)
    ax.set_yscale("log")
    ax.set_xlabel("MiB of data touched before fork")
    ax.set_ylabel("instructions (user + kernel), log scale")
    ax.set_title("fork + exit + waitpid against process size (instret under QEMU -icount)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    fig.set_size_inches(8, 5)
    fig.tight_layout()
    return True


FIGURES = [
    ("targets.png", targets_figure),
    ("fork_size.png", fork_size_figure),
]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    path, outdir = sys.argv[1], sys.argv[2]
    try:
        with open(path) as f:
            results = json.load(f)
    except FileNotFoundError:
        sys.exit(f"bench_plot: no {path}: run make bench first")
    for name, draw in FIGURES:
        fig = plt.figure()
        if draw(fig, results):
            fig.savefig(f"{outdir}/{name}", dpi=110)
            print(f"wrote {outdir}/{name}")
        plt.close(fig)


if __name__ == "__main__":
    main()
