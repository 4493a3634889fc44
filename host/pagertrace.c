/* The pager's event ring as --trace records (host/pagertrace.h). */
#include "config.h"

#include "host/pagertrace.h"

#include <time.h>

static const uint16_t trace_kind_of[] = {
    [PAGER_EV_ZERO_FILL] = TRACE_ZERO_FILL,
    [PAGER_EV_PAGE_IN] = TRACE_PAGE_IN,
    [PAGER_EV_PAGE_OUT] = TRACE_PAGE_OUT,
    [PAGER_EV_CLEAN_DROP] = TRACE_EVICT,
    [PAGER_EV_DIRTY] = TRACE_DIRTY,
    [PAGER_EV_REFERENCE] = TRACE_REFERENCE,
    [PAGER_EV_WATCH_FILTERED] = TRACE_WATCH_FILTERED,
    [PAGER_EV_WATCH_HIT] = TRACE_WATCH_HIT,
    [PAGER_EV_BUS_ERROR] = TRACE_BUS_ERROR,
    [PAGER_EV_READ_ONLY] = TRACE_READ_ONLY_WRITE,
    [PAGER_EV_FATAL] = TRACE_FATAL_PAGE_FAULT,
    [PAGER_EV_BAD_STORE] = TRACE_BAD_BACKING_STORE,
    [PAGER_EV_HOLD] = TRACE_HOLD,
    [PAGER_EV_UNHOLD] = TRACE_UNHOLD,
    [PAGER_EV_LOCK] = TRACE_LOCK,
    [PAGER_EV_UNLOCK] = TRACE_UNLOCK,
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void pager_trace_start(struct pager_tracer *t)
{
	*t = (struct pager_tracer){0};
	t->t0 = now_ns();
}

void pager_trace_drain(struct pager *p, const struct sandbox_child *child, struct pager_tracer *t)
{
	struct pager_event ev[256];
	size_t n;
	while ((n = pager_trace_read(p, &t->cursor, ev, 256)) > 0) {
		for (size_t i = 0; i < n; i++) {
			uint32_t k = ev[i].kind;
			/* Each event carries the pager's counts right after it,
			 * so a record is exact even if events before it were lost. */
			struct trace_record *c = &t->counts;
			c->resident = ev[i].resident;
			c->held = ev[i].held;
			c->locked = ev[i].locked;
			c->faults = ev[i].faults;
			c->page_ins = ev[i].page_ins;
			c->page_outs = ev[i].page_outs;
			struct trace_record r = *c;
			r.time_ns = ev[i].ns - t->t0;
			r.kind = k < sizeof trace_kind_of / sizeof trace_kind_of[0]
				     ? trace_kind_of[k]
				     : 0;
			if (k == PAGER_EV_PAGE_IN)
				r.source = TRACE_SRC_BACKING;
			else if (k == PAGER_EV_ZERO_FILL)
				r.source = TRACE_SRC_ZERO;
			r.pc = ev[i].pc;
			r.addr = ev[i].addr;
			r.page = ev[i].addr / 4096;
			if (k >= PAGER_EV_HOLD && k <= PAGER_EV_UNLOCK)
				r.pages = ev[i].pages;
			if (r.kind != 0)
				child_trace(child, &r);
		}
	}
}

void pager_trace_event(struct pager *p, const struct sandbox_child *child, struct pager_tracer *t,
		       uint16_t kind, uint32_t pc, uint32_t addr)
{
	pager_trace_drain(p, child, t); /* keep the records in time order */
	struct pager_stats s;
	pager_get_stats(p, &s);
	struct trace_record r = {0};
	r.time_ns = now_ns() - t->t0;
	r.kind = kind;
	r.pc = pc;
	r.addr = addr;
	/* A trap record's addr is the trap word, not an address: its page is
	 * the page of the code that called the trap. */
	r.page = (kind == TRACE_TRAP ? pc : addr) / 4096;
	r.resident = s.resident;
	r.held = s.held;
	r.locked = s.locked;
	r.faults = s.faults;
	r.page_ins = s.page_ins;
	r.page_outs = s.page_outs;
	child_trace(child, &r);
}
