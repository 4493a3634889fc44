# pager: the guest address window, paging, hold/lock, watch points.
noinst_LIBRARIES += pager/libpager.a
pager_libpager_a_SOURCES = pager/pager.h pager/internal.h pager/window.c pager/fault.c \
	pager/evict.c pager/store.c pager/hold.c pager/watch.c pager/state.c pager/trace.c \
	pager/wsample.c pager/control.c
