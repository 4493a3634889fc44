# Tests: cmocka units and scripts, run by `make check`.
TEST_LIBS = $(CMOCKA_LIBS) $(SIGSEGV_LIBS) $(SECCOMP_LIBS)
# Scripts that run the sandboxed guest skip under the sanitizers: the ASan
# runtime reads /proc from inside the sandbox, which the filter refuses.
AM_TESTS_ENVIRONMENT += SANITIZE_CFLAGS='$(SANITIZE_CFLAGS)'; export SANITIZE_CFLAGS;

check_PROGRAMS += tests/man_options_test
tests_man_options_test_SOURCES = tests/man_options_test.c
tests_man_options_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_man_options_test_LDADD = host/libhost.a $(TEST_LIBS)

check_PROGRAMS += tests/sandbox_test
tests_sandbox_test_SOURCES = tests/sandbox_test.c
tests_sandbox_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_sandbox_test_LDADD = host/libhost.a $(TEST_LIBS)

check_PROGRAMS += tests/trace_test
tests_trace_test_SOURCES = tests/trace_test.c
tests_trace_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_trace_test_LDADD = host/libhost.a $(TEST_LIBS)

TESTS += tests/man_options_test tests/man_lint.sh tests/sandbox_test tests/trace_test
EXTRA_DIST += tests/man_lint.sh

# The pager: behaviour through real page faults (pager_harness.h drives the
# window like the interpreter will).
PAGER_TEST_LIBS = pager/libpager.a $(TEST_LIBS)
EXTRA_DIST += tests/pager_harness.h

check_PROGRAMS += tests/pager_roundtrip_test
tests_pager_roundtrip_test_SOURCES = tests/pager_roundtrip_test.c tests/pager_harness.h
tests_pager_roundtrip_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_pager_roundtrip_test_LDADD = $(PAGER_TEST_LIBS)
TESTS += tests/pager_roundtrip_test

check_PROGRAMS += tests/pager_faults_test
tests_pager_faults_test_SOURCES = tests/pager_faults_test.c tests/pager_harness.h
tests_pager_faults_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_pager_faults_test_LDADD = $(PAGER_TEST_LIBS)
TESTS += tests/pager_faults_test

check_PROGRAMS += tests/pager_vmapi_test
tests_pager_vmapi_test_SOURCES = tests/pager_vmapi_test.c tests/pager_harness.h
tests_pager_vmapi_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_pager_vmapi_test_LDADD = $(PAGER_TEST_LIBS)
TESTS += tests/pager_vmapi_test

check_PROGRAMS += tests/pager_watch_test
tests_pager_watch_test_SOURCES = tests/pager_watch_test.c tests/pager_harness.h
tests_pager_watch_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_pager_watch_test_LDADD = $(PAGER_TEST_LIBS)
TESTS += tests/pager_watch_test

check_PROGRAMS += tests/pager_store_test
tests_pager_store_test_SOURCES = tests/pager_store_test.c tests/pager_harness.h
tests_pager_store_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_pager_store_test_LDADD = $(PAGER_TEST_LIBS)
TESTS += tests/pager_store_test

# `make bench`: the pager's fault costs against a raw SIGSEGV + mprotect.
noinst_PROGRAMS += tests/pager_bench
tests_pager_bench_SOURCES = tests/pager_bench.c
tests_pager_bench_LDADD = pager/libpager.a $(SIGSEGV_LIBS)
BENCHES += tests/pager_bench

TESTS += tests/pager_demo_test.sh
EXTRA_DIST += tests/pager_demo_test.sh

check_PROGRAMS += tests/pager_sandbox_test
tests_pager_sandbox_test_SOURCES = tests/pager_sandbox_test.c tests/pager_harness.h
tests_pager_sandbox_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SECCOMP_CFLAGS)
tests_pager_sandbox_test_LDADD = $(PAGER_TEST_LIBS)
TESTS += tests/pager_sandbox_test

check_PROGRAMS += tests/pager_paging_test
tests_pager_paging_test_SOURCES = tests/pager_paging_test.c tests/pager_harness.h
tests_pager_paging_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_pager_paging_test_LDADD = $(PAGER_TEST_LIBS)
TESTS += tests/pager_paging_test
include tests/diff/local.mk
# Loader: resource forks, Mac containers (toolbox/resfork.c, host/macfile.c).
check_PROGRAMS += tests/resfork_test
tests_resfork_test_SOURCES = tests/resfork_test.c
tests_resfork_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_resfork_test_LDADD = toolbox/libtoolbox.a $(TEST_LIBS)
TESTS += tests/resfork_test

check_PROGRAMS += tests/macfile_test
tests_macfile_test_SOURCES = tests/macfile_test.c
tests_macfile_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_macfile_test_LDADD = host/libhost.a toolbox/libtoolbox.a $(TEST_LIBS)
TESTS += tests/macfile_test

# elf2mac (tools/): a cross-compiled example converted and checked.
check_PROGRAMS += tests/elf2mac_check
tests_elf2mac_check_SOURCES = tests/elf2mac_check.c
tests_elf2mac_check_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_elf2mac_check_LDADD = host/libhost.a toolbox/libtoolbox.a $(TEST_LIBS)
TESTS += tests/elf2mac_test.sh
EXTRA_DIST += tests/elf2mac_test.sh examples/hello.c
TESTS += tests/elf2mac_run.sh
EXTRA_DIST += tests/elf2mac_run.sh tests/minimac.c tests/glue.c tests/segments.c

check_PROGRAMS += tests/info_test
tests_info_test_SOURCES = tests/info_test.c
tests_info_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_info_test_LDADD = host/libhost.a toolbox/libtoolbox.a $(TEST_LIBS)
TESTS += tests/info_test

# The display: page map writer and composer (cmocka), and a headless run's
# --screenshot checked pixel by pixel (tests/screenshot_check.c reads the BMP).
check_PROGRAMS += tests/display_test
tests_display_test_SOURCES = tests/display_test.c tests/pager_harness.h
tests_display_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_display_test_LDADD = host/libhost.a pager/libpager.a $(TEST_LIBS) $(SDL2_LIBS)
TESTS += tests/display_test

check_PROGRAMS += tests/screenshot_check
tests_screenshot_check_SOURCES = tests/screenshot_check.c
tests_screenshot_check_CFLAGS = $(AM_CFLAGS) $(SDL2_CFLAGS)
tests_screenshot_check_LDADD = host/libhost.a $(SDL2_LIBS)
TESTS += tests/display_screenshot_test.sh
EXTRA_DIST += tests/display_screenshot_test.sh
# The 68000 single-step suite; sst_check.sh holds it to tests/sst/baseline.txt.
check_PROGRAMS += tests/sst/sst
tests_sst_sst_SOURCES = tests/sst/sst.c
tests_sst_sst_CFLAGS = $(AM_CFLAGS) -O2
tests_sst_sst_LDADD = guest/libguest.a
TESTS += tests/sst/sst_check.sh
EXTRA_DIST += tests/sst/sst_check.sh tests/sst/baseline.txt

# Restartability: the guest sources again, with the access-abort hook.
check_PROGRAMS += tests/cpu_restart_test
tests_cpu_restart_test_SOURCES = tests/cpu_restart_test.c $(GUEST_SOURCES)
tests_cpu_restart_test_CPPFLAGS = $(AM_CPPFLAGS) -DGUEST_TEST_ABORT
tests_cpu_restart_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_cpu_restart_test_LDADD = $(CMOCKA_LIBS)
TESTS += tests/cpu_restart_test

# A real SIGSEGV in the window becomes the model's bus error frame.
check_PROGRAMS += tests/cpu_fault_test
tests_cpu_fault_test_SOURCES = tests/cpu_fault_test.c
tests_cpu_fault_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_cpu_fault_test_LDADD = guest/libguest.a $(CMOCKA_LIBS)
TESTS += tests/cpu_fault_test

# The decoded-instruction cache never runs stale code (self-modifying code,
# patched jump tables, host writes), and agrees with plain dispatch.
check_PROGRAMS += tests/cpu_smc_test
tests_cpu_smc_test_SOURCES = tests/cpu_smc_test.c
tests_cpu_smc_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_cpu_smc_test_LDADD = guest/libguest.a $(CMOCKA_LIBS)
TESTS += tests/cpu_smc_test

# Interpreter speed on small 68K kernels (`make bench`), and again without
# the decoded cache's check of each instruction's bytes (what it costs).
noinst_PROGRAMS += tests/cpu_bench tests/cpu_bench_noverify
tests_cpu_bench_SOURCES = tests/cpu_bench.c
tests_cpu_bench_CFLAGS = $(AM_CFLAGS) -O2
tests_cpu_bench_LDADD = guest/libguest.a pager/libpager.a $(SIGSEGV_LIBS)
tests_cpu_bench_noverify_SOURCES = tests/cpu_bench.c $(GUEST_SOURCES)
tests_cpu_bench_noverify_CPPFLAGS = $(AM_CPPFLAGS) -DGUEST_FAST_NO_VERIFY
tests_cpu_bench_noverify_CFLAGS = $(AM_CFLAGS) -O2
tests_cpu_bench_noverify_LDADD = pager/libpager.a $(SIGSEGV_LIBS)
BENCHES += tests/cpu_bench tests/cpu_bench_noverify

# Boundaries, hooks, frames per model, and the 68010-68040 instructions.
check_PROGRAMS += tests/cpu_models_test
tests_cpu_models_test_SOURCES = tests/cpu_models_test.c
tests_cpu_models_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_cpu_models_test_LDADD = guest/libguest.a $(CMOCKA_LIBS)
TESTS += tests/cpu_models_test

# Differential test against qemu-m68k (skipped without qemu and m68k binutils).
# The cpu branch's own qemu comparison, generated from the instruction table;
# being folded into tests/diff/diff (whose harness survives qemu's own
# crashes), so built but not run here.
check_PROGRAMS += tests/diff/table_diff
tests_diff_table_diff_SOURCES = tests/diff/table_diff.c
tests_diff_table_diff_LDADD = guest/libguest.a

# The disassembler against m68k-linux-gnu-objdump (skipped without it).
check_PROGRAMS += tests/diff/disasm_check
tests_diff_disasm_check_SOURCES = tests/diff/disasm_check.c
tests_diff_disasm_check_LDADD = guest/libguest.a
TESTS += tests/diff/disasm_check
