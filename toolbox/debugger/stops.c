/* The messages of a stop by exception, in the words of the Technote
 * "Virtual Memory Application Compatibility" (Things to Do in MacsBug When
 * You're Dead): the three bus error forms, read-only memory, a fatal page
 * fault and why, and where the $B008 / $7008 frame lies. */
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

/* ---- the messages of a stop by exception ---- */

unsigned dbg_frame_size(struct toolbox *tb, gaddr frame, unsigned vec)
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

/* The Technote's test for a double page fault: another bus error frame
 * ($B008 on the 020/030, $7008 on the 040) deeper in the supervisor stack,
 * recognized by its format word and a sensible saved SR. */
static bool earlier_bus_frame(struct dbg *d, gaddr frame, gaddr *out)
{
	struct toolbox *tb = d->tb;
	if (tb->cpu.model == CPU_68000 || tb->cpu.model == CPU_68010)
		return false;
	uint16_t want = tb->cpu.model == CPU_68040 ? 0x7008 : 0xB008;
	/* The machine's supervisor stack, or a page of whatever stack the guest
	 * switched to. */
	gaddr top = frame < SUPERVISOR_STACK_TOP ? SUPERVISOR_STACK_TOP : frame + 0x1000;
	for (gaddr f = frame + dbg_frame_size(tb, frame, 2); f + 8 <= top; f += 2) {
		uint8_t b[8];
		if (!dbg_peek(d, f, b, 8))
			return false;
		uint16_t sr = (uint16_t)(b[0] << 8 | b[1]);
		if ((uint16_t)(b[6] << 8 | b[7]) == want && (sr & 0x08E0) == 0) {
			*out = f;
			return true;
		}
	}
	return false;
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
			 !strcmp(size, "byte")	 ? 2
			 : !strcmp(size, "word") ? 4
						 : 8,
			 data);
	else
		snprintf(out, len, "while writing %s", size);
}

void dbg_bus_error_message(struct dbg *d, gaddr frame, char *why, size_t len)
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
		n = snprintf(why, len,
			     "Bus Error accessing %08X at PC %08X\nUnable to access that address",
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
		gaddr first;
		if (n > 0 && (size_t)n < len && earlier_bus_frame(d, frame, &first)) {
			bool f_fetch, f_write;
			uint16_t f_sr;
			decode_bus_frame(tb, first, &f_fetch, &f_write, &f_sr);
			unsigned fmt = rd16(tb, first + 6) >> 12;
			gaddr f_addr = fmt == 0x7 ? rd32(tb, first + 0x14)
						  : rd32(tb, first + (f_fetch ? 0x24 : 0x10));
			n += snprintf(
			    why + n, len - (size_t)n,
			    "\nDouble page fault: the first one's frame ($%04X) is at %08X: "
			    "PC %08X %s %08X, SR %04X",
			    rd16(tb, first + 6), first, rd32(tb, first + 2),
			    f_write ? "writing" : "accessing", f_addr, f_sr);
		} else if (n > 0 && (size_t)n < len && (sr & SR_S)) {
			n += snprintf(why + n, len - (size_t)n,
				      "\nNo earlier bus error frame on the supervisor stack: not a "
				      "double page fault");
		}
	} else if (!tb->fault_read_only && pager_region_at(tb->pager, addr) < 0) {
		n += snprintf(why + n, len - (size_t)n, "\n(%08X is not in RAM or ROM)", addr);
	}
	if (n > 0 && (size_t)n < len)
		snprintf(why + n, len - (size_t)n,
			 "\nBus error exception frame (format $%X, %04X) at SP %08X; saved SR %04X",
			 tb->cpu.model == CPU_68000 ? 0 : rd16(tb, frame + 6) >> 12,
			 tb->cpu.model == CPU_68000 ? 0 : rd16(tb, frame + 6), frame, sr);
}
