/* The Memory Manager on the real pager: zones larger than physical RAM page
 * in and out under it transparently, the system heap stays resident once
 * held, and a bad master pointer makes the Memory Manager's own access take
 * a guest bus error, as it did on a Mac. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "guest/mem.h"
#include "tests/pager_harness.h"
#include "toolbox/toolbox.h"

static char err[512];
static struct mm mm;

enum {
	SYS_START = 0x2000,
	SYS_END = 0x80000,
	APPL_START = 0x100000,
	APPL_END = 0x140000,
	APPL_LIMIT = 0x780000,
	MEM_TOP = 0x800000,
};

static struct pager *world(unsigned addressing)
{
	struct pager_config cfg = h_config(8u << 20, 1u << 20); /* 256 frames for 8 MiB */
	cfg.addressing = addressing;
	struct pager *p = h_create(&cfg, err, sizeof err);
	if (!p)
		return NULL;
	struct mm_layout l = {.sys_start = SYS_START,
			      .sys_end = SYS_END,
			      .appl_start = APPL_START,
			      .appl_end = APPL_END,
			      .appl_limit = APPL_LIMIT,
			      .mem_top = MEM_TOP};
	assert_int_equal(mm_init(&mm, h_win, h_mask, addressing == 32, &l), 0);
	return p;
}

static void fill(gaddr a, uint32_t n, uint32_t seed)
{
	for (uint32_t i = 0; i < n; i += 4)
		gwrite32(h_win, h_mask, a + i, seed ^ i);
}

static bool same(gaddr a, uint32_t n, uint32_t seed)
{
	for (uint32_t i = 0; i < n; i += 4)
		if (gread32(h_win, h_mask, a + i) != (seed ^ i))
			return false;
	return true;
}

static gaddr deref(gaddr h)
{
	return gread32(h_win, h_mask, h) & (mm.addr32 ? 0xFFFFFFFF : 0x00FFFFFF);
}

static void heap_bigger_than_ram_pages_under_the_memory_manager(unsigned addressing)
{
	struct pager *p = world(addressing);
	if (!p)
		skip();
	gaddr start, end;
	mm_zone_extent(&mm, SystemZone(&mm), &start, &end);
	assert_int_equal(start, SYS_START);
	assert_int_equal(end, SYS_END);
	assert_int_equal(HoldMemory(p, start, end - start), 0);
	enum { N = 90, SIZE = 64 << 10 }; /* 5.6 MiB of handles, 1 MiB of RAM */
	gaddr h[N];
	for (int i = 0; i < N; i++) {
		h[i] = NewHandle(&mm, SIZE);
		assert_int_not_equal(h[i], 0);
		fill(deref(h[i]), SIZE, 0x1000u * (uint32_t)i);
	}
	for (int i = 0; i < N; i += 2)
		DisposeHandle(&mm, h[i]);
	HLock(&mm, h[45]);
	gaddr locked = deref(h[45]);
	CompactMem(&mm, 0x7FFFFFF0); /* moves megabytes through paged-out pages */
	assert_int_equal(deref(h[45]), locked);
	for (int i = 1; i < N; i += 2)
		assert_true(same(deref(h[i]), SIZE, 0x1000u * (uint32_t)i));
	char why[200];
	assert_true(mm_check_zone(&mm, APPL_START, why, sizeof why));
	assert_true(mm_check_zone(&mm, SYS_START, why, sizeof why));
	struct pager_stats st;
	pager_get_stats(p, &st);
	assert_true(st.page_outs > 0);
	assert_true(st.page_ins > 0);
	assert_int_equal(st.held, (SYS_END - SYS_START) / 4096);
	for (gaddr a = SYS_START; a < SYS_END; a += 4096) {
		struct pager_page_state ps;
		assert_int_equal(pager_page_state(p, a, &ps), 0);
		assert_true(ps.resident);
	}
	print_message("%u-bit: %llu page-ins, %llu page-outs under the Memory Manager\n",
		      addressing, (unsigned long long)st.page_ins,
		      (unsigned long long)st.page_outs);
	h_destroy(p);
}

static void heap_bigger_than_ram_pages_under_the_memory_manager_24(void **state)
{
	(void)state;
	heap_bigger_than_ram_pages_under_the_memory_manager(24);
}

static void heap_bigger_than_ram_pages_under_the_memory_manager_32(void **state)
{
	(void)state;
	heap_bigger_than_ram_pages_under_the_memory_manager(32);
}

static void bad_master_pointer_is_a_guest_bus_error(void **state)
{
	(void)state;
	struct pager *p = world(24);
	if (!p)
		skip();
	gaddr h = NewHandle(&mm, 16);
	gwrite32(h_win, h_mask, h, 0x00900008); /* past the end of RAM */
	volatile int reached = 0;
	if (sigsetjmp(h_jmp, 1) == 0) {
		GetHandleSize(&mm, h);
		reached = 1;
	}
	assert_int_equal(reached, 0);
	assert_int_equal(h_fault.kind, PAGER_FAULT_BUS_ERROR);
	assert_int_equal(h_fault.addr, 0x00900000); /* the block header it read */
	h_destroy(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(heap_bigger_than_ram_pages_under_the_memory_manager_24),
	    cmocka_unit_test(heap_bigger_than_ram_pages_under_the_memory_manager_32),
	    cmocka_unit_test(bad_master_pointer_is_a_guest_bus_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
