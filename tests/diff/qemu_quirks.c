/* The one list of results that the differential test does not compare, each
 * with its reason: condition codes the 68020/030/040 manuals leave undefined
 * (so qemu and vm68k may both be right and still differ), and qemu defects.
 * Nothing outside this table is ever masked. */
#include "config.h"

#include "tests/diff/diff.h"

enum when {
	EXCLUDED,  /* qemu cannot run it: the generator never emits it */
	QEMU_DIES, /* qemu itself may die on it: such a lost case is not compared */
	ALWAYS,
	IF_OVERFLOW,	   /* either side ended with V set and no exception */
	IF_DIVIDE_BY_ZERO, /* either side took the divide-by-zero exception (SIGFPE, FPE_INTDIV) */
	IF_NO_TRAP,	   /* neither side took an exception */
	IF_TRAP,	   /* either side took an exception */
	IF_BCD_INVALID,	   /* an operand byte is not two decimal digits: the case is not compared */
};

/* What else an entry masks. */
enum {
	MASK_PC = 1,	  /* the PC reported with the exception */
	MASK_EA_AREG = 2, /* An of an (An)+ / -(An) source operand (opcode bits 5-0) */
	ALONE = 4,	  /* the generator emits it only as a sequence's one instruction */
	LAST = 8,	  /* the generator ends the sequence with it; nothing is masked */
	NOT_AN = 16,	  /* not with EA mode An (bits 5-3 = 1): that word is another row */
};

struct quirk {
	uint16_t op_mask, op_match;
	uint16_t ext_mask, ext_match; /* on the second word; 0/0 when unused */
	enum when when;
	uint8_t ccr;	/* CCR bits not compared */
	uint32_t regs;	/* registers not compared (bit i = Di, 8+i = Ai) */
	unsigned extra; /* MASK_PC, MASK_EA_AREG, ALONE */
	const char *reason;
};

static const struct quirk quirks[] = {
    {0xf1f0, 0x8140, 0, 0, EXCLUDED, 0, 0, 0,
     "PACK: qemu-m68k 7.2 mistranslates it: the register form leaves Dy unchanged or raises a "
     "spurious SIGSEGV, the -(Ax),-(Ay) form faults at a wild address, and some sequences "
     "abort qemu in tcg_temp_free_internal"},
    {0xf1f0, 0x8180, 0, 0, EXCLUDED, 0, 0, 0, "UNPK: qemu-m68k 7.2 mistranslates it, as PACK"},
    {0xf9c0, 0x00c0, 0x07ff, 0x0000, EXCLUDED, 0, 0, 0,
     "CHK2/CMP2: qemu-m68k 7.2 raises SIGILL for the .W and .L forms on 68020/030/040 and aborts "
     "(tcg_temp_free_internal) on the .B form"},
    {0xfec8, 0xe0c8, 0, 0, EXCLUDED, 0, 0, 0,
     "ASL/ASR <ea> (memory, by one): qemu-m68k 7.2 takes arithmetic-or-logical from opcode "
     "bit 3, which is part of the EA mode, not from bits 10-9: with modes (An)+, d16(An), "
     "abs.l... it shifts logically (the 68000 single-step suite checks vm68k's memory shifts)"},
    {0xfec8, 0xe2c0, 0, 0, EXCLUDED, 0, 0, 0,
     "LSL/LSR <ea> (memory, by one): qemu-m68k 7.2 shifts arithmetically with modes (An), -(An), "
     "d8(An,Xn), abs.w (opcode bit 3 clear), as for ASx above"},
    {0xfdff, 0x007c, 0, 0, EXCLUDED, 0, 0, 0,
     "ORI/ANDI to SR in user mode: qemu-m68k 7.2 aborts (\"unhandled CPU exception 0x8\"): "
     "its user-mode loop has no case for the privilege violation these raise"},
    {0xffff, 0x0a7c, 0, 0, EXCLUDED, 0, 0, 0,
     "EORI to SR in user mode: qemu-m68k 7.2 aborts, as ORI to SR"},
    {0xffc0, 0x40c0, 0, 0, EXCLUDED, 0, 0, 0,
     "MOVE from SR in user mode: qemu-m68k 7.2 aborts, as ORI to SR"},
    {0xffc0, 0x46c0, 0, 0, EXCLUDED, 0, 0, 0,
     "MOVE to SR in user mode: qemu-m68k 7.2 aborts (assertion in insn_opsize)"},
    {0xfff8, 0x4848, 0, 0, EXCLUDED, 0, 0, 0,
     "BKPT: qemu-m68k 7.2 raises SIGTRAP (its debug exception); a 68020/030/040 with no "
     "breakpoint acknowledge takes the illegal instruction exception, which Linux reports as "
     "SIGILL"},
    {0xf9ff, 0x08fc, 0, 0, ALWAYS, 0, 0, LAST,
     "CAS2: qemu-m68k 7.2 leaves its flags so that the next instruction that keeps C (BTST, BCHG, "
     "ADDX...) loses C; read straight after CAS2 they are right, so CAS2 ends its sequence"},
    {0xffc0, 0x42c0, 0, 0, ALWAYS, 0, 0, LAST,
     "MOVE CCR,<ea>: afterwards qemu-m68k 7.2 cannot set Z in the next BTST/BCHG/BCLR/BSET (which "
     "change only Z), so MOVE from CCR ends its sequence"},
    {0xf0fe, 0x50fa, 0, 0, ALWAYS, 0, 0, LAST,
     "TRAPcc.W/.L #imm: when it does not trap, qemu-m68k 7.2 leaves the flags as after MOVE from "
     "CCR (the next BTST cannot set Z), so TRAPcc ends its sequence"},
    {0xf0ff, 0x50fc, 0, 0, ALWAYS, 0, 0, LAST, "TRAPcc: as TRAPcc.W/.L"},
    {0xf1ff, 0xd10f, 0, 0, EXCLUDED, 0, 0, 0,
     "ADDX.B -(A7),-(Ax): qemu-m68k 7.2 subtracts 1 from A7, not 2 (a byte access through the "
     "stack pointer keeps it even, M68000PRM 2.2.5), so later accesses differ too"},
    {0xfff8, 0xdf08, 0, 0, EXCLUDED, 0, 0, 0, "ADDX.B -(Ay),-(A7): as ADDX.B -(A7),-(Ax)"},
    {0xf1ff, 0x910f, 0, 0, EXCLUDED, 0, 0, 0, "SUBX.B -(A7),-(Ax): as ADDX.B -(A7),-(Ax)"},
    {0xfff8, 0x9f08, 0, 0, EXCLUDED, 0, 0, 0, "SUBX.B -(Ay),-(A7): as ADDX.B -(A7),-(Ax)"},
    {0xffff, 0x4adf, 0, 0, ALWAYS, 0, 1u << 15, 0,
     "TAS (A7)+: qemu-m68k 7.2 adds 1 to A7, not 2 (a byte access through the stack pointer keeps "
     "it even); -(A7) is right"},
    {0xffff, 0x0adf, 0, 0, ALWAYS, 0, 1u << 15, 0, "CAS.B Dc,Du,(A7)+: as TAS (A7)+"},
    {0xf1c0, 0x81c0, 0, 0, QEMU_DIES, 0, 0, 0,
     "DIVS.W: qemu-m68k 7.2 dies of a host SIGFPE on $80000000 / -1 (the x86 idiv overflow is not "
     "caught)"},
    {0xffc0, 0x4c40, 0x0c00, 0x0800, QEMU_DIES, 0, 0, 0,
     "DIVS.L (32-bit dividend): qemu-m68k 7.2 dies of a host SIGFPE on $80000000 / -1"},
    {0xf0c0, 0x80c0, 0, 0, IF_OVERFLOW, CCR_N | CCR_Z, 0, 0,
     "DIVU.W/DIVS.W: N and Z are undefined after a division overflow (MC68020UM 3-2; M68000PRM "
     "DIVS/DIVU)"},
    {0xffc0, 0x4c40, 0, 0, IF_OVERFLOW, CCR_N | CCR_Z, 0, 0,
     "DIVU.L/DIVS.L: N and Z are undefined after a division overflow (M68000PRM DIVS/DIVU)"},
    {0xf0c0, 0x80c0, 0, 0, IF_DIVIDE_BY_ZERO, CCR_N | CCR_Z | CCR_V, 0, 0,
     "DIVU.W/DIVS.W: N, Z and V are undefined on division by zero (M68000PRM DIVS/DIVU)"},
    {0xffc0, 0x4c40, 0, 0, IF_DIVIDE_BY_ZERO, CCR_N | CCR_Z | CCR_V, 0, 0,
     "DIVU.L/DIVS.L: N, Z and V are undefined on division by zero (M68000PRM DIVS/DIVU)"},
    {0xf1f0, 0xc100, 0, 0, ALWAYS, CCR_N | CCR_V, 0, ALONE,
     "ABCD: N and V are undefined (M68000PRM ABCD)"},
    {0xf1f0, 0x8100, 0, 0, ALWAYS, CCR_N | CCR_V, 0, ALONE,
     "SBCD: N and V are undefined (M68000PRM SBCD)"},
    {0xffc0, 0x4800, 0, 0, ALWAYS, CCR_N | CCR_V, 0, ALONE | NOT_AN,
     "NBCD: N and V are undefined (M68000PRM NBCD); $4808-$480F are LINK.L"},
    {0xf1f0, 0xc100, 0, 0, IF_BCD_INVALID, 0, 0, ALONE,
     "ABCD/SBCD/NBCD on bytes that are not two BCD digits: Motorola defines no result, and qemu's "
     "differ from the 68000's (which vm68k follows, as the single-step suite records them)"},
    {0xf1f0, 0x8100, 0, 0, IF_BCD_INVALID, 0, 0, ALONE, "SBCD on non-BCD bytes: as ABCD"},
    {0xffc0, 0x4800, 0, 0, IF_BCD_INVALID, 0, 0, ALONE | NOT_AN, "NBCD on a non-BCD byte: as ABCD"},
    {0xffc0, 0xe1c0, 0, 0, ALWAYS, CCR_V, 0, 0,
     "ASL <ea> (memory): qemu-m68k 7.2 never sets V there on 020/030/040 (its V test is keyed to a "
     "feature flag only the 68000 model has); register ASL is right"},
    {0xf140, 0x4100, 0, 0, IF_TRAP, 0, 0, MASK_PC,
     "CHK: when it traps, qemu-m68k 7.2 reports the PC after the opcode word, not after the "
     "extension words of the bound operand (#imm, d16(An), abs.l...)"},
    {0xf140, 0x4100, 0, 0, IF_TRAP, 0, 0, MASK_EA_AREG,
     "CHK: when it traps, qemu-m68k 7.2 loses the (An)+ / -(An) update of the bound operand "
     "(it commits address registers at the end of the instruction)"},
    {0xf0c0, 0x80c0, 0, 0, IF_DIVIDE_BY_ZERO, 0, 0, MASK_EA_AREG,
     "DIVU.W/DIVS.W by zero: qemu-m68k 7.2 loses the (An)+ / -(An) update of the divisor operand"},
    {0xffc0, 0x4c40, 0, 0, IF_DIVIDE_BY_ZERO, 0, 0, MASK_EA_AREG,
     "DIVU.L/DIVS.L by zero: qemu-m68k 7.2 loses the (An)+ / -(An) update of the divisor operand"},
    {0xf140, 0x4100, 0, 0, ALWAYS, CCR_Z | CCR_V | CCR_C, 0, 0,
     "CHK: Z, V and C are undefined (M68000PRM CHK); qemu-m68k 7.2 keeps them, the 68000 "
     "clears them"},
    {0xf140, 0x4100, 0, 0, IF_NO_TRAP, CCR_N, 0, 0,
     "CHK: N is undefined when Dn is within bounds (M68000PRM CHK)"},
    {0xf9c0, 0x00c0, 0x07ff, 0x0000, ALWAYS, CCR_N | CCR_V, 0, 0,
     "CHK2/CMP2: N and V are undefined (M68000PRM CHK2, CMP2)"},
};

static int matches(const struct quirk *q, uint16_t op, uint16_t ext)
{
	return (op & q->op_mask) == q->op_match && (ext & q->ext_mask) == q->ext_match &&
	       !((q->extra & NOT_AN) && (op & 0x38) == 0x08);
}

int diff_quirks_excluded(uint16_t op, uint16_t ext)
{
	for (size_t i = 0; i < sizeof quirks / sizeof quirks[0]; i++)
		if (quirks[i].when == EXCLUDED && matches(&quirks[i], op, ext))
			return 1;
	return 0;
}

int diff_quirks_must_end_sequence(uint16_t op, uint16_t ext)
{
	/* An instruction that may leave outputs undefined ends its sequence, so
	 * no later instruction (Bcc, Scc, ADDX...) turns them into a register
	 * or memory difference that no entry here could name. */
	for (size_t i = 0; i < sizeof quirks / sizeof quirks[0]; i++)
		if (quirks[i].when != EXCLUDED && matches(&quirks[i], op, ext))
			return 1;
	return 0;
}

int diff_quirks_must_be_alone(uint16_t op, uint16_t ext)
{
	for (size_t i = 0; i < sizeof quirks / sizeof quirks[0]; i++)
		if ((quirks[i].extra & ALONE) && matches(&quirks[i], op, ext))
			return 1;
	return 0;
}

static int bcd_ok(uint8_t b)
{
	return (b & 0x0f) <= 9 && (b >> 4) <= 9;
}

static uint8_t data_byte(const struct diff_case *c, uint32_t a)
{
	return a - DIFF_DATA_ADDR < DIFF_DATA_SIZE ? c->data[a - DIFF_DATA_ADDR] : 0xff;
}

/* Whether a lone ABCD/SBCD/NBCD reads a byte that is not two BCD digits;
 * computed from the initial state, which is why such instructions run alone.
 * Unknown operand modes count as invalid (not compared). */
static int bcd_operands_invalid(const struct diff_case *c)
{
	const struct diff_insn *in = &c->insns[0];
	uint16_t op = in->op;
	unsigned x = (op >> 9) & 7, y = op & 7;
	if ((op & 0xffc0) == 0x4800) { /* NBCD <ea> */
		switch ((op >> 3) & 7) {
		case 0:
			return !bcd_ok((uint8_t)c->d[y]);
		case 2:
		case 3:
			return !bcd_ok(data_byte(c, c->a[y]));
		case 4:
			return !bcd_ok(data_byte(c, c->a[y] - (y == 7 ? 2 : 1)));
		case 5:
			return !bcd_ok(data_byte(c, c->a[y] + (uint32_t)(int16_t)in->ext));
		case 7:
			if (y == 1 && in->len == 6)
				return !bcd_ok(
				    data_byte(c, (uint32_t)in->ext << 16 |
						     (uint32_t)(c->code[in->offset + 4] << 8 |
								c->code[in->offset + 5])));
			return 1;
		default:
			return 1;
		}
	}
	if (op & 8) { /* -(Ay),-(Ax) */
		/* byte predecrements of A7 move it by 2 */
		uint32_t ay = c->a[y] - (y == 7 ? 2 : 1);
		uint32_t ax = (x == y ? ay : c->a[x]) - (x == 7 ? 2 : 1);
		return !bcd_ok(data_byte(c, ay)) || !bcd_ok(data_byte(c, ax));
	}
	return !bcd_ok((uint8_t)c->d[x]) || !bcd_ok((uint8_t)c->d[y]);
}

const char *diff_quirks_not_compared(const struct diff_case *c, const struct diff_result *ref)
{
	if (c->ninsns == 0)
		return NULL;
	if (ref->signal == DIFF_BACKEND_LOST)
		return diff_quirks_excuse_lost(c);
	if (c->ninsns != 1)
		return NULL;
	for (size_t i = 0; i < sizeof quirks / sizeof quirks[0]; i++)
		if (quirks[i].when == IF_BCD_INVALID &&
		    matches(&quirks[i], c->insns[0].op, c->insns[0].ext) && bcd_operands_invalid(c))
			return quirks[i].reason;
	return NULL;
}

const char *diff_quirks_excuse_lost(const struct diff_case *c)
{
	/* Instructions that can kill qemu also end their sequence (they are
	 * divisions, whose overflow flags are undefined), so the last one is
	 * the one qemu was running when it died. */
	if (c->ninsns == 0)
		return NULL;
	const struct diff_insn *last = &c->insns[c->ninsns - 1];
	for (size_t i = 0; i < sizeof quirks / sizeof quirks[0]; i++)
		if (quirks[i].when == QEMU_DIES && matches(&quirks[i], last->op, last->ext))
			return quirks[i].reason;
	return NULL;
}

static int applies(enum when w, const struct diff_result *ref, const struct diff_result *got)
{
	switch (w) {
	case EXCLUDED:
	case QEMU_DIES:
		return 0;
	case ALWAYS:
		return 1;
	case IF_OVERFLOW:
		return (ref->signal == 0 && (ref->sr & CCR_V)) ||
		       (got->signal == 0 && (got->sr & CCR_V));
	case IF_DIVIDE_BY_ZERO:
		return (ref->signal == 8 && ref->si_code == 1) ||
		       (got->signal == 8 && got->si_code == 1);
	case IF_NO_TRAP:
		return ref->signal == 0 && got->signal == 0;
	case IF_TRAP:
		return ref->signal != 0 || got->signal != 0;
	case IF_BCD_INVALID:
		return 0; /* decided before comparing: diff_quirks_not_compared */
	}
	return 0;
}

void diff_quirks_mask(const struct diff_case *c, const struct diff_result *ref,
		      const struct diff_result *got, struct diff_mask *m)
{
	m->ccr = 0;
	m->regs = 0;
	m->pc = 0;
	m->nreasons = 0;
	/* Only the instruction that ended the run can leave undefined outputs
	 * behind: the generator puts such instructions last, and an exception
	 * ends the run at the instruction that raised it. */
	const struct diff_insn *last = NULL;
	for (unsigned i = 0; i < c->ninsns; i++) {
		const struct diff_insn *in = &c->insns[i];
		uint32_t at = DIFF_CODE_ADDR + in->offset;
		/* A trap's PC is the next instruction's address: take the first
		 * instruction the PC is in or just after. */
		if (ref->signal && ref->pc >= at && ref->pc <= at + in->len) {
			last = in;
			break;
		}
	}
	if (!last && c->ninsns)
		last = &c->insns[c->ninsns - 1];
	if (!last)
		return;
	for (size_t i = 0; i < sizeof quirks / sizeof quirks[0]; i++) {
		const struct quirk *q = &quirks[i];
		if (!matches(q, last->op, last->ext) || !applies(q->when, ref, got))
			continue;
		m->ccr |= q->ccr;
		m->regs |= q->regs;
		if (q->extra & MASK_PC)
			m->pc = 1;
		unsigned mode = (last->op >> 3) & 7;
		if ((q->extra & MASK_EA_AREG) && (mode == 3 || mode == 4))
			m->regs |= 1u << (8 + (last->op & 7));
		if (m->nreasons < sizeof m->reasons / sizeof m->reasons[0])
			m->reasons[m->nreasons++] = q->reason;
	}
}
