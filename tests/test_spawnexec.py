"""Issue 3: processes: spawn, exec, the environment, wait and exit status, kill and signals."""
import re

import pytest

from conftest import lines_of

HEX = r"([0-9a-f]{8})"


def block(lines, start, end):
    """The lines after the first one matching start, up to the first one
    matching end (both regular expressions), and the end line itself."""
    for i, l in enumerate(lines):
        if re.search(start, l):
            for j in range(i + 1, len(lines)):
                if re.search(end, lines[j]):
                    return lines[i + 1:j], lines[j]
            raise AssertionError(f"no {end!r} after {start!r}")
    raise AssertionError(f"no {start!r}")


def assert_clean(out):
    """No library panic in the log."""
    assert "user panic" not in out, lines_of(out, "user panic")


# --- spawn ----------------------------------------------------------------


def test_spawnhello(boot):
    b = boot("spawnhello")
    parent = b.expect(r"i am parent environment " + HEX + r"\r*\n").group(1)
    b.expect_lines("hello, world")
    child = b.expect(r"i am environment " + HEX + r"\r*\n").group(1)
    out = b.finish()
    assert parent == "00001000"
    assert child != parent
    assert len(lines_of(out, r"^hello, world$")) == 1
    assert_clean(out)


def test_spawninit_passes_arguments_data_and_bss(boot):
    b = boot("spawninit")
    b.expect_lines("i am parent environment 00001000",
                   "init: running",
                   "init: data seems okay",
                   "init: bss seems okay",
                   "init: args: 'init' 'one' 'two'",
                   "init: exiting")
    out = b.finish()
    assert not lines_of(out, r"not initialized")
    assert_clean(out)


def test_initcheck_as_first_env(boot):
    # The same program loaded by the kernel instead of by spawn.
    b = boot("initcheck one two")
    b.expect_lines("init: running", "init: data seems okay", "init: bss seems okay",
                   "init: args: 'initcheck' 'one' 'two'", "init: exiting")
    b.finish()


# --- exec -----------------------------------------------------------------


def showargs_block(lines, after):
    """One run of showargs after the line matching after: (pid, ppid, argv, env)."""
    body, last = block(lines, after, r"^showargs: \d+ variables$")
    m = re.match(r"^showargs: pid " + HEX + " ppid " + HEX + "$", body[0])
    assert m, body
    argc = int(re.match(r"^showargs: argc (\d+)$", body[1]).group(1))
    argv = [re.match(r"^showargs: argv\[%d\] (.*)$" % i, body[2 + i]).group(1) for i in range(argc)]
    env = [re.match(r"^showargs: env\[%d\] '(.*)'$" % i, l).group(1)
           for i, l in enumerate(body[2 + argc:])]
    assert last == f"showargs: {len(env)} variables"
    return m.group(1), m.group(2), argv, env


def test_exec_keeps_pid_passes_argv_and_environment(boot):
    b = boot("exectest")
    b.expect_lines("exectest: pid 00001000, argv[0] 'exectest'")
    out = b.finish()
    lines = out.split("\n")
    assert_clean(out)

    # Failed execs return -1 with errno, and the caller goes on.
    fails = lines_of(out, r"^exectest: .*: returned ")
    assert fails == [
        "exectest: execv /bin/nosuchprogram: returned -1, errno ENOENT; still running as 00001000",
        "exectest: execvp nosuchprogram: returned -1, errno ENOENT; still running as 00001000",
        "exectest: execl /bin/nosuchprogram: returned -1, errno ENOENT; still running as 00001000",
        "exectest: execlp nosuchprogram: returned -1, errno ENOENT; still running as 00001000",
        "exectest: execve /nosuchdir/showargs: returned -1, errno ENOENT; still running as 00001000",
        # POSIX says EACCES for a file that is not a regular file; a
        # loader that just finds no ELF program there says ENOEXEC.
        fails[5],
        "exectest: execv with a 128 KiB argument: returned -1, errno E2BIG; still running as 00001000",
        "exectest: execv with 16384 arguments: returned -1, errno E2BIG; still running as 00001000",
    ]
    assert re.fullmatch(r"exectest: execv /bin \(a directory\): returned -1, errno (ENOEXEC|EACCES); "
                        r"still running as 00001000", fails[5])

    # execv, execvp, execl, execlp in children: same pid before and after,
    # the arguments as given, the environment kept.
    for how in ("execv", "execvp", "execl", "execlp"):
        child = re.search(r"^exectest: child " + HEX + f" runs {how}$", out, re.M).group(1)
        pid, ppid, argv, env = showargs_block(lines, f"^exectest: child {child} runs {how}$")
        assert (pid, ppid) == (child, "00001000"), how
        assert argv == ["'showargs'", f"'{how}'", "'two words'", "''"], how
        want = {"GREETING=hello from exectest"}
        if how == "execvp":
            want.add("PATH=/nowhere:/bin")
        assert set(env) == want, how
        assert f"exectest: {how} child {child}: exited 0" in lines, how

    # exectest execs itself: the same pid, and the old image's child is
    # still its child.
    child = re.search(r"^exectest: child " + HEX + " exits 42; exectest execs itself$", out,
                      re.M).group(1)
    b_from = lines.index(f"exectest: child {child} exits 42; exectest execs itself")
    assert lines[b_from + 1:b_from + 4] == [
        "exectest: pid 00001000 again, after exec",
        "exectest: wait() after exec: a child reaped, exited 42",
        "exectest: pid 00001000 calls execve",
    ]

    # Then execve: the same pid, a new environment.
    pid, ppid, argv, env = showargs_block(lines, r"^exectest: pid 00001000 calls execve$")
    assert (pid, ppid) == ("00001000", "00000000")
    assert argv == ["'showargs'", "'from'", "'execve'", "3000 chars 'beginyyy...yyy<end>'"]
    assert env == ["KEY1=value1", "KEY2=value2"]
    assert not lines_of(out, r"^exec(v|ve|vp|l|lp)?: ")  # no perror line


# --- environment -------------------------------------------------------------


def env_section(lines, name):
    body, end = block(lines, "^envtest: --- " + re.escape(name) + "$",
                      "^envtest: --- end of " + re.escape(name) + ": ")
    return body, end.split(": ")[-1]


def test_environment_functions_fork_exec_and_spawn(boot):
    b = boot("envtest")
    b.expect_lines(
        "envtest: FOO is unset",
        "envtest: setenv(FOO, bar, 1): 0",
        "envtest: FOO = 'bar'",
        "envtest: setenv(FOO, baz, 0): 0",
        "envtest: FOO = 'bar'",
        "envtest: setenv(FOO, baz, 1): 0",
        "envtest: FOO = 'baz'",
        "envtest: putenv(COLOR=blue): 0",
        "envtest: COLOR = 'blue'",
        'envtest: setenv(EMPTY, "", 1): 0',
        "envtest: EMPTY = ''",
        "envtest: unsetenv(FOO): 0",
        "envtest: FOO is unset",
        "envtest: unsetenv(FOO) again: 0",
        "envtest: setenv(A=B, x, 1): -1, errno EINVAL",
        "envtest: unsetenv(A=B): -1, errno EINVAL",
        "envtest: setenv(FOO, inherited, 1): 0",
        "envtest: 3 variables",
        "envtest: child sees FOO = 'inherited'",
        "envtest: child now has FOO = 'changed in child'",
        "envtest: after the child, parent has FOO = 'inherited'",
        "envtest: CHILDONLY is unset",
    )
    out = b.finish()
    assert_clean(out)
    lines = out.split("\n")
    mine = {"COLOR=blue", "EMPTY=", "FOO=inherited"}

    body, how = env_section(lines, "execv printenv")
    assert (set(body), len(body), how) == (mine, 3, "exited 0")
    body, how = env_section(lines, "execve printenv")
    assert (body, how) == (["ONLY=this", "AND=that"], "exited 0")
    body, how = env_section(lines, "spawn printenv")
    assert (set(body), len(body), how) == (mine, 3, "exited 0")
    body, how = env_section(lines, "spawnve printenv")
    assert (body, how) == (["SPAWNED=yes", "X=1"], "exited 0")
    body, how = env_section(lines, "spawnve printenv, empty environment")
    assert (body, how) == ([], "exited 0")
    # printenv NAME...: the values, and status 1 since NOPE is unset
    body, how = env_section(lines, "spawnl printenv FOO NOPE COLOR")
    assert (body, how) == (["inherited", "blue"], "exited 1")
    body, how = env_section(lines, "spawn printenv, 40 more variables")
    want = mine | {f"VAR{i}=value number {i}" for i in range(40)}
    assert (set(body), len(body), how) == (want, 43, "exited 0")
    body, how = env_section(lines, "spawn printenv, a variable longer than ARG_MAX")
    assert (body, how) == ([], "failed, errno E2BIG")
    assert "envtest: done" in lines


def test_setenv_rejects_an_empty_name(boot):
    out = boot("envtest").finish()
    assert lines_of(out, r'^envtest: setenv\(""') == ['envtest: setenv("", x, 1): -1, errno EINVAL']


def test_putenv_string_becomes_part_of_the_environment(boot):
    out = boot("envtest").finish()
    assert lines_of(out, r"^envtest: after changing putenv") == [
        "envtest: after changing putenv's string, PUT = 'two'"]


def test_environment_under_arg_max_is_passed(boot):
    out = boot("envtest").finish()
    body, how = env_section(out.split("\n"), "spawn printenv, 100 more long variables")
    assert how == "exited 0"
    assert len(body) == 143
    assert {f"BIG{i}={i}:" + "b" * 60 for i in range(100)} <= set(body)


# --- wait and exit status ------------------------------------------------------


def test_wait_exit_status_faults_wnohang_echild_orphan(boot):
    b = boot("waittest")
    b.expect_lines("Parent pid: 4096")
    out = b.finish()
    assert_clean(out)
    lines = out.split("\n")

    # The lecture's fork example: both sides, in either order.
    parent_line = lines_of(out, r"^\[4096\] parent of \[\d+\]$")
    assert len(parent_line) == 1
    child = re.search(r"of \[(\d+)\]", parent_line[0]).group(1)
    assert child != "4096"
    assert lines_of(out, r"^\[\d+\] child$") == [f"[{child}] child"]

    # exit codes: the low 8 bits, as WEXITSTATUS
    got = [re.sub(r"\[\d+\]", "[pid]", l) for l in lines_of(out, r"^exit\(")]
    assert got == [f"exit({c}): waitpid ok, [pid] main returned or exit called with {s}"
                   for c, s in ((0, 0), (1, 1), (42, 42), (255, 255), (256, 0), (-1, 255),
                                (7, 7))]

    # faults are deaths by signal
    assert lines_of(out, r"^a child that ") == [
        "a child that writes address 0: WIFSIGNALED, WTERMSIG SIGSEGV",
        "a child that reads address 0: WIFSIGNALED, WTERMSIG SIGSEGV",
        "a child that jumps to address 0: WIFSIGNALED, WTERMSIG SIGSEGV",
        "a child that runs an illegal instruction: WIFSIGNALED, WTERMSIG SIGILL",
    ]
    killed = [re.sub(r"^\[\d+\] ", "", l) for l in lines_of(out, r"killed by signal")]
    assert killed == ["killed by signal 11 (control-C causes signal 2)"] * 3 + \
        ["killed by signal 4 (control-C causes signal 2)"]
    assert not lines_of(out, "still alive after the fault|^read ")

    # the rest, in order
    rest_from = lines.index("waitpid(child, WNOHANG) while it runs: 0")
    rest = [l for l in lines[rest_from:] if l and not l.startswith("[")]
    assert rest[:13] == [
        "waitpid(child, WNOHANG) while it runs: 0",
        "waitpid(-1, WNOHANG) while it runs: 0",
        "waitpid(child, WNOHANG) after the message: the child, exited 5",
        "waitpid(-1): no child process to wait for (ECHILD)",
        "waited for 3 children, exit codes add up to 33",
        "wait() with no children: -1, ECHILD",
        "waitpid(myself): -1, ECHILD",
        "child: waitpid(my parent): -1, ECHILD",
        "child exited: yes",
        "waitpid(grandchild): -1, ECHILD",
        "waitpid(child) again: -1, ECHILD",
        rest[11],
        "grandchild: orphan exiting",
    ]
    m = re.fullmatch(r"grandchild: my parent (\d+) is gone; getppid\(\) = 0", rest[11])
    assert m and m.group(1) not in ("0", "4096")
    assert rest[13:15] == ["the orphan is gone: the kernel reaped it", "waittest: done"]


# --- kill and signals ------------------------------------------------------------


def test_kill_and_signals(boot):
    b = boot("killtest")
    b.expect_lines("killtest: done")
    out = b.finish()
    assert_clean(out)

    assert lines_of(out, r"^killtest: ") == [
        "killtest: the child ignored SIGTERM, SIGINT, SIGUSR1, SIGUSR2: still alive",
        "killtest: kill(child, SIGKILL): 0",
        "killtest: ignoring child: killed by SIGKILL",
        "killtest: never-run child, kill(SIGTERM) 0: killed by SIGTERM",
        "killtest: spinning child, kill(SIGTERM) 0: killed by SIGTERM",
        "killtest: spinning child, kill(SIGINT) 0: killed by SIGINT",
        "killtest: spinning child, kill(SIGUSR1) 0: killed by SIGUSR1",
        "killtest: spinning child, kill(SIGUSR2) 0: killed by SIGUSR2",
        "killtest: spinning child, kill(SIGKILL) 0: killed by SIGKILL",
        "killtest: kill(child, SIGUSR1): 0",
        "killtest: kill(child, SIGUSR2): 0",
        "killtest: kill(child, SIGINT): 0",
        "killtest: kill(child, SIGUSR2): 0",
        "killtest: kill(child, SIGTERM): 0",
        "killtest: handling child: killed by SIGTERM",
        "killtest: kill(child, SIGUSR1): 0",
        "killtest: child with an inherited handler: exited 0",
        "killtest: raise(SIGUSR2): 0; the handler ran before raise returned",
        "killtest: raise(SIGTERM) child: killed by SIGTERM",
        "killtest: kill(grandchild, SIGKILL): 0",
        "killtest: child: exited 0",
        "killtest: kill(sibling, 0): 0",
        "killtest: kill(sibling, 999): -1, EINVAL",
        "killtest: kill(sibling, SIGKILL): 0",
        "killtest: sibling: killed by SIGKILL",
        "killtest: kill(reaped pid, SIGTERM): -1, ESRCH",
        "killtest: kill(child in ipc_recv, SIGTERM): 0",
        "killtest: child in ipc_recv: killed by SIGTERM",
        "killtest: kill(child in sys_ipc_recv, SIGUSR1): 0",
        "killtest: child in sys_ipc_recv: exited 0",
        "killtest: kill(child in waitpid, SIGINT): 0",
        "killtest: child in waitpid: killed by SIGINT",
        "killtest: done",
    ]
    assert lines_of(out, r"^child: ") == [
        # SIGKILL can be neither ignored nor caught
        "child: signal(SIGKILL, SIG_IGN): SIG_ERR, EINVAL",
        "child: sigaction(SIGKILL): -1, EINVAL",
        # handlers run in the child, which goes on with its loop
        "child: sigaction reads back the SIGUSR2 handler: yes",
        "child: caught SIGUSR1",
        "child: back in the loop after signal 1",
        "child: caught SIGUSR2",
        "child: back in the loop after signal 2",
        "child: caught SIGINT",
        "child: back in the loop after signal 3",
        "child: caught SIGUSR2",
        "child: back in the loop after signal 4",
        "child: 4 signals handled; the loop goes on until SIGTERM",
        # a handler set before fork
        "child: caught SIGUSR1",
        "child: the handler set before fork ran",
        # only ancestors may signal
        "child: kill(parent, SIGTERM): -1, EPERM",
        "child: kill(parent, 0): -1, EPERM",
        "child: kill(sibling, SIGKILL): -1, EPERM",
        "child: my child, killed by its grandparent: killed by SIGKILL",
        # blocked in the raw ipc_recv: the handler runs, the call fails
        "child: caught SIGUSR1 while blocked",
        "child: sys_ipc_recv returned -E_INTR",
    ]
    assert not lines_of(out, r"^grandchild: ")


# --- signals and exec ---------------------------------------------------------


def test_exec_resets_caught_signals_to_default(boot):
    b = boot("execsignal caught")
    b.expect_lines("execsignal: a caught signal, then exec: killed by SIGUSR1", "execsignal: done")
    b.finish()


def test_exec_keeps_ignored_signals_ignored(boot):
    b = boot("execsignal ignored")
    b.expect_lines("execsignal: an ignored signal, then exec: ignored", "execsignal: done")
    b.finish()


def test_signal_ignored_by_default_leaves_a_running_child_alone(boot):
    b = boot("execsignal spawn")
    b.expect_lines("execsignal: kill(a running child, SIGCHLD) 0: ignored")
    b.finish()


def test_signal_ignored_by_default_leaves_a_new_spawn_alone(boot):
    b = boot("execsignal spawn")
    b.expect_lines("execsignal: kill(a just-spawned child, SIGCHLD) 0: ignored")
    b.finish()


def test_signal_during_exec_acts_as_that_signal(boot):
    # exec turns upcalls off before unmapping the old image, so kill falls
    # back to destroying the target, which is SIGTERM's default anyway.
    b = boot("execsignal race", timeout=120)
    m = b.expect(r"SIGTERM during exec, (\d+) trials: (\d+) killed by SIGTERM, (\d+) otherwise")
    out = b.finish()
    assert m.group(2) == m.group(1) and m.group(3) == "0", lines_of(out, "trial|user fault")
