/* guest/ops_logic.c: AND/OR/EOR/NOT and their immediate, CCR and SR forms,
 * single-bit operations, Scc and TAS. */
#include "config.h"
#include "guest/cpu_internal.h"
#include "guest/ops.h"

enum { L_AND, L_OR, L_EOR };
static uint32_t logic(unsigned kind, uint32_t s, uint32_t d)
{
	return kind == L_AND ? s & d : kind == L_OR ? s | d : s ^ d;
}

static void logic_ea_dn(struct cpu *c, uint16_t op, unsigned kind)
{
	unsigned sz = size67(op), rn = (op >> 9) & 7;
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, sz, &e);
	uint32_t r = logic(kind, ea_read(c, &e, sz), c->d[rn]);
	dreg_write(c, rn, sz, r);
	flags_logic(c, r, sz);
}
static void logic_dn_ea(struct cpu *c, uint16_t op, unsigned kind)
{
	unsigned sz = size67(op), rn = (op >> 9) & 7;
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, sz, &e);
	uint32_t r = logic(kind, c->d[rn], ea_read(c, &e, sz));
	ea_write(c, &e, sz, r);
	flags_logic(c, r, sz);
}
void op_and_ea_dn(struct cpu *c, uint16_t op)
{
	logic_ea_dn(c, op, L_AND);
}
void op_or_ea_dn(struct cpu *c, uint16_t op)
{
	logic_ea_dn(c, op, L_OR);
}
void op_and_dn_ea(struct cpu *c, uint16_t op)
{
	logic_dn_ea(c, op, L_AND);
}
void op_or_dn_ea(struct cpu *c, uint16_t op)
{
	logic_dn_ea(c, op, L_OR);
}
void op_eor(struct cpu *c, uint16_t op)
{
	logic_dn_ea(c, op, L_EOR);
}

static void logic_imm(struct cpu *c, uint16_t op, unsigned kind)
{
	unsigned sz = size67(op);
	uint32_t imm = sz == 4 ? fetch32(c) : sz == 2 ? fetch16(c) : (fetch16(c) & 0xFF);
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, sz, &e);
	uint32_t r = logic(kind, imm, ea_read(c, &e, sz));
	ea_write(c, &e, sz, r);
	flags_logic(c, r, sz);
}
void op_andi(struct cpu *c, uint16_t op)
{
	logic_imm(c, op, L_AND);
}
void op_ori(struct cpu *c, uint16_t op)
{
	logic_imm(c, op, L_OR);
}
void op_eori(struct cpu *c, uint16_t op)
{
	logic_imm(c, op, L_EOR);
}

/* to CCR: the immediate's low byte; to SR: privileged, whole word */
static void logic_ccr(struct cpu *c, unsigned kind)
{
	uint32_t imm = fetch16(c) & 0xFF;
	set_ccr(c, logic(kind, imm, c->sr & 0xFF));
}
void op_andi_ccr(struct cpu *c, uint16_t op)
{
	logic_ccr(c, L_AND);
}
void op_ori_ccr(struct cpu *c, uint16_t op)
{
	logic_ccr(c, L_OR);
}
void op_eori_ccr(struct cpu *c, uint16_t op)
{
	logic_ccr(c, L_EOR);
}

uint16_t sr_valid_mask(const struct cpu *c)
{
	return c->model >= CPU_68020 ? 0xF71F : c->model == CPU_68010 ? 0xA71F : 0xA71F;
}
static void logic_sr(struct cpu *c, unsigned kind)
{
	if (priv_check(c))
		return;
	uint32_t imm = fetch16(c);
	cpu_set_sr(c, (uint16_t)(logic(kind, imm, c->sr) & sr_valid_mask(c)));
}
void op_andi_sr(struct cpu *c, uint16_t op)
{
	logic_sr(c, L_AND);
}
void op_ori_sr(struct cpu *c, uint16_t op)
{
	logic_sr(c, L_OR);
}
void op_eori_sr(struct cpu *c, uint16_t op)
{
	logic_sr(c, L_EOR);
}

void op_not(struct cpu *c, uint16_t op)
{
	unsigned sz = size67(op);
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, sz, &e);
	uint32_t r = ~ea_read(c, &e, sz);
	ea_write(c, &e, sz, r);
	flags_logic(c, r, sz);
}

/* BTST/BCHG/BCLR/BSET: long on Dn (bit mod 32), byte in memory (mod 8) */
static void bitop(struct cpu *c, uint16_t op, unsigned bit)
{
	unsigned kind = (op >> 6) & 3, mode = (op >> 3) & 7, reg = op & 7;
	if (mode == 0) {
		uint32_t m = 1u << (bit & 31), v = c->d[reg];
		unsigned z = (v & m) ? 0 : SR_Z;
		if (kind == 1)
			v ^= m;
		else if (kind == 2)
			v &= ~m;
		else if (kind == 3)
			v |= m;
		c->d[reg] = v;
		c->sr = (uint16_t)((c->sr & ~SR_Z) | z);
		return;
	}
	struct ea e;
	ea_get(c, mode, reg, 1, &e);
	uint32_t m = 1u << (bit & 7), v = ea_read(c, &e, 1);
	unsigned z = (v & m) ? 0 : SR_Z;
	if (kind) {
		if (kind == 1)
			v ^= m;
		else if (kind == 2)
			v &= ~m;
		else
			v |= m;
		ea_write(c, &e, 1, v);
	}
	c->sr = (uint16_t)((c->sr & ~SR_Z) | z);
}
void op_bit_dn(struct cpu *c, uint16_t op)
{
	bitop(c, op, c->d[(op >> 9) & 7]);
}
void op_bit_imm(struct cpu *c, uint16_t op)
{
	unsigned b = fetch16(c) & 0xFF;
	bitop(c, op, b);
}

void op_scc(struct cpu *c, uint16_t op)
{
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, 1, &e);
	if (e.kind == EA_MEM && c->model == CPU_68000)
		(void)ea_read(c, &e, 1); /* read-modify-write cycle */
	ea_write(c, &e, 1, cond_true(c, (op >> 8) & 15) ? 0xFF : 0);
}

/* TAS: indivisible read-modify-write; on a Mac the bus cycle completes */
void op_tas(struct cpu *c, uint16_t op)
{
	struct ea e;
	ea_get(c, (op >> 3) & 7, op & 7, 1, &e);
	uint32_t v = ea_read(c, &e, 1);
	ea_write(c, &e, 1, v | 0x80);
	flags_logic(c, v, 1);
}
