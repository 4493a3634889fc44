/* The Memory Manager's traps: every Memory Manager row of toolbox/traps.def
 * runs this one native routine, which hands the trap word (flag bits
 * included: $200 clear, $400 system zone, from D1 as the dispatcher left
 * it) and the registers to mm_register_trap (toolbox/memory/traps.c keeps the
 * register conventions of Inside Macintosh: Memory). The dispatcher does
 * the rest of an OS trap's job: A0 per bit 8, D1-D2/A1-A2, TST.W D0. */
#include "config.h"

#include "toolbox/tb.h"

NATIVE(MemoryManager)
{
	struct cpu *c = &tb->cpu;
	struct mm_regs r = {c->d[0], c->a[0], c->a[1], c->a[7]};
	if (!mm_register_trap(&tb->mm, call->word, &r)) {
		tb_stop(tb, 4, "Unimplemented trap %04X (%s) at PC %08X: not one the Memory Manager has",
			call->word, toolbox_trap_name(call->word) ? toolbox_trap_name(call->word) : "?",
			tb->insn_pc);
		c->pc = tb->insn_pc;
		return;
	}
	c->d[0] = r.d0;
	c->a[0] = r.a0;
	c->a[1] = r.a1;
}
