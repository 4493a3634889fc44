/* The Vertical Retrace Manager (Inside Macintosh: Processes, ch. 4):
 * VInstall/VRemove on VBLTask records in guest memory (qLink 0, qType 4 =
 * vType, vblAddr 6, vblCount 10, vblPhase 12). At each 60.15 Hz tick of
 * guest time the level-1 interrupt decrements every task's vblCount and
 * calls those that reach 0, with A0 = the task; a task that leaves its
 * count at 0 is not called again (toolbox/interrupts.c). Slot VBL tasks
 * (SlotVInstall/SlotVRemove, D0 = the slot) join the same queue: the one
 * screen refreshes at 60.15 Hz too. */
#include "config.h"

#include "toolbox/tb.h"

enum { vType = 1, vTypErr = -2, qErr = -1 };

/* _VInstall $A033: A0 = the task; D0 = noErr or vTypErr. Also
 * _SlotVInstall $A06F (D0 = the slot, any). */
NATIVE(VInstall)
{
	(void)call;
	struct cpu *c = &tb->cpu;
	struct vmint *v = &tb->vmint;
	gaddr t = c->a[0];
	if (rd16(tb, t + 4) != vType) {
		c->d[0] = (uint32_t)vTypErr;
		return;
	}
	if (v->nvbl == VBL_MAX) {
		tb_stop(tb, 5, "VInstall at PC %08X: more than %u VBL tasks", tb->insn_pc, VBL_MAX);
		return;
	}
	if (v->nvbl == 0) /* the next tick after now */
		v->next_vbl_ns = (tb_guest_ns(tb) / VBL_PERIOD_NS + 1) * VBL_PERIOD_NS;
	v->vbl[v->nvbl++] = t;
	vmint_reschedule(tb);
	c->d[0] = 0;
}

/* _VRemove $A034: A0 = the task; D0 = noErr or qErr if it is not
 * installed. Also _SlotVRemove $A070. */
NATIVE(VRemove)
{
	(void)call;
	struct cpu *c = &tb->cpu;
	struct vmint *v = &tb->vmint;
	for (unsigned i = 0; i < v->nvbl; i++) {
		if (v->vbl[i] == c->a[0]) {
			for (unsigned j = i + 1; j < v->nvbl; j++)
				v->vbl[j - 1] = v->vbl[j];
			v->nvbl--;
			c->d[0] = 0;
			return;
		}
	}
	c->d[0] = (uint32_t)qErr;
}
