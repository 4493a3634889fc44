/* toolbox/memory/memory.h: the Memory Manager's C interface. Zones, blocks
 * and master pointers live in guest memory laid out as on a real Mac (Inside
 * Macintosh: Memory, ch. 2), in 24-bit or 32-bit form; these calls are what
 * the trap dispatcher's glue calls, with the trap's registers as arguments. */
#ifndef VM68K_TOOLBOX_MEMORY_H
#define VM68K_TOOLBOX_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "guest/guest.h" /* gaddr */

typedef int16_t OSErr; /* an identical typedef elsewhere is legal C11 */

/* Memory Manager result codes (Inside Macintosh: Memory, 2-126). */
enum {
	mm_noErr = 0,
	memROZErr = -99,     /* operation on a read-only zone */
	memFullErr = -108,   /* not enough room in the heap zone */
	nilHandleErr = -109, /* handle was NIL, or its master pointer is NIL */
	memAdrErr = -110,    /* address was odd or out of range */
	memWZErr = -111,     /* attempt to operate on a free block */
	memPurErr = -112,    /* attempt to purge a locked block */
	memAZErr = -113,     /* address in zone check failed */
	memPCErr = -114,     /* pointer check failed */
	memBCErr = -115,     /* block check failed */
	memSCErr = -116,     /* size check failed */
	memLockedErr = -117, /* block is locked */
};

/* Master pointer flag bits as HGetState returns them (and as the high byte
 * of a 24-bit master pointer holds them). */
enum {
	mm_lockBit = 0x80,
	mm_purgeBit = 0x40,
	mm_resourceBit = 0x20,
};

/* Trap word flag bits the dispatcher passes through: $400 = system heap
 * (NewPtrSys...), $200 = clear (NewPtrClear...). */
enum {
	mm_trapSys = 0x0400,
	mm_trapClear = 0x0200,
};

struct mm;

/* Runs a zone's grow-zone function (68K code at proc, Pascal convention:
 * FUNCTION MyGrowZone(cbNeeded: Size): LongInt) and returns its result: the
 * number of bytes it freed, 0 if none. GZRootHnd is already set. */
typedef int32_t (*mm_grow_zone_fn)(struct mm *mm, gaddr zone, gaddr proc, int32_t cbNeeded);
/* Runs a zone's purge warning procedure (68K, PROCEDURE MyPurgeProc(h:
 * Handle)) before the Memory Manager purges h. */
typedef void (*mm_purge_proc_fn)(struct mm *mm, gaddr zone, gaddr proc, gaddr h);

/* The Memory Manager's context. The zones themselves and the current zone
 * are in low memory (SysZone $2A6, ApplZone $2AA, TheZone $118), where 68K
 * code can read and change them; this only holds what a real Mac keeps in
 * its ROM or its MMU. */
struct mm {
	uint8_t *win;			  /* the guest window (guest/mem.h) */
	uint32_t mask;			  /* window mask: 0x00FFFFFF or 0xFFFFFFFF */
	bool addr32;			  /* 32-bit zones: 12-byte headers, flags in the header */
	gaddr temp_zone;		  /* temporary memory zone; 0: the system heap serves */
	gaddr appl_initial_end;		  /* where InitApplZone puts the application zone's end */
	mm_grow_zone_fn call_grow_zone;	  /* NULL: grow-zone procs are not run */
	mm_purge_proc_fn call_purge_proc; /* NULL: purge warning procs are not run */
	void *hook_ctx;			  /* for the hooks' use */
	/* counters (for the debugger and tests) */
	unsigned long compactions, purges, grow_zone_calls;
	int in_grow_zone; /* nesting guard */
};

/* Where the zones go, in guest addresses (each [start, end)). */
struct mm_layout {
	gaddr sys_start, sys_end;	   /* system heap zone */
	gaddr appl_start, appl_end;	   /* application heap zone, initial extent */
	gaddr appl_limit;		   /* ApplLimit: the application heap may grow to here */
	gaddr temp_start, temp_end;	   /* temporary memory zone; 0, 0: use the system heap */
	gaddr mem_top;			   /* MemTop (end of RAM); BufPtr starts here too */
	int16_t sys_masters, appl_masters; /* master pointers per MoreMasters block (0: 32) */
};

/* ---- Setup ---- */

/* Points mm at the window, builds the system, application (and temporary)
 * zones, and sets the low-memory globals (SysZone, ApplZone, TheZone,
 * ApplLimit, HeapEnd, MemTop, BufPtr, Lo3Bytes, MMU32Bit, MemErr). Clears
 * *mm first: set the hooks afterwards. Returns noErr, memFullErr if a zone
 * range is too small, memAdrErr if the ranges are misordered or overlap. */
OSErr mm_init(struct mm *mm, uint8_t *win, uint32_t mask, bool addr32,
	      const struct mm_layout *layout);

/* Makes a heap zone in [startPtr, limitPtr) with cMoreMasters master pointers
 * per block and grow-zone function pGrowZone (0 = none); it becomes the
 * current zone. Returns memFullErr if the range is too small. */
OSErr InitZone(struct mm *mm, gaddr startPtr, gaddr limitPtr, int16_t cMoreMasters,
	       gaddr pGrowZone);
/* Re-initializes the application zone (empty, initial size) as at launch. */
OSErr InitApplZone(struct mm *mm);
/* Moves the application zone's start to startPtr and re-initializes it (up
 * to its initial end); memAdrErr if that leaves no room or starts inside
 * the system heap. */
OSErr SetApplBase(struct mm *mm, gaddr startPtr);

/* The current zone (TheZone). */
gaddr GetZone(struct mm *mm);
/* Makes hz the current zone. */
void SetZone(struct mm *mm, gaddr hz);
/* The bytes zone occupies, header to trailer included: [*start, *end). The
 * caller holds the system heap's extent under VM (HoldMemory), as System 7
 * did. */
void mm_zone_extent(struct mm *mm, gaddr zone, gaddr *start, gaddr *end);
/* The system heap zone (SysZone). */
gaddr SystemZone(struct mm *mm);
/* The application heap zone (ApplZone). */
gaddr ApplicationZone(struct mm *mm);

/* MemErr ($220): the result of the last Memory Manager call. */
OSErr MemError(struct mm *mm);

/* ---- Nonrelocatable blocks ---- */

/* A nonrelocatable block of size bytes in the current zone (Sys: the system
 * zone; Clear: zeroed). Returns its address, or 0 with MemErr = memFullErr
 * (memSCErr for a negative size). */
gaddr NewPtr(struct mm *mm, int32_t size);
gaddr NewPtrSys(struct mm *mm, int32_t size);
gaddr NewPtrClear(struct mm *mm, int32_t size);
gaddr NewPtrSysClear(struct mm *mm, int32_t size);
/* NewPtr with the trap word's mm_trapSys / mm_trapClear bits. */
gaddr mm_new_ptr(struct mm *mm, int32_t size, uint16_t trap_flags);
/* Frees a nonrelocatable block. Returns memWZErr if p is not one. */
OSErr DisposePtr(struct mm *mm, gaddr p);
/* The logical size of p's block, or a negative OSErr (memWZErr). */
int32_t GetPtrSize(struct mm *mm, gaddr p);
/* Resizes p's block in place. Returns memFullErr if it cannot grow there. */
OSErr SetPtrSize(struct mm *mm, gaddr p, int32_t size);
/* The zone holding p's block, or 0 with MemErr = memWZErr. */
gaddr PtrZone(struct mm *mm, gaddr p);

/* ---- Relocatable blocks ---- */

/* A relocatable block (Sys / Clear as for NewPtr). Returns a handle, or 0
 * with MemErr = memFullErr (memSCErr for a negative size). */
gaddr NewHandle(struct mm *mm, int32_t size);
gaddr NewHandleSys(struct mm *mm, int32_t size);
gaddr NewHandleClear(struct mm *mm, int32_t size);
gaddr NewHandleSysClear(struct mm *mm, int32_t size);
/* NewHandle with the trap word's mm_trapSys / mm_trapClear bits. */
gaddr mm_new_handle(struct mm *mm, int32_t size, uint16_t trap_flags);
/* A handle whose master pointer is NIL (Sys: in the system zone). Returns 0
 * with MemErr = memFullErr if no master pointer can be had. */
gaddr NewEmptyHandle(struct mm *mm);
gaddr NewEmptyHandleSys(struct mm *mm);
/* Frees the block and the master pointer. Returns nilHandleErr / memWZErr. */
OSErr DisposeHandle(struct mm *mm, gaddr h);
/* The logical size of h's block, or a negative OSErr (nilHandleErr, memWZErr). */
int32_t GetHandleSize(struct mm *mm, gaddr h);
/* Resizes h's block, moving it if it is unlocked. Returns memFullErr,
 * nilHandleErr, memWZErr. */
OSErr SetHandleSize(struct mm *mm, gaddr h, int32_t size);
/* The zone holding h, or 0 with MemErr set. */
gaddr HandleZone(struct mm *mm, gaddr h);
/* The handle whose block starts at p, or 0 with MemErr = memWZErr. */
gaddr RecoverHandle(struct mm *mm, gaddr p);
/* Gives an empty (purged) handle a new block of size bytes. */
OSErr ReallocateHandle(struct mm *mm, gaddr h, int32_t size);
/* Frees h's block and sets its master pointer to NIL. Returns memPurErr if
 * it is locked. */
OSErr EmptyHandle(struct mm *mm, gaddr h);
/* Allocates one block of moreMast master pointers in the current zone. */
OSErr MoreMasters(struct mm *mm);

/* Flags: each returns nilHandleErr / memWZErr on a bad handle. */
OSErr HLock(struct mm *mm, gaddr h);
OSErr HUnlock(struct mm *mm, gaddr h);
OSErr HPurge(struct mm *mm, gaddr h);
OSErr HNoPurge(struct mm *mm, gaddr h);
OSErr HSetRBit(struct mm *mm, gaddr h);
OSErr HClrRBit(struct mm *mm, gaddr h);
/* h's flags byte (mm_lockBit...), or a negative OSErr. */
int32_t HGetState(struct mm *mm, gaddr h);
OSErr HSetState(struct mm *mm, gaddr h, uint8_t flags);
/* Moves h's block as high in its zone as it will go. Returns memLockedErr
 * if it is locked. */
OSErr MoveHHi(struct mm *mm, gaddr h);

/* ---- Zone space ---- */

/* Compacts the current zone (Sys: the system zone); returns the largest
 * contiguous free block afterwards (logical bytes). */
int32_t CompactMem(struct mm *mm, int32_t cbNeeded);
int32_t CompactMemSys(struct mm *mm, int32_t cbNeeded);
/* Purges unlocked purgeable blocks until cbNeeded contiguous bytes are free.
 * Returns memFullErr if even then there is not room. */
OSErr PurgeMem(struct mm *mm, int32_t cbNeeded);
OSErr PurgeMemSys(struct mm *mm, int32_t cbNeeded);
/* Total and contiguous free space the zone would have after a purge (no
 * purging is done). */
void PurgeSpace(struct mm *mm, int32_t *total, int32_t *contig);
/* Compacts and purges everything; returns the largest free block; *grow is
 * how much the zone could still grow (ApplLimit - bkLim; 0 for others). */
int32_t MaxMem(struct mm *mm, int32_t *grow);
int32_t MaxMemSys(struct mm *mm, int32_t *grow);
/* Total free bytes in the zone (zcbFree). */
int32_t FreeMem(struct mm *mm);
int32_t FreeMemSys(struct mm *mm);
/* Largest block that could be allocated after compaction (no purging). */
int32_t MaxBlock(struct mm *mm);
int32_t MaxBlockSys(struct mm *mm);
/* Room between the application heap and the stack pointer sp. */
int32_t StackSpace(struct mm *mm, gaddr sp);
/* Grows the application zone to ApplLimit. */
OSErr MaxApplZone(struct mm *mm);
/* Sets ApplLimit; memFullErr if it is below the application zone's end. */
OSErr SetApplLimit(struct mm *mm, gaddr zoneLimit);
gaddr GetApplLimit(struct mm *mm);
/* Makes room for a block of size bytes as low as possible in the zone. */
OSErr ResrvMem(struct mm *mm, int32_t size);
OSErr ResrvMemSys(struct mm *mm, int32_t size);
/* Sets the current zone's grow-zone function (68K address, 0 = none). */
void SetGrowZone(struct mm *mm, gaddr growZone);
/* The handle the grow-zone function must not move (GZRootHnd), or 0. */
gaddr GZSaveHnd(struct mm *mm);

/* ---- Memory utilities ---- */

/* Copies n bytes from src to dst in guest memory; overlap is handled. */
void BlockMove(struct mm *mm, gaddr src, gaddr dst, uint32_t n);
void BlockMoveData(struct mm *mm, gaddr src, gaddr dst, uint32_t n);
/* Replaces *theHndl with a new handle (current zone) holding a copy of its
 * data. memFullErr, nilHandleErr, memWZErr. */
OSErr HandToHand(struct mm *mm, gaddr *theHndl);
/* A new handle in *dstHndl holding size bytes copied from srcPtr. */
OSErr PtrToHand(struct mm *mm, gaddr srcPtr, gaddr *dstHndl, int32_t size);
/* Resizes dstHndl to size and copies size bytes from srcPtr into it. */
OSErr PtrToXHand(struct mm *mm, gaddr srcPtr, gaddr dstHndl, int32_t size);
/* Appends aHndl's data to bHndl's. */
OSErr HandAndHand(struct mm *mm, gaddr aHndl, gaddr bHndl);
/* Appends size bytes from ptr1 to hand2's data. */
OSErr PtrAndHand(struct mm *mm, gaddr ptr1, gaddr hand2, int32_t size);
/* The address with the 24-bit flag byte removed (identity in 32-bit mode). */
gaddr StripAddress(struct mm *mm, gaddr a);

/* ---- Temporary memory (System 7): from mm->temp_zone if there is one,
 * else from the system heap. Temporary handles are ordinary handles of that
 * zone, so HLock etc. work on them (MFTempHLock...). ---- */

/* A temporary handle of size bytes, or 0 with *err = memFullErr. */
gaddr TempNewHandle(struct mm *mm, int32_t size, OSErr *err);
gaddr MFTempNewHandle(struct mm *mm, int32_t size, OSErr *err);
/* Free bytes for temporary memory. */
int32_t TempFreeMem(struct mm *mm);
/* Largest temporary block after compaction; *grow = 0. */
int32_t TempMaxMem(struct mm *mm, int32_t *grow);
/* HLock / HUnlock / DisposeHandle on a temporary handle; *err as MemError. */
void TempHLock(struct mm *mm, gaddr h, OSErr *err);
void TempHUnlock(struct mm *mm, gaddr h, OSErr *err);
void TempDisposeHandle(struct mm *mm, gaddr h, OSErr *err);
/* The top of temporary memory (the temporary zone's end, or MemTop when the
 * system heap serves); *currentAppTop: the application zone's end. */
gaddr TempTopMem(struct mm *mm, gaddr *currentAppTop);

/* ---- Register-level traps (for the trap dispatcher) ---- */

/* The registers a Memory Manager trap reads and writes. */
struct mm_regs {
	uint32_t d0, a0, a1;
	uint32_t sp; /* read by StackSpace */
};

/* Runs the register-based Memory Manager trap in trap (the whole trap word,
 * flag bits included: for OS traps $400 = system zone, $200 = clear) with the
 * register conventions of Inside Macintosh: results in D0 (and A0 where the
 * trap returns one). Covers the OS traps InitZone $A019 ... HSetState $A06A
 * (with PtrZone $A048, StripAddress $A055, SetApplBase $A057) and the
 * register-based Toolbox traps HandToHand $A9E1, PtrToXHand $A9E2,
 * PtrToHand $A9E3, HandAndHand $A9E4, PtrAndHand $A9EF. The dispatcher keeps
 * its own job: saving/restoring registers (A0 unless bit 8, D1-D2/A1) and
 * the condition codes from D0.W. Returns false if the trap is not one of these. */
bool mm_register_trap(struct mm *mm, uint16_t trap, struct mm_regs *r);
/* The Inside Macintosh name of a trap mm_register_trap runs, or NULL. */
const char *mm_trap_name(uint16_t trap);

/* ---- Checking and dumping (tests, debugger) ---- */

/* Walks every block of zone: tags, sizes, links to bkLim, relative handles
 * and master pointers, the free master pointer list and zcbFree. Returns
 * true if sound; false with the first problem (address + what) in why. */
bool mm_check_zone(struct mm *mm, gaddr zone, char *why, size_t why_len);
/* mm_check_zone on every zone the Memory Manager knows (system, application,
 * temporary, and the current one if it is another); false at the first
 * problem, described in why. */
bool mm_check_all(struct mm *mm, char *why, size_t why_len);
/* Prints the zone like MacsBug's hd: one line per block (address, type,
 * size, flags, master pointer), then totals. */
void mm_dump_zone(struct mm *mm, gaddr zone, FILE *out);

#endif
