/* The Memory Manager's traps: every Memory Manager row of toolbox/traps.def
 * runs this one native routine, which hands the trap word (flag bits
 * included: $200 clear, $400 system zone, from D1 as the dispatcher left
 * it) and the registers to mm_register_trap (toolbox/memory/traps.c keeps the
 * register conventions of Inside Macintosh: Memory). The dispatcher does
 * the rest of an OS trap's job: A0 per bit 8, D1-D2/A1-A2, TST.W D0.
 * Also the Memory Manager's calls into 68K code: grow-zone functions and
 * purge warning procedures. */
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

/* The Memory Manager asks a zone's grow-zone function for room in the
 * middle of finding space (Inside Macintosh: Memory, "Grow-Zone
 * Functions"): FUNCTION MyGrowZone(cbNeeded: Size): LongInt, the bytes it
 * freed. It needs the answer before it can go on, so the call waits for
 * the function to return (tb_call68k_sync). */
static int32_t grow_zone(struct mm *mm, gaddr zone, gaddr proc, int32_t cbNeeded)
{
	(void)zone;
	struct toolbox *tb = mm->hook_ctx;
	uint32_t arg = (uint32_t)cbNeeded, freed;
	if (!tb_call68k_sync(tb, proc, &arg, 1, 4, &freed))
		return 0;
	return (int32_t)freed;
}

/* PROCEDURE MyPurgeProc(h: Handle), before the block of h is purged (Inside
 * Macintosh: Memory, "Purge-Warning Procedures"); the purge waits for it. */
static void purge_warning(struct mm *mm, gaddr zone, gaddr proc, gaddr h)
{
	(void)zone;
	struct toolbox *tb = mm->hook_ctx;
	uint32_t unused;
	tb_call68k_sync(tb, proc, &h, 1, 0, &unused);
}

void tb_mm_hooks(struct toolbox *tb)
{
	tb->mm.hook_ctx = tb;
	tb->mm.call_grow_zone = grow_zone;
	tb->mm.call_purge_proc = purge_warning;
}
