/* The resource fork reader accepts what the writer builds and refuses each
 * kind of malformed map with the offset and the expectation; random damage
 * never makes it read outside the fork. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "toolbox/toolbox.h"

#define T(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define CODE T('C', 'O', 'D', 'E')
#define STR T('S', 'T', 'R', ' ')

static const uint8_t code0[] = {0, 0, 0, 0x30, 0, 0, 0,	   0,	 0, 0, 0,    8,
				0, 0, 0, 32,   0, 0, 0x3F, 0x3C, 0, 1, 0xA9, 0xF0};
static const uint8_t code1[] = {0, 0, 0, 1, 0x4E, 0x75};
static const uint8_t hello[] = {5, 'h', 'e', 'l', 'l', 'o'};

static const struct resource_spec sample[] = {
    {CODE, 0, 0, NULL, code0, sizeof code0},
    {STR, 128, resPurgeable, "greeting", hello, sizeof hello},
    {CODE, 1, resPreload | resLocked, "Main", code1, sizeof code1},
    {STR, -4000, 0, NULL, hello, 0},
};

static uint8_t *sample_fork(size_t *len)
{
	uint8_t *f = resfork_build(sample, 4, len);
	assert_non_null(f);
	return f;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void set16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void set32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void built_fork_reads_back_by_id_name_and_index(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = sample_fork(&len);
	struct resfork rf;
	struct resfork_error err;
	assert_true(resfork_open(&rf, f, len, &err));
	assert_int_equal(resfork_type_count(&rf), 2);
	assert_int_equal(resfork_count(&rf), 4);
	assert_int_equal(rf.data_offset, 256);

	struct resource_info r;
	assert_true(resfork_find(&rf, CODE, 1, &r));
	assert_int_equal(r.size, sizeof code1);
	assert_memory_equal(r.data, code1, sizeof code1);
	assert_int_equal(r.attributes, resPreload | resLocked);
	assert_true(r.has_name);
	assert_int_equal(r.name_length, 4);
	assert_memory_equal(r.name, "Main", 4);

	assert_true(resfork_find_named(&rf, STR, (const uint8_t *)"greeting", 8, &r));
	assert_int_equal(r.id, 128);
	assert_memory_equal(r.data, hello, sizeof hello);
	assert_false(resfork_find_named(&rf, STR, (const uint8_t *)"greet", 5, &r));

	assert_true(resfork_find(&rf, STR, -4000, &r));
	assert_int_equal(r.size, 0);
	assert_false(r.has_name);
	assert_false(resfork_find(&rf, STR, 4000, &r));
	assert_false(resfork_find(&rf, T('W', 'I', 'N', 'D'), 128, &r));

	/* Index order: types in order of first appearance, then IDs. */
	const int16_t ids[] = {0, 1, 128, -4000};
	const uint32_t types[] = {CODE, CODE, STR, STR};
	for (size_t i = 0; i < 4; i++) {
		assert_true(resfork_at(&rf, i, &r));
		assert_int_equal(r.type, types[i]);
		assert_int_equal(r.id, ids[i]);
		assert_true(r.data_offset + r.size <= len);
	}
	assert_false(resfork_at(&rf, 4, &r));
	assert_true(resfork_at_of_type(&rf, STR, 1, &r));
	assert_int_equal(r.id, -4000);
	assert_false(resfork_at_of_type(&rf, STR, 2, &r));
	free(f);
}

static void empty_fork_has_no_types(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = resfork_build(NULL, 0, &len);
	assert_non_null(f);
	struct resfork rf;
	struct resfork_error err;
	assert_true(resfork_open(&rf, f, len, &err));
	assert_int_equal(resfork_type_count(&rf), 0);
	assert_int_equal(resfork_count(&rf), 0);
	free(f);
}

static void writer_refuses_a_duplicate_type_and_id(void **state)
{
	(void)state;
	const struct resource_spec dup[] = {
	    {CODE, 1, 0, NULL, code1, sizeof code1},
	    {STR, 1, 0, NULL, hello, sizeof hello},
	    {CODE, 1, 0, NULL, code1, sizeof code1},
	};
	size_t len;
	assert_null(resfork_build(dup, 3, &len));
}

/* Opens f and expects a refusal at `offset` whose message contains `text`. */
static void expect_refusal(const uint8_t *f, size_t len, uint32_t offset, const char *text)
{
	struct resfork rf;
	struct resfork_error err;
	memset(&err, 0, sizeof err);
	bool ok = resfork_open(&rf, f, len, &err);
	if (ok || err.offset != offset || strstr(err.message, text) == NULL)
		fail_msg("expected a refusal at offset %u containing \"%s\"; got %s at %u: %s",
			 offset, text, ok ? "success" : "refusal", err.offset, err.message);
}

static void fork_shorter_than_its_header_is_refused(void **state)
{
	(void)state;
	uint8_t f[10] = {0};
	expect_refusal(f, sizeof f, 0, "header needs 16 bytes, the fork has 10");
}

static void map_running_past_the_fork_is_refused(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = sample_fork(&len);
	set32(f + 12, get32(f + 12) + 1);
	expect_refusal(f, len, 12, "resource map length");
	set32(f + 4, 0xFFFFFFF0u);
	expect_refusal(f, len, 4, "resource map offset 4294967280 is past the end of the fork");
	free(f);
}

static void data_running_past_the_fork_is_refused(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = sample_fork(&len);
	set32(f + 8, 0xFFFFFFFFu);
	expect_refusal(f, len, 8, "resource data length 4294967295 runs past the end of the fork");
	free(f);
}

static void data_overlapping_the_map_is_refused(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = sample_fork(&len);
	set32(f + 8, get32(f + 8) + 8); /* the data now reaches into the map */
	expect_refusal(f, len, 4, "overlaps the resource data");
	free(f);
}

static void map_shorter_than_its_header_is_refused(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = sample_fork(&len);
	set32(f + 12, 20);
	expect_refusal(f, len, 12, "shorter than a map header");
	free(f);
}

static void type_list_past_the_map_is_refused(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = sample_fork(&len);
	uint32_t m = get32(f + 4);
	set16(f + m + 24, 0xFFF0);
	expect_refusal(f, len, m + 24, "type list offset 65520: expected from 28");
	free(f);
}

static void too_many_types_for_the_map_is_refused(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = sample_fork(&len);
	uint32_t m = get32(f + 4);
	set16(f + m + 28, 500);
	expect_refusal(f, len, m + 28, "type list of 501 types (8 bytes each) runs past the end");
	free(f);
}

static void reference_list_inside_the_type_list_is_refused(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = sample_fork(&len);
	uint32_t tl = get32(f + 4) + 28;
	set16(f + tl + 2 + 6, 4); /* CODE's references now start inside the type list */
	expect_refusal(f, len, tl + 2 + 6, "points into the type list (expected 18 or more)");
	free(f);
}

static void reference_list_past_the_map_is_refused(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = sample_fork(&len);
	uint32_t tl = get32(f + 4) + 28;
	set16(f + tl + 2 + 4, 300); /* 301 CODE resources: far more than the map holds */
	expect_refusal(f, len, tl + 2 + 4, "reference list of type 'CODE' (301 entries");
	free(f);
}

static void name_past_the_name_list_is_refused(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = sample_fork(&len);
	uint32_t tl = get32(f + 4) + 28;
	uint32_t ref = tl + 18; /* first reference: CODE 0 */
	set16(f + ref + 2, 200);
	expect_refusal(f, len, ref + 2, "name offset 200 of resource 'CODE' ID 0 is past the end");
	free(f);
}

static void name_longer_than_the_name_list_is_refused(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = sample_fork(&len);
	uint32_t m = get32(f + 4);
	uint32_t nl = m + ((uint32_t)f[m + 26] << 8 | f[m + 27]);
	f[nl] = 250; /* the first name ("Main") now claims 250 bytes */
	expect_refusal(f, len, nl, "runs past the end of the name list");
	free(f);
}

static void data_entry_past_the_data_is_refused(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = sample_fork(&len);
	uint32_t tl = get32(f + 4) + 28;
	uint32_t ref = tl + 18;
	f[ref + 5] = 0x10; /* 3-byte data offset 0x100000 */
	expect_refusal(f, len, ref + 5, "data offset 1048576 of resource 'CODE' ID 0");
	free(f);
}

static void data_length_past_the_data_is_refused(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = sample_fork(&len);
	set32(f + 256, 0x7FFFFFFF); /* CODE 0's length word */
	expect_refusal(f, len, 256, "data length 2147483647 of resource 'CODE' ID 0 runs past");
	free(f);
}

static void duplicate_id_is_refused(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = sample_fork(&len);
	uint32_t tl = get32(f + 4) + 28;
	uint32_t second = tl + 18 + 12; /* CODE 1 becomes CODE 0 */
	set16(f + second, 0);
	expect_refusal(f, len, second, "resource 'CODE' ID 0 appears twice");
	free(f);
}

static void duplicate_type_is_refused(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = sample_fork(&len);
	uint32_t tl = get32(f + 4) + 28;
	set32(f + tl + 2 + 8, CODE); /* 'STR ' becomes a second 'CODE' */
	expect_refusal(f, len, tl + 2 + 8, "type 'CODE' appears twice in the type list");
	free(f);
}

static void overlapping_data_entries_are_refused(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = sample_fork(&len);
	uint32_t tl = get32(f + 4) + 28;
	uint32_t second = tl + 18 + 12; /* CODE 1's reference */
	f[second + 5] = 0;
	f[second + 6] = 0;
	f[second + 7] = 8;     /* its data now starts inside CODE 0's */
	set32(f + 256 + 8, 4); /* a length that still fits the data area */
	expect_refusal(f, len, second + 5,
		       "data of resource 'CODE' ID 1 (offsets 264 to 272) overlaps the data of "
		       "'CODE' ID 0, which ends at 284");
	free(f);
}

/* Mutations and truncations of a valid fork: every outcome is a clean
 * accept (and then every resource lies inside the fork) or a refusal. */
static void damaged_forks_never_read_outside_the_fork(void **state)
{
	(void)state;
	size_t len;
	uint8_t *f = sample_fork(&len);
	uint8_t *m = malloc(len);
	uint32_t seed = 12345;
	unsigned accepted = 0, refused = 0;
	for (int iter = 0; iter < 20000; iter++) {
		memcpy(m, f, len);
		size_t n = len;
		seed = seed * 1103515245u + 12345u;
		int flips = 1 + (seed >> 16) % 4;
		for (int k = 0; k < flips; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % len;
			seed = seed * 1103515245u + 12345u;
			/* Favour the header and map, where the offsets are. */
			if (k == 0 && (seed & 1))
				at = (seed >> 9) % 16;
			else if (seed & 2)
				at = len - 1 - (seed >> 9) % (len - 256);
			m[at] = (uint8_t)(seed >> 20);
		}
		if (iter % 7 == 0) {
			seed = seed * 1103515245u + 12345u;
			n = (seed >> 8) % (len + 1);
		}
		/* A fresh allocation of exactly n bytes lets the address sanitizer
		 * catch a read one past the end. */
		uint8_t *exact = malloc(n ? n : 1);
		memcpy(exact, m, n);
		struct resfork rf;
		struct resfork_error err;
		if (resfork_open(&rf, exact, n, &err)) {
			accepted++;
			for (size_t i = 0; i < resfork_count(&rf); i++) {
				struct resource_info r;
				assert_true(resfork_at(&rf, i, &r));
				assert_true((uint64_t)r.data_offset + r.size <= n);
				if (r.has_name)
					assert_true(r.name + r.name_length <= exact + n);
			}
		} else {
			refused++;
			assert_true(err.message[0] != '\0');
			assert_true(err.offset <= n || n < 16);
		}
		free(exact);
	}
	assert_true(accepted > 0);
	assert_true(refused > 0);
	free(m);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(built_fork_reads_back_by_id_name_and_index),
	    cmocka_unit_test(empty_fork_has_no_types),
	    cmocka_unit_test(writer_refuses_a_duplicate_type_and_id),
	    cmocka_unit_test(fork_shorter_than_its_header_is_refused),
	    cmocka_unit_test(map_running_past_the_fork_is_refused),
	    cmocka_unit_test(data_running_past_the_fork_is_refused),
	    cmocka_unit_test(data_overlapping_the_map_is_refused),
	    cmocka_unit_test(map_shorter_than_its_header_is_refused),
	    cmocka_unit_test(type_list_past_the_map_is_refused),
	    cmocka_unit_test(too_many_types_for_the_map_is_refused),
	    cmocka_unit_test(reference_list_inside_the_type_list_is_refused),
	    cmocka_unit_test(reference_list_past_the_map_is_refused),
	    cmocka_unit_test(name_past_the_name_list_is_refused),
	    cmocka_unit_test(name_longer_than_the_name_list_is_refused),
	    cmocka_unit_test(data_entry_past_the_data_is_refused),
	    cmocka_unit_test(data_length_past_the_data_is_refused),
	    cmocka_unit_test(duplicate_id_is_refused),
	    cmocka_unit_test(duplicate_type_is_refused),
	    cmocka_unit_test(overlapping_data_entries_are_refused),
	    cmocka_unit_test(damaged_forks_never_read_outside_the_fork),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
