/* Calls a trap vm68k does not implement (GetResource, A9A0): the run must
 * stop there with "Unimplemented trap A9A0 (GetResource) at PC ..." and
 * status 4, never carry on. Built by tests/toolbox_run_test.sh. */
#include "mactraps.h"

int main(void)
{
	DebugStr(PSTR("before"));
	__asm__ volatile("clr.l -(%%sp)\n\tmove.l #0x434F4445,-(%%sp)\n\tclr.w -(%%sp)\n\t.short 0xA9A0\n\taddq.l #4,%%sp"
			 : : : "d0", "a0", MAC_CLOBBERS);
	DebugStr(PSTR("after"));
	return 0;
}
