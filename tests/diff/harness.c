/* The m68k side of the differential test: a libc-free static program run under
 * qemu-m68k. It reads case records (wire.h) from stdin, runs each sequence at
 * a fixed guest address with the given registers, and writes one result record
 * per case: the registers, CCR and data area at the end, or the signal and PC
 * if the sequence raised an exception. One process runs a whole batch. */
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

#define NR_exit_group 247
#define NR_read 3
#define NR_write 4
#define NR_rt_sigaction 174
#define NR_sigaltstack 186
#define NR_mmap2 192

#define SIGILL 4
#define SIGTRAP 5
#define SIGBUS 7
#define SIGFPE 8
#define SIGSEGV 11
#define SA_SIGINFO 0x00000004u
#define SA_ONSTACK 0x08000000u
#define SA_NODEFER 0x40000000u

/* Offsets in the m68k Linux ucontext: gregs follow uc_flags, uc_link, a
 * 12-byte stack_t and the mcontext version word. */
#define UC_GREGS 24
#define GREG_PC 16
#define GREG_SR 17

static long sys(long nr, long a, long b, long c, long d, long e, long f)
{
	register long d0 __asm__("d0") = nr;
	register long d1 __asm__("d1") = a;
	register long d2 __asm__("d2") = b;
	register long d3 __asm__("d3") = c;
	register long d4 __asm__("d4") = d;
	register long d5 __asm__("d5") = e;
	register long a0 __asm__("a0") = f;
	__asm__ volatile("trap #0"
			 : "+r"(d0)
			 : "r"(d1), "r"(d2), "r"(d3), "r"(d4), "r"(d5), "r"(a0)
			 : "memory", "cc");
	return d0;
}

static void die(const char *msg)
{
	size_t n = 0;
	while (msg[n])
		n++;
	sys(NR_write, 2, (long)msg, (long)n, 0, 0, 0);
	sys(NR_exit_group, 2, 0, 0, 0, 0, 0);
	for (;;)
		;
}

/* gcc may emit calls to these even in freestanding code. */
void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

/* The register block the sequence starts from and the one it ends with;
 * run_case and the trailer address them absolutely. Layout: D0-D7, A0-A7,
 * then CCR (low word), 68 bytes. */
uint32_t case_regs[17];
uint32_t end_regs[17];
uint32_t host_sp;

/* run_case: save the harness's registers, load the case's, jump to the code.
 * The code ends with `JMP case_end` (absolute), which stores everything and
 * returns from run_case; a signal handler resumes at case_resume instead. */
void run_case(void);
void case_end(void);
void case_resume(void);
__asm__(".text\n"
	".globl run_case\n"
	"run_case:\n"
	"	movem.l %d2-%d7/%a2-%a6,-(%sp)\n"
	"	move.l %sp,host_sp\n"
	"	move.l case_regs+64,%d0\n"
	"	move.w %d0,%ccr\n"
	"	movem.l case_regs,%d0-%d7/%a0-%a7\n"
	"	jmp 0x00100000\n"
	".globl case_end\n"
	"case_end:\n"
	"	move.w %ccr,end_regs+66\n"
	"	movem.l %d0-%d7/%a0-%a7,end_regs\n"
	".globl case_resume\n"
	"case_resume:\n"
	"	move.l host_sp,%sp\n"
	"	movem.l (%sp)+,%d2-%d7/%a2-%a6\n"
	"	rts\n");

struct exception {
	uint32_t signal, si_code, fault_addr, pc, sr;
};
static volatile struct exception caught;

static void on_signal(int sig, void *info, void *ucontext)
{
	const uint32_t *si = info;
	uint32_t *gregs = (uint32_t *)((char *)ucontext + UC_GREGS);
	caught.signal = (uint32_t)sig;
	caught.si_code = si[2];
	caught.fault_addr = si[3];
	caught.pc = gregs[GREG_PC];
	caught.sr = gregs[GREG_SR];
	for (int i = 0; i < 16; i++)
		end_regs[i] = gregs[i];
	/* Return from the signal straight into the harness, not the sequence. */
	gregs[GREG_PC] = (uint32_t)case_resume;
}

struct k_sigaction {
	void *handler;
	uint32_t flags;
	void *restorer;
	uint32_t mask[2];
};

static uint8_t altstack[16384];

static void install_handlers(void)
{
	struct {
		void *sp;
		int flags;
		uint32_t size;
	} ss = {altstack, 0, sizeof altstack};
	if (sys(NR_sigaltstack, (long)&ss, 0, 0, 0, 0, 0) != 0)
		die("harness: sigaltstack failed\n");
	static const int sigs[] = {SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV};
	for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct k_sigaction sa = {
		    (void *)on_signal, SA_SIGINFO | SA_ONSTACK | SA_NODEFER, 0, {0, 0}};
		if (sys(NR_rt_sigaction, sigs[i], (long)&sa, 0, 8, 0, 0) != 0)
			die("harness: rt_sigaction failed\n");
	}
}

static void map_fixed(uint32_t addr, uint32_t prot)
{
	/* MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED */
	long r = sys(NR_mmap2, (long)addr, DIFF_PAGE, (long)prot, 0x02 | 0x20 | 0x10, -1, 0);
	if (r != (long)addr)
		die("harness: cannot map the code or data page at its fixed address\n");
}

static uint8_t inbuf[64 * DIFF_IN_SIZE];
static size_t in_len, in_pos;
static uint8_t outbuf[64 * DIFF_OUT_SIZE];
static size_t out_len;

static void flush_out(void)
{
	size_t done = 0;
	while (done < out_len) {
		long n = sys(NR_write, 1, (long)(outbuf + done), (long)(out_len - done), 0, 0, 0);
		if (n <= 0)
			die("harness: write to stdout failed\n");
		done += (size_t)n;
	}
	out_len = 0;
}

/* Returns the next whole case record, or NULL at end of input. */
static const uint8_t *next_case(void)
{
	if (in_len - in_pos < DIFF_IN_SIZE) {
		memcpy(inbuf, inbuf + in_pos, in_len - in_pos);
		in_len -= in_pos;
		in_pos = 0;
		while (in_len < DIFF_IN_SIZE) {
			long n = sys(NR_read, 0, (long)(inbuf + in_len),
				     (long)(sizeof inbuf - in_len), 0, 0, 0);
			if (n < 0)
				die("harness: read from stdin failed\n");
			if (n == 0) {
				if (in_len != 0)
					die("harness: truncated case record on stdin\n");
				return NULL;
			}
			in_len += (size_t)n;
		}
	}
	const uint8_t *rec = inbuf + in_pos;
	in_pos += DIFF_IN_SIZE;
	return rec;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void run_one(const uint8_t *in)
{
	if (get32(in + DIFF_IN_MAGIC) != DIFF_MAGIC_CASE)
		die("harness: bad case record magic (driver and harness out of step?)\n");
	uint32_t len = get32(in + DIFF_IN_CODE_LEN);
	if (len > DIFF_CODE_MAX || (len & 1))
		die("harness: bad code length in case record\n");

	uint8_t *code = (uint8_t *)DIFF_CODE_ADDR;
	memcpy(code, in + DIFF_IN_CODE, len);
	/* Trailer: JMP case_end (absolute long), then ILLEGAL words, so running
	 * past the end can never fall into stale code of an earlier case. */
	code[len] = 0x4e;
	code[len + 1] = 0xf9;
	put32(code + len + 2, (uint32_t)case_end);
	for (uint32_t i = len + 6; i < DIFF_CODE_MAX + 16; i += 2) {
		code[i] = 0x4a;
		code[i + 1] = 0xfc;
	}
	memcpy((void *)DIFF_DATA_ADDR, in + DIFF_IN_DATA, DIFF_DATA_SIZE);
	for (int i = 0; i < 16; i++)
		case_regs[i] = get32(in + DIFF_IN_D + 4 * i);
	case_regs[16] = get32(in + DIFF_IN_CCR) & 0x1f;
	caught.signal = 0;

	run_case();

	if (out_len + DIFF_OUT_SIZE > sizeof outbuf)
		flush_out();
	uint8_t *out = outbuf + out_len;
	out_len += DIFF_OUT_SIZE;
	put32(out + DIFF_OUT_MAGIC, DIFF_MAGIC_RESULT);
	put32(out + DIFF_OUT_SIGNAL, caught.signal);
	if (caught.signal) {
		put32(out + DIFF_OUT_SI_CODE, caught.si_code);
		put32(out + DIFF_OUT_FAULT_ADDR, caught.fault_addr);
		put32(out + DIFF_OUT_PC, caught.pc);
		put32(out + DIFF_OUT_SR, caught.sr & 0xffff);
	} else {
		put32(out + DIFF_OUT_SI_CODE, 0);
		put32(out + DIFF_OUT_FAULT_ADDR, 0);
		put32(out + DIFF_OUT_PC, DIFF_CODE_ADDR + len);
		put32(out + DIFF_OUT_SR, end_regs[16] & 0xffff);
	}
	for (int i = 0; i < 16; i++)
		put32(out + DIFF_OUT_D + 4 * i, end_regs[i]);
	memcpy(out + DIFF_OUT_DATA, (void *)DIFF_DATA_ADDR, DIFF_DATA_SIZE);
	/* Written at once: if qemu itself dies on the next case, the driver
	 * still has every result before it and knows which case killed it. */
	flush_out();
}

void harness_main(void)
{
	map_fixed(DIFF_CODE_ADDR, 7);
	map_fixed(DIFF_DATA_ADDR, 3);
	install_handlers();
	const uint8_t *rec;
	while ((rec = next_case()) != NULL)
		run_one(rec);
	flush_out();
	sys(NR_exit_group, 0, 0, 0, 0, 0, 0);
}

__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	jsr harness_main\n"
	"	illegal\n");
