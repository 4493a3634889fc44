/* Starting the sandboxed guest process and brokering it until it ends: the
 * child sheds every descriptor it was not given, loads the filter and runs
 * the job; the host polls the channel, the trace pipe and the child's pidfd,
 * enforces the timeout, and reaps it. */
#include "config.h"

#include "host/host.h"
#include "host/sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- child side ---- */

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Closes every descriptor but keep[] (sorted). close_range(2) when the kernel
 * has it; otherwise whatever /proc/self/fd lists. */
static int close_all_but(const int *keep, size_t n)
{
	unsigned lo = 0;
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++) {
		if (keep[i] < 0 || (unsigned)keep[i] < lo)
			continue; /* duplicate */
		if ((unsigned)keep[i] > lo && syscall(SYS_close_range, lo, keep[i] - 1, 0) < 0)
			ok = false;
		lo = (unsigned)keep[i] + 1;
	}
	if (ok && syscall(SYS_close_range, lo, ~0u, 0) < 0)
		ok = false;
	if (ok)
		return 0;
	DIR *d = opendir("/proc/self/fd");
	if (d == NULL)
		return -1;
	int dfd = dirfd(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		if (*end != '\0' || e->d_name[0] == '\0' || fd == dfd)
			continue;
		if (bsearch(&(int){(int)fd}, keep, n, sizeof *keep, cmp_int) == NULL)
			close((int)fd);
	}
	closedir(d);
	return 0;
}

/* Ends the child, telling the host why first. */
static _Noreturn void child_fail(const struct sandbox_child *child, const char *what)
{
	child_send_exit(child, EXIT_FAILURE_RUN, what);
	_exit(EXIT_FAILURE_RUN);
}

static _Noreturn void child_run(const struct spawn_job *job, const struct sandbox_child *child,
				pid_t host_pid)
{
	char err[256];

	/* Never outlive the host: an orphaned guest would run unwatched. (The
	 * signal comes when the forking *thread* ends: spawn from the main one.) */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != host_pid)
		_exit(EXIT_FAILURE_RUN);
	/* No core files (the guest's RAM is not the user's business on disk), and
	 * no ptrace attach from other processes of the same user. */
	prctl(PR_SET_DUMPABLE, 0);

	/* Start from default signal dispositions and an empty mask, whatever the
	 * host (or a test harness) installed. */
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	/* With READ_IMPLIES_EXEC, PROT_READ would mean PROT_EXEC and slip past the
	 * filter's PROT_EXEC test. */
	int pers = personality(0xffffffff);
	if (pers != -1 && (pers & READ_IMPLIES_EXEC)) {
		personality((unsigned long)pers & ~(unsigned long)READ_IMPLIES_EXEC);
		if (personality(0xffffffff) & READ_IMPLIES_EXEC)
			child_fail(child,
				   "sandbox: cannot clear the READ_IMPLIES_EXEC personality");
	}

	int keep[64];
	size_t nkeep = 0;
	if (job->nfds + 3 > sizeof keep / sizeof keep[0])
		child_fail(child, "sandbox: too many descriptors given to the guest process");
	keep[nkeep++] = child->channel_fd;
	keep[nkeep++] = child->trace_fd;
	keep[nkeep++] = STDERR_FILENO;
	for (size_t i = 0; i < job->nfds; i++)
		keep[nkeep++] = job->fds[i].fd;
	qsort(keep, nkeep, sizeof keep[0], cmp_int);
	if (close_all_but(keep, nkeep) < 0)
		child_fail(child, "sandbox: cannot close the host's descriptors");

	/* Run as root or not, the guest process holds no capability: with one,
	 * some allowed calls would do more (madvise's MADV_HWPOISON, for one). */
	struct __user_cap_header_struct caph = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct capd[_LINUX_CAPABILITY_U32S_3];
	memset(capd, 0, sizeof capd);
	if (syscall(SYS_capset, &caph, capd) < 0)
		child_fail(child, "sandbox: cannot drop capabilities");

	if (sandbox_install_sigsys_reporter(child->channel_fd) < 0)
		child_fail(child, "sandbox: cannot install the SIGSYS handler");

	if (job->setup != NULL) {
		int rc = job->setup(job->ctx, child);
		if (rc != 0)
			_exit(rc);
	}

	if (sandbox_load_filter(job->fds, job->nfds, child->channel_fd, child->trace_fd, err,
				sizeof err) < 0) {
		char what[300];
		snprintf(what, sizeof what, "sandbox: %s", err);
		child_fail(child, what);
	}

	struct msg_ready ready = {.version = VM68K_PROTOCOL_VERSION, .pid = (uint32_t)getpid()};
	msg_send(child->channel_fd, MSG_READY, &ready, sizeof ready);

	int rc = job->main(job->ctx, child);
	/* _exit, not exit: the host's atexit handlers (removing its temporary
	 * backing store, flushing its stdio) are not the child's to run. */
	_exit(rc);
}

/* ---- host side ---- */

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct broker {
	const struct spawn_host *host;
	struct spawn_outcome *out;
	pid_t pid;
	int chan;      /* -1 once closed */
	int trace;     /* -1 once closed */
	bool bad;      /* protocol broken: the child has been killed */
	bool draining; /* the child is dead: its requests get no reply */
	unsigned char *msg;
	unsigned char tbuf[64 * sizeof(struct trace_record)];
	size_t tlen;
	uint64_t next_tick; /* now_ms() time of the next on_tick */
};

static void protocol_error(struct broker *b, const char *what, uint32_t type)
{
	if (b->bad)
		return;
	b->bad = true;
	snprintf(b->out->error, sizeof b->out->error, "%s (message type %u)", what, type);
	kill(b->pid, SIGKILL);
}

static void default_log(const struct broker *b, const char *text, size_t len)
{
	if (b->host->quiet)
		return;
	print_guest_text(stdout, text, len);
	fputc('\n', stdout);
	fflush(stdout);
}

static void handle_message(struct broker *b, size_t n)
{
	struct msg_header h;
	if (n < sizeof h) {
		protocol_error(b, "message shorter than its header", 0);
		return;
	}
	memcpy(&h, b->msg, sizeof h);
	const unsigned char *payload = b->msg + sizeof h;
	size_t len = n - sizeof h;
	if (h.length != len) {
		protocol_error(b, "message length does not match its header", h.type);
		return;
	}
	struct spawn_outcome *out = b->out;
	switch (h.type) {
	case MSG_READY: {
		struct msg_ready r;
		if (len != sizeof r)
			goto bad_size;
		memcpy(&r, payload, sizeof r);
		if (r.version != VM68K_PROTOCOL_VERSION) {
			protocol_error(b, "the guest process speaks another protocol version",
				       h.type);
			return;
		}
		out->ready = true;
		return;
	}
	case MSG_LOG:
		if (b->host->on_log)
			b->host->on_log(b->host->ctx, (const char *)payload, len);
		else
			default_log(b, (const char *)payload, len);
		return;
	case MSG_STATS:
		if (len % sizeof(struct msg_stat) != 0)
			goto bad_size;
		if (b->host->on_stats) {
			struct msg_stat *s = malloc(len ? len : 1);
			if (s == NULL)
				return;
			memcpy(s, payload, len);
			for (size_t i = 0; i < len / sizeof *s; i++)
				s[i].name[sizeof s[i].name - 1] = '\0';
			b->host->on_stats(b->host->ctx, s, len / sizeof *s);
			free(s);
		}
		return;
	case MSG_FATAL:
		if (len != sizeof out->fatal)
			goto bad_size;
		memcpy(&out->fatal, payload, len);
		out->have_fatal = true;
		return;
	case MSG_EXIT:
		if (len != sizeof out->exit_msg)
			goto bad_size;
		memcpy(&out->exit_msg, payload, len);
		out->exit_msg.reason[sizeof out->exit_msg.reason - 1] = '\0';
		out->have_exit = true;
		return;
	case MSG_VIOLATION:
		if (len != sizeof out->violation)
			goto bad_size;
		memcpy(&out->violation, payload, len);
		out->have_violation = true;
		return;
	case MSG_PING:
		if (!b->draining)
			msg_reply(b->chan, MSG_PONG, payload, len);
		return;
	default:
		if (h.type >= MSG_REQUEST_FIRST && h.type <= MSG_REQUEST_LAST) {
			if (b->draining)
				return;
			if (b->host->on_request &&
			    b->host->on_request(b->host->ctx, h.type, payload, len, b->chan))
				return;
			struct msg_error e = {.request = h.type, .error = ENOSYS};
			msg_reply(b->chan, MSG_ERROR, &e, sizeof e);
			return;
		}
		protocol_error(b, "unknown message type", h.type);
		return;
	}
bad_size:
	protocol_error(b, "message of the wrong size for its type", h.type);
}

/* Reads what the channel holds; nonblocking when draining a dead child. */
static void read_channel(struct broker *b, bool drain)
{
	while (b->chan >= 0) {
		struct iovec iov = {b->msg, MSG_MAX};
		struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
		ssize_t n = recvmsg(b->chan, &mh, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			close(b->chan);
			b->chan = -1;
			return;
		}
		if (n == 0) {
			close(b->chan);
			b->chan = -1;
			return;
		}
		if (mh.msg_flags & MSG_TRUNC)
			protocol_error(b, "message longer than MSG_MAX", 0);
		else
			handle_message(b, (size_t)n);
		if (!drain)
			return;
	}
}

static void read_trace(struct broker *b, bool drain)
{
	while (b->trace >= 0) {
		ssize_t n = read(b->trace, b->tbuf + b->tlen, sizeof b->tbuf - b->tlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			close(b->trace);
			b->trace = -1;
			return;
		}
		b->tlen += (size_t)n;
		size_t whole = b->tlen / sizeof(struct trace_record) * sizeof(struct trace_record);
		for (size_t off = 0; off < whole; off += sizeof(struct trace_record)) {
			struct trace_record r;
			memcpy(&r, b->tbuf + off, sizeof r);
			if (b->host->on_trace)
				b->host->on_trace(b->host->ctx, &r);
		}
		memmove(b->tbuf, b->tbuf + whole, b->tlen - whole);
		b->tlen -= whole;
		if (!drain)
			return;
	}
}

/* Polls until the child is gone (or the deadline passes and it is killed).
 * Returns true when the host killed it for the timeout. */
static bool broker_loop(struct broker *b, int pidfd, uint64_t deadline)
{
	for (;;) {
		struct pollfd p[3];
		int np = 0, ichan = -1, itrace = -1, ipid = -1;
		if (b->chan >= 0) {
			ichan = np;
			p[np++] = (struct pollfd){.fd = b->chan, .events = POLLIN};
		}
		if (b->trace >= 0) {
			itrace = np;
			p[np++] = (struct pollfd){.fd = b->trace, .events = POLLIN};
		}
		if (pidfd >= 0) {
			ipid = np;
			p[np++] = (struct pollfd){.fd = pidfd, .events = POLLIN};
		}
		int wait_ms = -1;
		uint64_t t = now_ms();
		if (deadline)
			wait_ms = t >= deadline ? 0 : (int)(deadline - t);
		if (b->host->on_tick != NULL) {
			if (t >= b->next_tick) {
				b->host->on_tick(b->host->tick_ctx);
				t = now_ms();
				b->next_tick = t + (b->host->tick_ms ? b->host->tick_ms : 1);
			}
			int tick_wait = (int)(b->next_tick - t);
			if (wait_ms < 0 || tick_wait < wait_ms)
				wait_ms = tick_wait;
		}
		if (np == 0) {
			/* No pidfd and both pipes closed: the child is ending. Wait for
			 * it in short naps, still within the deadline. */
			siginfo_t si;
			memset(&si, 0, sizeof si);
			if (waitid(P_PID, (id_t)b->pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0 ||
			    si.si_pid != 0)
				return false;
			if (wait_ms < 0 || wait_ms > 10)
				wait_ms = 10;
		}
		int n = poll(p, (nfds_t)np, wait_ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			/* Cannot watch it any more: stop it rather than wait blind. */
			kill(b->pid, SIGKILL);
			return false;
		}
		if (n == 0 && deadline && now_ms() >= deadline) {
			kill(b->pid, SIGKILL);
			return true;
		}
		if (ichan >= 0 && p[ichan].revents)
			read_channel(b, false);
		if (itrace >= 0 && p[itrace].revents)
			read_trace(b, false);
		if (ipid >= 0 && p[ipid].revents)
			return false; /* it has ended: drain and reap */
		if (b->bad)
			return false;
	}
}

static void fill_ending(struct spawn_outcome *out, int st, bool timed_out, bool bad,
			const struct child_status *status)
{
	if (bad) {
		out->end = SPAWN_PROTOCOL;
	} else if (timed_out && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) {
		out->end = SPAWN_TIMEOUT;
	} else if (WIFEXITED(st)) {
		out->end = SPAWN_EXITED;
		out->exit_status = WEXITSTATUS(st);
	} else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS) {
		out->end = SPAWN_VIOLATION;
		out->signal = SIGSYS;
	} else {
		out->end = SPAWN_SIGNALED;
		out->signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	}
	if (out->have_fatal && (out->fatal.flags & MSG_HAVE_PC)) {
		out->have_pc = true;
		out->last_pc = out->fatal.guest_pc;
	} else if (out->have_exit && (out->exit_msg.flags & MSG_HAVE_PC)) {
		out->have_pc = true;
		out->last_pc = out->exit_msg.guest_pc;
	} else if (status->magic == CHILD_STATUS_MAGIC && status->pc_valid) {
		out->have_pc = true;
		out->last_pc = status->pc;
	}
}

int spawn_run(const struct spawn_job *job, const struct spawn_host *host, struct spawn_outcome *out)
{
	static const struct spawn_host no_hooks;
	if (host == NULL)
		host = &no_hooks;
	memset(out, 0, sizeof *out);
	out->end = SPAWN_FAILED;

	int sv[2] = {-1, -1}, tp[2] = {-1, -1};
	struct child_status *status = MAP_FAILED;
	unsigned char *msgbuf = NULL;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0 ||
	    pipe2(tp, O_CLOEXEC) < 0) {
		snprintf(out->error, sizeof out->error, "channel: %s", strerror(errno));
		goto fail;
	}
	status =
	    mmap(NULL, sizeof *status, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	msgbuf = malloc(MSG_MAX);
	if (status == MAP_FAILED || msgbuf == NULL) {
		snprintf(out->error, sizeof out->error, "status page: %s", strerror(errno));
		goto fail;
	}
	status->magic = CHILD_STATUS_MAGIC;

	fflush(NULL); /* the child must not inherit half-written host output */
	uint64_t start = now_ms();
	pid_t host_pid = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(out->error, sizeof out->error, "fork: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0) {
		struct sandbox_child child = {
		    .channel_fd = sv[1], .trace_fd = tp[1], .status = status};
		child_run(job, &child, host_pid);
	}
	close(sv[1]);
	close(tp[1]);
	sv[1] = tp[1] = -1;

	/* A pidfd tells poll when the child ends even if it never closes the
	 * channel; without one (old kernels) the channel's EOF has to do. */
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct broker *b = calloc(1, sizeof *b);
	if (b == NULL) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		snprintf(out->error, sizeof out->error, "out of memory");
		goto fail;
	}
	*b = (struct broker){
	    .host = host, .out = out, .pid = pid, .chan = sv[0], .trace = tp[0], .msg = msgbuf};
	sv[0] = tp[0] = -1;

	bool timed_out = broker_loop(b, pidfd, host->timeout_ms ? start + host->timeout_ms : 0);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	/* The child is gone: whatever it said before dying is still queued. */
	b->draining = true;
	read_channel(b, true);
	read_trace(b, true);
	out->elapsed_ms = (unsigned)(now_ms() - start);
	fill_ending(out, st, timed_out, b->bad, status);

	if (pidfd >= 0)
		close(pidfd);
	if (b->chan >= 0)
		close(b->chan);
	if (b->trace >= 0)
		close(b->trace);
	free(b);
	free(msgbuf);
	munmap(status, sizeof *status);
	return 0;

fail:
	for (int i = 0; i < 2; i++) {
		if (sv[i] >= 0)
			close(sv[i]);
		if (tp[i] >= 0)
			close(tp[i]);
	}
	if (status != MAP_FAILED)
		munmap(status, sizeof *status);
	free(msgbuf);
	out->end = SPAWN_FAILED;
	return -1;
}
