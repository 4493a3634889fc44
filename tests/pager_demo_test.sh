#!/bin/sh
# `vm68k run` (the pager demonstration) and `vm68k map` as a user runs them:
# exit statuses, the verification line, the backing-store file's mode, the
# map's regions and the refusal messages.
set -u
if [ -n "${SANITIZE_CFLAGS:-}" ]; then
	echo "SKIP: the sandboxed guest process cannot run under AddressSanitizer"
	exit 77
fi
vm68k="${top_builddir:-.}/vm68k"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

out=$("$vm68k" run --ram 1M --vm 4M --passes 2 --stats --backing-store "$tmp/store") ||
	fail "run exited $?"
echo "$out" | grep -q '^vm68k: ok: 2 x 4096 KiB written and verified, 0 mismatches$' ||
	fail "no ok line: $out"
echo "$out" | grep -q 'page_outs  *[1-9]' || fail "no page-outs in --stats: $out"
echo "$out" | grep -q 'Read-only memory exception writing 40800010 (ROM+\$10)' ||
	fail "ROM write not reported: $out"
echo "$out" | grep -q 'Bus Error accessing 60000000' || fail "bus error not reported: $out"
[ "$(stat -c %a "$tmp/store")" = 600 ] || fail "backing store mode is $(stat -c %a "$tmp/store")"
[ "$(stat -c %s "$tmp/store")" = 4194304 ] || fail "backing store is not the logical size"

out=$("$vm68k" run -q --no-vm --ram 1M --passes 1) || fail "--no-vm run exited $?"
[ "$(echo "$out" | wc -l)" = 1 ] || fail "--quiet printed more than the result: $out"

out=$("$vm68k" run -q --addressing 24 --vm 4M --ram 512K --passes 1) || fail "24-bit run failed"

"$vm68k" run --backing-store "$tmp/no/such/dir/store" 2>"$tmp/err"
[ $? = 3 ] || fail "unusable backing store is not exit 3"
grep -q "no/such/dir/store" "$tmp/err" || fail "error does not name the file"

"$vm68k" run --ram 1G --vm 2G 2>"$tmp/err"
[ $? = 1 ] || fail "configuration over vm.max_map_count was not refused"
grep -q "vm.max_map_count" "$tmp/err" || fail "refusal does not name vm.max_map_count"

out=$("$vm68k" map --vm 8M --ram 2M) || fail "map exited $?"
echo "$out" | grep -q '^00000000  007FFFFF .* RAM .*paged through 512 frames' || fail "map: $out"
echo "$out" | grep -q '^40800000  4080FFFF .* r-  *ROM' || fail "map: $out"
echo "$out" | grep -q '^  00003000-00012FFF  system heap' || fail "map: no application layout: $out"
echo "$out" | grep -q 'up to MemTop 00800000$' || fail "map: MemTop is not the logical size: $out"
"$vm68k" map --addressing 24 --vm 12M 2>"$tmp/err"
[ $? = 1 ] || fail "overlap not refused"
grep -q '"ROM".*overlaps region "RAM"' "$tmp/err" || fail "overlap message: $(cat "$tmp/err")"
echo "ok"
