/* The one-shot next-boot record: `kjump boot --once ENTRY --reboot`
 * writes it, the next `kjump menu` reads it, deletes it, then boots the
 * entry (deleting first, so an entry that hangs cannot loop).
 *
 * Where it lives:
 *  - with efivarfs: the EFI variable LoaderEntryOneShot (Boot Loader
 *    Interface GUID), which systemd's bootctl and others also write;
 *  - else a state file. The state spec names it: a block device
 *    (/dev/sdb1, LABEL=X, UUID=X) means the file /kjump/oneshot on that
 *    filesystem, mounted read-write only for the moment of the access;
 *    anything else is the path of the file itself. The default spec is
 *    LABEL=KJUMP: the boot-loader medium carrying that label.
 * The file holds the entry id and a newline. */
#ifndef KJ_BOOT_ONESHOT_H
#define KJ_BOOT_ONESHOT_H

#include <stdbool.h>

#include "core/err.h"

#define KJ_ONESHOT_DEFAULT_STATE "LABEL=KJUMP"
#define KJ_ONESHOT_FILE "/kjump/oneshot"
#define KJ_ONESHOT_MAX 256 /* bytes of entry id */

/* Record entry for the next start. state may be NULL (the default). */
int kj_oneshot_put(const char *state, const char *entry, struct kj_err *err);

/* Read and delete the record. 0 and *entry = NULL when there is none,
 * 1 (and NULL) when the state device is not there (yet: the caller may
 * try again when disks appear); the caller frees *entry. On a failure to
 * delete, nothing is returned: better the menu than a loop. */
int kj_oneshot_take(const char *state, char **entry, struct kj_err *err);

/* A state file on a plain path (no mounting): read / write / delete. */
int kj_oneshot_file_get(const char *path, char **entry, struct kj_err *err);
int kj_oneshot_file_set(const char *path, const char *entry,
			struct kj_err *err);
int kj_oneshot_file_clear(const char *path, struct kj_err *err);

#endif
