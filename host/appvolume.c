/* Where the application lives among the read-write volumes: if the file
 * named on the command line is a data file with its "._" AppleDouble
 * sidecar (or the sidecar itself) inside a --volume-rw directory, its
 * volume and Mac pathname, so the guest's Resource Manager can open it
 * there and write to it (toolbox/resmap.c, rm_attach_app). Any other
 * container (MacBinary, AppleSingle...) is not a file a volume shows, and
 * the application stays read-only. */
#define _GNU_SOURCE
#include "config.h"

#include "host/macfile.h"
#include "host/volumes.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* The directory of a volume option's argument (NAME=DIR as volumes.c
 * reads it). */
static const char *volume_dir(const char *arg)
{
	const char *eq = strchr(arg, '='), *slash = strchr(arg, '/');
	return eq != NULL && (slash == NULL || slash > eq) ? eq + 1 : arg;
}

bool app_volume_path(const struct run_config *cfg, const struct mac_file *mf, int16_t *vref,
		     uint8_t path[256])
{
	char data[PATH_MAX];
	const char *app = cfg->app, *base = base_of(app);
	size_t dir_len = (size_t)(base - app);
	if (mf->container == MAC_DATA_SIDECAR) {
		const char *side = base_of(mf->sidecar);
		if (strncmp(side, "._", 2) != 0 || strcmp(side + 2, base) != 0)
			return false;
		if (strlen(app) >= sizeof data)
			return false;
		strcpy(data, app);
	} else if (mf->container == MAC_APPLEDOUBLE && strncmp(base, "._", 2) == 0) {
		if (dir_len + strlen(base + 2) >= sizeof data)
			return false;
		memcpy(data, app, dir_len);
		strcpy(data + dir_len, base + 2);
	} else {
		return false;
	}
	struct stat st;
	if (stat(data, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	/* The data file's directory, resolved; the file's own name as given. */
	char dir[PATH_MAX], real_dir[PATH_MAX];
	const char *name = base_of(data);
	size_t dl = (size_t)(name - data);
	memcpy(dir, data, dl);
	strcpy(dir + dl, ".");
	if (realpath(dir, real_dir) == NULL)
		return false;
	for (unsigned i = 0; i < cfg->nvolumes; i++) {
		char root[PATH_MAX];
		if (!cfg->volumes[i].read_write || realpath(volume_dir(cfg->volumes[i].arg), root) == NULL)
			continue;
		size_t rl = strlen(root);
		if (strncmp(real_dir, root, rl) != 0 || (real_dir[rl] != '\0' && real_dir[rl] != '/'))
			continue;
		/* A partial pathname from the root: ":dir:dir:name", or "name". */
		char rel[PATH_MAX];
		snprintf(rel, sizeof rel, "%s%s%s", real_dir + rl + (real_dir[rl] == '/'),
			 real_dir[rl] ? "/" : "", name);
		size_t n = 0;
		bool nested = strchr(rel, '/') != NULL;
		for (char *save = NULL, *c = strtok_r(rel, "/", &save); c != NULL;
		     c = strtok_r(NULL, "/", &save)) {
			uint8_t m[MAC_NAME_MAX];
			int len = host_to_mac_name(c, m, sizeof m);
			if (len <= 0 || host_name_hidden(c) || n + 1 + (size_t)len > 255)
				return false;
			if (nested)
				path[1 + n++] = ':';
			memcpy(path + 1 + n, m, (size_t)len);
			n += (size_t)len;
		}
		path[0] = (uint8_t)n;
		*vref = (int16_t)-(int)(i + 1);
		return true;
	}
	return false;
}
