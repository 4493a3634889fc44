# toolbox: trap implementations in C.
noinst_LIBRARIES += toolbox/libtoolbox.a
toolbox_libtoolbox_a_SOURCES = toolbox/toolbox.h toolbox/resfork.c toolbox/segments.c \
	toolbox/files.h toolbox/files_client.c
