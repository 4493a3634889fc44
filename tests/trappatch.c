/* Trap patching through vm68k's trap tables: a head patch on the Toolbox
 * trap TickCount (counts, then jumps to the saved address) and a tail patch
 * on the OS trap GetPtrSize (calls the saved address with JSR, then
 * changes the result and clobbers D2 and A1, which the dispatcher must
 * restore). Both saved addresses are Mixed Mode routine descriptors
 * ($AAFE) that the patches call like 68K code. Also Gestalt 'vm  ' and a
 * few privileged instructions (emulated in user mode under VM). Reports
 * through DebugStr; built by tests/toolbox_run_test.sh. */
#include "mactraps.h"

int32_t head_count, tail_count, tail_d1;
void *old_tickcount, *old_getptrsize;

/* The patches, in 68K assembly: the Trap Dispatcher reaches them with the
 * stack and registers of the trap itself. */
__asm__(".text\n"
	".globl head_patch\n"
	"head_patch:\n"
	"	addq.l	#1,head_count\n"
	"	move.l	old_tickcount,-(%sp)\n" /* jump to the original: same stack */
	"	rts\n"
	".globl tail_patch\n"
	"tail_patch:\n"
	"	move.w	%d1,tail_d1+2\n"	/* the dispatcher's trap word */
	"	pea	1f\n"
	"	move.l	old_getptrsize,-(%sp)\n" /* JSR to the original */
	"	rts\n"
	"1:	addq.l	#1,tail_count\n"
	"	add.l	#1000,%d0\n"
	"	moveq	#-1,%d2\n"		/* the dispatcher restores D2 and A1 */
	"	movea.l	#-1,%a1\n"
	"	rts\n");
void head_patch(void);
void tail_patch(void);

/* A Gestalt function (Pascal: FUNCTION f(selector: OSType; VAR response:
 * LONGINT): OSErr) that answers $12345678 and clobbers D1, D2 and A1, which
 * Gestalt's caller must find intact. */
__asm__(".text\n"
	".globl gestalt_fn\n"
	"gestalt_fn:\n"
	"	movea.l	4(%sp),%a0\n"
	"	move.l	#0x12345678,(%a0)\n"
	"	moveq	#-1,%d1\n"
	"	moveq	#-1,%d2\n"
	"	movea.l	%d1,%a1\n"
	"	movea.l	(%sp)+,%a0\n"
	"	addq.l	#8,%sp\n"
	"	clr.w	(%sp)\n"
	"	jmp	(%a0)\n");
void gestalt_fn(void);

/* NewGestalt ($A3AD) / ReplaceGestalt ($A5AD): D0 selector, A0 function. */
static OSErr new_gestalt(OSType sel, void *fn, int replace, void **old)
{
	register int32_t d0 __asm__("d0") = (int32_t)sel;
	register void *a0 __asm__("a0") = fn;
	if (replace)
		__asm__ volatile(".short 0xA5AD" : "+r"(d0), "+r"(a0) : : MAC_CLOBBERS);
	else
		__asm__ volatile(".short 0xA3AD" : "+r"(d0), "+r"(a0) : : MAC_CLOBBERS);
	if (old)
		*old = a0;
	return (OSErr)d0;
}

/* Gestalt with D2 and A1 set beforehand and read back afterwards. */
static OSErr gestalt_regs(OSType sel, int32_t *resp, uint32_t *d2_after, uint32_t *a1_after)
{
	register int32_t d0 __asm__("d0") = (int32_t)sel;
	register int32_t a0 __asm__("a0");
	register uint32_t d2 __asm__("d2") = 0x13572468;
	register uint32_t a1 __asm__("a1") = 0x24681357;
	__asm__ volatile(".short 0xA1AD" : "+r"(d0), "=r"(a0), "+r"(d2), "+r"(a1) : : "d1", "memory", "cc");
	*resp = a0;
	*d2_after = d2;
	*a1_after = a1;
	return (OSErr)d0;
}

/* NGetTrapAddress / NSetTrapAddress: bit 9 (new), bit 10 (Toolbox table). */
static void *get_trap(uint16_t word, int toolbox)
{
	register int32_t d0 __asm__("d0") = word;
	register void *a0 __asm__("a0");
	if (toolbox)
		__asm__ volatile(".short 0xA746" : "=r"(a0), "+r"(d0) : : MAC_CLOBBERS);
	else
		__asm__ volatile(".short 0xA346" : "=r"(a0), "+r"(d0) : : MAC_CLOBBERS);
	return a0;
}

static void set_trap(uint16_t word, void *addr, int toolbox)
{
	register int32_t d0 __asm__("d0") = word;
	register void *a0 __asm__("a0") = addr;
	if (toolbox)
		__asm__ volatile(".short 0xA647" : "+r"(d0), "+r"(a0) : : MAC_CLOBBERS);
	else
		__asm__ volatile(".short 0xA247" : "+r"(d0), "+r"(a0) : : MAC_CLOBBERS);
}

/* GetPtrSize with D2 and A1 set beforehand and read back afterwards. */
static int32_t get_ptr_size_regs(Ptr p, uint32_t *d2_after, uint32_t *a1_after)
{
	register int32_t d0 __asm__("d0");
	register Ptr a0 __asm__("a0") = p;
	register uint32_t d2 __asm__("d2") = 0x12345678;
	register uint32_t a1 __asm__("a1") = 0x9ABCDEF0;
	__asm__ volatile(".short 0xA021" : "=r"(d0), "+r"(a0), "+r"(d2), "+r"(a1) : : "d1", "memory", "cc");
	*d2_after = d2;
	*a1_after = a1;
	return d0;
}

static int32_t ticks_via_old(void)
{
	/* Calling the saved address directly, as glue would: a Pascal function
	 * with room for its result. */
	uint32_t r;
	__asm__ volatile("subq.l #4,%%sp\n\tmovea.l %1,%%a0\n\tjsr (%%a0)\n\tmove.l (%%sp)+,%0"
			 : "=d"(r)
			 : "g"(old_tickcount)
			 : "d0", "a0", MAC_CLOBBERS);
	return (int32_t)r;
}

int main(void)
{
	int bad = 0;
	old_tickcount = get_trap(0xA975, 1);
	old_getptrsize = get_trap(0xA021, 0);
	bad |= (*(uint16_t *)old_tickcount != 0xAAFE) << 0;  /* routine descriptors */
	bad |= (*(uint16_t *)old_getptrsize != 0xAAFE) << 1;
	bad |= (get_trap(0xA9CC, 1) != get_trap(0xA89F, 1)) << 2; /* TEInit: Unimplemented */

	set_trap(0xA975, (void *)head_patch, 1);
	set_trap(0xA021, (void *)tail_patch, 0);
	bad |= (get_trap(0xA975, 1) != (void *)head_patch) << 3;

	uint32_t t1 = TickCount();
	uint32_t t2 = TickCount();
	bad |= (head_count != 2 || t2 < t1) << 4;
	bad |= (ticks_via_old() < (int32_t)t2 || head_count != 2) << 5;

	Ptr p = NewPtr(100);
	uint32_t d2, a1;
	int32_t size = get_ptr_size_regs(p, &d2, &a1);
	bad |= (size != 1100 || tail_count != 1) << 6;
	bad |= (d2 != 0x12345678 || a1 != 0x9ABCDEF0) << 7;
	bad |= ((tail_d1 & 0xFFFF) != 0xA021) << 8;

	set_trap(0xA975, old_tickcount, 1);
	set_trap(0xA021, old_getptrsize, 0);
	TickCount();
	bad |= (head_count != 2 || GetPtrSize(p) != 100 || tail_count != 1) << 9;
	DisposePtr(p);

	/* Delay: 30 ticks pass (D0 = TickCount at the end). */
	uint32_t before = TickCount();
	uint32_t end = Delay(30);
	bad |= (end < before + 30 || TickCount() < end) << 13;
	/* ReadDateTime and GetDateTime (the Time global): seconds since 1904,
	 * after 2020 ($DA319180 is 1 Jan 2020), and the same clock. */
	uint32_t secs = 0, lm = 0;
	bad |= (ReadDateTime(&secs) != noErr || secs < 0xDA319180u) << 13;
	GetDateTime(&lm);
	bad |= (lm < secs || lm - secs > 1) << 13;
	/* Temporary memory through _OSDispatch: a handle that holds data,
	 * locks, and goes back; the free space shrinks and returns. */
	int16_t terr = 1;
	int32_t free0 = TempFreeMem();
	Handle th = TempNewHandle(4096, &terr);
	bad |= (th == 0 || terr != noErr || free0 < 4096 || TempFreeMem() > free0 - 4096) << 12;
	if (th) {
		(*th)[4095] = 0x5A;
		TempHLock(th, &terr);
		bad |= (terr != noErr || (HGetState(th) & 0x80) == 0 || (*th)[4095] != 0x5A) << 12;
		TempDisposeHandle(th, &terr);
		bad |= (terr != noErr || TempFreeMem() < free0 - 64) << 12;
	}
	terr = 0;
	bad |= (TempNewHandle(0x7FFFFFF0, &terr) != 0 || terr != -108 /* memFullErr */) << 12;

	int32_t vm = 0;
	bad |= (Gestalt(0x766D2020 /* 'vm  ' */, &vm) != noErr) << 10;
	/* Privileged in user mode (VM on): trapped, emulated, counted. */
	uint16_t sr;
	__asm__ volatile("move.w %%sr,%0\n\tori.w #0x0700,%%sr\n\tandi.w #0xF8FF,%%sr" : "=d"(sr) : : "cc");
	bad |= ((sr & 0x0700) != 0) << 11;

	/* GetAppParms gives the name in CurApName ($910) and refNum CurApRefNum. */
	unsigned char name[256];
	int16_t refnum = -1;
	Handle parms = (Handle)1;
	__asm__ volatile("move.l %0,-(%%sp)\n\tmove.l %1,-(%%sp)\n\tmove.l %2,-(%%sp)\n\t.short 0xA9F5"
			 :
			 : "r"(name), "r"(&refnum), "r"(&parms)
			 : "d0", "a0", MAC_CLOBBERS);
	uintptr_t lowmem = 0x0900; /* hidden from gcc: it is not a C object */
	__asm__("" : "+r"(lowmem));
	const volatile unsigned char *cur = (const volatile unsigned char *)(lowmem + 0x10);
	int same = name[0] == cur[0] && name[0] > 0;
	for (int i = 1; same && i <= name[0]; i++)
		same = name[i] == cur[i];
	bad |= (!same || refnum != *(const volatile int16_t *)lowmem || parms != 0) << 12;

	/* A selector answered by a 68K function (NewGestalt, then ReplaceGestalt). */
	int32_t resp = 0;
	uint32_t gd2, ga1;
	void *old = 0;
	bad |= (new_gestalt(0x766D7462 /* 'vmtb' */, (void *)gestalt_fn, 0, 0) != noErr) << 14;
	bad |= (new_gestalt(0x73797376 /* 'sysv' */, (void *)gestalt_fn, 0, 0) != -5552) << 14;
	bad |= (gestalt_regs(0x766D7462, &resp, &gd2, &ga1) != noErr || resp != 0x12345678) << 15;
	bad |= (gd2 != 0x13572468 || ga1 != 0x24681357) << 15;
	bad |= (new_gestalt(0x766D7462, (void *)gestalt_fn, 1, &old) != noErr || old != (void *)gestalt_fn) << 14;

	if (bad) {
		static unsigned char msg[] = "\x0bpatch BAD ????";
		const char *hex = "0123456789ABCDEF";
		for (int i = 0; i < 4; i++)
			msg[11 + i] = (unsigned char)hex[(bad >> (12 - 4 * i)) & 15];
		msg[0] = 14;
		DebugStr(msg);
	} else {
		DebugStr(PSTR("patches ok"));
	}
	DebugStr((vm & 1) ? PSTR("vm on") : PSTR("vm off"));
	return 0;
}
