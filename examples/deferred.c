/* deferred: the VM Technote's way to system error 112
 * (dsVMDeferredFuncTableFull). A Time Manager task is installed 40 times
 * without RmvTime in between (wrong, and harmless without VM: each queue
 * entry simply runs), primed, and then the program pages. With VM on and
 * page-ins that take guest time, every queued copy falls due while paging
 * is unsafe and VM defers it: more copies than the deferred user function
 * table holds (32 by default, --deferred-table-size) is system error 112,
 * the run ends with exit status 4:
 *   vm68k run --ram 1M --vm 8M --disk-latency 1ms --example deferred
 * With --no-vm all 40 copies run and the program says so. The fix is one
 * RmvTime per InsTime. */
#include "report.h"

enum { PAGE = 4096, COPIES = 40 };

static TMTask t;
static volatile uint32_t runs;

static void task(void)
{
	runs++;
}

int main(void)
{
	Line l;
	int32_t ram = vm_counter(0x72616D20u); /* 'ram ' */
	int32_t size = 2 * ram;
	char *big = 0;
	while (size >= 256 * 1024 && (big = NewPtr(size)) == 0)
		size -= size / 8;
	t.tmAddr = task;
	for (int i = 0; i < COPIES; i++)
		InsTime(&t);
	PrimeTime(&t, 2); /* 2 ms: due in the middle of the paging below */
	for (int pass = 0; big && pass < 2; pass++)
		for (int32_t i = 0; i < size; i += PAGE)
			big[i]++;
	for (uint32_t i = 0; i < 1000000 && runs < COPIES; i++)
		;
	line_start(&l);
	line_field(&l, "deferred: InsTime ", COPIES);
	line_field(&l, " times without RmvTime, then paged ", size / 1024);
	line_field(&l, " KB: the task ran ", (int32_t)runs);
	line_text(&l, " times");
	line_say(&l);
	return runs == COPIES ? 0 : 1;
}
