/* host-internal: reading a Mac file (two forks plus Finder info) out of the
 * containers Linux can hold one in: MacBinary I/II/III, AppleSingle,
 * AppleDouble, a raw resource fork, or a data file with a sidecar. */
#ifndef VM68K_HOST_MACFILE_H
#define VM68K_HOST_MACFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "toolbox/toolbox.h"

enum mac_container {
	MAC_MACBINARY_I,
	MAC_MACBINARY_II,
	MAC_MACBINARY_III,
	MAC_APPLESINGLE,
	MAC_APPLEDOUBLE,  /* the AppleDouble header file itself was named */
	MAC_RAW_RSRC,	  /* a file holding only a resource fork */
	MAC_DATA_SIDECAR, /* a data fork with its resource fork beside it */
	MAC_DATA_ONLY,	  /* a plain file: a data fork and no resource fork */
};

/* A Mac file, whatever it came in. data/rsrc point into owned buffers. */
struct mac_file {
	enum mac_container container;
	char sidecar[4096]; /* the file that held the resource fork, if not the named one */
	uint8_t name_length;
	char name[256]; /* the Mac name (Mac Roman), NUL-terminated for printing */
	bool has_finder_info;
	uint32_t type, creator;
	uint16_t finder_flags;
	const uint8_t *data;
	size_t data_length;
	const uint8_t *rsrc;
	size_t rsrc_length;
	uint64_t rsrc_file_offset; /* where the resource fork starts in its file */
	bool has_fork;		   /* rsrc_length > 0 and it validated */
	struct resfork fork;
	uint8_t *owned[2];
};

/* Files larger than this are refused before they are read. */
#define MACFILE_MAX_SIZE (256u << 20)

/* CRC-16/XMODEM (polynomial 0x1021, initial 0), as MacBinary II uses over
 * header bytes 0-123. */
uint16_t macbinary_crc(const uint8_t *p, size_t n);

/* Loads the Mac file at path (any container above; sidecars are looked for
 * beside a plain data file) and validates its resource fork. Returns true,
 * or false with one line in err: "FILE: offset N: what was expected". */
bool macfile_load(const char *path, struct mac_file *mf, char *err, size_t errlen);

/* Parses a single-file container (MacBinary, AppleSingle, AppleDouble
 * header, raw resource fork) held in memory; display_name is used in
 * messages. The bytes are copied. Returns false with err filled if they are
 * malformed or in no known container. */
bool macfile_parse(const char *display_name, const uint8_t *bytes, size_t len, struct mac_file *mf,
		   char *err, size_t errlen);

/* Frees what mf owns; mf may then be reused. */
void macfile_free(struct mac_file *mf);

/* "MacBinary II", "AppleSingle"... */
const char *macfile_container_name(enum mac_container c);

#endif
