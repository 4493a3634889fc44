/* vm68k's entry point: picks the subcommand and hands it the parsed options. */
#include "config.h"

#include "host/host.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	enum cli_command cmd;
	int (*fn)(const struct run_config *);
	int takes_app; /* 0: none; 1: exactly one APP after the options; 2: one or none */
	const char *arg; /* what that argument is, for messages */
} commands[] = {
	{"run", CMD_RUN, cmd_run, 2, "APP"},
	{"map", CMD_MAP, cmd_map, 0, NULL},
	{"info", CMD_INFO, cmd_info, 1, "APP"},
	{"disasm", CMD_DISASM, cmd_disasm, 1, "FILE"},
	{"examples", CMD_EXAMPLES, cmd_examples, 0, NULL},
};

int main(int argc, char **argv)
{
	struct run_config cfg;
	run_config_defaults(&cfg);
	bool want_help = false;

	if (argc < 2) {
		print_help(CMD_NONE);
		return EXIT_USAGE;
	}
	if (argv[1][0] == '-') {
		int next = parse_options(argc, argv, 1, CMD_ALL, &cfg, &want_help);
		if (next < 0)
			return EXIT_USAGE;
		print_help(CMD_NONE);
		return want_help ? EXIT_OK : EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		int next = parse_options(argc, argv, 2, commands[i].cmd, &cfg, &want_help);
		if (next < 0)
			return EXIT_USAGE;
		if (want_help) {
			print_help(commands[i].cmd);
			return EXIT_OK;
		}
		if (commands[i].takes_app == 2 && next < argc) {
			cfg.app = argv[next++];
		} else if (commands[i].takes_app == 1) {
			if (next >= argc) {
				fprintf(stderr, "vm68k %s: which %s? (vm68k %s %s)\n", argv[1],
				        strcmp(commands[i].arg, "APP") ? "file" : "application", argv[1],
				        commands[i].arg);
				return EXIT_USAGE;
			}
			cfg.app = argv[next++];
		}
		if (commands[i].takes_app == 1) {
			/* options may follow it too: vm68k disasm FILE --org $1000 */
			next = parse_options(argc, argv, next, commands[i].cmd, &cfg, &want_help);
			if (next < 0)
				return EXIT_USAGE;
			if (want_help) {
				print_help(commands[i].cmd);
				return EXIT_OK;
			}
		}
		if (next < argc) {
			fprintf(stderr, "vm68k %s: unexpected argument '%s'\n", argv[1], argv[next]);
			return EXIT_USAGE;
		}
		return commands[i].fn(&cfg);
	}
	fprintf(stderr, "vm68k: unknown command '%s' (commands: run, map, info, disasm, examples; see vm68k --help)\n",
	        argv[1]);
	return EXIT_USAGE;
}
