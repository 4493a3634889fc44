/* The qemu backend: writes a batch of case records to a temporary file, runs
 * the m68k harness under qemu-m68k with it as stdin, and reads the results.
 * If the harness dies part-way (it should not), the case it died on is
 * reported as lost and the rest of the batch is run in a fresh process. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/diff/diff.h"

struct qemu_backend {
	struct diff_backend b;
	char *qemu, *harness;
};

static const char *cpu_name(enum diff_cpu cpu)
{
	return cpu == DIFF_68040 ? "m68040" : cpu == DIFF_68030 ? "m68030" : "m68020";
}

/* Runs cases [0, n) in one qemu process; returns how many results it got
 * (n on success), or -1 if qemu could not be started. */
static long run_process(struct qemu_backend *q, const struct diff_case *cases, size_t n,
			struct diff_result *out)
{
	FILE *in = tmpfile(), *res = tmpfile();
	if (!in || !res) {
		fprintf(stderr, "diff: cannot create a temporary file: %s\n", strerror(errno));
		exit(2);
	}
	uint8_t rec[DIFF_IN_SIZE];
	for (size_t i = 0; i < n; i++) {
		diff_encode_case(&cases[i], rec);
		fwrite(rec, 1, sizeof rec, in);
	}
	fflush(in);
	rewind(in);
	/* exec failure is told apart from qemu's own exit codes by a
	 * close-on-exec pipe that only a failed exec writes to. */
	int ep[2];
	if (pipe2(ep, O_CLOEXEC) != 0) {
		fprintf(stderr, "diff: pipe: %s\n", strerror(errno));
		exit(2);
	}
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "diff: fork: %s\n", strerror(errno));
		exit(2);
	}
	if (pid == 0) {
		dup2(fileno(in), 0);
		dup2(fileno(res), 1);
		/* A runaway sequence (none should loop) must not hang the test. */
		alarm(60 + (unsigned)(n / 200));
		execl(q->qemu, q->qemu, "-cpu", cpu_name(q->b.cpu), q->harness, (char *)NULL);
		int e = errno;
		fprintf(stderr, "diff: cannot run %s: %s\n", q->qemu, strerror(e));
		if (write(ep[1], &e, sizeof e) < 0)
			_exit(127);
		_exit(127);
	}
	close(ep[1]);
	int e, exec_failed = read(ep[0], &e, sizeof e) == (ssize_t)sizeof e;
	close(ep[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	fclose(in);
	if (exec_failed) {
		fclose(res);
		return -1;
	}
	rewind(res);
	size_t got = 0;
	uint8_t orec[DIFF_OUT_SIZE];
	while (got < n && fread(orec, 1, sizeof orec, res) == sizeof orec) {
		if (diff_decode_result(orec, &out[got]) != 0)
			break;
		got++;
	}
	fclose(res);
	if (got < n) {
		if (WIFSIGNALED(status))
			fprintf(
			    stderr,
			    "diff: harness under qemu died of signal %d at case %zu of the batch\n",
			    WTERMSIG(status), got);
		else
			fprintf(stderr,
				"diff: harness under qemu exited %d after %zu of %zu cases\n",
				WEXITSTATUS(status), got, n);
	}
	return (long)got;
}

static int qemu_run(struct diff_backend *b, const struct diff_case *cases, size_t n,
		    struct diff_result *out)
{
	struct qemu_backend *q = (struct qemu_backend *)b;
	size_t done = 0;
	while (done < n) {
		long got = run_process(q, cases + done, n - done, out + done);
		if (got < 0)
			return -1;
		done += (size_t)got;
		if (done < n) {
			memset(&out[done], 0, sizeof out[done]);
			out[done].signal = DIFF_BACKEND_LOST;
			done++;
		}
	}
	return 0;
}

static void qemu_destroy(struct diff_backend *b)
{
	struct qemu_backend *q = (struct qemu_backend *)b;
	free(q->qemu);
	free(q->harness);
	free(q);
}

/* Finds an executable by name in $PATH; returns a malloc'd path or NULL. */
static char *find_in_path(const char *name)
{
	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? strdup(name) : NULL;
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		char buf[4096];
		snprintf(buf, sizeof buf, "%.*s/%s", (int)len, path, name);
		if (access(buf, X_OK) == 0)
			return strdup(buf);
		path += len + (path[len] == ':');
	}
	return NULL;
}

struct diff_backend *diff_qemu_backend(enum diff_cpu cpu, const char *qemu, const char *harness)
{
	struct qemu_backend *q = calloc(1, sizeof *q);
	if (!q)
		return NULL;
	q->qemu = find_in_path(qemu);
	if (!q->qemu) {
		fprintf(stderr, "diff: %s not found (install the Debian package qemu-user)\n",
			qemu);
		free(q);
		return NULL;
	}
	if (access(harness, R_OK) != 0) {
		fprintf(stderr,
			"diff: m68k harness %s not found (it needs m68k-linux-gnu-gcc: install "
			"gcc-m68k-linux-gnu)\n",
			harness);
		free(q->qemu);
		free(q);
		return NULL;
	}
	q->harness = strdup(harness);
	q->b.name = cpu == DIFF_68040	? "qemu-68040"
		    : cpu == DIFF_68030 ? "qemu-68030"
					: "qemu-68020";
	q->b.cpu = cpu;
	q->b.run = qemu_run;
	q->b.destroy = qemu_destroy;
	return &q->b;
}
