/* Every call in tools/mactraps.h once, with arguments tests/minimac.c can
 * recognise: minimac (in -glue mode) prints the registers or stack words each
 * trap takes by Inside Macintosh's conventions and returns known values;
 * this program checks it got them back through the glue. Built by
 * tests/elf2mac_run.sh. */
#include "mactraps.h"

static int bad;

static void expect(int32_t got, int32_t want)
{
	if (got != want)
		bad++;
}

static void deferred(void) {}

static void task(void) {}

int main(void)
{
	Ptr p = (Ptr)0x11110000;
	Handle h = (Handle)0x22220000;
	expect((int32_t)NewPtr(0x101), 0x50000101);
	expect((int32_t)NewPtrClear(0x102), 0x50000102);
	expect((int32_t)NewPtrSys(0x103), 0x50000103);
	expect(DisposePtr(p), (int16_t)0xA01F);
	expect(GetPtrSize(p), 0xA021);
	expect(SetPtrSize(p, 0x104), (int16_t)0xA020);
	expect((int32_t)NewHandle(0x105), 0x50000105);
	expect((int32_t)NewHandleClear(0x106), 0x50000106);
	expect(DisposeHandle(h), (int16_t)0xA023);
	expect(GetHandleSize(h), 0xA025);
	expect(SetHandleSize(h, 0x107), (int16_t)0xA024);
	expect(HLock(h), (int16_t)0xA029);
	expect(HUnlock(h), (int16_t)0xA02A);
	expect(BlockMove((const void *)0x33330000, (void *)0x44440000, 0x108), (int16_t)0xA02E);
	expect(HoldMemory(p, 0x109), 0);
	expect(UnholdMemory(p, 0x10A), 1);
	expect(LockMemory(p, 0x10B), 2);
	expect(UnlockMemory(p, 0x10C), 3);
	expect(LockMemoryContiguous(p, 0x10D), 4);
	expect(LockMemoryForOutput(p, 0x10E), 10);
	expect(DeferUserFn(deferred, (void *)0x55550000), (int16_t)0xA08F);
	expect(DebuggerGetMax(), 0);
	expect(GetPageState(p), 4);
	expect(PageFaultFatal(), 5);
	TMTask t = {0, 5, task, 0x77, 0, 0};
	InsTime(&t);
	InsXTime(&t);
	PrimeTime(&t, 0x10F);
	RmvTime(&t);
	expect((int32_t)Delay(0x110), 0x4444);
	int32_t response = 0;
	expect(Gestalt(0x73797376 /* 'sysv' */, &response), 0);
	expect(response, 0x0755);
	UnsignedWide us;
	Microseconds(&us);
	expect((int32_t)us.hi, 0x1234);
	expect((int32_t)us.lo, 0x56789ABC);
	FlushInstructionCache();
	expect((int32_t)TickCount(), 0x12345678);
	SysBeep(0x111);
	Debugger();
	if (bad == 0)
		DebugStr(PSTR("glue ok"));
	else
		DebugStr(PSTR("glue MISMATCH"));
	return 0;
}
