/* A minimal Device Manager (Inside Macintosh: Devices, ch. 1; Volume II,
 * ch. 6) for drivers the application installs itself with DrvrInstall:
 * the unit table at UTableBase ($11C, UnitNtryCnt $1D2 entries) holds
 * handles to device control entries in the system heap, and Open, Close,
 * Read, Write, Control, Status and KillIO call the driver's routines as
 * 68K code (A0 = the parameter block, A1 = the DCE). Every call is treated
 * as immediate: the routine's D0 when it returns (RTS) is the result;
 * an asynchronous call then queues its completion routine, which VM
 * defers unless the DCE has dVMImmuneBit. A Read/Write/Control/Status call
 * made while paging is unsafe is user code to System 7 VM: unless the
 * driver is VM-immune it waits in the deferred user function table and is
 * made, in order, by the ROM's driver-call stub when paging is safe. */
#include "config.h"

#include "toolbox/tb.h"

enum {
	UNIT_COUNT = 48, /* UnitNtryCnt: System 7's default unit table size */
	/* ParamBlockRec (IOParam / CntrlParam) */
	ioTrap = 6,
	ioCompletion = 12,
	ioResult = 16,
	ioNamePtr = 18,
	ioRefNum = 24,
	csCode = 26,
	/* the driver header */
	drvrFlags = 0,
	drvrDelay = 2,
	drvrEMask = 4,
	drvrMenu = 6,
	drvrOpen = 8,
	drvrPrime = 10,
	drvrCtl = 12,
	drvrStatus = 14,
	drvrClose = 16,
	drvrName = 18,
	/* DCtlEntry */
	dCtlDriver = 0,
	dCtlFlags = 4,
	dCtlQHdr = 6,
	dCtlPosition = 16,
	dCtlStorage = 20,
	dCtlRefNum = 24,
	dCtlCurTicks = 26,
	dCtlWindow = 30,
	dCtlDelay = 34,
	dCtlEMask = 36,
	dCtlMenu = 38,
	DCE_SIZE = 40,
	/* dCtlFlags (the high byte is drvrFlags' high byte) */
	dVMImmuneMask = 0x0001, /* dVMImmuneBit = 0 */
	dOpenedMask = 0x0020,
	dReadEnableMask = 0x0100,
	dWritEnableMask = 0x0200,
	dCtlEnableMask = 0x0400,
	dStatEnableMask = 0x0800,
	kAsyncBit = 0x0400,
	killCode = 1,
	/* errors */
	controlErr = -17,
	statusErr = -18,
	readErr = -19,
	writErr = -20,
	badUnitErr = -21,
	unitEmptyErr = -22,
	notOpenErr = -28,
	fnfErr = -43,
};

/* The driver's routines, in header order. */
enum { CALL_OPEN, CALL_PRIME, CALL_CONTROL, CALL_STATUS, CALL_CLOSE };

bool tb_devmgr_init(struct toolbox *tb)
{
	gaddr table = NewPtrSysClear(&tb->mm, UNIT_COUNT * 4);
	if (table == 0)
		return false;
	wr32(tb, UTableBase, table);
	wr16(tb, UnitNtryCnt, UNIT_COUNT);
	return true;
}

/* The DCE pointer of refnum, or 0 with *e the error. */
static gaddr dce_of(struct toolbox *tb, int16_t ref, OSErr *e)
{
	int unit = -ref - 1;
	if (ref >= 0 || unit >= (int16_t)rd16(tb, UnitNtryCnt)) {
		*e = badUnitErr;
		return 0;
	}
	gaddr h = rd32(tb, rd32(tb, UTableBase) + 4u * (unsigned)unit);
	gaddr dce = h ? rd32(tb, h) & tb->mask : 0;
	if (dce == 0 || rd32(tb, dce + dCtlDriver) == 0) {
		*e = unitEmptyErr;
		return 0;
	}
	*e = noErr;
	return dce;
}

static gaddr routine_of(struct toolbox *tb, gaddr dce, unsigned which)
{
	static const unsigned off[] = {drvrOpen, drvrPrime, drvrCtl, drvrStatus, drvrClose};
	gaddr drvr = rd32(tb, dce + dCtlDriver) & tb->mask;
	return drvr + rd16(tb, drvr + off[which]);
}

/* _DrvrInstall ($A03D): A0 the driver (its header), D0.W the refnum. The
 * DCE is a new locked handle in the system heap; D0 noErr, memFullErr, or
 * badUnitErr for a refnum outside the unit table or a unit already in use
 * (vm68k has no drivers of its own for a program to replace). */
NATIVE(DrvrInstall)
{
	(void)call;
	struct cpu *c = &tb->cpu;
	gaddr drvr = c->a[0];
	int16_t ref = (int16_t)c->d[0];
	int unit = -ref - 1;
	if (ref >= 0 || unit >= (int16_t)rd16(tb, UnitNtryCnt)) {
		c->d[0] = (uint32_t)(int32_t)badUnitErr;
		return;
	}
	gaddr slot = rd32(tb, UTableBase) + 4u * (unsigned)unit;
	if (rd32(tb, slot) != 0) {
		c->d[0] = (uint32_t)(int32_t)badUnitErr;
		return;
	}
	gaddr h = NewHandleSysClear(&tb->mm, DCE_SIZE);
	if (h == 0) {
		c->d[0] = (uint32_t)(int32_t)memFullErr;
		return;
	}
	HLock(&tb->mm, h);
	gaddr dce = rd32(tb, h) & tb->mask;
	uint16_t flags = (uint16_t)rd16(tb, drvr + drvrFlags);
	wr32(tb, dce + dCtlDriver, drvr);
	wr16(tb, dce + dCtlFlags, (uint16_t)(flags & 0xFF00)); /* dRAMBased clear: a pointer */
	wr16(tb, dce + dCtlRefNum, (uint16_t)ref);
	wr16(tb, dce + dCtlDelay, rd16(tb, drvr + drvrDelay));
	wr16(tb, dce + dCtlEMask, rd16(tb, drvr + drvrEMask));
	wr16(tb, dce + dCtlMenu, rd16(tb, drvr + drvrMenu));
	wr32(tb, slot, h);
	c->d[0] = noErr;
}

/* The end of a call: ioResult and D0; an asynchronous call's completion
 * routine is queued, not deferred by VM if the driver is VM-immune. */
static void finish(struct toolbox *tb, gaddr pb, uint16_t trap, int16_t e)
{
	wr16(tb, pb + ioResult, (uint16_t)e);
	tb->cpu.d[0] = (uint32_t)(int32_t)e;
	if (trap & kAsyncBit) {
		OSErr ignore;
		gaddr dce = dce_of(tb, (int16_t)rd16(tb, pb + ioRefNum), &ignore);
		bool immune = dce && (rd16(tb, dce + dCtlFlags) & dVMImmuneMask);
		tb_io_complete(tb, pb, rd32(tb, pb + ioCompletion), e, immune);
	}
}

/* A driver routine returned (cookie: the pb, whose ioTrap names the call). */
static void routine_done(struct toolbox *tb, uint32_t pb, uint32_t d0)
{
	uint16_t trap = (uint16_t)rd16(tb, pb + ioTrap);
	int16_t e = (int16_t)d0;
	OSErr ignore;
	gaddr dce = dce_of(tb, (int16_t)rd16(tb, pb + ioRefNum), &ignore);
	if (dce && e == noErr) {
		uint16_t f = (uint16_t)rd16(tb, dce + dCtlFlags);
		if ((trap & 0xFF) == 0x00)
			wr16(tb, dce + dCtlFlags, f | dOpenedMask);
		else if ((trap & 0xFF) == 0x01)
			wr16(tb, dce + dCtlFlags, f & ~dOpenedMask);
	}
	finish(tb, pb, trap, e);
}

static unsigned which_of(uint16_t trap)
{
	switch (trap & 0xFF) {
	case 0x00:
		return CALL_OPEN;
	case 0x01:
		return CALL_CLOSE;
	case 0x02:
	case 0x03:
		return CALL_PRIME;
	case 0x04:
	case 0x06:
		return CALL_CONTROL;
	default:
		return CALL_STATUS;
	}
}

/* The ROM's driver-call stub, reached as 68K code from the deferred user
 * function table: A0 the pb (its ioTrap says which call), A1 the DCE. */
void tb_driver_call_stub(struct toolbox *tb)
{
	struct cpu *c = &tb->cpu;
	gaddr pb = c->a[0], dce = c->a[1];
	c->pc = rd32(tb, c->a[7]); /* RTS: the driver's routine returns there */
	c->a[7] += 4;
	if (tb->dev_waiting)
		tb->dev_waiting--;
	uint16_t trap = (uint16_t)rd16(tb, pb + ioTrap);
	tb_call68k(tb, routine_of(tb, dce, which_of(trap)), 0, pb, dce, routine_done, pb);
}

/* Every Device Manager call: the pb at A0, the trap word. */
static void dev_call(struct toolbox *tb, const struct tb_call *call, gaddr dce)
{
	struct cpu *c = &tb->cpu;
	gaddr pb = c->a[0];
	uint16_t trap = call->word;
	unsigned which = which_of(trap);
	wr16(tb, pb + ioTrap, trap);
	wr16(tb, pb + ioResult, 1); /* in progress */
	uint16_t f = (uint16_t)rd16(tb, dce + dCtlFlags);
	static const uint16_t enable[] = {0, dReadEnableMask, dWritEnableMask, dCtlEnableMask,
					  dStatEnableMask};
	static const int16_t refuse[] = {0, readErr, writErr, controlErr, statusErr};
	unsigned k = (trap & 0xFF) == 0x02   ? 1
		     : (trap & 0xFF) == 0x03 ? 2
		     : which == CALL_CONTROL ? 3
		     : which == CALL_STATUS  ? 4
					     : 0;
	if (k && !(f & enable[k])) {
		finish(tb, pb, trap, refuse[k]);
		return;
	}
	if (k && !(f & dOpenedMask)) {
		finish(tb, pb, trap, notOpenErr);
		return;
	}
	if ((trap & 0xFF) == 0x06) /* KillIO: the control routine with killCode */
		wr16(tb, pb + csCode, killCode);
	/* VM: user code while paging is unsafe waits, and so does every
	 * call after it until the waiting ones have been made (order). */
	if (k && !(f & dVMImmuneMask) && (vmint_paging_unsafe(tb) || tb->dev_waiting)) {
		struct vmint_call d = {.proc = tb->stub_driver_call,
				       .a0 = pb,
				       .a1 = dce,
				       .kind = VK_DRIVER_CALL,
				       .due_ns = tb_guest_ns(tb)};
		if (!vmint_defer(tb, &d))
			return; /* system error 112 */
		tb->dev_waiting++;
		tb->dev_deferred++;
		c->d[0] = 0;
		return;
	}
	tb_call68k_after_trap(tb, routine_of(tb, dce, which), 0, pb, dce, routine_done, pb);
}

/* Pascal string equality, ignoring ASCII case. */
static bool same_name(struct toolbox *tb, gaddr a, gaddr b)
{
	unsigned n = rd8(tb, a);
	if (n != rd8(tb, b))
		return false;
	for (unsigned i = 1; i <= n; i++) {
		unsigned x = rd8(tb, a + i), y = rd8(tb, b + i);
		if (x >= 'a' && x <= 'z')
			x -= 32;
		if (y >= 'a' && y <= 'z')
			y -= 32;
		if (x != y)
			return false;
	}
	return true;
}

bool tb_dev_open(struct toolbox *tb, struct tb_call *call)
{
	struct cpu *c = &tb->cpu;
	gaddr pb = c->a[0];
	gaddr name = rd32(tb, pb + ioNamePtr);
	if (name == 0 || rd8(tb, name) == 0 || rd8(tb, name + 1) != '.')
		return false;
	int n = (int16_t)rd16(tb, UnitNtryCnt);
	for (int unit = 0; unit < n; unit++) {
		int16_t ref = (int16_t)(-unit - 1);
		OSErr e;
		gaddr dce = dce_of(tb, ref, &e);
		if (dce == 0)
			continue;
		gaddr drvr = rd32(tb, dce + dCtlDriver) & tb->mask;
		if (!same_name(tb, name, drvr + drvrName))
			continue;
		wr16(tb, pb + ioRefNum, (uint16_t)ref);
		if (rd16(tb, dce + dCtlFlags) & dOpenedMask) {
			wr16(tb, pb + ioTrap, call->word);
			finish(tb, pb, call->word, noErr);
		} else {
			dev_call(tb, call, dce);
		}
		return true;
	}
	wr16(tb, pb + ioTrap, call->word);
	finish(tb, pb, call->word, fnfErr);
	return true;
}

bool tb_dev_refnum_call(struct toolbox *tb, struct tb_call *call)
{
	gaddr pb = tb->cpu.a[0];
	int16_t ref = (int16_t)rd16(tb, pb + ioRefNum);
	if (ref >= 0)
		return false;
	OSErr e;
	gaddr dce = dce_of(tb, ref, &e);
	if (dce == 0) {
		wr16(tb, pb + ioTrap, call->word);
		finish(tb, pb, call->word, e);
		return true;
	}
	if ((call->word & 0xFF) == 0x01 && !(rd16(tb, dce + dCtlFlags) & dOpenedMask)) {
		wr16(tb, pb + ioTrap, call->word);
		finish(tb, pb, call->word, noErr); /* closing a closed driver */
		return true;
	}
	dev_call(tb, call, dce);
	return true;
}

/* _Control ($A004), _Status ($A005), _KillIO ($A006): A0 the pb, which
 * names the driver by ioRefNum (ioCRefNum). */
NATIVE(DeviceCall)
{
	if (!tb_dev_refnum_call(tb, call))
		finish(tb, tb->cpu.a[0], call->word, badUnitErr);
}
