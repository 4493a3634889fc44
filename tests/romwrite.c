/* Writes into the toolbox ROM (the routine descriptor GetTrapAddress gives
 * for TickCount): the ROM is read-only, so the run stops with a bus error
 * naming the address and status 5. Built by tests/toolbox_run_test.sh. */
#include "mactraps.h"

int main(void)
{
	register int32_t d0 __asm__("d0") = 0xA975;
	register uint16_t *a0 __asm__("a0");
	__asm__ volatile(".short 0xA746" : "=r"(a0), "+r"(d0) : : MAC_CLOBBERS);
	uint16_t *rd = a0;
	DebugStr(PSTR("before"));
	*(volatile uint16_t *)rd = 0x4E75; /* RTS over $AAFE */
	DebugStr(PSTR("after"));
	return 0;
}
