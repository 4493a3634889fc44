/* Interrupt-time code in-process, on hand-assembled applications (no cross
 * compiler needed): a Time Manager task primed for 50 ms fires after 3 ticks
 * of guest time, called with A0 = tmAddr and A1 = the task; DeferUserFn with
 * paging safe calls its function at once (A0 = the argument) from the trap,
 * and the trap's result survives what the function leaves in D0; the
 * deferred-function table lists its entries and overflows into system
 * error 112; an I/O completion routine is deferred while paging is unsafe
 * unless its driver is VM-immune. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guest/guest.h"
#include "pager/pager.h"
#include "toolbox/tb.h" /* white box: the deferred-function table */
#include "toolbox/toolbox.h"

#define CODE 0x434F4445u

static size_t put_words(uint8_t *out, const uint16_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = (uint8_t)(w[i] >> 8);
		out[2 * i + 1] = (uint8_t)w[i];
	}
	return 2 * n;
}

/* CODE 0: 32 bytes above A5 plus one jump table entry (CODE 1 offset 0). */
static size_t code0(uint8_t *out)
{
	static const uint16_t w[] = {0, 40, 0, 16, 0, 8, 0, 32, 0x0000, 0x3F3C, 0x0001, 0xA9F0};
	return put_words(out, w, sizeof w / 2);
}

static uint8_t *fork_mem;
static struct pager *pager_mem;
static void (*progress_fn)(void *ctx, uint32_t pc, uint64_t instructions); /* between slices */

/* Builds the machine for CODE 1 (a near segment: header, then code) on 1 MiB
 * of RAM (2 MiB logical with VM). */
static struct toolbox *machine(const uint16_t *code, size_t nwords, bool vm, unsigned defer_size)
{
	uint8_t c0[64], c1[512];
	static const uint16_t header[] = {0x0000, 0x0001};
	size_t n0 = code0(c0);
	size_t n1 = put_words(c1, header, 2);
	n1 += put_words(c1 + n1, code, nwords);
	struct resource_spec res[] = {
	    {CODE, 0, 0, NULL, c0, (uint32_t)n0},
	    {CODE, 1, 0, NULL, c1, (uint32_t)n1},
	};
	size_t len;
	uint8_t *fork = resfork_build(res, 2, &len);
	assert_non_null(fork);
	fork_mem = fork;
	struct pager_config pc;
	pager_config_defaults(&pc);
	pc.ram_bytes = 1u << 20;
	pc.vm_bytes = vm ? 2u << 20 : 1u << 20;
	char err[300];
	struct pager *p = pager_create(&pc, err, sizeof err);
	assert_non_null(p);
	pager_mem = p;
	static const uint8_t name[] = "\x04test";
	struct toolbox_config cfg = {.cpu_model = CPU_68030,
				     .vm = vm,
				     .rsrc = fork,
				     .rsrc_len = len,
				     .name = name,
				     .max_instructions = 5000000,
				     .defer_table_size = defer_size,
				     .progress = progress_fn};
	bool bad;
	struct toolbox *tb = toolbox_create(p, &cfg, &bad, err, sizeof err);
	if (tb == NULL)
		fail_msg("toolbox_create: %s", err);
	return tb;
}

static struct toolbox_result finish(struct toolbox *tb)
{
	struct toolbox_result r;
	toolbox_run(tb, &r);
	toolbox_destroy(tb);
	pager_destroy(pager_mem);
	free(fork_mem);
	return r;
}

static struct toolbox_result run(const uint16_t *code, size_t nwords, bool vm)
{
	return finish(machine(code, nwords, vm, 0));
}

static void time_manager_task_fires_after_its_delay_in_guest_time(void **state)
{
	(void)state;
	/* TMTask at -32(A6); the task stores A0 (tmAddr) in tmReserved through
	 * A1 (the task); the program waits for it, then checks that 3 or 4
	 * ticks passed and that A0 was the task's address. SysError 99: failed. */
	static const uint16_t code[] = {
	    0x4E56, 0xFFE0,		/* LINK A6,#-32 */
	    0x41EE, 0xFFE0,		/* LEA -32(A6),A0 */
	    0x4290, 0x4268, 0x0004,	/* CLR.L (A0); CLR.W 4(A0) */
	    0x43FA, 0x005A,		/* LEA task(PC),A1 */
	    0x2149, 0x0006,		/* MOVE.L A1,6(A0): tmAddr */
	    0x42A8, 0x000E, 0x42A8, 0x0012, /* CLR.L 14(A0); CLR.L 18(A0) */
	    0xA058,			/* _InsTime */
	    0x42A7, 0xA975, 0x281F,	/* CLR.L -(SP); _TickCount; MOVE.L (SP)+,D4 */
	    0x41EE, 0xFFE0, 0x7032, 0xA05A, /* LEA -32(A6),A0; MOVEQ #50,D0; _PrimeTime */
	    0x2A3C, 0x001E, 0x8480,	/* MOVE.L #2000000,D5 */
	    0x4AAE, 0xFFF2, 0x6606,	/* loop: TST.L -14(A6); BNE.S done */
	    0x5385, 0x66F6, 0x6026,	/* SUBQ.L #1,D5; BNE.S loop; BRA.S fail */
	    0x42A7, 0xA975, 0x201F,	/* done: CLR.L -(SP); _TickCount; MOVE.L (SP)+,D0 */
	    0x9084,			/* SUB.L D4,D0 */
	    0x0C80, 0x0000, 0x0003, 0x6D16, /* CMPI.L #3,D0; BLT.S fail */
	    0x0C80, 0x0000, 0x0004, 0x6E0E, /* CMPI.L #4,D0; BGT.S fail */
	    0x43FA, 0x0010, 0xB3EE, 0xFFF2, /* LEA task(PC),A1; CMPA.L -14(A6),A1 */
	    0x6604, 0x4E5E, 0xA9F4,	/* BNE.S fail; UNLK A6; _ExitToShell */
	    0x7063, 0xA9C9,		/* fail: MOVEQ #99,D0; _SysError */
	    0x2348, 0x0012, 0x4E75,	/* task: MOVE.L A0,18(A1); RTS */
	};
	for (int vm = 0; vm <= 1; vm++) {
		struct toolbox_result r = run(code, sizeof code / 2, vm);
		assert_string_equal(r.reason, "ExitToShell");
		assert_int_equal(r.tm_runs, 1);
		assert_int_equal(r.interrupts, 1);
	}
}

static void defer_user_fn_with_paging_safe_calls_the_function_from_the_trap(void **state)
{
	(void)state;
	/* fn: MOVE.L A0,D6 (the argument, 7); MOVEQ #-1,D0; RTS. After the
	 * trap: D0 = noErr, D6 = 7; else SysError 99. */
	static const uint16_t code[] = {
	    0x7C00,			/* MOVEQ #0,D6 */
	    0x41FA, 0x0018, 0x7007,	/* LEA fn(PC),A0; MOVEQ #7,D0 */
	    0xA08F,			/* _DeferUserFn */
	    0x4A40, 0x660A,		/* TST.W D0; BNE.S fail */
	    0x0C86, 0x0000, 0x0007, 0x6602, /* CMPI.L #7,D6; BNE.S fail */
	    0xA9F4,			/* _ExitToShell */
	    0x7063, 0xA9C9,		/* fail: MOVEQ #99,D0; _SysError */
	    0x2C08, 0x70FF, 0x4E75,	/* fn: MOVE.L A0,D6; MOVEQ #-1,D0; RTS */
	};
	for (int vm = 0; vm <= 1; vm++) {
		struct toolbox_result r = run(code, sizeof code / 2, vm);
		assert_string_equal(r.reason, "ExitToShell");
	}
}

static void a_full_deferred_table_is_listed_and_one_more_is_system_error_112(void **state)
{
	(void)state;
	static const uint16_t code[] = {0xA9F4}; /* _ExitToShell */
	struct toolbox *tb = machine(code, 1, true, 2);
	struct vmint_call c = {.proc = 0x12340, .a0 = 0x12340, .a1 = 0x5000, .kind = VK_TIME};
	assert_true(vmint_defer(tb, &c));
	assert_true(vmint_defer(tb, &c));
	char list[512];
	vmint_userfns(tb, list, sizeof list);
	assert_non_null(strstr(list, "Deferred user functions: 2 of 2 entries"));
	assert_non_null(strstr(list, "  2  Time Manager task      routine 00012340  A0 00012340  A1 00005000"));
	assert_false(vmint_defer(tb, &c));
	struct toolbox_result r = finish(tb);
	assert_int_equal(r.status, 4);
	assert_non_null(strstr(r.reason, "System error 112 (dsVMDeferredFuncTableFull)"));
}

/* The application stores its completion routine's address in D5, then waits
 * for the routine to set D6 (= A0, the parameter block) and D7 (= D0, the
 * result). Between CPU slices the test plays the File Manager: with paging
 * made unsafe it completes an I/O, then makes paging safe again. */
static const uint16_t io_code[] = {
    0x7C00,			    /* MOVEQ #0,D6 */
    0x41FA, 0x001C, 0x2A08,	    /* LEA routine(PC),A0; MOVE.L A0,D5 */
    0x4A86, 0x67FC,		    /* loop: TST.L D6; BEQ.S loop */
    0x0C47, 0xFFDC, 0x660A,	    /* CMPI.W #-36,D7; BNE.S fail */
    0x0C86, 0x0000, 0x1234, 0x6602, /* CMPI.L #$1234,D6; BNE.S fail */
    0xA9F4,			    /* _ExitToShell */
    0x7063, 0xA9C9,		    /* fail: MOVEQ #99,D0; _SysError */
    0x2C08, 0x3E00, 0x4E75,	    /* routine: MOVE.L A0,D6; MOVE.W D0,D7; RTS */
};
static struct toolbox *io_tb;
static bool io_immune;
static int io_step;
static unsigned io_deferred_while_unsafe, io_ran_while_unsafe;

static void io_progress(void *ctx, uint32_t pc, uint64_t instructions)
{
	(void)ctx;
	(void)pc;
	(void)instructions;
	struct toolbox *tb = io_tb;
	if (io_step == 0 && tb->cpu.d[5] != 0) {
		pager_set_paging_safe(tb->pager, false);
		tb_io_complete(tb, 0x1234, tb->cpu.d[5], -36, io_immune);
		io_step = 1;
	} else if (io_step == 1) {
		io_deferred_while_unsafe = tb->vmint.ndeferred;
		io_ran_while_unsafe = tb->cpu.d[6] != 0;
		pager_set_paging_safe(tb->pager, true);
		io_step = 2;
	}
}

static void io_completion_is_deferred_while_paging_is_unsafe_unless_vm_immune(void **state)
{
	(void)state;
	for (int immune = 0; immune <= 1; immune++) {
		progress_fn = io_progress;
		io_tb = machine(io_code, sizeof io_code / 2, true, 0);
		progress_fn = NULL;
		io_immune = immune;
		io_step = 0;
		struct toolbox_result r = finish(io_tb);
		assert_string_equal(r.reason, "ExitToShell");
		assert_int_equal(io_step, 2);
		assert_int_equal(io_deferred_while_unsafe, immune ? 0 : 1);
		assert_int_equal(io_ran_while_unsafe, immune ? 1 : 0);
		assert_int_equal(r.deferred_fns, immune ? 0 : 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(time_manager_task_fires_after_its_delay_in_guest_time),
	    cmocka_unit_test(defer_user_fn_with_paging_safe_calls_the_function_from_the_trap),
	    cmocka_unit_test(a_full_deferred_table_is_listed_and_one_more_is_system_error_112),
	    cmocka_unit_test(io_completion_is_deferred_while_paging_is_unsafe_unless_vm_immune),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
