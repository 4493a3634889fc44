#!/bin/sh
# vm68k disasm: a few instructions assembled by m68k-linux-gnu-as come back
# as a listing with their addresses (from --org), Motorola mnemonics and
# words; --cpu decides what a word is; an unreadable file is named, status 3.
# Skipped when the m68k binutils are not installed.
for t in m68k-linux-gnu-as m68k-linux-gnu-objcopy; do
	command -v $t >/dev/null 2>&1 || { echo "SKIP: $t not installed"; exit 77; }
done
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vm68k=$top_builddir/vm68k
cat >"$tmp/code.s" <<'ASM'
	moveq	#5,%d0
loop:	addq.l	#1,%d1
	dbra	%d0,loop
	bfextu	%d2{#4:#8},%d3
	move.l	#0x12345678,(%a0)+
	rts
ASM
m68k-linux-gnu-as -m68020 -o "$tmp/code.o" "$tmp/code.s"
m68k-linux-gnu-objcopy -O binary -j .text "$tmp/code.o" "$tmp/code.bin"

"$vm68k" disasm "$tmp/code.bin" --org '$1000' >"$tmp/out"
cat "$tmp/out"
expect() {
	grep -q "$1" "$tmp/out" || { echo "missing from the listing: $1"; exit 1; }
}
expect '^00001000  MOVEQ .*#\$5,D0 .*| 7005$'
expect '^00001002  ADDQ\.L .*| 5281$'
expect '^00001004  DBF .*\$1002 .*| 51C8 FFFC$'
expect '^00001008  BFEXTU .*| E9C2 3108$'
expect '^0000100C  MOVE\.L .*#\$12345678,(A0)+ .*| 20FC 1234 5678$'
expect '^00001012  RTS .*| 4E75$'
[ "$(wc -l <"$tmp/out")" = 6 ] || { echo "expected 6 lines"; exit 1; }

# A 68000 has no bit field instructions: the same word is not BFEXTU there.
"$vm68k" disasm --cpu 68000 --org 0x1000 "$tmp/code.bin" >"$tmp/out"
cat "$tmp/out"
! grep -q BFEXTU "$tmp/out" || { echo "68000 listing decodes BFEXTU"; exit 1; }
expect '^00001008  DC.W .*\$E9C2 .*| E9C2$'

status=0
"$vm68k" disasm "$tmp/missing.bin" 2>"$tmp/err" || status=$?
[ "$status" = 3 ] || { echo "a missing file exited $status, expected 3"; exit 1; }
grep -q "missing.bin" "$tmp/err" || { cat "$tmp/err"; exit 1; }
status=0
"$vm68k" disasm "$tmp/code.bin" --cpu 68060 2>"$tmp/err" || status=$?
[ "$status" = 2 ] || { echo "--cpu 68060 exited $status, expected 2"; exit 1; }
echo "disasm_cli_test: ok"
