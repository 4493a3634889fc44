/* The Resource Manager's maps (Inside Macintosh: More Macintosh Toolbox, ch. 1):
 * resource maps in guest memory, each a copy of its file's map in a handle,
 * chained from TopMapHndl by the "next map" field, searched from CurMap;
 * resources are Memory Manager handles with the resource bit set, their
 * handles kept in the reference entries as on a Mac. The application's own
 * fork is the bottom map (read-only: its bytes live in the child's memory);
 * every other file is opened through the File Manager client and its map
 * written back with UpdateResFile when the path allows writing. */
#include "config.h"

#include "toolbox/resmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The Resource Manager's low-memory globals (TopMapHndl $A50, SysMapHndl $A54, SysMap $A58,
 * CurMap $A5A, ResLoad $A5E, ResErr $A60: Apple's SysEqu) are in tb.h and
 * toolbox/lowmem.c's table. There is no System file: SysMapHndl and SysMap
 * stay 0. */

void rm_set_err(struct toolbox *tb, int err)
{
	wr16(tb, ResErr, (uint32_t)(int16_t)err);
}

gaddr rm_deref(struct toolbox *tb, gaddr h)
{
	return StripAddress(&tb->mm, rd32(tb, h));
}

struct rm_file *rm_file_of(struct toolbox *tb, int16_t refnum)
{
	for (unsigned i = 0; i < RM_FILES_MAX; i++)
		if (refnum != 0 && tb->rm->files[i].refnum == refnum)
			return &tb->rm->files[i];
	return NULL;
}

int16_t rm_map_refnum(struct toolbox *tb, gaddr mh)
{
	return (int16_t)rd16(tb, rm_deref(tb, mh) + MAP_REFNUM);
}

gaddr rm_map_next(struct toolbox *tb, gaddr mh)
{
	return rd32(tb, rm_deref(tb, mh) + MAP_NEXT);
}

/* The map of refnum in the chain, or 0. */
gaddr rm_map_of(struct toolbox *tb, int16_t refnum)
{
	for (gaddr mh = rd32(tb, TopMapHndl); mh != 0; mh = rm_map_next(tb, mh))
		if (rm_map_refnum(tb, mh) == refnum)
			return mh;
	return 0;
}

/* Where searches start: the current file's map (the top one if CurMap
 * names no open file). */
gaddr rm_current_map(struct toolbox *tb)
{
	gaddr mh = rm_map_of(tb, (int16_t)rd16(tb, CurMap));
	return mh ? mh : rd32(tb, TopMapHndl);
}

/* ---- reading a map in place ---- */

unsigned rm_type_count(struct toolbox *tb, gaddr m)
{
	return (rd16(tb, m + rd16(tb, m + MAP_TYPES)) + 1) & 0xFFFF;
}

/* Type entry i's address. */
gaddr rm_type_entry(struct toolbox *tb, gaddr m, unsigned i)
{
	return m + rd16(tb, m + MAP_TYPES) + 2 + 8 * i;
}

/* The type entry of type in map m, or 0. */
gaddr rm_find_type(struct toolbox *tb, gaddr m, uint32_t type)
{
	unsigned n = rm_type_count(tb, m);
	for (unsigned i = 0; i < n; i++)
		if (rd32(tb, rm_type_entry(tb, m, i)) == type)
			return rm_type_entry(tb, m, i);
	return 0;
}

unsigned rm_refs_of(struct toolbox *tb, gaddr te)
{
	return rd16(tb, te + 4) + 1;
}

/* Reference j of a type entry, as an offset from the map's start (which
 * survives the map handle moving). */
uint32_t rm_ref_off(struct toolbox *tb, gaddr m, gaddr te, unsigned j)
{
	return rd16(tb, m + MAP_TYPES) + rd16(tb, te + 6) + REF_SIZE * j;
}

gaddr rm_ref_addr(struct toolbox *tb, const struct rloc *l)
{
	return rm_deref(tb, l->mh) + l->ref;
}

/* Resource names compare as the Resource Manager does, ignoring case
 * (here for ASCII letters only). */
static bool same_name(struct toolbox *tb, gaddr m, gaddr ref, gaddr name)
{
	uint32_t off = rd16(tb, ref + 2);
	if (off == NO_NAME)
		return false;
	gaddr n = m + rd16(tb, m + MAP_NAMES) + off;
	unsigned len = rd8(tb, n);
	if (len != rd8(tb, name))
		return false;
	for (unsigned i = 1; i <= len; i++) {
		unsigned a = rd8(tb, n + i), b = rd8(tb, name + i);
		if (a >= 'a' && a <= 'z')
			a -= 32;
		if (b >= 'a' && b <= 'z')
			b -= 32;
		if (a != b)
			return false;
	}
	return true;
}

/* Finds a resource by ID (name == 0) or name in one map. */
bool rm_find_in_map(struct toolbox *tb, gaddr mh, uint32_t type, int16_t id, gaddr name,
		    struct rloc *out)
{
	gaddr m = rm_deref(tb, mh);
	gaddr te = rm_find_type(tb, m, type);
	if (te == 0)
		return false;
	unsigned n = rm_refs_of(tb, te);
	for (unsigned j = 0; j < n; j++) {
		uint32_t r = rm_ref_off(tb, m, te, j);
		if (name ? same_name(tb, m, m + r, name) : (int16_t)rd16(tb, m + r) == id) {
			*out = (struct rloc){mh, r, type};
			return true;
		}
	}
	return false;
}

/* The resource whose handle is h, in any open map. */
bool rm_find_handle(struct toolbox *tb, gaddr h, struct rloc *out)
{
	if (h == 0)
		return false;
	for (gaddr mh = rd32(tb, TopMapHndl); mh != 0; mh = rm_map_next(tb, mh)) {
		gaddr m = rm_deref(tb, mh);
		unsigned nt = rm_type_count(tb, m);
		for (unsigned i = 0; i < nt; i++) {
			gaddr te = rm_type_entry(tb, m, i);
			unsigned n = rm_refs_of(tb, te);
			for (unsigned j = 0; j < n; j++) {
				uint32_t r = rm_ref_off(tb, m, te, j);
				if (rd32(tb, m + r + 8) == h) {
					*out = (struct rloc){mh, r, rd32(tb, te)};
					return true;
				}
			}
		}
	}
	return false;
}

/* ---- resource data ---- */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The file offset of a resource's data entry (its length word). */
static uint32_t data_entry(struct toolbox *tb, const struct rloc *l)
{
	gaddr m = rm_deref(tb, l->mh);
	return rd32(tb, m) + (rd32(tb, m + l->ref + 4) & 0xFFFFFF);
}

/* Reads n bytes of the file at off into a host buffer. */
static OSErr file_read(struct toolbox *tb, const struct rm_file *f, uint32_t off, void *buf,
		       uint32_t n)
{
	if (f == NULL)
		return resFNotFound; /* the map's refnum was changed under us */
	if (f->app) {
		if ((uint64_t)off + n > tb->cfg.rsrc_len)
			return mapReadErr;
		memcpy(buf, tb->cfg.rsrc + off, n);
		return noErr;
	}
	uint32_t got;
	OSErr e = fm_read(tb->fm, f->refnum, fsFromStart, (int32_t)off, buf, n, &got);
	return e == noErr && got != n ? mapReadErr : e;
}

/* The size of a resource's data in its file. */
OSErr rm_disk_size(struct toolbox *tb, const struct rloc *l, uint32_t *size)
{
	if ((rd32(tb, rm_ref_addr(tb, l) + 4) & 0xFFFFFF) == NOT_ON_DISK) {
		*size = 0;
		return noErr;
	}
	uint8_t b[4];
	OSErr e = file_read(tb, rm_file_of(tb, rm_map_refnum(tb, l->mh)), data_entry(tb, l), b, 4);
	*size = be32(b);
	return e;
}

bool rm_purged(struct toolbox *tb, gaddr h)
{
	return StripAddress(&tb->mm, rd32(tb, h)) == 0;
}

/* Reads a resource into its handle (allocating one if it has none) unless
 * it is there already; with ResLoad false (and !force) an empty handle.
 * Returns the handle, or 0 with ResErr set. */
gaddr rm_load(struct toolbox *tb, const struct rloc *l, bool force)
{
	gaddr h = rd32(tb, rm_ref_addr(tb, l) + 8);
	if (h != 0 && !rm_purged(tb, h))
		return h;
	struct mm *mm = &tb->mm;
	if (!force && rd8(tb, ResLoad) == 0) {
		if (h == 0) {
			h = NewEmptyHandle(mm);
			if (h == 0) {
				rm_set_err(tb, memFullErr);
				return 0;
			}
			HSetRBit(mm, h);
			wr32(tb, rm_ref_addr(tb, l) + 8, h);
		}
		return h;
	}
	if ((rd32(tb, rm_ref_addr(tb, l) + 4) & 0xFFFFFF) == NOT_ON_DISK) {
		rm_set_err(tb, resNotFound); /* added, purged before it was written */
		return 0;
	}
	uint32_t size;
	OSErr e = rm_disk_size(tb, l, &size);
	if (e != noErr) {
		rm_set_err(tb, e);
		return 0;
	}
	uint8_t attrs = (uint8_t)rd8(tb, rm_ref_addr(tb, l) + 4);
	gaddr zone = GetZone(mm);
	SetZone(mm, (attrs & resSysHeap) ? SystemZone(mm) : ApplicationZone(mm));
	bool fresh = h == 0;
	if (fresh)
		h = NewHandle(mm, (int32_t)size);
	else if (ReallocateHandle(mm, h, (int32_t)size) != mm_noErr)
		h = 0;
	SetZone(mm, zone);
	if (h == 0) {
		rm_set_err(tb, memFullErr);
		return 0;
	}
	struct rm_file *f = rm_file_of(tb, rm_map_refnum(tb, l->mh));
	uint32_t at = data_entry(tb, l) + 4;
	if (f == NULL || (f->app && (uint64_t)at + size > tb->cfg.rsrc_len)) {
		if (fresh)
			DisposeHandle(mm, h);
		rm_set_err(tb, f == NULL ? resFNotFound : mapReadErr);
		return 0;
	}
	if (f->app) {
		tb_copy_out(tb, rm_deref(tb, h), tb->cfg.rsrc + at, size);
	} else if (size > 0) {
		uint32_t got;
		e = fm_read_guest(tb->fm, tb->pager, f->refnum, fsFromStart, (int32_t)at,
				  rm_deref(tb, h), size, &got);
		if (e == noErr && got != size)
			e = mapReadErr;
		if (e != noErr) {
			if (fresh)
				DisposeHandle(mm, h);
			rm_set_err(tb, e);
			return 0;
		}
	}
	HSetRBit(mm, h);
	if (attrs & resLocked)
		HLock(mm, h);
	if (attrs & resPurgeable)
		HPurge(mm, h);
	wr32(tb, rm_ref_addr(tb, l) + 8, h);
	return h;
}

/* ---- editing a map: read into C, change, write back ---- */

bool rm_ed_read(struct toolbox *tb, gaddr mh, struct map_ed *e)
{
	memset(e, 0, sizeof *e);
	gaddr m = rm_deref(tb, mh);
	for (unsigned i = 0; i < MAP_HEADER; i++)
		e->head[i] = (uint8_t)rd8(tb, m + i);
	unsigned nt = rm_type_count(tb, m);
	for (unsigned i = 0; i < nt; i++)
		e->cap += rm_refs_of(tb, rm_type_entry(tb, m, i));
	e->cap += 1; /* room for one AddResource */
	e->r = calloc(e->cap, sizeof *e->r);
	if (e->r == NULL)
		return false;
	gaddr names = m + rd16(tb, m + MAP_NAMES);
	for (unsigned i = 0; i < nt; i++) {
		gaddr te = rm_type_entry(tb, m, i);
		unsigned n = rm_refs_of(tb, te);
		for (unsigned j = 0; j < n; j++) {
			gaddr r = m + rm_ref_off(tb, m, te, j);
			struct ed_ref *x = &e->r[e->n++];
			x->type = rd32(tb, te);
			x->id = (int16_t)rd16(tb, r);
			x->attrs = (uint8_t)rd8(tb, r + 4);
			x->data = rd32(tb, r + 4) & 0xFFFFFF;
			x->handle = rd32(tb, r + 8);
			uint32_t no = rd16(tb, r + 2);
			x->name_len = -1;
			if (no != NO_NAME) {
				x->name_len = (int)rd8(tb, names + no);
				for (int k = 0; k < x->name_len; k++)
					x->name[k] = (uint8_t)rd8(tb, names + no + 1 + (unsigned)k);
			}
		}
	}
	return true;
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Writes the edited map back into its handle (which may move). */
OSErr rm_ed_write(struct toolbox *tb, gaddr mh, struct map_ed *e)
{
	unsigned nt = 0;
	size_t names = 0;
	for (unsigned k = 0; k < e->n; k++) {
		if (k == 0 || e->r[k].type != e->r[k - 1].type)
			nt++;
		if (e->r[k].name_len >= 0)
			names += 1 + (size_t)e->r[k].name_len;
	}
	size_t lists = MAP_HEADER + 2 + 8 * (size_t)nt + REF_SIZE * (size_t)e->n;
	if (lists > 0xFFFF || names > 0xFFFF)
		return addResFailed;
	size_t size = lists + names;
	uint8_t *b = calloc(1, size);
	if (b == NULL)
		return memFullErr;
	memcpy(b, e->head, MAP_HEADER);
	put16(b + MAP_TYPES, MAP_HEADER);
	put16(b + MAP_NAMES, (uint32_t)lists);
	put16(b + MAP_HEADER, nt - 1);
	uint32_t ref = 2 + 8 * nt, name_at = 0;
	unsigned t = 0;
	for (unsigned k = 0; k < e->n; k++) {
		const struct ed_ref *x = &e->r[k];
		if (k == 0 || x->type != e->r[k - 1].type) {
			uint8_t *te = b + MAP_HEADER + 2 + 8 * t++;
			unsigned cnt = 0;
			while (k + cnt < e->n && e->r[k + cnt].type == x->type)
				cnt++;
			te[0] = (uint8_t)(x->type >> 24);
			te[1] = (uint8_t)(x->type >> 16);
			te[2] = (uint8_t)(x->type >> 8);
			te[3] = (uint8_t)x->type;
			put16(te + 4, cnt - 1);
			put16(te + 6, ref);
		}
		uint8_t *r = b + MAP_HEADER + ref;
		put16(r, (uint16_t)x->id);
		if (x->name_len >= 0) {
			put16(r + 2, name_at);
			b[lists + name_at] = (uint8_t)x->name_len;
			memcpy(b + lists + name_at + 1, x->name, (size_t)x->name_len);
			name_at += 1 + (uint32_t)x->name_len;
		} else {
			put16(r + 2, NO_NAME);
		}
		r[4] = x->attrs;
		r[5] = (uint8_t)(x->data >> 16);
		r[6] = (uint8_t)(x->data >> 8);
		r[7] = (uint8_t)x->data;
		r[8] = (uint8_t)(x->handle >> 24);
		r[9] = (uint8_t)(x->handle >> 16);
		r[10] = (uint8_t)(x->handle >> 8);
		r[11] = (uint8_t)x->handle;
		ref += REF_SIZE;
	}
	OSErr err = SetHandleSize(&tb->mm, mh, (int32_t)size);
	if (err == mm_noErr)
		tb_copy_out(tb, rm_deref(tb, mh), b, (uint32_t)size);
	free(b);
	return err;
}

void rm_set_map_changed(struct toolbox *tb, gaddr mh)
{
	gaddr m = rm_deref(tb, mh);
	wr16(tb, m + MAP_ATTRS, rd16(tb, m + MAP_ATTRS) | mapChanged);
}

bool rm_map_writable(struct toolbox *tb, gaddr mh)
{
	struct rm_file *f = rm_file_of(tb, rm_map_refnum(tb, mh));
	return f != NULL && f->writable && !(rd16(tb, rm_deref(tb, mh) + MAP_ATTRS) & mapReadOnly);
}

/* ---- opening and writing files ---- */

/* Builds the in-memory map of a validated fork and puts it at the top of
 * the chain; reads the resPreload resources. Returns the map handle or 0. */
static gaddr install_map(struct toolbox *tb, const struct resfork *rf, int16_t refnum,
			 bool writable, OSErr *err)
{
	struct rm_file *slot = NULL;
	for (unsigned i = 0; i < RM_FILES_MAX && slot == NULL; i++)
		if (tb->rm->files[i].refnum == 0)
			slot = &tb->rm->files[i];
	if (slot == NULL) {
		*err = tmfoErr;
		return 0;
	}
	struct mm *mm = &tb->mm;
	gaddr zone = GetZone(mm);
	SetZone(mm, ApplicationZone(mm));
	gaddr mh = NewHandle(mm, (int32_t)rf->map_length);
	SetZone(mm, zone);
	if (mh == 0) {
		*err = memFullErr;
		return 0;
	}
	gaddr m = rm_deref(tb, mh);
	tb_copy_out(tb, m, rf->bytes + rf->map_offset, rf->map_length);
	tb_copy_out(tb, m, rf->bytes, 16); /* the header copy, as the file has it */
	wr32(tb, m + MAP_NEXT, rd32(tb, TopMapHndl));
	wr16(tb, m + MAP_REFNUM, (uint32_t)refnum);
	uint32_t attrs = rf->attributes & ~(uint32_t)mapChanged;
	if (!writable)
		attrs |= mapReadOnly;
	wr16(tb, m + MAP_ATTRS, attrs);
	/* The handle fields are the map's own business in memory: clear them. */
	unsigned nt = rm_type_count(tb, m);
	for (unsigned i = 0; i < nt; i++) {
		gaddr te = rm_type_entry(tb, m, i);
		for (unsigned j = 0; j < rm_refs_of(tb, te); j++)
			wr32(tb, m + rm_ref_off(tb, m, te, j) + 8, 0);
	}
	*slot = (struct rm_file){refnum, refnum == APP_REFNUM, writable};
	wr32(tb, TopMapHndl, mh);
	wr16(tb, CurMap, (uint32_t)refnum);
	for (unsigned i = 0; i < nt; i++) {
		m = rm_deref(tb, mh);
		gaddr te = rm_type_entry(tb, m, i);
		uint32_t type = rd32(tb, te);
		for (unsigned j = 0; j < rm_refs_of(tb, te); j++) {
			struct rloc l = {mh, rm_ref_off(tb, m, te, j), type};
			if (rd8(tb, rm_ref_addr(tb, &l) + 4) & resPreload)
				rm_load(tb, &l, true);
			m = rm_deref(tb, mh);
		}
	}
	*err = noErr;
	return mh;
}

bool rm_init(struct toolbox *tb, char *err, size_t errlen)
{
	tb->rm = calloc(1, sizeof *tb->rm);
	if (tb->rm == NULL) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	tb->rm->seed = 0x1234567u;
	wr32(tb, TopMapHndl, 0);
	wr32(tb, SysMapHndl, 0); /* no System file */
	wr16(tb, SysMap, 0);
	wr8(tb, ResLoad, 1);
	rm_set_err(tb, noErr);
	OSErr e;
	if (install_map(tb, &tb->fork, APP_REFNUM, false, &e) == 0) {
		snprintf(err, errlen, "cannot build the application's resource map (error %d)", e);
		return false;
	}
	wr16(tb, CurApRefNum, APP_REFNUM);
	return true;
}

/* The application on a read-write volume (cfg.app_vref, cfg.app_path):
 * its resource file is opened through the File Manager and takes the
 * place of the copy in memory, so its changes reach the file. Runs before
 * the first instruction (no segment is loaded yet), under the sandbox's
 * filter, when the host serves requests. If the file cannot be opened, the
 * copy stays, read-only, and a line says why. */
void rm_attach_app(struct toolbox *tb)
{
	if (tb->cfg.app_vref == 0 || tb->fm == NULL)
		return;
	gaddr old = rm_map_of(tb, APP_REFNUM);
	int16_t ref = rm_open_named(tb, tb->cfg.app_vref, fsRtDirID, tb->cfg.app_path, fsCurPerm);
	if (ref < 0 || old == 0) {
		tb_log(tb, "Resource Manager: the application's file stays read-only (error %d)",
		       (int16_t)rd16(tb, ResErr));
		return;
	}
	/* The file's map is on top and the copy's below it, the last: drop
	 * the copy and whatever it read (its resPreload resources). */
	gaddr top = rd32(tb, TopMapHndl);
	gaddr m = rm_deref(tb, old);
	unsigned nt = rm_type_count(tb, m);
	for (unsigned i = 0; i < nt; i++) {
		m = rm_deref(tb, old);
		gaddr te = rm_type_entry(tb, m, i);
		for (unsigned j = 0; j < rm_refs_of(tb, te); j++) {
			gaddr h = rd32(tb, m + rm_ref_off(tb, m, te, j) + 8);
			if (h != 0)
				DisposeHandle(&tb->mm, h);
		}
	}
	wr32(tb, rm_deref(tb, top) + MAP_NEXT, 0);
	DisposeHandle(&tb->mm, old);
	rm_file_of(tb, APP_REFNUM)->refnum = 0;
	wr16(tb, CurApRefNum, (uint16_t)ref);
	wr16(tb, CurMap, (uint16_t)ref);
	rm_set_err(tb, noErr);
}

gaddr rm_load_code(struct toolbox *tb, int16_t id, bool *read)
{
	struct rloc l;
	gaddr mh = rm_map_of(tb, (int16_t)rd16(tb, CurApRefNum));
	if (mh == 0 || !rm_find_in_map(tb, mh, 0x434F4445u /* 'CODE' */, id, 0, &l)) {
		rm_set_err(tb, mh == 0 ? resFNotFound : resNotFound);
		return 0;
	}
	gaddr h = rd32(tb, rm_ref_addr(tb, &l) + 8);
	*read = h == 0 || rm_purged(tb, h);
	return rm_load(tb, &l, true);
}

gaddr rm_code_handle(struct toolbox *tb, int16_t id)
{
	struct rloc l;
	gaddr mh = rm_map_of(tb, (int16_t)rd16(tb, CurApRefNum));
	if (mh == 0 || !rm_find_in_map(tb, mh, 0x434F4445u /* 'CODE' */, id, 0, &l))
		return 0;
	return rd32(tb, rm_ref_addr(tb, &l) + 8);
}

void rm_destroy(struct toolbox *tb)
{
	free(tb->rm);
	tb->rm = NULL;
}

/* Reads a whole fork through the File Manager into a malloc'd buffer. */
static OSErr read_fork(struct toolbox *tb, int16_t refnum, uint8_t **buf, uint32_t *len)
{
	uint32_t eof;
	OSErr e = fm_get_eof(tb->fm, refnum, &eof);
	if (e != noErr)
		return e;
	if (eof == 0)
		return eofErr; /* an empty resource fork: no map at all */
	*buf = malloc(eof);
	if (*buf == NULL)
		return memFullErr;
	uint32_t got;
	e = fm_read(tb->fm, refnum, fsFromStart, 0, *buf, eof, &got);
	if (e == noErr && got != eof)
		e = mapReadErr;
	if (e != noErr) {
		free(*buf);
		*buf = NULL;
	}
	*len = eof;
	return e;
}

/* OpenRFPerm and friends: opens the resource fork, reads and checks its
 * map. fsCurPerm asks for read/write and settles for read-only. A file
 * already in the chain gives its refnum again (and becomes current). */
int16_t rm_open_file(struct toolbox *tb, int16_t vref, uint32_t dir, gaddr name_p, int perm)
{
	uint8_t name[256];
	for (unsigned i = 0; i <= rd8(tb, name_p); i++)
		name[i] = (uint8_t)rd8(tb, name_p + i);
	return rm_open_named(tb, vref, dir, name, perm);
}

int16_t rm_open_named(struct toolbox *tb, int16_t vref, uint32_t dir, const uint8_t *name,
		      int perm)
{
	if (tb->fm == NULL) {
		rm_set_err(tb, nsvErr);
		return -1;
	}
	int16_t ref = 0;
	bool writable = perm != fsRdPerm;
	OSErr e = fm_open(tb->fm, vref, dir, name, FM_RSRC_FORK,
			  perm == fsCurPerm ? fsRdWrPerm : perm, &ref);
	if (perm == fsCurPerm && (e == wPrErr || e == vLckdErr || e == permErr || e == fLckdErr)) {
		writable = false;
		e = fm_open(tb->fm, vref, dir, name, FM_RSRC_FORK, fsRdPerm, &ref);
	}
	if (e == opWrErr && rm_map_of(tb, ref) != 0) {
		wr16(tb, CurMap, (uint32_t)ref);
		rm_set_err(tb, noErr);
		return ref;
	}
	if (e != noErr) {
		rm_set_err(tb, e);
		return -1;
	}
	uint8_t *buf = NULL;
	uint32_t len = 0;
	e = read_fork(tb, ref, &buf, &len);
	struct resfork rf;
	struct resfork_error re;
	if (e == noErr && !resfork_open(&rf, buf, len, &re)) {
		tb_log(tb, "Resource Manager: map of refnum %d refused: offset %u: %s", ref,
		       re.offset, re.message);
		e = mapReadErr;
	}
	if (e == noErr)
		install_map(tb, &rf, ref, writable, &e);
	free(buf);
	if (e != noErr) {
		fm_close(tb->fm, ref);
		rm_set_err(tb, e);
		return -1;
	}
	rm_set_err(tb, noErr);
	return ref;
}

/* Writes the whole fork anew (256-byte header area, data, map, as
 * resfork_build lays it out): the changed resources' data from their
 * handles, the others' from the file; then the map in memory is brought up
 * to date (new data and name offsets, resChanged and mapChanged cleared). */
OSErr rm_write_file(struct toolbox *tb, gaddr mh)
{
	struct rm_file *f = rm_file_of(tb, rm_map_refnum(tb, mh));
	struct map_ed e;
	if (!rm_ed_read(tb, mh, &e))
		return memFullErr;
	struct resource_spec *spec = calloc(e.n ? e.n : 1, sizeof *spec);
	uint8_t **data = calloc(e.n ? e.n : 1, sizeof *data);
	char(*names)[256] = calloc(e.n ? e.n : 1, 256);
	OSErr err = spec && data && names ? noErr : memFullErr;
	gaddr m = rm_deref(tb, mh);
	uint32_t data_area = rd32(tb, m);
	for (unsigned k = 0; k < e.n && err == noErr; k++) {
		struct ed_ref *x = &e.r[k];
		uint32_t size = 0;
		bool from_handle =
		    (x->attrs & resChanged) && x->handle && !rm_purged(tb, x->handle);
		if (from_handle) {
			size = (uint32_t)GetHandleSize(&tb->mm, x->handle);
		} else if (x->data == NOT_ON_DISK) {
			err = resNotFound; /* added, then purged before it was written */
			break;
		} else {
			uint8_t b[4];
			err = file_read(tb, f, data_area + x->data, b, 4);
			size = be32(b);
		}
		if (err != noErr)
			break;
		data[k] = malloc(size ? size : 1);
		if (data[k] == NULL) {
			err = memFullErr;
			break;
		}
		if (from_handle)
			err = (OSErr)pager_peek(tb->pager, rm_deref(tb, x->handle), data[k], size);
		else
			err = file_read(tb, f, data_area + x->data + 4, data[k], size);
		if (x->name_len >= 0) {
			memcpy(names[k], x->name, (size_t)x->name_len);
			names[k][x->name_len] = '\0';
		}
		spec[k] = (struct resource_spec){x->type,
						 x->id,
						 (uint8_t)(x->attrs & ~resChanged),
						 x->name_len >= 0 ? names[k] : NULL,
						 data[k],
						 size};
	}
	uint8_t *fork = NULL;
	size_t len = 0;
	if (err == noErr && (fork = resfork_build(spec, e.n, &len)) == NULL)
		err = addResFailed;
	if (err == noErr) {
		uint32_t done;
		err = fm_write(tb->fm, f->refnum, fsFromStart, 0, fork, (uint32_t)len, &done);
		if (err == noErr)
			err = fm_set_eof(tb->fm, f->refnum, (uint32_t)len);
	}
	struct resfork rf;
	if (err == noErr && !resfork_open(&rf, fork, len, NULL))
		err = mapReadErr;
	if (err == noErr) {
		/* resfork_build keeps our order: types in order of first
		 * appearance, references in order within a type. */
		for (unsigned k = 0; k < e.n; k++) {
			struct resource_info ri;
			resfork_at(&rf, k, &ri);
			e.r[k].data = ri.data_offset - 4 - rf.data_offset;
			e.r[k].attrs &= (uint8_t)~resChanged;
		}
		memcpy(e.head, fork, 16);
		put16(e.head + MAP_ATTRS,
		      ((uint32_t)e.head[MAP_ATTRS] << 8 | e.head[MAP_ATTRS + 1]) &
			  ~(uint32_t)mapChanged);
		err = rm_ed_write(tb, mh, &e);
	}
	free(fork);
	for (unsigned k = 0; data && k < e.n; k++)
		free(data[k]);
	free(data);
	free(names);
	free(spec);
	free(e.r);
	return err;
}

/* UpdateResFile's work: nothing unless the map changed. */
OSErr rm_update_file(struct toolbox *tb, gaddr mh)
{
	if (!(rd16(tb, rm_deref(tb, mh) + MAP_ATTRS) & mapChanged))
		return noErr;
	if (!rm_map_writable(tb, mh))
		return wrPermErr;
	return rm_write_file(tb, mh);
}
