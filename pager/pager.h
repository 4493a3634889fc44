/* pager: guest memory made of real host page protection (see DESIGN.md,
 * "Guest address space" and "The fault handler's contract"). This header is
 * the module's face: the CPU, the sandbox and the host use nothing else. */
#ifndef VM68K_PAGER_H
#define VM68K_PAGER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A guest (68K) address. Never a host pointer: pager_host_ptr() is the one
 * conversion, and only guest/mem.h and pager/ may use it. */
typedef uint32_t gaddr;

#define PAGER_PAGE_SIZE 4096u /* the Mac VM page, and the host's */
#define PAGER_PAGE_SHIFT 12
#define PAGER_MAX_REGIONS 32
#define PAGER_MAX_WATCHES 16
#define PAGER_WATCH_MAX_LEN 4096u  /* bytes one watch point may cover */
#define PAGER_TRACE_CAPACITY 4096u /* events kept in the trace ring */

/* Mac OS result codes of the VM API (Inside Macintosh: Memory, chapter 3). */
enum mac_vm_result {
	noErr = 0,
	paramErr = -50,			/* error in parameter list */
	notEnoughMemoryErr = -620,	/* insufficient physical memory */
	notHeldErr = -621,		/* specified range of memory is not held */
	cannotMakeContiguousErr = -622, /* cannot make specified range contiguous */
	notLockedErr = -623,		/* specified range of memory is not locked */
	interruptsMaskedErr = -624,	/* called with interrupts masked */
	cannotDeferErr = -625,		/* unable to defer additional user functions */
	noMMUErr = -626,		/* no MMU present */
};

/* System errors (the Technote's "New System Errors"). */
enum mac_vm_system_error {
	dsVMDeferredFuncTableFull = 112,
	dsVMBadBackingStore = 113, /* VM got an error reading or writing the backing store */
};

/* ---- Creation ---------------------------------------------------------- */

struct pager_config {
	uint64_t vm_bytes;	  /* logical RAM at guest 0; page multiple */
	uint64_t ram_bytes;	  /* physical frame budget; >= vm_bytes means no VM ("RM") */
	unsigned addressing;	  /* 24 or 32 */
	int backing_fd;		  /* backing store, read+write; -1: a private temp file */
	int ram_fd;		  /* memfd for logical RAM; -1: the pager creates one */
	uint64_t disk_latency_ns; /* simulated cost of one page-in or page-out; 0: none */
	long max_map_count;	  /* 0: read /proc/sys/vm/max_map_count (tests lower it) */
	/* Called (on an alternate signal stack, via libsigsegv) when the host
	 * stack overflows; must not return. NULL: no stack-overflow handler. */
	void (*host_stack_overflow)(void);
};

struct pager;

/* Fills cfg with defaults: 8 MiB RAM, 32 MiB VM, 32-bit, private store, no latency. */
void pager_config_defaults(struct pager_config *cfg);

/* Reserves the 4 GiB window (+ guard), maps logical RAM as region 0 ("RAM"),
 * reserves the backing store, and installs the SIGSEGV and SIGBUS handler.
 * One pager per process at a time, used from one thread; pager calls are not
 * reentrant, so other signal handlers must not touch guest memory (the CPU
 * takes interrupts at instruction boundaries instead). Returns NULL with a one-line message in err
 * (naming the limit, e.g. vm.max_map_count, or the failing call) on failure. */
struct pager *pager_create(const struct pager_config *cfg, char *err, size_t errlen);

/* Unmaps everything, restores the previous SIGSEGV handler, closes the fds the
 * pager created (never the caller's). NULL is allowed. */
void pager_destroy(struct pager *p);

/* Syscalls the pager may make after pager_create and the pager_map_region
 * calls: the seccomp allow-list of the sandboxed child must include them
 * (tests/pager_sandbox_test.c runs the pager under exactly this list).
 *   mprotect     - never with PROT_EXEC (filter on arg 2)
 *   pread64 / pwrite64 - page-in / page-out on the backing-store fd
 *   fallocate    - FALLOC_FL_PUNCH_HOLE|FALLOC_FL_KEEP_SIZE on the RAM memfd
 *   rt_sigreturn - return from the SIGSEGV handler
 *   clock_gettime - trace timestamps (normally the vDSO: no syscall)
 *   rt_sigaction - only to reset SIGSEGV to SIG_DFL when a guest fault is
 *                  not taken by the callback (see pager_fault_fn)
 *   rt_sigprocmask - only if the client's sigsetjmp saves the mask
 *   madvise      - reserved (not used today)
 * pager_destroy additionally uses munmap, close and rt_sigaction. The optional
 * host stack-overflow handler (libsigsegv) may also read /proc/self/maps;
 * let open fail with EPERM rather than kill if that matters. */
#define PAGER_SYSCALLS_AFTER_SETUP                                                                 \
	"mprotect pread64 pwrite64 fallocate rt_sigreturn clock_gettime rt_sigaction "             \
	"rt_sigprocmask madvise"

/* ---- Address window ---------------------------------------------------- */

/* Base of the reserved window: guest address a lives at window + (a & mask). */
uint8_t *pager_window(const struct pager *p);
/* 0x00FFFFFF in 24-bit mode, 0xFFFFFFFF in 32-bit mode. */
uint32_t pager_addr_mask(const struct pager *p);

/* The one guest-to-host conversion (for guest/mem.h and tests). An access
 * straddling the top of the address space is a bus error (the window has a
 * guard): the CPU splits accesses that must wrap around to address 0. */
static inline uint8_t *pager_host_ptr(uint8_t *window, uint32_t mask, gaddr a)
{
	return window + (a & mask);
}

enum pager_region_kind { PAGER_RAM, PAGER_SCREEN, PAGER_ROM, PAGER_FILE };

struct pager_region_spec {
	const char *name;	     /* copied; shown in fault records and `vm68k map` */
	enum pager_region_kind kind; /* SCREEN: RW memfd; ROM, FILE: read-only */
	gaddr base;		     /* page aligned */
	uint32_t size;		     /* page multiple */
	int fd;			     /* mapped MAP_SHARED (RW) or MAP_PRIVATE (read-only) */
	uint64_t offset;	     /* in fd; page aligned */
	bool read_only;		     /* forced for ROM and FILE */
};

struct pager_region_info {
	char name[32];
	enum pager_region_kind kind;
	gaddr base;
	uint32_t size;
	bool read_only;
	bool paged; /* true only for logical RAM under VM */
	uint64_t offset;
};

/* Maps a region into the window (setup phase only: uses mmap). Returns its
 * index, or -1 with a message in err: bad alignment, outside the address
 * space, too many regions, or an overlap naming both regions. */
int pager_map_region(struct pager *p, const struct pager_region_spec *spec, char *err,
		     size_t errlen);
/* Number of regions (region 0 is logical RAM). */
int pager_region_count(const struct pager *p);
/* Copies region i into *out. Returns false if i is out of range. */
bool pager_region_info(const struct pager *p, int i, struct pager_region_info *out);
/* Index of the region holding guest address a (masked), or -1. */
int pager_region_at(const struct pager *p, gaddr a);

/* ---- Guest-visible faults ---------------------------------------------- */

enum pager_fault_kind {
	PAGER_FAULT_BUS_ERROR,	       /* access outside every region: "not in RAM or ROM" */
	PAGER_FAULT_READ_ONLY,	       /* write to a read-only region (ROM, file-mapped code) */
	PAGER_FAULT_FATAL_PAGE_FAULT,  /* page fault that cannot be serviced (see reason) */
	PAGER_FAULT_WATCH_HIT,	       /* a write changed/hit a watch range (from pager_poll) */
	PAGER_FAULT_BAD_BACKING_STORE, /* backing store I/O failed: dsVMBadBackingStore (113) */
	PAGER_FAULT_PAGE_WAIT, /* page serviced; suspend the instruction wait_ns of guest time */
};
/* PAGE_WAIT comes only after pager_set_page_wait(p, true) with a non-zero
 * disk latency, for a fault that read or wrote the backing store. The page is
 * already resident when it is reported: the wait is guest time only. The CPU
 * siglongjmps out, keeps the VM state at "vM" (pager_set_paging_safe(false))
 * while it delivers interrupts for wait_ns of guest time, then restarts the
 * instruction, as a Mac blocked on its paging disk did. */

enum pager_fatal_reason {
	PAGER_FATAL_NONE,
	PAGER_FATAL_PAGING_UNSAFE,  /* unheld page not resident while paging is unsafe ("vM") */
	PAGER_FATAL_NO_FRAME,	    /* every frame is held, locked or watched */
	PAGER_FATAL_WATCH_OVERFLOW, /* too many watched pages opened in one instruction */
};

struct pager_fault {
	enum pager_fault_kind kind;
	gaddr addr;		 /* guest address (masked); first changed byte for a watch hit */
	bool write;		 /* the access was a write */
	int region;		 /* region index, or -1 (bus error) */
	const char *region_name; /* "" when region < 0; points into the pager */
	uint32_t region_offset;	 /* addr - region base */
	enum pager_fatal_reason reason;
	int sys_error;	   /* dsVMBadBackingStore (113) for BAD_BACKING_STORE, else 0 */
	int host_errno;	   /* errno of the failed pread/pwrite (ENOSPC: disk full) */
	bool store_write;  /* BAD_BACKING_STORE: a page-out (pwrite) failed, not a page-in */
	uint64_t wait_ns;  /* PAGE_WAIT: simulated disk time of this fault */
	int watch;	   /* WATCH_HIT: index of the watch point */
	gaddr watch_start; /* WATCH_HIT: the watched range */
	uint32_t watch_len;
	uint32_t old_value; /* WATCH_HIT: up to 4 bytes at addr, big-endian, before */
	uint32_t new_value; /* ... and after the write */
	unsigned value_len; /* number of bytes in old_value/new_value (1..4) */
};

/* Receives guest-visible faults, in signal context (async-signal-safe code
 * only). The CPU's callback siglongjmps to its instruction boundary; the
 * pager's handler is installed with SA_NODEFER, so SIGSEGV is not blocked
 * inside the callback and a plain sigsetjmp(env, 0) target is enough (no
 * rt_sigprocmask on either side; sigsetjmp(env, 1) works too, at the cost of
 * the mask syscalls measured by `make bench`). PAGE_WAIT may return (the
 * access then simply restarts). If the callback returns from any other kind,
 * or none is set, the fault cannot be completed: the pager counts and traces
 * it, resets SIGSEGV to SIG_DFL and lets the access restart, so the process
 * dies by SIGSEGV rather than spinning. */
typedef void (*pager_fault_fn)(const struct pager_fault *f, void *ctx);

/* Registers the one fault callback (NULL removes it). */
void pager_set_fault_fn(struct pager *p, pager_fault_fn fn, void *ctx);

/* Formats f in MacsBug's words ("Bus Error accessing 00123456 ..."); not for
 * signal context. Returns the length snprintf would have written. */
int pager_fault_describe(const struct pager_fault *f, char *buf, size_t len);

/* ---- Instruction boundaries -------------------------------------------- */

/* Non-zero when pager_poll has work (a watched page was opened by a write).
 * The CPU tests it at every instruction boundary; it is cheap to read. */
volatile sig_atomic_t *pager_pending(struct pager *p);

/* Instruction-boundary work: re-protects watched pages opened by filtered
 * writes and compares watch ranges with their snapshots. Returns 1 and fills
 * *hit (if non-NULL) when a write hit a watch range, else 0. Not signal context. */
int pager_poll(struct pager *p, struct pager_fault *hit);

/* ---- Paging state ------------------------------------------------------ */

enum pager_vm_state {
	PAGER_STATE_RM,	       /* "RM": no virtual memory (logical == physical) */
	PAGER_STATE_VM,	       /* "VM": VM on, paging safe */
	PAGER_STATE_VM_UNSAFE, /* "vM": VM on, paging unsafe */
};

/* Sets whether paging is safe (the CPU clears it at interrupt time). */
void pager_set_paging_safe(struct pager *p, bool safe);
/* The MacsBug indicator state. */
enum pager_vm_state pager_vm_state(const struct pager *p);
/* "RM", "VM" or "vM". */
const char *pager_vm_state_name(enum pager_vm_state s);

/* Lets page-in/out report PAGE_WAIT faults with their simulated disk time
 * (only when disk_latency_ns > 0). Off by default. */
void pager_set_page_wait(struct pager *p, bool enabled);

/* ---- Mac VM API (Inside Macintosh: Memory, "Virtual Memory Manager") ---
 * Addresses are guest addresses (masked), ranges are rounded out to pages;
 * each returns noErr or a Mac result code and changes nothing on error.
 * While paging is unsafe a call that would need to page returns
 * interruptsMaskedErr (-624). A range outside logical RAM, or count 0, is
 * paramErr. A call that must page in and meets a backing-store read
 * error returns dsVMBadBackingStore (113, positive): the caller raises that
 * system error, as Mac OS did. */

/* Makes the range resident and ineligible for paging. notEnoughMemoryErr if it
 * would leave no frame for paging. */
int HoldMemory(struct pager *p, gaddr address, uint32_t count);
/* Undoes HoldMemory. notHeldErr if any page of the range is not held. */
int UnholdMemory(struct pager *p, gaddr address, uint32_t count);
/* Holds the range and fixes its frames. notEnoughMemoryErr as HoldMemory. */
int LockMemory(struct pager *p, gaddr address, uint32_t count);
/* LockMemory with physically contiguous frames (pages are moved between
 * frames). cannotMakeContiguousErr if locked frames are in the way. */
int LockMemoryContiguous(struct pager *p, gaddr address, uint32_t count);
/* LockMemory for DMA output (no cache to disable here: same as LockMemory). */
int LockMemoryForOutput(struct pager *p, gaddr address, uint32_t count);
/* Undoes a lock. notLockedErr if any page of the range is not locked. */
int UnlockMemory(struct pager *p, gaddr address, uint32_t count);

/* Paging control (Memory.h, _MemoryDispatch 12-14; gestaltVMHasPagingControl).
 * Only the pages wholly inside the range are affected: a partial page at
 * either end also holds data outside it. Held, locked or watched pages stay
 * resident. With VM off (everything resident) only ReleaseMemoryData acts. */

/* Discards the range's data without writing it anywhere: unpinned resident
 * pages leave their frames, pinned ones are zeroed in place, and the
 * backing-store copies are forgotten; the next access reads zeros. */
int ReleaseMemoryData(struct pager *p, gaddr address, uint32_t count);
/* Writes the range's dirty pages to the backing store and evicts its
 * unpinned pages. interruptsMaskedErr if a page must be written while paging
 * is unsafe; dsVMBadBackingStore on a write error (that page stays resident
 * and dirty). */
int MakeMemoryNonResident(struct pager *p, gaddr address, uint32_t count);
/* Writes the range's dirty resident pages to the backing store; they stay
 * resident and clean. Errors as MakeMemoryNonResident. */
int FlushMemory(struct pager *p, gaddr address, uint32_t count);

struct pager_physical_range {
	uint32_t address; /* simulated physical address: frame * 4096 + offset */
	uint32_t count;
};
/* Translates [address, address+count) into up to max physical ranges
 * (*n gets the number used). Frames are numbered slots of the --ram budget.
 * paramErr if a page is not resident (lock it first), or if max is too small. */
int GetPhysical(struct pager *p, gaddr address, uint32_t count, struct pager_physical_range *out,
		unsigned max, unsigned *n);

struct pager_page_state {
	bool in_ram; /* page of logical RAM (otherwise the rest is zero) */
	bool resident;
	bool dirty;
	bool referenced;
	bool watched;
	bool in_backing_store; /* the backing store holds a copy of the page */
	uint16_t hold_count;
	uint16_t lock_count;
	uint32_t backing_slot; /* page number in the backing store */
	int32_t frame;	       /* -1 when not resident */
};
/* Page state for GetPageState / vmdump. paramErr if a is not in logical RAM. */
int pager_page_state(const struct pager *p, gaddr a, struct pager_page_state *out);

/* Copies guest memory into buf without faulting and without paging anything
 * in (reads through the pager's alias, or the backing store): for debuggers.
 * Returns 0, or paramErr when the range leaves logical RAM / an I/O error. */
int pager_peek(struct pager *p, gaddr a, void *buf, uint32_t len);
/* Writes buf into guest memory the same way (a debugger's set-memory): a
 * resident page is written through the alias and marked dirty, a
 * non-resident one is updated in the backing store; watch snapshots follow,
 * so the debugger's own write is not a watch hit. Returns 0 or paramErr. */
int pager_poke(struct pager *p, gaddr a, const void *buf, uint32_t len);

/* ---- Watch points ------------------------------------------------------ */

/* Watches [a, a+len) in logical RAM (len 1..PAGER_WATCH_MAX_LEN): the pages
 * are made resident, pinned and read-only. Returns the watch index (>= 0), or
 * paramErr, notEnoughMemoryErr (no free slot or frame), interruptsMaskedErr,
 * dsVMBadBackingStore. */
int pager_watch_add(struct pager *p, gaddr a, uint32_t len);
/* Removes watch i. Returns noErr or paramErr. */
int pager_watch_remove(struct pager *p, int i);

/* ---- Statistics and trace ---------------------------------------------- */

struct pager_stats {
	/* faults by kind */
	uint64_t faults;	   /* every SIGSEGV in the window */
	uint64_t zero_fill_faults; /* page-in of a never-written page */
	uint64_t store_faults;	   /* page-in from the backing store */
	uint64_t dirty_faults;	   /* first write to a clean resident page */
	uint64_t reference_faults; /* access to a page re-protected to sample references */
	uint64_t watch_filtered;   /* writes to a watched page outside its range(s) */
	uint64_t watch_hits;
	uint64_t bus_errors;
	uint64_t read_only_faults;
	uint64_t fatal_page_faults;
	uint64_t backing_store_errors;
	uint64_t foreign_faults; /* outside the window: handed on */
	/* paging */
	uint64_t page_ins; /* from the backing store */
	uint64_t zero_fills;
	uint64_t page_outs; /* dirty pages written to the backing store */
	uint64_t evictions; /* pages taken out of RAM (page-outs + clean drops) */
	uint64_t clean_drops;
	uint64_t simulated_disk_ns; /* page-ins and page-outs times disk latency */
	/* residency */
	uint32_t frames; /* the budget */
	uint32_t resident;
	uint32_t resident_peak;
	uint32_t held; /* pages with hold count > 0 */
	uint32_t locked;
	uint32_t watched;
	/* --- appended: each SIGSEGV in the window counts in exactly one of
	 * zero_fill_faults, store_faults, dirty_faults - reference_dirty,
	 * reference_faults, watch_faults, bus_errors, read_only_faults,
	 * fault_fatal and fault_store_errors (vm68k run --stats checks the sum). */
	uint64_t watch_faults;	     /* writes to a closed watched page, in its range(s) or not */
	uint64_t reference_dirty;    /* reference faults that were also the page's first write
				      * (counted in dirty_faults too) */
	uint64_t fault_fatal;	     /* fatal_page_faults met by a fault, not by a VM API call */
	uint64_t fault_store_errors; /* backing_store_errors met by a fault */
	uint32_t held_peak;	     /* most pages held at once */
	uint32_t locked_peak;	     /* most pages locked at once */
};
/* Copies the counters (consistent when not called from signal context). */
void pager_get_stats(const struct pager *p, struct pager_stats *out);

/* Working-set sample (`vm68k run --stats`): returns how many pages of
 * logical RAM were touched since the previous call (or since pager_create),
 * then re-protects every resident page that is not held, locked or watched
 * and clears its referenced bit, as the clock's front hand does, so the
 * next access to each faults (a reference fault) and is counted. Pinned
 * pages never fault once in, so they count only in the sample in which they
 * came in. Returns 0 with VM off ("RM": nothing ever faults). Not signal
 * context. */
uint32_t pager_ws_sample(struct pager *p);

enum pager_event_kind {
	PAGER_EV_ZERO_FILL,
	PAGER_EV_PAGE_IN,
	PAGER_EV_PAGE_OUT,
	PAGER_EV_CLEAN_DROP,
	PAGER_EV_DIRTY,
	PAGER_EV_REFERENCE,
	PAGER_EV_WATCH_FILTERED,
	PAGER_EV_WATCH_HIT,
	PAGER_EV_BUS_ERROR,
	PAGER_EV_READ_ONLY,
	PAGER_EV_FATAL,
	PAGER_EV_BAD_STORE,
	/* The VM API calls (pager/hold.c): one event per successful call, addr
	 * the range's first byte (masked), pages the pages it covers. */
	PAGER_EV_HOLD,
	PAGER_EV_UNHOLD,
	PAGER_EV_LOCK, /* LockMemory, LockMemoryContiguous, LockMemoryForOutput */
	PAGER_EV_UNLOCK,
};

struct pager_event {
	uint64_t ns;   /* CLOCK_MONOTONIC */
	uint32_t kind; /* enum pager_event_kind */
	gaddr addr;
	int32_t frame; /* or -1 */
	uint32_t seq;  /* low 32 bits of the event's sequence number */
	uint32_t pc;   /* *pc source when the event was recorded (pager_set_pc_source), or 0 */
	uint32_t pages; /* HOLD..UNLOCK: pages in the range; other kinds: 1 */
	/* The pager's counts right after the event (struct pager_stats). */
	uint32_t resident, held, locked;
	uint64_t faults, page_ins, page_outs;
};
/* Copies events with sequence number >= *cursor (at most max) into out and
 * advances *cursor; events overwritten before being read are skipped.
 * Returns the number copied. */
size_t pager_trace_read(const struct pager *p, uint64_t *cursor, struct pager_event *out,
			size_t max);
/* Name of an event kind ("page-in", ...). */
const char *pager_event_name(uint32_t kind);
/* Registers where the guest PC of the current instruction lives (the CPU's
 * instruction-start PC, which it stores anyway): each event then carries
 * *pc as read when it was recorded, even in the fault handler. NULL (the
 * default) records 0. The pointer must stay valid until it is replaced. */
void pager_set_pc_source(struct pager *p, const volatile uint32_t *pc);

/* Creates a private, unnamed backing-store file (mode 0600) in $TMPDIR or
 * /tmp, gone when its last descriptor closes: the host makes it before it
 * spawns the sandboxed guest. Returns the fd, or -1 with a message in err. */
int pager_open_private_store(char *err, size_t errlen);

/* ---- Test hooks -------------------------------------------------------- */

/* Makes the backing-store write (write=true) or read number `after` from now
 * (0: the next one) fail with errno err, once. For tests of error 113. */
void pager_inject_store_error(struct pager *p, bool write, unsigned after, int err);
/* The RAM memfd and backing-store fds (for fstat in tests and the sandbox). */
int pager_ram_fd(const struct pager *p);
int pager_backing_fd(const struct pager *p);

#endif
