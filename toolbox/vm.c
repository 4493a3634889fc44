/* The Virtual Memory Manager's API on the pager (Inside Macintosh: Memory,
 * ch. 3; selector numbers from Apple's Memory.h inline code): _MemoryDispatch
 * ($A05C, and $A15C when A0 is a result) and _DebugUtil ($A08D). */
#include "config.h"

#include "toolbox/files.h"
#include "toolbox/tb.h"

enum {
	kPageInMemory = 0,
	kPageOnDisk = 1,
	kNotPaged = 2,
	PHYS_MAX = 64, /* physical entries GetPhysical fills at most */
};

static void system_error_113(struct toolbox *tb)
{
	wr16(tb, DSErrCode, dsVMBadBackingStore);
	tb_stop(tb, 4, "System error 113 (dsVMBadBackingStore) at PC %08X", tb->insn_pc);
}

/* GetPhysical: A0 = LogicalToPhysicalTable (logical address 0, count 4,
 * then physical entries of 8 bytes), A1 = the number of physical entries;
 * A0 out (with $A15C) = the number used. */
static int get_physical(struct toolbox *tb)
{
	struct cpu *c = &tb->cpu;
	gaddr table = c->a[0];
	uint32_t max = c->a[1];
	if (max == 0 || max > PHYS_MAX)
		return paramErr;
	struct pager_physical_range r[PHYS_MAX];
	unsigned n = 0;
	int e = GetPhysical(tb->pager, rd32(tb, table), rd32(tb, table + 4), r, max, &n);
	if (e != noErr)
		return e;
	for (unsigned i = 0; i < n; i++) {
		wr32(tb, table + 8 + 8 * i, r[i].address);
		wr32(tb, table + 12 + 8 * i, r[i].count);
	}
	c->a[0] = n;
	return noErr;
}

/* GetVolumeVirtualMemoryInfo: A0 = VolumeVirtualMemoryInfo (version 0,
 * vRefNum 4, inUse 6, vmOptions 8; version 1). nsvErr for a volume the File
 * Manager does not know; for every volume it knows inUse is false and
 * vmOptions 0: the backing store is a host file on no guest volume.
 * paramErr for another version. */
static int volume_vm_info(struct toolbox *tb)
{
	gaddr info = tb->cpu.a[0];
	if (rd32(tb, info) != 1)
		return paramErr;
	if (tb->fm == NULL)
		return nsvErr;
	int16_t vref = (int16_t)rd16(tb, info + 4);
	uint32_t dir;
	if (vref == 0) /* the default volume */
		fm_get_vol(tb->fm, &vref, &dir);
	struct fm_volume_reply v;
	OSErr e = fm_get_vol_info(tb->fm, 0, vref, &v);
	if (e != noErr)
		return e;
	wr8(tb, info + 6, 0);
	wr32(tb, info + 8, 0);
	return noErr;
}

/* _MemoryDispatch: D0 = selector, A0 = address, A1 = count; D0 result.
 * 0 HoldMemory, 1 UnholdMemory, 2 LockMemory, 3 UnlockMemory,
 * 4 LockMemoryContiguous, 5 GetPhysical, 10 LockMemoryForOutput,
 * 11 MakeMemoryResident (paged in, not held), 12 ReleaseMemoryData,
 * 13 MakeMemoryNonResident, 14 FlushMemory (pager/control.c), 15
 * GetVolumeVirtualMemoryInfo (A0 the VolumeVirtualMemoryInfo). */
NATIVE(MemoryDispatch)
{
	struct cpu *c = &tb->cpu;
	int32_t sel = (int32_t)c->d[0];
	gaddr a = c->a[0];
	uint32_t n = c->a[1];
	int r;
	switch (sel) {
	case 0:
		r = HoldMemory(tb->pager, a, n);
		break;
	case 1:
		r = UnholdMemory(tb->pager, a, n);
		break;
	case 2:
		r = LockMemory(tb->pager, a, n);
		break;
	case 3:
		r = UnlockMemory(tb->pager, a, n);
		break;
	case 4:
		r = LockMemoryContiguous(tb->pager, a, n);
		break;
	case 5:
		r = get_physical(tb);
		break;
	case 10:
		r = LockMemoryForOutput(tb->pager, a, n);
		break;
	case 11:
		r = HoldMemory(tb->pager, a, n);
		if (r == noErr)
			r = UnholdMemory(tb->pager, a, n);
		break;
	case 12:
		r = ReleaseMemoryData(tb->pager, a, n);
		break;
	case 13:
		r = MakeMemoryNonResident(tb->pager, a, n);
		break;
	case 14:
		r = FlushMemory(tb->pager, a, n);
		break;
	case 15:
		r = volume_vm_info(tb);
		break;
	default:
		tb_bad_selector(tb, call, sel);
		return;
	}
	if (r == dsVMBadBackingStore) {
		system_error_113(tb);
		return;
	}
	c->d[0] = (uint32_t)(int32_t)r;
}

/* _DebugUtil: D0 = selector. 0 DebuggerGetMax (the highest selector, 8),
 * 1-3 DebuggerEnter/Exit/Poll (no low-level debugger is attached to the
 * machine: nothing to do), 4 GetPageState(A0), 5 PageFaultFatal (paging
 * unsafe), 6-7 DebuggerLockMemory/UnlockMemory(A0, A1), 8
 * EnterSupervisorMode (D0 = the SR before; the stack stays where it is). */
NATIVE(DebugUtil)
{
	struct cpu *c = &tb->cpu;
	int32_t sel = (int32_t)c->d[0];
	int r;
	switch (sel) {
	case 0:
		c->d[0] = 8;
		return;
	case 1:
	case 2:
	case 3:
		c->d[0] = 0;
		return;
	case 4: {
		struct pager_page_state ps;
		if (!tb->cfg.vm)
			c->d[0] = kNotPaged;
		else if (pager_page_state(tb->pager, c->a[0], &ps) != noErr || !ps.in_ram)
			c->d[0] = kNotPaged;
		else
			c->d[0] = ps.resident ? kPageInMemory : kPageOnDisk;
		return;
	}
	case 5:
		c->d[0] = vmint_paging_unsafe(tb) ? 1 : 0;
		return;
	case 6:
		r = LockMemory(tb->pager, c->a[0], c->a[1]);
		break;
	case 7:
		r = UnlockMemory(tb->pager, c->a[0], c->a[1]);
		break;
	case 8: {
		uint16_t sr = c->sr;
		uint32_t sp = c->a[7];
		c->d[0] = sr;
		cpu_set_sr(c, sr | SR_S);
		c->a[7] = sp;
		return;
	}
	default:
		tb_bad_selector(tb, call, sel);
		return;
	}
	if (r == dsVMBadBackingStore) {
		system_error_113(tb);
		return;
	}
	c->d[0] = (uint32_t)(int32_t)r;
}
