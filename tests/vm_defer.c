/* The Technote's way to system error 112: a Time Manager task installed 40
 * times without RmvTime, primed, while the program pages. With VM on each
 * queued copy falls due while paging is unsafe and is deferred: more than
 * the deferred-function table holds is dsVMDeferredFuncTableFull. With VM
 * off (or a table large enough) all 40 run: "deferred ok". */
#include "vm_traps.h"

enum { COPIES = 40, BIG = 3 << 20 };

static TMTask t;
static volatile uint32_t runs;

static void task(void)
{
	runs++;
}

int main(void)
{
	t.tmAddr = task;
	for (int i = 0; i < COPIES; i++)
		InsTime(&t); /* no RmvTime in between: wrong, and harmless without VM */
	PrimeTime(&t, 2);
	char *big = NewPtr(BIG);
	for (int pass = 0; big && pass < 2; pass++)
		for (uint32_t i = 0; i < BIG; i += 4096)
			big[i]++;
	for (uint32_t i = 0; i < 1000000 && runs < COPIES; i++)
		;
	report("deferred", runs != COPIES);
	ExitToShell();
}
