"""The parsers of boot input, run on the host under ASan and UBSan.

`make host-parsers` builds the kernel's device tree, cpio and ELF readers
(kernel/fdt.c, kernel/initrd.c) and the library OS's cpio and ELF readers
(libos/bootfmt.c) into small harnesses (tests/host/) that read a file into
a buffer of exactly its size. Each malformed input must be rejected with a
message (kernel) or ENOENT/ENOEXEC (library OS), and the sanitizers must
stay silent; well-formed input must still be read as before.
"""
import struct
import subprocess

import pytest

from conftest import BUILD, ROOT

KERNEL = BUILD / "host" / "kernel_parsers"
LIBOS = BUILD / "host" / "libos_parsers"


@pytest.fixture(scope="module", autouse=True)
def harnesses():
    subprocess.run(["make", "-s", "-C", str(ROOT), "host-parsers"], check=True)


def run(tool, mode, data, tmp_path, *args):
    """Runs one parser over data; returns its one line. Fails on any
    sanitizer report or crash."""
    f = tmp_path / "input"
    f.write_bytes(data)
    p = subprocess.run([str(tool), mode, str(f), *args], capture_output=True, text=True,
                       timeout=30)
    assert p.returncode == 0 and not p.stderr, \
        f"{tool.name} {mode} crashed (status {p.returncode}):\n{p.stderr}"
    return p.stdout.strip()


def align4(n):
    return (n + 3) & ~3


# --- device trees -------------------------------------------------------------

BEGIN, END_NODE, PROP, NOP, END = 1, 2, 3, 4, 9


def fdt_tokens(blob):
    """The structure block of a tree as tokens: ("begin", name),
    ("end_node",), ("prop", name, value), ("end",)."""
    (_, _, off_struct, off_strings, _, _, _, _, _, size_struct) = struct.unpack(">10I", blob[:40])
    s = blob[off_struct:off_struct + size_struct]
    toks, off = [], 0
    while True:
        (t,) = struct.unpack_from(">I", s, off)
        off += 4
        if t == BEGIN:
            end = s.index(b"\0", off)
            toks.append(("begin", s[off:end]))
            off = align4(end + 1)
        elif t == END_NODE:
            toks.append(("end_node",))
        elif t == PROP:
            ln, nameoff = struct.unpack_from(">II", s, off)
            at = off_strings + nameoff
            toks.append(("prop", blob[at:blob.index(b"\0", at)], s[off + 8:off + 8 + ln]))
            off = align4(off + 8 + ln)
        elif t == END:
            toks.append(("end",))
            return toks


def fdt_blob(toks, rsv=(), **hdr):
    """A tree from tokens: header, memory reservation block, strings, then
    the structure block last (so a read past it is past the buffer).
    ("raw", bytes) puts bytes as they are; hdr overrides header fields."""
    strings, where, body = bytearray(), {}, bytearray()
    for t in toks:
        if t[0] == "begin":
            name = t[1] + b"\0"
            body += struct.pack(">I", BEGIN) + name + b"\0" * (align4(len(name)) - len(name))
        elif t[0] == "end_node":
            body += struct.pack(">I", END_NODE)
        elif t[0] == "prop":
            if t[1] not in where:
                where[t[1]] = len(strings)
                strings += t[1] + b"\0"
            val = t[2]
            body += struct.pack(">III", PROP, len(val), where[t[1]]) + val
            body += b"\0" * (align4(len(val)) - len(val))
        elif t[0] == "end":
            body += struct.pack(">I", END)
        else:
            body += t[1]
    rsvmap = b"".join(struct.pack(">QQ", b, s) for b, s in rsv) + b"\0" * 16
    off_rsv = 40
    off_strings = off_rsv + len(rsvmap)
    off_struct = align4(off_strings + len(strings))
    fields = dict(magic=0xd00dfeed, totalsize=off_struct + len(body), off_dt_struct=off_struct,
                  off_dt_strings=off_strings, off_mem_rsvmap=off_rsv, version=17,
                  last_comp_version=16, boot_cpuid_phys=0, size_dt_strings=len(strings),
                  size_dt_struct=len(body))
    fields.update(hdr)
    head = struct.pack(">10I", *fields.values())
    return head + rsvmap + bytes(strings) + b"\0" * (off_struct - off_strings - len(strings)) + body


def u32(*v):
    return b"".join(struct.pack(">I", x) for x in v)


def node(name, *props, children=()):
    toks = [("begin", name)] + [("prop", n, v) for n, v in props]
    for c in children:
        toks += c
    return toks + [("end_node",)]


def tiny_tree(*extra_root, memory_reg=u32(0, 0x80000000, 0, 0x8000000)):
    """A small valid tree: memory, cpus with timebase, chosen."""
    return node(b"", (b"#address-cells", u32(2)), (b"#size-cells", u32(2)), *extra_root,
                children=[
                    node(b"memory@80000000", (b"device_type", b"memory\0"), (b"reg", memory_reg)),
                    node(b"cpus", (b"timebase-frequency", u32(1000000)),
                         children=[node(b"cpu@0"), node(b"cpu@1")]),
                    node(b"chosen", (b"bootargs", b"init=sh\0"),
                         (b"linux,initrd-start", u32(0x84000000)),
                         (b"linux,initrd-end", u32(0x84100000))),
                ]) + [("end",)]


@pytest.fixture(scope="module")
def real_dtb(tmp_path_factory):
    """QEMU's virt tree, with bootargs and an initrd, cut to its totalsize."""
    out = tmp_path_factory.mktemp("dtb") / "virt.dtb"
    subprocess.run(["qemu-system-riscv64", "-machine", f"virt,dumpdtb={out}", "-bios", "default",
                    "-m", "128M", "-nographic", "-kernel", str(BUILD / "kernel.bin"),
                    "-initrd", str(BUILD / "initrd.cpio"), "-append", "init=hello x"],
                   check=True, capture_output=True, timeout=60)
    blob = out.read_bytes()
    return blob[:struct.unpack(">I", blob[4:8])[0]]


def fdt(data, tmp_path):
    return run(KERNEL, "fdt", data, tmp_path)


def test_fdt_real_tree(real_dtb, tmp_path):
    out = fdt(real_dtb, tmp_path)
    assert out.startswith("ok ram=0x80000000+0x8000000 reserved= timebase=10000000 harts=1 ")
    assert out.endswith('bootargs="init=hello x"') and "initrd=0x8" in out


def test_fdt_rebuilt_real_tree_reads_the_same(real_dtb, tmp_path):
    """The Python tokenizer and builder round-trip: the variants below are
    the real tree with one thing changed."""
    assert fdt(fdt_blob(fdt_tokens(real_dtb)), tmp_path).split(" size=")[0] == \
        fdt(real_dtb, tmp_path).split(" size=")[0]


def test_fdt_tiny_tree(tmp_path):
    out = fdt(fdt_blob(tiny_tree(), rsv=[(0x80000000, 0x40000)]), tmp_path)
    assert out == ('ok ram=0x80000000+0x8000000 reserved=0x80000000+0x40000 timebase=1000000 '
                   'harts=2 initrd=0x84000000-0x84100000 size=%d bootargs="init=sh"'
                   % len(fdt_blob(tiny_tree(), rsv=[(0x80000000, 0x40000)])))


def real_variant(real_dtb, change):
    toks = fdt_tokens(real_dtb)
    change(toks)
    return fdt_blob(toks)


@pytest.mark.parametrize("change, message", [
    # a property before the first node (depth -1: path[-1], cells[-1])
    (lambda t: t.insert(0, ("prop", b"#address-cells", u32(2))), "a property outside any node"),
    # END_NODE before any node, driving the depth to -2
    (lambda t: t.insert(0, ("end_node",)), "FDT_END_NODE outside any node"),
    # the root closed twice: END_NODE at depth -1
    (lambda t: t.insert(-1, ("end_node",)), "FDT_END_NODE outside any node"),
    # the root never closed
    (lambda t: t.pop(-2), "FDT_END inside an open node"),
    # no FDT_END: the walk would run off the block
    (lambda t: t.pop(), "the structure block ends without FDT_END"),
    # nine nested nodes (path[8] and cells[8] past the arrays)
    (lambda t: t.__setitem__(slice(1, 1), [("begin", b"n")] * 9 + [("end_node",)] * 9),
     "nodes nested deeper than 8"),
    (lambda t: t.insert(3, ("raw", u32(7))), "an unknown token in the structure block"),
])
def test_fdt_bad_structure(real_dtb, tmp_path, change, message):
    assert fdt(real_variant(real_dtb, change), tmp_path) == "error: " + message


def test_fdt_unterminated_node_name(real_dtb, tmp_path):
    """The block ends inside a node name: the name has no NUL in it."""
    toks = fdt_tokens(real_dtb)[:-1] + [("raw", u32(BEGIN) + b"abcd")]
    assert fdt(fdt_blob(toks), tmp_path) == \
        "error: a node name is not NUL-terminated inside the structure block"


def test_fdt_unterminated_property_name(tmp_path):
    """The strings block ends without the name's NUL (the structure block
    follows it, so an unchecked read would go on into it)."""
    blob = bytearray(fdt_blob(tiny_tree()))
    size_strings = struct.unpack(">I", blob[32:36])[0]
    off_strings = struct.unpack(">I", blob[12:16])[0]
    blob[off_strings + size_strings - 1] = ord("x")  # the last name's NUL
    assert fdt(bytes(blob), tmp_path) == \
        "error: a property name is not NUL-terminated inside the strings block"


def test_fdt_strings_offset_out_of_range(tmp_path):
    toks = tiny_tree()
    toks.insert(1, ("raw", u32(PROP, 4, 0x7ffffff0) + u32(1)))
    assert fdt(fdt_blob(toks), tmp_path) == \
        "error: a property name offset past the strings block"


def test_fdt_property_value_past_the_block(tmp_path):
    toks = tiny_tree()[:-2] + [("raw", u32(PROP, 0xfffffffc, 0))]
    assert fdt(fdt_blob(toks), tmp_path) == "error: a property value past the structure block"


@pytest.mark.parametrize("hdr, message", [
    # totalsize past the buffer (the harness's limit is the file's size)
    (dict(totalsize=0x10000), "totalsize smaller than the header or larger than the limit"),
    (dict(totalsize=20), "totalsize smaller than the header or larger than the limit"),
    (dict(size_dt_struct=0xfffffff0), "the structure block is outside totalsize or misaligned"),
    (dict(off_dt_struct=0xffffff00), "the structure block is outside totalsize or misaligned"),
    (dict(off_dt_strings=0xfffffff0), "the strings block is outside totalsize"),
    (dict(size_dt_strings=0x7fffffff), "the strings block is outside totalsize"),
    (dict(off_mem_rsvmap=0xfffffffc), "the memory reservation block runs past totalsize"),
    (dict(magic=0xfeedd00d), "bad magic (not a flattened device tree)"),
    (dict(version=16), "version older than 17"),
])
def test_fdt_bad_header(tmp_path, hdr, message):
    assert fdt(fdt_blob(tiny_tree(), **hdr), tmp_path) == "error: " + message


def test_fdt_truncated(real_dtb, tmp_path):
    for cut in (0, 3, 39, 40, len(real_dtb) // 2, len(real_dtb) - 1):
        out = fdt(real_dtb[:cut], tmp_path)
        assert out.startswith("error: "), (cut, out)


@pytest.mark.parametrize("props, message", [
    ([(b"#size-cells", b"\0\0")], "#address-cells or #size-cells is not one cell"),
    ([(b"#address-cells", u32(1000))], "reg under #address-cells or #size-cells other than 1 or 2"),
])
def test_fdt_bad_cells(tmp_path, props, message):
    assert fdt(fdt_blob(tiny_tree(*props)), tmp_path) == "error: " + message


@pytest.mark.parametrize("tree, message", [
    (tiny_tree(memory_reg=u32(0, 0x80000000, 0)), "reg is not a list of whole (address, size) pairs"),
    (tiny_tree(memory_reg=u32(0xffffffff, 0xfffff000, 0, 0x2000)),
     "a memory region wraps around the address space"),
    (tiny_tree(memory_reg=u32(0, 0x80000000, 0, 0x1000) * 17), "more than 16 memory or reserved regions"),
])
def test_fdt_bad_reg(tmp_path, tree, message):
    assert fdt(fdt_blob(tree), tmp_path) == "error: " + message


def test_fdt_bad_chosen_and_timebase(real_dtb, tmp_path):
    def replace(name, value):
        toks = fdt_tokens(real_dtb)
        i = next(i for i, t in enumerate(toks) if t[0] == "prop" and t[1] == name)
        toks[i] = ("prop", name, value)
        return fdt(fdt_blob(toks), tmp_path)
    assert replace(b"bootargs", b"init=hello") == "error: bootargs is not a NUL-terminated string"
    assert replace(b"timebase-frequency", b"\1") == \
        "error: timebase-frequency is not one or two cells"
    assert replace(b"linux,initrd-start", u32(1, 2, 3)) == \
        "error: linux,initrd-start is not one or two cells"
    assert replace(b"linux,initrd-end", u32(0, 0x1000)) == \
        "error: linux,initrd-end is before linux,initrd-start"


def test_fdt_missing_memory_and_timebase(tmp_path):
    toks = [("begin", b""), ("end_node",), ("end",)]
    assert fdt(fdt_blob(toks), tmp_path) == "error: no memory node with a reg"


# --- cpio newc archives -------------------------------------------------------

def cpio(*entries, trailer=True):
    """A newc archive; each entry (name, data) or a dict with overrides:
    namesize, filesize, magic, name_field (the raw name bytes), hexfix
    (a function over the header)."""
    out = bytearray()
    for e in list(entries) + ([(b"TRAILER!!!", b"")] if trailer else []):
        e = dict(name=e[0], data=e[1]) if isinstance(e, tuple) else e
        field = e.get("name_field", e["name"] + b"\0")
        fields = [1, e.get("mode", 0o100755), 0, 0, 1, 0, e.get("filesize", len(e["data"])),
                  0, 0, 0, 0, e.get("namesize", len(field)), 0]
        head = e.get("magic", b"070701") + b"".join(b"%08x" % f for f in fields)
        out += e.get("hexfix", lambda h: h)(head) + field
        if e.get("cut"):  # the archive ends right after the name field
            return bytes(out)
        out += b"\0" * (align4(len(out)) - len(out)) + e["data"]
        out += b"\0" * (align4(len(out)) - len(out))
    return bytes(out)


def kfind(data, path, tmp_path):
    return run(KERNEL, "cpio", data, tmp_path, path)


def lookup(data, path, tmp_path):
    return run(LIBOS, "lookup", data, tmp_path, path)


def listing(data, tmp_path):
    return run(LIBOS, "list", data, tmp_path).split("\n")


def test_cpio_real_archive(tmp_path):
    data = (BUILD / "initrd.cpio").read_bytes()
    size = (BUILD / "initrd" / "bin" / "hello").stat().st_size
    assert kfind(data, "bin/hello", tmp_path).startswith(f"found {size} at ")
    assert kfind(data, "bin/nosuch", tmp_path) == "missing"
    assert kfind(data, "bin/hell", tmp_path) == "missing"
    assert lookup(data, "/bin/hello", tmp_path) == f"found {size} 100755"
    assert lookup(data, "./bin//hello", tmp_path) == "ENOENT"
    assert lookup(data, "./bin/hello", tmp_path) == f"found {size} 100755"
    assert lookup(data, "/nosuch", tmp_path) == "ENOENT"
    names = [l.split(" ")[0] for l in listing(data, tmp_path)]
    assert names[-1] == "end" and "bin/hello" in names and "bin" in names
    assert len(names) - 1 == sum(1 for _ in (BUILD / "initrd").rglob("*"))


def test_cpio_small_archive(tmp_path):
    data = cpio((b"bin", b""), (b"bin/a", b"hello"), (b"bin/b", b"xy"))
    assert kfind(data, "bin/a", tmp_path) == "found 5 at 232"
    assert kfind(data, "bin/b", tmp_path) == "found 2 at 356"
    assert lookup(data, "bin/b", tmp_path) == "found 2 100755"
    assert listing(data, tmp_path) == ["bin 0", "bin/a 5", "bin/b 2", "end"]


# Malformed archives. "bin/a" comes first and is well formed; what follows
# is the defect. The kernel must say why; the library OS must list only
# the good entry and find nothing past it.
BAD_ARCHIVES = {
    # namesize runs past the end (a name read would leave the buffer)
    "name_past_end": (cpio((b"bin/a", b"A"), dict(name=b"bin/zz", data=b"", namesize=0x1000, cut=True),
                           trailer=False), "a name past the end of the archive"),
    # the name has no NUL and the archive ends right after it
    "unterminated_name": (cpio((b"bin/a", b"A"), dict(name=b"bin/zz", data=b"", name_field=b"bin/zz",
                                                        cut=True), trailer=False),
                          "a name that is not NUL-terminated"),
    # the name's NUL is outside its namesize
    "name_nul_outside": (cpio((b"bin/a", b"A"), dict(name=b"bin/zz", data=b"", namesize=6)),
                         "a name that is not NUL-terminated"),
    "zero_namesize": (cpio((b"bin/a", b"A"), dict(name=b"bin/zz", data=b"", namesize=0)),
                      "a name that is not NUL-terminated"),
    # the data runs past the end
    "file_past_end": (cpio((b"bin/a", b"A"), dict(name=b"bin/zz", data=b"abc", filesize=0xffffffff)),
                      "file data past the end of the archive"),
    "file_just_past_end": (cpio((b"bin/a", b"A"), dict(name=b"bin/zz", data=b"abcd", filesize=5),
                                trailer=False), "file data past the end of the archive"),
    # 8-digit sizes that would wrap a 32-bit sum
    "sizes_wrap": (cpio((b"bin/a", b"A"), dict(name=b"bin/zz", data=b"", namesize=0xffffffff,
                                                 filesize=0xffffff00)),
                   "a name past the end of the archive"),
    "not_hex": (cpio((b"bin/a", b"A"), dict(name=b"bin/zz", data=b"",
                                              hexfix=lambda h: h[:54] + b"0000000g" + h[62:])),
                "a header size field that is not hex"),
    "bad_magic": (cpio((b"bin/a", b"A"), dict(name=b"bin/zz", data=b"", magic=b"070707")),
                  "an entry without the newc magic 070701"),
    # cut inside the next header
    "truncated_header": (cpio((b"bin/a", b"A"), (b"bin/zz", b""))[:120 + 40],
                         "the archive ends without a TRAILER!!! entry"),
    "no_trailer": (cpio((b"bin/a", b"A"), trailer=False),
                   "the archive ends without a TRAILER!!! entry"),
}


@pytest.mark.parametrize("case", sorted(BAD_ARCHIVES))
def test_cpio_malformed_kernel(tmp_path, case):
    data, message = BAD_ARCHIVES[case]
    assert kfind(data, "bin/a", tmp_path) == "found 1 at 116"
    for path in ("bin/zz", "bin/z", "bin/zzzzzzzzzzzz", "bin/nosuch"):
        assert kfind(data, path, tmp_path) == "error: " + message, path


@pytest.mark.parametrize("case", sorted(BAD_ARCHIVES))
def test_cpio_malformed_libos(tmp_path, case):
    data, _ = BAD_ARCHIVES[case]
    assert lookup(data, "/bin/a", tmp_path) == "found 1 100755"
    for path in ("bin/zz", "bin/z", "bin/zzzzzzzzzzzz", "bin/nosuch", "TRAILER!!!"):
        assert lookup(data, path, tmp_path) == "ENOENT", path
    assert listing(data, tmp_path) == ["bin/a 1", "end"]


def test_cpio_empty_and_tiny(tmp_path):
    for data in (b"", b"0707", b"070701" + b"0" * 50):
        assert kfind(data, "bin/a", tmp_path) == "error: the archive ends without a TRAILER!!! entry"
        assert lookup(data, "bin/a", tmp_path) == "ENOENT"
        assert listing(data, tmp_path) == ["end"]


# --- ELF executables ------------------------------------------------------------

PHDR = struct.Struct("<IIQQQQQQ")


def elf(segments=None, phoff=64, phnum=None, phentsize=56, machine=243, etype=2, cls=2,
        body=b"\x13\0\0\0" * 64):
    """An ELF64 file: header, program headers at phoff, then body. segments
    are (type, flags, offset, vaddr, filesz, memsz); the default is one
    R+X PT_LOAD over the body at 0x800000."""
    if segments is None:
        segments = [(1, 5, 0x1000, 0x800000, len(body), len(body))]
    phnum = len(segments) if phnum is None else phnum
    head = b"\x7fELF" + bytes([cls, 1, 1]) + b"\0" * 9 + struct.pack(
        "<HHIQQQIHHHHHH", etype, machine, 1, 0x800000, phoff, 0, 0, 64, phentsize, phnum, 0, 0, 0)
    phs = b"".join(PHDR.pack(t, f, o, v, v, fs, ms, 0x1000) for t, f, o, v, fs, ms in segments)
    out = bytearray(head)
    if phoff < 0x1000:
        out += b"\0" * (phoff - len(out)) + phs
    out += b"\0" * (0x1000 - len(out)) + body
    return bytes(out)


def kelf(data, tmp_path):
    return run(KERNEL, "elf", data, tmp_path)


def uelf(data, tmp_path):
    return run(LIBOS, "elf", data, tmp_path)


def test_elf_real_program(tmp_path):
    data = (BUILD / "initrd" / "bin" / "hello").read_bytes()
    assert kelf(data, tmp_path) == "ok"
    assert uelf(data, tmp_path) == "ok"
    assert kelf(elf(), tmp_path) == "ok"
    assert uelf(elf(), tmp_path) == "ok"


BIG = 0xffffffffffffffff
HDRS = "error: program headers misaligned or past the end of the file"
BAD_ELVES = {
    "too_short": (elf()[:63], "error: not an ELF64 file"),
    "elf32": (elf(cls=1), "error: not an ELF64 file"),
    "other_machine": (elf(machine=62), "error: not a RISC-V executable"),
    "shared_object": (elf(etype=3), "error: not a RISC-V executable"),
    "phentsize": (elf(phentsize=32), HDRS),
    # program headers past the end, or at an offset that wraps phoff + size
    "phoff_past_end": (elf(phoff=0x100000), HDRS),
    "phoff_wraps": (elf(phoff=BIG - 55), HDRS),
    "phoff_misaligned": (elf(phoff=68), HDRS),
    "phnum_past_end": (elf(phnum=0xffff), HDRS),
    # a segment's file bytes past the end, or wrapping offset + filesz
    "segment_past_end": (elf([(1, 5, 0x1000, 0x800000, 0x100000, 0x100000)]),
                         "error: a segment's file bytes lie past the end of the file"),
    "segment_offset_past_end": (elf([(1, 5, 0x200000, 0x800000, 16, 16)]),
                                "error: a segment's file bytes lie past the end of the file"),
    "segment_wraps": (elf([(1, 5, BIG - 7, 0x800000, 16, 16)]),
                      "error: a segment's file bytes lie past the end of the file"),
    "filesz_over_memsz": (elf([(1, 5, 0x1000, 0x800000, 16, 8)]),
                          "error: a segment's file size exceeds its memory size"),
    "vaddr_wraps": (elf([(1, 5, 0x1000, 0x800000, 16, BIG - 0x1000)]),
                    "error: a segment outside user memory"),
    "vaddr_high": (elf([(1, 5, 0x1000, BIG & ~0xfff, 16, 16)]),
                   "error: a segment outside user memory"),
}


@pytest.mark.parametrize("case", sorted(BAD_ELVES))
def test_elf_malformed(tmp_path, case):
    data, message = BAD_ELVES[case]
    assert kelf(data, tmp_path) == message
    assert uelf(data, tmp_path) == "ENOEXEC"


def test_elf_in_archive(tmp_path):
    """cpio_find's data for a real program passes elf_check in place."""
    data = (BUILD / "initrd.cpio").read_bytes()
    out = kfind(data, "bin/hello", tmp_path).split()
    start, size = int(out[3]), int(out[1])
    assert start % 4096 == 0
    assert kelf(data[start:start + size], tmp_path) == "ok"
