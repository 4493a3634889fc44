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

/* the label table, kept for cpu_fast_abort */
static const void *const *fast_labels;

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

/* bytes (An)+ and -(An) move An by (A7 stays even) */
#define STEP(sz, r) ((sz) == 1 && (r) == 7 ? 2u : (uint32_t)(sz))
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

/* Address of a memory operand of kind k; *an gets An's value after the
 * instruction for (An)+ and -(An) (committed after the last access). */
INLINE uint32_t ea_of(int k, unsigned sz, const struct cpu *c, unsigned r, int32_t x, uint32_t pc,
		      uint32_t *an)
{
	switch (k) {
	case K_IND:
		return c->a[r];
	case K_POST:
		*an = c->a[r] + STEP(sz, r);
		return c->a[r];
	case K_PRE:
		*an = c->a[r] - STEP(sz, r);
		return *an;
	case K_D16:
		return c->a[r] + (uint32_t)x;
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

/* Runs decoded instructions from c->pc until the budget (c->max_run) is
 * spent, an event is posted, or the CPU needs the plain loop (trace,
 * interrupt, STOP, odd PC); returns how many it ran (0: none, run one in
 * the plain loop). Caller: run_loop in guest/cpu.c, inside its sigsetjmp. */
uint64_t cpu_fast_run(struct cpu *c)
{
#define LBL_MOVE(SZ, S, D) &&L_MOVE_##SZ##_##S##_##D,
#define LBL3(OP, SZ, S) &&L_##OP##_##SZ##_##S,
#define LBL2(OP, SZ) &&L_##OP##_##SZ,
#define LBLI(OP, SZ) &&L_##OP##I_##SZ,
#define LBLQ(OP, SZ) &&L_##OP##Q_##SZ,
	static const void *const labels[H_COUNT] = {
	    &&L_DECODE, &&L_LOOKUP, &&L_GENERIC, &&L_MOVEQ, &&L_BSR, &&L_BSRW, &&L_RTS,
	    &&L_NOP,    &&L_ADDQA,  &&L_SUBQA,   &&L_CLR_1, &&L_CLR_2, &&L_CLR_4,
	    DC_MOVES(LBL_MOVE) DC_ALUS(LBL3) DC_ALUAS(LBL3) DC_IMMS(LBLI) DC_QUICKS(LBLQ)
		DC_CTLS(LBL3) DC_CONDS(LBL2, BCC) DC_CONDS(LBL2, BCCW) DC_CONDS(LBL2, DBCC)};
	fast_labels = labels;

	uint8_t *const mem = c->mem;
	const uint32_t mask = c->addr_mask, odd = (uint32_t)c->odd_check;
	const uint64_t limit = c->max_run, start = c->icount;
	uint64_t icount = start;
	op_fn *const table = op_table[c->model];
	uint32_t pc = c->pc;
	/* SR's system byte does not change in here, and the flags live in a
	 * register (kept stored in c->sr for the abort path and the per-opcode
	 * handlers, but never loaded back: no store-to-load chain) */
	uint32_t srhi = c->sr & 0xFF00u;
	unsigned ccr = c->sr & 0x1Fu;
	struct dentry *e;
	if (pc & 1)
		return 0;
	struct dpage **const dir = dcache_prepare(c, labels);
	if (!dir || !(e = dcache_entry(c, pc)))
		return 0;
	c->in_fast = 1;

/* the entry of pc: its page is usually there already */
#define ENTRY_AT(p)                                                                                \
	({                                                                                         \
		struct dpage *pg_ = dir[((p)&mask) >> 12];                                         \
		pg_ ? &pg_->e[((p)&0xFFFu) >> 1] : dcache_entry(c, (p));                           \
	})
#define DISPATCH()                                                                                 \
	do {                                                                                       \
		if (__builtin_expect(icount >= limit, 0))                                          \
			goto out;                                                                  \
		c->insn_pc = pc;                                                                   \
		goto *e->h;                                                                        \
	} while (0)
#define SETCCR(f)                                                                                  \
	do {                                                                                       \
		ccr = (f);                                                                         \
		c->sr = (uint16_t)(srhi | ccr);                                                    \
	} while (0)
/* one instruction done: the count is in memory for the abort path */
#define DONE()                                                                                     \
	do {                                                                                       \
		icount++;                                                                          \
		c->icount = icount;                                                                \
	} while (0)
#define NEXT(len)                                                                                  \
	do {                                                                                       \
		pc += (len);                                                                       \
		e += (len) / 2;                                                                    \
		DONE();                                                                            \
		DISPATCH();                                                                        \
	} while (0)
/* a taken transfer: the place to look at posted events and stop requests */
#define ATTENTION() (c->events | c->stop_request)
#define JUMP(target)                                                                               \
	do {                                                                                       \
		pc = (target);                                                                     \
		DONE();                                                                            \
		if (__builtin_expect(ATTENTION() != 0, 0))                                         \
			goto out;                                                                  \
		if (!(e = ENTRY_AT(pc)))                                                           \
			goto out;                                                                  \
		DISPATCH();                                                                        \
	} while (0)
#define BRANCH()                                                                                   \
	do {                                                                                       \
		pc += (uint32_t)e->imm2;                                                           \
		DONE();                                                                            \
		if (__builtin_expect(ATTENTION() != 0, 0))                                         \
			goto out;                                                                  \
		if (e->tsame)                                                                      \
			e += e->tdelta;                                                            \
		else if (!(e = ENTRY_AT(pc)))                                                      \
			goto out;                                                                  \
		DISPATCH();                                                                        \
	} while (0)
#ifdef GUEST_FAST_NO_VERIFY
/* benchmark only: what the check on the instruction's bytes costs */
#define VERIFY(len) GUEST_TEST_HOOK(pc, 0)
#else
#define VERIFY(len)                                                                                \
	do {                                                                                       \
		if (__builtin_expect(gbytes(mem, mask, pc, (len)) != e->raw, 0))                   \
			goto L_DECODE;                                                             \
		GUEST_TEST_HOOK(pc, 0);                                                            \
	} while (0)
#endif
/* v = the source operand (kind k, size sz, zero-extended); su/sa: An update */
#define FETCH_SRC(k, sz, r, x, v, su, sa)                                                          \
	do {                                                                                       \
		if ((k) == K_DN)                                                                   \
			v = c->d[r] & SZMASK(sz);                                                  \
		else if ((k) == K_AN)                                                              \
			v = c->a[r] & SZMASK(sz);                                                  \
		else if ((k) == K_IMM)                                                             \
			v = (uint32_t)(x);                                                         \
		else {                                                                             \
			uint32_t a_ = ea_of((k), (sz), c, (r), (x), pc, &(sa));                    \
			if (SLOW(a_, (sz)))                                                        \
				goto punt;                                                         \
			v = ld((sz), mem, mask, a_);                                               \
			su = (k) == K_POST || (k) == K_PRE;                                        \
		}                                                                                  \
	} while (0)

	DISPATCH();

L_DECODE: {
	struct dentry n;
	e->h = labels[H_DECODE]; /* until it is complete (an abort may come first) */
	c->ir = 0;
	enum dc_handler h = dcache_predecode(c, pc, &n);
	n.h = labels[h];
	*e = n;
	goto *e->h;
}
L_LOOKUP:
	if (!(e = ENTRY_AT(pc)))
		goto out;
	goto *e->h;
L_GENERIC:
	c->ir = 0;
	if (gbytes(mem, mask, pc, 2) != e->raw) /* another word now: maybe one to specialise */
		goto L_DECODE;
	goto punt;

/* The instruction through the per-opcode handler table, exactly as the
 * plain loop runs it; then back to the decoded entries if nothing needs
 * the plain loop. */
punt: {
	c->in_fast = 0;
	c->insn_sr = c->sr;
	c->nundo = 0;
	c->ae_adj = 0;
	c->ir = 0;
	c->pc = pc;
	uint16_t op = (uint16_t)fetch16(c);
	c->ir = op;
	table[op](c, op);
	c->nundo = 0;
	c->in_fast = 1;
	pc = c->pc;
	srhi = c->sr & 0xFF00u;
	ccr = c->sr & 0x1Fu;
	DONE();
	if (!cpu_fast_eligible(c) || (pc & 1))
		goto out;
	if (!(e = ENTRY_AT(pc)))
		goto out;
	DISPATCH();
}

	/* ---- MOVE ---- */
#define H_MOVE_BODY(SZ, S, D)                                                                      \
	L_MOVE_##SZ##_##S##_##D : {                                                                \
		enum { LEN = 2 + EXTB(K_##S, SZ) + EXTBD(KD_##D) };          \
		const int K = K_##S, KD = KD_##D;                \
		VERIFY(LEN);                                                                       \
		uint32_t v, sa = 0, da = 0;                                                        \
		int su = 0;                                                                        \
		unsigned rs = e->rs, rd = e->rd;                                                   \
		FETCH_SRC(K, SZ, rs, e->imm, v, su, sa);                                           \
		if (KD == KD_DN) {                                                                 \
			c->d[rd] = SZ == 4 ? v : (c->d[rd] & ~SZMASK(SZ)) | v;                     \
		} else {                                                                           \
			uint32_t a = KD == KD_IND || KD == KD_POST ? c->a[rd]                      \
				     : KD == KD_PRE		? (da = c->a[rd] - STEP(SZ, rd))   \
				     : KD == KD_D16		? c->a[rd] + (uint32_t)e->imm2     \
							: (uint32_t)e->imm2;               \
			if (SLOW(a, SZ))                                                           \
				goto punt;                                                         \
			st(SZ, mem, mask, a, v);                                                   \
			if (KD == KD_POST)                                                         \
				c->a[rd] = a + STEP(SZ, rd);                                       \
			else if (KD == KD_PRE)                                                     \
				c->a[rd] = da;                                                     \
		}                                                                                  \
		if (su)                                                                            \
			c->a[rs] = sa;                                                             \
		SETCCR((ccr & SR_X) | nz(v << SHIFT(SZ)));                         \
		NEXT(LEN);                                                                         \
	}
	DC_MOVES(H_MOVE_BODY)

	/* ---- <ea>,Dn: ADD SUB CMP AND OR, and TST <ea> ---- */
#define H_ALU_BODY(OP, SZ, S)                                                                      \
	L_##OP##_##SZ##_##S : {                                                                    \
		enum { LEN = 2 + EXTB(K_##S, SZ) };                             \
		const int K = K_##S;                                         \
		VERIFY(LEN);                                                                       \
		uint32_t v, sa = 0;                                                                \
		int su = 0;                                                                        \
		unsigned rs = e->rs;                                                               \
		FETCH_SRC(K, SZ, rs, e->imm, v, su, sa);                                           \
		if (su)                                                                            \
			c->a[rs] = sa;                                                             \
		alu_dn(OPC_##OP, SZ, c, e->rd, v, &ccr);                                           \
		c->sr = (uint16_t)(srhi | ccr);                                                 \
		NEXT(LEN);                                                                         \
	}
	DC_ALUS(H_ALU_BODY)

	/* ---- <ea>,An: ADDA SUBA CMPA MOVEA ---- */
#define H_ALUA_BODY(OP, SZ, S)                                                                     \
	L_##OP##_##SZ##_##S : {                                                                    \
		enum { LEN = 2 + EXTB(K_##S, SZ) };                             \
		const int K = K_##S;                                         \
		VERIFY(LEN);                                                                       \
		uint32_t v, sa = 0;                                                                \
		int su = 0;                                                                        \
		unsigned rs = e->rs, rd = e->rd;                                                   \
		FETCH_SRC(K, SZ, rs, e->imm, v, su, sa);                                           \
		if (su)                                                                            \
			c->a[rs] = sa; /* before An is read: ADDA (A0)+,A0 adds to the new A0 */   \
		if (SZ == 2)                                                                       \
			v = (uint32_t)(int16_t)v;                                                  \
		if (OPC_##OP == OPC_ADDA)                                                          \
			c->a[rd] += v;                                                             \
		else if (OPC_##OP == OPC_SUBA)                                                     \
			c->a[rd] -= v;                                                             \
		else if (OPC_##OP == OPC_MOVEA)                                                    \
			c->a[rd] = v;                                                              \
		else {                                                                             \
			unsigned f_;                                                               \
			(void)sub_ccr(c->a[rd], v, &f_);                                           \
			SETCCR((ccr & SR_X) | (f_ & 0xF));                                         \
		}                                                                                  \
		NEXT(LEN);                                                                         \
	}
	DC_ALUAS(H_ALUA_BODY)

	/* ---- #imm,Dn and #q,Dn ---- */
#define H_IMM_BODY(OP, SZ)                                                                         \
	L_##OP##I_##SZ : {                                                                         \
		enum { LEN = 2 + EXTB(K_IMM, SZ) };                                                \
		VERIFY(LEN);                                                                       \
		alu_dn(OPC_##OP, SZ, c, e->rd, (uint32_t)e->imm, &ccr);                            \
		c->sr = (uint16_t)(srhi | ccr);                                  \
		NEXT(LEN);                                                                         \
	}
	DC_IMMS(H_IMM_BODY)
#define H_QUICK_BODY(OP, SZ)                                                                       \
	L_##OP##Q_##SZ : {                                                                         \
		VERIFY(2);                                                                         \
		alu_dn(OPC_##OP, SZ, c, e->rd, (uint32_t)e->imm, &ccr);                            \
		c->sr = (uint16_t)(srhi | ccr);                                  \
		NEXT(2);                                                                           \
	}
	DC_QUICKS(H_QUICK_BODY)
L_ADDQA:
	VERIFY(2);
	c->a[e->rd] += (uint32_t)e->imm;
	NEXT(2);
L_SUBQA:
	VERIFY(2);
	c->a[e->rd] -= (uint32_t)e->imm;
	NEXT(2);
#define H_CLR_BODY(SZ)                                                                             \
	L_CLR_##SZ : VERIFY(2);                                                                    \
	c->d[e->rd] &= ~SZMASK(SZ);                                                                \
	SETCCR((ccr & SR_X) | SR_Z);                                               \
	NEXT(2);
	H_CLR_BODY(1)
	H_CLR_BODY(2)
	H_CLR_BODY(4)
L_MOVEQ:
	VERIFY(2);
	c->d[e->rd] = (uint32_t)e->imm;
	SETCCR((ccr & SR_X) | nz((uint32_t)e->imm));
	NEXT(2);
L_NOP:
	VERIFY(2);
	NEXT(2);

	/* ---- LEA, JSR, JMP ---- */
#define H_CTL_BODY(OP, SZ, S)                                                                      \
	L_##OP##_##SZ##_##S : {                                                                    \
		enum { LEN = 2 + EXTB(K_##S, 4) };                              \
		const int K = K_##S;                                          \
		VERIFY(LEN);                                                                       \
		uint32_t unused_;                                                                  \
		uint32_t a = ea_of(K, 4, c, e->rs, e->imm, pc, &unused_);                          \
		(void)unused_;                                                                     \
		if (OPC_##OP == OPC_LEA) {                                                         \
			c->a[e->rd] = a;                                                           \
			NEXT(LEN);                                                                 \
		}                                                                                  \
		if (a & 1)                                                                         \
			goto punt; /* address error */                                             \
		if (OPC_##OP == OPC_JSR) {                                                         \
			uint32_t sp = c->a[7] - 4;                                                 \
			if (SLOW(sp, 4))                                                           \
				goto punt;                                                         \
			gwrite32_inpage(mem, mask, sp, pc + LEN);                                  \
			c->a[7] = sp;                                                              \
		}                                                                                  \
		JUMP(a);                                                                           \
	}
	DC_CTLS(H_CTL_BODY)

	/* ---- branches ---- */
#define H_BCC_BODY(OP, CC)                                                                         \
	L_BCC_##CC : VERIFY(2);                                                                    \
	if (cond_flags(ccr, CC))                                                                      \
		BRANCH();                                                                          \
	NEXT(2);                                                                                   \
	L_BCCW_##CC : VERIFY(4);                                                                   \
	if (cond_flags(ccr, CC))                                                                      \
		BRANCH();                                                                          \
	NEXT(4);
	DC_CONDS(H_BCC_BODY, 0)
#define H_DBCC_BODY(OP, CC)                                                                        \
	L_DBCC_##CC : {                                                                            \
		VERIFY(4);                                                                         \
		if (cond_flags(ccr, CC))                                                              \
			NEXT(4);                                                                   \
		uint32_t *dn = &c->d[e->rs], v = (*dn - 1) & 0xFFFF;                               \
		*dn = (*dn & 0xFFFF0000u) | v;                                                     \
		if (v != 0xFFFF)                                                                   \
			BRANCH();                                                                  \
		NEXT(4);                                                                           \
	}
	DC_CONDS(H_DBCC_BODY, 0)
#define H_BSR_BODY(NAME, LEN)                                                                      \
	NAME : {                                                                                   \
		VERIFY(LEN);                                                                       \
		uint32_t sp = c->a[7] - 4;                                                         \
		if (SLOW(sp, 4))                                                                   \
			goto punt;                                                                 \
		gwrite32_inpage(mem, mask, sp, pc + LEN);                                          \
		c->a[7] = sp;                                                                      \
		BRANCH();                                                                          \
	}
	H_BSR_BODY(L_BSR, 2)
	H_BSR_BODY(L_BSRW, 4)
L_RTS: {
	VERIFY(2);
	uint32_t sp = c->a[7];
	if (SLOW(sp, 4))
		goto punt;
	uint32_t to = gread32_inpage(mem, mask, sp);
	if (to & 1)
		goto punt; /* address error */
	c->a[7] = sp + 4;
	JUMP(to);
}

out:
	c->pc = pc;
	c->icount = icount;
	c->in_fast = 0;
	return icount - start;
}

void cpu_fast_abort(struct cpu *c)
{
	struct dentry *e = dcache_peek(c, c->insn_pc);
	int special = e && fast_labels && e->h != fast_labels[H_DECODE] &&
		      e->h != fast_labels[H_GENERIC] && e->h != fast_labels[H_LOOKUP];
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
