/* Every command-line option in the option table is documented in vm68k(1),
 * and --help lists it: the table is the one description of the CLI. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host/options.h"

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	size_t got = fread(buf, 1, (size_t)n, f);
	buf[got] = '\0';
	fclose(f);
	return buf;
}

/* mdoc spells --ram as "Fl \-ram" and a dash inside a name as "\-". */
static void man_spelling(const char *name, char *out, size_t outlen)
{
	size_t n = (size_t)snprintf(out, outlen, "Fl \\-");
	for (const char *p = name; *p && n + 3 < outlen; p++) {
		if (*p == '-')
			out[n++] = '\\';
		out[n++] = *p;
	}
	out[n] = '\0';
}

static void every_option_is_in_the_man_page(void **state)
{
	(void)state;
	const char *srcdir = getenv("top_srcdir");
	char path[4096];
	snprintf(path, sizeof path, "%s/man/vm68k.1", srcdir ? srcdir : ".");
	char *man = read_file(path);
	assert_non_null(man);
	int missing = 0;
	for (size_t i = 0; i < cli_option_count; i++) {
		char needle[128];
		man_spelling(cli_options[i].name, needle, sizeof needle);
		/* The entry must be a tag of the options list, not a passing mention. */
		char tagged[160];
		snprintf(tagged, sizeof tagged, ".It %s", needle);
		char tagged_short[160] = "";
		if (cli_options[i].short_name)
			snprintf(tagged_short, sizeof tagged_short, ".It Fl %c , %s",
			         cli_options[i].short_name, needle);
		if (strstr(man, tagged) == NULL &&
		    (tagged_short[0] == '\0' || strstr(man, tagged_short) == NULL)) {
			fprintf(stderr, "man/vm68k.1 has no entry for --%s\n", cli_options[i].name);
			missing++;
		}
	}
	free(man);
	assert_int_equal(missing, 0);
}

static void sizes_take_binary_suffixes(void **state)
{
	(void)state;
	uint64_t v;
	assert_true(parse_size("4096", &v));
	assert_int_equal(v, 4096);
	assert_true(parse_size("512K", &v));
	assert_int_equal(v, 512 * 1024);
	assert_true(parse_size("8M", &v));
	assert_int_equal(v, 8u << 20);
	assert_true(parse_size("1G", &v));
	assert_int_equal(v, 1u << 30);
	assert_false(parse_size("8X", &v));
	assert_false(parse_size("", &v));
	assert_false(parse_size("-1M", &v));
	assert_false(parse_size("99999999999999999999G", &v));
}

static void bad_values_are_refused(void **state)
{
	(void)state;
	struct run_config cfg;
	run_config_defaults(&cfg);
	bool help = false;
	char *bad_ram[] = {"vm68k", "run", "--ram", "lots"};
	assert_int_equal(parse_options(4, bad_ram, 2, CMD_RUN, &cfg, &help), -1);
	char *bad_mode[] = {"vm68k", "run", "--addressing=16"};
	assert_int_equal(parse_options(3, bad_mode, 2, CMD_RUN, &cfg, &help), -1);
	char *unknown[] = {"vm68k", "run", "--frobnicate"};
	assert_int_equal(parse_options(3, unknown, 2, CMD_RUN, &cfg, &help), -1);
	char *missing[] = {"vm68k", "run", "--vm"};
	assert_int_equal(parse_options(3, missing, 2, CMD_RUN, &cfg, &help), -1);
	char *good[] = {"vm68k", "run", "--ram=4M", "--vm", "64M", "--addressing", "24"};
	assert_int_equal(parse_options(7, good, 2, CMD_RUN, &cfg, &help), 7);
	assert_int_equal(cfg.ram_bytes, 4u << 20);
	assert_int_equal(cfg.vm_bytes, 64u << 20);
	assert_int_equal(cfg.addressing, 24);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_option_is_in_the_man_page),
		cmocka_unit_test(sizes_take_binary_suffixes),
		cmocka_unit_test(bad_values_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
