/* The Segment Loader (Inside Macintosh: Processes, ch. 7): the A5 world's
 * jump table from CODE 0, LoadSeg on the first call through an unloaded
 * entry, UnloadSeg, GetAppParms. Each segment is read into a handle in the
 * application heap, locked while loaded; UnloadSeg unlocks it and makes it
 * purgeable, so it may move or be purged before it is loaded again (a
 * purged one is read anew). Near-model segments (4-byte header) and far-model
 * ones (Inside Macintosh: Mac OS Runtime Architectures, ch. 10: a $FFFF
 * 40-byte header, A5 and segment relocation information applied at each
 * load, far jump table entries with 32-bit offsets from the segment's start
 * after the $0000 $FFFF $0000 $0000 flag entry). */
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
		if (e.kind == JT_UNRECOGNIZED) {
			snprintf(err, errlen,
				 "CODE 0: offset %u: jump table entry %u: expected an unloaded "
				 "entry (near: offset, $3F3C, segment, $A9F0; far: segment, $A9F0, "
				 "offset)",
				 16 + 8 * k, k);
			return false;
		}
		if (k == 0 && e.kind != JT_NEAR) {
			snprintf(err, errlen,
				 "CODE 0: offset 16: jump table entry 0 must be a near entry (the "
				 "application's start)");
			return false;
		}
	}
	tb_copy_out(tb, tb->a5 + 32, r.data + 16, tb->c0.jt_size);
	wr16(tb, CurJTOffset, 32);
	return true;
}

/* Jump table entry k in its loaded form (segment, JMP absolute) pointing
 * into the copy at seg_at, or back in CODE 0's unloaded form. Near entries
 * of near segments count their offset after the 4-byte header; far entries
 * (and entries of far segments) from the segment's start. */
static void set_entry(struct toolbox *tb, unsigned k, gaddr seg_at, bool far_segment)
{
	gaddr e = tb->a5 + 32 + 8 * k;
	const uint8_t *orig = tb->code0 + 16 + 8 * k;
	if (seg_at == 0) {
		tb_copy_out(tb, e, orig, 8);
		return;
	}
	uint32_t seg, target;
	if (orig[2] == 0xA9 && orig[3] == 0xF0) { /* far: segment, _LoadSeg, offset.L */
		seg = (uint32_t)orig[0] << 8 | orig[1];
		target = seg_at + ((uint32_t)orig[4] << 24 | (uint32_t)orig[5] << 16 |
				   (uint32_t)orig[6] << 8 | orig[7]);
	} else { /* near: offset, MOVE.W #segment,-(SP), _LoadSeg */
		seg = (uint32_t)orig[4] << 8 | orig[5];
		target = seg_at + (far_segment ? 0 : 4) + ((uint32_t)orig[0] << 8 | orig[1]);
	}
	wr16(tb, e, seg);
	wr16(tb, e + 2, 0x4EF9); /* JMP abs.L */
	wr32(tb, e + 4, target);
}

/* The jump table entries of a segment: [first, first + count) twice over
 * (near and far entries; the far ones are empty for a near segment). */
struct entry_ranges {
	unsigned first[2], count[2];
};

static void entries_of(const struct code_header *h, struct entry_ranges *er)
{
	if (!h->far) {
		er->first[0] = h->first_entry / 8;
		er->count[0] = h->entry_count;
		er->first[1] = er->count[1] = 0;
		return;
	}
	/* The far header gives A5 offsets: the jump table starts at A5 + 32. */
	er->first[0] = (h->near_entry_offset - 32) / 8;
	er->count[0] = h->near_entry_count;
	er->first[1] = (h->far_entry_offset - 32) / 8;
	er->count[1] = h->far_entry_count;
}

static void set_entries(struct toolbox *tb, const struct code_header *h, gaddr seg_at)
{
	struct entry_ranges er;
	entries_of(h, &er);
	for (int i = 0; i < 2; i++)
		for (unsigned k = er.first[i]; k < er.first[i] + er.count[i]; k++)
			set_entry(tb, k, seg_at, h->far);
}

/* Adds delta to each longword the compressed relocation list at offset
 * `list` of the segment at seg_at names (Runtime Architectures, "Relocation
 * Information Format": offsets between longwords, halved; one byte
 * 0bbbbbbb, two bytes 1bbbbbbb bbbbbbbb, or five 00000000 1bbbbbbb ...;
 * 00000000 00000000 ends it). Returns false if it runs off the segment. */
static bool relocate(struct toolbox *tb, gaddr seg_at, uint32_t size, uint32_t list, uint32_t delta)
{
	uint32_t at = list, where = 0;
	for (;;) {
		if (at + 2 > size)
			return false;
		uint32_t b0 = rd8(tb, seg_at + at), b1 = rd8(tb, seg_at + at + 1), step;
		if (b0 == 0 && b1 == 0)
			return true;
		if (b0 == 0) {
			if (at + 5 > size || !(b1 & 0x80))
				return false;
			step = ((b1 & 0x7F) << 24 | rd8(tb, seg_at + at + 2) << 16 |
				rd8(tb, seg_at + at + 3) << 8 | rd8(tb, seg_at + at + 4)) *
			       2;
			at += 5;
		} else if (b0 & 0x80) {
			step = ((b0 & 0x7F) << 8 | b1) * 2;
			at += 2;
		} else {
			step = b0 * 2;
			at += 1;
		}
		where += step;
		if (where < step || where + 4 > size)
			return false;
		if (delta)
			wr32(tb, seg_at + where, rd32(tb, seg_at + where) + delta);
	}
}

/* A far segment at seg_at: its A5 and its own address as the header says
 * they were, brought to what they are now (also after a move). */
static bool relocate_far(struct toolbox *tb, unsigned n, gaddr seg_at, uint32_t size,
			 const struct code_header *h)
{
	uint32_t old_a5 = rd32(tb, seg_at + 0x18), old_at = rd32(tb, seg_at + 0x20);
	if (!relocate(tb, seg_at, size, h->a5_reloc_offset, tb->a5 - old_a5) ||
	    !relocate(tb, seg_at, size, h->seg_reloc_offset, seg_at - old_at)) {
		tb_stop(tb, 4,
			"System error 15 (dsLoadErr): CODE %u: relocation information runs past "
			"the segment",
			n);
		return false;
	}
	wr32(tb, seg_at + 0x18, tb->a5);
	wr32(tb, seg_at + 0x20, seg_at);
	return true;
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
	struct entry_ranges er;
	entries_of(h, &er);
	for (int i = 0; i < 2; i++)
		if ((uint64_t)er.first[i] * 8 + (uint64_t)er.count[i] * 8 > tb->c0.jt_size ||
		    (h->far && er.count[i] &&
		     (i == 0 ? h->near_entry_offset : h->far_entry_offset) < 32)) {
			tb_stop(tb, 4,
				"System error 15 (dsLoadErr): CODE %u's jump table entries are "
				"past the jump table",
				n);
			return false;
		}
	return true;
}

NATIVE(LoadSeg)
{
	gaddr jt = tb->a5 + 32;
	bool in_jt = tb->insn_pc >= jt && tb->insn_pc < jt + tb->c0.jt_size;
	unsigned n;
	if (in_jt && (tb->insn_pc - jt) % 8 == 2) {
		/* An unloaded far entry: segment, _LoadSeg, offset. Nothing was
		 * pushed: the number is the entry's first word. */
		n = rd16(tb, tb->insn_pc - 2);
		tb->cpu.a[7] -= call->popped;
	} else {
		n = (uint16_t)tb_param(tb, call, 1);
	}
	struct resource_info r;
	struct code_header h;
	if (!segment_header(tb, n, &r, &h))
		return;
	struct mm *mm = &tb->mm;
	/* The Resource Manager reads the segment (again, if it was purged)
	 * from the application's resource file. */
	bool read = false;
	gaddr hd = rm_load_code(tb, (int16_t)n, &read);
	if (hd == 0) {
		int16_t e = (int16_t)rd16(tb, ResErr);
		if (e == memFullErr)
			tb_stop(tb, 4,
				"System error 25 (dsMemFullErr): no room for CODE %u (%u bytes) at "
				"PC %08X",
				n, r.size, tb->insn_pc);
		else
			tb_stop(tb, 4,
				"System error 15 (dsLoadErr): CODE %u: Resource Manager error %d at "
				"PC %08X",
				n, e, tb->insn_pc);
		return;
	}
	tb->seg[n] = hd;
	HNoPurge(mm, hd);
	HLock(mm, hd);
	gaddr at = StripAddress(mm, rd32(tb, hd));
	tb->segment_loads++;
	if (read)
		tb->segment_reads++;
	if (h.far && !relocate_far(tb, n, at, r.size, &h))
		return;
	set_entries(tb, &h, at);
	/* Reached from an unloaded entry (a near entry's _LoadSeg word is at
	 * entry + 6, a far entry's at entry + 2): run the entry again, now a
	 * JMP into the segment. */
	if (in_jt && (tb->insn_pc - jt) % 8 == 6)
		tb->cpu.pc = tb->insn_pc - 4;
	else if (in_jt && (tb->insn_pc - jt) % 8 == 2)
		tb->cpu.pc = tb->insn_pc;
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
	/* The Resource Manager's handle, not a remembered one: the program
	 * may have released it. */
	gaddr hd = rm_code_handle(tb, (int16_t)n);
	if (hd == 0)
		return; /* never loaded: nothing to do, as on a Mac */
	set_entries(tb, &h, 0);
	HUnlock(&tb->mm, hd);
	HPurge(&tb->mm, hd);
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
