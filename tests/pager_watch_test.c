/* Watch points made of page protection: writes outside the range complete
 * and are counted, writes inside are reported with old and new values at
 * the next instruction boundary (pager_poll), on page 0 and on a page that
 * is written all the time. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "tests/pager_harness.h"

static char err[512];

/* One emulated instruction: the write, then the boundary. */
static int write_and_poll(struct pager *p, gaddr a, uint32_t v, unsigned size,
			  struct pager_fault *hit)
{
	assert_true(g_write(a, v, size));
	return pager_poll(p, hit);
}

static void writes_outside_watch_range_complete_and_are_counted(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(1u << 20, 256u << 10);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	int w = pager_watch_add(p, 0x3100, 4);
	assert_true(w >= 0);
	struct pager_fault hit;
	for (unsigned i = 0; i < 1000; i++)
		assert_int_equal(write_and_poll(p, 0x3200 + (i % 64) * 4, i, 4, &hit), 0);
	assert_int_equal(g_read32(0x3200 + 63 * 4), 959);
	assert_int_equal(g_read32(0x3200 + 39 * 4), 999);
	assert_int_equal(g_read32(0x3100), 0);
	struct pager_stats s;
	pager_get_stats(p, &s);
	assert_int_equal(s.watch_filtered, 1000);
	assert_int_equal(s.watch_hits, 0);
	assert_int_equal(s.watched, 1);
	/* Without a poll the page stays open: later writes in the same
	 * instruction do not fault again. */
	assert_true(g_write(0x3300, 1, 4));
	assert_true(g_write(0x3304, 1, 4));
	pager_get_stats(p, &s);
	assert_int_equal(s.watch_filtered, 1001);
	assert_int_equal(pager_poll(p, &hit), 0);
	assert_int_equal(pager_watch_remove(p, w), noErr);
	assert_int_equal(pager_watch_remove(p, w), paramErr);
	uint64_t faults = s.faults;
	assert_true(g_write(0x3100, 1, 4));
	pager_get_stats(p, &s);
	assert_int_equal(s.faults, faults); /* dirty and unwatched: no more faults */
	h_destroy(p);
}

static void write_inside_watch_range_reports_old_and_new_values(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(1u << 20, 256u << 10);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	assert_true(g_write(0x3100, 0x01020304, 4));
	int w = pager_watch_add(p, 0x3100, 4);
	assert_true(w >= 0);
	struct pager_fault hit;
	assert_int_equal(write_and_poll(p, 0x3102, 0xBEEF, 2, &hit), 1);
	assert_int_equal(hit.kind, PAGER_FAULT_WATCH_HIT);
	assert_int_equal(hit.watch, w);
	assert_int_equal(hit.addr, 0x3102);
	assert_int_equal(hit.value_len, 2);
	assert_int_equal(hit.old_value, 0x0304);
	assert_int_equal(hit.new_value, 0xBEEF);
	assert_int_equal(hit.watch_start, 0x3100);
	/* The write completed; the next one is compared with the new value. */
	assert_int_equal(g_read32(0x3100), 0x0102BEEF);
	assert_int_equal(write_and_poll(p, 0x3100, 0xAABBCCDD, 4, &hit), 1);
	assert_int_equal(hit.old_value, 0x0102BEEF);
	assert_int_equal(hit.new_value, 0xAABBCCDD);
	/* Storing the same value inside the range is still a write into it. */
	assert_int_equal(write_and_poll(p, 0x3101, 0xBB, 1, &hit), 1);
	assert_int_equal(hit.addr, 0x3101);
	assert_int_equal(hit.old_value, hit.new_value);
	char text[200];
	pager_fault_describe(&hit, text, sizeof text);
	assert_non_null(strstr(text, "Watch point"));
	struct pager_stats s;
	pager_get_stats(p, &s);
	assert_int_equal(s.watch_hits, 3);
	h_destroy(p);
}

static void watch_point_works_on_page_zero(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(1u << 20, 256u << 10);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	/* Watch NIL itself, which MacsBug could not. */
	assert_true(pager_watch_add(p, 0, 4) >= 0);
	struct pager_fault hit;
	/* Low-memory globals next to it are written freely. */
	for (gaddr a = 0x100; a < 0x200; a += 2)
		assert_int_equal(write_and_poll(p, a, a, 2, &hit), 0);
	assert_int_equal(write_and_poll(p, 0, 0x4E714E71, 4, &hit), 1);
	assert_int_equal(hit.addr, 0);
	assert_int_equal(hit.old_value, 0);
	assert_int_equal(hit.new_value, 0x4E714E71);
	assert_int_equal(g_read32(0x1FE), 0x01FE0000);
	h_destroy(p);
}

static void watch_point_works_on_a_constantly_written_page(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(1u << 20, 64u << 10);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	/* A "stack" page written by every instruction, and heavy paging around
	 * it: the watched page stays resident and keeps filtering. */
	assert_true(pager_watch_add(p, 0x7F00, 2) >= 0);
	struct pager_fault hit;
	gaddr sp = 0x8000;
	for (unsigned i = 0; i < 20000; i++) {
		sp = 0x7F10 + (i % 60) * 4;
		assert_int_equal(write_and_poll(p, sp, i, 4, &hit), 0);
		if (i % 100 == 0)
			assert_true(g_write(0x10000 + (i / 100) * 4096 % 0xE0000, i, 4));
	}
	assert_int_equal(write_and_poll(p, 0x7F00, 0x1234, 2, &hit), 1);
	assert_int_equal(hit.old_value, 0);
	assert_int_equal(hit.new_value, 0x1234);
	struct pager_stats s;
	pager_get_stats(p, &s);
	assert_int_equal(s.watch_filtered, 20000);
	assert_true(s.evictions > 0);
	struct pager_page_state ps;
	pager_page_state(p, 0x7F00, &ps);
	assert_true(ps.watched);
	assert_true(ps.resident);
	h_destroy(p);
}

static void watch_on_non_resident_page_pages_it_in(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(1u << 20, 64u << 10);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	assert_true(g_write(0x42000, 0x55667788, 4));
	for (gaddr a = 0x50000; a < 0x70000; a += 4096)
		assert_true(g_write(a, a, 4));
	struct pager_page_state ps;
	pager_page_state(p, 0x42000, &ps);
	assert_false(ps.resident);
	pager_set_paging_safe(p, false);
	assert_int_equal(pager_watch_add(p, 0x42000, 4), interruptsMaskedErr);
	pager_set_paging_safe(p, true);
	assert_int_equal(pager_watch_add(p, 0x41FFE, 4), 0); /* spans two pages */
	struct pager_fault hit;
	assert_int_equal(write_and_poll(p, 0x42000, 0x99, 1, &hit), 1);
	assert_int_equal(hit.addr, 0x42000);
	assert_int_equal(hit.value_len, 2); /* up to 4 bytes, within the range */
	assert_int_equal(hit.old_value, 0x5566);
	assert_int_equal(hit.new_value, 0x9966);
	assert_int_equal(pager_watch_add(p, 0x000FFFFF, 2), paramErr);
	h_destroy(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(writes_outside_watch_range_complete_and_are_counted),
	    cmocka_unit_test(write_inside_watch_range_reports_old_and_new_values),
	    cmocka_unit_test(watch_point_works_on_page_zero),
	    cmocka_unit_test(watch_point_works_on_a_constantly_written_page),
	    cmocka_unit_test(watch_on_non_resident_page_pages_it_in),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
