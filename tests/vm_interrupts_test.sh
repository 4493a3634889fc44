#!/bin/sh
# Interrupt-time code and the VM API through the traps (toolbox/vm.c,
# toolbox/interrupts.c): 68K programs built from tests/vm_*.c with
# tools/m68k-mac-build. Skipped without the cross compiler or under the
# sanitizers.
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
build vmapi "$top_srcdir/tests/vm_api.c"
build timer "$top_srcdir/tests/vm_timer.c"
build timer000 "$top_srcdir/tests/vm_timer.c" "-O2 -m68000"
build eada "$top_srcdir/tests/vm_eada.c" "-O2 -m68020 -DEADA"
build eadahold "$top_srcdir/tests/vm_eada.c" "-O2 -m68020 -DEADA -DHOLD -DTABLE=8"
build deferred "$top_srcdir/tests/vm_eada.c"
build defer112 "$top_srcdir/tests/vm_defer.c"
build vector "$top_srcdir/tests/vm_vector.c"
build vectortouch "$top_srcdir/tests/vm_vector.c" "-O2 -m68020 -DTOUCH"
build postevent "$top_srcdir/tests/vm_postevent.c"

# VM's limits on logical memory: 14 MB in 24-bit mode, 1 GB in 32-bit mode.
"$vm68k" run --addressing 24 --ram 4M --vm 16M "$tmp/vmapi.bin" >"$tmp/out" 2>&1
[ $? = 2 ] && grep -q 'at most 14M of logical memory in 24-bit mode' "$tmp/out" ||
	fail "24-bit --vm 16M: $(cat "$tmp/out")"
"$vm68k" run --vm 2G "$tmp/vmapi.bin" >"$tmp/out" 2>&1
[ $? = 2 ] && grep -q 'at most 1G of logical memory in 32-bit mode' "$tmp/out" ||
	fail "--vm 2G: $(cat "$tmp/out")"
out=$("$vm68k" run --addressing 24 --ram 2M --vm 6M "$tmp/vmapi.bin" 2>&1) || fail "24-bit --vm 6M: $?: $out"
echo "$out" | grep -q '^DebugStr: vmapi ok$' || fail "vm_api in 24-bit mode: $out"

# The VM API's calls and error codes.
out=$("$vm68k" run "$tmp/vmapi.bin" 2>&1) || fail "vm_api exited $?: $out"
echo "$out" | grep -q '^DebugStr: vmapi ok$' || fail "vm_api: $out"

# Time Manager, VBL, DeferUserFn and DTInstall in guest time, VM on and off.
# (VM off: one more Time Manager run, the one that ends a STOP.)
for vm in :10 --no-vm:11; do
	out=$("$vm68k" run --stats ${vm%:*} "$tmp/timer.bin" 2>&1) || fail "vm_timer $vm exited $?: $out"
	echo "$out" | grep -q '^DebugStr: timer ok$' || fail "vm_timer $vm: $out"
	echo "$out" | grep -q "time_tasks_run  *${vm#*:}\$" || fail "vm_timer $vm: Time Manager runs: $out"
done
# On a 68000 (6-byte interrupt frames) and a 68040.
out=$("$vm68k" run --cpu 68000 --no-vm "$tmp/timer000.bin" 2>&1) || fail "vm_timer on a 68000: $?: $out"
echo "$out" | grep -q '^DebugStr: timer ok$' || fail "vm_timer on a 68000: $out"
out=$("$vm68k" run --cpu 68040 "$tmp/timer.bin" 2>&1) || fail "vm_timer on a 68040: $?: $out"
echo "$out" | grep -q '^DebugStr: timer ok$' || fail "vm_timer on a 68040: $out"

# The VM Technote's double page fault: a VM-immune ('eada') Time Manager
# task reads an unheld page while a page-in is in progress: fatal page
# fault, status 9, with the CPU model's bus error frame on the interrupt
# stack ($B008 on a 68030, $7008 on a 68040).
paging="--ram 1M --vm 8M --disk-latency 1ms"
for cpu in 68030:B008 68040:7008; do
	"$vm68k" run --cpu ${cpu%:*} $paging "$tmp/eada.bin" >"$tmp/out" 2>&1
	st=$?
	[ $st = 9 ] || fail "eada on a ${cpu%:*}: status $st: $(cat "$tmp/out")"
	grep -q "Fatal page fault (paging unsafe, vM): Bus Error accessing .* frame \$${cpu#*:} at ISP" "$tmp/out" ||
		fail "eada on a ${cpu%:*}: message: $(cat "$tmp/out")"
done
# The same with the buffer held: no fault; the task ran while paging was
# unsafe, and DeferUserFn filled an 8-entry table then said cannotDeferErr.
out=$("$vm68k" run --stats --deferred-table-size 8 $paging "$tmp/eadahold.bin" 2>&1) ||
	fail "eada with HoldMemory exited $?: $out"
echo "$out" | grep -q '^DebugStr: eada ok$' || fail "eada with HoldMemory: $out"
echo "$out" | grep -q 'deferred_user_fns  *8$' || fail "eada with HoldMemory: deferred: $out"
# Without 'eada' VM defers the task: no fault, latency reported.
out=$("$vm68k" run --stats $paging "$tmp/deferred.bin" 2>&1) || fail "deferred task exited $?: $out"
echo "$out" | grep -q '^DebugStr: eada ok$' || fail "deferred task: $out"
echo "$out" | grep -q 'deferred_user_fns  *[1-9]' || fail "deferred task: none deferred: $out"
echo "$out" | grep -q 'deferred_latency_max_us  *[1-9]' || fail "deferred task: no latency: $out"

# PostEvent from a VM-immune Time Manager task while the program pages:
# each post made while paging is unsafe goes through the deferred user
# function table (counted), and every event arrives, in order. With VM off
# none is deferred.
for lat in 1ms 200us; do
	out=$("$vm68k" run --stats --ram 1M --vm 8M --disk-latency $lat "$tmp/postevent.bin" 2>&1) ||
		fail "postevent ($lat) exited $?: $out"
	echo "$out" | grep -q '^DebugStr: postevent ok$' || fail "postevent ($lat): $out"
	n=$(echo "$out" | sed -n 's/^DebugStr: postevent unsafe \([0-9]*\)$/\1/p')
	[ -n "$n" ] && [ "$n" -ge 1 ] || fail "postevent ($lat): no post while paging was unsafe: $out"
	echo "$out" | grep -q "deferred_user_fns  *$n\$" || fail "postevent ($lat): $n unsafe posts, deferred: $out"
done
out=$("$vm68k" run --stats --no-vm "$tmp/postevent.bin" 2>&1) || fail "postevent --no-vm exited $?: $out"
echo "$out" | grep -q '^DebugStr: postevent ok$' || fail "postevent --no-vm: $out"
echo "$out" | grep -q 'deferred_user_fns  *0$' || fail "postevent --no-vm: $out"

# A handler in the level-1 autovector is never deferred: it runs at every
# level-1 interrupt (chaining to the system's), and when it reads an unheld
# page during a page wait that is a fatal page fault. MOVE USP is emulated.
out=$("$vm68k" run --stats $paging "$tmp/vector.bin" 2>&1) || fail "vector exited $?: $out"
echo "$out" | grep -q '^DebugStr: vector ok$' || fail "vector: $out"
echo "$out" | grep -q 'privileged_emulated  *1$' || fail "vector: MOVE USP not emulated: $out"
"$vm68k" run $paging "$tmp/vectortouch.bin" >"$tmp/out" 2>&1
st=$?
[ $st = 9 ] || fail "vector handler touching an unheld page: status $st: $(cat "$tmp/out")"
grep -q 'Fatal page fault (paging unsafe, vM).*frame \$B008' "$tmp/out" || fail "vector touch: $(cat "$tmp/out")"

# InsTime repeated without RmvTime: system error 112 with VM on (table of
# 8 or the default 32), all 40 copies run with VM off or a 64-entry table.
for size in 8 32; do
	"$vm68k" run --deferred-table-size $size $paging "$tmp/defer112.bin" >"$tmp/out" 2>&1
	st=$?
	[ $st = 4 ] || fail "defer112 (table $size): status $st: $(cat "$tmp/out")"
	grep -q 'System error 112 (dsVMDeferredFuncTableFull)' "$tmp/out" ||
		fail "defer112 (table $size): $(cat "$tmp/out")"
done
out=$("$vm68k" run --no-vm "$tmp/defer112.bin" 2>&1) || fail "defer112 --no-vm exited $?: $out"
echo "$out" | grep -q '^DebugStr: deferred ok$' || fail "defer112 --no-vm: $out"
out=$("$vm68k" run --deferred-table-size 64 $paging "$tmp/defer112.bin" 2>&1) ||
	fail "defer112 (table 64) exited $?: $out"
echo "$out" | grep -q '^DebugStr: deferred ok$' || fail "defer112 (table 64): $out"
# The Device Manager (toolbox/devmgr.c): a driver the program installs,
# called synchronously, then asynchronous Control calls from an 'eada' Time
# Manager task while the program pages. Calls made while paging is unsafe
# wait in the deferred user function table (each counted, order kept)
# unless the driver has dVMImmuneBit; then they run at once and their
# completion routines are not deferred either. With VM off none waits.
# The program also checks GetVolumeVirtualMemoryInfo.
build driver "$top_srcdir/tests/vm_driver.c"
build driverimmune "$top_srcdir/tests/vm_driver.c" "-O2 -m68020 -DIMMUNE"
# A volume for GetVolumeVirtualMemoryInfo (none holds the backing store).
mkdir "$tmp/vol"
for app in driver driverimmune; do
	for lat in 1ms 200us; do
		out=$("$vm68k" run --volume "$tmp/vol" --stats --ram 1M --vm 8M --disk-latency $lat "$tmp/$app.bin" 2>&1) ||
			fail "$app ($lat) exited $?: $out"
		echo "$out" | grep -q '^DebugStr: driver ok$' || fail "$app ($lat): $out"
		u=$(echo "$out" | sed -n 's/^DebugStr: driver unsafe \([0-9]*\)$/\1/p')
		d=$(echo "$out" | sed -n 's/^DebugStr: driver deferred \([0-9]*\)$/\1/p')
		[ -n "$u" ] && [ "$u" -ge 1 ] || fail "$app ($lat): no call while paging was unsafe: $out"
		if [ $app = driver ]; then
			[ -n "$d" ] && [ "$d" -ge "$u" ] || fail "$app ($lat): $u unsafe calls, $d deferred: $out"
		else
			[ "$d" = 0 ] || fail "$app ($lat): VM-immune driver deferred: $out"
		fi
		echo "$out" | grep -q "deferred_user_fns  *$d\$" || fail "$app ($lat): $d deferred calls: $out"
	done
	out=$("$vm68k" run --volume "$tmp/vol" --stats --no-vm "$tmp/$app.bin" 2>&1) || fail "$app --no-vm exited $?: $out"
	echo "$out" | grep -q '^DebugStr: driver ok$' || fail "$app --no-vm: $out"
	echo "$out" | grep -q 'deferred_user_fns  *0$' || fail "$app --no-vm: $out"
done
# A one-entry table overflows with driver calls waiting in it (system error
# 112); a VM-immune driver's calls never take an entry.
"$vm68k" run --volume "$tmp/vol" --deferred-table-size 1 --ram 1M --vm 8M --disk-latency 1ms "$tmp/driver.bin" >"$tmp/out" 2>&1
st=$?
[ $st = 4 ] && grep -q 'System error 112 (dsVMDeferredFuncTableFull)' "$tmp/out" ||
	fail "driver (table 1): status $st: $(cat "$tmp/out")"
out=$("$vm68k" run --volume "$tmp/vol" --deferred-table-size 1 --ram 1M --vm 8M --disk-latency 1ms "$tmp/driverimmune.bin" 2>&1) ||
	fail "driverimmune (table 1) exited $?: $out"
echo "$out" | grep -q '^DebugStr: driver ok$' || fail "driverimmune (table 1): $out"
exit 0
