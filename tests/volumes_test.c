/* host/volumes.c without a guest: the request validator fed malformed and
 * random requests (it must answer each with an error, never crash or touch
 * anything outside the volume), volume arguments, and the Mac name mapping. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include "host/host.h"
#include "host/volumes.h"
#include "toolbox/files.h"

static char top[256];
static char rw_dir[300]; /* volume "Work" */
static char ro_dir[300];

static void write_host_file(const char *dir, const char *name, const char *text)
{
	char path[600];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static bool host_file_is(const char *dir, const char *name, const char *text)
{
	char path[600], got[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return false;
	size_t n = fread(got, 1, sizeof got - 1, f);
	fclose(f);
	got[n] = '\0';
	return strcmp(got, text) == 0;
}

static int make_dirs(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	snprintf(top, sizeof top, "%s/volumes_test.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(top) == NULL)
		return -1;
	snprintf(rw_dir, sizeof rw_dir, "%s/work", top);
	snprintf(ro_dir, sizeof ro_dir, "%s/Archive", top);
	if (mkdir(rw_dir, 0777) != 0 || mkdir(ro_dir, 0777) != 0)
		return -1;
	write_host_file(top, "outside", "SECRET OUTSIDE THE VOLUME\n");
	return 0;
}

static int remove_dirs(void **state)
{
	(void)state;
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- the validator alone ---- */

static struct volumes *open_test_volumes(void)
{
	struct run_config cfg;
	run_config_defaults(&cfg);
	char rw_arg[320];
	snprintf(rw_arg, sizeof rw_arg, "Work=%s", rw_dir);
	cfg.volumes[0] = (struct volume_option){rw_arg, true};
	cfg.nvolumes = 1;
	char err[300];
	struct volumes *v = volumes_open(&cfg, err, sizeof err);
	if (v == NULL)
		fail_msg("volumes_open: %s", err);
	return v;
}

static uint8_t reply[MSG_MAX];

static int32_t ask(struct volumes *v, uint32_t type, const void *payload, size_t len, size_t *rlen)
{
	size_t n = volumes_handle(v, type, payload, len, reply, sizeof reply);
	assert_true(n >= sizeof(int32_t));
	if (rlen)
		*rlen = n;
	int32_t r;
	memcpy(&r, reply, sizeof r);
	return r;
}

static size_t request_size_of(uint32_t type)
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

static void malformed_requests_get_an_error_reply_never_a_crash(void **state)
{
	(void)state;
	write_host_file(rw_dir, "File", "contents");
	struct volumes *v = open_test_volumes();
	static uint8_t junk[MSG_MAX];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (uint8_t)(i * 131 + 17);
	/* wrong sizes, for every request type */
	for (uint32_t t = MSG_FM_FIRST; t <= MSG_FM_LAST; t++) {
		static const size_t sizes[] = {0,
					       1,
					       7,
					       sizeof(struct fm_fork_req) - 1,
					       sizeof(struct fm_path_req) - 1,
					       sizeof(struct fm_path_req) + 1,
					       sizeof(struct fm_rename_req) + 3,
					       60000};
		for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
			size_t rlen;
			int32_t r = ask(v, t, junk, sizes[k], &rlen);
			assert_true(r < 0);
		}
	}
	/* an unknown type in the File Manager's range check */
	assert_int_equal(ask(v, MSG_FM_LAST + 1, junk, 16, NULL), paramErr);
	/* open File, then abuse reference numbers and counts */
	struct fm_path_req q;
	memset(&q, 0, sizeof q);
	q.vref = -1;
	q.name_len = 4;
	memcpy(q.name, "File", 4);
	q.permission = fsRdWrPerm;
	assert_int_equal(ask(v, MSG_FM_OPEN, &q, sizeof q, NULL), noErr);
	struct fm_open_reply o;
	memcpy(&o, reply, sizeof o);
	static const int16_t bad_refs[] = {0,		1,	     -1,    3,	   96,
					   2 + 94 * 63, 2 + 94 * 64, 32767, -32768};
	for (size_t k = 0; k < sizeof bad_refs / sizeof bad_refs[0]; k++) {
		struct fm_fork_req f = {.refnum = bad_refs[k]};
		assert_int_equal(ask(v, MSG_FM_GET_EOF, &f, sizeof f, NULL), rfNumErr);
		struct fm_io_req io = {.refnum = bad_refs[k], .count = 4};
		assert_int_equal(ask(v, MSG_FM_READ, &io, sizeof io, NULL), rfNumErr);
	}
	/* a read asking for more than one message holds */
	struct fm_io_req io = {.refnum = o.refnum, .pos_mode = fsFromStart, .count = FM_IO_MAX + 1};
	assert_int_equal(ask(v, MSG_FM_READ, &io, sizeof io, NULL), paramErr);
	io.count = 0xFFFFFFFFu;
	assert_int_equal(ask(v, MSG_FM_READ, &io, sizeof io, NULL), paramErr);
	/* a write whose data is not the count it claims, or too much */
	uint8_t wr[sizeof io + 16];
	io.count = 32;
	memcpy(wr, &io, sizeof io);
	assert_int_equal(ask(v, MSG_FM_WRITE, wr, sizeof wr, NULL), paramErr);
	io.count = 0x80000000u;
	memcpy(wr, &io, sizeof io);
	assert_int_equal(ask(v, MSG_FM_WRITE, wr, sizeof wr, NULL), paramErr);
	/* positions: before the start, and offsets that would overflow */
	io.count = 4;
	io.offset = -1;
	assert_int_equal(ask(v, MSG_FM_READ, &io, sizeof io, NULL), posErr);
	io.pos_mode = fsFromLEOF;
	io.offset = INT32_MAX;
	assert_int_equal(ask(v, MSG_FM_READ, &io, sizeof io, NULL), eofErr);
	io.pos_mode = fsFromMark;
	io.offset = INT32_MIN;
	assert_int_equal(ask(v, MSG_FM_READ, &io, sizeof io, NULL), posErr);
	struct fm_fork_req f = {.refnum = o.refnum, .value = 0xFFFFFFFFu};
	assert_int_equal(ask(v, MSG_FM_SET_EOF, &f, sizeof f, NULL), dskFulErr);
	f.pos_mode = fsAtMark;
	f.offset = 5;
	assert_int_equal(ask(v, MSG_FM_SET_FPOS, &f, sizeof f, NULL), paramErr);
	/* bad fields in a path request */
	q.fork = 2;
	assert_int_equal(ask(v, MSG_FM_OPEN, &q, sizeof q, NULL), paramErr);
	q.fork = 0;
	q.permission = 200;
	assert_int_equal(ask(v, MSG_FM_OPEN, &q, sizeof q, NULL), paramErr);
	q.flags = 0x80;
	assert_int_equal(ask(v, MSG_FM_SET_FINFO, &q, sizeof q, NULL), paramErr);
	q.permission = fsRdPerm;
	q.flags = FM_INDEX_FILES; /* a flag of another call */
	assert_int_equal(ask(v, MSG_FM_OPEN, &q, sizeof q, NULL), paramErr);
	q.flags = 0;
	assert_int_equal(ask(v, MSG_FM_OPEN, &q, sizeof q, NULL), noErr);
	/* names: all colons, all 255 bytes, unknown directory IDs */
	memset(&q, 0, sizeof q);
	q.vref = -1;
	q.name_len = 255;
	memset(q.name, ':', 255);
	assert_int_equal(ask(v, MSG_FM_OPEN, &q, sizeof q, NULL), dirNFErr);
	memset(q.name, 'a', 255);
	assert_int_equal(ask(v, MSG_FM_OPEN, &q, sizeof q, NULL), bdNamErr);
	for (int i = 0; i < 255; i += 2)
		q.name[i + 1 < 255 ? i + 1 : i] = ':';
	assert_true(ask(v, MSG_FM_CREATE, &q, sizeof q, NULL) < 0);
	q.name_len = 4;
	memcpy(q.name, "File", 4);
	q.dir_id = 0xFFFFFFFFu;
	assert_int_equal(ask(v, MSG_FM_OPEN, &q, sizeof q, NULL), dirNFErr);
	q.dir_id = 0;
	q.vref = 5;
	assert_int_equal(ask(v, MSG_FM_OPEN, &q, sizeof q, NULL), nsvErr);
	q.vref = -1;
	q.index = 32767;
	assert_int_equal(ask(v, MSG_FM_GET_CAT_INFO, &q, sizeof q, NULL), fnfErr);
	struct fm_volume_req vq = {.index = -1, .name_len = 255};
	assert_int_equal(ask(v, MSG_FM_VOLUME, &vq, sizeof vq, NULL), nsvErr);
	struct fm_rename_req rq;
	memset(&rq, 0, sizeof rq);
	rq.from = q;
	rq.from.index = 0;
	rq.new_len = 200;
	assert_int_equal(ask(v, MSG_FM_RENAME, &rq, sizeof rq, NULL), bdNamErr);
	/* random requests of every type: any answer but no crash, and the file
	 * outside stays untouched */
	srand(68);
	for (int i = 0; i < 20000; i++) {
		uint32_t t = MSG_FM_FIRST + (uint32_t)rand() % (MSG_FM_LAST - MSG_FM_FIRST + 1);
		size_t len = request_size_of(t);
		uint32_t extra = t == MSG_FM_WRITE ? (uint32_t)rand() % 64 : 0;
		for (size_t k = 0; k < len + extra; k++)
			junk[k] = (uint8_t)rand();
		if (t == MSG_FM_WRITE && rand() % 2) { /* a count that matches */
			struct fm_io_req w;
			memcpy(&w, junk, sizeof w);
			w.count = extra;
			w.refnum = (int16_t)(2 + 94 * (rand() % 3));
			memcpy(junk, &w, sizeof w);
		}
		len += extra;
		if (rand() % 4 == 0) { /* make some of them almost valid */
			struct fm_path_req *pq = (struct fm_path_req *)junk;
			if (len >= sizeof *pq) {
				pq->vref = -1;
				pq->name_len = (uint8_t)(rand() % 8);
				pq->permission = (uint8_t)(rand() % 5);
				pq->fork = (uint8_t)(rand() % 2);
			}
		}
		size_t rlen;
		int32_t r = ask(v, t, junk, len, &rlen);
		assert_true(r <= 0);
		if (t == MSG_FM_READ) {
			struct fm_io_reply ir;
			memcpy(&ir, reply, sizeof ir);
			assert_true(ir.actual <= FM_IO_MAX && rlen == sizeof ir + ir.actual);
		}
	}
	volumes_close(v);
	assert_true(host_file_is(top, "outside", "SECRET OUTSIDE THE VOLUME\n"));
}

static void volume_arguments_are_checked_when_opened(void **state)
{
	(void)state;
	struct run_config cfg;
	run_config_defaults(&cfg);
	char err[300];
	char a[400], b[400];
	snprintf(a, sizeof a, "Same=%s", rw_dir);
	snprintf(b, sizeof b, "same=%s", ro_dir);
	cfg.volumes[0] = (struct volume_option){a, true};
	cfg.volumes[1] = (struct volume_option){b, false};
	cfg.nvolumes = 2;
	assert_null(volumes_open(&cfg, err, sizeof err));
	assert_non_null(strstr(err, "already called"));
	cfg.volumes[1] = (struct volume_option){"Missing=/nonexistent/dir", false};
	assert_null(volumes_open(&cfg, err, sizeof err));
	assert_non_null(strstr(err, "cannot open directory"));
	cfg.volumes[1] = (struct volume_option){"=/tmp", false};
	assert_null(volumes_open(&cfg, err, sizeof err));
	cfg.volumes[1] = (struct volume_option){"This Name Is Longer Than 27 Chars=/tmp", false};
	assert_null(volumes_open(&cfg, err, sizeof err));
	assert_non_null(strstr(err, "cannot be a volume name"));
	cfg.volumes[1] = (struct volume_option){"/", false};
	assert_null(volumes_open(&cfg, err, sizeof err));
	/* and options parse into the table, in order */
	run_config_defaults(&cfg);
	char *argv[] = {"vm68k", "run", "--volume", "A=/tmp", "--volume-rw", "/var", NULL};
	bool help = false;
	assert_int_equal(parse_options(6, argv, 2, CMD_RUN, &cfg, &help), 6);
	assert_int_equal(cfg.nvolumes, 2);
	assert_false(cfg.volumes[0].read_write);
	assert_true(cfg.volumes[1].read_write);
	assert_string_equal(cfg.volumes[1].arg, "/var");
}

static void mac_names_and_host_names_map_one_to_one(void **state)
{
	(void)state;
	char host[HOST_NAME_MAX_BYTES + 1];
	uint8_t mac[MAC_NAME_MAX + 1];
	for (unsigned c = 1; c < 256; c++) {
		if (c == ':')
			continue;
		uint8_t name[3] = {'a', (uint8_t)c, 'z'};
		assert_true(mac_to_host_name(name, 3, host));
		assert_null(strchr(host, '/'));
		int n = host_to_mac_name(host, mac, MAC_NAME_MAX);
		assert_int_equal(n, 3);
		assert_memory_equal(mac, name, 3);
	}
	assert_true(mac_to_host_name((const uint8_t *)"a/b", 3, host));
	assert_string_equal(host, "a:b");
	assert_true(mac_to_host_name((const uint8_t *)"\x8e\xa5\xf0", 3, host));
	assert_string_equal(host, "\xc3\xa9\xe2\x80\xa2\xef\xa3\xbf");
	assert_false(mac_to_host_name((const uint8_t *)"a:b", 3, host));
	assert_false(mac_to_host_name((const uint8_t *)"..", 2, host));
	assert_false(mac_to_host_name((const uint8_t *)".", 1, host));
	assert_false(mac_to_host_name((const uint8_t *)"._x", 3, host));
	assert_false(mac_to_host_name((const uint8_t *)"", 0, host));
	assert_true(host_to_mac_name("\xc3\xa9", mac, MAC_NAME_MAX) == 1 && mac[0] == 0x8e);
	assert_int_equal(host_to_mac_name("\xc0\xaf", mac, MAC_NAME_MAX), -1); /* overlong '/' */
	assert_int_equal(host_to_mac_name("\xf0\x9f\x98\x80", mac, MAC_NAME_MAX), -1);
}

/* The listing cache: a walk by index sees what was added meanwhile, by the
 * guest or by anyone else on the host. */
static int32_t cat_at(struct volumes *v, int16_t index, struct fm_cat_reply *r)
{
	struct fm_path_req q;
	memset(&q, 0, sizeof q);
	q.vref = -1;
	q.index = index;
	int32_t e = ask(v, MSG_FM_GET_CAT_INFO, &q, sizeof q, NULL);
	memcpy(r, reply, sizeof *r);
	return e;
}

static void a_catalog_walk_sees_entries_added_meanwhile(void **state)
{
	(void)state;
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'/*", rw_dir);
	assert_int_equal(system(cmd), 0);
	write_host_file(rw_dir, "b", "");
	struct volumes *v = open_test_volumes();
	struct fm_cat_reply r;
	assert_int_equal(cat_at(v, 1, &r), noErr);
	assert_int_equal(cat_at(v, 2, &r), fnfErr);
	write_host_file(rw_dir, "a", ""); /* by another process, as it were */
	assert_int_equal(cat_at(v, 1, &r), noErr);
	assert_memory_equal(r.name, "a", 1);
	assert_int_equal(cat_at(v, 2, &r), noErr);
	assert_memory_equal(r.name, "b", 1);
	struct fm_path_req q;
	memset(&q, 0, sizeof q);
	q.vref = -1;
	q.name_len = 1;
	q.name[0] = 'c';
	assert_int_equal(ask(v, MSG_FM_CREATE, &q, sizeof q, NULL), noErr);
	assert_int_equal(cat_at(v, 3, &r), noErr);
	assert_memory_equal(r.name, "c", 1);
	assert_int_equal(ask(v, MSG_FM_DELETE, &q, sizeof q, NULL), noErr);
	assert_int_equal(cat_at(v, 3, &r), fnfErr);
	volumes_close(v);
}

/* FIFOs in a volume (the user's, or swapped in): never opened for data,
 * never a reason for the broker to block. */
static void a_fifo_in_the_volume_never_blocks_the_broker(void **state)
{
	(void)state;
	char cmd[400], path[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'/*", rw_dir);
	assert_int_equal(system(cmd), 0);
	write_host_file(rw_dir, "Pipe", "data");
	snprintf(path, sizeof path, "%s/._Pipe", rw_dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(path, sizeof path, "%s/Fifo", rw_dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10); /* a regression would hang here: let it fail instead */
	struct volumes *v = open_test_volumes();
	struct fm_path_req q;
	memset(&q, 0, sizeof q);
	q.vref = -1;
	q.name_len = 4;
	memcpy(q.name, "Pipe", 4);
	assert_int_equal(ask(v, MSG_FM_GET_CAT_INFO, &q, sizeof q, NULL), noErr);
	q.fork = FM_RSRC_FORK;
	assert_int_equal(ask(v, MSG_FM_OPEN, &q, sizeof q, NULL), ioErr);
	memcpy(q.name, "Fifo", 4);
	q.fork = FM_DATA_FORK;
	assert_int_equal(ask(v, MSG_FM_OPEN, &q, sizeof q, NULL), fnfErr);
	struct fm_cat_reply r;
	assert_int_equal(cat_at(v, 1, &r), noErr);
	assert_memory_equal(r.name, "Pipe", 4);
	assert_int_equal(cat_at(v, 2, &r), fnfErr);
	alarm(0);
	volumes_close(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(mac_names_and_host_names_map_one_to_one),
	    cmocka_unit_test(volume_arguments_are_checked_when_opened),
	    cmocka_unit_test(malformed_requests_get_an_error_reply_never_a_crash),
	    cmocka_unit_test(a_catalog_walk_sees_entries_added_meanwhile),
	    cmocka_unit_test(a_fifo_in_the_volume_never_blocks_the_broker),
	};
	return cmocka_run_group_tests(tests, make_dirs, remove_dirs);
}
