/* The debugger's run control: what the guest does between stops
 * (instruction by instruction while breakpoints, A-trap breaks, trap
 * recording, watch points or stepping need it), the stops that enter the
 * console, and resuming after an exception. */
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

/* ---- run control ---- */

/* Control-C at the console is MacsBug's interrupt switch: the guest stops
 * at the next instruction boundary and the console takes over. The
 * handler only sets flags (async-signal-safe). */
static struct dbg *volatile break_target;

static void on_interrupt(int sig)
{
	(void)sig;
	struct dbg *d = break_target;
	if (d != NULL) {
		d->user_break = 1;
		cpu_request_stop(&d->tb->cpu);
	}
}

/* After cpu_run or cpu_step returned: a Control-C enters the console. */
static bool interrupted(struct dbg *d, enum cpu_stop r, bool *stop)
{
	if (r != CPU_STOP_REQUESTED || !d->user_break)
		return false;
	d->user_break = 0;
	char why[64];
	snprintf(why, sizeof why, "User break at %08X (interrupt)", d->tb->cpu.pc);
	dbg_printf(d, "\n"); /* past the terminal's echo of ^C */
	dbg_enter(d, why, stop);
	return true;
}

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
	if (d->in_fd >= 0) {
		/* In the setup phase: the filter allows rt_sigaction for SIGSEGV
		 * and SIGBUS only once it is loaded. */
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_interrupt;
		sa.sa_flags = SA_RESTART;
		sigemptyset(&sa.sa_mask);
		break_target = d;
		sigaction(SIGINT, &sa, NULL);
	}
	for (unsigned i = 0; i < tb->cfg.nwatch; i++) {
		const char *w = tb->cfg.watch[i];
		char *end;
		unsigned long a = strtoul(w[0] == '$' ? w + 1 : w, &end, 16);
		unsigned long len = *end == ':' ? strtoul(end + 1, NULL, 16) : 4;
		int k = pager_watch_add(tb->pager, (gaddr)a, (uint32_t)len);
		if (k < 0) {
			snprintf(err, errlen, "--watch %s: cannot watch there: %s (%d)", w,
				 k == paramErr ? "paramErr, only logical RAM can be watched"
				 : k == notEnoughMemoryErr
				     ? "notEnoughMemoryErr, no free watch point or frame"
				     : "error",
				 k);
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
	if (d != NULL && break_target == d)
		break_target = NULL;
	free(d);
}

void dbg_start(struct dbg *d)
{
	if (!d->tb->cfg.debugger_at_start)
		return;
	bool stop = false;
	dbg_enter(d, "User break at start (--debugger)", &stop);
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
	if (!dbg_slow(d)) {
		enum cpu_stop r = cpu_run(c, budget);
		bool stop = false;
		return interrupted(d, r, &stop) ? CPU_STOP_REQUESTED : r;
	}
	char why[512];
	for (uint64_t n = 0; n < budget && !tb->stop; n++) {
		gaddr pc = c->pc;
		bool stop = false;
		if (!d->skip_break) {
			if (d->temp_set && pc == d->temp_br) {
				d->temp_set = false;
				snprintf(why, sizeof why, "Breakpoint (go till) at %08X", pc);
				dbg_enter(d, why, &stop);
			} else {
				for (unsigned i = 0; i < d->nbr && !stop; i++)
					if (d->br[i] == pc) {
						snprintf(why, sizeof why, "Breakpoint at %08X", pc);
						dbg_enter(d, why, &stop);
						break;
					}
			}
			uint8_t b[2];
			bool broke = c->pc != pc || stop || d->skip_break;
			if (!broke && (d->natb || d->atb_all || d->atr_on) &&
			    dbg_peek(d, pc, b, 2) && (b[0] & 0xF0) == 0xA0) {
				uint16_t word = (uint16_t)(b[0] << 8 | b[1]);
				const char *nm = toolbox_trap_name(word);
				bool hit = d->atb_all;
				for (unsigned i = 0; i < d->natb; i++)
					hit |= dbg_trap_matches(d->atb[i], word);
				/* Mixed Mode's $AAFE and the ROM's stubs are not traps the
				 * application called. */
				if (word == _MixedModeMagic ||
				    (pc >= tb->rom && pc < tb->rom + ROM_SIZE))
					hit = false;
				else if (d->atr_on) {
					d->atr[d->atr_count % ATR_SIZE].pc = pc;
					d->atr[d->atr_count % ATR_SIZE].word = word;
					d->atr_count++;
				}
				if (hit) {
					snprintf(why, sizeof why, "A-Trap break at %08X: %04X (%s)",
						 pc, word, nm ? nm : "no name known");
					dbg_enter(d, why, &stop);
				}
			}
		}
		d->skip_break = false;
		if (stop || tb->stop)
			return CPU_STOP_REQUESTED;
		if (c->pc != pc) /* the console moved the PC: look at the new one first */
			continue;
		enum cpu_stop r = cpu_step(c);
		if (interrupted(d, r, &stop)) {
			if (stop)
				return CPU_STOP_REQUESTED;
			continue;
		}
		/* A step counts from the console's return: an instruction that
		 * ended in the console (a watch hit) is not one of them. */
		bool entered = false;
		if (*pager_pending(tb->pager)) {
			struct pager_fault hit;
			if (pager_poll(tb->pager, &hit) && hit.watch >= 0 &&
			    hit.watch < PAGER_MAX_WATCHES && cond_true(d, d->wp[hit.watch].cond)) {
				watch_values(d, &hit);
				entered = true;
				snprintf(
				    why, sizeof why,
				    "Watch point #%d hit: PC %08X wrote %08X (watching %08X, %u "
				    "bytes)%s%s\n old value %0*X, new value %0*X",
				    hit.watch, pc, hit.addr, hit.watch_start, hit.watch_len,
				    d->wp[hit.watch].cond[0] ? " if " : "", d->wp[hit.watch].cond,
				    (int)hit.value_len * 2, hit.old_value, (int)hit.value_len * 2,
				    hit.new_value);
				dbg_enter(d, why, &stop);
				if (stop)
					return CPU_STOP_REQUESTED;
			}
		}
		if (d->steps && !entered && !tb->stop && --d->steps == 0) {
			snprintf(why, sizeof why, "Step (from %08X)", pc);
			dbg_enter(d, why, &stop);
			if (stop)
				return CPU_STOP_REQUESTED;
		}
		if (r != CPU_STOP_COUNT)
			return r;
		if (!dbg_slow(d))
			return CPU_STOP_COUNT;
	}
	return CPU_STOP_COUNT;
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
		dbg_bus_error_message(d, frame, why, sizeof why);
	else
		snprintf(why, sizeof why, "%s", tb->reason);
	int status = tb->status;
	char reason[sizeof tb->reason];
	snprintf(reason, sizeof reason, "%s", tb->reason);
	/* Show the stop with the machine running, as the console expects. */
	tb->stop = false;
	enum resume how = dbg_console(d, why, vec == 2);
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
		uint16_t sr =
		    (uint16_t)rd16(tb, frame + (c->model == CPU_68000 && vec <= 3 ? 8 : 0));
		gaddr pc = c->pc;
		c->a[7] = frame + dbg_frame_size(tb, frame, vec);
		cpu_set_sr(c, sr);
		c->pc = pc;
	}
	tb->exc_vector = 0;
	tb->status = 0;
	tb->reason[0] = '\0';
	d->skip_break = true;
	return true;
}
