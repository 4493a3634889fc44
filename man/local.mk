# man pages; `make check` lints them with mandoc when it is installed.
dist_man_MANS += man/vm68k.1 man/vm68k-trace.5
