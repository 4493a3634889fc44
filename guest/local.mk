# guest: the 68K machine (interpreter, exceptions, instruction table).
noinst_LIBRARIES += guest/libguest.a
guest_libguest_a_SOURCES = guest/guest.h guest/version.c
