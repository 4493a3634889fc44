/* toolbox/memory/handle.c: relocatable blocks and master pointers. A handle
 * is the address of a master pointer; master pointers come in nonrelocatable
 * blocks of moreMast entries, free ones chained from the zone's hFstFree. A
 * relocatable block's header holds its master pointer's offset from the zone
 * start, so the zone of any handle can be found from its block. */
#include "config.h"

#include "toolbox/memory/mm_internal.h"

/* One more block of master pointers in zone z. */
static OSErr more_masters_in(struct mm *m, gaddr z)
{
	int32_t n = (int16_t)rd16(m, z + zMoreMast);
	if (n <= 0)
		n = 32;
	uint32_t logical = (uint32_t)n * 4;
	uint32_t phys = phys_for(m, logical);
	gaddr f = find_space(m, z, phys, true, 0);
	if (!f)
		return memFullErr;
	gaddr b = blk_carve(m, z, f, phys, tagNRel, logical, z);
	gaddr d = blk_data(m, b);
	gaddr next = rd32(m, z + zHFstFree);
	for (int32_t i = n - 1; i >= 0; i--) {
		wr32(m, d + 4 * (uint32_t)i, next);
		next = d + 4 * (uint32_t)i;
	}
	wr32(m, z + zHFstFree, d);
	zone_count(m, z, zCntHandles, n);
	return mm_noErr;
}

OSErr MoreMasters(struct mm *m)
{
	return set_mem_err(m, more_masters_in(m, GetZone(m)));
}

/* A free master pointer of zone z, set to NIL; 0 if none can be had. */
static gaddr take_master(struct mm *m, gaddr z)
{
	if (!rd32(m, z + zHFstFree) && more_masters_in(m, z))
		return 0;
	gaddr mp = rd32(m, z + zHFstFree);
	wr32(m, z + zHFstFree, rd32(m, mp));
	wr32(m, mp, 0);
	return mp;
}

static void give_master(struct mm *m, gaddr z, gaddr mp)
{
	wr32(m, mp, rd32(m, z + zHFstFree));
	wr32(m, z + zHFstFree, mp);
}

OSErr handle_block(struct mm *m, gaddr h, gaddr *zp, gaddr *bp)
{
	h = strip(m, h);
	if (!h)
		return nilHandleErr;
	if (h & 1)
		return memAdrErr;
	gaddr p = strip(m, rd32(m, h));
	if (!p)
		return nilHandleErr;
	if (p & 1 || p < hdr_size(m))
		return memWZErr;
	gaddr b = p - hdr_size(m);
	if (blk_tag(m, b) != tagRel)
		return memWZErr;
	gaddr z = h - blk_link(m, b);
	if (b < z + zHeapData || b >= zone_limit(m, z))
		return memWZErr;
	*zp = z;
	*bp = b;
	return mm_noErr;
}

/* Fills block b of zone z for master pointer mp: header flags clear. */
static gaddr fill_handle(struct mm *m, gaddr z, gaddr mp, gaddr f, uint32_t size, bool clear)
{
	gaddr b = blk_carve(m, z, f, phys_for(m, size), tagRel, size, mp - z);
	wr32(m, mp, blk_data(m, b) & (m->addr32 ? 0xFFFFFFFF : 0x00FFFFFF));
	if (clear)
		fill_guest(m, blk_data(m, b), size, 0);
	return b;
}

gaddr new_handle_in(struct mm *m, gaddr z, int32_t size, bool clear)
{
	if (size < 0) {
		set_mem_err(m, memSCErr);
		return 0;
	}
	if ((uint32_t)size > max_logical(m)) {
		set_mem_err(m, memFullErr);
		return 0;
	}
	gaddr mp = take_master(m, z);
	if (!mp) {
		set_mem_err(m, memFullErr);
		return 0;
	}
	gaddr f = find_space(m, z, phys_for(m, (uint32_t)size), false, 0);
	if (!f) {
		give_master(m, z, mp);
		set_mem_err(m, memFullErr);
		return 0;
	}
	fill_handle(m, z, mp, f, (uint32_t)size, clear);
	set_mem_err(m, mm_noErr);
	return mp;
}

gaddr mm_new_handle(struct mm *m, int32_t size, uint16_t trap_flags)
{
	gaddr z = (trap_flags & mm_trapSys) ? SystemZone(m) : GetZone(m);
	return new_handle_in(m, z, size, trap_flags & mm_trapClear);
}

gaddr NewHandle(struct mm *m, int32_t size)
{
	return mm_new_handle(m, size, 0);
}

gaddr NewHandleSys(struct mm *m, int32_t size)
{
	return mm_new_handle(m, size, mm_trapSys);
}

gaddr NewHandleClear(struct mm *m, int32_t size)
{
	return mm_new_handle(m, size, mm_trapClear);
}

gaddr NewHandleSysClear(struct mm *m, int32_t size)
{
	return mm_new_handle(m, size, mm_trapSys | mm_trapClear);
}

static gaddr new_empty_in(struct mm *m, gaddr z)
{
	gaddr mp = take_master(m, z);
	if (!mp) {
		set_mem_err(m, memFullErr);
		return 0;
	}
	zone_count(m, z, zCntEmpty, +1);
	set_mem_err(m, mm_noErr);
	return mp;
}

gaddr NewEmptyHandle(struct mm *m)
{
	return new_empty_in(m, GetZone(m));
}

gaddr NewEmptyHandleSys(struct mm *m)
{
	return new_empty_in(m, SystemZone(m));
}

/* The zone of h, empty or not; 0 if it cannot be told. */
static gaddr zone_of_handle(struct mm *m, gaddr h)
{
	gaddr z, b;
	if (!handle_block(m, h, &z, &b))
		return z;
	return zone_containing(m, h);
}

OSErr DisposeHandle(struct mm *m, gaddr h)
{
	gaddr z, b;
	h = strip(m, h);
	if (!h)
		return set_mem_err(m, nilHandleErr);
	OSErr e = handle_block(m, h, &z, &b);
	if (e == nilHandleErr) { /* an empty handle: only its master pointer goes */
		z = zone_containing(m, h);
		if (!z)
			return set_mem_err(m, memWZErr);
		zone_count(m, z, zCntEmpty, -1);
	} else if (e) {
		return set_mem_err(m, e);
	} else {
		zone_count(m, z, zCntRel, -1);
		blk_release(m, z, b);
	}
	give_master(m, z, h);
	return set_mem_err(m, mm_noErr);
}

int32_t GetHandleSize(struct mm *m, gaddr h)
{
	gaddr z, b;
	OSErr e = handle_block(m, h, &z, &b);
	if (e)
		return set_mem_err(m, e);
	set_mem_err(m, mm_noErr);
	return (int32_t)blk_logical(m, b);
}

bool resize_in_place(struct mm *m, gaddr z, gaddr b, uint32_t phys, uint32_t logical)
{
	uint32_t cur = blk_size(m, b);
	uint32_t hs = hdr_size(m);
	if (phys <= cur) {
		if (cur - phys >= min_block(m)) {
			blk_set_size(m, b, phys, phys - hs - logical);
			blk_write(m, b + phys, tagFree, cur - phys, 0, 0, 0);
			zone_add_free(m, z, (int32_t)(cur - phys));
			merge_after(m, z, b + phys);
		} else {
			blk_set_size(m, b, cur, cur - hs - logical);
		}
		return true;
	}
	uint32_t extra = phys - cur;
	gaddr n = b + cur;
	if (n == zone_limit(m, z) && !zone_extend(m, z, extra))
		return false;
	if (blk_tag(m, n) == tagFree)
		merge_after(m, z, n);
	if ((blk_tag(m, n) != tagFree || blk_size(m, n) < extra) &&
	    !clear_window(m, z, n, extra, b))
		return false;
	uint32_t fs = blk_size(m, n);
	if (rd32(m, z + zAllocPtr) == n)
		wr32(m, z + zAllocPtr, b);
	if (rd32(m, z + zPurgePtr) == n)
		wr32(m, z + zPurgePtr, b);
	if (fs - extra >= min_block(m)) {
		blk_write(m, b + phys, tagFree, fs - extra, 0, 0, 0);
		zone_add_free(m, z, -(int32_t)extra);
	} else {
		zone_add_free(m, z, -(int32_t)fs);
		phys = cur + fs;
	}
	blk_set_size(m, b, phys, phys - hs - logical);
	return true;
}

OSErr SetHandleSize(struct mm *m, gaddr h, int32_t size)
{
	gaddr z, b;
	OSErr e = handle_block(m, h, &z, &b);
	if (e)
		return set_mem_err(m, e);
	if (size < 0)
		return set_mem_err(m, memSCErr);
	if ((uint32_t)size > max_logical(m))
		return set_mem_err(m, memFullErr);
	uint32_t phys = phys_for(m, (uint32_t)size);
	if (resize_in_place(m, z, b, phys, (uint32_t)size))
		return set_mem_err(m, mm_noErr);
	if (blk_flags(m, z, b) & mm_lockBit)
		return set_mem_err(m, memFullErr);
	/* Move it: find room (which may itself move or purge other blocks,
	 * and move this one), copy, free the old block. */
	gaddr f = find_space(m, z, phys, false, h);
	if (!f)
		return set_mem_err(m, memFullErr);
	b = strip(m, rd32(m, strip(m, h))) - hdr_size(m);
	uint32_t old = blk_logical(m, b);
	unsigned flags = m->addr32 ? blk_flags(m, z, b) : 0;
	gaddr nb = blk_carve(m, z, f, phys, tagRel, (uint32_t)size, blk_link(m, b));
	if (m->addr32)
		wr8(m, nb + 1, flags);
	copy_guest(m, blk_data(m, b), blk_data(m, nb), old < (uint32_t)size ? old : (uint32_t)size);
	blk_point_mp(m, z, nb);
	zone_count(m, z, zCntRel, -1);
	blk_release(m, z, b);
	return set_mem_err(m, mm_noErr);
}

gaddr HandleZone(struct mm *m, gaddr h)
{
	if (!strip(m, h)) {
		set_mem_err(m, nilHandleErr);
		return 0;
	}
	gaddr z = zone_of_handle(m, h);
	set_mem_err(m, z ? mm_noErr : memWZErr);
	return z;
}

gaddr RecoverHandle(struct mm *m, gaddr p)
{
	p = strip(m, p);
	gaddr z = zone_containing(m, p);
	if (!z || p < hdr_size(m) || blk_tag(m, p - hdr_size(m)) != tagRel) {
		set_mem_err(m, memWZErr);
		return 0;
	}
	gaddr h = z + blk_link(m, p - hdr_size(m));
	if (strip(m, rd32(m, h)) != p) {
		set_mem_err(m, memWZErr);
		return 0;
	}
	set_mem_err(m, mm_noErr);
	return h;
}

OSErr EmptyHandle(struct mm *m, gaddr h)
{
	gaddr z, b;
	OSErr e = handle_block(m, h, &z, &b);
	if (e == nilHandleErr && strip(m, h))
		return set_mem_err(m, mm_noErr); /* already empty */
	if (e)
		return set_mem_err(m, e);
	if (blk_flags(m, z, b) & mm_lockBit)
		return set_mem_err(m, memPurErr);
	zone_count(m, z, zCntRel, -1);
	zone_count(m, z, zCntEmpty, +1);
	wr32(m, strip(m, h), 0);
	blk_release(m, z, b);
	return set_mem_err(m, mm_noErr);
}

OSErr ReallocateHandle(struct mm *m, gaddr h, int32_t size)
{
	gaddr z, b;
	h = strip(m, h);
	OSErr e = handle_block(m, h, &z, &b);
	if (e == nilHandleErr && h) {
		z = zone_containing(m, h);
		if (!z)
			return set_mem_err(m, memWZErr);
	} else if (e) {
		return set_mem_err(m, e);
	} else {
		if (blk_flags(m, z, b) & mm_lockBit)
			return set_mem_err(m, memLockedErr);
		zone_count(m, z, zCntRel, -1);
		zone_count(m, z, zCntEmpty, +1);
		wr32(m, h, 0);
		blk_release(m, z, b);
	}
	if (size < 0)
		return set_mem_err(m, memSCErr);
	if ((uint32_t)size > max_logical(m))
		return set_mem_err(m, memFullErr);
	gaddr f = find_space(m, z, phys_for(m, (uint32_t)size), false, 0);
	if (!f)
		return set_mem_err(m, memFullErr);
	fill_handle(m, z, h, f, (uint32_t)size, false);
	zone_count(m, z, zCntEmpty, -1);
	return set_mem_err(m, mm_noErr);
}

/* ---- flags ---- */

static OSErr change_flags(struct mm *m, gaddr h, unsigned set, unsigned clear)
{
	gaddr z, b;
	OSErr e = handle_block(m, h, &z, &b);
	if (e)
		return set_mem_err(m, e);
	blk_set_flags(m, z, b, (blk_flags(m, z, b) & ~clear) | set);
	return set_mem_err(m, mm_noErr);
}

OSErr HLock(struct mm *m, gaddr h)
{
	return change_flags(m, h, mm_lockBit, 0);
}

OSErr HUnlock(struct mm *m, gaddr h)
{
	return change_flags(m, h, 0, mm_lockBit);
}

OSErr HPurge(struct mm *m, gaddr h)
{
	return change_flags(m, h, mm_purgeBit, 0);
}

OSErr HNoPurge(struct mm *m, gaddr h)
{
	return change_flags(m, h, 0, mm_purgeBit);
}

OSErr HSetRBit(struct mm *m, gaddr h)
{
	return change_flags(m, h, mm_resourceBit, 0);
}

OSErr HClrRBit(struct mm *m, gaddr h)
{
	return change_flags(m, h, 0, mm_resourceBit);
}

int32_t HGetState(struct mm *m, gaddr h)
{
	gaddr z, b;
	OSErr e = handle_block(m, h, &z, &b);
	if (e)
		return set_mem_err(m, e);
	set_mem_err(m, mm_noErr);
	return (int32_t)blk_flags(m, z, b);
}

OSErr HSetState(struct mm *m, gaddr h, uint8_t flags)
{
	return change_flags(m, h, flags & 0xE0, 0xE0);
}
