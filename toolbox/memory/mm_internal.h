/* toolbox/memory/mm_internal.h: what the Memory Manager's files share and
 * nobody else sees: low-memory addresses, the zone header's field offsets,
 * block header accessors for both layouts, and the internal entry points. */
#ifndef VM68K_TOOLBOX_MEMORY_INTERNAL_H
#define VM68K_TOOLBOX_MEMORY_INTERNAL_H

#include "guest/mem.h"
#include "toolbox/memory/memory.h"

/* Low-memory globals (Inside Macintosh: Memory, "Memory Manager" summary;
 * Inside Macintosh III / Mac Almanac low-memory tables). */
enum {
	lmMemTop = 0x108,    /* long: end of RAM */
	lmBufPtr = 0x10C,    /* long: top of application memory */
	lmHeapEnd = 0x114,   /* long: end (bkLim) of the application heap */
	lmTheZone = 0x118,   /* long: current heap zone */
	lmApplLimit = 0x130, /* long: application heap limit */
	lmMemErr = 0x220,    /* word: last Memory Manager error */
	lmSysZone = 0x2A6,   /* long: system heap zone */
	lmApplZone = 0x2AA,  /* long: application heap zone */
	lmLo3Bytes = 0x31A,  /* long: $00FFFFFF */
	lmGZRootHnd = 0x328, /* long: handle the grow-zone function must not move */
	lmGZRootPtr = 0x32C, /* long: pointer the grow-zone function must not move */
	lmGZMoveHnd = 0x330, /* long: handle being moved during grow zone */
	lmMMU32Bit = 0xCB2,  /* byte: 1 if the Memory Manager runs in 32-bit mode */
};

/* Zone header (Inside Macintosh: Memory 2-96, "Zone" record; MPW Memory.h). */
enum {
	zBkLim = 0,	  /* Ptr: the zone trailer block (first byte after the blocks) */
	zPurgePtr = 4,	  /* Ptr: purge rover (internal) */
	zHFstFree = 8,	  /* Ptr: first free master pointer */
	zZcbFree = 12,	  /* long: free bytes in the zone */
	zGzProc = 16,	  /* ProcPtr: grow-zone function */
	zMoreMast = 20,	  /* word: master pointers per MoreMasters block */
	zFlags = 22,	  /* word: internal */
	zCntRel = 24,	  /* word: relocatable blocks */
	zMaxRel = 26,	  /* word: most relocatable blocks ever */
	zCntNRel = 28,	  /* word: nonrelocatable blocks */
	zMaxNRel = 30,	  /* word: most nonrelocatable blocks ever */
	zCntEmpty = 32,	  /* word: empty (NIL) handles */
	zCntHandles = 34, /* word: master pointers in the zone */
	zMinCBFree = 36,  /* long: unused */
	zPurgeProc = 40,  /* ProcPtr: purge warning procedure */
	zSparePtr = 44,	  /* Ptr: internal */
	zAllocPtr = 48,	  /* Ptr: allocation rover */
	zHeapData = 52,	  /* the first block */
};

/* Block tags: the top two bits of a 24-bit header's first byte, or the
 * whole first byte of a 32-bit header (Apple's Zone24.h / Zone32.h). */
enum { tagFree = 0x00, tagNRel = 0x40, tagRel = 0x80 };

static inline uint32_t rd8(struct mm *m, gaddr a)
{
	return gread8(m->win, m->mask, a);
}
static inline uint32_t rd16(struct mm *m, gaddr a)
{
	return gread16(m->win, m->mask, a);
}
static inline uint32_t rd32(struct mm *m, gaddr a)
{
	return gread32(m->win, m->mask, a);
}
static inline void wr8(struct mm *m, gaddr a, uint32_t v)
{
	gwrite8(m->win, m->mask, a, v);
}
static inline void wr16(struct mm *m, gaddr a, uint32_t v)
{
	gwrite16(m->win, m->mask, a, v);
}
static inline void wr32(struct mm *m, gaddr a, uint32_t v)
{
	gwrite32(m->win, m->mask, a, v);
}

/* Addresses as the Memory Manager compares them: 24-bit mode ignores the
 * high byte (it holds master pointer flags). */
static inline gaddr strip(struct mm *m, gaddr a)
{
	return m->addr32 ? a : a & 0x00FFFFFF;
}
/* Block header size, and the smallest block (header + 4 logical bytes). */
static inline uint32_t hdr_size(struct mm *m)
{
	return m->addr32 ? 12 : 8;
}
static inline uint32_t min_block(struct mm *m)
{
	return hdr_size(m) + 4;
}
/* Physical size for a logical size: header added, rounded to a long word. */
static inline uint32_t phys_for(struct mm *m, uint32_t logical)
{
	uint32_t p = (logical + hdr_size(m) + 3) & ~3u;
	return p < min_block(m) ? min_block(m) : p;
}

/* ---- block headers (block.c) ---- */
unsigned blk_tag(struct mm *m, gaddr b);
uint32_t blk_size(struct mm *m, gaddr b);
uint32_t blk_corr(struct mm *m, gaddr b);
uint32_t blk_link(struct mm *m, gaddr b); /* rel: MP offset from zone; nrel: zone */
uint32_t blk_logical(struct mm *m, gaddr b);
/* Writes a whole header; flags only matter for 32-bit relocatable blocks. */
void blk_write(struct mm *m, gaddr b, unsigned tag, uint32_t size, uint32_t corr, uint32_t link,
	       unsigned flags);
void blk_set_size(struct mm *m, gaddr b, uint32_t size, uint32_t corr);
/* A relocatable block's master pointer flags (MP high byte or header). */
unsigned blk_flags(struct mm *m, gaddr z, gaddr b);
void blk_set_flags(struct mm *m, gaddr z, gaddr b, unsigned flags);
/* Points a relocatable block's master pointer at it (keeping 24-bit flags). */
void blk_point_mp(struct mm *m, gaddr z, gaddr b);
/* b's size for walking the zone: a damaged header (size under the minimum,
 * not a long multiple, or past lim) ends the walk at lim instead of looping
 * or running off, so a guest that scribbles on its heap cannot hang us. */
static inline uint32_t blk_step(struct mm *m, gaddr b, gaddr lim)
{
	uint32_t s = blk_size(m, b);
	return (s < min_block(m) || (s & 3) || s > lim - b) ? lim - b : s;
}
/* The block after b in zone z. */
gaddr blk_next(struct mm *m, gaddr z, gaddr b);
static inline gaddr blk_data(struct mm *m, gaddr b)
{
	return b + hdr_size(m);
}
/* A block that compaction cannot move: nonrelocatable or locked. */
bool blk_fixed(struct mm *m, gaddr z, gaddr b);

/* ---- zone bookkeeping (zone.c) ---- */
gaddr zone_first(struct mm *m, gaddr z);
gaddr zone_limit(struct mm *m, gaddr z); /* bkLim: the trailer block */
void zone_add_free(struct mm *m, gaddr z, int32_t delta);
void zone_count(struct mm *m, gaddr z, unsigned field, int delta);
/* The zone whose blocks include address a (among the zones the Memory
 * Manager knows: current, application, system, temporary), or 0. */
gaddr zone_containing(struct mm *m, gaddr a);
/* Grows the application zone by at least need bytes (up to ApplLimit);
 * false if it cannot. */
bool zone_extend(struct mm *m, gaddr z, uint32_t need);
OSErr set_mem_err(struct mm *m, OSErr e);
void copy_guest(struct mm *m, gaddr src, gaddr dst, uint32_t n);
void fill_guest(struct mm *m, gaddr dst, uint32_t n, uint8_t v);

/* ---- free space (block.c) ---- */
/* Frees block b (merging it with a free block after it). */
void blk_release(struct mm *m, gaddr z, gaddr b);
/* Merges the free blocks that follow free block f into it. */
void merge_after(struct mm *m, gaddr z, gaddr f);
/* Merges every run of adjacent free blocks. */
void zone_coalesce(struct mm *m, gaddr z);
/* Carves phys bytes from the start of free block f; returns the block. */
gaddr blk_carve(struct mm *m, gaddr z, gaddr f, uint32_t phys, unsigned tag, uint32_t logical,
		uint32_t link);
/* A free block of at least phys bytes, trying everything a real Mac tries
 * (first fit, making room by moving blocks, compaction, growing the zone,
 * purging, the grow-zone function). low: as low as possible (nonrelocatable
 * blocks). protect: a relocatable block that must not be purged (or 0).
 * Returns 0 if there is no room. */
gaddr find_space(struct mm *m, gaddr z, uint32_t phys, bool low, gaddr protect_h);
/* A free block of at least phys bytes by first fit, no moving; 0 if none. */
gaddr first_fit(struct mm *m, gaddr z, uint32_t phys, bool low);
/* Largest free block (physical bytes), after merging. */
uint32_t largest_free(struct mm *m, gaddr z);

/* ---- moving (compact.c) ---- */
/* Slides unlocked relocatable blocks down; stops early once a free block
 * of need physical bytes exists (0: compact everything). */
void compact_zone(struct mm *m, gaddr z, uint32_t need);
/* Largest free block compaction would produce (physical bytes). */
uint32_t max_after_compaction(struct mm *m, gaddr z, bool count_purgeable);
/* Empties [start, start+need) by moving its relocatable blocks elsewhere
 * (start must be a block boundary); returns the free block at start, or 0. */
gaddr clear_window(struct mm *m, gaddr z, gaddr start, uint32_t need, gaddr protect_b);
/* Tries clear_window at every boundary from the bottom up to below (0: the
 * whole zone); returns the free block made, or 0. */
gaddr make_space_low(struct mm *m, gaddr z, uint32_t phys, gaddr below);

/* ---- purging (purge.c) ---- */
bool blk_purgeable(struct mm *m, gaddr z, gaddr b, gaddr protect_h);
void purge_block(struct mm *m, gaddr z, gaddr b);
/* Purges purgeable blocks until compaction could give need bytes. */
bool purge_for(struct mm *m, gaddr z, uint32_t need, gaddr protect_h);

/* ---- handles (handle.c) ---- */
/* Validates h: 0 and its block and zone, or nilHandleErr / memWZErr. */
OSErr handle_block(struct mm *m, gaddr h, gaddr *zp, gaddr *bp);
gaddr new_handle_in(struct mm *m, gaddr z, int32_t size, bool clear);
gaddr new_ptr_in(struct mm *m, gaddr z, int32_t size, bool clear);
int32_t max_block_in(struct mm *m, gaddr z);
/* Resizes block b in place to phys bytes holding logical bytes (shrinking,
 * or growing into free space or moving the blocks after it); false if not. */
bool resize_in_place(struct mm *m, gaddr z, gaddr b, uint32_t phys, uint32_t logical);
/* The largest logical size a block may have in this mode. */
static inline uint32_t max_logical(struct mm *m)
{
	return m->addr32 ? 0x7FFFFFF0u : 0x00FFFFF0u;
}

#endif
