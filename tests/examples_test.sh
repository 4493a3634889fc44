#!/bin/sh
# The bundled examples (examples/, built by `make` into examples/NAME.bin)
# run through `vm68k run --example NAME`, each checked for the outcome it
# demonstrates: thrash's faults per pass jump once the sweep passes --ram;
# password's unheld secret reaches the backing store and its held one does
# not; heapwalk's walking free faults where the free list does not;
# privileged's MOVE to SR is emulated three times per increment under VM
# only; hold's plain task is deferred, its held 'eada' task runs during
# page-ins and its unheld one is a fatal page fault (status 9); deferred's
# InsTime without RmvTime is system error 112 (status 4) under VM only.
# Also `vm68k examples`, --example's errors, and --stats' working set.
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
small="--ram 2M --vm 8M"

# The table of `vm68k examples` and the build's list name the same examples,
# and every one was built.
listed=$("$vm68k" examples) || fail "vm68k examples: status $?"
names=$(sed -n 's/^EXAMPLE_NAMES = //p' "$top_srcdir/examples/local.mk")
[ -n "$names" ] || fail "no EXAMPLE_NAMES in examples/local.mk"
for n in $names; do
	echo "$listed" | grep -q "^$n  *[a-z]" || fail "vm68k examples does not list $n: $listed"
	[ -f "$top_builddir/examples/$n.bin" ] || fail "examples/$n.bin was not built"
done
[ "$(echo "$listed" | grep -c '^[a-z][a-z]*  ')" = "$(echo $names | wc -w)" ] ||
	fail "vm68k examples lists other examples than examples/local.mk: $listed"
echo "$listed" | grep -q 'not built' && fail "vm68k examples: $listed"

# --example: unknown names, both APP and --example, and $VM68K_EXAMPLES.
"$vm68k" run --example nosuch >"$tmp/out" 2>&1
[ $? = 2 ] || fail "--example nosuch: status $?"
grep -q 'no such example' "$tmp/out" || fail "--example nosuch: $(cat "$tmp/out")"
"$vm68k" run --example hello "$top_builddir/examples/hello.bin" >"$tmp/out" 2>&1
[ $? = 2 ] || fail "--example with an APP: status $?"
mkdir "$tmp/elsewhere"
cp "$top_builddir/examples/hello.bin" "$tmp/elsewhere/hello.bin"
printf 'not a Mac application' >"$tmp/elsewhere/thrash.bin"
VM68K_EXAMPLES="$tmp/elsewhere" "$vm68k" run --example thrash >"$tmp/out" 2>&1
[ $? = 3 ] || fail "VM68K_EXAMPLES is not searched first: $(cat "$tmp/out")"
out=$("$vm68k" run --example hello 2>&1) || fail "hello: $?: $out"
echo "$out" | grep -q '^DebugStr: ok$' || fail "hello: $out"

# thrash: per sweep, faults per pass as a percentage of the pages swept.
out=$("$vm68k" run $small --example thrash 2>&1) || fail "thrash: status $?: $out"
echo "$out" | grep -q '^DebugStr: thrash: done$' || fail "thrash: $out"
rate() { echo "$out" | sed -n "s/^DebugStr: thrash: sweep $1% of RAM ([0-9]* pages): [0-9]* faults\/pass (\([0-9]*\)% of pages).*/\1/p"; }
for pc in 25 50 75; do
	r=$(rate $pc)
	[ -n "$r" ] && [ "$r" -le 1 ] || fail "thrash: $pc% of RAM faulted ${r:-?}% of its pages per pass: $out"
done
for pc in 125 150 200; do
	r=$(rate $pc)
	[ -n "$r" ] && [ "$r" -ge 90 ] || fail "thrash: $pc% of RAM faulted only ${r:-?}% of its pages per pass: $out"
done
echo "thrash: $(echo "$out" | grep -c 'faults/pass') sweeps; 75%: $(rate 75)%, 110%: $(rate 110)%, 150%: $(rate 150)% of pages per pass"

# password: the unheld secret reached the backing store, the held one never did.
out=$("$vm68k" run $small --backing-store "$tmp/store" --example password 2>&1) ||
	fail "password: status $?: $out"
echo "$out" | grep -q '^DebugStr: password: .*held: yes.*cleared both$' || fail "password: $out"
grep -q 'UNHELD-tr0ub4dor-secret' "$tmp/store" || fail "password: the unheld secret is not in the backing store"
grep -q 'HELD-c0rrect-h0rse-secret' "$tmp/store" && fail "password: the held secret reached the backing store"
grep -q 'secret' "$top_builddir/examples/password.bin" && fail "password: the program holds a plain copy of a secret"

# heapwalk: the walking free faults on the heap's cold pages, the free list does not.
out=$("$vm68k" run $small --stats --example heapwalk 2>&1) || fail "heapwalk: status $?: $out"
list=$(echo "$out" | sed -n 's/^DebugStr: heapwalk: free list: \([0-9]*\) page faults$/\1/p')
walk=$(echo "$out" | sed -n 's/^DebugStr: heapwalk: walking free: \([0-9]*\) page faults.*/\1/p')
[ -n "$list" ] && [ -n "$walk" ] || fail "heapwalk: $out"
[ "$list" -le 10 ] || fail "heapwalk: the free list took $list faults"
[ "$walk" -ge 1000 ] && [ "$walk" -ge $((list * 100)) ] || fail "heapwalk: the walk took only $walk faults"
ins=$(echo "$out" | sed -n 's/^  page_ins  *//p')
[ "$ins" -ge "$walk" ] 2>/dev/null || fail "heapwalk: --stats page_ins $ins < the walk's $walk faults"
echo "heapwalk: free list $list faults, walking free $walk"

# privileged: 3 emulations per masked increment under VM, none without VM.
out=$("$vm68k" run --stats --example privileged 2>&1) || fail "privileged: status $?: $out"
echo "$out" | grep -q '^DebugStr: privileged: counter ok$' || fail "privileged: $out"
echo "$out" | grep -q '^  privileged_emulated  *30000$' || fail "privileged: emulations: $out"
out=$("$vm68k" run --no-vm --stats --example privileged 2>&1) || fail "privileged --no-vm: status $?: $out"
echo "$out" | grep -q '^DebugStr: privileged: counter ok$' || fail "privileged --no-vm: $out"
echo "$out" | grep -q '^  privileged_emulated  *0$' || fail "privileged --no-vm: $out"

# --stats: the working set over time follows thrash's sweeps, whose largest
# is 1023 pages (the program's code, stack and globals add a few).
out=$("$vm68k" run $small --stats --ws-interval 5000 --example thrash 2>&1) || fail "thrash --ws-interval: $?"
line=$(echo "$out" | grep '^working set: pages touched per 5000 instructions ([0-9]* samples; peak')
[ -n "$line" ] || fail "no working-set line: $out"
peak=$(echo "$out" | sed -n 's/^  ws_peak_pages  *//p')
[ "$peak" -ge 300 ] && [ "$peak" -le 1100 ] || fail "working-set peak $peak pages: $line"
first=$(echo "$line" | sed 's/.*): \([0-9]*\) .*/\1/')
[ "$first" -lt 300 ] || fail "the first sample ($first pages) should be the small sweeps: $line"
out=$("$vm68k" run $small --stats --ws-interval 0 --example thrash 2>&1) || fail "--ws-interval 0: $?"
echo "$out" | grep -q '^working set' && fail "--ws-interval 0 still sampled: $out"
out=$("$vm68k" run --no-vm --stats --example hello 2>&1) || fail "hello --no-vm: $?"
echo "$out" | grep -q '^working set' && fail "a working set without VM: $out"
echo "$line"
# vm68k info lists the traps hold's code calls.
out=$("$vm68k" info "$top_builddir/examples/hold.bin") || fail "info hold: status $?"
for t in 'A058 InsTime' 'A059 RmvTime' 'A05A PrimeTime' 'A05C MemoryDispatch' 'A08D DebugUtil' 'A193 Microseconds' 'A9F4 ExitToShell' 'ABFF DebugStr'; do
	echo "$out" | grep -q "$t" || fail "info hold: $t not listed: $out"
done

# hold: with page-ins taking guest time, the plain task is deferred (never
# runs while paging is unsafe; --stats shows the added latency), the 'eada'
# task with its buffer held runs during page-ins without a fault, and the
# 'eada' task with the buffer unheld ends in a fatal page fault, status 9.
paging="--ram 1M --vm 8M --disk-latency 1ms"
"$vm68k" run $paging --stats --example hold >"$tmp/out" 2>&1
st=$?
[ $st = 9 ] || fail "hold: status $st: $(cat "$tmp/out")"
grep -q '^DebugStr: hold: plain task (VM defers it): [1-9][0-9]* runs, 0 while paging was unsafe; late by up to [0-9]* us (average [0-9]* us)$' "$tmp/out" ||
	fail "hold: plain task: $(cat "$tmp/out")"
grep -q "^DebugStr: hold: 'eada' task, buffer held: [1-9][0-9]* runs, [1-9][0-9]* while paging was unsafe; late by up to [0-9]* us" "$tmp/out" ||
	fail "hold: held: $(cat "$tmp/out")"
# Deferral made the plain task late by about a page-in (1 ms); the 'eada'
# task ran on time (within a few instructions).
late_plain=$(sed -n 's/^DebugStr: hold: plain task.* late by up to \([0-9]*\) us.*/\1/p' "$tmp/out")
late_eada=$(sed -n "s/^DebugStr: hold: 'eada' task, buffer held.* late by up to \([0-9]*\) us.*/\1/p" "$tmp/out")
[ "$late_plain" -ge 500 ] && [ "$late_eada" -le 10 ] ||
	fail "hold: lateness plain $late_plain us, 'eada' $late_eada us: $(cat "$tmp/out")"
grep -q 'Fatal page fault (paging unsafe, vM): Bus Error accessing .* frame \$B008 at ISP' "$tmp/out" ||
	fail "hold: no fatal page fault: $(cat "$tmp/out")"
grep -q "buffer unheld: [0-9]* runs" "$tmp/out" && fail "hold: the unheld phase ended: $(cat "$tmp/out")"
grep -q 'deferred_latency_max_us  *[1-9]' "$tmp/out" || fail "hold: no deferred latency: $(cat "$tmp/out")"
echo "hold: $(grep -c '^DebugStr: hold: .* runs' "$tmp/out") phases ended, then: $(grep -o 'Fatal page fault.*ISP' "$tmp/out");" \
	"plain task late by up to $late_plain us (--stats: deferred latency max" \
	"$(sed -n 's/^  deferred_latency_max_us  *//p' "$tmp/out") us), 'eada' task by $late_eada us"
out=$("$vm68k" run --no-vm --example hold 2>&1) || fail "hold --no-vm: status $?: $out"
echo "$out" | grep -q '^DebugStr: hold: no fatal page fault' || fail "hold --no-vm: $out"

# deferred: InsTime 40 times without RmvTime: system error 112 (status 4)
# with VM and page-ins that take time; all 40 run without VM.
"$vm68k" run $paging --example deferred >"$tmp/out" 2>&1
st=$?
[ $st = 4 ] || fail "deferred: status $st: $(cat "$tmp/out")"
grep -q 'System error 112 (dsVMDeferredFuncTableFull)' "$tmp/out" || fail "deferred: $(cat "$tmp/out")"
out=$("$vm68k" run --no-vm --example deferred 2>&1) || fail "deferred --no-vm: status $?: $out"
echo "$out" | grep -q '^DebugStr: deferred: .*the task ran 40 times$' || fail "deferred --no-vm: $out"
echo ok
