/* Natives that call 68K code and resume: the native pushes the registers it
 * must keep and the ROM's return stub as the return address, the guest
 * routine runs, and when its RTS reaches the stub the native's continuation
 * runs with the routine's D0. Used by interrupt-time code (VBL and Time
 * Manager tasks, deferred functions, completion routines); generic enough
 * for grow-zone and purge procedures. */
#include "config.h"

#include "toolbox/tb.h"

#include <string.h>

/* Frame, from the stack pointer the routine returns to: the continuation's
 * index, then D0-D3, A0-A3 and the PC to resume at. */
enum { CF_INDEX = 0, CF_REGS = 4, CF_PC = 4 + 32, CF_SIZE = 4 + 32 + 4 };

bool tb_call68k(struct toolbox *tb, gaddr proc, uint32_t d0, uint32_t a0, uint32_t a1,
		tb_cont_fn cont, uint32_t cookie)
{
	struct cpu *c = &tb->cpu;
	struct vmint *v = &tb->vmint;
	if (v->ncont == CALL68K_DEPTH) {
		tb_stop(tb, 5, "68K calls from native code nested more than %u deep at PC %08X",
			CALL68K_DEPTH, c->pc);
		return false;
	}
	gaddr f = c->a[7] - CF_SIZE;
	wr32(tb, f + CF_INDEX, v->ncont);
	for (int i = 0; i < 4; i++) {
		wr32(tb, f + CF_REGS + 4 * i, c->d[i]);
		wr32(tb, f + CF_REGS + 16 + 4 * i, c->a[i]);
	}
	wr32(tb, f + CF_PC, c->pc);
	wr32(tb, f - 4, tb->stub_call_return);
	v->cont[v->ncont].fn = cont;
	v->cont[v->ncont].cookie = cookie;
	v->ncont++;
	c->a[7] = f - 4;
	c->d[0] = d0;
	c->a[0] = a0;
	c->a[1] = a1;
	c->pc = proc;
	return true;
}

void tb_call68k_return(struct toolbox *tb)
{
	struct cpu *c = &tb->cpu;
	struct vmint *v = &tb->vmint;
	gaddr f = c->a[7];
	uint32_t index = rd32(tb, f + CF_INDEX);
	if (v->ncont == 0 || index != v->ncont - 1) {
		tb_stop(tb, 5,
			"A routine called from native code returned with a damaged stack (SP %08X)",
			f);
		return;
	}
	uint32_t d0 = c->d[0];
	for (int i = 0; i < 4; i++) {
		c->d[i] = rd32(tb, f + CF_REGS + 4 * i);
		c->a[i] = rd32(tb, f + CF_REGS + 16 + 4 * i);
	}
	c->pc = rd32(tb, f + CF_PC);
	c->a[7] = f + CF_SIZE;
	v->ncont--;
	tb_cont_fn fn = v->cont[v->ncont].fn;
	if (fn != NULL)
		fn(tb, v->cont[v->ncont].cookie, d0);
}

bool tb_call68k_after_trap(struct toolbox *tb, gaddr proc, uint32_t d0, uint32_t a0, uint32_t a1,
			   tb_cont_fn cont, uint32_t cookie)
{
	struct vmint *v = &tb->vmint;
	if (v->pending_call) {
		tb_stop(tb, 5, "Two 68K calls pending from one trap at PC %08X", tb->insn_pc);
		return false;
	}
	v->pending_call = true;
	v->pending = (struct vmint_call){.proc = proc, .d0 = d0, .a0 = a0, .a1 = a1};
	v->pending_cont = cont;
	v->pending_cookie = cookie;
	v->pending_resume = tb->cpu.pc;
	tb->cpu.pc = tb->stub_call_pending;
	return true;
}

void tb_call68k_pending(struct toolbox *tb)
{
	struct vmint *v = &tb->vmint;
	if (!v->pending_call) {
		tb_stop(tb, 5, "Jump to the toolbox ROM's call stub at %08X", tb->insn_pc);
		return;
	}
	v->pending_call = false;
	tb->cpu.pc = v->pending_resume;
	tb_call68k(tb, v->pending.proc, v->pending.d0, v->pending.a0, v->pending.a1, v->pending_cont,
		   v->pending_cookie);
}

/* Synchronous calls. The continuations above suit natives that can end and
 * be resumed; the Memory Manager cannot: it asks a grow-zone procedure for
 * room in the middle of an allocation, with its own state on the C stack.
 * So the native waits: the CPU runs nested (cpu_run_nested keeps the trap's
 * instruction in progress) until the routine returns to the ROM's sync
 * stub, interrupts and page waits included. The debugger's breakpoints do
 * not stop inside such a routine (the nested run is not the debugger's). */
bool tb_call68k_sync(struct toolbox *tb, gaddr proc, const uint32_t *args, unsigned nargs,
		     unsigned result_size, uint32_t *result)
{
	struct cpu *c = &tb->cpu;
	*result = 0;
	if (tb->sync_depth == sizeof tb->sync / sizeof tb->sync[0]) {
		tb_stop(tb, 5, "68K routines called by the toolbox nested more than %u deep at PC %08X",
			tb->sync_depth, c->pc);
		return false;
	}
	uint32_t d[8], a[8], pc = c->pc, insn_pc = tb->insn_pc, os_saved[4];
	uint16_t sr = c->sr;
	memcpy(d, c->d, sizeof d);
	memcpy(a, c->a, sizeof a);
	memcpy(os_saved, tb->os_saved, sizeof os_saved);
	gaddr sp = a[7] - (result_size ? 4 : 0); /* room for the result, kept even */
	if (result_size)
		wr32(tb, sp, 0);
	gaddr ret_sp = sp;
	for (unsigned i = 0; i < nargs; i++) {
		sp -= 4;
		wr32(tb, sp, args[i]);
	}
	sp -= 4;
	wr32(tb, sp, tb->stub_sync_return);
	unsigned depth = tb->sync_depth++;
	tb->sync[depth].sp = ret_sp;
	tb->sync[depth].returned = false;
	c->a[7] = sp;
	c->pc = proc;
	while (!tb->stop && !tb->sync[depth].returned) {
		enum cpu_stop why = cpu_run_nested(c, vmint_budget(tb, 1u << 16));
		vmint_after_slice(tb, why); /* page waits, interrupts: as toolbox_run */
		if (why == CPU_STOP_HALTED)
			tb_stop(tb, 5, "Double fault: the CPU halted at PC %08X", c->pc);
		else if (why == CPU_STOP_STOPPED && c->stopped)
			tb_stop(tb, 5, "STOP with no interrupt source at PC %08X", c->pc);
	}
	tb->sync_depth--;
	bool ok = tb->sync[depth].returned;
	if (ok && result_size)
		*result = result_size == 2 ? rd16(tb, ret_sp) : rd32(tb, ret_sp);
	memcpy(c->d, d, sizeof d);
	memcpy(c->a, a, sizeof a);
	c->pc = pc;
	if (ok)
		cpu_set_sr(c, sr);
	c->a[7] = a[7];
	tb->insn_pc = insn_pc;
	memcpy(tb->os_saved, os_saved, sizeof os_saved);
	return ok;
}

void tb_call68k_sync_return(struct toolbox *tb)
{
	struct cpu *c = &tb->cpu;
	if (tb->sync_depth == 0 || c->a[7] != tb->sync[tb->sync_depth - 1].sp) {
		tb_stop(tb, 5,
			"A routine called by the toolbox returned with a damaged stack (SP %08X)",
			c->a[7]);
		return;
	}
	tb->sync[tb->sync_depth - 1].returned = true;
	cpu_request_stop(c);
}

void tb_rte(struct toolbox *tb)
{
	struct cpu *c = &tb->cpu;
	gaddr f = c->a[7];
	uint16_t sr = (uint16_t)rd16(tb, f);
	gaddr pc = rd32(tb, f + 2);
	unsigned size = 6;
	if (c->model != CPU_68000) {
		unsigned format = rd16(tb, f + 6) >> 12;
		if (format != 0 && format != 2) {
			tb_stop(tb, 5, "RTE from native code: frame format $%X at %08X", format, f);
			return;
		}
		size = format == 0 ? 8 : 12;
	}
	c->a[7] = f + size;
	c->pc = pc;
	cpu_set_sr(c, sr);
}
