/* The display, internal to host/: the shared page map (host/pagemap.c), the
 * composer that draws the guest screen, the live page map, its legend and a
 * status line into a pixel buffer (host/compose.c, host/font.c), and the SDL2
 * window or headless screenshot around it (host/display.c). */
#ifndef VM68K_HOST_DISPLAY_H
#define VM68K_HOST_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/options.h"
#include "host/protocol.h"

struct pager;

/* ---- The shared page map (host/pagemap.c) ------------------------------ */

/* Host and child views of one page map (see struct pagemap_header). */
struct pagemap {
	struct pagemap_header *h;
	uint8_t *state;	   /* capacity bytes: enum pagemap_cell */
	uint8_t *touched;  /* capacity bytes: wrapping fault counters */
	uint32_t capacity; /* cells: each process's own copy, never read back from
			    * the shared header (the child could rewrite that) */
	size_t bytes;	   /* the whole mapping */
};

/* Host side, before the fork: a MAP_SHARED anonymous mapping with room for
 * capacity cells, inherited by the child. Returns 0, or -1 (errno). */
int pagemap_create(struct pagemap *pm, uint32_t capacity);
/* Unmaps it (a zeroed pm is allowed). */
void pagemap_destroy(struct pagemap *pm);

/* Child side: remembers where it is in the pager's trace ring. */
struct pagemap_writer {
	struct pagemap pm;
	struct pager *pager;
	uint64_t cursor;	/* next pager trace event to look at */
	uint64_t last_sweep_ns; /* time of the last full refresh */
	uint32_t ram_cells;	/* cells of logical RAM (region 0) */
	uint32_t used;		/* cells listed in regions */
};

/* Child side, setup phase: lists the pager's RAM and read-only regions in
 * the header (as many as fit) and fills every cell once. */
void pagemap_writer_init(struct pagemap_writer *w, const struct pagemap *pm, struct pager *p);
/* Child side, at an instruction boundary: marks the pages the pager's new
 * trace events name (state and touched counter), and refreshes every cell
 * and the counters when force is set or 1/60 s has passed. No system call
 * but the vDSO clock; nothing per fault. */
void pagemap_sync(struct pagemap_writer *w, bool force);

/* ---- The composer (host/compose.c) ------------------------------------- */

/* A 32-bit 0x00RRGGBB pixel buffer. */
struct canvas {
	uint32_t *px;
	int w, h;
	int pitch; /* pixels per row */
};

/* The guest screen: depth 1, 2, 4 or 8 bits per pixel, most significant
 * bits first, drawn through a fixed grey ramp as the Mac's default grey CLUT
 * has it (index 0 is white, the highest index black). */
struct guest_screen {
	const uint8_t *base; /* NULL: no screen (drawn as a grey box) */
	int width, height;
	int rowbytes;
	int depth;
};

/* Colours, 0x00RRGGBB: one per enum pagemap_cell, then the rest. Documented
 * in vm68k(1) (DISPLAY); tests check the pixels against this table. */
extern const uint32_t display_cell_colour[PAGEMAP_CELL_KINDS];
#define DISPLAY_FLASH_COLOUR 0xFFFFFFu /* outline of a page that just faulted */
#define DISPLAY_BACKGROUND 0x202028u   /* window background */
#define DISPLAY_TEXT_COLOUR 0xD8D8D8u
#define DISPLAY_FLASH_FRAMES 6 /* frames a fault keeps its cell flashing */

/* Where everything goes, from the screen size and the cell count. */
#define LAYOUT_MAX_REGIONS PAGEMAP_MAX_REGIONS
struct display_layout {
	int w, h;		 /* the window */
	int screen_x, screen_y;	 /* guest screen */
	int map_x, map_y;	 /* top-left of the first cell */
	int cell;		 /* pitch of a cell in pixels (the coloured part is cell-1) */
	int cols;		 /* cells per row (a power of two) */
	uint32_t pages_per_cell; /* 1 unless logical RAM is too large to show page by page */
	int nregions;
	struct {
		int first_row;		    /* grid row where the region starts */
		uint32_t first_cell, cells; /* in the page map */
	} region[LAYOUT_MAX_REGIONS];
	int legend_x, legend_y;
	int status_y;
};

/* Lays out a window for screen and the (validated) regions of pm. */
void display_layout(struct display_layout *l, const struct guest_screen *screen,
		    const struct pagemap_region *regions, int nregions);
/* Top-left pixel of the coloured square of cell i of region r, in *x, *y.
 * Returns false if there is no such cell. */
bool display_cell_xy(const struct display_layout *l, int r, uint32_t i, int *x, int *y);
/* Top-left of legend entry k (an enum pagemap_cell from NOT_RESIDENT to
 * WATCHED, or PAGEMAP_CELL_KINDS for the flash), a square of legend_swatch px. */
void display_legend_xy(const struct display_layout *l, int k, int *x, int *y);
#define DISPLAY_LEGEND_SWATCH 10

/* What one frame shows of the page map: a validated copy of the header, the
 * cell states, and which cells flash. */
struct display_frame {
	struct pagemap_header hdr; /* regions and nregions checked against capacity */
	const uint8_t *state;	   /* capacity cells */
	const uint8_t *flash;	   /* capacity cells: non-zero = flashing; may be NULL */
	uint32_t capacity;
	const char *note; /* appended to the status line; may be NULL */
};

/* Copies pm's header into f with nregions and the region sizes clamped to
 * what the mapping holds, names NUL-terminated. */
void display_frame_read(struct display_frame *f, const struct pagemap *pm);

/* Draws the whole window into c (which must be l->w x l->h). */
void display_compose(struct canvas *c, const struct display_layout *l,
		     const struct guest_screen *screen, const struct display_frame *f);

/* ---- Text (host/font.c) ------------------------------------------------ */

#define FONT_W 6 /* advance, glyph 5 wide */
#define FONT_H 9 /* line height, glyph 7 tall */
/* Draws text (ASCII; lower case as upper case; other bytes as a box) at x, y
 * in colour. Returns the x after the last glyph. */
int font_draw(struct canvas *c, int x, int y, const char *text, uint32_t colour);

/* ---- The display (host/display.c) -------------------------------------- */

struct display;

/* Host side, before the fork: decides window or headless from cfg and the
 * environment, keeps pm and the screen. Makes no SDL call (SDL starts
 * threads; the guest process must be forked first). Returns NULL with a
 * message in err when there is nothing to show (headless without
 * --screenshot: err empty) or memory is short. */
struct display *display_new(const struct run_config *cfg, const struct pagemap *pm,
			    const struct guest_screen *screen, char *err, size_t errlen);
/* Broker loop, ~30 times a second: notes faulted cells; in a window, opens
 * it on the first call, handles its events and draws a frame. */
void display_tick(void *display);
/* Host side, after the child is gone: writes --screenshot (BMP) of the
 * final frame. Returns 0, or -1 after a one-line message on stderr. */
int display_finish(struct display *d);
/* Closes the window and frees d (NULL allowed). */
void display_free(struct display *d);

/* The period of display_tick, in milliseconds. */
#define DISPLAY_TICK_MS 33

#endif
