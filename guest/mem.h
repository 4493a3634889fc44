/* guest/mem.h: the only place guest addresses become host pointers.
 * Guest address a lives at window + (a & mask); values are big-endian. */
#ifndef VM68K_GUEST_MEM_H
#define VM68K_GUEST_MEM_H

#include <stdint.h>
#include "guest/guest.h"

#ifdef GUEST_TEST_ABORT
/* Test builds only: abort the Nth memory access from now (0 = never), as the
 * pager's fault handler would. */
extern unsigned guest_test_abort_countdown;
extern unsigned long guest_test_access_count;
void guest_test_abort_now(gaddr a, int write);
#define GUEST_TEST_HOOK(a, w)                                                                      \
	do {                                                                                       \
		guest_test_access_count++;                                                         \
		if (guest_test_abort_countdown && --guest_test_abort_countdown == 0)               \
			guest_test_abort_now(a, w);                                                \
	} while (0)
#else
#define GUEST_TEST_HOOK(a, w)                                                                      \
	do {                                                                                       \
	} while (0)
#endif

static inline uint8_t *ghost(uint8_t *win, uint32_t mask, gaddr a)
{
	return win + (a & mask);
}

/* Accesses that would run past the top of the window wrap byte by byte, as
 * the address bus does. */
static inline int gwraps(uint32_t mask, gaddr a, unsigned n)
{
	return (a & mask) > mask - (n - 1);
}

static inline uint32_t gread8(uint8_t *win, uint32_t mask, gaddr a)
{
	GUEST_TEST_HOOK(a, 0);
	return *ghost(win, mask, a);
}
static inline uint32_t gread16(uint8_t *win, uint32_t mask, gaddr a)
{
	GUEST_TEST_HOOK(a, 0);
	if (__builtin_expect(gwraps(mask, a, 2), 0))
		return (uint32_t)*ghost(win, mask, a) << 8 | *ghost(win, mask, a + 1);
	uint16_t v;
	__builtin_memcpy(&v, ghost(win, mask, a), 2);
	return __builtin_bswap16(v);
}
static inline uint32_t gread32(uint8_t *win, uint32_t mask, gaddr a)
{
	GUEST_TEST_HOOK(a, 0);
	if (__builtin_expect(gwraps(mask, a, 4), 0)) {
		uint32_t v = 0;
		for (unsigned i = 0; i < 4; i++)
			v = v << 8 | *ghost(win, mask, a + i);
		return v;
	}
	uint32_t v;
	__builtin_memcpy(&v, ghost(win, mask, a), 4);
	return __builtin_bswap32(v);
}
static inline void gwrite8(uint8_t *win, uint32_t mask, gaddr a, uint32_t v)
{
	GUEST_TEST_HOOK(a, 1);
	*ghost(win, mask, a) = (uint8_t)v;
}
/* A write that straddles two host pages first rewrites the last byte with
 * itself, so a fault on either page happens before anything has changed
 * (an aborted instruction must not leave half a store behind). */
static inline void gwrite_probe(uint8_t *win, uint32_t mask, gaddr a, unsigned n)
{
	if (__builtin_expect(((a & 0xFFF) + n - 1) > 0xFFF, 0)) {
		volatile uint8_t *q = ghost(win, mask, a + n - 1);
		*q = *q;
	}
}
static inline void gwrite16(uint8_t *win, uint32_t mask, gaddr a, uint32_t v)
{
	GUEST_TEST_HOOK(a, 1);
	gwrite_probe(win, mask, a, 2);
	if (__builtin_expect(gwraps(mask, a, 2), 0)) {
		*ghost(win, mask, a) = (uint8_t)(v >> 8);
		*ghost(win, mask, a + 1) = (uint8_t)v;
		return;
	}
	uint16_t w = __builtin_bswap16((uint16_t)v);
	__builtin_memcpy(ghost(win, mask, a), &w, 2);
}
static inline void gwrite32(uint8_t *win, uint32_t mask, gaddr a, uint32_t v)
{
	GUEST_TEST_HOOK(a, 1);
	gwrite_probe(win, mask, a, 4);
	if (__builtin_expect(gwraps(mask, a, 4), 0)) {
		for (unsigned i = 0; i < 4; i++)
			*ghost(win, mask, a + i) = (uint8_t)(v >> (24 - 8 * i));
		return;
	}
	uint32_t w = __builtin_bswap32(v);
	__builtin_memcpy(ghost(win, mask, a), &w, 4);
}

/* A store to a location the same instruction has just stored to (so it
 * cannot fault now): not an access the pager can abort, hence no test hook.
 * CAS2 uses it after proving both its locations writable. */
static inline void gwrite32_proven(uint8_t *win, uint32_t mask, gaddr a, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		*ghost(win, mask, a + i) = (uint8_t)(v >> (24 - 8 * i));
}
static inline void gwrite16_proven(uint8_t *win, uint32_t mask, gaddr a, uint32_t v)
{
	*ghost(win, mask, a) = (uint8_t)(v >> 8);
	*ghost(win, mask, a + 1) = (uint8_t)v;
}

/* Writes n bytes (an exception frame) as one access: both ends are probed
 * first, so a fault leaves memory untouched. */
static inline void gwrite_block(uint8_t *win, uint32_t mask, gaddr a, const uint8_t *buf,
				unsigned n)
{
	GUEST_TEST_HOOK(a, 1);
	volatile uint8_t *q = ghost(win, mask, a);
	*q = *q;
	q = ghost(win, mask, a + n - 1);
	*q = *q;
	for (unsigned i = 0; i < n; i++)
		*ghost(win, mask, a + i) = buf[i];
}

/* ---- for the decoded-instruction cache (guest/threaded.c) ---- */

/* The n (2, 4, 6 or 8) bytes at a exactly as they lie in memory, for
 * comparing an instruction's words with the ones it was decoded from. Not
 * counted by the test hook (the caller counts one access per instruction);
 * the caller ensures the bytes do not wrap past the top of the window. */
static inline uint64_t gbytes(uint8_t *win, uint32_t mask, gaddr a, unsigned n)
{
	uint8_t *p = ghost(win, mask, a);
	uint64_t v = 0;
	__builtin_memcpy(&v, p, n);
	return v;
}
/* An instruction word read while decoding (not counted by the test hook). */
static inline uint32_t gpeek16(uint8_t *win, uint32_t mask, gaddr a)
{
	uint16_t v;
	__builtin_memcpy(&v, ghost(win, mask, a), 2);
	return __builtin_bswap16(v);
}
/* Word and long accesses the caller has proved lie inside one 4 KiB page
 * (so they neither wrap nor straddle two pages, and need no probe). */
static inline uint32_t gread16_inpage(uint8_t *win, uint32_t mask, gaddr a)
{
	GUEST_TEST_HOOK(a, 0);
	uint16_t v;
	__builtin_memcpy(&v, ghost(win, mask, a), 2);
	return __builtin_bswap16(v);
}
static inline uint32_t gread32_inpage(uint8_t *win, uint32_t mask, gaddr a)
{
	GUEST_TEST_HOOK(a, 0);
	uint32_t v;
	__builtin_memcpy(&v, ghost(win, mask, a), 4);
	return __builtin_bswap32(v);
}
static inline void gwrite16_inpage(uint8_t *win, uint32_t mask, gaddr a, uint32_t v)
{
	GUEST_TEST_HOOK(a, 1);
	uint16_t w = __builtin_bswap16((uint16_t)v);
	__builtin_memcpy(ghost(win, mask, a), &w, 2);
}
static inline void gwrite32_inpage(uint8_t *win, uint32_t mask, gaddr a, uint32_t v)
{
	GUEST_TEST_HOOK(a, 1);
	uint32_t w = __builtin_bswap32(v);
	__builtin_memcpy(ghost(win, mask, a), &w, 4);
}

#endif
