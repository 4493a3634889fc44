/* The option table and the parser that reads it. Adding an option means
 * adding a row here, a case in apply_option(), and an entry in man/vm68k.1
 * (a test fails if the man page lacks it). */
#include "config.h"

#include "host/options.h"
#include "host/trace.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct cli_option cli_options[] = {
	{"help", 'h', NULL, "show this help and exit", CMD_ALL, OPT_HELP},
	{"version", 'V', NULL, "show the version and exit", CMD_ALL, OPT_VERSION},
	{"quiet", 'q', NULL, "print only errors and the final result", CMD_RUN | CMD_MAP, OPT_QUIET},
	{"ram", 0, "SIZE", "physical memory: the budget of resident frames (default 8M)",
	 CMD_RUN | CMD_MAP, OPT_RAM},
	{"vm", 0, "SIZE", "logical memory; virtual memory is on when larger than --ram (default 32M)",
	 CMD_RUN | CMD_MAP, OPT_VM},
	{"no-vm", 0, NULL, "no virtual memory: logical memory is --ram", CMD_RUN | CMD_MAP, OPT_NO_VM},
	{"backing-store", 0, "PATH",
	 "backing-store file (default: a private temporary file, mode 0600, removed at exit)",
	 CMD_RUN, OPT_BACKING_STORE},
	{"addressing", 0, "24|32", "address mode of the guest (default 32)", CMD_RUN | CMD_MAP,
	 OPT_ADDRESSING},
	{"seed", 0, "N",
	 "seed of the pseudo-random generator: an APP's RndSeed ($156), the demonstration's "
	 "patterns (default 1)",
	 CMD_RUN, OPT_SEED},
	{"stats", 0, NULL, "print paging statistics at exit", CMD_RUN, OPT_STATS},
	{"passes", 0, "N", "sweeps of the pager demonstration's working set (default 3)", CMD_RUN,
	 OPT_PASSES},
	{"timeout", 0, "SECONDS", "stop the guest after this many seconds (default 0: no limit)",
	 CMD_RUN, OPT_TIMEOUT},
	{"trace", 0, "FILE", "write every VM event to FILE (see vm68k-trace(5))", CMD_RUN, OPT_TRACE},
	{"trace-format", 0, "FORMAT",
	 "--trace as jsonl (JSON Lines, the default) or chrome (Chrome trace events, for Perfetto)",
	 CMD_RUN, OPT_TRACE_FORMAT},
	{"disk-latency", 0, "TIME",
	 "simulated guest time of one page-in or page-out, e.g. 10ms (default 0: none)", CMD_RUN,
	 OPT_DISK_LATENCY},
	{"headless", 0, NULL, "no window, even with a display (the default without one)", CMD_RUN,
	 OPT_HEADLESS},
	{"screenshot", 0, "FILE",
	 "at exit, write the window (guest screen, page map, legend) to FILE as a BMP image",
	 CMD_RUN, OPT_SCREENSHOT},
	{"keep-window", 0, NULL, "keep the window open after the guest ends, until it is closed",
	 CMD_RUN, OPT_KEEP_WINDOW},
	{"volume", 0, "[NAME=]DIR",
	 "present DIR to the guest as a read-only Mac volume (repeatable; see VOLUMES in vm68k(1))",
	 CMD_RUN, OPT_VOLUME},
	{"volume-rw", 0, "[NAME=]DIR", "present DIR to the guest as a Mac volume it may change",
	 CMD_RUN, OPT_VOLUME_RW},
	{"cpu", 0, "MODEL", "68000, 68010, 68020, 68030 or 68040 (default 68030: virtual memory needs an MMU)",
	 CMD_RUN | CMD_DISASM, OPT_CPU},
	{"max-instructions", 0, "N", "stop the guest after N instructions (default 0: no limit)",
	 CMD_RUN, OPT_MAX_INSTRUCTIONS},
	{"debugstr", 0, "log|break|ignore",
	 "what DebugStr and Debugger do: print the string (default), stop, or nothing", CMD_RUN,
	 OPT_DEBUGSTR},
	{"org", 0, "ADDR", "guest address of the file's first byte (default 0; $, 0x: hex)",
	 CMD_DISASM, OPT_ORG},
	{"debugger", 0, NULL, "enter the MacsBug-style debugger before the first instruction",
	 CMD_RUN, OPT_DEBUGGER},
	{"debugger-commands", 0, "FILE",
	 "run the debugger commands in FILE at each stop instead of reading the terminal", CMD_RUN,
	 OPT_DEBUGGER_COMMANDS},
	{"eval", 'e', "CMDS", "run these debugger commands ('cmd; cmd') at each stop", CMD_RUN,
	 OPT_EVAL},
	{"watch", 0, "ADDR[:LEN]", "set a watch point (hex address, length default 4) before the run",
	 CMD_RUN, OPT_WATCH},
	{"example", 0, "NAME", "run the bundled example NAME instead of an APP (see vm68k examples)",
	 CMD_RUN, OPT_EXAMPLE},
	{"ws-interval", 0, "N",
	 "with --stats, instructions per working-set sample (default 1000000; 0: no samples)",
	 CMD_RUN, OPT_WS_INTERVAL},
	{"deferred-table-size", 0, "N",
	 "entries of VM's deferred user function table, 1-1024 (default 32; full: system error 112)",
	 CMD_RUN, OPT_DEFERRED_TABLE_SIZE},
	{"trace-traps", 0, NULL, "with --trace, also record every A-line trap entry", CMD_RUN,
	 OPT_TRACE_TRAPS},
};
const size_t cli_option_count = sizeof cli_options / sizeof cli_options[0];

void run_config_defaults(struct run_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->ram_bytes = 8u << 20;
	cfg->vm_bytes = 32u << 20;
	cfg->addressing = 32;
	cfg->seed = 1;
	cfg->passes = 3;
	cfg->cpu_model = 3; /* CPU_68030 */
	cfg->ws_interval = 1000000;
}

bool parse_size(const char *text, uint64_t *out)
{
	if (text == NULL || *text < '0' || *text > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno != 0)
		return false;
	unsigned shift = 0;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: return false;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0' || (shift && v > (UINT64_MAX >> shift)))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

bool parse_duration(const char *text, uint64_t *out)
{
	if (text == NULL || *text < '0' || *text > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno != 0)
		return false;
	uint64_t unit;
	if (strcmp(end, "ns") == 0 || (*end == '\0' && v == 0))
		unit = 1;
	else if (strcmp(end, "us") == 0)
		unit = 1000;
	else if (strcmp(end, "ms") == 0)
		unit = 1000000;
	else if (strcmp(end, "s") == 0)
		unit = 1000000000;
	else
		return false;
	if (v > UINT64_MAX / unit)
		return false;
	*out = (uint64_t)v * unit;
	return true;
}

static bool parse_uint(const char *text, uint64_t *out)
{
	if (text == NULL || *text < '0' || *text > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(text, &end, 0);
	if (errno != 0 || *end != '\0')
		return false;
	*out = v;
	return true;
}

static const struct cli_option *find_long(const char *name, size_t len)
{
	for (size_t i = 0; i < cli_option_count; i++)
		if (strlen(cli_options[i].name) == len && memcmp(cli_options[i].name, name, len) == 0)
			return &cli_options[i];
	return NULL;
}

static const struct cli_option *find_short(char c)
{
	for (size_t i = 0; i < cli_option_count; i++)
		if (cli_options[i].short_name == c)
			return &cli_options[i];
	return NULL;
}

/* Returns false after printing a one-line error naming the option. */
static bool apply_option(const struct cli_option *o, const char *value, struct run_config *cfg,
                         bool *want_help)
{
	uint64_t n;
	switch (o->id) {
	case OPT_HELP: *want_help = true; return true;
	case OPT_VERSION: printf("vm68k %s\n", PACKAGE_VERSION); exit(0);
	case OPT_QUIET: cfg->quiet = true; return true;
	case OPT_STATS: cfg->stats = true; return true;
	case OPT_TRACE_TRAPS: cfg->trace_traps = true; return true;
	case OPT_NO_VM: cfg->no_vm = true; return true;
	case OPT_BACKING_STORE: cfg->backing_store = value; return true;
	case OPT_RAM:
	case OPT_VM:
		if (!parse_size(value, &n) || n == 0) {
			fprintf(stderr, "vm68k: --%s: '%s' is not a size (examples: 4096, 512K, 8M, 1G)\n",
			        o->name, value);
			return false;
		}
		if (o->id == OPT_RAM)
			cfg->ram_bytes = n;
		else
			cfg->vm_bytes = n;
		return true;
	case OPT_ADDRESSING:
		if (strcmp(value, "24") == 0)
			cfg->addressing = 24;
		else if (strcmp(value, "32") == 0)
			cfg->addressing = 32;
		else {
			fprintf(stderr, "vm68k: --addressing: '%s' is not 24 or 32\n", value);
			return false;
		}
		return true;
	case OPT_SEED:
		/* 32 bits: `run APP` puts it in the guest's RndSeed, a long. */
		if (!parse_uint(value, &cfg->seed) || cfg->seed > UINT32_MAX) {
			fprintf(stderr, "vm68k: --seed: '%s' is not a whole number from 0 to 4294967295\n",
			        value);
			return false;
		}
		return true;
	case OPT_DISK_LATENCY:
		if (!parse_duration(value, &cfg->disk_latency_ns)) {
			fprintf(stderr,
			        "vm68k: --disk-latency: '%s' is not a time (examples: 0, 500us, 10ms, 1s)\n",
			        value);
			return false;
		}
		return true;
	case OPT_PASSES:
		if (!parse_uint(value, &n) || n == 0 || n > 1000000) {
			fprintf(stderr, "vm68k: --passes: '%s' is not a number from 1 to 1000000\n", value);
			return false;
		}
		cfg->passes = (unsigned)n;
		return true;
	case OPT_TIMEOUT:
		if (!parse_uint(value, &n) || n > 1000000) {
			fprintf(stderr, "vm68k: --timeout: '%s' is not a number of seconds from 0 to 1000000\n",
			        value);
			return false;
		}
		cfg->timeout_seconds = (unsigned)n;
		return true;
	case OPT_HEADLESS: cfg->headless = true; return true;
	case OPT_KEEP_WINDOW: cfg->keep_window = true; return true;
	case OPT_SCREENSHOT:
		if (*value == '\0') {
			fprintf(stderr, "vm68k: --screenshot: the file name is empty\n");
			return false;
		}
		cfg->screenshot_path = value;
		return true;
	case OPT_TRACE:
		cfg->trace_path = value;
		return true;
	case OPT_ORG: {
		/* MacsBug writes hexadecimal as $1A2C */
		char hex[32];
		const char *text = value;
		if (value[0] == '$' && snprintf(hex, sizeof hex, "0x%s", value + 1) < (int)sizeof hex)
			text = hex;
		if (!parse_uint(text, &n) || n > UINT32_MAX) {
			fprintf(stderr,
			        "vm68k: --org: '%s' is not a 32-bit address (examples: 4096, 0x1000, $1000)\n",
			        value);
			return false;
		}
		cfg->org = (uint32_t)n;
		return true;
	}
	case OPT_VOLUME:
	case OPT_VOLUME_RW:
		if (*value == '\0') {
			fprintf(stderr, "vm68k: --%s: the directory is empty\n", o->name);
			return false;
		}
		if (cfg->nvolumes == VM68K_MAX_VOLUMES) {
			fprintf(stderr, "vm68k: --%s %s: at most %d volumes\n", o->name, value,
			        VM68K_MAX_VOLUMES);
			return false;
		}
		cfg->volumes[cfg->nvolumes].arg = value;
		cfg->volumes[cfg->nvolumes].read_write = o->id == OPT_VOLUME_RW;
		cfg->nvolumes++;
		return true;
	case OPT_CPU: {
		static const char *const models[] = {"68000", "68010", "68020", "68030", "68040"};
		for (int m = 0; m < 5; m++)
			if (strcmp(value, models[m]) == 0) {
				cfg->cpu_model = m;
				return true;
			}
		fprintf(stderr, "vm68k: --cpu: '%s' is not 68000, 68010, 68020, 68030 or 68040\n",
		        value);
		return false;
	}
	case OPT_MAX_INSTRUCTIONS:
		if (!parse_uint(value, &cfg->max_instructions)) {
			fprintf(stderr, "vm68k: --max-instructions: '%s' is not a whole number\n", value);
			return false;
		}
		return true;
	case OPT_DEBUGSTR:
		if (strcmp(value, "log") == 0)
			cfg->debugstr = 0;
		else if (strcmp(value, "break") == 0)
			cfg->debugstr = 1;
		else if (strcmp(value, "ignore") == 0)
			cfg->debugstr = 2;
		else {
			fprintf(stderr, "vm68k: --debugstr: '%s' is not log, break or ignore\n", value);
			return false;
		}
		return true;
	case OPT_DEBUGGER: cfg->debugger = true; return true;
	case OPT_DEBUGGER_COMMANDS:
		if (*value == '\0') {
			fprintf(stderr, "vm68k: --debugger-commands: the file name is empty\n");
			return false;
		}
		cfg->debugger_commands = value;
		return true;
	case OPT_EVAL:
		cfg->eval = value;
		return true;
	case OPT_WATCH: {
		char *end;
		errno = 0;
		unsigned long a = strtoul(value[0] == '$' ? value + 1 : value, &end, 16);
		unsigned long len = 4;
		if (*end == ':')
			len = strtoul(end + 1, &end, 16);
		if (errno || *end != '\0' || end == value || a > 0xFFFFFFFFul || len == 0 ||
		    len > 4096) {
			fprintf(stderr,
			        "vm68k: --watch: '%s' is not ADDR[:LEN] (hex address, hex length 1-1000)\n",
			        value);
			return false;
		}
		if (cfg->nwatch == sizeof cfg->watch / sizeof cfg->watch[0]) {
			fprintf(stderr, "vm68k: --watch %s: at most 8 watch points\n", value);
			return false;
		}
		cfg->watch[cfg->nwatch++] = value;
		return true;
	}
	case OPT_EXAMPLE:
		if (*value == '\0') {
			fprintf(stderr, "vm68k: --example: the name is empty (vm68k examples lists them)\n");
			return false;
		}
		cfg->example = value;
		return true;
	case OPT_WS_INTERVAL:
		if (!parse_uint(value, &cfg->ws_interval) || (cfg->ws_interval && cfg->ws_interval < 1000)) {
			fprintf(stderr, "vm68k: --ws-interval: '%s' is not 0 or a number of instructions from 1000\n",
			        value);
			return false;
		}
		return true;
	case OPT_DEFERRED_TABLE_SIZE:
		if (!parse_uint(value, &cfg->deferred_table_size) || cfg->deferred_table_size < 1 ||
		    cfg->deferred_table_size > 1024) {
			fprintf(stderr, "vm68k: --deferred-table-size: '%s' is not a number from 1 to 1024\n",
			        value);
			return false;
		}
		return true;
	case OPT_TRACE_FORMAT: {
		enum trace_format f;
		if (!trace_format_parse(value, &f)) {
			fprintf(stderr, "vm68k: --trace-format: '%s' is not jsonl or chrome\n", value);
			return false;
		}
		cfg->trace_format = (int)f;
		return true;
	}
	}
	return false;
}

int parse_options(int argc, char **argv, int first, enum cli_command cmd, struct run_config *cfg,
                  bool *want_help)
{
	int i = first;
	while (i < argc) {
		const char *arg = argv[i];
		if (strcmp(arg, "--") == 0)
			return i + 1;
		if (arg[0] != '-' || arg[1] == '\0')
			return i;
		const struct cli_option *o;
		const char *value = NULL;
		if (arg[1] == '-') {
			const char *eq = strchr(arg + 2, '=');
			size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
			o = find_long(arg + 2, len);
			if (eq)
				value = eq + 1;
		} else {
			o = arg[2] == '\0' ? find_short(arg[1]) : NULL;
		}
		if (o == NULL) {
			fprintf(stderr, "vm68k: unknown option '%s' (see vm68k --help)\n", arg);
			return -1;
		}
		if (!(o->commands & cmd)) {
			fprintf(stderr, "vm68k: option --%s does not apply here (see vm68k --help)\n",
			        o->name);
			return -1;
		}
		if (o->metavar != NULL && value == NULL) {
			if (i + 1 >= argc) {
				fprintf(stderr, "vm68k: option --%s needs a value (%s)\n", o->name, o->metavar);
				return -1;
			}
			value = argv[++i];
		} else if (o->metavar == NULL && value != NULL) {
			fprintf(stderr, "vm68k: option --%s takes no value\n", o->name);
			return -1;
		}
		if (!apply_option(o, value, cfg, want_help))
			return -1;
		i++;
	}
	return i;
}

void print_help(enum cli_command cmd)
{
	printf("Usage: vm68k COMMAND [OPTIONS] [APP | FILE]\n"
	       "Run classic Mac OS 68K software on Linux; Mac OS virtual memory is made of\n"
	       "real host page protection.\n\n"
	       "Commands:\n"
	       "  run       run a Mac application (APP), or the pager demonstration without one\n"
	       "  map       print the guest memory map a set of options produces\n"
	       "  info      describe a Mac application: forks, resources, jump table, segments\n"
	       "  disasm    list the 68K instructions in a file of raw code bytes\n"
	       "  examples  list the bundled examples (vm68k run --example NAME runs one)\n\n"
	       "Options:\n");
	for (size_t i = 0; i < cli_option_count; i++) {
		const struct cli_option *o = &cli_options[i];
		if (cmd != CMD_NONE && !(o->commands & cmd))
			continue;
		char left[64];
		int n = 0;
		if (o->short_name)
			n = snprintf(left, sizeof left, "-%c, ", o->short_name);
		else
			n = snprintf(left, sizeof left, "    ");
		snprintf(left + n, sizeof left - (size_t)n, "--%s%s%s", o->name, o->metavar ? " " : "",
		         o->metavar ? o->metavar : "");
		printf("  %-26s %s\n", left, o->help);
	}
	printf("\nSee vm68k(1) for details.\n");
}
