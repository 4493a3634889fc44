/* `vm68k info` describes an application's resources, jump table and
 * segments and the traps each calls, and refuses a jump table or segment the
 * Segment Loader could not use with the file, offset and expectation, exit
 * status 3, never a crash. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "host/host.h"
#include "host/macfile.h"
#include "toolbox/toolbox.h"

#define CODE 0x434F4445u

static char dir[64], app[128], out_path[128], err_path[128];

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/* CODE 0 with `entries` near entries (all into segment 1 unless changed). */
static uint8_t code0[16 + 8 * 3];
static uint8_t code1[4 + 16];
static uint8_t code2[40 + 8];

static void default_code(void)
{
	memset(code0, 0, sizeof code0);
	put32(code0, 32 + 24);
	put32(code0 + 4, 256);
	put32(code0 + 8, 24);
	put32(code0 + 12, 32);
	for (int i = 0; i < 3; i++) {
		uint8_t *e = code0 + 16 + 8 * i;
		put16(e, (uint32_t)(4 * i)); /* offset */
		put16(e + 2, 0x3F3C);
		put16(e + 4, 1); /* segment */
		put16(e + 6, 0xA9F0);
	}
	/* CODE 1's code: entries at 0, 4 and 8 (CODE 0 above); an A-line word
	 * as an immediate operand is no trap. */
	static const uint16_t code[] = {
	    0xA11E,	    /* 0: _NewPtr */
	    0x4E71,	    /* 2: NOP */
	    0x303C, 0xA9FF, /* 4: MOVE.W #$A9FF,D0 */
	    0x6002,	    /* 8: BRA.S 12 */
	    0x4E71,	    /* 10: NOP */
	    0xA9F4,	    /* 12: _ExitToShell */
	    0x4E75,	    /* 14: RTS */
	};
	put16(code1, 0);
	put16(code1 + 2, 3);
	for (size_t i = 0; i < sizeof code / sizeof code[0]; i++)
		put16(code1 + 4 + 2 * i, code[i]);
	memset(code2, 0, sizeof code2);
	put16(code2, 0xFFFF);
	put32(code2 + 0x14, 40);
	put32(code2 + 0x18, 0x1000);
	put32(code2 + 0x1C, 44);
}

/* Writes the application as a raw resource fork and runs `vm68k info` on
 * it, stdout and stderr to files. Returns the exit status. */
static int run_info(bool with_code2)
{
	const struct resource_spec r[] = {
	    {CODE, 0, 0, NULL, code0, sizeof code0},
	    {CODE, 1, resPreload | resLocked, "Main", code1, sizeof code1},
	    {0x53545220, 128, resPurgeable, "greeting", (const uint8_t *)"\x02hi", 3},
	    {CODE, 2, 0, "Far", code2, sizeof code2},
	};
	size_t len;
	uint8_t *fork = resfork_build(r, with_code2 ? 4 : 3, &len);
	assert_non_null(fork);
	FILE *f = fopen(app, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(fork, 1, len, f), len);
	fclose(f);
	free(fork);
	struct run_config cfg;
	run_config_defaults(&cfg);
	cfg.app = app;
	fflush(stdout);
	fflush(stderr);
	int saved_out = dup(1), saved_err = dup(2);
	assert_non_null(freopen(out_path, "w", stdout));
	assert_non_null(freopen(err_path, "w", stderr));
	int status = cmd_info(&cfg);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	return status;
}

static char *slurp(const char *path)
{
	static char buf[16384];
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void expect_in(const char *path, const char *text)
{
	char *s = slurp(path);
	if (strstr(s, text) == NULL)
		fail_msg("expected \"%s\" in %s:\n%s", text, path, s);
}

static void application_is_described(void **state)
{
	(void)state;
	default_code();
	assert_int_equal(run_info(true), 0);
	expect_in(out_path, "container:    raw resource fork");
	expect_in(out_path, "resources:    4 in 2 types");
	expect_in(out_path, "'CODE'      1         20  --L-D-  \"Main\"");
	expect_in(out_path, "'STR '    128          3  -P----  \"greeting\"");
	expect_in(out_path, "CODE 0:       above A5 56 bytes, below A5 (globals) 256 bytes, jump "
			    "table 24 bytes at A5+32, 3 entries");
	expect_in(out_path, "  A5+40     segment 1     offset 0x4\n");
	expect_in(out_path, "CODE 1       20 bytes \"Main\", near model: jump table entries from "
			    "A5+32, 3 entries\n"
			    "              traps (2): A11E NewPtr, A9F4 ExitToShell\n");
	expect_in(out_path, "CODE 2       48 bytes \"Far\", far model:");
	expect_in(out_path, "A5 relocations at 0x28 (link A5 0x1000)");
	expect_in(out_path, "traps (0): none\n");
}

static void jump_table_naming_a_missing_segment_is_refused(void **state)
{
	(void)state;
	default_code();
	put16(code0 + 16 + 8 * 2 + 4, 7);
	assert_int_equal(run_info(false), EXIT_BAD_INPUT);
	/* CODE 0's data is the first in the fork: 256 + 4-byte length. */
	char want[300];
	snprintf(want, sizeof want,
		 "%s: offset %d: jump table entry 2 names segment 7: expected a CODE 7 resource",
		 app, 256 + 4 + 16 + 16);
	expect_in(err_path, want);
}

static void jump_table_entry_past_its_segment_is_refused(void **state)
{
	(void)state;
	default_code();
	put16(code0 + 16 + 8, 16); /* entry 1: offset 16, CODE 1 has 16 bytes of code */
	assert_int_equal(run_info(false), EXIT_BAD_INPUT);
	expect_in(err_path, "jump table entry 1: offset 0x10 is past the end of CODE 1 (16 bytes "
			    "of code)");
}

static void short_code_0_is_refused(void **state)
{
	(void)state;
	default_code();
	put32(code0 + 8, 800);
	assert_int_equal(run_info(false), EXIT_BAD_INPUT);
	char want[300];
	snprintf(want, sizeof want,
		 "%s: offset %d: jump table length 800 runs past the end of CODE 0", app,
		 256 + 4 + 8);
	expect_in(err_path, want);
}

static void segment_header_past_the_jump_table_is_refused(void **state)
{
	(void)state;
	default_code();
	put16(code1 + 2, 4); /* four entries from the first: the table has three */
	assert_int_equal(run_info(false), EXIT_BAD_INPUT);
	expect_in(err_path, "CODE 1 header: 4 jump table entries from offset 0 run past the jump "
			    "table (24 bytes)");
}

static void damaged_applications_are_described_or_refused(void **state)
{
	(void)state;
	uint32_t seed = 99;
	int refused = 0, described = 0;
	for (int iter = 0; iter < 3000; iter++) {
		default_code();
		for (int k = 0; k < 3; k++) {
			seed = seed * 1103515245u + 12345u;
			uint8_t *target = (seed & 0x30000)   ? code0
					  : (seed & 0x40000) ? code1
							     : code2;
			size_t n = target == code0   ? sizeof code0
				   : target == code1 ? sizeof code1
						     : sizeof code2;
			target[(seed >> 8) % n] = (uint8_t)(seed >> 20);
		}
		int status = run_info(true);
		assert_true(status == 0 || status == EXIT_BAD_INPUT);
		if (status)
			refused++;
		else
			described++;
	}
	assert_true(refused > 0 && described > 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/vm68k-info-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(app, sizeof app, "%s/App.rsrc", dir);
	snprintf(out_path, sizeof out_path, "%s/out", dir);
	snprintf(err_path, sizeof err_path, "%s/err", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(app);
	unlink(out_path);
	unlink(err_path);
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(application_is_described),
	    cmocka_unit_test(jump_table_naming_a_missing_segment_is_refused),
	    cmocka_unit_test(jump_table_entry_past_its_segment_is_refused),
	    cmocka_unit_test(short_code_0_is_refused),
	    cmocka_unit_test(segment_header_past_the_jump_table_is_refused),
	    cmocka_unit_test(damaged_applications_are_described_or_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
