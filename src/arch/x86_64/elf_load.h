/* `kjump load` for a plain ELF kernel (no Multiboot header) on x86_64:
 * the program headers at their physical addresses, our purgatory, and
 * for --args-linux a zero page (boot_params, with the command line, the
 * initrd and the e820 map) whose address the kernel gets in RSI. Only
 * kexec_load can load it. */
#ifndef KJ_ARCH_X86_64_ELF_LOAD_H
#define KJ_ARCH_X86_64_ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arch/x86_64/bootparams.h"
#include "arch/x86_64/memmap.h"
#include "core/err.h"
#include "core/plan.h"
#include "core/request.h"
#include "loaders/elf.h"

struct kj_x86_elf_in {
	const struct kj_load_request *req; /* kernel, panic, mem_min/max */
	const uint8_t *image;		   /* outlives the plan */
	size_t image_len;
	const struct kj_elf_kernel *k;
	const char *cmdline;   /* for the zero page; "" for none */
	const uint8_t *initrd; /* --args-linux only; NULL/0: none */
	size_t initrd_len;
	const uint8_t *purgatory;
	size_t purgatory_len;
	const struct kj_memmap *mm;
	const struct kj_x86_sysinfo *sys; /* may be NULL */
};

int kj_x86_elf_plan(const struct kj_x86_elf_in *in, struct kj_plan *plan,
		    struct kj_err *err);

/* Parse, plan, fill the purgatory, then print (--dry-run) or load.
 * initrd_fd: -1 for none (e.g. from kj_initrd_open()). */
int kj_x86_kexec_load_elf(const struct kj_load_request *req,
			  const uint8_t *image, size_t image_len, int initrd_fd,
			  const char *cmdline, FILE *out, struct kj_err *err);

#endif
