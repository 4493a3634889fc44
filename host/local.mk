# host: the vm68k program.
noinst_LIBRARIES += host/libhost.a
host_libhost_a_SOURCES = host/host.h host/options.h host/options.c host/demo.c \
	host/macfile.h host/macfile.c host/info.c

bin_PROGRAMS += vm68k
vm68k_SOURCES = host/main.c
vm68k_LDADD = host/libhost.a toolbox/libtoolbox.a guest/libguest.a pager/libpager.a \
	$(SECCOMP_LIBS) $(SDL2_LIBS) $(SIGSEGV_LIBS)
