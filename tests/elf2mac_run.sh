#!/bin/sh
# examples/hello.c, converted by elf2mac, runs: tests/minimac.c (a stand-in
# Segment Loader and a handful of traps, built for m68k Linux) loads it at an
# address unlike its link address and runs it under qemu-m68k, so crt0's
# relocation, the globals below A5 and the trap glue are exercised on a real
# 68K instruction set. Built for the 68020 and for the 68000. Skipped without
# the cross compiler or qemu-m68k.
for tool in m68k-linux-gnu-gcc qemu-m68k; do
	command -v $tool >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 77; }
done
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
m68k-linux-gnu-gcc -O1 -static -std=gnu11 -Wall -Wextra -ffixed-a5 \
	-I"$top_srcdir" -I"$top_builddir" "$top_srcdir/tests/minimac.c" \
	"$top_srcdir/host/macfile.c" "$top_srcdir/toolbox/resfork.c" \
	"$top_srcdir/toolbox/segments.c" -o "$tmp/minimac"
cat >"$tmp/expected" <<'END'
MemoryDispatch selector 0 count 65536
MemoryDispatch selector 1 count 65536
DebugStr: ok
ExitToShell after 10 traps
END
for cpu in -m68020 -m68000; do
	M68K_CFLAGS="-O2 $cpu" ELF2MAC=$top_builddir/tools/elf2mac \
		"$top_srcdir/tools/m68k-mac-build" -c VMHI -o "$tmp/hello.bin" \
		"$top_srcdir/examples/hello.c" >/dev/null
	qemu-m68k "$tmp/minimac" "$tmp/hello.bin" >"$tmp/out" || {
		echo "hello ($cpu) failed under minimac:"; cat "$tmp/out"; exit 1; }
	grep -v '^minimac:' "$tmp/out" >"$tmp/got"
	if ! cmp -s "$tmp/expected" "$tmp/got"; then
		echo "hello ($cpu): unexpected output"; diff "$tmp/expected" "$tmp/got" || true; exit 1
	fi
	echo "hello ($cpu) ran: $(tail -1 "$tmp/got")"
done
