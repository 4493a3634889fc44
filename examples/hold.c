/* hold: the VM Technote's fatal page fault at interrupt time, and its two
 * cures. A Time Manager task, every 500 us of guest time, reads the next
 * page of a 256 KB buffer while the program sweeps twice physical memory,
 * so tasks fall due while a page-in is in progress (paging unsafe). Run it
 * with a disk latency, so that page-ins take guest time:
 *   vm68k run --ram 1M --vm 8M --disk-latency 1ms --stats --example hold
 * It runs three phases, one line each; the last one ends the run:
 *   1. a plain task: VM defers it while paging is unsafe (it never runs
 *      then) and runs it when paging is safe again, late: the task
 *      measures its lateness (_Microseconds) and --stats reports the
 *      latency deferral added (deferred_latency_max_us, _avg_us);
 *   2. the same task with qLink = 'eada' (VM-immune: never deferred) and
 *      the buffer held (HoldMemory): it runs during page-ins, on time, no
 *      fault;
 *   3. 'eada' with the buffer unheld: the task meets a page the sweep
 *      pushed out while paging is unsafe, a fatal page fault (exit status
 *      9, a bus error frame on the interrupt stack).
 * With VM off, or --disk-latency 0 (page-ins take no guest time), paging
 * is never unsafe when the task runs: all three phases end normally. The
 * task's code, record and state are held, as the Technote requires of code
 * that runs when paging is unsafe; only the buffer is left to chance. */
#include "report.h"

enum { PAGE = 4096, PAGES = 64, PERIOD_US = 500 };

static struct {
	TMTask tm;
	volatile char *buf;
	volatile uint32_t armed, runs, runs_unsafe, idx, sum;
	/* lateness, in guest microseconds: when the task is due (it is
	 * installed with InsTime, so PrimeTime counts from the call, not from
	 * the last due time), how late it ran at most and in all */
	volatile uint32_t due, late_max, late_sum;
} S;

static void task(void)
{
	UnsignedWide now;
	Microseconds(&now);
	int32_t late = (int32_t)(now.lo - S.due);
	if (late < 0)
		late = 0;
	if ((uint32_t)late > S.late_max)
		S.late_max = (uint32_t)late;
	S.late_sum += (uint32_t)late;
	S.runs++;
	if (PageFaultFatal())
		S.runs_unsafe++;
	if (S.armed) {
		S.sum += (unsigned char)S.buf[S.idx * PAGE];
		S.idx = (S.idx + 1) % PAGES;
	}
	Microseconds(&now);
	S.due = now.lo + PERIOD_US;
	PrimeTime(&S.tm, -PERIOD_US);
}

/* One phase: the task installed ('eada' or not), three sweeps of big; the
 * task starts reading after the first, which has pushed the buffer out of
 * physical memory unless it is held. */
static void phase(const char *what, int eada, char *big, int32_t size)
{
	Line l;
	S.tm.qLink = eada ? (TMTask *)0x65616461 : 0; /* 'eada', read by InsTime */
	S.tm.tmAddr = task;
	S.armed = S.runs = S.runs_unsafe = S.late_max = S.late_sum = 0;
	UnsignedWide now;
	InsTime(&S.tm);
	Microseconds(&now);
	S.due = now.lo + PERIOD_US;
	PrimeTime(&S.tm, -PERIOD_US);
	for (int pass = 0; pass < 3; pass++) {
		for (int32_t i = 0; i < size; i += PAGE)
			big[i]++;
		S.armed = 1;
	}
	RmvTime(&S.tm);
	line_start(&l);
	line_text(&l, "hold: ");
	line_text(&l, what);
	line_field(&l, ": ", (int32_t)S.runs);
	line_field(&l, " runs, ", (int32_t)S.runs_unsafe);
	line_field(&l, " while paging was unsafe; late by up to ", (int32_t)S.late_max);
	line_field(&l, " us (average ", S.runs ? (int32_t)(S.late_sum / S.runs) : 0);
	line_text(&l, " us)");
	line_say(&l);
}

int main(void)
{
	Line l;
	int32_t ram = vm_counter(0x72616D20u); /* 'ram ' */
	S.buf = NewPtr(PAGES * PAGE);
	int32_t size = 2 * ram;
	char *big = 0;
	while (size >= 256 * 1024 && (big = NewPtr(size)) == 0)
		size -= size / 8;
	if (S.buf == 0 || big == 0) {
		DebugStr(PSTR("hold: no memory for the buffers"));
		return 1;
	}
	for (int i = 0; i < PAGES; i++)
		S.buf[i * PAGE] = (char)i;
	/* What runs at interrupt time is held: the task's state and record,
	 * and its code (its page and both neighbours). VM off: nothing to hold. */
	uint32_t code = ((uint32_t)task & ~(uint32_t)(PAGE - 1)) - PAGE;
	int32_t vmbits = vm_counter(0x766D2020u); /* 'vm  ': bit 0 gestaltVMPresent */
	int vm = vmbits > 0 && (vmbits & 1);
	if (vm &&
	    (HoldMemory(&S, sizeof S) != noErr || HoldMemory((void *)code, 3 * PAGE) != noErr)) {
		DebugStr(PSTR("hold: HoldMemory of the task failed"));
		return 1;
	}

	line_start(&l);
	line_field(&l, "hold: a task every 500 us reads a 256 KB buffer while ", size / 1024);
	line_text(&l, " KB are swept 3 times");
	line_text(&l, vm ? "" : " (VM off: nothing pages)");
	line_say(&l);

	phase("plain task (VM defers it)", 0, big, size);

	int held = HoldMemory((const void *)S.buf, PAGES * PAGE) == noErr;
	phase(held ? "'eada' task, buffer held" : "'eada' task (HoldMemory failed)", 1, big, size);
	if (held)
		UnholdMemory((const void *)S.buf, PAGES * PAGE);

	DebugStr(PSTR("hold: 'eada' task, buffer unheld: a fatal page fault ends the run if paging "
		      "was unsafe when it read a page the sweep pushed out"));
	phase("'eada' task, buffer unheld", 1, big, size);
	DebugStr(PSTR("hold: no fatal page fault: paging was never unsafe when the task read "
		      "(VM off, or --disk-latency 0)"));
	return 0;
}
