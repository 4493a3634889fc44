/* The Mac VM API on top of the page table: HoldMemory, LockMemory and their
 * inverses, LockMemoryContiguous and GetPhysical, with Inside Macintosh's
 * result codes. Held and locked pages are pinned: resident, never victims. */
#include "config.h"

#include "pager/internal.h"

#include <string.h>

/* Converts a guest range to pages of logical RAM. Returns noErr or paramErr. */
static int range_pages(const struct pager *p, gaddr address, uint32_t count, uint32_t *first,
		       uint32_t *last)
{
	uint64_t a = address & p->addr_mask;
	uint64_t end = a + count;
	if (count == 0 || end > (uint64_t)p->npages << PAGER_PAGE_SHIFT)
		return paramErr;
	*first = (uint32_t)(a >> PAGER_PAGE_SHIFT);
	*last = (uint32_t)((end - 1) >> PAGER_PAGE_SHIFT);
	return noErr;
}

enum pin_kind { PIN_HOLD, PIN_LOCK };

static uint16_t *pin_counter(struct pte *e, enum pin_kind k)
{
	return k == PIN_HOLD ? &e->hold : &e->lock;
}

static void count_pin(struct pager *p, enum pin_kind k, int delta)
{
	if (k == PIN_HOLD) {
		p->stats.held += (uint32_t)delta;
		if (p->stats.held > p->stats.held_peak)
			p->stats.held_peak = p->stats.held;
	} else {
		p->stats.locked += (uint32_t)delta;
		if (p->stats.locked > p->stats.locked_peak)
			p->stats.locked_peak = p->stats.locked;
	}
}

static void unpin_one(struct pager *p, uint32_t page, enum pin_kind k)
{
	struct pte *e = &p->pages[page];
	bool was = pte_pinned(e);
	uint16_t *c = pin_counter(e, k);
	if (--*c == 0)
		count_pin(p, k, -1);
	pin_changed(p, e, was);
}

/* Pages in and pins [first, last], page by page so a page pinned early is
 * never the victim of a later page-in. On failure undoes its own pins. */
static int pin_range(struct pager *p, uint32_t first, uint32_t last, enum pin_kind k)
{
	uint32_t newly = 0;
	bool all_resident = true;
	for (uint32_t i = first; i <= last; i++) {
		if (!pte_pinned(&p->pages[i]))
			newly++;
		if (p->pages[i].frame == NO_FRAME)
			all_resident = false;
	}
	/* One frame must stay free of pins, or nothing else could ever be paged in. */
	if (p->vm_on && (uint64_t)p->pinned + newly > p->nframes - 1)
		return notEnoughMemoryErr;
	/* Paging would be needed while it is unsafe (the Technote's rule: such
	 * calls are fine at interrupt time only if nothing must be paged). */
	if (!all_resident && !p->paging_safe)
		return interruptsMaskedErr;
	for (uint32_t i = first; i <= last; i++) {
		struct pte *e = &p->pages[i];
		if (e->frame == NO_FRAME) {
			uint64_t cost = 0;
			if (page_in(p, i, false, &cost) < 0) {
				while (i-- > first)
					unpin_one(p, i, k);
				return dsVMBadBackingStore;
			}
		}
		bool was = pte_pinned(e);
		uint16_t *c = pin_counter(e, k);
		if ((*c)++ == 0)
			count_pin(p, k, 1);
		pin_changed(p, e, was);
		/* A page the clock left PROT_NONE is restored: pinned pages are
		 * never sampled again. */
		if (e->prot == PROT_IS_NONE)
			set_prot(p, i, resident_prot(p, e));
	}
	return noErr;
}

/* One trace event per successful call (not per page: holding a large
 * range must not flood the ring), after the pin counts changed. */
static int traced(struct pager *p, int r, enum pager_event_kind kind, gaddr address,
		  uint32_t first, uint32_t last)
{
	if (r == noErr)
		trace_range_event(p, kind, address & p->addr_mask, last - first + 1);
	return r;
}

static int unpin_range(struct pager *p, gaddr address, uint32_t count, enum pin_kind k, int err)
{
	uint32_t first, last;
	if (range_pages(p, address, count, &first, &last) != noErr)
		return paramErr;
	for (uint32_t i = first; i <= last; i++)
		if (*pin_counter(&p->pages[i], k) == 0)
			return err;
	for (uint32_t i = first; i <= last; i++)
		unpin_one(p, i, k);
	return traced(p, noErr, k == PIN_HOLD ? PAGER_EV_UNHOLD : PAGER_EV_UNLOCK, address, first,
		      last);
}

int HoldMemory(struct pager *p, gaddr address, uint32_t count)
{
	uint32_t first, last;
	if (range_pages(p, address, count, &first, &last) != noErr)
		return paramErr;
	return traced(p, pin_range(p, first, last, PIN_HOLD), PAGER_EV_HOLD, address, first, last);
}

int UnholdMemory(struct pager *p, gaddr address, uint32_t count)
{
	return unpin_range(p, address, count, PIN_HOLD, notHeldErr);
}

int LockMemory(struct pager *p, gaddr address, uint32_t count)
{
	uint32_t first, last;
	if (range_pages(p, address, count, &first, &last) != noErr)
		return paramErr;
	return traced(p, pin_range(p, first, last, PIN_LOCK), PAGER_EV_LOCK, address, first, last);
}

int LockMemoryForOutput(struct pager *p, gaddr address, uint32_t count)
{
	return LockMemory(p, address, count);
}

int UnlockMemory(struct pager *p, gaddr address, uint32_t count)
{
	return unpin_range(p, address, count, PIN_LOCK, notLockedErr);
}

/* Moves page into frame `to`, swapping with whatever page is there. Frames
 * are bookkeeping (the bytes stay at the page's memfd offset), so a move is
 * an exchange of table entries. */
static void move_to_frame(struct pager *p, uint32_t page, uint32_t to)
{
	uint32_t from = p->pages[page].frame;
	if (from == to)
		return;
	uint32_t other = p->frame_page[to];
	p->frame_page[to] = page;
	p->pages[page].frame = to;
	p->frame_page[from] = other;
	if (other != NO_FRAME) {
		p->pages[other].frame = from;
		return;
	}
	for (uint32_t i = 0; i < p->nfree; i++)
		if (p->free_frames[i] == to) {
			p->free_frames[i] = from;
			break;
		}
}

int LockMemoryContiguous(struct pager *p, gaddr address, uint32_t count)
{
	uint32_t first, last;
	if (range_pages(p, address, count, &first, &last) != noErr)
		return paramErr;
	uint32_t n = last - first + 1;
	if (n > p->nframes)
		return notEnoughMemoryErr;
	/* A run of frames none of which holds a page locked by someone else
	 * (locked pages cannot move). */
	uint32_t base = NO_FRAME;
	for (uint32_t b = 0; b + n <= p->nframes && base == NO_FRAME; b++) {
		bool ok = true;
		for (uint32_t i = 0; i < n && ok; i++) {
			uint32_t q = p->frame_page[b + i];
			ok = q == NO_FRAME || (q >= first && q <= last) || p->pages[q].lock == 0;
		}
		if (ok)
			base = b;
	}
	if (base == NO_FRAME)
		return cannotMakeContiguousErr;
	int r = pin_range(p, first, last, PIN_LOCK);
	if (r != noErr)
		return r;
	for (uint32_t i = 0; i < n; i++)
		move_to_frame(p, first + i, base + i);
	return traced(p, noErr, PAGER_EV_LOCK, address, first, last);
}

int GetPhysical(struct pager *p, gaddr address, uint32_t count, struct pager_physical_range *out,
		unsigned max, unsigned *n)
{
	uint32_t first, last;
	*n = 0;
	if (range_pages(p, address, count, &first, &last) != noErr)
		return paramErr;
	for (uint32_t i = first; i <= last; i++)
		if (p->pages[i].frame == NO_FRAME)
			return paramErr;
	uint32_t a = address & p->addr_mask;
	uint32_t left = count;
	unsigned used = 0;
	while (left > 0) {
		uint32_t page = a >> PAGER_PAGE_SHIFT;
		uint32_t in_page = PAGER_PAGE_SIZE - (a & (PAGER_PAGE_SIZE - 1));
		uint32_t chunk = left < in_page ? left : in_page;
		uint32_t phys =
		    (p->pages[page].frame << PAGER_PAGE_SHIFT) | (a & (PAGER_PAGE_SIZE - 1));
		if (used > 0 && out[used - 1].address + out[used - 1].count == phys) {
			out[used - 1].count += chunk;
		} else {
			if (used == max)
				return paramErr;
			out[used].address = phys;
			out[used].count = chunk;
			used++;
		}
		a += chunk;
		left -= chunk;
	}
	*n = used;
	return noErr;
}
