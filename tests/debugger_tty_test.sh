#!/bin/sh
# The debugger as a person uses it: `vm68k run --debugger` in a terminal
# (a tmux pane), commands typed at its prompt, the answers read off the
# screen. The sandboxed guest process reads the terminal itself; Control-C
# breaks into a running guest.
# Skipped without tmux or the cross compiler, and under the sanitizers.
command -v m68k-linux-gnu-gcc >/dev/null 2>&1 || { echo "SKIP: m68k-linux-gnu-gcc not installed"; exit 77; }
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux not installed"; exit 77; }
if [ -n "${SANITIZE_CFLAGS:-}" ]; then
	echo "SKIP: the sandboxed guest process cannot run under AddressSanitizer"
	exit 77
fi
set -u
vm68k=$(cd "$top_builddir" && pwd)/vm68k
tmp=$(mktemp -d)
sock="vm68k-dbg-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
fail() {
	echo "FAIL: $*"
	echo "---- screen:"
	tmux -L "$sock" capture-pane -p -t dbg 2>/dev/null
	exit 1
}
M68K_CFLAGS="-O1 -m68020 -fno-omit-frame-pointer" ELF2MAC=$top_builddir/tools/elf2mac \
	"$top_srcdir/tools/m68k-mac-build" -c VMTB -o "$tmp/t.bin" "$top_srcdir/tests/dbgtarget.c" \
	>/dev/null || fail "building tests/dbgtarget.c"
screen() { tmux -L "$sock" capture-pane -p -t dbg; }
# wait_for TEXT: until the screen shows TEXT (5 s at most)
wait_for() {
	i=0
	while ! screen | grep -q -- "$1"; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "the screen never showed '$1'"
		sleep 0.05
	done
}
type_line() { tmux -L "$sock" send-keys -t dbg -l "$1" && tmux -L "$sock" send-keys -t dbg Enter; }

tmux -L "$sock" -f /dev/null new-session -d -s dbg -x 100 -y 40 \
	"$vm68k run --debugger --debugstr break $tmp/t.bin; echo \"exit status \$?\"; sleep 30" ||
	fail "tmux did not start"
wait_for '^User break at start (--debugger)$'
wait_for '^>'
type_line 'td'
wait_for '^ PC = [0-9A-F]\{8\}   SR = 0000  tsm0 xnzvc   VM state VM$'
type_line 'g'
wait_for '^User break at DebugStr "ready"'
type_line 'wp [A80]'
wait_for '^Watch point #0 at [0-9A-F]\{8\} (4 bytes)$'
type_line 'g'
wait_for '^ old value 00000000, new value 0000000A$'
type_line 'wh [A80]'
wait_for 'is in the application stack'
# t steps away from the hit; Return alone steps again, as in MacsBug.
type_line 't'
wait_for '^Step (from '
tmux -L "$sock" send-keys -t dbg Enter
i=0
while [ "$(screen | grep -c '^Step (from ')" != 2 ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "Return did not repeat the step"
	sleep 0.05
done
type_line 'g'
wait_for '^User break at DebugStr "done"'
type_line 'g'
wait_for '^vm68k: ExitToShell$'
wait_for '^exit status 0$'

# On a terminal, --debugstr break alone enters the debugger too.
# A fresh server per session: a new session on a server that is exiting
# (its last session killed) fails with "server exited unexpectedly".
tmux -L "$sock" kill-server 2>/dev/null
sock="${sock}x"
tmux -L "$sock" -f /dev/null new-session -d -s dbg -x 100 -y 40 \
	"$vm68k run --debugstr break $tmp/t.bin; echo \"exit status \$?\"; sleep 30" ||
	fail "tmux did not start"
wait_for '^User break at DebugStr "ready"'
type_line 'es'
wait_for '^exit status 1$'

# Control-C is the interrupt switch: a guest looping forever stops in the
# debugger, which can look at it and let it go on or end it.
# A fresh server per session: a new session on a server that is exiting
# (its last session killed) fails with "server exited unexpectedly".
tmux -L "$sock" kill-server 2>/dev/null
sock="${sock}x"
tmux -L "$sock" -f /dev/null new-session -d -s dbg -x 100 -y 40 \
	"$vm68k run --debugger $tmp/t.bin; echo \"exit status \$?\"; sleep 30" ||
	fail "tmux did not start"
wait_for '^User break at start (--debugger)$'
type_line 'sm A78 0005'
type_line 'g'
sleep 0.2
tmux -L "$sock" send-keys -t dbg C-c
wait_for '^User break at [0-9A-F]\{8\} (interrupt)$'
type_line 'wh pc'
wait_for 'is in CODE 1 + '
type_line 'g'
sleep 0.1
tmux -L "$sock" send-keys -t dbg C-c
i=0
while [ "$(screen | grep -c '(interrupt)$')" != 2 ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the second Control-C did not break in"
	sleep 0.05
done
type_line 'es'
wait_for '^exit status 1$'
echo "ok"
