/* How a guest process ended, in words and as vm68k's exit status: the one
 * place that maps a spawn outcome to the EXIT STATUS list of vm68k(1). */
#include "config.h"

#include "host/host.h"
#include "host/sandbox.h"
#include "host/trace.h"
#include "host/volumes.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void print_pc(const struct spawn_outcome *out, FILE *err)
{
	if (out->have_pc)
		fprintf(err, " at PC %08X", (unsigned)out->last_pc);
	else
		fprintf(err, " (last PC unknown)");
}

static const char *signal_name(int sig, char *buf, size_t len)
{
	const char *abbrev = sigabbrev_np(sig);
	if (abbrev != NULL)
		snprintf(buf, len, "SIG%s (%s)", abbrev, strsignal(sig));
	else
		snprintf(buf, len, "signal %d", sig);
	return buf;
}

int spawn_report(const struct spawn_outcome *out, FILE *err)
{
	char name[64], sig[64];
	switch (out->end) {
	case SPAWN_EXITED:
		if (out->exit_status == EXIT_OK) {
			/* The result line: shown even with --quiet. */
			if (out->have_exit && out->exit_msg.reason[0] != '\0') {
				fputs("vm68k: ", stdout);
				print_guest_text(stdout, out->exit_msg.reason,
						 sizeof out->exit_msg.reason);
				fputc('\n', stdout);
			}
			return EXIT_OK;
		}
		if (out->have_exit && out->exit_msg.reason[0] != '\0') {
			fputs("vm68k: ", err);
			print_guest_text(err, out->exit_msg.reason, sizeof out->exit_msg.reason);
			fputc('\n', err);
		} else
			fprintf(err, "vm68k: the guest process exited with status %d\n",
				out->exit_status);
		/* The child chose its status from the same enum: pass it through. */
		return out->exit_status;
	case SPAWN_VIOLATION:
		if (out->have_violation) {
			const struct msg_violation *v = &out->violation;
			fprintf(err,
				"vm68k: sandbox violation: the guest process called %s (system "
				"call %d)",
				sandbox_syscall_name(v->arch, v->nr, name, sizeof name), v->nr);
			if (v->have_args)
				fprintf(
				    err, " with arguments %#llx, %#llx, %#llx, %#llx",
				    (unsigned long long)v->args[0], (unsigned long long)v->args[1],
				    (unsigned long long)v->args[2], (unsigned long long)v->args[3]);
			fprintf(err, "; it was refused and the process killed");
		} else {
			fprintf(err,
				"vm68k: sandbox violation: the guest process was killed by SIGSYS "
				"for a refused system call it did not name");
		}
		print_pc(out, err);
		fputc('\n', err);
		return EXIT_SANDBOX_VIOLATION;
	case SPAWN_SIGNALED:
		fprintf(err, "vm68k: the guest process died of %s",
			signal_name(out->signal, sig, sizeof sig));
		if (out->have_fatal)
			fprintf(err, " accessing host address %#llx",
				(unsigned long long)out->fatal.host_addr);
		print_pc(out, err);
		/* vm68k never sends SIGKILL except for --timeout, reported apart. */
		if (out->signal == SIGKILL)
			fprintf(err, " (killed from outside: out of memory?)");
		else if (out->signal == SIGXCPU || out->signal == SIGXFSZ)
			fprintf(err, " (a resource limit was reached)");
		fputc('\n', err);
		return EXIT_GUEST_CRASH;
	case SPAWN_TIMEOUT:
		fprintf(err,
			"vm68k: timeout: the guest was still running after %u.%03u s and was "
			"stopped",
			out->elapsed_ms / 1000, out->elapsed_ms % 1000);
		print_pc(out, err);
		fputc('\n', err);
		return EXIT_TIMEOUT;
	case SPAWN_PROTOCOL:
		fprintf(err, "vm68k: the guest process broke the host protocol (%s) and was killed",
			out->error);
		print_pc(out, err);
		fputc('\n', err);
		return EXIT_GUEST_CRASH;
	case SPAWN_FAILED:
		break;
	}
	fprintf(err, "vm68k: cannot start the guest process: %s\n", out->error);
	return EXIT_FAILURE_RUN;
}

struct run_hooks {
	struct trace_writer *trace;
	struct msg_stat *stats; /* the last set the child sent */
	size_t nstats;
	struct volumes *volumes; /* --volume, --volume-rw: the File Manager's requests */
};

static bool serve_request(void *ctx, uint32_t type, const void *payload, size_t len, int channel_fd)
{
	struct run_hooks *h = ctx;
	return volumes_on_request(h->volumes, type, payload, len, channel_fd);
}

static void write_trace(void *ctx, const struct trace_record *rec)
{
	struct run_hooks *h = ctx;
	if (h->trace != NULL)
		trace_writer_record(h->trace, rec);
}

static void keep_stats(void *ctx, const struct msg_stat *stats, size_t count)
{
	struct run_hooks *h = ctx;
	struct msg_stat *copy = malloc(count ? count * sizeof *copy : 1);
	if (copy == NULL)
		return;
	memcpy(copy, stats, count * sizeof *copy);
	free(h->stats);
	h->stats = copy;
	h->nstats = count;
}

/* The backing store as the host sees it after the run: its apparent size
 * (the highest page slot written) and the disk blocks it really takes
 * (st_blocks is in 512-byte units whatever the file system's block). */
static void print_store_size(int fd)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return;
	printf("  %-24s %" PRIu64 "\n", "backing_store_bytes", (uint64_t)st.st_size);
	printf("  %-24s %" PRIu64 "\n", "backing_store_allocated", (uint64_t)st.st_blocks * 512u);
}

int sandbox_run(const struct run_config *cfg, const struct spawn_job *job)
{
	return sandbox_run_ticking(cfg, job, 0, NULL, NULL);
}

int sandbox_run_ticking(const struct run_config *cfg, const struct spawn_job *job, unsigned tick_ms,
			void (*on_tick)(void *), void *tick_ctx)
{
	struct run_hooks hooks = {0};
	struct spawn_host host = {
	    .timeout_ms = cfg->timeout_seconds * 1000u,
	    .quiet = cfg->quiet,
	    .ctx = &hooks,
	    .on_stats = keep_stats,
	    .on_request = serve_request,
	    .tick_ms = tick_ms,
	    .on_tick = on_tick,
	    .tick_ctx = tick_ctx,
	};
	/* The host opens the volumes' directories now, so a bad one fails before
	 * the guest starts; the guest reaches them only through requests. */
	char verr[512];
	hooks.volumes = volumes_open(cfg, verr, sizeof verr);
	if (hooks.volumes == NULL) {
		fprintf(stderr, "vm68k: %s\n", verr);
		return EXIT_BAD_INPUT;
	}
	/* The host opens the trace file: the guest process could not. */
	struct trace_writer *trace = NULL;
	if (cfg->trace_path != NULL) {
		FILE *f = fopen(cfg->trace_path, "w");
		if (f == NULL) {
			fprintf(stderr, "vm68k: --trace: cannot create %s: %s\n", cfg->trace_path,
				strerror(errno));
			volumes_close(hooks.volumes);
			return EXIT_BAD_INPUT;
		}
		trace = trace_writer_new(f, (enum trace_format)cfg->trace_format);
		if (trace == NULL) {
			fclose(f);
			fprintf(stderr, "vm68k: --trace: out of memory\n");
			volumes_close(hooks.volumes);
			return EXIT_FAILURE_RUN;
		}
		host.on_trace = write_trace;
		hooks.trace = trace;
	}
	struct spawn_outcome out;
	spawn_run(job, &host, &out);
	int status = spawn_report(&out, stderr);
	/* --stats asks for them even with --quiet, and even after a failure:
	 * the counts up to the end are what one wants to see then. */
	if (cfg->stats && hooks.nstats > 0) {
		printf("statistics:\n");
		for (size_t i = 0; i < hooks.nstats; i++) {
			/* Counters carry integers; a name ending in _x1000 is a
			 * fraction sent in thousandths (e.g. mips_x1000). */
			const char *name = hooks.stats[i].name;
			size_t n = strnlen(name, sizeof hooks.stats[i].name);
			uint64_t v = hooks.stats[i].value;
			if (n > 6 && memcmp(name + n - 6, "_x1000", 6) == 0)
				printf("  %-24.*s %" PRIu64 ".%03u\n", (int)(n - 6), name, v / 1000,
				       (unsigned)(v % 1000));
			else
				printf("  %-24.*s %" PRIu64 "\n", (int)n, name, v);
		}
		if (job->stats_store)
			print_store_size(job->store_fd);
		fflush(stdout);
	}
	free(hooks.stats);
	volumes_close(hooks.volumes);
	if (trace != NULL && trace_writer_close(trace) < 0) {
		fprintf(stderr, "vm68k: --trace: writing %s: %s\n", cfg->trace_path,
			strerror(errno));
		if (status == EXIT_OK)
			status = EXIT_FAILURE_RUN;
	}
	return status;
}
