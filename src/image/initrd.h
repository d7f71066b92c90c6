/* Initial ramdisks: several files are concatenated in order into one
 * (a memfd), as boot loaders do; the kernel unpacks each cpio in turn. */
#ifndef KJ_IMAGE_INITRD_H
#define KJ_IMAGE_INITRD_H

#include <stddef.h>

#include "core/err.h"

/* Return an fd (>= 0) holding the concatenation of paths[0..n), or a
 * negative errno. With one file its own fd is returned (no copy). Paths
 * are resolved inside dirfd when it is >= 0 (see kj_open_file). */
int kj_initrd_open(int dirfd, const char *const *paths, size_t n,
		   struct kj_err *err);

#endif
