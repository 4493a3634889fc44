/* Checks an application made by elf2mac (path in $VM68K_APP, built by
 * tests/elf2mac_test.sh) the way the Segment Loader and crt0 will use it:
 * MacBinary II, CODE 0 with one near jump table entry into CODE 1, CODE 1's
 * parameter block and relocation table consistent with the image and the
 * globals below A5. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host/macfile.h"
#include "toolbox/toolbox.h"

#define CODE 0x434F4445u

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static struct mac_file mf;

static int load(void **state)
{
	(void)state;
	const char *path = getenv("VM68K_APP");
	char err[600];
	if (path == NULL || !macfile_load(path, &mf, err, sizeof err)) {
		fprintf(stderr, "cannot load $VM68K_APP: %s\n", path ? err : "not set");
		return -1;
	}
	return 0;
}

static int unload(void **state)
{
	(void)state;
	macfile_free(&mf);
	return 0;
}

static void result_is_a_macbinary_ii_application(void **state)
{
	(void)state;
	assert_int_equal(mf.container, MAC_MACBINARY_II);
	assert_int_equal(mf.type, 0x4150504C);	  /* APPL */
	assert_int_equal(mf.creator, 0x564D4849); /* VMHI, given with -c */
	assert_int_equal(mf.data_length, 0);
	assert_true(mf.has_fork);
	struct resource_info r;
	assert_true(resfork_find(&mf.fork, 0x53495A45, -1, &r)); /* SIZE -1 */
	assert_int_equal(r.size, 10);
}

static void jump_table_enters_code_1_at_its_startup(void **state)
{
	(void)state;
	struct resource_info c0, c1;
	assert_true(resfork_find(&mf.fork, CODE, 0, &c0));
	assert_true(resfork_find(&mf.fork, CODE, 1, &c1));
	struct code0_info info;
	struct resfork_error err;
	assert_true(code0_parse(c0.data, c0.size, &info, &err));
	assert_int_equal(info.entry_count, 1);
	assert_int_equal(info.above_a5, 32 + 8);
	bool far = false;
	struct jt_entry e;
	assert_true(code0_entry(c0.data, &info, 0, &far, &e));
	assert_int_equal(e.kind, JT_NEAR);
	assert_int_equal(e.segment, 1);
	assert_int_equal(e.offset, 12); /* after crt0's parameter block */
	struct code_header h;
	assert_true(code_segment_parse(c1.data, c1.size, &h, &err));
	assert_false(h.far);
	assert_int_equal(h.first_entry, 0);
	assert_int_equal(h.entry_count, 1);
	/* crt0 starts by finding itself: LEA (d,PC),A2 (0x45FA or 0x45FB). */
	uint32_t first = (uint32_t)c1.data[4 + 12] << 8 | c1.data[4 + 13];
	assert_true(first == 0x45FA || first == 0x45FB);
}

static void relocations_point_into_the_image_or_the_globals(void **state)
{
	(void)state;
	struct resource_info c0, c1;
	assert_true(resfork_find(&mf.fork, CODE, 0, &c0));
	assert_true(resfork_find(&mf.fork, CODE, 1, &c1));
	const uint8_t *image = c1.data + 4;
	uint32_t image_room = c1.size - 4;
	uint32_t table = be32(image), globals = be32(image + 4), bss_at = be32(image + 8);
	assert_int_equal(globals, be32(c0.data + 4)); /* CODE 0's below-A5 size */
	assert_true(table % 4 == 0 && table + 8 <= image_room);
	assert_true(bss_at + 3 >= table - 3 && bss_at >= 12);
	uint32_t n_image = be32(image + table);
	assert_true(n_image <= (image_room - table - 8) / 4);
	uint32_t n_bss = be32(image + table + 4 + 4 * n_image);
	uint32_t a5_at = table + 8 + 4 * n_image + 4 * n_bss;
	uint32_t n_a5 = be32(image + a5_at);
	/* The segment ends exactly with the three lists. */
	assert_int_equal(table + 12 + 4 * (n_image + n_bss + n_a5), image_room);
	assert_true(n_image > 0 && n_bss > 0); /* hello.c has pointers of both kinds */
	for (uint32_t i = 0; i < n_image; i++) {
		uint32_t at = be32(image + table + 4 + 4 * i);
		assert_true(at % 2 == 0 && at >= 12 && at + 4 <= table);
		assert_true(be32(image + at) <= table); /* a link-time image address */
	}
	/* Globals: .bss, then CODE 1's address in the top 4 bytes. */
	for (uint32_t i = 0; i < n_bss; i++) {
		uint32_t at = be32(image + table + 8 + 4 * n_image + 4 * i);
		assert_true(at % 2 == 0 && at >= 12 && at + 4 <= table);
		uint32_t v = be32(image + at);
		assert_true(v >= bss_at && v <= bss_at + globals - 4);
	}
	/* Calls into other segments go through jump table entries (A5+34+8k). */
	uint32_t jt_size = be32(c0.data + 8);
	for (uint32_t i = 0; i < n_a5; i++) {
		uint32_t at = be32(image + a5_at + 4 + 4 * i);
		assert_true(at % 2 == 0 && at >= 12 && at + 4 <= table);
		uint32_t v = be32(image + at);
		assert_true(v >= 34 && v < 32 + jt_size && (v - 34) % 8 == 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(result_is_a_macbinary_ii_application),
	    cmocka_unit_test(jump_table_enters_code_1_at_its_startup),
	    cmocka_unit_test(relocations_point_into_the_image_or_the_globals),
	};
	return cmocka_run_group_tests(tests, load, unload);
}
