/* tests/cpu_bench.c: guest MIPS of the interpreter on small 68K kernels
 * (hand-assembled below), for the 68000 and 68020 models, with checksums
 * verified and instruction counts printed so the figures are honest.
 * Prints `bench: NAME VALUE UNIT` lines; never fails on speed. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "guest/guest.h"

#define WIN (16u << 20)
static uint8_t *win;

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

/* fib: recursive, call-heavy; main at $1000, fib at $2000 */
static const uint16_t fib_main[] = {
    0x7000 | 27,	 /* MOVEQ #27,D0 */
    0x4EB8,	 0x2000, /* JSR $2000.W */
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

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Runs the kernel to its STOP; returns MIPS and checks D0. */
static int run(const char *name, enum cpu_model model, uint32_t want_d0)
{
	struct cpu c;
	cpu_init(&c, model);
	cpu_set_memory(&c, win, 0x00FFFFFF);
	c.sr = 0x2700;
	c.a[7] = 0x80000;
	c.pc = 0x1000;
	double t0 = now();
	enum cpu_stop why = cpu_run(&c, 1ull << 40);
	double t = now() - t0;
	const char *m = model == CPU_68000 ? "68000" : "68020";
	if (why != CPU_STOP_STOPPED || c.d[0] != want_d0) {
		printf("bench: %s_%s FAILED: stop %d, d0 %08x want %08x\n", name, m, why, c.d[0],
		       want_d0);
		return 1;
	}
	printf("%s on %s: %llu instructions in %.3f s, checksum %08x ok\n", name, m,
	       (unsigned long long)c.icount, t, c.d[0]);
	printf("bench: %s_%s %.1f MIPS\n", name, m, (double)c.icount / t / 1e6);
	return 0;
}

int main(void)
{
	win = mmap(NULL, WIN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		   -1, 0);
	if (win == MAP_FAILED) {
		perror("cpu_bench: mmap");
		return 1;
	}
	uint32_t sum = 0;
	for (unsigned i = 0; i < N_ARRAY; i++) {
		put32(0x4000 + 4 * i, i * 2654435761u);
		sum += i * 2654435761u;
	}
	int bad = 0;
	enum cpu_model models[2] = {CPU_68000, CPU_68020};
	for (int m = 0; m < 2; m++) {
		memset(win + 0x1000, 0, 0x2000);
		code(0x1000, sum_code, sizeof sum_code / 2);
		bad |= run("sum", models[m], sum * K_SUM);
		memset(win + 0x1000, 0, 0x2000);
		code(0x1000, copy_code, sizeof copy_code / 2);
		bad |= run("copy", models[m], 0);
		if (memcmp(win + 0x4000, win + 0x6000, 4 * N_ARRAY)) {
			printf("bench: copy FAILED: data differs\n");
			bad = 1;
		}
		memset(win + 0x1000, 0, 0x2000);
		code(0x1000, fib_main, sizeof fib_main / 2);
		code(0x2000, fib_code, sizeof fib_code / 2);
		bad |= run("fib", models[m], 196418);
	}
	return bad;
}
