/* toolbox: trap implementations in C. This header is the module's face:
 * the resource fork parser and writer (toolbox/resfork.c), CODE resource
 * decoding (toolbox/segments.c), the Mac machine that runs an application
 * (toolbox/machine.c: low memory, trap dispatcher, Segment Loader, OS
 * Utilities) on a pager and a CPU, and the Memory Manager (toolbox/memory/,
 * interface in toolbox/memory/memory.h). */
#ifndef VM68K_TOOLBOX_H
#define VM68K_TOOLBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- Resource forks (Inside Macintosh: More Macintosh Toolbox, 1-121) ---- */

/* Resource attribute bits, as in the reference list entry. */
enum {
	resSysHeap = 64,   /* read into the system heap */
	resPurgeable = 32, /* purgeable */
	resLocked = 16,	   /* locked */
	resProtected = 8,  /* protected */
	resPreload = 4,	   /* read in at OpenResFile */
	resChanged = 2,	   /* written back at UpdateResFile (never set on disk) */
};

/* Fork (map) attribute bits. */
enum {
	mapReadOnly = 128,
	mapCompact = 64,
	mapChanged = 32,
};

/* Why a fork was refused: the byte offset inside the fork and what was
 * expected there. Callers add the fork's offset in its file. */
struct resfork_error {
	uint32_t offset;
	char message[200];
};

/* A validated resource fork. It points into the caller's buffer, which must
 * outlive it; every offset below was checked by resfork_open(). */
struct resfork {
	const uint8_t *bytes;
	size_t len;
	uint32_t data_offset, map_offset, data_length, map_length;
	uint16_t attributes; /* fork attributes (map offset 22) */
	uint32_t type_list;  /* absolute offset of the type count word */
	uint32_t name_list;  /* absolute offset of the name list */
	unsigned type_count;
	size_t resource_count;
};

/* One resource, as the map describes it. */
struct resource_info {
	uint32_t type; /* four characters, big-endian ('CODE' = 0x434F4445) */
	int16_t id;
	uint8_t attributes; /* res* bits */
	bool has_name;
	uint8_t name_length;
	const uint8_t *name;  /* Mac Roman bytes, not NUL-terminated; NULL if none */
	uint32_t data_offset; /* absolute offset in the fork of the first data byte */
	uint32_t size;	      /* bytes of data */
	const uint8_t *data;
};

/* Validates the fork in buf[0..len) (header, map, type and reference lists,
 * names, every data entry; no duplicate types or IDs) and fills rf.
 * Returns false and fills err (offset + expectation) if it is malformed. */
bool resfork_open(struct resfork *rf, const uint8_t *buf, size_t len, struct resfork_error *err);

/* Number of resource types in the fork. */
unsigned resfork_type_count(const struct resfork *rf);

/* The index'th type (0-based) and its resource count; false if out of range. */
bool resfork_type_at(const struct resfork *rf, unsigned index, uint32_t *type, unsigned *count);

/* Number of resources of all types. */
size_t resfork_count(const struct resfork *rf);

/* The index'th resource (0-based, in map order); false if out of range. */
bool resfork_at(const struct resfork *rf, size_t index, struct resource_info *out);

/* The index'th (0-based) resource of one type; false if there is none. */
bool resfork_at_of_type(const struct resfork *rf, uint32_t type, unsigned index,
			struct resource_info *out);

/* Looks a resource up by type and ID; false if there is none. */
bool resfork_find(const struct resfork *rf, uint32_t type, int16_t id, struct resource_info *out);

/* Looks a resource up by type and name (exact bytes); false if there is none. */
bool resfork_find_named(const struct resfork *rf, uint32_t type, const uint8_t *name,
			size_t name_length, struct resource_info *out);

/* A resource to write with resfork_build(). */
struct resource_spec {
	uint32_t type;
	int16_t id;
	uint8_t attributes;
	const char *name; /* NULL for none; at most 255 bytes */
	const uint8_t *data;
	uint32_t size;
};

/* Builds a resource fork holding res[0..n) (types in order of first
 * appearance), as the Resource Manager lays it out: 256-byte header area,
 * data, then the map. Returns a malloc'd buffer and its length in *len, or
 * NULL on a duplicate type/ID, an over-long name, a fork past 16 MiB of data
 * or no memory. */
uint8_t *resfork_build(const struct resource_spec *res, size_t n, size_t *len);

/* Writes a four-character code into out[5] as text, with unprintable bytes
 * as '?'; returns out. */
char *fourcc_text(uint32_t code, char out[5]);

/* ---- CODE resources (Inside Macintosh: Processes, ch. 7; Mac OS Runtime
 * Architectures, ch. 10 for the far model) ---- */

/* The header of CODE 0, which describes the A5 world. */
struct code0_info {
	uint32_t above_a5;    /* bytes from A5 up: application parameters + jump table */
	uint32_t below_a5;    /* application and QuickDraw globals */
	uint32_t jt_size;     /* bytes of jump table */
	uint32_t jt_offset;   /* jump table's offset from A5: always 32 */
	unsigned entry_count; /* jt_size / 8 */
};

/* Checks CODE 0's header against its size (jump table inside it, 8-byte
 * entries, offset 32, above-A5 area large enough). Offsets in err are
 * within the resource. Returns false if malformed. */
bool code0_parse(const uint8_t *d, size_t len, struct code0_info *out, struct resfork_error *err);

enum jt_kind {
	JT_NEAR,	 /* offset, MOVE.W #seg,-(SP) (0x3F3C), seg, _LoadSeg (0xA9F0) */
	JT_FAR_FLAG,	 /* 0x0000 0xFFFF 0x0000 0x0000: far-model entries follow */
	JT_FAR,		 /* seg, _LoadSeg (0xA9F0), 32-bit offset */
	JT_UNRECOGNIZED, /* none of these (e.g. a jump table saved in its loaded state) */
};

/* One unloaded jump table entry. */
struct jt_entry {
	enum jt_kind kind;
	uint32_t a5_offset; /* where the entry is, from A5 */
	uint16_t segment;
	uint32_t offset; /* routine's offset in the segment (near: after the 4-byte header) */
};

/* Decodes jump table entry index (0-based) of a CODE 0 checked by
 * code0_parse(); far_mode tracks whether a far-model flag entry was seen
 * earlier (start at false, decode in order). Returns false if out of range. */
bool code0_entry(const uint8_t *d, const struct code0_info *info, unsigned index, bool *far_mode,
		 struct jt_entry *out);

/* The header of a CODE segment other than 0. */
struct code_header {
	bool far;	      /* 0xFFFF far-model header (40 bytes) */
	uint32_t header_size; /* 4 or 40 */
	/* near model */
	uint16_t first_entry; /* offset of its first jump table entry, from the jump table */
	uint16_t entry_count;
	/* far model */
	uint32_t near_entry_offset, near_entry_count, far_entry_offset, far_entry_count;
	uint32_t a5_reloc_offset, link_a5, seg_reloc_offset, link_load_address;
};

/* Reads a CODE segment's header, near or far. Returns false (err: offset in
 * the resource, expectation) if the segment is too short for it. */
bool code_segment_parse(const uint8_t *d, size_t len, struct code_header *out,
			struct resfork_error *err);


/* ---- Running an application (toolbox/machine.c) ---- */

struct pager;
struct cpu;

/* What DebugStr and Debugger do (--debugstr). */
enum toolbox_debugstr { DEBUGSTR_LOG, DEBUGSTR_BREAK, DEBUGSTR_IGNORE };

enum toolbox_event { TOOLBOX_EV_PRIVILEGED, TOOLBOX_EV_TRAP };

struct toolbox_config {
	int cpu_model;		 /* enum cpu_model (guest/guest.h) */
	bool vm;		 /* virtual memory on: applications run in user mode */
	enum toolbox_debugstr debugstr;
	uint64_t max_instructions; /* 0: no limit */
	const uint8_t *rsrc;	   /* the application's resource fork (must outlive the machine) */
	size_t rsrc_len;
	const uint8_t *name; /* the application's name, Pascal string (CurApName) */
	/* Where the machine's text goes (one line, no newline), and where it
	 * reports its PC and instruction count now and then. */
	void (*log)(void *ctx, const char *line);
	void (*progress)(void *ctx, uint32_t pc, uint64_t instructions);
	/* Machine events for --trace (NULL: none): a privileged instruction
	 * emulated at pc, or a trap word (addr) dispatched at pc. */
	void (*event)(void *ctx, enum toolbox_event kind, uint32_t pc, uint32_t addr);
	bool trace_traps;	/* also report every trap (event TOOLBOX_EV_TRAP) */
	uint64_t report_every; /* instructions between progress calls (0: 65536) */
	unsigned defer_table_size; /* VM's deferred user function table (0: 32 entries) */
	void *ctx;
	/* The debugger (toolbox/debugger/), on when debugger is true: it takes
	 * the guest's stops. Commands come from debugger_script (batch: run
	 * in order across stops; the run ends when they run out) or, when
	 * that is NULL, from console_in_fd. Its lines go to console_out, or
	 * to log when that is NULL; console_prompt shows the prompt (text
	 * without a newline). */
	bool debugger;
	bool debugger_at_start; /* --debugger */
	const char *debugger_script;
	int console_in_fd;
	void (*console_out)(void *ctx, const char *line);
	void (*console_prompt)(void *ctx, const char *text, size_t len);
	const char *const *watch; /* --watch ADDR[:LEN] specs, set before the run */
	unsigned nwatch;
	/* The File Manager's channel to the host (toolbox/files.h); without
	 * one, File Manager calls answer nsvErr. */
	bool has_channel;
	int channel_fd;
	/* The application's file on a --volume-rw volume (app_vref < 0; 0:
	 * none): its Mac pathname from the root (Pascal string). Its resource
	 * file is then opened there, writable, instead of read from rsrc. */
	int16_t app_vref;
	uint8_t app_path[256];
	uint32_t rnd_seed; /* the low-memory RndSeed ($156) at launch (--seed) */
};

/* How a run ended. status is an enum vm68k_exit value (host/host.h). */
struct toolbox_result {
	int status;
	char reason[200]; /* "ExitToShell", "Unimplemented trap A9xx (Name) at PC ..." */
	uint32_t pc;
	uint64_t instructions;
	double seconds;
	uint64_t traps, native_calls, patched_calls, privileged_emulated, sysbeeps;
	uint64_t segment_loads, segment_reads;
	/* interrupt-time code (toolbox/interrupts.c) */
	uint64_t interrupts, vbl_runs, tm_runs, deferred_fns, deferred_latency_max_ns,
	    deferred_latency_avg_ns, page_waits, guest_ns;
};

struct toolbox;

/* Builds the machine in the setup phase (before the sandbox filter: it
 * maps the toolbox ROM with memfd_create + mmap): low memory, trap tables,
 * exception vectors, the heaps, the application's A5 world and CODE 0 jump
 * table. Returns NULL with one line in err, and *bad_input true if the
 * application is at fault (e.g. a malformed CODE 0) rather than the
 * configuration (e.g. too little RAM). */
struct toolbox *toolbox_create(struct pager *p, const struct toolbox_config *cfg,
			       bool *bad_input, char *err, size_t errlen);
/* Runs the application until ExitToShell, a system error, an unhandled
 * exception, an unimplemented trap or the instruction limit; fills *out.
 * Returns out->status. */
int toolbox_run(struct toolbox *tb, struct toolbox_result *out);
/* Frees the machine (not the pager). NULL is allowed. */
void toolbox_destroy(struct toolbox *tb);
/* The name of a trap word ("NewPtr", "DebugStr"), or NULL if the trap
 * table does not know it. */
const char *toolbox_trap_name(uint16_t word);
/* ---- Memory Manager: see toolbox/memory/memory.h ---- */
#include "toolbox/memory/memory.h"

/* Prints the fixed layout of the machine `vm68k run APP` builds inside
 * logical RAM and the toolbox ROM's place (for `vm68k map`). */
void toolbox_print_layout(FILE *out, unsigned addressing, uint64_t ram_bytes);

#endif
