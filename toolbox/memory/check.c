/* toolbox/memory/check.c: the heap checker and the zone dumper. The checker
 * walks a zone the way the Memory Manager does and reports the first thing
 * that is not as it must be (used after every step of the stress test, and
 * by the debugger's heap check); the dumper prints blocks like MacsBug's hd. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>

#include "toolbox/memory/mm_internal.h"

struct range {
	gaddr lo, hi;
};

static bool fail(char *why, size_t len, const char *fmt, ...)
{
	if (why && len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return false;
}

static int cmp_addr(const void *a, const void *b)
{
	gaddr x = *(const gaddr *)a, y = *(const gaddr *)b;
	return x < y ? -1 : x > y;
}

static bool in_ranges(const struct range *r, size_t n, gaddr a)
{
	for (size_t i = 0; i < n; i++)
		if (a >= r[i].lo && a + 4 <= r[i].hi)
			return true;
	return false;
}

static bool check(struct mm *m, gaddr z, char *why, size_t len, struct range **nrel_out,
		  gaddr **mps_out)
{
	uint32_t hs = hdr_size(m), mb = min_block(m);
	gaddr first = zone_first(m, z), lim = zone_limit(m, z);
	if (z & 3)
		return fail(why, len, "zone %08X: not long-aligned", z);
	if (lim < first || (lim & 3) || lim - first > (m->mask & ~3u))
		return fail(why, len,
			    "zone %08X: bkLim %08X is not a block boundary above heapData", z, lim);
	size_t cap = 64, nn = 0, nm = 0;
	struct range *nrel = malloc(cap * sizeof *nrel);
	gaddr *mps = malloc(cap * sizeof *mps);
	size_t capm = cap;
	*nrel_out = nrel;
	*mps_out = mps;
	if (!nrel || !mps)
		return fail(why, len, "out of host memory");
	uint32_t free_sum = 0;
	gaddr alloc = rd32(m, z + zAllocPtr), purge = rd32(m, z + zPurgePtr);
	bool alloc_ok = alloc == lim || alloc == 0, purge_ok = purge == lim || purge == 0;
	gaddr b = first;
	while (b < lim) {
		uint32_t s = blk_size(m, b);
		uint32_t byte0 = rd8(m, b);
		if (s < mb || (s & 3) || s > lim - b)
			return fail(why, len,
				    "block %08X: physical size %X (zone %08X, bkLim %08X)", b, s, z,
				    lim);
		if (b == alloc)
			alloc_ok = true;
		if (b == purge)
			purge_ok = true;
		unsigned t = blk_tag(m, b);
		if (t == 0xC0 || (m->addr32 ? (byte0 & 0x3F) || rd8(m, b + 2) : (byte0 & 0x30)))
			return fail(why, len, "block %08X: bad tag byte %02X", b, byte0);
		if (t != tagFree && blk_corr(m, b) > s - hs)
			return fail(why, len,
				    "block %08X: size correction %u larger than the block", b,
				    blk_corr(m, b));
		if (t == tagFree) {
			free_sum += s;
		} else if (t == tagNRel) {
			if (strip(m, blk_link(m, b)) != z)
				return fail(why, len,
					    "nonrelocatable block %08X: zone field %08X, not %08X",
					    b, blk_link(m, b), z);
			if (nn == cap) {
				cap *= 2;
				struct range *r = realloc(nrel, cap * sizeof *nrel);
				if (!r)
					return fail(why, len, "out of host memory");
				*nrel_out = nrel = r;
			}
			nrel[nn++] = (struct range){b + hs, b + s};
		} else {
			gaddr mp = z + blk_link(m, b);
			if ((mp & 3) || mp < first || mp >= lim)
				return fail(
				    why, len,
				    "relocatable block %08X: master pointer %08X outside the zone",
				    b, mp);
			uint32_t v = rd32(m, mp);
			if (strip(m, v) != b + hs)
				return fail(why, len,
					    "relocatable block %08X: master pointer %08X holds "
					    "%08X, not %08X",
					    b, mp, v, b + hs);
			if (!m->addr32 && (v & 0x1F000000))
				return fail(
				    why, len,
				    "master pointer %08X: stray bits in the flags byte (%08X)", mp,
				    v);
			if (nm == capm) {
				capm *= 2;
				gaddr *r = realloc(mps, capm * sizeof *mps);
				if (!r)
					return fail(why, len, "out of host memory");
				*mps_out = mps = r;
			}
			mps[nm++] = mp;
		}
		b += s;
	}
	if (b != lim)
		return fail(why, len, "zone %08X: blocks end at %08X, bkLim is %08X", z, b, lim);
	if (blk_tag(m, lim) != tagFree || blk_size(m, lim) != mb)
		return fail(why, len, "zone %08X: trailer at %08X is not a %u-byte free block", z,
			    lim, mb);
	if (!alloc_ok)
		return fail(why, len, "zone %08X: allocPtr %08X is not a block boundary", z, alloc);
	if (!purge_ok)
		return fail(why, len, "zone %08X: purgePtr %08X is not a block boundary", z, purge);
	if (rd32(m, z + zZcbFree) != free_sum)
		return fail(why, len, "zone %08X: zcbFree %X, free blocks hold %X", z,
			    rd32(m, z + zZcbFree), free_sum);
	if (rd16(m, z + zCntRel) != (nm & 0xFFFF))
		return fail(why, len, "zone %08X: cntRel %u, %zu relocatable blocks", z,
			    rd16(m, z + zCntRel), nm);
	if (rd16(m, z + zCntNRel) != (nn & 0xFFFF))
		return fail(why, len, "zone %08X: cntNRel %u, %zu nonrelocatable blocks", z,
			    rd16(m, z + zCntNRel), nn);
	qsort(mps, nm, sizeof *mps, cmp_addr);
	for (size_t i = 0; i < nm; i++) {
		if (i && mps[i] == mps[i - 1])
			return fail(why, len, "master pointer %08X is used by two blocks", mps[i]);
		if (!in_ranges(nrel, nn, mps[i]))
			return fail(why, len,
				    "master pointer %08X is not in a nonrelocatable block", mps[i]);
	}
	/* The counts are 16-bit words, as on the Mac: compared modulo 65536. */
	uint32_t handles = rd16(m, z + zCntHandles), nfree = 0;
	for (gaddr mp = rd32(m, z + zHFstFree); mp; mp = rd32(m, mp)) {
		if (++nfree > (lim - first) / 4)
			return fail(
			    why, len,
			    "zone %08X: free master pointer list longer than the zone holds "
			    "(a loop?)",
			    z);
		if ((mp & 3) || !in_ranges(nrel, nn, mp))
			return fail(why, len,
				    "free master pointer %08X is not in a nonrelocatable block",
				    mp);
		if (bsearch(&mp, mps, nm, sizeof *mps, cmp_addr))
			return fail(why, len, "free master pointer %08X is in use by a block", mp);
	}
	uint32_t empty = rd16(m, z + zCntEmpty);
	if (handles != ((nfree + nm + empty) & 0xFFFF))
		return fail(why, len,
			    "zone %08X: cntHandles %u, but %u free + %zu in use + %u empty", z,
			    handles, nfree, nm, empty);
	return true;
}

bool mm_check_zone(struct mm *m, gaddr zone, char *why, size_t why_len)
{
	struct range *nrel = NULL;
	gaddr *mps = NULL;
	bool ok = check(m, strip(m, zone), why, why_len, &nrel, &mps);
	free(nrel);
	free(mps);
	if (ok && why && why_len)
		why[0] = 0;
	return ok;
}

bool mm_check_all(struct mm *m, char *why, size_t why_len)
{
	gaddr zones[4] = {SystemZone(m), ApplicationZone(m), m->temp_zone,
			  strip(m, rd32(m, lmTheZone))};
	for (int i = 0; i < 4; i++) {
		bool seen = false;
		for (int j = 0; j < i; j++)
			seen |= zones[j] == zones[i];
		if (zones[i] && !seen && !mm_check_zone(m, zones[i], why, why_len))
			return false;
	}
	return true;
}

void mm_dump_zone(struct mm *m, gaddr z, FILE *out)
{
	z = strip(m, z);
	gaddr lim = zone_limit(m, z);
	fprintf(out,
		"Zone %08X  bkLim %08X  zcbFree %08X  hFstFree %08X  gzProc %08X  moreMast %u\n", z,
		lim, rd32(m, z + zZcbFree), rd32(m, z + zHFstFree), rd32(m, z + zGzProc),
		rd16(m, z + zMoreMast));
	fprintf(out, " Start    Length   Tag Mstr Ptr Lock Prg Res\n");
	unsigned counts[3] = {0, 0, 0};
	uint32_t bytes[3] = {0, 0, 0};
	gaddr first = zone_first(m, z);
	for (gaddr b = first; b < lim;) {
		uint32_t s = blk_size(m, b);
		if (s < min_block(m) || s > lim - b) {
			fprintf(out, " %08X  bad block size %08X: walk stopped\n", b, s);
			return;
		}
		unsigned t = blk_tag(m, b);
		int k = t == tagFree ? 0 : t == tagNRel ? 1 : 2;
		counts[k]++;
		bytes[k] += s;
		gaddr d = blk_data(m, b);
		if (t == tagFree) {
			fprintf(out, " %08X %08X  F\n", d, s - hdr_size(m));
		} else if (t == tagNRel) {
			fprintf(out, " %08X %08X  N\n", d, blk_logical(m, b));
		} else {
			unsigned f = blk_flags(m, z, b);
			fprintf(out, " %08X %08X  R  %08X  %s   %s   %s\n", d, blk_logical(m, b),
				z + blk_link(m, b), f & mm_lockBit ? "L" : " ",
				f & mm_purgeBit ? "P" : " ", f & mm_resourceBit ? "R" : " ");
		}
		b += s;
	}
	fprintf(out, " %u free blocks (%X bytes), %u nonrelocatable (%X), %u relocatable (%X)\n",
		counts[0], bytes[0], counts[1], bytes[1], counts[2], bytes[2]);
}
