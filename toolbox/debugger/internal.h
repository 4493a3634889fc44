/* Inside the debugger (toolbox/debugger/): its state, shared by the
 * console (console.c), run control (run.c), the stop messages (stops.c)
 * and the output and memory helpers (io.c). */
#ifndef VM68K_TOOLBOX_DEBUGGER_INTERNAL_H
#define VM68K_TOOLBOX_DEBUGGER_INTERNAL_H

#include <signal.h>

#include "pager/pager.h"
#include "toolbox/debugger/debugger.h"

enum { MAX_BREAKS = 16, MAX_ATB = 16, ATR_SIZE = 64, CMD_MAX = 512 };

/* How the console lets the guest go on. */
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
	char last[CMD_MAX];    /* the last trace or step, which Return repeats */
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
	uint64_t steps;	 /* instructions left before a step stops */
	bool skip_break; /* resuming from a breakpoint: do not stop on it again */
	bool exiting;
	volatile sig_atomic_t user_break; /* Control-C at the console (SIGINT) */
};

/* Runs the console for a stop: shows why (and the instruction at PC unless
 * the message did), then commands until one resumes. Returns how. */
enum resume dbg_console(struct dbg *d, const char *why, bool pc_shown);
/* dbg_console for a stop inside dbg_run: es ends the run (*stop_now). */
void dbg_enter(struct dbg *d, const char *why, bool *stop_now);
/* Whether the guest must run instruction by instruction. */
bool dbg_slow(struct dbg *d);
/* Whether A-trap break word a is trap word b (flag bits ignored). */
bool dbg_trap_matches(uint16_t a, uint16_t b);
/* The Technote's message for a bus error whose frame is at frame. */
void dbg_bus_error_message(struct dbg *d, gaddr frame, char *why, size_t len);
/* The size of the exception frame at frame (format word, or the 68000's). */
unsigned dbg_frame_size(struct toolbox *tb, gaddr frame, unsigned vec);

#endif
