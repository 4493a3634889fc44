/* Reads a `vm68k run --screenshot` BMP and reports what its page map shows:
 * the number of cells of each colour (the centre pixel of each cell, placed
 * by the display's own layout for the given page counts), whether the legend
 * shows the documented palette, and one pixel of the guest screen.
 *   screenshot_check FILE RAM_PAGES ROM_PAGES SCREEN_X SCREEN_Y
 * Prints key=value lines for tests/display_screenshot_test.sh; exits 1 if the
 * image cannot be read or is not the size the layout says. */
#include "config.h"

#include "host/display.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const names[PAGEMAP_CELL_KINDS] = {
    "unused", "not-resident", "clean", "dirty", "held", "locked", "read-only", "watched",
};

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr,
			"usage: screenshot_check FILE RAM_PAGES ROM_PAGES SCREEN_X SCREEN_Y\n");
		return 2;
	}
	SDL_Surface *raw = SDL_LoadBMP(argv[1]);
	if (raw == NULL) {
		fprintf(stderr, "screenshot_check: %s: %s\n", argv[1], SDL_GetError());
		return 1;
	}
	SDL_Surface *img = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGB888, 0);
	SDL_FreeSurface(raw);
	if (img == NULL)
		return 1;
	struct pagemap_region regions[2] = {
	    {"RAM", 0, (uint32_t)strtoul(argv[2], NULL, 0)},
	    {"ROM", 0x40800000, (uint32_t)strtoul(argv[3], NULL, 0)},
	};
	static const uint8_t screen_bytes[1];
	struct guest_screen screen = {screen_bytes, 640, 480, 640, 8};
	struct display_layout l;
	display_layout(&l, &screen, regions, 2);
	if (img->w != l.w || img->h != l.h) {
		fprintf(stderr, "screenshot_check: image is %dx%d, the layout %dx%d\n", img->w,
			img->h, l.w, l.h);
		return 1;
	}
	const uint32_t *px = img->pixels;
	int pitch = img->pitch / 4;
#define AT(x, y) (px[(y)*pitch + (x)] & 0xFFFFFFu)
	for (int r = 0; r < 2; r++) {
		unsigned count[PAGEMAP_CELL_KINDS + 1] = {0};
		for (uint32_t i = 0; i < regions[r].cells; i++) {
			int x, y;
			display_cell_xy(&l, r, i, &x, &y);
			uint32_t c = AT(x + l.cell / 2, y + l.cell / 2);
			int k = 0;
			while (k < PAGEMAP_CELL_KINDS && display_cell_colour[k] != c)
				k++;
			count[k]++;
		}
		printf("%s:", regions[r].name);
		for (int k = 0; k <= PAGEMAP_CELL_KINDS; k++)
			printf(" %s=%u", k < PAGEMAP_CELL_KINDS ? names[k] : "other", count[k]);
		printf("\n");
	}
	bool legend = true;
	for (int k = PAGEMAP_NOT_RESIDENT; k <= PAGEMAP_CELL_KINDS; k++) {
		int x, y;
		display_legend_xy(&l, k, &x, &y);
		uint32_t want =
		    k == PAGEMAP_CELL_KINDS ? DISPLAY_FLASH_COLOUR : display_cell_colour[k];
		legend &= AT(x, y + DISPLAY_LEGEND_SWATCH / 2) == want; /* left edge */
	}
	printf("legend=%s\n", legend ? "ok" : "wrong");
	int sx = atoi(argv[4]), sy = atoi(argv[5]);
	if (sx >= 0 && sy >= 0 && sx < 640 && sy < 480)
		printf("screen=%06X\n", AT(l.screen_x + sx, l.screen_y + sy));
	SDL_FreeSurface(img);
	return 0;
}
