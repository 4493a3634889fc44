/* The Mac machine an application runs on: builds guest low memory, the
 * exception vectors, the trap tables and the read-only toolbox ROM, places
 * the application's A5 world, and runs the CPU until the application ends.
 *
 * Guest memory (logical RAM from 0):
 *   $0000-$03FF  exception vectors; the A-line vector ($28) holds the ROM
 *                address the CPU's A-line hook recognizes, the others point
 *                at ROM stubs that report an exception no handler took
 *   $0100-$0BFF  low-memory globals (toolbox/lowmem.c)
 *   $0400-$07FF  OS trap table (256 longs); $0E00-$1DFF Toolbox table (1024)
 *   $2000-$2FFF  supervisor stack (exception frames when the application
 *                runs in user mode under VM)
 *   $3000-$12FFF system heap (SysZone; held under VM), then the
 *                application heap (ApplZone, growing to ApplLimit)
 *   then the stack (down from CurStackBase), the globals below A5, and the
 *   application parameters and jump table above A5, up to BufPtr = MemTop.
 * The toolbox ROM (read-only, mapped by the pager) is at $40800000
 * ($800000 in 24-bit mode), as on a Mac II. */
#define _GNU_SOURCE
#include "config.h"

#include "toolbox/debugger/debugger.h"
#include "toolbox/files.h"
#include "toolbox/tb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

enum {
	ROM_DISPATCHER = 0x000, /* the A-line vector's value */
	ROM_OS_RETURN = 0x100,
	ROM_GESTALT_RETURN = 0x102,
	ROM_CALL_RETURN = 0x104,
	ROM_CALL_PENDING = 0x106,
	ROM_SYNC_RETURN = 0x108,
	ROM_GESTALT_BUILTIN = 0x10A,
	ROM_POST_EVENT = 0x10C,
	ROM_DRIVER_CALL = 0x10E,
	ROM_VECTOR_STUBS = 0x200, /* 256 words */
	ROM_RDS = 0x400,
	ROM_STUB_WORD = 0xAAFF, /* an A-line word the hook recognizes by address */
	DEFAULT_STACK = 64 * 1024,
	CHUNK = 1u << 16, /* instructions between status reports (the PC a crash names) */
};

void tb_build_rom_rds(struct toolbox *tb, uint8_t *rom_image);

static void on_fault(const struct pager_fault *f, void *ctx)
{
	struct toolbox *tb = ctx;
	if (!cpu_running(&tb->cpu))
		return;
	if (f->kind == PAGER_FAULT_PAGE_WAIT) {
		if (vmint_page_wait(tb, f->wait_ns)) {
			struct guest_fault s = {GUEST_FAULT_SUSPEND, f->addr, f->write};
			cpu_abort_from_signal(&tb->cpu, &s);
		}
		return;
	}
	tb->vmint.fatal = f->kind == PAGER_FAULT_FATAL_PAGE_FAULT;
	tb->vmint.fatal_addr = f->addr;
	tb->vmint.fatal_reason = (int)f->reason;
	tb->fault_addr = f->addr;
	tb->fault_read_only = f->kind == PAGER_FAULT_READ_ONLY;
	tb->fault_fatal = f->kind == PAGER_FAULT_FATAL_PAGE_FAULT;
	if (tb->fault_fatal) {
		/* pager_fault_describe's wording, kept for the debugger's message;
		 * snprintf is not async-signal-safe, so copy by hand. */
		const char *r = f->reason == PAGER_FATAL_PAGING_UNSAFE
				    ? "page not resident and not held while paging is unsafe"
				: f->reason == PAGER_FATAL_NO_FRAME ? "every frame is held, locked or watched"
				: f->reason == PAGER_FATAL_WATCH_OVERFLOW
				    ? "too many watched pages written by one instruction"
				    : "";
		size_t i = 0;
		for (; r[i] && i + 1 < sizeof tb->fault_reason; i++)
			tb->fault_reason[i] = r[i];
		tb->fault_reason[i] = '\0';
	}
	struct guest_fault g = {f->kind == PAGER_FAULT_READ_ONLY ? GUEST_FAULT_READ_ONLY
								 : GUEST_FAULT_BUS_ERROR,
				f->addr, f->write};
	cpu_abort_from_signal(&tb->cpu, &g);
}

static bool map_rom(struct toolbox *tb, char *err, size_t errlen)
{
	uint8_t *image = calloc(1, ROM_SIZE);
	if (image == NULL) {
		snprintf(err, errlen, "out of memory for the toolbox ROM");
		return false;
	}
	for (unsigned i = 0; i < ROM_SIZE; i += 2) {
		image[i] = ROM_STUB_WORD >> 8;
		image[i + 1] = ROM_STUB_WORD & 0xFF;
	}
	tb_build_rom_rds(tb, image);
	int fd = memfd_create("vm68k-toolbox-rom", MFD_CLOEXEC);
	bool ok = fd >= 0 && pwrite(fd, image, ROM_SIZE, 0) == ROM_SIZE;
	free(image);
	if (!ok) {
		snprintf(err, errlen, "toolbox ROM: memfd: %m");
		if (fd >= 0)
			close(fd);
		return false;
	}
	struct pager_region_spec spec = {"Toolbox ROM", PAGER_ROM, tb->rom, ROM_SIZE, fd, 0, true};
	int r = pager_map_region(tb->pager, &spec, err, errlen);
	close(fd); /* the mapping keeps it */
	return r >= 0;
}

struct toolbox *toolbox_create(struct pager *p, const struct toolbox_config *cfg, bool *bad_input,
			       char *err, size_t errlen)
{
	*bad_input = false;
	if (cfg->vm && cfg->cpu_model == CPU_68000) {
		snprintf(err, errlen,
			 "virtual memory needs an MMU: the 68000 has none (use --cpu 68030, or "
			 "--no-vm)");
		return NULL;
	}
	struct toolbox *tb = calloc(1, sizeof *tb);
	if (tb == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	tb->cfg = *cfg;
	tb->pager = p;
	tb->mem = pager_window(p);
	tb->mask = pager_addr_mask(p);
	struct resfork_error re;
	if (!resfork_open(&tb->fork, cfg->rsrc, cfg->rsrc_len, &re)) {
		snprintf(err, errlen, "resource fork: offset %u: %s", re.offset, re.message);
		*bad_input = true;
		free(tb);
		return NULL;
	}
	tb->rom = tb->mask == 0x00FFFFFFu ? 0x00800000 : 0x40800000;
	tb->rd_base = tb->rom + ROM_RDS;
	tb->stub_vector = tb->rom + ROM_VECTOR_STUBS;
	tb->stub_os_return = tb->rom + ROM_OS_RETURN;
	tb->stub_gestalt_return = tb->rom + ROM_GESTALT_RETURN;
	tb->stub_call_return = tb->rom + ROM_CALL_RETURN;
	tb->stub_call_pending = tb->rom + ROM_CALL_PENDING;
	tb->stub_sync_return = tb->rom + ROM_SYNC_RETURN;
	tb->stub_gestalt_builtin = tb->rom + ROM_GESTALT_BUILTIN;
	tb->stub_post_event = tb->rom + ROM_POST_EVENT;
	tb->stub_driver_call = tb->rom + ROM_DRIVER_CALL;
	if (!map_rom(tb, err, errlen)) {
		free(tb);
		return NULL;
	}
	struct pager_region_info ram;
	pager_region_info(p, 0, &ram);
	gaddr mem_top = ram.size;
	if (tb->mask == 0x00FFFFFFu && mem_top > tb->rom)
		mem_top = tb->rom;

	/* The application's partition: A5 world at the top, then the stack. */
	struct resource_info r0;
	struct code0_info c0;
	if (!resfork_find(&tb->fork, 0x434F4445u, 0, &r0) ||
	    !code0_parse(r0.data, r0.size, &c0, &re)) {
		snprintf(err, errlen, "no usable CODE 0 resource: expected an application");
		*bad_input = true;
		toolbox_destroy(tb);
		return NULL;
	}
	gaddr buf_ptr = mem_top;
	tb->a5 = (buf_ptr - c0.above_a5) & ~3u;
	gaddr stack_base = (tb->a5 - c0.below_a5) & ~3u;
	gaddr appl_limit = stack_base - DEFAULT_STACK;
	gaddr appl_zone = SYSTEM_HEAP + SYSTEM_HEAP_SIZE;
	if (c0.above_a5 > mem_top || stack_base < appl_zone + DEFAULT_STACK * 2 ||
	    appl_limit <= appl_zone) {
		snprintf(
		    err, errlen,
		    "the A5 world (%u bytes above A5, %u below) does not fit in %u bytes of RAM",
		    c0.above_a5, c0.below_a5, mem_top);
		toolbox_destroy(tb);
		return NULL;
	}
	/* The heaps: the system heap after the supervisor stack, the
	 * application heap above it, growing to ApplLimit below the stack. */
	gaddr appl_end = appl_zone + 256 * 1024 < appl_limit ? appl_zone + 256 * 1024 : appl_limit;
	struct mm_layout ml = {
	    .sys_start = SYSTEM_HEAP,
	    .sys_end = SYSTEM_HEAP + SYSTEM_HEAP_SIZE,
	    .appl_start = appl_zone,
	    .appl_end = appl_end,
	    .appl_limit = appl_limit,
	    .mem_top = mem_top,
	};
	OSErr me = mm_init(&tb->mm, tb->mem, tb->mask, tb->mask == 0xFFFFFFFFu, &ml);
	if (me != mm_noErr) {
		snprintf(err, errlen, "Memory Manager: cannot lay out the heaps (error %d)", me);
		toolbox_destroy(tb);
		return NULL;
	}
	tb_mm_hooks(tb);
	/* As System 7 did, VM holds low memory and the system heap: code that
	 * runs when paging is unsafe may touch them. */
	if (cfg->vm && HoldMemory(p, 0, SYSTEM_HEAP + SYSTEM_HEAP_SIZE) != noErr) {
		snprintf(err, errlen,
			 "cannot hold low memory and the system heap: too little --ram");
		toolbox_destroy(tb);
		return NULL;
	}

	/* Exception vectors 2-63 ($008-$0FF; low-memory globals start at $100):
	 * stubs in ROM; the A-line vector is the dispatcher. */
	for (unsigned v = 2; v < 64; v++)
		wr32(tb, 4 * v, tb->stub_vector + 2 * v);
	wr32(tb, 0x28, tb->rom + ROM_DISPATCHER);
	tb_install_traps(tb);

	/* Low-memory globals (toolbox/lowmem.c). */
	wr32(tb, BufPtr, buf_ptr); /* (mm_init set MemTop, the zones, ApplLimit, HeapEnd) */
	wr32(tb, CurrentA5, tb->a5);
	wr32(tb, CurStackBase, stack_base);
	wr32(tb, MinStack, 0x400);
	wr32(tb, DefltStack, DEFAULT_STACK);
	wr32(tb, ROMBase, tb->rom);
	wr16(tb, SysVersion, 0x0755);
	wr32(tb, RndSeed, cfg->rnd_seed);
	wr8(tb, CPUFlag, (uint32_t)cfg->cpu_model);
	wr32(tb, AppParmHandle, 0);
	unsigned nlen = cfg->name ? cfg->name[0] : 0;
	if (nlen > 31)
		nlen = 31;
	wr8(tb, CurApName, nlen);
	for (unsigned i = 0; i < nlen; i++)
		wr8(tb, CurApName + 1 + i, cfg->name[1 + i]);
	tb->time0 = (uint32_t)(time(NULL) + 2082844800u); /* seconds since 1904 */
	wr32(tb, Time, tb->time0);

	if (!tb_events_init(tb)) {
		snprintf(err, errlen, "no room in the system heap for the event queue");
		toolbox_destroy(tb);
		return NULL;
	}
	if (!tb_devmgr_init(tb)) {
		snprintf(err, errlen, "no room in the system heap for the unit table");
		toolbox_destroy(tb);
		return NULL;
	}
	if (!tb_segload_init(tb, err, errlen)) {
		*bad_input = true;
		toolbox_destroy(tb);
		return NULL;
	}
	if (cfg->has_channel) {
		if ((tb->fm = malloc(sizeof *tb->fm)) == NULL) {
			snprintf(err, errlen, "out of memory");
			toolbox_destroy(tb);
			return NULL;
		}
		fm_client_init(tb->fm, cfg->channel_fd);
	}
	if (!rm_init(tb, err, errlen)) {
		toolbox_destroy(tb);
		return NULL;
	}

	/* The CPU, as the Segment Loader leaves it: A5 set, the stack below the
	 * globals, PC at jump table entry 0 (its MOVE.W #seg,-(SP); _LoadSeg). */
	struct cpu *c = &tb->cpu;
	cpu_init(c, (enum cpu_model)cfg->cpu_model);
	cpu_set_memory(c, tb->mem, tb->mask);
	c->aline_hook = tb_aline;
	c->aline_ctx = tb;
	c->aline_dispatcher = tb->rom + ROM_DISPATCHER;
	c->a[5] = tb->a5;
	if (cfg->vm) {
		/* System 7 under VM: the application runs in user mode. */
		cpu_set_ssp(c, SUPERVISOR_STACK_TOP);
		cpu_set_sr(c, 0x0000);
		c->a[7] = stack_base;
	} else {
		cpu_set_sr(c, 0x2000);
		c->a[7] = stack_base;
	}
	c->pc = tb->a5 + 32 + 2;
	vmint_init(tb);
	pager_set_fault_fn(p, on_fault, tb);
	/* Trace events carry the PC of the instruction that caused them: the
	 * interpreter stores each instruction's start PC anyway (insn_pc). */
	pager_set_pc_source(p, &c->insn_pc);
	if (cfg->debugger && (tb->dbg = dbg_create(tb, err, errlen)) == NULL) {
		toolbox_destroy(tb);
		return NULL;
	}
	return tb;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int toolbox_run(struct toolbox *tb, struct toolbox_result *out)
{
	struct cpu *c = &tb->cpu;
	tb->t0_ns = now_ns();
	rm_attach_app(tb);
	uint64_t limit = tb->cfg.max_instructions;
	if (tb->dbg)
		dbg_start(tb->dbg);
	while (!tb->stop) {
		uint64_t budget = tb->cfg.report_every ? tb->cfg.report_every : CHUNK;
		if (limit && limit - c->icount < budget)
			budget = limit - c->icount;
		enum cpu_stop why = tb->dbg ? dbg_run(tb->dbg, vmint_budget(tb, budget))
					 : cpu_run(c, vmint_budget(tb, budget));
		if (tb->cfg.progress)
			tb->cfg.progress(tb->cfg.ctx, c->pc, c->icount);
		vmint_after_slice(tb, why);
		/* The clock globals follow guest time, brought up to date
		 * between slices (and by TickCount itself). */
		uint32_t ticks = tb_ticks(tb);
		wr32(tb, Ticks, ticks);
		wr32(tb, Time, tb->time0 + (uint32_t)((uint64_t)ticks * 100 / 6015));
		if (tb->stop && tb->dbg && dbg_after_stop(tb->dbg))
			continue;
		if (tb->stop)
			break;
		switch (why) {
		case CPU_STOP_HALTED:
			tb_stop(tb, 5, "Double fault: the CPU halted at PC %08X", c->pc);
			break;
		case CPU_STOP_STOPPED:
			if (c->stopped) /* no interrupt woke it (toolbox/interrupts.c) */
				tb_stop(tb, 5, "STOP with no interrupt source at PC %08X", c->pc);
			break;
		case CPU_STOP_COUNT:
			if (limit && c->icount >= limit)
				tb_stop(tb, 1, "--max-instructions %llu reached at PC %08X",
					(unsigned long long)limit, c->pc);
			break;
		case CPU_STOP_SUSPENDED:
		case CPU_STOP_REQUESTED:
			break;
		}
	}
	double secs = (double)(now_ns() - tb->t0_ns) / 1e9;
	memset(out, 0, sizeof *out);
	out->status = tb->status;
	snprintf(out->reason, sizeof out->reason, "%s", tb->reason);
	out->pc = c->pc;
	out->instructions = c->icount;
	out->seconds = secs;
	out->traps = tb->traps;
	out->native_calls = tb->native_calls;
	out->patched_calls = tb->patched_calls;
	out->privileged_emulated = tb->privileged_emulated;
	out->sysbeeps = tb->sysbeeps;
	out->segment_loads = tb->segment_loads;
	out->segment_reads = tb->segment_reads;
	struct vmint *v = &tb->vmint;
	out->interrupts = v->interrupts;
	out->vbl_runs = v->vbl_runs;
	out->tm_runs = v->tm_runs;
	out->deferred_fns = v->deferred_runs;
	out->deferred_latency_max_ns = v->deferred_latency_max_ns;
	out->deferred_latency_avg_ns =
	    v->deferred_runs ? v->deferred_latency_total_ns / v->deferred_runs : 0;
	out->page_waits = v->page_waits;
	out->guest_ns = tb_guest_ns(tb);
	return out->status;
}

void toolbox_destroy(struct toolbox *tb)
{
	if (tb == NULL)
		return;
	pager_set_fault_fn(tb->pager, NULL, NULL);
	pager_set_pc_source(tb->pager, NULL);
	dbg_destroy(tb->dbg);
	rm_destroy(tb);
	free(tb->fm);
	free(tb);
}

void toolbox_print_layout(FILE *out, unsigned addressing, uint64_t ram_bytes)
{
	const uint32_t appl_zone = SYSTEM_HEAP + SYSTEM_HEAP_SIZE;
	const uint32_t rom = addressing == 24 ? 0x00800000 : 0x40800000;
	fprintf(out, "When an application runs (vm68k run APP):\n");
	fprintf(out, "  %08X-%08X  exception vectors, low-memory globals, OS trap table $400,\n"
		     "                     Toolbox trap table $E00-$1DFF\n",
		0u, 0x1FFFu);
	fprintf(out, "  %08X-%08X  supervisor stack (exception frames in user mode)\n", 0x2000u,
		(unsigned)SUPERVISOR_STACK_TOP - 1);
	fprintf(out, "  %08X-%08X  system heap (SysZone; held under VM)\n", (unsigned)SYSTEM_HEAP,
		appl_zone - 1);
	fprintf(out, "  %08X-          application heap (ApplZone, up to ApplLimit), then the\n"
		     "                     stack, the A5 world and the jump table up to MemTop %08llX\n",
		appl_zone, (unsigned long long)ram_bytes);
	fprintf(out, "  %08X-%08X  Toolbox ROM: routine descriptors and glue, read-only\n", rom,
		rom + ROM_SIZE - 1);
	fprintf(out, "  (no screen region: the pager demonstration's screen is its own)\n");
}
