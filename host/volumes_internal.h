/* host-internal, for host/volumes.c, host/catalog.c and host/forks.c only:
 * the state behind the volumes (volumes, directory IDs, access paths) and
 * the helpers the three share. */
#ifndef VM68K_HOST_VOLUMES_INTERNAL_H
#define VM68K_HOST_VOLUMES_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "host/volumes.h"
#include "toolbox/files.h"

#define MAC_EPOCH_OFFSET 2082844800u /* seconds from 1904-01-01 to 1970-01-01 */
#define REL_MAX 1024		     /* bytes of a host path below a volume's root */
#define PATH_DEPTH_MAX 64
#define FIRST_USER_ID 16 /* HFS's first catalog node ID for users' files */
#define FCB_STRIDE 94	 /* refnums step like the Mac's HFS FCBs (94 bytes each) */
#define MAX_FILE_SIZE 0x7fffffffu

struct node_id {
	dev_t dev;
	ino_t ino;
	uint32_t id;
	bool is_dir;
	char *rel; /* where it was last seen */
};

struct volume {
	int root;
	int16_t vref;
	bool read_only;
	uint8_t name_len;
	uint8_t name[MAC_VOLUME_NAME_MAX + 1];
	dev_t dev;
	ino_t ino;
	uint32_t created;
	struct node_id *ids;
	size_t nids, cap;
	uint32_t next_id;
};

struct fcb {
	bool used;
	struct volume *vol;
	int fd; /* -1: an empty resource fork with no sidecar, opened read-only */
	bool rsrc;
	bool can_write;
	bool shared;
	uint8_t permission;
	uint32_t mark;
	uint64_t base;	 /* where the fork starts in fd */
	uint32_t len_at; /* rsrc: file offset of the sidecar's fork length */
	dev_t dev;	 /* of the data file: identifies the fork */
	ino_t ino;
};

/* The last directory listing, kept while the directory is unchanged: a
 * catalog walk by index asks for every entry in turn, and listing a large
 * directory (a stat per entry) for each would make the walk quadratic. */
struct listing_cache {
	bool valid;
	struct volume *vol;
	bool files_only;
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
	struct listed *items;
	size_t n;
};

struct volumes {
	struct volume vols[VM68K_MAX_VOLUMES];
	unsigned n;
	struct fcb fcbs[VOLUMES_MAX_OPEN];
	struct listing_cache cache[4]; /* a directory, its subdirectories' counts...; dropped
					* by every change this host makes */
	unsigned cache_next;	       /* the slot to replace next */
};

/* A resolved name: the volume, the host path components from its root. */
struct target {
	struct volume *vol;
	unsigned depth;
	char comp[PATH_DEPTH_MAX][HOST_NAME_MAX_BYTES + 1];
	char rel[REL_MAX];	  /* whole path, "." for the root */
	char parent_rel[REL_MAX]; /* the directory holding it ("." for the root's entries) */
};

/* One entry of a directory listing. */
struct listed {
	uint8_t mac[MAC_NAME_MAX];
	uint8_t mac_len;
	bool is_dir;
	char host[HOST_NAME_MAX_BYTES + 1];
};

/* ---- host/volumes.c ---- */

/* The Mac result code for a host errno. */
int32_t vol_mac_error(int e);
/* A host time as Mac seconds since 1904 (UTC), clamped. */
uint32_t vol_mac_time(time_t t);
/* Catalog order of two Mac names (ASCII case folded), like strcmp. */
int vol_compare(const uint8_t *a, size_t an, const uint8_t *b, size_t bn);
/* The run-long ID of (dev, ino), assigned on first sight; 0 if the table is full. */
uint32_t vol_node_id(struct volume *vol, dev_t dev, ino_t ino, bool is_dir, const char *rel);
/* Joins t's first depth components into out. bdNamErr if too long. */
int32_t vol_join(const struct target *t, unsigned depth, char *out);
/* Resolves (vref, dir_id, name) to host components. nsvErr, dirNFErr, bdNamErr. */
int32_t vol_resolve(struct volumes *v, int16_t vref, uint32_t dir_id, const uint8_t *name,
		    size_t len, struct target *t);
/* t's last component ("." for the root). */
const char *vol_leaf(const struct target *t);
/* The path of t's sidecar "parent/._leaf". bdNamErr if too long. */
int32_t vol_sidecar_rel(const struct target *t, char *out);
/* Opens t's parent directory (O_PATH) into *fd. dirNFErr if it is missing. */
int32_t vol_open_parent(const struct target *t, int *fd);
/* The result for a failed open of t: fnfErr, or dirNFErr if its directory is missing. */
int32_t vol_missing(const struct target *t, int err);

/* ---- host/catalog.c ---- */

/* Reads t's sidecar, if any (a malformed one reads as none). */
void vol_read_sidecar(const struct target *t, struct sidecar *sc);
/* True if a fork of (dev, ino) has an access path. */
bool vol_fork_open(struct volumes *v, dev_t dev, ino_t ino, bool rsrc);
/* Fills r for the existing entry t names. fnfErr, dirNFErr. */
int32_t vol_cat_info(struct volumes *v, const struct target *t, struct fm_cat_reply *r);
/* The visible entries of directory rel in catalog order (*n of them), from
 * v's cache when the directory has not changed; valid until the next call.
 * NULL (*n = 0) when it is empty or unreadable. */
const struct listed *vol_listing(struct volumes *v, struct volume *vol, const char *rel,
				 bool files_only, size_t *n);
/* Forgets the cached listing (after a change to any directory). */
void vol_listing_drop(struct volumes *v);
/* The MSG_FM_* calls on the catalog; each returns the reply's result. */
int32_t vol_create(struct volumes *v, const struct fm_path_req *q);
int32_t vol_delete(struct volumes *v, const struct fm_path_req *q);
int32_t vol_get_cat_info(struct volumes *v, const struct fm_path_req *q, struct fm_cat_reply *r);
int32_t vol_set_finfo(struct volumes *v, const struct fm_path_req *q);
int32_t vol_dir_create(struct volumes *v, const struct fm_path_req *q, struct fm_reply *r);
int32_t vol_rename(struct volumes *v, const struct fm_rename_req *q);

/* ---- host/forks.c ---- */

/* The MSG_FM_* calls on access paths; each returns the reply's result. */
int32_t vol_open(struct volumes *v, const struct fm_path_req *q, struct fm_open_reply *r);
int32_t vol_read(struct volumes *v, const struct fm_io_req *q, struct fm_io_reply *r,
		 uint8_t *data);
int32_t vol_write(struct volumes *v, const struct fm_io_req *q, const uint8_t *data,
		  struct fm_io_reply *r);
int32_t vol_fork_call(struct volumes *v, uint32_t type, const struct fm_fork_req *q,
		      struct fm_fork_reply *r);

#endif
