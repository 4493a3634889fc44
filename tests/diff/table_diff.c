/* tests/diff/diff.c: differential testing of the 68020/030/040 interpreter
 * against qemu-m68k (user mode). Sequences of 1-3 instructions come from
 * the instruction description table (cpu_insn_generate); each runs under
 * qemu inside a generated static program that loads registers, CCR and a
 * 2 KiB buffer, runs the sequence and writes everything back to stdout, and
 * under vm68k from the same start at the same address. Registers D0-D7/A0-A7
 * (A7 points into the buffer), CCR and the buffer are compared. Sequences
 * that trap under vm68k are regenerated; branches (Bcc, BRA, BSR, DBcc) go
 * forward to a later instruction or a NOP sled; jumps, returns, traps and
 * privileged instructions are not generated. Known qemu defects are masked in one
 * table below, with the reason.
 * Ends with `diff: N sequences, M mismatches, seed S`. */
#include "config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "guest/guest.h"

#define TEXT 0x10000u
#define HDR 80u /* 16 registers, CCR word, padding */
#define OUT (BUF - HDR)
#define BUF 0x200000u /* the buffer instructions work on */
#define BUFLEN 2048u
#define PRISTINE 0x200800u /* its initial contents */
#define INIT 0x201000u	   /* per sequence: 15 registers, CCR word, padding */
#define MAXW 40
/* Each sequence runs in its own 512-byte slot of the program text, the
 * generated words at offset 256 between NOPs, its preamble and its
 * epilogue; PC-relative operands (displacement <= 64, index <= 15*8) stay
 * inside the slot, so they read the same bytes under qemu and vm68k. */
#define SLOT 512u
#define SLOT_WORDS (SLOT / 2)
#define CODE_AT 256u
/* NOPs between a sequence and its epilogue: forward branches land on an
 * instruction of the sequence or in here, so whether they were taken shows
 * in which instructions ran (and BSR's push in the buffer) */
#define SLED 16u

/* qemu behaviour that differs from the 68K manuals, masked here and nowhere
 * else: (mnemonic, CCR bits ignored or EXCLUDED from generation, reason). */
#define EXCLUDED 0x100
#define LAST_ONLY 0x200	  /* generated only as the last instruction of a sequence */
#define ON_OVERFLOW 0x400 /* the CCR mask applies only when both set V */
static const struct known_defect {
	const char *mnemonic, *syntax; /* syntax NULL: every form */
	unsigned ccr_mask;
	const char *reason;
} known_qemu[] = {
    {"ABCD", NULL, EXCLUDED,
     "qemu's decimal adjust differs for non-decimal digits (random data has many); "
     "N and V are undefined anyway. The 68000 suite checks ours"},
    {"SBCD", NULL, EXCLUDED, "as ABCD"},
    {"NBCD", NULL, EXCLUDED, "as ABCD"},
    {"PACK", NULL, EXCLUDED, "qemu-m68k 7.2 raises an illegal instruction exception for PACK"},
    {"UNPK", NULL, EXCLUDED, "qemu-m68k 7.2 raises an illegal instruction exception for UNPK"},
    {"CHK2", NULL, EXCLUDED,
     "qemu-m68k 7.2 decodes CMP2 as illegal (it has CHK2 only), and CHK2 traps"},
    {"DIVU", NULL, LAST_ONLY | ON_OVERFLOW | SR_N | SR_Z | SR_C,
     "N and Z are undefined after a divide overflow (qemu and the 68000 differ); "
     "last in a sequence so nothing reads them"},
    {"DIVS", NULL, LAST_ONLY | ON_OVERFLOW | SR_N | SR_Z | SR_C, "as DIVU"},
    {"DIVL", NULL, LAST_ONLY | ON_OVERFLOW | SR_N | SR_Z | SR_C, "as DIVU"},
    {"CHK", NULL, LAST_ONLY | SR_N | SR_Z | SR_V | SR_C,
     "without a trap N, Z, V and C are undefined after CHK; qemu keeps them, "
     "the 68000 clears them"},
    {"CAS2", NULL, LAST_ONLY,
     "qemu-m68k 7.2's lazy flags after CAS2 are wrong for a following instruction that "
     "keeps some of them (BTST's Z, SUBX's X); CAS2 alone agrees"},
    {"TRAPcc", NULL, LAST_ONLY,
     "as CAS2: after a TRAPcc that does not trap, qemu's next bit operation gets Z wrong"},
    {"MOVE", "CCR,E", LAST_ONLY,
     "as CAS2: after MOVE from CCR qemu's next X/Z-keeping instruction sees stale flags"},
    {"ASR", "E", EXCLUDED,
     "qemu-m68k 7.2 picks arithmetic/logical for memory shifts from opcode bit 3 "
     "(an EA mode bit) instead of bit 9; the 68000 suite checks ours"},
    {"ASL", "E", EXCLUDED, "as ASR (V differs)"},
    {"LSR", "E", EXCLUDED, "as ASR"},
    {"LSL", "E", EXCLUDED, "as ASR (V differs)"},
};

static int defect_matches(const struct known_defect *k, const char *mn, const char *syn)
{
	return !strcmp(mn, k->mnemonic) && (!k->syntax || (syn && !strcmp(syn, k->syntax)));
}

struct seq {
	uint16_t w[MAXW];
	unsigned nw, ninsn;
	const char *mn[3];
	uint32_t regs[16];
	uint16_t ccr;
	unsigned index;		/* slot number in the batch */
	unsigned at[3], len[3]; /* word offset and length of each instruction */
};

static uint8_t pristine[BUFLEN];
static const char *only_mn[16]; /* --only: generate just these mnemonics */
static int n_only;
static unsigned max_len = 3; /* --length: instructions per sequence */
static uint8_t *win;
static int verbose;

static int accept_row(const char *mn, const char *syn, void *ctx)
{
	static const char *const never[] = {
	    /* control flow and traps: a sequence runs straight through */
	    "JMP", "JSR", "RTS", "RTR", "RTE", "RTD", "TRAP", "ILLEGAL", "LINEA", "LINEF", "BKPT",
	    /* privileged */
	    "STOP", "RESET", "MOVEC", "MOVES", NULL};
	for (int i = 0; never[i]; i++)
		if (!strcmp(mn, never[i]))
			return 0;
	for (size_t k = 0; k < sizeof known_qemu / sizeof known_qemu[0]; k++)
		if ((known_qemu[k].ccr_mask & EXCLUDED) && defect_matches(&known_qemu[k], mn, syn))
			return 0;
	if (strstr(syn, "SR") || strstr(syn, "USP"))
		return 0; /* SR, USP moves (CCR ones stay) */
	if (n_only) {
		for (int i = 0; i < n_only; i++)
			if (!strcmp(mn, only_mn[i]))
				return 1;
		return 0;
	}
	return 1;
}

/* These write address registers with arbitrary values, so only the last
 * instruction of a sequence may be one (later memory operands must stay in
 * the buffer). */
static int writes_areg(const char *mn, const char *syn)
{
	if (!strcmp(mn, "MOVEM") && syn && !strcmp(syn, "E,L"))
		return 1; /* a load may include address registers */
	if (!strcmp(mn, "LINK") || !strcmp(mn, "UNLK"))
		return 1; /* A7 or An become arbitrary */
	static const char *const w[] = {"LEA", "MOVEA", "ADDA", "SUBA", "EXG", NULL};
	for (int i = 0; w[i]; i++)
		if (!strcmp(mn, w[i]))
			return 1;
	return 0;
}

static int run_vm68k(enum cpu_model model, const struct seq *q, uint8_t *out);

static uint32_t rnd32(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return (uint32_t)((x * 0x2545F4914F6CDD1Dull) >> 32);
}

static uint32_t interesting(uint64_t *s)
{
	static const uint32_t v[] = {0,		 1,	     2,	     0x7F,   0x80,
				     0xFF,	 0x7FFF,     0x8000, 0xFFFF, 0x7FFFFFFF,
				     0x80000000, 0xFFFFFFFF, 0x99,   0x10000};
	uint32_t r = rnd32(s);
	return (r & 3) == 0 ? v[rnd32(s) % (sizeof v / sizeof v[0])] : rnd32(s);
}

/* Points each branch of the sequence forward, at a later instruction or
 * into the NOP sled: byte offsets from the sequence start. */
static void aim_branches(struct seq *q, uint64_t *s)
{
	for (unsigned i = 0; i < q->ninsn; i++) {
		const char *mn = q->mn[i];
		if (strcmp(mn, "BRA") && strcmp(mn, "BSR") && strcmp(mn, "Bcc") &&
		    strcmp(mn, "DBcc"))
			continue;
		unsigned targets[3 + SLED], nt = 0;
		for (unsigned j = i + 1; j < q->ninsn; j++)
			targets[nt++] = 2 * q->at[j];
		for (unsigned k = 0; k < SLED; k++)
			targets[nt++] = 2 * q->nw + 2 * k;
		uint16_t *w = q->w + q->at[i];
		int32_t base = (int32_t)(2 * q->at[i] + 2), disp;
		if (!strcmp(mn, "DBcc")) {
			disp = (int32_t)targets[rnd32(s) % nt] - base;
			w[1] = (uint16_t)disp;
			continue;
		}
		unsigned d8 = w[0] & 0xFF;
		do
			disp = (int32_t)targets[rnd32(s) % nt] - base;
		while (d8 != 0 && d8 != 0xFF && (disp == 0 || disp > 127)); /* .S: 1-127 */
		if (d8 == 0)
			w[1] = (uint16_t)disp;
		else if (d8 == 0xFF) {
			w[1] = (uint16_t)((uint32_t)disp >> 16);
			w[2] = (uint16_t)disp;
		} else
			w[0] = (uint16_t)((w[0] & 0xFF00) | (uint8_t)disp);
	}
}

static void make_seq_once(enum cpu_model model, uint64_t *s, struct seq *q)
{
	struct insn_gen_rules rules = {
	    .accept = accept_row,
	    .dregs = 0x7F, /* D7 is the index register: never written */
	    .aregs = 0x7F,
	    .mem_aregs = 0x7F,
	    .movem_aregs = 0x7F, /* loads of them end the sequence (writes_areg) */
	    .index_reg = 7,
	    .modes = AM_DN | AM_AN | AM_IND | AM_POST | AM_PRE | AM_D16 | AM_IDX | AM_ABSL |
		     AM_IMM | AM_PCD | AM_PCX,
	    .disp_range = 64,
	    .abs_base = BUF + 512,
	    .abs_len = BUFLEN - 768,
	    .no_traps = 1,
	    .ptr_base = BUF,
	    .ptr_count = 64, /* the buffer's first 256 bytes point into its middle */
	};
	q->nw = 0;
	q->ninsn = 1 + rnd32(s) % max_len;
	for (unsigned i = 0; i < q->ninsn; i++) {
		const char *syn = NULL;
		unsigned n = cpu_insn_generate(model, s, &rules, q->w + q->nw, &q->mn[i], &syn);
		if (!n) {
			fprintf(stderr, "diff: generator found no instruction\n");
			exit(1);
		}
		q->at[i] = q->nw;
		q->len[i] = n;
		q->nw += n;
		if (writes_areg(q->mn[i], syn))
			q->ninsn = i + 1;
		for (size_t k = 0; k < sizeof known_qemu / sizeof known_qemu[0]; k++)
			if ((known_qemu[k].ccr_mask & LAST_ONLY) &&
			    defect_matches(&known_qemu[k], q->mn[i], syn))
				q->ninsn = i + 1;
	}
	aim_branches(q, s);
	for (int i = 0; i < 7; i++)
		q->regs[i] = interesting(s);
	q->regs[7] = rnd32(s) % 16; /* D7: the index, kept small */
	for (int i = 0; i < 7; i++)
		q->regs[8 + i] = BUF + 768 + (rnd32(s) % 512 & ~1u);
	q->regs[15] = BUF + 1536 + (rnd32(s) % 256 & ~3u); /* A7: pushes land in the buffer */
	q->ccr = (uint16_t)(rnd32(s) & 0x1F);
}

/* Sequences that trap (divide by zero, CHK, TRAPV, TRAPcc taken) are
 * regenerated: vm68k decides, and qemu would die of the signal if it
 * disagreed, which is reported. */
static void make_seq(enum cpu_model model, uint64_t *s, struct seq *q, unsigned index)
{
	uint8_t scratch[HDR + BUFLEN];
	q->index = index;
	do
		make_seq_once(model, s, q);
	while (run_vm68k(model, q, scratch) != 0);
}

/* The words of one sequence's slot: NOPs, the preamble (buffer copy,
 * registers, CCR), the sequence at CODE_AT, the epilogue (registers, CCR and
 * buffer to stdout), NOPs. */
static void slot_words(const struct seq *q, uint16_t *w)
{
	uint32_t init = INIT + HDR * q->index;
	const uint16_t pre[] = {
	    0x41F9,	    PRISTINE >> 16, PRISTINE & 0xFFFF, /* LEA PRISTINE,A0 */
	    0x43F9,	    BUF >> 16,	    BUF & 0xFFFF,      /* LEA BUF,A1 */
	    0x303C,	    BUFLEN / 4 - 1,		       /* MOVE.W #n-1,D0 */
	    0x22D8,	    0x51C8,	    0xFFFC,	       /* MOVE.L (A0)+,(A1)+; DBRA D0,*-2 */
	    0x4CF9,	    0xFFFF,	    (uint16_t)(init >> 16),
	    (uint16_t)init,	    /* MOVEM.L init,D0-D7/A0-A7 */
	    0x44FC,	    q->ccr, /* MOVE #ccr,CCR */
	};
	const uint16_t post[] = {
	    0x48F9,
	    0xFFFF,
	    OUT >> 16,
	    OUT & 0xFFFF, /* MOVEM.L D0-D7/A0-A7,OUT */
	    0x42F9,
	    (OUT + 64) >> 16,
	    (OUT + 64) & 0xFFFF, /* MOVE CCR,OUT+64 */
	    0x7004,
	    0x7201,
	    0x243C,
	    OUT >> 16,
	    OUT & 0xFFFF, /* write(1, OUT, HDR + BUFLEN) */
	    0x263C,
	    0,
	    HDR + BUFLEN,
	    0x4E40,
	};
	unsigned npre = sizeof pre / 2, at = CODE_AT / 2;
	for (unsigned k = 0; k < SLOT_WORDS; k++)
		w[k] = 0x4E71;
	memcpy(w + at - npre, pre, sizeof pre);
	memcpy(w + at, q->w, 2 * q->nw);
	memcpy(w + at + q->nw + SLED, post, sizeof post);
}

/* The qemu-side program for a batch of sequences. */
static int write_program(const char *path, const struct seq *q, unsigned n)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "\t.text\n\t.globl _start\n_start:\n");
	for (unsigned i = 0; i < n; i++) {
		uint16_t w[SLOT_WORDS];
		slot_words(&q[i], w);
		unsigned k = 0;
		while (k < SLOT_WORDS) {
			unsigned r = k;
			while (r < SLOT_WORDS && w[r] == 0x4E71)
				r++;
			if (r > k) {
				fprintf(f, "\t.fill %u,2,0x4e71\n", r - k);
				k = r;
			} else {
				fprintf(f, "\t.word 0x%04x\n", w[k++]);
			}
		}
	}
	fprintf(f, "\t.word 0x7001,0x7200,0x4e40\n"); /* exit(0) */
	fprintf(f, "\t.data\n\t.space %u\n", HDR);    /* OUT at the section start */
	fprintf(f, "\t.space %u\n", BUFLEN);
	for (unsigned i = 0; i < BUFLEN; i++)
		fprintf(f, "\t.byte 0x%02x\n", pristine[i]);
	for (unsigned i = 0; i < n; i++) {
		for (int r = 0; r < 16; r++)
			fprintf(f, "\t.long 0x%08x\n", q[i].regs[r]);
		fprintf(f, "\t.word 0x%04x\n\t.space %u\n", q[i].ccr, HDR - 66);
	}
	return fclose(f);
}

/* vm68k's result for one sequence, in qemu's output layout. Returns 0, or
 * -1 if the CPU took an exception. */
static int run_vm68k(enum cpu_model model, const struct seq *q, uint8_t *out)
{
	struct cpu c;
	memcpy(win + BUF, pristine, BUFLEN);
	uint16_t w[SLOT_WORDS];
	uint32_t slot = TEXT + SLOT * q->index;
	slot_words(q, w);
	for (unsigned i = 0; i < SLOT_WORDS; i++) {
		win[slot + 2 * i] = (uint8_t)(w[i] >> 8);
		win[slot + 2 * i + 1] = (uint8_t)w[i];
	}
	cpu_init(&c, model);
	cpu_set_memory(&c, win, 0x00FFFFFF);
	for (int i = 0; i < 8; i++)
		c.d[i] = q->regs[i];
	for (int i = 0; i < 8; i++)
		c.a[i] = q->regs[8 + i];
	c.sr = q->ccr; /* user mode */
	c.ssp = 0x310000;
	c.pc = slot + CODE_AT;
	for (int v = 0; v < 64; v++) { /* vectors to a recognisable trap address */
		uint32_t h = 0x500000;
		win[4 * v] = (uint8_t)(h >> 24);
		win[4 * v + 1] = (uint8_t)(h >> 16);
		win[4 * v + 2] = (uint8_t)(h >> 8);
		win[4 * v + 3] = (uint8_t)h;
	}
	uint32_t epilogue = slot + CODE_AT + 2 * (q->nw + SLED);
	for (unsigned steps = 0; c.pc != epilogue; steps++) {
		cpu_step(&c);
		if (c.pc == 0x500000 || (c.sr & SR_S) || steps > 64)
			return -1;
	}
	uint32_t regs[16];
	memcpy(regs, c.d, 32);
	memcpy(regs + 8, c.a, 32);
	memset(out, 0, HDR);
	for (int i = 0; i < 16; i++) {
		uint32_t v = regs[i];
		out[4 * i] = (uint8_t)(v >> 24);
		out[4 * i + 1] = (uint8_t)(v >> 16);
		out[4 * i + 2] = (uint8_t)(v >> 8);
		out[4 * i + 3] = (uint8_t)v;
	}
	out[65] = (uint8_t)(c.sr & 0x1F);
	memcpy(out + HDR, win + BUF, BUFLEN);
	return 0;
}

static unsigned ccr_mask_for(const struct seq *q, unsigned mine, unsigned theirs)
{
	unsigned m = 0;
	for (unsigned i = 0; i < q->ninsn; i++)
		for (size_t k = 0; k < sizeof known_qemu / sizeof known_qemu[0]; k++) {
			const struct known_defect *d = &known_qemu[k];
			if (d->syntax || !defect_matches(d, q->mn[i], NULL))
				continue;
			if ((d->ccr_mask & ON_OVERFLOW) && !(mine & theirs & SR_V))
				continue;
			m |= d->ccr_mask & 0x1F;
		}
	return m;
}

static void report(const char *cpu, const struct seq *q, const uint8_t *mine, const uint8_t *theirs)
{
	printf("mismatch (%s):", cpu);
	for (unsigned i = 0; i < q->ninsn; i++)
		printf(" %s", q->mn[i]);
	printf(" [");
	for (unsigned i = 0; i < q->nw; i++)
		printf("%s%04x", i ? " " : "", q->w[i]);
	printf("] ccr in %02x\n", q->ccr);
	static const char *const rn[16] = {"d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7",
					   "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7"};
	for (int i = 0; i < 16; i++) {
		uint32_t a = (uint32_t)mine[4 * i] << 24 | mine[4 * i + 1] << 16 |
			     mine[4 * i + 2] << 8 | mine[4 * i + 3];
		uint32_t b = (uint32_t)theirs[4 * i] << 24 | theirs[4 * i + 1] << 16 |
			     theirs[4 * i + 2] << 8 | theirs[4 * i + 3];
		if (a != b)
			printf("  %s: vm68k %08x qemu %08x (was %08x)\n", rn[i], a, b, q->regs[i]);
	}
	if (mine[65] != theirs[65])
		printf("  ccr: vm68k %02x qemu %02x\n", mine[65], theirs[65]);
	for (unsigned i = 0; i < BUFLEN; i++)
		if (mine[HDR + i] != theirs[HDR + i]) {
			printf("  mem %06x: vm68k %02x qemu %02x (was %02x)\n", BUF + i,
			       mine[64 + i], theirs[64 + i], pristine[i]);
			break;
		}
}

static int have(const char *tool)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

int main(int argc, char **argv)
{
	unsigned long count = 20000;
	unsigned batch = 1000;
	uint64_t seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 20;
	const char *only = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--cpu") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--verbose"))
			verbose = 1;
		else if (!strcmp(argv[i], "--only") && i + 1 < argc && n_only < 16)
			only_mn[n_only++] = argv[++i];
		else if (!strcmp(argv[i], "--length") && i + 1 < argc)
			max_len = (unsigned)atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: diff [--count N] [--seed S] [--cpu "
					"68020|68030|68040] [--verbose]\n"
					"            [--only MNEMONIC]... [--length 1-3]\n");
			return 2;
		}
	}
	const char *qemu = getenv("VM68K_QEMU") ? getenv("VM68K_QEMU") : "qemu-m68k";
	const char *as = getenv("VM68K_M68K_AS") ? getenv("VM68K_M68K_AS") : "m68k-linux-gnu-as";
	const char *ld = getenv("VM68K_M68K_LD") ? getenv("VM68K_M68K_LD") : "m68k-linux-gnu-ld";
	if (!have(qemu) || !have(as) || !have(ld)) {
		printf("diff: skipped (needs %s, %s and %s)\n", qemu, as, ld);
		return 77;
	}
	printf("diff: seed %llu\n", (unsigned long long)seed);
	uint64_t s = seed ? seed : 1;
	for (unsigned i = 0; i < BUFLEN; i++)
		pristine[i] = (uint8_t)rnd32(&s);
	for (unsigned i = 0; i < 64; i++) { /* pointer slots for memory-indirect modes */
		uint32_t p = BUF + 768 + (rnd32(&s) % 512 & ~1u);
		pristine[4 * i] = (uint8_t)(p >> 24);
		pristine[4 * i + 1] = (uint8_t)(p >> 16);
		pristine[4 * i + 2] = (uint8_t)(p >> 8);
		pristine[4 * i + 3] = (uint8_t)p;
	}

	win = mmap(NULL, 16u << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char dir[] = "/tmp/vm68k-diff-XXXXXX";
	struct seq *q = calloc(batch, sizeof *q);
	uint8_t *theirs = malloc((size_t)batch * (HDR + BUFLEN)), mine[HDR + BUFLEN];
	if (win == MAP_FAILED || !q || !theirs || !mkdtemp(dir)) {
		perror("diff");
		return 1;
	}

	static const struct {
		enum cpu_model m;
		const char *name, *qcpu;
	} models[] = {{CPU_68020, "68020", "m68020"},
		      {CPU_68030, "68030", "m68030"},
		      {CPU_68040, "68040", "m68040"}};
	unsigned long done = 0, mismatches = 0, shown = 0;
	for (unsigned b = 0; done < count; b++) {
		unsigned mi = b % 3;
		if (only) {
			for (mi = 0; mi < 3 && strcmp(only, models[mi].name); mi++) {
			}
			if (mi == 3) {
				fprintf(stderr, "diff: unknown --cpu %s\n", only);
				return 2;
			}
		}
		unsigned n = count - done < batch ? (unsigned)(count - done) : batch;
		for (unsigned i = 0; i < n; i++)
			make_seq(models[mi].m, &s, &q[i], i);
		char src[300], cmd[2000];
		snprintf(src, sizeof src, "%s/p.s", dir);
		if (write_program(src, q, n)) {
			perror("diff: write");
			return 1;
		}
		snprintf(
		    cmd, sizeof cmd,
		    "%s -m%s -o %s/p.o %s && %s -static -Ttext=0x%x -Tdata=0x%x -o %s/p %s/p.o", as,
		    models[mi].name, dir, src, ld, TEXT, OUT, dir, dir);
		if (system(cmd)) {
			fprintf(stderr, "diff: assembling batch %u failed\n", b);
			return 1;
		}
		snprintf(cmd, sizeof cmd, "%s -cpu %s %s/p", qemu, models[mi].qcpu, dir);
		FILE *p = popen(cmd, "r");
		size_t got = p ? fread(theirs, HDR + BUFLEN, n, p) : 0;
		if (p)
			pclose(p);
		if (got != n) {
			/* qemu stopped early (a signal in the guest): report where */
			printf(
			    "diff: qemu stopped after %zu of %u sequences of batch %u (%s); next:",
			    got, n, b, models[mi].name);
			for (unsigned i = 0; i < q[got].nw; i++)
				printf(" %04x", q[got].w[i]);
			printf("\n");
			mismatches++;
			n = (unsigned)got;
		}
		for (unsigned i = 0; i < n; i++) {
			uint8_t *t = theirs + (size_t)i * (HDR + BUFLEN);
			int bad = run_vm68k(models[mi].m, &q[i], mine) != 0;
			unsigned mask = ccr_mask_for(&q[i], mine[65], t[65]);
			if (!bad)
				bad = memcmp(mine, t, 64) || ((mine[65] ^ t[65]) & ~mask & 0x1F) ||
				      memcmp(mine + HDR, t + HDR, BUFLEN);
			if (bad) {
				mismatches++;
				if (shown++ < (verbose ? 200u : 20u))
					report(models[mi].name, &q[i], mine, t);
			}
		}
		done += n ? n : 1;
	}
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd)) {
	}
	printf("diff: %lu sequences, %lu mismatches, seed %llu\n", done, mismatches,
	       (unsigned long long)seed);
	free(q);
	free(theirs);
	return mismatches ? 1 : 0;
}
