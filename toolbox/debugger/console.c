/* The debugger's console: where commands come from (the terminal the host
 * let the sandboxed child keep, or the script the host read for it), the
 * commands themselves, and the loop that runs them at a stop. */
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
	dbg_printf(d, " td, r            registers (RM/VM/vM, SR flags: capital S = supervisor)\n"
		      " dm ADDR [N]      display memory (bytes); dw, dl: words, longs\n"
		      " sm ADDR v...     set memory (each value's size: as written, or .b/.w/.l)\n"
		      " il [ADDR [N]]    disassemble\n"
		      " wh ADDR          where: region, heap block (resource), CODE segment + offset\n"
		      " hz, hd, hc       heap zones, heap dump, heap check\n"
		      " sc               stack crawl through A6 links\n"
		      " br ADDR, brc     set / clear breakpoints\n"
		      " atb [TRAP], atc  break on an A-trap (name or number) / clear\n"
		      " atr [on|off]     trap recording; atr alone lists the last traps\n"
		      " wp ADDR [LEN] [if EXPR], wpc [N]  watch points / clear\n"
		      " vmdump [ADDR N]  VM state page by page\n"
		      " userfns          the deferred user function table\n"
		      " g [ADDR], gt ADDR, t [N], s [N], so   go, go till, trace/step, step over\n"
		      " es, q            exit to shell (end the run)\n"
		      " Expressions: hex ($ optional, # decimal), D0-A7 SP PC SR, [addr].b/.w/.l,\n"
		      "   + - * & | == != < >\n");
}

bool dbg_slow(struct dbg *d)
{
	return d->nbr || d->temp_set || d->natb || d->atb_all || d->atr_on || d->nwp || d->steps;
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

bool dbg_trap_matches(uint16_t a, uint16_t b)
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
			size = tolower((unsigned char)s[1]) == 'b'   ? 1
			       : tolower((unsigned char)s[1]) == 'w' ? 2
								     : 4;
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
			dbg_printf(d, "Cannot set memory at %08X: not in RAM or writable memory\n",
				   a);
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
	} else if (!strcmp(word, "userfns")) {
		char list[8192];
		size_t n = vmint_userfns(d->tb, list, sizeof list);
		dbg_printf(d, "%s%s", list, n >= sizeof list ? " ...\n" : "");
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
enum resume dbg_console(struct dbg *d, const char *why, bool pc_shown)
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
		/* At the terminal, Return alone repeats a trace or step, as in
		 * MacsBug. */
		if (!d->script && line[strspn(line, " \t")] == '\0')
			snprintf(line, sizeof line, "%s", d->last);
		const char *w = line + strspn(line, " \t");
		d->last[0] = '\0';
		if ((w[0] == 't' || w[0] == 's') &&
		    (w[1] == '\0' || w[1] == ' ' || (w[1] == 'o' && (w[2] == '\0' || w[2] == ' '))))
			snprintf(d->last, sizeof d->last, "%s", w);
		enum resume how;
		if (command(d, line, &how)) {
			if (how == RESUME_EXIT)
				d->exiting = true;
			/* A Control-C typed at the prompt is not a break later. */
			d->user_break = 0;
			d->tb->cpu.stop_request = 0;
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
		tb_stop(tb, status, "Exited from the debugger at PC %08X (%.*s)", tb->cpu.pc,
			(int)strcspn(why, "\n"), why);
}

void dbg_enter(struct dbg *d, const char *why, bool *stop_now)
{
	enum resume how = dbg_console(d, why, false);
	if (how == RESUME_EXIT) {
		exit_run(d, 1, why);
		*stop_now = true;
	} else {
		d->skip_break = true;
	}
}
