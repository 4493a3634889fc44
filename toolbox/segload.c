/* The Segment Loader (Inside Macintosh: Processes, ch. 7): the A5 world's
 * jump table from CODE 0, LoadSeg on the first call through an unloaded
 * entry, UnloadSeg, GetAppParms. Each segment is read into a handle in the
 * application heap, locked while loaded; UnloadSeg unlocks it and makes it
 * purgeable, so it may move or be purged before it is loaded again (a
 * purged one is read anew). Near-model segments (4-byte header); the far
 * model (a $FFFF header and 32-bit entries) is recognized and refused with
 * a message, not run. */
#include "config.h"

#include "toolbox/tb.h"

#include <stdio.h>
#include <string.h>

#define CODE_TYPE 0x434F4445u /* 'CODE' */

void tb_copy_out(struct toolbox *tb, gaddr a, const uint8_t *src, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		wr8(tb, a + i, src[i]);
}

void tb_zero(struct toolbox *tb, gaddr a, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		wr8(tb, a + i, 0);
}

/* Checks CODE 0 and copies its jump table to A5 + 32 (the A5 world itself
 * was placed by toolbox/machine.c). */
bool tb_segload_init(struct toolbox *tb, char *err, size_t errlen)
{
	struct resource_info r;
	struct resfork_error re;
	if (!resfork_find(&tb->fork, CODE_TYPE, 0, &r)) {
		snprintf(err, errlen, "no CODE 0 resource: expected an application");
		return false;
	}
	if (!code0_parse(r.data, r.size, &tb->c0, &re)) {
		snprintf(err, errlen, "CODE 0: offset %u: %s", re.offset, re.message);
		return false;
	}
	tb->code0 = r.data;
	bool far = false;
	for (unsigned k = 0; k < tb->c0.entry_count; k++) {
		struct jt_entry e;
		code0_entry(r.data, &tb->c0, k, &far, &e);
		if (e.kind == JT_FAR_FLAG || e.kind == JT_FAR) {
			snprintf(err, errlen,
				 "CODE 0: jump table entry %u is a far-model entry: the far model "
				 "is not supported yet",
				 k);
			return false;
		}
		if (e.kind != JT_NEAR) {
			snprintf(err, errlen,
				 "CODE 0: offset %u: jump table entry %u: expected an unloaded "
				 "near entry (offset, $3F3C, segment, $A9F0)",
				 16 + 8 * k, k);
			return false;
		}
	}
	tb_copy_out(tb, tb->a5 + 32, r.data + 16, tb->c0.jt_size);
	wr16(tb, CurJTOffset, 32);
	return true;
}

/* Jump table entry k in its loaded form (segment, JMP absolute) pointing
 * into the copy at seg_at, or back in CODE 0's unloaded form. */
static void set_entry(struct toolbox *tb, unsigned k, gaddr seg_at)
{
	gaddr e = tb->a5 + 32 + 8 * k;
	const uint8_t *orig = tb->code0 + 16 + 8 * k;
	if (seg_at == 0) {
		tb_copy_out(tb, e, orig, 8);
		return;
	}
	uint32_t offset = (uint32_t)orig[0] << 8 | orig[1];
	wr16(tb, e, (uint32_t)orig[4] << 8 | orig[5]);
	wr16(tb, e + 2, 0x4EF9); /* JMP abs.L */
	wr32(tb, e + 4, seg_at + 4 + offset);
}

static bool segment_header(struct toolbox *tb, unsigned n, struct resource_info *r,
			   struct code_header *h)
{
	struct resfork_error re;
	if (n == 0 || n >= SEGMENTS_MAX || !resfork_find(&tb->fork, CODE_TYPE, (int16_t)n, r)) {
		tb_stop(tb, 4, "System error 15 (dsLoadErr): no CODE %u resource, at PC %08X", n,
			tb->insn_pc);
		return false;
	}
	if (!code_segment_parse(r->data, r->size, h, &re)) {
		tb_stop(tb, 4, "System error 15 (dsLoadErr): CODE %u: offset %u: %s", n, re.offset,
			re.message);
		return false;
	}
	if (h->far) {
		tb_stop(tb, 4, "CODE %u is a far-model segment: not supported yet (PC %08X)", n,
			tb->insn_pc);
		return false;
	}
	if ((uint32_t)h->first_entry + 8u * h->entry_count > tb->c0.jt_size) {
		tb_stop(tb, 4, "System error 15 (dsLoadErr): CODE %u's entries %u..%u are past the jump table",
			n, h->first_entry / 8, h->first_entry / 8 + h->entry_count);
		return false;
	}
	return true;
}

NATIVE(LoadSeg)
{
	unsigned n = (uint16_t)tb_param(tb, call, 1);
	struct resource_info r;
	struct code_header h;
	if (!segment_header(tb, n, &r, &h))
		return;
	struct mm *mm = &tb->mm;
	gaddr zone = GetZone(mm);
	SetZone(mm, ApplicationZone(mm));
	gaddr hd = tb->seg[n];
	bool read = false;
	if (hd == 0) {
		hd = NewHandle(mm, (int32_t)r.size);
		read = hd != 0;
	} else if (StripAddress(mm, rd32(tb, hd)) == 0) {
		read = ReallocateHandle(mm, hd, (int32_t)r.size) == mm_noErr; /* it was purged */
		if (!read)
			hd = 0;
	}
	SetZone(mm, zone);
	if (hd == 0) {
		tb_stop(tb, 4, "System error 25 (dsMemFullErr): no room for CODE %u (%u bytes) at PC %08X",
			n, r.size, tb->insn_pc);
		return;
	}
	tb->seg[n] = hd;
	HNoPurge(mm, hd);
	HLock(mm, hd);
	gaddr at = StripAddress(mm, rd32(tb, hd));
	tb->segment_loads++;
	if (read) {
		tb_copy_out(tb, at, r.data, r.size);
		tb->segment_reads++;
	}
	for (unsigned k = h.first_entry / 8; k < h.first_entry / 8 + h.entry_count; k++)
		set_entry(tb, k, at);
	/* Reached from an unloaded entry (its _LoadSeg word is at entry + 6):
	 * run the entry again, now a JMP into the segment. */
	gaddr jt = tb->a5 + 32;
	if (tb->insn_pc >= jt && tb->insn_pc < jt + tb->c0.jt_size && (tb->insn_pc - jt) % 8 == 6)
		tb->cpu.pc = tb->insn_pc - 4;
}

NATIVE(UnloadSeg)
{
	gaddr routine = tb_param(tb, call, 1);
	gaddr jt = tb->a5 + 32;
	if (routine < jt + 2 || routine >= jt + tb->c0.jt_size || (routine - jt) % 8 != 2) {
		tb_stop(tb, 4, "UnloadSeg(%08X): not a jump table entry (PC %08X)", routine,
			tb->insn_pc);
		return;
	}
	unsigned n = rd16(tb, routine - 2);
	struct resource_info r;
	struct code_header h;
	if (!segment_header(tb, n, &r, &h))
		return;
	if (tb->seg[n] == 0)
		return; /* never loaded: nothing to do, as on a Mac */
	for (unsigned k = h.first_entry / 8; k < h.first_entry / 8 + h.entry_count; k++)
		set_entry(tb, k, 0);
	HUnlock(&tb->mm, tb->seg[n]);
	HPurge(&tb->mm, tb->seg[n]);
}

NATIVE(GetAppParms)
{
	gaddr name = tb_param(tb, call, 1), refnum = tb_param(tb, call, 2),
	      param = tb_param(tb, call, 3);
	unsigned len = rd8(tb, CurApName);
	for (unsigned i = 0; i <= len && i < 32; i++)
		wr8(tb, name + i, rd8(tb, CurApName + i));
	wr16(tb, refnum, rd16(tb, CurApRefNum));
	wr32(tb, param, rd32(tb, AppParmHandle));
}
