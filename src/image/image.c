#include "image/image.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/mapguard.h"
#include "image/open.h"

int kj_image_open(struct kj_image *img, const char *path, struct kj_err *err)
{
	return kj_image_open_at(img, -1, path, err);
}

int kj_image_open_at(struct kj_image *img, int dirfd, const char *path,
		     struct kj_err *err)
{
	int r;

	memset(img, 0, sizeof(*img));
	img->path = path;
	img->fd = kj_open_regular(dirfd, path, err);
	if (img->fd < 0)
		return img->fd;
	r = kj_map_fd(img->fd, path, &img->data, &img->size, err);
	if (r < 0) {
		close(img->fd);
		img->fd = -1;
	}
	return r;
}

int kj_map_fd(int fd, const char *name, const uint8_t **data, size_t *size,
	      struct kj_err *err)
{
	struct stat st;
	void *map;

	*data = NULL;
	*size = 0;
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0)
		return kj_fail(err, errno, "%s: %s", name, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return kj_fail(err, EINVAL, "%s: %s, not a regular file", name,
			       kj_file_kind(st.st_mode));
	if (st.st_size == 0)
		return 0;
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return kj_fail(err, errno, "%s: cannot map: %s", name,
			       strerror(errno));
	*data = map;
	*size = (size_t)st.st_size;
	kj_mapguard_add(map, *size, fd, name);
	return 0;
}

void kj_unmap(const uint8_t *data, size_t size)
{
	if (!data)
		return;
	kj_mapguard_remove(data);
	munmap((void *)data, size);
}

void kj_image_close(struct kj_image *img)
{
	kj_unmap(img->data, img->size);
	if (img->fd >= 0)
		close(img->fd);
	img->data = NULL;
	img->fd = -1;
}
