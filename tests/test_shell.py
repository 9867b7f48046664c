"""Issue 4: the shell (apps/sh.c), init, the utilities and the lecture
notes' three small shells. Scripts under rootfs/test/ are packed into the
boot archive as /test/...; most tests boot `sh /test/NAME.sh` and compare
what it printed between its BEGIN and END lines, exactly."""
import re

BOOT_LINE = re.compile(r"\[kernel\] \d+ free pages at boot\n")
END_LINE = "[kernel] no environments left"
PROMPT = r"(?m)^\$ $"


def between(out, begin="BEGIN", end="END"):
    """The lines printed between the lines begin and end."""
    lines = out.split("\n")
    return lines[lines.index(begin) + 1:lines.index(end)]


def after_boot(out):
    """Every line printed after the kernel's boot line, before power-off."""
    out = out[BOOT_LINE.search(out).end():]
    return out[:out.index(END_LINE)].split("\n")[:-1]


def script_lines(boot, path):
    """Boots `sh path`, waits for power-off (no panic, no leaked page) and
    returns the lines the script printed between BEGIN and END."""
    return between(boot(f"sh {path}").finish())


def expected(text):
    """An expected block's lines (the text between the triple quotes)."""
    return text.split("\n")[1:-1]


def typed(b, line, *answer, prompt=PROMPT):
    """Types a line at a prompt (Enter is CR, as from a terminal), waits
    for the answer's lines, in order, then for the next prompt."""
    b.send(line + "\r")
    b.expect_lines(*answer)
    b.expect(prompt)


TEXT_UTILITIES = r"""
== cat
pear 3
apple 10
fig 7
apple 10
banana 2
== cat -n
     1	pear 3
     2	apple 10
     3	fig 7
     4	apple 10
     5	banana 2
== cat - from a pipe between files
hello from the boot archive
middle
hello from the boot archive
== wc
 5 10 40 /tmp/text/fruit
5 /tmp/text/fruit
10
      1       2       8
 5 /tmp/text/fruit
 1 /test/hello.txt
 6 total
== grep
apple 10
apple 10
1:pear 3
2:apple 10
4:apple 10
5:banana 2
2
fig 7
apple 10
apple 10
pear 3
fig 7
fig 7
status 1
/tmp/text/fruit:apple 10
/tmp/text/fruit:apple 10
/tmp/text/fruit
found fig
grep: /tmp/text/missing: No such file or directory
status 2
== head
pear 3
apple 10
pear 3
1
2
3
4
5
6
7
8
9
10
== tail
apple 10
banana 2
apple 10
banana 2
18
19
20
== sort
apple 10
apple 10
banana 2
fig 7
pear 3
pear 3
fig 7
banana 2
apple 10
apple 10
banana 2
pear 3
fig 7
apple 10
apple 10
apple 10
banana 2
fig 7
pear 3
apple 10
apple 10
fig 7
pear 3
banana 2
== uniq
apple 10
banana 2
fig 7
pear 3
      2 apple 10
      1 banana 2
      1 fig 7
      1 pear 3
apple 10
banana 2
fig 7
pear 3
== tee
teed
teed
teed
teed
again
"""


def test_text_utilities(boot):
    """cat, wc, grep, head, tail, sort, uniq and tee (rootfs/test/text.sh)."""
    assert script_lines(boot, "/test/text.sh") == expected(TEXT_UTILITIES)

FILE_UTILITIES = r"""
== mkdir
mkdir: cannot create directory 'a': File exists
status 1
status 0
== touch
== ls
a
b
empty
.
..
c
a:
inside

b:
c
-rw-r--r--  1        0 empty
-rw-r--r--  1        6 five
b
ls: cannot access 'nothing': No such file or directory
status 2
== cp
12345
five
inside
six
cp: cannot stat 'nothing': No such file or directory
status 1
hello from the boot archive
== mv
a
b
empty
five
hello.txt
seven
c
five
seven
mv: cannot stat 'nothing': No such file or directory
status 1
== rm
rm: cannot remove 'b': Is a directory
status 1
rm: cannot remove 'nothing': No such file or directory
status 1
status 0
a
hello.txt
ls: cannot access 'files': No such file or directory
"""


def test_file_utilities(boot):
    """mkdir, touch, ls (-a, -l, -d), cp, mv and rm (rootfs/test/files.sh)."""
    assert script_lines(boot, "/test/files.sh") == expected(FILE_UTILITIES)

PROCESS_UTILITIES = r"""
== echo
hello world
no newline
a	b
c
x -- y
== true false
true 0
false 1
== yes
y
y
y
exov is here
exov is here
== seq
1
2
3
2
5
8
11
1,2,3,4,5
09
10
11
0.5
1.0
1.5
2.0
== sleep
slept
sleep: invalid time interval 'x'
status 1
== env printenv
A=1
B=two
PATH=/bin
X=y
42
status 1
SHOWN=yes
in a clean environment: PATH=/bin
== kill
KILL
INT
15
kill: NOPE: invalid signal specification
status 1
killed: 143
killed: 137
== ps
     PID     PPID STAT        RUNS
1
"""


def test_process_utilities(boot):
    """echo, true, false, yes, seq, sleep, env, printenv, kill and ps (rootfs/test/procs.sh)."""
    assert script_lines(boot, "/test/procs.sh") == expected(PROCESS_UTILITIES)

REDIRECTIONS = r"""
first line
first line
second line
replaced
1
== 2> separates the streams
ls exit 2
stdout:
/test/hello.txt
stderr:
ls: cannot access '/nonexistent': No such file or directory
== 2>&1 joins them, in order
ls: cannot access '/nonexistent': No such file or directory
1
0
== a group and a loop redirected
one
two
line 2
line 3
read: one
read: two
read: line
read: line
read: line
== errors
sh: /nonexistent: No such file or directory
exit 1
sh: /tmp/nodir/file: No such file or directory
exit 1
== a builtin's redirection is undone after it
/
stdout is the console again
"""


def test_redirections(boot):
    """Round trips through /tmp files, >> appends, 2> and 2>&1 (rootfs/test/redir.sh)."""
    assert script_lines(boot, "/test/redir.sh") == expected(REDIRECTIONS)

SHELL_FEATURES = r"""
== sh -c
name got 2 arguments: one, two words
exit status 5
killed by SIGKILL: 137
sh: nosuchprogram: not found
not found: 127
sh: syntax error: unexpected end of file
syntax error: 2
== sh -x
+ x=1
+ echo 'x is 1'
+ cat /tmp/x
x is 1
== sh FILE ARGS
script /tmp/s.sh with 2: a b c
its status 4
sh: /nonexistent.sh: No such file or directory
missing script: 127
== quoting
single $name "x" double exov 'y' $escaped a"b back\slash
tab	and  two spaces
2
== expansions
world 5 default set world
14 2 15
today is cloudy
inner nested deep
3 one three one two three
after shift: two three
[two]
[three]
$$ is a pid
== built-ins
/test
/tmp
/test
sh: cd: /nonexistent: No such file or directory
cd status 1
child sees hi
child sees []
prefix gives only-here
but here []
== exit statuses
0
1
0
127
200
SIGINT: 130
== a long pipeline
5
1000
"""


def test_shell_features(boot):
    """sh -c, sh -x, sh FILE ARGS, quoting, expansions, built-ins, statuses, long pipelines."""
    assert script_lines(boot, "/test/shell.sh") == expected(SHELL_FEATURES)

SCRIPT = r"""
hello, world
13
made the directory
      2 apple
4
2
ls said 2 with 0 lines out and 1 line of errors
a missing command gives 127: sh: nosuchcommand: not found
cherry is there
no kiwi
false, then 1
the slow job exited with 0
fast
slow
a job that exits 3: 3
1 + ... + 5 = 15
file fast
file slow
file words
tests work
cleaned up
done, status 0
"""


def test_script(boot):
    """A script using pipes, redirections, variables, && and ||,
    background jobs and wait (rootfs/test/script.sh): exactly its output."""
    assert after_boot(boot("sh /test/script.sh").finish()) == expected(SCRIPT)


def test_interactive_shell(boot):
    """init runs the shell; commands typed at the "$ " prompt; Ctrl-C ends
    a running yes (and not the shell), and drops a half-typed line;
    background jobs, jobs and the Done notice; a program reading the
    terminal; init starts a new shell when one exits ("init 2": two
    shells, then init ends too and the machine powers off)."""
    b = boot("init 2")
    b.expect(PROMPT)
    typed(b, "echo hello $((6 * 7))", "hello 42")
    b.send("yes\r")
    b.expect(r"y\r*\ny\r*\ny\r*\n")
    b.send("\x03")
    b.expect(r"\^C\r*\n")
    b.expect(PROMPT)
    typed(b, "echo status $?", "status 130")
    typed(b, "ps | grep -c \"^ *$$ \"", "1")
    b.send("half a line\x03")
    b.expect(r"\^C\r*\n")
    b.expect(PROMPT)
    typed(b, "echo status $?", "status 130")
    b.send("sleep 1 &\r")
    b.expect(r"\[1\] \d+\r*\n")
    b.expect(PROMPT)
    typed(b, "jobs", "[1]+  Running                 sleep 1 &")
    typed(b, "sleep 1.2", "[1]+  Done                    sleep 1")
    b.send("cat\r")
    b.send("typed into cat\r")
    b.expect_lines("typed into cat", "typed into cat")
    b.send("\x04")
    b.expect(PROMPT)
    typed(b, "exit 3", "init: the shell exited with status 3; starting a new one")
    typed(b, "echo second shell", "second shell")
    b.send("exit\r")
    b.expect_lines("init: the shell exited with status 0")
    b.finish()


def test_minish(boot):
    """The lecture notes' minimal shell: fork, execvp, waitpid; perror when
    exec fails; Ctrl-D ends it."""
    b = boot("minish")
    prompt = r"minish> $"
    b.expect(prompt)
    typed(b, "echo hello   from minish", "hello from minish", prompt=prompt)
    typed(b, "nosuch arg", "nosuch: No such file or directory", prompt=prompt)
    typed(b, "seq 2", "1", "2", prompt=prompt)
    b.send("\x04")
    b.finish()


def test_redirsh(boot):
    """The lecture notes' shell with redirection: command < input > output
    2> errlog, round trips through /tmp files."""
    b = boot("redirsh")
    prompt = r"redirsh> $"
    b.expect(prompt)
    typed(b, "echo round trip > /tmp/r", prompt=prompt)
    typed(b, "cat < /tmp/r", "round trip", prompt=prompt)
    typed(b, "wc -c </tmp/r >/tmp/n", prompt=prompt)
    typed(b, "cat /tmp/n", "11", prompt=prompt)
    typed(b, "ls /nope /test/hello.txt 2> /tmp/e > /tmp/o", prompt=prompt)
    typed(b, "cat /tmp/o", "/test/hello.txt", prompt=prompt)
    typed(b, "cat /tmp/e", "ls: cannot access '/nope': No such file or directory", prompt=prompt)
    typed(b, "cat < /nonexistent", "/nonexistent: No such file or directory", prompt=prompt)
    b.send("\x04")
    b.finish()


def test_pipesh(boot):
    """The lecture notes' shell with pipelines: command1 | command2 | ...,
    each command but the last in a child of the one after it."""
    b = boot("pipesh")
    prompt = r"pipesh> $"
    b.expect(prompt)
    typed(b, "seq 5 | sort -r | head -n 2", "5", "4", prompt=prompt)
    typed(b, "echo a b c | wc -w", "3", prompt=prompt)
    typed(b, "seq 100 | grep 7 | sort -n -r | head -n 3 | tail -n 1", "79", prompt=prompt)
    typed(b, "cat /test/hello.txt", "hello from the boot archive", prompt=prompt)
    b.send("\x04")
    b.finish()
