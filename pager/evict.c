/* Frames, page-in and page-out: the physical side of the pager. A frame is a
 * numbered slot of the --ram budget; a page's bytes always live at its
 * logical offset in the RAM memfd, so "which frame" is bookkeeping (reported
 * by GetPhysical) while "resident" is real: a non-resident page is PROT_NONE
 * and punched out of the memfd. Victims are chosen by a two-handed clock
 * with referenced bits that come from faults. Called from the SIGSEGV handler:
 * async-signal-safe, bounded loops only. */
#include "config.h"

#include "pager/internal.h"

#include <sys/mman.h>

void set_prot(struct pager *p, uint32_t page, enum prot prot)
{
	static const int host[] = {PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE};
	mprotect(page_host(p, page), PAGER_PAGE_SIZE, host[prot]);
	p->pages[page].prot = (uint8_t)prot;
}

enum prot resident_prot(const struct pager *p, const struct pte *e)
{
	(void)p;
	if (e->watch)
		return PROT_IS_READ; /* every write is filtered by the watch code */
	return e->dirty ? PROT_IS_RW : PROT_IS_READ;
}

void pin_changed(struct pager *p, struct pte *e, bool was_pinned)
{
	bool now = pte_pinned(e);
	if (now && !was_pinned)
		p->pinned++;
	else if (!now && was_pinned)
		p->pinned--;
}

void fill_store_error(struct pager *p, uint32_t page, bool write, int err)
{
	fault_fill(p, PAGER_FAULT_BAD_BACKING_STORE, page << PAGER_PAGE_SHIFT, write);
	p->fault.sys_error = dsVMBadBackingStore;
	p->fault.host_errno = err;
	p->fault.store_write = write;
	p->stats.backing_store_errors++;
	if (p->in_handler)
		p->stats.fault_store_errors++;
	trace_event(p, PAGER_EV_BAD_STORE, page << PAGER_PAGE_SHIFT, p->pages[page].frame);
}

/* Takes page out of its frame (see internal.h). */
int evict(struct pager *p, uint32_t page, uint64_t *cost_ns)
{
	struct pte *e = &p->pages[page];
	enum prot before = (enum prot)e->prot;
	uint32_t frame = e->frame;
	enum pager_event_kind kind = PAGER_EV_CLEAN_DROP;
	if (before != PROT_IS_NONE)
		set_prot(p, page, PROT_IS_NONE);
	if (e->dirty) {
		int err = store_write_page(p, page);
		if (err) {
			set_prot(p, page, before);
			return err;
		}
		e->dirty = 0;
		e->in_store = 1;
		p->stats.page_outs++;
		*cost_ns += p->disk_latency_ns;
		kind = PAGER_EV_PAGE_OUT;
	} else {
		p->stats.clean_drops++;
	}
	/* Counted before the event is recorded: it carries the counts after it. */
	p->stats.resident--;
	p->stats.evictions++;
	trace_event(p, kind, page << PAGER_PAGE_SHIFT, frame);
	ram_release_page(p, page);
	e->frame = NO_FRAME;
	e->referenced = 0;
	p->frame_page[frame] = NO_FRAME;
	return 0;
}

/* The front hand of the clock: samples the page in frame f by clearing its
 * referenced bit and re-protecting it, so the next access faults and sets
 * the bit again (there is no hardware R bit to read). */
static void sample_frame(struct pager *p, uint32_t f)
{
	uint32_t page = p->frame_page[f];
	if (page == NO_FRAME)
		return;
	struct pte *e = &p->pages[page];
	if (pte_pinned(e) || e->prot == PROT_IS_NONE)
		return; /* pinned: never sampled; NONE: sampled and not used since */
	e->referenced = 0;
	set_prot(p, page, PROT_IS_NONE);
}

/* Returns a free frame, evicting a victim if needed; NO_FRAME with p->fault
 * filled when every frame is pinned or the victim's page-out failed.
 *
 * Two-handed clock (as in BSD and SVR4): the front hand, half the frames
 * ahead, samples pages; the back hand evicts the first unpinned page whose
 * bit is still clear, so a page is evicted only if it went unused for the
 * time the back hand took to catch up, i.e. over many page-ins. With one
 * hand that both clears and evicts, the first search after the frames fill
 * finds every bit still set from its page-in, clears them all in one sweep
 * and evicts whatever the hand started on, even a page in constant use
 * (second chance degenerates to FIFO). */
static uint32_t take_frame(struct pager *p, uint32_t for_page, bool write, uint64_t *cost_ns)
{
	if (p->nfree > 0)
		return p->free_frames[--p->nfree];
	uint32_t spread = p->nframes / 2; /* >= 1: there are at least 2 frames */
	/* Within 2 * frames + 1 steps the front hand has cleared every bit the
	 * back hand then meets, unless every frame is pinned. */
	for (uint32_t step = 0; step < 2 * p->nframes + 1; step++) {
		uint32_t f = p->hand;
		p->hand = (p->hand + 1) % p->nframes;
		sample_frame(p, (f + spread) % p->nframes);
		uint32_t page = p->frame_page[f];
		if (page == NO_FRAME)
			return f;
		struct pte *e = &p->pages[page];
		if (pte_pinned(e) || e->referenced)
			continue;
		int err = evict(p, page, cost_ns);
		if (err) {
			fill_store_error(p, page, true, err);
			return NO_FRAME;
		}
		return f;
	}
	fault_fill(p, PAGER_FAULT_FATAL_PAGE_FAULT, for_page << PAGER_PAGE_SHIFT, write);
	p->fault.reason = PAGER_FATAL_NO_FRAME;
	p->stats.fatal_page_faults++;
	if (p->in_handler)
		p->stats.fault_fatal++;
	trace_event(p, PAGER_EV_FATAL, for_page << PAGER_PAGE_SHIFT, NO_FRAME);
	return NO_FRAME;
}

int page_in(struct pager *p, uint32_t page, bool write, uint64_t *cost_ns)
{
	struct pte *e = &p->pages[page];
	uint64_t cost = 0;
	uint32_t frame = take_frame(p, page, write, &cost);
	p->stats.simulated_disk_ns += cost;
	*cost_ns += cost;
	if (frame == NO_FRAME)
		return -1;
	if (e->in_store) {
		int err = store_read_page(p, page);
		if (err) {
			ram_release_page(p, page);
			p->free_frames[p->nfree++] = frame;
			fill_store_error(p, page, false, err);
			return -1;
		}
		p->stats.page_ins++;
		p->stats.simulated_disk_ns += p->disk_latency_ns;
		*cost_ns += p->disk_latency_ns;
	} else {
		/* The punched memfd range already reads as zeros. */
		p->stats.zero_fills++;
	}
	/* Counted before the event is recorded: it carries the counts after it. */
	p->stats.resident++;
	if (p->stats.resident > p->stats.resident_peak)
		p->stats.resident_peak = p->stats.resident;
	trace_event(p, e->in_store ? PAGER_EV_PAGE_IN : PAGER_EV_ZERO_FILL,
		    page << PAGER_PAGE_SHIFT, frame);
	e->frame = frame;
	p->frame_page[frame] = page;
	e->referenced = 1;
	if (write && !e->watch)
		e->dirty = 1;
	set_prot(p, page, resident_prot(p, e));
	return 0;
}
