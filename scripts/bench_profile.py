#!/usr/bin/python3
"""Where one bench row's instructions go, function by function (make bench-profile ROW=...).

    scripts/bench_profile.py --row ROW [--sequence] -- QEMU-COMMAND...

The QEMU command must boot "bench -n 1 ROW" (make bench-profile does).
QEMU runs one instruction per translation block (-singlestep) and logs
every block it executes (-d exec,nochain) into a FIFO, so the log is an
exact instruction trace that never touches the disk. The script finds the
row's last measured sample (from its first rdinstret to its second, or to
the upcall entry's for exception_dispatch), names every pc with the symbols
of build/kernel.elf and build/initrd/bin/bench, and prints the
instructions per function (k: kernel, u: user, firmware: OpenSBI).
--sequence also prints the sample as the ordered runs of functions.
Standard library and binutils (riscv64-unknown-elf-nm/objdump) only.
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL_ELF = os.path.join(ROOT, "build", "kernel.elf")
BENCH_ELF = os.path.join(ROOT, "build", "apps", "bench.elf")
CROSS = "riscv64-unknown-elf-"
USER_TOP = 0x4000000000
KERNEL_BASE = 0xFFFFFFC000000000
TRACE_PC = re.compile(rb"\[[0-9a-f]+/([0-9a-f]+)/")


def symbols(elf):
    """Sorted (addresses, names) of the text symbols of elf."""
    out = subprocess.run([CROSS + "nm", "-n", elf], capture_output=True, text=True,
                         check=True).stdout
    addrs, names = [], []
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "tTwW":
            addrs.append(int(f[0], 16))
            names.append(f[2])
    return addrs, names


def rdinstret_pcs(elf):
    """{function: [pc of each rdinstret in it]} from the disassembly."""
    out = subprocess.run([CROSS + "objdump", "-d", elf], capture_output=True, text=True,
                         check=True).stdout
    fn, pcs = None, collections.defaultdict(list)
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
        if m:
            fn = m.group(1)
        elif "\trdinstret" in line:
            pcs[fn].append(int(line.split(":")[0], 16))
    return pcs


def windows(pcs):
    """(start pcs, end pcs) of measured samples: in a function with two
    rdinstret the first opens a sample and the second closes it; in one
    with a single rdinstret (exception_dispatch) the sample ends at the
    upcall entry's (bench_xentry)."""
    starts, ends = set(), set()
    for fn, p in pcs.items():
        if fn == "bench_xentry":
            ends.update(p)
        elif len(p) == 1:
            starts.add(p[0])
        elif len(p) >= 2:
            starts.add(min(p))
            ends.add(max(p))
    return starts, ends


def trace_last_window(log, starts, ends):
    """Reads the exec log; returns the pcs of the last sample, from the
    instruction after the opening rdinstret to the closing one (excluded)."""
    last, cur = None, None
    for line in log:
        m = TRACE_PC.search(line)
        if not m:
            continue
        pc = int(m.group(1), 16)
        if pc in ends and cur is not None:
            last, cur = cur, None
        elif pc in starts:
            cur = []
        elif cur is not None:
            cur.append(pc)
    return last


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--row", required=True)
    ap.add_argument("--sequence", action="store_true",
                    help="also print the ordered runs of functions")
    ap.add_argument("cmd", nargs="+", help="the QEMU command (after --)")
    args = ap.parse_args()

    kernel, user = symbols(KERNEL_ELF), symbols(BENCH_ELF)

    def name(pc):
        if pc >= KERNEL_BASE:
            table, prefix = kernel, "k:"
        elif pc < USER_TOP:
            table, prefix = user, "u:"
        else:
            return "firmware"
        i = bisect.bisect_right(table[0], pc) - 1
        return prefix + (table[1][i] if i >= 0 else "?")

    starts, ends = windows(rdinstret_pcs(BENCH_ELF))
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "exec.log")
        os.mkfifo(fifo)
        cmd = args.cmd + ["-singlestep", "-d", "exec,nochain", "-D", fifo]
        console = []
        qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        reader = threading.Thread(target=lambda: console.extend(qemu.stdout))
        reader.start()
        with open(fifo, "rb") as log:
            sample = trace_last_window(log, starts, ends)
        qemu.wait()
        reader.join()
    console = b"".join(console).decode("utf-8", "replace").replace("\r", "")
    m = re.search(rf"^BENCH {re.escape(args.row)} median=(\S+)", console, re.M)
    if not m or sample is None:
        sys.stdout.write(console)
        sys.exit(f"bench_profile: no sample of row {args.row} in the trace")

    print(f"{args.row}: {len(sample)} instructions traced "
          f"(bench reports median {m.group(1)} per op for this one sample)")
    if m.group(1) != str(len(sample)):
        print("  (a faulting instruction is traced at each attempt but retires once; "
              "rows with ops > 1 are divided)")
    counts = collections.Counter(name(pc) for pc in sample)
    for fn, n in counts.most_common():
        print(f"{n:8d}  {fn}")
    if args.sequence:
        print("\nin order:")
        run_name, run_len = None, 0
        for pc in sample + [None]:
            n = name(pc) if pc is not None else None
            if n != run_name and run_name is not None:
                print(f"{run_len:8d}  {run_name}")
                run_len = 0
            run_name = n
            run_len += 1


if __name__ == "__main__":
    main()
