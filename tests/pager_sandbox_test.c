/* pager.h promises the syscalls the pager makes after setup
 * (PAGER_SYSCALLS_AFTER_SETUP), so the sandbox can allow exactly those.
 * This test holds it to that: a child loads a seccomp filter that kills on
 * anything else (and on PROT_EXEC), then pages, holds, watches and takes
 * guest faults. */
#include "config.h"

#include <errno.h>
#include <seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/pager_harness.h"

static bool load_filter(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (ctx == NULL)
		return false;
	char names[] = PAGER_SYSCALLS_AFTER_SETUP;
	bool ok = true;
	for (char *save, *name = strtok_r(names, " ", &save); name;
	     name = strtok_r(NULL, " ", &save)) {
		int nr = seccomp_syscall_resolve_name(name);
		if (nr == __NR_SCMP_ERROR)
			ok = false;
		else if (strcmp(name, "mprotect") == 0)
			ok &= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
					       SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) == 0;
		else
			ok &= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) == 0;
	}
	ok &= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0) == 0;
	ok &= seccomp_load(ctx) == 0;
	seccomp_release(ctx);
	return ok;
}

static int child(void)
{
	char err[256];
	struct pager_config cfg = h_config(4u << 20, 256u << 10);
	struct pager *p = h_create(&cfg, err, sizeof err);
	if (p == NULL)
		return 10;
	int rom = memfd_create("rom", 0);
	if (rom < 0 || ftruncate(rom, 4096) != 0)
		return 11;
	struct pager_region_spec spec = {"ROM", PAGER_ROM, 0x40800000, 4096, rom, 0, true};
	if (pager_map_region(p, &spec, err, sizeof err) < 0)
		return 12;
	if (!load_filter())
		return 13;
	/* From here on, only the promised syscalls. */
	for (unsigned pass = 0; pass < 2; pass++)
		for (gaddr a = 0; a < (4u << 20); a += 4096)
			if (!g_write(a + pass * 4, a, 4))
				return 20;
	for (gaddr a = 0; a < (4u << 20); a += 4096)
		if (g_read32(a) != a)
			return 21;
	if (HoldMemory(p, 0x10000, 0x3000) != noErr || UnholdMemory(p, 0x10000, 0x3000) != noErr)
		return 22;
	if (LockMemoryContiguous(p, 0x20000, 0x2000) != noErr)
		return 23;
	int w = pager_watch_add(p, 0x30000, 4);
	struct pager_fault hit;
	if (w < 0 || !g_write(0x30010, 1, 4) || pager_poll(p, &hit) != 0 ||
	    !g_write(0x30000, 1, 4) || pager_poll(p, &hit) != 1)
		return 24;
	if (g_write(0x40800000, 1, 1) || h_fault.kind != PAGER_FAULT_READ_ONLY)
		return 25;
	uint32_t v;
	if (g_read(0x60000000, &v, 4) || h_fault.kind != PAGER_FAULT_BUS_ERROR)
		return 26;
	pager_inject_store_error(p, true, 0, EIO);
	unsigned before = h_faults;
	for (gaddr a = 0; a < (4u << 20) && h_faults == before; a += 4096)
		g_write(a, a, 4);
	if (h_fault.kind != PAGER_FAULT_BAD_BACKING_STORE)
		return 27;
	char buf[64];
	if (pager_peek(p, 0x3FF000, buf, sizeof buf) != noErr)
		return 28;
	return 0;
}

static void pager_keeps_to_its_syscall_list_after_setup(void **state)
{
	(void)state;
	pid_t pid = fork();
	if (pid == 0)
		_exit(child());
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		fail_msg("child killed by signal %d (SIGSYS = a syscall outside the list)",
			 WTERMSIG(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
#if defined(__SANITIZE_ADDRESS__)
	/* The sanitizer runtime makes syscalls of its own (on siglongjmp, for
	 * instance); the promise is about the pager, so this needs a plain build. */
	return 77;
#endif
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(pager_keeps_to_its_syscall_list_after_setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
