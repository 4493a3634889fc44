#!/bin/sh
# examples/hello.c, built with Debian's m68k cross compiler and converted by
# elf2mac, is a well-formed Mac application: vm68k info accepts it and
# tests/elf2mac_check verifies its jump table and relocation table. Skipped
# when the cross compiler is not installed. elf2mac refuses a non-ELF input.
command -v m68k-linux-gnu-gcc >/dev/null 2>&1 || { echo "SKIP: m68k-linux-gnu-gcc not installed"; exit 77; }
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ELF2MAC=$top_builddir/tools/elf2mac "$top_srcdir/tools/m68k-mac-build" -c VMHI \
	-o "$tmp/hello.bin" "$top_srcdir/examples/hello.c"
"$top_builddir/vm68k" info "$tmp/hello.bin" >"$tmp/info.txt"
grep -q "segment 1 .*offset 0xC" "$tmp/info.txt"
VM68K_APP=$tmp/hello.bin "$top_builddir/tests/elf2mac_check"

status=0
"$top_builddir/tools/elf2mac" -o "$tmp/x.bin" "$top_srcdir/tools/crt0.S" 2>"$tmp/err" || status=$?
[ "$status" = 3 ] || { echo "elf2mac on a non-ELF file exited $status, expected 3"; exit 1; }
grep -q "crt0.S: offset 0: expected an ELF file" "$tmp/err" || { cat "$tmp/err"; exit 1; }
echo "elf2mac: hello.bin checked"
