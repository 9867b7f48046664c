# Process and environment utilities: echo, true, false, yes, seq, sleep, env, printenv, kill, ps.
echo BEGIN
echo "== echo"
echo hello   world
echo -n "no newline"; echo
echo -e 'a\tb\nc'
echo "-n" 'x' -- y
echo
echo "== true false"
true; echo "true $?"
false; echo "false $?"
echo "== yes"
yes | head -n 3
yes exov is here | head -n 2
echo "== seq"
seq 3
seq 2 3 11
seq -s , 5
seq -w 9 11
seq 3 1
seq 0.5 0.5 2
echo "== sleep"
sleep 0.2 && echo slept
sleep x
echo "status $?"
echo "== env printenv"
env -i A=1 B=two printenv
env -i PATH=/bin X=y env
X=42 printenv X
printenv NOSUCH
echo "status $?"
export SHOWN=yes
env | grep SHOWN
env -i /bin/sh -c 'echo "in a clean environment: PATH=$PATH"'
echo "== kill"
kill -l 9
kill -l 130
/bin/kill -l TERM
/bin/kill -s NOPE 1
echo "status $?"
sleep 5 &
kill $!
wait $!
echo "killed: $?"
sleep 5 &
kill -s KILL %1
wait %1
echo "killed: $?"
echo "== ps"
ps | head -n 1
ps | grep -c "^ *$$ "
echo END
