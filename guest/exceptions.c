/* guest/exceptions.c: exception processing with each model's stack frames:
 * the 68000's 3-word and 7-word group 0 frames, and the 68010+ format words
 * ($0 normal, $2 with address, $8 010 bus error, $B 020/030 long bus cycle
 * fault, $7 040 access error). Every frame is written before any register
 * changes, so a fault while stacking leaves the instruction restartable. */
#include "config.h"
#include "guest/cpu_internal.h"

/* The stack pointer exception processing pushes onto (the SSP). */
static uint32_t super_sp(const struct cpu *c) { return (c->sr & SR_S) ? c->a[7] : c->ssp; }

/* Enter supervisor state with the new SSP and handler; clears trace. */
static void enter(struct cpu *c, uint32_t sp, uint32_t newpc)
{
	if (!(c->sr & SR_S)) {
		c->usp = c->a[7];
		c->sr |= SR_S;
	}
	c->a[7] = sp;
	c->sr &= (uint16_t)~(SR_T1 | SR_T0);
	c->pc = newpc;
	c->stopped = 0;
}

static uint32_t read_vector(struct cpu *c, unsigned vec)
{
	return rd32(c, c->vbr + vec * 4);
}

/* Pushes a format $0/$2 frame (68010+) or the 68000's 3-word frame. */
static void push_frame(struct cpu *c, unsigned vec, uint32_t pc, int fmt2, uint32_t addr)
{
	uint16_t sr = c->sr;
	uint32_t sp = super_sp(c);
	if (c->model == CPU_68000) {
		sp -= 6;
		/* the 68000 writes PC low, SR, then PC high */
		wr16(c, sp + 4, pc);
		wr16(c, sp, sr);
		wr16(c, sp + 2, pc >> 16);
	} else if (fmt2 && c->model >= CPU_68020) {
		sp -= 12;
		wr32(c, sp + 8, addr);
		wr16(c, sp + 6, 0x2000 | vec * 4);
		wr32(c, sp + 2, pc);
		wr16(c, sp, sr);
	} else {
		sp -= 8;
		wr16(c, sp + 6, vec * 4);
		wr32(c, sp + 2, pc);
		wr16(c, sp, sr);
	}
	uint32_t newpc = read_vector(c, vec);
	enter(c, sp, newpc);
}

void exception(struct cpu *c, unsigned vec, uint32_t pc)
{
	push_frame(c, vec, pc, 0, 0);
}

void exception_addr(struct cpu *c, unsigned vec, uint32_t pc, uint32_t addr)
{
	push_frame(c, vec, pc, 1, addr);
}

/* Address error (68000/010): the chip's group 0 frame; ae_* were filled in
 * by cpu_address_error and the instruction's class-specific fix-ups. */
void exception_group0(struct cpu *c)
{
	uint16_t sr = c->sr;
	uint32_t sp = super_sp(c);
	if (c->model == CPU_68000) {
		sp -= 14;
		wr16(c, sp + 12, c->ae_pc);
		wr16(c, sp + 8, sr);
		wr16(c, sp + 10, c->ae_pc >> 16);
		wr16(c, sp + 6, c->ir);
		wr16(c, sp + 4, c->ae_addr);
		wr16(c, sp, c->ae_status);
		wr16(c, sp + 2, c->ae_addr >> 16);
	} else {
		/* 68010 format $8: 29 words; the internal words are left zero */
		sp -= 58;
		for (unsigned i = 14; i < 58; i += 2) wr16(c, sp + i, 0);
		wr16(c, sp + 14, c->ir);        /* instruction input buffer */
		wr32(c, sp + 10, c->ae_addr);   /* fault address */
		wr16(c, sp + 8, (uint16_t)(((c->ae_status & 0x10) ? 0x0100 : 0) | (c->ae_status & 7)));
		wr16(c, sp + 6, 0x8000 | VEC_ADDRESS_ERROR * 4);
		wr32(c, sp + 2, c->ae_pc);
		wr16(c, sp, sr);
	}
	enter(c, sp, read_vector(c, VEC_ADDRESS_ERROR));
}

/* A fault from the pager. The instruction has been rolled back, so every
 * frame carries the instruction's own address: returning from the handler
 * re-executes the whole instruction (our frames never ask RTE to finish a
 * half-done bus cycle). */
void exception_fault(struct cpu *c)
{
	uint16_t sr = c->sr;
	uint32_t sp = super_sp(c);
	unsigned fc = (unsigned)fc_data(c);
	int write = c->fault.write;
	gaddr addr = c->fault.addr;
	switch (c->model) {
	case CPU_68000:
		sp -= 14;
		wr16(c, sp + 12, c->insn_pc);
		wr16(c, sp + 8, sr);
		wr16(c, sp + 10, c->insn_pc >> 16);
		wr16(c, sp + 6, c->ir);
		wr32(c, sp + 2, addr);
		wr16(c, sp, (uint16_t)((c->ir & 0xFFE0) | (write ? 0 : 0x10) | 0x08 | fc));
		break;
	case CPU_68010:
		sp -= 58;
		for (unsigned i = 14; i < 58; i += 2) wr16(c, sp + i, 0);
		wr16(c, sp + 14, c->ir);
		wr32(c, sp + 10, addr);
		wr16(c, sp + 8, (uint16_t)((write ? 0 : 0x0100) | fc));
		wr16(c, sp + 6, 0x8000 | VEC_BUS_ERROR * 4);
		wr32(c, sp + 2, c->insn_pc);
		wr16(c, sp, sr);
		break;
	case CPU_68020:
	case CPU_68030:
		/* format $B long bus cycle fault frame, 46 words */
		sp -= 92;
		for (unsigned i = 8; i < 92; i += 2) wr16(c, sp + i, 0);
		wr32(c, sp + 0x10, addr);                                    /* data cycle fault address */
		wr16(c, sp + 0x0A, (uint16_t)(0x0100 | (write ? 0 : 0x40) | fc)); /* SSW: DF, RW, FC */
		wr16(c, sp + 6, 0xB000 | VEC_BUS_ERROR * 4);
		wr32(c, sp + 2, c->insn_pc);
		wr16(c, sp, sr);
		break;
	default:
		/* 68040 format $7 access error frame, 30 words */
		sp -= 60;
		for (unsigned i = 8; i < 60; i += 2) wr16(c, sp + i, 0);
		wr32(c, sp + 0x14, addr);                                     /* fault address */
		wr16(c, sp + 0x0C, (uint16_t)((write ? 0 : 0x100) | fc));      /* SSW: RW, TM */
		wr32(c, sp + 0x08, addr);                                     /* effective address */
		wr16(c, sp + 6, 0x7000 | VEC_BUS_ERROR * 4);
		wr32(c, sp + 2, c->insn_pc);
		wr16(c, sp, sr);
		break;
	}
	enter(c, sp, read_vector(c, VEC_BUS_ERROR));
}
