/* Working-set sampling (pager_ws_sample, for `vm68k run --stats`): a sample
 * counts the distinct pages touched since the previous one, however often
 * each was touched, and re-protects resident pages so the next interval sees
 * them again; held pages are left alone; without VM there is nothing to see. */
#include "config.h"

#define _GNU_SOURCE 1
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tests/pager_harness.h"

static char err[512];

static void touch(gaddr first, unsigned pages, unsigned times)
{
	for (unsigned t = 0; t < times; t++)
		for (unsigned i = 0; i < pages; i++)
			assert_true(g_write(first + i * PAGER_PAGE_SIZE + 4 * t, t, 4));
}

static void sample_counts_distinct_pages_touched_since_the_last(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(8u << 20, 1u << 20);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	pager_ws_sample(p);
	touch(0x100000, 10, 5);
	assert_int_equal(pager_ws_sample(p), 10);
	assert_int_equal(pager_ws_sample(p), 0); /* nothing touched since */
	/* Pages still resident from the last interval are seen again. */
	touch(0x100000, 3, 1);
	uint32_t reads = 0;
	assert_true(g_read(0x100000 + 9 * PAGER_PAGE_SIZE, &reads, 4));
	assert_int_equal(pager_ws_sample(p), 4);
	struct pager_stats s;
	pager_get_stats(p, &s);
	assert_int_equal(s.reference_faults, 4);
	h_destroy(p);
}

static void sample_leaves_held_pages_resident_and_unprotected(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(8u << 20, 1u << 20);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	assert_int_equal(HoldMemory(p, 0x200000, 2 * PAGER_PAGE_SIZE), noErr);
	touch(0x200000, 2, 3); /* the first writes mark the held pages dirty */
	assert_int_equal(pager_ws_sample(p), 2);
	struct pager_stats before, after;
	pager_get_stats(p, &before);
	touch(0x200000, 2, 3);
	assert_int_equal(pager_ws_sample(p), 0); /* held: never re-protected, no fault to see */
	touch(0x200000, 2, 3);
	pager_get_stats(p, &after);
	assert_int_equal(after.faults, before.faults);
	h_destroy(p);
}

static void sample_without_vm_is_zero(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(4u << 20, 4u << 20);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	touch(0x1000, 8, 1);
	assert_int_equal(pager_ws_sample(p), 0);
	touch(0x1000, 8, 1);
	struct pager_stats s;
	pager_get_stats(p, &s);
	assert_int_equal(s.faults, 0);
	h_destroy(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sample_counts_distinct_pages_touched_since_the_last),
	    cmocka_unit_test(sample_leaves_held_pages_resident_and_unprotected),
	    cmocka_unit_test(sample_without_vm_is_zero),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
