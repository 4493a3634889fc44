/* guest/ops_move.c: data movement: MOVE/MOVEA/MOVEQ, MOVEM, MOVEP, LEA, PEA,
 * EXG, SWAP, EXT, LINK/UNLK and the SR/CCR/USP moves. */
#include "config.h"
#include "guest/cpu_internal.h"
#include "guest/ops.h"

static unsigned move_size(uint16_t op)
{
	unsigned s = (op >> 12) & 3;
	return s == 1 ? 1 : s == 3 ? 2 : 4;
}

/* A MOVE whose write takes a 68000 address error: the chip has already done
 * part of its work, and which part depends on the modes (MAME's microcode,
 * as the single-step suite records it). */
static _Noreturn void move_write_fault(struct cpu *c, uint16_t op, unsigned sz, struct ea *ed,
				       uint32_t v)
{
	unsigned smode = (op >> 3) & 7, dmode = (op >> 6) & 7, dreg = (op >> 9) & 7;
	int src_mem = smode >= 2 && !(smode == 7 && (op & 7) == 4);
	uint32_t pc = c->pc + (uint32_t)ed->adj_w;
	gaddr fault = ed->v;
	if (dmode == 7 && dreg == 1 && src_mem)
		pc -= 2;
	if (sz == 2) {
		flags_logic(c, v, 2);
		if (dmode == 4)
			c->ir = (uint16_t)gread16(c->mem, c->addr_mask,
						  c->pc); /* next word already in IR */
	} else {
		int simple = dmode == 2 || dmode == 3;
		if (src_mem && (simple || (dmode == 7 && dreg == 1)))
			flags_logic(c, v & 0xFFFF,
				    2); /* only the low word has been through the ALU */
		else if (!src_mem && (dmode == 5 || dmode == 6)) {
			unsigned f = c->sr & (SR_X | SR_V | SR_C);
			if (!v)
				f |= SR_Z;
			if (v & 0x80000000)
				f |= SR_N;
			set_ccr(c, f);
		} else if (!(!src_mem && simple))
			flags_logic(c, v, 4);
		if (dmode == 4) { /* the low word is written first, before An changes */
			c->a[dreg] += 4;
			fault = c->a[dreg] - 2;
		}
	}
	cpu_address_error_pc(c, fault, AE_WRITE, pc);
}

/* MOVE's body, inlined with constant modes into the specialised handlers
 * below (the decoder picks one per opcode word) and with run-time modes
 * into the generic one: one implementation either way. */
static inline __attribute__((always_inline)) void move_core(struct cpu *c, uint16_t op, unsigned sz,
							    unsigned smode, unsigned dmode)
{
	struct ea es, ed;
	ea_get(c, smode, op & 7, sz, &es);
	uint32_t v = ea_read(c, &es, sz);
	ea_get(c, dmode, (op >> 9) & 7, sz, &ed);
	if (__builtin_expect(ed.kind == EA_MEM && (ed.v & c->odd_check) && sz > 1, 0))
		move_write_fault(c, op, sz, &ed, v);
	ea_write(c, &ed, sz, v);
	flags_logic(c, v, sz);
}

void op_move(struct cpu *c, uint16_t op)
{
	move_core(c, op, move_size(op), (op >> 3) & 7, (op >> 6) & 7);
}

#define MOVE_FN(SZ, S, D)                                                                          \
	static void op_move_##SZ##_##S##_##D(struct cpu *c, uint16_t op)                           \
	{                                                                                          \
		move_core(c, op, SZ, S, D);                                                        \
	}
#define MOVE_DST(SZ, S)                                                                            \
	MOVE_FN(SZ, S, 0)                                                                          \
	MOVE_FN(SZ, S, 2) MOVE_FN(SZ, S, 3) MOVE_FN(SZ, S, 4) MOVE_FN(SZ, S, 5) MOVE_FN(SZ, S, 6)
#define MOVE_SRC(SZ)                                                                               \
	MOVE_DST(SZ, 0)                                                                            \
	MOVE_DST(SZ, 1)                                                                            \
	MOVE_DST(SZ, 2) MOVE_DST(SZ, 3) MOVE_DST(SZ, 4) MOVE_DST(SZ, 5) MOVE_DST(SZ, 6)
MOVE_SRC(1)
MOVE_SRC(2)
MOVE_SRC(4)
#define MOVE_ROW(SZ, S)                                                                            \
	{                                                                                          \
		op_move_##SZ##_##S##_0, NULL, op_move_##SZ##_##S##_2, op_move_##SZ##_##S##_3,      \
		    op_move_##SZ##_##S##_4, op_move_##SZ##_##S##_5, op_move_##SZ##_##S##_6, NULL   \
	}
#define MOVE_SIZE(SZ)                                                                              \
	{                                                                                          \
		MOVE_ROW(SZ, 0), MOVE_ROW(SZ, 1), MOVE_ROW(SZ, 2), MOVE_ROW(SZ, 3),                \
		    MOVE_ROW(SZ, 4), MOVE_ROW(SZ, 5), MOVE_ROW(SZ, 6),                             \
		{                                                                                  \
			NULL                                                                       \
		}                                                                                  \
	}
static const op_fn move_variants[3][8][8] = {MOVE_SIZE(1), MOVE_SIZE(2), MOVE_SIZE(4)};

/* The specialised MOVE for this word (modes 0-6 both sides), or NULL. */
op_fn move_special(uint16_t op)
{
	unsigned sz = move_size(op);
	return move_variants[sz == 1 ? 0 : sz == 2 ? 1 : 2][(op >> 3) & 7][(op >> 6) & 7];
}

void op_movea(struct cpu *c, uint16_t op)
{
	unsigned sz = move_size(op);
	struct ea es;
	ea_get(c, (op >> 3) & 7, op & 7, sz, &es);
	c->a[(op >> 9) & 7] = (uint32_t)sext(ea_read(c, &es, sz), sz);
}

void op_moveq(struct cpu *c, uint16_t op)
{
	uint32_t v = (uint32_t)(int8_t)op;
	c->d[(op >> 9) & 7] = v;
	flags_logic(c, v, 4);
}

/* MOVEM: every transfer is done (into a scratch array for loads) before any
 * register changes, so an abort part-way leaves nothing half-loaded. */
void op_movem_to_mem(struct cpu *c, uint16_t op)
{
	unsigned sz = (op & 0x40) ? 4 : 2, mode = (op >> 3) & 7, reg = op & 7;
	uint32_t mask = fetch16(c);
	c->ae_adj = 2;
	if (mode == 4) {
		/* -(An): registers A7..D0 to descending addresses; the 68000/010
		 * store An's original value, the 020+ An minus the operand size */
		uint32_t a = c->a[reg];
		uint32_t final = a;
		if ((a & c->odd_check) &&
		    mask) /* the first write is a word at An-2 (a long's low word goes first) */
			cpu_address_error(c, a - 2, AE_WRITE);
		for (int i = 0; i < 16; i++)
			if (mask & (1u << i))
				final -= sz;
		for (int i = 0; i < 16; i++) {
			if (!(mask & (1u << i)))
				continue;
			unsigned r = 15 - (unsigned)i;
			uint32_t v = r < 8 ? c->d[r] : c->a[r - 8];
			if (r == 8 + reg && c->model >= CPU_68020)
				v = c->a[reg] - sz; /* the 020+ store An less one operand size */
			a -= sz;
			if (sz == 4)
				wr32(c, a, v);
			else
				wr16(c, a, v);
		}
		c->a[reg] = final;
		return;
	}
	uint32_t a = ea_addr(c, mode, reg);
	for (unsigned r = 0; r < 16; r++) {
		if (!(mask & (1u << r)))
			continue;
		uint32_t v = r < 8 ? c->d[r] : c->a[r - 8];
		if (sz == 4)
			wr32(c, a, v);
		else
			wr16(c, a, v);
		a += sz;
	}
}

void op_movem_to_reg(struct cpu *c, uint16_t op)
{
	unsigned sz = (op & 0x40) ? 4 : 2, mode = (op >> 3) & 7, reg = op & 7;
	uint32_t mask = fetch16(c);
	c->ae_adj = 2;
	uint32_t a = mode == 3 ? c->a[reg] : ea_addr(c, mode, reg);
	if ((a & c->odd_check) && mask) /* PC-relative lists are read from program space */
		cpu_address_error(c, a, mode == 7 && (reg == 2 || reg == 3) ? AE_PROGRAM : 0);
	uint32_t val[16];
	for (unsigned r = 0; r < 16; r++) {
		if (!(mask & (1u << r)))
			continue;
		val[r] = sz == 4 ? rd32(c, a) : (uint32_t)(int16_t)rd16(c, a);
		a += sz;
	}
	if (c->model == CPU_68000 || c->model == CPU_68010)
		(void)rd16(c, a); /* the extra read cycle */
	for (unsigned r = 0; r < 16; r++) {
		if (!(mask & (1u << r)))
			continue;
		if (r < 8)
			c->d[r] = val[r];
		else
			c->a[r - 8] = val[r];
	}
	if (mode == 3)
		c->a[reg] = a;
}

/* MOVEP: bytes to every other address, high byte first */
void op_movep(struct cpu *c, uint16_t op)
{
	unsigned dn = (op >> 9) & 7, an = op & 7, opm = (op >> 6) & 3;
	uint32_t a = c->a[an] + (uint32_t)(int16_t)fetch16(c);
	unsigned n = (opm & 1) ? 4 : 2;
	if (opm & 2) {
		uint32_t v = c->d[dn];
		for (unsigned i = 0; i < n; i++)
			wr8(c, a + 2 * i, v >> (8 * (n - 1 - i)));
	} else {
		uint32_t v = 0;
		for (unsigned i = 0; i < n; i++)
			v = v << 8 | rd8(c, a + 2 * i);
		if (n == 4)
			c->d[dn] = v;
		else
			dreg_write(c, dn, 2, v);
	}
}

void op_lea(struct cpu *c, uint16_t op)
{
	uint32_t a = ea_addr(c, (op >> 3) & 7, op & 7);
	c->a[(op >> 9) & 7] = a;
}

void op_pea(struct cpu *c, uint16_t op)
{
	uint32_t a = ea_addr(c, (op >> 3) & 7, op & 7);
	uint32_t sp = c->a[7] - 4;
	wr32(c, sp, a);
	c->a[7] = sp;
}

void op_exg(struct cpu *c, uint16_t op)
{
	unsigned rx = (op >> 9) & 7, ry = op & 7, mode = (op >> 3) & 0x1F;
	uint32_t *x = mode == 0x09 ? &c->a[rx] : &c->d[rx];
	uint32_t *y = mode == 0x08 ? &c->d[ry] : &c->a[ry];
	uint32_t t = *x;
	*x = *y;
	*y = t;
}

void op_swap(struct cpu *c, uint16_t op)
{
	uint32_t v = c->d[op & 7];
	v = v << 16 | v >> 16;
	c->d[op & 7] = v;
	flags_logic(c, v, 4);
}

void op_ext(struct cpu *c, uint16_t op)
{
	unsigned r = op & 7, opm = (op >> 6) & 7;
	if (opm == 2) {
		uint32_t v = (uint32_t)(int8_t)c->d[r];
		dreg_write(c, r, 2, v);
		flags_logic(c, v, 2);
	} else {
		uint32_t v = opm == 3 ? (uint32_t)(int16_t)c->d[r] : (uint32_t)(int8_t)c->d[r];
		c->d[r] = v;
		flags_logic(c, v, 4);
	}
}

void op_link(struct cpu *c, uint16_t op)
{
	unsigned r = op & 7;
	int32_t disp = (int16_t)fetch16(c);
	uint32_t sp = c->a[7] - 4;
	/* LINK A7 pushes A7's value from before the decrement (as MAME's 68000) */
	wr32(c, sp, c->a[r]);
	c->a[r] = sp;
	c->a[7] = sp + (uint32_t)disp;
}
void op_link_l(struct cpu *c, uint16_t op)
{
	unsigned r = op & 7;
	uint32_t disp = fetch32(c);
	uint32_t sp = c->a[7] - 4;
	wr32(c, sp, c->a[r]);
	c->a[r] = sp;
	c->a[7] = sp + disp;
}

void op_unlk(struct cpu *c, uint16_t op)
{
	unsigned r = op & 7;
	c->ae_adj = 2;
	uint32_t v = rd32(c, c->a[r]);
	c->a[7] = c->a[r] + 4;
	c->a[r] = v;
}

void op_move_usp(struct cpu *c, uint16_t op)
{
	if (priv_check(c))
		return;
	if (op & 8)
		c->a[op & 7] = c->usp;
	else
		c->usp = c->a[op & 7];
}

void op_move_from_sr(struct cpu *c, uint16_t op)
{
	if (c->model != CPU_68000 && priv_check(c))
		return;
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, 2, &e);
	if (e.kind == EA_MEM && c->model == CPU_68000)
		(void)ea_read(c, &e, 2);
	ea_write(c, &e, 2, c->sr);
}
void op_move_from_ccr(struct cpu *c, uint16_t op)
{
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, 2, &e);
	ea_write(c, &e, 2, c->sr & 0xFF);
}
void op_move_to_ccr(struct cpu *c, uint16_t op)
{
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, 2, &e);
	set_ccr(c, ea_read(c, &e, 2));
}
void op_move_to_sr(struct cpu *c, uint16_t op)
{
	if (priv_check(c))
		return;
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, 2, &e);
	cpu_set_sr(c, (uint16_t)(ea_read(c, &e, 2) & sr_valid_mask(c)));
}
