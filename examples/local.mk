# examples: the bundled 68K workloads, C programs built into Mac applications
# (MacBinary, examples/NAME.bin) by tools/m68k-mac-build, and installed in
# $(pkgdatadir)/examples for `vm68k run --example NAME`. configure does not
# look for the cross compiler: as tests/diff/local.mk does, the build checks
# for m68k-linux-gnu-gcc when it runs, builds the examples when it is there
# and says so once when it is not (tests/examples_test.sh then skips).
# The names here are host/examples.c's table (tests/examples_test.sh checks
# that the two agree).
EXAMPLE_NAMES = hello thrash password heapwalk privileged hold deferred
EXAMPLE_CC = m68k-linux-gnu-gcc
EXAMPLE_C_FILES = examples/hello.c examples/thrash.c examples/password.c examples/heapwalk.c \
	examples/privileged.c examples/hold.c examples/deferred.c
EXTRA_DIST += $(EXAMPLE_C_FILES) examples/report.h examples/local.mk examples/README.md

# One stamp for all of them: automake (-Wportability) refuses %-pattern rules.
# Without the cross compiler the stamp is not made, so that the examples are
# built by the first `make` after it is installed.
examples/built.stamp: $(EXAMPLE_C_FILES) $(top_srcdir)/examples/report.h \
		$(top_srcdir)/tools/mactraps.h $(top_srcdir)/tools/crt0.S $(top_srcdir)/tools/macrt.c \
		$(top_srcdir)/tools/mac.ld $(top_srcdir)/tools/m68k-mac-build tools/elf2mac$(EXEEXT)
	@$(MKDIR_P) examples
	$(AM_V_GEN)if command -v $(EXAMPLE_CC) >/dev/null 2>&1; then \
		for n in $(EXAMPLE_NAMES); do \
			M68K_CC=$(EXAMPLE_CC) ELF2MAC=$(abs_top_builddir)/tools/elf2mac$(EXEEXT) \
			$(SHELL) $(top_srcdir)/tools/m68k-mac-build -c VM68 -n $$n \
				-o examples/$$n.bin $(top_srcdir)/examples/$$n.c >/dev/null || exit 1; \
		done; \
	else \
		echo "examples: $(EXAMPLE_CC) not found (Debian package gcc-m68k-linux-gnu): the bundled examples are not built" >&2; \
		for n in $(EXAMPLE_NAMES); do rm -f examples/$$n.bin; done; \
		exit 0; \
	fi; \
	touch $@

all-local: examples/built.stamp

# Installed only when they were built (no cross compiler: nothing to install).
install-data-local: examples/built.stamp
	@for n in $(EXAMPLE_NAMES); do \
		if test -f examples/$$n.bin; then \
			$(MKDIR_P) "$(DESTDIR)$(pkgdatadir)/examples" || exit 1; \
			echo " $(INSTALL_DATA) examples/$$n.bin '$(DESTDIR)$(pkgdatadir)/examples'"; \
			$(INSTALL_DATA) examples/$$n.bin "$(DESTDIR)$(pkgdatadir)/examples/$$n.bin" || exit 1; \
		fi; \
	done

uninstall-local:
	@for n in $(EXAMPLE_NAMES); do rm -f "$(DESTDIR)$(pkgdatadir)/examples/$$n.bin"; done
	-rmdir "$(DESTDIR)$(pkgdatadir)/examples" "$(DESTDIR)$(pkgdatadir)" 2>/dev/null

CLEANFILES += examples/built.stamp examples/hello.bin examples/thrash.bin examples/password.bin \
	examples/heapwalk.bin examples/privileged.bin examples/hold.bin examples/deferred.bin

# `make installcheck` (and so distcheck): the installed vm68k finds the
# installed examples in $(pkgdatadir) by itself.
installcheck-local:
	@if test -f examples/hello.bin; then \
		out=`"$(DESTDIR)$(bindir)/vm68k" run --example hello 2>&1`; \
		echo "$$out" | grep -q '^DebugStr: ok$$' || { echo "installcheck: vm68k run --example hello: $$out"; exit 1; }; \
		echo "installcheck: vm68k run --example hello found $(pkgdatadir)/examples/hello.bin"; \
	fi
