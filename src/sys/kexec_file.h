/* kexec_file_load(2): the kernel reads, verifies and places the image
 * itself from file descriptors; no copy in user space. */
#ifndef KJ_SYS_KEXEC_FILE_H
#define KJ_SYS_KEXEC_FILE_H

#include <stdbool.h>

#include "core/err.h"

/* Load kernel_fd (and initrd_fd, or -1 for none) with cmdline.
 * name is the kernel's path, for messages. */
int kj_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline,
		       bool panic, const char *name, struct kj_err *err);

/* Unload the normal or crash kernel. */
int kj_kexec_file_unload(bool panic, struct kj_err *err);

#endif
