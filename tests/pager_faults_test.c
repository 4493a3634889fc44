/* Guest-visible faults: bus errors outside every region (in 24- and 32-bit
 * modes), read-only regions, region conflicts, fatal page faults while paging
 * is unsafe, and faults that are not the guest's staying host crashes. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/pager_harness.h"

static char err[512];

static void access_outside_every_region_is_a_bus_error(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(1u << 20, 256u << 10);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	uint32_t v;
	assert_false(g_read(0x50000000, &v, 4));
	assert_int_equal(h_fault.kind, PAGER_FAULT_BUS_ERROR);
	assert_int_equal(h_fault.addr, 0x50000000);
	assert_false(h_fault.write);
	assert_int_equal(h_fault.region, -1);
	/* Just past the end of logical RAM, written. */
	assert_false(g_write(1u << 20, 7, 1));
	assert_int_equal(h_fault.kind, PAGER_FAULT_BUS_ERROR);
	assert_int_equal(h_fault.addr, 1u << 20);
	assert_true(h_fault.write);
	char text[200];
	pager_fault_describe(&h_fault, text, sizeof text);
	assert_non_null(strstr(text, "Bus Error accessing 00100000"));
	assert_non_null(strstr(text, "not in RAM or ROM"));
	/* A long word straddling the top of the 32-bit space lands in the guard. */
	assert_false(g_read(0xFFFFFFFE, &v, 4));
	assert_int_equal(h_fault.kind, PAGER_FAULT_BUS_ERROR);
	struct pager_stats s;
	pager_get_stats(p, &s);
	assert_int_equal(s.bus_errors, 3);
	h_destroy(p);
}

static void twenty_four_bit_mode_ignores_the_high_byte(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(4u << 20, 1u << 20);
	cfg.addressing = 24;
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	assert_int_equal(pager_addr_mask(p), 0x00FFFFFF);
	assert_true(g_write(0xFF000010, 0x12345678, 4));
	assert_int_equal(g_read32(0x00000010), 0x12345678);
	assert_int_equal(g_read32(0x42000010), 0x12345678);
	uint32_t v;
	assert_false(g_read(0xFFF00000, &v, 2));
	assert_int_equal(h_fault.kind, PAGER_FAULT_BUS_ERROR);
	assert_int_equal(h_fault.addr, 0x00F00000);
	/* A long word straddling the top of the 24-bit space. */
	assert_false(g_read(0x00FFFFFE, &v, 4));
	assert_int_equal(h_fault.kind, PAGER_FAULT_BUS_ERROR);
	h_destroy(p);
	/* Logical memory must fit below 16 MiB in 24-bit mode. */
	cfg.vm_bytes = 16u << 20;
	assert_null(pager_create(&cfg, err, sizeof err));
	assert_non_null(strstr(err, "24-bit"));
}

static int rom_fd(size_t size)
{
	int fd = memfd_create("test-rom", 0);
	assert_true(fd >= 0);
	uint8_t *buf = malloc(size);
	for (size_t i = 0; i < size; i++)
		buf[i] = (uint8_t)(i * 7);
	assert_int_equal(pwrite(fd, buf, size, 0), (ssize_t)size);
	free(buf);
	return fd;
}

static void overlapping_regions_are_refused_naming_both(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(8u << 20, 1u << 20);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	int fd = rom_fd(65536);
	struct pager_region_spec rom = {"ROM", PAGER_ROM, 0x00400000, 65536, fd, 0, true};
	assert_int_equal(pager_map_region(p, &rom, err, sizeof err), -1);
	assert_non_null(strstr(err, "\"ROM\""));
	assert_non_null(strstr(err, "\"RAM\""));
	rom.base = 0x40800000;
	assert_int_equal(pager_map_region(p, &rom, err, sizeof err), 1);
	struct pager_region_spec screen = {"Screen", PAGER_SCREEN, 0x4080F000, 8192, fd, 0, false};
	assert_int_equal(pager_map_region(p, &screen, err, sizeof err), -1);
	assert_non_null(strstr(err, "\"Screen\""));
	assert_non_null(strstr(err, "\"ROM\""));
	assert_non_null(strstr(err, "$40800000-$4080FFFF"));
	assert_int_equal(pager_region_count(p), 2);
	close(fd);
	h_destroy(p);
}

static void write_to_read_only_region_names_region_and_offset(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(1u << 20, 256u << 10);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	int fd = rom_fd(65536);
	struct pager_region_spec rom = {"ROM", PAGER_ROM, 0x40800000, 65536, fd, 0, true};
	assert_int_equal(pager_map_region(p, &rom, err, sizeof err), 1);
	/* A file mapped read-only, as CFM-68K code will be. */
	char path[] = "/tmp/vm68k-code-XXXXXX";
	int cfd = mkstemp(path);
	assert_true(cfd >= 0);
	uint8_t code[8192];
	memset(code, 0x4E, sizeof code);
	assert_int_equal(write(cfd, code, sizeof code), (ssize_t)sizeof code);
	close(cfd);
	cfd = open(path, O_RDONLY);
	unlink(path);
	/* The region is a page longer than the file. */
	struct pager_region_spec file = {"MyFragment", PAGER_FILE, 0x50000000, 12288, cfd, 0, false};
	assert_int_equal(pager_map_region(p, &file, err, sizeof err), 2);

	uint32_t v;
	assert_true(g_read(0x40800010, &v, 1));
	assert_int_equal(v, (0x10 * 7) & 0xFF);
	assert_false(g_write(0x40800010, 0xFF, 1));
	assert_int_equal(h_fault.kind, PAGER_FAULT_READ_ONLY);
	assert_int_equal(h_fault.addr, 0x40800010);
	assert_true(h_fault.write);
	assert_string_equal(h_fault.region_name, "ROM");
	assert_int_equal(h_fault.region_offset, 0x10);
	assert_true(g_read(0x40800010, &v, 1));
	assert_int_equal(v, (0x10 * 7) & 0xFF);

	assert_int_equal(g_read32(0x50001000), 0x4E4E4E4E);
	assert_false(g_write(0x50001234, 0x4E75, 2));
	assert_int_equal(h_fault.kind, PAGER_FAULT_READ_ONLY);
	assert_string_equal(h_fault.region_name, "MyFragment");
	assert_int_equal(h_fault.region_offset, 0x1234);
	char text[200];
	pager_fault_describe(&h_fault, text, sizeof text);
	assert_non_null(strstr(text, "MyFragment+$1234"));
	/* Past the end of the file (SIGBUS from the kernel): a bus error in the region. */
	assert_false(g_read(0x50002000, &v, 4));
	assert_int_equal(h_fault.kind, PAGER_FAULT_BUS_ERROR);
	assert_string_equal(h_fault.region_name, "MyFragment");
	assert_int_equal(h_fault.region_offset, 0x2000);
	close(fd);
	close(cfd);
	h_destroy(p);
}

/* Writes pages until `page` has been evicted. */
static void push_out(struct pager *p, gaddr page, uint32_t vm)
{
	struct pager_page_state ps;
	for (gaddr a = 0; a < vm; a += 4096) {
		if (a == page)
			continue;
		assert_true(g_write(a, a, 4));
		pager_page_state(p, page, &ps);
		if (!ps.resident)
			return;
	}
	fail_msg("page %08X never evicted", page);
}

static void unheld_page_touched_while_unsafe_is_a_fatal_page_fault(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(1u << 20, 64u << 10);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	assert_string_equal(pager_vm_state_name(pager_vm_state(p)), "VM");
	assert_true(g_write(0x8000, 0xCAFEF00D, 4));
	push_out(p, 0x8000, 1u << 20);
	pager_set_paging_safe(p, false);
	assert_string_equal(pager_vm_state_name(pager_vm_state(p)), "vM");
	uint32_t v;
	assert_false(g_read(0x8002, &v, 2));
	assert_int_equal(h_fault.kind, PAGER_FAULT_FATAL_PAGE_FAULT);
	assert_int_equal(h_fault.reason, PAGER_FATAL_PAGING_UNSAFE);
	assert_int_equal(h_fault.addr, 0x8002);
	assert_false(h_fault.write);
	assert_string_equal(h_fault.region_name, "RAM");
	struct pager_page_state ps;
	pager_page_state(p, 0x8000, &ps);
	assert_false(ps.resident); /* nothing was paged while unsafe */
	/* Safe again, the same access pages in and reads the data. */
	pager_set_paging_safe(p, true);
	assert_int_equal(g_read32(0x8000), 0xCAFEF00D);
	h_destroy(p);
}

static void held_page_touched_while_unsafe_does_not_fault(void **state)
{
	(void)state;
	struct pager_config cfg = h_config(1u << 20, 64u << 10);
	struct pager *p = h_create(&cfg, err, sizeof err);
	assert_non_null(p);
	assert_true(g_write(0x8000, 0xCAFEF00D, 4));
	push_out(p, 0x8000, 1u << 20);
	assert_int_equal(HoldMemory(p, 0x8000, 4), noErr);
	/* Heavy paging does not take it out again. */
	for (gaddr a = 0; a < (1u << 20); a += 4096)
		if (a != 0x8000)
			assert_true(g_write(a, a, 4));
	pager_set_paging_safe(p, false);
	unsigned before = h_faults;
	assert_int_equal(g_read32(0x8000), 0xCAFEF00D);
	assert_true(g_write(0x8004, 1, 4));
	assert_int_equal(h_faults, before);
	/* Holding more while unsafe is allowed only if nothing must be paged. */
	assert_int_equal(HoldMemory(p, 0x8000, 8), noErr);
	assert_int_equal(HoldMemory(p, 0x40000, 4), interruptsMaskedErr);
	struct pager_stats s;
	pager_get_stats(p, &s);
	assert_int_equal(s.fatal_page_faults, 0);
	h_destroy(p);
}

static void fault_outside_the_window_is_still_a_host_crash(void **state)
{
	(void)state;
	pid_t pid = fork();
	if (pid == 0) {
		/* cmocka catches SIGSEGV in tests; the child wants the real default. */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		struct pager_config cfg = h_config(1u << 20, 256u << 10);
		struct pager *p = h_create(&cfg, err, sizeof err);
		if (p == NULL) {
			fprintf(stderr, "%s\n", err);
			_exit(3);
		}
		struct rlimit no_core = {0, 0};
		setrlimit(RLIMIT_CORE, &no_core);
		volatile int *volatile nil = NULL;
		nil[4] = 1;
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSEGV);
}

static void guest_fault_without_a_callback_kills_rather_than_spins(void **state)
{
	(void)state;
	pid_t pid = fork();
	if (pid == 0) {
		/* cmocka catches SIGSEGV in tests; the child wants the real default. */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		struct pager_config cfg = h_config(1u << 20, 256u << 10);
		struct pager *p = pager_create(&cfg, err, sizeof err);
		if (p == NULL) {
			fprintf(stderr, "%s\n", err);
			_exit(3);
		}
		struct rlimit no_core = {0, 0};
		setrlimit(RLIMIT_CORE, &no_core);
		alarm(10);
		*(volatile uint8_t *)(pager_window(p) + 0x60000000) = 1;
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSEGV);
}

static void overflow_exit(void)
{
	_exit(42);
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int recurse(volatile char *prev)
{
	volatile char frame[1024];
	frame[0] = prev ? prev[0] + 1 : 0;
	return recurse(frame) + frame[0];
}

static void host_stack_overflow_reaches_its_handler(void **state)
{
	(void)state;
	pid_t pid = fork();
	if (pid == 0) {
		/* cmocka catches SIGSEGV in tests; the child wants the real default. */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		struct pager_config cfg = h_config(1u << 20, 256u << 10);
		cfg.host_stack_overflow = overflow_exit;
		struct pager *p = h_create(&cfg, err, sizeof err);
		if (p == NULL) {
			fprintf(stderr, "%s\n", err);
			_exit(3);
		}
		struct rlimit no_core = {0, 0};
		setrlimit(RLIMIT_CORE, &no_core);
		struct rlimit stack = {1u << 20, 1u << 20};
		setrlimit(RLIMIT_STACK, &stack);
		/* The pager's own faults still work with the handler chain in place. */
		if (!g_write(0x1000, 5, 4) || g_read32(0x1000) != 5)
			_exit(4);
		_exit(recurse(NULL) == 0 ? 5 : 6);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(access_outside_every_region_is_a_bus_error),
	    cmocka_unit_test(twenty_four_bit_mode_ignores_the_high_byte),
	    cmocka_unit_test(overlapping_regions_are_refused_naming_both),
	    cmocka_unit_test(write_to_read_only_region_names_region_and_offset),
	    cmocka_unit_test(unheld_page_touched_while_unsafe_is_a_fatal_page_fault),
	    cmocka_unit_test(held_page_touched_while_unsafe_does_not_fault),
	    cmocka_unit_test(fault_outside_the_window_is_still_a_host_crash),
	    cmocka_unit_test(guest_fault_without_a_callback_kills_rather_than_spins),
	    cmocka_unit_test(host_stack_overflow_reaches_its_handler),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
