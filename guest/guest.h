/* guest: the 68K machine. This header is the module's face: the CPU state,
 * how to point it at guest memory, how to run it, and how the pager aborts
 * an instruction from its fault handler. */
#ifndef VM68K_GUEST_H
#define VM68K_GUEST_H

#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A guest address. Never a host pointer; see guest/mem.h. */
typedef uint32_t gaddr;

enum cpu_model { CPU_68000, CPU_68010, CPU_68020, CPU_68030, CPU_68040 };

/* Why cpu_run returned. */
enum cpu_stop {
	CPU_STOP_COUNT,	    /* ran max_instructions */
	CPU_STOP_STOPPED,   /* STOP executed; waiting for an interrupt */
	CPU_STOP_HALTED,    /* double bus/address fault: the 68000 HALT state */
	CPU_STOP_SUSPENDED, /* the pager suspended the instruction; state is pre-instruction */
	CPU_STOP_REQUESTED, /* cpu_request_stop was called */
};

/* SR bits. */
enum {
	SR_C = 0x0001,
	SR_V = 0x0002,
	SR_Z = 0x0004,
	SR_N = 0x0008,
	SR_X = 0x0010,
	SR_IPL = 0x0700,
	SR_M = 0x1000,
	SR_S = 0x2000,
	SR_T0 = 0x4000,
	SR_T1 = 0x8000,
};

/* What the pager reports when it aborts an instruction from signal context. */
enum guest_fault_kind {
	GUEST_FAULT_BUS_ERROR, /* not in RAM or ROM, or a fatal page fault */
	GUEST_FAULT_READ_ONLY, /* write to read-only memory */
	GUEST_FAULT_SUSPEND,   /* restart later (page-in takes guest time) */
};
struct guest_fault {
	enum guest_fault_kind kind;
	gaddr addr; /* the faulting guest address */
	int write;  /* 1 if the access was a write */
};

struct cpu;
/* Takes an A-line word without guest memory; called only while the A-line
 * vector (VBR+$28) holds aline_dispatcher, with PC already past the word.
 * Returns 0 if it declined (the exception is then taken normally). */
typedef int (*cpu_aline_fn)(struct cpu *cpu, uint16_t opcode, void *ctx);
/* Runs at an instruction boundary after cpu_post_event (re-arm watch points,
 * raise irq_level, ...). */
typedef void (*cpu_boundary_fn)(struct cpu *cpu, void *ctx);
/* Called when RESET asserts the reset line (devices reset; CPU state unchanged). */
typedef void (*cpu_reset_fn)(struct cpu *cpu, void *ctx);

/* Undo log entry: an address register changed by (An)+ / -(An) during the
 * current instruction, so an abort can put it back. */
struct cpu_undo {
	uint8_t reg, post;
	uint32_t old;
};

struct cpu {
	union {
		struct {
			uint32_t d[8];
			uint32_t a[8]; /* a[7] is the ACTIVE stack pointer */
		};
		uint32_t r[16]; /* D0-D7 then A0-A7, for the decoded cache */
	};
	uint32_t usp, ssp; /* user and supervisor (020+: interrupt) stack pointers, and */
	uint32_t msp;	   /* the 020+ master one: the active one is in a[7], the
			      others here; use cpu_usp/cpu_ssp/cpu_msp */
	uint32_t pc;
	uint16_t sr;
	enum cpu_model model;
	uint32_t vbr, sfc, dfc, cacr, caar; /* 68010+ control registers */
	uint32_t mmu[8]; /* 68040 TC ITT0 ITT1 DTT0 DTT1 MMUSR URP SRP: stored, not used */
	int stopped;	 /* STOP executed, waiting for an interrupt */
	int halted;	 /* double fault */
	int irq_level;	 /* interrupt level the devices assert, 0-7 (autovectored);
			    the caller lowers it when the device is serviced */
	int nmi_latched; /* level 7 is edge-triggered: taken once per assertion */
	volatile sig_atomic_t events;	    /* set by cpu_post_event */
	volatile sig_atomic_t stop_request; /* set by cpu_request_stop */
	cpu_boundary_fn boundary_hook;
	void *boundary_ctx;
	uint64_t icount; /* instructions executed (exceptions count as one) */

	/* memory window */
	uint8_t *mem;
	uint32_t addr_mask;

	/* A-line hook: used when the A-line vector equals aline_dispatcher. */
	cpu_aline_fn aline_hook;
	void *aline_ctx;
	gaddr aline_dispatcher;
	cpu_reset_fn reset_hook;
	void *reset_ctx;

	/* --- interpreter internals (not API) --- */
	uint32_t insn_pc; /* address of the current instruction */
	uint16_t ir;	  /* its first word */
	uint16_t insn_sr; /* SR at instruction start (restored on abort) */
	uint8_t nundo;
	struct cpu_undo undo[6];
	int trace_pending;	       /* T was set at the start of the last instruction */
	uint32_t trace_addr;	       /* ... whose address this was */
	volatile sig_atomic_t running; /* inside cpu_run: aborts have somewhere to go */
	int odd_check;		       /* 68000/010: odd word/long access is an address error */
	int in_group0;		       /* stacking an address/bus error: another one halts */
	sigjmp_buf jb;
	/* the abort being delivered */
	int abort_kind;
	struct guest_fault fault;
	int fault_fetch; /* ... and it was an instruction fetch */
	/* address error details (68000 group 0 frame) */
	gaddr ae_addr;
	uint16_t ae_status; /* R/W, I/N, function code */
	uint32_t ae_pc;	    /* PC the chip stacks */
	int32_t ae_adj;	    /* stacked PC minus PC at the faulting access (per operand) */
	uint64_t max_run;   /* instruction budget of the current cpu_run */
	int in_fast;	    /* inside a decoded-cache handler (guest/threaded.c): 1, or 2
			       when icount is as of the last checkpoint, at cp_pc */
	uint32_t cp_pc;
	int dc_careful; /* which run loop's decoded cache is in use */
	volatile sig_atomic_t attention; /* events or stop_request set: look at a boundary */
	int plain_dispatch; /* cpu_set_decode_cache(c, 0) was called */
};

/* Resets *cpu to the given model with no memory (SR $2700), building that
 * model's opcode table on first use; always succeeds. */
void cpu_init(struct cpu *cpu, enum cpu_model model);
/* Points the CPU at guest memory: address a lives at window + (a & addr_mask). */
void cpu_set_memory(struct cpu *cpu, uint8_t *window, uint32_t addr_mask);
/* Reset exception: SR=$2700, SSP and PC from guest addresses 0 and 4. */
void cpu_reset(struct cpu *cpu);
/* Chooses how instructions are dispatched: through the decoded-instruction
 * cache (on, the default after cpu_init) or one 65536-entry table look-up
 * per instruction (off: for comparisons and debugging). Same behaviour. */
void cpu_set_decode_cache(struct cpu *cpu, int on);
/* Runs up to max_instructions; returns why it stopped (enum cpu_stop). */
enum cpu_stop cpu_run(struct cpu *cpu, uint64_t max_instructions);
/* From inside an instruction (a native routine the A-line hook runs, which
 * needs 68K code to run before it can return): runs up to max_instructions
 * like cpu_run, then puts the interrupted instruction's state back so it
 * completes as if nothing ran in between. Returns like cpu_run. */
enum cpu_stop cpu_run_nested(struct cpu *cpu, uint64_t max_instructions);
/* Runs exactly one instruction (or one exception); returns like cpu_run. */
enum cpu_stop cpu_step(struct cpu *cpu);
/* Writes SR, switching A7 between USP, SSP (ISP) and MSP as S and M change. */
void cpu_set_sr(struct cpu *cpu, uint16_t sr);
/* The user / supervisor (interrupt, ISP) / master stack pointer, active or not. */
uint32_t cpu_usp(const struct cpu *cpu);
uint32_t cpu_ssp(const struct cpu *cpu);
uint32_t cpu_msp(const struct cpu *cpu);
/* Sets USP / SSP (ISP) / MSP, active or not. */
void cpu_set_usp(struct cpu *cpu, uint32_t v);
void cpu_set_ssp(struct cpu *cpu, uint32_t v);
void cpu_set_msp(struct cpu *cpu, uint32_t v);
/* Asks for boundary_hook to run at the next instruction boundary (also
 * wakes a stopped CPU's run loop to look). Async-signal-safe. */
void cpu_post_event(struct cpu *cpu);
/* Makes cpu_run return CPU_STOP_REQUESTED at the next instruction boundary.
 * Async-signal-safe. */
void cpu_request_stop(struct cpu *cpu);
/* Whether cpu_run is executing (the pager's handler checks this before
 * aborting; a fault outside the CPU is the caller's own). Async-signal-safe. */
int cpu_running(const struct cpu *cpu);
/* From the pager's SIGSEGV handler: abandon the current instruction, restore
 * its pre-instruction state and deliver *fault at the run loop. Never returns.
 * Only valid while cpu_running(); it unblocks SIGSEGV and SIGBUS (the
 * handler's other blocked signals stay blocked, so keep its sa_mask empty). */
_Noreturn void cpu_abort_from_signal(struct cpu *cpu, const struct guest_fault *fault);
/* Addressing modes, one bit each (the description table's mode classes). */
enum {
	AM_DN = 1 << 0,
	AM_AN = 1 << 1,
	AM_IND = 1 << 2,
	AM_POST = 1 << 3,
	AM_PRE = 1 << 4,
	AM_D16 = 1 << 5,
	AM_IDX = 1 << 6,
	AM_ABSW = 1 << 7,
	AM_ABSL = 1 << 8,
	AM_PCD = 1 << 9,
	AM_PCX = 1 << 10,
	AM_IMM = 1 << 11,
	AM_ALL = 0xFFF,
	AM_DATA = AM_ALL & ~AM_AN,
	AM_MEM = AM_ALL & ~(AM_DN | AM_AN),
	AM_ALT = AM_DN | AM_AN | AM_IND | AM_POST | AM_PRE | AM_D16 | AM_IDX | AM_ABSW | AM_ABSL,
	AM_DALT = AM_ALT & ~AM_AN,
	AM_MALT = AM_ALT & ~(AM_DN | AM_AN),
	AM_CTL = AM_IND | AM_D16 | AM_IDX | AM_ABSW | AM_ABSL | AM_PCD | AM_PCX,
	AM_CALT = AM_IND | AM_D16 | AM_IDX | AM_ABSW | AM_ABSL,
};

/* Rules for cpu_insn_generate: what a generated instruction may name. */
struct insn_gen_rules {
	int (*accept)(const char *mnemonic, const char *syntax, void *ctx); /* NULL: every row */
	void *ctx;
	unsigned dregs, aregs;	    /* registers that may be named (bit n: Dn / An) */
	unsigned write_aregs;	    /* An an instruction may write (MOVEA, ADDQ, EXG...); 0: aregs */
	unsigned mem_aregs;	    /* address registers usable as memory bases */
	unsigned stack_aregs;	    /* more An usable only as (An)+ and -(An) (A7: the stack) */
	unsigned movem_aregs;	    /* address registers a MOVEM load may name (stores: any) */
	unsigned index_reg;	    /* index of indexed modes (0-7 Dn, 8-15 An); holds 0..15 */
	unsigned modes;		    /* allowed addressing modes (AM_* bits) */
	int disp_range;		    /* displacements fall in [-disp_range, disp_range] */
	uint32_t abs_base, abs_len; /* absolute addresses fall in [abs_base, abs_base + abs_len) */
	int no_traps;		    /* never CHK2 (CMP2 instead) */
	uint32_t ptr_base,
	    ptr_count; /* 020+: longs there hold pointers for memory-indirect modes */
	/* When set, PC-relative operands read only the code_before bytes of code
	 * that precede the instruction (and are not generated when those are too
	 * few), so their result does not depend on what follows the code. */
	int pc_in_code;
	uint32_t code_before;
};
/* Writes one random valid instruction for model into words (up to 11) from
 * the description table; returns its length in words and its row's
 * mnemonic and operand syntax, or 0 if no row fits the rules. */
unsigned cpu_insn_generate(enum cpu_model model, uint64_t *seed, const struct insn_gen_rules *rules,
			   uint16_t *words, const char **mnemonic, const char **syntax);
/* Disassembles the instruction whose words are given (at guest address pc)
 * into buf, Motorola syntax as MacsBug prints it; returns its length in
 * words, or 0 if nwords is too short for it. */
unsigned cpu_disasm(enum cpu_model model, gaddr pc, const uint16_t *words, unsigned nwords,
		    char *buf, size_t len);
/* Writes a listing of len bytes of 68K code loaded at org to out, one line
 * per instruction: address, instruction, words (for `vm68k disasm`). A
 * truncated last instruction is listed as DC.W/DC.B. */
void cpu_disasm_listing(enum cpu_model model, gaddr org, const uint8_t *bytes, size_t len,
			FILE *out);
/* The opcode table: how many of the 65536 words decode to an instruction on
 * the given model (not counting illegal, A-line and F-line words). */
unsigned cpu_decoded_opcodes(enum cpu_model model);
/* The module's interface version; bumped when this header changes shape. */
int guest_interface_version(void);

#endif
