/* toolbox/memory/purge.c: purging. An unlocked purgeable relocatable block
 * may be freed when space is short; its master pointer becomes NIL and the
 * handle stays valid but empty, to be refilled with ReallocateHandle. The
 * zone's purge warning procedure (68K) runs first, through a hook. */
#include "config.h"

#include "toolbox/memory/mm_internal.h"

bool blk_purgeable(struct mm *m, gaddr z, gaddr b, gaddr protect_h)
{
	if (blk_tag(m, b) != tagRel)
		return false;
	if ((blk_flags(m, z, b) & (mm_lockBit | mm_purgeBit)) != mm_purgeBit)
		return false;
	return !protect_h || z + blk_link(m, b) != strip(m, protect_h);
}

void purge_block(struct mm *m, gaddr z, gaddr b)
{
	gaddr h = z + blk_link(m, b);
	gaddr proc = rd32(m, z + zPurgeProc);
	if (proc && m->call_purge_proc)
		m->call_purge_proc(m, z, proc, h);
	zone_count(m, z, zCntRel, -1);
	zone_count(m, z, zCntEmpty, +1);
	wr32(m, h, 0);
	blk_release(m, z, b);
	m->purges++;
}

bool purge_for(struct mm *m, gaddr z, uint32_t need, gaddr protect_h)
{
	if (max_after_compaction(m, z, false) >= need)
		return true;
	bool purged = false;
	gaddr lim = zone_limit(m, z);
	for (gaddr b = zone_first(m, z); b < lim; b = blk_next(m, z, b)) {
		if (!blk_purgeable(m, z, b, protect_h))
			continue;
		purge_block(m, z, b);
		purged = true;
		if (max_after_compaction(m, z, false) >= need)
			return true;
	}
	(void)purged;
	return false;
}

static OSErr purge_mem_in(struct mm *m, gaddr z, int32_t cbNeeded)
{
	uint32_t need = cbNeeded < 0 ? 0 : phys_for(m, (uint32_t)cbNeeded);
	if (largest_free(m, z) >= need)
		return set_mem_err(m, mm_noErr);
	gaddr lim = zone_limit(m, z);
	for (gaddr b = zone_first(m, z); b < lim; b = blk_next(m, z, b)) {
		if (!blk_purgeable(m, z, b, 0))
			continue;
		purge_block(m, z, b);
		if (largest_free(m, z) >= need)
			return set_mem_err(m, mm_noErr);
	}
	return set_mem_err(m, memFullErr);
}

OSErr PurgeMem(struct mm *m, int32_t cbNeeded)
{
	return purge_mem_in(m, GetZone(m), cbNeeded);
}

OSErr PurgeMemSys(struct mm *m, int32_t cbNeeded)
{
	return purge_mem_in(m, SystemZone(m), cbNeeded);
}

void PurgeSpace(struct mm *m, int32_t *total, int32_t *contig)
{
	gaddr z = GetZone(m);
	uint32_t t = rd32(m, z + zZcbFree);
	gaddr lim = zone_limit(m, z);
	for (gaddr b = zone_first(m, z); b < lim; b = blk_next(m, z, b))
		if (blk_purgeable(m, z, b, 0))
			t += blk_size(m, b);
	uint32_t c = max_after_compaction(m, z, true);
	*total = t > hdr_size(m) ? (int32_t)(t - hdr_size(m)) : 0;
	*contig = c > hdr_size(m) ? (int32_t)(c - hdr_size(m)) : 0;
	set_mem_err(m, mm_noErr);
}

static int32_t max_mem_in(struct mm *m, gaddr z, int32_t *grow)
{
	compact_zone(m, z, 0);
	gaddr lim = zone_limit(m, z);
	for (gaddr b = zone_first(m, z); b < lim; b = blk_next(m, z, b))
		if (blk_purgeable(m, z, b, 0))
			purge_block(m, z, b);
	compact_zone(m, z, 0);
	if (grow) {
		gaddr appl_limit = rd32(m, lmApplLimit);
		gaddr end = zone_limit(m, z) + min_block(m);
		*grow =
		    (z == ApplicationZone(m) && appl_limit > end) ? (int32_t)(appl_limit - end) : 0;
	}
	set_mem_err(m, mm_noErr);
	uint32_t p = largest_free(m, z);
	return p > hdr_size(m) ? (int32_t)(p - hdr_size(m)) : 0;
}

int32_t MaxMem(struct mm *m, int32_t *grow)
{
	return max_mem_in(m, GetZone(m), grow);
}

int32_t MaxMemSys(struct mm *m, int32_t *grow)
{
	return max_mem_in(m, SystemZone(m), grow);
}

int32_t FreeMem(struct mm *m)
{
	set_mem_err(m, mm_noErr);
	return (int32_t)rd32(m, GetZone(m) + zZcbFree);
}

int32_t FreeMemSys(struct mm *m)
{
	set_mem_err(m, mm_noErr);
	return (int32_t)rd32(m, SystemZone(m) + zZcbFree);
}
