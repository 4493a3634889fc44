/* Test harness for the pager: reads and writes guest memory through the
 * window exactly as the interpreter will, and catches guest faults with the
 * same sigsetjmp/siglongjmp path the CPU uses. Header-only, one per test. */
#ifndef VM68K_TESTS_PAGER_HARNESS_H
#define VM68K_TESTS_PAGER_HARNESS_H

#include <endian.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "pager/pager.h"

static sigjmp_buf h_jmp;
static struct pager_fault h_fault; /* the last fault delivered */
static volatile unsigned h_faults; /* faults that aborted an access */
static volatile unsigned h_waits;  /* PAGE_WAIT records (returned from) */
static uint8_t *h_win;
static uint32_t h_mask;
static struct pager *h_pager; /* destroyed by the next h_create if a test failed */

static inline void h_on_fault(const struct pager_fault *f, void *ctx)
{
	(void)ctx;
	h_fault = *f;
	if (f->kind == PAGER_FAULT_PAGE_WAIT) {
		h_waits++;
		return;
	}
	h_faults++;
	siglongjmp(h_jmp, 1);
}

static inline struct pager *h_create(const struct pager_config *cfg, char *err, size_t errlen)
{
	if (h_pager != NULL)
		pager_destroy(h_pager);
	struct pager *p = pager_create(cfg, err, errlen);
	h_pager = p;
	if (p != NULL) {
		pager_set_fault_fn(p, h_on_fault, NULL);
		h_win = pager_window(p);
		h_mask = pager_addr_mask(p);
	}
	h_faults = h_waits = 0;
	memset(&h_fault, 0, sizeof h_fault);
	return p;
}

static inline void h_destroy(struct pager *p)
{
	pager_destroy(p);
	if (p == h_pager)
		h_pager = NULL;
}

/* Each accessor returns false if the access was aborted by a guest fault
 * (h_fault says which). Big-endian, as the 68K. */
static inline bool g_write(gaddr a, uint32_t v, unsigned size)
{
	if (sigsetjmp(h_jmp, 0) != 0)
		return false;
	volatile uint8_t *h = pager_host_ptr(h_win, h_mask, a);
	if (size == 1) {
		*h = (uint8_t)v;
	} else if (size == 2) {
		uint16_t be = htobe16((uint16_t)v);
		__builtin_memcpy((void *)h, &be, 2);
	} else {
		uint32_t be = htobe32(v);
		__builtin_memcpy((void *)h, &be, 4);
	}
	return true;
}

static inline bool g_read(gaddr a, uint32_t *v, unsigned size)
{
	if (sigsetjmp(h_jmp, 0) != 0)
		return false;
	volatile uint8_t *h = pager_host_ptr(h_win, h_mask, a);
	if (size == 1) {
		*v = *h;
	} else if (size == 2) {
		uint16_t be;
		__builtin_memcpy(&be, (const void *)h, 2);
		*v = be16toh(be);
	} else {
		uint32_t be;
		__builtin_memcpy(&be, (const void *)h, 4);
		*v = be32toh(be);
	}
	return true;
}

static inline uint32_t g_read32(gaddr a)
{
	uint32_t v = 0xBADBAD00u;
	g_read(a, &v, 4);
	return v;
}

/* xorshift64*: a small deterministic generator for the tests. */
static uint64_t h_rng = 0x9E3779B97F4A7C15ull;
static inline uint64_t rnd(void)
{
	h_rng ^= h_rng >> 12;
	h_rng ^= h_rng << 25;
	h_rng ^= h_rng >> 27;
	return h_rng * 0x2545F4914F6CDD1Dull;
}

static inline struct pager_config h_config(uint64_t vm, uint64_t ram)
{
	struct pager_config cfg;
	pager_config_defaults(&cfg);
	cfg.vm_bytes = vm;
	cfg.ram_bytes = ram;
	return cfg;
}

#endif
