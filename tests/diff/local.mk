# tests/diff: differential testing against qemu-m68k (included from tests/local.mk).
# The m68k harness needs the cross compiler, which configure does not look
# for: it is built here when m68k-linux-gnu-gcc is on PATH, and the tests
# that need it skip (77) when it is not.
M68K_CC = m68k-linux-gnu-gcc
M68K_HARNESS_FLAGS = -m68020 -O2 -static -nostdlib -ffreestanding -fno-builtin -fno-pie -no-pie \
	-Wall -Wextra -Wno-unused-parameter

tests/diff/m68k-harness: $(top_srcdir)/tests/diff/harness.c $(top_srcdir)/tests/diff/wire.h
	@$(MKDIR_P) tests/diff
	$(AM_V_GEN)if command -v $(M68K_CC) >/dev/null 2>&1; then \
		$(M68K_CC) $(M68K_HARNESS_FLAGS) -o $@ $(top_srcdir)/tests/diff/harness.c; \
	else \
		echo "tests/diff: $(M68K_CC) not found (Debian package gcc-m68k-linux-gnu): qemu tests will skip" >&2; \
		rm -f $@; \
	fi

DIFF_COMMON_SOURCES = tests/diff/diff.h tests/diff/wire.h tests/diff/compare.c tests/diff/qemu_quirks.c \
	tests/diff/qemu_backend.c

# The interpreter backend. Until guest/ has the CPU, a stand-in makes the diff
# test skip; to plug the CPU in, set these to tests/diff/vm68k_backend.c and
# guest/libguest.a.
DIFF_VM68K_BACKEND = tests/diff/vm68k_backend.c
DIFF_VM68K_LIBS = guest/libguest.a

check_PROGRAMS += tests/diff/diff tests/diff/qemu_plumbing_test
tests_diff_diff_SOURCES = tests/diff/diff.c tests/diff/gen.c $(DIFF_VM68K_BACKEND) $(DIFF_COMMON_SOURCES)
tests_diff_diff_LDADD = $(DIFF_VM68K_LIBS)
EXTRA_tests_diff_diff_DEPENDENCIES = tests/diff/m68k-harness
tests_diff_qemu_plumbing_test_SOURCES = tests/diff/qemu_plumbing_test.c tests/diff/gen.c $(DIFF_COMMON_SOURCES)
tests_diff_qemu_plumbing_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_diff_qemu_plumbing_test_LDADD = $(CMOCKA_LIBS)
EXTRA_tests_diff_qemu_plumbing_test_DEPENDENCIES = tests/diff/m68k-harness

TESTS += tests/diff/qemu_plumbing_test tests/diff/diff
EXTRA_DIST += tests/diff/harness.c tests/diff/local.mk tests/diff/vm68k_backend.c tests/diff/no_vm68k_backend.c \
	tests/diff/README.md
CLEANFILES += tests/diff/m68k-harness
