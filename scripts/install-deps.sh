#!/bin/sh
# Installs, with apt-get, whichever of exov's Debian packages are missing
# (or of the packages named as arguments, e.g. python3-matplotlib for
# make bench-plot). Does nothing (and needs no network) when all are present.
set -e
PACKAGES="qemu-system-misc gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf opensbi
picolibc-riscv64-unknown-elf python3-pexpect python3-pytest python3-pytest-xdist
gdb-multiarch cpio"
[ $# -gt 0 ] && PACKAGES="$*"
missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
