/* guest/cpu.c: the run loop. One sigsetjmp per cpu_run entry catches every
 * abort (an address error found by the CPU, or a pager fault delivered from
 * signal context); the abort rolls the instruction back with the undo log and
 * takes the exception, or returns to the caller. */
#include "config.h"
#include <signal.h>
#include <string.h>
#include "guest/cpu_internal.h"

/* How an instruction stays restartable, cheaply:
 *  - Handlers compute effective addresses and do every load (and the one
 *    final store) before they commit registers or flags; multi-transfer
 *    instructions (MOVEM loads, CAS2, RTE through two frames) read into
 *    locals first; multi-byte stores that must not half-happen (exception
 *    frames, bit fields, MOVE16, UNPK) go through gwrite_block, which
 *    probes both ends before writing.
 *  - The only register changes made before a memory access are address
 *    register updates ((An)+, -(An), A7 in returns and BSR): each is logged
 *    (register, old value) in a small undo log that is cleared per
 *    instruction (one store).
 *  - SR and PC at the start of the instruction are kept (two stores).
 * An abort longjmps here; rollback() restores SR (switching stacks back),
 * replays the undo log backwards and resets PC. Address errors are the
 * CPU's own and keep the 68000's partial effects instead (see
 * cpu_address_error_pc).
 *
 * Most instructions do not come through the per-opcode table below but
 * through the decoded-instruction cache's run loop (guest/threaded.c),
 * whenever nothing is pending at the boundary. Its handlers follow the same
 * rule more strictly (every access before any change, so no undo log) and
 * leave whatever they do not handle to the table with this loop's
 * protocol; cpu_fast_abort gives the abort path below what this loop would
 * have left in the cpu (IR, the instruction count, fetch or data). */

int guest_interface_version(void)
{
	return 2; /* 2: cpu_set_decode_cache; struct cpu's r[] view and decoded-cache fields */
}

void cpu_init(struct cpu *c, enum cpu_model model)
{
	insn_table_build_model(model);
	memset(c, 0, sizeof *c);
	c->model = model;
	c->odd_check = model <= CPU_68010 ? 1 : 0;
	c->sr = 0x2700;
	c->addr_mask = model == CPU_68000 || model == CPU_68010 ? 0x00FFFFFF : 0xFFFFFFFF;
}

void cpu_set_decode_cache(struct cpu *c, int on)
{
	c->plain_dispatch = !on;
}

void cpu_set_memory(struct cpu *c, uint8_t *window, uint32_t addr_mask)
{
	c->mem = window;
	c->addr_mask = addr_mask;
}

/* Where the A7 of a given SR lives while it is not the active one: USP in
 * user state, ISP (ssp) in supervisor state, MSP when the 020+ M bit is set. */
static uint32_t *stack_slot(struct cpu *c, uint16_t sr)
{
	if (!(sr & SR_S))
		return &c->usp;
	return (sr & SR_M) && c->model >= CPU_68020 ? &c->msp : &c->ssp;
}

void cpu_set_sr(struct cpu *c, uint16_t sr)
{
	uint32_t *from = stack_slot(c, c->sr), *to = stack_slot(c, sr);
	if (from != to) {
		*from = c->a[7];
		c->a[7] = *to;
	}
	c->sr = sr;
}
uint32_t cpu_usp(const struct cpu *c)
{
	return (c->sr & SR_S) ? c->usp : c->a[7];
}
uint32_t cpu_ssp(const struct cpu *c)
{
	return stack_slot((struct cpu *)c, c->sr) == &c->ssp ? c->a[7] : c->ssp;
}
uint32_t cpu_msp(const struct cpu *c)
{
	return stack_slot((struct cpu *)c, c->sr) == &c->msp ? c->a[7] : c->msp;
}
void cpu_set_usp(struct cpu *c, uint32_t v)
{
	if (c->sr & SR_S)
		c->usp = v;
	else
		c->a[7] = v;
}
void cpu_set_ssp(struct cpu *c, uint32_t v)
{
	if (stack_slot(c, c->sr) == &c->ssp)
		c->a[7] = v;
	else
		c->ssp = v;
}
void cpu_set_msp(struct cpu *c, uint32_t v)
{
	if (stack_slot(c, c->sr) == &c->msp)
		c->a[7] = v;
	else
		c->msp = v;
}

void cpu_reset(struct cpu *c)
{
	c->sr = 0x2700;
	c->vbr = 0;
	c->stopped = c->halted = 0;
	c->trace_pending = 0;
	c->a[7] = gread32(c->mem, c->addr_mask, 0);
	c->pc = gread32(c->mem, c->addr_mask, 4);
}

/* Puts back everything the current instruction changed in registers. */
static void rollback(struct cpu *c)
{
	/* SR first: an RTE may have switched stacks after logging A7 */
	cpu_set_sr(c, c->insn_sr);
	while (c->nundo) {
		c->nundo--;
		c->a[c->undo[c->nundo].reg] = c->undo[c->nundo].old;
	}
	c->pc = c->insn_pc;
}

_Noreturn void cpu_address_error(struct cpu *c, gaddr a, unsigned flags)
{
	cpu_address_error_pc(c, a, flags, c->pc + (uint32_t)c->ae_adj);
}

/* The 68000 finds odd word/long addresses itself. Its partial effects are
 * kept (predecrements done, flags a MOVE already set), except that the
 * postincrement of an operand whose write (or long read) faulted has not
 * happened yet. */
_Noreturn void cpu_address_error_pc(struct cpu *c, gaddr a, unsigned flags, uint32_t pc)
{
	if (c->in_group0) {
		c->abort_kind = ABORT_NONE;
		c->halted = 1;
		siglongjmp(c->jb, 1);
	}
	c->abort_kind = ABORT_ADDRESS;
	c->ae_addr = a;
	c->ae_pc = pc;
	unsigned fc = (c->sr & SR_S ? 4 : 0) | (flags & AE_PROGRAM ? 2 : 1);
	/* the undefined upper bits hold the instruction register's; I/N reads 0 */
	c->ae_status = (uint16_t)((c->ir & 0xFFE0) | (flags & AE_WRITE ? 0 : 0x10) | fc);
	siglongjmp(c->jb, 1);
}

_Noreturn void cpu_abort_from_signal(struct cpu *c, const struct guest_fault *f)
{
	/* sigsetjmp did not save the mask (that would cost a syscall per
	 * cpu_run); unblock what the fault handler runs with. */
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGSEGV);
	sigaddset(&s, SIGBUS);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	c->abort_kind = ABORT_FAULT;
	c->fault = *f;
	siglongjmp(c->jb, 1);
}

/* Interrupts and trace, taken at an instruction boundary. Returns 1 if an
 * exception was taken (it counts as the instruction). */
static int boundary_events(struct cpu *c)
{
	if (c->trace_pending) {
		exception_addr(c, VEC_TRACE, c->pc, c->trace_addr); /* 020+: format $2 */
		c->trace_pending = 0; /* only once the frame is stacked (restartable) */
		return 1;
	}
	unsigned ipl = (c->sr >> 8) & 7;
	if (c->irq_level < 7)
		c->nmi_latched = 0;
	if (c->irq_level && (c->irq_level > (int)ipl || (c->irq_level == 7 && !c->nmi_latched))) {
		unsigned lvl = (unsigned)c->irq_level;
		exception_interrupt(c, VEC_AUTOVECTOR + lvl, lvl);
		if (lvl == 7)
			c->nmi_latched = 1;
		return 1;
	}
	return 0;
}

/* Whether the instruction just run is traced: T1 traces every one; T0
 * (020/030) only a change of flow, found by comparing PC with the address
 * after the instruction (its length from the disassembler: speed does not
 * matter while tracing). */
static int traced(struct cpu *c)
{
	if (c->insn_sr & SR_T1)
		return 1;
	if (c->model != CPU_68020 && c->model != CPU_68030)
		return 0;
	uint16_t w[11];
	char text[96];
	unsigned len = 0;
	/* word by word: only the instruction's own (just fetched) words are read */
	for (unsigned n = 1; n <= 11 && !len; n++) {
		w[n - 1] = (uint16_t)gread16(c->mem, c->addr_mask, c->insn_pc + 2 * (n - 1));
		len = cpu_disasm(c->model, c->insn_pc, w, n, text, sizeof text);
	}
	return c->pc != c->insn_pc + 2 * len;
}

static enum cpu_stop run_loop(struct cpu *c, uint64_t max)
{
	c->max_run = c->icount + max;
	if (sigsetjmp(c->jb, 0)) {
		int fast = c->in_fast;
		if (fast)
			cpu_fast_abort(c);
		int kind = c->abort_kind;
		int was_group0 = c->in_group0;
		c->abort_kind = ABORT_NONE;
		c->in_group0 = 0;
		/* a bus error while stacking a bus or address error: double fault */
		if (was_group0 && kind == ABORT_FAULT && c->fault.kind != GUEST_FAULT_SUSPEND)
			c->halted = 1;
		if (c->halted)
			return CPU_STOP_HALTED;
		if (kind == ABORT_FAULT && c->fault.kind == GUEST_FAULT_SUSPEND) {
			rollback(c);
			return CPU_STOP_SUSPENDED;
		}
		if (kind == ABORT_ADDRESS) {
			struct cpu_undo *u = &c->undo[c->nundo ? c->nundo - 1 : 0];
			if (c->nundo && u->post && u->old == c->ae_addr &&
			    ((c->ae_status & 0x10) == 0 || c->a[u->reg] - u->old == 4)) {
				c->nundo--;
				c->a[c->undo[c->nundo].reg] = c->undo[c->nundo].old;
			}
			c->in_group0 = 1;
			exception_group0(c);
			c->in_group0 = 0;
		} else {
			/* the fault is an instruction fetch's if it is at the word
			 * the CPU was fetching (data rarely sits exactly there) */
			if (!fast) /* (cpu_fast_abort has set it) */
				c->fault_fetch = !c->fault.write && c->fault.addr - c->pc < 2;
			rollback(c);
			c->in_group0 = 1;
			exception_fault(c);
			c->in_group0 = 0;
		}
		c->nundo = 0;
		c->icount++;
	}
	op_fn *table = op_table[c->model];
	while (c->icount < c->max_run) {
		if (cpu_fast_eligible(c) && cpu_fast_run(c))
			continue;
		c->insn_pc = c->pc;
		c->insn_sr = c->sr;
		c->nundo = 0;
		/* one test for everything that is not a plain instruction */
		if (__builtin_expect(c->halted | c->stopped | c->trace_pending | c->irq_level |
					 c->nmi_latched | c->events | c->stop_request,
				     0)) {
			if (c->halted)
				return CPU_STOP_HALTED;
			c->attention = 0; /* before the look: a later post sets it again */
			if (c->events) {
				c->events = 0;
				if (c->boundary_hook)
					c->boundary_hook(c, c->boundary_ctx);
				c->insn_pc = c->pc; /* the hook may have changed them */
				c->insn_sr = c->sr;
			}
			if (c->stop_request) {
				c->stop_request = 0;
				return CPU_STOP_REQUESTED;
			}
			if (boundary_events(c)) {
				c->icount++;
				continue;
			}
			if (c->stopped)
				return CPU_STOP_STOPPED;
		}
		c->ae_adj = 0;
		c->ir = 0;
		uint16_t op = (uint16_t)fetch16(c);
		c->ir = op;
		table[op](c, op);
		c->nundo = 0;
		if (__builtin_expect(c->insn_sr & (SR_T1 | SR_T0), 0) && traced(c)) {
			c->trace_pending = 1;
			c->trace_addr = c->insn_pc;
		}
		c->icount++;
	}
	return CPU_STOP_COUNT;
}

enum cpu_stop cpu_run(struct cpu *c, uint64_t max)
{
	c->running = 1;
	enum cpu_stop why = run_loop(c, max);
	c->running = 0;
	return why;
}

enum cpu_stop cpu_run_nested(struct cpu *c, uint64_t max)
{
	/* The interrupted instruction's state, so it can finish (or be
	 * aborted and restarted) once the nested run is over: its restart
	 * point (jb, a live frame of the outer run_loop), its budget, its
	 * undo log and what identifies it. */
	sigjmp_buf jb;
	memcpy(jb, c->jb, sizeof jb);
	uint64_t max_run = c->max_run;
	uint32_t insn_pc = c->insn_pc, ae_adj = (uint32_t)c->ae_adj;
	uint16_t ir = c->ir, insn_sr = c->insn_sr;
	uint8_t nundo = c->nundo;
	struct cpu_undo undo[6];
	memcpy(undo, c->undo, sizeof undo);
	int in_group0 = c->in_group0;
	sig_atomic_t running = c->running;
	c->running = 1;
	enum cpu_stop why = run_loop(c, max);
	c->running = running;
	c->in_group0 = in_group0;
	memcpy(c->undo, undo, sizeof undo);
	c->nundo = nundo;
	c->ir = ir;
	c->insn_sr = insn_sr;
	c->ae_adj = (int32_t)ae_adj;
	c->insn_pc = insn_pc;
	c->max_run = max_run;
	memcpy(c->jb, jb, sizeof jb);
	return why;
}

int cpu_running(const struct cpu *c)
{
	return c->running;
}

void cpu_post_event(struct cpu *c)
{
	c->events = 1;
	c->attention = 1;
}
void cpu_request_stop(struct cpu *c)
{
	c->stop_request = 1;
	c->attention = 1;
}

enum cpu_stop cpu_step(struct cpu *c)
{
	return cpu_run(c, 1);
}
