/* guest/ops_shift.c: shifts and rotates (register and memory forms) and the
 * BCD instructions ABCD, SBCD, NBCD. */
#include "config.h"
#include "guest/cpu_internal.h"
#include "guest/ops.h"

enum { SH_AS, SH_LS, SH_ROX, SH_RO };

static uint32_t shift(struct cpu *c, unsigned type, int left, unsigned sz, uint32_t v, unsigned cnt)
{
	uint32_t m = sz_mask(sz), msb = sz_msb(sz);
	unsigned x = !!(c->sr & SR_X), cy = 0, vf = 0;
	v &= m;
	for (unsigned i = 0; i < cnt; i++) {
		if (left) {
			cy = !!(v & msb);
			uint32_t nv = (v << 1) & m;
			if (type == SH_ROX)
				nv |= x;
			else if (type == SH_RO)
				nv |= cy;
			if (type == SH_AS && ((nv ^ v) & msb))
				vf = 1;
			v = nv;
		} else {
			cy = v & 1;
			uint32_t top = type == SH_AS	? (v & msb)
				       : type == SH_ROX ? (x ? msb : 0)
				       : type == SH_RO	? (cy ? msb : 0)
							: 0;
			v = (v >> 1) | top;
		}
		if (type != SH_RO)
			x = cy;
	}
	unsigned f = 0;
	if (v & msb)
		f |= SR_N;
	if (!v)
		f |= SR_Z;
	if (vf)
		f |= SR_V;
	if (cnt == 0) {
		f |= c->sr & SR_X;
		if (type == SH_ROX && x)
			f |= SR_C;
	} else {
		if (cy)
			f |= SR_C;
		if (type == SH_RO)
			f |= c->sr & SR_X;
		else if (x)
			f |= SR_X;
	}
	set_ccr(c, f);
	return v;
}

void op_shift_reg(struct cpu *c, uint16_t op)
{
	unsigned sz = size67(op), r = op & 7, type = (op >> 3) & 3, cnt = (op >> 9) & 7;
	if (op & 0x20)
		cnt = c->d[cnt] & 63;
	else if (!cnt)
		cnt = 8;
	dreg_write(c, r, sz, shift(c, type, (op >> 8) & 1, sz, c->d[r], cnt));
}

void op_shift_mem(struct cpu *c, uint16_t op)
{
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, 2, &e);
	uint32_t v = ea_read(c, &e, 2);
	uint16_t sr = c->sr;
	uint32_t r = shift(c, (op >> 9) & 3, (op >> 8) & 1, 2, v, 1);
	uint16_t nsr = c->sr;
	c->sr = sr;
	ea_write(c, &e, 2, r);
	c->sr = nsr;
}

/* Decimal add/subtract of bytes with X; Z only ever cleared. N and V are
 * documented as undefined; these follow the 68000's adder. */
static uint32_t bcd_add(struct cpu *c, uint32_t s, uint32_t d)
{
	unsigned x = !!(c->sr & SR_X);
	unsigned bin = (d & 0xFF) + (s & 0xFF) + x;
	unsigned res = bin;
	if (((d & 15) + (s & 15) + x) > 9)
		res += 6;
	/* the decimal carry comes from the high digit after the low correction */
	unsigned cy = 0;
	if (res > 0x9F) {
		res += 0x60;
		cy = 1;
	}
	unsigned f = c->sr & SR_Z;
	if (res & 0xFF)
		f = 0;
	if (cy)
		f |= SR_C | SR_X;
	if (res & 0x80)
		f |= SR_N;
	if (~bin & res & 0x80)
		f |= SR_V;
	set_ccr(c, f);
	return res & 0xFF;
}
static uint32_t bcd_sub(struct cpu *c, uint32_t s, uint32_t d)
{
	int x = !!(c->sr & SR_X);
	int bin = (int)(d & 0xFF) - (int)(s & 0xFF) - x;
	int res = bin;
	if ((int)(d & 15) - (int)(s & 15) - x < 0)
		res -= 6;
	/* a borrow out of the low correction counts as a decimal borrow too */
	unsigned cy = bin < 0 || res < 0;
	if (bin < 0)
		res -= 0x60;
	unsigned r = (unsigned)res & 0xFF;
	unsigned f = c->sr & SR_Z;
	if (r)
		f = 0;
	if (cy)
		f |= SR_C | SR_X;
	if (r & 0x80)
		f |= SR_N;
	if ((unsigned)bin & ~(unsigned)res & 0x80)
		f |= SR_V;
	set_ccr(c, f);
	return r;
}

static void bcd(struct cpu *c, uint16_t op, int sub)
{
	unsigned rx = (op >> 9) & 7, ry = op & 7;
	if (op & 8) {
		struct ea es, ed;
		ea_get(c, 4, ry, 1, &es);
		uint32_t s = ea_read(c, &es, 1);
		ea_get(c, 4, rx, 1, &ed);
		uint32_t d = ea_read(c, &ed, 1);
		uint16_t sr = c->sr;
		uint32_t r = sub ? bcd_sub(c, s, d) : bcd_add(c, s, d);
		uint16_t nsr = c->sr;
		c->sr = sr;
		ea_write(c, &ed, 1, r);
		c->sr = nsr;
	} else {
		dreg_write(c, rx, 1,
			   sub ? bcd_sub(c, c->d[ry], c->d[rx]) : bcd_add(c, c->d[ry], c->d[rx]));
	}
}
void op_abcd(struct cpu *c, uint16_t op)
{
	bcd(c, op, 0);
}
void op_sbcd(struct cpu *c, uint16_t op)
{
	bcd(c, op, 1);
}

void op_nbcd(struct cpu *c, uint16_t op)
{
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, 1, &e);
	uint32_t d = ea_read(c, &e, 1);
	uint16_t sr = c->sr;
	uint32_t r = bcd_sub(c, d, 0);
	uint16_t nsr = c->sr;
	c->sr = sr;
	ea_write(c, &e, 1, r);
	c->sr = nsr;
}
