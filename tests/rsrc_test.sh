#!/bin/sh
# The Resource Manager and the File Manager's traps end to end: 68K programs
# built by tools/m68k-mac-build run with --volume-rw / --volume directories.
# tests/rsrc.c works on the application's own fork and on a resource file it
# creates, writes, closes and reads back (then `vm68k info` reads the file
# the host holds); tests/files_traps.c drives the File Manager's parameter
# block calls, on a read-write and a read-only volume; tests/rsrc_self.c
# changes its own file when a --volume-rw holds it; tests/files_async.c's
# asynchronous calls run their completion routines at interrupt time.
# Skipped without the cross compiler, and under the sanitizers (the sandbox
# refuses what their runtime does).
command -v m68k-linux-gnu-gcc >/dev/null 2>&1 || { echo "SKIP: m68k-linux-gnu-gcc not installed"; exit 77; }
if [ -n "${SANITIZE_CFLAGS:-}" ]; then
	echo "SKIP: the sandboxed guest process cannot run under AddressSanitizer"
	exit 77
fi
set -u
vm68k="$top_builddir/vm68k"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
build() { # name source
	M68K_CFLAGS="-O2 -m68020" ELF2MAC=$top_builddir/tools/elf2mac \
		"$top_srcdir/tools/m68k-mac-build" -c VMTB -o "$tmp/$1.bin" "$2" >/dev/null 2>&1 ||
		fail "building $2"
}
build rsrc "$top_srcdir/tests/rsrc.c"
build files "$top_srcdir/tests/files_traps.c"
build async "$top_srcdir/tests/files_async.c"
build self "$top_srcdir/tests/rsrc_self.c"

# The Resource Manager, 32-bit and 24-bit (the resource bit in the master
# pointer's high byte), each on a fresh volume.
for mode in 32 24; do
	mkdir "$tmp/vol$mode"
	out=$("$vm68k" run --addressing $mode --ram 1M --vm 4M --volume-rw "$tmp/vol$mode" "$tmp/rsrc.bin" 2>&1) ||
		fail "rsrc ($mode-bit) exited $?: $out"
	echo "$out" | grep -q '^DebugStr: rsrc ok$' || fail "rsrc ($mode-bit): $out"
	echo "$out" | grep -q 'FAIL' && fail "rsrc ($mode-bit): $out"
done
# What the host holds is a resource fork any reader takes: the sidecar.
out=$("$vm68k" info "$tmp/vol32/._Test.rsrc" 2>&1) || fail "info on the written file: $out"
echo "$out" | grep -q "'TEST'  *128  *5  *-P----  *\"greeting\"" || fail "written file, TEST 128: $out"
echo "$out" | grep -q "'TEST'  *130  *4  *------  *\"renamed\"" || fail "written file, TEST 130: $out"
echo "$out" | grep -q 'resources:    2 in 1 types' || fail "written file, count: $out"

# On a read-only volume the file cannot be made: the checks that need it
# fail, the application's own fork still reads, and nothing is written.
mkdir "$tmp/locked"
out=$("$vm68k" run --volume "$tmp/locked" "$tmp/rsrc.bin" 2>&1) || fail "rsrc read-only: $?: $out"
echo "$out" | grep -q '^DebugStr: FAIL line' || fail "rsrc on a read-only volume did not fail: $out"
echo "$out" | grep -q '^DebugStr: rsrc ok$' && fail "rsrc on a read-only volume: $out"
[ -z "$(ls -A "$tmp/locked")" ] || fail "a read-only volume was written: $(ls -A "$tmp/locked")"

# The application's own file: read-only from MacBinary; writable as a data
# file with its "._" AppleDouble sidecar on a --volume-rw, where it counts its
# runs in a resource (its CODE read from there); read-only again on --volume.
be32() {
	printf "\\$(printf %03o $(($1 >> 24 & 255)))\\$(printf %03o $(($1 >> 16 & 255)))\\$(printf %03o $(($1 >> 8 & 255)))\\$(printf %03o $(($1 & 255)))"
}
appledouble() { # MACBINARY DIR NAME: DIR/NAME and DIR/._NAME (version 2, resource fork)
	set -- "$1" "$2" "$3" $(od -An -tu1 -j87 -N4 "$1")
	len=$(($4 << 24 | $5 << 16 | $6 << 8 | $7))
	: >"$2/$3"
	{
		be32 $((0x00051607)); be32 $((0x00020000))
		be32 0; be32 0; be32 0; be32 0
		printf '\000\001'
		be32 2; be32 38; be32 $len
		dd if="$1" bs=128 skip=1 2>/dev/null | head -c $len
	} >"$2/._$3"
}
mkdir "$tmp/apps"
appledouble "$tmp/self.bin" "$tmp/apps" Self
out=$("$vm68k" run --volume-rw "$tmp/apps" "$tmp/self.bin" 2>&1) || fail "self.bin: $?: $out"
echo "$out" | grep -q '^DebugStr: read-only$' || fail "MacBinary app not read-only: $out"
for n in 1 2; do
	out=$("$vm68k" run --volume-rw "$tmp/apps" "$tmp/apps/Self" 2>&1) || fail "Self run $n: $?: $out"
	echo "$out" | grep -q "^DebugStr: count $n\$" || fail "Self run $n: $out"
done
out=$("$vm68k" run --volume-rw "$tmp/apps" "$tmp/apps/._Self" 2>&1) || fail "._Self: $?: $out"
echo "$out" | grep -q '^DebugStr: count 3$' || fail "the sidecar named: $out"
out=$("$vm68k" run --volume "$tmp/apps" "$tmp/apps/Self" 2>&1) || fail "Self read-only: $?: $out"
echo "$out" | grep -q '^DebugStr: read-only$' || fail "Self on --volume: $out"
out=$("$vm68k" info "$tmp/apps/._Self" 2>&1)
echo "$out" | grep -q "'CNT '  *128  *4  *------  *\"runs\"" || fail "the counter in the file: $out"
echo "$out" | grep -q "'CODE'  *1 " || fail "the rewritten application lost its CODE: $out"

# The File Manager's traps.
mkdir "$tmp/rw" "$tmp/ro"
printf 'read only\n' >"$tmp/ro/ro.txt"
out=$("$vm68k" run --volume-rw "$tmp/rw" --volume "$tmp/ro" "$tmp/files.bin" 2>&1) ||
	fail "files exited $?: $out"
echo "$out" | grep -q '^DebugStr: files ok$' || fail "files: $out"
echo "$out" | grep -q 'FAIL' && fail "files: $out"
[ -z "$(ls -A "$tmp/rw")" ] || fail "files left entries behind: $(ls -A "$tmp/rw")"
[ "$(cat "$tmp/ro/ro.txt")" = "read only" ] || fail "the read-only file changed"

# Asynchronous calls with a completion routine: ioResult set when the trap
# returns, the routine run once per call at level 1 with A0 and D0; also
# while paging with a disk latency (VM may defer it).
mkdir "$tmp/async"
for opts in "" "--no-vm" "--ram 256K --vm 4M --disk-latency 1ms"; do
	out=$("$vm68k" run $opts --volume-rw "$tmp/async" "$tmp/async.bin" 2>&1) ||
		fail "async ($opts): status $?: $out"
	echo "$out" | grep -q '^DebugStr: async ok$' || fail "async ($opts): $out"
done
echo "ok"
