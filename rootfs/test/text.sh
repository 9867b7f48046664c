# Text utilities, each with a label: cat, wc, grep, head, tail, sort, uniq, tee.
echo BEGIN
t=/tmp/text
mkdir $t
echo "pear 3" > $t/fruit
echo "apple 10" >> $t/fruit
echo "fig 7" >> $t/fruit
echo "apple 10" >> $t/fruit
echo "banana 2" >> $t/fruit
echo "== cat"
cat $t/fruit
echo "== cat -n"
cat -n $t/fruit
echo "== cat - from a pipe between files"
echo middle | cat /test/hello.txt - /test/hello.txt
echo "== wc"
wc $t/fruit
wc -l $t/fruit
wc -w < $t/fruit
echo "one two" | wc
wc -l $t/fruit /test/hello.txt
echo "== grep"
grep apple $t/fruit
grep -n a $t/fruit
grep -c apple $t/fruit
grep -v a $t/fruit
grep -i APPLE $t/fruit
grep -E '^(fig|pear) ' $t/fruit
grep -F -x 'fig 7' $t/fruit
grep -w ig $t/fruit
echo "status $?"
grep apple $t/fruit /test/hello.txt
grep -l apple $t/fruit /test/hello.txt
grep -q fig $t/fruit && echo "found fig"
grep nothing $t/missing
echo "status $?"
echo "== head"
head -n 2 $t/fruit
head -1 $t/fruit
seq 20 | head
echo "== tail"
tail -n 2 $t/fruit
tail -n +4 $t/fruit
seq 20 | tail -3
echo "== sort"
sort $t/fruit
sort -r $t/fruit
sort -k 2 -n $t/fruit
sort -u $t/fruit
sort -t ' ' -k 2,2nr $t/fruit
echo "== uniq"
sort $t/fruit | uniq
sort $t/fruit | uniq -c
sort $t/fruit | uniq -d
sort $t/fruit | uniq -u
echo "== tee"
echo teed | tee $t/tee1 $t/tee2
cat $t/tee1 $t/tee2
echo again | tee -a $t/tee1 > /tmp/text.null
cat $t/tee1
rm -r $t /tmp/text.null
echo END
