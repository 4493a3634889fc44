/* The display's page map and composer: the child-side writer reports what a
 * real pager's pages are doing, and the composed frame shows each state in
 * its documented colour, flashes faulted pages, draws the screen through the
 * grey ramp, and survives a lying guest process. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host/display.h"
#include "host/sandbox.h"
#include "pager_harness.h"

#include <time.h>

#define K4 4096u

static uint32_t pixel(const struct canvas *c, int x, int y)
{
	return c->px[y * c->pitch + x];
}

static struct canvas canvas_for(const struct display_layout *l)
{
	struct canvas c = {calloc((size_t)l->w * (size_t)l->h, 4), l->w, l->h, l->w};
	assert_non_null(c.px);
	return c;
}

/* A page map of ram cells of RAM at 0 and rom cells of ROM at $40800000. */
static void fake_map(struct pagemap *pm, uint32_t ram, uint32_t rom)
{
	assert_int_equal(pagemap_create(pm, ram + rom), 0);
	struct pagemap_header *h = pm->h;
	strcpy(h->regions[0].name, "RAM");
	h->regions[0].base = 0;
	h->regions[0].cells = ram;
	strcpy(h->regions[1].name, "ROM");
	h->regions[1].base = 0x40800000;
	h->regions[1].cells = rom;
	h->nregions = 2;
	for (uint32_t i = ram; i < ram + rom; i++)
		pm->state[i] = PAGEMAP_READ_ONLY;
}

static const struct guest_screen no_screen = {NULL, 0, 0, 0, 0};

static void compose_map(const struct pagemap *pm, const uint8_t *flash,
			const struct guest_screen *screen, struct display_layout *l,
			struct canvas *c)
{
	struct display_frame f;
	display_frame_read(&f, pm);
	f.flash = flash;
	display_layout(l, screen, f.hdr.regions, (int)f.hdr.nregions);
	*c = canvas_for(l);
	display_compose(c, l, screen, &f);
}

static void each_page_state_is_drawn_in_its_documented_colour(void **state)
{
	(void)state;
	struct pagemap pm;
	fake_map(&pm, 300, 16);
	for (uint32_t i = 0; i < 300; i++)
		pm.state[i] = (uint8_t)(PAGEMAP_NOT_RESIDENT + i % 7);
	struct display_layout l;
	struct canvas c;
	compose_map(&pm, NULL, &no_screen, &l, &c);
	assert_true(l.cell >= 5);
	assert_int_equal(l.pages_per_cell, 1);
	for (uint32_t i = 0; i < 300; i++) {
		int x, y;
		assert_true(display_cell_xy(&l, 0, i, &x, &y));
		uint32_t want = display_cell_colour[PAGEMAP_NOT_RESIDENT + i % 7];
		assert_int_equal(pixel(&c, x + l.cell / 2, y + l.cell / 2), want);
		/* The grid line after the cell is background, so cells stay apart. */
		assert_int_equal(pixel(&c, x + l.cell - 1, y + l.cell / 2), DISPLAY_BACKGROUND);
	}
	for (uint32_t i = 0; i < 16; i++) {
		int x, y;
		assert_true(display_cell_xy(&l, 1, i, &x, &y));
		assert_int_equal(pixel(&c, x + 1, y + 1), display_cell_colour[PAGEMAP_READ_ONLY]);
	}
	/* The ROM starts on its own row, below RAM's last. */
	int x0, y0, x1, y1;
	display_cell_xy(&l, 0, 299, &x0, &y0);
	display_cell_xy(&l, 1, 0, &x1, &y1);
	assert_true(y1 > y0);
	assert_int_equal(x1, l.map_x);
	free(c.px);
	pagemap_destroy(&pm);
}

static void legend_swatches_match_the_palette(void **state)
{
	(void)state;
	struct pagemap pm;
	fake_map(&pm, 64, 16);
	struct display_layout l;
	struct canvas c;
	compose_map(&pm, NULL, &no_screen, &l, &c);
	for (int k = PAGEMAP_NOT_RESIDENT; k <= PAGEMAP_CELL_KINDS; k++) {
		int x, y;
		display_legend_xy(&l, k, &x, &y);
		uint32_t want =
		    k == PAGEMAP_CELL_KINDS ? DISPLAY_FLASH_COLOUR : display_cell_colour[k];
		assert_int_equal(pixel(&c, x, y + DISPLAY_LEGEND_SWATCH / 2), want); /* left edge */
		/* and a label beside it */
		bool text = false;
		for (int dx = DISPLAY_LEGEND_SWATCH + 2; dx < 60 && !text; dx++)
			for (int dy = 0; dy < DISPLAY_LEGEND_SWATCH && !text; dy++)
				text = pixel(&c, x + dx, y + dy) == DISPLAY_TEXT_COLOUR;
		assert_true(text);
	}
	free(c.px);
	pagemap_destroy(&pm);
}

/* vm68k(1) lists the colours; they must be the ones drawn. */
static void man_page_documents_the_colours_drawn(void **state)
{
	(void)state;
	const char *srcdir = getenv("top_srcdir");
	char path[4096];
	snprintf(path, sizeof path, "%s/man/vm68k.1", srcdir ? srcdir : ".");
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	static const char *const names[] = {
	    [PAGEMAP_NOT_RESIDENT] = "not resident",
	    [PAGEMAP_CLEAN] = "resident, clean",
	    [PAGEMAP_DIRTY] = "resident, dirty",
	    [PAGEMAP_HELD] = "held (HoldMemory)",
	    [PAGEMAP_LOCKED] = "locked (LockMemory)",
	    [PAGEMAP_READ_ONLY] = "read-only (ROM, file)",
	    [PAGEMAP_WATCHED] = "watched",
	};
	unsigned found = 0;
	char line[256];
	while (fgets(line, sizeof line, f) != NULL)
		for (int k = PAGEMAP_NOT_RESIDENT; k < PAGEMAP_CELL_KINDS; k++) {
			char want[96];
			snprintf(want, sizeof want, ".It %s Ta %06X\n", names[k],
				 display_cell_colour[k]);
			if (strcmp(line, want) == 0)
				found |= 1u << k;
		}
	fclose(f);
	assert_int_equal(found, 0xFEu); /* kinds 1..7 */
}

static void a_faulted_page_flashes_in_the_grid_lines_and_keeps_its_colour(void **state)
{
	(void)state;
	struct pagemap pm;
	fake_map(&pm, 64, 0);
	pm.h->nregions = 1;
	for (uint32_t i = 0; i < 64; i++)
		pm.state[i] = PAGEMAP_DIRTY;
	uint8_t flash[64] = {0};
	flash[5] = 3;
	struct display_layout l;
	struct canvas c;
	compose_map(&pm, flash, &no_screen, &l, &c);
	int x, y;
	display_cell_xy(&l, 0, 5, &x, &y);
	assert_int_equal(pixel(&c, x - 1, y - 1), DISPLAY_FLASH_COLOUR);
	assert_int_equal(pixel(&c, x + l.cell - 1, y + l.cell - 1), DISPLAY_FLASH_COLOUR);
	/* the whole square keeps the page's colour */
	assert_int_equal(pixel(&c, x, y), display_cell_colour[PAGEMAP_DIRTY]);
	assert_int_equal(pixel(&c, x + l.cell - 2, y + l.cell - 2),
			 display_cell_colour[PAGEMAP_DIRTY]);
	display_cell_xy(&l, 0, 7, &x, &y);
	assert_int_equal(pixel(&c, x + l.cell - 1, y + l.cell - 1), DISPLAY_BACKGROUND);
	free(c.px);
	pagemap_destroy(&pm);
}

static void screen_pixels_go_through_the_grey_ramp(void **state)
{
	(void)state;
	struct pagemap pm;
	fake_map(&pm, 16, 0);
	uint8_t eight[4 * 2] = {0x00, 0xFF, 0x80, 0x01, 0, 0, 0, 0};
	struct guest_screen s8 = {eight, 4, 2, 4, 8};
	struct display_layout l;
	struct canvas c;
	compose_map(&pm, NULL, &s8, &l, &c);
	assert_int_equal(pixel(&c, l.screen_x + 0, l.screen_y), 0xFFFFFF); /* 0: white */
	assert_int_equal(pixel(&c, l.screen_x + 1, l.screen_y), 0x000000); /* 255: black */
	assert_int_equal(pixel(&c, l.screen_x + 2, l.screen_y), 0x7F7F7F);
	free(c.px);
	/* 1 bit: set bits are black, most significant bit first. */
	uint8_t one[2] = {0x80, 0x01};
	struct guest_screen s1 = {one, 16, 1, 2, 1};
	compose_map(&pm, NULL, &s1, &l, &c);
	assert_int_equal(pixel(&c, l.screen_x + 0, l.screen_y), 0x000000);
	assert_int_equal(pixel(&c, l.screen_x + 1, l.screen_y), 0xFFFFFF);
	assert_int_equal(pixel(&c, l.screen_x + 15, l.screen_y), 0x000000);
	assert_int_equal(pixel(&c, l.screen_x + 14, l.screen_y), 0xFFFFFF);
	free(c.px);
	pagemap_destroy(&pm);
}

static void a_lying_guest_process_cannot_make_the_host_read_past_the_map(void **state)
{
	(void)state;
	struct pagemap pm;
	fake_map(&pm, 32, 0);
	pm.h->regions[0].cells = 0xFFFFFFF0u;
	pm.h->regions[1].cells = 1000;
	memset(pm.h->regions[0].name, 'x', sizeof pm.h->regions[0].name);
	memset(pm.state, 0xEE, 32); /* no such state */
	struct display_frame f;
	display_frame_read(&f, &pm);
	assert_int_equal(f.hdr.regions[0].cells, 32);
	assert_int_equal(f.hdr.regions[1].cells, 0);
	assert_int_equal(f.hdr.regions[0].name[sizeof f.hdr.regions[0].name - 1], '\0');
	struct display_layout l;
	struct canvas c;
	compose_map(&pm, NULL, &no_screen, &l, &c); /* ASan would object */
	int x, y;
	display_cell_xy(&l, 0, 0, &x, &y);
	assert_int_equal(pixel(&c, x + 1, y + 1), display_cell_colour[PAGEMAP_UNUSED]);
	free(c.px);
	pm.h->nregions = 1000;
	display_frame_read(&f, &pm);
	assert_int_equal(f.hdr.nregions, 0);
	/* The capacity in the shared header is not what the host goes by. */
	pm.h->nregions = 1;
	pm.h->capacity = 0xFFFFFFFFu;
	pm.h->regions[0].cells = 0xFFFFFFFFu;
	display_frame_read(&f, &pm);
	assert_int_equal(f.capacity, 32);
	assert_int_equal(f.hdr.regions[0].cells, 32);
	pagemap_destroy(&pm);
}

static void large_logical_ram_shares_cells_between_pages(void **state)
{
	(void)state;
	struct pagemap_region r = {"RAM", 0, 1u << 20}; /* 4 GiB of pages */
	struct display_layout l;
	display_layout(&l, &no_screen, &r, 1);
	assert_true(l.pages_per_cell > 1);
	int x, y;
	assert_true(display_cell_xy(&l, 0, (1u << 20) - 1, &x, &y));
	assert_true(x + l.cell <= l.w && y + l.cell <= l.legend_y);
}

/* The child's side, over a real pager: what the pages really are. */
static void page_map_writer_reports_each_pages_state(void **state)
{
	(void)state;
	struct pager_config cfg;
	pager_config_defaults(&cfg);
	cfg.vm_bytes = 64 * K4;
	cfg.ram_bytes = 16 * K4;
	char err[256];
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	struct pagemap pm;
	assert_int_equal(pagemap_create(&pm, 64 + PAGEMAP_EXTRA_CELLS), 0);
	struct pagemap_writer w;
	pagemap_writer_init(&w, &pm, p);
	assert_int_equal(pm.h->nregions, 1);
	assert_int_equal(pm.h->regions[0].cells, 64);
	for (uint32_t i = 0; i < 64; i++)
		assert_int_equal(pm.state[i], PAGEMAP_NOT_RESIDENT);

	uint32_t v;
	assert_true(g_write(1 * K4, 0x12345678, 4));
	assert_true(g_read(2 * K4, &v, 4));
	assert_int_equal(HoldMemory(p, 3 * K4, K4), noErr);
	assert_int_equal(LockMemory(p, 4 * K4, K4), noErr);
	assert_true(pager_watch_add(p, 5 * K4 + 8, 4) >= 0);
	pagemap_sync(&w, false);
	assert_int_equal(pm.touched[1], 1); /* the zero-fill of the write */
	assert_int_equal(pm.touched[0], 0);
	uint8_t touched2 = pm.touched[2], touched9 = pm.touched[9];
	assert_true(g_read(2 * K4 + 4, &v, 4)); /* resident: no fault */
	pagemap_sync(&w, true);
	assert_int_equal(pm.state[0], PAGEMAP_NOT_RESIDENT);
	assert_int_equal(pm.state[1], PAGEMAP_DIRTY);
	assert_int_equal(pm.state[2], PAGEMAP_CLEAN);
	assert_int_equal(pm.state[3], PAGEMAP_HELD);
	assert_int_equal(pm.state[4], PAGEMAP_LOCKED);
	assert_int_equal(pm.state[5], PAGEMAP_WATCHED);
	assert_int_equal(pm.touched[2], touched2);
	assert_int_equal(pm.touched[9], touched9);
	assert_int_equal(pm.h->resident, 5);
	assert_int_equal(pm.h->frames, 16);

	/* A fault between refreshes is counted on its page at the next one,
	 * even when it is not time for a full refresh. */
	assert_true(g_read(9 * K4, &v, 4));
	pagemap_sync(&w, false);
	assert_int_equal((uint8_t)(pm.touched[9] - touched9), 1);
	assert_int_equal(pm.state[9], PAGEMAP_CLEAN);

	/* Sweeping all of RAM through 16 frames leaves 16 resident. */
	for (uint32_t i = 0; i < 64; i++)
		assert_true(g_write(i * K4, i, 4));
	pagemap_sync(&w, true);
	unsigned resident = 0;
	for (uint32_t i = 0; i < 64; i++)
		resident += pm.state[i] != PAGEMAP_NOT_RESIDENT;
	assert_int_equal(resident, 16);
	assert_int_equal(pm.h->resident, 16);
	pagemap_destroy(&pm);
	h_destroy(p);
}

/* The page map is live: the host's broker ticks while the sandboxed child
 * runs and sees what the child writes into the shared mapping as it goes,
 * with no message and no system call on the child's side. */
static struct pagemap live_pm;
static unsigned live_ticks, live_values;
static uint64_t live_last = UINT64_MAX;

static uint64_t ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int live_child(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	(void)child;
	uint64_t start = ms_now(), t;
	while ((t = ms_now()) - start < 400)
		live_pm.h->syncs = (t - start) / 50 + 1;
	return 0;
}

static void live_tick(void *ctx)
{
	(void)ctx;
	live_ticks++;
	uint64_t v = live_pm.h->syncs;
	if (v != live_last && v != 0)
		live_values++;
	live_last = v;
}

static void broker_ticks_and_sees_the_page_map_change_while_the_guest_runs(void **state)
{
	(void)state;
	assert_int_equal(pagemap_create(&live_pm, 16), 0);
	struct spawn_job job = {.main = live_child};
	struct spawn_host host = {.quiet = true, .tick_ms = 20, .on_tick = live_tick};
	struct spawn_outcome out;
	assert_int_equal(spawn_run(&job, &host, &out), 0);
	assert_int_equal(out.end, SPAWN_EXITED);
	assert_int_equal(out.exit_status, 0);
	/* 400 ms at 20 ms a tick; generous bounds for a loaded machine. */
	assert_true(live_ticks >= 5);
	assert_true(live_values >= 3);
	pagemap_destroy(&live_pm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(each_page_state_is_drawn_in_its_documented_colour),
	    cmocka_unit_test(legend_swatches_match_the_palette),
	    cmocka_unit_test(man_page_documents_the_colours_drawn),
	    cmocka_unit_test(a_faulted_page_flashes_in_the_grid_lines_and_keeps_its_colour),
	    cmocka_unit_test(screen_pixels_go_through_the_grey_ramp),
	    cmocka_unit_test(a_lying_guest_process_cannot_make_the_host_read_past_the_map),
	    cmocka_unit_test(large_logical_ram_shares_cells_between_pages),
	    cmocka_unit_test(page_map_writer_reports_each_pages_state),
	    cmocka_unit_test(broker_ticks_and_sees_the_page_map_change_while_the_guest_runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
