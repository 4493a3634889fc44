/* tests/sst/sst.c: runs the 68000 single-step suite (SingleStepTests/m68000,
 * binary .json.bin files; layout in the data's FORMAT.md) against guest/:
 * one instruction per test, every register, SR, PC and listed RAM byte
 * compared. With --baseline it fails only on a group falling below its
 * recorded pass count, so `make check` shows progress without going red. */
#include "config.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "guest/guest.h"

#define WINDOW_SIZE (16u << 20)
#define MAX_GROUPS 256

struct state {
	uint32_t r[19]; /* d0-d7 a0-a6 usp ssp sr pc */
	uint32_t prefetch[2];
	uint32_t nram;
	const uint8_t *ram; /* nram * { u32 addr; u16 data } */
};
enum { R_USP = 15, R_SSP = 16, R_SR = 17, R_PC = 18 };
static const char *const reg_names[19] = {"d0", "d1",  "d2",  "d3", "d4", "d5", "d6",
					  "d7", "a0",  "a1",  "a2", "a3", "a4", "a5",
					  "a6", "usp", "ssp", "sr", "pc"};

static uint8_t *window;
static int verbose_n; /* show details of the first N failures per group */
static uint64_t total_insns;

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Parses one state block at p (bounded by end); returns the next byte or NULL. */
static const uint8_t *parse_state(const uint8_t *p, const uint8_t *end, struct state *s)
{
	if (end - p < 8 + 19 * 4 + 8 + 4 || le32(p + 4) != 0x01234567)
		return NULL;
	const uint8_t *next = p + le32(p);
	p += 8;
	for (int i = 0; i < 19; i++, p += 4)
		s->r[i] = le32(p);
	s->prefetch[0] = le32(p);
	s->prefetch[1] = le32(p + 4);
	p += 8;
	s->nram = le32(p);
	p += 4;
	s->ram = p;
	if ((size_t)(end - p) < (size_t)s->nram * 6 || next > end)
		return NULL;
	return next;
}

static void put_word(uint32_t a, uint32_t w)
{
	window[a & 0xFFFFFF] = (uint8_t)(w >> 8);
	window[(a + 1) & 0xFFFFFF] = (uint8_t)w;
}

static void load_ram(const struct state *s)
{
	for (uint32_t i = 0; i < s->nram; i++)
		put_word(le32(s->ram + 6 * i), le16(s->ram + 6 * i + 4));
}

static void clear_ram(const struct state *s)
{
	for (uint32_t i = 0; i < s->nram; i++)
		put_word(le32(s->ram + 6 * i), 0);
}

/* Runs one test; returns 1 if the final state matches. */
static int run_test(const char *name, const struct state *in, const struct state *out, int show)
{
	struct cpu cpu;
	cpu_init(&cpu, CPU_68000);
	cpu_set_memory(&cpu, window, 0x00FFFFFF);
	for (int i = 0; i < 8; i++)
		cpu.d[i] = in->r[i];
	for (int i = 0; i < 7; i++)
		cpu.a[i] = in->r[8 + i];
	cpu.sr = (uint16_t)in->r[R_SR];
	if (cpu.sr & SR_S) {
		cpu.a[7] = in->r[R_SSP];
		cpu.usp = in->r[R_USP];
	} else {
		cpu.a[7] = in->r[R_USP];
		cpu.ssp = in->r[R_SSP];
	}
	/* MAME's pc is the next prefetch address: the instruction is 4 before */
	cpu.pc = in->r[R_PC] - 4;
	load_ram(in);
	put_word(cpu.pc, in->prefetch[0]);
	put_word(cpu.pc + 2, in->prefetch[1]);

	enum cpu_stop why = cpu_step(&cpu);
	total_insns++;

	uint32_t got[19];
	for (int i = 0; i < 8; i++)
		got[i] = cpu.d[i];
	for (int i = 0; i < 7; i++)
		got[8 + i] = cpu.a[i];
	got[R_USP] = cpu_usp(&cpu);
	got[R_SSP] = cpu_ssp(&cpu);
	got[R_SR] = cpu.sr;
	/* a stopped 68000 does not prefetch beyond the STOP */
	got[R_PC] = why == CPU_STOP_STOPPED || cpu.stopped ? cpu.pc : cpu.pc + 4;

	int ok = 1;
	for (int i = 0; i < 19; i++) {
		if (got[i] == out->r[i])
			continue;
		if (show)
			printf("  %s: %s got %08x want %08x (was %08x)\n", name, reg_names[i],
			       got[i], out->r[i], in->r[i]);
		ok = 0;
	}
	for (uint32_t i = 0; i < out->nram; i++) {
		uint32_t a = le32(out->ram + 6 * i) & 0xFFFFFF;
		uint16_t want = le16(out->ram + 6 * i + 4);
		uint16_t have = (uint16_t)(window[a] << 8 | window[(a + 1) & 0xFFFFFF]);
		if (have == want)
			continue;
		if (show)
			printf("  %s: ram %06x got %04x want %04x\n", name, a, have, want);
		ok = 0;
	}
	clear_ram(in);
	clear_ram(out);
	return ok;
}

struct group_result {
	char name[64];
	long pass, fail;
};

/* Runs every test of one file; returns 0, or -1 if the file is unreadable. */
static int run_file(const char *path, struct group_result *g)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "sst: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc((size_t)len);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "sst: cannot read %s\n", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	const uint8_t *p = buf, *end = buf + len;
	if (len < 8 || le32(p) != 0x1A3F5D71) {
		fprintf(stderr, "sst: %s: bad magic (expected 0x1A3F5D71 at offset 0)\n", path);
		free(buf);
		return -1;
	}
	uint32_t n = le32(p + 4);
	p += 8;
	int shown = 0;
	for (uint32_t t = 0; t < n; t++) {
		if (end - p < 8 || le32(p + 4) != 0xABC12367) {
			fprintf(stderr, "sst: %s: test %u at offset %ld: bad test magic\n", path, t,
				(long)(p - buf));
			free(buf);
			return -1;
		}
		const uint8_t *next = p + le32(p);
		const uint8_t *q = p + 8;
		/* name block */
		uint32_t nlen = le32(q + 8);
		char name[128];
		snprintf(name, sizeof name, "%.*s", (int)(nlen < 120 ? nlen : 120),
			 (const char *)q + 12);
		q += le32(q);
		struct state in, out;
		q = parse_state(q, end, &in);
		if (q)
			q = parse_state(q, end, &out);
		if (!q || next > end) {
			fprintf(stderr, "sst: %s: test %u: truncated state\n", path, t);
			free(buf);
			return -1;
		}
		int show = shown < verbose_n;
		if (run_test(name, &in, &out, 0))
			g->pass++;
		else {
			g->fail++;
			if (show) {
				shown++;
				run_test(name, &in, &out, 1);
			}
		}
		p = next;
	}
	free(buf);
	madvise(window, WINDOW_SIZE, MADV_DONTNEED); /* back to zeros for the next group */
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int unverified(const char *g)
{
	return !strcmp(g, "TAS") || !strcmp(g, "TRAPV");
}

/* Minimum pass count recorded for a group in the baseline, or -1. */
static long baseline_for(const char *file, const char *group)
{
	FILE *f = fopen(file, "r");
	if (!f)
		return -1;
	char line[256], name[128];
	long n, found = -1;
	while (fgets(line, sizeof line, f))
		if (line[0] != '#' && sscanf(line, "%127s %ld", name, &n) == 2 &&
		    !strcmp(name, group))
			found = n;
	fclose(f);
	return found;
}

static void usage(void)
{
	fprintf(stderr, "usage: sst [--group NAME]... [--verbose[=N]] [--dir PATH]\n"
			"           [--baseline FILE] [--write-baseline FILE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *groups[MAX_GROUPS];
	int ngroups = 0;
	const char *dir = getenv("VM68K_SST_DIR"), *baseline = NULL, *write_baseline = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--group") && i + 1 < argc && ngroups < MAX_GROUPS)
			groups[ngroups++] = argv[++i];
		else if (!strcmp(argv[i], "--verbose"))
			verbose_n = 5;
		else if (!strncmp(argv[i], "--verbose=", 10))
			verbose_n = atoi(argv[i] + 10);
		else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--baseline") && i + 1 < argc)
			baseline = argv[++i];
		else if (!strcmp(argv[i], "--write-baseline") && i + 1 < argc)
			write_baseline = argv[++i];
		else
			usage();
	}
	char dbuf[4096];
	if (!dir || !*dir) {
		const char *top = getenv("top_srcdir");
		snprintf(dbuf, sizeof dbuf, "%s/../shared/m68000-tests", top && *top ? top : ".");
		dir = dbuf;
	}
	char vdir[4200];
	snprintf(vdir, sizeof vdir, "%s/v1", dir);
	DIR *d = opendir(vdir);
	if (!d) {
		printf("sst: skipped (no data at %s)\n", dir);
		return 77;
	}
	char *files[MAX_GROUPS];
	int nfiles = 0;
	struct dirent *e;
	while ((e = readdir(d)) && nfiles < MAX_GROUPS) {
		size_t l = strlen(e->d_name);
		if (l > 9 && !strcmp(e->d_name + l - 9, ".json.bin"))
			files[nfiles++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(files, (size_t)nfiles, sizeof files[0], cmp_str);
	if (!nfiles) {
		printf("sst: skipped (no data at %s)\n", dir);
		return 77;
	}

	window = mmap(NULL, WINDOW_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (window == MAP_FAILED) {
		perror("sst: mmap");
		return 1;
	}

	static struct group_result res[MAX_GROUPS];
	int nres = 0, errors = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < nfiles; i++) {
		char gname[64];
		snprintf(gname, sizeof gname, "%.*s", (int)(strlen(files[i]) - 9), files[i]);
		int want = !ngroups;
		for (int k = 0; k < ngroups; k++)
			want |= !strcmp(groups[k], gname);
		if (!want)
			continue;
		struct group_result *g = &res[nres++];
		snprintf(g->name, sizeof g->name, "%s", gname);
		char path[8400];
		snprintf(path, sizeof path, "%s/%s", vdir, files[i]);
		if (run_file(path, g))
			errors++;
		printf("%s: %ld passed, %ld failed%s\n", g->name, g->pass, g->fail,
		       unverified(g->name) ? " (upstream-unverified)" : "");
		fflush(stdout);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (int i = 0; i < nfiles; i++)
		free(files[i]);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

	long pass = 0, fail = 0, upass = 0, ufail = 0;
	for (int i = 0; i < nres; i++) {
		if (unverified(res[i].name)) {
			upass += res[i].pass;
			ufail += res[i].fail;
		} else {
			pass += res[i].pass;
			fail += res[i].fail;
		}
	}
	int regressions = 0;
	if (baseline) {
		for (int i = 0; i < nres; i++) {
			long min = baseline_for(baseline, res[i].name);
			if (min < 0)
				min = 0;
			if (res[i].pass < min) {
				printf("sst: REGRESSION in %s: %ld passed, baseline %ld\n",
				       res[i].name, res[i].pass, min);
				regressions++;
			}
		}
	}
	if (write_baseline) {
		FILE *f = fopen(write_baseline, "w");
		if (!f) {
			fprintf(stderr, "sst: cannot write %s: %s\n", write_baseline,
				strerror(errno));
			return 1;
		}
		fprintf(f, "# tests/sst baseline: group, minimum tests passing (of 2500).\n"
			   "# Written by `sst --write-baseline`; raise it, never lower it.\n");
		for (int i = 0; i < nres; i++)
			fprintf(f, "%s %ld\n", res[i].name, res[i].pass);
		fclose(f);
	}
	printf("sst: %llu tests in %.2f s (%.0f tests/s, including setup and compare)\n",
	       (unsigned long long)total_insns, secs, secs > 0 ? (double)total_insns / secs : 0.0);
	printf("sst: upstream-unverified groups (TAS, TRAPV): %ld passed, %ld failed\n", upass,
	       ufail);
	printf("sst: %ld passed, %ld failed, %d skipped\n", pass + upass, fail + ufail, 0);
	if (errors)
		return 1;
	if (baseline)
		return regressions ? 1 : 0;
	return fail + ufail ? 1 : 0;
}
