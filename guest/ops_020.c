/* guest/ops_020.c: the 68010-68040 additions: MOVEC/MOVES/BKPT (010), and on
 * the 020+ bit fields, CAS/CAS2, CHK2/CMP2, CHK.L, 32/64-bit MUL and DIV,
 * PACK/UNPK, TRAPcc, and the 040's MOVE16. As everywhere, every memory
 * access happens before registers or flags are committed. */
#include "config.h"
#include <stddef.h>
#include "guest/cpu_internal.h"
#include "guest/ops.h"

/* ---- 68010 ---- */

/* MOVEC: returns a pointer to the control register for this model, or NULL
 * (illegal instruction). USP is handled by the caller. */
static uint32_t *control_reg(struct cpu *c, unsigned code)
{
	enum cpu_model m = c->model;
	switch (code) {
	case 0x000:
		return &c->sfc;
	case 0x001:
		return &c->dfc;
	case 0x801:
		return &c->vbr;
	case 0x002:
		return m >= CPU_68020 ? &c->cacr : NULL;
	case 0x802:
		return m == CPU_68020 || m == CPU_68030 ? &c->caar : NULL;
	default:
		/* 68040 MMU registers: kept so system software can save and
		 * restore them, but they translate nothing (the pager is the MMU) */
		if (m == CPU_68040 && code >= 0x003 && code <= 0x007)
			return &c->mmu[code - 0x003];
		if (m == CPU_68040 && code >= 0x805 && code <= 0x807)
			return &c->mmu[code - 0x805 + 5];
		return NULL;
	}
}

void op_movec(struct cpu *c, uint16_t op)
{
	if (priv_check(c))
		return;
	uint32_t ext = fetch16(c);
	unsigned code = ext & 0xFFF, rn = (ext >> 12) & 15;
	uint32_t *reg = rn < 8 ? &c->d[rn] : &c->a[rn - 8];
	int to_ctl = op & 1;
	if (code == 0x800) { /* USP */
		if (to_ctl)
			c->usp = *reg;
		else
			*reg = c->usp;
		return;
	}
	if ((code == 0x803 || code == 0x804) && c->model >= CPU_68020) { /* MSP, ISP */
		if (to_ctl) {
			if (code == 0x803)
				cpu_set_msp(c, *reg);
			else
				cpu_set_ssp(c, *reg);
		} else {
			*reg = code == 0x803 ? cpu_msp(c) : cpu_ssp(c);
		}
		return;
	}
	uint32_t *cr = control_reg(c, code);
	if (!cr) {
		exception(c, VEC_ILLEGAL, c->insn_pc);
		return;
	}
	if (to_ctl) {
		uint32_t v = *reg;
		if (code == 0x000 || code == 0x001)
			v &= 7;
		if (code == 0x002)
			v &= c->model == CPU_68040   ? 0x80008000
			     : c->model == CPU_68030 ? 0x3F13
						     : 0x0F;
		*cr = v;
	} else {
		*reg = *cr;
	}
}

/* MOVES: vm68k has one address space (the pager is the MMU), so SFC/DFC
 * select nothing; the transfer is an ordinary one. */
void op_moves(struct cpu *c, uint16_t op)
{
	if (priv_check(c))
		return;
	uint32_t ext = fetch16(c);
	unsigned sz = size67(op), rn = (ext >> 12) & 15;
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, sz, &e);
	if (ext & 0x800) {
		uint32_t v = rn < 8 ? c->d[rn] : c->a[rn - 8];
		ea_write(c, &e, sz, v);
	} else {
		uint32_t v = ea_read(c, &e, sz);
		if (rn < 8)
			dreg_write(c, rn, sz, v);
		else
			c->a[rn - 8] = (uint32_t)sext(v, sz);
	}
}

/* BKPT: no breakpoint hardware acknowledges, so the CPU takes an illegal
 * instruction exception. */
void op_bkpt(struct cpu *c, uint16_t op)
{
	exception(c, VEC_ILLEGAL, c->insn_pc);
}

/* ---- 68020: CHK.L, CHK2/CMP2, TRAPcc ---- */

void op_chk_l(struct cpu *c, uint16_t op)
{
	unsigned rn = (op >> 9) & 7;
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, 4, &e);
	int32_t bound = (int32_t)ea_read(c, &e, 4), v = (int32_t)c->d[rn];
	unsigned f = c->sr & SR_X;
	if (v < 0) {
		set_ccr(c, f | SR_N);
		exception_addr(c, VEC_CHK, c->pc, c->insn_pc);
	} else if (v > bound) {
		set_ccr(c, f);
		exception_addr(c, VEC_CHK, c->pc, c->insn_pc);
	} else
		set_ccr(c, f);
}

void op_chk2(struct cpu *c, uint16_t op)
{
	uint32_t ext = fetch16(c);
	unsigned szb = (op >> 9) & 3, sz = szb == 0 ? 1 : szb == 1 ? 2 : 4, rn = (ext >> 12) & 15;
	uint32_t a = ea_addr(c, (op >> 3) & 7, op & 7);
	uint32_t lo, hi;
	if (sz == 1) {
		lo = rd8(c, a);
		hi = rd8(c, a + 1);
	} else if (sz == 2) {
		lo = rd16(c, a);
		hi = rd16(c, a + 2);
	} else {
		lo = rd32(c, a);
		hi = rd32(c, a + 4);
	}
	uint32_t v, m;
	if (rn >= 8) { /* address register: bounds sign-extended, 32-bit compare */
		lo = (uint32_t)sext(lo, sz);
		hi = (uint32_t)sext(hi, sz);
		v = c->a[rn - 8];
		m = 0xFFFFFFFF;
	} else {
		v = c->d[rn] & sz_mask(sz);
		m = sz_mask(sz);
	}
	/* in bounds iff (v - lo) <= (hi - lo), modulo the size: right for both
	 * signed and unsigned bound pairs */
	unsigned f = c->sr & SR_X;
	if (v == lo || v == hi)
		f |= SR_Z;
	if (((v - lo) & m) > ((hi - lo) & m))
		f |= SR_C;
	set_ccr(c, f);
	if ((ext & 0x800) && (f & SR_C))
		exception_addr(c, VEC_CHK, c->pc, c->insn_pc);
}

void op_trapcc(struct cpu *c, uint16_t op)
{
	unsigned mode = op & 7;
	if (mode == 2)
		(void)fetch16(c);
	else if (mode == 3)
		(void)fetch32(c);
	if (cond_true(c, (op >> 8) & 15))
		exception_addr(c, VEC_TRAPV, c->pc, c->insn_pc);
}

/* ---- CAS, CAS2 ---- */

void op_cas(struct cpu *c, uint16_t op)
{
	unsigned szb = (op >> 9) & 3, sz = szb == 1 ? 1 : szb == 2 ? 2 : 4;
	uint32_t ext = fetch16(c);
	unsigned dc = ext & 7, du = (ext >> 6) & 7;
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, sz, &e);
	uint32_t v = ea_read(c, &e, sz);
	uint16_t sr = c->sr;
	alu_sub(c, c->d[dc], v, sz, 0, 0);
	uint16_t nsr = (uint16_t)((c->sr & ~SR_X) | (sr & SR_X));
	c->sr = sr;
	if (nsr & SR_Z)
		ea_write(c, &e, sz, c->d[du]);
	else
		dreg_write(c, dc, sz, v);
	c->sr = nsr;
}

void op_cas2(struct cpu *c, uint16_t op)
{
	unsigned sz = (op & 0x200) ? 4 : 2;
	uint32_t e1 = fetch16(c), e2 = fetch16(c);
	unsigned r1 = (e1 >> 12) & 15, r2 = (e2 >> 12) & 15;
	uint32_t a1 = r1 < 8 ? c->d[r1] : c->a[r1 - 8], a2 = r2 < 8 ? c->d[r2] : c->a[r2 - 8];
	unsigned dc1 = e1 & 7, du1 = (e1 >> 6) & 7, dc2 = e2 & 7, du2 = (e2 >> 6) & 7;
	uint32_t v1 = sz == 4 ? rd32(c, a1) : rd16(c, a1);
	uint32_t v2 = sz == 4 ? rd32(c, a2) : rd16(c, a2);
	uint16_t sr = c->sr;
	alu_sub(c, c->d[dc1], v1, sz, 0, 0);
	if (c->sr & SR_Z)
		alu_sub(c, c->d[dc2], v2, sz, 0, 0);
	uint16_t nsr = (uint16_t)((c->sr & ~SR_X) | (sr & SR_X));
	c->sr = sr;
	if (nsr & SR_Z) {
		/* both stores or neither: write the values back first, so a fault
		 * on either location comes before anything has changed */
		if (sz == 4) {
			wr32(c, a1, v1);
			wr32(c, a2, v2);
			gwrite32_proven(c->mem, c->addr_mask, a1, c->d[du1]);
			gwrite32_proven(c->mem, c->addr_mask, a2, c->d[du2]);
		} else {
			wr16(c, a1, v1);
			wr16(c, a2, v2);
			gwrite16_proven(c->mem, c->addr_mask, a1, c->d[du1]);
			gwrite16_proven(c->mem, c->addr_mask, a2, c->d[du2]);
		}
	} else {
		dreg_write(c, dc1, sz, v1);
		dreg_write(c, dc2, sz, v2);
	}
	c->sr = nsr;
}

/* ---- 32/64-bit multiply and divide ---- */

void op_mul_l(struct cpu *c, uint16_t op)
{
	uint32_t ext = fetch16(c);
	unsigned dl = (ext >> 12) & 7, dh = ext & 7;
	int is_signed = ext & 0x800, quad = ext & 0x400;
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, 4, &e);
	uint32_t s = ea_read(c, &e, 4);
	uint64_t r;
	unsigned f = c->sr & SR_X;
	if (is_signed) {
		int64_t p = (int64_t)(int32_t)s * (int32_t)c->d[dl];
		r = (uint64_t)p;
		if (!quad && p != (int32_t)p)
			f |= SR_V;
	} else {
		r = (uint64_t)s * c->d[dl];
		if (!quad && (r >> 32))
			f |= SR_V;
	}
	if (quad) {
		if (!r)
			f |= SR_Z;
		if (r >> 63)
			f |= SR_N;
		c->d[dh] = (uint32_t)(r >> 32);
		c->d[dl] = (uint32_t)r;
	} else {
		if (!(uint32_t)r)
			f |= SR_Z;
		if ((uint32_t)r & 0x80000000)
			f |= SR_N;
		c->d[dl] = (uint32_t)r;
	}
	set_ccr(c, f);
}

void op_div_l(struct cpu *c, uint16_t op)
{
	uint32_t ext = fetch16(c);
	unsigned dq = (ext >> 12) & 7, dr = ext & 7;
	int is_signed = ext & 0x800, quad = ext & 0x400;
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, 4, &e);
	uint32_t s = ea_read(c, &e, 4);
	unsigned x = c->sr & SR_X;
	if (!s) {
		set_ccr(c, x);
		exception_addr(c, VEC_ZERO_DIVIDE, c->pc, c->insn_pc);
		return;
	}
	uint32_t q, r;
	if (is_signed) {
		int64_t n = quad ? (int64_t)((uint64_t)c->d[dr] << 32 | c->d[dq])
				 : (int64_t)(int32_t)c->d[dq];
		int64_t d = (int32_t)s;
		if (n == INT64_MIN && d == -1) {
			set_ccr(c, x | SR_V);
			return;
		}
		int64_t qq = n / d, rr = n % d;
		if (qq != (int32_t)qq) {
			set_ccr(c, x | SR_V);
			return;
		}
		q = (uint32_t)qq;
		r = (uint32_t)rr;
	} else {
		uint64_t n = quad ? ((uint64_t)c->d[dr] << 32 | c->d[dq]) : c->d[dq];
		uint64_t qq = n / s;
		if (qq >> 32) {
			set_ccr(c, x | SR_V);
			return;
		}
		q = (uint32_t)qq;
		r = (uint32_t)(n % s);
	}
	if (dr != dq)
		c->d[dr] = r;
	c->d[dq] = q;
	flags_logic(c, q, 4);
}

/* ---- PACK / UNPK ---- */

void op_pack(struct cpu *c, uint16_t op)
{
	unsigned rx = op & 7, ry = (op >> 9) & 7;
	uint32_t adj = fetch16(c);
	if (op & 8) {
		struct ea s1, s2, d;
		ea_get(c, 4, rx, 1, &s1);
		uint32_t lo = ea_read(c, &s1, 1);
		ea_get(c, 4, rx, 1, &s2);
		uint32_t hi = ea_read(c, &s2, 1);
		uint32_t v = ((hi << 8 | lo) + adj) & 0xFFFF;
		ea_get(c, 4, ry, 1, &d);
		ea_write(c, &d, 1, ((v >> 4) & 0xF0) | (v & 0x0F));
	} else {
		uint32_t v = (c->d[rx] + adj) & 0xFFFF;
		dreg_write(c, ry, 1, ((v >> 4) & 0xF0) | (v & 0x0F));
	}
}

void op_unpk(struct cpu *c, uint16_t op)
{
	unsigned rx = op & 7, ry = (op >> 9) & 7;
	uint32_t adj = fetch16(c);
	if (op & 8) {
		struct ea s, d1, d2;
		ea_get(c, 4, rx, 1, &s);
		uint32_t b = ea_read(c, &s, 1);
		uint32_t v = ((((b & 0xF0) << 4) | (b & 0x0F)) + adj) & 0xFFFF;
		ea_get(c, 4, ry, 1, &d1);
		ea_get(c, 4, ry, 1, &d2);
		/* both bytes land together (restartable), low byte at the higher address */
		uint8_t buf[2] = {(uint8_t)(v >> 8), (uint8_t)v};
		gwrite_block(c->mem, c->addr_mask, d2.v, buf, 2);
	} else {
		uint32_t b = c->d[rx] & 0xFF;
		dreg_write(c, ry, 2, (((b & 0xF0) << 4) | (b & 0x0F)) + adj);
	}
}

/* ---- bit fields ---- */

enum { BF_TST, BF_EXTU, BF_CHG, BF_EXTS, BF_CLR, BF_FFO, BF_SET, BF_INS };

void op_bitfield(struct cpu *c, uint16_t op)
{
	unsigned kind = (op >> 8) & 7, mode = (op >> 3) & 7, reg = op & 7;
	uint32_t ext = fetch16(c);
	int32_t offset = (ext & 0x800) ? (int32_t)c->d[(ext >> 6) & 7] : (int32_t)((ext >> 6) & 31);
	unsigned width = (ext & 0x20) ? (c->d[ext & 7] & 31) : (ext & 31);
	if (!width)
		width = 32;
	unsigned rn = (ext >> 12) & 7;
	uint64_t wmask = width == 32 ? 0xFFFFFFFFull : ((1ull << width) - 1);
	uint32_t field, newfield = 0,
			insert = c->d[rn]; /* read before the field's register is written */
	int write = kind == BF_CHG || kind == BF_CLR || kind == BF_SET || kind == BF_INS;

	if (mode == 0) {
		/* in a register the offset is taken modulo 32, BFFFO's result too */
		offset &= 31;
		unsigned off = (unsigned)offset;
		uint32_t d = c->d[reg];
		uint32_t rot = off ? (d << off | d >> (32 - off)) : d; /* field now at the top */
		field = (uint32_t)((rot >> (32 - width)) & wmask);
		if (write) {
			switch (kind) {
			case BF_CHG:
				newfield = ~field;
				break;
			case BF_CLR:
				newfield = 0;
				break;
			case BF_SET:
				newfield = 0xFFFFFFFF;
				break;
			default:
				newfield = insert;
				break;
			}
			uint32_t fm = (uint32_t)(wmask << (32 - width)),
				 fv = (uint32_t)(((uint64_t)newfield & wmask) << (32 - width));
			rot = (rot & ~fm) | fv;
			c->d[reg] = off ? (rot >> off | rot << (32 - off)) : rot;
		}
	} else {
		uint32_t base = ea_addr(c, mode, reg);
		uint32_t a = base + (uint32_t)(offset >> 3);
		unsigned bo = (unsigned)offset & 7, nbytes = (bo + width + 7) / 8;
		uint8_t buf[5];
		uint64_t v = 0;
		for (unsigned i = 0; i < nbytes; i++)
			v = v << 8 | (buf[i] = (uint8_t)rd8(c, a + i));
		unsigned shift = nbytes * 8 - bo - width;
		field = (uint32_t)((v >> shift) & wmask);
		if (write) {
			switch (kind) {
			case BF_CHG:
				newfield = ~field;
				break;
			case BF_CLR:
				newfield = 0;
				break;
			case BF_SET:
				newfield = 0xFFFFFFFF;
				break;
			default:
				newfield = insert;
				break;
			}
			v = (v & ~(wmask << shift)) | (((uint64_t)newfield & wmask) << shift);
			for (unsigned i = 0; i < nbytes; i++)
				buf[i] = (uint8_t)(v >> (8 * (nbytes - 1 - i)));
			gwrite_block(c->mem, c->addr_mask, a, buf, nbytes); /* all bytes or none */
		}
	}
	/* flags come from the field as it was (BFINS: as inserted) */
	uint32_t ff = kind == BF_INS ? (uint32_t)(insert & wmask) : field;
	unsigned f = c->sr & SR_X;
	if (!ff)
		f |= SR_Z;
	if ((ff >> (width - 1)) & 1)
		f |= SR_N;
	set_ccr(c, f);
	switch (kind) {
	case BF_EXTU:
		c->d[rn] = field;
		break;
	case BF_EXTS:
		c->d[rn] = width == 32
			       ? field
			       : (uint32_t)((int32_t)(field << (32 - width)) >> (32 - width));
		break;
	case BF_FFO: {
		unsigned i = 0;
		while (i < width && !((field >> (width - 1 - i)) & 1))
			i++;
		c->d[rn] = (uint32_t)offset + i;
		break;
	}
	default:
		break;
	}
}

/* ---- 68040 cache control ---- */

/* CINV/CPUSH: vm68k has no caches to keep coherent (and predecoded code
 * will be invalidated by writes, not by these), so they only check
 * privilege. */
void op_cache(struct cpu *c, uint16_t op)
{
	priv_check(c);
}

/* ---- 68040 MOVE16: 16-byte line transfers ---- */

void op_move16(struct cpu *c, uint16_t op)
{
	uint32_t src, dst;
	unsigned ry = op & 7;
	uint8_t line[16];
	if ((op & 0xFFF8) == 0xF620) { /* (Ax)+,(Ay)+ */
		unsigned ax = ry, ay = (fetch16(c) >> 12) & 7;
		src = c->a[ax] & ~15u;
		dst = c->a[ay] & ~15u;
		for (unsigned i = 0; i < 16; i++)
			line[i] = (uint8_t)rd8(c, src + i);
		gwrite_block(c->mem, c->addr_mask, dst, line, 16);
		c->a[ax] += 16;
		if (ay != ax)
			c->a[ay] += 16;
		return;
	}
	uint32_t abs = fetch32(c);
	unsigned opm = (op >> 3) & 3;
	if (opm & 1) {
		src = abs;
		dst = c->a[ry];
	} else {
		src = c->a[ry];
		dst = abs;
	}
	src &= ~15u;
	dst &= ~15u;
	for (unsigned i = 0; i < 16; i++)
		line[i] = (uint8_t)rd8(c, src + i);
	gwrite_block(c->mem, c->addr_mask, dst, line, 16);
	if (!(opm & 2))
		c->a[ry] += 16; /* modes 0 and 1 post-increment Ay */
}
