/* guest/threaded_loop.h: the body of the fast run loop, included twice by
 * guest/threaded.c: FAST_RUN is the function's name and FAST_ODD (1 on the
 * 68000/010, 0 on the 020+) whether word and long accesses at odd
 * addresses are address errors, a constant so that each model's handlers
 * test only what they must; FAST_CAREFUL (1 when the budget is near its
 * end) whether the budget is checked at every instruction or only at
 * checkpoints. FAST_IN is what c->in_fast holds meanwhile. Each inclusion has its own labels, so a model's
 * decoded entries always belong to one of them. */

/* Runs decoded instructions from c->pc until the budget (c->max_run) is
 * spent, an event is posted, or the CPU needs the plain loop (trace,
 * interrupt, STOP, odd PC); returns how many it ran (0: none, run one in
 * the plain loop). Caller: run_loop in guest/cpu.c, inside its sigsetjmp. */
static uint64_t FAST_RUN(struct cpu *c)
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

	uint8_t *const mem = c->mem;
	const uint32_t mask = c->addr_mask, odd = FAST_ODD;
	const uint64_t limit = c->max_run, start = c->icount;
	/* (the free loops run only while limit - icount > DC_RUN_MAX) */
	const uint64_t limit_cp = limit - DC_RUN_MAX;
	(void)limit_cp;
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
	struct dpage **const dir = dcache_prepare(c, labels, FAST_CAREFUL);
	if (!dir || !(e = dcache_entry(c, pc)))
		return 0;
	c->in_fast = FAST_IN;
	c->cp_pc = pc;

/* the entry of pc: its page is usually there already */
#define ENTRY_AT(p)                                                                                \
	({                                                                                         \
		struct dpage *pg_ = dir[((p)&mask) >> 12];                                         \
		pg_ ? &pg_->e[((p)&0xFFFu) >> 1] : dcache_entry(c, (p));                           \
	})
#define SETCCR(f)                                                                                  \
	do {                                                                                       \
		ccr = (f);                                                                         \
		c->sr = (uint16_t)(srhi | ccr);                                                    \
	} while (0)
#if FAST_CAREFUL
/* the budget is near: counted and checked at every instruction, the count
 * kept in memory for the abort path */
#define DISPATCH()                                                                                 \
	do {                                                                                       \
		if (__builtin_expect(icount >= limit, 0))                                          \
			goto out;                                                                  \
		c->insn_pc = pc;                                                                   \
		goto *e->h;                                                                        \
	} while (0)
#define DONE()                                                                                     \
	do {                                                                                       \
		icount++;                                                                          \
		c->icount = icount;                                                                \
	} while (0)
#define CHECKPOINT()                                                                               \
	do {                                                                                       \
	} while (0)
#else
/* the budget is far: between two checkpoints (a taken transfer, a page
 * crossing, a per-opcode instruction) execution is straight-line inside
 * one page, so fewer than DC_RUN_MAX instructions; the count goes to
 * memory at checkpoints only, and cpu_fast_abort recounts from the last
 * one (c->cp_pc) */
#define DISPATCH()                                                                                 \
	do {                                                                                       \
		c->insn_pc = pc;                                                                   \
		goto *e->h;                                                                        \
	} while (0)
#define DONE()                                                                                     \
	do {                                                                                       \
		icount++;                                                                          \
	} while (0)
#define CHECKPOINT()                                                                               \
	do {                                                                                       \
		c->icount = icount;                                                                \
		c->cp_pc = pc;                                                                     \
		if (__builtin_expect(icount >= limit_cp, 0))                             \
			goto out;                                                                  \
	} while (0)
#endif
#define NEXT(len)                                                                                  \
	do {                                                                                       \
		pc += (len);                                                                       \
		e += (len) / 2;                                                                    \
		DONE();                                                                            \
		DISPATCH();                                                                        \
	} while (0)
/* a taken transfer: the place to look at posted events and stop requests */
#define ATTENTION() (c->attention)
#define JUMP(target)                                                                               \
	do {                                                                                       \
		pc = (target);                                                                     \
		DONE();                                                                            \
		CHECKPOINT();                                                                      \
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
		CHECKPOINT();                                                                      \
		if (__builtin_expect(ATTENTION() != 0, 0))                                         \
			goto out;                                                                  \
		if (e->target)                                                                     \
			e = e->target;                                                             \
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
#define FETCH_SRC(k, sz, rn, x, v, su, sa)                                                          \
	do {                                                                                       \
		if ((k) == K_DN)                                                                   \
			v = c->r[rn] & SZMASK(sz);                                                  \
		else if ((k) == K_AN)                                                              \
			v = c->r[rn] & SZMASK(sz);                                                  \
		else if ((k) == K_IMM)                                                             \
			v = (uint32_t)(x);                                                         \
		else {                                                                             \
			uint32_t a_ = ea_of((k), (sz), c, (rn), (x), pc, &(sa));                    \
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
	n.target = n.tsame ? e + n.tdelta : NULL;
	*e = n;
	goto *e->h;
}
L_LOOKUP:
	CHECKPOINT();
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
	c->icount = icount; /* the plain loop's abort path counts from here */
	c->insn_sr = c->sr;
	c->nundo = 0;
	c->ae_adj = 0;
	c->ir = 0;
	c->pc = pc;
	uint16_t op = (uint16_t)fetch16(c);
	c->ir = op;
	table[op](c, op);
	c->nundo = 0;
	c->in_fast = FAST_IN;
	pc = c->pc;
	srhi = c->sr & 0xFF00u;
	ccr = c->sr & 0x1Fu;
	DONE();
	CHECKPOINT();
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
			c->r[rd] = SZ == 4 ? v : (c->r[rd] & ~SZMASK(SZ)) | v;                     \
		} else {                                                                           \
			uint32_t a = KD == KD_IND || KD == KD_POST ? c->r[rd]                      \
				     : KD == KD_PRE		? (da = c->r[rd] - STEP(SZ, rd))   \
				     : KD == KD_D16		? c->r[rd] + (uint32_t)e->imm2     \
							: (uint32_t)e->imm2;               \
			if (SLOW(a, SZ))                                                           \
				goto punt;                                                         \
			st(SZ, mem, mask, a, v);                                                   \
			if (KD == KD_POST)                                                         \
				c->r[rd] = a + STEP(SZ, rd);                                       \
			else if (KD == KD_PRE)                                                     \
				c->r[rd] = da;                                                     \
		}                                                                                  \
		if (su)                                                                            \
			c->r[rs] = sa;                                                             \
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
			c->r[rs] = sa;                                                             \
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
			c->r[rs] = sa; /* before An is read: ADDA (A0)+,A0 adds to the new A0 */   \
		if (SZ == 2)                                                                       \
			v = (uint32_t)(int16_t)v;                                                  \
		if (OPC_##OP == OPC_ADDA)                                                          \
			c->r[rd] += v;                                                             \
		else if (OPC_##OP == OPC_SUBA)                                                     \
			c->r[rd] -= v;                                                             \
		else if (OPC_##OP == OPC_MOVEA)                                                    \
			c->r[rd] = v;                                                              \
		else {                                                                             \
			unsigned f_;                                                               \
			(void)sub_ccr(c->r[rd], v, &f_);                                           \
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
	c->r[e->rd] += (uint32_t)e->imm;
	NEXT(2);
L_SUBQA:
	VERIFY(2);
	c->r[e->rd] -= (uint32_t)e->imm;
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
			c->r[e->rd] = a;                                                           \
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
#undef DISPATCH
#undef DONE
#undef CHECKPOINT
