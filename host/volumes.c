/* Host directories as Mac volumes, served to the sandboxed guest over the
 * channel (MSG_FM_* in host/protocol.h): volume reference numbers, directory
 * IDs, pathnames, and the request entry that checks every field before
 * host/catalog.c or host/forks.c acts on it. The guest is not trusted: every
 * path is opened beneath the volume's root (host/beneath.c), and a read-only
 * volume changes nothing. */
#include "config.h"

#include "host/volumes_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "host/sandbox.h"

/* ---- errors ---- */

int32_t vol_mac_error(int e)
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

uint32_t vol_mac_time(time_t t)
{
	int64_t m = (int64_t)t + MAC_EPOCH_OFFSET;
	return m < 0 ? 0 : m > UINT32_MAX ? UINT32_MAX : (uint32_t)m;
}

/* ---- volumes and IDs ---- */

int vol_compare(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
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
uint32_t vol_node_id(struct volume *vol, dev_t dev, ino_t ino, bool is_dir, const char *rel)
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

static struct volume *vol_by_vref(struct volumes *v, int16_t vref)
{
	for (unsigned i = 0; i < v->n; i++)
		if (v->vols[i].vref == vref)
			return &v->vols[i];
	return NULL;
}

static struct volume *volume_by_name(struct volumes *v, const uint8_t *name, size_t len)
{
	for (unsigned i = 0; i < v->n; i++)
		if (vol_compare(v->vols[i].name, v->vols[i].name_len, name, len) == 0)
			return &v->vols[i];
	return NULL;
}

/* ---- paths ---- */

int32_t vol_join(const struct target *t, unsigned depth, char *out)
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

/* The entry of directory dfd whose Mac name equals comp's ignoring case,
 * copied over comp. Returns false if there is none. */
static bool find_folded(int dfd, char *comp)
{
	uint8_t want[MAC_NAME_MAX];
	int wn = host_to_mac_name(comp, want, sizeof want);
	int fd = dup(dfd);
	DIR *d = wn < 0 || fd < 0 ? NULL : fdopendir(fd);
	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(d)) != NULL) {
		uint8_t mac[MAC_NAME_MAX];
		int n;
		if (host_name_hidden(e->d_name) ||
		    (n = host_to_mac_name(e->d_name, mac, sizeof mac)) < 0 ||
		    vol_compare(mac, (size_t)n, want, (size_t)wn) != 0)
			continue;
		snprintf(comp, HOST_NAME_MAX_BYTES + 1, "%s", e->d_name);
		found = true;
	}
	closedir(d);
	return found;
}

/* HFS names are case-insensitive, Linux's are not: when the exact host
 * path is missing, each missing component is replaced by an entry of its
 * directory whose name matches ignoring case (ASCII letters, as the catalog
 * orders names), if there is one. A component with no match stays as it
 * is (a name to create, or a fnfErr to come). */
static int32_t fold_case(struct target *t)
{
	int fd = beneath_open(t->vol->root, t->rel, O_PATH, 0);
	if (fd >= 0 || errno != ENOENT) {
		if (fd >= 0)
			close(fd);
		return noErr;
	}
	bool changed = false;
	for (unsigned i = 0; i < t->depth; i++) {
		char dir[REL_MAX];
		if (vol_join(t, i, dir) != noErr)
			break;
		int dfd = beneath_open(t->vol->root, dir, O_RDONLY | O_DIRECTORY, 0);
		if (dfd < 0)
			break;
		struct stat st;
		bool there = fstatat(dfd, t->comp[i], &st, AT_SYMLINK_NOFOLLOW) == 0;
		bool folded = !there && find_folded(dfd, t->comp[i]);
		close(dfd);
		if (!there && !folded)
			break;
		changed |= folded;
	}
	if (!changed)
		return noErr;
	int32_t e = vol_join(t, t->depth, t->rel);
	return e != noErr ? e : vol_join(t, t->depth ? t->depth - 1 : 0, t->parent_rel);
}

/* Resolves (vref, dir_id, name) the HFS way: a name with a ':' inside (not
 * first) is a full pathname starting with a volume name; otherwise it is a
 * partial pathname from directory dir_id (0: the root) of volume vref. Each
 * ':' after the first in a row climbs one directory, never above the root
 * (dirNFErr). Every component becomes a checked host name (bdNamErr). */
int32_t vol_resolve(struct volumes *v, int16_t vref, uint32_t dir_id, const uint8_t *name,
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
		vol_join(t, 0, t->rel);
		vol_join(t, 0, t->parent_rel);
		return noErr;
	} else {
		t->vol = vol_by_vref(v, vref);
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
	int32_t e = vol_join(t, t->depth, t->rel);
	if (e == noErr)
		e = vol_join(t, t->depth ? t->depth - 1 : 0, t->parent_rel);
	if (e == noErr)
		e = fold_case(t);
	return e;
}

const char *vol_leaf(const struct target *t)
{
	return t->depth ? t->comp[t->depth - 1] : ".";
}

/* "parent/._leaf" */
int32_t vol_sidecar_rel(const struct target *t, char *out)
{
	int n = t->depth <= 1 ? snprintf(out, REL_MAX, "._%s", vol_leaf(t))
			      : snprintf(out, REL_MAX, "%s/._%s", t->parent_rel, vol_leaf(t));
	return n < 0 || n >= REL_MAX ? bdNamErr : noErr;
}

/* Opens the parent directory of t (O_PATH): for *at() calls on its leaf. */
int32_t vol_open_parent(const struct target *t, int *fd)
{
	*fd = beneath_open(t->vol->root, t->parent_rel, O_PATH | O_DIRECTORY, 0);
	if (*fd < 0)
		return errno == ENOENT ? dirNFErr : vol_mac_error(errno);
	return noErr;
}

/* The result for a failed open of t: a missing file is fnfErr, but only if
 * its directory is there (dirNFErr otherwise). */
int32_t vol_missing(const struct target *t, int err)
{
	if (err != ENOENT && err != ENOTDIR)
		return vol_mac_error(err);
	int fd = beneath_open(t->vol->root, t->parent_rel, O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? dirNFErr : vol_mac_error(errno);
	close(fd);
	return fnfErr;
}

static int32_t vol_volume_info(struct volumes *v, const struct fm_volume_req *q,
			       struct fm_volume_reply *r)
{
	struct volume *vol = NULL;
	if (q->index > 0)
		vol = (unsigned)q->index <= v->n ? &v->vols[q->index - 1] : NULL;
	else if (q->index == 0)
		vol = vol_by_vref(v, q->vref);
	else if (q->name_len <= MAC_VOLUME_NAME_MAX)
		vol = volume_by_name(v, q->name, q->name_len);
	if (vol == NULL)
		return nsvErr;
	r->vref = vol->vref;
	r->read_only = vol->read_only;
	r->name_len = vol->name_len;
	memcpy(r->name, vol->name, vol->name_len);
	size_t files;
	vol_listing(v, vol, ".", true, &files);
	r->root_files = (uint32_t)files;
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
		r.result = vol_volume_info(v, &q.volume, &r);
		memcpy(out, &r, sizeof r);
		return rlen;
	}
	case MSG_FM_OPEN: {
		struct fm_open_reply r = {0};
		r.result = vol_open(v, &q.path, &r);
		memcpy(out, &r, sizeof r);
		return rlen;
	}
	case MSG_FM_READ: {
		struct fm_io_reply r = {0};
		r.result = vol_read(v, &q.io, &r, out + sizeof r);
		memcpy(out, &r, sizeof r);
		return rlen + r.actual;
	}
	case MSG_FM_WRITE: {
		struct fm_io_reply r = {0};
		r.result = vol_write(v, &q.io, (const uint8_t *)payload + want, &r);
		memcpy(out, &r, sizeof r);
		return rlen;
	}
	case MSG_FM_CLOSE:
	case MSG_FM_GET_EOF:
	case MSG_FM_SET_EOF:
	case MSG_FM_GET_FPOS:
	case MSG_FM_SET_FPOS: {
		struct fm_fork_reply r = {0};
		r.result = vol_fork_call(v, type, &q.fork, &r);
		memcpy(out, &r, sizeof r);
		return rlen;
	}
	case MSG_FM_GET_CAT_INFO: {
		struct fm_cat_reply r = {0};
		r.result = vol_get_cat_info(v, &q.path, &r);
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
		r.result = vol_create(v, &q.path);
		break;
	case MSG_FM_DELETE:
		r.result = vol_delete(v, &q.path);
		break;
	case MSG_FM_SET_FINFO:
		r.result = vol_set_finfo(v, &q.path);
		break;
	case MSG_FM_DIR_CREATE:
		r.result = vol_dir_create(v, &q.path, &r);
		break;
	case MSG_FM_RENAME:
		r.result = vol_rename(v, &q.rename);
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
			if (vol_compare(v->vols[j].name, v->vols[j].name_len, vol->name,
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
		vol->created = vol_mac_time(st.st_mtime);
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
	vol_listing_drop(v);
	for (unsigned i = 0; i < v->n; i++) {
		close(v->vols[i].root);
		for (size_t j = 0; j < v->vols[i].nids; j++)
			free(v->vols[i].ids[j].rel);
		free(v->vols[i].ids);
	}
	free(v);
}
