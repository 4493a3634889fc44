/* Trap glue for the VM and interrupt-time tests (tests/vm_*.c), beside
 * tools/mactraps.h (which has _DebugUtil): GetPhysical, VInstall/VRemove, DTInstall,
 * interrupt masking, and small helpers to report results by DebugStr. */
#ifndef VM68K_TESTS_VM_TRAPS_H
#define VM68K_TESTS_VM_TRAPS_H

#include "mactraps.h"

enum { paramErr = -50 };

typedef struct {
	void *address;
	uint32_t count;
} MemoryBlock;
typedef struct {
	MemoryBlock logical;
	MemoryBlock physical[8];
} LogicalToPhysicalTable;

/* _MemoryDispatchA0Result A15C selector 5: A0 table, A1 entries; A0 = used. */
static inline OSErr GetPhysical(LogicalToPhysicalTable *t, uint32_t *entries)
{
	register int32_t d0 __asm__("d0") = 5;
	register void *a0 __asm__("a0") = t;
	register uint32_t a1 __asm__("a1") = *entries;
	__asm__ volatile(".short 0xA15C" : "+r"(d0), "+r"(a0), "+r"(a1) : : "d1", "d2", "memory", "cc");
	*entries = (uint32_t)a0;
	return (OSErr)d0;
}

typedef struct VBLTask {
	struct VBLTask *qLink;
	int16_t qType; /* vType = 1 */
	void (*vblAddr)(void);
	int16_t vblCount;
	int16_t vblPhase;
} __attribute__((packed, aligned(2))) VBLTask;

static inline OSErr VInstall(VBLTask *t) /* _VInstall A033 */
{
	int32_t r;
	MAC_A0_TO_D0(0xA033, t, r);
	return (OSErr)r;
}
static inline OSErr VRemove(VBLTask *t) /* _VRemove A034 */
{
	int32_t r;
	MAC_A0_TO_D0(0xA034, t, r);
	return (OSErr)r;
}

static inline OSErr SlotVInstall(VBLTask *t, int16_t slot) /* _SlotVInstall A06F */
{
	int32_t r;
	MAC_A0_D0_TO_D0(0xA06F, t, slot, r);
	return (OSErr)r;
}
static inline OSErr SlotVRemove(VBLTask *t, int16_t slot) /* _SlotVRemove A070 */
{
	int32_t r;
	MAC_A0_D0_TO_D0(0xA070, t, slot, r);
	return (OSErr)r;
}

typedef struct DeferredTask {
	struct DeferredTask *qLink;
	int16_t qType;
	int16_t dtFlags;
	void (*dtAddr)(void);
	int32_t dtParam;
	int32_t dtReserved;
} __attribute__((packed, aligned(2))) DeferredTask;

static inline OSErr DTInstall(DeferredTask *t) /* _DTInstall A082 */
{
	int32_t r;
	MAC_A0_TO_D0(0xA082, t, r);
	return (OSErr)r;
}

/* Result reporting: "name ok", or "name BAD xxxxxxxx" with the failed bits. */
static inline void report(const char *name, uint32_t bad)
{
	static unsigned char msg[64];
	const char *hex = "0123456789ABCDEF";
	unsigned n = 0;
	while (name[n] && n < 40) {
		msg[1 + n] = (unsigned char)name[n];
		n++;
	}
	if (!bad) {
		msg[1 + n++] = ' ';
		msg[1 + n++] = 'o';
		msg[1 + n++] = 'k';
	} else {
		const char *b = " BAD ";
		for (int i = 0; b[i]; i++)
			msg[1 + n++] = (unsigned char)b[i];
		for (int i = 0; i < 8; i++)
			msg[1 + n++] = (unsigned char)hex[(bad >> (28 - 4 * i)) & 15];
	}
	msg[0] = (unsigned char)n;
	DebugStr(msg);
}

/* "prefix N" with N in decimal, as a DebugStr line. */
static inline void say_count(const char *prefix, uint32_t n)
{
	static unsigned char msg[64];
	unsigned len = 0;
	while (*prefix)
		msg[1 + len++] = (unsigned char)*prefix++;
	char digits[12];
	int k = 0;
	do {
		digits[k++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	while (k)
		msg[1 + len++] = (unsigned char)digits[--k];
	msg[0] = (unsigned char)len;
	DebugStr(msg);
}

#endif
