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

/* _OSDispatch ($A88F): the Process Manager's temporary-memory calls, a
 * Pascal-stack trap with a selector word pushed last (MOVE.W #sel,-(SP)).
 * Selectors from Apple's Memory.h inline code: TempMaxMem $15, TempTopMem
 * $16, TempFreeMem $18, TempNewHandle $1D, TempHLock $1E, TempHUnlock $1F,
 * TempDisposeHandle $20. The trap's row declares no parameters: the
 * selector decides how many bytes this routine pops. */
NATIVE(OSDispatch)
{
	struct cpu *c = &tb->cpu;
	gaddr sp = c->a[7];
	uint16_t sel = (uint16_t)rd16(tb, sp);
	gaddr p = sp + 2; /* the last parameter pushed before the selector */
	OSErr err = noErr;
	uint32_t params = 0, result = 0;
	bool has_result = true;
	switch (sel) {
	case 0x15: { /* TempMaxMem(VAR grow: Size): Size */
		int32_t grow = 0;
		result = (uint32_t)TempMaxMem(&tb->mm, &grow);
		wr32(tb, rd32(tb, p), (uint32_t)grow);
		params = 4;
		break;
	}
	case 0x16: { /* TempTopMem: Ptr */
		gaddr app_top;
		result = TempTopMem(&tb->mm, &app_top);
		break;
	}
	case 0x18: /* TempFreeMem: LONGINT */
		result = (uint32_t)TempFreeMem(&tb->mm);
		break;
	case 0x1D: /* TempNewHandle(logicalSize: Size; VAR resultCode: OSErr): Handle */
		result = TempNewHandle(&tb->mm, (int32_t)rd32(tb, p + 4), &err);
		wr16(tb, rd32(tb, p), (uint16_t)err);
		params = 8;
		break;
	case 0x1E: /* TempHLock(h: Handle; VAR resultCode: OSErr) */
	case 0x1F: /* TempHUnlock */
	case 0x20: /* TempDisposeHandle */
		if (sel == 0x1E)
			TempHLock(&tb->mm, rd32(tb, p + 4), &err);
		else if (sel == 0x1F)
			TempHUnlock(&tb->mm, rd32(tb, p + 4), &err);
		else
			TempDisposeHandle(&tb->mm, rd32(tb, p + 4), &err);
		wr16(tb, rd32(tb, p), (uint16_t)err);
		params = 8;
		has_result = false;
		break;
	default:
		tb_bad_selector(tb, call, sel);
		return;
	}
	gaddr after = sp + 2 + params;
	if (has_result)
		wr32(tb, after, result);
	c->a[7] = after;
}
