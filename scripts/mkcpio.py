#!/usr/bin/env python3
"""Packs a directory into a cpio newc archive whose regular files' data
start on 4 KiB boundaries, so the library OS can map program text straight
from the archive. The padding goes into the name field as extra NULs (the
name stays a NUL-terminated string; namesize counts the padding), which
cpio readers accept. Entries are sorted and timestamps zero: reproducible.

usage: mkcpio.py DIR OUT
"""
import os
import stat
import sys

PAGE = 4096


def header(ino, mode, nlink, size, namesize):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, namesize, 0]
    return b"070701" + b"".join(b"%08x" % f for f in fields)


def entry(out, ino, name, mode, data, align):
    raw = name.encode() + b"\0"
    namesize = len(raw)
    if align:
        # data starts at roundup(pos + 110 + namesize, 4): make that a page.
        start = len(out) + 110 + namesize
        namesize += (-start) % PAGE
    out += header(ino, mode, 2 if stat.S_ISDIR(mode) else 1, len(data), namesize)
    out += raw + b"\0" * (namesize - len(raw))
    out += b"\0" * ((-len(out)) % 4)
    assert not align or len(out) % PAGE == 0
    out += data
    out += b"\0" * ((-len(out)) % 4)


def main():
    root, dest = sys.argv[1], sys.argv[2]
    paths = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for n in sorted(dirs + files):
            paths.append(os.path.relpath(os.path.join(d, n), root))
    out = bytearray()
    for ino, rel in enumerate(sorted(paths), 1):
        st = os.stat(os.path.join(root, rel))
        if stat.S_ISDIR(st.st_mode):
            entry(out, ino, rel, stat.S_IFDIR | 0o755, b"", False)
        else:
            data = open(os.path.join(root, rel), "rb").read()
            mode = stat.S_IFREG | (0o755 if st.st_mode & 0o111 else 0o644)
            entry(out, ino, rel, mode, data, True)
    entry(out, 0, "TRAILER!!!", 0, b"", False)
    out += b"\0" * ((-len(out)) % 512)
    with open(dest, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
