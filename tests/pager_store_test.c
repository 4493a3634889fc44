/* The backing store: an I/O error is the dsVMBadBackingStore (113) outcome
 * and loses no guest data, a full disk says so, and simulated disk latency
 * is reported so the CPU can suspend the faulting instruction. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "tests/pager_harness.h"

static char err[512];

/* 16 frames, all holding dirty pages 0..15. */
static struct pager *sixteen_dirty_frames(uint64_t latency)
{
	struct pager_config cfg = h_config(1u << 20, 64u << 10);
	cfg.disk_latency_ns = latency;
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	for (gaddr a = 0; a < 16 * 4096; a += 4096)
		assert_true(g_write(a + 4, 0xD0000000 | a, 4));
	return p;
}

static void failed_page_out_is_error_113_and_keeps_the_page(void **state)
{
	(void)state;
	struct pager *p = sixteen_dirty_frames(0);
	pager_inject_store_error(p, true, 0, EIO);
	assert_false(g_write(0x20000, 0x12345678, 4));
	assert_int_equal(h_fault.kind, PAGER_FAULT_BAD_BACKING_STORE);
	assert_int_equal(h_fault.sys_error, dsVMBadBackingStore);
	assert_int_equal(h_fault.sys_error, 113);
	assert_int_equal(h_fault.host_errno, EIO);
	assert_true(h_fault.store_write);
	assert_int_equal(h_fault.addr, 0x20000);
	assert_true(h_fault.write);
	/* The victim stayed resident and dirty: nothing was lost. */
	struct pager_stats s;
	pager_get_stats(p, &s);
	assert_int_equal(s.backing_store_errors, 1);
	assert_int_equal(s.page_outs, 0);
	assert_int_equal(s.resident, 16);
	unsigned dirty = 0;
	for (gaddr a = 0; a < 16 * 4096; a += 4096) {
		struct pager_page_state ps;
		pager_page_state(p, a, &ps);
		dirty += ps.resident && ps.dirty;
	}
	assert_int_equal(dirty, 16);
	struct pager_page_state target;
	pager_page_state(p, 0x20000, &target);
	assert_false(target.resident);
	/* The disk recovers: the same access now works, and every page reads back. */
	assert_true(g_write(0x20000, 0x12345678, 4));
	for (gaddr a = 0; a < 16 * 4096; a += 4096)
		assert_int_equal(g_read32(a + 4), 0xD0000000 | a);
	assert_int_equal(g_read32(0x20000), 0x12345678);
	h_destroy(p);
}

static void full_disk_is_a_clear_error(void **state)
{
	(void)state;
	struct pager *p = sixteen_dirty_frames(0);
	pager_inject_store_error(p, true, 0, ENOSPC);
	assert_false(g_read(0x30000, &(uint32_t){0}, 4));
	assert_int_equal(h_fault.kind, PAGER_FAULT_BAD_BACKING_STORE);
	assert_int_equal(h_fault.host_errno, ENOSPC);
	char text[256];
	pager_fault_describe(&h_fault, text, sizeof text);
	assert_non_null(strstr(text, "System error 113"));
	assert_non_null(strstr(text, "writing the backing store"));
	assert_non_null(strstr(text, "the disk is full"));
	h_destroy(p);
}

static void failed_page_in_is_error_113_and_can_be_retried(void **state)
{
	(void)state;
	struct pager *p = sixteen_dirty_frames(0);
	for (gaddr a = 0x40000; a < 0x60000; a += 4096)
		assert_true(g_write(a, a, 4));
	struct pager_page_state ps;
	pager_page_state(p, 0x4, &ps);
	assert_false(ps.resident);
	assert_true(ps.in_backing_store);
	pager_inject_store_error(p, false, 0, EIO);
	uint32_t v;
	assert_false(g_read(0x4, &v, 4));
	assert_int_equal(h_fault.kind, PAGER_FAULT_BAD_BACKING_STORE);
	assert_int_equal(h_fault.sys_error, 113);
	assert_false(h_fault.store_write);
	assert_false(h_fault.write);
	pager_page_state(p, 0x4, &ps);
	assert_false(ps.resident);
	struct pager_stats s;
	pager_get_stats(p, &s);
	assert_true(s.resident <= s.frames);
	assert_int_equal(g_read32(0x4), 0xD0000000);
	h_destroy(p);
}

/* A page of 0..15 (written by sixteen_dirty_frames) that is in the store
 * now, not resident, and not other_than. */
static gaddr evicted_page(struct pager *p, gaddr other_than)
{
	for (gaddr a = 0; a < 16 * 4096; a += 4096) {
		struct pager_page_state ps;
		pager_page_state(p, a, &ps);
		if (!ps.resident && ps.in_backing_store && a != other_than)
			return a;
	}
	fail_msg("no page of 0..15 was evicted");
	return 0;
}

static void page_in_and_out_report_simulated_disk_time(void **state)
{
	(void)state;
	const uint64_t latency = 8000000; /* 8 ms of guest time, not of host time */
	struct pager *p = sixteen_dirty_frames(latency);
	assert_int_equal(h_waits, 0); /* not enabled yet */
	struct pager_stats s;
	pager_get_stats(p, &s);
	assert_int_equal(s.simulated_disk_ns, 0); /* zero-fills cost no disk time */
	pager_set_page_wait(p, true);
	/* A zero-fill page-in that evicts a dirty page: one page-out. */
	assert_true(g_write(0x20000, 1, 4));
	assert_int_equal(h_waits, 1);
	assert_int_equal(h_fault.kind, PAGER_FAULT_PAGE_WAIT);
	assert_int_equal(h_fault.wait_ns, latency);
	/* A page-in from the store that evicts a dirty page: two transfers. */
	uint32_t v;
	gaddr out = evicted_page(p, UINT32_MAX);
	assert_true(g_read(out + 4, &v, 4));
	assert_int_equal(v, 0xD0000000 | out);
	assert_int_equal(h_waits, 2);
	assert_int_equal(h_fault.wait_ns, 2 * latency);
	pager_get_stats(p, &s);
	assert_int_equal(s.simulated_disk_ns, 3 * latency);
	/* Disabled again: the time is still counted, but not reported. */
	pager_set_page_wait(p, false);
	assert_true(g_read(evicted_page(p, out) + 4, &v, 4));
	assert_int_equal(h_waits, 2);
	pager_get_stats(p, &s);
	assert_int_equal(s.simulated_disk_ns, 5 * latency);
	h_destroy(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(failed_page_out_is_error_113_and_keeps_the_page),
	    cmocka_unit_test(full_disk_is_a_clear_error),
	    cmocka_unit_test(failed_page_in_is_error_113_and_can_be_retried),
	    cmocka_unit_test(page_in_and_out_report_simulated_disk_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
