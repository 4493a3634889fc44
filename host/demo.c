/* `vm68k run` and `vm68k map` until guest programs run: the pager
 * demonstration. It builds the demo machine's address space (logical RAM,
 * a read-only ROM region holding a test pattern, a screen buffer), sweeps a
 * working set larger than physical memory through the window, reads it all
 * back, and shows that guest faults come back as records, not crashes. */
#include "config.h"

#include "host/host.h"
#include "pager/pager.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ROM_BYTES (64u << 10)
#define SCREEN_BYTES (640u * 480u) /* 8 bits per pixel */

struct machine {
	struct pager *pager;
	int store_fd, rom_fd, screen_fd;
	gaddr rom_base, screen_base;
};

static void machine_destroy(struct machine *m)
{
	pager_destroy(m->pager);
	if (m->store_fd >= 0)
		close(m->store_fd);
	if (m->rom_fd >= 0)
		close(m->rom_fd);
	if (m->screen_fd >= 0)
		close(m->screen_fd);
}

static int make_memfd(const char *name, uint32_t size, const char *fill)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, size) != 0)
		return -1;
	if (fill != NULL) {
		size_t n = strlen(fill);
		for (uint32_t off = 0; off + n <= size; off += 4096)
			if (pwrite(fd, fill, n, off) != (ssize_t)n)
				return -1;
	}
	return fd;
}

/* Builds the demo machine. Returns an exit status (EXIT_OK on success)
 * after printing one line naming what went wrong. */
static int machine_create(const struct run_config *cfg, bool open_store, struct machine *m,
			  const char *cmd)
{
	memset(m, 0, sizeof *m);
	m->store_fd = m->rom_fd = m->screen_fd = -1;
	struct pager_config pc;
	pager_config_defaults(&pc);
	pc.ram_bytes = cfg->ram_bytes;
	pc.vm_bytes = cfg->no_vm || cfg->vm_bytes < cfg->ram_bytes ? cfg->ram_bytes : cfg->vm_bytes;
	pc.addressing = cfg->addressing;
	pc.disk_latency_ns = cfg->disk_latency_ns;
	if (open_store && cfg->backing_store != NULL && pc.vm_bytes > pc.ram_bytes) {
		m->store_fd =
		    open(cfg->backing_store, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (m->store_fd < 0) {
			fprintf(stderr, "vm68k %s: --backing-store %s: %s\n", cmd,
				cfg->backing_store, strerror(errno));
			return EXIT_BAD_INPUT;
		}
		pc.backing_fd = m->store_fd;
	}
	char err[512];
	m->pager = pager_create(&pc, err, sizeof err);
	if (m->pager == NULL) {
		fprintf(stderr, "vm68k %s: %s\n", cmd, err);
		machine_destroy(m);
		return EXIT_FAILURE_RUN;
	}
	/* Mac II-style places: ROM at $40800000 ($800000 in 24-bit mode), the
	 * screen in NuBus slot 9 space. */
	bool b24 = cfg->addressing == 24;
	m->rom_base = b24 ? 0x00800000 : 0x40800000;
	m->screen_base = b24 ? 0x00900000 : 0xF9000000;
	m->rom_fd =
	    make_memfd("vm68k-rom", ROM_BYTES, "vm68k demonstration ROM: no Apple code here. ");
	m->screen_fd = make_memfd("vm68k-screen", (SCREEN_BYTES + 4095) & ~4095u, NULL);
	if (m->rom_fd < 0 || m->screen_fd < 0) {
		fprintf(stderr, "vm68k %s: memfd for the ROM or screen: %s\n", cmd,
			strerror(errno));
		machine_destroy(m);
		return EXIT_FAILURE_RUN;
	}
	struct pager_region_spec rom = {"ROM",	   PAGER_ROM, m->rom_base, ROM_BYTES,
					m->rom_fd, 0,	      true};
	struct pager_region_spec screen = {
	    "Screen", PAGER_SCREEN, m->screen_base, (SCREEN_BYTES + 4095) & ~4095u, m->screen_fd,
	    0,	      false};
	if (pager_map_region(m->pager, &rom, err, sizeof err) < 0 ||
	    pager_map_region(m->pager, &screen, err, sizeof err) < 0) {
		fprintf(stderr, "vm68k %s: %s\n", cmd, err);
		machine_destroy(m);
		return EXIT_FAILURE_RUN;
	}
	return EXIT_OK;
}

static void print_size(char *buf, size_t len, uint64_t bytes)
{
	if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
		snprintf(buf, len, "%" PRIu64 " MiB", bytes >> 20);
	else if (bytes % 1024 == 0)
		snprintf(buf, len, "%" PRIu64 " KiB", bytes >> 10);
	else
		snprintf(buf, len, "%" PRIu64 " B", bytes);
}

static const char *kind_name(enum pager_region_kind k)
{
	switch (k) {
	case PAGER_RAM:
		return "RAM";
	case PAGER_SCREEN:
		return "screen";
	case PAGER_ROM:
		return "ROM";
	case PAGER_FILE:
		return "file";
	}
	return "?";
}

static void print_map(struct pager *p, unsigned addressing)
{
	struct pager_stats s;
	pager_get_stats(p, &s);
	printf("Guest memory map, %u-bit addressing, %s (%s)\n", addressing,
	       pager_vm_state(p) == PAGER_STATE_RM ? "no virtual memory" : "virtual memory on",
	       pager_vm_state_name(pager_vm_state(p)));
	printf("%-8s  %-8s  %9s  %-4s  %-6s  %s\n", "Start", "End", "Size", "Prot", "Kind",
	       "Backing / name");
	for (int i = 0; i < pager_region_count(p); i++) {
		struct pager_region_info r;
		pager_region_info(p, i, &r);
		char size[32];
		print_size(size, sizeof size, r.size);
		char backing[96];
		if (r.kind == PAGER_RAM && r.paged)
			snprintf(backing, sizeof backing,
				 "paged through %u frames (%" PRIu64 " KiB)", s.frames,
				 (uint64_t)s.frames * 4);
		else if (r.kind == PAGER_RAM)
			snprintf(backing, sizeof backing, "resident");
		else
			snprintf(backing, sizeof backing, "memfd +$%" PRIX64, r.offset);
		printf("%08" PRIX32 "  %08" PRIX32 "  %9s  %-4s  %-6s  %s \"%s\"\n", r.base,
		       r.base + r.size - 1, size, r.read_only ? "r-" : "rw", kind_name(r.kind),
		       backing, r.name);
	}
	printf("Everywhere else: bus error (not in RAM or ROM).\n");
}

int cmd_map(const struct run_config *cfg)
{
	struct machine m;
	int status = machine_create(cfg, false, &m, "map");
	if (status != EXIT_OK)
		return status;
	print_map(m.pager, cfg->addressing);
	machine_destroy(&m);
	return EXIT_OK;
}

/* ---- the run ---- */

static sigjmp_buf fault_jmp;
static struct pager_fault last_fault;

static void on_guest_fault(const struct pager_fault *f, void *ctx)
{
	(void)ctx;
	last_fault = *f;
	siglongjmp(fault_jmp, 1);
}

/* The value the demonstration stores at a in a pass: a hash, so any
 * misplaced or stale page shows up. */
static uint32_t pattern(uint64_t seed, unsigned pass, gaddr a)
{
	uint64_t x = seed * 0x9E3779B97F4A7C15ull ^ (uint64_t)pass << 40 ^ a;
	x ^= x >> 33;
	x *= 0xFF51AFD7ED558CCDull;
	x ^= x >> 33;
	return (uint32_t)x;
}

static uint64_t rng_state;
static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Pages in a fresh random order (Fisher-Yates). */
static void shuffle(uint32_t *order, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		order[i] = i;
	for (uint32_t i = n - 1; i > 0; i--) {
		uint32_t j = (uint32_t)(rng() % (i + 1));
		uint32_t t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
}

static inline void put32(uint8_t *h, uint32_t v)
{
	h[0] = (uint8_t)(v >> 24);
	h[1] = (uint8_t)(v >> 16);
	h[2] = (uint8_t)(v >> 8);
	h[3] = (uint8_t)v;
}
static inline uint32_t get32(const uint8_t *h)
{
	return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

/* The first access to a page, where faults happen: stores byte v (write) or
 * loads a byte. Returns false and fills last_fault if the guest would have
 * taken a fault. A first write pages in writable and dirty in one fault. */
static bool touch(struct pager *p, gaddr a, bool write, uint8_t v)
{
	if (sigsetjmp(fault_jmp, 0) != 0)
		return false;
	volatile uint8_t *h = pager_host_ptr(pager_window(p), pager_addr_mask(p), a);
	if (write)
		*h = v;
	else
		(void)*h;
	return true;
}

static void print_stats(const struct pager_stats *s)
{
	printf("statistics:\n");
	printf("  faults               %12" PRIu64 "\n", s->faults);
	printf("    zero-fill          %12" PRIu64 "\n", s->zero_fill_faults);
	printf("    from store         %12" PRIu64 "\n", s->store_faults);
	printf("    dirty marking      %12" PRIu64 "\n", s->dirty_faults);
	printf("    reference          %12" PRIu64 "\n", s->reference_faults);
	printf("    watch filtered     %12" PRIu64 "\n", s->watch_filtered);
	printf("    bus error          %12" PRIu64 "\n", s->bus_errors);
	printf("    read-only          %12" PRIu64 "\n", s->read_only_faults);
	printf("    fatal page fault   %12" PRIu64 "\n", s->fatal_page_faults);
	printf("    backing store err  %12" PRIu64 "\n", s->backing_store_errors);
	printf("  page-ins             %12" PRIu64 "\n", s->page_ins);
	printf("  zero-fills           %12" PRIu64 "\n", s->zero_fills);
	printf("  page-outs            %12" PRIu64 "\n", s->page_outs);
	printf("  evictions            %12" PRIu64 "\n", s->evictions);
	printf("  clean drops          %12" PRIu64 "\n", s->clean_drops);
	printf("  watch hits           %12" PRIu64 "\n", s->watch_hits);
	printf("  simulated disk time  %12.3f ms\n", (double)s->simulated_disk_ns / 1e6);
	printf("  frames               %12" PRIu32 "\n", s->frames);
	printf("  resident             %12" PRIu32 "\n", s->resident);
	printf("  resident peak        %12" PRIu32 "\n", s->resident_peak);
	printf("  held / locked        %5" PRIu32 " / %" PRIu32 "\n", s->held, s->locked);
}

int cmd_run(const struct run_config *cfg)
{
	struct machine m;
	int status = machine_create(cfg, true, &m, "run");
	if (status != EXIT_OK)
		return status;
	struct pager *p = m.pager;
	pager_set_fault_fn(p, on_guest_fault, NULL);
	uint8_t *win = pager_window(p);
	uint32_t mask = pager_addr_mask(p);
	struct pager_region_info ram;
	pager_region_info(p, 0, &ram);
	uint32_t npages = ram.size / 4096;
	struct pager_stats s;
	pager_get_stats(p, &s);
	if (!cfg->quiet) {
		char l[32], ph[32];
		print_size(l, sizeof l, ram.size);
		print_size(ph, sizeof ph, (uint64_t)s.frames * 4096);
		printf(
		    "vm68k: pager demonstration: %s of logical memory through %s of frames (%s), "
		    "%u-bit, %u pass%s, seed %" PRIu64 "\n",
		    l, ph, pager_vm_state_name(pager_vm_state(p)), cfg->addressing, cfg->passes,
		    cfg->passes == 1 ? "" : "es", cfg->seed);
	}

	uint32_t *order = malloc(npages * sizeof *order);
	if (order == NULL) {
		fprintf(stderr, "vm68k run: out of memory\n");
		machine_destroy(&m);
		return EXIT_FAILURE_RUN;
	}
	rng_state = cfg->seed * 2 + 1;
	uint64_t mismatches = 0, aborted = 0;
	for (unsigned pass = 0; pass < cfg->passes; pass++) {
		/* Write every long word, page by page in random order, then read it
		 * all back in another order: the working set is all of logical
		 * memory, larger than the frames when VM is on. */
		shuffle(order, npages);
		for (uint32_t i = 0; i < npages; i++) {
			gaddr base = order[i] * 4096;
			if (!touch(p, base, true,
				   (uint8_t)(pattern(cfg->seed, pass, base) >> 24))) {
				aborted++;
				continue;
			}
			uint8_t *h = pager_host_ptr(win, mask, base);
			for (uint32_t off = 0; off < 4096; off += 4)
				put32(h + off, pattern(cfg->seed, pass, base + off));
		}
		shuffle(order, npages);
		for (uint32_t i = 0; i < npages; i++) {
			gaddr base = order[i] * 4096;
			if (!touch(p, base, false, 0)) {
				aborted++;
				continue;
			}
			const uint8_t *h = pager_host_ptr(win, mask, base);
			for (uint32_t off = 0; off < 4096; off += 4)
				if (get32(h + off) != pattern(cfg->seed, pass, base + off))
					mismatches++;
		}
	}
	free(order);

	/* Guest faults come back as records. */
	char text[256];
	gaddr rom_write = m.rom_base + 0x10,
	      nowhere = cfg->addressing == 24 ? 0x00A00000 : 0x60000000;
	bool rom_ok = !touch(p, rom_write, true, 0xFF) && last_fault.kind == PAGER_FAULT_READ_ONLY;
	if (!cfg->quiet && rom_ok) {
		pager_fault_describe(&last_fault, text, sizeof text);
		printf("guest write to ROM:   %s\n", text);
	}
	bool bus_ok = !touch(p, nowhere, false, 0) && last_fault.kind == PAGER_FAULT_BUS_ERROR;
	if (!cfg->quiet && bus_ok) {
		pager_fault_describe(&last_fault, text, sizeof text);
		printf("guest read elsewhere: %s\n", text);
	}

	pager_get_stats(p, &s);
	if (!cfg->quiet) {
		printf("faults %" PRIu64 " (zero-fill %" PRIu64 ", from store %" PRIu64
		       ", dirty %" PRIu64 ", reference %" PRIu64 "); page-outs %" PRIu64
		       ", clean drops %" PRIu64 "\n",
		       s.faults, s.zero_fill_faults, s.store_faults, s.dirty_faults,
		       s.reference_faults, s.page_outs, s.clean_drops);
		printf("resident peak %" PRIu32 " of %" PRIu32 " frames\n", s.resident_peak,
		       s.frames);
	}
	if (cfg->stats)
		print_stats(&s);
	bool ok = mismatches == 0 && aborted == 0 && rom_ok && bus_ok &&
		  s.resident_peak <= s.frames && s.backing_store_errors == 0;
	if (ok)
		printf("vm68k run: ok: %u x %" PRIu32 " KiB written and verified, 0 mismatches\n",
		       cfg->passes, ram.size >> 10);
	else
		fprintf(stderr,
			"vm68k run: FAILED: %" PRIu64 " mismatched long words, %" PRIu64
			" aborted accesses%s%s\n",
			mismatches, aborted, rom_ok ? "" : ", ROM write not reported",
			bus_ok ? "" : ", bus error not reported");
	machine_destroy(&m);
	return ok ? EXIT_OK : EXIT_FAILURE_RUN;
}
