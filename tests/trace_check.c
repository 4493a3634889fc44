/* Reads back a JSON Lines trace written by `vm68k run --trace` and checks
 * what every trace must satisfy (vm68k-trace(5)): each line a flat object
 * of integers and fixed names; time and the running totals never go back;
 * page-in and page-out records move their totals by one; page-ins come from
 * the backing store, zero-fills from zeros; hold, unhold, lock and unlock
 * records move the held/locked counts by at most their pages; resident
 * stays within the frames; and once the guest runs, every record carries a
 * PC inside logical RAM or the toolbox ROM. Prints "KIND COUNT" per kind
 * (tests/trace_run_test.sh asks for the kinds it expects) and exits 1 with
 * "FAIL: line N: ..." on the first broken rule.
 *   usage: trace_check FILE FRAMES VM_BYTES */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_FIELDS = 16, MAX_KINDS = 32 };

struct field {
	char key[24];
	char text[32]; /* string value, or "" for a number */
	uint64_t num;
	bool is_num;
};

struct rec {
	struct field f[MAX_FIELDS];
	int n;
};

static unsigned long line_no;

static _Noreturn void fail(const char *fmt, const char *what)
{
	printf("FAIL: line %lu: ", line_no);
	printf(fmt, what);
	printf("\n");
	exit(1);
}

/* A flat JSON object: "key":integer or "key":"name", nothing nested and no
 * escapes (the schema promises neither is ever needed). */
static void parse(const char *s, struct rec *r)
{
	r->n = 0;
	if (*s++ != '{')
		fail("%s", "not an object");
	while (*s != '}') {
		if (r->n == MAX_FIELDS)
			fail("%s", "too many members");
		struct field *f = &r->f[r->n++];
		memset(f, 0, sizeof *f);
		if (*s++ != '"')
			fail("%s", "member name not a string");
		size_t k = 0;
		while (*s && *s != '"' && *s != '\\' && k + 1 < sizeof f->key)
			f->key[k++] = *s++;
		if (*s++ != '"' || *s++ != ':')
			fail("%s", "bad member name");
		if (*s == '"') {
			s++;
			size_t t = 0;
			while (*s && *s != '"' && *s != '\\' && t + 1 < sizeof f->text)
				f->text[t++] = *s++;
			if (*s++ != '"' || t == 0)
				fail("bad string value of %s", f->key);
		} else {
			if (*s < '0' || *s > '9')
				fail("value of %s is not a non-negative integer", f->key);
			char *end;
			f->num = strtoull(s, &end, 10);
			s = end;
			f->is_num = true;
		}
		if (*s == ',')
			s++;
		else if (*s != '}')
			fail("%s", "expected , or }");
	}
	if (s[1] != '\0' && s[1] != '\n')
		fail("%s", "text after the object");
}

static const struct field *get(const struct rec *r, const char *key, bool num)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->f[i].key, key) == 0) {
			if (r->f[i].is_num != num)
				fail("%s has the wrong type", key);
			return &r->f[i];
		}
	return NULL;
}

static uint64_t num(const struct rec *r, const char *key)
{
	const struct field *f = get(r, key, true);
	if (f == NULL)
		fail("no %s", key);
	return f->num;
}

static bool plausible_pc(uint64_t pc, uint64_t vm_bytes)
{
	/* logical RAM, or the toolbox ROM ($40800000, 8 MiB at most) */
	return (pc > 0 && pc < vm_bytes) || (pc >= 0x40800000u && pc < 0x41000000u);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: trace_check FILE FRAMES VM_BYTES\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (f == NULL) {
		perror(argv[1]);
		return 2;
	}
	uint64_t frames = strtoull(argv[2], NULL, 0), vm_bytes = strtoull(argv[3], NULL, 0);
	static char line[4096];
	struct rec r, prev;
	bool have_prev = false, guest_running = false;
	char kinds[MAX_KINDS][32];
	unsigned long counts[MAX_KINDS] = {0};
	int nkinds = 0;
	while (fgets(line, sizeof line, f)) {
		line_no++;
		parse(line, &r);
		const struct field *kf = get(&r, "kind", false);
		if (kf == NULL)
			fail("%s", "no kind");
		const char *kind = kf->text;
		int k = 0;
		while (k < nkinds && strcmp(kinds[k], kind) != 0)
			k++;
		if (k == nkinds && nkinds < MAX_KINDS)
			snprintf(kinds[nkinds++], sizeof kinds[0], "%s", kind);
		if (k < MAX_KINDS)
			counts[k]++;

		uint64_t pc = num(&r, "pc"), addr = num(&r, "addr"), page = num(&r, "page");
		bool trap = strcmp(kind, "trap") == 0;
		if (page != (trap ? pc : addr) / 4096)
			fail("page is not %s / 4096", trap ? "pc" : "addr");
		if (num(&r, "resident") > frames)
			fail("%s", "more pages resident than frames");
		const struct field *src = get(&r, "source", false);
		if (strcmp(kind, "page-in") == 0 &&
		    (src == NULL || strcmp(src->text, "backing-store")))
			fail("%s", "page-in without source backing-store");
		if (strcmp(kind, "zero-fill") == 0 && (src == NULL || strcmp(src->text, "zero")))
			fail("%s", "zero-fill without source zero");
		const struct field *pages = get(&r, "pages", true);
		bool range = !strcmp(kind, "hold") || !strcmp(kind, "unhold") ||
			     !strcmp(kind, "lock") || !strcmp(kind, "unlock");
		if (range != (pages != NULL) || (pages && pages->num == 0))
			fail("%s: pages present exactly on hold/unhold/lock/unlock, >= 1", kind);

		/* Set-up (the machine being built) comes first, with PC 0. */
		if (pc != 0)
			guest_running = true;
		if (guest_running && !plausible_pc(pc, vm_bytes))
			fail("%s: no plausible guest PC", kind);

		if (have_prev) {
			static const char *const totals[] = {"time_ns", "faults", "page_ins",
							     "page_outs"};
			for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++)
				if (num(&r, totals[i]) < num(&prev, totals[i]))
					fail("%s went back", totals[i]);
			if (strcmp(kind, "page-in") == 0 &&
			    num(&r, "page_ins") != num(&prev, "page_ins") + 1)
				fail("%s", "a page-in did not count one page-in");
			if (strcmp(kind, "page-out") == 0 &&
			    num(&r, "page_outs") != num(&prev, "page_outs") + 1)
				fail("%s", "a page-out did not count one page-out");
			const char *count =
			    !strcmp(kind, "hold") || !strcmp(kind, "unhold") ? "held" : "locked";
			if (range) {
				int64_t d = (int64_t)num(&r, count) - (int64_t)num(&prev, count);
				bool up = !strcmp(kind, "hold") || !strcmp(kind, "lock");
				if (up ? d < 0 || d > (int64_t)pages->num
				       : d > 0 || -d > (int64_t)pages->num)
					fail("%s moved its count by more than its pages or the "
					     "wrong way",
					     kind);
			}
		}
		prev = r;
		have_prev = true;
	}
	fclose(f);
	if (line_no == 0)
		fail("%s", "empty trace");
	if (!guest_running)
		fail("%s", "no record has a guest PC");
	for (int k = 0; k < nkinds; k++)
		printf("%s %lu\n", kinds[k], counts[k]);
	return 0;
}
