/* toolbox/memory/zone.c: heap zones and the low-memory globals around them.
 * A zone is a 52-byte header (the Zone record), its blocks, and a trailer:
 * a minimum-sized free block at bkLim. The system zone sits low in RAM; the
 * application zone above it can grow up to ApplLimit (Inside Macintosh:
 * Memory 1-5 and 2-96). */
#include "config.h"

#include "toolbox/memory/mm_internal.h"

OSErr set_mem_err(struct mm *m, OSErr e)
{
	wr16(m, lmMemErr, (uint16_t)e);
	return e;
}

OSErr MemError(struct mm *m)
{
	return (OSErr)rd16(m, lmMemErr);
}

gaddr zone_first(struct mm *m, gaddr z)
{
	(void)m;
	return z + zHeapData;
}

gaddr zone_limit(struct mm *m, gaddr z)
{
	return strip(m, rd32(m, z + zBkLim));
}

void zone_add_free(struct mm *m, gaddr z, int32_t delta)
{
	wr32(m, z + zZcbFree, rd32(m, z + zZcbFree) + (uint32_t)delta);
}

void zone_count(struct mm *m, gaddr z, unsigned field, int delta)
{
	uint32_t v = (rd16(m, z + field) + (uint32_t)delta) & 0xFFFF;
	wr16(m, z + field, v);
	/* maxRel / maxNRel follow cntRel / cntNRel as high-water marks. */
	if ((field == zCntRel || field == zCntNRel) && v > rd16(m, z + field + 2))
		wr16(m, z + field + 2, v);
}

gaddr zone_containing(struct mm *m, gaddr a)
{
	gaddr cand[4] = {GetZone(m), ApplicationZone(m), SystemZone(m), m->temp_zone};
	a = strip(m, a);
	for (int i = 0; i < 4; i++) {
		gaddr z = cand[i];
		if (z && a >= z + zHeapData && a < zone_limit(m, z))
			return z;
	}
	return 0;
}

void copy_guest(struct mm *m, gaddr src, gaddr dst, uint32_t n)
{
	if (src == dst || !n)
		return;
	bool words = ((src | dst | n) & 3) == 0;
	if (dst < src) {
		if (words)
			for (uint32_t i = 0; i < n; i += 4)
				wr32(m, dst + i, rd32(m, src + i));
		else
			for (uint32_t i = 0; i < n; i++)
				wr8(m, dst + i, rd8(m, src + i));
	} else {
		if (words)
			for (uint32_t i = n; i; i -= 4)
				wr32(m, dst + i - 4, rd32(m, src + i - 4));
		else
			for (uint32_t i = n; i; i--)
				wr8(m, dst + i - 1, rd8(m, src + i - 1));
	}
}

void fill_guest(struct mm *m, gaddr dst, uint32_t n, uint8_t v)
{
	uint32_t i = 0;
	uint32_t w = v * 0x01010101u;
	for (; i < n && ((dst + i) & 3); i++)
		wr8(m, dst + i, v);
	for (; i + 4 <= n; i += 4)
		wr32(m, dst + i, w);
	for (; i < n; i++)
		wr8(m, dst + i, v);
}

void BlockMove(struct mm *m, gaddr src, gaddr dst, uint32_t n)
{
	copy_guest(m, src, dst, n);
	set_mem_err(m, mm_noErr);
}

void BlockMoveData(struct mm *m, gaddr src, gaddr dst, uint32_t n)
{
	BlockMove(m, src, dst, n);
}

gaddr StripAddress(struct mm *m, gaddr a)
{
	return strip(m, a);
}

/* Lays a fresh zone over [start, limit); does not touch TheZone. */
static OSErr build_zone(struct mm *m, gaddr start, gaddr limit, int16_t cMoreMasters,
			gaddr pGrowZone)
{
	start = strip(m, start);
	limit = strip(m, limit) & ~3u;
	if (start & 3)
		return memAdrErr;
	if (limit < start || limit - start < zHeapData + 2 * min_block(m))
		return memFullErr;
	gaddr first = start + zHeapData;
	gaddr trailer = limit - min_block(m);
	for (unsigned i = 0; i < zHeapData; i += 2)
		wr16(m, start + i, 0);
	wr32(m, start + zBkLim, trailer);
	wr32(m, start + zPurgePtr, first);
	wr32(m, start + zHFstFree, 0);
	wr32(m, start + zZcbFree, trailer - first);
	wr32(m, start + zGzProc, pGrowZone);
	wr16(m, start + zMoreMast, (uint16_t)(cMoreMasters > 0 ? cMoreMasters : 32));
	wr32(m, start + zAllocPtr, first);
	blk_write(m, first, tagFree, trailer - first, 0, 0, 0);
	blk_write(m, trailer, tagFree, min_block(m), 0, 0, 0);
	return mm_noErr;
}

/* Gives a new zone its first block of master pointers, as InitZone does. */
static OSErr first_masters(struct mm *m, gaddr z)
{
	gaddr old = GetZone(m);
	wr32(m, lmTheZone, z);
	OSErr e = MoreMasters(m);
	wr32(m, lmTheZone, old);
	return e;
}

OSErr InitZone(struct mm *m, gaddr startPtr, gaddr limitPtr, int16_t cMoreMasters, gaddr pGrowZone)
{
	OSErr e = build_zone(m, startPtr, limitPtr, cMoreMasters, pGrowZone);
	if (!e)
		e = first_masters(m, strip(m, startPtr));
	if (!e)
		wr32(m, lmTheZone, strip(m, startPtr));
	return set_mem_err(m, e);
}

OSErr InitApplZone(struct mm *m)
{
	gaddr z = ApplicationZone(m);
	if (!z)
		return set_mem_err(m, memAZErr);
	int16_t masters = (int16_t)rd16(m, z + zMoreMast);
	OSErr e = build_zone(m, z, m->appl_initial_end, masters, 0);
	if (!e)
		e = first_masters(m, z);
	if (!e) {
		wr32(m, lmTheZone, z);
		wr32(m, lmHeapEnd, zone_limit(m, z));
	}
	return set_mem_err(m, e);
}

OSErr SetApplBase(struct mm *m, gaddr startPtr)
{
	gaddr sys = SystemZone(m);
	startPtr = strip(m, startPtr);
	if ((startPtr & 3) || startPtr < zone_limit(m, sys) + min_block(m) ||
	    startPtr >= m->appl_initial_end)
		return set_mem_err(m, memAdrErr);
	wr32(m, lmApplZone, startPtr);
	return InitApplZone(m);
}

OSErr mm_init(struct mm *m, uint8_t *win, uint32_t mask, bool addr32, const struct mm_layout *l)
{
	*m = (struct mm){.win = win, .mask = mask, .addr32 = addr32};
	gaddr top = addr32 ? 0xFFFFFFFF : 0x00FFFFFF;
	if (l->sys_start >= l->sys_end || l->sys_end > l->appl_start ||
	    l->appl_start >= l->appl_end || l->appl_end > l->appl_limit ||
	    l->appl_limit > l->mem_top || l->mem_top - 1 > top)
		return memAdrErr;
	if (l->temp_end > l->temp_start &&
	    !(l->temp_start >= l->appl_limit && l->temp_end <= l->mem_top))
		return memAdrErr;
	wr32(m, lmMemTop, l->mem_top);
	wr32(m, lmBufPtr, l->mem_top);
	wr32(m, lmLo3Bytes, 0x00FFFFFF);
	wr8(m, lmMMU32Bit, addr32 ? 1 : 0);
	wr32(m, lmGZRootHnd, 0);
	wr32(m, lmGZRootPtr, 0);
	wr32(m, lmGZMoveHnd, 0);
	OSErr e = build_zone(m, l->sys_start, l->sys_end, l->sys_masters, 0);
	if (!e)
		e = first_masters(m, l->sys_start);
	if (e)
		return e;
	wr32(m, lmSysZone, l->sys_start);
	e = build_zone(m, l->appl_start, l->appl_end, l->appl_masters, 0);
	if (!e)
		e = first_masters(m, l->appl_start);
	if (e)
		return e;
	wr32(m, lmApplZone, l->appl_start);
	wr32(m, lmTheZone, l->appl_start);
	wr32(m, lmApplLimit, l->appl_limit);
	wr32(m, lmHeapEnd, zone_limit(m, l->appl_start));
	m->appl_initial_end = l->appl_end;
	if (l->temp_end > l->temp_start) {
		e = build_zone(m, l->temp_start, l->temp_end, 0, 0);
		if (!e)
			e = first_masters(m, l->temp_start);
		if (e)
			return e;
		m->temp_zone = l->temp_start;
	}
	return set_mem_err(m, mm_noErr);
}

gaddr GetZone(struct mm *m)
{
	set_mem_err(m, mm_noErr);
	return strip(m, rd32(m, lmTheZone));
}

void SetZone(struct mm *m, gaddr hz)
{
	wr32(m, lmTheZone, strip(m, hz));
	set_mem_err(m, mm_noErr);
}

void mm_zone_extent(struct mm *m, gaddr zone, gaddr *start, gaddr *end)
{
	zone = strip(m, zone);
	*start = zone;
	*end = zone_limit(m, zone) + min_block(m);
}

gaddr SystemZone(struct mm *m)
{
	return strip(m, rd32(m, lmSysZone));
}

gaddr ApplicationZone(struct mm *m)
{
	return strip(m, rd32(m, lmApplZone));
}

bool zone_extend(struct mm *m, gaddr z, uint32_t need)
{
	if (z != ApplicationZone(m))
		return false;
	gaddr old = zone_limit(m, z);
	gaddr cap = (strip(m, rd32(m, lmApplLimit)) - min_block(m)) & ~3u;
	gaddr target = old + ((need + 3) & ~3u);
	if (target > cap || target < old)
		target = cap;
	if (target <= old || target - old < min_block(m))
		return false;
	blk_write(m, old, tagFree, target - old, 0, 0, 0);
	zone_add_free(m, z, (int32_t)(target - old));
	blk_write(m, target, tagFree, min_block(m), 0, 0, 0);
	wr32(m, z + zBkLim, target);
	wr32(m, lmHeapEnd, target);
	return true;
}

OSErr MaxApplZone(struct mm *m)
{
	gaddr z = ApplicationZone(m);
	zone_extend(m, z, 0xFFFFFFF0u);
	return set_mem_err(m, mm_noErr);
}

OSErr SetApplLimit(struct mm *m, gaddr zoneLimit)
{
	gaddr z = ApplicationZone(m);
	zoneLimit = strip(m, zoneLimit);
	if (zoneLimit < zone_limit(m, z) + min_block(m))
		return set_mem_err(m, memFullErr);
	wr32(m, lmApplLimit, zoneLimit);
	return set_mem_err(m, mm_noErr);
}

gaddr GetApplLimit(struct mm *m)
{
	return strip(m, rd32(m, lmApplLimit));
}

int32_t StackSpace(struct mm *m, gaddr sp)
{
	set_mem_err(m, mm_noErr);
	gaddr end = strip(m, rd32(m, lmHeapEnd));
	sp = strip(m, sp);
	return sp > end ? (int32_t)(sp - end) : 0;
}

void SetGrowZone(struct mm *m, gaddr growZone)
{
	wr32(m, GetZone(m) + zGzProc, growZone);
	set_mem_err(m, mm_noErr);
}

gaddr GZSaveHnd(struct mm *m)
{
	return rd32(m, lmGZRootHnd);
}
