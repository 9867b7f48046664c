# The shell script test: variables, pipes, redirections, && and ||,
# background jobs and wait, loops and tests.
name=world
greeting="hello, $name"
echo "$greeting"
echo "$greeting" | wc -c
dir=/tmp/script
mkdir $dir && echo "made the directory"

# redirections and pipes
for word in cherry apple banana apple; do
	echo $word >> $dir/words
done
sort $dir/words | uniq -c | sort -rn | head -n 1
wc -l < $dir/words
grep -c apple $dir/words
ls /nonexistent > $dir/out 2> $dir/err
echo "ls said $? with $(wc -l < $dir/out) lines out and $(wc -l < $dir/err) line of errors"
nosuchcommand 2> $dir/nf
echo "a missing command gives $?: $(cat $dir/nf)"

# && and ||
grep -q cherry $dir/words && echo "cherry is there"
grep -q kiwi $dir/words || echo "no kiwi"
false && echo "never" || echo "false, then $?"
true || echo "never"

# background jobs and wait
(sleep 0.3; echo slow > $dir/slow) &
slow=$!
echo fast > $dir/fast &
wait $slow
echo "the slow job exited with $?"
wait
cat $dir/fast $dir/slow
(exit 3) &
wait $!
echo "a job that exits 3: $?"

# variables, arithmetic, loops and tests
n=0
total=0
while [ $n -lt 5 ]; do
	n=$((n + 1))
	total=$((total + n))
done
echo "1 + ... + $n = $total"
for f in $dir/*; do
	case $f in
	*/err | */out | */nf) ;;
	*) echo "file ${f#$dir/}" ;;
	esac
done
if [ -d $dir ] && [ ! -f $dir/none ]; then
	echo "tests work"
fi
rm -r $dir
[ -d $dir ] || echo "cleaned up"
echo "done, status $?"
