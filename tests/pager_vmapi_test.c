/* The Mac VM API over the pager: HoldMemory and LockMemory keep pages out of
 * the backing store and out of the victim list, bad calls get Inside
 * Macintosh's result codes, and GetPhysical reports frames. Also the up-front
 * refusal of configurations that could exceed vm.max_map_count. */
#include "config.h"

#define _GNU_SOURCE 1
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/pager_harness.h"

static char err[512];

static const char secret[] = "vm68k-secret: correct horse battery staple 0123456789";

static bool store_contains(struct pager *p, const char *needle)
{
	int fd = pager_backing_fd(p);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	char *buf = malloc((size_t)st.st_size);
	assert_int_equal(pread(fd, buf, (size_t)st.st_size, 0), st.st_size);
	bool found = memmem(buf, (size_t)st.st_size, needle, strlen(needle)) != NULL;
	free(buf);
	return found;
}

static void write_secret(gaddr at)
{
	for (size_t i = 0; i < strlen(secret); i++)
		assert_true(g_write(at + (gaddr)i, (uint8_t)secret[i], 1));
}

static void heavy_paging(uint32_t vm, gaddr except_page, unsigned passes)
{
	for (unsigned n = 0; n < passes; n++)
		for (gaddr a = 0; a < vm; a += 4096)
			if (a != except_page)
				assert_true(g_write(a + 8, a ^ n, 4));
}

static void held_page_is_never_written_to_backing_store(void **state)
{
	(void)state;
	const uint32_t vm = 8u << 20;
	struct pager_config cfg = h_config(vm, 1u << 20);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	/* The Technote's password case: hold the buffer before the password
	 * goes in, and the backing store never sees it. */
	assert_int_equal(HoldMemory(p, 0x123400, sizeof secret), noErr);
	write_secret(0x123400);
	heavy_paging(vm, 0x123000, 2);
	struct pager_stats s;
	pager_get_stats(p, &s);
	assert_true(s.page_outs > 1000);
	assert_int_equal(s.held, 1);
	assert_false(store_contains(p, secret));
	struct pager_page_state ps;
	assert_int_equal(pager_page_state(p, 0x123400, &ps), noErr);
	assert_true(ps.resident);
	assert_true(ps.dirty);
	assert_int_equal(ps.hold_count, 1);
	assert_false(ps.in_backing_store);
	h_destroy(p);
}

static void unheld_secret_page_is_found_in_backing_store(void **state)
{
	(void)state;
	const uint32_t vm = 8u << 20;
	struct pager_config cfg = h_config(vm, 1u << 20);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	write_secret(0x123400);
	heavy_paging(vm, 0x123000, 2);
	assert_true(store_contains(p, secret));
	/* And once held, then unheld, it can go out too. */
	h_destroy(p);
	p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	assert_int_equal(HoldMemory(p, 0x123400, sizeof secret), noErr);
	write_secret(0x123400);
	heavy_paging(vm, 0x123000, 1);
	assert_false(store_contains(p, secret));
	assert_int_equal(UnholdMemory(p, 0x123400, sizeof secret), noErr);
	heavy_paging(vm, 0x123000, 1);
	assert_true(store_contains(p, secret));
	h_destroy(p);
}

static void bad_vm_calls_return_mac_error_codes(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(1u << 20, 64u << 10); /* 16 frames */
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	assert_int_equal(UnholdMemory(p, 0x4000, 100), notHeldErr);
	assert_int_equal(UnlockMemory(p, 0x4000, 100), notLockedErr);
	assert_int_equal(HoldMemory(p, 0x000FF000, 0x2000), paramErr); /* past logical RAM */
	assert_int_equal(HoldMemory(p, 0x4000, 0), paramErr);
	assert_int_equal(HoldMemory(p, 0, 16 * 4096), notEnoughMemoryErr);
	assert_int_equal(LockMemory(p, 0, 15 * 4096), noErr); /* one frame left to page with */
	assert_int_equal(HoldMemory(p, 0x80000, 1), notEnoughMemoryErr);
	assert_int_equal(UnlockMemory(p, 0, 15 * 4096), noErr);
	assert_int_equal(UnlockMemory(p, 0, 4096), notLockedErr);
	/* Hold counts nest; unholding a range partly not held changes nothing. */
	assert_int_equal(HoldMemory(p, 0x4000, 1), noErr);
	assert_int_equal(HoldMemory(p, 0x4000, 1), noErr);
	assert_int_equal(UnholdMemory(p, 0x4000, 0x2000), notHeldErr);
	struct pager_page_state ps;
	pager_page_state(p, 0x4000, &ps);
	assert_int_equal(ps.hold_count, 2);
	assert_int_equal(UnholdMemory(p, 0x4000, 1), noErr);
	assert_int_equal(UnholdMemory(p, 0x4fff, 1), noErr);
	assert_int_equal(UnholdMemory(p, 0x4000, 1), notHeldErr);
	/* LockMemoryForOutput is a lock. */
	assert_int_equal(LockMemoryForOutput(p, 0x9000, 10), noErr);
	assert_int_equal(UnholdMemory(p, 0x9000, 10), notHeldErr);
	assert_int_equal(UnlockMemory(p, 0x9000, 10), noErr);
	assert_int_equal(pager_page_state(p, 0x00100000, &ps), paramErr);
	h_destroy(p);
}

static void locked_pages_survive_paging_and_get_physical_reports_frames(void **state)
{
	(void)state;
	const uint32_t vm = 1u << 20;
	struct pager_config cfg = h_config(vm, 64u << 10);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	struct pager_physical_range r[8];
	unsigned n;
	assert_int_equal(GetPhysical(p, 0x20000, 4, r, 8, &n), paramErr); /* not resident */
	assert_int_equal(LockMemory(p, 0x20000, 0x3000), noErr);
	assert_true(g_write(0x20010, 0x11223344, 4));
	heavy_paging(vm, 0x20000, 1);
	struct pager_page_state ps;
	pager_page_state(p, 0x21000, &ps);
	assert_true(ps.resident);
	assert_int_equal(ps.lock_count, 1);
	assert_int_equal(g_read32(0x20010), 0x11223344);
	assert_int_equal(GetPhysical(p, 0x20010, 0x100, r, 8, &n), noErr);
	assert_int_equal(n, 1);
	pager_page_state(p, 0x20000, &ps);
	assert_int_equal(r[0].address, (uint32_t)ps.frame * 4096 + 0x10);
	assert_int_equal(r[0].count, 0x100);
	h_destroy(p);
}

static void lock_memory_contiguous_moves_pages_into_adjacent_frames(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(1u << 20, 64u << 10); /* frames 0..15 */
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	/* Page i in frame i for the first 16 pages (frames are handed out in order). */
	for (gaddr a = 0; a < 16 * 4096; a += 4096)
		assert_true(g_write(a, a, 4));
	/* Lock the pages in frames 3, 7, 11 and 15: no free run of 4 frames is left. */
	for (gaddr page = 3; page < 16; page += 4)
		assert_int_equal(LockMemory(p, page * 4096, 1), noErr);
	assert_int_equal(LockMemoryContiguous(p, 0x40000, 4 * 4096), cannotMakeContiguousErr);
	struct pager_page_state ps;
	pager_page_state(p, 0x40000, &ps);
	assert_int_equal(ps.lock_count, 0);
	/* Three pages fit between two locked frames; scattered pages are moved. */
	assert_true(g_write(0x50000, 0xAAAA5555, 4));
	assert_int_equal(LockMemoryContiguous(p, 0x40000, 3 * 4096), noErr);
	struct pager_physical_range r[4];
	unsigned n;
	assert_int_equal(GetPhysical(p, 0x40000, 3 * 4096, r, 4, &n), noErr);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].count, 3 * 4096);
	assert_int_equal(r[0].address % 4096, 0);
	/* Moving frames is bookkeeping: every page still holds its data. */
	assert_int_equal(g_read32(0x50000), 0xAAAA5555);
	for (gaddr a = 0; a < 16 * 4096; a += 4096)
		assert_int_equal(g_read32(a), a);
	h_destroy(p);
}

static void configuration_that_could_exceed_max_map_count_is_refused(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(64u << 20, 8u << 20); /* 2048 frames */
	cfg.max_map_count = 1000;
	assert_null(h_create(&cfg, err, sizeof err));
	assert_non_null(strstr(err, "vm.max_map_count (1000)"));
	cfg.ram_bytes = 256u << 10; /* 64 frames fit */
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	h_destroy(p);
	/* And against the real limit of this machine. */
	long limit = 65530;
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
	if (f) {
		assert_int_equal(fscanf(f, "%ld", &limit), 1);
		fclose(f);
	}
	if (limit > (1l << 20))
		skip();
	cfg = h_config((uint64_t)limit * 4 * 4096, (uint64_t)limit * 4096);
	assert_null(h_create(&cfg, err, sizeof err));
	assert_non_null(strstr(err, "vm.max_map_count"));
}

static void trace_ring_records_timestamped_events(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(1u << 20, 64u << 10);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	heavy_paging(1u << 20, UINT32_MAX, 2);
	uint32_t v;
	assert_true(g_read(0x3000, &v, 4)); /* paged in read-only... */
	assert_true(g_write(0x3000, 5, 4)); /* ...then dirtied */
	struct pager_event ev[PAGER_TRACE_CAPACITY];
	uint64_t cursor = 0;
	size_t n = pager_trace_read(p, &cursor, ev, PAGER_TRACE_CAPACITY);
	assert_true(n > 100);
	bool seen[16] = {false};
	for (size_t i = 0; i < n; i++) {
		seen[ev[i].kind] = true;
		if (i > 0) {
			assert_true(ev[i].ns >= ev[i - 1].ns);
			assert_int_equal(ev[i].seq, ev[i - 1].seq + 1);
		}
	}
	assert_true(seen[PAGER_EV_ZERO_FILL]);
	assert_true(seen[PAGER_EV_PAGE_OUT]);
	assert_true(seen[PAGER_EV_PAGE_IN]);
	assert_true(seen[PAGER_EV_DIRTY]);
	assert_string_equal(pager_event_name(PAGER_EV_PAGE_IN), "page-in");
	assert_int_equal(pager_trace_read(p, &cursor, ev, PAGER_TRACE_CAPACITY), 0);
	assert_true(g_write(0, 1, 1));
	struct pager_stats s;
	pager_get_stats(p, &s);
	assert_true(s.evictions == s.page_outs + s.clean_drops);
	h_destroy(p);
}

static void no_vm_maps_all_memory_without_faults(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(1u << 20, 1u << 20);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	assert_string_equal(pager_vm_state_name(pager_vm_state(p)), "RM");
	heavy_paging(1u << 20, UINT32_MAX, 1);
	struct pager_stats s;
	pager_get_stats(p, &s);
	assert_int_equal(s.faults, 0);
	assert_int_equal(pager_backing_fd(p), -1);
	assert_int_equal(HoldMemory(p, 0, 4096), noErr);
	h_destroy(p);
}

static void peek_reads_any_page_without_faulting_or_paging(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(1u << 20, 64u << 10);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	assert_true(g_write(0x1000, 0x01020304, 4));
	heavy_paging(1u << 20, 0x1000 + 0x80000, 1);  /* 0x1000 goes to the store */
	assert_true(g_write(0xF0000, 0xA0B0C0D0, 4)); /* resident */
	struct pager_stats before, after;
	pager_get_stats(p, &before);
	uint8_t buf[8];
	assert_int_equal(pager_peek(p, 0x1000, buf, 4), noErr);
	assert_memory_equal(buf, "\x01\x02\x03\x04", 4);
	assert_int_equal(pager_peek(p, 0xF0000, buf, 4), noErr);
	assert_memory_equal(buf, "\xA0\xB0\xC0\xD0", 4);
	assert_int_equal(pager_peek(p, 0x81000, buf, 8), noErr); /* never written */
	assert_memory_equal(buf, "\0\0\0\0\0\0\0\0", 8);
	assert_int_equal(pager_peek(p, 0xFFFFC, buf, 8), paramErr);
	pager_get_stats(p, &after);
	assert_int_equal(after.faults, before.faults);
	assert_int_equal(after.page_ins, before.page_ins);
	h_destroy(p);
}

static void poke_writes_any_page_without_faulting_and_is_not_a_watch_hit(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(1u << 20, 64u << 10);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	assert_true(g_write(0x1000, 0x01020304, 4));
	heavy_paging(1u << 20, 0x1000 + 0x80000, 1);  /* 0x1000 goes to the store */
	assert_true(g_write(0xF0000, 0xA0B0C0D0, 4)); /* resident */
	assert_true(pager_watch_add(p, 0xF0000, 4) >= 0);
	struct pager_stats before, after;
	pager_get_stats(p, &before);
	assert_int_equal(pager_poke(p, 0x1002, "\xEE\xFF", 2), noErr);
	assert_int_equal(pager_poke(p, 0x81FFE, "\x11\x22\x33\x44", 4),
			 noErr); /* never written, 2 pages */
	assert_int_equal(pager_poke(p, 0xF0001, "\x55", 1), noErr);
	assert_int_equal(pager_poke(p, 0xFFFFE, "abcd", 4), paramErr);
	pager_get_stats(p, &after);
	assert_int_equal(after.faults, before.faults);
	/* The guest sees the new bytes, through real page-ins. */
	assert_int_equal(g_read32(0x1000), 0x0102EEFF);
	assert_int_equal(g_read32(0x81FFC), 0x00001122);
	assert_int_equal(g_read32(0x82000), 0x33440000);
	assert_int_equal(g_read32(0xF0000), 0xA055C0D0);
	struct pager_fault hit;
	assert_int_equal(pager_poll(p, &hit), 0);
	/* Written through to the store when evicted. */
	heavy_paging(1u << 20, 0xF0000, 1);
	assert_int_equal(g_read32(0x1000), 0x0102EEFF);
	h_destroy(p);
}

static void flush_memory_writes_dirty_pages_and_keeps_them_resident(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(4u << 20, 1u << 20);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	write_secret(0x10000);
	assert_false(store_contains(p, secret));
	struct pager_stats before, after;
	pager_get_stats(p, &before);
	assert_int_equal(FlushMemory(p, 0x10000, 4096), noErr);
	pager_get_stats(p, &after);
	assert_true(store_contains(p, secret));
	assert_int_equal(after.page_outs, before.page_outs + 1);
	assert_int_equal(after.resident, before.resident);
	struct pager_page_state st;
	assert_int_equal(pager_page_state(p, 0x10000, &st), noErr);
	assert_true(st.resident);
	/* Clean now: the next write faults to mark it dirty again. */
	assert_true(g_write(0x10000, 0x55, 1));
	pager_get_stats(p, &after);
	assert_int_equal(after.dirty_faults, before.dirty_faults + 1);
	/* Only whole pages: a range inside one page writes nothing. */
	assert_int_equal(FlushMemory(p, 0x10001, 100), noErr);
	pager_get_stats(p, &before);
	assert_int_equal(before.page_outs, after.page_outs);
	assert_int_equal(FlushMemory(p, 0x10000, 0), paramErr);
	h_destroy(p);
}

static void make_memory_non_resident_evicts_and_data_comes_back(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(4u << 20, 1u << 20);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	for (gaddr a = 0x20000; a < 0x24000; a += 4)
		assert_true(g_write(a, a * 7u, 4));
	assert_int_equal(HoldMemory(p, 0x23000, 4096), noErr);
	struct pager_stats before, after;
	pager_get_stats(p, &before);
	assert_int_equal(MakeMemoryNonResident(p, 0x20000, 0x4000), noErr);
	pager_get_stats(p, &after);
	/* Three pages out, the held one stays. */
	assert_int_equal(after.resident, before.resident - 3);
	assert_int_equal(after.page_outs, before.page_outs + 3);
	struct pager_page_state st;
	assert_int_equal(pager_page_state(p, 0x20000, &st), noErr);
	assert_false(st.resident);
	assert_int_equal(pager_page_state(p, 0x23000, &st), noErr);
	assert_true(st.resident);
	for (gaddr a = 0x20000; a < 0x24000; a += 4)
		assert_int_equal(g_read32(a), a * 7u);
	pager_get_stats(p, &before);
	assert_int_equal(before.page_ins, after.page_ins + 3);
	h_destroy(p);
}

static void release_memory_data_discards_without_writing(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(4u << 20, 1u << 20);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	write_secret(0x30000);
	assert_true(g_write(0x31000, 0x12345678, 4));
	assert_int_equal(HoldMemory(p, 0x31000, 4), noErr);
	assert_true(g_write(0x32000, 0xCAFEF00D, 4));
	struct pager_stats before, after;
	pager_get_stats(p, &before);
	/* 0x30000-0x31FFF wholly, 0x32000's page only in part. */
	assert_int_equal(ReleaseMemoryData(p, 0x30000, 0x2800), noErr);
	pager_get_stats(p, &after);
	assert_int_equal(after.page_outs, before.page_outs);
	assert_int_equal(after.resident, before.resident - 1);
	assert_false(store_contains(p, secret));
	assert_int_equal(g_read32(0x30000), 0);
	assert_int_equal(g_read32(0x31000), 0); /* held: zeroed in place */
	assert_int_equal(g_read32(0x32000), 0xCAFEF00D);
	/* A page already in the store is forgotten there too. */
	write_secret(0x33000);
	assert_int_equal(MakeMemoryNonResident(p, 0x33000, 4096), noErr);
	assert_true(store_contains(p, secret));
	assert_int_equal(ReleaseMemoryData(p, 0x33000, 4096), noErr);
	pager_get_stats(p, &before);
	assert_int_equal(g_read32(0x33000), 0);
	pager_get_stats(p, &after);
	assert_int_equal(after.zero_fills, before.zero_fills + 1);
	assert_int_equal(after.page_ins, before.page_ins);
	h_destroy(p);
}

static void paging_control_refuses_to_write_while_paging_is_unsafe(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(4u << 20, 1u << 20);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	assert_true(g_write(0x40000, 1, 4));
	pager_set_paging_safe(p, false);
	assert_int_equal(FlushMemory(p, 0x40000, 4096), interruptsMaskedErr);
	assert_int_equal(MakeMemoryNonResident(p, 0x40000, 4096), interruptsMaskedErr);
	assert_int_equal(ReleaseMemoryData(p, 0x40000, 4096), noErr); /* no I/O */
	pager_set_paging_safe(p, true);
	h_destroy(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(held_page_is_never_written_to_backing_store),
	    cmocka_unit_test(unheld_secret_page_is_found_in_backing_store),
	    cmocka_unit_test(bad_vm_calls_return_mac_error_codes),
	    cmocka_unit_test(locked_pages_survive_paging_and_get_physical_reports_frames),
	    cmocka_unit_test(lock_memory_contiguous_moves_pages_into_adjacent_frames),
	    cmocka_unit_test(configuration_that_could_exceed_max_map_count_is_refused),
	    cmocka_unit_test(trace_ring_records_timestamped_events),
	    cmocka_unit_test(no_vm_maps_all_memory_without_faults),
	    cmocka_unit_test(peek_reads_any_page_without_faulting_or_paging),
	    cmocka_unit_test(poke_writes_any_page_without_faulting_and_is_not_a_watch_hit),
	    cmocka_unit_test(flush_memory_writes_dirty_pages_and_keeps_them_resident),
	    cmocka_unit_test(make_memory_non_resident_evicts_and_data_comes_back),
	    cmocka_unit_test(release_memory_data_discards_without_writing),
	    cmocka_unit_test(paging_control_refuses_to_write_while_paging_is_unsafe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
