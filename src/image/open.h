/* Opening files that may live on an untrusted filesystem. */
#ifndef KJ_IMAGE_OPEN_H
#define KJ_IMAGE_OPEN_H

#include <sys/types.h>

#include "core/err.h"

/* Open a regular file read-only (O_CLOEXEC | O_NOCTTY). With dirfd >= 0
 * the path is resolved inside that directory as if it were "/" (openat2
 * RESOLVE_IN_ROOT), so symlinks and ".." on a disk cannot reach the
 * host's files; with dirfd < 0 it is an ordinary path.
 *
 * Anything that is not a regular file is refused without being opened
 * for reading: the path is looked up with O_PATH first, and only a
 * regular file is then opened (O_NONBLOCK, cleared afterwards, and checked
 * to be the same inode). So a FIFO, a device or a socket that a disk puts
 * where a config or a kernel should be can neither block the open nor
 * trigger a driver's open. Returns an fd, -EISDIR for a directory,
 * -EINVAL for any other non-regular file, or -errno. */
int kj_open_file(int dirfd, const char *path);

/* The same, filling err with one line naming path and what it is
 * ("boot/grub.cfg: a FIFO, not a regular file"). */
int kj_open_regular(int dirfd, const char *path, struct kj_err *err);

/* "a FIFO", "a directory", "a character device", ... for a st_mode. */
const char *kj_file_kind(mode_t mode);

#endif
