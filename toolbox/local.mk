# toolbox: trap implementations in C.
noinst_LIBRARIES += toolbox/libtoolbox.a
toolbox_libtoolbox_a_SOURCES = toolbox/toolbox.h toolbox/resfork.c toolbox/segments.c \
	toolbox/tb.h toolbox/traps.def toolbox/dispatch.c toolbox/lowmem.c toolbox/osutil.c \
	toolbox/heap.c toolbox/segload.c toolbox/machine.c
