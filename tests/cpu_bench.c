/* tests/cpu_bench.c: guest MIPS of the interpreter on small 68K kernels
 * (hand-assembled below: a summing loop, a block copy, a branchy loop, a
 * call-heavy fib), for the 68000 and 68020 models, with guest RAM in the
 * pager's window (paging off), checksums verified and instruction counts
 * printed so the figures are honest. Each figure is the median of several
 * runs; the decoded-instruction cache is compared with plain per-opcode
 * dispatch. Prints `bench: NAME VALUE UNIT` lines; fails only on a wrong
 * checksum, never on speed. Built twice: the second build
 * (GUEST_FAST_NO_VERIFY) skips the decoded cache's check of each
 * instruction's bytes, to measure what that check costs. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "guest/guest.h"
#include "pager/pager.h"

#define RAM (16u << 20)
static uint8_t *win; /* the pager's window; guest RAM at 0 */

static void put16(gaddr a, uint16_t v)
{
	win[a] = (uint8_t)(v >> 8);
	win[a + 1] = (uint8_t)v;
}
static void put32(gaddr a, uint32_t v)
{
	put16(a, (uint16_t)(v >> 16));
	put16(a + 2, (uint16_t)v);
}
static void code(gaddr a, const uint16_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		put16(a + 2 * i, w[i]);
}

#define N_ARRAY 1000
#define K_SUM 10000u

/* sum: K passes of ADD.L (A0)+,D0 / DBRA over a 1000-long array */
static const uint16_t sum_code[] = {
    0x243C, K_SUM >> 16, K_SUM & 0xFFFF, /* 1000: MOVE.L #K,D2 */
    0x41F8, 0x4000,			 /* 1006: LEA $4000.W,A0 */
    0x323C, N_ARRAY - 1,		 /* 100A: MOVE.W #N-1,D1 */
    0xD098,				 /* 100E: ADD.L (A0)+,D0 */
    0x51C9, 0xFFFC,			 /* 1010: DBRA D1,$100E */
    0x5382,				 /* 1014: SUBQ.L #1,D2 */
    0x66EE,				 /* 1016: BNE.S $1006 */
    0x4E72, 0x2700,			 /* 1018: STOP #$2700 */
};

/* copy: K passes of MOVE.L (A0)+,(A1)+ / DBRA, 1000 longs */
static const uint16_t copy_code[] = {
    0x243C, K_SUM >> 16, K_SUM & 0xFFFF, /* 1000: MOVE.L #K,D2 */
    0x41F8, 0x4000,			 /* 1006: LEA $4000.W,A0 */
    0x43F8, 0x6000,			 /* 100A: LEA $6000.W,A1 */
    0x323C, N_ARRAY - 1,		 /* 100E: MOVE.W #N-1,D1 */
    0x22D8,				 /* 1012: MOVE.L (A0)+,(A1)+ */
    0x51C9, 0xFFFC,			 /* 1014: DBRA D1,$1012 */
    0x5382,				 /* 1018: SUBQ.L #1,D2 */
    0x66EA,				 /* 101A: BNE.S $1006 */
    0x4E72, 0x2700,			 /* 101C: STOP #$2700 */
};

/* branchy: K passes of a loop with two data-dependent branches (a
 * counter modulo 3 and the pass number modulo 8) */
#define K_BRANCHY 2000000u
static const uint16_t branchy_code[] = {
    0x223C, K_BRANCHY >> 16, K_BRANCHY & 0xFFFF, /* 1000: MOVE.L #K,D1 */
    0x7000,				 /* 1006: MOVEQ #0,D0 */
    0x7400,				 /* 1008: MOVEQ #0,D2 */
    0x7A03,				 /* 100A: MOVEQ #3,D5 */
    0x7C07,				 /* 100C: MOVEQ #7,D6 */
    0x5282,				 /* 100E: ADDQ.L #1,D2 */
    0xB485,				 /* 1010: CMP.L D5,D2 */
    0x6604,				 /* 1012: BNE.S $1018 */
    0x7400,				 /* 1014: MOVEQ #0,D2 */
    0x5680,				 /* 1016: ADDQ.L #3,D0 */
    0x2601,				 /* 1018: MOVE.L D1,D3 */
    0xC686,				 /* 101A: AND.L D6,D3 */
    0x6604,				 /* 101C: BNE.S $1022 */
    0xD081,				 /* 101E: ADD.L D1,D0 */
    0x6002,				 /* 1020: BRA.S $1024 */
    0x5380,				 /* 1022: SUBQ.L #1,D0 */
    0x5381,				 /* 1024: SUBQ.L #1,D1 */
    0x66E6,				 /* 1026: BNE.S $100E */
    0x4E72, 0x2700,			 /* 1028: STOP #$2700 */
};
static uint32_t branchy_sum(void)
{
	uint32_t d0 = 0, d2 = 0;
	for (uint32_t d1 = K_BRANCHY; d1; d1--) {
		if (++d2 == 3) {
			d2 = 0;
			d0 += 3;
		}
		if (d1 & 7)
			d0 -= 1;
		else
			d0 += d1;
	}
	return d0;
}

/* fib: recursive, call-heavy; main at $7000, fib at $7100 (the listing
 * shows it at $2000) */
static const uint16_t fib_main[] = {
    0x7000 | 30,	 /* MOVEQ #30,D0 */
    0x4EB8,	 0x7100, /* JSR $7100.W */
    0x4E72,	 0x2700, /* STOP #$2700 */
};
static const uint16_t fib_code[] = {
    0x0C80, 0x0000, 0x0002, /* 2000: CMPI.L #2,D0 */
    0x6D12,		    /* 2006: BLT.S $201A */
    0x2F00,		    /* 2008: MOVE.L D0,-(A7) */
    0x5380,		    /* 200A: SUBQ.L #1,D0 */
    0x61F2,		    /* 200C: BSR.S $2000 */
    0x221F,		    /* 200E: MOVE.L (A7)+,D1 */
    0x2F00,		    /* 2010: MOVE.L D0,-(A7) */
    0x2001,		    /* 2012: MOVE.L D1,D0 */
    0x5580,		    /* 2014: SUBQ.L #2,D0 */
    0x61E8,		    /* 2016: BSR.S $2000 */
    0xD09F,		    /* 2018: ADD.L (A7)+,D0 */
    0x4E75,		    /* 201A: RTS */
};

/* The thread's CPU time, not wall time: the machine is shared, and time
 * spent descheduled is not the interpreter's. */
static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Runs the kernel to its STOP once; returns MIPS (0 on a wrong result). */
static double run_once(enum cpu_model model, gaddr pc, int decoded, uint32_t want_d0,
		       uint64_t *count)
{
	struct cpu c;
	cpu_init(&c, model);
	cpu_set_memory(&c, win, model == CPU_68000 ? 0x00FFFFFF : 0xFFFFFFFF);
	cpu_set_decode_cache(&c, decoded);
	c.sr = 0x2700;
	c.a[7] = 0x80000;
	c.pc = pc;
	double t0 = now();
	enum cpu_stop why = cpu_run(&c, 1ull << 40);
	double t = now() - t0;
	*count = c.icount;
	if (why != CPU_STOP_STOPPED || c.d[0] != want_d0) {
		printf("bench: FAILED: stop %d, d0 %08x want %08x\n", why, c.d[0], want_d0);
		return 0;
	}
	return (double)c.icount / t / 1e6;
}

/* Median MIPS of n runs. */
static double median_mips(enum cpu_model model, gaddr pc, int decoded, uint32_t want_d0, int n,
			  uint64_t *count)
{
	double v[9];
	for (int i = 0; i < n; i++)
		if ((v[i] = run_once(model, pc, decoded, want_d0, count)) == 0)
			return 0;
	qsort(v, (size_t)n, sizeof v[0], cmp_double);
	return v[n / 2];
}

#ifdef GUEST_FAST_NO_VERIFY
#define SUFFIX "_noverify"
#else
#define SUFFIX ""
#endif

static int kernel(const char *name, enum cpu_model model, gaddr pc, uint32_t want_d0)
{
	const char *m = model == CPU_68000 ? "68000" : "68020";
	uint64_t n = 0;
	double fast = median_mips(model, pc, 1, want_d0, 7, &n);
	if (fast == 0)
		return 1;
	printf("%s on %s: %llu instructions per run, checksum %08x ok\n", name, m,
	       (unsigned long long)n, want_d0);
	printf("bench: %s_%s%s %.1f MIPS\n", name, m, SUFFIX, fast);
#ifndef GUEST_FAST_NO_VERIFY
	double plain = median_mips(model, pc, 0, want_d0, 3, &n);
	if (plain == 0)
		return 1;
	printf("bench: %s_%s_plain %.1f MIPS\n", name, m, plain);
	printf("bench: %s_%s_speedup %.2f x\n", name, m, fast / plain);
#endif
	return 0;
}

int main(void)
{
	struct pager_config cfg;
	char err[256];
	pager_config_defaults(&cfg);
	cfg.vm_bytes = RAM;
	cfg.ram_bytes = RAM; /* no VM: paging off */
	cfg.addressing = 32;
	struct pager *p = pager_create(&cfg, err, sizeof err);
	if (!p) {
		fprintf(stderr, "cpu_bench: %s\n", err);
		return 1;
	}
	win = pager_window(p);
	uint32_t sum = 0;
	for (unsigned i = 0; i < N_ARRAY; i++) {
		put32(0x4000 + 4 * i, i * 2654435761u);
		sum += i * 2654435761u;
	}
	/* each kernel at its own address: the GUEST_FAST_NO_VERIFY build
	 * would otherwise run the previous kernel's decoded entries */
	code(0x1000, sum_code, sizeof sum_code / 2);
	code(0x2000, copy_code, sizeof copy_code / 2);
	code(0x3000, branchy_code, sizeof branchy_code / 2);
	code(0x7000, fib_main, sizeof fib_main / 2);
	code(0x7100, fib_code, sizeof fib_code / 2);
	int bad = 0;
	enum cpu_model models[2] = {CPU_68000, CPU_68020};
	for (int m = 0; m < 2; m++) {
		bad |= kernel("sum", models[m], 0x1000, sum * K_SUM);
		bad |= kernel("copy", models[m], 0x2000, 0);
		if (memcmp(win + 0x4000, win + 0x6000, 4 * N_ARRAY)) {
			printf("bench: copy FAILED: data differs\n");
			bad = 1;
		}
		memset(win + 0x6000, 0, 4 * N_ARRAY);
		bad |= kernel("branchy", models[m], 0x3000, branchy_sum());
		bad |= kernel("fib", models[m], 0x7000, 832040);
	}
	pager_destroy(p);
	return bad;
}
