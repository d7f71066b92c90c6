/* Variables of the GRUB evaluator, and the GRUB environment block.
 *
 * `struct kj_vars` is a small ordered name/value store: the GRUB script
 * evaluator keeps its variables in it, load_env fills it from a grubenv
 * file, and the BLS parser reads `$kernelopts`-style values from it.
 *
 * A grubenv file (/boot/grub/grubenv) is a 1 KiB block that starts with
 * "# GRUB Environment Block\n", holds NAME=VALUE lines and is padded with
 * '#'. grub-editenv escapes a backslash as "\\" and a newline inside a
 * value as a backslash followed by the newline; a backslash before any
 * other character stands for that character (this is what GRUB reads). */
#ifndef KJ_BOOT_GRUBENV_H
#define KJ_BOOT_GRUBENV_H

#include <stddef.h>

#include "boot/entry.h"
#include "boot/root.h"

#define KJ_VARS_MAX 512		  /* names per store */
#define KJ_VAR_NAME_MAX 128	  /* bytes in a name */
#define KJ_VAR_VALUE_MAX 16384	  /* bytes in a value */
#define KJ_GRUBENV_MAX_SIZE 65536 /* a real block is 1024 bytes */

struct kj_var {
	char *name;
	char *value;
};

struct kj_vars {
	struct kj_var *v;
	size_t n;
};

/* NULL when unset. */
const char *kj_vars_get(const struct kj_vars *vars, const char *name);
/* Copies both strings; 0, -ENOMEM, -E2BIG (store full or value too long)
 * or -EINVAL (empty or too long name). */
int kj_vars_set(struct kj_vars *vars, const char *name, const char *value);
void kj_vars_unset(struct kj_vars *vars, const char *name);
/* dst must be empty or freed; on failure dst is left empty. */
int kj_vars_copy(struct kj_vars *dst, const struct kj_vars *src);
void kj_vars_free(struct kj_vars *vars);

/* Parse a grubenv block held in memory into vars (existing names are
 * overwritten). name is used in warnings. A missing header or a line that
 * is not NAME=VALUE gives a warning; the rest is still read. Returns 0,
 * -EINVAL when the header is missing (nothing is read), or -ENOMEM. */
int kj_grubenv_parse(const char *data, size_t len, const char *name,
		     struct kj_vars *vars, struct kj_warnings *warn);

/* Read and parse path on root; -ENOENT when it does not exist (no
 * warning, a missing grubenv is normal), other errors warn. */
int kj_grubenv_load(const struct kj_root *root, const char *path,
		    struct kj_vars *vars, struct kj_warnings *warn);

#endif
