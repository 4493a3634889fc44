/* The Memory Manager through its traps (tools/mactraps.h's glue, register
 * conventions of Inside Macintosh: Memory): pointers and handles, sizes,
 * locking, clearing, BlockMove, MemErr, and a handle that survives heap
 * compaction with its contents. Reports "memory ok" or the failed checks
 * through DebugStr. Built by tests/toolbox_run_test.sh. */
#include "mactraps.h"

static void hexdigits(unsigned char *at, uint32_t v)
{
	const char *hex = "0123456789ABCDEF";
	for (int i = 0; i < 8; i++)
		at[i] = (unsigned char)hex[(v >> (28 - 4 * i)) & 15];
}

int main(void)
{
	uint32_t bad = 0;
	Ptr p = NewPtrClear(1000);
	bad |= (p == 0) << 0;
	int zero = 1;
	for (int i = 0; i < 1000; i++)
		zero &= p[i] == 0;
	bad |= !zero << 1;
	bad |= (GetPtrSize(p) != 1000) << 2;
	bad |= (SetPtrSize(p, 500) != noErr || GetPtrSize(p) != 500) << 3;

	Handle h = NewHandle(300);
	bad |= (h == 0 || *h == 0 || MemError() != noErr) << 4;
	for (int i = 0; i < 300; i++)
		(*h)[i] = (char)i;
	bad |= (GetHandleSize(h) != 300) << 5;
	/* Free the pointer below and grow the handle: it may move; its bytes come along. */
	DisposePtr(p);
	bad |= (SetHandleSize(h, 20000) != noErr || GetHandleSize(h) != 20000) << 6;
	int same = 1;
	for (int i = 0; i < 300; i++)
		same &= (*h)[i] == (char)i;
	bad |= !same << 7;
	bad |= (HLock(h) != noErr) << 8;
	Ptr locked = *h;
	Handle other = NewHandleClear(5000);
	bad |= (other == 0 || *h != locked) << 9;
	bad |= (HUnlock(h) != noErr) << 10;

	char src[16] = "0123456789abcdef", dst[16];
	BlockMove(src, dst, 16);
	bad |= (dst[0] != '0' || dst[15] != 'f') << 11;
	BlockMove(src, src + 4, 8); /* overlapping */
	bad |= (src[4] != '0' || src[11] != '7') << 12;

	bad |= (DisposeHandle(other) != noErr || DisposeHandle(h) != noErr) << 13;
	Handle huge = NewHandle(0x7FFFFFF0);
	bad |= (huge != 0 || MemError() != memFullErr) << 15;

	if (bad) {
		static unsigned char msg[] = "\x13memory BAD XXXXXXXX";
		hexdigits(msg + 12, bad);
		DebugStr(msg);
	} else {
		DebugStr(PSTR("memory ok"));
	}
	return 0;
}
