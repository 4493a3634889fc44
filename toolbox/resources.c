/* The Resource Manager's traps (Inside Macintosh: More Macintosh Toolbox,
 * ch. 1), on the maps of toolbox/resmap.c: look-ups through the chain from
 * CurMap, the calls on resource handles, opening, creating, updating and
 * closing resource files, and the changes (AddResource, RemoveResource,
 * SetResInfo, ChangedResource, WriteResource) that reach the file. */
#include "config.h"

#include "toolbox/resmap.h"

#include <stdlib.h>
#include <string.h>

/* ---- the traps ---- */

static uint8_t byte_param(struct toolbox *tb, struct tb_call *call, unsigned k)
{
	/* A Boolean or SignedByte parameter: Pascal pushes a word with the
	 * value in its high byte (MOVE.B to -(SP)). */
	return (uint8_t)(rd16(tb, tb_param_addr(call, k)) >> 8);
}

static gaddr get_resource(struct toolbox *tb, uint32_t type, int16_t id, gaddr name, bool one)
{
	struct rloc l;
	gaddr mh = rm_current_map(tb);
	for (; mh != 0; mh = one ? 0 : rm_map_next(tb, mh))
		if (rm_find_in_map(tb, mh, type, id, name, &l)) {
			rm_set_err(tb, noErr);
			return rm_load(tb, &l, false);
		}
	rm_set_err(tb, resNotFound);
	return 0;
}

NATIVE(GetResource)
{
	tb_result(
	    tb, call,
	    get_resource(tb, tb_param(tb, call, 1), (int16_t)tb_param(tb, call, 2), 0, false));
}

NATIVE(Get1Resource)
{
	tb_result(tb, call,
		  get_resource(tb, tb_param(tb, call, 1), (int16_t)tb_param(tb, call, 2), 0, true));
}

NATIVE(GetNamedResource)
{
	gaddr name = tb_param(tb, call, 2);
	tb_result(tb, call, name ? get_resource(tb, tb_param(tb, call, 1), 0, name, false) : 0);
}

NATIVE(Get1NamedResource)
{
	gaddr name = tb_param(tb, call, 2);
	tb_result(tb, call, name ? get_resource(tb, tb_param(tb, call, 1), 0, name, true) : 0);
}

/* The index'th (1-based) resource of type from the current map down (or in
 * the current map only), or the count when index is 0. */
static unsigned ind_resource(struct toolbox *tb, uint32_t type, unsigned index, bool one,
			     struct rloc *out)
{
	unsigned seen = 0;
	for (gaddr mh = rm_current_map(tb); mh != 0; mh = one ? 0 : rm_map_next(tb, mh)) {
		gaddr m = rm_deref(tb, mh);
		gaddr te = rm_find_type(tb, m, type);
		if (te == 0)
			continue;
		unsigned n = rm_refs_of(tb, te);
		if (index > seen && index <= seen + n) {
			*out = (struct rloc){mh, rm_ref_off(tb, m, te, index - seen - 1), type};
			return index;
		}
		seen += n;
	}
	return seen;
}

static void count_resources(struct toolbox *tb, struct tb_call *call, bool one)
{
	struct rloc l;
	rm_set_err(tb, noErr);
	tb_result(tb, call, ind_resource(tb, tb_param(tb, call, 1), 0, one, &l));
}

NATIVE(CountResources)
{
	count_resources(tb, call, false);
}

NATIVE(Count1Resources)
{
	count_resources(tb, call, true);
}

static void get_ind_resource(struct toolbox *tb, struct tb_call *call, bool one)
{
	uint32_t type = tb_param(tb, call, 1);
	int16_t index = (int16_t)tb_param(tb, call, 2);
	struct rloc l;
	if (index < 1 || ind_resource(tb, type, (unsigned)index, one, &l) != (unsigned)index) {
		rm_set_err(tb, resNotFound);
		tb_result(tb, call, 0);
		return;
	}
	rm_set_err(tb, noErr);
	tb_result(tb, call, rm_load(tb, &l, false));
}

NATIVE(GetIndResource)
{
	get_ind_resource(tb, call, false);
}

NATIVE(Get1IndResource)
{
	get_ind_resource(tb, call, true);
}

/* The index'th (1-based) distinct type from the current map down, or the
 * number of distinct types when index is 0. */
static unsigned ind_type(struct toolbox *tb, unsigned index, bool one, uint32_t *out)
{
	unsigned seen = 0;
	gaddr first = rm_current_map(tb);
	for (gaddr mh = first; mh != 0; mh = one ? 0 : rm_map_next(tb, mh)) {
		gaddr m = rm_deref(tb, mh);
		unsigned nt = rm_type_count(tb, m);
		for (unsigned i = 0; i < nt; i++) {
			uint32_t type = rd32(tb, rm_type_entry(tb, m, i));
			bool dup = false; /* already counted in a map above this one */
			for (gaddr up = first; up != mh && !dup; up = rm_map_next(tb, up))
				dup = rm_find_type(tb, rm_deref(tb, up), type) != 0;
			if (dup)
				continue;
			if (++seen == index) {
				*out = type;
				return seen;
			}
		}
	}
	return seen;
}

NATIVE(CountTypes)
{
	uint32_t t;
	rm_set_err(tb, noErr);
	tb_result(tb, call, ind_type(tb, 0, false, &t));
}

NATIVE(Count1Types)
{
	uint32_t t;
	rm_set_err(tb, noErr);
	tb_result(tb, call, ind_type(tb, 0, true, &t));
}

static void get_ind_type(struct toolbox *tb, struct tb_call *call, bool one)
{
	gaddr out = tb_param(tb, call, 1);
	int16_t index = (int16_t)tb_param(tb, call, 2);
	uint32_t type = 0;
	if (index < 1 || ind_type(tb, (unsigned)index, one, &type) != (unsigned)index) {
		wr32(tb, out, 0); /* IM: theType is 4 NUL bytes past the end */
		rm_set_err(tb, resNotFound);
		return;
	}
	wr32(tb, out, type);
	rm_set_err(tb, noErr);
}

NATIVE(GetIndType)
{
	get_ind_type(tb, call, false);
}

NATIVE(Get1IndType)
{
	get_ind_type(tb, call, true);
}

NATIVE(LoadResource)
{
	struct rloc l;
	gaddr h = tb_param(tb, call, 1);
	if (!rm_find_handle(tb, h, &l)) {
		rm_set_err(tb, resNotFound);
		return;
	}
	rm_set_err(tb, noErr);
	rm_load(tb, &l, true);
}

/* ReleaseResource and DetachResource: the reference entry forgets the
 * handle; a changed resource is kept (resAttrErr), as its data would be lost. */
static bool forget(struct toolbox *tb, gaddr h, struct rloc *l)
{
	if (!rm_find_handle(tb, h, l)) {
		rm_set_err(tb, resNotFound);
		return false;
	}
	if (rd8(tb, rm_ref_addr(tb, l) + 4) & resChanged) {
		rm_set_err(tb, resAttrErr);
		return false;
	}
	wr32(tb, rm_ref_addr(tb, l) + 8, 0);
	rm_set_err(tb, noErr);
	return true;
}

NATIVE(ReleaseResource)
{
	struct rloc l;
	gaddr h = tb_param(tb, call, 1);
	if (forget(tb, h, &l))
		DisposeHandle(&tb->mm, h);
}

NATIVE(DetachResource)
{
	struct rloc l;
	gaddr h = tb_param(tb, call, 1);
	if (forget(tb, h, &l))
		HClrRBit(&tb->mm, h);
}

NATIVE(GetResInfo)
{
	gaddr h = tb_param(tb, call, 1), id = tb_param(tb, call, 2), type = tb_param(tb, call, 3),
	      name = tb_param(tb, call, 4);
	struct rloc l;
	if (!rm_find_handle(tb, h, &l)) {
		rm_set_err(tb, resNotFound);
		return;
	}
	gaddr m = rm_deref(tb, l.mh), r = m + l.ref;
	if (id)
		wr16(tb, id, rd16(tb, r));
	if (type)
		wr32(tb, type, l.type);
	if (name) {
		uint32_t no = rd16(tb, r + 2);
		wr8(tb, name, 0);
		if (no != NO_NAME) {
			gaddr n = m + rd16(tb, m + MAP_NAMES) + no;
			for (unsigned i = 0; i <= rd8(tb, n); i++)
				wr8(tb, name + i, rd8(tb, n + i));
		}
	}
	rm_set_err(tb, noErr);
}

/* Finds h's entry in the edit copy of its map. */
static struct ed_ref *ed_find(struct map_ed *e, gaddr h)
{
	for (unsigned k = 0; k < e->n; k++)
		if (e->r[k].handle == h)
			return &e->r[k];
	return NULL;
}

NATIVE(SetResInfo)
{
	gaddr h = tb_param(tb, call, 1), name = tb_param(tb, call, 3);
	int16_t id = (int16_t)tb_param(tb, call, 2);
	struct rloc l;
	if (!rm_find_handle(tb, h, &l)) {
		rm_set_err(tb, resNotFound);
		return;
	}
	if ((rd8(tb, rm_ref_addr(tb, &l) + 4) & resProtected) || !rm_map_writable(tb, l.mh)) {
		rm_set_err(tb, resAttrErr);
		return;
	}
	struct map_ed e;
	if (!rm_ed_read(tb, l.mh, &e)) {
		rm_set_err(tb, memFullErr);
		return;
	}
	struct ed_ref *x = ed_find(&e, h);
	x->id = id;
	if (name) {
		x->name_len = (int)rd8(tb, name);
		for (int k = 0; k < x->name_len; k++)
			x->name[k] = (uint8_t)rd8(tb, name + 1 + (unsigned)k);
	}
	OSErr err = rm_ed_write(tb, l.mh, &e);
	free(e.r);
	if (err == noErr)
		rm_set_map_changed(tb, l.mh);
	rm_set_err(tb, err);
}

NATIVE(GetResAttrs)
{
	struct rloc l;
	if (!rm_find_handle(tb, tb_param(tb, call, 1), &l)) {
		rm_set_err(tb, resNotFound);
		tb_result(tb, call, 0);
		return;
	}
	rm_set_err(tb, noErr);
	tb_result(tb, call, rd8(tb, rm_ref_addr(tb, &l) + 4));
}

/* SetResAttrs changes the map in memory only: ChangedResource makes it
 * reach the file, as on a Mac. */
NATIVE(SetResAttrs)
{
	struct rloc l;
	if (!rm_find_handle(tb, tb_param(tb, call, 1), &l)) {
		rm_set_err(tb, resNotFound);
		return;
	}
	wr8(tb, rm_ref_addr(tb, &l) + 4, tb_param(tb, call, 2) & 0xFF);
	rm_set_err(tb, noErr);
}

/* SizeRsrc (GetResourceSizeOnDisk): the size in the file, without reading
 * the data; MaxSizeRsrc: what it will be, a changed handle's size counting. */
static void size_of(struct toolbox *tb, struct tb_call *call, bool max)
{
	struct rloc l;
	gaddr h = tb_param(tb, call, 1);
	if (!rm_find_handle(tb, h, &l)) {
		rm_set_err(tb, resNotFound);
		tb_result(tb, call, (uint32_t)-1);
		return;
	}
	uint32_t size;
	OSErr e = rm_disk_size(tb, &l, &size);
	bool in_mem = !rm_purged(tb, h) && (rd8(tb, rm_ref_addr(tb, &l) + 4) & resChanged);
	if (in_mem && (max || (rd32(tb, rm_ref_addr(tb, &l) + 4) & 0xFFFFFF) == NOT_ON_DISK)) {
		uint32_t hs = (uint32_t)GetHandleSize(&tb->mm, h);
		size = max && hs < size ? size : hs;
	}
	rm_set_err(tb, e);
	tb_result(tb, call, e == noErr ? size : (uint32_t)-1);
}

NATIVE(SizeRsrc)
{
	size_of(tb, call, false);
}

NATIVE(MaxSizeRsrc)
{
	size_of(tb, call, true);
}

NATIVE(HomeResFile)
{
	struct rloc l;
	if (!rm_find_handle(tb, tb_param(tb, call, 1), &l)) {
		rm_set_err(tb, resNotFound);
		tb_result(tb, call, (uint32_t)-1);
		return;
	}
	rm_set_err(tb, noErr);
	tb_result(tb, call, (uint16_t)rm_map_refnum(tb, l.mh));
}

NATIVE(CurResFile)
{
	rm_set_err(tb, noErr);
	tb_result(tb, call, rd16(tb, CurMap));
}

NATIVE(UseResFile)
{
	int16_t refnum = (int16_t)tb_param(tb, call, 1);
	if (rm_map_of(tb, refnum) == 0) {
		rm_set_err(tb, resFNotFound); /* also 0: there is no System file */
		return;
	}
	wr16(tb, CurMap, (uint16_t)refnum);
	rm_set_err(tb, noErr);
}

NATIVE(SetResLoad)
{
	wr8(tb, ResLoad, byte_param(tb, call, 1) ? 1 : 0);
}

NATIVE(ResError)
{
	tb_result(tb, call, rd16(tb, ResErr));
}

NATIVE(OpenResFile)
{
	tb_result(tb, call, (uint16_t)rm_open_file(tb, 0, 0, tb_param(tb, call, 1), fsCurPerm));
}

NATIVE(OpenRFPerm)
{
	tb_result(tb, call,
		  (uint16_t)rm_open_file(tb, (int16_t)tb_param(tb, call, 2), 0,
					 tb_param(tb, call, 1), byte_param(tb, call, 3)));
}

NATIVE(HOpenResFile)
{
	tb_result(tb, call,
		  (uint16_t)rm_open_file(tb, (int16_t)tb_param(tb, call, 1), tb_param(tb, call, 2),
					 tb_param(tb, call, 3), byte_param(tb, call, 4)));
}

/* Frees every resource of a map and the map itself; unlinks it. */
static void drop_map(struct toolbox *tb, gaddr mh)
{
	struct mm *mm = &tb->mm;
	gaddr m = rm_deref(tb, mh);
	unsigned nt = rm_type_count(tb, m);
	for (unsigned i = 0; i < nt; i++) {
		m = rm_deref(tb, mh);
		gaddr te = rm_type_entry(tb, m, i);
		for (unsigned j = 0; j < rm_refs_of(tb, te); j++) {
			gaddr h = rd32(tb, m + rm_ref_off(tb, m, te, j) + 8);
			if (h != 0)
				DisposeHandle(mm, h);
		}
	}
	gaddr next = rm_map_next(tb, mh);
	if (rd32(tb, TopMapHndl) == mh) {
		wr32(tb, TopMapHndl, next);
	} else {
		for (gaddr up = rd32(tb, TopMapHndl); up != 0; up = rm_map_next(tb, up))
			if (rm_map_next(tb, up) == mh) {
				wr32(tb, rm_deref(tb, up) + MAP_NEXT, next);
				break;
			}
	}
	int16_t refnum = rm_map_refnum(tb, mh);
	if (rd16(tb, CurMap) == (uint16_t)refnum)
		wr16(tb, CurMap, next ? (uint16_t)rm_map_refnum(tb, next) : 0);
	DisposeHandle(mm, mh);
	struct rm_file *f = rm_file_of(tb, refnum);
	if (f != NULL) {
		if (!f->app)
			fm_close(tb->fm, refnum);
		f->refnum = 0;
	}
}

NATIVE(CloseResFile)
{
	int16_t refnum = (int16_t)tb_param(tb, call, 1);
	gaddr mh = rm_map_of(tb, refnum);
	if (mh == 0) {
		rm_set_err(tb, resFNotFound);
		return;
	}
	OSErr e = rm_update_file(tb, mh);
	drop_map(tb, mh);
	rm_set_err(tb, e == wrPermErr ? noErr : e); /* a read-only file's changes are dropped */
}

NATIVE(UpdateResFile)
{
	gaddr mh = rm_map_of(tb, (int16_t)tb_param(tb, call, 1));
	rm_set_err(tb, mh == 0 ? resFNotFound : rm_update_file(tb, mh));
}

NATIVE(AddResource)
{
	gaddr h = tb_param(tb, call, 1), name = tb_param(tb, call, 4);
	uint32_t type = tb_param(tb, call, 2);
	int16_t id = (int16_t)tb_param(tb, call, 3);
	struct rloc l;
	gaddr mh = rm_current_map(tb);
	if (h == 0 || mh == 0 || rm_find_handle(tb, h, &l) || !rm_map_writable(tb, mh) ||
	    (HGetState(&tb->mm, h) & mm_resourceBit)) {
		rm_set_err(tb, addResFailed);
		return;
	}
	struct map_ed e;
	if (!rm_ed_read(tb, mh, &e)) {
		rm_set_err(tb, memFullErr);
		return;
	}
	/* A resource of the same type and ID stays (IM: AddResource does not
	 * check); the new one goes after the last of its type. */
	unsigned at = e.n;
	for (unsigned k = 0; k < e.n; k++)
		if (e.r[k].type == type)
			at = k + 1;
	memmove(&e.r[at + 1], &e.r[at], sizeof *e.r * (e.n - at));
	e.n++;
	struct ed_ref *x = &e.r[at];
	memset(x, 0, sizeof *x);
	*x = (struct ed_ref){.type = type,
			     .id = id,
			     .attrs = resChanged,
			     .data = NOT_ON_DISK,
			     .handle = h,
			     .name_len = -1};
	if (name) {
		x->name_len = (int)rd8(tb, name);
		for (int k = 0; k < x->name_len; k++)
			x->name[k] = (uint8_t)rd8(tb, name + 1 + (unsigned)k);
	}
	OSErr err = rm_ed_write(tb, mh, &e);
	free(e.r);
	if (err != noErr) {
		rm_set_err(tb, addResFailed);
		return;
	}
	HSetRBit(&tb->mm, h);
	rm_set_map_changed(tb, mh);
	rm_set_err(tb, noErr);
}

NATIVE(RmveResource)
{
	gaddr h = tb_param(tb, call, 1);
	struct rloc l;
	if (!rm_find_handle(tb, h, &l) || !rm_map_writable(tb, l.mh) ||
	    (rd8(tb, rm_ref_addr(tb, &l) + 4) & resProtected)) {
		rm_set_err(tb, rmvResFailed);
		return;
	}
	struct map_ed e;
	if (!rm_ed_read(tb, l.mh, &e)) {
		rm_set_err(tb, memFullErr);
		return;
	}
	struct ed_ref *x = ed_find(&e, h);
	unsigned k = (unsigned)(x - e.r);
	memmove(&e.r[k], &e.r[k + 1], sizeof *e.r * (e.n - k - 1));
	e.n--;
	OSErr err = rm_ed_write(tb, l.mh, &e);
	free(e.r);
	if (err != noErr) {
		rm_set_err(tb, rmvResFailed);
		return;
	}
	/* The handle is the caller's now (IM: dispose of it yourself). */
	HClrRBit(&tb->mm, h);
	rm_set_map_changed(tb, l.mh);
	rm_set_err(tb, noErr);
}

NATIVE(ChangedResource)
{
	struct rloc l;
	if (!rm_find_handle(tb, tb_param(tb, call, 1), &l)) {
		rm_set_err(tb, resNotFound);
		return;
	}
	if (!rm_map_writable(tb, l.mh) || (rd8(tb, rm_ref_addr(tb, &l) + 4) & resProtected)) {
		rm_set_err(tb, resAttrErr);
		return;
	}
	gaddr r = rm_ref_addr(tb, &l);
	wr8(tb, r + 4, rd8(tb, r + 4) | resChanged);
	rm_set_map_changed(tb, l.mh);
	rm_set_err(tb, noErr);
}

/* WriteResource writes a changed resource; vm68k writes the whole fork,
 * map included, where a Mac writes only the data and leaves the map for
 * UpdateResFile: the file differs only if the run dies in between. */
NATIVE(WriteResource)
{
	struct rloc l;
	gaddr h = tb_param(tb, call, 1);
	if (!rm_find_handle(tb, h, &l)) {
		rm_set_err(tb, resNotFound);
		return;
	}
	if (!(rd8(tb, rm_ref_addr(tb, &l) + 4) & resChanged)) {
		rm_set_err(tb, noErr);
		return;
	}
	if (rm_purged(tb, h)) {
		rm_set_err(tb, resNotFound);
		return;
	}
	rm_set_err(tb, rm_map_writable(tb, l.mh) ? rm_write_file(tb, l.mh) : wrPermErr);
}

static int16_t unique_id(struct toolbox *tb, uint32_t type, bool one)
{
	for (;;) {
		tb->rm->seed = tb->rm->seed * 1103515245u + 12345u;
		/* IDs below 128 are reserved for the system. */
		int16_t id = (int16_t)(128 + (tb->rm->seed >> 16) % (32768 - 128));
		struct rloc l;
		bool used = false;
		for (gaddr mh = rm_current_map(tb); mh != 0 && !used;
		     mh = one ? 0 : rm_map_next(tb, mh))
			used = rm_find_in_map(tb, mh, type, id, 0, &l);
		if (!used)
			return id;
	}
}

NATIVE(UniqueID)
{
	rm_set_err(tb, noErr);
	tb_result(tb, call, (uint16_t)unique_id(tb, tb_param(tb, call, 1), false));
}

NATIVE(Unique1ID)
{
	rm_set_err(tb, noErr);
	tb_result(tb, call, (uint16_t)unique_id(tb, tb_param(tb, call, 1), true));
}

/* HCreateResFile: creates the file if needed (type and creator 0) and gives
 * it an empty resource map; dupFNErr if it already has one. */
static void create_res_file(struct toolbox *tb, int16_t vref, uint32_t dir, gaddr name_p)
{
	if (tb->fm == NULL) {
		rm_set_err(tb, nsvErr);
		return;
	}
	uint8_t name[256];
	for (unsigned i = 0; i <= rd8(tb, name_p); i++)
		name[i] = (uint8_t)rd8(tb, name_p + i);
	OSErr e = fm_create(tb->fm, vref, dir, name, 0, 0);
	if (e != noErr && e != dupFNErr) {
		rm_set_err(tb, e);
		return;
	}
	int16_t ref;
	e = fm_open(tb->fm, vref, dir, name, FM_RSRC_FORK, fsRdWrPerm, &ref);
	if (e != noErr) {
		rm_set_err(tb, e);
		return;
	}
	uint32_t eof = 0;
	e = fm_get_eof(tb->fm, ref, &eof);
	if (e == noErr && eof > 0)
		e = dupFNErr;
	size_t len;
	uint8_t *fork = e == noErr ? resfork_build(NULL, 0, &len) : NULL;
	if (e == noErr && fork == NULL)
		e = memFullErr;
	if (e == noErr) {
		uint32_t done;
		e = fm_write(tb->fm, ref, fsFromStart, 0, fork, (uint32_t)len, &done);
	}
	free(fork);
	OSErr c = fm_close(tb->fm, ref);
	rm_set_err(tb, e != noErr ? e : c);
}

NATIVE(CreateResFile)
{
	create_res_file(tb, 0, 0, tb_param(tb, call, 1));
}

NATIVE(HCreateResFile)
{
	create_res_file(tb, (int16_t)tb_param(tb, call, 1), tb_param(tb, call, 2),
			tb_param(tb, call, 3));
}

/* The file's map attributes (mapReadOnly, mapCompact, mapChanged). Setting
 * mapReadOnly keeps UpdateResFile from writing; clearing it cannot make a
 * file opened read-only (or the application's) writable. */
NATIVE(GetResFileAttrs)
{
	gaddr mh = rm_map_of(tb, (int16_t)tb_param(tb, call, 1));
	rm_set_err(tb, mh ? noErr : resFNotFound);
	tb_result(tb, call, mh ? rd16(tb, rm_deref(tb, mh) + MAP_ATTRS) : 0);
}

NATIVE(SetResFileAttrs)
{
	gaddr mh = rm_map_of(tb, (int16_t)tb_param(tb, call, 1));
	rm_set_err(tb, mh ? noErr : resFNotFound);
	if (mh)
		wr16(tb, rm_deref(tb, mh) + MAP_ATTRS, tb_param(tb, call, 2));
}

bool rm_describe_handle(struct toolbox *tb, gaddr h, char *buf, size_t len)
{
	struct rloc l;
	if (!rm_find_handle(tb, h, &l))
		return false;
	gaddr m = rm_deref(tb, l.mh), r = m + l.ref;
	char type[5], name[256 * 4 + 3] = "";
	for (int i = 0; i < 4; i++) {
		uint8_t c = (uint8_t)(l.type >> (24 - 8 * i));
		type[i] = c >= 0x20 && c < 0x7F ? (char)c : '?';
	}
	type[4] = '\0';
	uint32_t no = rd16(tb, r + 2);
	if (no != NO_NAME) {
		gaddr n = m + rd16(tb, m + MAP_NAMES) + no;
		size_t k = 0;
		name[k++] = ' ';
		name[k++] = '"';
		for (unsigned i = 1; i <= rd8(tb, n); i++) {
			uint8_t c = rd8(tb, n + i);
			if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
				name[k++] = (char)c;
			else
				k += (size_t)snprintf(name + k, sizeof name - k, "\\x%02X", c);
		}
		name[k++] = '"';
		name[k] = '\0';
	}
	snprintf(buf, len, "resource '%s' %d%s (file refnum %d)", type, (int16_t)rd16(tb, r), name,
		 rm_map_refnum(tb, l.mh));
	return true;
}
