/* toolbox-internal: the running Mac machine shared by the trap dispatcher,
 * the native trap implementations, low memory and the Segment Loader.
 * Not part of the module's face (toolbox/toolbox.h). */
#ifndef VM68K_TOOLBOX_TB_H
#define VM68K_TOOLBOX_TB_H

#include <stdbool.h>
#include <stdint.h>

#include "guest/guest.h"
#include "guest/mem.h"
#include "pager/pager.h"
#include "toolbox/toolbox.h"
#include "toolbox/vmint.h"

/* ---- Guest memory layout (see toolbox/machine.c for why) ---- */
enum {
	OS_TRAP_TABLE = 0x0400,	       /* OSDispTable: 256 longs, $400-$7FF */
	TOOLBOX_TRAP_TABLE = 0x0E00,   /* 1024 longs, $E00-$1DFF */
	SUPERVISOR_STACK_TOP = 0x3000, /* $2000-$2FFF: exception frames under VM */
	SYSTEM_HEAP = 0x3000,	       /* SysZone starts here */
	SYSTEM_HEAP_SIZE = 0x10000,    /* 64 KiB: nothing of a System file lives there */
	ROM_SIZE = 0x10000,
};

/* Mixed Mode (Inside Macintosh: PowerPC System Software, ch. 2). */
enum {
	_MixedModeMagic = 0xAAFE,
	kRoutineDescriptorVersion = 7,
	kM68kISA = 0,
	kVM68KNativeISA = 0x56, /* 'V': vm68k's own ISA, a C function by index */
	kPascalStackBased = 0,
	kCStackBased = 1,
	kRegisterBased = 2,
	kNoByteCode = 0,
	kOneByteCode = 1,
	kTwoByteCode = 2,
	kFourByteCode = 3,
	kRegisterD0 = 0,
	kRegisterD1 = 1,
	kRegisterD2 = 2,
	kRegisterA0 = 4,
	kRegisterA1 = 5,
	RD_SIZE = 32, /* 12-byte header + one 20-byte RoutineRecord */
};
#define RESULT_SIZE(n) ((uint32_t)(n) << 4)
#define STACK_ROUTINE_PARAMETER(k, n) ((uint32_t)(n) << (6 + ((k)-1) * 2))
#define REGISTER_RESULT_LOCATION(r) ((uint32_t)(r) << 6)
#define REGISTER_ROUTINE_PARAMETER(k, r, n) ((uint32_t)((n) | (r) << 2) << (11 + ((k)-1) * 5))

/* One call of a native routine. */
struct tb_call {
	uint16_t word; /* the trap word (OS traps: D1.W, as the dispatcher left it) */
	uint32_t proc_info;
	bool os;	 /* register-based OS trap */
	gaddr args;	 /* stack-based: the last-pushed parameter */
	gaddr result;	 /* stack-based: the caller's room for the result */
	uint32_t popped; /* bytes of parameters the routine removes */
};

struct toolbox;
typedef void (*tb_native_fn)(struct toolbox *tb, struct tb_call *call);

/* One row of the trap description table (toolbox/traps.def). */
struct trap_desc {
	uint16_t word;
	const char *name;
	uint32_t proc_info;
	tb_native_fn fn; /* NULL: known by name only (unimplemented) */
};
extern const struct trap_desc trap_descs[];
extern const unsigned trap_desc_count;

#define SEGMENTS_MAX 256

struct toolbox {
	struct toolbox_config cfg;
	struct cpu cpu;
	struct pager *pager;
	uint8_t *mem;
	uint32_t mask;
	gaddr rom;	      /* base of the toolbox ROM region */
	gaddr rd_base;	      /* routine descriptors: RD i at rd_base + i * RD_SIZE */
	gaddr unimpl_rd;      /* the Unimplemented routine's descriptor */
	gaddr stub_vector;    /* exception stub for vector v at stub_vector + 2 * v */
	gaddr stub_os_return; /* a patched OS trap returns here */
	gaddr stub_gestalt_return; /* a 68K Gestalt function returns here */
	gaddr stub_gestalt_builtin; /* the Gestalt function of vm68k's own selectors */
	gaddr stub_post_event;	    /* a deferred PostEvent is made here (toolbox/events.c) */
	gaddr stub_driver_call;	    /* a deferred driver call is made here (toolbox/devmgr.c) */
	gaddr stub_call_return;	   /* a 68K routine called by a native returns here */
	gaddr stub_call_pending;   /* a trap that calls 68K code returns here */
	gaddr stub_sync_return;	   /* a 68K routine a native waits for returns here */
	gaddr fm_completion;	   /* the File Manager call's completion routine (async) */
	/* tb_call68k_sync: the routines being waited for, innermost last */
	unsigned sync_depth;
	struct {
		gaddr sp; /* the stack pointer when it has returned */
		bool returned;
	} sync[8];
	/* stopping */
	bool stop;
	int status;
	char reason[200];
	/* time */
	uint64_t t0_ns;
	uint32_t time0;	      /* Time (seconds since 1904) at start-up */
	struct mm mm; /* the Memory Manager (toolbox/memory/) */
	/* Segment Loader */
	struct resfork fork;
	const uint8_t *code0;
	struct code0_info c0;
	gaddr a5;
	gaddr seg[SEGMENTS_MAX]; /* each CODE segment's handle, 0 before its first load */
	/* counters */
	uint64_t traps, native_calls, patched_calls, privileged_emulated, sysbeeps;
	uint64_t segment_loads, segment_reads; /* LoadSeg calls; copies read from the file */
	gaddr insn_pc;			       /* the A-line word being handled */
	uint32_t os_saved[4]; /* D1, D2, A1, A2 as the OS trap's caller had them */
	/* Gestalt selectors defined by NewGestalt: 68K functions */
	struct {
		uint32_t selector;
		gaddr proc;
	} gestalt_procs[64];
	unsigned ngestalt_procs;
	/* Event Manager queue (toolbox/events.c) */
	unsigned events_waiting; /* deferred posts not made yet */
	unsigned dev_waiting;	 /* deferred driver calls not made yet */
	uint64_t dev_deferred;	 /* driver calls VM deferred */
	uint64_t events_posted, events_deferred, events_lost;
	gaddr fault_addr;		       /* the last guest fault the pager reported */
	bool fault_read_only;
	/* for the debugger (toolbox/debugger/) */
	struct dbg *dbg;    /* NULL: no debugger */
	bool fault_fatal;   /* the last fault was a fatal page fault ... */
	char fault_reason[96]; /* ... and why */
	unsigned exc_vector; /* the exception an unhandled-exception stop took (0: none) */
	gaddr exc_frame;     /* ... and its frame on the supervisor stack */
	struct fm_client *fm; /* the File Manager's channel to the host (NULL: none) */
	struct rm_state *rm;  /* the Resource Manager's open files (toolbox/resources.c) */
	struct vmint vmint; /* interrupt-time code and VM (toolbox/vmint.h) */
};

/* Guest memory. */
static inline uint32_t rd8(struct toolbox *tb, gaddr a)
{
	return gread8(tb->mem, tb->mask, a);
}
static inline uint32_t rd16(struct toolbox *tb, gaddr a)
{
	return gread16(tb->mem, tb->mask, a);
}
static inline uint32_t rd32(struct toolbox *tb, gaddr a)
{
	return gread32(tb->mem, tb->mask, a);
}
static inline void wr8(struct toolbox *tb, gaddr a, uint32_t v)
{
	gwrite8(tb->mem, tb->mask, a, v);
}
static inline void wr16(struct toolbox *tb, gaddr a, uint32_t v)
{
	gwrite16(tb->mem, tb->mask, a, v);
}
static inline void wr32(struct toolbox *tb, gaddr a, uint32_t v)
{
	gwrite32(tb->mem, tb->mask, a, v);
}
void tb_copy_out(struct toolbox *tb, gaddr a, const uint8_t *src, uint32_t n);
void tb_zero(struct toolbox *tb, gaddr a, uint32_t n);

/* Stops the run at the next instruction boundary with an exit status and a
 * reason line. */
void tb_stop(struct toolbox *tb, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* One line of output through the host. */
void tb_log(struct toolbox *tb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An unimplemented selector of a selector-dispatched trap: stops the run. */
void tb_bad_selector(struct toolbox *tb, struct tb_call *call, int32_t selector);

/* Stack-based parameters: parameter k (1-based, in declaration order) per
 * the call's procInfo. */
gaddr tb_param_addr(const struct tb_call *call, unsigned k);
uint32_t tb_param(struct toolbox *tb, const struct tb_call *call, unsigned k);
/* Stores a function result (in the caller's room on the stack). */
void tb_result(struct toolbox *tb, const struct tb_call *call, uint32_t v);

/* dispatch.c */
int tb_aline(struct cpu *cpu, uint16_t op, void *ctx);
void tb_install_traps(struct toolbox *tb);
bool tb_is_native_rd(struct toolbox *tb, gaddr entry, unsigned *index);
void tb_gestalt_return(struct toolbox *tb);
/* events.c: sets up SysEvtBuf and an empty EventQueue (false: no memory). */
bool tb_events_init(struct toolbox *tb);
/* The ROM stub that makes a deferred PostEvent, called as 68K code. */
void tb_post_event_stub(struct toolbox *tb);
/* devmgr.c: an empty unit table at UTableBase (false: no memory). */
bool tb_devmgr_init(struct toolbox *tb);
/* The ROM stub that makes a deferred driver call, called as 68K code. */
void tb_driver_call_stub(struct toolbox *tb);
/* _Open of a '.' name: opens the installed driver of that name (true), or
 * false to leave the call to the File Manager. */
bool tb_dev_open(struct toolbox *tb, struct tb_call *call);
/* _Close/_Read/_Write with a negative ioRefNum: the driver's call (true),
 * or false for a file refnum. */
bool tb_dev_refnum_call(struct toolbox *tb, struct tb_call *call);
/* The ROM's Gestalt function for built-in selectors, called as 68K code. */
void tb_gestalt_builtin(struct toolbox *tb);
/* memtraps.c: points the Memory Manager's grow-zone and purge warning hooks
 * at 68K calls (after mm_init). */
void tb_mm_hooks(struct toolbox *tb);

/* lowmem.c */
struct lowmem_global {
	const char *name;
	uint16_t addr;
	uint8_t size; /* bytes */
	const char *meaning;
};
extern const struct lowmem_global lowmem_globals[];
extern const unsigned lowmem_global_count;
/* The address of a low-memory global by name (0 if the table lacks it). */
uint16_t lm_addr(const char *name);
enum {
	MemTop = 0x0108,
	BufPtr = 0x010C,
	HeapEnd = 0x0114,
	TheZone = 0x0118,
	UTableBase = 0x011C,
	CPUFlag = 0x012F,
	ApplLimit = 0x0130,
	RndSeed = 0x0156, /* Inside Macintosh: "random number seed" (long) */
	SysVersion = 0x015A,
	SysEvtMask = 0x0144,
	SysEvtBuf = 0x0146,
	EventQueue = 0x014A,
	EvtBufCnt = 0x0154,
	Ticks = 0x016A,
	UnitNtryCnt = 0x01D2,
	Time = 0x020C,
	MemErr = 0x0220,
	SysZone = 0x02A6,
	ApplZone = 0x02AA,
	ROMBase = 0x02AE,
	Lo3Bytes = 0x031A,
	MinStack = 0x031E,
	DefltStack = 0x0322,
	CurApRefNum = 0x0900,
	CurrentA5 = 0x0904,
	CurStackBase = 0x0908,
	CurApName = 0x0910,
	CurJTOffset = 0x0934,
	AppParmHandle = 0x0AEC,
	DSErrCode = 0x0AF0,
	TopMapHndl = 0x0A50, /* the Resource Manager's (toolbox/resources.c) */
	SysMapHndl = 0x0A54,
	SysMap = 0x0A58,
	CurMap = 0x0A5A,
	ResLoad = 0x0A5E,
	ResErr = 0x0A60,
};

/* time.c (in osutil.c) */
uint32_t tb_ticks(struct toolbox *tb);

/* segload.c */
bool tb_segload_init(struct toolbox *tb, char *err, size_t errlen);

/* resources.c: opens the application's fork as the first resource file
 * (its map in the application heap, CurApRefNum, CurMap, TopMapHndl).
 * Returns false with one line in err. */
bool rm_init(struct toolbox *tb, char *err, size_t errlen);
void rm_destroy(struct toolbox *tb);
/* The Segment Loader's CODE id from the application's resource file, read
 * into its resource handle unless it is there (*read says whether it was
 * read). Returns the handle, or 0 with ResErr set. */
gaddr rm_load_code(struct toolbox *tb, int16_t id, bool *read);
/* CODE id's handle if the Resource Manager has one (loaded or purged), else 0. */
gaddr rm_code_handle(struct toolbox *tb, int16_t id);
/* Before the first instruction: the application's resource file becomes
 * its file on a read-write volume when cfg.app_vref says where. */
void rm_attach_app(struct toolbox *tb);

/* Native routines, named after the traps they implement. */
#define NATIVE(name) void native_##name(struct toolbox *tb, struct tb_call *call)
#define TRAP(word, name, info, impl) NATIVE(impl);
#define TRAP_NAME(word, name)
#include "toolbox/traps.def"
#undef TRAP
#undef TRAP_NAME

#endif
