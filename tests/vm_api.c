/* The VM API through its traps: _MemoryDispatch (Hold/Unhold/Lock/Unlock,
 * GetPhysical) with Mac error codes, and _DebugUtil (DebuggerGetMax,
 * GetPageState, PageFaultFatal). Run with VM on; reports "vmapi ok" or the
 * failed checks. Built by tests/vm_interrupts_test.sh. */
#include "vm_traps.h"

int main(void)
{
	uint32_t bad = 0;
	enum { SIZE = 256 * 1024 };
	char *buf = NewPtr(SIZE);
	bad |= (buf == 0) << 0;
	char *page = (char *)(((uint32_t)buf + 8191) & ~4095u);
	page[0] = 1;
	bad |= (HoldMemory(page, 8192) != noErr) << 1;
	bad |= (GetPageState(page + 4096) != kPageInMemory) << 2;
	bad |= (UnholdMemory(page, 8192) != noErr) << 3;
	bad |= (UnholdMemory(page, 8192) != notHeldErr) << 4;
	bad |= (LockMemory(page, 4096) != noErr) << 5;
	LogicalToPhysicalTable t;
	t.logical.address = page;
	t.logical.count = 4096;
	uint32_t n = 8;
	bad |= (GetPhysical(&t, &n) != noErr) << 6;
	bad |= (n != 1 || t.physical[0].count != 4096 || ((uint32_t)t.physical[0].address & 4095) != 0) << 7;
	bad |= (UnlockMemory(page, 4096) != noErr) << 8;
	bad |= (UnlockMemory(page, 4096) != notLockedErr) << 9;
	bad |= (HoldMemory((void *)0x7FFF0000, 4096) != paramErr) << 10;
	bad |= (DebuggerGetMax() != 8) << 11;
	bad |= (PageFaultFatal() != 0) << 12;
	/* never touched, far into the block: not in memory */
	bad |= (GetPageState(buf + SIZE - 8192) != kPageOnDisk) << 13;
	bad |= (GetPageState((void *)0x7FFF0000) != kNotPaged) << 14;
	report("vmapi", bad);
	ExitToShell();
}
