/* tests/diff: differential testing of the vm68k interpreter against qemu-m68k.
 * Generates random instruction sequences from guest/'s instruction table,
 * runs each under qemu (through the m68k harness) and under the interpreter,
 * for the 68020, 68030 and 68040, and compares every register, the CCR and
 * the data area, masking only what qemu_quirks.c lists. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/diff/diff.h"

#define SKIP 77

static void usage(FILE *f)
{
	fputs("usage: diff [--seed S] [--count N] [--cpu 68020|68030|68040] [--verbose]\n"
	      "            [--max-insns N] [--batch N] [--only MNEMONIC] [--qemu PATH]\n"
	      "            [--harness PATH] [--against-qemu-cpu 68020|68030|68040] [--qemu-only]\n"
	      "Runs N generated 68K sequences for each model (or the --cpu one) under\n"
	      "qemu-m68k and under the vm68k interpreter and compares the results.\n"
	      "The same --seed gives the same sequences; a model's own run uses the\n"
	      "same ones as in a run of all three. --only generates just that row of\n"
	      "the instruction table (e.g. ADDX, Bcc, MULL). --against-qemu-cpu compares\n"
	      "qemu with qemu on another model instead; --qemu-only runs qemu alone.\n"
	      "Exit: 0 no mismatch, 1 mismatches, 2 error, 77 skipped (a backend is missing).\n",
	      f);
}

static int parse_cpu(const char *s, enum diff_cpu *cpu)
{
	if (!strncmp(s, "m", 1) || !strncmp(s, "M", 1))
		s++;
	if (!strcmp(s, "68020"))
		*cpu = DIFF_68020;
	else if (!strcmp(s, "68030"))
		*cpu = DIFF_68030;
	else if (!strcmp(s, "68040"))
		*cpu = DIFF_68040;
	else
		return -1;
	return 0;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 0);
	if (errno || !*s || *end)
		return -1;
	*v = x;
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The harness sits beside this program unless told otherwise. */
static char *default_harness(void)
{
	const char *env = getenv("VM68K_DIFF_HARNESS");
	if (env)
		return strdup(env);
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	if (len < 0)
		return strdup("m68k-harness");
	self[len] = 0;
	char *dir = dirname(self);
	char *out = malloc(strlen(dir) + sizeof "/m68k-harness");
	sprintf(out, "%s/m68k-harness", dir);
	return out;
}

struct totals {
	uint64_t done, mismatches, lost, exceptions, excused;
	double qemu_time;
};

struct run_options {
	uint64_t seed, count, batch, max_insns;
	const char *only, *qemu, *harness;
	int verbose, qemu_only, against_qemu;
	enum diff_cpu other_cpu;
};

static const char *cpu_label(enum diff_cpu cpu)
{
	return cpu == DIFF_68040 ? "68040" : cpu == DIFF_68030 ? "68030" : "68020";
}

/* Runs o->count sequences for one model; returns 0, SKIP when a backend is
 * missing, or 2 on an error. */
static int run_model(enum diff_cpu cpu, const struct run_options *o, struct totals *t)
{
	struct diff_backend *ref = diff_qemu_backend(cpu, o->qemu, o->harness);
	if (!ref) {
		printf("diff: skipped: qemu-m68k or the m68k harness is missing\n");
		return SKIP;
	}
	struct diff_backend *sub = NULL;
	if (o->against_qemu)
		sub = diff_qemu_backend(o->other_cpu, o->qemu, o->harness);
	else if (!o->qemu_only)
		sub = diff_vm68k_backend(cpu);
	if ((o->against_qemu || !o->qemu_only) && !sub) {
		ref->destroy(ref);
		return 2;
	}
	struct diff_case *cases = malloc(o->batch * sizeof *cases);
	struct diff_result *r1 = malloc(o->batch * sizeof *r1), *r2 = malloc(o->batch * sizeof *r2);
	if (!cases || !r1 || !r2) {
		fprintf(stderr, "diff: out of memory for a batch of %" PRIu64 "\n", o->batch);
		return 2;
	}
	/* Each model has its own stream, so --cpu alone repeats its part of a
	 * run of all three. */
	struct diff_rng rng;
	diff_rng_seed(&rng, o->seed + (uint64_t)cpu);
	uint64_t done = 0, mismatches = 0, lost = 0, exceptions = 0, excused = 0;
	double t0 = now(), qemu_time = 0;
	int status = 0;
	while (done < o->count) {
		size_t n = (size_t)(o->count - done < o->batch ? o->count - done : o->batch);
		size_t empty = 0;
		for (size_t i = 0; i < n; i++) {
			diff_generate(&rng, cpu, (unsigned)o->max_insns, o->only, &cases[i]);
			empty += cases[i].ninsns == 0;
		}
		if (empty == n) {
			fprintf(stderr,
				"diff: --only %s: no such row of the instruction table can be "
				"generated for the %s (unknown, or excluded by qemu_quirks.c)\n",
				o->only, cpu_label(cpu));
			status = 2;
			break;
		}
		double tq = now();
		if (ref->run(ref, cases, n, r1) != 0) {
			status = 2;
			break;
		}
		qemu_time += now() - tq;
		if (sub && sub->run(sub, cases, n, r2) != 0) {
			status = 2;
			break;
		}
		for (size_t i = 0; i < n; i++) {
			const char *excuse;
			uint64_t k = done + i;
			if ((excuse = diff_quirks_not_compared(&cases[i], &r1[i]))) {
				excused++;
				if (o->verbose) {
					fprintf(stderr,
						"diff: %s sequence %" PRIu64 " not compared: %s\n",
						cpu_label(cpu), k, excuse);
					diff_print_case(&cases[i]);
				}
				continue;
			}
			if (r1[i].signal == DIFF_BACKEND_LOST ||
			    (sub && r2[i].signal == DIFF_BACKEND_LOST)) {
				lost++;
				mismatches++;
				fprintf(stderr,
					"diff: %s sequence %" PRIu64
					": a backend failed to run it\n",
					cpu_label(cpu), k);
				diff_print_case(&cases[i]);
				continue;
			}
			if (r1[i].signal)
				exceptions++;
			if (!sub)
				continue;
			if (diff_compare(&cases[i], &r1[i], &r2[i], sub->name, 0)) {
				mismatches++;
				if (o->verbose || mismatches <= 10) {
					fprintf(stderr,
						"diff: %s sequence %" PRIu64
						" differs (again: --seed %" PRIu64
						" --cpu %s --count %" PRIu64 "):\n",
						cpu_label(cpu), k, o->seed, cpu_label(cpu), k + 1);
					diff_print_case(&cases[i]);
					diff_compare(&cases[i], &r1[i], &r2[i], sub->name, 1);
				}
			}
		}
		done += n;
	}
	printf("diff: %s: %" PRIu64 " sequences in %.2f s (qemu %.2f s), %" PRIu64
	       " ended in an exception, %" PRIu64 " lost, %" PRIu64
	       " not compared as qemu_quirks.c lists, %" PRIu64 " mismatches\n",
	       cpu_label(cpu), done, now() - t0, qemu_time, exceptions, lost, excused, mismatches);
	fflush(stdout);
	t->done += done;
	t->mismatches += mismatches;
	t->lost += lost;
	t->exceptions += exceptions;
	t->excused += excused;
	t->qemu_time += qemu_time;
	ref->destroy(ref);
	if (sub)
		sub->destroy(sub);
	free(cases);
	free(r1);
	free(r2);
	return status;
}

int main(int argc, char **argv)
{
	struct run_options o = {
	    .seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32),
	    .count = 20000,
	    .batch = 5000,
	    .max_insns = 6,
	    .qemu = getenv("VM68K_DIFF_QEMU") ? getenv("VM68K_DIFF_QEMU") : "qemu-m68k",
	};
	int all_models = 1;
	enum diff_cpu cpu = DIFF_68020;
	char *harness = default_harness();

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;
		if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			o.verbose = 1;
			continue;
		}
		if (!strcmp(a, "--qemu-only")) {
			o.qemu_only = 1;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			free(harness);
			return 0;
		}
		if (!v) {
			fprintf(stderr, "diff: %s: unknown option or missing value\n", a);
			usage(stderr);
			free(harness);
			return 2;
		}
		if (!strcmp(a, "--seed"))
			bad = parse_u64(v, &o.seed);
		else if (!strcmp(a, "--count"))
			bad = parse_u64(v, &o.count);
		else if (!strcmp(a, "--batch"))
			bad = parse_u64(v, &o.batch) || o.batch == 0;
		else if (!strcmp(a, "--max-insns"))
			bad = parse_u64(v, &o.max_insns) || o.max_insns == 0 ||
			      o.max_insns >= DIFF_MAX_INSNS;
		else if (!strcmp(a, "--cpu")) {
			bad = parse_cpu(v, &cpu);
			all_models = 0;
		} else if (!strcmp(a, "--only"))
			o.only = v;
		else if (!strcmp(a, "--against-qemu-cpu")) {
			bad = parse_cpu(v, &o.other_cpu);
			o.against_qemu = 1;
		} else if (!strcmp(a, "--qemu"))
			o.qemu = v;
		else if (!strcmp(a, "--harness")) {
			free(harness);
			harness = strdup(v);
		} else {
			fprintf(stderr, "diff: %s: unknown option\n", a);
			usage(stderr);
			free(harness);
			return 2;
		}
		if (bad) {
			fprintf(stderr, "diff: %s: bad value '%s'\n", a, v);
			free(harness);
			return 2;
		}
		i++;
	}
	o.harness = harness;

	printf("diff: seed %" PRIu64 ", %" PRIu64 " sequences for %s, qemu vs %s\n", o.seed,
	       o.count, all_models ? "each of 68020, 68030, 68040" : cpu_label(cpu),
	       o.qemu_only	? "nothing (--qemu-only)"
	       : o.against_qemu ? "qemu on another model"
				: "vm68k");
	fflush(stdout);
	struct totals t = {0};
	int status = 0;
	for (int m = all_models ? DIFF_68020 : (int)cpu; m <= (all_models ? DIFF_68040 : (int)cpu);
	     m++) {
		status = run_model((enum diff_cpu)m, &o, &t);
		if (status)
			break;
	}
	free(harness);
	if (status)
		return status;
	printf("diff: qemu ran %" PRIu64 " sequences in %.2f s (%.0f sequences/s), %" PRIu64
	       " ended in an exception, %" PRIu64 " lost, %" PRIu64
	       " not compared as qemu_quirks.c lists\n",
	       t.done, t.qemu_time, t.qemu_time > 0 ? t.done / t.qemu_time : 0.0, t.exceptions,
	       t.lost, t.excused);
	if (o.qemu_only)
		printf("diff: %" PRIu64
		       " sequences run under qemu only, nothing compared, seed %" PRIu64 "\n",
		       t.done, o.seed);
	else
		printf("diff: %" PRIu64 " sequences, %" PRIu64 " mismatches, seed %" PRIu64 "\n",
		       t.done, t.mismatches, o.seed);
	return t.mismatches || t.lost ? 1 : 0;
}
