/* The pager's trace ring as `vm68k run --trace` needs it: the VM API calls
 * are events (one per successful call, with the range's pages), every
 * event carries the PC its client registered and the counts right after it,
 * and the faults-by-kind counters add up to the faults. */
#include "config.h"

#define _GNU_SOURCE 1
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/pager_harness.h"

static char err[512];
static struct pager_event ev[PAGER_TRACE_CAPACITY];

/* Reads the events since *cursor; returns how many. */
static size_t events(struct pager *p, uint64_t *cursor)
{
	return pager_trace_read(p, cursor, ev, PAGER_TRACE_CAPACITY);
}

static void vm_api_calls_are_one_event_each_with_their_pages(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(4u << 20, 1u << 20);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	uint64_t cursor = 0;
	/* 0x10800 + 0x3000 bytes covers pages $10-$13: four pages, four page-ins. */
	assert_int_equal(HoldMemory(p, 0x10800, 0x3000), noErr);
	size_t n = events(p, &cursor);
	assert_int_equal(n, 5);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(ev[i].kind, PAGER_EV_ZERO_FILL);
	assert_int_equal(ev[4].kind, PAGER_EV_HOLD);
	assert_int_equal(ev[4].addr, 0x10800);
	assert_int_equal(ev[4].pages, 4);
	assert_int_equal(ev[4].held, 4);
	assert_int_equal(ev[4].resident, 4);
	assert_string_equal(pager_event_name(PAGER_EV_HOLD), "hold");

	/* A call that fails changes nothing and records nothing. */
	assert_int_equal(UnlockMemory(p, 0x10000, 4096), notLockedErr);
	assert_int_equal(UnholdMemory(p, 0x20000, 4096), notHeldErr);
	assert_int_equal(events(p, &cursor), 0);

	assert_int_equal(LockMemory(p, 0x11000, 4096), noErr);
	assert_int_equal(LockMemoryForOutput(p, 0x11000, 4096), noErr);
	assert_int_equal(LockMemoryContiguous(p, 0x12000, 2 * 4096), noErr);
	assert_int_equal(UnlockMemory(p, 0x11000, 4096), noErr);
	assert_int_equal(UnholdMemory(p, 0x10800, 0x3000), noErr);
	n = events(p, &cursor);
	assert_int_equal(n, 5);
	const uint32_t kinds[] = {PAGER_EV_LOCK, PAGER_EV_LOCK, PAGER_EV_LOCK, PAGER_EV_UNLOCK,
				  PAGER_EV_UNHOLD};
	const uint32_t locked[] = {1, 1, 3, 3, 3}; /* pages with a lock count, after each */
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ev[i].kind, kinds[i]);
		assert_int_equal(ev[i].locked, locked[i]);
		assert_int_equal(ev[i].frame, -1);
	}
	assert_int_equal(ev[2].pages, 2);
	assert_int_equal(ev[4].held, 0);
	struct pager_stats s;
	pager_get_stats(p, &s);
	assert_int_equal(s.held_peak, 4);
	assert_int_equal(s.locked_peak, 3);
	assert_int_equal(s.locked, 3);
	h_destroy(p);
}

static void events_carry_the_registered_pc_and_the_counts_after_them(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(4u << 20, 1u << 20);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	uint64_t cursor = 0;
	assert_true(g_write(0x40000, 1, 1)); /* no PC source: 0 */
	assert_int_equal(events(p, &cursor), 1);
	assert_int_equal(ev[0].pc, 0);

	volatile uint32_t pc = 0x00012344;
	pager_set_pc_source(p, &pc);
	uint32_t v;
	assert_true(g_read(0x50000, &v, 4)); /* zero-fill, read-only */
	pc = 0x40801000;
	assert_true(g_write(0x50000, 7, 4)); /* the first write: dirty */
	assert_int_equal(events(p, &cursor), 2);
	assert_int_equal(ev[0].kind, PAGER_EV_ZERO_FILL);
	assert_int_equal(ev[0].pc, 0x00012344);
	assert_int_equal(ev[1].kind, PAGER_EV_DIRTY);
	assert_int_equal(ev[1].pc, 0x40801000);
	/* Counts after each event: the page is resident when it is recorded. */
	assert_int_equal(ev[0].resident, 2);
	assert_int_equal(ev[0].faults, 2);
	assert_int_equal(ev[1].faults, 3);

	/* Paging: page-ins and page-outs carry their own totals. */
	for (unsigned pass = 0; pass < 2; pass++)
		for (gaddr a = 0; a < (2u << 20); a += 4096)
			assert_true(g_write(a, pass, 4));
	uint64_t ins = 0, outs = 0;
	size_t n;
	bool saw_in = false, saw_out = false;
	while ((n = events(p, &cursor)) > 0)
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(ev[i].pc, 0x40801000);
			assert_true(ev[i].resident <= 256);
			if (ev[i].kind == PAGER_EV_PAGE_IN) {
				assert_true(ev[i].page_ins > ins);
				saw_in = true;
			}
			if (ev[i].kind == PAGER_EV_PAGE_OUT) {
				assert_true(ev[i].page_outs > outs);
				saw_out = true;
			}
			ins = ev[i].page_ins;
			outs = ev[i].page_outs;
		}
	assert_true(saw_in && saw_out);
	struct pager_stats s;
	pager_get_stats(p, &s);
	assert_int_equal(ins, s.page_ins);
	assert_int_equal(outs, s.page_outs);

	pager_set_pc_source(p, NULL);
	assert_true(g_write(0x3F0000, 1, 1));
	n = events(p, &cursor);
	assert_true(n >= 1);
	assert_int_equal(ev[n - 1].pc, 0);
	h_destroy(p);
}

static void faults_by_kind_add_up_to_the_faults(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(4u << 20, 1u << 20);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	uint32_t v;
	/* Written once, then read back: the resident pages end clean. */
	for (unsigned pass = 0; pass < 2; pass++)
		for (gaddr a = 0; a < (2u << 20); a += 4096) {
			assert_true(g_read(a, &v, 4));
			if (pass == 0)
				assert_true(g_write(a, 1, 4));
		}
	pager_ws_sample(p); /* re-protects: the next accesses are reference faults */
	for (gaddr a = (2u << 20) - (64u << 12); a < (2u << 20); a += 4096)
		assert_true(g_write(a, 9, 4));
	assert_false(g_write(0x01000000, 1, 1)); /* outside every region: a bus error */
	struct pager_stats s;
	pager_get_stats(p, &s);
	assert_true(s.reference_faults > 0 && s.reference_dirty > 0);
	assert_int_equal(s.bus_errors, 1);
	assert_int_equal(s.faults, s.zero_fill_faults + s.store_faults + s.dirty_faults -
				       s.reference_dirty + s.reference_faults + s.watch_faults +
				       s.bus_errors + s.read_only_faults + s.fault_fatal +
				       s.fault_store_errors);
	assert_true(s.evictions == s.page_outs + s.clean_drops);
	h_destroy(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(vm_api_calls_are_one_event_each_with_their_pages),
	    cmocka_unit_test(events_carry_the_registered_pc_and_the_counts_after_them),
	    cmocka_unit_test(faults_by_kind_add_up_to_the_faults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
