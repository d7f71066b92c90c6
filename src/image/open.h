/* Opening files that may live on an untrusted filesystem. */
#ifndef KJ_IMAGE_OPEN_H
#define KJ_IMAGE_OPEN_H

/* Open path read-only (O_CLOEXEC). With dirfd >= 0 the path is resolved
 * inside that directory as if it were "/" (openat2 RESOLVE_IN_ROOT), so
 * symlinks and ".." on a disk cannot reach the host's files; with
 * dirfd < 0 it is an ordinary open(). Returns an fd or -errno. */
int kj_open_file(int dirfd, const char *path);

#endif
