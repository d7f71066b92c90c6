#include "image/unpack.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "image/decompress.h"

int kj_unpack(const uint8_t *data, size_t size, const char *name,
	      bool decompress, size_t max, struct kj_unpacked *u,
	      struct kj_err *err)
{
	const char *comp = kj_compression_name(data, size);
	int r;

	memset(u, 0, sizeof(*u));
	if (!comp || !decompress) {
		u->data = data;
		u->size = size;
		return 0;
	}
	r = kj_decompress(data, size, name, max ? max : KJ_UNPACK_MAX, &u->buf,
			  &u->size, err);
	if (r < 0)
		return r;
	u->data = u->buf;
	u->compression = comp;
	return 0;
}

void kj_unpacked_free(struct kj_unpacked *u)
{
	free(u->buf);
	memset(u, 0, sizeof(*u));
}

int kj_unpacked_memfd(const struct kj_unpacked *u, const char *name,
		      struct kj_err *err)
{
	int fd = memfd_create("kjump-image", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return kj_fail(err, errno, "%s: memfd: %s", name,
			       strerror(errno));
	while (done < u->size) {
		ssize_t n = write(fd, u->data + done, u->size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;

			close(fd);
			return kj_fail(err, e, "%s: memfd: %s", name,
				       strerror(e));
		}
		done += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		int e = errno;

		close(fd);
		return kj_fail(err, e, "%s: memfd: %s", name, strerror(e));
	}
	return fd;
}
