"""Issue 4: the shell (apps/sh.c), init, the utilities and the lecture
notes' three small shells. Scripts under rootfs/test/ are packed into the
boot archive as /test/...; most tests boot `sh /test/NAME.sh` and compare
what it printed, line for line."""
import re

import pytest

BOOT_LINE = re.compile(r"\[kernel\] \d+ free pages at boot\n")


def printed(out, begin="BEGIN", end="END"):
    """The lines a program printed between the lines begin and end (or,
    with begin None, after the kernel's boot line and before power-off)."""
    if begin is None:
        out = out[BOOT_LINE.search(out).end():]
        out = out[:out.index("[kernel] no environments left")]
        return out.splitlines()
    lines = out.splitlines()
    return lines[lines.index(begin) + 1:lines.index(end)]


def run_script(boot, path, **kw):
    """Boots `sh path`, waits for power-off (checking panics and leaks)
    and returns the script's lines between BEGIN and END."""
    return printed(boot(f"sh {path}", **kw).finish(), **{k: v for k, v in kw.items() if False})


def section(lines, title):
    """The lines under '== title' up to the next '== ' line."""
    start = lines.index(f"== {title}") + 1
    rest = lines[start:]
    stop = next((i for i, l in enumerate(rest) if l.startswith("== ")), len(rest))
    return rest[:stop]
