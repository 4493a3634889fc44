/* The SIGSEGV handler: turns host page faults in the window into page-ins,
 * dirty marking, reference sampling and watch filtering, or into a guest
 * fault record handed to the client's callback.
 *
 * Why sigaction and not libsigsegv for this handler: the pager must know
 * whether the faulting access was a read or a write, so that a write to a
 * non-resident page is paged in already writable and dirty in ONE fault, and
 * so that a read-only or watch fault can be told from a page-in. libsigsegv's
 * handler gets only the fault address. With SA_SIGINFO the x86-64 page-fault
 * error code is in the ucontext (REG_ERR, bit 1 = write). libsigsegv is used
 * where it fits: the optional host stack-overflow handler (window.c), which
 * receives every fault outside the window through the chaining below.
 *
 * The handler is installed with SA_NODEFER: the client's callback siglongjmps
 * out, and with SIGSEGV left unblocked it need not restore the signal mask
 * (sigsetjmp(env, 0), no rt_sigprocmask per delivered fault; `make bench`
 * measured about 1.5 us per delivered fault that way against 2.1 us with
 * sigsetjmp(env, 1) on the development machine). A fault inside
 * the handler itself is a pager bug: it is detected by in_handler and becomes
 * a real crash. */
#include "config.h"

#include "pager/internal.h"

#include <string.h>
#include <ucontext.h>

struct pager *pager_active;
static struct sigaction prev_segv, prev_bus;

/* 1: write, 0: read, -1: unknown (then a write simply faults twice). */
static int access_is_write(void *uc)
{
#if defined(__x86_64__)
	return (((ucontext_t *)uc)->uc_mcontext.gregs[REG_ERR] & 2) ? 1 : 0;
#else
	(void)uc;
	return -1;
#endif
}

/* Makes the re-executed access kill the process with the default action. */
static void crash_for_real(int sig)
{
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigaction(sig, &dfl, NULL);
}

/* Not our fault: give it to whoever had the signal before (libsigsegv's
 * stack-overflow handler, a debugger's, or the default action). */
static void chain(int sig, siginfo_t *si, void *uc)
{
	struct sigaction *prev = sig == SIGBUS ? &prev_bus : &prev_segv;
	if ((prev->sa_flags & SA_SIGINFO) && prev->sa_sigaction != NULL) {
		prev->sa_sigaction(sig, si, uc);
		return;
	}
	if (prev->sa_handler == SIG_DFL || prev->sa_handler == SIG_IGN) {
		crash_for_real(sig);
		return;
	}
	prev->sa_handler(sig);
}

void fault_fill(struct pager *p, enum pager_fault_kind kind, gaddr addr, bool write)
{
	struct pager_fault *f = &p->fault;
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->addr = addr;
	f->write = write;
	f->region = pager_region_at(p, addr);
	f->region_name = f->region >= 0 ? p->regions[f->region].info.name : "";
	f->region_offset = f->region >= 0 ? addr - p->regions[f->region].info.base : 0;
	f->watch = -1;
}

/* Hands p->fault to the client. Returns only for PAGE_WAIT; any other kind
 * the client did not longjmp out of becomes a real crash. */
static void deliver(struct pager *p, int sig)
{
	p->in_handler = 0;
	if (p->fault_fn != NULL)
		p->fault_fn(&p->fault, p->fault_ctx);
	if (p->fault.kind == PAGER_FAULT_PAGE_WAIT)
		return;
	crash_for_real(sig);
}

static void guest_fault(struct pager *p, int sig, enum pager_fault_kind kind, gaddr a, bool write)
{
	fault_fill(p, kind, a, write);
	switch (kind) {
	case PAGER_FAULT_BUS_ERROR:
		p->stats.bus_errors++;
		trace_event(p, PAGER_EV_BUS_ERROR, a, NO_FRAME);
		break;
	case PAGER_FAULT_READ_ONLY:
		p->stats.read_only_faults++;
		trace_event(p, PAGER_EV_READ_ONLY, a, NO_FRAME);
		break;
	default:
		break;
	}
	deliver(p, sig);
}

/* A fault on a page of logical RAM. Returns after fixing the page, or
 * delivers a guest fault. */
static void ram_fault(struct pager *p, int sig, gaddr a, int w)
{
	uint32_t page = a >> PAGER_PAGE_SHIFT;
	struct pte *e = &p->pages[page];
	bool write = w == 1;
	e->touched = 1; /* for the working-set sample (wsample.c) */

	if (e->frame == NO_FRAME) {
		/* Held, locked and watched pages are always resident, so this page
		 * is unheld: touching it while paging is unsafe is fatal. */
		if (!p->paging_safe) {
			fault_fill(p, PAGER_FAULT_FATAL_PAGE_FAULT, a, write);
			p->fault.reason = PAGER_FATAL_PAGING_UNSAFE;
			p->stats.fatal_page_faults++;
			p->stats.fault_fatal++;
			trace_event(p, PAGER_EV_FATAL, a, NO_FRAME);
			deliver(p, sig);
			return;
		}
		uint64_t cost = 0;
		bool from_store = e->in_store;
		if (page_in(p, page, write, &cost) < 0) {
			/* Reported at the access that needed the frame. */
			p->fault.addr = a;
			p->fault.region_offset = a;
			p->fault.write = write;
			deliver(p, sig);
			return;
		}
		if (from_store)
			p->stats.store_faults++;
		else
			p->stats.zero_fill_faults++;
		if (p->page_wait && cost > 0) {
			fault_fill(p, PAGER_FAULT_PAGE_WAIT, a, write);
			p->fault.wait_ns = cost;
			deliver(p, sig);
		}
		return;
	}

	if (e->watch && w != 0 && e->prot == PROT_IS_READ) {
		if (!watch_open_page(p, page, a)) {
			fault_fill(p, PAGER_FAULT_FATAL_PAGE_FAULT, a, true);
			p->fault.reason = PAGER_FATAL_WATCH_OVERFLOW;
			p->stats.fatal_page_faults++;
			p->stats.fault_fatal++;
			trace_event(p, PAGER_EV_FATAL, a, e->frame);
			deliver(p, sig);
			return;
		}
		p->stats.watch_faults++;
		return;
	}

	if (e->prot == PROT_IS_NONE) {
		/* The clock re-protected it to sample references. */
		e->referenced = 1;
		p->stats.reference_faults++;
		trace_event(p, PAGER_EV_REFERENCE, a, e->frame);
		if (write && !e->watch && !e->dirty) {
			e->dirty = 1;
			p->stats.dirty_faults++;
			p->stats.reference_dirty++;
			trace_event(p, PAGER_EV_DIRTY, a, e->frame);
		}
		set_prot(p, page, resident_prot(p, e));
		return;
	}

	if (e->prot == PROT_IS_READ && w != 0) {
		e->dirty = 1;
		e->referenced = 1;
		p->stats.dirty_faults++;
		trace_event(p, PAGER_EV_DIRTY, a, e->frame);
		set_prot(p, page, PROT_IS_RW);
		return;
	}

	/* A fault the page's protection cannot explain: a pager bug. */
	crash_for_real(sig);
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	struct pager *p = pager_active;
	uintptr_t addr = (uintptr_t)si->si_addr;
	if (p == NULL || addr < (uintptr_t)p->reserve ||
	    addr - (uintptr_t)p->reserve >= p->reserve_len) {
		if (p != NULL)
			p->stats.foreign_faults++;
		chain(sig, si, uc);
		return;
	}
	if (p->in_handler) {
		crash_for_real(sig);
		return;
	}
	p->in_handler = 1;
	p->stats.faults++;

	uint64_t off = addr - (uintptr_t)p->window;
	int w = access_is_write(uc);
	gaddr a = (gaddr)off;
	if (off > p->addr_mask) {
		/* Past the top of the address space (the guard past 4 GiB, or
		 * above 16 MiB in 24-bit mode): an access straddling the top. The
		 * CPU splits accesses that wrap; the pager reports the wrapped
		 * address. */
		guest_fault(p, sig, PAGER_FAULT_BUS_ERROR, a & p->addr_mask, w == 1);
		return;
	}
	int r = pager_region_at(p, a);
	if (r < 0) {
		guest_fault(p, sig, PAGER_FAULT_BUS_ERROR, a, w == 1);
		return;
	}
	if (r == 0 && sig == SIGSEGV) {
		ram_fault(p, sig, a, w);
		p->in_handler = 0;
		return;
	}
	if (p->regions[r].info.read_only && w != 0 && sig == SIGSEGV) {
		guest_fault(p, sig, PAGER_FAULT_READ_ONLY, a, true);
		return;
	}
	/* SIGBUS past the end of a mapped file, or a fault on a region that
	 * allows the access: the guest sees a bus error at that address. */
	guest_fault(p, sig, PAGER_FAULT_BUS_ERROR, a, w == 1);
}

bool fault_install(struct pager *p, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	pager_active = p;
	sigaction(SIGSEGV, &sa, &prev_segv);
	sigaction(SIGBUS, &sa, &prev_bus);
	return true;
}

void fault_uninstall(struct pager *p)
{
	(void)p;
	sigaction(SIGSEGV, &prev_segv, NULL);
	sigaction(SIGBUS, &prev_bus, NULL);
	pager_active = NULL;
}

void pager_set_fault_fn(struct pager *p, pager_fault_fn fn, void *ctx)
{
	p->fault_fn = fn;
	p->fault_ctx = ctx;
}
