#!/bin/sh
# `vm68k run APP --trace` and `--stats` on tests/vmevents.c, a program that
# makes every kind of VM event: the JSON Lines trace is read back by
# tests/trace_check (every record well formed, totals monotonic, a guest PC
# on every record once the guest runs) and must hold page-ins from the
# backing store, page-outs, zero-fills, dirty pages, hold/unhold,
# lock/unlock, the emulated privileged instruction and, with --trace-traps
# only, trap entries. --stats must count faults by kind summing to the
# faults, at most as many page-outs as evictions, no more resident pages
# than frames, and the backing store's size. --seed sets RndSeed ($156).
# Skipped without the cross compiler, and under the sanitizers (the sandbox
# refuses what their runtime does).
command -v m68k-linux-gnu-gcc >/dev/null 2>&1 || { echo "SKIP: m68k-linux-gnu-gcc not installed"; exit 77; }
if [ -n "${SANITIZE_CFLAGS:-}" ]; then
	echo "SKIP: the sandboxed guest process cannot run under AddressSanitizer"
	exit 77
fi
set -u
vm68k="$top_builddir/vm68k"
check="$top_builddir/tests/trace_check"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
M68K_CFLAGS="-O2 -m68020" ELF2MAC=$top_builddir/tools/elf2mac \
	"$top_srcdir/tools/m68k-mac-build" -c VMTB -o "$tmp/vmevents.bin" \
	"$top_srcdir/tests/vmevents.c" >/dev/null || fail "building tests/vmevents.c"
frames=512 # --ram 2M
vm=8388608 # --vm 8M

# The trace, with trap entries.
out=$("$vm68k" run --ram 2M --vm 8M --trace "$tmp/t.jsonl" --trace-traps --stats \
	--seed 3141592653 "$tmp/vmevents.bin" 2>&1) || fail "vmevents: status $?: $out"
echo "$out" | grep -q '^DebugStr: vmevents: done$' || fail "vmevents: $out"
kinds=$("$check" "$tmp/t.jsonl" $frames $vm) || fail "trace_check: $kinds"
for k in page-in page-out zero-fill dirty hold unhold lock unlock privileged-instruction trap; do
	echo "$kinds" | grep -q "^$k [1-9]" || fail "no $k record in the trace: $kinds"
done
# Hold and lock records name the program's own pages with their count.
grep '"kind":"lock"' "$tmp/t.jsonl" | grep -q '"pages":1,' ||
	fail "lock record without pages 1: $(grep '"kind":"lock"' "$tmp/t.jsonl")"

# --seed is the guest's RndSeed.
echo "$out" | grep -q '^DebugStr: vmevents: RndSeed 3141592653$' || fail "--seed: $out"
out2=$("$vm68k" run --ram 2M --vm 8M "$tmp/vmevents.bin" 2>&1) || fail "no --seed: $?: $out2"
echo "$out2" | grep -q '^DebugStr: vmevents: RndSeed 1$' || fail "default seed is not 1: $out2"
"$vm68k" run --seed 4294967296 "$tmp/vmevents.bin" >"$tmp/out" 2>&1
[ $? = 2 ] || fail "--seed past 32 bits accepted: $(cat "$tmp/out")"

# Without --trace-traps there are no trap records.
"$vm68k" run --ram 2M --vm 8M --trace "$tmp/n.jsonl" "$tmp/vmevents.bin" >/dev/null 2>&1 ||
	fail "vmevents without --trace-traps: status $?"
kinds=$("$check" "$tmp/n.jsonl" $frames $vm) || fail "trace_check: $kinds"
echo "$kinds" | grep -q '^trap ' && fail "trap records without --trace-traps: $kinds"

# --stats: faults by kind sum to the faults; page-outs are evictions.
stat() { echo "$out" | sed -n "s/^  $1  *\([0-9][0-9]*\)$/\1/p"; }
for name in instructions faults faults_zero_fill faults_from_store faults_dirty \
	faults_reference faults_watch faults_bus_error faults_read_only \
	faults_fatal_page_fault faults_backing_store page_ins page_outs evictions \
	clean_drops resident_peak resident_final held_peak held_final locked_peak \
	locked_final frames backing_store_bytes backing_store_allocated; do
	[ -n "$(stat $name)" ] || fail "--stats has no $name: $out"
done
echo "$out" | grep -qE '^  mips  +[0-9]+\.[0-9]{3}$' || fail "--stats has no mips: $out"
sum=0
for k in zero_fill from_store dirty reference watch bus_error read_only fatal_page_fault \
	backing_store; do
	sum=$((sum + $(stat faults_$k)))
done
[ "$sum" = "$(stat faults)" ] || fail "faults by kind sum to $sum, not $(stat faults): $out"
[ "$(stat page_outs)" -le "$(stat evictions)" ] || fail "more page-outs than evictions: $out"
[ "$(stat evictions)" = $(($(stat page_outs) + $(stat clean_drops))) ] ||
	fail "evictions are not page-outs + clean drops: $out"
[ "$(stat resident_final)" -le "$(stat frames)" ] || fail "resident_final > frames: $out"
[ "$(stat resident_peak)" -le "$(stat frames)" ] || fail "resident_peak > frames: $out"
[ "$(stat page_ins)" -ge 1 ] && [ "$(stat page_outs)" -ge 1 ] || fail "no paging: $out"
[ "$(stat held_peak)" -gt "$(stat held_final)" ] || fail "held_peak: $out"
[ "$(stat locked_peak)" = 1 ] && [ "$(stat locked_final)" = 0 ] || fail "locked: $out"
# Pages written out take room in the store; it is --vm bytes long.
[ "$(stat backing_store_bytes)" = $vm ] || fail "backing_store_bytes: $out"
[ "$(stat backing_store_allocated)" -ge $(($(stat page_outs) > 0 ? 4096 : 0)) ] ||
	fail "backing_store_allocated: $out"
exit 0
