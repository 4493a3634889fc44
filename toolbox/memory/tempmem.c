/* toolbox/memory/tempmem.c: System 7 temporary memory. On a real Mac it is
 * the Process Manager's heap; here it is a zone of its own (mm->temp_zone,
 * set up by mm_init) or, without one, the system heap. Temporary handles are
 * ordinary handles of that zone, so MFTempHLock etc. are HLock etc.
 * (Inside Macintosh: Memory 2-71). */
#include "config.h"

#include "toolbox/memory/mm_internal.h"

static gaddr temp_zone(struct mm *m)
{
	return m->temp_zone ? m->temp_zone : SystemZone(m);
}

gaddr TempNewHandle(struct mm *m, int32_t size, OSErr *err)
{
	gaddr h = new_handle_in(m, temp_zone(m), size, false);
	*err = MemError(m);
	return h;
}

gaddr MFTempNewHandle(struct mm *m, int32_t size, OSErr *err)
{
	return TempNewHandle(m, size, err);
}

int32_t TempFreeMem(struct mm *m)
{
	set_mem_err(m, mm_noErr);
	return (int32_t)rd32(m, temp_zone(m) + zZcbFree);
}

int32_t TempMaxMem(struct mm *m, int32_t *grow)
{
	if (grow)
		*grow = 0;
	set_mem_err(m, mm_noErr);
	return max_block_in(m, temp_zone(m));
}

void TempHLock(struct mm *m, gaddr h, OSErr *err)
{
	*err = HLock(m, h);
}

void TempHUnlock(struct mm *m, gaddr h, OSErr *err)
{
	*err = HUnlock(m, h);
}

void TempDisposeHandle(struct mm *m, gaddr h, OSErr *err)
{
	*err = DisposeHandle(m, h);
}

gaddr TempTopMem(struct mm *m, gaddr *currentAppTop)
{
	if (currentAppTop)
		*currentAppTop = zone_limit(m, ApplicationZone(m)) + min_block(m);
	set_mem_err(m, mm_noErr);
	if (!m->temp_zone)
		return rd32(m, lmMemTop); /* an end: 0x01000000 is not stripped */
	return zone_limit(m, m->temp_zone) + min_block(m);
}
