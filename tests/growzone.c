/* Grow-zone functions and purge warning procedures: 68K code the Memory
 * Manager calls in the middle of an allocation (Inside Macintosh: Memory,
 * ch. 1). The heap is grown to its limit and filled; a grow-zone function
 * that frees a 64 KB reserve handle then lets a 32 KB NewPtr succeed past
 * the free space, the next one fails with memFullErr once the function has
 * nothing more to free; a purge warning procedure sees a purgeable handle,
 * still full, before PurgeMem empties it. Reports "growzone ok" or the
 * failed checks (bits) through DebugStr. Built by tests/toolbox_run_test.sh. */
#include "vm_traps.h"

enum { RESERVE = 64 * 1024, CHUNK = 32 * 1024 };

static Handle reserve;
static volatile int32_t gz_calls, gz_needed, pp_calls, pp_full;
static volatile Handle pp_handle;

/* FUNCTION MyGrowZone(cbNeeded: Size): LongInt — the C part. */
int32_t gz_c(int32_t cbNeeded)
{
	gz_calls++;
	gz_needed = cbNeeded;
	if (reserve == 0)
		return 0;
	int32_t n = GetHandleSize(reserve);
	DisposeHandle(reserve);
	reserve = 0;
	return n;
}

/* PROCEDURE MyPurgeProc(h: Handle) — the C part. */
void pp_c(Handle h)
{
	pp_calls++;
	pp_handle = h;
	pp_full = *h != 0 && (*h)[0] == 'P';
}

/* Pascal glue: the parameter on the stack under the return address, popped
 * by the callee; the function result in the long above it. */
extern char gz_pascal[], pp_pascal[];
__asm__(".text\n"
	"gz_pascal:\n"
	"	move.l 4(%sp),-(%sp)\n"
	"	lea gz_c(%pc),%a0\n"
	"	jsr (%a0)\n"
	"	addq.l #4,%sp\n"
	"	move.l (%sp)+,%a0\n"
	"	addq.l #4,%sp\n"
	"	move.l %d0,(%sp)\n"
	"	jmp (%a0)\n"
	"pp_pascal:\n"
	"	move.l 4(%sp),-(%sp)\n"
	"	lea pp_c(%pc),%a0\n"
	"	jsr (%a0)\n"
	"	addq.l #4,%sp\n"
	"	move.l (%sp)+,%a0\n"
	"	addq.l #4,%sp\n"
	"	jmp (%a0)\n");

static inline OSErr SetGrowZone(void *proc) /* _SetGrowZone A04B */
{
	int32_t r;
	MAC_A0_TO_D0(0xA04B, proc, r);
	return (OSErr)r;
}
static inline void MaxApplZone(void) /* _MaxApplZone A063 */
{
	__asm__ volatile(".short 0xA063" : : : "d0", "a0", MAC_CLOBBERS);
}
static inline OSErr HPurge(Handle h) /* _HPurge A049 */
{
	int32_t r;
	MAC_A0_TO_D0(0xA049, h, r);
	return (OSErr)r;
}
static inline void PurgeMem(Size n) /* _PurgeMem A04D */
{
	register int32_t d0 __asm__("d0") = n;
	__asm__ volatile(".short 0xA04D" : "+r"(d0) : : "a0", MAC_CLOBBERS);
}

int main(void)
{
	uint32_t bad = 0;
	MaxApplZone();
	reserve = NewHandle(RESERVE);
	bad |= (reserve == 0) << 0;
	/* Fill the heap: the last NewPtr fails with no grow-zone function. */
	int filled = 0;
	while (NewPtr(CHUNK) != 0 && filled < 4096)
		filled++;
	bad |= (MemError() != memFullErr || filled == 0 || filled == 4096) << 1;

	/* The grow-zone function frees the reserve: the same NewPtr succeeds. */
	bad |= (SetGrowZone(gz_pascal) != noErr) << 2;
	Ptr p = NewPtr(CHUNK);
	bad |= (p == 0 || MemError() != noErr) << 3;
	bad |= (gz_calls != 1 || reserve != 0) << 4;
	bad |= (gz_needed < CHUNK) << 5;
	if (p)
		for (int i = 0; i < CHUNK; i += 512)
			p[i] = 1;
	/* Until the reserve is used up; then the function frees nothing and
	 * the allocation fails. */
	int more = 0;
	while (NewPtr(CHUNK) != 0 && more < 16)
		more++;
	bad |= (MemError() != memFullErr || more >= 16) << 6;
	bad |= (gz_calls < 2) << 7;

	/* A purge warning procedure (the zone's purgeProc field, offset 40):
	 * called with the handle while its block still holds the data. */
	SetGrowZone(0);
	Handle h = NewHandle(0);
	bad |= (h == 0) << 8;
	SetHandleSize(h, 16); /* from the reserve's leftovers, or fails: then skip */
	if (h != 0 && *h != 0 && GetHandleSize(h) == 16) {
		(*h)[0] = 'P';
		HPurge(h);
		char *zone;
		__asm__ volatile("move.l 0x118,%0" : "=r"(zone)); /* TheZone */
		*(void **)(zone + 40) = pp_pascal;
		PurgeMem(0x7FFFFFF0);
		*(void **)(zone + 40) = 0;
		bad |= (pp_calls != 1 || pp_handle != h || !pp_full) << 9;
		bad |= (*h != 0) << 10;
	} else {
		bad |= 1 << 11;
	}
	report("growzone", bad);
	ExitToShell();
}
