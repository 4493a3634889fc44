/* Writing trace records as JSON Lines (for scripts: every value a number
 * or a fixed name) or as Chrome trace events (for Perfetto: one instant
 * event per record plus counter tracks for the running counts). */
#include "config.h"

#include "host/trace.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[TRACE_KIND_LIMIT] = {
    [TRACE_PAGE_IN] = "page-in",
    [TRACE_PAGE_OUT] = "page-out",
    [TRACE_EVICT] = "evict",
    [TRACE_ZERO_FILL] = "zero-fill",
    [TRACE_DIRTY] = "dirty",
    [TRACE_HOLD] = "hold",
    [TRACE_UNHOLD] = "unhold",
    [TRACE_LOCK] = "lock",
    [TRACE_UNLOCK] = "unlock",
    [TRACE_FATAL_PAGE_FAULT] = "fatal-page-fault",
    [TRACE_READ_ONLY_WRITE] = "read-only-write",
    [TRACE_WATCH_HIT] = "watch-hit",
    [TRACE_PRIV_INSN] = "privileged-instruction",
    [TRACE_TRAP] = "trap",
    [TRACE_REFERENCE] = "reference",
    [TRACE_WATCH_FILTERED] = "watch-filtered",
    [TRACE_BUS_ERROR] = "bus-error",
    [TRACE_BAD_BACKING_STORE] = "bad-backing-store",
};

static const char *const source_names[] = {
    [TRACE_SRC_NONE] = "none",
    [TRACE_SRC_ZERO] = "zero",
    [TRACE_SRC_BACKING] = "backing-store",
    [TRACE_SRC_FILE] = "file",
};

const char *trace_kind_name(unsigned kind)
{
	return kind < TRACE_KIND_LIMIT ? kind_names[kind] : NULL;
}

const char *trace_source_name(unsigned source)
{
	return source < sizeof source_names / sizeof source_names[0] ? source_names[source] : NULL;
}

bool trace_format_parse(const char *text, enum trace_format *out)
{
	if (strcmp(text, "jsonl") == 0)
		*out = TRACE_FORMAT_JSONL;
	else if (strcmp(text, "chrome") == 0)
		*out = TRACE_FORMAT_CHROME;
	else
		return false;
	return true;
}

struct trace_writer {
	FILE *f;
	enum trace_format fmt;
	bool first;	  /* no event written yet (Chrome: no comma before it) */
	bool have_counts; /* last_* below are meaningful */
	uint32_t last_resident, last_held, last_locked;
	uint64_t last_faults, last_page_ins, last_page_outs;
};

struct trace_writer *trace_writer_new(FILE *f, enum trace_format fmt)
{
	struct trace_writer *w = calloc(1, sizeof *w);
	if (w == NULL)
		return NULL;
	w->f = f;
	w->fmt = fmt;
	w->first = true;
	if (fmt == TRACE_FORMAT_CHROME) {
		/* Metadata first, so Perfetto names the tracks. */
		fprintf(f,
			"{\"displayTimeUnit\":\"ns\",\n"
			"\"otherData\":{\"producer\":\"vm68k %s\",\"schema\":\"vm68k-trace(5)\"},\n"
			"\"traceEvents\":[\n"
			"{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,"
			"\"args\":{\"name\":\"vm68k guest\"}},\n"
			"{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,"
			"\"args\":{\"name\":\"68K CPU\"}}",
			PACKAGE_VERSION);
		w->first = false;
	}
	return w;
}

/* A kind or source the child sent that we do not know is written as its
 * number in words, never dropped: the trace shows everything it was given. */
static const char *name_or_number(const char *name, unsigned n, char *buf, size_t len)
{
	if (name != NULL)
		return name;
	snprintf(buf, len, "unknown-%u", n);
	return buf;
}

static void write_jsonl(struct trace_writer *w, const struct trace_record *r)
{
	char kb[32], sb[32];
	const char *kind = name_or_number(trace_kind_name(r->kind), r->kind, kb, sizeof kb);
	fprintf(w->f, "{\"time_ns\":%" PRIu64 ",\"kind\":\"%s\"", r->time_ns, kind);
	if (r->source != TRACE_SRC_NONE)
		fprintf(w->f, ",\"source\":\"%s\"",
			name_or_number(trace_source_name(r->source), r->source, sb, sizeof sb));
	if (r->pages != 0)
		fprintf(w->f, ",\"pages\":%" PRIu32, r->pages);
	fprintf(w->f,
		",\"pc\":%" PRIu32 ",\"addr\":%" PRIu32 ",\"page\":%" PRIu32
		",\"resident\":%" PRIu32 ",\"held\":%" PRIu32 ",\"locked\":%" PRIu32
		",\"faults\":%" PRIu64 ",\"page_ins\":%" PRIu64 ",\"page_outs\":%" PRIu64 "}\n",
		r->pc, r->addr, r->page, r->resident, r->held, r->locked, r->faults, r->page_ins,
		r->page_outs);
}

static void chrome_event_start(struct trace_writer *w)
{
	fputs(w->first ? "\n" : ",\n", w->f);
	w->first = false;
}

static void write_chrome(struct trace_writer *w, const struct trace_record *r)
{
	char kb[32], sb[32], ts[48];
	/* Chrome timestamps are microseconds; keep the nanoseconds as decimals. */
	snprintf(ts, sizeof ts, "%" PRIu64 ".%03u", r->time_ns / 1000,
		 (unsigned)(r->time_ns % 1000));
	const char *kind = name_or_number(trace_kind_name(r->kind), r->kind, kb, sizeof kb);
	chrome_event_start(w);
	fprintf(w->f,
		"{\"name\":\"%s\",\"cat\":\"vm\",\"ph\":\"i\",\"s\":\"t\",\"ts\":%s,\"pid\":1,"
		"\"tid\":1,\"args\":{",
		kind, ts);
	if (r->source != TRACE_SRC_NONE)
		fprintf(w->f, "\"source\":\"%s\",",
			name_or_number(trace_source_name(r->source), r->source, sb, sizeof sb));
	if (r->pages != 0)
		fprintf(w->f, "\"pages\":%" PRIu32 ",", r->pages);
	/* Addresses as MacsBug prints them: Perfetto shows args as they are. */
	fprintf(w->f, "\"pc\":\"%08" PRIX32 "\",\"addr\":\"%08" PRIX32 "\",\"page\":%" PRIu32 "}}",
		r->pc, r->addr, r->page);

	/* Counter tracks, only when a count moved: the graphs stay the same and
	 * the file stays smaller. */
	if (!w->have_counts || r->resident != w->last_resident || r->held != w->last_held ||
	    r->locked != w->last_locked) {
		chrome_event_start(w);
		fprintf(w->f,
			"{\"name\":\"pages\",\"ph\":\"C\",\"ts\":%s,\"pid\":1,\"tid\":1,"
			"\"args\":{\"resident\":%" PRIu32 ",\"held\":%" PRIu32
			",\"locked\":%" PRIu32 "}}",
			ts, r->resident, r->held, r->locked);
	}
	if (!w->have_counts || r->faults != w->last_faults || r->page_ins != w->last_page_ins ||
	    r->page_outs != w->last_page_outs) {
		chrome_event_start(w);
		fprintf(w->f,
			"{\"name\":\"paging\",\"ph\":\"C\",\"ts\":%s,\"pid\":1,\"tid\":1,"
			"\"args\":{\"faults\":%" PRIu64 ",\"page_ins\":%" PRIu64
			",\"page_outs\":%" PRIu64 "}}",
			ts, r->faults, r->page_ins, r->page_outs);
	}
	w->have_counts = true;
	w->last_resident = r->resident;
	w->last_held = r->held;
	w->last_locked = r->locked;
	w->last_faults = r->faults;
	w->last_page_ins = r->page_ins;
	w->last_page_outs = r->page_outs;
}

void trace_writer_record(struct trace_writer *w, const struct trace_record *rec)
{
	if (w->fmt == TRACE_FORMAT_CHROME)
		write_chrome(w, rec);
	else
		write_jsonl(w, rec);
}

int trace_writer_close(struct trace_writer *w)
{
	if (w->fmt == TRACE_FORMAT_CHROME)
		fputs("\n]}\n", w->f);
	bool failed = ferror(w->f) != 0;
	int saved = errno;
	if (fclose(w->f) != 0)
		failed = true;
	else if (failed)
		errno = saved ? saved : EIO;
	free(w);
	return failed ? -1 : 0;
}
