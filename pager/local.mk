# pager: the guest address window, paging, hold/lock, watch points.
noinst_LIBRARIES += pager/libpager.a
pager_libpager_a_SOURCES = pager/pager.h pager/version.c
