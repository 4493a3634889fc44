/* vmevents: a 68K application that makes every kind of VM event the
 * --trace records of `vm68k run` are checked for (tests/trace_run_test.sh):
 * HoldMemory/UnholdMemory and LockMemory/UnlockMemory on pages of its own,
 * zero-fills, dirty pages paged out and read back from the backing store
 * (two write sweeps of twice physical memory), and a privileged
 * instruction emulated in user mode. It also reports the low-memory
 * RndSeed ($156), which --seed sets. */
#include "../examples/report.h"

enum { PAGE = 4096 };

static void say(const char *text, int32_t v)
{
	Line l;
	line_start(&l);
	line_field(&l, text, v);
	line_say(&l);
}

int main(void)
{
	Line l;
	/* RndSeed as an unsigned decimal: line_num prints signed values. */
	uint32_t seed;
	__asm__ volatile("move.l 0x156:w,%0" : "=d"(seed)); /* RndSeed */
	line_start(&l);
	line_text(&l, "vmevents: RndSeed ");
	char d[10];
	int n = 0;
	do {
		d[n++] = (char)('0' + seed % 10);
		seed /= 10;
	} while (seed);
	while (n)
		l.s[++l.s[0]] = (unsigned char)d[--n];
	line_say(&l);

	Ptr pin = NewPtr(3 * PAGE);
	if (pin == 0) {
		DebugStr(PSTR("vmevents: no memory"));
		return 1;
	}
	char *p = (char *)(((uint32_t)pin + PAGE - 1) & ~(uint32_t)(PAGE - 1));
	OSErr e;
	if ((e = HoldMemory(p, PAGE)) != noErr) {
		say("vmevents: HoldMemory failed: ", e);
		return 1;
	}
	if ((e = LockMemory(p + PAGE, PAGE)) != noErr) {
		say("vmevents: LockMemory failed: ", e);
		return 1;
	}
	p[0] = 1;
	p[PAGE] = 2;

	/* Twice physical memory, written twice: the first sweep zero-fills
	 * and pages dirty pages out, the second reads them back. */
	int32_t ram = vm_counter(0x72616D20u); /* 'ram ' */
	int32_t size = 2 * ram;
	Ptr work = 0;
	while (size >= 64 * 1024 && (work = NewPtr(size)) == 0)
		size -= size / 8;
	if (work != 0) {
		for (int pass = 0; pass < 2; pass++)
			for (int32_t i = 0; i < size; i += PAGE)
				work[i] = (char)(pass + 1);
		DisposePtr(work);
	}

	/* MOVE from SR is privileged on the 68010 and later: emulated under VM. */
	uint16_t sr;
	__asm__ volatile("move.w %%sr,%0" : "=d"(sr));

	if ((e = UnlockMemory(p + PAGE, PAGE)) != noErr)
		say("vmevents: UnlockMemory failed: ", e);
	if ((e = UnholdMemory(p, PAGE)) != noErr)
		say("vmevents: UnholdMemory failed: ", e);
	DisposePtr(pin);
	say("vmevents: swept bytes ", size);
	DebugStr(PSTR("vmevents: done"));
	return 0;
}
