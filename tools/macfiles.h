/* File Manager glue for 68K programs built by m68k-mac-build (Inside
 * Macintosh: Files, ch. 2): parameter blocks laid out as the Mac's
 * (ParamBlockRec's IOParam, FileParam and VolumeParam; CInfoPBRec's
 * HFileInfo and DirInfo) and the register-based calls: A0 the block, D0 the
 * result, which is also in ioResult. Trap word bit 9 ($200) is the HFS
 * form (ioDirID used), bit 10 ($400) asynchronous. */
#ifndef VM68K_MACFILES_H
#define VM68K_MACFILES_H

#include "mactraps.h"

#define MAC_PB_HEADER                                                                              \
	void *qLink;                                                                               \
	int16_t qType;                                                                             \
	int16_t ioTrap;                                                                            \
	void *ioCmdAddr;                                                                           \
	void *ioCompletion;                                                                        \
	volatile OSErr ioResult;                                                                   \
	unsigned char *ioNamePtr;                                                                  \
	int16_t ioVRefNum

typedef struct {
	MAC_PB_HEADER;
	int16_t ioRefNum;    /* 24 */
	int8_t ioVersNum;    /* 26 */
	int8_t ioPermssn;    /* 27 */
	void *ioMisc;	     /* 28 */
	void *ioBuffer;	     /* 32 */
	int32_t ioReqCount;  /* 36 */
	int32_t ioActCount;  /* 40 */
	int16_t ioPosMode;   /* 44 */
	int32_t ioPosOffset; /* 46 */
} __attribute__((packed, aligned(2))) IOParam;

/* HFileParam, HFileInfo (CInfoPBRec) and DirInfo share one layout here. */
typedef struct {
	MAC_PB_HEADER;
	int16_t ioFRefNum;		 /* 24 */
	int8_t ioFVersNum;		 /* 26 */
	int8_t filler1;			 /* 27: PBHOpen's ioPermssn */
	int16_t ioFDirIndex;		 /* 28 */
	int8_t ioFlAttrib;		 /* 30 */
	int8_t ioACUser;		 /* 31 */
	unsigned char ioFlFndrInfo[16];	 /* 32: FInfo (DirInfo: ioDrUsrWds) */
	int32_t ioDirID;		 /* 48: in: the directory; out: file number / dir ID */
	int16_t ioFlStBlk;		 /* 52 (DirInfo: ioDrNmFls) */
	int32_t ioFlLgLen;		 /* 54 */
	int32_t ioFlPyLen;		 /* 58 */
	int16_t ioFlRStBlk;		 /* 62 */
	int32_t ioFlRLgLen;		 /* 64 */
	int32_t ioFlRPyLen;		 /* 68 */
	uint32_t ioFlCrDat;		 /* 72 */
	uint32_t ioFlMdDat;		 /* 76 */
	uint32_t ioFlBkDat;		 /* 80 */
	unsigned char ioFlXFndrInfo[16]; /* 84 */
	int32_t ioFlParID;		 /* 100 */
	int32_t ioFlClpSiz;		 /* 104 */
} __attribute__((packed, aligned(2))) HFileInfo;

typedef struct {
	MAC_PB_HEADER;
	int32_t filler2;      /* 24 */
	int16_t ioVolIndex;   /* 28 */
	uint32_t ioVCrDate;   /* 30 */
	uint32_t ioVLsMod;    /* 34 */
	int16_t ioVAtrb;      /* 38 */
	uint16_t ioVNmFls;    /* 40 */
	uint16_t ioVBitMap;   /* 42 */
	uint16_t ioAllocPtr;  /* 44 */
	uint16_t ioVNmAlBlks; /* 46 */
	int32_t ioVAlBlkSiz;  /* 48 (WDParam: ioWDDirID) */
	int32_t ioVClpSiz;    /* 52 */
	uint16_t ioAlBlSt;    /* 56 */
	int32_t ioVNxtCNID;   /* 58 */
	uint16_t ioVFrBlk;    /* 62 */
} __attribute__((packed, aligned(2))) VolumeParam;

/* Any parameter block call: A0 = pb, D0 = result. */
#define MAC_PB_CALL(word, pb)                                                                      \
	({                                                                                         \
		int32_t r_;                                                                        \
		MAC_A0_TO_D0(word, (const void *)(pb), r_);                                        \
		(OSErr) r_;                                                                        \
	})

#define PBOpenSync(pb) MAC_PB_CALL(0xA000, pb)
#define PBHOpenSync(pb) MAC_PB_CALL(0xA200, pb)
#define PBOpenRFSync(pb) MAC_PB_CALL(0xA00A, pb)
#define PBHOpenRFSync(pb) MAC_PB_CALL(0xA20A, pb)
#define PBCloseSync(pb) MAC_PB_CALL(0xA001, pb)
#define PBReadSync(pb) MAC_PB_CALL(0xA002, pb)
#define PBReadAsync(pb) MAC_PB_CALL(0xA402, pb)
#define PBWriteSync(pb) MAC_PB_CALL(0xA003, pb)
#define PBGetVInfoSync(pb) MAC_PB_CALL(0xA007, pb)
#define PBCreateSync(pb) MAC_PB_CALL(0xA008, pb)
#define PBHCreateSync(pb) MAC_PB_CALL(0xA208, pb)
#define PBDeleteSync(pb) MAC_PB_CALL(0xA009, pb)
#define PBHDeleteSync(pb) MAC_PB_CALL(0xA209, pb)
#define PBRenameSync(pb) MAC_PB_CALL(0xA00B, pb)
#define PBGetFInfoSync(pb) MAC_PB_CALL(0xA00C, pb)
#define PBHGetFInfoSync(pb) MAC_PB_CALL(0xA20C, pb)
#define PBSetFInfoSync(pb) MAC_PB_CALL(0xA00D, pb)
#define PBGetEOFSync(pb) MAC_PB_CALL(0xA011, pb)
#define PBSetEOFSync(pb) MAC_PB_CALL(0xA012, pb)
#define PBGetVolSync(pb) MAC_PB_CALL(0xA014, pb)
#define PBHGetVolSync(pb) MAC_PB_CALL(0xA214, pb)
#define PBSetVolSync(pb) MAC_PB_CALL(0xA015, pb)
#define PBGetFPosSync(pb) MAC_PB_CALL(0xA018, pb)
#define PBSetFPosSync(pb) MAC_PB_CALL(0xA044, pb)

/* _HFSDispatch A060: selector in D0. */
static inline OSErr mac_hfs_dispatch_(int16_t selector, void *pb)
{
	int32_t r;
	MAC_A0_D0_TO_D0(0xA060, pb, selector, r);
	return (OSErr)r;
}
#define PBDirCreateSync(pb) mac_hfs_dispatch_(6, pb)
#define PBGetCatInfoSync(pb) mac_hfs_dispatch_(9, pb)
#define PBSetCatInfoSync(pb) mac_hfs_dispatch_(10, pb)

#endif
