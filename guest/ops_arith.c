/* guest/ops_arith.c: integer arithmetic: ADD/SUB/CMP in all their forms,
 * NEG/NEGX/CLR/TST, multiply, divide and CHK. Each handler does every
 * memory access before it commits flags or registers (restartability). */
#include "config.h"
#include "guest/cpu_internal.h"
#include "guest/ops.h"

uint32_t alu_add(struct cpu *c, uint32_t s, uint32_t d, unsigned sz, unsigned x, int addx)
{
	uint32_t m = sz_mask(sz), msb = sz_msb(sz);
	s &= m;
	d &= m;
	uint64_t wide = (uint64_t)s + d + x;
	uint32_t r = (uint32_t)wide & m;
	unsigned f = 0;
	if (wide > m)
		f |= SR_C | SR_X;
	if ((s ^ r) & (d ^ r) & msb)
		f |= SR_V;
	if (r & msb)
		f |= SR_N;
	if (addx) {
		if (!r)
			f |= c->sr & SR_Z;
	} else if (!r)
		f |= SR_Z;
	set_ccr(c, f);
	return r;
}

uint32_t alu_sub(struct cpu *c, uint32_t s, uint32_t d, unsigned sz, unsigned x, int subx)
{
	uint32_t m = sz_mask(sz), msb = sz_msb(sz);
	s &= m;
	d &= m;
	uint32_t r = (d - s - x) & m;
	unsigned f = 0;
	if ((uint64_t)s + x > d)
		f |= SR_C | SR_X;
	if ((s ^ d) & (r ^ d) & msb)
		f |= SR_V;
	if (r & msb)
		f |= SR_N;
	if (subx) {
		if (!r)
			f |= c->sr & SR_Z;
	} else if (!r)
		f |= SR_Z;
	set_ccr(c, f);
	return r;
}

static void alu_cmp(struct cpu *c, uint32_t s, uint32_t d, unsigned sz)
{
	unsigned x = c->sr & SR_X;
	alu_sub(c, s, d, sz, 0, 0);
	c->sr = (uint16_t)((c->sr & ~SR_X) | x);
}

/* <ea>,Dn forms */
#define EA_TO_DN(name, body)                                                                       \
	void name(struct cpu *c, uint16_t op)                                                      \
	{                                                                                          \
		unsigned sz = size67(op), rn = (op >> 9) & 7;                                      \
		struct ea e;                                                                       \
		ea_get(c, (op >> 3) & 7, op & 7, sz, &e);                                          \
		uint32_t s = ea_read(c, &e, sz), d = c->d[rn] & sz_mask(sz);                       \
		body                                                                               \
	}
EA_TO_DN(op_add_ea_dn, dreg_write(c, rn, sz, alu_add(c, s, d, sz, 0, 0));)
EA_TO_DN(op_sub_ea_dn, dreg_write(c, rn, sz, alu_sub(c, s, d, sz, 0, 0));)
EA_TO_DN(op_cmp, alu_cmp(c, s, d, sz);)

/* Dn,<ea> read-modify-write forms */
#define DN_TO_EA(name, fn)                                                                         \
	void name(struct cpu *c, uint16_t op)                                                      \
	{                                                                                          \
		unsigned sz = size67(op), rn = (op >> 9) & 7;                                      \
		struct ea e;                                                                       \
		ea_get(c, (op >> 3) & 7, op & 7, sz, &e);                                          \
		uint32_t d = ea_read(c, &e, sz);                                                   \
		uint16_t sr = c->sr;                                                               \
		uint32_t r = fn(c, c->d[rn], d, sz, 0, 0);                                         \
		uint16_t nsr = c->sr;                                                              \
		c->sr = sr;                                                                        \
		ea_write(c, &e, sz, r);                                                            \
		c->sr = nsr;                                                                       \
	}
DN_TO_EA(op_add_dn_ea, alu_add)
DN_TO_EA(op_sub_dn_ea, alu_sub)

/* ADDA/SUBA/CMPA: word sources are sign-extended; flags untouched except CMPA */
void op_adda(struct cpu *c, uint16_t op)
{
	unsigned sz = (op & 0x100) ? 4 : 2, rn = (op >> 9) & 7;
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, sz, &e);
	uint32_t s = (uint32_t)sext(ea_read(c, &e, sz), sz);
	c->a[rn] += s;
}
void op_suba(struct cpu *c, uint16_t op)
{
	unsigned sz = (op & 0x100) ? 4 : 2, rn = (op >> 9) & 7;
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, sz, &e);
	uint32_t s = (uint32_t)sext(ea_read(c, &e, sz), sz);
	c->a[rn] -= s;
}
void op_cmpa(struct cpu *c, uint16_t op)
{
	unsigned sz = (op & 0x100) ? 4 : 2, rn = (op >> 9) & 7;
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, sz, &e);
	uint32_t s = (uint32_t)sext(ea_read(c, &e, sz), sz);
	alu_cmp(c, s, c->a[rn], 4);
}

/* ADDQ/SUBQ: to An the whole register changes and flags do not */
static void quick(struct cpu *c, uint16_t op, int sub)
{
	unsigned sz = size67(op), q = (op >> 9) & 7;
	if (!q)
		q = 8;
	if (((op >> 3) & 7) == 1) {
		unsigned r = op & 7;
		c->a[r] = sub ? c->a[r] - q : c->a[r] + q;
		return;
	}
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, sz, &e);
	uint32_t d = ea_read(c, &e, sz);
	uint16_t sr = c->sr;
	uint32_t r = sub ? alu_sub(c, q, d, sz, 0, 0) : alu_add(c, q, d, sz, 0, 0);
	uint16_t nsr = c->sr;
	c->sr = sr;
	ea_write(c, &e, sz, r);
	c->sr = nsr;
}
void op_addq(struct cpu *c, uint16_t op)
{
	quick(c, op, 0);
}
void op_subq(struct cpu *c, uint16_t op)
{
	quick(c, op, 1);
}

/* ADDI/SUBI/CMPI #imm,<ea> */
static void immediate(struct cpu *c, uint16_t op, int kind)
{
	unsigned sz = size67(op);
	uint32_t imm = sz == 4 ? fetch32(c) : sz == 2 ? fetch16(c) : (fetch16(c) & 0xFF);
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, sz, &e);
	uint32_t d = ea_read(c, &e, sz);
	if (kind == 2) {
		alu_cmp(c, imm, d, sz);
		return;
	}
	uint16_t sr = c->sr;
	uint32_t r = kind ? alu_sub(c, imm, d, sz, 0, 0) : alu_add(c, imm, d, sz, 0, 0);
	uint16_t nsr = c->sr;
	c->sr = sr;
	ea_write(c, &e, sz, r);
	c->sr = nsr;
}
void op_addi(struct cpu *c, uint16_t op)
{
	immediate(c, op, 0);
}
void op_subi(struct cpu *c, uint16_t op)
{
	immediate(c, op, 1);
}
void op_cmpi(struct cpu *c, uint16_t op)
{
	immediate(c, op, 2);
}

/* ADDX/SUBX Dy,Dx and -(Ay),-(Ax) */
static void extended(struct cpu *c, uint16_t op, int sub)
{
	unsigned sz = size67(op), rx = (op >> 9) & 7, ry = op & 7, x = !!(c->sr & SR_X);
	if (op & 8) {
		struct ea es, ed;
		if (sz == 4 && c->odd_check) {
			/* the 68000 reads the low word first, before updating An */
			if (c->a[ry] & 1)
				cpu_address_error_pc(c, c->a[ry] - 2, 0, c->insn_pc + 4);
			if (c->a[rx] & 1) {
				undo_areg(c, ry, 0);
				c->a[ry] -= 4;
				cpu_address_error_pc(c, c->a[rx] - 2, 0, c->insn_pc + 4);
			}
		}
		ea_get(c, 4, ry, sz, &es);
		uint32_t s = ea_read(c, &es, sz);
		ea_get(c, 4, rx, sz, &ed);
		uint32_t d = ea_read(c, &ed, sz);
		uint16_t sr = c->sr;
		uint32_t r = sub ? alu_sub(c, s, d, sz, x, 1) : alu_add(c, s, d, sz, x, 1);
		uint16_t nsr = c->sr;
		c->sr = sr;
		ea_write(c, &ed, sz, r);
		c->sr = nsr;
	} else {
		uint32_t s = c->d[ry], d = c->d[rx];
		dreg_write(c, rx, sz,
			   sub ? alu_sub(c, s, d, sz, x, 1) : alu_add(c, s, d, sz, x, 1));
	}
}
void op_addx(struct cpu *c, uint16_t op)
{
	extended(c, op, 0);
}
void op_subx(struct cpu *c, uint16_t op)
{
	extended(c, op, 1);
}

void op_cmpm(struct cpu *c, uint16_t op)
{
	unsigned sz = size67(op), rx = (op >> 9) & 7, ry = op & 7;
	if (c->odd_check && sz > 1) {
		/* 68000: a faulting source has gone up by one word; a faulting
		 * destination has not been incremented */
		if (c->a[ry] & 1) {
			gaddr f = c->a[ry];
			undo_areg(c, ry, 0);
			c->a[ry] += 2;
			cpu_address_error_pc(c, f, 0, c->insn_pc + 4);
		}
		gaddr da = rx == ry ? c->a[ry] + sz : c->a[rx];
		if (da & 1) {
			undo_areg(c, ry, 0);
			c->a[ry] += sz;
			cpu_address_error_pc(c, da, 0, c->insn_pc + 4);
		}
	}
	struct ea es, ed;
	ea_get(c, 3, op & 7, sz, &es);
	es.adj_r = 2;
	uint32_t s = ea_read(c, &es, sz);
	ea_get(c, 3, (op >> 9) & 7, sz, &ed);
	ed.adj_r = 2;
	uint32_t d = ea_read(c, &ed, sz);
	alu_cmp(c, s, d, sz);
}

/* NEG, NEGX, CLR, NOT, TST */
void op_neg(struct cpu *c, uint16_t op)
{
	unsigned sz = size67(op);
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, sz, &e);
	uint32_t d = ea_read(c, &e, sz);
	uint16_t sr = c->sr;
	uint32_t r = alu_sub(c, d, 0, sz, 0, 0);
	uint16_t nsr = c->sr;
	c->sr = sr;
	ea_write(c, &e, sz, r);
	c->sr = nsr;
}
void op_negx(struct cpu *c, uint16_t op)
{
	unsigned sz = size67(op);
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, sz, &e);
	uint32_t d = ea_read(c, &e, sz);
	uint16_t sr = c->sr;
	uint32_t r = alu_sub(c, d, 0, sz, !!(sr & SR_X), 1);
	uint16_t nsr = c->sr;
	c->sr = sr;
	ea_write(c, &e, sz, r);
	c->sr = nsr;
}
void op_clr(struct cpu *c, uint16_t op)
{
	unsigned sz = size67(op);
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, sz, &e);
	if (e.kind == EA_MEM && c->model == CPU_68000)
		(void)ea_read(c, &e, sz); /* the 68000 reads first */
	ea_write(c, &e, sz, 0);
	flags_logic(c, 0, sz);
}
void op_tst(struct cpu *c, uint16_t op)
{
	unsigned sz = size67(op);
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, sz, &e);
	flags_logic(c, ea_read(c, &e, sz), sz);
}

/* MULU/MULS.W */
void op_mulu(struct cpu *c, uint16_t op)
{
	unsigned rn = (op >> 9) & 7;
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, 2, &e);
	uint32_t r = ea_read(c, &e, 2) * (c->d[rn] & 0xFFFF);
	c->d[rn] = r;
	flags_logic(c, r, 4);
}
void op_muls(struct cpu *c, uint16_t op)
{
	unsigned rn = (op >> 9) & 7;
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, 2, &e);
	uint32_t r = (uint32_t)((int32_t)(int16_t)ea_read(c, &e, 2) * (int16_t)c->d[rn]);
	c->d[rn] = r;
	flags_logic(c, r, 4);
}

/* DIVU/DIVS.W: zero divide traps with the PC of the next instruction */
void op_divu(struct cpu *c, uint16_t op)
{
	unsigned rn = (op >> 9) & 7;
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, 2, &e);
	uint32_t s = ea_read(c, &e, 2), d = c->d[rn];
	if (!s) {
		set_ccr(c, c->sr & SR_X);
		exception_addr(c, VEC_ZERO_DIVIDE, c->pc, c->insn_pc);
		return;
	}
	uint32_t q = d / s, r = d % s;
	if (q > 0xFFFF) {
		set_ccr(c, (c->sr & SR_X) | SR_V | SR_N);
		return;
	}
	c->d[rn] = r << 16 | q;
	flags_logic(c, q, 2);
}
void op_divs(struct cpu *c, uint16_t op)
{
	unsigned rn = (op >> 9) & 7;
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, 2, &e);
	int32_t s = (int16_t)ea_read(c, &e, 2), d = (int32_t)c->d[rn];
	if (!s) {
		set_ccr(c, c->sr & SR_X);
		exception_addr(c, VEC_ZERO_DIVIDE, c->pc, c->insn_pc);
		return;
	}
	if (d == INT32_MIN && s == -1) {
		set_ccr(c, (c->sr & SR_X) | SR_V | SR_N);
		return;
	}
	int32_t q = d / s, r = d % s;
	if (q > 32767 || q < -32768) {
		set_ccr(c, (c->sr & SR_X) | SR_V | SR_N);
		return;
	}
	c->d[rn] = (uint32_t)(r & 0xFFFF) << 16 | (uint32_t)(q & 0xFFFF);
	flags_logic(c, (uint32_t)q, 2);
}

/* CHK.W <ea>,Dn */
void op_chk(struct cpu *c, uint16_t op)
{
	unsigned rn = (op >> 9) & 7;
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, 2, &e);
	int16_t bound = (int16_t)ea_read(c, &e, 2), v = (int16_t)c->d[rn];
	unsigned f = c->sr & SR_X;
	if (v < 0) {
		set_ccr(c, f | SR_N);
		exception_addr(c, VEC_CHK, c->pc, c->insn_pc);
	} else if (v > bound) {
		set_ccr(c, f);
		exception_addr(c, VEC_CHK, c->pc, c->insn_pc);
	} else {
		set_ccr(c, f);
	}
}
