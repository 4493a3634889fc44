/* The guest process's system call allow-list (libseccomp) and the SIGSYS
 * handler that tells the host which call was refused. Everything not listed
 * here traps; the child then reports the call and dies of SIGSYS. */
#include "config.h"

#include "host/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <seccomp.h>

/* Why each call is allowed (the DESIGN.md list, plus what glibc needs to
 * carry it out and to die honestly):
 *
 *   exit_group, exit       leaving
 *   rt_sigreturn           returning from the pager's SIGSEGV handler
 *   rt_sigprocmask         siglongjmp restoring the mask; abort()
 *   clock_gettime          guest time (normally the vDSO; this is its fallback)
 *   getpid, gettid,
 *   tgkill (own pid only)  abort() and raise(): an assertion in the interpreter
 *                          must die of SIGABRT, not be reported as a violation
 *   sigaltstack (query)    longjmp's check when leaving a handler on an
 *                          alternate stack (_FORTIFY_SOURCE builds)
 *   mprotect (no EXEC)     the pager's page protection
 *   mmap (no EXEC; anonymous or a descriptor given SANDBOX_MMAP)
 *                          malloc's arenas and large blocks; the pager's
 *                          MAP_FIXED remaps of its memfds
 *   munmap, mremap, brk    malloc (mremap cannot add PROT_EXEC)
 *   close                  pager_destroy; harmless, as nothing on this list
 *                          can make a new descriptor to reuse the number
 *   madvise                the pager giving frames back
 *   mincore                libsigsegv's way to find the stack when it cannot
 *                          read /proc/self/maps (it only reports residency)
 *   read                   the channel, and descriptors given SANDBOX_READ
 *   write, writev          the channel, the trace pipe, stderr (glibc's fatal
 *                          messages use writev), descriptors given SANDBOX_WRITE
 *   pread64                descriptors given SANDBOX_PREAD (backing store)
 *   pwrite64               descriptors given SANDBOX_PWRITE (backing store)
 *   fallocate              descriptors given SANDBOX_PUNCH, and only
 *                          PUNCH_HOLE|KEEP_SIZE (the pager giving a frame's
 *                          memory back; a file can never grow)
 *   rt_sigaction           SIGSEGV and SIGBUS only: the pager resets its
 *                          handler to SIG_DFL to turn an unhandled fault into
 *                          a crash (harmless: it only changes how the child
 *                          itself dies)
 *
 * Refused with EPERM, not trapped: open, openat, openat2 (see below).
 * Not allowed, among everything else: socket, execve,
 * execveat, fork, vfork, clone, clone3, ptrace, kill, pkey_mprotect,
 * io_uring_*, process_vm_*, memfd_create, dup, ioctl, fcntl, fstat, getppid (the
 * SIGSYS handler relies on getppid being refused, see below). */

static int add(scmp_filter_ctx ctx, int nr, unsigned argc, const struct scmp_arg_cmp *args,
	       char *err, size_t errlen)
{
	int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, argc, args);
	if (rc < 0) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		snprintf(err, errlen, "seccomp rule for %s: %s", name ? name : "?", strerror(-rc));
		free(name);
		return -1;
	}
	return 0;
}

static int allow(scmp_filter_ctx ctx, int nr, char *err, size_t errlen)
{
	return add(ctx, nr, 0, NULL, err, errlen);
}

/* One rule per descriptor: libseccomp ORs the rules of one call. */
static int allow_on_fd(scmp_filter_ctx ctx, int nr, int fd, char *err, size_t errlen)
{
	/* Compared on all 64 bits: a descriptor with high garbage bits is refused,
	 * never taken for another one. */
	struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fd);
	return add(ctx, nr, 1, &a, err, errlen);
}

static int allow_on_fds(scmp_filter_ctx ctx, int nr, const struct sandbox_fd *fds, size_t nfds,
			unsigned right, const int *extra, size_t nextra, char *err, size_t errlen)
{
	for (size_t i = 0; i < nextra; i++)
		if (extra[i] >= 0 && allow_on_fd(ctx, nr, extra[i], err, errlen) < 0)
			return -1;
	for (size_t i = 0; i < nfds; i++)
		if ((fds[i].rights & right) && allow_on_fd(ctx, nr, fds[i].fd, err, errlen) < 0)
			return -1;
	return 0;
}

int sandbox_load_filter(const struct sandbox_fd *fds, size_t nfds, int channel_fd, int trace_fd,
			char *err, size_t errlen)
{
	/* SECCOMP_RET_TRAP rather than KILL_PROCESS: the refused call is not
	 * executed either way, but a trap lets the child name it to the host. */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
	if (ctx == NULL) {
		snprintf(err, errlen, "seccomp_init failed");
		return -1;
	}
	int rc;
	/* A call through another ABI (int 0x80, x32) is not worth a report. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS)) < 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1)) < 0) {
		snprintf(err, errlen, "seccomp attributes: %s", strerror(-rc));
		goto fail;
	}

	/* Opening a file fails with EPERM instead of trapping: libraries probe
	 * files on paths that must stay quiet, above all libsigsegv, which reads
	 * /proc/self/maps inside its SIGSEGV handler and falls back to mincore;
	 * a trap there would report a crash or a stack overflow as a sandbox
	 * violation. Nothing is opened either way. */
	static const int eperm[] = {SCMP_SYS(open), SCMP_SYS(openat), SCMP_SYS(openat2)};
	for (size_t i = 0; i < sizeof eperm / sizeof eperm[0]; i++)
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), eperm[i], 0)) < 0) {
			snprintf(err, errlen, "seccomp rule for open: %s", strerror(-rc));
			goto fail;
		}

	static const int plain[] = {
	    SCMP_SYS(exit_group),    SCMP_SYS(exit),
	    SCMP_SYS(rt_sigreturn),  SCMP_SYS(rt_sigprocmask),
	    SCMP_SYS(clock_gettime), SCMP_SYS(getpid),
	    SCMP_SYS(gettid),	     SCMP_SYS(munmap),
	    SCMP_SYS(mremap),	     SCMP_SYS(brk),
	    SCMP_SYS(madvise),	     SCMP_SYS(close),
	    SCMP_SYS(mincore),
	};
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		if (allow(ctx, plain[i], err, errlen) < 0)
			goto fail;
#if defined(__SANITIZE_ADDRESS__)
	/* Only in the sanitizer build (./quickstart asan): the ASan runtime
	 * takes its internal locks with futex. A release build never does. */
	if (allow(ctx, SCMP_SYS(futex), err, errlen) < 0)
		goto fail;
#endif

	struct scmp_arg_cmp own_pid = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid());
	if (add(ctx, SCMP_SYS(tgkill), 1, &own_pid, err, errlen) < 0)
		goto fail;
	struct scmp_arg_cmp query_only = SCMP_A0(SCMP_CMP_EQ, 0);
	if (add(ctx, SCMP_SYS(sigaltstack), 1, &query_only, err, errlen) < 0)
		goto fail;

	static const int fault_signals[] = {SIGSEGV, SIGBUS};
	for (size_t i = 0; i < 2; i++) {
		struct scmp_arg_cmp sig = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fault_signals[i]);
		if (add(ctx, SCMP_SYS(rt_sigaction), 1, &sig, err, errlen) < 0)
			goto fail;
	}
	for (size_t i = 0; i < nfds; i++) {
		if (!(fds[i].rights & SANDBOX_PUNCH))
			continue;
		struct scmp_arg_cmp punch[] = {
		    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fds[i].fd),
		    SCMP_A1(SCMP_CMP_EQ, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)};
		if (add(ctx, SCMP_SYS(fallocate), 2, punch, err, errlen) < 0)
			goto fail;
	}

	struct scmp_arg_cmp no_exec = SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0);
	if (add(ctx, SCMP_SYS(mprotect), 1, &no_exec, err, errlen) < 0)
		goto fail;
	struct scmp_arg_cmp anon_no_exec[] = {
	    no_exec, SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS, MAP_ANONYMOUS)};
	if (add(ctx, SCMP_SYS(mmap), 2, anon_no_exec, err, errlen) < 0)
		goto fail;
	for (size_t i = 0; i < nfds; i++) {
		if (!(fds[i].rights & SANDBOX_MMAP))
			continue;
		struct scmp_arg_cmp fd_no_exec[] = {no_exec,
						    SCMP_A4(SCMP_CMP_EQ, (scmp_datum_t)fds[i].fd)};
		if (add(ctx, SCMP_SYS(mmap), 2, fd_no_exec, err, errlen) < 0)
			goto fail;
	}

	/* The channel is read and written, the trace pipe and stderr written. */
	const int readers[] = {channel_fd};
	const int writers[] = {channel_fd, trace_fd, STDERR_FILENO};
	const struct {
		int nr;
		unsigned right;
		const int *always;
		size_t nalways;
	} io[] = {
	    {SCMP_SYS(read), SANDBOX_READ, readers, 1},
	    {SCMP_SYS(write), SANDBOX_WRITE, writers, 3},
	    {SCMP_SYS(writev), SANDBOX_WRITE, writers, 3},
	    {SCMP_SYS(pread64), SANDBOX_PREAD, NULL, 0},
	    {SCMP_SYS(pwrite64), SANDBOX_PWRITE, NULL, 0},
	};
	for (size_t i = 0; i < sizeof io / sizeof io[0]; i++)
		if (allow_on_fds(ctx, io[i].nr, fds, nfds, io[i].right, io[i].always, io[i].nalways,
				 err, errlen) < 0)
			goto fail;

	if ((rc = seccomp_load(ctx)) < 0) {
		snprintf(err, errlen, "seccomp_load: %s", strerror(-rc));
		goto fail;
	}
	seccomp_release(ctx);
	return 0;
fail:
	seccomp_release(ctx);
	return -1;
}

static int sigsys_channel = -1;

/* Async-signal-safe: fills a message from siginfo and the saved registers,
 * and writes it with one write(2), which the filter allows on the channel. */
static void on_sigsys(int sig, siginfo_t *si, void *ucontext)
{
	(void)sig;
	struct {
		struct msg_header h;
		struct msg_violation v;
	} m;
	memset(&m, 0, sizeof m);
	m.h.type = MSG_VIOLATION;
	m.h.length = sizeof m.v;
	m.v.nr = si->si_syscall;
	m.v.arch = si->si_arch;
	m.v.call_addr = (uint64_t)(uintptr_t)si->si_call_addr;
	const ucontext_t *uc = ucontext;
#if defined(__x86_64__)
	static const int regs[6] = {REG_RDI, REG_RSI, REG_RDX, REG_R10, REG_R8, REG_R9};
	for (int i = 0; i < 6; i++)
		m.v.args[i] = (uint64_t)uc->uc_mcontext.gregs[regs[i]];
	m.v.have_args = 1;
#elif defined(__aarch64__)
	for (int i = 0; i < 6; i++)
		m.v.args[i] = uc->uc_mcontext.regs[i];
	m.v.have_args = 1;
#else
	(void)uc;
#endif
	int saved = errno;
	ssize_t w = write(sigsys_channel, &m, sizeof m);
	(void)w;
	errno = saved;
	/* SIGSYS is blocked while this handler runs, so one more refused call
	 * makes the kernel reset SIGSYS to its default action and kill the whole
	 * process with it: the host sees "killed by SIGSYS" plus this message.
	 * getppid is never on the allow-list for this reason. */
	syscall(SYS_getppid);
	/* Not reached while getppid is refused; never return into the refused
	 * call's caller whatever happens. */
	syscall(SYS_exit_group, 128 + SIGSYS);
}

int sandbox_install_sigsys_reporter(int channel_fd)
{
	sigsys_channel = channel_fd;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask); /* nothing else runs on top of the report */
	return sigaction(SIGSYS, &sa, NULL);
}

const char *sandbox_syscall_name(uint32_t arch, int nr, char *buf, size_t len)
{
	char *name = seccomp_syscall_resolve_num_arch(arch, nr);
	if (name != NULL)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "syscall %d", nr);
	free(name);
	return buf;
}
