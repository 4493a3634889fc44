/* The shared page map: how the host sees page states without slowing the
 * guest. The host maps it before the fork; the child refreshes it at
 * instruction boundaries from the pager's trace ring (the pages events name)
 * and, 60 times a second, from every page's state. The fault handler does
 * nothing extra: the cost is in the refresh, off the fault path. */
#include "config.h"

#include "host/display.h"
#include "pager/pager.h"

#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define SWEEP_NS (1000000000ull / 60)

static size_t pagemap_bytes(uint32_t capacity)
{
	size_t n = sizeof(struct pagemap_header) + 2 * (size_t)capacity;
	return (n + 4095) & ~(size_t)4095;
}

static void pagemap_point(struct pagemap *pm, void *base, uint32_t capacity)
{
	pm->h = base;
	pm->state = (uint8_t *)base + sizeof(struct pagemap_header);
	pm->touched = pm->state + capacity;
	pm->capacity = capacity;
	pm->bytes = pagemap_bytes(capacity);
}

int pagemap_create(struct pagemap *pm, uint32_t capacity)
{
	memset(pm, 0, sizeof *pm);
	size_t bytes = pagemap_bytes(capacity);
	void *base = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return -1;
	pagemap_point(pm, base, capacity);
	pm->h->magic = PAGEMAP_MAGIC;
	pm->h->capacity = capacity;
	return 0;
}

void pagemap_destroy(struct pagemap *pm)
{
	if (pm->h != NULL)
		munmap(pm->h, pm->bytes);
	memset(pm, 0, sizeof *pm);
}

/* ---- child side ---- */

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint8_t ram_cell_state(struct pager *p, uint32_t page)
{
	struct pager_page_state s;
	if (pager_page_state(p, (gaddr)page << PAGER_PAGE_SHIFT, &s) != noErr)
		return PAGEMAP_UNUSED;
	/* One colour per page: the strongest claim on it wins. */
	if (s.watched)
		return PAGEMAP_WATCHED;
	if (s.lock_count)
		return PAGEMAP_LOCKED;
	if (s.hold_count)
		return PAGEMAP_HELD;
	if (!s.resident)
		return PAGEMAP_NOT_RESIDENT;
	return s.dirty ? PAGEMAP_DIRTY : PAGEMAP_CLEAN;
}

/* The cell of guest address a, or UINT32_MAX. */
static uint32_t cell_of(const struct pagemap_writer *w, gaddr a)
{
	uint32_t first = 0;
	for (uint32_t r = 0; r < w->pm.h->nregions; r++) {
		const struct pagemap_region *g = &w->pm.h->regions[r];
		if (a >= g->base && (a - g->base) >> PAGER_PAGE_SHIFT < g->cells)
			return first + ((a - g->base) >> PAGER_PAGE_SHIFT);
		first += g->cells;
	}
	return UINT32_MAX;
}

static void sweep(struct pagemap_writer *w)
{
	for (uint32_t i = 0; i < w->ram_cells; i++)
		w->pm.state[i] = ram_cell_state(w->pager, i);
	for (uint32_t i = w->ram_cells; i < w->used; i++)
		w->pm.state[i] = PAGEMAP_READ_ONLY;
	struct pager_stats s;
	pager_get_stats(w->pager, &s);
	struct pagemap_header *h = w->pm.h;
	h->vm_state = pager_vm_state(w->pager);
	h->frames = s.frames;
	h->resident = s.resident;
	h->held = s.held;
	h->locked = s.locked;
	h->watched = s.watched;
	h->faults = s.faults;
	h->page_ins = s.page_ins;
	h->page_outs = s.page_outs;
	h->syncs++;
}

void pagemap_writer_init(struct pagemap_writer *w, const struct pagemap *pm, struct pager *p)
{
	memset(w, 0, sizeof *w);
	w->pm = *pm;
	w->pager = p;
	struct pagemap_header *h = pm->h;
	uint32_t n = 0, used = 0;
	for (int i = 0; i < pager_region_count(p) && n < PAGEMAP_MAX_REGIONS; i++) {
		struct pager_region_info r;
		pager_region_info(p, i, &r);
		/* Logical RAM and what is mapped read-only from files; the screen
		 * is drawn beside the map, not in it. */
		if (i != 0 && !(r.read_only && (r.kind == PAGER_ROM || r.kind == PAGER_FILE)))
			continue;
		uint32_t cells = r.size >> PAGER_PAGE_SHIFT;
		if (cells > pm->capacity - used)
			cells = pm->capacity - used;
		if (cells == 0)
			continue;
		struct pagemap_region *g = &h->regions[n++];
		memset(g, 0, sizeof *g);
		memcpy(g->name, r.name, strnlen(r.name, sizeof g->name - 1));
		g->base = r.base;
		g->cells = cells;
		if (i == 0)
			w->ram_cells = cells;
		used += cells;
	}
	w->used = used;
	/* The cursor starts at the ring's present: older events are in the
	 * first sweep. */
	struct pager_event ev[64];
	while (pager_trace_read(p, &w->cursor, ev, 64) > 0)
		;
	sweep(w);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	h->nregions = n;
	w->last_sweep_ns = mono_ns();
}

static bool is_fault(uint32_t kind)
{
	switch (kind) {
	case PAGER_EV_PAGE_OUT:
	case PAGER_EV_CLEAN_DROP:
		return false; /* the victim's state changed; it did not fault */
	case PAGER_EV_HOLD:
	case PAGER_EV_UNHOLD:
	case PAGER_EV_LOCK:
	case PAGER_EV_UNLOCK:
		return false; /* a VM API call over ev.pages pages, not a fault */
	default:
		return true;
	}
}

void pagemap_sync(struct pagemap_writer *w, bool force)
{
	if (w->pm.h == NULL)
		return;
	struct pager_event ev[128];
	size_t n;
	bool lost = false;
	uint64_t want = w->cursor;
	while ((n = pager_trace_read(w->pager, &w->cursor, ev, 128)) > 0) {
		if (ev[0].seq != (uint32_t)want)
			lost = true; /* the ring lapped us: the sweep below catches up */
		want = w->cursor;
		for (size_t i = 0; i < n; i++) {
			uint32_t c = cell_of(w, ev[i].addr);
			if (c == UINT32_MAX)
				continue;
			if (is_fault(ev[i].kind))
				w->pm.touched[c]++;
			/* A hold or lock changes every page of its range. */
			for (uint32_t k = 0; k < (ev[i].pages ? ev[i].pages : 1); k++)
				if (c + k < w->ram_cells)
					w->pm.state[c + k] = ram_cell_state(w->pager, c + k);
		}
	}
	uint64_t now = 0;
	if (!force && !lost) {
		now = mono_ns();
		if (now - w->last_sweep_ns < SWEEP_NS)
			return;
	}
	sweep(w);
	w->last_sweep_ns = now ? now : mono_ns();
}
