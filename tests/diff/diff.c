/* tests/diff: differential testing of the vm68k interpreter against qemu-m68k.
 * Generates random instruction sequences, runs each under qemu (through the
 * m68k harness) and under the interpreter, and compares every register, the
 * CCR and the data area, masking only what qemu_quirks.c lists. */
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
	      "            [--max-insns N] [--batch N] [--qemu PATH] [--harness PATH]\n"
	      "            [--against-qemu-cpu 68020|68030|68040] [--qemu-only]\n"
	      "Runs N generated 68K sequences under qemu-m68k and under the vm68k\n"
	      "interpreter and compares the results. --against-qemu-cpu compares qemu\n"
	      "with qemu on another model instead; --qemu-only runs qemu alone.\n"
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

int main(int argc, char **argv)
{
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	uint64_t count = 20000, batch = 5000, max_insns = 6;
	enum diff_cpu cpu = DIFF_68020, other_cpu = DIFF_68020;
	int verbose = 0, qemu_only = 0, against_qemu = 0;
	const char *qemu = getenv("VM68K_DIFF_QEMU") ? getenv("VM68K_DIFF_QEMU") : "qemu-m68k";
	char *harness = default_harness();

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;
		if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			verbose = 1;
			continue;
		}
		if (!strcmp(a, "--qemu-only")) {
			qemu_only = 1;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		}
		if (!v) {
			fprintf(stderr, "diff: %s: unknown option or missing value\n", a);
			usage(stderr);
			return 2;
		}
		if (!strcmp(a, "--seed"))
			bad = parse_u64(v, &seed);
		else if (!strcmp(a, "--count"))
			bad = parse_u64(v, &count);
		else if (!strcmp(a, "--batch"))
			bad = parse_u64(v, &batch) || batch == 0;
		else if (!strcmp(a, "--max-insns"))
			bad = parse_u64(v, &max_insns) || max_insns == 0 ||
			      max_insns > DIFF_MAX_INSNS;
		else if (!strcmp(a, "--cpu"))
			bad = parse_cpu(v, &cpu);
		else if (!strcmp(a, "--against-qemu-cpu")) {
			bad = parse_cpu(v, &other_cpu);
			against_qemu = 1;
		} else if (!strcmp(a, "--qemu"))
			qemu = v;
		else if (!strcmp(a, "--harness")) {
			free(harness);
			harness = strdup(v);
		} else {
			fprintf(stderr, "diff: %s: unknown option\n", a);
			usage(stderr);
			return 2;
		}
		if (bad) {
			fprintf(stderr, "diff: %s: bad value '%s'\n", a, v);
			return 2;
		}
		i++;
	}

	struct diff_backend *ref = diff_qemu_backend(cpu, qemu, harness);
	if (!ref) {
		printf("diff: skipped: qemu-m68k or the m68k harness is missing\n");
		free(harness);
		return SKIP;
	}
	struct diff_backend *sub = NULL;
	if (against_qemu)
		sub = diff_qemu_backend(other_cpu, qemu, harness);
	else if (!qemu_only) {
		sub = diff_vm68k_backend(cpu);
		if (!sub) {
			printf("diff: skipped: the vm68k interpreter backend is not built yet "
			       "(tests/diff/vm68k_backend.c needs guest/'s CPU)\n");
			ref->destroy(ref);
			free(harness);
			return SKIP;
		}
	}
	printf("diff: seed %" PRIu64 ", %" PRIu64 " sequences, cpu 680%s0, qemu vs %s\n", seed,
	       count,
	       cpu == DIFF_68040   ? "4"
	       : cpu == DIFF_68030 ? "3"
				   : "2",
	       qemu_only      ? "nothing (--qemu-only)"
	       : against_qemu ? "qemu on another model"
			      : "vm68k");
	fflush(stdout);

	struct diff_case *cases = malloc(batch * sizeof *cases);
	struct diff_result *r1 = malloc(batch * sizeof *r1), *r2 = malloc(batch * sizeof *r2);
	if (!cases || !r1 || !r2) {
		fprintf(stderr, "diff: out of memory for a batch of %" PRIu64 "\n", batch);
		return 2;
	}
	struct diff_rng rng;
	diff_rng_seed(&rng, seed);
	uint64_t done = 0, mismatches = 0, lost = 0, exceptions = 0, excused = 0;
	double qemu_time = 0;
	while (done < count) {
		size_t n = (size_t)(count - done < batch ? count - done : batch);
		for (size_t i = 0; i < n; i++)
			diff_generate(&rng, cpu, (unsigned)max_insns, &cases[i]);
		double t0 = now();
		if (ref->run(ref, cases, n, r1) != 0)
			return 2;
		qemu_time += now() - t0;
		if (sub && sub->run(sub, cases, n, r2) != 0)
			return 2;
		for (size_t i = 0; i < n; i++) {
			const char *excuse;
			if ((excuse = diff_quirks_not_compared(&cases[i], &r1[i]))) {
				excused++;
				if (verbose) {
					fprintf(stderr,
						"diff: sequence %" PRIu64 " not compared: %s\n",
						done + i, excuse);
					diff_print_case(&cases[i]);
				}
				continue;
			}
			if (r1[i].signal == DIFF_BACKEND_LOST ||
			    (sub && r2[i].signal == DIFF_BACKEND_LOST)) {
				lost++;
				mismatches++;
				fprintf(stderr,
					"diff: sequence %" PRIu64 ": a backend failed to run it\n",
					done + i);
				diff_print_case(&cases[i]);
				continue;
			}
			if (r1[i].signal)
				exceptions++;
			if (!sub)
				continue;
			if (diff_compare(&cases[i], &r1[i], &r2[i], sub->name, 0)) {
				mismatches++;
				if (verbose || mismatches <= 10) {
					fprintf(stderr, "diff: sequence %" PRIu64 " differs:\n",
						done + i);
					diff_print_case(&cases[i]);
					diff_compare(&cases[i], &r1[i], &r2[i], sub->name, 1);
				}
			}
		}
		done += n;
	}
	printf("diff: qemu ran %" PRIu64 " sequences in %.2f s (%.0f sequences/s), %" PRIu64
	       " ended in an exception, %" PRIu64 " lost, %" PRIu64
	       " not compared as qemu_quirks.c lists\n",
	       done, qemu_time, qemu_time > 0 ? done / qemu_time : 0.0, exceptions, lost, excused);
	if (qemu_only)
		printf("diff: %" PRIu64
		       " sequences run under qemu only, nothing compared, seed %" PRIu64 "\n",
		       done, seed);
	else
		printf("diff: %" PRIu64 " sequences, %" PRIu64 " mismatches, seed %" PRIu64 "\n",
		       done, mismatches, seed);
	ref->destroy(ref);
	if (sub)
		sub->destroy(sub);
	free(cases);
	free(r1);
	free(r2);
	free(harness);
	return mismatches || lost ? 1 : 0;
}
