"""Issue 4: file descriptors, pipes, the console, and files (/tmp on the
file server, the boot archive at /)."""
import re

from conftest import lines_of


def said(out, prefix):
    """The lines starting with prefix, without it."""
    return [l[len(prefix):] for l in out.split("\n") if l.startswith(prefix)]


def assert_clean(out):
    assert "user panic" not in out, lines_of(out, "user panic")


# --- descriptors ------------------------------------------------------------


def test_fork_and_dup_share_the_offset_dup2_fcntl_ebadf_emfile(boot):
    out = boot("fdtest").finish()
    assert_clean(out)
    assert said(out, "fdtest: ") == [
        # fork: one description, one offset; FD_CLOEXEC is per process
        "parent reads '01'",
        "child reads '2345'",
        "child F_GETFD 1, clears it",
        "after the child, parent reads '89ab'",
        "parent F_GETFD still 1",
        # another open is another description
        "a second open reads '0123'",
        "dup gives the lowest free fd: yes",
        "dup reads '01'",
        "the original then reads '23'",
        "dup2 onto an open fd: 0",
        "it reads the other description: '4567'",
        "dup2(fd, fd): fd",
        "dup2 from a closed fd: -1 EBADF",
        "dup2 to fd 64: -1 EBADF",
        "close: 0",
        "close again: -1 EBADF",
        "read a closed fd: EBADF",
        "write a read-only fd: -1 EBADF",
        "read a write-only fd: EBADF",
        "F_GETFD of a dup: 0",
        "F_DUPFD 20: 20, F_DUPFD_CLOEXEC 20: 21 with F_GETFD 1",
        "F_GETFL: O_RDONLY",
        "F_GETFD of a closed fd: -1 EBADF",
        "fd 0: a character device, isatty 1",
        "a file: isatty 0 ENOTTY",
        "a pipe: a FIFO, lseek -1 ESPIPE, F_GETFD 1 1",  # pipe2(O_CLOEXEC)
        "a closed fd: isatty 0 EBADF",
        # 0, 1, 2 and the file are open: 60 of the 64 are left
        "dup until it fails: 60 more fds, then EMFILE",
        "after closing them, dup gives 4",
        "done",
    ]


def test_descriptors_across_spawn_and_exec_and_close_on_exec(boot):
    out = boot("fdexec").finish()
    assert_clean(out)
    assert said(out, "fd") == [
        "exec: fds 3 4 5; a reads '0123'",
        # spawn: fd 3 shared (its offset moves for both), 4 (O_CLOEXEC) and
        # 5 (FD_CLOEXEC) not passed on; the cwd is
        "check spawn: cwd /tmp/fdexec",
        "check spawn: fd 3 open, F_GETFD 0, reads '4567' (4)",
        "check spawn: fd 4 closed (EBADF)",
        "check spawn: fd 5 closed (EBADF)",
        "exec: spawned child exited 0",
        "exec: after spawn, a reads '89ab'",
        # fork + exec: the same
        "check exec: cwd /tmp/fdexec",
        "check exec: fd 3 open, F_GETFD 0, reads 'cdef' (4)",
        "check exec: fd 4 closed (EBADF)",
        "check exec: fd 5 closed (EBADF)",
        "exec: exec'd child exited 0",
        "exec: after exec, a reads 'ghij'",
        "exec: b and c still open here: yes",
        # dup2 onto stdin before exec, as a shell redirects
        "check stdin: cwd /tmp/fdexec",
        "check stdin: fd 0 open, F_GETFD 0, reads 'ghij' (4)",
        "exec: redirected child exited 0",
    ]


# --- pipes --------------------------------------------------------------------


def test_pipe_streams_a_mebibyte_intact(boot):
    b = boot("pipetest stream")
    w = b.expect(r"pipetest: writer sent (\d+) bytes, checksum ([0-9a-f]{16})\r*\n")
    out = b.finish()
    r = re.search(r"pipetest: reader got (\d+) bytes, checksum ([0-9a-f]{16}), then (\S+)", out)
    assert r, out
    assert w.group(1) == r.group(1) == str(1 << 20)
    assert w.group(2) == r.group(2)
    assert r.group(3) == "EOF"
    assert "pipetest: writer exited 0" in out
    assert_clean(out)


def test_pipe_writes_of_pipe_buf_bytes_are_never_torn(boot):
    out = boot("pipetest multi").finish()
    assert said(out, "pipetest: ") == [
        "900 records from 3 writers, 0 torn, 0 out of order",
        "writer 0 exited 0", "writer 1 exited 0", "writer 2 exited 0", "done"]


def test_pipe_with_three_readers_gives_each_byte_once(boot):
    out = boot("pipetest readers").finish()
    got = [tuple(map(int, m)) for m in
           re.findall(r"^pipetest: reader \d: (\d+) numbers, sum (\d+)$", out, re.M)]
    assert len(got) == 3, out
    n = 20000
    assert sum(c for c, _ in got) == n
    assert sum(s for _, s in got) == n * (n - 1) // 2


def test_pipes_under_1_ms_time_slices(boot):
    # More preemption, more interleavings of readers and writers.
    for mode in ("stream", "multi", "readers"):
        b = boot(f"pipetest {mode}", bootargs="slice=1")
        out = b.finish()
        assert "pipetest: done" in out, out
        if mode == "multi":
            assert "pipetest: 900 records from 3 writers, 0 torn, 0 out of order" in out, out
        if mode == "stream":
            sums = re.findall(r"checksum ([0-9a-f]{16})", out)
            assert len(sums) == 2 and sums[0] == sums[1], out
        if mode == "readers":
            got = re.findall(r"reader \d: (\d+) numbers, sum (\d+)", out)
            assert sum(int(c) for c, _ in got) == 20000
            assert sum(int(s) for _, s in got) == 20000 * 19999 // 2


def test_pipe_without_reader_epipe_and_sigpipe(boot):
    out = boot("pipetest epipe").finish()
    assert said(out, "pipetest: ") == [
        "write with a reader: 5",
        "write after the reader exited: -1 EPIPE",  # SIGPIPE ignored
        "writer with no reader: killed by SIGPIPE",  # the default
        "writer blocked on a full pipe, reader exited: writer killed by SIGPIPE",
        # the reader closed nothing: kill wakes the sleeping writer
        "writer blocked on a full pipe, reader killed: writer killed by SIGPIPE",
        "done",
    ]


def test_pipe_eof_once_every_writer_is_gone_even_killed(boot):
    out = boot("pipetest eof").finish()
    assert said(out, "pipetest: ") == [
        "three writers that close: 15 bytes, then EOF",
        "a writer killed by SIGKILL: 3 bytes, then EOF",
        "a writer that faults: 3 bytes, then EOF",
        "two dups of one write end, both closed: 3 bytes, then EOF",
        "done",
    ]
    assert len(lines_of(out, r"user fault va 0000000000000000 .* cause 15$")) == 1


def test_five_stage_pipeline_with_fork_pipe_dup2_exec(boot):
    n = 3000
    out = boot(f"pipeline {n}").finish()
    want = sum((i + 3) * 2 - 1 for i in range(1, n + 1))
    assert f"filt sum: {n} numbers, total {want}" in out.split("\n")
    assert said(out, "pipeline: ") == [f"stage {i} exited 0" for i in range(5)]


# --- files ----------------------------------------------------------------------


FILETEST = """\
create /tmp/f: 0
write: 12
read back: 'hello, file\\n'
size: 12
O_CREAT|O_EXCL on it: EEXIST
O_APPEND write after lseek 0: 5
offset after it: 17
appended: 'hello, file\\nmore\\n'
lseek SEEK_END: 17
lseek SEEK_CUR -5: 12
then reads 'more'
lseek to -1: EINVAL
write to an O_RDONLY fd: EBADF
ftruncate an O_RDONLY fd: EINVAL
size after O_TRUNC: 0
ftruncate to 4: 0
grown: 'x\\0\\0\\0'
written past the end: 'x\\0\\0\\0\\0\\0y'
ftruncate to 1: 0
ftruncate to 3: 0
shrunk and grown: 'x\\0\\0'
rename a c: 0
a is then: ENOENT; c: 'file a\\n'
rename c b (replaces b): 0
b is then: 'file a\\n'; c: ENOENT
rename a missing file: ENOENT
rename a dir onto a file: ENOTDIR
rename a file onto a dir: EISDIR
rename a dir into itself: EINVAL
rename into a missing dir: ENOENT
rename /tmp/b /bin/b: EXDEV
rename /bin/hello /bin/x: EROFS
rename b into dir: 0
dir/b: 'file a\\n'
rename dir dir2: 0
dir2/b: 'file a\\n'
unlink dir2/b while open: 0
stat it: ENOENT
the open fd still reads 'file a'
unlink it again: ENOENT
unlink a dir: EISDIR
unlink /bin/hello: EROFS
rmdir dir2: 0
mkdir /tmp/d: 0
mkdir it again: EEXIST
mkdir /tmp/none/sub: ENOENT
mkdir under a file: ENOTDIR
open under a file: ENOTDIR
stat a/ (trailing slash): ENOTDIR
rmdir a non-empty dir: ENOTEMPTY
rmdir a file: ENOTDIR
rmdir a missing dir: ENOENT
rmdir /tmp: EBUSY
readdir /tmp/d: a b sub/
opendir a file: ENOTDIR
opendir a missing dir: ENOENT
read a dir fd: EISDIR
open a dir for writing: EISDIR
open a file with O_DIRECTORY: ENOTDIR
open a missing file: ENOENT
rmdir the emptied dir: 0
stat it: ENOENT
unlinking while reading /tmp/r: 20 removed
then rmdir it: 0
chdir /tmp/w: 0
getcwd: /tmp/w
/tmp/w/rel: 'relative\\n'
../w/./rel: 'relative\\n'
chdir ..: 0
getcwd: /tmp
chdir w/../w/: 0
getcwd: /tmp/w
chdir to a file: ENOTDIR
chdir to a missing dir: ENOENT
getcwd with a small buffer: ERANGE
chdir /bin: 0
getcwd: /bin
open hello (relative): 0
chdir ../..: 0
getcwd: /
stat /bin/hello: 0
/bin/hello: regular 1, executable 1, size equals bytes read 1, ELF 1
/bin is a directory: 1
/ is a directory: 1
stat /bin/hello/x: ENOTDIR
stat /nothere: ENOENT
open /bin/hello for writing: EROFS
create /bin/new: EROFS
mkdir /bin: EEXIST
mkdir /newdir: EROFS
readdir /bin has hello and filetest: 1
readdir / has bin/ and tmp/: 1
write 3 bytes to /dev/null: 3
read /dev/null: 0
/dev/null is a character device: 1
fgets: line 1
fgets: line 2
fopen /tmp/missing: No such file or directory
the child's file: 'from the child, no fclose'
a 300 KiB file: 307200 bytes read back, 0 wrong
3 processes append 100 lines each: 300 lines, 0 bad, size 3600
"""


def test_files_in_tmp_and_the_archive(boot):
    b = boot("filetest")
    out = b.finish()
    assert_clean(out)
    got = said(out, "filetest: ")
    want = FILETEST.splitlines()
    assert got[:len(want)] == want
    # /tmp holds 32 MiB; a few KiB are in other files
    m = re.fullmatch(r"filling /tmp: (\d+) MiB, then ENOSPC", got[len(want)])
    assert m and 30 <= int(m.group(1)) <= 32, got[len(want)]
    assert got[len(want) + 1:] == ["unlink it: 0", "write after: 65536", "done"]


def test_file_server_survives_bad_requests_and_dead_clients(boot):
    out = boot("fsdevil").finish()
    assert said(out, "fsdevil: ") == [
        "a request without a page: serves",
        "a read-only page: no answer, then serves",
        "operation 0: ENOSYS",
        "operation 1000: ENOSYS",
        "operation 2^40: ENOSYS",
        "read slot 100000: EBADF",
        "read a free slot: EBADF",
        "write 2^40 bytes: 3072",  # at most one request's worth
        "write at offset 2^64-1: EFBIG",
        "read 2^40 bytes: 3072",
        "readdir on a file: ENOTDIR",
        "a path with no end: ENAMETOOLONG",
        "a path with ..: EINVAL",
        "rename the root: EBUSY",
        "an open file's page sent to open again: EINVAL",
        "then: serves",
        # the server has 256 slots: closed and dead clients' come back
        "600 opens and closes: 0 failed",
        "5 children killed with 55 files open each: 0 could not open them; serves",
    ]


def test_file_server_keeps_clients_apart_and_impostors_out(boot):
    # A hostile client beside an honest one: the slots it was not given,
    # numbers out of range, seeded random requests, and an impostor posing
    # as the server. The honest client's file must come through intact.
    out = boot("fshostile", timeout=120).finish(timeout=120)
    assert said(out, "fshostile: ") == [
        "the honest client wrote its file: yes",
        "2560 requests on slots it was not given: 0 answered",
        "read at 2^63: 0",
        "read at 2^64-1: 0",
        "write at 2^63: EFBIG",
        "write 2^64-1 bytes at 1: 3072",  # at most one request's worth
        "truncate to 2^63: EFBIG",
        "truncate to 1 MiB: 0",
        "read in the grown part: 64",  # a hole past the last block: zeros
        "readdir at 2^64-1: ENOTDIR",
        "rename to a path with no end: ENAMETOOLONG",
        "3000 seeded random requests: 0 unanswered",
        "then: serves",
        "an impostor as the file's server: read: EIO; "
        "as the published server: stat: the real size",
        "the honest client's open file: intact",
        "finally: serves",
    ]


# --- the console ----------------------------------------------------------------


def test_console_line_editing_and_ctrl_d(boot):
    b = boot("readline fgets")
    b.expect_lines("readline: ready")
    b.send("abc\x7fd\n")
    b.expect_lines("readline: got 'abd'")
    b.send("xyz\x15ok\n")  # Ctrl-U erases the line
    b.expect_lines("readline: got 'ok'")
    b.send("tab\there\b\bRE\n")  # Backspace too
    b.expect_lines("readline: got 'tab\theRE'")
    b.send("y" * 1000 + "\n")
    b.expect_lines("readline: got '" + "y" * 1000 + "'")
    b.send("z" * 1100 + "\n")  # a line holds 1023 bytes and the newline
    b.expect_lines("readline: got '" + "z" * 1023 + "'")
    b.send("\x04")  # Ctrl-D at the start of a line: EOF
    b.expect_lines("readline: EOF")
    b.send("after\n\x04")  # reading goes on after EOF
    b.expect_lines("readline: got 'after'", "readline: EOF", "readline: done")
    out = b.finish()
    assert "abc\b \bd" in out  # the erase is echoed
    assert "xyz\b \b\b \b\b \bok" in out


def test_console_read_returns_one_line_and_ctrl_d_ends_a_partial_one(boot):
    b = boot("readline read")
    b.expect_lines("readline: ready")
    b.send("one\ntwo\n")
    b.expect_lines("readline: read 4 bytes: 'one'", "readline: read 4 bytes: 'two'")
    b.send("part\x04")  # no newline is echoed: the output follows "part"
    b.expect(r"partreadline: read 4 bytes: 'part'\r*\n")
    b.expect_lines("readline: done")
    b.finish()


def test_ctrl_c_kills_the_reader_by_default(boot):
    b = boot("readline fgets")
    b.expect_lines("readline: ready")
    b.send("abc\x03")
    b.expect(r"abc\^C")
    out = b.finish()
    assert "readline: got" not in out and "readline: EOF" not in out


def test_ctrl_c_with_sigint_ignored_gives_a_fresh_line(boot):
    b = boot("readline ignore")
    b.expect_lines("readline: ready")
    b.send("abc\x03")
    b.expect(r"abc\^C")
    b.send("def\n\x04")
    b.expect_lines("readline: got 'def'", "readline: EOF", "readline: done")
    b.finish()


def test_ctrl_c_with_a_handler_fails_the_read_with_eintr(boot):
    b = boot("readline catch")
    b.expect_lines("readline: ready")
    b.send("abc\x03")
    b.expect_lines("readline: read: -1 EINTR")
    b.send("x\n")
    b.expect_lines("readline: read 2 bytes: 'x'", "readline: handler saw signal 2",
                   "readline: done")
    b.finish()


def test_console_poll_keeps_type_ahead_and_reports_ctrl_c(boot):
    b = boot("readline poll")
    b.expect_lines("readline: ready", "readline: polling")
    b.send("first\n")
    b.expect(r"first\r*\n")  # echoed while polled
    b.send("part\x03")
    b.expect_lines("readline: console_poll saw Ctrl-C")
    b.expect_lines("readline: read 6 bytes: 'first'")  # the type-ahead
    b.send("second\n")
    b.expect_lines("readline: read 7 bytes: 'second'", "readline: done")
    out = b.finish()
    assert "part" not in out.split("console_poll saw")[1]
