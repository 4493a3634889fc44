/* `make bench`: what the broker costs. A sandboxed child reads a 64 MiB file
 * through the File Manager client (host buffer, then guest memory held chunk
 * by chunk) and writes it back; the host's own pread of the same file is
 * the yardstick. Prints MB/s and the ratios. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "host/host.h"
#include "host/sandbox.h"
#include "host/volumes.h"
#include "toolbox/files.h"

#define FILE_BYTES (64u << 20)
#define DIR_FILES 2000

static struct fm_client client;
static struct pager *pager;
static int ram_fd, store_fd;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int setup(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	(void)child;
	struct pager_config pc;
	pager_config_defaults(&pc);
	pc.vm_bytes = 16u << 20;
	pc.ram_bytes = 16u << 20;
	pc.ram_fd = ram_fd;
	pc.backing_fd = store_fd;
	char err[200];
	pager = pager_create(&pc, err, sizeof err);
	return pager ? 0 : 1;
}

static int child_main(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	fm_client_init(&client, child->channel_fd);
	static uint8_t buf[4u << 20];
	int16_t ref;
	uint32_t actual;
	uint32_t dir_id;
	if (fm_dir_create(&client, -1, 0,
			  (const uint8_t *)"\x03"
					   "Big",
			  &dir_id))
		return 2;
	for (int k = 0; k < DIR_FILES; k++) {
		uint8_t name[16];
		name[0] = (uint8_t)snprintf((char *)name + 1, sizeof name - 1, "file %04d", k);
		if (fm_create(&client, -1, dir_id, name, 0, 0))
			return 2;
	}
	if (fm_open(&client, -1, 0,
		    (const uint8_t *)"\x04"
				     "Data",
		    FM_DATA_FORK, fsRdWrPerm, &ref))
		return 2;
	double t0 = now();
	for (uint32_t at = 0; at < FILE_BYTES; at += sizeof buf)
		if (fm_read(&client, ref, fsFromStart, (int32_t)at, buf, sizeof buf, &actual) ||
		    actual != sizeof buf)
			return 3;
	double t1 = now();
	for (uint32_t at = 0; at < FILE_BYTES; at += 8u << 20)
		if (fm_read_guest(&client, pager, ref, fsFromStart, (int32_t)at, 0x100000, 8u << 20,
				  &actual) ||
		    actual != 8u << 20)
			return 4;
	double t2 = now();
	for (uint32_t at = 0; at < FILE_BYTES; at += 8u << 20)
		if (fm_write_guest(&client, pager, ref, fsFromStart, (int32_t)at, 0x100000,
				   8u << 20, &actual) ||
		    actual != 8u << 20)
			return 5;
	double t3 = now();
	fm_close(&client, ref);
	/* A Standard File dialog's walk: every entry of a big directory by index. */
	struct fm_cat_reply cat;
	int16_t i = 1;
	while (fm_get_cat_info(&client, -1, dir_id, NULL, i, &cat) == noErr)
		i++;
	double t4 = now();
	if (i - 1 != DIR_FILES)
		return 6;
	child_log(child, "%.6f %.6f %.6f %.6f", t1 - t0, t2 - t1, t3 - t2, t4 - t3);
	return 0;
}

static char times[200];

static void on_log(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	snprintf(times, sizeof times, "%.*s", (int)len, text);
}

int main(void)
{
	char dir[] = "/tmp/files_bench.XXXXXX";
	if (mkdtemp(dir) == NULL)
		return 1;
	char path[300];
	snprintf(path, sizeof path, "%s/Data", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	uint8_t *data = malloc(FILE_BYTES);
	for (uint32_t i = 0; i < FILE_BYTES; i++)
		data[i] = (uint8_t)(i * 13);
	if (fd < 0 || write(fd, data, FILE_BYTES) != (ssize_t)FILE_BYTES)
		return 1;
	/* the host's own reads, warm cache, as the yardstick */
	double t0 = now();
	for (uint32_t at = 0; at < FILE_BYTES; at += 4u << 20)
		if (pread(fd, data, 4u << 20, at) != (ssize_t)(4u << 20))
			return 1;
	double host_s = now() - t0;
	close(fd);
	free(data);

	struct run_config cfg;
	run_config_defaults(&cfg);
	char arg[320];
	snprintf(arg, sizeof arg, "Bench=%s", dir);
	cfg.volumes[0] = (struct volume_option){arg, true};
	cfg.nvolumes = 1;
	char err[300];
	struct volumes *v = volumes_open(&cfg, err, sizeof err);
	ram_fd = memfd_create("files_bench_ram", 0);
	store_fd = pager_open_private_store(err, sizeof err);
	if (v == NULL || ram_fd < 0 || store_fd < 0)
		return 1;
	const struct sandbox_fd fds[] = {{ram_fd, SANDBOX_MMAP | SANDBOX_PUNCH},
					 {store_fd, SANDBOX_PREAD | SANDBOX_PWRITE}};
	struct spawn_job job = {.fds = fds, .nfds = 2, .setup = setup, .main = child_main};
	struct spawn_host host = {.ctx = v, .on_log = on_log, .on_request = volumes_on_request};
	struct spawn_outcome out;
	spawn_run(&job, &host, &out);
	volumes_close(v);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "files_bench: could not remove %s\n", dir);
	double rd, gr, gw, cat;
	if (out.end != SPAWN_EXITED || out.exit_status != 0 ||
	    sscanf(times, "%lf %lf %lf %lf", &rd, &gr, &gw, &cat) != 4) {
		fprintf(stderr, "files_bench: the child failed (status %d)\n", out.exit_status);
		return 1;
	}
	double mb = FILE_BYTES / 1e6;
	printf("files_bench: %u MiB, %u-byte messages\n", FILE_BYTES >> 20, FM_IO_MAX);
	printf("  host pread                 %8.0f MB/s\n", mb / host_s);
	printf("  fm_read (host buffer)      %8.0f MB/s  %.2fx the host's pread time\n", mb / rd,
	       rd / host_s);
	printf("  fm_read_guest (held)       %8.0f MB/s  %.2fx\n", mb / gr, gr / host_s);
	printf("  fm_write_guest (held)      %8.0f MB/s  %.2fx\n", mb / gw, gw / host_s);
	printf("  catalog walk, %d files     %8.1f us per PBGetCatInfo\n", DIR_FILES,
	       cat / DIR_FILES * 1e6);
	return 0;
}
