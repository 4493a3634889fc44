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

# The Memory Manager (toolbox/memory/) on the real pager: paging under it,
# the held system heap, bus errors from its own accesses.
check_PROGRAMS += tests/mm_pager_test
tests_mm_pager_test_SOURCES = tests/mm_pager_test.c tests/pager_harness.h
tests_mm_pager_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_mm_pager_test_LDADD = toolbox/libtoolbox.a $(PAGER_TEST_LIBS)
TESTS += tests/mm_pager_test

# The Memory Manager under random operations and on damaged heaps.
check_PROGRAMS += tests/mm_stress_test
tests_mm_stress_test_SOURCES = tests/mm_stress_test.c tests/mm_harness.h
tests_mm_stress_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_mm_stress_test_LDADD = toolbox/libtoolbox.a $(CMOCKA_LIBS)
TESTS += tests/mm_stress_test

# The Memory Manager's register-level traps.
check_PROGRAMS += tests/mm_traps_test
tests_mm_traps_test_SOURCES = tests/mm_traps_test.c tests/mm_harness.h
tests_mm_traps_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_mm_traps_test_LDADD = toolbox/libtoolbox.a $(CMOCKA_LIBS)
TESTS += tests/mm_traps_test
EXTRA_DIST += tests/mm_harness.h

# `make bench`: Memory Manager allocation and compaction against malloc/memmove.
noinst_PROGRAMS += tests/mm_bench
tests_mm_bench_SOURCES = tests/mm_bench.c
tests_mm_bench_CFLAGS = $(AM_CFLAGS) -O2
tests_mm_bench_LDADD = toolbox/libtoolbox.a
BENCHES += tests/mm_bench
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
tests_info_test_LDADD = host/libhost.a toolbox/libtoolbox.a guest/libguest.a pager/libpager.a $(TEST_LIBS)
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


# The File Manager through the broker (host/volumes.c, toolbox/files_client.c).
check_PROGRAMS += tests/files_test
tests_files_test_SOURCES = tests/files_test.c
tests_files_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_files_test_LDADD = host/libhost.a toolbox/libtoolbox.a pager/libpager.a $(TEST_LIBS)
TESTS += tests/files_test

check_PROGRAMS += tests/volumes_test
tests_volumes_test_SOURCES = tests/volumes_test.c
tests_volumes_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_volumes_test_LDADD = host/libhost.a toolbox/libtoolbox.a pager/libpager.a $(TEST_LIBS)
TESTS += tests/volumes_test

# `make bench`: the broker's File Manager throughput against the host's pread.
noinst_PROGRAMS += tests/files_bench
tests_files_bench_SOURCES = tests/files_bench.c
tests_files_bench_LDADD = host/libhost.a toolbox/libtoolbox.a pager/libpager.a $(SECCOMP_LIBS) \
	$(SIGSEGV_LIBS)
BENCHES += tests/files_bench
# `vm68k run APP`: the toolbox end to end on programs built by tools/.
TESTS += tests/toolbox_run_test.sh
EXTRA_DIST += tests/toolbox_run_test.sh tests/trappatch.c tests/gestalt.c tests/unimpl.c \
	tests/buserr.c tests/romwrite.c tests/memtraps.c tests/segpurge.c tests/growzone.c

check_PROGRAMS += tests/toolbox_traps_test
tests_toolbox_traps_test_SOURCES = tests/toolbox_traps_test.c
tests_toolbox_traps_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_toolbox_traps_test_LDADD = toolbox/libtoolbox.a guest/libguest.a pager/libpager.a $(TEST_LIBS)
TESTS += tests/toolbox_traps_test

# The Memory Manager (toolbox/memory/) on a plain 16 MiB window, 24- and 32-bit.
check_PROGRAMS += tests/mm_test
tests_mm_test_SOURCES = tests/mm_test.c
tests_mm_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_mm_test_LDADD = toolbox/libtoolbox.a $(CMOCKA_LIBS)
TESTS += tests/mm_test

check_PROGRAMS += tests/toolbox_machine_test
tests_toolbox_machine_test_SOURCES = tests/toolbox_machine_test.c
tests_toolbox_machine_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_toolbox_machine_test_LDADD = toolbox/libtoolbox.a guest/libguest.a pager/libpager.a $(TEST_LIBS)
TESTS += tests/toolbox_machine_test

# vm68k disasm on instructions assembled by m68k-linux-gnu-as (skipped without it).
TESTS += tests/disasm_cli_test.sh
EXTRA_DIST += tests/disasm_cli_test.sh

# The debugger (toolbox/debugger/): scripted sessions, and one at a terminal.
TESTS += tests/debugger_test.sh tests/debugger_tty_test.sh
EXTRA_DIST += tests/debugger_test.sh tests/debugger_tty_test.sh tests/dbgtarget.c
check_PROGRAMS += tests/debugger_fatal_test
tests_debugger_fatal_test_SOURCES = tests/debugger_fatal_test.c
tests_debugger_fatal_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_debugger_fatal_test_LDADD = toolbox/libtoolbox.a guest/libguest.a pager/libpager.a $(TEST_LIBS)
TESTS += tests/debugger_fatal_test
# The bundled examples (examples/local.mk builds them), each with its outcome.
TESTS += tests/examples_test.sh
EXTRA_DIST += tests/examples_test.sh

# Working-set sampling for --stats (pager/wsample.c).
check_PROGRAMS += tests/pager_wsample_test
tests_pager_wsample_test_SOURCES = tests/pager_wsample_test.c tests/pager_harness.h
tests_pager_wsample_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_pager_wsample_test_LDADD = $(PAGER_TEST_LIBS)
TESTS += tests/pager_wsample_test
# The Resource Manager and the File Manager's traps, end to end.
TESTS += tests/rsrc_test.sh
EXTRA_DIST += tests/rsrc_test.sh tests/rsrc.c tests/rsrc_check.h tests/files_traps.c \
	tests/files_async.c tests/rsrc_self.c
# Interrupt-time code and the VM API (toolbox/interrupts.c, toolbox/vm.c)
# through 68K programs.
TESTS += tests/vm_interrupts_test.sh
EXTRA_DIST += tests/vm_interrupts_test.sh tests/vm_traps.h tests/vm_api.c tests/vm_timer.c \
	tests/vm_eada.c tests/vm_defer.c tests/vm_vector.c tests/vm_postevent.c \
	tests/vm_driver.c
check_PROGRAMS += tests/vm_machine_test
tests_vm_machine_test_SOURCES = tests/vm_machine_test.c
tests_vm_machine_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_vm_machine_test_LDADD = toolbox/libtoolbox.a guest/libguest.a pager/libpager.a $(TEST_LIBS)
TESTS += tests/vm_machine_test

# `vm68k run APP --trace/--stats/--seed` on tests/vmevents.c: every VM event
# kind in the trace, read back by tests/trace_check; faults by kind.
check_PROGRAMS += tests/trace_check
tests_trace_check_SOURCES = tests/trace_check.c
TESTS += tests/trace_run_test.sh
EXTRA_DIST += tests/trace_run_test.sh tests/vmevents.c

# The trace ring's VM API events, PCs and counts; faults by kind.
check_PROGRAMS += tests/pager_trace_test
tests_pager_trace_test_SOURCES = tests/pager_trace_test.c tests/pager_harness.h
tests_pager_trace_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_pager_trace_test_LDADD = $(PAGER_TEST_LIBS)
TESTS += tests/pager_trace_test
