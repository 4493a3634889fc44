/* Backing-store and RAM-memfd I/O. Every function here is called from the
 * SIGSEGV handler, so each is one or two async-signal-safe syscalls. The
 * backing slot of a page is its logical page number: the store is exactly the
 * size of logical memory, as the Mac's "VM Storage" file was. */
#include "config.h"

#include "pager/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Consumes one injected failure if its countdown reaches zero. */
static int injected(int *after, int *err)
{
	if (*err == 0)
		return 0;
	if ((*after)-- > 0)
		return 0;
	int e = *err;
	*err = 0;
	return e;
}

int store_read_page(struct pager *p, uint32_t page)
{
	int e = injected(&p->inject_read_after, &p->inject_read_errno);
	if (e)
		return e;
	off_t off = (off_t)page << PAGER_PAGE_SHIFT;
	uint8_t *dst = page_alias(p, page);
	size_t done = 0;
	while (done < PAGER_PAGE_SIZE) {
		ssize_t n =
		    pread(p->store_fd, dst + done, PAGER_PAGE_SIZE - done, off + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			return EIO; /* the store was truncated under us */
		done += (size_t)n;
	}
	return 0;
}

int store_write_page(struct pager *p, uint32_t page)
{
	int e = injected(&p->inject_write_after, &p->inject_write_errno);
	if (e)
		return e;
	off_t off = (off_t)page << PAGER_PAGE_SHIFT;
	const uint8_t *src = page_alias(p, page);
	size_t done = 0;
	while (done < PAGER_PAGE_SIZE) {
		ssize_t n =
		    pwrite(p->store_fd, src + done, PAGER_PAGE_SIZE - done, off + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			return ENOSPC;
		done += (size_t)n;
	}
	return 0;
}

/* A non-resident page must use no host RAM: its memfd range is punched out
 * (which also drops it from every mapping of the memfd).
 *
 * Why punch and not recycle frames (a frame memfd that stays allocated,
 * mapped at the page's address with mmap(MAP_FIXED) on page-in): measured by
 * `make bench` on the development VM, where every page-table change is
 * costly, remapping a recycled frame (2.1-2.4x the SIGSEGV + mprotect round
 * trip) is slower than this design's zero-fill (1.9x): mmap over a mapping
 * costs 3.4 us there, more than the page allocation it saves. MAP_POPULATE
 * and MADV_POPULATE_WRITE cost more than the fault they replace. Anonymous
 * RAM (1.5x floor for a written zero-fill) makes the first write after a
 * read zero-fill a copy-on-write fault (1.6x). Only userfaultfd in SIGBUS
 * mode on anonymous RAM has floors under 1.5x (bench floor_uffd_*). */
void ram_release_page(struct pager *p, uint32_t page)
{
	fallocate(p->ram_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		  (off_t)page << PAGER_PAGE_SHIFT, PAGER_PAGE_SIZE);
}

void pager_inject_store_error(struct pager *p, bool write, unsigned after, int err)
{
	if (write) {
		p->inject_write_after = (int)after;
		p->inject_write_errno = err;
	} else {
		p->inject_read_after = (int)after;
		p->inject_read_errno = err;
	}
}
