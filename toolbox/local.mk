# toolbox: trap implementations in C.
noinst_LIBRARIES += toolbox/libtoolbox.a
toolbox_libtoolbox_a_SOURCES = toolbox/toolbox.h toolbox/resfork.c toolbox/segments.c
# The Memory Manager (toolbox/memory/memory.h is its interface).
toolbox_libtoolbox_a_SOURCES += toolbox/memory/memory.h
