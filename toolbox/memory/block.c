/* toolbox/memory/block.c: block headers in both layouts and the free-space
 * search. A 24-bit header is 8 bytes: tag (top 2 bits) and size correction
 * (low 4 bits) in the first byte, physical size in the next 3, then the
 * relative handle (relocatable) or zone (nonrelocatable). A 32-bit header is
 * 12 bytes: tag byte, master pointer flags, 0, size correction, physical
 * size long, relative handle / zone long (Inside Macintosh: Memory 2-24). */
#include "config.h"

#include "toolbox/memory/mm_internal.h"

unsigned blk_tag(struct mm *m, gaddr b)
{
	return rd8(m, b) & 0xC0;
}

uint32_t blk_size(struct mm *m, gaddr b)
{
	return m->addr32 ? rd32(m, b + 4) : rd32(m, b) & 0x00FFFFFF;
}

uint32_t blk_corr(struct mm *m, gaddr b)
{
	return m->addr32 ? rd8(m, b + 3) : rd8(m, b) & 0x0F;
}

uint32_t blk_link(struct mm *m, gaddr b)
{
	return rd32(m, b + hdr_size(m) - 4);
}

uint32_t blk_logical(struct mm *m, gaddr b)
{
	return blk_size(m, b) - hdr_size(m) - blk_corr(m, b);
}

void blk_write(struct mm *m, gaddr b, unsigned tag, uint32_t size, uint32_t corr, uint32_t link,
	       unsigned flags)
{
	if (m->addr32) {
		wr32(m, b, (uint32_t)tag << 24 | (flags & 0xFF) << 16 | (corr & 0xFF));
		wr32(m, b + 4, size);
		wr32(m, b + 8, link);
	} else {
		wr32(m, b, (uint32_t)(tag | (corr & 0x0F)) << 24 | (size & 0x00FFFFFF));
		wr32(m, b + 4, link);
	}
}

void blk_set_size(struct mm *m, gaddr b, uint32_t size, uint32_t corr)
{
	if (m->addr32) {
		wr8(m, b + 3, corr);
		wr32(m, b + 4, size);
	} else {
		wr32(m, b, (uint32_t)(blk_tag(m, b) | (corr & 0x0F)) << 24 | (size & 0x00FFFFFF));
	}
}

unsigned blk_flags(struct mm *m, gaddr z, gaddr b)
{
	if (m->addr32)
		return rd8(m, b + 1);
	return rd8(m, z + blk_link(m, b)) & 0xE0;
}

void blk_set_flags(struct mm *m, gaddr z, gaddr b, unsigned flags)
{
	if (m->addr32)
		wr8(m, b + 1, flags & 0xE0);
	else
		wr8(m, z + blk_link(m, b), flags & 0xE0);
}

void blk_point_mp(struct mm *m, gaddr z, gaddr b)
{
	gaddr mp = z + blk_link(m, b);
	if (m->addr32)
		wr32(m, mp, blk_data(m, b));
	else
		wr32(m, mp, (rd32(m, mp) & 0xE0000000) | (blk_data(m, b) & 0x00FFFFFF));
}

gaddr blk_next(struct mm *m, gaddr z, gaddr b)
{
	return b + blk_step(m, b, zone_limit(m, z));
}

bool blk_fixed(struct mm *m, gaddr z, gaddr b)
{
	unsigned t = blk_tag(m, b);
	if (t == tagNRel)
		return true;
	return t == tagRel && (blk_flags(m, z, b) & mm_lockBit);
}

/* Merges the free blocks that follow free block f into it. */
void merge_after(struct mm *m, gaddr z, gaddr f)
{
	gaddr lim = zone_limit(m, z);
	uint32_t s = blk_size(m, f);
	gaddr alloc = rd32(m, z + zAllocPtr);
	if (s != blk_step(m, f, lim))
		return; /* a damaged block: leave it to the heap checker */
	for (gaddr n = f + s; n < lim && blk_tag(m, n) == tagFree; n = f + s) {
		if (n == alloc)
			wr32(m, z + zAllocPtr, f);
		if (n == rd32(m, z + zPurgePtr))
			wr32(m, z + zPurgePtr, f);
		s += blk_step(m, n, lim);
	}
	if (s != blk_size(m, f))
		blk_write(m, f, tagFree, s, 0, 0, 0);
}

void blk_release(struct mm *m, gaddr z, gaddr b)
{
	uint32_t s = blk_size(m, b);
	blk_write(m, b, tagFree, s, 0, 0, 0);
	zone_add_free(m, z, (int32_t)s);
	merge_after(m, z, b);
}

void zone_coalesce(struct mm *m, gaddr z)
{
	gaddr lim = zone_limit(m, z);
	for (gaddr b = zone_first(m, z); b < lim; b = blk_next(m, z, b))
		if (blk_tag(m, b) == tagFree)
			merge_after(m, z, b);
}

gaddr blk_carve(struct mm *m, gaddr z, gaddr f, uint32_t phys, unsigned tag, uint32_t logical,
		uint32_t link)
{
	uint32_t s = blk_size(m, f);
	if (s - phys >= min_block(m)) {
		blk_write(m, f + phys, tagFree, s - phys, 0, 0, 0);
	} else {
		phys = s; /* too little left for a block: it becomes padding */
	}
	blk_write(m, f, tag, phys, phys - hdr_size(m) - logical, link, 0);
	zone_add_free(m, z, -(int32_t)phys);
	if (tag == tagRel)
		zone_count(m, z, zCntRel, +1);
	else if (tag == tagNRel)
		zone_count(m, z, zCntNRel, +1);
	return f;
}

/* First fit over [from, to), merging free runs as it goes (as the Mac's
 * allocator coalesces while it searches). */
static gaddr fit_between(struct mm *m, gaddr z, gaddr from, gaddr to, uint32_t phys)
{
	for (gaddr b = from; b < to; b = blk_next(m, z, b)) {
		if (blk_tag(m, b) != tagFree)
			continue;
		merge_after(m, z, b);
		if (blk_size(m, b) >= phys)
			return b;
	}
	return 0;
}

gaddr first_fit(struct mm *m, gaddr z, uint32_t phys, bool low)
{
	gaddr first = zone_first(m, z), lim = zone_limit(m, z);
	gaddr rover = low ? first : rd32(m, z + zAllocPtr);
	if (rover < first || rover >= lim)
		rover = first;
	gaddr f = fit_between(m, z, rover, lim, phys);
	if (!f && rover != first)
		f = fit_between(m, z, first, rover, phys);
	if (f && !low)
		wr32(m, z + zAllocPtr, f);
	return f;
}

uint32_t largest_free(struct mm *m, gaddr z)
{
	uint32_t best = 0;
	gaddr lim = zone_limit(m, z);
	for (gaddr b = zone_first(m, z); b < lim; b = blk_next(m, z, b)) {
		if (blk_tag(m, b) != tagFree)
			continue;
		merge_after(m, z, b);
		if (blk_size(m, b) > best)
			best = blk_size(m, b);
	}
	return best;
}

/* Runs the zone's grow-zone function (68K, through the dispatcher's hook)
 * with GZRootHnd set; returns what it says it freed. */
static int32_t call_grow_zone(struct mm *m, gaddr z, uint32_t phys, gaddr protect_h)
{
	gaddr proc = rd32(m, z + zGzProc);
	if (!proc || !m->call_grow_zone || m->in_grow_zone)
		return 0;
	wr32(m, lmGZRootHnd, protect_h);
	wr32(m, lmGZRootPtr, 0);
	wr32(m, lmGZMoveHnd, 0);
	m->in_grow_zone++;
	m->grow_zone_calls++;
	int32_t r = m->call_grow_zone(m, z, proc, (int32_t)(phys - hdr_size(m)));
	m->in_grow_zone--;
	wr32(m, lmGZRootHnd, 0);
	return r;
}

gaddr find_space(struct mm *m, gaddr z, uint32_t phys, bool low, gaddr protect_h)
{
	gaddr f = first_fit(m, z, phys, low);
	if (f)
		return f;
	/* Nonrelocatable blocks go as low as they can: when no free block
	 * holds one, relocatable blocks are moved out of the way from the
	 * bottom up before the zone is compacted (which would leave the
	 * free space at the top). */
	if (low && (f = make_space_low(m, z, phys, 0)))
		return f;
	if (max_after_compaction(m, z, false) >= phys) {
		compact_zone(m, z, phys);
		if ((f = first_fit(m, z, phys, low)))
			return f;
	}
	if (zone_extend(m, z, phys)) {
		compact_zone(m, z, phys);
		if ((f = first_fit(m, z, phys, low)))
			return f;
	}
	if (purge_for(m, z, phys, protect_h)) {
		compact_zone(m, z, phys);
		if ((f = first_fit(m, z, phys, low)))
			return f;
	}
	for (int tries = 0; tries < 64; tries++) {
		if (call_grow_zone(m, z, phys, protect_h) <= 0)
			break;
		compact_zone(m, z, phys);
		if ((f = first_fit(m, z, phys, low)))
			return f;
		if (purge_for(m, z, phys, protect_h)) {
			compact_zone(m, z, phys);
			if ((f = first_fit(m, z, phys, low)))
				return f;
		}
	}
	return 0;
}
