"""Issue 3: copy-on-write fork, exception upcalls and IPC, through the
library OS's process layer (fork, ipc_send/ipc_recv, waitpid, exit)."""
import itertools
import re

import pytest

from conftest import lines_of

FAULT_LINE = (r"\[([0-9a-f]{8})\] user fault va ([0-9a-f]{16}) pc ([0-9a-f]{16}) "
              r"cause (\d+)([^\r\n]*)\r*\n")


def primes_below(n):
    return [p for p in range(2, n) if all(p % d for d in range(2, int(p ** 0.5) + 1))]


def assert_no_user_trouble(out):
    assert "user panic" not in out
    assert "user fault" not in out


# Signs that a run has gone wrong: fail at once instead of timing out.
TROUBLE = r"\[kernel\] all \d+ environments are blocked|user fault|user panic"


def expect_or_trouble(b, pattern):
    """Waits for pattern, failing as soon as the console shows TROUBLE."""
    m = b.expect(f"(?P<good>{pattern})|(?P<trouble>{TROUBLE})")
    if m.group("good") is None:
        b.fail(f"trouble ({m.group('trouble')!r}) before {pattern!r}")
    return m


def test_forktree(boot):
    out = boot("forktree").finish()
    found = re.findall(r"(?m)^([0-9a-f]{4,8}): I am '([01]*)'\r*$", out)
    names = [name for _, name in found]
    want = ["".join(bits) for n in range(4) for bits in itertools.product("01", repeat=n)]
    assert len(want) == 15
    assert sorted(names) == sorted(want)  # each of the 15 exactly once
    ids = [envid for envid, _ in found]
    assert len(set(ids)) == 15  # 15 different processes
    assert found[0] == ("1000", "")  # the first env is the root
    # Each node prints before it forks its children.
    for name in want[1:]:
        assert names.index(name[:-1]) < names.index(name)
    assert_no_user_trouble(out)


def test_faultalloc(boot):
    b = boot("faultalloc")
    b.expect_lines("fault deadbeef",
                   "this string was faulted in at deadbeef",
                   "fault cafebffe",
                   "fault cafec000",
                   "this string was faulted in at cafebffe")
    out = b.finish()
    assert len(lines_of(out, r"^fault ")) == 3
    assert_no_user_trouble(out)


def test_faultallocbad(boot):
    # The kernel checks the pointer instead of faulting on it: sys_cputs
    # fails with E_FAULT, no handler runs, and the program panics.
    b = boot("faultallocbad")
    b.expect(r"\[00001000\] user panic in faultallocbad at apps/faultallocbad\.c:\d+: "
             r"sys_cputs\(0xdeadbeef\): bad address \(-6\)\r*\n")
    out = b.finish()
    assert "fault deadbeef" not in out
    assert "printed" not in out
    assert "user fault" not in out


def check_child_fault(b, va, cause, why):
    """The child (00001001) dies of a fault with the kernel's line; the
    parent then reports it. Returns the console output."""
    m = b.expect(FAULT_LINE)
    assert m.group(1) == "00001001"
    assert int(m.group(2), 16) == va
    assert m.group(4) == str(cause)
    assert m.group(5) == why
    b.expect_lines(f"parent: child 00001001 died of a fault, cause {cause}")
    out = b.finish()
    assert len(lines_of(out, "user fault")) == 1
    assert "not reached" not in out
    assert "user panic" not in out
    return out


def test_faultnostack(boot):
    b = boot("faultnostack")
    b.expect_lines("child 00001001: unmapping the exception stack, then faulting")
    check_child_fault(b, 0, 15, " (exception stack not mapped writable)")


def test_faultbadhandler(boot):
    # Entering the upcall at 0xdeadbeef is a fetch page fault, again and
    # again, one frame lower each time, until the exception stack is full.
    b = boot("faultbadhandler")
    b.expect_lines("child 00001001: upcall entry at deadbeef, then faulting")
    check_child_fault(b, 0xdeadbeef, 12, " (exception stack overflow)")


def test_faultevilhandler(boot):
    b = boot("faultevilhandler")
    b.expect_lines("child 00001001: exceptions off, upcall entry in the kernel, then faulting",
                   "child: upcall at KERNEL_VMA: invalid parameter; "
                   "in the direct map: invalid parameter")
    check_child_fault(b, 0, 15, "")  # the plain message: no upcall was tried


def test_faultregs(boot):
    b = boot("faultregs")
    b.expect_lines("faultregs: plain handler: all registers intact")
    b.expect(r"faultregs: the handler computed \d+\.\d{6}\r*\n")
    b.expect_lines("faultregs: FP-heavy handler: all registers intact",
                   "faultregs: nested fault: all registers intact",
                   "faultregs: all registers intact")
    out = b.finish()
    assert "want" not in out and "mismatches" not in out
    assert_no_user_trouble(out)


def test_pingpong(boot):
    b = boot("pingpong")
    m = b.expect(r"send 0 from ([0-9a-f]+) to ([0-9a-f]+)\r*\n")
    parent, child = m.group(1), m.group(2)
    assert parent == "1000" and child != parent
    out = b.finish()
    got = lines_of(out, r" got \d+ from ")
    want = [f"{child} got {i} from {parent}" if i % 2 == 0 else f"{parent} got {i} from {child}"
            for i in range(11)]
    assert got == want
    assert_no_user_trouble(out)


def test_primes(boot):
    b = boot("primes", timeout=120)
    b.expect_lines("primes: done up to 1000")
    out = b.finish()
    assert lines_of(out, r"^\d+$") == [str(p) for p in primes_below(1000)]
    assert_no_user_trouble(out)


def test_sendpage(boot):
    b = boot("sendpage")
    b.expect_lines("1001 got message from 1000: hello child environment! how are you?",
                   "child received correct message",
                   "1000 got message from 1001: hello parent environment! I'm good.",
                   "parent received correct message")
    out = b.finish()
    assert_no_user_trouble(out)


def test_stresssched(boot):
    b = boot("stresssched")
    b.expect_lines("stresssched: all 20 done")
    out = b.finish()
    done = re.findall(r"stresssched: child (\d+) \(([0-9a-f]{8})\) yielded 10 times, ran (\d+) times",
                      out)
    assert sorted(int(i) for i, _, _ in done) == list(range(20))
    assert len({envid for _, envid, _ in done}) == 20
    assert all(int(runs) >= 11 for _, _, runs in done)  # once, then once per yield
    assert_no_user_trouble(out)


def test_fairness(boot):
    b = boot("fairness")
    b.expect(r"fairness: parent ran \d+ times; children min \d+ max \d+\r*\n")
    out = b.finish()
    runs = [int(n) for n in re.findall(r"fairness: child [0-9a-f]{8} ran (\d+) times", out)]
    assert len(runs) == 5
    assert min(runs) > 0, runs
    assert max(runs) / min(runs) <= 2, runs
    assert_no_user_trouble(out)


def test_cowtest(boot):
    b = boot("cowtest")
    b.expect_lines("cowtest: forking with 4 MiB of data touched",
                   "cowtest: child copied 1 page for 1 write",
                   "cowtest: child read 4 MiB and copied 0 pages; 0 bytes differ")
    out = b.finish()
    assert "cowtest: child sees only its own writes" in out
    assert "cowtest: parent sees only its own writes; 0 bytes of the rest differ" in out
    assert out.index("cowtest: child exited with 0") > out.index("cowtest: parent sees")
    assert_no_user_trouble(out)


def test_1000_forks_leak_no_pages(boot):
    b = boot("forkloop", timeout=120)
    m = b.expect(r"forkloop: 1000 forks, (\d+) exit statuses right; "
                 r"free pages before (\d+), after (\d+)\r*\n")
    assert m.group(1) == "1000"
    assert m.group(2) == m.group(3)
    out = b.finish()
    assert_no_user_trouble(out)


def test_fork_until_no_env_is_left(boot):
    # Only the first process forks; fork fails when the 1024 slots are
    # taken, with -1 and EAGAIN; the half-made child is destroyed; the
    # 1023 children are released and reaped one by one.
    b = boot("forkbomb linear", timeout=120)
    m = expect_or_trouble(b, r"forkbomb: fork failed with -1, errno (?P<errno>\d+) "
                             r"\((?P<name>\w+)\); (?P<inuse>\d+) of 1024 env slots in use")
    assert m.group("name") == "EAGAIN" and m.group("inuse") == "1024"
    expect_or_trouble(b, r"forkbomb: 1023 children of the first process reaped, all clean")
    out = b.finish()  # every page is back at power-off
    assert_no_user_trouble(out)


# Regression tests for three kernel bugs these apps found: child-death
# notices piling up on a parent's exception stack; a never-started child
# lingering after its parent died; exofork leaking a page when memory
# ran out halfway through vm_create.


def test_parent_survives_40_children_dying_at_once(boot):
    b = boot("childstorm")
    expect_or_trouble(b, r"childstorm: 40 children, 40 reaped, 40 exited normally")
    out = b.finish()
    assert_no_user_trouble(out)


def test_unstarted_orphan_does_not_linger(boot):
    b = boot("orphanfork")
    b.expect_lines("orphanfork: made 00001001, exiting without starting it")
    expect_or_trouble(b, r"(?=\[kernel\] no environments left)")  # finish() reads it
    b.finish()


def test_fork_bomb_fails_cleanly_and_is_reclaimed(boot):
    # Every process forks until fork fails, then waits for its children.
    b = boot("forkbomb", timeout=120)
    m = expect_or_trouble(b, r"forkbomb: fork failed with -1, errno (?P<errno>\d+) "
                             r"\((?P<name>\w+)\); (?P<inuse>\d+) of 1024 env slots in use")
    assert m.group("name") in ("EAGAIN", "ENOMEM")
    expect_or_trouble(b, r"forkbomb: \d+ children of the first process reaped, all clean")
    out = b.finish()  # every page is back at power-off
    assert_no_user_trouble(out)


def test_fork_when_memory_runs_out(boot):
    # Testers fork with 0..40 pages left: each fork must return (a child
    # or -1/ENOMEM); none may kill its caller halfway (a tester may still
    # die of a user fault after fork returned: with no page left, even
    # exit's console flush cannot copy its copy-on-write page).
    b = boot("forkoom", mem="24M", timeout=120)
    m = b.expect(r"(?P<good>forkoom: \d+ forks, (?P<nomem>\d+) ENOMEM, \d+ died after fork "
                 r"returned, 0 died inside fork, 0 other)|(?P<bad>died of signal \d+ inside "
                 r"fork|\[kernel\] all \d+ environments are blocked)")
    if m.group("good") is None:
        b.fail(m.group("bad"))
    assert int(m.group("nomem")) > 0
    # Pages are checked by test_exofork_out_of_memory_leaks_nothing: one of
    # these exoforks runs out with 2 pages free and leaks one.
    b.finish(check_leaks=False)


def test_exofork_out_of_memory_leaks_nothing(boot):
    b = boot("exoforkoom")
    for left in range(3):
        m = b.expect(rf"exoforkoom: {left} pages free: exofork out of memory; "
                     r"free pages before (\d+), after (\d+)\r*\n")
        assert m.group(1) == m.group(2), f"exofork with {left} pages free leaked"
    b.expect_lines("exoforkoom: 0 leaks")
    b.finish()


def test_primes_first_1000_in_1002_processes(boot):
    # 1000 stages, the stage that only ever gets the 0, and the generator:
    # 1002 of the 1024 env slots at once.
    b = boot("primes 7920", timeout=180)
    b.expect_lines("primes: done up to 7920")
    out = b.finish()
    assert lines_of(out, r"^\d+$") == [str(p) for p in primes_below(7920)]
    assert_no_user_trouble(out)


def test_ipc_call_round_trips(boot):
    # ipc_call sends and waits in one call, switching straight to the
    # server; its errors leave the caller running.
    b = boot("ipccall")
    b.expect_lines("ipccall: to self: env is not receiving",
                   "ipccall: bad dstva: invalid parameter",
                   "ipccall: bad env: bad environment",
                   "ipccall: an impostor answers first: the server's answer taken, "
                   "its page not kept",
                   "ipccall: 5 of 5 source addresses right",
                   "ipccall: 1000 calls, 0 wrong answers, 10 of 10 pages written back, "
                   "server exit 0")
    assert_no_user_trouble(b.finish())


def test_ipc_page_pass_follows_page_map_rules(boot):
    # A page passed back and forth by ipc_call takes the kernel's quick
    # path; perms, the W rule, counts, a freed table and the fast upcall's
    # frame page must be handled as on the general one.
    b = boot("ipcpass")
    b.expect_lines("ipcpass: first: server RW-, back RW-, here RW-, 2 refs",
                   "ipcpass: 100 of 100 passes kept RW and 2 refs",
                   "ipcpass: replacing another page: server RW-, back RW-, here RW-, 2 refs",
                   "ipcpass: read-only there: server failed, kept R--, back ---, here RW-, 2 refs",
                   "ipcpass: read-only both: server R--, back R--, here R--, 2 refs",
                   "ipcpass: W from read-only: invalid parameter",
                   "ipcpass: server still waiting: yes",
                   "ipcpass: after the table went: server R--, back R--, here R--, 2 refs",
                   "ipcpass: 512 of 512 words of the reused table page intact")
    # Its exception stack's top page, sent back read-only, takes no frame:
    # the kernel ends the child at its fault on 0 (an upcall still armed
    # would have written the frame, and the handler faulted on the stack).
    m = b.expect(FAULT_LINE)
    assert (int(m.group(2), 16), m.group(4), m.group(5)) == (
        0, "15", " (exception stack not mapped writable)")
    b.expect_lines("ipcpass: exception stack sent back read-only: done; "
                   "the child died of a fault, cause 15",
                   "ipcpass: server exit 0, 1 refs")
    out = b.finish()
    assert len(lines_of(out, "user fault")) == 1
    assert "user panic" not in out
