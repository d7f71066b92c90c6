/* GRUB 2 configuration (grub.cfg) as a list of boot entries.
 *
 * grub.cfg is a script, so it is evaluated, not just read: a lexer
 * (grub_lex.c) and a small evaluator that knows the commands menus are
 * built from. Supported: set / unset / export / NAME=VALUE, $var ${var}
 * $1 $# $?, if/elif/else/fi with [ ] / test (= == != < > -eq -ne -lt -le
 * -gt -ge -z -n, ! ( ) -a -o; -e exists, -f is a regular file, -d a
 * directory, -s a regular file that is not empty, each looked up inside
 * its root without following a symlink out of it; "" names the whole
 * device, a directory), true / false / ! CMD, function definitions and
 * calls (with return; exit stops the scan), for NAME in WORDS; do ...
 * done and while/until LIST; do ... done (nested too; break [N] and
 * continue [N]; a loop stops with a warning after
 * KJ_GRUB_MAX_ITERATIONS rounds), menuentry / submenu (--id kept;
 * --class --users --unrestricted --hotkey ignored), linux / linux16 /
 * linuxefi, initrd / initrd16 / initrdefi, devicetree, multiboot /
 * multiboot2 / module / module2 (--nounzip accepted), search
 * (--fs-uuid/-u --label/-l --file/-f, --set[=VAR] or --set VAR,
 * --no-floppy and --hint* ignored) and search.fs_uuid / search.fs_label
 * / search.file, source / . (the file runs in the caller's variables and
 * its entries join the menu), configfile (see below), load_env [-f FILE]
 * [NAME...] (default $prefix/grubenv), blscfg (Boot Loader Spec entries
 * of the current $root, see bls.h), chainloader and other foreign
 * loaders (entry listed as unsupported). Any other command (insmod,
 * echo, terminal_output, loadfont, play, background_image, ...) is
 * ignored silently and succeeds. While a config runs, $config_file and
 * $config_directory name it, as in GRUB.
 *
 * configfile FILE, as GRUB does it: FILE runs in a new context that holds
 * only the exported variables (root, prefix, grub_cpu, grub_platform,
 * feature_*, config_*, and what `export` named). At the top level its
 * menu replaces the one built so far: the result is FILE's entries only,
 * with FILE's default and timeout, and nothing after the configfile line
 * runs (GRUB shows that menu at once); when FILE is missing or defines no
 * entry, evaluation goes on as if the line were not there. Inside a
 * submenu's body FILE's entries are that submenu's. A menuentry whose
 * body runs `configfile X` is listed as a submenu holding X's entries, or
 * as unsupported when X is missing or was read already, like a "reload"
 * entry. Nesting is capped (KJ_GRUB_MAX_NESTING, KJ_GRUB_MAX_FILES).
 *
 * Quoting and the command line: the lexer follows GRUB (see grub_lex.h),
 * including the Red Hat GRUB's \xHH, which stays as it is. The kernel
 * command line is built as GRUB's loaders build it: the words joined by
 * one blank, a word holding a blank put in double quotes as a whole
 * ("x=a b"), a backslash before each \, ' and " except in \xHH. A
 * module's cmdline holds its arguments only; GRUB also puts the file name
 * first, which a Multiboot loader may want to add back. --nounzip cannot
 * be recorded in struct kj_module yet.
 *
 * Devices: `search` sets its variable to a name "kjrootN" meaning root N
 * of the rootset; `(kjrootN)/path` and $root holding it resolve there.
 * Any other device, e.g. (hd0,gpt2) (BIOS disk numbers cannot be mapped
 * to the set) or (memdisk), is taken to be the scanned root. An entry's
 * root_name is the name of the root that holds its kernel, which is not
 * the scanned root when a `search` moved $root; its paths are absolute on
 * that root. An entry that cannot be booted (fwsetup, reboot, exit, a
 * foreign loader) carries the root its $root pointed to. An initrd on yet
 * another root gets a warning.
 *
 * An entry's title is its submenu titles and its own joined with '>' (the
 * syntax of GRUB's `default`); its id is --id (joined the same way inside
 * submenus) or the title. A menuentry body is evaluated when it is
 * defined, with a copy of the variables at that point (GRUB runs it when
 * the entry is chosen, so a body that reads a loop's variable instead of
 * its own arguments sees that round's value here, the last one in GRUB).
 * The default entry is the final value of `default`: an index, a title,
 * an id or a '>'-separated path of those (so "${saved_entry}" works);
 * unset means the first entry. Evaluation starts with $root and $prefix
 * set for the scanned root, grub_platform=efi, grub_cpu=x86_64 and GRUB's
 * feature_* flags. Every cap (tokens, words of 65535 bytes, commands,
 * nesting, files, entries, loop rounds) warns naming the file when it is
 * reached. */
#ifndef KJ_BOOT_GRUB_H
#define KJ_BOOT_GRUB_H

#include <stdbool.h>

#include "boot/entry.h"
#include "boot/root.h"

#define KJ_GRUB_MAX_NESTING 8	/* configfile/source depth */
#define KJ_GRUB_MAX_FILES 32	/* configs read in one scan */
#define KJ_GRUB_MAX_DEPTH 64	/* nested blocks + function calls */
#define KJ_GRUB_MAX_STEPS 50000 /* commands evaluated in one scan */
#define KJ_GRUB_MAX_SUBMENU 8
#define KJ_GRUB_MAX_ITERATIONS 1024 /* rounds of one loop */

/* What else the menu said, for a later menu front end. */
struct kj_grub_info {
	char *config;	    /* the grub.cfg read, within the scanned root */
	bool has_timeout;   /* `timeout` was set to a number */
	int timeout;	    /* seconds; -1 waits for a key */
	char *default_spec; /* the final `default`, NULL when unset */
};

void kj_grub_info_free(struct kj_grub_info *info);

/* Find /boot/grub/grub.cfg, /grub/grub.cfg, /boot/grub2/grub.cfg,
 * /grub2/grub.cfg, /EFI/BOOT/grub.cfg, another /EFI/\*\/grub.cfg (the
 * /EFI ones in any letter case, as on FAT) or /grub.cfg (first found) on
 * set->v[root_index], evaluate it and append its entries to out (exactly
 * one of them is_default). Returns the number of entries appended,
 * -ENOENT when there is no grub.cfg, -EINVAL for a bad root_index,
 * -ENOMEM. Broken configs only give warnings. */
int kj_grub_scan(const struct kj_rootset *set, size_t root_index,
		 struct kj_entry_list *out, struct kj_warnings *warn);

/* The same with an explicit config path (NULL: search as above) and the
 * extra menu information (info may be NULL; free it with
 * kj_grub_info_free). */
int kj_grub_scan_config(const struct kj_rootset *set, size_t root_index,
			const char *config, struct kj_entry_list *out,
			struct kj_grub_info *info, struct kj_warnings *warn);

#endif
