/* Kernels and modules as their loaders want them: decompressed when the
 * file starts with a gzip, xz or zstd magic, else the file's own bytes.
 *
 * The decompressed size is bounded (KJ_UNPACK_MAX, or the caller's
 * limit): a decompression bomb fails with a clear message instead of
 * eating the machine's memory. */
#ifndef KJ_IMAGE_UNPACK_H
#define KJ_IMAGE_UNPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define KJ_UNPACK_MAX (512ull << 20)

struct kj_unpacked {
	const uint8_t *data; /* what to load: buf, or the input */
	size_t size;
	uint8_t *buf;		 /* malloc'd when decompressed, else NULL */
	const char *compression; /* "gzip", "xz", "zstd" or NULL */
};

/* Decompress data[0..size) if it is compressed and decompress is true;
 * otherwise borrow it (it must outlive u). max 0 means KJ_UNPACK_MAX. */
int kj_unpack(const uint8_t *data, size_t size, const char *name,
	      bool decompress, size_t max, struct kj_unpacked *u,
	      struct kj_err *err);
void kj_unpacked_free(struct kj_unpacked *u);

/* An anonymous file (memfd) holding u's bytes, at offset 0, for
 * kexec_file_load, which takes file descriptors. Returns the fd. */
int kj_unpacked_memfd(const struct kj_unpacked *u, const char *name,
		      struct kj_err *err);

#endif
