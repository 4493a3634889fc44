/* `vm68k run` and `vm68k map` before the pager exists. Replaced by the pager
 * demonstration. */
#include "config.h"

#include "host/host.h"

#include <stdio.h>

int cmd_run(const struct run_config *cfg)
{
	(void)cfg;
	fprintf(stderr, "vm68k run: the pager is not built yet\n");
	return EXIT_FAILURE_RUN;
}

int cmd_map(const struct run_config *cfg)
{
	(void)cfg;
	fprintf(stderr, "vm68k map: the pager is not built yet\n");
	return EXIT_FAILURE_RUN;
}
