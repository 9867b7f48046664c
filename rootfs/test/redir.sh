# Redirections: round trips through /tmp files, >> appends, 2> separates the streams.
echo BEGIN
f=/tmp/redir
echo "first line" > $f
cat < $f
echo "second line" >> $f
cat $f
echo "replaced" > $f
cat $f
wc -l < $f > $f.count
cat $f.count
echo "== 2> separates the streams"
ls /test/hello.txt /nonexistent > $f.out 2> $f.err
echo "ls exit $?"
echo "stdout:"
cat $f.out
echo "stderr:"
cat $f.err
echo "== 2>&1 joins them, in order"
ls /nonexistent > $f.both 2>&1
cat $f.both
ls /nonexistent 2>&1 > $f.none | wc -l
wc -c < $f.none
echo "== a group and a loop redirected"
{ echo one; echo two; } > $f.group
cat $f.group
for i in 1 2 3; do echo "line $i"; done >> $f.group
tail -n 2 $f.group
while read word rest; do echo "read: $word"; done < $f.group
echo "== errors"
cat < /nonexistent
echo "exit $?"
echo text > /tmp/nodir/file
echo "exit $?"
echo "== a builtin's redirection is undone after it"
pwd > $f.pwd
cat $f.pwd
echo "stdout is the console again"
rm $f $f.count $f.out $f.err $f.both $f.none $f.group $f.pwd
echo END
