#include "image/open.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int open_at(int dirfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned)flags,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	if (dirfd < 0)
		fd = open(path, flags);
	else
		fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	return fd < 0 ? -errno : (int)fd;
}

static int refuse(mode_t mode)
{
	return S_ISDIR(mode) ? -EISDIR : -EINVAL;
}

/* Open and check the type; *mode gets the type of what path names. */
static int open_checked(int dirfd, const char *path, mode_t *mode)
{
	struct stat st, st2;
	int pfd, fd, flags;

	*mode = 0;
	/* O_PATH never calls a driver's open and never blocks. */
	pfd = open_at(dirfd, path, O_PATH | O_CLOEXEC);
	if (pfd < 0)
		return pfd;
	if (fstat(pfd, &st) < 0) {
		int e = errno;

		close(pfd);
		return -e;
	}
	close(pfd);
	*mode = st.st_mode;
	if (!S_ISREG(st.st_mode))
		return refuse(st.st_mode);
	/* Between the two opens the name may have been replaced: the
	 * O_NONBLOCK open cannot hang on a FIFO, and the inode is checked. */
	fd = open_at(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st2) < 0 || !S_ISREG(st2.st_mode) ||
	    st2.st_dev != st.st_dev || st2.st_ino != st.st_ino) {
		*mode = st2.st_mode;
		close(fd);
		return S_ISREG(st2.st_mode) ? -EAGAIN : refuse(st2.st_mode);
	}
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	return fd;
}

int kj_open_file(int dirfd, const char *path)
{
	mode_t mode;

	return open_checked(dirfd, path, &mode);
}

const char *kj_file_kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return "a special file";
}

int kj_open_regular(int dirfd, const char *path, struct kj_err *err)
{
	mode_t mode;
	int fd = open_checked(dirfd, path, &mode);

	if (fd >= 0)
		return fd;
	if (fd == -EAGAIN)
		return kj_fail(err, EAGAIN, "%s: replaced while it was opened",
			       path);
	if (mode && !S_ISREG(mode))
		return kj_fail(err, -fd, "%s: %s, not a regular file", path,
			       kj_file_kind(mode));
	return kj_fail(err, -fd, "%s: %s", path, strerror(-fd));
}
