/* Boot Loader Specification Type #2 entries: Unified Kernel Images in
 * /EFI/Linux/ on an ESP or XBOOTLDR filesystem (and, on the running
 * system's "/" root, where those are mounted: /boot, /efi, /boot/efi).
 *
 * Each *.efi file (not starting with '.', suffix in any case) that
 * parses as a UKI for this architecture is one entry: id its file name,
 * title .osrel's PRETTY_NAME (else NAME, ID, the file name) with the
 * .uname kernel version after it in parentheses, command line .cmdline
 * (trimmed as systemd-stub does), kernel the file itself (the load step
 * unwraps it and takes its .initrd). Entries are sorted by .osrel's
 * VERSION_ID, then the file name, both in decreasing version order, as
 * the specification sorts. A file that does not parse is a warning. */
#ifndef KJ_BOOT_UKI_ENTRIES_H
#define KJ_BOOT_UKI_ENTRIES_H

#include "boot/entry.h"
#include "boot/root.h"

#define KJ_UKI_MAX_FILES 256

/* Returns the number of entries appended (>= 0), or -ENOMEM. */
int kj_uki_entries_scan(const struct kj_root *root, struct kj_entry_list *out,
			struct kj_warnings *warn);

#endif
