/* A target for the debugger's scripted sessions (tests/debugger_test.sh).
 * What it does depends on the word at ApplScratch ($A78), which a session
 * sets with `sm A78 N` before the first instruction: 0 writes a global, a
 * stack local and address 0 (watch points), 1-4 die in the Technote's bus
 * error forms, 5 loops until interrupted, 6 loads its 'SIZE' -1 resource
 * and publishes its block's address at $A84. It publishes the global's
 * address at $A7C and the local's at $A80 so sessions can say `wp [A7C]`.
 * Built with frame pointers (for sc). */
#include "macresources.h"

#define SCRATCH(off) (*(volatile uint32_t *)(0xA78 + (off)))

static volatile int32_t counter; /* below A5 */

static __attribute__((noinline)) int32_t leaf(volatile int32_t *local, int32_t n)
{
	for (int i = 0; i < 4; i++)
		counter += 1;
	*local = n * 2;
	*(volatile int32_t *)0 = 0x12345678; /* NIL: low memory's first long */
	return counter;
}

static __attribute__((noinline)) int32_t middle(int32_t n)
{
	volatile int32_t local = 0;
	SCRATCH(8) = (uint32_t)&local;
	DebugStr(PSTR("ready"));
	return leaf(&local, n) + local;
}

int main(void)
{
	uint16_t mode = *(volatile uint16_t *)0xA78;
	SCRATCH(4) = (uint32_t)&counter;
	switch (mode) {
	case 1: /* a read outside every region */
		return *(volatile int32_t *)0x60000000;
	case 2: /* a long word written outside every region */
		*(volatile int32_t *)0x60000000 = 0x9B;
		break;
	case 3: /* an instruction fetch outside every region */
		((void (*)(void))0x60000000)();
		break;
	case 4: { /* a write into the read-only toolbox ROM (TickCount's descriptor) */
		register int32_t d0 __asm__("d0") = 0xA975;
		register uint16_t *a0 __asm__("a0");
		__asm__ volatile(".short 0xA746" : "=r"(a0), "+r"(d0) : : MAC_CLOBBERS);
		*(volatile uint16_t *)a0 = 0x4E75;
		break;
	}
	case 6: {
		/* a resource in the heap, for wh */
		Handle h = GetResource(0x53495A45, -1); /* 'SIZE' */
		SCRATCH(12) = h ? (uint32_t)*h : 0;
		DebugStr(PSTR("resource"));
		break;
	}
	case 5: /* forever, until the debugger breaks in */
		for (;;)
			counter += 1;
	default:
		if (middle(5) != 4 + 10)
			DebugStr(PSTR("wrong"));
		break;
	}
	DebugStr(PSTR("done"));
	return 0;
}
