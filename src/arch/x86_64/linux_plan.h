/* The kexec_load plan for an x86_64 bzImage.
 *
 * Segments: the protected-mode kernel, the initrd, our purgatory and the
 * boot_params page (with the command line and setup_data after it). The
 * kexec entry is the purgatory; plan->regs says where the purgatory goes
 * next (the kernel's 64-bit entry, load address + 0x200) and what RSI
 * holds (boot_params). Filling the purgatory's parameter block and the
 * segment digests is the purgatory glue's job, after this plan is made. */
#ifndef KJ_ARCH_X86_64_LINUX_PLAN_H
#define KJ_ARCH_X86_64_LINUX_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/bootparams.h"
#include "arch/x86_64/memmap.h"
#include "core/err.h"
#include "core/plan.h"
#include "core/request.h"
#include "loaders/bzimage.h"

#define KJ_X86_LINUX64_ENTRY_OFFSET 0x200

struct kj_x86_linux_in {
	const struct kj_load_request *req; /* cmdline, panic, mem_min/max */
	const uint8_t *image;     /* the whole bzImage; must outlive the plan */
	size_t image_len;
	const struct kj_bzimage *bz; /* its parsed setup header */
	const uint8_t *initrd;    /* NULL/0: none; must outlive the plan */
	size_t initrd_len;        /* several initrds: concatenate first */
	const uint8_t *purgatory; /* the flat blob; copied into the plan */
	size_t purgatory_len;
	size_t purgatory_memsz;   /* bss/stack beyond the blob, 0 = none */
	const struct kj_memmap *mm;
	const struct kj_x86_sysinfo *sys; /* may be NULL: nothing known */
	const uint8_t *rng_seed;  /* SETUP_RNG_SEED, NULL = none */
	size_t rng_seed_len;
};

/* Build the plan. On failure the plan is empty and err says why; a
 * failed plan never reaches the kernel. */
int kj_x86_linux_plan(const struct kj_x86_linux_in *in, struct kj_plan *plan,
		      struct kj_err *err);

#endif
