/* The Time Manager (Inside Macintosh: Processes, ch. 3; Technote 1063 for
 * 'eada'): InsTime/InsXTime/PrimeTime/RmvTime on TMTask records in guest
 * memory (qLink 0, qType 4 with bit 15 "active", tmAddr 6, tmCount 10,
 * tmWakeUp 14, tmReserved 18). Tasks run at level 1 in guest code with A0 =
 * tmAddr and A1 = the task (toolbox/interrupts.c). A task whose qLink
 * holds 'eada' when it is installed is VM-immune: never deferred.
 * The queue itself is kept here, not linked through qLink, and InsTime does
 * not refuse a task already installed (as the Mac's did not): each copy
 * fires, which is how unbalanced InsTime calls fill VM's table. */
#include "config.h"

#include "toolbox/tb.h"

enum { kTMTaskActive = 0x8000, EADA = 0x65616461 };

static int find(struct vmint *v, gaddr task)
{
	for (unsigned i = 0; i < v->ntm; i++)
		if (v->tm[i].task == task)
			return (int)i;
	return -1;
}

/* _InsTime $A058 and _InsXTime $A458 (flag bit 10): A0 = the task. */
NATIVE(InsTime)
{
	struct cpu *c = &tb->cpu;
	struct vmint *v = &tb->vmint;
	gaddr t = c->a[0];
	if (v->ntm == TM_MAX) {
		tb_stop(tb, 5, "InsTime at PC %08X: more than %u Time Manager tasks installed",
			tb->insn_pc, TM_MAX);
		return;
	}
	v->tm[v->ntm].task = t;
	v->tm[v->ntm].active = false;
	v->tm[v->ntm].extended = (call->word & 0x0400) != 0;
	v->tm[v->ntm].immune = rd32(tb, t) == EADA;
	v->tm[v->ntm].due_ns = 0;
	v->ntm++;
	wr16(tb, t + 4, rd16(tb, t + 4) & ~kTMTaskActive);
	if (call->word & 0x0400)
		wr32(tb, t + 14, 0); /* tmWakeUp: no previous wake-up */
	c->d[0] = 0;
}

/* _PrimeTime $A05A: A0 = the task, D0 = delay (> 0 ms, < 0 negated µs).
 * An extended task with a tmWakeUp is timed from its last wake-up, so
 * periodic tasks do not drift. Every queued copy of the task is primed. */
NATIVE(PrimeTime)
{
	(void)call;
	struct cpu *c = &tb->cpu;
	struct vmint *v = &tb->vmint;
	gaddr t = c->a[0];
	int32_t count = (int32_t)c->d[0];
	uint64_t delay = count >= 0 ? (uint64_t)count * 1000000u : (uint64_t)-(int64_t)count * 1000u;
	uint64_t now = tb_guest_ns(tb);
	bool any = false;
	for (unsigned i = 0; i < v->ntm; i++) {
		if (v->tm[i].task != t)
			continue;
		uint64_t base = now;
		if (v->tm[i].extended && rd32(tb, t + 14) != 0 && v->tm[i].due_ns != 0)
			base = v->tm[i].due_ns;
		v->tm[i].due_ns = base + delay;
		v->tm[i].active = true;
		if (v->tm[i].extended)
			wr32(tb, t + 14, (uint32_t)(v->tm[i].due_ns / 1000u) | 1u);
		any = true;
	}
	if (any)
		wr16(tb, t + 4, rd16(tb, t + 4) | kTMTaskActive);
	vmint_reschedule(tb);
	c->d[0] = 0;
}

/* _RmvTime $A059: A0 = the task; tmCount gets the time left (negated µs)
 * if it was still active, else 0. */
NATIVE(RmvTime)
{
	(void)call;
	struct cpu *c = &tb->cpu;
	struct vmint *v = &tb->vmint;
	gaddr t = c->a[0];
	int i = find(v, t);
	c->d[0] = 0;
	if (i < 0)
		return;
	int32_t left = 0;
	uint64_t now = tb_guest_ns(tb);
	if (v->tm[i].active && v->tm[i].due_ns > now)
		left = -(int32_t)((v->tm[i].due_ns - now) / 1000u);
	wr32(tb, t + 10, (uint32_t)left);
	wr16(tb, t + 4, rd16(tb, t + 4) & ~kTMTaskActive);
	v->tm[i] = v->tm[--v->ntm];
}
