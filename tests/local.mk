# Tests: cmocka units and scripts, run by `make check`.
TEST_LIBS = $(CMOCKA_LIBS) $(SIGSEGV_LIBS) $(SECCOMP_LIBS)

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
