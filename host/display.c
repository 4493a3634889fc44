/* The display window: the composed frame (host/compose.c) shown in an SDL2
 * window, refreshed from the broker loop, or kept headless (no display, or
 * --headless) and written to --screenshot at exit. SDL starts only in the
 * host, after the guest process is forked: its threads must not be what the
 * child's death signal is tied to (host/spawn.c). */
#include "config.h"

#include "host/display.h"

#include <SDL.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct display {
	bool want_window;
	bool window_failed; /* SDL could not open one: carry on headless */
	bool window_closed; /* the user closed it: carry on headless */
	bool sdl_started;
	bool keep;  /* --keep-window */
	FILE *shot; /* --screenshot, opened before the run so a bad path fails early */
	const char *shot_path;
	struct pagemap pm;
	struct guest_screen screen;
	uint8_t *last_touched; /* the touched counters as of the last tick */
	uint8_t *flash;	       /* frames each cell has left to flash */
	struct canvas canvas;
	struct display_layout layout;
	SDL_Window *win;
	SDL_Renderer *ren;
	SDL_Texture *tex;
};

static bool have_display(void)
{
	const char *x = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");
	return (x != NULL && *x) || (w != NULL && *w);
}

struct display *display_new(const struct run_config *cfg, const struct pagemap *pm,
			    const struct guest_screen *screen, char *err, size_t errlen)
{
	err[0] = '\0';
	bool window = !cfg->headless && have_display();
	if (!window && cfg->screenshot_path == NULL)
		return NULL;
	struct display *d = calloc(1, sizeof *d);
	if (d == NULL) {
		snprintf(err, errlen, "display: out of memory");
		return NULL;
	}
	d->want_window = window;
	d->keep = cfg->keep_window;
	d->pm = *pm;
	d->screen = *screen;
	d->shot_path = cfg->screenshot_path;
	uint32_t cap = pm->capacity;
	d->last_touched = calloc(cap ? cap : 1, 1);
	d->flash = calloc(cap ? cap : 1, 1);
	display_layout(&d->layout, screen, NULL, 0);
	d->canvas.w = d->canvas.pitch = d->layout.w;
	d->canvas.h = d->layout.h;
	d->canvas.px = calloc((size_t)d->layout.w * (size_t)d->layout.h, sizeof(uint32_t));
	if (d->last_touched == NULL || d->flash == NULL || d->canvas.px == NULL) {
		snprintf(err, errlen, "display: out of memory");
		display_free(d);
		return NULL;
	}
	if (d->shot_path != NULL) {
		d->shot = fopen(d->shot_path, "wbe");
		if (d->shot == NULL) {
			snprintf(err, errlen, "--screenshot: cannot create %s: %s", d->shot_path,
				 strerror(errno));
			display_free(d);
			return NULL;
		}
	}
	return d;
}

/* Cells whose fault counter moved since the last look start flashing; the
 * others fade (last: they stop at once, so the final frame shows only the
 * faults of its own interval). */
static void note_faults(struct display *d, bool last)
{
	uint32_t cap = d->pm.capacity;
	const volatile uint8_t *touched = d->pm.touched;
	for (uint32_t i = 0; i < cap; i++) {
		uint8_t t = touched[i];
		if (t != d->last_touched[i]) {
			d->last_touched[i] = t;
			d->flash[i] = DISPLAY_FLASH_FRAMES;
		} else if (d->flash[i] > 0) {
			d->flash[i] = last ? 0 : d->flash[i] - 1;
		}
	}
}

static void compose(struct display *d, const char *note)
{
	struct display_frame f;
	display_frame_read(&f, &d->pm);
	f.flash = d->flash;
	f.note = note;
	/* Laid out afresh each frame (it costs next to nothing): the region
	 * table appears once the child has set up, and is the child's to write. */
	display_layout(&d->layout, &d->screen, f.hdr.regions, (int)f.hdr.nregions);
	display_compose(&d->canvas, &d->layout, &d->screen, &f);
}

static void close_window(struct display *d)
{
	if (d->tex)
		SDL_DestroyTexture(d->tex);
	if (d->ren)
		SDL_DestroyRenderer(d->ren);
	if (d->win)
		SDL_DestroyWindow(d->win);
	d->tex = NULL;
	d->ren = NULL;
	d->win = NULL;
}

static void open_window(struct display *d)
{
	/* Ctrl-C and SIGTERM keep their usual meaning for vm68k. */
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "vm68k: no window (SDL: %s); running headless\n", SDL_GetError());
		d->window_failed = true;
		return;
	}
	d->sdl_started = true;
	/* With no reachable display SDL falls back to drawing off screen: say
	 * so, unless the user chose that driver (SDL_VIDEODRIVER). */
	const char *driver = SDL_GetCurrentVideoDriver();
	if (getenv("SDL_VIDEODRIVER") == NULL && driver != NULL &&
	    (strcmp(driver, "offscreen") == 0 || strcmp(driver, "dummy") == 0)) {
		fprintf(stderr, "vm68k: no window (SDL reached no display); running headless\n");
		d->window_failed = true;
		return;
	}
	d->win = SDL_CreateWindow("vm68k", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
				  d->layout.w, d->layout.h, SDL_WINDOW_RESIZABLE);
	if (d->win != NULL)
		d->ren = SDL_CreateRenderer(d->win, -1, 0);
	if (d->ren != NULL) {
		/* Resizing scales the frame and keeps its proportions. */
		SDL_RenderSetLogicalSize(d->ren, d->layout.w, d->layout.h);
		d->tex = SDL_CreateTexture(d->ren, SDL_PIXELFORMAT_RGB888,
					   SDL_TEXTUREACCESS_STREAMING, d->layout.w, d->layout.h);
	}
	if (d->tex == NULL) {
		fprintf(stderr, "vm68k: no window (SDL: %s); running headless\n", SDL_GetError());
		close_window(d);
		d->window_failed = true;
	}
}

static void present(struct display *d)
{
	SDL_UpdateTexture(d->tex, NULL, d->canvas.px, d->canvas.pitch * (int)sizeof(uint32_t));
	SDL_RenderClear(d->ren);
	SDL_RenderCopy(d->ren, d->tex, NULL, NULL);
	SDL_RenderPresent(d->ren);
}

static bool window_live(struct display *d)
{
	if (!d->want_window || d->window_failed || d->window_closed)
		return false;
	if (!d->sdl_started)
		open_window(d);
	if (d->win == NULL)
		return false;
	SDL_Event ev;
	while (SDL_PollEvent(&ev))
		if (ev.type == SDL_QUIT ||
		    (ev.type == SDL_WINDOWEVENT && ev.window.event == SDL_WINDOWEVENT_CLOSE)) {
			/* Closing the window does not stop the guest (Ctrl-C does). */
			close_window(d);
			d->window_closed = true;
			return false;
		}
	return true;
}

void display_tick(void *display)
{
	struct display *d = display;
	note_faults(d, false);
	if (window_live(d)) {
		compose(d, NULL);
		present(d);
	}
}

/* --keep-window: the last frame stays up until the user closes it. */
static void linger(struct display *d)
{
	fprintf(stderr, "vm68k: the guest process has ended; close the window to quit\n");
	for (;;) {
		SDL_Event ev;
		if (!SDL_WaitEventTimeout(&ev, 250))
			continue;
		if (ev.type == SDL_QUIT ||
		    (ev.type == SDL_WINDOWEVENT && ev.window.event == SDL_WINDOWEVENT_CLOSE))
			return;
		if (ev.type == SDL_WINDOWEVENT)
			present(d); /* exposed or resized */
	}
}

static int save_screenshot(struct display *d)
{
	if (d->shot == NULL)
		return 0;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormatFrom(
	    d->canvas.px, d->canvas.w, d->canvas.h, 32, d->canvas.pitch * (int)sizeof(uint32_t),
	    SDL_PIXELFORMAT_RGB888);
	SDL_RWops *rw = s ? SDL_RWFromFP(d->shot, SDL_TRUE) : NULL;
	int rc = -1;
	if (rw != NULL) {
		d->shot = NULL; /* SDL closes it */
		rc = SDL_SaveBMP_RW(s, rw, 1);
	} else if (s != NULL) {
		/* An SDL without stdio streams: let it open the file by name. */
		fclose(d->shot);
		d->shot = NULL;
		rc = SDL_SaveBMP(s, d->shot_path);
	}
	if (rc != 0)
		fprintf(stderr, "vm68k: --screenshot: cannot write %s: %s\n", d->shot_path,
			SDL_GetError());
	SDL_FreeSurface(s);
	return rc == 0 ? 0 : -1;
}

int display_finish(struct display *d)
{
	note_faults(d, true);
	compose(d, "guest process ended");
	if (window_live(d))
		present(d);
	int rc = save_screenshot(d);
	if (d->keep && window_live(d))
		linger(d);
	return rc;
}

void display_free(struct display *d)
{
	if (d == NULL)
		return;
	close_window(d);
	if (d->sdl_started)
		SDL_Quit();
	if (d->shot != NULL)
		fclose(d->shot);
	free(d->last_touched);
	free(d->flash);
	free(d->canvas.px);
	free(d);
}
