#!/bin/sh
# The debugger in scripted sessions (-e and --debugger-commands) over
# tests/dbgtarget.c: each command's output form, each stop message
# (the Technote's three bus error forms, read-only memory, watch points,
# breakpoints, A-trap breaks, DebugStr), and the three things MacsBug's
# watch points could not do: the stack, address 0, conditions and
# stepping away from a hit without clearing it.
# Skipped without the cross compiler, and under the sanitizers.
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
M68K_CFLAGS="-O1 -m68020 -fno-omit-frame-pointer" ELF2MAC=$top_builddir/tools/elf2mac \
	"$top_srcdir/tools/m68k-mac-build" -c VMTB -o "$tmp/t.bin" "$top_srcdir/tests/dbgtarget.c" \
	>/dev/null || fail "building tests/dbgtarget.c"
# run EXPECTED-STATUS ARGS...: the session's output in $out
run() {
	want=$1
	shift
	out=$(timeout 20 "$vm68k" run "$@" "$tmp/t.bin" 2>&1)
	st=$?
	[ "$st" = "$want" ] || fail "vm68k run $*: status $st, expected $want: $out"
}
has() { printf '%s\n' "$out" | grep -q -- "$1" || fail "no '$1' in: $out"; }
hasnt() { printf '%s\n' "$out" | grep -q -- "$1" && fail "'$1' should not be in: $out"; }
count() { printf '%s\n' "$out" | grep -c -- "$1"; }

# Watch points: a global (four hits, each `g` continuing without clearing
# it), a local on the stack, and address 0; old and new values, writing PC.
run 0 --debugstr break -e 'wp [A7C] 4; wp [A80]; wp 0 4; g; g; g; g; g; g; g; g'
has 'User break at DebugStr "ready"'
has '^Watch point #0 at [0-9A-F]\{8\} (4 bytes)$'
[ "$(count '^Watch point #0 hit: PC [0-9A-F]\{8\} wrote ')" = 4 ] || fail "4 hits on the global: $out"
has '^ old value 00000000, new value 00000001$'
has '^ old value 00000003, new value 00000004$'
has '^Watch point #1 hit: PC .*$'
has '^ old value 00000000, new value 0000000A$'
has '^Watch point #2 hit: PC [0-9A-F]\{8\} wrote 00000000 (watching 00000000, 4 bytes)$'
has '^ old value 00000000, new value 12345678$'
has '^vm68k: ExitToShell$'
# The hit names the instruction that wrote: ADDQ/MOVE at that PC.
pc=$(printf '%s\n' "$out" | sed -n 's/^Watch point #2 hit: PC \([0-9A-F]*\) .*/\1/p')
run 0 --debugstr break -e "wp 0 4; g; il $pc 1; g; g"
has "^ $pc   .*MOVE.L    #\$12345678,(\$0).W"

# A condition: only the write that makes the global 3 stops; stepping away
# from the hit (t) and going on (g) leaves it set: the next run of the
# loop would hit again, here the stack watch does.
run 0 --debugstr break -e 'wp [A7C] 4 if [[A7C]] == 3; wp [A80]; g; t; t 2; g; g; g'
[ "$(count '^Watch point #0 hit')" = 1 ] || fail "conditional watch point hit more than once: $out"
has 'if \[\[A7C\]\] == 3$'
has '^ old value 00000002, new value 00000003$'
[ "$(count '^Step (from ')" = 2 ] || fail "t and t 2 stopped twice: $out"
has '^Watch point #1 hit'
# Stepping away then clearing (wpc) lets the run end.
run 0 --debugstr break -e 'wp [A7C]; g; t; wpc; g; g'
[ "$(count '^Watch point #0 hit')" = 1 ] || fail "wpc did not clear: $out"
has '^All watch points cleared$'

# --watch before the run, on address 0 (no --debugstr break needed).
run 1 --watch 0:4 -e 'td'
has '^Watch point #0 hit: PC [0-9A-F]* wrote 00000000 (watching 00000000, 4 bytes)$'
has '^vm68k: Exited from the debugger at PC'
run 1 --watch 60000000
has '^vm68k: .*: --watch 60000000: cannot watch there: paramErr, only logical RAM can be watched (-50)$'
run 2 --watch 12:0

# Registers: the VM indicator and the SR flags (lower-case s in user mode
# under VM, capital S in supervisor mode without it); RM without VM.
run 1 --debugger -e 'td; r'
has '^ 68030 Registers  *VM$'
has '^ PC = [0-9A-F]\{8\}   SR = 0000  tsm0 xnzvc   VM state VM$'
has '^ D7 = [0-9A-F]\{8\}   A7 = [0-9A-F]\{8\}$'
has '^ D0 = [0-9A-F]\{8\}   A0 = [0-9A-F]\{8\}   USP  = [0-9A-F]\{8\}$'
[ "$(count 'Registers')" = 2 ] || fail "r is td: $out"
has '^User break at start (--debugger)$'
run 1 --debugger --no-vm -e 'td'
has 'SR = 2000  tSm0 xnzvc   VM state RM$'

# Bus errors in the Technote's three forms; the $B008 frame at SP (68030)
# and $7008 (68040) found by dm; wh says "not in RAM or ROM".
run 5 --debugger -e 'sm A78 0001; g; dm sp 10; wh 60000000; td'
has '^Bus Error accessing 60000000 at PC \([0-9A-F]\{8\}\)$'
has '^ [0-9A-F]\{8\}    MOVE.L    (\$60000000).L,D0$'
has '^Bus error exception frame (format \$B, B008) at SP 00002FA4; saved SR 00[0-9A-F]\{2\}$'
has '^ 00002FA4  00 [0-9A-F]\{2\} [0-9A-F ]\{11\} B0 08 '
has '^Address 60000000 is not in RAM or ROM$'
has 'SR = 20[0-9A-F]\{2\}  tSm0 '
has '^vm68k: Bus Error accessing 60000000 at PC'
run 5 --cpu 68040 --debugger -e 'sm A78 0001; g; dm sp 10; dl sp+8 4'
has 'format \$7, 7008'
has '^ [0-9A-F]\{8\}  00 [0-9A-F]\{2\} [0-9A-F ]\{11\} 70 08 '
has '^ [0-9A-F]\{8\}  60000000 '
run 5 --debugger -e 'sm A78 0002; g'
has '^Bus Error at \([0-9A-F]\{8\}\)$'
has '^while writing long word (data = 0000009B) to 60000000$'
has '^ [0-9A-F]\{8\}    MOVE.L    #\$9B,(\$60000000).L$'
run 5 --debugger -e 'sm A78 0003; g'
has '^Bus Error accessing 60000000 at PC 60000000$'
has '^Unable to access that address$'
# A write to read-only memory: the address and region + offset, and wh
# names the routine descriptor written over.
run 5 --debugger -e 'sm A78 0004; g; wh a0'
has '^Read-only memory exception at 4080[0-9A-F]\{4\} Toolbox ROM+0[0-9A-F]\{4\}$'
has '^Address 4080[0-9A-F]\{4\} is in Toolbox ROM + 0[0-9A-F]\{4\} (routine descriptor of _TickCount)$'
# `g` after a bus error retries the instruction (it faults again); the
# commands running out end the run with the stop's status.
run 5 --debugger -e 'sm A78 0001; g; g'
[ "$(count '^Bus Error accessing 60000000')" = 2 ] || fail "g did not retry: $out"

# Memory: dm/dw/dl, sm (sizes by digits and .b/.w/.l), expressions.
run 1 --debugger -e 'sm A78 12345678; dl A78 4; sm A78 AB CDEF; dm A78 4; sm A78 1.l; dl A78 4; dm 100+#16 2; dw (A78 + 2*2) 2; dl [A78 - 4 + 4].b 4'
has '^ 00000A78  12345678 '
has '^ 00000A78  AB CD EF 78 '
has '^ 00000A78  00000001 '
has '^ 00000110  '
has '^ 00000A7C  '
has '^ 00000000  '
run 1 --debugger -e 'dm 60000000; dm [60000000]; sm 40800000 0'
has '^ 60000000  Bus Error: not in RAM or ROM$'
has '^Syntax error: 60000000 is not in RAM or ROM'
has '^Cannot set memory at 40800000'

# Where things are, the heap, the stack crawl, disassembly.
run 1 --debugstr break -e 'wh pc; wh [A7C]; wh sp; wh 16A; wh 3040; hz; hd; hc; sc; il pc 3'
has '^Address [0-9A-F]\{8\} is in CODE 1 + [0-9A-F]\{5\} (segment at [0-9A-F]\{8\})$'
has '^Address [0-9A-F]\{8\} is in the application globals (A5-[0-9A-F]*)$'
has '^Address [0-9A-F]\{8\} is in the application stack'
has '^Address 0000016A is in low memory: Ticks$'
has '^Address 00003040 is in the system heap, nonrelocatable block at 00003040'
has '^  00003000  System heap       00003000-00013000  10000 bytes$'
has '^  00013000  Application heap  .*(current zone)$'
has '^ [0-9A-F]\{8\} [0-9A-F]\{8\}  R  [0-9A-F]\{8\}  L'
has '^The heaps check out OK (zones 00003000 and 00013000)$'
has '^ Calling chain using A6 links$'
[ "$(count '^  [0-9A-F]\{8\}   [0-9A-F]\{8\}  in CODE 1 + ')" -ge 2 ] || fail "sc: two CODE 1 callers: $out"
has '^ [0-9A-F]\{8\}   \*MOVE.L    \$8(A6),-(A7)$'
# wh names a resource's block: type, ID and name from the resource maps.
run 1 --debugger --debugstr break -e 'sm A78 0006; g; wh [A84]'
has '^Address [0-9A-F]\{8\} is in the application heap, relocatable block at [0-9A-F]\{8\} ([0-9A-F]* bytes), handle [0-9A-F]\{8\}, resource .SIZE. -1 (file refnum [0-9-]*)$'

# Breakpoints, go till, step over a trap, A-trap breaks and recording.
run 0 --debugstr break -e 'il pc 12; g; br pc+2; g; brc; g'
run 0 --debugger -e 'atb DebugStr; g; so; g; atc; g'
has '^A-Trap break at [0-9A-F]\{8\}: ABFF (DebugStr)$'
has '^ [0-9A-F]\{8\}    _DebugStr  *; ABFF$'
has '^Breakpoint (go till) at '
has '^A-Trap breaks cleared$'
has '^DebugStr: ready$'
run 1 --debugger -e 'atr on; atb A9F0; g; atc; atb _ExitToShell; g; atr; atr off'
has '^A-Trap break at [0-9A-F]\{8\}: A9F0 (LoadSeg)$'
has '^A-Trap break at [0-9A-F]\{8\}: A9F4 (ExitToShell)$'
has '^  [0-9A-F]\{8\}  ABFF  _DebugStr$'
has '^ Trap history ([0-9]* recorded'
has '^A-Trap recording off$'
bp=$(printf '%s\n' "$out" | sed -n 's/^A-Trap break at \([0-9A-F]*\): A9F4.*/\1/p')
run 1 --debugger -e "br $bp; g; td"
has "^Breakpoint at $bp$"
run 1 --debugger -e "gt $bp"
has "^Breakpoint (go till) at $bp$"

# vmdump: page by page, and the unpaged regions.
run 1 --debugger --ram 1M --vm 4M -e 'vmdump; vmdump 0 2'
has '^ VMDump  state VM  logical pages 1024  frames 256 '
has '^    0  00000000  resident  dirty ref    1    0 -          0 '
has '^ ([0-9]* untouched pages not listed)$'
has '^ 40800000-4080FFFF  ROM         Toolbox ROM, read-only (16 pages, not paged)$'

# userfns: the deferred user function table (empty: paging was never unsafe).
run 1 --debugger --ram 1M --vm 4M --deferred-table-size 8 -e 'userfns'
has '^Deferred user functions: 0 of 8 entries$'

# help, an unknown command, --debugger-commands from a file (then -e).
printf 'help\nbogus\n\ndm 0 4; es\n' >"$tmp/cmds"
run 1 --debugger --debugger-commands "$tmp/cmds" -e 'td'
has '^ wp ADDR \[LEN\] \[if EXPR\], wpc \[N\]  watch points / clear$'
has '^Unknown command: bogus (help lists them)$'
hasnt 'Registers'
has '^vm68k: Exited from the debugger at PC'
run 3 --debugger-commands "$tmp/no-such-file"
has 'no-such-file'
echo "ok"
