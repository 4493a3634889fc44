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
		if (s->type != SHT_SYMTAB_ || s->link >= nsections)
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

	/* The image: every allocated section with contents, at its address. */
	uint64_t image_size = 0, bss_lo = UINT32_MAX, bss_hi = 0;
	for (unsigned i = 0; i < nsections; i++) {
		const struct section *s = &sections[i];
		if (!(s->flags & SHF_ALLOC_) || s->size == 0)
			continue;
		uint64_t end = (uint64_t)s->addr + s->size;
		if (s->type == SHT_NOBITS_) {
			bss_lo = s->addr < bss_lo ? s->addr : bss_lo;
			bss_hi = end > bss_hi ? end : bss_hi;
		} else if (end > image_size) {
			image_size = end;
		}
	}
	if (image_size == 0)
		die(0, "no code: expected allocated sections linked at address 0");
	if (image_size > 0xF00000)
		die(0, "the image has %llu bytes: more than a CODE resource may hold here (15 MiB)",
		    (unsigned long long)image_size);
	if (bss_hi == 0)
		bss_lo = bss_hi = (image_size + 3) & ~3ull;
	if (bss_lo < image_size)
		die(0,
		    ".bss at 0x%llX overlaps the image (which ends at 0x%llX): expected mac.ld's "
		    "layout",
		    (unsigned long long)bss_lo, (unsigned long long)image_size);
	uint8_t *image = calloc(1, (size_t)image_size);
	for (unsigned i = 0; i < nsections; i++) {
		const struct section *s = &sections[i];
		if ((s->flags & SHF_ALLOC_) && s->type != SHT_NOBITS_ && s->size)
			memcpy(image + s->addr, elf + s->offset, s->size);
	}
	uint32_t params = symbol_value("__mac_params"), start = symbol_value("_start");
	if (params != 0)
		die(0, "__mac_params is at 0x%X: expected 0 (tools/crt0.S linked first)", params);
	if (start < PARAMS_SIZE || start >= image_size)
		die(0, "_start at 0x%X: expected inside the image, after the parameter block",
		    start);

	/* Relocations: R_68K_32 words become run-time fix-ups; PC-relative ones
	 * need none; anything else cannot be moved. */
	struct offsets rel_image = {0}, rel_bss = {0};
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
			switch (kind) {
			case R_68K_NONE:
			case R_68K_PC32:
			case R_68K_PC16:
			case R_68K_PC8:
				continue;
			case R_68K_32:
				break;
			case R_68K_16:
			case R_68K_8:
				die(at,
				    "%u-bit absolute relocation at 0x%X cannot be moved at run "
				    "time: "
				    "expected 32-bit addresses (no -mshort, no absolute short "
				    "addressing)",
				    kind == R_68K_16 ? 16 : 8, where);
			default:
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
			if (shndx == SHN_UNDEF_ || (shndx >= SHN_LORESERVE_) || shndx >= nsections)
				die(at + 4,
				    "relocation at 0x%X refers to an undefined symbol (index %u)",
				    where, symi);
			if ((uint64_t)where + 4 > image_size)
				die(at, "relocation at 0x%X is outside the image (%llu bytes)",
				    where, (unsigned long long)image_size);
			if (where & 1)
				die(at,
				    "relocation at odd address 0x%X: the 68000 cannot add to it "
				    "(packed structure holding a pointer?)",
				    where);
			push(sections[shndx].type == SHT_NOBITS_ ? &rel_bss : &rel_image, where);
		}
	}
	qsort(rel_image.v, rel_image.n, sizeof(uint32_t), compare_u32);
	qsort(rel_bss.v, rel_bss.n, sizeof(uint32_t), compare_u32);

	/* CODE 1: near header, image, relocation table. */
	uint32_t table_at = (uint32_t)((image_size + 3) & ~3ull);
	uint32_t globals = (uint32_t)((bss_hi - bss_lo + 3) & ~3ull);
	uint64_t code1_size = 4 + (uint64_t)table_at + 8 + 4 * (rel_image.n + rel_bss.n);
	uint8_t *code1 = calloc(1, (size_t)code1_size);
	put16(code1, 0); /* its jump table entries start at the first one */
	put16(code1 + 2, 1);
	memcpy(code1 + 4, image, (size_t)image_size);
	put32(code1 + 4, table_at);
	put32(code1 + 8, globals);
	put32(code1 + 12, (uint32_t)bss_lo);
	uint8_t *t = code1 + 4 + table_at;
	put32(t, (uint32_t)rel_image.n);
	t += 4;
	for (size_t i = 0; i < rel_image.n; i++, t += 4)
		put32(t, rel_image.v[i]);
	put32(t, (uint32_t)rel_bss.n);
	t += 4;
	for (size_t i = 0; i < rel_bss.n; i++, t += 4)
		put32(t, rel_bss.v[i]);

	/* CODE 0: 32 bytes of application parameters and one jump table entry
	 * above A5; the globals below it. */
	uint8_t code0[24];
	put32(code0, 32 + 8);
	put32(code0 + 4, globals);
	put32(code0 + 8, 8);
	put32(code0 + 12, 32);
	put16(code0 + 16, start);  /* offset from the end of CODE 1's header */
	put16(code0 + 18, 0x3F3C); /* MOVE.W #1,-(SP) */
	put16(code0 + 20, 1);
	put16(code0 + 22, 0xA9F0); /* _LoadSeg */
	if (start > 0xFFFF)
		die(0, "_start at 0x%X: a near jump table entry holds 16 bits", start);

	/* SIZE -1: is32BitCompatible (the code keeps no flags in address high
	 * bytes), preferred and minimum partition. */
	uint8_t size_res[10];
	put16(size_res, 0x0080);
	put32(size_res + 2, (uint32_t)(partition_k * 1024));
	put32(size_res + 6, (uint32_t)(partition_k * 1024));

	const struct resource_spec res[] = {
	    {0x434F4445, 0, 0, NULL, code0, sizeof code0},
	    {0x434F4445, 1, 0, "Main", code1, (uint32_t)code1_size},
	    {0x53495A45, -1, 0, NULL, size_res, sizeof size_res},
	};
	size_t fork_len;
	uint8_t *fork = resfork_build(res, 3, &fork_len);
	if (fork == NULL) {
		fprintf(stderr, "elf2mac: cannot build the resource fork (too large?)\n");
		return 1;
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
	if (out == NULL || fwrite(hdr, 1, 128, out) != 128 ||
	    fwrite(fork, 1, fork_len, out) != fork_len ||
	    fwrite(zeros, 1, (128 - fork_len % 128) % 128, out) != (128 - fork_len % 128) % 128 ||
	    fclose(out) != 0) {
		fprintf(stderr, "elf2mac: %s: cannot write: %s\n", output, strerror(errno));
		return 1;
	}
	printf("elf2mac: %s: '%s' %llu bytes of image, %zu + %zu relocations, %u bytes of "
	       "globals\n",
	       output, name, (unsigned long long)image_size, rel_image.n, rel_bss.n, globals);
	free(fork);
	free(code1);
	free(image);
	free(rel_image.v);
	free(rel_bss.v);
	free(sections);
	free(elf);
	return 0;
}
