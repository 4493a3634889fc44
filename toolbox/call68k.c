/* Natives that call 68K code and resume: the native pushes the registers it
 * must keep and the ROM's return stub as the return address, the guest
 * routine runs, and when its RTS reaches the stub the native's continuation
 * runs with the routine's D0. Used by interrupt-time code (VBL and Time
 * Manager tasks, deferred functions, completion routines); generic enough
 * for grow-zone and purge procedures. */
#include "config.h"

#include "toolbox/tb.h"

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
