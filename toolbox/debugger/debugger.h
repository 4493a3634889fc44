/* toolbox-internal: the MacsBug-style debugger that runs in the guest
 * process beside the toolbox (DESIGN.md, "Toolbox"). The machine hands it
 * control when the guest stops; it reads commands from the console (the
 * inherited terminal) or from a script the host passed in. */
#ifndef VM68K_TOOLBOX_DEBUGGER_H
#define VM68K_TOOLBOX_DEBUGGER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest/guest.h"

struct toolbox;
struct dbg;

/* Makes the debugger for tb from tb->cfg (console, script, --watch points).
 * Returns NULL with a message in err if a --watch point cannot be set. */
struct dbg *dbg_create(struct toolbox *tb, char *err, size_t errlen);
void dbg_destroy(struct dbg *d);
/* Before the first instruction: enters the console if --debugger asked. */
void dbg_start(struct dbg *d);
/* Runs up to budget instructions in place of cpu_run: instruction by
 * instruction while breakpoints, A-trap breaks, trap recording, watch
 * points or stepping need it, entering the console when one fires. */
enum cpu_stop dbg_run(struct dbg *d, uint64_t budget);
/* After the machine stopped (tb->stop): enters the console for a stop the
 * debugger takes (exceptions, DebugStr break, unimplemented traps). Returns
 * true if the user resumed the guest (tb->stop is then cleared). */
bool dbg_after_stop(struct dbg *d);

/* ---- inside toolbox/debugger/ ---- */

/* Output: one formatted piece; lines go to the console when complete. */
void dbg_printf(struct dbg *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reads len bytes of guest memory without faulting (RAM through the pager,
 * ROM and other regions directly). Returns false if some byte is in no region. */
bool dbg_peek(struct dbg *d, gaddr a, void *buf, uint32_t len);
/* Writes guest memory the same way (ROM included). Returns false like dbg_peek. */
bool dbg_poke(struct dbg *d, gaddr a, const void *buf, uint32_t len);
/* Evaluates a MacsBug expression: numbers (hex; $ optional, # decimal),
 * registers, [addr].b/.w/.l, + - * & | == != < >, parentheses. *end gets
 * where parsing stopped. Returns false with a message in err. */
bool dbg_eval(struct dbg *d, const char *text, const char **end, uint32_t *out, char *err,
	      size_t errlen);
/* Disassembles the instruction at pc into buf; returns its length in bytes
 * (2 for unreadable memory, with "????" in buf). */
unsigned dbg_disasm(struct dbg *d, gaddr pc, char *buf, size_t len);
/* One line saying where a is: region, heap block, CODE segment + offset, or
 * "not in RAM or ROM". */
void dbg_where(struct dbg *d, gaddr a, char *buf, size_t len);
/* The display commands (commands.c): each prints its output. */
void dbg_cmd_td(struct dbg *d);
void dbg_cmd_dm(struct dbg *d, gaddr a, uint32_t n, unsigned unit);
void dbg_cmd_il(struct dbg *d, gaddr a, unsigned n);
void dbg_cmd_wh(struct dbg *d, gaddr a);
void dbg_cmd_hz(struct dbg *d);
void dbg_cmd_hd(struct dbg *d);
void dbg_cmd_hc(struct dbg *d);
void dbg_cmd_sc(struct dbg *d);
void dbg_cmd_vmdump(struct dbg *d, gaddr from, uint32_t pages);
struct toolbox *dbg_toolbox(struct dbg *d);
struct mm;
/* Describes the block of zone z holding a ("in the application heap,
 * relocatable block at ..."); false if no block of z holds it. */
bool dbg_heap_block(struct mm *m, gaddr z, gaddr a, char *buf, size_t len, gaddr *handle);

#endif
