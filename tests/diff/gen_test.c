/* The differential test's generator, checked on its own (no qemu needed):
 * its sequences reach every addressing mode through guest/'s table, keep
 * the register conventions that hold memory operands in the data area, aim
 * branches only forward, and repeat exactly for a seed. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/diff/diff.h"

enum { N = 20000 };

static struct diff_case *cases;

/* The disassembly of instruction i of case c (the table's own syntax). */
static void text_of(const struct diff_case *c, unsigned i, char *buf, size_t len)
{
	const struct diff_insn *in = &c->insns[i];
	uint16_t w[11];
	unsigned n = in->len / 2;
	for (unsigned k = 0; k < n; k++)
		w[k] =
		    (uint16_t)(c->code[in->offset + 2 * k] << 8 | c->code[in->offset + 2 * k + 1]);
	unsigned got = cpu_disasm(CPU_68020, DIFF_CODE_ADDR + in->offset, w, n, buf, len);
	if (got != n)
		fprintf(stderr, "%s: %u words, disassembled as %u: %s\n", in->form, n, got, buf);
	assert_int_equal(got, n);
}

static int setup(void **state)
{
	cases = malloc(N * sizeof *cases);
	struct diff_rng r;
	diff_rng_seed(&r, 1);
	for (unsigned k = 0; k < N; k++)
		diff_generate(&r, DIFF_68020, 6, NULL, &cases[k]);
	return cases ? 0 : -1;
}

static int teardown(void **state)
{
	free(cases);
	return 0;
}

static void sequences_reach_every_addressing_mode(void **state)
{
	static const char *const modes[] = {
	    "(A0)", "(A1)+", "-(A2)",	  "(A7)+", "-(A7)",   "(A3,A6.",
	    "([$2", "(PC)",  "(PC,A6.W)", ").L",   ",A6.L*8", "#$",
	};
	unsigned seen[sizeof modes / sizeof modes[0]] = {0};
	for (unsigned k = 0; k < N; k++)
		for (unsigned i = 0; i < cases[k].ninsns; i++) {
			char t[128];
			text_of(&cases[k], i, t, sizeof t);
			for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++)
				seen[m] += strstr(t, modes[m]) != NULL;
		}
	for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
		if (seen[m] < 20)
			fprintf(stderr, "operand %s: %u times\n", modes[m], seen[m]);
		assert_true(seen[m] >= 20);
	}
}

static void only_a4_and_a5_are_written_by_name(void **state)
{
	/* A0-A3 are data pointers, A6 the index, A7 the stack: an instruction
	 * whose last operand names one of them writes it, unless it compares */
	for (unsigned k = 0; k < N; k++)
		for (unsigned i = 0; i < cases[k].ninsns; i++) {
			char t[128];
			text_of(&cases[k], i, t, sizeof t);
			const char *last = strrchr(t, ',');
			if (!last || !strncmp(t, "CMP", 3))
				continue;
			int an = !strcmp(last, ",A0") || !strcmp(last, ",A1") ||
				 !strcmp(last, ",A2") || !strcmp(last, ",A3") ||
				 !strcmp(last, ",A6") || !strcmp(last, ",A7");
			if (an)
				fprintf(stderr, "writes a reserved register: %s\n", t);
			assert_false(an);
		}
}

/* Where branch instruction in goes: -1 if it is no branch. */
static long branch_target(const struct diff_case *c, const struct diff_insn *in)
{
	uint16_t op = in->op;
	long pc = in->offset + 2;
	if ((op & 0xf000) == 0x6000) {
		if ((op & 0xff) == 0xff)
			return pc + (int32_t)((uint32_t)in->ext << 16 |
					      (uint32_t)(c->code[in->offset + 4] << 8 |
							 c->code[in->offset + 5]));
		if ((op & 0xff) == 0)
			return pc + (int16_t)in->ext;
		return pc + (int8_t)(op & 0xff);
	}
	if ((op & 0xf0f8) == 0x50c8 || op == 0x4efa || op == 0x4eba) /* DBcc, JMP/JSR d16(PC) */
		return pc + (int16_t)in->ext;
	return -1;
}

static void branches_go_forward_to_an_instruction_or_the_end(void **state)
{
	unsigned branches = 0;
	for (unsigned k = 0; k < N; k++) {
		const struct diff_case *c = &cases[k];
		for (unsigned i = 0; i < c->ninsns; i++) {
			long t = branch_target(c, &c->insns[i]);
			if (t < 0)
				continue;
			branches++;
			int ok = t == c->code_len;
			for (unsigned j = i + 1; j < c->ninsns; j++)
				ok |= t == c->insns[j].offset;
			assert_true(ok);
		}
	}
	assert_true(branches > N / 20);
}

static void the_same_seed_gives_the_same_sequences(void **state)
{
	struct diff_rng r;
	diff_rng_seed(&r, 1);
	static struct diff_case again;
	for (unsigned k = 0; k < 1000; k++) {
		diff_generate(&r, DIFF_68020, 6, NULL, &again);
		assert_int_equal(again.code_len, cases[k].code_len);
		assert_memory_equal(again.code, cases[k].code, again.code_len);
		assert_memory_equal(again.d, cases[k].d, sizeof again.d);
		assert_memory_equal(again.a, cases[k].a, sizeof again.a);
		assert_int_equal(again.ccr, cases[k].ccr);
		assert_memory_equal(again.data, cases[k].data, sizeof again.data);
	}
}

static void only_keeps_one_row_of_the_table(void **state)
{
	struct diff_rng r;
	diff_rng_seed(&r, 2);
	static struct diff_case c;
	for (unsigned k = 0; k < 200; k++) {
		diff_generate(&r, DIFF_68040, 6, "MOVE16", &c);
		assert_true(c.ninsns > 0);
		for (unsigned i = 0; i < c.ninsns; i++)
			assert_string_equal(c.insns[i].form, "MOVE16");
	}
	diff_generate(&r, DIFF_68020, 6, "MOVE16", &c); /* a 68040 instruction */
	assert_int_equal(c.ninsns, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sequences_reach_every_addressing_mode),
	    cmocka_unit_test(only_a4_and_a5_are_written_by_name),
	    cmocka_unit_test(branches_go_forward_to_an_instruction_or_the_end),
	    cmocka_unit_test(the_same_seed_gives_the_same_sequences),
	    cmocka_unit_test(only_keeps_one_row_of_the_table),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
