/* Stand-in for vm68k_backend.c while guest/ has no interpreter: there is no
 * backend to compare with, so the diff test reports itself skipped (77).
 * Plugging in the CPU = replacing this file by vm68k_backend.c in local.mk. */
#include "config.h"

#include "tests/diff/diff.h"

struct diff_backend *diff_vm68k_backend(enum diff_cpu cpu)
{
	(void)cpu;
	return NULL;
}
