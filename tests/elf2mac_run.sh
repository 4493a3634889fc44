#!/bin/sh
# examples/hello.c, converted by elf2mac, runs: tests/minimac.c (a stand-in
# Segment Loader and a handful of traps, built for m68k Linux) loads it at an
# address unlike its link address and runs it under qemu-m68k, so crt0's
# relocation, the globals below A5 and the trap glue are exercised on a real
# 68K instruction set. Built for the 68020 and for the 68000. Then
# tests/segments.c does the same across three segments with LoadSeg and
# UnloadSeg, and tests/glue.c checks every call of tools/mactraps.h. Skipped without
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

# Segments: CODE 2 and 3 are loaded on their first call through the jump
# table, relocate themselves, are unloaded, and are loaded again at another
# address (minimac moves them and poisons the old copy).
cat >"$tmp/expected" <<'END'
LoadSeg 2
LoadSeg 3
UnloadSeg 2
UnloadSeg 3
LoadSeg 3 (moved)
LoadSeg 2 (moved)
DebugStr: segments ok
ExitToShell after 18 traps
END
for cpu in -m68020 -m68000; do
	M68K_CFLAGS="-O2 $cpu" ELF2MAC=$top_builddir/tools/elf2mac \
		"$top_srcdir/tools/m68k-mac-build" -c VMHI -o "$tmp/segments.bin" \
		"$top_srcdir/tests/segments.c" >/dev/null
	"$top_builddir/vm68k" info "$tmp/segments.bin" >/dev/null
	qemu-m68k "$tmp/minimac" "$tmp/segments.bin" >"$tmp/out" || {
		echo "segments ($cpu) failed under minimac:"; cat "$tmp/out"; exit 1; }
	grep -v '^minimac:' "$tmp/out" >"$tmp/got"
	if ! cmp -s "$tmp/expected" "$tmp/got"; then
		echo "segments ($cpu): unexpected output"; diff "$tmp/expected" "$tmp/got" || true; exit 1
	fi
	echo "segments ($cpu) ran: $(grep DebugStr "$tmp/got")"
done

# Trap glue: every call of tools/mactraps.h puts its arguments where Inside
# Macintosh says (minimac prints them) and gets minimac's answers back
# (tests/glue.c checks them and says "glue ok").
cat >"$tmp/expected" <<'END'
HWPriv D0=00000003
HWPriv D0=00000001
NewPtr D0=00000101
NewPtrClear D0=00000102
NewPtrSys D0=00000103
DisposePtr A0=11110000
GetPtrSize A0=11110000
SetPtrSize A0=11110000 D0=00000104
NewHandle D0=00000105
NewHandleClear D0=00000106
DisposeHandle A0=22220000
GetHandleSize A0=22220000
SetHandleSize A0=22220000 D0=00000107
HLock A0=22220000
HUnlock A0=22220000
BlockMove A0=33330000 A1=44440000 D0=00000108
MemoryDispatch A0=11110000 A1=00000109 D0=00000000
MemoryDispatch A0=11110000 A1=0000010A D0=00000001
MemoryDispatch A0=11110000 A1=0000010B D0=00000002
MemoryDispatch A0=11110000 A1=0000010C D0=00000003
MemoryDispatch A0=11110000 A1=0000010D D0=00000004
MemoryDispatch A0=11110000 A1=0000010E D0=0000000A
DeferUserFn D0=55550000
DebugUtil A0=00000000 A1=00000000 D0=00000000
DebugUtil A0=11110000 A1=00000000 D0=00000004
DebugUtil A0=00000000 A1=00000000 D0=00000005
InsTime task qType=5 tmCount=119
InsXTime task qType=5 tmCount=119
PrimeTime task qType=5 tmCount=119 D0=0000010F
RmvTime task qType=5 tmCount=119
Delay A0=00000110
Gestalt D0=73797376
Microseconds
HWPriv D0=00000001
SysBeep 273
Debugger
DebugStr: glue ok
ExitToShell after 39 traps
END
ELF2MAC=$top_builddir/tools/elf2mac "$top_srcdir/tools/m68k-mac-build" -c VMHI \
	-o "$tmp/glue.bin" "$top_srcdir/tests/glue.c" >/dev/null
qemu-m68k "$tmp/minimac" "$tmp/glue.bin" -glue >"$tmp/out" || {
	echo "glue failed under minimac:"; cat "$tmp/out"; exit 1; }
grep -v '^minimac:' "$tmp/out" >"$tmp/got"
if ! cmp -s "$tmp/expected" "$tmp/got"; then
	echo "glue: unexpected output"; diff "$tmp/expected" "$tmp/got" || true; exit 1
fi
echo "trap glue: $(grep -c . "$tmp/got") lines as expected"
