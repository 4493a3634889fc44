/* toolbox-internal: interrupt-time code and the VM rules that govern it —
 * guest time, the level-1 (VIA) interrupt source that runs VBL and Time
 * Manager tasks, the deferred-user-function table, page waits, and natives
 * that call 68K code and resume (toolbox/call68k.c). */
#ifndef VM68K_TOOLBOX_VMINT_H
#define VM68K_TOOLBOX_VMINT_H

#include <stdbool.h>
#include <stdint.h>

#include "guest/guest.h"

struct toolbox;

/* Guest time: each instruction is GUEST_NS_PER_INSN of guest time (a
 * 10-MIPS 68030), plus the simulated disk time of page waits and Delay. */
enum { GUEST_NS_PER_INSN = 100 };
#define VBL_PERIOD_NS (1000000000ull * 100 / 6015) /* 60.15 Hz */

enum {
	TM_MAX = 256,		 /* installed Time Manager queue entries */
	VBL_MAX = 64,		 /* VBL tasks */
	DT_MAX = 64,		 /* Deferred Task Manager queue */
	IOC_MAX = 64,		 /* I/O completion routines waiting for the interrupt */
	DEFER_TABLE_DEFAULT = 32, /* deferred user functions (System 7.5.5 bounds it too) */
	DEFER_TABLE_MAX = 1024,
	RUN_MAX = 512,		 /* 68K calls queued by one level-1 interrupt */
	CALL68K_DEPTH = 32,
	EXIT_FATAL_PAGE_FAULT_STATUS = 9,
};

/* What kind of interrupt-time routine a queued call is (for stats and the
 * userfns listing). */
enum vmint_kind {
	VK_TIME,
	VK_VBL,
	VK_DEFERRED_USER_FN,
	VK_DEFERRED_TASK,
	VK_IO_COMPLETION,
	VK_POST_EVENT,
	VK_DRIVER_CALL,
};

/* One 68K routine to call at interrupt time: PC and the registers it gets. */
struct vmint_call {
	gaddr proc;
	uint32_t a0, a1, d0;
	uint8_t kind;	 /* enum vmint_kind */
	bool immune;	 /* not user code: never deferred */
	bool deferred;	 /* came through the deferred user function table */
	uint64_t due_ns; /* when it was due (latency = run time - due) */
	gaddr task;	 /* the task record (Time Manager: made inactive / counted) */
};

typedef void (*tb_cont_fn)(struct toolbox *tb, uint32_t cookie, uint32_t d0);

struct vmint {
	/* guest time */
	uint64_t extra_ns; /* guest time not spent executing instructions */
	uint64_t next_vbl_ns;
	/* page waits (System 7 VM blocked on its paging disk) */
	volatile uint64_t pending_wait_ns; /* set by the fault callback */
	uint64_t busy_until_ns;		   /* paging unsafe until then (0: not busy) */
	bool page_wait_on;
	/* Time Manager queue (duplicates allowed, as InsTime allows them) */
	struct {
		gaddr task;
		bool active, extended, immune;
		uint64_t due_ns;
	} tm[TM_MAX];
	unsigned ntm;
	gaddr vbl[VBL_MAX];
	unsigned nvbl;
	struct vmint_call dt[DT_MAX], ioc[IOC_MAX];
	unsigned ndt, nioc;
	/* the deferred user function table */
	struct vmint_call deferred[DEFER_TABLE_MAX];
	unsigned ndeferred, defer_size;
	/* the calls of the interrupt being serviced */
	struct vmint_call run[RUN_MAX];
	unsigned nrun, irun;
	bool in_interrupt; /* the level-1 native dispatcher is between its calls */
	bool want_irq;	     /* vmint_raise was called */
	bool dt_phase;	     /* deferred tasks are running (at level 0) */
	unsigned blocked_ipl; /* interrupt mask of the program blocked on a page wait */
	/* natives waiting for a 68K routine to return */
	struct {
		tb_cont_fn fn;
		uint32_t cookie;
	} cont[CALL68K_DEPTH];
	unsigned ncont;
	/* a call a trap asked for, made from the ROM stub the trap returned to */
	bool pending_call;
	struct vmint_call pending;
	tb_cont_fn pending_cont;
	uint32_t pending_cookie;
	gaddr pending_resume;
	/* a fatal page fault reported by the pager (signal context) */
	volatile int fatal;
	volatile gaddr fatal_addr;
	volatile int fatal_reason; /* enum pager_fatal_reason */
	/* counters (--stats) */
	uint64_t interrupts, vbl_runs, tm_runs, dt_runs, ioc_runs, userfn_runs, deferred_total, deferred_runs;
	uint64_t deferred_latency_total_ns, deferred_latency_max_ns, page_waits, page_wait_ns;
};

/* call68k.c: from a native routine, calls the 68K routine proc with D0/A0/A1
 * set, on the current stack; D0-D3/A0-A3 and the PC are restored when it
 * returns (RTS), then cont(tb, cookie, D0 as the routine left it) runs. The
 * caller's PC must already be where execution resumes. False if calls are
 * nested too deeply (the run is stopped). */
bool tb_call68k(struct toolbox *tb, gaddr proc, uint32_t d0, uint32_t a0, uint32_t a1,
		tb_cont_fn cont, uint32_t cookie);
/* The same from a trap's native routine, whose registers the dispatcher
 * restores after it returns: the call is made from a ROM stub the trap
 * returns to, then execution resumes after the trap. */
bool tb_call68k_after_trap(struct toolbox *tb, gaddr proc, uint32_t d0, uint32_t a0, uint32_t a1,
			   tb_cont_fn cont, uint32_t cookie);
void tb_call68k_pending(struct toolbox *tb);
/* From a native that needs a 68K routine's answer before it can go on (the
 * Memory Manager's grow-zone and purge warning procedures, called from deep
 * inside an allocation): calls the Pascal routine proc with nargs long
 * arguments (pushed left to right) under room for a result of result_size
 * bytes (0, 2 or 4), runs the CPU until it returns, and puts every register
 * back. *result gets the result. False if the run stopped first (the routine
 * crashed, or the calls nest too deeply). */
bool tb_call68k_sync(struct toolbox *tb, gaddr proc, const uint32_t *args, unsigned nargs,
		     unsigned result_size, uint32_t *result);
/* The ROM return stub of tb_call68k_sync was reached. */
void tb_call68k_sync_return(struct toolbox *tb);
/* The ROM return stub of tb_call68k was reached: resume the native. */
void tb_call68k_return(struct toolbox *tb);
/* Returns from the exception frame on top of the supervisor stack (RTE). */
void tb_rte(struct toolbox *tb);

/* interrupts.c */
void vmint_init(struct toolbox *tb);
uint64_t tb_guest_ns(struct toolbox *tb);
/* Clips an instruction budget so the run loop regains control when the next
 * interrupt source is due. */
uint64_t vmint_budget(struct toolbox *tb, uint64_t budget);
/* Between CPU slices: page waits, due interrupts, paging safe again. */
void vmint_after_slice(struct toolbox *tb, enum cpu_stop why);
/* Fault callback part (signal context): a page wait to suspend the
 * instruction for (true), or false to let the access simply restart. */
bool vmint_page_wait(struct toolbox *tb, uint64_t wait_ns);
/* The ROM stub of an exception vector ran: true if it was ours to handle
 * (the level-1 interrupt dispatcher, a fatal page fault report). */
bool vmint_exception(struct toolbox *tb, unsigned vec, gaddr frame);
/* Defers a call until paging is safe; stops the run with system error 112
 * when the table is full (returns false). */
bool vmint_defer(struct toolbox *tb, const struct vmint_call *c);
/* Whether paging is unsafe now (VM on and a page fault being serviced). */
bool vmint_paging_unsafe(struct toolbox *tb);
/* Asks for a level-1 interrupt as soon as the interrupt mask allows. */
void vmint_raise(struct toolbox *tb);
/* A source's due time changed: ends the current CPU slice so the run loop
 * computes its budget again. */
void vmint_reschedule(struct toolbox *tb);
/* Lists the deferred user function table into buf (MacsBug's userfns: one
 * line per entry, kind, routine, registers, time waited); returns the
 * length snprintf would have written. */
size_t vmint_userfns(struct toolbox *tb, char *buf, size_t len);
/* I/O completion: queues routine for the next interrupt, called with A0 =
 * the parameter block and D0 = its ioResult; vm_immune: the driver has
 * dVMImmuneBit, so VM never defers it. For the File Manager's async calls. */
void tb_io_complete(struct toolbox *tb, gaddr pb, gaddr routine, int16_t result, bool vm_immune);

#endif
