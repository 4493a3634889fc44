/* --trace output parses back: JSON Lines record by record, and the Chrome
 * trace event format as one JSON object whose events have what Perfetto's
 * JSON importer requires. A small strict JSON parser lives here so the test
 * needs no library. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <unistd.h>

#include "host/host.h"
#include "host/sandbox.h"
#include "host/trace.h"

/* ---- a strict JSON parser (RFC 8259), enough to read traces back ---- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype t;
	double num;
	bool b;
	char *str;	   /* J_STR */
	size_t n;	   /* J_ARR, J_OBJ: number of items */
	struct jv *items;  /* J_ARR, J_OBJ */
	char **keys;	   /* J_OBJ */
	const char *start; /* J_NUM: its text, to check integers */
};

struct jp {
	const char *p;
};

static void ws(struct jp *s)
{
	while (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')
		s->p++;
}

static bool parse_value(struct jp *s, struct jv *v);

static bool parse_string(struct jp *s, char **out)
{
	if (*s->p != '"')
		return false;
	s->p++;
	size_t cap = 16, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		unsigned char c = (unsigned char)*s->p++;
		if (c == '"')
			break;
		if (c < 0x20) {
			free(buf);
			return false;
		}
		if (c == '\\') {
			char e = *s->p++;
			switch (e) {
			case '"':
			case '\\':
			case '/':
				c = (unsigned char)e;
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case 'u':
				for (int i = 0; i < 4; i++)
					if (!strchr("0123456789abcdefABCDEF", s->p[i]) ||
					    !s->p[i]) {
						free(buf);
						return false;
					}
				s->p += 4;
				c = '?'; /* traces never need the character itself */
				break;
			default:
				free(buf);
				return false;
			}
		}
		if (n + 2 > cap)
			buf = realloc(buf, cap *= 2);
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
	*out = buf;
	return true;
}

static bool parse_number(struct jp *s, struct jv *v)
{
	const char *q = s->p;
	if (*q == '-')
		q++;
	if (*q == '0')
		q++;
	else if (*q >= '1' && *q <= '9')
		while (*q >= '0' && *q <= '9')
			q++;
	else
		return false;
	if (*q == '.') {
		q++;
		if (!(*q >= '0' && *q <= '9'))
			return false;
		while (*q >= '0' && *q <= '9')
			q++;
	}
	if (*q == 'e' || *q == 'E') {
		q++;
		if (*q == '+' || *q == '-')
			q++;
		if (!(*q >= '0' && *q <= '9'))
			return false;
		while (*q >= '0' && *q <= '9')
			q++;
	}
	v->t = J_NUM;
	v->start = s->p;
	v->num = strtod(s->p, NULL);
	s->p = q;
	return true;
}

static void jfree(struct jv *v);

/* On failure frees what it built, as every parse_* does. */
static bool parse_items(struct jp *s, struct jv *v, bool object)
{
	char close = object ? '}' : ']';
	s->p++;
	ws(s);
	size_t cap = 0;
	if (*s->p == close) {
		s->p++;
		return true;
	}
	for (;;) {
		if (v->n == cap) {
			cap = cap ? cap * 2 : 8;
			v->items = realloc(v->items, cap * sizeof *v->items);
			if (object)
				v->keys = realloc(v->keys, cap * sizeof *v->keys);
		}
		ws(s);
		if (object) {
			if (!parse_string(s, &v->keys[v->n]))
				goto fail;
			ws(s);
			if (*s->p++ != ':') {
				free(v->keys[v->n]);
				goto fail;
			}
		}
		if (!parse_value(s, &v->items[v->n])) {
			if (object)
				free(v->keys[v->n]);
			goto fail;
		}
		v->n++;
		ws(s);
		if (*s->p == ',') {
			s->p++;
			continue;
		}
		if (*s->p == close) {
			s->p++;
			return true;
		}
		goto fail;
	}
fail:
	jfree(v);
	memset(v, 0, sizeof *v);
	return false;
}

static bool parse_value(struct jp *s, struct jv *v)
{
	memset(v, 0, sizeof *v);
	ws(s);
	switch (*s->p) {
	case '{':
		v->t = J_OBJ;
		return parse_items(s, v, true);
	case '[':
		v->t = J_ARR;
		return parse_items(s, v, false);
	case '"':
		v->t = J_STR;
		return parse_string(s, &v->str);
	case 't':
		if (strncmp(s->p, "true", 4))
			return false;
		s->p += 4, v->t = J_BOOL, v->b = true;
		return true;
	case 'f':
		if (strncmp(s->p, "false", 5))
			return false;
		s->p += 5, v->t = J_BOOL;
		return true;
	case 'n':
		if (strncmp(s->p, "null", 4))
			return false;
		s->p += 4, v->t = J_NULL;
		return true;
	default:
		return parse_number(s, v);
	}
}

static void jfree(struct jv *v)
{
	for (size_t i = 0; i < v->n; i++) {
		jfree(&v->items[i]);
		if (v->t == J_OBJ)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
}

/* Parses all of text as one JSON value. */
static bool parse_document(const char *text, struct jv *v)
{
	struct jp s = {text};
	if (!parse_value(&s, v))
		return false;
	ws(&s);
	if (*s.p != '\0') {
		jfree(v);
		return false;
	}
	return true;
}

static const struct jv *get(const struct jv *obj, const char *key)
{
	if (obj == NULL || obj->t != J_OBJ)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return &obj->items[i];
	return NULL;
}

static bool is_integer(const struct jv *v)
{
	if (v == NULL || v->t != J_NUM)
		return false;
	char after = v->start[strspn(v->start, "-0123456789")];
	return after != '.' && after != 'e' && after != 'E';
}

static const char *str(const struct jv *v)
{
	return v != NULL && v->t == J_STR ? v->str : NULL;
}

static void parser_rejects_what_is_not_json(void **state)
{
	(void)state;
	static const char *const bad[] = {"{",	     "[1,]",	  "{\"a\":1,}", "01",  "1.",
					  "\"\\x\"", "{\"a\" 1}", "[1] 2",	"tru", "\"a\nb\""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct jv v;
		bool ok = parse_document(bad[i], &v);
		if (ok)
			jfree(&v);
		assert_false(ok);
	}
	struct jv v;
	assert_true(parse_document(" {\"a\":[1,2.5e3,-0.25,true,null,\"x\\\"y\"]} ", &v));
	assert_int_equal(get(&v, "a")->n, 6);
	assert_true(is_integer(&get(&v, "a")->items[0]));
	assert_false(is_integer(&get(&v, "a")->items[1]));
	jfree(&v);
}

/* ---- the records used below ---- */

static const struct trace_record records[] = {
    {.time_ns = 1500,
     .kind = TRACE_ZERO_FILL,
     .source = TRACE_SRC_NONE,
     .pc = 0x1A2C,
     .addr = 0x3000,
     .page = 3,
     .resident = 1,
     .faults = 1},
    {.time_ns = 2750,
     .kind = TRACE_PAGE_IN,
     .source = TRACE_SRC_BACKING,
     .pc = 0x1A30,
     .addr = 0x00123456,
     .page = 0x123,
     .resident = 2,
     .held = 1,
     .faults = 2,
     .page_ins = 1},
    {.time_ns = 4000123,
     .kind = TRACE_PAGE_OUT,
     .pc = 0x1A30,
     .addr = 0x5000,
     .page = 5,
     .resident = 2,
     .held = 1,
     .faults = 2,
     .page_ins = 1,
     .page_outs = 1},
    {.time_ns = 4000200,
     .kind = 99,
     .source = 42,
     .pc = 0,
     .addr = 0,
     .resident = 2,
     .held = 1,
     .faults = 2,
     .page_ins = 1,
     .page_outs = 1},
};
#define NRECORDS (sizeof records / sizeof records[0])

static char *write_all(enum trace_format fmt, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	struct trace_writer *w = trace_writer_new(f, fmt);
	assert_non_null(w);
	for (size_t i = 0; i < n; i++)
		trace_writer_record(w, &records[i]);
	assert_int_equal(trace_writer_close(w), 0);
	return buf;
}

static void jsonl_records_parse_back_field_by_field(void **state)
{
	(void)state;
	char *text = write_all(TRACE_FORMAT_JSONL, NRECORDS);
	char *save = NULL;
	size_t i = 0;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		assert_true(i < NRECORDS);
		const struct trace_record *r = &records[i++];
		struct jv v;
		assert_true(parse_document(line, &v));
		assert_int_equal(v.t, J_OBJ);
		assert_true(is_integer(get(&v, "time_ns")));
		assert_int_equal((uint64_t)get(&v, "time_ns")->num, r->time_ns);
		const char *kind = trace_kind_name(r->kind);
		if (kind)
			assert_string_equal(str(get(&v, "kind")), kind);
		else
			assert_string_equal(str(get(&v, "kind")), "unknown-99");
		if (r->source == TRACE_SRC_NONE)
			assert_null(get(&v, "source"));
		else if (trace_source_name(r->source))
			assert_string_equal(str(get(&v, "source")), trace_source_name(r->source));
		else
			assert_string_equal(str(get(&v, "source")), "unknown-42");
		static const char *const ints[] = {"pc",       "addr",	   "page",
						   "resident", "held",	   "locked",
						   "faults",   "page_ins", "page_outs"};
		const uint64_t want[] = {r->pc,	    r->addr,   r->page,	    r->resident, r->held,
					 r->locked, r->faults, r->page_ins, r->page_outs};
		for (size_t k = 0; k < sizeof ints / sizeof ints[0]; k++) {
			assert_true(is_integer(get(&v, ints[k])));
			assert_int_equal((uint64_t)get(&v, ints[k])->num, want[k]);
		}
		jfree(&v);
	}
	assert_int_equal(i, NRECORDS);
	free(text);
}

/* What Perfetto's JSON importer needs of each event. */
static void check_chrome_event(const struct jv *e)
{
	assert_int_equal(e->t, J_OBJ);
	const char *ph = str(get(e, "ph"));
	assert_non_null(ph);
	assert_non_null(str(get(e, "name")));
	assert_true(is_integer(get(e, "pid")));
	assert_true(is_integer(get(e, "tid")));
	if (strcmp(ph, "M") != 0) {
		assert_non_null(get(e, "ts"));
		assert_int_equal(get(e, "ts")->t, J_NUM);
	}
	if (strcmp(ph, "i") == 0)
		assert_non_null(strchr("gpt", str(get(e, "s"))[0]));
	if (get(e, "args"))
		assert_int_equal(get(e, "args")->t, J_OBJ);
}

static void chrome_trace_is_one_json_object_perfetto_accepts(void **state)
{
	(void)state;
	char *text = write_all(TRACE_FORMAT_CHROME, NRECORDS);
	struct jv v;
	assert_true(parse_document(text, &v));
	assert_int_equal(v.t, J_OBJ);
	assert_string_equal(str(get(&v, "displayTimeUnit")), "ns");
	const struct jv *ev = get(&v, "traceEvents");
	assert_non_null(ev);
	assert_int_equal(ev->t, J_ARR);
	size_t instants = 0, counters = 0, metadata = 0;
	double last_ts = -1;
	for (size_t i = 0; i < ev->n; i++) {
		const struct jv *e = &ev->items[i];
		check_chrome_event(e);
		const char *ph = str(get(e, "ph"));
		if (strcmp(ph, "M") == 0) {
			metadata++;
			continue;
		}
		double ts = get(e, "ts")->num;
		assert_true(ts >= last_ts);
		last_ts = ts;
		if (strcmp(ph, "C") == 0) {
			counters++;
			continue;
		}
		assert_string_equal(ph, "i");
		const struct trace_record *r = &records[instants++];
		assert_true(ts * 1000.0 > (double)r->time_ns - 0.5 &&
			    ts * 1000.0 < (double)r->time_ns + 0.5);
		const char *kind = trace_kind_name(r->kind);
		assert_string_equal(str(get(e, "name")), kind ? kind : "unknown-99");
		char hex[16];
		snprintf(hex, sizeof hex, "%08X", r->pc);
		assert_string_equal(str(get(get(e, "args"), "pc")), hex);
		snprintf(hex, sizeof hex, "%08X", r->addr);
		assert_string_equal(str(get(get(e, "args"), "addr")), hex);
	}
	assert_int_equal(instants, NRECORDS);
	assert_int_equal(metadata, 2);
	/* pages: records 0, 1 (resident/held moved); paging: records 0, 1, 2. */
	assert_int_equal(counters, 5);
	jfree(&v);
	free(text);
}

static void an_empty_chrome_trace_is_still_valid_json(void **state)
{
	(void)state;
	char *text = write_all(TRACE_FORMAT_CHROME, 0);
	struct jv v;
	assert_true(parse_document(text, &v));
	assert_int_equal(get(&v, "traceEvents")->n, 2); /* the metadata only */
	jfree(&v);
	free(text);
	text = write_all(TRACE_FORMAT_JSONL, 0);
	assert_string_equal(text, "");
	free(text);
}

static void trace_formats_are_jsonl_or_chrome(void **state)
{
	(void)state;
	enum trace_format f = TRACE_FORMAT_JSONL;
	assert_true(trace_format_parse("chrome", &f));
	assert_int_equal(f, TRACE_FORMAT_CHROME);
	assert_true(trace_format_parse("jsonl", &f));
	assert_int_equal(f, TRACE_FORMAT_JSONL);
	assert_false(trace_format_parse("json", &f));
	struct run_config cfg;
	run_config_defaults(&cfg);
	bool help = false;
	char *bad[] = {"vm68k", "run", "--trace-format", "xml"};
	assert_int_equal(parse_options(4, bad, 2, CMD_RUN, &cfg, &help), -1);
}

/* ---- end to end: records from a sandboxed child reach the file ---- */

static int emit_records(void *ctx, const struct sandbox_child *child)
{
	(void)ctx;
	for (size_t i = 0; i < NRECORDS; i++)
		if (child_trace(child, &records[i]) < 0)
			return 1;
	return 0;
}

static void a_guest_process_trace_reaches_the_trace_file(void **state)
{
	(void)state;
	char path[] = "/tmp/vm68k-trace-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct run_config cfg;
	run_config_defaults(&cfg);
	bool help = false;
	char *args[] = {"vm68k",	  "run",    "--trace",	 path,
			"--trace-format", "chrome", "--timeout", "5"};
	assert_int_equal(parse_options(8, args, 2, CMD_RUN, &cfg, &help), 8);
	struct spawn_job job = {.main = emit_records};
	assert_int_equal(sandbox_run(&cfg, &job), EXIT_OK);

	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char text[8192];
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	unlink(path);
	struct jv v;
	assert_true(parse_document(text, &v));
	const struct jv *ev = get(&v, "traceEvents");
	size_t instants = 0;
	for (size_t i = 0; i < ev->n; i++)
		if (strcmp(str(get(&ev->items[i], "ph")), "i") == 0)
			instants++;
	assert_int_equal(instants, NRECORDS);
	jfree(&v);
}

static void an_uncreatable_trace_file_is_a_bad_input(void **state)
{
	(void)state;
	struct run_config cfg;
	run_config_defaults(&cfg);
	cfg.trace_path = "/nonexistent-dir/trace.jsonl";
	struct spawn_job job = {.main = emit_records};
	assert_int_equal(sandbox_run(&cfg, &job), EXIT_BAD_INPUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parser_rejects_what_is_not_json),
	    cmocka_unit_test(jsonl_records_parse_back_field_by_field),
	    cmocka_unit_test(chrome_trace_is_one_json_object_perfetto_accepts),
	    cmocka_unit_test(an_empty_chrome_trace_is_still_valid_json),
	    cmocka_unit_test(trace_formats_are_jsonl_or_chrome),
	    cmocka_unit_test(a_guest_process_trace_reaches_the_trace_file),
	    cmocka_unit_test(an_uncreatable_trace_file_is_a_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
