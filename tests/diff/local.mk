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

DIFF_COMMON_SOURCES = tests/diff/diff.h tests/diff/wire.h tests/diff/gen.c tests/diff/compare.c \
	tests/diff/qemu_quirks.c tests/diff/qemu_backend.c

check_PROGRAMS += tests/diff/diff tests/diff/qemu_plumbing_test
tests_diff_diff_SOURCES = tests/diff/diff.c tests/diff/vm68k_backend.c $(DIFF_COMMON_SOURCES)
tests_diff_diff_LDADD = guest/libguest.a
EXTRA_tests_diff_diff_DEPENDENCIES = tests/diff/m68k-harness
tests_diff_qemu_plumbing_test_SOURCES = tests/diff/qemu_plumbing_test.c $(DIFF_COMMON_SOURCES)
tests_diff_qemu_plumbing_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_diff_qemu_plumbing_test_LDADD = guest/libguest.a $(CMOCKA_LIBS)
EXTRA_tests_diff_qemu_plumbing_test_DEPENDENCIES = tests/diff/m68k-harness

# The generator on its own: modes reached, register conventions, branches.
check_PROGRAMS += tests/diff/gen_test
tests_diff_gen_test_SOURCES = tests/diff/gen_test.c tests/diff/diff.h tests/diff/gen.c \
	tests/diff/qemu_quirks.c
tests_diff_gen_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_diff_gen_test_LDADD = guest/libguest.a $(CMOCKA_LIBS)

# The disassembler against m68k-linux-gnu-objdump (skipped without it).
check_PROGRAMS += tests/diff/disasm_check
tests_diff_disasm_check_SOURCES = tests/diff/disasm_check.c
tests_diff_disasm_check_LDADD = guest/libguest.a

TESTS += tests/diff/gen_test tests/diff/qemu_plumbing_test tests/diff/diff tests/diff/disasm_check
EXTRA_DIST += tests/diff/harness.c tests/diff/local.mk tests/diff/README.md
CLEANFILES += tests/diff/m68k-harness
