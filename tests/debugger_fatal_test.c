/* The debugger on a fatal page fault, in-process on a hand-assembled
 * application: with VM on and paging unsafe ("vM", as when interrupt-time
 * code runs), touching a page that is neither resident nor held cannot be
 * serviced. The debugger must say so, and why, show vM in td, and leave the
 * bus error frame ($B008 on a 68030, $7008 on a 68040) on the stack for dm. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guest/guest.h"
#include "pager/pager.h"
#include "toolbox/toolbox.h"

#define CODE 0x434F4445u

static size_t put_words(uint8_t *out, const uint16_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = (uint8_t)(w[i] >> 8);
		out[2 * i + 1] = (uint8_t)w[i];
	}
	return 2 * n;
}

static char log_text[16384];
static void on_log(void *ctx, const char *line)
{
	(void)ctx;
	strncat(log_text, line, sizeof log_text - strlen(log_text) - 2);
	strcat(log_text, "\n");
}

/* Runs CODE 1 = code with VM on (1 MiB of frames, 4 MiB logical), paging
 * made unsafe just before the first instruction, and the debugger running
 * script at each stop. Returns the result; the debugger's lines are in
 * log_text. */
static struct toolbox_result run_unsafe(int model, const uint16_t *code, size_t nwords,
					const char *script)
{
	static const uint16_t c0w[] = {0x0000, 0x0028, 0x0000, 0x0010, 0x0000, 0x0008,
				       0x0000, 0x0020, 0x0000, 0x3F3C, 0x0001, 0xA9F0};
	uint8_t c0[64], c1[256];
	size_t n0 = put_words(c0, c0w, sizeof c0w / 2);
	size_t n1 = put_words(c1, code, nwords);
	struct resource_spec res[] = {
	    {CODE, 0, 0, NULL, c0, (uint32_t)n0},
	    {CODE, 1, 0, NULL, c1, (uint32_t)n1},
	};
	size_t len;
	uint8_t *fork = resfork_build(res, 2, &len);
	assert_non_null(fork);
	struct pager_config pc;
	pager_config_defaults(&pc);
	pc.ram_bytes = 1u << 20;
	pc.vm_bytes = 4u << 20;
	char err[300];
	struct pager *p = pager_create(&pc, err, sizeof err);
	assert_non_null(p);
	static const uint8_t name[] = "\x04test";
	struct toolbox_config cfg = {.cpu_model = model,
				     .vm = true,
				     .rsrc = fork,
				     .rsrc_len = len,
				     .name = name,
				     .max_instructions = 100000,
				     .log = on_log,
				     .debugger = true,
				     .debugger_script = script,
				     .console_in_fd = -1};
	bool bad;
	log_text[0] = '\0';
	struct toolbox *tb = toolbox_create(p, &cfg, &bad, err, sizeof err);
	if (tb == NULL)
		fail_msg("toolbox_create: %s", err);
	pager_set_paging_safe(p, false);
	struct toolbox_result r;
	toolbox_run(tb, &r);
	toolbox_destroy(tb);
	pager_destroy(p);
	free(fork);
	return r;
}

/* CODE 1: MOVE.L ($00300000).L,D0 — a page of logical RAM never touched. */
static const uint16_t touch_unheld[] = {
    0x0000, 0x0001,	    /* near header */
    0x2039, 0x0030, 0x0000, /* MOVE.L ($00300000).L,D0 */
    0xA9F4,		    /* _ExitToShell */
};

static void fatal_page_fault_enters_the_debugger_saying_why(void **state)
{
	(void)state;
	struct toolbox_result r = run_unsafe(CPU_68030, touch_unheld, sizeof touch_unheld / 2,
					     "td\ndm sp 8\nwh 300000\n");
	if (!strstr(log_text, "Bus Error accessing 00300000 at PC ") ||
	    !strstr(log_text, "MOVE.L    ($300000).L,D0\n") ||
	    !strstr(log_text,
		    "Fatal page fault: page not resident and not held while paging is "
		    "unsafe (paging unsafe: VM state vM, interrupt level 0, user mode)\n") ||
	    !strstr(log_text, "Bus error exception frame (format $B, B008) at SP ") ||
	    !strstr(log_text, "VM state vM\n") || !strstr(log_text, " B0 08 ") ||
	    !strstr(log_text,
		    "Address 00300000 is in RAM + 300000\n page 300: not resident, held 0"))
		fail_msg("debugger output:\n%s", log_text);
	/* Out of commands: the run ends as the stop would have: a fatal page
	 * fault's own status (9, vm68k(1) EXIT STATUS). */
	assert_int_equal(r.status, 9);
}

static void fatal_page_fault_on_a_68040_leaves_a_7008_frame(void **state)
{
	(void)state;
	run_unsafe(CPU_68040, touch_unheld, sizeof touch_unheld / 2, "dl sp+8 4\n");
	if (!strstr(log_text, "Bus error exception frame (format $7, 7008) at SP ") ||
	    !strstr(log_text, "Fatal page fault: ") ||
	    !strstr(log_text, "  00300000 ")) /* the effective address at frame + 8 */
		fail_msg("debugger output:\n%s", log_text);
}

/* A bus error handler of the guest's own that touches another unheld page:
 * the second fatal page fault happens with the first one's frame still on
 * the supervisor stack, which is how the Technote tells a double page fault. */
static void double_page_fault_is_told_by_the_earlier_frame(void **state)
{
	(void)state;
	static const uint16_t code[] = {
	    0x0000, 0x0001,	    /* near header */
	    0x2878, 0x0008,	    /* MOVEA.L ($8).W,A4: the ROM's bus error stub */
	    0x41FA, 0x000E,	    /* LEA handler(PC),A0 */
	    0x21C8, 0x0008,	    /* MOVE.L A0,($8).W */
	    0x2039, 0x0030, 0x0000, /* MOVE.L ($300000).L,D0: first fatal fault */
	    0xA9F4,		    /* _ExitToShell */
	    0x21CC, 0x0008,	    /* handler: MOVE.L A4,($8).W */
	    0x2039, 0x0031, 0x0000, /* MOVE.L ($310000).L,D0: the second */
	    0x4E73,		    /* RTE */
	};
	run_unsafe(CPU_68030, code, sizeof code / 2, "td\n");
	if (!strstr(log_text, "Bus Error accessing 00310000 at PC ") ||
	    !strstr(log_text, "interrupt level 0, supervisor mode)\n") ||
	    !strstr(log_text, "Double page fault: the first one's frame ($B008) is at 00002FA4: PC "
			      "00013128 accessing 00300000, SR 0000\n"))
		fail_msg("debugger output:\n%s", log_text);
}

/* Every display command on the stopped machine, in-process (so the
 * sanitizer build checks them too), with their answers. */
static void display_commands_answer_on_the_stopped_machine(void **state)
{
	(void)state;
	run_unsafe(CPU_68030, touch_unheld, sizeof touch_unheld / 2,
		   "hz\nhd\nhc\nsc\nvmdump\nvmdump 300000 1\nil pc 2\nsm 1000 12345678 9A\n"
		   "dl 1000 4\ndm 1000+#2 3\ndw [1000].w 2\nwp 1000 2 if [1000].b == 12\nwpc 0\n"
		   "atr\natb NewPtr\natb A9F4\natc\nbr 0\nbrc\nhelp\nbogus\ndm (1+\n");
	static const char *const want[] = {
	    "  00003000  System heap       00003000-00013000  10000 bytes\n",
	    " Start    Length   Tag Mstr Ptr Lock Prg Res\n",
	    "The heaps check out OK (zones 00003000 and 00013000)\n",
	    " Calling chain using A6 links\n",
	    " VMDump  state vM  logical pages 1024  frames 256 ",
	    "  300  00300000  untouched - ",
	    " 0001311C   *MOVE.L    ($300000).L,D0\n",
	    " 00001000  12345678 ",
	    " 00001002  56 78 9A ",
	    " 00001234  ",
	    "Watch point #0 at 00001000 (2 bytes) if [1000].b == 12\n",
	    "Watch point #0 cleared\n",
	    " Trap history (0 recorded, last 0 shown)\n",
	    "A-Trap break at A11E (NewPtr)\n",
	    "A-Trap break at A9F4 (ExitToShell)\n",
	    "Breakpoint at 00000000\n",
	    "Unknown command: bogus (help lists them)\n",
	    "Syntax error: expected a number, a register or [address] at ''\n",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(log_text, want[i]))
			fail_msg("no '%s' in the debugger output:\n%s", want[i], log_text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fatal_page_fault_enters_the_debugger_saying_why),
	    cmocka_unit_test(fatal_page_fault_on_a_68040_leaves_a_7008_frame),
	    cmocka_unit_test(double_page_fault_is_told_by_the_earlier_frame),
	    cmocka_unit_test(display_commands_answer_on_the_stopped_machine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
