/* The Resource Manager (Inside Macintosh: More Macintosh Toolbox, ch. 1):
 * resource maps in guest memory, each a copy of its file's map in a handle,
 * chained from TopMapHndl by the "next map" field, searched from CurMap;
 * resources are Memory Manager handles with the resource bit set, their
 * handles kept in the reference entries as on a Mac. The application's own
 * fork is the bottom map (read-only: its bytes live in the child's memory);
 * every other file is opened through the File Manager client and its map
 * written back with UpdateResFile when the path allows writing. */
#include "config.h"

#include "toolbox/files.h"
#include "toolbox/tb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Resource Manager result codes (More Macintosh Toolbox, 1-139). */
enum {
	resNotFound = -192,  /* resource not found */
	resFNotFound = -193, /* resource file not found */
	addResFailed = -194, /* AddResource failed */
	rmvResFailed = -196, /* RemoveResource failed */
	resAttrErr = -198,   /* attribute does not permit the operation */
	mapReadErr = -199,   /* map is inconsistent with the operation */
};

/* Its low-memory globals (TopMapHndl $A50, SysMapHndl $A54, SysMap $A58,
 * CurMap $A5A, ResLoad $A5E, ResErr $A60: Apple's SysEqu) are in tb.h and
 * toolbox/lowmem.c's table. There is no System file: SysMapHndl and SysMap
 * stay 0. */

/* The in-memory map (1-122): the fork header copy (16 bytes), the next map's
 * handle, the refnum, the attributes, the type and name list offsets. */
enum {
	MAP_NEXT = 16,
	MAP_REFNUM = 20,
	MAP_ATTRS = 22,
	MAP_TYPES = 24,
	MAP_NAMES = 26,
	MAP_HEADER = 28,
	REF_SIZE = 12, /* id, name offset, attributes, 3-byte data offset, handle */
	NO_NAME = 0xFFFF,
	/* The data offset of a resource AddResource made, which has no data in
	 * the file until the map is written. */
	NOT_ON_DISK = 0xFFFFFF,
	APP_REFNUM = 1, /* odd: never one of the host's refnums (2 + 94k) */
	RM_FILES_MAX = 32,
};

struct rm_file {
	int16_t refnum; /* 0: slot free */
	bool app;	/* the application's fork, in cfg.rsrc */
	bool writable;
};

struct rm_state {
	struct rm_file files[RM_FILES_MAX];
	uint32_t seed; /* UniqueID's */
};

static void set_err(struct toolbox *tb, int err)
{
	wr16(tb, ResErr, (uint32_t)(int16_t)err);
}

static gaddr deref(struct toolbox *tb, gaddr h)
{
	return StripAddress(&tb->mm, rd32(tb, h));
}

static struct rm_file *file_of(struct toolbox *tb, int16_t refnum)
{
	for (unsigned i = 0; i < RM_FILES_MAX; i++)
		if (refnum != 0 && tb->rm->files[i].refnum == refnum)
			return &tb->rm->files[i];
	return NULL;
}

static int16_t map_refnum(struct toolbox *tb, gaddr mh)
{
	return (int16_t)rd16(tb, deref(tb, mh) + MAP_REFNUM);
}

static gaddr map_next(struct toolbox *tb, gaddr mh)
{
	return rd32(tb, deref(tb, mh) + MAP_NEXT);
}

/* The map of refnum in the chain, or 0. */
static gaddr map_of(struct toolbox *tb, int16_t refnum)
{
	for (gaddr mh = rd32(tb, TopMapHndl); mh != 0; mh = map_next(tb, mh))
		if (map_refnum(tb, mh) == refnum)
			return mh;
	return 0;
}

/* Where searches start: the current file's map (the top one if CurMap
 * names no open file). */
static gaddr current_map(struct toolbox *tb)
{
	gaddr mh = map_of(tb, (int16_t)rd16(tb, CurMap));
	return mh ? mh : rd32(tb, TopMapHndl);
}

/* ---- reading a map in place ---- */

static unsigned type_count(struct toolbox *tb, gaddr m)
{
	return (rd16(tb, m + rd16(tb, m + MAP_TYPES)) + 1) & 0xFFFF;
}

/* Type entry i's address. */
static gaddr type_entry(struct toolbox *tb, gaddr m, unsigned i)
{
	return m + rd16(tb, m + MAP_TYPES) + 2 + 8 * i;
}

/* The type entry of type in map m, or 0. */
static gaddr find_type(struct toolbox *tb, gaddr m, uint32_t type)
{
	unsigned n = type_count(tb, m);
	for (unsigned i = 0; i < n; i++)
		if (rd32(tb, type_entry(tb, m, i)) == type)
			return type_entry(tb, m, i);
	return 0;
}

static unsigned refs_of(struct toolbox *tb, gaddr te)
{
	return rd16(tb, te + 4) + 1;
}

/* Reference j of a type entry, as an offset from the map's start (which
 * survives the map handle moving). */
static uint32_t ref_off(struct toolbox *tb, gaddr m, gaddr te, unsigned j)
{
	return rd16(tb, m + MAP_TYPES) + rd16(tb, te + 6) + REF_SIZE * j;
}

/* A resource's place: its map and its reference entry's offset in it. */
struct rloc {
	gaddr mh;
	uint32_t ref;
	uint32_t type;
};

static gaddr ref_addr(struct toolbox *tb, const struct rloc *l)
{
	return deref(tb, l->mh) + l->ref;
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
static bool find_in_map(struct toolbox *tb, gaddr mh, uint32_t type, int16_t id, gaddr name,
			struct rloc *out)
{
	gaddr m = deref(tb, mh);
	gaddr te = find_type(tb, m, type);
	if (te == 0)
		return false;
	unsigned n = refs_of(tb, te);
	for (unsigned j = 0; j < n; j++) {
		uint32_t r = ref_off(tb, m, te, j);
		if (name ? same_name(tb, m, m + r, name) : (int16_t)rd16(tb, m + r) == id) {
			*out = (struct rloc){mh, r, type};
			return true;
		}
	}
	return false;
}

/* The resource whose handle is h, in any open map. */
static bool find_handle(struct toolbox *tb, gaddr h, struct rloc *out)
{
	if (h == 0)
		return false;
	for (gaddr mh = rd32(tb, TopMapHndl); mh != 0; mh = map_next(tb, mh)) {
		gaddr m = deref(tb, mh);
		unsigned nt = type_count(tb, m);
		for (unsigned i = 0; i < nt; i++) {
			gaddr te = type_entry(tb, m, i);
			unsigned n = refs_of(tb, te);
			for (unsigned j = 0; j < n; j++) {
				uint32_t r = ref_off(tb, m, te, j);
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
	gaddr m = deref(tb, l->mh);
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
static OSErr disk_size(struct toolbox *tb, const struct rloc *l, uint32_t *size)
{
	if ((rd32(tb, ref_addr(tb, l) + 4) & 0xFFFFFF) == NOT_ON_DISK) {
		*size = 0;
		return noErr;
	}
	uint8_t b[4];
	OSErr e = file_read(tb, file_of(tb, map_refnum(tb, l->mh)), data_entry(tb, l), b, 4);
	*size = be32(b);
	return e;
}

static bool purged(struct toolbox *tb, gaddr h)
{
	return StripAddress(&tb->mm, rd32(tb, h)) == 0;
}

/* Reads a resource into its handle (allocating one if it has none) unless
 * it is there already; with ResLoad false (and !force) an empty handle.
 * Returns the handle, or 0 with ResErr set. */
static gaddr load(struct toolbox *tb, const struct rloc *l, bool force)
{
	gaddr h = rd32(tb, ref_addr(tb, l) + 8);
	if (h != 0 && !purged(tb, h))
		return h;
	struct mm *mm = &tb->mm;
	if (!force && rd8(tb, ResLoad) == 0) {
		if (h == 0) {
			h = NewEmptyHandle(mm);
			if (h == 0) {
				set_err(tb, memFullErr);
				return 0;
			}
			HSetRBit(mm, h);
			wr32(tb, ref_addr(tb, l) + 8, h);
		}
		return h;
	}
	if ((rd32(tb, ref_addr(tb, l) + 4) & 0xFFFFFF) == NOT_ON_DISK) {
		set_err(tb, resNotFound); /* added, purged before it was written */
		return 0;
	}
	uint32_t size;
	OSErr e = disk_size(tb, l, &size);
	if (e != noErr) {
		set_err(tb, e);
		return 0;
	}
	uint8_t attrs = (uint8_t)rd8(tb, ref_addr(tb, l) + 4);
	gaddr zone = GetZone(mm);
	SetZone(mm, (attrs & resSysHeap) ? SystemZone(mm) : ApplicationZone(mm));
	bool fresh = h == 0;
	if (fresh)
		h = NewHandle(mm, (int32_t)size);
	else if (ReallocateHandle(mm, h, (int32_t)size) != mm_noErr)
		h = 0;
	SetZone(mm, zone);
	if (h == 0) {
		set_err(tb, memFullErr);
		return 0;
	}
	struct rm_file *f = file_of(tb, map_refnum(tb, l->mh));
	uint32_t at = data_entry(tb, l) + 4;
	if (f == NULL || (f->app && (uint64_t)at + size > tb->cfg.rsrc_len)) {
		if (fresh)
			DisposeHandle(mm, h);
		set_err(tb, f == NULL ? resFNotFound : mapReadErr);
		return 0;
	}
	if (f->app) {
		tb_copy_out(tb, deref(tb, h), tb->cfg.rsrc + at, size);
	} else if (size > 0) {
		uint32_t got;
		e = fm_read_guest(tb->fm, tb->pager, f->refnum, fsFromStart, (int32_t)at,
				  deref(tb, h), size, &got);
		if (e == noErr && got != size)
			e = mapReadErr;
		if (e != noErr) {
			if (fresh)
				DisposeHandle(mm, h);
			set_err(tb, e);
			return 0;
		}
	}
	HSetRBit(mm, h);
	if (attrs & resLocked)
		HLock(mm, h);
	if (attrs & resPurgeable)
		HPurge(mm, h);
	wr32(tb, ref_addr(tb, l) + 8, h);
	return h;
}

/* ---- editing a map: read into C, change, write back ---- */

struct ed_ref {
	uint32_t type;
	int16_t id;
	uint8_t attrs;
	uint32_t data; /* offset in the data area, or NOT_ON_DISK */
	gaddr handle;
	int name_len; /* -1: no name */
	uint8_t name[255];
};

struct map_ed {
	uint8_t head[MAP_HEADER];
	struct ed_ref *r; /* grouped by type, in map order */
	unsigned n, cap;
};

static bool ed_read(struct toolbox *tb, gaddr mh, struct map_ed *e)
{
	memset(e, 0, sizeof *e);
	gaddr m = deref(tb, mh);
	for (unsigned i = 0; i < MAP_HEADER; i++)
		e->head[i] = (uint8_t)rd8(tb, m + i);
	unsigned nt = type_count(tb, m);
	for (unsigned i = 0; i < nt; i++)
		e->cap += refs_of(tb, type_entry(tb, m, i));
	e->cap += 1; /* room for one AddResource */
	e->r = calloc(e->cap, sizeof *e->r);
	if (e->r == NULL)
		return false;
	gaddr names = m + rd16(tb, m + MAP_NAMES);
	for (unsigned i = 0; i < nt; i++) {
		gaddr te = type_entry(tb, m, i);
		unsigned n = refs_of(tb, te);
		for (unsigned j = 0; j < n; j++) {
			gaddr r = m + ref_off(tb, m, te, j);
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
static OSErr ed_write(struct toolbox *tb, gaddr mh, struct map_ed *e)
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
		tb_copy_out(tb, deref(tb, mh), b, (uint32_t)size);
	free(b);
	return err;
}

static void set_map_changed(struct toolbox *tb, gaddr mh)
{
	gaddr m = deref(tb, mh);
	wr16(tb, m + MAP_ATTRS, rd16(tb, m + MAP_ATTRS) | mapChanged);
}

static bool map_writable(struct toolbox *tb, gaddr mh)
{
	struct rm_file *f = file_of(tb, map_refnum(tb, mh));
	return f != NULL && f->writable && !(rd16(tb, deref(tb, mh) + MAP_ATTRS) & mapReadOnly);
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
	gaddr m = deref(tb, mh);
	tb_copy_out(tb, m, rf->bytes + rf->map_offset, rf->map_length);
	tb_copy_out(tb, m, rf->bytes, 16); /* the header copy, as the file has it */
	wr32(tb, m + MAP_NEXT, rd32(tb, TopMapHndl));
	wr16(tb, m + MAP_REFNUM, (uint32_t)refnum);
	uint32_t attrs = rf->attributes & ~(uint32_t)mapChanged;
	if (!writable)
		attrs |= mapReadOnly;
	wr16(tb, m + MAP_ATTRS, attrs);
	/* The handle fields are the map's own business in memory: clear them. */
	unsigned nt = type_count(tb, m);
	for (unsigned i = 0; i < nt; i++) {
		gaddr te = type_entry(tb, m, i);
		for (unsigned j = 0; j < refs_of(tb, te); j++)
			wr32(tb, m + ref_off(tb, m, te, j) + 8, 0);
	}
	*slot = (struct rm_file){refnum, refnum == APP_REFNUM, writable};
	wr32(tb, TopMapHndl, mh);
	wr16(tb, CurMap, (uint32_t)refnum);
	for (unsigned i = 0; i < nt; i++) {
		m = deref(tb, mh);
		gaddr te = type_entry(tb, m, i);
		uint32_t type = rd32(tb, te);
		for (unsigned j = 0; j < refs_of(tb, te); j++) {
			struct rloc l = {mh, ref_off(tb, m, te, j), type};
			if (rd8(tb, ref_addr(tb, &l) + 4) & resPreload)
				load(tb, &l, true);
			m = deref(tb, mh);
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
	set_err(tb, noErr);
	OSErr e;
	if (install_map(tb, &tb->fork, APP_REFNUM, false, &e) == 0) {
		snprintf(err, errlen, "cannot build the application's resource map (error %d)", e);
		return false;
	}
	wr16(tb, CurApRefNum, APP_REFNUM);
	return true;
}

gaddr rm_load_code(struct toolbox *tb, int16_t id, bool *read)
{
	struct rloc l;
	gaddr mh = map_of(tb, APP_REFNUM);
	if (mh == 0 || !find_in_map(tb, mh, 0x434F4445u /* 'CODE' */, id, 0, &l)) {
		set_err(tb, mh == 0 ? resFNotFound : resNotFound);
		return 0;
	}
	gaddr h = rd32(tb, ref_addr(tb, &l) + 8);
	*read = h == 0 || purged(tb, h);
	return load(tb, &l, true);
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
static int16_t open_res_file(struct toolbox *tb, int16_t vref, uint32_t dir, gaddr name_p,
			     int perm)
{
	if (tb->fm == NULL) {
		set_err(tb, nsvErr);
		return -1;
	}
	uint8_t name[256];
	for (unsigned i = 0; i <= rd8(tb, name_p); i++)
		name[i] = (uint8_t)rd8(tb, name_p + i);
	int16_t ref = 0;
	bool writable = perm != fsRdPerm;
	OSErr e = fm_open(tb->fm, vref, dir, name, FM_RSRC_FORK,
			  perm == fsCurPerm ? fsRdWrPerm : perm, &ref);
	if (perm == fsCurPerm && (e == wPrErr || e == vLckdErr || e == permErr || e == fLckdErr)) {
		writable = false;
		e = fm_open(tb->fm, vref, dir, name, FM_RSRC_FORK, fsRdPerm, &ref);
	}
	if (e == opWrErr && map_of(tb, ref) != 0) {
		wr16(tb, CurMap, (uint32_t)ref);
		set_err(tb, noErr);
		return ref;
	}
	if (e != noErr) {
		set_err(tb, e);
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
		set_err(tb, e);
		return -1;
	}
	set_err(tb, noErr);
	return ref;
}

/* Writes the whole fork anew (256-byte header area, data, map, as
 * resfork_build lays it out): the changed resources' data from their
 * handles, the others' from the file; then the map in memory is brought up
 * to date (new data and name offsets, resChanged and mapChanged cleared). */
static OSErr write_file(struct toolbox *tb, gaddr mh)
{
	struct rm_file *f = file_of(tb, map_refnum(tb, mh));
	struct map_ed e;
	if (!ed_read(tb, mh, &e))
		return memFullErr;
	struct resource_spec *spec = calloc(e.n ? e.n : 1, sizeof *spec);
	uint8_t **data = calloc(e.n ? e.n : 1, sizeof *data);
	char(*names)[256] = calloc(e.n ? e.n : 1, 256);
	OSErr err = spec && data && names ? noErr : memFullErr;
	gaddr m = deref(tb, mh);
	uint32_t data_area = rd32(tb, m);
	for (unsigned k = 0; k < e.n && err == noErr; k++) {
		struct ed_ref *x = &e.r[k];
		uint32_t size = 0;
		bool from_handle = (x->attrs & resChanged) && x->handle && !purged(tb, x->handle);
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
			err = (OSErr)pager_peek(tb->pager, deref(tb, x->handle), data[k], size);
		else
			err = file_read(tb, f, data_area + x->data + 4, data[k], size);
		if (x->name_len >= 0) {
			memcpy(names[k], x->name, (size_t)x->name_len);
			names[k][x->name_len] = '\0';
		}
		spec[k] = (struct resource_spec){x->type, x->id, (uint8_t)(x->attrs & ~resChanged),
						 x->name_len >= 0 ? names[k] : NULL, data[k], size};
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
		err = ed_write(tb, mh, &e);
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
static OSErr update_file(struct toolbox *tb, gaddr mh)
{
	if (!(rd16(tb, deref(tb, mh) + MAP_ATTRS) & mapChanged))
		return noErr;
	if (!map_writable(tb, mh))
		return wrPermErr;
	return write_file(tb, mh);
}

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
	gaddr mh = current_map(tb);
	for (; mh != 0; mh = one ? 0 : map_next(tb, mh))
		if (find_in_map(tb, mh, type, id, name, &l)) {
			set_err(tb, noErr);
			return load(tb, &l, false);
		}
	set_err(tb, resNotFound);
	return 0;
}

NATIVE(GetResource)
{
	tb_result(tb, call,
		  get_resource(tb, tb_param(tb, call, 1), (int16_t)tb_param(tb, call, 2), 0,
			       false));
}

NATIVE(Get1Resource)
{
	tb_result(tb, call,
		  get_resource(tb, tb_param(tb, call, 1), (int16_t)tb_param(tb, call, 2), 0,
			       true));
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
	for (gaddr mh = current_map(tb); mh != 0; mh = one ? 0 : map_next(tb, mh)) {
		gaddr m = deref(tb, mh);
		gaddr te = find_type(tb, m, type);
		if (te == 0)
			continue;
		unsigned n = refs_of(tb, te);
		if (index > seen && index <= seen + n) {
			*out = (struct rloc){mh, ref_off(tb, m, te, index - seen - 1), type};
			return index;
		}
		seen += n;
	}
	return seen;
}

static void count_resources(struct toolbox *tb, struct tb_call *call, bool one)
{
	struct rloc l;
	set_err(tb, noErr);
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
		set_err(tb, resNotFound);
		tb_result(tb, call, 0);
		return;
	}
	set_err(tb, noErr);
	tb_result(tb, call, load(tb, &l, false));
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
	gaddr first = current_map(tb);
	for (gaddr mh = first; mh != 0; mh = one ? 0 : map_next(tb, mh)) {
		gaddr m = deref(tb, mh);
		unsigned nt = type_count(tb, m);
		for (unsigned i = 0; i < nt; i++) {
			uint32_t type = rd32(tb, type_entry(tb, m, i));
			bool dup = false; /* already counted in a map above this one */
			for (gaddr up = first; up != mh && !dup; up = map_next(tb, up))
				dup = find_type(tb, deref(tb, up), type) != 0;
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
	set_err(tb, noErr);
	tb_result(tb, call, ind_type(tb, 0, false, &t));
}

NATIVE(Count1Types)
{
	uint32_t t;
	set_err(tb, noErr);
	tb_result(tb, call, ind_type(tb, 0, true, &t));
}

static void get_ind_type(struct toolbox *tb, struct tb_call *call, bool one)
{
	gaddr out = tb_param(tb, call, 1);
	int16_t index = (int16_t)tb_param(tb, call, 2);
	uint32_t type = 0;
	if (index < 1 || ind_type(tb, (unsigned)index, one, &type) != (unsigned)index) {
		wr32(tb, out, 0); /* IM: theType is 4 NUL bytes past the end */
		set_err(tb, resNotFound);
		return;
	}
	wr32(tb, out, type);
	set_err(tb, noErr);
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
	if (!find_handle(tb, h, &l)) {
		set_err(tb, resNotFound);
		return;
	}
	set_err(tb, noErr);
	load(tb, &l, true);
}

/* ReleaseResource and DetachResource: the reference entry forgets the
 * handle; a changed resource is kept (resAttrErr), as its data would be lost. */
static bool forget(struct toolbox *tb, gaddr h, struct rloc *l)
{
	if (!find_handle(tb, h, l)) {
		set_err(tb, resNotFound);
		return false;
	}
	if (rd8(tb, ref_addr(tb, l) + 4) & resChanged) {
		set_err(tb, resAttrErr);
		return false;
	}
	wr32(tb, ref_addr(tb, l) + 8, 0);
	set_err(tb, noErr);
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
	if (!find_handle(tb, h, &l)) {
		set_err(tb, resNotFound);
		return;
	}
	gaddr m = deref(tb, l.mh), r = m + l.ref;
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
	set_err(tb, noErr);
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
	if (!find_handle(tb, h, &l)) {
		set_err(tb, resNotFound);
		return;
	}
	if ((rd8(tb, ref_addr(tb, &l) + 4) & resProtected) || !map_writable(tb, l.mh)) {
		set_err(tb, resAttrErr);
		return;
	}
	struct map_ed e;
	if (!ed_read(tb, l.mh, &e)) {
		set_err(tb, memFullErr);
		return;
	}
	struct ed_ref *x = ed_find(&e, h);
	x->id = id;
	if (name) {
		x->name_len = (int)rd8(tb, name);
		for (int k = 0; k < x->name_len; k++)
			x->name[k] = (uint8_t)rd8(tb, name + 1 + (unsigned)k);
	}
	OSErr err = ed_write(tb, l.mh, &e);
	free(e.r);
	if (err == noErr)
		set_map_changed(tb, l.mh);
	set_err(tb, err);
}

NATIVE(GetResAttrs)
{
	struct rloc l;
	if (!find_handle(tb, tb_param(tb, call, 1), &l)) {
		set_err(tb, resNotFound);
		tb_result(tb, call, 0);
		return;
	}
	set_err(tb, noErr);
	tb_result(tb, call, rd8(tb, ref_addr(tb, &l) + 4));
}

/* SetResAttrs changes the map in memory only: ChangedResource makes it
 * reach the file, as on a Mac. */
NATIVE(SetResAttrs)
{
	struct rloc l;
	if (!find_handle(tb, tb_param(tb, call, 1), &l)) {
		set_err(tb, resNotFound);
		return;
	}
	wr8(tb, ref_addr(tb, &l) + 4, tb_param(tb, call, 2) & 0xFF);
	set_err(tb, noErr);
}

/* SizeRsrc (GetResourceSizeOnDisk): the size in the file, without reading
 * the data; MaxSizeRsrc: what it will be, a changed handle's size counting. */
static void size_of(struct toolbox *tb, struct tb_call *call, bool max)
{
	struct rloc l;
	gaddr h = tb_param(tb, call, 1);
	if (!find_handle(tb, h, &l)) {
		set_err(tb, resNotFound);
		tb_result(tb, call, (uint32_t)-1);
		return;
	}
	uint32_t size;
	OSErr e = disk_size(tb, &l, &size);
	bool in_mem = !purged(tb, h) && (rd8(tb, ref_addr(tb, &l) + 4) & resChanged);
	if (in_mem && (max || (rd32(tb, ref_addr(tb, &l) + 4) & 0xFFFFFF) == NOT_ON_DISK)) {
		uint32_t hs = (uint32_t)GetHandleSize(&tb->mm, h);
		size = max && hs < size ? size : hs;
	}
	set_err(tb, e);
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
	if (!find_handle(tb, tb_param(tb, call, 1), &l)) {
		set_err(tb, resNotFound);
		tb_result(tb, call, (uint32_t)-1);
		return;
	}
	set_err(tb, noErr);
	tb_result(tb, call, (uint16_t)map_refnum(tb, l.mh));
}

NATIVE(CurResFile)
{
	set_err(tb, noErr);
	tb_result(tb, call, rd16(tb, CurMap));
}

NATIVE(UseResFile)
{
	int16_t refnum = (int16_t)tb_param(tb, call, 1);
	if (map_of(tb, refnum) == 0) {
		set_err(tb, resFNotFound); /* also 0: there is no System file */
		return;
	}
	wr16(tb, CurMap, (uint16_t)refnum);
	set_err(tb, noErr);
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
	tb_result(tb, call, (uint16_t)open_res_file(tb, 0, 0, tb_param(tb, call, 1), fsCurPerm));
}

NATIVE(OpenRFPerm)
{
	tb_result(tb, call,
		  (uint16_t)open_res_file(tb, (int16_t)tb_param(tb, call, 2), 0,
					  tb_param(tb, call, 1), byte_param(tb, call, 3)));
}

NATIVE(HOpenResFile)
{
	tb_result(tb, call,
		  (uint16_t)open_res_file(tb, (int16_t)tb_param(tb, call, 1), tb_param(tb, call, 2),
					  tb_param(tb, call, 3), byte_param(tb, call, 4)));
}

/* Frees every resource of a map and the map itself; unlinks it. */
static void drop_map(struct toolbox *tb, gaddr mh)
{
	struct mm *mm = &tb->mm;
	gaddr m = deref(tb, mh);
	unsigned nt = type_count(tb, m);
	for (unsigned i = 0; i < nt; i++) {
		m = deref(tb, mh);
		gaddr te = type_entry(tb, m, i);
		for (unsigned j = 0; j < refs_of(tb, te); j++) {
			gaddr h = rd32(tb, m + ref_off(tb, m, te, j) + 8);
			if (h != 0)
				DisposeHandle(mm, h);
		}
	}
	gaddr next = map_next(tb, mh);
	if (rd32(tb, TopMapHndl) == mh) {
		wr32(tb, TopMapHndl, next);
	} else {
		for (gaddr up = rd32(tb, TopMapHndl); up != 0; up = map_next(tb, up))
			if (map_next(tb, up) == mh) {
				wr32(tb, deref(tb, up) + MAP_NEXT, next);
				break;
			}
	}
	int16_t refnum = map_refnum(tb, mh);
	if (rd16(tb, CurMap) == (uint16_t)refnum)
		wr16(tb, CurMap, next ? (uint16_t)map_refnum(tb, next) : 0);
	DisposeHandle(mm, mh);
	struct rm_file *f = file_of(tb, refnum);
	if (f != NULL) {
		if (!f->app)
			fm_close(tb->fm, refnum);
		f->refnum = 0;
	}
}

NATIVE(CloseResFile)
{
	int16_t refnum = (int16_t)tb_param(tb, call, 1);
	gaddr mh = map_of(tb, refnum);
	if (mh == 0) {
		set_err(tb, resFNotFound);
		return;
	}
	OSErr e = update_file(tb, mh);
	drop_map(tb, mh);
	set_err(tb, e == wrPermErr ? noErr : e); /* a read-only file's changes are dropped */
}

NATIVE(UpdateResFile)
{
	gaddr mh = map_of(tb, (int16_t)tb_param(tb, call, 1));
	set_err(tb, mh == 0 ? resFNotFound : update_file(tb, mh));
}

NATIVE(AddResource)
{
	gaddr h = tb_param(tb, call, 1), name = tb_param(tb, call, 4);
	uint32_t type = tb_param(tb, call, 2);
	int16_t id = (int16_t)tb_param(tb, call, 3);
	struct rloc l;
	gaddr mh = current_map(tb);
	if (h == 0 || mh == 0 || find_handle(tb, h, &l) || !map_writable(tb, mh) ||
	    (HGetState(&tb->mm, h) & mm_resourceBit)) {
		set_err(tb, addResFailed);
		return;
	}
	struct map_ed e;
	if (!ed_read(tb, mh, &e)) {
		set_err(tb, memFullErr);
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
	*x = (struct ed_ref){.type = type, .id = id, .attrs = resChanged, .data = NOT_ON_DISK,
			     .handle = h, .name_len = -1};
	if (name) {
		x->name_len = (int)rd8(tb, name);
		for (int k = 0; k < x->name_len; k++)
			x->name[k] = (uint8_t)rd8(tb, name + 1 + (unsigned)k);
	}
	OSErr err = ed_write(tb, mh, &e);
	free(e.r);
	if (err != noErr) {
		set_err(tb, addResFailed);
		return;
	}
	HSetRBit(&tb->mm, h);
	set_map_changed(tb, mh);
	set_err(tb, noErr);
}

NATIVE(RmveResource)
{
	gaddr h = tb_param(tb, call, 1);
	struct rloc l;
	if (!find_handle(tb, h, &l) || !map_writable(tb, l.mh) ||
	    (rd8(tb, ref_addr(tb, &l) + 4) & resProtected)) {
		set_err(tb, rmvResFailed);
		return;
	}
	struct map_ed e;
	if (!ed_read(tb, l.mh, &e)) {
		set_err(tb, memFullErr);
		return;
	}
	struct ed_ref *x = ed_find(&e, h);
	unsigned k = (unsigned)(x - e.r);
	memmove(&e.r[k], &e.r[k + 1], sizeof *e.r * (e.n - k - 1));
	e.n--;
	OSErr err = ed_write(tb, l.mh, &e);
	free(e.r);
	if (err != noErr) {
		set_err(tb, rmvResFailed);
		return;
	}
	/* The handle is the caller's now (IM: dispose of it yourself). */
	HClrRBit(&tb->mm, h);
	set_map_changed(tb, l.mh);
	set_err(tb, noErr);
}

NATIVE(ChangedResource)
{
	struct rloc l;
	if (!find_handle(tb, tb_param(tb, call, 1), &l)) {
		set_err(tb, resNotFound);
		return;
	}
	if (!map_writable(tb, l.mh) || (rd8(tb, ref_addr(tb, &l) + 4) & resProtected)) {
		set_err(tb, resAttrErr);
		return;
	}
	gaddr r = ref_addr(tb, &l);
	wr8(tb, r + 4, rd8(tb, r + 4) | resChanged);
	set_map_changed(tb, l.mh);
	set_err(tb, noErr);
}

/* WriteResource writes a changed resource; vm68k writes the whole fork,
 * map included, where a Mac writes only the data and leaves the map for
 * UpdateResFile: the file differs only if the run dies in between. */
NATIVE(WriteResource)
{
	struct rloc l;
	gaddr h = tb_param(tb, call, 1);
	if (!find_handle(tb, h, &l)) {
		set_err(tb, resNotFound);
		return;
	}
	if (!(rd8(tb, ref_addr(tb, &l) + 4) & resChanged)) {
		set_err(tb, noErr);
		return;
	}
	if (purged(tb, h)) {
		set_err(tb, resNotFound);
		return;
	}
	set_err(tb, map_writable(tb, l.mh) ? write_file(tb, l.mh) : wrPermErr);
}

static int16_t unique_id(struct toolbox *tb, uint32_t type, bool one)
{
	for (;;) {
		tb->rm->seed = tb->rm->seed * 1103515245u + 12345u;
		/* IDs below 128 are reserved for the system. */
		int16_t id = (int16_t)(128 + (tb->rm->seed >> 16) % (32768 - 128));
		struct rloc l;
		bool used = false;
		for (gaddr mh = current_map(tb); mh != 0 && !used; mh = one ? 0 : map_next(tb, mh))
			used = find_in_map(tb, mh, type, id, 0, &l);
		if (!used)
			return id;
	}
}

NATIVE(UniqueID)
{
	set_err(tb, noErr);
	tb_result(tb, call, (uint16_t)unique_id(tb, tb_param(tb, call, 1), false));
}

NATIVE(Unique1ID)
{
	set_err(tb, noErr);
	tb_result(tb, call, (uint16_t)unique_id(tb, tb_param(tb, call, 1), true));
}

/* HCreateResFile: creates the file if needed (type and creator 0) and gives
 * it an empty resource map; dupFNErr if it already has one. */
static void create_res_file(struct toolbox *tb, int16_t vref, uint32_t dir, gaddr name_p)
{
	if (tb->fm == NULL) {
		set_err(tb, nsvErr);
		return;
	}
	uint8_t name[256];
	for (unsigned i = 0; i <= rd8(tb, name_p); i++)
		name[i] = (uint8_t)rd8(tb, name_p + i);
	OSErr e = fm_create(tb->fm, vref, dir, name, 0, 0);
	if (e != noErr && e != dupFNErr) {
		set_err(tb, e);
		return;
	}
	int16_t ref;
	e = fm_open(tb->fm, vref, dir, name, FM_RSRC_FORK, fsRdWrPerm, &ref);
	if (e != noErr) {
		set_err(tb, e);
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
	set_err(tb, e != noErr ? e : c);
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
