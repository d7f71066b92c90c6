/* Find boot entries on a set of roots: directories, block devices (mounted
 * read-only by us, in a way that never writes to them: see ro_mount.h),
 * or, with no arguments, every block device that holds a filesystem plus
 * the running system's /boot. Every parser runs over every root; a broken
 * config on one root only adds warnings. */
#ifndef KJ_BOOT_SCAN_H
#define KJ_BOOT_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "boot/entry.h"
#include "boot/ro_mount.h"
#include "boot/root.h"
#include "core/err.h"

#define KJ_SCAN_MAX_ROOTS 64

struct kj_scan {
	struct kj_rootset set;
	struct kj_root roots[KJ_SCAN_MAX_ROOTS];
	char *names[KJ_SCAN_MAX_ROOTS];      /* what each root is called */
	struct kj_ro_mount mounts[KJ_SCAN_MAX_ROOTS]; /* ours to unmount */
	struct kj_entry_list entries;
	struct kj_warnings warnings;  /* "ROOT: file:line: reason" */
	int timeout_tenths;           /* first config's menu timeout, -1 none */
};

/* Open the roots (NULL/0 = everything this machine has) and read every
 * boot config on them. Fails only when an explicitly named root cannot
 * be opened or memory runs out. */
int kj_scan(struct kj_scan *scan, const char *const *roots, size_t n,
	    struct kj_err *err);

/* Unmount what kj_scan mounted and free everything. */
void kj_scan_free(struct kj_scan *scan);

/* The root an entry's files live on (by its root_name), or NULL. */
const struct kj_root *kj_scan_root_of(const struct kj_scan *scan,
				      const struct kj_entry *e);

/* The default entry: the config's default on the first root that has
 * one, else the first bootable entry. -1 when nothing is bootable. */
long kj_scan_default(const struct kj_scan *scan);

/* Find an entry by id, then exact title, then index. -1 if none. */
long kj_scan_find(const struct kj_scan *scan, const char *what);

#endif
