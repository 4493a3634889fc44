/* An unloaded segment is purgeable: CODE 2 is called, unloaded, then the
 * application heap is filled until the Memory Manager must purge it, and
 * CODE 2 is called again: the Segment Loader reads it anew from the file
 * (--stats: segment_reads 3 for CODE 1 and CODE 2 twice) and it relocates
 * itself again. Without the pressure it would simply be locked where it
 * is. Built by tests/toolbox_run_test.sh. */
#include "mactraps.h"

int32_t table[2] = {100, 200};

MAC_SEGMENT(2) int32_t seg2_value(int32_t x)
{
	int32_t (*volatile self)(int32_t) = seg2_value; /* an address inside CODE 2 */
	return x * 7 + table[1] + (self != 0);
}

int main(void)
{
	int bad = 0;
	bad |= seg2_value(3) != 21 + 200 + 1;
	UnloadSeg((void *)seg2_value);
	/* Fill the heap with 16 KiB handles until none fits, then free them. */
	static Handle hs[4096];
	int n = 0;
	while (n < 4096 && (hs[n] = NewHandle(16 * 1024)) != 0)
		n++;
	bad |= n < 2 || n == 4096;
	while (n > 0)
		DisposeHandle(hs[--n]);
	bad |= seg2_value(4) != 28 + 200 + 1;
	DebugStr(bad ? PSTR("segpurge MISMATCH") : PSTR("segpurge ok"));
	return 0;
}
