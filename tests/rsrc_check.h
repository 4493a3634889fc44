/* Checks for the 68K test programs: a failed check prints
 * "DebugStr: FAIL line N: got X" (X in hex) and counts; the program ends
 * with its "... ok" line only when none failed. */
#ifndef VM68K_TESTS_RSRC_CHECK_H
#define VM68K_TESTS_RSRC_CHECK_H

#include "mactraps.h"

#include <stddef.h>

/* tools/macrt.c provides these. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

static int check_failures;

static void check_report(int line, int32_t got)
{
	static unsigned char s[40] = "\0FAIL line ";
	unsigned n = 11;
	char digits[8];
	int k = 0;
	for (int v = line; v > 0 && k < 8; v /= 10)
		digits[k++] = (char)('0' + v % 10);
	while (k > 0)
		s[n++] = (unsigned char)digits[--k];
	const char *g = ": got ";
	while (*g)
		s[n++] = (unsigned char)*g++;
	const char *hex = "0123456789ABCDEF";
	for (int i = 0; i < 8; i++)
		s[n++] = (unsigned char)hex[((uint32_t)got >> (28 - 4 * i)) & 15];
	s[0] = (unsigned char)(n - 1);
	DebugStr(s);
	check_failures++;
}

/* CHECK(cond, value shown when it fails) */
#define CHECK(cond, got)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			check_report(__LINE__, (int32_t)(got));                                    \
	} while (0)

static inline int pstr_equal(const unsigned char *a, const unsigned char *b)
{
	return a[0] == b[0] && memcmp(a + 1, b + 1, a[0]) == 0;
}

#endif
