/* The trace ring: a preallocated array of timestamped paging events, written
 * by the fault handler (no allocation, no locks) and read at instruction
 * boundaries or after the run. */
#include "config.h"

#include "pager/internal.h"

#include <string.h>

/* Callers update the counters before they record the event, so the
 * snapshot below is the state right after it (and stays exact even when
 * the reader loses events to a wrapped ring). */
static void record(struct pager *p, enum pager_event_kind kind, gaddr addr, uint32_t frame,
		   uint32_t pages)
{
	uint64_t seq = p->trace_seq;
	struct pager_event *ev = &p->trace[seq % PAGER_TRACE_CAPACITY];
	ev->ns = now_ns();
	ev->kind = kind;
	ev->addr = addr;
	ev->frame = frame == NO_FRAME ? -1 : (int32_t)frame;
	ev->seq = (uint32_t)seq;
	ev->pc = p->pc_source ? *p->pc_source : 0;
	ev->pages = pages;
	ev->resident = p->stats.resident;
	ev->held = p->stats.held;
	ev->locked = p->stats.locked;
	ev->faults = p->stats.faults;
	ev->page_ins = p->stats.page_ins;
	ev->page_outs = p->stats.page_outs;
	/* Published last, so a reader never sees a slot before it is written. */
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	p->trace_seq = seq + 1;
}

void trace_event(struct pager *p, enum pager_event_kind kind, gaddr addr, uint32_t frame)
{
	record(p, kind, addr, frame, 1);
}

void trace_range_event(struct pager *p, enum pager_event_kind kind, gaddr addr, uint32_t pages)
{
	record(p, kind, addr, NO_FRAME, pages);
}

void pager_set_pc_source(struct pager *p, const volatile uint32_t *pc)
{
	p->pc_source = pc;
}

size_t pager_trace_read(const struct pager *p, uint64_t *cursor, struct pager_event *out,
			size_t max)
{
	uint64_t head = p->trace_seq;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	uint64_t from = *cursor;
	if (head > PAGER_TRACE_CAPACITY && from < head - PAGER_TRACE_CAPACITY)
		from = head - PAGER_TRACE_CAPACITY;
	size_t n = 0;
	while (from + n < head && n < max) {
		out[n] = p->trace[(from + n) % PAGER_TRACE_CAPACITY];
		n++;
	}
	/* A fault during the copy may have overwritten the oldest slots we
	 * read: drop those rather than return a torn event. */
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	uint64_t now = p->trace_seq;
	size_t skip = 0;
	if (now > PAGER_TRACE_CAPACITY && now - PAGER_TRACE_CAPACITY > from)
		skip = (size_t)(now - PAGER_TRACE_CAPACITY - from);
	if (skip > n)
		skip = n;
	if (skip > 0)
		memmove(out, out + skip, (n - skip) * sizeof *out);
	*cursor = from + n;
	return n - skip;
}

const char *pager_event_name(uint32_t kind)
{
	static const char *const names[] = {
	    [PAGER_EV_ZERO_FILL] = "zero-fill",
	    [PAGER_EV_PAGE_IN] = "page-in",
	    [PAGER_EV_PAGE_OUT] = "page-out",
	    [PAGER_EV_CLEAN_DROP] = "clean-drop",
	    [PAGER_EV_DIRTY] = "dirty",
	    [PAGER_EV_REFERENCE] = "reference",
	    [PAGER_EV_WATCH_FILTERED] = "watch-filtered",
	    [PAGER_EV_WATCH_HIT] = "watch-hit",
	    [PAGER_EV_BUS_ERROR] = "bus-error",
	    [PAGER_EV_READ_ONLY] = "read-only",
	    [PAGER_EV_FATAL] = "fatal-page-fault",
	    [PAGER_EV_BAD_STORE] = "bad-backing-store",
	    [PAGER_EV_HOLD] = "hold",
	    [PAGER_EV_UNHOLD] = "unhold",
	    [PAGER_EV_LOCK] = "lock",
	    [PAGER_EV_UNLOCK] = "unlock",
	};
	if (kind < sizeof names / sizeof names[0] && names[kind])
		return names[kind];
	return "?";
}
