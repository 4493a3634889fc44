/* The guest process's sandbox, proven from outside: each forbidden system call
 * made in a sandboxed child is refused and named by the host; allowed work
 * succeeds; crashes, aborts and runaway children become documented exit
 * statuses without harming the host. */
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
#include <linux/capability.h>
#include <sigsegv.h>
#include <linux/io_uring.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "host/host.h"
#include "host/sandbox.h"

/* ---- harness ---- */

struct run {
	struct spawn_outcome out;
	int status; /* what spawn_report returned */
	char report[1024];
	char log[1024]; /* MSG_LOG lines, joined by '\n' */
	unsigned traces;
	struct trace_record last_trace;
};

static void on_log(void *ctx, const char *text, size_t len)
{
	struct run *r = ctx;
	size_t used = strlen(r->log);
	snprintf(r->log + used, sizeof r->log - used, "%.*s\n", (int)len, text);
}

static void on_trace(void *ctx, const struct trace_record *rec)
{
	struct run *r = ctx;
	r->traces++;
	r->last_trace = *rec;
}

/* The host's request server for the next run_job, if any. */
static bool (*serve)(void *ctx, uint32_t type, const void *payload, size_t len, int channel_fd);

static int memfd = -1;	  /* given: pread, pwrite, mmap */
static int ro_memfd = -1; /* given: pread only */

static void run_job(struct run *r, int (*setup)(void *, const struct sandbox_child *),
		    int (*main_fn)(void *, const struct sandbox_child *), void *ctx,
		    unsigned timeout_ms)
{
	memset(r, 0, sizeof *r);
	const struct sandbox_fd fds[] = {
	    {memfd, SANDBOX_PREAD | SANDBOX_PWRITE | SANDBOX_PUNCH | SANDBOX_MMAP},
	    {ro_memfd, SANDBOX_PREAD},
	};
	struct spawn_job job = {.fds = fds, .nfds = 2, .setup = setup, .main = main_fn, .ctx = ctx};
	struct spawn_host host = {.timeout_ms = timeout_ms,
				  .ctx = r,
				  .on_log = on_log,
				  .on_trace = on_trace,
				  .on_request = serve};
	assert_int_equal(spawn_run(&job, &host, &r->out), 0);
	FILE *f = fmemopen(r->report, sizeof r->report - 1, "w");
	assert_non_null(f);
	r->status = spawn_report(&r->out, f);
	fclose(f);
	if (getenv("SANDBOX_TEST_VERBOSE")) /* to read the host's words */
		fprintf(stderr, "  [status %d] %s", r->status, r->report);
}

static int setup_files(void **state)
{
	(void)state;
	memfd = memfd_create("sandbox_test", 0);
	ro_memfd = memfd_create("sandbox_test_ro", 0);
	if (memfd < 0 || ro_memfd < 0 || ftruncate(memfd, 1 << 16) < 0 ||
	    ftruncate(ro_memfd, 1 << 16) < 0)
		return -1;
	return 0;
}

static int teardown_files(void **state)
{
	(void)state;
	close(memfd);
	close(ro_memfd);
	return 0;
}

/* ---- forbidden calls, one per child ---- */

static void *page(void)
{
	return mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static long try_open(void)
{
	return syscall(SYS_open, "/etc/passwd", O_RDONLY);
}
static long try_openat(void)
{
	return open("/etc/passwd", O_RDONLY); /* glibc: openat */
}
static long try_openat2(void)
{
	return syscall(SYS_openat2, AT_FDCWD, "/etc/passwd", NULL, 0);
}
static long try_socket(void)
{
	return socket(AF_INET, SOCK_STREAM, 0);
}
static long try_socketpair(void)
{
	int sv[2];
	return socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
}
static long try_execve(void)
{
	char *argv[] = {"true", NULL};
	return execve("/bin/true", argv, NULL);
}
static long try_fork(void)
{
	return fork(); /* glibc: clone */
}
static long try_vfork(void)
{
	return syscall(SYS_vfork);
}
static long try_clone3(void)
{
	return syscall(SYS_clone3, NULL, 0);
}
static long try_ptrace(void)
{
	return ptrace(PTRACE_TRACEME, 0, NULL, NULL);
}
static long try_kill(void)
{
	return kill(getpid(), 0); /* signal 0: harmless if let through */
}
static long try_getppid(void)
{
	return syscall(SYS_getppid);
}
static long try_mprotect_exec(void)
{
	void *p = page();
	return mprotect(p, 4096, PROT_READ | PROT_EXEC);
}
static long try_pkey_mprotect_exec(void)
{
	void *p = page();
	return syscall(SYS_pkey_mprotect, p, 4096, PROT_READ | PROT_EXEC, -1);
}
static long try_mmap_exec(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? -1 : 0;
}
static long try_mmap_fd_exec(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, memfd, 0);
	return p == MAP_FAILED ? -1 : 0;
}
static long try_mmap_ungiven_fd(void)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ro_memfd, 0);
	return p == MAP_FAILED ? -1 : 0;
}
static long try_write_read_only_fd(void)
{
	return write(ro_memfd, "x", 1);
}
static long try_pwrite_read_only_fd(void)
{
	return pwrite(ro_memfd, "x", 1, 0);
}
static long try_read_stdin(void)
{
	char c;
	return read(STDIN_FILENO, &c, 1);
}
static long try_grow_file(void)
{
	return fallocate(memfd, 0, 0, 1 << 20); /* a given fd, but not a hole punch */
}
static long try_sigaction_sigsys(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	return sigaction(SIGSYS, &sa, NULL);
}
static long try_dup(void)
{
	return dup(memfd);
}
static long try_fstat(void)
{
	struct stat st;
	return fstat(memfd, &st);
}
static long try_memfd_create(void)
{
	return memfd_create("escape", 0);
}
static long try_io_uring(void)
{
	struct io_uring_params p;
	memset(&p, 0, sizeof p);
	return syscall(SYS_io_uring_setup, 1, &p);
}
static long try_process_vm_writev(void)
{
	return syscall(SYS_process_vm_writev, getpid(), NULL, 0, NULL, 0, 0);
}

struct forbidden {
	const char *what;
	long (*call)(void);
	const char *expect; /* the system call the host must name */
};

static const struct forbidden forbidden[] = {
    {"socket", try_socket, "socket"},
    {"socketpair", try_socketpair, "socketpair"},
    {"execve /bin/true", try_execve, "execve"},
    {"fork() through glibc", try_fork, "clone"},
    {"vfork", try_vfork, "vfork"},
    {"clone3", try_clone3, "clone3"},
    {"ptrace(PTRACE_TRACEME)", try_ptrace, "ptrace"},
    {"kill", try_kill, "kill"},
    {"getppid (the SIGSYS handler's own trigger)", try_getppid, "getppid"},
    {"mprotect PROT_EXEC", try_mprotect_exec, "mprotect"},
    {"pkey_mprotect PROT_EXEC", try_pkey_mprotect_exec, "pkey_mprotect"},
    {"mmap PROT_EXEC anonymous", try_mmap_exec, "mmap"},
    {"mmap PROT_EXEC of a given fd", try_mmap_fd_exec, "mmap"},
    {"mmap of a fd given without SANDBOX_MMAP", try_mmap_ungiven_fd, "mmap"},
    {"write to a fd given for pread only", try_write_read_only_fd, "write"},
    {"pwrite to a fd given for pread only", try_pwrite_read_only_fd, "pwrite64"},
    {"read of stdin (not given)", try_read_stdin, "read"},
    {"fallocate growing a given fd", try_grow_file, "fallocate"},
    {"sigaction on SIGSYS", try_sigaction_sigsys, "rt_sigaction"},
    {"dup", try_dup, "dup"},
    {"fstat", try_fstat, "newfstatat"},
    {"memfd_create", try_memfd_create, "memfd_create"},
    {"io_uring_setup", try_io_uring, "io_uring_setup"},
    {"process_vm_writev", try_process_vm_writev, "process_vm_writev"},
};

static int call_forbidden(void *ctx, const struct sandbox_child *child)
{
	const struct forbidden *f = ctx;
	long rc = f->call();
	/* Reached only if the call was let through (or failed without a trap). */
	child_log(child, "%s returned %ld (errno %d)", f->what, rc, errno);
	return 0;
}

static void each_forbidden_call_is_refused_and_named(void **state)
{
	(void)state;
	int failures = 0;
	for (size_t i = 0; i < sizeof forbidden / sizeof forbidden[0]; i++) {
		const struct forbidden *f = &forbidden[i];
		struct run r;
		run_job(&r, NULL, call_forbidden, (void *)f, 5000);
		char name[64] = "";
		if (r.out.have_violation)
			sandbox_syscall_name(r.out.violation.arch, r.out.violation.nr, name,
					     sizeof name);
		bool ok = r.out.ready && r.out.end == SPAWN_VIOLATION && r.out.signal == SIGSYS &&
			  r.out.have_violation && strcmp(name, f->expect) == 0 &&
			  r.status == EXIT_SANDBOX_VIOLATION &&
			  strstr(r.report, f->expect) != NULL &&
			  strstr(r.report, "sandbox violation") != NULL;
		if (!ok) {
			fprintf(stderr,
				"%s: end %d signal %d named '%s' (want '%s') status %d\n"
				"  report: %s  log: %s\n",
				f->what, r.out.end, r.out.signal, name, f->expect, r.status,
				r.report, r.log);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

/* Opening a file is refused without a trap: EPERM, and nothing opened. */
static int open_files(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	long (*const tries[])(void) = {try_open, try_openat, try_openat2};
	for (size_t i = 0; i < 3; i++) {
		errno = 0;
		long rc = tries[i]();
		if (rc != -1 || errno != EPERM)
			return 10 + (int)i;
	}
	child_log(child, "all three refused with EPERM");
	return 0;
}

static void opening_a_file_fails_with_eperm(void **state)
{
	(void)state;
	struct run r;
	run_job(&r, NULL, open_files, NULL, 5000);
	if (r.out.end != SPAWN_EXITED || r.out.exit_status != 0)
		fprintf(stderr, "end %d status %d: %s", r.out.end, r.out.exit_status, r.report);
	assert_int_equal(r.out.end, SPAWN_EXITED);
	assert_int_equal(r.out.exit_status, 0);
	assert_string_equal(r.log, "all three refused with EPERM\n");
}

static void refusal_report_names_the_call_and_its_arguments(void **state)
{
	(void)state;
	struct run r;
	run_job(&r, NULL, call_forbidden, (void *)&forbidden[9] /* mprotect */, 5000);
	assert_string_equal(forbidden[9].expect, "mprotect");
	assert_int_equal(r.status, EXIT_SANDBOX_VIOLATION);
	assert_true(r.out.violation.have_args);
	assert_int_equal(r.out.violation.args[2], PROT_READ | PROT_EXEC);
	assert_non_null(strstr(r.report, "called mprotect (system call"));
	assert_non_null(strstr(r.report, "0x5"));
}

/* ---- allowed work ---- */

static int allowed_work(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	/* Page protection on its own memory, as the pager does. */
	unsigned char *p =
	    mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 10;
	p[0] = 1;
	if (mprotect(p, 8192, PROT_NONE) < 0 || mprotect(p, 8192, PROT_READ | PROT_WRITE) < 0 ||
	    p[0] != 1 || madvise(p, 8192, MADV_DONTNEED) < 0 || munmap(p, 8192) < 0)
		return 11;
	/* The backing store: pread/pwrite/punch on a given fd. */
	if (pwrite(memfd, "hello", 5, 4096) != 5)
		return 12;
	char buf[8] = "";
	if (pread(memfd, buf, 5, 4096) != 5 || memcmp(buf, "hello", 5) != 0)
		return 13;
	if (fallocate(memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 8192, 4096) < 0)
		return 14;
	if (pread(ro_memfd, buf, 1, 0) != 1)
		return 15;
	/* The pager's way to turn an unhandled fault into a crash. */
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	if (sigaction(SIGSEGV, &dfl, NULL) < 0 || sigaction(SIGBUS, &dfl, NULL) < 0)
		return 24;
	/* A given fd mapped without PROT_EXEC. */
	unsigned char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (m == MAP_FAILED)
		return 16;
	m[0] = 'M';
	munmap(m, 4096);
	/* malloc, large and growing (mmap, mremap). */
	char *big = malloc(1 << 20);
	if (big == NULL)
		return 17;
	big[0] = 1;
	big = realloc(big, 4 << 20);
	if (big == NULL)
		return 18;
	free(big);
	/* The clock, as a real system call rather than through the vDSO. */
	struct timespec ts;
	if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) < 0)
		return 19;
	/* A request and its reply on the channel. */
	if (msg_send(child->channel_fd, MSG_PING, "abc", 3) < 0)
		return 20;
	unsigned char reply[64];
	ssize_t n = read(child->channel_fd, reply, sizeof reply);
	struct msg_header h;
	memcpy(&h, reply, sizeof h);
	if (n != (ssize_t)(sizeof h + 3) || h.type != MSG_PONG ||
	    memcmp(reply + sizeof h, "abc", 3))
		return 21;
	/* stderr stays writable for glibc's own fatal messages. */
	if (write(STDERR_FILENO, "", 0) < 0)
		return 22;
	/* A trace record on the pipe. */
	struct trace_record t = {.kind = TRACE_PAGE_IN,
				 .source = TRACE_SRC_ZERO,
				 .pc = 0x1A2C,
				 .addr = 0x3000,
				 .page = 3};
	if (write(child->trace_fd, &t, sizeof t) != sizeof t)
		return 23;
	child->status->pc = 0x4000;
	child->status->pc_valid = 1;
	/* close: pager_destroy's, harmless without any call that makes fds. */
	if (close(ro_memfd) < 0)
		return 25;
	child_log(child, "allowed work done");
	return 0;
}

static void a_child_doing_only_allowed_things_exits_0(void **state)
{
	(void)state;
	struct run r;
	run_job(&r, NULL, allowed_work, NULL, 5000);
	if (r.out.end != SPAWN_EXITED || r.out.exit_status != 0)
		fprintf(stderr, "end %d status %d report %s", r.out.end, r.out.exit_status,
			r.report);
	assert_true(r.out.ready);
	assert_int_equal(r.out.end, SPAWN_EXITED);
	assert_int_equal(r.out.exit_status, 0);
	assert_int_equal(r.status, EXIT_OK);
	assert_string_equal(r.log, "allowed work done\n");
	assert_int_equal(r.traces, 1);
	assert_int_equal(r.last_trace.kind, TRACE_PAGE_IN);
	assert_int_equal(r.last_trace.pc, 0x1A2C);
	/* The child's writes reached the host's file. */
	char buf[8] = "";
	assert_int_equal(pread(memfd, buf, 5, 4096), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(pread(memfd, buf, 1, 0), 1);
	assert_int_equal(buf[0], 'M');
}

/* ---- descriptors ---- */

struct stray {
	int fd;
};

static int check_fds(void *ctx, const struct sandbox_child *child)
{
	const struct stray *s = ctx;
	/* Runs after the host's descriptors are closed, before the filter (fcntl
	 * is not on the allow-list): the pager's set-up sees the same. */
	errno = 0;
	if (fcntl(s->fd, F_GETFD) != -1 || errno != EBADF)
		return 30;
	if (fcntl(memfd, F_GETFD) < 0 || fcntl(child->channel_fd, F_GETFD) < 0)
		return 31;
	if (fcntl(STDIN_FILENO, F_GETFD) != -1 || fcntl(STDOUT_FILENO, F_GETFD) != -1)
		return 32; /* not given, so gone */
	/* No capability left, even when the tests run as root. */
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	if (syscall(SYS_capget, &h, d) < 0)
		return 33;
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (d[i].effective || d[i].permitted || d[i].inheritable)
			return 34;
	return 0;
}

static int return_0(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	(void)child;
	return 0;
}

static void a_host_fd_not_given_is_closed_and_capabilities_dropped(void **state)
{
	(void)state;
	struct stray s = {.fd = open("/dev/null", O_RDONLY)}; /* no O_CLOEXEC on purpose */
	assert_true(s.fd >= 0);
	struct run r;
	run_job(&r, check_fds, return_0, &s, 5000);
	close(s.fd);
	assert_int_equal(r.out.end, SPAWN_EXITED);
	assert_int_equal(r.out.exit_status, 0);
	assert_true(r.out.ready);
}

static int setup_fails(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	child_send_exit(child, EXIT_BAD_INPUT, "pager: cannot map the RAM memfd");
	return EXIT_BAD_INPUT;
}

static void a_failed_setup_ends_the_child_before_the_guest_runs(void **state)
{
	(void)state;
	struct run r;
	run_job(&r, setup_fails, call_forbidden, (void *)&forbidden[0], 5000);
	assert_false(r.out.ready);
	assert_int_equal(r.out.end, SPAWN_EXITED);
	assert_int_equal(r.status, EXIT_BAD_INPUT);
	assert_non_null(strstr(r.report, "cannot map the RAM memfd"));
}

/* ---- endings ---- */

static int segfault(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	child->status->pc = 0x1A2C;
	child->status->pc_valid = 1;
	static volatile uintptr_t unmapped = 8; /* volatile: hide the null page from the compiler */
	*(volatile int *)unmapped = 1;
	return 0;
}

static void a_segfault_is_a_guest_crash_with_the_last_pc(void **state)
{
	(void)state;
	struct run r;
	run_job(&r, NULL, segfault, NULL, 5000);
	assert_int_equal(r.out.end, SPAWN_SIGNALED);
	assert_int_equal(r.out.signal, SIGSEGV);
	assert_true(r.out.have_pc);
	assert_int_equal(r.out.last_pc, 0x1A2C);
	assert_int_equal(r.status, EXIT_GUEST_CRASH);
	assert_non_null(strstr(r.report, "SIGSEGV"));
	assert_non_null(strstr(r.report, "at PC 00001A2C"));
}

static int aborts(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	(void)child;
	fprintf(stderr, "sandbox_test: this child aborts on purpose\n");
	abort();
}

static void an_abort_is_a_guest_crash_not_a_violation(void **state)
{
	(void)state;
	struct run r;
	run_job(&r, NULL, aborts, NULL, 5000);
	if (r.out.end != SPAWN_SIGNALED)
		fprintf(stderr, "report: %s", r.report);
	assert_int_equal(r.out.end, SPAWN_SIGNALED);
	assert_int_equal(r.out.signal, SIGABRT);
	assert_int_equal(r.status, EXIT_GUEST_CRASH);
	assert_non_null(strstr(r.report, "SIGABRT"));
	assert_non_null(strstr(r.report, "last PC unknown"));
}

static int spins(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	child->status->pc_valid = 1;
	while (child->status->pc_valid) /* volatile: always 1, never optimised away */
		child->status->pc = 0x2000;
	return 0;
}

static void a_runaway_child_is_stopped_at_the_timeout(void **state)
{
	(void)state;
	struct run r;
	run_job(&r, NULL, spins, NULL, 300);
	assert_int_equal(r.out.end, SPAWN_TIMEOUT);
	assert_true(r.out.elapsed_ms >= 300);
	assert_true(r.out.elapsed_ms < 3000);
	assert_int_equal(r.status, EXIT_TIMEOUT);
	assert_non_null(strstr(r.report, "timeout"));
	assert_non_null(strstr(r.report, "at PC 00002000"));
}

static int killed(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	(void)child;
	/* As the OOM killer would; tgkill on itself is on the allow-list. */
	syscall(SYS_tgkill, getpid(), gettid(), SIGKILL);
	return 0;
}

static void a_child_killed_from_outside_is_a_crash_not_a_timeout(void **state)
{
	(void)state;
	struct run r;
	run_job(&r, NULL, killed, NULL, 5000);
	assert_int_equal(r.out.end, SPAWN_SIGNALED);
	assert_int_equal(r.out.signal, SIGKILL);
	assert_int_equal(r.status, EXIT_GUEST_CRASH);
	assert_non_null(strstr(r.report, "SIGKILL"));
	assert_non_null(strstr(r.report, "out of memory?"));
}

/* libsigsegv (the pager's host stack-overflow guard) reads /proc/self/maps
 * inside its handler; under the filter it must still tell a stack overflow
 * from a crash, not die of a sandbox violation. */
static char overflow_stack[1 << 16];
static int overflow_channel = -1;

static void on_stack_overflow(int emergency, stackoverflow_context_t scp)
{
	(void)emergency;
	(void)scp;
	struct sandbox_child c = {.channel_fd = overflow_channel};
	child_send_exit(&c, EXIT_GUEST_CRASH, "host stack overflow in the interpreter");
	_exit(EXIT_GUEST_CRASH);
}

static int install_overflow_guard(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	overflow_channel = child->channel_fd;
	return stackoverflow_install_handler(on_stack_overflow, overflow_stack,
					     sizeof overflow_stack) == 0
		   ? 0
		   : 90;
}

static volatile int depth_sink;
static volatile int depth_limit = -1; /* never reached: the stack runs out first */
static int recurse(int n)
{
	volatile char frame[512];
	frame[0] = (char)n;
	depth_sink = frame[0];
	if (n == depth_limit)
		return 0;
	return recurse(n + 1) + frame[0];
}

static int overflow(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	(void)child;
	return recurse(0);
}

static void a_stack_overflow_is_caught_by_libsigsegv_under_the_filter(void **state)
{
	(void)state;
#ifdef __SANITIZE_ADDRESS__
	/* ASan claims stack overflows itself (and reads /proc/self/maps). */
	skip();
#endif
	struct run r;
	run_job(&r, install_overflow_guard, overflow, NULL, 5000);
	if (r.out.end != SPAWN_EXITED)
		fprintf(stderr, "report: %s", r.report);
	assert_int_equal(r.out.end, SPAWN_EXITED);
	assert_int_equal(r.status, EXIT_GUEST_CRASH);
	assert_string_equal(r.report, "vm68k: host stack overflow in the interpreter\n");
}

static void a_wild_access_under_libsigsegv_is_a_crash_not_a_violation(void **state)
{
	(void)state;
	struct run r;
	run_job(&r, install_overflow_guard, segfault, NULL, 5000);
	assert_int_equal(r.out.end, SPAWN_SIGNALED);
	assert_int_equal(r.out.signal, SIGSEGV);
	assert_int_equal(r.status, EXIT_GUEST_CRASH);
}

static int system_error(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	child_send_exit(child, EXIT_SYSTEM_ERROR, "System error 112 (dsVMDeferredFuncTableFull)");
	return EXIT_SYSTEM_ERROR;
}

static void a_chosen_exit_status_passes_through_with_its_reason(void **state)
{
	(void)state;
	struct run r;
	run_job(&r, NULL, system_error, NULL, 5000);
	assert_int_equal(r.out.end, SPAWN_EXITED);
	assert_int_equal(r.status, EXIT_SYSTEM_ERROR);
	assert_string_equal(r.report, "vm68k: System error 112 (dsVMDeferredFuncTableFull)\n");
}

static int escapes(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	child_send_exit(child, EXIT_GUEST_EXCEPTION, "Bus Error\x1b[2J\rat PC 00001A2C");
	return EXIT_GUEST_EXCEPTION;
}

static void guest_text_cannot_drive_the_terminal(void **state)
{
	(void)state;
	struct run r;
	run_job(&r, NULL, escapes, NULL, 5000);
	assert_int_equal(r.status, EXIT_GUEST_EXCEPTION);
	assert_string_equal(r.report, "vm68k: Bus Error\\x1b[2J\\x0dat PC 00001A2C\n");
}

static int babbles(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	/* A header claiming more payload than the packet holds. */
	struct msg_header h = {.type = MSG_LOG, .length = 100};
	if (write(child->channel_fd, &h, sizeof h) < 0)
		return 40;
	child->status->pc_valid = 1;
	while (child->status->pc_valid)
		child->status->pc = 0;
	return 0;
}

static void a_child_breaking_the_protocol_is_killed(void **state)
{
	(void)state;
	struct run r;
	run_job(&r, NULL, babbles, NULL, 5000);
	assert_int_equal(r.out.end, SPAWN_PROTOCOL);
	assert_int_equal(r.status, EXIT_GUEST_CRASH);
	assert_true(r.out.elapsed_ms < 3000);
	assert_non_null(strstr(r.report, "length does not match"));
}

/* ---- requests ---- */

static int ping_and_stop_listening(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	/* Before the filter: the reply will find nobody reading. */
	if (msg_send(child->channel_fd, MSG_PING, "x", 1) < 0 ||
	    shutdown(child->channel_fd, SHUT_RD) < 0)
		return 50;
	return 0;
}

static void a_reply_to_a_deaf_child_does_not_hurt_the_host(void **state)
{
	(void)state;
	struct run r;
	run_job(&r, ping_and_stop_listening, return_0, NULL, 5000);
	assert_int_equal(r.out.end, SPAWN_EXITED);
	assert_int_equal(r.status, EXIT_OK);
}

static int unknown_request(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	if (msg_send(child->channel_fd, 0x1f0, NULL, 0) < 0)
		return 60;
	unsigned char reply[64];
	ssize_t n = read(child->channel_fd, reply, sizeof reply);
	struct msg_header h;
	struct msg_error e;
	if (n != (ssize_t)(sizeof h + sizeof e))
		return 61;
	memcpy(&h, reply, sizeof h);
	memcpy(&e, reply + sizeof h, sizeof e);
	if (h.type != MSG_ERROR || e.request != 0x1f0 || e.error != ENOSYS)
		return 62;
	return 0;
}

static void a_request_the_host_does_not_serve_gets_an_error_reply(void **state)
{
	(void)state;
	struct run r;
	run_job(&r, NULL, unknown_request, NULL, 5000);
	assert_int_equal(r.out.end, SPAWN_EXITED);
	assert_int_equal(r.out.exit_status, 0);
}

static bool serve_double(void *ctx, uint32_t type, const void *payload, size_t len, int channel_fd)
{
	(void)ctx;
	if (type != 0x110 || len != sizeof(uint32_t))
		return false;
	uint32_t v;
	memcpy(&v, payload, sizeof v);
	v *= 2;
	msg_reply(channel_fd, MSG_REPLY(type), &v, sizeof v);
	return true;
}

static int ask_double(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	uint32_t v = 21;
	if (msg_send(child->channel_fd, 0x110, &v, sizeof v) < 0)
		return 80;
	unsigned char reply[64];
	struct msg_header h;
	if (read(child->channel_fd, reply, sizeof reply) != (ssize_t)(sizeof h + sizeof v))
		return 81;
	memcpy(&h, reply, sizeof h);
	memcpy(&v, reply + sizeof h, sizeof v);
	return h.type == MSG_REPLY(0x110) && v == 42 ? 0 : 82;
}

static void a_request_is_served_by_the_host_hook(void **state)
{
	(void)state;
	struct run r;
	serve = serve_double;
	run_job(&r, NULL, ask_double, NULL, 5000);
	serve = NULL;
	assert_int_equal(r.out.end, SPAWN_EXITED);
	assert_int_equal(r.out.exit_status, 0);
}

/* ---- a fault report from the child's own last-chance handler ---- */

static int fatal_channel = -1;

static void last_chance(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	/* What the pager does when a fault is not its own: say so, then let the
	 * default action (SA_RESETHAND) kill the process when the access is
	 * retried. */
	struct msg_fatal f = {.signal = sig,
			      .flags = MSG_HAVE_PC | MSG_HAVE_ADDR,
			      .guest_pc = 0x00001A2C,
			      .guest_addr = 0x00123456,
			      .host_addr = (uint64_t)(uintptr_t)si->si_addr};
	msg_send(fatal_channel, MSG_FATAL, &f, sizeof f);
}

static int install_last_chance(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	fatal_channel = child->channel_fd;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = last_chance;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	return sigaction(SIGSEGV, &sa, NULL) < 0 ? 70 : 0;
}

static void a_fatal_fault_report_gives_the_guest_pc_and_the_host_address(void **state)
{
	(void)state;
	struct run r;
	run_job(&r, install_last_chance, segfault, NULL, 5000);
	assert_int_equal(r.out.end, SPAWN_SIGNALED);
	assert_int_equal(r.out.signal, SIGSEGV);
	assert_true(r.out.have_fatal);
	assert_int_equal(r.out.fatal.host_addr, 8);
	assert_int_equal(r.out.last_pc, 0x1A2C);
	assert_int_equal(r.status, EXIT_GUEST_CRASH);
	assert_non_null(strstr(
	    r.report, "SIGSEGV (Segmentation fault) accessing host address 0x8 at PC 00001A2C"));
}

/* ---- the run command's entry ---- */

static void sandbox_run_applies_the_timeout_option(void **state)
{
	(void)state;
	struct run_config cfg;
	run_config_defaults(&cfg);
	bool help = false;
	char *args[] = {"vm68k", "run", "--timeout", "1", "--quiet"};
	assert_int_equal(parse_options(5, args, 2, CMD_RUN, &cfg, &help), 5);
	assert_int_equal(cfg.timeout_seconds, 1);
	char *bad[] = {"vm68k", "run", "--timeout", "soon"};
	assert_int_equal(parse_options(4, bad, 2, CMD_RUN, &cfg, &help), -1);

	const struct sandbox_fd fds[] = {{memfd, SANDBOX_PREAD}};
	struct spawn_job job = {.fds = fds, .nfds = 1, .main = spins};
	assert_int_equal(sandbox_run(&cfg, &job), EXIT_TIMEOUT);
	job.main = return_0;
	assert_int_equal(sandbox_run(&cfg, &job), EXIT_OK);
}

static int send_stats(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	struct msg_stat early[] = {{"page_ins", 1}};
	struct msg_stat last[] = {{"page_ins", 7}, {"page_outs", 3}};
	if (child_send_stats(child, early, 1) < 0 || child_send_stats(child, last, 2) < 0)
		return 1;
	return 0;
}

static void the_last_stats_the_child_sent_are_printed_with_the_stats_option(void **state)
{
	(void)state;
	struct run_config cfg;
	run_config_defaults(&cfg);
	cfg.stats = true;
	cfg.quiet = true;
	struct spawn_job job = {.main = send_stats};
	/* Catch stdout in a memfd for the length of the run. */
	int cap = memfd_create("stdout", 0);
	assert_true(cap >= 0);
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	dup2(cap, STDOUT_FILENO);
	int status = sandbox_run(&cfg, &job);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	char text[512] = "";
	ssize_t n = pread(cap, text, sizeof text - 1, 0);
	close(cap);
	assert_true(n > 0);
	assert_int_equal(status, EXIT_OK);
	assert_string_equal(text, "statistics:\n"
				  "  page_ins                 7\n"
				  "  page_outs                3\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(each_forbidden_call_is_refused_and_named),
	    cmocka_unit_test(opening_a_file_fails_with_eperm),
	    cmocka_unit_test(refusal_report_names_the_call_and_its_arguments),
	    cmocka_unit_test(a_child_doing_only_allowed_things_exits_0),
	    cmocka_unit_test(a_host_fd_not_given_is_closed_and_capabilities_dropped),
	    cmocka_unit_test(a_failed_setup_ends_the_child_before_the_guest_runs),
	    cmocka_unit_test(a_segfault_is_a_guest_crash_with_the_last_pc),
	    cmocka_unit_test(an_abort_is_a_guest_crash_not_a_violation),
	    cmocka_unit_test(a_runaway_child_is_stopped_at_the_timeout),
	    cmocka_unit_test(a_child_killed_from_outside_is_a_crash_not_a_timeout),
	    cmocka_unit_test(a_stack_overflow_is_caught_by_libsigsegv_under_the_filter),
	    cmocka_unit_test(a_wild_access_under_libsigsegv_is_a_crash_not_a_violation),
	    cmocka_unit_test(a_chosen_exit_status_passes_through_with_its_reason),
	    cmocka_unit_test(a_child_breaking_the_protocol_is_killed),
	    cmocka_unit_test(guest_text_cannot_drive_the_terminal),
	    cmocka_unit_test(a_reply_to_a_deaf_child_does_not_hurt_the_host),
	    cmocka_unit_test(a_request_the_host_does_not_serve_gets_an_error_reply),
	    cmocka_unit_test(a_request_is_served_by_the_host_hook),
	    cmocka_unit_test(a_fatal_fault_report_gives_the_guest_pc_and_the_host_address),
	    cmocka_unit_test(sandbox_run_applies_the_timeout_option),
	    cmocka_unit_test(the_last_stats_the_child_sent_are_printed_with_the_stats_option),
	};
	return cmocka_run_group_tests(tests, setup_files, teardown_files);
}
