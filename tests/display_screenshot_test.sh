#!/bin/sh
# `vm68k run --headless --screenshot FILE` as a user runs it, with no display:
# the picture's page map agrees with the run's own --stats, every page has a
# documented colour, the legend shows the palette, and the guest screen holds
# what the guest drew (the demonstration's full progress bar).
set -u
if [ -n "${SANITIZE_CFLAGS:-}" ]; then
	echo "SKIP: the sandboxed guest process cannot run under AddressSanitizer"
	exit 77
fi
vm68k="${top_builddir:-.}/vm68k"
check="${top_builddir:-.}/tests/screenshot_check"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# A pixel inside the progress bar's right end (host/demo.c draws it with
# value $B0, which the grey ramp shows as 4F4F4F when the bar is full).
bar="518 244"

out=$("$vm68k" run --headless --ram 1M --vm 4M --passes 1 --stats \
	--screenshot "$tmp/vm.bmp") || fail "VM run exited $?: $out"
resident=$(echo "$out" | awk '$1 == "resident" && NF == 2 { print $2 }')
[ -n "$resident" ] || fail "no resident count in --stats: $out"
got=$("$check" "$tmp/vm.bmp" 1024 16 $bar) || fail "cannot read the screenshot"
echo "$got"
echo "$got" | grep -q "^RAM: .* not-resident=$((1024 - resident)) " ||
	fail "VM: non-resident cells are not 1024 - $resident resident"
echo "$got" | grep -q "^RAM: .* other=0$" || fail "VM: cells of no documented colour"
echo "$got" | grep -q "^ROM: .* read-only=16 " || fail "VM: the ROM is not read-only"
echo "$got" | grep -q "^legend=ok$" || fail "legend colours"
echo "$got" | grep -q "^screen=4F4F4F$" || fail "guest screen: no full progress bar"

out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$vm68k" run -q --no-vm --ram 1M --passes 1 \
	--screenshot "$tmp/rm.bmp") || fail "no-VM run exited $?: $out"
got=$("$check" "$tmp/rm.bmp" 256 16 $bar) || fail "cannot read the no-VM screenshot"
echo "$got"
echo "$got" | grep -q "^RAM: .* not-resident=0 " || fail "no VM: a page is not resident"
clean=$(echo "$got" | sed -n 's/^RAM: .* clean=\([0-9]*\) dirty=\([0-9]*\) .*/\1 \2/p')
[ "$(echo "$clean" | awk '{ print $1 + $2 }')" = 256 ] ||
	fail "no VM: not every page is resident clean or dirty ($clean)"

# The window's own path (SDL started after the fork, a frame a tick), on
# SDL's dummy driver: the picture it leaves is the same.
DISPLAY=:vm68k-test SDL_VIDEODRIVER=dummy "$vm68k" run -q --ram 1M --vm 4M --passes 2 \
	--screenshot "$tmp/win.bmp" >/dev/null || fail "run with a (dummy) window failed"
got=$("$check" "$tmp/win.bmp" 1024 16 $bar) || fail "cannot read the window's screenshot"
echo "$got" | grep -q "^RAM: .* not-resident=768 .* other=0$" ||
	fail "window: not 1024 - 256 frames non-resident: $got"

"$vm68k" run --headless --screenshot "$tmp/no/such/dir/x.bmp" 2>"$tmp/err"
[ $? = 3 ] || fail "unwritable --screenshot is not exit 3"
grep -q "no/such/dir/x.bmp" "$tmp/err" || fail "error does not name the file: $(cat "$tmp/err")"

"$vm68k" run -q --headless --ram 1M --vm 2M --passes 1 >/dev/null || fail "--headless alone failed"
# Without a window there is nothing to keep open: the run ends.
timeout 20 "$vm68k" run -q --headless --keep-window --ram 1M --vm 2M --passes 1 >/dev/null ||
	fail "--keep-window without a window did not end by itself"
echo "ok"
