# File utilities, each with a label: ls, mkdir, touch, cp, mv, rm.
echo BEGIN
cd /tmp
echo "== mkdir"
mkdir files
cd files
mkdir a
mkdir -p b/c/d
mkdir a
echo "status $?"
mkdir -p a b/c
echo "status $?"
echo "== touch"
touch empty
touch empty a/inside
echo "== ls"
ls
ls -a b
ls a b
echo 12345 > five
ls -l five empty
ls -d b
ls nothing
echo "status $?"
echo "== cp"
cp five six
cat six
cp five six a
ls a
cp nothing x
echo "status $?"
cp /test/hello.txt .
cat hello.txt
echo "== mv"
mv six seven
ls
mv seven five b
ls b
mv nothing x
echo "status $?"
echo "== rm"
rm empty
rm b
echo "status $?"
rm -r b
rm nothing
echo "status $?"
rm -f nothing
echo "status $?"
ls
cd /tmp
rm -r files
ls files
echo END
