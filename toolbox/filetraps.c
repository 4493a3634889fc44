/* The File Manager's traps (Inside Macintosh: Files, ch. 2 "File Manager
 * Reference"): each reads its parameter block at A0 in guest memory, makes
 * one call of the client (toolbox/files_client.c, served by the host), and
 * writes the results back into the block, ioResult and D0. Bit 9 of the
 * trap word ($200, the HFS bit) makes the call take a directory ID
 * (ioDirID); bit 10 ($400) asks for an asynchronous call, which runs
 * synchronously: the caller that polls ioResult finds the result at once,
 * and a completion routine (ioCompletion) is queued as an I/O completion
 * (tb_io_complete): it runs at the next level-1 interrupt with A0 = the
 * block and D0 = ioResult, deferred by VM like any completion routine.
 * Working directory refnums are not kept: a vRefNum is a volume's, and 0
 * is the default directory. */
#include "config.h"

#include "toolbox/files.h"
#include "toolbox/tb.h"

/* Parameter block offsets (Inside Macintosh: Files, ch. 2: ParamBlockRec,
 * HParamBlockRec, CInfoPBRec). */
enum {
	ioCompletion = 12,
	ioResult = 16,
	ioNamePtr = 18,
	ioVRefNum = 22,
	/* IOParam */
	ioRefNum = 24,
	ioPermssn = 27,
	ioMisc = 28, /* GetEOF/SetEOF: the EOF; Rename: the new name */
	ioBuffer = 32,
	ioReqCount = 36,
	ioActCount = 40,
	ioPosMode = 44,
	ioPosOffset = 46,
	/* FileParam / HFileParam / HFileInfo */
	ioFDirIndex = 28,
	ioFlAttrib = 30,
	ioFlFndrInfo = 32, /* DirInfo: ioDrUsrWds */
	ioDirID = 48,	   /* FileParam: ioFlNum; DirInfo: ioDrDirID */
	ioDrNmFls = 52,
	ioFlStBlk = 52,
	ioFlLgLen = 54,
	ioFlPyLen = 58,
	ioFlRStBlk = 62,
	ioFlRLgLen = 64,
	ioFlRPyLen = 68,
	ioFlCrDat = 72,
	ioFlMdDat = 76,
	ioFlBkDat = 80,
	ioFlXFndrInfo = 84, /* DirInfo: ioDrFndrInfo */
	ioFlParID = 100,    /* DirInfo: ioDrParID */
	/* VolumeParam */
	ioVolIndex = 28,
	ioVCrDate = 30,
	ioVLsMod = 34,
	ioVAtrb = 38,
	ioVNmFls = 40,
	ioVNmAlBlks = 46,
	ioVAlBlkSiz = 48,
	ioVClpSiz = 52,
	ioVNxtCNID = 58,
	ioVFrBlk = 62,
	/* WDParam (HGetVol/HSetVol) */
	ioWDDirID = 48,
};

enum {
	kHFSBit = 0x0200,
	kAsyncBit = 0x0400,
};

static gaddr pb(struct toolbox *tb)
{
	return tb->cpu.a[0];
}

static bool hfs(const struct tb_call *call)
{
	return call->word & kHFSBit;
}

/* A Pascal string from guest memory (NULL for a nil pointer). */
static const uint8_t *name_at(struct toolbox *tb, gaddr p, uint8_t buf[256])
{
	if (p == 0)
		return NULL;
	for (unsigned i = 0; i <= rd8(tb, p); i++)
		buf[i] = (uint8_t)rd8(tb, p + i);
	return buf;
}

static const uint8_t *pb_name(struct toolbox *tb, uint8_t buf[256])
{
	return name_at(tb, rd32(tb, pb(tb) + ioNamePtr), buf);
}

static uint32_t pb_dir(struct toolbox *tb, const struct tb_call *call)
{
	return hfs(call) ? rd32(tb, pb(tb) + ioDirID) : 0;
}

/* Ends a call: ioResult and D0, then an asynchronous call's completion
 * routine is queued (Inside Macintosh: Files, "Asynchronous and Synchronous
 * Calls": ioResult holds the result before the routine is called). */
static void done(struct toolbox *tb, OSErr e)
{
	wr16(tb, pb(tb) + ioResult, (uint16_t)e);
	tb->cpu.d[0] = (uint32_t)(int32_t)e;
	if (tb->fm_completion != 0)
		tb_io_complete(tb, pb(tb), tb->fm_completion, e, false);
	tb->fm_completion = 0;
}

/* The checks every call makes first: a channel; and it notes an
 * asynchronous call's completion routine for done(). */
static bool begin(struct toolbox *tb, const struct tb_call *call)
{
	tb->fm_completion = (call->word & kAsyncBit) ? rd32(tb, pb(tb) + ioCompletion) : 0;
	wr16(tb, pb(tb) + ioResult, 1); /* in progress, as the Mac shows it */
	if (tb->fm == NULL) {
		done(tb, nsvErr);
		return false;
	}
	return true;
}

static void open_fork(struct toolbox *tb, struct tb_call *call, int fork)
{
	if (!begin(tb, call))
		return;
	uint8_t n[256];
	int16_t ref = 0;
	OSErr e = fm_open(tb->fm, (int16_t)rd16(tb, pb(tb) + ioVRefNum), pb_dir(tb, call),
			  pb_name(tb, n), fork, rd8(tb, pb(tb) + ioPermssn), &ref);
	wr16(tb, pb(tb) + ioRefNum, e == noErr || e == opWrErr ? (uint16_t)ref : 0);
	done(tb, e);
}

NATIVE(Open)
{
	if (tb_dev_open(tb, call))
		return;
	open_fork(tb, call, FM_DATA_FORK);
}

NATIVE(OpenRF)
{
	open_fork(tb, call, FM_RSRC_FORK);
}

static void io(struct toolbox *tb, struct tb_call *call, bool write)
{
	if (!begin(tb, call))
		return;
	gaddr p = pb(tb);
	uint32_t actual = 0;
	int16_t ref = (int16_t)rd16(tb, p + ioRefNum);
	uint16_t mode = (uint16_t)rd16(tb, p + ioPosMode);
	int32_t off = (int32_t)rd32(tb, p + ioPosOffset);
	gaddr buf = rd32(tb, p + ioBuffer);
	int32_t count = (int32_t)rd32(tb, p + ioReqCount);
	OSErr e;
	if (count < 0)
		e = paramErr;
	else if (write)
		e = fm_write_guest(tb->fm, tb->pager, ref, mode, off, buf, (uint32_t)count,
				   &actual);
	else
		e = fm_read_guest(tb->fm, tb->pager, ref, mode, off, buf, (uint32_t)count, &actual);
	if (e == dsVMBadBackingStore) {
		tb_stop(tb, 4, "System error 113 (dsVMBadBackingStore) at PC %08X", tb->insn_pc);
		return;
	}
	wr32(tb, p + ioActCount, actual);
	if (e == noErr || e == eofErr)
		wr32(tb, p + ioPosOffset, tb->fm->mark);
	done(tb, e);
}

NATIVE(Read)
{
	if (tb_dev_refnum_call(tb, call))
		return;
	io(tb, call, false);
}

NATIVE(Write)
{
	if (tb_dev_refnum_call(tb, call))
		return;
	io(tb, call, true);
}

NATIVE(Close)
{
	if (tb_dev_refnum_call(tb, call))
		return;
	if (begin(tb, call))
		done(tb, fm_close(tb->fm, (int16_t)rd16(tb, pb(tb) + ioRefNum)));
}

NATIVE(GetEOF)
{
	if (!begin(tb, call))
		return;
	uint32_t eof = 0;
	OSErr e = fm_get_eof(tb->fm, (int16_t)rd16(tb, pb(tb) + ioRefNum), &eof);
	if (e == noErr)
		wr32(tb, pb(tb) + ioMisc, eof);
	done(tb, e);
}

NATIVE(SetEOF)
{
	if (begin(tb, call))
		done(tb, fm_set_eof(tb->fm, (int16_t)rd16(tb, pb(tb) + ioRefNum),
				    rd32(tb, pb(tb) + ioMisc)));
}

NATIVE(GetFPos)
{
	if (!begin(tb, call))
		return;
	uint32_t mark = 0;
	OSErr e = fm_get_fpos(tb->fm, (int16_t)rd16(tb, pb(tb) + ioRefNum), &mark);
	if (e == noErr) {
		/* As PBGetFPos does: the request fields read 0. */
		wr32(tb, pb(tb) + ioReqCount, 0);
		wr32(tb, pb(tb) + ioActCount, 0);
		wr16(tb, pb(tb) + ioPosMode, 0);
		wr32(tb, pb(tb) + ioPosOffset, mark);
	}
	done(tb, e);
}

NATIVE(SetFPos)
{
	if (!begin(tb, call))
		return;
	uint32_t mark = 0;
	OSErr e = fm_set_fpos(tb->fm, (int16_t)rd16(tb, pb(tb) + ioRefNum),
			      (uint16_t)rd16(tb, pb(tb) + ioPosMode),
			      (int32_t)rd32(tb, pb(tb) + ioPosOffset), &mark);
	if (e == noErr || e == eofErr)
		wr32(tb, pb(tb) + ioPosOffset, mark);
	done(tb, e);
}

NATIVE(Create)
{
	if (!begin(tb, call))
		return;
	uint8_t n[256];
	done(tb, fm_create(tb->fm, (int16_t)rd16(tb, pb(tb) + ioVRefNum), pb_dir(tb, call),
			   pb_name(tb, n), 0, 0));
}

NATIVE(Delete)
{
	if (!begin(tb, call))
		return;
	uint8_t n[256];
	done(tb, fm_delete(tb->fm, (int16_t)rd16(tb, pb(tb) + ioVRefNum), pb_dir(tb, call),
			   pb_name(tb, n)));
}

NATIVE(Rename)
{
	if (!begin(tb, call))
		return;
	uint8_t n[256], to[256];
	done(tb, fm_rename(tb->fm, (int16_t)rd16(tb, pb(tb) + ioVRefNum), pb_dir(tb, call),
			   pb_name(tb, n), name_at(tb, rd32(tb, pb(tb) + ioMisc), to)));
}

static void put_name(struct toolbox *tb, gaddr dst, const uint8_t *text, unsigned len)
{
	if (dst == 0)
		return;
	wr8(tb, dst, len);
	for (unsigned i = 0; i < len; i++)
		wr8(tb, dst + 1 + i, text[i]);
}

/* The file fields of a CInfoPBRec / HFileParam from a catalog reply. */
static void put_file_info(struct toolbox *tb, gaddr p, const struct fm_cat_reply *r, bool cat)
{
	wr8(tb, p + ioFlAttrib, r->attrib);
	tb_copy_out(tb, p + ioFlFndrInfo, r->finder_info, 16);
	wr32(tb, p + ioDirID, r->id); /* ioFlNum: the file number */
	wr16(tb, p + ioFlStBlk, 0);
	wr32(tb, p + ioFlLgLen, r->data_eof);
	wr32(tb, p + ioFlPyLen, r->data_physical);
	wr16(tb, p + ioFlRStBlk, 0);
	wr32(tb, p + ioFlRLgLen, r->rsrc_eof);
	wr32(tb, p + ioFlRPyLen, r->rsrc_physical);
	wr32(tb, p + ioFlCrDat, r->create_date);
	wr32(tb, p + ioFlMdDat, r->mod_date);
	if (cat) {
		wr32(tb, p + ioFlBkDat, r->backup_date);
		tb_copy_out(tb, p + ioFlXFndrInfo, r->finder_info + 16, 16);
		wr32(tb, p + ioFlParID, r->parent_id);
	}
}

NATIVE(GetFileInfo)
{
	if (!begin(tb, call))
		return;
	gaddr p = pb(tb);
	int16_t index = (int16_t)rd16(tb, p + ioFDirIndex);
	int16_t vref = (int16_t)rd16(tb, p + ioVRefNum);
	struct fm_cat_reply r;
	uint8_t n[256];
	OSErr e;
	if (index > 0)
		e = fm_get_file_by_index(tb->fm, vref, pb_dir(tb, call), index, &r);
	else
		e = fm_get_cat_info(tb->fm, vref, pb_dir(tb, call), pb_name(tb, n), 0, &r);
	if (e == noErr && r.is_dir)
		e = fnfErr; /* GetFileInfo is for files */
	if (e == noErr) {
		if (index > 0)
			put_name(tb, rd32(tb, p + ioNamePtr), r.name, r.name_len);
		put_file_info(tb, p, &r, false);
	}
	done(tb, e);
}

NATIVE(SetFileInfo)
{
	if (!begin(tb, call))
		return;
	gaddr p = pb(tb);
	uint8_t n[256], finfo[16];
	for (unsigned i = 0; i < 16; i++)
		finfo[i] = (uint8_t)rd8(tb, p + ioFlFndrInfo + i);
	/* The dates (ioFlCrDat, ioFlMdDat) are not set: the host keeps its own. */
	done(tb, fm_set_finfo(tb->fm, (int16_t)rd16(tb, p + ioVRefNum), pb_dir(tb, call),
			      pb_name(tb, n), finfo));
}

NATIVE(GetVol)
{
	if (!begin(tb, call))
		return;
	gaddr p = pb(tb);
	int16_t vref;
	uint32_t dir;
	fm_get_vol(tb->fm, &vref, &dir);
	struct fm_volume_reply v;
	OSErr e = fm_get_vol_info(tb->fm, 0, vref, &v);
	if (e == noErr) {
		put_name(tb, rd32(tb, p + ioNamePtr), v.name, v.name_len);
		wr16(tb, p + ioVRefNum, (uint16_t)vref);
		if (hfs(call))
			wr32(tb, p + ioWDDirID, dir);
	}
	done(tb, e);
}

NATIVE(SetVol)
{
	if (!begin(tb, call))
		return;
	uint8_t n[256];
	const uint8_t *name = pb_name(tb, n);
	done(tb, fm_set_vol(tb->fm, (int16_t)rd16(tb, pb(tb) + ioVRefNum),
			    hfs(call) ? rd32(tb, pb(tb) + ioWDDirID) : 0,
			    name && name[0] ? name : NULL));
}

static uint16_t cap16(uint32_t v)
{
	return v > 0xFFFF ? 0xFFFF : (uint16_t)v;
}

NATIVE(GetVolInfo)
{
	if (!begin(tb, call))
		return;
	gaddr p = pb(tb);
	int16_t index = (int16_t)rd16(tb, p + ioVolIndex);
	struct fm_volume_reply v;
	OSErr e = fm_get_vol_info(tb->fm, index > 0 ? index : 0,
				  index > 0 ? 0 : (int16_t)rd16(tb, p + ioVRefNum), &v);
	if (e == noErr) {
		put_name(tb, rd32(tb, p + ioNamePtr), v.name, v.name_len);
		wr16(tb, p + ioVRefNum, (uint16_t)v.vref);
		wr32(tb, p + ioVCrDate, v.create_date);
		wr32(tb, p + ioVLsMod, v.create_date);
		wr16(tb, p + ioVAtrb, v.read_only ? 0x8000 : 0); /* bit 15: software lock */
		wr16(tb, p + ioVNmFls, cap16(v.root_files));
		wr16(tb, p + ioVNmAlBlks, cap16(v.total_blocks));
		wr32(tb, p + ioVAlBlkSiz, v.alloc_size);
		wr32(tb, p + ioVClpSiz, v.alloc_size);
		wr32(tb, p + ioVNxtCNID, v.next_id);
		wr16(tb, p + ioVFrBlk, cap16(v.free_blocks));
	}
	done(tb, e);
}

/* FlushVol and FlushFile: the host writes each request through at once. */
NATIVE(FlushVol)
{
	if (begin(tb, call))
		done(tb, noErr);
}

/* _HFSDispatch ($A060), selector in D0: DirCreate (6), GetCatInfo (9),
 * SetCatInfo (10). */
NATIVE(HFSDispatch)
{
	int32_t sel = (int32_t)(uint16_t)tb->cpu.d[0];
	if (sel != 6 && sel != 9 && sel != 10) {
		tb_bad_selector(tb, call, sel);
		return;
	}
	if (!begin(tb, call))
		return;
	gaddr p = pb(tb);
	int16_t vref = (int16_t)rd16(tb, p + ioVRefNum);
	uint32_t dir = rd32(tb, p + ioDirID);
	uint8_t n[256];
	const uint8_t *name = pb_name(tb, n);
	OSErr e;
	if (sel == 6) {
		uint32_t new_dir = 0;
		e = fm_dir_create(tb->fm, vref, dir, name, &new_dir);
		if (e == noErr)
			wr32(tb, p + ioDirID, new_dir);
	} else if (sel == 9) {
		int16_t index = (int16_t)rd16(tb, p + ioFDirIndex);
		struct fm_cat_reply r;
		/* Index 0 with an empty name means the directory itself. */
		if (index == 0 && (name == NULL || name[0] == 0))
			index = -1;
		e = fm_get_cat_info(tb->fm, vref, dir, name, index, &r);
		if (e == noErr) {
			if (index != 0)
				put_name(tb, rd32(tb, p + ioNamePtr), r.name, r.name_len);
			wr16(tb, p + ioVRefNum, (uint16_t)r.vref);
			if (r.is_dir) {
				wr8(tb, p + ioFlAttrib, r.attrib | kioFlAttribDirMask);
				tb_copy_out(tb, p + ioFlFndrInfo, r.finder_info, 16);
				wr32(tb, p + ioDirID, r.id);
				wr16(tb, p + ioDrNmFls, cap16(r.valence));
				wr32(tb, p + ioFlCrDat, r.create_date);
				wr32(tb, p + ioFlMdDat, r.mod_date);
				wr32(tb, p + ioFlBkDat, r.backup_date);
				tb_copy_out(tb, p + ioFlXFndrInfo, r.finder_info + 16, 16);
				wr32(tb, p + ioFlParID, r.parent_id);
			} else {
				put_file_info(tb, p, &r, true);
			}
		}
	} else {
		uint8_t info[FM_FINDER_INFO];
		for (unsigned i = 0; i < 16; i++) {
			info[i] = (uint8_t)rd8(tb, p + ioFlFndrInfo + i);
			info[16 + i] = (uint8_t)rd8(tb, p + ioFlXFndrInfo + i);
		}
		e = fm_set_finder_info(tb->fm, vref, dir, name, info, FM_SET_FINFO | FM_SET_FXINFO);
	}
	done(tb, e);
}
