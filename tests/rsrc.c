/* The Resource Manager through its traps: the application's own fork (refnum
 * CurApRefNum, read-only), then a resource file made on the default volume
 * (run with --volume-rw DIR): created, resources added, changed, renamed,
 * removed, written, closed, reopened read-only and read back. Reports
 * "rsrc ok" or the failed checks through DebugStr. Built and run by
 * tests/rsrc_test.sh. */
#include "macfiles.h"
#include "macresources.h"
#include "rsrc_check.h"

#define T_CODE 0x434F4445u
#define T_SIZE 0x53495A45u
#define T_TEST 0x54455354u
#define T_DATA 0x44415441u
#define RESOURCE_BIT 0x20

int main(void);

static void app_fork(void)
{
	int16_t app = CurResFile();
	uintptr_t cur_ap_refnum = 0x900; /* a low-memory global, not a C object */
	__asm__("" : "+r"(cur_ap_refnum));
	CHECK(app == *(volatile int16_t *)cur_ap_refnum, app);
	CHECK(app > 0, app);
	CHECK(Count1Types() == 2, Count1Types()); /* CODE and SIZE, from elf2mac */
	CHECK(CountTypes() == 2, CountTypes());
	int16_t ncode = Count1Resources(T_CODE);
	CHECK(ncode >= 2, ncode);
	CHECK(CountResources(T_CODE) == ncode, CountResources(T_CODE));
	CHECK(Count1Resources(T_TEST) == 0, Count1Resources(T_TEST));

	Handle size = GetResource(T_SIZE, -1);
	CHECK(size != 0 && *size != 0 && ResError() == noErr, ResError());
	CHECK(GetHandleSize(size) == 10, GetHandleSize(size));
	CHECK(HGetState(size) & RESOURCE_BIT, HGetState(size));
	CHECK(SizeResource(size) == 10, SizeResource(size));
	CHECK(MaxSizeRsrc(size) == 10, MaxSizeRsrc(size));
	CHECK(HomeResFile(size) == app, HomeResFile(size));
	CHECK(GetResAttrs(size) == 0, GetResAttrs(size));
	CHECK(GetResource(T_SIZE, -1) == size, 0); /* loaded once */
	CHECK(Get1Resource(T_SIZE, -1) == size, 0);
	int16_t id = 0;
	ResType t = 0;
	unsigned char name[256] = {9};
	GetResInfo(size, &id, &t, name);
	CHECK(id == -1 && t == T_SIZE && name[0] == 0, id);

	/* SetResLoad(false): an empty handle; LoadResource reads it. */
	SetResLoad(0);
	Handle c0 = GetResource(T_CODE, 0);
	SetResLoad(1);
	CHECK(c0 != 0 && *c0 == 0, (int32_t)(uintptr_t)c0);
	int32_t c0size = SizeResource(c0);
	CHECK(c0size >= 16, c0size);
	LoadResource(c0);
	CHECK(*c0 != 0 && GetHandleSize(c0) == c0size && ResError() == noErr, GetHandleSize(c0));
	CHECK(((int32_t *)*c0)[2] == c0size - 16, ((int32_t *)*c0)[2]); /* jump table size */
	ReleaseResource(c0);
	CHECK(ResError() == noErr, ResError());
	Handle again = GetResource(T_CODE, 0);
	CHECK(again != 0 && GetHandleSize(again) == c0size, GetHandleSize(again));

	CHECK(GetResource(T_TEST, 1) == 0 && ResError() == resNotFound, ResError());
	/* The running segment (main is in CODE 1) is the Resource Manager's
	 * handle, locked by the Segment Loader. */
	Handle seg = GetResource(T_CODE, 1);
	CHECK(seg != 0 && (HGetState(seg) & 0xA0) == 0xA0, HGetState(seg));
	uint32_t at = (uint32_t)(uintptr_t)main & 0xFFFFFF, start = (uint32_t)(uintptr_t)*seg & 0xFFFFFF;
	CHECK(at >= start && at < start + (uint32_t)GetHandleSize(seg), at); /* 24-bit: flags */
	Handle c1 = Get1IndResource(T_CODE, 1);
	CHECK(c1 != 0 && ResError() == noErr, ResError());
	CHECK(GetIndResource(T_CODE, ncode) != 0, ResError());
	CHECK(GetIndResource(T_CODE, ncode + 1) == 0 && ResError() == resNotFound, ResError());
	CHECK(GetIndResource(T_CODE, 0) == 0 && ResError() == resNotFound, ResError());
	ResType t1 = 0, t2 = 0, t3 = 1;
	GetIndType(&t1, 1);
	Get1IndType(&t2, 2);
	CHECK((t1 == T_CODE && t2 == T_SIZE) || (t1 == T_SIZE && t2 == T_CODE), t1);
	GetIndType(&t3, 3);
	CHECK(t3 == 0 && ResError() == resNotFound, ResError());

	/* DetachResource: the handle is the caller's, no longer a resource. */
	DetachResource(size);
	CHECK(ResError() == noErr, ResError());
	CHECK(HomeResFile(size) == -1 && ResError() == resNotFound, ResError());
	CHECK(GetHandleSize(size) == 10 && !(HGetState(size) & RESOURCE_BIT), HGetState(size));
	Handle fresh = GetResource(T_SIZE, -1);
	CHECK(fresh != 0 && fresh != size, 0);
	DisposeHandle(size);

	/* The application's file is read-only. */
	ChangedResource(fresh);
	CHECK(ResError() == resAttrErr, ResError());
	Handle mine = NewHandle(4);
	AddResource(mine, T_TEST, 128, PSTR("x"));
	CHECK(ResError() == addResFailed, ResError());
	RemoveResource(fresh);
	CHECK(ResError() == rmvResFailed, ResError());
	DisposeHandle(mine);

	UseResFile(0); /* no System file */
	CHECK(ResError() == resFNotFound && CurResFile() == app, ResError());
	UseResFile(999);
	CHECK(ResError() == resFNotFound, ResError());
	int16_t u = UniqueID(T_CODE);
	CHECK(u >= 128 && GetResource(T_CODE, u) == 0, u);
}

static uint32_t lm32(uintptr_t a) /* a low-memory global, not a C object */
{
	__asm__("" : "+r"(a));
	return *(volatile uint32_t *)a;
}

static int16_t lm16(uintptr_t a)
{
	__asm__("" : "+r"(a));
	return *(volatile int16_t *)a;
}

/* The chain and the map as 68K code sees them (More Macintosh Toolbox,
 * 1-122): TopMapHndl ($A50) is the newest map's handle; a map starts with
 * the fork header copy, then the next map's handle (+16), the refnum (+20),
 * the attributes (+22), the type list and name list offsets (+24, +26);
 * each reference entry ends with the resource's handle. */
static void map_layout(int16_t ref, int16_t app, Handle res, ResType type)
{
	Handle top = (Handle)lm32(0xA50);
	CHECK(top != 0 && lm16(0xA5A) == ref, lm16(0xA5A)); /* CurMap */
	unsigned char *m = (unsigned char *)*top;
	CHECK(*(int16_t *)(m + 20) == ref, *(int16_t *)(m + 20));
	Handle next = *(Handle *)(m + 16);
	CHECK(next != 0 && *(int16_t *)(*next + 20) == app, (int32_t)(uintptr_t)next);
	CHECK(*(Handle *)(*next + 16) == 0, 0); /* the application's map is the last */
	unsigned char *types = m + *(uint16_t *)(m + 24);
	CHECK(*(uint16_t *)types == 0, *(uint16_t *)types); /* one type (count - 1) */
	CHECK(*(uint32_t *)(types + 2) == type, *(uint32_t *)(types + 2));
	unsigned char *refs = types + *(uint16_t *)(types + 8);
	int found = 0;
	for (int j = 0; j <= *(uint16_t *)(types + 6); j++)
		found |= *(Handle *)(refs + 12 * j + 8) == res;
	CHECK(found, 0);
}

static Handle handle_of(const char *bytes, int n)
{
	Handle h = NewHandle(n);
	memcpy(*h, bytes, n);
	return h;
}

static void new_file(void)
{
	int16_t app = CurResFile();
	CreateResFile(PSTR("Test.rsrc"));
	CHECK(ResError() == noErr, ResError());
	CreateResFile(PSTR("Test.rsrc"));
	CHECK(ResError() == dupFNErr, ResError());
	int16_t ref = OpenResFile(PSTR("Test.rsrc"));
	CHECK(ref > 0 && ref != app && ResError() == noErr, ResError());
	CHECK(CurResFile() == ref, CurResFile());
	CHECK(Count1Types() == 0, Count1Types());
	CHECK(CountTypes() == 2, CountTypes()); /* the application's, below */
	CHECK(GetResource(T_SIZE, -1) != 0, ResError());
	CHECK(Get1Resource(T_SIZE, -1) == 0 && ResError() == resNotFound, ResError());

	Handle hello = handle_of("hello", 5);
	AddResource(hello, T_TEST, 128, PSTR("greeting"));
	CHECK(ResError() == noErr, ResError());
	CHECK(GetResAttrs(hello) & resChanged, GetResAttrs(hello));
	CHECK(HomeResFile(hello) == ref, HomeResFile(hello));
	CHECK(HGetState(hello) & RESOURCE_BIT, HGetState(hello));
	AddResource(hello, T_TEST, 200, PSTR("again"));
	CHECK(ResError() == addResFailed, ResError());
	Handle abc = handle_of("abc", 3);
	AddResource(abc, T_TEST, 129, PSTR("other"));
	Handle gone = handle_of("gone", 4);
	AddResource(gone, T_DATA, 1, PSTR(""));
	CHECK(Count1Types() == 2 && Count1Resources(T_TEST) == 2, Count1Types());
	RemoveResource(gone);
	CHECK(ResError() == noErr && Count1Resources(T_DATA) == 0, ResError());
	CHECK(Count1Types() == 1, Count1Types());
	CHECK(!(HGetState(gone) & RESOURCE_BIT), HGetState(gone));
	DisposeHandle(gone);
	map_layout(ref, app, hello, T_TEST);
	CHECK(Get1NamedResource(T_TEST, PSTR("GREETING")) == hello, ResError());
	CHECK(GetNamedResource(T_TEST, PSTR("other")) == abc, ResError());
	CHECK(Get1NamedResource(T_TEST, PSTR("nobody")) == 0 && ResError() == resNotFound,
	      ResError());
	CHECK(SizeResource(hello) == 5, SizeResource(hello));
	int16_t u = Unique1ID(T_TEST);
	CHECK(u >= 128 && u != 128 && u != 129, u);

	CHECK(GetResFileAttrs(ref) & mapChanged, GetResFileAttrs(ref));
	CHECK(GetResFileAttrs(999) == 0 && ResError() == resFNotFound, ResError());
	WriteResource(hello);
	CHECK(ResError() == noErr, ResError());
	CHECK(!(GetResFileAttrs(ref) & mapChanged), GetResFileAttrs(ref));
	CHECK(!(GetResAttrs(hello) & resChanged), GetResAttrs(hello));
	CHECK(SizeResource(hello) == 5, SizeResource(hello));
	UpdateResFile(ref);
	CHECK(ResError() == noErr, ResError());

	/* Changes after the write: new data, a new ID and name, an attribute. */
	(*abc)[0] = 'X';
	SetHandleSize(abc, 4);
	(*abc)[3] = '!';
	ChangedResource(abc);
	CHECK(ResError() == noErr && (GetResAttrs(abc) & resChanged), ResError());
	CHECK(MaxSizeRsrc(abc) == 4 && SizeResource(abc) == 3, MaxSizeRsrc(abc));
	SetResInfo(abc, 130, PSTR("renamed"));
	CHECK(ResError() == noErr, ResError());
	int16_t id;
	ResType t;
	unsigned char name[256];
	GetResInfo(abc, &id, &t, name);
	CHECK(id == 130 && t == T_TEST && pstr_equal(name, PSTR("renamed")), id);
	SetResAttrs(hello, resPurgeable);
	ChangedResource(hello);
	ReleaseResource(abc);
	CHECK(ResError() == resAttrErr, ResError()); /* changed: kept */
	CloseResFile(ref);
	CHECK(ResError() == noErr && CurResFile() == app, ResError());
	CHECK(GetResource(T_TEST, 128) == 0 && ResError() == resNotFound, ResError());
	UseResFile(ref);
	CHECK(ResError() == resFNotFound, ResError());

	/* Read back, read-only. */
	int16_t ro = OpenRFPerm(PSTR("Test.rsrc"), 0, fsRdPerm);
	CHECK(ro > 0 && ResError() == noErr, ResError());
	CHECK(Count1Types() == 1 && Count1Resources(T_TEST) == 2, Count1Resources(T_TEST));
	Handle h = Get1Resource(T_TEST, 128);
	CHECK(h != 0 && GetHandleSize(h) == 5 && memcmp(*h, "hello", 5) == 0, ResError());
	GetResInfo(h, &id, &t, name);
	CHECK(pstr_equal(name, PSTR("greeting")), name[0]);
	CHECK(GetResAttrs(h) == resPurgeable, GetResAttrs(h));
	CHECK(HGetState(h) & 0x40, HGetState(h)); /* purgeable, as its attributes say */
	Handle x = Get1Resource(T_TEST, 130);
	CHECK(x != 0 && GetHandleSize(x) == 4 && memcmp(*x, "Xbc!", 4) == 0, GetHandleSize(x));
	GetResInfo(x, &id, &t, name);
	CHECK(pstr_equal(name, PSTR("renamed")), name[0]);
	CHECK(Get1Resource(T_TEST, 129) == 0, 0);
	CHECK(GetResource(T_SIZE, -1) != 0, ResError()); /* through the chain */
	ChangedResource(h);
	CHECK(ResError() == resAttrErr, ResError());
	CHECK(GetResFileAttrs(ro) & mapReadOnly, GetResFileAttrs(ro));
	SetResFileAttrs(ro, 0); /* cannot make a read-only path writable */
	ChangedResource(h);
	CHECK(ResError() == resAttrErr, ResError());
	Handle more = NewHandle(1);
	AddResource(more, T_TEST, 5, PSTR(""));
	CHECK(ResError() == addResFailed, ResError());
	DisposeHandle(more);
	CloseResFile(ro);
	CHECK(ResError() == noErr, ResError());

	/* HOpenResFile with an explicit volume and directory. */
	int16_t rw = HOpenResFile(0, 2, PSTR("Test.rsrc"), fsRdWrPerm);
	CHECK(rw > 0 && Count1Resources(T_TEST) == 2, ResError());
	CHECK(GetResFileAttrs(rw) == 0, GetResFileAttrs(rw));
	/* mapReadOnly set by the program: changes stay in memory. */
	SetResFileAttrs(rw, mapReadOnly);
	ChangedResource(Get1Resource(T_TEST, 128));
	CHECK(ResError() == resAttrErr, ResError());
	CloseResFile(rw);

	CHECK(OpenResFile(PSTR("Missing")) == -1 && ResError() == fnfErr, ResError());
	/* A file with no resource fork has no map. */
	HFileInfo pb;
	memset(&pb, 0, sizeof pb);
	pb.ioNamePtr = (unsigned char *)PSTR("plain");
	CHECK(PBCreateSync(&pb) == noErr, pb.ioResult);
	CHECK(OpenResFile(PSTR("plain")) == -1 && ResError() == eofErr, ResError());
	HCreateResFile(0, 2, PSTR("plain"));
	CHECK(ResError() == noErr, ResError());
	int16_t p = OpenResFile(PSTR("plain"));
	CHECK(p > 0 && Count1Types() == 0, ResError());
	CloseResFile(p);
}

int main(void)
{
	app_fork();
	new_file();
	if (check_failures == 0)
		DebugStr(PSTR("rsrc ok"));
	return 0;
}
