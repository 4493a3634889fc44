/* Mac files in Linux containers: MacBinary I/II/III, AppleSingle/AppleDouble
 * (Apple's "AppleSingle/AppleDouble Formats for Foreign Files", v1 and v2),
 * raw resource forks and sidecars. Every length read from a file is checked
 * in 64-bit arithmetic against the file size before it is used; every
 * refusal names the file, the byte offset and the expectation. */
#include "config.h"

#include "host/macfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	MACBINARY_HEADER = 128,
	APPLESINGLE_MAGIC = 0x00051600,
	APPLEDOUBLE_MAGIC = 0x00051607,
	AS_HEADER = 26, /* magic, version, 16-byte filler, entry count */
	AS_ENTRY = 12,
	AS_DATA_FORK = 1,
	AS_RESOURCE_FORK = 2,
	AS_REAL_NAME = 3,
	AS_FINDER_INFO = 9,
};

static uint32_t be16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool report(char *err, size_t errlen, const char *file, uint64_t offset, const char *fmt,
		   ...) __attribute__((format(printf, 5, 6)));

static bool report(char *err, size_t errlen, const char *file, uint64_t offset, const char *fmt,
		   ...)
{
	int n = snprintf(err, errlen, "%s: offset %llu: ", file, (unsigned long long)offset);
	if (n >= 0 && (size_t)n < errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return false;
}

uint16_t macbinary_crc(const uint8_t *p, size_t n)
{
	uint16_t crc = 0;
	for (size_t i = 0; i < n; i++) {
		crc ^= (uint16_t)(p[i] << 8);
		for (int b = 0; b < 8; b++)
			crc = (crc & 0x8000) ? (uint16_t)(crc << 1 ^ 0x1021) : (uint16_t)(crc << 1);
	}
	return crc;
}

const char *macfile_container_name(enum mac_container c)
{
	switch (c) {
	case MAC_MACBINARY_I:
		return "MacBinary I";
	case MAC_MACBINARY_II:
		return "MacBinary II";
	case MAC_MACBINARY_III:
		return "MacBinary III";
	case MAC_APPLESINGLE:
		return "AppleSingle";
	case MAC_APPLEDOUBLE:
		return "AppleDouble";
	case MAC_RAW_RSRC:
		return "raw resource fork";
	case MAC_DATA_SIDECAR:
		return "data fork with a resource fork sidecar";
	case MAC_DATA_ONLY:
		return "plain file (data fork only)";
	}
	return "?";
}

void macfile_free(struct mac_file *mf)
{
	free(mf->owned[0]);
	free(mf->owned[1]);
	memset(mf, 0, sizeof *mf);
}

static void set_name(struct mac_file *mf, const uint8_t *name, size_t len)
{
	if (len > 255)
		len = 255;
	memcpy(mf->name, name, len);
	mf->name[len] = '\0';
	mf->name_length = (uint8_t)len;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* ---- MacBinary ---- */

static uint64_t pad128(uint64_t n)
{
	return (n + 127) & ~(uint64_t)127;
}

/* The fixed zero bytes and name length of a MacBinary header; with either a
 * good CRC (II/III), or the zeros MacBinary I leaves in bytes 99-125 and
 * forks that fit the file (without a CRC, that is all that tells a
 * MacBinary I file from data that happens to start the same way). */
static bool looks_like_macbinary(const uint8_t *b, size_t len)
{
	if (len < MACBINARY_HEADER || b[0] != 0 || b[74] != 0 || b[82] != 0 || b[1] < 1 ||
	    b[1] > 63)
		return false;
	if (macbinary_crc(b, 124) == be16(b + 124))
		return true;
	for (int i = 99; i < 126; i++)
		if (b[i] != 0)
			return false;
	return MACBINARY_HEADER + pad128(be32(b + 83)) + be32(b + 87) <= len;
}

static bool parse_macbinary(const char *file, const uint8_t *b, size_t len, struct mac_file *mf,
			    char *err, size_t errlen)
{
	if (len < MACBINARY_HEADER)
		return report(err, errlen, file, 0,
			      "a MacBinary header needs 128 bytes, the file has %zu", len);
	if (b[0] != 0)
		return report(err, errlen, file, 0,
			      "expected 0 (MacBinary old version number), found %u", b[0]);
	if (b[1] < 1 || b[1] > 63)
		return report(err, errlen, file, 1, "file name length %u: expected 1 to 63", b[1]);
	if (b[74] != 0)
		return report(err, errlen, file, 74, "expected a zero byte, found %u", b[74]);
	if (b[82] != 0)
		return report(err, errlen, file, 82, "expected a zero byte, found %u", b[82]);
	uint16_t crc = macbinary_crc(b, 124), stored = (uint16_t)be16(b + 124);
	bool v2 = crc == stored;
	if (!v2) {
		for (int i = 99; i < 126; i++)
			if (b[i] != 0)
				return report(
				    err, errlen, file, 124,
				    "header CRC is 0x%04X, expected 0x%04X (CRC-16/XMODEM "
				    "of bytes 0-123)",
				    stored, crc);
		mf->container = MAC_MACBINARY_I;
	} else {
		mf->container =
		    memcmp(b + 102, "mBIN", 4) == 0 ? MAC_MACBINARY_III : MAC_MACBINARY_II;
		if (b[123] > 130)
			return report(
			    err, errlen, file, 123,
			    "needs a MacBinary reader of version %u; this one reads up to "
			    "130 (MacBinary III)",
			    b[123]);
	}
	set_name(mf, b + 2, b[1]);
	mf->has_finder_info = true;
	mf->type = be32(b + 65);
	mf->creator = be32(b + 69);
	mf->finder_flags = (uint16_t)(b[73] << 8 | (v2 ? b[101] : 0));
	uint64_t data_len = be32(b + 83), rsrc_len = be32(b + 87);
	uint64_t data_at = MACBINARY_HEADER + (v2 ? pad128(be16(b + 120)) : 0);
	if (data_at > len)
		return report(err, errlen, file, 120,
			      "secondary header length %u runs past the end of the file (size %zu)",
			      be16(b + 120), len);
	if (data_len > len - data_at)
		return report(err, errlen, file, 83,
			      "data fork length %llu runs past the end of the file (data fork at "
			      "offset %llu, file size %zu)",
			      (unsigned long long)data_len, (unsigned long long)data_at, len);
	uint64_t rsrc_at = data_at + pad128(data_len);
	if (rsrc_len > 0 && (rsrc_at > len || rsrc_len > len - rsrc_at))
		return report(err, errlen, file, 87,
			      "resource fork length %llu runs past the end of the file (resource "
			      "fork at offset %llu after the padded data fork, file size %zu)",
			      (unsigned long long)rsrc_len, (unsigned long long)rsrc_at, len);
	mf->data = b + data_at;
	mf->data_length = (size_t)data_len;
	mf->rsrc = rsrc_len ? b + rsrc_at : NULL;
	mf->rsrc_length = (size_t)rsrc_len;
	mf->rsrc_file_offset = rsrc_at;
	return true;
}

/* ---- AppleSingle / AppleDouble ---- */

struct as_entry {
	uint32_t id, offset, length, at; /* at: where the entry descriptor is */
};

static int compare_entry_offsets(const void *a, const void *b)
{
	const struct as_entry *x = a, *y = b;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

static const char *entry_name(uint32_t id)
{
	switch (id) {
	case AS_DATA_FORK:
		return "data fork";
	case AS_RESOURCE_FORK:
		return "resource fork";
	case AS_REAL_NAME:
		return "real name";
	case 4:
		return "comment";
	case 8:
		return "file dates";
	case AS_FINDER_INFO:
		return "Finder info";
	case 10:
		return "Macintosh file info";
	default:
		return "entry";
	}
}

static bool parse_applesingle(const char *file, const uint8_t *b, size_t len, struct mac_file *mf,
			      char *err, size_t errlen)
{
	if (len < AS_HEADER)
		return report(err, errlen, file, 0,
			      "an AppleSingle/AppleDouble header needs 26 bytes, the file has %zu",
			      len);
	uint32_t magic = be32(b);
	if (magic != APPLESINGLE_MAGIC && magic != APPLEDOUBLE_MAGIC)
		return report(
		    err, errlen, file, 0,
		    "magic number 0x%08X: expected 0x00051600 (AppleSingle) or 0x00051607 "
		    "(AppleDouble)",
		    magic);
	mf->container = magic == APPLESINGLE_MAGIC ? MAC_APPLESINGLE : MAC_APPLEDOUBLE;
	uint32_t version = be32(b + 4);
	if (version != 0x00010000 && version != 0x00020000)
		return report(err, errlen, file, 4,
			      "version 0x%08X: expected 0x00010000 or 0x00020000", version);
	uint32_t n = be16(b + 24);
	uint64_t table_end = AS_HEADER + (uint64_t)AS_ENTRY * n;
	if (table_end > len)
		return report(err, errlen, file, 24,
			      "entry table of %u entries (12 bytes each) runs past the end of the "
			      "file (size %zu)",
			      n, len);
	struct as_entry *e = malloc(sizeof *e * (n ? n : 1));
	if (e == NULL)
		return report(err, errlen, file, 0, "out of memory");
	bool ok = true;
	for (uint32_t i = 0; i < n && ok; i++) {
		const uint8_t *p = b + AS_HEADER + AS_ENTRY * i;
		e[i].at = AS_HEADER + AS_ENTRY * i;
		e[i].id = be32(p);
		e[i].offset = be32(p + 4);
		e[i].length = be32(p + 8);
		if (e[i].id == 0)
			ok = report(err, errlen, file, e[i].at, "entry ID 0: expected 1 or more");
		else if (e[i].offset > len)
			ok = report(
			    err, errlen, file, e[i].at + 4,
			    "%s (entry ID %u) offset %u is past the end of the file (size %zu)",
			    entry_name(e[i].id), e[i].id, e[i].offset, len);
		else if (e[i].length > len - e[i].offset)
			ok = report(err, errlen, file, e[i].at + 8,
				    "%s (entry ID %u) length %u runs past the end of the file (at "
				    "offset %u, file size %zu)",
				    entry_name(e[i].id), e[i].id, e[i].length, e[i].offset, len);
		else if (e[i].length > 0 && e[i].offset < table_end)
			ok = report(
			    err, errlen, file, e[i].at + 4,
			    "%s (entry ID %u) at offset %u overlaps the header and entry table "
			    "(which end at %llu)",
			    entry_name(e[i].id), e[i].id, e[i].offset,
			    (unsigned long long)table_end);
		for (uint32_t j = 0; j < i && ok && e[i].id <= AS_FINDER_INFO; j++)
			if (e[j].id == e[i].id)
				ok = report(err, errlen, file, e[i].at,
					    "%s (entry ID %u) appears twice in the entry table",
					    entry_name(e[i].id), e[i].id);
	}
	if (ok && n > 1) {
		struct as_entry *s = malloc(sizeof *s * n);
		if (s == NULL) {
			free(e);
			return report(err, errlen, file, 0, "out of memory");
		}
		memcpy(s, e, sizeof *s * n);
		qsort(s, n, sizeof *s, compare_entry_offsets);
		uint64_t end = 0;
		const struct as_entry *last = NULL;
		for (uint32_t i = 0; i < n && ok; i++) {
			if (s[i].length == 0)
				continue;
			if (last != NULL && s[i].offset < end)
				ok = report(
				    err, errlen, file, s[i].at + 4,
				    "%s (entry ID %u, offsets %u to %llu) overlaps %s (entry ID "
				    "%u, which ends at %llu)",
				    entry_name(s[i].id), s[i].id, s[i].offset,
				    (unsigned long long)s[i].offset + s[i].length,
				    entry_name(last->id), last->id, (unsigned long long)end);
			if ((uint64_t)s[i].offset + s[i].length > end) {
				end = (uint64_t)s[i].offset + s[i].length;
				last = &s[i];
			}
		}
		free(s);
	}
	for (uint32_t i = 0; i < n && ok; i++) {
		const uint8_t *p = b + e[i].offset;
		switch (e[i].id) {
		case AS_DATA_FORK:
			mf->data = p;
			mf->data_length = e[i].length;
			break;
		case AS_RESOURCE_FORK:
			mf->rsrc = e[i].length ? p : NULL;
			mf->rsrc_length = e[i].length;
			mf->rsrc_file_offset = e[i].offset;
			break;
		case AS_REAL_NAME:
			set_name(mf, p, e[i].length);
			break;
		case AS_FINDER_INFO:
			if (e[i].length < 10) {
				ok = report(
				    err, errlen, file, e[i].at + 8,
				    "Finder info (entry ID 9) has %u bytes: expected at least 10 "
				    "(type, creator, flags)",
				    e[i].length);
				break;
			}
			mf->has_finder_info = true;
			mf->type = be32(p);
			mf->creator = be32(p + 4);
			mf->finder_flags = (uint16_t)be16(p + 8);
			break;
		}
	}
	free(e);
	return ok;
}

/* ---- Raw resource forks ---- */

/* A fork header as the Resource Manager writes it: data at 256 and the map
 * inside the file. The full check comes after, in resfork_open(). */
static bool looks_like_rsrc(const uint8_t *b, size_t len)
{
	if (len < 256 + 30)
		return false;
	uint64_t map_at = be32(b + 4), map_len = be32(b + 12);
	return be32(b) == 256 && map_at >= 256 && map_len >= 30 && map_at + map_len <= len;
}

static void use_raw_rsrc(struct mac_file *mf, const uint8_t *b, size_t len, const char *file)
{
	mf->container = MAC_RAW_RSRC;
	mf->rsrc = b;
	mf->rsrc_length = len;
	mf->rsrc_file_offset = 0;
	const char *base = base_name(file);
	size_t n = strlen(base);
	if (ends_with(base, ".rsrc"))
		n -= 5;
	set_name(mf, (const uint8_t *)base, n);
}

/* ---- Reading files ---- */

static bool read_file(const char *path, uint8_t **out, size_t *len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return false;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return false;
	}
	if ((uint64_t)st.st_size > MACFILE_MAX_SIZE) {
		snprintf(err, errlen,
			 "%s: %llu bytes is larger than the %u MiB a Mac file may have here", path,
			 (unsigned long long)st.st_size, MACFILE_MAX_SIZE >> 20);
		close(fd);
		return false;
	}
	size_t n = (size_t)st.st_size;
	uint8_t *buf = malloc(n ? n : 1);
	if (buf == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		close(fd);
		return false;
	}
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			snprintf(err, errlen, "%s: read error at offset %zu: %s", path, got,
				 r < 0 ? strerror(errno) : "file shrank while being read");
			free(buf);
			close(fd);
			return false;
		}
		got += (size_t)r;
	}
	close(fd);
	*out = buf;
	*len = n;
	return true;
}

static bool file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Checks the resource fork the container gave us, naming the file that
 * holds it and the offset in that file. */
static bool validate_fork(struct mac_file *mf, const char *file, char *err, size_t errlen)
{
	if (mf->rsrc_length == 0)
		return true;
	struct resfork_error re;
	if (!resfork_open(&mf->fork, mf->rsrc, mf->rsrc_length, &re))
		return report(err, errlen, file, mf->rsrc_file_offset + re.offset, "%s",
			      re.message);
	mf->has_fork = true;
	return true;
}

static bool parse_owned(const char *name, uint8_t *buf, size_t len, struct mac_file *mf, char *err,
			size_t errlen)
{
	mf->owned[0] = buf;
	if (len >= 4 && (be32(buf) == APPLESINGLE_MAGIC || be32(buf) == APPLEDOUBLE_MAGIC))
		return parse_applesingle(name, buf, len, mf, err, errlen);
	if (looks_like_macbinary(buf, len) || ends_with(name, ".bin") || ends_with(name, ".macbin"))
		return parse_macbinary(name, buf, len, mf, err, errlen);
	if (looks_like_rsrc(buf, len) || ends_with(name, ".rsrc")) {
		use_raw_rsrc(mf, buf, len, name);
		return true;
	}
	return report(err, errlen, name, 0,
		      "not MacBinary, AppleSingle, AppleDouble or a resource fork");
}

bool macfile_parse(const char *display_name, const uint8_t *bytes, size_t len, struct mac_file *mf,
		   char *err, size_t errlen)
{
	memset(mf, 0, sizeof *mf);
	uint8_t *copy = malloc(len ? len : 1);
	if (copy == NULL)
		return report(err, errlen, display_name, 0, "out of memory");
	memcpy(copy, bytes, len);
	if (!parse_owned(display_name, copy, len, mf, err, errlen) ||
	    !validate_fork(mf, display_name, err, errlen)) {
		macfile_free(mf);
		return false;
	}
	return true;
}

/* Sidecars looked for beside a plain data file D/B, in this order (the
 * man page lists the same): AppleDouble "D/._B", "D/%B",
 * "D/.AppleDouble/B", then a raw resource fork "D/B.rsrc". */
static bool find_sidecar(const char *path, char *out, size_t outlen)
{
	const char *base = base_name(path);
	int dirlen = (int)(base - path);
	static const char *const forms[] = {"%.*s._%s", "%.*s%%%s", "%.*s.AppleDouble/%s", NULL};
	for (int i = 0; forms[i]; i++) {
		snprintf(out, outlen, forms[i], dirlen, path, base);
		if (file_exists(out))
			return true;
	}
	snprintf(out, outlen, "%s.rsrc", path);
	return file_exists(out);
}

/* The data fork beside an AppleDouble header or a .rsrc file: "D/._B",
 * "D/%B", "D/.AppleDouble/B" and "D/B.rsrc" all belong to "D/B". */
static bool data_fork_of(const char *path, char *out, size_t outlen)
{
	const char *base = base_name(path);
	int dirlen = (int)(base - path);
	if (strncmp(base, "._", 2) == 0 && base[2])
		snprintf(out, outlen, "%.*s%s", dirlen, path, base + 2);
	else if (base[0] == '%' && base[1])
		snprintf(out, outlen, "%.*s%s", dirlen, path, base + 1);
	else if (ends_with(path, ".rsrc") && strlen(base) > 5)
		snprintf(out, outlen, "%.*s", (int)strlen(path) - 5, path);
	else if (dirlen >= 13 && strncmp(base - 13, ".AppleDouble/", 13) == 0)
		snprintf(out, outlen, "%.*s%s", dirlen - 13, path, base);
	else
		return false;
	return file_exists(out);
}

bool macfile_load(const char *path, struct mac_file *mf, char *err, size_t errlen)
{
	memset(mf, 0, sizeof *mf);
	uint8_t *buf;
	size_t len;
	if (!read_file(path, &buf, &len, err, errlen))
		return false;
	bool container =
	    (len >= 4 && (be32(buf) == APPLESINGLE_MAGIC || be32(buf) == APPLEDOUBLE_MAGIC)) ||
	    looks_like_macbinary(buf, len) || ends_with(path, ".bin") ||
	    ends_with(path, ".macbin") || ends_with(path, ".rsrc");
	char other[4096];
	if (container) {
		if (!parse_owned(path, buf, len, mf, err, errlen) ||
		    !validate_fork(mf, path, err, errlen))
			goto fail;
		/* A header file or a lone fork: the data fork is the file beside it. */
		if ((mf->container == MAC_APPLEDOUBLE || mf->container == MAC_RAW_RSRC) &&
		    data_fork_of(path, other, sizeof other)) {
			uint8_t *data;
			size_t dlen;
			if (!read_file(other, &data, &dlen, err, errlen))
				goto fail;
			mf->owned[1] = data;
			mf->data = data;
			mf->data_length = dlen;
		} else if (mf->container == MAC_APPLEDOUBLE) {
			/* The header alone: its name is not the data fork's. */
			mf->data = NULL;
			mf->data_length = 0;
		}
		if (mf->name_length == 0) {
			const char *base = base_name(path);
			if (strncmp(base, "._", 2) == 0)
				base += 2;
			else if (base[0] == '%')
				base++;
			set_name(mf, (const uint8_t *)base, strlen(base));
		}
		return true;
	}

	/* A plain data file, maybe with its resource fork beside it. */
	mf->owned[0] = buf;
	mf->data = buf;
	mf->data_length = len;
	const char *base = base_name(path);
	set_name(mf, (const uint8_t *)base, strlen(base));
	if (!find_sidecar(path, other, sizeof other)) {
		/* No sidecar: a file that is itself a resource fork is one. */
		if (looks_like_rsrc(buf, len)) {
			mf->data = NULL;
			mf->data_length = 0;
			use_raw_rsrc(mf, buf, len, path);
			if (!validate_fork(mf, path, err, errlen))
				goto fail;
			return true;
		}
		mf->container = MAC_DATA_ONLY;
		return true;
	}
	uint8_t *side;
	size_t slen;
	if (!read_file(other, &side, &slen, err, errlen))
		goto fail;
	mf->owned[1] = side;
	snprintf(mf->sidecar, sizeof mf->sidecar, "%s", other);
	if (ends_with(other, ".rsrc")) {
		mf->rsrc = side;
		mf->rsrc_length = slen;
		mf->rsrc_file_offset = 0;
	} else {
		struct mac_file hdr;
		memset(&hdr, 0, sizeof hdr);
		if (slen < 4 || be32(side) != APPLEDOUBLE_MAGIC) {
			report(err, errlen, other, 0,
			       "AppleDouble header expected beside %s (magic 0x00051607)", path);
			goto fail;
		}
		if (!parse_applesingle(other, side, slen, &hdr, err, errlen))
			goto fail;
		mf->has_finder_info = hdr.has_finder_info;
		mf->type = hdr.type;
		mf->creator = hdr.creator;
		mf->finder_flags = hdr.finder_flags;
		if (hdr.name_length)
			set_name(mf, (const uint8_t *)hdr.name, hdr.name_length);
		mf->rsrc = hdr.rsrc;
		mf->rsrc_length = hdr.rsrc_length;
		mf->rsrc_file_offset = hdr.rsrc_file_offset;
	}
	mf->container = MAC_DATA_SIDECAR;
	if (!validate_fork(mf, other, err, errlen))
		goto fail;
	return true;
fail:
	if (mf->owned[0] != buf)
		free(buf);
	macfile_free(mf);
	return false;
}
