/* kexec_file_load(2): the kernel reads, verifies and places the image
 * itself from file descriptors; no copy in user space. */
#ifndef KJ_SYS_KEXEC_FILE_H
#define KJ_SYS_KEXEC_FILE_H

#include <stdbool.h>

#include "core/err.h"

/* Flags kjump passes on as the user asked (<linux/kexec.h> values;
 * kernels that do not know them refuse the call with EINVAL). */
#define KJ_KEXEC_FILE_NO_CMA 0x10ul
#define KJ_KEXEC_FILE_FORCE_DTB 0x20ul /* x86 */

/* Load kernel_fd (and initrd_fd, or -1 for none) with cmdline. flags
 * adds KJ_KEXEC_FILE_*. name is the kernel's path, for messages. */
int kj_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline,
		       bool panic, unsigned long flags, const char *name,
		       struct kj_err *err);

/* Unload the normal or crash kernel. */
int kj_kexec_file_unload(bool panic, struct kj_err *err);

#endif
