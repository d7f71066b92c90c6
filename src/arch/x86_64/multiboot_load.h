/* `kjump load` for a Multiboot 1 kernel, in one call: open (and unless
 * --no-decompress, decompress) the modules, read the memory map, make
 * the plan, fill the purgatory, then print it (--dry-run) or hand it to
 * kexec_load. Multiboot has no kexec_file_load path: the running
 * kernel's file loaders only take Linux. */
#ifndef KJ_ARCH_X86_64_MULTIBOOT_LOAD_H
#define KJ_ARCH_X86_64_MULTIBOOT_LOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "core/request.h"
#include "loaders/multiboot1.h"

/* The path part of a module's "FILE ARGS" (up to the first blank), into
 * buf; -ENAMETOOLONG / -EINVAL (empty) with err filled. */
int kj_module_path(const char *spec, char *buf, size_t bufsz,
		   struct kj_err *err);

/* image: the decompressed kernel, parsed into mb; cmdline: what the MBI
 * gets ("PATH ARGS"). out: where --dry-run prints. */
int kj_x86_kexec_load_multiboot(const struct kj_load_request *req,
				const uint8_t *image, size_t image_len,
				const struct kj_mb1 *mb, const char *cmdline,
				FILE *out, struct kj_err *err);

#endif
