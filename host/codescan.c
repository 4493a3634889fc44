/* The traps a CODE segment calls, for `vm68k info`: its code is walked with
 * the disassembler's instruction lengths, so an A-line word counts only
 * where an instruction starts, never inside one (an immediate operand, a
 * displacement) — first along the control flow from the segment's entry
 * points, then by a linear sweep of what that did not reach (routines
 * called through pointers), which steps over words that are no
 * instruction. */
#include "config.h"

#include "guest/guest.h"
#include "host/host.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_WORDS = 11 };

/* The instruction at word index i: its length in words, 0 if it is not one
 * (or runs past the end). */
static unsigned insn_words(const uint8_t *code, size_t nwords, size_t i, char *text, size_t len)
{
	uint16_t w[MAX_WORDS];
	unsigned n = 0;
	while (n < MAX_WORDS && i + n < nwords) {
		w[n] = (uint16_t)(code[2 * (i + n)] << 8 | code[2 * (i + n) + 1]);
		n++;
	}
	if (n == 0)
		return 0;
	unsigned l = cpu_disasm(CPU_68040, (gaddr)(2 * i), w, n, text, len);
	if (l == 0 || strncmp(text, "DC.", 3) == 0)
		return 0;
	return l;
}

static uint16_t word_at(const uint8_t *code, size_t i)
{
	return (uint16_t)(code[2 * i] << 8 | code[2 * i + 1]);
}

/* Where a PC-relative branch at word i goes (word index), or -1 for none:
 * Bcc/BRA/BSR, DBcc, JMP/JSR d16(PC). */
static long branch_target(const uint8_t *code, size_t nwords, size_t i)
{
	uint16_t op = word_at(code, i);
	int32_t disp;
	if ((op & 0xF000) == 0x6000) {
		int8_t d8 = (int8_t)(op & 0xFF);
		if (d8 == 0 && i + 1 < nwords)
			disp = (int16_t)word_at(code, i + 1);
		else if (d8 == -1 && i + 2 < nwords)
			disp =
			    (int32_t)((uint32_t)word_at(code, i + 1) << 16 | word_at(code, i + 2));
		else
			disp = d8;
	} else if ((op & 0xF0F8) == 0x50C8 || op == 0x4EBA || op == 0x4EFA) {
		if (i + 1 >= nwords)
			return -1;
		disp = (int16_t)word_at(code, i + 1);
	} else {
		return -1;
	}
	int64_t t = (int64_t)(2 * i + 2) + disp;
	if (t < 0 || (t & 1) || (uint64_t)t >= 2 * nwords)
		return -1;
	return (long)(t / 2);
}

/* Whether execution never goes on to the next instruction: RTS, RTE, RTD,
 * RTR, BRA, JMP, _ExitToShell. */
static bool ends_flow(uint16_t op)
{
	return op == 0x4E75 || op == 0x4E73 || op == 0x4E74 || op == 0x4E77 ||
	       (op & 0xFF00) == 0x6000 || (op & 0xFFC0) == 0x4EC0 || op == 0xA9F4;
}

static void add_trap(struct code_traps *t, uint16_t word)
{
	for (size_t k = 0; k < t->count; k++)
		if (t->words[k] == word)
			return;
	if (t->count < sizeof t->words / sizeof t->words[0])
		t->words[t->count++] = word;
}

static int by_word(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

bool code_traps_scan(const uint8_t *code, size_t len, const uint32_t *entries, size_t nentries,
		     struct code_traps *out)
{
	memset(out, 0, sizeof *out);
	size_t nwords = len / 2;
	if (nwords == 0)
		return true;
	uint8_t *seen = calloc(nwords, 1); /* 1: inside an instruction already walked */
	size_t *work = malloc((nwords + nentries + 1) * sizeof *work);
	if (seen == NULL || work == NULL) {
		free(seen);
		free(work);
		return false;
	}
	char text[128];
	size_t nwork = 0;
	work[nwork++] = 0;
	for (size_t k = 0; k < nentries; k++)
		if (entries[k] / 2 < nwords && !(entries[k] & 1))
			work[nwork++] = entries[k] / 2;
	/* Along the control flow. Each word is pushed at most once as a
	 * branch target (seen before it is pushed), so work cannot overflow. */
	while (nwork) {
		size_t i = work[--nwork];
		while (i < nwords && !seen[i]) {
			uint16_t op = word_at(code, i);
			unsigned l = (op & 0xF000) == 0xA000
					 ? 1
					 : insn_words(code, nwords, i, text, sizeof text);
			if (l == 0)
				break; /* not code: this path is data, or lost */
			for (unsigned k = 0; k < l; k++)
				seen[i + k] = 1;
			if ((op & 0xF000) == 0xA000)
				add_trap(out, op);
			long t = branch_target(code, nwords, i);
			if (t >= 0 && !seen[t] && nwork < nwords + nentries + 1)
				work[nwork++] = (size_t)t;
			if (ends_flow(op))
				break;
			i += l;
		}
	}
	for (size_t i = 0; i < nwords; i++)
		out->reached_words += seen[i];
	/* A linear sweep of the rest: a word that is not an instruction is
	 * data, skipped one word at a time so that the code after it is
	 * found again. */
	for (size_t i = 0; i < nwords;) {
		if (seen[i]) {
			i++;
			continue;
		}
		uint16_t op = word_at(code, i);
		unsigned l =
		    (op & 0xF000) == 0xA000 ? 1 : insn_words(code, nwords, i, text, sizeof text);
		if ((op & 0xF000) == 0xA000)
			add_trap(out, op);
		i += l ? l : 1;
	}
	qsort(out->words, out->count, sizeof out->words[0], by_word);
	free(seen);
	free(work);
	return true;
}
