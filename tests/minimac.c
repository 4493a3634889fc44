/* A stand-in Mac for testing elf2mac's output at run time, built for m68k
 * Linux and run under qemu-m68k by tests/elf2mac_run.sh. It does what the
 * Segment Loader does at launch (A5 world from CODE 0, CODE 1 loaded at an
 * address of its choosing, the jump table entry patched to JMP, a jump to
 * the first entry) and answers the few A-line traps examples/hello.c makes,
 * caught as SIGILL. It checks crt0's self-relocation and the trap glue's
 * register and stack conventions on a real 68K instruction set; it is not
 * vm68k's toolbox. */
#define _GNU_SOURCE
#include "host/macfile.h"
#include "toolbox/toolbox.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <sys/mman.h>
#include <unistd.h>

static uint32_t rd16(uint32_t a)
{
	const uint8_t *p = (const uint8_t *)a;
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t rd32(uint32_t a)
{
	return rd16(a) << 16 | rd16(a + 2);
}

static void wr32(uint32_t a, uint32_t v)
{
	uint8_t *p = (uint8_t *)a;
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static unsigned ticks;
static unsigned traps;

/* The Segment Loader's state. */
static struct mac_file mf;
static struct resource_info code0;
static uint32_t a5;
static struct {
	uint8_t *at; /* where it is, or NULL */
	bool loaded; /* its jump table entries point into it */
	uint32_t size;
} loaded[10];

static uint8_t *exec_memory(size_t n);

static void say(const char *s)
{
	(void)!write(1, s, strlen(s));
}
static bool glue_mode;

/* -glue mode: how each trap of tools/mactraps.h takes its arguments, per
 * Inside Macintosh, written down independently of the glue, and what
 * minimac answers so tests/glue.c can check the results came back. */
enum glue_in { IN_D0, IN_A0, IN_A0_D0, IN_A0_A1_D0, IN_TASK, IN_TASK_D0, IN_D0_ONLY, IN_NONE };
enum glue_out { OUT_PTR, OUT_WORD, OUT_SELECTOR, OUT_DELAY, OUT_GESTALT, OUT_WIDE, OUT_NONE };
static const struct {
	uint16_t word;
	const char *name;
	enum glue_in in;
	enum glue_out out;
} glue[] = {
    {0xA11E, "NewPtr", IN_D0, OUT_PTR},
    {0xA31E, "NewPtrClear", IN_D0, OUT_PTR},
    {0xA51E, "NewPtrSys", IN_D0, OUT_PTR},
    {0xA01F, "DisposePtr", IN_A0, OUT_WORD},
    {0xA021, "GetPtrSize", IN_A0, OUT_WORD},
    {0xA020, "SetPtrSize", IN_A0_D0, OUT_WORD},
    {0xA122, "NewHandle", IN_D0, OUT_PTR},
    {0xA322, "NewHandleClear", IN_D0, OUT_PTR},
    {0xA023, "DisposeHandle", IN_A0, OUT_WORD},
    {0xA025, "GetHandleSize", IN_A0, OUT_WORD},
    {0xA024, "SetHandleSize", IN_A0_D0, OUT_WORD},
    {0xA029, "HLock", IN_A0, OUT_WORD},
    {0xA02A, "HUnlock", IN_A0, OUT_WORD},
    {0xA02E, "BlockMove", IN_A0_A1_D0, OUT_WORD},
    {0xA05C, "MemoryDispatch", IN_A0_A1_D0, OUT_SELECTOR},
    {0xA08F, "DeferUserFn", IN_D0_ONLY, OUT_WORD},
    {0xA08D, "DebugUtil", IN_A0_A1_D0, OUT_SELECTOR},
    {0xA058, "InsTime", IN_TASK, OUT_NONE},
    {0xA458, "InsXTime", IN_TASK, OUT_NONE},
    {0xA05A, "PrimeTime", IN_TASK_D0, OUT_NONE},
    {0xA059, "RmvTime", IN_TASK, OUT_NONE},
    {0xA03B, "Delay", IN_A0, OUT_DELAY},
    {0xA1AD, "Gestalt", IN_D0, OUT_GESTALT},
    {0xA198, "HWPriv", IN_D0, OUT_NONE},
    {0xA193, "Microseconds", IN_NONE, OUT_WIDE},
};

/* Answers a trap in -glue mode; false if it is not one of the table's. */
static bool glue_trap(greg_t *r, uint32_t word)
{
	char line[200];
	size_t i;
	for (i = 0; i < sizeof glue / sizeof glue[0] && glue[i].word != word; i++)
		;
	if (i == sizeof glue / sizeof glue[0])
		return false;
	uint32_t d0 = (uint32_t)r[R_D0], a0 = (uint32_t)r[R_A0], a1 = (uint32_t)r[R_A1];
	switch (glue[i].in) {
	case IN_D0:
		snprintf(line, sizeof line, "%s D0=%08X\n", glue[i].name, d0);
		break;
	case IN_A0:
		snprintf(line, sizeof line, "%s A0=%08X\n", glue[i].name, a0);
		break;
	case IN_A0_D0:
		snprintf(line, sizeof line, "%s A0=%08X D0=%08X\n", glue[i].name, a0, d0);
		break;
	case IN_A0_A1_D0:
		snprintf(line, sizeof line, "%s A0=%08X A1=%08X D0=%08X\n", glue[i].name, a0, a1,
			 d0);
		break;
	case IN_TASK:
	case IN_TASK_D0:
		snprintf(line, sizeof line, "%s task qType=%u tmCount=%u%s", glue[i].name,
			 rd16(a0 + 4), rd32(a0 + 10), glue[i].in == IN_TASK ? "\n" : "");
		if (glue[i].in == IN_TASK_D0)
			snprintf(line + strlen(line), sizeof line - strlen(line), " D0=%08X\n", d0);
		break;
	case IN_D0_ONLY:
		snprintf(line, sizeof line, "%s D0=%08X\n", glue[i].name, d0);
		break;
	case IN_NONE:
		snprintf(line, sizeof line, "%s\n", glue[i].name);
		break;
	}
	say(line);
	switch (glue[i].out) {
	case OUT_PTR:
		r[R_A0] = (greg_t)(0x50000000u | (d0 & 0xFFFF));
		r[R_D0] = 0;
		break;
	case OUT_WORD:
		r[R_D0] = (greg_t)word;
		break;
	case OUT_SELECTOR:
		break; /* D0 keeps the selector */
	case OUT_DELAY:
		r[R_D0] = 0x4444;
		break;
	case OUT_GESTALT:
		r[R_A0] = 0x0755;
		r[R_D0] = 0;
		break;
	case OUT_WIDE:
		r[R_A0] = 0x1234;
		r[R_D0] = 0x56789ABC;
		break;
	case OUT_NONE:
		break;
	}
	r[R_PC] += 2;
	return true;
}

/* Writes jump table entry k in its loaded (segment, JMP address) or
 * unloaded (CODE 0's own words) form. */
static void set_entry(unsigned k, uint8_t *segment)
{
	uint8_t *e = (uint8_t *)(uintptr_t)(a5 + 32 + 8 * k);
	const uint8_t *orig = code0.data + 16 + 8 * k;
	if (segment == NULL) {
		memcpy(e, orig, 8);
		return;
	}
	uint32_t offset = (uint32_t)orig[0] << 8 | orig[1];
	e[0] = orig[4];
	e[1] = orig[5];
	e[2] = 0x4E;
	e[3] = 0xF9; /* JMP abs.L */
	wr32((uint32_t)(uintptr_t)(e + 4), (uint32_t)(uintptr_t)segment + 4 + offset);
}

/* LoadSeg: reads CODE n, or, if it was unloaded but is still in memory,
 * moves that copy elsewhere (as a heap compaction would move an unlocked
 * handle), then points its jump table entries at it. */
static int load_segment(unsigned n)
{
	struct resource_info r;
	struct code_header h;
	struct resfork_error re;
	if (n == 0 || n > 9 || !resfork_find(&mf.fork, 0x434F4445, (int16_t)n, &r) ||
	    !code_segment_parse(r.data, r.size, &h, &re) || h.far)
		return -1;
	uint8_t *at = exec_memory(r.size + 0x2000);
	at += 0x800 + 0x100 * n;
	char line[100];
	if (loaded[n].at != NULL) {
		memcpy(at, loaded[n].at, r.size);
		memset(loaded[n].at, 0xFF, r.size); /* stale addresses must not work */
		snprintf(line, sizeof line, "LoadSeg %u (moved)\n", n);
	} else {
		memcpy(at, r.data, r.size);
		snprintf(line, sizeof line, "LoadSeg %u\n", n);
	}
	say(line);
	loaded[n].at = at;
	loaded[n].loaded = true;
	loaded[n].size = r.size;
	for (unsigned k = h.first_entry / 8; k < h.first_entry / 8 + h.entry_count; k++)
		set_entry(k, at);
	return 0;
}

static void unload_segment(unsigned n)
{
	struct resource_info r;
	struct code_header h;
	struct resfork_error re;
	char line[100];
	snprintf(line, sizeof line, "UnloadSeg %u\n", n);
	say(line);
	if (n == 0 || n > 9 || !loaded[n].loaded ||
	    !resfork_find(&mf.fork, 0x434F4445, (int16_t)n, &r) ||
	    !code_segment_parse(r.data, r.size, &h, &re))
		return;
	loaded[n].loaded = false;
	for (unsigned k = h.first_entry / 8; k < h.first_entry / 8 + h.entry_count; k++)
		set_entry(k, NULL);
}

static void on_trap(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)si;
	greg_t *r = ((ucontext_t *)ctx)->uc_mcontext.gregs;
	uint32_t pc = (uint32_t)r[R_PC], word = rd16(pc);
	char line[300];
	traps++;
	if (glue_mode && glue_trap(r, word))
		return;
	switch (word) {
	case 0xA11E: /* NewPtr: D0 size -> A0, D0 result */
		r[R_A0] = (greg_t)(uintptr_t)calloc(1, (size_t)r[R_D0]);
		r[R_D0] = r[R_A0] ? 0 : -108;
		break;
	case 0xA01F: /* DisposePtr */
		free((void *)(uintptr_t)r[R_A0]);
		r[R_D0] = 0;
		break;
	case 0xA05C: /* MemoryDispatch: log the selector */
		snprintf(line, sizeof line, "MemoryDispatch selector %d count %u\n", (int)r[R_D0],
			 (unsigned)r[R_A1]);
		say(line);
		r[R_D0] = 0;
		break;
	case 0xA198: /* HWPriv: cache flushes */
		r[R_D0] = 0;
		break;
	case 0xA975: /* TickCount: result in the room the caller left */
		wr32((uint32_t)r[R_SP], glue_mode ? 0x12345678 : (ticks += 10));
		break;
	case 0xA9C8: /* SysBeep: pops its word */
		snprintf(line, sizeof line, "SysBeep %u\n", rd16((uint32_t)r[R_SP]));
		say(line);
		r[R_SP] += 2;
		break;
	case 0xA9FF: /* Debugger */
		say("Debugger\n");
		break;
	case 0xABFF: { /* DebugStr: pops a Pascal string pointer */
		uint32_t s = rd32((uint32_t)r[R_SP]);
		unsigned n = *(const uint8_t *)s;
		snprintf(line, sizeof line, "DebugStr: %.*s\n", (int)n, (const char *)s + 1);
		say(line);
		r[R_SP] += 4;
		break;
	}
	case 0xA9F0: { /* _LoadSeg: (SP) = segment; PC is entry + 6 */
		unsigned n = rd16((uint32_t)r[R_SP]);
		r[R_SP] += 2;
		if (load_segment(n) != 0) {
			snprintf(line, sizeof line, "LoadSeg %u failed\n", n);
			say(line);
			_exit(2);
		}
		r[R_PC] = (greg_t)(pc - 4); /* the entry's JMP, now in place */
		return;
	}
	case 0xA9F1: { /* UnloadSeg: pops the routine's jump table address */
		uint32_t routine = rd32((uint32_t)r[R_SP]);
		r[R_SP] += 4;
		unsigned n = rd16(routine - 2);
		unload_segment(n);
		break;
	}
	case 0xA9F4: /* ExitToShell */
		snprintf(line, sizeof line, "ExitToShell after %u traps\n", traps);
		say(line);
		_exit(0);
	default:
		snprintf(line, sizeof line, "unexpected trap %04X at %08X\n", word, pc);
		say(line);
		_exit(2);
	}
	r[R_PC] = (greg_t)(pc + 2);
}

/* The jump table and the segments are executed, so they need PROT_EXEC. */
static uint8_t *exec_memory(size_t n)
{
	void *p =
	    mmap(NULL, n, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("minimac: mmap");
		exit(1);
	}
	return p;
}

int main(int argc, char **argv)
{
	char err[600];
	glue_mode = argc == 3 && strcmp(argv[2], "-glue") == 0;
	if (argc < 2 || argc > 3 || (argc == 3 && !glue_mode)) {
		fprintf(stderr, "usage: minimac APP.bin [-glue]\n");
		return 1;
	}
	if (!macfile_load(argv[1], &mf, err, sizeof err)) {
		fprintf(stderr, "minimac: %s\n", err);
		return 1;
	}
	struct resource_info c1;
	struct code0_info info;
	struct resfork_error re;
	if (!resfork_find(&mf.fork, 0x434F4445, 0, &code0) ||
	    !code0_parse(code0.data, code0.size, &info, &re) || info.entry_count < 1) {
		fprintf(stderr, "minimac: no usable CODE 0\n");
		return 1;
	}
	bool far = false;
	struct jt_entry e;
	code0_entry(code0.data, &info, 0, &far, &e);
	if (e.kind != JT_NEAR || !resfork_find(&mf.fork, 0x434F4445, (int16_t)e.segment, &c1)) {
		fprintf(stderr,
			"minimac: first jump table entry is not a near entry to a segment\n");
		return 1;
	}
	/* The A5 world: globals below A5, parameters and jump table above. Fill
	 * the globals with garbage: crt0 must clear them. */
	uint8_t *world = exec_memory(info.below_a5 + info.above_a5);
	memset(world, 0xA5, info.below_a5);
	a5 = (uint32_t)(uintptr_t)(world + info.below_a5);
	memset(world + info.below_a5, 0, info.above_a5);
	memcpy(world + info.below_a5 + 32, code0.data + 16, info.jt_size);
	/* LoadSeg: the segment goes at an address unlike the link address 0,
	 * then entry 0 becomes "segment number, JMP absolute". */
	uint8_t *seg = exec_memory(c1.size + 0x10000);
	seg += 0x1002;
	memcpy(seg, c1.data, c1.size);
	uint32_t target = (uint32_t)(uintptr_t)seg + 4 + e.offset;
	uint32_t entry = a5 + 32;
	uint8_t *p = (uint8_t *)entry;
	p[0] = (uint8_t)(e.segment >> 8);
	p[1] = (uint8_t)e.segment;
	p[2] = 0x4E;
	p[3] = 0xF9; /* JMP abs.L */
	wr32(entry + 4, target);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_trap;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGILL, &sa, NULL);
	printf("minimac: CODE %u at %08X, A5 %08X, entry %08X\n", e.segment,
	       (unsigned)(uintptr_t)seg, a5, target);
	fflush(stdout);
	__asm__ volatile("movea.l %0,%%a5\n\tjmp (%1)" : : "r"(a5), "a"(entry + 2) : "memory");
	return 1;
}
