/* `vm68k run APP`: runs a 68K Mac application in the sandboxed guest
 * process. The host reads the application (any container host/macfile.c
 * knows) and makes the descriptors; the child, forked with the resource
 * fork already in its memory, builds the pager and the Mac machine
 * (toolbox_create: it maps the toolbox ROM) before its filter is loaded,
 * then runs the application under the filter and reports through the
 * channel: DebugStr text, the result line, --stats counters. */
#define _GNU_SOURCE
#include "config.h"

#include "guest/guest.h"
#include "host/host.h"
#include "host/macfile.h"
#include "host/pagertrace.h"
#include "host/volumes.h"
#include "host/sandbox.h"
#include "pager/pager.h"
#include "toolbox/toolbox.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The working set over time (--stats, --ws-interval): pages touched in
 * each sample of `interval` instructions (pager_ws_sample). A series that
 * outgrows WS_MAX values is halved, each value becoming the larger of two
 * neighbours, so it stays one compact line and shows the peaks; `per` is
 * then how many samples one value covers. */
enum { WS_MAX = 64 };
struct ws_series {
	uint64_t interval, next; /* instructions per sample; icount of the next one */
	uint32_t values[WS_MAX];
	unsigned n, per, merged; /* values, samples per value, samples in values[n] so far */
	uint32_t peak;
	uint64_t samples, sum;
};

static void ws_add(struct ws_series *w, uint32_t touched)
{
	w->samples++;
	w->sum += touched;
	if (touched > w->peak)
		w->peak = touched;
	if (w->n == WS_MAX) {
		for (unsigned i = 0; i < WS_MAX / 2; i++)
			w->values[i] = w->values[2 * i] > w->values[2 * i + 1]
					   ? w->values[2 * i]
					   : w->values[2 * i + 1];
		w->n = WS_MAX / 2;
		w->per *= 2;
	}
	if (w->merged == 0)
		w->values[w->n] = 0;
	if (touched > w->values[w->n])
		w->values[w->n] = touched;
	if (++w->merged == w->per) {
		w->n++;
		w->merged = 0;
	}
}

/* Sends the series as log lines: printed before the statistics. */
static void ws_report(struct ws_series *w, const struct sandbox_child *child)
{
	if (w->samples == 0)
		return;
	char line[1024];
	int len =
	    snprintf(line, sizeof line,
		     "working set: pages touched per %llu instructions (%llu samples; peak %u, "
		     "mean %llu",
		     (unsigned long long)w->interval, (unsigned long long)w->samples, w->peak,
		     (unsigned long long)(w->sum / w->samples));
	if (w->per > 1)
		len += snprintf(line + len, sizeof line - (size_t)len,
				"; each value the largest of %u samples", w->per);
	len += snprintf(line + len, sizeof line - (size_t)len, "):");
	unsigned shown = w->n + (w->merged ? 1 : 0);
	for (unsigned i = 0; i < shown && len < (int)sizeof line - 12; i++)
		len += snprintf(line + len, sizeof line - (size_t)len, " %u", w->values[i]);
	child_log(child, "%s", line);
}

struct app_child {
	const struct run_config *cfg;
	struct mac_file mf;
	int ram_fd, store_fd;
	struct pager *pager;
	struct toolbox *tb;
	const struct sandbox_child *child;
	struct pager_tracer tr;
	/* the debugger: its script (host-read), or the console on fds 0 and 1 */
	bool debugger, console;
	char *debugger_script;
	struct ws_series ws; /* --stats: working set over time */
	int16_t app_vref; /* the application on a --volume-rw (host/appvolume.c) */
	uint8_t app_path[256];
};

static bool vm_on(const struct run_config *cfg)
{
	return !cfg->no_vm && cfg->vm_bytes > cfg->ram_bytes;
}

static void child_line(void *ctx, const char *line)
{
	struct app_child *a = ctx;
	child_log(a->child, "%s", line);
}

/* The debugger's console is the terminal the child kept (fds 0 and 1). */
static void console_write(const char *text, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, text, len);
		if (n <= 0)
			return;
		text += n;
		len -= (size_t)n;
	}
}

/* The debugger's lines quote guest text (DebugStr strings): control
 * characters are shown as \xNN, as print_guest_text does for the host. */
static void console_line(void *ctx, const char *line)
{
	(void)ctx;
	char buf[1024 * 4 + 2];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)line; *p && n + 5 < sizeof buf; p++) {
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "\\x%02x", *p);
		else
			buf[n++] = (char)*p;
	}
	buf[n++] = '\n';
	console_write(buf, n);
}

static void console_prompt(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	console_write(text, len);
}

static void child_progress(void *ctx, uint32_t pc, uint64_t instructions)
{
	struct app_child *a = ctx;
	a->child->status->pc = pc;
	a->child->status->pc_valid = 1;
	a->child->status->instructions = instructions;
	if (a->cfg->trace_path != NULL)
		pager_trace_drain(a->pager, a->child, &a->tr);
	if (a->ws.interval && instructions >= a->ws.next) {
		ws_add(&a->ws, pager_ws_sample(a->pager));
		a->ws.next = instructions - instructions % a->ws.interval + a->ws.interval;
	}
}

static void child_event(void *ctx, enum toolbox_event kind, uint32_t pc, uint32_t addr)
{
	struct app_child *a = ctx;
	pager_trace_event(a->pager, a->child, &a->tr,
			  kind == TOOLBOX_EV_PRIVILEGED ? TRACE_PRIV_INSN : TRACE_TRAP, pc, addr);
}

/* In the guest process, before the filter: pager, ROM, low memory, A5 world. */
static int app_setup(void *ctx, const struct sandbox_child *child)
{
	struct app_child *a = ctx;
	a->child = child;
	const struct run_config *cfg = a->cfg;
	char err[512];
	struct pager_config pc;
	pager_config_defaults(&pc);
	pc.ram_bytes = cfg->ram_bytes;
	pc.vm_bytes = vm_on(cfg) ? cfg->vm_bytes : cfg->ram_bytes;
	pc.addressing = cfg->addressing;
	pc.disk_latency_ns = cfg->disk_latency_ns;
	pc.backing_fd = a->store_fd;
	pc.ram_fd = a->ram_fd;
	a->pager = pager_create(&pc, err, sizeof err);
	if (a->pager == NULL) {
		child_send_exit(child, EXIT_FAILURE_RUN, err);
		return EXIT_FAILURE_RUN;
	}
	pager_trace_start(&a->tr); /* time 0: the machine is being built */
	uint8_t name[32];
	name[0] = a->mf.name_length > 31 ? 31 : a->mf.name_length;
	memcpy(name + 1, a->mf.name, name[0]);
	struct toolbox_config tc = {
	    .cpu_model = cfg->cpu_model,
	    .vm = vm_on(cfg),
	    .debugstr = (enum toolbox_debugstr)cfg->debugstr,
	    .max_instructions = cfg->max_instructions,
	    .rsrc = a->mf.rsrc,
	    .rsrc_len = a->mf.rsrc_length,
	    .name = name,
	    .log = child_line,
	    .progress = child_progress,
	    /* Tracing reports often enough that the pager's event ring
	     * (PAGER_TRACE_CAPACITY) is drained before it wraps. */
	    .event = cfg->trace_path != NULL ? child_event : NULL,
	    .report_every = cfg->trace_path != NULL ? 1024 : 0,
	    .defer_table_size = (unsigned)cfg->deferred_table_size,
	    .trace_traps = cfg->trace_path != NULL && cfg->trace_traps,
	    .ctx = a,
	    .debugger = a->debugger,
	    .debugger_at_start = cfg->debugger,
	    .debugger_script = a->console ? NULL : a->debugger_script ? a->debugger_script : "",
	    .console_in_fd = a->console ? STDIN_FILENO : -1,
	    .console_out = a->console ? console_line : NULL,
	    .console_prompt = a->console ? console_prompt : NULL,
	    .watch = cfg->watch,
	    .nwatch = cfg->nwatch,
	    .has_channel = true,
	    .channel_fd = child->channel_fd,
	    .app_vref = a->app_vref,
	    .rnd_seed = (uint32_t)cfg->seed,
	};
	memcpy(tc.app_path, a->app_path, sizeof tc.app_path);

	/* --stats: the working set is sampled at instruction boundaries every
	 * --ws-interval instructions (needs VM: without it nothing faults). */
	if (cfg->stats && cfg->ws_interval && vm_on(cfg)) {
		a->ws.interval = a->ws.next = cfg->ws_interval;
		a->ws.per = 1;
		pager_ws_sample(a->pager); /* the machine's own set-up is not the first sample */
		if (tc.report_every == 0 || tc.report_every > cfg->ws_interval)
			tc.report_every = cfg->ws_interval < 65536 ? cfg->ws_interval : 65536;
	}
	bool bad_input;
	a->tb = toolbox_create(a->pager, &tc, &bad_input, err, sizeof err);
	if (a->tb == NULL) {
		char msg[600];
		snprintf(msg, sizeof msg, "%s: %s", cfg->app, err);
		int status = bad_input ? EXIT_BAD_INPUT : EXIT_FAILURE_RUN;
		child_send_exit(child, status, msg);
		return status;
	}
	return EXIT_OK;
}

static void stat_row(struct msg_stat *s, size_t *n, const char *name, uint64_t v)
{
	memset(&s[*n], 0, sizeof s[*n]);
	snprintf(s[*n].name, sizeof s[*n].name, "%s", name);
	s[*n].value = v;
	(*n)++;
}

/* --stats rows for the "faults by kind" and residency: each fault
 * counts in exactly one faults_* row (so they sum to faults), then the
 * paging traffic, and the peak and final resident, held and locked pages. */
static void pager_stat_rows(const struct pager_stats *ps, struct msg_stat *s, size_t *n)
{
	stat_row(s, n, "faults_zero_fill", ps->zero_fill_faults);
	stat_row(s, n, "faults_from_store", ps->store_faults);
	stat_row(s, n, "faults_dirty", ps->dirty_faults - ps->reference_dirty);
	stat_row(s, n, "faults_reference", ps->reference_faults);
	stat_row(s, n, "faults_watch", ps->watch_faults);
	stat_row(s, n, "faults_bus_error", ps->bus_errors);
	stat_row(s, n, "faults_read_only", ps->read_only_faults);
	stat_row(s, n, "faults_fatal_page_fault", ps->fault_fatal);
	stat_row(s, n, "faults_backing_store", ps->fault_store_errors);
	stat_row(s, n, "watch_filtered", ps->watch_filtered);
	stat_row(s, n, "watch_hits", ps->watch_hits);
	stat_row(s, n, "fatal_page_faults", ps->fatal_page_faults);
	stat_row(s, n, "backing_store_errors", ps->backing_store_errors);
	stat_row(s, n, "evictions", ps->evictions);
	stat_row(s, n, "clean_drops", ps->clean_drops);
	stat_row(s, n, "simulated_disk_us", ps->simulated_disk_ns / 1000);
	stat_row(s, n, "resident_final", ps->resident);
	stat_row(s, n, "held_peak", ps->held_peak);
	stat_row(s, n, "held_final", ps->held);
	stat_row(s, n, "locked_peak", ps->locked_peak);
	stat_row(s, n, "locked_final", ps->locked);
}

/* In the guest process, under the filter: the application runs. */
static int app_main(void *ctx, const struct sandbox_child *child)
{
	struct app_child *a = ctx;
	a->child = child;
	struct toolbox_result r;
	toolbox_run(a->tb, &r);
	if (a->cfg->trace_path != NULL)
		pager_trace_drain(a->pager, child, &a->tr);
	child->status->pc = r.pc;
	child->status->pc_valid = 1;
	child->status->instructions = r.instructions;
	if (a->ws.interval) {
		ws_add(&a->ws, pager_ws_sample(a->pager)); /* the last, partial interval */
		ws_report(&a->ws, child);
	}
	struct pager_stats ps;
	pager_get_stats(a->pager, &ps);
	struct msg_stat s[64];
	size_t n = 0;
	stat_row(s, &n, "instructions", r.instructions);
	stat_row(s, &n, "mips_x1000",
		 r.seconds > 0 ? (uint64_t)((double)r.instructions / r.seconds / 1000.0) : 0);
	stat_row(s, &n, "run_us", (uint64_t)(r.seconds * 1e6));
	stat_row(s, &n, "traps", r.traps);
	stat_row(s, &n, "native_calls", r.native_calls);
	stat_row(s, &n, "patched_trap_calls", r.patched_calls);
	stat_row(s, &n, "privileged_emulated", r.privileged_emulated);
	stat_row(s, &n, "sysbeeps", r.sysbeeps);
	stat_row(s, &n, "segment_loads", r.segment_loads);
	stat_row(s, &n, "segment_reads", r.segment_reads);
	stat_row(s, &n, "faults", ps.faults);
	stat_row(s, &n, "page_ins", ps.page_ins);
	stat_row(s, &n, "zero_fills", ps.zero_fills);
	stat_row(s, &n, "page_outs", ps.page_outs);
	stat_row(s, &n, "resident_peak", ps.resident_peak);
	stat_row(s, &n, "frames", ps.frames);
	stat_row(s, &n, "held", ps.held);
	stat_row(s, &n, "reference_faults", ps.reference_faults);
	stat_row(s, &n, "ws_samples", a->ws.samples);
	stat_row(s, &n, "ws_peak_pages", a->ws.peak);
	stat_row(s, &n, "guest_us", r.guest_ns / 1000);
	stat_row(s, &n, "interrupts", r.interrupts);
	stat_row(s, &n, "vbl_tasks_run", r.vbl_runs);
	stat_row(s, &n, "time_tasks_run", r.tm_runs);
	stat_row(s, &n, "page_waits", r.page_waits);
	stat_row(s, &n, "deferred_user_fns", r.deferred_fns);
	stat_row(s, &n, "deferred_latency_max_us", r.deferred_latency_max_ns / 1000);
	stat_row(s, &n, "deferred_latency_avg_us", r.deferred_latency_avg_ns / 1000);
	pager_stat_rows(&ps, s, &n);
	child_send_stats(child, s, n);
	child_send_exit(child, r.status, r.reason);
	return r.status;
}

static int run_app(const struct run_config *cfg)
{
	if (vm_on(cfg) && cfg->cpu_model == CPU_68000) {
		fprintf(stderr,
			"vm68k run: virtual memory needs an MMU and the 68000 has none: use "
			"--cpu 68030 (the default) or 68040, or turn VM off (--no-vm, or --vm no "
			"larger than --ram)\n");
		return EXIT_USAGE;
	}
	/* System 7's limits on logical memory under VM (Inside Macintosh:
	 * Memory): 14 MB in 24-bit mode, 1 GB in 32-bit mode. */
	uint64_t vm_max = cfg->addressing == 24 ? 14u << 20 : 1u << 30;
	if (vm_on(cfg) && cfg->vm_bytes > vm_max) {
		fprintf(stderr,
			"vm68k run: --vm: virtual memory allows at most %s of logical memory in "
			"%d-bit mode\n",
			cfg->addressing == 24 ? "14M" : "1G", cfg->addressing);
		return EXIT_USAGE;
	}
	struct app_child a = {.cfg = cfg, .ram_fd = -1, .store_fd = -1};
	char err[600];
	/* The debugger takes the guest's stops when asked for, or for
	 * --debugstr break on a terminal. Its commands come from the script
	 * (the file, read here: the child cannot open files, then -e), or
	 * else from the terminal, which the child then keeps. */
	a.debugger = cfg->debugger || cfg->debugger_commands || cfg->eval || cfg->nwatch ||
		     (cfg->debugstr == 1 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO));
	if (cfg->debugger_commands || cfg->eval) {
		size_t cap = (cfg->eval ? strlen(cfg->eval) : 0) + 2, len = 0;
		char *text = NULL;
		if (cfg->debugger_commands) {
			FILE *f = fopen(cfg->debugger_commands, "re");
			if (f == NULL) {
				fprintf(stderr, "vm68k run: --debugger-commands %s: %s\n",
					cfg->debugger_commands, strerror(errno));
				return EXIT_BAD_INPUT;
			}
			char buf[4096];
			size_t n;
			while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
				char *t = realloc(text, cap + len + n);
				if (t == NULL)
					break;
				text = t;
				memcpy(text + len, buf, n);
				len += n;
			}
			fclose(f);
		}
		char *t = realloc(text, cap + len + 1);
		if (t == NULL) {
			free(text);
			fprintf(stderr, "vm68k run: out of memory for the debugger commands\n");
			return EXIT_FAILURE_RUN;
		}
		text = t;
		if (len > 0 && text[len - 1] != '\n')
			text[len++] = '\n';
		if (cfg->eval)
			len += (size_t)sprintf(text + len, "%s\n", cfg->eval);
		text[len] = '\0';
		a.debugger_script = text;
	} else {
		a.console = a.debugger;
	}
	if (!macfile_load(cfg->app, &a.mf, err, sizeof err)) {
		fprintf(stderr, "vm68k run: %s\n", err);
		return EXIT_BAD_INPUT;
	}
	if (!a.mf.has_fork) {
		fprintf(stderr, "vm68k run: %s: no resource fork: expected a Mac application\n",
			cfg->app);
		macfile_free(&a.mf);
		return EXIT_BAD_INPUT;
	}
	if (!app_volume_path(cfg, &a.mf, &a.app_vref, a.app_path))
		a.app_vref = 0;
	int status = EXIT_OK;
	if (vm_on(cfg)) {
		if (cfg->backing_store != NULL) {
			a.store_fd =
			    open(cfg->backing_store, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
			if (a.store_fd < 0) {
				fprintf(stderr, "vm68k run: --backing-store %s: %s\n",
					cfg->backing_store, strerror(errno));
				status = EXIT_BAD_INPUT;
			}
		} else if ((a.store_fd = pager_open_private_store(err, sizeof err)) < 0) {
			fprintf(stderr, "vm68k run: %s\n", err);
			status = EXIT_FAILURE_RUN;
		}
	}
	if (status == EXIT_OK && (a.ram_fd = memfd_create("vm68k-ram", MFD_CLOEXEC)) < 0) {
		fprintf(stderr, "vm68k run: memfd for RAM: %s\n", strerror(errno));
		status = EXIT_FAILURE_RUN;
	}
	if (status == EXIT_OK) {
		struct sandbox_fd fds[4];
		size_t n = 0;
		if (a.console) {
			fds[n++] = (struct sandbox_fd){STDIN_FILENO, SANDBOX_READ};
			fds[n++] = (struct sandbox_fd){STDOUT_FILENO, SANDBOX_WRITE};
		}
		fds[n++] = (struct sandbox_fd){a.ram_fd, SANDBOX_MMAP | SANDBOX_PUNCH};
		if (a.store_fd >= 0)
			fds[n++] = (struct sandbox_fd){a.store_fd, SANDBOX_PREAD | SANDBOX_PWRITE};
		/* --stats: the host adds the backing store's size */
		struct spawn_job job = {fds, n, app_setup, app_main, &a, a.store_fd >= 0, a.store_fd};
		/* At the console, Control-C is the debugger's (the child's
		 * interrupt switch), not the end of vm68k. */
		struct sigaction ign, old_int;
		memset(&ign, 0, sizeof ign);
		ign.sa_handler = SIG_IGN;
		if (a.console)
			sigaction(SIGINT, &ign, &old_int);
		status = sandbox_run(cfg, &job);
		if (a.console)
			sigaction(SIGINT, &old_int, NULL);
	}
	if (a.ram_fd >= 0)
		close(a.ram_fd);
	if (a.store_fd >= 0)
		close(a.store_fd);
	macfile_free(&a.mf);
	free(a.debugger_script);
	return status;
}

int cmd_run(const struct run_config *cfg)
{
	if (cfg->example != NULL) {
		if (cfg->app != NULL) {
			fprintf(stderr, "vm68k run: give an APP or --example %s, not both\n",
				cfg->example);
			return EXIT_USAGE;
		}
		static char path[4096 + 32];
		if (example_lookup(cfg->example) == NULL ||
		    !example_path(cfg->example, path, sizeof path)) {
			example_not_found(cfg->example);
			return EXIT_USAGE;
		}
		struct run_config with_app = *cfg;
		with_app.app = path;
		return run_app(&with_app);
	}
	return cfg->app != NULL ? run_app(cfg) : cmd_run_demo(cfg);
}
