/* The A-line trap dispatcher and Mixed Mode's native calls. Trap tables are
 * in guest low memory; each entry is the guest address of the routine:
 * for vm68k's own routines a Mixed Mode routine descriptor in the read-only
 * toolbox ROM (goMixedModeTrap $AAFE, version 7, one RoutineRecord whose
 * ISA is vm68k's native ISA and whose procDescriptor is the index of the C
 * function), for a guest patch (SetTrapAddress) its 68K code. A patch that
 * calls through to the saved address JSRs to the descriptor, which
 * executes $AAFE: the same native routine runs, called like 68K code.
 *
 * Conventions (Inside Macintosh: Operating System Utilities, ch. 8 "Trap
 * Manager"; PowerPC System Software, ch. 2, CallOSTrapUniversalProc):
 *  OS traps (bit 11 clear): trap number in bits 0-7; the dispatcher puts the
 *   trap word in D1.W, saves A1, A2, D1, D2 and A0 unless bit 8 is set (the
 *   routine returns something in A0), calls the routine, restores them and
 *   sets the condition codes from D0.W (TST.W D0). Bits 9-10 are the
 *   routine's own flags (NewPtr's CLEAR and SYS...).
 *  Toolbox traps (bit 11 set): trap number in bits 0-9, Pascal stack
 *   convention, the routine pops its parameters; bit 10 (auto-pop) means
 *   the trap was reached by a JSR to glue, so the routine returns to the
 *   address on top of the stack instead of the word after the trap. */
#include "config.h"

#include "toolbox/tb.h"

#include <stdio.h>
#include <string.h>

/* The native routines in table order: RD i calls natives[i]. */
#define TRAP(word, name, info, impl) {word, name, info, native_##impl},
#define TRAP_NAME(word, name) {word, name, 0, NULL},
const struct trap_desc trap_descs[] = {
#include "toolbox/traps.def"
};
#undef TRAP
#undef TRAP_NAME
const unsigned trap_desc_count = sizeof trap_descs / sizeof trap_descs[0];

static bool is_os(uint16_t word)
{
	return (word & 0x0800) == 0;
}

static unsigned trap_number(uint16_t word)
{
	return is_os(word) ? (word & 0xFF) : (word & 0x3FF);
}

static gaddr table_slot(uint16_t word)
{
	return is_os(word) ? OS_TRAP_TABLE + 4 * (word & 0xFF)
			   : TOOLBOX_TRAP_TABLE + 4 * (word & 0x3FF);
}

/* The row describing the trap this word calls (flag bits ignored). */
static const struct trap_desc *desc_of(uint16_t word)
{
	for (unsigned i = 0; i < trap_desc_count; i++)
		if (is_os(trap_descs[i].word) == is_os(word) &&
		    trap_number(trap_descs[i].word) == trap_number(word))
			return &trap_descs[i];
	return NULL;
}

const char *toolbox_trap_name(uint16_t word)
{
	if ((word & 0xF000) != 0xA000)
		return NULL;
	const struct trap_desc *d = desc_of(word);
	return d ? d->name : NULL;
}

/* Whether entry is one of our descriptors; *index gets its native routine. */
bool tb_is_native_rd(struct toolbox *tb, gaddr entry, unsigned *index)
{
	if (entry < tb->rd_base || entry >= tb->rd_base + trap_desc_count * RD_SIZE ||
	    (entry - tb->rd_base) % RD_SIZE != 0)
		return false;
	*index = (entry - tb->rd_base) / RD_SIZE;
	return trap_descs[*index].fn != NULL;
}

/* Lays the routine descriptors into the ROM image (before it is mapped
 * read-only) and points every trap table slot at its routine or at
 * Unimplemented. rom_image is the ROM's contents at guest address tb->rom. */
static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

void tb_build_rom_rds(struct toolbox *tb, uint8_t *rom_image);
void tb_build_rom_rds(struct toolbox *tb, uint8_t *rom_image)
{
	for (unsigned i = 0; i < trap_desc_count; i++) {
		uint8_t *rd = rom_image + (tb->rd_base - tb->rom) + i * RD_SIZE;
		memset(rd, 0, RD_SIZE);
		if (trap_descs[i].fn == NULL)
			continue;
		put16(rd, _MixedModeMagic); /* goMixedModeTrap */
		rd[2] = kRoutineDescriptorVersion;
		rd[3] = 0;	   /* routineDescriptorFlags */
		rd[9] = 0;	   /* selectorInfo */
		put16(rd + 10, 0); /* routineCount: one record (count - 1) */
		put32(rd + 12, trap_descs[i].proc_info);
		rd[17] = kVM68KNativeISA; /* ISA */
		put16(rd + 18, 0);	  /* routineFlags */
		put32(rd + 20, i);	  /* procDescriptor: the native routine's index */
		if (trap_descs[i].fn == native_Unimplemented)
			tb->unimpl_rd = tb->rd_base + i * RD_SIZE;
	}
}

void tb_install_traps(struct toolbox *tb)
{
	for (unsigned n = 0; n < 256; n++)
		wr32(tb, OS_TRAP_TABLE + 4 * n, tb->unimpl_rd);
	for (unsigned n = 0; n < 1024; n++)
		wr32(tb, TOOLBOX_TRAP_TABLE + 4 * n, tb->unimpl_rd);
	for (unsigned i = 0; i < trap_desc_count; i++)
		if (trap_descs[i].fn != NULL)
			wr32(tb, table_slot(trap_descs[i].word), tb->rd_base + i * RD_SIZE);
}

/* ---- stack-based parameters ---- */

static unsigned stack_bytes(uint32_t code)
{
	return code == kFourByteCode ? 4 : code == kNoByteCode ? 0 : 2;
}

static unsigned param_count(uint32_t info)
{
	unsigned n = 0;
	for (unsigned k = 1; k <= 13; k++)
		if ((info >> (6 + 2 * (k - 1)) & 3) != 0)
			n = k;
	return n;
}

gaddr tb_param_addr(const struct tb_call *call, unsigned k)
{
	/* Pascal pushes left to right: the last parameter is on top. */
	gaddr a = call->args;
	for (unsigned j = param_count(call->proc_info); j > k; j--)
		a += stack_bytes(call->proc_info >> (6 + 2 * (j - 1)) & 3);
	return a;
}

uint32_t tb_param(struct toolbox *tb, const struct tb_call *call, unsigned k)
{
	gaddr a = tb_param_addr(call, k);
	return (call->proc_info >> (6 + 2 * (k - 1)) & 3) == kFourByteCode ? rd32(tb, a)
									   : rd16(tb, a);
}

void tb_result(struct toolbox *tb, const struct tb_call *call, uint32_t v)
{
	switch (call->proc_info >> 4 & 3) {
	case kFourByteCode:
		wr32(tb, call->result, v);
		break;
	case kTwoByteCode:
		wr16(tb, call->result, v);
		break;
	case kOneByteCode:
		wr8(tb, call->result, v);
		break; /* Boolean: the high byte */
	default:
		break;
	}
}

/* Runs native routine index as a Pascal or register routine. via_jsr: the
 * stack holds a return address (called from 68K code, or an auto-pop
 * trap); otherwise it returns to the word after the trap. */
static void call_native(struct toolbox *tb, unsigned index, uint16_t word, bool via_jsr)
{
	struct cpu *c = &tb->cpu;
	const struct trap_desc *d = &trap_descs[index];
	struct tb_call call = {0};
	call.word = word;
	call.proc_info = d->proc_info;
	call.os = (d->proc_info & 0xF) == kRegisterBased;
	gaddr sp = c->a[7];
	gaddr ret = via_jsr ? rd32(tb, sp) : c->pc;
	if (via_jsr)
		sp += 4;
	if (!call.os) {
		call.args = sp;
		unsigned n = param_count(d->proc_info);
		for (unsigned k = 1; k <= n; k++)
			call.popped += stack_bytes(d->proc_info >> (6 + 2 * (k - 1)) & 3);
		call.result = sp + call.popped;
	}
	tb->native_calls++;
	/* The routine may move the PC (LoadSeg re-runs the jump table entry,
	 * ExitToShell stops): it sees PC and SP as they will be on return. */
	c->a[7] = sp + call.popped;
	c->pc = ret;
	d->fn(tb, &call);
}

/* ---- the ROM's own stubs ---- */

static const char *const exception_names[] = {
    [2] = "Bus Error",
    [3] = "Address Error",
    [4] = "Illegal Instruction",
    [5] = "Zero Divide",
    [6] = "CHK Exception",
    [7] = "TRAPV Exception",
    [8] = "Privilege Violation",
    [9] = "Trace Exception",
    [11] = "Line 1111 Exception",
    [14] = "Format Error",
    [15] = "Uninitialized Interrupt",
    [24] = "Spurious Interrupt",
};

bool tb_emulate_privileged(struct toolbox *tb, gaddr frame);

/* An exception no guest handler took: its stub runs in supervisor mode
 * with the frame on the stack. */
static void exception_stub(struct toolbox *tb, unsigned vec)
{
	struct cpu *c = &tb->cpu;
	gaddr frame = c->a[7];
	if (vec == 8 && tb_emulate_privileged(tb, frame))
		return;
	if (vec != 2 && vmint_exception(tb, vec, frame)) /* the interrupt levels it runs */
		return;
	tb->exc_vector = vec; /* for the debugger: the frame is at the stack pointer */
	tb->exc_frame = frame;
	if (vmint_exception(tb, vec, frame)) /* a fatal page fault: its own stop */
		return;
	bool group0_000 = c->model == CPU_68000 && (vec == 2 || vec == 3);
	uint32_t pc = rd32(tb, frame + (group0_000 ? 10 : 2));
	const char *name =
	    vec < sizeof exception_names / sizeof exception_names[0] && exception_names[vec]
		? exception_names[vec]
		: NULL;
	if (vec == 2 || vec == 3) {
		if (vec == 2)
			tb_stop(tb, 5, "%s %s %08X at PC %08X", name,
				tb->fault_read_only ? "writing read-only memory" : "accessing",
				tb->fault_addr, pc);
		else
			tb_stop(tb, 5, "%s at PC %08X", name, pc);
	} else if (name != NULL) {
		tb_stop(tb, 5, "%s at PC %08X", name, pc);
	} else if (vec >= 32 && vec < 48) {
		tb_stop(tb, 5, "TRAP #%u at PC %08X (no handler)", vec - 32, pc);
	} else if (vec >= 24 && vec < 32) {
		tb_stop(tb, 5, "Interrupt level %u with no handler at PC %08X", vec - 24, pc);
	} else {
		tb_stop(tb, 5, "Exception vector %u at PC %08X", vec, pc);
	}
	c->pc = pc;
}

/* A patched OS trap's code returned: restore what the dispatcher saved
 * (frame on the stack: flags word, trap word, D1, D2, A1, A2, A0, return PC). */
enum { OSF_SIZE = 2 + 2 + 4 * 5 + 4 };
static void os_return(struct toolbox *tb)
{
	struct cpu *c = &tb->cpu;
	gaddr f = c->a[7];
	uint16_t word = (uint16_t)rd16(tb, f + 2);
	c->d[1] = rd32(tb, f + 4);
	c->d[2] = rd32(tb, f + 8);
	c->a[1] = rd32(tb, f + 12);
	c->a[2] = rd32(tb, f + 16);
	if (!(word & 0x0100))
		c->a[0] = rd32(tb, f + 20);
	c->pc = rd32(tb, f + 24);
	c->a[7] = f + OSF_SIZE;
	uint16_t d0 = (uint16_t)c->d[0];
	c->sr = (uint16_t)((c->sr & ~(SR_N | SR_Z | SR_V | SR_C)) | (d0 & 0x8000 ? SR_N : 0) |
			   (d0 == 0 ? SR_Z : 0));
}

/* ---- the dispatcher ---- */

static void dispatch_os(struct toolbox *tb, uint16_t word)
{
	struct cpu *c = &tb->cpu;
	gaddr entry = rd32(tb, table_slot(word));
	unsigned index;
	if (tb_is_native_rd(tb, entry, &index)) {
		uint32_t d1 = c->d[1], d2 = c->d[2], a0 = c->a[0], a1 = c->a[1], a2 = c->a[2];
		tb->os_saved[0] = d1;
		tb->os_saved[1] = d2;
		tb->os_saved[2] = a1;
		tb->os_saved[3] = a2;
		c->d[1] = (c->d[1] & 0xFFFF0000u) | word;
		call_native(tb, index, word, false);
		c->d[1] = d1;
		c->d[2] = d2;
		c->a[1] = a1;
		c->a[2] = a2;
		if (!(word & 0x0100))
			c->a[0] = a0;
		uint16_t d0 = (uint16_t)c->d[0];
		c->sr = (uint16_t)((c->sr & ~(SR_N | SR_Z | SR_V | SR_C)) |
				   (d0 & 0x8000 ? SR_N : 0) | (d0 == 0 ? SR_Z : 0));
		return;
	}
	/* A guest routine: save as the real dispatcher does, JSR to it with the
	 * ROM's return stub as the return address. */
	tb->patched_calls++;
	gaddr f = c->a[7] - OSF_SIZE;
	wr32(tb, f + 24, c->pc);
	wr32(tb, f + 20, c->a[0]);
	wr32(tb, f + 16, c->a[2]);
	wr32(tb, f + 12, c->a[1]);
	wr32(tb, f + 8, c->d[2]);
	wr32(tb, f + 4, c->d[1]);
	wr16(tb, f + 2, word);
	wr16(tb, f, 0);
	wr32(tb, f - 4, tb->stub_os_return);
	c->a[7] = f - 4;
	c->d[1] = (c->d[1] & 0xFFFF0000u) | word;
	c->pc = entry;
}

static void dispatch_toolbox(struct toolbox *tb, uint16_t word)
{
	struct cpu *c = &tb->cpu;
	bool auto_pop = word & 0x0400;
	gaddr entry = rd32(tb, table_slot(word));
	unsigned index;
	if (tb_is_native_rd(tb, entry, &index)) {
		call_native(tb, index, word, auto_pop);
		return;
	}
	tb->patched_calls++;
	if (!auto_pop) {
		wr32(tb, c->a[7] - 4, c->pc);
		c->a[7] -= 4;
	}
	c->pc = entry;
}

/* $AAFE at gaddr rd: a routine descriptor called like 68K code. */
static void run_descriptor(struct toolbox *tb, gaddr rd)
{
	struct cpu *c = &tb->cpu;
	/* A fat descriptor holds routineCount + 1 records: run the native one
	 * if there is one, else the 68K one (Mixed Mode on a 68K Mac). */
	unsigned count = rd16(tb, rd + 10) + 1u, pick = 0;
	int best = -1;
	for (unsigned i = 0; i < count && i < 16; i++) {
		unsigned isa_i = rd8(tb, rd + 12 + 20 * i + 5);
		int rank = isa_i == kVM68KNativeISA ? 2 : isa_i == kM68kISA ? 1 : 0;
		if (rank > best) {
			best = rank;
			pick = i;
		}
	}
	gaddr rec = rd + 12 + 20 * pick;
	unsigned isa = rd8(tb, rec + 5);
	uint32_t proc = rd32(tb, rec + 8);
	if (rd8(tb, rd + 2) != kRoutineDescriptorVersion) {
		tb_stop(tb, 5, "Routine descriptor at %08X has version %u: expected %u", rd,
			rd8(tb, rd + 2), kRoutineDescriptorVersion);
		c->pc = rd;
		return;
	}
	if (isa == kM68kISA) {
		c->pc = proc; /* 68K code: Mixed Mode just jumps to it */
		return;
	}
	if (isa != kVM68KNativeISA || proc >= trap_desc_count || trap_descs[proc].fn == NULL) {
		tb_stop(tb, 5,
			"Routine descriptor at %08X: ISA %u, routine %u is not one vm68k runs", rd,
			isa, proc);
		c->pc = rd;
		return;
	}
	if (trap_descs[proc].fn == native_Unimplemented) {
		uint16_t d1 = (uint16_t)c->d[1];
		tb_stop(tb, 4,
			"Unimplemented trap called through its address at PC %08X (D1.W %04X)",
			rd32(tb, c->a[7]), d1);
		c->pc = rd;
		return;
	}
	/* An OS routine called through finds its trap word in D1, where the
	 * dispatcher put it for the patch. */
	uint16_t word = (trap_descs[proc].proc_info & 0xF) == kRegisterBased
			    ? (uint16_t)c->d[1]
			    : trap_descs[proc].word;
	tb->os_saved[0] = c->d[1];
	tb->os_saved[1] = c->d[2];
	tb->os_saved[2] = c->a[1];
	tb->os_saved[3] = c->a[2];
	call_native(tb, proc, word, true);
}

int tb_aline(struct cpu *cpu, uint16_t op, void *ctx)
{
	struct toolbox *tb = ctx;
	gaddr at = cpu->pc - 2;
	tb->insn_pc = at;
	tb->traps++;
	if (at >= tb->stub_vector && at < tb->stub_vector + 2 * 256) {
		exception_stub(tb, (at - tb->stub_vector) / 2);
		return 1;
	}
	if (at == tb->stub_gestalt_return) {
		tb_gestalt_return(tb);
		return 1;
	}
	if (at == tb->stub_post_event) {
		tb_post_event_stub(tb);
		return 1;
	}
	if (at == tb->stub_driver_call) {
		tb_driver_call_stub(tb);
		return 1;
	}
	if (at == tb->stub_gestalt_builtin) {
		tb_gestalt_builtin(tb);
		return 1;
	}
	if (at == tb->stub_call_return) {
		tb_call68k_return(tb);
		return 1;
	}
	if (at == tb->stub_sync_return) {
		tb_call68k_sync_return(tb);
		return 1;
	}
	if (at == tb->stub_call_pending) {
		tb_call68k_pending(tb);
		return 1;
	}
	if (at == tb->stub_os_return) {
		os_return(tb);
		return 1;
	}
	if (op == _MixedModeMagic) {
		run_descriptor(tb, at);
		return 1;
	}
	if (tb->cfg.trace_traps && tb->cfg.event)
		tb->cfg.event(tb->cfg.ctx, TOOLBOX_EV_TRAP, at, op);
	if (rd32(tb, table_slot(op)) == tb->unimpl_rd) {
		/* The Mac's answer is system error 12 (dsCoreErr); ours names the trap. */
		const struct trap_desc *d = desc_of(op);
		tb_stop(tb, 4, "Unimplemented trap %04X (%s) at PC %08X", op,
			d ? d->name : "no name known", at);
		cpu->pc = at;
		return 1;
	}
	if (is_os(op))
		dispatch_os(tb, op);
	else
		dispatch_toolbox(tb, op);
	return 1;
}

/* ---- Trap Manager ---- */

/* Which table the old-style calls mean: numbers $00-$4F, $54 and $57 are
 * OS traps (Inside Macintosh: Operating System Utilities, 8-37). */
static gaddr trap_slot_for(struct tb_call *call, uint16_t num)
{
	bool os;
	if (call->word & 0x0200) /* NGet/NSet: bit 10 chooses the Toolbox table */
		os = !(call->word & 0x0400);
	else
		os = (num & 0x3FF) <= 0x4F || (num & 0x3FF) == 0x54 || (num & 0x3FF) == 0x57;
	return os ? OS_TRAP_TABLE + 4 * (num & 0xFF) : TOOLBOX_TRAP_TABLE + 4 * (num & 0x3FF);
}

NATIVE(GetTrapAddress)
{
	struct cpu *c = &tb->cpu;
	c->a[0] = rd32(tb, trap_slot_for(call, (uint16_t)c->d[0]));
	c->d[0] = 0;
}

NATIVE(SetTrapAddress)
{
	struct cpu *c = &tb->cpu;
	wr32(tb, trap_slot_for(call, (uint16_t)c->d[0]), c->a[0]);
	c->d[0] = 0;
}

NATIVE(Unimplemented)
{
	(void)call;
	tb_stop(tb, 4, "Unimplemented trap called at PC %08X", tb->insn_pc);
	tb->cpu.pc = tb->insn_pc;
}

NATIVE(MixedModeMagic)
{
	/* Never reached through the table: tb_aline handles $AAFE first. */
	(void)call;
	tb_stop(tb, 5, "MixedModeMagic reached through the trap table at PC %08X", tb->insn_pc);
}

void tb_bad_selector(struct toolbox *tb, struct tb_call *call, int32_t selector)
{
	const struct trap_desc *d = desc_of(call->word);
	tb_stop(tb, 4, "Unimplemented selector %d of trap %04X (%s) at PC %08X", selector,
		call->word, d ? d->name : "?", tb->insn_pc);
	tb->cpu.pc = tb->insn_pc;
}
