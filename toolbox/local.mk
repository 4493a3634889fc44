# toolbox: trap implementations in C.
noinst_LIBRARIES += toolbox/libtoolbox.a
toolbox_libtoolbox_a_SOURCES = toolbox/toolbox.h toolbox/resfork.c toolbox/segments.c \
	toolbox/files.h toolbox/files_client.c \
	toolbox/tb.h toolbox/traps.def toolbox/dispatch.c toolbox/lowmem.c toolbox/osutil.c \
	toolbox/memtraps.c toolbox/segload.c toolbox/machine.c
# Interrupt-time code and the VM API (toolbox/vmint.h).
toolbox_libtoolbox_a_SOURCES += toolbox/vmint.h toolbox/call68k.c toolbox/interrupts.c \
	toolbox/timemgr.c toolbox/vbl.c toolbox/deferred.c toolbox/vm.c toolbox/events.c toolbox/devmgr.c
# The Memory Manager (toolbox/memory/memory.h is its interface).
toolbox_libtoolbox_a_SOURCES += toolbox/memory/memory.h toolbox/memory/mm_internal.h \
	toolbox/memory/zone.c toolbox/memory/block.c toolbox/memory/handle.c toolbox/memory/ptr.c \
	toolbox/memory/compact.c toolbox/memory/purge.c toolbox/memory/tempmem.c toolbox/memory/check.c \
	toolbox/memory/traps.c toolbox/memory/handutil.c
# The debugger (toolbox/debugger/debugger.h is its toolbox-internal face).
toolbox_libtoolbox_a_SOURCES += toolbox/debugger/debugger.h toolbox/debugger/internal.h toolbox/debugger/console.c \
	toolbox/debugger/io.c toolbox/debugger/run.c toolbox/debugger/stops.c \
	toolbox/debugger/commands.c toolbox/debugger/expr.c toolbox/debugger/heapwalk.c
# The Resource Manager and the File Manager's traps.
toolbox_libtoolbox_a_SOURCES += toolbox/resmap.h toolbox/resmap.c toolbox/resources.c \
	toolbox/filetraps.c
