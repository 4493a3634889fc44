/* Paging policy: clock / second chance keeps pages that are being used,
 * clean pages leave without I/O, and pages never written come back as
 * zero-fills rather than reads of the backing store. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "tests/pager_harness.h"

static char err[512];

static void page_in_use_survives_a_stream_of_other_pages(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(8u << 20, 64u << 10); /* 16 frames */
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	const gaddr hot = 0x5000;
	assert_true(g_write(hot, 1, 4));
	/* No warm-up: the two-handed clock samples ahead of the hand that
	 * evicts, so even the first victim is chosen on recent use. */
	uint64_t cursor = 0;
	struct pager_event ev[PAGER_TRACE_CAPACITY];
	pager_trace_read(p, &cursor, ev, PAGER_TRACE_CAPACITY);
	unsigned hot_page_ins = 0, reference_faults = 0;
	for (gaddr a = 0x100000; a < 0x100000 + 1000 * 4096; a += 4096) {
		uint32_t v;
		assert_true(g_read(a, &v, 4));
		assert_int_equal(g_read32(hot), 1); /* used between every other access */
		size_t n = pager_trace_read(p, &cursor, ev, PAGER_TRACE_CAPACITY);
		for (size_t i = 0; i < n; i++) {
			if (ev[i].addr >> 12 != hot >> 12)
				continue;
			hot_page_ins +=
			    ev[i].kind == PAGER_EV_PAGE_IN || ev[i].kind == PAGER_EV_ZERO_FILL;
			reference_faults += ev[i].kind == PAGER_EV_REFERENCE;
		}
	}
	assert_int_equal(hot_page_ins, 0);
	/* Its referenced bit was sampled by re-protecting it, and set again by
	 * a fault: that is how it earned its second chances. */
	assert_true(reference_faults > 10);
	struct pager_page_state ps;
	pager_page_state(p, hot, &ps);
	assert_true(ps.resident);
	h_destroy(p);
}

/* Referenced bits are sampled all along (a sampling hand re-protects
 * resident pages as page-ins fill the frames), not only by the clock hand
 * looking for a victim: so from the very first eviction a page in constant
 * use keeps its frame while pages touched once and left idle are the ones
 * that go. No warm-up. */
static void constantly_used_page_survives_from_the_first_eviction(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(8u << 20, 64u << 10); /* 16 frames */
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	const gaddr hot = 0x5000;
	uint64_t cursor = 0;
	struct pager_event ev[PAGER_TRACE_CAPACITY];
	unsigned hot_page_ins = 0, idle_evicted = 0;
	assert_true(g_write(hot, 1, 4));
	/* Five idle pages, touched once, right after the hot one. */
	for (gaddr a = 0x40000; a < 0x40000 + 5 * 4096; a += 4096)
		assert_true(g_write(a, a, 4));
	pager_trace_read(p, &cursor, ev, PAGER_TRACE_CAPACITY); /* skip these page-ins */
	for (gaddr a = 0x100000; a < 0x100000 + 200 * 4096; a += 4096) {
		uint32_t v;
		assert_true(g_read(a, &v, 4));
		assert_int_equal(g_read32(hot), 1); /* used between every other access */
		size_t n = pager_trace_read(p, &cursor, ev, PAGER_TRACE_CAPACITY);
		for (size_t i = 0; i < n; i++) {
			gaddr pa = ev[i].addr & ~0xFFFu;
			if (pa == hot)
				hot_page_ins += ev[i].kind == PAGER_EV_PAGE_IN ||
						ev[i].kind == PAGER_EV_ZERO_FILL;
			if (pa >= 0x40000 && pa < 0x40000 + 5 * 4096)
				idle_evicted += ev[i].kind == PAGER_EV_PAGE_OUT ||
						ev[i].kind == PAGER_EV_CLEAN_DROP;
		}
	}
	assert_int_equal(hot_page_ins, 0);
	assert_int_equal(idle_evicted, 5);
	for (gaddr a = 0x40000; a < 0x40000 + 5 * 4096; a += 4096) {
		struct pager_page_state ps;
		pager_page_state(p, a, &ps);
		assert_false(ps.resident);
		assert_int_equal(g_read32(a), a); /* and their data came back */
	}
	h_destroy(p);
}

static void clean_pages_are_dropped_without_io(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(8u << 20, 64u << 10);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	for (gaddr a = 0; a < 64 * 4096; a += 4096)
		assert_true(g_write(a, a | 1, 4));
	struct pager_stats before, after;
	pager_get_stats(p, &before);
	/* Read the written pages back: each comes from the store, stays clean,
	 * and is later dropped without being written again. */
	for (unsigned pass = 0; pass < 2; pass++)
		for (gaddr a = 0; a < 64 * 4096; a += 4096)
			assert_int_equal(g_read32(a), a | 1);
	pager_get_stats(p, &after);
	assert_true(after.page_ins - before.page_ins >= 100);
	assert_true(after.clean_drops - before.clean_drops >= 100);
	/* Only the 16 dirty pages resident at the start had to be written. */
	assert_true(after.page_outs - before.page_outs <= 16);
	h_destroy(p);
}

static void never_written_pages_come_back_as_zero_fills(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(8u << 20, 64u << 10);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	for (unsigned pass = 0; pass < 3; pass++)
		for (gaddr a = 0; a < 64 * 4096; a += 4096)
			assert_int_equal(g_read32(a + 100), 0);
	struct pager_stats s;
	pager_get_stats(p, &s);
	assert_int_equal(s.page_ins, 0);
	assert_int_equal(s.page_outs, 0);
	assert_int_equal(s.zero_fills, 3 * 64);
	struct pager_page_state ps;
	pager_page_state(p, 0, &ps);
	assert_false(ps.in_backing_store);
	h_destroy(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(page_in_use_survives_a_stream_of_other_pages),
	    cmocka_unit_test(constantly_used_page_survives_from_the_first_eviction),
	    cmocka_unit_test(clean_pages_are_dropped_without_io),
	    cmocka_unit_test(never_written_pages_come_back_as_zero_fills),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
