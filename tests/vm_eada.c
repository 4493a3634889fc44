/* An interrupt-time reader while the program pages (the VM Technote's
 * double page fault): a Time Manager task, every 500 µs of guest time,
 * reads the next page of a 256 KB buffer while the program sweeps 3 MB
 * through too few frames with --disk-latency, so tasks fall due while a
 * page-in is in progress (paging unsafe). The task starts reading after
 * the first sweep, which has pushed the buffer out unless it is held.
 *   -DEADA: qLink = 'eada', the task is VM-immune: with the buffer unheld
 *    it meets a non-resident page while paging is unsafe: a fatal page
 *    fault (the run stops, status 9); with -DHOLD it runs during page waits
 *    and the program ends with "eada ok". With -DTABLE=n it also calls
 *    DeferUserFn n + 4 times once paging is unsafe: n succeed, 4 return
 *    cannotDeferErr, and the n functions run once paging is safe.
 *   without EADA: VM defers the task until paging is safe (never run while
 *    unsafe), and --stats reports the deferred latency.
 * The task's code, its record and its state are held, as the Technote
 * requires of code that runs when paging is unsafe. */
#include "vm_traps.h"

enum { PAGES = 64, BIG = 3 << 20 };

static struct {
	TMTask tm;
	char *buf;
	uint32_t armed, fired, fired_unsafe, idx, sum, tried, ok, full, user_runs;
} S;

#ifdef TABLE
static void user_fn(void)
{
	S.user_runs++;
}
#endif

static void tm_task(void)
{
	S.fired++;
	if (PageFaultFatal()) {
		S.fired_unsafe++;
#ifdef TABLE
		if (!S.tried) {
			S.tried = 1;
			for (int k = 0; k < TABLE + 4; k++) {
				OSErr e = DeferUserFn(user_fn, 0);
				S.ok += e == noErr;
				S.full += e == cannotDeferErr;
			}
		}
#endif
	}
	if (S.armed) {
		S.sum += (unsigned char)S.buf[S.idx * 4096];
		S.idx = (S.idx + 1) & (PAGES - 1);
	}
	PrimeTime(&S.tm, -500);
}

int main(void)
{
	uint32_t bad = 0;
	S.buf = NewPtr(PAGES * 4096);
	char *big = NewPtr(BIG);
	bad |= (S.buf == 0 || big == 0) << 0;
	if (bad) {
		report("eada", bad);
		ExitToShell();
	}
	for (int i = 0; i < PAGES; i++)
		S.buf[i * 4096] = (char)i;
	bad |= (HoldMemory(&S, sizeof S) != noErr) << 1;
	uint32_t code = ((uint32_t)tm_task & ~4095u) - 4096; /* its page and both neighbours */
	bad |= (HoldMemory((void *)code, 3 * 4096) != noErr) << 2;
#ifdef HOLD
	bad |= (HoldMemory(S.buf, PAGES * 4096) != noErr) << 3;
#endif
#ifdef EADA
	S.tm.qLink = (TMTask *)0x65616461; /* 'eada' */
#endif
	S.tm.tmAddr = tm_task;
	InsXTime(&S.tm);
	PrimeTime(&S.tm, -500);
	for (int pass = 0; pass < 3; pass++) {
		for (uint32_t i = 0; i < BIG; i += 4096)
			big[i]++;
		S.armed = 1; /* the sweep has pushed the (unheld) buffer out by now */
	}
	RmvTime(&S.tm);
	bad |= (S.fired < 10) << 4;
#ifdef EADA
	bad |= (S.fired_unsafe == 0) << 5; /* immune: it ran during page waits */
#else
	bad |= (S.fired_unsafe != 0) << 5; /* deferred: never ran while unsafe */
#endif
#ifdef TABLE
	bad |= (S.ok != TABLE || S.full != 4) << 6;
	bad |= (S.user_runs != TABLE) << 7;
#endif
	report("eada", bad);
	ExitToShell();
}
