/* privileged: the VM Technote's "Emulated Instructions". Under VM an
 * application runs in user mode, so the classic way of making an update
 * atomic, masking interrupts with MOVE to SR, traps and is emulated by VM
 * every time. CAS (68020 and later) does the same job with no privileged
 * instruction. This program increments a shared counter N times each way;
 * `vm68k run --stats` shows privileged_emulated = 3 * N (MOVE from SR,
 * ORI to SR, MOVE to SR per increment) with VM on, 0 with --no-vm (the
 * application then runs in supervisor mode, as without VM on a Mac).
 * On a real Mac each emulation cost an exception and VM's decoding; in
 * vm68k's interpreter it is cheap, so the count, not the time, is what this
 * example shows. */
#include "report.h"

enum { N = 10000 };

static volatile int32_t counter;

/* MOVE SR,D0; ORI #$0700,SR (interrupts masked); the update; MOVE D0,SR. */
static void masked_increment(volatile int32_t *p)
{
	__asm__ volatile("move.w %%sr,%%d0\n\t"
			 "ori.w #0x0700,%%sr\n\t"
			 "addq.l #1,%0\n\t"
			 "move.w %%d0,%%sr"
			 : "+m"(*p)
			 :
			 : "d0", "cc");
}

/* CAS loop: read, compute, compare-and-swap until no one changed it. */
static void cas_increment(volatile int32_t *p)
{
	int32_t old = *p, next;
	do {
		next = old + 1;
		__asm__ volatile("cas.l %0,%2,%1" : "+d"(old), "+m"(*p) : "d"(next) : "cc");
	} while (old != next - 1);
}

int main(void)
{
	Line l;
	int32_t vm = vm_counter(0x766D2020u); /* 'vm  ' */
	for (int i = 0; i < N; i++)
		masked_increment(&counter);
	for (int i = 0; i < N; i++)
		cas_increment(&counter);

	line_start(&l);
	line_field(&l, "privileged: ", N);
	line_field(&l, " increments masked by MOVE to SR, ", N);
	line_text(&l, (vm & 1) ? " by CAS (VM on: --stats counts the emulations)"
			       : " by CAS (VM off: nothing to emulate)");
	line_say(&l);
	if (counter != 2 * N) {
		line_start(&l);
		line_field(&l, "privileged: counter is ", counter);
		line_field(&l, ", expected ", 2 * N);
		line_say(&l);
		return 1;
	}
	DebugStr(PSTR("privileged: counter ok"));
	return 0;
}
