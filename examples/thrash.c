/* thrash: sweeps a working set from a quarter of physical memory to twice
 * it and reports, per sweep size, the page faults each pass took. While the
 * working set fits in physical memory (--ram) a pass takes no fault once
 * its pages are in; past it, the pager's clock evicts each page shortly
 * before the sweep comes back to it, and every page of every pass faults:
 * the VM Technote's thrashing. Fault counts come from vm68k's Gestalt
 * selectors ('VMpi', 'VMzf'); ticks are TickCount's, which vm68k takes
 * from the host's clock, so they vary from run to run. */
#include "report.h"

enum { PAGE = 4096, PASSES = 3 };

/* Percentages of physical memory the sweeps cover. */
static const int16_t percents[] = {25, 50, 75, 90, 110, 125, 150, 200};

/* One pass: a write to one long of every page, as a program walking an
 * array of page-sized records would; writing makes the pages dirty, so
 * evicting them costs a page-out too. */
static void sweep(volatile int32_t *base, int32_t pages)
{
	for (int32_t i = 0; i < pages; i++)
		base[i * (PAGE / 4)] += 1;
}

int main(void)
{
	Line l;
	int32_t ram = vm_counter(0x72616D20u); /* 'ram ': physical memory */
	int32_t vm = vm_counter(0x766D2020u);  /* 'vm  ': bit 0 VM present */
	if (ram <= 0) {
		DebugStr(PSTR("thrash: Gestalt 'ram ' failed"));
		return 1;
	}
	int32_t most = ram / 100 * percents[sizeof percents / sizeof percents[0] - 1];
	/* The largest block the heap gives (logical memory may be smaller than
	 * twice physical memory, e.g. with --no-vm): halve until NewPtr succeeds. */
	Ptr buf = 0;
	int32_t have = most + PAGE;
	while (have >= 64 * 1024 && (buf = NewPtr(have)) == 0)
		have -= have / 8;
	if (buf == 0) {
		DebugStr(PSTR("thrash: no memory for the sweep"));
		return 1;
	}
	/* Page-align the sweep so each pass touches exactly `pages` pages. */
	volatile int32_t *base =
	    (volatile int32_t *)(((uint32_t)buf + PAGE - 1) & ~(uint32_t)(PAGE - 1));
	int32_t max_pages = (have - PAGE) / PAGE;

	line_start(&l);
	line_field(&l, "thrash: physical memory ", ram / 1024);
	line_field(&l, "K, sweeps up to ", max_pages * (PAGE / 1024));
	line_text(&l, (vm & 1) ? "K, VM on" : "K, VM off");
	line_say(&l);

	for (unsigned i = 0; i < sizeof percents / sizeof percents[0]; i++) {
		int32_t pages = ram / 100 * percents[i] / PAGE;
		if (pages > max_pages) {
			line_start(&l);
			line_field(&l, "thrash: sweep ", percents[i]);
			line_text(&l, "% of RAM: skipped (logical memory too small)");
			line_say(&l);
			continue;
		}
		sweep(base, pages); /* bring the set in: its first faults are not the rate */
		int32_t f0 = hard_faults(), o0 = vm_counter(gestaltVM68KPageOuts);
		uint32_t t0 = TickCount();
		for (int p = 0; p < PASSES; p++)
			sweep(base, pages);
		uint32_t ticks = TickCount() - t0;
		int32_t faults = hard_faults() - f0, outs = vm_counter(gestaltVM68KPageOuts) - o0;
		line_start(&l);
		line_field(&l, "thrash: sweep ", percents[i]);
		line_field(&l, "% of RAM (", pages);
		line_field(&l, " pages): ", faults / PASSES);
		line_field(&l, " faults/pass (",
			   (int32_t)((int64_t)faults * 100 / ((int64_t)pages * PASSES)));
		line_field(&l, "% of pages), ", outs / PASSES);
		line_field(&l, " page-outs/pass, ", (int32_t)ticks);
		line_text(&l, " ticks");
		line_say(&l);
	}
	DisposePtr(buf);
	DebugStr(PSTR("thrash: done"));
	return 0;
}
