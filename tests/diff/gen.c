/* The sequence generator: random 68020 integer instruction forms with random
 * operands, encoded here until the generator derived from guest/'s
 * instruction table replaces it (only diff_generate is called from outside).
 * Register conventions keep every memory operand inside the data area:
 *   D0-D7  random values, written by anything;
 *   A0-A3  pointers into the data area, changed only by (An)+ / -(An);
 *   A4-A5  random values or data pointers, the only An that instructions write;
 *   A6     a small signed index (-32..32) for indexed modes, never written;
 *   A7     the stack, near the top of the data area; also used as (A7)+ and
 *          -(A7) operands (byte accesses move it by 2).  */
#include "config.h"

#include <string.h>

#include "tests/diff/diff.h"

void diff_rng_seed(struct diff_rng *r, uint64_t seed)
{
	r->s = seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
	if (r->s == 0)
		r->s = 1;
}

uint32_t diff_rng_next(struct diff_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (uint32_t)((r->s * 0x2545f4914f6cdd1dull) >> 32);
}

uint32_t diff_rng_below(struct diff_rng *r, uint32_t n)
{
	return (uint32_t)(((uint64_t)diff_rng_next(r) * n) >> 32);
}

/* Data area layout (offsets from DIFF_DATA_ADDR). Bases start in the middle so
 * that displacements, the A6 index and post-increments of a whole sequence
 * stay inside; the stack grows down from the top. */
#define BASE_LO 0x180
#define BASE_HI 0x280
#define STACK_TOP 0x3f0
/* The first POINTER_SLOTS longs of the data area hold pointers into it, for
 * the memory indirect modes; no other operand reaches below BASE_LO - 0x140. */
#define POINTER_SLOTS 16

enum { SZ_B = 1, SZ_W = 2, SZ_L = 4 };

enum {
	EA_DN = 1 << 0,
	EA_AN = 1 << 1,
	EA_IND = 1 << 2,
	EA_POST = 1 << 3,
	EA_PRE = 1 << 4,
	EA_D16 = 1 << 5,
	EA_IDX = 1 << 6,
	EA_ABSL = 1 << 7,
	EA_PCD16 = 1 << 8,
	EA_IMM = 1 << 9,
	EA_MEMIND =
	    1
	    << 10, /* ([bd.L],A6,od) / ([bd.L],od): 68020 memory indirect through a pointer slot */
	EA_MEMALT = EA_IND | EA_POST | EA_PRE | EA_D16 | EA_IDX | EA_ABSL | EA_MEMIND,
	EA_DATAALT = EA_DN | EA_MEMALT,
	EA_CTRL = EA_IND | EA_D16 | EA_IDX | EA_ABSL | EA_PCD16 | EA_MEMIND,
	EA_CTRLALT = EA_IND | EA_D16 | EA_IDX | EA_ABSL | EA_MEMIND,
	EA_DATA = EA_DATAALT | EA_PCD16 | EA_IMM,
	EA_ALL = EA_DATA | EA_AN,
};

struct gen {
	struct diff_rng *r;
	enum diff_cpu cpu;
	struct diff_case *c;
	unsigned pos;	  /* next free byte of code */
	unsigned start;	  /* first byte of the instruction being emitted */
	unsigned pushes;  /* stack-pushing instructions so far */
	unsigned pops;	  /* (A7)+ operands so far */
	unsigned pcbytes; /* bytes a PC-relative operand reads, when not its size */
	/* forward branches to patch once the sequence is complete */
	unsigned nbr;
	struct {
		unsigned insn, target, disp_at, kind; /* kind: 1 = byte, 2 = word, 4 = long */
	} br[DIFF_MAX_INSNS];
};

static uint32_t rnd(struct gen *g, uint32_t n)
{
	return diff_rng_below(g->r, n);
}

/* Values that find flag bugs more often than uniform ones do. */
static uint32_t value(struct gen *g)
{
	static const uint32_t edge[] = {0,	    1,		2,	    0x7f,	0x80,
					0xff,	    0x7fff,	0x8000,	    0xffff,	0x10000,
					0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x00ff00ff,
					0x99,	    0x09,	0x12345678};
	switch (rnd(g, 6)) {
	case 0:
		return edge[rnd(g, sizeof edge / sizeof edge[0])];
	case 1:
		return rnd(g, 64);
	case 2:
		return (uint32_t) - (int32_t)rnd(g, 64);
	case 3:
		return diff_rng_next(g->r) & 0xffff;
	default:
		return diff_rng_next(g->r);
	}
}

static void w16(struct gen *g, uint32_t w)
{
	g->c->code[g->pos] = (uint8_t)(w >> 8);
	g->c->code[g->pos + 1] = (uint8_t)w;
	g->pos += 2;
}

static void w32(struct gen *g, uint32_t v)
{
	w16(g, v >> 16);
	w16(g, v & 0xffff);
}

/* Writes the opcode word of the current instruction (reserved by begin). */
static void opword(struct gen *g, uint32_t w)
{
	g->c->code[g->start] = (uint8_t)(w >> 8);
	g->c->code[g->start + 1] = (uint8_t)w;
}

static void imm(struct gen *g, int size, uint32_t v)
{
	if (size == SZ_L)
		w32(g, v);
	else
		w16(g, size == SZ_B ? (v & 0xff) : (v & 0xffff));
}

static unsigned base_reg(struct gen *g)
{
	return rnd(g, 4); /* A0-A3 */
}

static unsigned dreg(struct gen *g)
{
	return rnd(g, 8);
}

/* An that an instruction may write: A4 or A5. */
static unsigned wareg(struct gen *g)
{
	return 4 + rnd(g, 2);
}

static int16_t small_disp(struct gen *g)
{
	return (int16_t)(rnd(g, 256) - 128);
}

/* Picks one of the allowed modes, appends its extension words and returns the
 * 6-bit mode/register field. */
static unsigned ea(struct gen *g, int size, unsigned allowed)
{
	if (size == SZ_B)
		allowed &= ~EA_AN;
	/* PC-relative needs an earlier instruction to point at. */
	unsigned extent = g->pcbytes ? g->pcbytes : (unsigned)size;
	g->pcbytes = 0;
	if (g->start < extent)
		allowed &= ~EA_PCD16;
	unsigned modes[12], n = 0;
	for (unsigned m = 0; m < 11; m++)
		if (allowed & (1u << m))
			modes[n++] = 1u << m;
	unsigned m = modes[rnd(g, n)];
	switch (m) {
	case EA_DN:
		return dreg(g);
	case EA_AN:
		return 010 | rnd(g, 8);
	case EA_IND:
		return 020 | base_reg(g);
	case EA_POST:
		/* Sometimes the stack pointer, whose byte accesses move it by 2;
		 * at most 3 pops, which the 16 bytes above STACK_TOP cover. */
		if (g->pops < 3 && rnd(g, 8) == 0) {
			g->pops++;
			return 030 | 7;
		}
		return 030 | base_reg(g);
	case EA_PRE:
		if (g->pushes < 4 && rnd(g, 8) == 0) {
			g->pushes++;
			return 040 | 7;
		}
		return 040 | base_reg(g);
	case EA_D16:
		w16(g, (uint16_t)small_disp(g));
		return 050 | base_reg(g);
	case EA_IDX: {
		unsigned an = base_reg(g);
		unsigned scale = rnd(g, 3); /* 1, 2, 4: keeps A6 * scale within +-128 */
		unsigned xl = rnd(g, 2) << 11;
		if (rnd(g, 3) != 0) {
			/* brief format: d8(An,A6.size*scale) */
			w16(g, 0x8000 | 6u << 12 | xl | scale << 9 | (uint8_t)(rnd(g, 64) - 32));
		} else {
			/* full format, word base displacement, no memory indirection */
			w16(g, 0x8000 | 6u << 12 | xl | scale << 9 | 0x0100 | 2u << 4);
			w16(g, (uint16_t)(rnd(g, 64) - 32));
		}
		return 060 | an;
	}
	case EA_ABSL:
		w32(g, DIFF_DATA_ADDR + BASE_LO + rnd(g, BASE_HI - BASE_LO));
		return 071;
	case EA_PCD16: {
		/* Point back into this sequence's own, already written, bytes:
		 * the extension word sits at DIFF_CODE_ADDR + g->pos. */
		unsigned target = rnd(g, g->start - extent + 1);
		w16(g, (uint16_t)(int16_t)((int)target - (int)g->pos));
		return 072;
	}
	case EA_IMM:
		imm(g, size, value(g));
		return 074;
	case EA_MEMIND: {
		/* Base suppressed, long base displacement = a pointer slot; either
		 * post-indexed by A6 or index suppressed; null, word or long outer
		 * displacement. */
		unsigned is = rnd(g, 2), od = 1 + rnd(g, 3); /* 1 null, 2 word, 3 long */
		unsigned scale = rnd(g, 3), xl = rnd(g, 2) << 11;
		w16(g, 0x8000 | 6u << 12 | xl | scale << 9 | 0x0100 | 0x0080 | is << 6 | 3u << 4 |
			   (is ? od : 4 + od));
		w32(g, DIFF_DATA_ADDR + 4 * rnd(g, POINTER_SLOTS));
		if (od == 2)
			w16(g, (uint16_t)(rnd(g, 64) - 32));
		if (od == 3)
			w32(g, (uint32_t)((int32_t)rnd(g, 64) - 32));
		return 060 | base_reg(g);
	}
	}
	return 0;
}

static int rsize(struct gen *g)
{
	static const int s[] = {SZ_B, SZ_W, SZ_L};
	return s[rnd(g, 3)];
}

static unsigned szbits(int size) /* the common 00/01/10 size field */
{
	return size == SZ_B ? 0 : size == SZ_W ? 1 : 2;
}

/* ---- instruction forms ---- */

/* ADD/SUB/AND/OR/CMP <ea>,Dn and ADD/SUB/AND/OR/EOR Dn,<ea> */
static void f_arith(struct gen *g)
{
	static const uint16_t base[] = {0xd000, 0x9000, 0xc000, 0x8000, 0xb000 /* CMP / EOR */};
	unsigned k = rnd(g, 5);
	int size = rsize(g);
	unsigned dn = dreg(g);
	if (rnd(g, 2) == 0) { /* <ea>,Dn */
		unsigned allowed = (k <= 1 || k == 4) ? EA_ALL : EA_DATA;
		unsigned f = ea(g, size, allowed);
		opword(g, base[k] | dn << 9 | szbits(size) << 6 | f);
	} else { /* Dn,<ea> (EOR for k == 4) */
		unsigned f = ea(g, size, k == 4 ? EA_DATAALT : EA_MEMALT);
		opword(g, base[k] | dn << 9 | 0x100 | szbits(size) << 6 | f);
	}
}

/* ADDA/SUBA/CMPA <ea>,An */
static void f_arith_a(struct gen *g)
{
	static const uint16_t base[] = {0xd0c0, 0x90c0, 0xb0c0};
	unsigned k = rnd(g, 3);
	int size = rnd(g, 2) ? SZ_L : SZ_W;
	unsigned an = k == 2 ? rnd(g, 8) : wareg(g);
	unsigned f = ea(g, size, EA_ALL);
	opword(g, base[k] | an << 9 | (size == SZ_L) << 8 | f);
}

/* ORI/ANDI/SUBI/ADDI/EORI/CMPI #imm,<ea> */
static void f_immediate(struct gen *g)
{
	static const uint16_t base[] = {0x0000, 0x0200, 0x0400, 0x0600, 0x0a00, 0x0c00};
	unsigned k = rnd(g, 6);
	int size = rsize(g);
	imm(g, size, value(g));
	unsigned f = ea(g, size, k == 5 ? EA_DATAALT | EA_PCD16 : EA_DATAALT);
	opword(g, base[k] | szbits(size) << 6 | f);
}

/* ADDQ/SUBQ #q,<ea> (An only as A4/A5, word or long) */
static void f_quick(struct gen *g)
{
	int size = rsize(g);
	unsigned f;
	if (size != SZ_B && rnd(g, 4) == 0)
		f = 010 | wareg(g);
	else
		f = ea(g, size, EA_DATAALT);
	opword(g, 0x5000 | rnd(g, 8) << 9 | rnd(g, 2) << 8 | szbits(size) << 6 | f);
}

static void f_moveq(struct gen *g)
{
	opword(g, 0x7000 | dreg(g) << 9 | (value(g) & 0xff));
}

/* NEG/NEGX/NOT/CLR <ea>, TST <ea> */
static void f_unary(struct gen *g)
{
	static const uint16_t base[] = {0x4400, 0x4000, 0x4600, 0x4200, 0x4a00};
	unsigned k = rnd(g, 5);
	int size = rsize(g);
	unsigned f = ea(g, size, k == 4 ? EA_ALL : EA_DATAALT);
	opword(g, base[k] | szbits(size) << 6 | f);
}

/* EXT.W, EXT.L, EXTB.L, SWAP */
static void f_ext(struct gen *g)
{
	static const uint16_t base[] = {0x4880, 0x48c0, 0x49c0, 0x4840};
	opword(g, base[rnd(g, 4)] | dreg(g));
}

/* MULU.W/MULS.W/DIVU.W/DIVS.W <ea>,Dn */
static void f_muldiv_w(struct gen *g)
{
	static const uint16_t base[] = {0xc0c0, 0xc1c0, 0x80c0, 0x81c0};
	unsigned k = rnd(g, 4);
	unsigned f = ea(g, SZ_W, EA_DATA);
	opword(g, base[k] | dreg(g) << 9 | f);
}

/* MULU.L/MULS.L <ea>,Dl and <ea>,Dh:Dl (Dh != Dl: the 64-bit form with
 * Dh == Dl is undefined). */
static void f_mul_l(struct gen *g)
{
	unsigned dl = dreg(g), dh = dreg(g), wide = rnd(g, 2);
	if (wide && dh == dl)
		dh = (dl + 1) & 7;
	w16(g, dl << 12 | rnd(g, 2) << 11 | wide << 10 | dh);
	opword(g, 0x4c00 | ea(g, SZ_L, EA_DATA));
}

/* DIVU.L/DIVS.L <ea>,Dq; DIVUL/DIVSL <ea>,Dr:Dq; 64-bit <ea>,Dr:Dq */
static void f_div_l(struct gen *g)
{
	unsigned dq = dreg(g), dr = dreg(g), wide = rnd(g, 2);
	if (wide && dr == dq)
		dr = (dq + 1) & 7;
	w16(g, dq << 12 | rnd(g, 2) << 11 | wide << 10 | dr);
	opword(g, 0x4c40 | ea(g, SZ_L, EA_DATA));
}

/* ASx/LSx/ROXx/ROx: #n,Dy and Dx,Dy (any size); <ea> (word, by one) */
static void f_shift(struct gen *g)
{
	unsigned type = rnd(g, 4), dir = rnd(g, 2);
	if (rnd(g, 5) == 0) {
		unsigned f = ea(g, SZ_W, EA_MEMALT);
		opword(g, 0xe0c0 | type << 9 | dir << 8 | f);
		return;
	}
	int size = rsize(g);
	unsigned ir = rnd(g, 2);
	opword(g, 0xe000 | dreg(g) << 9 | dir << 8 | szbits(size) << 6 | ir << 5 | type << 3 |
		      dreg(g));
}

/* BTST/BCHG/BCLR/BSET Dn,<ea> and #n,<ea> */
static void f_bitop(struct gen *g)
{
	unsigned k = rnd(g, 4);
	unsigned allowed = k == 0 ? (EA_DATA & ~EA_IMM) : EA_DATAALT;
	if (rnd(g, 2)) {
		unsigned dn = dreg(g);
		opword(g, 0x0100 | dn << 9 | k << 6 | ea(g, SZ_B, allowed));
	} else {
		w16(g, rnd(g, 64));
		opword(g, 0x0800 | k << 6 | ea(g, SZ_B, allowed));
	}
}

/* BFTST/BFEXTU/BFCHG/BFEXTS/BFCLR/BFFFO/BFSET/BFINS on Dn or memory.
 * Offsets from a register only for Dn fields: a random Do would address
 * far outside the data area. */
static void f_bitfield(struct gen *g)
{
	unsigned k = rnd(g, 8);
	int reads_only = k == 0 || k == 1 || k == 3 || k == 5;
	int on_reg = rnd(g, 3) == 0;
	unsigned ext = dreg(g) << 12;
	if (on_reg && rnd(g, 2))
		ext |= 0x0800 | dreg(g) << 6;
	else
		ext |= rnd(g, 32) << 6;
	if (rnd(g, 3) == 0)
		ext |= 0x0020 | dreg(g);
	else
		ext |= rnd(g, 32);
	w16(g, ext);
	g->pcbytes = 8; /* up to 5 bytes, at up to 3 bytes from the address */
	unsigned f = on_reg ? dreg(g) : ea(g, SZ_L, reads_only ? EA_CTRL : EA_CTRLALT);
	opword(g, 0xe8c0 | k << 8 | f);
}

/* ABCD/SBCD/ADDX/SUBX Dy,Dx and -(Ay),-(Ax); NBCD <ea> */
static void f_extended(struct gen *g)
{
	unsigned k = rnd(g, 5);
	if (k == 4) {
		/* only modes whose operand qemu_quirks.c can check for BCD validity */
		opword(g,
		       0x4800 | ea(g, SZ_B, EA_DN | EA_IND | EA_POST | EA_PRE | EA_D16 | EA_ABSL));
		return;
	}
	unsigned mem = rnd(g, 2);
	unsigned x = mem ? base_reg(g) : dreg(g), y = mem ? base_reg(g) : dreg(g);
	switch (k) {
	case 0:
		opword(g, 0xc100 | x << 9 | mem << 3 | y);
		break;
	case 1:
		opword(g, 0x8100 | x << 9 | mem << 3 | y);
		break;
	default:
		opword(g,
		       (k == 2 ? 0xd100 : 0x9100) | x << 9 | szbits(rsize(g)) << 6 | mem << 3 | y);
		break;
	}
}

/* PACK/UNPK Dy,Dx,#adj and -(Ay),-(Ax),#adj */
static void f_pack(struct gen *g)
{
	unsigned mem = rnd(g, 2);
	unsigned x = mem ? base_reg(g) : dreg(g), y = mem ? base_reg(g) : dreg(g);
	w16(g, value(g) & 0xffff);
	opword(g, (rnd(g, 2) ? 0x8140 : 0x8180) | y << 9 | mem << 3 | x);
}

/* Scc <ea> */
static void f_scc(struct gen *g)
{
	opword(g, 0x50c0 | rnd(g, 16) << 8 | ea(g, SZ_B, EA_DATAALT));
}

/* MOVE <ea>,<ea>; MOVEA <ea>,A4/A5 */
static void f_move(struct gen *g)
{
	int size = rsize(g);
	unsigned sz = size == SZ_B ? 1 : size == SZ_W ? 3 : 2;
	unsigned src = ea(g, size, EA_ALL);
	unsigned dst;
	if (size != SZ_B && rnd(g, 4) == 0)
		dst = 010 | wareg(g);
	else
		dst = ea(g, size, EA_DATAALT);
	opword(g, sz << 12 | (dst & 7) << 9 | (dst >> 3) << 6 | src);
}

/* MOVE <ea>,CCR, MOVE CCR,<ea>, ANDI/ORI/EORI #imm,CCR */
static void f_move_ccr(struct gen *g)
{
	static const uint16_t to_ccr[] = {0x023c, 0x003c, 0x0a3c};
	if (rnd(g, 3) == 0) {
		w16(g, rnd(g, 256));
		opword(g, to_ccr[rnd(g, 3)]);
	} else if (rnd(g, 2))
		opword(g, 0x44c0 | ea(g, SZ_W, EA_DATA));
	else
		opword(g, 0x42c0 | ea(g, SZ_W, EA_DATAALT));
}

/* MOVEM to memory ((An), -(An), d16(An), abs.l) and from memory ((An),
 * (An)+, d16(An), abs.l, d16(PC)); loads never include the base pointers,
 * A6 or A7. */
static void f_movem(struct gen *g)
{
	unsigned size = rnd(g, 2); /* 0 word, 1 long */
	unsigned to_regs = rnd(g, 2);
	uint16_t mask;
	unsigned mode = rnd(g, 4);
	if (to_regs) {
		mask = (uint16_t)(rnd(g, 0x10000) & 0x30ff);
		if (!mask)
			mask = 1;
		w16(g, mask);
		g->pcbytes = (unsigned)__builtin_popcount(mask) * (size ? 4 : 2);
		unsigned f = mode == 0 ? 030 | base_reg(g)
				       : ea(g, SZ_L, EA_IND | EA_D16 | EA_ABSL | EA_PCD16);
		opword(g, 0x4c80 | size << 6 | f);
	} else {
		mask = (uint16_t)rnd(g, 0x10000);
		if (!mask)
			mask = 0x8000;
		w16(g, mask);
		unsigned f = mode == 0 ? 040 | base_reg(g) : ea(g, SZ_L, EA_IND | EA_D16 | EA_ABSL);
		opword(g, 0x4880 | size << 6 | f);
	}
}

/* LEA <ea>,A4/A5; PEA <ea> */
static void f_lea(struct gen *g)
{
	if (rnd(g, 2) && g->pushes < 4) {
		g->pushes++;
		opword(g, 0x4840 | ea(g, SZ_L, EA_CTRL));
	} else {
		unsigned an = wareg(g);
		opword(g, 0x41c0 | an << 9 | ea(g, SZ_L, EA_CTRL));
	}
}

/* EXG Dx,Dy / A4,A5 / Dx,A4-5 */
static void f_exg(struct gen *g)
{
	switch (rnd(g, 3)) {
	case 0:
		opword(g, 0xc140 | dreg(g) << 9 | dreg(g));
		break;
	case 1:
		opword(g, 0xc148 | 4u << 9 | 5);
		break;
	default:
		opword(g, 0xc188 | dreg(g) << 9 | wareg(g));
		break;
	}
}

/* CAS Dc,Du,<ea> */
static void f_cas(struct gen *g)
{
	int size = rsize(g);
	unsigned sz = size == SZ_B ? 1 : size == SZ_W ? 2 : 3;
	w16(g, dreg(g) << 6 | dreg(g));
	opword(g, 0x08c0 | sz << 9 | ea(g, size, EA_MEMALT));
}

/* CAS2.W/CAS2.L Dc1:Dc2,Du1:Du2,(Rn1):(Rn2) with Rn = A0-A3 */
static void f_cas2(struct gen *g)
{
	int size = rnd(g, 2) ? SZ_L : SZ_W;
	w16(g, 0x8000 | base_reg(g) << 12 | dreg(g) << 6 | dreg(g));
	w16(g, 0x8000 | base_reg(g) << 12 | dreg(g) << 6 | dreg(g));
	opword(g, size == SZ_L ? 0x0efc : 0x0cfc);
}

/* Privileged instructions in user mode (MOVE USP, RESET, STOP, RTE, MOVEC):
 * a privilege violation, SIGILL under Linux. */
static void f_privileged(struct gen *g)
{
	switch (rnd(g, 5)) {
	case 0:
		opword(g, 0x4e60 | rnd(g, 16));
		break;
	case 1:
		opword(g, 0x4e70);
		break;
	case 2:
		w16(g, 0x2000 | rnd(g, 32));
		opword(g, 0x4e72);
		break;
	case 3:
		opword(g, 0x4e73);
		break;
	default:
		w16(g, rnd(g, 16) << 12 | (rnd(g, 2) ? 0x801 : 0x002));
		opword(g, 0x4e7a | rnd(g, 2));
		break;
	}
}

/* CHK.W/CHK.L <ea>,Dn; CHK2/CMP2 <ea>,Rn */
static void f_chk(struct gen *g)
{
	if (rnd(g, 2)) {
		int size = rnd(g, 2) ? SZ_W : SZ_L;
		unsigned dn = dreg(g);
		opword(g, 0x4000 | dn << 9 | (size == SZ_W ? 0x180 : 0x100) | ea(g, size, EA_DATA));
	} else {
		int size = rsize(g);
		w16(g, rnd(g, 16) << 12 | rnd(g, 2) << 11);
		g->pcbytes = 2u * (unsigned)size; /* the bound pair */
		opword(g, 0x00c0 | szbits(size) << 9 | ea(g, size, EA_CTRL));
	}
}

/* CMPM (Ay)+,(Ax)+ */
static void f_cmpm(struct gen *g)
{
	opword(g, 0xb108 | base_reg(g) << 9 | szbits(rsize(g)) << 6 | base_reg(g));
}

/* TAS <ea> */
static void f_tas(struct gen *g)
{
	opword(g, 0x4ac0 | ea(g, SZ_B, EA_DATAALT));
}

/* MOVEP Dx,d16(Ay) and d16(Ay),Dx, word and long */
static void f_movep(struct gen *g)
{
	unsigned opmode = 4 + rnd(g, 4);
	unsigned dn = dreg(g), an = base_reg(g);
	w16(g, (uint16_t)small_disp(g));
	opword(g, 0x0008 | dn << 9 | opmode << 6 | an);
}

/* LINK.W / LINK.L A4-A5,#-n */
static void f_link(struct gen *g)
{
	if (g->pushes >= 4) {
		opword(g, 0x4e71); /* NOP */
		return;
	}
	g->pushes++;
	unsigned an = wareg(g);
	uint32_t d = (uint32_t) - (int32_t)(rnd(g, 9) * 2);
	if (rnd(g, 2)) {
		w16(g, d & 0xffff);
		opword(g, 0x4e50 | an);
	} else {
		w32(g, d);
		opword(g, 0x4808 | an);
	}
}

/* TRAPV; TRAPcc with no operand, .W or .L operand */
static void f_trap(struct gen *g)
{
	unsigned k = rnd(g, 4);
	if (k == 0) {
		opword(g, 0x4e76);
		return;
	}
	if (k == 2)
		w16(g, value(g));
	if (k == 3)
		w32(g, value(g));
	opword(g, 0x50f8 | rnd(g, 16) << 8 | (k == 1 ? 4 : k == 2 ? 2 : 3));
}

/* Bcc/BRA/BSR (.B, .W, .L) and DBcc, forward only: the target is chosen now
 * as "k instructions ahead" and patched by finish(). */
static void f_branch(struct gen *g, unsigned index, unsigned total)
{
	unsigned ahead =
	    1 + rnd(g, total - index < 4 ? total - index : 4); /* 1..4, at most to the end */
	unsigned target = index + ahead;
	unsigned kind;
	if (rnd(g, 4) == 0) { /* DBcc */
		w16(g, 0);
		g->br[g->nbr] = (typeof(g->br[0])){index, target, g->start + 2, 2};
		g->nbr++;
		opword(g, 0x50c8 | rnd(g, 16) << 8 | dreg(g));
		return;
	}
	if (rnd(g, 5) == 0) { /* JMP / JSR d16(PC), forward */
		int jsr = rnd(g, 2) && g->pushes < 4;
		g->pushes += (unsigned)jsr;
		w16(g, 0);
		g->br[g->nbr] = (typeof(g->br[0])){index, target, g->start + 2, 2};
		g->nbr++;
		opword(g, jsr ? 0x4eba : 0x4efa);
		return;
	}
	unsigned cc = rnd(g, 16);
	if (cc == 1 && g->pushes >= 4)
		cc = 0;
	if (cc == 1)
		g->pushes++;
	kind = ahead >= 2 && rnd(g, 2) ? 1 : rnd(g, 3) ? 2 : 4;
	if (kind == 2)
		w16(g, 0);
	if (kind == 4)
		w32(g, 0);
	g->br[g->nbr] = (typeof(g->br[0])){index, target, g->start + (kind == 1 ? 1 : 2), kind};
	g->nbr++;
	opword(g, 0x6000 | cc << 8 | (kind == 4 ? 0xff : 0));
}

static void f_nop(struct gen *g)
{
	opword(g, 0x4e71);
}

struct form {
	const char *name;
	void (*emit)(struct gen *g);
	unsigned weight;
};

static const struct form forms[] = {
    {"add/sub/and/or/eor/cmp", f_arith, 6},
    {"adda/suba/cmpa", f_arith_a, 2},
    {"immediate", f_immediate, 4},
    {"addq/subq", f_quick, 2},
    {"moveq", f_moveq, 1},
    {"neg/negx/not/clr/tst", f_unary, 3},
    {"ext/extb/swap", f_ext, 1},
    {"mul/div.w", f_muldiv_w, 3},
    {"mul.l", f_mul_l, 3},
    {"div.l", f_div_l, 3},
    {"shift/rotate", f_shift, 5},
    {"bit op", f_bitop, 3},
    {"bit field", f_bitfield, 4},
    {"bcd/addx/subx", f_extended, 4},
    {"pack/unpk", f_pack, 2},
    {"scc", f_scc, 1},
    {"move", f_move, 4},
    {"move ccr", f_move_ccr, 1},
    {"movem", f_movem, 2},
    {"lea/pea", f_lea, 1},
    {"exg", f_exg, 1},
    {"cas", f_cas, 2},
    {"cas2", f_cas2, 1},
    {"privileged", f_privileged, 1},
    {"chk/chk2/cmp2", f_chk, 2},
    {"cmpm", f_cmpm, 1},
    {"tas", f_tas, 1},
    {"movep", f_movep, 1},
    {"link", f_link, 1},
    {"trapv/trapcc", f_trap, 1},
    {"branch", NULL, 3}, /* f_branch: needs the sequence position */
    {"nop", f_nop, 1},
};

static const struct form *pick(struct gen *g)
{
	unsigned total = 0;
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		total += forms[i].weight;
	unsigned x = rnd(g, total);
	for (size_t i = 0;; i++) {
		if (x < forms[i].weight)
			return &forms[i];
		x -= forms[i].weight;
	}
}

/* Patches forward branch displacements now that every instruction's offset
 * is known; a target past the last instruction is the end of the sequence. */
static void finish(struct gen *g)
{
	struct diff_case *c = g->c;
	for (unsigned i = 0; i < g->nbr; i++) {
		unsigned t = g->br[i].target;
		unsigned to = t >= c->ninsns ? c->code_len : c->insns[t].offset;
		unsigned pc = c->insns[g->br[i].insn].offset + 2; /* PC used for the displacement */
		int32_t disp = (int32_t)to - (int32_t)pc;
		uint8_t *p = c->code + g->br[i].disp_at;
		switch (g->br[i].kind) {
		case 1:
			if (disp == 0) {
				/* The sequence was cut short right after a Bcc.B, whose
				 * displacement cannot be 0 (that means .W): make it a NOP. */
				p[-1] = 0x4e;
				p[0] = 0x71;
				c->insns[g->br[i].insn].form = "nop";
			} else
				p[0] = (uint8_t)disp;
			break;
		case 2:
			p[0] = (uint8_t)(disp >> 8);
			p[1] = (uint8_t)disp;
			break;
		case 4:
			p[0] = (uint8_t)(disp >> 24);
			p[1] = (uint8_t)(disp >> 16);
			p[2] = (uint8_t)(disp >> 8);
			p[3] = (uint8_t)disp;
			break;
		}
	}
	for (unsigned i = 0; i < c->ninsns; i++) {
		struct diff_insn *in = &c->insns[i];
		const uint8_t *p = c->code + in->offset;
		in->op = (uint16_t)(p[0] << 8 | p[1]);
		in->ext = in->len >= 4 ? (uint16_t)(p[2] << 8 | p[3]) : 0;
	}
}

static uint16_t word(const struct diff_case *c, unsigned at)
{
	return (uint16_t)(c->code[at] << 8 | c->code[at + 1]);
}

void diff_generate(struct diff_rng *r, enum diff_cpu cpu, unsigned max_insns, struct diff_case *c)
{
	struct gen g = {.r = r, .cpu = cpu, .c = c};
	memset(c, 0, sizeof *c);
	if (max_insns > DIFF_MAX_INSNS)
		max_insns = DIFF_MAX_INSNS;
	if (max_insns == 0)
		max_insns = 1;

	for (int i = 0; i < 8; i++)
		c->d[i] = value(&g);
	for (int i = 0; i < 4; i++)
		c->a[i] = DIFF_DATA_ADDR + BASE_LO + rnd(&g, BASE_HI - BASE_LO);
	for (int i = 4; i < 6; i++)
		c->a[i] =
		    rnd(&g, 2) ? value(&g) : DIFF_DATA_ADDR + BASE_LO + rnd(&g, BASE_HI - BASE_LO);
	c->a[6] = (uint32_t)((int32_t)rnd(&g, 65) - 32);
	c->a[7] = DIFF_DATA_ADDR + STACK_TOP;
	c->ccr = (uint8_t)rnd(&g, 32);
	for (unsigned i = 0; i < DIFF_DATA_SIZE; i += 4) {
		uint32_t v = value(&g);
		c->data[i] = (uint8_t)(v >> 24);
		c->data[i + 1] = (uint8_t)(v >> 16);
		c->data[i + 2] = (uint8_t)(v >> 8);
		c->data[i + 3] = (uint8_t)v;
	}

	for (unsigned i = 0; i < POINTER_SLOTS; i++) {
		uint32_t p = DIFF_DATA_ADDR + BASE_LO + rnd(&g, BASE_HI - BASE_LO);
		c->data[4 * i] = (uint8_t)(p >> 24);
		c->data[4 * i + 1] = (uint8_t)(p >> 16);
		c->data[4 * i + 2] = (uint8_t)(p >> 8);
		c->data[4 * i + 3] = (uint8_t)p;
	}

	/* The longest form is 22 bytes (MOVE with two full-format extensions). */
	unsigned n = 1 + rnd(&g, max_insns);
	for (unsigned i = 0; i < n && g.pos + 22 <= DIFF_CODE_MAX; i++) {
		const struct form *f;
		unsigned nbr = g.nbr;
		do {
			f = pick(&g);
			g.start = g.pos;
			g.pos += 2;
			g.pcbytes = 0;
			g.nbr = nbr;
			if (f->emit)
				f->emit(&g);
			else
				f_branch(&g, i, n);
			uint16_t op = word(c, g.start),
				 ext = g.pos - g.start >= 4 ? word(c, g.start + 2) : 0;
			if (!diff_quirks_excluded(op, ext) &&
			    (i == 0 || !diff_quirks_must_be_alone(op, ext)))
				break;
			g.pos = g.start;
		} while (1);
		struct diff_insn *in = &c->insns[c->ninsns++];
		in->offset = (uint16_t)g.start;
		in->len = (uint16_t)(g.pos - g.start);
		in->form = f->name;
		uint16_t op = word(c, g.start), ext = in->len >= 4 ? word(c, g.start + 2) : 0;
		if (diff_quirks_must_be_alone(op, ext)) {
			/* Half the time give it decimal operands everywhere, so that
			 * most lone BCD instructions are defined and compared. */
			if (rnd(&g, 2))
				for (unsigned j = 0; j < DIFF_DATA_SIZE + 8; j++) {
					uint8_t b = (uint8_t)(rnd(&g, 10) << 4 | rnd(&g, 10));
					if (j < DIFF_DATA_SIZE)
						c->data[j] = b;
					else
						c->d[j - DIFF_DATA_SIZE] =
						    (c->d[j - DIFF_DATA_SIZE] & ~0xffu) | b;
				}
			break;
		}
		if (diff_quirks_must_end_sequence(op, ext))
			break;
	}
	c->code_len = (uint16_t)g.pos;
	finish(&g);
}
