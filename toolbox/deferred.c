/* Deferred work: the Deferred Task Manager's DTInstall (Inside Macintosh:
 * Processes, ch. 6; DeferredTask: qLink 0, qType 4, dtFlags 6, dtAddr 8,
 * dtParam 12) and VM's DeferUserFn (Inside Macintosh: Memory, ch. 3). Both
 * run from the level-1 interrupt once paging is safe (toolbox/interrupts.c),
 * deferred tasks at level 0 as it returns there:
 * deferred tasks with A1 = dtParam, user functions with A0 = the argument. */
#include "config.h"

#include "toolbox/tb.h"


/* _DTInstall $A082: A0 = the task. */
NATIVE(DTInstall)
{
	(void)call;
	struct cpu *c = &tb->cpu;
	struct vmint *v = &tb->vmint;
	gaddr t = c->a[0];
	if (v->ndt == DT_MAX) {
		tb_stop(tb, 5, "DTInstall at PC %08X: more than %u deferred tasks", tb->insn_pc,
			DT_MAX);
		return;
	}
	v->dt[v->ndt++] = (struct vmint_call){.proc = rd32(tb, t + 8),
					      .a1 = rd32(tb, t + 12),
					      .kind = VK_DEFERRED_TASK,
					      .due_ns = tb_guest_ns(tb),
					      .task = t};
	vmint_raise(tb);
	c->d[0] = 0;
}

/* _DeferUserFn $A08F: A0 = the function, D0 = its argument. With paging
 * safe (or VM off) the function is called at once, as the trap returns;
 * otherwise it waits in the table; cannotDeferErr when the table is full. */
NATIVE(DeferUserFn)
{
	(void)call;
	struct cpu *c = &tb->cpu;
	struct vmint *v = &tb->vmint;
	gaddr fn = c->a[0];
	uint32_t arg = c->d[0];
	if (!vmint_paging_unsafe(tb)) {
		c->d[0] = 0;
		v->userfn_runs++;
		tb_call68k_after_trap(tb, fn, 0, arg, 0, NULL, 0);
		return;
	}
	if (v->ndeferred == v->defer_size) {
		c->d[0] = (uint32_t)cannotDeferErr;
		return;
	}
	struct vmint_call d = {.proc = fn,
			       .a0 = arg,
			       .kind = VK_DEFERRED_USER_FN,
			       .due_ns = tb_guest_ns(tb)};
	vmint_defer(tb, &d);
	c->d[0] = 0;
}
