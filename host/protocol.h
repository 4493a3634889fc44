/* The wire between the host and the sandboxed guest process: messages on the
 * channel (a SOCK_SEQPACKET socketpair), trace records on a pipe, and a shared
 * status page. The host knows the child only through this header. */
#ifndef VM68K_HOST_PROTOCOL_H
#define VM68K_HOST_PROTOCOL_H

#include <stdint.h>

/* Bumped when any structure below changes shape; the child sends it in
 * MSG_READY and the host refuses a child that speaks another version. */
#define VM68K_PROTOCOL_VERSION 2

/* The channel is SOCK_SEQPACKET: one write is one message, delivered whole
 * and never interleaved with another, even when the child's SIGSYS handler
 * writes in the middle of the interpreter's own traffic. Native byte order:
 * both ends are the same binary on the same machine. */
#define MSG_MAX 65536 /* largest message, header included */
#define MSG_REQUEST_FIRST 0x100
#define MSG_REQUEST_LAST 0x1ff
#define MSG_REPLY(request) ((request) + 0x100)

struct msg_header {
	uint32_t type;	 /* enum msg_type */
	uint32_t length; /* payload bytes after the header */
};

enum msg_type {
	/* child → host */
	MSG_READY = 1,	   /* struct msg_ready: filter loaded, guest code may run */
	MSG_LOG = 2,	   /* text of one line, not NUL-terminated, no newline */
	MSG_STATS = 3,	   /* struct msg_stat[]: named counters for --stats */
	MSG_FATAL = 4,	   /* struct msg_fatal: the child is dying of a fault */
	MSG_EXIT = 5,	   /* struct msg_exit: the child is about to exit */
	MSG_VIOLATION = 6, /* struct msg_violation: a refused system call */
	/* Requests (child → host) are 0x100-0x1ff and get exactly one reply
	 * (host → child): the request's type + 0x100, or MSG_ERROR. */
	MSG_PING = 0x100, /* any payload, echoed back in MSG_PONG */
	MSG_PONG = 0x200,
	MSG_ERROR = 0x2ff, /* struct msg_error: the request was not served */
};

struct msg_ready {
	uint32_t version; /* VM68K_PROTOCOL_VERSION */
	uint32_t pid;
};

struct msg_stat {
	char name[32]; /* NUL-terminated counter name, e.g. "page_ins" */
	uint64_t value;
};

/* Flags of msg_fatal and msg_exit. */
#define MSG_HAVE_PC 1u	 /* guest_pc is meaningful */
#define MSG_HAVE_ADDR 2u /* guest_addr is meaningful */

/* Sent by the child's last-chance signal handler (after the pager declined
 * the fault) just before it lets the signal kill it. */
struct msg_fatal {
	int32_t signal;
	uint32_t flags;
	uint32_t guest_pc;
	uint32_t guest_addr;
	uint64_t host_addr; /* si_addr of the fault */
};

/* Sent before a deliberate exit: status is the process exit status the child
 * is about to use (an enum vm68k_exit value), reason a line such as
 * "System error 112 (dsVMDeferredFuncTableFull)". */
struct msg_exit {
	int32_t status;
	uint32_t flags;
	uint32_t guest_pc;
	uint32_t guest_addr;
	char reason[200]; /* NUL-terminated */
};

/* Sent by the child's SIGSYS handler: the seccomp filter refused a call. */
struct msg_violation {
	int32_t nr;	    /* system call number, as in si_syscall */
	uint32_t arch;	    /* AUDIT_ARCH_* of the call, as in si_arch */
	uint64_t call_addr; /* host address of the instruction after the call */
	uint64_t args[6];   /* arguments, when the architecture lets us read them */
	uint32_t have_args;
	uint32_t pad;
};

struct msg_error {
	uint32_t request; /* type of the request refused */
	int32_t error;	  /* errno value */
};

/* The status page: one shared page the child writes without a system call
 * (the interpreter stores the PC of each instruction it starts), which the
 * host reads after the child is gone, so even a child killed without a word
 * leaves its last PC behind. The child is not trusted: the host only prints
 * these numbers. */
#define CHILD_STATUS_MAGIC 0x766d3638u /* 'vm68' */
struct child_status {
	uint32_t magic;
	volatile uint32_t pc_valid;
	volatile uint32_t pc;
	volatile uint32_t pad;
	volatile uint64_t instructions;
};

/* The page map: a shared mapping the host makes before it forks (so the
 * child needs no descriptor and no system call for it) and the child keeps
 * current from its pager at instruction boundaries: one state byte and one
 * wrapping "touched" counter per cell, where a cell is one 4 KiB page of a
 * region the child lists (logical RAM first, then read-only regions). The
 * host draws it (host/display.c); it trusts no number in it beyond what it
 * prints or clamps. */
#define PAGEMAP_MAGIC 0x766d706du /* 'vmpm' */
#define PAGEMAP_MAX_REGIONS 8
#define PAGEMAP_EXTRA_CELLS 4096u /* cells for regions after logical RAM (16 MiB) */

enum pagemap_cell {
	PAGEMAP_UNUSED = 0,	  /* not written yet */
	PAGEMAP_NOT_RESIDENT = 1, /* logical RAM page in no frame */
	PAGEMAP_CLEAN = 2,	  /* resident, not written since paged in */
	PAGEMAP_DIRTY = 3,	  /* resident and written */
	PAGEMAP_HELD = 4,	  /* HoldMemory'd (resident, never a victim) */
	PAGEMAP_LOCKED = 5,	  /* LockMemory'd (frame fixed) */
	PAGEMAP_READ_ONLY = 6,	  /* ROM or file-mapped code: read-only, from a file */
	PAGEMAP_WATCHED = 7,	  /* under a watch point */
	PAGEMAP_CELL_KINDS
};

struct pagemap_region {
	char name[16]; /* NUL-terminated */
	uint32_t base; /* guest address of the first cell */
	uint32_t cells;
};

struct pagemap_header {
	uint32_t magic;
	uint32_t capacity;	      /* cells after the header (the host's number; neither side reads it back) */
	volatile uint32_t nregions;   /* written last by the child, after regions[] */
	uint32_t pad;
	struct pagemap_region regions[PAGEMAP_MAX_REGIONS]; /* cells in this order */
	volatile uint32_t vm_state;			   /* enum pager_vm_state */
	volatile uint32_t frames;
	volatile uint32_t resident;
	volatile uint32_t held;
	volatile uint32_t locked;
	volatile uint32_t watched;
	volatile uint64_t faults;
	volatile uint64_t page_ins;
	volatile uint64_t page_outs;
	volatile uint64_t syncs; /* bumped at each refresh by the child */
	/* followed by uint8_t state[capacity] (enum pagemap_cell), then
	 * uint8_t touched[capacity] (bumped by each fault on the cell) */
};

/* Trace records: fixed-size, so each write(2) of one record is atomic on the
 * pipe (smaller than PIPE_BUF) and the host never sees half a record from a
 * child that died mid-stream. Schema documented in vm68k-trace(5). */
enum trace_kind {
	TRACE_PAGE_IN = 1,            /* source says from where */
	TRACE_PAGE_OUT = 2,           /* a dirty page written to the backing store */
	TRACE_EVICT = 3,              /* a frame taken back (a clean page dropped) */
	TRACE_ZERO_FILL = 4,          /* first touch of a page: no I/O */
	TRACE_DIRTY = 5,              /* first write to a resident page */
	TRACE_HOLD = 6,               /* HoldMemory */
	TRACE_UNHOLD = 7,             /* UnholdMemory */
	TRACE_LOCK = 8,               /* LockMemory and its variants */
	TRACE_UNLOCK = 9,             /* UnlockMemory */
	TRACE_FATAL_PAGE_FAULT = 10,  /* a page fault that could not be serviced */
	TRACE_READ_ONLY_WRITE = 11,   /* write to ROM or file-mapped code */
	TRACE_WATCH_HIT = 12,         /* write inside a watched range */
	TRACE_PRIV_INSN = 13,         /* privileged instruction emulated in user mode */
	TRACE_TRAP = 14,              /* A-line trap entry; addr holds the trap word */
	TRACE_REFERENCE = 15,         /* a referenced bit gathered by a fault */
	TRACE_WATCH_FILTERED = 16,    /* write to a watched page, outside the range */
	TRACE_BUS_ERROR = 17,         /* access outside every region */
	TRACE_BAD_BACKING_STORE = 18, /* backing store I/O failed (dsVMBadBackingStore, 113) */
	TRACE_KIND_LIMIT
};

enum trace_source {
	TRACE_SRC_NONE = 0,
	TRACE_SRC_ZERO = 1,    /* zero-filled */
	TRACE_SRC_BACKING = 2, /* read from the backing store */
	TRACE_SRC_FILE = 3,    /* mapped from a file (code) */
};

struct trace_record {
	uint64_t time_ns; /* guest-process CLOCK_MONOTONIC nanoseconds since it started */
	uint16_t kind;	  /* enum trace_kind */
	uint16_t source;  /* enum trace_source (page-in only) */
	uint32_t pc;	  /* guest PC of the instruction that caused it */
	uint32_t addr;	  /* guest address */
	uint32_t page;	  /* guest page number (addr / 4096) */
	/* running counts after the event */
	uint32_t resident;
	uint32_t held;
	uint32_t locked;
	uint32_t pad;
	uint64_t faults;
	uint64_t page_ins;
	uint64_t page_outs;
};

#endif
