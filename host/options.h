/* The command line, described once: parsing, --help and the man page check
 * (tests/man_options_test.c) all read cli_options[]. */
#ifndef VM68K_HOST_OPTIONS_H
#define VM68K_HOST_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Subcommands, as bits so an option can belong to several. */
enum cli_command {
	CMD_NONE = 0,
	CMD_RUN = 1u << 0,
	CMD_MAP = 1u << 1,
	CMD_INFO = 1u << 2,
	CMD_DISASM = 1u << 3,
	CMD_EXAMPLES = 1u << 4,
	CMD_ALL = 0xffffu,
};

enum cli_option_id {
	OPT_HELP,
	OPT_VERSION,
	OPT_QUIET,
	OPT_RAM,
	OPT_VM,
	OPT_NO_VM,
	OPT_BACKING_STORE,
	OPT_ADDRESSING,
	OPT_SEED,
	OPT_STATS,
	OPT_PASSES,
	OPT_TIMEOUT,
	OPT_TRACE,
	OPT_TRACE_FORMAT,
	OPT_DISK_LATENCY,
	OPT_HEADLESS,
	OPT_SCREENSHOT,
	OPT_KEEP_WINDOW,
	OPT_VOLUME,
	OPT_VOLUME_RW,
	OPT_CPU,
	OPT_MAX_INSTRUCTIONS,
	OPT_DEBUGSTR,
	OPT_ORG,
	OPT_DEBUGGER,
	OPT_DEBUGGER_COMMANDS,
	OPT_EVAL,
	OPT_WATCH,
	OPT_EXAMPLE,
	OPT_WS_INTERVAL,
	OPT_DEFERRED_TABLE_SIZE,
	OPT_TRACE_TRAPS,
};

struct cli_option {
	const char *name;     /* long name, without the leading "--" */
	char short_name;      /* single-letter alias, or 0 */
	const char *metavar;  /* argument name in --help; NULL for a flag */
	const char *help;     /* one line for --help */
	unsigned commands;    /* CMD_* bits of the subcommands that take it */
	enum cli_option_id id;
};

extern const struct cli_option cli_options[];
extern const size_t cli_option_count;

#define VM68K_MAX_VOLUMES 16 /* --volume and --volume-rw together */

/* One --volume [NAME=]DIR or --volume-rw [NAME=]DIR (host/volumes.c). */
struct volume_option {
	const char *arg;
	bool read_write;
};

/* Settings of one invocation, filled in from built-in defaults and options. */
struct run_config {
	bool quiet;
	bool stats;
	uint64_t ram_bytes;       /* physical frame budget */
	uint64_t vm_bytes;        /* logical memory; VM is on when > ram_bytes */
	bool no_vm;
	const char *backing_store; /* NULL: private temp file, removed at exit */
	unsigned addressing;      /* 24 or 32 */
	uint64_t seed;
	unsigned passes;
	unsigned timeout_seconds; /* 0: no limit */
	const char *trace_path;   /* --trace FILE; NULL: no trace */
	int trace_format;         /* enum trace_format (host/trace.h) */
	uint64_t disk_latency_ns; /* simulated cost of one page-in or page-out */
	const char *app;          /* the Mac application named on the command line */
	bool headless;            /* --headless: no window even with a display */
	const char *screenshot_path; /* --screenshot FILE: BMP of the window at exit */
	bool keep_window;         /* --keep-window: stay open after the guest ends */
	struct volume_option volumes[VM68K_MAX_VOLUMES]; /* in command-line order: vref -1, -2... */
	unsigned nvolumes;
	int cpu_model;            /* --cpu: enum cpu_model (guest/guest.h); default 68030 */
	uint64_t max_instructions; /* --max-instructions: 0 no limit */
	int debugstr;             /* --debugstr: enum toolbox_debugstr (toolbox/toolbox.h) */
	uint32_t org;             /* --org: guest address of the first byte (disasm) */
	bool debugger;            /* --debugger: enter the debugger before the first instruction */
	const char *debugger_commands; /* --debugger-commands FILE (read by the host) */
	const char *eval;         /* -e CMDS: debugger commands, ';'-separated */
	const char *watch[8];     /* --watch ADDR[:LEN], repeatable */
	unsigned nwatch;
	const char *example;      /* --example NAME: a bundled example instead of APP */
	uint64_t ws_interval;     /* --ws-interval: instructions per working-set sample */
	uint64_t deferred_table_size; /* --deferred-table-size: VM's deferred user functions (0: 32) */
	bool trace_traps;         /* --trace-traps: --trace records every A-line trap entry */
};

/* Sets every field of cfg to its built-in default. */
void run_config_defaults(struct run_config *cfg);

/* Parses a size such as "8M", "512K", "1G" or "4096" into bytes.
 * Returns false (and leaves *out alone) on a malformed or overflowing value. */
bool parse_size(const char *text, uint64_t *out);

/* Parses a duration such as "10ms", "250us", "5000ns" or "0" into nanoseconds.
 * Returns false (and leaves *out alone) on a malformed or overflowing value. */
bool parse_duration(const char *text, uint64_t *out);

/* Parses argv[first..argc) for subcommand cmd into cfg. On a bad option or
 * value prints one line naming it to stderr and returns -1; returns the index
 * of the first non-option argument otherwise. Sets *want_help on --help. */
int parse_options(int argc, char **argv, int first, enum cli_command cmd,
                  struct run_config *cfg, bool *want_help);

/* Prints --help for cmd (CMD_NONE: the general usage) to stdout. */
void print_help(enum cli_command cmd);

#endif
