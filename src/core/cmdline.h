/* Building the next kernel's command line.
 *
 * Words are split the way the kernel splits them: on white space, except
 * inside double quotes ("opt=\"a b\"" is one word). */
#ifndef KJ_CORE_CMDLINE_H
#define KJ_CORE_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/* A growable command line. */
struct kj_cmdline {
	char *text; /* NUL-terminated, never NULL after init */
	size_t len;
};

int kj_cmdline_init(struct kj_cmdline *cl, const char *text);
void kj_cmdline_free(struct kj_cmdline *cl);

/* Append words (space-separated from what is there). */
int kj_cmdline_append(struct kj_cmdline *cl, const char *words);

/* Remove every word NAME or NAME=... */
int kj_cmdline_remove_arg(struct kj_cmdline *cl, const char *name);

/* Replace the first NAME or NAME=... with NAME=VALUE (or add it at the
 * end) and drop any later ones; "NAME" alone sets a bare flag. */
int kj_cmdline_set_arg(struct kj_cmdline *cl, const char *name_value);

/* The running kernel's command line (running: /proc/cmdline's text) for
 * --reuse-cmdline, without BOOT_IMAGE=... (a boot loader's note, wrong
 * for the next kernel) and, for a panic load, without crashkernel=...
 * (the crash kernel must not reserve memory again). 0 or -ENOMEM. */
int kj_cmdline_reuse(struct kj_cmdline *cl, const char *running, bool panic);

/* "PATH ARGS" (or "PATH" when args is empty), malloc'd; NULL when out of
 * memory. What Multiboot loaders other than GRUB hand a kernel and its
 * modules (QEMU, kexec-tools): Xen, for one, drops the first word unless
 * the boot loader's name says GRUB 2. */
char *kj_cmdline_with_path(const char *path, const char *args);

#endif
