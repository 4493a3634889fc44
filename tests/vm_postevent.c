/* PostEvent at interrupt time while the program pages: a VM-immune
 * ('eada') Time Manager task, every 500 µs of guest time, posts app1Evt
 * with messages 0, 1, 2, ... (POSTS in all) while the program sweeps 3 MB
 * through too few frames with --disk-latency, so most posts fall while
 * paging is unsafe and VM defers them. The program then reads them back
 * with GetOSEvent: all arrive, in order. Then the queue calls themselves:
 * SysEvtMask refusing keyUp, OSEventAvail, FlushEvents with a stop mask,
 * GetNextEvent and EventAvail, null events, and a full queue losing its
 * oldest events. Reports "postevent ok" or the failed checks, then
 * "postevent unsafe N": the posts made while paging was unsafe. The task's
 * code and state are held, as code that runs when paging is unsafe must be. */
#include "vm_traps.h"

enum { BIG = 3 << 20, POSTS = 18, app1Mask = 1 << app1Evt, keyUp = 4 };

static struct {
	TMTask tm;
	uint32_t posted, unsafe, errors;
} S;

static void tm_task(void)
{
	if (S.posted < POSTS) {
		if (PageFaultFatal())
			S.unsafe++;
		S.errors += PostEvent(app1Evt, S.posted) != noErr;
		S.posted++;
	}
	PrimeTime(&S.tm, -500);
}

int main(void)
{
	uint32_t bad = 0;
	char *big = NewPtr(BIG);
	bad |= (big == 0) << 0;
	if (bad) {
		report("postevent", bad);
		ExitToShell();
	}
	bad |= (HoldMemory(&S, sizeof S) != noErr) << 1;
	uint32_t code = ((uint32_t)tm_task & ~4095u) - 4096; /* its page and both neighbours */
	bad |= (HoldMemory((void *)code, 3 * 4096) != noErr) << 1;
	S.tm.qLink = (TMTask *)0x65616461; /* 'eada' */
	S.tm.tmAddr = tm_task;
	InsXTime(&S.tm);
	PrimeTime(&S.tm, -500);
	for (int pass = 0; pass < 3 || S.posted < POSTS; pass++)
		for (uint32_t i = 0; i < BIG; i += 4096)
			big[i]++;
	RmvTime(&S.tm);
	bad |= (S.errors != 0) << 2;

	/* Every post arrives, in order (deferred ones as paging is safe). */
	EventRecord e;
	uint32_t got = 0;
	for (uint32_t tries = 0; got < POSTS && tries < 100000; tries++) {
		if (!GetOSEvent(app1Mask, &e))
			continue;
		if (e.what != app1Evt || e.message != got)
			bad |= 1 << 3;
		got++;
	}
	bad |= (got != POSTS) << 4;
	bad |= (GetOSEvent(everyEvent, &e) || e.what != nullEvent) << 5;

	/* SysEvtMask: keyUp is not enabled. */
	bad |= (PostEvent(keyUp, 1) != evtNotEnb) << 6;
	/* Avail leaves the event queued; FlushEvents stops at the stop mask. */
	PostEvent(app1Evt, 100);
	PostEvent(app2Evt, 200);
	PostEvent(app3Evt, 300);
	PostEvent(app1Evt, 101);
	bad |= (!OSEventAvail(1 << app2Evt, &e) || e.message != 200) << 7;
	bad |= (!EventAvail(1 << app2Evt, &e) || e.message != 200) << 7;
	FlushEvents(app1Mask | 1 << app2Evt, 1 << app3Evt); /* removes 100 and 200 only */
	bad |= (!GetNextEvent(everyEvent, &e) || e.what != app3Evt || e.message != 300) << 8;
	bad |= (!GetNextEvent(everyEvent, &e) || e.message != 101) << 8;
	bad |= (GetNextEvent(everyEvent, &e) || e.what != nullEvent) << 9;
	/* A full queue (20 elements) drops its oldest events. */
	for (uint32_t i = 0; i < 25; i++)
		PostEvent(app1Evt, 1000 + i);
	bad |= (!GetOSEvent(app1Mask, &e) || e.message != 1005) << 10;
	FlushEvents(everyEvent, 0);
	bad |= OSEventAvail(everyEvent, &e) << 11;

	report("postevent", bad);
	say_count("postevent unsafe ", S.unsafe);
	ExitToShell();
}
