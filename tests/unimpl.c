/* Calls a trap vm68k does not implement (TEInit, A9CC): the run must stop
 * there with "Unimplemented trap A9CC (TEInit) at PC ..." and status 4,
 * never carry on. Built by tests/toolbox_run_test.sh. */
#include "mactraps.h"

int main(void)
{
	DebugStr(PSTR("before"));
	__asm__ volatile(".short 0xA9CC" : : : "d0", "a0", MAC_CLOBBERS);
	DebugStr(PSTR("after"));
	return 0;
}
