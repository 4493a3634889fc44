/* guest/exceptions.c: exception processing with each model's stack frames:
 * the 68000's 3-word and 7-word group 0 frames, and the 68010+ format words
 * ($0 normal, $2 with address, $8 010 bus error, $B 020/030 long bus cycle
 * fault, $7 040 access error). The vector is read first and the frame is
 * written as one access before any register changes, so a fault while
 * stacking leaves the instruction restartable (and cannot overwrite what
 * the instruction read, such as the return address an RTS popped). */
#include "config.h"
#include <string.h>
#include "guest/cpu_internal.h"

/* The stack pointer exception processing pushes onto (the SSP). */
static uint32_t super_sp(const struct cpu *c)
{
	if (c->sr & SR_S)
		return c->a[7];
	return (c->sr & SR_M) && c->model >= CPU_68020 ? c->msp : c->ssp;
}

static void put16(uint8_t *f, unsigned off, uint32_t v)
{
	f[off] = (uint8_t)(v >> 8);
	f[off + 1] = (uint8_t)v;
}
static void put32(uint8_t *f, unsigned off, uint32_t v)
{
	put16(f, off, v >> 16);
	put16(f, off + 2, v);
}

/* Reads the vector, stacks the frame, then enters supervisor state at the
 * handler with trace cleared. */
static void take(struct cpu *c, unsigned vec, uint32_t sp, const uint8_t *frame, unsigned n,
		 uint32_t fault_pc)
{
	gaddr va = c->vbr + vec * 4;
	if (c->odd_check && (sp & 1)) /* the 68000 faults on its first stack write */
		cpu_address_error_pc(c, sp + (n >= 14 ? 12 : 4), AE_WRITE, fault_pc);
	uint32_t handler = rd32(c, va);
	gwrite_block(c->mem, c->addr_mask, sp, frame, n);
	if (va - sp < n || va + 3 - sp < n)
		handler = rd32(c, va); /* the frame overwrote the vector */
	if (!(c->sr & SR_S)) {
		c->usp = c->a[7];
		c->sr |= SR_S;
	}
	c->a[7] = sp;
	c->sr &= (uint16_t) ~(SR_T1 | SR_T0);
	c->pc = handler;
	c->stopped = 0;
}

/* Pushes a format $0/$2 frame (68010+) or the 68000's 3-word frame. */
static void push_frame(struct cpu *c, unsigned vec, uint32_t pc, int fmt2, uint32_t addr)
{
	uint8_t f[12];
	uint32_t sp = super_sp(c);
	unsigned n;
	if (c->model == CPU_68000) {
		n = 6;
	} else if (fmt2 && c->model >= CPU_68020) {
		n = 12;
		put16(f, 6, 0x2000 | vec * 4);
		put32(f, 8, addr);
	} else {
		n = 8;
		put16(f, 6, vec * 4);
	}
	put16(f, 0, c->sr);
	put32(f, 2, pc);
	take(c, vec, sp - n, f, n, c->insn_pc + 2);
}

void exception(struct cpu *c, unsigned vec, uint32_t pc)
{
	push_frame(c, vec, pc, 0, 0);
}

/* An interrupt: the frame goes on the active supervisor stack; on the
 * 020+ with M set, that is the master stack, and a format $1 throwaway
 * frame (SR with M still set) goes on the interrupt stack, where the
 * handler runs with M clear. Both frames are written before anything
 * changes. */
void exception_interrupt(struct cpu *c, unsigned vec, unsigned level)
{
	uint16_t sr = c->sr;
	if (!(c->model >= CPU_68020 && (sr & SR_M))) {
		push_frame(c, vec, c->pc, 0, 0);
		c->sr = (uint16_t)((c->sr & ~SR_IPL) | level << 8);
		return;
	}
	uint16_t nsr = (uint16_t)(((sr | SR_S) & ~(SR_T1 | SR_T0 | SR_IPL)) | level << 8);
	uint32_t msp = super_sp(c) - 8, isp = c->ssp - 8;
	uint8_t f0[8], f1[8];
	put16(f0, 0, sr);
	put32(f0, 2, c->pc);
	put16(f0, 6, vec * 4);
	put16(f1, 0, nsr);
	put32(f1, 2, c->pc);
	put16(f1, 6, 0x1000 | vec * 4);
	uint32_t handler = rd32(c, c->vbr + vec * 4);
	gwrite_block(c->mem, c->addr_mask, msp, f0, 8);
	gwrite_block(c->mem, c->addr_mask, isp, f1, 8);
	if (!(sr & SR_S))
		c->usp = c->a[7];
	c->msp = msp;
	c->a[7] = isp;
	c->sr = (uint16_t)(nsr & ~SR_M);
	c->pc = handler;
	c->stopped = 0;
}

void exception_addr(struct cpu *c, unsigned vec, uint32_t pc, uint32_t addr)
{
	push_frame(c, vec, pc, 1, addr);
}

/* Address error. On the 68000/010 ae_* were filled in by cpu_address_error
 * and the instruction's class-specific fix-ups (data or instruction odd
 * address); the 020 and later only take one for an odd instruction address
 * (a jump to it), stacked like the data sheets say: format $B on the
 * 020/030, format $2 with the address on the 040. */
void exception_group0(struct cpu *c)
{
	uint8_t f[92];
	uint32_t sp = super_sp(c);
	memset(f, 0, sizeof f);
	switch (c->model) {
	case CPU_68000:
		put16(f, 0, c->ae_status);
		put32(f, 2, c->ae_addr);
		put16(f, 6, c->ir);
		put16(f, 8, c->sr);
		put32(f, 10, c->ae_pc);
		take(c, VEC_ADDRESS_ERROR, sp - 14, f, 14, c->ae_pc);
		break;
	case CPU_68010:
		/* format $8: 29 words; the internal words are left zero */
		put16(f, 0, c->sr);
		put32(f, 2, c->ae_pc);
		put16(f, 6, 0x8000 | VEC_ADDRESS_ERROR * 4);
		put16(f, 8, (uint16_t)(((c->ae_status & 0x10) ? 0x0100 : 0) | (c->ae_status & 7)));
		put32(f, 10, c->ae_addr);
		put16(f, 14, c->ir);
		take(c, VEC_ADDRESS_ERROR, sp - 58, f, 58, c->ae_pc);
		break;
	case CPU_68020:
	case CPU_68030:
		/* format $B: SSW says stage B faulted (FB, RB) in program space;
		 * the stage B address is the odd one */
		put16(f, 0, c->sr);
		put32(f, 2, c->ae_pc);
		put16(f, 6, 0xB000 | VEC_ADDRESS_ERROR * 4);
		put16(f, 0x0A, (uint16_t)(0x3000 | (c->ae_status & 7)));
		put32(f, 0x24, c->ae_addr);
		take(c, VEC_ADDRESS_ERROR, sp - 92, f, 92, c->ae_pc);
		break;
	default:
		put16(f, 0, c->sr);
		put32(f, 2, c->ae_pc);
		put16(f, 6, 0x2000 | VEC_ADDRESS_ERROR * 4);
		put32(f, 8, c->ae_addr);
		take(c, VEC_ADDRESS_ERROR, sp - 12, f, 12, c->ae_pc);
		break;
	}
}

/* A fault from the pager. The instruction has been rolled back, so every
 * frame carries the instruction's own address: returning from the handler
 * re-executes the whole instruction (our frames never ask RTE to finish a
 * half-done bus cycle). */
void exception_fault(struct cpu *c)
{
	uint8_t f[92];
	uint32_t sp = super_sp(c);
	int write = c->fault.write, fetch = c->fault_fetch;
	unsigned fc = (c->sr & SR_S ? 4u : 0u) | (fetch ? 2u : 1u);
	gaddr addr = c->fault.addr;
	unsigned n;
	memset(f, 0, sizeof f);
	switch (c->model) {
	case CPU_68000:
		/* status word: R/W, I/N (0: instruction), function code */
		n = 14;
		put16(f, 0,
		      (uint16_t)((c->ir & 0xFFE0) | (write ? 0 : 0x10) | (fetch ? 0 : 0x08) | fc));
		put32(f, 2, addr);
		put16(f, 6, c->ir);
		put16(f, 8, c->sr);
		put32(f, 10, c->insn_pc);
		break;
	case CPU_68010:
		/* format $8; SSW: IF (instruction fetch) or DF (data), RW, FC */
		n = 58;
		put16(f, 0, c->sr);
		put32(f, 2, c->insn_pc);
		put16(f, 6, 0x8000 | VEC_BUS_ERROR * 4);
		put16(f, 8, (uint16_t)((fetch ? 0x2000 : 0x1000) | (write ? 0 : 0x0100) | fc));
		put32(f, 10, addr);
		put16(f, 14, c->ir);
		break;
	case CPU_68020:
	case CPU_68030:
		/* format $B; SSW: FB/RB (stage B, instruction) or DF (data), RW, FC;
		 * the address in the stage B or the data cycle field */
		n = 92;
		put16(f, 0, c->sr);
		put32(f, 2, c->insn_pc);
		put16(f, 6, 0xB000 | VEC_BUS_ERROR * 4);
		put16(f, 0x0A, (uint16_t)((fetch ? 0x5000 : 0x0100) | (write ? 0 : 0x40) | fc));
		put32(f, fetch ? 0x24 : 0x10, addr);
		break;
	default:
		/* 68040 format $7; SSW: RW, TM (1/5 data, 2/6 code) */
		n = 60;
		put16(f, 0, c->sr);
		put32(f, 2, c->insn_pc);
		put16(f, 6, 0x7000 | VEC_BUS_ERROR * 4);
		put32(f, 0x08, addr); /* effective address */
		put16(f, 0x0C, (uint16_t)((write ? 0 : 0x100) | fc));
		put32(f, 0x14, addr); /* fault address */
		break;
	}
	take(c, VEC_BUS_ERROR, sp - n, f, n, c->insn_pc);
}
