/* The File Manager's client in the guest process: each call is one or more
 * MSG_FM_* requests on the channel (host/protocol.h), answered by the host,
 * which owns the files. Uses only writev and read, which the sandbox allows
 * on the channel. The default volume and directory (GetVol/SetVol) are kept
 * here, in the child, as the Mac keeps them in its own memory. */
#include "config.h"

#include "toolbox/files.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

void fm_client_init(struct fm_client *c, int channel_fd)
{
	c->fd = channel_fd;
	c->default_vref = -1;
	c->default_dir = fsRtDirID;
}

/* Sends one request (header, fixed part, optional data) and reads its reply
 * into c->msg. Returns the reply's payload length, or -1 if the channel
 * failed or the host answered something else (then the call is ioErr). */
static ssize_t transact(struct fm_client *c, uint32_t type, const void *req, size_t len,
			const void *data, size_t dlen, size_t min_reply)
{
	struct msg_header h = {.type = type, .length = (uint32_t)(len + dlen)};
	struct iovec iov[3] = {{&h, sizeof h}, {(void *)req, len}, {(void *)data, dlen}};
	ssize_t n;
	do
		n = writev(c->fd, iov, dlen ? 3 : 2);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)(sizeof h + len + dlen))
		return -1;
	do
		n = read(c->fd, c->msg, sizeof c->msg);
	while (n < 0 && errno == EINTR);
	if (n < (ssize_t)sizeof h)
		return -1;
	memcpy(&h, c->msg, sizeof h);
	if (h.type != MSG_REPLY(type) || h.length != (size_t)n - sizeof h || h.length < min_reply)
		return -1;
	return (ssize_t)h.length;
}

static const uint8_t *reply_payload(const struct fm_client *c)
{
	return c->msg + sizeof(struct msg_header);
}

/* Fills the naming part of a path request; vref 0 means the default
 * directory (as a working directory would). */
static void fill_path(const struct fm_client *c, struct fm_path_req *q, int16_t vref,
		      uint32_t dir_id, ConstStr255Param name)
{
	memset(q, 0, sizeof *q);
	if (vref == 0) {
		q->vref = c->default_vref;
		q->dir_id = dir_id ? dir_id : c->default_dir;
	} else {
		q->vref = vref;
		q->dir_id = dir_id;
	}
	if (name != NULL) {
		q->name_len = name[0];
		memcpy(q->name, name + 1, name[0]);
	}
}

static OSErr simple(struct fm_client *c, uint32_t type, const void *q, size_t len, uint32_t *value)
{
	struct fm_reply r;
	if (transact(c, type, q, len, NULL, 0, sizeof r) < 0)
		return ioErr;
	memcpy(&r, reply_payload(c), sizeof r);
	if (value != NULL)
		*value = r.value;
	return (OSErr)r.result;
}

OSErr fm_get_vol_info(struct fm_client *c, int16_t index, int16_t vref, struct fm_volume_reply *out)
{
	struct fm_volume_req q;
	memset(&q, 0, sizeof q);
	q.index = index;
	q.vref = vref == 0 ? c->default_vref : vref;
	if (transact(c, MSG_FM_VOLUME, &q, sizeof q, NULL, 0, sizeof *out) < 0)
		return ioErr;
	memcpy(out, reply_payload(c), sizeof *out);
	return (OSErr)out->result;
}

OSErr fm_get_vol(const struct fm_client *c, int16_t *vref, uint32_t *dir_id)
{
	*vref = c->default_vref;
	*dir_id = c->default_dir;
	return noErr;
}

OSErr fm_set_vol(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name)
{
	struct fm_cat_reply r;
	OSErr e = fm_get_cat_info(c, vref, dir_id, name, (name && name[0]) ? 0 : -1, &r);
	if (e != noErr)
		return e;
	if (!r.is_dir)
		return dirNFErr;
	c->default_vref = r.vref;
	c->default_dir = r.id;
	return noErr;
}

OSErr fm_open(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name, int fork,
	      int permission, int16_t *refnum)
{
	struct fm_path_req q;
	fill_path(c, &q, vref, dir_id, name);
	q.fork = (uint8_t)fork;
	q.permission = (uint8_t)permission;
	struct fm_open_reply r;
	if (transact(c, MSG_FM_OPEN, &q, sizeof q, NULL, 0, sizeof r) < 0)
		return ioErr;
	memcpy(&r, reply_payload(c), sizeof r);
	if (r.result == noErr || r.result == opWrErr)
		*refnum = r.refnum;
	return (OSErr)r.result;
}

/* One chunk of a read: at most FM_IO_MAX bytes, copied to *data. */
static OSErr read_chunk(struct fm_client *c, int16_t refnum, uint16_t pos_mode, int32_t offset,
			uint32_t count, const uint8_t **data, uint32_t *got)
{
	struct fm_io_req q = {
	    .refnum = refnum, .pos_mode = pos_mode, .offset = offset, .count = count};
	struct fm_io_reply r;
	ssize_t n = transact(c, MSG_FM_READ, &q, sizeof q, NULL, 0, sizeof r);
	if (n < 0)
		return ioErr;
	memcpy(&r, reply_payload(c), sizeof r);
	if (r.actual > count || (size_t)n != sizeof r + r.actual)
		return ioErr; /* the host never sends more than asked */
	*data = reply_payload(c) + sizeof r;
	*got = r.actual;
	c->mark = r.mark;
	return (OSErr)r.result;
}

/* Splits a read into chunks; each is handed to sink(ctx, offset, bytes, n),
 * which may refuse (returns non-zero). The first chunk is positioned as asked,
 * the rest at the mark. */
static OSErr read_chunks(struct fm_client *c, int16_t refnum, uint16_t pos_mode, int32_t offset,
			 uint32_t count, uint32_t *actual,
			 OSErr (*sink)(void *ctx, uint32_t at, const uint8_t *bytes, uint32_t n),
			 void *ctx)
{
	*actual = 0;
	OSErr e = noErr;
	do {
		uint32_t want = count - *actual < FM_IO_MAX ? count - *actual : FM_IO_MAX;
		const uint8_t *bytes;
		uint32_t got = 0;
		uint16_t mode = *actual ? (uint16_t)((pos_mode & ~3u) | fsAtMark) : pos_mode;
		e = read_chunk(c, refnum, mode, *actual ? 0 : offset, want, &bytes, &got);
		if (got > 0) {
			OSErr s = sink(ctx, *actual, bytes, got);
			if (s != noErr)
				return s;
		}
		*actual += got;
		if (e != noErr || got < want)
			break;
		/* Newline mode: a chunk that ended at the newline ends the call. */
		if ((pos_mode & FM_NEWLINE_MODE) && bytes[got - 1] == (uint8_t)(pos_mode >> 8))
			break;
	} while (*actual < count);
	return e;
}

static OSErr to_host_buffer(void *ctx, uint32_t at, const uint8_t *bytes, uint32_t n)
{
	memcpy((uint8_t *)ctx + at, bytes, n);
	return noErr;
}

OSErr fm_read(struct fm_client *c, int16_t refnum, uint16_t pos_mode, int32_t offset, void *buf,
	      uint32_t count, uint32_t *actual)
{
	return read_chunks(c, refnum, pos_mode, offset, count, actual, to_host_buffer, buf);
}

static OSErr write_chunk(struct fm_client *c, int16_t refnum, uint16_t pos_mode, int32_t offset,
			 const uint8_t *data, uint32_t n, uint32_t *done)
{
	struct fm_io_req q = {.refnum = refnum, .pos_mode = pos_mode, .offset = offset, .count = n};
	struct fm_io_reply r;
	if (transact(c, MSG_FM_WRITE, &q, sizeof q, data, n, sizeof r) < 0)
		return ioErr;
	memcpy(&r, reply_payload(c), sizeof r);
	*done = r.actual > n ? n : r.actual;
	c->mark = r.mark;
	return (OSErr)r.result;
}

/* Splits a write into chunks; source(ctx, offset, buf, n) fills each. */
static OSErr write_chunks(struct fm_client *c, int16_t refnum, uint16_t pos_mode, int32_t offset,
			  uint32_t count, uint32_t *actual,
			  OSErr (*source)(void *ctx, uint32_t at, uint8_t *buf, uint32_t n),
			  void *ctx)
{
	static uint8_t chunk[FM_IO_MAX];
	*actual = 0;
	OSErr e = noErr;
	do {
		uint32_t n = count - *actual < FM_IO_MAX ? count - *actual : FM_IO_MAX;
		if (n && (e = source(ctx, *actual, chunk, n)) != noErr)
			return e;
		uint32_t done = 0;
		uint16_t mode = *actual ? (uint16_t)((pos_mode & ~3u) | fsAtMark) : pos_mode;
		e = write_chunk(c, refnum, mode, *actual ? 0 : offset, chunk, n, &done);
		*actual += done;
		if (e != noErr || done < n)
			break;
	} while (*actual < count);
	return e;
}

static OSErr from_host_buffer(void *ctx, uint32_t at, uint8_t *buf, uint32_t n)
{
	memcpy(buf, (const uint8_t *)ctx + at, n);
	return noErr;
}

OSErr fm_write(struct fm_client *c, int16_t refnum, uint16_t pos_mode, int32_t offset,
	       const void *buf, uint32_t count, uint32_t *actual)
{
	return write_chunks(c, refnum, pos_mode, offset, count, actual, from_host_buffer,
			    (void *)buf);
}

/* ---- guest buffers: held around each chunk ---- */

struct guest_buf {
	struct pager *p;
	gaddr base;
};

static OSErr to_guest(void *ctx, uint32_t at, const uint8_t *bytes, uint32_t n)
{
	struct guest_buf *g = ctx;
	return (OSErr)pager_poke(g->p, g->base + at, bytes, n);
}

static OSErr from_guest(void *ctx, uint32_t at, uint8_t *buf, uint32_t n)
{
	struct guest_buf *g = ctx;
	return (OSErr)pager_peek(g->p, g->base + at, buf, n);
}

/* Holds [buf, buf+count) chunk by chunk: a buffer larger than the frame
 * budget still works, and at most 15 pages are pinned at a time. */
static OSErr guest_io(struct fm_client *c, struct pager *p, int16_t refnum, uint16_t pos_mode,
		      int32_t offset, gaddr buf, uint32_t count, uint32_t *actual, bool write)
{
	*actual = 0;
	if ((uint64_t)(buf & pager_addr_mask(p)) + count > 0x100000000ull)
		return paramErr;
	OSErr e = noErr;
	do {
		gaddr at = buf + *actual;
		/* Chunks end on page boundaries, so each pins at most 15 pages. */
		uint32_t room = FM_IO_MAX - (at & (PAGER_PAGE_SIZE - 1));
		uint32_t n = count - *actual < room ? count - *actual : room;
		if (n > 0) {
			int h = HoldMemory(p, at, n);
			if (h != noErr)
				return (OSErr)h;
		}
		struct guest_buf g = {p, at};
		uint32_t done = 0;
		uint16_t mode = *actual ? (uint16_t)((pos_mode & ~3u) | fsAtMark) : pos_mode;
		int32_t off = *actual ? 0 : offset;
		if (write)
			e = write_chunks(c, refnum, mode, off, n, &done, from_guest, &g);
		else
			e = read_chunks(c, refnum, mode, off, n, &done, to_guest, &g);
		if (n > 0)
			UnholdMemory(p, at, n);
		*actual += done;
		if (e != noErr || done < n)
			break;
		if (!write && (pos_mode & FM_NEWLINE_MODE) && done > 0) {
			uint8_t last;
			if (pager_peek(p, at + done - 1, &last, 1) == noErr &&
			    last == (uint8_t)(pos_mode >> 8))
				break;
		}
	} while (*actual < count);
	return e;
}

OSErr fm_read_guest(struct fm_client *c, struct pager *p, int16_t refnum, uint16_t pos_mode,
		    int32_t offset, gaddr buf, uint32_t count, uint32_t *actual)
{
	return guest_io(c, p, refnum, pos_mode, offset, buf, count, actual, false);
}

OSErr fm_write_guest(struct fm_client *c, struct pager *p, int16_t refnum, uint16_t pos_mode,
		     int32_t offset, gaddr buf, uint32_t count, uint32_t *actual)
{
	return guest_io(c, p, refnum, pos_mode, offset, buf, count, actual, true);
}

/* ---- access paths ---- */

static OSErr fork_call(struct fm_client *c, uint32_t type, int16_t refnum, uint16_t pos_mode,
		       int32_t offset, uint32_t value, struct fm_fork_reply *r)
{
	struct fm_fork_req q = {
	    .refnum = refnum, .pos_mode = pos_mode, .offset = offset, .value = value};
	if (transact(c, type, &q, sizeof q, NULL, 0, sizeof *r) < 0)
		return ioErr;
	memcpy(r, reply_payload(c), sizeof *r);
	return (OSErr)r->result;
}

OSErr fm_close(struct fm_client *c, int16_t refnum)
{
	struct fm_fork_reply r;
	return fork_call(c, MSG_FM_CLOSE, refnum, 0, 0, 0, &r);
}

OSErr fm_get_eof(struct fm_client *c, int16_t refnum, uint32_t *eof)
{
	struct fm_fork_reply r;
	OSErr e = fork_call(c, MSG_FM_GET_EOF, refnum, 0, 0, 0, &r);
	*eof = r.eof;
	return e;
}

OSErr fm_set_eof(struct fm_client *c, int16_t refnum, uint32_t eof)
{
	struct fm_fork_reply r;
	return fork_call(c, MSG_FM_SET_EOF, refnum, 0, 0, eof, &r);
}

OSErr fm_get_fpos(struct fm_client *c, int16_t refnum, uint32_t *mark)
{
	struct fm_fork_reply r;
	OSErr e = fork_call(c, MSG_FM_GET_FPOS, refnum, 0, 0, 0, &r);
	*mark = r.mark;
	return e;
}

OSErr fm_set_fpos(struct fm_client *c, int16_t refnum, uint16_t pos_mode, int32_t offset,
		  uint32_t *mark)
{
	struct fm_fork_reply r;
	OSErr e = fork_call(c, MSG_FM_SET_FPOS, refnum, pos_mode, offset, 0, &r);
	if (mark != NULL)
		*mark = r.mark;
	return e;
}

/* ---- the catalog ---- */

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

OSErr fm_create(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name,
		uint32_t type, uint32_t creator)
{
	struct fm_path_req q;
	fill_path(c, &q, vref, dir_id, name);
	put_be32(q.finder_info, type); /* FInfo: fdType, fdCreator, big-endian as on disk */
	put_be32(q.finder_info + 4, creator);
	return simple(c, MSG_FM_CREATE, &q, sizeof q, NULL);
}

OSErr fm_delete(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name)
{
	struct fm_path_req q;
	fill_path(c, &q, vref, dir_id, name);
	return simple(c, MSG_FM_DELETE, &q, sizeof q, NULL);
}

static OSErr cat_call(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name,
		      int16_t index, uint32_t flags, struct fm_cat_reply *out)
{
	struct fm_path_req q;
	fill_path(c, &q, vref, dir_id, index == 0 ? name : NULL);
	q.index = index;
	q.flags = flags;
	if (transact(c, MSG_FM_GET_CAT_INFO, &q, sizeof q, NULL, 0, sizeof *out) < 0)
		return ioErr;
	memcpy(out, reply_payload(c), sizeof *out);
	if (out->name_len > sizeof out->name)
		out->name_len = sizeof out->name; /* a Str31 at most, whatever the host says */
	return (OSErr)out->result;
}

OSErr fm_get_cat_info(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name,
		      int16_t index, struct fm_cat_reply *out)
{
	return cat_call(c, vref, dir_id, name, index, 0, out);
}

OSErr fm_get_file_by_index(struct fm_client *c, int16_t vref, uint32_t dir_id, int16_t index,
			   struct fm_cat_reply *out)
{
	if (index <= 0)
		return paramErr;
	return cat_call(c, vref, dir_id, NULL, index, FM_INDEX_FILES, out);
}

OSErr fm_get_finfo(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name,
		   uint8_t finfo[16])
{
	struct fm_cat_reply r;
	OSErr e = fm_get_cat_info(c, vref, dir_id, name, 0, &r);
	if (e != noErr)
		return e;
	if (r.is_dir)
		return fnfErr; /* GetFInfo is for files */
	memcpy(finfo, r.finder_info, 16);
	return noErr;
}

OSErr fm_set_finfo(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name,
		   const uint8_t finfo[16])
{
	struct fm_path_req q;
	fill_path(c, &q, vref, dir_id, name);
	q.flags = FM_SET_FINFO;
	memcpy(q.finder_info, finfo, 16);
	return simple(c, MSG_FM_SET_FINFO, &q, sizeof q, NULL);
}

OSErr fm_set_finder_info(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name,
			 const uint8_t info[FM_FINDER_INFO], uint32_t which)
{
	struct fm_path_req q;
	fill_path(c, &q, vref, dir_id, name);
	q.flags = which;
	memcpy(q.finder_info, info, FM_FINDER_INFO);
	return simple(c, MSG_FM_SET_FINFO, &q, sizeof q, NULL);
}

OSErr fm_dir_create(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name,
		    uint32_t *new_dir)
{
	struct fm_path_req q;
	fill_path(c, &q, vref, dir_id, name);
	return simple(c, MSG_FM_DIR_CREATE, &q, sizeof q, new_dir);
}

OSErr fm_rename(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name,
		ConstStr255Param new_name)
{
	struct fm_rename_req q;
	memset(&q, 0, sizeof q);
	fill_path(c, &q.from, vref, dir_id, name);
	if (new_name != NULL) {
		q.new_len = new_name[0];
		memcpy(q.new_name, new_name + 1, new_name[0]);
	}
	return simple(c, MSG_FM_RENAME, &q, sizeof q, NULL);
}
