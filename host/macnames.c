/* Mac names and host names: a Mac name is up to 31 bytes of Mac Roman with
 * no ':'; a host name is UTF-8 with no '/'. The two swap ':' and '/' (as
 * macOS does between HFS and POSIX names) and convert Mac Roman's upper half
 * to its precomposed Unicode characters, so the mapping is one to one. */
#include "config.h"

#include "host/volumes.h"

#include <string.h>

/* Mac Roman 0x80-0xFF in Unicode (Apple's table, with 0xDB the euro sign
 * and 0xF0 the Apple logo in the private use area). */
static const uint16_t mac_roman_high[128] = {
    0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1, 0x00E0, 0x00E2, 0x00E4, 0x00E3,
    0x00E5, 0x00E7, 0x00E9, 0x00E8, 0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3,
    0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC, 0x2020, 0x00B0, 0x00A2, 0x00A3,
    0x00A7, 0x2022, 0x00B6, 0x00DF, 0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8,
    0x221E, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211, 0x220F, 0x03C0, 0x222B, 0x00AA,
    0x00BA, 0x03A9, 0x00E6, 0x00F8, 0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB,
    0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153, 0x2013, 0x2014, 0x201C, 0x201D,
    0x2018, 0x2019, 0x00F7, 0x25CA, 0x00FF, 0x0178, 0x2044, 0x20AC, 0x2039, 0x203A, 0xFB01, 0xFB02,
    0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1, 0x00CB, 0x00C8, 0x00CD, 0x00CE,
    0x00CF, 0x00CC, 0x00D3, 0x00D4, 0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0x0131, 0x02C6, 0x02DC,
    0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7,
};

static size_t put_utf8(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	out[0] = (char)(0xE0 | c >> 12);
	out[1] = (char)(0x80 | (c >> 6 & 0x3F));
	out[2] = (char)(0x80 | (c & 0x3F));
	return 3;
}

bool mac_to_host_name(const uint8_t *mac, size_t len, char *out)
{
	if (len == 0 || len > MAC_NAME_MAX)
		return false;
	if ((len == 1 && mac[0] == '.') || (len == 2 && mac[0] == '.' && mac[1] == '.'))
		return false;
	if (len >= 2 && mac[0] == '.' && mac[1] == '_')
		return false;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		uint8_t c = mac[i];
		if (c == 0 || c == ':')
			return false;
		if (c == '/')
			out[n++] = ':';
		else if (c < 0x80)
			out[n++] = (char)c;
		else
			n += put_utf8(mac_roman_high[c - 0x80], out + n);
	}
	out[n] = '\0';
	/* 31 characters of at most 3 bytes each: always under NAME_MAX. */
	return !host_name_hidden(out);
}

/* Decodes one UTF-8 character (shortest form only); returns its length or 0. */
static size_t get_utf8(const unsigned char *s, uint32_t *c)
{
	if (s[0] < 0x80) {
		*c = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
		*c = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		return *c >= 0x80 ? 2 : 0;
	}
	if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		*c = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		return *c >= 0x800 ? 3 : 0;
	}
	return 0; /* 4-byte characters are all outside Mac Roman */
}

int host_to_mac_name(const char *host, uint8_t *out, size_t max)
{
	const unsigned char *s = (const unsigned char *)host;
	size_t n = 0;
	while (*s) {
		uint32_t c;
		size_t k = get_utf8(s, &c);
		if (k == 0 || n >= max)
			return -1;
		s += k;
		if (c == ':')
			out[n++] = '/';
		else if (c == '/' || c == 0)
			return -1;
		else if (c < 0x80)
			out[n++] = (uint8_t)c;
		else {
			int found = -1;
			for (int i = 0; i < 128 && found < 0; i++)
				if (mac_roman_high[i] == c)
					found = i;
			if (found < 0)
				return -1;
			out[n++] = (uint8_t)(0x80 + found);
		}
	}
	return n == 0 ? -1 : (int)n;
}

bool host_name_hidden(const char *host)
{
	return strcmp(host, ".") == 0 || strcmp(host, "..") == 0 || strncmp(host, "._", 2) == 0 ||
	       strcmp(host, ".AppleDouble") == 0 || strcmp(host, ".DS_Store") == 0;
}
