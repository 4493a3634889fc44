/* Access paths (the Mac's FCBs): open forks with their refnums, marks and
 * permissions; Read, Write, GetEOF/SetEOF, GetFPos/SetFPos, Close. A data
 * fork is the host file; a resource fork is a stretch of its sidecar, kept
 * last in the sidecar so it can grow in place. */
#include "config.h"

#include "host/volumes_internal.h"
#include "host/macfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
		return vol_mac_error(errno);
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
	int32_t e = vol_sidecar_rel(t, rel);
	if (e != noErr)
		return e;
	int fd = beneath_open(t->vol->root, rel, O_RDWR | O_CREAT | O_NOFOLLOW, 0666);
	if (fd < 0)
		return vol_mac_error(errno);
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

int32_t vol_open(struct volumes *v, const struct fm_path_req *q, struct fm_open_reply *r)
{
	if (q->fork > FM_RSRC_FORK || q->permission > FM_PERMISSION_MAX)
		return paramErr;
	struct target t;
	int32_t e = vol_resolve(v, q->vref, q->dir_id, q->name, q->name_len, &t);
	if (e != noErr)
		return e;
	if (t.depth == 0)
		return fnfErr; /* a directory is not a file */
	int pfd = beneath_open(t.vol->root, t.rel, O_PATH, 0);
	struct stat st;
	if (pfd < 0)
		return vol_missing(&t, errno);
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
			return vol_mac_error(errno);
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
				if (vol_sidecar_rel(&t, rel) == noErr)
					o->fd = beneath_open(t.vol->root, rel,
							     O_RDONLY | O_NOFOLLOW, 0);
			}
			o->base = sc.rsrc_offset;
			o->len_at = sc.rsrc_entry_at;
		}
	} else {
		char rel[REL_MAX];
		if ((e = vol_sidecar_rel(&t, rel)) != noErr)
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
			return vol_mac_error(errno);
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

int32_t vol_read(struct volumes *v, const struct fm_io_req *q, struct fm_io_reply *r, uint8_t *data)
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

int32_t vol_write(struct volumes *v, const struct fm_io_req *q, const uint8_t *data,
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
			e = w < 0 ? vol_mac_error(errno) : dskFulErr;
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

int32_t vol_fork_call(struct volumes *v, uint32_t type, const struct fm_fork_req *q,
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
