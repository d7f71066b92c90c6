/* A filesystem root that boot configs are read from.
 *
 * Configs come from untrusted disks, so every file is opened inside its
 * root with openat2(RESOLVE_IN_ROOT): symlinks and ".." cannot leave it.
 * A root can also be an in-memory table of files, which the unit tests and
 * fuzz targets use to feed a parser without touching the disk. */
#ifndef KJ_BOOT_ROOT_H
#define KJ_BOOT_ROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/err.h"

#define KJ_MAX_CONFIG_SIZE (1u << 20) /* 1 MiB: no real menu is bigger */

struct kj_memfile {
	const char *path; /* absolute within the root, e.g. "/boot/grub/grub.cfg" */
	const char *data;
	size_t size;
};

struct kj_root {
	const char *name; /* the ROOT argument (directory or device), for output */
	int dirfd;        /* directory fd, or -1 when mem is used */
	const struct kj_memfile *mem;
	size_t n_mem;
	/* Filled from libblkid for block devices (NULL for plain dirs). */
	char *fs_uuid;
	char *fs_label;
	char *fs_type;
};

/* A set of roots scanned together, so that GRUB `search --fs-uuid` and
 * `root=UUID=` can find files on another root of the same set. */
struct kj_rootset {
	struct kj_root *v;
	size_t n;
};

/* Open a directory as a root. name is kept by reference. */
int kj_root_open_dir(struct kj_root *root, const char *dir, const char *name,
		     struct kj_err *err);
void kj_root_close(struct kj_root *root);

/* Read a whole file inside the root (path absolute within the root; a
 * relative path is taken from the root too). Fails with -EFBIG past maxsize.
 * The buffer is NUL-terminated; *len excludes the NUL. */
int kj_root_read(const struct kj_root *root, const char *path, size_t maxsize,
		 char **out, size_t *len, struct kj_err *err);

/* The reason part of an error kj_root_read filled: err->msg without its
 * leading "path: ", for warnings that name the file themselves. */
const char *kj_root_err_reason(const struct kj_err *err, const char *path);

/* What path names inside the root, looked up without opening it and
 * without leaving the root (O_PATH, RESOLVE_IN_ROOT: a symlink resolves
 * inside the root): *mode gets its type bits, *size its size (either may
 * be NULL). In a memory root the table's files are regular files and
 * every directory above one is a directory. 0 or -errno. */
int kj_root_stat(const struct kj_root *root, const char *path, mode_t *mode,
		 size_t *size);

/* Does a regular file or directory exist at path inside the root? */
bool kj_root_exists(const struct kj_root *root, const char *path);

/* Open a file inside the root for reading (O_RDONLY|O_CLOEXEC); -errno.
 * Only for directory roots. */
int kj_root_openat(const struct kj_root *root, const char *path);

/* The spelling path has inside the root when each component may differ
 * in letter case (FAT, where firmware and GRUB ignore case): an exact
 * match wins, else the first name (bytewise order) equal ignoring case.
 * Returns a malloc'd absolute path, or NULL when there is none. */
char *kj_root_find_nocase(const struct kj_root *root, const char *path);

/* List the names in a directory inside the root (no "." or ".."), sorted
 * bytewise. Caps at max names. Caller frees with kj_root_names_free. */
int kj_root_list(const struct kj_root *root, const char *dir, size_t max,
		 char ***names, size_t *n);
void kj_root_names_free(char **names, size_t n);

/* Join a base directory and a relative path into an absolute, normalised
 * path within the root ("." and ".." resolved lexically, never above "/").
 * An absolute rel ignores base. Returns malloc'd string or NULL. */
char *kj_path_join(const char *base, const char *rel);

/* The directory part of an absolute path ("/a/b/c" -> "/a/b"). */
char *kj_path_dirname(const char *path);

#endif
