# The shell's own features: sh -c, sh -x, sh FILE ARGS, quoting, expansions,
# built-ins, exit statuses, long pipelines.
echo BEGIN
echo "== sh -c"
sh -c 'echo "$0 got $# arguments: $1, $2"' name one 'two words'
sh -c 'exit 5'
echo "exit status $?"
sh -c 'kill -s KILL $$'
echo "killed by SIGKILL: $?"
sh -c 'nosuchprogram'
echo "not found: $?"
sh -c 'echo unterminated "quote'
echo "syntax error: $?"
echo "== sh -x"
sh -x -c 'x=1; echo "x is $x" > /tmp/x; cat /tmp/x' 2>&1
echo "== sh FILE ARGS"
echo 'echo "script $0 with $#: $*"; exit 4' > /tmp/s.sh
sh /tmp/s.sh a 'b c'
echo "its status $?"
sh /nonexistent.sh
echo "missing script: $?"
echo "== quoting"
name=exov
echo 'single $name "x"' "double $name 'y'" \$escaped "a\"b" back\\slash
echo "tab	and  two spaces" | cat
echo ''"" "" | wc -c
echo "== expansions"
x=world
echo "${x} ${#x} ${nothing:-default} ${x:+set} ${x%ld}${x#wor}"
echo $((2 + 3 * 4)) $((17 % 5)) $(( (1 << 4) - 1 ))
echo "today is $(nosuchprogram 2>/tmp/err || echo cloudy)"
echo "inner $(echo "nested $(echo deep)")"
set -- one two three
echo "$# $1 $3 $*"
shift
echo "after shift: $@"
for w in "$@"; do echo "[$w]"; done
[ $$ -gt 0 ] && echo "\$\$ is a pid"
echo "== built-ins"
cd /test && pwd
cd /tmp
pwd
cd -
cd /nonexistent
echo "cd status $?"
export GREETING=hi
sh -c 'echo "child sees $GREETING"'
unset GREETING
sh -c 'echo "child sees [$GREETING]"'
LOCAL=only-here sh -c 'echo "prefix gives $LOCAL"'
echo "but here [$LOCAL]"
echo "== exit statuses"
true; echo $?
false; echo $?
! false; echo $?
nosuch 2>/tmp/err; echo $?
(exit 200); echo $?
sleep 5 & kill -s INT $!; wait $!; echo "SIGINT: $?"
echo "== a long pipeline"
seq 1 200 | grep 1 | grep -v 0 | sort -r | head -n 20 | tail -n 5 | cat | wc -l
seq 1 1000 | tail -n 1 | cat | cat | cat | cat | cat | cat | cat | cat
echo END
