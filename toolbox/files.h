/* The File Manager's client side: the calls the guest's File Manager traps
 * make, each one request on the channel to the host (host/volumes.c serves
 * it, host/protocol.h says how), each returning an OSErr. Also the File
 * Manager's result codes, which the host uses too.
 *
 * A trap reads its parameter block from guest memory, calls one of these,
 * and writes the results back (ioResult, ioRefNum, ioActCount, ioPosOffset,
 * the CInfoPBRec fields from struct fm_cat_reply; Finder info bytes are
 * already big-endian). PBRead/PBWrite must use fm_read_guest/fm_write_guest
 * with ioBuffer, never a host pointer into the window: they hold the pages
 * first. Working directory refnums, FCBs in guest memory and async
 * completion are the trap side's to keep. */
#ifndef VM68K_TOOLBOX_FILES_H
#define VM68K_TOOLBOX_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/protocol.h"
#include "pager/pager.h" /* noErr, paramErr, gaddr, HoldMemory */

typedef int16_t OSErr;

/* File Manager result codes (Inside Macintosh: Files, "Result Codes");
 * noErr (0) and paramErr (-50) come from pager/pager.h. */
enum mac_file_result {
	dirFulErr = -33,  /* directory full */
	dskFulErr = -34,  /* disk full */
	nsvErr = -35,	  /* no such volume */
	ioErr = -36,	  /* I/O error */
	bdNamErr = -37,	  /* bad file name or volume name */
	fnOpnErr = -38,	  /* file not open */
	eofErr = -39,	  /* logical end of file reached */
	posErr = -40,	  /* attempt to position mark before start of file */
	tmfoErr = -42,	  /* too many files open */
	fnfErr = -43,	  /* file not found */
	wPrErr = -44,	  /* volume is write-protected (hardware lock) */
	fLckdErr = -45,	  /* file is locked */
	vLckdErr = -46,	  /* volume is locked (software lock) */
	fBsyErr = -47,	  /* file is busy (open, or a directory not empty) */
	dupFNErr = -48,	  /* a file of that name already exists */
	opWrErr = -49,	  /* file already open with write permission */
	rfNumErr = -51,	  /* bad reference number */
	permErr = -54,	  /* permission does not allow the operation */
	wrPermErr = -61,  /* read/write permission does not allow writing */
	dirNFErr = -120,  /* directory not found */
	badMovErr = -122, /* attempt to move a directory into one of its offspring */
};

/* Open permissions (ioPermssn). */
enum { fsCurPerm = 0, fsRdPerm = 1, fsWrPerm = 2, fsRdWrPerm = 3, fsRdWrShPerm = 4 };

/* Positioning modes (low two bits of ioPosMode; FM_NEWLINE_MODE and the
 * newline character above them, host/protocol.h). */
enum { fsAtMark = 0, fsFromStart = 1, fsFromLEOF = 2, fsFromMark = 3 };

/* Well-known directory IDs (HFS). */
enum { fsRtParID = 1, fsRtDirID = 2 };

/* ioFlAttrib bits. */
enum {
	kioFlAttribLockedMask = 0x01,
	kioFlAttribResOpenMask = 0x04,
	kioFlAttribDataOpenMask = 0x08,
	kioFlAttribDirMask = 0x10,
	kioFlAttribFileOpenMask = 0x80,
};

/* The child's end of the File Manager: the channel, the default volume and
 * directory (GetVol/SetVol live here, as the Mac keeps them in low memory),
 * and one message buffer. */
struct fm_client {
	int fd;
	int16_t default_vref;
	uint32_t default_dir;
	uint32_t mark; /* the mark after the last read or write: ioPosOffset */
	uint8_t msg[MSG_MAX];
};

/* A Mac name as the calls take it: a Pascal string (length byte first),
 * or NULL for none. */
typedef const uint8_t *ConstStr255Param;

/* Starts a client on the channel; the default volume is the first one
 * (vref -1), its root directory. */
void fm_client_init(struct fm_client *c, int channel_fd);

/* Volume info by index (> 0: the nth volume) or vref (index 0). Returns
 * noErr, nsvErr when there is no such volume, ioErr if the channel fails. */
OSErr fm_get_vol_info(struct fm_client *c, int16_t index, int16_t vref,
		      struct fm_volume_reply *out);

/* GetVol: the default volume and directory. Always noErr. */
OSErr fm_get_vol(const struct fm_client *c, int16_t *vref, uint32_t *dir_id);

/* HSetVol: makes (vref, dir_id, name) the default directory after asking the
 * host that it exists. nsvErr, dirNFErr, fnfErr (it is a file)... */
OSErr fm_set_vol(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name);

/* PBHOpen / PBHOpenRF: opens a fork with permission (fsCurPerm...). vref 0
 * means the default volume and directory. Returns noErr and *refnum, or
 * fnfErr, opWrErr (then *refnum is the path already open for writing),
 * wPrErr, tmfoErr, bdNamErr, dirNFErr, nsvErr, permErr. */
OSErr fm_open(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name, int fork,
	      int permission, int16_t *refnum);

/* PBRead into a host buffer: count bytes from pos_mode/offset (any count; split
 * into FM_IO_MAX chunks). *actual gets the bytes read; eofErr if the end of
 * file stopped it; rfNumErr, fnOpnErr, posErr, paramErr. */
OSErr fm_read(struct fm_client *c, int16_t refnum, uint16_t pos_mode, int32_t offset, void *buf,
	      uint32_t count, uint32_t *actual);

/* PBWrite from a host buffer. wrPermErr if the path is read-only, dskFulErr,
 * posErr, rfNumErr; *actual gets the bytes written. */
OSErr fm_write(struct fm_client *c, int16_t refnum, uint16_t pos_mode, int32_t offset,
	       const void *buf, uint32_t count, uint32_t *actual);

/* PBRead into guest memory: each chunk's pages are held (HoldMemory) before
 * the host is asked for it and released after, and the bytes are stored with
 * pager_poke, so no system call ever meets a protected page. The buffer must
 * be in logical RAM (paramErr otherwise); HoldMemory's own errors
 * (notEnoughMemoryErr, interruptsMaskedErr, dsVMBadBackingStore) are passed
 * on. Other results as fm_read. */
OSErr fm_read_guest(struct fm_client *c, struct pager *p, int16_t refnum, uint16_t pos_mode,
		    int32_t offset, gaddr buf, uint32_t count, uint32_t *actual);

/* PBWrite from guest memory, held chunk by chunk the same way and read with
 * pager_peek. Results as fm_write and fm_read_guest. */
OSErr fm_write_guest(struct fm_client *c, struct pager *p, int16_t refnum, uint16_t pos_mode,
		     int32_t offset, gaddr buf, uint32_t count, uint32_t *actual);

/* PBClose. rfNumErr if refnum is not open. */
OSErr fm_close(struct fm_client *c, int16_t refnum);

/* GetEOF / SetEOF. SetEOF needs write permission (wrPermErr). */
OSErr fm_get_eof(struct fm_client *c, int16_t refnum, uint32_t *eof);
OSErr fm_set_eof(struct fm_client *c, int16_t refnum, uint32_t eof);

/* GetFPos / SetFPos (pos_mode fsFromStart, fsFromLEOF, fsFromMark). SetFPos
 * past the end of file sets the mark at the end and returns eofErr; before
 * its start, posErr. */
OSErr fm_get_fpos(struct fm_client *c, int16_t refnum, uint32_t *mark);
OSErr fm_set_fpos(struct fm_client *c, int16_t refnum, uint16_t pos_mode, int32_t offset,
		  uint32_t *mark);

/* HCreate: an empty file with Finder type and creator. dupFNErr if the name
 * is taken, wPrErr on a read-only volume, bdNamErr, dirNFErr. */
OSErr fm_create(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name,
		uint32_t type, uint32_t creator);

/* HDelete: a file (and its sidecar) or an empty directory. fBsyErr if the
 * file is open or the directory is not empty. */
OSErr fm_delete(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name);

/* PBGetCatInfo: index > 0 the nth entry of directory (vref, dir_id), 0 the
 * entry name names, < 0 directory (vref, dir_id) itself; as on the Mac,
 * name is ignored when index is not 0. fnfErr past the last entry. */
OSErr fm_get_cat_info(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name,
		      int16_t index, struct fm_cat_reply *out);

/* PBHGetFInfo with ioFDirIndex > 0: the index'th file (directories are
 * not counted) of directory (vref, dir_id). fnfErr past the last file. */
OSErr fm_get_file_by_index(struct fm_client *c, int16_t vref, uint32_t dir_id, int16_t index,
			   struct fm_cat_reply *out);

/* HGetFInfo: Finder info (16 bytes FInfo) of a file; fnfErr for a directory. */
OSErr fm_get_finfo(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name,
		   uint8_t finfo[16]);

/* HSetFInfo: writes the 16 bytes of FInfo into the file's sidecar. */
OSErr fm_set_finfo(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name,
		   const uint8_t finfo[16]);

/* PBSetCatInfo's Finder info, for a file or a directory: which is
 * FM_SET_FINFO (info[0..15]: FInfo/DInfo), FM_SET_FXINFO (info[16..31]:
 * FXInfo/DXInfo) or both. paramErr for the root directory. */
OSErr fm_set_finder_info(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name,
			 const uint8_t info[FM_FINDER_INFO], uint32_t which);

/* DirCreate: *new_dir gets the directory's ID. dupFNErr, wPrErr... */
OSErr fm_dir_create(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name,
		    uint32_t *new_dir);

/* HRename: a file or directory gets new_name (a plain name) in the same
 * directory. dupFNErr if taken, fnfErr, bdNamErr, wPrErr. */
OSErr fm_rename(struct fm_client *c, int16_t vref, uint32_t dir_id, ConstStr255Param name,
		ConstStr255Param new_name);

#endif
