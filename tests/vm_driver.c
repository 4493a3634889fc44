/* The Device Manager and System 7 VM's rule for driver calls: the program
 * installs a small driver (.Echo, hand-written 68K below) with DrvrInstall,
 * opens it by name, and calls Write/Read/Status/Control/KillIO
 * synchronously (results, ioActCount, the unit table and DCE in low
 * memory). Then a VM-immune ('eada') Time Manager task, every 500 µs of
 * guest time, makes an asynchronous Control call with csCode 10, 11, 12, ...
 * while the program sweeps 3 MB through too few frames with --disk-latency.
 * The driver logs each csCode: every call arrives, in order. Calls made
 * while paging is unsafe are deferred (the call returns with ioResult still
 * 1) unless the driver is VM-immune (-DIMMUNE sets dVMImmuneBit in
 * dCtlFlags; its calls also have a completion routine, never deferred).
 * Reports "driver ok" or the failed checks, then "driver unsafe N" (calls
 * made while paging was unsafe) and "driver deferred N". Also
 * GetVolumeVirtualMemoryInfo ($A05C selector 15). */
#include "vm_traps.h"
#include "macfiles.h"

enum {
	BIG = 3 << 20,
	CALLS = 18,
	REF = -33, /* unit 32 */
	controlErr = -17,
	statusErr = -18,
	badUnitErr = -21,
	notOpenErr = -28,
	fnfErr = -43,
};

typedef struct {
	MAC_PB_HEADER;
	int16_t ioCRefNum; /* 24 */
	int16_t csCode;	   /* 26 */
	union {
		void *ptr;
		int16_t word;
		char pad[22];
	} __attribute__((packed)) csParam; /* 28 */
} __attribute__((packed, aligned(2))) CntrlParam;

typedef struct {
	void *dCtlDriver;
	uint16_t dCtlFlags;
	char dCtlQHdr[10];
	int32_t dCtlPosition;
	void *dCtlStorage;
	int16_t dCtlRefNum;
} __attribute__((packed, aligned(2))) DCtlEntry;

#define PBControlSync(pb) MAC_PB_CALL(0xA004, pb)
#define PBControlAsync(pb) MAC_PB_CALL(0xA404, pb)
#define PBStatusSync(pb) MAC_PB_CALL(0xA005, pb)
#define PBKillIOSync(pb) MAC_PB_CALL(0xA006, pb)

static inline OSErr DrvrInstall(const void *drvr, int16_t ref)
{
	int32_t r;
	MAC_A0_D0_TO_D0(0xA03D, drvr, ref, r);
	return (OSErr)r;
}

/* The driver. Header: drvrFlags (read, write, control and status enabled),
 * delay, event mask, menu, the routines' offsets, the name. Prime: ioTrap's
 * low byte 2 is Read (buffer[0] = the byte last written, kept in
 * dCtlPosition's low byte), 3 Write; both set ioActCount = ioReqCount.
 * Control: csCode 1 (killCode) noErr; below 100 appended to the log whose
 * address is in csParam (a long count, then words); else controlErr.
 * Status: csCode 8 puts $1234 in csParam, else statusErr. */
extern const char drvr_hdr[];
__asm__(".text\n"
	"	.even\n"
	"drvr_hdr:\n"
	"	.short 0x0F00, 0, 0, 0\n"
	"	.short d_open-drvr_hdr, d_prime-drvr_hdr, d_ctl-drvr_hdr\n"
	"	.short d_stat-drvr_hdr, d_close-drvr_hdr\n"
	"	.byte 5\n"
	"	.ascii \".Echo\"\n"
	"	.even\n"
	"d_open:	clr.l 16(%a1)\n"
	"d_close:	moveq #0,%d0\n"
	"	rts\n"
	"d_prime:	move.l 36(%a0),40(%a0)\n"
	"	movea.l 32(%a0),%a2\n"
	"	cmpi.b #2,7(%a0)\n"
	"	bne.s 1f\n"
	"	move.b 19(%a1),(%a2)\n"
	"	bra.s 2f\n"
	"1:	move.b (%a2),19(%a1)\n"
	"2:	moveq #0,%d0\n"
	"	rts\n"
	"d_ctl:	move.w 26(%a0),%d1\n"
	"	cmpi.w #1,%d1\n"
	"	beq.s 4f\n"
	"	cmpi.w #100,%d1\n"
	"	bcc.s 3f\n"
	"	movea.l 28(%a0),%a2\n"
	"	move.l (%a2),%d2\n"
	"	addq.l #1,(%a2)\n"
	"	add.l %d2,%d2\n"
	"	move.w %d1,4(%a2,%d2.l)\n"
	"4:	moveq #0,%d0\n"
	"	rts\n"
	"3:	moveq #-17,%d0\n"
	"	rts\n"
	"d_stat:	cmpi.w #8,26(%a0)\n"
	"	bne.s 5f\n"
	"	move.w #0x1234,28(%a0)\n"
	"	moveq #0,%d0\n"
	"	rts\n"
	"5:	moveq #-18,%d0\n"
	"	rts\n");

static struct {
	TMTask tm;
	CntrlParam pb[CALLS];
	struct {
		uint32_t count;
		uint16_t code[CALLS + 8];
	} log;
	uint32_t issued, unsafe, deferred, errors, completions;
} S;

static void completion(void)
{
	S.completions++;
}

static void tm_task(void)
{
	if (S.issued < CALLS) {
		CntrlParam *p = &S.pb[S.issued];
		if (PageFaultFatal())
			S.unsafe++;
		p->ioCRefNum = REF;
		p->csCode = (int16_t)(10 + S.issued); /* not killCode (1) */
		p->csParam.ptr = &S.log;
#ifdef IMMUNE
		p->ioCompletion = (void *)completion;
#endif
		S.errors += PBControlAsync(p) != noErr;
		S.deferred += p->ioResult == 1;
		S.issued++;
	}
	PrimeTime(&S.tm, -500);
}

int main(void)
{
	uint32_t bad = 0;
	char *big = NewPtr(BIG);
	if (big == 0) {
		report("driver", 1);
		ExitToShell();
	}

	/* Installed: a DCE in the unit table at UTableBase. */
	bad |= (DrvrInstall(drvr_hdr, REF) != noErr) << 1;
	bad |= (DrvrInstall(drvr_hdr, REF) != badUnitErr) << 1;
	static volatile uint32_t UTableBase = 0x11C, UnitNtryCnt = 0x1D2;
	DCtlEntry ***utable = *(DCtlEntry ****)UTableBase;
	bad |= (*(uint16_t *)UnitNtryCnt < 33 || utable[32] == 0) << 2;
	DCtlEntry *dce = *utable[32];
	bad |= (dce->dCtlDriver != drvr_hdr || dce->dCtlRefNum != REF ||
		(dce->dCtlFlags & 0xFF20) != 0x0F00)
	       << 2;

	/* Not open yet; then open by name, whatever its case. */
	CntrlParam c = {0};
	c.ioCRefNum = REF;
	c.csCode = 8;
	bad |= (PBStatusSync(&c) != notOpenErr || c.ioResult != notOpenErr) << 3;
	IOParam io = {0};
	io.ioNamePtr = (unsigned char *)"\005.nope";
	bad |= (PBOpenSync(&io) != fnfErr) << 4;
	io.ioNamePtr = (unsigned char *)"\005.echo";
	bad |= (PBOpenSync(&io) != noErr || io.ioRefNum != REF || !(dce->dCtlFlags & 0x20)) << 4;

	/* Write then Read through the driver's Prime routine. */
	char buf[8] = "Q";
	io.ioBuffer = buf;
	io.ioReqCount = 5;
	bad |= (PBWriteSync(&io) != noErr || io.ioActCount != 5) << 5;
	buf[0] = 0;
	io.ioReqCount = 3;
	io.ioActCount = 0;
	bad |= (PBReadSync(&io) != noErr || io.ioActCount != 3 || buf[0] != 'Q') << 5;

	/* Status and Control, their errors, KillIO (killCode). */
	bad |= (PBStatusSync(&c) != noErr || c.csParam.word != 0x1234) << 6;
	c.csCode = 9;
	bad |= (PBStatusSync(&c) != statusErr || c.ioResult != statusErr) << 6;
	c.csCode = 200;
	bad |= (PBControlSync(&c) != controlErr) << 7;
	c.csCode = 77;
	c.csParam.ptr = &S.log;
	bad |= (PBControlSync(&c) != noErr || S.log.count != 1 || S.log.code[0] != 77) << 7;
	bad |= (PBKillIOSync(&c) != noErr || S.log.count != 1) << 7;
	S.log.count = 0;
#ifdef IMMUNE
	dce->dCtlFlags |= 1; /* dVMImmuneBit */
#endif

	/* Asynchronous calls from an 'eada' task while the program pages. What
	 * runs when paging is unsafe is held. */
	bad |= (HoldMemory(&S, sizeof S) != noErr) << 8;
	uint32_t lo = (uint32_t)tm_task, hi = (uint32_t)tm_task;
	uint32_t at[] = {(uint32_t)drvr_hdr, (uint32_t)completion};
	for (unsigned i = 0; i < 2; i++) {
		lo = at[i] < lo ? at[i] : lo;
		hi = at[i] > hi ? at[i] : hi;
	}
	lo = (lo & ~4095u) - 4096;
	bad |= (HoldMemory((void *)lo, hi - lo + 8192) != noErr) << 8;
	S.tm.qLink = (TMTask *)0x65616461; /* 'eada' */
	S.tm.tmAddr = tm_task;
	InsXTime(&S.tm);
	PrimeTime(&S.tm, -500);
	for (int pass = 0; pass < 3 || S.issued < CALLS; pass++)
		for (uint32_t i = 0; i < BIG; i += 4096)
			big[i]++;
	RmvTime(&S.tm);
	bad |= (S.errors != 0) << 9;
	/* The deferred ones are made as paging is safe. */
	uint32_t done = 0;
	for (uint32_t tries = 0; tries < 2000000 && done < CALLS; tries++) {
		done = 0;
		for (unsigned i = 0; i < CALLS; i++)
			done += S.pb[i].ioResult == noErr;
	}
	bad |= (done != CALLS) << 10;
	bad |= (S.log.count != CALLS) << 11;
	for (unsigned i = 0; i < CALLS && i < S.log.count; i++)
		bad |= (S.log.code[i] != 10 + i) << 12;
#ifdef IMMUNE
	for (uint32_t tries = 0; tries < 2000000 && S.completions < CALLS; tries++)
		;
	bad |= (S.completions != CALLS || S.deferred != 0) << 13;
#endif

	/* Closed: calls are refused again. */
	io.ioRefNum = REF;
	bad |= (PBCloseSync(&io) != noErr || (dce->dCtlFlags & 0x20)) << 14;
	c.csCode = 5;
	bad |= (PBControlSync(&c) != notOpenErr) << 14;
	c.ioCRefNum = -47; /* an empty unit */
	bad |= (PBControlSync(&c) != -22) << 15;

	/* GetVolumeVirtualMemoryInfo: the backing store is on no guest volume. */
	struct {
		uint32_t version;
		int16_t vRefNum;
		uint8_t inUse, fill;
		uint32_t vmOptions;
	} __attribute__((packed, aligned(2))) vi = {1, 0, 0xFF, 0, 0xFFFFFFFF};
	int32_t r;
	MAC_A0_D0_TO_D0(0xA05C, &vi, 15, r);
	bad |= (r != noErr || vi.inUse != 0 || vi.vmOptions != 0) << 16;
	vi.vRefNum = -999;
	MAC_A0_D0_TO_D0(0xA05C, &vi, 15, r);
	bad |= (r != -35) << 16; /* nsvErr */
	vi.vRefNum = 0;
	vi.version = 2;
	MAC_A0_D0_TO_D0(0xA05C, &vi, 15, r);
	bad |= (r != paramErr) << 16;

	report("driver", bad);
	say_count("driver unsafe ", S.unsafe);
	say_count("driver deferred ", S.deferred);
	ExitToShell();
}
