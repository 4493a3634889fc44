/* guest/disasm.c: the disassembler, read off the same description table as
 * the decoder (row per opcode word, the row's size rule and operand syntax
 * tokens). Motorola syntax in MacsBug's style: mnemonic.size padded, hex
 * numbers with '$', A7 not SP. */
#include "config.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "guest/cpu_internal.h"

struct out {
	char *buf;
	size_t len, pos;
};
static void emit(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (o->pos < o->len) {
		int n = vsnprintf(o->buf + o->pos, o->len - o->pos, fmt, ap);
		if (n > 0)
			o->pos += (size_t)n;
		if (o->pos >= o->len)
			o->pos = o->len - 1;
	}
	va_end(ap);
}

/* Instruction words as they are read, bounded by what the caller gave. */
struct words {
	const uint16_t *w;
	unsigned n, i;
	int overrun;
};
static uint32_t next16(struct words *s)
{
	if (s->i >= s->n) {
		s->overrun = 1;
		return 0;
	}
	return s->w[s->i++];
}
static uint32_t next32(struct words *s)
{
	uint32_t h = next16(s);
	return h << 16 | next16(s);
}

static void hex_signed(struct out *o, int32_t v)
{
	if (v < 0)
		emit(o, "-$%X", (unsigned)-(int64_t)v);
	else
		emit(o, "$%X", (unsigned)v);
}

static const char *const cc_names[16] = {"T",  "F",  "HI", "LS", "CC", "CS", "NE", "EQ",
					 "VC", "VS", "PL", "MI", "GE", "LT", "GT", "LE"};

static void reg_name(struct out *o, unsigned r)
{
	emit(o, "%c%u", r < 8 ? 'D' : 'A', r & 7);
}

static void index_ext(struct out *o, enum cpu_model m, uint32_t ext)
{
	reg_name(o, (ext >> 12) & 15);
	emit(o, ".%c", (ext & 0x800) ? 'L' : 'W');
	unsigned scale = (ext >> 9) & 3;
	if (m >= CPU_68020 && scale)
		emit(o, "*%u", 1u << scale);
}

/* Indexed modes: brief or (020+) full extension word. base is "An" or "PC". */
static void indexed(struct out *o, struct words *s, enum cpu_model m, const char *base)
{
	uint32_t ext = next16(s);
	if (m < CPU_68020 || !(ext & 0x100)) {
		hex_signed(o, (int8_t)ext);
		emit(o, "(%s,", base);
		index_ext(o, m, ext);
		emit(o, ")");
		return;
	}
	int bs = ext & 0x80, is = ext & 0x40;
	unsigned bdsz = (ext >> 4) & 3, iis = ext & 7;
	int32_t bd = bdsz == 2 ? (int16_t)next16(s) : bdsz == 3 ? (int32_t)next32(s) : 0;
	int32_t od = 0;
	if ((iis & 3) == 2)
		od = (int16_t)next16(s);
	else if ((iis & 3) == 3)
		od = (int32_t)next32(s);
	int indirect = iis != 0, post = iis & 4;
	emit(o, "(");
	if (indirect)
		emit(o, "[");
	int first = 1;
	if (bdsz >= 2) {
		hex_signed(o, bd);
		first = 0;
	}
	if (!bs) {
		emit(o, "%s%s", first ? "" : ",", base);
		first = 0;
	} else if (first)
		emit(o, "0"), first = 0;
	if (!is && !post) {
		emit(o, ",");
		index_ext(o, m, ext);
	}
	if (indirect)
		emit(o, "]");
	if (!is && post) {
		emit(o, ",");
		index_ext(o, m, ext);
	}
	if (indirect && (iis & 3) >= 2) {
		emit(o, ",");
		hex_signed(o, od);
	}
	emit(o, ")");
}

static void immediate(struct out *o, struct words *s, unsigned sz)
{
	uint32_t v = sz == 4 ? next32(s) : sz == 2 ? next16(s) : (next16(s) & 0xFF);
	emit(o, "#$%X", v);
}

static void ea(struct out *o, struct words *s, enum cpu_model m, unsigned mode, unsigned reg,
	       unsigned sz)
{
	switch (mode) {
	case 0:
		emit(o, "D%u", reg);
		return;
	case 1:
		emit(o, "A%u", reg);
		return;
	case 2:
		emit(o, "(A%u)", reg);
		return;
	case 3:
		emit(o, "(A%u)+", reg);
		return;
	case 4:
		emit(o, "-(A%u)", reg);
		return;
	case 5:
		hex_signed(o, (int16_t)next16(s));
		emit(o, "(A%u)", reg);
		return;
	case 6: {
		char b[3] = {'A', (char)('0' + reg), 0};
		indexed(o, s, m, b);
		return;
	}
	default:
		switch (reg) {
		case 0:
			emit(o, "($%X).W", (unsigned)(uint16_t)next16(s));
			return;
		case 1:
			emit(o, "($%X).L", next32(s));
			return;
		case 2:
			hex_signed(o, (int16_t)next16(s));
			emit(o, "(PC)");
			return;
		case 3:
			indexed(o, s, m, "PC");
			return;
		case 4:
			immediate(o, s, sz);
			return;
		default:
			emit(o, "?");
			return;
		}
	}
}

static void reglist(struct out *o, unsigned mask, int predec)
{
	if (predec) {
		unsigned r = 0;
		for (int i = 0; i < 16; i++)
			if (mask & (1u << i))
				r |= 1u << (15 - i);
		mask = r;
	}
	int first = 1;
	for (unsigned i = 0; i < 16;) {
		if (!(mask & (1u << i))) {
			i++;
			continue;
		}
		unsigned j = i;
		while (j + 1 < 16 && (mask & (1u << (j + 1))) && (j + 1) / 8 == i / 8)
			j++;
		emit(o, "%s", first ? "" : "/");
		reg_name(o, i);
		if (j > i) {
			emit(o, "-");
			reg_name(o, j);
		}
		first = 0;
		i = j + 1;
	}
	if (first)
		emit(o, "0");
}

static const char *ctl_name(unsigned code)
{
	switch (code) {
	case 0x000:
		return "SFC";
	case 0x001:
		return "DFC";
	case 0x002:
		return "CACR";
	case 0x003:
		return "TC";
	case 0x004:
		return "ITT0";
	case 0x005:
		return "ITT1";
	case 0x006:
		return "DTT0";
	case 0x007:
		return "DTT1";
	case 0x800:
		return "USP";
	case 0x801:
		return "VBR";
	case 0x802:
		return "CAAR";
	case 0x803:
		return "MSP";
	case 0x804:
		return "ISP";
	case 0x805:
		return "MMUSR";
	case 0x806:
		return "URP";
	case 0x807:
		return "SRP";
	default:
		return "?";
	}
}

/* Mnemonics printed without a size (the size is implied or there is none). */
static int unsized(const char *mn)
{
	static const char *const l[] = {
	    "BTST",   "BCHG",  "BCLR",	"BSET",	 "Scc",	 "NBCD",    "TAS",  "LEA",   "PEA",
	    "JMP",    "JSR",   "SWAP",	"MOVEQ", "EXG",	 "ABCD",    "SBCD", "PACK",  "UNPK",
	    "MOVE16", "MOVEC", "TRAP",	"RTD",	 "STOP", "ILLEGAL", "NOP",  "RESET", "RTE",
	    "RTS",    "RTR",   "TRAPV", "UNLK",	 "BKPT", "DBcc",    NULL};
	for (int i = 0; l[i]; i++)
		if (!strcmp(mn, l[i]))
			return 1;
	return !strncmp(mn, "BF", 2);
}

static unsigned row_size(const struct insn_desc *d, uint16_t op)
{
	switch (d->size) {
	case SZ_B:
		return 1;
	case SZ_W:
		return 2;
	case SZ_L:
		return 4;
	case SZ_67:
		return size67(op);
	case SZ_910: {
		unsigned b = (op >> 9) & 3;
		return b == 0 ? 1 : b == 1 ? 2 : 4;
	}
	default:
		return 0;
	}
}

unsigned cpu_disasm(enum cpu_model m, gaddr pc, const uint16_t *words, unsigned nwords, char *buf,
		    size_t len)
{
	struct out o = {buf, len, 0};
	struct words s = {words, nwords, 0, 0};
	if (!len)
		return 0;
	buf[0] = 0;
	uint16_t op = (uint16_t)next16(&s);
	if (s.overrun)
		return 0;
	const struct insn_desc *d = insn_row(m, op);
	if (!d) {
		emit(&o, "DC.W      $%04X", op);
		return 1;
	}
	unsigned sz = row_size(d, op);
	const char *mn = d->mnemonic, *syn = d->syntax;
	char name[16];
	uint32_t ext = 0; /* a leading extension word some rows need to name themselves */
	unsigned cc = (op >> 8) & 15;
	/* the mnemonic, from the row (conditions and extension-word variants filled in) */
	if (!strcmp(mn, "Bcc") || !strcmp(mn, "DBcc") || !strcmp(mn, "Scc") ||
	    !strcmp(mn, "TRAPcc"))
		snprintf(name, sizeof name, "%.*s%s", (int)(strlen(mn) - 2), mn, cc_names[cc]);
	else if (!strcmp(mn, "MULL") || !strcmp(mn, "DIVL")) {
		ext = next16(&s);
		int sgn = ext & 0x800, quad = ext & 0x400,
		    rem = !quad && (ext & 7) != ((ext >> 12) & 7);
		snprintf(name, sizeof name, "%s%c%s", mn[0] == 'M' ? "MUL" : "DIV", sgn ? 'S' : 'U',
			 mn[0] == 'D' && rem ? "L" : "");
	} else if (!strcmp(mn, "CHK2")) {
		ext = next16(&s);
		snprintf(name, sizeof name, "%s", (ext & 0x800) ? "CHK2" : "CMP2");
	} else if (!strcmp(mn, "LINEA") || !strcmp(mn, "LINEF")) {
		emit(&o, "DC.W      $%04X", op);
		return 1;
	} else
		snprintf(name, sizeof name, "%s", mn);

	char full[24];
	if (!strcmp(mn, "Bcc") || !strcmp(mn, "BRA") || !strcmp(mn, "BSR")) {
		int8_t d8 = (int8_t)op;
		snprintf(full, sizeof full, "%s%s", name,
			 d8 == 0			? ".W"
			 : (d8 == -1 && m >= CPU_68020) ? ".L"
							: ".S");
	} else if (sz && !unsized(mn))
		snprintf(full, sizeof full, "%s.%c", name, sz == 1 ? 'B' : sz == 2 ? 'W' : 'L');
	else
		snprintf(full, sizeof full, "%s", name);
	emit(&o, "%-10s", full);

	/* operands: walk the syntax tokens */
	unsigned smode = (op >> 3) & 7, sreg = op & 7;
	int have_ext =
	    ext != 0 || !strcmp(mn, "CHK2") || !strcmp(mn, "MULL") || !strcmp(mn, "DIVL");
	if (!strcmp(mn, "MOVEC")) {
		ext = next16(&s);
		if (op & 1) {
			reg_name(&o, (ext >> 12) & 15);
			emit(&o, ",%s", ctl_name(ext & 0xFFF));
		} else {
			emit(&o, "%s,", ctl_name(ext & 0xFFF));
			reg_name(&o, (ext >> 12) & 15);
		}
		syn = "";
	}
	if (!strcmp(mn, "MOVES")) {
		ext = next16(&s);
		have_ext = 1;
		syn = (ext & 0x800) ? "R,E" : "E,R";
	}
	if (!strcmp(mn, "MOVEM")) { /* the register mask comes before the EA's words */
		ext = next16(&s);
		have_ext = 1;
	}
	const char *p = syn;
	int first = 1;
	while (*p) {
		const char *t = p;
		size_t n = strcspn(p, ",");
		p += n;
		if (*p == ',')
			p++;
		if (!first)
			emit(&o, ",");
		first = 0;
#define TOK(x) (n == strlen(x) && !strncmp(t, x, n))
		if (TOK("E"))
			ea(&o, &s, m, smode, sreg, sz);
		else if (TOK("e"))
			ea(&o, &s, m, (op >> 6) & 7, (op >> 9) & 7, sz);
		else if (TOK("D9"))
			emit(&o, "D%u", (op >> 9) & 7);
		else if (TOK("D0"))
			emit(&o, "D%u", op & 7);
		else if (TOK("A9"))
			emit(&o, "A%u", (op >> 9) & 7);
		else if (TOK("A0"))
			emit(&o, "A%u", op & 7);
		else if (TOK("-A9"))
			emit(&o, "-(A%u)", (op >> 9) & 7);
		else if (TOK("-A0"))
			emit(&o, "-(A%u)", op & 7);
		else if (TOK("+A9"))
			emit(&o, "(A%u)+", (op >> 9) & 7);
		else if (TOK("+A0"))
			emit(&o, "(A%u)+", op & 7);
		else if (TOK("#i"))
			immediate(&o, &s, sz ? sz : 2);
		else if (TOK("#q"))
			emit(&o, "#%u", ((op >> 9) & 7) ? (op >> 9) & 7 : 8);
		else if (TOK("#b")) {
			emit(&o, "#");
			hex_signed(&o, (int8_t)op);
		} else if (TOK("#v"))
			emit(&o, "#%u", !strcmp(mn, "BKPT") ? op & 7 : op & 15);
		else if (TOK("#w"))
			emit(&o, "#$%X", next16(&s));
		else if (TOK("#x"))
			emit(&o, "#%u", next16(&s) & 0xFF);
		else if (TOK("B")) {
			int32_t disp = (int8_t)op;
			if (disp == 0)
				disp = (int16_t)next16(&s);
			else if (disp == -1 && m >= CPU_68020)
				disp = (int32_t)next32(&s);
			emit(&o, "$%X", pc + 2 + (uint32_t)disp);
		} else if (TOK("W"))
			emit(&o, "$%X", pc + 2 + (uint32_t)(int16_t)next16(&s));
		else if (TOK("d16A0")) {
			hex_signed(&o, (int16_t)next16(&s));
			emit(&o, "(A%u)", op & 7);
		} else if (TOK("L"))
			reglist(&o, ext, smode == 4);
		else if (TOK("CCR") || TOK("SR") || TOK("USP"))
			emit(&o, "%.*s", (int)n, t);
		else if (TOK("R")) {
			if (!have_ext) {
				ext = next16(&s);
				have_ext = 1;
			} /* BFINS names its register first */
			reg_name(&o, (ext >> 12) & 15);
		} else if (TOK("S")) {
			if (op & 0x20)
				emit(&o, "D%u", (op >> 9) & 7);
			else
				emit(&o, "#%u", ((op >> 9) & 7) ? (op >> 9) & 7 : 8);
		} else if (TOK("Dc")) { /* CAS Dc,Du,<ea> */
			ext = next16(&s);
			emit(&o, "D%u,D%u", ext & 7, (ext >> 6) & 7);
			p += strcspn(p, ",") + 1; /* Du was printed with Dc */
		} else if (TOK("Dc:Dc")) {
			uint32_t e1 = next16(&s), e2 = next16(&s);
			emit(&o, "D%u:D%u,D%u:D%u,(", e1 & 7, e2 & 7, (e1 >> 6) & 7, (e2 >> 6) & 7);
			reg_name(&o, (e1 >> 12) & 15);
			emit(&o, "):(");
			reg_name(&o, (e2 >> 12) & 15);
			emit(&o, ")");
			p = "";
		} else if (TOK("Dh:Dl") || TOK("Dr:Dq")) {
			unsigned lo = (ext >> 12) & 7, hi = ext & 7;
			if ((ext & 0x400) || (mn[0] == 'D' && hi != lo))
				emit(&o, "D%u:D%u", hi, lo);
			else
				emit(&o, "D%u", lo);
		} else if (n >= 5 && !strncmp(t, "E{o:w}", 6)) {
			if (!have_ext) {
				ext = next16(&s);
				have_ext = 1;
			}
			ea(&o, &s, m, smode, sreg, 4);
			if (ext & 0x800)
				emit(&o, "{D%u:", (ext >> 6) & 7);
			else
				emit(&o, "{%u:", (ext >> 6) & 31);
			if (ext & 0x20)
				emit(&o, "D%u}", ext & 7);
			else
				emit(&o, "%u}", (ext & 31) ? ext & 31 : 32);
			if (TOK("E{o:w}") && *p == 'R') {
				emit(&o, ",D%u", (ext >> 12) & 7);
				p = "";
			}
		} else if (TOK("M16")) {
			uint32_t a = next32(&s);
			unsigned opm = (op >> 3) & 3;
			const char *an = opm & 2 ? "(A%u)" : "(A%u)+";
			if (opm & 1) {
				emit(&o, "($%X).L,", a);
				emit(&o, an, op & 7);
			} else {
				emit(&o, an, op & 7);
				emit(&o, ",($%X).L", a);
			}
		} else if (TOK("K")) {
			static const char *const caches[4] = {"NC", "DC", "IC", "BC"};
			emit(&o, "%s", caches[(op >> 6) & 3]);
		} else if (TOK("(A0)"))
			emit(&o, "(A%u)", op & 7);
		else if (TOK("+R"))
			emit(&o, "(A%u)+", (next16(&s) >> 12) & 7);
		else if (TOK("")) { /* no operands */
		} else
			emit(&o, "?");
#undef TOK
	}
	if (s.overrun)
		return 0;
	while (o.pos && buf[o.pos - 1] == ' ')
		buf[--o.pos] = 0;
	return s.i;
}

void cpu_disasm_listing(enum cpu_model model, gaddr org, const uint8_t *bytes, size_t len,
			FILE *out)
{
	size_t off = 0;
	while (off + 1 < len) {
		uint16_t w[11];
		unsigned avail = 0;
		while (avail < 11 && off + 2 * avail + 1 < len) {
			w[avail] =
			    (uint16_t)(bytes[off + 2 * avail] << 8 | bytes[off + 2 * avail + 1]);
			avail++;
		}
		char text[128];
		unsigned n = cpu_disasm(model, org + (gaddr)off, w, avail, text, sizeof text);
		if (!n) { /* the file ends inside an instruction */
			snprintf(text, sizeof text, "DC.W      $%04X", w[0]);
			n = 1;
		}
		fprintf(out, "%08X  %-40s|", (unsigned)(org + off), text);
		for (unsigned i = 0; i < n; i++)
			fprintf(out, " %04X", w[i]);
		fprintf(out, "\n");
		off += 2 * n;
	}
	if (off < len)
		fprintf(out, "%08X  DC.B      $%02X\n", (unsigned)(org + off), bytes[off]);
}
