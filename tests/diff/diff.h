/* tests/diff internal interface: a test case (a 68K instruction sequence with
 * its initial registers and data area), the state a backend returns for it,
 * the generator that makes cases, the backends that run them, and the
 * comparison with its one list of masked qemu quirks. */
#ifndef VM68K_DIFF_H
#define VM68K_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "guest/guest.h"
#include "tests/diff/wire.h"

#define DIFF_MAX_INSNS 16

/* CCR bits. */
enum { CCR_C = 0x01, CCR_V = 0x02, CCR_Z = 0x04, CCR_N = 0x08, CCR_X = 0x10 };

enum diff_cpu { DIFF_68020, DIFF_68030, DIFF_68040 };

/* One instruction of a sequence: where it starts and its first two words,
 * which is what the quirk list matches on. */
struct diff_insn {
	uint16_t offset, len;
	uint16_t op, ext;
	const char *form; /* the generator's name for it, for messages */
};

struct diff_case {
	uint32_t d[8], a[8]; /* a[7] is the user stack pointer */
	uint8_t ccr;
	uint16_t code_len;
	uint8_t code[DIFF_CODE_MAX];
	uint8_t data[DIFF_DATA_SIZE];
	unsigned ninsns;
	struct diff_insn insns[DIFF_MAX_INSNS];
};

/* The state after a case. signal is 0 when the sequence ran to its end
 * (pc is then DIFF_CODE_ADDR + code_len); otherwise the Linux signal the
 * exception became (SIGILL, SIGFPE, SIGSEGV, ...), with pc and registers as
 * the signal context reports them. DIFF_BACKEND_LOST: the backend itself
 * failed on this case (harness crash, timeout). */
#define DIFF_BACKEND_LOST 0xffffu
struct diff_result {
	uint32_t signal, si_code, fault_addr, pc;
	uint32_t d[8], a[8];
	uint16_t sr;
	uint8_t data[DIFF_DATA_SIZE];
};

/* A small deterministic PRNG (xorshift64*), so a seed reproduces a run. */
struct diff_rng {
	uint64_t s;
};
void diff_rng_seed(struct diff_rng *r, uint64_t seed);
uint32_t diff_rng_next(struct diff_rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t diff_rng_below(struct diff_rng *r, uint32_t n);

/* Generator (gen.c): fills *c with a random sequence of 1..max_insns
 * instructions for the model from guest/'s instruction table (only: NULL, or
 * the table's mnemonic of the one row to use), initial registers and data.
 * Never fails; the sequence is empty if `only` names a row it cannot use. */
void diff_generate(struct diff_rng *r, enum diff_cpu cpu, unsigned max_insns, const char *only,
		   struct diff_case *c);
/* guest/'s CPU model for a diff model. */
enum cpu_model diff_cpu_model(enum diff_cpu cpu);

/* A backend runs cases and fills one result per case. */
struct diff_backend {
	const char *name;
	/* Runs n cases; returns 0, or -1 with a message on stderr if the backend
	 * could not run at all. Per-case failures are DIFF_BACKEND_LOST results. */
	int (*run)(struct diff_backend *b, const struct diff_case *cases, size_t n,
		   struct diff_result *out);
	void (*destroy)(struct diff_backend *b);
	enum diff_cpu cpu;
};

/* qemu backend (qemu_backend.c): runs the harness under qemu-m68k. Returns
 * NULL with a message on stderr if qemu or the harness cannot be found. */
struct diff_backend *diff_qemu_backend(enum diff_cpu cpu, const char *qemu, const char *harness);
/* Interpreter backend (vm68k_backend.c); NULL when not built in. */
struct diff_backend *diff_vm68k_backend(enum diff_cpu cpu);

/* Masks for one comparison: CCR bits and registers (bit i = Di, bit 8+i = Ai)
 * whose values are not compared, and the reasons, from qemu_quirks.c. */
struct diff_mask {
	uint8_t ccr;
	uint8_t pc; /* 1: the exception PC is not compared */
	uint32_t regs;
	const char *reasons[4];
	unsigned nreasons;
};
/* Computes the quirk masks that apply to case c given the two results.
 * Only entries of the one quirk list in qemu_quirks.c are ever masked. */
void diff_quirks_mask(const struct diff_case *c, const struct diff_result *ref,
		      const struct diff_result *got, struct diff_mask *m);
/* Whether qemu cannot run this instruction at all (the generator must not
 * emit it; such an instruction is never compared). */
int diff_quirks_excluded(uint16_t op, uint16_t ext);
/* When qemu died on case c (a DIFF_BACKEND_LOST result): the reason from
 * the quirk list if that is a known qemu crash, else NULL (a real failure). */
const char *diff_quirks_excuse_lost(const struct diff_case *c);
/* Whether the generator may emit this instruction only as the one
 * instruction of a sequence (its quirk depends on its operands, which are
 * then the initial state). */
int diff_quirks_must_be_alone(uint16_t op, uint16_t ext);
/* A case that is not compared at all, with the quirk list's reason: qemu
 * died on it as listed, or its outcome is undefined (e.g. BCD arithmetic on
 * non-BCD bytes). NULL when the case must be compared. */
const char *diff_quirks_not_compared(const struct diff_case *c, const struct diff_result *ref);
/* Whether the generator must end a sequence with this instruction (because a
 * quirk leaves some of its outputs undefined, and a later instruction could
 * read them). */
int diff_quirks_must_end_sequence(uint16_t op, uint16_t ext);

/* Compares qemu's result with the other backend's (called name in messages)
 * under the quirk masks; prints differences to stderr when verbose. Returns
 * the number of differing fields (0 = match). */
unsigned diff_compare(const struct diff_case *c, const struct diff_result *ref,
		      const struct diff_result *got, const char *name, int verbose);

/* Wire encoding (wire.c): case -> DIFF_IN_SIZE bytes; DIFF_OUT_SIZE bytes ->
 * result. diff_decode_result returns -1 on a bad magic. */
void diff_encode_case(const struct diff_case *c, uint8_t *rec);
int diff_decode_result(const uint8_t *rec, struct diff_result *r);

/* Prints the case (registers, code words, forms) to stderr. */
void diff_print_case(const struct diff_case *c);

#endif
