/* Low-memory globals: the one table of the system globals vm68k keeps, with
 * the addresses of Inside Macintosh and Apple's SysEqu (checked against a
 * published SysEqu listing; the Toolbox trap table's $E00 is the Mac II's
 * 1024-entry placement). toolbox/machine.c sets them at launch; traps and
 * 68K code read and write them in guest memory. */
#include "config.h"

#include "toolbox/tb.h"

#include <string.h>

const struct lowmem_global lowmem_globals[] = {
    {"MemTop", MemTop, 4, "end of RAM"},
    {"BufPtr", BufPtr, 4, "top of application memory: the A5 world ends here"},
    {"StkLowPt", 0x0110, 4, "lowest stack pointer value seen (0: not checked)"},
    {"HeapEnd", HeapEnd, 4, "end of the application heap zone"},
    {"TheZone", TheZone, 4, "the current heap zone"},
    {"UTableBase", UTableBase, 4, "the unit table: DCE handles, one per unit (Device Manager)"},
    {"CPUFlag", CPUFlag, 1, "CPU: 0 68000, 1 68010, 2 68020, 3 68030, 4 68040"},
    {"ApplLimit", ApplLimit, 4, "limit of the application heap (the stack is above)"},
    {"SysVersion", SysVersion, 2, "System file version ($0755)"},
    {"RndSeed", RndSeed, 4, "random number seed (vm68k run --seed)"},
    {"SysEvtMask", SysEvtMask, 2, "events PostEvent accepts (everyEvent but keyUp)"},
    {"SysEvtBuf", SysEvtBuf, 4, "the event queue's elements (22-byte EvQEl each)"},
    {"EventQueue", EventQueue, 10, "event queue header (QHdr)"},
    {"EvtBufCnt", EvtBufCnt, 2, "elements in SysEvtBuf minus 1"},
    {"Ticks", Ticks, 4, "ticks (1/60.15 s) since start-up"},
    {"UnitNtryCnt", UnitNtryCnt, 2, "entries in the unit table"},
    {"Time", Time, 4, "seconds since midnight, 1 January 1904"},
    {"MemErr", MemErr, 2, "result of the last Memory Manager call"},
    {"SysZone", SysZone, 4, "the system heap zone"},
    {"ApplZone", ApplZone, 4, "the application heap zone"},
    {"ROMBase", ROMBase, 4, "base of the ROM (here: the toolbox ROM region)"},
    {"Lo3Bytes", Lo3Bytes, 4, "the constant $00FFFFFF"},
    {"MinStack", MinStack, 4, "minimum stack size"},
    {"DefltStack", DefltStack, 4, "default stack size"},
    {"OSDispTable", OS_TRAP_TABLE, 4, "OS trap dispatch table, 256 longs ($400-$7FF)"},
    {"ToolDispTable", TOOLBOX_TRAP_TABLE, 4,
     "Toolbox trap dispatch table, 1024 longs ($E00-$1DFF)"},
    {"CurApRefNum", CurApRefNum, 2, "reference number of the application's resource file"},
    {"CurrentA5", CurrentA5, 4, "the application's A5"},
    {"CurStackBase", CurStackBase, 4, "base (highest address) of the stack"},
    {"CurApName", CurApName, 32, "name of the application (Str31)"},
    {"CurJTOffset", CurJTOffset, 2, "offset of the jump table from A5 (32)"},
    {"AppParmHandle", AppParmHandle, 4, "handle to the Finder information (0: none)"},
    {"DSErrCode", DSErrCode, 2, "last system error"},
    {"TopMapHndl", TopMapHndl, 4, "the newest resource map: head of the resource chain"},
    {"SysMapHndl", SysMapHndl, 4, "the System file's resource map (0: vm68k has none)"},
    {"SysMap", SysMap, 2, "the System file's reference number (0: none)"},
    {"CurMap", CurMap, 2, "reference number of the current resource file"},
    {"ResLoad", ResLoad, 1, "Boolean: GetResource and friends read the data"},
    {"ResErr", ResErr, 2, "result of the last Resource Manager call"},
};
const unsigned lowmem_global_count = sizeof lowmem_globals / sizeof lowmem_globals[0];

uint16_t lm_addr(const char *name)
{
	for (unsigned i = 0; i < lowmem_global_count; i++)
		if (strcmp(lowmem_globals[i].name, name) == 0)
			return lowmem_globals[i].addr;
	return 0;
}
