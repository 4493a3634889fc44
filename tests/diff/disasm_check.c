/* tests/diff/disasm_check.c: the disassembler against m68k-linux-gnu-objdump.
 * Instructions from the table's generator (every row but A-line/F-line,
 * every addressing mode) are written into 32-byte slots padded with NOPs;
 * objdump's length and mnemonic for each slot must equal ours, after
 * normalising syntax only (case, the '.' before the size, and objdump's
 * DIVUL/DIVU.L spelling). Ends with `disasm: N instructions, M mismatches,
 * seed S`; skipped without objdump. */
#include "config.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "guest/guest.h"

#define SLOT 32
#define PER_MODEL 4000

static int accept_row(const char *mn, const char *syn, void *ctx)
{
	return strcmp(mn, "LINEA") && strcmp(mn, "LINEF");
}

/* Lower case, no '.', DIVUL.L/DIVSL.L spelled as objdump does. */
static void normalise(const char *in, char *out, size_t len)
{
	size_t j = 0;
	for (size_t i = 0; in[i] && !isspace((unsigned char)in[i]) && j + 1 < len; i++)
		if (in[i] != '.')
			out[j++] = (char)tolower((unsigned char)in[i]);
	out[j] = 0;
	/* objdump writes divul/divull (and divs) for both 32-bit forms and the
	 * 64-bit one; ours follow Motorola (DIVU.L, DIVUL.L): compare the family */
	if (!strncmp(out, "divul", 5) || !strncmp(out, "divsl", 5))
		out[5] = 0;
}

int main(int argc, char **argv)
{
	uint64_t seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 20;
	int verbose = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--verbose"))
			verbose = 1;
		else {
			fprintf(stderr, "usage: disasm_check [--seed S] [--verbose]\n");
			return 2;
		}
	}
	const char *objdump =
	    getenv("VM68K_M68K_OBJDUMP") ? getenv("VM68K_M68K_OBJDUMP") : "m68k-linux-gnu-objdump";
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", objdump);
	if (system(cmd)) {
		printf("disasm: skipped (needs %s)\n", objdump);
		return 77;
	}
	printf("disasm: seed %llu\n", (unsigned long long)seed);
	uint64_t s = seed ? seed : 1;
	static const struct {
		enum cpu_model m;
		const char *arch;
	} models[] = {
	    {CPU_68000, "m68k:68000"}, {CPU_68020, "m68k:68020"}, {CPU_68040, "m68k:68040"}};
	struct insn_gen_rules rules = {
	    .accept = accept_row,
	    .dregs = 0xFF,
	    .aregs = 0xFF,
	    .mem_aregs = 0xFF,
	    .movem_aregs = 0xFF,
	    .index_reg = 3,
	    .modes = AM_ALL,
	    .disp_range = 0x7000,
	    .abs_base = 0x1000,
	    .abs_len = 0xFFF000,
	    .ptr_base = 0x2000,
	    .ptr_count = 64,
	};
	char path[] = "/tmp/vm68k-disasm-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		perror("disasm");
		return 1;
	}
	close(fd);
	unsigned long total = 0, bad = 0;
	for (size_t mi = 0; mi < sizeof models / sizeof models[0]; mi++) {
		static uint16_t w[PER_MODEL][SLOT / 2];
		static unsigned len[PER_MODEL];
		static const char *mn[PER_MODEL];
		FILE *f = fopen(path, "wb");
		for (unsigned i = 0; i < PER_MODEL; i++) {
			for (unsigned k = 0; k < SLOT / 2; k++)
				w[i][k] = 0x4E71;
			len[i] = cpu_insn_generate(models[mi].m, &s, &rules, w[i], &mn[i], NULL);
			for (unsigned k = 0; k < SLOT / 2; k++) {
				fputc(w[i][k] >> 8, f);
				fputc(w[i][k] & 0xFF, f);
			}
		}
		fclose(f);
		snprintf(cmd, sizeof cmd, "%s -D -b binary -m %s %s", objdump, models[mi].arch,
			 path);
		FILE *p = popen(cmd, "r");
		char line[512];
		/* per slot: objdump's mnemonic at the slot start and where the next instruction
		 * begins */
		static char theirs[PER_MODEL][32];
		static unsigned their_len[PER_MODEL];
		memset(theirs, 0, sizeof theirs);
		memset(their_len, 0, sizeof their_len);
		long open_slot = -1;
		while (p && fgets(line, sizeof line, p)) {
			unsigned long addr;
			char *colon = strchr(line, ':');
			if (!colon || sscanf(line, " %lx:", &addr) != 1)
				continue;
			char *t1 = strchr(colon, '\t');
			char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
			if (!t2)
				continue; /* continuation bytes */
			if (open_slot >= 0 && !their_len[open_slot])
				their_len[open_slot] =
				    (unsigned)(addr - (unsigned long)open_slot * SLOT) / 2;
			open_slot = -1;
			if (addr % SLOT == 0 && addr / SLOT < PER_MODEL) {
				open_slot = (long)(addr / SLOT);
				normalise(t2 + 1, theirs[open_slot], sizeof theirs[open_slot]);
			}
		}
		if (p)
			pclose(p);
		for (unsigned i = 0; i < PER_MODEL; i++) {
			char text[128], mine[32];
			unsigned l = cpu_disasm(models[mi].m, (gaddr)i * SLOT, w[i], SLOT / 2, text,
						sizeof text);
			normalise(text, mine, sizeof mine);
			total++;
			if (l == len[i] && l == their_len[i] && !strcmp(mine, theirs[i]))
				continue;
			bad++;
			if (verbose || bad <= 20) {
				printf("mismatch (%s) %s:", models[mi].arch, mn[i]);
				for (unsigned k = 0; k < len[i]; k++)
					printf(" %04x", w[i][k]);
				printf("\n  vm68k: %u words, %s\n  objdump: %u words, %s\n", l,
				       text, their_len[i], theirs[i]);
			}
		}
	}
	unlink(path);
	printf("disasm: %lu instructions, %lu mismatches, seed %llu\n", total, bad,
	       (unsigned long long)seed);
	return bad ? 1 : 0;
}
