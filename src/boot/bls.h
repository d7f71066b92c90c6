/* Boot Loader Specification (UAPI) Type #1 entries.
 *
 * Reads /loader/entries/\*.conf and /boot/loader/entries/\*.conf on one
 * root. Keys: title, version, machine-id, sort-key, linux, initrd
 * (repeatable, kept in order; one line may name several files, as
 * Fedora's `initrd /initramfs.img $tuned_initrd` does), options
 * (repeatable, joined with spaces), devicetree, architecture (an entry for
 * another architecture is hidden), efi (listed as unsupported). Other keys
 * (devicetree-overlay, grub_users, grub_arg, grub_class, ...) are ignored.
 *
 * `$name` and `${name}` in linux/initrd/options/devicetree are replaced
 * from vars (the GRUB environment: `$kernelopts`, `$tuned_params`); when
 * vars is NULL the root's own grubenv is read (/boot/grub2/grubenv,
 * /grub2/grubenv, /boot/grub/grubenv, /grub/grubenv). An unset name
 * becomes "" with a warning.
 *
 * Boot counting: a file named NAME+LEFT[-DONE].conf has the id NAME; with
 * LEFT = 0 it is "bad".
 *
 * Entries are appended to out sorted as the specification says: "bad"
 * entries after all others; among the rest and among the bad ones,
 * entries with a sort-key first, by sort-key, then machine-id (both
 * increasing), then version (decreasing); then the rest by file name
 * without ".conf" (decreasing version order, the counter included). id is
 * the file name without ".conf" and without the counter.
 *
 * The default is the first entry (in that order) whose id matches the
 * `default` glob of /loader/loader.conf (or /boot/loader/loader.conf; the
 * glob is tried against the id with and without ".conf"), else the
 * grubenv's saved_entry, else its `default` (an id or an index), else the
 * first entry; a bad entry is never the default while a good one exists.
 *
 * Caps for hostile disks, each a warning: KJ_BLS_MAX_NAMES names per
 * directory, KJ_BLS_MAX_BYTES read per scan, and of the entries read, the
 * first KJ_BLS_MAX_FILES in the specification's order are listed (all are
 * read and sorted first; the default is always kept). */
#ifndef KJ_BOOT_BLS_H
#define KJ_BOOT_BLS_H

#include "boot/entry.h"
#include "boot/grubenv.h"
#include "boot/root.h"

#define KJ_BLS_MAX_FILES 256	    /* entries listed, after sorting */
#define KJ_BLS_MAX_NAMES 4096	    /* names looked at per directory */
#define KJ_BLS_MAX_BYTES (8u << 20) /* entry bytes read per scan */
#define KJ_BLS_MAX_FILE_SIZE 65536

/* Returns the number of entries appended (>= 0), or -ENOMEM. A root
 * without entries returns 0. */
int kj_bls_scan(const struct kj_root *root, const struct kj_vars *vars,
		struct kj_entry_list *out, struct kj_warnings *warn);

/* The UAPI version comparison (<0, 0, >0 like strcmp):
 * "1.0~rc1" < "1.0" < "1.0^1" < "1.0.1", "6.1-2" < "6.1.1-1", numbers
 * compare as numbers and sort after letters. */
int kj_bls_version_cmp(const char *a, const char *b);

#endif
