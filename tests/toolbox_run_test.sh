#!/bin/sh
# `vm68k run APP` end to end: 68K applications built from C by
# tools/m68k-mac-build run in the sandboxed guest process through the trap
# dispatcher, the Segment Loader and the native routines. examples/hello.c
# ends at ExitToShell with its DebugStr printed; tests/trappatch.c patches a
# Toolbox and an OS trap and calls through; tests/segments.c loads, unloads
# and reloads CODE segments; tests/unimpl.c stops at an unimplemented trap;
# tests/growzone.c's grow-zone function and purge warning procedure run.
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
build() { # name source [cflags]
	M68K_CFLAGS="${3:--O2 -m68020}" ELF2MAC=$top_builddir/tools/elf2mac \
		"$top_srcdir/tools/m68k-mac-build" -c VMTB -o "$tmp/$1.bin" "$2" >/dev/null ||
		fail "building $2"
}
build hello "$top_srcdir/examples/hello.c"
build hello000 "$top_srcdir/examples/hello.c" "-O2 -m68000"
build trappatch "$top_srcdir/tests/trappatch.c"
build gestalt "$top_srcdir/tests/gestalt.c"
build gestalt000 "$top_srcdir/tests/gestalt.c" "-O2 -m68000"
build segments "$top_srcdir/tests/segments.c"
build segments000 "$top_srcdir/tests/segments.c" "-O2 -m68000"
build unimpl "$top_srcdir/tests/unimpl.c"
build buserr "$top_srcdir/tests/buserr.c"
build memtraps "$top_srcdir/tests/memtraps.c"
build growzone "$top_srcdir/tests/growzone.c"
build segpurge "$top_srcdir/tests/segpurge.c"
build romwrite "$top_srcdir/tests/romwrite.c"

# hello: DebugStr printed, ExitToShell is status 0; --stats counts instructions.
out=$("$vm68k" run --stats "$tmp/hello.bin" 2>&1) || fail "hello exited $?: $out"
echo "$out" | grep -q '^DebugStr: ok$' || fail "hello: no DebugStr line: $out"
echo "$out" | grep -q '^vm68k: ExitToShell$' || fail "hello: no ExitToShell: $out"
echo "$out" | grep -q 'instructions  *[1-9]' || fail "hello: no instruction count: $out"
echo "$out" | grep -qE '^  mips  +[0-9]+\.[0-9]{3}$' || fail "hello: no MIPS: $out"
out=$("$vm68k" run --cpu 68000 --no-vm "$tmp/hello000.bin" 2>&1) || fail "hello on a 68000: $?: $out"
echo "$out" | grep -q '^DebugStr: ok$' || fail "hello on a 68000: $out"
out=$("$vm68k" run --cpu 68010 "$tmp/hello000.bin" 2>&1) || fail "hello on a 68010: $?: $out"
echo "$out" | grep -q '^DebugStr: ok$' || fail "hello on a 68010: $out"
for cpu in 68020 68040; do
	out=$("$vm68k" run --cpu $cpu "$tmp/trappatch.bin" 2>&1) || fail "trappatch on a $cpu: $?: $out"
	echo "$out" | grep -q '^DebugStr: patches ok$' || fail "trappatch on a $cpu: $out"
done
out=$("$vm68k" run --debugstr ignore "$tmp/hello.bin" 2>&1) || fail "--debugstr ignore: $?"
echo "$out" | grep -q DebugStr && fail "--debugstr ignore printed: $out"
"$vm68k" run --debugstr break "$tmp/hello.bin" >"$tmp/out" 2>&1
[ $? = 1 ] || fail "--debugstr break did not stop with status 1: $(cat "$tmp/out")"
grep -q 'Stopped at DebugStr "ok"' "$tmp/out" || fail "--debugstr break: $(cat "$tmp/out")"

# Trap patching: head patch (Toolbox trap) and tail patch (OS trap) calling
# through; privileged instructions emulated in user mode under VM only.
out=$("$vm68k" run --stats "$tmp/trappatch.bin" 2>&1) || fail "trappatch exited $?: $out"
echo "$out" | grep -q '^DebugStr: patches ok$' || fail "trappatch: $out"
echo "$out" | grep -q '^DebugStr: vm on$' || fail "trappatch: Gestalt vm: $out"
echo "$out" | grep -q 'patched_trap_calls  *3$' || fail "trappatch: patched calls: $out"
echo "$out" | grep -q 'privileged_emulated  *3$' || fail "trappatch: emulations: $out"
"$vm68k" run --trace "$tmp/trace.jsonl" "$tmp/trappatch.bin" >/dev/null 2>&1 || fail "trappatch --trace: $?"
[ "$(grep -c '"kind":"privileged-instruction"' "$tmp/trace.jsonl")" = 3 ] ||
	fail "--trace: expected 3 privileged-instruction records: $(head -c 600 "$tmp/trace.jsonl")"
grep -q '"kind":"zero-fill"' "$tmp/trace.jsonl" || fail "--trace: no pager events"
out=$("$vm68k" run --no-vm --stats "$tmp/trappatch.bin" 2>&1) || fail "trappatch --no-vm: $?: $out"
echo "$out" | grep -q '^DebugStr: patches ok$' || fail "trappatch --no-vm: $out"
echo "$out" | grep -q '^DebugStr: vm off$' || fail "trappatch --no-vm: Gestalt vm: $out"
echo "$out" | grep -q 'privileged_emulated  *0$' || fail "trappatch --no-vm: $out"

# Gestalt: 'mixd' (no PowerPC, no CFM-68K), 'os  ' (gestaltSysDebuggerSupport),
# 'vm  ' bits 0, 1 and 4 with VM on, 'mmu ' by CPU model (a 68020 has a 68851
# only with VM); a built-in selector replaced by a 68K function that calls
# through to the ROM's, and GetGestaltProcPtr.
gestalt_run() { # expected-vm expected-mmu [options]
	want_vm=$1 want_mmu=$2 app=$tmp/gestalt.bin
	shift 2
	case "$*" in *68000*) app=$tmp/gestalt000.bin ;; esac
	out=$("$vm68k" run "$@" "$app" 2>&1) || fail "gestalt $*: $?: $out"
	for want in "mixd=00000000" "os  =00000130" "vm  =$want_vm" "mmu =$want_mmu" "gestalt ok"; do
		echo "$out" | grep -q "^DebugStr: $want\$" || fail "gestalt $*: want $want: $out"
	done
}
gestalt_run 00000013 00000003
gestalt_run 00000000 00000003 --no-vm
gestalt_run 00000013 00000004 --cpu 68040
gestalt_run 00000013 00000002 --cpu 68020
gestalt_run 00000000 00000000 --cpu 68020 --no-vm
gestalt_run 00000000 00000000 --cpu 68000 --no-vm

# Segments: LoadSeg on first call, UnloadSeg, reload (in place: 5 loads, 3
# reads); also on a 68000. An unloaded segment purged by heap pressure is
# read again (CODE 1 once, CODE 2 twice).
out=$("$vm68k" run --stats "$tmp/segments.bin" 2>&1) || fail "segments exited $?: $out"
echo "$out" | grep -q '^DebugStr: segments ok$' || fail "segments: $out"
echo "$out" | grep -q 'segment_loads  *5$' || fail "segments: loads: $out"
echo "$out" | grep -q 'segment_reads  *3$' || fail "segments: reads: $out"
out=$("$vm68k" run --stats --ram 2M --vm 4M "$tmp/segpurge.bin" 2>&1) || fail "segpurge exited $?: $out"
echo "$out" | grep -q '^DebugStr: segpurge ok$' || fail "segpurge: $out"
echo "$out" | grep -q 'segment_reads  *3$' || fail "segpurge: the purged segment was not read again: $out"

# The Memory Manager's traps, 32-bit and 24-bit.
for mode in 32 24; do
	out=$("$vm68k" run --addressing $mode --ram 1M --vm 4M "$tmp/memtraps.bin" 2>&1) ||
		fail "memtraps ($mode-bit) exited $?: $out"
	echo "$out" | grep -q '^DebugStr: memory ok$' || fail "memtraps ($mode-bit): $out"
done
# Grow-zone functions and purge warning procedures: 68K code the Memory
# Manager waits for in the middle of an allocation (also while paging).
for opts in "--ram 1M --vm 4M" "--addressing 24 --ram 1M --vm 4M" "--ram 256K --vm 4M --disk-latency 1ms"; do
	out=$("$vm68k" run $opts "$tmp/growzone.bin" 2>&1) || fail "growzone ($opts) exited $?: $out"
	echo "$out" | grep -q '^DebugStr: growzone ok$' || fail "growzone ($opts): $out"
done
out=$("$vm68k" run --cpu 68000 --no-vm "$tmp/segments000.bin" 2>&1) || fail "segments 68000: $?: $out"
echo "$out" | grep -q '^DebugStr: segments ok$' || fail "segments 68000: $out"

# An unimplemented trap stops the run: message and status 4.
"$vm68k" run "$tmp/unimpl.bin" >"$tmp/out" 2>&1
[ $? = 4 ] || fail "unimplemented trap: status $?: $(cat "$tmp/out")"
grep -q '^vm68k: Unimplemented trap A9CC (TEInit) at PC [0-9A-F]\{8\}$' "$tmp/out" ||
	fail "unimplemented trap message: $(cat "$tmp/out")"
grep -q 'DebugStr: after' "$tmp/out" && fail "ran on past the unimplemented trap"

# Exceptions no guest handler takes stop the run in MacsBug's words, status 5:
# a read outside every region, and a write into the read-only toolbox ROM.
"$vm68k" run "$tmp/buserr.bin" >"$tmp/out" 2>&1
[ $? = 5 ] || fail "bus error: status $?: $(cat "$tmp/out")"
grep -q '^vm68k: Bus Error accessing 60000000 at PC [0-9A-F]\{8\}$' "$tmp/out" ||
	fail "bus error message: $(cat "$tmp/out")"
"$vm68k" run "$tmp/romwrite.bin" >"$tmp/out" 2>&1
[ $? = 5 ] || fail "ROM write: status $?: $(cat "$tmp/out")"
grep -q '^vm68k: Bus Error writing read-only memory 4080[0-9A-F]\{4\} at PC' "$tmp/out" ||
	fail "ROM write message: $(cat "$tmp/out")"
grep -q 'DebugStr: after' "$tmp/out" && fail "ran on past the ROM write"

# VM needs an MMU: --cpu 68000 with VM on is refused.
"$vm68k" run --cpu 68000 "$tmp/hello.bin" >"$tmp/out" 2>&1
[ $? = 2 ] || fail "--cpu 68000 with VM: status $?"
grep -q 'needs an MMU' "$tmp/out" || fail "--cpu 68000 message: $(cat "$tmp/out")"

# VM on with little physical memory, and in 24-bit mode: the app still runs.
out=$("$vm68k" run --ram 256K --vm 4M --stats "$tmp/hello.bin" 2>&1) || fail "small RAM: $?: $out"
echo "$out" | grep -q '^vm68k: ExitToShell$' || fail "small RAM: $out"
out=$("$vm68k" run --addressing 24 --ram 1M --vm 4M "$tmp/segments.bin" 2>&1) || fail "24-bit: $?: $out"
echo "$out" | grep -q '^DebugStr: segments ok$' || fail "24-bit: $out"

# Not an application: one line naming the file, status 3.
"$vm68k" run "$top_srcdir/tools/crt0.S" >"$tmp/out" 2>&1
[ $? = 3 ] || fail "a text file as APP: status $?: $(cat "$tmp/out")"
grep -q 'crt0.S: no resource fork: expected a Mac application' "$tmp/out" || fail "text file: $(cat "$tmp/out")"

# --max-instructions stops a run, naming the PC.
"$vm68k" run --max-instructions 50 "$tmp/hello.bin" >"$tmp/out" 2>&1
[ $? = 1 ] || fail "--max-instructions: status $?"
grep -q -- '--max-instructions 50 reached at PC' "$tmp/out" || fail "--max-instructions: $(cat "$tmp/out")"
echo "ok"
