/* Boot entries from SYSLINUX, ISOLINUX, EXTLINUX and PXELINUX configs.
 *
 * One config is looked for per family, the first that exists in the order
 * the loader itself searches:
 *   syslinux  /boot/syslinux/syslinux.cfg, /syslinux/syslinux.cfg,
 *             /syslinux.cfg
 *   extlinux  /boot/extlinux/extlinux.conf, /extlinux/extlinux.conf
 *             (also the U-Boot "sysboot" dialect: FDT, DEVICETREE, FDTDIR)
 *   isolinux  /boot/isolinux/isolinux.cfg, /isolinux/isolinux.cfg
 *   pxelinux  /pxelinux.cfg/default (relative paths start at "/", the
 *             TFTP root that holds pxelinux.cfg)
 * All families found are scanned, in that order; an entry defined at a
 * file:line already listed (two families sharing an included file) is not
 * listed twice. Only the first family that names a default marks one.
 *
 * Choices (syslinux behaviour unless said otherwise):
 *  - a label's name (its id, and its title without MENU LABEL) is what
 *    the parser that reads the config makes of the LABEL line: with
 *    UI menu.c32/vesamenu.c32 (or DEFAULT naming one, without UI) the
 *    menu module's, which keeps the whole rest of the line ("Live system
 *    (amd64)", and DEFAULT is matched against all of it); else the
 *    core's, which takes its first word. The image a label boots by
 *    default is its first word either way;
 *  - relative paths start at the directory of the main config (or the one a
 *    CONFIG label names); INCLUDE does not change it;
 *  - a missing INCLUDE file is skipped silently, as syslinux does (Debian's
 *    installer menus rely on it); other read errors are warnings;
 *  - the default is the last MENU DEFAULT of the top menu; else the label
 *    DEFAULT names; else, with no UI and IMPLICIT not 0, DEFAULT itself as
 *    a kernel with arguments (an entry with id "default", the global
 *    APPEND first); else ONTIMEOUT the same way (id "ontimeout": what
 *    boots when the menu times out); else, with a menu (UI, or DEFAULT
 *    menu.c32/vesamenu.c32), the first entry of the top menu;
 *  - MENU HIDE entries are not listed, unless the entry is the default:
 *    kj_entry has no "hidden" mark and a hidden default still boots;
 *  - MENU BEGIN/END submenus are flattened; navigation labels (MENU EXIT,
 *    MENU GOTO, MENU QUIT, MENU DISABLE) are not entries;
 *  - a CONFIG label, or a menu.c32/vesamenu.c32 label with a config file
 *    argument, is followed: that config's entries are listed (never as the
 *    default), each main config at most once, at most 16 per scan;
 *  - INITRD and `initrd=` in the command line become the initrd list and
 *    are removed from the command line; like syslinux's core, the first
 *    `initrd=` word wins (INITRD counts as coming after APPEND);
 *  - mboot.c32 entries are KJ_ENTRY_MULTIBOOT: APPEND is split on `---`,
 *    the first part is the kernel, the rest are modules; each part's first
 *    word is the path, the remaining words its command line (without the
 *    path: a Multiboot loader that wants GRUB's convention prepends it);
 *  - linux.c32 entries are Linux entries (first APPEND word = kernel);
 *  - other .c32 modules, LOCALBOOT, boot sectors, PXE, floppy images and
 *    network paths ("host::file", "http://...") are KJ_ENTRY_UNSUPPORTED;
 *  - FDTDIR is accepted and unused: the file name depends on the board,
 *    and with no devicetree the loader keeps the running one;
 *  - PATH, IPAPPEND/SYSAPPEND, and pxelinux's per-MAC/IP configs are not
 *    used (they depend on the machine and the network at boot time).
 * Caps for hostile disks: INCLUDE nesting 16, 256 files and 8 MiB read
 * per scan, lines cut at 4 KiB (syslinux's own line buffer), 2048 labels
 * per config; each cap reached is a warning.
 */
#ifndef KJ_BOOT_SYSLINUX_H
#define KJ_BOOT_SYSLINUX_H

#include <stdbool.h>

#include "boot/entry.h"
#include "boot/root.h"

/* Menu settings of the first main config found. */
struct kj_syslinux_info {
	const char *config; /* that config's path, NULL when none was found */
	int timeout;        /* TIMEOUT in 1/10 s; 0 = wait forever (default) */
	int totaltimeout;   /* TOTALTIMEOUT in 1/10 s; 0 = none */
	bool prompt;        /* PROMPT 1 */
	bool menu;          /* UI, or DEFAULT names menu.c32/vesamenu.c32 */
};

/* Scan the standard locations. Appends to out; warnings go to warn (may be
 * NULL); info (may be NULL) gets the first main config's menu settings.
 * Returns 0, or -ENOMEM. */
int kj_syslinux_scan_info(const struct kj_root *root,
			  struct kj_entry_list *out, struct kj_warnings *warn,
			  struct kj_syslinux_info *info);

/* Parse one main config (path absolute within the root) and what it
 * includes or follows. base is where relative paths start (NULL: the
 * config's directory). info->config points to config. 0 or -ENOMEM. */
int kj_syslinux_parse(const struct kj_root *root, const char *config,
		      const char *base, struct kj_entry_list *out,
		      struct kj_warnings *warn, struct kj_syslinux_info *info);

#endif
