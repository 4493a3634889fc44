/* The interpreter backend: runs each case in guest/'s CPU, in user mode, with
 * the same guest addresses the qemu harness uses, and turns an exception into
 * the signal and PC that Linux (and so qemu-user) would report for it.
 * Memory is a 4 GiB PROT_NONE window with only the pages a case may touch
 * mapped, so an access elsewhere is a host SIGSEGV that becomes a guest bus
 * error through cpu_abort_from_signal, as the pager will do it. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "guest/guest.h"
#include "tests/diff/diff.h"

/* Guest pages besides the code and data: the vector table, a page that
 * every vector points into (reaching it means "exception taken"), and the
 * supervisor stack the exception frames go on. */
#define VECTORS_ADDR 0x00f10000u /* VBR; page 0 stays unmapped, as under qemu */
#define HANDLERS_ADDR 0x00f00000u
#define SSTACK_ADDR 0x00e00000u
#define MAX_STEPS 256

struct vm68k_backend {
	struct diff_backend b;
	uint8_t *window;
	struct cpu cpu;
};

/* The fault handler needs the CPU that is running; there is one backend
 * running at a time. */
static struct vm68k_backend *running;
static volatile sig_atomic_t in_step;

static void on_segv(int sig, siginfo_t *si, void *uc_)
{
	struct vm68k_backend *v = running;
	uint8_t *a = si->si_addr;
	if (!in_step || !v || a < v->window || a >= v->window + (1ull << 32)) {
		/* Not a guest access: a real crash, let it be one. */
		signal(sig, SIG_DFL);
		return;
	}
	int write = 0;
#if defined(__x86_64__) && defined(REG_ERR)
	write = (((ucontext_t *)uc_)->uc_mcontext.gregs[REG_ERR] & 2) != 0;
#endif
	struct guest_fault f = {GUEST_FAULT_BUS_ERROR, (gaddr)(a - v->window), write};
	cpu_abort_from_signal(&v->cpu, &f);
}

static int map_page(struct vm68k_backend *v, uint32_t addr)
{
	return mmap(v->window + addr, DIFF_PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED
		   ? -1
		   : 0;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Signal and si_code Linux sends for a vector, and whether the reported PC is
 * the stacked one (always, for the vectors the generator can raise). */
static void signal_for(unsigned vec, uint32_t *sig, uint32_t *code)
{
	*code = 0;
	switch (vec) {
	case 2:
		*sig = 11, *code = 1; /* SIGSEGV, SEGV_MAPERR */
		break;
	case 3:
		*sig = 7; /* SIGBUS */
		break;
	case 5:
		*sig = 8, *code = 1; /* SIGFPE, FPE_INTDIV */
		break;
	case 6:
	case 7:
		*sig = 8, *code = 2; /* SIGFPE, FPE_INTOVF: CHK, CHK2, TRAPV, TRAPcc */
		break;
	case 9:
		*sig = 5; /* SIGTRAP */
		break;
	default:
		*sig = 4; /* SIGILL: illegal, privilege, line A/F, and the rest */
		break;
	}
}

static void run_one(struct vm68k_backend *v, const struct diff_case *c, struct diff_result *r)
{
	struct cpu *cpu = &v->cpu;
	uint8_t *code = v->window + DIFF_CODE_ADDR, *data = v->window + DIFF_DATA_ADDR;
	memset(code, 0, DIFF_PAGE);
	memcpy(code, c->code, c->code_len);
	for (unsigned i = c->code_len; i + 1 < DIFF_PAGE; i += 2)
		code[i] = 0x4a, code[i + 1] = 0xfc; /* ILLEGAL, like the harness */
	memset(data, 0, DIFF_PAGE);
	memcpy(data, c->data, DIFF_DATA_SIZE);

	cpu_init(cpu, diff_cpu_model(v->b.cpu));
	cpu_set_memory(cpu, v->window, 0xffffffffu);
	cpu->vbr = VECTORS_ADDR;
	cpu_set_sr(cpu, 0x2700);
	cpu->a[7] = SSTACK_ADDR + DIFF_PAGE;
	cpu_set_usp(cpu, c->a[7]);
	cpu_set_sr(cpu, c->ccr & 0x1f); /* user mode, as under qemu-user */
	memcpy(cpu->d, c->d, sizeof cpu->d);
	memcpy(cpu->a, c->a, 7 * sizeof cpu->a[0]);
	cpu->pc = DIFF_CODE_ADDR;

	uint32_t end = DIFF_CODE_ADDR + c->code_len;
	memset(r, 0, sizeof *r);
	int steps;
	for (steps = 0; steps < MAX_STEPS; steps++) {
		if (cpu->pc == end || (cpu->pc >= HANDLERS_ADDR && cpu->pc < HANDLERS_ADDR + 1024))
			break;
		in_step = 1;
		enum cpu_stop why = cpu_step(cpu);
		in_step = 0;
		if (why == CPU_STOP_HALTED || why == CPU_STOP_STOPPED)
			break;
	}
	if (cpu->pc == end) {
		r->pc = end;
		r->sr = cpu->sr & 0x1f;
	} else if (cpu->pc >= HANDLERS_ADDR && cpu->pc < HANDLERS_ADDR + 1024) {
		const uint8_t *frame = v->window + cpu->a[7];
		unsigned vec = (cpu->pc - HANDLERS_ADDR) / 4;
		signal_for(vec, &r->signal, &r->si_code);
		r->sr = (uint16_t)(frame[0] << 8 | frame[1]);
		r->pc = be32(frame + 2);
		if (vec == 2)
			r->fault_addr = be32(frame + (cpu->model == CPU_68040 ? 0x14 : 0x10));
	} else {
		/* Ran away (MAX_STEPS), halted or stopped: nothing qemu could match. */
		r->signal = DIFF_BACKEND_LOST;
		fprintf(stderr,
			"diff: vm68k did not finish the sequence (PC %08x after %d steps)\n",
			cpu->pc, steps);
	}
	memcpy(r->d, cpu->d, sizeof r->d);
	memcpy(r->a, cpu->a, 7 * sizeof r->a[0]);
	r->a[7] = cpu_usp(cpu);
	memcpy(r->data, data, DIFF_DATA_SIZE);
}

static int vm68k_run(struct diff_backend *b, const struct diff_case *cases, size_t n,
		     struct diff_result *out)
{
	struct vm68k_backend *v = (struct vm68k_backend *)b;
	running = v;
	for (size_t i = 0; i < n; i++)
		run_one(v, &cases[i], &out[i]);
	running = NULL;
	return 0;
}

static void vm68k_destroy(struct diff_backend *b)
{
	struct vm68k_backend *v = (struct vm68k_backend *)b;
	munmap(v->window, (1ull << 32) + DIFF_PAGE);
	free(v);
}

struct diff_backend *diff_vm68k_backend(enum diff_cpu cpu)
{
	struct vm68k_backend *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	v->window = mmap(NULL, (1ull << 32) + DIFF_PAGE, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (v->window == MAP_FAILED) {
		fprintf(stderr, "diff: cannot reserve a 4 GiB guest window\n");
		free(v);
		return NULL;
	}
	if (map_page(v, VECTORS_ADDR) || map_page(v, HANDLERS_ADDR) || map_page(v, SSTACK_ADDR) ||
	    map_page(v, DIFF_CODE_ADDR) || map_page(v, DIFF_DATA_ADDR)) {
		fprintf(stderr, "diff: cannot map the guest pages\n");
		vm68k_destroy(&v->b);
		return NULL;
	}
	for (unsigned vec = 0; vec < 256; vec++) {
		uint32_t h = HANDLERS_ADDR + 4 * vec;
		uint8_t *p = v->window + VECTORS_ADDR + 4 * vec;
		p[0] = (uint8_t)(h >> 24), p[1] = (uint8_t)(h >> 16), p[2] = (uint8_t)(h >> 8),
		p[3] = (uint8_t)h;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	v->b.name = "vm68k";
	v->b.cpu = cpu;
	v->b.run = vm68k_run;
	v->b.destroy = vm68k_destroy;
	return &v->b;
}
