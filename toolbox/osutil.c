/* OS Utilities and friends: time (TickCount, Delay, Microseconds), SysBeep, the debugger
 * traps, SysError, Gestalt, _HWPriv's cache flushes, and the emulation of privileged instructions that
 * applications execute in user mode under VM (Inside Macintosh: Operating
 * System Utilities; Memory, ch. 3; the VM Technote). */
#include "config.h"

#include "toolbox/tb.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Ticks since start-up at the Mac's 60.15 Hz, in guest time
 * (toolbox/interrupts.c). */
uint32_t tb_ticks(struct toolbox *tb)
{
	return (uint32_t)(tb_guest_ns(tb) * 6015 / 100 / 1000000000u);
}

void tb_stop(struct toolbox *tb, int status, const char *fmt, ...)
{
	if (tb->stop)
		return; /* the first reason wins */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tb->reason, sizeof tb->reason, fmt, ap);
	va_end(ap);
	tb->stop = true;
	tb->status = status;
	cpu_request_stop(&tb->cpu);
}

void tb_log(struct toolbox *tb, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (tb->cfg.log)
		tb->cfg.log(tb->cfg.ctx, line);
}

NATIVE(TickCount)
{
	uint32_t t = tb_ticks(tb);
	wr32(tb, Ticks, t);
	tb_result(tb, call, t);
}

/* Delay: no other process runs, so the ticks pass in guest time at once
 * rather than in a host sleep (which the sandbox does not allow anyway);
 * the interrupts that fall due meanwhile are taken after the trap. */
NATIVE(Delay)
{
	(void)call;
	struct cpu *c = &tb->cpu;
	uint64_t target = ((uint64_t)(tb_ticks(tb) + c->a[0]) * 100000000000ull + 6014) / 6015;
	if (target > tb_guest_ns(tb))
		tb->vmint.extra_ns += target - tb_guest_ns(tb);
	c->d[0] = tb_ticks(tb);
	wr32(tb, Ticks, c->d[0]);
}

/* _ReadDateTime ($A039): A0 = where to store the time, seconds since 1904
 * (the clock chip's; here the host's at start-up plus guest time, as the
 * Time global runs); D0 = noErr. Also refreshes Time, which GetDateTime's
 * glue reads. */
NATIVE(ReadDateTime)
{
	(void)call;
	uint32_t now = tb->time0 + (uint32_t)((uint64_t)tb_ticks(tb) * 100 / 6015);
	wr32(tb, Time, now);
	wr32(tb, tb->cpu.a[0], now);
	tb->cpu.d[0] = 0;
}

/* _Microseconds ($A193): guest time since start-up in microseconds, as
 * an UnsignedWide: A0 the high long, D0 the low one. */
NATIVE(Microseconds)
{
	(void)call;
	uint64_t us = tb_guest_ns(tb) / 1000;
	tb->cpu.a[0] = (uint32_t)(us >> 32);
	tb->cpu.d[0] = (uint32_t)us;
}

NATIVE(SysBeep)
{
	tb->sysbeeps++;
	tb_log(tb, "SysBeep %u", (unsigned)tb_param(tb, call, 1));
}

static void pascal_text(struct toolbox *tb, gaddr s, char *out, size_t len)
{
	unsigned n = rd8(tb, s);
	size_t j = 0;
	for (unsigned i = 0; i < n && j + 1 < len; i++)
		out[j++] = (char)rd8(tb, s + 1 + i);
	out[j] = '\0';
}

static void debugger_entry(struct toolbox *tb, const char *text)
{
	switch (tb->cfg.debugstr) {
	case DEBUGSTR_IGNORE:
		return;
	case DEBUGSTR_LOG:
		tb_log(tb, text[0] ? "DebugStr: %s" : "Debugger%s", text);
		return;
	case DEBUGSTR_BREAK:
		/* With the debugger on, this stop enters it (toolbox/debugger/). */
		tb_stop(tb, 1,
			tb->dbg ? "User break at %s%s%s (--debugstr break) at PC %08X"
				: "Stopped at %s%s%s (--debugstr break; no debugger console yet) at PC %08X",
			text[0] ? "DebugStr \"" : "Debugger", text, text[0] ? "\"" : "",
			tb->insn_pc);
		return;
	}
}

NATIVE(DebugStr)
{
	char text[256];
	pascal_text(tb, tb_param(tb, call, 1), text, sizeof text);
	debugger_entry(tb, text);
}

NATIVE(Debugger)
{
	(void)call;
	debugger_entry(tb, "");
}

/* System error numbers (Apple's SysErr.h) and their names. */
static const struct {
	int16_t n;
	const char *name;
} ds_names[] = {
    {1, "dsBusErr"},
    {2, "dsAddressErr"},
    {3, "dsIllInstErr"},
    {4, "dsZeroDivErr"},
    {5, "dsChkErr"},
    {6, "dsOvflowErr"},
    {7, "dsPrivErr"},
    {8, "dsTraceErr"},
    {9, "dsLineAErr"},
    {10, "dsLineFErr"},
    {11, "dsMiscErr"},
    {12, "dsCoreErr"},
    {13, "dsIRQErr"},
    {14, "dsIOCoreErr"},
    {15, "dsLoadErr"},
    {16, "dsFPErr"},
    {17, "dsNoPackErr"},
    {25, "dsMemFullErr"},
    {26, "dsBadLaunch"},
    {28, "dsStknHeap"},
    {112, "dsVMDeferredFuncTableFull"},
    {113, "dsVMBadBackingStore"},
};

NATIVE(SysError)
{
	(void)call;
	int16_t n = (int16_t)tb->cpu.d[0];
	const char *name = "unknown";
	for (size_t i = 0; i < sizeof ds_names / sizeof ds_names[0]; i++)
		if (ds_names[i].n == n)
			name = ds_names[i].name;
	wr16(tb, DSErrCode, (uint16_t)n);
	tb_stop(tb, 4, "System error %d (%s) at PC %08X", n, name, tb->insn_pc);
}

NATIVE(ExitToShell)
{
	(void)call;
	tb_stop(tb, 0, "ExitToShell");
	tb->cpu.pc = tb->insn_pc;
}

/* ---- Gestalt (Inside Macintosh: Operating System Utilities, ch. 1) ---- */

#define OSTYPE(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
enum { gestaltUndefSelectorErr = -5551 };

static bool gestalt_value(struct toolbox *tb, uint32_t sel, uint32_t *v)
{
	struct pager_region_info ram;
	pager_region_info(tb->pager, 0, &ram);
	struct pager_stats s;
	pager_get_stats(tb->pager, &s);
	int model = tb->cpu.model;
	switch (sel) {
	case OSTYPE('s', 'y', 's', 'v'):
		*v = 0x0755;
		return true; /* System 7.5.5's API */
	case OSTYPE('v', 'm', ' ', ' '):
		/* gestaltVMAttr: bit 0 gestaltVMPresent, bit 1
		 * gestaltVMHasLockMemoryForOutput. Bit 3 gestaltVMFilemappingOn
		 * stays clear: vm68k maps no files into the address space.
		 * Bit 4 gestaltVMHasPagingControl: MakeMemoryResident,
		 * MakeMemoryNonResident, FlushMemory and ReleaseMemoryData
		 * (_MemoryDispatch 11-14) are there. */
		*v = tb->cfg.vm ? (1u << 0 | 1u << 1 | 1u << 4) : 0;
		return true;
	case OSTYPE('m', 'i', 'x', 'd'):
		/* gestaltMixedModeAttr: bit 0 gestaltMixedModePowerPC, 1
		 * gestaltMixedModeCFM68K, 2 ...CFM68KHasTrap, 3 ...CFM68KHasState.
		 * A 68K Mac with Mixed Mode present but neither PowerPC nor
		 * CFM-68K: vm68k reaches its natives through routine descriptors
		 * ($AAFE) only, so the selector answers with no bit set. */
		*v = 0;
		return true;
	case OSTYPE('o', 's', ' ', ' '):
		/* gestaltOSAttr: bit 4 gestaltTempMemSupport and 5
		 * gestaltRealTempMemory (_OSDispatch's temporary memory, from the
		 * system heap, outside the application's partition), bit 8
		 * gestaltSysDebuggerSupport (the _DebugUtil calls exist). Clear:
		 * 0 gestaltSysZoneGrowable (the system heap has a fixed size), 1-3
		 * the Launch bits (no _Launch), 6 gestaltTempMemTracked (nothing
		 * frees temporary handles when the application quits: it is the
		 * only one), 7 gestaltIPCSupport. */
		*v = 1u << 4 | 1u << 5 | 1u << 8;
		return true;
	case OSTYPE('r', 'a', 'm', ' '):
		*v = (uint32_t)s.frames * PAGER_PAGE_SIZE;
		return true;
	case OSTYPE('l', 'r', 'a', 'm'):
		*v = ram.size;
		return true;
	case OSTYPE('p', 'g', 's', 'z'):
		*v = PAGER_PAGE_SIZE;
		return true;
	case OSTYPE('m', 'm', 'u', ' '):
		/* gestaltNoMMU 0, gestalt68851 2, gestalt68030MMU 3,
		 * gestalt68040MMU 4: the MMU the CPU model has. The pager plays
		 * it from the 68030 up; a 68020 has none of its own, and vm68k
		 * fits it with a 68851 only when VM is on (a 68020 Mac ran
		 * System 7 VM only with a PMMU). */
		*v = 0;
		if (model == CPU_68030)
			*v = 3;
		else if (model == CPU_68040)
			*v = 4;
		else if (model == CPU_68020 && tb->cfg.vm)
			*v = 2;
		return true;
	case OSTYPE('c', 'p', 'u', 'v'):
		*v = (uint32_t)model;
		return true; /* gestaltCPU68000 = 0 ... */
	case OSTYPE('p', 'r', 'o', 'c'):
		*v = (uint32_t)model + 1;
		return true; /* gestalt68000 = 1 ... */
	case OSTYPE('a', 'd', 'd', 'r'):
		/* bit 0 32-bit addressing on, bit 1 32-bit system zone, bit 2 capable */
		*v = tb->mask == 0xFFFFFFFFu ? 0x7 : (model >= CPU_68020 ? 0x4 : 0);
		return true;
	case OSTYPE('o', 's', 't', 't'):
		*v = OS_TRAP_TABLE;
		return true;
	case OSTYPE('t', 'b', 't', 't'):
		*v = TOOLBOX_TRAP_TABLE;
		return true;
	case OSTYPE('x', 't', 't', 't'):
		*v = 0;
		return true;
	/* vm68k's own selectors (mixed case, as third-party ones are): the
	 * pager's counters, so a guest program can measure its own paging
	 * (examples/report.h; vm68k(1), GESTALT). Low 32 bits. */
	case OSTYPE('V', 'M', 'p', 'i'):
		*v = (uint32_t)s.page_ins;
		return true;
	case OSTYPE('V', 'M', 'z', 'f'):
		*v = (uint32_t)s.zero_fills;
		return true;
	case OSTYPE('V', 'M', 'p', 'o'):
		*v = (uint32_t)s.page_outs;
		return true;
	case OSTYPE('V', 'M', 'f', 'l'):
		*v = (uint32_t)s.faults;
		return true;
	default:
		return false;
	}
}

enum { gestaltDupSelectorErr = -5552 };

static int gestalt_proc_index(struct toolbox *tb, uint32_t sel)
{
	for (unsigned i = 0; i < tb->ngestalt_procs; i++)
		if (tb->gestalt_procs[i].selector == sel)
			return (int)i;
	return -1;
}

static void set_d0_cc(struct cpu *c, int16_t r)
{
	c->d[0] = (uint32_t)(int32_t)r;
	c->sr = (uint16_t)((c->sr & ~(SR_N | SR_Z | SR_V | SR_C)) | (r < 0 ? SR_N : 0) |
			   (r == 0 ? SR_Z : 0));
}

/* A 68K Gestalt function (Pascal: FUNCTION f(selector: OSType; VAR
 * response: LONGINT): OSErr) answers: call it with the ROM's Gestalt
 * return stub as its return address; the frame under its parameters holds
 * the response, the registers an OS trap keeps, and the caller's PC. */
enum { GF_RESPONSE = 0, GF_SAVED = 4, GF_PC = 20, GF_SIZE = 24 };
static void call_gestalt_proc(struct toolbox *tb, gaddr proc, uint32_t sel)
{
	struct cpu *c = &tb->cpu;
	gaddr f = c->a[7] - GF_SIZE;
	wr32(tb, f + GF_RESPONSE, 0);
	for (int i = 0; i < 4; i++)
		wr32(tb, f + GF_SAVED + 4 * i, tb->os_saved[i]);
	wr32(tb, f + GF_PC, c->pc);
	gaddr sp = f - 2; /* room for the OSErr */
	wr16(tb, sp, 0);
	sp -= 4;
	wr32(tb, sp, sel); /* gestaltSelector */
	sp -= 4;
	wr32(tb, sp, f + GF_RESPONSE); /* VAR gestaltResponse */
	sp -= 4;
	wr32(tb, sp, tb->stub_gestalt_return);
	c->a[7] = sp;
	c->pc = proc;
}

void tb_gestalt_return(struct toolbox *tb)
{
	struct cpu *c = &tb->cpu;
	gaddr sp = c->a[7]; /* the function popped its parameters: the OSErr is on top */
	int16_t r = (int16_t)rd16(tb, sp);
	gaddr f = sp + 2;
	c->a[0] = rd32(tb, f + GF_RESPONSE);
	c->d[1] = rd32(tb, f + GF_SAVED);
	c->d[2] = rd32(tb, f + GF_SAVED + 4);
	c->a[1] = rd32(tb, f + GF_SAVED + 8);
	c->a[2] = rd32(tb, f + GF_SAVED + 12);
	c->pc = rd32(tb, f + GF_PC);
	c->a[7] = f + GF_SIZE;
	set_d0_cc(c, r);
}

/* The ROM's Gestalt function for vm68k's own selectors, reached as 68K
 * code: what ReplaceGestalt hands back and GetGestaltProcPtr returns for a
 * built-in selector, so a replacement can call through to it. Pascal
 * FUNCTION (selector: OSType; VAR response: LONGINT): OSErr; it answers
 * the selector it is given, pops its parameters and returns. */
void tb_gestalt_builtin(struct toolbox *tb)
{
	struct cpu *c = &tb->cpu;
	gaddr sp = c->a[7];
	gaddr ret = rd32(tb, sp);
	gaddr resp = rd32(tb, sp + 4);
	uint32_t sel = rd32(tb, sp + 8);
	uint32_t v;
	int16_t r = gestaltUndefSelectorErr;
	if (gestalt_value(tb, sel, &v)) {
		wr32(tb, resp, v);
		r = 0;
	}
	wr16(tb, sp + 12, (uint16_t)r);
	c->a[7] = sp + 12;
	c->pc = ret;
}

/* _Gestalt ($A1AD): D0 selector -> D0 result, A0 response. The flag bits
 * make the other calls: $A3AD NewGestalt and $A5AD ReplaceGestalt (D0
 * selector, A0 the 68K function; ReplaceGestalt returns the old one in A0),
 * $A7AD GetGestaltProcPtr. Selectors vm68k answers itself are answered
 * by one function in the ROM (tb_gestalt_builtin), so they can be replaced
 * and chained like any other. */
NATIVE(Gestalt)
{
	struct cpu *c = &tb->cpu;
	uint32_t sel = c->d[0];
	int i = gestalt_proc_index(tb, sel);
	uint32_t v;
	switch (call->word & 0x0600) {
	case 0x0000:
		if (i >= 0) {
			call_gestalt_proc(tb, tb->gestalt_procs[i].proc, sel);
		} else if (gestalt_value(tb, sel, &v)) {
			c->a[0] = v;
			c->d[0] = 0;
		} else {
			c->d[0] = (uint32_t)gestaltUndefSelectorErr;
		}
		return;
	case 0x0200: /* NewGestalt */
		if (i >= 0 || gestalt_value(tb, sel, &v)) {
			c->d[0] = (uint32_t)gestaltDupSelectorErr;
		} else if (tb->ngestalt_procs ==
			   sizeof tb->gestalt_procs / sizeof tb->gestalt_procs[0]) {
			c->d[0] = (uint32_t)(int32_t)-108; /* memFullErr */
		} else {
			tb->gestalt_procs[tb->ngestalt_procs].selector = sel;
			tb->gestalt_procs[tb->ngestalt_procs++].proc = c->a[0];
			c->d[0] = 0;
		}
		return;
	case 0x0400: /* ReplaceGestalt */
		if (i >= 0) {
			gaddr old = tb->gestalt_procs[i].proc;
			tb->gestalt_procs[i].proc = c->a[0];
			c->a[0] = old;
			c->d[0] = 0;
			return;
		}
		if (!gestalt_value(tb, sel, &v)) {
			c->d[0] = (uint32_t)gestaltUndefSelectorErr;
		} else if (tb->ngestalt_procs ==
			   sizeof tb->gestalt_procs / sizeof tb->gestalt_procs[0]) {
			c->d[0] = (uint32_t)(int32_t)-108; /* memFullErr */
		} else {
			/* A built-in selector: from now on the 68K function answers;
			 * the old one is the ROM's, which it may call through to. */
			tb->gestalt_procs[tb->ngestalt_procs].selector = sel;
			tb->gestalt_procs[tb->ngestalt_procs++].proc = c->a[0];
			c->a[0] = tb->stub_gestalt_builtin;
			c->d[0] = 0;
		}
		return;
	default: /* GetGestaltProcPtr: D0 selector -> A0 the function, D0 result */
		if (i >= 0) {
			c->a[0] = tb->gestalt_procs[i].proc;
			c->d[0] = 0;
		} else if (gestalt_value(tb, sel, &v)) {
			c->a[0] = tb->stub_gestalt_builtin;
			c->d[0] = 0;
		} else {
			c->d[0] = (uint32_t)gestaltUndefSelectorErr;
		}
		return;
	}
}

/* _HWPriv: the cache selectors (0 and 2 swap, 1 and 3 flush, 9 flushes a
 * code range) are correct as no-ops: the interpreter models no cache and keeps no decoded
 * copy of guest code (guest/guest.h has nothing to invalidate). */
NATIVE(HWPriv)
{
	struct cpu *c = &tb->cpu;
	int32_t sel = (int32_t)c->d[0];
	switch (sel) {
	case 0: /* SwapInstructionCache: D0 in = on/off, out = the old state */
	case 2: /* SwapDataCache */
		c->d[0] = 1; /* "was on": nothing to turn off */
		return;
	case 1: /* FlushInstructionCache */
	case 3: /* FlushDataCache */
	case 9: /* FlushCodeCacheRange (A0 address, A1 count) */
		c->d[0] = 0;
		return;
	}
	tb_bad_selector(tb, call, sel);
}

/* ---- Privileged instructions in user mode (VM on, System 7 style) ---- */

/* The privilege violation frame is at frame (PC = the instruction). Emulates
 * MOVE from SR to Dn, MOVE to SR from Dn or #imm, MOVE to/from USP, and ORI/ANDI/EORI to SR
 * on the stacked SR (the S bit stays clear: the application stays in user
 * mode; only the condition codes and the interrupt mask change), then
 * returns to the application. Returns false if the instruction is not one
 * of these. */
bool tb_emulate_privileged(struct toolbox *tb, gaddr frame);
bool tb_emulate_privileged(struct toolbox *tb, gaddr frame)
{
	struct cpu *c = &tb->cpu;
	uint16_t sr = (uint16_t)rd16(tb, frame);
	gaddr pc = rd32(tb, frame + 2);
	if (sr & SR_S)
		return false; /* a supervisor's own violation is not ours to hide */
	uint16_t op = (uint16_t)rd16(tb, pc);
	uint16_t keep = SR_S | SR_M | SR_T0 | SR_T1, nsr = sr;
	unsigned len = 2;
	if ((op & 0xFFF8) == 0x40C0) { /* MOVE SR,Dn */
		c->d[op & 7] = (c->d[op & 7] & 0xFFFF0000u) | sr;
	} else if ((op & 0xFFF8) == 0x46C0) { /* MOVE Dn,SR */
		nsr = (uint16_t)((sr & keep) | ((uint16_t)c->d[op & 7] & ~keep));
	} else if (op == 0x46FC) { /* MOVE #imm,SR */
		nsr = (uint16_t)((sr & keep) | ((uint16_t)rd16(tb, pc + 2) & ~keep));
		len = 4;
	} else if (op == 0x007C) { /* ORI #imm,SR */
		nsr = (uint16_t)((sr | rd16(tb, pc + 2)) & ~keep) | (sr & keep);
		len = 4;
	} else if (op == 0x027C) { /* ANDI #imm,SR */
		nsr = (uint16_t)((sr & rd16(tb, pc + 2)) & ~keep) | (sr & keep);
		len = 4;
	} else if (op == 0x0A7C) { /* EORI #imm,SR */
		nsr = (uint16_t)((sr ^ rd16(tb, pc + 2)) & ~keep) | (sr & keep);
		len = 4;
	} else if ((op & 0xFFF0) == 0x4E60) { /* MOVE An,USP / MOVE USP,An: the
						 application's own stack pointer */
		unsigned n = op & 7;
		if (op & 8) {
			if (n != 7) /* MOVE USP,A7 in user mode changes nothing */
				c->a[n] = cpu_usp(c);
		} else if (n != 7) {
			cpu_set_usp(c, c->a[n]);
		}
	} else {
		return false;
	}
	tb->privileged_emulated++;
	if (tb->cfg.event)
		tb->cfg.event(tb->cfg.ctx, TOOLBOX_EV_PRIVILEGED, pc, pc);
	c->a[7] = frame + (c->model == CPU_68000 ? 6 : 8);
	c->pc = pc + len;
	cpu_set_sr(c, nsr);
	return true;
}
