/* toolbox/memory/traps.c: the Memory Manager's register-based traps, for
 * the trap dispatcher: one table of trap numbers, names and register
 * conventions (Inside Macintosh: Memory, "Assembly-language information" of
 * each routine), one entry point. In OS traps bit 10 of the trap word
 * selects the system zone and bit 9 clears the new block; the five Toolbox
 * traps here take registers too, and their flag bits mean nothing to us. */
#include "config.h"

#include "toolbox/memory/mm_internal.h"

/* How a trap takes and returns its values. */
enum conv {
	cvZoneOnly,	 /* () -> D0 = result code */
	cvPtrIn,	 /* A0 -> D0 = result code */
	cvPtrSizeIn,	 /* A0, D0 -> D0 = result code */
	cvNewPtr,	 /* D0 = size -> A0 = block, D0 = result code */
	cvSizeOut,	 /* A0 -> D0 = size or (negative) result code */
	cvZoneOut,	 /* A0 -> A0 = zone, D0 = result code */
	cvLongOut,	 /* () -> D0 = value */
	cvLongInOut,	 /* D0 -> D0 */
	cvLongOutA0,	 /* () -> D0 = value, A0 = second value */
	cvRecoverHandle, /* A0 = pointer -> A0 = handle; D0 untouched */
	cvBlockMove,	 /* A0 = source, A1 = destination, D0 = count -> D0 */
	cvInitZone,	 /* A0 = parameter block -> D0 */
	cvGetZone,	 /* () -> A0 = zone, D0 = result code */
	cvStackSpace,	 /* () -> D0 = bytes between heap and SP */
	cvHandUtil,	 /* A0, A1, D0 -> A0 = handle, D0 = result code */
};

struct mm_trap {
	uint16_t number; /* trap word with the flag bits clear, e.g. 0xA022 */
	const char *name;
	enum conv conv;
	bool sys_bit; /* honours $400 (system zone) */
};

static const struct mm_trap traps[] = {
    {0xA019, "InitZone", cvInitZone, false},
    {0xA01A, "GetZone", cvGetZone, false},
    {0xA01B, "SetZone", cvPtrIn, false},
    {0xA01C, "FreeMem", cvLongOut, true},
    {0xA01D, "MaxMem", cvLongOutA0, true},
    {0xA01E, "NewPtr", cvNewPtr, true},
    {0xA01F, "DisposePtr", cvPtrIn, false},
    {0xA020, "SetPtrSize", cvPtrSizeIn, false},
    {0xA021, "GetPtrSize", cvSizeOut, false},
    {0xA022, "NewHandle", cvNewPtr, true},
    {0xA023, "DisposeHandle", cvPtrIn, false},
    {0xA024, "SetHandleSize", cvPtrSizeIn, false},
    {0xA025, "GetHandleSize", cvSizeOut, false},
    {0xA026, "HandleZone", cvZoneOut, false},
    {0xA027, "ReallocateHandle", cvPtrSizeIn, false},
    {0xA028, "RecoverHandle", cvRecoverHandle, true},
    {0xA029, "HLock", cvPtrIn, false},
    {0xA02A, "HUnlock", cvPtrIn, false},
    {0xA02B, "EmptyHandle", cvPtrIn, false},
    {0xA02C, "InitApplZone", cvZoneOnly, false},
    {0xA02D, "SetApplLimit", cvPtrIn, false},
    {0xA02E, "BlockMove", cvBlockMove, false},
    {0xA036, "MoreMasters", cvZoneOnly, false},
    {0xA040, "ResrvMem", cvLongInOut, true},
    {0xA048, "PtrZone", cvZoneOut, false},
    {0xA049, "HPurge", cvPtrIn, false},
    {0xA04A, "HNoPurge", cvPtrIn, false},
    {0xA04B, "SetGrowZone", cvPtrIn, false},
    {0xA04C, "CompactMem", cvLongInOut, true},
    {0xA04D, "PurgeMem", cvLongInOut, true},
    {0xA055, "StripAddress", cvLongInOut, false},
    {0xA057, "SetApplBase", cvPtrIn, false},
    {0xA061, "MaxBlock", cvLongOut, true},
    {0xA062, "PurgeSpace", cvLongOutA0, true},
    {0xA063, "MaxApplZone", cvZoneOnly, false},
    {0xA064, "MoveHHi", cvPtrIn, false},
    {0xA065, "StackSpace", cvStackSpace, false},
    {0xA066, "NewEmptyHandle", cvGetZone, true},
    {0xA067, "HSetRBit", cvPtrIn, false},
    {0xA068, "HClrRBit", cvPtrIn, false},
    {0xA069, "HGetState", cvSizeOut, false},
    {0xA06A, "HSetState", cvPtrSizeIn, false},
    {0xA9E1, "HandToHand", cvHandUtil, false},
    {0xA9E2, "PtrToXHand", cvHandUtil, false},
    {0xA9E3, "PtrToHand", cvHandUtil, false},
    {0xA9E4, "HandAndHand", cvHandUtil, false},
    {0xA9EF, "PtrAndHand", cvHandUtil, false},
};

static const struct mm_trap *find(uint16_t trap)
{
	uint16_t n;
	if ((trap & 0xF800) == 0xA000)
		n = (uint16_t)(0xA000 | (trap & 0x00FF)); /* OS trap: flags in bits 8-10 */
	else if ((trap & 0xF800) == 0xA800)
		n = (uint16_t)(0xA800 | (trap & 0x03FF)); /* Toolbox trap: auto-pop in bit 10 */
	else
		return NULL;
	for (size_t i = 0; i < sizeof traps / sizeof traps[0]; i++)
		if (traps[i].number == n)
			return &traps[i];
	return NULL;
}

const char *mm_trap_name(uint16_t trap)
{
	const struct mm_trap *t = find(trap);
	return t ? t->name : NULL;
}

static int32_t call_long(struct mm *m, uint16_t n, int32_t in, uint32_t *a0)
{
	switch (n) {
	case 0xA01C:
		return FreeMem(m);
	case 0xA01D: {
		int32_t grow;
		int32_t r = MaxMem(m, &grow);
		*a0 = (uint32_t)grow;
		return r;
	}
	case 0xA040:
		return ResrvMem(m, in);
	case 0xA04C:
		return CompactMem(m, in);
	case 0xA04D:
		return PurgeMem(m, in);
	case 0xA055:
		return (int32_t)StripAddress(m, (gaddr)in);
	case 0xA061:
		return MaxBlock(m);
	case 0xA062: {
		int32_t total, contig;
		PurgeSpace(m, &total, &contig);
		*a0 = (uint32_t)contig;
		return total;
	}
	}
	return 0;
}

static OSErr call_ptr(struct mm *m, uint16_t n, gaddr a0, int32_t d0)
{
	switch (n) {
	case 0xA01B:
		SetZone(m, a0);
		return mm_noErr;
	case 0xA01F:
		return DisposePtr(m, a0);
	case 0xA020:
		return SetPtrSize(m, a0, d0);
	case 0xA023:
		return DisposeHandle(m, a0);
	case 0xA024:
		return SetHandleSize(m, a0, d0);
	case 0xA027:
		return ReallocateHandle(m, a0, d0);
	case 0xA029:
		return HLock(m, a0);
	case 0xA02A:
		return HUnlock(m, a0);
	case 0xA02B:
		return EmptyHandle(m, a0);
	case 0xA02C:
		return InitApplZone(m);
	case 0xA02D:
		return SetApplLimit(m, a0);
	case 0xA036:
		return MoreMasters(m);
	case 0xA049:
		return HPurge(m, a0);
	case 0xA04A:
		return HNoPurge(m, a0);
	case 0xA04B:
		SetGrowZone(m, a0);
		return mm_noErr;
	case 0xA057:
		return SetApplBase(m, a0);
	case 0xA063:
		return MaxApplZone(m);
	case 0xA064:
		return MoveHHi(m, a0);
	case 0xA067:
		return HSetRBit(m, a0);
	case 0xA068:
		return HClrRBit(m, a0);
	case 0xA06A:
		return HSetState(m, a0, (uint8_t)d0);
	}
	return mm_noErr;
}

static void hand_util(struct mm *m, uint16_t n, struct mm_regs *r)
{
	gaddr h = r->a0;
	OSErr e;
	switch (n) {
	case 0xA9E1:
		e = HandToHand(m, &h);
		break;
	case 0xA9E2:
		h = r->a1;
		e = PtrToXHand(m, r->a0, h, (int32_t)r->d0);
		break;
	case 0xA9E3:
		h = 0;
		e = PtrToHand(m, r->a0, &h, (int32_t)r->d0);
		break;
	case 0xA9E4:
		h = r->a1;
		e = HandAndHand(m, r->a0, h);
		break;
	default: /* 0xA9EF */
		h = r->a1;
		e = PtrAndHand(m, r->a0, h, (int32_t)r->d0);
		break;
	}
	r->a0 = h;
	r->d0 = (uint32_t)(int32_t)e;
}

bool mm_register_trap(struct mm *m, uint16_t trap, struct mm_regs *r)
{
	const struct mm_trap *t = find(trap);
	if (!t)
		return false;
	uint16_t n = t->number;
	/* The system-zone variants run with TheZone switched for the call. */
	gaddr saved = 0;
	bool swap = t->sys_bit && (trap & mm_trapSys) && n != 0xA01E && n != 0xA022;
	if (swap) {
		saved = rd32(m, lmTheZone);
		wr32(m, lmTheZone, SystemZone(m));
	}
	switch (t->conv) {
	case cvZoneOnly:
	case cvPtrIn:
	case cvPtrSizeIn:
		r->d0 = (uint32_t)(int32_t)call_ptr(m, n, r->a0, (int32_t)r->d0);
		break;
	case cvNewPtr:
		r->a0 = n == 0xA01E ? mm_new_ptr(m, (int32_t)r->d0, trap)
				    : mm_new_handle(m, (int32_t)r->d0, trap);
		r->d0 = (uint32_t)(int32_t)MemError(m);
		break;
	case cvSizeOut:
		r->d0 = (uint32_t)(n == 0xA021	 ? GetPtrSize(m, r->a0)
				   : n == 0xA025 ? GetHandleSize(m, r->a0)
						 : HGetState(m, r->a0));
		break;
	case cvZoneOut:
		r->a0 = n == 0xA026 ? HandleZone(m, r->a0) : PtrZone(m, r->a0);
		r->d0 = (uint32_t)(int32_t)MemError(m);
		break;
	case cvLongOut:
	case cvLongInOut:
	case cvLongOutA0:
		r->d0 = (uint32_t)call_long(m, n, (int32_t)r->d0, &r->a0);
		break;
	case cvRecoverHandle:
		r->a0 = RecoverHandle(m, r->a0);
		break;
	case cvBlockMove:
		BlockMove(m, r->a0, r->a1, r->d0);
		r->d0 = 0;
		break;
	case cvInitZone:
		r->d0 =
		    (uint32_t)(int32_t)InitZone(m, rd32(m, r->a0), rd32(m, r->a0 + 4),
						(int16_t)rd16(m, r->a0 + 8), rd32(m, r->a0 + 10));
		break;
	case cvGetZone:
		r->a0 = n == 0xA01A ? GetZone(m) : NewEmptyHandle(m);
		r->d0 = (uint32_t)(int32_t)MemError(m);
		break;
	case cvStackSpace:
		r->d0 = (uint32_t)StackSpace(m, r->sp);
		break;
	case cvHandUtil:
		hand_util(m, n, r);
		break;
	}
	if (swap)
		wr32(m, lmTheZone, saved);
	return true;
}
