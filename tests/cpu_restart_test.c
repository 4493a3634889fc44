/* tests/cpu_restart_test.c: every instruction is restartable. For each
 * instruction form, each of its memory accesses in turn is aborted once (as
 * the pager's fault handler would, through cpu_abort_from_signal); the CPU
 * must then be exactly in its pre-instruction state, and running it again
 * must give the same result as an uninterrupted run. Built with the guest
 * sources compiled with GUEST_TEST_ABORT (an access counter in guest/mem.h). */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>
#include "guest/guest.h"
#include "guest/mem.h"

#define WIN (16u << 20)
#define CODE 0x10000u

unsigned guest_test_abort_countdown;
unsigned long guest_test_access_count;
static struct cpu *current;
static enum guest_fault_kind abort_kind = GUEST_FAULT_SUSPEND;

void guest_test_abort_now(gaddr a, int write)
{
	struct guest_fault f = {abort_kind, a, write};
	cpu_abort_from_signal(current, &f);
}

static uint8_t *win, *snapshot;
/* Optional per-form setup after the common one (memory a form must find). */
static void (*prepare)(struct cpu *c);

static void put16(gaddr a, uint16_t v)
{
	win[a] = (uint8_t)(v >> 8);
	win[a + 1] = (uint8_t)v;
}
static void put32(gaddr a, uint32_t v)
{
	put16(a, (uint16_t)(v >> 16));
	put16(a + 2, (uint16_t)v);
}

/* A machine with recognisable registers pointing into RAM, vectors set, the
 * instruction words at CODE, and a stack frame for the returns. */
static void setup(struct cpu *c, enum cpu_model model, int super, const uint16_t *words, unsigned n)
{
	memset(win, 0, 0x40000);
	for (unsigned v = 0; v < 256; v++)
		put32(v * 4, 0x20000 + v * 16);
	for (gaddr a = 0x1000; a < 0x9000; a++)
		win[a] = (uint8_t)(a * 7 + 3);
	for (unsigned i = 0; i < n; i++)
		put16(CODE + 2 * i, words[i]);
	/* return frames at both stacks: SR, PC (and a format word) */
	put16(0x8000, 0x2004);
	put32(0x8002, 0x12344);
	put16(0x8006, 0x0000);
	put16(0x7000, 0x0013);
	put32(0x7002, 0x12346);
	cpu_init(c, model);
	cpu_set_memory(c, win, model <= CPU_68010 ? 0x00FFFFFF : 0x00FFFFFF);
	for (int i = 0; i < 8; i++)
		c->d[i] = 0x11111111u * (uint32_t)(i + 1) ^ 0x80402010u;
	c->d[0] = 5;
	c->d[1] = 8;
	c->d[2] = 3;
	c->a[0] = 0x1100;
	c->a[1] = 0x2200;
	c->a[2] = 0x3300;
	c->a[3] = 0x4400;
	c->a[4] = 0x5500;
	c->a[5] = 0x6600;
	c->a[6] = 0x6800;
	c->sr = super ? 0x2004 : 0x0004;
	c->a[7] = super ? 0x8000 : 0x7000;
	if (super)
		c->usp = 0x7000;
	else
		c->ssp = 0x8000;
	c->pc = CODE;
	if (prepare)
		prepare(c);
	memcpy(snapshot, win, 0x40000);
}

struct arch {
	uint32_t d[8], a[8], usp, ssp, pc;
	uint16_t sr;
	int stopped;
};
static void save(const struct cpu *c, struct arch *s)
{
	memset(s, 0, sizeof *s); /* padding too: compared with memcmp */
	memcpy(s->d, c->d, sizeof s->d);
	memcpy(s->a, c->a, sizeof s->a);
	s->usp = cpu_usp(c);
	s->ssp = cpu_ssp(c);
	s->pc = c->pc;
	s->sr = c->sr;
	s->stopped = c->stopped;
}
static void assert_same(const struct arch *x, const struct arch *y, const char *what, unsigned k)
{
	if (memcmp(x, y, sizeof *x)) {
		fprintf(stderr,
			"%s differs after aborting access %u: pc %08x/%08x sr %04x/%04x usp "
			"%08x/%08x ssp %08x/%08x\n",
			what, k, x->pc, y->pc, x->sr, y->sr, x->usp, y->usp, x->ssp, y->ssp);
		for (int i = 0; i < 8; i++)
			if (x->d[i] != y->d[i] || x->a[i] != y->a[i])
				fprintf(stderr, "  d%d %08x/%08x a%d %08x/%08x\n", i, x->d[i],
					y->d[i], i, x->a[i], y->a[i]);
		fail();
	}
}

/* Runs the form uninterrupted, then with each access aborted once. */
static void check_form(enum cpu_model model, int super, const uint16_t *words, unsigned n,
		       const char *name)
{
	struct cpu c;
	struct arch before, after, now;
	static uint8_t ref_mem[0x40000];
	current = &c;

	setup(&c, model, super, words, n);
	save(&c, &before);
	guest_test_access_count = 0;
	guest_test_abort_countdown = 0;
	enum cpu_stop first = cpu_step(&c);
	if (first != CPU_STOP_COUNT)
		fprintf(stderr, "%s: uninterrupted run stopped (%d)\n", name, first);
	assert_int_equal(first, CPU_STOP_COUNT);
	unsigned long accesses = guest_test_access_count;
	save(&c, &after);
	memcpy(ref_mem, win, sizeof ref_mem);
	assert_true(accesses >= 1);

	for (unsigned k = 1; k <= accesses; k++) {
		setup(&c, model, super, words, n);
		guest_test_abort_countdown = k;
		enum cpu_stop why = cpu_step(&c);
		guest_test_abort_countdown = 0;
		if (why != CPU_STOP_SUSPENDED) {
			fprintf(stderr, "%s: access %u of %lu was not aborted\n", name, k,
				accesses);
			fail();
		}
		save(&c, &now);
		assert_same(&before, &now, name, k);
		/* resumed: the instruction runs again from the start */
		assert_int_equal(cpu_step(&c), CPU_STOP_COUNT);
		save(&c, &now);
		assert_same(&after, &now, name, k);
		if (memcmp(ref_mem, win, sizeof ref_mem)) {
			fprintf(stderr, "%s: memory differs after restart at access %u\n", name, k);
			fail();
		}
	}
}

#define FORM(model, super, ...)                                                                    \
	do {                                                                                       \
		static const uint16_t w_[] = {__VA_ARGS__};                                        \
		check_form(model, super, w_, sizeof w_ / sizeof w_[0], #__VA_ARGS__);              \
	} while (0)

static void moves_and_arithmetic_restart_cleanly(void **state)
{
	FORM(CPU_68000, 1, 0x20D8);		    /* MOVE.L (A0)+,(A0)+ */
	FORM(CPU_68000, 1, 0x2320);		    /* MOVE.L -(A0),-(A1) */
	FORM(CPU_68000, 0, 0x3219);		    /* MOVE.W (A1)+,D1 */
	FORM(CPU_68000, 0, 0x2370, 0x1804, 0x0010); /* MOVE.L (4,A0,D1.L),(16,A1) */
	FORM(CPU_68000, 1, 0xD198);		    /* ADD.L D0,(A0)+ */
	FORM(CPU_68000, 1, 0xD388);		    /* ADDX.L -(A0),-(A1) */
	FORM(CPU_68000, 1, 0x9189);		    /* SUBX.L -(A1),-(A0) */
	FORM(CPU_68000, 1, 0xC308);		    /* ABCD -(A0),-(A1) */
	FORM(CPU_68000, 1, 0x8308);		    /* SBCD -(A0),-(A1) */
	FORM(CPU_68000, 1, 0xB388);		    /* CMPM.L (A0)+,(A1)+ */
	FORM(CPU_68000, 1, 0x4498);		    /* NEG.L (A0)+ */
	FORM(CPU_68000, 1, 0x4820);		    /* NBCD -(A0) */
	FORM(CPU_68000, 1, 0x4AD8);		    /* TAS (A0)+ */
	FORM(CPU_68000, 1, 0x4AA0);		    /* TST.L -(A0) */
	FORM(CPU_68000, 1, 0x42A0);		    /* CLR.L -(A0) */
	FORM(CPU_68000, 1, 0x5AD8);		    /* SPL (A0)+ */
	FORM(CPU_68000, 1, 0xE5D8);		    /* ROXL.W (A0)+ */
	FORM(CPU_68000, 1, 0x0158);		    /* BCHG D0,(A0)+ */
	FORM(CPU_68000, 1, 0x0698, 0x1234, 0x5678); /* ADDI.L #$12345678,(A0)+ */
	FORM(CPU_68000, 1, 0x5FA7);		    /* SUBQ.L #7,-(A7) */
	FORM(CPU_68000, 1, 0xC1D8);		    /* MULS.W (A0)+,D0 */
	FORM(CPU_68000, 1, 0x83D8);		    /* DIVS.W (A0)+,D1 */
	FORM(CPU_68000, 1, 0x01C8, 0x0010);	    /* MOVEP.L D0,(16,A0) */
	FORM(CPU_68000, 1, 0x0348, 0x0010);	    /* MOVEP.L (16,A0),D1 */
	FORM(CPU_68000, 1, 0x46D8);		    /* MOVE.W (A0)+,SR */
	FORM(CPU_68000, 1, 0x40E0);		    /* MOVE.W SR,-(A0) */
	FORM(CPU_68000, 1, 0x44D8);		    /* MOVE.W (A0)+,CCR */
}

static void movem_restarts_without_partial_transfers(void **state)
{
	FORM(CPU_68000, 1, 0x48E7, 0xFFFE); /* MOVEM.L D0-D7/A0-A6,-(A7) */
	FORM(CPU_68000, 1, 0x4CD8, 0x7FFF); /* MOVEM.L (A0)+,D0-D7/A0-A6 */
	FORM(CPU_68000, 1, 0x4C98, 0x0303); /* MOVEM.W (A0)+,D0-D1/A0-A1 */
	FORM(CPU_68000, 1, 0x48A0, 0xC0C0); /* MOVEM.W D0-D1/A0-A1,-(A0) */
	FORM(CPU_68000, 1, 0x48D0, 0x0F0F); /* MOVEM.L D0-D3/A0-A3,(A0) */
	FORM(CPU_68020, 1, 0x48E0, 0x00FF); /* MOVEM.L A0-A7,-(A0) on the 020 */
}

static void flow_and_stack_instructions_restart_cleanly(void **state)
{
	FORM(CPU_68000, 1, 0x4E56, 0xFFF8); /* LINK A6,#-8 */
	FORM(CPU_68000, 1, 0x4E5E);	    /* UNLK A6 */
	FORM(CPU_68000, 1, 0x4850);	    /* PEA (A0) */
	FORM(CPU_68000, 1, 0x4E90);	    /* JSR (A0) */
	FORM(CPU_68000, 1, 0x6100, 0x0100); /* BSR.W *+$102 */
	FORM(CPU_68000, 1, 0x4E75);	    /* RTS */
	FORM(CPU_68000, 1, 0x4E77);	    /* RTR */
	FORM(CPU_68000, 1, 0x4E73);	    /* RTE */
	FORM(CPU_68010, 1, 0x4E73);	    /* RTE, format $0 */
	FORM(CPU_68010, 1, 0x4E74, 0x0010); /* RTD #16 */
}

static void exceptions_restart_cleanly(void **state)
{
	FORM(CPU_68000, 0, 0x4E41);	    /* TRAP #1 from user mode */
	FORM(CPU_68000, 1, 0x82FC, 0x0000); /* DIVU.W #0,D1 */
	FORM(CPU_68000, 1, 0x4190);	    /* CHK.W (A0),D0 */
	FORM(CPU_68000, 0, 0x46FC, 0x2700); /* MOVE #$2700,SR in user mode */
	FORM(CPU_68000, 1, 0xA9F0);	    /* A-line */
	FORM(CPU_68000, 1, 0xFFFF);	    /* F-line */
	FORM(CPU_68000, 1, 0x4AFC);	    /* ILLEGAL */
	FORM(CPU_68010, 0, 0x4E4F);	    /* TRAP #15, format $0 frame */
	FORM(CPU_68020, 1, 0x4E76);	    /* TRAPV (V clear: no trap) */
}

/* CAS/CAS2 find their compare values in memory, so they store. */
static void cas_operands_match(struct cpu *c)
{
	put32(c->a[0], c->d[0]);
	put32(c->a[1], c->d[1]);
}

static void m68020_instructions_restart_cleanly(void **state)
{
	FORM(CPU_68020, 1, 0xEFD0, 0x2310);	    /* BFINS D2,(A0){12:16} */
	FORM(CPU_68020, 1, 0xEAD0, 0x07C4);	    /* BFCHG (A0){31:4}: five bytes */
	FORM(CPU_68020, 1, 0xE9E8, 0x1108, 0x0010); /* BFEXTU (16,A0){4:8},D1 */
	FORM(CPU_68020, 1, 0x0ED0, 0x0040);	    /* CAS.L D0,D1,(A0) */
	FORM(CPU_68020, 1, 0x0EFC, 0x8080, 0x90C1); /* CAS2.L D0:D1,D2:D3,(A0):(A1) */
	prepare = cas_operands_match;
	FORM(CPU_68020, 1, 0x0EFC, 0x8080, 0x90C1); /* ... both compares succeed: two stores */
	FORM(CPU_68020, 1, 0x0ED0, 0x0040);	    /* CAS.L D0,D1,(A0) storing */
	prepare = NULL;
	FORM(CPU_68020, 1, 0x4C18, 0x1402); /* MULU.L (A0)+,D2:D1 */
	FORM(CPU_68020, 1, 0x4C58, 0x1C02); /* DIVS.L (A0)+,D2:D1 */
	FORM(CPU_68020, 1, 0x4C7C, 0x3003, 0x0000,
	     0x0000);			    /* DIVU.L #0,D3: zero divide, format $2 */
	FORM(CPU_68020, 1, 0x02D0, 0x0800); /* CHK2.W (A0),D0: the bounds pair, maybe a trap */
	FORM(CPU_68020, 1, 0x8348, 0x0000); /* PACK -(A0),-(A1),#0 */
	FORM(CPU_68020, 1, 0x8388, 0x3030); /* UNPK -(A0),-(A1),#$3030 */
	FORM(CPU_68020, 1, 0x4C98, 0x00FF); /* MOVEM.W (A0)+,D0-D7 on the 020 */
	FORM(CPU_68040, 1, 0xF620, 0x9000); /* MOVE16 (A0)+,(A1)+ */
	FORM(CPU_68040, 1, 0xF600, 0x0000, 0x3000); /* MOVE16 (A0)+,($3000).L */
}

static void indexed_and_memory_indirect_modes_restart_cleanly(void **state)
{
	FORM(CPU_68020, 1, 0x2030, 0x2D21, 0x0010);	    /* MOVE.L ([16,A0,D2.L*4]),D0 */
	FORM(CPU_68020, 1, 0x2030, 0x2D26, 0x0010, 0x0004); /* MOVE.L ([16,A0],D2.L*4,4),D0 */
	FORM(CPU_68020, 1, 0x21B0, 0x2D21, 0x0010,
	     0x1C00); /* MOVE.L ([16,A0,D2.L*4]),(0,A0,D1.L*4) */
}

/* A long run (the decoded cache's run loop, which keeps the instruction
 * count in memory only at checkpoints) aborted at any one of its memory
 * accesses and resumed ends exactly as the uninterrupted run: registers,
 * memory and the instruction count. A copy loop, then calls (fib(7)). */
static void long_runs_resume_after_an_abort_anywhere(void **state)
{
	static const uint16_t prog[] = {
	    0x7213,			   /* 10000: MOVEQ #19,D1 */
	    0x22D8,			   /* 10002: MOVE.L (A0)+,(A1)+ */
	    0x51C9, 0xFFFC,		   /* 10004: DBRA D1,$10002 */
	    0x7007,			   /* 10008: MOVEQ #7,D0 */
	    0x6104,			   /* 1000A: BSR.S $10010 */
	    0x4E72, 0x2700,		   /* 1000C: STOP #$2700 */
	    0x0C80, 0x0000, 0x0002,	   /* 10010: CMPI.L #2,D0 */
	    0x6D12,			   /* 10016: BLT.S $1002A */
	    0x2F00,			   /* 10018: MOVE.L D0,-(A7) */
	    0x5380,			   /* 1001A: SUBQ.L #1,D0 */
	    0x61F2,			   /* 1001C: BSR.S $10010 */
	    0x221F,			   /* 1001E: MOVE.L (A7)+,D1 */
	    0x2F00,			   /* 10020: MOVE.L D0,-(A7) */
	    0x2001,			   /* 10022: MOVE.L D1,D0 */
	    0x5580,			   /* 10024: SUBQ.L #2,D0 */
	    0x61E8,			   /* 10026: BSR.S $10010 */
	    0xD09F,			   /* 10028: ADD.L (A7)+,D0 */
	    0x4E75,			   /* 1002A: RTS */
	};
	static uint8_t ref_mem[0x40000];
	static struct cpu c;
	struct arch after, now;
	const unsigned n = sizeof prog / sizeof prog[0];
	(void)state;
	current = &c;
	for (enum cpu_model model = CPU_68000; model <= CPU_68020; model += 2) {
		setup(&c, model, 1, prog, n);
		guest_test_access_count = 0;
		guest_test_abort_countdown = 0;
		assert_int_equal(cpu_run(&c, 1000000), CPU_STOP_STOPPED);
		assert_int_equal(c.d[0], 13);
		unsigned long accesses = guest_test_access_count;
		uint64_t icount = c.icount;
		save(&c, &after);
		memcpy(ref_mem, win, sizeof ref_mem);
		for (unsigned k = 1; k <= accesses; k++) {
			setup(&c, model, 1, prog, n);
			guest_test_abort_countdown = k;
			assert_int_equal(cpu_run(&c, 1000000), CPU_STOP_SUSPENDED);
			guest_test_abort_countdown = 0;
			assert_int_equal(cpu_run(&c, 1000000), CPU_STOP_STOPPED);
			save(&c, &now);
			assert_same(&after, &now, "long run", k);
			assert_int_equal(c.icount, icount);
			assert_memory_equal(ref_mem, win, sizeof ref_mem);
		}
	}
}

int main(void)
{
	win = mmap(NULL, WIN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		   -1, 0);
	snapshot = malloc(0x40000);
	if (win == MAP_FAILED || !snapshot)
		return 99;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(moves_and_arithmetic_restart_cleanly),
	    cmocka_unit_test(movem_restarts_without_partial_transfers),
	    cmocka_unit_test(flow_and_stack_instructions_restart_cleanly),
	    cmocka_unit_test(exceptions_restart_cleanly),
	    cmocka_unit_test(m68020_instructions_restart_cleanly),
	    cmocka_unit_test(indexed_and_memory_indirect_modes_restart_cleanly),
	    cmocka_unit_test(long_runs_resume_after_an_abort_anywhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
