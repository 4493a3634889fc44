/* elf2mac: turns an m68k ELF executable, linked at address 0 with tools/mac.ld,
 * tools/crt0.S first and its relocations kept (-Wl,-q), into a Mac
 * application in MacBinary II: CODE 0 (A5 world sizes and a one-entry jump
 * table), CODE 1 (crt0's parameter block, the image, the relocation table
 * crt0 applies at run time) and a SIZE -1 resource. See elf2mac(1). */
#include "config.h"

#include "host/macfile.h"
#include "toolbox/toolbox.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	EM_68K_ = 4,
	ET_EXEC_ = 2,
	SHT_SYMTAB_ = 2,
	SHT_RELA_ = 4,
	SHT_NOBITS_ = 8,
	SHT_PROGBITS_ = 1,
	SHF_ALLOC_ = 2,
	SHN_UNDEF_ = 0,
	SHN_LORESERVE_ = 0xff00,
	SHN_ABS_ = 0xfff1,
	R_68K_NONE = 0,
	R_68K_32 = 1,
	R_68K_16 = 2,
	R_68K_8 = 3,
	R_68K_PC32 = 4,
	R_68K_PC16 = 5,
	R_68K_PC8 = 6,
	PARAMS_SIZE = 12, /* crt0's __mac_params: table offset, globals size, .bss address */
};

static const char *input;

static void die(uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

/* One message naming the file, the offset and the expectation; exit 3 as
 * vm68k does for an unusable input. */
static void die(uint64_t offset, const char *fmt, ...)
{
	fprintf(stderr, "elf2mac: %s: offset %llu: ", input, (unsigned long long)offset);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(3);
}

static uint8_t *elf;
static size_t elf_len;

static uint32_t rd16(uint64_t at)
{
	if (at + 2 > elf_len)
		die(at, "2-byte field past the end of the file (size %zu)", elf_len);
	return (uint32_t)elf[at] << 8 | elf[at + 1];
}

static uint32_t rd32(uint64_t at)
{
	if (at + 4 > elf_len)
		die(at, "4-byte field past the end of the file (size %zu)", elf_len);
	return (uint32_t)elf[at] << 24 | (uint32_t)elf[at + 1] << 16 | (uint32_t)elf[at + 2] << 8 |
	       elf[at + 3];
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

struct section {
	uint32_t name, type, flags, addr, offset, size, link, info, entsize;
	uint64_t header_at;
};

static struct section *sections;
static unsigned nsections;

static const char *section_name(const struct section *s)
{
	uint32_t shstrndx = rd16(50);
	if (shstrndx >= nsections)
		return "?";
	const struct section *str = &sections[shstrndx];
	if (s->name >= str->size || (uint64_t)str->offset + str->size > elf_len)
		return "?";
	const char *p = (const char *)elf + str->offset + s->name;
	if (memchr(p, 0, str->size - s->name) == NULL)
		return "?";
	return p;
}

static void read_sections(void)
{
	if (elf_len < 52 || memcmp(elf, "\177ELF", 4) != 0)
		die(0, "expected an ELF file (\\177ELF)");
	if (elf[4] != 1 || elf[5] != 2)
		die(4,
		    "expected a 32-bit big-endian ELF (class 1, data 2), found class %u, data %u",
		    elf[4], elf[5]);
	if (rd16(18) != EM_68K_)
		die(18, "machine %u: expected 4 (Motorola 68000)", rd16(18));
	if (rd16(16) != ET_EXEC_)
		die(16, "type %u: expected 2 (an executable: link with tools/mac.ld)", rd16(16));
	uint32_t shoff = rd32(32), shentsize = rd16(46);
	nsections = rd16(48);
	if (shentsize != 40)
		die(46, "section header size %u: expected 40", shentsize);
	if ((uint64_t)shoff + 40ull * nsections > elf_len)
		die(32, "%u section headers at %u run past the end of the file (size %zu)",
		    nsections, shoff, elf_len);
	sections = calloc(nsections ? nsections : 1, sizeof *sections);
	for (unsigned i = 0; i < nsections; i++) {
		uint64_t h = shoff + 40ull * i;
		struct section *s = &sections[i];
		s->header_at = h;
		s->name = rd32(h);
		s->type = rd32(h + 4);
		s->flags = rd32(h + 8);
		s->addr = rd32(h + 12);
		s->offset = rd32(h + 16);
		s->size = rd32(h + 20);
		s->link = rd32(h + 24);
		s->info = rd32(h + 28);
		s->entsize = rd32(h + 36);
		if (s->type != SHT_NOBITS_ && (uint64_t)s->offset + s->size > elf_len)
			die(h + 20,
			    "section %s (%u bytes at %u) runs past the end of the file (size %zu)",
			    section_name(s), s->size, s->offset, elf_len);
	}
}

/* Value of the named symbol in the first symbol table; dies if absent. */
static uint32_t symbol_value(const char *name)
{
	for (unsigned i = 0; i < nsections; i++) {
		const struct section *s = &sections[i];
		if (s->type != SHT_SYMTAB_ || s->link >= nsections ||
		    sections[s->link].type == SHT_NOBITS_)
			continue;
		const struct section *str = &sections[s->link];
		for (uint64_t at = s->offset; at + 16 <= (uint64_t)s->offset + s->size; at += 16) {
			uint32_t n = rd32(at);
			if (n >= str->size)
				continue;
			const char *p = (const char *)elf + str->offset + n;
			size_t room = str->size - n;
			if (strnlen(p, room) == strlen(name) && strncmp(p, name, room) == 0 &&
			    rd16(at + 14) != SHN_UNDEF_)
				return rd32(at + 4);
		}
	}
	die(0, "no symbol %s: expected tools/crt0.S to be linked first", name);
}

struct offsets {
	uint32_t *v;
	size_t n, cap;
};

static void push(struct offsets *o, uint32_t v)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 64;
		o->v = realloc(o->v, o->cap * sizeof *o->v);
		if (o->v == NULL) {
			fprintf(stderr, "elf2mac: out of memory\n");
			exit(1);
		}
	}
	o->v[o->n++] = v;
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static uint8_t *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "elf2mac: %s: cannot open: %s\n", path, strerror(errno));
		exit(3);
	}
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			if (cap >= (64u << 20)) {
				fprintf(stderr, "elf2mac: %s: larger than 64 MiB\n", path);
				exit(3);
			}
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	if (buf == NULL || ferror(f)) {
		fprintf(stderr, "elf2mac: %s: read error\n", path);
		exit(3);
	}
	fclose(f);
	*len = n;
	return buf;
}

static bool parse_fourcc(const char *s, uint32_t *out)
{
	if (strlen(s) != 4)
		return false;
	*out = (uint32_t)(uint8_t)s[0] << 24 | (uint32_t)(uint8_t)s[1] << 16 |
	       (uint32_t)(uint8_t)s[2] << 8 | (uint8_t)s[3];
	return true;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: elf2mac [-t TYPE] [-c CREATOR] [-n NAME] [-p KBYTES] -o OUTPUT ELF\n"
		"  -t TYPE     file type (default APPL)\n"
		"  -c CREATOR  creator (default ?\?\?\?)\n"
		"  -n NAME     Mac file name, at most 63 bytes (default: OUTPUT's base "
		"name without .bin)\n"
		"  -p KBYTES   partition size in the SIZE resource (default 512)\n");
	exit(2);
}

/* ---- Segments ---- */

enum { MAX_SEGMENT = 9, BSS = 0 };

/* CODE n for n = 1..MAX_SEGMENT: its image and the four kinds of words its
 * relocation table lists (CODE 1 has no `seg1` list). */
struct segment {
	uint64_t vma, size;
	uint8_t *image;
	struct offsets self, seg1, bss, a5;
	struct offsets entries; /* link addresses of its routines called from outside */
	unsigned first_entry;	/* jump table index of entries.v[0] */
	uint8_t *code;		/* the CODE resource */
	size_t code_size;
};

static struct segment segs[MAX_SEGMENT + 1];

/* Which segment a link address belongs to (CODE 1 is linked at 0, CODE n
 * at n << 24), or dies naming it. */
static unsigned segment_of(uint64_t at, uint64_t where_in_file, const char *what)
{
	unsigned n = (unsigned)(at >> 24);
	if (n == 0)
		n = 1;
	if (n > MAX_SEGMENT || at - segs[n].vma >= segs[n].size)
		die(where_in_file, "%s 0x%llX is in no segment: expected mac.ld's layout", what,
		    (unsigned long long)at);
	return n;
}

/* The segment a section belongs to, BSS for .bss. */
static unsigned section_segment(unsigned shndx, uint64_t where_in_file)
{
	const struct section *s = &sections[shndx];
	if (s->type == SHT_NOBITS_)
		return BSS;
	if (!(s->flags & SHF_ALLOC_))
		die(where_in_file, "relocation against section %s, which is not loaded",
		    section_name(s));
	return segment_of(s->addr, where_in_file, "section");
}

static void add_entry(struct segment *s, uint32_t target)
{
	for (size_t i = 0; i < s->entries.n; i++)
		if (s->entries.v[i] == target)
			return;
	push(&s->entries, target);
}

static size_t entry_index(const struct segment *s, uint32_t target)
{
	for (size_t i = 0; i < s->entries.n; i++)
		if (s->entries.v[i] == target)
			return s->first_entry + i;
	return (size_t)-1;
}

static void append_list(uint8_t **t, const struct offsets *o)
{
	put32(*t, (uint32_t)o->n);
	*t += 4;
	for (size_t i = 0; i < o->n; i++, *t += 4)
		put32(*t, o->v[i]);
}

static void sort_list(struct offsets *o)
{
	if (o->n > 1)
		qsort(o->v, o->n, sizeof(uint32_t), compare_u32);
}

/* A cross-segment reference, patched once jump table entries are known. */
struct far_ref {
	unsigned from, to;
	uint32_t where, target;
};

static void build(uint32_t type, uint32_t creator, const char *name, const char *output,
		  unsigned long partition_k)
{
	/* Each segment's image: every allocated section with contents. */
	uint64_t bss_lo = UINT32_MAX, bss_hi = 0;
	for (unsigned n = 1; n <= MAX_SEGMENT; n++)
		segs[n].vma = n == 1 ? 0 : (uint64_t)n << 24;
	for (unsigned i = 0; i < nsections; i++) {
		const struct section *s = &sections[i];
		if (!(s->flags & SHF_ALLOC_) || s->size == 0)
			continue;
		uint64_t end = (uint64_t)s->addr + s->size;
		if (s->type == SHT_NOBITS_) {
			bss_lo = s->addr < bss_lo ? s->addr : bss_lo;
			bss_hi = end > bss_hi ? end : bss_hi;
			continue;
		}
		unsigned n = (unsigned)(s->addr >> 24);
		n = n == 0 ? 1 : n;
		if (n > MAX_SEGMENT || (end - 1) >> 24 != s->addr >> 24)
			die(s->header_at + 12,
			    "section %s at 0x%X: expected CODE 1 below 0x1000000 "
			    "or CODE 2..9 at n << 24",
			    section_name(s), s->addr);
		if (end - segs[n].vma > segs[n].size)
			segs[n].size = end - segs[n].vma;
	}
	uint64_t image_size = segs[1].size;
	if (image_size == 0)
		die(0, "no code: expected allocated sections linked at address 0");
	if (bss_hi == 0)
		bss_lo = bss_hi = (image_size + 3) & ~3ull;
	if (bss_lo < image_size || bss_hi > 0x1000000)
		die(0,
		    ".bss at 0x%llX overlaps CODE 1 (which ends at 0x%llX): expected mac.ld's "
		    "layout",
		    (unsigned long long)bss_lo, (unsigned long long)image_size);
	for (unsigned n = 1; n <= MAX_SEGMENT; n++) {
		if (segs[n].size > 0xF00000)
			die(0, "CODE %u has %llu bytes: more than a CODE resource may hold here", n,
			    (unsigned long long)segs[n].size);
		segs[n].image = calloc(1, segs[n].size ? (size_t)segs[n].size : 1);
	}
	for (unsigned i = 0; i < nsections; i++) {
		const struct section *s = &sections[i];
		if ((s->flags & SHF_ALLOC_) && s->type != SHT_NOBITS_ && s->size) {
			unsigned n = s->addr >> 24 ? s->addr >> 24 : 1;
			memcpy(segs[n].image + (s->addr - segs[n].vma), elf + s->offset, s->size);
		}
	}
	uint32_t params = symbol_value("__mac_params"), start = symbol_value("_start");
	if (params != 0)
		die(0, "__mac_params is at 0x%X: expected 0 (tools/crt0.S linked first)", params);
	if (start < PARAMS_SIZE || start >= image_size || start > 0xFFFF)
		die(0, "_start at 0x%X: expected in CODE 1's first 64 KB, after the parameters",
		    start);
	uint32_t block = symbol_value("__mac_segblock"),
		 block_end = symbol_value("__mac_segblock_end"),
		 reloc_entry = symbol_value("__mac_segreloc");
	if (block_end <= block || block_end > image_size || reloc_entry <= block ||
	    reloc_entry >= block_end || (block & 1))
		die(0, "crt0's segment block (0x%X to 0x%X) is not in CODE 1", block, block_end);
	uint32_t block_size = (block_end - block + 3) & ~3u;

	/* Relocations. */
	struct far_ref *far = NULL;
	size_t nfar = 0, far_cap = 0;
	for (unsigned i = 0; i < nsections; i++) {
		const struct section *r = &sections[i];
		if (r->type != SHT_RELA_)
			continue;
		if (r->info >= nsections || !(sections[r->info].flags & SHF_ALLOC_))
			continue; /* debug information */
		if (r->link >= nsections)
			die(r->header_at + 24,
			    "relocation section %s: symbol table index %u out of range",
			    section_name(r), r->link);
		const struct section *sym = &sections[r->link];
		for (uint64_t at = r->offset; at + 12 <= (uint64_t)r->offset + r->size; at += 12) {
			uint32_t where = rd32(at), info = rd32(at + 4);
			uint32_t kind = info & 0xff, symi = info >> 8;
			if (kind == R_68K_NONE)
				continue;
			if (kind != R_68K_32 && kind != R_68K_PC32 && kind != R_68K_PC16 &&
			    kind != R_68K_PC8) {
				if (kind == R_68K_16 || kind == R_68K_8)
					die(at,
					    "%u-bit absolute relocation at 0x%X cannot be moved at "
					    "run "
					    "time: expected 32-bit addresses (no -mshort, no "
					    "absolute "
					    "short addressing)",
					    kind == R_68K_16 ? 16 : 8, where);
				die(at,
				    "relocation type %u at 0x%X: expected R_68K_32 or PC-relative "
				    "(compile with -fno-pic; no GOT or PLT)",
				    kind, where);
			}
			if ((uint64_t)symi * 16 + 16 > sym->size)
				die(at + 4, "symbol index %u is past the symbol table", symi);
			uint32_t shndx = rd16(sym->offset + 16ull * symi + 14);
			if (shndx == SHN_ABS_)
				continue; /* an absolute value does not move with the image */
			if (shndx == SHN_UNDEF_ || shndx >= SHN_LORESERVE_ || shndx >= nsections)
				die(at + 4,
				    "relocation at 0x%X refers to an undefined symbol (index %u)",
				    where, symi);
			unsigned from = segment_of(where, at, "relocation at");
			unsigned to = section_segment(shndx, at + 4);
			uint64_t local = where - segs[from].vma;
			if (kind != R_68K_32) {
				/* Resolved by the linker; right only while both ends move together.
				 */
				if (to != from)
					die(at,
					    "PC-relative reference at 0x%X from CODE %u to %s: "
					    "expected "
					    "calls between segments through absolute addresses "
					    "(-fno-pic)",
					    where, from, to == BSS ? ".bss" : "another segment");
				continue;
			}
			if (local + 4 > segs[from].size)
				die(at, "relocation at 0x%X runs past the end of CODE %u", where,
				    from);
			if (where & 1)
				die(at,
				    "relocation at odd address 0x%X: the 68000 cannot add to it "
				    "(packed structure holding a pointer?)",
				    where);
			uint32_t value = (uint32_t)segs[from].image[local] << 24 |
					 (uint32_t)segs[from].image[local + 1] << 16 |
					 (uint32_t)segs[from].image[local + 2] << 8 |
					 segs[from].image[local + 3];
			if (to == BSS)
				push(&segs[from].bss, (uint32_t)local);
			else if (to == from)
				push(&segs[from].self, (uint32_t)local);
			else if (to == 1)
				push(&segs[from].seg1, (uint32_t)local);
			else {
				/* A routine in another segment: through its jump table entry. */
				segment_of(value, at, "target");
				if (value >> 24 != to)
					die(at,
					    "reference at 0x%X to 0x%X: expected an address in "
					    "CODE %u",
					    where, value, to);
				add_entry(&segs[to], value);
				if (nfar == far_cap) {
					far_cap = far_cap ? 2 * far_cap : 64;
					far = realloc(far, far_cap * sizeof *far);
				}
				far[nfar++] = (struct far_ref){from, to, (uint32_t)local, value};
			}
		}
	}
	if (segs[1].seg1.n)
		die(0, "internal: CODE 1 references itself through the seg1 list");

	/* The jump table: entry 0 is _start, then each segment's entries. */
	unsigned nentries = 1;
	for (unsigned n = 2; n <= MAX_SEGMENT; n++) {
		sort_list(&segs[n].entries);
		segs[n].first_entry = nentries;
		nentries += (unsigned)segs[n].entries.n;
		if (segs[n].size && segs[n].entries.n == 0)
			fprintf(stderr, "elf2mac: warning: nothing outside CODE %u calls it\n", n);
	}
	if (nentries > 4000)
		die(0, "%u jump table entries: more than A5-relative addressing reaches", nentries);
	for (size_t i = 0; i < nfar; i++) {
		size_t k = entry_index(&segs[far[i].to], far[i].target);
		put32(segs[far[i].from].image + far[i].where, (uint32_t)(32 + 8 * k + 2));
		push(&segs[far[i].from].a5, far[i].where);
	}
	free(far);

	uint32_t globals = (uint32_t)((bss_hi - bss_lo + 3) & ~3ull) + 4; /* + CODE 1's address */
	uint8_t *code0 = calloc(1, 16 + 8 * (size_t)nentries);
	put32(code0, 32 + 8 * nentries);
	put32(code0 + 4, globals);
	put32(code0 + 8, 8 * nentries);
	put32(code0 + 12, 32);
	put16(code0 + 16, start);  /* offsets count from the end of the segment header */
	put16(code0 + 18, 0x3F3C); /* MOVE.W #segment,-(SP) */
	put16(code0 + 20, 1);
	put16(code0 + 22, 0xA9F0); /* _LoadSeg */

	/* CODE 1: near header, image (parameters first), relocation table. */
	for (unsigned n = 1; n <= MAX_SEGMENT; n++) {
		sort_list(&segs[n].self);
		sort_list(&segs[n].seg1);
		sort_list(&segs[n].bss);
		sort_list(&segs[n].a5);
	}
	struct segment *s1 = &segs[1];
	uint32_t table_at = (uint32_t)((image_size + 3) & ~3ull);
	s1->code_size = 4 + (size_t)table_at + 12 + 4 * (s1->self.n + s1->bss.n + s1->a5.n);
	s1->code = calloc(1, s1->code_size);
	put16(s1->code, 0);
	put16(s1->code + 2, 1);
	memcpy(s1->code + 4, s1->image, (size_t)image_size);
	put32(s1->code + 4, table_at);
	put32(s1->code + 8, globals);
	put32(s1->code + 12, (uint32_t)bss_lo);
	uint8_t *t = s1->code + 4 + table_at;
	append_list(&t, &s1->self);
	append_list(&t, &s1->bss);
	append_list(&t, &s1->a5);

	/* CODE 2..9: header, crt0's segment block, thunks, image, table. */
	for (unsigned n = 2; n <= MAX_SEGMENT; n++) {
		struct segment *s = &segs[n];
		if (s->size == 0)
			continue;
		uint32_t thunks = block_size, image_off = thunks + 8 * (uint32_t)s->entries.n;
		uint32_t table_off = image_off + (uint32_t)((s->size + 3) & ~3ull);
		s->code_size =
		    4 + (size_t)table_off + 4 * (4 + s->self.n + s->seg1.n + s->bss.n + s->a5.n);
		s->code = calloc(1, s->code_size);
		uint8_t *body = s->code + 4;
		put16(s->code, 8 * s->first_entry);
		put16(s->code + 2, (uint32_t)s->entries.n);
		memcpy(body, s1->image + block, block_end - block);
		put32(body, (uint32_t)s->vma);
		put32(body + 4, 0);
		put32(body + 8, image_off);
		put32(body + 12, table_off);
		put32(body + 16, (uint32_t)(0 - globals - (uint32_t)bss_lo));
		for (size_t j = 0; j < s->entries.n; j++) {
			uint32_t at = thunks + 8 * (uint32_t)j;
			int64_t to_reloc = (int64_t)(reloc_entry - block) - (at + 2);
			int64_t to_routine =
			    (int64_t)image_off + (s->entries.v[j] - s->vma) - (at + 6);
			if (to_routine > 32767 || to_reloc < -32768)
				die(0, "CODE %u: routine at 0x%X is more than 32 KB from its thunk",
				    n, s->entries.v[j]);
			put16(body + at, 0x6100); /* BSR.W __mac_segreloc */
			put16(body + at + 2, (uint32_t)to_reloc);
			put16(body + at + 4, 0x6000); /* BRA.W routine */
			put16(body + at + 6, (uint32_t)to_routine);
			uint8_t *e = code0 + 16 + 8 * (s->first_entry + j);
			put16(e, at);
			put16(e + 2, 0x3F3C);
			put16(e + 4, n);
			put16(e + 6, 0xA9F0);
		}
		memcpy(body + image_off, s->image, (size_t)s->size);
		t = body + table_off;
		append_list(&t, &s->self);
		append_list(&t, &s->seg1);
		append_list(&t, &s->bss);
		append_list(&t, &s->a5);
	}

	/* SIZE -1: is32BitCompatible (the code keeps no flags in address high
	 * bytes), preferred and minimum partition. */
	uint8_t size_res[10];
	put16(size_res, 0x0080);
	put32(size_res + 2, (uint32_t)(partition_k * 1024));
	put32(size_res + 6, (uint32_t)(partition_k * 1024));

	struct resource_spec res[MAX_SEGMENT + 2];
	static const char *const seg_names[] = {NULL,	"Main", "Seg2", "Seg3", "Seg4",
						"Seg5", "Seg6", "Seg7", "Seg8", "Seg9"};
	size_t nres = 0;
	res[nres++] = (struct resource_spec){0x434F4445, 0, 0, NULL, code0, 16 + 8 * nentries};
	for (unsigned n = 1; n <= MAX_SEGMENT; n++)
		if (segs[n].code)
			res[nres++] = (struct resource_spec){
			    0x434F4445,	  (int16_t)n,	0,
			    seg_names[n], segs[n].code, (uint32_t)segs[n].code_size};
	res[nres++] = (struct resource_spec){0x53495A45, -1, 0, NULL, size_res, sizeof size_res};
	size_t fork_len;
	uint8_t *fork = resfork_build(res, nres, &fork_len);
	if (fork == NULL) {
		fprintf(stderr, "elf2mac: cannot build the resource fork (too large?)\n");
		exit(1);
	}

	/* MacBinary II: header with CRC, empty data fork, padded resource fork. */
	uint8_t hdr[128] = {0};
	hdr[1] = (uint8_t)strlen(name);
	memcpy(hdr + 2, name, strlen(name));
	put32(hdr + 65, type);
	put32(hdr + 69, creator);
	put32(hdr + 83, 0);
	put32(hdr + 87, (uint32_t)fork_len);
	hdr[122] = 129;
	hdr[123] = 129;
	put16(hdr + 124, macbinary_crc(hdr, 124));
	FILE *out = fopen(output, "wb");
	static const uint8_t zeros[128];
	size_t pad = (128 - fork_len % 128) % 128;
	if (out == NULL || fwrite(hdr, 1, 128, out) != 128 ||
	    fwrite(fork, 1, fork_len, out) != fork_len || fwrite(zeros, 1, pad, out) != pad ||
	    fclose(out) != 0) {
		fprintf(stderr, "elf2mac: %s: cannot write: %s\n", output, strerror(errno));
		exit(1);
	}
	printf("elf2mac: %s: '%s' CODE 1 %llu bytes (%zu + %zu + %zu relocations)", output, name,
	       (unsigned long long)image_size, s1->self.n, s1->bss.n, s1->a5.n);
	for (unsigned n = 2; n <= MAX_SEGMENT; n++)
		if (segs[n].code)
			printf(", CODE %u %llu bytes (%zu entries)", n,
			       (unsigned long long)segs[n].size, segs[n].entries.n);
	printf(", %u jump table entries, %u bytes of globals\n", nentries, globals);
	free(fork);
	free(code0);
	for (unsigned n = 1; n <= MAX_SEGMENT; n++) {
		free(segs[n].image);
		free(segs[n].code);
		free(segs[n].self.v);
		free(segs[n].seg1.v);
		free(segs[n].bss.v);
		free(segs[n].a5.v);
		free(segs[n].entries.v);
	}
}

int main(int argc, char **argv)
{
	uint32_t type = 0x4150504C /* APPL */, creator = 0x3F3F3F3F /* four question marks */;
	const char *name = NULL, *output = NULL;
	unsigned long partition_k = 512;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-') {
			if (input)
				usage();
			input = a;
			continue;
		}
		if (i + 1 >= argc || a[2] != '\0')
			usage();
		const char *v = argv[++i];
		switch (a[1]) {
		case 't':
		case 'c':
			if (!parse_fourcc(v, a[1] == 't' ? &type : &creator)) {
				fprintf(stderr, "elf2mac: -%c: '%s' is not four characters\n", a[1],
					v);
				exit(2);
			}
			break;
		case 'n':
			name = v;
			break;
		case 'o':
			output = v;
			break;
		case 'p': {
			char *end;
			partition_k = strtoul(v, &end, 10);
			if (*end || partition_k < 16 || partition_k > (1ul << 21)) {
				fprintf(stderr, "elf2mac: -p: '%s' is not 16 to 2097152 (KB)\n", v);
				exit(2);
			}
			break;
		}
		default:
			usage();
		}
	}
	if (input == NULL || output == NULL)
		usage();
	char default_name[64];
	if (name == NULL) {
		const char *base = strrchr(output, '/');
		base = base ? base + 1 : output;
		size_t n = strlen(base);
		if (n > 4 && strcmp(base + n - 4, ".bin") == 0)
			n -= 4;
		snprintf(default_name, sizeof default_name, "%.*s", (int)(n > 63 ? 63 : n), base);
		name = default_name;
	}
	if (strlen(name) == 0 || strlen(name) > 63) {
		fprintf(stderr, "elf2mac: -n: a Mac file name has 1 to 63 bytes\n");
		exit(2);
	}

	elf = read_whole(input, &elf_len);
	read_sections();
	build(type, creator, name, output, partition_k);
	free(sections);
	free(elf);
	return 0;
}
