# tools: elf2mac, which turns an m68k ELF (Debian's m68k-linux-gnu-gcc) into
# a Mac application, with its startup code, link script and trap glue.
noinst_PROGRAMS += tools/elf2mac
tools_elf2mac_SOURCES = tools/elf2mac.c
tools_elf2mac_LDADD = host/libhost.a toolbox/libtoolbox.a
EXTRA_DIST += tools/crt0.S tools/mac.ld tools/mactraps.h tools/macrt.c tools/m68k-mac-build tools/README.md
EXTRA_DIST += tools/macresources.h tools/macfiles.h
