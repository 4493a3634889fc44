/* guest/dcache.c: the decoded-instruction cache: pages of decoded entries
 * (one per halfword of a 4 KiB guest page) and the predecoder, which turns
 * an instruction word and its extension words into an entry for one of the
 * specialised handlers of guest/threaded.c, following the fast class of the
 * word's row in the description table (guest/insn_table.c).
 *
 * Entries are never invalidated by writes: each specialised handler first
 * compares the instruction's bytes in memory with the ones it was decoded
 * from (one load and compare) and decodes again if they differ. So code
 * written by the guest, by the toolbox, by a file read or by a test between
 * two cpu_run calls is always seen, with no page protection and no hook on
 * stores. */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "guest/dcache.h"

/* Pages of decoded entries kept per model before they are all dropped
 * (each is about 66 KiB: 1024 pages is 4 MiB of guest code). */
#define DC_MAX_PAGES 1024u

struct dcache {
	struct dpage **dir; /* by (pc & mask) >> 12; 2^20 pointers, touched lazily */
	uint32_t mask;	    /* the address mask the entries were made under */
	unsigned npages;
	const void *decode, *lookup, *generic; /* the run loop's labels for these */
};
/* per model, and per run loop (the careful one's labels are its own) */
static struct dcache caches[5][2];
static unsigned long pages_allocated;

unsigned long dcache_pages_allocated(void)
{
	return pages_allocated;
}

static void drop_all(struct dcache *dc)
{
	if (!dc->dir)
		return;
	for (uint32_t i = 0; i < (1u << 20) && dc->npages; i++)
		if (dc->dir[i]) {
			free(dc->dir[i]);
			dc->dir[i] = NULL;
			dc->npages--;
		}
	dc->npages = 0;
}

struct dpage **dcache_prepare(struct cpu *c, const void *const *labels, int careful)
{
	c->dc_careful = careful;
	struct dcache *dc = &caches[c->model][careful];
	if (!dc->dir) {
		dc->dir = calloc(1u << 20, sizeof *dc->dir);
		if (!dc->dir)
			return NULL;
		dc->mask = c->addr_mask;
	}
	/* entries made under another mask may not have been checked for
	 * wrapping under this one */
	if (dc->mask != c->addr_mask) {
		drop_all(dc);
		dc->mask = c->addr_mask;
	}
	dc->decode = labels[H_DECODE];
	dc->lookup = labels[H_LOOKUP];
	dc->generic = labels[H_GENERIC];
	return dc->dir;
}

int dcache_specialised(const struct cpu *c, const struct dentry *e)
{
	const struct dcache *dc = &caches[c->model][c->dc_careful];
	return e->h != dc->decode && e->h != dc->lookup && e->h != dc->generic;
}

struct dentry *dcache_peek(const struct cpu *c, uint32_t pc)
{
	const struct dcache *dc = &caches[c->model][c->dc_careful];
	if (!dc->dir || dc->mask != c->addr_mask)
		return NULL;
	uint32_t m = pc & c->addr_mask;
	struct dpage *p = dc->dir[m >> 12];
	return p ? &p->e[(m & 0xFFF) >> 1] : NULL;
}

struct dentry *dcache_entry(struct cpu *c, uint32_t pc)
{
	struct dcache *dc = &caches[c->model][c->dc_careful];
	uint32_t m = pc & c->addr_mask;
	struct dpage *p = dc->dir[m >> 12];
	if (!p) {
		if (dc->npages >= DC_MAX_PAGES)
			drop_all(dc);
		p = malloc(sizeof *p);
		if (!p)
			return NULL;
		for (unsigned i = 0; i < DC_PAGE_ENTRIES; i++)
			p->e[i].h = dc->decode;
		for (unsigned i = DC_PAGE_ENTRIES; i < DC_PAGE_ENTRIES + DC_PAGE_SLACK; i++)
			p->e[i].h = dc->lookup;
		dc->dir[m >> 12] = p;
		dc->npages++;
		pages_allocated++;
	}
	return &p->e[(m & 0xFFF) >> 1];
}

/* ---- the predecoder ---- */

/* Operand kind of a 6-bit mode/register field, or -1 if the fast path has
 * no handler for it (indexed modes). */
static int src_kind(unsigned mode, unsigned reg)
{
	static const signed char k[8] = {K_DN, K_AN, K_IND, K_POST, K_PRE, K_D16, -1, -1};
	if (mode < 7)
		return k[mode];
	switch (reg) {
	case 0:
		return K_ABSW;
	case 1:
		return K_ABSL;
	case 2:
		return K_PCD;
	case 4:
		return K_IMM;
	default:
		return -1;
	}
}

struct words {
	uint8_t *mem;
	uint32_t mask, pc, at; /* at: the next extension word */
};
static uint32_t next_word(struct words *w)
{
	uint32_t v = gpeek16(w->mem, w->mask, w->at);
	w->at += 2;
	return v;
}

/* Consumes the extension words of a source operand of kind k and size sz;
 * returns what the handler needs: the immediate (masked to sz), the
 * displacement, the absolute address, or for PC-relative the operand's
 * address minus the instruction's. */
static int32_t src_ext(struct words *w, int k, unsigned sz)
{
	uint32_t v;
	switch (k) {
	case K_D16:
	case K_ABSW:
		return (int16_t)next_word(w);
	case K_ABSL:
		v = next_word(w) << 16;
		return (int32_t)(v | next_word(w));
	case K_PCD:
		v = w->at - w->pc; /* relative to the extension word */
		return (int32_t)(v + (uint32_t)(int16_t)next_word(w));
	case K_IMM:
		if (sz == 4) {
			v = next_word(w) << 16;
			return (int32_t)(v | next_word(w));
		}
		v = next_word(w);
		return (int32_t)(sz == 1 ? v & 0xFF : v);
	default:
		return 0;
	}
}

/* The register a source of kind k names, as an index into c->r (D0-D7,
 * then A0-A7). */
static uint8_t src_reg(int k, unsigned reg)
{
	return (uint8_t)(k == K_AN || k == K_IND || k == K_POST || k == K_PRE || k == K_D16 ? 8 + reg
											       : reg);
}

static unsigned size_index(unsigned sz)
{
	return sz == 1 ? 0 : sz == 2 ? 1 : 2;
}
static unsigned row_size(const struct insn_desc *d)
{
	return d->size == SZ_B ? 1 : d->size == SZ_W ? 2 : 4;
}

/* A relative branch: its target (as target - pc) and whether the target's
 * entry is in this page. Returns 0 if the target is odd (an address error
 * the per-opcode handler raises). */
static int branch_to(struct dentry *o, uint32_t pc, int32_t disp)
{
	int32_t t = 2 + disp;
	if (t & 1)
		return 0;
	int32_t pos = (int32_t)(pc & 0xFFF) + t;
	o->imm2 = t;
	o->tsame = pos >= 0 && pos < 0x1000;
	o->tdelta = (int16_t)(o->tsame ? t / 2 : 0);
	return 1;
}

static enum dc_handler decode_row(const struct cpu *c, const struct insn_desc *d, uint16_t op,
				  struct words *w, struct dentry *o)
{
	unsigned mode = (op >> 3) & 7, reg = op & 7, r9 = (op >> 9) & 7;
	int k = src_kind(mode, reg);
	unsigned sz;
	o->rs = (uint8_t)reg;
	o->rd = (uint8_t)r9;
	switch (d->fast) {
	case FC_MOVE: {
		static const signed char kd[8] = {KD_DN, -1, KD_IND, KD_POST, KD_PRE, KD_D16, -1, -1};
		unsigned dmode = (op >> 6) & 7;
		int dk = dmode == 7 ? (r9 == 0 ? KD_ABSW : -1) : kd[dmode];
		sz = row_size(d);
		if (k < 0 || dk < 0)
			return H_GENERIC;
		/* a source that moves An, and a destination addressed by the same
		 * An: the order of the two is the per-opcode handler's business */
		if ((k == K_POST || k == K_PRE) && dk != KD_DN && reg == r9)
			return H_GENERIC;
		o->imm = src_ext(w, k, sz);
		if (dk == KD_D16 || dk == KD_ABSW)
			o->imm2 = (int16_t)next_word(w);
		o->rs = src_reg(k, reg);
		o->rd = (uint8_t)(dk == KD_DN ? r9 : 8 + r9);
		return (enum dc_handler)(H_MOVE_1_DN_DN +
					 (size_index(sz) * K_COUNT + (unsigned)k) * KD_COUNT +
					 (unsigned)dk);
	}
	case FC_ADD:
	case FC_SUB:
	case FC_CMP:
	case FC_AND:
	case FC_OR:
	case FC_TST:
		if (k < 0)
			return H_GENERIC;
		sz = size67(op);
		o->imm = src_ext(w, k, sz);
		o->rs = src_reg(k, reg);
		return (enum dc_handler)(H_ADD_1_DN +
					 ((unsigned)(d->fast - FC_ADD) * 3 + size_index(sz)) * K_COUNT +
					 (unsigned)k);
	case FC_ADDA:
	case FC_SUBA:
	case FC_CMPA:
	case FC_MOVEA: {
		static const unsigned idx[] = {[FC_ADDA] = 0, [FC_SUBA] = 1, [FC_CMPA] = 2,
					       [FC_MOVEA] = 3};
		if (k < 0)
			return H_GENERIC;
		sz = d->fast == FC_MOVEA ? row_size(d) : (op & 0x100) ? 4 : 2;
		o->imm = src_ext(w, k, sz);
		o->rs = src_reg(k, reg);
		o->rd = (uint8_t)(8 + r9);
		return (enum dc_handler)(H_ADDA_2_DN + (idx[d->fast] * 2 + (sz == 4)) * K_COUNT +
					 (unsigned)k);
	}
	case FC_ADDI:
	case FC_SUBI:
	case FC_CMPI:
	case FC_ANDI:
	case FC_ORI:
	case FC_EORI: {
		static const unsigned idx[] = {[FC_ADDI] = 0, [FC_SUBI] = 1, [FC_CMPI] = 2,
					       [FC_ANDI] = 3, [FC_ORI] = 4,  [FC_EORI] = 5};
		if (mode != 0)
			return H_GENERIC;
		sz = size67(op);
		o->rd = (uint8_t)reg;
		o->imm = src_ext(w, K_IMM, sz);
		return (enum dc_handler)(H_ADDI_1 + idx[d->fast] * 3 + size_index(sz));
	}
	case FC_ADDQ:
	case FC_SUBQ:
		o->rd = (uint8_t)reg;
		o->imm = r9 ? (int32_t)r9 : 8;
		if (mode == 1) {
			o->rd = (uint8_t)(8 + reg);
			return d->fast == FC_ADDQ ? H_ADDQA : H_SUBQA;
		}
		if (mode != 0)
			return H_GENERIC;
		return (enum dc_handler)(H_ADDQ_1 + (d->fast == FC_SUBQ) * 3 + size_index(size67(op)));
	case FC_CLR:
		o->rd = (uint8_t)reg;
		return mode == 0 ? (enum dc_handler)(H_CLR_1 + size_index(size67(op))) : H_GENERIC;
	case FC_MOVEQ:
		o->imm = (int8_t)op;
		return H_MOVEQ;
	case FC_LEA:
	case FC_JSR:
	case FC_JMP:
		if (k < 0)
			return H_GENERIC;
		o->imm = src_ext(w, k, 4);
		o->rs = src_reg(k, reg);
		o->rd = (uint8_t)(8 + r9);
		return (enum dc_handler)(H_LEA_0_DN + (unsigned)(d->fast == FC_JSR ? 1 : d->fast == FC_JMP ? 2 : 0) * K_COUNT + (unsigned)k);
	case FC_BCC:
	case FC_BSR: {
		int32_t disp = (int8_t)op;
		int wide = disp == 0;
		if (disp == -1 && c->model >= CPU_68020)
			return H_GENERIC; /* Bcc.L: rare, left to the per-opcode handler */
		if (wide)
			disp = (int16_t)next_word(w);
		if (!branch_to(o, w->pc, disp))
			return H_GENERIC;
		if (d->fast == FC_BSR)
			return wide ? H_BSRW : H_BSR;
		return (enum dc_handler)((wide ? H_BCCW_0 : H_BCC_0) + ((op >> 8) & 15));
	}
	case FC_DBCC:
		if (!branch_to(o, w->pc, (int16_t)next_word(w)))
			return H_GENERIC;
		return (enum dc_handler)(H_DBCC_0 + ((op >> 8) & 15));
	case FC_RTS:
		return H_RTS;
	case FC_NOP:
		return H_NOP;
	default:
		return H_GENERIC;
	}
}

enum dc_handler dcache_predecode(struct cpu *c, uint32_t pc, struct dentry *o)
{
	struct words w = {c->mem, c->addr_mask, pc, pc + 2};
	uint16_t op = (uint16_t)gpeek16(c->mem, c->addr_mask, pc);
	c->ir = op; /* for a fault on one of its extension words */
	memset(o, 0, sizeof *o);
	o->op = op;
	const struct insn_desc *d = insn_row(c->model, op);
	enum dc_handler h = d && d->fast ? decode_row(c, d, op, &w, o) : H_GENERIC;
	o->len = (uint8_t)(w.at - pc);
	/* the handlers compare at most 8 bytes, which must not wrap */
	if (h == H_GENERIC || o->len > 8 || (pc & c->addr_mask) > c->addr_mask - (o->len - 1u)) {
		h = H_GENERIC;
		o->len = 2;
	}
	o->raw = gbytes(c->mem, c->addr_mask, pc, o->len);
	return h;
}
