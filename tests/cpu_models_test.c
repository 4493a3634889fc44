/* tests/cpu_models_test.c: behaviour the 68000 single-step suite cannot
 * show: exceptions at instruction boundaries (trace, interrupts, STOP), the
 * A-line hook, the 68010+ frame format words and MOVEC, and the 68020/040
 * instructions and addressing modes. Encodings were checked with
 * m68k-linux-gnu-as; expected values are worked out in the comments. */
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
#define CODE 0x10000u
#define HANDLER(v) (0x20000u + (v)*16u) /* where vector v points */

static uint8_t *win;
static struct cpu c;

static void put8(gaddr a, uint8_t v)
{
	win[a] = v;
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
static uint8_t get8(gaddr a)
{
	return win[a];
}
static uint16_t get16(gaddr a)
{
	return (uint16_t)(win[a] << 8 | win[a + 1]);
}
static uint32_t get32(gaddr a)
{
	return (uint32_t)get16(a) << 16 | get16(a + 2);
}

/* A fresh machine in supervisor mode at CODE with the given words. */
static void load(enum cpu_model model, const uint16_t *w, unsigned n)
{
	memset(win, 0, 0x40000);
	for (unsigned v = 0; v < 256; v++)
		put32(v * 4, HANDLER(v));
	for (unsigned i = 0; i < n; i++)
		put16(CODE + 2 * i, w[i]);
	cpu_init(&c, model);
	cpu_set_memory(&c, win, 0x00FFFFFF);
	c.sr = 0x2700;
	c.a[7] = 0x8000;
	c.usp = 0x7000;
	c.pc = CODE;
}
#define LOAD(model, ...)                                                                           \
	do {                                                                                       \
		static const uint16_t w_[] = {__VA_ARGS__};                                        \
		load(model, w_, sizeof w_ / sizeof w_[0]);                                         \
	} while (0)
#define CCR (c.sr & 0x1F)

/* ---- exceptions and boundaries ---- */

static int hook_calls;
static uint16_t hook_op;
static int aline_hook(struct cpu *cpu, uint16_t op, void *ctx)
{
	hook_calls++;
	hook_op = op;
	return 1;
}

static void aline_goes_to_the_hook_while_the_vector_is_the_dispatcher(void **state)
{
	LOAD(CPU_68000, 0xA9F0, 0xA9F0);
	c.aline_hook = aline_hook;
	c.aline_dispatcher = HANDLER(10);
	hook_calls = 0;
	assert_int_equal(cpu_step(&c), CPU_STOP_COUNT);
	assert_int_equal(hook_calls, 1);
	assert_int_equal(hook_op, 0xA9F0);
	assert_int_equal(c.pc, CODE + 2);
	assert_int_equal(c.a[7], 0x8000); /* nothing stacked */
	put32(10 * 4, 0x30000);		  /* a guest patched the vector */
	assert_int_equal(cpu_step(&c), CPU_STOP_COUNT);
	assert_int_equal(hook_calls, 1);
	assert_int_equal(c.pc, 0x30000);
	assert_int_equal(get32(c.a[7] + 2), CODE + 2); /* stacked PC: the A-line word itself */
}

static void fline_and_illegal_stack_the_instruction_address(void **state)
{
	LOAD(CPU_68000, 0xF123, 0x4AFC);
	cpu_step(&c);
	assert_int_equal(c.pc, HANDLER(11));
	assert_int_equal(get32(c.a[7] + 2), CODE);
	c.pc = CODE + 2;
	cpu_step(&c);
	assert_int_equal(c.pc, HANDLER(4));
	assert_int_equal(get32(c.a[7] + 2), CODE + 2);
}

static void user_mode_move_to_sr_is_a_privilege_violation(void **state)
{
	LOAD(CPU_68000, 0x46FC, 0x2700); /* MOVE #$2700,SR */
	c.sr = 0x0000;
	c.ssp = 0x8000;
	c.a[7] = 0x7000;
	cpu_step(&c);
	assert_int_equal(c.pc, HANDLER(8));
	assert_int_equal(c.sr & 0x2000, 0x2000);
	assert_int_equal(cpu_usp(&c), 0x7000);
	assert_int_equal(c.a[7], 0x8000 - 6);
	assert_int_equal(get16(c.a[7]), 0x0000);   /* the user SR */
	assert_int_equal(get32(c.a[7] + 2), CODE); /* the instruction */
}

static void trace_is_taken_after_the_traced_instruction(void **state)
{
	LOAD(CPU_68000, 0x4E71, 0x4E71); /* NOP; NOP */
	c.sr = 0xA700;
	assert_int_equal(cpu_step(&c), CPU_STOP_COUNT);
	assert_int_equal(c.pc, CODE + 2);
	assert_int_equal(cpu_step(&c), CPU_STOP_COUNT); /* the trace exception */
	assert_int_equal(c.pc, HANDLER(9));
	assert_int_equal(c.sr & 0x8000, 0);
	assert_int_equal(get32(c.a[7] + 2), CODE + 2);
}

static void t0_traces_only_a_change_of_flow_on_the_68020(void **state)
{
	LOAD(CPU_68020, 0x4E71, 0x6002, 0x4E71, 0x4E71); /* NOP; BRA.S *+4 */
	c.sr = 0x6700;					 /* T0 */
	cpu_step(&c);					 /* NOP: no trace */
	assert_int_equal(c.trace_pending, 0);
	cpu_step(&c); /* BRA to CODE+6 */
	assert_int_equal(c.pc, CODE + 6);
	cpu_step(&c); /* the BRA is traced */
	assert_int_equal(c.pc, HANDLER(9));
	assert_int_equal(get32(c.a[7] + 2), CODE + 6);
	assert_int_equal(get32(c.a[7] + 8), CODE + 2);
}

static void interrupt_above_the_mask_is_autovectored_and_raises_it(void **state)
{
	LOAD(CPU_68000, 0x4E71);
	c.sr = 0x2200;
	c.irq_level = 2; /* not above the mask */
	cpu_step(&c);
	assert_int_equal(c.pc, CODE + 2);
	c.irq_level = 3;
	cpu_step(&c);
	assert_int_equal(c.pc, HANDLER(27));
	assert_int_equal(c.sr & 0x0700, 0x0300);
	assert_int_equal(get16(c.a[7]), 0x2200);
}

static void stop_waits_until_an_interrupt(void **state)
{
	LOAD(CPU_68000, 0x4E72, 0x2000, 0x4E71); /* STOP #$2000 */
	assert_int_equal(cpu_run(&c, 100), CPU_STOP_STOPPED);
	assert_int_equal(c.sr, 0x2000);
	assert_int_equal(cpu_run(&c, 100), CPU_STOP_STOPPED);
	c.irq_level = 1;
	cpu_step(&c);
	assert_int_equal(c.pc, HANDLER(25));
	assert_int_equal(get32(c.a[7] + 2), CODE + 4); /* resumes after the STOP */
}

static int hook_runs;
static void boundary_hook(struct cpu *cpu, void *ctx)
{
	hook_runs++;
	cpu->irq_level = 2; /* a device interrupt raised at the boundary */
}

static void posted_event_runs_the_hook_at_the_next_boundary(void **state)
{
	LOAD(CPU_68000, 0x4E71, 0x4E71, 0x4E71);
	c.sr = 0x2000;
	c.boundary_hook = boundary_hook;
	hook_runs = 0;
	cpu_step(&c);
	assert_int_equal(hook_runs, 0);
	cpu_post_event(&c);
	cpu_step(&c); /* the hook raises level 2: the interrupt is this step */
	assert_int_equal(hook_runs, 1);
	assert_int_equal(c.pc, HANDLER(26));
	c.irq_level = 0;
	cpu_step(&c);
	assert_int_equal(hook_runs, 1);
}

static void stop_request_returns_at_a_boundary(void **state)
{
	LOAD(CPU_68000, 0x4E71, 0x4E71, 0x4E71);
	cpu_request_stop(&c);
	assert_int_equal(cpu_run(&c, 10), CPU_STOP_REQUESTED);
	assert_int_equal(c.pc, CODE);
	assert_int_equal(cpu_run(&c, 2), CPU_STOP_COUNT);
	assert_int_equal(c.pc, CODE + 4);
}

static void level_7_is_taken_once_per_assertion(void **state)
{
	LOAD(CPU_68000, 0x4E71);
	for (unsigned i = 0; i < 8; i++)
		put16(HANDLER(31) + 2 * i, 0x4E71); /* the NMI handler: NOPs */
	c.irq_level = 7;
	cpu_step(&c);
	assert_int_equal(c.pc, HANDLER(31));
	cpu_step(&c); /* still asserted, mask 7: not taken again */
	assert_int_equal(c.pc, HANDLER(31) + 2);
	c.irq_level = 0;
	cpu_step(&c);
	c.irq_level = 7; /* a new assertion */
	cpu_step(&c);
	assert_int_equal(c.pc, HANDLER(31));
}

static void address_error_with_odd_stack_halts_the_68000(void **state)
{
	LOAD(CPU_68000, 0x3010); /* MOVE.W (A0),D0 */
	c.a[0] = 0x1001;
	c.a[7] = 0x8001;
	assert_int_equal(cpu_step(&c), CPU_STOP_HALTED);
}

static void odd_jump_target_is_an_address_error_on_every_model(void **state)
{
	LOAD(CPU_68020, 0x4ED0); /* JMP (A0) */
	c.a[0] = 0x12345;
	cpu_step(&c);
	assert_int_equal(c.pc, HANDLER(3));
	assert_int_equal(c.a[7], 0x8000 - 92);
	assert_int_equal(get16(c.a[7] + 6), 0xB00C);
	assert_int_equal(get32(c.a[7] + 2), CODE);
	assert_int_equal(get32(c.a[7] + 0x24), 0x12345);
	LOAD(CPU_68040, 0x4ED0);
	c.a[0] = 0x12345;
	cpu_step(&c);
	assert_int_equal(c.pc, HANDLER(3));
	assert_int_equal(get16(c.a[7] + 6), 0x200C);
	assert_int_equal(get32(c.a[7] + 8), 0x12345);
	LOAD(CPU_68000, 0x4ED0);
	c.a[0] = 0x12345;
	cpu_step(&c);
	assert_int_equal(c.pc, HANDLER(3));
	assert_int_equal(get32(c.a[7] + 2), 0x12345);	/* access address */
	assert_int_equal(get32(c.a[7] + 10), CODE + 2); /* the 68000's stacked PC */
}

static void trap_on_68010_stacks_format_0_and_uses_vbr(void **state)
{
	LOAD(CPU_68010, 0x4E7B, 0x0801, 0x4E41); /* MOVEC D0,VBR; TRAP #1 */
	c.d[0] = 0x1000;
	put32(0x1000 + 33 * 4, 0x34560);
	cpu_step(&c);
	assert_int_equal(c.vbr, 0x1000);
	cpu_step(&c);
	assert_int_equal(c.pc, 0x34560);
	assert_int_equal(c.a[7], 0x8000 - 8);
	assert_int_equal(get16(c.a[7] + 6), 0x0084);   /* format 0, vector offset $84 */
	assert_int_equal(get32(c.a[7] + 2), CODE + 6); /* after the TRAP */
}

static void movec_checks_privilege_and_register_per_model(void **state)
{
	LOAD(CPU_68010, 0x4E7B, 0x0002); /* MOVEC D0,CACR: no CACR on the 010 */
	cpu_step(&c);
	assert_int_equal(c.pc, HANDLER(4));
	LOAD(CPU_68020, 0x4E7B, 0x0002);
	c.d[0] = 0xFFFFFFFF;
	cpu_step(&c);
	assert_int_equal(c.cacr, 0x0F);
	LOAD(CPU_68020, 0x4E7A, 0x1801); /* MOVEC VBR,D1 in user mode */
	c.sr = 0;
	c.ssp = 0x8000;
	c.a[7] = 0x7000;
	cpu_step(&c);
	assert_int_equal(c.pc, HANDLER(8));
}

static void line_f_and_move16_depend_on_the_model(void **state)
{
	LOAD(CPU_68040, 0xF620, 0x9000); /* MOVE16 (A0)+,(A1)+ */
	c.a[0] = 0x3008;
	c.a[1] = 0x4000;
	for (unsigned i = 0; i < 16; i++)
		put8(0x3000 + i, (uint8_t)(0xA0 + i));
	cpu_step(&c);
	assert_int_equal(get32(0x4000), 0xA0A1A2A3);
	assert_int_equal(get32(0x400C), 0xACADAEAF);
	assert_int_equal(c.a[0], 0x3018);
	assert_int_equal(c.a[1], 0x4010);
	LOAD(CPU_68020, 0xF620, 0x9000);
	cpu_step(&c);
	assert_int_equal(c.pc, HANDLER(11));
	LOAD(CPU_68040, 0xF4F8, 0xF4F8); /* CPUSHA BC: nothing to do, but privileged */
	cpu_step(&c);
	assert_int_equal(c.pc, CODE + 2);
	c.sr = 0;
	c.ssp = 0x8000;
	c.a[7] = 0x7000;
	cpu_step(&c);
	assert_int_equal(c.pc, HANDLER(8));
}

/* ---- 68020 ---- */

static void master_stack_is_chosen_by_the_m_bit_on_the_68020(void **state)
{
	LOAD(CPU_68020, 0x46FC, 0x3700, 0x4E7A, 0x1803, 0x4E7A,
	     0x2804); /* MOVE #$3700,SR; MOVEC MSP,D1; MOVEC ISP,D2 */
	cpu_set_msp(&c, 0x9000);
	cpu_step(&c);
	assert_int_equal(c.a[7], 0x9000);
	assert_int_equal(cpu_ssp(&c), 0x8000);
	cpu_step(&c);
	cpu_step(&c);
	assert_int_equal(c.d[1], 0x9000);
	assert_int_equal(c.d[2], 0x8000);
	LOAD(CPU_68000, 0x46FC, 0x3700); /* no M bit on the 68000 */
	cpu_step(&c);
	assert_int_equal(c.sr, 0x2700);
	assert_int_equal(c.a[7], 0x8000);
}

static void interrupt_with_m_set_leaves_a_throwaway_frame_that_rte_follows(void **state)
{
	LOAD(CPU_68020, 0x4E71, 0x4E71);
	c.sr = 0x3000;	 /* S, M, mask 0 */
	c.a[7] = 0x9000; /* MSP active */
	cpu_set_ssp(&c, 0x8000);
	put16(HANDLER(27), 0x4E73); /* the handler: RTE */
	c.irq_level = 3;
	cpu_step(&c);
	assert_int_equal(c.pc, HANDLER(27));
	assert_int_equal(c.sr & 0x3700, 0x2300);     /* M cleared, mask 3 */
	assert_int_equal(c.a[7], 0x8000 - 8);	     /* on the interrupt stack */
	assert_int_equal(get16(0x8000 - 2), 0x106C); /* format $1, vector 27 */
	assert_int_equal(cpu_msp(&c), 0x9000 - 8);
	assert_int_equal(get16(0x9000 - 2), 0x006C); /* format $0 on the master stack */
	assert_int_equal(get16(0x9000 - 8), 0x3000);
	c.irq_level = 0;
	cpu_step(&c); /* RTE through both frames */
	assert_int_equal(c.pc, CODE);
	assert_int_equal(c.sr, 0x3000);
	assert_int_equal(c.a[7], 0x9000);
	assert_int_equal(cpu_ssp(&c), 0x8000);
}

static void bitfields_in_registers(void **state)
{
	LOAD(CPU_68020, 0xE9C0, 0x1108, 0xEDC3, 0x5908, 0xECC0, 0x0708);
	c.d[0] = 0x12345678;
	cpu_step(&c); /* BFEXTU D0{4:8},D1 */
	assert_int_equal(c.d[1], 0x23);
	assert_int_equal(CCR, 0);
	c.d[3] = 0x00F00000;
	c.d[4] = 4;
	cpu_step(&c); /* BFFFO D3{D4:8},D5: field 0000 1111, first one at +4 */
	assert_int_equal(c.d[5], 8);
	c.d[0] = 0xFFFFFFFF;
	cpu_step(&c); /* BFCLR D0{28:8}: wraps from bit 3 round to bit 28 */
	assert_int_equal(c.d[0], 0x0FFFFFF0);
	assert_int_equal(CCR, 0x08); /* N from the old field */
}

static void bitfields_in_memory(void **state)
{
	LOAD(CPU_68020, 0xEFD0, 0x2310, 0xEBD0, 0x798C, 0xEED0, 0x0784);
	c.a[0] = 0x2000;
	c.d[2] = 0xABCD;
	cpu_step(&c); /* BFINS D2,(A0){12:16} */
	assert_int_equal(get32(0x2000), 0x000ABCD0);
	assert_int_equal(CCR, 0x08);
	put8(0x1FFF, 0x0F);
	put8(0x2000, 0xF0);
	put8(0x2001, 0x00);
	c.d[6] = (uint32_t)-4;
	cpu_step(&c); /* BFEXTS (A0){D6:12},D7: negative offset reaches back a byte */
	assert_int_equal(c.d[7], 0xFFFFFFF0);
	assert_int_equal(CCR, 0x08);
	memset(win + 0x2000, 0, 8);
	cpu_step(&c); /* BFSET (A0){30:4}: straddles bytes 3 and 4 */
	assert_int_equal(get8(0x2003), 0x03);
	assert_int_equal(get8(0x2004), 0xC0);
	assert_int_equal(CCR, 0x04);
}

static void cas_and_cas2_compare_and_swap(void **state)
{
	LOAD(CPU_68020, 0x0ED0, 0x0040, 0x0ED0, 0x0040);
	c.a[0] = 0x2000;
	put32(0x2000, 5);
	c.d[0] = 5;
	c.d[1] = 0x1234;
	cpu_step(&c); /* CAS.L D0,D1,(A0): equal, store D1 */
	assert_int_equal(get32(0x2000), 0x1234);
	assert_int_equal(CCR & 0x04, 0x04);
	cpu_step(&c); /* now unequal: D0 gets the memory value */
	assert_int_equal(c.d[0], 0x1234);
	assert_int_equal(CCR & 0x04, 0);
	LOAD(CPU_68020, 0x0EFC, 0x8080, 0x90C1, 0x0EFC, 0x8080, 0x90C1);
	c.a[0] = 0x2000;
	c.a[1] = 0x3000;
	put32(0x2000, 1);
	put32(0x3000, 2);
	c.d[0] = 1;
	c.d[1] = 2;
	c.d[2] = 10;
	c.d[3] = 20;
	cpu_step(&c); /* CAS2.L D0:D1,D2:D3,(A0):(A1) */
	assert_int_equal(get32(0x2000), 10);
	assert_int_equal(get32(0x3000), 20);
	c.d[0] = 10;
	c.d[1] = 99;
	cpu_step(&c); /* second compare fails: both compare registers loaded */
	assert_int_equal(c.d[0], 10);
	assert_int_equal(c.d[1], 20);
	assert_int_equal(get32(0x2000), 10);
}

static void long_multiply_and_divide(void **state)
{
	LOAD(CPU_68020, 0x4C01, 0x3402, 0x4C01, 0x3800, 0x4C41, 0x3402, 0x4C41, 0x3802);
	c.d[1] = 0x10000;
	c.d[3] = 0x10001;
	cpu_step(&c); /* MULU.L D1,D2:D3 = $1_0001_0000 */
	assert_int_equal(c.d[2], 1);
	assert_int_equal(c.d[3], 0x00010000);
	assert_int_equal(CCR, 0);
	cpu_step(&c); /* MULS.L D1,D3 = 2^32: overflows 32 bits */
	assert_int_equal(c.d[3], 0);
	assert_int_equal(CCR & 0x02, 0x02);
	c.d[1] = 3;
	c.d[2] = 1;
	c.d[3] = 0;
	cpu_step(&c); /* DIVU.L D1,D2:D3: 2^32 / 3 */
	assert_int_equal(c.d[3], 0x55555555);
	assert_int_equal(c.d[2], 1);
	c.d[1] = 2;
	c.d[3] = (uint32_t)-7;
	cpu_step(&c); /* DIVSL.L D1,D2:D3: -7 / 2 = -3 rem -1 */
	assert_int_equal(c.d[3], (uint32_t)-3);
	assert_int_equal(c.d[2], (uint32_t)-1);
	assert_int_equal(CCR, 0x08);
}

static void zero_divide_on_68020_stacks_format_2(void **state)
{
	LOAD(CPU_68020, 0x4C7C, 0x3003, 0x0000, 0x0000); /* DIVU.L #0,D3 */
	cpu_step(&c);
	assert_int_equal(c.pc, HANDLER(5));
	assert_int_equal(c.a[7], 0x8000 - 12);
	assert_int_equal(get16(c.a[7] + 6), 0x2014);
	assert_int_equal(get32(c.a[7] + 2), CODE + 8); /* next instruction */
	assert_int_equal(get32(c.a[7] + 8), CODE);     /* the DIVU.L itself */
	LOAD(CPU_68020, 0x80FC, 0x0000);	       /* DIVU.W #0,D0: format $2 too */
	cpu_step(&c);
	assert_int_equal(get16(c.a[7] + 6), 0x2014);
	assert_int_equal(get32(c.a[7] + 8), CODE);
	LOAD(CPU_68020, 0x4E71, 0x4E71); /* trace on the 020: format $2 with the traced address */
	c.sr = 0xA700;
	cpu_step(&c);
	cpu_step(&c);
	assert_int_equal(c.pc, HANDLER(9));
	assert_int_equal(get16(c.a[7] + 6), 0x2024);
	assert_int_equal(get32(c.a[7] + 2), CODE + 2);
	assert_int_equal(get32(c.a[7] + 8), CODE);
}

static void chk2_and_cmp2_check_bounds(void **state)
{
	LOAD(CPU_68020, 0x02D0, 0x0800, 0x02D0, 0x0800, 0x00D0, 0x9000);
	c.a[0] = 0x2000;
	put16(0x2000, 0xFFF6); /* -10 */
	put16(0x2002, 0x000A); /* 10 */
	c.d[0] = 0xFFFF0005;
	cpu_step(&c); /* CHK2.W (A0),D0: 5 is inside */
	assert_int_equal(c.pc, CODE + 4);
	assert_int_equal(CCR & 0x05, 0);
	c.d[0] = 0x000B;
	cpu_step(&c); /* 11 is outside: CHK exception */
	assert_int_equal(c.pc, HANDLER(6));
	c.pc = CODE + 8;
	c.a[0] = 0x2000;
	put8(0x2000, 0x10);
	put8(0x2001, 0x20);
	c.a[1] = 0x20;
	LOAD(CPU_68020, 0x00D0, 0x9000);
	c.a[0] = 0x2000;
	put8(0x2000, 0x10);
	put8(0x2001, 0x20);
	c.a[1] = 0x20;
	cpu_step(&c); /* CMP2.B (A0),A1: on the upper bound */
	assert_int_equal(CCR & 0x05, 0x04);
}

static void pack_and_unpack_bcd(void **state)
{
	LOAD(CPU_68020, 0x8340, 0x0000, 0x8348, 0x0000, 0x8380, 0x3030, 0x8388, 0x0000);
	c.d[0] = 0x0304;
	cpu_step(&c); /* PACK D0,D1,#0 */
	assert_int_equal(c.d[1] & 0xFF, 0x34);
	c.a[0] = 0x2002;
	c.a[1] = 0x3001;
	put8(0x2000, '1');
	put8(0x2001, '2');
	cpu_step(&c); /* PACK -(A0),-(A1),#0: "12" -> $12 */
	assert_int_equal(get8(0x3000), 0x12);
	assert_int_equal(c.a[0], 0x2000);
	c.d[0] = 0x12;
	cpu_step(&c); /* UNPK D0,D1,#$3030 */
	assert_int_equal(c.d[1] & 0xFFFF, 0x3132);
	c.a[0] = 0x2001;
	c.a[1] = 0x3002;
	put8(0x2000, 0x57);
	cpu_step(&c); /* UNPK -(A0),-(A1),#0 */
	assert_int_equal(get16(0x3000), 0x0507);
	assert_int_equal(c.a[1], 0x3000);
}

static void trapcc_traps_only_when_true(void **state)
{
	LOAD(CPU_68020, 0x56FC, 0x57FA, 0x0001);
	c.sr = 0x2704; /* Z */
	cpu_step(&c);  /* TRAPNE: no trap */
	assert_int_equal(c.pc, CODE + 2);
	cpu_step(&c); /* TRAPEQ.W #1 */
	assert_int_equal(c.pc, HANDLER(7));
	assert_int_equal(get32(c.a[7] + 2), CODE + 6);
	assert_int_equal(get32(c.a[7] + 8), CODE + 2);
}

static void small_68020_additions(void **state)
{
	LOAD(CPU_68020, 0x49C0, 0x480E, 0xFFFE, 0x7960, 0x60FF, 0x0000, 0xFFFE);
	c.d[0] = 0xF0;
	cpu_step(&c); /* EXTB.L D0 */
	assert_int_equal(c.d[0], 0xFFFFFFF0);
	c.a[6] = 0x12345678;
	cpu_step(&c); /* LINK.L A6,#-100000 */
	assert_int_equal(get32(0x7FFC), 0x12345678);
	assert_int_equal(c.a[6], 0x7FFC);
	assert_int_equal(c.a[7], (uint32_t)(0x7FFC - 100000));
	cpu_step(&c);				    /* BRA.L */
	assert_int_equal(c.pc, CODE + 10 + 0xFFFE); /* from the extension words */
	LOAD(CPU_68010, 0x4E74, 0x0008);	    /* RTD #8 */
	c.a[7] = 0x6000;
	put32(0x6000, 0x1234);
	cpu_step(&c);
	assert_int_equal(c.pc, 0x1234);
	assert_int_equal(c.a[7], 0x600C);
}

static void scaled_index_and_memory_indirect_modes(void **state)
{
	LOAD(CPU_68020, 0x2430, 0x1D26, 0x0008, 0x0004, 0x2430, 0x1208);
	c.a[0] = 0x1000;
	c.d[1] = 2;
	put32(0x1008, 0x2000);
	put32(0x200C, 0xDEADBEEF);
	cpu_step(&c); /* MOVE.L ([8,A0],D1.L*4,4),D2 = ($2000 + 8 + 4) */
	assert_int_equal(c.d[2], 0xDEADBEEF);
	put32(0x100C, 0xCAFEF00D);
	cpu_step(&c); /* MOVE.L (8,A0,D1.W*2),D2 = $100C on the 020 */
	assert_int_equal(c.d[2], 0xCAFEF00D);
	LOAD(CPU_68000, 0x2430, 0x1208);
	c.a[0] = 0x1000;
	c.d[1] = 2;
	put32(0x100A, 0x0BADF00D);
	cpu_step(&c); /* the 68000 ignores the scale: $100A */
	assert_int_equal(c.d[2], 0x0BADF00D);
}

static void movem_predecrement_stores_the_address_register_per_model(void **state)
{
	LOAD(CPU_68020, 0x48E0, 0x00C0); /* MOVEM.L A0-A1,-(A0) */
	c.a[0] = 0x3000;
	c.a[1] = 0x1111;
	cpu_step(&c);
	assert_int_equal(get32(0x2FF8), 0x3000 - 4); /* 020+: A0 less one operand size */
	assert_int_equal(get32(0x2FFC), 0x1111);
	assert_int_equal(c.a[0], 0x2FF8);
	LOAD(CPU_68000, 0x48E0, 0x00C0);
	c.a[0] = 0x3000;
	cpu_step(&c);
	assert_int_equal(get32(0x2FF8), 0x3000); /* 68000: A0 as it was */
}

static void disassembly_listing_reads_like_macsbug(void **state)
{
	static const uint8_t code[] = {0x48, 0xE7, 0xE0, 0x80, 0x66, 0x02, 0x20, 0x30, 0x1D,
				       0x16, 0x00, 0x08, 0x4E, 0x75, 0xA9, 0xF0, 0x4E};
	char buf[1024];
	FILE *f = fmemopen(buf, sizeof buf, "w");
	cpu_disasm_listing(CPU_68020, 0x1000, code, sizeof code, f);
	fclose(f);
	assert_string_equal(buf,
			    "00001000  MOVEM.L   D0-D2/A0,-(A7)                | 48E7 E080\n"
			    "00001004  BNE.S     $1008                         | 6602\n"
			    "00001006  MOVE.L    ([A0],D1.L*4,$8),D0           | 2030 1D16 0008\n"
			    "0000100C  RTS                                     | 4E75\n"
			    "0000100E  DC.W      $A9F0                         | A9F0\n"
			    "00001010  DC.B      $4E\n");
}

static void decoder_grows_with_the_model(void **state)
{
	unsigned n000 = cpu_decoded_opcodes(CPU_68000), n010 = cpu_decoded_opcodes(CPU_68010);
	unsigned n020 = cpu_decoded_opcodes(CPU_68020), n040 = cpu_decoded_opcodes(CPU_68040);
	assert_true(n000 > 40000);
	assert_true(n010 > n000);
	assert_true(n020 > n010);
	assert_true(n040 > n020);
}

int main(void)
{
	win = mmap(NULL, WIN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		   -1, 0);
	if (win == MAP_FAILED)
		return 99;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(aline_goes_to_the_hook_while_the_vector_is_the_dispatcher),
	    cmocka_unit_test(fline_and_illegal_stack_the_instruction_address),
	    cmocka_unit_test(user_mode_move_to_sr_is_a_privilege_violation),
	    cmocka_unit_test(trace_is_taken_after_the_traced_instruction),
	    cmocka_unit_test(t0_traces_only_a_change_of_flow_on_the_68020),
	    cmocka_unit_test(interrupt_above_the_mask_is_autovectored_and_raises_it),
	    cmocka_unit_test(stop_waits_until_an_interrupt),
	    cmocka_unit_test(posted_event_runs_the_hook_at_the_next_boundary),
	    cmocka_unit_test(stop_request_returns_at_a_boundary),
	    cmocka_unit_test(level_7_is_taken_once_per_assertion),
	    cmocka_unit_test(address_error_with_odd_stack_halts_the_68000),
	    cmocka_unit_test(odd_jump_target_is_an_address_error_on_every_model),
	    cmocka_unit_test(trap_on_68010_stacks_format_0_and_uses_vbr),
	    cmocka_unit_test(movec_checks_privilege_and_register_per_model),
	    cmocka_unit_test(line_f_and_move16_depend_on_the_model),
	    cmocka_unit_test(master_stack_is_chosen_by_the_m_bit_on_the_68020),
	    cmocka_unit_test(interrupt_with_m_set_leaves_a_throwaway_frame_that_rte_follows),
	    cmocka_unit_test(bitfields_in_registers),
	    cmocka_unit_test(bitfields_in_memory),
	    cmocka_unit_test(cas_and_cas2_compare_and_swap),
	    cmocka_unit_test(long_multiply_and_divide),
	    cmocka_unit_test(zero_divide_on_68020_stacks_format_2),
	    cmocka_unit_test(chk2_and_cmp2_check_bounds),
	    cmocka_unit_test(pack_and_unpack_bcd),
	    cmocka_unit_test(trapcc_traps_only_when_true),
	    cmocka_unit_test(small_68020_additions),
	    cmocka_unit_test(scaled_index_and_memory_indirect_modes),
	    cmocka_unit_test(movem_predecrement_stores_the_address_register_per_model),
	    cmocka_unit_test(disassembly_listing_reads_like_macsbug),
	    cmocka_unit_test(decoder_grows_with_the_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
