/* The sequence generator: instructions come from guest/'s one instruction
 * description table (cpu_insn_generate); this file only sets the rules that
 * keep every memory operand inside the data area, lays out the initial state,
 * and aims branches forward. Register conventions:
 *   D0-D7  random values, written by anything;
 *   A0-A3  pointers into the data area, changed only by (An)+ / -(An);
 *   A4-A5  random values or data pointers, the only An instructions write;
 *   A6     a small index (0..15) for indexed modes, never written;
 *   A7     the stack, near the top of the data area, also used as (A7)+ and
 *          -(A7) operands (byte accesses move it by 2). */
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

enum cpu_model diff_cpu_model(enum diff_cpu cpu)
{
	return cpu == DIFF_68040 ? CPU_68040 : cpu == DIFF_68030 ? CPU_68030 : CPU_68020;
}

/* Data area layout (offsets from DIFF_DATA_ADDR). The first POINTER_SLOTS
 * longs hold pointers into [BASE_LO, BASE_HI), for the memory indirect
 * modes (pre-indexed ones read a slot up to 15 * 8 bytes further on). Bases
 * start in the middle so that displacements (within DISP), the A6 index
 * (times 8 at most) and the post-increments of a sequence stay inside; the
 * stack grows down from STACK_TOP, and (A7)+ pops read the 64 bytes above. */
#define POINTER_SLOTS 64
#define BASE_LO 0x180
#define BASE_HI 0x280
#define DISP 64
#define STACK_TOP 0x3c0
/* The longest instruction is 22 bytes; a NOP may follow a closing branch. */
#define LONGEST 22

/* Values that find flag bugs more often than uniform ones do. */
static uint32_t value(struct diff_rng *r)
{
	static const uint32_t edge[] = {0,	    1,		2,	    0x7f,	0x80,
					0xff,	    0x7fff,	0x8000,	    0xffff,	0x10000,
					0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x00ff00ff,
					0x99,	    0x09,	0x12345678};
	switch (diff_rng_below(r, 6)) {
	case 0:
		return edge[diff_rng_below(r, sizeof edge / sizeof edge[0])];
	case 1:
		return diff_rng_below(r, 64);
	case 2:
		return (uint32_t) - (int32_t)diff_rng_below(r, 64);
	case 3:
		return diff_rng_next(r) & 0xffff;
	default:
		return diff_rng_next(r);
	}
}

static uint32_t data_pointer(struct diff_rng *r)
{
	return DIFF_DATA_ADDR + BASE_LO + diff_rng_below(r, BASE_HI - BASE_LO);
}

struct accept_ctx {
	struct diff_rng *r;
	const char *only;
};

static int named(const char *mn, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(mn, list[i]))
			return 1;
	return 0;
}

/* Rows the sequences leave out, and why (none of these is a qemu defect;
 * those are in qemu_quirks.c): TRAP #0 is a Linux system call under
 * qemu-user; F-line words are FPU instructions to qemu; RTS, RTR and RTD
 * would return to whatever the stack holds. Rows that always trap in user
 * mode come an eighth as often as the others, so that most sequences run
 * several instructions. */
static int accept_row(const char *mn, const char *syn, void *ctx_)
{
	static const char *const never[] = {"TRAP", "LINEF", "RTS", "RTR", "RTD", NULL};
	static const char *const trap[] = {"ILLEGAL", "LINEA",	"RESET",  "STOP",  "RTE",
					   "MOVEC",   "MOVES",	"CINVL",  "CINVP", "CINVA",
					   "CPUSHL",  "CPUSHP", "CPUSHA", NULL};
	struct accept_ctx *ctx = ctx_;
	if (named(mn, never))
		return 0;
	if (ctx->only)
		return !strcmp(mn, ctx->only);
	if (named(mn, trap) || strstr(syn, "USP"))
		return diff_rng_below(ctx->r, 8) == 0;
	return 1;
}

static int is(const char *mn, const char *name)
{
	return !strcmp(mn, name);
}

static int is_branch(const char *mn)
{
	return is(mn, "BRA") || is(mn, "BSR") || is(mn, "Bcc") || is(mn, "DBcc") || is(mn, "JMP") ||
	       is(mn, "JSR");
}

static uint16_t word(const struct diff_case *c, unsigned at)
{
	return (uint16_t)(c->code[at] << 8 | c->code[at + 1]);
}

static void put16(struct diff_case *c, unsigned at, uint32_t v)
{
	c->code[at] = (uint8_t)(v >> 8);
	c->code[at + 1] = (uint8_t)v;
}

static void append_nop(struct diff_case *c)
{
	struct diff_insn *in = &c->insns[c->ninsns++];
	*in = (struct diff_insn){c->code_len, 2, 0x4e71, 0, "NOP"};
	put16(c, c->code_len, 0x4e71);
	c->code_len += 2;
}

/* Points every branch forward, at a later instruction or at the end of the
 * sequence (so whether it was taken shows in which instructions ran). A
 * short Bcc cannot reach the next word (displacement 0 means .W), so one
 * that closes the sequence gets a NOP to jump over. */
static void aim_branches(struct diff_rng *r, struct diff_case *c)
{
	const struct diff_insn *last = &c->insns[c->ninsns - 1];
	if ((last->op & 0xf000) == 0x6000 && (uint8_t)(last->op + 1) > 1)
		append_nop(c);
	for (unsigned i = 0; i < c->ninsns; i++) {
		struct diff_insn *in = &c->insns[i];
		if (!is_branch(in->form))
			continue;
		int short_bcc = (in->op & 0xf000) == 0x6000 && (uint8_t)(in->op + 1) > 1;
		unsigned pc = in->offset + 2, targets[DIFF_MAX_INSNS + 1], nt = 0;
		for (unsigned j = i + 1; j <= c->ninsns; j++) {
			unsigned t = j < c->ninsns ? c->insns[j].offset : c->code_len;
			if (!short_bcc || (t > pc && t - pc <= 127))
				targets[nt++] = t;
		}
		int32_t disp = (int32_t)targets[diff_rng_below(r, nt)] - (int32_t)pc;
		if (short_bcc)
			put16(c, in->offset, (in->op & 0xff00) | (uint8_t)disp);
		else if ((in->op & 0xf0ff) == 0x60ff) { /* .L */
			put16(c, pc, (uint32_t)disp >> 16);
			put16(c, pc + 2, (uint32_t)disp);
		} else /* .W, DBcc, JMP/JSR d16(PC) */
			put16(c, pc, (uint32_t)disp);
		in->op = word(c, in->offset);
		in->ext = in->len >= 4 ? word(c, pc) : 0;
	}
}

void diff_generate(struct diff_rng *r, enum diff_cpu cpu, unsigned max_insns, const char *only,
		   struct diff_case *c)
{
	memset(c, 0, sizeof *c);
	if (max_insns > DIFF_MAX_INSNS - 1) /* one place is for a closing NOP */
		max_insns = DIFF_MAX_INSNS - 1;
	if (max_insns == 0)
		max_insns = 1;

	for (int i = 0; i < 8; i++)
		c->d[i] = value(r);
	for (int i = 0; i < 4; i++)
		c->a[i] = data_pointer(r);
	for (int i = 4; i < 6; i++)
		c->a[i] = diff_rng_below(r, 2) ? value(r) : data_pointer(r);
	c->a[6] = diff_rng_below(r, 16);
	c->a[7] = DIFF_DATA_ADDR + STACK_TOP;
	c->ccr = (uint8_t)diff_rng_below(r, 32);
	for (unsigned i = 0; i < DIFF_DATA_SIZE; i += 4) {
		uint32_t v = i < 4 * POINTER_SLOTS ? data_pointer(r) : value(r);
		c->data[i] = (uint8_t)(v >> 24);
		c->data[i + 1] = (uint8_t)(v >> 16);
		c->data[i + 2] = (uint8_t)(v >> 8);
		c->data[i + 3] = (uint8_t)v;
	}

	struct accept_ctx actx = {r, only};
	struct insn_gen_rules rules = {
	    .accept = accept_row,
	    .ctx = &actx,
	    .dregs = 0xff,
	    .aregs = 0xff,
	    .write_aregs = 0x30,
	    .mem_aregs = 0x0f,
	    .stack_aregs = 0x80,
	    .movem_aregs = 0x30,
	    .index_reg = 8 + 6,
	    /* abs.w cannot reach the data area; PC-relative reads stay in
	     * the code before the instruction (pc_in_code) */
	    .modes = AM_ALL & ~AM_ABSW,
	    .disp_range = DISP,
	    .abs_base = DIFF_DATA_ADDR + BASE_LO - DISP,
	    .abs_len = BASE_HI - BASE_LO + 2 * DISP,
	    .ptr_base = DIFF_DATA_ADDR,
	    .ptr_count = POINTER_SLOTS,
	    .pc_in_code = 1,
	};
	enum cpu_model model = diff_cpu_model(cpu);
	unsigned n = 1 + diff_rng_below(r, max_insns), pos = 0;
	for (unsigned i = 0; i < n && pos + LONGEST + 2 <= DIFF_CODE_MAX; i++) {
		uint16_t w[16];
		const char *mn;
		unsigned len;
		rules.code_before = pos;
		for (unsigned tries = 0;; tries++) {
			len = cpu_insn_generate(model, &r->s, &rules, w, &mn, NULL);
			if (!len || tries == 10000)
				goto done; /* `only` named a row that cannot go here */
			uint16_t ext = len > 1 ? w[1] : 0;
			/* JMP and JSR only as forward jumps, d16(PC) */
			if ((is(mn, "JMP") || is(mn, "JSR")) && (w[0] & 0x3f) != 0x3a)
				continue;
			/* UNLK reads the frame its An points at: only first, where
			 * An is made a data pointer (qemu-user has its own mappings
			 * at other addresses, so a wild read could succeed there) */
			if (is(mn, "UNLK") && i > 0)
				continue;
			if (!diff_quirks_excluded(w[0], ext) &&
			    (i == 0 || !diff_quirks_must_be_alone(w[0], ext)))
				break;
		}
		struct diff_insn *in = &c->insns[c->ninsns++];
		*in = (struct diff_insn){pos, 2 * len, w[0], len > 1 ? w[1] : 0, mn};
		for (unsigned k = 0; k < len; k++)
			put16(c, pos + 2 * k, w[k]);
		pos += 2 * len;
		c->code_len = (uint16_t)pos;
		if (is(mn, "UNLK"))
			c->a[in->op & 7] = data_pointer(r);
		if (diff_quirks_must_be_alone(in->op, in->ext)) {
			/* Half the time give it decimal operands everywhere, so that
			 * most lone BCD instructions are defined and compared. */
			if (diff_rng_below(r, 2))
				for (unsigned j = 0; j < DIFF_DATA_SIZE + 8; j++) {
					uint8_t b = (uint8_t)(diff_rng_below(r, 10) << 4 |
							      diff_rng_below(r, 10));
					if (j < DIFF_DATA_SIZE)
						c->data[j] = b;
					else
						c->d[j - DIFF_DATA_SIZE] =
						    (c->d[j - DIFF_DATA_SIZE] & ~0xffu) | b;
				}
			break;
		}
		/* LINK and UNLK leave A7 wherever their operands say: nothing
		 * after them may use the stack */
		if (diff_quirks_must_end_sequence(in->op, in->ext) || is(mn, "LINK") ||
		    is(mn, "UNLK"))
			break;
	}
done:
	if (c->ninsns)
		aim_branches(r, c);
}
