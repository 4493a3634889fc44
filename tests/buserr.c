/* Reads an address outside every region (a bus error with no handler
 * installed) after a write to the read-only toolbox ROM would have been
 * the other case: the run must stop with MacsBug's words and status 5.
 * Built by tests/toolbox_run_test.sh; argument-free, so the address is
 * chosen by the C code: 0x60000000 (32-bit mode, nothing mapped there). */
#include "mactraps.h"

int main(void)
{
	DebugStr(PSTR("before"));
	volatile int32_t *nowhere = (volatile int32_t *)0x60000000;
	int32_t v = *nowhere;
	DebugStr(v ? PSTR("after, nonzero") : PSTR("after"));
	return 0;
}
