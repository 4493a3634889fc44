/* `vm68k info APP`: what a Mac application is made of — its container, Finder
 * info, forks, resources, the CODE 0 jump table and each segment's header
 * and traps — checked as the Segment Loader would need it. */
#include "config.h"

#include "host/host.h"
#include "host/macfile.h"
#include "toolbox/toolbox.h"

#include <stdio.h>
#include <string.h>

#define CODE_TYPE 0x434F4445u /* 'CODE' */
#define SIZE_TYPE 0x53495A45u /* 'SIZE' */

/* Prints a Mac name with anything outside printable ASCII as \xNN. */
static void print_mac_name(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\' && p[i] != '"')
			putchar(p[i]);
		else
			printf("\\x%02X", p[i]);
	}
}

static void print_finder_flags(uint16_t f)
{
	static const struct {
		uint16_t bit;
		const char *name;
	} flags[] = {
	    {0x8000, "isAlias"},       {0x4000, "isInvisible"},	 {0x2000, "hasBundle"},
	    {0x1000, "nameLocked"},    {0x0800, "isStationery"}, {0x0400, "hasCustomIcon"},
	    {0x0100, "hasBeenInited"}, {0x0080, "hasNoINITs"},	 {0x0040, "isShared"},
	    {0x0001, "isOnDesk"},
	};
	printf("0x%04X", f);
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (f & flags[i].bit)
			printf(" %s", flags[i].name);
	if (f & 0x000E)
		printf(" color=%u", (f >> 1) & 7);
	putchar('\n');
}

static void attr_text(uint8_t a, char *out)
{
	static const struct {
		uint8_t bit;
		char c;
	} attrs[] = {{resSysHeap, 'S'},	  {resPurgeable, 'P'}, {resLocked, 'L'},
		     {resProtected, 'R'}, {resPreload, 'D'},   {resChanged, 'C'}};
	for (size_t i = 0; i < 6; i++)
		out[i] = (a & attrs[i].bit) ? attrs[i].c : '-';
	out[6] = '\0';
}

/* The file and offset of byte `at` of the resource fork, for messages. */
static const char *fork_file(const struct mac_file *mf, const char *path)
{
	return mf->sidecar[0] ? mf->sidecar : path;
}

static int bad(const struct mac_file *mf, const char *path, uint64_t fork_offset,
	       const char *message)
{
	fprintf(stderr, "vm68k info: %s: offset %llu: %s\n", fork_file(mf, path),
		(unsigned long long)(mf->rsrc_file_offset + fork_offset), message);
	return EXIT_BAD_INPUT;
}

static int print_resources(const struct mac_file *mf)
{
	const struct resfork *rf = &mf->fork;
	printf("resources:    %zu in %u types (fork attributes 0x%04X)\n", resfork_count(rf),
	       resfork_type_count(rf), rf->attributes);
	if (resfork_count(rf) == 0)
		return 0;
	printf("  %-6s %6s %10s  %-6s  %s\n", "type", "ID", "size", "attrs", "name");
	for (size_t i = 0; i < resfork_count(rf); i++) {
		struct resource_info r;
		resfork_at(rf, i, &r);
		char t[5], a[7];
		attr_text(r.attributes, a);
		printf("  '%s' %6d %10u  %s  ", fourcc_text(r.type, t), r.id, r.size, a);
		if (r.has_name) {
			putchar('"');
			print_mac_name(r.name, r.name_length);
			putchar('"');
		}
		putchar('\n');
	}
	printf("  (attrs: S sysHeap, P purgeable, L locked, R protected, D preload, C changed)\n");
	return 0;
}

/* SIZE resources: the partition the Process Manager gives the application
 * (Inside Macintosh: Processes, 1-65). */
static void print_size(const struct resfork *rf)
{
	static const struct {
		uint16_t bit;
		const char *name;
	} flags[] = {
	    {0x4000, "acceptSuspendResumeEvents"},
	    {0x1000, "canBackground"},
	    {0x0800, "doesActivateOnFGSwitch"},
	    {0x0400, "onlyBackground"},
	    {0x0200, "getFrontClicks"},
	    {0x0100, "acceptAppDiedEvents"},
	    {0x0080, "is32BitCompatible"},
	    {0x0040, "isHighLevelEventAware"},
	    {0x0020, "localAndRemoteHLEvents"},
	    {0x0010, "isStationeryAware"},
	    {0x0008, "useTextEditServices"},
	};
	for (unsigned i = 0;; i++) {
		struct resource_info r;
		if (!resfork_at_of_type(rf, SIZE_TYPE, i, &r))
			break;
		if (r.size < 10) {
			printf("SIZE %-6d  %u bytes: too short for flags and two sizes\n", r.id,
			       r.size);
			continue;
		}
		const uint8_t *d = r.data;
		uint16_t f = (uint16_t)(d[0] << 8 | d[1]);
		uint32_t preferred =
		    (uint32_t)d[2] << 24 | (uint32_t)d[3] << 16 | (uint32_t)d[4] << 8 | d[5];
		uint32_t minimum =
		    (uint32_t)d[6] << 24 | (uint32_t)d[7] << 16 | (uint32_t)d[8] << 8 | d[9];
		printf("SIZE %-6d  preferred %u bytes, minimum %u bytes, flags 0x%04X", r.id,
		       preferred, minimum, f);
		for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++)
			if (f & flags[k].bit)
				printf(" %s", flags[k].name);
		putchar('\n');
	}
}

/* The traps segment id calls (host/codescan.c), from its jump table entries
 * and its start, as lines of names under the segment's. */
static void print_traps(const uint8_t *c0, const struct code0_info *info, int16_t id,
			const uint8_t *code, size_t len)
{
	uint32_t entries[256];
	size_t n = 0;
	bool far_mode = false;
	for (unsigned i = 0; i < info->entry_count; i++) {
		struct jt_entry e;
		code0_entry(c0, info, i, &far_mode, &e);
		if ((e.kind == JT_NEAR || e.kind == JT_FAR) && e.segment == (unsigned)id &&
		    n < sizeof entries / sizeof entries[0])
			entries[n++] = e.offset;
	}
	static struct code_traps t;
	if (!code_traps_scan(code, len, entries, n, &t)) {
		printf("              traps: not scanned (out of memory)\n");
		return;
	}
	printf("              traps (%zu):", t.count);
	unsigned col = 26;
	for (size_t k = 0; k < t.count; k++) {
		const char *name = toolbox_trap_name(t.words[k]);
		char item[64];
		int w = snprintf(item, sizeof item, " %04X %s%s", t.words[k],
				 name ? name : "(unknown)", k + 1 < t.count ? "," : "");
		if (col + (unsigned)w > 96) {
			printf("\n             "); /* each item starts with a space */
			col = 13;
		}
		fputs(item, stdout);
		col += (unsigned)w;
	}
	if (t.count == 0)
		printf(" none");
	putchar('\n');
}

static int print_code(const struct mac_file *mf, const char *path)
{
	const struct resfork *rf = &mf->fork;
	struct resource_info c0;
	char msg[300];
	struct resfork_error err;
	if (!resfork_find(rf, CODE_TYPE, 0, &c0)) {
		printf("CODE 0:       none (not an application's jump table)\n");
		return 0;
	}
	struct code0_info info;
	if (!code0_parse(c0.data, c0.size, &info, &err))
		return bad(mf, path, c0.data_offset + err.offset, err.message);
	printf("CODE 0:       above A5 %u bytes, below A5 (globals) %u bytes, jump table %u bytes "
	       "at A5+%u, %u entries\n",
	       info.above_a5, info.below_a5, info.jt_size, info.jt_offset, info.entry_count);
	bool far_mode = false;
	for (unsigned i = 0; i < info.entry_count; i++) {
		struct jt_entry e;
		code0_entry(c0.data, &info, i, &far_mode, &e);
		uint32_t at = c0.data_offset + 16 + 8 * i;
		printf("  A5+%-6u ", e.a5_offset);
		if (e.kind == JT_FAR_FLAG) {
			printf("far-model flag entry: far entries follow\n");
			continue;
		}
		if (e.kind == JT_UNRECOGNIZED) {
			const uint8_t *w = c0.data + 16 + 8 * i;
			printf("unrecognized entry %02X%02X %02X%02X %02X%02X %02X%02X\n", w[0],
			       w[1], w[2], w[3], w[4], w[5], w[6], w[7]);
			continue;
		}
		printf("segment %-5u offset 0x%X%s\n", e.segment, e.offset,
		       e.kind == JT_FAR ? " (far)" : "");
		struct resource_info seg;
		if (!resfork_find(rf, CODE_TYPE, (int16_t)e.segment, &seg) || e.segment == 0) {
			snprintf(
			    msg, sizeof msg,
			    "jump table entry %u names segment %u: expected a CODE %u resource", i,
			    e.segment, e.segment);
			return bad(mf, path, at, msg);
		}
		struct code_header h;
		if (!code_segment_parse(seg.data, seg.size, &h, &err))
			return bad(mf, path, seg.data_offset + err.offset, err.message);
		uint64_t code_size = seg.size - h.header_size;
		if (e.offset >= code_size) {
			snprintf(
			    msg, sizeof msg,
			    "jump table entry %u: offset 0x%X is past the end of CODE %u (%llu "
			    "bytes of code)",
			    i, e.offset, e.segment, (unsigned long long)code_size);
			return bad(mf, path, at, msg);
		}
	}
	for (unsigned i = 0;; i++) {
		struct resource_info seg;
		if (!resfork_at_of_type(rf, CODE_TYPE, i, &seg))
			break;
		if (seg.id == 0)
			continue;
		struct code_header h;
		if (!code_segment_parse(seg.data, seg.size, &h, &err))
			return bad(mf, path, seg.data_offset + err.offset, err.message);
		printf("CODE %-6d  %u bytes", seg.id, seg.size);
		if (seg.has_name) {
			printf(" \"");
			print_mac_name(seg.name, seg.name_length);
			putchar('"');
		}
		if (!h.far) {
			printf(", near model: jump table entries from A5+%u, %u entries\n",
			       info.jt_offset + h.first_entry, h.entry_count);
			if ((uint64_t)h.first_entry + 8ull * h.entry_count > info.jt_size) {
				snprintf(
				    msg, sizeof msg,
				    "CODE %d header: %u jump table entries from offset %u run past "
				    "the jump table (%u bytes)",
				    seg.id, h.entry_count, h.first_entry, info.jt_size);
				return bad(mf, path, seg.data_offset, msg);
			}
		} else {
			printf(", far model: near entries %u at A5+%u, far entries %u at A5+%u,\n"
			       "              A5 relocations at 0x%X (link A5 0x%X), segment "
			       "relocations at 0x%X (link address 0x%X)\n",
			       h.near_entry_count, h.near_entry_offset, h.far_entry_count,
			       h.far_entry_offset, h.a5_reloc_offset, h.link_a5, h.seg_reloc_offset,
			       h.link_load_address);
		}
		print_traps(c0.data, &info, seg.id, seg.data + h.header_size,
			    seg.size - h.header_size);
	}
	return 0;
}

int cmd_info(const struct run_config *cfg)
{
	struct mac_file mf;
	char err[600];
	if (!macfile_load(cfg->app, &mf, err, sizeof err)) {
		fprintf(stderr, "vm68k info: %s\n", err);
		return EXIT_BAD_INPUT;
	}
	char t[5], c[5];
	printf("file:         %s\n", cfg->app);
	printf("container:    %s\n", macfile_container_name(mf.container));
	if (mf.sidecar[0])
		printf("resource fork from: %s\n", mf.sidecar);
	printf("name:         \"");
	print_mac_name((const uint8_t *)mf.name, mf.name_length);
	printf("\"\n");
	if (mf.has_finder_info) {
		printf("type/creator: '%s' '%s'\n", fourcc_text(mf.type, t),
		       fourcc_text(mf.creator, c));
		printf("Finder flags: ");
		print_finder_flags(mf.finder_flags);
	} else {
		printf("type/creator: unknown (no Finder info in this container)\n");
	}
	printf("data fork:    %zu bytes\n", mf.data_length);
	printf("resource fork: %zu bytes", mf.rsrc_length);
	if (mf.has_fork)
		printf(" (data %u bytes at %u, map %u bytes at %u)", mf.fork.data_length,
		       mf.fork.data_offset, mf.fork.map_length, mf.fork.map_offset);
	putchar('\n');
	int status = 0;
	if (mf.has_fork) {
		print_resources(&mf);
		print_size(&mf.fork);
		status = print_code(&mf, cfg->app);
	}
	fflush(stdout);
	macfile_free(&mf);
	return status;
}
