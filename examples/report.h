/* Reporting for the bundled examples: there is no C library in a 68K Mac
 * application built by tools/m68k-mac-build, so each example builds its
 * DebugStr lines (Pascal strings) with these few helpers, and reads the
 * pager's counters through vm68k's Gestalt selectors. */
#ifndef VM68K_EXAMPLES_REPORT_H
#define VM68K_EXAMPLES_REPORT_H

#include "mactraps.h"

/* vm68k's own Gestalt selectors (not Apple's; mixed case as third-party
 * selectors are): the pager's running counters, so a program can measure
 * its own paging. Documented in vm68k(1), GESTALT. */
#define gestaltVM68KPageIns 0x564D7069u	  /* 'VMpi': page-ins from the backing store */
#define gestaltVM68KZeroFills 0x564D7A66u /* 'VMzf': page-ins of never-written pages */
#define gestaltVM68KPageOuts 0x564D706Fu  /* 'VMpo': dirty pages written to the backing store */
#define gestaltVM68KFaults 0x564D666Cu	  /* 'VMfl': every page fault the pager took */

/* A line being built: a Pascal string (length byte, then up to 255 bytes). */
typedef struct {
	unsigned char s[256];
} Line;

static inline void line_start(Line *l)
{
	l->s[0] = 0;
}

static inline void line_text(Line *l, const char *t)
{
	while (*t && l->s[0] < 255)
		l->s[++l->s[0]] = (unsigned char)*t++;
}

static inline void line_num(Line *l, int32_t v)
{
	char d[12];
	int n = 0;
	uint32_t u = v < 0 ? (uint32_t)-v : (uint32_t)v;
	do {
		d[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		d[n++] = '-';
	while (n && l->s[0] < 255)
		l->s[++l->s[0]] = (unsigned char)d[--n];
}

/* "text" then a number: the common shape of a report field. */
static inline void line_field(Line *l, const char *t, int32_t v)
{
	line_text(l, t);
	line_num(l, v);
}

static inline void line_say(Line *l)
{
	DebugStr(l->s);
}

/* A pager counter by Gestalt selector, or -1 when this machine has none
 * (not vm68k, or VM off). */
static inline int32_t vm_counter(OSType selector)
{
	int32_t v;
	return Gestalt(selector, &v) == noErr ? v : -1;
}

/* Page faults that needed a frame: from the backing store or zero-filled. */
static inline int32_t hard_faults(void)
{
	return vm_counter(gestaltVM68KPageIns) + vm_counter(gestaltVM68KZeroFills);
}

#endif
