/* `vm68k run` and `vm68k map` until guest programs run: the pager
 * demonstration. It builds the demo machine's address space (logical RAM,
 * a read-only ROM region holding a test pattern, a screen buffer), sweeps a
 * working set larger than physical memory through the window, reads it all
 * back, and shows that guest faults come back as records, not crashes. */
#include "config.h"

#include "host/display.h"
#include "host/host.h"
#include "host/sandbox.h"
#include "host/pagertrace.h"
#include "pager/pager.h"
#include "toolbox/toolbox.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define ROM_BYTES (64u << 10)
#define SCREEN_W 640u
#define SCREEN_H 480u
#define SCREEN_BYTES (SCREEN_W * SCREEN_H) /* 8 bits per pixel */

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

/* Descriptors of the demo machine, made by the host before it spawns the
 * sandboxed guest process (which may not open or create anything). */
struct machine_fds {
	int ram, store, rom, screen; /* -1: none (ram: the pager makes one) */
};

static void machine_fds_close(struct machine_fds *fds)
{
	int *all[] = {&fds->ram, &fds->store, &fds->rom, &fds->screen};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (*all[i] >= 0) {
			close(*all[i]);
			*all[i] = -1;
		}
}

static bool vm_on(const struct run_config *cfg)
{
	return !cfg->no_vm && cfg->vm_bytes > cfg->ram_bytes;
}

/* Opens everything the demo machine needs. Returns an exit status (EXIT_OK
 * on success) after printing one line naming what went wrong. */
static int machine_fds_open(const struct run_config *cfg, bool want_store, struct machine_fds *fds,
			    const char *cmd)
{
	fds->ram = fds->store = fds->rom = fds->screen = -1;
	char err[512];
	if (want_store && vm_on(cfg)) {
		if (cfg->backing_store != NULL) {
			fds->store = open(cfg->backing_store, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
					  0600);
			if (fds->store < 0) {
				fprintf(stderr, "vm68k %s: --backing-store %s: %s\n", cmd,
					cfg->backing_store, strerror(errno));
				return EXIT_BAD_INPUT;
			}
		} else if ((fds->store = pager_open_private_store(err, sizeof err)) < 0) {
			fprintf(stderr, "vm68k %s: %s\n", cmd, err);
			return EXIT_FAILURE_RUN;
		}
	}
	fds->ram = memfd_create("vm68k-ram", MFD_CLOEXEC);
	fds->rom =
	    make_memfd("vm68k-rom", ROM_BYTES, "vm68k demonstration ROM: no Apple code here. ");
	fds->screen = make_memfd("vm68k-screen", (SCREEN_BYTES + 4095) & ~4095u, NULL);
	if (fds->ram < 0 || fds->rom < 0 || fds->screen < 0) {
		fprintf(stderr, "vm68k %s: memfd for RAM, ROM or screen: %s\n", cmd,
			strerror(errno));
		machine_fds_close(fds);
		return EXIT_FAILURE_RUN;
	}
	return EXIT_OK;
}

/* Builds the demo machine on fds (which it then owns). Returns an exit
 * status, EXIT_OK on success or with one line in msg naming what went wrong
 * (the caller prints it: the sandboxed child has no stdio). */
static int machine_create(const struct run_config *cfg, struct machine_fds *fds, struct machine *m,
			  char *msg, size_t msglen)
{
	memset(m, 0, sizeof *m);
	m->store_fd = fds->store;
	m->rom_fd = fds->rom;
	m->screen_fd = fds->screen;
	struct pager_config pc;
	pager_config_defaults(&pc);
	pc.ram_bytes = cfg->ram_bytes;
	pc.vm_bytes = vm_on(cfg) ? cfg->vm_bytes : cfg->ram_bytes;
	pc.addressing = cfg->addressing;
	pc.disk_latency_ns = cfg->disk_latency_ns;
	pc.backing_fd = fds->store;
	pc.ram_fd = fds->ram;
	m->pager = pager_create(&pc, msg, msglen);
	if (m->pager == NULL) {
		if (fds->ram >= 0)
			close(fds->ram);
		machine_destroy(m);
		return EXIT_FAILURE_RUN;
	}
	/* Mac II-style places: ROM at $40800000 ($800000 in 24-bit mode), the
	 * screen in NuBus slot 9 space. */
	bool b24 = cfg->addressing == 24;
	m->rom_base = b24 ? 0x00800000 : 0x40800000;
	m->screen_base = b24 ? 0x00900000 : 0xF9000000;
	struct pager_region_spec rom = {"ROM",	   PAGER_ROM, m->rom_base, ROM_BYTES,
					m->rom_fd, 0,	      true};
	struct pager_region_spec screen = {
	    "Screen", PAGER_SCREEN, m->screen_base, (SCREEN_BYTES + 4095) & ~4095u, m->screen_fd,
	    0,	      false};
	if (pager_map_region(m->pager, &rom, msg, msglen) < 0 ||
	    pager_map_region(m->pager, &screen, msg, msglen) < 0) {
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
	struct machine_fds fds;
	int status = machine_fds_open(cfg, false, &fds, "map");
	if (status != EXIT_OK)
		return status;
	struct machine m;
	char err[512];
	status = machine_create(cfg, &fds, &m, err, sizeof err);
	if (status != EXIT_OK) {
		fprintf(stderr, "vm68k map: %s\n", err);
		return status;
	}
	printf("The pager demonstration (vm68k run without APP):\n");
	print_map(m.pager, cfg->addressing);
	struct pager_region_info ram;
	pager_region_info(m.pager, 0, &ram);
	toolbox_print_layout(stdout, cfg->addressing, ram.size);
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

/* The counters --stats prints, named as in vm68k(1). */
static size_t stats_to_msg(const struct pager_stats *s, struct msg_stat *out)
{
	const struct {
		const char *name;
		uint64_t value;
	} rows[] = {
	    {"faults", s->faults},
	    {"faults.zero_fill", s->zero_fill_faults},
	    {"faults.from_store", s->store_faults},
	    {"faults.dirty_marking", s->dirty_faults},
	    {"faults.reference", s->reference_faults},
	    {"faults.watch_filtered", s->watch_filtered},
	    {"faults.bus_error", s->bus_errors},
	    {"faults.read_only", s->read_only_faults},
	    {"faults.fatal_page_fault", s->fatal_page_faults},
	    {"faults.backing_store_error", s->backing_store_errors},
	    {"page_ins", s->page_ins},
	    {"zero_fills", s->zero_fills},
	    {"page_outs", s->page_outs},
	    {"evictions", s->evictions},
	    {"clean_drops", s->clean_drops},
	    {"watch_hits", s->watch_hits},
	    {"simulated_disk_ns", s->simulated_disk_ns},
	    {"frames", s->frames},
	    {"resident", s->resident},
	    {"resident_peak", s->resident_peak},
	    {"held", s->held},
	    {"locked", s->locked},
	};
	size_t n = sizeof rows / sizeof rows[0];
	for (size_t i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof out[i]);
		snprintf(out[i].name, sizeof out[i].name, "%s", rows[i].name);
		out[i].value = rows[i].value;
	}
	return n;
}
#define STATS_MAX 32

/* The guest process's side of a run: the machine and where its trace is. */
struct demo_child {
	const struct run_config *cfg;
	struct machine_fds fds;
	struct machine m;
	struct pager_tracer tr; /* the trace cursor and running counts */
	struct pagemap pm;	    /* shared with the host; pm.h NULL: no display */
	struct pagemap_writer pmw;
	uint8_t *screen;	    /* host address of the guest screen (pager_host_ptr) */
	uint32_t progress_x;	    /* progress bar drawn up to here */
	void *host_screen;	    /* the host's read-only view of the screen memfd */
};

/* Sends the pager's new events to the host as trace records (at most a
 * few events per page the demonstration touches, so the ring of
 * PAGER_TRACE_CAPACITY is drained often enough not to lose any). */
static void drain_trace(struct demo_child *d, const struct sandbox_child *child)
{
	if (d->cfg->trace_path != NULL)
		pager_trace_drain(d->m.pager, child, &d->tr);
}

/* In the guest process, before the seccomp filter: build the machine. */
static int demo_setup(void *ctx, const struct sandbox_child *child)
{
	struct demo_child *d = ctx;
	char err[512];
	int status = machine_create(d->cfg, &d->fds, &d->m, err, sizeof err);
	if (status != EXIT_OK)
		child_send_exit(child, status, err);
	else if (d->pm.h != NULL)
		pagemap_writer_init(&d->pmw, &d->pm, d->m.pager);
	pager_trace_start(&d->tr);
	return status;
}

/* The demonstration's picture on the guest screen, in the default grey
 * CLUT (0 white, 255 black): the Mac desktop's 50% grey, a window, and a
 * progress bar, so a person watching sees the guest working. */
#define BAR_X 120u
#define BAR_Y 236u
#define BAR_W 400u
#define BAR_H 16u
static void screen_rect(uint8_t *scr, uint32_t x, uint32_t y, uint32_t w, uint32_t h, uint8_t v)
{
	for (uint32_t j = y; j < y + h && j < SCREEN_H; j++)
		memset(scr + j * SCREEN_W + x, v, x + w <= SCREEN_W ? w : SCREEN_W - x);
}

static void screen_draw_desktop(uint8_t *scr)
{
	for (uint32_t y = 0; y < SCREEN_H; y++)
		for (uint32_t x = 0; x < SCREEN_W; x++)
			scr[y * SCREEN_W + x] = (x ^ y) & 1 ? 0xFF : 0x00;
	screen_rect(scr, 0, 0, SCREEN_W, 20, 0x00); /* menu bar */
	screen_rect(scr, 0, 20, SCREEN_W, 1, 0xFF);
	screen_rect(scr, 100, 180, 440, 120, 0xFF); /* window frame */
	screen_rect(scr, 101, 181, 438, 118, 0x00);
	for (uint32_t y = 184; y < 196; y += 2) /* title bar stripes */
		screen_rect(scr, 104, y, 432, 1, 0xFF);
	screen_rect(scr, 100, 199, 440, 1, 0xFF);
	screen_rect(scr, BAR_X - 1, BAR_Y - 1, BAR_W + 2, BAR_H + 2, 0xFF);
	screen_rect(scr, BAR_X, BAR_Y, BAR_W, BAR_H, 0x00);
}

/* Fills the bar to done/total. */
static void screen_progress(struct demo_child *d, uint64_t done, uint64_t total)
{
	uint32_t x = total ? (uint32_t)(done * BAR_W / total) : BAR_W;
	if (x > d->progress_x) {
		screen_rect(d->screen, BAR_X + d->progress_x, BAR_Y, x - d->progress_x, BAR_H, 0xB0);
		d->progress_x = x;
	}
}

/* At an instruction boundary (here: between pages): progress and page map. */
static void between_pages(struct demo_child *d, uint64_t done, uint64_t total)
{
	screen_progress(d, done, total);
	if (d->pm.h != NULL)
		pagemap_sync(&d->pmw, false);
}

/* In the guest process, under the filter: the sweep. Everything it prints
 * goes to the host over the channel. */
static int demo_main(void *ctx, const struct sandbox_child *child)
{
	struct demo_child *d = ctx;
	const struct run_config *cfg = d->cfg;
	struct pager *p = d->m.pager;
	pager_set_fault_fn(p, on_guest_fault, NULL);
	uint8_t *win = pager_window(p);
	uint32_t mask = pager_addr_mask(p);
	struct pager_region_info ram;
	pager_region_info(p, 0, &ram);
	uint32_t npages = ram.size / 4096;
	struct pager_stats s;
	pager_get_stats(p, &s);
	char l[32], ph[32];
	print_size(l, sizeof l, ram.size);
	print_size(ph, sizeof ph, (uint64_t)s.frames * 4096);
	child_log(child,
		  "pager demonstration: %s of logical memory through %s of frames (%s), "
		  "%u-bit, %u pass%s, seed %" PRIu64 ", in a sandboxed process",
		  l, ph, pager_vm_state_name(pager_vm_state(p)), cfg->addressing, cfg->passes,
		  cfg->passes == 1 ? "" : "es", cfg->seed);

	uint32_t *order = malloc(npages * sizeof *order);
	if (order == NULL) {
		child_send_exit(child, EXIT_FAILURE_RUN, "out of memory");
		return EXIT_FAILURE_RUN;
	}
	rng_state = cfg->seed * 2 + 1;
	uint64_t mismatches = 0, aborted = 0;
	uint64_t done = 0, total = (uint64_t)cfg->passes * npages * 2;
	/* The guest draws whether or not the host shows it. */
	d->screen = pager_host_ptr(win, mask, d->m.screen_base);
	screen_draw_desktop(d->screen);
	for (unsigned pass = 0; pass < cfg->passes; pass++) {
		/* Write every long word, page by page in random order, then read it
		 * all back in another order: the working set is all of logical
		 * memory, larger than the frames when VM is on. */
		shuffle(order, npages);
		for (uint32_t i = 0; i < npages; i++) {
			gaddr base = order[i] * 4096;
			child->status->pc = base; /* "where" if the process dies */
			if (!touch(p, base, true,
				   (uint8_t)(pattern(cfg->seed, pass, base) >> 24))) {
				aborted++;
				continue;
			}
			uint8_t *h = pager_host_ptr(win, mask, base);
			for (uint32_t off = 0; off < 4096; off += 4)
				put32(h + off, pattern(cfg->seed, pass, base + off));
			if ((i & 255) == 255)
				drain_trace(d, child);
			between_pages(d, ++done, total);
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
			if ((i & 255) == 255)
				drain_trace(d, child);
			between_pages(d, ++done, total);
		}
	}
	free(order);

	/* Guest faults come back as records. */
	char text[256];
	gaddr rom_write = d->m.rom_base + 0x10,
	      nowhere = cfg->addressing == 24 ? 0x00A00000 : 0x60000000;
	bool rom_ok = !touch(p, rom_write, true, 0xFF) && last_fault.kind == PAGER_FAULT_READ_ONLY;
	if (rom_ok) {
		pager_fault_describe(&last_fault, text, sizeof text);
		child_log(child, "guest write to ROM:   %s", text);
	}
	bool bus_ok = !touch(p, nowhere, false, 0) && last_fault.kind == PAGER_FAULT_BUS_ERROR;
	if (bus_ok) {
		pager_fault_describe(&last_fault, text, sizeof text);
		child_log(child, "guest read elsewhere: %s", text);
	}
	drain_trace(d, child);
	if (d->pm.h != NULL)
		pagemap_sync(&d->pmw, true);

	pager_get_stats(p, &s);
	child_log(child,
		  "faults %" PRIu64 " (zero-fill %" PRIu64 ", from store %" PRIu64 ", dirty %" PRIu64
		  ", reference %" PRIu64 "); page-outs %" PRIu64 ", clean drops %" PRIu64,
		  s.faults, s.zero_fill_faults, s.store_faults, s.dirty_faults, s.reference_faults,
		  s.page_outs, s.clean_drops);
	child_log(child, "resident peak %" PRIu32 " of %" PRIu32 " frames", s.resident_peak,
		  s.frames);
	struct msg_stat stats[STATS_MAX];
	child_send_stats(child, stats, stats_to_msg(&s, stats));
	bool ok = mismatches == 0 && aborted == 0 && rom_ok && bus_ok &&
		  s.resident_peak <= s.frames && s.backing_store_errors == 0;
	char reason[256];
	if (ok)
		snprintf(reason, sizeof reason,
			 "ok: %u x %" PRIu32 " KiB written and verified, 0 mismatches", cfg->passes,
			 ram.size >> 10);
	else
		snprintf(reason, sizeof reason,
			 "FAILED: %" PRIu64 " mismatched long words, %" PRIu64
			 " aborted accesses%s%s",
			 mismatches, aborted, rom_ok ? "" : ", ROM write not reported",
			 bus_ok ? "" : ", bus error not reported");
	int status = ok ? EXIT_OK : EXIT_FAILURE_RUN;
	child_send_exit(child, status, reason);
	return status;
}

/* Host side, before the fork: the page map the child will keep current and
 * the display that draws it with the screen (the host's own read-only
 * mapping of the screen memfd). *disp stays NULL when there is nothing to
 * show. Returns an exit status after one line on stderr. */
static int display_start(const struct run_config *cfg, struct demo_child *d,
			 struct display **disp)
{
	uint64_t ram = vm_on(cfg) ? cfg->vm_bytes : cfg->ram_bytes;
	uint64_t cells = (ram + 4095) / 4096 + PAGEMAP_EXTRA_CELLS;
	if (cells > UINT32_MAX / 2 || pagemap_create(&d->pm, (uint32_t)cells) < 0)
		return EXIT_OK; /* pager_create will refuse this size with a better message */
	size_t screen_len = (SCREEN_BYTES + 4095) & ~4095u;
	void *scr = mmap(NULL, screen_len, PROT_READ, MAP_SHARED, d->fds.screen, 0);
	struct guest_screen screen = {NULL, SCREEN_W, SCREEN_H, SCREEN_W, 8};
	if (scr != MAP_FAILED)
		screen.base = scr;
	char err[512];
	*disp = display_new(cfg, &d->pm, &screen, err, sizeof err);
	if (*disp == NULL) {
		if (scr != MAP_FAILED)
			munmap(scr, screen_len);
		pagemap_destroy(&d->pm);
		if (err[0] != '\0') {
			fprintf(stderr, "vm68k run: %s\n", err);
			return cfg->screenshot_path != NULL && strncmp(err, "--screenshot", 12) == 0
				   ? EXIT_BAD_INPUT
				   : EXIT_FAILURE_RUN;
		}
		return EXIT_OK;
	}
	d->host_screen = scr != MAP_FAILED ? scr : NULL;
	return EXIT_OK;
}

int cmd_run_demo(const struct run_config *cfg)
{
	struct demo_child d = {.cfg = cfg};
	int status = machine_fds_open(cfg, true, &d.fds, "run");
	if (status != EXIT_OK)
		return status;
	/* The guest process maps RAM, ROM and screen during setup, before the
	 * filter; afterwards it may only punch RAM frames and page to the store. */
	struct sandbox_fd fds[4];
	size_t n = 0;
	fds[n++] = (struct sandbox_fd){d.fds.ram, SANDBOX_MMAP | SANDBOX_PUNCH};
	fds[n++] = (struct sandbox_fd){d.fds.rom, 0};
	fds[n++] = (struct sandbox_fd){d.fds.screen, 0};
	if (d.fds.store >= 0)
		fds[n++] = (struct sandbox_fd){d.fds.store, SANDBOX_PREAD | SANDBOX_PWRITE};
	struct spawn_job job = {.fds = fds, .nfds = n, .setup = demo_setup, .main = demo_main, .ctx = &d};
	struct display *disp = NULL;
	status = display_start(cfg, &d, &disp);
	if (status == EXIT_OK) {
		status = sandbox_run_ticking(cfg, &job, DISPLAY_TICK_MS, disp ? display_tick : NULL,
					     disp);
		if (disp != NULL && display_finish(disp) < 0 && status == EXIT_OK)
			status = EXIT_FAILURE_RUN;
	}
	display_free(disp);
	pagemap_destroy(&d.pm);
	if (d.host_screen != NULL)
		munmap(d.host_screen, (SCREEN_BYTES + 4095) & ~4095u);
	machine_fds_close(&d.fds);
	return status;
}
