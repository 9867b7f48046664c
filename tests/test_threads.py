"""Issue 5: user-level threads (pthreads in the library OS), preemption by
the timer upcall, thread-aware blocking, guard pages, and the kernel's
priorities between envs."""
import io
import re

import pexpect

from conftest import BUILD, Boot, lines_of

ENV = r"\[([0-9a-f]{8})\]"
FAULT_LINE = ENV + r" user fault va ([0-9a-f]{16}) pc ([0-9a-f]{16}) cause (\d+)\r*\n"


class IcountBoot(Boot):
    """A boot under -icount: QEMU then takes timer interrupts between any
    two instructions (without it, only where a translated block ends), so
    upcalls land inside straight-line code such as the register restore."""

    def __init__(self, init, bootargs="slice=1", timeout=120):
        self.log = io.StringIO()
        args = ["-machine", "virt", "-bios", "default", "-nographic", "-m", "128M", "-smp", "1",
                "-kernel", str(BUILD / "kernel.bin"), "-initrd", str(BUILD / "initrd.cpio"),
                "-append", f"{bootargs} init={init}", "-icount", "shift=0,sleep=off"]
        self.child = pexpect.spawn("qemu-system-riscv64", args, encoding="utf-8",
                                   codec_errors="replace", timeout=timeout)
        self.child.logfile_read = self.log


def assert_clean(out):
    assert "user panic" not in out, lines_of(out, "user panic")
    assert "deadlock" not in out, lines_of(out, "deadlock")
    assert "FAILED" not in out, lines_of(out, "FAILED")


def test_threads_counter_is_exact_under_a_mutex(boot):
    b = boot("threads")
    b.expect_lines("threads: 8 threads joined with their own return value")
    m = b.expect(r"threads: contended (\d+) times\r*\n")
    # The timer preempted threads inside the critical section.
    assert int(m.group(1)) > 0
    b.expect_lines("threads: total 160000, expected 160000")
    assert_clean(b.finish())


def test_prodcons_every_item_consumed_exactly_once(boot):
    b = boot("prodcons")
    m = b.expect(r"prodcons: (\d+) consumed of 1500 produced; buffer held at most (\d+) of 4\r*\n")
    assert m.group(1) == "1500" and 1 <= int(m.group(2)) <= 4
    m = b.expect(r"prodcons: producers waited for room (\d+) times, "
                 r"consumers for items (\d+) times\r*\n")
    # The consumers start first, so they wait for items at least once;
    # how often the ring is full depends on where the timer strikes.
    assert int(m.group(2)) > 0
    b.expect_lines("prodcons: once 1500, more than once 0, never 0")
    out = b.finish()
    takes = [int(n) for n in re.findall(r"prodcons: consumer \d took (\d+) items", out)]
    assert len(takes) == 4 and sum(takes) == 1500
    assert_clean(out)


def test_preempt_a_spinning_thread_does_not_starve_the_others(boot):
    # Passes only if the timer upcall switches threads: the spinner never
    # yields, and main waits for the printer.
    b = boot("preempt")
    b.expect_lines(*[f"preempt: line {i}" for i in range(10)])
    b.expect_lines("preempt: printer done, spinner spun: yes")
    assert_clean(b.finish())


def test_preempt_with_a_short_slice(boot):
    b = boot("preempt", bootargs="slice=1")
    b.expect_lines("preempt: line 9", "preempt: printer done, spinner spun: yes")
    b.finish()


def test_guard_page_reports_the_threads_stack_overflow(boot):
    b = boot("guard")
    tid = b.expect(r"guard: thread (\d+) recursing\r*\n").group(1)
    m = b.expect(ENV + r" thread (\d+): stack overflow \(fault at ([0-9a-f]+)\)\r*\n")
    assert m.group(2) == tid
    va = int(m.group(3), 16)
    f = b.expect(FAULT_LINE)
    assert f.group(1) == m.group(1) and int(f.group(2), 16) == va
    # The fault is in the thread's slot, below its 64 KiB stack: in the
    # guard, not in another thread's memory.
    slot_base = 0x3800000000 + ((va - 0x3800000000) // 0x100000) * 0x100000
    assert slot_base <= va < slot_base + 0x100000 - 64 * 1024 - 4096
    b.expect_lines("guard: thread child killed by signal 11")
    b.expect_lines("guard: thread 1 (main) recursing")
    m = b.expect(ENV + r" thread 1: stack overflow \(fault at ([0-9a-f]+)\)\r*\n")
    assert 0x3f7fef0000 - 4096 <= int(m.group(2), 16) < 0x3f7fef0000  # below the 1 MiB stack
    b.expect_lines("guard: main child killed by signal 11")
    out = b.finish()
    assert "not reached" not in out


def test_errno_is_per_thread(boot):
    out = boot("threaderrno").finish()
    assert "errno: thread 0 kept ERANGE: yes" in out
    assert "errno: thread 1 kept EINVAL: yes" in out
    assert "errno: main kept 0: yes" in out
    assert "errno: three different addresses: yes" in out


def test_fork_and_waitpid_in_a_threaded_process(boot):
    b = boot("threadfork")
    b.expect_lines("child: only the forking thread: yes",
                   "child: a new thread returned 42",
                   # waitpid blocked only the thread that called it
                   "fork: child exited with 7; worker counted during waitpid: yes",
                   # with every thread blocked, the env itself sleeps
                   "child: parent asleep: yes; it ran meanwhile: no",
                   "fork: done")
    assert_clean(b.finish())


def test_pthread_api(boot):
    b = boot("threadapi")
    b.expect_lines("api: main thread is thread 1: ok",
                   "api: pthread_once ran init once, every caller after it: ok",
                   "api: each thread has its own key value: ok",
                   "api: destructors ran at thread exit with each value: ok",
                   "api: detached threads give their slots back: ok",
                   "api: pthread_detach then join is EINVAL: ok",
                   "api: pthread_detach of an exited thread frees it, then join is ESRCH: ok",
                   "api: join of no such thread is ESRCH: ok",
                   "api: join of oneself is EDEADLK: ok",
                   "api: relock of an error-checking mutex is EDEADLK: ok",
                   "api: unlock by another thread is EPERM: ok",
                   "api: trylock of a held mutex is EBUSY: ok",
                   "api: a recursive mutex counts its holds: ok",
                   "api: cooperative turns abababab",
                   "api: a thread with preemption off is not preempted: ok",
                   "api: the last thread returns",
                   "api: after main's pthread_exit the process ends with the last thread, "
                   "status 0: ok",
                   "api: done")
    assert_clean(b.finish())


def test_threadpipe_blocking_is_per_thread(boot):
    b = boot("threadpipe")
    # The reader blocks in read on the empty pipe; the printer runs.
    b.expect_lines(*[f"threadpipe: printer line {i}; reader has data: no" for i in range(10)])
    # 64 KiB in one write through a 16 KiB pipe: the writer blocks until the
    # reader, another thread of the same process, drains it.
    b.expect_lines("threadpipe: wrote 65536 bytes in one write; the reader read during it: yes")
    m = b.expect(r"threadpipe: reader got 65536 bytes in (\d+) reads, 0 out of order\r*\n")
    assert int(m.group(1)) >= 4
    # A reader thread and main (in waitpid) both block: the env sleeps, and
    # the child's write wakes it.
    b.expect_lines("threadpipe: from the child: parent was asleep")
    assert_clean(b.finish())


def test_stress_64_threads_creating_and_joining(boot):
    b = boot("threadstress")
    b.expect_lines("stress: 64 threads made 1024 children; 0 join errors",
                   "stress: threads report 61440 additions; counters hold 61440; expected 61440")
    assert_clean(b.finish())


def test_upcalls_landing_inside_the_register_restore():
    # Ticks every 100 us switch four threads that live in ebreak round
    # trips; the parent signals the child process all along. Under icount
    # upcalls land between any two instructions of the trampoline too
    # (this caught gp being loaded too early in the restore).
    b = IcountBoot("upcallstorm")
    try:
        b.expect_lines("upcallstorm: 4 of 4 threads exact after 100000 ebreak round trips each")
        m = b.expect(r"upcallstorm: (\d+) signals taken\r*\n")
        assert int(m.group(1)) > 50
        b.expect_lines("upcallstorm: child exited with 0")
        assert_clean(b.finish())
    finally:
        b.close()


def test_stress_under_icount():
    b = IcountBoot("threadstress")
    try:
        b.expect_lines("stress: 64 threads made 1024 children; 0 join errors",
                       "stress: threads report 61440 additions; counters hold 61440; "
                       "expected 61440")
        assert_clean(b.finish())
    finally:
        b.close()


def check_prio(b):
    b.expect_lines("prio: high ran 4 slices, low ran 0 meanwhile; "
                   "low first ran after high was done: yes")
    # Aging: while the low env waits below the running level, every 8th
    # pick is its: 41 picks of high (its 40 slices and the first) give 5
    # (one more or less if the window's ends fall between picks).
    m = b.expect(r"prio: aging: high ran 40 slices, low ran (\d+) meanwhile\r*\n")
    assert 4 <= int(m.group(1)) <= 6
    # Equal priorities take turns, slice by slice. (The log may miss a
    # slice in which a busy host let an env do nothing; the counts do not.)
    m = b.expect(r"prio: equal pair: ([AB]+); one ahead of the other by at most (\d+) slice\r*\n")
    assert m.group(2) == "1"
    assert "AAA" not in m.group(1) and "BBB" not in m.group(1)
    b.finish()


def test_prio_high_first_aging_and_equal_turns(boot):
    check_prio(boot("prio"))


def test_prio_with_a_short_slice(boot):
    check_prio(boot("prio", bootargs="slice=2"))
