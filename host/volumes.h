/* host-internal: host directories presented to the guest as Mac volumes
 * (host/volumes.c, with host/catalog.c and host/forks.c behind it, sharing
 * host/volumes_internal.h), and the pieces it is built from: Mac name mapping
 * (host/macnames.c), opening beneath a volume's root (host/beneath.c) and
 * AppleDouble sidecars (host/sidecar.c). The guest reaches them only
 * through the MSG_FM_* requests of host/protocol.h. */
#ifndef VM68K_HOST_VOLUMES_H
#define VM68K_HOST_VOLUMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "host/options.h"
#include "host/protocol.h"

/* ---- Mac names ↔ host names (host/macnames.c) ---- */

#define MAC_NAME_MAX 31	       /* HFS file and directory names */
#define MAC_VOLUME_NAME_MAX 27 /* HFS volume names */
#define HOST_NAME_MAX_BYTES 255

/* Converts one Mac name (Mac Roman, no ':') to its host name: Mac Roman →
 * UTF-8 (precomposed), '/' → ':'. Refuses (false) an empty name, a NUL,
 * ".", "..", and names starting "._" (the sidecars'). out holds at least
 * HOST_NAME_MAX_BYTES + 1 bytes. */
bool mac_to_host_name(const uint8_t *mac, size_t len, char *out);

/* The reverse: a host name to its Mac name (':' → '/', UTF-8 → Mac Roman).
 * Returns the length, or -1 when the name has no Mac name: invalid UTF-8,
 * a character outside Mac Roman, more than max bytes. out holds max bytes. */
int host_to_mac_name(const char *host, uint8_t *out, size_t max);

/* True for host names the guest never sees: ".", "..", sidecars ("._X",
 * ".AppleDouble"), and ".DS_Store". */
bool host_name_hidden(const char *host);

/* ---- Opening beneath a root (host/beneath.c) ---- */

/* Opens rel (a relative path of checked components, "." for the root)
 * beneath root with flags/mode: openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_MAGICLINKS) where the kernel has it, else a component-by-
 * component walk with O_NOFOLLOW (which refuses every symlink). Returns an
 * fd, or -1 with errno (EXDEV or ELOOP for a path that would leave root). */
int beneath_open(int root, const char *rel, int flags, mode_t mode);

/* Test hook: true makes beneath_open use the walk even with openat2. */
extern bool beneath_force_walk;

/* ---- AppleDouble sidecars (host/sidecar.c) ---- */

/* What a sidecar "._NAME" holds for NAME. */
struct sidecar {
	bool exists;
	uint8_t finder_info[FM_FINDER_INFO];
	uint64_t rsrc_offset; /* resource fork entry: where its bytes start */
	uint32_t rsrc_length;
	uint32_t rsrc_entry_at; /* file offset of the entry's length field; 0: no entry */
	uint32_t finfo_offset;	/* Finder info entry, when it has all 32 bytes; else 0 */
	bool rsrc_last;		/* nothing after the fork: it can grow in place */
};

/* Reads the sidecar open on fd: its header and entry table only, each
 * entry checked to lie inside the file. Returns 0, or ioErr for a
 * malformed one. */
int sidecar_read(int fd, struct sidecar *sc);

/* Rewrites the sidecar open on fd (read+write) in the layout vm68k writes:
 * Finder info (entry 9) at 50, resource fork (entry 2) last at 82, with
 * rsrc_len bytes of rsrc. Returns 0 or an OSErr. */
int sidecar_write(int fd, const uint8_t finder_info[FM_FINDER_INFO], const uint8_t *rsrc,
		  uint32_t rsrc_len);

/* Where vm68k's layout puts the resource fork. */
#define SIDECAR_RSRC_OFFSET 82u
#define SIDECAR_RSRC_LENGTH_AT 46u /* the fork entry's length field */

/* ---- Volumes (host/volumes.c) ---- */

#define VOLUMES_MAX_OPEN 64 /* access paths open at once (tmfoErr beyond) */

struct volumes;

/* Opens every --volume / --volume-rw of cfg (each DIR opened O_PATH now;
 * names from NAME=DIR or DIR's last component). Returns NULL with one line
 * in err naming the bad argument. With no volumes, an empty set. */
struct mac_file;
/* host/appvolume.c: if the application (cfg->app, loaded as mf) is a data
 * file with a "._" sidecar inside a --volume-rw directory, its volume's
 * vref and its Mac pathname from the root (Pascal string); false if not. */
bool app_volume_path(const struct run_config *cfg, const struct mac_file *mf, int16_t *vref,
		     uint8_t path[256]);

struct volumes *volumes_open(const struct run_config *cfg, char *err, size_t errlen);

/* Closes every descriptor. NULL is allowed. */
void volumes_close(struct volumes *v);

/* Serves one MSG_FM_* request: validates the payload, acts, fills reply
 * (at least sizeof(struct fm_io_reply) + FM_IO_MAX bytes) and returns its
 * length. Never trusts a field: a malformed request gets paramErr. */
size_t volumes_handle(struct volumes *v, uint32_t type, const void *payload, size_t len,
		      void *reply, size_t reply_cap);

/* The spawn_host on_request hook (ctx: struct volumes *): serves MSG_FM_*
 * with one reply; returns false for other requests. */
bool volumes_on_request(void *ctx, uint32_t type, const void *payload, size_t len, int channel_fd);

#endif
