/* tests/cpu_smc_test.c: the decoded-instruction cache never runs stale
 * code: instructions written by the guest itself (the next instruction, a
 * jump table's target patched again and again), by the host between runs,
 * or turned from a specialised form into another; code across a page
 * boundary; and exact instruction budgets. Each program is run with the
 * decoded cache and with plain per-opcode dispatch, which must agree.
 * Encodings were checked with m68k-linux-gnu-as. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>
#include "guest/guest.h"

#define WIN (16u << 20)
#define CODE 0x1000u

static uint8_t *win;

static void put16(gaddr a, uint16_t v)
{
	win[a] = (uint8_t)(v >> 8);
	win[a + 1] = (uint8_t)v;
}
static void put_words(gaddr a, const uint16_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		put16(a + 2 * i, w[i]);
}
#define PUT(a, ...)                                                                                \
	do {                                                                                       \
		static const uint16_t w_[] = {__VA_ARGS__};                                        \
		put_words(a, w_, sizeof w_ / sizeof w_[0]);                                        \
	} while (0)

static void machine(struct cpu *c, enum cpu_model model, int decoded)
{
	cpu_init(c, model);
	cpu_set_memory(c, win, 0x00FFFFFF);
	cpu_set_decode_cache(c, decoded);
	c->sr = 0x2700;
	c->a[7] = 0x8000;
	c->pc = CODE;
}

/* Runs the program now in memory (it is reloaded by load() for the second
 * run, since it patches itself) under both dispatchers; returns the decoded
 * run's final state after checking the plain run ended the same. */
static void run_both(enum cpu_model model, void (*load)(void), struct cpu *out)
{
	struct cpu plain;
	load();
	machine(&plain, model, 0);
	assert_int_equal(cpu_run(&plain, 1000000), CPU_STOP_STOPPED);
	load();
	machine(out, model, 1);
	assert_int_equal(cpu_run(out, 1000000), CPU_STOP_STOPPED);
	assert_memory_equal(plain.d, out->d, sizeof plain.d);
	assert_memory_equal(plain.a, out->a, sizeof plain.a);
	assert_int_equal(plain.sr, out->sr);
	assert_int_equal(plain.pc, out->pc);
	assert_int_equal(plain.icount, out->icount);
}

/* Each pass writes MOVEQ #i,D0 into the instruction right after the store
 * (decoded on the previous pass) and adds D0 to D1: 1 + 2 + ... + 50. */
static void load_patch_next(void)
{
	memset(win, 0, 0x10000);
	PUT(CODE, 0x7200,	      /* 1000: MOVEQ #0,D1 */
	    0x7401,		      /* 1002: MOVEQ #1,D2 */
	    0x3602,		      /* 1004: MOVE.W D2,D3 */
	    0x0043, 0x7000,	      /* 1006: ORI.W #$7000,D3 */
	    0x31C3, 0x100E,	      /* 100A: MOVE.W D3,$100E.W */
	    0x7000,		      /* 100E: MOVEQ #0,D0 (patched) */
	    0xD280,		      /* 1010: ADD.L D0,D1 */
	    0x5282,		      /* 1012: ADDQ.L #1,D2 */
	    0x0C82, 0x0000, 0x0033, /* 1014: CMPI.L #51,D2 */
	    0x66E8,		      /* 101A: BNE.S $1004 */
	    0x4E72, 0x2700);	      /* 101C: STOP #$2700 */
}
static void code_written_just_ahead_is_what_runs(void **state)
{
	(void)state;
	struct cpu c;
	for (enum cpu_model m = CPU_68000; m <= CPU_68040; m++) {
		run_both(m, load_patch_next, &c);
		assert_int_equal(c.d[1], 1275);
	}
}

/* A JMP whose absolute target is rewritten on every pass, alternately to a
 * routine adding 1 and one adding 100 (ten passes: 5 * 1 + 5 * 100). */
static void load_jump_table(void)
{
	memset(win, 0, 0x10000);
	PUT(CODE, 0x7200,		    /* 1000: MOVEQ #0,D1 */
	    0x7409,			    /* 1002: MOVEQ #9,D2 */
	    0x0802, 0x0000,		    /* 1004: BTST #0,D2 */
	    0x670A,			    /* 1008: BEQ.S $1014 */
	    0x21FC, 0x0000, 0x2000, 0x101E, /* 100A: MOVE.L #$2000,$101E.W */
	    0x6008,			    /* 1012: BRA.S $101C */
	    0x21FC, 0x0000, 0x2100, 0x101E, /* 1014: MOVE.L #$2100,$101E.W */
	    0x4EF9, 0x1234, 0x5678,	    /* 101C: JMP $12345678 (patched) */
	    0x51CA, 0xFFE0,		    /* 1022: DBRA D2,$1004 */
	    0x4E72, 0x2700);		    /* 1026: STOP #$2700 */
	PUT(0x2000, 0x5281, 0x4EF8, 0x1022);	     /* ADDQ.L #1,D1; JMP $1022.W */
	PUT(0x2100, 0x7864, 0xD284, 0x4EF8, 0x1022); /* MOVEQ #100,D4; ADD.L D4,D1; JMP */
}
static void jump_table_patched_every_pass_goes_where_it_says(void **state)
{
	(void)state;
	struct cpu c;
	for (enum cpu_model m = CPU_68000; m <= CPU_68040; m++) {
		run_both(m, load_jump_table, &c);
		assert_int_equal(c.d[1], 505);
	}
}

/* The host rewrites code between two runs: first a specialised form with
 * another immediate, then a form the cache leaves to the per-opcode table
 * (SWAP), then a specialised one again. */
static void code_changed_between_runs_is_seen(void **state)
{
	(void)state;
	struct cpu c;
	static const struct {
		uint16_t w0, w1;
		uint32_t d0;
	} steps[] = {
	    {0x7005, 0x4E71, 5},	  /* MOVEQ #5,D0; NOP */
	    {0x7007, 0x4E71, 7},	  /* MOVEQ #7,D0 */
	    {0x7007, 0x4840, 0x00070000}, /* MOVEQ #7,D0; SWAP D0 */
	    {0x7009, 0x5280, 10},	  /* MOVEQ #9,D0; ADDQ.L #1,D0 */
	};
	memset(win, 0, 0x10000);
	for (unsigned i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		uint16_t w[] = {steps[i].w0, steps[i].w1, 0x4E72, 0x2700};
		put_words(CODE, w, 4);
		machine(&c, CPU_68020, 1);
		assert_int_equal(cpu_run(&c, 100), CPU_STOP_STOPPED);
		assert_int_equal(c.d[0], steps[i].d0);
	}
}

/* Straight-line code that runs off the end of a 4 KiB page, with an
 * instruction split across the boundary, then loops back across it. */
static void load_page_crossing(void)
{
	memset(win, 0, 0x10000);
	PUT(0x1FF6, 0x7003,		    /* 1FF6: MOVEQ #3,D0 */
	    0x7200,			    /* 1FF8: MOVEQ #0,D1 */
	    0x5281,			    /* 1FFA: ADDQ.L #1,D1 */
	    0x243C, 0x1122, 0x3344,	    /* 1FFC: MOVE.L #$11223344,D2 (ends at 2002) */
	    0xD481,			    /* 2002: ADD.L D1,D2 */
	    0x51C8, 0xFFF4,		    /* 2004: DBRA D0,$1FFA */
	    0x4E72, 0x2700);		    /* 2008: STOP #$2700 */
	PUT(CODE, 0x4EF8, 0x1FF6);	    /* 1000: JMP $1FF6.W */
}
static void code_across_a_page_boundary_runs(void **state)
{
	(void)state;
	struct cpu c;
	for (enum cpu_model m = CPU_68000; m <= CPU_68040; m++) {
		run_both(m, load_page_crossing, &c);
		assert_int_equal(c.d[1], 4);
		assert_int_equal(c.d[2], 0x11223344u + 4);
	}
}

/* cpu_run's budget is exact in the decoded loop too: stopping after every
 * count from 1 to 40 leaves the same state as plain dispatch. */
static void budget_is_exact(void **state)
{
	(void)state;
	for (uint64_t n = 1; n <= 40; n++) {
		struct cpu a, b;
		load_jump_table();
		machine(&a, CPU_68020, 0);
		assert_int_equal(cpu_run(&a, n), CPU_STOP_COUNT);
		load_jump_table();
		machine(&b, CPU_68020, 1);
		assert_int_equal(cpu_run(&b, n), CPU_STOP_COUNT);
		assert_int_equal(a.icount, n);
		assert_int_equal(b.icount, n);
		assert_int_equal(a.pc, b.pc);
		assert_memory_equal(a.d, b.d, sizeof a.d);
		assert_int_equal(a.sr, b.sr);
	}
}

/* A run stopped part-way and resumed, many times, ends as one long run. */
static void resumed_runs_end_like_one_run(void **state)
{
	(void)state;
	struct cpu a;
	load_patch_next();
	machine(&a, CPU_68000, 1);
	enum cpu_stop why;
	while ((why = cpu_run(&a, 3)) == CPU_STOP_COUNT)
		;
	assert_int_equal(why, CPU_STOP_STOPPED);
	assert_int_equal(a.d[1], 1275);
}

int main(void)
{
	win = mmap(NULL, WIN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		   -1, 0);
	if (win == MAP_FAILED)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(code_written_just_ahead_is_what_runs),
	    cmocka_unit_test(jump_table_patched_every_pass_goes_where_it_says),
	    cmocka_unit_test(code_changed_between_runs_is_seen),
	    cmocka_unit_test(code_across_a_page_boundary_runs),
	    cmocka_unit_test(budget_is_exact),
	    cmocka_unit_test(resumed_runs_end_like_one_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
