/* The address window and its regions: reserves 4 GiB (+ guard) of host
 * address space, maps logical RAM and the other regions into it, and checks
 * up front that paging can never need more host mappings than
 * vm.max_map_count allows. Everything here runs in the setup phase, before
 * the sandbox's seccomp filter (it uses mmap, open and memfd_create). */
#include "config.h"

#include "pager/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sigsegv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ALTSTACK_BYTES (64u << 10)

static void (*stack_overflow_fn)(void);

static void fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err != NULL && errlen > 0)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void pager_config_defaults(struct pager_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->vm_bytes = 32u << 20;
	cfg->ram_bytes = 8u << 20;
	cfg->addressing = 32;
	cfg->backing_fd = -1;
	cfg->ram_fd = -1;
}

static long read_max_map_count(void)
{
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
	long v = 65530; /* the kernel's default, if /proc is not there */
	if (f != NULL) {
		if (fscanf(f, "%ld", &v) != 1)
			v = 65530;
		fclose(f);
	}
	return v;
}

static long count_own_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	if (f == NULL)
		return 64;
	long n = 0;
	int c;
	while ((c = getc(f)) != EOF)
		if (c == '\n')
			n++;
	fclose(f);
	return n;
}

/* Host mappings (VMAs) the pager may need besides the process's own: every
 * resident page of logical RAM may differ in protection from both
 * neighbours, so RAM can split into 2 * frames + 1 pieces; each region splits
 * the reservation once more; plus the alias, guard and alternate stack. */
static long mappings_needed(uint32_t frames, bool vm_on)
{
	return (vm_on ? 2l * frames + 1 : 1) + 2l * PAGER_MAX_REGIONS + 8;
}

int pager_open_private_store(char *err, size_t errlen)
{
	const char *dir = getenv("TMPDIR");
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	char path[4096];
	snprintf(path, sizeof path, "%s/vm68k-store-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		fail(err, errlen, "cannot create a private backing store in %s: %s", dir,
		     strerror(errno));
		return -1;
	}
	unlink(path); /* private: gone when the pager closes it */
	return fd;
}

static void on_stack_overflow(int emergency, stackoverflow_context_t scp)
{
	(void)emergency;
	(void)scp;
	stack_overflow_fn();
	_exit(70); /* the callback must not return; if it does, do not continue */
}

struct pager *pager_create(const struct pager_config *cfg, char *err, size_t errlen)
{
	if (pager_active != NULL) {
		fail(err, errlen,
		     "a pager already exists in this process (signals are process-wide)");
		return NULL;
	}
	if (cfg->addressing != 24 && cfg->addressing != 32) {
		fail(err, errlen, "addressing must be 24 or 32, not %u", cfg->addressing);
		return NULL;
	}
	uint64_t space = cfg->addressing == 24 ? 1ull << 24 : 1ull << 32;
	if (cfg->vm_bytes == 0 || cfg->vm_bytes % PAGER_PAGE_SIZE) {
		fail(err, errlen,
		     "logical memory (%" PRIu64 " bytes) must be a non-zero multiple of 4 KiB",
		     cfg->vm_bytes);
		return NULL;
	}
	if (cfg->vm_bytes >= space) {
		fail(err, errlen,
		     "logical memory of %" PRIu64 " KiB does not fit below %" PRIu64
		     " KiB, the %u-bit address space",
		     cfg->vm_bytes >> 10, space >> 10, cfg->addressing);
		return NULL;
	}
	if (cfg->ram_bytes < 2 * PAGER_PAGE_SIZE || cfg->ram_bytes % PAGER_PAGE_SIZE) {
		fail(err, errlen,
		     "physical memory (%" PRIu64
		     " bytes) must be a multiple of 4 KiB, at least 8 KiB",
		     cfg->ram_bytes);
		return NULL;
	}
	uint32_t npages = (uint32_t)(cfg->vm_bytes >> PAGER_PAGE_SHIFT);
	uint64_t want_frames = cfg->ram_bytes >> PAGER_PAGE_SHIFT;
	bool vm_on = want_frames < npages;
	uint32_t nframes = vm_on ? (uint32_t)want_frames : npages;

	long limit = cfg->max_map_count > 0 ? cfg->max_map_count : read_max_map_count();
	long own = count_own_mappings();
	long need = own + mappings_needed(nframes, vm_on);
	if (need > limit) {
		long room = (limit - own - mappings_needed(0, true)) / 2;
		fail(err, errlen,
		     "%" PRIu32 " frames of physical memory may need %ld host mappings, more than "
		     "vm.max_map_count (%ld) allows: use at most %ld KiB of physical memory, or "
		     "raise the limit (sysctl -w vm.max_map_count=%ld)",
		     nframes, need, limit, room > 0 ? room * 4 : 0, need + 1024);
		return NULL;
	}

	struct pager *p = calloc(1, sizeof *p);
	if (p == NULL) {
		fail(err, errlen, "out of memory");
		return NULL;
	}
	p->ram_fd = p->store_fd = -1;
	p->reserve = MAP_FAILED;
	p->alias = MAP_FAILED;
	p->altstack = MAP_FAILED;
	p->addressing = cfg->addressing;
	p->addr_mask = cfg->addressing == 24 ? 0x00FFFFFFu : 0xFFFFFFFFu;
	p->npages = npages;
	p->nframes = nframes;
	p->vm_on = vm_on;
	p->paging_safe = true;
	p->disk_latency_ns = cfg->disk_latency_ns;
	p->pages = calloc(npages, sizeof *p->pages);
	p->frame_page = calloc(nframes, sizeof *p->frame_page);
	p->free_frames = calloc(nframes, sizeof *p->free_frames);
	p->trace = calloc(PAGER_TRACE_CAPACITY, sizeof *p->trace);
	uint8_t *snap = calloc(PAGER_MAX_WATCHES, PAGER_WATCH_MAX_LEN);
	if (!p->pages || !p->frame_page || !p->free_frames || !p->trace || !snap) {
		free(snap);
		fail(err, errlen, "out of memory for the page table of %" PRIu32 " pages", npages);
		goto failed;
	}
	for (int i = 0; i < PAGER_MAX_WATCHES; i++)
		p->watches[i].snapshot = snap + (size_t)i * PAGER_WATCH_MAX_LEN;

	/* Logical RAM lives in a memfd; its non-resident pages are holes. */
	if (cfg->ram_fd >= 0) {
		p->ram_fd = cfg->ram_fd;
	} else {
		p->ram_fd = memfd_create("vm68k-ram", MFD_CLOEXEC);
		if (p->ram_fd < 0) {
			fail(err, errlen, "memfd_create for guest RAM: %s", strerror(errno));
			goto failed;
		}
		p->own_ram_fd = true;
	}
	if (ftruncate(p->ram_fd, (off_t)cfg->vm_bytes) != 0 ||
	    fallocate(p->ram_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
		      (off_t)cfg->vm_bytes) != 0) {
		fail(err, errlen, "sizing the guest RAM memfd to %" PRIu64 " KiB: %s",
		     cfg->vm_bytes >> 10, strerror(errno));
		goto failed;
	}

	/* The backing store is reserved in full now, so a full disk is an
	 * error at start-up rather than a lost page later. */
	if (vm_on) {
		if (cfg->backing_fd >= 0) {
			p->store_fd = cfg->backing_fd;
		} else {
			p->store_fd = pager_open_private_store(err, errlen);
			if (p->store_fd < 0)
				goto failed;
			p->own_store_fd = true;
		}
		if (ftruncate(p->store_fd, (off_t)cfg->vm_bytes) != 0) {
			fail(err, errlen, "sizing the backing store to %" PRIu64 " KiB: %s",
			     cfg->vm_bytes >> 10, strerror(errno));
			goto failed;
		}
		int r = fallocate(p->store_fd, 0, 0, (off_t)cfg->vm_bytes);
		if (r != 0 && errno != EOPNOTSUPP) {
			fail(err, errlen,
			     "cannot reserve %" PRIu64 " KiB for the backing store: %s%s",
			     cfg->vm_bytes >> 10, strerror(errno),
			     errno == ENOSPC
				 ? " (free disk space or put the backing store on another "
				   "file system)"
				 : "");
			goto failed;
		}
	}

	p->reserve_len = WINDOW_BYTES + GUARD_BYTES;
	p->reserve = mmap(NULL, p->reserve_len, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p->reserve == MAP_FAILED) {
		fail(err, errlen, "cannot reserve the 4 GiB guest address window: %s",
		     strerror(errno));
		goto failed;
	}
	p->window = p->reserve;
	p->alias = mmap(NULL, cfg->vm_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, p->ram_fd, 0);
	if (p->alias == MAP_FAILED) {
		fail(err, errlen, "mapping the RAM alias: %s", strerror(errno));
		goto failed;
	}
	if (mmap(p->window, cfg->vm_bytes, vm_on ? PROT_NONE : PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, p->ram_fd, 0) == MAP_FAILED) {
		fail(err, errlen, "mapping guest RAM into the window: %s", strerror(errno));
		goto failed;
	}
	struct region *ram = &p->regions[0];
	snprintf(ram->info.name, sizeof ram->info.name, "RAM");
	ram->info.kind = PAGER_RAM;
	ram->info.base = 0;
	ram->info.size = (uint32_t)cfg->vm_bytes;
	ram->info.paged = vm_on;
	ram->host = p->window;
	p->nregions = 1;

	for (uint32_t i = 0; i < npages; i++) {
		p->pages[i].frame = vm_on ? NO_FRAME : i;
		p->pages[i].prot = vm_on ? PROT_IS_NONE : PROT_IS_RW;
	}
	for (uint32_t f = 0; f < nframes; f++)
		p->frame_page[f] = vm_on ? NO_FRAME : f;
	if (vm_on)
		for (uint32_t f = nframes; f-- > 0;)
			p->free_frames[p->nfree++] = f;
	p->stats.frames = nframes;
	p->stats.resident = vm_on ? 0 : npages;
	p->stats.resident_peak = p->stats.resident;

	if (cfg->host_stack_overflow != NULL) {
		p->altstack_len = ALTSTACK_BYTES;
		p->altstack = mmap(NULL, p->altstack_len, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p->altstack == MAP_FAILED) {
			fail(err, errlen, "alternate signal stack: %s", strerror(errno));
			goto failed;
		}
		stack_overflow_fn = cfg->host_stack_overflow;
		if (stackoverflow_install_handler(on_stack_overflow, p->altstack,
						  p->altstack_len) != 0) {
			fail(err, errlen, "libsigsegv cannot catch stack overflow on this system");
			goto failed;
		}
	}
	fault_install(p, err, errlen);
	return p;

failed:
	pager_destroy(p);
	return NULL;
}

void pager_destroy(struct pager *p)
{
	if (p == NULL)
		return;
	if (pager_active == p)
		fault_uninstall(p);
	if (p->altstack != MAP_FAILED) {
		stackoverflow_deinstall_handler();
		munmap(p->altstack, p->altstack_len);
	}
	if (p->reserve != MAP_FAILED)
		munmap(p->reserve, p->reserve_len);
	if (p->alias != MAP_FAILED)
		munmap(p->alias, (size_t)p->npages << PAGER_PAGE_SHIFT);
	if (p->own_ram_fd && p->ram_fd >= 0)
		close(p->ram_fd);
	if (p->own_store_fd && p->store_fd >= 0)
		close(p->store_fd);
	free(p->watches[0].snapshot);
	free(p->pages);
	free(p->frame_page);
	free(p->free_frames);
	free(p->trace);
	free(p);
}

uint8_t *pager_window(const struct pager *p)
{
	return p->window;
}
uint32_t pager_addr_mask(const struct pager *p)
{
	return p->addr_mask;
}
int pager_ram_fd(const struct pager *p)
{
	return p->ram_fd;
}
int pager_backing_fd(const struct pager *p)
{
	return p->store_fd;
}
int pager_region_count(const struct pager *p)
{
	return p->nregions;
}

int pager_region_at(const struct pager *p, gaddr a)
{
	a &= p->addr_mask;
	for (int i = 0; i < p->nregions; i++) {
		const struct pager_region_info *r = &p->regions[i].info;
		if (a >= r->base && (uint64_t)a < (uint64_t)r->base + r->size)
			return i;
	}
	return -1;
}

bool pager_region_info(const struct pager *p, int i, struct pager_region_info *out)
{
	if (i < 0 || i >= p->nregions)
		return false;
	*out = p->regions[i].info;
	return true;
}

int pager_map_region(struct pager *p, const struct pager_region_spec *spec, char *err,
		     size_t errlen)
{
	const char *name = spec->name ? spec->name : "?";
	uint64_t space = p->addressing == 24 ? 1ull << 24 : 1ull << 32;
	uint64_t end = (uint64_t)spec->base + spec->size;
	if (spec->kind == PAGER_RAM) {
		fail(err, errlen, "region \"%s\": logical RAM is made by pager_create", name);
		return -1;
	}
	if (spec->size == 0 || spec->base % PAGER_PAGE_SIZE || spec->size % PAGER_PAGE_SIZE ||
	    spec->offset % PAGER_PAGE_SIZE) {
		fail(err, errlen, "region \"%s\": base, size and offset must be multiples of 4 KiB",
		     name);
		return -1;
	}
	if (end > space) {
		fail(err, errlen,
		     "region \"%s\" ($%08" PRIX32 "-$%08" PRIX64
		     ") is outside the %u-bit address space",
		     name, spec->base, end - 1, p->addressing);
		return -1;
	}
	for (int i = 0; i < p->nregions; i++) {
		const struct pager_region_info *r = &p->regions[i].info;
		if (spec->base < (uint64_t)r->base + r->size && r->base < end) {
			fail(err, errlen,
			     "region \"%s\" ($%08" PRIX32 "-$%08" PRIX64
			     ") overlaps region \"%s\" ($%08" PRIX32 "-$%08" PRIX64 ")",
			     name, spec->base, end - 1, r->name, r->base,
			     (uint64_t)r->base + r->size - 1);
			return -1;
		}
	}
	if (p->nregions == PAGER_MAX_REGIONS) {
		fail(err, errlen, "region \"%s\": no more than %d regions", name,
		     PAGER_MAX_REGIONS);
		return -1;
	}
	bool ro = spec->read_only || spec->kind == PAGER_ROM || spec->kind == PAGER_FILE;
	void *at = p->window + spec->base;
	/* Read-only regions are private: the guest can never write the file. */
	void *m = mmap(at, spec->size, ro ? PROT_READ : PROT_READ | PROT_WRITE,
		       (ro ? MAP_PRIVATE : MAP_SHARED) | MAP_FIXED, spec->fd, (off_t)spec->offset);
	if (m == MAP_FAILED) {
		fail(err, errlen, "region \"%s\": mmap: %s", name, strerror(errno));
		mmap(at, spec->size, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
		return -1;
	}
	struct region *r = &p->regions[p->nregions];
	memset(r, 0, sizeof *r);
	snprintf(r->info.name, sizeof r->info.name, "%s", name);
	r->info.kind = spec->kind;
	r->info.base = spec->base;
	r->info.size = spec->size;
	r->info.read_only = ro;
	r->info.offset = spec->offset;
	r->host = at;
	return p->nregions++;
}
