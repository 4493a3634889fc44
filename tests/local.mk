# Tests: cmocka units and scripts, run by `make check`.
TEST_LIBS = $(CMOCKA_LIBS) $(SIGSEGV_LIBS) $(SECCOMP_LIBS)

check_PROGRAMS += tests/man_options_test
tests_man_options_test_SOURCES = tests/man_options_test.c
tests_man_options_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_man_options_test_LDADD = host/libhost.a $(TEST_LIBS)

TESTS += tests/man_options_test tests/man_lint.sh
EXTRA_DIST += tests/man_lint.sh

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
