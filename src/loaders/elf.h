/* ELF kernels without a Multiboot header: an x86_64 ELF64 (a vmlinux,
 * or a kernel following its convention) is entered in 64-bit mode, with
 * RSI = boot_params (--args-linux, the default) or nothing
 * (--args-none); an i386 ELF32 is entered in 32-bit protected mode,
 * paging off. Program headers are loaded at their physical addresses,
 * as for Multiboot (elf_segments.h). */
#ifndef KJ_LOADERS_ELF_H
#define KJ_LOADERS_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/request.h"
#include "loaders/elf_segments.h"

struct kj_elf_kernel {
	struct kj_elf_info elf;
	bool long_mode;	 /* ELF64 x86_64: 64-bit entry; else 32-bit PM */
	bool linux_args; /* RSI = boot_params */
};

/* Parse and check an ELF kernel for x86: machine and class must match
 * (x86_64 for ELF64, i386 for ELF32), a 32-bit kernel must lie below
 * 4 GiB, and --args-linux is only for ELF64. */
int kj_elf_kernel_parse(const uint8_t *data, size_t size, const char *name,
			enum kj_elf_args args, struct kj_elf_kernel *k,
			struct kj_err *err);

struct kj_loader;
extern const struct kj_loader kj_loader_elf;

#endif
