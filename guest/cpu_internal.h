/* guest/cpu_internal.h: what the interpreter's files share and nobody else
 * sees: the instruction description table's shape, operand access with the
 * 68000's odd-address check, the undo log, flag helpers and exceptions. */
#ifndef VM68K_GUEST_CPU_INTERNAL_H
#define VM68K_GUEST_CPU_INTERNAL_H

#include <stdint.h>
#include "guest/guest.h"
#include "guest/mem.h"

typedef void (*op_fn)(struct cpu *c, uint16_t op);

/* Model bits for the description table. */
enum {
	M_000 = 1 << CPU_68000,
	M_010 = 1 << CPU_68010,
	M_020 = 1 << CPU_68020,
	M_030 = 1 << CPU_68030,
	M_040 = 1 << CPU_68040,
	M_ALL = 0x1F,
	M_010UP = 0x1E,
	M_020UP = 0x1C,
};

/* Operand sizes in the table: fixed, or taken from opcode bits. */
enum {
	SZ_NONE,
	SZ_B,
	SZ_W,
	SZ_L,
	SZ_67 /* bits 7-6: 00 b 01 w 10 l */,
	SZ_MOVE /* bits 13-12 */,
	SZ_8 /* bit 8: 0 w 1 l */,
	SZ_6 /* bit 6: 0 w 1 l */,
	SZ_910 /* bits 10-9: 00 b 01 w 10 l */
};

/* Forms the decoded-instruction cache (guest/dcache.c) can give a
 * specialised handler: a row names its class, the predecoder picks the
 * handler from the class and the word's operands (or leaves the word to
 * the row's fn). */
enum fast_class {
	FC_NONE,
	FC_MOVE,
	FC_MOVEA,
	FC_MOVEQ,
	FC_LEA,
	FC_ADD,
	FC_SUB,
	FC_CMP,
	FC_AND,
	FC_OR,
	FC_TST,
	FC_ADDA,
	FC_SUBA,
	FC_CMPA,
	FC_ADDQ,
	FC_SUBQ,
	FC_ADDI,
	FC_SUBI,
	FC_CMPI,
	FC_ANDI,
	FC_ORI,
	FC_EORI,
	FC_CLR,
	FC_BCC,
	FC_BSR,
	FC_DBCC,
	FC_JSR,
	FC_JMP,
	FC_RTS,
	FC_NOP,
};

/* One row of the instruction description table. pattern is 16 characters,
 * bit 15 first: '0'/'1' fixed, 'E' the 6-bit mode/register field in bits 5-0,
 * 'e' MOVE's destination field in bits 11-6 (register first), 'S' a size
 * field (see size), anything else a variable operand bit. syntax is the
 * operand template for the disassembler (see guest/insn_table.c). */
struct insn_desc {
	const char *mnemonic;
	const char *pattern;
	uint8_t size;
	uint16_t src_modes; /* allowed modes for 'E' */
	uint16_t dst_modes; /* allowed modes for 'e' */
	uint8_t models;
	const char *syntax;
	op_fn fn;
	/* optional: a handler specialised for this word (same semantics,
	 * constant operands), or NULL to use fn */
	op_fn (*special)(uint16_t op);
	/* optional: the decoded-instruction cache's class for this row
	 * (enum fast_class), FC_NONE for none */
	uint8_t fast;
};
extern const struct insn_desc insn_table[];
extern const unsigned insn_table_len;
/* Decoded handler per opcode word for the current model; built by cpu_init. */
extern op_fn op_table[5][65536];
void insn_table_build(void);
void insn_table_build_model(enum cpu_model model);
/* The row an opcode word decodes to on model, or NULL. */
const struct insn_desc *insn_row(enum cpu_model model, uint16_t op);

/* ---- aborts ---- */
enum { ABORT_NONE, ABORT_ADDRESS, ABORT_FAULT };
/* flags for cpu_address_error */
enum { AE_WRITE = 1, AE_PROGRAM = 2 /* program space (PC-relative or fetch) */ };
_Noreturn void cpu_address_error(struct cpu *c, gaddr a, unsigned flags);
/* The same with the PC the chip stacks given outright. */
_Noreturn void cpu_address_error_pc(struct cpu *c, gaddr a, unsigned flags, uint32_t pc);

/* ---- memory through the window, with the 68000/010 odd-address check ---- */
static inline int fc_data(const struct cpu *c)
{
	return (c->sr & SR_S) ? 5 : 1;
}

static inline uint32_t rd8(struct cpu *c, gaddr a)
{
	return gread8(c->mem, c->addr_mask, a);
}
static inline uint32_t rd16(struct cpu *c, gaddr a)
{
	if (__builtin_expect(a & c->odd_check, 0))
		cpu_address_error(c, a, 0);
	return gread16(c->mem, c->addr_mask, a);
}
static inline uint32_t rd32(struct cpu *c, gaddr a)
{
	if (__builtin_expect(a & c->odd_check, 0))
		cpu_address_error(c, a, 0);
	return gread32(c->mem, c->addr_mask, a);
}
static inline void wr8(struct cpu *c, gaddr a, uint32_t v)
{
	gwrite8(c->mem, c->addr_mask, a, v);
}
static inline void wr16(struct cpu *c, gaddr a, uint32_t v)
{
	if (__builtin_expect(a & c->odd_check, 0))
		cpu_address_error(c, a, AE_WRITE);
	gwrite16(c->mem, c->addr_mask, a, v);
}
static inline void wr32(struct cpu *c, gaddr a, uint32_t v)
{
	if (__builtin_expect(a & c->odd_check, 0))
		cpu_address_error(c, a, AE_WRITE);
	gwrite32(c->mem, c->addr_mask, a, v);
}
static inline uint32_t fetch16(struct cpu *c)
{
	if (__builtin_expect(c->pc & 1, 0))
		cpu_address_error(c, c->pc, AE_PROGRAM);
	uint32_t v = gread16(c->mem, c->addr_mask, c->pc);
	c->pc += 2;
	return v;
}
static inline uint32_t fetch32(struct cpu *c)
{
	uint32_t hi = fetch16(c);
	return hi << 16 | fetch16(c);
}

/* ---- undo log: address registers changed before the instruction's last
 * memory access; replayed backwards on an abort ---- */
static inline void undo_areg(struct cpu *c, unsigned r, int post)
{
	c->undo[c->nundo].reg = (uint8_t)r;
	c->undo[c->nundo].post = (uint8_t)post;
	c->undo[c->nundo].old = c->a[r];
	c->nundo++;
}

/* ---- sizes and flags ---- */
static inline uint32_t sz_mask(unsigned sz)
{
	return sz == 1 ? 0xFF : sz == 2 ? 0xFFFF : 0xFFFFFFFF;
}
static inline uint32_t sz_msb(unsigned sz)
{
	return sz == 1 ? 0x80 : sz == 2 ? 0x8000 : 0x80000000;
}
static inline int32_t sext(uint32_t v, unsigned sz)
{
	return sz == 1 ? (int8_t)v : sz == 2 ? (int16_t)v : (int32_t)v;
}
static inline unsigned size67(uint16_t op)
{
	return 1u << ((op >> 6) & 3);
}
static inline void set_ccr(struct cpu *c, unsigned ccr)
{
	c->sr = (uint16_t)((c->sr & 0xFF00) | (ccr & 0x1F));
}
/* N and Z from a result; V and C cleared; X kept. */
static inline void flags_logic(struct cpu *c, uint32_t r, unsigned sz)
{
	unsigned f = c->sr & SR_X;
	r &= sz_mask(sz);
	if (!r)
		f |= SR_Z;
	if (r & sz_msb(sz))
		f |= SR_N;
	c->sr = (uint16_t)((c->sr & 0xFFE0) | f);
}
/* Condition cc (bits 11-8 of Bcc, DBcc, Scc, TRAPcc) on the flags f. */
static inline int cond_flags(unsigned f, unsigned cc)
{
	int n = !!(f & SR_N), z = !!(f & SR_Z), v = !!(f & SR_V), cy = !!(f & SR_C);
	switch (cc & 15) {
	case 0:
		return 1;
	case 1:
		return 0;
	case 2:
		return !cy && !z;
	case 3:
		return cy || z;
	case 4:
		return !cy;
	case 5:
		return cy;
	case 6:
		return !z;
	case 7:
		return z;
	case 8:
		return !v;
	case 9:
		return v;
	case 10:
		return !n;
	case 11:
		return n;
	case 12:
		return n == v;
	case 13:
		return n != v;
	case 14:
		return !z && n == v;
	default:
		return z || n != v;
	}
}
static inline int cond_true(const struct cpu *c, unsigned cc)
{
	return cond_flags(c->sr, cc);
}

/* ---- effective addresses ---- */
enum { EA_DREG, EA_AREG, EA_MEM, EA_IMM };
/* adj_r/adj_w: where the 68000's prefetch stands, relative to our PC at the
 * access, when a read/write of this operand takes an address error (the
 * stacked PC; see exception_group0). prog: PC-relative (program space). */
struct ea {
	uint8_t kind, reg, prog;
	int8_t adj_r, adj_w;
	uint32_t v;
};

uint32_t ea_index(struct cpu *c, uint32_t base);

/* Decodes mode/reg (consuming extension words; (An)+ and -(An) update An
 * through the undo log). */
static inline void ea_get(struct cpu *c, unsigned mode, unsigned reg, unsigned sz, struct ea *e)
{
	e->reg = (uint8_t)reg;
	e->prog = 0;
	e->adj_r = 0;
	e->adj_w = 0;
	switch (mode) {
	case 0:
		e->kind = EA_DREG;
		return;
	case 1:
		e->kind = EA_AREG;
		return;
	case 2:
		e->kind = EA_MEM;
		e->v = c->a[reg];
		e->adj_w = 2;
		return;
	case 3:
		e->kind = EA_MEM;
		e->v = c->a[reg];
		e->adj_w = 2;
		undo_areg(c, reg, 1);
		c->a[reg] += (sz == 1 && reg == 7) ? 2 : sz;
		return;
	case 4:
		e->kind = EA_MEM;
		e->adj_r = sz == 4 ? 0 : 2;
		e->adj_w = 2;
		undo_areg(c, reg, 0);
		c->a[reg] -= (sz == 1 && reg == 7) ? 2 : sz;
		e->v = c->a[reg];
		return;
	case 5:
		e->kind = EA_MEM;
		e->adj_r = -2;
		e->v = c->a[reg] + (uint32_t)(int16_t)fetch16(c);
		return;
	case 6:
		e->kind = EA_MEM;
		e->adj_r = -2;
		e->v = ea_index(c, c->a[reg]);
		return;
	default:
		e->kind = EA_MEM;
		switch (reg) {
		case 0:
			e->v = (uint32_t)(int16_t)fetch16(c);
			return;
		case 1:
			e->v = fetch32(c);
			return;
		case 2: {
			uint32_t b = c->pc;
			e->prog = 1;
			e->adj_r = -2;
			e->v = b + (uint32_t)(int16_t)fetch16(c);
			return;
		}
		case 3:
			e->prog = 1;
			e->adj_r = -2;
			e->v = ea_index(c, c->pc);
			return;
		default:
			e->kind = EA_IMM;
			e->v = sz == 4 ? fetch32(c) : sz == 2 ? fetch16(c) : (fetch16(c) & 0xFF);
			return;
		}
	}
}
static inline uint32_t ea_read(struct cpu *c, const struct ea *e, unsigned sz)
{
	switch (e->kind) {
	case EA_DREG:
		return c->d[e->reg] & sz_mask(sz);
	case EA_AREG:
		return c->a[e->reg] & sz_mask(sz);
	case EA_IMM:
		return e->v;
	default:
		if (sz == 1)
			return rd8(c, e->v);
		if (__builtin_expect(e->v & c->odd_check, 0)) {
			c->ae_adj = e->adj_r;
			cpu_address_error(c, e->v, e->prog ? AE_PROGRAM : 0);
		}
		return sz == 2 ? rd16(c, e->v) : rd32(c, e->v);
	}
}
static inline void ea_write(struct cpu *c, const struct ea *e, unsigned sz, uint32_t v)
{
	switch (e->kind) {
	case EA_DREG:
		c->d[e->reg] = (c->d[e->reg] & ~sz_mask(sz)) | (v & sz_mask(sz));
		return;
	case EA_AREG:
		c->a[e->reg] = v;
		return;
	default:
		if (sz == 1) {
			wr8(c, e->v, v);
			return;
		}
		if (__builtin_expect(e->v & c->odd_check, 0)) {
			c->ae_adj = e->adj_w;
			cpu_address_error(c, e->v, AE_WRITE);
		}
		if (sz == 2)
			wr16(c, e->v, v);
		else
			wr32(c, e->v, v);
	}
}
/* Address of a control-mode EA (LEA, PEA, JMP, JSR, MOVEM). */
static inline uint32_t ea_addr(struct cpu *c, unsigned mode, unsigned reg)
{
	struct ea e;
	e.v = 0; /* register modes never reach here: the table allows control modes only */
	ea_get(c, mode, reg, 4, &e);
	return e.v;
}
static inline void dreg_write(struct cpu *c, unsigned r, unsigned sz, uint32_t v)
{
	c->d[r] = (c->d[r] & ~sz_mask(sz)) | (v & sz_mask(sz));
}

/* ---- exceptions (guest/exceptions.c) ---- */
enum {
	VEC_BUS_ERROR = 2,
	VEC_ADDRESS_ERROR = 3,
	VEC_ILLEGAL = 4,
	VEC_ZERO_DIVIDE = 5,
	VEC_CHK = 6,
	VEC_TRAPV = 7,
	VEC_PRIVILEGE = 8,
	VEC_TRACE = 9,
	VEC_LINE_A = 10,
	VEC_LINE_F = 11,
	VEC_FORMAT = 14,
	VEC_SPURIOUS = 24,
	VEC_AUTOVECTOR = 24,
	VEC_TRAP = 32,
};
/* Takes a group 1/2 exception (format $0 frame on 68010+, $2 with addr for
 * some on 020+); pc is the PC to stack. */
void exception(struct cpu *c, unsigned vec, uint32_t pc);
/* Format $2 frame (68020+ CHK, TRAPcc, TRAPV, trace, zero divide). */
void exception_addr(struct cpu *c, unsigned vec, uint32_t pc, uint32_t addr);
void exception_group0(struct cpu *c);
void exception_interrupt(struct cpu *c, unsigned vec, unsigned level);
void exception_fault(struct cpu *c);
static inline int is_super(const struct cpu *c)
{
	return (c->sr & SR_S) != 0;
}
/* Privileged instruction in user mode: privilege violation, returns 1. */
static inline int priv_check(struct cpu *c)
{
	if (c->sr & SR_S)
		return 0;
	exception(c, VEC_PRIVILEGE, c->insn_pc);
	return 1;
}
void op_illegal(struct cpu *c, uint16_t op);

/* ---- the decoded-instruction cache's run loop (guest/threaded.c) ---- */
/* Whether the next instructions may run in cpu_fast_run: nothing for the
 * plain loop to do at the boundary (no trace, no deliverable interrupt, no
 * posted event, not stopped or halted). */
static inline int cpu_fast_eligible(const struct cpu *c)
{
	if (c->halted | c->stopped | c->trace_pending | c->events | c->stop_request |
	    c->plain_dispatch | (c->sr & (SR_T1 | SR_T0)))
		return 0;
	int lvl = c->irq_level;
	if (lvl && (lvl > ((c->sr >> 8) & 7) || lvl == 7))
		return 0;
	return !c->nmi_latched || lvl == 7;
}
/* Runs decoded instructions from c->pc; returns how many (0: run the next
 * one in the plain loop). */
uint64_t cpu_fast_run(struct cpu *c);
/* From the abort path, when c->in_fast: fills in what the plain loop would
 * have left in c (IR, insn_sr, fault_fetch) and leaves the fast state. */
void cpu_fast_abort(struct cpu *c);

#endif
