/* `vm68k disasm FILE`: lists the 68K instructions in a file of raw code
 * bytes, through the disassembler that guest/ derives from its one
 * instruction table. */
#include "config.h"

#include "host/host.h"
#include "guest/guest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_disasm(const struct run_config *cfg)
{
	FILE *f = fopen(cfg->app, "rb");
	if (f == NULL) {
		fprintf(stderr, "vm68k disasm: %s: %s\n", cfg->app, strerror(errno));
		return EXIT_BAD_INPUT;
	}
	size_t len = 0, cap = 65536;
	uint8_t *bytes = malloc(cap);
	for (;;) {
		if (bytes != NULL && len == cap) {
			uint8_t *more = realloc(bytes, cap *= 2);
			if (more == NULL)
				free(bytes);
			bytes = more;
		}
		if (bytes == NULL) {
			fprintf(stderr, "vm68k disasm: %s: out of memory after %zu bytes\n", cfg->app,
			        len);
			fclose(f);
			return EXIT_FAILURE_RUN;
		}
		size_t n = fread(bytes + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		fprintf(stderr, "vm68k disasm: %s: read error after %zu bytes\n", cfg->app, len);
		free(bytes);
		return EXIT_BAD_INPUT;
	}
	if ((uint64_t)cfg->org + len > 0x100000000ull) {
		fprintf(stderr,
		        "vm68k disasm: %s: %zu bytes at --org $%08X pass the end of the 4 GiB "
		        "address space\n",
		        cfg->app, len, (unsigned)cfg->org);
		free(bytes);
		return EXIT_BAD_INPUT;
	}
	cpu_disasm_listing((enum cpu_model)cfg->cpu_model, cfg->org, bytes, len, stdout);
	free(bytes);
	return EXIT_OK;
}
