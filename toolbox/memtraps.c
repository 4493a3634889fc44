/* The Memory Manager's traps: register glue between the trap dispatcher and
 * toolbox/memory/ (Inside Macintosh: Memory, ch. 2 "Assembly-Language
 * Information"). Each takes its arguments in D0/A0 and returns the result
 * code in D0 (and a pointer, handle or zone in A0 for the traps whose word
 * has bit 8 set); flag bit 9 is CLEAR and bit 10 SYS, as the trap word in
 * D1 says. */
#include "config.h"

#include "toolbox/tb.h"

#define SYS(call) ((call)->word & 0x0400)

static void d0_err(struct toolbox *tb, OSErr e)
{
	tb->cpu.d[0] = (uint32_t)(int32_t)e;
}

NATIVE(NewPtr)
{
	struct cpu *c = &tb->cpu;
	c->a[0] = mm_new_ptr(&tb->mm, (int32_t)c->d[0], call->word & (mm_trapSys | mm_trapClear));
	d0_err(tb, MemError(&tb->mm));
}

NATIVE(DisposePtr)
{
	(void)call;
	d0_err(tb, DisposePtr(&tb->mm, tb->cpu.a[0]));
}

NATIVE(GetPtrSize)
{
	(void)call;
	tb->cpu.d[0] = (uint32_t)GetPtrSize(&tb->mm, tb->cpu.a[0]);
}

NATIVE(SetPtrSize)
{
	(void)call;
	d0_err(tb, SetPtrSize(&tb->mm, tb->cpu.a[0], (int32_t)tb->cpu.d[0]));
}

NATIVE(PtrZone)
{
	(void)call;
	tb->cpu.a[0] = PtrZone(&tb->mm, tb->cpu.a[0]);
	d0_err(tb, MemError(&tb->mm));
}

NATIVE(NewHandle)
{
	struct cpu *c = &tb->cpu;
	c->a[0] =
	    mm_new_handle(&tb->mm, (int32_t)c->d[0], call->word & (mm_trapSys | mm_trapClear));
	d0_err(tb, MemError(&tb->mm));
}

NATIVE(NewEmptyHandle)
{
	tb->cpu.a[0] = SYS(call) ? NewEmptyHandleSys(&tb->mm) : NewEmptyHandle(&tb->mm);
	d0_err(tb, MemError(&tb->mm));
}

NATIVE(DisposeHandle)
{
	(void)call;
	d0_err(tb, DisposeHandle(&tb->mm, tb->cpu.a[0]));
}

NATIVE(GetHandleSize)
{
	(void)call;
	tb->cpu.d[0] = (uint32_t)GetHandleSize(&tb->mm, tb->cpu.a[0]);
}

NATIVE(SetHandleSize)
{
	(void)call;
	d0_err(tb, SetHandleSize(&tb->mm, tb->cpu.a[0], (int32_t)tb->cpu.d[0]));
}

NATIVE(HandleZone)
{
	(void)call;
	tb->cpu.a[0] = HandleZone(&tb->mm, tb->cpu.a[0]);
	d0_err(tb, MemError(&tb->mm));
}

NATIVE(RecoverHandle)
{
	(void)call;
	tb->cpu.a[0] = RecoverHandle(&tb->mm, tb->cpu.a[0]);
	d0_err(tb, MemError(&tb->mm));
}

NATIVE(ReallocHandle)
{
	(void)call;
	d0_err(tb, ReallocateHandle(&tb->mm, tb->cpu.a[0], (int32_t)tb->cpu.d[0]));
}

NATIVE(EmptyHandle)
{
	(void)call;
	d0_err(tb, EmptyHandle(&tb->mm, tb->cpu.a[0]));
}

#define HANDLE_FLAG_TRAP(name)                                                                     \
	NATIVE(name)                                                                               \
	{                                                                                          \
		(void)call;                                                                        \
		d0_err(tb, name(&tb->mm, tb->cpu.a[0]));                                           \
	}
HANDLE_FLAG_TRAP(HLock)
HANDLE_FLAG_TRAP(HUnlock)
HANDLE_FLAG_TRAP(HPurge)
HANDLE_FLAG_TRAP(HNoPurge)
HANDLE_FLAG_TRAP(HSetRBit)
HANDLE_FLAG_TRAP(HClrRBit)
HANDLE_FLAG_TRAP(MoveHHi)

NATIVE(HGetState)
{
	(void)call;
	tb->cpu.d[0] = (uint32_t)HGetState(&tb->mm, tb->cpu.a[0]);
}

NATIVE(HSetState)
{
	(void)call;
	d0_err(tb, HSetState(&tb->mm, tb->cpu.a[0], (uint8_t)tb->cpu.d[0]));
}

NATIVE(MoreMasters)
{
	(void)call;
	d0_err(tb, MoreMasters(&tb->mm));
}

NATIVE(FreeMem)
{
	tb->cpu.d[0] = (uint32_t)(SYS(call) ? FreeMemSys(&tb->mm) : FreeMem(&tb->mm));
}

NATIVE(MaxMem)
{
	int32_t grow = 0;
	tb->cpu.d[0] = (uint32_t)(SYS(call) ? MaxMemSys(&tb->mm, &grow) : MaxMem(&tb->mm, &grow));
	tb->cpu.a[0] = (uint32_t)grow;
}

NATIVE(CompactMem)
{
	int32_t n = (int32_t)tb->cpu.d[0];
	tb->cpu.d[0] = (uint32_t)(SYS(call) ? CompactMemSys(&tb->mm, n) : CompactMem(&tb->mm, n));
}

NATIVE(PurgeMem)
{
	int32_t n = (int32_t)tb->cpu.d[0];
	d0_err(tb, SYS(call) ? PurgeMemSys(&tb->mm, n) : PurgeMem(&tb->mm, n));
}

NATIVE(ResrvMem)
{
	int32_t n = (int32_t)tb->cpu.d[0];
	d0_err(tb, SYS(call) ? ResrvMemSys(&tb->mm, n) : ResrvMem(&tb->mm, n));
}

NATIVE(MaxBlock)
{
	tb->cpu.d[0] = (uint32_t)(SYS(call) ? MaxBlockSys(&tb->mm) : MaxBlock(&tb->mm));
}

NATIVE(PurgeSpace)
{
	(void)call;
	int32_t total = 0, contig = 0;
	PurgeSpace(&tb->mm, &total, &contig);
	tb->cpu.d[0] = (uint32_t)total;
	tb->cpu.a[0] = (uint32_t)contig;
}

NATIVE(StackSpace)
{
	(void)call;
	tb->cpu.d[0] = (uint32_t)StackSpace(&tb->mm, tb->cpu.a[7]);
}

NATIVE(MaxApplZone)
{
	(void)call;
	d0_err(tb, MaxApplZone(&tb->mm));
}

NATIVE(SetApplLimit)
{
	(void)call;
	d0_err(tb, SetApplLimit(&tb->mm, tb->cpu.a[0]));
}

NATIVE(InitApplZone)
{
	(void)call;
	d0_err(tb, InitApplZone(&tb->mm));
}

NATIVE(SetGrowZone)
{
	(void)call;
	SetGrowZone(&tb->mm, tb->cpu.a[0]);
	d0_err(tb, mm_noErr);
}

NATIVE(GetZone)
{
	(void)call;
	tb->cpu.a[0] = GetZone(&tb->mm);
	d0_err(tb, mm_noErr);
}

NATIVE(SetZone)
{
	(void)call;
	SetZone(&tb->mm, tb->cpu.a[0]);
	d0_err(tb, mm_noErr);
}

NATIVE(BlockMove)
{
	(void)call;
	struct cpu *c = &tb->cpu;
	if ((int32_t)c->d[0] > 0)
		BlockMove(&tb->mm, c->a[0], c->a[1], c->d[0]);
	d0_err(tb, mm_noErr);
}

NATIVE(StripAddress)
{
	(void)call;
	tb->cpu.d[0] = StripAddress(&tb->mm, tb->cpu.d[0]);
}
