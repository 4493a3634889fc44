/* The VM API through its traps: _MemoryDispatch (Hold/Unhold/Lock/Unlock,
 * GetPhysical; paging control: FlushMemory, MakeMemoryNonResident,
 * MakeMemoryResident, ReleaseMemoryData) with Mac error codes, and _DebugUtil (DebuggerGetMax,
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
	/* Paging control: data written out and evicted comes back; released
	 * data reads as zeros. */
	volatile uint32_t *w = (volatile uint32_t *)(page + 3 * 4096);
	for (int i = 0; i < 2048; i++)
		w[i] = 0x5A000000u + (uint32_t)i;
	bad |= (FlushMemory((void *)w, 8192) != noErr) << 15;
	bad |= (GetPageState((void *)w) != kPageInMemory) << 16;
	bad |= (MakeMemoryNonResident((void *)w, 8192) != noErr) << 17;
	bad |= (GetPageState((void *)w) != kPageOnDisk || GetPageState((void *)(w + 1024)) != kPageOnDisk) << 18;
	bad |= (MakeMemoryResident((void *)w, 4096) != noErr || GetPageState((void *)w) != kPageInMemory) << 19;
	for (int i = 0; i < 2048; i++)
		if (w[i] != 0x5A000000u + (uint32_t)i)
			bad |= 1u << 20;
	bad |= (ReleaseMemoryData((void *)w, 8192) != noErr) << 21;
	bad |= (w[0] != 0 || w[1024] != 0 || w[2047] != 0) << 22;
	bad |= (MakeMemoryNonResident((void *)0x7FFF0000, 4096) != paramErr) << 23;
	report("vmapi", bad);
	ExitToShell();
}
