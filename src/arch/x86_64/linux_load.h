/* `kjump load --syscall load` for an x86_64 bzImage, in one call: read
 * the memory map and what the running system knows, make the plan, fill
 * the purgatory, then print the plan (--dry-run) or hand it to
 * kexec_load. The CLI has already parsed and checked the image. */
#ifndef KJ_ARCH_X86_64_LINUX_LOAD_H
#define KJ_ARCH_X86_64_LINUX_LOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "core/request.h"
#include "loaders/bzimage.h"

/* initrd_fd: -1 for none (e.g. from kj_initrd_open()); cmdline: the
 * final command line; out: where --dry-run prints (text, or JSON with
 * req->json). With req->verbose, notes go to stderr. */
int kj_x86_kexec_load_bzimage(const struct kj_load_request *req,
			      const uint8_t *image, size_t image_len,
			      const struct kj_bzimage *bz, int initrd_fd,
			      const char *cmdline, FILE *out,
			      struct kj_err *err);

#endif
