/* A kernel, initrd or module file, opened and mapped read-only.
 *
 * What a file holds is judged by its content (the loader table and the
 * decompressors), never by its name. */
#ifndef KJ_IMAGE_IMAGE_H
#define KJ_IMAGE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct kj_image {
	const char *path; /* as given, for messages */
	int fd;
	const uint8_t *data; /* whole file, mapped (NULL for an empty file) */
	size_t size;
};

/* Open and map a regular file. */
int kj_image_open(struct kj_image *img, const char *path, struct kj_err *err);

/* The same, resolving path inside the directory dirfd (see kj_open_file);
 * dirfd < 0 opens a host path. */
int kj_image_open_at(struct kj_image *img, int dirfd, const char *path,
		     struct kj_err *err);
void kj_image_close(struct kj_image *img);

/* Map all of an open regular file read-only; fd < 0 or an empty file give
 * NULL/0. name is for messages. Undo with kj_unmap. */
int kj_map_fd(int fd, const char *name, const uint8_t **data, size_t *size,
	      struct kj_err *err);
void kj_unmap(const uint8_t *data, size_t size);

#endif
