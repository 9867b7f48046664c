#!/usr/bin/python3
"""Runs apps/bench.c in QEMU, parses its BENCH lines, compares with the targets.

    scripts/bench.py [--out FILE] [--check] [--log FILE] -- QEMU-COMMAND...

make bench passes the QEMU command (with -icount shift=0,sleep=off and
init=bench). The console is shown as it runs; then one line per row: the
median instructions per operation, the target and pass/FAIL. --out writes
the figures as JSON (bench/results.json). --check runs QEMU twice and
reports every row whose figures differ (exit status 1 if any does).
--log FILE parses a saved console log instead of running QEMU.
Standard library only.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys

TIMEOUT = 600  # seconds for one QEMU run

END_LINE = "[kernel] no environments left"


def run_qemu(cmd, echo):
    """Runs cmd, echoing its output if asked; returns the console text."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    out = []
    try:
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").replace("\r", "")
            out.append(line)
            if echo:
                sys.stdout.write(line)
                sys.stdout.flush()
        proc.wait(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
    return "".join(out)


def qemu_version(qemu):
    """The first line of qemu --version."""
    try:
        r = subprocess.run([qemu, "--version"], capture_output=True, text=True, timeout=30)
        return r.stdout.split("\n")[0]
    except OSError:
        return None


def num(text):
    """'174' -> 174, '264.5' -> 264.5."""
    value = float(text)
    return int(value) if value.is_integer() else value


def parse(console):
    """The bench figures in a console log, as a dict; raises ValueError if
    the run is incomplete."""
    meta, rows, all_rows, machine, firmware, ended = {}, {}, [], None, None, None
    for line in console.split("\n"):
        line = line.strip()
        if line.startswith("exov: hart"):
            machine = line
        elif line.startswith("OpenSBI v"):
            firmware = line
        elif line.startswith("BENCH-META "):
            meta = dict(f.split("=", 1) for f in line.split()[1:])
        elif line.startswith("BENCH-ROWS"):
            all_rows = line.split()[1:]
        elif line.startswith("BENCH-END "):
            ended = int(line.split()[1])
        elif line.startswith("BENCH "):
            words = shlex.split(line)
            name = words[1]
            f = dict(w.split("=", 1) for w in words[2:])
            target = int(f["target"])
            median = num(f["median"])
            rows[name] = {
                "what": f["what"],
                "median": median,
                "min": num(f["min"]),
                "max": num(f["max"]),
                "ops_per_sample": int(f["ops"]),
                "target": target or None,
                "pass": median <= target if target else None,
            }
    if "kernel panic" in console or "user panic" in console:
        raise ValueError("the run panicked")
    if ended is None or ended != len(rows):
        raise ValueError("the bench did not finish (no BENCH-END, or rows missing)")
    missing = [r for r in all_rows if r not in rows]
    if not all_rows or missing:
        raise ValueError(f"rows missing: {' '.join(missing)}")
    return {
        "unit": "instructions per operation (user + kernel + firmware), median; "
                "instret under QEMU -icount shift=0",
        "machine": machine,
        "firmware": firmware,
        "samples": int(meta.get("samples", 0)),
        "warmup": int(meta.get("warmup", 0)),
        "baseline": int(meta.get("baseline", 0)),
        "rows": rows,
    }


def report(results):
    """The comparison with the targets, one line per row."""
    print(f"\n{'row':20} {'median':>8} {'target':>7}  result")
    for name, r in results["rows"].items():
        target, verdict = "-", "-"
        if r["target"] is not None:
            target = str(r["target"])
            verdict = "pass" if r["pass"] else f"FAIL ({r['median'] / r['target']:.1f}x the target)"
        print(f"{name:20} {r['median']:>8} {target:>7}  {verdict}")
    met = [r["pass"] for r in results["rows"].values() if r["pass"] is not None]
    print(f"{sum(met)} of {len(met)} targets met")


def differences(a, b):
    """Rows whose figures differ between two runs, with what differs."""
    diffs = []
    for name in sorted(set(a["rows"]) | set(b["rows"])):
        ra, rb = a["rows"].get(name), b["rows"].get(name)
        if ra is None or rb is None:
            diffs.append(f"{name}: only in one run")
            continue
        fields = [k for k in ("median", "min", "max") if ra[k] != rb[k]]
        if fields:
            diffs.append(f"{name}: " + ", ".join(f"{k} {ra[k]} vs {rb[k]}" for k in fields))
    if a["baseline"] != b["baseline"]:
        diffs.append(f"baseline: {a['baseline']} vs {b['baseline']}")
    return diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="write the figures as JSON here")
    ap.add_argument("--check", action="store_true", help="run twice; report rows that differ")
    ap.add_argument("--log", help="parse this console log instead of running QEMU")
    ap.add_argument("cmd", nargs="*", help="the QEMU command (after --)")
    args = ap.parse_args()
    if not args.log and not args.cmd:
        ap.error("give the QEMU command after --, or --log FILE")
    if args.check and not args.cmd:
        ap.error("--check runs QEMU: give the QEMU command after --")
    if args.cmd and "-icount" not in args.cmd:
        print("bench: warning: QEMU runs without -icount: the figures are host "
              "ticks, not instruction counts", file=sys.stderr)

    try:
        if args.log:
            with open(args.log, encoding="utf-8", errors="replace") as f:
                results = parse(f.read().replace("\r", ""))
        else:
            results = parse(run_qemu(args.cmd, echo=True))
            results["qemu"] = qemu_version(args.cmd[0])
            results["command"] = " ".join(shlex.quote(a) for a in args.cmd)
    except ValueError as e:
        print(f"bench: {e}", file=sys.stderr)
        return 2
    report(results)

    status = 0
    if args.check:
        print("\nbench --check: second run ...")
        try:
            again = parse(run_qemu(args.cmd, echo=False))
        except ValueError as e:
            print(f"bench: second run: {e}", file=sys.stderr)
            return 2
        diffs = differences(results, again)
        if diffs:
            print("bench --check: rows that differ between two runs:")
            for d in diffs:
                print("  " + d)
            status = 1
        else:
            print(f"bench --check: both runs identical ({len(results['rows'])} rows, "
                  "median, min and max)")
    if args.out:
        os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
        with open(args.out, "w") as f:
            json.dump(results, f, indent=2)
            f.write("\n")
        print(f"wrote {args.out}")
    return status


if __name__ == "__main__":
    sys.exit(main())
