/* The File Manager through the broker, end to end: a sandboxed child uses
 * the client library (toolbox/files_client.c) against temporary host
 * directories served by host/volumes.c, and the host checks what reached
 * the disk. (The request validator alone: tests/volumes_test.c.) */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/host.h"
#include "host/macfile.h"
#include "host/sandbox.h"
#include "host/volumes.h"
#include "toolbox/files.h"
#include "toolbox/toolbox.h"

/* ---- harness ---- */

static char top[256];	  /* temporary directory holding everything below */
static char rw_dir[300];  /* volume "Work" (read-write), vref -1 */
static char ro_dir[300];  /* volume "Archive" (read-only), vref -2 */
static char outside[300]; /* a file beside the volumes, never reachable */

static char log_text[8192];

static void on_log(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	size_t used = strlen(log_text);
	snprintf(log_text + used, sizeof log_text - used, "%.*s\n", (int)len, text);
}

static struct fm_client client; /* the child's; static: it holds a 64 KiB buffer */

/* Stops the child's scenario at the first failed expectation, naming it. */
#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			child_log(child, "%s:%d: %s", __func__, __LINE__, #cond);                  \
			return 1;                                                                  \
		}                                                                                  \
	} while (0)
#define CHECK_ERR(call, want)                                                                      \
	do {                                                                                       \
		OSErr got_ = (call);                                                               \
		if (got_ != (want)) {                                                              \
			child_log(child, "%s:%d: %s gave %d, expected %d", __func__, __LINE__,     \
				  #call, got_, (int)(want));                                       \
			return 1;                                                                  \
		}                                                                                  \
	} while (0)

/* Pascal strings from C literals. */
static const uint8_t *P(const char *s)
{
	static uint8_t buf[8][256];
	static int next;
	uint8_t *b = buf[next++ % 8];
	size_t n = strlen(s);
	b[0] = (uint8_t)n;
	memcpy(b + 1, s, n);
	return b;
}

static void write_host_file(const char *dir, const char *name, const char *text)
{
	char path[600];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static bool host_file_is(const char *dir, const char *name, const void *bytes, size_t len)
{
	char path[600];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return false;
	uint8_t *got = malloc(len + 1);
	size_t n = fread(got, 1, len + 1, f);
	fclose(f);
	bool same = n == len && memcmp(got, bytes, len) == 0;
	free(got);
	return same;
}

static bool host_exists(const char *dir, const char *name)
{
	char path[600];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return lstat(path, &st) == 0;
}

/* Runs scenario in a sandboxed child against volumes Work (rw) and Archive
 * (ro); fails the test with the child's own words if it did not return 0. */
static void run_child(int (*scenario)(void *, const struct sandbox_child *), void *ctx,
		      const struct sandbox_fd *fds, size_t nfds,
		      int (*setup)(void *, const struct sandbox_child *))
{
	struct run_config cfg;
	run_config_defaults(&cfg);
	char rw_arg[320], ro_arg[320];
	snprintf(rw_arg, sizeof rw_arg, "Work=%s", rw_dir);
	snprintf(ro_arg, sizeof ro_arg, "%s", ro_dir); /* named after its directory */
	cfg.volumes[0] = (struct volume_option){rw_arg, true};
	cfg.volumes[1] = (struct volume_option){ro_arg, false};
	cfg.nvolumes = 2;
	char err[300];
	struct volumes *v = volumes_open(&cfg, err, sizeof err);
	if (v == NULL)
		fail_msg("volumes_open: %s", err);
	log_text[0] = '\0';
	struct spawn_job job = {
	    .fds = fds, .nfds = nfds, .setup = setup, .main = scenario, .ctx = ctx};
	struct spawn_host host = {
	    .timeout_ms = 20000, .ctx = v, .on_log = on_log, .on_request = volumes_on_request};
	struct spawn_outcome out;
	assert_int_equal(spawn_run(&job, &host, &out), 0);
	volumes_close(v);
	if (out.end != SPAWN_EXITED || out.exit_status != 0)
		fail_msg("child ended %d status %d signal %d: %s", out.end, out.exit_status,
			 out.signal, log_text);
}

static void run_scenario(int (*scenario)(void *, const struct sandbox_child *))
{
	run_child(scenario, NULL, NULL, 0, NULL);
}

static int rm_tree(const char *path)
{
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
	return system(cmd);
}

static int make_dirs(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	snprintf(top, sizeof top, "%s/files_test.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(top) == NULL)
		return -1;
	snprintf(rw_dir, sizeof rw_dir, "%s/work", top);
	snprintf(ro_dir, sizeof ro_dir, "%s/Archive", top);
	snprintf(outside, sizeof outside, "%s/outside", top);
	if (mkdir(rw_dir, 0777) != 0 || mkdir(ro_dir, 0777) != 0)
		return -1;
	write_host_file(top, "outside", "SECRET OUTSIDE THE VOLUME\n");
	write_host_file(ro_dir, "ReadMe", "read-only text\n");
	return 0;
}

static int remove_dirs(void **state)
{
	(void)state;
	return rm_tree(top) == 0 ? 0 : -1;
}

/* Empties the read-write volume between tests. */
static int fresh_work(void **state)
{
	(void)state;
	rm_tree(rw_dir);
	beneath_force_walk = false;
	return mkdir(rw_dir, 0777);
}

/* ---- data forks ---- */

static uint8_t pattern(uint32_t i)
{
	return (uint8_t)(i * 7 + (i >> 8));
}

static int data_fork_scenario(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	static uint8_t big[150000], back[150000];
	fm_client_init(&client, child->channel_fd);
	CHECK_ERR(fm_create(&client, -1, 0, P("Notes"), 0x54455854 /* TEXT */, 0x74747874), noErr);
	int16_t ref = 0;
	CHECK_ERR(fm_open(&client, -1, 0, P("Notes"), FM_DATA_FORK, fsRdWrPerm, &ref), noErr);
	CHECK(ref > 0);
	for (uint32_t i = 0; i < sizeof big; i++)
		big[i] = pattern(i);
	uint32_t actual = 0, eof = 0, mark = 0;
	/* Larger than one message: split into chunks by the client. */
	CHECK_ERR(fm_write(&client, ref, fsAtMark, 0, big, sizeof big, &actual), noErr);
	CHECK(actual == sizeof big);
	CHECK_ERR(fm_get_eof(&client, ref, &eof), noErr);
	CHECK(eof == sizeof big);
	CHECK_ERR(fm_get_fpos(&client, ref, &mark), noErr);
	CHECK(mark == sizeof big);
	CHECK_ERR(fm_read(&client, ref, fsFromStart, 0, back, sizeof back, &actual), noErr);
	CHECK(actual == sizeof back && memcmp(big, back, sizeof big) == 0);
	/* fsFromStart, fsFromMark, fsFromLEOF */
	uint8_t five[5];
	CHECK_ERR(fm_read(&client, ref, fsFromStart, 1000, five, 5, &actual), noErr);
	CHECK(actual == 5 && five[0] == pattern(1000) && five[4] == pattern(1004));
	CHECK(client.mark == 1005); /* what PBRead leaves in ioPosOffset */
	CHECK_ERR(fm_read(&client, ref, fsFromMark, 10, five, 5, &actual), noErr);
	CHECK(five[0] == pattern(1015));
	uint8_t tail[20];
	CHECK_ERR(fm_read(&client, ref, fsFromLEOF, -10, tail, 20, &actual), eofErr);
	CHECK(actual == 10 && tail[9] == pattern(sizeof big - 1));
	CHECK_ERR(fm_get_fpos(&client, ref, &mark), noErr);
	CHECK(mark == sizeof big);
	CHECK_ERR(fm_read(&client, ref, fsAtMark, 0, tail, 1, &actual), eofErr);
	CHECK(actual == 0);
	/* SetFPos: before the start, past the end */
	CHECK_ERR(fm_set_fpos(&client, ref, fsFromStart, -1, &mark), posErr);
	CHECK_ERR(fm_set_fpos(&client, ref, fsFromLEOF, 5, &mark), eofErr);
	CHECK(mark == sizeof big);
	CHECK_ERR(fm_set_fpos(&client, ref, fsFromStart, 40, &mark), noErr);
	CHECK(mark == 40);
	/* SetEOF shortens and pulls the mark back */
	CHECK_ERR(fm_set_eof(&client, ref, 30), noErr);
	CHECK_ERR(fm_get_eof(&client, ref, &eof), noErr);
	CHECK(eof == 30);
	CHECK_ERR(fm_get_fpos(&client, ref, &mark), noErr);
	CHECK(mark == 30);
	/* ...and lengthens with zeros */
	CHECK_ERR(fm_set_eof(&client, ref, 50), noErr);
	CHECK_ERR(fm_write(&client, ref, fsFromLEOF, 0, "END", 3, &actual), noErr);
	CHECK(client.mark == 53);
	CHECK_ERR(fm_close(&client, ref), noErr);
	/* A closed path is gone */
	CHECK_ERR(fm_read(&client, ref, fsFromStart, 0, five, 1, &actual), rfNumErr);
	CHECK_ERR(fm_close(&client, ref), rfNumErr);
	/* Newline mode stops after the newline character */
	CHECK_ERR(fm_create(&client, -1, 0, P("Lines"), 0, 0), noErr);
	CHECK_ERR(fm_open(&client, -1, 0, P("Lines"), FM_DATA_FORK, fsCurPerm, &ref), noErr);
	CHECK_ERR(fm_write(&client, ref, fsFromStart, 0, "one\rtwo\r", 8, &actual), noErr);
	uint8_t line[16];
	uint16_t nl = (uint16_t)(fsFromStart | FM_NEWLINE_MODE | ('\r' << 8));
	CHECK_ERR(fm_read(&client, ref, nl, 0, line, sizeof line, &actual), noErr);
	CHECK(actual == 4 && memcmp(line, "one\r", 4) == 0);
	CHECK_ERR(fm_close(&client, ref), noErr);
	return 0;
}

static void data_fork_write_seek_read_eof_and_close(void **state)
{
	(void)state;
	run_scenario(data_fork_scenario);
	uint8_t want[53];
	for (uint32_t i = 0; i < 30; i++)
		want[i] = pattern(i);
	memset(want + 30, 0, 20);
	memcpy(want + 50, "END", 3);
	assert_true(host_file_is(rw_dir, "Notes", want, sizeof want));
	assert_true(host_file_is(rw_dir, "Lines", "one\rtwo\r", 8));
}

/* ---- resource forks and Finder info ---- */

static int rsrc_scenario(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	fm_client_init(&client, child->channel_fd);
	CHECK_ERR(fm_create(&client, -1, 0, P("App"), 0x4150504C /* APPL */, 0x3F3F3F3F), noErr);
	/* A file without a sidecar has an empty resource fork. */
	int16_t ref;
	uint32_t eof, actual;
	CHECK_ERR(fm_open(&client, -1, 0, P("App"), FM_RSRC_FORK, fsRdPerm, &ref), noErr);
	CHECK_ERR(fm_get_eof(&client, ref, &eof), noErr);
	CHECK(eof == 0);
	CHECK_ERR(fm_close(&client, ref), noErr);
	/* A real resource fork, written in two pieces through the access path. */
	static const uint8_t text[] = "\x0bHello, Mac!";
	struct resource_spec spec = {.type = 0x53545220 /* 'STR ' */,
				     .id = 128,
				     .name = "greeting",
				     .data = text,
				     .size = sizeof text - 1};
	size_t len;
	uint8_t *fork = resfork_build(&spec, 1, &len);
	CHECK(fork != NULL);
	CHECK_ERR(fm_open(&client, -1, 0, P("App"), FM_RSRC_FORK, fsRdWrPerm, &ref), noErr);
	CHECK_ERR(fm_write(&client, ref, fsFromStart, 0, fork, 100, &actual), noErr);
	CHECK_ERR(fm_write(&client, ref, fsAtMark, 0, fork + 100, (uint32_t)len - 100, &actual),
		  noErr);
	CHECK_ERR(fm_get_eof(&client, ref, &eof), noErr);
	CHECK(eof == len);
	CHECK_ERR(fm_close(&client, ref), noErr);
	/* Read back on a new path; the data fork is still empty. */
	static uint8_t back[4096];
	CHECK_ERR(fm_open(&client, -1, 0, P("App"), FM_RSRC_FORK, fsRdPerm, &ref), noErr);
	CHECK_ERR(fm_read(&client, ref, fsFromStart, 0, back, (uint32_t)len, &actual), noErr);
	CHECK(actual == len && memcmp(back, fork, len) == 0);
	struct fm_cat_reply cat;
	CHECK_ERR(fm_get_cat_info(&client, -1, 0, P("App"), 0, &cat), noErr);
	CHECK(cat.rsrc_eof == len && cat.data_eof == 0);
	CHECK(cat.attrib & kioFlAttribResOpenMask);
	CHECK_ERR(fm_close(&client, ref), noErr);
	free(fork);
	/* Finder info round trip: type, creator, flags, location, folder. */
	uint8_t fi[16];
	CHECK_ERR(fm_get_finfo(&client, -1, 0, P("App"), fi), noErr);
	CHECK(memcmp(fi, "APPL????", 8) == 0);
	static const uint8_t set[16] = {'A',  'P',  'P',  'L',	'v',  'm',  '6',  '8',
					0x21, 0x00, 0x00, 0x10, 0x00, 0x20, 0x00, 0x00};
	CHECK_ERR(fm_set_finfo(&client, -1, 0, P("App"), set), noErr);
	CHECK_ERR(fm_get_finfo(&client, -1, 0, P("App"), fi), noErr);
	CHECK(memcmp(fi, set, 16) == 0);
	/* and the resource fork is still there */
	CHECK_ERR(fm_get_cat_info(&client, -1, 0, P("App"), 0, &cat), noErr);
	CHECK(cat.rsrc_eof == len);
	/* FXInfo alone leaves FInfo as it was */
	uint8_t info[FM_FINDER_INFO];
	memset(info, 0xAB, sizeof info);
	CHECK_ERR(fm_set_finder_info(&client, -1, 0, P("App"), info, FM_SET_FXINFO), noErr);
	CHECK_ERR(fm_get_cat_info(&client, -1, 0, P("App"), 0, &cat), noErr);
	CHECK(memcmp(cat.finder_info, set, 16) == 0 && memcmp(cat.finder_info + 16, info, 16) == 0);
	/* a directory's DInfo too; not the root's */
	uint32_t dir;
	CHECK_ERR(fm_dir_create(&client, -1, 0, P("Folder"), &dir), noErr);
	CHECK_ERR(fm_set_finder_info(&client, -1, 0, P("Folder"), info, FM_SET_FINFO), noErr);
	CHECK_ERR(fm_get_cat_info(&client, -1, dir, NULL, -1, &cat), noErr);
	CHECK(cat.is_dir && memcmp(cat.finder_info, info, 16) == 0);
	CHECK(cat.valence == 0); /* its sidecar is beside it, not in it */
	CHECK_ERR(fm_set_finder_info(&client, -1, fsRtDirID, NULL, info, FM_SET_FINFO), paramErr);
	return 0;
}

static void resource_fork_and_finder_info_live_in_an_appledouble_sidecar(void **state)
{
	(void)state;
	run_scenario(rsrc_scenario);
	assert_true(host_exists(rw_dir, "._App"));
	/* The sidecar is one macfile.c (and so `vm68k info`) reads. */
	char path[600], err[300];
	snprintf(path, sizeof path, "%s/App", rw_dir);
	struct mac_file mf;
	if (!macfile_load(path, &mf, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(mf.container, MAC_DATA_SIDECAR);
	assert_true(mf.has_finder_info);
	assert_int_equal(mf.type, 0x4150504C);
	assert_int_equal(mf.creator, 0x766d3638);
	assert_int_equal(mf.finder_flags, 0x2100);
	struct resource_info ri;
	assert_true(mf.has_fork);
	assert_true(resfork_find(&mf.fork, 0x53545220, 128, &ri));
	assert_int_equal(ri.size, 12);
	macfile_free(&mf);
}

/* A sidecar of another layout (resource fork first, Finder info after) is
 * read as it is and rewritten when the fork is opened for writing. */
static int foreign_sidecar_scenario(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	fm_client_init(&client, child->channel_fd);
	uint8_t fi[16], buf[16];
	uint32_t actual, eof;
	int16_t ref;
	CHECK_ERR(fm_get_finfo(&client, -1, 0, P("Foreign"), fi), noErr);
	CHECK(memcmp(fi, "TEXTR*ch", 8) == 0);
	int16_t reader;
	CHECK_ERR(fm_open(&client, -1, 0, P("Foreign"), FM_RSRC_FORK, fsRdPerm, &reader), noErr);
	CHECK_ERR(fm_read(&client, reader, fsFromStart, 0, buf, 16, &actual), eofErr);
	CHECK(actual == 5 && memcmp(buf, "FORK!", 5) == 0);
	CHECK_ERR(fm_open(&client, -1, 0, P("Foreign"), FM_RSRC_FORK, fsWrPerm, &ref), noErr);
	CHECK_ERR(fm_write(&client, ref, fsFromLEOF, 0, "MORE", 4, &actual), noErr);
	CHECK_ERR(fm_get_eof(&client, ref, &eof), noErr);
	CHECK(eof == 9);
	CHECK_ERR(fm_close(&client, ref), noErr);
	/* the path opened before the rewrite reads the fork where it is now */
	CHECK_ERR(fm_read(&client, reader, fsFromStart, 0, buf, 16, &actual), eofErr);
	CHECK(actual == 9 && memcmp(buf, "FORK!MORE", 9) == 0);
	CHECK_ERR(fm_close(&client, reader), noErr);
	/* and a reader of a fork with no sidecar at all follows a writer too */
	CHECK_ERR(fm_create(&client, -1, 0, P("Plain"), 0, 0), noErr);
	CHECK_ERR(fm_open(&client, -1, 0, P("Plain"), FM_RSRC_FORK, fsRdPerm, &reader), noErr);
	CHECK_ERR(fm_open(&client, -1, 0, P("Plain"), FM_RSRC_FORK, fsRdWrPerm, &ref), noErr);
	CHECK_ERR(fm_write(&client, ref, fsFromStart, 0, "rsrc", 4, &actual), noErr);
	CHECK_ERR(fm_read(&client, reader, fsFromStart, 0, buf, 4, &actual), noErr);
	CHECK(actual == 4 && memcmp(buf, "rsrc", 4) == 0);
	CHECK_ERR(fm_close(&client, ref), noErr);
	CHECK_ERR(fm_close(&client, reader), noErr);
	CHECK_ERR(fm_get_finfo(&client, -1, 0, P("Foreign"), fi), noErr);
	CHECK(memcmp(fi, "TEXTR*ch", 8) == 0);
	return 0;
}

static void a_sidecar_of_another_layout_is_read_and_rewritten_for_growth(void **state)
{
	(void)state;
	write_host_file(rw_dir, "Foreign", "data");
	/* AppleDouble v2: two entries, the fork (5 bytes at 50), then Finder info at 55. */
	uint8_t ad[87];
	memset(ad, 0, sizeof ad);
	const uint8_t head[] = {0x00, 0x05, 0x16, 0x07, 0x00, 0x02, 0x00, 0x00};
	memcpy(ad, head, sizeof head);
	ad[25] = 2;
	const uint8_t e1[] = {0, 0, 0, 2, 0, 0, 0, 50, 0, 0, 0, 5};
	const uint8_t e2[] = {0, 0, 0, 9, 0, 0, 0, 55, 0, 0, 0, 32};
	memcpy(ad + 26, e1, 12);
	memcpy(ad + 38, e2, 12);
	memcpy(ad + 50, "FORK!", 5);
	memcpy(ad + 55, "TEXTR*ch", 8);
	char path[600];
	snprintf(path, sizeof path, "%s/._Foreign", rw_dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fwrite(ad, 1, sizeof ad, f);
	fclose(f);
	run_scenario(foreign_sidecar_scenario);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, SIDECAR_RSRC_OFFSET + 9);
}

/* ---- volumes, directories, the catalog ---- */

static int vol_scenario(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	fm_client_init(&client, child->channel_fd);
	int16_t vref;
	uint32_t dir, sub = 0;
	CHECK_ERR(fm_get_vol(&client, &vref, &dir), noErr);
	CHECK(vref == -1 && dir == fsRtDirID);
	struct fm_volume_reply vi;
	CHECK_ERR(fm_get_vol_info(&client, 1, 0, &vi), noErr);
	CHECK(vi.vref == -1 && vi.name_len == 4 && memcmp(vi.name, "Work", 4) == 0 &&
	      !vi.read_only);
	CHECK_ERR(fm_get_vol_info(&client, 2, 0, &vi), noErr);
	CHECK(vi.vref == -2 && vi.read_only && vi.root_files == 1);
	CHECK(vi.name_len == 7 && memcmp(vi.name, "Archive", 7) == 0);
	CHECK_ERR(fm_get_vol_info(&client, 3, 0, &vi), nsvErr);
	CHECK_ERR(fm_dir_create(&client, -1, fsRtDirID, P("Sub"), &sub), noErr);
	CHECK(sub >= 16);
	CHECK_ERR(fm_dir_create(&client, -1, fsRtDirID, P("Sub"), &dir), dupFNErr);
	CHECK_ERR(fm_set_vol(&client, -1, sub, NULL), noErr);
	CHECK_ERR(fm_get_vol(&client, &vref, &dir), noErr);
	CHECK(vref == -1 && dir == sub);
	/* vref 0: the default directory */
	CHECK_ERR(fm_create(&client, 0, 0, P("InSub"), 0, 0), noErr);
	/* the same directory by partial path, full path, and climbing back */
	struct fm_cat_reply cat;
	CHECK_ERR(fm_get_cat_info(&client, -1, fsRtDirID, P(":Sub:InSub"), 0, &cat), noErr);
	CHECK(!cat.is_dir && cat.parent_id == sub);
	CHECK_ERR(fm_get_cat_info(&client, 0, 0, P("Work:Sub:InSub"), 0, &cat), noErr);
	CHECK(cat.parent_id == sub);
	CHECK_ERR(fm_get_cat_info(&client, -1, sub, P("::Sub:InSub"), 0, &cat), noErr);
	CHECK_ERR(fm_get_cat_info(&client, -1, sub, P(":::x"), 0, &cat), dirNFErr);
	/* SetVol refuses what is not a directory */
	CHECK_ERR(fm_set_vol(&client, -1, 9999, NULL), dirNFErr);
	CHECK_ERR(fm_set_vol(&client, -1, sub, P("InSub")), dirNFErr);
	CHECK_ERR(fm_set_vol(&client, -9, fsRtDirID, NULL), nsvErr);
	CHECK_ERR(fm_get_vol(&client, &vref, &dir), noErr);
	CHECK(dir == sub);
	/* The directory itself by index -1, and the root's parent */
	CHECK_ERR(fm_get_cat_info(&client, -1, sub, NULL, -1, &cat), noErr);
	CHECK(cat.is_dir && cat.id == sub && cat.parent_id == fsRtDirID && cat.valence == 1);
	CHECK(cat.name_len == 3 && memcmp(cat.name, "Sub", 3) == 0);
	CHECK_ERR(fm_get_cat_info(&client, -1, fsRtDirID, NULL, -1, &cat), noErr);
	CHECK(cat.id == fsRtDirID && cat.parent_id == fsRtParID && cat.name_len == 4);
	/* the root's parent holds the volume, by name */
	CHECK_ERR(fm_get_cat_info(&client, -1, fsRtParID, P("Work"), 0, &cat), noErr);
	CHECK(cat.is_dir && cat.id == fsRtDirID);
	CHECK_ERR(fm_get_cat_info(&client, -1, fsRtParID, P("Archive"), 0, &cat), nsvErr);
	/* Rename keeps the directory ID */
	CHECK_ERR(fm_rename(&client, -1, fsRtDirID, P("Sub"), P("Renamed")), noErr);
	CHECK_ERR(fm_get_cat_info(&client, -1, sub, NULL, -1, &cat), noErr);
	CHECK(cat.name_len == 7 && memcmp(cat.name, "Renamed", 7) == 0);
	CHECK_ERR(fm_rename(&client, -1, sub, P("InSub"), P("Renamed")), noErr);
	CHECK_ERR(fm_create(&client, -1, sub, P("Other"), 0, 0), noErr);
	CHECK_ERR(fm_rename(&client, -1, sub, P("Other"), P("Renamed")), dupFNErr);
	/* A non-empty directory is busy; empty, it goes */
	CHECK_ERR(fm_delete(&client, -1, fsRtDirID, P("Renamed")), fBsyErr);
	CHECK_ERR(fm_delete(&client, -1, sub, P("Renamed")), noErr);
	CHECK_ERR(fm_delete(&client, -1, sub, P("Other")), noErr);
	CHECK_ERR(fm_delete(&client, -1, fsRtDirID, P("Renamed")), noErr);
	CHECK_ERR(fm_get_cat_info(&client, -1, sub, NULL, -1, &cat), dirNFErr);
	return 0;
}

static void get_set_vol_directories_and_rename_keep_their_ids(void **state)
{
	(void)state;
	run_scenario(vol_scenario);
	assert_false(host_exists(rw_dir, "Renamed"));
	assert_false(host_exists(rw_dir, "Sub"));
}

static int catalog_scenario(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	fm_client_init(&client, child->channel_fd);
	struct fm_cat_reply cat;
	static const char *const want[] = {"alpha", "Beta", "Caf\x8e", "dir", "x/y"};
	int16_t i;
	for (i = 1; i <= 5; i++) {
		CHECK_ERR(fm_get_cat_info(&client, -1, fsRtDirID, P("ignored"), i, &cat), noErr);
		size_t n = strlen(want[i - 1]);
		if (cat.name_len != n || memcmp(cat.name, want[i - 1], n) != 0) {
			child_log(child, "entry %d is '%.*s', expected '%s'", i, cat.name_len,
				  (const char *)cat.name, want[i - 1]);
			return 1;
		}
		CHECK(cat.is_dir == (i == 4));
		CHECK(cat.parent_id == fsRtDirID && cat.vref == -1);
	}
	CHECK_ERR(fm_get_cat_info(&client, -1, fsRtDirID, NULL, 6, &cat), fnfErr);
	/* PBHGetFInfo's index counts files only: "dir" is skipped */
	CHECK_ERR(fm_get_file_by_index(&client, -1, fsRtDirID, 4, &cat), noErr);
	CHECK(cat.name_len == 3 && memcmp(cat.name, "x/y", 3) == 0 && !cat.is_dir);
	CHECK_ERR(fm_get_file_by_index(&client, -1, fsRtDirID, 5, &cat), fnfErr);
	CHECK_ERR(fm_get_cat_info(&client, -1, fsRtDirID, NULL, -1, &cat), noErr);
	CHECK(cat.valence == 5);
	/* Beta's Finder info and resource fork come from its sidecar */
	CHECK_ERR(fm_get_cat_info(&client, -1, fsRtDirID, P("Beta"), 0, &cat), noErr);
	CHECK(memcmp(cat.finder_info, "TEXTttxt", 8) == 0 && cat.rsrc_eof == 3);
	CHECK(cat.data_eof == 4 && cat.data_physical == 512);
	CHECK(cat.id >= 16);
	uint32_t beta = cat.id;
	CHECK_ERR(fm_get_cat_info(&client, -1, fsRtDirID, P("Beta"), 0, &cat), noErr);
	CHECK(cat.id == beta); /* stable for the run */
	struct fm_volume_reply vi;
	CHECK_ERR(fm_get_vol_info(&client, 1, 0, &vi), noErr);
	CHECK(vi.root_files == 4);
	/* "x/y" is the host file "x:y"; Caf\x8e is "Café" in UTF-8 */
	int16_t ref;
	uint8_t buf[8];
	uint32_t actual;
	CHECK_ERR(fm_open(&client, -1, 0, P("x/y"), FM_DATA_FORK, fsRdPerm, &ref), noErr);
	CHECK_ERR(fm_read(&client, ref, fsFromStart, 0, buf, 8, &actual), eofErr);
	CHECK(actual == 3 && memcmp(buf, "xy\n", 3) == 0);
	CHECK_ERR(fm_close(&client, ref), noErr);
	return 0;
}

static void catalog_by_index_lists_visible_entries_in_name_order(void **state)
{
	(void)state;
	write_host_file(rw_dir, "Beta", "beta");
	write_host_file(rw_dir, "alpha", "a");
	write_host_file(rw_dir, "x:y", "xy\n");
	write_host_file(rw_dir, "Caf\xc3\xa9", "coffee");
	write_host_file(rw_dir, ".DS_Store", "hidden");
	write_host_file(rw_dir, "\xe6\x97\xa5\xe6\x9c\xac", "no Mac Roman name");
	write_host_file(rw_dir, "a name that is much longer than thirty-one", "too long");
	write_host_file(rw_dir,
			"bad\xff"
			"utf8",
			"not UTF-8");
	char d[400];
	snprintf(d, sizeof d, "%s/dir", rw_dir);
	assert_int_equal(mkdir(d, 0777), 0);
	char side[400];
	snprintf(side, sizeof side, "%s/._Beta", rw_dir);
	int fd = open(side, O_RDWR | O_CREAT, 0666);
	assert_true(fd >= 0);
	uint8_t fi[FM_FINDER_INFO] = {'T', 'E', 'X', 'T', 't', 't', 'x', 't'};
	assert_int_equal(sidecar_write(fd, fi, (const uint8_t *)"abc", 3), 0);
	close(fd);
	run_scenario(catalog_scenario);
}

/* ---- errors ---- */

static int errors_scenario(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	fm_client_init(&client, child->channel_fd);
	int16_t ref, ref2, other;
	uint32_t actual;
	uint8_t b[4];
	CHECK_ERR(fm_open(&client, -1, 0, P("Missing"), FM_DATA_FORK, fsRdPerm, &ref), fnfErr);
	CHECK_ERR(fm_open(&client, -1, 0, P(":NoDir:File"), FM_DATA_FORK, fsRdPerm, &ref),
		  dirNFErr);
	CHECK_ERR(fm_open(&client, -1, 12345, P("File"), FM_DATA_FORK, fsRdPerm, &ref), dirNFErr);
	CHECK_ERR(fm_open(&client, -7, 0, P("File"), FM_DATA_FORK, fsRdPerm, &ref), nsvErr);
	CHECK_ERR(fm_open(&client, 0, 0, P("Nowhere:File"), FM_DATA_FORK, fsRdPerm, &ref), nsvErr);
	CHECK_ERR(fm_open(&client, -1, 0, P("F"), FM_DATA_FORK, 9, &ref), paramErr);
	CHECK_ERR(fm_create(&client, -1, 0, P("F"), 0, 0), noErr);
	CHECK_ERR(fm_create(&client, -1, 0, P("F"), 0, 0), dupFNErr);
	CHECK_ERR(fm_create(&client, -1, 0, P("f"), 0, 0), dupFNErr); /* HFS ignores case */
	CHECK_ERR(fm_create(&client, -1, 0, P("g"), 0, 0), noErr);
	uint32_t sub;
	CHECK_ERR(fm_dir_create(&client, -1, 0, P("Folder"), &sub), noErr);
	CHECK_ERR(fm_create(&client, -1, 0, P(":FOLDER:Inner"), 0, 0), noErr);
	struct fm_cat_reply cat;
	CHECK_ERR(fm_get_cat_info(&client, -1, 0, P("folder:INNER"), 0, &cat), nsvErr);
	CHECK_ERR(fm_get_cat_info(&client, -1, 0, P(":folder:INNER"), 0, &cat), noErr);
	CHECK(cat.parent_id == sub && cat.name_len == 5 && memcmp(cat.name, "Inner", 5) == 0);
	/* a directory is not a file */
	uint32_t d;
	CHECK_ERR(fm_dir_create(&client, -1, 0, P("D"), &d), noErr);
	CHECK_ERR(fm_open(&client, -1, 0, P("D"), FM_DATA_FORK, fsRdPerm, &ref), fnfErr);
	uint8_t fi[16];
	CHECK_ERR(fm_get_finfo(&client, -1, 0, P("D"), fi), fnfErr);
	/* end of file on an empty file */
	CHECK_ERR(fm_open(&client, -1, 0, P("F"), FM_DATA_FORK, fsRdWrPerm, &ref), noErr);
	CHECK_ERR(fm_read(&client, ref, fsFromStart, 0, b, 4, &actual), eofErr);
	CHECK(actual == 0);
	/* one writer at a time; readers and fsCurPerm still get in */
	CHECK_ERR(fm_open(&client, -1, 0, P("F"), FM_DATA_FORK, fsWrPerm, &ref2), opWrErr);
	CHECK(ref2 == ref);
	CHECK_ERR(fm_open(&client, -1, 0, P("F"), FM_DATA_FORK, fsRdPerm, &ref2), noErr);
	CHECK_ERR(fm_write(&client, ref2, fsFromStart, 0, "x", 1, &actual), wrPermErr);
	CHECK_ERR(fm_set_eof(&client, ref2, 10), wrPermErr);
	CHECK_ERR(fm_open(&client, -1, 0, P("F"), FM_DATA_FORK, fsCurPerm, &other), noErr);
	CHECK_ERR(fm_write(&client, other, fsFromStart, 0, "x", 1, &actual), wrPermErr);
	CHECK_ERR(fm_close(&client, other), noErr);
	/* shared writers may share */
	CHECK_ERR(fm_open(&client, -1, 0, P("g"), FM_DATA_FORK, fsRdWrShPerm, &other), noErr);
	int16_t other2;
	CHECK_ERR(fm_open(&client, -1, 0, P("g"), FM_DATA_FORK, fsRdWrShPerm, &other2), noErr);
	CHECK_ERR(fm_close(&client, other2), noErr);
	CHECK_ERR(fm_close(&client, other), noErr);
	/* open files are busy */
	CHECK_ERR(fm_delete(&client, -1, 0, P("F")), fBsyErr);
	CHECK_ERR(fm_close(&client, ref2), noErr);
	CHECK_ERR(fm_close(&client, ref), noErr);
	CHECK_ERR(fm_delete(&client, -1, 0, P("F")), noErr);
	CHECK_ERR(fm_delete(&client, -1, 0, P("F")), fnfErr);
	/* bad reference numbers */
	CHECK_ERR(fm_close(&client, 3), rfNumErr);
	CHECK_ERR(fm_close(&client, -1), rfNumErr);
	CHECK_ERR(fm_get_eof(&client, 32767, &actual), rfNumErr);
	/* too many files open */
	int16_t refs[VOLUMES_MAX_OPEN];
	int opened = 0;
	for (; opened < VOLUMES_MAX_OPEN; opened++)
		CHECK_ERR(fm_open(&client, -1, 0, P("g"), FM_DATA_FORK, fsRdPerm, &refs[opened]),
			  noErr);
	CHECK_ERR(fm_open(&client, -1, 0, P("g"), FM_DATA_FORK, fsRdPerm, &ref), tmfoErr);
	for (int i = 0; i < opened; i++)
		CHECK_ERR(fm_close(&client, refs[i]), noErr);
	return 0;
}

static void file_manager_errors_have_their_mac_result_codes(void **state)
{
	(void)state;
	run_scenario(errors_scenario);
}

static int read_only_scenario(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	fm_client_init(&client, child->channel_fd);
	int16_t ref;
	uint32_t actual, d;
	uint8_t buf[32];
	CHECK_ERR(fm_create(&client, -2, 0, P("New"), 0, 0), wPrErr);
	CHECK_ERR(fm_delete(&client, -2, 0, P("ReadMe")), wPrErr);
	CHECK_ERR(fm_dir_create(&client, -2, 0, P("Dir"), &d), wPrErr);
	CHECK_ERR(fm_rename(&client, -2, 0, P("ReadMe"), P("Other")), wPrErr);
	static const uint8_t fi[16] = "TEXTttxt";
	CHECK_ERR(fm_set_finfo(&client, -2, 0, P("ReadMe"), fi), wPrErr);
	CHECK_ERR(fm_open(&client, -2, 0, P("ReadMe"), FM_DATA_FORK, fsWrPerm, &ref), wPrErr);
	CHECK_ERR(fm_open(&client, -2, 0, P("ReadMe"), FM_DATA_FORK, fsRdWrPerm, &ref), wPrErr);
	CHECK_ERR(fm_open(&client, -2, 0, P("ReadMe"), FM_RSRC_FORK, fsRdWrPerm, &ref), wPrErr);
	/* fsCurPerm gets what is allowed: reading */
	CHECK_ERR(fm_open(&client, -2, 0, P("ReadMe"), FM_DATA_FORK, fsCurPerm, &ref), noErr);
	CHECK_ERR(fm_read(&client, ref, fsFromStart, 0, buf, sizeof buf, &actual), eofErr);
	CHECK(actual == 15 && memcmp(buf, "read-only text\n", 15) == 0);
	CHECK_ERR(fm_write(&client, ref, fsFromStart, 0, "x", 1, &actual), wrPermErr);
	CHECK_ERR(fm_close(&client, ref), noErr);
	/* the volume by full path too */
	CHECK_ERR(fm_create(&client, 0, 0, P("Archive:New"), 0, 0), wPrErr);
	/* names are case-insensitive, as on HFS */
	CHECK_ERR(fm_open(&client, 0, 0, P("ARCHIVE:readme"), FM_DATA_FORK, fsRdPerm, &ref), noErr);
	CHECK_ERR(fm_read(&client, ref, fsFromStart, 0, buf, 4, &actual), noErr);
	CHECK(memcmp(buf, "read", 4) == 0);
	CHECK_ERR(fm_close(&client, ref), noErr);
	return 0;
}

static void a_read_only_volume_refuses_every_change_with_wPrErr(void **state)
{
	(void)state;
	run_scenario(read_only_scenario);
	assert_false(host_exists(ro_dir, "New"));
	assert_false(host_exists(ro_dir, "._ReadMe"));
	assert_true(host_file_is(ro_dir, "ReadMe", "read-only text\n", 15));
}

/* ---- paths that would leave the volume ---- */

static int escape_scenario(void *ctx, const struct sandbox_child *child)
{
	bool walk = ctx != NULL; /* the O_NOFOLLOW walk refuses every symlink */
	fm_client_init(&client, child->channel_fd);
	int16_t ref;
	uint32_t actual;
	uint8_t buf[64];
	/* ".." is no Mac name; "::" climbs only inside the volume */
	CHECK_ERR(fm_open(&client, -1, 0, P(".."), FM_DATA_FORK, fsRdPerm, &ref), bdNamErr);
	CHECK_ERR(fm_open(&client, -1, 0, P(":..:outside"), FM_DATA_FORK, fsRdPerm, &ref),
		  bdNamErr);
	CHECK_ERR(fm_open(&client, -1, 0, P("::outside"), FM_DATA_FORK, fsRdPerm, &ref), dirNFErr);
	CHECK_ERR(fm_create(&client, -1, 0, P(".."), 0, 0), bdNamErr);
	CHECK_ERR(fm_create(&client, -1, 0, P("."), 0, 0), bdNamErr);
	CHECK_ERR(fm_create(&client, -1, 0, P("._sneaky"), 0, 0), bdNamErr);
	CHECK_ERR(fm_dir_create(&client, -1, 0, P(".."), &actual), bdNamErr);
	CHECK_ERR(fm_rename(&client, -1, 0, P("real"), P("..")), bdNamErr);
	CHECK_ERR(fm_rename(&client, -1, 0, P("real"), P("a:b")), bdNamErr);
	/* an absolute host path is just a Mac name with slashes: a file in the volume */
	CHECK_ERR(fm_open(&client, -1, 0, P("/etc/passwd"), FM_DATA_FORK, fsRdPerm, &ref), fnfErr);
	CHECK_ERR(fm_create(&client, -1, 0, P("/etc/passwd"), 0, 0), noErr);
	CHECK_ERR(fm_open(&client, -1, 0, P("/etc/passwd"), FM_DATA_FORK, fsRdPerm, &ref), noErr);
	CHECK_ERR(fm_read(&client, ref, fsFromStart, 0, buf, sizeof buf, &actual), eofErr);
	CHECK(actual == 0);
	CHECK_ERR(fm_close(&client, ref), noErr);
	/* "etc:passwd" is a full pathname: a volume called etc */
	CHECK_ERR(fm_open(&client, -1, 0, P("etc:passwd"), FM_DATA_FORK, fsRdPerm, &ref), nsvErr);
	/* symlinks out of the volume: absolute, to a directory, climbing */
	CHECK_ERR(fm_open(&client, -1, 0, P("passwd"), FM_DATA_FORK, fsRdPerm, &ref), fnfErr);
	CHECK_ERR(fm_open(&client, -1, 0, P(":etc:passwd"), FM_DATA_FORK, fsRdPerm, &ref), fnfErr);
	CHECK_ERR(fm_open(&client, -1, 0, P("up"), FM_DATA_FORK, fsRdPerm, &ref), fnfErr);
	CHECK_ERR(fm_open(&client, -1, 0, P("up"), FM_RSRC_FORK, fsRdPerm, &ref), fnfErr);
	CHECK_ERR(fm_create(&client, -1, 0, P(":etc:vm68k"), 0, 0), fnfErr);
	CHECK_ERR(fm_delete(&client, -1, 0, P(":etc:hostname")), fnfErr);
	struct fm_cat_reply cat;
	CHECK_ERR(fm_get_cat_info(&client, -1, 0, P("up"), 0, &cat), fnfErr);
	uint8_t fi[16] = "TEXTttxt";
	CHECK_ERR(fm_set_finfo(&client, -1, 0, P("passwd"), fi), fnfErr);
	/* a symlink to a file inside the volume: followed by openat2 */
	if (walk) {
		CHECK_ERR(fm_open(&client, -1, 0, P("inside"), FM_DATA_FORK, fsRdPerm, &ref),
			  fnfErr);
	} else {
		CHECK_ERR(fm_open(&client, -1, 0, P("inside"), FM_DATA_FORK, fsRdPerm, &ref),
			  noErr);
		CHECK_ERR(fm_read(&client, ref, fsFromStart, 0, buf, sizeof buf, &actual), eofErr);
		CHECK(actual == 5 && memcmp(buf, "real\n", 5) == 0);
		CHECK_ERR(fm_close(&client, ref), noErr);
	}
	/* the catalog shows none of the escaping links */
	int found_inside = 0;
	for (int16_t i = 1;; i++) {
		OSErr e = fm_get_cat_info(&client, -1, fsRtDirID, NULL, i, &cat);
		if (e == fnfErr)
			break;
		CHECK_ERR(e, noErr);
		CHECK(!(cat.name_len == 6 && memcmp(cat.name, "passwd", 6) == 0));
		CHECK(!(cat.name_len == 3 && memcmp(cat.name, "etc", 3) == 0));
		CHECK(!(cat.name_len == 2 && memcmp(cat.name, "up", 2) == 0));
		found_inside += cat.name_len == 6 && memcmp(cat.name, "inside", 6) == 0;
	}
	CHECK(found_inside == (walk ? 0 : 1));
	/* names: 31 characters are fine, 32 are not; NUL never is */
	CHECK_ERR(fm_create(&client, -1, 0, P("abcdefghijklmnopqrstuvwxyz01234"), 0, 0), noErr);
	CHECK_ERR(fm_create(&client, -1, 0, P("abcdefghijklmnopqrstuvwxyz012345"), 0, 0), bdNamErr);
	static const uint8_t nul[] = {3, 'a', 0, 'b'};
	CHECK_ERR(fm_create(&client, -1, 0, nul, 0, 0), bdNamErr);
	CHECK_ERR(fm_create(&client, -1, 0, P("Caf\x8e \xa5"), 0, 0), noErr);
	return 0;
}

static void setup_escape_links(void)
{
	write_host_file(rw_dir, "real", "real\n");
	char p[400], outside_rel[64];
	snprintf(p, sizeof p, "%s/passwd", rw_dir);
	assert_int_equal(symlink("/etc/passwd", p), 0);
	snprintf(p, sizeof p, "%s/etc", rw_dir);
	assert_int_equal(symlink("/etc", p), 0);
	snprintf(outside_rel, sizeof outside_rel, "../outside");
	snprintf(p, sizeof p, "%s/up", rw_dir);
	assert_int_equal(symlink(outside_rel, p), 0);
	snprintf(p, sizeof p, "%s/inside", rw_dir);
	assert_int_equal(symlink("real", p), 0);
}

static void check_escape_results(void)
{
	/* what the guest made stayed inside, named as documented */
	assert_true(host_exists(rw_dir, ":etc:passwd"));
	assert_true(host_exists(rw_dir, "abcdefghijklmnopqrstuvwxyz01234"));
	assert_true(host_exists(rw_dir, "Caf\xc3\xa9 \xe2\x80\xa2"));
	assert_false(host_exists(top, "vm68k"));
	assert_false(host_exists("/etc", "vm68k"));
	assert_true(host_file_is(top, "outside", "SECRET OUTSIDE THE VOLUME\n", 26));
}

static void paths_never_leave_the_volume(void **state)
{
	(void)state;
	setup_escape_links();
	run_child(escape_scenario, NULL, NULL, 0, NULL);
	check_escape_results();
}

static void without_openat2_the_walk_refuses_every_symlink(void **state)
{
	(void)state;
	setup_escape_links();
	beneath_force_walk = true;
	run_child(escape_scenario, (void *)1, NULL, 0, NULL);
	beneath_force_walk = false;
	check_escape_results();
}

/* ---- guest buffers: held while the host's data is copied in ---- */

struct guest_ctx {
	struct pager *pager;
	int ram_fd, store_fd;
};

static int guest_setup(void *ctx, const struct sandbox_child *child)
{
	(void)child;
	struct guest_ctx *g = ctx;
	struct pager_config pc;
	pager_config_defaults(&pc);
	pc.vm_bytes = 1u << 20;	  /* 256 pages */
	pc.ram_bytes = 32u << 12; /* 32 frames: most of RAM is paged out */
	pc.ram_fd = g->ram_fd;
	pc.backing_fd = g->store_fd;
	char err[200];
	g->pager = pager_create(&pc, err, sizeof err);
	return g->pager ? 0 : 70;
}

static int guest_scenario(void *ctx, const struct sandbox_child *child)
{
	struct guest_ctx *g = ctx;
	struct pager *p = g->pager;
	fm_client_init(&client, child->channel_fd);
	uint8_t *win = pager_window(p);
	/* Touch all of RAM so most of it goes to the backing store. */
	for (uint32_t a = 0; a < (1u << 20); a += 4096)
		win[a] = 0xEE;
	int16_t ref;
	uint32_t actual;
	CHECK_ERR(fm_open(&client, -1, 0, P("Big"), FM_DATA_FORK, fsRdWrPerm, &ref), noErr);
	/* 200 KiB into guest memory from 0x10100: 51 pages, more than the
	 * 32 frames, so the chunks must be held one at a time. */
	const gaddr at = 0x10100;
	const uint32_t n = 200u << 10;
	CHECK_ERR(fm_read_guest(&client, p, ref, fsFromStart, 0, at, n, &actual), noErr);
	CHECK(actual == n);
	struct pager_stats st;
	pager_get_stats(p, &st);
	CHECK(st.held == 0);
	static uint8_t check[200u << 10];
	CHECK(pager_peek(p, at, check, n) == noErr);
	for (uint32_t i = 0; i < n; i++)
		if (check[i] != pattern(i)) {
			child_log(child, "guest byte %u is %02x, expected %02x", i, check[i],
				  pattern(i));
			return 1;
		}
	CHECK(win[at - 1] == 0 && win[at + n] == 0); /* neighbours untouched */
	/* The interpreter sees the bytes through its own mapping too. */
	CHECK(win[at + 4097] == pattern(4097));
	/* Write a guest range back at the end of the file. */
	CHECK_ERR(fm_write_guest(&client, p, ref, fsFromLEOF, 0, at, 70000, &actual), noErr);
	CHECK(actual == 70000);
	uint32_t eof;
	CHECK_ERR(fm_get_eof(&client, ref, &eof), noErr);
	CHECK(eof == (300u << 10) + 70000);
	/* Outside logical RAM: refused before anything is asked. */
	CHECK_ERR(fm_read_guest(&client, p, ref, fsFromStart, 0, 0x00F00000, 16, &actual),
		  paramErr);
	CHECK_ERR(fm_close(&client, ref), noErr);
	pager_get_stats(p, &st);
	CHECK(st.held == 0);
	return 0;
}

static void reads_into_guest_memory_hold_the_pages_chunk_by_chunk(void **state)
{
	(void)state;
	static uint8_t data[300u << 10];
	for (uint32_t i = 0; i < sizeof data; i++)
		data[i] = pattern(i);
	char path[400];
	snprintf(path, sizeof path, "%s/Big", rw_dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fwrite(data, 1, sizeof data, f);
	fclose(f);
	struct guest_ctx g = {0};
	g.ram_fd = memfd_create("files_test_ram", 0);
	char err[200];
	g.store_fd = pager_open_private_store(err, sizeof err);
	assert_true(g.ram_fd >= 0 && g.store_fd >= 0);
	const struct sandbox_fd fds[] = {
	    {g.ram_fd, SANDBOX_MMAP | SANDBOX_PUNCH},
	    {g.store_fd, SANDBOX_PREAD | SANDBOX_PWRITE},
	};
	run_child(guest_scenario, &g, fds, 2, guest_setup);
	close(g.ram_fd);
	close(g.store_fd);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, sizeof data + 70000);
	f = fopen(path, "rb");
	static uint8_t back[(300u << 10) + 70000];
	assert_int_equal(fread(back, 1, sizeof back, f), sizeof back);
	fclose(f);
	for (uint32_t i = 0; i < 70000; i++)
		if (back[sizeof data + i] != pattern(i))
			fail_msg("byte %u written back from the guest is wrong", i);
}

/* ---- vm68k run's own broker ---- */

static int run_scenario_main(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	fm_client_init(&client, child->channel_fd);
	struct fm_volume_reply vi;
	CHECK_ERR(fm_get_vol_info(&client, 1, 0, &vi), noErr);
	CHECK(vi.name_len == 4 && memcmp(vi.name, "Disk", 4) == 0);
	CHECK_ERR(fm_create(&client, -1, 0, P("Made by run"), 0, 0), noErr);
	return 0;
}

static void vm68k_run_serves_its_volumes_and_refuses_a_bad_one(void **state)
{
	(void)state;
	struct run_config cfg;
	run_config_defaults(&cfg);
	cfg.quiet = true;
	cfg.volumes[0] = (struct volume_option){"Disk=/nonexistent/vm68k-volume", true};
	cfg.nvolumes = 1;
	struct spawn_job job = {.main = run_scenario_main};
	assert_int_equal(sandbox_run(&cfg, &job), EXIT_BAD_INPUT);
	char arg[400];
	snprintf(arg, sizeof arg, "Disk=%s", rw_dir);
	cfg.volumes[0].arg = arg;
	assert_int_equal(sandbox_run(&cfg, &job), EXIT_OK);
	assert_true(host_exists(rw_dir, "Made by run"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(data_fork_write_seek_read_eof_and_close, fresh_work),
	    cmocka_unit_test_setup(resource_fork_and_finder_info_live_in_an_appledouble_sidecar,
				   fresh_work),
	    cmocka_unit_test_setup(a_sidecar_of_another_layout_is_read_and_rewritten_for_growth,
				   fresh_work),
	    cmocka_unit_test_setup(get_set_vol_directories_and_rename_keep_their_ids, fresh_work),
	    cmocka_unit_test_setup(catalog_by_index_lists_visible_entries_in_name_order,
				   fresh_work),
	    cmocka_unit_test_setup(file_manager_errors_have_their_mac_result_codes, fresh_work),
	    cmocka_unit_test_setup(a_read_only_volume_refuses_every_change_with_wPrErr, fresh_work),
	    cmocka_unit_test_setup(paths_never_leave_the_volume, fresh_work),
	    cmocka_unit_test_setup(without_openat2_the_walk_refuses_every_symlink, fresh_work),
	    cmocka_unit_test_setup(reads_into_guest_memory_hold_the_pages_chunk_by_chunk,
				   fresh_work),
	    cmocka_unit_test_setup(vm68k_run_serves_its_volumes_and_refuses_a_bad_one, fresh_work),
	};
	return cmocka_run_group_tests(tests, make_dirs, remove_dirs);
}
