/* The debugger's console and run control: where commands come from (the
 * terminal the host let the sandboxed child keep, or the script the host
 * read for it), what the guest does between stops (instruction by
 * instruction while breakpoints, A-trap breaks, trap recording or watch
 * points are set), and the messages of each stop in MacsBug's words. */
#define _GNU_SOURCE
#include "config.h"

#include "toolbox/debugger/debugger.h"
#include "toolbox/tb.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum { MAX_BREAKS = 16, MAX_ATB = 16, ATR_SIZE = 64, CMD_MAX = 512 };

enum resume { RESUME_GO, RESUME_STEP, RESUME_EXIT };

struct dbg_watch {
	bool used;
	gaddr addr;
	uint32_t len;
	char cond[160]; /* "" : break on every hit */
};

struct dbg {
	struct toolbox *tb;
	/* output: a line buffer flushed to the console or the host's log */
	char line[1024];
	size_t linelen;
	/* input: the script (batch) or the console fd */
	const char *script;
	size_t script_pos;
	int in_fd;
	char pending[CMD_MAX]; /* the rest of a 'cmd; cmd' line */
	/* breakpoints */
	gaddr br[MAX_BREAKS];
	unsigned nbr;
	bool temp_set;
	gaddr temp_br;
	uint16_t atb[MAX_ATB];
	unsigned natb;
	bool atb_all;
	bool atr_on;
	struct {
		gaddr pc;
		uint16_t word;
	} atr[ATR_SIZE];
	uint64_t atr_count;
	struct dbg_watch wp[PAGER_MAX_WATCHES];
	unsigned nwp;
	uint64_t steps; /* instructions left before a step stops */
	bool skip_break; /* resuming from a breakpoint: do not stop on it again */
	bool exiting;
};

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

/* ---- input ---- */

/* The next command line: from the pending rest of a line, the script, or
 * the console. Returns false at the end of the commands. */
static bool next_line(struct dbg *d, char *out, size_t len)
{
	if (d->pending[0]) {
		snprintf(out, len, "%s", d->pending);
		d->pending[0] = '\0';
		return true;
	}
	if (d->script) {
		const char *s = d->script + d->script_pos;
		if (*s == '\0')
			return false;
		size_t n = strcspn(s, "\n");
		snprintf(out, len, "%.*s", (int)(n < len - 1 ? n : len - 1), s);
		d->script_pos += n + (s[n] == '\n');
		return true;
	}
	if (d->in_fd < 0)
		return false;
	dbg_printf(d, "> ");
	/* The prompt stays on the input line of a terminal. */
	if (d->tb->cfg.console_prompt)
		d->tb->cfg.console_prompt(d->tb->cfg.ctx, d->line, d->linelen);
	d->linelen = 0;
	size_t n = 0;
	for (;;) {
		char c;
		ssize_t r = read(d->in_fd, &c, 1);
		if (r <= 0)
			return n > 0 ? (out[n] = '\0', true) : false;
		if (c == '\n' || c == '\r')
			break;
		if (n + 1 < len)
			out[n++] = c;
	}
	out[n] = '\0';
	return true;
}

/* ---- stops ---- */

static void show_pc(struct dbg *d)
{
	char text[128];
	gaddr pc = d->tb->cpu.pc;
	dbg_disasm(d, pc, text, sizeof text);
	dbg_printf(d, " %08X    %s\n", pc, text);
}

static void help(struct dbg *d)
{
	dbg_printf(d,
		   " td, r            registers (RM/VM/vM, SR flags: capital S = supervisor)\n"
		   " dm ADDR [N]      display memory (bytes); dw, dl: words, longs\n"
		   " sm ADDR v...     set memory (each value's size: as written, or .b/.w/.l)\n"
		   " il [ADDR [N]]    disassemble\n"
		   " wh ADDR          where: region, heap block, CODE segment + offset\n"
		   " hz, hd, hc       heap zones, heap dump, heap check\n"
		   " sc               stack crawl through A6 links\n"
		   " br ADDR, brc     set / clear breakpoints\n"
		   " atb [TRAP], atc  break on an A-trap (name or number) / clear\n"
		   " atr [on|off]     trap recording; atr alone lists the last traps\n"
		   " wp ADDR [LEN] [if EXPR], wpc [N]  watch points / clear\n"
		   " vmdump [ADDR N]  VM state page by page\n"
		   " g [ADDR], gt ADDR, t [N], s [N], so   go, go till, trace/step, step over\n"
		   " es, q            exit to shell (end the run)\n"
		   " Expressions: hex ($ optional, # decimal), D0-A7 SP PC SR, [addr].b/.w/.l,\n"
		   "   + - * & | == != < >\n");
}

static bool slow(struct dbg *d)
{
	return d->nbr || d->temp_set || d->natb || d->atb_all || d->atr_on || d->nwp ||
	       d->steps;
}

static bool eval_arg(struct dbg *d, const char **s, uint32_t *v)
{
	char err[160];
	while (**s == ' ')
		(*s)++;
	if (!dbg_eval(d, *s, s, v, err, sizeof err)) {
		dbg_printf(d, "Syntax error: %s\n", err);
		return false;
	}
	return true;
}

static bool have_arg(const char *s)
{
	while (*s == ' ')
		s++;
	return *s != '\0';
}

/* A trap by name (with or without the _) or number. */
static bool trap_arg(const char *s, uint16_t *word)
{
	while (*s == ' ' || *s == '_')
		s++;
	char name[64];
	size_t n = strcspn(s, " ");
	snprintf(name, sizeof name, "%.*s", (int)n, s);
	for (unsigned i = 0; i < trap_desc_count; i++)
		if (strcasecmp(trap_descs[i].name, name) == 0) {
			*word = trap_descs[i].word;
			return true;
		}
	char *end;
	unsigned long v = strtoul(name[0] == '$' ? name + 1 : name, &end, 16);
	if (*end || end == name || (v & 0xF000) != 0xA000 || v > 0xFFFF)
		return false;
	*word = (uint16_t)v;
	return true;
}

static bool trap_matches(uint16_t a, uint16_t b)
{
	bool os = !(a & 0x0800);
	if (os != !(b & 0x0800))
		return false;
	return os ? (a & 0xFF) == (b & 0xFF) : (a & 0x3FF) == (b & 0x3FF);
}

static void set_watch(struct dbg *d, gaddr a, uint32_t len, const char *cond)
{
	int i = pager_watch_add(d->tb->pager, a, len);
	if (i < 0) {
		dbg_printf(d, "Cannot watch %08X (%u bytes): error %d%s\n", a, len, i,
			   i == paramErr ? " (only logical RAM can be watched)" : "");
		return;
	}
	d->wp[i].used = true;
	d->wp[i].addr = a;
	d->wp[i].len = len;
	snprintf(d->wp[i].cond, sizeof d->wp[i].cond, "%s", cond ? cond : "");
	d->nwp++;
	dbg_printf(d, "Watch point #%d at %08X (%u bytes)%s%s\n", i, a, len,
		   d->wp[i].cond[0] ? " if " : "", d->wp[i].cond);
}

static void clear_watch(struct dbg *d, int i)
{
	if (!d->wp[i].used)
		return;
	pager_watch_remove(d->tb->pager, i);
	d->wp[i].used = false;
	d->nwp--;
}

static void cmd_sm(struct dbg *d, const char *s)
{
	uint32_t a;
	if (!eval_arg(d, &s, &a))
		return;
	while (have_arg(s)) {
		while (*s == ' ')
			s++;
		/* A value's size: as many bytes as its hex digits need, as MacsBug. */
		const char *start = s;
		uint32_t v;
		if (!eval_arg(d, &s, &v))
			return;
		unsigned size = 4;
		if (s[0] == '.' && strchr("bwl", tolower((unsigned char)s[1])) && s[1]) {
			size = tolower((unsigned char)s[1]) == 'b' ? 1 : tolower((unsigned char)s[1]) == 'w' ? 2 : 4;
			s += 2;
		} else {
			const char *h = start + (*start == '$');
			size_t digits = strspn(h, "0123456789abcdefABCDEF");
			if (digits && (h[digits] == '\0' || h[digits] == ' ' || h[digits] == '\t'))
				size = digits <= 2 ? 1 : digits <= 4 ? 2 : 4;
		}
		uint8_t b[4];
		for (unsigned i = 0; i < size; i++)
			b[i] = (uint8_t)(v >> (8 * (size - 1 - i)));
		if (!dbg_poke(d, a, b, size)) {
			dbg_printf(d, "Cannot set memory at %08X: not in RAM or writable memory\n", a);
			return;
		}
		a += size;
	}
}

/* Runs one command. Returns true if it resumes the guest (*how says how). */
static bool command(struct dbg *d, const char *line, enum resume *how)
{
	while (*line == ' ' || *line == '\t')
		line++;
	char word[16];
	size_t n = strcspn(line, " \t");
	if (n == 0)
		return false;
	snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word - 1 ? n : sizeof word - 1), line);
	for (char *p = word; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	const char *s = line + n;
	struct cpu *c = &d->tb->cpu;
	uint32_t a = 0, v = 0;
	if (!strcmp(word, "td") || !strcmp(word, "r")) {
		dbg_cmd_td(d);
	} else if (!strcmp(word, "dm") || !strcmp(word, "dw") || !strcmp(word, "dl") ||
		   !strcmp(word, "db")) {
		unsigned unit = word[1] == 'w' ? 2 : word[1] == 'l' ? 4 : 1;
		if (!eval_arg(d, &s, &a))
			return false;
		uint32_t len = word[1] == 'm' ? 16 : unit * 4 * 4;
		if (have_arg(s) && !eval_arg(d, &s, &len))
			return false;
		dbg_cmd_dm(d, a, len, unit);
	} else if (!strcmp(word, "sm")) {
		cmd_sm(d, s);
	} else if (!strcmp(word, "il")) {
		a = c->pc;
		uint32_t cnt = 8;
		if (have_arg(s) && !eval_arg(d, &s, &a))
			return false;
		if (have_arg(s) && !eval_arg(d, &s, &cnt))
			return false;
		dbg_cmd_il(d, a, cnt > 200 ? 200 : cnt);
	} else if (!strcmp(word, "wh")) {
		if (!eval_arg(d, &s, &a))
			return false;
		dbg_cmd_wh(d, a);
	} else if (!strcmp(word, "hz")) {
		dbg_cmd_hz(d);
	} else if (!strcmp(word, "hd")) {
		dbg_cmd_hd(d);
	} else if (!strcmp(word, "hc")) {
		dbg_cmd_hc(d);
	} else if (!strcmp(word, "sc") || !strcmp(word, "sc6")) {
		dbg_cmd_sc(d);
	} else if (!strcmp(word, "br")) {
		if (!eval_arg(d, &s, &a))
			return false;
		if (d->nbr == MAX_BREAKS) {
			dbg_printf(d, "Too many breakpoints (%d)\n", MAX_BREAKS);
			return false;
		}
		d->br[d->nbr++] = a;
		dbg_printf(d, "Breakpoint at %08X\n", a);
	} else if (!strcmp(word, "brc")) {
		d->nbr = 0;
		dbg_printf(d, "All breakpoints cleared\n");
	} else if (!strcmp(word, "atb")) {
		if (!have_arg(s)) {
			d->atb_all = true;
			dbg_printf(d, "A-Trap break on every trap\n");
			return false;
		}
		uint16_t t;
		if (!trap_arg(s, &t)) {
			dbg_printf(d, "Unknown trap name or number: %s\n", s);
			return false;
		}
		if (d->natb < MAX_ATB)
			d->atb[d->natb++] = t;
		const char *nm = toolbox_trap_name(t);
		dbg_printf(d, "A-Trap break at %04X (%s)\n", t, nm ? nm : "no name known");
	} else if (!strcmp(word, "atc")) {
		d->natb = 0;
		d->atb_all = false;
		dbg_printf(d, "A-Trap breaks cleared\n");
	} else if (!strcmp(word, "atr")) {
		while (*s == ' ')
			s++;
		if (!strcasecmp(s, "on") || !strcasecmp(s, "off")) {
			d->atr_on = !strcasecmp(s, "on");
			if (d->atr_on)
				d->atr_count = 0;
			dbg_printf(d, "A-Trap recording %s\n", d->atr_on ? "on" : "off");
			return false;
		}
		uint64_t first = d->atr_count > ATR_SIZE ? d->atr_count - ATR_SIZE : 0;
		dbg_printf(d, " Trap history (%llu recorded, last %llu shown)\n",
			   (unsigned long long)d->atr_count,
			   (unsigned long long)(d->atr_count - first));
		for (uint64_t i = first; i < d->atr_count; i++) {
			const char *nm = toolbox_trap_name(d->atr[i % ATR_SIZE].word);
			dbg_printf(d, "  %08X  %04X  _%s\n", d->atr[i % ATR_SIZE].pc,
				   d->atr[i % ATR_SIZE].word, nm ? nm : "?");
		}
	} else if (!strcmp(word, "wp")) {
		if (!eval_arg(d, &s, &a))
			return false;
		uint32_t len = 4;
		while (*s == ' ')
			s++;
		if (*s && strncasecmp(s, "if ", 3) != 0 && !eval_arg(d, &s, &len))
			return false;
		while (*s == ' ')
			s++;
		const char *cond = NULL;
		if (!strncasecmp(s, "if ", 3)) {
			cond = s + 3;
			const char *e;
			char err[160];
			if (!dbg_eval(d, cond, &e, &v, err, sizeof err) || *e) {
				dbg_printf(d, "Syntax error in the condition: %s\n",
					   *e ? "unexpected text" : err);
				return false;
			}
		}
		set_watch(d, a, len, cond);
	} else if (!strcmp(word, "wpc")) {
		if (have_arg(s)) {
			if (!eval_arg(d, &s, &a))
				return false;
			if (a >= PAGER_MAX_WATCHES || !d->wp[a].used) {
				dbg_printf(d, "No watch point #%u\n", a);
				return false;
			}
			clear_watch(d, (int)a);
			dbg_printf(d, "Watch point #%u cleared\n", a);
		} else {
			for (int i = 0; i < PAGER_MAX_WATCHES; i++)
				clear_watch(d, i);
			dbg_printf(d, "All watch points cleared\n");
		}
	} else if (!strcmp(word, "vmdump")) {
		uint32_t pages = 0;
		if (have_arg(s)) {
			if (!eval_arg(d, &s, &a))
				return false;
			pages = 1;
			if (have_arg(s) && !eval_arg(d, &s, &pages))
				return false;
		}
		dbg_cmd_vmdump(d, a, pages);
	} else if (!strcmp(word, "g")) {
		if (have_arg(s)) {
			if (!eval_arg(d, &s, &a))
				return false;
			c->pc = a;
		}
		*how = RESUME_GO;
		return true;
	} else if (!strcmp(word, "gt")) {
		if (!eval_arg(d, &s, &a))
			return false;
		d->temp_set = true;
		d->temp_br = a;
		*how = RESUME_GO;
		return true;
	} else if (!strcmp(word, "t") || !strcmp(word, "s")) {
		uint32_t cnt = 1;
		if (have_arg(s) && !eval_arg(d, &s, &cnt))
			return false;
		d->steps = cnt ? cnt : 1;
		*how = RESUME_STEP;
		return true;
	} else if (!strcmp(word, "so")) {
		/* Step over: a subroutine call or a trap runs to the next instruction. */
		char text[128];
		unsigned len = dbg_disasm(d, c->pc, text, sizeof text);
		uint8_t b[2];
		bool call = !strncmp(text, "JSR", 3) || !strncmp(text, "BSR", 3) ||
			    (dbg_peek(d, c->pc, b, 2) && (b[0] & 0xF0) == 0xA0);
		if (call) {
			d->temp_set = true;
			d->temp_br = c->pc + len;
			*how = RESUME_GO;
		} else {
			d->steps = 1;
			*how = RESUME_STEP;
		}
		return true;
	} else if (!strcmp(word, "es") || !strcmp(word, "q")) {
		*how = RESUME_EXIT;
		return true;
	} else if (!strcmp(word, "help") || !strcmp(word, "?")) {
		help(d);
	} else {
		dbg_printf(d, "Unknown command: %s (help lists them)\n", word);
	}
	return false;
}

/* The console: shows why the guest stopped, then runs commands until one
 * resumes the guest. Returns how it resumes. */
static enum resume console(struct dbg *d, const char *why, bool pc_shown)
{
	dbg_printf(d, "%s\n", why);
	if (!pc_shown)
		show_pc(d);
	char line[CMD_MAX];
	while (next_line(d, line, sizeof line)) {
		/* 'cmd; cmd': run the first, keep the rest for the next read. */
		char *semi = strchr(line, ';');
		if (semi) {
			*semi = '\0';
			snprintf(d->pending, sizeof d->pending, "%s", semi + 1);
		}
		if (d->script)
			dbg_printf(d, "> %s\n", line + strspn(line, " \t"));
		enum resume how;
		if (command(d, line, &how)) {
			if (how == RESUME_EXIT)
				d->exiting = true;
			return how;
		}
	}
	d->exiting = true;
	return RESUME_EXIT;
}

/* Ends the run from the debugger (es, or no more commands). */
static void exit_run(struct dbg *d, int status, const char *why)
{
	struct toolbox *tb = d->tb;
	if (!tb->stop)
		tb_stop(tb, status, "Exited from the debugger at PC %08X (%s)", tb->cpu.pc, why);
}

static void enter(struct dbg *d, const char *why, bool *stop_now)
{
	enum resume how = console(d, why, false);
	if (how == RESUME_EXIT) {
		exit_run(d, 1, why);
		*stop_now = true;
	} else {
		d->skip_break = true;
	}
}

/* ---- run control ---- */

struct dbg *dbg_create(struct toolbox *tb, char *err, size_t errlen)
{
	struct dbg *d = calloc(1, sizeof *d);
	if (d == NULL) {
		snprintf(err, errlen, "out of memory for the debugger");
		return NULL;
	}
	d->tb = tb;
	d->script = tb->cfg.debugger_script;
	d->in_fd = d->script ? -1 : tb->cfg.console_in_fd;
	for (unsigned i = 0; i < tb->cfg.nwatch; i++) {
		const char *w = tb->cfg.watch[i];
		char *end;
		unsigned long a = strtoul(w[0] == '$' ? w + 1 : w, &end, 16);
		unsigned long len = *end == ':' ? strtoul(end + 1, NULL, 16) : 4;
		int k = pager_watch_add(tb->pager, (gaddr)a, (uint32_t)len);
		if (k < 0) {
			snprintf(err, errlen, "--watch %s: cannot watch there (error %d)", w, k);
			free(d);
			return NULL;
		}
		d->wp[k] = (struct dbg_watch){true, (gaddr)a, (uint32_t)len, ""};
		d->nwp++;
	}
	return d;
}

void dbg_destroy(struct dbg *d)
{
	free(d);
}

void dbg_start(struct dbg *d)
{
	if (!d->tb->cfg.debugger_at_start)
		return;
	bool stop = false;
	enter(d, "User break at start (--debugger)", &stop);
}

static bool cond_true(struct dbg *d, const char *cond)
{
	if (!cond[0])
		return true;
	uint32_t v;
	char err[160];
	if (!dbg_eval(d, cond, NULL, &v, err, sizeof err)) {
		dbg_printf(d, "Watch point condition '%s': %s: breaking\n", cond, err);
		return true;
	}
	return v != 0;
}

/* The pager reports up to 4 bytes from the first one that changed; a
 * watch of 4 bytes or less is shown whole: the bytes before the first
 * changed one are as they were. */
static void watch_values(struct dbg *d, struct pager_fault *hit)
{
	uint8_t now[4];
	uint32_t len = hit->watch_len, at = hit->addr - hit->watch_start;
	if (len > 4 || !dbg_peek(d, hit->watch_start, now, len))
		return;
	uint32_t oldv = 0, newv = 0;
	for (uint32_t i = 0; i < len; i++) {
		uint32_t ob = now[i];
		if (i >= at && i - at < hit->value_len)
			ob = hit->old_value >> (8 * (hit->value_len - 1 - (i - at))) & 0xFF;
		oldv = oldv << 8 | ob;
		newv = newv << 8 | now[i];
	}
	hit->old_value = oldv;
	hit->new_value = newv;
	hit->value_len = len;
}

enum cpu_stop dbg_run(struct dbg *d, uint64_t budget)
{
	struct toolbox *tb = d->tb;
	struct cpu *c = &tb->cpu;
	if (!slow(d))
		return cpu_run(c, budget);
	char why[512];
	for (uint64_t n = 0; n < budget && !tb->stop; n++) {
		gaddr pc = c->pc;
		bool stop = false;
		if (!d->skip_break) {
			if (d->temp_set && pc == d->temp_br) {
				d->temp_set = false;
				snprintf(why, sizeof why, "Breakpoint (go till) at %08X", pc);
				enter(d, why, &stop);
			} else {
				for (unsigned i = 0; i < d->nbr && !stop; i++)
					if (d->br[i] == pc) {
						snprintf(why, sizeof why, "Breakpoint at %08X", pc);
						enter(d, why, &stop);
						break;
					}
			}
			uint8_t b[2];
			bool broke = c->pc != pc || stop || d->skip_break;
			if (!broke && (d->natb || d->atb_all || d->atr_on) && dbg_peek(d, pc, b, 2) &&
			    (b[0] & 0xF0) == 0xA0) {
				uint16_t word = (uint16_t)(b[0] << 8 | b[1]);
				const char *nm = toolbox_trap_name(word);
				bool hit = d->atb_all;
				for (unsigned i = 0; i < d->natb; i++)
					hit |= trap_matches(d->atb[i], word);
				/* Mixed Mode's $AAFE and the ROM's stubs are not traps the
				 * application called. */
				if (word == _MixedModeMagic || (pc >= tb->rom && pc < tb->rom + ROM_SIZE))
					hit = false;
				else if (d->atr_on) {
					d->atr[d->atr_count % ATR_SIZE].pc = pc;
					d->atr[d->atr_count % ATR_SIZE].word = word;
					d->atr_count++;
				}
				if (hit) {
					snprintf(why, sizeof why, "A-Trap break at %08X: %04X (%s)", pc,
						 word, nm ? nm : "no name known");
					enter(d, why, &stop);
				}
			}
		}
		d->skip_break = false;
		if (stop || tb->stop)
			return CPU_STOP_REQUESTED;
		if (c->pc != pc) /* the console moved the PC: look at the new one first */
			continue;
		enum cpu_stop r = cpu_step(c);
		/* A step counts from the console's return: an instruction that
		 * ended in the console (a watch hit) is not one of them. */
		bool entered = false;
		if (*pager_pending(tb->pager)) {
			struct pager_fault hit;
			if (pager_poll(tb->pager, &hit) && hit.watch >= 0 &&
			    hit.watch < PAGER_MAX_WATCHES && cond_true(d, d->wp[hit.watch].cond)) {
				watch_values(d, &hit);
				entered = true;
				snprintf(why, sizeof why,
					 "Watch point #%d hit: PC %08X wrote %08X (watching %08X, %u "
					 "bytes)%s%s\n old value %0*X, new value %0*X",
					 hit.watch, pc, hit.addr, hit.watch_start, hit.watch_len,
					 d->wp[hit.watch].cond[0] ? " if " : "", d->wp[hit.watch].cond,
					 (int)hit.value_len * 2, hit.old_value, (int)hit.value_len * 2,
					 hit.new_value);
				enter(d, why, &stop);
				if (stop)
					return CPU_STOP_REQUESTED;
			}
		}
		if (d->steps && !entered && !tb->stop && --d->steps == 0) {
			snprintf(why, sizeof why, "Step (from %08X)", pc);
			enter(d, why, &stop);
			if (stop)
				return CPU_STOP_REQUESTED;
		}
		if (r != CPU_STOP_COUNT)
			return r;
		if (!slow(d))
			return CPU_STOP_COUNT;
	}
	return CPU_STOP_COUNT;
}

/* ---- the messages of a stop by exception ---- */

static unsigned frame_size(struct toolbox *tb, gaddr frame, unsigned vec)
{
	if (tb->cpu.model == CPU_68000)
		return vec == 2 || vec == 3 ? 14 : 6;
	switch (rd16(tb, frame + 6) >> 12) {
	case 0x0:
	case 0x1:
		return 8;
	case 0x2:
		return 12;
	case 0x7:
		return 60;
	case 0x8:
		return 58;
	case 0x9:
		return 20;
	case 0xA:
		return 32;
	case 0xB:
		return 92;
	default:
		return 8;
	}
}

/* Fetch, write, and the SR when the fault happened, from the frame. */
static void decode_bus_frame(struct toolbox *tb, gaddr f, bool *fetch, bool *write, uint16_t *sr)
{
	if (tb->cpu.model == CPU_68000) {
		uint16_t st = (uint16_t)rd16(tb, f);
		*fetch = !(st & 0x08);
		*write = !(st & 0x10);
		*sr = (uint16_t)rd16(tb, f + 8);
		return;
	}
	*sr = (uint16_t)rd16(tb, f);
	unsigned fmt = rd16(tb, f + 6) >> 12;
	uint16_t ssw;
	switch (fmt) {
	case 0x8:
		ssw = (uint16_t)rd16(tb, f + 8);
		*fetch = ssw & 0x2000;
		*write = !(ssw & 0x0100) && !*fetch;
		break;
	case 0xA:
	case 0xB:
		ssw = (uint16_t)rd16(tb, f + 0x0A);
		*fetch = (ssw & 0x5000) != 0 && !(ssw & 0x0100);
		*write = !(ssw & 0x40) && !*fetch;
		break;
	case 0x7:
		ssw = (uint16_t)rd16(tb, f + 0x0C);
		*fetch = (ssw & 3) == 2;
		*write = !(ssw & 0x100) && !*fetch;
		break;
	default:
		*fetch = *write = false;
	}
}

/* What a faulting write stored, when the instruction says: its size from
 * the mnemonic, its data when the source is a register or an immediate
 * (LINK and the pushes of a return address store a long). */
static void write_detail(struct dbg *d, gaddr pc, char *out, size_t len)
{
	struct cpu *c = &d->tb->cpu;
	char text[128];
	unsigned ilen = dbg_disasm(d, pc, text, sizeof text);
	const char *size = "long word";
	char *dot = strchr(text, '.');
	char *sp = strpbrk(text, " \t");
	if (dot && (!sp || dot < sp))
		size = dot[1] == 'B' ? "byte" : dot[1] == 'W' ? "word" : "long word";
	bool known = false;
	uint32_t data = 0;
	const char *src = sp ? sp + strspn(sp, " \t") : "";
	if (!strncmp(text, "LINK", 4) && src[0] == 'A') {
		data = c->a[src[1] - '0'];
		known = true;
	} else if (!strncmp(text, "JSR", 3) || !strncmp(text, "BSR", 3)) {
		data = pc + ilen;
		known = true;
	} else if (!strncmp(text, "MOVE", 4) || !strncmp(text, "CLR", 3)) {
		if (!strncmp(text, "CLR", 3)) {
			known = true;
		} else if ((src[0] == 'D' || src[0] == 'A') && src[1] >= '0' && src[1] <= '7' &&
			   src[2] == ',') {
			data = src[0] == 'D' ? c->d[src[1] - '0'] : c->a[src[1] - '0'];
			known = true;
		} else if (src[0] == '#') {
			char err[80];
			known = dbg_eval(d, src + 1, NULL, &data, err, sizeof err) ||
				sscanf(src + 1, "$%x", &data) == 1;
		}
		if (known && strcmp(size, "byte") == 0)
			data &= 0xFF;
		else if (known && strcmp(size, "word") == 0)
			data &= 0xFFFF;
	}
	if (known)
		snprintf(out, len, "while writing %s (data = %0*X)", size,
			 !strcmp(size, "byte") ? 2 : !strcmp(size, "word") ? 4 : 8, data);
	else
		snprintf(out, len, "while writing %s", size);
}

static void bus_error_message(struct dbg *d, gaddr frame, unsigned vec, char *why, size_t len)
{
	struct toolbox *tb = d->tb;
	gaddr pc = tb->cpu.pc, addr = tb->fault_addr;
	bool fetch, write;
	uint16_t sr;
	decode_bus_frame(tb, frame, &fetch, &write, &sr);
	char insn[128];
	dbg_disasm(d, pc, insn, sizeof insn);
	int n;
	if (tb->fault_read_only) {
		int r = pager_region_at(tb->pager, addr);
		struct pager_region_info ri = {0};
		if (r >= 0)
			pager_region_info(tb->pager, r, &ri);
		char where[256];
		dbg_where(d, addr, where, sizeof where);
		n = snprintf(why, len,
			     "Read-only memory exception at %08X %s+%05X\n writing at PC %08X\n "
			     "%08X    %s\n %s",
			     addr, ri.name, addr - ri.base, pc, pc, insn, where);
	} else if (fetch) {
		n = snprintf(why, len, "Bus Error accessing %08X at PC %08X\nUnable to access that address",
			     addr, pc);
	} else if (write) {
		char wd[96];
		write_detail(d, pc, wd, sizeof wd);
		n = snprintf(why, len, "Bus Error at %08X\n%s to %08X\n %08X    %s", pc, wd, addr,
			     pc, insn);
	} else {
		n = snprintf(why, len, "Bus Error accessing %08X at PC %08X\n %08X    %s", addr, pc,
			     pc, insn);
	}
	if (n < 0 || (size_t)n >= len)
		return;
	if (tb->fault_fatal) {
		n += snprintf(why + n, len - (size_t)n,
			      "\nFatal page fault: %s (paging unsafe: VM state vM, interrupt level "
			      "%u, %s mode)",
			      tb->fault_reason[0] ? tb->fault_reason : "page fault not serviced",
			      (sr >> 8) & 7, sr & SR_S ? "supervisor" : "user");
	} else if (!tb->fault_read_only && pager_region_at(tb->pager, addr) < 0) {
		n += snprintf(why + n, len - (size_t)n, "\n(%08X is not in RAM or ROM)", addr);
	}
	if (n > 0 && (size_t)n < len)
		snprintf(why + n, len - (size_t)n,
			 "\nBus error exception frame (format $%X, %04X) at SP %08X; saved SR %04X",
			 tb->cpu.model == CPU_68000 ? 0 : rd16(tb, frame + 6) >> 12,
			 tb->cpu.model == CPU_68000 ? 0 : rd16(tb, frame + 6), frame, sr);
	(void)vec;
}

bool dbg_after_stop(struct dbg *d)
{
	struct toolbox *tb = d->tb;
	if (d->exiting || tb->status == 0)
		return false;
	/* The instruction limit is the user's own stop, not the guest's. */
	if (strstr(tb->reason, "--max-instructions") != NULL)
		return false;
	char why[1024];
	unsigned vec = tb->exc_vector;
	gaddr frame = tb->exc_frame;
	if (vec == 2)
		bus_error_message(d, frame, vec, why, sizeof why);
	else
		snprintf(why, sizeof why, "%s", tb->reason);
	int status = tb->status;
	char reason[sizeof tb->reason];
	snprintf(reason, sizeof reason, "%s", tb->reason);
	/* Show the stop with the machine running, as the console expects. */
	tb->stop = false;
	enum resume how = console(d, why, vec == 2);
	if (how == RESUME_EXIT) {
		tb->stop = true;
		tb->status = status;
		snprintf(tb->reason, sizeof tb->reason, "%s", reason);
		return false;
	}
	/* Resuming after an exception: take its frame off the stack, as an
	 * RTE would, so the faulting instruction runs again. */
	if (vec != 0) {
		struct cpu *c = &tb->cpu;
		uint16_t sr = (uint16_t)rd16(tb, frame + (c->model == CPU_68000 && vec <= 3 ? 8 : 0));
		gaddr pc = c->pc;
		c->a[7] = frame + frame_size(tb, frame, vec);
		cpu_set_sr(c, sr);
		c->pc = pc;
	}
	tb->exc_vector = 0;
	tb->status = 0;
	tb->reason[0] = '\0';
	d->skip_break = true;
	return true;
}
