/* Opening a path beneath a volume's root and nowhere else. The kernel does
 * the checking where it can (openat2 with RESOLVE_BENEATH refuses "..",
 * absolute symlinks and relative ones that climb out, at every step, with
 * no race); otherwise each component is opened with O_NOFOLLOW from its
 * parent's descriptor, which refuses every symlink. */
#include "config.h"

#include "host/volumes.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

bool beneath_force_walk;

static int walk_open(int root, const char *rel, int flags, mode_t mode)
{
	if (strcmp(rel, ".") == 0)
		return openat(root, ".", flags, mode);
	int dir = openat(root, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -1;
	const char *p = rel;
	for (;;) {
		const char *slash = strchr(p, '/');
		char name[HOST_NAME_MAX_BYTES + 1];
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || n > HOST_NAME_MAX_BYTES || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.')) {
			close(dir);
			errno = EXDEV;
			return -1;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		int fd = slash ? openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
			       : openat(dir, name, flags | O_NOFOLLOW, mode);
		int saved = errno;
		struct stat lst;
		/* A symlink met with O_DIRECTORY says ENOTDIR: say what it is. */
		if (fd < 0 && (saved == ENOTDIR || saved == ELOOP) &&
		    fstatat(dir, name, &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(lst.st_mode))
			saved = ELOOP;
		close(dir);
		if (fd < 0) {
			errno = saved;
			return -1;
		}
		if (!slash) {
			/* O_PATH|O_NOFOLLOW opens a symlink itself: refuse it too. */
			struct stat st;
			if (fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
				close(fd);
				errno = ELOOP;
				return -1;
			}
			return fd;
		}
		dir = fd;
		p = slash + 1;
	}
}

int beneath_open(int root, const char *rel, int flags, mode_t mode)
{
	if (rel[0] == '/' || rel[0] == '\0') {
		errno = EXDEV;
		return -1;
	}
	flags |= O_CLOEXEC;
	/* A FIFO or a terminal swapped in for a file after it was checked must
	 * not block the broker or become its terminal; on regular files these
	 * change nothing. */
	if (!(flags & (O_PATH | O_DIRECTORY)))
		flags |= O_NONBLOCK | O_NOCTTY;
	if (!beneath_force_walk) {
		struct open_how how;
		memset(&how, 0, sizeof how);
		how.flags = (uint64_t)flags;
		how.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0;
		how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
		long fd;
		int tries = 0;
		do /* EAGAIN: a rename raced with the lookup; try again a little */
			fd = syscall(SYS_openat2, root, rel, &how, sizeof how);
		while (fd < 0 && errno == EAGAIN && ++tries < 8);
		if (fd >= 0 || errno != ENOSYS)
			return (int)fd;
	}
	return walk_open(root, rel, flags, mode);
}
