/* guest/threaded.c: the fast run loop: direct-threaded dispatch (computed
 * goto) over the decoded-instruction cache of guest/dcache.c. Each
 * specialised handler knows its instruction's length, checks that the
 * instruction's bytes are still the ones it was decoded from, and leaves
 * anything unusual (an odd or page-straddling address, a word the cache
 * does not specialise) to the per-opcode handler table, with the same
 * protocol as the plain loop in guest/cpu.c.
 *
 * Restartability: a specialised handler makes every memory access before
 * it changes a register or a flag, so an abort in one leaves the state as it
 * was before the instruction; cpu_fast_abort tells the abort path in
 * guest/cpu.c what the plain loop would have known (IR, whether the fault
 * was an instruction fetch). */
#include "config.h"
#include "guest/dcache.h"
#include "guest/ops.h"

#define INLINE static inline __attribute__((always_inline))

/* ALU operations of the <ea>,Dn handlers */
enum { O_ADD, O_SUB, O_CMP, O_AND, O_OR, O_EOR, O_TST };
#define OPC_ADD O_ADD
#define OPC_SUB O_SUB
#define OPC_CMP O_CMP
#define OPC_AND O_AND
#define OPC_OR O_OR
#define OPC_EOR O_EOR
#define OPC_TST O_TST
#define OPC_ADDA 0
#define OPC_SUBA 1
#define OPC_CMPA 2
#define OPC_MOVEA 3
#define OPC_LEA 0
#define OPC_JSR 1
#define OPC_JMP 2

/* Extension bytes of a source operand of kind k and size sz. */
#define EXTB(k, sz)                                                                                \
	((k) == K_D16 || (k) == K_ABSW || (k) == K_PCD ? 2                                         \
	 : (k) == K_ABSL			       ? 4                                         \
	 : (k) == K_IMM				       ? ((sz) == 4 ? 4 : 2)                       \
						       : 0)
#define EXTBD(kd) ((kd) == KD_D16 || (kd) == KD_ABSW ? 2 : 0)

/* bytes (An)+ and -(An) move An by (A7 stays even); r indexes c->r */
#define STEP(sz, r) ((sz) == 1 && (r) == 8 + 7 ? 2u : (uint32_t)(sz))
#define SZMASK(sz) ((sz) == 1 ? 0xFFu : (sz) == 2 ? 0xFFFFu : 0xFFFFFFFFu)
#define SHIFT(sz) (32 - 8 * (sz))

/* An access the fast path leaves to the per-opcode handlers: a word or long
 * at an odd address on the 68000/010 (address error), or one crossing a
 * page (it may wrap, and a store must be probed first). */
#define SLOW(a, sz) ((sz) > 1 && ((((a)&odd) | ((((a)&0xFFFu) > 0x1000u - (sz)))) != 0))

INLINE uint32_t ld(unsigned sz, uint8_t *mem, uint32_t mask, uint32_t a)
{
	return sz == 1 ? gread8(mem, mask, a)
	       : sz == 2 ? gread16_inpage(mem, mask, a)
			 : gread32_inpage(mem, mask, a);
}
INLINE void st(unsigned sz, uint8_t *mem, uint32_t mask, uint32_t a, uint32_t v)
{
	if (sz == 1)
		gwrite8(mem, mask, a, v);
	else if (sz == 2)
		gwrite16_inpage(mem, mask, a, v);
	else
		gwrite32_inpage(mem, mask, a, v);
}

/* Address of a memory operand of kind k (r: An's index in c->r); *an gets An's value after the
 * instruction for (An)+ and -(An) (committed after the last access). */
INLINE uint32_t ea_of(int k, unsigned sz, const struct cpu *c, unsigned r, int32_t x, uint32_t pc,
		      uint32_t *an)
{
	switch (k) {
	case K_IND:
		return c->r[r];
	case K_POST:
		*an = c->r[r] + STEP(sz, r);
		return c->r[r];
	case K_PRE:
		*an = c->r[r] - STEP(sz, r);
		return *an;
	case K_D16:
		return c->r[r] + (uint32_t)x;
	case K_ABSW:
	case K_ABSL:
		return (uint32_t)x;
	case K_PCD:
		return pc + (uint32_t)x;
	default:
		return 0;
	}
}

/* N and Z of a result held in the top bits (shifted by SHIFT(sz)). */
INLINE unsigned nz(uint32_t r)
{
	return (unsigned)(r == 0) << 2 | (r >> 31) << 3;
}
#if defined(__x86_64__) || defined(__i386__)
/* x86's add and sub set carry, overflow, sign and zero exactly as the 68K
 * does on the same (top-aligned) operands: LAHF gives SF ZF CF in one
 * instruction, SETO the overflow, and a table turns them into X N Z C. */
static const uint8_t lahf_ccr[256] = {
#define LAHF1(b) (uint8_t)(((b)&1) * 0x11 | (((b) >> 6) & 1) << 2 | (((b) >> 7) & 1) << 3)
#define LAHF4(b) LAHF1(b), LAHF1(b + 1), LAHF1(b + 2), LAHF1(b + 3)
#define LAHF16(b) LAHF4(b), LAHF4(b + 4), LAHF4(b + 8), LAHF4(b + 12)
#define LAHF64(b) LAHF16(b), LAHF16(b + 16), LAHF16(b + 32), LAHF16(b + 48)
    LAHF64(0), LAHF64(64), LAHF64(128), LAHF64(192)};
/* d + s (or d - s) with the 68K's X N Z V C in *f */
INLINE uint32_t add_ccr(uint32_t d, uint32_t s, unsigned *f)
{
	uint32_t ax;
	uint8_t of;
	__asm__("addl %[s], %[d]\n\tlahf\n\tseto %[of]"
		: [d] "+r"(d), "=a"(ax), [of] "=q"(of)
		: [s] "r"(s)
		: "cc");
	*f = lahf_ccr[(ax >> 8) & 0xFF] | (unsigned)of << 1;
	return d;
}
INLINE uint32_t sub_ccr(uint32_t d, uint32_t s, unsigned *f)
{
	uint32_t ax;
	uint8_t of;
	__asm__("subl %[s], %[d]\n\tlahf\n\tseto %[of]"
		: [d] "+r"(d), "=a"(ax), [of] "=q"(of)
		: [s] "r"(s)
		: "cc");
	*f = lahf_ccr[(ax >> 8) & 0xFF] | (unsigned)of << 1;
	return d;
}
#else
INLINE uint32_t add_ccr(uint32_t d, uint32_t s, unsigned *f)
{
	uint32_t r = d + s;
	unsigned cy = r < s;
	*f = cy | cy << 4 | (((s ^ r) & (d ^ r)) >> 31) << 1 | nz(r);
	return r;
}
INLINE uint32_t sub_ccr(uint32_t d, uint32_t s, unsigned *f)
{
	uint32_t r = d - s;
	unsigned cy = s > d;
	*f = cy | cy << 4 | (((s ^ d) & (r ^ d)) >> 31) << 1 | nz(r);
	return r;
}
#endif

/* OP s,Dn of size sz; *ccr becomes the flags the per-opcode handlers set
 * (the caller stores them into SR). */
INLINE void alu_dn(int op, unsigned sz, struct cpu *c, unsigned rd, uint32_t s, unsigned *ccr)
{
	const unsigned sh = SHIFT(sz);
	uint32_t d = c->d[rd], S = s << sh, D = d << sh, R;
	switch (op) {
	case O_ADD:
		R = add_ccr(D, S, ccr);
		break;
	case O_SUB:
		R = sub_ccr(D, S, ccr);
		break;
	case O_CMP: {
		unsigned f;
		(void)sub_ccr(D, S, &f);
		*ccr = (*ccr & SR_X) | (f & 0xF);
		return;
	}
	case O_TST:
		*ccr = (*ccr & SR_X) | nz(S);
		return;
	default:
		R = op == O_AND ? D & S : op == O_OR ? D | S : D ^ S;
		*ccr = (*ccr & SR_X) | nz(R);
		break;
	}
	c->d[rd] = sz == 4 ? R : (d & ~SZMASK(sz)) | (R >> sh);
}

#define FAST_RUN fast_run_odd
#define FAST_ODD 1u
#define FAST_CAREFUL 0
#define FAST_IN 2
#include "guest/threaded_loop.h"
#undef FAST_RUN
#undef FAST_ODD
#define FAST_RUN fast_run_even
#define FAST_ODD 0u
#include "guest/threaded_loop.h"
#undef FAST_CAREFUL
#undef FAST_IN
#define FAST_CAREFUL 1
#define FAST_IN 1
#undef FAST_RUN
#undef FAST_ODD
#define FAST_RUN fast_run_odd_careful
#define FAST_ODD 1u
#include "guest/threaded_loop.h"
#undef FAST_RUN
#undef FAST_ODD
#define FAST_RUN fast_run_even_careful
#define FAST_ODD 0u
#include "guest/threaded_loop.h"

uint64_t cpu_fast_run(struct cpu *c)
{
	if (c->max_run - c->icount > DC_RUN_MAX)
		return c->odd_check ? fast_run_odd(c) : fast_run_even(c);
	return c->odd_check ? fast_run_odd_careful(c) : fast_run_even_careful(c);
}

void cpu_fast_abort(struct cpu *c)
{
	struct dentry *e = dcache_peek(c, c->insn_pc);
	int special = e && dcache_specialised(c, e);
	if (c->in_fast == 2) {
		/* the count is in memory as of the last checkpoint (c->cp_pc):
		 * add the straight-line instructions run since (all decoded,
		 * none taking a branch) */
		uint32_t pc = c->cp_pc;
		for (unsigned n = 0; pc != c->insn_pc && n < DC_RUN_MAX; n++) {
			struct dentry *w = dcache_peek(c, pc);
			if (!w || !dcache_specialised(c, w))
				break; /* cannot happen: see the checkpoints in threaded_loop.h */
			pc += w->len;
			c->icount++;
		}
	}
	if (c->abort_kind == ABORT_FAULT) {
		uint32_t off = c->fault.addr - c->insn_pc;
		/* a specialised handler reads the instruction's words once, up
		 * front; the other states read nothing but instruction words */
		c->fault_fetch = !c->fault.write && (!special || off < e->len);
		if (special)
			c->ir = c->fault_fetch && off < 2 ? 0 : e->op;
	}
	c->insn_sr = c->sr;
	c->nundo = 0;
	c->in_fast = 0;
}
