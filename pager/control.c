/* Paging control: ReleaseMemoryData, MakeMemoryNonResident and FlushMemory
 * (Memory.h's _MemoryDispatch selectors 12, 13 and 14), the calls a program
 * uses to tell VM what it no longer needs or to push its data out early.
 * Whole pages only; pinned pages stay resident (pager.h). */
#include "config.h"

#include "pager/internal.h"

#include <string.h>

/* The pages wholly inside [address, address + count): *first > *last when
 * there is none. noErr or paramErr (outside logical RAM, or count 0). */
static int whole_pages(const struct pager *p, gaddr address, uint32_t count, uint32_t *first,
		       uint32_t *last)
{
	uint64_t a = address & p->addr_mask;
	uint64_t end = a + count;
	if (count == 0 || end > (uint64_t)p->npages << PAGER_PAGE_SHIFT)
		return paramErr;
	uint64_t lo = (a + PAGER_PAGE_SIZE - 1) >> PAGER_PAGE_SHIFT;
	uint64_t hi = end >> PAGER_PAGE_SHIFT; /* one past the last whole page */
	*first = (uint32_t)lo;
	*last = (uint32_t)(hi - 1);
	if (hi <= lo) {
		*first = 1;
		*last = 0;
	}
	return noErr;
}

/* Gives the frame of a resident, unpinned page back without writing it. */
static void drop(struct pager *p, uint32_t page)
{
	struct pte *e = &p->pages[page];
	uint32_t frame = e->frame;
	if (e->prot != PROT_IS_NONE)
		set_prot(p, page, PROT_IS_NONE);
	p->stats.clean_drops++;
	p->stats.resident--;
	p->stats.evictions++;
	trace_event(p, PAGER_EV_CLEAN_DROP, page << PAGER_PAGE_SHIFT, frame);
	ram_release_page(p, page);
	e->frame = NO_FRAME;
	e->referenced = 0;
	e->dirty = 0;
	p->frame_page[frame] = NO_FRAME;
	p->free_frames[p->nfree++] = frame;
}

int ReleaseMemoryData(struct pager *p, gaddr address, uint32_t count)
{
	uint32_t first, last;
	if (whole_pages(p, address, count, &first, &last) != noErr)
		return paramErr;
	for (uint32_t i = first; i <= last && first <= last; i++) {
		struct pte *e = &p->pages[i];
		if (!p->vm_on || pte_pinned(e)) {
			/* Resident for good: the data goes, the page stays. */
			memset(page_alias(p, i), 0, PAGER_PAGE_SIZE);
		} else if (e->frame != NO_FRAME) {
			drop(p, i);
		}
		e->in_store = 0; /* the next page-in is a zero fill */
	}
	return noErr;
}

/* Writes resident page i to the backing store if it is dirty: it stays
 * resident and becomes clean. noErr or dsVMBadBackingStore. */
static int write_back(struct pager *p, uint32_t i)
{
	struct pte *e = &p->pages[i];
	if (e->frame == NO_FRAME || !e->dirty)
		return noErr;
	int err = store_write_page(p, i);
	if (err) {
		fill_store_error(p, i, true, err);
		return dsVMBadBackingStore;
	}
	e->dirty = 0;
	e->in_store = 1;
	p->stats.page_outs++;
	p->stats.simulated_disk_ns += p->disk_latency_ns;
	/* Write-protect again so the next write marks it dirty. */
	if (e->prot == PROT_IS_RW)
		set_prot(p, i, resident_prot(p, e));
	return noErr;
}

/* noErr, or interruptsMaskedErr if a page of [first, last] would have to be
 * written while paging is unsafe. */
static int may_write(const struct pager *p, uint32_t first, uint32_t last)
{
	if (p->paging_safe)
		return noErr;
	for (uint32_t i = first; i <= last && first <= last; i++)
		if (p->pages[i].frame != NO_FRAME && p->pages[i].dirty)
			return interruptsMaskedErr;
	return noErr;
}

int FlushMemory(struct pager *p, gaddr address, uint32_t count)
{
	uint32_t first, last;
	if (whole_pages(p, address, count, &first, &last) != noErr)
		return paramErr;
	if (!p->vm_on)
		return noErr; /* no backing store: nothing to write to */
	int r = may_write(p, first, last);
	for (uint32_t i = first; r == noErr && i <= last && first <= last; i++)
		r = write_back(p, i);
	return r;
}

int MakeMemoryNonResident(struct pager *p, gaddr address, uint32_t count)
{
	uint32_t first, last;
	if (whole_pages(p, address, count, &first, &last) != noErr)
		return paramErr;
	if (!p->vm_on)
		return noErr;
	int r = may_write(p, first, last);
	for (uint32_t i = first; r == noErr && i <= last && first <= last; i++) {
		struct pte *e = &p->pages[i];
		if (e->frame == NO_FRAME || pte_pinned(e))
			continue;
		uint32_t frame = e->frame;
		uint64_t cost = 0;
		int err = evict(p, i, &cost);
		if (err) {
			fill_store_error(p, i, true, err);
			return dsVMBadBackingStore;
		}
		p->stats.simulated_disk_ns += cost;
		p->free_frames[p->nfree++] = frame;
	}
	return r;
}
