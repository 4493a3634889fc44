/* --trace output: the binary trace records the guest process writes to its
 * pipe (host/protocol.h), turned into JSON Lines or the Chrome trace event
 * format that Perfetto opens. The schema is documented in vm68k-trace(5). */
#ifndef VM68K_HOST_TRACE_H
#define VM68K_HOST_TRACE_H

#include <stdbool.h>
#include <stdio.h>

#include "host/protocol.h"

enum trace_format {
	TRACE_FORMAT_JSONL,  /* one JSON object per line */
	TRACE_FORMAT_CHROME, /* one JSON object with a traceEvents array */
};

/* Parses "jsonl" or "chrome". Returns false (and leaves *out alone) otherwise. */
bool trace_format_parse(const char *text, enum trace_format *out);

/* The name of a record kind ("page-in"), or NULL for an unknown kind. */
const char *trace_kind_name(unsigned kind);

/* The name of a page-in source ("backing-store"), or NULL for an unknown one. */
const char *trace_source_name(unsigned source);

struct trace_writer;

/* Starts a trace on f (which the writer then owns and closes). Returns NULL
 * when out of memory (f is left open). */
struct trace_writer *trace_writer_new(FILE *f, enum trace_format fmt);

/* Appends one record; write errors are remembered for trace_writer_close. */
void trace_writer_record(struct trace_writer *w, const struct trace_record *rec);

/* Finishes the document (the Chrome format's closing brackets), closes the
 * file and frees w. Returns 0, or -1 if any write failed (errno set). */
int trace_writer_close(struct trace_writer *w);

#endif
