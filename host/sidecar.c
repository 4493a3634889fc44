/* AppleDouble sidecars ("._NAME" beside NAME) as vm68k reads and writes them
 * for a volume's files: Finder info and the resource fork. Reading accepts
 * any valid AppleDouble header (v1 or v2, entries in any order, each checked
 * against the file's size as host/macfile.c does). It is not macfile.c's
 * parser because that one reads the whole file and validates the resource
 * fork, and a fork the guest is half way through writing is not valid yet;
 * tests/files_test.c checks that macfile.c reads what is written here.
 * Writing always produces the layout macOS uses, Finder info (32 bytes) at
 * 50 and the resource fork last at 82, so the fork can grow in place. */
#include "config.h"

#include "host/volumes.h"
#include "toolbox/files.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	AD_MAGIC = 0x00051607,
	AD_HEADER = 26,
	AD_ENTRY = 12,
	AD_RSRC = 2,
	AD_FINDER_INFO = 9,
	AD_MAX_ENTRIES = 64, /* more than any writer uses; a larger table is refused */
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static bool pread_all(int fd, void *buf, size_t n, off_t at)
{
	uint8_t *b = buf;
	while (n > 0) {
		ssize_t r = pread(fd, b, n, at);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		b += r;
		n -= (size_t)r;
		at += r;
	}
	return true;
}

static bool pwrite_all(int fd, const void *buf, size_t n, off_t at)
{
	const uint8_t *b = buf;
	while (n > 0) {
		ssize_t r = pwrite(fd, b, n, at);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		b += r;
		n -= (size_t)r;
		at += r;
	}
	return true;
}

int sidecar_read(int fd, struct sidecar *sc)
{
	memset(sc, 0, sizeof *sc);
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return ioErr;
	uint64_t size = (uint64_t)st.st_size;
	uint8_t head[AD_HEADER + AD_ENTRY * AD_MAX_ENTRIES];
	if (size < AD_HEADER || !pread_all(fd, head, AD_HEADER, 0) || be32(head) != AD_MAGIC ||
	    (be32(head + 4) != 0x00010000 && be32(head + 4) != 0x00020000))
		return ioErr;
	unsigned n = (unsigned)head[24] << 8 | head[25];
	if (n > AD_MAX_ENTRIES || AD_HEADER + (uint64_t)AD_ENTRY * n > size ||
	    !pread_all(fd, head + AD_HEADER, (size_t)AD_ENTRY * n, AD_HEADER))
		return ioErr;
	uint64_t rsrc_end = 0, last_end = 0;
	bool have_rsrc = false;
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *e = head + AD_HEADER + AD_ENTRY * i;
		uint32_t id = be32(e), off = be32(e + 4), len = be32(e + 8);
		if ((uint64_t)off + len > size)
			return ioErr;
		if ((uint64_t)off + len > last_end)
			last_end = (uint64_t)off + len;
		if (id == AD_FINDER_INFO) {
			uint8_t fi[FM_FINDER_INFO];
			memset(fi, 0, sizeof fi);
			size_t take = len < sizeof fi ? len : sizeof fi;
			if (take && !pread_all(fd, fi, take, off))
				return ioErr;
			memcpy(sc->finder_info, fi, sizeof fi);
			if (len >= sizeof fi)
				sc->finfo_offset = off;
		} else if (id == AD_RSRC && !have_rsrc) {
			have_rsrc = true;
			sc->rsrc_offset = off;
			sc->rsrc_length = len;
			sc->rsrc_entry_at = AD_HEADER + AD_ENTRY * i + 8;
			rsrc_end = (uint64_t)off + len;
		}
	}
	sc->exists = true;
	/* The fork may grow in place only if no other entry lies after it. */
	sc->rsrc_last = have_rsrc && rsrc_end >= last_end && rsrc_end == size;
	return noErr;
}

int sidecar_write(int fd, const uint8_t finder_info[FM_FINDER_INFO], const uint8_t *rsrc,
		  uint32_t rsrc_len)
{
	uint8_t head[SIDECAR_RSRC_OFFSET];
	memset(head, 0, sizeof head);
	put32(head, AD_MAGIC);
	put32(head + 4, 0x00020000);
	head[25] = 2;
	put32(head + 26, AD_FINDER_INFO);
	put32(head + 30, 50);
	put32(head + 34, FM_FINDER_INFO);
	put32(head + 38, AD_RSRC);
	put32(head + 42, SIDECAR_RSRC_OFFSET);
	put32(head + SIDECAR_RSRC_LENGTH_AT, rsrc_len);
	memcpy(head + 50, finder_info, FM_FINDER_INFO);
	if (ftruncate(fd, 0) != 0 || !pwrite_all(fd, head, sizeof head, 0) ||
	    (rsrc_len && !pwrite_all(fd, rsrc, rsrc_len, SIDECAR_RSRC_OFFSET)))
		return errno == ENOSPC || errno == EDQUOT ? dskFulErr : ioErr;
	return noErr;
}
