/* MacsBug expressions for the debugger: hexadecimal numbers by default
 * ($ optional, # for decimal), register names, memory as [addr].b/.w/.l,
 * and + - * & | == != < > with C-like precedence. Registers win over hex
 * numbers that look like them (A0 is the register, as in MacsBug). */
#include "config.h"

#include "toolbox/debugger/debugger.h"
#include "toolbox/tb.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct parser {
	struct dbg *d;
	const char *s;
	char *err;
	size_t errlen;
	bool failed;
};

static void skip(struct parser *p)
{
	while (*p->s == ' ' || *p->s == '\t')
		p->s++;
}

static void fail(struct parser *p, const char *msg)
{
	if (!p->failed)
		snprintf(p->err, p->errlen, "%s at '%.20s'", msg, p->s);
	p->failed = true;
}

static uint32_t expr_or(struct parser *p);

/* A register name at p->s: its value, or false. */
static bool reg(struct parser *p, uint32_t *out)
{
	struct cpu *c = &dbg_toolbox(p->d)->cpu;
	const char *s = p->s;
	size_t n = 0;
	while (isalnum((unsigned char)s[n]))
		n++;
	if (n == 2 && (s[0] == 'd' || s[0] == 'D') && s[1] >= '0' && s[1] <= '7') {
		*out = c->d[s[1] - '0'];
	} else if (n == 2 && (s[0] == 'a' || s[0] == 'A') && s[1] >= '0' && s[1] <= '7') {
		*out = c->a[s[1] - '0'];
	} else if (n == 2 && strncasecmp(s, "sp", 2) == 0) {
		*out = c->a[7];
	} else if (n == 2 && strncasecmp(s, "pc", 2) == 0) {
		*out = c->pc;
	} else if (n == 2 && strncasecmp(s, "sr", 2) == 0) {
		*out = c->sr;
	} else if (n == 3 && strncasecmp(s, "usp", 3) == 0) {
		*out = cpu_usp(c);
	} else if (n == 3 && strncasecmp(s, "ssp", 3) == 0) {
		*out = cpu_ssp(c);
	} else {
		return false;
	}
	p->s += n;
	return true;
}

static uint32_t primary(struct parser *p)
{
	skip(p);
	uint32_t v = 0;
	if (*p->s == '(') {
		p->s++;
		v = expr_or(p);
		skip(p);
		if (*p->s != ')')
			fail(p, "expected ')'");
		else
			p->s++;
		return v;
	}
	if (*p->s == '-') {
		p->s++;
		return -primary(p);
	}
	if (*p->s == '[') {
		p->s++;
		gaddr a = expr_or(p);
		skip(p);
		if (*p->s != ']') {
			fail(p, "expected ']'");
			return 0;
		}
		p->s++;
		unsigned size = 4;
		if (p->s[0] == '.' && strchr("bBwWlL", p->s[1]) && p->s[1] != '\0') {
			size = tolower((unsigned char)p->s[1]) == 'b'	? 1
			       : tolower((unsigned char)p->s[1]) == 'w' ? 2
									: 4;
			p->s += 2;
		}
		uint8_t b[4];
		if (!dbg_peek(p->d, a, b, size)) {
			char msg[64];
			snprintf(msg, sizeof msg, "%08X is not in RAM or ROM", a);
			fail(p, msg);
			return 0;
		}
		for (unsigned i = 0; i < size; i++)
			v = v << 8 | b[i];
		return v;
	}
	if (reg(p, &v))
		return v;
	int base = 16;
	if (*p->s == '#') {
		base = 10;
		p->s++;
	} else if (*p->s == '$') {
		p->s++;
	} else if (p->s[0] == '0' && (p->s[1] == 'x' || p->s[1] == 'X')) {
		p->s += 2;
	}
	const char *start = p->s;
	while (base == 16 ? isxdigit((unsigned char)*p->s) : isdigit((unsigned char)*p->s)) {
		unsigned dgt = isdigit((unsigned char)*p->s)
				   ? (unsigned)(*p->s - '0')
				   : (unsigned)(tolower((unsigned char)*p->s) - 'a' + 10);
		v = v * (uint32_t)base + dgt;
		p->s++;
	}
	if (p->s == start || isalpha((unsigned char)*p->s))
		fail(p, "expected a number, a register or [address]");
	return v;
}

static uint32_t product(struct parser *p)
{
	uint32_t v = primary(p);
	for (skip(p); *p->s == '*'; skip(p)) {
		p->s++;
		v *= primary(p);
	}
	return v;
}

static uint32_t sum(struct parser *p)
{
	uint32_t v = product(p);
	for (skip(p); *p->s == '+' || *p->s == '-'; skip(p)) {
		char op = *p->s++;
		uint32_t r = product(p);
		v = op == '+' ? v + r : v - r;
	}
	return v;
}

static uint32_t compare(struct parser *p)
{
	uint32_t v = sum(p);
	for (;;) {
		skip(p);
		const char *s = p->s;
		if (s[0] == '=' && s[1] == '=') {
			p->s += 2;
			v = v == sum(p);
		} else if (s[0] == '!' && s[1] == '=') {
			p->s += 2;
			v = v != sum(p);
		} else if (s[0] == '<' && s[1] != '<') {
			p->s += 1;
			v = v < sum(p);
		} else if (s[0] == '>' && s[1] != '>') {
			p->s += 1;
			v = v > sum(p);
		} else {
			return v;
		}
	}
}

static uint32_t expr_and(struct parser *p)
{
	uint32_t v = compare(p);
	for (skip(p); *p->s == '&'; skip(p)) {
		p->s++;
		v &= compare(p);
	}
	return v;
}

static uint32_t expr_or(struct parser *p)
{
	uint32_t v = expr_and(p);
	for (skip(p); *p->s == '|'; skip(p)) {
		p->s++;
		v |= expr_and(p);
	}
	return v;
}

bool dbg_eval(struct dbg *d, const char *text, const char **end, uint32_t *out, char *err,
	      size_t errlen)
{
	struct parser p = {d, text, err, errlen, false};
	uint32_t v = expr_or(&p);
	skip(&p);
	if (end)
		*end = p.s;
	if (p.failed)
		return false;
	*out = v;
	return true;
}
