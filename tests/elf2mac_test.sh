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
grep -q "SIZE -1 .*preferred 524288 bytes, minimum 524288 bytes, flags 0x0080 is32BitCompatible" "$tmp/info.txt"
VM68K_APP=$tmp/hello.bin "$top_builddir/tests/elf2mac_check"

status=0
"$top_builddir/tools/elf2mac" -o "$tmp/x.bin" "$top_srcdir/tools/crt0.S" 2>"$tmp/err" || status=$?
[ "$status" = 3 ] || { echo "elf2mac on a non-ELF file exited $status, expected 3"; exit 1; }
grep -q "crt0.S: offset 0: expected an ELF file" "$tmp/err" || { cat "$tmp/err"; exit 1; }

# Position-independent code reaches its data through a GOT, which crt0 does
# not relocate: refused, naming the relocation and the fix.
cc="m68k-linux-gnu-gcc -O2 -ffreestanding -ffixed-a5 -fno-asynchronous-unwind-tables"
$cc -c "$top_srcdir/tools/crt0.S" -o "$tmp/crt0.o"
$cc -fpic -I"$top_srcdir/tools" -c "$top_srcdir/examples/hello.c" -o "$tmp/pic.o"
$cc -fpic -c "$top_srcdir/tools/macrt.c" -o "$tmp/macrt.o"
$cc -nostdlib -static -Wl,-q -Wl,-T,"$top_srcdir/tools/mac.ld" -Wl,--build-id=none \
	-Wl,--no-warn-rwx-segments "$tmp/crt0.o" "$tmp/macrt.o" "$tmp/pic.o" -lgcc -o "$tmp/pic.elf"
status=0
"$top_builddir/tools/elf2mac" -o "$tmp/pic.bin" "$tmp/pic.elf" 2>"$tmp/err" || status=$?
[ "$status" = 3 ] || { echo "elf2mac on PIC code exited $status, expected 3"; exit 1; }
grep -q "pic.elf: offset [0-9]*: relocation type [0-9]* at 0x[0-9A-F]*: expected R_68K_32 or PC-relative (compile with -fno-pic" "$tmp/err" ||
	{ cat "$tmp/err"; exit 1; }
echo "elf2mac: hello.bin checked; a non-ELF file and PIC code refused"
