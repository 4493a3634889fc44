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

# The VM API's calls and error codes.
out=$("$vm68k" run "$tmp/vmapi.bin" 2>&1) || fail "vm_api exited $?: $out"
echo "$out" | grep -q '^DebugStr: vmapi ok$' || fail "vm_api: $out"

# Time Manager, VBL, DeferUserFn and DTInstall in guest time, VM on and off.
for vm in "" --no-vm; do
	out=$("$vm68k" run --stats $vm "$tmp/timer.bin" 2>&1) || fail "vm_timer $vm exited $?: $out"
	echo "$out" | grep -q '^DebugStr: timer ok$' || fail "vm_timer $vm: $out"
	echo "$out" | grep -q 'time_tasks_run  *10$' || fail "vm_timer $vm: Time Manager runs: $out"
done
exit 0
