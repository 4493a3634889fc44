/* tests/cpu_fault_test.c: a real SIGSEGV on a PROT_NONE page of the window,
 * turned into a guest fault by cpu_abort_from_signal the way the pager's
 * handler will: the instruction is rolled back and the model's bus error
 * frame is stacked (68000 group 0, 68020 format $B, 68040 format $7), or the
 * run returns "suspended" and the instruction completes when re-run. */
#include "config.h"
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>
#include "guest/guest.h"

#define WIN (16u << 20)
#define CODE 0x10000u
#define HOLE 0x50000u /* a PROT_NONE guest page */

static uint8_t *win;
static struct cpu *current;
static enum guest_fault_kind next_kind;
static int next_write;
static unsigned faults;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	uint8_t *p = si->si_addr;
	if (!current || !cpu_running(current) || p < win || p >= win + WIN) {
		signal(SIGSEGV, SIG_DFL); /* not ours: crash for real */
		return;
	}
	faults++;
	struct guest_fault f = {next_kind, (gaddr)(p - win), next_write};
	cpu_abort_from_signal(current, &f);
}

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
static uint16_t get16(gaddr a)
{
	return (uint16_t)(win[a] << 8 | win[a + 1]);
}
static uint32_t get32(gaddr a)
{
	return (uint32_t)get16(a) << 16 | get16(a + 2);
}

static void setup(struct cpu *c, enum cpu_model model, uint16_t w0, uint16_t w1)
{
	/* cmocka installs its own SIGSEGV handler around each test: ours goes on top */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	mprotect(win, WIN, PROT_READ | PROT_WRITE);
	memset(win, 0, 0x60000);
	for (unsigned v = 0; v < 64; v++)
		put32(v * 4, 0x20000 + v * 16);
	put16(CODE, w0);
	put16(CODE + 2, w1);
	mprotect(win + HOLE, 4096, PROT_NONE);
	cpu_init(c, model);
	cpu_set_memory(c, win, 0x00FFFFFF);
	c->sr = 0x2000;
	c->a[7] = 0x8000;
	c->a[0] = HOLE + 0x10;
	c->d[0] = 0xCAFEF00D;
	c->pc = CODE;
	current = c;
}

static void bus_error_on_68000_stacks_group0_frame_at_the_instruction(void **state)
{
	struct cpu c;
	setup(&c, CPU_68000, 0x2080, 0x4E71); /* MOVE.L D0,(A0) */
	next_kind = GUEST_FAULT_BUS_ERROR;
	next_write = 1;
	assert_int_equal(cpu_step(&c), CPU_STOP_COUNT);
	assert_int_equal(c.pc, 0x20000 + 2 * 16);
	assert_int_equal(c.a[7], 0x8000 - 14);
	assert_int_equal(c.a[0], HOLE + 0x10);
	assert_int_equal(get16(0x8000 - 14) & 0x1F,
			 0x0D); /* write, not instruction, supervisor data FC */
	assert_int_equal(get32(0x8000 - 12), HOLE + 0x10); /* access address */
	assert_int_equal(get16(0x8000 - 8), 0x2080);	   /* instruction register */
	assert_int_equal(get16(0x8000 - 6), 0x2000);	   /* SR */
	assert_int_equal(get32(0x8000 - 4), CODE);	   /* the instruction, to re-run it */
}

static void bus_error_on_68020_stacks_format_B_and_undoes_postincrement(void **state)
{
	struct cpu c;
	setup(&c, CPU_68020, 0x2218, 0x4E71); /* MOVE.L (A0)+,D1 */
	next_kind = GUEST_FAULT_BUS_ERROR;
	next_write = 0;
	assert_int_equal(cpu_step(&c), CPU_STOP_COUNT);
	uint32_t sp = 0x8000 - 92;
	assert_int_equal(c.a[7], sp);
	assert_int_equal(c.a[0], HOLE + 0x10); /* not incremented */
	assert_int_equal(get16(sp + 6), 0xB008);
	assert_int_equal(get32(sp + 2), CODE);
	assert_int_equal(get32(sp + 0x10), HOLE + 0x10);
	assert_true(get16(sp + 0x0A) & 0x40); /* SSW: read */
	assert_int_equal(c.pc, 0x20000 + 2 * 16);
}

static void access_fault_on_68040_stacks_format_7(void **state)
{
	struct cpu c;
	setup(&c, CPU_68040, 0x2080, 0x4E71); /* MOVE.L D0,(A0) */
	next_kind = GUEST_FAULT_READ_ONLY;
	next_write = 1;
	assert_int_equal(cpu_step(&c), CPU_STOP_COUNT);
	uint32_t sp = 0x8000 - 60;
	assert_int_equal(get16(sp + 6), 0x7008);
	assert_int_equal(get32(sp + 0x14), HOLE + 0x10);
	assert_int_equal(get32(sp + 2), CODE);
}

static void fetch_from_a_missing_page_is_reported_as_an_instruction_fault(void **state)
{
	struct cpu c;
	setup(&c, CPU_68020, 0x4ED0, 0x4E71); /* JMP (A0) into the hole */
	c.a[0] = HOLE;
	next_kind = GUEST_FAULT_BUS_ERROR;
	next_write = 0;
	assert_int_equal(cpu_step(&c), CPU_STOP_COUNT); /* the JMP */
	assert_int_equal(cpu_step(&c), CPU_STOP_COUNT); /* the fetch faults */
	uint32_t sp = 0x8000 - 92;
	assert_int_equal(get32(sp + 2), HOLE); /* PC: the instruction that was to run */
	assert_int_equal(get16(sp + 0x0A) & 0xF100, 0x5000); /* FB, RB; not DF */
	assert_int_equal(get32(sp + 0x24), HOLE);	     /* stage B address */
	setup(&c, CPU_68000, 0x4ED0, 0x4E71);
	c.a[0] = HOLE;
	cpu_step(&c);
	cpu_step(&c);
	assert_int_equal(get16(0x8000 - 14) & 0x1F,
			 0x16); /* read, instruction, supervisor program */
}

static void suspended_instruction_completes_when_rerun(void **state)
{
	struct cpu c;
	setup(&c, CPU_68020, 0x20D8, 0x4E71); /* MOVE.L (A0)+,(A0)+ */
	c.a[0] = HOLE - 4;		      /* reads below the hole, writes into it */
	put32(HOLE - 4, 0x12345678);
	next_kind = GUEST_FAULT_SUSPEND;
	unsigned before = faults;
	/* three aborts in a row: the signal mask must not stay blocked */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(cpu_step(&c), CPU_STOP_SUSPENDED);
		assert_int_equal(c.a[0], HOLE - 4);
		assert_int_equal(c.pc, CODE);
	}
	assert_int_equal(faults - before, 3);
	mprotect(win + HOLE, 4096, PROT_READ | PROT_WRITE); /* "paged in" */
	assert_int_equal(cpu_step(&c), CPU_STOP_COUNT);
	assert_int_equal(c.a[0], HOLE + 4);
	assert_int_equal(get32(HOLE), 0x12345678);
	assert_int_equal(c.pc, CODE + 2);
}

int main(void)
{
	win = mmap(NULL, WIN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		   -1, 0);
	if (win == MAP_FAILED)
		return 99;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(bus_error_on_68000_stacks_group0_frame_at_the_instruction),
	    cmocka_unit_test(bus_error_on_68020_stacks_format_B_and_undoes_postincrement),
	    cmocka_unit_test(access_fault_on_68040_stacks_format_7),
	    cmocka_unit_test(fetch_from_a_missing_page_is_reported_as_an_instruction_fault),
	    cmocka_unit_test(suspended_instruction_completes_when_rerun),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
