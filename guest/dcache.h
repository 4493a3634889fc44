/* guest/dcache.h: the decoded-instruction cache shared by guest/dcache.c
 * (pages of decoded entries, the predecoder) and guest/threaded.c (the
 * direct-threaded run loop). Internal to guest/. */
#ifndef VM68K_GUEST_DCACHE_H
#define VM68K_GUEST_DCACHE_H

#include <stdint.h>
#include "guest/cpu_internal.h"

/* Operand kinds of the specialised handlers (K_ values are also indexes
 * into the handler groups below, in this order). */
enum { K_DN, K_AN, K_IND, K_POST, K_PRE, K_D16, K_ABSW, K_ABSL, K_PCD, K_IMM, K_COUNT };
/* Destination kinds of MOVE, in handler-group order. */
enum { KD_DN, KD_IND, KD_POST, KD_PRE, KD_D16, KD_ABSW, KD_COUNT };

/* Handler groups, expanded by both the id enum and threaded.c's label table
 * (same order). M is applied to each member. */
#define DC_SRC(M, A, B)                                                                            \
	M(A, B, DN) M(A, B, AN) M(A, B, IND) M(A, B, POST) M(A, B, PRE) M(A, B, D16) M(A, B, ABSW) \
	    M(A, B, ABSL) M(A, B, PCD) M(A, B, IMM)
#define DC_MOVE_D(M, SZ, S)                                                                        \
	M(SZ, S, DN) M(SZ, S, IND) M(SZ, S, POST) M(SZ, S, PRE) M(SZ, S, D16) M(SZ, S, ABSW)
#define DC_MOVE_S(M, SZ)                                                                           \
	DC_MOVE_D(M, SZ, DN)                                                                       \
	DC_MOVE_D(M, SZ, AN)                                                                       \
	DC_MOVE_D(M, SZ, IND)                                                                      \
	DC_MOVE_D(M, SZ, POST)                                                                     \
	DC_MOVE_D(M, SZ, PRE)                                                                      \
	DC_MOVE_D(M, SZ, D16)                                                                      \
	DC_MOVE_D(M, SZ, ABSW)                                                                     \
	DC_MOVE_D(M, SZ, ABSL) DC_MOVE_D(M, SZ, PCD) DC_MOVE_D(M, SZ, IMM)
#define DC_MOVES(M) DC_MOVE_S(M, 1) DC_MOVE_S(M, 2) DC_MOVE_S(M, 4)
/* <ea>,Dn arithmetic and logic, TST <ea>: operation x size x source kind */
#define DC_ALU_SZ(M, OP) DC_SRC(M, OP, 1) DC_SRC(M, OP, 2) DC_SRC(M, OP, 4)
#define DC_ALUS(M)                                                                                 \
	DC_ALU_SZ(M, ADD) DC_ALU_SZ(M, SUB) DC_ALU_SZ(M, CMP) DC_ALU_SZ(M, AND) DC_ALU_SZ(M, OR)  \
	    DC_ALU_SZ(M, TST)
/* <ea>,An: ADDA SUBA CMPA MOVEA, word and long */
#define DC_ALUA_SZ(M, OP) DC_SRC(M, OP, 2) DC_SRC(M, OP, 4)
#define DC_ALUAS(M) DC_ALUA_SZ(M, ADDA) DC_ALUA_SZ(M, SUBA) DC_ALUA_SZ(M, CMPA) DC_ALUA_SZ(M, MOVEA)
/* #imm,Dn and #q,Dn: operation x size */
#define DC_IMM_OP(M, OP) M(OP, 1) M(OP, 2) M(OP, 4)
#define DC_IMMS(M)                                                                                 \
	DC_IMM_OP(M, ADD) DC_IMM_OP(M, SUB) DC_IMM_OP(M, CMP) DC_IMM_OP(M, AND) DC_IMM_OP(M, OR)  \
	    DC_IMM_OP(M, EOR)
#define DC_QUICKS(M) DC_IMM_OP(M, ADD) DC_IMM_OP(M, SUB)
/* control addressing: LEA, JSR, JMP (every source kind is expanded; only
 * IND, D16, ABSW, ABSL and PCD are ever chosen) */
#define DC_CTLS(M) DC_SRC(M, LEA, 0) DC_SRC(M, JSR, 0) DC_SRC(M, JMP, 0)
#define DC_CONDS(M, OP)                                                                            \
	M(OP, 0) M(OP, 1) M(OP, 2) M(OP, 3) M(OP, 4) M(OP, 5) M(OP, 6) M(OP, 7) M(OP, 8) M(OP, 9)  \
	    M(OP, 10) M(OP, 11) M(OP, 12) M(OP, 13) M(OP, 14) M(OP, 15)

#define DC_ID_MOVE(SZ, S, D) H_MOVE_##SZ##_##S##_##D,
#define DC_ID3(OP, SZ, S) H_##OP##_##SZ##_##S,
#define DC_ID2(OP, SZ) H_##OP##_##SZ,
#define DC_IDI(OP, SZ) H_##OP##I_##SZ,
#define DC_IDQ(OP, SZ) H_##OP##Q_##SZ,
enum dc_handler {
	H_DECODE,  /* not decoded yet (or its words changed): decode, then run */
	H_LOOKUP,  /* past the end of a page: find the entry for pc */
	H_GENERIC, /* run through the per-opcode handler table */
	H_MOVEQ,
	H_BSR,  /* BSR.S */
	H_BSRW, /* BSR.W */
	H_RTS,
	H_NOP,
	H_ADDQA,
	H_SUBQA,
	H_CLR_1,
	H_CLR_2,
	H_CLR_4,
	DC_MOVES(DC_ID_MOVE) DC_ALUS(DC_ID3) DC_ALUAS(DC_ID3) DC_IMMS(DC_IDI) DC_QUICKS(DC_IDQ)
	    DC_CTLS(DC_ID3) DC_CONDS(DC_ID2, BCC) DC_CONDS(DC_ID2, BCCW) DC_CONDS(DC_ID2, DBCC) H_COUNT
};

/* One decoded instruction. Entries sit in an array per 4 KiB page, one per
 * halfword, so the next instruction's entry is len/2 entries on and a
 * branch inside the page is a fixed distance away. */
struct dentry {
	const void *h;	/* handler (a label in threaded.c) */
	uint64_t raw;	/* the instruction's bytes as they were decoded (len <= 8) */
	int32_t imm;	/* source extension: immediate, displacement, address */
	int32_t imm2;	/* destination extension, or a branch's target - pc */
	struct dentry *target; /* a branch target's entry when in this page, else NULL */
	int16_t tdelta;	       /* ... its distance in entries (tsame) */
	uint16_t op;	       /* first word */
	uint8_t len;	       /* bytes */
	uint8_t rs, rd;	       /* source and destination registers: index in c->r */
	uint8_t tsame;	       /* the branch target is in this page */
};

#define DC_PAGE_ENTRIES 2048u
/* entries past the end of a page: an instruction near the end steps into
 * them and they send the run loop to look pc up again */
#define DC_PAGE_SLACK 12u
/* more instructions than can run between two checkpoints of the run loop
 * (straight-line code in one page) */
#define DC_RUN_MAX 4096u

struct dpage {
	struct dentry e[DC_PAGE_ENTRIES + DC_PAGE_SLACK];
};

/* Readies the cache of c's model and run loop (careful or not: each loop
 * has its own labels) for c, dropping it if c's address mask differs from
 * the one it was filled under, and returns its page directory, indexed by
 * (pc & mask) >> 12; NULL if it cannot be allocated. labels[H_DECODE] and
 * labels[H_LOOKUP] initialise new pages. The other calls use the cache
 * chosen here. */
struct dpage **dcache_prepare(struct cpu *c, const void *const *labels, int careful);
/* The entry for guest address pc (even), allocating its page (and, when
 * the cache is full, dropping every other page first); NULL when out of
 * memory. */
struct dentry *dcache_entry(struct cpu *c, uint32_t pc);
/* Whether e holds a specialised handler (not decode, lookup or generic). */
int dcache_specialised(const struct cpu *c, const struct dentry *e);
/* The entry for pc if its page exists, else NULL; allocates nothing. */
struct dentry *dcache_peek(const struct cpu *c, uint32_t pc);
/* Decodes the instruction at pc into *out (everything but h) and returns
 * its handler; reads only the instruction's own words. */
enum dc_handler dcache_predecode(struct cpu *c, uint32_t pc, struct dentry *out);
/* Pages allocated since start (for tests and the benchmark). */
unsigned long dcache_pages_allocated(void);

#endif
