/* Trap glue for 68K Mac programs built with m68k-linux-gnu-gcc and elf2mac:
 * each call is the A-line word itself with the register or Pascal stack
 * convention Inside Macintosh gives for it. OS traps (bit 11 clear) take and
 * return registers; Toolbox traps (bit 11 set) take Pascal arguments on the
 * stack, pushed left to right after room for the result. Either kind may
 * change D0-D2/A0-A1, so every block lists them as clobbered (gcc's m68k
 * ABI would otherwise expect D2 to survive). Build with -ffixed-a5: A5 is
 * the application's A5 world, which the Toolbox reads. */
#ifndef VM68K_MACTRAPS_H
#define VM68K_MACTRAPS_H

#include <stdint.h>

typedef char *Ptr;
typedef Ptr *Handle;
typedef int32_t Size;
typedef int16_t OSErr;
typedef uint32_t OSType;
typedef unsigned char Str255[256];
typedef const unsigned char *ConstStr255Param;

enum {
	noErr = 0,
	memFullErr = -108, /* not enough room in the heap zone */
	nilHandleErr = -109,
	memWZErr = -111,	   /* a free block was given */
	notEnoughMemoryErr = -620, /* VM: not enough physical memory */
	notHeldErr = -621,	   /* VM: the range was not held */
	cannotMakeContiguousErr = -622,
	notLockedErr = -623,
	interruptsMaskedErr = -624,
	cannotDeferErr = -625,
};

/* A Pascal string literal: PSTR("hello") is a length byte then the text. */
#define PSTR(s)                                                                                    \
	((const unsigned char *)&(const struct {                                                   \
		unsigned char n;                                                                   \
		char c[sizeof(s)];                                                                 \
	}){sizeof(s) - 1, s})

#define MAC_CLOBBERS "d1", "d2", "a1", "memory", "cc"

/* ---- Memory Manager (OS traps: D0/A0 in, D0/A0 out) ---- */

/* The A-line word of a register-based call with D0 in, A0 out. */
#define MAC_D0_TO_A0(word, in, out)                                                                \
	do {                                                                                       \
		register int32_t d0_ __asm__("d0") = (int32_t)(in);                                \
		register Ptr a0_ __asm__("a0");                                                    \
		__asm__ volatile(".short " #word : "=r"(a0_), "+r"(d0_) : : MAC_CLOBBERS);         \
		(out) = a0_;                                                                       \
	} while (0)

#define MAC_A0_TO_D0(word, in, out)                                                                \
	do {                                                                                       \
		register int32_t d0_ __asm__("d0");                                                \
		register const void *a0_ __asm__("a0") = (in);                                     \
		__asm__ volatile(".short " #word : "=r"(d0_), "+r"(a0_) : : MAC_CLOBBERS);         \
		(out) = d0_;                                                                       \
	} while (0)

#define MAC_A0_D0_TO_D0(word, ina0, ind0, out)                                                     \
	do {                                                                                       \
		register int32_t d0_ __asm__("d0") = (int32_t)(ind0);                              \
		register const void *a0_ __asm__("a0") = (ina0);                                   \
		__asm__ volatile(".short " #word : "+r"(d0_), "+r"(a0_) : : MAC_CLOBBERS);         \
		(out) = d0_;                                                                       \
	} while (0)

static inline Ptr NewPtr(Size n) /* _NewPtr A11E */
{
	Ptr p;
	MAC_D0_TO_A0(0xA11E, n, p);
	return p;
}

static inline Ptr NewPtrClear(Size n) /* _NewPtr,CLEAR A31E */
{
	Ptr p;
	MAC_D0_TO_A0(0xA31E, n, p);
	return p;
}

static inline Ptr NewPtrSys(Size n) /* _NewPtr,SYS A51E */
{
	Ptr p;
	MAC_D0_TO_A0(0xA51E, n, p);
	return p;
}

static inline OSErr DisposePtr(Ptr p) /* _DisposPtr A01F */
{
	int32_t r;
	MAC_A0_TO_D0(0xA01F, p, r);
	return (OSErr)r;
}

static inline Size GetPtrSize(Ptr p) /* _GetPtrSize A021: size, or a negative error */
{
	int32_t r;
	MAC_A0_TO_D0(0xA021, p, r);
	return r;
}

static inline OSErr SetPtrSize(Ptr p, Size n) /* _SetPtrSize A020 */
{
	int32_t r;
	MAC_A0_D0_TO_D0(0xA020, p, n, r);
	return (OSErr)r;
}

static inline Handle NewHandle(Size n) /* _NewHandle A122 */
{
	Ptr h;
	MAC_D0_TO_A0(0xA122, n, h);
	return (Handle)h;
}

static inline Handle NewHandleClear(Size n) /* _NewHandle,CLEAR A322 */
{
	Ptr h;
	MAC_D0_TO_A0(0xA322, n, h);
	return (Handle)h;
}

static inline OSErr DisposeHandle(Handle h) /* _DisposHandle A023 */
{
	int32_t r;
	MAC_A0_TO_D0(0xA023, h, r);
	return (OSErr)r;
}

static inline Size GetHandleSize(Handle h) /* _GetHandleSize A025 */
{
	int32_t r;
	MAC_A0_TO_D0(0xA025, h, r);
	return r;
}

static inline OSErr SetHandleSize(Handle h, Size n) /* _SetHandleSize A024 */
{
	int32_t r;
	MAC_A0_D0_TO_D0(0xA024, h, n, r);
	return (OSErr)r;
}

static inline OSErr HLock(Handle h) /* _HLock A029 */
{
	int32_t r;
	MAC_A0_TO_D0(0xA029, h, r);
	return (OSErr)r;
}

static inline OSErr HUnlock(Handle h) /* _HUnlock A02A */
{
	int32_t r;
	MAC_A0_TO_D0(0xA02A, h, r);
	return (OSErr)r;
}

/* _BlockMove A02E: A0 source, A1 destination, D0 count. */
static inline OSErr BlockMove(const void *src, void *dst, Size n)
{
	register int32_t d0 __asm__("d0") = n;
	register const void *a0 __asm__("a0") = src;
	register void *a1 __asm__("a1") = dst;
	__asm__ volatile(".short 0xA02E"
			 : "+r"(d0), "+r"(a0), "+r"(a1)
			 :
			 : "d1", "d2", "memory", "cc");
	return (OSErr)d0;
}

/* The Memory Manager's last result, the low-memory global MemErr (0x0220). */
/* _HGetState A069: A0 = handle; D0 = its flags byte (lock $80, purge $40,
 * resource $20), or a negative error (nilHandleErr) as the trap leaves it. */
static inline int32_t HGetState(Handle h)
{
	int32_t r;
	MAC_A0_TO_D0(0xA069, h, r);
	return r;
}

static inline OSErr MemError(void)
{
	uintptr_t memerr = 0x0220; /* a low-memory global, not a C object */
	__asm__("" : "+r"(memerr));
	return *(volatile OSErr *)memerr;
}

/* ---- Virtual memory: _MemoryDispatch A05C, selector in D0, A0 address,
 * A1 count, result in D0 (Inside Macintosh: Memory, ch. 3) ---- */

static inline OSErr MemoryDispatch_(int32_t selector, const void *address, uint32_t count)
{
	register int32_t d0 __asm__("d0") = selector;
	register const void *a0 __asm__("a0") = address;
	register uint32_t a1 __asm__("a1") = count;
	__asm__ volatile(".short 0xA05C"
			 : "+r"(d0), "+r"(a0), "+r"(a1)
			 :
			 : "d1", "d2", "memory", "cc");
	return (OSErr)d0;
}

static inline OSErr HoldMemory(const void *a, uint32_t n)
{
	return MemoryDispatch_(0, a, n);
}
static inline OSErr UnholdMemory(const void *a, uint32_t n)
{
	return MemoryDispatch_(1, a, n);
}
static inline OSErr LockMemory(const void *a, uint32_t n)
{
	return MemoryDispatch_(2, a, n);
}
static inline OSErr UnlockMemory(const void *a, uint32_t n)
{
	return MemoryDispatch_(3, a, n);
}
static inline OSErr LockMemoryContiguous(const void *a, uint32_t n)
{
	return MemoryDispatch_(4, a, n);
}
/* Selector 10 as remembered from Apple's later Memory.h (after the VM
 * Technote); not checked against a printed reference, unlike 0-4 above. */
static inline OSErr LockMemoryForOutput(const void *a, uint32_t n)
{
	return MemoryDispatch_(10, a, n);
}
/* Selectors 11-14 from Apple's Memory.h (MakeMemoryResident $700B,
 * ReleaseMemoryData $700C, MakeMemoryNonResident $700D, FlushMemory $700E). */
static inline OSErr MakeMemoryResident(const void *a, uint32_t n)
{
	return MemoryDispatch_(11, a, n);
}
static inline OSErr ReleaseMemoryData(const void *a, uint32_t n)
{
	return MemoryDispatch_(12, a, n);
}
static inline OSErr MakeMemoryNonResident(const void *a, uint32_t n)
{
	return MemoryDispatch_(13, a, n);
}
static inline OSErr FlushMemory(const void *a, uint32_t n)
{
	return MemoryDispatch_(14, a, n);
}

/* _DeferUserFn A08F (Inside Macintosh: Memory, VM Manager): A0 the function, D0
 * its argument; D0 result. The function is called, now or when paging is
 * safe again, with the argument in A0 rather than on the stack, so a C
 * function cannot take it as a parameter; it may change A0-A1/D0-D1 (gcc
 * keeps the rest, which is stricter than the interrupt-handler rule). */
static inline OSErr DeferUserFn(void (*fn)(void), void *arg)
{
	int32_t r;
	MAC_A0_D0_TO_D0(0xA08F, (const void *)fn, arg, r);
	return (OSErr)r;
}

/* _DebugUtil A08D (the VM Technote; Inside Macintosh: Memory): D0 the
 * selector (A0 its argument), D0 the result. PageFaultFatal says whether
 * paging is unsafe now, so a page fault would be fatal: what interrupt-time
 * code that VM does not defer must know. */
enum { kPageInMemory = 0, kPageOnDisk = 1, kNotPaged = 2 };
static inline int32_t DebugUtil_(int32_t sel, const void *a0, uint32_t a1)
{
	register int32_t d0 __asm__("d0") = sel;
	register const void *ra0 __asm__("a0") = a0;
	register uint32_t ra1 __asm__("a1") = a1;
	__asm__ volatile(".short 0xA08D" : "+r"(d0), "+r"(ra0), "+r"(ra1) : : "d1", "d2", "memory", "cc");
	return d0;
}
static inline int32_t DebuggerGetMax(void) { return DebugUtil_(0, 0, 0); }
static inline int32_t GetPageState(const void *a) { return DebugUtil_(4, a, 0); }
static inline int32_t PageFaultFatal(void) { return DebugUtil_(5, 0, 0); }

/* ---- Time Manager (OS traps, A0 = the task) ---- */

typedef struct TMTask {
	struct TMTask *qLink; /* 'eada' here marks a task VM must not defer */
	int16_t qType;
	void (*tmAddr)(void); /* called with A1 = the task */
	int32_t tmCount;
	int32_t tmWakeUp;
	int32_t tmReserved;
} __attribute__((packed, aligned(2))) TMTask;

static inline void InsTime(TMTask *t) /* _InsTime A058 */
{
	int32_t r;
	MAC_A0_TO_D0(0xA058, t, r);
	(void)r;
}

static inline void InsXTime(TMTask *t) /* _InsXTime A458 */
{
	int32_t r;
	MAC_A0_TO_D0(0xA458, t, r);
	(void)r;
}

static inline void PrimeTime(TMTask *t, int32_t count) /* _PrimeTime A05A: D0 = ms (>0) or -us */
{
	int32_t r;
	MAC_A0_D0_TO_D0(0xA05A, t, count, r);
	(void)r;
}

static inline void RmvTime(TMTask *t) /* _RmvTime A059 */
{
	int32_t r;
	MAC_A0_TO_D0(0xA059, t, r);
	(void)r;
}

/* ---- Temporary memory: _OSDispatch A88F, selector word pushed last
 * (Apple's Memory.h: TempNewHandle $1D, TempFreeMem $18, TempHLock $1E,
 * TempDisposeHandle $20). Operands in registers: the pushes move SP. ---- */
static inline Handle TempNewHandle(int32_t size, int16_t *err)
{
	Handle h;
	__asm__ volatile("subq.l #4,%%sp\n\tmove.l %1,-(%%sp)\n\tmove.l %2,-(%%sp)\n\t"
			 "move.w #0x1D,-(%%sp)\n\t.short 0xA88F\n\tmove.l (%%sp)+,%0"
			 : "=d"(h)
			 : "d"(size), "a"(err)
			 : "d0", "a0", MAC_CLOBBERS);
	return h;
}
static inline int32_t TempFreeMem(void)
{
	int32_t r;
	__asm__ volatile("subq.l #4,%%sp\n\tmove.w #0x18,-(%%sp)\n\t.short 0xA88F\n\t"
			 "move.l (%%sp)+,%0"
			 : "=d"(r)
			 :
			 : "d0", "a0", MAC_CLOBBERS);
	return r;
}
static inline void TempHandleCall(uint16_t sel, Handle h, int16_t *err)
{
	__asm__ volatile("move.l %1,-(%%sp)\n\tmove.l %2,-(%%sp)\n\tmove.w %0,-(%%sp)\n\t"
			 ".short 0xA88F"
			 :
			 : "d"(sel), "a"(h), "a"(err)
			 : "d0", "a0", MAC_CLOBBERS);
}
#define TempHLock(h, err) TempHandleCall(0x1E, (h), (err))
#define TempHUnlock(h, err) TempHandleCall(0x1F, (h), (err))
#define TempDisposeHandle(h, err) TempHandleCall(0x20, (h), (err))

/* ---- OS Utilities ---- */

/* _Delay A03B: A0 = ticks; returns TickCount at the end (D0). */
static inline uint32_t Delay(uint32_t ticks)
{
	int32_t r;
	MAC_A0_TO_D0(0xA03B, (const void *)ticks, r);
	return (uint32_t)r;
}

/* _ReadDateTime A039: A0 = &secs (seconds since 1904); returns D0. */
static inline int16_t ReadDateTime(uint32_t *secs)
{
	int32_t r;
	MAC_A0_TO_D0(0xA039, secs, r);
	return (int16_t)r;
}

/* GetDateTime is no trap: Apple's glue reads the low-memory Time ($20C). */
static inline void GetDateTime(uint32_t *secs)
{
	uintptr_t time = 0x020C; /* a low-memory global, not a C object */
	__asm__("" : "+r"(time));
	*secs = *(volatile uint32_t *)time;
}

/* _Microseconds A193: microseconds since start-up, A0 high and D0 low. */
typedef struct {
	uint32_t hi, lo;
} UnsignedWide;
static inline void Microseconds(UnsignedWide *t)
{
	register uint32_t d0 __asm__("d0");
	register uint32_t a0 __asm__("a0");
	__asm__ volatile(".short 0xA193" : "=r"(d0), "=r"(a0) : : MAC_CLOBBERS);
	t->hi = a0;
	t->lo = d0;
}

/* _Gestalt A1AD: D0 selector in, D0 result and A0 response out. */
static inline OSErr Gestalt(OSType selector, int32_t *response)
{
	register int32_t d0 __asm__("d0") = (int32_t)selector;
	register int32_t a0 __asm__("a0");
	__asm__ volatile(".short 0xA1AD" : "+r"(d0), "=r"(a0) : : MAC_CLOBBERS);
	*response = a0;
	return (OSErr)d0;
}

/* _HWPriv A198 selector 1: FlushInstructionCache. */
static inline void FlushInstructionCache(void)
{
	register int32_t d0 __asm__("d0") = 1;
	__asm__ volatile(".short 0xA198" : "+r"(d0) : : "a0", MAC_CLOBBERS);
}

/* ---- Event Manager (Inside Macintosh: Macintosh Toolbox Essentials, ch. 2) ---- */

typedef struct EventRecord {
	uint16_t what; /* 0 nullEvent ... 12 app1Evt ... */
	uint32_t message;
	uint32_t when;
	uint32_t where;
	uint16_t modifiers;
} __attribute__((packed, aligned(2))) EventRecord;
enum { nullEvent = 0, app1Evt = 12, app2Evt = 13, app3Evt = 14, everyEvent = 0xFFFF, evtNotEnb = 1 };

/* _PostEvent A02F: A0 event code, D0 message; D0 result. */
static inline OSErr PostEvent(uint16_t what, uint32_t message)
{
	int32_t r;
	MAC_A0_D0_TO_D0(0xA02F, (const void *)(uint32_t)what, message, r);
	return (OSErr)r;
}
/* _GetOSEvent A031 / _OSEventAvail A030: D0 mask, A0 the record; true if
 * an event (D0 0), false for a null event (D0 -1). */
static inline int GetOSEvent(uint16_t mask, EventRecord *e)
{
	int32_t r;
	MAC_A0_D0_TO_D0(0xA031, e, mask, r);
	return r == 0;
}
static inline int OSEventAvail(uint16_t mask, EventRecord *e)
{
	int32_t r;
	MAC_A0_D0_TO_D0(0xA030, e, mask, r);
	return r == 0;
}
/* _FlushEvents A032: D0 = stopMask << 16 | eventMask. */
static inline void FlushEvents(uint16_t mask, uint16_t stop)
{
	register int32_t d0 __asm__("d0") = (int32_t)((uint32_t)stop << 16 | mask);
	__asm__ volatile(".short 0xA032" : "+r"(d0) : : "a0", MAC_CLOBBERS);
}
/* _GetNextEvent A970 and _EventAvail A971 (Pascal FUNCTION (mask:
 * INTEGER; VAR e: EventRecord): BOOLEAN). */
#define MAC_EVENT_FN(word, mask, e, r)                                                             \
	__asm__ volatile("subq.l #2,%%sp\n\tmove.w %1,-(%%sp)\n\tmove.l %2,-(%%sp)\n\t"                  \
			 ".short " #word "\n\tmove.w (%%sp)+,%0"                                     \
			 : "=d"(r)                                                                 \
			 : "d"(mask), "r"(e)                                                       \
			 : "d0", "a0", MAC_CLOBBERS)
static inline int GetNextEvent(uint16_t mask, EventRecord *e)
{
	uint16_t r;
	MAC_EVENT_FN(0xA970, mask, e, r);
	return (r >> 8) != 0;
}
static inline int EventAvail(uint16_t mask, EventRecord *e)
{
	uint16_t r;
	MAC_EVENT_FN(0xA971, mask, e, r);
	return (r >> 8) != 0;
}

/* ---- Segment Loader ---- */

/* Puts a function in CODE n (2..9) instead of CODE 1: elf2mac gives it a
 * jump table entry when code outside CODE n uses it, and the Segment
 * Loader loads CODE n on the first call. CODE 1 (main, crt0, all data) is
 * never unloaded. */
#define MAC_SEGMENT(n) __attribute__((section(".mac_seg" #n), noinline))

/* UnloadSeg A9F1: routine is any routine of the segment, as its address
 * (its jump table entry) taken outside the segment. */
static inline void UnloadSeg(void *routine)
{
	__asm__ volatile("move.l %0,-(%%sp)\n\t.short 0xA9F1"
			 :
			 : "r"(routine)
			 : "d0", "a0", MAC_CLOBBERS);
}

/* ---- Toolbox traps (Pascal stack convention) ---- */

/* TickCount A975: ticks (1/60.15 s) since startup. */
static inline uint32_t TickCount(void)
{
	uint32_t r;
	__asm__ volatile("subq.l #4,%%sp\n\t.short 0xA975\n\tmove.l (%%sp)+,%0"
			 : "=d"(r)
			 :
			 : "d0", "a0", MAC_CLOBBERS);
	return r;
}

/* SysBeep A9C8: duration in ticks. */
static inline void SysBeep(int16_t duration)
{
	__asm__ volatile("move.w %0,-(%%sp)\n\t.short 0xA9C8"
			 :
			 : "d"(duration)
			 : "d0", "a0", MAC_CLOBBERS);
}

/* DebugStr ABFF: enters the debugger showing a Pascal string. */
static inline void DebugStr(ConstStr255Param s)
{
	__asm__ volatile("move.l %0,-(%%sp)\n\t.short 0xABFF"
			 :
			 : "r"(s)
			 : "d0", "a0", MAC_CLOBBERS);
}

/* Debugger A9FF. */
static inline void Debugger(void)
{
	__asm__ volatile(".short 0xA9FF" : : : "d0", "a0", MAC_CLOBBERS);
}

/* ExitToShell A9F4: ends the application; never returns. */
static inline __attribute__((noreturn)) void ExitToShell(void)
{
	__asm__ volatile(".short 0xA9F4" : : : "d0", "a0", MAC_CLOBBERS);
	__builtin_unreachable();
}

#endif
