/* Tests the qemu side of the differential test on hand-checked sequences:
 * the harness under qemu-m68k must give the result the 68020 manual defines,
 * so a broken harness, wire format or signal path cannot pass for a CPU bug
 * (or hide one). Skips (77) if qemu-m68k or the m68k harness is missing. */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/diff/diff.h"

static struct diff_backend *qemu;

enum { SIGILL_ = 4, SIGTRAP_ = 5, SIGFPE_ = 8, SIGSEGV_ = 11, FPE_INTDIV_ = 1 };

/* A case with zeroed registers, A0/A1 pointing into the data area, the
 * stack near its top, and the given code words. */
static struct diff_case make_case(unsigned nwords, const uint16_t *words)
{
	struct diff_case c;
	memset(&c, 0, sizeof c);
	for (unsigned i = 0; i < nwords; i++) {
		c.code[2 * i] = (uint8_t)(words[i] >> 8);
		c.code[2 * i + 1] = (uint8_t)words[i];
	}
	c.code_len = (uint16_t)(2 * nwords);
	c.a[0] = DIFF_DATA_ADDR + 0x100;
	c.a[1] = DIFF_DATA_ADDR + 0x200;
	c.a[7] = DIFF_DATA_ADDR + 0x3f0;
	c.ninsns = 1;
	c.insns[0] =
	    (struct diff_insn){0, c.code_len, words[0], nwords > 1 ? words[1] : 0, "hand-written"};
	return c;
}

#define CASE(...) make_case(sizeof((uint16_t[]){__VA_ARGS__}) / 2, (uint16_t[]){__VA_ARGS__})

static struct diff_result run(const struct diff_case *c)
{
	struct diff_result r;
	assert_int_equal(qemu->run(qemu, c, 1, &r), 0);
	assert_int_not_equal(r.signal, DIFF_BACKEND_LOST);
	return r;
}

static void ends_normally(const struct diff_case *c, const struct diff_result *r)
{
	assert_int_equal(r->signal, 0);
	assert_int_equal(r->pc, DIFF_CODE_ADDR + c->code_len);
}

static void add_l_overflow_sets_n_and_v_and_clears_x_c(void **state)
{
	struct diff_case c = CASE(0xd081); /* ADD.L D1,D0 */
	c.d[0] = 0x7fffffff;
	c.d[1] = 1;
	c.ccr = CCR_X | CCR_C | CCR_Z;
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	assert_int_equal(r.d[0], 0x80000000u);
	assert_int_equal(r.sr & 0x1f, CCR_N | CCR_V);
}

static void every_register_and_the_stack_pointer_come_back(void **state)
{
	struct diff_case c = CASE(0x4e71); /* NOP */
	for (int i = 0; i < 8; i++)
		c.d[i] = 0x11111111u * (uint32_t)(i + 1);
	for (int i = 0; i < 7; i++)
		c.a[i] = 0xa0000000u + (uint32_t)i;
	c.ccr = 0x15;
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	for (int i = 0; i < 8; i++)
		assert_int_equal(r.d[i], c.d[i]);
	for (int i = 0; i < 8; i++)
		assert_int_equal(r.a[i], c.a[i]);
	assert_int_equal(r.sr & 0x1f, 0x15);
}

static void mulu_l_64_bit_product_fills_dh_and_dl(void **state)
{
	struct diff_case c = CASE(0x4c01, 0x0402); /* MULU.L D1,D2:D0 */
	c.d[0] = 0xffffffff;
	c.d[1] = 0xffffffff;
	c.ccr = CCR_X | CCR_V | CCR_C;
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	assert_int_equal(r.d[2], 0xfffffffeu);
	assert_int_equal(r.d[0], 0x00000001u);
	assert_int_equal(r.sr & 0x1f, CCR_X | CCR_N);
}

static void divu_l_64_bit_dividend_gives_quotient_and_remainder(void **state)
{
	struct diff_case c = CASE(0x4c41, 0x0402); /* DIVU.L D1,D2:D0 */
	c.d[2] = 0x00000001;
	c.d[0] = 0x00000005;
	c.d[1] = 0x00000010;
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	assert_int_equal(r.d[0], 0x10000000u); /* quotient of 0x1_00000005 / 16 */
	assert_int_equal(r.d[2], 5u);	       /* remainder */
	assert_int_equal(r.sr & 0x1f, 0);
}

static void divu_by_zero_is_reported_as_sigfpe_after_the_instruction(void **state)
{
	struct diff_case c = CASE(0x80c1); /* DIVU.W D1,D0 */
	c.d[0] = 1234;
	c.d[1] = 0;
	struct diff_result r = run(&c);
	assert_int_equal(r.signal, SIGFPE_);
	assert_int_equal(r.si_code, FPE_INTDIV_);
	assert_int_equal(r.pc, DIFF_CODE_ADDR + 2); /* the trap's PC is the next instruction */
	assert_int_equal(r.d[0], 1234);
}

static void divs_w_overflow_sets_v_and_leaves_the_register(void **state)
{
	struct diff_case c = CASE(0x81c1); /* DIVS.W D1,D0 */
	c.d[0] = 0x00100000;
	c.d[1] = 1;
	c.ccr = CCR_C;
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	assert_int_equal(r.d[0], 0x00100000u);
	assert_int_equal(r.sr & (CCR_V | CCR_C), CCR_V);
}

static void bfextu_extracts_a_register_field(void **state)
{
	struct diff_case c = CASE(0xe9c1, 0x0108); /* BFEXTU D1{4:8},D0 */
	c.d[1] = 0x12345678;
	c.d[0] = 0xffffffff;
	c.ccr = CCR_X | CCR_V | CCR_C;
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	assert_int_equal(r.d[0], 0x23u);
	assert_int_equal(r.sr & 0x1f, CCR_X);
}

static void bfextu_extracts_a_field_across_bytes_in_memory(void **state)
{
	struct diff_case c = CASE(0xe9d0, 0x030f); /* BFEXTU (A0){12:15},D0 */
	static const uint8_t bytes[] = {0x12, 0x34, 0x56, 0x78, 0x9a};
	memcpy(c.data + 0x100, bytes, sizeof bytes);
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	assert_int_equal(r.d[0], 0x4567u >> 1); /* bits 12..26 */
}

static void abcd_adds_decimal_digits_with_extend(void **state)
{
	struct diff_case c = CASE(0xc101); /* ABCD D1,D0 */
	c.d[0] = 0xaaaaaa45;
	c.d[1] = 0x38;
	c.ccr = CCR_X | CCR_Z;
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	assert_int_equal(r.d[0], 0xaaaaaa84u);
	assert_int_equal(r.sr & (CCR_X | CCR_Z | CCR_C), 0); /* no carry, non-zero clears Z */
}

static void move_l_postincrement_writes_the_data_area(void **state)
{
	struct diff_case c = CASE(0x20c1); /* MOVE.L D1,(A0)+ */
	c.d[1] = 0xdeadbeef;
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	assert_int_equal(r.a[0], DIFF_DATA_ADDR + 0x104);
	assert_memory_equal(r.data + 0x100, ((uint8_t[]){0xde, 0xad, 0xbe, 0xef}), 4);
	assert_int_equal(r.sr & 0x1f, CCR_N);
}

static void cas_l_swaps_when_memory_equals_compare_operand(void **state)
{
	struct diff_case c = CASE(0x0ed0, 0x0081); /* CAS.L D1,D2,(A0) */
	memcpy(c.data + 0x100, ((uint8_t[]){0, 0, 0x12, 0x34}), 4);
	c.d[1] = 0x1234;
	c.d[2] = 0xcafef00d;
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	assert_memory_equal(r.data + 0x100, ((uint8_t[]){0xca, 0xfe, 0xf0, 0x0d}), 4);
	assert_int_equal(r.sr & CCR_Z, CCR_Z);
}

/* The next tests pin down the qemu defects that qemu_quirks.c excludes: if
 * a qemu upgrade fixes one, its test fails, and the entry (with this test)
 * should go, so that the instruction is compared again. */

static void qemu_still_mistranslates_pack_register_form(void **state)
{
	struct diff_case c = CASE(0x8340, 0x0000); /* PACK D0,D1,#0 */
	c.d[0] = 0x0304;
	c.d[1] = 0xffffffff;
	struct diff_result r = run(&c);
	int architectural = r.signal == 0 && r.d[1] == 0xffffff34u;
	assert_false(architectural);
	assert_true(diff_quirks_excluded(0x8340, 0x0000));
	assert_true(diff_quirks_excluded(0x8388, 0x3030)); /* UNPK -(A0),-(A1) */
}

static void qemu_still_shifts_memory_by_the_wrong_opcode_bit(void **state)
{
	struct diff_case c = CASE(0xe2d0); /* LSR.W (A0) */
	c.data[0x100] = 0x80;
	c.data[0x101] = 0x01;
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	assert_int_equal(r.data[0x100], 0xc0); /* an arithmetic shift; LSR gives $40 */
	assert_true(diff_quirks_excluded(0xe2d0, 0));
	assert_true(diff_quirks_excluded(0xe0d8, 0));  /* ASR.W (A0)+ */
	assert_false(diff_quirks_excluded(0xe0d0, 0)); /* ASR.W (A0): qemu gets it right */
	assert_false(diff_quirks_excluded(0xe2d8, 0)); /* LSR.W (A0)+ likewise */
}

static void qemu_still_never_sets_v_on_memory_asl(void **state)
{
	struct diff_case c = CASE(0xe1d0); /* ASL.W (A0) */
	c.data[0x100] = 0x40;		   /* $4000 -> $8000: the sign changes, V = 1 */
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	assert_int_equal(r.data[0x100], 0x80);
	assert_int_equal(r.sr & CCR_V, 0);
}

static void qemu_still_reports_chk_trap_pc_inside_the_instruction(void **state)
{
	struct diff_case c = CASE(0x41bc, 0x0005); /* CHK.W #5,D0 */
	c.d[0] = 0xffff;
	struct diff_result r = run(&c);
	assert_int_equal(r.signal, SIGFPE_);
	assert_int_equal(r.pc, DIFF_CODE_ADDR + 2); /* should be + 4 */
}

static void qemu_still_loses_postincrement_when_divu_traps(void **state)
{
	struct diff_case c = CASE(0x80d8); /* DIVU.W (A0)+,D0 with (A0) = 0 */
	struct diff_result r = run(&c);
	assert_int_equal(r.signal, SIGFPE_);
	assert_int_equal(r.a[0], DIFF_DATA_ADDR + 0x100); /* should be + 0x102 */
}

static void qemu_still_loses_c_after_cas2_when_the_next_instruction_keeps_it(void **state)
{
	/* CAS2.L D0:D1,D3:D3,(A0):(A1) fails its first compare (5 - 6: N and C),
	 * then BTST #0,D4 changes only Z. */
	struct diff_case c = CASE(0x0efc, 0x80c0, 0x9101, 0x0804, 0x0000);
	c.data[0x103] = 5;
	c.data[0x203] = 7;
	c.d[0] = 6;
	c.d[1] = 7;
	c.d[4] = 1;
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	assert_int_equal(r.d[0], 5);	      /* the compare operand is loaded on failure */
	assert_int_equal(r.sr & 0x1f, CCR_N); /* should be N and C */
	assert_true(diff_quirks_must_end_sequence(0x0efc, 0x80c0));
}

static void qemu_still_cannot_set_z_in_btst_after_move_from_ccr(void **state)
{
	/* MOVEQ #1,D0; MOVE CCR,D1; BTST #1,D0: bit 1 of 1 is clear, Z = 1 */
	struct diff_case c = CASE(0x7001, 0x42c1, 0x0800, 0x0001);
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	assert_int_equal(r.sr & CCR_Z, 0); /* should be set */
	assert_true(diff_quirks_must_end_sequence(0x42c1, 0));
}

static void qemu_still_cannot_set_z_in_btst_after_an_untaken_trapcc(void **state)
{
	/* MOVEQ #1,D0; TRAPEQ (not taken); BTST #1,D0: Z = 1 */
	struct diff_case c = CASE(0x7001, 0x57fc, 0x0800, 0x0001);
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	assert_int_equal(r.sr & CCR_Z, 0); /* should be set */
	assert_true(diff_quirks_must_end_sequence(0x57fc, 0));
	assert_true(diff_quirks_must_end_sequence(0x57fa, 0));
}

static void qemu_still_moves_a7_by_one_in_tas_postincrement(void **state)
{
	struct diff_case c = CASE(0x4adf); /* TAS (A7)+ */
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	assert_int_equal(r.a[7], c.a[7] + 1); /* should be + 2 */
	assert_true(diff_quirks_must_end_sequence(0x4adf, 0));
}

static void qemu_still_moves_a7_by_one_in_addx_b_predecrement(void **state)
{
	struct diff_case c = CASE(0xdf08); /* ADDX.B -(A0),-(A7) */
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	assert_int_equal(r.a[7], c.a[7] - 1); /* should be - 2 */
	assert_true(diff_quirks_excluded(0xdf08, 0));
	assert_true(diff_quirks_excluded(0x930f, 0));  /* SUBX.B -(A7),-(A1) */
	assert_false(diff_quirks_excluded(0xdf48, 0)); /* ADDX.W -(A0),-(A7) is right */
	assert_false(diff_quirks_excluded(0xd108, 0)); /* ADDX.B -(A0),-(A0) too */
}

static void lone_bcd_on_non_decimal_bytes_is_not_compared(void **state)
{
	struct diff_case c = CASE(0xc101); /* ABCD D1,D0 */
	struct diff_result r = {0};
	c.d[0] = 0x45;
	c.d[1] = 0x38;
	assert_null(diff_quirks_not_compared(&c, &r));
	c.d[1] = 0x3a;
	assert_non_null(diff_quirks_not_compared(&c, &r));
}

static void link_l_is_not_taken_for_nbcd(void **state)
{
	/* LINK.L A4 shares NBCD's opcode bits but for its mode field */
	assert_false(diff_quirks_must_be_alone(0x480c, 0xffff));
	assert_true(diff_quirks_must_be_alone(0x4814, 0)); /* NBCD (A4) */
}

static void qemu_still_rejects_chk2_word(void **state)
{
	struct diff_case c = CASE(0x02d0, 0x0800); /* CHK2.W (A0),D0 */
	c.data[0x101] = 0x10;			   /* bounds 0x0010..0x0020 */
	c.data[0x103] = 0x20;
	c.d[0] = 0x15;
	struct diff_result r = run(&c);
	assert_int_equal(r.signal, SIGILL_); /* in bounds: should run to the end */
	assert_true(diff_quirks_excluded(0x02d0, 0x0800));
}

static void qemu_still_reports_bkpt_as_sigtrap(void **state)
{
	struct diff_case c = CASE(0x484b); /* BKPT #3 */
	struct diff_result r = run(&c);
	assert_int_equal(r.signal, SIGTRAP_); /* no breakpoint acknowledge: SIGILL */
	assert_true(diff_quirks_excluded(0x484b, 0));
}

static void qemu_still_dies_on_divs_w_of_min_by_minus_one(void **state)
{
	struct diff_case c = CASE(0x81c1); /* DIVS.W D1,D0 */
	c.d[0] = 0x80000000;
	c.d[1] = 0xffff;
	struct diff_result r;
	assert_int_equal(qemu->run(qemu, &c, 1, &r), 0);
	assert_int_equal(r.signal, DIFF_BACKEND_LOST); /* should be overflow: V set, D0 kept */
	assert_non_null(diff_quirks_excuse_lost(&c));
}

static void a_lost_case_outside_the_quirk_list_is_not_excused(void **state)
{
	struct diff_case c = CASE(0x81c1); /* DIVS.W D1,D0 excused ... */
	assert_non_null(diff_quirks_excuse_lost(&c));
	c = CASE(0x80c1); /* ... DIVU.W is not */
	assert_null(diff_quirks_excuse_lost(&c));
}

static void chk_below_zero_traps_with_n_set(void **state)
{
	struct diff_case c = CASE(0x4181); /* CHK.W D1,D0 */
	c.d[0] = 0xffff;		   /* -1 as a word */
	c.d[1] = 10;
	struct diff_result r = run(&c);
	assert_int_equal(r.signal, SIGFPE_);
	assert_int_equal(r.pc, DIFF_CODE_ADDR + 2);
	assert_int_equal(r.sr & CCR_N, CCR_N);
}

static void illegal_is_reported_as_sigill_at_the_instruction(void **state)
{
	struct diff_case c = CASE(0x7001, 0x4afc); /* MOVEQ #1,D0; ILLEGAL */
	struct diff_result r = run(&c);
	assert_int_equal(r.signal, SIGILL_);
	assert_int_equal(r.pc, DIFF_CODE_ADDR + 2);
	assert_int_equal(r.d[0], 1);
}

static void load_from_unmapped_address_is_sigsegv_with_the_address(void **state)
{
	struct diff_case c = CASE(0x2010); /* MOVE.L (A0),D0 */
	c.a[0] = 0x00001000;
	struct diff_result r = run(&c);
	assert_int_equal(r.signal, SIGSEGV_);
	assert_int_equal(r.fault_addr, 0x00001000u);
	assert_int_equal(r.pc, DIFF_CODE_ADDR);
}

static void forward_branch_skips_to_the_end(void **state)
{
	struct diff_case c = CASE(0x6002, 0x7001); /* BRA.B +2; MOVEQ #1,D0 */
	struct diff_result r = run(&c);
	ends_normally(&c, &r);
	assert_int_equal(r.d[0], 0);
}

static void batch_of_cases_runs_in_one_process_and_keeps_order(void **state)
{
	struct diff_case c[300];
	struct diff_result r[300];
	for (int i = 0; i < 300; i++) {
		/* MOVEQ #i,D0 (every third case divides by zero instead) */
		c[i] = i % 3 ? CASE(0x7000 | (uint16_t)(i & 0x7f)) : CASE(0x80c1);
	}
	assert_int_equal(qemu->run(qemu, c, 300, r), 0);
	for (int i = 0; i < 300; i++) {
		if (i % 3) {
			assert_int_equal(r[i].signal, 0);
			assert_int_equal(r[i].d[0], (uint32_t)(i & 0x7f));
		} else
			assert_int_equal(r[i].signal, SIGFPE_);
	}
}

static void generated_sequences_all_come_back_from_qemu(void **state)
{
	/* 20,000 generated sequences: every one must produce a result (none
	 * kills the harness or qemu, apart from the crashes the quirk list
	 * names), and a sequence that ends normally ends at the end of its code. */
	enum { N = 20000 };
	struct diff_case *c = malloc(N * sizeof *c);
	struct diff_result *r = malloc(N * sizeof *r);
	assert_non_null(c);
	assert_non_null(r);
	uint64_t seed = (uint64_t)time(NULL);
	printf("generated sequences: seed %llu\n", (unsigned long long)seed);
	struct diff_rng rng;
	diff_rng_seed(&rng, seed);
	for (int i = 0; i < N; i++)
		diff_generate(&rng, DIFF_68020, 6, NULL, &c[i]);
	assert_int_equal(qemu->run(qemu, c, N, r), 0);
	unsigned lost = 0, ended = 0;
	for (int i = 0; i < N; i++) {
		if (r[i].signal == DIFF_BACKEND_LOST) {
			if (!diff_quirks_excuse_lost(&c[i])) {
				diff_print_case(&c[i]);
				lost++;
			}
			continue;
		}
		if (r[i].signal == 0) {
			ended++;
			assert_int_equal(r[i].pc, DIFF_CODE_ADDR + c[i].code_len);
		}
	}
	assert_int_equal(lost, 0);
	assert_true(ended > N / 2);
	free(c);
	free(r);
}

static char *harness_path(void)
{
	const char *env = getenv("VM68K_DIFF_HARNESS");
	if (env)
		return strdup(env);
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	if (len < 0)
		return strdup("m68k-harness");
	self[len] = 0;
	char *slash = strrchr(self, '/');
	if (slash)
		slash[1] = 0;
	char *out = malloc(strlen(self) + sizeof "m68k-harness");
	sprintf(out, "%sm68k-harness", self);
	return out;
}

int main(void)
{
	char *harness = harness_path();
	qemu = diff_qemu_backend(DIFF_68020, "qemu-m68k", harness);
	free(harness);
	if (!qemu) {
		printf("qemu_plumbing_test: skipped: needs qemu-m68k and the m68k harness\n");
		return 77;
	}
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(add_l_overflow_sets_n_and_v_and_clears_x_c),
	    cmocka_unit_test(every_register_and_the_stack_pointer_come_back),
	    cmocka_unit_test(mulu_l_64_bit_product_fills_dh_and_dl),
	    cmocka_unit_test(divu_l_64_bit_dividend_gives_quotient_and_remainder),
	    cmocka_unit_test(divu_by_zero_is_reported_as_sigfpe_after_the_instruction),
	    cmocka_unit_test(divs_w_overflow_sets_v_and_leaves_the_register),
	    cmocka_unit_test(bfextu_extracts_a_register_field),
	    cmocka_unit_test(bfextu_extracts_a_field_across_bytes_in_memory),
	    cmocka_unit_test(abcd_adds_decimal_digits_with_extend),
	    cmocka_unit_test(move_l_postincrement_writes_the_data_area),
	    cmocka_unit_test(cas_l_swaps_when_memory_equals_compare_operand),
	    cmocka_unit_test(qemu_still_mistranslates_pack_register_form),
	    cmocka_unit_test(qemu_still_shifts_memory_by_the_wrong_opcode_bit),
	    cmocka_unit_test(qemu_still_never_sets_v_on_memory_asl),
	    cmocka_unit_test(qemu_still_reports_chk_trap_pc_inside_the_instruction),
	    cmocka_unit_test(qemu_still_loses_postincrement_when_divu_traps),
	    cmocka_unit_test(qemu_still_loses_c_after_cas2_when_the_next_instruction_keeps_it),
	    cmocka_unit_test(qemu_still_cannot_set_z_in_btst_after_move_from_ccr),
	    cmocka_unit_test(qemu_still_cannot_set_z_in_btst_after_an_untaken_trapcc),
	    cmocka_unit_test(qemu_still_moves_a7_by_one_in_tas_postincrement),
	    cmocka_unit_test(qemu_still_moves_a7_by_one_in_addx_b_predecrement),
	    cmocka_unit_test(lone_bcd_on_non_decimal_bytes_is_not_compared),
	    cmocka_unit_test(link_l_is_not_taken_for_nbcd),
	    cmocka_unit_test(qemu_still_rejects_chk2_word),
	    cmocka_unit_test(qemu_still_reports_bkpt_as_sigtrap),
	    cmocka_unit_test(qemu_still_dies_on_divs_w_of_min_by_minus_one),
	    cmocka_unit_test(a_lost_case_outside_the_quirk_list_is_not_excused),
	    cmocka_unit_test(chk_below_zero_traps_with_n_set),
	    cmocka_unit_test(illegal_is_reported_as_sigill_at_the_instruction),
	    cmocka_unit_test(load_from_unmapped_address_is_sigsegv_with_the_address),
	    cmocka_unit_test(forward_branch_skips_to_the_end),
	    cmocka_unit_test(batch_of_cases_runs_in_one_process_and_keeps_order),
	    cmocka_unit_test(generated_sequences_all_come_back_from_qemu),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	qemu->destroy(qemu);
	return failed ? 1 : 0;
}
