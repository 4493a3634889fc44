/* host-internal, child side: the pager's event ring turned into trace
 * records (host/protocol.h) for --trace, with the running counts each
 * record carries; shared by the pager demonstration and `vm68k run APP`. */
#ifndef VM68K_HOST_PAGERTRACE_H
#define VM68K_HOST_PAGERTRACE_H

#include <stdint.h>

#include "host/protocol.h"
#include "host/sandbox.h"
#include "pager/pager.h"

struct pager_tracer {
	uint64_t cursor;	    /* next pager event to read */
	uint64_t t0;		    /* CLOCK_MONOTONIC ns at the start of the run */
	struct trace_record counts; /* the counts of the last pager event sent */
};

/* Starts a trace: time 0 is now. */
void pager_trace_start(struct pager_tracer *t);
/* Sends the pager's events since the last call as trace records; events
 * the ring overwrote before this call are lost (call it often). */
void pager_trace_drain(struct pager *p, const struct sandbox_child *child, struct pager_tracer *t);
/* A record of another kind (privileged instruction, trap...) at pc/addr,
 * carrying the current counts. */
void pager_trace_event(struct pager *p, const struct sandbox_child *child, struct pager_tracer *t,
		       uint16_t kind, uint32_t pc, uint32_t addr);

#endif
