/* Host directories as Mac volumes, served to the sandboxed guest over the
 * channel (MSG_FM_* in host/protocol.h): volume reference numbers, directory
 * IDs, access paths (the FCBs) with their marks and permissions, and the
 * File Manager's semantics and result codes. The guest is not trusted: every
 * request is checked field by field here, every path is opened beneath the
 * volume's root (host/beneath.c), and a read-only volume changes nothing. */
#include "config.h"

#include "host/volumes.h"
#include "host/macfile.h"
#include "toolbox/files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "host/sandbox.h"

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

struct volumes {
	struct volume vols[VM68K_MAX_VOLUMES];
	unsigned n;
	struct fcb fcbs[VOLUMES_MAX_OPEN];
};

/* ---- errors ---- */

static int32_t mac_error(int e)
{
	switch (e) {
	case ENOENT:
	case EXDEV: /* the path would leave the volume: not on it */
	case ELOOP:
	case EISDIR:
		return fnfErr;
	case ENOTDIR:
		return dirNFErr;
	case EEXIST:
		return dupFNErr;
	case EACCES:
	case EPERM:
		return permErr;
	case EROFS:
		return wPrErr;
	case ENOSPC:
	case EDQUOT:
	case EFBIG:
		return dskFulErr;
	case ENAMETOOLONG:
		return bdNamErr;
	case EMFILE:
	case ENFILE:
		return tmfoErr;
	case ENOTEMPTY:
	case EBUSY:
		return fBsyErr;
	default:
		return ioErr;
	}
}

static uint32_t mac_time(time_t t)
{
	int64_t m = (int64_t)t + MAC_EPOCH_OFFSET;
	return m < 0 ? 0 : m > UINT32_MAX ? UINT32_MAX : (uint32_t)m;
}

/* ---- volumes and IDs ---- */

static int mac_compare(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	/* HFS orders names case-insensitively; ASCII folding is enough here. */
	for (size_t i = 0; i < an && i < bn; i++) {
		int x = a[i] >= 'a' && a[i] <= 'z' ? a[i] - 32 : a[i];
		int y = b[i] >= 'a' && b[i] <= 'z' ? b[i] - 32 : b[i];
		if (x != y)
			return x - y;
	}
	return (int)an - (int)bn;
}

static struct node_id *find_ino(struct volume *vol, dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < vol->nids; i++)
		if (vol->ids[i].ino == ino && vol->ids[i].dev == dev)
			return &vol->ids[i];
	return NULL;
}

/* The ID of the file or directory (dev, ino), assigned on first sight and
 * kept for the run; rel is remembered so a directory ID can be opened
 * again. Returns 0 if the table cannot grow. */
static uint32_t node_id_for(struct volume *vol, dev_t dev, ino_t ino, bool is_dir, const char *rel)
{
	if (dev == vol->dev && ino == vol->ino)
		return fsRtDirID;
	struct node_id *n = find_ino(vol, dev, ino);
	if (n != NULL) {
		if (strcmp(n->rel, rel) != 0) {
			char *r = strdup(rel);
			if (r != NULL) {
				free(n->rel);
				n->rel = r;
			}
		}
		return n->id;
	}
	if (vol->nids == vol->cap) {
		size_t cap = vol->cap ? vol->cap * 2 : 64;
		if (cap > (1u << 20))
			return 0;
		struct node_id *ids = realloc(vol->ids, cap * sizeof *ids);
		if (ids == NULL)
			return 0;
		vol->ids = ids;
		vol->cap = cap;
	}
	char *r = strdup(rel);
	if (r == NULL)
		return 0;
	vol->ids[vol->nids] = (struct node_id){
	    .dev = dev, .ino = ino, .id = vol->next_id++, .is_dir = is_dir, .rel = r};
	return vol->ids[vol->nids++].id;
}

/* The host path of directory id, checked to still be that directory.
 * Returns noErr or dirNFErr. */
static int32_t dir_path(struct volume *vol, uint32_t id, char *rel)
{
	if (id == fsRtDirID) {
		strcpy(rel, ".");
		return noErr;
	}
	for (size_t i = 0; i < vol->nids; i++) {
		struct node_id *n = &vol->ids[i];
		if (n->id != id)
			continue;
		if (!n->is_dir)
			return dirNFErr;
		int fd = beneath_open(vol->root, n->rel, O_PATH | O_DIRECTORY, 0);
		struct stat st;
		bool same =
		    fd >= 0 && fstat(fd, &st) == 0 && st.st_ino == n->ino && st.st_dev == n->dev;
		if (fd >= 0)
			close(fd);
		if (!same)
			return dirNFErr;
		snprintf(rel, REL_MAX, "%s", n->rel);
		return noErr;
	}
	return dirNFErr;
}

static struct volume *volume_by_vref(struct volumes *v, int16_t vref)
{
	for (unsigned i = 0; i < v->n; i++)
		if (v->vols[i].vref == vref)
			return &v->vols[i];
	return NULL;
}

static struct volume *volume_by_name(struct volumes *v, const uint8_t *name, size_t len)
{
	for (unsigned i = 0; i < v->n; i++)
		if (mac_compare(v->vols[i].name, v->vols[i].name_len, name, len) == 0)
			return &v->vols[i];
	return NULL;
}

/* ---- paths ---- */

/* A resolved name: the volume, the host path components from its root. */
struct target {
	struct volume *vol;
	unsigned depth;
	char comp[PATH_DEPTH_MAX][HOST_NAME_MAX_BYTES + 1];
	char rel[REL_MAX];	  /* whole path, "." for the root */
	char parent_rel[REL_MAX]; /* the directory holding it ("." for the root's entries) */
};

static int32_t join(const struct target *t, unsigned depth, char *out)
{
	if (depth == 0) {
		strcpy(out, ".");
		return noErr;
	}
	size_t n = 0;
	for (unsigned i = 0; i < depth; i++) {
		size_t k = strlen(t->comp[i]);
		if (n + k + 2 > REL_MAX)
			return bdNamErr;
		if (i)
			out[n++] = '/';
		memcpy(out + n, t->comp[i], k);
		n += k;
	}
	out[n] = '\0';
	return noErr;
}

static int32_t push_mac(struct target *t, const uint8_t *name, size_t len)
{
	if (len > MAC_NAME_MAX)
		return bdNamErr;
	if (t->depth == PATH_DEPTH_MAX)
		return bdNamErr;
	if (!mac_to_host_name(name, len, t->comp[t->depth]))
		return bdNamErr;
	t->depth++;
	return noErr;
}

/* Resolves (vref, dir_id, name) the HFS way: a name with a ':' inside (not
 * first) is a full pathname starting with a volume name; otherwise it is a
 * partial pathname from directory dir_id (0: the root) of volume vref. Each
 * ':' after the first in a row climbs one directory, never above the root
 * (dirNFErr). Every component becomes a checked host name (bdNamErr). */
static int32_t resolve(struct volumes *v, int16_t vref, uint32_t dir_id, const uint8_t *name,
		       size_t len, struct target *t)
{
	memset(t, 0, sizeof *t);
	size_t i = 0;
	const uint8_t *colon = memchr(name, ':', len);
	if (colon != NULL && colon != name) {
		t->vol = volume_by_name(v, name, (size_t)(colon - name));
		if (t->vol == NULL)
			return nsvErr;
		i = (size_t)(colon - name) + 1;
	} else if (dir_id == fsRtParID && len > 0 && colon == NULL) {
		/* The parent of the root holds only the volume itself. */
		t->vol = volume_by_name(v, name, len);
		if (t->vol == NULL || t->vol->vref != vref)
			return t->vol ? nsvErr : fnfErr;
		join(t, 0, t->rel);
		join(t, 0, t->parent_rel);
		return noErr;
	} else {
		t->vol = volume_by_vref(v, vref);
		if (t->vol == NULL)
			return nsvErr;
		char rel[REL_MAX];
		int32_t e = dir_path(t->vol, dir_id == 0 ? fsRtDirID : dir_id, rel);
		if (e != noErr)
			return e;
		if (strcmp(rel, ".") != 0) {
			/* A stored path is made of host names the guest could name. */
			char *save, *c = strtok_r(rel, "/", &save);
			for (; c != NULL; c = strtok_r(NULL, "/", &save)) {
				if (t->depth == PATH_DEPTH_MAX)
					return bdNamErr;
				snprintf(t->comp[t->depth++], HOST_NAME_MAX_BYTES + 1, "%s", c);
			}
		}
		if (len > 0 && name[0] == ':')
			i = 1;
	}
	size_t start = i;
	for (; i <= len; i++) {
		if (i < len && name[i] != ':')
			continue;
		if (i > start) {
			int32_t e = push_mac(t, name + start, i - start);
			if (e != noErr)
				return e;
		} else if (i < len) {
			/* "::": up one level */
			if (t->depth == 0)
				return dirNFErr;
			t->depth--;
		}
		start = i + 1;
	}
	int32_t e = join(t, t->depth, t->rel);
	if (e == noErr)
		e = join(t, t->depth ? t->depth - 1 : 0, t->parent_rel);
	return e;
}

static const char *leaf(const struct target *t)
{
	return t->depth ? t->comp[t->depth - 1] : ".";
}

/* "parent/._leaf" */
static int32_t sidecar_rel(const struct target *t, char *out)
{
	int n = t->depth <= 1 ? snprintf(out, REL_MAX, "._%s", leaf(t))
			      : snprintf(out, REL_MAX, "%s/._%s", t->parent_rel, leaf(t));
	return n < 0 || n >= REL_MAX ? bdNamErr : noErr;
}

/* Opens the parent directory of t (O_PATH): for *at() calls on its leaf. */
static int32_t open_parent(const struct target *t, int *fd)
{
	*fd = beneath_open(t->vol->root, t->parent_rel, O_PATH | O_DIRECTORY, 0);
	if (*fd < 0)
		return errno == ENOENT ? dirNFErr : mac_error(errno);
	return noErr;
}

/* The result for a failed open of t: a missing file is fnfErr, but only if
 * its directory is there (dirNFErr otherwise). */
static int32_t missing(const struct target *t, int err)
{
	if (err != ENOENT && err != ENOTDIR)
		return mac_error(err);
	int fd = beneath_open(t->vol->root, t->parent_rel, O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? dirNFErr : mac_error(errno);
	close(fd);
	return fnfErr;
}

/* ---- Finder info and catalog entries ---- */

static void read_sidecar_of(const struct target *t, struct sidecar *sc)
{
	memset(sc, 0, sizeof *sc);
	char rel[REL_MAX];
	if (t->depth == 0 || sidecar_rel(t, rel) != noErr)
		return;
	int fd = beneath_open(t->vol->root, rel, O_RDONLY | O_NOFOLLOW, 0);
	if (fd < 0)
		return;
	if (sidecar_read(fd, sc) != noErr)
		memset(sc, 0, sizeof *sc); /* a malformed sidecar reads as none */
	close(fd);
}

static bool fork_open(struct volumes *v, dev_t dev, ino_t ino, bool rsrc)
{
	for (unsigned i = 0; i < VOLUMES_MAX_OPEN; i++)
		if (v->fcbs[i].used && v->fcbs[i].dev == dev && v->fcbs[i].ino == ino &&
		    v->fcbs[i].rsrc == rsrc)
			return true;
	return false;
}

static uint32_t physical(uint32_t eof)
{
	return eof > UINT32_MAX - 511 ? UINT32_MAX & ~511u : (eof + 511) & ~511u;
}

static uint32_t count_visible(struct volume *vol, const char *rel, bool files_only);

/* Fills r for the existing entry t names. */
static int32_t cat_info(struct volumes *v, const struct target *t, struct fm_cat_reply *r)
{
	int fd = beneath_open(t->vol->root, t->rel, O_PATH, 0);
	if (fd < 0)
		return missing(t, errno);
	struct stat st;
	int rc = fstat(fd, &st);
	close(fd);
	if (rc != 0)
		return ioErr;
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
		return fnfErr;
	bool dir = S_ISDIR(st.st_mode);
	r->is_dir = dir;
	r->vref = t->vol->vref;
	if (t->depth == 0) {
		r->name_len = t->vol->name_len;
		memcpy(r->name, t->vol->name, t->vol->name_len);
		r->parent_id = fsRtParID;
	} else {
		int n = host_to_mac_name(leaf(t), r->name, MAC_NAME_MAX);
		if (n < 0)
			return bdNamErr;
		r->name_len = (uint8_t)n;
		int pfd = beneath_open(t->vol->root, t->parent_rel, O_PATH | O_DIRECTORY, 0);
		struct stat pst;
		if (pfd < 0 || fstat(pfd, &pst) != 0) {
			if (pfd >= 0)
				close(pfd);
			return dirNFErr;
		}
		close(pfd);
		r->parent_id = node_id_for(t->vol, pst.st_dev, pst.st_ino, true, t->parent_rel);
	}
	r->id = node_id_for(t->vol, st.st_dev, st.st_ino, dir, t->rel);
	struct sidecar sc;
	read_sidecar_of(t, &sc);
	memcpy(r->finder_info, sc.finder_info, FM_FINDER_INFO);
	r->mod_date = r->create_date = mac_time(st.st_mtime);
	if (dir) {
		r->attrib = kioFlAttribDirMask;
		r->valence = count_visible(t->vol, t->rel, false);
	} else {
		r->data_eof = st.st_size > MAX_FILE_SIZE ? MAX_FILE_SIZE : (uint32_t)st.st_size;
		r->data_physical = physical(r->data_eof);
		r->rsrc_eof = sc.rsrc_length;
		r->rsrc_physical = physical(sc.rsrc_length);
		if (!(st.st_mode & 0222))
			r->attrib |= kioFlAttribLockedMask;
		if (fork_open(v, st.st_dev, st.st_ino, false))
			r->attrib |= kioFlAttribDataOpenMask | kioFlAttribFileOpenMask;
		if (fork_open(v, st.st_dev, st.st_ino, true))
			r->attrib |= kioFlAttribResOpenMask | kioFlAttribFileOpenMask;
	}
	return noErr;
}

/* ---- directory listings ---- */

struct listed {
	uint8_t mac[MAC_NAME_MAX];
	uint8_t mac_len;
	bool is_dir;
	char host[HOST_NAME_MAX_BYTES + 1];
};

static int compare_listed(const void *a, const void *b)
{
	const struct listed *x = a, *y = b;
	return mac_compare(x->mac, x->mac_len, y->mac, y->mac_len);
}

/* The entries of directory rel the guest can see, in catalog order: files
 * and directories with a Mac name, not sidecars, and symlinks only when
 * they lead to one beneath the root. Returns a malloc'd array (*n entries)
 * or NULL (*n = 0) when it is empty or unreadable. */
static struct listed *list_dir(struct volume *vol, const char *rel, bool files_only, size_t *n)
{
	*n = 0;
	int fd = beneath_open(vol->root, rel, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0)
		return NULL;
	DIR *d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return NULL;
	}
	struct listed *out = NULL;
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (host_name_hidden(e->d_name))
			continue;
		struct listed l;
		int len = host_to_mac_name(e->d_name, l.mac, MAC_NAME_MAX);
		if (len < 0)
			continue;
		l.mac_len = (uint8_t)len;
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			char path[REL_MAX];
			int k = strcmp(rel, ".") == 0
				    ? snprintf(path, sizeof path, "%s", e->d_name)
				    : snprintf(path, sizeof path, "%s/%s", rel, e->d_name);
			if (k < 0 || k >= (int)sizeof path)
				continue;
			int lfd = beneath_open(vol->root, path, O_PATH, 0);
			if (lfd < 0)
				continue; /* leads out of the volume, or nowhere */
			bool ok = fstat(lfd, &st) == 0;
			close(lfd);
			if (!ok)
				continue;
		}
		if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
			continue;
		if (files_only && S_ISDIR(st.st_mode))
			continue;
		l.is_dir = S_ISDIR(st.st_mode);
		snprintf(l.host, sizeof l.host, "%s", e->d_name);
		if (*n == cap) {
			size_t c = cap ? cap * 2 : 32;
			struct listed *o = realloc(out, c * sizeof *o);
			if (o == NULL)
				break;
			out = o;
			cap = c;
		}
		out[(*n)++] = l;
	}
	closedir(d);
	if (*n > 1)
		qsort(out, *n, sizeof *out, compare_listed);
	return out;
}

static uint32_t count_visible(struct volume *vol, const char *rel, bool files_only)
{
	size_t n;
	free(list_dir(vol, rel, files_only, &n));
	return (uint32_t)n;
}

/* ---- access paths ---- */

static struct fcb *fcb_of(struct volumes *v, int16_t refnum)
{
	if (refnum < 2 || (refnum - 2) % FCB_STRIDE != 0)
		return NULL;
	unsigned i = (unsigned)(refnum - 2) / FCB_STRIDE;
	if (i >= VOLUMES_MAX_OPEN || !v->fcbs[i].used)
		return NULL;
	return &v->fcbs[i];
}

static int16_t refnum_of(const struct volumes *v, const struct fcb *f)
{
	return (int16_t)(2 + FCB_STRIDE * (f - v->fcbs));
}

static bool read_be32_at(int fd, off_t at, uint32_t *out)
{
	uint8_t b[4];
	if (pread(fd, b, 4, at) != 4)
		return false;
	*out = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return true;
}

static bool write_be32_at(int fd, off_t at, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
	return pwrite(fd, b, 4, at) == 4;
}

/* The fork's logical end of file, read afresh: another path may have moved it. */
static int32_t fcb_eof(const struct fcb *f, uint32_t *eof)
{
	if (f->fd < 0) {
		*eof = 0;
		return noErr;
	}
	if (f->rsrc)
		return read_be32_at(f->fd, f->len_at, eof) ? noErr : ioErr;
	struct stat st;
	if (fstat(f->fd, &st) != 0)
		return ioErr;
	*eof = st.st_size > MAX_FILE_SIZE ? MAX_FILE_SIZE : (uint32_t)st.st_size;
	return noErr;
}

static int32_t fcb_set_eof(struct fcb *f, uint32_t eof)
{
	if (eof > MAX_FILE_SIZE)
		return dskFulErr;
	if (ftruncate(f->fd, (off_t)(f->base + eof)) != 0)
		return mac_error(errno);
	if (f->rsrc && !write_be32_at(f->fd, f->len_at, eof))
		return ioErr;
	return noErr;
}

/* Where a call positioned with pos_mode/offset starts. posErr before the
 * start of the fork; eofErr (with *pos at the end) past its end. */
static int32_t position(const struct fcb *f, uint16_t pos_mode, int32_t offset, uint32_t eof,
			uint32_t *pos)
{
	int64_t p;
	switch (pos_mode & 3) {
	case fsAtMark:
		p = f->mark;
		break;
	case fsFromStart:
		p = offset;
		break;
	case fsFromLEOF:
		p = (int64_t)eof + offset;
		break;
	default:
		p = (int64_t)f->mark + offset;
		break;
	}
	if (p < 0)
		return posErr;
	if (p > eof) {
		*pos = eof;
		return eofErr;
	}
	*pos = (uint32_t)p;
	return noErr;
}

/* Makes sure t's sidecar exists in the layout whose fork can grow in place;
 * returns its fd (read+write) and where the fork and its length are. */
static int32_t sidecar_for_writing(const struct target *t, int *fdout, struct sidecar *sc)
{
	char rel[REL_MAX];
	int32_t e = sidecar_rel(t, rel);
	if (e != noErr)
		return e;
	int fd = beneath_open(t->vol->root, rel, O_RDWR | O_CREAT | O_NOFOLLOW, 0666);
	if (fd < 0)
		return mac_error(errno);
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ioErr;
	}
	if (st.st_size == 0) {
		static const uint8_t zero[FM_FINDER_INFO];
		e = sidecar_write(fd, zero, NULL, 0);
	} else if ((e = sidecar_read(fd, sc)) == noErr && !sc->rsrc_last &&
		   sc->rsrc_length > MACFILE_MAX_SIZE) {
		e = ioErr; /* not read into memory to be moved */
	} else if (e == noErr && !sc->rsrc_last) {
		/* Another writer's layout: rewrite it as ours, fork last. */
		uint8_t *fork = malloc(sc->rsrc_length ? sc->rsrc_length : 1);
		if (fork == NULL)
			e = ioErr;
		else if (sc->rsrc_length &&
			 pread(fd, fork, sc->rsrc_length, (off_t)sc->rsrc_offset) !=
			     (ssize_t)sc->rsrc_length)
			e = ioErr;
		else
			e = sidecar_write(fd, sc->finder_info, fork, sc->rsrc_length);
		free(fork);
	}
	if (e == noErr)
		e = sidecar_read(fd, sc);
	if (e != noErr) {
		close(fd);
		return e;
	}
	*fdout = fd;
	return noErr;
}

static int32_t do_open(struct volumes *v, const struct fm_path_req *q, struct fm_open_reply *r)
{
	if (q->fork > FM_RSRC_FORK || q->permission > fsRdWrShPerm)
		return paramErr;
	struct target t;
	int32_t e = resolve(v, q->vref, q->dir_id, q->name, q->name_len, &t);
	if (e != noErr)
		return e;
	if (t.depth == 0)
		return fnfErr; /* a directory is not a file */
	int pfd = beneath_open(t.vol->root, t.rel, O_PATH, 0);
	struct stat st;
	if (pfd < 0)
		return missing(&t, errno);
	int rc = fstat(pfd, &st);
	close(pfd);
	if (rc != 0 || !S_ISREG(st.st_mode))
		return fnfErr;
	bool rsrc = q->fork == FM_RSRC_FORK;
	bool want_write = q->permission != fsRdPerm;
	bool must_write = q->permission >= fsWrPerm;
	bool shared = q->permission == fsRdWrShPerm;
	if (want_write && t.vol->read_only) {
		if (must_write)
			return wPrErr;
		want_write = false;
	}
	if (want_write) {
		for (unsigned i = 0; i < VOLUMES_MAX_OPEN; i++) {
			struct fcb *o = &v->fcbs[i];
			if (o->used && o->can_write && o->dev == st.st_dev && o->ino == st.st_ino &&
			    o->rsrc == rsrc && !(shared && o->shared)) {
				if (!must_write) {
					want_write = false;
					break;
				}
				r->refnum = refnum_of(v, o);
				return opWrErr;
			}
		}
	}
	struct fcb *f = NULL;
	for (unsigned i = 0; i < VOLUMES_MAX_OPEN && f == NULL; i++)
		if (!v->fcbs[i].used)
			f = &v->fcbs[i];
	if (f == NULL)
		return tmfoErr;
	struct fcb n = {.vol = t.vol,
			.fd = -1,
			.rsrc = rsrc,
			.dev = st.st_dev,
			.ino = st.st_ino,
			.shared = shared};
	if (!rsrc) {
		n.fd = beneath_open(t.vol->root, t.rel, want_write ? O_RDWR : O_RDONLY, 0);
		if (n.fd < 0 && want_write && !must_write && (errno == EACCES || errno == EROFS)) {
			want_write = false;
			n.fd = beneath_open(t.vol->root, t.rel, O_RDONLY, 0);
		}
		if (n.fd < 0)
			return mac_error(errno);
		struct stat now;
		if (fstat(n.fd, &now) != 0 || now.st_ino != st.st_ino || !S_ISREG(now.st_mode)) {
			close(n.fd);
			return fnfErr; /* swapped under us */
		}
	} else if (want_write) {
		struct sidecar sc;
		e = sidecar_for_writing(&t, &n.fd, &sc);
		if (e != noErr)
			return e;
		n.base = sc.rsrc_offset;
		n.len_at = sc.rsrc_entry_at;
		/* Paths already reading this fork follow it to where it is now
		 * (the sidecar may have been made or rewritten just now). */
		for (unsigned i = 0; i < VOLUMES_MAX_OPEN; i++) {
			struct fcb *o = &v->fcbs[i];
			if (!o->used || !o->rsrc || o->dev != st.st_dev || o->ino != st.st_ino)
				continue;
			if (o->fd < 0) {
				char rel[REL_MAX];
				if (sidecar_rel(&t, rel) == noErr)
					o->fd = beneath_open(t.vol->root, rel,
							     O_RDONLY | O_NOFOLLOW, 0);
			}
			o->base = sc.rsrc_offset;
			o->len_at = sc.rsrc_entry_at;
		}
	} else {
		char rel[REL_MAX];
		if ((e = sidecar_rel(&t, rel)) != noErr)
			return e;
		n.fd = beneath_open(t.vol->root, rel, O_RDONLY | O_NOFOLLOW, 0);
		if (n.fd >= 0) {
			struct sidecar sc;
			if (sidecar_read(n.fd, &sc) != noErr) {
				close(n.fd);
				return ioErr;
			}
			if (sc.rsrc_entry_at == 0) {
				close(n.fd); /* Finder info only: an empty fork */
				n.fd = -1;
			}
			n.base = sc.rsrc_offset;
			n.len_at = sc.rsrc_entry_at;
		} else if (errno != ENOENT) {
			return mac_error(errno);
		}
	}
	n.used = true;
	n.can_write = want_write;
	n.permission = want_write
			   ? (uint8_t)(q->permission == fsCurPerm ? fsRdWrPerm : q->permission)
			   : (uint8_t)fsRdPerm;
	*f = n;
	r->refnum = refnum_of(v, f);
	r->permission = f->permission;
	return fcb_eof(f, &r->eof);
}

static int32_t do_read(struct volumes *v, const struct fm_io_req *q, struct fm_io_reply *r,
		       uint8_t *data)
{
	struct fcb *f = fcb_of(v, q->refnum);
	if (f == NULL)
		return rfNumErr;
	if (q->count > FM_IO_MAX)
		return paramErr;
	uint32_t eof, pos;
	int32_t e = fcb_eof(f, &eof);
	if (e != noErr)
		return e;
	e = position(f, q->pos_mode, q->offset, eof, &pos);
	r->mark = f->mark;
	if (e == posErr)
		return e;
	if (e == eofErr) {
		f->mark = r->mark = eof;
		return q->count ? eofErr : noErr;
	}
	uint32_t want = q->count, avail = eof - pos;
	uint32_t n = want < avail ? want : avail;
	if (n > 0) {
		ssize_t got;
		do
			got = pread(f->fd, data, n, (off_t)(f->base + pos));
		while (got < 0 && errno == EINTR);
		if (got < 0)
			return ioErr;
		n = (uint32_t)got;
	}
	bool newline_hit = false;
	if (q->pos_mode & FM_NEWLINE_MODE) {
		uint8_t nl = (uint8_t)(q->pos_mode >> 8);
		uint8_t *hit = memchr(data, nl, n);
		if (hit != NULL) {
			n = (uint32_t)(hit - data) + 1;
			newline_hit = true;
		}
	}
	r->actual = n;
	f->mark = r->mark = pos + n;
	return n < want && !newline_hit ? eofErr : noErr;
}

static int32_t do_write(struct volumes *v, const struct fm_io_req *q, const uint8_t *data,
			struct fm_io_reply *r)
{
	struct fcb *f = fcb_of(v, q->refnum);
	if (f == NULL)
		return rfNumErr;
	r->mark = f->mark;
	if (!f->can_write)
		return wrPermErr;
	if (f->vol->read_only)
		return wPrErr;
	uint32_t eof, pos;
	int32_t e = fcb_eof(f, &eof);
	if (e != noErr)
		return e;
	e = position(f, q->pos_mode, q->offset, eof, &pos);
	if (e != noErr)
		return e;
	if ((uint64_t)pos + q->count > MAX_FILE_SIZE)
		return dskFulErr;
	uint32_t done = 0;
	while (done < q->count) {
		ssize_t w =
		    pwrite(f->fd, data + done, q->count - done, (off_t)(f->base + pos + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			e = w < 0 ? mac_error(errno) : dskFulErr;
			break;
		}
		done += (uint32_t)w;
	}
	if (f->rsrc && pos + done > eof && !write_be32_at(f->fd, f->len_at, pos + done))
		e = ioErr;
	r->actual = done;
	f->mark = r->mark = pos + done;
	return e;
}

static int32_t do_fork(struct volumes *v, uint32_t type, const struct fm_fork_req *q,
		       struct fm_fork_reply *r)
{
	struct fcb *f = fcb_of(v, q->refnum);
	if (f == NULL)
		return rfNumErr;
	if (type == MSG_FM_CLOSE) {
		if (f->fd >= 0)
			close(f->fd);
		memset(f, 0, sizeof *f);
		return noErr;
	}
	int32_t e = fcb_eof(f, &r->eof);
	r->mark = f->mark;
	if (e != noErr)
		return e;
	switch (type) {
	case MSG_FM_SET_EOF:
		if (!f->can_write)
			return wrPermErr;
		if (f->vol->read_only)
			return wPrErr;
		if ((e = fcb_set_eof(f, q->value)) != noErr)
			return e;
		r->eof = q->value;
		if (f->mark > r->eof)
			f->mark = r->mark = r->eof;
		return noErr;
	case MSG_FM_SET_FPOS: {
		if ((q->pos_mode & 3) == fsAtMark && q->offset != 0)
			return paramErr;
		uint32_t pos;
		e = position(f, q->pos_mode, q->offset, r->eof, &pos);
		if (e == posErr)
			return e;
		f->mark = r->mark = pos;
		return e;
	}
	default: /* GET_EOF, GET_FPOS */
		return noErr;
	}
}

static int32_t do_create(struct volumes *v, const struct fm_path_req *q)
{
	struct target t;
	int32_t e = resolve(v, q->vref, q->dir_id, q->name, q->name_len, &t);
	if (e != noErr)
		return e;
	if (t.vol->read_only)
		return wPrErr;
	if (t.depth == 0)
		return dupFNErr; /* the directory itself */
	int fd = beneath_open(t.vol->root, t.rel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);
	if (fd < 0)
		return errno == ENOENT ? dirNFErr : mac_error(errno);
	close(fd);
	/* A stale sidecar of an earlier file of that name is not this file's. */
	char rel[REL_MAX];
	bool finfo = false;
	for (int i = 0; i < 8; i++)
		finfo |= q->finder_info[i] != 0;
	if (sidecar_rel(&t, rel) != noErr)
		return noErr;
	int pfd;
	if (open_parent(&t, &pfd) == noErr) {
		char side[HOST_NAME_MAX_BYTES + 3];
		snprintf(side, sizeof side, "._%s", leaf(&t));
		unlinkat(pfd, side, 0);
		close(pfd);
	}
	if (!finfo)
		return noErr;
	int sfd = beneath_open(t.vol->root, rel, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);
	if (sfd < 0)
		return mac_error(errno);
	uint8_t fi[FM_FINDER_INFO];
	memset(fi, 0, sizeof fi);
	memcpy(fi, q->finder_info, 8); /* type and creator; the rest starts at zero */
	e = sidecar_write(sfd, fi, NULL, 0);
	close(sfd);
	return e;
}

static bool target_busy(struct volumes *v, const struct target *t)
{
	int fd = beneath_open(t->vol->root, t->rel, O_PATH, 0);
	struct stat st;
	bool busy =
	    fd >= 0 && fstat(fd, &st) == 0 &&
	    (fork_open(v, st.st_dev, st.st_ino, false) || fork_open(v, st.st_dev, st.st_ino, true));
	if (fd >= 0)
		close(fd);
	return busy;
}

static int32_t do_delete(struct volumes *v, const struct fm_path_req *q)
{
	struct target t;
	int32_t e = resolve(v, q->vref, q->dir_id, q->name, q->name_len, &t);
	if (e != noErr)
		return e;
	if (t.vol->read_only)
		return wPrErr;
	if (t.depth == 0)
		return fBsyErr; /* the root */
	if (target_busy(v, &t))
		return fBsyErr;
	int pfd;
	if ((e = open_parent(&t, &pfd)) != noErr)
		return e;
	const char *name = leaf(&t);
	int rc = unlinkat(pfd, name, 0);
	if (rc != 0 && (errno == EISDIR || errno == EPERM)) {
		/* A directory: only an empty one goes, and with it its orphan sidecars. */
		rc = unlinkat(pfd, name, AT_REMOVEDIR);
	}
	if (rc != 0) {
		e = mac_error(errno);
		close(pfd);
		return e;
	}
	char side[HOST_NAME_MAX_BYTES + 3];
	snprintf(side, sizeof side, "._%s", name);
	unlinkat(pfd, side, 0);
	close(pfd);
	return noErr;
}

static int32_t do_cat_info(struct volumes *v, const struct fm_path_req *q, struct fm_cat_reply *r)
{
	struct target t;
	/* As PBGetCatInfo: with an index, the name is ignored (it is output). */
	int32_t e = resolve(v, q->vref, q->dir_id, q->name, q->index == 0 ? q->name_len : 0, &t);
	if (e != noErr)
		return e;
	if (q->index > 0) {
		size_t n;
		struct listed *l = list_dir(t.vol, t.rel, (q->flags & FM_INDEX_FILES) != 0, &n);
		if ((size_t)q->index > n) {
			free(l);
			return fnfErr;
		}
		const struct listed *it = &l[q->index - 1];
		if (t.depth == PATH_DEPTH_MAX) {
			free(l);
			return bdNamErr;
		}
		snprintf(t.comp[t.depth++], sizeof t.comp[0], "%s", it->host);
		free(l);
		if ((e = join(&t, t.depth, t.rel)) != noErr ||
		    (e = join(&t, t.depth - 1, t.parent_rel)) != noErr)
			return e;
	}
	e = cat_info(v, &t, r);
	if (e == noErr && q->index < 0 && !r->is_dir)
		return dirNFErr;
	return e;
}

static int32_t do_set_finfo(struct volumes *v, const struct fm_path_req *q)
{
	if (q->flags & ~(FM_SET_FINFO | FM_SET_FXINFO))
		return paramErr;
	struct target t;
	int32_t e = resolve(v, q->vref, q->dir_id, q->name, q->name_len, &t);
	if (e != noErr)
		return e;
	if (t.vol->read_only)
		return wPrErr;
	struct fm_cat_reply exists;
	memset(&exists, 0, sizeof exists);
	if ((e = cat_info(v, &t, &exists)) != noErr)
		return e;
	if (t.depth == 0)
		return paramErr; /* the root's DInfo is not kept */
	char rel[REL_MAX];
	if ((e = sidecar_rel(&t, rel)) != noErr)
		return e;
	int fd = beneath_open(t.vol->root, rel, O_RDWR | O_CREAT | O_NOFOLLOW, 0666);
	if (fd < 0)
		return mac_error(errno);
	struct sidecar sc;
	struct stat st;
	memset(&sc, 0, sizeof sc);
	if (fstat(fd, &st) != 0 || (st.st_size > 0 && sidecar_read(fd, &sc) != noErr)) {
		close(fd);
		return ioErr;
	}
	uint8_t fi[FM_FINDER_INFO];
	memcpy(fi, sc.finder_info, sizeof fi);
	if (q->flags & FM_SET_FINFO)
		memcpy(fi, q->finder_info, 16);
	if (q->flags & FM_SET_FXINFO)
		memcpy(fi + 16, q->finder_info + 16, 16);
	if (sc.finfo_offset) {
		e = pwrite(fd, fi, sizeof fi, sc.finfo_offset) == (ssize_t)sizeof fi ? noErr
										     : ioErr;
	} else if (exists.attrib & kioFlAttribResOpenMask) {
		e = fBsyErr; /* rewriting would move the open fork */
	} else if (sc.rsrc_length > MACFILE_MAX_SIZE) {
		e = ioErr;
	} else {
		uint8_t *fork = malloc(sc.rsrc_length ? sc.rsrc_length : 1);
		if (fork == NULL ||
		    (sc.rsrc_length && pread(fd, fork, sc.rsrc_length, (off_t)sc.rsrc_offset) !=
					   (ssize_t)sc.rsrc_length))
			e = ioErr;
		else
			e = sidecar_write(fd, fi, fork, sc.rsrc_length);
		free(fork);
	}
	close(fd);
	return e;
}

static int32_t do_dir_create(struct volumes *v, const struct fm_path_req *q, struct fm_reply *r)
{
	struct target t;
	int32_t e = resolve(v, q->vref, q->dir_id, q->name, q->name_len, &t);
	if (e != noErr)
		return e;
	if (t.vol->read_only)
		return wPrErr;
	if (t.depth == 0)
		return dupFNErr;
	int pfd;
	if ((e = open_parent(&t, &pfd)) != noErr)
		return e;
	int rc = mkdirat(pfd, leaf(&t), 0777);
	int saved = errno;
	close(pfd);
	if (rc != 0)
		return mac_error(saved);
	int fd = beneath_open(t.vol->root, t.rel, O_PATH | O_DIRECTORY, 0);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return ioErr;
	}
	close(fd);
	r->value = node_id_for(t.vol, st.st_dev, st.st_ino, true, t.rel);
	return noErr;
}

static int32_t do_rename(struct volumes *v, const struct fm_rename_req *q)
{
	if (q->new_len > MAC_NAME_MAX)
		return bdNamErr;
	char new_host[HOST_NAME_MAX_BYTES + 1];
	if (!mac_to_host_name(q->new_name, q->new_len, new_host))
		return bdNamErr;
	struct target t;
	int32_t e = resolve(v, q->from.vref, q->from.dir_id, q->from.name, q->from.name_len, &t);
	if (e != noErr)
		return e;
	if (t.vol->read_only)
		return wPrErr;
	if (t.depth == 0)
		return paramErr; /* renaming a volume is not supported */
	int pfd;
	if ((e = open_parent(&t, &pfd)) != noErr)
		return e;
	const char *old = leaf(&t);
	if (renameat2(pfd, old, pfd, new_host, RENAME_NOREPLACE) != 0) {
		e = mac_error(errno);
		close(pfd);
		return e;
	}
	char so[HOST_NAME_MAX_BYTES + 3], sn[HOST_NAME_MAX_BYTES + 3];
	snprintf(so, sizeof so, "._%s", old);
	snprintf(sn, sizeof sn, "._%s", new_host);
	renameat(pfd, so, pfd, sn);
	close(pfd);
	/* Directory IDs below the old name now live below the new one. */
	char new_rel[REL_MAX];
	snprintf(t.comp[t.depth - 1], sizeof t.comp[0], "%s", new_host);
	if (join(&t, t.depth, new_rel) != noErr)
		return noErr;
	size_t ol = strlen(t.rel);
	for (size_t i = 0; i < t.vol->nids; i++) {
		struct node_id *n = &t.vol->ids[i];
		if (strncmp(n->rel, t.rel, ol) != 0 || (n->rel[ol] != '\0' && n->rel[ol] != '/'))
			continue;
		char fixed[REL_MAX];
		if (snprintf(fixed, sizeof fixed, "%s%s", new_rel, n->rel + ol) >=
		    (int)sizeof fixed)
			continue;
		char *r = strdup(fixed);
		if (r != NULL) {
			free(n->rel);
			n->rel = r;
		}
	}
	return noErr;
}

static int32_t do_volume(struct volumes *v, const struct fm_volume_req *q,
			 struct fm_volume_reply *r)
{
	struct volume *vol = NULL;
	if (q->index > 0)
		vol = (unsigned)q->index <= v->n ? &v->vols[q->index - 1] : NULL;
	else if (q->index == 0)
		vol = volume_by_vref(v, q->vref);
	else if (q->name_len <= MAC_VOLUME_NAME_MAX)
		vol = volume_by_name(v, q->name, q->name_len);
	if (vol == NULL)
		return nsvErr;
	r->vref = vol->vref;
	r->read_only = vol->read_only;
	r->name_len = vol->name_len;
	memcpy(r->name, vol->name, vol->name_len);
	r->root_files = count_visible(vol, ".", true);
	r->create_date = vol->created;
	r->next_id = vol->next_id;
	struct statvfs sv;
	if (fstatvfs(vol->root, &sv) == 0) {
		/* Blocks as HFS counts them: at most 65535, so the block grows. */
		uint64_t total = (uint64_t)sv.f_blocks * sv.f_frsize;
		uint64_t avail = (uint64_t)sv.f_bavail * sv.f_frsize;
		uint64_t bs = 512;
		while (total / bs > 65535 && bs < (1u << 30))
			bs *= 2;
		r->alloc_size = (uint32_t)bs;
		r->total_blocks = (uint32_t)(total / bs > 65535 ? 65535 : total / bs);
		r->free_blocks = (uint32_t)(avail / bs > 65535 ? 65535 : avail / bs);
	}
	return noErr;
}

/* ---- the request entry ---- */

static size_t reply_size(uint32_t type)
{
	switch (type) {
	case MSG_FM_VOLUME:
		return sizeof(struct fm_volume_reply);
	case MSG_FM_OPEN:
		return sizeof(struct fm_open_reply);
	case MSG_FM_READ:
	case MSG_FM_WRITE:
		return sizeof(struct fm_io_reply);
	case MSG_FM_CLOSE:
	case MSG_FM_GET_EOF:
	case MSG_FM_SET_EOF:
	case MSG_FM_GET_FPOS:
	case MSG_FM_SET_FPOS:
		return sizeof(struct fm_fork_reply);
	case MSG_FM_GET_CAT_INFO:
		return sizeof(struct fm_cat_reply);
	default:
		return sizeof(struct fm_reply);
	}
}

static size_t request_size(uint32_t type)
{
	switch (type) {
	case MSG_FM_VOLUME:
		return sizeof(struct fm_volume_req);
	case MSG_FM_READ:
	case MSG_FM_WRITE:
		return sizeof(struct fm_io_req);
	case MSG_FM_CLOSE:
	case MSG_FM_GET_EOF:
	case MSG_FM_SET_EOF:
	case MSG_FM_GET_FPOS:
	case MSG_FM_SET_FPOS:
		return sizeof(struct fm_fork_req);
	case MSG_FM_RENAME:
		return sizeof(struct fm_rename_req);
	default:
		return sizeof(struct fm_path_req);
	}
}

size_t volumes_handle(struct volumes *v, uint32_t type, const void *payload, size_t len,
		      void *reply, size_t reply_cap)
{
	size_t rlen = reply_size(type);
	if (reply_cap < sizeof(struct fm_io_reply) + FM_IO_MAX || rlen > reply_cap)
		return 0;
	memset(reply, 0, rlen);
	int32_t *result = reply;
	if (type < MSG_FM_FIRST || type > MSG_FM_LAST) {
		*result = paramErr;
		return rlen;
	}
	/* Fixed sizes, except a write's data after its header, which must be
	 * exactly the count it claims. */
	size_t want = request_size(type);
	if (len < want) {
		*result = paramErr;
		return rlen;
	}
	/* Copied out: the payload buffer need not be aligned. */
	union {
		struct fm_path_req path;
		struct fm_rename_req rename;
		struct fm_io_req io;
		struct fm_fork_req fork;
		struct fm_volume_req volume;
	} q;
	memcpy(&q, payload, want);
	if (type == MSG_FM_WRITE ? (q.io.count > FM_IO_MAX || len != want + q.io.count)
				 : len != want) {
		*result = paramErr;
		return rlen;
	}
	/* Flags only where a call has them. */
	if (request_size(type) == sizeof(struct fm_path_req) || type == MSG_FM_RENAME) {
		uint32_t flags = type == MSG_FM_RENAME ? q.rename.from.flags : q.path.flags;
		uint32_t allowed = type == MSG_FM_SET_FINFO	 ? FM_SET_FINFO | FM_SET_FXINFO
				   : type == MSG_FM_GET_CAT_INFO ? FM_INDEX_FILES
								 : 0;
		if (flags & ~allowed) {
			*result = paramErr;
			return rlen;
		}
	}
	uint8_t *out = reply;
	switch (type) {
	case MSG_FM_VOLUME: {
		struct fm_volume_reply r = {0};
		r.result = do_volume(v, &q.volume, &r);
		memcpy(out, &r, sizeof r);
		return rlen;
	}
	case MSG_FM_OPEN: {
		struct fm_open_reply r = {0};
		r.result = do_open(v, &q.path, &r);
		memcpy(out, &r, sizeof r);
		return rlen;
	}
	case MSG_FM_READ: {
		struct fm_io_reply r = {0};
		r.result = do_read(v, &q.io, &r, out + sizeof r);
		memcpy(out, &r, sizeof r);
		return rlen + r.actual;
	}
	case MSG_FM_WRITE: {
		struct fm_io_reply r = {0};
		r.result = do_write(v, &q.io, (const uint8_t *)payload + want, &r);
		memcpy(out, &r, sizeof r);
		return rlen;
	}
	case MSG_FM_CLOSE:
	case MSG_FM_GET_EOF:
	case MSG_FM_SET_EOF:
	case MSG_FM_GET_FPOS:
	case MSG_FM_SET_FPOS: {
		struct fm_fork_reply r = {0};
		r.result = do_fork(v, type, &q.fork, &r);
		memcpy(out, &r, sizeof r);
		return rlen;
	}
	case MSG_FM_GET_CAT_INFO: {
		struct fm_cat_reply r = {0};
		r.result = do_cat_info(v, &q.path, &r);
		if (r.result != noErr) {
			struct fm_cat_reply clean = {.result = r.result};
			r = clean;
		}
		memcpy(out, &r, sizeof r);
		return rlen;
	}
	}
	struct fm_reply r = {0};
	switch (type) {
	case MSG_FM_CREATE:
		r.result = do_create(v, &q.path);
		break;
	case MSG_FM_DELETE:
		r.result = do_delete(v, &q.path);
		break;
	case MSG_FM_SET_FINFO:
		r.result = do_set_finfo(v, &q.path);
		break;
	case MSG_FM_DIR_CREATE:
		r.result = do_dir_create(v, &q.path, &r);
		break;
	case MSG_FM_RENAME:
		r.result = do_rename(v, &q.rename);
		break;
	default:
		r.result = paramErr;
		break;
	}
	memcpy(out, &r, sizeof r);
	return rlen;
}

bool volumes_on_request(void *ctx, uint32_t type, const void *payload, size_t len, int channel_fd)
{
	if (type < MSG_FM_FIRST || type > MSG_FM_LAST)
		return false;
	static uint8_t reply[MSG_MAX - sizeof(struct msg_header)];
	size_t n = volumes_handle(ctx, type, payload, len, reply, sizeof reply);
	msg_reply(channel_fd, MSG_REPLY(type), reply, n);
	return true;
}

/* ---- setup ---- */

struct volumes *volumes_open(const struct run_config *cfg, char *err, size_t errlen)
{
	struct volumes *v = calloc(1, sizeof *v);
	if (v == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (unsigned i = 0; i < cfg->nvolumes; i++) {
		const char *arg = cfg->volumes[i].arg;
		const char *opt = cfg->volumes[i].read_write ? "--volume-rw" : "--volume";
		/* NAME=DIR when what precedes the first '=' has no '/'. */
		const char *eq = strchr(arg, '=');
		const char *slash = strchr(arg, '/');
		const char *dir = arg;
		char host_name[HOST_NAME_MAX_BYTES + 1];
		if (eq != NULL && (slash == NULL || slash > eq)) {
			size_t k = (size_t)(eq - arg);
			if (k > HOST_NAME_MAX_BYTES)
				k = HOST_NAME_MAX_BYTES;
			memcpy(host_name, arg, k);
			host_name[k] = '\0';
			dir = eq + 1;
		} else {
			char *real = realpath(arg, NULL);
			const char *base = real ? strrchr(real, '/') : NULL;
			snprintf(host_name, sizeof host_name, "%s", base ? base + 1 : "");
			free(real);
		}
		struct volume *vol = &v->vols[v->n];
		int n = host_to_mac_name(host_name, vol->name, MAC_VOLUME_NAME_MAX);
		if (n <= 0) {
			snprintf(
			    err, errlen,
			    "%s %s: '%s' cannot be a volume name (1 to 27 Mac Roman characters; "
			    "give one as NAME=DIR)",
			    opt, arg, host_name);
			goto fail;
		}
		vol->name_len = (uint8_t)n;
		for (unsigned j = 0; j < v->n; j++)
			if (mac_compare(v->vols[j].name, v->vols[j].name_len, vol->name,
					vol->name_len) == 0) {
				snprintf(err, errlen,
					 "%s %s: a volume is already called '%s' (give another as "
					 "NAME=DIR)",
					 opt, arg, host_name);
				goto fail;
			}
		vol->root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		struct stat st;
		if (vol->root < 0 || fstat(vol->root, &st) != 0) {
			snprintf(err, errlen, "%s %s: cannot open directory '%s': %s", opt, arg,
				 dir, strerror(errno));
			if (vol->root >= 0)
				close(vol->root);
			goto fail;
		}
		vol->vref = (int16_t)(-1 - (int)v->n);
		vol->read_only = !cfg->volumes[i].read_write;
		vol->dev = st.st_dev;
		vol->ino = st.st_ino;
		vol->created = mac_time(st.st_mtime);
		vol->next_id = FIRST_USER_ID;
		v->n++;
	}
	return v;
fail:
	volumes_close(v);
	return NULL;
}

void volumes_close(struct volumes *v)
{
	if (v == NULL)
		return;
	for (unsigned i = 0; i < VOLUMES_MAX_OPEN; i++)
		if (v->fcbs[i].used && v->fcbs[i].fd >= 0)
			close(v->fcbs[i].fd);
	for (unsigned i = 0; i < v->n; i++) {
		close(v->vols[i].root);
		for (size_t j = 0; j < v->vols[i].nids; j++)
			free(v->vols[i].ids[j].rel);
		free(v->vols[i].ids);
	}
	free(v);
}
