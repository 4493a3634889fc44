/* tests/gestalt.c: Gestalt's built-in selectors and their 68K functions.
 * Prints 'mixd', 'os  ', 'vm  ' and 'mmu ' (DebugStr "XXXX=hhhhhhhh") for
 * tests/toolbox_run_test.sh to check per --cpu and --no-vm, then replaces
 * the built-in 'sysv' with a 68K function that calls through to the old one
 * (GetGestaltProcPtr must return the function in force) and prints
 * "gestalt ok" or "gestalt BAD n". */
#include "mactraps.h"

static void show(const char *name, OSType sel)
{
	static unsigned char msg[] = "\x0dXXXX=hhhhhhhh";
	const char *hex = "0123456789ABCDEF";
	int32_t v = 0;
	OSErr e = Gestalt(sel, &v);
	for (int i = 0; i < 4; i++)
		msg[1 + i] = (unsigned char)name[i];
	for (int i = 0; i < 8; i++)
		msg[6 + i] = (unsigned char)hex[((uint32_t)v >> (28 - 4 * i)) & 15];
	if (e != noErr)
		msg[5] = '!';
	DebugStr(msg);
}

/* ReplaceGestalt ($A5AD): D0 selector, A0 function; A0 the old one. */
static OSErr replace_gestalt(OSType sel, void *fn, void **old)
{
	register int32_t d0 __asm__("d0") = (int32_t)sel;
	register void *a0 __asm__("a0") = fn;
	__asm__ volatile(".short 0xA5AD" : "+r"(d0), "+r"(a0) : : MAC_CLOBBERS);
	*old = a0;
	return (OSErr)d0;
}

/* GetGestaltProcPtr ($A7AD): D0 selector; A0 the function. */
static OSErr get_gestalt_proc(OSType sel, void **fn)
{
	register int32_t d0 __asm__("d0") = (int32_t)sel;
	register void *a0 __asm__("a0");
	__asm__ volatile(".short 0xA7AD" : "+r"(d0), "=r"(a0) : : MAC_CLOBBERS);
	*fn = a0;
	return (OSErr)d0;
}

/* The replaced 'sysv' function: calls the old one (Pascal FUNCTION
 * (selector; VAR response): OSErr) and adds $10000 to its answer. */
void *old_sysv;
__asm__(".text\n"
	".globl sysv_fn\n"
	"sysv_fn:\n"
	"	clr.w	-(%sp)\n"	  /* the old function's OSErr */
	"	move.l	10(%sp),-(%sp)\n" /* selector (ours at 8 + 2) */
	"	move.l	10(%sp),-(%sp)\n" /* VAR response (ours at 4 + 6) */
	"	movea.l	old_sysv,%a0\n"
	"	jsr	(%a0)\n"
	"	move.w	(%sp)+,%d0\n"
	"	movea.l	4(%sp),%a0\n"
	"	addi.l	#0x10000,(%a0)\n"
	"	movea.l	(%sp)+,%a0\n"
	"	addq.l	#8,%sp\n"
	"	move.w	%d0,(%sp)\n"
	"	jmp	(%a0)\n");
void sysv_fn(void);

int main(void)
{
	int bad = 0;
	show("mixd", 0x6D697864);
	show("os  ", 0x6F732020);
	show("vm  ", 0x766D2020);
	show("mmu ", 0x6D6D7520);

	int32_t sysv = 0, v = 0;
	void *builtin = 0, *p = 0;
	if (Gestalt(0x73797376 /* 'sysv' */, &sysv) != noErr || sysv != 0x0755)
		bad = 1;
	else if (get_gestalt_proc(0x73797376, &builtin) != noErr || builtin == 0)
		bad = 2;
	else if (get_gestalt_proc(0x7A7A7A7A /* 'zzzz' */, &p) != -5551)
		bad = 3;
	else if (replace_gestalt(0x73797376, (void *)sysv_fn, &old_sysv) != noErr ||
		 old_sysv != builtin)
		bad = 4;
	else if (Gestalt(0x73797376, &v) != noErr || v != 0x10755)
		bad = 5;
	else if (get_gestalt_proc(0x73797376, &p) != noErr || p != (void *)sysv_fn)
		bad = 6;
	else if (Gestalt(0x6D697864 /* 'mixd' */, &v) != noErr)
		bad = 7; /* other built-ins still answer */
	else if (replace_gestalt(0x7A7A7A7A, (void *)sysv_fn, &p) != -5551)
		bad = 8;
	if (bad) {
		static unsigned char msg[] = "\x0cgestalt BAD ?";
		msg[13] = (unsigned char)('0' + bad);
		msg[0] = 13;
		DebugStr(msg);
	} else {
		DebugStr(PSTR("gestalt ok"));
	}
	return 0;
}
