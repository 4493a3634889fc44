/* `make bench` for the Memory Manager: NewHandle/DisposeHandle, NewPtr/
 * DisposePtr and compaction on a plain window, in 24- and 32-bit mode,
 * each against the host's malloc/free or memmove as a baseline ratio.
 * Prints a table and `bench: NAME VALUE UNIT` lines for scripts. Not a test. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "toolbox/toolbox.h"

enum { WINDOW = 16 << 20, LIVE = 256, OPS = 200000 };

static uint64_t now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint32_t rng = 1;
static uint32_t rnd(uint32_t n)
{
	rng = rng * 1103515245 + 12345;
	return (rng >> 8) % n;
}

static void setup(struct mm *mm, uint8_t *win, bool addr32)
{
	struct mm_layout l = {.sys_start = 0x2000,
			      .sys_end = 0x40000,
			      .appl_start = 0x100000,
			      .appl_end = 0x140000,
			      .appl_limit = 0x800000,
			      .mem_top = 0x1000000};
	if (mm_init(mm, win, addr32 ? 0xFFFFFFFF : 0x00FFFFFF, addr32, &l)) {
		fprintf(stderr, "mm_bench: mm_init failed\n");
		exit(1);
	}
}

/* Random replacement among LIVE slots: dispose one, allocate another. */
static double churn_mm(struct mm *mm, bool handles)
{
	gaddr slot[LIVE] = {0};
	rng = 1;
	uint64_t t0 = now();
	for (int i = 0; i < OPS; i++) {
		int k = (int)rnd(LIVE);
		if (slot[k])
			handles ? (void)DisposeHandle(mm, slot[k]) : (void)DisposePtr(mm, slot[k]);
		int32_t size = (int32_t)(16 + rnd(1024));
		slot[k] = handles ? NewHandle(mm, size) : NewPtr(mm, size);
	}
	return (double)(now() - t0) / OPS;
}

static double churn_malloc(void)
{
	void *slot[LIVE] = {0};
	rng = 1;
	uint64_t t0 = now();
	for (int i = 0; i < OPS; i++) {
		int k = (int)rnd(LIVE);
		free(slot[k]);
		slot[k] = malloc(16 + rnd(1024));
		if (slot[k])
			((volatile char *)slot[k])[0] = 1;
	}
	for (int k = 0; k < LIVE; k++)
		free(slot[k]);
	return (double)(now() - t0) / OPS;
}

/* Compaction of a heap with every other block freed, in MB moved per second. */
static double compaction_mbps(struct mm *mm, uint32_t *moved)
{
	enum { N = 2000, SIZE = 1000 };
	static gaddr h[N];
	for (int i = 0; i < N; i++)
		h[i] = NewHandle(mm, SIZE);
	for (int i = 0; i < N; i += 2)
		DisposeHandle(mm, h[i]);
	*moved = (N / 2) * SIZE;
	uint64_t t0 = now();
	CompactMem(mm, 0x7FFFFFF0);
	return (double)*moved / 1e6 / ((double)(now() - t0) / 1e9);
}

static double memmove_mbps(uint32_t bytes)
{
	enum { REPS = 20 };
	uint8_t *buf = malloc(2 * (size_t)bytes);
	memset(buf, 1, 2 * (size_t)bytes);
	uint64_t t0 = now();
	for (int i = 0; i < REPS; i++) {
		memmove(buf + (i & 1), buf + bytes / 2 + !(i & 1), bytes);
		__asm__ volatile("" : : "r"(buf) : "memory");
	}
	double r = (double)bytes * REPS / 1e6 / ((double)(now() - t0) / 1e9);
	free(buf);
	return r;
}

int main(void)
{
	uint8_t *win =
	    mmap(NULL, WINDOW, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (win == MAP_FAILED) {
		perror("mm_bench: mmap");
		return 1;
	}
	double base = churn_malloc();
	printf("%-34s %10s %10s\n", "Memory Manager", "ns/op", "x malloc");
	printf("%-34s %10.1f %10s\n", "host malloc+free (baseline)", base, "1.0");
	for (int mode = 0; mode < 2; mode++) {
		bool a32 = mode == 1;
		const char *m = a32 ? "32" : "24";
		struct mm mm;
		setup(&mm, win, a32);
		double h = churn_mm(&mm, true);
		setup(&mm, win, a32);
		double p = churn_mm(&mm, false);
		setup(&mm, win, a32);
		uint32_t moved;
		double c = compaction_mbps(&mm, &moved);
		double mv = memmove_mbps(moved);
		printf("%-34s %10.1f %10.1f\n",
		       a32 ? "NewHandle+DisposeHandle, 32-bit" : "NewHandle+DisposeHandle, 24-bit",
		       h, h / base);
		printf("%-34s %10.1f %10.1f\n",
		       a32 ? "NewPtr+DisposePtr, 32-bit" : "NewPtr+DisposePtr, 24-bit", p,
		       p / base);
		printf("%-34s %7.0f MB/s (host memmove %.0f MB/s, x%.1f slower)\n",
		       a32 ? "CompactMem, 32-bit" : "CompactMem, 24-bit", c, mv, mv / c);
		printf("bench: mm_handle_churn_%s %.1f ns\n", m, h);
		printf("bench: mm_ptr_churn_%s %.1f ns\n", m, p);
		printf("bench: mm_compact_%s %.0f MB/s\n", m, c);
	}
	munmap(win, WINDOW);
	return 0;
}
