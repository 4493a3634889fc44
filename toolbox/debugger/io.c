/* The debugger's output (lines to the console or the host's log), guest
 * memory read and written without faulting or paging, and the
 * disassembler with trap names. */
#define _GNU_SOURCE
#include "config.h"

#include "toolbox/debugger/internal.h"
#include "toolbox/tb.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct toolbox *dbg_toolbox(struct dbg *d)
{
	return d->tb;
}

/* ---- output ---- */

static void flush_line(struct dbg *d)
{
	d->line[d->linelen] = '\0';
	if (d->tb->cfg.console_out)
		d->tb->cfg.console_out(d->tb->cfg.ctx, d->line);
	else if (d->tb->cfg.log)
		d->tb->cfg.log(d->tb->cfg.ctx, d->line);
	d->linelen = 0;
}

void dbg_printf(struct dbg *d, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	for (const char *p = buf; *p; p++) {
		if (*p == '\n') {
			flush_line(d);
		} else if (d->linelen + 1 < sizeof d->line) {
			d->line[d->linelen++] = *p;
		}
	}
}

/* ---- guest memory without faulting ---- */

static bool region_span(struct dbg *d, gaddr a, uint32_t len, int *region)
{
	struct pager *p = d->tb->pager;
	int r = pager_region_at(p, a);
	if (r < 0 || (len > 1 && pager_region_at(p, a + len - 1) != r))
		return false;
	*region = r;
	return true;
}

bool dbg_peek(struct dbg *d, gaddr a, void *buf, uint32_t len)
{
	int r;
	if (!region_span(d, a, len, &r))
		return false;
	if (r == 0)
		return pager_peek(d->tb->pager, a, buf, len) == 0;
	/* ROM, screen and file-mapped regions are always mapped readable. */
	uint8_t *out = buf;
	for (uint32_t i = 0; i < len; i++)
		out[i] = (uint8_t)rd8(d->tb, a + i);
	return true;
}

bool dbg_poke(struct dbg *d, gaddr a, const void *buf, uint32_t len)
{
	int r;
	if (!region_span(d, a, len, &r))
		return false;
	if (r == 0)
		return pager_poke(d->tb->pager, a, buf, len) == 0;
	struct pager_region_info ri;
	pager_region_info(d->tb->pager, r, &ri);
	if (ri.read_only)
		return false;
	const uint8_t *in = buf;
	for (uint32_t i = 0; i < len; i++)
		wr8(d->tb, a + i, in[i]);
	return true;
}

unsigned dbg_disasm(struct dbg *d, gaddr pc, char *buf, size_t len)
{
	uint8_t b[22];
	unsigned n = 0;
	while (n < sizeof b && dbg_peek(d, pc + n, b + n, 2))
		n += 2;
	uint16_t w[11];
	for (unsigned i = 0; i < n / 2; i++)
		w[i] = (uint16_t)(b[2 * i] << 8 | b[2 * i + 1]);
	unsigned words = n ? cpu_disasm(d->tb->cpu.model, pc, w, n / 2, buf, len) : 0;
	if (words == 0) {
		snprintf(buf, len, "????");
		return 2;
	}
	/* A-line words: the trap's name from the trap table, as MacsBug
	 * shows them (with the word, since flag bits matter: _NewPtr,Clear). */
	if ((w[0] & 0xF000) == 0xA000) {
		const char *name = toolbox_trap_name(w[0]);
		if (name)
			snprintf(buf, len, "_%-20s ; %04X", name, w[0]);
	}
	return words * 2;
}
