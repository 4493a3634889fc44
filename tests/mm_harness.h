/* Shared by the Memory Manager's tests: a plain 16 MiB mmap'd window (every
 * 24-bit address lands in it), one Memory Manager on it in 24- or 32-bit
 * mode with system, application and temporary zones, and helpers to read
 * guest memory and check zones. Header-only, one per test program. */
#ifndef VM68K_TESTS_MM_HARNESS_H
#define VM68K_TESTS_MM_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "guest/mem.h"
#include "toolbox/toolbox.h"

enum {
	WINDOW = 16 << 20,
	SYS_START = 0x2000,
	SYS_END = 0x40000,
	APPL_START = 0x100000,
	APPL_END = 0x140000,
	APPL_LIMIT = 0x400000,
	TEMP_START = 0x800000,
	TEMP_END = 0x900000,
	MEM_TOP = 0x1000000,
};

static bool mode32; /* the group being run */
static struct mm mm;
static uint8_t *win;

static inline uint32_t r8(gaddr a)
{
	return gread8(win, mm.mask, a);
}
static inline uint32_t r16(gaddr a)
{
	return gread16(win, mm.mask, a);
}
static inline uint32_t r32(gaddr a)
{
	return gread32(win, mm.mask, a);
}
static inline void w8(gaddr a, uint32_t v)
{
	gwrite8(win, mm.mask, a, v);
}
static inline void w32(gaddr a, uint32_t v)
{
	gwrite32(win, mm.mask, a, v);
}
static inline gaddr deref(gaddr h)
{
	return mode32 ? r32(h) : r32(h) & 0x00FFFFFF;
}
static inline uint32_t hdr(void)
{
	return mode32 ? 12 : 8;
}

static uint32_t rng = 12345;
static inline uint32_t rnd(uint32_t n)
{
	rng = rng * 1103515245 + 12345;
	return (rng >> 8) % n;
}

static inline int make_world(void **state, bool with_temp)
{
	(void)state;
	win = mmap(NULL, WINDOW, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (win == MAP_FAILED)
		return -1;
	struct mm_layout l = {
	    .sys_start = SYS_START,
	    .sys_end = SYS_END,
	    .appl_start = APPL_START,
	    .appl_end = APPL_END,
	    .appl_limit = APPL_LIMIT,
	    .temp_start = with_temp ? TEMP_START : 0,
	    .temp_end = with_temp ? TEMP_END : 0,
	    .mem_top = MEM_TOP,
	};
	return mm_init(&mm, win, mode32 ? 0xFFFFFFFF : 0x00FFFFFF, mode32, &l) ? -1 : 0;
}

static inline int setup(void **state)
{
	return make_world(state, true);
}

static inline int setup_no_temp(void **state)
{
	return make_world(state, false);
}

static inline int teardown(void **state)
{
	(void)state;
	munmap(win, WINDOW);
	return 0;
}

static inline void assert_zone_sound(gaddr z)
{
	char why[200];
	if (!mm_check_zone(&mm, z, why, sizeof why)) {
		mm_dump_zone(&mm, z, stderr);
		fail_msg("heap check: %s", why);
	}
}

static inline void assert_all_sound(void)
{
	assert_zone_sound(SYS_START);
	assert_zone_sound(APPL_START);
	assert_zone_sound(TEMP_START);
}

static inline void fill_pattern(gaddr p, uint32_t n, uint8_t seed)
{
	for (uint32_t i = 0; i < n; i++)
		w8(p + i, (uint8_t)(seed + i * 7));
}

static inline bool has_pattern(gaddr p, uint32_t n, uint8_t seed)
{
	for (uint32_t i = 0; i < n; i++)
		if (r8(p + i) != (uint8_t)(seed + i * 7))
			return false;
	return true;
}

#endif
