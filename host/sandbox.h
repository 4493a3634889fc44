/* The sandboxed spawn: fork a guest process that keeps only the descriptors it
 * is given, loads a seccomp allow-list, and talks to the host over the
 * protocol in host/protocol.h. Internal to host/; the run command uses it:
 *
 *   host: ram = memfd_create(...); store = the backing-store file (0600);
 *         struct sandbox_fd fds[] = {
 *                 {ram, SANDBOX_MMAP | SANDBOX_PUNCH},
 *                 {store, SANDBOX_PREAD | SANDBOX_PWRITE}};
 *         struct spawn_job job = {fds, 2, guest_setup, guest_main, &ctx};
 *         return sandbox_run(cfg, &job);
 *   child, guest_setup: pager_create() with ram_fd/backing_fd set, regions
 *         mapped (mmap is still free here), handlers installed;
 *   child, guest_main: runs under the filter; output through child_log,
 *         child_send_stats, child_trace, the PC in child->status. */
#ifndef VM68K_HOST_SANDBOX_H
#define VM68K_HOST_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "host/options.h"
#include "host/protocol.h"

/* What the child may do with a descriptor it is given (bits). */
enum sandbox_right {
	SANDBOX_READ = 1u << 0,	  /* read(2) */
	SANDBOX_WRITE = 1u << 1,  /* write(2), writev(2) */
	SANDBOX_PREAD = 1u << 2,  /* pread64(2) */
	SANDBOX_PWRITE = 1u << 3, /* pwrite64(2) */
	SANDBOX_PUNCH = 1u << 4,  /* fallocate(2) punching holes only: the file cannot grow */
	SANDBOX_MMAP = 1u << 5,	  /* mmap(2) of this descriptor, never PROT_EXEC */
};

struct sandbox_fd {
	int fd;		 /* same number in the child as in the host */
	unsigned rights; /* SANDBOX_* bits */
};

/* What the child's code is handed. */
struct sandbox_child {
	int channel_fd;		     /* messages and requests (host/protocol.h) */
	int trace_fd;		     /* write end of the trace pipe: struct trace_record */
	struct child_status *status; /* shared status page: store the PC here */
};

/* A job to run in a sandboxed child. setup runs after every other descriptor
 * is closed and before the filter is loaded (the pager maps its window, its
 * RAM memfd and installs its fault handler there); main runs under the
 * filter. Each returns a process exit status; a non-zero status from setup
 * ends the child before main runs. */
struct spawn_job {
	const struct sandbox_fd *fds; /* the descriptors the child keeps */
	size_t nfds;
	int (*setup)(void *ctx, const struct sandbox_child *child); /* may be NULL */
	int (*main)(void *ctx, const struct sandbox_child *child);
	void *ctx;
	/* --stats: when stats_store is set, the host adds the backing store's
	 * size (store_fd is the host's descriptor) after the child's counters. */
	bool stats_store;
	int store_fd;
};

/* The host's side: how long the child may run and where its output goes.
 * Every hook may be NULL; hooks run in the host, in the broker loop. */
struct spawn_host {
	unsigned timeout_ms; /* 0: no limit */
	bool quiet;	     /* default log sink prints nothing */
	void *ctx;
	void (*on_log)(void *ctx, const char *text, size_t len);
	void (*on_trace)(void *ctx, const struct trace_record *rec);
	void (*on_stats)(void *ctx, const struct msg_stat *stats, size_t count);
	/* Serves a request (MSG_REQUEST_FIRST..LAST, not MSG_PING): must send
	 * exactly one reply, MSG_REPLY(type), on channel_fd with msg_reply().
	 * Returns false if it does not know the request (the broker then
	 * replies MSG_ERROR). */
	bool (*on_request)(void *ctx, uint32_t type, const void *payload, size_t len,
			   int channel_fd);
	/* Called about every tick_ms while the child runs (the display's
	 * refresh), between messages; tick_ctx is its own context. */
	unsigned tick_ms;
	void (*on_tick)(void *tick_ctx);
	void *tick_ctx;
};

/* How a child ended. */
enum spawn_end {
	SPAWN_EXITED,	 /* exit_status holds its status */
	SPAWN_SIGNALED,	 /* killed by signal (not SIGSYS, not our timeout) */
	SPAWN_VIOLATION, /* killed by SIGSYS: the filter refused a call */
	SPAWN_TIMEOUT,	 /* killed by the host when timeout_ms passed */
	SPAWN_FAILED,	 /* the host could not start it: error says why */
	SPAWN_PROTOCOL,	 /* it sent garbage; the host killed it */
};

struct spawn_outcome {
	enum spawn_end end;
	int exit_status; /* SPAWN_EXITED */
	int signal;	 /* SPAWN_SIGNALED, SPAWN_VIOLATION */
	bool ready;	 /* it got as far as MSG_READY */
	bool have_violation;
	struct msg_violation violation;
	bool have_fatal;
	struct msg_fatal fatal;
	bool have_exit;
	struct msg_exit exit_msg;
	bool have_pc; /* from the status page, or a fatal/exit message */
	uint32_t last_pc;
	unsigned elapsed_ms;
	char error[200]; /* SPAWN_FAILED, SPAWN_PROTOCOL */
};

/* Runs job in a sandboxed child and brokers its messages until it ends.
 * Never returns early: the child has been reaped when it returns. Fills
 * *out; returns 0, or -1 if the child could not be started (out->error). */
int spawn_run(const struct spawn_job *job, const struct spawn_host *host,
	      struct spawn_outcome *out);

/* Prints one line saying how the child ended, if that is worth saying, to
 * err (a clean exit's reason, the run's result line, goes to stdout), and
 * returns the vm68k exit status for it (enum vm68k_exit). */
int spawn_report(const struct spawn_outcome *out, FILE *err);

/* The run command's entry: spawn_run with cfg's --timeout and --quiet, then
 * spawn_report to stderr. Returns the exit status. */
int sandbox_run(const struct run_config *cfg, const struct spawn_job *job);

/* sandbox_run with on_tick(tick_ctx) called every tick_ms in the broker loop
 * (on_tick NULL: none). Returns the exit status. */
int sandbox_run_ticking(const struct run_config *cfg, const struct spawn_job *job,
			unsigned tick_ms, void (*on_tick)(void *), void *tick_ctx);

/* Child side. Loads the allow-list for a child that keeps fds (plus its
 * channel, trace pipe and stderr). Returns 0, or -1 with a message in err. */
int sandbox_load_filter(const struct sandbox_fd *fds, size_t nfds, int channel_fd, int trace_fd,
			char *err, size_t errlen);

/* Child side: installs the SIGSYS handler that reports a refused call on
 * channel_fd before the process dies of it. Returns 0 or -1 (errno). */
int sandbox_install_sigsys_reporter(int channel_fd);

/* Child side: sends one message (header + payload) on fd with one writev(2),
 * the call its filter allows. Returns 0, or -1 (errno). */
int msg_send(int fd, uint32_t type, const void *payload, size_t len);

/* Host side: the same with sendmsg(2) and MSG_NOSIGNAL, so a dead child
 * makes it fail with EPIPE instead of raising SIGPIPE. Returns 0 or -1. */
int msg_reply(int fd, uint32_t type, const void *payload, size_t len);

/* Child side: sends a printf-style text line (MSG_LOG). Returns 0 or -1. */
int child_log(const struct sandbox_child *child, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Child side: tells the host why it is about to exit with status (MSG_EXIT).
 * Returns 0 or -1. */
int child_send_exit(const struct sandbox_child *child, int status, const char *reason);

/* Child side: sends n named counters (MSG_STATS) for --stats; the last set
 * sent before the child ends is the one printed. Returns 0 or -1. */
int child_send_stats(const struct sandbox_child *child, const struct msg_stat *stats, size_t n);

/* Child side: writes one trace record to the trace pipe. Returns 0 or -1. */
int child_trace(const struct sandbox_child *child, const struct trace_record *rec);

/* Host side: prints text from the guest process (up to len bytes or a NUL)
 * with control characters shown as \xNN, so it cannot drive the terminal. */
void print_guest_text(FILE *f, const char *text, size_t len);

/* The name of system call nr on architecture arch (AUDIT_ARCH_*), written to
 * buf; "syscall N" when libseccomp does not know it. Returns buf. */
const char *sandbox_syscall_name(uint32_t arch, int nr, char *buf, size_t len);

#endif
