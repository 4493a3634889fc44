/* The debugger's display commands, in MacsBug's output forms: registers
 * (td), memory (dm/dw/dl), disassembly (il), where an address is (wh), the
 * heap (hz, hd, hc), the A6 stack crawl (sc) and the VMDump dcmd. */
#include "config.h"

#include "toolbox/debugger/debugger.h"
#include "toolbox/resmap.h"
#include "toolbox/tb.h"

#include <stdio.h>
#include <string.h>

#define CODE_TYPE 0x434F4445u

static const char *const model_names[] = {"68000", "68010", "68020", "68030", "68040"};

/* SR as MacsBug shows it: trace, Supervisor, Master (capital when set),
 * the interrupt level, then xnzvc. */
static void sr_flags(uint16_t sr, char *out)
{
	out[0] = sr & (SR_T1 | SR_T0) ? 'T' : 't';
	out[1] = sr & SR_S ? 'S' : 's';
	out[2] = sr & SR_M ? 'M' : 'm';
	out[3] = (char)('0' + ((sr >> 8) & 7));
	out[4] = ' ';
	out[5] = sr & SR_X ? 'X' : 'x';
	out[6] = sr & SR_N ? 'N' : 'n';
	out[7] = sr & SR_Z ? 'Z' : 'z';
	out[8] = sr & SR_V ? 'V' : 'v';
	out[9] = sr & SR_C ? 'C' : 'c';
	out[10] = '\0';
}

void dbg_cmd_td(struct dbg *d)
{
	struct toolbox *tb = dbg_toolbox(d);
	struct cpu *c = &tb->cpu;
	char f[12];
	sr_flags(c->sr, f);
	dbg_printf(d, " %s Registers                      %s\n", model_names[c->model],
		   pager_vm_state_name(pager_vm_state(tb->pager)));
	static const char *const extra[8] = {"USP", "SSP", "MSP", "VBR", "SFC", "DFC", "CACR", ""};
	uint32_t ev[8] = {cpu_usp(c), cpu_ssp(c), cpu_msp(c), c->vbr, c->sfc, c->dfc, c->cacr, 0};
	for (int i = 0; i < 8; i++) {
		dbg_printf(d, " D%d = %08X   A%d = %08X", i, c->d[i], i, c->a[i]);
		if (extra[i][0])
			dbg_printf(d, "   %-4s = %08X", extra[i], ev[i]);
		dbg_printf(d, "\n");
	}
	dbg_printf(d, " PC = %08X   SR = %04X  %s   VM state %s\n", c->pc, c->sr, f,
		   pager_vm_state_name(pager_vm_state(tb->pager)));
}

void dbg_cmd_dm(struct dbg *d, gaddr a, uint32_t n, unsigned unit)
{
	if (n == 0)
		n = 16;
	if (n > 4096)
		n = 4096;
	for (uint32_t off = 0; off < n; off += 16) {
		uint8_t b[16];
		uint32_t len = n - off < 16 ? n - off : 16;
		if (!dbg_peek(d, a + off, b, len)) {
			dbg_printf(d, " %08X  Bus Error: not in RAM or ROM\n", a + off);
			return;
		}
		dbg_printf(d, " %08X ", a + off);
		for (uint32_t i = 0; i < 16; i++) {
			if (i % unit == 0)
				dbg_printf(d, " ");
			if (i < len)
				dbg_printf(d, "%02X", b[i]);
			else
				dbg_printf(d, "  ");
		}
		dbg_printf(d, "  ");
		for (uint32_t i = 0; i < len; i++)
			dbg_printf(d, "%c", b[i] >= 0x20 && b[i] < 0x7F ? b[i] : '.');
		dbg_printf(d, "\n");
	}
}

void dbg_cmd_il(struct dbg *d, gaddr a, unsigned n)
{
	if (n == 0)
		n = 8;
	for (unsigned i = 0; i < n; i++) {
		char text[128];
		unsigned len = dbg_disasm(d, a, text, sizeof text);
		dbg_printf(d, " %08X   %s%s\n", a, a == dbg_toolbox(d)->cpu.pc ? "*" : " ", text);
		a += len;
	}
}

/* The CODE segment holding a, from the Segment Loader's handles. */
static bool code_segment(struct toolbox *tb, gaddr a, unsigned *seg, gaddr *start)
{
	for (unsigned n = 1; n < SEGMENTS_MAX; n++) {
		if (tb->seg[n] == 0)
			continue;
		gaddr p = rd32(tb, tb->seg[n]) & (tb->mm.addr32 ? 0xFFFFFFFFu : 0x00FFFFFFu);
		int32_t size = GetHandleSize(&tb->mm, tb->seg[n]);
		if (p != 0 && size > 0 && a >= p && a < p + (uint32_t)size) {
			*seg = n;
			*start = p;
			return true;
		}
	}
	return false;
}

void dbg_where(struct dbg *d, gaddr a, char *buf, size_t len)
{
	struct toolbox *tb = dbg_toolbox(d);
	int r = pager_region_at(tb->pager, a);
	if (r < 0) {
		snprintf(buf, len, "Address %08X is not in RAM or ROM", a);
		return;
	}
	struct pager_region_info ri;
	pager_region_info(tb->pager, r, &ri);
	gaddr masked = a & tb->mask;
	unsigned seg;
	gaddr start;
	char blk[160];
	gaddr h;
	if (code_segment(tb, masked, &seg, &start)) {
		snprintf(buf, len, "Address %08X is in CODE %u + %05X (segment at %08X)", a, seg,
			 masked - start, start);
	} else if (r == 0 &&
		   (dbg_heap_block(&tb->mm, SystemZone(&tb->mm), masked, blk, sizeof blk, &h) ||
		    dbg_heap_block(&tb->mm, ApplicationZone(&tb->mm), masked, blk, sizeof blk,
				   &h))) {
		/* A resource's block: its type, ID and name, from the maps. */
		char res[300];
		if (h && rm_describe_handle(tb, h, res, sizeof res))
			snprintf(buf, len, "Address %08X is %s, %s", a, blk, res);
		else
			snprintf(buf, len, "Address %08X is %s", a, blk);
	} else if (r == 0 && masked < 0x100) {
		snprintf(buf, len, "Address %08X is in the exception vectors (low memory)", a);
	} else if (r == 0 && masked < SYSTEM_HEAP) {
		const char *name = NULL;
		for (unsigned i = 0; i < lowmem_global_count; i++)
			if (masked >= lowmem_globals[i].addr &&
			    masked < (gaddr)lowmem_globals[i].addr + lowmem_globals[i].size)
				name = lowmem_globals[i].name;
		if (name)
			snprintf(buf, len, "Address %08X is in low memory: %s", a, name);
		else if (masked >= OS_TRAP_TABLE && masked < OS_TRAP_TABLE + 0x400)
			snprintf(buf, len, "Address %08X is in low memory: the OS trap table", a);
		else if (masked >= TOOLBOX_TRAP_TABLE && masked < TOOLBOX_TRAP_TABLE + 0x1000)
			snprintf(buf, len, "Address %08X is in low memory: the Toolbox trap table",
				 a);
		else if (masked >= 0x2000)
			snprintf(buf, len, "Address %08X is in the supervisor stack", a);
		else
			snprintf(buf, len, "Address %08X is in low memory", a);
	} else if (r == 0 && masked >= rd32(tb, ApplLimit) && masked < rd32(tb, CurStackBase)) {
		snprintf(buf, len, "Address %08X is in the application stack (%X below its base)",
			 a, rd32(tb, CurStackBase) - masked);
	} else if (r == 0 && masked >= tb->a5 - tb->c0.below_a5 && masked < tb->a5) {
		snprintf(buf, len, "Address %08X is in the application globals (A5-%X)", a,
			 tb->a5 - masked);
	} else if (r == 0 && masked >= tb->a5 && masked < tb->a5 + tb->c0.above_a5) {
		snprintf(buf, len, "Address %08X is in the jump table / parameters (A5+%X)", a,
			 masked - tb->a5);
	} else if (a >= tb->rd_base && a < tb->rd_base + trap_desc_count * RD_SIZE) {
		const struct trap_desc *t = &trap_descs[(a - tb->rd_base) / RD_SIZE];
		snprintf(buf, len, "Address %08X is in %s + %05X (routine descriptor of _%s)", a,
			 ri.name, masked - ri.base, t->name);
	} else {
		snprintf(buf, len, "Address %08X is in %s + %05X", a, ri.name, masked - ri.base);
	}
}

void dbg_cmd_wh(struct dbg *d, gaddr a)
{
	char buf[256];
	dbg_where(d, a, buf, sizeof buf);
	dbg_printf(d, "%s\n", buf);
	/* For logical RAM, the page's VM state: a bus error on a valid
	 * address whose page is not resident was a fatal page fault. */
	struct pager_page_state s;
	if (pager_page_state(dbg_toolbox(d)->pager, a, &s) == noErr)
		dbg_printf(d, " page %X: %s%s, held %u, locked %u%s\n", a / PAGER_PAGE_SIZE,
			   s.resident ? "resident" : "not resident",
			   s.resident && s.dirty ? " dirty" : "", s.hold_count, s.lock_count,
			   s.watched ? ", watched" : "");
}

void dbg_cmd_hz(struct dbg *d)
{
	struct mm *m = &dbg_toolbox(d)->mm;
	gaddr zones[2] = {SystemZone(m), ApplicationZone(m)};
	const char *names[2] = {"System heap", "Application heap"};
	dbg_printf(d, " Heap zones\n");
	for (int i = 0; i < 2; i++) {
		gaddr s, e;
		mm_zone_extent(m, zones[i], &s, &e);
		dbg_printf(d, "  %08X  %-16s  %08X-%08X  %X bytes%s\n", zones[i], names[i], s, e,
			   e - s, zones[i] == GetZone(m) ? "  (current zone)" : "");
	}
}

static char dump_buf[128 * 1024];

void dbg_cmd_hd(struct dbg *d)
{
	struct mm *m = &dbg_toolbox(d)->mm;
	gaddr zones[2] = {SystemZone(m), ApplicationZone(m)};
	for (int i = 0; i < 2; i++) {
		FILE *f = fmemopen(dump_buf, sizeof dump_buf - 1, "w");
		if (f == NULL) {
			dbg_printf(d, "hd: no memory for the dump\n");
			return;
		}
		mm_dump_zone(m, zones[i], f);
		long n = ftell(f);
		fclose(f);
		dump_buf[n < 0 ? 0 : n] = '\0';
		dbg_printf(d, "%s", dump_buf);
	}
}

void dbg_cmd_hc(struct dbg *d)
{
	struct mm *m = &dbg_toolbox(d)->mm;
	gaddr zones[2] = {SystemZone(m), ApplicationZone(m)};
	bool ok = true;
	for (int i = 0; i < 2; i++) {
		char why[200];
		if (!mm_check_zone(m, zones[i], why, sizeof why)) {
			dbg_printf(d, "Heap check of zone %08X failed: %s\n", zones[i], why);
			ok = false;
		}
	}
	if (ok)
		dbg_printf(d, "The heaps check out OK (zones %08X and %08X)\n", zones[0], zones[1]);
}

void dbg_cmd_sc(struct dbg *d)
{
	struct cpu *c = &dbg_toolbox(d)->cpu;
	dbg_printf(d, " Calling chain using A6 links\n  A6 Frame   Caller\n");
	gaddr a6 = c->a[6];
	for (int i = 0; i < 64 && a6 != 0; i++) {
		uint8_t b[8];
		if ((a6 & 1) || !dbg_peek(d, a6, b, 8)) {
			dbg_printf(d, "  %08X   (not a valid frame: crawl stopped)\n", a6);
			return;
		}
		gaddr next = (gaddr)b[0] << 24 | (gaddr)b[1] << 16 | (gaddr)b[2] << 8 | b[3];
		gaddr ret = (gaddr)b[4] << 24 | (gaddr)b[5] << 16 | (gaddr)b[6] << 8 | b[7];
		char where[256];
		dbg_where(d, ret, where, sizeof where);
		/* "Address XXXXXXXX is ..." : keep what follows "is ". */
		const char *is = strstr(where, " is ");
		dbg_printf(d, "  %08X   %08X  %s\n", a6, ret, is ? is + 4 : where);
		if (next <= a6)
			break; /* frames link upwards; anything else ends the chain */
		a6 = next;
	}
}

void dbg_cmd_vmdump(struct dbg *d, gaddr from, uint32_t pages)
{
	struct toolbox *tb = dbg_toolbox(d);
	struct pager_stats st;
	pager_get_stats(tb->pager, &st);
	struct pager_region_info ram;
	pager_region_info(tb->pager, 0, &ram);
	uint32_t npages = ram.size / PAGER_PAGE_SIZE;
	dbg_printf(d,
		   " VMDump  state %s  logical pages %u  frames %u  resident %u  held %u  "
		   "locked %u  watched %u\n",
		   pager_vm_state_name(pager_vm_state(tb->pager)), npages, st.frames, st.resident,
		   st.held, st.locked, st.watched);
	dbg_printf(d, " Page  Address   State     Dirty Ref Held Lock Watch  Slot   Frame\n");
	uint32_t first = from / PAGER_PAGE_SIZE, shown = 0, skipped = 0;
	uint32_t last = pages ? first + pages : npages;
	if (last > npages)
		last = npages;
	for (uint32_t i = first; i < last; i++) {
		struct pager_page_state s;
		if (pager_page_state(tb->pager, i * PAGER_PAGE_SIZE, &s) != noErr)
			break;
		/* Without a range, pages never touched (not resident, no copy in
		 * the backing store) are counted rather than listed. */
		if (!pages && !s.resident && !s.in_backing_store) {
			skipped++;
			continue;
		}
		char frame[12];
		if (s.frame >= 0)
			snprintf(frame, sizeof frame, "%5d", s.frame);
		else
			snprintf(frame, sizeof frame, "    -");
		dbg_printf(d, " %4X  %08X  %-9s %-5s %-3s %4u %4u %-5s  %5u  %s\n", i,
			   i * PAGER_PAGE_SIZE,
			   s.resident		? "resident"
			   : s.in_backing_store ? "paged out"
						: "untouched",
			   s.dirty ? "dirty" : "-", s.referenced ? "ref" : "-", s.hold_count,
			   s.lock_count, s.watched ? "watch" : "-", s.backing_slot, frame);
		shown++;
	}
	if (skipped)
		dbg_printf(d, " (%u untouched pages not listed)\n", skipped);
	(void)shown;
	/* The other regions are not paged: ROM and file-mapped code stay
	 * mapped read-only from their files, the screen is always resident. */
	for (int r = 1; r < pager_region_count(tb->pager); r++) {
		struct pager_region_info ri;
		pager_region_info(tb->pager, r, &ri);
		static const char *const kinds[] = {"RAM", "screen", "ROM", "file-mapped"};
		dbg_printf(d, " %08X-%08X  %-11s %s%s (%u pages, not paged)\n", ri.base,
			   ri.base + ri.size - 1, kinds[ri.kind], ri.name,
			   ri.read_only ? ", read-only" : "", ri.size / PAGER_PAGE_SIZE);
	}
}
