/* guest/ops_flow.c: program flow and system control: branches, jumps,
 * returns, traps, STOP/RESET/NOP, A-line and F-line words, and the indexed
 * addressing modes (brief extension words; the 68020 full format). */
#include "config.h"
#include "guest/cpu_internal.h"
#include "guest/ops.h"

uint32_t ea_index(struct cpu *c, uint32_t base)
{
	uint32_t ext = fetch16(c);
	unsigned xr = (ext >> 12) & 15;
	uint32_t x = xr < 8 ? c->d[xr] : c->a[xr - 8];
	if (!(ext & 0x800))
		x = (uint32_t)(int16_t)x;
	if (c->model < CPU_68020)
		return base + (uint32_t)(int8_t)ext + x;
	x <<= (ext >> 9) & 3;
	if (!(ext & 0x100))
		return base + (uint32_t)(int8_t)ext + x;
	/* 68020 full extension word */
	if (ext & 0x80)
		base = 0; /* BS: base suppressed */
	if (ext & 0x40)
		x = 0; /* IS: index suppressed */
	uint32_t bd = 0;
	switch ((ext >> 4) & 3) {
	case 2:
		bd = (uint32_t)(int16_t)fetch16(c);
		break;
	case 3:
		bd = fetch32(c);
		break;
	default:
		break;
	}
	unsigned iis = ext & 7;
	if (iis == 0)
		return base + bd + x;
	uint32_t od = 0;
	switch (iis & 3) {
	case 2:
		od = (uint32_t)(int16_t)fetch16(c);
		break;
	case 3:
		od = fetch32(c);
		break;
	default:
		break;
	}
	if (iis & 4) /* post-indexed */
		return rd32(c, base + bd) + x + od;
	return rd32(c, base + bd + x) + od; /* pre-indexed */
}

/* A transfer of control: the 68000 fetches at the target at once, so an odd
 * target is an address error of this instruction. */
static void jump(struct cpu *c, uint32_t target, uint32_t stacked_pc)
{
	if (__builtin_expect(target & 1, 0)) /* the 020+ stack the jump's own address */
		cpu_address_error_pc(c, target, AE_PROGRAM, c->odd_check ? stacked_pc : c->insn_pc);
	c->pc = target;
}

void op_bcc(struct cpu *c, uint16_t op)
{
	uint32_t base = c->insn_pc + 2;
	int32_t disp = (int8_t)op;
	if (disp == 0)
		disp = (int16_t)fetch16(c);
	else if (disp == -1 && c->model >= CPU_68020)
		disp = (int32_t)fetch32(c);
	if (cond_true(c, (op >> 8) & 15))
		jump(c, base + (uint32_t)disp, c->insn_pc + 2);
}

void op_bsr(struct cpu *c, uint16_t op)
{
	uint32_t base = c->insn_pc + 2;
	int32_t disp = (int8_t)op;
	if (disp == 0)
		disp = (int16_t)fetch16(c);
	else if (disp == -1 && c->model >= CPU_68020)
		disp = (int32_t)fetch32(c);
	uint32_t sp = c->a[7] - 4;
	wr32(c, sp, c->pc);
	undo_areg(c, 7, 0); /* an odd target faults after the push */
	c->a[7] = sp;
	jump(c, base + (uint32_t)disp, base + (uint32_t)disp); /* the 68000 stacks the odd target */
}

void op_dbcc(struct cpu *c, uint16_t op)
{
	uint32_t base = c->insn_pc + 2;
	int32_t disp = (int16_t)fetch16(c);
	if (cond_true(c, (op >> 8) & 15))
		return;
	unsigned r = op & 7;
	uint32_t v = (c->d[r] - 1) & 0xFFFF;
	if (v != 0xFFFF)
		jump(c, base + (uint32_t)disp, c->insn_pc + 4); /* faults before Dn changes */
	c->d[r] = (c->d[r] & 0xFFFF0000) | v;
}

void op_jmp(struct cpu *c, uint16_t op)
{
	jump(c, ea_addr(c, (op >> 3) & 7, op & 7), c->insn_pc + 2);
}

void op_jsr(struct cpu *c, uint16_t op)
{
	uint32_t target = ea_addr(c, (op >> 3) & 7, op & 7);
	uint32_t ret = c->pc;
	/* the 68000 checks the target before it pushes */
	jump(c, target, ret);
	uint32_t sp = c->a[7] - 4;
	wr32(c, sp, ret);
	c->a[7] = sp;
	c->pc = target;
}

void op_rts(struct cpu *c, uint16_t op)
{
	uint32_t pc = rd32(c, c->a[7]);
	undo_areg(c, 7, 0); /* an odd return address faults after the pop */
	c->a[7] += 4;
	jump(c, pc, c->insn_pc + 2);
}

void op_rtd(struct cpu *c, uint16_t op)
{
	int32_t disp = (int16_t)fetch16(c);
	uint32_t pc = rd32(c, c->a[7]);
	undo_areg(c, 7, 0);
	c->a[7] += 4 + (uint32_t)disp;
	jump(c, pc, c->insn_pc + 4);
}

void op_rtr(struct cpu *c, uint16_t op)
{
	uint32_t ccr = rd16(c, c->a[7]);
	uint32_t pc = rd32(c, c->a[7] + 2);
	undo_areg(c, 7, 0);
	c->a[7] += 6;
	set_ccr(c, ccr);
	jump(c, pc, c->insn_pc + 2);
}

/* RTE: frames we build for faults carry the instruction's address, so no
 * format asks for a bus cycle to be finished: each frame is just popped. */
/* Bytes in a stack frame of the given format on this model; 0 if the
 * model does not have it (format error). */
static uint32_t frame_length(const struct cpu *c, unsigned fmt)
{
	int m020 = c->model == CPU_68020 || c->model == CPU_68030;
	switch (fmt) {
	case 0x0:
		return 8;
	case 0x1:
		return c->model >= CPU_68020 ? 8 : 0;
	case 0x2:
		return c->model >= CPU_68020 ? 12 : 0;
	case 0x3:
		return c->model == CPU_68040 ? 12 : 0;
	case 0x7:
		return c->model == CPU_68040 ? 60 : 0;
	case 0x8:
		return c->model == CPU_68010 ? 58 : 0;
	case 0x9:
		return m020 ? 20 : 0;
	case 0xA:
		return m020 ? 32 : 0;
	case 0xB:
		return m020 ? 92 : 0;
	default:
		return 0;
	}
}

/* RTE: frames we build for faults carry the instruction's address, so no
 * format asks for a bus cycle to be finished: each frame is just popped.
 * A format $1 throwaway frame on the interrupt stack sends RTE on to the
 * frame on the master stack. Everything is read before anything changes. */
void op_rte(struct cpu *c, uint16_t op)
{
	if (priv_check(c))
		return;
	uint32_t sp = c->a[7];
	uint32_t sr = rd16(c, sp);
	uint32_t pc = rd32(c, sp + 2);
	uint32_t len = 6;
	if (c->model != CPU_68000) {
		unsigned fmt = rd16(c, sp + 6) >> 12;
		len = frame_length(c, fmt);
		if (!len) {
			exception(c, VEC_FORMAT, c->insn_pc);
			return;
		}
		if (fmt == 1 && (sr & SR_M)) {
			uint32_t msp = c->msp;
			uint32_t sr2 = rd16(c, msp);
			uint32_t pc2 = rd32(c, msp + 2);
			uint32_t len2 = frame_length(c, rd16(c, msp + 6) >> 12);
			if (!len2 || (rd16(c, msp + 6) >> 12) == 1) {
				exception(c, VEC_FORMAT, c->insn_pc);
				return;
			}
			undo_areg(c, 7, 0);
			c->a[7] = sp + len;
			c->msp = msp + len2;
			cpu_set_sr(c, (uint16_t)(sr2 & sr_valid_mask(c)));
			jump(c, pc2, c->insn_pc + 2);
			return;
		}
	}
	undo_areg(c, 7, 0);
	c->a[7] = sp + len;
	cpu_set_sr(c, (uint16_t)(sr & sr_valid_mask(c)));
	jump(c, pc, c->insn_pc + 2);
}

void op_trap(struct cpu *c, uint16_t op)
{
	exception(c, VEC_TRAP + (op & 15), c->pc);
}

void op_trapv(struct cpu *c, uint16_t op)
{
	if (c->sr & SR_V) {
		if (c->model >= CPU_68020)
			exception_addr(c, VEC_TRAPV, c->pc, c->insn_pc);
		else
			exception(c, VEC_TRAPV, c->pc);
	}
}

void op_illegal(struct cpu *c, uint16_t op)
{
	exception(c, VEC_ILLEGAL, c->insn_pc);
}

void op_line_a(struct cpu *c, uint16_t op)
{
	if (c->aline_hook &&
	    gread32(c->mem, c->addr_mask, c->vbr + VEC_LINE_A * 4) == c->aline_dispatcher &&
	    c->aline_hook(c, op, c->aline_ctx))
		return;
	exception(c, VEC_LINE_A, c->insn_pc);
}

void op_line_f(struct cpu *c, uint16_t op)
{
	exception(c, VEC_LINE_F, c->insn_pc);
}

void op_nop(struct cpu *c, uint16_t op) {}

/* The 68000's RESET only asserts the reset line for the devices. */
void op_reset(struct cpu *c, uint16_t op)
{
	if (priv_check(c))
		return;
	if (c->reset_hook)
		c->reset_hook(c, c->reset_ctx);
}

void op_stop(struct cpu *c, uint16_t op)
{
	if (priv_check(c))
		return;
	uint32_t sr = fetch16(c);
	cpu_set_sr(c, (uint16_t)(sr & sr_valid_mask(c)));
	c->stopped = 1;
}
