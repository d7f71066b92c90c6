#include "image/image.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/open.h"
#include "loaders/bzimage.h"

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
	return 0;
}

void kj_unmap(const uint8_t *data, size_t size)
{
	if (data)
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

/* The Multiboot 1 header may sit anywhere in the first 8 KiB, 4-aligned,
 * and its checksum makes magic + flags + checksum wrap to zero. */
static int has_multiboot1_header(const uint8_t *data, size_t size)
{
	size_t limit = size < 8192 ? size : 8192;

	for (size_t off = 0; off + 12 <= limit; off += 4) {
		uint32_t w[3];

		memcpy(w, data + off, sizeof(w));
		if (w[0] == 0x1BADB002u && (uint32_t)(w[0] + w[1] + w[2]) == 0)
			return 1;
	}
	return 0;
}

enum kj_format kj_format_detect(const uint8_t *data, size_t size)
{
	static const uint8_t xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
	static const uint8_t zstd[] = { 0x28, 0xb5, 0x2f, 0xfd };

	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
		return KJ_FORMAT_GZIP;
	if (size >= sizeof(xz) && !memcmp(data, xz, sizeof(xz)))
		return KJ_FORMAT_XZ;
	if (size >= sizeof(zstd) && !memcmp(data, zstd, sizeof(zstd)))
		return KJ_FORMAT_ZSTD;
	if (kj_bzimage_probe(data, size))
		return KJ_FORMAT_BZIMAGE;
	/* A Multiboot header wins over the ELF container it may sit in. */
	if (has_multiboot1_header(data, size))
		return KJ_FORMAT_MULTIBOOT1;
	if (size >= 4 && !memcmp(data, "\177ELF", 4))
		return KJ_FORMAT_ELF;
	return KJ_FORMAT_UNKNOWN;
}

const char *kj_format_name(enum kj_format format)
{
	switch (format) {
	case KJ_FORMAT_BZIMAGE:
		return "bzImage";
	case KJ_FORMAT_ELF:
		return "ELF";
	case KJ_FORMAT_MULTIBOOT1:
		return "multiboot";
	case KJ_FORMAT_GZIP:
		return "gzip";
	case KJ_FORMAT_XZ:
		return "xz";
	case KJ_FORMAT_ZSTD:
		return "zstd";
	case KJ_FORMAT_UNKNOWN:
		break;
	}
	return "unknown";
}
