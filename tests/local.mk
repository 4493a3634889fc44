# Tests: cmocka units and scripts, run by `make check`.
TEST_LIBS = $(CMOCKA_LIBS) $(SIGSEGV_LIBS) $(SECCOMP_LIBS)

check_PROGRAMS += tests/man_options_test
tests_man_options_test_SOURCES = tests/man_options_test.c
tests_man_options_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_man_options_test_LDADD = host/libhost.a $(TEST_LIBS)

TESTS += tests/man_options_test tests/man_lint.sh
EXTRA_DIST += tests/man_lint.sh

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

# Interpreter speed on small 68K kernels (`make bench`).
noinst_PROGRAMS += tests/cpu_bench
tests_cpu_bench_SOURCES = tests/cpu_bench.c
tests_cpu_bench_CFLAGS = $(AM_CFLAGS) -O2
tests_cpu_bench_LDADD = guest/libguest.a
BENCHES += tests/cpu_bench

# Boundaries, hooks, frames per model, and the 68010-68040 instructions.
check_PROGRAMS += tests/cpu_models_test
tests_cpu_models_test_SOURCES = tests/cpu_models_test.c
tests_cpu_models_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_cpu_models_test_LDADD = guest/libguest.a $(CMOCKA_LIBS)
TESTS += tests/cpu_models_test

# Differential test against qemu-m68k (skipped without qemu and m68k binutils).
check_PROGRAMS += tests/diff/diff
tests_diff_diff_SOURCES = tests/diff/diff.c
tests_diff_diff_LDADD = guest/libguest.a
TESTS += tests/diff/diff

# The disassembler against m68k-linux-gnu-objdump (skipped without it).
check_PROGRAMS += tests/diff/disasm_check
tests_diff_disasm_check_SOURCES = tests/diff/disasm_check.c
tests_diff_disasm_check_LDADD = guest/libguest.a
TESTS += tests/diff/disasm_check
