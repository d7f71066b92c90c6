/* Mounting a disk to read its boot configs without writing to it.
 *
 * A read-only mount alone is not enough: ext3/ext4 replay a dirty journal
 * on a read-only mount (and run orphan cleanup), XFS recovers its log,
 * btrfs replays its log tree, f2fs rolls forward. So the device itself is
 * set read-only (BLKROSET) before the mount, and the mount asks the
 * filesystem not to recover: noload (ext3, ext4), norecovery (xfs, f2fs),
 * rescue=nologreplay (btrfs), always with ro, nosuid, nodev, noexec. The
 * device's read-only flag is put back as it was after the unmount.
 *
 * A device that is mounted already (the running system's /home, say) keeps
 * its flag: setting it would make that mount's writes fail. Such a mount
 * is the kernel's to share, and the filesystem is not recovered again. */
#ifndef KJ_BOOT_RO_MOUNT_H
#define KJ_BOOT_RO_MOUNT_H

#include <stdbool.h>

#include "boot/entry.h"
#include "core/err.h"

struct kj_ro_mount {
	char *dir;  /* the mount point, a fresh private directory */
	int dev_fd; /* the device while we hold its read-only flag, or -1 */
	int old_ro; /* the flag before we set it */
};

/* The filesystem-specific mount data that stops recovery, or NULL. */
const char *kj_ro_mount_data(const char *type);

/* Set dev read-only and mount it (type as blkid names it) in a new
 * directory under parent. Problems that still allow a safe mount (the
 * flag cannot be set) are warnings. 0, or -errno with err filled (and
 * nothing left behind). */
int kj_ro_mount(const char *dev, const char *type, const char *parent,
		struct kj_ro_mount *m, struct kj_warnings *warn,
		struct kj_err *err);

/* Unmount, remove the directory, put the device's flag back. */
void kj_ro_umount(struct kj_ro_mount *m);

#endif
