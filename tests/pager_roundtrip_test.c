/* The pager's central promise: guest memory larger than the frame budget
 * reads back exactly what was written, through real page faults, while the
 * host really holds no more than the budget (measured from the memfd). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "tests/pager_harness.h"

#define VM (64u << 20)
#define RAM (4u << 20)
#define OPS 1000000u
#define HOT (1u << 20)

static long host_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	long n = 0;
	int c;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static void sixty_four_mib_round_trip_through_four_mib_of_frames(void **state)
{
	(void)state;
	char err[256];
	struct pager_config cfg = h_config(VM, RAM);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	uint8_t *shadow = calloc(1, VM);
	assert_non_null(shadow);
	int ram_fd = pager_ram_fd(p);

	long mappings_before = host_mappings(), mappings_peak = 0;
	unsigned mismatches = 0, aborted = 0;
	uint64_t max_blocks_bytes = 0;
	uint32_t hot = 0;
	for (unsigned op = 0; op < OPS; op++) {
		/* A working set of 1 MiB (a quarter of the frames) that moves every
		 * 20,000 operations, plus 1 access in 32 anywhere: pages are reused,
		 * evicted and read back, as a program's would be. */
		uint64_t r = rnd();
		if (op % 20000 == 0)
			hot = (uint32_t)(rnd() % (VM - HOT));
		uint32_t pos =
		    (r & 31) == 0 ? (uint32_t)((r >> 8) % VM) : hot + (uint32_t)((r >> 8) % HOT);
		unsigned size = 1u << ((r >> 32) % 3);
		gaddr a = pos > VM - size ? VM - size : pos;

		if ((r >> 40) & 1) {
			uint32_t v = (uint32_t)(r >> 20);
			if (size < 4)
				v &= (1u << (8 * size)) - 1;
			if (!g_write(a, v, size))
				aborted++;
			for (unsigned i = 0; i < size; i++)
				shadow[a + i] = (uint8_t)(v >> (8 * (size - 1 - i)));
		} else {
			uint32_t v = 0, want = 0;
			if (!g_read(a, &v, size))
				aborted++;
			for (unsigned i = 0; i < size; i++)
				want = want << 8 | shadow[a + i];
			if (v != want)
				mismatches++;
		}
		if ((op & 4095) == 0) {
			struct stat st;
			assert_int_equal(fstat(ram_fd, &st), 0);
			uint64_t bytes = (uint64_t)st.st_blocks * 512;
			if (bytes > max_blocks_bytes)
				max_blocks_bytes = bytes;
			struct pager_stats s;
			pager_get_stats(p, &s);
			assert_true(s.resident <= s.frames);
			long m = host_mappings();
			if (m > mappings_peak)
				mappings_peak = m;
		}
	}
	/* Read everything back, page by page. */
	for (uint32_t off = 0; off < VM; off += 4)
		if (g_read32(off) !=
		    ((uint32_t)shadow[off] << 24 | (uint32_t)shadow[off + 1] << 16 |
		     (uint32_t)shadow[off + 2] << 8 | shadow[off + 3]))
			mismatches++;
	struct stat st;
	assert_int_equal(fstat(ram_fd, &st), 0);
	if ((uint64_t)st.st_blocks * 512 > max_blocks_bytes)
		max_blocks_bytes = (uint64_t)st.st_blocks * 512;

	struct pager_stats s;
	pager_get_stats(p, &s);
	printf("# %u ops: %llu faults, %llu zero-fills, %llu page-ins, %llu page-outs, "
	       "%llu clean drops, %llu dirty, %llu reference; resident peak %u of %u frames; "
	       "memfd peak %llu KiB\n",
	       OPS, (unsigned long long)s.faults, (unsigned long long)s.zero_fills,
	       (unsigned long long)s.page_ins, (unsigned long long)s.page_outs,
	       (unsigned long long)s.clean_drops, (unsigned long long)s.dirty_faults,
	       (unsigned long long)s.reference_faults, s.resident_peak, s.frames,
	       (unsigned long long)max_blocks_bytes >> 10);
	printf("# host mappings: %ld before, peak %ld (bound: 2 per frame)\n", mappings_before,
	       mappings_peak);
	/* The mapping count grows with resident frames, never with logical size. */
	assert_true(mappings_peak - mappings_before <= 2 * (long)s.frames + 1);
	assert_int_equal(aborted, 0);
	assert_int_equal(mismatches, 0);
	assert_true(max_blocks_bytes <= RAM);
	assert_true(s.resident_peak <= s.frames);
	assert_true(s.page_outs > 1000);
	assert_true(s.page_ins > 1000);
	assert_true(s.clean_drops > 0);
	free(shadow);
	h_destroy(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sixty_four_mib_round_trip_through_four_mib_of_frames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
