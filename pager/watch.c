/* Watch points made of page protection, as MacsBug's "New Watch Points":
 * a watched page is read-only; a write fault on it opens the page and lets
 * the write complete, and at the next instruction boundary pager_poll closes
 * it again and compares the watched range with its snapshot. The pages are
 * pinned so the snapshot and the protection stay meaningful, which is also
 * what makes page 0 and a constantly written stack page work. */
#include "config.h"

#include "pager/internal.h"

#include <string.h>

bool watch_covers(const struct pager *p, gaddr addr)
{
	for (int i = 0; i < PAGER_MAX_WATCHES; i++) {
		const struct watch *w = &p->watches[i];
		if (w->used && addr >= w->start && (uint64_t)addr < (uint64_t)w->start + w->len)
			return true;
	}
	return false;
}

/* Called from the fault handler for a write to a closed watched page. */
bool watch_open_page(struct pager *p, uint32_t page, gaddr addr)
{
	if (p->nopen == MAX_OPEN_WATCH_PAGES)
		return false;
	struct pte *e = &p->pages[page];
	p->open_pages[p->nopen] = page;
	p->open_addr[p->nopen] = addr;
	p->nopen++;
	e->dirty = 1;
	e->referenced = 1;
	set_prot(p, page, PROT_IS_RW);
	p->pending = 1;
	if (!watch_covers(p, addr)) {
		p->stats.watch_filtered++;
		trace_event(p, PAGER_EV_WATCH_FILTERED, addr, e->frame);
	}
	return true;
}

int pager_watch_add(struct pager *p, gaddr a, uint32_t len)
{
	a &= p->addr_mask;
	if (len == 0 || len > PAGER_WATCH_MAX_LEN ||
	    (uint64_t)a + len > (uint64_t)p->npages << PAGER_PAGE_SHIFT)
		return paramErr;
	int slot = -1;
	for (int i = 0; i < PAGER_MAX_WATCHES && slot < 0; i++)
		if (!p->watches[i].used)
			slot = i;
	if (slot < 0)
		return notEnoughMemoryErr;
	uint32_t first = a >> PAGER_PAGE_SHIFT, last = (a + len - 1) >> PAGER_PAGE_SHIFT;
	uint32_t newly = 0;
	for (uint32_t i = first; i <= last; i++) {
		if (p->pages[i].frame == NO_FRAME && !p->paging_safe)
			return interruptsMaskedErr;
		if (!pte_pinned(&p->pages[i]))
			newly++;
	}
	if (p->vm_on && (uint64_t)p->pinned + newly > p->nframes - 1)
		return notEnoughMemoryErr;
	for (uint32_t i = first; i <= last; i++) {
		struct pte *e = &p->pages[i];
		if (e->frame == NO_FRAME) {
			uint64_t cost = 0;
			if (page_in(p, i, false, &cost) < 0) {
				while (i-- > first) {
					bool was = pte_pinned(&p->pages[i]);
					if (--p->pages[i].watch == 0) {
						p->stats.watched--;
						set_prot(p, i, resident_prot(p, &p->pages[i]));
					}
					pin_changed(p, &p->pages[i], was);
				}
				return dsVMBadBackingStore;
			}
		}
		bool was = pte_pinned(e);
		if (e->watch++ == 0)
			p->stats.watched++;
		pin_changed(p, e, was);
		/* An open page stays open until the next poll closes it. */
		bool open = false;
		for (unsigned k = 0; k < p->nopen; k++)
			open |= p->open_pages[k] == i;
		if (!open)
			set_prot(p, i, PROT_IS_READ);
	}
	struct watch *w = &p->watches[slot];
	w->used = true;
	w->start = a;
	w->len = len;
	memcpy(w->snapshot, p->alias + a, len);
	return slot;
}

int pager_watch_remove(struct pager *p, int i)
{
	if (i < 0 || i >= PAGER_MAX_WATCHES || !p->watches[i].used)
		return paramErr;
	struct watch *w = &p->watches[i];
	uint32_t first = w->start >> PAGER_PAGE_SHIFT,
		 last = (w->start + w->len - 1) >> PAGER_PAGE_SHIFT;
	w->used = false;
	for (uint32_t pg = first; pg <= last; pg++) {
		struct pte *e = &p->pages[pg];
		bool was = pte_pinned(e);
		if (--e->watch == 0) {
			p->stats.watched--;
			set_prot(p, pg, resident_prot(p, e));
		}
		pin_changed(p, e, was);
	}
	return noErr;
}

static uint32_t be_value(const uint8_t *b, unsigned n)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | b[i];
	return v;
}

int pager_poll(struct pager *p, struct pager_fault *hit)
{
	if (!p->pending)
		return 0;
	/* Close the opened pages first: from here on any write faults again. */
	for (unsigned k = 0; k < p->nopen; k++) {
		uint32_t page = p->open_pages[k];
		if (p->pages[page].watch && p->pages[page].prot == PROT_IS_RW)
			set_prot(p, page, PROT_IS_READ);
	}
	int hits = 0;
	for (int i = 0; i < PAGER_MAX_WATCHES; i++) {
		struct watch *w = &p->watches[i];
		if (!w->used)
			continue;
		const uint8_t *now = p->alias + w->start;
		uint32_t at = UINT32_MAX;
		for (uint32_t j = 0; j < w->len && at == UINT32_MAX; j++)
			if (now[j] != w->snapshot[j])
				at = j;
		/* A write into the range that stored the same value is a hit too. */
		for (unsigned k = 0; k < p->nopen && at == UINT32_MAX; k++) {
			gaddr fa = p->open_addr[k];
			if (fa >= w->start && (uint64_t)fa < (uint64_t)w->start + w->len)
				at = fa - w->start;
		}
		if (at == UINT32_MAX)
			continue;
		if (hits++ == 0 && hit != NULL) {
			unsigned n = w->len - at < 4 ? w->len - at : 4;
			memset(hit, 0, sizeof *hit);
			hit->kind = PAGER_FAULT_WATCH_HIT;
			hit->addr = w->start + at;
			hit->write = true;
			hit->region = 0;
			hit->region_name = p->regions[0].info.name;
			hit->region_offset = hit->addr;
			hit->watch = i;
			hit->watch_start = w->start;
			hit->watch_len = w->len;
			hit->value_len = n;
			hit->old_value = be_value(w->snapshot + at, n);
			hit->new_value = be_value(now + at, n);
		}
		memcpy(w->snapshot, now, w->len);
		p->stats.watch_hits++;
		trace_event(p, PAGER_EV_WATCH_HIT, w->start + at,
			    p->pages[w->start >> PAGER_PAGE_SHIFT].frame);
	}
	p->nopen = 0;
	p->pending = 0;
	return hits > 0;
}

volatile sig_atomic_t *pager_pending(struct pager *p)
{
	return &p->pending;
}
