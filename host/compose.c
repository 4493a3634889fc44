/* The composer: one frame of the display window as pixels — the guest screen
 * on the left, the live page map beside it (one cell per page, wrapping at a
 * power of two so a row is a round number of KiB), its legend, and a status
 * line. Pure computation over memory: the window, the headless screenshot
 * and the tests all draw through here. */
#include "config.h"

#include "host/display.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const uint32_t display_cell_colour[PAGEMAP_CELL_KINDS] = {
    [PAGEMAP_UNUSED] = 0x303038,    [PAGEMAP_NOT_RESIDENT] = 0x4A4A5A, [PAGEMAP_CLEAN] = 0x3CB44B,
    [PAGEMAP_DIRTY] = 0xE8602C,	    [PAGEMAP_HELD] = 0x4363D8,	       [PAGEMAP_LOCKED] = 0xA040D0,
    [PAGEMAP_READ_ONLY] = 0x42D4F4, [PAGEMAP_WATCHED] = 0xFFE119,
};

static const char *const legend_text[PAGEMAP_CELL_KINDS + 1] = {
    [PAGEMAP_NOT_RESIDENT] = "not resident",
    [PAGEMAP_CLEAN] = "resident, clean",
    [PAGEMAP_DIRTY] = "resident, dirty",
    [PAGEMAP_HELD] = "held (HoldMemory)",
    [PAGEMAP_LOCKED] = "locked (LockMemory)",
    [PAGEMAP_READ_ONLY] = "read-only (ROM, file)",
    [PAGEMAP_WATCHED] = "watched",
    [PAGEMAP_CELL_KINDS] = "faulted (flashes)",
};

#define MARGIN 8
#define TITLE_H (FONT_H + 4)
#define LABEL_W (9 * FONT_W) /* "00000000 " before each labelled row */
#define GRID_W 512
#define PANE_MIN_H 420
#define LEGEND_ROW_H 14
#define LEGEND_ROWS 4
#define LEGEND_COL_W 180
#define LEGEND_H (LEGEND_ROWS * LEGEND_ROW_H)

/* Which of several pages' states a shared cell shows: the strongest. */
static const uint8_t rank[PAGEMAP_CELL_KINDS] = {
    [PAGEMAP_UNUSED] = 0, [PAGEMAP_NOT_RESIDENT] = 1, [PAGEMAP_READ_ONLY] = 2,
    [PAGEMAP_CLEAN] = 3,  [PAGEMAP_DIRTY] = 4,	      [PAGEMAP_HELD] = 5,
    [PAGEMAP_LOCKED] = 6, [PAGEMAP_WATCHED] = 7,
};

static int screen_w(const struct guest_screen *s)
{
	return s->base ? s->width : 640;
}
static int screen_h(const struct guest_screen *s)
{
	return s->base ? s->height : 480;
}

/* Grid rows regions need with cols cells a row and ppc pages a cell; one
 * empty row between regions. */
static int rows_needed(const struct pagemap_region *regions, int n, int cols, uint32_t ppc)
{
	uint64_t rows = 0;
	for (int r = 0; r < n; r++) {
		uint64_t cells = (regions[r].cells + ppc - 1) / ppc;
		rows += (cells + (uint64_t)cols - 1) / (uint64_t)cols + (r > 0);
	}
	return rows > 1u << 20 ? 1 << 20 : (int)rows;
}

void display_layout(struct display_layout *l, const struct guest_screen *screen,
		    const struct pagemap_region *regions, int nregions)
{
	memset(l, 0, sizeof *l);
	if (nregions > LAYOUT_MAX_REGIONS)
		nregions = LAYOUT_MAX_REGIONS;
	int sw = screen_w(screen), sh = screen_h(screen);
	int pane_h = sh > PANE_MIN_H ? sh : PANE_MIN_H;
	l->screen_x = MARGIN;
	l->screen_y = MARGIN + TITLE_H;
	int pane_x = l->screen_x + sw + 2 * MARGIN;
	l->map_x = pane_x + LABEL_W;
	l->map_y = l->screen_y;
	int grid_h = pane_h - LEGEND_H - MARGIN;
	l->legend_x = pane_x;
	l->legend_y = l->screen_y + pane_h - LEGEND_H;
	l->status_y = l->screen_y + pane_h + MARGIN;
	l->w = l->map_x + GRID_W + MARGIN;
	l->h = l->status_y + FONT_H + MARGIN;

	/* The largest cell that fits, then the fewest columns; pages share
	 * cells only when logical RAM outgrows one pixel a page. */
	static const int sizes[] = {16, 12, 10, 8, 6, 5, 4, 3, 2, 1};
	for (uint32_t ppc = 1; ppc != 0; ppc <<= 1)
		for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
			for (int cols = 1; cols * sizes[s] <= GRID_W; cols <<= 1)
				if (rows_needed(regions, nregions, cols, ppc) * sizes[s] <=
				    grid_h) {
					l->cell = sizes[s];
					l->cols = cols;
					l->pages_per_cell = ppc;
					goto found;
				}
found:
	l->nregions = nregions;
	int row = 0;
	uint32_t first = 0;
	for (int r = 0; r < nregions; r++) {
		uint32_t cells = (regions[r].cells + l->pages_per_cell - 1) / l->pages_per_cell;
		row += r > 0;
		l->region[r].first_row = row;
		l->region[r].first_cell = first;
		l->region[r].cells = regions[r].cells;
		row += (int)((cells + (uint32_t)l->cols - 1) / (uint32_t)l->cols);
		first += regions[r].cells;
	}
}

bool display_cell_xy(const struct display_layout *l, int r, uint32_t i, int *x, int *y)
{
	if (r < 0 || r >= l->nregions || i >= l->region[r].cells || l->cols == 0)
		return false;
	uint32_t k = i / l->pages_per_cell;
	*x = l->map_x + (int)(k % (uint32_t)l->cols) * l->cell;
	*y = l->map_y + (l->region[r].first_row + (int)(k / (uint32_t)l->cols)) * l->cell;
	return true;
}

void display_legend_xy(const struct display_layout *l, int k, int *x, int *y)
{
	int n = k - PAGEMAP_NOT_RESIDENT; /* 0..7 */
	*x = l->legend_x + (n / LEGEND_ROWS) * LEGEND_COL_W;
	*y = l->legend_y + (n % LEGEND_ROWS) * LEGEND_ROW_H;
}

void display_frame_read(struct display_frame *f, const struct pagemap *pm)
{
	memset(f, 0, sizeof *f);
	if (pm == NULL || pm->h == NULL)
		return;
	memcpy(&f->hdr, (const void *)pm->h, sizeof f->hdr);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	/* The child wrote all of this: believe nothing that would index past
	 * the mapping. */
	f->capacity = pm->capacity; /* the host's own number, never the shared one */
	f->state = pm->state;
	if (f->hdr.magic != PAGEMAP_MAGIC || f->hdr.nregions > PAGEMAP_MAX_REGIONS)
		f->hdr.nregions = 0;
	uint32_t left = f->capacity;
	for (uint32_t r = 0; r < f->hdr.nregions; r++) {
		struct pagemap_region *g = &f->hdr.regions[r];
		g->name[sizeof g->name - 1] = '\0';
		if (g->cells > left)
			g->cells = left;
		left -= g->cells;
	}
}

static void fill(struct canvas *c, int x, int y, int w, int h, uint32_t colour)
{
	for (int j = y < 0 ? 0 : y; j < y + h && j < c->h; j++)
		for (int i = x < 0 ? 0 : x; i < x + w && i < c->w; i++)
			c->px[j * c->pitch + i] = colour;
}

static void outline(struct canvas *c, int x, int y, int w, int h, uint32_t colour)
{
	fill(c, x, y, w, 1, colour);
	fill(c, x, y + h - 1, w, 1, colour);
	fill(c, x, y, 1, h, colour);
	fill(c, x + w - 1, y, 1, h, colour);
}

static void draw_screen(struct canvas *c, const struct display_layout *l,
			const struct guest_screen *s)
{
	if (s->base == NULL || (s->depth != 1 && s->depth != 2 && s->depth != 4 && s->depth != 8)) {
		fill(c, l->screen_x, l->screen_y, screen_w(s), screen_h(s), 0x808080);
		return;
	}
	/* The default grey CLUT: index 0 white, the last index black. */
	uint32_t grey[256];
	unsigned top = (1u << s->depth) - 1;
	for (unsigned i = 0; i <= top; i++) {
		unsigned v = 255 - i * 255 / top;
		grey[i] = v << 16 | v << 8 | v;
	}
	for (int y = 0; y < s->height && l->screen_y + y < c->h; y++) {
		const uint8_t *row = s->base + (size_t)y * (size_t)s->rowbytes;
		uint32_t *out = c->px + (l->screen_y + y) * c->pitch + l->screen_x;
		if (s->depth == 8) {
			for (int x = 0; x < s->width; x++)
				out[x] = grey[row[x]];
			continue;
		}
		for (int x = 0; x < s->width; x++) {
			unsigned bit = (unsigned)x * (unsigned)s->depth;
			unsigned shift = 8 - (unsigned)s->depth - bit % 8;
			out[x] = grey[(row[bit / 8] >> shift) & top];
		}
	}
}

static uint8_t cell_state(const struct display_frame *f, uint32_t first, uint32_t n)
{
	uint8_t best = PAGEMAP_UNUSED;
	for (uint32_t i = first; i < first + n && i < f->capacity; i++) {
		uint8_t s = f->state[i] < PAGEMAP_CELL_KINDS ? f->state[i] : PAGEMAP_UNUSED;
		if (rank[s] > rank[best])
			best = s;
	}
	return best;
}

static bool cell_flashes(const struct display_frame *f, uint32_t first, uint32_t n)
{
	if (f->flash == NULL)
		return false;
	for (uint32_t i = first; i < first + n && i < f->capacity; i++)
		if (f->flash[i])
			return true;
	return false;
}

static void size_text(char *buf, size_t len, uint64_t bytes)
{
	if (bytes >= 1u << 20 && bytes % (1u << 20) == 0)
		snprintf(buf, len, "%" PRIu64 " MiB", bytes >> 20);
	else
		snprintf(buf, len, "%" PRIu64 " KiB", bytes >> 10);
}

static void draw_map(struct canvas *c, const struct display_layout *l,
		     const struct display_frame *f)
{
	int sq = l->cell > 1 ? l->cell - 1 : 1; /* the coloured square; the rest is grid */
	int label_every = 1;
	while (label_every * l->cell < FONT_H + 4)
		label_every *= 2;
	for (int r = 0; r < l->nregions; r++) {
		const struct pagemap_region *g = &f->hdr.regions[r];
		uint32_t ppc = l->pages_per_cell;
		uint32_t ncells = (l->region[r].cells + ppc - 1) / ppc;
		for (uint32_t k = 0; k < ncells; k++) {
			uint32_t first = l->region[r].first_cell + k * ppc;
			uint32_t n =
			    l->region[r].cells - k * ppc < ppc ? l->region[r].cells - k * ppc : ppc;
			int x, y;
			display_cell_xy(l, r, k * ppc, &x, &y);
			uint8_t s = cell_state(f, first, n);
			fill(c, x, y, sq, sq, display_cell_colour[s]);
			if (cell_flashes(f, first, n)) {
				/* In the grid lines around the cell, so the cell keeps
				 * showing its state while it flashes. */
				if (l->cell > 1)
					outline(c, x - 1, y - 1, sq + 2, sq + 2,
						DISPLAY_FLASH_COLOUR);
				else
					fill(c, x, y, 1, 1, DISPLAY_FLASH_COLOUR);
			}
			if (k % ((uint32_t)l->cols * (uint32_t)label_every) == 0) {
				char label[16];
				uint64_t a = (uint64_t)g->base + (uint64_t)k * ppc * 4096u;
				snprintf(label, sizeof label, "%08" PRIX64, a & 0xFFFFFFFFu);
				int ty = y + (l->cell - FONT_H) / 2;
				font_draw(c, l->map_x - LABEL_W, ty, label, DISPLAY_TEXT_COLOUR);
			}
		}
	}
	/* Regions after RAM are named after their last cell, when it leaves room. */
	for (int r = 1; r < l->nregions; r++) {
		uint32_t ncells = (l->region[r].cells + l->pages_per_cell - 1) / l->pages_per_cell;
		int x, y;
		if (ncells == 0 || !display_cell_xy(l, r, (ncells - 1) * l->pages_per_cell, &x, &y))
			continue;
		int room = l->map_x + l->cols * l->cell - (x + l->cell + FONT_W);
		if (room >= (int)strlen(f->hdr.regions[r].name) * FONT_W)
			font_draw(c, x + l->cell + FONT_W, y + (l->cell - FONT_H) / 2,
				  f->hdr.regions[r].name, DISPLAY_TEXT_COLOUR);
	}
	/* Title: what one row and one cell stand for. */
	char title[160], total[32], row[32];
	uint64_t ram = f->hdr.nregions ? (uint64_t)f->hdr.regions[0].cells * 4096u : 0;
	size_text(total, sizeof total, ram);
	size_text(row, sizeof row, (uint64_t)l->cols * l->pages_per_cell * 4096u);
	if (l->pages_per_cell == 1)
		snprintf(title, sizeof title,
			 "page map: %s of logical RAM, 1 cell = 4 KiB page, %s a row", total, row);
	else
		snprintf(title, sizeof title,
			 "page map: %s of logical RAM, 1 cell = %" PRIu32 " pages, %s a row", total,
			 l->pages_per_cell, row);
	font_draw(c, l->map_x - LABEL_W, MARGIN, title, DISPLAY_TEXT_COLOUR);
}

static void draw_legend(struct canvas *c, const struct display_layout *l)
{
	for (int k = PAGEMAP_NOT_RESIDENT; k <= PAGEMAP_CELL_KINDS; k++) {
		int x, y;
		display_legend_xy(l, k, &x, &y);
		uint32_t colour =
		    k == PAGEMAP_CELL_KINDS ? DISPLAY_FLASH_COLOUR : display_cell_colour[k];
		if (k == PAGEMAP_CELL_KINDS) /* a ring, as around a flashing cell */
			outline(c, x, y, DISPLAY_LEGEND_SWATCH, DISPLAY_LEGEND_SWATCH, colour);
		else
			fill(c, x, y, DISPLAY_LEGEND_SWATCH, DISPLAY_LEGEND_SWATCH, colour);
		font_draw(c, x + DISPLAY_LEGEND_SWATCH + 6,
			  y + (DISPLAY_LEGEND_SWATCH - FONT_H) / 2 + 1, legend_text[k],
			  DISPLAY_TEXT_COLOUR);
	}
}

static void draw_status(struct canvas *c, const struct display_layout *l,
			const struct display_frame *f)
{
	static const char *const vm_names[] = {"RM", "VM", "vM"};
	const struct pagemap_header *h = &f->hdr;
	char line[320];
	if (h->nregions == 0) {
		snprintf(line, sizeof line, "waiting for the guest process%s%s",
			 f->note ? "  " : "", f->note ? f->note : "");
	} else {
		snprintf(line, sizeof line,
			 "%s   resident %" PRIu32 "/%" PRIu32 " frames   held %" PRIu32
			 "   locked %" PRIu32 "   faults %" PRIu64 "   page-ins %" PRIu64
			 "   page-outs %" PRIu64 "%s%s",
			 h->vm_state < 3 ? vm_names[h->vm_state] : "??", h->resident, h->frames,
			 h->held, h->locked, h->faults, h->page_ins, h->page_outs,
			 f->note ? "   " : "", f->note ? f->note : "");
	}
	font_draw(c, MARGIN, l->status_y, line, DISPLAY_TEXT_COLOUR);
}

void display_compose(struct canvas *c, const struct display_layout *l,
		     const struct guest_screen *screen, const struct display_frame *f)
{
	fill(c, 0, 0, c->w, c->h, DISPLAY_BACKGROUND);
	char title[96];
	if (screen->base)
		snprintf(title, sizeof title, "guest screen: %d x %d, %d bit%s", screen->width,
			 screen->height, screen->depth, screen->depth == 1 ? "" : "s");
	else
		snprintf(title, sizeof title, "guest screen: none");
	font_draw(c, l->screen_x, MARGIN, title, DISPLAY_TEXT_COLOUR);
	draw_screen(c, l, screen);
	draw_map(c, l, f);
	draw_legend(c, l);
	draw_status(c, l, f);
}
