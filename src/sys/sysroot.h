/* The one door to /proc, /sys and other files of the running system.
 *
 * Loaders and the CLI never open "/proc/..." or "/sys/..." themselves: they
 * ask here, and KJUMP_SYSROOT=DIR redirects every such path into a fixture
 * tree, so plans and status output can be built and checked without root. */
#ifndef KJ_SYS_SYSROOT_H
#define KJ_SYS_SYSROOT_H

#include <stddef.h>
#include <sys/types.h>

#include "core/err.h"

/* Write the real path for a system path such as "/proc/cmdline" into buf.
 * Returns 0, or -ENAMETOOLONG. */
int kj_sys_path(const char *syspath, char *buf, size_t bufsz);

/* Open a system file read-only (O_CLOEXEC). Anything but a regular file
 * is refused without blocking (see kj_open_file): -EISDIR, -EINVAL.
 * Returns an fd or -errno. */
int kj_sys_open(const char *syspath);

/* Open a character device such as /dev/mem read-only (a regular file
 * stands in for it in a fixture tree; anything else is -EINVAL). */
int kj_sys_open_device(const char *syspath);

/* Read a whole (small) system file into a NUL-terminated malloc'd buffer.
 * *len receives the byte count (may be NULL). Capped at maxlen bytes. */
int kj_sys_read(const char *syspath, size_t maxlen, char **out, size_t *len,
		struct kj_err *err);

/* Read a system file holding one integer ("1\n"). */
int kj_sys_read_long(const char *syspath, long *out, struct kj_err *err);

/* Does the system path exist? */
int kj_sys_exists(const char *syspath);

#endif
