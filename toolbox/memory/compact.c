/* toolbox/memory/compact.c: moving relocatable blocks. Compaction slides
 * unlocked relocatable blocks toward the bottom of the zone so free space
 * gathers above them, stopping at nonrelocatable and locked blocks; making
 * room low moves relocatable blocks out of a range so a nonrelocatable block
 * can go there; MoveHHi sends a block to the top of its stretch of the zone.
 * Master pointers follow every move (Inside Macintosh: Memory 1-13, 2-45). */
#include "config.h"

#include "toolbox/memory/mm_internal.h"

void compact_zone(struct mm *m, gaddr z, uint32_t need)
{
	gaddr lim = zone_limit(m, z);
	gaddr dst = 0; /* start of the free gap being gathered, 0 if none */
	gaddr b = zone_first(m, z);
	m->compactions++;
	while (b < lim) {
		if (need && dst && b - dst >= need)
			break;
		uint32_t s = blk_step(m, b, lim);
		unsigned t = blk_tag(m, b);
		if (t == tagFree) {
			if (!dst)
				dst = b;
		} else if (dst && !blk_fixed(m, z, b)) {
			copy_guest(m, b, dst, s);
			blk_point_mp(m, z, dst);
			dst += s;
		} else if (dst) {
			blk_write(m, dst, tagFree, b - dst, 0, 0, 0);
			dst = 0;
		}
		b += s;
	}
	if (dst)
		blk_write(m, dst, tagFree, b - dst, 0, 0, 0);
	/* Boundaries moved: the rovers go back to the first block. */
	wr32(m, z + zAllocPtr, zone_first(m, z));
	wr32(m, z + zPurgePtr, zone_first(m, z));
}

uint32_t max_after_compaction(struct mm *m, gaddr z, bool count_purgeable)
{
	gaddr lim = zone_limit(m, z);
	uint32_t best = 0, run = 0;
	for (gaddr b = zone_first(m, z); b < lim; b = blk_next(m, z, b)) {
		unsigned t = blk_tag(m, b);
		if (t == tagFree || (count_purgeable && blk_purgeable(m, z, b, 0))) {
			run += blk_size(m, b);
		} else if (blk_fixed(m, z, b)) {
			run = 0;
		}
		if (run > best)
			best = run;
	}
	return best;
}

/* A free block of at least s bytes outside [lo, hi), without merging
 * across the range's edges; 0 if none. */
static gaddr fit_outside(struct mm *m, gaddr z, uint32_t s, gaddr lo, gaddr hi)
{
	gaddr lim = zone_limit(m, z);
	for (gaddr b = zone_first(m, z); b < lim; b = blk_next(m, z, b)) {
		if (b >= lo && b < hi)
			continue;
		if (blk_tag(m, b) == tagFree && blk_size(m, b) >= s &&
		    (b + blk_size(m, b) <= lo || b >= hi))
			return b;
	}
	return 0;
}

gaddr clear_window(struct mm *m, gaddr z, gaddr start, uint32_t need, gaddr protect_b)
{
	gaddr lim = zone_limit(m, z);
	gaddr end = start;
	uint32_t movable = 0;
	while (end < lim && end - start < need) {
		if (end == protect_b || blk_fixed(m, z, end))
			return 0;
		uint32_t s = blk_step(m, end, lim);
		if (blk_tag(m, end) == tagRel) {
			movable += s;
		} else if (end + s - start > need && end + s - (start + need) >= min_block(m)) {
			/* A free block reaching past the window: split it, so its
			 * far part can take the blocks being moved. */
			blk_write(m, start + need, tagFree, end + s - (start + need), 0, 0, 0);
			blk_write(m, end, tagFree, start + need - end, 0, 0, 0);
			if (start + need - end < min_block(m)) {
				/* Too small a head: undo, take the whole block. */
				blk_write(m, end, tagFree, s, 0, 0, 0);
			} else {
				s = start + need - end;
			}
		}
		end += s;
	}
	if (end - start < need)
		return 0;
	uint32_t free_inside = (end - start) - movable;
	if (movable > rd32(m, z + zZcbFree) - free_inside)
		return 0;
	for (gaddr b = start; b < end;) {
		uint32_t s = blk_step(m, b, end);
		if (blk_tag(m, b) == tagRel) {
			/* Moved at its logical size: padding it had absorbed is
			 * left behind (a 24-bit size correction holds only 15). */
			uint32_t logical = blk_logical(m, b);
			gaddr f = fit_outside(m, z, phys_for(m, logical), start, end);
			if (!f)
				return 0; /* the zone is still sound: some blocks moved */
			unsigned flags = m->addr32 ? blk_flags(m, z, b) : 0;
			gaddr nb = blk_carve(m, z, f, phys_for(m, logical), tagRel, logical,
					     blk_link(m, b));
			if (m->addr32)
				wr8(m, nb + 1, flags);
			copy_guest(m, blk_data(m, b), blk_data(m, nb), logical);
			blk_point_mp(m, z, nb);
			zone_count(m, z, zCntRel, -1);
			/* Freed without merging, so nothing joins across the window's edge. */
			blk_write(m, b, tagFree, s, 0, 0, 0);
			zone_add_free(m, z, (int32_t)s);
		}
		b += s;
	}
	/* Everything in [start, end) is free: make it one block. */
	gaddr alloc = rd32(m, z + zAllocPtr), purge = rd32(m, z + zPurgePtr);
	if (alloc > start && alloc < end)
		wr32(m, z + zAllocPtr, start);
	if (purge > start && purge < end)
		wr32(m, z + zPurgePtr, start);
	blk_write(m, start, tagFree, end - start, 0, 0, 0);
	return start;
}

gaddr make_space_low(struct mm *m, gaddr z, uint32_t phys, gaddr below)
{
	if (rd32(m, z + zZcbFree) < phys)
		return 0;
	zone_coalesce(m, z);
	gaddr lim = zone_limit(m, z);
	if (below && below < lim)
		lim = below;
	for (gaddr b = zone_first(m, z); b < lim; b = blk_next(m, z, b)) {
		if (blk_fixed(m, z, b))
			continue;
		gaddr f = clear_window(m, z, b, phys, 0);
		if (f)
			return f;
	}
	return 0;
}

int32_t max_block_in(struct mm *m, gaddr z)
{
	uint32_t p = max_after_compaction(m, z, false);
	return p > hdr_size(m) ? (int32_t)(p - hdr_size(m)) : 0;
}

static int32_t compact_mem_in(struct mm *m, gaddr z, int32_t cbNeeded)
{
	uint32_t need = cbNeeded < 0 ? 0 : phys_for(m, (uint32_t)cbNeeded);
	compact_zone(m, z, need);
	uint32_t p = largest_free(m, z);
	set_mem_err(m, mm_noErr);
	return p > hdr_size(m) ? (int32_t)(p - hdr_size(m)) : 0;
}

int32_t CompactMem(struct mm *m, int32_t cbNeeded)
{
	return compact_mem_in(m, GetZone(m), cbNeeded);
}

int32_t CompactMemSys(struct mm *m, int32_t cbNeeded)
{
	return compact_mem_in(m, SystemZone(m), cbNeeded);
}

int32_t MaxBlock(struct mm *m)
{
	set_mem_err(m, mm_noErr);
	return max_block_in(m, GetZone(m));
}

int32_t MaxBlockSys(struct mm *m)
{
	set_mem_err(m, mm_noErr);
	return max_block_in(m, SystemZone(m));
}

static OSErr resrv_mem_in(struct mm *m, gaddr z, int32_t size)
{
	if (size < 0)
		return set_mem_err(m, memSCErr);
	if (!find_space(m, z, phys_for(m, (uint32_t)size), true, 0))
		return set_mem_err(m, memFullErr);
	return set_mem_err(m, mm_noErr);
}

OSErr ResrvMem(struct mm *m, int32_t size)
{
	return resrv_mem_in(m, GetZone(m), size);
}

OSErr ResrvMemSys(struct mm *m, int32_t size)
{
	return resrv_mem_in(m, SystemZone(m), size);
}

/* Reverses n bytes of guest memory in place. */
static void reverse_guest(struct mm *m, gaddr a, uint32_t n)
{
	for (uint32_t i = 0, j = n; i + 1 < j; i++, j--) {
		uint32_t x = rd8(m, a + i);
		wr8(m, a + i, rd8(m, a + j - 1));
		wr8(m, a + j - 1, x);
	}
}

OSErr MoveHHi(struct mm *m, gaddr h)
{
	gaddr z, b;
	OSErr e = handle_block(m, h, &z, &b);
	if (e)
		return set_mem_err(m, e);
	if (blk_flags(m, z, b) & mm_lockBit)
		return set_mem_err(m, memLockedErr);
	/* The stretch above b up to the next block that cannot move. */
	gaddr lim = zone_limit(m, z);
	uint32_t s = blk_size(m, b);
	gaddr top = b + s;
	while (top < lim && !blk_fixed(m, z, top))
		top = blk_next(m, z, top);
	/* Slide the other blocks of the stretch down against b... */
	gaddr x_end = b + s;
	for (gaddr x = b + s; x < top;) {
		uint32_t xs = blk_step(m, x, top);
		if (blk_tag(m, x) == tagRel) {
			copy_guest(m, x, x_end, xs);
			blk_point_mp(m, z, x_end);
			x_end += xs;
		}
		x += xs;
	}
	/* ...swap b with them (rotating [b, x_end) by reversals, all in guest
	 * memory, so nothing is held on the host side if an access faults)... */
	if (x_end > b + s) {
		reverse_guest(m, b, x_end - b);
		reverse_guest(m, b, x_end - b - s);
		reverse_guest(m, x_end - s, s);
		for (gaddr x = b; x < x_end - s; x = blk_next(m, z, x))
			blk_point_mp(m, z, x);
	}
	/* ...and lift it over the free space gathered above them. */
	gaddr nb = x_end - s;
	if (top > x_end) {
		copy_guest(m, nb, top - s, s);
		blk_write(m, nb, tagFree, top - x_end, 0, 0, 0);
		nb = top - s;
	}
	blk_point_mp(m, z, nb);
	wr32(m, z + zAllocPtr, zone_first(m, z));
	wr32(m, z + zPurgePtr, zone_first(m, z));
	return set_mem_err(m, mm_noErr);
}
