# guest: the 68K machine (interpreter, exceptions, instruction table).
noinst_LIBRARIES += guest/libguest.a
GUEST_SOURCES = guest/guest.h guest/mem.h guest/cpu_internal.h guest/ops.h \
	guest/cpu.c guest/exceptions.c guest/insn_table.c guest/ops_arith.c \
	guest/ops_logic.c guest/ops_shift.c guest/ops_move.c guest/ops_flow.c \
	guest/ops_020.c guest/insn_gen.c guest/disasm.c \
	guest/dcache.h guest/dcache.c guest/threaded.c guest/threaded_loop.h
guest_libguest_a_SOURCES = $(GUEST_SOURCES)
guest_libguest_a_CFLAGS = $(AM_CFLAGS) -O2
