/* Interrupt-time code and System 7 VM's rules for it. Guest time is the
 * instruction count plus simulated disk time; the level-1 interrupt (the
 * VIA on a Mac II) is raised when a VBL tick or a Time Manager task is due,
 * taken by the CPU through the autovector at $64 like any interrupt, and its
 * default handler (the ROM stub) runs the due tasks in guest code at level
 * 1, supervisor mode, one after the other, then returns with RTE. While a
 * page fault is being serviced (page waits, --disk-latency) paging is
 * unsafe ("vM"): user code is deferred through the bounded table of
 * deferred user functions (full: system error 112) and run when paging is
 * safe again; VM-immune code runs at once, and if it touches a page that is
 * not resident the pager makes that a fatal page fault (VM Technote). */
#include "config.h"

#include "toolbox/tb.h"

#include <stdio.h>

enum { MASKED_SLICE = 64, LEVEL = 1 };

uint64_t tb_guest_ns(struct toolbox *tb)
{
	return tb->cpu.icount * GUEST_NS_PER_INSN + tb->vmint.extra_ns;
}

void vmint_init(struct toolbox *tb)
{
	struct vmint *v = &tb->vmint;
	v->defer_size = tb->cfg.defer_table_size ? tb->cfg.defer_table_size : DEFER_TABLE_DEFAULT;
	if (v->defer_size > DEFER_TABLE_MAX)
		v->defer_size = DEFER_TABLE_MAX;
	v->next_vbl_ns = VBL_PERIOD_NS;
	v->page_wait_on = tb->cfg.vm;
	if (tb->cfg.vm)
		pager_set_page_wait(tb->pager, true);
}

bool vmint_paging_unsafe(struct toolbox *tb)
{
	return pager_vm_state(tb->pager) == PAGER_STATE_VM_UNSAFE;
}

static unsigned ipl(struct toolbox *tb)
{
	return (tb->cpu.sr & SR_IPL) >> 8;
}

/* Work the level-1 dispatcher has now, whatever the time. */
static bool work_now(struct toolbox *tb)
{
	struct vmint *v = &tb->vmint;
	return v->nioc || v->want_irq ||
	       (!vmint_paging_unsafe(tb) && (v->ndeferred || (v->ndt && !v->dt_phase)));
}

/* The next guest time a level-1 source is due (UINT64_MAX: none). */
static uint64_t next_due(struct toolbox *tb)
{
	struct vmint *v = &tb->vmint;
	uint64_t t = v->nvbl ? v->next_vbl_ns : UINT64_MAX;
	for (unsigned i = 0; i < v->ntm; i++)
		if (v->tm[i].active && v->tm[i].due_ns < t)
			t = v->tm[i].due_ns;
	return t;
}

uint64_t vmint_budget(struct toolbox *tb, uint64_t budget)
{
	struct vmint *v = &tb->vmint;
	uint64_t now = tb_guest_ns(tb);
	uint64_t t = next_due(tb);
	if (v->busy_until_ns && v->busy_until_ns < t)
		t = v->busy_until_ns;
	if (work_now(tb))
		t = now;
	if (t == UINT64_MAX)
		return budget;
	if (t <= now) /* due but masked: look again soon */
		return budget < MASKED_SLICE ? budget : MASKED_SLICE;
	uint64_t n = (t - now + GUEST_NS_PER_INSN - 1) / GUEST_NS_PER_INSN;
	return n < budget ? n : budget;
}

void vmint_raise(struct toolbox *tb)
{
	tb->vmint.want_irq = true;
	vmint_reschedule(tb);
}

void vmint_reschedule(struct toolbox *tb)
{
	cpu_request_stop(&tb->cpu); /* end the slice: its budget was for the old schedule */
}

/* Takes the level-1 interrupt now if the mask allows: the CPU stacks its
 * frame and goes through the autovector ($64). */
static bool take_interrupt(struct toolbox *tb)
{
	struct cpu *c = &tb->cpu;
	if (ipl(tb) >= LEVEL || c->halted)
		return false;
	tb->vmint.want_irq = false;
	c->irq_level = LEVEL;
	/* A pending stop request ends the first step before the interrupt is
	 * taken; the second one takes it. */
	for (int i = 0; i < 2 && ipl(tb) < LEVEL && !c->halted; i++)
		cpu_step(c);
	c->irq_level = 0;
	return ipl(tb) >= LEVEL;
}

static bool due(struct toolbox *tb)
{
	return work_now(tb) || next_due(tb) <= tb_guest_ns(tb);
}

static void paging_safe_again(struct toolbox *tb)
{
	struct vmint *v = &tb->vmint;
	v->busy_until_ns = 0;
	pager_set_paging_safe(tb->pager, true);
}

void vmint_after_slice(struct toolbox *tb, enum cpu_stop why)
{
	struct vmint *v = &tb->vmint;
	if (why == CPU_STOP_SUSPENDED && v->pending_wait_ns) {
		/* The faulting instruction waits for its page: paging is unsafe
		 * until the disk is done, and the program does not run. */
		uint64_t now = tb_guest_ns(tb);
		uint64_t from = v->busy_until_ns > now ? v->busy_until_ns : now;
		v->page_wait_ns += v->pending_wait_ns;
		v->busy_until_ns = from + v->pending_wait_ns;
		v->pending_wait_ns = 0;
		v->page_waits++;
		v->blocked_ipl = ipl(tb);
		pager_set_paging_safe(tb->pager, false);
	}
	if (why == CPU_STOP_STOPPED && tb->cpu.stopped && ipl(tb) < LEVEL) {
		/* STOP waits for an interrupt: guest time passes to the next one. */
		uint64_t now = tb_guest_ns(tb), t = next_due(tb);
		if (v->busy_until_ns && v->busy_until_ns < t)
			t = v->busy_until_ns;
		if (t != UINT64_MAX && t > now)
			v->extra_ns += t - now;
	}
	for (unsigned guard = 0; guard < 100000 && !tb->stop; guard++) {
		uint64_t now = tb_guest_ns(tb);
		if (v->busy_until_ns && now >= v->busy_until_ns)
			paging_safe_again(tb);
		if (due(tb) && take_interrupt(tb))
			return; /* run the handler */
		if (!v->busy_until_ns || ipl(tb) > v->blocked_ipl)
			return; /* the program (or an interrupt handler) runs on */
		/* Blocked on the paging disk: guest time passes to the next
		 * interrupt source or the end of the wait. */
		uint64_t t = v->busy_until_ns;
		if (ipl(tb) < LEVEL) {
			uint64_t d = next_due(tb);
			if (d > now && d < t)
				t = d;
		}
		if (t > now)
			v->extra_ns += t - now;
	}
}

bool vmint_page_wait(struct toolbox *tb, uint64_t wait_ns)
{
	struct vmint *v = &tb->vmint;
	/* A native routine's own access (in a trap) cannot be suspended
	 * half-way: it completes, and the time is charged without letting
	 * interrupts in. */
	if (!v->page_wait_on || (tb->cpu.ir & 0xF000) == 0xA000) {
		v->extra_ns += wait_ns;
		return false;
	}
	v->pending_wait_ns += wait_ns;
	return true;
}

bool vmint_defer(struct toolbox *tb, const struct vmint_call *c)
{
	struct vmint *v = &tb->vmint;
	if (v->ndeferred == v->defer_size) {
		wr16(tb, DSErrCode, dsVMDeferredFuncTableFull);
		tb_stop(tb, 4,
			"System error 112 (dsVMDeferredFuncTableFull) at PC %08X: %u deferred "
			"user functions waiting for paging to be safe",
			tb->cpu.pc, v->ndeferred);
		return false;
	}
	/* Its added latency counts from now, when it would have run. */
	v->deferred[v->ndeferred] = *c;
	v->deferred[v->ndeferred++].due_ns = tb_guest_ns(tb);
	v->deferred_total++;
	return true;
}

void tb_io_complete(struct toolbox *tb, gaddr pb, gaddr routine, int16_t result, bool vm_immune)
{
	struct vmint *v = &tb->vmint;
	if (routine == 0)
		return;
	if (v->nioc == IOC_MAX) {
		tb_stop(tb, 5, "More than %u I/O completion routines pending", IOC_MAX);
		return;
	}
	v->ioc[v->nioc++] = (struct vmint_call){.proc = routine,
						.a0 = pb,
						.d0 = (uint32_t)(int32_t)result,
						.kind = VK_IO_COMPLETION,
						.immune = vm_immune,
						.due_ns = tb_guest_ns(tb)};
	vmint_raise(tb);
}

/* Queues a call for this interrupt, or defers it if it is user code and
 * paging is unsafe. */
static bool queue(struct toolbox *tb, const struct vmint_call *c, bool unsafe)
{
	struct vmint *v = &tb->vmint;
	if (unsafe && !c->immune)
		return vmint_defer(tb, c);
	if (v->nrun == RUN_MAX) {
		tb_stop(tb, 5, "More than %u interrupt-time routines due at once", RUN_MAX);
		return false;
	}
	v->run[v->nrun++] = *c;
	return true;
}

/* The end of an interrupt: RTE. */
static void finish(struct toolbox *tb)
{
	tb_rte(tb);
	/* Back to a program still waiting for its page: stop before it
	 * re-runs the instruction, so the wait goes on. */
	if (tb->vmint.busy_until_ns)
		cpu_request_stop(&tb->cpu);
}

/* Deferred tasks run as the interrupt returns to level 0, with interrupts
 * enabled (another level-1 interrupt may come in between), one after the
 * other, while paging is safe. */
static void run_dt_next(struct toolbox *tb, uint32_t cookie, uint32_t d0)
{
	(void)cookie;
	(void)d0;
	struct vmint *v = &tb->vmint;
	if (tb->stop)
		return;
	if (v->ndt == 0 || vmint_paging_unsafe(tb)) {
		v->dt_phase = false;
		finish(tb);
		return;
	}
	struct vmint_call c = v->dt[0];
	for (unsigned i = 1; i < v->ndt; i++)
		v->dt[i - 1] = v->dt[i];
	v->ndt--;
	v->dt_runs++;
	tb_call68k(tb, c.proc, c.d0, c.a0, c.a1, run_dt_next, 0);
}

static void run_next(struct toolbox *tb, uint32_t cookie, uint32_t d0)
{
	(void)cookie;
	(void)d0;
	struct vmint *v = &tb->vmint;
	if (tb->stop)
		return;
	if (v->irun == v->nrun) {
		v->in_interrupt = false;
		uint16_t interrupted = (uint16_t)rd16(tb, tb->cpu.a[7]); /* the stacked SR */
		if (v->ndt && !v->dt_phase && !vmint_paging_unsafe(tb) && !(interrupted & SR_IPL)) {
			v->dt_phase = true;
			cpu_set_sr(&tb->cpu, tb->cpu.sr & ~SR_IPL);
			run_dt_next(tb, 0, 0);
			return;
		}
		finish(tb);
		return;
	}
	struct vmint_call *c = &v->run[v->irun++];
	uint64_t late = tb_guest_ns(tb) - c->due_ns;
	switch (c->kind) {
	case VK_TIME:
		v->tm_runs++;
		break;
	case VK_VBL:
		v->vbl_runs++;
		break;
	case VK_IO_COMPLETION:
		v->ioc_runs++;
		break;
	case VK_DEFERRED_USER_FN:
		v->userfn_runs++;
		break;
	}
	if (c->deferred) {
		v->deferred_latency_total_ns += late;
		v->deferred_runs++;
		if (late > v->deferred_latency_max_ns)
			v->deferred_latency_max_ns = late;
	}
	tb_call68k(tb, c->proc, c->d0, c->a0, c->a1, run_next, 0);
}

/* The level-1 interrupt's default handler (the ROM stub at the autovector). */
static void level1(struct toolbox *tb)
{
	struct vmint *v = &tb->vmint;
	if (v->in_interrupt) {
		tb_stop(tb, 5, "Level-1 interrupt re-entered at PC %08X", tb->cpu.pc);
		return;
	}
	v->interrupts++;
	v->in_interrupt = true;
	v->nrun = v->irun = 0;
	uint64_t now = tb_guest_ns(tb);
	bool unsafe = vmint_paging_unsafe(tb);
	for (unsigned i = 0; i < v->ntm && !tb->stop; i++) {
		if (!v->tm[i].active || v->tm[i].due_ns > now)
			continue;
		gaddr t = v->tm[i].task;
		v->tm[i].active = false;
		wr16(tb, t + 4, rd16(tb, t + 4) & 0x7FFF); /* qType bit 15: task active */
		gaddr proc = rd32(tb, t + 6);
		struct vmint_call c = {.proc = proc,
				       .a0 = proc,
				       .a1 = t,
				       .kind = VK_TIME,
				       .immune = v->tm[i].immune,
				       .due_ns = v->tm[i].due_ns,
				       .task = t};
		if (proc)
			queue(tb, &c, unsafe);
	}
	if (v->nvbl && now >= v->next_vbl_ns) {
		uint64_t tick = v->next_vbl_ns;
		v->next_vbl_ns += VBL_PERIOD_NS;
		wr32(tb, Ticks, tb_ticks(tb)); /* as the VBL interrupt counts them */
		for (unsigned i = 0; i < v->nvbl && !tb->stop; i++) {
			gaddr t = v->vbl[i];
			int16_t n = (int16_t)rd16(tb, t + 10); /* vblCount */
			if (n <= 0)
				continue;
			wr16(tb, t + 10, (uint16_t)(n - 1));
			if (n - 1 != 0)
				continue;
			struct vmint_call c = {.proc = rd32(tb, t + 6),
					       .a0 = t,
					       .kind = VK_VBL,
					       .due_ns = tick,
					       .task = t};
			queue(tb, &c, unsafe);
		}
	}
	for (unsigned i = 0; i < v->nioc && !tb->stop; i++)
		queue(tb, &v->ioc[i], unsafe);
	v->nioc = 0;
	if (!unsafe) {
		/* Paging is safe: the deferred user functions run (the
		 * Deferred Task Manager's tasks after them, at level 0). */
		for (unsigned i = 0; i < v->ndeferred && !tb->stop; i++) {
			v->deferred[i].deferred = true;
			queue(tb, &v->deferred[i], false);
		}
		v->ndeferred = 0;
	}
	if (tb->stop)
		return;
	run_next(tb, 0, 0);
}

bool vmint_exception(struct toolbox *tb, unsigned vec, gaddr frame)
{
	struct vmint *v = &tb->vmint;
	struct cpu *c = &tb->cpu;
	if (vec == 24 + LEVEL) {
		level1(tb);
		return true;
	}
	if (vec != 2 || !v->fatal)
		return false;
	/* A fatal page fault that no guest bus error handler took: report it
	 * as the Technote describes it (frame on the interrupt stack). */
	uint16_t sr = (uint16_t)rd16(tb, frame);
	gaddr pc = rd32(tb, frame + 2);
	uint16_t fv = c->model == CPU_68000 ? 0 : (uint16_t)rd16(tb, frame + 6);
	const char *why = v->fatal_reason == PAGER_FATAL_PAGING_UNSAFE ? "paging unsafe, vM"
			  : v->fatal_reason == PAGER_FATAL_NO_FRAME
			      ? "no frame to page into: every one is held or locked"
			      : "too many watched pages in one instruction";
	tb_stop(tb, EXIT_FATAL_PAGE_FAULT_STATUS,
		"Fatal page fault (%s): Bus Error accessing %08X at PC %08X; "
		"frame $%04X at ISP %08X, SR %04X",
		why, v->fatal_addr, pc, fv, frame, sr);
	c->pc = pc;
	return true;
}

static const char *const kind_names[] = {
    [VK_TIME] = "Time Manager task",
    [VK_VBL] = "VBL task",
    [VK_DEFERRED_USER_FN] = "DeferUserFn function",
    [VK_DEFERRED_TASK] = "deferred task",
    [VK_IO_COMPLETION] = "I/O completion routine",
    [VK_POST_EVENT] = "PostEvent",
    [VK_DRIVER_CALL] = "driver call",
};

size_t vmint_userfns(struct toolbox *tb, char *buf, size_t len)
{
	struct vmint *v = &tb->vmint;
	uint64_t now = tb_guest_ns(tb);
	size_t n = (size_t)snprintf(buf, len, "Deferred user functions: %u of %u entries\n",
				    v->ndeferred, v->defer_size);
	for (unsigned i = 0; i < v->ndeferred; i++) {
		const struct vmint_call *c = &v->deferred[i];
		uint64_t wait = now - c->due_ns;
		int k = snprintf(n < len ? buf + n : NULL, n < len ? len - n : 0,
				 " %3u  %-22s routine %08X  A0 %08X  A1 %08X  waiting %llu.%03llu ms\n",
				 i + 1, kind_names[c->kind], c->proc, c->a0, c->a1,
				 (unsigned long long)(wait / 1000000u),
				 (unsigned long long)(wait / 1000u % 1000u));
		n += (size_t)k;
	}
	return n;
}
