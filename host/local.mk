# host: the vm68k program.
noinst_LIBRARIES += host/libhost.a
host_libhost_a_SOURCES = host/host.h host/options.h host/options.c host/demo.c \
	host/protocol.h host/sandbox.h host/sandbox.c host/channel.c host/spawn.c host/report.c \
	host/trace.h host/trace.c host/macfile.h host/macfile.c host/info.c host/disasm.c \
	host/display.h host/display.c host/compose.c host/font.c host/pagemap.c \
	host/volumes.h host/volumes_internal.h host/volumes.c host/catalog.c host/forks.c host/macnames.c host/beneath.c host/sidecar.c \
	host/runapp.c host/pagertrace.h host/pagertrace.c host/examples.c
host_libhost_a_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS) $(SDL2_CFLAGS)
# Where `vm68k run --example` finds the installed examples (examples/local.mk).
host_libhost_a_CPPFLAGS = $(AM_CPPFLAGS) -DVM68K_PKGDATADIR='"$(pkgdatadir)"'

bin_PROGRAMS += vm68k
vm68k_SOURCES = host/main.c
vm68k_LDADD = host/libhost.a toolbox/libtoolbox.a guest/libguest.a pager/libpager.a \
	$(SECCOMP_LIBS) $(SDL2_LIBS) $(SIGSEGV_LIBS)
# The application on a read-write volume (the Resource Manager writes to it).
host_libhost_a_SOURCES += host/appvolume.c
host_libhost_a_SOURCES += host/codescan.c
