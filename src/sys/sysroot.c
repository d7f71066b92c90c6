#include "sys/sysroot.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/open.h"

int kj_sys_path(const char *syspath, char *buf, size_t bufsz)
{
	const char *root = getenv("KJUMP_SYSROOT");
	int n;

	if (!root || !*root)
		root = "";
	n = snprintf(buf, bufsz, "%s%s", root, syspath);
	if (n < 0 || (size_t)n >= bufsz)
		return -ENAMETOOLONG;
	return 0;
}

int kj_sys_open(const char *syspath)
{
	char path[4096];
	int fd, r;

	r = kj_sys_path(syspath, path, sizeof(path));
	if (r < 0)
		return r;
	/* A fixture tree is a directory like any other: a FIFO or a device
	 * at /proc/iomem must not block or be opened. */
	fd = kj_open_file(-1, path);
	return fd;
}

int kj_sys_open_device(const char *syspath)
{
	char path[4096];
	struct stat st;
	int fd, r;

	r = kj_sys_path(syspath, path, sizeof(path));
	if (r < 0)
		return r;
	/* Look before opening: a FIFO must not block us. A regular file
	 * stands in for the device in a fixture tree. */
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = fstat(fd, &st) < 0 ? -errno : 0;
	close(fd);
	if (r < 0)
		return r;
	if (!S_ISCHR(st.st_mode) && !S_ISREG(st.st_mode))
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int kj_sys_exists(const char *syspath)
{
	char path[4096];

	if (kj_sys_path(syspath, path, sizeof(path)) < 0)
		return 0;
	return access(path, F_OK) == 0;
}

int kj_sys_read(const char *syspath, size_t maxlen, char **out, size_t *len,
		struct kj_err *err)
{
	size_t cap = 4096, used = 0;
	char *buf;
	int fd;

	fd = kj_sys_open(syspath);
	if (fd == -EINVAL || fd == -EISDIR)
		return kj_fail(err, -fd, "%s: not a regular file", syspath);
	if (fd < 0)
		return kj_fail(err, -fd, "%s: %s", syspath, strerror(-fd));
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return kj_fail(err, ENOMEM, "%s: out of memory", syspath);
	}
	/* /proc and /sys files report size 0, so read until EOF; one byte
	 * past maxlen says the file is larger, which is an error, never a
	 * quietly truncated read. */
	for (;;) {
		ssize_t n;

		if (used + 1 >= cap) {
			char *bigger;

			if (cap >= maxlen + 2)
				break;
			cap = cap * 2 > maxlen + 2 ? maxlen + 2 : cap * 2;
			bigger = realloc(buf, cap);
			if (!bigger) {
				free(buf);
				close(fd);
				return kj_fail(err, ENOMEM, "%s: out of memory",
					       syspath);
			}
			buf = bigger;
		}
		n = read(fd, buf + used, cap - 1 - used);
		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			close(fd);
			return kj_fail(err, e, "%s: %s", syspath, strerror(e));
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	if (used > maxlen) {
		free(buf);
		return kj_fail(err, EFBIG, "%s: larger than %zu bytes",
			       syspath, maxlen);
	}
	buf[used] = '\0';
	*out = buf;
	if (len)
		*len = used;
	return 0;
}

int kj_sys_read_long(const char *syspath, long *out, struct kj_err *err)
{
	char *text, *end;
	long v;
	int r;

	r = kj_sys_read(syspath, 64, &text, NULL, err);
	if (r < 0)
		return r;
	errno = 0;
	v = strtol(text, &end, 0);
	if (errno || end == text) {
		free(text);
		return kj_fail(err, EINVAL, "%s: not a number", syspath);
	}
	free(text);
	*out = v;
	return 0;
}
