/* The wire between the host and the sandboxed guest process: messages on the
 * channel (a SOCK_SEQPACKET socketpair), trace records on a pipe, and a shared
 * status page. The host knows the child only through this header. */
#ifndef VM68K_HOST_PROTOCOL_H
#define VM68K_HOST_PROTOCOL_H

#include <stdint.h>

/* Bumped when any structure below changes shape; the child sends it in
 * MSG_READY and the host refuses a child that speaks another version. */
#define VM68K_PROTOCOL_VERSION 3

/* The channel is SOCK_SEQPACKET: one write is one message, delivered whole
 * and never interleaved with another, even when the child's SIGSYS handler
 * writes in the middle of the interpreter's own traffic. Native byte order:
 * both ends are the same binary on the same machine. */
#define MSG_MAX 65536 /* largest message, header included */
#define MSG_REQUEST_FIRST 0x100
#define MSG_REQUEST_LAST 0x1ff
#define MSG_REPLY(request) ((request) + 0x100)

struct msg_header {
	uint32_t type;	 /* enum msg_type */
	uint32_t length; /* payload bytes after the header */
};

enum msg_type {
	/* child → host */
	MSG_READY = 1,	   /* struct msg_ready: filter loaded, guest code may run */
	MSG_LOG = 2,	   /* text of one line, not NUL-terminated, no newline */
	MSG_STATS = 3,	   /* struct msg_stat[]: named counters for --stats */
	MSG_FATAL = 4,	   /* struct msg_fatal: the child is dying of a fault */
	MSG_EXIT = 5,	   /* struct msg_exit: the child is about to exit */
	MSG_VIOLATION = 6, /* struct msg_violation: a refused system call */
	/* Requests (child → host) are 0x100-0x1ff and get exactly one reply
	 * (host → child): the request's type + 0x100, or MSG_ERROR. */
	MSG_PING = 0x100, /* any payload, echoed back in MSG_PONG */
	MSG_PONG = 0x200,
	/* File Manager requests 0x120-0x13f, served by host/volumes.c: see
	 * "File Manager" below for the payloads. */
	MSG_FM_VOLUME = 0x120,	     /* fm_volume_req → fm_volume_reply */
	MSG_FM_OPEN = 0x121,	     /* fm_path_req → fm_open_reply */
	MSG_FM_READ = 0x122,	     /* fm_io_req → fm_io_reply + data */
	MSG_FM_WRITE = 0x123,	     /* fm_io_req + data → fm_io_reply */
	MSG_FM_CLOSE = 0x124,	     /* fm_fork_req → fm_fork_reply */
	MSG_FM_GET_EOF = 0x125,	     /* fm_fork_req → fm_fork_reply */
	MSG_FM_SET_EOF = 0x126,	     /* fm_fork_req (value) → fm_fork_reply */
	MSG_FM_GET_FPOS = 0x127,     /* fm_fork_req → fm_fork_reply */
	MSG_FM_SET_FPOS = 0x128,     /* fm_fork_req (pos_mode, value) → fm_fork_reply */
	MSG_FM_CREATE = 0x129,	     /* fm_path_req (finder_info: type, creator) → fm_reply */
	MSG_FM_DELETE = 0x12a,	     /* fm_path_req → fm_reply */
	MSG_FM_GET_CAT_INFO = 0x12b, /* fm_path_req (index) → fm_cat_reply */
	MSG_FM_SET_FINFO = 0x12c,    /* fm_path_req (finder_info) → fm_reply */
	MSG_FM_DIR_CREATE = 0x12d,   /* fm_path_req → fm_reply (value: new dirID) */
	MSG_FM_RENAME = 0x12e,	     /* fm_rename_req → fm_reply */
	MSG_FM_FIRST = MSG_FM_VOLUME,
	MSG_FM_LAST = MSG_FM_RENAME,
	MSG_ERROR = 0x2ff, /* struct msg_error: the request was not served */
};

struct msg_ready {
	uint32_t version; /* VM68K_PROTOCOL_VERSION */
	uint32_t pid;
};

struct msg_stat {
	char name[32]; /* NUL-terminated counter name, e.g. "page_ins" */
	uint64_t value;
};

/* Flags of msg_fatal and msg_exit. */
#define MSG_HAVE_PC 1u	 /* guest_pc is meaningful */
#define MSG_HAVE_ADDR 2u /* guest_addr is meaningful */

/* Sent by the child's last-chance signal handler (after the pager declined
 * the fault) just before it lets the signal kill it. */
struct msg_fatal {
	int32_t signal;
	uint32_t flags;
	uint32_t guest_pc;
	uint32_t guest_addr;
	uint64_t host_addr; /* si_addr of the fault */
};

/* Sent before a deliberate exit: status is the process exit status the child
 * is about to use (an enum vm68k_exit value), reason a line such as
 * "System error 112 (dsVMDeferredFuncTableFull)". */
struct msg_exit {
	int32_t status;
	uint32_t flags;
	uint32_t guest_pc;
	uint32_t guest_addr;
	char reason[200]; /* NUL-terminated */
};

/* Sent by the child's SIGSYS handler: the seccomp filter refused a call. */
struct msg_violation {
	int32_t nr;	    /* system call number, as in si_syscall */
	uint32_t arch;	    /* AUDIT_ARCH_* of the call, as in si_arch */
	uint64_t call_addr; /* host address of the instruction after the call */
	uint64_t args[6];   /* arguments, when the architecture lets us read them */
	uint32_t have_args;
	uint32_t pad;
};

struct msg_error {
	uint32_t request; /* type of the request refused */
	int32_t error;	  /* errno value */
};

/* ---- File Manager ----
 * The guest's File Manager (toolbox/files_client.c) asks, the host
 * (host/volumes.c) owns the files. Every payload below has a fixed size, is
 * checked field by field by the host (a request of the wrong size, an
 * unknown refnum, a count over FM_IO_MAX, a name longer than its length
 * field allows... is answered with paramErr or rfNumErr, never trusted), and
 * every reply starts with `int32_t result`: noErr or a negative OSErr
 * (Inside Macintosh: Files, "Result Codes"). Names are Mac names in Mac
 * Roman: partial paths with ':' as in the Mac's own calls; the host maps
 * them to host names (vm68k(1), "VOLUMES"). */
#define FM_NAME_MAX 255	  /* bytes of a Mac pathname in one request */
#define FM_IO_MAX 61440u  /* bytes of file data in one read or write message (15 pages) */
#define FM_FINDER_INFO 32 /* FInfo/DInfo (16 bytes) then FXInfo/DXInfo (16 bytes) */

/* Forks of fm_path_req.fork. */
enum { FM_DATA_FORK = 0, FM_RSRC_FORK = 1 };

/* Open permissions are the Mac's ioPermssn values, 0 (fsCurPerm) to 4
 * (fsRdWrShPerm); positioning modes the low two bits of ioPosMode, 0
 * (fsAtMark) to 3 (fsFromMark), with bit 7 asking for newline mode and the
 * newline character in bits 8-15. Their Apple names are in toolbox/files.h. */
#define FM_PERMISSION_MAX 4
#define FM_NEWLINE_MODE 0x80u

/* Bits of fm_path_req.flags for MSG_FM_SET_FINFO. */
#define FM_SET_FINFO 1u	 /* finder_info[0..15]: FInfo (type, creator, flags, location, fldr) */
#define FM_SET_FXINFO 2u /* finder_info[16..31]: FXInfo */
/* ...and for MSG_FM_GET_CAT_INFO with an index > 0: count files only, as
 * PBHGetFInfo's ioFDirIndex does (PBGetCatInfo counts directories too). */
#define FM_INDEX_FILES 4u

/* A call naming a file or directory the HFS way: a volume (vref < 0; 0
 * means "the volume a full pathname names"), a directory ID (0 or 2: the
 * root) and a partial or full pathname relative to it. */
struct fm_path_req {
	int16_t vref;
	int16_t index;	   /* GET_CAT_INFO: > 0 the nth entry of the directory,
			    * 0 by name, < 0 the directory itself (name ignored) */
	uint32_t dir_id;
	uint8_t fork;	   /* OPEN: FM_DATA_FORK or FM_RSRC_FORK */
	uint8_t permission; /* OPEN: 0..FM_PERMISSION_MAX */
	uint8_t name_len;  /* bytes of name[] used */
	uint8_t pad;
	uint32_t flags;	   /* SET_FINFO: FM_SET_*; GET_CAT_INFO: FM_INDEX_FILES; else 0 */
	uint8_t finder_info[FM_FINDER_INFO]; /* CREATE, SET_FINFO */
	uint8_t name[FM_NAME_MAX + 1];	     /* Mac Roman, not NUL-terminated */
};

struct fm_rename_req {
	struct fm_path_req from;
	uint8_t new_len; /* a plain name (no ':'), at most 31 bytes */
	uint8_t pad[3];
	uint8_t new_name[FM_NAME_MAX + 1];
};

struct fm_reply {
	int32_t result;
	uint32_t value; /* DIR_CREATE: the new directory's ID */
};

struct fm_open_reply {
	int32_t result;	   /* opWrErr comes with the refnum of the path that has write access */
	int16_t refnum;	   /* positive; the host's own number, checked on every use */
	uint8_t permission; /* what was granted (fsCurPerm resolved to 1 or 3) */
	uint8_t pad;
	uint32_t eof;
};

struct fm_fork_req {
	int16_t refnum;
	uint16_t pos_mode; /* SET_FPOS: a positioning mode */
	int32_t offset;	   /* SET_FPOS: ioPosOffset */
	uint32_t value;	   /* SET_EOF: the new logical end of file */
};

struct fm_fork_reply {
	int32_t result;
	uint32_t eof;
	uint32_t mark;
};

/* READ and WRITE: one chunk of at most FM_IO_MAX bytes; the client splits
 * larger calls. WRITE is followed by count bytes of data. */
struct fm_io_req {
	int16_t refnum;
	uint16_t pos_mode; /* mode 0..3 | FM_NEWLINE_MODE | newline char << 8 */
	int32_t offset;
	uint32_t count;
};

/* READ is followed by `actual` bytes; result is eofErr when the read
 * stopped at the logical end of file. */
struct fm_io_reply {
	int32_t result;
	uint32_t actual;
	uint32_t mark; /* after the call */
};

/* What PBGetCatInfo / PBHGetFInfo return (Inside Macintosh: Files, CInfoPBRec). */
struct fm_cat_reply {
	int32_t result;
	uint8_t is_dir;
	uint8_t attrib;	  /* ioFlAttrib: 0 locked, 2 rsrc open, 3 data open, 4 directory, 7 open */
	uint8_t name_len;
	uint8_t pad;
	uint8_t name[32]; /* the entry's own Mac name (Str31 text) */
	uint32_t id;	  /* directory: its dirID; file: its file number */
	uint32_t parent_id;
	uint8_t finder_info[FM_FINDER_INFO];
	uint32_t data_eof, data_physical; /* physical: rounded up to 512-byte blocks */
	uint32_t rsrc_eof, rsrc_physical;
	uint32_t create_date, mod_date, backup_date; /* seconds since 1904-01-01 (UTC) */
	uint32_t valence; /* directory: entries the guest can see */
	int16_t vref;
	uint16_t pad2;
};

/* Volumes: index > 0 the nth volume, 0 the one vref names, < 0 the one
 * called name. */
struct fm_volume_req {
	int16_t vref;
	int16_t index;
	uint8_t name_len;
	uint8_t pad[3];
	uint8_t name[28];
};

struct fm_volume_reply {
	int32_t result;
	int16_t vref;
	uint8_t read_only; /* volume locked: every change is wPrErr */
	uint8_t name_len;
	uint8_t name[28];	/* Mac name, at most 27 bytes */
	uint32_t root_files;	/* ioVNmFls: files in the root directory */
	uint32_t alloc_size;	/* ioVAlBlkSiz */
	uint32_t total_blocks;	/* ioVNmAlBlks (capped at 65535 as on HFS) */
	uint32_t free_blocks;	/* ioVFrBlk (capped) */
	uint32_t create_date;
	uint32_t next_id;	/* ioVNxtCNID */
};

/* The status page: one shared page the child writes without a system call
 * (the interpreter stores the PC of each instruction it starts), which the
 * host reads after the child is gone, so even a child killed without a word
 * leaves its last PC behind. The child is not trusted: the host only prints
 * these numbers. */
#define CHILD_STATUS_MAGIC 0x766d3638u /* 'vm68' */
struct child_status {
	uint32_t magic;
	volatile uint32_t pc_valid;
	volatile uint32_t pc;
	volatile uint32_t pad;
	volatile uint64_t instructions;
};

/* The page map: a shared mapping the host makes before it forks (so the
 * child needs no descriptor and no system call for it) and the child keeps
 * current from its pager at instruction boundaries: one state byte and one
 * wrapping "touched" counter per cell, where a cell is one 4 KiB page of a
 * region the child lists (logical RAM first, then read-only regions). The
 * host draws it (host/display.c); it trusts no number in it beyond what it
 * prints or clamps. */
#define PAGEMAP_MAGIC 0x766d706du /* 'vmpm' */
#define PAGEMAP_MAX_REGIONS 8
#define PAGEMAP_EXTRA_CELLS 4096u /* cells for regions after logical RAM (16 MiB) */

enum pagemap_cell {
	PAGEMAP_UNUSED = 0,	  /* not written yet */
	PAGEMAP_NOT_RESIDENT = 1, /* logical RAM page in no frame */
	PAGEMAP_CLEAN = 2,	  /* resident, not written since paged in */
	PAGEMAP_DIRTY = 3,	  /* resident and written */
	PAGEMAP_HELD = 4,	  /* HoldMemory'd (resident, never a victim) */
	PAGEMAP_LOCKED = 5,	  /* LockMemory'd (frame fixed) */
	PAGEMAP_READ_ONLY = 6,	  /* ROM or file-mapped code: read-only, from a file */
	PAGEMAP_WATCHED = 7,	  /* under a watch point */
	PAGEMAP_CELL_KINDS
};

struct pagemap_region {
	char name[16]; /* NUL-terminated */
	uint32_t base; /* guest address of the first cell */
	uint32_t cells;
};

struct pagemap_header {
	uint32_t magic;
	uint32_t capacity;	      /* cells after the header (the host's number; neither side reads it back) */
	volatile uint32_t nregions;   /* written last by the child, after regions[] */
	uint32_t pad;
	struct pagemap_region regions[PAGEMAP_MAX_REGIONS]; /* cells in this order */
	volatile uint32_t vm_state;			   /* enum pager_vm_state */
	volatile uint32_t frames;
	volatile uint32_t resident;
	volatile uint32_t held;
	volatile uint32_t locked;
	volatile uint32_t watched;
	volatile uint64_t faults;
	volatile uint64_t page_ins;
	volatile uint64_t page_outs;
	volatile uint64_t syncs; /* bumped at each refresh by the child */
	/* followed by uint8_t state[capacity] (enum pagemap_cell), then
	 * uint8_t touched[capacity] (bumped by each fault on the cell) */
};

/* Trace records: fixed-size, so each write(2) of one record is atomic on the
 * pipe (smaller than PIPE_BUF) and the host never sees half a record from a
 * child that died mid-stream. Schema documented in vm68k-trace(5). */
enum trace_kind {
	TRACE_PAGE_IN = 1,            /* source says from where */
	TRACE_PAGE_OUT = 2,           /* a dirty page written to the backing store */
	TRACE_EVICT = 3,              /* a frame taken back (a clean page dropped) */
	TRACE_ZERO_FILL = 4,          /* first touch of a page: no I/O */
	TRACE_DIRTY = 5,              /* first write to a resident page */
	TRACE_HOLD = 6,               /* HoldMemory */
	TRACE_UNHOLD = 7,             /* UnholdMemory */
	TRACE_LOCK = 8,               /* LockMemory and its variants */
	TRACE_UNLOCK = 9,             /* UnlockMemory */
	TRACE_FATAL_PAGE_FAULT = 10,  /* a page fault that could not be serviced */
	TRACE_READ_ONLY_WRITE = 11,   /* write to ROM or file-mapped code */
	TRACE_WATCH_HIT = 12,         /* write inside a watched range */
	TRACE_PRIV_INSN = 13,         /* privileged instruction emulated in user mode */
	TRACE_TRAP = 14,              /* A-line trap entry; addr holds the trap word */
	TRACE_REFERENCE = 15,         /* a referenced bit gathered by a fault */
	TRACE_WATCH_FILTERED = 16,    /* write to a watched page, outside the range */
	TRACE_BUS_ERROR = 17,         /* access outside every region */
	TRACE_BAD_BACKING_STORE = 18, /* backing store I/O failed (dsVMBadBackingStore, 113) */
	TRACE_KIND_LIMIT
};

enum trace_source {
	TRACE_SRC_NONE = 0,
	TRACE_SRC_ZERO = 1,    /* zero-filled */
	TRACE_SRC_BACKING = 2, /* read from the backing store */
	TRACE_SRC_FILE = 3,    /* mapped from a file (code) */
};

struct trace_record {
	uint64_t time_ns; /* guest-process CLOCK_MONOTONIC nanoseconds since it started */
	uint16_t kind;	  /* enum trace_kind */
	uint16_t source;  /* enum trace_source (page-in only) */
	uint32_t pc;	  /* guest PC of the instruction that caused it */
	uint32_t addr;	  /* guest address */
	uint32_t page;	  /* guest page number (addr / 4096) */
	/* running counts after the event */
	uint32_t resident;
	uint32_t held;
	uint32_t locked;
	uint32_t pages; /* hold, unhold, lock, unlock: pages in the range; else 0 */
	uint64_t faults;
	uint64_t page_ins;
	uint64_t page_outs;
};

#endif
