/* Read-only views of the pager for debuggers, statistics and reports:
 * page state (GetPageState / vmdump), peeking at guest memory without
 * faulting, the RM/VM/vM state and MacsBug-style fault descriptions. */
#include "config.h"

#include "pager/internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void pager_set_paging_safe(struct pager *p, bool safe)
{
	p->paging_safe = safe;
}
void pager_set_page_wait(struct pager *p, bool enabled)
{
	p->page_wait = enabled;
}

enum pager_vm_state pager_vm_state(const struct pager *p)
{
	if (!p->vm_on)
		return PAGER_STATE_RM;
	return p->paging_safe ? PAGER_STATE_VM : PAGER_STATE_VM_UNSAFE;
}

const char *pager_vm_state_name(enum pager_vm_state s)
{
	switch (s) {
	case PAGER_STATE_RM:
		return "RM";
	case PAGER_STATE_VM:
		return "VM";
	case PAGER_STATE_VM_UNSAFE:
		return "vM";
	}
	return "??";
}

void pager_get_stats(const struct pager *p, struct pager_stats *out)
{
	*out = p->stats;
}

int pager_page_state(const struct pager *p, gaddr a, struct pager_page_state *out)
{
	memset(out, 0, sizeof *out);
	a &= p->addr_mask;
	uint32_t page = a >> PAGER_PAGE_SHIFT;
	if (page >= p->npages)
		return paramErr;
	const struct pte *e = &p->pages[page];
	out->in_ram = true;
	out->resident = e->frame != NO_FRAME;
	out->dirty = e->dirty;
	out->referenced = e->referenced;
	out->watched = e->watch > 0;
	out->in_backing_store = e->in_store;
	out->hold_count = e->hold;
	out->lock_count = e->lock;
	out->backing_slot = page;
	out->frame = e->frame == NO_FRAME ? -1 : (int32_t)e->frame;
	return noErr;
}

int pager_peek(struct pager *p, gaddr a, void *buf, uint32_t len)
{
	a &= p->addr_mask;
	if ((uint64_t)a + len > (uint64_t)p->npages << PAGER_PAGE_SHIFT)
		return paramErr;
	uint8_t *out = buf;
	while (len > 0) {
		uint32_t page = a >> PAGER_PAGE_SHIFT;
		uint32_t off = a & (PAGER_PAGE_SIZE - 1);
		uint32_t chunk = PAGER_PAGE_SIZE - off < len ? PAGER_PAGE_SIZE - off : len;
		const struct pte *e = &p->pages[page];
		if (e->frame != NO_FRAME) {
			memcpy(out, p->alias + a, chunk);
		} else if (e->in_store) {
			ssize_t n = pread(p->store_fd, out, chunk, (off_t)a);
			if (n != (ssize_t)chunk)
				return paramErr;
		} else {
			memset(out, 0, chunk);
		}
		out += chunk;
		a += chunk;
		len -= chunk;
	}
	return noErr;
}

int pager_poke(struct pager *p, gaddr a, const void *buf, uint32_t len)
{
	a &= p->addr_mask;
	if ((uint64_t)a + len > (uint64_t)p->npages << PAGER_PAGE_SHIFT)
		return paramErr;
	const uint8_t *in = buf;
	gaddr start = a;
	uint32_t total = len;
	while (len > 0) {
		uint32_t page = a >> PAGER_PAGE_SHIFT;
		uint32_t off = a & (PAGER_PAGE_SIZE - 1);
		uint32_t chunk = PAGER_PAGE_SIZE - off < len ? PAGER_PAGE_SIZE - off : len;
		struct pte *e = &p->pages[page];
		if (e->frame != NO_FRAME) {
			memcpy(p->alias + a, in, chunk);
			e->dirty = 1;
		} else {
			/* A page never written has no valid copy in the store yet:
			 * write the whole page (zeros around the new bytes). */
			uint8_t whole[PAGER_PAGE_SIZE];
			off_t at = (off_t)page << PAGER_PAGE_SHIFT;
			if (e->in_store) {
				if (pread(p->store_fd, whole, sizeof whole, at) !=
				    (ssize_t)sizeof whole)
					return paramErr;
			} else {
				memset(whole, 0, sizeof whole);
			}
			memcpy(whole + off, in, chunk);
			if (pwrite(p->store_fd, whole, sizeof whole, at) != (ssize_t)sizeof whole)
				return paramErr;
			e->in_store = 1;
		}
		in += chunk;
		a += chunk;
		len -= chunk;
	}
	for (int i = 0; i < PAGER_MAX_WATCHES; i++) {
		struct watch *w = &p->watches[i];
		uint64_t lo = start > w->start ? start : w->start;
		uint64_t hi = (uint64_t)start + total < (uint64_t)w->start + w->len
				  ? (uint64_t)start + total
				  : (uint64_t)w->start + w->len;
		if (w->used && lo < hi)
			memcpy(w->snapshot + (lo - w->start), (const uint8_t *)buf + (lo - start),
			       (size_t)(hi - lo));
	}
	return noErr;
}

static const char *fatal_reason(enum pager_fatal_reason r)
{
	switch (r) {
	case PAGER_FATAL_PAGING_UNSAFE:
		return "page not resident and not held while paging is unsafe";
	case PAGER_FATAL_NO_FRAME:
		return "every frame is held, locked or watched";
	case PAGER_FATAL_WATCH_OVERFLOW:
		return "too many watched pages written by one instruction";
	case PAGER_FATAL_NONE:
		break;
	}
	return "";
}

int pager_fault_describe(const struct pager_fault *f, char *buf, size_t len)
{
	const char *rw = f->write ? "writing" : "reading";
	switch (f->kind) {
	case PAGER_FAULT_BUS_ERROR:
		return snprintf(buf, len, "Bus Error accessing %08X (%s; not in RAM or ROM)",
				f->addr, rw);
	case PAGER_FAULT_READ_ONLY:
		return snprintf(buf, len, "Read-only memory exception writing %08X (%s+$%X)",
				f->addr, f->region_name, f->region_offset);
	case PAGER_FAULT_FATAL_PAGE_FAULT:
		return snprintf(buf, len, "Bus Error accessing %08X (%s): fatal page fault: %s",
				f->addr, rw, fatal_reason(f->reason));
	case PAGER_FAULT_WATCH_HIT:
		return snprintf(
		    buf, len, "Watch point %d (%08X, %u bytes) hit writing %08X: %0*X -> %0*X",
		    f->watch, f->watch_start, f->watch_len, f->addr, (int)f->value_len * 2,
		    f->old_value, (int)f->value_len * 2, f->new_value);
	case PAGER_FAULT_BAD_BACKING_STORE:
		return snprintf(buf, len,
				"System error %d (dsVMBadBackingStore): %s the backing store "
				"for %08X failed: %s%s",
				f->sys_error, f->store_write ? "writing" : "reading", f->addr,
				strerror(f->host_errno),
				f->host_errno == ENOSPC ? " (the disk is full)" : "");
	case PAGER_FAULT_PAGE_WAIT:
		return snprintf(buf, len, "Page fault at %08X: %llu ns of simulated disk time",
				f->addr, (unsigned long long)f->wait_ns);
	}
	return snprintf(buf, len, "unknown fault at %08X", f->addr);
}
