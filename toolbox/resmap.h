/* toolbox-internal: the Resource Manager's maps in guest memory (toolbox/resmap.c)
 * as the traps (toolbox/resources.c) use them. Inside Macintosh: More
 * Macintosh Toolbox, ch. 1, "Resource Manager Reference". */
#ifndef VM68K_TOOLBOX_RESMAP_H
#define VM68K_TOOLBOX_RESMAP_H

#include "toolbox/files.h"
#include "toolbox/tb.h"

/* Resource Manager result codes (More Macintosh Toolbox, 1-139). */
enum {
	resNotFound = -192,  /* resource not found */
	resFNotFound = -193, /* resource file not found */
	addResFailed = -194, /* AddResource failed */
	rmvResFailed = -196, /* RemoveResource failed */
	resAttrErr = -198,   /* attribute does not permit the operation */
	mapReadErr = -199,   /* map is inconsistent with the operation */
};

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

/* A resource's place: its map and its reference entry's offset in it. */
struct rloc {
	gaddr mh;
	uint32_t ref;
	uint32_t type;
};

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

/* Sets ResErr. */
void rm_set_err(struct toolbox *tb, int err);
/* A handle's block (master pointer, flags stripped). */
gaddr rm_deref(struct toolbox *tb, gaddr h);
/* The open file refnum names, or NULL. */
struct rm_file *rm_file_of(struct toolbox *tb, int16_t refnum);
/* A map's file refnum. */
int16_t rm_map_refnum(struct toolbox *tb, gaddr mh);
/* The next map in the chain (0 at the end). */
gaddr rm_map_next(struct toolbox *tb, gaddr mh);
/* The map of refnum in the chain, or 0. */
gaddr rm_map_of(struct toolbox *tb, int16_t refnum);
/* Where searches start: CurMap's map (the top one if CurMap names none). */
gaddr rm_current_map(struct toolbox *tb);
/* Number of types in the map at m. */
unsigned rm_type_count(struct toolbox *tb, gaddr m);
/* Type entry i's address in the map at m. */
gaddr rm_type_entry(struct toolbox *tb, gaddr m, unsigned i);
/* The type entry of type in the map at m, or 0. */
gaddr rm_find_type(struct toolbox *tb, gaddr m, uint32_t type);
/* Number of references of a type entry. */
unsigned rm_refs_of(struct toolbox *tb, gaddr te);
/* Reference j of type entry te, as an offset from the map's start. */
uint32_t rm_ref_off(struct toolbox *tb, gaddr m, gaddr te, unsigned j);
/* A reference entry's address now (the map may have moved). */
gaddr rm_ref_addr(struct toolbox *tb, const struct rloc *l);
/* Finds a resource by ID (name 0) or by name, ignoring ASCII case, in one map; false if none. */
bool rm_find_in_map(struct toolbox *tb, gaddr mh, uint32_t type, int16_t id, gaddr name,
		    struct rloc *out);
/* The resource whose handle is h, in any open map; false if none. */
bool rm_find_handle(struct toolbox *tb, gaddr h, struct rloc *out);
/* For the debugger's wh: "resource 'TYPE' ID "name" (file refnum N)" if h
 * is a resource's handle, into buf; false if it is not one. */
bool rm_describe_handle(struct toolbox *tb, gaddr h, char *buf, size_t len);
/* The size of a resource's data in its file (0 for one not written yet). */
OSErr rm_disk_size(struct toolbox *tb, const struct rloc *l, uint32_t *size);
/* Whether h's master pointer is NIL (purged or empty). */
bool rm_purged(struct toolbox *tb, gaddr h);
/* Reads a resource into its handle unless it is there (with ResLoad false and !force: an empty
 * handle). Returns the handle, or 0 with ResErr set. */
gaddr rm_load(struct toolbox *tb, const struct rloc *l, bool force);
/* Copies a map into C for editing; false if out of memory. */
bool rm_ed_read(struct toolbox *tb, gaddr mh, struct map_ed *e);
/* Writes an edited map back into its handle (which may move); an OSErr. */
OSErr rm_ed_write(struct toolbox *tb, gaddr mh, struct map_ed *e);
/* Sets mapChanged. */
void rm_set_map_changed(struct toolbox *tb, gaddr mh);
/* Whether the map's file was opened for writing and the map is not read-only. */
bool rm_map_writable(struct toolbox *tb, gaddr mh);
/* OpenRFPerm's work: the refnum, or -1 with ResErr set. */
int16_t rm_open_file(struct toolbox *tb, int16_t vref, uint32_t dir, gaddr name_p, int perm);
/* rm_open_file with the name in host memory. */
int16_t rm_open_named(struct toolbox *tb, int16_t vref, uint32_t dir, const uint8_t *name,
		      int perm);
/* Writes the whole fork anew from the map and the changed handles; an OSErr. */
OSErr rm_write_file(struct toolbox *tb, gaddr mh);
/* UpdateResFile's work: writes the file if the map changed; wrPermErr if it cannot. */
OSErr rm_update_file(struct toolbox *tb, gaddr mh);

#endif
