#include "image/initrd.h"
#include "image/open.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

static int copy_all(int out, int in, const char *path, struct kj_err *err)
{
	for (;;) {
		ssize_t n = sendfile(out, in, NULL, 1 << 30);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return kj_fail(err, errno, "%s: %s", path,
				       strerror(errno));
		if (n == 0)
			return 0;
	}
}

/* The kernel reads an uncompressed cpio only from a 4-byte aligned
 * offset and skips NUL bytes between archives, so each file is padded
 * with zeros to a multiple of 4 before the next one starts. */
static int pad_to_4(int memfd, const char *path, struct kj_err *err)
{
	static const char zeros[4];
	off_t end = lseek(memfd, 0, SEEK_CUR);
	size_t pad;

	if (end < 0)
		return kj_fail(err, errno, "%s: %s", path, strerror(errno));
	pad = (size_t)(-end & 3);
	if (pad && write(memfd, zeros, pad) != (ssize_t)pad)
		return kj_fail(err, errno ? errno : EIO,
			       "%s: cannot pad the initrd: %s", path,
			       strerror(errno));
	return 0;
}

int kj_initrd_open(int dirfd, const char *const *paths, size_t n,
		   struct kj_err *err)
{
	int memfd, r;

	if (n == 0)
		return kj_fail(err, EINVAL, "no initrd given");
	if (n == 1)
		return kj_open_regular(dirfd, paths[0], err);
	memfd = memfd_create("kjump-initrd", MFD_CLOEXEC);
	if (memfd < 0)
		return kj_fail(err, errno, "cannot create a memfd for %zu "
			       "initrds: %s", n, strerror(errno));
	for (size_t i = 0; i < n; i++) {
		int fd = kj_open_regular(dirfd, paths[i], err);

		if (fd < 0) {
			close(memfd);
			return fd;
		}
		r = copy_all(memfd, fd, paths[i], err);
		close(fd);
		if (r == 0)
			r = pad_to_4(memfd, paths[i], err);
		if (r < 0) {
			close(memfd);
			return r;
		}
	}
	return memfd;
}
