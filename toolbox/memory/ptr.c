/* toolbox/memory/ptr.c: nonrelocatable blocks. They never move, so they are
 * put as low in the zone as the Memory Manager can manage (moving
 * relocatable blocks out of the way if need be) to keep them from splitting
 * the free space. Their header holds the address of their zone. */
#include "config.h"

#include "toolbox/memory/mm_internal.h"

gaddr new_ptr_in(struct mm *m, gaddr z, int32_t size, bool clear)
{
	if (size < 0) {
		set_mem_err(m, memSCErr);
		return 0;
	}
	if ((uint32_t)size > max_logical(m)) {
		set_mem_err(m, memFullErr);
		return 0;
	}
	uint32_t phys = phys_for(m, (uint32_t)size);
	gaddr f = find_space(m, z, phys, true, 0);
	if (!f) {
		set_mem_err(m, memFullErr);
		return 0;
	}
	gaddr b = blk_carve(m, z, f, phys, tagNRel, (uint32_t)size, z);
	if (clear)
		fill_guest(m, blk_data(m, b), (uint32_t)size, 0);
	set_mem_err(m, mm_noErr);
	return blk_data(m, b);
}

gaddr mm_new_ptr(struct mm *m, int32_t size, uint16_t trap_flags)
{
	gaddr z = (trap_flags & mm_trapSys) ? SystemZone(m) : GetZone(m);
	return new_ptr_in(m, z, size, trap_flags & mm_trapClear);
}

gaddr NewPtr(struct mm *m, int32_t size)
{
	return mm_new_ptr(m, size, 0);
}

gaddr NewPtrSys(struct mm *m, int32_t size)
{
	return mm_new_ptr(m, size, mm_trapSys);
}

gaddr NewPtrClear(struct mm *m, int32_t size)
{
	return mm_new_ptr(m, size, mm_trapClear);
}

gaddr NewPtrSysClear(struct mm *m, int32_t size)
{
	return mm_new_ptr(m, size, mm_trapSys | mm_trapClear);
}

/* Validates p: its block and zone, or memWZErr / memAdrErr. */
static OSErr ptr_block(struct mm *m, gaddr p, gaddr *zp, gaddr *bp)
{
	p = strip(m, p);
	if (!p || (p & 1) || p < hdr_size(m))
		return memAdrErr;
	gaddr b = p - hdr_size(m);
	if (blk_tag(m, b) != tagNRel)
		return memWZErr;
	gaddr z = strip(m, blk_link(m, b));
	if (b < z + zHeapData || b >= zone_limit(m, z))
		return memWZErr;
	*zp = z;
	*bp = b;
	return mm_noErr;
}

OSErr DisposePtr(struct mm *m, gaddr p)
{
	gaddr z, b;
	OSErr e = ptr_block(m, p, &z, &b);
	if (e)
		return set_mem_err(m, e);
	zone_count(m, z, zCntNRel, -1);
	blk_release(m, z, b);
	return set_mem_err(m, mm_noErr);
}

int32_t GetPtrSize(struct mm *m, gaddr p)
{
	gaddr z, b;
	OSErr e = ptr_block(m, p, &z, &b);
	if (e)
		return set_mem_err(m, e);
	set_mem_err(m, mm_noErr);
	return (int32_t)blk_logical(m, b);
}

OSErr SetPtrSize(struct mm *m, gaddr p, int32_t size)
{
	gaddr z, b;
	OSErr e = ptr_block(m, p, &z, &b);
	if (e)
		return set_mem_err(m, e);
	if (size < 0)
		return set_mem_err(m, memSCErr);
	if ((uint32_t)size > max_logical(m))
		return set_mem_err(m, memFullErr);
	if (!resize_in_place(m, z, b, phys_for(m, (uint32_t)size), (uint32_t)size))
		return set_mem_err(m, memFullErr);
	return set_mem_err(m, mm_noErr);
}

gaddr PtrZone(struct mm *m, gaddr p)
{
	gaddr z, b;
	OSErr e = ptr_block(m, p, &z, &b);
	if (e) {
		/* A relocatable block's data pointer also has a zone. */
		gaddr h = RecoverHandle(m, p);
		if (h)
			return HandleZone(m, h);
		set_mem_err(m, e);
		return 0;
	}
	set_mem_err(m, mm_noErr);
	return z;
}
