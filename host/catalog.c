/* The catalog of a volume: listings in catalog order, catalog info (names,
 * IDs, Finder info, fork sizes), and the calls that change it: Create,
 * Delete, SetFInfo, DirCreate, Rename. Finder info and resource fork sizes
 * come from the AppleDouble sidecars (host/sidecar.c). */
#include "config.h"

#include "host/volumes_internal.h"
#include "host/macfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Finder info and catalog entries ---- */

void vol_read_sidecar(const struct target *t, struct sidecar *sc)
{
	memset(sc, 0, sizeof *sc);
	char rel[REL_MAX];
	if (t->depth == 0 || vol_sidecar_rel(t, rel) != noErr)
		return;
	int fd = beneath_open(t->vol->root, rel, O_RDONLY | O_NOFOLLOW, 0);
	if (fd < 0)
		return;
	if (sidecar_read(fd, sc) != noErr)
		memset(sc, 0, sizeof *sc); /* a malformed sidecar reads as none */
	close(fd);
}

bool vol_fork_open(struct volumes *v, dev_t dev, ino_t ino, bool rsrc)
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

/* Fills r for the existing entry t names. */
int32_t vol_cat_info(struct volumes *v, const struct target *t, struct fm_cat_reply *r)
{
	int fd = beneath_open(t->vol->root, t->rel, O_PATH, 0);
	if (fd < 0)
		return vol_missing(t, errno);
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
		int n = host_to_mac_name(vol_leaf(t), r->name, MAC_NAME_MAX);
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
		r->parent_id = vol_node_id(t->vol, pst.st_dev, pst.st_ino, true, t->parent_rel);
	}
	r->id = vol_node_id(t->vol, st.st_dev, st.st_ino, dir, t->rel);
	struct sidecar sc;
	vol_read_sidecar(t, &sc);
	memcpy(r->finder_info, sc.finder_info, FM_FINDER_INFO);
	r->mod_date = r->create_date = vol_mac_time(st.st_mtime);
	if (dir) {
		r->attrib = kioFlAttribDirMask;
		size_t n;
		vol_listing(v, t->vol, t->rel, false, &n);
		r->valence = (uint32_t)n;
	} else {
		r->data_eof = st.st_size > MAX_FILE_SIZE ? MAX_FILE_SIZE : (uint32_t)st.st_size;
		r->data_physical = physical(r->data_eof);
		r->rsrc_eof = sc.rsrc_length;
		r->rsrc_physical = physical(sc.rsrc_length);
		if (!(st.st_mode & 0222))
			r->attrib |= kioFlAttribLockedMask;
		if (vol_fork_open(v, st.st_dev, st.st_ino, false))
			r->attrib |= kioFlAttribDataOpenMask | kioFlAttribFileOpenMask;
		if (vol_fork_open(v, st.st_dev, st.st_ino, true))
			r->attrib |= kioFlAttribResOpenMask | kioFlAttribFileOpenMask;
	}
	return noErr;
}

/* ---- directory listings ---- */

static int compare_listed(const void *a, const void *b)
{
	const struct listed *x = a, *y = b;
	return vol_compare(x->mac, x->mac_len, y->mac, y->mac_len);
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

void vol_listing_drop(struct volumes *v)
{
	for (unsigned i = 0; i < sizeof v->cache / sizeof v->cache[0]; i++) {
		free(v->cache[i].items);
		memset(&v->cache[i], 0, sizeof v->cache[i]);
	}
}

const struct listed *vol_listing(struct volumes *v, struct volume *vol, const char *rel,
				 bool files_only, size_t *n)
{
	*n = 0;
	int fd = beneath_open(vol->root, rel, O_PATH | O_DIRECTORY, 0);
	struct stat st;
	bool ok = fd >= 0 && fstat(fd, &st) == 0;
	if (fd >= 0)
		close(fd);
	if (!ok)
		return NULL;
	const unsigned slots = sizeof v->cache / sizeof v->cache[0];
	for (unsigned i = 0; i < slots; i++) {
		struct listing_cache *c = &v->cache[i];
		/* Another process may change the directory too: its mtime says so. */
		if (c->valid && c->vol == vol && c->files_only == files_only &&
		    c->dev == st.st_dev && c->ino == st.st_ino &&
		    c->mtime.tv_sec == st.st_mtim.tv_sec &&
		    c->mtime.tv_nsec == st.st_mtim.tv_nsec) {
			*n = c->n;
			return c->items;
		}
	}
	struct listing_cache *c = &v->cache[v->cache_next];
	v->cache_next = (v->cache_next + 1) % slots;
	free(c->items);
	memset(c, 0, sizeof *c);
	c->items = list_dir(vol, rel, files_only, &c->n);
	c->valid = true;
	c->vol = vol;
	c->files_only = files_only;
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	c->mtime = st.st_mtim;
	*n = c->n;
	return c->items;
}

int32_t vol_create(struct volumes *v, const struct fm_path_req *q)
{
	vol_listing_drop(v);
	struct target t;
	int32_t e = vol_resolve(v, q->vref, q->dir_id, q->name, q->name_len, &t);
	if (e != noErr)
		return e;
	if (t.vol->read_only)
		return wPrErr;
	if (t.depth == 0)
		return dupFNErr; /* the directory itself */
	int fd = beneath_open(t.vol->root, t.rel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);
	if (fd < 0)
		return errno == ENOENT ? dirNFErr : vol_mac_error(errno);
	close(fd);
	/* A stale sidecar of an earlier file of that name is not this file's. */
	char rel[REL_MAX];
	bool finfo = false;
	for (int i = 0; i < 8; i++)
		finfo |= q->finder_info[i] != 0;
	if (vol_sidecar_rel(&t, rel) != noErr)
		return noErr;
	int pfd;
	if (vol_open_parent(&t, &pfd) == noErr) {
		char side[HOST_NAME_MAX_BYTES + 3];
		snprintf(side, sizeof side, "._%s", vol_leaf(&t));
		unlinkat(pfd, side, 0);
		close(pfd);
	}
	if (!finfo)
		return noErr;
	int sfd = beneath_open(t.vol->root, rel, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);
	if (sfd < 0)
		return vol_mac_error(errno);
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
	bool busy = fd >= 0 && fstat(fd, &st) == 0 &&
		    (vol_fork_open(v, st.st_dev, st.st_ino, false) ||
		     vol_fork_open(v, st.st_dev, st.st_ino, true));
	if (fd >= 0)
		close(fd);
	return busy;
}

int32_t vol_delete(struct volumes *v, const struct fm_path_req *q)
{
	vol_listing_drop(v);
	struct target t;
	int32_t e = vol_resolve(v, q->vref, q->dir_id, q->name, q->name_len, &t);
	if (e != noErr)
		return e;
	if (t.vol->read_only)
		return wPrErr;
	if (t.depth == 0)
		return fBsyErr; /* the root */
	if (target_busy(v, &t))
		return fBsyErr;
	int pfd;
	if ((e = vol_open_parent(&t, &pfd)) != noErr)
		return e;
	const char *name = vol_leaf(&t);
	int rc = unlinkat(pfd, name, 0);
	if (rc != 0 && (errno == EISDIR || errno == EPERM)) {
		/* A directory: only an empty one goes, and with it its orphan sidecars. */
		rc = unlinkat(pfd, name, AT_REMOVEDIR);
	}
	if (rc != 0) {
		e = vol_mac_error(errno);
		close(pfd);
		return e;
	}
	char side[HOST_NAME_MAX_BYTES + 3];
	snprintf(side, sizeof side, "._%s", name);
	unlinkat(pfd, side, 0);
	close(pfd);
	return noErr;
}

int32_t vol_get_cat_info(struct volumes *v, const struct fm_path_req *q, struct fm_cat_reply *r)
{
	struct target t;
	/* As PBGetCatInfo: with an index, the name is ignored (it is output). */
	int32_t e =
	    vol_resolve(v, q->vref, q->dir_id, q->name, q->index == 0 ? q->name_len : 0, &t);
	if (e != noErr)
		return e;
	if (q->index > 0) {
		size_t n;
		const struct listed *l =
		    vol_listing(v, t.vol, t.rel, (q->flags & FM_INDEX_FILES) != 0, &n);
		if ((size_t)q->index > n)
			return fnfErr;
		if (t.depth == PATH_DEPTH_MAX)
			return bdNamErr;
		snprintf(t.comp[t.depth++], sizeof t.comp[0], "%s", l[q->index - 1].host);
		if ((e = vol_join(&t, t.depth, t.rel)) != noErr ||
		    (e = vol_join(&t, t.depth - 1, t.parent_rel)) != noErr)
			return e;
	}
	e = vol_cat_info(v, &t, r);
	if (e == noErr && q->index < 0 && !r->is_dir)
		return dirNFErr;
	return e;
}

int32_t vol_set_finfo(struct volumes *v, const struct fm_path_req *q)
{
	if (q->flags & ~(FM_SET_FINFO | FM_SET_FXINFO))
		return paramErr;
	struct target t;
	int32_t e = vol_resolve(v, q->vref, q->dir_id, q->name, q->name_len, &t);
	if (e != noErr)
		return e;
	if (t.vol->read_only)
		return wPrErr;
	struct fm_cat_reply exists;
	memset(&exists, 0, sizeof exists);
	if ((e = vol_cat_info(v, &t, &exists)) != noErr)
		return e;
	if (t.depth == 0)
		return paramErr; /* the root's DInfo is not kept */
	char rel[REL_MAX];
	if ((e = vol_sidecar_rel(&t, rel)) != noErr)
		return e;
	int fd = beneath_open(t.vol->root, rel, O_RDWR | O_CREAT | O_NOFOLLOW, 0666);
	if (fd < 0)
		return vol_mac_error(errno);
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

int32_t vol_dir_create(struct volumes *v, const struct fm_path_req *q, struct fm_reply *r)
{
	vol_listing_drop(v);
	struct target t;
	int32_t e = vol_resolve(v, q->vref, q->dir_id, q->name, q->name_len, &t);
	if (e != noErr)
		return e;
	if (t.vol->read_only)
		return wPrErr;
	if (t.depth == 0)
		return dupFNErr;
	int pfd;
	if ((e = vol_open_parent(&t, &pfd)) != noErr)
		return e;
	int rc = mkdirat(pfd, vol_leaf(&t), 0777);
	int saved = errno;
	close(pfd);
	if (rc != 0)
		return vol_mac_error(saved);
	int fd = beneath_open(t.vol->root, t.rel, O_PATH | O_DIRECTORY, 0);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return ioErr;
	}
	close(fd);
	r->value = vol_node_id(t.vol, st.st_dev, st.st_ino, true, t.rel);
	return noErr;
}

int32_t vol_rename(struct volumes *v, const struct fm_rename_req *q)
{
	vol_listing_drop(v);
	if (q->new_len > MAC_NAME_MAX)
		return bdNamErr;
	char new_host[HOST_NAME_MAX_BYTES + 1];
	if (!mac_to_host_name(q->new_name, q->new_len, new_host))
		return bdNamErr;
	struct target t;
	int32_t e =
	    vol_resolve(v, q->from.vref, q->from.dir_id, q->from.name, q->from.name_len, &t);
	if (e != noErr)
		return e;
	if (t.vol->read_only)
		return wPrErr;
	if (t.depth == 0)
		return paramErr; /* renaming a volume is not supported */
	int pfd;
	if ((e = vol_open_parent(&t, &pfd)) != noErr)
		return e;
	const char *old = vol_leaf(&t);
	if (renameat2(pfd, old, pfd, new_host, RENAME_NOREPLACE) != 0) {
		e = vol_mac_error(errno);
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
	if (vol_join(&t, t.depth, new_rel) != noErr)
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
