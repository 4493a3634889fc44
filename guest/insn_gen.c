/* guest/insn_gen.c: random instructions for differential testing, derived
 * from the same description table as the decoder: a row is chosen, its
 * variable fields filled within the caller's rules (which registers may be
 * named, where memory operands may point), and its extension words are
 * produced from the row's syntax tokens. */
#include "config.h"
#include <string.h>
#include "guest/cpu_internal.h"

static uint32_t rnd(uint64_t *s)
{
	/* xorshift64* */
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return (uint32_t)((x * 0x2545F4914F6CDD1Dull) >> 32);
}
static uint32_t below(uint64_t *s, uint32_t n)
{
	return n ? rnd(s) % n : 0;
}
static int pick_reg(uint64_t *s, unsigned mask)
{
	if (!(mask & 0xFF))
		return -1;
	for (;;) {
		unsigned r = below(s, 8);
		if (mask & (1u << r))
			return (int)r;
	}
}
static int32_t disp(uint64_t *s, const struct insn_gen_rules *r)
{
	return ((int32_t)below(s, 2 * (uint32_t)r->disp_range + 1) - r->disp_range) & ~1;
}

/* Which syntax operand names a register field: bits 11-9 or 2-0, D or A. */
static int syntax_has(const char *syn, const char *tok)
{
	return strstr(syn, tok) != NULL;
}

/* Fills a 6-bit EA field; returns 0 if no allowed mode fits the rules. */
static int gen_ea(uint64_t *s, const struct insn_gen_rules *r, unsigned allowed, int byte,
		  unsigned an_mask, unsigned *mode, unsigned *reg)
{
	unsigned ok = allowed & r->modes;
	if (byte)
		ok &= ~AM_AN;
	if (!(r->mem_aregs & 0xFF))
		ok &= ~(AM_IND | AM_D16 | AM_IDX);
	if (!((r->mem_aregs | r->stack_aregs) & 0xFF))
		ok &= ~(AM_POST | AM_PRE);
	if (!(an_mask & 0xFF))
		ok &= ~AM_AN;
	if (!(r->dregs & 0xFF))
		ok &= ~AM_DN;
	if (r->pc_in_code && r->code_before < 2 + 15) /* room for the index too */
		ok &= ~AM_PCX;
	if (r->pc_in_code && r->code_before < 2)
		ok &= ~AM_PCD;
	if (!ok)
		return 0;
	unsigned m;
	do
		m = below(s, 12);
	while (!(ok & (1u << m)));
	if (m < 7) {
		*mode = m;
		unsigned step = r->mem_aregs | r->stack_aregs;
		*reg = (unsigned)pick_reg(s, m == 0		? r->dregs
					     : m == 1		? an_mask
					     : m == 3 || m == 4 ? step
								: r->mem_aregs);
	} else {
		*mode = 7;
		*reg = m - 7;
	}
	return 1;
}

/* Extension words of an EA that reads reach bytes, appended at w[*n];
 * returns 0 if the rules leave it no place to point at. */
static int gen_ea_ext(uint64_t *s, const struct insn_gen_rules *r, enum cpu_model model,
		      unsigned mode, unsigned reg, unsigned sz, unsigned reach, uint16_t *w,
		      unsigned *n)
{
	if (mode == 7 && reg == 2 && r->pc_in_code) {
		/* d16(PC) into the code before this instruction: the PC is the
		 * extension word's own address */
		if (reach > r->code_before)
			return 0;
		uint32_t at = below(s, r->code_before - reach + 1) & ~1u;
		w[*n] = (uint16_t)(at - (r->code_before + 2 * *n));
		(*n)++;
	} else if (mode == 7 && reg == 3 && r->pc_in_code) {
		/* d8(PC,Xn.W) likewise, the index (0..15) unscaled */
		if (reach + 15 > r->code_before)
			return 0;
		int32_t d8 = (int32_t)(below(s, r->code_before - reach - 15 + 1) & ~1u) -
			     (int32_t)(r->code_before + 2 * *n);
		if (d8 < -128)
			return 0;
		w[(*n)++] = (uint16_t)((r->index_reg & 15) << 12 | ((unsigned)d8 & 0xFF));
	} else if (mode == 5)
		w[(*n)++] = (uint16_t)disp(s, r);
	else if (mode == 6 || (mode == 7 && reg == 3)) {
		unsigned x = r->index_reg & 15;
		unsigned scale = model >= CPU_68020 ? below(s, 4) : 0;
		unsigned wl = below(s, 2);
		if (model >= CPU_68020 && r->ptr_count > 32 && below(s, 4) == 0) {
			/* memory indirect through a pointer slot, base suppressed:
			 * ([bd],Xn*scale,od) post-indexed, ([bd],od) index suppressed,
			 * or ([bd,Xn*scale],od) pre-indexed with a scale of 4 or 8 so
			 * the pointer read stays on a slot (the index is at most 15) */
			unsigned kind = below(s, 3), is = 0, iis, sc = scale;
			uint32_t slot = r->ptr_base + 4 * below(s, r->ptr_count - 32);
			unsigned odsz = 2 + below(s, 2); /* word or long outer displacement */
			if (kind == 0)
				iis = 4 | odsz;
			else if (kind == 1)
				iis = odsz, is = 0x40;
			else
				iis = odsz, sc = 2 + below(s, 2);
			w[(*n)++] = (uint16_t)(x << 12 | wl << 11 | sc << 9 | 0x100 | 0x80 | is |
					       0x30 | iis);
			w[(*n)++] = (uint16_t)(slot >> 16);
			w[(*n)++] = (uint16_t)slot;
			int32_t od = disp(s, r);
			if (odsz == 3)
				w[(*n)++] = (uint16_t)((uint32_t)od >> 16);
			w[(*n)++] = (uint16_t)od;
		} else if (model >= CPU_68020 && below(s, 4) == 0) {
			/* full format, no memory indirection: (bd,An,Xn*scale) */
			w[(*n)++] = (uint16_t)(x << 12 | wl << 11 | scale << 9 | 0x100 | 0x20);
			w[(*n)++] = (uint16_t)disp(s, r);
		} else {
			w[(*n)++] = (uint16_t)(x << 12 | wl << 11 | scale << 9 |
					       ((unsigned)disp(s, r) & 0xFF));
		}
	} else if (mode == 7 && reg == 0)
		w[(*n)++] = (uint16_t)(r->abs_base + (below(s, r->abs_len) & ~1u));
	else if (mode == 7 && reg == 1) {
		uint32_t a = r->abs_base + (below(s, r->abs_len) & ~1u);
		w[(*n)++] = (uint16_t)(a >> 16);
		w[(*n)++] = (uint16_t)a;
	} else if (mode == 7 && reg == 2)
		w[(*n)++] = (uint16_t)disp(s, r);
	else if (mode == 7 && reg == 4) {
		if (sz == 4)
			w[(*n)++] = (uint16_t)rnd(s);
		w[(*n)++] = (uint16_t)(sz == 1 ? rnd(s) & 0xFF : rnd(s));
	}
	return 1;
}

static unsigned row_size(const struct insn_desc *d, uint16_t op)
{
	switch (d->size) {
	case SZ_B:
		return 1;
	case SZ_W:
		return 2;
	case SZ_L:
		return 4;
	case SZ_67:
		return size67(op);
	case SZ_910: {
		unsigned b = (op >> 9) & 3;
		return b == 0 ? 1 : b == 1 ? 2 : 4;
	}
	default:
		return 2;
	}
}

/* Bytes an EA operand of the row reads at its address: the operand size,
 * or the whole register list, bound pair or bit field. */
static unsigned operand_reach(const struct insn_desc *d, unsigned sz, unsigned list)
{
	if (!strcmp(d->mnemonic, "MOVEM"))
		return sz * (unsigned)__builtin_popcount(list);
	if (!strcmp(d->mnemonic, "CHK2"))
		return 2 * sz;
	if (!strncmp(d->mnemonic, "BF", 2))
		return 8; /* up to 5 bytes, up to 3 bytes in (offset <= 31) */
	return sz;
}

/* A 3-bit register field named in the syntax by tok at bit position pos. */
static int fix_reg_field(uint64_t *s, uint16_t *op, int pos, unsigned mask)
{
	int r = pick_reg(s, mask);
	if (r < 0)
		return 0;
	*op = (uint16_t)((*op & ~(7u << pos)) | (unsigned)r << pos);
	return 1;
}

unsigned cpu_insn_generate(enum cpu_model model, uint64_t *seed, const struct insn_gen_rules *r,
			   uint16_t *w, const char **mnemonic, const char **syntax)
{
	insn_table_build_model(model);
	for (int attempt = 0; attempt < 100000; attempt++) {
		const struct insn_desc *d = &insn_table[below(seed, insn_table_len)];
		if (!(d->models & (1u << model)))
			continue;
		if (r->accept && !r->accept(d->mnemonic, d->syntax, r->ctx))
			continue;
		uint16_t op = 0;
		for (int i = 0; i < 16; i++) {
			char ch = d->pattern[i];
			unsigned bit = ch == '1' ? 1 : ch == '0' ? 0 : (rnd(seed) & 1);
			op = (uint16_t)(op << 1 | bit);
		}
		unsigned sz = row_size(d, op);
		int byte = sz == 1 && d->size != SZ_NONE;
		/* An written by the row (compares only read theirs); of the rows
		 * whose E field may be An, ADDQ and SUBQ write it, TST reads it */
		unsigned wa = r->write_aregs ? r->write_aregs : r->aregs;
		unsigned plain_a = strncmp(d->mnemonic, "CMP", 3) ? wa : r->aregs;
		unsigned e_an = strcmp(d->mnemonic, "TST") ? wa : r->aregs;
		unsigned smode = 0, sreg = 0, dmode = 0, dreg = 0;
		int has_e = strchr(d->pattern, 'E') != NULL,
		    has_d = strchr(d->pattern, 'e') != NULL;
		if (has_e) {
			if (!gen_ea(seed, r, d->src_modes, byte, e_an, &smode, &sreg))
				continue;
			op = (uint16_t)((op & ~0x3F) | smode << 3 | sreg);
		}
		if (has_d) {
			if (!gen_ea(seed, r, d->dst_modes, byte, wa, &dmode, &dreg))
				continue;
			op = (uint16_t)((op & ~0xFC0) | dreg << 9 | dmode << 6);
		}
		/* register fields named by the syntax */
		const char *syn = d->syntax;
		unsigned step = r->mem_aregs | r->stack_aregs; /* (An)+, -(An) */
		unsigned a9 = syntax_has(syn, "-A9") || syntax_has(syn, "+A9") ? step : plain_a;
		unsigned a0 = syntax_has(syn, "-A0") || syntax_has(syn, "+A0") ? step
			      : syntax_has(syn, "d16A0")		       ? r->mem_aregs
									       : plain_a;
		if ((syntax_has(syn, "D9") && !fix_reg_field(seed, &op, 9, r->dregs)) ||
		    (syntax_has(syn, "A9") && !fix_reg_field(seed, &op, 9, a9)) ||
		    (syntax_has(syn, "D0") && !fix_reg_field(seed, &op, 0, r->dregs)) ||
		    (syntax_has(syn, "A0") && !fix_reg_field(seed, &op, 0, a0)))
			continue;
		if (!strcmp(d->mnemonic, "MOVE16") && (op & 0xFFF8) != 0xF620 &&
		    !fix_reg_field(seed, &op, 0, r->mem_aregs))
			continue;
		if (insn_row(model, op) != d)
			continue; /* another row wins this word */

		unsigned n = 0, list = 0;
		w[n++] = op;
		/* extension words that precede the EA's, from the syntax */
		if (syntax_has(syn, "#i")) {
			if (sz == 4)
				w[n++] = (uint16_t)rnd(seed);
			w[n++] = (uint16_t)(sz == 1 ? rnd(seed) & 0xFF : rnd(seed));
		} else if (syntax_has(syn, "#x"))
			w[n++] = (uint16_t)below(seed, 32);
		else if (syntax_has(syn, "L")) {
			unsigned mask = !strcmp(syn, "L,E")
					    ? 0xFFFF
					    : (r->dregs & 0xFF) | (r->movem_aregs & 0xFF) << 8;
			list = rnd(seed) & mask;
			if (!list)
				list = mask & -mask;
			if (smode == 4) { /* -(An): bit 0 is A7 */
				unsigned rev = 0;
				for (int i = 0; i < 16; i++)
					if (list & (1u << i))
						rev |= 1u << (15 - i);
				list = rev;
			}
			w[n++] = (uint16_t)list;
		} else if (syntax_has(syn, "{o:w}")) {
			/* only the forms with a register operand name one (bits 14-12 are 0
			 * otherwise) */
			int rr = strchr(syn, 'R') ? pick_reg(seed, r->dregs) : 0;
			unsigned ext = (unsigned)rr << 12 | below(seed, 32) << 6 | below(seed, 32);
			if (smode == 0 && below(seed, 2))
				ext = (ext & ~0x7C0u) | 0x800 |
				      (unsigned)pick_reg(seed, r->dregs) << 6;
			if (below(seed, 2))
				ext = (ext & ~0x1Fu) | 0x20 | (unsigned)pick_reg(seed, r->dregs);
			w[n++] = (uint16_t)ext;
		} else if (syntax_has(syn, "Dc:Dc")) { /* CAS2 */
			for (int k = 0; k < 2; k++)
				w[n++] = (uint16_t)(0x8000 | pick_reg(seed, r->mem_aregs) << 12 |
						    pick_reg(seed, r->dregs) << 6 |
						    pick_reg(seed, r->dregs));
			if (((w[1] >> 12) & 7) == ((w[2] >> 12) & 7))
				continue; /* same address twice: order-dependent */
		} else if (syntax_has(syn, "Dc,Du")) {
			w[n++] =
			    (uint16_t)(pick_reg(seed, r->dregs) << 6 | pick_reg(seed, r->dregs));
		} else if (syntax_has(syn, "Dh:Dl") || syntax_has(syn, "Dr:Dq")) {
			int lo = pick_reg(seed, r->dregs), hi = pick_reg(seed, r->dregs);
			unsigned wide = below(seed, 2);
			if (wide && hi == lo)
				continue; /* 64-bit with Dh = Dl: undefined result */
			w[n++] = (uint16_t)(lo << 12 | below(seed, 2) << 11 | wide << 10 | hi);
		} else if (!strcmp(d->mnemonic, "CHK2")) {
			int use_a = below(seed, 2) && (r->aregs & 0xFF);
			int rr = pick_reg(seed, use_a ? r->aregs : r->dregs);
			w[n++] = (uint16_t)((use_a ? 0x8000 : 0) | rr << 12 |
					    (r->no_traps ? 0 : below(seed, 2) << 11));
		} else if (!strcmp(d->mnemonic, "MOVEC")) {
			static const uint16_t codes[] = {0x000, 0x001, 0x800, 0x801,
							 0x002, 0x803, 0x804};
			unsigned nc = model == CPU_68010 ? 4 : 7;
			int rr = pick_reg(seed, r->dregs);
			w[n++] = (uint16_t)(rr << 12 | codes[below(seed, nc)]);
		} else if (!strcmp(d->mnemonic, "MOVES")) {
			int rr = pick_reg(seed, r->dregs);
			w[n++] = (uint16_t)(rr << 12 | below(seed, 2) << 11);
		} else if (!strcmp(d->mnemonic, "MOVE16")) {
			if ((op & 0xFFF8) == 0xF620) {
				int ay = pick_reg(seed, r->mem_aregs);
				w[n++] = (uint16_t)(0x8000 | ay << 12);
			} else {
				uint32_t a = r->abs_base + (below(seed, r->abs_len) & ~15u);
				w[n++] = (uint16_t)(a >> 16);
				w[n++] = (uint16_t)a;
			}
		}
		if (has_e &&
		    !gen_ea_ext(seed, r, model, smode, sreg, sz, operand_reach(d, sz, list), w, &n))
			continue;
		if (has_d && !gen_ea_ext(seed, r, model, dmode, dreg, sz, sz, w, &n))
			continue;
		/* words that follow: MOVEP's displacement, PACK/UNPK's adjustment,
		 * branch displacements */
		if (syntax_has(syn, "d16A0"))
			w[n++] = (uint16_t)disp(seed, r);
		else if (syntax_has(syn, "#w") && strncmp(d->mnemonic, "LINE", 4))
			w[n++] = (uint16_t)rnd(seed); /* LINEA/LINEF's #w is their own low bits */
		else if (!strcmp(syn, "B")) {
			if ((op & 0xFF) == 0)
				w[n++] = (uint16_t)(rnd(seed) & ~1u);
			else if ((op & 0xFF) == 0xFF && model >= CPU_68020) {
				w[n++] = (uint16_t)rnd(seed);
				w[n++] = (uint16_t)(rnd(seed) & ~1u);
			}
		} else if (syntax_has(syn, ",W"))
			w[n++] = (uint16_t)(rnd(seed) & ~1u);
		if (mnemonic)
			*mnemonic = d->mnemonic;
		if (syntax)
			*syntax = d->syntax;
		return n;
	}
	return 0;
}
