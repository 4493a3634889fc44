/* Working-set sampling: how many distinct pages a program touched per
 * interval, for `vm68k run --stats`. There is no hardware referenced bit to
 * read, so, like the clock's front hand (evict.c), the sample re-protects
 * the resident pages and lets the next access to each fault once; every
 * fault on a page of logical RAM sets its touched bit (fault.c). */
#include "config.h"

#include "pager/internal.h"

#include <sys/mman.h>

uint32_t pager_ws_sample(struct pager *p)
{
	if (!p->vm_on)
		return 0;
	uint32_t touched = 0;
	uint32_t run = 0, run_len = 0; /* pages to re-protect, one mprotect per run */
	for (uint32_t page = 0; page <= p->npages; page++) {
		bool protect = false;
		if (page < p->npages) {
			struct pte *e = &p->pages[page];
			touched += e->touched;
			e->touched = 0;
			if (e->frame != NO_FRAME && !pte_pinned(e) && e->prot != PROT_IS_NONE) {
				e->referenced = 0;
				e->prot = PROT_IS_NONE;
				protect = true;
			}
		}
		if (protect) {
			if (run_len == 0)
				run = page;
			run_len++;
		} else if (run_len > 0) {
			mprotect(page_host(p, run), (size_t)run_len << PAGER_PAGE_SHIFT, PROT_NONE);
			run_len = 0;
		}
	}
	return touched;
}
