/* host: the trusted process — CLI, subcommands, (later) the sandboxed spawn
 * and the broker. This header is the module's face. */
#ifndef VM68K_HOST_H
#define VM68K_HOST_H

#include "host/options.h"

/* Exit statuses, documented in vm68k(1) under EXIT STATUS. */
enum vm68k_exit {
	EXIT_OK = 0,
	EXIT_FAILURE_RUN = 1,   /* the run failed (guest fault, I/O error...) */
	EXIT_USAGE = 2,         /* bad command line */
	EXIT_BAD_INPUT = 3,     /* a file given on the command line is unusable */
	EXIT_SYSTEM_ERROR = 4,  /* the guest stopped on a Mac OS system error (SysError) */
	EXIT_GUEST_EXCEPTION = 5, /* a 68K exception no guest handler took */
	EXIT_GUEST_CRASH = 6,   /* the guest process died on a signal or broke the protocol */
	EXIT_SANDBOX_VIOLATION = 7, /* the guest process made a system call the sandbox refuses */
	EXIT_TIMEOUT = 8,       /* --timeout passed; the guest process was killed */
	EXIT_FATAL_PAGE_FAULT = 9, /* a fatal (double) page fault no guest bus error handler took */
};

/* `vm68k run [APP]`: runs the Mac application cfg->app in the sandboxed
 * guest process (host/runapp.c), or without one the pager demonstration.
 * Returns an exit status. */
int cmd_run(const struct run_config *cfg);
/* `vm68k run` without an application: the pager demonstration. */
int cmd_run_demo(const struct run_config *cfg);

/* ---- The bundled examples (host/examples.c) ---- */
struct bundled_example {
	const char *name;
	const char *description; /* one line for `vm68k examples` */
};
extern const struct bundled_example bundled_examples[];
extern const size_t bundled_example_count;

/* The table row of example name, or NULL if there is none. */
const struct bundled_example *example_lookup(const char *name);
/* Finds name's application (NAME.bin) in $VM68K_EXAMPLES, in examples/
 * beside the running vm68k (the build tree) or in the installed
 * pkgdatadir/examples; writes its path to out. Returns false if none is
 * readable. */
bool example_path(const char *name, char *out, size_t len);
/* Prints why --example name cannot run (unknown, or not built) to stderr. */
void example_not_found(const char *name);
/* `vm68k examples`: lists the bundled examples with one line each. Returns EXIT_OK. */
int cmd_examples(const struct run_config *cfg);

/* `vm68k map`: prints the guest memory map cfg produces. Returns an exit status. */
int cmd_map(const struct run_config *cfg);

/* `vm68k info APP`: describes cfg->app (container, Finder info, forks,
 * resources, CODE 0 jump table, segment headers). Returns EXIT_BAD_INPUT
 * after one message naming the file, offset and expectation if it is
 * malformed. */
int cmd_info(const struct run_config *cfg);

/* codescan.c: the distinct A-line words a CODE segment's code (len bytes,
 * after the segment header) executes as instructions, found from offset 0
 * and the given entry offsets along the control flow, then by a linear
 * sweep; sorted by word. */
struct code_traps {
	uint16_t words[512];
	size_t count;
	size_t reached_words; /* words of code the control flow reached */
};
/* Fills *out; false when out of memory. */
bool code_traps_scan(const uint8_t *code, size_t len, const uint32_t *entries, size_t nentries,
		     struct code_traps *out);

/* `vm68k disasm FILE`: lists the instructions of the raw 68K code in
 * cfg->app as if loaded at cfg->org, for cfg->cpu_model. Returns
 * EXIT_BAD_INPUT after one message naming the file if it cannot be read. */
int cmd_disasm(const struct run_config *cfg);

#endif
