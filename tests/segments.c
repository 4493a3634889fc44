/* Three segments: main in CODE 1 calls into CODE 2 and CODE 3 (directly and
 * through a function pointer held in CODE 1's data), CODE 3 calls CODE 2,
 * and the segments use CODE 1's constants, .bss and each other. Both are
 * then unloaded and called again, so they are loaded anew (tests/minimac.c
 * moves them). Ends with DebugStr "segments ok" when every result is right.
 * Built and run by tests/elf2mac_run.sh. */
#include "mactraps.h"

int32_t table[4] = {1000, 2000, 3000, 4000}; /* CODE 1's data */
static int32_t calls;			     /* .bss, below A5 */

MAC_SEGMENT(2) static int32_t seg2_scale(int32_t x)
{
	return x * 3;
}

MAC_SEGMENT(2) int32_t seg2_add(int32_t a, int32_t b)
{
	/* An absolute address inside CODE 2 (moves with it), then CODE 1's data. */
	int32_t (*volatile scale)(int32_t) = seg2_scale;
	calls++;
	return scale(a) + b + table[1];
}

MAC_SEGMENT(3) int32_t seg3_twice(int32_t x)
{
	calls++;
	return seg2_add(x, x) * 2; /* CODE 3 to CODE 2: through the jump table */
}

static int32_t (*const via_pointer)(int32_t) = seg3_twice; /* CODE 1 data to CODE 3 */

int main(void)
{
	int bad = 0;
	bad += seg2_add(1, 2) != 3 + 2 + 2000;
	bad += via_pointer(5) != (15 + 5 + 2000) * 2;
	UnloadSeg((void *)seg2_add);
	UnloadSeg((void *)seg3_twice);
	bad += seg3_twice(7) != (21 + 7 + 2000) * 2;
	bad += seg2_add(0, 0) != 2000;
	bad += calls != 6;
	DebugStr(bad ? PSTR("segments MISMATCH") : PSTR("segments ok"));
	return 0;
}
