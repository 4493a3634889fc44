/* Interrupt-time code in guest time: a Time Manager task fires after its
 * delay (50 ms = 3 ticks) and re-primes itself; a VBL task runs once per
 * tick, a slot VBL task too; DeferUserFn calls its function at once while
 * paging is safe; a deferred task runs soon after DTInstall (at level 0,
 * Time Manager tasks at level 1); with VM off, STOP waits for the Time
 * Manager's interrupt. Reports "timer ok" or the failed checks. Built by
 * tests/vm_interrupts_test.sh. */
#include "vm_traps.h"

static volatile uint32_t tm_fired, tm_tick, vbl_runs, user_fn_runs, dt_runs;
static volatile uint16_t tm_sr, dt_sr;
static TMTask tm;
static VBLTask vbl;
static DeferredTask dt;

static void tm_task(void)
{
	if (tm_fired++ == 0) {
		tm_tick = TickCount();
		uint16_t sr;
		__asm__ volatile("move.w %%sr,%0" : "=d"(sr)); /* supervisor: not emulated */
		tm_sr = sr;
	}
	if (tm_fired < 10)
		PrimeTime(&tm, 10);
}

static void vbl_task(void)
{
	vbl_runs++;
	vbl.vblCount = 1;
}

static void user_fn(void)
{
	user_fn_runs++;
}

static void dt_task(void)
{
	uint16_t sr;
	__asm__ volatile("move.w %%sr,%0" : "=d"(sr));
	dt_sr = sr;
	dt_runs++;
}

static TMTask tm2;
static volatile uint32_t tm2_fired;
static void tm2_task(void)
{
	tm2_fired++;
}

int main(void)
{
	uint32_t bad = 0;
	/* Time Manager */
	InsTime(&tm);
	tm.tmAddr = tm_task;
	uint32_t start = TickCount();
	PrimeTime(&tm, 50);
	bad |= ((tm.qType & 0x8000) == 0) << 0; /* active */
	for (uint32_t i = 0; i < 2000000 && tm_fired < 10; i++)
		;
	uint32_t late = TickCount();
	bad |= (tm_fired != 10) << 1;
	/* 50 ms is 3 ticks; the 9 more at 10 ms each take 5.4 more */
	bad |= (tm_tick - start < 2 || tm_tick - start > 4) << 2;
	bad |= (late - start < 7 || late - start > 10) << 3;
	RmvTime(&tm);
	bad |= ((tm.qType & 0x8000) != 0) << 4;

	/* VBL: 30 ticks, one run each */
	vbl.qType = 1;
	vbl.vblAddr = vbl_task;
	vbl.vblCount = 1;
	bad |= (VInstall(&vbl) != noErr) << 5;
	start = TickCount();
	while (TickCount() - start < 30)
		;
	bad |= (VRemove(&vbl) != noErr) << 6;
	bad |= (vbl_runs < 29 || vbl_runs > 31) << 7;
	uint32_t runs = vbl_runs;
	Delay(5);
	bad |= (vbl_runs != runs) << 8; /* removed: no more runs */
	bad |= (VRemove(&vbl) != -1) << 9; /* qErr */
	VBLTask wrong = {0, 2, vbl_task, 1, 0};
	bad |= (VInstall(&wrong) != -2) << 10; /* vTypErr */
	/* a slot VBL task: the same, through SlotVInstall */
	vbl.vblCount = 1;
	vbl_runs = 0;
	bad |= (SlotVInstall(&vbl, 0xE) != noErr) << 17;
	start = TickCount();
	while (TickCount() - start < 10)
		;
	bad |= (SlotVRemove(&vbl, 0xE) != noErr || vbl_runs < 9 || vbl_runs > 11) << 18;

	/* DeferUserFn with paging safe: called as the trap returns */
	bad |= (DeferUserFn(user_fn, 0) != noErr) << 11;
	bad |= (user_fn_runs != 1) << 12;

	/* Deferred Task Manager */
	dt.dtAddr = dt_task;
	bad |= (DTInstall(&dt) != noErr) << 13;
	for (int i = 0; i < 1000 && dt_runs == 0; i++)
		;
	bad |= (dt_runs != 1) << 14;
	/* Time Manager tasks at level 1, deferred tasks at level 0, both in
	 * supervisor mode */
	bad |= ((tm_sr & 0x2700) != 0x2100 || (dt_sr & 0x2700) != 0x2000) << 16;

	/* STOP waits for the next interrupt (VM off: the program runs in
	 * supervisor mode, so STOP is its to execute). */
	uint16_t sr;
	__asm__ volatile("move.w %%sr,%0" : "=d"(sr));
	if (sr & 0x2000) {
		tm2.tmAddr = tm2_task;
		InsTime(&tm2);
		PrimeTime(&tm2, 5);
		__asm__ volatile("stop #0x2000" ::: "memory");
		bad |= (tm2_fired != 1) << 15;
		RmvTime(&tm2);
	}
	report("timer", bad);
	ExitToShell();
}
