/* A handler installed in a low-memory interrupt vector (the level-1
 * autovector at $64) is not user code: VM never defers it. It counts the
 * interrupts and chains to the previous handler (the system's, which runs
 * the Time Manager task that keeps level-1 interrupts coming). With
 * -DTOUCH it also reads an unheld buffer once the program's sweep has pushed
 * it out: during a page wait that is a fatal page fault (status 9).
 * Also: MOVE USP,An in user mode (under VM) is emulated. */
#include "vm_traps.h"

enum { BIG = 3 << 20 };

volatile uint32_t vec_count, vec_armed;
char *vec_buf;
void *vec_old;
void vec_handler(void);
__asm__(".text\n"
	".globl vec_handler\n"
	"vec_handler:\n"
	"	addq.l #1,vec_count\n"
	"	tst.l vec_armed\n"
	"	beq.s 1f\n"
	"	move.l %a0,-(%sp)\n"
	"	move.l vec_buf,%a0\n"
	"	tst.b (%a0)\n"
	"	move.l (%sp)+,%a0\n"
	"1:	move.l vec_old,-(%sp)\n"
	"	rts\n");

static TMTask tm;
static volatile uint32_t tm_runs;

static void tm_task(void)
{
	tm_runs++;
	PrimeTime(&tm, -700);
}

int main(void)
{
	uint32_t bad = 0;
	char *block = NewPtr(64 * 1024);
	vec_buf = block + 32 * 1024; /* a page nothing else touches */
	char *big = NewPtr(BIG);
	bad |= (block == 0 || big == 0) << 0;
	if (bad) {
		report("vector", bad);
		ExitToShell();
	}
	vec_buf[0] = 1;
	/* what runs when paging is unsafe must be held (the buffer is not) */
	bad |= (HoldMemory((void *)(((uint32_t)vec_handler & ~4095u) - 4096), 3 * 4096) != noErr) << 1;
	bad |= (HoldMemory((void *)&vec_count, 4) != noErr || HoldMemory((void *)&vec_armed, 4) != noErr ||
		HoldMemory(&vec_buf, 4) != noErr || HoldMemory(&vec_old, 4) != noErr)
	       << 2;
	volatile void **autovector1;
	__asm__("" : "=r"(autovector1) : "0"(0x64)); /* low memory: no C object there */
	vec_old = (void *)*autovector1;
	*autovector1 = (void *)vec_handler;

	tm.tmAddr = tm_task;
	InsTime(&tm);
	PrimeTime(&tm, -700);
	for (int pass = 0; pass < 3; pass++) {
		for (uint32_t i = 0; i < BIG; i += 4096)
			big[i]++;
#ifdef TOUCH
		vec_armed = 1;
#endif
	}
	RmvTime(&tm);
	*autovector1 = vec_old;
	bad |= (tm_runs < 10) << 3;
	bad |= (vec_count < tm_runs) << 4; /* every level-1 interrupt went through it */

	/* MOVE USP,A0: in user mode (VM on) the application's own SP */
	uint32_t usp, sp;
	__asm__ volatile("move.l %%usp,%%a0\n\tmove.l %%a0,%0\n\tmove.l %%sp,%1"
			 : "=g"(usp), "=g"(sp)
			 :
			 : "a0");
	bad |= (usp != sp) << 5;
	report("vector", bad);
	ExitToShell();
}
