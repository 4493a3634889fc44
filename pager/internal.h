/* The pager's private state: the page table, the frame table, regions,
 * watch points and counters. Shared by the files of pager/ only. */
#ifndef VM68K_PAGER_INTERNAL_H
#define VM68K_PAGER_INTERNAL_H

#include "pager/pager.h"

#include <signal.h>
#include <stdint.h>

#define WINDOW_BYTES (1ull << 32)
#define GUARD_BYTES (1ull << 16) /* catches accesses straddling the top of the window */
#define NO_FRAME UINT32_MAX
#define MAX_OPEN_WATCH_PAGES 32 /* watched pages one instruction may open */

/* Host protection of a page, as last set by the pager. */
enum prot { PROT_IS_NONE, PROT_IS_READ, PROT_IS_RW };

/* One page of logical RAM. */
struct pte {
	uint32_t frame; /* NO_FRAME when not resident */
	uint16_t hold;	/* HoldMemory count */
	uint16_t lock;	/* LockMemory count */
	uint8_t watch;	/* watch points covering this page */
	uint8_t prot;	/* enum prot */
	uint8_t dirty : 1;
	uint8_t referenced : 1;
	uint8_t in_store : 1; /* backing store has this page's last written contents */
	uint8_t touched : 1;  /* faulted since the last working-set sample (wsample.c) */
};

struct region {
	struct pager_region_info info;
	uint8_t *host; /* window + base */
};

struct watch {
	bool used;
	gaddr start;
	uint32_t len;
	uint8_t *snapshot; /* PAGER_WATCH_MAX_LEN bytes, preallocated */
};

struct pager {
	uint8_t *reserve; /* the whole reservation (window + guard) */
	size_t reserve_len;
	uint8_t *window;
	uint32_t addr_mask;
	unsigned addressing;

	/* logical RAM */
	int ram_fd, store_fd;
	bool own_ram_fd, own_store_fd;
	uint8_t *alias; /* always-RW second mapping of the RAM memfd */
	uint32_t npages;
	struct pte *pages;
	bool vm_on; /* false: "RM", everything resident and RW */

	/* frames */
	uint32_t nframes;
	uint32_t *frame_page;  /* page in each frame, or NO_FRAME */
	uint32_t *free_frames; /* stack of free frame numbers */
	uint32_t nfree;
	uint32_t hand;	 /* clock hand: a frame number */
	uint32_t pinned; /* resident pages with hold, lock or watch */

	struct region regions[PAGER_MAX_REGIONS];
	int nregions;

	struct watch watches[PAGER_MAX_WATCHES];
	uint32_t open_pages[MAX_OPEN_WATCH_PAGES]; /* watched pages opened RW since the last poll */
	gaddr open_addr[MAX_OPEN_WATCH_PAGES];	   /* the write that opened each */
	unsigned nopen;
	volatile sig_atomic_t pending;

	bool paging_safe;
	bool page_wait;
	uint64_t disk_latency_ns;

	pager_fault_fn fault_fn;
	void *fault_ctx;
	struct pager_fault fault; /* the record handed to fault_fn */
	volatile sig_atomic_t in_handler;

	struct pager_stats stats;
	struct pager_event *trace;
	uint64_t trace_seq;
	const volatile uint32_t *pc_source; /* pager_set_pc_source */

	/* injected backing-store failures (tests) */
	int inject_write_after, inject_write_errno;
	int inject_read_after, inject_read_errno;

	struct sigaction old_segv;
	void *altstack;
	size_t altstack_len;
};

/* The one pager the SIGSEGV handler serves (signals are process-wide). */
extern struct pager *pager_active;

static inline uint8_t *page_host(const struct pager *p, uint32_t page)
{
	return p->window + ((uint64_t)page << PAGER_PAGE_SHIFT);
}
static inline uint8_t *page_alias(const struct pager *p, uint32_t page)
{
	return p->alias + ((uint64_t)page << PAGER_PAGE_SHIFT);
}
static inline bool pte_pinned(const struct pte *e)
{
	return e->hold || e->lock || e->watch;
}

/* store.c: backing-store and RAM-memfd I/O (async-signal-safe). */
uint64_t now_ns(void);
int store_read_page(struct pager *p, uint32_t page);   /* 0 or errno */
int store_write_page(struct pager *p, uint32_t page);  /* 0 or errno */
void ram_release_page(struct pager *p, uint32_t page); /* punch the memfd range */

/* evict.c: frames, page-in, page-out, protection (async-signal-safe). */
void set_prot(struct pager *p, uint32_t page, enum prot prot);
/* Makes page resident with protection prot. Returns 0, or -1 with p->fault
 * filled (fatal page fault, or bad backing store). */
int page_in(struct pager *p, uint32_t page, bool write, uint64_t *cost_ns);
void pin_changed(struct pager *p, struct pte *e, bool was_pinned);
/* Takes a resident page out of its frame. A dirty page is written first; if
 * that write fails the page stays resident and dirty (its data is never
 * lost) and the errno is returned; 0 otherwise. Adds page-out time to
 * *cost_ns. */
int evict(struct pager *p, uint32_t page, uint64_t *cost_ns);
/* Records a backing-store failure on page in p->fault and the counters. */
void fill_store_error(struct pager *p, uint32_t page, bool write, int err);
/* Protection a resident page should have when not sampling references. */
enum prot resident_prot(const struct pager *p, const struct pte *e);

/* trace.c */
void trace_event(struct pager *p, enum pager_event_kind kind, gaddr addr, uint32_t frame);
/* An event of the VM API (HOLD..UNLOCK) covering `pages` pages from addr. */
void trace_range_event(struct pager *p, enum pager_event_kind kind, gaddr addr, uint32_t pages);

/* fault.c */
bool fault_install(struct pager *p, char *err, size_t errlen);
void fault_uninstall(struct pager *p);
void fault_fill(struct pager *p, enum pager_fault_kind kind, gaddr addr, bool write);

/* watch.c: called from the fault handler for a write to a watched page. */
bool watch_open_page(struct pager *p, uint32_t page, gaddr addr);
bool watch_covers(const struct pager *p, gaddr addr);

#endif
