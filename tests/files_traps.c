/* The File Manager's traps with parameter blocks in guest memory: volumes
 * (GetVol, GetVolInfo; a read-write and a read-only one), Create, Open,
 * Write, Read with each positioning mode, GetFPos/SetFPos, GetEOF/SetEOF,
 * Close, Get/SetFileInfo, Rename, Delete, and _HFSDispatch's DirCreate,
 * GetCatInfo and SetCatInfo. Run by tests/rsrc_test.sh with --volume-rw
 * RW --volume RO, RO holding ro.txt ("read only\n"). Reports "files ok" or
 * the failed checks through DebugStr. */
#include "macfiles.h"
#include "macresources.h" /* the error codes */
#include "rsrc_check.h"

enum { rfNumErr = -51, posErr = -40, vLckdErr = -46 };
enum { fsAtMark = 0, fsFromStart = 1, fsFromLEOF = 2, fsFromMark = 3 };

static IOParam io;
static HFileInfo fi;
static VolumeParam vp;

static void volumes(int16_t *rw, int16_t *ro)
{
	unsigned char name[256];
	memset(&vp, 0, sizeof vp);
	vp.ioNamePtr = name;
	CHECK(PBGetVolSync(&vp) == noErr && vp.ioResult == noErr, vp.ioResult);
	*rw = vp.ioVRefNum;
	CHECK(*rw < 0 && name[0] > 0, *rw);
	memset(&vp, 0, sizeof vp);
	vp.ioNamePtr = name;
	vp.ioVolIndex = 1;
	CHECK(PBGetVInfoSync(&vp) == noErr, vp.ioResult);
	CHECK(vp.ioVRefNum == *rw && !(vp.ioVAtrb & 0x8000), vp.ioVAtrb);
	CHECK(vp.ioVAlBlkSiz > 0 && vp.ioVNmAlBlks > 0, vp.ioVAlBlkSiz);
	vp.ioVolIndex = 2;
	CHECK(PBGetVInfoSync(&vp) == noErr, vp.ioResult);
	*ro = vp.ioVRefNum;
	CHECK(*ro != *rw && (vp.ioVAtrb & 0x8000), vp.ioVAtrb); /* software lock */
	CHECK(vp.ioVNmFls == 1, vp.ioVNmFls);			  /* ro.txt */
	vp.ioVolIndex = 3;
	CHECK(PBGetVInfoSync(&vp) == -35, vp.ioResult); /* nsvErr */
}

static void data_file(void)
{
	memset(&fi, 0, sizeof fi);
	fi.ioNamePtr = (unsigned char *)PSTR("data.txt");
	CHECK(PBCreateSync(&fi) == noErr, fi.ioResult);
	CHECK(PBCreateSync(&fi) == dupFNErr, fi.ioResult);

	memset(&io, 0, sizeof io);
	io.ioNamePtr = (unsigned char *)PSTR("data.txt");
	io.ioPermssn = fsRdWrPerm;
	CHECK(PBOpenSync(&io) == noErr && io.ioRefNum > 0, io.ioResult);
	int16_t ref = io.ioRefNum;
	char text[] = "hello world";
	io.ioBuffer = text;
	io.ioReqCount = 11;
	io.ioPosMode = fsFromStart;
	io.ioPosOffset = 0;
	CHECK(PBWriteSync(&io) == noErr && io.ioActCount == 11 && io.ioPosOffset == 11,
	      io.ioActCount);
	CHECK(PBGetEOFSync(&io) == noErr && (int32_t)io.ioMisc == 11, (int32_t)io.ioMisc);
	io.ioPosMode = fsFromStart;
	io.ioPosOffset = 6;
	CHECK(PBSetFPosSync(&io) == noErr && io.ioPosOffset == 6, io.ioPosOffset);
	io.ioPosOffset = 99;
	CHECK(PBGetFPosSync(&io) == noErr && io.ioPosOffset == 6, io.ioPosOffset);

	/* A read into a buffer that straddles pages of a fresh handle. */
	Handle big = NewHandle(3 * 4096);
	char *buf = *big + 4096 - 2;
	io.ioBuffer = buf;
	io.ioReqCount = 5;
	io.ioPosMode = fsAtMark;
	CHECK(PBReadSync(&io) == noErr && io.ioActCount == 5 && memcmp(buf, "world", 5) == 0,
	      io.ioActCount);
	CHECK(io.ioPosOffset == 11, io.ioPosOffset);
	io.ioReqCount = 10;
	CHECK(PBReadSync(&io) == eofErr && io.ioActCount == 0, io.ioResult);
	io.ioPosMode = fsFromLEOF;
	io.ioPosOffset = -5;
	io.ioReqCount = 2;
	CHECK(PBReadSync(&io) == noErr && memcmp(buf, "wo", 2) == 0, io.ioResult);
	io.ioPosMode = fsFromMark;
	io.ioPosOffset = 1;
	io.ioReqCount = 2;
	CHECK(PBReadSync(&io) == noErr && memcmp(buf, "ld", 2) == 0, io.ioResult);
	io.ioPosMode = fsFromStart;
	io.ioPosOffset = -1;
	CHECK(PBSetFPosSync(&io) == posErr, io.ioResult);

	/* Asynchronous without a completion routine: done when it returns. */
	io.ioCompletion = 0;
	io.ioPosMode = fsFromStart;
	io.ioPosOffset = 0;
	io.ioReqCount = 5;
	PBReadAsync(&io);
	CHECK(io.ioResult == noErr && memcmp(buf, "hello", 5) == 0, io.ioResult);

	io.ioMisc = (void *)5;
	CHECK(PBSetEOFSync(&io) == noErr, io.ioResult);
	CHECK(PBGetEOFSync(&io) == noErr && (int32_t)io.ioMisc == 5, (int32_t)io.ioMisc);
	CHECK(PBCloseSync(&io) == noErr, io.ioResult);
	io.ioRefNum = ref;
	CHECK(PBCloseSync(&io) == rfNumErr, io.ioResult);
	DisposeHandle(big);

	/* Finder info and lengths. */
	memset(&fi, 0, sizeof fi);
	fi.ioNamePtr = (unsigned char *)PSTR("data.txt");
	CHECK(PBGetFInfoSync(&fi) == noErr && fi.ioFlLgLen == 5 && fi.ioFlRLgLen == 0,
	      fi.ioFlLgLen);
	memcpy(fi.ioFlFndrInfo, "TEXTVMTB", 8);
	CHECK(PBSetFInfoSync(&fi) == noErr, fi.ioResult);
	memset(fi.ioFlFndrInfo, 0, 16);
	fi.ioDirID = 2; /* PBGetFInfo left the file number there */
	CHECK(PBHGetFInfoSync(&fi) == noErr && memcmp(fi.ioFlFndrInfo, "TEXTVMTB", 8) == 0,
	      fi.ioResult);
	int32_t file_number = fi.ioDirID;
	CHECK(file_number > 2, file_number);

	/* By index: the first file of the root. */
	unsigned char name[64];
	memset(&fi, 0, sizeof fi);
	fi.ioNamePtr = name;
	fi.ioFDirIndex = 1;
	CHECK(PBGetFInfoSync(&fi) == noErr && pstr_equal(name, PSTR("data.txt")), fi.ioResult);
	fi.ioFDirIndex = 2;
	CHECK(PBGetFInfoSync(&fi) == fnfErr, fi.ioResult);

	/* Rename. */
	memset(&io, 0, sizeof io);
	io.ioNamePtr = (unsigned char *)PSTR("data.txt");
	io.ioMisc = (void *)PSTR("renamed.txt");
	CHECK(PBRenameSync(&io) == noErr, io.ioResult);
	memset(&fi, 0, sizeof fi);
	fi.ioNamePtr = (unsigned char *)PSTR("data.txt");
	CHECK(PBGetFInfoSync(&fi) == fnfErr, fi.ioResult);
	fi.ioNamePtr = (unsigned char *)PSTR("renamed.txt");
	CHECK(PBGetFInfoSync(&fi) == noErr && fi.ioDirID == file_number, fi.ioResult);
}

static void directories(void)
{
	memset(&fi, 0, sizeof fi);
	fi.ioNamePtr = (unsigned char *)PSTR("sub");
	fi.ioDirID = 2;
	CHECK(PBDirCreateSync(&fi) == noErr && fi.ioDirID > 2, fi.ioResult);
	int32_t sub = fi.ioDirID;
	memset(&fi, 0, sizeof fi);
	fi.ioNamePtr = (unsigned char *)PSTR("inner");
	fi.ioDirID = sub;
	CHECK(PBHCreateSync(&fi) == noErr, fi.ioResult);

	/* The directory itself (index -1), then its first entry. */
	unsigned char name[64];
	memset(&fi, 0, sizeof fi);
	fi.ioNamePtr = name;
	fi.ioDirID = sub;
	fi.ioFDirIndex = -1;
	CHECK(PBGetCatInfoSync(&fi) == noErr, fi.ioResult);
	CHECK((fi.ioFlAttrib & 0x10) && fi.ioFlStBlk == 1 && fi.ioFlParID == 2, fi.ioFlStBlk);
	CHECK(pstr_equal(name, PSTR("sub")), name[0]);
	fi.ioDirID = sub;
	fi.ioFDirIndex = 1;
	CHECK(PBGetCatInfoSync(&fi) == noErr && pstr_equal(name, PSTR("inner")), fi.ioResult);
	CHECK(!(fi.ioFlAttrib & 0x10) && fi.ioFlParID == sub, fi.ioFlParID);

	/* SetCatInfo: Finder info by name, read back by GetCatInfo. */
	memcpy(fi.ioFlFndrInfo, "ABCDEFGH", 8);
	fi.ioNamePtr = (unsigned char *)PSTR("inner");
	fi.ioDirID = sub;
	fi.ioFDirIndex = 0;
	CHECK(PBSetCatInfoSync(&fi) == noErr, fi.ioResult);
	memset(fi.ioFlFndrInfo, 0, 16);
	fi.ioDirID = sub;
	CHECK(PBGetCatInfoSync(&fi) == noErr && memcmp(fi.ioFlFndrInfo, "ABCDEFGH", 8) == 0,
	      fi.ioResult);

	/* Delete: a non-empty directory is busy. */
	memset(&fi, 0, sizeof fi);
	fi.ioNamePtr = (unsigned char *)PSTR("sub");
	CHECK(PBDeleteSync(&fi) == -47, fi.ioResult); /* fBsyErr */
	fi.ioNamePtr = (unsigned char *)PSTR("inner");
	fi.ioDirID = sub;
	CHECK(PBHDeleteSync(&fi) == noErr, fi.ioResult);
	fi.ioNamePtr = (unsigned char *)PSTR("sub");
	CHECK(PBDeleteSync(&fi) == noErr, fi.ioResult);
	fi.ioNamePtr = (unsigned char *)PSTR("renamed.txt");
	CHECK(PBDeleteSync(&fi) == noErr, fi.ioResult);
	CHECK(PBGetFInfoSync(&fi) == fnfErr, fi.ioResult);
}

static void read_only(int16_t ro)
{
	memset(&fi, 0, sizeof fi);
	fi.ioNamePtr = (unsigned char *)PSTR("new");
	fi.ioVRefNum = ro;
	CHECK(PBCreateSync(&fi) == wPrErr, fi.ioResult);
	memset(&io, 0, sizeof io);
	io.ioNamePtr = (unsigned char *)PSTR("ro.txt");
	io.ioVRefNum = ro;
	io.ioPermssn = fsRdWrPerm;
	CHECK(PBOpenSync(&io) == wPrErr, io.ioResult);
	io.ioPermssn = fsRdPerm;
	CHECK(PBOpenSync(&io) == noErr, io.ioResult);
	char buf[16];
	io.ioBuffer = buf;
	io.ioReqCount = sizeof buf;
	io.ioPosMode = fsFromStart;
	io.ioPosOffset = 0;
	CHECK(PBReadSync(&io) == eofErr && io.ioActCount == 10 && memcmp(buf, "read only\n", 10) == 0,
	      io.ioActCount);
	io.ioPosOffset = 0;
	io.ioReqCount = 1;
	CHECK(PBWriteSync(&io) == wrPermErr, io.ioResult);
	CHECK(PBCloseSync(&io) == noErr, io.ioResult);
	memset(&fi, 0, sizeof fi);
	fi.ioNamePtr = (unsigned char *)PSTR("ro.txt");
	fi.ioVRefNum = ro;
	CHECK(PBDeleteSync(&fi) == wPrErr, fi.ioResult);
}

int main(void)
{
	int16_t rw = 0, ro = 0;
	volumes(&rw, &ro);
	data_file();
	directories();
	read_only(ro);
	if (check_failures == 0)
		DebugStr(PSTR("files ok"));
	return 0;
}
