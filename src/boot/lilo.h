/* Boot entries from a LILO config (/etc/lilo.conf, else /boot/lilo.conf).
 *
 * The file is a list of `name` and `name=value` items (values may be
 * double-quoted, with \" and \\ inside; a backslash at the end of a line
 * continues it; # starts a comment). Items before the first image= or
 * other= are global and are the defaults of every section.
 *
 * Used: image=, other=, label=, alias= (for default=), append=,
 * addappend=, literal= (the whole command line: no root=, ro or append),
 * initrd=, noinitrd, root= (added as root=; "current" is left out: the
 * device LILO ran on is unknown here), read-only/read-write (ro/rw),
 * optional (the image is skipped when its file is missing), default=,
 * timeout= and delay= (1/10 s), prompt. The command line is "ro root=X append
 * addappend", like LILO's.
 *
 * other= sections (another OS's boot sector) and images on a device
 * (image=/dev/..., range=) are KJ_ENTRY_UNSUPPORTED. Relative paths start
 * at the config's directory (LILO takes them from where it ran). vga=,
 * ramdisk=, passwords and the map/boot-sector options do not change what
 * kexec loads and are ignored. Values are cut at 4 KiB and sections
 * capped at KJ_MAX_ENTRIES, with a warning.
 */
#ifndef KJ_BOOT_LILO_H
#define KJ_BOOT_LILO_H

#include <stdbool.h>

#include "boot/entry.h"
#include "boot/root.h"

struct kj_lilo_info {
	const char *config; /* the config read, NULL when none was found */
	int timeout;        /* timeout= in 1/10 s, with prompt; 0 = none */
	int delay;          /* delay= in 1/10 s, without prompt; 0 = none */
	bool prompt;        /* prompt: wait at the boot: prompt */
};

/* Scan /etc/lilo.conf, else /boot/lilo.conf. Appends to out; warnings go
 * to warn (may be NULL). Returns 0, or -ENOMEM. */
int kj_lilo_scan(const struct kj_root *root, struct kj_entry_list *out,
		 struct kj_warnings *warn);

/* The same, also filling info (may be NULL). */
int kj_lilo_scan_info(const struct kj_root *root, struct kj_entry_list *out,
		      struct kj_warnings *warn, struct kj_lilo_info *info);

/* Parse one config (path absolute within the root). info->config points
 * to config. 0 or -ENOMEM. */
int kj_lilo_parse(const struct kj_root *root, const char *config,
		  struct kj_entry_list *out, struct kj_warnings *warn,
		  struct kj_lilo_info *info);

#endif
