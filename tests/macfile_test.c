/* Mac files come out of every container with the same name, Finder info and
 * forks; each malformed container is refused with one message naming the
 * file, the offset and the expectation; random damage never crashes. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "host/macfile.h"
#include "toolbox/toolbox.h"

#define T(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define APPL T('A', 'P', 'P', 'L')
#define CRTR T('V', 'M', 'T', 'S')
#define CODE T('C', 'O', 'D', 'E')

static const uint8_t data_fork[] = "the data fork, 31 bytes long..";
static const uint8_t code1[] = {0, 0, 0, 1, 0x4E, 0x75};

static uint8_t *sample_rsrc(size_t *len)
{
	static const uint8_t code0[] = {0, 0, 0, 0x28, 0, 0, 0,	   0,	 0, 0, 0,    8,
					0, 0, 0, 32,   0, 0, 0x3F, 0x3C, 0, 1, 0xA9, 0xF0};
	const struct resource_spec r[] = {
	    {CODE, 0, 0, NULL, code0, sizeof code0},
	    {CODE, 1, resPurgeable, "Main", code1, sizeof code1},
	};
	uint8_t *f = resfork_build(r, 2, len);
	assert_non_null(f);
	return f;
}

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

static size_t pad(size_t n)
{
	return (n + 127) & ~(size_t)127;
}

/* A MacBinary file of the given version (1, 2 or 3), with a secondary
 * header of sec bytes for 2 and 3. */
static uint8_t *make_macbinary(int version, uint16_t sec, const uint8_t *rsrc, size_t rlen,
			       size_t *len)
{
	size_t dlen = sizeof data_fork;
	size_t n = 128 + pad(sec) + pad(dlen) + pad(rlen);
	uint8_t *b = calloc(1, n);
	b[1] = 5;
	memcpy(b + 2, "Hello", 5);
	put32(b + 65, APPL);
	put32(b + 69, CRTR);
	b[73] = 0x21; /* hasBundle | isOnDesk, high byte */
	put32(b + 83, (uint32_t)dlen);
	put32(b + 87, (uint32_t)rlen);
	if (version >= 2) {
		b[101] = 0x00;
		put16(b + 120, sec);
		b[122] = version == 3 ? 130 : 129;
		b[123] = 129;
		put16(b + 124, macbinary_crc(b, 124));
		if (version == 3)
			memcpy(b + 102, "mBIN", 4);
		put16(b + 124, macbinary_crc(b, 124));
	}
	memcpy(b + 128 + pad(sec), data_fork, dlen);
	memcpy(b + 128 + pad(sec) + pad(dlen), rsrc, rlen);
	*len = n;
	return b;
}

/* An AppleSingle (or AppleDouble: no data fork entry) file: name, Finder
 * info, data fork, resource fork. */
static uint8_t *make_applesingle(bool dbl, const uint8_t *rsrc, size_t rlen, size_t *len)
{
	size_t dlen = dbl ? 0 : sizeof data_fork;
	unsigned n = dbl ? 3 : 4;
	size_t at = 26 + 12 * n;
	size_t total = at + 5 + 32 + dlen + rlen;
	uint8_t *b = calloc(1, total);
	put32(b, dbl ? 0x00051607 : 0x00051600);
	put32(b + 4, 0x00020000);
	put16(b + 24, n);
	uint8_t *e = b + 26;
	put32(e, 3), put32(e + 4, (uint32_t)at), put32(e + 8, 5);
	memcpy(b + at, "Hello", 5);
	at += 5;
	e += 12;
	put32(e, 9), put32(e + 4, (uint32_t)at), put32(e + 8, 32);
	put32(b + at, APPL);
	put32(b + at + 4, CRTR);
	put16(b + at + 8, 0x2100);
	at += 32;
	e += 12;
	if (!dbl) {
		put32(e, 1), put32(e + 4, (uint32_t)at), put32(e + 8, (uint32_t)dlen);
		memcpy(b + at, data_fork, dlen);
		at += dlen;
		e += 12;
	}
	put32(e, 2), put32(e + 4, (uint32_t)at), put32(e + 8, (uint32_t)rlen);
	memcpy(b + at, rsrc, rlen);
	*len = total;
	return b;
}

static void assert_sample(const struct mac_file *mf, bool has_data)
{
	assert_int_equal(mf->name_length, 5);
	assert_string_equal(mf->name, "Hello");
	assert_true(mf->has_finder_info);
	assert_int_equal(mf->type, APPL);
	assert_int_equal(mf->creator, CRTR);
	assert_int_equal(mf->finder_flags, 0x2100);
	if (has_data) {
		assert_int_equal(mf->data_length, sizeof data_fork);
		assert_memory_equal(mf->data, data_fork, sizeof data_fork);
	}
	assert_true(mf->has_fork);
	struct resource_info r;
	assert_true(resfork_find(&mf->fork, CODE, 1, &r));
	assert_memory_equal(r.data, code1, sizeof code1);
}

static void crc_is_xmodem(void **state)
{
	(void)state;
	/* The standard check value of CRC-16/XMODEM. */
	assert_int_equal(macbinary_crc((const uint8_t *)"123456789", 9), 0x31C3);
}

static void macbinary_versions_give_the_same_file(void **state)
{
	(void)state;
	size_t rlen, len;
	uint8_t *rsrc = sample_rsrc(&rlen);
	const enum mac_container expect[] = {0, MAC_MACBINARY_I, MAC_MACBINARY_II,
					     MAC_MACBINARY_III};
	for (int v = 1; v <= 3; v++) {
		uint8_t *b = make_macbinary(v, v == 1 ? 0 : 300, rsrc, rlen, &len);
		if (v == 1)
			b[101] = 0; /* MacBinary I has no low flag byte */
		struct mac_file mf;
		char err[512];
		if (!macfile_parse("app.bin", b, len, &mf, err, sizeof err))
			fail_msg("version %d refused: %s", v, err);
		assert_int_equal(mf.container, expect[v]);
		assert_sample(&mf, true);
		assert_int_equal(mf.rsrc_file_offset,
				 128 + pad(v == 1 ? 0 : 300) + pad(sizeof data_fork));
		macfile_free(&mf);
		free(b);
	}
	free(rsrc);
}

static void applesingle_gives_the_same_file(void **state)
{
	(void)state;
	size_t rlen, len;
	uint8_t *rsrc = sample_rsrc(&rlen);
	uint8_t *b = make_applesingle(false, rsrc, rlen, &len);
	struct mac_file mf;
	char err[512];
	assert_true(macfile_parse("app.as", b, len, &mf, err, sizeof err));
	assert_int_equal(mf.container, MAC_APPLESINGLE);
	assert_sample(&mf, true);
	macfile_free(&mf);
	free(b);
	free(rsrc);
}

/* Expects a refusal whose message contains `text`. */
static void expect_refusal(const uint8_t *b, size_t len, const char *name, const char *text)
{
	struct mac_file mf;
	char err[512] = "";
	bool ok = macfile_parse(name, b, len, &mf, err, sizeof err);
	if (ok)
		macfile_free(&mf);
	if (ok || strstr(err, text) == NULL)
		fail_msg("expected a refusal containing \"%s\"; got %s: %s", text,
			 ok ? "success" : "refusal", err);
}

static void macbinary_refusals_name_offset_and_expectation(void **state)
{
	(void)state;
	size_t rlen, len;
	uint8_t *rsrc = sample_rsrc(&rlen);
	uint8_t *b = make_macbinary(2, 0, rsrc, rlen, &len);

	expect_refusal(b, 100, "app.bin",
		       "app.bin: offset 0: a MacBinary header needs 128 bytes, the file has 100");

	b[124] ^= 0x55;
	expect_refusal(b, len, "app.bin", "app.bin: offset 124: header CRC is 0x");
	b[124] ^= 0x55;

	put32(b + 83, 0xFFFFFFFF);
	put16(b + 124, macbinary_crc(b, 124));
	char want[200];
	snprintf(want, sizeof want,
		 "app.bin: offset 83: data fork length 4294967295 runs past the end of the file "
		 "(data fork at offset 128, file size %zu)",
		 len);
	expect_refusal(b, len, "app.bin", want);
	put32(b + 83, sizeof data_fork);

	put32(b + 87, (uint32_t)rlen + 1);
	put16(b + 124, macbinary_crc(b, 124));
	expect_refusal(b, 128 + 128 + rlen, "app.bin", "app.bin: offset 87: resource fork length");
	put32(b + 87, (uint32_t)rlen);

	b[1] = 64;
	put16(b + 124, macbinary_crc(b, 124));
	expect_refusal(b, len, "app.bin",
		       "app.bin: offset 1: file name length 64: expected 1 to 63");
	b[1] = 5;

	b[123] = 131;
	put16(b + 124, macbinary_crc(b, 124));
	expect_refusal(b, len, "app.bin",
		       "app.bin: offset 123: needs a MacBinary reader of version");
	b[123] = 129;
	put16(b + 124, macbinary_crc(b, 124));

	/* A resource map past the fork: the offset is in the file, not the fork. */
	put32(b + 256 + 12, 0x10000);
	char want2[200];
	snprintf(want2, sizeof want2, "app.bin: offset %d: resource map length 65536", 256 + 12);
	expect_refusal(b, len, "app.bin", want2);
	free(b);
	free(rsrc);
}

static void applesingle_refusals_name_offset_and_expectation(void **state)
{
	(void)state;
	size_t rlen, len;
	uint8_t *rsrc = sample_rsrc(&rlen);
	uint8_t *b = make_applesingle(false, rsrc, rlen, &len);

	expect_refusal(b, 20, "a.as", "a.as: offset 0: an AppleSingle/AppleDouble header needs 26");
	put32(b + 4, 0x00030000);
	expect_refusal(b, len, "a.as", "a.as: offset 4: version 0x00030000: expected 0x00010000");
	put32(b + 4, 0x00020000);

	put16(b + 24, 1000);
	expect_refusal(b, len, "a.as", "a.as: offset 24: entry table of 1000 entries");
	put16(b + 24, 4);

	/* Entry 3 (data fork): length past the end. */
	uint8_t *e = b + 26 + 12 * 2;
	uint32_t save = (uint32_t)e[8] << 24 | (uint32_t)e[9] << 16 | (uint32_t)e[10] << 8 | e[11];
	put32(e + 8, 0xFFFFFF00u);
	expect_refusal(b, len, "a.as",
		       "a.as: offset 58: data fork (entry ID 1) length 4294967040 "
		       "runs past the end of the file");
	/* ... or overlapping the resource fork. */
	put32(e + 8, save + 10);
	expect_refusal(b, len, "a.as", "overlaps data fork (entry ID 1");
	put32(e + 8, save);

	put32(e + 4, 10);
	expect_refusal(b, len, "a.as",
		       "a.as: offset 54: data fork (entry ID 1) at offset 10 "
		       "overlaps the header and entry table");
	free(b);
	free(rsrc);
}

static void unknown_content_is_refused(void **state)
{
	(void)state;
	uint8_t junk[300];
	memset(junk, 'x', sizeof junk);
	expect_refusal(
	    junk, sizeof junk, "junk",
	    "junk: offset 0: not MacBinary, AppleSingle, AppleDouble or a resource fork");
}

/* ---- Files on disk: sidecars ---- */

static char dir[64];

static void write_file(const char *name, const uint8_t *b, size_t n)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	fclose(f);
}

static void remove_all(void)
{
	static const char *const names[] = {
	    "App", "._App", "%App", "App.rsrc", ".AppleDouble/App", "app.bin", NULL};
	char path[256];
	for (int i = 0; names[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/.AppleDouble", dir);
	rmdir(path);
}

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/vm68k-macfile-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	(void)state;
	remove_all();
	return rmdir(dir);
}

static void load(const char *name, struct mac_file *mf)
{
	char path[256], err[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!macfile_load(path, mf, err, sizeof err))
		fail_msg("%s refused: %s", name, err);
}

static void sidecars_beside_a_data_file_are_found(void **state)
{
	(void)state;
	size_t rlen, hlen;
	uint8_t *rsrc = sample_rsrc(&rlen);
	uint8_t *hdr = make_applesingle(true, rsrc, rlen, &hlen);
	static const char *const sidecars[] = {"._App", "%App", ".AppleDouble/App", NULL};
	char sub[256];
	snprintf(sub, sizeof sub, "%s/.AppleDouble", dir);
	mkdir(sub, 0700);
	for (int i = 0; sidecars[i]; i++) {
		remove_all();
		mkdir(sub, 0700);
		write_file("App", data_fork, sizeof data_fork);
		write_file(sidecars[i], hdr, hlen);
		struct mac_file mf;
		load("App", &mf);
		assert_int_equal(mf.container, MAC_DATA_SIDECAR);
		assert_non_null(strstr(mf.sidecar, sidecars[i]));
		assert_sample(&mf, true);
		macfile_free(&mf);
		/* Naming the AppleDouble header finds the same data fork. */
		load(sidecars[i], &mf);
		assert_int_equal(mf.container, MAC_APPLEDOUBLE);
		assert_sample(&mf, true);
		macfile_free(&mf);
	}
	remove_all();
	write_file("App", data_fork, sizeof data_fork);
	write_file("App.rsrc", rsrc, rlen);
	struct mac_file mf;
	load("App", &mf);
	assert_int_equal(mf.container, MAC_DATA_SIDECAR);
	assert_false(mf.has_finder_info); /* a raw fork carries no Finder info */
	assert_int_equal(mf.data_length, sizeof data_fork);
	assert_true(mf.has_fork);
	macfile_free(&mf);
	load("App.rsrc", &mf);
	assert_int_equal(mf.container, MAC_RAW_RSRC);
	assert_string_equal(mf.name, "App");
	assert_int_equal(mf.data_length, sizeof data_fork);
	assert_true(mf.has_fork);
	macfile_free(&mf);

	/* A resource fork with no suffix and no sidecar is known by its header. */
	remove_all();
	write_file("App", rsrc, rlen);
	load("App", &mf);
	assert_int_equal(mf.container, MAC_RAW_RSRC);
	assert_int_equal(mf.data_length, 0);
	assert_true(mf.has_fork);
	macfile_free(&mf);

	remove_all();
	write_file("App", data_fork, sizeof data_fork);
	load("App", &mf);
	assert_int_equal(mf.container, MAC_DATA_ONLY);
	assert_false(mf.has_fork);
	macfile_free(&mf);
	free(hdr);
	free(rsrc);
}

static void bad_sidecar_is_named_in_the_refusal(void **state)
{
	(void)state;
	size_t rlen;
	uint8_t *rsrc = sample_rsrc(&rlen);
	remove_all();
	write_file("App", data_fork, sizeof data_fork);
	rsrc[12] = 0x7F; /* map length */
	write_file("App.rsrc", rsrc, rlen);
	struct mac_file mf;
	char path[256], err[512], want[300];
	snprintf(path, sizeof path, "%s/App", dir);
	assert_false(macfile_load(path, &mf, err, sizeof err));
	snprintf(want, sizeof want, "%s/App.rsrc: offset 12: resource map length", dir);
	if (strstr(err, want) == NULL)
		fail_msg("got: %s", err);
	remove_all();
	free(rsrc);
}

static void truncated_macbinary_file_is_refused(void **state)
{
	(void)state;
	size_t rlen, len;
	uint8_t *rsrc = sample_rsrc(&rlen);
	uint8_t *b = make_macbinary(2, 0, rsrc, rlen, &len);
	remove_all();
	write_file("app.bin", b, len - 100);
	struct mac_file mf;
	char path[256], err[512];
	snprintf(path, sizeof path, "%s/app.bin", dir);
	assert_false(macfile_load(path, &mf, err, sizeof err));
	assert_non_null(strstr(err, "app.bin: offset 87: resource fork length"));
	remove_all();
	free(b);
	free(rsrc);
}

static void data_resembling_macbinary_i_is_data_unless_named_bin(void **state)
{
	(void)state;
	uint8_t b[300] = {0};
	b[1] = 4; /* a name length, zeros where MacBinary I has them... */
	put32(b + 83, 5000); /* ...but a data fork the file cannot hold */
	remove_all();
	write_file("App", b, sizeof b);
	struct mac_file mf;
	load("App", &mf);
	assert_int_equal(mf.container, MAC_DATA_ONLY);
	assert_int_equal(mf.data_length, sizeof b);
	macfile_free(&mf);
	write_file("app.bin", b, sizeof b);
	char path[256], err[512];
	snprintf(path, sizeof path, "%s/app.bin", dir);
	assert_false(macfile_load(path, &mf, err, sizeof err));
	assert_non_null(strstr(err, "app.bin: offset 83: data fork length 5000 runs past the end"));
	remove_all();
}

/* ---- Random damage ---- */

static void fuzz(const uint8_t *good, size_t len, const char *name, uint32_t seed)
{
	uint8_t *m = malloc(len);
	unsigned accepted = 0, refused = 0;
	for (int iter = 0; iter < 20000; iter++) {
		memcpy(m, good, len);
		size_t n = len;
		seed = seed * 1103515245u + 12345u;
		int flips = 1 + (seed >> 16) % 4;
		for (int k = 0; k < flips; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % len;
			if (seed & 1) /* mostly the headers, where the lengths are */
				at = (seed >> 9) % (len < 160 ? len : 160);
			seed = seed * 1103515245u + 12345u;
			m[at] = (uint8_t)(seed >> 20);
		}
		/* Keep some MacBinary CRCs right, so the checks past it run too. */
		if (len >= 128 && m[0] == 0 && (iter & 1))
			put16(m + 124, macbinary_crc(m, 124));
		if (iter % 5 == 0) {
			seed = seed * 1103515245u + 12345u;
			n = (seed >> 8) % (len + 1);
		}
		uint8_t *exact = malloc(n ? n : 1);
		memcpy(exact, m, n);
		struct mac_file mf;
		char err[512] = "";
		if (macfile_parse(name, exact, n, &mf, err, sizeof err)) {
			accepted++;
			assert_true(mf.data_length <= n && mf.rsrc_length <= n);
			for (size_t i = 0; mf.has_fork && i < resfork_count(&mf.fork); i++) {
				struct resource_info r;
				assert_true(resfork_at(&mf.fork, i, &r));
				assert_true((uint64_t)r.data_offset + r.size <= mf.rsrc_length);
			}
			macfile_free(&mf);
		} else {
			refused++;
			assert_non_null(strstr(err, ": offset "));
		}
		free(exact);
	}
	assert_true(accepted > 0 && refused > 0);
	free(m);
}

static void damaged_containers_are_refused_or_read_safely(void **state)
{
	(void)state;
	size_t rlen, len;
	uint8_t *rsrc = sample_rsrc(&rlen);
	uint8_t *b = make_macbinary(2, 0, rsrc, rlen, &len);
	fuzz(b, len, "app.bin", 1);
	free(b);
	b = make_applesingle(false, rsrc, rlen, &len);
	fuzz(b, len, "app.as", 2);
	free(b);
	fuzz(rsrc, rlen, "app.rsrc", 3);
	free(rsrc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(crc_is_xmodem),
	    cmocka_unit_test(macbinary_versions_give_the_same_file),
	    cmocka_unit_test(applesingle_gives_the_same_file),
	    cmocka_unit_test(macbinary_refusals_name_offset_and_expectation),
	    cmocka_unit_test(applesingle_refusals_name_offset_and_expectation),
	    cmocka_unit_test(unknown_content_is_refused),
	    cmocka_unit_test(sidecars_beside_a_data_file_are_found),
	    cmocka_unit_test(bad_sidecar_is_named_in_the_refusal),
	    cmocka_unit_test(truncated_macbinary_file_is_refused),
	    cmocka_unit_test(data_resembling_macbinary_i_is_data_unless_named_bin),
	    cmocka_unit_test(damaged_containers_are_refused_or_read_safely),
	};
	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
