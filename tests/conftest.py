"""Boots exov in QEMU under pexpect and checks what the console prints.

Each test boots its own QEMU (1 hart, 128 MiB on virt) with one program as
init, waits for regular expressions, and ends at the kernel's "no
environments left" line. On failure the whole console log is shown.
"""
import io
import re
import subprocess
from pathlib import Path

import pexpect
import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
SMP = {"virt": 1, "sifive_u": 2}

BOOT_FREE = re.compile(r"\[kernel\] (\d+) free pages at boot")
END_LINE = r"\[kernel\] no environments left; (\d+) free pages"


class Boot:
    """One QEMU run. Use expect() for output in order, finish() at the end."""

    def __init__(self, init, board="virt", bootargs="", mem="128M", timeout=60):
        self.log = io.StringIO()
        args = ["-machine", board, "-bios", "default", "-nographic", "-m", mem,
                "-smp", str(SMP[board]), "-kernel", str(BUILD / "kernel.bin"),
                "-initrd", str(BUILD / "initrd.cpio"),
                "-append", f"{bootargs} init={init}".strip()]
        self.child = pexpect.spawn("qemu-system-riscv64", args, encoding="utf-8",
                                   codec_errors="replace", timeout=timeout)
        self.child.logfile_read = self.log

    @property
    def output(self):
        return self.log.getvalue().replace("\r", "")

    def fail(self, why):
        raise AssertionError(f"{why}\n----- console log -----\n{self.output}\n-----------------------")

    def expect(self, pattern, timeout=-1):
        r"""Waits for a regular expression; returns the match. Output
        arrives in pieces: end a pattern that ends in a number with \r*\n,
        or "after (\d+)" may match "after 31" of "after 31816"."""
        try:
            self.child.expect(pattern, timeout=timeout)
        except pexpect.TIMEOUT:
            self.fail(f"timed out waiting for {pattern!r}")
        except pexpect.EOF:
            self.fail(f"QEMU exited before {pattern!r}")
        return self.child.match

    def expect_lines(self, *lines):
        """Waits for each exact line, in this order."""
        for line in lines:
            self.expect(r"(?m)^" + re.escape(line) + r"\r*$")

    def send(self, text):
        self.child.send(text)

    def finish(self, timeout=-1, check_leaks=True):
        """Waits for the kernel to power off; checks it did not panic and,
        by default, that as many pages are free as at boot."""
        m = self.expect(END_LINE, timeout=timeout)
        end_free = int(m.group(1))
        out = self.output
        if "kernel panic" in out or "kernel trap" in out:
            self.fail("the kernel panicked")
        if check_leaks:
            boot = BOOT_FREE.search(out)
            if not boot:
                self.fail("no free-page count at boot")
            if int(boot.group(1)) != end_free:
                self.fail(f"pages leaked: {boot.group(1)} free at boot, {end_free} at power-off")
        return out

    def close(self):
        if self.child.isalive():
            self.child.terminate(force=True)


@pytest.fixture(scope="session", autouse=True)
def built():
    """The image must be built (make test does it); build if it is missing."""
    if not (BUILD / "kernel.bin").exists() or not (BUILD / "initrd.cpio").exists():
        subprocess.run(["make", "-C", str(ROOT), "all"], check=True)


@pytest.fixture
def boot():
    """boot(init, **kw) starts QEMU; every boot is closed after the test."""
    runs = []

    def start(init, **kw):
        b = Boot(init, **kw)
        runs.append(b)
        return b

    yield start
    for b in runs:
        b.close()


def lines_of(out, pattern):
    """All lines of out matching pattern (a regular expression), in order."""
    return [l for l in out.split("\n") if re.search(pattern, l)]
