/* Encoding cases and decoding results on the wire (wire.h), and comparing two
 * results field by field under the quirk masks of qemu_quirks.c. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tests/diff/diff.h"

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void diff_encode_case(const struct diff_case *c, uint8_t *rec)
{
	memset(rec, 0, DIFF_IN_SIZE);
	put32(rec + DIFF_IN_MAGIC, DIFF_MAGIC_CASE);
	put32(rec + DIFF_IN_CODE_LEN, c->code_len);
	for (int i = 0; i < 8; i++) {
		put32(rec + DIFF_IN_D + 4 * i, c->d[i]);
		put32(rec + DIFF_IN_A + 4 * i, c->a[i]);
	}
	put32(rec + DIFF_IN_CCR, c->ccr);
	memcpy(rec + DIFF_IN_CODE, c->code, c->code_len);
	memcpy(rec + DIFF_IN_DATA, c->data, DIFF_DATA_SIZE);
}

int diff_decode_result(const uint8_t *rec, struct diff_result *r)
{
	if (get32(rec + DIFF_OUT_MAGIC) != DIFF_MAGIC_RESULT)
		return -1;
	r->signal = get32(rec + DIFF_OUT_SIGNAL);
	r->si_code = get32(rec + DIFF_OUT_SI_CODE);
	r->fault_addr = get32(rec + DIFF_OUT_FAULT_ADDR);
	r->pc = get32(rec + DIFF_OUT_PC);
	for (int i = 0; i < 8; i++) {
		r->d[i] = get32(rec + DIFF_OUT_D + 4 * i);
		r->a[i] = get32(rec + DIFF_OUT_A + 4 * i);
	}
	r->sr = (uint16_t)get32(rec + DIFF_OUT_SR);
	memcpy(r->data, rec + DIFF_OUT_DATA, DIFF_DATA_SIZE);
	return 0;
}

void diff_print_case(const struct diff_case *c)
{
	fprintf(stderr, "  code at %08x:", DIFF_CODE_ADDR);
	for (unsigned i = 0; i < c->ninsns; i++) {
		const struct diff_insn *in = &c->insns[i];
		fprintf(stderr, "\n    +%02x ", in->offset);
		for (unsigned b = 0; b < in->len; b += 2)
			fprintf(stderr, "%02x%02x ", c->code[in->offset + b],
				c->code[in->offset + b + 1]);
		fprintf(stderr, "%*s; %s", (int)(30 - in->len / 2 * 5), "", in->form);
	}
	fprintf(stderr, "\n  initial:");
	for (int i = 0; i < 8; i++)
		fprintf(stderr, "%s D%d=%08x", i % 4 ? "" : "\n   ", i, c->d[i]);
	for (int i = 0; i < 8; i++)
		fprintf(stderr, "%s A%d=%08x", i % 4 ? "" : "\n   ", i, c->a[i]);
	fprintf(stderr, "\n    CCR=%02x\n", c->ccr);
}

static const char *signame(uint32_t sig)
{
	switch (sig) {
	case 0:
		return "none";
	case 4:
		return "SIGILL";
	case 5:
		return "SIGTRAP";
	case 7:
		return "SIGBUS";
	case 8:
		return "SIGFPE";
	case 11:
		return "SIGSEGV";
	case DIFF_BACKEND_LOST:
		return "backend-lost";
	}
	return "signal?";
}

static const char *got_name = "vm68k";

static unsigned field(int verbose, unsigned *n, const char *name, uint32_t ref, uint32_t got)
{
	if (ref == got)
		return 0;
	if (verbose)
		fprintf(stderr, "    %-6s qemu %08x  %s %08x\n", name, ref, got_name, got);
	++*n;
	return 1;
}

unsigned diff_compare(const struct diff_case *c, const struct diff_result *ref,
		      const struct diff_result *got, const char *name, int verbose)
{
	got_name = name;
	struct diff_mask m;
	unsigned n = 0;
	diff_quirks_mask(c, ref, got, &m);
	if (ref->signal != got->signal) {
		if (verbose)
			fprintf(stderr, "    exception: qemu %s at %08x, %s %s at %08x\n",
				signame(ref->signal), ref->pc, name, signame(got->signal), got->pc);
		n++;
	}
	if (!m.pc)
		field(verbose, &n, "PC", ref->pc, got->pc);
	if (ref->signal == 11 && got->signal == 11)
		field(verbose, &n, "fault", ref->fault_addr, got->fault_addr);
	static const char *names[16] = {"D0", "D1", "D2", "D3", "D4", "D5", "D6", "D7",
					"A0", "A1", "A2", "A3", "A4", "A5", "A6", "A7"};
	for (int i = 0; i < 16; i++) {
		if (m.regs & (1u << i))
			continue;
		uint32_t r = i < 8 ? ref->d[i] : ref->a[i - 8];
		uint32_t g = i < 8 ? got->d[i] : got->a[i - 8];
		field(verbose, &n, names[i], r, g);
	}
	uint8_t keep = (uint8_t)(0x1f & ~m.ccr);
	field(verbose, &n, "CCR", ref->sr & keep, got->sr & keep);
	for (unsigned i = 0; i < DIFF_DATA_SIZE; i++) {
		if (ref->data[i] == got->data[i])
			continue;
		if (verbose)
			fprintf(stderr, "    byte %08x qemu %02x  %s %02x\n", DIFF_DATA_ADDR + i,
				ref->data[i], name, got->data[i]);
		n++;
	}
	if (n && verbose && m.nreasons) {
		for (unsigned i = 0; i < m.nreasons; i++)
			fprintf(stderr, "    (masked: %s)\n", m.reasons[i]);
	}
	return n;
}
