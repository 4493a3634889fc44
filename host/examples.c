/* The bundled examples: one table of names and one-line descriptions, read
 * by `vm68k examples` and `vm68k run --example NAME`, and where to find the
 * built applications (examples/local.mk builds and installs them). */
#define _GNU_SOURCE
#include "config.h"

#include "host/host.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef VM68K_PKGDATADIR
#define VM68K_PKGDATADIR "/usr/local/share/vm68k"
#endif

/* Keep in step with EXAMPLE_NAMES in examples/local.mk (tests/examples_test.sh
 * compares them). */
const struct bundled_example bundled_examples[] = {
    {"thrash", "a working set swept past physical memory (--ram): faults per pass by size"},
    {"password", "a secret in an unheld vs a held buffer: which reaches the backing store"},
    {"heapwalk", "an allocator that walks every block on free vs a free list: faults compared"},
    {"privileged", "interrupts masked by MOVE to SR vs CAS: emulations counted under VM"},
    {"hold", "an 'eada' Time Manager task reading while the program pages: deferred, held, fatal"},
    {"deferred", "a Time Manager task installed 40 times without RmvTime: error 112 under VM"},
    {"hello", "the smallest application: NewPtr, HoldMemory, DebugStr, ExitToShell"},
};
const size_t bundled_example_count = sizeof bundled_examples / sizeof bundled_examples[0];

/* The directories searched, in order: $VM68K_EXAMPLES; examples/ beside the
 * running program (the build tree: _build/vm68k and _build/examples/); the
 * installed $(pkgdatadir)/examples. */
static size_t example_dirs(char dirs[3][PATH_MAX])
{
	size_t n = 0;
	const char *env = getenv("VM68K_EXAMPLES");
	if (env != NULL && *env != '\0')
		snprintf(dirs[n++], PATH_MAX, "%s", env);
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = '\0';
		snprintf(dirs[n++], PATH_MAX, "%.*s/examples", PATH_MAX - 16, dirname(exe));
	}
	snprintf(dirs[n++], PATH_MAX, "%s/examples", VM68K_PKGDATADIR);
	return n;
}

const struct bundled_example *example_lookup(const char *name)
{
	for (size_t i = 0; i < bundled_example_count; i++)
		if (strcmp(bundled_examples[i].name, name) == 0)
			return &bundled_examples[i];
	return NULL;
}

bool example_path(const char *name, char *out, size_t len)
{
	char dirs[3][PATH_MAX];
	size_t n = example_dirs(dirs);
	for (size_t i = 0; i < n; i++) {
		snprintf(out, len, "%s/%s.bin", dirs[i], name);
		if (access(out, R_OK) == 0)
			return true;
	}
	return false;
}

void example_not_found(const char *name)
{
	char dirs[3][PATH_MAX];
	size_t n = example_dirs(dirs);
	if (example_lookup(name) == NULL) {
		fprintf(stderr,
			"vm68k run: --example %s: no such example (vm68k examples lists them)\n",
			name);
		return;
	}
	fprintf(stderr, "vm68k run: --example %s: %s.bin is not in", name, name);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s %s", i ? "," : "", dirs[i]);
	fprintf(stderr, " (the examples are built only when m68k-linux-gnu-gcc is installed)\n");
}

int cmd_examples(const struct run_config *cfg)
{
	(void)cfg;
	char path[PATH_MAX + 32];
	bool missing = false;
	for (size_t i = 0; i < bundled_example_count; i++) {
		bool found = example_path(bundled_examples[i].name, path, sizeof path);
		missing |= !found;
		printf("%-11s %s%s\n", bundled_examples[i].name, bundled_examples[i].description,
		       found ? "" : " [not built]");
	}
	printf("\nRun one with: vm68k run --example NAME [--stats] [options]\n");
	if (missing)
		printf(
		    "Examples marked [not built] need m68k-linux-gnu-gcc when vm68k is built.\n");
	return EXIT_OK;
}
